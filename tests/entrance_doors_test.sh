#!/usr/bin/env bash
# entrance_doors_test.sh - the hall's entrance, seen from inside, shows its
# glass doors lit by the day outside (hall.json: frosted glass in three
# bands, sky, street and ground; its frame, a transom, a safety band and
# handles), not the black void the
# opening showed until 2026-12-06. Measured, not compared: the view from 5 m
# inside facing out (pose 0,17, heading 180) at 1280x720 with --still, with
# the shipped hall and with a copy whose hall.json has no door parts (which
# must show the opening dark, so the boxes below do look at it).
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "python3 not installed"
tmp="$MH_OUT/entrance_doors"
hall_copy "$tmp"
python3 - "$tmp/halls/default/hall.json" <<'PY'
import json, sys
path = sys.argv[1]
h = json.load(open(path))
# the door parts: everything standing in the entrance's opening (8 m wide, in the wall at z 22-22.4)
keep = [a for a in h["architecture"]
        if not (22.0 <= a["position"][2] <= 22.19 and abs(a["position"][0]) + a["size"][0] / 2 <= 4.0)]
gone = len(h["architecture"]) - len(keep)
assert gone >= 5, f"the shipped hall.json has {gone} door parts in its entrance, expected the glass, frame and handles"
h["architecture"] = keep
json.dump(h, open(path, "w"), ensure_ascii=False, indent=1)
PY
pose=pose:0,17,180,2
metahall render --hall "$MH_SRC/assets/halls/default" --view "$pose" --still --size 1280x720 --out "$tmp/on.png" \
    2>"$tmp/on.log" || fail "render failed: $(cat "$tmp/on.log")"
metahall render --hall "$tmp/halls/default" --view "$pose" --still --size 1280x720 --out "$tmp/off.png" \
    2>"$tmp/off.log" || fail "render without the doors failed: $(cat "$tmp/off.log")"
PYTHONPATH="$MH_SRC/tests/tools" python3 - "$tmp/on.png" "$tmp/off.png" <<'PY' ||
import sys
from light_check import Checks, luma, mean, read_pair

on, off = read_pair(sys.argv[1], sys.argv[2])
checks = Checks()
check = checks.check
panes = [(200, 260), (450, 260), (680, 260), (920, 260)]  # the four leaves, between frame and band
glass = [mean(on, x, y, 150, 100) for x, y in panes]
dim = min(luma(c) for c in glass)
check("the glass, each leaf", dim >= 150, f"luma {', '.join(f'{luma(c):.0f}' for c in glass)} (at least 150)")
check("the glass's daylight", all(c[2] >= c[0] for c in glass),
      f"blue - red {', '.join(f'{c[2] - c[0]:+.0f}' for c in glass)} (cool, not warm)")
# the day outside in bands: a paler sky in the transom, the greyer ground below the safety band
sky = min(luma(mean(on, x, 130, 150, 60)) for x, _ in panes)
ground = max(luma(mean(on, x, 480, 150, 60)) for x, _ in panes[:3])  # the fourth is under the map
check("the transom's sky", sky >= dim + 10, f"luma {sky:.0f} against the leaves' {dim:.0f} (at least +10)")
check("the ground below the band", ground <= dim - 10, f"luma {ground:.0f} against the leaves' {dim:.0f} (at least 10 darker)")
post = luma(mean(on, 637, 260, 6, 100))
check("the frame between the middle leaves", post <= 0.35 * dim, f"luma {post:.0f} against the glass's {dim:.0f} (at most 0.35x)")
band = luma(mean(on, 450, 393, 150, 6))
check("the safety band", band >= dim + 15, f"luma {band:.0f} against the glass's {dim:.0f} (at least +15)")
void = max(luma(mean(off, x, y, 150, 100)) for x, y in panes)
check("the opening without the doors (the boxes see it)", void <= 30, f"luma at most {void:.0f} (30 or less)")
checks.done()
PY
    fail "the entrance's doors are not as they should be; see $tmp/on.png against $tmp/off.png"
echo "the entrance's doors pass"
