"""stereo_check.py SIDE_BY_SIDE.png - checks a side-by-side stereo frame:
both eyes show a scene (not a clear colour), they differ, and the left eye
sees near things further right than the right eye does (the eyes are not
swapped). Prints the figures; exit 0 pass, 1 fail."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mh_pngread  # noqa: E402


def gray_rows(img, step=2):
    w, h, rows = img
    out = []
    for y in range(h // 4, h * 3 // 4, step):
        r = rows[y]
        out.append([(r[i] * 3 + r[i + 1] * 6 + r[i + 2]) // 10 for i in range(0, w * 4, 4)])
    return out


def shift_error(left, right, s):
    """Mean |L(x) - R(x - s)| over the overlap."""
    total = n = 0
    for a, b in zip(left, right):
        w = len(a)
        for x in range(max(s, 0), min(w, w + s)):
            total += abs(a[x] - b[x - s])
            n += 1
    return total / max(n, 1)


def parallax(left, right, max_shift):
    """Compares the eyes (grey rows) shifted against each other. Returns the
    error at no shift, the best shift, and whether shifting the right eye
    to the right matches better than shifting it to the left (near things
    further right in the left eye: the eyes are the right way round)."""
    errors = {s: shift_error(left, right, s) for s in range(-max_shift, max_shift + 1)}
    best = min(errors, key=errors.get)
    rightward = min(errors[s] for s in range(1, max_shift + 1))
    leftward = min(errors[s] for s in range(-max_shift, 0))
    print(f"the eyes differ by {errors[0]:.2f} grey levels per pixel; the best match shifts the right eye "
          f"{best} px to the right ({errors[best]:.2f}); best rightward {rightward:.2f}, leftward {leftward:.2f}")
    return errors[0], errors[best], rightward < leftward


def check_eyes(path, max_shift=24):
    img = mh_pngread.read(path)
    w, h, _ = img
    half = w // 2
    eyes = {"left": mh_pngread.crop(img, 0, 0, half, h), "right": mh_pngread.crop(img, half, 0, half * 2, h)}
    ok = True
    for name, eye in eyes.items():
        colours, common = mh_pngread.stats(eye)
        shows = colours >= 200 and common < 0.5
        print(f"{name} eye {half}x{h}: {colours} colours, the commonest covers {common * 100:.1f}% "
              f"-> {'shows the scene' if shows else 'looks like a clear colour'}")
        ok &= shows
    left, right = gray_rows(eyes["left"]), gray_rows(eyes["right"])
    apart, _, right_way = parallax(left, right, max_shift)
    if apart < 0.5:
        print("FAIL: both eyes show the same image (no parallax)")
        ok = False
    if not right_way:
        print("FAIL: near things are not further right in the left eye: eyes swapped or not apart")
        ok = False
    return ok


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(0 if check_eyes(sys.argv[1]) else 1)
