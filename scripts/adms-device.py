#!/usr/bin/env python3
"""A simulated ZKTeco reader in ADMS push ("cloud server") mode, Python 3 standard library only.

It speaks the protocol as the firmware does: the handshake (GET /iclock/cdata?SN=...&options=all,
reading the options text), heartbeats (GET /iclock/getrequest?SN=...), and ATTLOG uploads
(POST /iclock/cdata?SN=...&table=ATTLOG&Stamp=N, tab-separated lines, answered "OK: N").
A batch whose answer does not come back is sent again, unchanged, as a device does.

    scripts/adms-device.py --url http://127.0.0.1:8081 --serial CJDE193560303 --punches punches.txt
    scripts/adms-device.py --url ... --serial ... --generate 20 --pins 1001,1002 --heartbeats 3

Punches (--punches FILE, or - for standard input): one a line, "PIN<TAB>yyyy-MM-dd HH:mm:ss[<TAB>state]"
(or separated by spaces: PIN date time [state]). --generate N makes N punches of --pins at the
device clock's "now", one --spacing seconds apart.

Options for tests and trials:
  --batch N           lines per upload (default 50)
  --drop-answer K     for the K-th upload (1-based), close the connection before reading the answer,
                      then send the same batch again (the agent must not store it twice)
  --drift SECONDS     the device clock runs this far ahead (negative: behind) of the host's; applied
                      to generated punches and to --punches given with --shift-by-drift
  --interval SECONDS  pause between calls (default 0)
  --heartbeats N      heartbeats after the uploads (default 1)
  --extra-line TEXT   add a line that is not an ATTLOG record to the first batch (a firmware oddity)
  --table NAME        upload to another table (OPERLOG, USERINFO) instead: the agent drops it
Prints one line per call ("handshake 200", "upload 1: 200 OK: 50", ...); exits 1 when a call failed
for another reason than the dropped answer it was asked for.
"""
import argparse
import datetime as dt
import http.client
import socket
import sys
import time
import urllib.parse


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", required=True, help="the agent's receiver, http://host:port")
    p.add_argument("--serial", required=True)
    p.add_argument("--punches", help="file of punches (- for stdin)")
    p.add_argument("--generate", type=int, default=0)
    p.add_argument("--pins", default="1001")
    p.add_argument("--spacing", type=float, default=60.0)
    p.add_argument("--batch", type=int, default=50)
    p.add_argument("--drop-answer", type=int, default=0)
    p.add_argument("--drift", type=float, default=0.0)
    p.add_argument("--shift-by-drift", action="store_true")
    p.add_argument("--interval", type=float, default=0.0)
    p.add_argument("--heartbeats", type=int, default=1)
    p.add_argument("--extra-line", default=None)
    p.add_argument("--table", default="ATTLOG")
    p.add_argument("--no-handshake", action="store_true")
    p.add_argument("--timeout", type=float, default=10.0)
    p.add_argument("--tz-hours", type=float, default=None,
                   help="the device clock's offset from UTC (default: the TimeZone of the server's options)")
    return p.parse_args()


class Device:
    def __init__(self, args):
        u = urllib.parse.urlsplit(args.url)
        self.host, self.port = u.hostname, u.port or 80
        self.args = args
        self.stamp = 0
        self.failed = False

    def path(self, endpoint, **params):
        q = {"SN": self.args.serial}
        q.update(params)
        return "/iclock/%s?%s" % (endpoint, urllib.parse.urlencode(q))

    def call(self, method, path, body=None, drop=False):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.args.timeout)
        headers = {"User-Agent": "iClock Proxy/1.09", "Content-Type": "text/plain"}
        if drop:
            # Send the request whole, then close before the answer: the device never learns it was stored.
            conn.connect()
            data = body or b""
            head = "%s %s HTTP/1.1\r\nHost: %s:%d\r\nContent-Length: %d\r\n" % (method, path, self.host, self.port, len(data))
            head += "".join("%s: %s\r\n" % kv for kv in headers.items()) + "\r\n"
            conn.sock.sendall(head.encode() + data)
            conn.sock.shutdown(socket.SHUT_RDWR)
            conn.close()
            return None, ""
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        text = r.read().decode("utf-8", "replace")
        conn.close()
        return r.status, text

    def pause(self):
        if self.args.interval > 0:
            time.sleep(self.args.interval)


def device_now(drift, tz_hours):
    """The device's clock: the site's wall-clock time (UTC plus the TimeZone the server's options
    gave, as firmware applies it), plus the drift."""
    utc = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    return utc + dt.timedelta(hours=tz_hours, seconds=drift)


def load_punches(args, tz_hours):
    lines = []
    if args.punches:
        src = sys.stdin if args.punches == "-" else open(args.punches, encoding="utf-8")
        for raw in src:
            raw = raw.rstrip("\r\n")
            if not raw.strip() or raw.startswith("#"):
                continue
            parts = raw.split("\t") if "\t" in raw else raw.split()
            if "\t" not in raw and len(parts) >= 3:
                parts = [parts[0], parts[1] + " " + parts[2]] + parts[3:]
            pin, when = parts[0].strip(), parts[1].strip()
            state = parts[2].strip() if len(parts) > 2 else "0"
            if args.shift_by_drift and args.drift:
                t = dt.datetime.strptime(when, "%Y-%m-%d %H:%M:%S") + dt.timedelta(seconds=args.drift)
                when = t.strftime("%Y-%m-%d %H:%M:%S")
            lines.append("%s\t%s\t%s\t1\t0\t0\t0\t0\t0\t0" % (pin, when, state))
    if args.generate:
        pins = [p.strip() for p in args.pins.split(",") if p.strip()]
        start = device_now(args.drift, tz_hours) - dt.timedelta(seconds=args.spacing * (args.generate - 1))
        for i in range(args.generate):
            t = start + dt.timedelta(seconds=args.spacing * i)
            lines.append("%s\t%s\t%d\t1\t0\t0\t0\t0\t0\t0" % (pins[i % len(pins)], t.strftime("%Y-%m-%d %H:%M:%S"), i % 2))
    return lines


def main():
    args = parse_args()
    d = Device(args)
    tz_hours = args.tz_hours
    if not args.no_handshake:
        status, text = d.call("GET", d.path("cdata", options="all", pushver="2.4.1", language="83"))
        print("handshake %s" % status, flush=True)
        if status != 200:
            print(text.strip(), flush=True)
            return 1
        for opt in text.splitlines():
            if opt.startswith("ATTLOGStamp=") and opt[12:].strip().isdigit():
                d.stamp = int(opt[12:].strip())
            if opt.startswith("TimeZone=") and tz_hours is None:
                try:
                    tz_hours = float(opt[9:].strip())
                except ValueError:
                    pass
        d.pause()
    lines = load_punches(args, tz_hours or 0)
    batches = [lines[i:i + args.batch] for i in range(0, len(lines), max(1, args.batch))]
    if args.extra_line is not None and batches:
        batches[0] = batches[0] + [args.extra_line]
    for n, batch in enumerate(batches, start=1):
        body = ("\n".join(batch) + "\n").encode("utf-8")
        stamp = d.stamp + len(batch)
        path = d.path("cdata", table=args.table, Stamp=str(stamp))
        if n == args.drop_answer:
            d.call("POST", path, body, drop=True)
            print("upload %d: answer dropped, sending again" % n, flush=True)
            time.sleep(0.2)
        status, text = d.call("POST", path, body)
        print("upload %d: %s %s" % (n, status, text.strip()), flush=True)
        if status != 200 or not text.startswith("OK"):
            d.failed = True
            break
        d.stamp = stamp
        d.pause()
    for _ in range(args.heartbeats):
        status, text = d.call("GET", d.path("getrequest", INFO="Ver 8.0.4.2,1,0,%d,127.0.0.1" % len(lines)))
        print("heartbeat %s %s" % (status, text.strip()), flush=True)
        if status != 200:
            d.failed = True
        d.pause()
    return 1 if d.failed else 0


if __name__ == "__main__":
    sys.exit(main())
