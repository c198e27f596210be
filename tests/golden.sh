#!/usr/bin/env bash
# golden.sh VIEW NAME [ARGS...] - renders VIEW headless at 800x450 (ARGS go
# to metahall render) and compares it with
# tests/golden/NAME.png, the landmarks in tests/golden/regions.txt held
# tighter than the rest of the frame. On a mismatch the actual image and a diff image are
# left in the build's tests/out/ folder. MH_UPDATE_GOLDEN=1 rewrites the
# reference instead (then look at it before committing).
. "$(dirname "$0")/lib.sh"
view=$1 name=$2
shift 2
actual="$MH_OUT/$name.png"
golden="$MH_SRC/tests/golden/$name.png"
metahall render --view "$view" --size 800x450 --out "$actual" -q "$@"
if [ "${MH_UPDATE_GOLDEN:-0}" = 1 ]; then
    cp "$actual" "$golden"
    echo "updated $golden"
    exit 0
fi
[ -f "$golden" ] || fail "no reference image $golden (render one with MH_UPDATE_GOLDEN=1 and look at it)"
# shellcheck disable=SC2046
if ! imgcmp "$golden" "$actual" --diff "$MH_OUT/$name.diff.png" $(regions "$name"); then
    fail "$view does not match $golden; see $actual and $MH_OUT/$name.diff.png"
fi
