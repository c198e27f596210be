#!/usr/bin/env bash
# shadow_test.sh - the featured exhibit's real shadow at --quality high
# (issue 18; engine/render/mh_render_shadow.c), measured rather than
# compared: the stage view at 1280x720 with --still, at high and at low
# (which has no shadow map). Where the towers' shadow falls on their plinth
# the mean luma at high must be under 0.8x low's; on the stage top and the
# hall floor away from the shadow, within 5 % (the key light lights flat
# surfaces as the sun does). A shadow map left out, pointing the wrong way
# or missing the stage fails the first; a stage lit differently, the rest.
# The glow of high (bloom: the stage's ring lights the plinth's edge) is
# left out here with --bloom off, and the floor's reflection of the hall
# (the booths' light boxes shine in it) with --reflection off;
# bloom_test.sh and reflection_test.sh look at them.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "python3 not installed"
tmp="$MH_OUT/shadow"
rm -rf "$tmp" && mkdir -p "$tmp"
for q in high low; do
    metahall render --view stage --still --quality "$q" --bloom off --reflection off --size 1280x720 --out "$tmp/stage_$q.png" 2>"$tmp/$q.log" ||
        fail "render --quality $q failed: $(cat "$tmp/$q.log")"
done
grep -q "quality high" "$tmp/high.log" || fail "--quality high is not in use: $(grep quality "$tmp/high.log")"
PYTHONPATH="$MH_SRC/tests/tools" python3 - "$tmp/stage_high.png" "$tmp/stage_low.png" <<'PY' ||
import sys
import mh_pngread

_, _, high = mh_pngread.read(sys.argv[1])
_, _, low = mh_pngread.read(sys.argv[2])


def luma(rows, x, y, w, h):
    s = 0.0
    for yy in range(y, y + h):
        row = rows[yy]
        for xx in range(x, x + w):
            r, g, b = row[xx * 4:xx * 4 + 3]
            s += 0.299 * r + 0.587 * g + 0.114 * b
    return s / (w * h)


ok = True
# (name, box x,y,w,h at 1280x720, lowest and highest high/low ratio)
checks = [("the towers' shadow on their plinth", (600, 484, 16, 4), 0.0, 0.8),
          ("the stage top in front, away from the shadow", (400, 526, 140, 10), 0.95, 1.05),
          ("the hall floor left of the stage", (200, 560, 120, 40), 0.95, 1.05),
          ("the hall floor right of the stage", (1000, 560, 120, 40), 0.95, 1.05)]
for name, box, lo, hi in checks:
    h, l = luma(high, *box), luma(low, *box)
    ratio = h / max(l, 1e-6)
    good = lo <= ratio <= hi
    ok = ok and good
    print(f"{name} {box}: high {h:.1f}, low {l:.1f}, ratio {ratio:.3f} (allowed {lo}-{hi}) {'ok' if good else 'WRONG'}")
sys.exit(0 if ok else 1)
PY
    fail "the shadow at --quality high is not where it should be; see $tmp/stage_high.png against $tmp/stage_low.png"
echo "the featured exhibit's shadow passes"
