"""hours.py - opening hours on a running kiosk: outside the schedule (or on
a holiday) it shows a dark closed screen at one frame a second and says so
in STATUS; WAKE opens it, SLEEP closes it again, and commands are answered
quickly while closed. The closed screen is looked at (dark, with text)."""
import datetime
import os
import subprocess
import time
import sys

from kiosk import BIN, EMU, Kiosk, check, workdir
import kiosk

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import mh_pngread  # noqa: E402

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def shot(k, name):
    out = os.path.join(k.work, name)
    r = subprocess.run(EMU + [BIN, "ctl", "--addr", "127.0.0.1:%d" % k.port, "--out", out, "SCREENSHOT"],
                       capture_output=True, text=True, timeout=60)
    check(r.returncode == 0, "SCREENSHOT --out: %r" % r.stderr)
    return mh_pngread.read(out)


def brightness(img):
    w, h, rows = img
    total = bright = 0
    for row in rows:
        for x in range(0, w * 4, 4):
            v = (row[x] + row[x + 1] + row[x + 2]) // 3
            total += v
            bright += v > 120
    return total / (w * h), bright


def main():
    work = workdir("control_hours")
    tomorrow = DAYS[(datetime.date.today().weekday() + 1) % 7]
    k = Kiosk(work, "h1", unix=False, args=["--hours", "%s 00:00-24:00" % tomorrow])
    try:
        st = k.status()
        check(st["hours"] == "closed" and st["hours_next"].endswith("T00:00"),
              "outside the schedule: closed, opening at midnight: %s %s" % (st["hours"], st["hours_next"]))
        t0 = time.time()
        check(k.ask("PING") == "OK PONG" and time.time() - t0 < 1.0, "a closed kiosk answers quickly")
        # frames drawn in 3 s: about one a second while closed, many more once open (relative, so that
        # a slow build, ASan, or a busy machine does not decide it)
        f0 = k.status()["frames"]
        time.sleep(3)
        closed_frames = k.status()["frames"] - f0
        check(1 <= closed_frames <= 4, "the closed screen is drawn about once a second (%d frames in 3 s)"
              % closed_frames)
        closed = shot(k, "closed.png")
        mean, bright = brightness(closed)
        check(mean < 35 and bright > 300, "the closed screen is dark with light text (mean %.1f, %d bright pixels)"
              % (mean, bright))
        r = k.ask("WAKE 5")
        check(r.startswith("OK open until "), "WAKE opens it: " + r)
        time.sleep(1.5)
        f0 = k.status()["frames"]
        time.sleep(3)
        st = k.status()
        check(st["hours"] == "open" and st["frames"] - f0 > 2 * closed_frames,
              "open again, drawing at its own rate (%d frames in 3 s)" % (st["frames"] - f0))
        mean_open, _ = brightness(shot(k, "woken.png"))
        check(mean_open > mean + 15, "the hall is shown again (mean %.1f against %.1f)" % (mean_open, mean))
        r = k.ask("SLEEP")
        check(r.startswith("OK closed until "), "SLEEP closes it until the next opening: " + r)
        time.sleep(1.5)
        check(k.status()["hours"] == "closed", "closed after SLEEP")
        check("closed: outside the opening hours" in k.log_text(), "the log says when it closes")
    finally:
        k.stop()

    # a holiday closes a day the schedule would open
    today = datetime.date.today().isoformat()
    k = Kiosk(work, "h2", unix=False, args=["--hours", "daily 00:00-24:00", "--holidays", today])
    try:
        st = k.status()
        check(st["hours"] == "closed", "closed on a holiday: %s" % st["hours"])
    finally:
        k.stop()
    # a bad schedule stops the kiosk with the reason
    r = subprocess.run(EMU + [BIN, "--platform", "headless", "--frames", "1", "--hours", "mon 9-18"],
                       capture_output=True, text=True, timeout=60)
    check(r.returncode == 1 and "opening hours: hours: \"9-18\" is not a span HH:MM-HH:MM" in r.stderr,
          "a bad schedule is refused with the reason: %r" % r.stderr)
    print("hours: %d checks passed" % kiosk.checks)


main()
