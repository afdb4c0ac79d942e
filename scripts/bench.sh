#!/usr/bin/env bash
# Benchmark of `duty-agent check` on a one-year, 5,000-person office (about 3 million punches):
# punches per second, peak RSS, and the ratio of its wall time to `wc -l` over the same badge files,
# for every digest format.
#
# usage: scripts/bench.sh
# environment:
#   BENCH_SHAPE    readers (default): six attlog files, one per reader, 3% anomaly rate (issue 2);
#                  one-file: issue 12's office, every punch in one attlog file (about 3.24 million
#                  punches, 123 MB), 10% of day shifts anomalous, more lunch swipes
#   BENCH_OFFICE   where the office is generated (default ${TMPDIR:-/tmp}/dutywatch-bench-office,
#                  or dutywatch-bench-onefile for the one-file shape); reused when it holds truth.json
#   BENCH_PEOPLE, BENCH_DAYS, BENCH_START   the office's size (default 5000, 365, 2025-01-01)
#   BENCH_FORMATS        the digest formats measured (default "json csv markdown table")
#   BENCH_AGENT          the duty-agent binary to measure (default the release build; implies no build)
#   BENCH_SKIP_BUILD=1   use the release binary already built
#   BENCH_RUNS           how many timed runs per format (default 3; the median and the best are printed)
#   BENCH_VERIFY=1       also run check once more to a JSON file and compare it with truth.json
set -euo pipefail
cd "$(dirname "$0")/.."

shape=${BENCH_SHAPE:-readers}
case "$shape" in
    readers)  shape_args=(); default_office=dutywatch-bench-office ;;
    one-file) shape_args=(--one-file --anomaly-rate 0.10 --lunch-rate 0.35); default_office=dutywatch-bench-onefile ;;
    *) echo "bench: BENCH_SHAPE is readers or one-file, not $shape" >&2; exit 2 ;;
esac
office=${BENCH_OFFICE:-${TMPDIR:-/tmp}/$default_office}
people=${BENCH_PEOPLE:-5000}
days=${BENCH_DAYS:-365}
start=${BENCH_START:-2025-01-01}
read -r -a formats <<< "${BENCH_FORMATS:-json csv markdown table}"

if [[ -n "${BENCH_AGENT:-}" ]]; then
    agent=$BENCH_AGENT
else
    if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
        echo "== building release (swift build -c release --product duty-agent)"
        swift build -c release --product duty-agent
    fi
    agent="$(swift build -c release --show-bin-path)/duty-agent"
fi
[[ -x "$agent" ]] || { echo "bench: no duty-agent at $agent" >&2; exit 1; }

if [[ ! -f "$office/truth.json" ]]; then
    echo "== generating $people people x $days days from $start into $office ($shape)"
    python3 scripts/generate-office.py --people "$people" --days "$days" --start "$start" \
        --readers 4 --seed 1 "${shape_args[@]}" --out "$office"
fi
read -r from to punches < <(python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
print(t["from"], t["to"], t["counts"]["punches"])' "$office/truth.json")
badges=("$office"/badges/*.dat)

now() { date +%s.%N; }
wc -l "${badges[@]}" > /dev/null                      # warm the page cache for both runs
t0=$(now)
lines=$(wc -l "${badges[@]}" | awk '$2 != "total" { s += $1 } END { print s }')
t1=$(now)
wc_seconds=$(python3 -c "print(f'{$t1 - $t0:.3f}')")

# Wall time, CPU time and peak RSS of the agent: /usr/bin/time -v, else python's getrusage.
measure() {
    if [[ ! -x /usr/bin/time ]] && command -v apt-get > /dev/null && [[ $(id -u) == 0 ]]; then
        apt-get install -y -qq time > /dev/null 2>&1 || true
    fi
    if [[ -x /usr/bin/time ]]; then
        /usr/bin/time -v "$@" 2> "$office/time.txt" > /dev/null
        python3 - "$office/time.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def field(name):
    return re.search(re.escape(name) + r": (.*)", text).group(1).strip()
parts = [float(p) for p in field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")]
wall = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
print(f"{wall:.3f} {cpu:.3f} {int(field('Maximum resident set size (kbytes)')) / 1024:.1f} {field('Exit status')}")
PY
    else
        python3 - "$@" <<'PY'
import os, subprocess, sys, time
t0 = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
wall = time.perf_counter() - t0
print(f"{wall:.3f} {usage.ru_utime + usage.ru_stime:.3f} {usage.ru_maxrss / 1024:.1f} {os.waitstatus_to_exitcode(status)}")
PY
    fi
}

runs=${BENCH_RUNS:-3}
echo "== $agent"
echo "== office $office ($shape): load average $(cut -d' ' -f1-3 /proc/loadavg 2> /dev/null || echo "?")"
summary=()
for format in "${formats[@]}"; do
    echo "== duty-agent check --from $from --to $to --format $format --output /dev/null ($runs runs)"
    results=()
    for ((i = 1; i <= runs; i++)); do
        load=$(cut -d' ' -f1 /proc/loadavg 2> /dev/null || echo "?")
        read -r wall cpu rss status < <(measure "$agent" check --config "$office/agent.toml" \
            --from "$from" --to "$to" --format "$format" --output /dev/null)
        if [[ "$status" != 0 ]]; then
            echo "bench: duty-agent check --format $format exited $status" >&2
            [[ -f "$office/time.txt" ]] && tail -5 "$office/time.txt" >&2
            exit 1
        fi
        echo "   run $i: wall $wall s, cpu $cpu s, peak RSS $rss MB (load average before: $load)"
        results+=("$wall $cpu $rss")
    done
    summary+=("$format ${results[*]}")
done

python3 - "$punches" "$lines" "$wc_seconds" "$runs" "${summary[@]}" <<'PY'
import statistics, sys
punches, lines, wc, n = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
print(f"badge lines        {lines:,} ({punches:,} punches)")
print(f"wc -l              {wc:.3f} s")
medians = {}
for entry in sys.argv[5:]:
    fmt, *values = entry.split()
    runs = [tuple(float(x) for x in values[i:i + 3]) for i in range(0, 3 * n, 3)]
    wall = statistics.median(r[0] for r in runs)
    best = min(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    rss = max(r[2] for r in runs)
    medians[fmt] = cpu
    print(f"--format {fmt}")
    print(f"  check wall       {wall:.3f} s median, {best:.3f} s best   (cpu {cpu:.3f} s median)")
    print(f"  punches/s        {punches / wall:,.0f} wall (median), {punches / best:,.0f} (best), "
          f"{punches / cpu:,.0f} per cpu-second   (target >= 2,000,000 for json)")
    print(f"  peak RSS         {rss:.1f} MB   (target < 256 MB)")
    print(f"  check / wc -l    {wall / wc:.0f}x (median wall)")
if len(medians) > 1:
    fastest = min(medians.values())
    print("cpu against the fastest format (target: each within 20%): "
          + ", ".join(f"{f} +{(c / fastest - 1) * 100:.0f}%" for f, c in medians.items()))
PY

if [[ "${BENCH_VERIFY:-0}" == 1 ]]; then
    echo "== verifying the output against truth.json"
    "$agent" check --config "$office/agent.toml" --from "$from" --to "$to" --format json --output "$office/check.json"
    python3 scripts/compare-truth.py "$office/truth.json" "$office/check.json" | tail -15
fi
