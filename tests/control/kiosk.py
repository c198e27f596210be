"""kiosk.py - shared helpers for the control tests: start a headless kiosk,
talk to it over TCP, UDP and the Unix socket, read STATUS, stop it.

Used by tests/control/*.py, which tests/control_test.sh runs. Standard
library only."""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

BIN = os.environ["MH_BIN"]
SRC = os.environ["MH_SRC"]
OUT = os.environ["MH_OUT"]
EMU = os.environ.get("MH_EMULATOR", "").split()

checks = 0


def check(cond, what):
    """One assertion: counts it, or fails the test with what went wrong."""
    global checks
    checks += 1
    if not cond:
        print("FAIL: " + what, file=sys.stderr)
        sys.exit(1)


def free_port():
    """A port free for both TCP and UDP on 127.0.0.1 (as far as can be told)."""
    for _ in range(50):
        t = socket.socket()
        t.bind(("127.0.0.1", 0))
        port = t.getsockname()[1]
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            u.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue
        finally:
            u.close()
            t.close()
    raise RuntimeError("no free port")


def copy_hall(work):
    """A private copy of the default hall and its exhibits (tests break files in it)."""
    root = os.path.join(work, "assets")
    shutil.copytree(os.path.join(SRC, "assets", "halls"), os.path.join(root, "halls"))
    shutil.copytree(os.path.join(SRC, "assets", "exhibits"), os.path.join(root, "exhibits"))
    return os.path.join(root, "halls", "default")


class Kiosk:
    """A headless kiosk process with its control port."""

    def __init__(self, work, name, args=(), port=None, hall=None, token=None, bind="127.0.0.1", unix=True,
                 wait=True, state_dir=None, env=None, preexec=None, log_pipe=False):
        self.work = work
        self.port = port or free_port()
        self.token = token
        self.unix = os.path.join(work, name + ".sock") if unix else None
        self.log_path = os.path.join(work, name + ".log")
        self.shots = os.path.join(work, name + "-shots")
        # each kiosk keeps its state (exhibit, language, volume, statistics) in the test's folder
        self.state_dir = state_dir or os.path.join(work, name + "-state")
        cmd = EMU + [BIN, "--platform", "headless", "--size", "320x180", "--idle-timeout", "0",
                     "--kiosk-id", name, "--control", "%s:%d" % (bind, self.port),
                     "--screenshot-dir", self.shots, "--state-dir", self.state_dir]
        if hall:
            cmd += ["--hall", hall]
        if self.unix:
            cmd += ["--control-unix", self.unix]
        if token:
            cmd += ["--token", token]
        cmd += list(args)
        self.cmd = cmd
        self.log = open(self.log_path, "a")
        self.started = time.time()
        # log_pipe: the log through a pipe (a kiosk under a file-size limit could not write its own log file)
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE if log_pipe else self.log,
                                     stderr=subprocess.STDOUT, env=env, preexec_fn=preexec)
        if log_pipe:
            threading.Thread(target=self._copy_log, daemon=True).start()
        if wait:
            self.wait_ready()

    def _copy_log(self):
        for chunk in iter(lambda: self.proc.stdout.read1(65536), b""):
            self.log.write(chunk.decode("utf-8", "replace"))
            self.log.flush()

    def wait_ready(self, timeout=60):
        end = time.time() + timeout
        while time.time() < end:
            if self.proc.poll() is not None:
                raise RuntimeError("kiosk exited with %d:\n%s" % (self.proc.returncode, self.log_text()))
            if "first frame presented" in self.log_text():
                return
            time.sleep(0.1)
        raise RuntimeError("kiosk did not start within %d s:\n%s" % (timeout, self.log_text()))

    def log_text(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def connect(self, auth=True):
        s = socket.create_connection(("127.0.0.1", self.port), timeout=30)
        c = Conn(s)
        if auth and self.token:
            check(c.ask("AUTH " + self.token) == "OK authenticated", "AUTH with the right token")
        return c

    def connect_unix(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(30)
        s.connect(self.unix)
        return Conn(s)

    def ask(self, line):
        c = self.connect()
        try:
            return c.ask(line)
        finally:
            c.close()

    def udp(self, payload, timeout=10):
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.settimeout(timeout)
        try:
            u.sendto(payload if isinstance(payload, bytes) else payload.encode(), ("127.0.0.1", self.port))
            data, _ = u.recvfrom(4096)
            return data.decode("utf-8", "replace").rstrip("\n")
        finally:
            u.close()

    def status(self):
        r = self.ask("STATUS")
        check(r.startswith("OK {"), "STATUS answers OK and JSON: " + r)
        return json.loads(r[3:])

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()


class Conn:
    """One TCP or Unix connection: send lines, read reply lines."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def send(self, data):
        self.sock.sendall(data if isinstance(data, bytes) else data.encode())

    def line(self):
        while b"\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("connection closed; got so far: %r" % self.buf[:200])
            self.buf += chunk
        line, _, self.buf = self.buf.partition(b"\n")
        return line.decode("utf-8", "replace")

    def data(self, n):
        """The n bytes that follow a reply line (SCREENSHOT's PNG)."""
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("connection closed after %d of %d bytes" % (len(self.buf), n))
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def ask(self, line):
        self.send(line + "\n")
        return self.line()

    def close(self):
        self.sock.close()


def workdir(name):
    path = os.path.join(OUT, name)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def wait_for(pred, timeout, what):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return True
        time.sleep(0.05)
    check(False, "timed out waiting for " + what)
