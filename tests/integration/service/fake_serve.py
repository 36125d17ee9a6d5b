#!/usr/bin/env python3
# Stands in for a control plane started by hand: serves HTTP on <state>/local.sock (answering
# 503, so `down` has no workspaces to stop) and holds no lock. With --ignore-term it does not
# stop on SIGTERM.
import http.server
import os
import signal
import socketserver
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(503)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class Server(socketserver.UnixStreamServer):
    def get_request(self):
        request, _ = super().get_request()
        return request, ("local", 0)


def main():
    state = sys.argv[1]
    if "--ignore-term" in sys.argv:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    path = os.path.join(state, "local.sock")
    if os.path.exists(path):
        os.unlink(path)
    with Server(path, Handler) as server:
        open(os.path.join(state, "fake-serve.ready"), "w").close()
        server.serve_forever()


main()
