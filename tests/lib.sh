# lib.sh - shared helpers for the test scripts (sourced, not run).
set -euo pipefail
: "${MH_BIN:?run through ctest}" "${MH_SRC:?}" "${MH_OUT:?}"
mkdir -p "$MH_OUT"
# shellcheck disable=SC2206
EMU=(${MH_EMULATOR:-})

# skip REASON: exit 77 (skipped), or fail when every tool is required.
skip() {
    if [ "${MH_REQUIRE_ALL:-0}" = 1 ]; then
        echo "FAIL (MH_REQUIRE_ALL=1): $*" >&2
        exit 1
    fi
    echo "SKIP: $*"
    exit 77
}

# skip_no_shared: ../shared (test material beside the repository) is absent,
# as in a user's own clone: skip even when every tool is required.
skip_no_shared() {
    echo "SKIP: no ../shared beside the repository ($*); CI has it, a user's clone does not"
    exit 77
}

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

metahall() { "${EMU[@]}" "$MH_BIN" "$@"; }
imgcmp() { "${EMU[@]}" "$MH_IMGCMP" "$@"; }

# hall_copy DIR: a copy of the default hall in DIR/halls/default, its
# exhibits linked beside it, for a test to edit.
hall_copy() {
    rm -rf "$1" && mkdir -p "$1/halls"
    cp -r "$MH_SRC/assets/halls/default" "$1/halls/default"
    ln -s "$MH_SRC/assets/exhibits" "$1/exhibits"
}

# hall_without_light KEY DIR: a hall_copy in DIR whose light.json has no KEY
# ("walls", "booths"): the same hall drawn without that part of its baked light.
hall_without_light() {
    hall_copy "$2"
    python3 - "$2/halls/default/light.json" "$1" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
assert sys.argv[2] in j, f"the shipped light.json has no {sys.argv[2]}: rebake (cmake --build build --target assets)"
del j[sys.argv[2]]
json.dump(j, open(sys.argv[1], "w"), indent=2)
PY
}

# regions NAME: the --region arguments for golden NAME from
# tests/golden/regions.txt (its landmarks, held tighter than the frame) and
# the --shadow ones from tests/golden/shadows.txt (its contact shadows) and
# the --moving ones from tests/golden/moving.txt (what plays on its own clock).
regions() {
    awk -v n="$1" '$1 == n { printf "--region %s ", $2 }' "$MH_SRC/tests/golden/regions.txt"
    awk -v n="$1" '$1 == n { printf "--shadow %s,%s,%s ", $2, $3, $4 }' "$MH_SRC/tests/golden/shadows.txt"
    awk -v n="$1" '$1 == n { printf "--moving %s ", $2 }' "$MH_SRC/tests/golden/moving.txt"
}
