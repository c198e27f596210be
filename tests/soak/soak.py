"""soak.py - the kiosk under hours of operator traffic, and every fault of
issue 15 injected while it runs, each with its expected outcome checked.

    python3 tests/soak/soak.py [--minutes M] [--out DIR] [--size WxH] [--json FILE]
    (or tests/soak/run.sh BUILD_DIR MINUTES: the same with the environment set)

Phases (one headless kiosk with a token, a state folder, a control port and,
when mosquitto is installed, a broker):
  1. soak: SWITCH after SWITCH (each waits for its reply), a RELOAD every 20
     switches, STATUS every second on a second connection, a UDP PING now
     and then; the kiosk's RSS and open descriptors sampled every 2 s. The
     growth is the least-squares slope after a warm-up, per 1000 switches
     and per hour.
  2. faults, while the traffic goes on; each expected outcome is written
     next to it below and checked:
       broken glTF (garbage, 16 duplicate scene roots), a FIFO as the model,
       a link out of the hall to /etc/passwd, a model declaring 67 million
       indices, a full disk for screenshots (a 160 KiB tmpfs when it can be
       mounted, else a file-size limit), wrong tokens, a flood of idle
       connections, a connection storm (the log stays short), a 1-byte UDP
       datagram, QUIT over MQTT without authority.
  3. kill -9 and restore: the exhibit, language and volume set before come
     back; the time from the kill to STATUS showing the exhibit (the first
     frame shows it: it loads before the first frame) is measured.
Descriptors after the faults must be back where they were; RSS must not
grow more than a bound per 1000 switches. A JSON report goes to --json.
Exit 0 when every check passed, 1 otherwise. Standard library only."""
import argparse
import json
import os
import resource
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "control"))
from kiosk import BIN, EMU, SRC, Kiosk, check, copy_hall, free_port, workdir  # noqa: E402
import kiosk  # noqa: E402

IDS = ["tongzhou", "qiantang", "huangpu", "xuhui", "shanghai", "wuhan", "hefei", "chengdu", "wuxi", "guizhou",
       "shandong", "xiamen", "suzhou"]
TOKEN = "soak-%d" % os.getpid()
results = []    # (fault, expected, outcome, ok)


def outcome(fault, expected, got, ok):
    results.append({"fault": fault, "expected": expected, "outcome": got, "ok": bool(ok)})
    print("%-28s %s\n%28s expected: %s\n%28s got:      %s" % (fault, "PASS" if ok else "FAIL", "", expected, "", got))
    sys.stdout.flush()


def glb(j, binary=b""):
    js = json.dumps(j, separators=(",", ":")).encode()
    js += b" " * (-len(js) % 4)
    binary += b"\0" * (-len(binary) % 4)
    total = 12 + 8 + len(js) + (8 + len(binary) if binary else 0)
    out = struct.pack("<III", 0x46546C67, 2, total) + struct.pack("<II", len(js), 0x4E4F534A) + js
    return out + (struct.pack("<II", len(binary), 0x004E4942) + binary if binary else b"")


def proc_rss_kb(pid):
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def proc_fds(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


def slope(xs, ys):
    n = len(xs)
    if n < 2:
        return 0.0
    mx, my = sum(xs) / n, sum(ys) / n
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den if den else 0.0


# ---- traffic ------------------------------------------------------------------------------

class Traffic(threading.Thread):
    """SWITCH after SWITCH, RELOAD every 20, STATUS every second; counts."""

    def __init__(self, k):
        super().__init__(daemon=True)
        self.k = k
        self.stop = threading.Event()
        self.hold = threading.Event()      # set: no new command (a fault needs the stage quiet)
        self.idle = threading.Event()      # set while held and no command is in flight
        self.switches = self.reloads = self.statuses = self.errors = 0
        self.bad = []
        self.lock = threading.Lock()

    def run(self):
        c = self.k.connect()
        s = self.k.connect()
        i, last_status = 0, 0
        while not self.stop.is_set():
            if self.hold.is_set():
                self.idle.set()
                time.sleep(0.05)
                continue
            self.idle.clear()
            try:
                if i % 20 == 19:
                    r = c.ask("RELOAD")
                    ok = r == "OK reloaded"
                    with self.lock:
                        self.reloads += ok
                else:
                    r = c.ask("SWITCH " + IDS[i % len(IDS)])
                    ok = r.startswith("OK featured") or r.startswith("ERR 422")   # a fault may break one on purpose
                    with self.lock:
                        self.switches += r.startswith("OK featured")
                if not ok:
                    with self.lock:
                        self.errors += 1
                        self.bad.append(r[:160])
                if time.time() - last_status >= 1:
                    st = s.ask("STATUS")
                    with self.lock:
                        self.statuses += st.startswith("OK {")
                    last_status = time.time()
                i += 1
            except (OSError, EOFError) as e:
                with self.lock:
                    self.errors += 1
                    self.bad.append("connection: %s" % e)
                time.sleep(0.5)
                try:
                    c, s = self.k.connect(), self.k.connect()
                except OSError:
                    pass
        c.close()
        s.close()


class Sampler(threading.Thread):
    def __init__(self, pid, traffic):
        super().__init__(daemon=True)
        self.pid, self.traffic = pid, traffic
        self.stop = threading.Event()
        self.samples = []   # (t, switches, rss_kb, fds)

    def run(self):
        t0 = time.time()
        while not self.stop.wait(2.0):
            try:
                self.samples.append((time.time() - t0, self.traffic.switches, proc_rss_kb(self.pid), proc_fds(self.pid)))
            except OSError:
                pass


# ---- the faults ---------------------------------------------------------------------------

def frames(k):
    return k.status()["frames"]


def fault_model(k, hall, exhibit, make, name, expected, must):
    """Replaces an exhibit's model with `make(path)`, SWITCHes to it, restores it."""
    path = os.path.join(os.path.dirname(os.path.dirname(hall)), "exhibits", exhibit, "landmark.glb")
    keep = path + ".keep"
    if k.status()["exhibit"] == exhibit:   # on the stage already: SWITCH would not load it
        k.ask("SWITCH shanghai")
    os.rename(path, keep)
    try:
        make(path)
        before_st = k.status()
        c = k.connect()
        t0 = time.time()
        r = c.ask("SWITCH " + exhibit)
        took = time.time() - t0
        c.close()
        st = k.status()
        ok = r.startswith("ERR 422") and must(r, st) and st["frames"] > before_st["frames"] and took < 5
        outcome(name, expected, "%s (%.2f s; stage %s; rss %.0f MB)" % (r[:150], took, st["exhibit"], st["rss_mb"]), ok)
    finally:
        if os.path.lexists(path):
            os.remove(path)
        os.rename(keep, path)


def faults_models(k, hall, traffic):
    # the operator's traffic holds off meanwhile (it would SWITCH to the broken exhibits too)
    traffic.hold.set()
    traffic.idle.wait(60)
    try:
        faults_models_held(k, hall)
    finally:
        traffic.hold.clear()


def faults_models_held(k, hall):
    fault_model(k, hall, "wuhan", lambda p: open(p, "wb").write(b"glTF\x02\x00\x00\x00garbage, not a GLB"),
                "broken glTF (garbage)", "ERR 422 naming landmark.glb; the old exhibit stays; frames go on",
                lambda r, st: "landmark.glb" in r and st["exhibit"] != "wuhan")
    dup = {"asset": {"version": "2.0"}, "nodes": [{}], "scenes": [{"nodes": [0] * 16}], "scene": 0}
    fault_model(k, hall, "hefei", lambda p: open(p, "wb").write(glb(dup)),
                "broken glTF (16 dup roots)", "ERR 422 (validated before it is walked, no memory error)",
                lambda r, st: "landmark.glb" in r)
    fault_model(k, hall, "chengdu", lambda p: os.mkfifo(p),
                "FIFO as the model", "ERR 422 at once (not a regular file), SWITCH does not hang",
                lambda r, st: "landmark.glb" in r)
    fault_model(k, hall, "wuxi", lambda p: os.symlink("/etc/passwd", p),
                "link to /etc/passwd", "ERR 422; no file content in the reply or STATUS",
                lambda r, st: "root:" not in r and "root:" not in json.dumps(st))
    huge = {"asset": {"version": "2.0"}, "buffers": [{"byteLength": 268435452}],
            "bufferViews": [{"buffer": 0, "byteLength": 268435452}],
            "accessors": [{"bufferView": 0, "componentType": 5125, "count": 67108863, "type": "SCALAR"},
                          {"componentType": 5126, "count": 3, "type": "VEC3", "min": [0, 0, 0], "max": [0, 0, 0]}],
            "meshes": [{"primitives": [{"attributes": {"POSITION": 1}, "indices": 0}]}], "nodes": [{"mesh": 0}],
            "scenes": [{"nodes": [0]}], "scene": 0}
    rss0 = k.status()["rss_mb"]
    fault_model(k, hall, "guizhou", lambda p: open(p, "wb").write(glb(huge)),
                "67M indices declared", "ERR 422 within 5 s from the declared counts; RSS grows < 50 MB",
                lambda r, st: st["rss_mb"] - rss0 < 50)


def png_complete(path):
    data = open(path, "rb").read()
    return data[:8] == b"\x89PNG\r\n\x1a\n" and data[-12:-4] == b"\0\0\0\0IEND"


def fault_disk(k, shots, how):
    c = k.connect()
    replies = [c.ask("SCREENSHOT FILE") for _ in range(8)]
    c.close()
    full = [r for r in replies if r.startswith("ERR 507")]
    names = sorted(os.listdir(shots))
    pngs = [n for n in names if n.endswith(".png")]
    temps = [n for n in names if n.startswith(".metahall-shot-")]
    complete = all(png_complete(os.path.join(shots, n)) for n in pngs)
    logged = "SCREENSHOT: no room" in k.log_text()
    ok = full and complete and not temps and logged and k.ask("PING") == "OK PONG"
    outcome("full disk for screenshots (%s)" % how,
            "ERR 507 and a log line once full; every PNG left is complete; no temporary file left",
            "%d OK, %d ERR 507 (%s); %d PNGs, all complete: %s; temp files: %d; logged: %s" %
            (len(replies) - len(full), len(full), full[0][:90] if full else "-", len(pngs), complete, len(temps), logged),
            ok)


def fault_tokens(k):
    """From another address: wrong tokens back off, the right one waits too; the operator elsewhere is fine."""
    port = k.port
    got = []
    for i in range(6):
        s = socket.socket()
        s.bind(("127.0.0.9", 0))
        s.connect(("127.0.0.1", port))
        f = s.makefile("rwb")
        for j in range(3):
            f.write(b"AUTH wrong-%d-%d\n" % (i, j))
            f.flush()
            line = f.readline().decode().strip()
            got.append(line)
            if not line:
                break
        s.close()
    s = socket.socket()
    s.bind(("127.0.0.9", 0))
    s.connect(("127.0.0.1", port))
    s.sendall(("AUTH %s\n" % TOKEN).encode())
    right = s.makefile().readline().strip()
    s.close()
    backed_off = [g for g in got if g.startswith("ERR 429 too many wrong tokens")]
    operator = k.ask("PING")
    ok = backed_off and right.startswith("ERR 429") and operator == "OK PONG"
    outcome("wrong tokens", "ERR 403, then ERR 429 with a growing wait (even for the right token); other "
            "addresses unaffected", "%d x 403, %d x 429; then the right token: %r; the operator: %r" %
            (sum(g.startswith("ERR 403") for g in got), len(backed_off), right[:70], operator), ok)


def connect_from(k, addr, timeout=2):
    s = socket.socket()
    s.bind((addr, 0))
    s.settimeout(timeout)
    s.connect(("127.0.0.1", k.port))
    return s


def fault_idle_flood(k):
    """20 idle connections from one address, then 16 from 16 addresses: operators still get in."""
    held, refused = [], 0
    for i in range(20):
        s = connect_from(k, "127.0.0.50")
        try:
            refused += s.recv(100).startswith(b"ERR 503 too many connections from your address")
        except socket.timeout:
            pass
        held.append(s)
    for s in held:
        s.close()
    time.sleep(0.5)
    idle = [connect_from(k, "127.0.0.%d" % (20 + i)) for i in range(16)]
    time.sleep(1.5)
    t0 = time.time()
    try:
        r = k.ask("PING")
    except (OSError, EOFError) as e:
        r = "connection failed: %s" % e
    took = time.time() - t0
    outcome("idle connection flood", "one address holds at most 8 connections before the token; with every slot "
            "taken by idle ones, an operator is still served (the idlest makes room)",
            "%d of 20 from one address refused; operator: %r in %.2f s" % (refused, r, took),
            r == "OK PONG" and refused == 12)
    fault_storm(k, idle)


def fault_storm(k, idle):
    """400 connections at once (the slots taken): the log stays short."""
    before = len(k.log_text().splitlines())
    for i in range(400):
        try:
            connect_from(k, "127.0.0.%d" % (60 + i % 4), 0.5).close()
        except OSError:
            pass
    for s in idle:
        s.close()
    time.sleep(1)
    warn = [l for l in k.log_text().splitlines()[before:] if "warning" in l]
    outcome("connection storm", "a handful of warning lines (rate-limited), not one per connection",
            "%d warning lines for 400 connections" % len(warn), len(warn) <= 20)


def fault_udp(k):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.settimeout(1)
    u.sendto(b"x", ("127.0.0.1", k.port))
    try:
        data = u.recvfrom(4096)[0]
    except socket.timeout:
        data = b""
    u.close()
    outcome("1-byte UDP datagram", "no reply longer than the datagram (here: none)", "%d bytes back" % len(data),
            len(data) <= 1)


def fault_mqtt(k, broker):
    if not broker:
        outcome("MQTT QUIT without authority", "ERR 403, the kiosk keeps running", "SKIPPED (no mosquitto)", True)
        return
    topic = "metahall/default/soak/reply"
    sub = subprocess.Popen(["mosquitto_sub", "-h", "127.0.0.1", "-p", str(broker), "-t", topic, "-C", "1", "-W", "15"],
                           stdout=subprocess.PIPE, text=True)
    time.sleep(0.5)
    subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", str(broker), "-t", "metahall/default/all/cmd", "-m", "QUIT"],
                   check=False)
    reply = (sub.communicate(timeout=20)[0] or "").strip()
    time.sleep(0.5)
    alive = k.proc.poll() is None and k.ask("PING") == "OK PONG"
    outcome("MQTT QUIT without authority", "ERR 403, the kiosk keeps running", "%r; running: %s" % (reply, alive),
            reply.startswith("ERR 403 QUIT is not allowed over MQTT") and alive)


def restore(work, k, args):
    """Sets an exhibit, language and volume; kill -9; a new kiosk comes back with them."""
    c = k.connect()
    c.ask("SWITCH xiamen")
    c.ask("LANG en")
    c.ask("VOLUME 55")
    c.close()
    time.sleep(0.5)   # the state file is written on its own thread
    t0 = time.time()
    k.proc.kill()
    k.proc.wait()
    seen = len(k.log_text())
    k2 = Kiosk(work, "soak", hall=k.hall, token=TOKEN, unix=False, state_dir=k.state_dir, args=args, wait=False,
               port=k.port)
    k2.hall = k.hall
    st, first = None, None
    while time.time() - t0 < 120:
        if first is None and "first frame presented" in k2.log_text()[seen:]:
            first = time.time() - t0
        try:
            st = k2.status()
            break
        except (OSError, EOFError):
            time.sleep(0.05)
    took = time.time() - t0
    while first is None and time.time() - t0 < 60:   # STATUS answers in the first frame, before it is presented
        if "first frame presented" in k2.log_text()[seen:]:
            first = time.time() - t0
        time.sleep(0.02)
    ok = st and st["exhibit"] == "xiamen" and st["language"] == "en" and st["volume"] == 55
    outcome("kill -9 and restore", "the exhibit, language and volume set before are back",
            "%s/%s/%s; first frame %.2f s and STATUS %.2f s after the kill (without a supervisor's delay)" %
            (st and st["exhibit"], st and st["language"], st and st["volume"], first or -1, took), ok)
    return k2, took, first


# ---- main ------------------------------------------------------------------------------------

def start_broker(work):
    mosq = os.environ.get("MH_MOSQUITTO", "/usr/sbin/mosquitto")
    if not os.access(mosq, os.X_OK) or not shutil.which("mosquitto_pub"):
        return None, None
    port = free_port()
    conf = os.path.join(work, "mosquitto.conf")
    with open(conf, "w") as f:
        f.write("listener %d 127.0.0.1\nallow_anonymous true\npersistence false\nuser %s\n" %
                (port, os.environ.get("USER") or "root"))
    p = subprocess.Popen([mosq, "-c", conf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    return p, port


def screenshot_folder(work):
    """A 160 KiB tmpfs when it can be mounted (root), else a file-size limit for the kiosk."""
    shots = os.path.join(work, "shots")
    os.makedirs(shots, exist_ok=True)
    if os.geteuid() == 0 and subprocess.run(["mount", "-t", "tmpfs", "-o", "size=160k", "tmpfs", shots],
                                            capture_output=True).returncode == 0:
        return shots, "a 160 KiB tmpfs", None
    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000))
    return shots, "a 20 kB file-size limit", limit


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=1.0, help="length of the soak phase (default 1)")
    ap.add_argument("--size", default="320x180")
    ap.add_argument("--json", help="write the report here")
    ap.add_argument("--max-growth-mb-per-1000", type=float, default=20.0)
    a = ap.parse_args()
    work = workdir("soak")
    hall = copy_hall(work)
    broker, bport = start_broker(work)
    shots, how, limit = screenshot_folder(work)
    token_file = os.path.join(work, "token")
    with open(token_file, "w") as f:
        f.write(TOKEN + "\n")
    os.chmod(token_file, 0o600)
    args = ["--size", a.size, "--token-file", token_file, "--screenshot-dir", shots]
    if bport:
        args += ["--mqtt", "127.0.0.1:%d" % bport, "--thumb-interval", "5"]
    k = Kiosk(work, "soak", hall=hall, unix=False, args=args, preexec=limit, log_pipe=limit is not None)
    k.token = TOKEN
    k.hall = hall
    report = {"minutes": a.minutes, "size": a.size}
    try:
        # 1. soak
        traffic = Traffic(k)
        sampler = Sampler(k.proc.pid, traffic)
        traffic.start()
        sampler.start()
        time.sleep(a.minutes * 60)
        # 2. faults, the traffic going on
        fds_before = proc_fds(k.proc.pid)
        faults_models(k, hall, traffic)
        fault_disk(k, shots, how)
        fault_tokens(k)
        fault_idle_flood(k)
        fault_udp(k)
        fault_mqtt(k, bport)
        time.sleep(3)
        fds_after = proc_fds(k.proc.pid)
        outcome("descriptors after the faults", "back where they were (within 3)",
                "%d before, %d after" % (fds_before, fds_after), abs(fds_after - fds_before) <= 3)
        traffic.stop.set()
        sampler.stop.set()
        traffic.join(60)
        sampler.join(5)
        # the soak's figures: after a warm-up (a fifth of the time, at least 20 s, and every exhibit
        # shown three times: the first loads grow the caches and the allocator's arenas)
        s = sampler.samples
        warm = [x for x in s if x[0] >= max(20.0, a.minutes * 60 * 0.2) and x[1] >= 3 * len(IDS) and
                x[0] <= a.minutes * 60]
        # RSS jumps for a moment during each RELOAD (two halls at once): the trend is that of the
        # lowest sample of each 30 s window
        windows = {}
        for x in warm:
            w = int(x[0] // 30)
            if w not in windows or x[2] < windows[w][2]:
                windows[w] = x
        base = [windows[w] for w in sorted(windows)]
        per_s = slope([x[0] for x in base], [x[2] for x in base]) / 1024.0
        per_switch = slope([x[1] for x in base], [x[2] for x in base]) / 1024.0
        trend = len(base) >= 3
        report.update({
            "switches": traffic.switches, "reloads": traffic.reloads, "statuses": traffic.statuses,
            "traffic_errors": traffic.errors, "traffic_bad": traffic.bad[:10],
            "rss_mb_start": s[0][2] / 1024.0 if s else 0, "rss_mb_end": s[-1][2] / 1024.0 if s else 0,
            "rss_mb_max": max(x[2] for x in s) / 1024.0 if s else 0,
            "rss_growth_mb_per_1000_switches": per_switch * 1000, "rss_growth_mb_per_hour": per_s * 3600,
            "fds_min": min(x[3] for x in s) if s else 0, "fds_max": max(x[3] for x in s) if s else 0,
            "fds_end": s[-1][3] if s else 0, "samples": len(s), "warm_samples": len(warm), "trend_windows": len(base),
            "rss_samples": [(round(x[0]), x[1], round(x[2] / 1024.0, 1), x[3]) for x in s[::max(1, len(s) // 60)]],
        })
        sanitized = bool(os.environ.get("ASAN_OPTIONS"))   # the sanitizers' own memory is not the kiosk's
        memory_ok = sanitized or (report["rss_growth_mb_per_1000_switches"] < a.max_growth_mb_per_1000 if trend
                                  else report["rss_mb_max"] - report["rss_mb_start"] < 80)
        outcome("soak", "every SWITCH/RELOAD/STATUS answered; RSS growth under %.0f MB per 1000 switches "
                "(a short run: under 80 MB in all)%s" % (a.max_growth_mb_per_1000, " [ASan: not judged]" if sanitized else ""),
                "%d switches, %d reloads, %d STATUS; %d unexpected replies; RSS %.1f -> %.1f MB (max %.1f), "
                "%s; descriptors %d-%d" %
                (traffic.switches, traffic.reloads, traffic.statuses, traffic.errors, report["rss_mb_start"],
                 report["rss_mb_end"], report["rss_mb_max"],
                 "%.2f MB/1000 switches, %.1f MB/h over %d windows" % (report["rss_growth_mb_per_1000_switches"],
                                                                     report["rss_growth_mb_per_hour"], len(base))
                 if trend else "too short for a trend", report["fds_min"], report["fds_max"]),
                traffic.errors == 0 and traffic.switches > 0 and memory_ok)
        # 3. kill -9 and restore
        k2, took, first = restore(work, k, args)
        k = k2
        report["restore_s"] = took
        report["restore_first_frame_s"] = first
    finally:
        try:
            k.stop()
        except Exception:
            pass
        if broker:
            broker.terminate()
            broker.wait(10)
        subprocess.run(["umount", shots], capture_output=True)
    report["faults"] = results
    if a.json:
        with open(a.json, "w") as f:
            json.dump(report, f, indent=1)
    failed = [r["fault"] for r in results if not r["ok"]]
    print("soak: %d checks, %d failed%s" % (len(results), len(failed), (": " + ", ".join(failed)) if failed else ""))
    return 1 if failed else 0


sys.exit(main())
