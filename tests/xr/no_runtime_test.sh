#!/usr/bin/env bash
# no_runtime_test.sh - `metahall --platform openxr` on a machine with no
# OpenXR runtime (the loader is pointed at a runtime manifest that does not
# exist, and at empty configuration folders): it must stop at once with a
# non-zero exit status and say in a sentence what is missing.
source "$(dirname "$0")/../lib.sh"

empty=$MH_OUT/xr-no-runtime
mkdir -p "$empty"
rc=0
out=$(env XR_RUNTIME_JSON="$empty/no-such-runtime.json" XDG_CONFIG_HOME="$empty" XDG_CONFIG_DIRS="$empty" \
      timeout 60 "${EMU[@]}" "$MH_BIN" --platform openxr --frames 3 2>&1) || rc=$?
echo "$out" | grep -v 'OpenXR-Loader'
[ "$rc" != 0 ] || fail "metahall --platform openxr exited 0 without a runtime"
[ "$rc" != 124 ] || fail "metahall --platform openxr hung without a runtime"
[ "$rc" = 1 ] || fail "exit status $rc, expected 1 (the kiosk could not run)"
echo "$out" | grep -q "metahall: no OpenXR runtime is installed (the OpenXR loader found no active runtime); install one such as Monado, or run with --platform desktop" ||
    fail "the message does not say that no OpenXR runtime is installed"
echo "xr_no_runtime: ok (exit $rc)"

# --platform auto: no headset, no display, (no KMS/DRM card in CI): it says
# why it passed over each one and runs headless (tests/platform_auto_test.sh
# checks the rest of auto)
rc=0
out=$(env -u DISPLAY -u WAYLAND_DISPLAY XR_RUNTIME_JSON="$empty/no-such-runtime.json" XDG_CONFIG_HOME="$empty" \
      XDG_CONFIG_DIRS="$empty" SDL_VIDEODRIVER=dummy timeout 60 "${EMU[@]}" "$MH_BIN" --platform auto --frames 3 \
      --size 320x180 2>&1) || rc=$?
echo "$out" | grep -v 'OpenXR-Loader'
echo "$out" | grep -q "auto: no headset (OpenXR): no OpenXR runtime is installed" ||
    fail "--platform auto does not say why it left the headset"
echo "$out" | grep -q "auto: headless" || fail "--platform auto with neither a headset nor a display is not headless"
[ "$rc" = 0 ] || fail "--platform auto with neither a headset nor a display: exit status $rc, expected 0 (headless)"
echo "xr_no_runtime: --platform auto passes over the headset, says why, and runs headless"
