#!/usr/bin/env bash
# wall_light_test.sh - the baked light on the hall's walls (issue 18;
# engine/scene/mh_scene_walls.c, baked by
# assets/generator/mh_lightbake_walls.c), measured rather than compared: the
# left wall between two columns (pose -19,10 looking at it) at 1280x720 with
# --still, with the shipped hall and with a copy whose light.json has no
# "walls" (the floor's bake alone, walls and columns plain). The wall and
# the column in front of it must read brighter with their light (the glow
# they get from the ceiling panels, the screen, the strips), the strip of
# cyan light along its foot must tint its lowest band blue, and the floor
# in front must stay as it was (the walls' bake touches nothing else).
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "python3 not installed"
tmp="$MH_OUT/wall_light"
hall_without_light walls "$tmp"
pose=pose:-19,10,90,5
metahall render --hall "$MH_SRC/assets/halls/default" --view "$pose" --still --size 1280x720 --out "$tmp/on.png" \
    2>"$tmp/on.log" || fail "render failed: $(cat "$tmp/on.log")"
metahall render --hall "$tmp/halls/default" --view "$pose" --still --size 1280x720 --out "$tmp/off.png" \
    2>"$tmp/off.log" || fail "render without the walls' light failed: $(cat "$tmp/off.log")"
grep -q "no baked light on the walls" "$tmp/off.log" || fail "no message for the missing walls' light: $(cat "$tmp/off.log")"
PYTHONPATH="$MH_SRC/tests/tools" python3 - "$tmp/on.png" "$tmp/off.png" <<'PY' ||
import sys
from light_check import Checks, luma, mean, read_pair

on, off = read_pair(sys.argv[1], sys.argv[2])
checks = Checks()
check = checks.check

wall_on, wall_off = mean(on, 350, 100, 500, 300), mean(off, 350, 100, 500, 300)
r = luma(wall_on) / max(luma(wall_off), 1e-6)
check("the wall between the columns", r >= 1.25, f"luma {luma(wall_on):.1f} lit, {luma(wall_off):.1f} plain, ratio {r:.2f} (at least 1.25)")
col_on, col_off = luma(mean(on, 240, 150, 30, 300)), luma(mean(off, 240, 150, 30, 300))
r = col_on / max(col_off, 1e-6)
check("the column on the left", r >= 1.5, f"luma {col_on:.1f} lit, {col_off:.1f} plain, ratio {r:.2f} (at least 1.5)")
foot_on, foot_off = mean(on, 350, 525, 500, 22), mean(off, 350, 525, 500, 22)
blue, red = foot_on[2] - foot_off[2], foot_on[0] - foot_off[0]
check("its foot over the cyan strip", blue >= 15 and blue > 1.5 * red, f"blue +{blue:.1f}, red +{red:.1f} (blue at least +15 and 1.5x red's)")
floor_on, floor_off = luma(mean(on, 300, 600, 600, 40)), luma(mean(off, 300, 600, 600, 40))
r = floor_on / max(floor_off, 1e-6)
check("the floor in front", 0.97 <= r <= 1.03, f"luma {floor_on:.1f} against {floor_off:.1f}, ratio {r:.3f} (0.97-1.03)")
checks.done()
PY
    fail "the walls' baked light is not as it should be; see $tmp/on.png against $tmp/off.png"
echo "the walls' baked light passes"
