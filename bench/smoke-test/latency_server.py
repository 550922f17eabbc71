#!/usr/bin/env python3
"""An HTTP/1.1 keep-alive server on 127.0.0.1 that answers every request after a fixed delay.

    latency_server.py DELAY_MS [STALL_AFTER_MS STALL_MS]

Prints "PORT <n>" first. asyncio, so thousands of requests can wait at once without threads: the
delay is the server's only cost, which is what the latency case of bench/smoke-test measures.

With STALL_AFTER_MS and STALL_MS, the whole server freezes once, STALL_AFTER_MS after the first
request arrived, for STALL_MS (the event loop blocks, as on a stop-the-world pause): every request
in flight or arriving meanwhile waits. A client that keeps to its schedule (open model) sees each of
those requests late; a client that waits for answers before sending (closed model: wrk, hey) sends
few requests during the stall, so its percentiles hardly show it.
"""
import asyncio
import sys
import time

DELAY = int(sys.argv[1]) / 1000
STALL_AFTER = int(sys.argv[2]) / 1000 if len(sys.argv) > 3 else None
STALL = int(sys.argv[3]) / 1000 if len(sys.argv) > 3 else 0
BODY = b'{"status":"ok"}'
RESPONSE = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(BODY)) + BODY


class Stall:
    """The one freeze: armed by the first request, fired once by a timer."""

    def __init__(self):
        self.armed = False

    def arm(self):
        if STALL_AFTER is None or self.armed:
            return
        self.armed = True
        asyncio.get_running_loop().call_later(STALL_AFTER, self.fire)

    @staticmethod
    def fire():
        print("STALL", STALL, flush=True)
        time.sleep(STALL)  # blocks the event loop: nothing is read or answered meanwhile


stall = Stall()


async def handle(reader, writer):
    try:
        while True:
            request_line = await reader.readline()
            if not request_line:
                break
            stall.arm()
            while True:
                header = await reader.readline()
                if header in (b"\r\n", b"\n", b""):
                    break
            await asyncio.sleep(DELAY)
            writer.write(RESPONSE)
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
    print("PORT", server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
