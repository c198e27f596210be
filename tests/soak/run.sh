#!/usr/bin/env bash
# run.sh BUILD_DIR [MINUTES] [more soak.py options] - the soak and fault suite
# by hand, outside ctest: e.g. `bash tests/soak/run.sh build/release 30`.
# The report is printed and written to BUILD_DIR/soak/report.json.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?usage: run.sh BUILD_DIR [MINUTES]}" && pwd)
minutes=${2:-30}
shift $(($# < 2 ? $# : 2))
[ -x "$build/metahall" ] || { echo "run.sh: no metahall in $build (build it first)" >&2; exit 2; }
mkdir -p "$build/soak"
MH_BIN="$build/metahall" MH_SRC="$here/../.." MH_OUT="$build/soak" \
    python3 "$here/soak.py" --minutes "$minutes" --json "$build/soak/report.json" "$@"
