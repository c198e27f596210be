#!/usr/bin/env bash
# stream_test.sh - hall.json "streaming" (issue 23) on the headless kiosk:
# the shipped hall with streaming on (near_m 6, far_m 9), started at
# Wuhan's booth with --still (nothing turns, so frames compare):
# - the first frame shows the stand-in (the kiosk says no model is in yet),
#   a neutral block where the landmark stands: its region differs from what
#   `metahall render` draws with the model merged into the hall;
# - a SWITCH sent while the booth's model is loading is answered OK (it
#   takes the worker first, stopping that load when it is still running);
# - the model streams in on the worker (the log says so, with its size) and
#   then the same region matches the merged render: it is drawn where the
#   merged one stands (the booth's panel, which opens by itself once the
#   visitor has stood there 0.6 s and covers part of the region, is closed
#   first: how long the model takes decides whether it is open yet);
# - the visitor goes back to the entrance (over 25 m away): the model is
#   dropped (the log says what it freed) and none is in;
# - `validate` gives located errors for bad streaming keys.
. "$(dirname "$0")/lib.sh"
command -v python3 > /dev/null || skip "no python3"
work="$MH_OUT/stream"
rm -rf "$work"
mkdir -p "$work"
# the same hall twice, streaming and not (neither with the shipped baked light, which is keyed to hall.json)
cp -r "$MH_SRC/assets/halls/default" "$work/hall"
rm -f "$work/hall/light.json"
cp -r "$work/hall" "$work/merged-hall"
python3 - "$work" "$MH_SRC/assets/exhibits" <<'EOF'
import json, sys
for name, streaming in (("hall", {"near_m": 6, "far_m": 9}), ("merged-hall", None)):
    path = f"{sys.argv[1]}/{name}/hall.json"
    h = json.load(open(path))
    h["exhibits_dir"] = sys.argv[2]
    if streaming:
        h["streaming"] = streaming
    json.dump(h, open(path, "w"), ensure_ascii=False)
EOF
cat > "$work/visit.txt" <<EOF
wait 1
expect streamed 0
screenshot $work/stand-in.png
control SWITCH wuhan
expect reply OK
expect featured wuhan
until streamed 1 20
wait 1
key back
expect panel -
screenshot $work/in.png
key home
until streamed 0 20
EOF
size=480x270
metahall --platform headless --hall "$work/hall" --size $size --view booth:wuhan --idle-timeout 0 --still \
    --script "$work/visit.txt" > "$work/log" 2>&1 || { tail -20 "$work/log"; fail "the streaming visit failed"; }
grep -q 'stream\] info: booth wuhan in (' "$work/log" || fail "no 'booth wuhan in' line in $work/log"
grep -q -- '-> OK featured wuhan' "$work/log" || fail "the SWITCH during streaming was not answered OK"
grep -q 'stream\] info: booth wuhan dropped ([0-9.]* MB freed)' "$work/log" || fail "wuhan's model was not dropped"
metahall render --hall "$work/merged-hall" --view booth:wuhan --size $size --out "$work/merged.png" > "$work/render.log" 2>&1 ||
    fail "render failed (see $work/render.log)"
# the landmark's region (the booth view centres its plinth), mean difference per channel
python3 - "$MH_SRC/tests/tools" "$work" <<'EOF' || fail "the pixels are not what streaming should show"
import sys
sys.path.insert(0, sys.argv[1])
import mh_pngread
work = sys.argv[2]
def region(name):
    w, h, rows = mh_pngread.read(f"{work}/{name}.png")
    x0, x1, y0, y1 = int(w * 0.42), int(w * 0.58), int(h * 0.50), int(h * 0.78)
    return [rows[y][4 * x + c] for y in range(y0, y1) for x in range(x0, x1) for c in range(3)]
def diff(a, b):
    return sum(abs(p - q) for p, q in zip(a, b)) / len(a)
merged, stand_in, streamed = region("merged"), region("stand-in"), region("in")
before, after = diff(stand_in, merged), diff(streamed, merged)
print(f"landmark region, mean difference from the merged render: stand-in {before:.1f}, model streamed in {after:.1f}")
if before < 12:
    sys.exit("the first frame already looks like the merged model: no stand-in was shown")
if after > 3:
    sys.exit("the streamed model does not look like the merged one where it stands")
EOF
# validate: each bad key is named with its place
bad() { # bad JSON WHERE TEXT
    rm -rf "$work/bad" && cp -r "$work/hall" "$work/bad"
    python3 -c 'import json,sys; h=json.load(open(sys.argv[1])); h["streaming"]=json.loads(sys.argv[2]); json.dump(h,open(sys.argv[1],"w"))' \
        "$work/bad/hall.json" "$1"
    out=$(metahall validate "$work/bad" 2>&1) && fail "validate accepted streaming $1"
    echo "$out" | grep -qF "hall.json: $2: $3" || fail "validate on streaming $1: expected '$2: $3', got: $out"
}
bad '{"near_m": 10, "far_m": 5}' /streaming/far_m "far_m (5.0 m) must be beyond near_m (10.0 m)"
bad '{"near": 3}' /streaming/near "unknown streaming key"
bad '{"budget_mb": -1}' /streaming/budget_mb "expected a number from 0 (the default) to 65536"
bad '[1]' /streaming "expected an object"
echo "stream: stand-in first, the model streamed in where the merged one stands, dropped at the entrance; validate names bad keys"
