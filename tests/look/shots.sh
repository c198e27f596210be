#!/usr/bin/env bash
# shots.sh - renders the views an exhibition designer reviews the hall by (the
# entrance, the stage, three zones, five booths, a booth's open panel, landscape and portrait) with
# two metahall binaries,
# and writes each pair side by side (before | after) into OUT:
#
#   tests/look/shots.sh BEFORE_BIN BEFORE_HALL AFTER_BIN AFTER_HALL OUT
#
# e.g. a worktree of the old commit gives the old hall (`git worktree add
# /tmp/old COMMIT`, its binary built or kept). The zones are looked at from
# 10 m in front of their middle, toward it, computed from each side's own
# hall.json (a layout may move between the two); a zone the before hall does
# not have is drawn from the same pose. Each side is drawn at 1280x720 by
# `metahall render` and halved.
set -euo pipefail
before_bin=$1 before_hall=$2 after_bin=$3 after_hall=$4 out=$5
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
paste <(python3 "$here/views.py" "$before_hall/hall.json") <(python3 "$here/views.py" "$after_hall/hall.json") >"$tmp/views"
while read -r _ before_view name view; do
    "$before_bin" render --hall "$before_hall" --view "$before_view" --size 1280x720 --out "$tmp/before.png" 2>/dev/null
    "$after_bin" render --hall "$after_hall" --view "$view" --size 1280x720 --out "$tmp/after.png" 2>/dev/null
    python3 "$here/sbs.py" "$tmp/before.png" "$tmp/after.png" "$out/$name.png"
    echo "$out/$name.png ($view)"
done <"$tmp/views"
# a booth with its info panel open, as a visitor who tapped it sees it
"$before_bin" render --hall "$before_hall" --panel wuhan --size 1280x720 --out "$tmp/before.png" 2>/dev/null
"$after_bin" render --hall "$after_hall" --panel wuhan --size 1280x720 --out "$tmp/after.png" 2>/dev/null
python3 "$here/sbs.py" "$tmp/before.png" "$tmp/after.png" "$out/panel_wuhan.png"
echo "$out/panel_wuhan.png (panel:wuhan)"
# the same on a portrait kiosk screen (9:16)
"$before_bin" render --hall "$before_hall" --panel shanghai --size 720x1280 --out "$tmp/before.png" 2>/dev/null
"$after_bin" render --hall "$after_hall" --panel shanghai --size 720x1280 --out "$tmp/after.png" 2>/dev/null
python3 "$here/sbs.py" "$tmp/before.png" "$tmp/after.png" "$out/panel_portrait_shanghai.png"
echo "$out/panel_portrait_shanghai.png (panel:shanghai, 720x1280)"
