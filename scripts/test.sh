#!/usr/bin/env bash
# The project's test command: everything the tests need, then every test.
#
#   1. a throw-away PostgreSQL server (installed from Debian's packages when missing) for the
#      collector's storage tests, which run the same suite against SQLite and PostgreSQL; stopped
#      again at the end when this script started it (a server already running is left running);
#   2. `swift build --build-tests` and `swift test`: unit tests, route tests, golden files, and the
#      end-to-end tests that start the real duty-agent and duty-collector executables;
#   3. every scenario of Tests/SharedFixtures/scenarios (the repository's copy) through the built
#      duty-agent, and of ../shared/scenarios and ../shared/scenarios/next too when the shared
#      folder sits beside the checkout;
#   4. the HR console's browser tests in headless Chromium (scripts/browser-test.sh, which installs
#      Debian's chromium, chromium-driver, python3-selenium and fonts-noto-cjk when missing);
#   5. every parser of outside input under libFuzzer, 20 s a target (scripts/fuzz.sh, docs/fuzzing.md;
#      its first build takes several minutes); DUTYWATCH_FUZZ_SECONDS sets the time, 0 skips it;
#   6. scripts/test-package.sh: the release tarball built, unpacked and installed as an office gets
#      it (a release build: ~16 minutes the first time, reused from .build-release afterwards;
#      DUTYWATCH_TEST_PACKAGE=0 skips it while working on something else).
#
# Runs from a fresh clone with nothing beside it; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

started_postgres=""
if ! scripts/start-postgres.sh --running >/dev/null 2>&1; then started_postgres=yes; fi
eval "$(scripts/start-postgres.sh)"
export DUTYWATCH_TEST_POSTGRES_URL
if [ -n "$started_postgres" ]; then trap 'scripts/start-postgres.sh --stop || true' EXIT; fi

swift build --build-tests 2>&1 | tee .build-test.log
if grep -E "^/.*/(Sources|Tests)/.*: warning:" .build-test.log | grep -v "/.build/" | sort -u | grep .; then
    echo "test: the build has warnings in the project's own code (above); warnings are errors here" >&2
    exit 1
fi
# The PostgreSQL connection-cut tests end a store's connections from the server while it writes.
# Run among 450 parallel tests on two cores, PostgresNIO sometimes never answers a query on a
# connection being ended (a client bug that could hang a collector's request too; not solved yet):
# they run on their own right after the others, where they test the store's retry, not the load.
cut_tests='PostgresCutTests|aDroppedConnectionIsRetried'
swift test --skip "$cut_tests"
swift test --filter "$cut_tests"
python3 Tests/SharedFixtures/scenarios/run --agent .build/debug/duty-agent
if [ -x ../shared/scenarios/run ] || [ -f ../shared/scenarios/run ]; then
    python3 ../shared/scenarios/run --agent .build/debug/duty-agent
    if [ -d ../shared/scenarios/next ]; then
        python3 ../shared/scenarios/run --agent .build/debug/duty-agent ../shared/scenarios/next
    fi
fi
scripts/browser-test.sh
if [ "${DUTYWATCH_FUZZ_SECONDS:-20}" != 0 ]; then
    scripts/fuzz.sh "${DUTYWATCH_FUZZ_SECONDS:-20}"
fi
if [ "${DUTYWATCH_TEST_PACKAGE:-1}" != 0 ]; then
    scripts/test-package.sh
fi
