"""visitors.py - visitor statistics end to end: a scripted visitor opens
Qiantang's panel, switches to English, goes back, takes the whole guided
tour, lets the kiosk fall into attract mode and wakes it. The statistics
written when the kiosk stops must count exactly that (per booth: visits,
panels, pages, languages; the tour started and completed; one wake-up);
a kiosk started again on the same state folder answers STATS today with
the same numbers (read back from the file), and nothing in it names a
visitor."""
import json
import os
import subprocess
import time

from kiosk import BIN, EMU, Kiosk, check, workdir
import kiosk

SCRIPT = """
wait 2
click 237 190
wait 60
expect at booth:qiantang
expect panel qiantang
key lang
wait 2
key home
wait 40
expect at entrance
key tour
wait 30
expect mode tour
""" + "key next\nwait 40\n" * 14 + """
expect tour_stop 15
key next
wait 5
expect mode explore
seconds 3
expect mode attract
tap 320 180
wait 20
expect mode explore
"""

TOUR = ["stage", "tongzhou", "qiantang", "huangpu", "xuhui", "shanghai", "wuhan", "hefei", "chengdu", "wuxi",
        "guizhou", "shandong", "xiamen", "suzhou"]


def merged(lines):
    """The hours' counts summed (a visit that crossed the hour is in two
    lines); the per-booth counts too."""
    s = dict(lines[0])
    s["booths"] = {}
    for key in ("visits", "panels", "pages", "tour_starts", "tour_completions", "wakeups"):
        s[key] = sum(l[key] for l in lines)
    for l in lines:
        for booth, counts in l["booths"].items():
            into = s["booths"].setdefault(booth, {})
            for key, value in counts.items():
                into[key] = into.get(key, 0) + value
    return s


def main():
    work = workdir("control_visitors")
    state = os.path.join(work, "state")
    script = os.path.join(work, "visit.txt")
    with open(script, "w") as f:
        f.write(SCRIPT)
    started = time.localtime()
    r = subprocess.run(EMU + [BIN, "--platform", "headless", "--size", "640x360", "--idle-timeout", "2", "-q",
                              "--kiosk-id", "v1", "--state-dir", state, "--script", script],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600)
    check(r.returncode == 0, "the scripted visit ran: %s" % r.stderr[-600:])
    ended = time.localtime()
    lines = [json.loads(l) for l in open(os.path.join(state, "stats.jsonl"))]
    # a run that crossed the hour writes the finished hour too (when anything was counted in it)
    hours = (1,) if started[:4] == ended[:4] else (1, 2)
    check(len(lines) in hours and lines[-1].get("partial") is True and
          all("partial" not in l for l in lines[:-1]) and
          all(l["kiosk"] == "v1" for l in lines), "one line an hour, the last partial: %s" % lines)
    s = merged(lines)
    b = s["booths"]
    check(b["qiantang"]["visits"] == 2 and b["qiantang"]["panels"] == 2 and b["qiantang"]["pages"] == 2,
          "Qiantang: visited and read twice (the visitor, then the tour): %s" % b["qiantang"])
    check(b["qiantang"]["zh"] == 1 and b["qiantang"]["en"] == 1, "first in Chinese, then (after LANG) in English")
    check(b["qiantang"]["dwell_s"] > 0.5, "time spent at Qiantang: %s" % b["qiantang"])
    check(sorted(b) == sorted(TOUR), "every stop of the tour has a booth entry: %s" % sorted(b))
    check(all(b[k]["visits"] == 1 and b[k]["panels"] == 1 for k in TOUR if k != "qiantang"),
          "each other stop: one visit, one panel")
    check(s["visits"] == 15 and s["panels"] == 15 and s["pages"] == 15, "hall totals: %s" % s)
    check(s["tour_starts"] == 1 and s["tour_completions"] == 1 and s["wakeups"] == 1,
          "one tour started and completed, one wake-up: %s" % s)
    text = open(os.path.join(state, "stats.jsonl")).read()
    counts = {"kiosk", "hall", "period", "start", "visits", "dwell_s", "panels", "pages", "tour_starts",
              "tour_completions", "wakeups", "booths"}
    # a finished hour (a run that crossed the hour) has no "partial" key; the hour being counted has it
    check(all(set(json.loads(line)) == counts | ({"partial"} if i == len(lines) - 1 else set())
              for i, line in enumerate(text.splitlines())),
          "only counts are kept (no visitor data)")
    if started[:3] != ended[:3]:
        print("visitors: the run crossed midnight, STATS today after a restart not checked")
        print("visitors: %d checks passed" % kiosk.checks)
        return

    k = Kiosk(work, "v1", state_dir=state, unix=False)
    try:
        r = k.ask("STATS today")
        check(r.startswith("OK {"), "STATS today: " + r[:80])
        today = json.loads(r[3:])
        check(today["visits"] == 15 and today["booths"]["qiantang"]["en"] == 1 and today["wakeups"] == 1,
              "STATS today after a restart has the earlier visit: %s" % today)
        hour = json.loads(k.ask("STATS hour")[3:])
        check(hour["period"] == "hour" and hour["visits"] == 0, "STATS hour counts only this process's hour")
        check(k.ask("STATS") == r, "STATS alone is today")
    finally:
        k.stop()
    print("visitors: %d checks passed" % kiosk.checks)


main()
