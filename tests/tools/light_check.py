"""light_check.py - what the baked-light tests (wall_light_test.sh,
booth_light_test.sh) measure in two renders of one view, lit and plain:
the mean colour of a box, its luma, and named checks printed one a line
(`ok` or `WRONG`), the script failing when any is wrong."""
import sys

import mh_pngread


def read_pair(lit, plain):
    """The rows of the lit render and of the plain one."""
    return mh_pngread.read(lit)[2], mh_pngread.read(plain)[2]


def mean(rows, x, y, w, h):
    """The mean RGB of the w x h box at (x, y)."""
    s = [0.0, 0.0, 0.0]
    for yy in range(y, y + h):
        row = rows[yy]
        for xx in range(x, x + w):
            for c in range(3):
                s[c] += row[xx * 4 + c]
    return [v / (w * h) for v in s]


def luma(c):
    return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]


class Checks:
    def __init__(self):
        self.ok = True

    def check(self, name, good, text):
        self.ok = self.ok and good
        print(f"{name}: {text} {'ok' if good else 'WRONG'}")

    def done(self):
        sys.exit(0 if self.ok else 1)
