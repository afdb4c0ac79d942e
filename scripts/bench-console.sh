#!/usr/bin/env bash
# Console benchmark: each page's time with 100,000 people and one month of anomalies.
#
# Usage (from the repository root):  scripts/bench-console.sh [sqlite|postgres]
#
# Generates (or reuses) the month of scripts/bench-collector-bulletin.sh (50 agents x 4 units =
# 200 units of 500 people, ~4% of scheduled person-days with an anomaly, the month before too),
# loads it through POST /api/v1/summaries, adds an HR user of the whole organisation, a manager of
# one unit and a staff member, signs each in with curl (the real sign-in form and its token), and
# requests every page BENCH_RUNS times. Prints the median and the slowest time per page, as curl
# measures it on loopback (the request's whole time at the server plus a loopback round trip).
# Then pushes one new revision of one day summary (as an agent does all day) and times the first
# request of the cached pages after it, and the same pages 3 s later, saying whether each showed
# the figures computed before the push (the page's "figures-pending" notice). Then makes one review
# decision through the console's anomaly form and times the overview and the bulletin page after it
# (at once and 3 s later), and restarts the server and times the same two pages BENCH_WARM_WAIT
# seconds (15) after it answers (the figures the server computes at start, if it does).
#
# The month timed is by default the one before the server's business date (its "today" in the
# bulletin's zone, Asia/Shanghai unless configured: a new date begins at 16:00 UTC): the month HR
# finishes reviewing and publishes, and one of the two whose figures the server computes at start.
# A month older than that is not computed at start, so its rows "N s after start" time a first
# computation; each says which business date the server warmed (warmed_date, from its log) and
# whether the month timed was among those warmed (month_warmed).
#
# Settings (environment): BENCH_MONTH (the month before the business date), BENCH_PEOPLE (100000), BENCH_AGENTS (50),
# BENCH_UNITS_PER_AGENT (4), BENCH_RATE (0.04), BENCH_RUNS (7), BENCH_DB_NAME (bench_console: the
# SQLite file or PostgreSQL database), BENCH_REUSE_DB (1: time the pages on the database an earlier
# run loaded, instead of loading it again), BENCH_BIN_BEFORE (an earlier binary: the same pages are
# timed again with it on the same database, for a before/after in one run), and those of
# scripts/bench-collector-lib.sh (BENCH_BIN: the release binary by default). Appends the RESULT
# lines to $BENCH_DIR/results.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-collector-lib.sh

KIND="${1:-sqlite}"
ZONE="Asia/Shanghai"
# The server's business date and the month before it (computed at start by the server, see above).
business_date() { python3 -c 'import datetime, sys, zoneinfo; print(datetime.datetime.now(zoneinfo.ZoneInfo(sys.argv[1])).date())' "$ZONE"; }
previous_month() { python3 -c 'import datetime, sys; d = datetime.date.fromisoformat(sys.argv[1]).replace(day=1) - datetime.timedelta(days=1); print(d.strftime("%Y-%m"))' "$1"; }
MONTH="${BENCH_MONTH:-$(previous_month "$(business_date)")}"
PEOPLE="${BENCH_PEOPLE:-100000}"
AGENTS="${BENCH_AGENTS:-50}"
UNITS_PER_AGENT="${BENCH_UNITS_PER_AGENT:-4}"
RATE="${BENCH_RATE:-0.04}"
RUNS="${BENCH_RUNS:-7}"
export LOG_LEVEL="${BENCH_LOG_LEVEL:-warning}"

need_tools "$KIND"
ensure_binary
mkdir -p "$BENCH_DIR"
DATA="$BENCH_DIR/month-$MONTH-${PEOPLE}p-${AGENTS}x${UNITS_PER_AGENT}-r$RATE"
if [ ! -f "$DATA/done" ]; then
    say "generating $MONTH and the month before in $DATA"
    python3 scripts/bench-collector-gen.py month --previous --month "$MONTH" --people "$PEOPLE" \
        --agents "$AGENTS" --units-per-agent "$UNITS_PER_AGENT" --rate "$RATE" --out "$DATA" 2> "$DATA.stats" \
        || { cat "$DATA.stats" >&2; exit 1; }
    touch "$DATA/done"
fi

DB_NAME="${BENCH_DB_NAME:-bench_console}"
# The database loaded for one month (and the month before): reused only for the same month.
LOADED="$BENCH_DIR/$DB_NAME.$KIND.$MONTH.loaded"
CONFIG="$BENCH_DIR/console-$KIND.toml"
trap stop_server EXIT
if [ "${BENCH_REUSE_DB:-0}" = 1 ] && [ -f "$LOADED" ]; then
    # BENCH_REUSE_DB=1: the database loaded by an earlier run of this script (same data, same name).
    URL="$(cat "$LOADED")"
    say "reusing the database loaded before: $URL"
else
    rm -f "$BENCH_DIR/$DB_NAME.$KIND".*loaded
    URL="$(database_url "$KIND" "$DB_NAME")"
    write_config "$CONFIG" "$URL"
    add_agents "$CONFIG" "$DATA/agents.tsv" "$DATA/tokens.tsv"
    start_server "$CONFIG" "$BENCH_DIR/console-$KIND-server.log"
    say "loading $(wc -l < "$DATA/bodies-1.tsv") summaries"
    python3 scripts/bench-collector-post.py --url "http://127.0.0.1:$BENCH_PORT" --tokens "$DATA/tokens.tsv" \
        --concurrency 8 "$DATA/bodies-1.tsv" >&2
    stop_server
    if [ "$KIND" = postgres ]; then PGPASSWORD=dutywatch psql "$URL" -qtAX -c "ANALYZE" >&2; fi
fi
write_config "$CONFIG" "$URL"

# A unit, a person with anomalies in it and one of their anomalies, straight from the database.
query() {
    case "$KIND" in
        sqlite) sqlite3 "${URL#sqlite:}" "$1" ;;
        postgres) PGPASSWORD=dutywatch psql "$URL" -qtAX -c "$1" ;;
    esac
}
ANOMALIES="$(count_rows "$KIND" "$URL" anomalies)"
UNIT="$(query "SELECT unit FROM anomalies WHERE date LIKE '$MONTH-%' GROUP BY unit ORDER BY COUNT(*) DESC LIMIT 1")"
PERSON="$(query "SELECT person FROM anomalies WHERE unit = '$UNIT' AND date LIKE '$MONTH-%' GROUP BY person ORDER BY COUNT(*) DESC LIMIT 1")"
ANOMALY="$(query "SELECT id FROM anomalies WHERE person = '$PERSON' AND date LIKE '$MONTH-%' ORDER BY date LIMIT 1")"
TOP="${UNIT%%/*}"
say "stored: $ANOMALIES anomalies (both months); unit $UNIT, person $PERSON"

if [ ! -f "$LOADED" ]; then
    echo 'hr-bench-secret-1' | "$BENCH_BIN" users add --config "$CONFIG" --name bench-hr --role hr --password-stdin 2>/dev/null
    echo 'mgr-bench-secret-1' | "$BENCH_BIN" users add --config "$CONFIG" --name bench-manager --role manager --units "$UNIT" --password-stdin 2>/dev/null
    echo 'st-bench-secret-1' | "$BENCH_BIN" users add --config "$CONFIG" --name bench-staff --role staff --person "$PERSON" --password-stdin 2>/dev/null
    echo "$URL" > "$LOADED"
fi
start_server "$CONFIG" "$BENCH_DIR/console-$KIND-server.log"
BASE="http://127.0.0.1:$BENCH_PORT"

# sign_in NAME PASSWORD JAR
sign_in() {
    local page token
    page="$(curl -fsS -c "$3" -b "$3" "$BASE/login")"
    token="$(printf '%s' "$page" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)"
    curl -fsS -o /dev/null -c "$3" -b "$3" --data-urlencode "csrf=$token" --data-urlencode "name=$1" \
        --data-urlencode "password=$2" "$BASE/login"
}
HR_JAR="$BENCH_DIR/hr.jar"; MANAGER_JAR="$BENCH_DIR/manager.jar"; STAFF_JAR="$BENCH_DIR/staff.jar"
rm -f "$HR_JAR" "$MANAGER_JAR" "$STAFF_JAR"
sign_in bench-hr hr-bench-secret-1 "$HR_JAR"
sign_in bench-manager mgr-bench-secret-1 "$MANAGER_JAR"
sign_in bench-staff st-bench-secret-1 "$STAFF_JAR"

enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }
PAGES=(
    "hr|overview|/?month=$MONTH"
    "hr|review queue, first page|/reviews?state=all&from=$MONTH-01&to=$MONTH-31"
    "hr|review queue, page 20, oldest first|/reviews?state=all&from=$MONTH-01&to=$MONTH-31&sort=oldest&page=20"
    "hr|review queue, one person|/reviews?state=all&person=$PERSON"
    "hr|anomaly|/anomalies/$ANOMALY"
    "hr|person calendar|/people/$PERSON?month=$MONTH"
    "hr|unit page, top|/units?unit=$(enc "$TOP")&month=$MONTH"
    "hr|bulletin page|/bulletin?month=$MONTH"
    "hr|bulletin download, CSV|/bulletin/download/csv?month=$MONTH"
    "manager|overview (one unit)|/?month=$MONTH"
    "manager|review queue (one unit)|/reviews?state=all&from=$MONTH-01&to=$MONTH-31"
    "staff|own record|/me"
)
# time_pages LABEL: every page BENCH_RUNS times against the running server. The bulletin page's
# first request after the server starts is timed apart: it builds the month's bulletin (later ones
# reuse it while the data is unchanged).
time_pages() {
    local label="$1" first
    first="$(curl -sS -o /dev/null -b "$HR_JAR" -w '%{http_code} %{time_total}' "$BASE/bulletin?month=$MONTH")"
    [ "${first%% *}" = 200 ] || die "/bulletin answered ${first%% *}"
    out "RESULT console $KIND $label hr \"bulletin page, first request after start\" ms=$(awk -v t="${first#* }" 'BEGIN {printf "%.1f", t * 1000}')"
    # The same bulletin from the command line (a whole process: start, open, build, render HTML).
    local started ended
    started="$(date +%s%N)"
    "$BENCH_BIN" bulletin --config "$CONFIG" --month "$MONTH" > /dev/null
    ended="$(date +%s%N)"
    out "RESULT console $KIND $label cli \"duty-collector bulletin --month $MONTH (HTML)\" ms=$(( (ended - started) / 1000000 ))"
    for entry in "${PAGES[@]}"; do
        IFS='|' read -r who name path <<< "$entry"
        jar="$HR_JAR"; [ "$who" = manager ] && jar="$MANAGER_JAR"; [ "$who" = staff ] && jar="$STAFF_JAR"
        times=()
        for _ in $(seq 1 "$RUNS"); do
            result="$(curl -sS -o /dev/null -b "$jar" -w '%{http_code} %{time_total}' "$BASE$path")"
            [ "${result%% *}" = 200 ] || die "$path answered ${result%% *}"
            times+=("$(awk -v t="${result#* }" 'BEGIN {printf "%.1f", t * 1000}')")
        done
        sorted="$(printf '%s\n' "${times[@]}" | sort -n)"
        median="$(echo "$sorted" | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')"
        slowest="$(echo "$sorted" | tail -n 1)"
        out "RESULT console $KIND $label $who \"$name\" median_ms=$median max_ms=$slowest"
    done
}

# new_summary: posts a new revision of one day summary of the month (agent bench-000, the 15th):
# one late arrival a minute longer, the digest computed again, so the collector stores it as
# agents' pushes do all day. Prints the HTTP status.
new_summary() {
    local agent=bench-000 token
    token="$(awk -F '\t' -v a="$agent" '$1 == a {print $2}' "$DATA/tokens.tsv")"
    python3 - "$DATA/bodies-1.tsv" "$agent" "$MONTH-15" > "$BENCH_DIR/new-summary.json" <<'PY'
import importlib.util, json, sys, time
spec = importlib.util.spec_from_file_location("gen", "scripts/bench-collector-gen.py")
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)
path, agent, date = sys.argv[1:]
for line in open(path, encoding="utf-8"):
    who, body = line.rstrip("\n").split("\t", 1)
    if who != agent or f'"date":"{date}"' not in body[:200]:
        continue
    s = json.loads(body)
    if s["date"] != date:
        continue
    late = next(a for a in s["anomalies"] if a["kind"] == "late" and not a["excused"])
    late["minutes"] += 1
    unit = next(u for u in s["units"] if u["unit"] == late["unit"])
    unit["kinds"]["late"]["minutes"] += 1
    s["revision"] = int(time.time())
    s["digest"] = gen.content_digest(s)
    print(gen.canonical(s))
    break
else:
    sys.exit(f"no summary of {agent} for {date} in {path}")
PY
    curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
        --data-binary "@$BENCH_DIR/new-summary.json" "$BASE/api/v1/summaries"
}

# time_round LABEL ROUND "NAME|PATH"...: each page once as the HR officer, its time, and whether it
# carried the older figures' notice.
time_round() {
    local label="$1" round="$2" entry name path result older
    shift 2
    for entry in "$@"; do
        IFS='|' read -r name path <<< "$entry"
        result="$(curl -sS -o "$BENCH_DIR/page.html" -b "$HR_JAR" -w '%{http_code} %{time_total}' "$BASE$path")"
        [ "${result%% *}" = 200 ] || die "$path answered ${result%% *}"
        older=no; grep -q 'id="figures-pending"' "$BENCH_DIR/page.html" && older=yes
        out "RESULT console $KIND $label hr \"$name, $round\" ms=$(awk -v t="${result#* }" 'BEGIN {printf "%.1f", t * 1000}') older_figures_shown=$older"
    done
}

# time_after_new_summary LABEL: a new summary, then the first request of the pages it changes
# (the cached ones: overview, unit page, bulletin page), then the same pages once the server has
# had a few seconds to compute them again.
time_after_new_summary() {
    local label="$1" status round
    status="$(new_summary)"
    [ "$status" = 201 ] || die "the new summary answered $status"
    for round in "first request after one new summary" "3 s after one new summary"; do
        time_round "$label" "$round" "overview|/?month=$MONTH" \
            "unit page, top|/units?unit=$(enc "$TOP")&month=$MONTH" "bulletin page|/bulletin?month=$MONTH"
        sleep 3
    done
}

# time_after_review LABEL: one review decision through the console's anomaly form (as an HR officer
# makes it), then the first request of the overview and the bulletin page after it, at once and
# 3 s later. The decision is always shown: neither page may carry the older figures' notice.
time_after_review() {
    local label="$1" token status round state=excused
    [ "$label" = before ] && state=confirmed
    token="$(curl -fsS -b "$HR_JAR" "$BASE/anomalies/$ANOMALY" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)"
    status="$(curl -sS -o /dev/null -b "$HR_JAR" -w '%{http_code}' --data-urlencode "csrf=$token" \
        --data-urlencode "state=$state" --data-urlencode "note=bench $label $(date +%s%N)" "$BASE/anomalies/$ANOMALY/review")"
    [ "$status" = 303 ] || die "the review decision answered $status"
    for round in "first request after one review decision" "3 s after one review decision"; do
        time_round "$label" "$round" "overview|/?month=$MONTH" "bulletin page|/bulletin?month=$MONTH"
        sleep 3
    done
}

# time_after_restart LABEL BIN: the server started again; the overview and the bulletin page
# requested once BENCH_WARM_WAIT seconds (default 15) after it answers: the first HR officer of the
# morning, who does not arrive the second the server starts. Each line says the business date whose
# figures the server logged as warmed by then (none: not finished, or its log level hides it) and
# whether the month timed is that date's month or the one before (the months it warms).
time_after_restart() {
    local label="$1" wait="${BENCH_WARM_WAIT:-15}" log result entry name path warmed in_warmed
    log="$BENCH_DIR/console-$KIND-server-$label-restart.log"
    stop_server
    BENCH_BIN="$2" start_server "$CONFIG" "$log"
    sleep "$wait"
    warmed="$(sed -n 's/.*duty\.date=\([0-9-]*\) .*console figures warmed.*/\1/p' "$log" | tail -n 1)"
    in_warmed=no
    if [ -n "$warmed" ] && { [ "$MONTH" = "${warmed:0:7}" ] || [ "$MONTH" = "$(previous_month "$warmed")" ]; }; then
        in_warmed=yes
    fi
    for entry in "overview|/?month=$MONTH" "bulletin page|/bulletin?month=$MONTH"; do
        IFS='|' read -r name path <<< "$entry"
        result="$(curl -sS -o /dev/null -b "$HR_JAR" -w '%{http_code} %{time_total}' "$BASE$path")"
        [ "${result%% *}" = 200 ] || die "$path answered ${result%% *}"
        out "RESULT console $KIND $label hr \"$name, first request ${wait} s after start\" ms=$(awk -v t="${result#* }" 'BEGIN {printf "%.1f", t * 1000}') warmed_date=${warmed:-none} month_warmed=$in_warmed"
    done
}

# out LINE: printed and appended to the results.
out() { echo "$*" | tee -a "$BENCH_DIR/results.txt"; }

out "# console pages, $KIND, month $MONTH (business date $(business_date) in $ZONE), $PEOPLE people, $ANOMALIES anomalies, $(date -u +%FT%TZ), $(machine_line), bin=$BENCH_BIN"
AFTER_BIN="$BENCH_BIN"
time_pages after
time_after_new_summary after
time_after_review after
time_after_restart after "$AFTER_BIN"
out "# load after the first binary: $(cut -d' ' -f1-3 /proc/loadavg)"
# BENCH_BIN_BEFORE: the same pages with an earlier binary on the same database, in the same run.
if [ -n "${BENCH_BIN_BEFORE:-}" ]; then
    stop_server
    BENCH_BIN="$BENCH_BIN_BEFORE" start_server "$CONFIG" "$BENCH_DIR/console-$KIND-server-before.log"
    out "# before: bin=$BENCH_BIN_BEFORE, $(machine_line)"
    time_pages before
    time_after_new_summary before
    time_after_review before
    time_after_restart before "$BENCH_BIN_BEFORE"
    out "# load after the second binary: $(cut -d' ' -f1-3 /proc/loadavg)"
fi
