#!/usr/bin/env bash
# run.sh [SECONDS] [TARGET...] - builds the libFuzzer targets with clang
# (ASan + UBSan, the arena poisoned) and runs each for SECONDS (default 60),
# seeded from the crash regressions, the shipped assets, ../shared/conformance
# and ../shared/models (with gltfpack's meshopt-compressed versions when
# gltfpack is installed), with a dictionary for the JSON formats. Targets
# run one per core at a time (MH_FUZZ_JOBS).
#
#   tests/fuzz/run.sh                      CI: every target for 60 s
#   tests/fuzz/run.sh 3600 gltf gltf_data  a campaign: an hour per target
#
# The corpus each target grows is kept in build/fuzz/corpus/<target>, so a
# campaign picks up where the last run stopped (delete it to start over).
# Fails on any crash, leak or timeout; the input that did it is left in
# build/fuzz/run/artifacts/ (add it to tests/fuzz/regressions/<target>/ once
# fixed). Prints a table: executions, coverage (edges), features, corpus
# size and the result, also written to build/fuzz/run/summary.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-60}
shift || true
all=(gltf gltf_data manifest png layout command)
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=("${all[@]}")
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)" --target $(printf 'fuzz_%s ' "${targets[@]}") >/dev/null
out=build/fuzz/run
rm -rf "$out" && mkdir -p "$out/artifacts"
shared=../shared
[ -d "$shared" ] || shared=""

# libFuzzer takes folders: gather the manifests into one, and the real
# models (and their compressed versions) into another
mkdir -p "$out/seeds/manifest" "$out/seeds/models"
cp assets/halls/default/hall.json "$out/seeds/manifest/"
for f in assets/exhibits/*/exhibit.json; do cp "$f" "$out/seeds/manifest/$(basename "$(dirname "$f")").json"; done
if [ -n "$shared" ] && [ -d "$shared/models" ]; then
    # self-contained ones only (the fuzz target reads no external files)
    find "$shared/models" -name '*.glb' -exec cp {} "$out/seeds/models/" \;
    cp "$shared/models/MorphStressTest.gltf" "$out/seeds/models/" 2>/dev/null || true
    if command -v gltfpack >/dev/null; then
        for m in "$shared/models/FlightHelmet/FlightHelmet.gltf" "$shared/models/MorphStressTest.gltf" \
                 "$shared/models/AlienCake/alien.glb"; do
            n=$(basename "${m%.*}")
            gltfpack -i "$m" -o "$out/seeds/models/$n-meshopt.glb" -c >/dev/null 2>&1 || true
        done
    fi
fi
seeds_gltf=(tests/fuzz/regressions/gltf assets/exhibits "$out/seeds/models" ${shared:+"$shared/conformance"})
seeds_gltf_data=(tests/fuzz/regressions/gltf_data)
seeds_manifest=(tests/fuzz/regressions/manifest "$out/seeds/manifest")
seeds_png=(tests/fuzz/regressions/png assets/halls/default/textures ${shared:+"$shared/conformance/tinygltf"})
seeds_layout=(tests/fuzz/regressions/layout "$out/seeds/manifest")   # the manifests' Chinese and English text
seeds_command=(tests/fuzz/regressions/command)
dict_gltf=tests/fuzz/gltf.dict
dict_manifest=tests/fuzz/manifest.dict

# run_one TARGET: fuzzes one target for $secs; writes its table row to
# $out/TARGET.row and exits 1 on a crash, leak or timeout
run_one() {
    local t=$1 corpus="build/fuzz/corpus/$1" d rc
    mkdir -p "$corpus"
    local seeds="seeds_$t[@]" dict="dict_$t"
    local dirs=()
    for d in "${!seeds}"; do [ -e "$d" ] && dirs+=("$d"); done   # git keeps no empty folders
    local opts=(-max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=262144
                -artifact_prefix="$out/artifacts/$t-" -print_final_stats=1)
    [ -n "${!dict:-}" ] && opts+=(-dict="${!dict}")
    set +e
    "build/fuzz/tests/fuzz_$t" "$corpus" "${dirs[@]}" "${opts[@]}" > "$out/$t.log" 2>&1
    rc=$?
    set -e
    local execs cov ft units result=ok
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$t.log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$out/$t.log" | tail -1 | cut -d' ' -f2)
    ft=$(grep -o 'ft: [0-9]*' "$out/$t.log" | tail -1 | cut -d' ' -f2)
    units=$(find "$corpus" -type f | wc -l)
    if [ "$rc" != 0 ]; then
        result="FAILED (exit $rc): $(ls "$out/artifacts" | grep "^$t-" | head -3 | tr '\n' ' ')"
        tail -40 "$out/$t.log"
    fi
    printf '%-10s %12s %8s %9s %7s %6s  %s\n' "$t" "${execs:-?}" "$secs" "${cov:-?}" "${ft:-?}" "$units" \
        "$result" >"$out/$t.row"
    [ "$rc" = 0 ]
}

# one target per core at a time (MH_FUZZ_JOBS to change it): each still
# gets its full $secs of a core
jobs=${MH_FUZZ_JOBS:-$(nproc)}
status=0
running=0
for t in "${targets[@]}"; do
    if [ "$running" -ge "$jobs" ]; then
        wait -n || status=1
        running=$((running - 1))
    fi
    run_one "$t" &
    running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
    wait -n || status=1
    running=$((running - 1))
done
table=$(printf '%-10s %12s %8s %9s %7s %6s  %s' target executions seconds coverage features corpus result)$'\n'
for t in "${targets[@]}"; do table+=$(cat "$out/$t.row")$'\n'; done
echo "fuzzing (libFuzzer, ASan + UBSan, arena poisoned), $(date -u +%Y-%m-%d):"
printf '%s' "$table" | tee "$out/summary.txt"
exit $status
