#!/bin/sh
# Installs DutyWatch from the unpacked release tarball this script sits in.
#
#   sudo ./install.sh            # install, or upgrade the programs of an earlier install
#   DESTDIR=/tmp/root ./install.sh   # into a throw-away root (packaging, tests): no user, no chown, no systemctl
#
# What it does (running it again changes nothing that is already right):
#   - the system user and group `dutywatch` (no login shell, no home of its own);
#   - /opt/dutywatch/{bin,holidays,example,docs,packaging} from the tarball; links
#     /usr/local/bin/duty-agent and /usr/local/bin/duty-collector to the programs;
#   - /etc/dutywatch (configs), /var/lib/duty-agent and /var/lib/duty-collector (state, owned by dutywatch);
#   - /etc/dutywatch/collector.toml and admin.token, only when they are not there yet:
#     an existing config or token is NEVER overwritten;
#   - the systemd units in /etc/systemd/system, then `systemctl daemon-reload`.
# It enables and starts nothing: the agent needs its config first (the next steps are printed).
#
# Environment: DESTDIR (default: none, the real root), PREFIX (default /opt/dutywatch),
# BINDIR (default /usr/local/bin), UNITDIR (default /etc/systemd/system).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
DESTDIR=${DESTDIR:-}
PREFIX=${PREFIX:-/opt/dutywatch}
BINDIR=${BINDIR:-/usr/local/bin}
UNITDIR=${UNITDIR:-/etc/systemd/system}
USER_NAME=dutywatch

say() { printf '%s\n' "$*"; }
fail() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

[ -x "$here/bin/duty-agent" ] && [ -x "$here/bin/duty-collector" ] \
    || fail "run me from the unpacked release tarball: $here/bin/duty-agent is missing"
# The programs carry the Swift runtime; the agent still needs the system's libcurl (Debian/Ubuntu: libcurl4).
if command -v ldd >/dev/null; then
    missing=$(ldd "$here/bin/duty-agent" "$here/bin/duty-collector" 2>/dev/null | awk '/not found/ {print $1}' | sort -u | tr '\n' ' ')
    [ -z "$missing" ] || fail "these system libraries are missing: $missing(Debian/Ubuntu: apt-get install libcurl4 libstdc++6)"
fi
if [ -z "$DESTDIR" ] && [ "$(id -u)" -ne 0 ]; then
    fail "installing into / needs root: run it with sudo (or set DESTDIR to install into another root)"
fi
case "$DESTDIR" in ""|/*) ;; *) DESTDIR="$(pwd)/$DESTDIR" ;; esac

changed=0
# install_file SRC DEST MODE: copies only when the content or mode differ, so a second run keeps
# every file (and its modification time) as it is.
install_file() {
    if [ -f "$2" ] && cmp -s "$1" "$2" && [ "$(stat -c %a "$2")" = "$(printf '%o' "0$3")" ]; then return 0; fi
    mkdir -p "$(dirname "$2")"
    cp "$1" "$2.dutywatch-new"
    chmod "$3" "$2.dutywatch-new"
    mv -f "$2.dutywatch-new" "$2"
    changed=$((changed + 1))
}
# install_tree SRC DEST: every file of SRC under DEST (executables 0755, the rest 0644).
install_tree() {
    list=$(cd "$1" && find . -type f | LC_ALL=C sort)
    old_ifs=$IFS
    IFS='
'
    set -f
    for f in $list; do
        f=${f#./}
        if [ -x "$1/$f" ]; then mode=755; else mode=644; fi
        install_file "$1/$f" "$2/$f" "$mode"
    done
    set +f
    IFS=$old_ifs
}
make_dir() { # make_dir DIR MODE [OWNER]
    [ -d "$1" ] || { mkdir -p "$1"; changed=$((changed + 1)); }
    [ "$(stat -c %a "$1")" = "$2" ] || chmod "$2" "$1"
    if [ -z "$DESTDIR" ] && [ -n "${3:-}" ]; then chown "$3" "$1"; fi
}
link() { # link TARGET NAME
    if [ -L "$2" ] && [ "$(readlink "$2")" = "$1" ]; then return 0; fi
    [ -e "$2" ] && [ ! -L "$2" ] && fail "$2 exists and is not a link: move it away first"
    mkdir -p "$(dirname "$2")"
    ln -sfn "$1" "$2"
    changed=$((changed + 1))
}

# 1. The user.
if [ -z "$DESTDIR" ]; then
    if ! getent group "$USER_NAME" >/dev/null; then groupadd --system "$USER_NAME"; fi
    if ! getent passwd "$USER_NAME" >/dev/null; then
        useradd --system --gid "$USER_NAME" --home-dir /var/lib/duty-agent --no-create-home \
            --shell /usr/sbin/nologin --comment "DutyWatch" "$USER_NAME"
        say "created the system user $USER_NAME"
    fi
else
    say "DESTDIR is set: the user $USER_NAME is not created and nothing is chowned"
fi

# 2. Programs and data.
root="$DESTDIR$PREFIX"
install_tree "$here/bin" "$root/bin"
for part in holidays example docs packaging; do
    [ -d "$here/$part" ] && install_tree "$here/$part" "$root/$part"
done
install_file "$here/VERSION" "$root/VERSION" 644
install_file "$here/install.sh" "$root/install.sh" 755
link "$PREFIX/bin/duty-agent" "$DESTDIR$BINDIR/duty-agent"
link "$PREFIX/bin/duty-collector" "$DESTDIR$BINDIR/duty-collector"

# 3. Folders.
make_dir "$DESTDIR/etc/dutywatch" 750 "root:$USER_NAME"
make_dir "$DESTDIR/var/lib/duty-agent" 750 "$USER_NAME:$USER_NAME"
make_dir "$DESTDIR/var/lib/duty-collector" 750 "$USER_NAME:$USER_NAME"

# 4. The collector's config and admin token, only if absent.
etc="$DESTDIR/etc/dutywatch"
if [ ! -e "$etc/collector.toml" ]; then
    cat > "$etc/collector.toml" <<'TOML'
# The DutyWatch collector's config, written once by install.sh; every key: /opt/dutywatch/docs/collector.md.
[server]
host = "127.0.0.1"      # "0.0.0.0" to serve the offices' agents: then give tls_cert and tls_key
port = 8080

[database]
url = "sqlite:///var/lib/duty-collector/duty-collector.sqlite"   # or postgres://user:pw@host:5432/db

[auth]
admin_token_file = "admin.token"    # beside this file; made by install.sh, readable by root and dutywatch only
TOML
    chmod 640 "$etc/collector.toml"
    [ -z "$DESTDIR" ] && chown "root:$USER_NAME" "$etc/collector.toml"
    changed=$((changed + 1))
    say "wrote $etc/collector.toml"
else
    say "kept the existing $etc/collector.toml"
fi
if [ ! -e "$etc/admin.token" ]; then
    (umask 027 && head -c 32 /dev/urandom | base64 | tr -d '\n=' > "$etc/admin.token" && echo >> "$etc/admin.token")
    [ -z "$DESTDIR" ] && chown "root:$USER_NAME" "$etc/admin.token"
    changed=$((changed + 1))
    say "wrote a new admin token to $etc/admin.token"
fi

# 5. systemd units.
install_file "$here/packaging/systemd/duty-agent.service" "$DESTDIR$UNITDIR/duty-agent.service" 644
install_file "$here/packaging/systemd/duty-collector.service" "$DESTDIR$UNITDIR/duty-collector.service" 644
if [ -z "$DESTDIR" ] && command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    systemctl daemon-reload
fi

version=$(cat "$here/VERSION")
if [ "$changed" -eq 0 ]; then
    say "DutyWatch $version was already installed in $DESTDIR$PREFIX: nothing changed"
else
    say "installed DutyWatch $version in $DESTDIR$PREFIX ($changed files and folders written)"
fi
cat <<EOF

Next steps
  At an office (the agent):
    1. duty-agent init --badges /srv/badges --people /etc/dutywatch/people.csv --output /etc/dutywatch/agent.toml
       (writes a first config from the badge exports and the people list; it says what is left to decide)
    2. duty-agent check --config /etc/dutywatch/agent.toml    # read the anomalies with HR before going live
    3. fill in [collector] (url, token_file) in agent.toml, then: systemctl enable --now duty-agent
  At the organisation (the collector):
    1. edit /etc/dutywatch/collector.toml (address, TLS, database, reviewers)
    2. systemctl enable --now duty-collector
    3. duty-collector agents add --config /etc/dutywatch/collector.toml --id OFFICE --units UNIT > OFFICE.token
  Read /opt/dutywatch/docs/ and README.md for the rest.
EOF
