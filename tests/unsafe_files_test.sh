#!/usr/bin/env bash
# unsafe_files_test.sh - the kiosk's start-up (a headless render) with a
# FIFO named landmark.glb and a landmark.glb linked to /etc/passwd (issue 15:
# the FIFO hung start-up, the link put "root:x:0:0:r" into the reply): it
# finishes at once, shows placeholders, names both files and why, and no
# byte of /etc/passwd appears in what it prints.
. "$(dirname "$0")/lib.sh"
tmp="$MH_OUT/unsafe"
rm -rf "$tmp" && mkdir -p "$tmp"
cp -r "$MH_SRC/assets" "$tmp/assets"
rm "$tmp/assets/exhibits/qiantang/landmark.glb"
mkfifo "$tmp/assets/exhibits/qiantang/landmark.glb"
ln -sf /etc/passwd "$tmp/assets/exhibits/tongzhou/landmark.glb"
set +e
out=$(timeout 60 "${EMU[@]}" "$MH_BIN" render --hall "$tmp/assets/halls/default" --view booth:qiantang \
      --size 320x180 --out "$tmp/booth.png" 2>&1)
code=$?
set -e
[ "$code" = 0 ] || fail "render with a FIFO and a link for landmarks: exit $code: $out"
grep -q "qiantang/landmark.glb: /: is a FIFO, not a regular file" <<<"$out" || fail "the FIFO is not named: $out"
grep -q "tongzhou/landmark.glb: /: is a symbolic link" <<<"$out" || fail "the link is not named: $out"
grep -q "exhibit qiantang: its landmark model did not load (showing a placeholder)" <<<"$out" ||
    fail "no placeholder for the FIFO: $out"
if grep -q "root:" <<<"$out"; then fail "bytes of /etc/passwd appeared in the output"; fi
set +e
out=$(timeout 60 "${EMU[@]}" "$MH_BIN" validate "$tmp/assets/exhibits/qiantang" "$tmp/assets/exhibits/tongzhou" 2>&1)
set -e
grep -q "is a FIFO" <<<"$out" && grep -q "is a symbolic link" <<<"$out" || fail "validate: $out"
echo "unsafe files: start-up and validate refuse a FIFO and a link at once, quoting nothing"
