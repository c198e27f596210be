#!/usr/bin/env bash
# media_timing.sh - frame time of the hall idle at the entrance against a
# booth with its panel open, its video playing (640x360 H.264 decoded by
# GStreamer) and its narration speaking, in one headless run on this
# machine's GL (llvmpipe here), so the figures compare. Not a test: a
# measurement (tests/bench/NOTES.md keeps the results).
#
# Phases, alternating so that the machine's other load falls on all alike:
# idle-hall (the entrance), panel (Chengdu's panel, no video), panel-video
# (Qiantang's panel, its video and narration), booth-video (Qiantang's spot
# with the panel closed and the video playing: the same view without the
# panel). Each line gives the wall clock's median and the process's CPU
# time per frame ("cpu median", llvmpipe's threads included): on a busy
# machine the CPU figure is the one to compare.
#
#   bash tests/bench/media_timing.sh [BUILD_DIR] [SIZE] [KIOSK OPTION...]
#   (e.g. --msaa 1 to time it without anti-aliasing)
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build/test}
size=${2:-1280x720}
shift $(($# > 2 ? 2 : $#))
bin="$build/metahall"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$src/assets/halls" "$src/assets/exhibits" "$tmp/"
q="$tmp/exhibits/qiantang"
# a booth screen's clip: 640x360 H.264 at 30 fps, 10 s (it loops)
gst-launch-1.0 -q videotestsrc num-buffers=300 pattern=ball ! video/x-raw,width=640,height=360,framerate=30/1 ! \
    x264enc ! mp4mux ! filesink location="$q/clip.mp4"
python3 - "$q/exhibit.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["videos"] = [{"file": "clip.mp4"}]
json.dump(d, open(sys.argv[1], "w"), ensure_ascii=False)
PY
# 1280x720, the minimap's legend (opened first, at (1144, 687)): Qiantang is 4 at (1086, 418), Chengdu (no
# video) 1 at (1086, 356);
# the phases alternate so that the machine's other load falls on both alike
cat > "$tmp/timing.txt" <<'EOF'
wait 120
timing warm-up
wait 240
timing idle-hall
tap 1144 687
tap 1086 356
wait 60
timing -
wait 240
timing panel
tap 1086 418
wait 60
expect panel qiantang
timing -
wait 240
timing panel-video
key back
wait 30
expect panel -
timing -
wait 240
timing booth-video
key home
wait 60
timing -
wait 240
timing idle-hall
tap 1086 418
wait 60
timing -
wait 240
timing panel-video
EOF
"$bin" --platform headless --size "$size" --hall "$tmp/halls/default" --script "$tmp/timing.txt" \
    --audio-out "$tmp/sound.wav" "$@" 2>&1 | grep -E "timing|gl\]"
