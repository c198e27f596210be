"""frame_check.py FRAME.png [--like REF.png [--unlike OTHER.png]]

FRAME shows the hall, not a clear colour or an empty screen: many colours, no
colour covering half of it, a wide spread of brightness (the rule
tests/xr/eyes_check.py applies to each eye).

--like REF: FRAME is the same picture as REF, the host's headless render of the
same view: the whole frame and, on its own, the stage in the middle of the
atrium (where the featured exhibit stands, about 1 % of the frame, too small
to count in a whole-frame tolerance) each have at most MAX_BAD of their pixels
off by more than THRESHOLD in a channel.
--unlike OTHER: and the stage differs from OTHER's (a render featuring another
exhibit) in at least MIN_STAGE_DIFF of its pixels: the check can tell which
exhibit is shown.

Prints the figures; exit 0 when FRAME passes, 1 otherwise."""
import argparse
import os
import sys

sys.dont_write_bytecode = True     # no __pycache__ beside the tests
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tools"))
sys.path.insert(0, os.path.join(HERE, "..", "xr"))
import mh_pngread  # noqa: E402
import eyes_check  # noqa: E402

THRESHOLD = 24           # levels in one channel: llvmpipe on arm64 and on x86 round alike, a KMS frame is exact
MAX_BAD = 0.01           # share of pixels over THRESHOLD allowed where the frames should agree
MIN_STAGE_DIFF = 0.05    # share of the stage's pixels that must differ from another exhibit's render
STAGE = (0.45, 0.38, 0.55, 0.60)   # the stage in the entrance view, as fractions of width and height


def bad_share(a, b, box):
    """The share of pixels in box (fractions) differing by more than THRESHOLD."""
    w, h, ra = a
    _, _, rb = b
    x0, y0, x1, y1 = int(box[0] * w), int(box[1] * h), int(box[2] * w), int(box[3] * h)
    bad = 0
    for y in range(y0, y1):
        pa, pb = ra[y], rb[y]
        for i in range(x0 * 4, x1 * 4, 4):
            if (abs(pa[i] - pb[i]) > THRESHOLD or abs(pa[i + 1] - pb[i + 1]) > THRESHOLD
                    or abs(pa[i + 2] - pb[i + 2]) > THRESHOLD):
                bad += 1
    return bad / ((x1 - x0) * (y1 - y0))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    p.add_argument("frame")
    p.add_argument("--like")
    p.add_argument("--unlike")
    a = p.parse_args()
    img = mh_pngread.read(a.frame)
    ok, _ = eyes_check.check_eye(os.path.basename(a.frame), img)
    if a.like:
        ref = mh_pngread.read(a.like)
        if ref[:2] != img[:2]:
            print(f"FAIL: {a.frame} is {img[0]}x{img[1]}, {a.like} is {ref[0]}x{ref[1]}")
            return 1
        whole, stage = bad_share(img, ref, (0, 0, 1, 1)), bad_share(img, ref, STAGE)
        good = whole <= MAX_BAD and stage <= MAX_BAD
        print(f"like {os.path.basename(a.like)}: {whole * 100:.2f}% of the frame and {stage * 100:.2f}% of the stage "
              f"differ by more than {THRESHOLD} (limit {MAX_BAD * 100:.0f}%) -> {'same' if good else 'FAIL: different'}")
        ok = ok and good
    if a.unlike:
        other = mh_pngread.read(a.unlike)
        stage = bad_share(img, other, STAGE)
        good = stage >= MIN_STAGE_DIFF
        print(f"unlike {os.path.basename(a.unlike)}: {stage * 100:.1f}% of the stage differs (at least "
              f"{MIN_STAGE_DIFF * 100:.0f}%) -> {'another exhibit' if good else 'FAIL: the same exhibit'}")
        ok = ok and good
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
