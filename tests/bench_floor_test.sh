#!/usr/bin/env bash
# bench_floor_test.sh - 1000 booths on one floor (`metahall bench --booths
# 1000`): the hall loads, the last measured frame is not one colour (the
# bench checks it, and so does this script on the PNG it wrote), the
# stage's exhibit was drawn before measuring, and a frame draws at most 300
# chunks (the grid's proxies stand for the far booths). And a hall that
# draws nothing makes the bench fail with a message rather than print times.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "python3 is not installed"
out="$MH_OUT/bench_floor"
rm -rf "$out"
mkdir -p "$out"

metahall bench --json --frames 8 --warmup 2 --size 640x360 --booths 1000 --screenshot "$out/b1000.png" \
    > "$out/b1000.json" 2> "$out/b1000.log" || fail "bench --booths 1000 failed: $(cat "$out/b1000.log")"
grep -q "1004+1 colliders, 987 booth copies" "$out/b1000.log" || fail "not 1000 booths: $(grep built "$out/b1000.log")"

python3 - "$out" <<'PY' || fail "1000 booths on one floor: wrong figures or picture (above)"
import json, struct, sys, zlib
d = sys.argv[1]
b = json.load(open(f"{d}/b1000.json"))
assert b["booths"] == 1000 and b["layout"] == "floor", b
assert 0 < b["draw_calls"] <= 300, f"draw calls {b['draw_calls']} (at most 300)"
assert b["triangles"] > 1000 and b["median_ms"] > 0, b
# the PNG the bench wrote: many colours, not one
data = open(f"{d}/b1000.png", "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n"
pos, idat, w = 8, b"", 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", data[pos + 8:pos + 18])
        assert depth == 8 and ctype == 6, (depth, ctype)
    if kind == b"IDAT":
        idat += data[pos + 8:pos + 8 + n]
    pos += 12 + n
raw = zlib.decompress(idat)
stride = w * 4 + 1
# filter bytes make exact decoding longer; distinct scanline payloads are enough to tell one colour from many
rows = {raw[y * stride + 1:(y + 1) * stride] for y in range(h)}
assert len(rows) > h // 4, f"only {len(rows)} distinct rows of {h}"
print("floor ok:", {k: b[k] for k in ("draw_calls", "triangles", "median_ms", "cpu_ms", "startup_ms", "settle_frames")})
PY

# a hall with nothing to draw: the bench refuses to time it
mkdir -p "$out/empty"
cat > "$out/empty/hall.json" <<'JSON'
{"format": "metahall-hall/1", "name_zh": "空", "name_en": "Empty", "entrance": {"position": [0, 0]},
 "stage": {"position": [0, 0], "radius": 0},
 "architecture": [{"shape": "box", "position": [0, -50, 0], "size": [1, 1, 1], "color": "#ff0000"}]}
JSON
set +e
metahall bench --hall "$out/empty" --frames 3 --warmup 1 --size 160x90 > "$out/empty.txt" 2> "$out/empty.log"
rc=$?
set -e
[ "$rc" = 1 ] && grep -q "the last measured frame is one colour" "$out/empty.log" ||
    fail "an empty picture was timed: rc $rc, $(cat "$out/empty.log") $(cat "$out/empty.txt")"
[ ! -s "$out/empty.txt" ] || fail "times printed for an empty picture: $(cat "$out/empty.txt")"
echo "PASS"
