#!/usr/bin/env python3
"""Serve one file over HTTP with Range support and a per-connection rate limit, the way a
blob store across a WAN behaves (each connection capped, several connections adding up).

    throttled_server.py FILE PORT BYTES_PER_SECOND
"""
import http.server
import os
import re
import sys
import time

path, port, rate = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
size = os.path.getsize(path)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        start, end, status = 0, size - 1, 200
        match = re.match(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        if match:
            start = int(match.group(1))
            end = min(int(match.group(2)), size - 1) if match.group(2) else size - 1
            status = 206
        self.send_response(status)
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("ETag", '"bench"')
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.end_headers()
        block = 256 * 1024
        began = time.monotonic()
        sent = 0
        with open(path, "rb") as f:
            f.seek(start)
            remaining = end - start + 1
            while remaining > 0:
                data = f.read(min(block, remaining))
                self.wfile.write(data)
                sent += len(data)
                remaining -= len(data)
                ahead = sent / rate - (time.monotonic() - began)
                if ahead > 0:
                    time.sleep(ahead)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
