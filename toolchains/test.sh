#!/usr/bin/env bash
# test.sh - sets up and runs the whole test suite (what CI runs):
#   1. a RelWithDebInfo build and every test: unit, golden images, command
#      line, the SDL window under Xvfb, shader validation, and the aarch64
#      cross build with its unit tests and a headless render under qemu;
#   2. an ASan + UBSan build running the same suite (less the cross build
#      and the source checks labelled tools: formatting, layering, shaders,
#      and the three.js reference comparison, label ref, which runs in 1);
#   3. libFuzzer on the glTF, manifest, PNG, text-layout and control-command
#      parsers, 60 s each, one per core at a time
#      (MH_FUZZ_SECONDS to change it).
# Every tool must be present (MH_REQUIRE_ALL=1): nothing is skipped quietly.
set -euo pipefail
cd "$(dirname "$0")/.."
toolchains/setup.sh --test
export MH_REQUIRE_ALL=1
jobs=$(nproc)
start=$(date +%s)

echo "== test: build + full suite"
cmake --preset test
cmake --build --preset test -j "$jobs"
ctest --preset test -j "$jobs"

echo "== asan: AddressSanitizer + UndefinedBehaviorSanitizer build + full suite"
cmake --preset asan
cmake --build --preset asan -j "$jobs"
ctest --preset asan -j "$jobs"

echo "== fuzz: libFuzzer targets, ${MH_FUZZ_SECONDS:-60} s each"
bash tests/fuzz/run.sh "${MH_FUZZ_SECONDS:-60}"

echo "== all tests passed in $(( $(date +%s) - start )) s"
