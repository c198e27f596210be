#!/usr/bin/env python3
"""heavy_exhibit.py - a heavy exhibit made on the spot (issue 23): a hall
that is the default hall with one booth's landmark replaced by a generated
model of about a million triangles and two 2048x2048 textures (base colour
and occlusion-roughness-metal), for the heavy-model test and benchmark.
Nothing of it is committed: the test makes it each run.

    python3 heavy_exhibit.py REPO OUT [--exhibit suzhou] [--grid 700] [--texture 2048]

OUT/hall/hall.json is the default hall reading its exhibits from OUT/exhibits
(copies of the repository's; OUT is emptied first), where OUT/exhibits/EXHIBIT has the generated
heavy.glb as its model. The mesh is a bumpy sphere of GRID x GRID quads
(2 * GRID^2 triangles: 980,000 at 700), positions, normals and UVs, 32-bit
indices. Prints one JSON line: triangles, vertices and the content's bytes
in the engine's memory (vertices at 56 bytes, 4-byte indices, RGBA texels
with their mip levels) for the test's memory bound.

Only the standard library; same input, same bytes."""
import argparse
import array
import json
import math
import os
import shutil
import struct
import sys
import zlib

ENGINE_VERTEX_BYTES = 56  # sizeof(mh_vertex)


def png(width, height, row_of):
    """An RGBA PNG whose row y is row_of(y) (bytes, width * 4)."""
    raw = bytearray()
    for y in range(height):
        raw += b"\0" + row_of(y)
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(bytes(raw), 6)) + chunk(b"IEND", b""))


def colour_texture(size):
    """Bands of warm and cool cells: 64 cells across, a colour per cell."""
    cell = max(1, size // 64)
    rows = {}
    def row_of(y):
        band = y // cell
        if band not in rows:
            r = bytearray()
            for x in range(size):
                c = x // cell
                h = (c * 73 + band * 151) % 256
                r += bytes((64 + h % 192, 40 + (h * 3) % 160, 90 + (h * 7) % 166, 255))
            rows[band] = bytes(r)
        return rows[band]
    return png(size, size, row_of)


def orm_texture(size):
    """Occlusion 1, roughness in stripes, metal in alternate stripes."""
    stripe = max(1, size // 32)
    r = bytearray()
    for x in range(size):
        s = x // stripe
        r += bytes((255, 90 + (s % 4) * 40, 255 if s % 2 else 0, 255))
    row = bytes(r)
    return png(size, size, lambda y: row)


def sphere(grid):
    """A bumpy unit sphere: (grid + 1)^2 vertices, 2 * grid^2 triangles."""
    n = grid + 1
    pos, nrm, uv = array.array("f"), array.array("f"), array.array("f")
    lo, hi = [1e9] * 3, [-1e9] * 3
    for j in range(n):
        v = j / grid
        th = v * math.pi
        st, ct = math.sin(th), math.cos(th)
        for i in range(n):
            u = i / grid
            ph = u * 2 * math.pi
            rad = 1.0 + 0.04 * math.sin(ph * 12) * math.sin(th * 9)
            x, y, z = rad * st * math.cos(ph), rad * ct, rad * st * math.sin(ph)
            pos.extend((x, y + 1.0, z))
            nrm.extend((st * math.cos(ph), ct, st * math.sin(ph)))
            uv.extend((u, v))
            p = (x, y + 1.0, z)
            for k in range(3):
                lo[k] = min(lo[k], p[k])
                hi[k] = max(hi[k], p[k])
    idx = array.array("I")
    for j in range(grid):
        a0 = j * n
        for i in range(grid):
            a, b = a0 + i, a0 + i + n
            idx.extend((a, b, a + 1, a + 1, b, b + 1))
    return pos, nrm, uv, idx, lo, hi


def glb(grid, tex):
    pos, nrm, uv, idx, lo, hi = sphere(grid)
    images = [colour_texture(tex), orm_texture(tex)]
    blob, views = bytearray(), []
    def add(data, target=None):
        off = len(blob)
        blob.extend(data)
        blob.extend(b"\0" * (-len(blob) % 4))
        v = {"buffer": 0, "byteOffset": off, "byteLength": len(data)}
        if target:
            v["target"] = target
        views.append(v)
        return len(views) - 1
    vcount = len(pos) // 3
    g = {
        "asset": {"version": "2.0", "generator": "metahall tests/bench/heavy_exhibit.py"},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"name": "heavy", "mesh": 0}],
        "accessors": [
            {"bufferView": add(pos.tobytes(), 34962), "componentType": 5126, "count": vcount, "type": "VEC3",
             "min": lo, "max": hi},
            {"bufferView": add(nrm.tobytes(), 34962), "componentType": 5126, "count": vcount, "type": "VEC3"},
            {"bufferView": add(uv.tobytes(), 34962), "componentType": 5126, "count": vcount, "type": "VEC2"},
            {"bufferView": add(idx.tobytes(), 34963), "componentType": 5125, "count": len(idx), "type": "SCALAR"},
        ],
        "images": [{"bufferView": add(im), "mimeType": "image/png"} for im in images],
        "textures": [{"source": 0}, {"source": 1}],
        "materials": [{"name": "heavy", "pbrMetallicRoughness": {
            "baseColorTexture": {"index": 0}, "metallicRoughnessTexture": {"index": 1},
            "metallicFactor": 1.0, "roughnessFactor": 1.0}}],
        "meshes": [{"primitives": [{"attributes": {"POSITION": 0, "NORMAL": 1, "TEXCOORD_0": 2}, "indices": 3,
                                    "material": 0}]}],
        "buffers": [{"byteLength": len(blob)}],
        "bufferViews": views,
    }
    js = json.dumps(g, separators=(",", ":")).encode()
    js += b" " * (-len(js) % 4)
    out = struct.pack("<III", 0x46546C67, 2, 12 + 8 + len(js) + 8 + len(blob))
    out += struct.pack("<II", len(js), 0x4E4F534A) + js + struct.pack("<II", len(blob), 0x004E4942) + bytes(blob)
    texel_bytes = sum(4 * tex * tex * 4 // 3 for _ in images)
    return out, {"triangles": len(idx) // 3, "vertices": vcount,
                 "content_bytes": vcount * ENGINE_VERTEX_BYTES + 4 * len(idx) + texel_bytes,
                 "texel_bytes": texel_bytes}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("repo")
    ap.add_argument("out")
    ap.add_argument("--exhibit", default="suzhou")
    ap.add_argument("--grid", type=int, default=700)
    ap.add_argument("--texture", type=int, default=2048)
    a = ap.parse_args()
    src_ex = os.path.join(a.repo, "assets", "exhibits")
    src_hall = os.path.join(a.repo, "assets", "halls", "default")
    if not os.path.isdir(os.path.join(src_ex, a.exhibit)):
        sys.exit(f"heavy_exhibit: no exhibit {a.exhibit} in {src_ex}")
    ex_dir, hall_dir = os.path.join(a.out, "exhibits"), os.path.join(a.out, "hall")
    # copies, not links: the engine opens only files that resolve inside the hall's folders
    shutil.rmtree(a.out, ignore_errors=True)
    shutil.copytree(src_ex, ex_dir)
    shutil.copytree(src_hall, hall_dir)
    x_path = os.path.join(ex_dir, a.exhibit, "exhibit.json")
    x = json.load(open(x_path))
    old_model = x.get("model")
    x["model"] = "heavy.glb"
    x.pop("model_fit", None)
    json.dump(x, open(x_path, "w"), ensure_ascii=False, indent=1)
    if old_model:
        os.remove(os.path.join(ex_dir, a.exhibit, old_model))
    data, facts = glb(a.grid, a.texture)
    with open(os.path.join(ex_dir, a.exhibit, "heavy.glb"), "wb") as f:
        f.write(data)
    h_path = os.path.join(hall_dir, "hall.json")
    h = json.load(open(h_path))
    h["exhibits_dir"] = "../exhibits"
    json.dump(h, open(h_path, "w"), ensure_ascii=False, indent=1)
    facts["file_bytes"] = len(data)
    print(json.dumps(facts))


if __name__ == "__main__":
    main()
