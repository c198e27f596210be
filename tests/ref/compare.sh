#!/usr/bin/env bash
# compare.sh - metahall's PBR against a reference renderer (three.js in
# headless Chromium), scene by scene, scored with SSIM (README.md beside it).
#
#   bash tests/ref/compare.sh [--refs-only] [--fresh] [--only NAME]... [--min-mean M]
#
# For each scene of scenes.json: the reference PNG (cached by a hash of
# everything it depends on), `metahall render --model ...` (the interface in
# README.md), SSIM masked to the model (mh_ssim), a table and the mean, and
# metahall | reference | SSIM map side by side for review. Exit 0 when every
# render worked and the mean is at least --min-mean (default 0.9), 1 when not,
# 77 (skipped) while `metahall render --model` does not exist yet.
#   --refs-only   only the models, the environment and the reference PNGs
#                 (and the reference self-checks), no metahall
#   --fresh       render the references again, ignoring the cache, and say
#                 whether each came out byte-identical to the cached one
#   --only NAME   just that scene (repeatable)
# Output under $MH_REF_DIR (default build/ref): ref/, metahall/, side/,
# report.txt. Binaries: $MH_BIN (default build/test/metahall) and $MH_SSIM
# (default build/test/tests/mh_ssim), as ctest sets them.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
src="$(cd "$here/../.." && pwd)"
MH_BIN="${MH_BIN:-$src/build/test/metahall}"
MH_SSIM="${MH_SSIM:-$src/build/test/tests/mh_ssim}"
out="${MH_REF_DIR:-$src/build/ref}"
shared="$src/../shared"
refs_only=0 fresh=0 min_mean=0.9 only=()

while [ $# -gt 0 ]; do
    case "$1" in
        --refs-only) refs_only=1 ;;
        --fresh) fresh=1 ;;
        --only) only+=(--only "${2:?--only needs a scene name}"); shift ;;
        --min-mean) min_mean="${2:?--min-mean needs a number}"; shift ;;
        -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
        *) echo "compare: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done

say() { echo "compare: $*" >&2; }
# a missing tool: skipped, or a failure when every tool is required (CI)
missing() {
    if [ "${MH_REQUIRE_ALL:-0}" = 1 ]; then echo "FAIL (MH_REQUIRE_ALL=1): $*" >&2; exit 1; fi
    echo "SKIP: $*"; exit 77
}

if [ "$refs_only" = 0 ]; then
    [ -x "$MH_BIN" ] || { echo "compare: no metahall binary at $MH_BIN (build it, or set MH_BIN)" >&2; exit 2; }
    # the agreed interface is there once `metahall --help` names render --model
    if ! "$MH_BIN" --help 2>&1 | grep -q -- '--model'; then
        echo "SKIP: 'metahall render --model' does not exist yet ($MH_BIN --help does not mention --model);"
        echo "      tests/ref/README.md describes the interface this comparison needs."
        echo "      'bash tests/ref/compare.sh --refs-only' renders the reference images alone."
        exit 77
    fi
    [ -x "$MH_SSIM" ] || { echo "compare: no mh_ssim at $MH_SSIM (build the test preset, or set MH_SSIM)" >&2; exit 2; }
fi
for tool in node npm python3 gltfpack; do
    command -v "$tool" >/dev/null || missing "$tool is not installed (toolchains/setup.sh --test)"
done
chromium="${MH_CHROMIUM:-/usr/bin/chromium}"
[ -x "$chromium" ] || missing "Debian's chromium is not installed (toolchains/setup.sh --test)"

mkdir -p "$out"
exec 9>"$out/.lock"
flock 9        # one comparison at a time per output folder (its cache is shared)
t_start=$(date +%s.%N)
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$(date +%s.%N)"; }

# npm packages (pinned by package-lock.json), installed once per lock file
npm_dir="$out/npm"
lock_hash=$(sha256sum "$here/package-lock.json" | cut -c1-16)
if [ "$(cat "$npm_dir/.lock-hash" 2>/dev/null)" != "$lock_hash" ]; then
    say "installing the npm packages (three, playwright-core, glTF-Transform, draco3dgltf, gltf-validator)"
    rm -rf "$npm_dir"
    mkdir -p "$npm_dir"
    cp "$here/package.json" "$here/package-lock.json" "$npm_dir/"
    (cd "$npm_dir" && npm ci --no-audit --no-fund --loglevel=error >&2) ||
        missing "could not install the npm packages from the npm registry"
    echo "$lock_hash" > "$npm_dir/.lock-hash"
fi
export NODE_PATH="$npm_dir/node_modules"

# generated models and environment, made again when their scripts change
gen="$out/models" env_dir="$out/env"
gen_hash=$(cat "$here/gen_models.cjs" "$here/gen_env.cjs" "$here/png.cjs" "$here/validate.cjs" "$here/package-lock.json" \
           <(gltfpack -v 2>&1 | head -1) | sha256sum | cut -c1-16)
if [ "$(cat "$gen/.gen-hash" 2>/dev/null)" != "$gen_hash" ]; then
    say "generating the test models and the hall environment"
    rm -rf "$gen" "$env_dir"
    node "$here/gen_models.cjs" "$gen"
    gltfpack -i "$gen/mesh.glb" -o "$gen/mesh_meshopt.glb" -c -noq -kn -km >/dev/null
    node "$here/gen_env.cjs" "$env_dir/hall"
    node "$here/validate.cjs" "$gen"/*.glb >&2 || { echo "compare: a generated model does not pass the Khronos validator" >&2; exit 1; }
    echo "$gen_hash" > "$gen/.gen-hash"
fi

# scene specs, metahall arguments and cache keys (this run's outputs replace the last run's)
rm -rf "$out/specs" "$out/ref" "$out/metahall" "$out/side" "$out/report.txt"
salt="$("$chromium" --version 2>/dev/null) mesa $(dpkg-query -W -f='${Version}' libgl1-mesa-dri 2>/dev/null || true)"
mapfile -t rows < <(python3 "$here/scenes.py" "$here/scenes.json" --gen "$gen" --env "$env_dir" --shared "$shared" \
    --out "$out/specs" --salt "$salt" "${only[@]}" \
    --hash-file "$here/render_ref.cjs" --hash-file "$here/png.cjs" --hash-file "$here/page/index.html" \
    --hash-file "$here/page/render.js" --hash-file "$here/package-lock.json")

# reference images: the missing ones (or all with --fresh) in one Chromium
cache="$out/cache"
mkdir -p "$cache" "$out/ref"
jobs=() fresh_dir="$out/fresh"
rm -rf "$fresh_dir"
for row in "${rows[@]}"; do
    IFS=$'\t' read -r name status spec hash _ <<< "$row"
    [ "$status" = ok ] || continue
    if [ "$fresh" = 1 ]; then
        mkdir -p "$fresh_dir"
        jobs+=("$spec" "$fresh_dir/$hash.png")
    elif [ ! -f "$cache/$hash.png" ]; then
        jobs+=("$spec" "$cache/$hash.png.tmp")
    fi
done
if [ "${#jobs[@]}" -gt 0 ]; then
    t0=$(date +%s.%N)
    say "rendering $(( ${#jobs[@]} / 2 )) reference images"
    node "$here/render_ref.cjs" "${jobs[@]}"
    for ((i = 1; i < ${#jobs[@]}; i += 2)); do
        f="${jobs[i]}"
        case "$f" in
            *.tmp) mv "$f" "${f%.tmp}"; mv "$f.json" "${f%.tmp}.json" ;;
            *) c="$cache/$(basename "$f")"
               if [ ! -f "$c" ]; then cp "$f" "$c"; cp "$f.json" "$c.json"; echo "fresh: $(basename "$f") (not cached before)"
               elif cmp -s "$f" "$c"; then echo "fresh: $(basename "$f") byte-identical to the cached image"
               else echo "fresh: $(basename "$f") DIFFERS from the cached image"; fi ;;
        esac
    done
    say "references rendered in $(elapsed "$t0") s"
fi
for row in "${rows[@]}"; do
    IFS=$'\t' read -r name status spec hash _ <<< "$row"
    [ "$status" = ok ] || continue
    cp "$cache/$hash.png" "$out/ref/$name.png"
    cp "$cache/$hash.png.json" "$out/ref/$name.png.json"
done

# background SPEC: the spec's background colour as R,G,B
background() { python3 -c "import json,sys; print(','.join(map(str, json.load(open(sys.argv[1]))['background'])))" "$1"; }

# reference self-checks: the compressed meshes decode to the original mesh
ref_selfcheck() {
    local a="$out/ref/mesh.png" b bg
    [ -f "$a" ] && [ -x "$MH_SSIM" ] || return 0
    bg=$(background "$out/specs/mesh.json")
    for b in mesh_meshopt mesh_draco; do
        [ -f "$out/ref/$b.png" ] || continue
        "$MH_SSIM" "$a" "$out/ref/$b.png" --mask-bg "$bg" --min 0.97 > "$out/selfcheck_$b.txt" || {
            echo "compare: reference self-check: $b differs from mesh: $(cat "$out/selfcheck_$b.txt")" >&2; return 1; }
        say "reference self-check: mesh vs $b: $(cut -d' ' -f2 "$out/selfcheck_$b.txt")"
    done
}
ref_selfcheck

if [ "$refs_only" = 1 ]; then
    for row in "${rows[@]}"; do
        IFS=$'\t' read -r name status spec _ covers <<< "$row"
        if [ "$status" = ok ]; then printf '%-22s %s\n' "$name" "$out/ref/$name.png"
        else printf '%-22s skipped: %s\n' "$name" "$spec"; fi
    done
    say "done in $(elapsed "$t_start") s"
    exit 0
fi

# metahall, SSIM, the table
mkdir -p "$out/metahall" "$out/side"
report="$out/report.txt"
: > "$report"
sum=0 n=0 failed=0
printf '%-22s %-8s %s\n' scene ssim covers | tee -a "$report"
for row in "${rows[@]}"; do
    IFS=$'\t' read -r name status spec _ covers <<< "$row"
    if [ "$status" != ok ]; then
        printf '%-22s %-8s %s (skipped: %s)\n' "$name" - "$covers" "$spec" | tee -a "$report"
        continue
    fi
    mapfile -t args < "$out/specs/$name.args"
    mh_png="$out/metahall/$name.png"
    rm -f "$mh_png"
    if ! timeout 120 "$MH_BIN" "${args[@]}" --out "$mh_png" > "$out/metahall/$name.log" 2>&1 || [ ! -f "$mh_png" ]; then
        printf '%-22s %-8s %s (metahall failed: %s)\n' "$name" FAIL "$covers" "$(grep -m1 . "$out/metahall/$name.log" || echo 'no output')" | tee -a "$report"
        failed=$((failed + 1))
        continue
    fi
    bg=$(background "$spec")
    if ! line=$("$MH_SSIM" "$mh_png" "$out/ref/$name.png" --mask-bg "$bg" --side-by-side "$out/side/$name.png" 2>&1); then
        printf '%-22s %-8s %s (%s)\n' "$name" FAIL "$covers" "$line" | tee -a "$report"
        failed=$((failed + 1))
        continue
    fi
    s=$(echo "$line" | cut -d' ' -f2)
    printf '%-22s %-8s %s\n' "$name" "$s" "$covers" | tee -a "$report"
    sum=$(python3 -c "print($sum + $s)")
    n=$((n + 1))
done
mean=$(python3 -c "print(f'{$sum / $n:.4f}' if $n else 'nan')")
echo "mean SSIM over $n scenes: $mean (threshold $min_mean); $failed failed; side by side (metahall | reference | SSIM map) in $out/side" | tee -a "$report"
say "done in $(elapsed "$t_start") s"
[ "$failed" = 0 ] && [ "$n" -gt 0 ] && python3 -c "import sys; sys.exit(0 if $mean >= $min_mean else 1)"
