#!/usr/bin/env bash
# visit_test.sh SCRIPT SIZE [ARGS...] - replays tests/visit/SCRIPT.txt on the
# headless kiosk (its expect lines check the visit's state), then compares
# every screenshot it wrote with tests/golden/visit_<name>.png.
# MH_UPDATE_GOLDEN=1 rewrites the references instead (look at them first).
. "$(dirname "$0")/lib.sh"
name=$1 size=$2
shift 2
script="$MH_SRC/tests/visit/$name.txt"
work="$MH_OUT/visit_$name"
rm -rf "$work"
mkdir -p "$work"
cd "$work"
metahall --platform headless --size "$size" -q --script "$script" "$@" || fail "$script: see the log above"
shots=$(grep -oE '^screenshot +[^ #]+' "$script" | awk '{print $2}' || true)
for shot in $shots; do
    golden="$MH_SRC/tests/golden/visit_$shot"
    [ -f "$work/$shot" ] || fail "$script did not write $shot"
    if [ "${MH_UPDATE_GOLDEN:-0}" = 1 ]; then
        cp "$work/$shot" "$golden"
        echo "updated $golden"
        continue
    fi
    [ -f "$golden" ] || fail "no reference image $golden (write one with MH_UPDATE_GOLDEN=1 and look at it)"
    # shellcheck disable=SC2046
    imgcmp "$golden" "$work/$shot" $(regions "visit_${shot%.png}") --diff "$work/${shot%.png}.diff.png" ||
        fail "$shot from $script does not match $golden; see $work/$shot"
done
echo "$name: every check passed${shots:+, screenshots match}"
