#!/usr/bin/env bash
# script_errors.sh - a broken input script or a failed check stops the run
# with exit status 1 and names the file and line.
. "$(dirname "$0")/lib.sh"
dir="$MH_OUT/script_errors"
mkdir -p "$dir"

# refused NAME CONTENT MESSAGE: a script NAME.txt holding CONTENT fails with MESSAGE
refused() {
    printf '%b' "$2" >"$dir/$1.txt"
    local out
    if out=$(metahall --platform headless --size 160x90 -q --script "$dir/$1.txt" 2>&1); then
        fail "$1.txt exited 0"
    fi
    grep -qF "$3" <<<"$out" || fail "$1.txt: expected '$3' in: $out"
}
refused expect 'wait 1\nexpect panel qiantang\n' "expect.txt:2: expected panel qiantang, got -"
refused unknown 'wait 1\njump 3\n' "unknown.txt:2: unknown or malformed command: 'jump 3'"
refused field 'expect colour red\n' "field.txt:1: unknown field"
refused binary '\xff\xfe garbage\x01\n' "binary.txt:1: unknown or malformed command"
refused negative 'wait -5\n' "negative.txt:1: unknown or malformed command"

if out=$(metahall --platform headless --script "$dir/missing.txt" 2>&1); then fail "a missing script exited 0"; fi
grep -q "missing.txt" <<<"$out" || fail "the error does not name the file: $out"
if out=$(metahall --platform headless --lang fr 2>&1); then fail "--lang fr exited 0"; fi
grep -q "unknown language 'fr'" <<<"$out" || fail "unexpected message: $out"
echo "script errors are reported with file and line"
