#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A tiny server for probe tests: one process, no fork per connection.

  probe_srv.py tcp PORT         accept and close (a cluster node's probe port)
  probe_srv.py http PORT FILE   answer every request as FILE says: a status
                                code ("500"), or "sleep S CODE" to answer S
                                seconds late

PORT 0 takes a free port. It listens on every address, prints
"listening PORT" on stdout once it does, and logs each request on stderr.
Used by selftests/probe.bats (in the VM) and selftests/host/probe_timing.bats.
"""
import socket
import sys
import time

mode, port = sys.argv[1], int(sys.argv[2])
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", port))
s.listen(64)
print("listening", s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept()
    try:
        if mode == "http":
            c.settimeout(5)
            req = b""
            while b"\r\n\r\n" not in req:
                d = c.recv(1024)
                if not d:
                    break
                req += d
            with open(sys.argv[3]) as f:
                what = f.read().split()
            line = req.split(b"\r\n", 1)[0].decode(errors="replace")
            print("request", line, "->", " ".join(what), file=sys.stderr, flush=True)
            if what[0] == "sleep":
                time.sleep(float(what[1]))
                what = what[2:]
            c.sendall(("HTTP/1.0 %s X\r\nContent-Length: 0\r\n\r\n" % what[0]).encode())
    except OSError:
        pass
    c.close()
