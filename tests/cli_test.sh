#!/usr/bin/env bash
# cli_test.sh - the command line: help, exit codes, and clear errors for bad
# arguments and bad files; a broken exhibit shows a placeholder instead of
# stopping the kiosk; the headless kiosk runs frames and takes a screenshot.
. "$(dirname "$0")/lib.sh"
tmp="$MH_OUT/cli"
rm -rf "$tmp" && mkdir -p "$tmp"
n=0

# expect CODE TEXT ARGS...: runs metahall, checks the exit code and that the
# output (stdout + stderr) contains TEXT.
expect() {
    local code=$1 text=$2 got out
    shift 2
    set +e
    out=$(metahall "$@" 2>&1)
    got=$?
    set -e
    [ "$got" = "$code" ] || fail "metahall $*: exit $got, expected $code; output: $out"
    case "$out" in *"$text"*) ;; *) fail "metahall $*: output lacks '$text': $out" ;; esac
    n=$((n + 1))
}

expect 0 "usage: metahall" --help
expect 0 "metahall 0.1.0" --version
expect 2 "unknown option '--bogus'" --bogus
expect 2 "unknown command 'frobnicate'" frobnicate
expect 2 "unknown platform 'vr'" --platform vr
expect 2 "bad size '12x9'" render --size 12x9 --out "$tmp/x.png"
expect 2 "render needs --out" render
expect 2 "option --hall needs a value" render --hall
expect 2 "--screenshot needs --frames" --platform headless --screenshot "$tmp/s.png"
expect 1 "/nonexistent/hall: hall folder not found" render --hall /nonexistent/hall --out "$tmp/x.png"
expect 1 'no booth for exhibit "nowhere"' render --view booth:nowhere --out "$tmp/x.png"
expect 1 "unknown view \"sideways\"" render --view sideways --out "$tmp/x.png"
expect 1 "cannot write file" render --size 64x36 --out /nonexistent-dir/x.png

# a copy of the shipped assets to break
cp -r "$MH_SRC/assets" "$tmp/assets"
hall="$tmp/assets/halls/default"

# a truncated hall.json: error with line and column, exit 1
head -c 200 "$MH_SRC/assets/halls/default/hall.json" > "$hall/hall.json"
expect 1 "hall.json: line" render --hall "$hall" --size 64x36 --out "$tmp/x.png"
cp "$MH_SRC/assets/halls/default/hall.json" "$hall/hall.json"

# a broken exhibit: the kiosk still renders, names the file, shows a placeholder
printf '{"format":"metahall-exhibit/1","id":"qiantang","name_zh":' > "$tmp/assets/exhibits/qiantang/exhibit.json"
# a missing texture: logged, replaced by plain white
rm "$hall/textures/wall.png"
expect 0 "qiantang/exhibit.json: line 1" render --hall "$hall" --view booth:qiantang --size 800x450 --out "$tmp/broken.png"
expect 0 "textures/wall.png: cannot open file" render --hall "$hall" --size 64x36 --out "$tmp/x.png"
[ -s "$tmp/broken.png" ] || fail "no image rendered for the hall with a broken exhibit"
# the placeholder must not look like the real booth: the golden tolerance catches it
if imgcmp "$MH_SRC/tests/golden/booth_qiantang.png" "$tmp/broken.png" >/dev/null; then
    fail "a placeholder booth passed as the real qiantang booth: the golden tolerance is too loose"
fi

# a broken landmark model: named with the glTF location, placeholder shown, kiosk renders
head -c 2000 "$MH_SRC/assets/exhibits/wuhan/landmark.glb" > "$tmp/assets/exhibits/wuhan/landmark.glb"
expect 0 "exhibits/wuhan/landmark.glb: /: GLB header says" render --hall "$hall" --view booth:wuhan --size 480x270 --out "$tmp/wuhan.png"
expect 0 "exhibit wuhan: its landmark model did not load (showing a placeholder)" render --hall "$hall" --view booth:wuhan --size 480x270 --out "$tmp/wuhan.png"
if imgcmp "$MH_SRC/tests/golden/booth_wuhan.png" "$tmp/wuhan.png" >/dev/null; then
    fail "a placeholder passed as the real wuhan landmark"
fi

# the headless kiosk: runs N frames, prints frame times, writes the last frame
expect 0 "5 frames: median" --platform headless --size 320x180 --frames 5 --screenshot "$tmp/shot.png"
[ -s "$tmp/shot.png" ] || fail "--screenshot wrote nothing"

# frustum culling: looking at one booth skips most of the hall; the entrance
# view sees nearly all of it
culled() { metahall --platform headless --size 320x180 --frames 1 "$@" 2>&1 | sed -n 's/.* \([0-9][0-9]*\) chunks culled.*/\1/p'; }
c_entrance=$(culled --view entrance)
c_booth=$(culled --view booth:xiamen)
[ -n "$c_entrance" ] && [ -n "$c_booth" ] || fail "no culling figures in the frame report"
[ "$c_booth" -ge 10 ] || fail "booth view culled only $c_booth chunks"
[ "$c_booth" -gt "$c_entrance" ] || fail "booth view culled $c_booth chunks, entrance $c_entrance"
n=$((n + 1))

# no display and no KMS/DRM device: a clear message, not a crash (only where
# there is no /dev/dri, so a developer's console is never taken over)
if [ ! -e /dev/dri ]; then
    set +e
    out=$(env -u DISPLAY -u WAYLAND_DISPLAY "${EMU[@]}" "$MH_BIN" --platform desktop 2>&1)
    code=$?
    set -e
    [ "$code" = 1 ] || fail "desktop without a display: exit $code, expected 1: $out"
    case "$out" in *"no display"*"--platform headless"*) ;; *) fail "desktop without a display: unclear message: $out" ;; esac
    n=$((n + 1))
fi

echo "cli: $n checks passed"
