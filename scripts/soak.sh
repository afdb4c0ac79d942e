#!/usr/bin/env bash
# Soak test of delivery: runs duty-agent against duty-collector (SQLite, loopback) for a chosen
# time while injecting faults at random — kill -9 of either program, the collector down for a
# stretch, SIGTERM restarts, badge lines appended late — then lets the pair settle and compares
# the collector's totals with a clean `duty-agent check` over the same dates. Not part of CI.
#
# usage: scripts/soak.sh [--minutes N] [--people N] [--keep] [--seed S]
#   DUTY_AGENT / DUTY_COLLECTOR: the executables (default .build/debug/duty-agent and
#   .build/debug/duty-collector, else /work/collector/.build/debug/duty-collector).
# Exit 0 when the totals and the anomaly ids are equal (zero loss, zero double counts), 1 otherwise.
set -euo pipefail

minutes=10 people=40 keep=0 seed=$RANDOM
while [ $# -gt 0 ]; do
    case "$1" in
        --minutes) minutes=$2; shift 2 ;;
        --people) people=$2; shift 2 ;;
        --seed) seed=$2; shift 2 ;;
        --keep) keep=1; shift ;;
        -h|--help) sed -n 2,11p "$0"; exit 0 ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
agent=${DUTY_AGENT:-$root/.build/debug/duty-agent}
collector=${DUTY_COLLECTOR:-$root/.build/debug/duty-collector}
[ -x "$collector" ] || collector=/work/collector/.build/debug/duty-collector
for b in "$agent" "$collector"; do [ -x "$b" ] || { echo "missing executable $b (swift build first)" >&2; exit 2; }; done

work=$(mktemp -d /tmp/duty-soak.XXXXXX)
office=$work/office
export DUTY_COLLECTOR_ADMIN_TOKEN=soak-admin-token-0123456789abcdef
RANDOM=$seed
log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*"; }

agent_pid="" collector_pid=""
cleanup() {
    [ -n "$agent_pid" ] && kill -9 "$agent_pid" 2>/dev/null || true
    [ -n "$collector_pid" ] && kill -9 "$collector_pid" 2>/dev/null || true
    if [ "$keep" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# The office: dates that end three days ago (site time), so every date is decided by the settle delay.
today=$(TZ=Asia/Shanghai date +%F)
start=$(date -d "$today -17 days" +%F)
to=$(date -d "$today -4 days" +%F)
python3 "$root/scripts/generate-office.py" --people "$people" --days 14 --start "$start" --out "$office" \
    --seed "$seed" --site-id soak-office > /dev/null
# Hold back the last 40% of reader 2's lines: they are appended late, in chunks, during the run.
late=$work/late-lines
total=$(wc -l < "$office/badges/2_attlog.dat")
keep_lines=$(( total * 6 / 10 ))
tail -n +$(( keep_lines + 1 )) "$office/badges/2_attlog.dat" > "$late"
head -n "$keep_lines" "$office/badges/2_attlog.dat" > "$work/head" && mv "$work/head" "$office/badges/2_attlog.dat"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$work/collector"
cat > "$work/collector/collector.toml" <<EOF
[server]
host = "127.0.0.1"
port = $port

[database]
url = "sqlite:collector.sqlite"
EOF
"$collector" agents add --id soak-office --units 市场监管局 --config "$work/collector/collector.toml" \
    > "$office/agent.token" 2>/dev/null
# The generator writes a [collector] for a collector on :8080; this one is on $port.
python3 - "$office/agent.toml" <<'PY'
import sys
p = sys.argv[1]
text = open(p, encoding="utf-8").read()
at = text.find("\n[collector]")
open(p, "w", encoding="utf-8").write(text if at < 0 else text[:at + 1])
PY
cat >> "$office/agent.toml" <<EOF

[collector]
url = "http://127.0.0.1:$port"
token_file = "agent.token"
spool = "spool"
settle_minutes = 0
scan_seconds = 2
EOF

start_collector() {
    (cd "$work/collector" && exec "$collector" serve --config collector.toml >> collector.log 2>&1) &
    collector_pid=$!
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" > /dev/null && return 0; sleep 0.1; done
    echo "collector did not start; see $work/collector/collector.log" >&2; return 1
}
start_agent() {
    DUTY_AGENT_RETRY_CAP_SECONDS=3 "$agent" run --config "$office/agent.toml" >> "$work/agent.log" 2>&1 &
    agent_pid=$!
}
append_late() {  # $1 lines of the held-back pool
    local n=$1 left
    left=$(wc -l < "$late")
    [ "$left" -gt 0 ] || return 0
    head -n "$n" "$late" >> "$office/badges/2_attlog.dat"
    tail -n +$(( n + 1 )) "$late" > "$late.next" && mv "$late.next" "$late"
}

start_collector
start_agent
faults=(agent-kill9 agent-kill9 agent-term collector-kill9 collector-down append append)
declare -A counted
end=$(( $(date +%s) + minutes * 60 ))
log "soak for $minutes min (seed $seed, $people people, $start..$to) in $work"
while [ "$(date +%s)" -lt "$end" ]; do
    sleep "$(( RANDOM % 6 + 1 )).$(( RANDOM % 10 ))"
    fault=${faults[$(( RANDOM % ${#faults[@]} ))]}
    counted[$fault]=$(( ${counted[$fault]:-0} + 1 ))
    case $fault in
        agent-kill9) kill -9 "$agent_pid" 2>/dev/null || true; wait "$agent_pid" 2>/dev/null || true
                     sleep "0.$(( RANDOM % 10 ))"; start_agent ;;
        agent-term) kill -TERM "$agent_pid" 2>/dev/null || true; wait "$agent_pid" 2>/dev/null || true; start_agent ;;
        collector-kill9) kill -9 "$collector_pid" 2>/dev/null || true; wait "$collector_pid" 2>/dev/null || true
                         sleep "$(( RANDOM % 3 )).$(( RANDOM % 10 ))"; start_collector ;;
        collector-down) kill -TERM "$collector_pid" 2>/dev/null || true; wait "$collector_pid" 2>/dev/null || true
                        sleep "$(( RANDOM % 15 + 5 ))"; start_collector ;;
        append) append_late $(( RANDOM % 12 + 3 )) ;;
    esac
    log "fault: $fault"
done
append_late 1000000
log "faults injected: $(for k in "${!counted[@]}"; do printf '%s=%s ' "$k" "${counted[$k]}"; done)"

# Settle: wait until the spool is empty and nothing changes any more, then compare.
"$agent" check --config "$office/agent.toml" --from "$start" --to "$to" --format json > "$work/check.json"
compare() {
    curl -sf -H "Authorization: Bearer $DUTY_COLLECTOR_ADMIN_TOKEN" \
        "http://127.0.0.1:$port/api/v1/units?from=$start&to=$to" > "$work/units.json" || return 2
    # The collector answers at most 10,000 anomalies a page: follow next_offset.
    local offset=0 page=0
    while [ -n "$offset" ]; do
        curl -sf -H "Authorization: Bearer $DUTY_COLLECTOR_ADMIN_TOKEN" \
            "http://127.0.0.1:$port/api/v1/anomalies?from=$start&to=$to&limit=10000&offset=$offset" \
            > "$work/anomalies-$page.json" || return 2
        offset="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("next_offset") or "")' "$work/anomalies-$page.json")"
        page=$((page + 1))
    done
    python3 -c 'import json,sys; print(json.dumps({"anomalies": [a for f in sys.argv[1:] for a in json.load(open(f))["anomalies"]]}))' \
        $(for i in $(seq 0 $((page - 1))); do echo "$work/anomalies-$i.json"; done) > "$work/anomalies.json"
    python3 - "$work" "$1" <<'EOF'
import json, sys
work, final = sys.argv[1], sys.argv[2] == "final"
check = json.load(open(f"{work}/check.json"))
units = json.load(open(f"{work}/units.json"))["units"]
stored = json.load(open(f"{work}/anomalies.json"))["anomalies"]
root = next((u for u in units if u["unit"] == "市场监管局"), {"kinds": {}})
t = check["totals"]
want = {k: t["instances"][k] for k in ("scheduled", "present", "excused", "unverified")}
got = {k: root.get(k, 0) for k in want}
for kind, f in t["kinds"].items():
    want[kind] = (f["count"], f["minutes"])
    g = root["kinds"].get(kind, {"count": 0, "minutes": 0})
    got[kind] = (g["count"], g["minutes"])
ids_want = sorted(a["id"] for a in check["anomalies"])
ids_got = sorted(a["id"] for a in stored)
ok = want == got and ids_want == ids_got
if final or ok:
    print(f"{'figure':<12} {'check':>14} {'collector':>14}")
    for k in want:
        print(f"{k:<12} {str(want[k]):>14} {str(got[k]):>14}{'' if want[k] == got[k] else '   <-- differs'}")
    print(f"anomalies    {len(ids_want):>14} {len(ids_got):>14}   (distinct stored: {len(set(ids_got))})")
sys.exit(0 if ok else 1)
EOF
}
log "settling"
settled=1
for _ in $(seq 120); do
    waiting=$(ls "$office/spool" | grep -c '\.r[0-9]*\.json$' || true)
    if [ "$waiting" = 0 ] && compare quiet > /dev/null; then settled=0; break; fi
    sleep 1
done
"$agent" status --config "$office/agent.toml" || true
if compare final; then
    log "PASS: the collector's totals equal check's, every anomaly once"
    exit 0
fi
[ "$settled" = 0 ] || log "the pair did not settle within 120 s"
log "FAIL: see $work (kept)"; keep=1
exit 1
