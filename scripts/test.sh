#!/usr/bin/env bash
# The project's test command: everything the tests need, then every test.
#
#   1. a throw-away PostgreSQL server (installed from Debian's packages when missing) for the
#      collector's storage tests, which run the same suite against SQLite and PostgreSQL;
#   2. `swift build --build-tests` and `swift test`: unit tests, route tests, golden files, and the
#      end-to-end tests that start the real duty-agent and duty-collector executables;
#   3. every scenario in ../shared/scenarios through the built duty-agent.
#
# Runs from a fresh clone with the shared folder beside the checkout; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d ../shared/scenarios ]; then
    echo "test: ../shared/scenarios is missing; the shared folder must sit beside the checkout" >&2
    exit 1
fi

eval "$(scripts/start-postgres.sh)"
export DUTYWATCH_TEST_POSTGRES_URL

swift build --build-tests 2>&1 | tee .build-test.log
if grep -E "^/.*/(Sources|Tests)/.*: warning:" .build-test.log | grep -v "/.build/" | sort -u | grep .; then
    echo "test: the build has warnings in the project's own code (above); warnings are errors here" >&2
    exit 1
fi
swift test
python3 ../shared/scenarios/run --agent .build/debug/duty-agent
