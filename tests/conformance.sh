#!/usr/bin/env bash
# conformance.sh - the glTF loader against third-party conformance files in
# ../shared/conformance (the Khronos validator's test files with its reports,
# and tinygltf's models) and the real models in ../shared/models. Prints the
# agreement table (metahall validate against the Khronos validator, by
# folder); fails on any disagreement not explained in
# tests/conformance_exceptions.txt. Skips when ../shared is absent.
. "$(dirname "$0")/lib.sh"
shared="$MH_SRC/../shared/conformance"
[ -d "$shared/gltf-validator" ] || skip_no_shared "no conformance files at $shared"
models=()
[ -d "$MH_SRC/../shared/models" ] && models=("$MH_SRC/../shared/models")
"${EMU[@]}" "$MH_CONFORMANCE" "$shared" "$MH_SRC/tests/conformance_exceptions.txt" "${models[@]}"
