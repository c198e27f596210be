# shellcheck shell=bash
# rootfs.sh - helpers for toolchains/kiosk-image.sh and the deploy tests
# (sourced, not run): Debian 12 roots made with debootstrap and cached under
# the build folder, and the mounts a chroot needs.
#
# A cached root is rebuilt when its stamp (suite, architecture, package list)
# changes. debootstrap keeps what it downloads in DEPLOY_DEB_CACHE (default:
# debs/ beside the root), so a rebuilt root needs no second download.

DEPLOY_SUITE=bookworm
DEPLOY_MIRROR=${MH_DEBIAN_MIRROR:-http://deb.debian.org/debian}

# deploy_mounts_under DIR: the mount points at or below DIR, deepest first.
deploy_mounts_under() {
    local dir
    dir=$(realpath -m "$1")
    awk -v d="$dir" '$2 == d || index($2, d "/") == 1 {print $2}' /proc/self/mounts | sort -r
}

# deploy_remove_root DIR: deletes a root, never following a mount out of it.
deploy_remove_root() {
    local dir=$1
    [ -e "$dir" ] || return 0
    if [ -n "$(deploy_mounts_under "$dir")" ]; then
        echo "deploy: $dir still has mounts under it; not removing it" >&2
        return 1
    fi
    rm -rf --one-file-system "$dir"
}

# deploy_foreign_ready ARCH: 0 when this machine can run ARCH's programs in
# a chroot (its own architecture, or qemu-user through binfmt_misc with the
# F flag). Registers qemu-aarch64 from qemu-user-static's binfmt.d file when
# binfmt_misc is there but empty (containers without systemd-binfmt).
deploy_foreign_ready() {
    local arch=$1 bf=/proc/sys/fs/binfmt_misc
    [ "$arch" = "$(dpkg --print-architecture)" ] && return 0
    [ "$arch" = arm64 ] || return 1
    if [ ! -e "$bf/status" ]; then
        mount -t binfmt_misc binfmt_misc "$bf" 2>/dev/null || return 1
    fi
    if [ ! -e "$bf/qemu-aarch64" ] && [ -f /usr/lib/binfmt.d/qemu-aarch64.conf ]; then
        if [ -x /lib/systemd/systemd-binfmt ]; then
            /lib/systemd/systemd-binfmt /usr/lib/binfmt.d/qemu-aarch64.conf || return 1
        else
            cat /usr/lib/binfmt.d/qemu-aarch64.conf >"$bf/register" || return 1
        fi
    fi
    grep -qx enabled "$bf/qemu-aarch64" 2>/dev/null && grep -q '^flags:.*F' "$bf/qemu-aarch64"
}

# deploy_stamp_lines: copies its input, each line after the time of day
deploy_stamp_lines() {
    local line
    while IFS= read -r line; do printf '%(%T)T %s\n' -1 "$line"; done
}

# deploy_repack_one DEB: rewrites DEB with its control and data members as
# plain tar (decompressed by the machine's own dpkg-deb). dpkg run through
# qemu-user then copies files instead of decompressing xz in emulation, which
# is most of an emulated unpack (libllvm15: 36 s -> 6 s).
deploy_repack_one() {
    local deb=$1 tmp rc=0
    tmp=$(mktemp -d "$deb.XXXXXX") || return 1
    printf '2.0\n' >"$tmp/debian-binary"
    dpkg-deb --ctrl-tarfile "$deb" >"$tmp/control.tar" &&
        dpkg-deb --fsys-tarfile "$deb" >"$tmp/data.tar" &&
        (cd "$tmp" && ar qcD new.deb debian-binary control.tar data.tar) &&
        mv "$tmp/new.deb" "$deb" || rc=1
    rm -rf "$tmp"
    return $rc
}

# deploy_debootstrap DIR ARCH CACHE LIST: debootstrap into DIR. For another
# architecture, or with DEPLOY_HOOK set, in two stages: the first (download,
# checks, extracting the essentials) natively; then the packages are
# repacked uncompressed (deploy_repack_one, both cores), DEPLOY_HOOK is
# called, and the second stage installs them inside DIR, through qemu-user
# for another architecture.
deploy_debootstrap() {
    local dir=$1 arch=$2 cache=$3 list=$4 foreign=""
    [ "$arch" != "$(dpkg --print-architecture)" ] && foreign=1
    [ -n "${DEPLOY_HOOK:-}" ] && foreign=1
    debootstrap --arch="$arch" --variant=minbase --cache-dir="$cache" ${list:+--include="$list"} \
        ${foreign:+--foreign} "$DEPLOY_SUITE" "$dir" "$DEPLOY_MIRROR" || return 1
    [ -n "$foreign" ] || return 0
    local t=$SECONDS
    export -f deploy_repack_one
    find "$dir/var/cache/apt/archives" -name '*.deb' -print0 |
        xargs -0 -r -n 4 -P "$(nproc)" bash -c 'for d; do deploy_repack_one "$d" || exit 255; done' _ || return 1
    echo "I: repacked the packages uncompressed in $(( SECONDS - t )) s"
    if [ -n "${DEPLOY_HOOK:-}" ]; then
        "$DEPLOY_HOOK" "$dir" || return 1
    fi
    chroot "$dir" /debootstrap/debootstrap --second-stage
}

# deploy_root_ensure ROOT ARCH PACKAGE...: reuses ROOT when its stamp lists
# the same suite, architecture, packages and hook, else makes it afresh with
# debootstrap --variant=minbase (into ROOT.new, then renamed: a failed run
# leaves no half-made root). With DEPLOY_HOOK set to a function name, it is
# called with the new root's path after debootstrap's first stage, before
# any package is installed (to place configuration the packages' scripts
# read, e.g. initramfs-tools'). Sets DEPLOY_ROOT_BUILT_S (empty when reused).
deploy_root_ensure() {
    local root=$1 arch=$2 stamp="$1/.metahall-deploy-stamp" want list start cache
    shift 2
    want="$DEPLOY_SUITE $arch $*"
    [ -z "${DEPLOY_HOOK:-}" ] || want="$want hook $(declare -f "$DEPLOY_HOOK" | md5sum | cut -c1-12)"
    DEPLOY_ROOT_BUILT_S=""
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        echo "deploy: reusing the Debian $DEPLOY_SUITE $arch root $root"
        return 0
    fi
    echo "deploy: making a Debian $DEPLOY_SUITE $arch root in $root (debootstrap from $DEPLOY_MIRROR)"
    deploy_remove_root "$root" && deploy_remove_root "$root.new" || return 1
    cache=$(realpath -m "${DEPLOY_DEB_CACHE:-$(dirname "$root")/debs}")
    mkdir -p "$(dirname "$root")" "$cache"
    start=$(date +%s)
    list=$(IFS=,; echo "$*")
    if ! deploy_debootstrap "$root.new" "$arch" "$cache" "$list" 2>&1 | deploy_stamp_lines >"$root.debootstrap.log" ||
       [ "${PIPESTATUS[0]}" != 0 ]; then
        echo "deploy: debootstrap failed; the end of $root.debootstrap.log:" >&2
        tail -n 30 "$root.debootstrap.log" >&2
        return 1
    fi
    rm -f "$root.new/var/cache/apt/archives/"*.deb
    echo "$want" >"$root.new/.metahall-deploy-stamp"
    mv "$root.new" "$root"
    DEPLOY_ROOT_BUILT_S=$(( $(date +%s) - start ))
    echo "deploy: debootstrap ($arch) took ${DEPLOY_ROOT_BUILT_S} s"
}

# deploy_mount ROOT: /proc, /sys, /dev and /dev/pts (bound from the host)
# for a chroot.
deploy_mount() {
    local root=$1
    mount -t proc proc "$root/proc"
    mount -t sysfs sysfs "$root/sys"
    mount --bind /dev "$root/dev"
    mount --bind /dev/pts "$root/dev/pts"
}

# deploy_unmount ROOT: undoes deploy_mount and any other mount under ROOT
# (lazily when something still holds one). Fails when a mount stays.
deploy_unmount() {
    local root=$1 m
    for m in $(deploy_mounts_under "$root"); do
        umount "$m" 2>/dev/null || umount -l "$m" || true
    done
    [ -z "$(deploy_mounts_under "$root")" ]
}
