#!/usr/bin/env bash
# desktop_xvfb.sh - the SDL desktop platform opens a real X11 window under
# Xvfb and draws the hall: a screenshot of the window (xwd, from the X server,
# not from our own read-back) matches the headless render of the same view,
# mono and as the side-by-side VR preview (--stereo).
. "$(dirname "$0")/lib.sh"
for tool in xvfb-run xwd xwininfo; do
    command -v "$tool" >/dev/null || skip "$tool not installed (apt-get install xvfb xauth x11-apps x11-utils)"
done
tmp="$MH_OUT/desktop"
rm -rf "$tmp" && mkdir -p "$tmp"
# both without MSAA: Xvfb visuals may offer none, and edges would then differ.
# Xvfb's pointer starts in the middle of its screen, which is the middle of
# the centred window: the headless kiosk gets the same pointer from a script.
printf 'point 320 180\nwait 2\nscreenshot headless.png\n' >"$tmp/pointer.txt"
# the default hall with its landmarks still: the window is read a second or
# more after its first frame, the headless render two frames in, and turning
# landmarks would have moved in between
cp -r "$MH_SRC/assets/halls" "$MH_SRC/assets/exhibits" "$tmp/"
python3 - "$tmp/halls/default/hall.json" <<'PY'
import json, sys
hall = json.load(open(sys.argv[1]))
hall["booth"]["turn"] = 0
json.dump(hall, open(sys.argv[1], "w"), ensure_ascii=False)
PY

cat > "$tmp/inside.sh" <<'INNER'
set -u
"$MH_BIN" --platform desktop --hall "$HALL" --view entrance --size 640x360 --msaa 1 --no-vsync "$@" > "$T/log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
    grep -q "first frame presented" "$T/log" && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.1
done
sleep 1   # let a few more frames through
xwininfo -name metahall > "$T/wininfo" 2>&1
xwd -name metahall -silent > "$T/window.xwd"
kill -TERM $pid
wait $pid
echo "exit $?" >> "$T/log"
INNER

# window_matches NAME [ARGS...]: the desktop window with ARGS shows what the
# headless kiosk with the same ARGS shows.
window_matches() {
    local name=$1 dir="$tmp/$1"
    shift
    mkdir -p "$dir"
    cp "$tmp/pointer.txt" "$dir/"
    (cd "$dir" && metahall --platform headless --hall "$tmp/halls/default" --view entrance --size 640x360 --msaa 1 -q \
        --script pointer.txt "$@")
    HALL="$tmp/halls/default" T="$dir" timeout 240 xvfb-run -a -s "-screen 0 1024x768x24 -nolisten tcp" bash "$tmp/inside.sh" "$@" || true
    cat "$dir/log"
    grep -q "video driver x11" "$dir/log" || fail "$name: the window did not open on X11"
    grep -q "first frame presented" "$dir/log" || fail "$name: no frame was presented"
    grep -q "Width: 640" "$dir/wininfo" && grep -q "Height: 360" "$dir/wininfo" ||
        fail "$name: window is not 640x360: $(cat "$dir/wininfo")"
    grep -q "^exit 0$" "$dir/log" || fail "$name: metahall did not shut down cleanly on SIGTERM"
    [ -s "$dir/window.xwd" ] || fail "$name: xwd captured nothing"
    imgcmp "$dir/headless.png" "$dir/window.xwd" --diff "$dir/diff.png" --max-bad 0.1 --max-mean 0.5 "${led[@]}" ||
        fail "$name: the window does not show what the headless render shows; see $dir"
    echo "$name: the desktop window matches the headless render"
}
# the LED wall behind the stage plays on its own clock (its light sweep and
# video follow the time each run took): left out of the comparison
led=(--moving 264,120,112,78)
window_matches mono
# the VR preview: both eyes side by side in the window
led=(--moving 100,120,120,76 --moving 420,120,120,76)
window_matches stereo --stereo
