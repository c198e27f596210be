#!/usr/bin/env bash
# fleet_test.sh - one MQTT broker, three headless kiosks (k1, k2, k3).
#
#  1. every kiosk publishes its retained state on metahall/<hall>/<kiosk>/state
#  2. "SWITCH qiantang" on metahall/<hall>/all/cmd switches all three (timed),
#     and each answers "OK ..." on its reply topic
#  3. the broker is killed and restarted on the same port: all three
#     reconnect by themselves, republish their state and obey "LANG en"
#  3. authority: QUIT and RELOAD on all/cmd without the token are refused
#     (ERR 403, every kiosk keeps running); a JSON command carries an id
#     that its reply brings back, and with the token RELOAD runs; a wrong
#     token is refused; SCREENSHOT over MQTT publishes a fresh thumbnail
#  4. each kiosk keeps a small PNG of its screen retained on .../thumb and
#     today's visitor statistics on .../stats
#  5. the broker is killed and restarted on the same port: all three
#     reconnect by themselves, republish their state and obey "LANG en"
#  6. SIGKILL of k3 turns its state into "offline" (the last will); SIGTERM
#     of k1 and k2 exits 0 and leaves "offline" too
#  7. a broker with TLS and a password: a kiosk with the CA, user and
#     password joins; one with a wrong password is refused and says so
# Needs mosquitto (the broker), mosquitto-clients (mosquitto_sub/_pub) and
# openssl (the test's certificates).
. "$(dirname "$0")/lib.sh"

MOSQUITTO=${MH_MOSQUITTO:-/usr/sbin/mosquitto}
[ -x "$MOSQUITTO" ] || skip "no MQTT broker at $MOSQUITTO (apt-get install mosquitto)"
if ! command -v mosquitto_sub >/dev/null || ! command -v mosquitto_pub >/dev/null; then
    skip "no mosquitto_sub/mosquitto_pub (apt-get install mosquitto-clients)"
fi

hall_dir="$MH_SRC/assets/halls/default"
hall=$(basename "$hall_dir")
kiosks=(k1 k2 k3)
work="$MH_OUT/fleet"
rm -rf "$work"
mkdir -p "$work"
# a kiosk under ASan or qemu starts slowly
slow=${MH_FLEET_TIMEOUT:-60}
# Three kiosks share this machine's cores. Each draws at most $fps frames a
# second, as a kiosk on its own board would wait for the display: flat out
# (the headless default of 60, never reached here) the three render loops
# keep every core busy, and the loader's worker, which runs at nice 10 so as
# to yield to the render loop, got a few percent of a core: RELOAD's hall
# rebuild took over 40 s under the sanitizers.
fps=${MH_FLEET_FPS:-6}

# Background commands are started directly (never through a shell function,
# whose subshell would take the signal and leave the program running).
pids=()         # everything started here, killed on exit
kiosk_pid=()    # by kiosk index
declare -A live # kiosk -> pid, while it is meant to be running
broker_pid=
bus_pid=
bus=            # the current bus log

cleanup() {
    local rc=$?
    for p in "${pids[@]}"; do
        kill -KILL "$p" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    if [ "$rc" != 0 ] && [ "$rc" != 77 ]; then
        for f in "$work"/broker.log "$work"/bus_*.log "$work"/k?.log; do
            [ -f "$f" ] && { echo "--- $f (last 15 lines)"; tail -n 15 "$f"; }
        done
    fi
}
trap cleanup EXIT

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# A free TCP port on 127.0.0.1 (kiosks also bind UDP on their control port).
free_port() {
    if command -v python3 >/dev/null; then
        python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
        return
    fi
    local p
    while :; do
        p=$((20000 + RANDOM % 40000))
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
    done
}

token="fleet-$$-$RANDOM"
printf '%s\n' "$token" >"$work/token"
chmod 600 "$work/token"
bport=$(free_port)
cat >"$work/mosquitto.conf" <<EOF
listener $bport 127.0.0.1
allow_anonymous true
persistence false
# started as root, mosquitto would switch to the 'mosquitto' user
user $(id -un)
EOF

sub() { mosquitto_sub -h 127.0.0.1 -p "$bport" "$@"; }
pub() { mosquitto_pub -h 127.0.0.1 -p "$bport" -q 1 "$@"; }
topic() { echo "metahall/$hall/$1/$2"; }

start_broker() {
    "$MOSQUITTO" -c "$work/mosquitto.conf" >>"$work/broker.log" 2>&1 &
    broker_pid=$!
    pids+=("$broker_pid")
    local deadline=$(($(now_ms) + 10000))
    until pub -t "metahall/$hall/test/ping" -m up 2>/dev/null; do
        kill -0 "$broker_pid" 2>/dev/null || fail "mosquitto exited; see $work/broker.log"
        [ "$(now_ms)" -lt "$deadline" ] || fail "mosquitto did not listen on 127.0.0.1:$bport in 10 s"
        sleep 0.1
    done
}

# state KIOSK: its retained state ("" when none within a second).
state() { sub -t "$(topic "$1" state)" -C 1 -W 1 2>/dev/null || true; }

# wait_state KIOSK TIMEOUT_S DESCRIPTION TEST...: until TEST (a command run
# with the state on stdin) holds for KIOSK's retained state.
wait_state() {
    local k=$1 timeout=$2 what=$3 s
    shift 3
    local deadline=$(($(now_ms) + timeout * 1000))
    while :; do
        s=$(state "$k")
        if [ -n "$s" ] && "$@" <<<"$s"; then
            return 0
        fi
        [ "$(now_ms)" -lt "$deadline" ] || fail "$k: no state with $what within $timeout s (last: '${s:0:300}')"
        if [ -n "${live[$k]:-}" ] && ! kill -0 "${live[$k]}" 2>/dev/null; then
            fail "$k exited early; see $work/$k.log"
        fi
        sleep 0.2
    done
}

has() { grep -qF "$1"; }
# a state with a loaded exhibit (and nothing loading, when the field exists)
loaded() {
    local s
    s=$(cat)
    grep -q '"exhibit":"' <<<"$s" && { ! grep -q '"loading":' <<<"$s" || grep -q '"loading":null' <<<"$s"; }
}

# bus_start NAME: records every state and reply, stamped, in $work/NAME.log.
bus_start() {
    bus="$work/$1.log"
    mosquitto_sub -h 127.0.0.1 -p "$bport" -t "metahall/$hall/+/state" -t "metahall/$hall/+/reply" \
        -F '%U %t %p' >"$bus" 2>&1 &
    bus_pid=$!
    pids+=("$bus_pid")
    # subscribed once the three retained states have arrived
    local deadline=$(($(now_ms) + 10000))
    until [ "$(grep -ac " metahall/$hall/k[0-9]*/state {" "$bus")" -ge 3 ]; do
        [ "$(now_ms)" -lt "$deadline" ] || fail "mosquitto_sub did not receive the three states; see $bus"
        sleep 0.05
    done
}
bus_stop() { kill "$bus_pid" 2>/dev/null || true; wait "$bus_pid" 2>/dev/null || true; }

# bus_wait TIMEOUT_S PATTERN: until every kiosk has a bus line
# "<time> metahall/<hall>/<kiosk>/PATTERN"; prints the latest first-match time.
bus_wait() {
    local timeout=$1 pattern=$2 k
    local deadline=$(($(now_ms) + timeout * 1000))
    for k in "${kiosks[@]}"; do
        until grep -aq " metahall/$hall/$k/$pattern" "$bus"; do
            [ "$(now_ms)" -lt "$deadline" ] || fail "$k: nothing matching '$pattern' within $timeout s; see $bus"
            sleep 0.02
        done
    done
    for k in "${kiosks[@]}"; do
        grep -a -m1 " metahall/$hall/$k/$pattern" "$bus" | cut -d' ' -f1
    done | sort -n | tail -n 1
}

# ms_since T0_MS STAMP: milliseconds from T0_MS to the "%U" STAMP (s.ns).
ms_since() { awk -v t0="$1" -v t="$2" 'BEGIN { printf "%d", t * 1000 - t0 }'; }

# ---- 1. broker and kiosks --------------------------------------------------
start_broker
for i in "${!kiosks[@]}"; do
    k=${kiosks[$i]}
    "${EMU[@]}" "$MH_BIN" --platform headless --size 320x180 --max-fps "$fps" --hall "$hall_dir" --state-dir "$work/$k-state" \
        --token-file "$work/token" --control "127.0.0.1:$(free_port)" --mqtt "127.0.0.1:$bport" --kiosk-id "$k" \
        >"$work/$k.log" 2>&1 &
    kiosk_pid[i]=$!
    live[$k]=$!
    pids+=("$!")
done
for i in "${!kiosks[@]}"; do
    k=${kiosks[$i]}
    wait_state "$k" "$slow" "a loaded exhibit" loaded
    grep -q "metahall\[fleet\].*connected to 127.0.0.1:$bport" "$work/$k.log" ||
        fail "$k: no 'connected to 127.0.0.1:$bport' in its log"
done
echo "fleet: three kiosks publish their state on $(topic '<kiosk>' state)"

# ---- 2. one command for the whole hall -------------------------------------
bus_start bus_switch
t0=$(now_ms)
pub -t "$(topic all cmd)" -m "SWITCH qiantang"
t=$(bus_wait 30 'state {.*"exhibit":"qiantang"')
echo "fleet: publish -> all three switched in $(ms_since "$t0" "$t") ms"
bus_wait 10 'reply OK' >/dev/null
for k in "${kiosks[@]}"; do
    if grep -a " metahall/$hall/$k/reply " "$bus" | grep -q ' ERR '; then
        fail "$k answered ERR: $(grep -a " metahall/$hall/$k/reply " "$bus")"
    fi
done
echo "fleet: each kiosk answered OK on $(topic '<kiosk>' reply)"
bus_stop

# ---- 3. who may do what over MQTT ------------------------------------------
bus_start bus_authority
pub -t "$(topic all cmd)" -m "QUIT"
pub -t "$(topic all cmd)" -m "RELOAD"
bus_wait 10 'reply ERR 403 QUIT is not allowed over MQTT without the token (mqtt-allow)' >/dev/null
bus_wait 10 'reply ERR 403 RELOAD is not allowed over MQTT without the token (mqtt-allow)' >/dev/null
pub -t "$(topic all cmd)" -m '{"cmd":"PING","id":"j1"}'
for k in "${kiosks[@]}"; do
    # the JSON reply names its request and the kiosk
    deadline=$(($(now_ms) + 10000))
    until grep -aq " metahall/$hall/$k/reply {\"id\":\"j1\",\"kiosk\":\"$k\",\"reply\":\"OK PONG\"}" "$bus"; do
        [ "$(now_ms)" -lt "$deadline" ] || fail "$k: no JSON reply with id j1: $(grep -a j1 "$bus" || true)"
        sleep 0.05
    done
done
pub -t "$(topic k2 cmd)" -m "{\"cmd\":\"RELOAD\",\"id\":\"j2\",\"token\":\"$token\"}"
pub -t "$(topic k1 cmd)" -m '{"cmd":"QUIT","id":"j3","token":"not-the-token"}'
pub -t "$(topic k1 cmd)" -m '#l4 PING'
pub -t "$(topic k3 cmd)" -m '#s5 SCREENSHOT'
# a RELOAD builds the whole hall again (13 landmarks of up to 18k triangles, the booth templates, the baked
# floor) on the worker: under the sanitizers, with two other kiosks on two cores, 15-20 s
deadline=$(($(now_ms) + 60000))
until grep -aq '"id":"j2","kiosk":"k2","reply":"OK reloaded"' "$bus" &&
      grep -aq '"id":"j3","kiosk":"k1","reply":"ERR 403 wrong token"' "$bus" &&
      grep -aq " metahall/$hall/k1/reply #l4 OK PONG" "$bus" &&
      grep -aq " metahall/$hall/k3/reply #s5 OK thumbnail metahall/$hall/k3/thumb [0-9]* bytes" "$bus"; do
    [ "$(now_ms)" -lt "$deadline" ] || fail "no RELOAD with the token / wrong token / #l4 / SCREENSHOT replies; see $bus"
    sleep 0.1
done
bus_stop
for k in "${kiosks[@]}"; do
    kill -0 "${live[$k]}" 2>/dev/null || fail "$k stopped: QUIT over MQTT without the token ran"
done
grep -q "carried a wrong token" "$work/k1.log" || fail "k1 did not log the wrong token"
echo "fleet: QUIT and RELOAD need the token over MQTT (ERR 403 without, OK with it); JSON ids come back"

# ---- 4. thumbnails and statistics ------------------------------------------
for k in "${kiosks[@]}"; do
    sub -t "$(topic "$k" thumb)" -C 1 -W 15 >"$work/$k-thumb.png" 2>/dev/null ||
        fail "$k: no retained thumbnail on $(topic "$k" thumb)"
    size=$(stat -c %s "$work/$k-thumb.png")
    [ "$(head -c 4 "$work/$k-thumb.png" | od -An -tx1 | tr -d ' ')" = 89504e47 ] || fail "$k: the thumbnail is not a PNG"
    [ "$size" -gt 500 ] && [ "$size" -le 98304 ] || fail "$k: thumbnail of $size bytes (expected 0.5 to 96 KiB)"
    st=$(sub -t "$(topic "$k" stats)" -C 1 -W 15 2>/dev/null) || fail "$k: no retained statistics"
    grep -q '"period":"today"' <<<"$st" && grep -q "\"kiosk\":\"$k\"" <<<"$st" || fail "$k: statistics: $st"
done
echo "fleet: retained thumbnails ($(stat -c %s "$work/k1-thumb.png") bytes for k1) and statistics on .../thumb and .../stats"

# ---- 5. the broker goes away and comes back --------------------------------
{ kill -KILL "$broker_pid"; wait "$broker_pid" || true; } 2>/dev/null
sleep 0.5
t0=$(now_ms)
start_broker
for k in "${kiosks[@]}"; do
    # a fresh broker (no persistence) has no retained state until a kiosk republishes
    wait_state "$k" 30 '"exhibit":"qiantang" after the broker restart' has '"exhibit":"qiantang"'
done
echo "fleet: broker restarted -> all three republished their state in $(($(now_ms) - t0)) ms"
for k in "${kiosks[@]}"; do
    grep -q "metahall\[fleet\].*reconnected to" "$work/$k.log" || fail "$k: no 'reconnected to' in its log"
done
bus_start bus_lang
pub -t "$(topic all cmd)" -m "LANG en"
bus_wait 15 'state {.*"language":"en"' >/dev/null
bus_wait 10 'reply OK' >/dev/null
bus_stop
echo "fleet: LANG en after the reconnect reached all three"

# ---- 6. last will and clean exits ------------------------------------------
unset 'live[k3]'
{ kill -KILL "${kiosk_pid[2]}"; wait "${kiosk_pid[2]}" || true; } 2>/dev/null
wait_state k3 15 '"offline" (the last will) after SIGKILL' has offline
echo "fleet: SIGKILL of k3 -> its retained state is 'offline' (last will)"
for i in 0 1; do
    unset "live[${kiosks[$i]}]"
    kill -TERM "${kiosk_pid[$i]}"
done
for i in 0 1; do
    k=${kiosks[$i]}
    rc=0
    deadline=$(($(now_ms) + 15000))
    while kill -0 "${kiosk_pid[$i]}" 2>/dev/null; do
        [ "$(now_ms)" -lt "$deadline" ] || fail "$k still running 15 s after SIGTERM"
        sleep 0.1
    done
    wait "${kiosk_pid[$i]}" || rc=$?
    [ "$rc" = 0 ] || fail "$k exited with status $rc after SIGTERM (expected 0); see $work/$k.log"
    wait_state "$k" 5 '"offline" after SIGTERM' has offline
done
echo "fleet: SIGTERM -> k1 and k2 exit 0 and leave 'offline'"

# ---- 7. TLS and a password -------------------------------------------------
if ! command -v openssl >/dev/null || ! command -v mosquitto_passwd >/dev/null; then
    skip "no openssl or mosquitto_passwd for the TLS part"
fi
tls="$work/tls"
mkdir -p "$tls"
(
    cd "$tls"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=metahall test CA" -keyout ca.key -out ca.crt
    openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout server.key -out server.csr
    printf 'subjectAltName=IP:127.0.0.1\n' >san.ext
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile san.ext -out server.crt
    mosquitto_passwd -c -b passwd kiosk "right-$$"
) >"$work/tls.log" 2>&1 || fail "could not make the test certificates; see $work/tls.log"
tport=$(free_port)
cat >"$work/tls.conf" <<EOF2
listener $tport 127.0.0.1
cafile $tls/ca.crt
certfile $tls/server.crt
keyfile $tls/server.key
password_file $tls/passwd
allow_anonymous false
persistence false
user $(id -un)
EOF2
"$MOSQUITTO" -c "$work/tls.conf" >>"$work/tls-broker.log" 2>&1 &
pids+=("$!")
for who in good bad; do
    pass="right-$$"
    [ "$who" = bad ] && pass=wrong
    printf 'mqtt-user = kiosk\nmqtt-password = %s\nmqtt-cafile = %s\n' "$pass" "$tls/ca.crt" >"$work/$who.conf"
    "${EMU[@]}" "$MH_BIN" --config "$work/$who.conf" --platform headless --size 160x90 --hall "$hall_dir" \
        --state-dir "$work/$who-state" --control off --mqtt "127.0.0.1:$tport" --kiosk-id "tls-$who" \
        >"$work/tls-$who.log" 2>&1 &
    pids+=("$!")
    eval "tls_${who}_pid=$!"
done
deadline=$(($(now_ms) + slow * 1000))
until grep -q "metahall\[fleet\].*connected to 127.0.0.1:$tport" "$work/tls-good.log" &&
      grep -q "refused the connection" "$work/tls-bad.log"; do
    [ "$(now_ms)" -lt "$deadline" ] || fail "TLS: the good kiosk did not connect or the bad one was not refused; see $work/tls-*.log"
    sleep 0.2
done
st=$(mosquitto_sub -h 127.0.0.1 -p "$tport" --cafile "$tls/ca.crt" -u kiosk -P "right-$$" \
     -t "metahall/$hall/tls-good/state" -C 1 -W 10) || fail "TLS: no state from tls-good"
grep -q '"kiosk":"tls-good"' <<<"$st" || fail "TLS: state '$st'"
kill -TERM "$tls_good_pid" "$tls_bad_pid"
echo "fleet: over TLS with a password the kiosk joins; a wrong password is refused ($(grep -o 'refused the connection: [^;]*' "$work/tls-bad.log" | head -1))"
echo "fleet: every check passed"
