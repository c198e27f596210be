#!/usr/bin/env bash
# golden_regions_test.sh - the landmark regions of tests/golden/regions.txt
# do their job: each names an existing golden and lies inside it; the golden
# matches itself with its regions; and the golden with a region drawn black,
# or at half its light (an unlit landmark), fails that region's check
# (mh_imgcmp --dim-regions). The log shows how much of the whole frame that
# changes: mostly under the frame's 0.5 % limit. The contact shadows of
# tests/golden/shadows.txt likewise: each is in its golden, and fails when
# painted like the floor beside it (mh_imgcmp --lift-shadows).
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
# the contact shadows: each golden shows its shadows, and fails with one painted like its floor
s=0
while read -r name box floor ratio _; do
    case "$name" in '#'* | '') continue ;; esac
    golden="$MH_SRC/tests/golden/$name.png"
    [ -f "$golden" ] || fail "shadows.txt names $name, but there is no $golden"
    imgcmp "$golden" "$golden" --shadow "$box,$floor,$ratio" >/dev/null || fail "$name: no shadow at $box in the golden"
    if out=$(imgcmp "$golden" "$golden" --shadow "$box,$floor,$ratio" --lift-shadows); then
        echo "$out"
        fail "$name: the shadow at $box painted like its floor still matches"
    fi
    echo "$name shadow $box: fails without it"
    s=$((s + 1))
done <"$MH_SRC/tests/golden/shadows.txt"
[ "$s" -gt 0 ] || fail "no shadows in tests/golden/shadows.txt"
echo "$s contact shadows: each fails when it is missing"
