#!/usr/bin/env bash
# doctor_test.sh - `metahall doctor` here, headless: one OK/WARN/FAIL line
# per check with a fix under each one that is not OK, exit 0 with no FAIL;
# then each check made to fail on purpose gives its FAIL line (with the
# broken file, address or folder) and exit 1: a broken hall.json, a hall
# whose font has no Chinese, a control address of no interface, a broker
# nobody listens on, a runtime manifest naming a missing library (WARN, or
# FAIL with --platform openxr), a state folder on a full file system. A port
# in use and a listening broker give WARN and OK.
. "$(dirname "$0")/lib.sh"
tmp="$MH_OUT/doctor"
rm -rf "$tmp" && mkdir -p "$tmp"
empty="$tmp/no-xdg"
mkdir -p "$empty"

# doctor CODE ARGS...: runs `metahall doctor ARGS` (no OpenXR runtime but
# what XR_RUNTIME_JSON names), checks the exit code, leaves the output in $out
doctor() {
    local code=$1 got
    shift
    set +e
    out=$(HOME="$tmp/home" XDG_CONFIG_HOME="$empty" XDG_CONFIG_DIRS="$empty" metahall doctor "$@" 2>&1)
    got=$?
    set -e
    [ "$got" = "$code" ] || fail "metahall doctor $*: exit $got, expected $code; output:
$out"
}

# line LEVEL TAG TEXT: the output has "LEVEL TAG ... TEXT" on one line
line() {
    local level=$1 tag=$2 text=$3
    grep -E "^$level +$tag " <<<"$out" | grep -qF -- "$text" ||
        fail "metahall doctor: no '$level $tag ... $text' line in:
$out"
}

# free_port: a TCP port nothing listens on now
free_port() {
    python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# ---- here, as it is ---------------------------------------------------------------------
doctor 0 --control "127.0.0.1:$(free_port)"
echo "$out"
for tag in gl kms input fonts openxr hall control mqtt disk; do
    grep -qE "^(OK  |WARN|FAIL) +$tag " <<<"$out" || fail "no '$tag' line"
done
# every line that is not OK is followed by its fix
awk '/^(WARN|FAIL) / {want = 1; next} want && !/^ +fix: ./ {bad = 1} {want = 0} END {exit bad || want}' <<<"$out" ||
    fail "a WARN or FAIL line without its fix"
grep -qE "^(OK  |WARN) +gl +.*OpenGL ES 3\.[0-9]" <<<"$out" || fail "the GL line names no OpenGL ES 3 renderer"
line "OK  " fonts "covers 中文 and English"
line "(OK  |WARN)" hall "$MH_SRC/assets/halls/default: valid"
line "OK  " control "can be bound (TCP and UDP)"
line "OK  " mqtt "no broker configured"
line "OK  " disk "state and screenshots $tmp/home/.local/state/metahall: "
line WARN openxr "no active OpenXR runtime"
tail -n 1 <<<"$out" | grep -qE "^metahall doctor: [0-9]+ OK, [0-9]+ WARN, 0 FAIL: ready$" || fail "the summary line"

# ---- a broken hall: FAIL naming its file ----------------------------------------------------
mkdir -p "$tmp/broken"
printf '{"format": "metahall-hall/1", "name_zh": "坏", \n  "fonts": [' >"$tmp/broken/hall.json"
doctor 1 --hall "$tmp/broken"
line FAIL hall "$tmp/broken: "
line FAIL hall "$tmp/broken/hall.json"
line FAIL fonts "hall.json"
tail -n 1 <<<"$out" | grep -qE "[1-9][0-9]* FAIL: not ready" || fail "a broken hall: the summary says ready"

# ---- the rest on a one-booth copy of the hall (quicker to validate) -------------------------------
# small_hall DIR [FONT]: the default hall with its first booth only, the
# exhibits where they are, and FONT as its only font when given
small_hall() {
    cp -r "$MH_SRC/assets/halls/default" "$1"
    python3 - "$1/hall.json" "$MH_SRC/assets/exhibits" "${2:-}" <<'EOF'
import json, sys
path, exhibits, font = sys.argv[1:]
hall = json.load(open(path))
hall["exhibits_dir"] = exhibits
first = hall["booths"][0]["exhibit"] if hall.get("booths") else hall["zones"][0]["booths"][0]
hall["booths"] = [{"exhibit": first, "position": [-19.0, -0.5]}]
hall["stage"]["featured"] = first
for key in ("tour", "screens", "zones"):
    hall.pop(key, None)
if font:
    hall["fonts"] = [font]
json.dump(hall, open(path, "w"), ensure_ascii=False)
EOF
}
small_hall "$tmp/small"

# ---- the hall's font has no Chinese ------------------------------------------------------------
latin=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
[ -f "$latin" ] || fail "$latin is missing (fonts-dejavu-core, toolchains/setup.sh --test)"
small_hall "$tmp/latin" "$latin"
doctor 1 --hall "$tmp/latin"
line FAIL fonts "$latin has no glyph for 8 of the characters"
grep -qE "^(OK  |WARN) +hall " <<<"$out" || fail "the Latin-font hall is not valid: $out"

# ---- the control port: an address of no interface (FAIL), a port in use (WARN) --------------------
doctor 1 --hall "$tmp/small" --control 192.0.2.1:7700
line FAIL control "cannot bind 192.0.2.1:7700: Cannot assign requested address"
port=$(free_port)
python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(); time.sleep(600)' "$port" &
listener=$!
trap 'kill "$listener" 2>/dev/null || true' EXIT
up=0
for _ in $(seq 100); do
    python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$port" \
        2>/dev/null && { up=1; break; }
    sleep 0.1
done
[ "$up" = 1 ] || fail "the test's own listener on port $port did not start"
doctor 0 --hall "$tmp/small" --control "127.0.0.1:$port"
line WARN control "127.0.0.1:$port is in use: something listens there"

# ---- the broker: nobody there (FAIL), then the listener above (OK) ---------------------------------
dead=$(free_port)
doctor 1 --hall "$tmp/small" --control off --mqtt "127.0.0.1:$dead"
line FAIL mqtt "cannot reach the broker 127.0.0.1:$dead: Connection refused"
line "OK  " control "off (control = off)"
doctor 0 --hall "$tmp/small" --control off --mqtt "127.0.0.1:$port"
line "OK  " mqtt "the broker 127.0.0.1:$port answers (TCP)"
kill "$listener" 2>/dev/null || true
wait "$listener" 2>/dev/null || true

# ---- the OpenXR runtime: a manifest naming a missing library --------------------------------------
printf '{"file_format_version": "1.0.0", "runtime": {"name": "gone", "library_path": "./libgone.so"}}\n' \
    >"$tmp/runtime.json"
XR_RUNTIME_JSON="$tmp/runtime.json" doctor 0 --hall "$tmp/small" --control off
line WARN openxr "$tmp/runtime.json names $tmp/./libgone.so, which is missing"
XR_RUNTIME_JSON="$tmp/runtime.json" doctor 1 --hall "$tmp/small" --control off --platform openxr
line FAIL openxr "which is missing"
touch "$tmp/libgone.so"
XR_RUNTIME_JSON="$tmp/runtime.json" doctor 0 --hall "$tmp/small" --control off --platform openxr
line "OK  " openxr "runtime $tmp/./libgone.so ($tmp/runtime.json)"

# ---- the state folder on a file system with no room (/proc) ------------------------------------------
doctor 1 --hall "$tmp/small" --control off --state-dir /proc/metahall-doctor-test
line FAIL disk "state and screenshots /proc/metahall-doctor-test: 0 MiB free"

echo "doctor: every check reports OK here or its FAIL with the fix when broken"
