#!/usr/bin/env bash
# cross_aarch64.sh - cross-builds metahall for aarch64 (ARM kiosk boards)
# with toolchains/aarch64-linux-gnu.cmake and Debian's :arm64 packages, then
# runs the aarch64 unit tests and a headless golden render under
# qemu-aarch64-static (Mesa llvmpipe works there).
. "$(dirname "$0")/lib.sh"
command -v aarch64-linux-gnu-gcc >/dev/null || skip "no aarch64 cross compiler (toolchains/setup.sh --test installs it)"
command -v qemu-aarch64-static >/dev/null || skip "no qemu-aarch64-static (toolchains/setup.sh --test installs it)"
[ -f /usr/lib/aarch64-linux-gnu/pkgconfig/egl.pc ] || skip "no arm64 development packages (toolchains/setup.sh --test)"
build="$MH_OUT/aarch64-build"
cmake -S "$MH_SRC" -B "$build" -DCMAKE_TOOLCHAIN_FILE="$MH_SRC/toolchains/aarch64-linux-gnu.cmake" \
      -DCMAKE_BUILD_TYPE=Release -DMH_TEST_CROSS=OFF > "$MH_OUT/aarch64-configure.log" ||
    { cat "$MH_OUT/aarch64-configure.log"; fail "cross configure failed"; }
cmake --build "$build" -j "$(nproc)" || fail "cross build failed"
file -L "$build/metahall" | grep -q "ARM aarch64" || fail "$build/metahall is not an aarch64 binary: $(file -L "$build/metahall")"
# unit tests and one golden render, each run through the emulator; Wuhan's booth, whose view has no video
# screen in it (the arm64 packages here carry no GStreamer video plugins, so the hall's LED wall would show
# its broken-video sign where the host's golden shows its idle card)
ctest --test-dir "$build" -L unit --output-on-failure || fail "aarch64 unit tests failed under qemu"
ctest --test-dir "$build" -R golden_booth_wuhan --output-on-failure --timeout 600 ||
    fail "aarch64 headless render failed under qemu"
echo "aarch64: cross build, unit tests and headless render passed under qemu"
