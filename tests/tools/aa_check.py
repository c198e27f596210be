"""aa_check.py SMOOTH.png STEPPED.png [--min-ratio R] [--same X0,Y0,X1,Y1] - how
stair-stepped a frame's edges are, against the same frame drawn without
anti-aliasing.

Along every row and column, a pixel between two neighbours that differ by a
quarter of the luma range or more is an edge pixel; it is "in between" when
its luma lies inside the middle 60 % of that step (a hard, stair-stepped
edge jumps from one side to the other, so its pixels never are). Prints
both counts and fails (exit 1) unless SMOOTH has at least R (default 1.1)
times as many in-between edge pixels as STEPPED, and no more than a tenth
of its pixels differ from STEPPED (flat areas are left alone), at least 1 %
with R above 1.
--same: that box (pixels, X1/Y1 excluded) must be identical in both (the
interface drawn after the anti-aliasing: its text as sharp as without)."""
import sys
import os

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mh_pngread  # noqa: E402


def lumas(path):
    w, h, rows = mh_pngread.read(path)
    bpp = len(rows[0]) // w
    return w, h, [[0.299 * r[x * bpp] + 0.587 * r[x * bpp + 1] + 0.114 * r[x * bpp + 2] for x in range(w)]
                  for r in rows], rows


def in_between(w, h, l):
    n = 0
    for y in range(1, h - 1):
        for x in range(1, w - 1):
            p = l[y][x]
            for a, b in ((l[y][x - 1], l[y][x + 1]), (l[y - 1][x], l[y + 1][x])):
                step = abs(a - b)
                if step >= 64:
                    lo = min(a, b) + 0.2 * step
                    if lo < p < lo + 0.6 * step:
                        n += 1
    return n


def main():
    args = sys.argv[1:]
    ratio, same = 1.1, None
    if "--min-ratio" in args:
        i = args.index("--min-ratio")
        ratio = float(args[i + 1])
        del args[i:i + 2]
    if "--same" in args:
        i = args.index("--same")
        same = [int(v) for v in args[i + 1].split(",")]
        del args[i:i + 2]
    w, h, ls, rs = lumas(args[0])
    w2, h2, lt, rt = lumas(args[1])
    if (w, h) != (w2, h2):
        print(f"aa_check: sizes differ: {w}x{h} and {w2}x{h2}")
        return 1
    smooth, stepped = in_between(w, h, ls), in_between(w, h, lt)
    changed = sum(1 for y in range(h) for x in range(w) if ls[y][x] != lt[y][x])
    print(f"aa_check: in-between edge pixels {smooth} (anti-aliased) vs {stepped} (without): "
          f"{smooth / max(stepped, 1):.2f}x (at least {ratio}x); {changed} of {w * h} pixels changed")
    if smooth < ratio * stepped:
        print("aa_check: the edges are stair-stepped (too few in-between pixels)")
        return 1
    if changed > w * h // 10 or (ratio > 1.0 and changed < w * h // 100):
        print("aa_check: not 1-10 % of the frame changed: not its edges alone, or hardly any")
        return 1
    if same:
        x0, y0, x1, y1 = same
        b = len(rs[0]) // w
        moved = sum(1 for y in range(y0, y1) for x in range(x0, x1) if rs[y][x * b:x * b + 3] != rt[y][x * b:x * b + 3])
        print(f"aa_check: {moved} pixels differ in the box {x0},{y0}-{x1},{y1} (expected 0)")
        if moved:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
