#!/usr/bin/env bash
# khronos_validator.sh - every .glb metahall ships, and the hall that
# `metahall export` writes, pass the Khronos
# glTF-Validator (npm package gltf-validator, pinned) with zero errors.
. "$(dirname "$0")/lib.sh"
command -v node >/dev/null && command -v npm >/dev/null || skip "node and npm are not installed"
version=2.0.0-dev.3.10
npm_dir="$MH_OUT/npm"
if [ ! -f "$npm_dir/node_modules/gltf-validator/package.json" ]; then
    mkdir -p "$npm_dir"
    npm install --prefix "$npm_dir" --no-audit --no-fund --loglevel=error "gltf-validator@$version" ||
        skip "could not install gltf-validator@$version from the npm registry"
fi
mapfile -t files < <(find "$MH_SRC/assets" -name '*.glb' -o -name '*.gltf' | sort)
[ "${#files[@]}" -ge 13 ] || fail "expected at least 13 shipped models, found ${#files[@]}"
# and the whole hall as `metahall export` writes it
metahall export --out "$MH_OUT/export_hall.glb" || fail "metahall export failed"
files+=("$MH_OUT/export_hall.glb")
NODE_PATH="$npm_dir/node_modules" node "$MH_SRC/tests/tools/khronos_validate.cjs" "${files[@]}"
