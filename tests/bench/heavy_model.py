#!/usr/bin/env python3
"""heavy_model.py - the heavy model of compare.sh's second comparison: N
copies of a glTF model (by default ../shared/models/FlightHelmet, 94,722
triangles, five PBR materials with base colour, normal and
occlusion-roughness-metal textures) side by side in one self-contained GLB.
Each copy has its own copy of the geometry (own buffer views, accessors and
meshes), as a designer's export of several distinct objects would; the
materials and textures are shared.

    python3 heavy_model.py SRC.gltf OUT.glb [--copies 4] [--spacing 0.6]

Only the standard library; same input, same bytes."""
import argparse
import json
import math
import os
import struct
import sys


def pad4(b, fill=b"\0"):
    return b + fill * (-len(b) % 4)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--copies", type=int, default=4)
    ap.add_argument("--spacing", type=float, default=0.6, help="metres between copies on a square grid")
    a = ap.parse_args()
    base = os.path.dirname(os.path.abspath(a.src))
    g = json.load(open(a.src))
    if len(g.get("buffers", [])) != 1 or "uri" not in g["buffers"][0]:
        sys.exit("heavy_model: wants a .gltf with one external buffer")
    geo = pad4(open(os.path.join(base, g["buffers"][0]["uri"]), "rb").read())
    views0, acc0, meshes0 = g["bufferViews"], g["accessors"], g["meshes"]
    scene_nodes = g["scenes"][g.get("scene", 0)]["nodes"]

    blob, views, accessors, meshes, nodes = bytearray(), [], [], [], []
    side = math.ceil(math.sqrt(a.copies))
    for c in range(a.copies):
        off, v0, a0, m0 = len(blob), len(views), len(accessors), len(meshes)
        blob += geo
        views += [dict(v, buffer=0, byteOffset=v.get("byteOffset", 0) + off) for v in views0]
        accessors += [dict(x, bufferView=x["bufferView"] + v0) for x in acc0]
        for m in meshes0:
            prims = []
            for p in m["primitives"]:
                p = dict(p, attributes={k: i + a0 for k, i in p["attributes"].items()})
                if "indices" in p:
                    p["indices"] += a0
                prims.append(p)
            meshes.append(dict(m, primitives=prims))
        n0 = len(nodes)
        remap = {}
        for i, n in enumerate(g["nodes"]):
            remap[i] = n0 + 1 + i
        nodes.append({"name": f"copy {c}", "children": [remap[i] for i in scene_nodes],
                      "translation": [(c % side - (side - 1) / 2) * a.spacing, 0,
                                      (c // side - (side - 1) / 2) * a.spacing]})
        for n in g["nodes"]:
            n = dict(n)
            if "mesh" in n:
                n["mesh"] += m0
            if "children" in n:
                n["children"] = [remap[i] for i in n["children"]]
            nodes.append(n)
    images = []
    for im in g["images"]:
        data = open(os.path.join(base, im["uri"]), "rb").read()
        views.append({"buffer": 0, "byteOffset": len(blob), "byteLength": len(data)})
        blob += pad4(data)
        images.append({"name": im.get("name", im["uri"]), "mimeType": "image/png", "bufferView": len(views) - 1})

    out = {k: v for k, v in g.items() if k not in ("buffers", "bufferViews", "accessors", "meshes", "nodes",
                                                   "scenes", "scene", "images")}
    out.update(asset={"version": "2.0", "generator": "metahall tests/bench/heavy_model.py"},
               buffers=[{"byteLength": len(blob)}], bufferViews=views, accessors=accessors, meshes=meshes,
               nodes=nodes, images=images, scene=0,
               scenes=[{"nodes": [i for i, n in enumerate(nodes) if n.get("name", "").startswith("copy ")]}])
    js = pad4(json.dumps(out, separators=(",", ":")).encode(), b" ")
    with open(a.out, "wb") as f:
        f.write(struct.pack("<III", 0x46546C67, 2, 12 + 8 + len(js) + 8 + len(blob)))
        f.write(struct.pack("<II", len(js), 0x4E4F534A) + js)
        f.write(struct.pack("<II", len(blob), 0x004E4942) + bytes(blob))
    tris = sum(acc0[p["indices"]]["count"] // 3 for m in meshes0 for p in m["primitives"]) * a.copies
    print(f"heavy_model: {a.out}: {a.copies} copies, {tris} triangles, {len(blob) / 1e6:.1f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
