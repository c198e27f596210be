"""frame_cost.py - what serving its own control page costs a kiosk's frames
(a measurement for the notes, not a test: run by hand).

    MH_BIN=build/release/metahall MH_SRC=. MH_OUT=build/out python3 tests/hub/frame_cost.py [--seconds 30]

One headless kiosk (1280x720, llvmpipe with one rasteriser thread, 60 fps
pacing) with --http and --mqtt. Three phases of equal length, each read from
the kiosk's own frame times (STATUS, frame_ms_p50 and the mean of
frame_ms_worst samples, over the phase): idle (nobody watching); a page
(an SSE stream following the board and the thumbnail fetched every time the
stream says there is a new one, as the page does, plus the MQTT thumbnails);
and the same with three pages. Prints one JSON object: the medians, the
ratios to idle, thumbnail sizes and how often they came.
"""
import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "control"))
from kiosk import Kiosk, free_port, workdir  # noqa: E402

TOKEN = "cost-%d" % os.getpid()


class Page(threading.Thread):
    """What the page does: log in, follow /events, fetch each new thumbnail."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.port, self.stop, self.thumbs, self.bytes = port, threading.Event(), 0, 0

    def run(self):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        c.request("POST", "/api/login", json.dumps({"token": TOKEN}),
                  {"Content-Type": "application/json", "X-Metahall": "1"})
        r = c.getresponse()
        r.read()
        cookie = r.getheader("Set-Cookie").split(";")[0]
        ev = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        ev.request("GET", "/events", headers={"Cookie": cookie})
        stream = ev.getresponse()
        kind = None
        while not self.stop.is_set():
            line = stream.fp.readline().decode()
            if line.startswith("event: "):
                kind = line[7:].strip()
            elif line.startswith("data:") and kind == "thumb":
                key = json.loads(line[5:])["key"]
                t = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                t.request("GET", "/api/thumb?k=" + key, headers={"Cookie": cookie})
                body = t.getresponse().read()
                self.thumbs += 1
                self.bytes += len(body)
                t.close()
        ev.close()


def phase(k, seconds):
    """Frame times over a phase: the median of frame_ms_p50 samples and the worst frames."""
    p50, worst = [], []
    k.ask("STATUS")   # restart frame_ms_worst
    end = time.time() + seconds
    while time.time() < end:
        time.sleep(2)
        st = k.status()
        p50.append(st["frame_ms_p50"])
        worst.append(st["frame_ms_worst"])
    return {"p50_ms": round(statistics.median(p50), 2), "worst_ms_mean": round(statistics.mean(worst), 1)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--size", default="1280x720")
    a = ap.parse_args()
    work = workdir("frame_cost")
    mosq = os.environ.get("MH_MOSQUITTO", "/usr/sbin/mosquitto")
    bport = free_port()
    conf = os.path.join(work, "mosquitto.conf")
    with open(conf, "w") as f:
        f.write("listener %d 127.0.0.1\nallow_anonymous true\npersistence false\nuser %s\n"
                % (bport, os.environ.get("USER") or "root"))
    broker = subprocess.Popen([mosq, "-c", conf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    token_file = os.path.join(work, "token")
    with open(token_file, "w") as f:
        f.write(TOKEN + "\n")
    hport = free_port()
    env = dict(os.environ, LP_NUM_THREADS="1")
    k = Kiosk(work, "cost", unix=False, env=env,
              args=["--size", a.size, "--token-file", token_file, "--http", "127.0.0.1:%d" % hport,
                    "--mqtt", "127.0.0.1:%d" % bport])
    k.token = TOKEN
    thumbs = subprocess.Popen(["mosquitto_sub", "-h", "127.0.0.1", "-p", str(bport), "-t", "metahall/+/+/thumb",
                               "-F", "%U %l"], stdout=subprocess.PIPE, text=True)
    out = {"size": a.size, "seconds_per_phase": a.seconds}
    try:
        time.sleep(5)   # warm-up
        out["idle"] = phase(k, a.seconds)
        pages = [Page(hport)]
        pages[0].start()
        out["one_page"] = phase(k, a.seconds)
        pages += [Page(hport), Page(hport)]
        for p in pages[1:]:
            p.start()
        out["three_pages"] = phase(k, a.seconds)
        for p in pages:
            p.stop.set()
        out["page_thumbnails"] = sum(p.thumbs for p in pages)
        out["page_thumbnail_bytes_mean"] = round(sum(p.bytes for p in pages) / max(1, out["page_thumbnails"]))
    finally:
        k.stop()
        thumbs.terminate()
        mq = [l.split() for l in thumbs.communicate(timeout=10)[0].splitlines() if l.strip()]
        broker.terminate()
    if len(mq) >= 2:
        out["mqtt_thumbnails"] = len(mq)
        out["mqtt_thumbnail_bytes"] = [int(x[1]) for x in mq]
        out["mqtt_thumbnail_every_s"] = round((float(mq[-1][0]) - float(mq[0][0])) / (len(mq) - 1), 1)
    for name in ("one_page", "three_pages"):
        out[name]["p50_vs_idle"] = round(out[name]["p50_ms"] / out["idle"]["p50_ms"], 3)
    print(json.dumps(out))


main()
