#!/usr/bin/env bash
# platform_auto_test.sh - `--platform auto` and the self-test frame:
#  1. no runtime, no DISPLAY: auto logs why it passed over the headset, the
#     desktop window and KMS/DRM, in that order, then runs headless;
#  2. DISPLAY naming no X server: the window's own reason (SDL's) is logged;
#  3. under Xvfb: auto opens the desktop window on X11;
#  4. READY=1 reaches systemd's notify socket (a socket of the test's) only
#     after the self-test says the frame read back shows the hall;
#  5. a hall that draws one colour (nothing but its clear colour): the kiosk
#     never sends READY=1 and stops with exit 1 after 10 s, saying why.
# (A KMS/DRM screen cannot be had here: tests/deploy/kiosk_boot_test.sh
# boots one in qemu.)
. "$(dirname "$0")/lib.sh"
tmp="$MH_OUT/platform_auto"
rm -rf "$tmp" && mkdir -p "$tmp/xdg"
no_xr=(XR_RUNTIME_JSON="$tmp/no-such-runtime.json" XDG_CONFIG_HOME="$tmp/xdg" XDG_CONFIG_DIRS="$tmp/xdg")
# a machine with a display device: SDL must not take its console in a test
kms=()
compgen -G "/dev/dri/card*" >/dev/null && kms=(SDL_VIDEODRIVER=dummy)

# in_order FILE TEXT...: FILE has lines containing each TEXT, in this order
in_order() {
    local file=$1 at=0 n
    shift
    for text in "$@"; do
        n=$(grep -nF -- "$text" "$file" | head -n 1 | cut -d: -f1)
        [ -n "$n" ] || fail "no '$text' in $file: $(cat "$file")"
        [ "$n" -gt "$at" ] || fail "'$text' comes before what it should follow in $file: $(cat "$file")"
        at=$n
    done
}

# ---- 1. nothing but headless -------------------------------------------------------------
rc=0
env -u DISPLAY -u WAYLAND_DISPLAY "${no_xr[@]}" "${kms[@]}" timeout 120 "${EMU[@]}" "$MH_BIN" --platform auto \
    --frames 3 --size 320x180 >"$tmp/none.log" 2>&1 || rc=$?
grep -v OpenXR-Loader "$tmp/none.log"
[ "$rc" = 0 ] || fail "--platform auto with nothing but headless: exit $rc"
in_order "$tmp/none.log" "auto: no headset (OpenXR): no OpenXR runtime is installed" \
    "auto: no desktop window (X11/Wayland): DISPLAY and WAYLAND_DISPLAY are unset" \
    "auto: no screen through KMS/DRM: " "auto: headless" \
    "auto: nothing to show the hall on; rendering headless" \
    "[selftest] info: the frame shows the hall (320x180, " "first frame presented"
echo "platform_auto: no headset, no display, no KMS: headless, each reason logged"

# ---- 2. a DISPLAY with no X server behind it -------------------------------------------------
rc=0
env -u WAYLAND_DISPLAY DISPLAY=:87 "${no_xr[@]}" "${kms[@]}" timeout 120 "${EMU[@]}" "$MH_BIN" --platform auto \
    --frames 3 --size 320x180 >"$tmp/baddisplay.log" 2>&1 || rc=$?
[ "$rc" = 0 ] || fail "--platform auto with a dead DISPLAY: exit $rc: $(cat "$tmp/baddisplay.log")"
grep "auto: no desktop window" "$tmp/baddisplay.log"
grep -q "auto: no desktop window (X11/Wayland): SDL cannot start video: " "$tmp/baddisplay.log" ||
    fail "a dead DISPLAY: the window's reason is not SDL's: $(cat "$tmp/baddisplay.log")"
in_order "$tmp/baddisplay.log" "auto: no desktop window" "auto: headless"
echo "platform_auto: a DISPLAY with no server: SDL's reason logged, then headless"

# ---- 3. a desktop session (Xvfb) ---------------------------------------------------------------
if command -v xvfb-run >/dev/null; then
    rc=0
    env -u WAYLAND_DISPLAY "${no_xr[@]}" timeout 240 xvfb-run -a -s "-screen 0 640x480x24 -nolisten tcp" \
        "${EMU[@]}" "$MH_BIN" --platform auto --frames 3 --size 320x180 --msaa 1 >"$tmp/xvfb.log" 2>&1 || rc=$?
    [ "$rc" = 0 ] || fail "--platform auto under Xvfb: exit $rc: $(cat "$tmp/xvfb.log")"
    in_order "$tmp/xvfb.log" "auto: no headset (OpenXR)" "video driver x11" "auto: desktop window (X11/Wayland)" \
        "[selftest] info: the frame shows the hall" "first frame presented"
    ! grep -q "auto: headless" "$tmp/xvfb.log" || fail "under Xvfb auto still went headless"
    echo "platform_auto: under Xvfb: the desktop window on X11"
else
    skip "xvfb-run is not installed (toolchains/setup.sh --test)"
fi

# ---- 4 and 5. READY=1 to systemd only after the self-test ------------------------------------------
# ready_run NAME HALL EXTRA...: the kiosk until stopped with NOTIFY_SOCKET set
# to a socket of ours; prints "ready" or "exit N" (what came first) and keeps
# the log in $tmp/NAME.log and the notify messages in $tmp/NAME.notify
ready_run() {
    local name=$1 hall=$2
    shift 2
    env -u DISPLAY -u WAYLAND_DISPLAY "${no_xr[@]}" "${kms[@]}" python3 - "$tmp/$name" "${EMU[@]}" "$MH_BIN" \
        --platform auto --hall "$hall" --size 320x180 --control off --state-dir "$tmp/$name.state" "$@" <<'EOF'
import os, signal, socket, subprocess, sys, time
base, cmd = sys.argv[1], sys.argv[2:]
path = base + ".sock"
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
s.settimeout(0.2)
log = open(base + ".log", "w")
p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, NOTIFY_SOCKET=path))
notes, result, end = [], None, time.monotonic() + 90
while result is None and time.monotonic() < end:
    try:
        msg = s.recv(4096).decode()
        notes.append(msg)
        if "READY=1" in msg.split("\n"):
            result = "ready"
    except socket.timeout:
        pass
    if result is None and p.poll() is not None:
        result = f"exit {p.returncode}"
if p.poll() is None:
    p.send_signal(signal.SIGTERM)
    p.wait(30)
open(base + ".notify", "w").write("\n--\n".join(notes) + "\n")
print(result or "timeout")
EOF
}

got=$(ready_run good "$MH_SRC/assets/halls/default")
[ "$got" = ready ] || fail "the default hall: '$got' instead of READY=1: $(cat "$tmp/good.log")"
in_order "$tmp/good.log" "auto: headless" "[selftest] info: the frame shows the hall" "first frame presented"
grep -q "^STATUS=showing default" "$tmp/good.notify" || fail "READY=1 came without its STATUS: $(cat "$tmp/good.notify")"
echo "platform_auto: READY=1 after the self-test passed"

# a hall of nothing: no architecture, booths or signs, looking up into its
# clear colour, no visitor interface: every frame is one colour
mkdir -p "$tmp/blank/exhibits"
python3 - "$MH_SRC/assets/halls/default/hall.json" "$tmp/blank/hall.json" <<'EOF'
import json, sys
hall = json.load(open(sys.argv[1]))
for key in ("architecture", "signs", "screens", "tour", "textures"):
    hall.pop(key, None)
hall.update(exhibits_dir="exhibits", booths=[], entrance={"position": [0, 19.5], "yaw_deg": 180, "pitch_deg": 80})
hall["stage"].pop("featured", None)
json.dump(hall, open(sys.argv[2], "w"), ensure_ascii=False)
EOF
t=$SECONDS
got=$(ready_run blank "$tmp/blank" --no-interface)
[ "$got" = "exit 1" ] || fail "a hall of one colour: '$got' instead of exit 1: $(cat "$tmp/blank.log")"
[ $((SECONDS - t)) -ge 10 ] || fail "a hall of one colour: it stopped before its 10 s"
! grep -q "READY=1" "$tmp/blank.notify" || fail "a hall of one colour sent READY=1: $(cat "$tmp/blank.notify")"
in_order "$tmp/blank.log" "[selftest] warning: the first frame read back is 320x180, one colour: #" \
    "[selftest] error: every frame for 10 s was 320x180, one colour: #"
echo "platform_auto: a kiosk showing one colour never says READY and stops after 10 s"
