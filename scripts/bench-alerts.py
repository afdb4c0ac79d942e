#!/usr/bin/env python3
"""Benchmark: the delay from the moment a duty alert is due to the webhook's receipt.

Runs the real `duty-agent run` (alerts only) over a generated duty night and
scripts/webhook-receiver.py, in two modes:

  scan   the alerts become due as time passes (away intervals whose limit runs out one after
         another, the badge file written once up front) and the input watcher is off
         (watch_seconds = 0): the delay is what the default scan interval (scan_seconds = 10) gives.
  nudge  each alert's punch is appended to the badge file at the moment it makes the alert due
         (an exit punch dated limit + 1 s ago), with the input watcher on (watch_seconds = 1): a
         file change wakes the judging at once (after the watcher's up-to-1-s poll).
  push   the same exit punches, pushed by a reader in ADMS mode to the agent's real receiver
         ([adms], one POST /iclock/cdata?table=ATTLOG per punch, as adms-device.py sends them),
         with the input watcher off: the receiver wakes the judging after each durable append.

Delay = receipt time at the webhook - due time (scan), append time (nudge) or the moment the
upload was sent (push). Prints p50, p90, p99 and max per mode, and the machine's load.

usage: scripts/bench-alerts.py [--agent PATH] [--alerts N] [--spacing S] [--modes scan,nudge,push]
       (default: .build/debug/duty-agent, 40 alerts per mode, 3 s apart in scan mode, 1.5 s in the others)
"""
import argparse
import http.client
import datetime as dt
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIMIT_MIN = 15


def fmt(t):
    return dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def pid(i):
    """A person's id: a number, as a reader's PIN must be."""
    return str(1000 + i)


def write_office(folder, people, port, watch, adms_port=None):
    start = time.time() - 3600
    date = fmt(start)[:10]
    hm = lambda t: fmt(t)[11:16]
    with open(os.path.join(folder, "people.csv"), "w") as f:
        f.write("id,name,unit\n" + "".join(f"{pid(i)},值班员{i},局/值班室\n" for i in range(people)))
    with open(os.path.join(folder, "roster.csv"), "w") as f:
        f.write("date,person,shift\n" + "".join(f"{date},{pid(i)},duty\n" for i in range(people)))
    with open(os.path.join(folder, "badges.csv"), "w") as f:
        f.write("person,time,reader\n" + "".join(f"{pid(i)},{fmt(start - 300)},room-in\n" for i in range(people)))
    with open(os.path.join(folder, "agent.toml"), "w") as f:
        f.write(f"""[site]
id = "bench"
timezone = "UTC"

[inputs]
people = "people.csv"
badges = ["badges.csv"]
roster = "roster.csv"

[[reader]]
id = "room-in"
post = "duty-room"
direction = "in"

[[reader]]
id = "room-out"
post = "duty-room"
direction = "out"

[[shift]]
code = "duty"
kind = "duty"
start = "{hm(start)}"
end = "{hm(start + 10 * 3600)}"
posts = ["duty-room"]
away_limit = {LIMIT_MIN}

[alerts]
watch_seconds = {watch}

[[alert]]
kind = "webhook"
url = "http://127.0.0.1:{port}/hook"
per_minute = 6000
""")
        if adms_port:
            f.write(f"""
[adms]
listen = "127.0.0.1:{adms_port}"

[[adms.device]]
serial = "BENCHOUT01"
reader = "room-out"
""")


def append(folder, line):
    with open(os.path.join(folder, "badges.csv"), "a") as f:
        f.write(line + "\n")
        f.flush()
        os.fsync(f.fileno())


def received(folder):
    path = os.path.join(folder, "received.jsonl")
    if not os.path.exists(path):
        return {}
    out = {}
    for line in open(path, encoding="utf-8"):
        r = json.loads(line)
        body = r.get("body") or {}
        if r.get("answered") == "ok" and body.get("kind") == "away_over_limit":
            out.setdefault(body["person"], r["received"])
    return out


def adms(method, port, path, body=None):
    """One call to the agent's ADMS receiver, as a device makes it; returns the answer's text."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, body=body.encode() if body else None,
                 headers={"Content-Type": "text/plain", "User-Agent": "iClock Proxy/1.09"})
    text = conn.getresponse().read().decode().strip()
    conn.close()
    return text


def percentile(values, p):
    v = sorted(values)
    k = max(0, min(len(v) - 1, int(round(p / 100 * len(v) + 0.5)) - 1))
    return v[k]


def run_mode(mode, agent, n, spacing):
    folder = tempfile.mkdtemp(prefix=f"dutywatch-bench-alerts-{mode}-")
    port = free_port()
    adms_port = free_port() if mode == "push" else None
    write_office(folder, n, port, watch=1 if mode == "nudge" else 0, adms_port=adms_port)
    receiver = subprocess.Popen([sys.executable, os.path.join(ROOT, "scripts/webhook-receiver.py"), "--port", str(port),
                                 "--log", os.path.join(folder, "received.jsonl")], stdout=subprocess.PIPE, text=True)
    receiver.stdout.readline()
    due = {}
    if mode == "scan":
        first = time.time() + 20  # the agent's start-up and first judging are not measured
        for i in range(n):
            d = int(first + i * spacing)
            append(folder, f"{pid(i)},{fmt(d - LIMIT_MIN * 60 - 1)},room-out")
            due[pid(i)] = d
    env = dict(os.environ, DUTY_AGENT_LOG_LEVEL="warning")
    agent_process = subprocess.Popen([agent, "run", "--config", os.path.join(folder, "agent.toml")], env=env,
                                     stderr=open(os.path.join(folder, "agent.err"), "w"))
    try:
        if mode == "nudge":
            time.sleep(8)
            for i in range(n):
                now = time.time()
                append(folder, f"{pid(i)},{fmt(int(now) - LIMIT_MIN * 60 - 1)},room-out")
                due[pid(i)] = now
                time.sleep(spacing * random.uniform(0.5, 1.5))  # no phase lock with the 1-s watcher
        if mode == "push":
            time.sleep(8)
            adms("GET", adms_port, "/iclock/cdata?SN=BENCHOUT01&options=all&pushver=2.4.1")
            for i in range(n):
                now = time.time()
                line = f"{pid(i)}\t{fmt(int(now) - LIMIT_MIN * 60 - 1)}\t1\t1\t0\t0\t0\t0\t0\t0\n"
                due[pid(i)] = now
                answer = adms("POST", adms_port, f"/iclock/cdata?SN=BENCHOUT01&table=ATTLOG&Stamp={i + 1}", line)
                if answer != "OK: 1":
                    print(f"push: upload {i + 1} answered {answer!r}", file=sys.stderr)
                time.sleep(spacing * random.uniform(0.5, 1.5))
        deadline = time.time() + max(due.values()) - time.time() + 60
        while len(received(folder)) < n and time.time() < deadline:
            time.sleep(0.2)
    finally:
        agent_process.send_signal(signal.SIGTERM)
        agent_process.wait(timeout=30)
        receiver.terminate()
    got = received(folder)
    delays = [got[p] - due[p] for p in due if p in got]
    missing = n - len(delays)
    shutil.rmtree(folder, ignore_errors=True)
    return delays, missing


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--agent", default=os.path.join(ROOT, ".build/debug/duty-agent"))
    p.add_argument("--alerts", type=int, default=40)
    p.add_argument("--spacing", type=float, default=None)
    p.add_argument("--modes", default="scan,nudge,push")
    args = p.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    for mode in args.modes.split(","):
        spacing = args.spacing or (3.0 if mode == "scan" else 1.5)
        started = time.strftime("%H:%M:%S", time.gmtime())
        delays, missing = run_mode(mode, args.agent, args.alerts, spacing)
        load = os.getloadavg()[0]
        if not delays:
            print(f"{mode}: no alert received ({missing} missing)")
            continue
        print(f"{mode:5} ({started} UTC, {len(delays)} alerts, {missing} missing, load {load:.2f}): "
              f"p50 {percentile(delays, 50):.2f} s, p90 {percentile(delays, 90):.2f} s, "
              f"p99 {percentile(delays, 99):.2f} s, max {max(delays):.2f} s")


if __name__ == "__main__":
    main()
