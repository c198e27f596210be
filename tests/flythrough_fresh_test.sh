#!/usr/bin/env bash
# flythrough_fresh_test.sh - the LED wall's video (assets/halls/default/
# flythrough.webm, a walk into the hall rendered by metahall itself) shows
# the hall as it is drawn today, not an earlier one. Until 2026-12-06 the
# committed video still showed the first hall (white ceiling stripes, the
# billboards in one arc) while the hall round the wall had been rebuilt.
#
# The flythrough's frames are drawn again by the same script that made the
# video (assets/generator/media.sh ... frames) and compared with the video's
# frames, decoded. VP8 at 100 kbit/s is lossy, so the bound is loose: the
# current video's frames differ from a fresh drawing by a mean of at most
# ~8 levels (5 % of pixels by more than 40), the old hall's by ~43 (38 %).
# A change that moves something small passes; a rebuilt or relit hall
# fails until the video is drawn again:
#   assets/generator/media.sh build/test/metahall assets flythrough
. "$(dirname "$0")/lib.sh"
command -v gst-launch-1.0 >/dev/null || skip "no gst-launch-1.0 (apt install gstreamer1.0-tools)"
for el in matroskademux vp8dec pngenc; do
    gst-inspect-1.0 "$el" >/dev/null 2>&1 || skip "no GStreamer element $el (gstreamer1.0-plugins-base/good)"
done
video="$MH_SRC/assets/halls/default/flythrough.webm"
[ -f "$video" ] || fail "$video is missing (assets/generator/media.sh makes it)"
tmp="$MH_OUT/flythrough_fresh"
rm -rf "$tmp" && mkdir -p "$tmp/fresh" "$tmp/video"
bash "$MH_SRC/assets/generator/media.sh" "$MH_BIN" "$MH_SRC/assets" frames "$tmp/fresh" >"$tmp/log" 2>&1 ||
    fail "media.sh frames failed: $(tail -5 "$tmp/log")"
gst-launch-1.0 -q filesrc location="$video" ! matroskademux ! vp8dec ! videoconvert ! \
    pngenc snapshot=false ! multifilesink location="$tmp/video/f%04d.png" >>"$tmp/log" 2>&1 ||
    fail "could not decode $video: $(tail -5 "$tmp/log")"
drawn=$(find "$tmp/fresh" -name 'f*.png' | wc -l)
decoded=$(find "$tmp/video" -name 'f*.png' | wc -l)
[ "$drawn" -eq 60 ] || fail "media.sh drew $drawn frames, expected 60 (see $tmp/log)"
[ "$decoded" -eq "$drawn" ] || fail "$video has $decoded frames, the flythrough draws $drawn: draw it again"
stale=""
for i in 0 6 12 18 24 30 36 42 48 54 59; do
    f=$(printf 'f%04d.png' "$i")
    imgcmp "$tmp/fresh/$f" "$tmp/video/$f" --max-bad 12 --max-mean 16 --diff "$tmp/diff_$f" >"$tmp/cmp_$f.txt" ||
        stale="$stale
  frame $i: $(cat "$tmp/cmp_$f.txt")"
done
[ -z "$stale" ] || fail "$video no longer shows the hall as it is drawn:$stale
  draw it again (assets/generator/media.sh build/test/metahall assets flythrough) and commit it"
echo "ok: the flythrough's 60 frames, 11 of them compared with a fresh drawing: $(cat "$tmp/cmp_f0030.png.txt")"
