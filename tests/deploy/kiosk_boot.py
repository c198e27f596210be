"""kiosk_boot.py - boots the arm64 kiosk image in qemu-system-aarch64 and
checks it as a hall's technician would (run by kiosk_boot_test.sh, which
builds the image and the host's reference frames).

The machine: -M virt, TCG (no KVM), cortex-a72, the kernel and initramfs
taken out of the image (no firmware), the image's disk copy-on-write
(snapshot=on), virtio-gpu-pci without virgl (Mesa's kms_swrast: llvmpipe
into dumb buffers), a virtio keyboard and tablet, user networking with the
kiosk's control port forwarded to 127.0.0.1:PORT (TCP and UDP), the serial
console to a file, the QEMU monitor and systemd's debug shell (kernel command
line systemd.debug_shell; the image puts it on the virtio console hvc0) on
Unix sockets.

Checks, in order: systemd reports metahall.service started (Type=notify: the
kiosk said READY=1 after its first frame) on the console, with SDL's KMSDRM
driver and no getty on any console; `metahall ctl STATUS` answers through
the forwarded port; `metahall ctl SCREENSHOT FILE` writes a PNG in the guest,
fetched over the debug shell, that shows the hall and matches the host's
reference render; QEMU's screendump of the virtio-gpu scanout (what the
screen shows) matches it too; SWITCH changes the exhibit (STATUS, and the
frame matches the host's reference for it); the state file
(/var/lib/metahall/state.json) names the switched exhibit; kill -9 of the
kiosk: systemd restarts it, it is READY again and comes back featuring the
switched exhibit; `metahall doctor` with the kiosk's configuration finds no
FAIL and sees the virtio-gpu card with its connected screen; a clean
poweroff.

--budget S bounds the whole run: every wait is cut to what is left of it, and
running out fails naming the step that was waiting ("over budget in step
..."). Prints the timings. Exit 0 pass, 1 fail."""
import argparse
import base64
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time

T0 = time.monotonic()
DEADLINE = None     # monotonic time the --budget runs out
STEP = "start"


def step(name):
    """Names what the run is doing now (for the over-budget message)."""
    global STEP
    STEP = name
    log(f"== {name}")


def left(timeout):
    """timeout, cut to what is left of the budget."""
    if DEADLINE is None:
        return timeout
    rest = DEADLINE - time.monotonic()
    if rest <= 0:
        raise Fail(f"over budget in step '{STEP}': the boot test's --budget ran out")
    return min(timeout, rest)


def over_budget(what):
    """The failure of a wait: names the step when the budget cut it short."""
    if DEADLINE is not None and time.monotonic() >= DEADLINE - 0.5:
        return f"over budget in step '{STEP}': {what}"
    return what


def now():
    return time.monotonic() - T0


def log(msg):
    print(f"[{now():7.1f} s] {msg}", flush=True)


class Fail(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Fail(what)
    log("ok: " + what)


class Console:
    """Follows the serial console file, remembering when each line arrived."""

    def __init__(self, path):
        self.path, self.lines, self.stop = path, [], False
        self.thread = threading.Thread(target=self.follow, daemon=True)
        self.thread.start()

    def follow(self):
        while not os.path.exists(self.path) and not self.stop:
            time.sleep(0.1)
        with open(self.path, "rb") as f:
            part = b""
            while not self.stop:
                data = f.read(65536)
                if not data:
                    time.sleep(0.1)
                    continue
                part += data
                *full, part = part.split(b"\n")
                for line in full:
                    self.lines.append((now(), line.decode("utf-8", "replace").rstrip("\r")))

    def wait_for(self, pattern, timeout, start=0):
        """(time, line, index) of the first line from index start matching pattern."""
        rx = re.compile(pattern)
        end = time.monotonic() + left(timeout)
        i = start
        while time.monotonic() < end:
            while i < len(self.lines):
                t, line = self.lines[i]
                if rx.search(line):
                    return t, line, i
                i += 1
            time.sleep(0.2)
        return None


class Shell:
    """systemd's debug shell (a root bash) on the guest's virtio console."""

    def __init__(self, path, timeout):
        end = time.monotonic() + left(timeout)
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(path)
                break
            except OSError:
                if time.monotonic() > end:
                    raise Fail(over_budget("the debug shell socket did not open"))
                time.sleep(0.5)
        self.buf = b""
        self.n = 0
        # the shell may not be running yet (it starts with the guest's
        # sysinit): knock until a marker comes back
        while True:
            self.sock.sendall(b"\nstty -echo; PS1=; PS2=; bind 'set enable-bracketed-paste off' 2>/dev/null;"
                              b" echo @@READY@@\n")
            try:
                self.read_until(b"@@READY@@", 5)
                break
            except Fail:
                if time.monotonic() > end:
                    raise Fail(over_budget("no debug shell on the guest's virtio console (systemd.debug_shell)"))
        self.read_until(b"\n", 5)

    def read_until(self, token, timeout):
        end = time.monotonic() + left(timeout)
        while token not in self.buf:
            rest = end - time.monotonic()
            if rest <= 0:
                raise Fail(over_budget(f"the guest shell gave no {token!r} in {timeout} s"))
            self.sock.settimeout(rest)
            try:
                data = self.sock.recv(1 << 16)
            except socket.timeout:
                continue
            if not data:
                raise Fail("the guest shell closed")
            self.buf += data
        head, _, self.buf = self.buf.partition(token)
        return head

    def run(self, cmd, timeout=60):
        """(exit status, output) of cmd in the guest."""
        self.n += 1
        mark = f"@@END{self.n}@@"
        # the mark is split in the command ("@@END1@""@"), so a console that
        # echoes the typed line does not show it before the command ran
        self.sock.sendall(f'{cmd}; echo "{mark[:-1]}""@$?@@"\n'.encode())
        out = self.read_until(mark.encode(), timeout)
        rc = int(self.read_until(b"@@", 5))
        # nothing but the command's output: no prompt, no terminal control sequences
        text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out.decode("utf-8", "replace"))
        return rc, text.replace("\r", "").strip("\n")

    def out(self, cmd, timeout=60):
        rc, out = self.run(cmd, timeout)
        if rc != 0:
            raise Fail(f"'{cmd}' failed in the guest ({rc}): {out}")
        return out


def monitor(path, command):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    s.settimeout(30)
    buf = b""
    while b"(qemu)" not in buf:
        buf += s.recv(4096)
    s.sendall(command.encode() + b"\n")
    buf = b""
    while buf.count(b"(qemu)") < 1:
        buf += s.recv(4096)
    s.close()


class Kiosk:
    def __init__(self, a):
        self.a = a

    def ctl(self, *words, timeout=60):
        timeout = max(1, int(left(timeout)))
        r = subprocess.run([self.a.ctl, "ctl", "--addr", f"127.0.0.1:{self.a.port}", "--token", self.a.token,
                            "--timeout", str(timeout), *words], capture_output=True, text=True, timeout=timeout + 30)
        return r.returncode, (r.stdout + r.stderr).strip()

    def status(self):
        rc, out = self.ctl("STATUS")
        if rc != 0 or not out.startswith("OK "):
            raise Fail(f"STATUS failed ({rc}): {out}")
        return json.loads(out[3:])


def unit(shell, *props):
    out = shell.out("systemctl show metahall.service -p " + ",".join(props))
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


def wait_active(shell, timeout, not_pid=None):
    """Waits until metahall.service is active (READY=1 sent) with a main
    process other than not_pid; returns its properties."""
    end = time.monotonic() + left(timeout)
    while True:
        u = unit(shell, "ActiveState", "SubState", "MainPID", "NRestarts", "StatusText")
        if u["ActiveState"] == "active" and u["SubState"] == "running" and u["MainPID"] not in ("0", not_pid):
            return u
        if time.monotonic() > end:
            raise Fail(over_budget(f"metahall.service is not active after {timeout} s: {u}"))
        time.sleep(1)


def fetch(shell, guest_path, host_path):
    data = shell.out(f"base64 -w0 {guest_path}", timeout=120)
    with open(host_path, "wb") as f:
        f.write(base64.b64decode(data))
    return os.path.getsize(host_path)


def compare(frame, like, unlike, name):
    """The frame shows the hall, is the host's reference render, and its stage
    is not the other exhibit's (tests/deploy/frame_check.py)."""
    here = os.path.dirname(os.path.abspath(__file__))
    r = subprocess.run([sys.executable, os.path.join(here, "frame_check.py"), frame, "--like", like,
                        "--unlike", unlike], capture_output=True, text=True)
    print((r.stdout + r.stderr).strip())
    check(r.returncode == 0, f"{name} shows the hall as the host renders it, with {os.path.basename(like)}'s exhibit")


def screenshot(a, k, shell, name):
    rc, out = k.ctl("SCREENSHOT", "FILE")   # into the kiosk's screenshot folder (a bare SCREENSHOT sends the bytes)
    check(rc == 0 and out.startswith("OK ") and out.endswith(".png"), f"SCREENSHOT FILE answers with a file name: {out}")
    found = shell.out(f"find /var/lib/metahall -name '{out[3:]}' -type f")
    check(found.count("\n") == 0 and found.endswith(out[3:]), f"the screenshot is in the guest: {found}")
    path = os.path.join(a.out, name + ".png")
    size = fetch(shell, found, path)
    log(f"fetched {found} over the debug shell: {size} bytes")
    return path


def screendump(a, name):
    path = os.path.join(a.out, name + ".png")
    if os.path.exists(path):
        os.unlink(path)
    monitor(a.monitor, f"screendump {path} -f png")
    end = time.monotonic() + 30
    while not os.path.exists(path) and time.monotonic() < end:
        time.sleep(0.2)
    check(os.path.exists(path), f"QEMU's screendump of the virtio-gpu scanout ({path})")
    return path


def run(a, qemu):
    con = Console(a.console)
    k = Kiosk(a)
    timings = {}

    # ---- boot: READY from systemd, on the console --------------------------------------
    step("boot to the first frame")
    hit = con.wait_for(r"metahall\[\d+\]: .*first frame presented", a.boot_timeout)
    if not hit:
        tail = "\n".join(line for _, line in con.lines[-40:])
        raise Fail(over_budget(f"no first frame {now():.0f} s after starting qemu") + f"; the console's end:\n{tail}")
    timings["boot_to_first_frame_s"] = round(hit[0], 1)
    log(f"first frame: {hit[1].strip()}")
    ready = con.wait_for(r"Started .*metahall\.service", 120)
    check(ready is not None, "the console says systemd started metahall.service (READY=1 after the first frame)")
    timings["boot_to_ready_s"] = round(ready[0], 1)

    step("the unit, the driver and the console")
    shell = Shell(a.shell, 120)
    log("the debug shell answers on hvc0")
    u = wait_active(shell, 60)
    if u["NRestarts"] != "0":  # say why: systemd's own lines on the earlier start's end
        why = shell.out("journalctl -b -u metahall.service -o short-monotonic --no-pager | "
                        "grep -E 'timed out|Failed with result|Main process exited|loaded in|first frame' | head -n 12")
        raise Fail(f"metahall.service active, running, never restarted: {u}; its journal:\n{why}")
    log(f"ok: metahall.service active, running, never restarted: {u}")
    journal = shell.out("journalctl -b -u metahall.service -o cat --no-pager")
    with open(os.path.join(a.out, "journal_boot.txt"), "w") as f:
        f.write(journal + "\n")
    drv = re.search(r"video driver (\S+)", journal)
    check(drv is not None and drv.group(1).rstrip(",") == "KMSDRM",
          f"SDL runs on KMS/DRM: {drv.group(0) if drv else 'no video driver line'}")
    gl = re.search(r"\[gl\](?: info)?: (.*)", journal)
    log("GL: " + (gl.group(1) if gl else "?"))
    check(gl is not None and "llvmpipe" in gl.group(1), "GL comes from Mesa's llvmpipe through kms_swrast (no virgl)")
    for line in journal.splitlines():
        if re.search(r"error|warn", line, re.I):
            log("journal: " + line)
    first = shell.out("journalctl -b -u metahall.service -o short-monotonic --no-pager | grep -m1 'first frame'")
    m = re.match(r"\[\s*([\d.]+)\]", first)
    timings["guest_kernel_to_first_frame_s"] = float(m.group(1)) if m else None
    timings["systemd_analyze"] = shell.out("systemd-analyze time | head -n 1")

    # the console is off: no getty anywhere, no virtual terminals from logind
    gettys = shell.out("systemctl list-units --no-legend --plain 'getty@*' 'serial-getty@*' 'autovt@*' "
                       "'console-getty*' | grep -v ' inactive ' || true")
    check(gettys == "", f"no login prompt on any console: {gettys or 'none running'}")
    logind = shell.out("systemd-analyze cat-config systemd/logind.conf | grep -E '^(NAutoVTs|ReserveVT)='")
    check("NAutoVTs=0" in logind and "ReserveVT=0" in logind, f"logind makes no virtual terminals: {logind!r}")

    # ---- the control port, forwarded to the host ---------------------------------------------
    step("the control port")
    rc, out = k.ctl("PING")
    check(rc == 0 and out == "OK PONG", f"metahall ctl PING through the forwarded port: {out}")
    st = k.status()
    log(f"STATUS: {json.dumps(st)}")
    check(st["exhibit"] == a.default_exhibit and st["frames"] > 0, f"STATUS features {a.default_exhibit}")

    # ---- what is on the screen ----------------------------------------------------------
    step("SCREENSHOT and the scanout")
    shot = screenshot(a, k, shell, "kiosk_default")
    compare(shot, a.ref_default, a.ref_switched, "the SCREENSHOT")
    dump = screendump(a, "screen_default")
    compare(dump, a.ref_default, a.ref_switched, "the virtio-gpu scanout")

    # ---- SWITCH --------------------------------------------------------------------------
    step("SWITCH")
    t = time.monotonic()
    rc, out = k.ctl("SWITCH", a.switch_to, timeout=120)
    timings["switch_s"] = round(time.monotonic() - t, 1)
    check(rc == 0 and out == f"OK featured {a.switch_to}", f"SWITCH {a.switch_to}: {out}")
    check(k.status()["exhibit"] == a.switch_to, f"STATUS features {a.switch_to}")
    time.sleep(2)    # past the 0.6 s crossfade at a few frames a second
    shot = screenshot(a, k, shell, "kiosk_switched")
    compare(shot, a.ref_switched, a.ref_default, "the SCREENSHOT after SWITCH")

    # ---- kill -9: systemd brings the kiosk back, in the switched exhibit ----------------------
    step("kill -9 and the restart")
    # the state file's writer thread has saved the switch (written atomically)
    end = time.monotonic() + left(30)
    while True:
        state = shell.out("cat /var/lib/metahall/state.json 2>/dev/null || true")
        try:
            saved = json.loads(state).get("exhibit")
        except ValueError:
            saved = None
        if saved == a.switch_to or time.monotonic() > end:
            break
        time.sleep(1)
    check(saved == a.switch_to, f"the state file names the switched exhibit: {state!r}")
    pid = u["MainPID"]
    t = time.monotonic()
    shell.out(f"kill -9 {pid}")
    log(f"kill -9 {pid}")
    u2 = wait_active(shell, a.restart_timeout, not_pid=pid)
    timings["kill9_to_ready_s"] = round(time.monotonic() - t, 1)
    check(u2["NRestarts"] == "1", f"systemd restarted it once and it is READY again: {u2}")
    st = k.status()
    timings["exhibit_after_kill9"] = st["exhibit"]
    log(f"after kill -9 it features {st['exhibit']} (switched to {a.switch_to} before)")
    check(st["exhibit"] == a.switch_to, f"it comes back in the switched exhibit {a.switch_to} (the state file)")
    journal = shell.out("journalctl -b -u metahall.service -o cat --no-pager | grep -m1 'restoring from' || true")
    check(a.switch_to in journal, f"the restarted kiosk says it restored the state: {journal}")

    # ---- metahall doctor on the kiosk, as an installer runs it --------------------------------------
    step("metahall doctor in the guest")
    t = time.monotonic()
    rc, report = shell.run("metahall doctor --config /etc/metahall/metahall.conf --state-dir /var/lib/metahall",
                           timeout=300)
    timings["doctor_s"] = round(time.monotonic() - t, 1)
    with open(os.path.join(a.out, "doctor.txt"), "w") as f:
        f.write(report + "\n")
    print(report)
    check(rc == 0 and report.rstrip().endswith("0 FAIL: ready"), f"metahall doctor finds nothing to FAIL (exit {rc})")
    # the card's device may be the virtio PCI function: then its driver reads virtio-pci
    check(re.search(r"^OK +kms +/dev/dri/card\d+ \((virtio_gpu|virtio-pci)\): .*connected \d+x\d+", report, re.M)
          is not None,
          "metahall doctor sees the virtio-gpu card and its connected screen")
    check(re.search(r"^OK +fonts ", report, re.M) and re.search(r"^(OK|WARN) +hall ", report, re.M),
          "metahall doctor: the packaged hall and its font")
    check(re.search(r"^WARN +control +0\.0\.0\.0:7700 is in use", report, re.M) is not None,
          "metahall doctor: the running kiosk holds the control port")

    # ---- a clean stop -------------------------------------------------------------------------
    step("poweroff")
    shell.sock.sendall(b"systemctl poweroff\n")
    t = time.monotonic()
    try:
        qemu.wait(timeout=left(120))
    except subprocess.TimeoutExpired:
        raise Fail(over_budget("the guest did not power off in 120 s"))
    timings["poweroff_s"] = round(time.monotonic() - t, 1)
    stopped = con.wait_for(r"Stopped .*metahall\.service", 1, start=0)
    check(stopped is not None, "metahall.service stopped at poweroff")
    con.stop = True
    return timings


def main():
    p = argparse.ArgumentParser()
    for opt in ("image", "kernel", "initrd", "cmdline", "out", "ctl", "token", "ref-default",
                "ref-switched", "switch-to", "default-exhibit"):
        p.add_argument("--" + opt, required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--size", default="640x360")
    p.add_argument("--smp", default="2")
    p.add_argument("--memory", default="1536")
    p.add_argument("--boot-timeout", type=int, default=600)
    p.add_argument("--restart-timeout", type=int, default=300)
    p.add_argument("--budget", type=float, help="seconds the whole run may take")
    a = p.parse_args()
    global DEADLINE
    if a.budget is not None:
        DEADLINE = time.monotonic() + a.budget
    os.makedirs(a.out, exist_ok=True)
    a.console = os.path.join(a.out, "console.log")
    a.monitor = os.path.join(a.out, "monitor.sock")
    a.shell = os.path.join(a.out, "shell.sock")
    for f in (a.console, a.monitor, a.shell):
        if os.path.exists(f):
            os.unlink(f)
    w, h = a.size.split("x")
    cmdline = open(a.cmdline).read().strip() + " systemd.debug_shell systemd.show_status=1" \
        " systemd.journald.forward_to_console=1"
    cmd = ["qemu-system-aarch64", "-M", "virt", "-accel", "tcg,thread=multi", "-cpu", "cortex-a72",
           "-smp", a.smp, "-m", a.memory, "-no-reboot", "-display", "none", "-nodefaults",
           "-kernel", a.kernel, "-initrd", a.initrd, "-append", cmdline,
           "-drive", f"file={a.image},format=raw,if=none,id=hd,snapshot=on", "-device", "virtio-blk-pci,drive=hd",
           "-device", f"virtio-gpu-pci,xres={w},yres={h}",
           "-device", "virtio-keyboard-pci", "-device", "virtio-tablet-pci",
           "-netdev", f"user,id=net,hostfwd=tcp:127.0.0.1:{a.port}-:7700,hostfwd=udp:127.0.0.1:{a.port}-:7700",
           "-device", "virtio-net-pci,netdev=net,romfile=",
           "-chardev", f"file,id=con,path={a.console}", "-serial", "chardev:con",
           "-monitor", f"unix:{a.monitor},server=on,wait=off",
           "-device", "virtio-serial-pci",
           "-chardev", f"socket,id=sh,path={a.shell},server=on,wait=off", "-device", "virtconsole,chardev=sh"]
    log("starting: " + " ".join(cmd))
    qemu = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
    ok = False
    try:
        timings = run(a, qemu)
        ok = True
    except Fail as e:
        log("FAIL: " + str(e))
    finally:
        if qemu.poll() is None:
            qemu.kill()
            qemu.wait()
    if ok:
        timings["whole_boot_test_s"] = round(now(), 1)
        with open(os.path.join(a.out, "timings.json"), "w") as f:
            json.dump(timings, f, indent=1)
        log("timings: " + json.dumps(timings))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
