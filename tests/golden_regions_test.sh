#!/usr/bin/env bash
# golden_regions_test.sh - the landmark regions of tests/golden/regions.txt
# do their job: each names an existing golden and lies inside it; the golden
# matches itself with its regions; and the golden with a region drawn black,
# or at half its light (an unlit landmark), fails that region's check
# (mh_imgcmp --dim-regions). The log shows how much of the whole frame that
# changes: mostly under the frame's 0.5 % limit.
. "$(dirname "$0")/lib.sh"
n=0 frame_only=0
while read -r name box _; do
    case "$name" in '#'* | '') continue ;; esac
    golden="$MH_SRC/tests/golden/$name.png"
    [ -f "$golden" ] || fail "regions.txt names $name, but there is no $golden"
    # shellcheck disable=SC2046
    imgcmp "$golden" "$golden" $(regions "$name") >/dev/null || fail "$name does not match itself with its regions"
    for factor in 0 0.5; do
        if out=$(imgcmp "$golden" "$golden" --region "$box" --dim-regions $factor); then
            echo "$out"
            fail "$name: region $box drawn at $factor of its light still matches"
        fi
        # for the log: how much of the whole frame that changed
        frame=$(grep -oE '[0-9.]+% pixels differ' <<<"$out")
        echo "$name $box at $factor: region fails; the whole frame alone: $frame"
    done
    n=$((n + 1))
done <"$MH_SRC/tests/golden/regions.txt"
[ "$n" -gt 0 ] || fail "no regions in tests/golden/regions.txt"
echo "$n landmark regions: each catches its landmark drawn black or at half light"
