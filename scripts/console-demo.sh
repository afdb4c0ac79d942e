#!/usr/bin/env bash
# Opens the HR console on the example office: builds both programs, starts a collector over a
# fresh SQLite file in a temporary folder, adds the agent and three console users, pushes the
# example office (October 2026) with the real agent, prints where to sign in, and serves until
# Ctrl-C.
#
#   scripts/console-demo.sh [--port 8080]
set -euo pipefail
cd "$(dirname "$0")/.."
port=8080
if [ "${1:-}" = "--port" ]; then port="$2"; fi

swift build --product duty-collector >&2
swift build --product duty-agent >&2
bin="$(swift build --show-bin-path)"
work="$(mktemp -d /tmp/dutywatch-console.XXXXXX)"
cp -r config/example "$work/office"
rm -f "$work/office/agent.token"
rm -rf "$work/office/spool"
sed -i "s#^url = \"http://127.0.0.1:8080\"#url = \"http://127.0.0.1:$port\"#" "$work/office/agent.toml"
printf '[server]\nport = %s\n[database]\nurl = "sqlite:collector.sqlite"\n' "$port" > "$work/collector.toml"

collector() { "$bin/duty-collector" "$@" --config "$work/collector.toml"; }
collector agents add --id example-office --units 市场监管局 > "$work/office/agent.token" 2>/dev/null
echo 'hr-password-2026' | collector users add --name 王敏 --role hr --password-stdin 2>/dev/null
echo 'manager-pass-2026' | collector users add --name 李队长 --role manager --units 市场监管局/执法大队/一中队 --password-stdin 2>/dev/null
echo 'staff-pass-2026x' | collector users add --name 胡建军 --role staff --person 10001 --password-stdin 2>/dev/null

"$bin/duty-collector" serve --config "$work/collector.toml" > "$work/serve.log" 2>&1 &
serve=$!
trap 'kill $serve 2>/dev/null; wait $serve 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 100); do
    if (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
    kill -0 $serve 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
    sleep 0.2
done
"$bin/duty-agent" push --config "$work/office/agent.toml" > "$work/push.log" 2>&1 || { cat "$work/push.log" >&2; exit 1; }

cat <<TEXT
The console of the example office is at http://127.0.0.1:$port/?month=2026-10
  HR (whole organisation):        王敏     hr-password-2026
  manager of 执法大队/一中队:      李队长   manager-pass-2026
  staff member 10001 (办公室):     胡建军   staff-pass-2026x
Data and logs in $work. Ctrl-C stops the collector.
TEXT
wait $serve
