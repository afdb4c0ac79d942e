#!/usr/bin/env python3
"""Turns the RESULT lines of scripts/bench-collector-*.sh into Markdown tables.

  scripts/bench-collector-table.py [RESULTS_FILE] [--since 2026-11-26T17:00]

RESULTS_FILE defaults to /tmp/dutywatch-bench/results.txt; --since keeps the lines from that
UTC time on. Prints one table for ingest runs and one for bulletin runs.
"""
import shlex
import sys


def parse(line):
    fields = shlex.split(line.strip())
    row = {"time": fields[0], "bench": fields[1]}
    for f in fields[2:]:
        if "=" in f:
            k, v = f.split("=", 1)
            row[k] = v
    return row


def main():
    args = sys.argv[1:]
    since = ""
    if "--since" in args:
        i = args.index("--since")
        since = args[i + 1]
        del args[i:i + 2]
    path = args[0] if args else "/tmp/dutywatch-bench/results.txt"
    rows = [parse(l) for l in open(path, encoding="utf-8") if l.strip()]
    rows = [r for r in rows if r["time"] >= since]
    ingest = [r for r in rows if r["bench"] == "ingest"]
    bulletin = [r for r in rows if r["bench"] == "bulletin"]
    if ingest:
        print("| UTC | Database | Connections | Log level | Stored/s (201) | p50 ms | p90 ms | p99 ms | Non-2xx | "
              "Collector CPU (cores) | wrk CPU | Machine busy | Load avg before -> after |")
        print("| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        for r in ingest:
            print(f"| {r['time'][11:16]} | {r['db']} | {r['connections']} | {r['log_level']} | "
                  f"**{float(r['created_per_s']):,.0f}** | {r['p50_ms']} | {r['p90_ms']} | {r['p99_ms']} | {r['other']} | "
                  f"{r['server_cpu_cores']} | {r.get('wrk_cpu_cores', '-')} | {r.get('machine_busy', '-')} | "
                  f"{r['load_before']} -> {r['load_after']} |")
        print()
    if bulletin:
        print("| UTC | Database | Format | Median s | Runs (s) | Output bytes | Load avg |")
        print("| --- | --- | --- | ---: | --- | ---: | --- |")
        for r in bulletin:
            print(f"| {r['time'][11:16]} | {r['db']} | {r['format']} | **{r['median_s']}** | {r['runs_s']} | "
                  f"{int(r['output_bytes']):,} | {r['load']} |")


if __name__ == "__main__":
    main()
