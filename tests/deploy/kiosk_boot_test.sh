#!/usr/bin/env bash
# kiosk_boot_test.sh - the ARM kiosk path end to end: the arm64 package
# (toolchains/package.sh --arch arm64), the kiosk image made from it
# (toolchains/kiosk-image.sh; its Debian root is cached in build/deploy/kiosk),
# booted in qemu-system-aarch64 on TCG with virtio-gpu and checked by
# kiosk_boot.py: READY from systemd, SDL on KMS/DRM, no console, STATUS over
# the forwarded control port, SCREENSHOT and the virtual screen both showing
# what the host's headless kiosk shows, SWITCH, and systemd bringing the
# kiosk back after kill -9. The host's references are rendered here by the
# build's own metahall at the same size, exhibit and settings.
# Needs root, debootstrap, qemu-user-static (binfmt_misc), qemu-system-arm,
# the arm64 cross toolchain, and Debian's mirror for the first image.
# Timings go to $MH_OUT/kiosk/timings.json and the test's output.
source "$(dirname "$0")/../lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
source "$MH_SRC/toolchains/debian/rootfs.sh"

[ "$(id -u)" = 0 ] || skip "the kiosk image test needs root (debootstrap, chroot)"
for tool in debootstrap qemu-system-aarch64 qemu-aarch64-static mke2fs sfdisk python3 aarch64-linux-gnu-gcc cpack; do
    command -v "$tool" >/dev/null || skip "$tool is not installed (toolchains/setup.sh --test)"
done
[ -f /usr/lib/aarch64-linux-gnu/pkgconfig/egl.pc ] || skip "no arm64 development packages (toolchains/setup.sh --test)"
deploy_foreign_ready arm64 || skip "binfmt_misc cannot run arm64 programs through qemu-user-static here"
[ -z "${EMU[*]}" ] || skip "runs from the host build, not under an emulator"

start=$(date +%s)
OUT=$MH_OUT/kiosk
DEPLOY_DIR=$(realpath -m "${MH_DEPLOY_DIR:-$MH_SRC/build/deploy}")
SIZE=640x360
SWITCH_TO=xiamen
DEFAULT_EXHIBIT=shanghai
rm -rf "$OUT" && mkdir -p "$OUT"
token=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
port=$(python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# ---- the kiosk's configuration: the control port open to the (forwarded) network ----
cat >"$OUT/metahall.conf" <<CONF
# kiosk_boot_test.sh: the control port reachable through qemu's user network
control = 0.0.0.0:7700
token = $token
kiosk-id = qemu-kiosk
# the frames compared with the host's render: no attract mode
idle-timeout = 0
fullscreen = true
CONF

# ---- the package and the image ------------------------------------------------------------
t=$(date +%s)
"$MH_SRC/toolchains/package.sh" --arch arm64 >"$OUT/package.log" 2>&1 ||
    { tail -n 30 "$OUT/package.log"; fail "toolchains/package.sh --arch arm64 failed (log: $OUT/package.log)"; }
package_s=$(( $(date +%s) - t ))
deb=$(ls "$MH_SRC"/build/package/metahall_*_arm64.deb)
t=$(date +%s)
"$MH_SRC/toolchains/kiosk-image.sh" --deb "$deb" --config "$OUT/metahall.conf" --out "$DEPLOY_DIR/kiosk" \
    >"$OUT/image.log" 2>&1 || { tail -n 40 "$OUT/image.log"; fail "toolchains/kiosk-image.sh failed (log: $OUT/image.log)"; }
image_s=$(( $(date +%s) - t ))
grep '^kiosk-image.sh:\|^deploy:' "$OUT/image.log"
img=$DEPLOY_DIR/kiosk/metahall-kiosk-arm64.img

# ---- the host's references: the same hall, size and settings, headless ------------------------
cat >"$OUT/reference.txt" <<SCRIPT
seconds 2
screenshot $OUT/ref_default.png
control SWITCH $SWITCH_TO
seconds 2
screenshot $OUT/ref_switched.png
SCRIPT
metahall --platform headless --size "$SIZE" --msaa 1 --idle-timeout 0 -q --script "$OUT/reference.txt" ||
    fail "the host's headless reference render failed"

# ---- boot it --------------------------------------------------------------------------------
restore=()
[ "${MH_EXPECT_STATE_RESTORE:-0}" = 1 ] && restore=(--expect-restore)
python3 "$HERE/kiosk_boot.py" --image "$img" --kernel "$DEPLOY_DIR/kiosk/vmlinuz" \
    --initrd "$DEPLOY_DIR/kiosk/initrd.img" --cmdline "$DEPLOY_DIR/kiosk/cmdline.txt" --out "$OUT" \
    --ctl "$MH_BIN" --token "$token" --port "$port" --size "$SIZE" \
    --ref-default "$OUT/ref_default.png" --ref-switched "$OUT/ref_switched.png" \
    --switch-to "$SWITCH_TO" --default-exhibit "$DEFAULT_EXHIBIT" "${restore[@]}" ||
    fail "the kiosk image did not pass in qemu (console: $OUT/console.log)"

deb_bytes=$(stat -c %s "$deb")
img_mib=$(( $(stat -c %s "$img") / 1024 / 1024 ))
img_used_mib=$(( $(du -m "$img" | cut -f1) ))
timings=$(python3 -c 'import json, sys; print(", ".join(f"{k} {v}" for k, v in json.load(open(sys.argv[1])).items()))' \
          "$OUT/timings.json")
echo "kiosk_boot_test: ok: arm64 .deb $deb_bytes bytes (package.sh $package_s s), image $img_mib MiB" \
     "($img_used_mib MiB allocated; kiosk-image.sh $image_s s); $timings; $(( $(date +%s) - start )) s in all"
