#!/usr/bin/env bash
# Ingest with several collectors over one PostgreSQL database (docs/scaling.md): summaries stored
# per second by BENCH_COLLECTORS `duty-collector serve` processes (default 2) on this machine,
# each on its own port and each loaded by its own wrk, all writing into one database.
#
# Usage (from the repository root):  scripts/bench-collector-two.sh
#
# The data is that of scripts/bench-collector-ingest.sh (distinct (agent, date) summaries, 4.6 KB
# each), split so that no two wrk threads send the same summary. Settings as in that script
# (BENCH_AGENTS, BENCH_DATES, BENCH_SECONDS, BENCH_CONNECTIONS per collector, BENCH_THREADS per
# wrk, BENCH_LOG_LEVEL) plus BENCH_COLLECTORS. Checks afterwards that the database holds every
# summary acknowledged with 201. Prints one RESULT line and appends it to $BENCH_DIR/results.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-collector-lib.sh

N="${BENCH_COLLECTORS:-2}"
AGENTS="${BENCH_AGENTS:-50}"
DATES="${BENCH_DATES:-1200}"
CONNECTIONS="${BENCH_CONNECTIONS:-64}"
DURATION="${BENCH_SECONDS:-20}"
THREADS="${BENCH_THREADS:-2}"
export DUTY_COLLECTOR_LOG_LEVEL="${BENCH_LOG_LEVEL:-info}"
KIND=postgres

command -v wrk > /dev/null || die "wrk is missing (apt-get install -y wrk)"
need_tools "$KIND"
ensure_binary
mkdir -p "$BENCH_DIR"
ALL_THREADS=$((THREADS * N))
DATA="$(ingest_data "$AGENTS" "$DATES" "$ALL_THREADS")"

URL="$(database_url "$KIND" bench_two)"
BASE_PORT="$BENCH_PORT"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; fi
    done
}
trap cleanup EXIT
for i in $(seq 0 $((N - 1))); do
    BENCH_PORT=$((BASE_PORT + i))
    write_config "$BENCH_DIR/two-$i.toml" "$URL"
done
say "registering $AGENTS agents in $URL"
add_agents "$BENCH_DIR/two-0.toml" "$DATA/agents.tsv" "$DATA/tokens.tsv"
for i in $(seq 0 $((N - 1))); do
    BENCH_PORT=$((BASE_PORT + i))
    start_server "$BENCH_DIR/two-$i.toml" "$BENCH_DIR/two-$i-server.log"
    PIDS+=("$SERVER_PID")
    SERVER_PID=""
done

server_cpu() { local t=0 pid; for pid in "${PIDS[@]}"; do t="$(echo "$t $(cpu_seconds "$pid")" | awk '{print $1 + $2}')"; done; echo "$t"; }
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
CPU_BEFORE="$(server_cpu)"
TICKS_BEFORE="$(cpu_ticks)"
say "sending for ${DURATION}s: $N collectors, $CONNECTIONS connections and $THREADS wrk threads each"
WRKS=()
for i in $(seq 0 $((N - 1))); do
    BENCH_THREAD_OFFSET=$((i * THREADS)) wrk -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s" --timeout 30s \
        -s scripts/bench-collector-ingest.lua "http://127.0.0.1:$((BASE_PORT + i))" -- "$DATA" > "$BENCH_DIR/two-$i.wrk" 2>&1 &
    WRKS+=($!)
done
for w in "${WRKS[@]}"; do wait "$w"; done
CPU_AFTER="$(server_cpu)"
MACHINE_BUSY="$(busy_share "$TICKS_BEFORE" "$(cpu_ticks)")"
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
cleanup
PIDS=()

CREATED=0; OTHER=0; SECONDS_RUN=0; P50=""; P99=""
for i in $(seq 0 $((N - 1))); do
    cat "$BENCH_DIR/two-$i.wrk" >&2
    R="$(grep '^RESULT' "$BENCH_DIR/two-$i.wrk" | sed 's/^RESULT //')"
    [ -n "$R" ] || die "wrk $i printed no RESULT line"
    CREATED=$((CREATED + $(echo "$R" | sed -n 's/.*created=\([0-9]*\).*/\1/p')))
    OTHER=$((OTHER + $(echo "$R" | sed -n 's/.*other=\([0-9]*\).*/\1/p')))
    SECONDS_RUN="$(echo "$R" | sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' | awk -v m="$SECONDS_RUN" '{print ($1 > m) ? $1 : m}')"
    P50="$P50$(echo "$R" | sed -n 's/.*p50_ms=\([0-9.]*\).*/\1/p'),"
    P99="$P99$(echo "$R" | sed -n 's/.*p99_ms=\([0-9.]*\).*/\1/p'),"
done
STORED="$(count_rows "$KIND" "$URL" summaries)"
ANOMALIES="$(count_rows "$KIND" "$URL" anomalies)"
SERVER_CPU="$(awk -v a="$CPU_BEFORE" -v b="$CPU_AFTER" -v s="$SECONDS_RUN" 'BEGIN {printf "%.2f", (b - a) / s}')"
if [ "$STORED" -lt "$CREATED" ] || [ "$STORED" -gt $((CREATED + CONNECTIONS * N)) ]; then
    say "WARNING: $CREATED acknowledged with 201 but $STORED summaries stored"
fi
RATE="$(awk -v c="$CREATED" -v s="$SECONDS_RUN" 'BEGIN {printf "%.1f", c / s}')"
LINE="$(date -u +%Y-%m-%dT%H:%M:%SZ) ingest-collectors db=$KIND collectors=$N connections_each=$CONNECTIONS wrk_threads_each=$THREADS log_level=$DUTY_COLLECTOR_LOG_LEVEL created=$CREATED other=$OTHER seconds=$SECONDS_RUN created_per_s=$RATE p50_ms_each=${P50%,} p99_ms_each=${P99%,} stored=$STORED anomalies_stored=$ANOMALIES server_cpu_cores=$SERVER_CPU machine_busy=$MACHINE_BUSY load_before=\"$LOAD_BEFORE\" load_after=\"$LOAD_AFTER\" $(machine_line)"
echo "$LINE" >> "$BENCH_DIR/results.txt"
echo "RESULT $LINE"
