#!/usr/bin/env bash
# stereo_test.sh - the side-by-side stereo render (what a headset's eyes get,
# and the desktop VR preview): each eye shows the hall, the eyes differ by
# parallax in the right direction, and the kiosk loop with --stereo draws the
# same frame as `render --stereo`.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "python3 not installed"
tmp="$MH_OUT/stereo"
rm -rf "$tmp" && mkdir -p "$tmp"
for view in entrance booth:qiantang; do
    name=${view#booth:}
    metahall render --stereo --view "$view" --size 960x360 --out "$tmp/$name.png" -q
    python3 "$MH_SRC/tests/tools/stereo_check.py" "$tmp/$name.png" || fail "$view: stereo check failed; see $tmp/$name.png"
done
metahall --platform headless --stereo --view booth:qiantang --size 960x360 --frames 1 \
    --screenshot "$tmp/kiosk.png" -q
imgcmp "$tmp/qiantang.png" "$tmp/kiosk.png" --diff "$tmp/kiosk.diff.png" ||
    fail "the kiosk's stereo frame differs from render --stereo; see $tmp"
echo "stereo renders pass"
