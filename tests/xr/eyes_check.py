"""eyes_check.py EYES.png - checks the frame metahall drew into an OpenXR
swapchain: both eyes side by side (left eye in the left half). Each half must
show the hall, not a clear colour (many colours, no colour covering most of
it, a wide spread of brightness); the halves must differ (two eye positions)
and yet be alike (the same scene a few centimetres apart), with near things
further right in the left eye than in the right (the eyes are not swapped). Prints the figures
for the test log; exit 0 pass, 1 fail."""
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import mh_pngread  # noqa: E402
import stereo_check  # noqa: E402

MIN_COLOURS = 200        # a clear colour (or a flat fog) has a handful
MAX_COMMON = 0.5         # no colour covers half an eye
MIN_STDDEV = 12.0        # grey levels: an empty frame is flat
MIN_DIFF = 0.5           # grey levels per pixel between the eyes: not one image twice
MAX_MEAN_GAP = 20.0      # grey levels between the eyes' mean brightness: the same scene
MAX_MATCH_ERROR = 25.0   # grey levels per pixel once the best parallax shift is applied


def luma_stats(eye):
    w, h, rows = eye
    n = total = sq = 0
    for r in rows:
        for i in range(0, w * 4, 4):
            y = (r[i] * 3 + r[i + 1] * 6 + r[i + 2]) / 10.0
            total += y
            sq += y * y
            n += 1
    mean = total / n
    return mean, math.sqrt(max(sq / n - mean * mean, 0.0))


def check_eye(name, eye):
    w, h, _ = eye
    colours, common = mh_pngread.stats(eye)
    mean, sd = luma_stats(eye)
    ok = colours >= MIN_COLOURS and common <= MAX_COMMON and sd >= MIN_STDDEV
    print(f"{name} eye {w}x{h}: {colours} colours, the commonest covers {common * 100:.1f}%, "
          f"brightness mean {mean:.1f} stddev {sd:.1f} -> {'shows the hall' if ok else 'FAIL: looks empty'}")
    return ok, mean


def check_pair(left, right, max_shift=16):
    apart, matched, right_way = stereo_check.parallax(stereo_check.gray_rows(left), stereo_check.gray_rows(right),
                                                      max_shift)
    ok = True
    if apart < MIN_DIFF:
        print("FAIL: both eyes show the same image (no parallax)")
        ok = False
    if matched > MAX_MATCH_ERROR:
        print("FAIL: the eyes do not show the same scene")
        ok = False
    if not right_way:
        print("FAIL: near things are not further right in the left eye: eyes swapped, or not apart")
        ok = False
    return ok


def main(path):
    img = mh_pngread.read(path)
    w, h, _ = img
    half = w // 2
    print(f"{path}: {w}x{h}, two eyes of {half}x{h}")
    left, right = mh_pngread.crop(img, 0, 0, half, h), mh_pngread.crop(img, half, 0, 2 * half, h)
    ok_l, mean_l = check_eye("left", left)
    ok_r, mean_r = check_eye("right", right)
    ok = ok_l and ok_r and check_pair(left, right)
    if abs(mean_l - mean_r) > MAX_MEAN_GAP:
        print(f"FAIL: the eyes' brightness differs by {abs(mean_l - mean_r):.1f} grey levels")
        ok = False
    return ok


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(0 if main(sys.argv[1]) else 1)
