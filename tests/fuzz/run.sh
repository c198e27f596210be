#!/usr/bin/env bash
# run.sh [SECONDS] - builds the libFuzzer targets with clang (ASan + UBSan)
# and runs each for SECONDS (default 60), seeded from the crash regressions,
# the shipped assets and ../shared/conformance. Fails on any crash, leak or
# timeout; the input that did it is left in build/fuzz/run/artifacts/ (add
# it to tests/fuzz/regressions/<target>/ once fixed). Prints a table.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-60}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)" --target fuzz_gltf fuzz_manifest fuzz_png fuzz_layout fuzz_command >/dev/null
out=build/fuzz/run
rm -rf "$out" && mkdir -p "$out/artifacts"
shared=../shared/conformance
[ -d "$shared" ] || shared=""

# libFuzzer takes folders: gather the manifests into one
mkdir -p "$out/seeds/manifest"
cp assets/halls/default/hall.json "$out/seeds/manifest/"
for f in assets/exhibits/*/exhibit.json; do cp "$f" "$out/seeds/manifest/$(basename "$(dirname "$f")").json"; done
seeds_gltf=(tests/fuzz/regressions/gltf assets/exhibits ${shared:+"$shared"})
seeds_manifest=(tests/fuzz/regressions/manifest "$out/seeds/manifest")
seeds_png=(tests/fuzz/regressions/png assets/halls/default/textures ${shared:+"$shared/tinygltf"})
seeds_layout=(tests/fuzz/regressions/layout "$out/seeds/manifest")   # the manifests' Chinese and English text
seeds_command=(tests/fuzz/regressions/command)

status=0
table=""
for t in gltf manifest png layout command; do
    corpus="$out/corpus/$t"
    mkdir -p "$corpus"
    seeds="seeds_$t[@]"
    dirs=()
    for d in "${!seeds}"; do [ -e "$d" ] && dirs+=("$d"); done   # git keeps no empty folders
    set +e
    "build/fuzz/tests/fuzz_$t" "$corpus" "${dirs[@]}" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -max_len=262144 -artifact_prefix="$out/artifacts/$t-" -print_final_stats=1 > "$out/$t.log" 2>&1
    rc=$?
    set -e
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$t.log" | tail -1)
    result=ok
    if [ "$rc" != 0 ]; then
        result="FAILED (exit $rc)"
        status=1
        tail -40 "$out/$t.log"
    fi
    table+=$(printf '%-9s %10s executions in %ss  %s' "$t" "${execs:-?}" "$secs" "$result")$'\n'
done
echo "fuzzing (libFuzzer, ASan + UBSan):"
printf '%s' "$table"
exit $status
