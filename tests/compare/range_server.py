"""A small HTTP server for tests of remote input: serves one directory on 127.0.0.1, answers single byte-range
requests (206 Partial Content) as web servers and object stores do, and appends the bytes of every response
body to a log, so a test can say how much of a file a reader fetched.

Usage: python3 range_server.py DIR PORT_FILE BYTES_LOG [--no-ranges | --changing | --short]
Writes the port it listens on to PORT_FILE once it is ready. Faults, for the tests of errors: --no-ranges
ignores Range headers (answers 200 with the whole file), as a server without range support does;
--changing gives every response another ETag, as when the file is replaced between requests; --short sends
half of each range's bytes and closes the connection.
"""
import http.server
import os
import re
import socket
import sys
import threading

root, port_file, bytes_log = sys.argv[1], sys.argv[2], sys.argv[3]
ranges = "--no-ranges" not in sys.argv[4:]
changing = "--changing" in sys.argv[4:]
short = "--short" in sys.argv[4:]
log_lock = threading.Lock()
responses = [0]


class Handler(http.server.BaseHTTPRequestHandler):
    # A reader that has what it needs closes the connection of an open-ended range ("bytes=N-", as HTSlib
    # asks); what the server wrote ahead of it counts as served. A small send buffer keeps that to what a
    # network has in flight instead of the megabytes a loopback socket buffers (the reader's own receive
    # buffer still takes some hundreds of kilobytes per request).
    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 14)

    def log_message(self, *args):  # quiet: the byte log is what the tests read
        pass

    def send_body(self, head_only):
        path = os.path.join(root, self.path.lstrip("/").split("?")[0])
        if not os.path.isfile(path):
            self.send_error(404)
            return
        size = os.path.getsize(path)
        start, end = 0, size - 1
        match = re.fullmatch(r"bytes=(\d*)-(\d*)", self.headers.get("Range", "")) if ranges else None
        if match and (match.group(1) or match.group(2)):
            if match.group(1):
                start = int(match.group(1))
                end = min(int(match.group(2)), size - 1) if match.group(2) else size - 1
            else:
                start = max(0, size - int(match.group(2)))
            if start >= size:
                self.send_response(416)
                self.send_header("Content-Range", "bytes */%d" % size)
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, end, size))
        else:
            self.send_response(200)
        if ranges:
            self.send_header("Accept-Ranges", "bytes")
        with log_lock:
            responses[0] += 1
            self.send_header("ETag", '"%d"' % (responses[0] if changing else int(os.path.getmtime(path))))
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        if head_only:
            return
        sent = 0
        with open(path, "rb") as f:
            f.seek(start)
            remaining = end - start + 1
            if short and match:
                remaining = (remaining + 1) // 2
                self.close_connection = True
            try:
                while remaining > 0:
                    chunk = f.read(min(remaining, 1 << 14))
                    if not chunk:
                        break
                    self.wfile.write(chunk)
                    sent += len(chunk)
                    remaining -= len(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the reader had what it needed
        with log_lock, open(bytes_log, "a") as log:
            log.write("%s %d\n" % (self.path, sent))

    def do_GET(self):
        self.send_body(False)

    def do_HEAD(self):
        self.send_body(True)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
