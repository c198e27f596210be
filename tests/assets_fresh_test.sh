#!/usr/bin/env bash
# assets_fresh_test.sh - the generated assets that ship (the hall's floor and
# wall textures, each park's landmark.glb, the baked light: light.json and
# its lightmaps) are what mh_assetgen writes from today's code, byte for
# byte. unit_bake's key covers hall.json only, so a change to the landmarks'
# code, the scene code or anything else the bake sees (the LED wall's idle
# card's colours light the floor) would otherwise ship a stale bake; here it
# fails until the assets are regenerated
# (`cmake --build --preset test --target assets`) and committed.
. "$(dirname "$0")/lib.sh"
: "${MH_ASSETGEN:?run through ctest}"
tmp="$MH_OUT/assets_fresh"
rm -rf "$tmp" && mkdir -p "$tmp"
cp -r "$MH_SRC/assets" "$tmp/assets"
# the bake starts from nothing: it must not depend on the light it made
# before (until 2026-12-06 the scene it ray-casts took the last light.json
# when its key matched, so a second bake in place differed by a level)
rm -f "$tmp/assets/halls/default/light.json" "$tmp/assets/halls/default/textures/light_floor.png" \
    "$tmp/assets/halls/default/textures/light_walls.png"
touch "$tmp/copied"
"${EMU[@]}" "$MH_ASSETGEN" "$tmp/assets" >"$tmp/log" 2>&1 || fail "mh_assetgen failed: $(tail -5 "$tmp/log")"
# it wrote them again (a generator that writes nothing must not pass)
for want in halls/default/textures/floor.png halls/default/textures/wall.png halls/default/light.json \
    halls/default/textures/light_floor.png halls/default/textures/light_walls.png; do
    [ "$tmp/assets/$want" -nt "$tmp/copied" ] || fail "mh_assetgen did not write $want (see $tmp/log)"
done
written=$(find "$tmp/assets/exhibits" -name landmark.glb -newer "$tmp/copied" | wc -l)
[ "$written" -ge 13 ] || fail "mh_assetgen wrote $written landmarks, expected 13 or more (see $tmp/log)"
stale=""
while IFS= read -r f; do
    cmp -s "$tmp/assets/$f" "$MH_SRC/assets/$f" || stale="$stale $f"
done < <(cd "$tmp/assets" && find . -type f -printf '%P\n' | sort)
[ -z "$stale" ] || fail "these committed assets differ from what mh_assetgen writes now:$stale
  regenerate them (cmake --build --preset test --target assets) and commit them"
echo "ok: $(cd "$tmp/assets" && find . -type f | wc -l) files, the generated ones written again byte for byte"
