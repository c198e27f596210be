"""mh_pngread.py - reads the PNGs metahall writes (8-bit RGB or RGBA, not
interlaced) with the standard library only, for tests that look at pixels."""
import struct
import zlib


def read(path):
    """Returns (width, height, rows): rows[y] is a bytes of RGBA pixels."""
    return read_bytes(open(path, "rb").read(), path)


def read_bytes(data, path="the PNG"):
    """read() of a PNG held in memory (path names it in errors)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG")
    pos, idat, w = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or interlace:
                raise ValueError(f"{path}: only 8-bit RGB/RGBA, not interlaced (depth {depth}, type {ctype})")
            bpp = 4 if ctype == 6 else 3
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    if w is None:
        raise ValueError(f"{path}: no IHDR")
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        prev = line
        if bpp == 3:
            line = bytearray(b"".join(bytes(line[i:i + 3]) + b"\xff" for i in range(0, stride, 3)))
        rows.append(bytes(line))
    return w, h, rows


def crop(img, x0, y0, x1, y1):
    """The (width, height, rows) of a rectangle of an image."""
    _, _, rows = img
    return x1 - x0, y1 - y0, [r[x0 * 4:x1 * 4] for r in rows[y0:y1]]


def stats(img):
    """Distinct colours, and the share of pixels the commonest colour covers."""
    w, h, rows = img
    counts = {}
    for r in rows:
        for i in range(0, len(r), 4):
            k = r[i:i + 3]
            counts[k] = counts.get(k, 0) + 1
    return len(counts), max(counts.values()) / float(w * h)
