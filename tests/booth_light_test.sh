#!/usr/bin/env bash
# booth_light_test.sh - the baked light on the booths' back walls (issue 18;
# engine/scene/mh_scene_booth_light.c, baked per template by
# assets/generator/mh_lightbake_booth.c), measured rather than compared: booth
# Wuhan (orange accent) at 1280x720 with --still, with the shipped hall and
# with a copy whose light.json has no "booths" (the back walls plain). The
# wall's two ends, beside the fins' glowing accent strips and under the key
# figures' light boxes (lit from inside, so the bake does not touch them),
# must read brighter and warmer (its red up several times its blue), and the floor in
# front must stay as it was (the booths' light touches nothing else).
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "python3 not installed"
tmp="$MH_OUT/booth_light"
hall_without_light booths "$tmp"
metahall render --hall "$MH_SRC/assets/halls/default" --view booth:wuhan --still --size 1280x720 --out "$tmp/on.png" \
    2>"$tmp/on.log" || fail "render failed: $(cat "$tmp/on.log")"
grep -q "baked light on the back walls of 2 booth template" "$tmp/on.log" || fail "the booths' light not read: $(cat "$tmp/on.log")"
metahall render --hall "$tmp/halls/default" --view booth:wuhan --still --size 1280x720 --out "$tmp/off.png" \
    2>"$tmp/off.log" || fail "render without the booths' light failed: $(cat "$tmp/off.log")"
grep -q "no baked light on the booths" "$tmp/off.log" || fail "no message for the missing booths' light: $(cat "$tmp/off.log")"
PYTHONPATH="$MH_SRC/tests/tools" python3 - "$tmp/on.png" "$tmp/off.png" <<'PY' ||
import sys
from light_check import Checks, luma, mean, read_pair

on, off = read_pair(sys.argv[1], sys.argv[2])
checks = Checks()
check = checks.check

for name, x in (("the wall's left end", 488), ("its right end", 762)):
    a, b = mean(on, x, 395, 28, 90), mean(off, x, 395, 28, 90)  # under the key figures' light boxes
    red, blue, up = a[0] - b[0], a[2] - b[2], luma(a) - luma(b)
    check(name, up >= 8 and red >= 15 and red > 3 * max(blue, 1),
          f"luma +{up:.1f}, red +{red:.1f}, blue {blue:+.1f} (luma at least +8, red at least +15 and 3x blue's)")
f_on, f_off = luma(mean(on, 300, 600, 600, 60)), luma(mean(off, 300, 600, 600, 60))
check("the floor in front", abs(f_on - f_off) <= 1.0, f"luma {f_on:.1f} against {f_off:.1f} (within 1 level)")
checks.done()
PY
    fail "the booths' baked light is not as it should be; see $tmp/on.png against $tmp/off.png"
echo "the booths' baked light passes"
