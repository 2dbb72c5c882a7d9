#!/usr/bin/env python3
"""Time to first accepted connection: runs COMMAND, then polls 127.0.0.1:PORT with a RESP PING
until +PONG comes back; prints the milliseconds from just before the command started.

    first-ping.py PORT [--timeout S] -- COMMAND...

Polling from one process (no redis-cli fork per attempt) keeps the probe's own cost out of the
number. COMMAND may be `docker run -d ...` (it returns at once; the clock keeps running until the
container answers) or the server itself (then it is terminated afterwards).
"""
import socket
import subprocess
import sys
import time


def main():
    args = sys.argv[1:]
    port = int(args.pop(0))
    timeout = 60.0
    if args[:1] == ["--timeout"]:
        args.pop(0)
        timeout = float(args.pop(0))
    if args[:1] == ["--"]:
        args.pop(0)
    start = time.monotonic()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.monotonic() - start < timeout:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        print(round((time.monotonic() - start) * 1000))
                        return 0
            except OSError:
                pass
            time.sleep(0.005)
        print("no PONG within %.0f s" % timeout, file=sys.stderr)
        return 1
    finally:
        if proc.poll() is None and not args[0].endswith("docker"):
            proc.terminate()
            proc.wait()


if __name__ == "__main__":
    sys.exit(main())
