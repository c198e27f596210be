#!/usr/bin/env bash
# aa_test.sh - edges at the default quality are anti-aliased (issue 18): on
# this renderer (llvmpipe in CI: quality auto = low = the lean edge blend of
# shaders/post.frag) the entrance has clearly more in-between pixels along
# its high-contrast edges than the same frame with --msaa 1 (no
# anti-aliasing), and an open panel's card (drawn after the blend) is pixel
# for pixel the same as without it: its text stays sharp.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "python3 not installed"
tmp="$MH_OUT/aa"
rm -rf "$tmp" && mkdir -p "$tmp"
check="$MH_SRC/tests/tools/aa_check.py"
metahall render --view entrance --size 800x450 --out "$tmp/entrance.png" 2>"$tmp/entrance.log" ||
    fail "render failed: $(cat "$tmp/entrance.log")"
if grep -q "llvmpipe" "$tmp/entrance.log"; then
    grep -q "quality low (edge blend)" "$tmp/entrance.log" ||
        fail "llvmpipe's default is not the edge blend: $(grep quality "$tmp/entrance.log")"
fi
metahall render --view entrance --size 800x450 --msaa 1 --out "$tmp/entrance_none.png" -q
python3 "$check" "$tmp/entrance.png" "$tmp/entrance_none.png" ||
    fail "the default entrance is stair-stepped; see $tmp/entrance.png against $tmp/entrance_none.png"
# the panel: the card (x 24-448, y 108-352 at 800x450, left of the landmark) the same with and without
metahall render --view booth:xiamen --panel xiamen --panel-view 2 --size 800x450 --out "$tmp/panel.png" -q
metahall render --view booth:xiamen --panel xiamen --panel-view 2 --size 800x450 --msaa 1 \
    --out "$tmp/panel_none.png" -q
python3 "$check" "$tmp/panel.png" "$tmp/panel_none.png" --min-ratio 1.0 --same 24,108,448,352 ||
    fail "the panel's card changed under the anti-aliasing; see $tmp/panel.png against $tmp/panel_none.png"
echo "anti-aliasing passes"
