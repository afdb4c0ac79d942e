#!/usr/bin/env bash
# Browser tests of the HR console in real headless Chromium (WebDriver, python3-selenium), against
# the real duty-collector holding the example office pushed by the real duty-agent.
#
#   scripts/browser-test.sh [--shots DIR] [--only NAME]
#
# Installs Debian's chromium, chromium-driver, python3-selenium and fonts-noto-cjk when missing
# (as root, or through sudo), builds both programs, starts a collector on a free port over a
# throw-away SQLite file with [console] idle_minutes = 1 (for the session expiry test), adds the
# agent and the console users, pushes the example office, runs scripts/browser_tests.py, stops
# the collector. Screenshots go to --shots (default: a temporary folder, printed at the end).
# Ends with "N passed, N failed"; exit 1 when any failed.
set -euo pipefail
cd "$(dirname "$0")/.."
shots=""
only=""
while (($#)); do
    case "$1" in
        --shots) shots="$2"; shift 2 ;;
        --only) only="$2"; shift 2 ;;
        *) echo "browser-test: unknown argument $1" >&2; exit 2 ;;
    esac
done

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
/usr/bin/python3 -c 'import selenium' 2>/dev/null || missing+=(python3-selenium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
if ((${#missing[@]})); then
    echo "browser-test: installing ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi

swift build --product duty-collector >&2
swift build --product duty-agent >&2
bin="$(swift build --show-bin-path)"

work="$(mktemp -d /tmp/dutywatch-browser.XXXXXX)"
shots="${shots:-$work/shots}"
mkdir -p "$shots"
port="$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
cp -r config/example "$work/office"
rm -f "$work/office/agent.token"
rm -rf "$work/office/spool"
sed -i "s#^url = \"http://127.0.0.1:8080\"#url = \"http://127.0.0.1:$port\"#" "$work/office/agent.toml"
cat > "$work/collector.toml" <<TOML
[server]
port = $port
[database]
url = "sqlite:collector.sqlite"
[console]
idle_minutes = 1
TOML

collector() { "$bin/duty-collector" "$@" --config "$work/collector.toml"; }
collector agents add --id example-office --units 市场监管局 > "$work/office/agent.token" 2>/dev/null
echo 'hr-password-2026' | collector users add --name 王敏 --role hr --password-stdin 2>/dev/null
echo 'lock-test-pass-2026' | collector users add --name 赵会计 --role hr --password-stdin 2>/dev/null
echo 'manager-pass-2026' | collector users add --name 李队长 --role manager --units 市场监管局/执法大队/一中队 --password-stdin 2>/dev/null
echo 'staff-pass-2026x' | collector users add --name 胡建军 --role staff --person 10001 --password-stdin 2>/dev/null

"$bin/duty-collector" serve --config "$work/collector.toml" > "$work/serve.log" 2>&1 &
serve=$!
trap 'kill $serve 2>/dev/null; wait $serve 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    if /usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null; then break; fi
    sleep 0.2
done
"$bin/duty-agent" push --config "$work/office/agent.toml" > "$work/push.log" 2>&1 || { cat "$work/push.log" >&2; exit 1; }

status=0
/usr/bin/python3 scripts/browser_tests.py --base "http://127.0.0.1:$port" --shots "$shots" ${only:+--only "$only"} || status=$?
echo "browser-test: screenshots in $shots, collector log in $work/serve.log" >&2
exit $status
