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

# regions NAME: the --region arguments for golden NAME from
# tests/golden/regions.txt (its landmarks, held tighter than the frame) and
# the --shadow ones from tests/golden/shadows.txt (its contact shadows) and
# the --moving ones from tests/golden/moving.txt (what plays on its own clock).
regions() {
    awk -v n="$1" '$1 == n { printf "--region %s ", $2 }' "$MH_SRC/tests/golden/regions.txt"
    awk -v n="$1" '$1 == n { printf "--shadow %s,%s,%s ", $2, $3, $4 }' "$MH_SRC/tests/golden/shadows.txt"
    awk -v n="$1" '$1 == n { printf "--moving %s ", $2 }' "$MH_SRC/tests/golden/moving.txt"
}
