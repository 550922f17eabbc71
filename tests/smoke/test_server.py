#!/usr/bin/env python3
"""Loopback HTTP(S) server for smoke-test's tests (standard library only).

    test_server.py [--cert FILE --key FILE]

Listens on 127.0.0.1, port 0 (the kernel picks a free one), and prints "PORT <n>" on its first line.
With --cert/--key it speaks HTTPS. Endpoints:
    /status/<code>                 answers with that status
    /json                          {"status": "ok", "replicas": 3, "version": "1.2.3", "items": [1, 2]}
    /json/degraded                 {"status": "degraded", "replicas": 1}
    /slow/<ms>                     waits, then 200 "slow"
    /flaky/<key>/<n>               503 for the first n requests with that key, then 200 {"attempt": k}
    /retry-after/<key>/<seconds>   first request: 503 with Retry-After: <seconds>; then 200
    /count/<key>                   how many requests /flaky or /retry-after saw for the key
    /headers                       the request headers as a JSON object
    /echo                          the request body back, with its Content-Type
    /redirect                      302 to /json
    /cookie                        200 with Set-Cookie: session=<value of ?v=, default cookie-secret>
    /text                          200 "ready: all systems go"
"""
import json
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

counts = {}
counts_lock = threading.Lock()


def bump(key):
    with counts_lock:
        counts[key] = counts.get(key, 0) + 1
        return counts[key]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body=b"", content_type="text/plain", headers=()):
        if isinstance(body, str):
            body = body.encode()
        if status in (204, 304) or status < 200:
            body = b""  # these statuses have no body; sending one would corrupt the connection
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Request-Id", str(time.monotonic_ns()))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_json(self, status, value):
        self.send(status, json.dumps(value), "application/json")

    def handle_any(self):
        url = urlsplit(self.path)
        parts = [p for p in url.path.split("/") if p]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if not parts:
            return self.send(200, "root")
        head = parts[0]
        if head == "status" and len(parts) == 2:
            return self.send(int(parts[1]), "status " + parts[1])
        if head == "json":
            if len(parts) == 2 and parts[1] == "degraded":
                return self.send_json(200, {"status": "degraded", "replicas": 1})
            return self.send_json(200, {"status": "ok", "replicas": 3, "version": "1.2.3", "items": [1, 2]})
        if head == "slow" and len(parts) == 2:
            time.sleep(int(parts[1]) / 1000)
            return self.send(200, "slow")
        if head == "flaky" and len(parts) == 3:
            n = bump(parts[1])
            if n <= int(parts[2]):
                return self.send(503, "not yet")
            return self.send_json(200, {"attempt": n})
        if head == "retry-after" and len(parts) == 3:
            n = bump(parts[1])
            if n == 1:
                return self.send(503, "come back later", headers=[("Retry-After", parts[2])])
            return self.send_json(200, {"attempt": n})
        if head == "count" and len(parts) == 2:
            with counts_lock:
                return self.send_json(200, {"count": counts.get(parts[1], 0)})
        if head == "headers":
            return self.send_json(200, {k.lower(): v for k, v in self.headers.items()})
        if head == "echo":
            return self.send(200, body, self.headers.get("Content-Type") or "application/octet-stream")
        if head == "redirect":
            return self.send(302, "moved", headers=[("Location", "/json")])
        if head == "cookie":
            value = parse_qs(url.query).get("v", ["cookie-secret"])[0]
            return self.send(200, "cookie set", headers=[("Set-Cookie", "session=" + value + "; HttpOnly")])
        if head == "text":
            return self.send(200, "ready: all systems go")
        return self.send(404, "no such endpoint")

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = handle_any


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512


def main():
    args = sys.argv[1:]
    cert = key = None
    while args:
        if args[0] == "--cert":
            cert = args[1]
        elif args[0] == "--key":
            key = args[1]
        else:
            sys.exit("unknown argument " + args[0])
        args = args[2:]
    server = Server(("127.0.0.1", 0), Handler)
    if cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    print("PORT", server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
