#!/usr/bin/env bash
# The collector's CPU time per stored summary: steadier on a busy, shared machine than the rate
# (scripts/bench-collector-ingest.sh), which falls with whatever else runs. (valgrind's callgrind
# would count instructions, but valgrind 3.19 cannot read the Swift binary's DWARF 5 and crashes on
# a stripped one; this machine's perf has no hardware counters.)
#
# Starts `duty-collector serve` on a fresh SQLite file (or PostgreSQL database: the collector's CPU
# only, not the server's), posts BENCH_WARMUP summaries uncounted, then BENCH_COUNTED summaries
# with 8 keep-alive clients (scripts/bench-collector-post.py) and reads the collector's user+system
# CPU time before and after from /proc. With BENCH_PERF=1 the counted part is also recorded with
# `perf record -g` into $BENCH_DIR/cpu-KIND.perf.data.
#
# Usage:  scripts/bench-collector-cpu.sh [sqlite|postgres]
# Settings: BENCH_WARMUP (200), BENCH_COUNTED (3000), BENCH_LABEL (names the binary in the RESULT
# line), plus those of scripts/bench-collector-lib.sh. The data is scripts/bench-collector-ingest.sh's.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-collector-lib.sh

KIND="${1:-sqlite}"
WARMUP="${BENCH_WARMUP:-200}"
COUNTED="${BENCH_COUNTED:-3000}"
LABEL="${BENCH_LABEL:-$BENCH_BIN}"
export DUTY_COLLECTOR_LOG_LEVEL="${BENCH_LOG_LEVEL:-info}"
need_tools "$KIND"
ensure_binary
mkdir -p "$BENCH_DIR"
DATA="$(ingest_data 50 1200 2)"
awk -v w="$WARMUP" 'NR <= w' "$DATA/bodies-1.tsv" > "$BENCH_DIR/cpu-warmup.tsv"
awk -v w="$WARMUP" -v n="$COUNTED" 'NR > w && NR <= w + n' "$DATA/bodies-1.tsv" > "$BENCH_DIR/cpu-counted.tsv"

URL="$(database_url "$KIND" bench_cpu)"
CONFIG="$BENCH_DIR/cpu-$KIND.toml"
write_config "$CONFIG" "$URL"
add_agents "$CONFIG" "$DATA/agents.tsv" "$DATA/tokens.tsv"
trap stop_server EXIT
start_server "$CONFIG" "$BENCH_DIR/cpu-$KIND-server.log"
post() { python3 scripts/bench-collector-post.py --url "http://127.0.0.1:$BENCH_PORT" --tokens "$DATA/tokens.tsv" --concurrency 8 "$1"; }
post "$BENCH_DIR/cpu-warmup.tsv" > /dev/null
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
PERF_PID=""
if [ "${BENCH_PERF:-0}" = 1 ]; then
    perf record -g -F 499 -p "$SERVER_PID" -o "$BENCH_DIR/cpu-$KIND.perf.data" 2> /dev/null &
    PERF_PID=$!
    sleep 1
fi
CPU_BEFORE="$(cpu_seconds "$SERVER_PID")"
POSTED="$(post "$BENCH_DIR/cpu-counted.tsv")"
CPU_AFTER="$(cpu_seconds "$SERVER_PID")"
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "$PERF_PID" ]; then kill -INT "$PERF_PID"; wait "$PERF_PID" || true; fi
stop_server
echo "$POSTED" >&2
MS="$(awk -v a="$CPU_BEFORE" -v b="$CPU_AFTER" -v n="$COUNTED" 'BEGIN {printf "%.3f", (b - a) * 1000 / n}')"
LINE="$(date -u +%Y-%m-%dT%H:%M:%SZ) cpu db=$KIND binary=$LABEL day_punches=$BENCH_DAY_PUNCHES counted=$COUNTED cpu_ms_per_summary=$MS load_before=\"$LOAD_BEFORE\" load_after=\"$LOAD_AFTER\" $(machine_line)"
echo "$LINE" >> "$BENCH_DIR/results.txt"
echo "RESULT $LINE"
