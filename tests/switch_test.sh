#!/usr/bin/env bash
# switch_test.sh - the featured exhibit switched again and again while the
# headless kiosk renders: every SWITCH is answered OK and shown; switching
# does not slow the frames down (median within 25 % of the idle median: the
# mean of the medians of 3 s idle before the switches and 3 s after them, so
# that the VM's own slow or fast spells, which last seconds, fall on both
# sides; one idle phase before gave 1.28x once with the same binary at
# 0.97-1.02x in runs before and after), and 99 % of the frames during the
# switches take under twice the median. The
# worst frame is printed beside the idle phase's worst: on this shared VM
# llvmpipe's idle frames alone spread to 1.3-1.7x their median now and then
# (the process's CPU time per frame shows the same spread, so it is not
# waiting), which makes "no single frame over 2x" a measurement for the
# notes (MH_SWITCHES=100), not something a test can hold every run.
#
# The switches come through the kiosk's command path (a `control` script line
# runs exactly what a SWITCH from the control port runs), so frame times are
# those of the real render loop with loading on the worker thread, GPU
# uploads spread over frames and the crossfade.
#
# Measured at 960x540 with one llvmpipe rasteriser thread: on a two-core
# machine that leaves a core for the loader, as on a kiosk board, and keeps
# the scheduler's own jitter out of the measurement (with two rasteriser
# threads at small sizes, idle frames alone vary up to 2x the median, and
# this VM stalls a process for ~40 ms now and then, switches or not).
# MH_SWITCHES=100 runs the 100-switch measurement quoted in the notes.
# Under the sanitizers (ASan/UBSan build) only correctness is checked: their
# run-time checks, not the kiosk, decide the frame times there.
. "$(dirname "$0")/lib.sh"
n=${MH_SWITCHES:-26} size=${MH_SWITCH_SIZE:-960x540} timed=1
if [ -n "${ASAN_OPTIONS:-}" ]; then
    n=13 size=320x180 timed=0
fi
work="$MH_OUT/switch"
rm -rf "$work"
mkdir -p "$work"
ids=(tongzhou qiantang huangpu xuhui shanghai wuhan hefei chengdu wuxi guizhou shandong xiamen suzhou)
{
    echo "seconds 2"
    echo "timing warmup"
    echo "seconds 3"
    echo "timing idle"
    prev=shanghai
    for ((i = 0; i < n; i++)); do
        id=${ids[$(((i * 5 + 3) % 13))]}
        [ "$id" = "$prev" ] && id=${ids[$(((i * 5 + 4) % 13))]}
        echo "control SWITCH $id"
        echo "expect reply OK"
        echo "expect featured $id"
        prev=$id
    done
    echo "seconds 1"
    echo "timing switching"
    echo "seconds 3"
    echo "timing after"
} > "$work/switch.txt"
LP_NUM_THREADS=1 metahall --platform headless --size "$size" --idle-timeout 0 --script "$work/switch.txt" \
    > "$work/log" 2>&1 || { tail -20 "$work/log"; fail "the switch script failed"; }
ok=$(grep -c -- '-> OK featured' "$work/log" || true)
[ "$ok" = "$n" ] || fail "expected $n switches answered OK, got $ok (see $work/log)"
line=$(grep 'timing\] info: switching:' "$work/log") || fail "no timing line in $work/log"
idle=$(grep 'timing\] info: idle:' "$work/log")
after=$(grep 'timing\] info: after:' "$work/log") || fail "no timing line after the switches in $work/log"
stats() { echo "$1" | sed -E 's/.*: median ([0-9.]+) ms, p99 ([0-9.]+) ms, worst ([0-9.]+) ms over ([0-9]+) frames.*/\1 \2 \3 \4/'; }
read -r median p99 worst frames < <(stats "$line")
read -r bmedian ip99 iworst iframes < <(stats "$idle")
read -r amedian _ _ aframes < <(stats "$after")
imedian=$(awk -v b="$bmedian" -v a="$amedian" 'BEGIN { printf "%.2f", (a + b) / 2 }')
echo "idle:      median $bmedian ms before ($iframes frames), $amedian ms after ($aframes frames): $imedian ms;" \
     "p99 $ip99 ms, worst $iworst ms before"
echo "switching: $n switches, median $median ms, p99 $p99 ms, worst $worst ms over $frames frames"
echo "           worst/median $(awk -v m="$median" -v w="$worst" 'BEGIN { printf "%.2f", w / m }')" \
     "(idle: $(awk -v m="$imedian" -v w="$iworst" 'BEGIN { printf "%.2f", w / m }'))"
if [ "$timed" = 0 ]; then
    echo "sanitizer build: frame times not checked"
    exit 0
fi
awk -v m="$median" -v i="$imedian" 'BEGIN { exit !(m <= 1.25 * i) }' ||
    fail "switching slowed the frames: median $median ms against $imedian ms idle"
awk -v m="$median" -v p="$p99" 'BEGIN { exit !(p <= 2 * m) }' ||
    fail "more than 1 % of the frames during the switches took over twice the median ($p99 ms > 2 x $median ms)"
echo "switching median within 25 % of idle; p99 $p99 ms <= 2 x median $median ms"
