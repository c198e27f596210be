#!/usr/bin/env bash
# reflection_test.sh - the hall mirrored in the polished floor at --quality
# high (issue 18; engine/render/mh_render_reflect.c), measured against the
# same frame with --reflection off (the baked reflection pools alone): the
# entrance view at 1280x720, --still, --bloom off (bloom_test.sh looks at
# the glow). At the bottom of the frame the floor shows the nearest ceiling
# panels (the ones at the top of the frame, seen in the mirror): those boxes
# must be at least 15 levels of luma brighter; the floor in front of the
# stage shows its lit ring: at least 4 levels; a box of floor that mirrors
# the dark wall and the booths' bases changes by at most 4 levels (the
# baked pools fade where the real reflection takes over). A reflection left
# out, drawn upside down or not mirrored (the frame's own view, whose floor
# is not in it) leaves the panels' boxes dark and fails.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "python3 not installed"
tmp="$MH_OUT/reflection"
rm -rf "$tmp" && mkdir -p "$tmp"
for r in on off; do
    metahall render --view entrance --still --quality high --bloom off --reflection "$r" --size 1280x720 \
        --out "$tmp/entrance_$r.png" 2>"$tmp/$r.log" || fail "render --reflection $r failed: $(cat "$tmp/$r.log")"
done
grep -q "quality high" "$tmp/on.log" || fail "--quality high is not in use: $(grep quality "$tmp/on.log")"
! grep -q "reflection is off" "$tmp/on.log" || fail "the renderer turned the reflection off: $(grep reflection "$tmp/on.log")"
PYTHONPATH="$MH_SRC/tests/tools" python3 - "$tmp/entrance_on.png" "$tmp/entrance_off.png" <<'PY' ||
import sys
import mh_pngread

w, h, on = mh_pngread.read(sys.argv[1])
w2, h2, off = mh_pngread.read(sys.argv[2])
assert (w, h) == (w2, h2) == (1280, 720), "the frames are not 1280x720"


def luma(rows, x0, y0, bw, bh):  # mean luma of a box (top-down rows)
    s = 0.0
    for y in range(y0, y0 + bh):
        r = rows[y]
        for x in range(x0, x0 + bw):
            s += 0.299 * r[x * 4] + 0.587 * r[x * 4 + 1] + 0.114 * r[x * 4 + 2]
    return s / (bw * bh)


ok = True
checks = [("the near ceiling panels in the floor, left", (480, 680, 80, 40), 15, None),
          ("the near ceiling panels in the floor, right", (720, 680, 80, 40), 15, None),
          ("the stage's ring in the floor", (560, 480, 160, 40), 4, None),
          ("floor mirroring the dark wall", (320, 630, 120, 40), None, 4)]
for name, b, lift, most in checks:
    d = luma(on, *b) - luma(off, *b)
    good = d >= lift if lift is not None else abs(d) <= most
    want = f"at least +{lift}" if lift is not None else f"within {most}"
    print(f"{name} {b}: {luma(off, *b):.1f} -> {luma(on, *b):.1f} ({d:+.1f}, {want}){'' if good else '  FAIL'}")
    ok = ok and good
sys.exit(0 if ok else 1)
PY
    fail "the floor's reflection at --quality high is missing or misplaced; see $tmp/entrance_on.png against $tmp/entrance_off.png"
echo "the floor's reflection passes"
