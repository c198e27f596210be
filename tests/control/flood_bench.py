"""flood_bench.py - how many control commands a second a headless kiosk
answers while it renders, and what that does to its frame times (a
benchmark, not a test: it prints a table).

    MH_BIN=build/release/metahall MH_SRC=. MH_OUT=/tmp/bench python3 tests/control/flood_bench.py [SIZE]

Three phases of a few seconds each, read from STATUS (p50/p99 over the last
256 frames): idle; a flood of PING from 4 clients with the rate limit lifted;
a flood of STATUS (the heaviest command that does not change the scene)."""
import sys
import threading
import time

from kiosk import Kiosk, workdir

SECONDS = 4.0
CLIENTS = 4


def flood(k, line, stop, counts, i):
    c = k.connect()
    batch = (line + "\n") * 200
    n = 0
    while not stop.is_set():
        c.send(batch)
        for _ in range(200):
            c.line()
        n += 200
    counts[i] = n
    c.close()


def phase(k, line):
    if line:
        stop = threading.Event()
        counts = [0] * CLIENTS
        threads = [threading.Thread(target=flood, args=(k, line, stop, counts, i)) for i in range(CLIENTS)]
        t0 = time.time()
        for t in threads:
            t.start()
        time.sleep(SECONDS)
        st = k.status()
        stop.set()
        for t in threads:
            t.join()
        rate = sum(counts) / (time.time() - t0)
    else:
        time.sleep(SECONDS)
        st = k.status()
        rate = 0
    return rate, st


def main():
    size = sys.argv[1] if len(sys.argv) > 1 else "1280x720"
    work = workdir("flood_bench")
    k = Kiosk(work, "bench", args=["--size", size, "--rate-limit", "1000000", "--max-fps", "0"], unix=False)
    try:
        time.sleep(2)
        rows = [("idle", None), ("PING flood", "PING"), ("STATUS flood", "STATUS")]
        print("%-14s %12s %8s %10s %10s" % ("phase", "commands/s", "fps", "p50 ms", "p99 ms"))
        for name, line in rows:
            rate, st = phase(k, line)
            print("%-14s %12.0f %8.1f %10.2f %10.2f" % (name, rate, st["fps"], st["frame_ms_p50"], st["frame_ms_p99"]))
    finally:
        k.stop()


main()
