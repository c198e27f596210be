#!/usr/bin/env bash
# relink_test.sh - a shader program linked after the GLSL compiler was
# released still compiles and draws. The renderer releases Mesa's GLSL
# built-in functions (glReleaseShaderCompiler, 2-4 MB of heap on llvmpipe)
# at the warm-up's end and after any frame that linked a program
# (mh_render_program.c); a later link makes them again. Here the default
# hall with Suzhou's landmark replaced by a small generated model whose
# material (base colour and occlusion-roughness-metal textures) the warm-up
# does not compile (tests/bench/heavy_exhibit.py, a 40x40 sphere of
# coloured cells) is drawn at Suzhou's booth: its program is linked in the
# first frame, after the release. Checked: the log says so (released, made
# again, released), no shader failed, and the model is on screen with its
# texture (thousands of colours where the booth's own landmark has a few
# hundred and its back wall a few dozen).
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "python3 not installed"
tmp="$MH_OUT/relink"
rm -rf "$tmp"
python3 "$MH_SRC/tests/bench/heavy_exhibit.py" "$MH_SRC" "$tmp" --grid 40 --texture 64 >"$tmp.json" ||
    fail "heavy_exhibit.py failed"
metahall render --hall "$tmp/hall" --view booth:suzhou --still --size 640x360 --out "$tmp/booth.png" -v \
    >"$tmp/render.log" 2>&1 || fail "render failed: $(tail -n 5 "$tmp/render.log")"
log=$(grep -E "built-ins|does not (compile|link)" "$tmp/render.log")
echo "$log" | sed 's/^metahall\[gl\] debug: /log: /'
grep -q "does not" <<<"$log" && fail "a shader failed: $(grep "does not" <<<"$log")"
# released at the warm-up's end, then the model's program linked, then released again after that frame
order=$(sed -nE 's/.*(built-ins released).*/R/p; s/.*(built-ins made again).*/L/p' <<<"$log" | tr -d '\n')
[[ "$order" == R*L*R ]] || fail "expected the built-ins released, made again for a link, released again; the log: '$order'"
PYTHONPATH="$MH_SRC/tests/tools" python3 - "$tmp/booth.png" <<'PY' || fail "the model linked after the release is not drawn"
import sys
import mh_pngread

w, h, rows = mh_pngread.read(sys.argv[1])
# 60x60 px of the sphere's middle at 640x360: its texture of 64x64 coloured
# cells, minified, gives nearly every pixel a colour of its own (3,452 seen);
# Suzhou's own landmark there has 378, the booth's back wall a few dozen
colours = {bytes(rows[y][4 * x:4 * x + 3]) for y in range(205, 265) for x in range(280, 340)}
print(f"the model's region: {len(colours)} colours in 3,600 pixels (at least 1,500)")
sys.exit(0 if len(colours) >= 1500 else 1)
PY
echo "PASS"
