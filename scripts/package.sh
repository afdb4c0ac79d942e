#!/usr/bin/env bash
# Builds the release tarball: dist/dutywatch-VERSION-linux-x86_64.tar.gz (and its .sha256).
#
#   scripts/package.sh [--scratch-path DIR]     # default .build-release (kept between runs: the
#                                               # first release build takes ~16 minutes on 2 cores)
#
# Both programs are built in release with the Swift standard library and Foundation linked
# statically (`--static-swift-stdlib`; Foundation's ICU data is inside the binary), so the target
# machine needs no Swift toolchain. The tarball holds:
#   bin/                 duty-agent, duty-collector and every *.resources bundle SwiftPM made for
#                        them (the programs look for their bundles beside themselves)
#   holidays/            the holiday-cn calendars `duty-agent init` copies next to a new config
#   example/             the example office (config/example)
#   docs/                README.md and docs/*.md
#   packaging/systemd/   duty-agent.service, duty-collector.service
#   install.sh, VERSION
# The version is the VERSION file's; the commit is `git rev-parse --short HEAD` (with `-dirty` when
# the tracked sources differ from it). Both are stamped into Sources/Shared/BuildInfo.swift for
# the build and the file is put back afterwards, so `--version` of a plain `swift build` keeps
# saying "development build".
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=.build-release
while [ $# -gt 0 ]; do
    case "$1" in
        --scratch-path) scratch="$2"; shift 2 ;;
        *) echo "usage: scripts/package.sh [--scratch-path DIR]" >&2; exit 2 ;;
    esac
done

version=$(tr -d ' \t\r\n' < VERSION)
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-.+][0-9A-Za-z.-]+)?$ ]] || { echo "package: VERSION: \"$version\" is not a version such as 1.2.3" >&2; exit 1; }
info=Sources/Shared/BuildInfo.swift
grep -q "public static let version = \"$version\"" "$info" \
    || { echo "package: $info says another version than VERSION ($version): make them agree" >&2; exit 1; }
if commit=$(git rev-parse --short=12 HEAD 2>/dev/null); then
    if ! git diff --quiet HEAD -- . ":(exclude)$info" 2>/dev/null; then commit="$commit-dirty"; fi
else
    commit="unknown"
fi
arch=$(uname -m)
name="dutywatch-$version-linux-$arch"

# Foundation's URLSession (FoundationNetworking, used by the agent's delivery) links libcurl: the
# static link needs its development files (the programs then need only the system's libcurl4).
if ! ls /usr/lib/*/libcurl.so /usr/lib/libcurl.so >/dev/null 2>&1; then
    if command -v apt-get >/dev/null && [ "$(id -u)" -eq 0 ]; then
        echo "package: installing libcurl4-openssl-dev (needed to link FoundationNetworking statically)" >&2
        apt-get install -y libcurl4-openssl-dev >&2 || { apt-get update >&2 && apt-get install -y libcurl4-openssl-dev >&2; }
    else
        echo "package: libcurl's development files are missing: install libcurl4-openssl-dev (Debian/Ubuntu)" >&2
        exit 1
    fi
fi

# Stamp the version and commit for this build only; the original (and its modification time,
# so that the debug build does not recompile for it) comes back however the script ends.
backup=$(mktemp)
cp -p "$info" "$backup"
trap 'cp -p "$backup" "$info"; rm -f "$backup"' EXIT
sed -i "s|public static let commit: String? = nil|public static let commit: String? = \"$commit\"|" "$info"
grep -q "\"$commit\"" "$info" || { echo "package: could not stamp the commit into $info" >&2; exit 1; }

echo "package: building $name (commit $commit) in $scratch" >&2
swift build -c release --static-swift-stdlib --scratch-path "$scratch" >&2
bin=$(swift build -c release --static-swift-stdlib --scratch-path "$scratch" --show-bin-path)
cp -p "$backup" "$info"

# No library of the Swift toolchain may be needed at run time.
toolchain=$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")
for exe in duty-agent duty-collector; do
    if ldd "$bin/$exe" | grep -E "libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime|libicu|$toolchain" >&2; then
        echo "package: $exe needs the Swift toolchain's libraries above at run time" >&2
        exit 1
    fi
done

stage="dist/$name"
rm -rf "$stage" "dist/$name.tar.gz" "dist/$name.tar.gz.sha256"
mkdir -p "$stage/bin" "$stage/docs" "$stage/packaging"
for exe in duty-agent duty-collector; do
    cp "$bin/$exe" "$stage/bin/$exe"
    strip "$stage/bin/$exe"
done
# Resource bundles (templates, assets…): beside the binaries, where Bundle.module looks first.
shopt -s nullglob
for bundle in "$bin"/*.resources; do cp -R "$bundle" "$stage/bin/"; done
shopt -u nullglob
cp -R holidays "$stage/holidays"
cp -R config/example "$stage/example"
rm -rf "$stage/example/spool" "$stage/example/agent.token" "$stage/example"/*.sqlite*
cp README.md "$stage/docs/README.md"
cp docs/*.md "$stage/docs/"
cp -R packaging/systemd "$stage/packaging/systemd"
cp packaging/install.sh "$stage/install.sh"
chmod 755 "$stage/install.sh"
echo "$version" > "$stage/VERSION"
echo "$commit" > "$stage/COMMIT"

# Reproducible order and owners in the archive.
tar --sort=name --owner=0 --group=0 --numeric-owner -C dist -czf "dist/$name.tar.gz" "$name"
(cd dist && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
rm -rf "$stage"
echo "dist/$name.tar.gz"
