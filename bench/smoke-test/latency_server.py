#!/usr/bin/env python3
"""An HTTP/1.1 keep-alive server on 127.0.0.1 that answers every request after a fixed delay.

    latency_server.py DELAY_MS

Prints "PORT <n>" first. asyncio, so thousands of requests can wait at once without threads: the
delay is the server's only cost, which is what the latency case of bench/smoke-test measures.
"""
import asyncio
import sys

DELAY = int(sys.argv[1]) / 1000
BODY = b'{"status":"ok"}'
RESPONSE = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(BODY)) + BODY


async def handle(reader, writer):
    try:
        while True:
            request_line = await reader.readline()
            if not request_line:
                break
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
