#!/usr/bin/env bash
# setup.sh - installs the Debian 12 packages metahall needs. Idempotent: when
# everything is present it prints nothing and changes nothing.
#
#   toolchains/setup.sh           build + run the kiosk
#   toolchains/setup.sh --test    also what the test suite needs (Xvfb, glslang,
#                                 xwd, clang + libFuzzer, clang-format, node + npm, the arm64 cross
#                                 toolchain + qemu, debootstrap for the Monado test,
#                                 chromium + gltfpack for the reference comparison,
#                                 GStreamer's tools and encoders for the media test, zbarimg,
#                                 espeak-ng + opus-tools for the generated narration, and for
#                                 the deploy tests dpkg-dev + lintian (the package),
#                                 qemu-system-arm + fdisk (the kiosk image))
set -euo pipefail

run_deps=(cmake make gcc pkg-config
          libsdl2-dev libegl-dev libgles-dev libegl-mesa0 libgl1-mesa-dri libgbm1
          libpng-dev libjpeg-dev libcjson-dev libfreetype-dev fonts-wqy-microhei
          libmosquitto-dev libsystemd-dev libopenxr-dev libopenxr-loader1
          g++ libmeshoptimizer-dev libdraco-dev libmicrohttpd-dev libqrencode-dev
          libgstreamer1.0-dev gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-libav
          libopusfile-dev libvorbis-dev)
test_deps=(glslang-tools xvfb xauth x11-apps x11-utils file clang libclang-rt-14-dev
           python3 mosquitto mosquitto-clients debootstrap clang-format chromium gltfpack draco zbar-tools
           gstreamer1.0-tools gstreamer1.0-plugins-ugly espeak-ng opus-tools
           dpkg-dev lintian qemu-system-arm fdisk e2fsprogs fonts-dejavu-core)
arm64_deps=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static
            libc6:arm64 libegl-dev:arm64 libgles-dev:arm64 libegl-mesa0:arm64 libgl1-mesa-dri:arm64
            libpng-dev:arm64 libjpeg-dev:arm64 libcjson-dev:arm64 libfreetype-dev:arm64 libsdl2-dev:arm64
            libmosquitto-dev:arm64 libsystemd-dev:arm64 libopenxr-dev:arm64
            g++-aarch64-linux-gnu libmeshoptimizer-dev:arm64 libdraco-dev:arm64 libmicrohttpd-dev:arm64
            libqrencode-dev:arm64 libgstreamer1.0-dev:arm64 libopusfile-dev:arm64 libvorbis-dev:arm64)

want_test=0
for arg in "$@"; do
    case "$arg" in
        --test) want_test=1 ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) echo "setup.sh: unknown option '$arg'" >&2; exit 2 ;;
    esac
done

sudo_cmd=()
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "setup.sh: run as root or install sudo" >&2; exit 1; }
    sudo_cmd=(sudo)
fi
apt_env=(env DEBIAN_FRONTEND=noninteractive)

# missing PKG...: prints the packages that are not installed
missing() {
    local p
    for p in "$@"; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || echo "$p"
    done
}

pkgs=("${run_deps[@]}")
[ "$want_test" = 1 ] && pkgs+=("${test_deps[@]}")
# node + npm run the Khronos glTF-Validator; use the machine's own if it has one
if [ "$want_test" = 1 ] && ! { command -v node && command -v npm; } >/dev/null; then
    pkgs+=(nodejs npm)
fi
need=$(missing "${pkgs[@]}")
need_arm64=""
if [ "$want_test" = 1 ]; then
    need_arm64=$(missing "${arm64_deps[@]}")
fi
[ -z "$need" ] && [ -z "$need_arm64" ] && exit 0

if [ -n "$need_arm64" ] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
    echo "setup.sh: adding the arm64 architecture for the aarch64 cross build"
    "${sudo_cmd[@]}" dpkg --add-architecture arm64
fi
echo "setup.sh: installing $(echo $need $need_arm64 | wc -w) packages"
"${sudo_cmd[@]}" "${apt_env[@]}" apt-get update -qq
if [ -n "$need_arm64" ]; then
    # amd64 and arm64 copies of a multiarch library must be the same version
    "${sudo_cmd[@]}" "${apt_env[@]}" apt-get upgrade -y -qq
fi
# shellcheck disable=SC2086
"${sudo_cmd[@]}" "${apt_env[@]}" apt-get install -y -qq --no-install-recommends $need $need_arm64
left=$(missing "${pkgs[@]}")
[ "$want_test" = 1 ] && left="$left $(missing "${arm64_deps[@]}")"
if [ -n "${left// /}" ]; then
    echo "setup.sh: still missing after install: $left" >&2
    exit 1
fi
echo "setup.sh: done"
