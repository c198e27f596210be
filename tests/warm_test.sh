#!/usr/bin/env bash
# warm_test.sh - the start's warm-up (engine/render/mh_render_warm.c) draws
# every GL state the hall's light capture and the first frame draw in, so
# that llvmpipe compiles none of them after the scene is done (on the start's
# critical path). Counted with tests/tools/mh_llvm_modules.c preloaded, which
# prints each LLVM module llvmpipe makes: `bench -v` (the hall without the
# interface) must make some before its warm-up line (the count works) and
# none between "warm-up: all N steps" and the first frame's line. The
# warm-up stops when the scene is done; a run where it did not finish is
# run again (up to 6 runs), and none finishing is a failure: the warm-up then
# takes longer than the scene it waits for.
. "$(dirname "$0")/lib.sh"
shim=${MH_LLVM_MODULES:?run through ctest (the preloaded module counter)}
[ -f "$shim" ] || fail "no module counter at $shim"
work="$MH_OUT/warm"
rm -rf "$work" && mkdir -p "$work"
for run in 1 2 3 4 5 6; do
    log="$work/bench$run.log"
    LD_PRELOAD="$shim${LD_PRELOAD:+ $LD_PRELOAD}" metahall bench --json --frames 2 --warmup 1 --size 320x180 -v \
        > "$work/bench$run.json" 2> "$log" || fail "bench failed: $(tail -n 5 "$log")"
    grep -q "^MODULE " "$log" || skip "no LLVM module was counted: not llvmpipe ($(grep -o 'llvmpipe[^)]*)\|renderer[^,]*' "$log" | head -1))"
    if grep -q "warm-up: all [0-9]* steps" "$log"; then
        before=$(sed -n '/warm-up: all [0-9]* steps/q; /^MODULE /p' "$log" | wc -l)
        after=$(sed -n '/warm-up: all [0-9]* steps/,/the first frame (the GL thread/p' "$log" | grep '^MODULE ' || true)
        echo "run $run: $(grep -o 'warm-up: all [0-9]* steps' "$log"); $before modules before it"
        [ "$before" -gt 0 ] || fail "no module counted before the warm-up's end: the counter does not see llvmpipe"
        [ -z "$after" ] || fail "compiled after the warm-up, in the light's capture or the first frame:" \
            "$(echo "$after" | tr '\n' ' ')(see $log)"
        grep -q "the first frame (the GL thread" "$log" || fail "no first-frame line in $log"
        echo "the capture and the first frame compiled nothing the warm-up had not"
        exit 0
    fi
    echo "run $run: $(grep -o 'warm-up: [0-9]* steps before the scene was done' "$log"): again"
done
fail "the warm-up did not finish before the scene in 6 runs (see $work)"
