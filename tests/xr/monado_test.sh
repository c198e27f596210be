#!/usr/bin/env bash
# monado_test.sh - the OpenXR headset platform against a real runtime:
# Monado's service with its null compositor (a simulated headset, no GPU:
# lavapipe under Monado, llvmpipe under metahall) in a Debian 13 root, with
# metahall built inside that root. It draws MH_XR_FRAMES (90) frames into
# the headset's swapchain and checks that the session reached FOCUSED, that
# the frames were drawn, that the session ended cleanly (STOPPING, IDLE,
# EXITING), and that both eyes of the last frame show the hall.
#
# Needs root and debootstrap. The root is cached in $MH_XR_ROOT (default
# xr-root in the build folder, $MH_BUILD_DIR, never the source tree) and
# rebuilt when its package list changes (tests/xr/xr_root.sh).
# Also: without the service it says so (exit 1), and with simulated
# controllers and MH_XR_SPACE=stage the actions bind and the aim ray is found.
# Then a visitor, played by an OpenXR API layer written for these tests
# (tests/xr/layer: scripted action states, poses, presence and focus events,
# swapchain read-back) through metahall's real OpenXR calls: with
# controllers and a presence sensor it snap-turns, pulls the trigger on a
# booth, opens the menu and picks English with the ray, takes the headset
# off briefly (the visit goes on) and for longer (reset, attract mode), puts
# it on (a fresh visit at the entrance) and teleports with the arc (and is
# refused where nobody may stand); with the gaze alone and the session's
# focus for presence it opens the menu and picks English by dwelling, and
# loses and regains focus (reset, fresh visit), then a tracked hand
# (XR_EXT_hand_tracking, scripted by the layer) points at a booth and
# pinches: its panel opens. metahall's own --script
# (tests/xr/visitor/*.check.txt) waits for each state; the frames the layer
# read back show the menu and the arc.
# Logs and frames go to $MH_OUT (xr_*.log, xr_eyes.png, xr_menu.png, xr_arc.png).
source "$(dirname "$0")/../lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/xr_root.sh"

[ "$(id -u)" = 0 ] || skip "the Monado test needs root (debootstrap, chroot, mounts)"
command -v debootstrap >/dev/null || skip "debootstrap is not installed (toolchains/setup.sh --test)"
command -v python3 >/dev/null || skip "python3 is not installed"

ROOT=$(realpath -m "${MH_XR_ROOT:-${MH_BUILD_DIR:?run through ctest, or set MH_XR_ROOT}/xr-root}")
FRAMES=${MH_XR_FRAMES:-90}
MIN_FRAMES=$(( FRAMES * 2 / 3 ))
XDG_IN=/run/metahall-xr          # XDG_RUNTIME_DIR inside the root: Monado's socket
LOG=$MH_OUT/xr_monado.log
SERVICE_LOG=$MH_OUT/xr_monado_service.log
BUILD_LOG=$MH_OUT/xr_build.log
start=$(date +%s)

# a clean environment inside the root: nothing from the host's (XR_RUNTIME_JSON...)
IN_ROOT=(chroot "$ROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8
         XDG_RUNTIME_DIR="$XDG_IN")

monado_pid=""
stop_monado() {
    [ -n "$monado_pid" ] || return 0
    if kill -0 "$monado_pid" 2>/dev/null; then
        kill -TERM "$monado_pid" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$monado_pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$monado_pid" 2>/dev/null || true
    fi
    wait "$monado_pid" 2>/dev/null || true
    monado_pid=""
}
cleanup() {
    stop_monado
    xr_unmount "$ROOT" || echo "monado_test: something under $ROOT is still mounted" >&2
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the root, the source, the build -------------------------------------------
xr_root_ensure "$ROOT" || fail "could not make the Debian $XR_SUITE root in $ROOT (see above)"
xr_copy_source "$MH_SRC" "$ROOT"
xr_mount "$ROOT"

t=$(date +%s)
echo "building metahall inside the root"
"${IN_ROOT[@]}" sh -c "cmake -S /src -B /build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMH_DESKTOP=OFF -DMH_TESTS=OFF \
    && cmake --build /build -j $(nproc)" >"$BUILD_LOG" 2>&1 || {
    tail -n 40 "$BUILD_LOG"
    fail "metahall does not build in the Debian $XR_SUITE root (log: $BUILD_LOG)"
}
# the test's API layer, with its manifest naming where it is
rm -rf --one-file-system "$ROOT/layer-src" && cp -r "$HERE/layer" "$ROOT/layer-src"
"${IN_ROOT[@]}" sh -c "rm -rf /build-layer && mkdir /build-layer && gcc -std=c17 -O2 -Wall -Wextra -Werror -shared -fPIC \
    -o /build-layer/libmh_xr_layer.so /layer-src/mh_xr_layer.c -lGLESv2 -lpng -lm && \
    sed 's|@LIBRARY@|/build-layer/libmh_xr_layer.so|' /layer-src/manifest.json.in >/build-layer/metahall_test_layer.json" \
    >>"$BUILD_LOG" 2>&1 || { tail -n 20 "$BUILD_LOG"; fail "the test's OpenXR API layer does not build (log: $BUILD_LOG)"; }
build_s=$(( $(date +%s) - t ))
grep -E 'warning:' "$BUILD_LOG" | sort -u | head -n 20 || true

# ---- Monado -------------------------------------------------------------------------

# start_monado [VAR=VALUE...]: monado-service with the null compositor (and
# these settings), waiting until it accepts clients.
start_monado() {
    rm -rf --one-file-system "${ROOT:?}$XDG_IN"
    mkdir -m 0700 "$ROOT$XDG_IN"
    "${IN_ROOT[@]}" XRT_COMPOSITOR_NULL=1 XRT_NO_STDIN=1 VK_ICD_FILENAMES=/usr/share/vulkan/icd.d/lvp_icd.json \
        "$@" monado-service >"$SERVICE_LOG" 2>&1 &
    monado_pid=$!
    for _ in $(seq 300); do
        grep -q "The Monado service has started." "$SERVICE_LOG" && break
        kill -0 "$monado_pid" 2>/dev/null || { cat "$SERVICE_LOG"; fail "monado-service stopped while starting"; }
        sleep 0.1
    done
    grep -q "The Monado service has started." "$SERVICE_LOG" ||
        { cat "$SERVICE_LOG"; fail "monado-service did not start in 30 s"; }
    echo "monado-service is running (pid $monado_pid${*:+, $*})"
}

# run_metahall LOG [VAR=VALUE...] -- ARGS...: metahall on the headset inside
# the root; sets rc and run_s.
run_metahall() {
    local log=$1 t vars=()
    shift
    while [ "$1" != -- ]; do vars+=("$1"); shift; done
    shift
    t=$(date +%s.%N)
    rc=0
    timeout 300 "${IN_ROOT[@]}" "${vars[@]}" /build/metahall --platform openxr --hall /src/assets/halls/default \
        "$@" >"$log" 2>&1 || rc=$?
    run_s=$(echo "$t $(date +%s.%N)" | awk '{printf "%.1f", $2 - $1}')
}

# expect_clean_session LOG: the session went to FOCUSED and ended as it should.
expect_clean_session() {
    local log=$1 states s
    states=$(grep -oE 'session state [A-Z_]+ -> [A-Z_]+' "$log" | awk '{print $5}' | paste -sd' ')
    echo "session states: $states"
    for s in READY SYNCHRONIZED VISIBLE FOCUSED STOPPING IDLE EXITING; do
        grep -qE "session state [A-Z_]+ -> $s\$" "$log" || fail "the session never reached $s (states: $states)"
    done
    grep -q 'session ended cleanly' "$log" || fail "no 'session ended cleanly' in $log"
}

# 1. no service: a clear sentence and exit status 1
run_metahall "$MH_OUT/xr_no_service.log" -- --frames 3
grep 'metahall:' "$MH_OUT/xr_no_service.log" || true
[ "$rc" = 1 ] || fail "without monado-service metahall exited $rc, expected 1"
grep -q 'metahall: the OpenXR runtime failed to start (is its service running? for Monado: monado-service)' \
    "$MH_OUT/xr_no_service.log" || fail "without monado-service the message does not say the runtime failed to start"

# 2. the simulated headset, no controllers: draw FRAMES frames and look at the
#    last one (both eyes in one pass: llvmpipe has GL_OVR_multiview2)
start_monado
rm -f "$ROOT/tmp/eyes.png"
run_metahall "$LOG" -- --frames "$FRAMES" --screenshot /tmp/eyes.png -v
kill -0 "$monado_pid" 2>/dev/null || { cat "$SERVICE_LOG"; fail "monado-service died during the run"; }
stop_monado
main_run_s=$run_s
grep -E 'openxr|\[main\]' "$LOG" | grep -v 'debug:' | cut -c1-200 || true
[ "$rc" = 0 ] || { tail -n 40 "$LOG"; fail "metahall --platform openxr exited $rc (log: $LOG)"; }
expect_clean_session "$LOG"
grep -q 'no controller pose: selection by gaze' "$LOG" || fail "without controllers the log does not say so"
grep -q 'x 2 layers (one eye each, both drawn in one pass' "$LOG" || fail "the swapchain is not a multiview one"
# the simulated head looks at the stage from the entrance: resting the gaze
# there (1.5 s dwell) opens the featured exhibit's panel
grep -q 'panel [a-z0-9_-]* opened' "$LOG" || fail "gaze dwell selected nothing (no panel opened)"
read -r frames median < <(grep -oE '[0-9]+ frames: median [0-9.]+' "$LOG" | awk '{print $1, $4}' | tail -n 1) ||
    fail "no frame report in the log"
echo "$frames frames drawn, median $median ms, in $main_run_s s"
[ "$frames" -ge "$MIN_FRAMES" ] || fail "only $frames frames drawn, expected at least $MIN_FRAMES"
[ -s "$ROOT/tmp/eyes.png" ] || fail "no screenshot was written"
cp "$ROOT/tmp/eyes.png" "$MH_OUT/xr_eyes.png"
python3 "$HERE/eyes_check.py" "$MH_OUT/xr_eyes.png" || fail "the eyes do not show the hall ($MH_OUT/xr_eyes.png)"

# 2b. both eyes in one pass (GL_OVR_multiview2, Mesa's llvmpipe here) draw
#     what a pass for each eye draws: render, and the headless kiosk with its
#     interface (the ui shader's multiview variant), at a booth from which
#     the LED wall (its video plays on its own clock) is out of view
"${IN_ROOT[@]}" sh -c "cd /tmp && H='--hall /src/assets/halls/default --view booth:wuhan --size 640x240' && \
    for mv in '' --multiview; do /build/metahall render \$H --stereo \$mv --out /tmp/render\${mv:-_two_passes}.png &&
    /build/metahall --platform headless \$H --stereo \$mv --frames 3 --screenshot /tmp/kiosk\${mv:-_two_passes}.png ||
    exit 1; done" >"$MH_OUT/xr_multiview.log" 2>&1 || { cat "$MH_OUT/xr_multiview.log"; fail "metahall --stereo --multiview failed"; }
[ "$(grep -c 'both eyes in one pass (GL_OVR_multiview2)' "$MH_OUT/xr_multiview.log")" = 2 ] ||
    fail "render and the kiosk with --multiview did not both draw in one pass (log: $MH_OUT/xr_multiview.log)"
for what in render kiosk; do
    cp "$ROOT/tmp/${what}_two_passes.png" "$MH_OUT/xr_${what}_two_passes.png"
    cp "$ROOT/tmp/${what}--multiview.png" "$MH_OUT/xr_${what}_multiview.png"
    python3 "$HERE/shot_check.py" --same "$MH_OUT/xr_${what}_two_passes.png" "$MH_OUT/xr_${what}_multiview.png" ||
        fail "$what: both eyes in one pass do not draw what two passes draw"
done

# 3. simulated Windows Mixed Reality controllers and the STAGE space: the
#    action system binds and the right controller's aim ray is located; drawn
#    at 1.5 times the recommended size with 4x multisampling, resolved into
#    the swapchain: both eyes side by side, a pass each (multiview takes no
#    MSAA here; the path of drivers without GL_OVR_multiview2), and read back
start_monado SIMULATED_ENABLE=1 SIMULATED_LEFT=wmr SIMULATED_RIGHT=wmr
rm -f "$ROOT/tmp/side_by_side.png"
run_metahall "$MH_OUT/xr_controllers.log" MH_XR_SPACE=stage -- --frames 20 -v --render-scale 1.5 --msaa 4 \
    --screenshot /tmp/side_by_side.png
stop_monado
grep -E '\[openxr\] info: (tracking|pointing|left hand|right hand|controller)' "$MH_OUT/xr_controllers.log" | sort -u || true
[ "$rc" = 0 ] || { tail -n 40 "$MH_OUT/xr_controllers.log"; fail "metahall with controllers exited $rc"; }
expect_clean_session "$MH_OUT/xr_controllers.log"
for want in '480x360 per eye \(320x240 recommended, render scale 1.50\)' '4x multisampling' \
            'swapchain 960x360 \(both eyes side by side\)'; do
    grep -qE "$want" "$MH_OUT/xr_controllers.log" || fail "with --render-scale 1.5 --msaa 4 the log lacks /$want/"
done
cp "$ROOT/tmp/side_by_side.png" "$MH_OUT/xr_msaa.png" 2>/dev/null || fail "no screenshot with --msaa 4"
python3 "$HERE/eyes_check.py" "$MH_OUT/xr_msaa.png" ||
    fail "with --msaa 4 (side by side) the eyes do not show the hall ($MH_OUT/xr_msaa.png)"
for want in 'tracking space STAGE' 'right hand: /interaction_profiles/microsoft/motion_controller' \
            'pointing with the right controller'; do
    grep -q "$want" "$MH_OUT/xr_controllers.log" || fail "with simulated controllers the log lacks '$want'"
done

# 4. the runtime dies under a running kiosk: it stops at once, says why, exits 1
start_monado
rm -f "$MH_OUT/xr_lost.log"
timeout 120 "${IN_ROOT[@]}" /build/metahall --platform openxr --hall /src/assets/halls/default --control off \
    >"$MH_OUT/xr_lost.log" 2>&1 &
kiosk_pid=$!
for _ in $(seq 600); do
    grep -q 'session state [A-Z_]* -> FOCUSED' "$MH_OUT/xr_lost.log" && break
    kill -0 "$kiosk_pid" 2>/dev/null || break
    sleep 0.1
done
grep -q 'session state [A-Z_]* -> FOCUSED' "$MH_OUT/xr_lost.log" || { kill "$kiosk_pid" 2>/dev/null; cat "$MH_OUT/xr_lost.log"; fail "the kiosk did not reach FOCUSED"; }
sleep 1
kill -KILL "$monado_pid"
t=$(date +%s.%N)
rc=0
wait "$kiosk_pid" || rc=$?
lost_s=$(echo "$t $(date +%s.%N)" | awk '{printf "%.2f", $2 - $1}')
stop_monado
grep -E 'went away|losing|lost' "$MH_OUT/xr_lost.log" | head -n 3 || true
[ "$rc" = 1 ] || fail "after monado-service died the kiosk exited $rc, expected 1"
grep -q 'metahall\[main\] error: the OpenXR runtime' "$MH_OUT/xr_lost.log" || grep -q '\[main\] error: .*OpenXR runtime' "$MH_OUT/xr_lost.log" ||
    fail "after monado-service died the log does not say the runtime went away"
echo "monado-service killed: the kiosk stopped in $lost_s s with exit status 1"

# 5. a visitor played by the test's API layer (see the top): controllers and
#    the presence sensor, then the gaze and the session's focus
LAYER_ENV=(XR_API_LAYER_PATH=/build-layer XR_ENABLE_API_LAYERS=XR_APILAYER_METAHALL_test_visitor)
GRACE=2
# run_visitor NAME [VAR=VALUE...]: the layer plays visitor/NAME.layer.txt while
# metahall's --script waits for visitor/NAME.check.txt's states
run_visitor() {
    local name=$1
    shift
    cp "$HERE/visitor/$name.layer.txt" "$ROOT/tmp/$name.layer.txt"
    cp "$HERE/visitor/$name.check.txt" "$ROOT/tmp/$name.check.txt"
    rm -f "$ROOT"/tmp/xr_*.png
    start_monado
    run_metahall "$MH_OUT/xr_visitor_$name.log" "${LAYER_ENV[@]}" MH_XR_LAYER_SCRIPT="/tmp/$name.layer.txt" "$@" -- \
        --script "/tmp/$name.check.txt" --headset-grace "$GRACE" --control off
    stop_monado
    grep -E 'mh_xr_layer: .*(loaded|shot|done|destroyed)|\[headset\] info|headset (worn|taken)|first frame after|script\].*(expected|never)' \
        "$MH_OUT/xr_visitor_$name.log" | cut -c1-160 || true
    [ "$rc" = 0 ] || { tail -n 30 "$MH_OUT/xr_visitor_$name.log"; fail "the $name visitor's checks failed (exit $rc; log: $MH_OUT/xr_visitor_$name.log)"; }
    expect_clean_session "$MH_OUT/xr_visitor_$name.log"
    grep -q "mh_xr_layer: .*script done" "$MH_OUT/xr_visitor_$name.log" || fail "the layer did not play all of $name.layer.txt"
}
need() { grep -qE "$2" "$MH_OUT/xr_visitor_$1.log" || fail "the $1 visitor's log lacks /$2/"; }

t=$(date +%s)
run_visitor controllers
need controllers 'XR_EXT_user_presence offered and enabled'
need controllers 'visitor cycle: the headset.s presence sensor'
need controllers 'headset back on after [0-9.]+ s: the visit goes on'
need controllers 'teleport refused: nobody may stand there'
read -r arc_x arc_z < <(grep -oE 'teleport by the arc to \(-?[0-9.]+, -?[0-9.]+\)' "$MH_OUT/xr_visitor_controllers.log" |
                        tr -d '(),' | awk '{print $6, $7}' | head -n 1) || fail "no teleport by the arc"
awk -v x="$arc_x" -v z="$arc_z" 'BEGIN {exit !(x > -1 && x < 1 && z > 9 && z < 13)}' ||
    fail "the arc took the visitor to ($arc_x, $arc_z), not 3-7 m ahead of the entrance (0, 16)"
for s in no_menu menu no_arc arc; do
    [ -s "$ROOT/tmp/xr_$s.png" ] || fail "the layer did not read back xr_$s.png"
    cp "$ROOT/tmp/xr_$s.png" "$MH_OUT/xr_$s.png"
done
# the menu: the hovered English (20,130,200) and the chosen 中文 (46,98,70);
# the arc and its marker (90,215,255)
python3 "$HERE/shot_check.py" "$MH_OUT/xr_no_menu.png" "$MH_OUT/xr_menu.png" "the world menu" 20,130,200 46,98,70 ||
    fail "the frame read back from the swapchain does not show the menu ($MH_OUT/xr_menu.png)"
python3 "$HERE/shot_check.py" "$MH_OUT/xr_no_arc.png" "$MH_OUT/xr_arc.png" "the teleport arc" 90,215,255 ||
    fail "the frame read back from the swapchain does not show the teleport arc ($MH_OUT/xr_arc.png)"
off_s=$(grep -oE 'headset off for [0-9.]+ s: the visit is reset' "$MH_OUT/xr_visitor_controllers.log" | awk '{print $4}')
on_ms=$(awk '/visit 2 begins/ {f = 1} f && /first frame after it went/ {print $(NF - 2); exit}' \
        "$MH_OUT/xr_visitor_controllers.log")
[[ "$off_s" =~ ^[0-9.]+$ && "$on_ms" =~ ^[0-9.]+$ ]] || fail "the visitor cycle's timings are not in the log"
awk -v s="$off_s" -v g="$GRACE" 'BEGIN {exit !(s >= g && s < g + 0.5)}' ||
    fail "the visit reset ${off_s} s after the headset came off, not at the grace period (${GRACE} s)"
run_visitor gaze MH_XR_LAYER_PRESENCE=0 MH_XR_LAYER_HANDS=1
need gaze 'XR_EXT_user_presence hidden'
need gaze 'visitor cycle: the session.s focus'
need gaze 'no controller pose: selection by gaze'
need gaze 'headset taken off \(the session lost focus\)'
need gaze 'hand tracking: without a controller, a hand points and a pinch selects'
need gaze 'pointing with the right hand \(pinch to select\)'
echo "visitor cycle: off -> attract after ${off_s} s (grace ${GRACE} s), on -> the new visit's first frame" \
     "${on_ms} ms after the presence event; arc to ($arc_x, $arc_z); $(( $(date +%s) - t )) s for both visitors"

root_note="reused"
[ -n "$XR_ROOT_BUILT_S" ] && root_note="built in $XR_ROOT_BUILT_S s"
echo "xr_monado: ok: root $root_note, build $build_s s, run $main_run_s s, $frames frames (median $median ms)," \
     "$(( $(date +%s) - start )) s in all"
