#!/usr/bin/env bash
# media_test.sh - exhibits' sound, photos and videos on the headless kiosk,
# with media the test makes itself (GStreamer's test sources and Debian's
# encoders; nothing big is committed):
#   - narration: two tones (Opus for English, Vorbis at 44.1 kHz for
#     Chinese) play when the panel opens, read back from --audio-out by
#     sample at the expected times; the captions change piece at the cue;
#     the hall's music (Vorbis) plays before, is ducked under the narration
#     and comes back after it;
#   - photos: a PNG and a JPEG (1600x900, downscaled at load) in the panel's
#     gallery and the first on the booth's back wall (its colour bars are in
#     the screenshots); a broken PNG shows a placeholder and a located log line;
#   - video: an H.264 MP4 and a VP8 WebM made by videotestsrc play on their
#     booths' screens (pixels change over time there, nowhere else); a
#     broken file shows a still placeholder and a located log line.
. "$(dirname "$0")/lib.sh"
command -v gst-launch-1.0 >/dev/null || skip "no gst-launch-1.0 (apt install gstreamer1.0-tools)"
for el in videotestsrc x264enc vp8enc opusenc vorbisenc pngenc jpegenc avdec_h264 vp8dec wavparse; do
    gst-inspect-1.0 "$el" >/dev/null 2>&1 || skip "no GStreamer element $el (gstreamer1.0-plugins-base/good/ugly, gstreamer1.0-libav)"
done
py() { python3 "$MH_SRC/tests/media_test.py" "$@"; }
tmp="$MH_OUT/media"
rm -rf "$tmp" && mkdir -p "$tmp"
cp -r "$MH_SRC/assets/halls" "$MH_SRC/assets/exhibits" "$tmp/"
q="$tmp/exhibits/qiantang" t="$tmp/exhibits/tongzhou" x="$tmp/exhibits/xiamen"
gst() { gst-launch-1.0 -q "$@" || fail "gst-launch-1.0 $*"; }

# sound: narration tones 1 s each, music a long 220 Hz tone
py tones "$tmp/en.wav" 440:1.0 880:1.0
py tones "$tmp/zh.wav" 330:1.0 660:1.0
py tones "$tmp/music.wav" 220:12
gst filesrc location="$tmp/en.wav" ! wavparse ! audioconvert ! audioresample ! opusenc bitrate=64000 ! oggmux ! filesink location="$q/narration_en.opus"
gst filesrc location="$tmp/zh.wav" ! wavparse ! audioconvert ! audioresample ! audio/x-raw,rate=44100 ! vorbisenc ! oggmux ! filesink location="$q/narration_zh.ogg"
gst filesrc location="$tmp/music.wav" ! wavparse ! audioconvert ! audioresample ! vorbisenc ! oggmux ! filesink location="$tmp/halls/default/music.ogg"
# photos (1600x900 colour bars, a JPEG pinwheel) and a broken one
gst videotestsrc num-buffers=1 ! video/x-raw,width=1600,height=900 ! videoconvert ! pngenc ! filesink location="$q/bars.png"
gst videotestsrc num-buffers=1 pattern=pinwheel ! video/x-raw,width=800,height=600 ! videoconvert ! jpegenc ! filesink location="$q/wheel.jpg"
head -c 300 "$q/bars.png" > "$q/broken.png"
# videos: H.264 in MP4, VP8 in WebM (a moving ball), a broken one
gst videotestsrc num-buffers=60 pattern=ball ! video/x-raw,width=640,height=360,framerate=30/1 ! x264enc ! mp4mux ! filesink location="$q/clip.mp4"
gst videotestsrc num-buffers=60 pattern=ball ! video/x-raw,width=320,height=180,framerate=30/1 ! vp8enc ! webmmux ! filesink location="$t/clip.webm"
head -c 4000 "$q/clip.mp4" > "$x/clip.mp4"
python3 - "$tmp" <<'PY'
import json, sys
root = sys.argv[1]
def edit(path, **keys):
    d = json.load(open(path))
    d.update(keys)
    json.dump(d, open(path, "w"), ensure_ascii=False)
edit(root + "/exhibits/qiantang/exhibit.json",
     narration_en="First a low tone plays. Then a high tone follows.", narration_audio_en="narration_en.opus",
     narration_cues_en=[0, 1.0], narration_zh="先是低音。然后是高音。", narration_audio_zh="narration_zh.ogg",
     narration_cues_zh=[0, 1.0],
     images=[{"file": "bars.png", "caption_zh": "彩条", "caption_en": "Colour bars"}, "wheel.jpg", "broken.png"],
     videos=[{"file": "clip.mp4"}])
edit(root + "/exhibits/tongzhou/exhibit.json", videos=[{"file": "clip.webm"}])
edit(root + "/exhibits/xiamen/exhibit.json", videos=[{"file": "clip.mp4"}])
edit(root + "/halls/default/hall.json", music="music.ogg", music_volume=0.5)
hall = json.load(open(root + "/halls/default/hall.json"))
hall["booth"]["turn"] = 0  # landmarks still: only the video screen may change between two frames
json.dump(hall, open(root + "/halls/default/hall.json", "w"), ensure_ascii=False)
PY
out=$(metahall validate "$tmp/halls/default" 2>&1) || true
case "$out" in *"broken.png"*"corrupt PNG"*) ;; *) fail "validate does not name the broken photo: $out" ;; esac

# the visit (640x360, English): open Qiantang's panel; its narration and captions;
# Chinese; the gallery; the booth; Tongzhou's video; Xiamen's broken video
cat > "$tmp/visit.txt" <<'EOF'
wait 59
tap 538 292                    # "Show legend" under the minimap's plan
tap 478 92                     # Qiantang in the minimap's legend: the panel opens at frame 75
wait 37
expect panel qiantang
expect caption_part 1          # 0.4 s into the narration
wait 45
expect caption_part 2          # 1.15 s in: the second sentence's cue was at 1.0 s
wait 75
expect caption_part -          # 2.4 s in: over
key lang                       # frame 219: the narration again, in Chinese (Vorbis)
wait 150
expect caption_part -          # 2.5 s in: over (a resampled Vorbis ends a frame short of its length)
key view_next
key view_next
wait 20
expect view_name photo
screenshot photo_bars.png
key view_next
wait 20
screenshot photo_wheel.png
key view_next
wait 20
expect view 5
screenshot photo_broken.png
key back
wait 30
screenshot booth_qiantang.png
tap 568 92                     # Tongzhou
wait 60
key back
wait 30
look -0.4189 0                 # turn 24 degrees right, from the reading view to face the booth
wait 5
screenshot video1.png
wait 20
screenshot video2.png
tap 568 77                     # Xiamen, whose video is broken
wait 60
expect panel xiamen
EOF
cd "$tmp"
metahall --platform headless --size 640x360 --lang en --hall "$tmp/halls/default" --script "$tmp/visit.txt" \
    --audio-out "$tmp/sound.wav" >"$tmp/log.txt" 2>&1 || { cat "$tmp/log.txt"; fail "the visit's checks failed"; }
grep -q "qiantang/broken.png.*corrupt PNG.*(showing a placeholder)" "$tmp/log.txt" || fail "no located line for the broken photo"
grep -q "xiamen/clip.mp4: .*(showing a still placeholder)" "$tmp/log.txt" || fail "no located line for the broken video"

# the sound, by sample: music, the English narration (Opus), music, the Chinese one (Vorbis)
# (the narration starts at 74/60 s; music at 0.5 x 0.5 volume x 0.8 master = 0.2, a quarter of it under the narration)
py sound "$tmp/sound.wav" \
    0.2:1.1:220 0.2:1.1:220:0.17:0.23 \
    1.3:2.1:440 2.3:3.1:880 \
    1.4:3.1:220:0.035:0.065 \
    3.4:3.6:220:0.17:0.23 \
    3.7:4.5:330 4.7:5.5:660 || fail "the sound is not what was expected at those times"

# photos: the gallery's PNG and JPEG, the booth's back wall
py colours photo_bars.png 195 168 350 258 5 || fail "the gallery's first photo is not shown"
py colours booth_qiantang.png 0 0 440 360 5 || fail "the booth's back wall has no photo"
py colours photo_broken.png 195 168 350 258 5 && fail "the broken photo shows colour bars"
# video: pixels change on Tongzhou's screen, nowhere else
py changed video1.png video2.png 320 110 410 180 || fail "the video screen does not play"
echo "media: narration by sample with captions in step, music ducked, photos, videos and placeholders as expected"
