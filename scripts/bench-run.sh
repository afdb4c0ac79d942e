#!/usr/bin/env bash
# Benchmark of `duty-agent run` over years of history in growing attlog files: how long the daemon
# takes to decide one new day appended to the files, and its peak memory, for 1 and 5 years.
#
# For each history length an office is generated ending yesterday (site time); the lines of the last
# working day (from its first line on, with the weekend's after it, if any) are held back. Then, per binary:
#   1. `run` starts on the held-back files with an empty spool and decides the history (the first
#      read: every date of history_days is judged); it is stopped once that is spooled;
#   2. `run` starts again (a restart: the saved input state is used by a binary that has one) and,
#      once its first scan is done, the held-back lines are appended to the files;
#   3. the time until the new day's summary is in the spool, the CPU time the agent spent on it,
#      and its peak resident memory (VmHWM: the whole life of the second process) are printed.
# No test asserts a timing.
#
# usage: scripts/bench-run.sh [BINARY...]    (default: the release duty-agent of this tree)
#   a BINARY may be NAME=PATH to label it (e.g. before=/tmp/duty-agent-main after=.build/release/duty-agent)
# environment:
#   BENCH_RUN_DIR      where offices are generated (default ${TMPDIR:-/tmp}/dutywatch-bench-run); reused
#   BENCH_PEOPLE       people per office (default 1000)
#   BENCH_YEARS        history lengths in years (default "1 5")
#   BENCH_SKIP_BUILD=1 use the release binary already built
#   BENCH_GENERATE_ONLY=1  generate the offices and stop
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

dir=${BENCH_RUN_DIR:-${TMPDIR:-/tmp}/dutywatch-bench-run}
people=${BENCH_PEOPLE:-1000}
years=${BENCH_YEARS:-1 5}
mkdir -p "$dir"

binaries=("$@")
if [[ ${#binaries[@]} == 0 && "${BENCH_GENERATE_ONLY:-0}" != 1 ]]; then
    if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
        swift build -c release --product duty-agent
    fi
    binaries=("after=$(swift build -c release --show-bin-path)/duty-agent")
fi

today=$(TZ=Asia/Shanghai date +%F)
# The new day: the last working day (Monday to Friday) before today; the lines of the days after it
# (a weekend's few) come with it.
day=$(TZ=Asia/Shanghai date -d "$today - 1 day" +%F)
while [[ $(date -d "$day" +%u) -gt 5 ]]; do day=$(date -d "$day - 1 day" +%F); done

# Generates the office for $1 years once; prints its folder.
office_for() {
    local y=$1 days start out
    days=$((y * 365))
    start=$(TZ=Asia/Shanghai date -d "$today - $days days" +%F)
    out="$dir/office-${y}y-${people}p-$start"
    if [[ ! -f "$out/truth.json" ]]; then
        echo "== generating $people people x $days days from $start into $out" >&2
        rm -rf "$out"
        python3 scripts/generate-office.py --people "$people" --days "$days" --start "$start" \
            --readers 4 --seed 1 --out "$out" >&2
        # Poll every second, judge a year back, decide a date as soon as its windows have closed.
        python3 - "$out/agent.toml" <<'PY'
import sys
p = sys.argv[1]
text = open(p, encoding="utf-8").read()
text = text.replace('spool = "spool"\n', 'spool = "spool"\nscan_seconds = 1\nsettle_minutes = 0\nhistory_days = 366\n')
open(p, "w", encoding="utf-8").write(text)
PY
    fi
    # Hold back the new day: from the first line dated $day on.
    if [[ "$(cat "$out/base/.day" 2> /dev/null)" != "$day" ]]; then
        rm -rf "$out/base" "$out/newday"
        mkdir -p "$out/base" "$out/newday"
        for f in "$out"/badges/*.dat; do
            [[ -f "$out/all/$(basename "$f")" ]] || { mkdir -p "$out/all"; cp "$f" "$out/all/"; }
            python3 - "$out/all/$(basename "$f")" "$out/base/$(basename "$f")" "$out/newday/$(basename "$f")" "$day" <<'PY'
import sys
src, base, new, day = sys.argv[1:]
data = open(src, "rb").read()
at = data.find(("\t" + day + " ").encode())
cut = len(data) if at < 0 else data.rfind(b"\n", 0, at) + 1
open(base, "wb").write(data[:cut])
open(new, "wb").write(data[cut:])
PY
        done
        echo "$day" > "$out/base/.day"
    fi
    echo "$out"
}

# The agent's VmHWM / VmRSS (MB) and CPU seconds (utime + stime).
proc_mem() { awk -v k="$2:" '$1 == k { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
proc_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }

# Waits until file $1 holds a line matching $2 (at most $3 seconds).
wait_for() {
    local i
    for ((i = 0; i < $3 * 20; i++)); do
        if grep -q "$2" "$1" 2> /dev/null; then return 0; fi
        sleep 0.05
    done
    echo "bench-run: timed out waiting for '$2' in $1" >&2
    return 1
}

start_agent() {  # binary office log → pid
    DUTY_AGENT_TOKEN=bench DUTY_AGENT_LOG_LEVEL=debug DUTY_AGENT_RETRY_CAP_SECONDS=3600 \
        "$1" run --config "$2/agent.toml" > /dev/null 2> "$3" &
    echo $!
}

stop_agent() {
    kill -TERM "$1" 2> /dev/null || true
    wait "$1" 2> /dev/null || true
}

if [[ "${BENCH_GENERATE_ONLY:-0}" == 1 ]]; then
    for y in $years; do office_for "$y"; done
    exit 0
fi

printf "\n| history | binary | load before | punches | restart: first scan | new day: wall until spooled | new day: agent CPU | new day: scan (log) | held punches | VmRSS after | peak RSS (VmHWM) |\n"
printf "|---|---|---|---|---|---|---|---|---|---|---|\n"
for y in $years; do
    office=$(office_for "$y")
    punches=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["counts"]["punches"])' "$office/truth.json")
    for entry in "${binaries[@]}"; do
        name=${entry%%=*}; bin=${entry#*=}
        [[ "$name" == "$entry" ]] && name=$(basename "$bin")
        rm -rf "$office/spool"
        cp "$office"/base/*.dat "$office/badges/"
        # 1. The first read of the history, to have it decided and (for a binary that keeps one) a state.
        pid=$(start_agent "$bin" "$office" "$office/first.log")
        wait_for "$office/first.log" "inputs read" 1800
        sleep 3  # the summaries are offered to the spool and the state saved after the log line
        stop_agent "$pid"
        # 2. A restart, then the new day.
        load=$(cut -d' ' -f1 /proc/loadavg)
        t0=$(date +%s.%N)
        pid=$(start_agent "$bin" "$office" "$office/second.log")
        wait_for "$office/second.log" "inputs read" 1800
        t1=$(date +%s.%N)
        sleep 2  # a few idle scans: the CPU of one idle second is subtracted below
        c0=$(proc_cpu "$pid"); i0=$(date +%s.%N); sleep 2; c1=$(proc_cpu "$pid"); i1=$(date +%s.%N)
        idle=$(python3 -c "print(($c1 - $c0) / ($i1 - $i0))")
        before_cpu=$(proc_cpu "$pid")
        a0=$(date +%s.%N)
        for f in "$office"/newday/*.dat; do cat "$f" >> "$office/badges/$(basename "$f")"; done
        # Decided on the first run without a punch (all unverified), the day is now revision 2.
        until [[ -f "$office/spool/$day.r2.json" ]]; do sleep 0.02; done
        a1=$(date +%s.%N)
        sleep 1.5  # let the scan finish its offers
        after_cpu=$(proc_cpu "$pid")
        rss=$(proc_mem "$pid" VmRSS); hwm=$(proc_mem "$pid" VmHWM)
        scan=$(grep "inputs read" "$office/second.log" | tail -1 | grep -o 'duty.scan_ms=[0-9]*' | cut -d= -f2 || true)
        held=$(grep "inputs read" "$office/second.log" | tail -1 | grep -o 'duty.held_punches=[0-9]*' | cut -d= -f2 || true)
        stop_agent "$pid"
        python3 - "$y" "$name" "$load" "$punches" "$t0" "$t1" "$a0" "$a1" "$before_cpu" "$after_cpu" "$idle" \
            "${scan:-}" "${held:-}" "$rss" "$hwm" <<'PY'
import sys
y, name, load, punches, t0, t1, a0, a1, c0, c1, idle, scan, held, rss, hwm = sys.argv[1:]
restart = float(t1) - float(t0)
wall = float(a1) - float(a0)
cpu = max(0.0, float(c1) - float(c0) - float(idle) * (wall + 1.5))
scan = f"{int(scan) / 1000:.2f} s" if scan else "(not logged)"
held = f"{int(held):,}" if held else "(all)"
print(f"| {y} year(s) | {name} | {load} | {int(punches):,} | {restart:.2f} s | {wall:.2f} s (scans every 1 s) "
      f"| {cpu:.2f} s | {scan} | {held} | {float(rss):.1f} MB | {float(hwm):.1f} MB |")
PY
    done
done
