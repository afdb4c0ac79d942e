# Shared helpers for scripts/bench-collector-*.sh (sourced, not run).
#
# Settings (environment):
#   BENCH_BIN   the collector binary (default .build/release/duty-collector; built with
#               `swift build -c release --product duty-collector` when missing)
#   BENCH_DIR   scratch folder for data, databases and logs (default /tmp/dutywatch-bench)
#   BENCH_PORT  the port the collector listens on (default 18080)
#   BENCH_DAY_PUNCHES  1 (default): ingest bodies are wire schema 3 with day_punches, as agents
#               send them now; 0: schema 1 without them (to measure what the day punches cost)

BENCH_BIN="${BENCH_BIN:-.build/release/duty-collector}"
BENCH_DIR="${BENCH_DIR:-/tmp/dutywatch-bench}"
BENCH_PORT="${BENCH_PORT:-18080}"
BENCH_DAY_PUNCHES="${BENCH_DAY_PUNCHES:-1}"
SERVER_PID=""
# BENCH_TLS=1: serve HTTPS with a certificate made by openssl in $BENCH_DIR/tls (a private root and
# a server certificate for 127.0.0.1); clients then use https:// and that root.
BENCH_TLS="${BENCH_TLS:-0}"
if [ "$BENCH_TLS" = 1 ]; then BENCH_SCHEME=https; else BENCH_SCHEME=http; fi

say() { echo "bench: $*" >&2; }
die() { say "$*"; exit 1; }

# The load average and the CPU, for the record next to every number.
machine_line() {
    echo "nproc=$(nproc) cpu=\"$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)\" mem=$(free -g | awk '/^Mem:/ {print $2}')GiB load=\"$(cut -d' ' -f1-3 /proc/loadavg)\""
}

# need_tools KIND: the programs the scripts call, with the Debian package that has them.
need_tools() {
    command -v curl > /dev/null || die "curl is missing (apt-get install -y curl)"
    command -v python3 > /dev/null || die "python3 is missing (apt-get install -y python3)"
    if [ "$1" = sqlite ]; then
        command -v sqlite3 > /dev/null || die "sqlite3 is missing (apt-get install -y sqlite3)"
    fi
}

ensure_binary() {
    if [ ! -x "$BENCH_BIN" ]; then
        say "building the release binary (several minutes)"
        swift build -c release --product duty-collector >&2
    fi
    [ -x "$BENCH_BIN" ] || die "no collector binary at $BENCH_BIN"
}

# ingest_data AGENTS DATES THREADS: the folder of generated ingest summaries (made when missing).
ingest_data() {
    local data="$BENCH_DIR/ingest-$1x$2-t$3" flag=""
    if [ "$BENCH_DAY_PUNCHES" = 1 ]; then data="$data-dp"; else flag="--no-day-punches"; fi
    if [ ! -f "$data/done" ]; then
        say "generating $(($1 * $2)) summaries in $data"
        python3 scripts/bench-collector-gen.py ingest --agents "$1" --dates "$2" --threads "$3" $flag --out "$data" >&2
        touch "$data/done"
    fi
    echo "$data"
}

# database_url KIND NAME: a URL for a fresh, empty database (sqlite file or PostgreSQL database).
database_url() {
    local kind="$1" name="$2"
    case "$kind" in
        sqlite)
            rm -f "$BENCH_DIR/$name.sqlite" "$BENCH_DIR/$name.sqlite-wal" "$BENCH_DIR/$name.sqlite-shm"
            echo "sqlite:$BENCH_DIR/$name.sqlite"
            ;;
        postgres)
            eval "$(scripts/start-postgres.sh)"
            local base="$DUTYWATCH_TEST_POSTGRES_URL"
            # FORCE cannot end a session of another role (an autovacuum worker on the database the
            # last run filled): try again while it finishes.
            local tries=0
            until PGPASSWORD=dutywatch psql "$base" -qtAX -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" 2> "$BENCH_DIR/drop.err"; do
                tries=$((tries + 1))
                [ "$tries" -lt 40 ] || { cat "$BENCH_DIR/drop.err" >&2; die "could not drop the database $name"; }
                sleep 0.5
            done
            PGPASSWORD=dutywatch psql "$base" -qtAX -v ON_ERROR_STOP=1 -c "CREATE DATABASE $name" >&2
            echo "${base%/*}/$name"
            ;;
        *) die "database must be sqlite or postgres, got \"$kind\"" ;;
    esac
}

# write_config FILE URL
write_config() {
    local tls=""
    if [ "$BENCH_TLS" = 1 ]; then
        make_certificates
        tls="tls_cert = \"$BENCH_DIR/tls/server.pem\"
tls_key = \"$BENCH_DIR/tls/server.key\""
    fi
    cat > "$1" <<EOF
[server]
host = "127.0.0.1"
port = $BENCH_PORT
max_body_kb = 4096
$tls

[database]
url = "$2"
EOF
}

# A private root and a server certificate for 127.0.0.1 (P-256), made once in $BENCH_DIR/tls.
make_certificates() {
    local d="$BENCH_DIR/tls"
    [ -f "$d/server.pem" ] && return 0
    command -v openssl > /dev/null || die "openssl is missing (apt-get install -y openssl)"
    mkdir -p "$d"
    (
        cd "$d"
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout root.key -out root.pem \
            -days 30 -subj "/CN=DutyWatch Bench Root" 2> /dev/null
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout server.key -out server.csr \
            -subj "/CN=127.0.0.1" 2> /dev/null
        printf "subjectAltName=IP:127.0.0.1\n" > server.ext
        openssl x509 -req -in server.csr -CA root.pem -CAkey root.key -CAcreateserial -out server.pem -days 30 \
            -extfile server.ext 2> /dev/null
    ) || die "openssl could not make the certificates"
}

# add_agents CONFIG AGENTS_TSV TOKENS_TSV: registers every agent ("id<TAB>unit prefix") and
# writes "id<TAB>token".
add_agents() {
    local config="$1" agents="$2" tokens="$3" id prefix token
    : > "$tokens"
    while IFS=$'\t' read -r id prefix; do
        token="$("$BENCH_BIN" agents add --config "$config" --id "$id" --units "$prefix" 2>/dev/null)" \
            || die "agents add $id failed"
        printf '%s\t%s\n' "$id" "$token" >> "$tokens"
    done < "$agents"
}

# start_server CONFIG LOG: starts the collector and waits for /healthz.
start_server() {
    "$BENCH_BIN" serve --config "$1" > "$2" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 100); do
        if curl -fsS --cacert "$BENCH_DIR/tls/root.pem" "$BENCH_SCHEME://127.0.0.1:$BENCH_PORT/healthz" > /dev/null 2>&1; then
            return 0
        fi
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$2" >&2; die "the collector exited at start"; }
        sleep 0.1
    done
    die "the collector did not answer /healthz within 10 s (log: $2)"
}

stop_server() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID"
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}

# cpu_seconds PID: user+system CPU time the process has used so far.
cpu_seconds() {
    awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"
}

# cpu_ticks: "busy total" jiffies of the whole machine so far (from /proc/stat).
cpu_ticks() {
    awk '/^cpu / {busy = $2 + $3 + $4 + $7 + $8; print busy, busy + $5 + $6}' /proc/stat
}

# busy_share "BEFORE" "AFTER": the share of the machine's CPU time that was busy in between.
busy_share() {
    echo "$1 $2" | awk '{printf "%.2f", ($3 - $1) / ($4 - $2)}'
}

# count_rows KIND URL TABLE
count_rows() {
    case "$1" in
        sqlite) sqlite3 "${2#sqlite:}" "SELECT COUNT(*) FROM $3" ;;
        postgres) PGPASSWORD=dutywatch psql "$2" -qtAX -c "SELECT COUNT(*) FROM $3" ;;
    esac
}
