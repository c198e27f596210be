"""auth.py - a kiosk bound beyond loopback needs its token: without it every
command is refused over TCP and UDP; with it everything works, QUIT too.
Binding beyond loopback without a token does not start at all. The token
comes from a file or the environment and never shows in /proc/PID/cmdline
(given with --token anyway, it is wiped from there with a warning). A UDP
sender without the token never gets more bytes back than it sent."""
import os
import socket
import subprocess

from kiosk import BIN, EMU, Kiosk, check, free_port, workdir
import kiosk

TOKEN = "hall-7-secret"


def main():
    work = workdir("control_auth")
    port = free_port()
    r = subprocess.run(EMU + [BIN, "--platform", "headless", "--size", "64x64", "--control", "0.0.0.0:%d" % port],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    check(r.returncode == 1 and "0.0.0.0:%d" % port in r.stderr and "token" in r.stderr,
          "binding 0.0.0.0 without a token fails naming the address and the token: %r" % r.stderr[-300:])
    r = subprocess.run(EMU + [BIN, "--platform", "headless", "--frames", "1", "--token-file", "/nonexistent/token"],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    check(r.returncode == 2 and "/nonexistent/token: cannot read the token file" in r.stderr,
          "an unreadable token file stops the kiosk with the reason: %r" % r.stderr[-200:])

    # the token from a file: not on the command line
    token_file = os.path.join(work, "token")
    with open(token_file, "w") as f:
        f.write(TOKEN + "\n")
    os.chmod(token_file, 0o600)
    k = Kiosk(work, "secure", bind="0.0.0.0", unix=False, args=["--token-file", token_file])
    k.token = TOKEN
    cmdline = open("/proc/%d/cmdline" % k.proc.pid, "rb").read()
    check(TOKEN.encode() not in cmdline, "the token is not in /proc/PID/cmdline")
    try:
        c = k.connect(auth=False)
        for line in ("PING", "STATUS", "SWITCH qiantang", "QUIT", "LANG en"):
            r = c.ask(line)
            check(r.startswith("ERR 401 "), "%s without the token is refused: %r" % (line, r))
        check(c.ask("AUTH wrong").startswith("ERR 403 wrong token"), "a wrong token is refused")
        check(c.ask("AUTH " + TOKEN) == "OK authenticated", "the right token is accepted")
        check(c.ask("SWITCH qiantang") == "OK featured qiantang", "commands work after AUTH")
        c.close()
        check(k.udp("SWITCH xiamen") == "ERR 401", "a UDP datagram without the token: ERR 401, cut to its size")
        check(k.udp("AUTH nope SWITCH xiamen") == "ERR 403 wrong token", "a UDP datagram with a wrong token (fits)")
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.settimeout(1)
        u.sendto(b"x", ("127.0.0.1", k.port))
        try:
            extra = u.recvfrom(4096)[0]
        except socket.timeout:
            extra = b""
        u.close()
        check(extra == b"", "a 1-byte datagram gets no reply (it got %d bytes before): %r" % (45, extra))
        check(k.udp("AUTH %s STATUS" % TOKEN).startswith('OK {"kiosk":"secure"'), "UDP with the token prefix works")
        st = k.status()
        check(st["exhibit"] == "qiantang" and st["language"] == "zh", "refused commands changed nothing: %s" % st)
        ctl = EMU + [BIN, "ctl", "--addr", "127.0.0.1:%d" % k.port]
        r = subprocess.run(ctl + ["STATUS"], capture_output=True, text=True, timeout=60)
        check(r.returncode == 1 and r.stdout.startswith("ERR 401"), "metahall ctl without --token: ERR 401, exit 1")
        r = subprocess.run(ctl + ["--token", TOKEN, "SWITCH", "xiamen"], capture_output=True, text=True, timeout=60)
        check(r.returncode == 0 and r.stdout.strip() == "OK featured xiamen", "metahall ctl --token switches: %r" % r.stdout)
        r = subprocess.run(ctl + ["--token", TOKEN, "QUIT"], capture_output=True, text=True, timeout=60)
        check(r.returncode == 0 and r.stdout.strip() == "OK quitting", "QUIT with the token")
        check(k.proc.wait(30) == 0, "the kiosk exits 0 after an authorised QUIT")
        check("wrong token" in k.log_text(), "refused tokens are logged")
    finally:
        k.stop()

    # the token from the environment, and --token on the command line: wiped, with a warning
    env = dict(os.environ, METAHALL_TOKEN=TOKEN)
    k2 = Kiosk(work, "env", bind="0.0.0.0", unix=False, env=env)
    k2.token = TOKEN
    try:
        check(k2.ask("PING") == "OK PONG", "METAHALL_TOKEN sets the kiosk's token")
    finally:
        k2.stop()
    k3 = Kiosk(work, "argv", bind="0.0.0.0", unix=False, token=TOKEN)
    try:
        cmdline = open("/proc/%d/cmdline" % k3.proc.pid, "rb").read()
        check(TOKEN.encode() not in cmdline, "--token's value is wiped from /proc/PID/cmdline")
        check("--token on the command line can be seen by every user" in k3.log_text(), "--token gives a warning")
        check(k3.ask("PING") == "OK PONG", "the kiosk still knows the token")
    finally:
        k3.stop()
    print("auth: %d checks passed" % kiosk.checks)


main()
