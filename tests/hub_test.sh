#!/usr/bin/env bash
# hub_test.sh - the control page in a real browser: mosquitto, three
# headless kiosks, `metahall hub`, and Debian's headless Chromium driven by
# playwright-core (tests/hub/hub_test.mjs): log in with the fleet token,
# switch an exhibit from a kiosk's card, switch every kiosk at once, see the
# thumbnails, and get an offline alert when a kiosk is killed. The kiosks'
# own STATUS (over their control ports) must agree with what the page did.
# Screenshots: $MH_OUT/hub/hub_page.png and hub_offline.png. Figures (page
# load, command round trips, thumbnails) are printed.
# Needs mosquitto, node and npm (playwright-core, pinned by
# tests/hub/package-lock.json, installed once per lock file) and chromium.
. "$(dirname "$0")/lib.sh"

MOSQUITTO=${MH_MOSQUITTO:-/usr/sbin/mosquitto}
[ -x "$MOSQUITTO" ] || skip "no MQTT broker at $MOSQUITTO (apt-get install mosquitto)"
command -v node >/dev/null && command -v npm >/dev/null || skip "node and npm are not installed"
chromium=${MH_CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] || skip "Debian's chromium is not installed (toolchains/setup.sh --test)"

work="$MH_OUT/hub"
rm -rf "$work"
mkdir -p "$work"
slow=${MH_FLEET_TIMEOUT:-60}
pids=()
cleanup() {
    local rc=$?
    for p in "${pids[@]}"; do
        kill -KILL "$p" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    if [ "$rc" != 0 ] && [ "$rc" != 77 ]; then
        for f in "$work"/*.log; do
            [ -f "$f" ] && { echo "--- $f (last 12 lines)"; tail -n 12 "$f"; }
        done
    fi
}
trap cleanup EXIT
now_ms() { echo $(($(date +%s%N) / 1000000)); }
free_port() {
    python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# ---- playwright-core, once per lock file ------------------------------------
here="$MH_SRC/tests/hub"
npm_dir="$MH_OUT/hub-npm"
lock_hash=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$npm_dir/.lock-hash" 2>/dev/null)" != "$lock_hash" ]; then
    rm -rf "$npm_dir"
    mkdir -p "$npm_dir"
    cp "$here/package.json" "$here/package-lock.json" "$npm_dir/"
    (cd "$npm_dir" && npm ci --no-audit --no-fund --loglevel=error >&2) ||
        skip "could not install playwright-core from the npm registry"
    echo "$lock_hash" >"$npm_dir/.lock-hash"
fi

# ---- broker, kiosks, hub -------------------------------------------------------
token="hub-$$-$RANDOM"
printf '%s\n' "$token" >"$work/token"
chmod 600 "$work/token"
bport=$(free_port)
cat >"$work/mosquitto.conf" <<EOF
listener $bport 127.0.0.1
allow_anonymous true
persistence false
user $(id -un)
EOF
"$MOSQUITTO" -c "$work/mosquitto.conf" >"$work/broker.log" 2>&1 &
pids+=("$!")
declare -A kport kpid
for k in k1 k2 k3; do
    kport[$k]=$(free_port)
    "${EMU[@]}" "$MH_BIN" --platform headless --size 320x180 --max-fps 20 --idle-timeout 0 \
        --state-dir "$work/$k-state" --token-file "$work/token" --control "127.0.0.1:${kport[$k]}" \
        --mqtt "127.0.0.1:$bport" --kiosk-id "$k" --thumb-interval 3 >"$work/$k.log" 2>&1 &
    kpid[$k]=$!
    pids+=("$!")
done
hport=$(free_port)
"${EMU[@]}" "$MH_BIN" hub --mqtt "127.0.0.1:$bport" --listen "127.0.0.1:$hport" --token-file "$work/token" \
    >"$work/hub.log" 2>&1 &
pids+=("$!")
deadline=$(($(now_ms) + slow * 1000))
for k in k1 k2 k3; do
    until grep -q "metahall\[fleet\].*connected to 127.0.0.1:$bport" "$work/$k.log"; do
        kill -0 "${kpid[$k]}" 2>/dev/null || fail "$k exited early; see $work/$k.log"
        [ "$(now_ms)" -lt "$deadline" ] || fail "$k did not join the broker within $slow s"
        sleep 0.2
    done
done
until grep -q "control page on http://127.0.0.1:$hport" "$work/hub.log"; do
    [ "$(now_ms)" -lt "$deadline" ] || fail "the hub did not start; see $work/hub.log"
    sleep 0.1
done

# ---- the page ---------------------------------------------------------------------
# an ES module finds its packages beside it: the script runs from the npm folder
cp "$here/hub_test.mjs" "$npm_dir/"
MH_CHROMIUM="$chromium" node "$npm_dir/hub_test.mjs" --url "http://127.0.0.1:$hport/" \
    --token "$token" --out "$work" --kiosks k1,k2,k3 --kill-pid "${kpid[k3]}" --kill-key default/k3 \
    >"$work/figures.json" 2>"$work/browser.log" || { cat "$work/browser.log"; fail "the page test failed"; }

# ---- what the kiosks themselves say -------------------------------------------------
for k in k1 k2; do
    st=$(metahall ctl --addr "127.0.0.1:${kport[$k]}" --token-file "$work/token" STATUS) || fail "$k: no STATUS"
    grep -q '"exhibit":"wuxi"' <<<"$st" && grep -q '"language":"en"' <<<"$st" ||
        fail "$k: the page's SWITCH all and LANG en did not reach it: $st"
done
kill -0 "${kpid[k3]}" 2>/dev/null && fail "k3 should have been killed by the page test"
grep -q "a page logged in" "$work/hub.log" || fail "the hub did not log the login"
grep -q "a login with a wrong token" "$work/hub.log" || fail "the hub did not log the wrong token"
thumb=$(mosquitto_sub -h 127.0.0.1 -p "$bport" -t metahall/default/k1/thumb -C 1 -W 10 | wc -c)
echo "hub: figures $(cat "$work/figures.json")"
echo "hub: k1's retained thumbnail is $thumb bytes"
echo "hub: screenshots in $work/hub_page.png and $work/hub_offline.png"
echo "hub: every check passed"
