#!/usr/bin/env bash
# gltf_compressed.sh - compressed meshes load as their originals do: the real
# models in ../shared/models packed by Debian's gltfpack with
# EXT_meshopt_compression (-c), and a mesh encoded by Debian's draco_encoder
# wrapped as KHR_draco_mesh_compression. Each must load with the same
# triangles, materials, images, morph targets and animations, and bounds
# within the quantization, and pass `metahall validate`. Skips (exit 77) when
# the tools are missing, unless MH_REQUIRE_ALL=1.
. "$(dirname "$0")/lib.sh"
models="$MH_SRC/../shared/models"
[ -d "$models" ] || skip_no_shared "no models at $models"
command -v gltfpack >/dev/null || skip "gltfpack is not installed (Debian package gltfpack)"
command -v draco_encoder >/dev/null || skip "draco_encoder is not installed (Debian package draco)"
tool() { "${EMU[@]}" "$MH_GLTF_TOOL" "$@"; }
out="$MH_OUT/compressed"
rm -rf "$out" && mkdir -p "$out"

# value KEY LINE: the value of key=value in an info line
value() { sed -n "s/.* \{0,1\}$1=\([^ ]*\).*/\1/p" <<<"$2"; }

# same_bounds A B: every bound within 1% of the model's extent (quantization)
same_bounds() {
    python3 - "$1" "$2" <<'PY'
import sys
def parse(line):
    d = dict(kv.split('=') for kv in line.split())
    return [float(x) for x in d['min'].split(',')], [float(x) for x in d['max'].split(',')]
(a0, a1), (b0, b1) = parse(sys.argv[1]), parse(sys.argv[2])
ext = max(a1[k] - a0[k] for k in range(3))
bad = [k for k in range(3) if abs(a0[k] - b0[k]) > 0.01 * ext or abs(a1[k] - b1[k]) > 0.01 * ext]
sys.exit(1 if bad else 0)
PY
}

for m in FlightHelmet/FlightHelmet.gltf MorphStressTest.gltf AlienCake/alien.glb; do
    name=$(basename "${m%.*}")
    gltfpack -i "$models/$m" -o "$out/$name.glb" -c >/dev/null || fail "gltfpack could not pack $m"
    grep -aq EXT_meshopt_compression "$out/$name.glb" || fail "$name.glb does not use EXT_meshopt_compression"
    a=$(tool info "$models/$m") || fail "the original $m does not load"
    b=$(tool info "$out/$name.glb") || fail "the meshopt-compressed $name.glb does not load"
    echo "$name: original   $a"
    echo "$name: compressed $b ($(stat -c %s "$out/$name.glb") bytes)"
    for k in triangles materials images animations targets; do
        [ "$(value $k "$a")" = "$(value $k "$b")" ] || fail "$name: $k differ: $(value $k "$a") vs $(value $k "$b")"
    done
    same_bounds "$a" "$b" || fail "$name: the bounds differ by more than 1%"
    metahall validate "$out/$name.glb" >/dev/null 2>&1 || fail "validate rejects the compressed $name.glb"
done

# Draco: the helmet's first primitive through draco_encoder (14-bit positions)
p=$(tool ply "$models/FlightHelmet/FlightHelmet.gltf" "$out/helmet.ply") || fail "could not write the PLY"
draco_encoder -i "$out/helmet.ply" -o "$out/helmet.drc" -qp 14 -qn 10 >/dev/null || fail "draco_encoder failed"
d=$(tool draco "$out/helmet.drc" "$out") || fail "could not wrap the Draco mesh"
b=$(tool info "$out/draco.gltf") || fail "the Draco-compressed primitive does not load"
echo "helmet primitive 0: $p; Draco $(stat -c %s "$out/helmet.drc") bytes, $d; loaded: $b"
[ "$(value triangles "$p")" = "$(value triangles "$b")" ] || fail "Draco: triangles differ"
same_bounds "$p" "$b" || fail "Draco: the bounds differ by more than 1%"
metahall validate "$out/draco.gltf" >/dev/null 2>&1 || fail "validate rejects the Draco glTF"
echo "gltf_compressed: meshopt and Draco models load as their originals"
