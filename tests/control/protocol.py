"""protocol.py - every control command over real sockets against a headless
kiosk, the bad ones too, a 10,000-command flood, a broken exhibit and a
broken hall, 150 loads asked for at once; the kiosk keeps rendering and
STATUS stays right throughout."""
import json
import os
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import mh_pngread  # noqa: E402
from kiosk import BIN, EMU, Kiosk, check, copy_hall, workdir
import kiosk

IDS = ["chengdu", "guizhou", "wuhan", "qiantang", "xuhui", "shanghai", "suzhou", "wuxi", "hefei", "huangpu",
       "xiamen", "tongzhou", "shandong"]  # booth order: hall.json's zones, one after the other


def png_size_and_colours(path, data=None):
    """Width, height and whether the image has more than a few colours: the
    PNG decoded whole (tests/tools/mh_pngread.py), its distinct pixel
    colours counted over every row."""
    data = data if data is not None else open(path, "rb").read()
    check(data[:8] == b"\x89PNG\r\n\x1a\n", path + " is a PNG")
    img = mh_pngread.read_bytes(data, path)
    return img[0], img[1], mh_pngread.stats(img)[0] > 16


def commands(k):
    check(k.ask("PING") == "OK PONG", "PING over TCP")
    check(k.udp("PING") == "OK PONG", "PING over UDP")
    u = k.connect_unix()
    check(u.ask("PING") == "OK PONG", "PING over the Unix socket")
    u.close()
    check(k.ask("ping").startswith("OK PONG"), "command words are case-insensitive")
    h = k.ask("HELP")
    check(h.startswith("OK commands: SWITCH") and all(w in h for w in ("AUTH <token>", "LIST", "STATS", "VOLUME",
          "WAKE", "SLEEP", "SCREENSHOT", "QUIT", "#ID")), "HELP lists every command, AUTH too: " + h)
    r = k.ask("LIST")
    check(r.startswith("OK {"), "LIST answers OK and JSON: " + r[:80])
    lst = json.loads(r[3:])
    check([x["id"] for x in lst["exhibits"]] == IDS and lst["count"] == 13, "LIST has the 13 ids in booth order")
    q = [x for x in lst["exhibits"] if x["id"] == "qiantang"][0]
    check(q["zh"] == "杭州钱塘区 元宇宙新天地" and q["en"] == "Hangzhou Qiantang Metaverse New World" and not q["featured"],
          "LIST names each exhibit in Chinese and English: %s" % q)
    check(lst["featured"] == "shanghai" and [x["id"] for x in lst["exhibits"] if x["featured"]] == ["shanghai"],
          "LIST says which one is featured")
    check(k.ask("#r1 PING") == "#r1 OK PONG", "a request id comes back before the reply")
    check(k.udp("#r2 STATUS").startswith('#r2 OK {"kiosk":"k1"'), "a request id over UDP")

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

    r = c.ask("#s1 SCREENSHOT")
    check(r.startswith("#s1 OK png "), "SCREENSHOT over TCP answers with the image: " + r)
    png = c.data(int(r.split()[3]))
    w, h, varied = png_size_and_colours("the SCREENSHOT reply", png)
    check((w, h) == (320, 180) and varied, "the returned image is a 320x180 picture, not one colour")
    r = c.ask("SCREENSHOT THUMB")
    png = c.data(int(r.split()[2]))
    check(png_size_and_colours("the thumbnail", png)[:2] == (320, 180), "SCREENSHOT THUMB: at most 320 wide")
    r = c.ask("SCREENSHOT FILE")
    check(r.startswith("OK metahall-k1-") and r.endswith(".png"), "SCREENSHOT FILE replies with a name: " + r)
    path = os.path.join(k.shots, r[3:])
    check(os.path.isfile(path), "the screenshot is in the configured folder: " + path)
    w, h, varied = png_size_and_colours(path)
    check((w, h) == (320, 180) and varied, "the screenshot is a 320x180 picture, not one colour")
    check(k.udp("SCREENSHOT").startswith("OK metahall-k1-"), "over UDP a bare SCREENSHOT writes a file")
    out = os.path.join(k.work, "ctl-shot.png")
    p = subprocess.run(EMU + [BIN, "ctl", "--addr", "127.0.0.1:%d" % k.port, "--out", out, "SCREENSHOT"],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 0 and p.stdout.startswith("OK png ") and png_size_and_colours(out)[:2] == (320, 180),
          "metahall ctl --out F.png SCREENSHOT saves the image: %r %r" % (p.stdout, p.stderr))

    check(c.ask("VOLUME 35") == "OK volume 35" and k.status()["volume"] == 35, "VOLUME")
    check(c.ask("RELOAD") == "OK reloaded", "RELOAD")
    st = k.status()
    check(st["exhibit"] == "qiantang" and st["last_error"] is None, "RELOAD keeps the featured exhibit: %s" % st)
    # RELOAD must not quietly end a running tour: it goes on at its stop
    check(c.ask("TOUR START") == "OK tour started", "TOUR START before RELOAD")
    time.sleep(0.5)
    check(c.ask("RELOAD") == "OK reloaded", "RELOAD during a tour")
    st = k.status()
    check(st["state"] == "tour" and st["tour_stop"] >= 1, "the tour goes on after RELOAD: %s" % st)
    check(c.ask("RESET") == "OK attract", "RESET again")
    c.close()


def bad_commands(k):
    c = k.connect()
    expect = [
        ("FLY me", "ERR 400 unknown command"),
        ("SWITCH", "ERR 400 SWITCH needs an argument"),
        ("SWITCH a b", "ERR 400 SWITCH takes one argument"),
        ("PING now", "ERR 400 PING takes no arguments"),
        ("SWITCH nowhere", "ERR 404 no exhibit \"nowhere\" in this hall (LIST shows this hall's exhibits)"),
        ("SWITCH qiantan", "ERR 404 no exhibit \"qiantan\" in this hall (did you mean qiantang?)"),
        ("SWITCH QIANTANG", "ERR 400 \"QIANTANG\" is not an exhibit id (1-31 of a-z, 0-9, _ and -) (did you mean qiantang?)"),
        ("SWITCH wuxii", "ERR 404 no exhibit \"wuxii\" in this hall (did you mean wuxi?)"),
        ("SWITCH ../x", "ERR 400 \"../x\" is not an exhibit id"),
        ("SWITCH ../../etc/passwd", "ERR 400 "),
        ("SWITCH Qiantang", "ERR 400 "),
        ("SWITCH qiantang/../..", "ERR 400 "),
        ("TOUR MAYBE", "ERR 400 TOUR takes START or STOP"),
        ("LANG fr", "ERR 400 LANG takes zh or en"),
        ("x" * 600, "ERR 413 line too long"),
        ("\t  ", "ERR 400 empty line (try HELP)"),
        ("", "ERR 400 empty line (try HELP)"),
        ("VOLUME loud", "ERR 400 VOLUME takes 0 to 100"),
    ]
    for line, want in expect:
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
    check(c.ask("SWITCH hefei") == "OK featured hefei" and k.status()["last_error"] is None,
          "a later successful SWITCH clears last_error")
    check(c.ask("SWITCH wuhan").startswith("ERR 422") and k.status()["last_error"], "last_error again")
    check(c.ask("SWITCH qiantang") == "OK featured qiantang", "back to qiantang")
    hall_json = os.path.join(hall, "hall.json")
    good = open(hall_json, "rb").read()
    open(hall_json, "wb").write(good[: len(good) // 2])
    r = c.ask("RELOAD")
    check(r.startswith("ERR 422 the hall failed to load, the old hall stays:") and "hall.json" in r,
          "a truncated hall.json gives ERR 422 naming it: " + r)
    check(k.status()["exhibit"] == "qiantang", "the old hall stays after a failed reload")
    open(hall_json, "wb").write(good)
    check(k.status()["last_error"] and "hall.json" in k.status()["last_error"], "last_error names hall.json")
    check(c.ask("RELOAD") == "OK reloaded", "RELOAD works again once the file is fixed")
    check(k.status()["last_error"] is None, "the successful RELOAD cleared last_error")
    check(c.ask("SWITCH xiamen") == "OK featured xiamen", "switching still works after the failures")
    c.close()


def many_loads(k):
    """150 SWITCHes asked for at once over UDP (and 8 TCP clients on top):
    every one is answered OK, 409 (superseded) or 503 (too many waiting);
    none is lost (the engine keeps 32 results, the commander collects each
    right away; 96 may wait)."""
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.settimeout(60)
    n = 150
    ids = [x for x in IDS if x != "wuhan"]   # broken() left wuhan's model broken
    for i in range(n):
        u.sendto(("#m%d SWITCH %s" % (i, ids[i % len(ids)])).encode(), ("127.0.0.1", k.port))
    conns = [k.connect() for _ in range(8)]
    for i, c in enumerate(conns):
        c.send("#t%d SWITCH %s\n" % (i, ids[(i * 3) % len(ids)]))
    got = {}
    while len(got) < n:
        data, _ = u.recvfrom(4096)
        r = data.decode()
        got[r.split()[0]] = r
    for c in conns:
        r = c.line()
        got[r.split()[0]] = r
        c.close()
    u.close()
    codes = {}
    for r in got.values():
        code = r.split()[2] if r.split()[1] == "ERR" else "OK"
        codes[code] = codes.get(code, 0) + 1
    check(len(got) == n + 8 and set(codes) <= {"OK", "409", "503"} and "500" not in codes,
          "every one of %d loads answered OK, 409 or 503, none lost: %s" % (n + 8, codes))
    check(codes.get("OK", 0) >= 1, "the last one is shown: %s" % codes)
    print("loads: %d asked at once -> %s" % (n + 8, codes))


def main():
    work = workdir("control_protocol")
    hall = copy_hall(work)
    k = Kiosk(work, "k1", hall=hall)
    try:
        commands(k)
        bad_commands(k)
        flood(k)
        broken(k, hall)
        many_loads(k)
        c = k.connect()
        check(c.ask("QUIT") == "OK quitting", "QUIT over TCP on loopback when no token is configured")
        c.close()
        check(k.proc.wait(30) == 0, "the kiosk exits 0 after QUIT")
        check("shutting down" in k.log_text(), "the kiosk logs its clean shutdown")
    finally:
        k.stop()
    # SIGTERM: a clean shutdown with status 0
    k2 = Kiosk(work, "k2", unix=False, args=["--screenshot-max-files", "2", "--screenshot-reply", "file"])
    check(k2.ask("PING") == "OK PONG", "second kiosk answers")
    # the screenshot folder's quota; screenshot-reply = file: a bare SCREENSHOT writes a file, as it used to
    shots = [k2.ask("SCREENSHOT") for _ in range(3)]
    check(shots[0].startswith("OK metahall-k2-") and shots[1].startswith("OK metahall-k2-"), "two files: %s" % shots)
    check(shots[2].startswith("ERR 507 the screenshot folder") and "quota is 2 files" in shots[2],
          "the third passes the quota: ERR 507: %s" % shots[2])
    check(sorted(os.listdir(k2.shots)) == sorted(x[3:] for x in shots[:2]), "only the two files are there")
    check("SCREENSHOT: the screenshot folder" in k2.log_text(), "the refusal is logged")
    check(k2.stop() == 0 and "shutting down" in k2.log_text(), "SIGTERM shuts the kiosk down cleanly, status 0")
    print("protocol: %d checks passed" % kiosk.checks)


main()
