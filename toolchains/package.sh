#!/usr/bin/env bash
# package.sh - builds metahall's Debian package with CPack's DEB generator:
#
#   toolchains/package.sh [--arch amd64|arm64] [--jobs N]
#       -> build/package/metahall_<version>_<arch>.deb
#
# A Release build with Debian's hardening flags (dpkg-buildflags) in
# build/package/<arch>/ (the arm64 one cross-built with
# toolchains/aarch64-linux-gnu.cmake and the :arm64 libraries of
# toolchains/setup.sh --test), installed in the package layout
# (toolchains/debian/package.cmake), stripped, and packed by cpack. Depends
# come from dpkg-shlibdeps on the binary. The default architecture is the
# machine's own. Check it with: lintian build/package/metahall_*.deb
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD

arch=$(dpkg --print-architecture)
jobs=$(nproc)
while [ $# -gt 0 ]; do
    case "$1" in
        --arch) arch=${2:?--arch needs amd64 or arm64}; shift 2 ;;
        --arch=*) arch=${1#--arch=}; shift ;;
        --jobs) jobs=${2:?--jobs needs a number}; shift 2 ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) echo "package.sh: unknown option '$1'" >&2; exit 2 ;;
    esac
done

toolchain=()
case "$arch" in
    amd64) [ "$(dpkg --print-architecture)" = amd64 ] || { echo "package.sh: amd64 builds only on amd64" >&2; exit 2; } ;;
    arm64)
        if [ "$(dpkg --print-architecture)" != arm64 ]; then
            command -v aarch64-linux-gnu-gcc >/dev/null && [ -f /usr/lib/aarch64-linux-gnu/pkgconfig/egl.pc ] || {
                echo "package.sh: the arm64 package needs the cross toolchain and :arm64 libraries" \
                     "(toolchains/setup.sh --test installs them)" >&2
                exit 1
            }
            toolchain=(-DCMAKE_TOOLCHAIN_FILE="$src/toolchains/aarch64-linux-gnu.cmake")
        fi ;;
    *) echo "package.sh: --arch must be amd64 or arm64, not '$arch'" >&2; exit 2 ;;
esac
for tool in cmake cpack dpkg-shlibdeps dpkg-buildflags file; do
    command -v "$tool" >/dev/null || { echo "package.sh: $tool is missing (apt install cmake dpkg-dev file)" >&2; exit 1; }
done

out=$src/build/package
build=$out/$arch
mkdir -p "$out"
start=$(date +%s)

# Debian's flags for this architecture: -O2 -g, stack protector, fortify,
# PIE, relro and now (DEB_BUILD_MAINT_OPTIONS=hardening=+all)
flags() { DEB_HOST_ARCH=$arch DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get "$1"; }
cflags="$(flags CPPFLAGS) $(flags CFLAGS)"
ldflags=$(flags LDFLAGS)

cmake -S "$src" -B "$build" "${toolchain[@]}" \
      -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr -DMH_PACKAGE=ON -DMH_DEB_ARCH="$arch" \
      -DMH_TESTS=OFF -DMH_SYSTEMD_UNITDIR=/lib/systemd/system \
      -DCMAKE_C_FLAGS="$cflags" -DCMAKE_EXE_LINKER_FLAGS="$ldflags" >"$build.configure.log" ||
    { cat "$build.configure.log"; echo "package.sh: configure failed" >&2; exit 1; }
cmake --build "$build" -j "$jobs"
built_s=$(( $(date +%s) - start ))

# dpkg-shlibdeps looks for the libraries of DEB_HOST_ARCH (the :arm64 ones
# in /usr/lib/aarch64-linux-gnu for a cross build)
rm -rf "$build/_CPack_Packages" "$build"/metahall_*.deb
(cd "$build" && DEB_HOST_ARCH=$arch cpack -G DEB >"$build.cpack.log") ||
    { cat "$build.cpack.log"; echo "package.sh: cpack failed" >&2; exit 1; }
deb=$(ls "$build"/metahall_*_"$arch".deb)
rm -f "$out"/metahall_*_"$arch".deb
mv "$deb" "$out/"
deb=$out/$(basename "$deb")
echo "package.sh: $deb ($(stat -c %s "$deb") bytes; build ${built_s} s, in all $(( $(date +%s) - start )) s)"
dpkg-deb --field "$deb" Depends | sed 's/^/  Depends: /'
