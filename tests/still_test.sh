#!/usr/bin/env bash
# still_test.sh - --still: the headless kiosk's frames 1 s and 4 s into a run
# at Wuhan's booth (no video in view) are the same to the pixel (the
# landmarks stand, the screens' light sweep stops), while without it the same
# two frames differ (the default hall's landmarks turn), so the check can
# fail; `still = yes` in a configuration file does what the option does.
. "$(dirname "$0")/lib.sh"
tmp="$MH_OUT/still"
rm -rf "$tmp" && mkdir -p "$tmp"
shots() { # shots NAME ARGS...: frames at 1 s and 4 s into NAME-a.png, NAME-b.png
    local name=$1
    shift
    printf 'seconds 1\nscreenshot %s\nseconds 3\nscreenshot %s\n' "$tmp/$name-a.png" "$tmp/$name-b.png" >"$tmp/$name.txt"
    metahall --platform headless --size 480x270 --view booth:wuhan --idle-timeout 0 -q --script "$tmp/$name.txt" "$@" ||
        fail "the headless kiosk failed ($name)"
}
shots moving
shots still --still
printf 'still = yes\n' >"$tmp/still.conf"
shots config --config "$tmp/still.conf"
cmp -s "$tmp/moving-a.png" "$tmp/moving-b.png" && fail "without --still the frames 1 s and 4 s in are the same: nothing turns, so the check below proves nothing"
cmp -s "$tmp/still-a.png" "$tmp/still-b.png" || fail "with --still the frames 1 s and 4 s in differ"
cmp -s "$tmp/config-a.png" "$tmp/config-b.png" || fail "with still = yes in the configuration the frames differ"
echo "still: frames 1 s and 4 s in identical with --still and with still = yes; different without"
