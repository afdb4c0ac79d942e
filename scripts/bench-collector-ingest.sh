#!/usr/bin/env bash
# Ingest benchmark: summaries stored per second over loopback, from many concurrent clients.
#
# Usage (from the repository root):  scripts/bench-collector-ingest.sh [sqlite|postgres]
#
# Generates BENCH_AGENTS x BENCH_DATES distinct day summaries (10 units, 5 anomalies with
# evidence, one quality item and the day punches of those people, ~4.6 KB each, or 3.7 KB without
# day punches with BENCH_DAY_PUNCHES=0; scripts/bench-collector-gen.py), registers the agents
# with `duty-collector agents add`, starts `duty-collector serve` (release build) on a fresh SQLite
# file or a fresh PostgreSQL database (scripts/start-postgres.sh), and sends every summary exactly
# at most once with wrk (scripts/bench-collector-ingest.lua) over BENCH_CONNECTIONS keep-alive
# connections for BENCH_SECONDS. Then checks that the database holds exactly the summaries
# acknowledged with 201.
#
# Settings (environment): BENCH_TLS (1: over HTTPS, see scripts/bench-collector-lib.sh), BENCH_AGENTS (50), BENCH_DATES (1200), BENCH_SECONDS (20), BENCH_CONNECTIONS (64),
# BENCH_THREADS (wrk threads, 2), BENCH_LOG_LEVEL (the server's DUTY_COLLECTOR_LOG_LEVEL, default info: one log
# line per summary, as in production), BENCH_PERF (1: record the server with `perf record -g`
# during the run into $BENCH_DIR/ingest-KIND.perf.data), BENCH_LABEL (names the binary in the RESULT
# line), BENCH_SQLITE_SQL (a file of SQL run with sqlite3 on the migrated, empty database before the
# server starts: to measure a schema change before writing its migration), plus those of scripts/bench-collector-lib.sh (BENCH_DAY_PUNCHES among them).
# Prints one RESULT line and appends it to $BENCH_DIR/results.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-collector-lib.sh

KIND="${1:-sqlite}"
AGENTS="${BENCH_AGENTS:-50}"
DATES="${BENCH_DATES:-1200}"
CONNECTIONS="${BENCH_CONNECTIONS:-64}"
DURATION="${BENCH_SECONDS:-20}"
THREADS="${BENCH_THREADS:-2}"
export DUTY_COLLECTOR_LOG_LEVEL="${BENCH_LOG_LEVEL:-info}"

command -v wrk > /dev/null || die "wrk is missing (apt-get install -y wrk)"
need_tools "$KIND"
ensure_binary
mkdir -p "$BENCH_DIR"
DATA="$(ingest_data "$AGENTS" "$DATES" "$THREADS")"

URL="$(database_url "$KIND" bench_ingest)"
CONFIG="$BENCH_DIR/ingest-$KIND.toml"
write_config "$CONFIG" "$URL"
say "registering $AGENTS agents in $URL"
add_agents "$CONFIG" "$DATA/agents.tsv" "$DATA/tokens.tsv"
if [ -n "${BENCH_SQLITE_SQL:-}" ]; then
    [ "$KIND" = sqlite ] || die "BENCH_SQLITE_SQL is for sqlite runs"
    say "applying $BENCH_SQLITE_SQL to the database before the server starts"
    sqlite3 "${URL#sqlite:}" < "$BENCH_SQLITE_SQL" >&2 || die "$BENCH_SQLITE_SQL failed"
fi

LOG="$BENCH_DIR/ingest-$KIND-server.log"
trap stop_server EXIT
start_server "$CONFIG" "$LOG"

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
CPU_BEFORE="$(cpu_seconds "$SERVER_PID")"
TICKS_BEFORE="$(cpu_ticks)"
PERF_PID=""
if [ "${BENCH_PERF:-0}" = 1 ]; then
    perf record -g -F 499 -p "$SERVER_PID" -o "$BENCH_DIR/ingest-$KIND.perf.data" -- sleep "$DURATION" 2> /dev/null &
    PERF_PID=$!
fi
say "sending up to $((AGENTS * DATES)) summaries for ${DURATION}s over $CONNECTIONS connections ($THREADS wrk threads)"
OUT="$(/usr/bin/time -f "%U %S" -o "$BENCH_DIR/ingest-$KIND.wrk-time" wrk -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s" --timeout 30s -s scripts/bench-collector-ingest.lua \
    "$BENCH_SCHEME://127.0.0.1:$BENCH_PORT" -- "$DATA")"
CPU_AFTER="$(cpu_seconds "$SERVER_PID")"
MACHINE_BUSY="$(busy_share "$TICKS_BEFORE" "$(cpu_ticks)")"
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "$OUT" >&2
if [ -n "$PERF_PID" ]; then wait "$PERF_PID" || true; fi
stop_server

RESULT="$(echo "$OUT" | grep '^RESULT' | sed 's/^RESULT //')"
[ -n "$RESULT" ] || die "wrk printed no RESULT line"
CREATED="$(echo "$RESULT" | sed -n 's/.*created=\([0-9]*\).*/\1/p')"
SECONDS_RUN="$(echo "$RESULT" | sed -n 's/.*seconds=\([0-9.]*\).*/\1/p')"
STORED="$(count_rows "$KIND" "$URL" summaries)"
ANOMALIES="$(count_rows "$KIND" "$URL" anomalies)"
WRK_CPU="$(awk -v s="$SECONDS_RUN" '{printf "%.2f", ($1 + $2) / s}' "$BENCH_DIR/ingest-$KIND.wrk-time")"
SERVER_CPU="$(awk -v a="$CPU_BEFORE" -v b="$CPU_AFTER" -v s="$SECONDS_RUN" 'BEGIN {printf "%.2f", (b - a) / s}')"
# Requests still in flight when wrk stops are stored without being counted: at most one per connection.
if [ "$STORED" -lt "$CREATED" ] || [ "$STORED" -gt $((CREATED + CONNECTIONS)) ]; then
    say "WARNING: $CREATED acknowledged with 201 but $STORED summaries stored"
fi

LINE="$(date -u +%Y-%m-%dT%H:%M:%SZ) ingest db=$KIND binary=${BENCH_LABEL:-$BENCH_BIN} day_punches=$BENCH_DAY_PUNCHES scheme=$BENCH_SCHEME summaries=$((AGENTS * DATES)) connections=$CONNECTIONS wrk_threads=$THREADS log_level=$DUTY_COLLECTOR_LOG_LEVEL $RESULT stored=$STORED anomalies_stored=$ANOMALIES server_cpu_cores=$SERVER_CPU wrk_cpu_cores=$WRK_CPU machine_busy=$MACHINE_BUSY load_before=\"$LOAD_BEFORE\" load_after=\"$LOAD_AFTER\" $(machine_line)"
echo "$LINE" >> "$BENCH_DIR/results.txt"
echo "RESULT $LINE"
