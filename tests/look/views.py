"""views.py - the review views of a hall: name and metahall --view, one a line
(entrance, stage, the way out (the entrance seen from 10 m inside), the first
three zones seen from 10 m in front of their middle, five booths)."""
import json
import math
import re
import sys

hall = json.load(open(sys.argv[1]))
print("entrance entrance")
print("stage stage")
print("exit pose:0,12,180,3")
focus = hall.get("booth_focus", hall.get("stage", {}).get("position", [0, 0]))
for zone in hall.get("zones", [])[:3]:
    (fx, fz), (tx, tz) = zone["from"], zone["to"]
    cx, cz = (fx + tx) / 2, (fz + tz) / 2
    ax, az = zone.get("focus", focus)
    d = math.hypot(ax - cx, az - cz) or 1.0
    ex, ez = cx + (ax - cx) / d * 10.0, cz + (az - cz) / d * 10.0
    yaw = math.degrees(math.atan2(-(cx - ex), -(cz - ez)))  # yaw 0 looks toward -Z
    slug = re.sub("[^a-z0-9]+", "_", zone.get("name_en", "zone").lower()).strip("_")
    print(f"zone_{slug} pose:{ex:.2f},{ez:.2f},{yaw:.1f},-4")
for exhibit in ["shanghai", "wuhan", "guizhou", "huangpu", "tongzhou"]:
    print(f"booth_{exhibit} booth:{exhibit}")
