#!/usr/bin/env python3
"""Serves DIRECTORY over HTTP/1.1 on 127.0.0.1 (a port of its own = the page's origin in the
browser CORS test). A POST to /report (same origin) prints "REPORT <body>" on one line: how the
page hands its results back. A "TICK" line every second lets a reader waiting for the report
time out instead of blocking. Usage: static_server.py DIRECTORY. Prints "PORT <n>"; exits when
stdin closes."""
import http.server
import os
import sys
import threading
import time

# print() writes the text and its newline separately: two threads printing at once could splice
# a TICK into a REPORT line. Every line goes out whole, under this lock.
OUTPUT = threading.Lock()


def say(line):
    with OUTPUT:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        length = min(int(self.headers.get("Content-Length", "0")), 1 << 20)
        body = self.rfile.read(length).decode("utf-8", "replace").replace("\n", " ")
        say(f"REPORT {body}")
        self.send_response(204)
        self.end_headers()


os.chdir(sys.argv[1])
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
say(f"PORT {server.server_address[1]}")
threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()


def tick():
    while True:
        time.sleep(1)
        say("TICK")


threading.Thread(target=tick, daemon=True).start()
server.serve_forever()
