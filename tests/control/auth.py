"""auth.py - a kiosk bound beyond loopback needs its token: without it every
command is refused over TCP and UDP; with it everything works, QUIT too.
Binding beyond loopback without a token does not start at all."""
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

    k = Kiosk(work, "secure", bind="0.0.0.0", token=TOKEN, unix=False)
    try:
        c = k.connect(auth=False)
        for line in ("PING", "STATUS", "SWITCH qiantang", "QUIT", "LANG en"):
            r = c.ask(line)
            check(r.startswith("ERR 401 "), "%s without the token is refused: %r" % (line, r))
        check(c.ask("AUTH wrong").startswith("ERR 403 wrong token"), "a wrong token is refused")
        check(c.ask("AUTH " + TOKEN) == "OK authenticated", "the right token is accepted")
        check(c.ask("SWITCH qiantang") == "OK featured qiantang", "commands work after AUTH")
        c.close()
        check(k.udp("SWITCH xiamen").startswith("ERR 401 "), "a UDP datagram without the token is refused")
        check(k.udp("AUTH nope SWITCH xiamen").startswith("ERR 403 "), "a UDP datagram with a wrong token is refused")
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
    print("auth: %d checks passed" % kiosk.checks)


main()
