"""sbs.py - BEFORE.png AFTER.png OUT.png: the two images halved and put side
by side with a 4-pixel white gap (standard library only)."""
import os
import struct
import sys
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tools"))
import mh_pngread  # noqa: E402


def halve(path):
    w, h, rows = mh_pngread.read(path)
    out = []
    for y in range(0, h - 1, 2):
        a, b = rows[y], rows[y + 1]
        line = bytearray()
        for x in range(0, w - 1, 2):
            i = x * 4
            for c in range(3):
                line.append((a[i + c] + a[i + 4 + c] + b[i + c] + b[i + 4 + c] + 2) // 4)
        out.append(line)
    return w // 2, h // 2, out


def write(path, w, h, rows):
    raw = b"".join(b"\0" + bytes(r) for r in rows)

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    open(path, "wb").write(png)


(w, h, a), (_, _, b) = halve(sys.argv[1]), halve(sys.argv[2])
gap = bytearray(b"\xff" * 12)
write(sys.argv[3], w * 2 + 4, h, [a[y] + gap + b[y] for y in range(h)])
