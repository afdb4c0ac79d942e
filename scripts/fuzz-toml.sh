#!/usr/bin/env bash
# Fuzzes the TOML reader both programs use (ConfigSupport's TOMLKeyGuard in front of TOMLKit and
# its bundled toml++) with libFuzzer: any input that aborts or traps the process is a finding.
#
#   scripts/fuzz-toml.sh [SECONDS]     # default 30; longer runs: scripts/fuzz-toml.sh 3600
#
# It builds a throw-away package in .build-fuzz-toml/ (ignored by git) from the two ConfigSupport
# sources and TOMLKit, instrumented with -sanitize=fuzzer (C++ included), in debug so toml++'s
# assertions are on. Seeds: scripts/fuzz/toml-seeds (real configs and the inputs that used to
# crash). A crash is written as .build-fuzz-toml/crash-*; copy it into the seeds as a
# regression input once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
seconds=${1:-30}
work="$root/.build-fuzz-toml"
mkdir -p "$work/Sources/FuzzTOML" "$work/corpus"
cp Sources/ConfigSupport/TOMLText.swift Sources/ConfigSupport/TOMLKeyGuard.swift "$work/Sources/FuzzTOML/"
cat > "$work/Sources/FuzzTOML/main.swift" <<'SWIFT'
import CFuzzer
import Foundation

/// One input: any bytes; only valid UTF-8 reaches the parser, as in the config readers.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return 0 }
    _ = try? TOMLText.parse(text)
    return 0
}

// SwiftPM makes this file's top-level code the program's main: hand over to libFuzzer's driver.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOne(data, size) })
SWIFT
mkdir -p "$work/Sources/CFuzzer/include"
cat > "$work/Sources/CFuzzer/include/CFuzzer.h" <<'C'
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
C
echo '/* declarations only: CFuzzer.h */' > "$work/Sources/CFuzzer/CFuzzer.c"
cat > "$work/Package.swift" <<'SWIFT'
// swift-tools-version:6.0
import PackageDescription
let package = Package(
    name: "FuzzTOML",
    dependencies: [.package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0")],
    targets: [
        .target(name: "CFuzzer"),
        .executableTarget(name: "FuzzTOML", dependencies: ["CFuzzer", .product(name: "TOMLKit", package: "TOMLKit")]),
    ]
)
SWIFT
rm -f "$work/Sources/FuzzTOML/Fuzz.swift"
cd "$work"
swift build -c debug -Xswiftc -sanitize=fuzzer -Xswiftc -use-ld=lld \
    -Xcc -fsanitize=fuzzer-no-link -Xcxx -fsanitize=fuzzer-no-link >&2
cp -n "$root"/scripts/fuzz/toml-seeds/* corpus/ 2>/dev/null || true
SWIFT_BACKTRACE=enable=no exec .build/debug/FuzzTOML corpus -artifact_prefix="$work/" -max_total_time="$seconds" -max_len=4096 -timeout=10 -print_final_stats=1
