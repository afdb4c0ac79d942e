#!/usr/bin/env bash
# The release tarball as an office's IT person gets it: built by scripts/package.sh, unpacked into
# an empty folder, run from there with an empty environment (env -i), installed twice into a
# throw-away root. Exits 1 on the first thing that is not right.
#
#   scripts/test-package.sh [--scratch-path DIR]   # default .build-release; the first release
#                                                  # build takes ~16 minutes on 2 cores
# scripts/test.sh runs it last, unless DUTYWATCH_TEST_PACKAGE=0.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

scratch=.build-release
if [ "${1:-}" = --scratch-path ] && [ -n "${2:-}" ]; then scratch=$2; fi
tarball=$(scripts/package.sh --scratch-path "$scratch" | tail -n 1)
[ -f "$tarball" ] || { echo "test-package: package.sh made no tarball" >&2; exit 1; }
version=$(tr -d ' \n' < VERSION)
[[ "$(basename "$tarball")" == "dutywatch-$version-linux-x86_64.tar.gz" ]] \
    || { echo "test-package: unexpected tarball name $tarball" >&2; exit 1; }
(cd "$(dirname "$tarball")" && sha256sum -c "$(basename "$tarball").sha256" >/dev/null)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "test-package: $*" >&2; exit 1; }

# 1. Unpacked into an empty folder; the programs run with an empty environment.
mkdir "$work/unpacked"
tar -xzf "$tarball" -C "$work/unpacked"
top="$work/unpacked/dutywatch-$version-linux-x86_64"
for f in bin/duty-agent bin/duty-collector install.sh VERSION holidays/2026.json example/agent.toml \
         packaging/systemd/duty-agent.service packaging/systemd/duty-collector.service docs/README.md docs/config.md; do
    [ -e "$top/$f" ] || fail "the tarball has no $f"
done
commit=$(cat "$top/COMMIT")
for exe in duty-agent duty-collector; do
    line=$(cd "$work" && env -i "$top/bin/$exe" --version)
    [ "$line" = "$exe $version (commit $commit)" ] || fail "$exe --version says \"$line\", not \"$exe $version (commit $commit)\""
    libs=$(ldd "$top/bin/$exe")
    if grep -E "libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime|libicu|not found" <<<"$libs"; then
        fail "$exe needs the libraries above"
    fi
done
# Every resource bundle the release build made is beside the binaries.
bin=$(swift build -c release --static-swift-stdlib --scratch-path "$scratch" --show-bin-path 2>/dev/null || true)
if [ -n "$bin" ]; then
    for bundle in "$bin"/*.resources; do
        [ -e "$bundle" ] || continue
        [ -d "$top/bin/$(basename "$bundle")" ] || fail "the tarball lacks $(basename "$bundle")"
    done
fi

(cd "$work" && env -i "$top/bin/duty-agent" check --config "$top/example/agent.toml" \
    --from 2026-10-01 --to 2026-10-31 --format json --output "$work/check.json")
python3 "$repo/scripts/compare-truth.py" "$top/example/truth.json" "$work/check.json" \
    || fail "duty-agent check from the tarball does not find the example's anomalies (truth.json)"
# validate reports the example's deliberate bad lines and unknown badge (exit 1), nothing in its config.
(cd "$work" && env -i "$top/bin/duty-agent" validate --config "$top/example/agent.toml" > "$work/validate.txt") || true
grep -qE "1_attlog.dat:[0-9]+: .*is a date that does not exist" "$work/validate.txt" || fail "duty-agent validate from the tarball does not report the example's bad lines"
if grep "agent.toml:" "$work/validate.txt"; then fail "duty-agent validate from the tarball finds problems in the example's config"; fi

# 2. install.sh twice into a throw-away root: the second run changes nothing.
dest="$work/root"
manifest() {
    (cd "$dest" && find . -printf '%p %y %m %s %T@ %l\n' | LC_ALL=C sort
     cd "$dest" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
}
env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DESTDIR="$dest" "$top/install.sh" > "$work/install1.log"
manifest > "$work/manifest1"
env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DESTDIR="$dest" "$top/install.sh" > "$work/install2.log"
manifest > "$work/manifest2"
diff -u "$work/manifest1" "$work/manifest2" || fail "the second install.sh changed the files above"
grep -q "nothing changed" "$work/install2.log" || fail "the second install.sh does not say that nothing changed"
grep -q "Next steps" "$work/install1.log" || fail "install.sh prints no next step"
for f in opt/dutywatch/bin/duty-agent opt/dutywatch/bin/duty-collector opt/dutywatch/holidays/2026.json \
         etc/dutywatch/collector.toml etc/dutywatch/admin.token etc/systemd/system/duty-agent.service \
         etc/systemd/system/duty-collector.service; do
    [ -f "$dest/$f" ] || fail "install.sh did not install /$f"
done
for d in etc/dutywatch var/lib/duty-agent var/lib/duty-collector; do [ -d "$dest/$d" ] || fail "install.sh made no /$d"; done
[ "$(readlink "$dest/usr/local/bin/duty-agent")" = /opt/dutywatch/bin/duty-agent ] || fail "no link /usr/local/bin/duty-agent"
cmp -s "$top/packaging/systemd/duty-agent.service" "$dest/etc/systemd/system/duty-agent.service" || fail "the agent unit differs"

# An existing config (edited by the office) is never overwritten, not even by a newer tarball.
echo "# edited by the office" >> "$dest/etc/dutywatch/collector.toml"
cp "$dest/etc/dutywatch/collector.toml" "$work/collector.toml.edited"
cp "$dest/etc/dutywatch/admin.token" "$work/admin.token.before"
env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DESTDIR="$dest" "$top/install.sh" > "$work/install3.log"
cmp -s "$work/collector.toml.edited" "$dest/etc/dutywatch/collector.toml" || fail "install.sh overwrote an existing collector.toml"
cmp -s "$work/admin.token.before" "$dest/etc/dutywatch/admin.token" || fail "install.sh replaced an existing admin token"

# 3. The installed agent writes a first config from the example's files, with the bundled calendars.
office="$work/office"
mkdir "$office"
(cd "$work" && env -i "$dest/opt/dutywatch/bin/duty-agent" init --badges "$top/example/badges" \
    --people "$top/example/people.csv" --output "$office/agent.toml" > "$work/init.log") || { cat "$work/init.log" >&2; fail "init failed"; }
[ -f "$office/holidays/2026.json" ] || fail "init did not copy the bundled 2026 calendar"
cmp -s "$office/holidays/2026.json" "$repo/holidays/2026.json" || fail "init copied another 2026 calendar"
grep -q "Left to decide" "$work/init.log" || fail "init does not say what is left to decide"
if (cd "$work" && env -i "$dest/opt/dutywatch/bin/duty-agent" init --badges "$top/example/badges" \
    --people "$top/example/people.csv" --output "$office/agent.toml" >/dev/null 2>&1); then
    fail "init overwrote an existing config"
fi
(cd "$work" && env -i "$dest/opt/dutywatch/bin/duty-agent" check --config "$office/agent.toml" \
    --from 2026-10-01 --to 2026-10-31 --format json --output "$work/init-check.json") || fail "check on init's config failed"

echo "test-package: $(basename "$tarball"): unpacked, ran with env -i (check = truth.json), no toolchain library, installed twice identically, init works from the install"
