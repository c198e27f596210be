#!/usr/bin/env bash
# kiosk-image.sh - a bootable Debian 12 arm64 disk image that is a metahall
# kiosk: it boots straight into the hall on the screen (KMS/DRM, no desktop),
# with no text console, no login prompt and no network needed.
#
#   toolchains/kiosk-image.sh [--deb FILE] [--config FILE] [--out DIR] [--free-mb N] [--base-only]
#
# writes into DIR (default build/kiosk):
#   metahall-kiosk-arm64.img   the disk: an MBR with one ext4 partition (label
#                              metahall-root) holding the whole system
#   vmlinuz, initrd.img        the kernel and initramfs, copied out of the image's
#   cmdline.txt                /boot, and the kernel command line it wants
#                              (for boards or qemu that load the kernel themselves)
#
# --deb: the arm64 package (default: toolchains/package.sh --arch arm64 makes it);
# --config: the kiosk's metahall.conf (default: the package's, fullscreen);
# --free-mb: room left on the root file system (default 256);
# --base-only: make (or check) the cached base root and its initramfs, the
# emulated part, and stop there (CI makes it beside other tests; the image
# made later reuses it).
#
# How: debootstrap (minbase, arm64, run through qemu-user-static and
# binfmt_misc) makes a root with the kernel (linux-image-arm64), systemd and
# metahall's dependencies, cached in DIR/base-arm64; a copy gets the package,
# the configuration and the kiosk settings; mke2fs -d turns the copy into the
# file system (no loop device, no mount). Needs root and, to make the base
# root, Debian's mirror. Boot it in qemu as tests/deploy/kiosk_boot_test.sh
# does, or see README "Kiosk image".
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
source toolchains/debian/rootfs.sh

out=$src/build/kiosk
deb=""
config=""
free_mb=256
base_only=0
while [ $# -gt 0 ]; do
    case "$1" in
        --deb) deb=$(realpath "${2:?--deb needs a file}"); shift 2 ;;
        --config) config=$(realpath "${2:?--config needs a file}"); shift 2 ;;
        --out) out=$(realpath -m "${2:?--out needs a folder}"); shift 2 ;;
        --free-mb) free_mb=${2:?--free-mb needs a number}; shift 2 ;;
        --base-only) base_only=1; shift ;;
        -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
        *) echo "kiosk-image.sh: unknown option '$1'" >&2; exit 2 ;;
    esac
done

say() { echo "kiosk-image.sh: $*"; }
# stage NAME: says which stage starts (a boot test that runs out of time names it)
stage() { echo "kiosk-image.sh: stage: $* (at $(( $(date +%s) - start )) s)"; }
die() { echo "kiosk-image.sh: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot, files owned by other users)"
for tool in debootstrap mke2fs sfdisk dpkg-deb; do
    command -v "$tool" >/dev/null || die "$tool is missing (toolchains/setup.sh --test installs it)"
done
deploy_foreign_ready arm64 ||
    die "cannot run arm64 programs in a chroot: install qemu-user-static and let binfmt_misc register it" \
        "(/proc/sys/fs/binfmt_misc/qemu-aarch64 with flags F)"

start=$(date +%s)
mkdir -p "$out"
if [ -z "$deb" ]; then
    toolchains/package.sh --arch arm64
    version=$(sed -n 's/^project(metahall VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
    deb=$src/build/package/metahall_${version}_arm64.deb
fi
[ "$(dpkg-deb -f "$deb" Architecture)" = arm64 ] || die "$deb is not an arm64 package"

# ---- the base root: kernel, systemd, metahall's dependencies -----------------------
# the package's Depends, by name (debootstrap resolves no versions or alternatives)
mapfile -t deps < <(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/[(|].*//; s/ //g' | grep .)
base_packages=(systemd-sysv udev dbus kmod e2fsprogs linux-image-arm64 initramfs-tools zstd "${deps[@]}")

# Between debootstrap's stages, before any package is installed: dpkg leaves
# out documentation, and the initramfs holds the modules to find the root
# (virtio, SD/eMMC, USB and NVMe disks, ext4) instead of MODULES=most, which
# takes tens of minutes to build through qemu-user.
kiosk_root_presets() {
    local root=$1
    # no manuals, translations or documentation but the copyright files: less
    # for dpkg to unpack (under emulation) and a smaller image
    mkdir -p "$root/etc/dpkg/dpkg.cfg.d"
    cat >"$root/etc/dpkg/dpkg.cfg.d/metahall-kiosk" <<'EOF'
# kiosk-image.sh: a kiosk needs no manuals, translations or documentation
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
EOF
    # while the image is made only: no fsync for every unpacked file (the
    # root is thrown away when making it fails); kiosk-image.sh removes it
    echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/metahall-kiosk-build"
    mkdir -p "$root/etc/initramfs-tools/conf.d"
    cat >"$root/etc/initramfs-tools/conf.d/metahall-kiosk" <<'EOF'
# kiosk-image.sh: only the modules listed in ../modules (MODULES=most would
# cost tens of minutes under qemu-user); add a board's storage driver there
MODULES=list
EOF
    cat >"$root/etc/initramfs-tools/modules" <<'EOF'
# kiosk-image.sh: what the initramfs needs to mount the root file system
virtio_pci
virtio_mmio
virtio_blk
virtio_scsi
sd_mod
mmc_block
sdhci_of_arasan
sdhci_iproc
usb_storage
uas
nvme
ext4
EOF
}
base=$out/base-arm64
root=$out/root
cleanup() {
    local dir
    for dir in "$base.new" "$base" "$root"; do
        deploy_unmount "$dir" || echo "kiosk-image.sh: something under $dir is still mounted" >&2
    done
}
trap cleanup EXIT
t=$(date +%s)
stage "base root (debootstrap, or the cached one)"
# No initramfs while debootstrap installs the packages: the kernel's and then
# initramfs-tools' scripts would each build one through qemu-user (minutes
# each); INITRD=No makes the kernel's hook skip it, and it is built once below.
export INITRD=No
DEPLOY_HOOK=kiosk_root_presets deploy_root_ensure "$base" arm64 "${base_packages[@]}" ||
    die "could not make the Debian 12 arm64 root (see above)"
unset INITRD
base_s=$(( $(date +%s) - t ))
base_note=${DEPLOY_ROOT_BUILT_S:+made by debootstrap in ${DEPLOY_ROOT_BUILT_S} s}
base_note=${base_note:-reused}
kver=$(ls "$base/lib/modules" | sort -V | tail -n 1)
initramfs_s=0
if [ ! -f "$base/boot/initrd.img-$kver" ]; then
    t=$(date +%s)
    stage "initramfs (update-initramfs through qemu-user)"
    deploy_mount "$base"
    chroot "$base" update-initramfs -c -k "$kver" >"$out/initramfs.log" 2>&1 ||
        { cat "$out/initramfs.log"; die "update-initramfs failed in $base"; }
    deploy_unmount "$base" || die "cannot unmount under $base"
    initramfs_s=$(( $(date +%s) - t ))
fi
if [ "$base_only" = 1 ]; then
    say "base root ready in $base ($base_note, initramfs ${initramfs_s} s)"
    exit 0
fi

# ---- the kiosk root: a copy with metahall and the kiosk settings ---------------------
stage "kiosk root (the package and the kiosk settings)"
deploy_unmount "$root" && deploy_remove_root "$root" || die "cannot clear $root"
cp -a "$base" "$root"
rm -f "$root/.metahall-deploy-stamp"
deploy_mount "$root"
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }

t=$(date +%s)
cp "$deb" "$root/tmp/metahall.deb"
in_root dpkg -i /tmp/metahall.deb >"$out/dpkg.log" 2>&1 ||
    { cat "$out/dpkg.log"; die "dpkg -i $(basename "$deb") failed in the image root"; }
rm -f "$root/tmp/metahall.deb" "$root/etc/dpkg/dpkg.cfg.d/metahall-kiosk-build"

# the kiosk's configuration (kept root:metahall 0640 by the package's statoverride)
if [ -n "$config" ]; then
    cat "$config" >"$root/etc/metahall/metahall.conf"
else
    printf '\n# kiosk-image.sh: a kiosk takes the whole screen and visitors cannot quit it\nfullscreen = true\n' \
        >>"$root/etc/metahall/metahall.conf"
fi

# No desktop here: SDL tries X11 and Wayland before KMS/DRM; with a runtime
# folder of its own the Wayland probe fails quietly, not with an error line
# ("XDG_RUNTIME_DIR is invalid") in the journal at every start.
mkdir -p "$root/etc/systemd/system/metahall.service.d"
cat >"$root/etc/systemd/system/metahall.service.d/kiosk-image.conf" <<'EOF'
# kiosk-image.sh: SDL's Wayland probe looks here, finds no compositor, and
# SDL goes on to KMS/DRM without an error line
[Service]
Environment=XDG_RUNTIME_DIR=/run/metahall
EOF

echo metahall-kiosk >"$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tmetahall-kiosk\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
printf 'LABEL=metahall-root\t/\text4\tdefaults,noatime\t0\t1\n' >"$root/etc/fstab"
: >"$root/etc/machine-id"           # each kiosk makes its own at first boot
in_root systemctl set-default graphical.target >/dev/null

# No text console: no virtual terminals from logind, no login prompt on tty1 or
# the serial console, Ctrl+Alt+Del and SysRq do nothing.
mkdir -p "$root/etc/systemd/logind.conf.d"
cat >"$root/etc/systemd/logind.conf.d/metahall-kiosk.conf" <<'EOF'
# kiosk-image.sh: no virtual terminals; Ctrl+Alt+Fn leads nowhere
[Login]
NAutoVTs=0
ReserveVT=0
EOF
in_root systemctl mask getty@tty1.service serial-getty@ttyAMA0.service ctrl-alt-del.target >/dev/null 2>&1
echo 'kernel.sysrq = 0' >"$root/etc/sysctl.d/90-metahall-kiosk.conf"

# Nothing at boot or later that a kiosk does not use: no package list
# downloads or upgrades (updates come as a new image or package), no
# periodic file system work competing with the frame loop.
in_root systemctl mask apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer e2scrub_all.timer \
    e2scrub_reap.service fstrim.timer >/dev/null 2>&1

# Wired network by DHCP for the control port and the fleet, when there is
# one; nothing waits for it (the kiosk starts without a network).
mkdir -p "$root/etc/systemd/network"
cat >"$root/etc/systemd/network/80-metahall-wired.network" <<'EOF'
# kiosk-image.sh: every wired interface by DHCP
[Match]
Name=en* eth*

[Network]
DHCP=yes
EOF
in_root systemctl enable systemd-networkd.service >/dev/null 2>&1
in_root systemctl disable systemd-networkd-wait-online.service >/dev/null 2>&1 || true
in_root systemctl mask systemd-networkd-wait-online.service >/dev/null 2>&1

# Maintenance: systemd's debug shell, only when the kernel command line says
# systemd.debug_shell, on the virtio console /dev/hvc0 (qemu) instead of tty9.
mkdir -p "$root/etc/systemd/system/debug-shell.service.d"
cat >"$root/etc/systemd/system/debug-shell.service.d/metahall-kiosk.conf" <<'EOF'
# kiosk-image.sh: the debug shell (kernel command line systemd.debug_shell)
# on the virtio console, where qemu's host can reach it; there is no tty9
[Unit]
ConditionPathExists=
ConditionPathExists=/dev/hvc0
BindsTo=dev-hvc0.device
After=dev-hvc0.device

[Service]
TTYPath=/dev/hvc0
EOF

# smaller: no documentation but the copyright files, no manuals, no package lists
find "$root/usr/share/doc" -mindepth 1 ! -name copyright ! -type d -delete
find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
rm -rf "$root/usr/share/man" "$root/usr/share/info" "$root/var/lib/apt/lists/"* "$root/var/cache/apt/"*.bin \
       "$root/var/cache/debconf/"*-old "$root/tmp/"* "$root/var/log/"*.log "$root/root/.bash_history"
configure_s=$(( $(date +%s) - t ))
deploy_unmount "$root" || die "cannot unmount under $root"

# ---- kernel, initramfs, command line -------------------------------------------------
cp "$root/boot/vmlinuz-$kver" "$out/vmlinuz"
cp "$root/boot/initrd.img-$kver" "$out/initrd.img"
# serial console only (none on the screen), no blinking cursor before the kiosk
echo "root=LABEL=metahall-root rw rootwait console=ttyAMA0 quiet loglevel=3 vt.global_cursor_default=0" \
    >"$out/cmdline.txt"

# ---- the disk ------------------------------------------------------------------------
t=$(date +%s)
stage "disk (mke2fs -d)"
used_mb=$(( $(du -sxm "$root" | cut -f1) ))
fs_mb=$(( used_mb + used_mb / 10 + free_mb ))
img=$out/metahall-kiosk-arm64.img
rm -f "$img" "$out/rootfs.ext4"
mke2fs -q -t ext4 -L metahall-root -d "$root" "$out/rootfs.ext4" "${fs_mb}M"
truncate -s $(( (fs_mb + 1) * 1024 * 1024 )) "$img"
printf 'label: dos\nlabel-id: 0x6d68616c\nstart=2048, type=83, bootable\n' | sfdisk -q "$img"
dd if="$out/rootfs.ext4" of="$img" bs=1M seek=1 conv=notrunc,sparse status=none
rm -f "$out/rootfs.ext4"
disk_s=$(( $(date +%s) - t ))

say "$img: $(( $(stat -c %s "$img") / 1024 / 1024 )) MiB (system $used_mb MiB, $free_mb MiB free)"
say "times: base root $base_note," \
    "initramfs $initramfs_s s, kiosk root $configure_s s, disk $disk_s s, in all $(( $(date +%s) - start )) s"
say "kernel $kver; boot it with: qemu-system-aarch64 -M virt -cpu cortex-a72 -m 2048 -kernel $out/vmlinuz" \
    "-initrd $out/initrd.img -append \"\$(cat $out/cmdline.txt)\" -drive file=$img,format=raw,if=virtio" \
    "-device virtio-gpu-pci -netdev user,id=net,hostfwd=tcp::7700-:7700 -device virtio-net-pci,netdev=net,romfile="
