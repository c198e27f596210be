# shellcheck shell=bash
# xr_root.sh - helpers for tests/xr/monado_test.sh (sourced, not run): a
# Debian 13 (trixie) root holding Monado, the OpenXR loader and metahall's
# build dependencies, cached between runs; mounting and unmounting what a
# chroot needs; copying the source tree in.
#
# Monado is packaged for Debian 13; binaries built on Debian 12 cannot load
# its runtime library, so metahall is built inside the root as well.

# What the root holds. Changing this list rebuilds the root on the next run.
XR_ROOT_PACKAGES=(
    monado-service libopenxr1-monado libopenxr-loader1 libopenxr-dev libopenxr-utils
    mesa-vulkan-drivers libegl1 libgles2 libegl-mesa0 libgl1-mesa-dri libegl-dev libgles-dev
    gcc g++ libc6-dev make cmake pkg-config
    libpng-dev libjpeg-dev libcjson-dev libfreetype-dev libmosquitto-dev libsystemd-dev fonts-wqy-microhei
    libmeshoptimizer-dev libdraco-dev libmicrohttpd-dev libqrencode-dev
    libgstreamer1.0-dev libopusfile-dev libvorbis-dev
)
# (GStreamer's plugins are left out: the headset test plays no video, and with
# them debootstrap pulls in hundreds of packages and fails configuring dconf.)
XR_SUITE=trixie
XR_MIRROR=${MH_DEBIAN_MIRROR:-http://deb.debian.org/debian}

# xr_mounts_under DIR: prints the mount points at or below DIR, deepest first.
xr_mounts_under() {
    local dir
    dir=$(realpath -m "$1")
    awk -v d="$dir" '$2 == d || index($2, d "/") == 1 {print $2}' /proc/self/mounts | sort -r
}

# xr_remove_root DIR: deletes a root, never following a mount out of it.
xr_remove_root() {
    local dir=$1
    [ -e "$dir" ] || return 0
    if [ -n "$(xr_mounts_under "$dir")" ]; then
        echo "xr_root: $dir still has mounts under it; not removing it" >&2
        return 1
    fi
    rm -rf --one-file-system "$dir"
}

# xr_root_ensure ROOT: reuses ROOT when its stamp lists the same packages,
# else builds it afresh with debootstrap (into ROOT.new, then renamed, so a
# failed run leaves no half-made root behind). Sets XR_ROOT_BUILT_S.
xr_root_ensure() {
    local root=$1 stamp="$1/.metahall-xr-stamp" want
    want="$XR_SUITE ${XR_ROOT_PACKAGES[*]}"
    XR_ROOT_BUILT_S=""
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        echo "xr_root: reusing $root"
        return 0
    fi
    echo "xr_root: building a Debian $XR_SUITE root in $root (debootstrap from $XR_MIRROR)"
    xr_remove_root "$root" && xr_remove_root "$root.new" || return 1
    mkdir -p "$(dirname "$root")"
    local start list
    start=$(date +%s)
    list=$(IFS=,; echo "${XR_ROOT_PACKAGES[*]}")
    if ! debootstrap --variant=minbase --include="$list" "$XR_SUITE" "$root.new" "$XR_MIRROR" \
        >"$root.debootstrap.log" 2>&1; then
        echo "xr_root: debootstrap failed; the end of $root.debootstrap.log:" >&2
        tail -n 30 "$root.debootstrap.log" >&2
        return 1
    fi
    rm -rf --one-file-system "$root.new/var/cache/apt/archives/"*.deb
    xr_root_fixups "$root.new"
    echo "$want" >"$root.new/.metahall-xr-stamp"
    mv "$root.new" "$root"
    XR_ROOT_BUILT_S=$(( $(date +%s) - start ))
    echo "xr_root: debootstrap took ${XR_ROOT_BUILT_S} s"
}

# xr_root_fixups ROOT: Debian 13's draco.pc (1.5.6) names relative paths
# (-Iinclude, -Llib/...), which CMake's pkg_check_modules refuses: make them
# absolute, as Debian 12's is.
xr_root_fixups() {
    local pc
    for pc in "$1"/usr/lib/*/pkgconfig/draco.pc; do
        [ -f "$pc" ] && sed -i -e 's|-Iinclude|-I/usr/include|' -e 's|-Llib/|-L/usr/lib/|' "$pc"
    done
    return 0
}

# xr_mount ROOT: /proc, /sys, /dev (bound from the host) and a private
# /dev/shm for Monado's shared memory.
xr_mount() {
    local root=$1
    mount -t proc proc "$root/proc"
    mount -t sysfs sysfs "$root/sys"
    mount --bind /dev "$root/dev"
    mount -t tmpfs -o mode=1777 shm "$root/dev/shm"
}

# xr_unmount ROOT: undoes xr_mount (whatever part of it happened); lazily
# when something still holds a mount. Fails when a mount stays.
xr_unmount() {
    local root=$1 m
    for m in $(xr_mounts_under "$root"); do
        umount "$m" 2>/dev/null || umount -l "$m" || true
    done
    [ -z "$(xr_mounts_under "$root")" ]
}

# xr_copy_source SRC ROOT: the parts of the tree a build needs, into ROOT/src
# (timestamps kept, so the build in ROOT/build stays incremental).
xr_copy_source() {
    local src=$1 root=$2
    rm -rf --one-file-system "$root/src"
    mkdir -p "$root/src"
    tar -C "$src" -cf - CMakeLists.txt engine platform shaders assets | tar -C "$root/src" -xf -
}
