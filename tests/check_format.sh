#!/usr/bin/env bash
# check_format.sh - checks C files against .clang-format (clang-format 14).
#
#   bash tests/check_format.sh [FILE...]   the given files, or every tracked
#                                          .c/.h under engine, platform, tests
#                                          and assets/generator
#   bash tests/check_format.sh --fix [FILE...]   rewrites them instead
#
# Exit 0 when every file is formatted, 1 with the files that are not (and
# clang-format's first complaints), 77 when clang-format is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
fix=0
if [ "${1:-}" = --fix ]; then
    fix=1
    shift
fi
cf=$(command -v clang-format-14 || command -v clang-format || true)
if [ -z "$cf" ]; then
    echo "SKIP: clang-format is not installed (toolchains/setup.sh --test)"
    exit 77
fi
if [ $# -gt 0 ]; then
    files=("$@")
else
    mapfile -t files < <(git ls-files 'engine/*.[ch]' 'platform/*.[ch]' 'tests/*.[ch]' 'assets/generator/*.[ch]')
fi
if [ "$fix" = 1 ]; then
    "$cf" --style=file -i "${files[@]}"
    echo "check_format: formatted ${#files[@]} files"
    exit 0
fi
bad=0
for f in "${files[@]}"; do
    if ! out=$("$cf" --style=file --dry-run --Werror "$f" 2>&1); then
        echo "check_format: $f is not formatted ($(grep -c 'error:' <<<"$out") places); first:"
        grep -m1 -A2 'error:' <<<"$out" | sed 's/^/    /'
        bad=$((bad + 1))
    fi
done
if [ "$bad" -gt 0 ]; then
    echo "check_format: $bad of ${#files[@]} files differ from .clang-format (bash tests/check_format.sh --fix FILE)"
    exit 1
fi
echo "check_format: ${#files[@]} files formatted"
