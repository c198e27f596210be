#!/usr/bin/env bash
# budgets_test.sh - issue 15's "small files, huge cost" reproducers, made
# here, each refused from what it declares, before the work, with a located
# error from `metahall validate` and from the kiosk (render: the booth shows
# its placeholder), in a fraction of a second and a few MB: 67 million
# indices in a few hundred bytes; a GLB with an 8192x8192 PNG; a hall.json of
# 4096 high-segment spheres; 150,000 attribute keys (loaded, in linear time);
# a 3.9 MB exhibit.json and an over-long name. Prints time and peak RSS.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "python3 is not installed"
tmp="$MH_OUT/budgets"
rm -rf "$tmp" && mkdir -p "$tmp"
python3 - "$tmp" <<'PY'
import json, struct, sys, zlib, os, base64
out = sys.argv[1]
def glb(j, binary):
    js = json.dumps(j, separators=(',', ':')).encode()
    js += b' ' * (-len(js) % 4)
    binary += b'\0' * (-len(binary) % 4)
    total = 12 + 8 + len(js) + 8 + len(binary)
    return struct.pack('<III', 0x46546C67, 2, total) + struct.pack('<II', len(js), 0x4E4F534A) + js + \
        struct.pack('<II', len(binary), 0x004E4942) + binary
# 1. 67 million indices declared in a few hundred bytes
j = {"asset": {"version": "2.0"}, "buffers": [{"byteLength": 268435452}],
     "bufferViews": [{"buffer": 0, "byteLength": 268435452}],
     "accessors": [{"bufferView": 0, "componentType": 5125, "count": 67108863, "type": "SCALAR"},
                   {"componentType": 5126, "count": 3, "type": "VEC3", "min": [0, 0, 0], "max": [0, 0, 0]}],
     "meshes": [{"primitives": [{"attributes": {"POSITION": 1}, "indices": 0}]}], "nodes": [{"mesh": 0}]}
open(f"{out}/indices.gltf", "w").write(json.dumps(j, separators=(',', ':')))
# 2. a GLB holding an 8192 x 8192 PNG (grey, rows of zeros: a few hundred KB)
w = h = 8192
raw = zlib.compress(b'\0' * ((w + 1) * h), 9)
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))
png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 0, 0, 0, 0)) + chunk(b'IDAT', raw) + \
    chunk(b'IEND', b'')
pos = struct.pack('<9f', 0, 0, 0, 1, 0, 0, 0, 1, 0)
uv = struct.pack('<6f', 0, 0, 1, 0, 0, 1)
binary = pos + uv + png
j = {"asset": {"version": "2.0"}, "buffers": [{"byteLength": len(binary)}],
     "bufferViews": [{"buffer": 0, "byteLength": 36}, {"buffer": 0, "byteOffset": 36, "byteLength": 24},
                     {"buffer": 0, "byteOffset": 60, "byteLength": len(png)}],
     "accessors": [{"bufferView": 0, "componentType": 5126, "count": 3, "type": "VEC3", "min": [0, 0, 0], "max": [1, 1, 0]},
                   {"bufferView": 1, "componentType": 5126, "count": 3, "type": "VEC2"}],
     "images": [{"bufferView": 2, "mimeType": "image/png"}], "textures": [{"source": 0}],
     "materials": [{"pbrMetallicRoughness": {"baseColorTexture": {"index": 0}}}],
     "meshes": [{"primitives": [{"attributes": {"POSITION": 0, "TEXCOORD_0": 1}, "material": 0}]}],
     "nodes": [{"mesh": 0}], "scenes": [{"nodes": [0]}], "scene": 0}
open(f"{out}/png8192.glb", "wb").write(glb(j, binary))
# 3. 150,000 attribute keys
j = {"asset": {"version": "2.0"}, "buffers": [{"byteLength": 36, "uri": "data:application/octet-stream;base64," +
     base64.b64encode(pos).decode()}], "bufferViews": [{"buffer": 0, "byteLength": 36}],
     "accessors": [{"bufferView": 0, "componentType": 5126, "count": 3, "type": "VEC3", "min": [0, 0, 0], "max": [1, 1, 0]}]}
attrs = {"POSITION": 0}
attrs.update({f"_A{i}": 0 for i in range(150000)})
j["meshes"] = [{"primitives": [{"attributes": attrs}]}]
j["nodes"] = [{"mesh": 0}]
open(f"{out}/keys.gltf", "w").write(json.dumps(j, separators=(',', ':')))
# 4. a hall of 4096 spheres of 128 segments (67 M triangles), with one exhibit
os.makedirs(f"{out}/hall/halls/big", exist_ok=True)
os.makedirs(f"{out}/hall/exhibits/ok", exist_ok=True)
hall = {"format": "metahall-hall/1", "name_zh": "测试", "name_en": "Test", "entrance": {"position": [0, 8]},
        "architecture": [{"shape": "sphere", "position": [0, 0, 0], "size": [1, 1, 1], "segments": 128}] * 4096}
open(f"{out}/hall/halls/big/hall.json", "w").write(json.dumps(hall, separators=(',', ':')))
# 5. a 3.9 MB exhibit.json, and one whose name is 300 000 characters (the slow sign of issue 15)
ex = {"format": "metahall-exhibit/1", "id": "huge", "name_zh": "钱塘", "name_en": "x", "narration_en": "y" * 3900000}
os.makedirs(f"{out}/exhibits/huge", exist_ok=True)
open(f"{out}/exhibits/huge/exhibit.json", "w").write(json.dumps(ex))
ex = {"format": "metahall-exhibit/1", "id": "longname", "name_zh": "钱塘" * 150000, "name_en": "x"}
os.makedirs(f"{out}/exhibits/longname", exist_ok=True)
open(f"{out}/exhibits/longname/exhibit.json", "w").write(json.dumps(ex, ensure_ascii=False))
PY

# run NAME WANT ARGS...: metahall validate ARGS; its output must contain WANT (a located error, or
# "valid"); prints the time and the peak RSS
run() {
    local name=$1 want=$2
    shift 2
    set +e
    out=$( { /usr/bin/time -f "TIME %e %M" "${EMU[@]}" "$MH_BIN" validate "$@"; } 2>&1)
    set -e
    local t rss
    read -r t rss < <(sed -n 's/^TIME //p' <<<"$out")
    printf '%-22s %5.2f s %7d KB  %s\n' "$name" "$t" "$rss" "$(grep -v '^TIME' <<<"$out" | head -1 | cut -c1-160)"
    grep -qF -- "$want" <<<"$out" || fail "$name: expected '$want' in: $out"
    awk -v t="$t" 'BEGIN { exit !(t < 5) }' || fail "$name: took ${t} s"
    [ "$rss" -lt 300000 ] || fail "$name: peak RSS ${rss} KB"
}
[ -x /usr/bin/time ] || skip "/usr/bin/time is not installed (Debian package time)"
run "67M indices" "indices.gltf: /meshes: the meshes hold 67108863 indices, more than the budget of 3000000" \
    "$tmp/indices.gltf"
run "8192x8192 PNG in a GLB" "png8192.glb: /images/0: the image is 8192x8192 (67.1 megapixels), more than the budget of 16.8" \
    "$tmp/png8192.glb"
run "150k attribute keys" "valid" "$tmp/keys.gltf"
run "4096 spheres" "hall.json: /architecture/244: the shapes up to here make 4014080 triangles" "$tmp/hall/halls/big"
run "3.9 MB exhibit.json" "exhibit.json: /: file is 3900" "$tmp/exhibits/huge"
run "300k-character name" "exhibit.json: /name_zh: the text is 300000 characters long; at most 80 fit here" \
    "$tmp/exhibits/longname"
echo "budgets: every reproducer refused before the work (or, for the keys, loaded in linear time)"
