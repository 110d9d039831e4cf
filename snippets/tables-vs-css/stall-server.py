"""Serve the demo pages from this directory on 127.0.0.1:8000 and stall at <!-- STALL --> (STALL_SECONDS, default 5)."""
import os
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.dirname(os.path.abspath(__file__))
MARKER = b"<!-- STALL -->"
STALL_SECONDS = float(os.environ.get("STALL_SECONDS", "5"))


class StallHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        name = os.path.basename(self.path.split("?", 1)[0]) or "index.html"
        path = os.path.join(ROOT, name)
        if not name.endswith(".html") or not os.path.isfile(path):
            self.send_error(404)
            return
        with open(path, "rb") as f:
            page = f.read()
        head, marker, tail = page.partition(MARKER)
        # HTTP/1.0 without Content-Length: the body ends when the connection closes.
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(head + marker)
        self.wfile.flush()
        if marker:
            time.sleep(STALL_SECONDS)
        self.wfile.write(tail)


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", 8000), StallHandler).serve_forever()
