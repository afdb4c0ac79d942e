#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server for the collector's storage tests and prints the URL.
#
# Installs PostgreSQL from Debian's packages when it is missing, initialises a cluster in
# $DUTYWATCH_PG_DIR (default /tmp/dutywatch-pg), starts it on 127.0.0.1:$DUTYWATCH_PG_PORT
# (default 55432), creates the role and database `dutywatch` (password `dutywatch`) and prints
#   export DUTYWATCH_TEST_POSTGRES_URL=postgres://dutywatch:dutywatch@127.0.0.1:55432/dutywatch
# Idempotent: when the server is already running it only prints the URL.
# Usage: eval "$(scripts/start-postgres.sh)"
#        scripts/start-postgres.sh --running   # exit 0 when the server is running, 1 when not
#        scripts/start-postgres.sh --stop      # stop the server (scripts/test.sh does, when it started it)
set -euo pipefail

DIR="${DUTYWATCH_PG_DIR:-/tmp/dutywatch-pg}"
PORT="${DUTYWATCH_PG_PORT:-55432}"
URL="postgres://dutywatch:dutywatch@127.0.0.1:${PORT}/dutywatch"

say() { echo "start-postgres: $*" >&2; }

# as_postgres CMD...: runs a command as the postgres user (or as ourselves when not root).
as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

find_bindir() {
    local v
    v="$(ls -1 /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1 || true)"
    [ -n "$v" ] && [ -x "/usr/lib/postgresql/$v/bin/initdb" ] && echo "/usr/lib/postgresql/$v/bin"
}

BIN="$(find_bindir || true)"
running() { [ -n "$BIN" ] && [ -f "$DIR/PG_VERSION" ] && as_postgres "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; }
case "${1:-}" in
    --running) running; exit ;;
    --stop)
        if running; then say "stopping the server in $DIR"; as_postgres "$BIN/pg_ctl" -D "$DIR" -m fast -w stop >&2; fi
        exit 0 ;;
esac
if [ -z "$BIN" ]; then
    say "PostgreSQL not found; installing it from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >&2
    apt-get install -y postgresql >&2
    BIN="$(find_bindir || true)"
    [ -n "$BIN" ] || { say "no initdb under /usr/lib/postgresql after installing"; exit 1; }
fi

if [ -f "$DIR/PG_VERSION" ] && as_postgres "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
    say "already running in $DIR"
    echo "export DUTYWATCH_TEST_POSTGRES_URL=$URL"
    exit 0
fi

if [ ! -f "$DIR/PG_VERSION" ]; then
    say "initialising a cluster in $DIR"
    mkdir -p "$DIR"
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$DIR"; fi
    chmod 700 "$DIR"
    as_postgres "$BIN/initdb" -D "$DIR" -U postgres -E UTF8 --locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256 >&2
fi

say "starting on 127.0.0.1:$PORT"
as_postgres "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c max_connections=200 -c fsync=on" -w start >&2

psql_admin() { as_postgres "$BIN/psql" -h "$DIR" -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -qtAX "$@"; }

if [ "$(psql_admin -d postgres -c "SELECT 1 FROM pg_roles WHERE rolname = 'dutywatch'")" != 1 ]; then
    # CREATEDB: the tests create a fresh database per test.
    psql_admin -d postgres -c "CREATE ROLE dutywatch LOGIN CREATEDB PASSWORD 'dutywatch'"
fi
if [ "$(psql_admin -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'dutywatch'")" != 1 ]; then
    psql_admin -d postgres -c "CREATE DATABASE dutywatch OWNER dutywatch"
fi

echo "export DUTYWATCH_TEST_POSTGRES_URL=$URL"
