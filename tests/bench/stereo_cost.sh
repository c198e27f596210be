#!/usr/bin/env bash
# stereo_cost.sh [METAHALL] [WxH] [REPS] - what the second eye costs: `metahall
# bench` one eye (mono), two eyes side by side (a pass each), and two eyes in
# one pass (--multiview, where the GL driver has GL_OVR_multiview2), each
# REPS times (default 3) interleaved so the machine's load drifts through all
# of them alike, at WxH per eye (default 640x720). Prints each run's median
# frame time and engine CPU, the median of the runs, and stereo / mono (the
# cost of a stereo frame in eyes of mono: 2.0 is no sharing at all) and the
# draw calls of a frame (one pass draws each chunk once for both eyes).
# Not part of the test suite; tests/bench/NOTES.md keeps the measurements.
set -euo pipefail
BIN=${1:-build/release/metahall}
SIZE=${2:-640x720}
REPS=${3:-3}
HALL=${MH_HALL:+--hall $MH_HALL}
modes=("mono:" "stereo:--stereo")
if "$BIN" bench $HALL --size 64x64 --multiview --frames 1 --warmup 0 --json >/dev/null 2>&1; then
    modes+=("multiview:--multiview")
else
    echo "(no GL_OVR_multiview2 here: $("$BIN" bench $HALL --size 64x64 --frames 1 --warmup 0 --json 2>/dev/null |
        sed -n 's/.*"renderer": "\([^"]*\)".*/\1/p'))"
fi
declare -A med cpu calls
for r in $(seq "$REPS"); do
    for m in "${modes[@]}"; do
        name=${m%%:*} flag=${m#*:}
        # shellcheck disable=SC2086
        json=$("$BIN" bench $HALL --size "$SIZE" $flag --frames 60 --warmup 10 --json 2>/dev/null)
        med[$name]+="$(sed -n 's/.*"median_ms": \([0-9.]*\).*/\1/p' <<<"$json") "
        cpu[$name]+="$(sed -n 's/.*"cpu_ms": \([0-9.]*\).*/\1/p' <<<"$json") "
        calls[$name]=$(sed -n 's/.*"draw_calls": \([0-9.]*\).*/\1/p' <<<"$json")
    done
done
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
mono=$(median <<<"${med[mono]}")
mono_cpu=$(median <<<"${cpu[mono]}")
printf '%-10s %-34s %9s %9s %14s %12s %11s\n' mode "frame medians (ms)" median "cpu ms" "x mono frame" "x mono cpu" \
    "draw calls"
for m in "${modes[@]}"; do
    name=${m%%:*}
    f=$(median <<<"${med[$name]}")
    c=$(median <<<"${cpu[$name]}")
    printf '%-10s %-34s %9.2f %9.2f %14.2f %12.2f %11s\n' "$name" "${med[$name]}" "$f" "$c" \
        "$(awk -v a="$f" -v b="$mono" 'BEGIN {print a / b}')" "$(awk -v a="$c" -v b="$mono_cpu" 'BEGIN {print a / b}')" \
        "${calls[$name]}"
done
