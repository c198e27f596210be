#!/usr/bin/env bash
# bloom_test.sh - the glow of light boxes at --quality high (issue 18;
# engine/render/mh_render_bloom.c), measured against the same frame with
# --bloom off: the entrance view at 1280x720, --still. Where the frame
# without the glow is dark next to something near white (a channel at 240
# or more: ceiling panels, the floor's light lines, the stage's ring; 8-16
# px away) the glow must lift it by at least 10 levels of luma on average; dark parts 40 px or more
# from anything bright must stay within 2 levels (the glow is a halo, not a
# veil over the frame); and the near-white parts stay near white. A glow
# left out, drawn at the wrong place (flipped, shifted) or washing over the
# whole frame fails.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "python3 not installed"
tmp="$MH_OUT/bloom"
rm -rf "$tmp" && mkdir -p "$tmp"
for b in on off; do
    metahall render --view entrance --still --quality high --bloom "$b" --size 1280x720 --out "$tmp/entrance_$b.png" \
        2>"$tmp/$b.log" || fail "render --bloom $b failed: $(cat "$tmp/$b.log")"
done
grep -q "quality high" "$tmp/on.log" || fail "--quality high is not in use: $(grep quality "$tmp/on.log")"
! grep -q "bloom) is off" "$tmp/on.log" || fail "the renderer turned the glow off: $(grep bloom "$tmp/on.log")"
PYTHONPATH="$MH_SRC/tests/tools" python3 - "$tmp/entrance_on.png" "$tmp/entrance_off.png" <<'PY' ||
import sys
import mh_pngread

w, h, on = mh_pngread.read(sys.argv[1])
w2, h2, off = mh_pngread.read(sys.argv[2])
assert (w, h) == (w2, h2), "the two frames differ in size"
CELL = 8  # the frame in 8x8 cells: a cell is bright when it holds a near-white pixel


def lumas(rows):
    out = []
    for row in rows:
        out.append([0.299 * row[x * 4] + 0.587 * row[x * 4 + 1] + 0.114 * row[x * 4 + 2] for x in range(w)])
    return out


def peaks(rows):  # the brightest channel: what the glow keys on (a blue light line is "near white" too)
    return [[max(row[x * 4:x * 4 + 3]) for x in range(w)] for row in rows]


l_on, l_off, p_off = lumas(on), lumas(off), peaks(off)
cw, ch = w // CELL, h // CELL
bright = [[any(p_off[y][x] >= 240 for y in range(cy * CELL, cy * CELL + CELL) for x in range(cx * CELL, cx * CELL + CELL))
           for cx in range(cw)] for cy in range(ch)]


def near(cx, cy, r):  # a bright cell within r cells
    return any(bright[y][x] for y in range(max(0, cy - r), min(ch, cy + r + 1))
               for x in range(max(0, cx - r), min(cw, cx + r + 1)))


halo, far, white = [], [], []
for cy in range(ch):
    for cx in range(cw):
        ring = not bright[cy][cx] and near(cx, cy, 1)
        away = not near(cx, cy, 5)
        for y in range(cy * CELL, cy * CELL + CELL):
            for x in range(cx * CELL, cx * CELL + CELL):
                if p_off[y][x] >= 240:
                    white.append(l_on[y][x] - l_off[y][x])
                elif l_off[y][x] < 100 and ring:
                    halo.append(l_on[y][x] - l_off[y][x])
                elif l_off[y][x] < 100 and away:
                    far.append(abs(l_on[y][x] - l_off[y][x]))
ok = len(halo) > 2000 and len(far) > 20000 and len(white) > 2000
lift = sum(halo) / max(len(halo), 1)
veil = sum(far) / max(len(far), 1)
keep = sum(white) / max(len(white), 1)
print(f"dark pixels next to near-white ones: {len(halo)}, lifted by {lift:.1f} levels (at least 10)")
print(f"dark pixels 40 px or more from them: {len(far)}, changed by {veil:.2f} levels (at most 2)")
print(f"near-white pixels: {len(white)}, changed by {keep:.2f} levels (at least -3)")
ok = ok and lift >= 10 and veil <= 2 and keep >= -3
sys.exit(0 if ok else 1)
PY
    fail "the glow at --quality high is missing or misplaced; see $tmp/entrance_on.png against $tmp/entrance_off.png"
echo "the glow of light boxes passes"
