#!/usr/bin/env bash
# Benchmark of `duty-agent run` over years of history in growing attlog files: how long the daemon
# takes to decide one new day appended to the files, and its peak memory, for 1 and 5 years.
#
# For each history length an office is generated ending yesterday (site time); the lines of the last
# two working days (with a weekend's after them, if any) are held back. Then, per binary:
#   1. `run` starts on the rest with an empty spool, decides the history (every date of history_days
#      is judged: the first read) and is stopped;
#   2. the first held-back day is appended and `run` starts again: a restart with a new day waiting
#      (a binary that saved its input state reads the files once, chunk by chunk, to hold the dates
#      it needs). Printed: the time from the start to the day's summary in the spool, the CPU time
#      and the peak resident memory (VmHWM) so far;
#   3. the running daemon gets the second day appended: the time until its summary is in the spool
#      (scans run every second, so up to 1 s of it is waiting for the next scan), the CPU time the
#      agent spent (less its idle rate), the judging's own time from the debug log (a binary that
#      logs it), the punches it holds, and its resident memory after.
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
# The new days: the last two working days (Monday to Friday) before today; the lines of the days
# after the second (a weekend's few) come with it.
day2=$(TZ=Asia/Shanghai date -d "$today - 1 day" +%F)
while [[ $(date -d "$day2" +%u) -gt 5 ]]; do day2=$(date -d "$day2 - 1 day" +%F); done
day1=$(date -d "$day2 - 1 day" +%F)
while [[ $(date -d "$day1" +%u) -gt 5 ]]; do day1=$(date -d "$day1 - 1 day" +%F); done
day="$day1 $day2"

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
    # Hold back the new days: part1 from the first line dated $day1, part2 from the first dated $day2.
    if [[ "$(cat "$out/base/.day" 2> /dev/null)" != "$day" ]]; then
        rm -rf "$out/base" "$out/part1" "$out/part2" "$out/newday"
        mkdir -p "$out/base" "$out/part1" "$out/part2"
        for f in "$out"/badges/*.dat; do
            n=$(basename "$f")
            [[ -f "$out/all/$n" ]] || { mkdir -p "$out/all"; cp "$f" "$out/all/"; }
            python3 - "$out/all/$n" "$out/base/$n" "$out/part1/$n" "$out/part2/$n" $day <<'PY'
import sys
src, base, one, two, day1, day2 = sys.argv[1:]
data = open(src, "rb").read()
def cut(day):
    at = data.find(("\t" + day + " ").encode())
    return len(data) if at < 0 else data.rfind(b"\n", 0, at) + 1
a, b = cut(day1), cut(day2)
b = max(a, b)
open(base, "wb").write(data[:a])
open(one, "wb").write(data[a:b])
open(two, "wb").write(data[b:])
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

stop_agent() {  # the agent is not this shell's child (started in $(…)): wait until it is gone
    kill -TERM "$1" 2> /dev/null || true
    while kill -0 "$1" 2> /dev/null; do sleep 0.1; done
}

if [[ "${BENCH_GENERATE_ONLY:-0}" == 1 ]]; then
    for y in $years; do office_for "$y"; done
    exit 0
fi

# Appends part $1 of the held-back lines to the badge files.
append_part() { for f in "$office/part$1"/*.dat; do cat "$f" >> "$office/badges/$(basename "$f")"; done; }

# Waits for spool file $1, then prints the seconds since $2.
until_spooled() {
    until [[ -f "$office/spool/$1" ]]; do sleep 0.02; done
    python3 -c "import time; print(f'{time.time() - $2:.2f}')"
}

printf "\n| history | binary | load before | punches | restart + new day: wall until spooled | restart + new day: CPU | restart: peak RSS | new day: wall until spooled | new day: agent CPU | new day: judging (log) | held punches | VmRSS after | peak RSS since restart |\n"
printf "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
for y in $years; do
    office=$(office_for "$y")
    punches=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["counts"]["punches"])' "$office/truth.json")
    for entry in "${binaries[@]}"; do
        name=${entry%%=*}; bin=${entry#*=}
        [[ "$name" == "$entry" ]] && name=$(basename "$bin")
        rm -rf "$office/spool"
        cp "$office"/base/*.dat "$office/badges/"
        # 1. The first read of the history (every date of history_days judged), then a stop.
        pid=$(start_agent "$bin" "$office" "$office/first.log")
        wait_for "$office/first.log" "inputs read" 1800
        sleep 3  # the summaries are offered to the spool and the state saved after the log line
        stop_agent "$pid"
        # 2. A restart with the first new day waiting in the files (decided without punches on the
        #    first read, so it becomes revision 2).
        load=$(cut -d' ' -f1 /proc/loadavg)
        append_part 1
        t0=$(python3 -c 'import time; print(time.time())')
        pid=$(start_agent "$bin" "$office" "$office/second.log")
        restart_wall=$(until_spooled "$day1.r2.json" "$t0")
        sleep 2
        restart_cpu=$(proc_cpu "$pid"); restart_hwm=$(proc_mem "$pid" VmHWM)
        # 3. The running daemon gets the second new day.
        c0=$(proc_cpu "$pid"); i0=$(date +%s.%N); sleep 2; c1=$(proc_cpu "$pid"); i1=$(date +%s.%N)
        idle=$(python3 -c "print(($c1 - $c0) / ($i1 - $i0))")
        before_cpu=$(proc_cpu "$pid")
        a0=$(python3 -c 'import time; print(time.time())')
        append_part 2
        wall=$(until_spooled "$day2.r2.json" "$a0")
        sleep 1.5  # let the scan finish its offers
        after_cpu=$(proc_cpu "$pid")
        rss=$(proc_mem "$pid" VmRSS); hwm=$(proc_mem "$pid" VmHWM)
        scan=$(grep "inputs read" "$office/second.log" | tail -1 | grep -o 'duty.scan_ms=[0-9]*' | cut -d= -f2 || true)
        held=$(grep "inputs read" "$office/second.log" | tail -1 | grep -o 'duty.held_punches=[0-9]*' | cut -d= -f2 || true)
        stop_agent "$pid"
        python3 - "$y" "$name" "$load" "$punches" "$restart_wall" "$restart_cpu" "$restart_hwm" "$wall" \
            "$before_cpu" "$after_cpu" "$idle" "${scan:-}" "${held:-}" "$rss" "$hwm" <<'PY'
import sys
y, name, load, punches, rwall, rcpu, rhwm, wall, c0, c1, idle, scan, held, rss, hwm = sys.argv[1:]
cpu = max(0.0, float(c1) - float(c0) - float(idle) * (float(wall) + 1.5))
scan = f"{int(scan) / 1000:.2f} s" if scan else "(not logged)"
held = f"{int(held):,}" if held else "(all)"
print(f"| {y} year(s) | {name} | {load} | {int(punches):,} | {rwall} s | {float(rcpu):.2f} s | {float(rhwm):.1f} MB "
      f"| {wall} s | {cpu:.2f} s | {scan} | {held} | {float(rss):.1f} MB | {float(hwm):.1f} MB |")
PY
    done
done
