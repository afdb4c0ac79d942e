#!/usr/bin/env python3
"""Benchmark: punches per second the ADMS receiver stores durably (appended and fsynced before
its "OK: N"), for uploads of 1, 50 and 500 lines.

    scripts/bench-adms.py [--agent .build/release/duty-agent] [--punches 5000] [--batches 1,50,500]

It writes a small office into a temporary folder, starts `duty-agent run` with [adms] on a free
port, uploads fresh punches (never a duplicate) over one keep-alive connection per batch size as
a device does, and prints one line per batch size: uploads, punches, seconds, punches/s, uploads/s
and the p50/p99 time of one upload. The machine's load average is printed before and after.
No test asserts a timing; the figures go in BENCHMARKS.md.
"""
import argparse
import datetime as dt
import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--agent", default=os.path.join(root, ".build/release/duty-agent"))
    p.add_argument("--punches", type=int, default=5000, help="punches per batch size (the 1-line case sends min(this, 2000))")
    p.add_argument("--batches", default="1,50,500")
    p.add_argument("--folder", default=None, help="where the journal goes (default: a temporary folder; put it on the disk you mean)")
    args = p.parse_args()
    if not os.access(args.agent, os.X_OK):
        sys.exit("bench-adms: %s is not built (swift build -c release --product duty-agent, or --agent PATH)" % args.agent)
    folder = args.folder or tempfile.mkdtemp(prefix="dutywatch-bench-adms-")
    os.makedirs(folder, exist_ok=True)
    port = free_port()
    with open(os.path.join(folder, "people.csv"), "w") as f:
        f.write("id,name,unit\n" + "".join("%d,P%d,局/科\n" % (100000 + i, i) for i in range(1000)))
    with open(os.path.join(folder, "agent.toml"), "w") as f:
        f.write('[site]\nid = "bench"\n[inputs]\npeople = "people.csv"\n[[shift]]\ncode = "day"\nstart = "09:00"\n'
                'end = "17:30"\n[[schedule]]\nunits = ["局"]\nshift = "day"\n[adms]\nlisten = "127.0.0.1:%d"\n'
                '[[adms.device]]\nserial = "BENCH0001"\nreader = "1"\n' % port)
    shutil.rmtree(os.path.join(folder, "adms"), ignore_errors=True)
    log = open(os.path.join(folder, "agent.log"), "w")
    env = dict(os.environ, DUTY_AGENT_LOG_LEVEL="warning")
    agent = subprocess.Popen([args.agent, "run", "--config", os.path.join(folder, "agent.toml")], stderr=log, env=env)
    try:
        deadline = time.time() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.time() > deadline or agent.poll() is not None:
                    sys.exit("bench-adms: the agent did not start; see %s" % log.name)
                time.sleep(0.1)
        print("load average before: %s" % " ".join("%.2f" % x for x in os.getloadavg()))
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", "/iclock/cdata?SN=BENCH0001&options=all")
        conn.getresponse().read()
        base = dt.datetime(2026, 1, 1, 0, 0, 0)
        offset = 0
        print("%-6s %8s %9s %8s %11s %10s %10s %10s" % ("batch", "uploads", "punches", "seconds", "punches/s", "uploads/s",
                                                       "p50 ms", "p99 ms"))
        for size in [int(x) for x in args.batches.split(",")]:
            total = min(args.punches, 2000) if size == 1 else args.punches
            uploads = max(1, total // size)
            bodies = []
            for u in range(uploads):
                lines = []
                for k in range(size):
                    n = offset + u * size + k
                    t = base + dt.timedelta(seconds=n)
                    lines.append("%d\t%s\t0\t1\t0\t0\t0\t0\t0\t0" % (100000 + n % 1000, t.strftime("%Y-%m-%d %H:%M:%S")))
                bodies.append(("\n".join(lines) + "\n").encode())
            offset += uploads * size
            times = []
            start = time.perf_counter()
            for i, body in enumerate(bodies):
                t0 = time.perf_counter()
                conn.request("POST", "/iclock/cdata?SN=BENCH0001&table=ATTLOG&Stamp=%d" % (offset + i), body=body,
                             headers={"Content-Type": "text/plain"})
                r = conn.getresponse()
                text = r.read().decode()
                times.append(time.perf_counter() - t0)
                if r.status != 200 or text.strip() != "OK: %d" % size:
                    sys.exit("bench-adms: unexpected answer %s %r" % (r.status, text))
            elapsed = time.perf_counter() - start
            times.sort()
            p50 = times[len(times) // 2] * 1000
            p99 = times[min(len(times) - 1, int(len(times) * 0.99))] * 1000
            print("%-6d %8d %9d %8.2f %11.0f %10.1f %10.2f %10.2f" % (size, uploads, uploads * size, elapsed,
                                                                  uploads * size / elapsed, uploads / elapsed, p50, p99))
        journal = os.path.join(folder, "adms", "1_adms.dat")
        with open(journal, "rb") as f:
            stored = sum(1 for _ in f)
        print("journal lines: %d (expected %d)" % (stored, offset))
        print("load average after:  %s" % " ".join("%.2f" % x for x in os.getloadavg()))
        if stored != offset:
            sys.exit("bench-adms: the journal does not hold every punch once")
    finally:
        agent.terminate()
        agent.wait(timeout=30)
        if not args.folder:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
