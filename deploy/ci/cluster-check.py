#!/usr/bin/env python3
"""Checks for the scale-out demo (deploy/compose-cluster.yml), run by container-test.sh from the
host against ports published on 127.0.0.1. Exit status 0 when the check holds, 1 otherwise.

    cluster-check.py leafz [--timeout S] NAME=ADMIN_PORT...
        waits until every lightbroker node's GET /leafz reports "leafnodes": 1 with a connected
        link; prints one line per node with its hub (hub_server_name)
    cluster-check.py leafz --away-from HUB [--timeout S] NAME=ADMIN_PORT...
        the same, and the hub must not be HUB (after HUB was stopped: the failover)
    cluster-check.py routes [--timeout S] MONITOR_PORT...
        waits until each nats-server's /routez shows a route to every other one given
    cluster-check.py cross --pub NAME=resp:PORT [--count N] [--timeout S] NAME=resp:PORT|NAME=nats:PORT...
        subscribes on every NAME=... (RESP SUBSCRIBE or NATS SUB) to one fresh subject, publishes
        probes with RESP PUBLISH on --pub until every subscriber has seen one (the interest has
        crossed the leaf links and the routes), then N numbered messages, which every subscriber
        must receive exactly once and in order

Only the standard library: raw RESP and NATS on sockets, as the single-node test does.
"""
import json
import queue
import socket
import sys
import threading
import time
import urllib.request
import uuid

HOST = "127.0.0.1"


def fail(msg):
    print("cluster-check: " + msg, file=sys.stderr)
    sys.exit(1)


# Straight to the published port, whatever *_proxy variables the machine has.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def get_json(port, path):
    with OPENER.open("http://%s:%d%s" % (HOST, port, path), timeout=3) as r:
        return json.load(r)


def options(args, **defaults):
    """--name value pairs first, then positional arguments."""
    opts = dict(defaults)
    while args and args[0].startswith("--"):
        key = args.pop(0)[2:].replace("-", "_")
        if key not in opts:
            fail("unknown option --" + key)
        opts[key] = args.pop(0)
    return opts, args


def named(items):
    out = []
    for item in items:
        name, _, value = item.partition("=")
        if not value:
            fail("expected NAME=VALUE, not " + item)
        out.append((name, value))
    return out


# ---- leafz / routes ---------------------------------------------------------------------------
def leafz(args):
    opts, rest = options(args, timeout="60", away_from="")
    nodes = [(n, int(p)) for n, p in named(rest)]
    deadline = time.monotonic() + float(opts["timeout"])
    while True:
        status, done = {}, {}
        for name, port in nodes:
            try:
                z = get_json(port, "/leafz")
            except (OSError, ValueError) as e:
                status[name] = str(e)
                continue
            links = z.get("leafs", [])
            status[name] = "leafnodes %s; %s" % (z.get("leafnodes"), "; ".join(
                "%s %s, hub %s%s" % (l.get("url"), l.get("state"), l.get("hub_server_name"),
                                     ", last error: " + l["last_error"] if l.get("last_error") else "")
                for l in links))
            if (z.get("leafnodes") == 1 and len(links) == 1 and links[0].get("state") == "connected"
                    and links[0].get("hub_server_name") != opts["away_from"]):
                done[name] = links[0]
        if len(done) == len(nodes):
            for name, _ in nodes:
                print("%-10s /leafz: leafnodes 1, connected to hub %s (reconnects %s)"
                      % (name, done[name].get("hub_server_name"), done[name].get("reconnects")))
            return 0
        if time.monotonic() > deadline:
            for name, _ in nodes:
                if name not in done:
                    print("%-10s /leafz: %s" % (name, status[name]), file=sys.stderr)
            fail("leaf links not connected%s within %s s" % (
                " away from " + opts["away_from"] if opts["away_from"] else "", opts["timeout"]))
        time.sleep(0.3)


def routes(args):
    opts, rest = options(args, timeout="30")
    ports = [int(p) for p in rest]
    deadline = time.monotonic() + float(opts["timeout"])
    while True:
        counts = {}
        for port in ports:
            try:
                counts[port] = get_json(port, "/routez").get("num_routes")
            except (OSError, ValueError):
                counts[port] = None
        if all(c == len(ports) - 1 for c in counts.values()):
            print("routes: every hub routes to the %d others (%s)" % (len(ports) - 1,
                  ", ".join("%d: %s" % kv for kv in counts.items())))
            return 0
        if time.monotonic() > deadline:
            fail("routes incomplete after %s s: num_routes by monitoring port %s" % (opts["timeout"], counts))
        time.sleep(0.3)


# ---- cross-node delivery ----------------------------------------------------------------------
def resp_command(*parts):
    out = [b"*%d\r\n" % len(parts)]
    for p in parts:
        b = p if isinstance(p, bytes) else p.encode()
        out.append(b"$%d\r\n%s\r\n" % (len(b), b))
    return b"".join(out)


class Reader:
    def __init__(self, sock):
        self.f = sock.makefile("rb")

    def line(self):
        line = self.f.readline()
        if not line:
            raise EOFError("connection closed")
        return line[:-2]

    def resp(self):
        line = self.line()
        kind, rest = line[:1], line[1:]
        if kind == b"*":
            return [self.resp() for _ in range(int(rest))]
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            data = self.f.read(n + 2)
            return data[:-2]
        if kind == b":":
            return int(rest)
        if kind == b"-":
            raise RuntimeError(rest.decode())
        return rest


class Subscriber(threading.Thread):
    """One connection subscribed to the subject; every payload goes to self.got."""

    def __init__(self, name, proto, port, subject):
        super().__init__(daemon=True)
        self.name, self.proto, self.subject = name, proto, subject
        self.got = queue.Queue()
        self.error = None
        self.sock = socket.create_connection((HOST, port), timeout=10)
        self.reader = Reader(self.sock)
        if proto == "resp":
            self.sock.sendall(resp_command("SUBSCRIBE", subject))
            reply = self.reader.resp()
            if reply[:2] != [b"subscribe", subject.encode()]:
                fail("%s: SUBSCRIBE answered %r" % (name, reply))
        elif proto == "nats":
            if not self.reader.line().startswith(b"INFO "):
                fail(name + ": no INFO")
            self.sock.sendall(b'CONNECT {"verbose":false,"pedantic":false}\r\nSUB %s 1\r\nPING\r\n' % subject.encode())
            while True:
                line = self.reader.line()
                if line == b"PONG":
                    break
                if line.startswith(b"-ERR"):
                    fail("%s: %s" % (name, line.decode()))
        else:
            fail("protocol must be resp or nats, not " + proto)
        self.sock.settimeout(None)

    def run(self):
        try:
            while True:
                if self.proto == "resp":
                    m = self.reader.resp()
                    if m[0] == b"message":
                        self.got.put(m[2])
                else:
                    line = self.reader.line()
                    if line == b"PING":
                        self.sock.sendall(b"PONG\r\n")
                    elif line.startswith(b"MSG "):
                        size = int(line.split()[-1])
                        self.got.put(self.reader.f.read(size + 2)[:-2])
        except (OSError, EOFError, RuntimeError) as e:
            self.error = e


def cross(args):
    opts, rest = options(args, pub="", count="100", timeout="30")
    if not opts["pub"]:
        fail("--pub NAME=resp:PORT is required")
    pub_name, pub_where = named([opts["pub"]])[0]
    proto, _, port = pub_where.partition(":")
    if proto != "resp":
        fail("--pub is RESP only")
    count = int(opts["count"])
    subject = "ci.cluster." + uuid.uuid4().hex[:12]
    subs = []
    for name, where in named(rest):
        p, _, port_text = where.partition(":")
        subs.append(Subscriber(name, p, int(port_text), subject))
    for s in subs:
        s.start()
    pub = socket.create_connection((HOST, int(port)), timeout=10)
    pub_reader = Reader(pub)

    def publish(payload):
        pub.sendall(resp_command("PUBLISH", subject, payload))
        return pub_reader.resp()

    # Interest travels subscriber node -> its hub -> routes -> the publisher's hub -> the
    # publisher's node; until it has arrived a message there has no receiver and stays local.
    start = time.monotonic()
    deadline = start + float(opts["timeout"])
    waiting = {s.name for s in subs}
    seen_probe = {}
    while waiting:
        if time.monotonic() > deadline:
            fail("no probe from %s reached %s within %s s" % (pub_name, " ".join(sorted(waiting)), opts["timeout"]))
        publish(b"probe")
        time.sleep(0.1)
        for s in subs:
            while True:
                try:
                    m = s.got.get_nowait()
                except queue.Empty:
                    break
                if m == b"probe" and s.name in waiting:
                    waiting.discard(s.name)
                    seen_probe[s.name] = time.monotonic() - start
    print("interest propagated: first probe from %s seen by %s" % (pub_name, ", ".join(
        "%s after %d ms" % (s.name, seen_probe[s.name] * 1000) for s in subs)))

    for n in range(1, count + 1):
        publish(b"msg %d" % n)
    expected = [b"msg %d" % n for n in range(1, count + 1)]
    failed = []
    for s in subs:
        got = []
        while len(got) < count:
            left = deadline - time.monotonic()
            try:
                m = s.got.get(timeout=max(0.1, left))
            except queue.Empty:
                break
            if m != b"probe":
                got.append(m)
        # Anything after the last expected message would be a duplicate.
        time.sleep(0.05)
        while not s.got.empty():
            m = s.got.get_nowait()
            if m != b"probe":
                got.append(m)
        ok = got == expected
        print("%s -> %-10s %s: %d/%d messages%s" % (pub_name, s.name, s.proto.upper(), len(got), count,
              ", exactly once, in order" if ok else " WRONG (first %r)" % got[:3]))
        if not ok:
            failed.append(s.name)
        if s.error:
            print("  %s connection: %s" % (s.name, s.error), file=sys.stderr)
    if failed:
        fail("wrong deliveries at " + " ".join(failed))
    return 0


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    command, args = sys.argv[1], sys.argv[2:]
    handlers = {"leafz": leafz, "routes": routes, "cross": cross}
    if command not in handlers:
        print(__doc__, file=sys.stderr)
        return 2
    return handlers[command](args)


if __name__ == "__main__":
    sys.exit(main())
