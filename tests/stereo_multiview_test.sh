#!/usr/bin/env bash
# stereo_multiview_test.sh - both eyes in one pass (--multiview,
# GL_OVR_multiview2) draw what a pass per eye draws: `render --stereo
# --multiview` against `render --stereo`, and the kiosk loop's frame with its
# interface (the ui shader's multiview variant) against the same without it,
# within rasteriser rounding. Where the driver lacks the extension (llvmpipe
# before Mesa 23, so Debian 12's 22.3.6) the fallback is what is checked: the
# warning, a pass per eye with the very same image, and bench --multiview
# refusing to measure a pass per eye as one pass. The one-pass comparison
# then runs in tests/xr/monado_test.sh (Debian 13's llvmpipe has it).
. "$(dirname "$0")/lib.sh"
tmp="$MH_OUT/stereo_multiview"
rm -rf "$tmp" && mkdir -p "$tmp"
# (a booth from which the hall's LED wall, playing its video on its own clock, is out of view)
view=(--view booth:wuhan --size 640x240)
rc=0
metahall render --multiview "${view[@]}" --out "$tmp/mono.png" >"$tmp/usage.log" 2>&1 || rc=$?
[ "$rc" = 2 ] && grep -q -- '--multiview goes with --stereo' "$tmp/usage.log" ||
    { cat "$tmp/usage.log"; fail "render --multiview without --stereo: exit $rc, not the usage error"; }
metahall render --stereo "${view[@]}" --out "$tmp/two_passes.png" -q || fail "render --stereo failed"
metahall render --stereo --multiview "${view[@]}" --out "$tmp/multiview.png" -v >"$tmp/render.log" 2>&1 ||
    { cat "$tmp/render.log"; fail "render --stereo --multiview failed"; }
metahall --platform headless --stereo "${view[@]}" --frames 3 --screenshot "$tmp/kiosk_two_passes.png" -q ||
    fail "the headless kiosk with --stereo failed"
metahall --platform headless --stereo --multiview "${view[@]}" --frames 3 --screenshot "$tmp/kiosk_multiview.png" \
    -v >"$tmp/kiosk.log" 2>&1 || { tail -n 20 "$tmp/kiosk.log"; fail "the headless kiosk with --multiview failed"; }
if grep -q 'both eyes in one pass (GL_OVR_multiview2)' "$tmp/render.log"; then
    grep -q 'both eyes in one pass (GL_OVR_multiview2)' "$tmp/kiosk.log" || fail "the kiosk did not draw in one pass"
    # a few edge pixels may round differently; a wrong eye, camera or layer is far off
    same=(--threshold 8 --max-bad 0.1 --max-mean 0.3)
    imgcmp "$tmp/two_passes.png" "$tmp/multiview.png" "${same[@]}" --diff "$tmp/render.diff.png" ||
        fail "render: one pass differs from a pass per eye; see $tmp"
    imgcmp "$tmp/kiosk_two_passes.png" "$tmp/kiosk_multiview.png" "${same[@]}" --diff "$tmp/kiosk.diff.png" ||
        fail "kiosk (with its interface): one pass differs from a pass per eye; see $tmp"
    echo "both eyes in one pass draw what a pass per eye draws (render and the kiosk with its interface)"
    exit 0
fi
gl=$(sed -n 's/.*\[gl\] info: \(.*\), offscreen.*/\1/p' "$tmp/render.log" | head -n 1)
grep -q 'no GL_OVR_multiview2: each eye is drawn in a pass of its own' "$tmp/render.log" ||
    { cat "$tmp/render.log"; fail "without GL_OVR_multiview2, render --multiview does not say it draws a pass per eye"; }
grep -q 'no GL_OVR_multiview2' "$tmp/kiosk.log" || fail "without GL_OVR_multiview2 the kiosk does not say so"
imgcmp "$tmp/two_passes.png" "$tmp/multiview.png" --threshold 0 --max-bad 0 --max-mean 0 ||
    fail "render: the fallback (a pass per eye) differs from render --stereo; see $tmp"
imgcmp "$tmp/kiosk_two_passes.png" "$tmp/kiosk_multiview.png" --threshold 0 --max-bad 0 --max-mean 0 ||
    fail "kiosk: the fallback (a pass per eye) differs from --stereo; see $tmp"
if metahall bench --multiview --size 64x64 --frames 1 --warmup 0 >"$tmp/bench.log" 2>&1; then
    fail "bench --multiview measured without GL_OVR_multiview2"
fi
grep -q 'cannot draw both eyes in one pass (no GL_OVR_multiview2)' "$tmp/bench.log" ||
    { cat "$tmp/bench.log"; fail "bench --multiview without GL_OVR_multiview2: no clear error"; }
echo "no GL_OVR_multiview2 on ${gl:-this driver}: the fallback checked (a pass per eye, the same image;" \
    "bench refuses); one pass is compared where the driver has it (tests/xr/monado_test.sh)"
