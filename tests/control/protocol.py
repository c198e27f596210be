"""protocol.py - every control command over real sockets against a headless
kiosk, the bad ones too, a 10,000-command flood, a broken exhibit and a
broken hall; the kiosk keeps rendering and STATUS stays right throughout."""
import os
import struct
import time
import zlib

from kiosk import Kiosk, check, copy_hall, workdir
import kiosk

IDS = ["tongzhou", "qiantang", "huangpu", "xuhui", "shanghai", "wuhan", "hefei", "chengdu", "wuxi", "guizhou",
       "shandong", "xiamen", "suzhou"]  # booth order in hall.json


def png_size_and_colours(path):
    """Width, height and whether the image has more than one colour (decodes
    the IDAT stream of an 8-bit RGBA/RGB PNG enough to look at its bytes)."""
    data = open(path, "rb").read()
    check(data[:8] == b"\x89PNG\r\n\x1a\n", path + " is a PNG")
    w, h = struct.unpack(">II", data[16:24])
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + n]
        pos += 12 + n
    raw = zlib.decompress(idat)
    return w, h, len(set(raw[1:4000:4])) > 4


def commands(k):
    check(k.ask("PING") == "OK PONG", "PING over TCP")
    check(k.udp("PING") == "OK PONG", "PING over UDP")
    u = k.connect_unix()
    check(u.ask("PING") == "OK PONG", "PING over the Unix socket")
    u.close()
    check(k.ask("ping").startswith("OK PONG"), "command words are case-insensitive")
    check(k.ask("HELP").startswith("OK commands: SWITCH"), "HELP lists the commands")

    st = k.status()
    for key in ("kiosk", "hall", "exhibit", "state", "language", "fps", "frame_ms_p50", "frame_ms_p99",
                "rss_mb", "uptime_s", "last_error"):
        check(key in st, "STATUS has " + key)
    check(st["kiosk"] == "k1" and st["hall"] == "default", "STATUS names the kiosk and hall: %s" % st)
    check(st["exhibit"] == "shanghai" and st["state"] == "explore" and st["language"] == "zh",
          "a fresh kiosk features shanghai, explore, zh: %s" % st)
    check(st["last_error"] is None and st["fps"] > 0 and st["rss_mb"] > 10, "STATUS figures: %s" % st)

    c = k.connect()
    check(c.ask("SWITCH qiantang") == "OK featured qiantang", "SWITCH qiantang")
    check(k.status()["exhibit"] == "qiantang", "STATUS shows the switched exhibit")
    nxt = IDS[(IDS.index("qiantang") + 1) % len(IDS)]
    check(c.ask("NEXT") == "OK featured " + nxt, "NEXT goes to the next booth's exhibit")
    check(c.ask("PREV") == "OK featured qiantang", "PREV goes back")
    check(c.ask("SWITCH qiantang") == "OK featured qiantang", "SWITCH to what is shown is OK at once")
    check(c.ask("TOUR START") == "OK tour started" and k.status()["state"] == "tour", "TOUR START")
    check(c.ask("tour stop") == "OK tour stopped" and k.status()["state"] == "explore", "TOUR STOP")
    check(c.ask("LANG en") == "OK language en" and k.status()["language"] == "en", "LANG en")
    check(c.ask("LANG zh") == "OK language zh" and k.status()["language"] == "zh", "LANG zh")
    check(c.ask("RESET") == "OK attract" and k.status()["state"] == "attract", "RESET -> attract mode")

    r = c.ask("SCREENSHOT")
    check(r.startswith("OK metahall-k1-") and r.endswith(".png"), "SCREENSHOT replies with a name: " + r)
    path = os.path.join(k.shots, r[3:])
    check(os.path.isfile(path), "the screenshot is in the configured folder: " + path)
    w, h, varied = png_size_and_colours(path)
    check((w, h) == (320, 180) and varied, "the screenshot is a 320x180 picture, not one colour")

    check(c.ask("RELOAD") == "OK reloaded", "RELOAD")
    st = k.status()
    check(st["exhibit"] == "qiantang" and st["last_error"] is None, "RELOAD keeps the featured exhibit: %s" % st)
    check(c.ask("QUIT").startswith("ERR 403 "), "QUIT without the token is refused")
    c.close()


def bad_commands(k):
    c = k.connect()
    expect = [
        ("FLY me", "ERR 400 unknown command"),
        ("SWITCH", "ERR 400 SWITCH needs an argument"),
        ("SWITCH a b", "ERR 400 SWITCH takes one argument"),
        ("PING now", "ERR 400 PING takes no arguments"),
        ("SWITCH nowhere", "ERR 404 no exhibit \"nowhere\""),
        ("SWITCH ../x", "ERR 400 \"../x\" is not an exhibit id"),
        ("SWITCH ../../etc/passwd", "ERR 400 "),
        ("SWITCH Qiantang", "ERR 400 "),
        ("SWITCH qiantang/../..", "ERR 400 "),
        ("TOUR MAYBE", "ERR 400 TOUR takes START or STOP"),
        ("LANG fr", "ERR 400 LANG takes zh or en"),
        ("x" * 600, "ERR 413 line too long"),
        ("\t  ", None),
    ]
    for line, want in expect:
        if want is None:
            c.send(line + "\n")   # a blank line gets no reply: the next PING's reply comes first
            check(c.ask("PING") == "OK PONG", "a blank line is ignored")
            continue
        r = c.ask(line)
        check(r.startswith(want), "%r -> %r, expected %r" % (line[:40], r, want))
    c.send(b"SWITCH \xff\xfe\n")
    check(c.line().startswith("ERR 400 the line is not valid UTF-8"), "invalid UTF-8 is refused")
    c.send(b"PI\x00NG\n")
    check(c.line().startswith("ERR 400 "), "a NUL byte is refused")
    c.send("SWITCH 千岛湖\n".encode())
    check(c.line().startswith("ERR 400 "), "a Chinese id is not an exhibit id")
    # binary garbage: every reply is an ERR, nothing else, and the link still works
    garbage = os.urandom(20000).replace(b"\n", b"\x00") + b"\n"
    c.send(garbage + b"PING\n")
    r = c.line()
    while r != "OK PONG":
        check(r.startswith("ERR "), "garbage gets ERR replies, got %r" % r[:60])
        r = c.line()
    check(k.udp(os.urandom(300)).startswith("ERR "), "a garbage datagram gets an ERR")
    c.close()
    st = k.status()
    check(st["exhibit"] == "qiantang" and st["state"] == "attract", "STATUS unchanged by bad commands: %s" % st)


def flood(k):
    """10,000 commands as fast as one client can send them."""
    before = k.status()
    c = k.connect()
    n = 10000
    t0 = time.time()
    c.send("PING\n" * n)
    ok = limited = 0
    for _ in range(n):
        r = c.line()
        if r == "OK PONG":
            ok += 1
        elif r.startswith("ERR 429 rate limit"):
            limited += 1
        else:
            check(False, "unexpected reply in the flood: %r" % r)
    secs = time.time() - t0
    c.close()
    after = k.status()
    check(ok + limited == n and ok >= 500, "every flood command answered (%d OK, %d rate-limited)" % (ok, limited))
    check(after["frames"] > before["frames"] + 5, "the kiosk kept rendering during the flood")
    check(after["exhibit"] == before["exhibit"] and after["state"] == before["state"], "STATUS unchanged by the flood")
    print("flood: %d commands answered in %.2f s (%d OK, %d rate-limited); frames %d -> %d"
          % (n, secs, ok, limited, before["frames"], after["frames"]))


def broken(k, hall):
    """A broken landmark model and a broken hall.json: ERR 422, the old stays."""
    exhibits = os.path.join(os.path.dirname(os.path.dirname(hall)), "exhibits")
    with open(os.path.join(exhibits, "wuhan", "landmark.glb"), "wb") as f:
        f.write(b"glTF\x02\x00\x00\x00garbage that is not a GLB at all")
    c = k.connect()
    r = c.ask("SWITCH wuhan")
    check(r.startswith("ERR 422 exhibit wuhan failed to load, the current exhibit stays:") and "landmark.glb" in r,
          "a broken model gives ERR 422 naming the file: " + r)
    st = k.status()
    check(st["exhibit"] == "qiantang", "the old exhibit stays after a failed switch: %s" % st)
    check(st["last_error"] and "wuhan" in st["last_error"], "STATUS reports the last error: %s" % st)
    hall_json = os.path.join(hall, "hall.json")
    good = open(hall_json, "rb").read()
    open(hall_json, "wb").write(good[: len(good) // 2])
    r = c.ask("RELOAD")
    check(r.startswith("ERR 422 the hall failed to load, the old hall stays:") and "hall.json" in r,
          "a truncated hall.json gives ERR 422 naming it: " + r)
    check(k.status()["exhibit"] == "qiantang", "the old hall stays after a failed reload")
    open(hall_json, "wb").write(good)
    check(c.ask("RELOAD") == "OK reloaded", "RELOAD works again once the file is fixed")
    check(c.ask("SWITCH xiamen") == "OK featured xiamen", "switching still works after the failures")
    c.close()


def main():
    work = workdir("control_protocol")
    hall = copy_hall(work)
    k = Kiosk(work, "k1", hall=hall)
    try:
        commands(k)
        bad_commands(k)
        flood(k)
        broken(k, hall)
        u = k.connect_unix()
        check(u.ask("QUIT") == "OK quitting", "QUIT over the Unix socket (authenticated by its mode)")
        u.close()
        check(k.proc.wait(30) == 0, "the kiosk exits 0 after QUIT")
        check("shutting down" in k.log_text(), "the kiosk logs its clean shutdown")
    finally:
        k.stop()
    # SIGTERM: a clean shutdown with status 0
    k2 = Kiosk(work, "k2", unix=False)
    check(k2.ask("PING") == "OK PONG", "second kiosk answers")
    check(k2.stop() == 0 and "shutting down" in k2.log_text(), "SIGTERM shuts the kiosk down cleanly, status 0")
    print("protocol: %d checks passed" % kiosk.checks)


main()
