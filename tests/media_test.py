#!/usr/bin/env python3
"""media_test.py - reads back what the headless kiosk played and showed.

  media_test.py tones WAV FREQ:SECONDS...   writes a mono 16-bit WAV of tones
  media_test.py sound WAV CHECKS...         checks a recorded WAV (48 kHz float):
      CHECK = FROM:TO:HZ        the strongest of the tested tones in each 0.1 s
                                window from FROM to TO (seconds) is HZ
      CHECK = FROM:TO:HZ:LO:HI  HZ's amplitude there is within LO..HI (under
                                other sounds too: the ducked music)
  media_test.py colours PNG X0 Y0 X1 Y1 N  at least N of the 7 colour-bar hues
                                (and white) in the rectangle
  media_test.py changed A.PNG B.PNG X0 Y0 X1 Y1  pixels differ inside the
                                rectangle, and nowhere outside it

Plain Python (struct, wave; PNGs through tests/tools/mh_pngread.py): no imaging or numeric packages needed.
"""
import math
import os
import struct
import sys
import wave

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "tools"))
import mh_pngread  # noqa: E402

RATE = 48000
TONES = [220, 330, 440, 660, 880]


def write_tones(path, specs):
    samples = []
    for spec in specs:
        hz, secs = spec.split(":")
        hz, secs = float(hz), float(secs)
        n = int(secs * RATE)
        samples += [0.5 * math.sin(2 * math.pi * hz * i / RATE) if hz > 0 else 0.0 for i in range(n)]
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(b"".join(struct.pack("<h", int(s * 32767)) for s in samples))


def read_float_wav(path):
    data = open(path, "rb").read()
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise SystemExit("%s: not a WAV file" % path)
    fmt, channels, rate = struct.unpack("<HHI", data[20:28])
    if fmt != 3 or rate != RATE:
        raise SystemExit("%s: expected 48 kHz float, got format %d at %d Hz" % (path, fmt, rate))
    n = struct.unpack("<I", data[40:44])[0] // 4
    s = struct.unpack("<%df" % n, data[44:44 + 4 * n])
    return s[0::channels]


def goertzel(window, hz):
    """The amplitude of the hz component of a window."""
    k = 2 * math.cos(2 * math.pi * hz / RATE)
    s1 = s2 = 0.0
    for x in window:
        s1, s2 = x + k * s1 - s2, s1
    power = s1 * s1 + s2 * s2 - k * s1 * s2
    return 2 * math.sqrt(max(power, 0)) / len(window)


def check_sound(path, checks):
    left = read_float_wav(path)
    win = RATE // 10
    bad = 0
    for check in checks:
        parts = check.split(":")
        t0, t1, hz = float(parts[0]), float(parts[1]), float(parts[2])
        lo, hi = (float(parts[3]), float(parts[4])) if len(parts) == 5 else (None, None)
        t = t0
        while t + 0.1 <= t1 + 1e-9:
            i = int(t * RATE)
            w = left[i:i + win]
            if len(w) < win:
                print("FAIL %s: the recording ends at %.2f s" % (check, len(left) / RATE))
                return 1
            amps = {f: goertzel(w, f) for f in TONES}
            best = max(amps, key=amps.get)
            ok = lo <= amps[hz] <= hi if lo is not None else best == hz
            if not ok:
                print("FAIL %s at %.2f s: strongest %d Hz (%s)" % (check, t, best,
                      ", ".join("%d: %.3f" % (f, a) for f, a in sorted(amps.items()))))
                bad += 1
            t += 0.1
        if not bad:
            print("ok   %s" % check)
    return 1 if bad else 0


def read_png(path):
    """(width, height, bytes per pixel, rows) through the tests' one PNG reader."""
    w, h, rows = mh_pngread.read(path)
    return w, h, 4, rows


def pixel(img, x, y):
    w, h, bpp, rows = img
    r = rows[y]
    return r[x * bpp], r[x * bpp + 1], r[x * bpp + 2]


def bar_colours(path, x0, y0, x1, y1, need):
    """SMPTE colour bars: yellow, cyan, green, magenta, red, blue, white."""
    img = read_png(path)
    hues = {"white": (235, 235, 235), "yellow": (235, 235, 16), "cyan": (16, 235, 235), "green": (16, 235, 16),
            "magenta": (235, 16, 235), "red": (235, 16, 16), "blue": (16, 16, 235)}
    found = set()
    for y in range(y0, y1):
        for x in range(x0, x1):
            p = pixel(img, x, y)
            for name, c in hues.items():
                if all(abs(p[i] - c[i]) < 60 for i in range(3)):
                    found.add(name)
    print("%s: colour bars found: %s" % (path, ", ".join(sorted(found)) or "none"))
    return 0 if len(found) >= need else 1


def changed(a, b, x0, y0, x1, y1):
    ia, ib = read_png(a), read_png(b)
    inside = outside = 0
    for y in range(ia[1]):
        for x in range(ia[0]):
            pa, pb = pixel(ia, x, y), pixel(ib, x, y)
            if max(abs(pa[i] - pb[i]) for i in range(3)) > 24:
                if x0 <= x < x1 and y0 <= y < y1:
                    inside += 1
                else:
                    outside += 1
    print("%s -> %s: %d pixels changed inside the screen, %d outside" % (a, b, inside, outside))
    return 0 if inside >= 20 and outside <= inside // 20 else 1


def main(argv):
    if argv[1] == "tones":
        write_tones(argv[2], argv[3:])
        return 0
    if argv[1] == "sound":
        return check_sound(argv[2], argv[3:])
    if argv[1] == "colours":
        return bar_colours(argv[2], *map(int, argv[3:8]))
    if argv[1] == "changed":
        return changed(argv[2], argv[3], *map(int, argv[4:8]))
    raise SystemExit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
