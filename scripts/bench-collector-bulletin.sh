#!/usr/bin/env bash
# Bulletin benchmark: the time to build a month's bulletin for 100,000 people in 200 units.
#
# Usage (from the repository root):  scripts/bench-collector-bulletin.sh [sqlite|postgres]
#
# Generates one summary per agent and day for BENCH_MONTH and the month before (50 agents x 4
# units = 200 units of 500 people; everyone scheduled on weekdays, 5% on weekends; ~4% of
# scheduled person-days with an anomaly, skewed so that repeat offenders exist;
# scripts/bench-collector-gen.py month), loads it through the real intake (`duty-collector serve`,
# POST /api/v1/summaries), stops the server, then runs
#   duty-collector bulletin --month BENCH_MONTH --format F --output FILE
# BENCH_RUNS times per format (json, html, markdown, csv) and prints each wall time, measured end
# to end (process start to exit: opening the database, the SQL, building and rendering, writing).
#
# Settings (environment): BENCH_MONTH (2026-10), BENCH_PEOPLE (100000), BENCH_AGENTS (50),
# BENCH_UNITS_PER_AGENT (4), BENCH_RATE (0.04), BENCH_RUNS (5), BENCH_PERF (1: one more run per
# format under `perf record -g`, into $BENCH_DIR/bulletin-KIND-FORMAT.perf.data), plus those of
# scripts/bench-collector-lib.sh. Appends the RESULT lines to $BENCH_DIR/results.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-collector-lib.sh

KIND="${1:-sqlite}"
MONTH="${BENCH_MONTH:-2026-10}"
PEOPLE="${BENCH_PEOPLE:-100000}"
AGENTS="${BENCH_AGENTS:-50}"
UNITS_PER_AGENT="${BENCH_UNITS_PER_AGENT:-4}"
RATE="${BENCH_RATE:-0.04}"
RUNS="${BENCH_RUNS:-5}"
export DUTY_COLLECTOR_LOG_LEVEL="${BENCH_LOG_LEVEL:-warning}"

need_tools "$KIND"
ensure_binary
mkdir -p "$BENCH_DIR"
DATA="$BENCH_DIR/month-$MONTH-${PEOPLE}p-${AGENTS}x${UNITS_PER_AGENT}-r$RATE"
if [ ! -f "$DATA/done" ]; then
    say "generating $MONTH and the month before in $DATA"
    python3 scripts/bench-collector-gen.py month --previous --month "$MONTH" --people "$PEOPLE" \
        --agents "$AGENTS" --units-per-agent "$UNITS_PER_AGENT" --rate "$RATE" --out "$DATA" 2> "$DATA.stats" \
        || { cat "$DATA.stats" >&2; exit 1; }
    cat "$DATA.stats" >&2
    touch "$DATA/done"
fi

URL="$(database_url "$KIND" bench_bulletin)"
CONFIG="$BENCH_DIR/bulletin-$KIND.toml"
write_config "$CONFIG" "$URL"
say "registering $AGENTS agents in $URL"
add_agents "$CONFIG" "$DATA/agents.tsv" "$DATA/tokens.tsv"
trap stop_server EXIT
start_server "$CONFIG" "$BENCH_DIR/bulletin-$KIND-server.log"
say "loading $(wc -l < "$DATA/bodies-1.tsv") summaries through POST /api/v1/summaries"
python3 scripts/bench-collector-post.py --url "http://127.0.0.1:$BENCH_PORT" --tokens "$DATA/tokens.tsv" \
    --concurrency 8 "$DATA/bodies-1.tsv" >&2
stop_server

if [ "$KIND" = postgres ]; then
    # What autovacuum does within a minute of a bulk load; without it the planner still believes
    # the tables are empty and picks nested loops and an on-disk sort for the first runs.
    PGPASSWORD=dutywatch psql "$URL" -qtAX -c "ANALYZE" >&2
fi
ANOMALIES="$(count_rows "$KIND" "$URL" anomalies)"
SUMMARIES="$(count_rows "$KIND" "$URL" summaries)"
say "stored: $SUMMARIES summaries, $ANOMALIES anomalies (both months)"

for format in json html markdown csv; do
    times=()
    for run in $(seq 1 "$RUNS"); do
        out="$BENCH_DIR/bulletin-$MONTH-$KIND.$format"
        start="$(date +%s.%N)"
        "$BENCH_BIN" bulletin --config "$CONFIG" --month "$MONTH" --format "$format" --output "$out"
        end="$(date +%s.%N)"
        times+=("$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", b - a}')")
    done
    if [ "${BENCH_PERF:-0}" = 1 ]; then
        perf record -g -F 999 -o "$BENCH_DIR/bulletin-$KIND-$format.perf.data" -- \
            "$BENCH_BIN" bulletin --config "$CONFIG" --month "$MONTH" --format "$format" --output "$out" 2> /dev/null
    fi
    sorted="$(printf '%s\n' "${times[@]}" | sort -n)"
    median="$(echo "$sorted" | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')"
    LINE="$(date -u +%Y-%m-%dT%H:%M:%SZ) bulletin db=$KIND month=$MONTH format=$format people=$PEOPLE units=$((AGENTS * UNITS_PER_AGENT)) summaries_both_months=$SUMMARIES anomalies_both_months=$ANOMALIES runs_s=\"${times[*]}\" median_s=$median min_s=$(echo "$sorted" | head -n 1) output_bytes=$(wc -c < "$out") $(machine_line)"
    echo "$LINE" >> "$BENCH_DIR/results.txt"
    echo "RESULT $LINE"
done
