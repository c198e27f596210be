"""scenes.py - turns tests/ref/scenes.json into what compare.sh runs: one
scene spec per scene (absolute paths, defaults filled in) for the reference
renderer, the matching `metahall render --model` arguments, and a content
hash of everything the reference image depends on (the cache key).

  python3 scenes.py SCENES.json --gen DIR --env DIR --shared DIR --out DIR
                    [--salt TEXT] [--hash-file FILE]... [--only NAME]...

Writes OUT/NAME.json (the spec) and OUT/NAME.args (metahall's arguments, one
a line, without --out) and prints one tab-separated line per scene:
NAME, ok or skip, the spec path or the reason, the hash, what it covers."""
import argparse
import hashlib
import json
import os
import sys
from urllib.parse import unquote

ENV_FACES = ("px", "nx", "py", "ny", "pz", "nz")


def file_hash(path, cache={}):
    if path not in cache:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        cache[path] = h.hexdigest()
    return cache[path]


def model_files(path):
    """The model and, for .gltf, every buffer and image it names by URI."""
    files = [path]
    if path.endswith(".gltf"):
        with open(path, encoding="utf-8") as f:
            j = json.load(f)
        base = os.path.dirname(path)
        for item in j.get("buffers", []) + j.get("images", []):
            uri = item.get("uri")
            if uri and not uri.startswith("data:"):
                files.append(os.path.join(base, unquote(uri)))
    return files


def resolve(value, roots):
    for prefix, root in roots.items():
        if value.startswith(prefix):
            return None if root is None else os.path.join(root, value[len(prefix):])
    raise ValueError(f"path {value!r} must start with one of {', '.join(roots)}")


def num(v):
    return str(int(v)) if float(v).is_integer() and abs(v) < 1e15 else repr(float(v))


def csv(values):
    return ",".join(num(v) for v in values)


def metahall_args(spec):
    cam = spec["camera"]
    if cam == "auto":
        camera = "auto"
    else:
        camera = csv(cam["eye"] + cam["target"] + [cam["fov"], cam["near"], cam["far"]])
    env = spec["environment"]
    light = spec["light"]
    return ["render", "--model", spec["model"], "--size", f"{spec['size'][0]}x{spec['size'][1]}",
            "--camera", camera,
            "--env", env["cube"] if env else "none", "--env-intensity", num(env["intensity"] if env else 0),
            "--light", csv(light["direction"] + light["color"] + [light["intensity"]]),
            "--time", num(spec["time"]), "--background", csv(spec["background"]), "--msaa", "1"]


def make_spec(scene, defaults, roots):
    spec = {k: scene.get(k, defaults.get(k)) for k in ("size", "camera", "light", "environment", "time", "background")}
    spec["model"] = resolve(scene["model"], roots)
    if spec["model"] is None:
        return None, "needs ../shared beside the repository"
    if not os.path.isfile(spec["model"]):
        return None, f"model not found: {spec['model']}"
    if spec["camera"] != "auto":
        cam = {"fov": 45, "near": 0.1, "far": 100}
        cam.update(spec["camera"])
        spec["camera"] = cam
    if spec["environment"] is not None:
        env = dict(spec["environment"])
        env["cube"] = resolve(env["cube"], roots)
        env.setdefault("intensity", 1.0)
        spec["environment"] = env
    return spec, None


def content_hash(spec, salt):
    """The spec with each path replaced by the hashes of the files behind it."""
    keyed = dict(spec)
    keyed["model"] = [file_hash(f) for f in model_files(spec["model"])]
    if spec["environment"]:
        env = dict(spec["environment"])
        env["cube"] = [file_hash(os.path.join(env["cube"], f + ".hdr")) for f in ENV_FACES]
        keyed["environment"] = env
    h = hashlib.sha256(salt.encode())
    h.update(json.dumps(keyed, sort_keys=True).encode())
    return h.hexdigest()[:24]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("scenes")
    ap.add_argument("--gen", required=True)
    ap.add_argument("--env", required=True)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--salt", default="")
    ap.add_argument("--hash-file", action="append", default=[])
    ap.add_argument("--only", action="append", default=[])
    a = ap.parse_args()
    with open(a.scenes, encoding="utf-8") as f:
        cfg = json.load(f)
    roots = {"@gen/": a.gen, "@env/": a.env, "@shared/": a.shared if os.path.isdir(a.shared) else None}
    salt = a.salt + "".join(file_hash(p) for p in a.hash_file)
    os.makedirs(a.out, exist_ok=True)
    names = [s["name"] for s in cfg["scenes"]]
    for n in a.only:
        if n not in names:
            sys.exit(f"scenes.py: no scene named {n!r} (there are: {' '.join(names)})")
    for scene in cfg["scenes"]:
        name = scene["name"]
        if a.only and name not in a.only:
            continue
        spec, why = make_spec(scene, cfg["defaults"], roots)
        if spec is None:
            print(f"{name}\tskip\t{why}\t-\t{scene.get('covers', '')}")
            continue
        path = os.path.join(a.out, name + ".json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(spec, f, indent=1)
            f.write("\n")
        with open(os.path.join(a.out, name + ".args"), "w", encoding="utf-8") as f:
            f.write("\n".join(metahall_args(spec)) + "\n")
        print(f"{name}\tok\t{path}\t{content_hash(spec, salt)}\t{scene.get('covers', '')}")


if __name__ == "__main__":
    main()
