"""shot_check.py BEFORE AFTER NAME R,G,B [R,G,B...] - checks that something
with these colours appeared between two frames read back from the headset's
swapchain (both eyes side by side): in EACH eye, AFTER has at least
MIN_PIXELS more pixels within TOLERANCE of each colour than BEFORE (the same
view without it). Used for the world menu (its highlighted and chosen
buttons) and the teleport arc (its ribbon and landing marker). Prints the
counts; exit 0 pass, 1 fail.

shot_check.py --same A B - the two images are the same (both eyes in one
pass against a pass each): at most SAME_FRACTION of the pixels differ by more
than SAME_LEVELS in a channel (rasterisers may round an edge differently)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import mh_pngread  # noqa: E402

SAME_LEVELS = 8
SAME_FRACTION = 0.001
TOLERANCE = 24           # per channel, sRGB bytes: the colour as drawn, blended a little
MIN_PIXELS = 40          # in one eye of 320x240


def count(eye, colour):
    _, _, rows = eye
    n = 0
    for r in rows:
        for i in range(0, len(r), 4):
            if all(abs(r[i + k] - colour[k]) <= TOLERANCE for k in range(3)):
                n += 1
    return n


def eyes(path):
    img = mh_pngread.read(path)
    w, h, _ = img
    return [mh_pngread.crop(img, 0, 0, w // 2, h), mh_pngread.crop(img, w // 2, 0, w // 2 * 2, h)]


def main(before, after, name, colours):
    ok = True
    b, a = eyes(before), eyes(after)
    for colour in colours:
        for i, side in enumerate(("left", "right")):
            nb, na = count(b[i], colour), count(a[i], colour)
            good = na - nb >= MIN_PIXELS
            ok &= good
            print(f"{name}, {side} eye: {na - nb:+d} pixels of {colour} ({nb} before, {na} with it)"
                  f"{'' if good else f' FAIL: expected at least {MIN_PIXELS} more'}")
    return ok


def same(a_path, b_path):
    wa, ha, ra = mh_pngread.read(a_path)
    wb, hb, rb = mh_pngread.read(b_path)
    if (wa, ha) != (wb, hb):
        print(f"FAIL: {a_path} is {wa}x{ha}, {b_path} is {wb}x{hb}")
        return False
    off = sum(1 for x, y in zip(ra, rb) for i in range(0, len(x), 4)
              if max(abs(x[i + k] - y[i + k]) for k in range(3)) > SAME_LEVELS)
    ok = off <= SAME_FRACTION * wa * ha
    print(f"{a_path} vs {b_path}: {off} of {wa * ha} pixels differ by more than {SAME_LEVELS} levels"
          f"{'' if ok else f' FAIL: more than {SAME_FRACTION * 100:.1f}%'}")
    return ok


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--same":
        sys.exit(0 if same(sys.argv[2], sys.argv[3]) else 1)
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    cols = [tuple(int(c) for c in arg.split(",")) for arg in sys.argv[4:]]
    sys.exit(0 if main(sys.argv[1], sys.argv[2], sys.argv[3], cols) else 1)
