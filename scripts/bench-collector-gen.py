#!/usr/bin/env python3
"""Generates day summaries for the collector's benchmarks.

Two modes, both deterministic (fixed seed) and both writing one summary per line:

  ingest  --agents N --dates D --threads T [--no-day-punches] --out DIR
      N agents x D distinct dates, each summary with 10 units, 5 anomalies with evidence and one
      data-quality item, and (wire schema 3, as the agent sends them) the day punches of the
      people with an anomaly: every punch of their day, 6 punches over the 5 person-days here
      (about 4.7 KB; 3.7 KB as schema 1 with --no-day-punches). Writes DIR/agents.tsv (agent id, unit prefix) and
      DIR/bodies-K.tsv for K in 1..T: lines "agent<TAB>json", every (agent, date) exactly once,
      spread round-robin over the T files (one per wrk thread).

  month   --month YYYY-MM --agents 50 --units-per-agent 4 --people 100000 --rate 0.04 --out DIR
      One summary per agent and day for the month (and, with --previous, for the month before, so
      the bulletin's month-on-month change has data): the people are spread evenly over
      agents x units-per-agent units; every person is scheduled on weekdays, about 5% of them
      (duty staff) on weekends; about RATE of scheduled person-days carry an anomaly, drawn from
      a skewed distribution of people so that repeat cases exist. Writes DIR/agents.tsv and
      DIR/bodies-1.tsv.

The digest is SHA-256 over the canonical JSON (sorted keys, no escaped slashes, UTF-8 unescaped,
compact) of {schema, agent, site, date, units, anomalies, quality} and day_punches when there
are some, exactly what
DaySummary.contentDigest() computes in Sources/Shared/DaySummary.swift; `--check FILE` recomputes
the digest of a JSON summary (e.g. Tests/DutyCollectorTests/Fixtures/wire/summary-v1.json) and
exits 1 when it differs from the stored one.
"""
import argparse
import calendar
import datetime as dt
import hashlib
import json
import os
import random
import sys

BUREAU = "市场监管局"
KINDS = ["late", "early_leave", "missing_in", "missing_out", "absent", "off_post"]
KIND_WEIGHTS = [52, 20, 11, 11, 3, 3]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_digest(summary):
    content = {k: summary[k] for k in ("schema", "agent", "site", "date", "units", "anomalies", "quality", "day_punches")
               if k in summary}
    return hashlib.sha256(canonical(content).encode("utf-8")).hexdigest()


def stable_id(site, person, date, shift, kind, start):
    key = "\x1f".join([site, person, date, shift, kind, start])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def hhmm(minute_of_day):
    return f"{minute_of_day // 60:02d}:{minute_of_day % 60:02d}:00"


def person_name(n):
    return SURNAMES[n % len(SURNAMES)] + GIVEN[(n // 7) % len(GIVEN)] + GIVEN[(n // 131) % len(GIVEN)]


def anomaly(rng, agent, unit, person, date, kind, line):
    start, end = f"{date}T08:30:00", f"{date}T17:30:00"
    a = {"id": stable_id(agent, person, date, "day", kind, start), "person": person,
         "name": person_name(int(person)), "unit": unit, "date": date, "shift": "day", "duty": False,
         "kind": kind, "minutes": 0, "severity": "minor", "excused": False,
         "expected_start": start, "expected_end": end, "evidence": []}
    ev = lambda t, d: {"file": f"punches/{date[:7]}.csv", "line": line, "time": f"{date}T{t}",
                       "reader": "大门-1", "direction": d}
    if kind == "late":
        m = rng.choice([3, 5, 8, 12, 17, 25, 40] * 2 + [65])
        a["minutes"] = m
        a["evidence"] = [ev(hhmm(8 * 60 + 30 + m), "in")]
        if m >= 60:
            a["severity"] = "serious"
    elif kind == "early_leave":
        m = rng.choice([10, 20, 30, 45] * 2 + [90])
        a["minutes"] = m
        a["evidence"] = [ev(hhmm(17 * 60 + 30 - m), "out")]
        if m >= 60:
            a["severity"] = "serious"
    elif kind == "missing_in":
        a["evidence"] = [ev("17:35:00", "out")]
    elif kind == "missing_out":
        a["evidence"] = [ev("08:21:00", "in")]
    elif kind == "absent":
        a["minutes"], a["severity"] = 480, "serious"
    else:  # off_post
        m = rng.choice([35, 50, 95, 150])
        a["minutes"], a["severity"] = m, ("critical" if m > 120 else "serious")
        a["away_from"], a["away_to"] = f"{date}T10:05:00", f"{date}T{hhmm(10 * 60 + 5 + m)}"
        a["evidence"] = [ev("10:05:00", "out"), ev(hhmm(10 * 60 + 5 + m), "in")]
    if kind in ("late", "early_leave") and rng.random() < 0.08:
        a["excused"], a["reason"] = True, "事假(半天)"
    return a


def summary(agent, date, units, anomalies, quality, revision=1, day_punches=None):
    s = {"schema": 3 if day_punches else 1, "agent": agent, "site": agent, "date": date, "revision": revision,
         "generated_at": f"{date}T23:30:00Z", "units": sorted(units, key=lambda u: u["unit"]),
         "anomalies": anomalies, "quality": quality}
    if day_punches:
        s["day_punches"] = day_punches
    s["digest"] = content_digest(s)
    return s


def day_punches(anomalies):
    """The agent's day_punches for these anomalies: one entry per person with an anomaly, sorted by
    person, every punch of their day in time order (an absent person's entry has none). The
    person's punches here are those of their anomalies' evidence plus the other end of the day:
    a late arrival also left at 17:3x, an early leaver arrived at 08:2x (what an office's badge
    file holds for such a day)."""
    punches = {}
    for a in anomalies:
        day = punches.setdefault(a["person"], [])
        day.extend(a["evidence"])
        date, ev = a["date"], a["evidence"]
        if a["kind"] == "late":
            day.append(dict(ev[0], time=f"{date}T17:36:00", direction="out", line=ev[0]["line"] + 400))
        elif a["kind"] == "early_leave":
            day.append(dict(ev[0], time=f"{date}T08:24:00", direction="in", line=ev[0]["line"] - 60))
    return [{"omitted": 0, "person": p, "punches": sorted(punches[p], key=lambda e: (e["time"], e["file"], e["line"]))}
            for p in sorted(punches)]


def unit_figures(unit, scheduled, anomalies):
    kinds = {}
    absent = 0
    for a in anomalies:
        if a["excused"]:  # partial leave: the instance is still judged, only the anomaly is excused
            continue
        k = kinds.setdefault(a["kind"], {"count": 0, "minutes": 0})
        k["count"] += 1
        k["minutes"] += a["minutes"]
        absent += a["kind"] == "absent"
    return {"unit": unit, "scheduled": scheduled, "present": scheduled - absent, "excused": 0,
            "unverified": 0, "kinds": kinds}


def gen_ingest(args):
    rng = random.Random(20261126)
    os.makedirs(args.out, exist_ok=True)
    files = [open(os.path.join(args.out, f"bodies-{k + 1}.tsv"), "w", encoding="utf-8") for k in range(args.threads)]
    with open(os.path.join(args.out, "agents.tsv"), "w", encoding="utf-8") as f:
        for i in range(args.agents):
            f.write(f"bench-{i:03d}\t{BUREAU}/分局{i:03d}\n")
    start = dt.date(2020, 1, 1)
    n = 0
    for d in range(args.dates):
        date = (start + dt.timedelta(days=d)).isoformat()
        for i in range(args.agents):
            agent, prefix = f"bench-{i:03d}", f"{BUREAU}/分局{i:03d}"
            units = [f"{prefix}/科室{u:02d}" for u in range(10)]
            picked = [(units[rng.randrange(10)], str(100000 + i * 1000 + rng.randrange(1000)), KINDS[j % 6])
                      for j in range(5)]
            anomalies = [anomaly(rng, agent, u, p, date, k, 100 + j) for j, (u, p, k) in enumerate(picked)]
            figs = [unit_figures(u, 40 + rng.randrange(20), [a for a in anomalies if a["unit"] == u]) for u in units]
            quality = [{"kind": "bad_line", "file": f"punches/{date[:7]}.csv", "line": 77,
                        "message": "第77行: 时间 \"25:61\" 无法识别，已跳过"}]
            days = None if args.no_day_punches else day_punches(anomalies)
            body = canonical(summary(agent, date, figs, anomalies, quality, day_punches=days))
            files[n % args.threads].write(f"{agent}\t{body}\n")
            n += 1
    for f in files:
        f.close()
    print(f"{n} summaries in {args.threads} file(s) under {args.out}", file=sys.stderr)


def gen_month(args):
    rng = random.Random(202611)
    os.makedirs(args.out, exist_ok=True)
    nunits = args.agents * args.units_per_agent
    per_unit = args.people // nunits
    with open(os.path.join(args.out, "agents.tsv"), "w", encoding="utf-8") as f:
        for i in range(args.agents):
            f.write(f"bench-{i:03d}\t{BUREAU}/分局{i:03d}\n")
    year, month = map(int, args.month.split("-"))
    months = [(year, month)]
    if args.previous:
        months.insert(0, (year - 1, 12) if month == 1 else (year, month - 1))
    # Skewed odds per person: a few habitual offenders, most people rarely anything.
    weight = [rng.paretovariate(1.3) for _ in range(per_unit)]
    total_w = sum(weight)
    stats = {"summaries": 0, "scheduled": 0, "anomalies": 0}
    with open(os.path.join(args.out, "bodies-1.tsv"), "w", encoding="utf-8") as out:
        for (y, m) in months:
            for day in range(1, calendar.monthrange(y, m)[1] + 1):
                d = dt.date(y, m, day)
                date = d.isoformat()
                weekend = d.weekday() >= 5
                for i in range(args.agents):
                    agent, prefix = f"bench-{i:03d}", f"{BUREAU}/分局{i:03d}"
                    figs, anomalies = [], []
                    for u in range(args.units_per_agent):
                        unit = f"{prefix}/科室{u:02d}"
                        base = 100000 + (i * args.units_per_agent + u) * per_unit
                        scheduled = per_unit // 20 if weekend else per_unit
                        expected = scheduled * args.rate
                        count = int(expected) + (rng.random() < expected - int(expected))
                        people = set()
                        while len(people) < count:
                            k = bisect_weights(cum_weights(weight), rng.random() * total_w)
                            if weekend:
                                k = k % max(1, scheduled)
                            people.add(k)
                        unit_anoms = [anomaly(rng, agent, unit, str(base + k), date,
                                              rng.choices(KINDS, KIND_WEIGHTS)[0], 1000 + k) for k in sorted(people)]
                        figs.append(unit_figures(unit, scheduled, unit_anoms))
                        anomalies += unit_anoms
                        stats["scheduled"] += scheduled
                    quality = []
                    if rng.random() < 0.05:
                        quality.append({"kind": "reader_silent", "date": date, "reader": "后门", "count": 3,
                                        "message": "读卡器 后门 07:00–12:00 无记录，3 个班次未判定"})
                    out.write(f"{agent}\t{canonical(summary(agent, date, figs, anomalies, quality))}\n")
                    stats["summaries"] += 1
                    stats["anomalies"] += len(anomalies)
    stats["units"] = nunits
    stats["people"] = per_unit * nunits
    print(json.dumps(stats), file=sys.stderr)


_cum = None


def cum_weights(weight):
    global _cum
    if _cum is None:
        acc, _cum = 0.0, []
        for w in weight:
            acc += w
            _cum.append(acc)
    return _cum


def bisect_weights(cum, r):
    import bisect
    return min(bisect.bisect_left(cum, r), len(cum) - 1)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", choices=["ingest", "month", "check"])
    p.add_argument("--out", default="/tmp/dutywatch-bench")
    p.add_argument("--agents", type=int, default=50)
    p.add_argument("--dates", type=int, default=1200)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--month", default="2026-10")
    p.add_argument("--previous", action="store_true")
    p.add_argument("--units-per-agent", type=int, default=4)
    p.add_argument("--people", type=int, default=100000)
    p.add_argument("--rate", type=float, default=0.04)
    p.add_argument("--file")
    p.add_argument("--no-day-punches", action="store_true",
                   help="ingest: wire schema 1 bodies, without day_punches (as agents before schema 3 sent them)")
    args = p.parse_args()
    if args.mode == "check":
        s = json.load(open(args.file, encoding="utf-8"))
        got = content_digest(s)
        print(f"{got} computed\n{s['digest']} stored")
        sys.exit(0 if got == s["digest"] else 1)
    (gen_ingest if args.mode == "ingest" else gen_month)(args)


if __name__ == "__main__":
    main()
