#!/usr/bin/env python3
"""fake_metahall.py - stands in for `metahall render --model ...` to check the
comparison itself, not metahall: it turns the command line of the agreed
interface (README.md) back into a scene spec and draws it with the reference
renderer. With it every scene must score exactly 1.0, which shows that the
arguments carry everything the reference used (size, camera, environment,
light, time, background) and that compare.sh's table, mean and side-by-side
images work. Slow (one Chromium per scene); run by hand:

  MH_BIN=tests/ref/fake_metahall.py bash tests/ref/compare.sh

It needs NODE_PATH (compare.sh sets it)."""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def floats(text, n, what):
    v = [float(x) for x in text.split(",")]
    if len(v) != n:
        sys.exit(f"fake_metahall: {what} takes {n} numbers, got {text!r}")
    return v


def main(argv):
    if argv[:1] in (["--help"], []):
        print("fake metahall: render --model FILE --size WxH --camera auto|E,E,E,T,T,T,FOV,NEAR,FAR --env DIR|none "
              "--env-intensity S --light DX,DY,DZ,R,G,B,I --time T --background R,G,B --msaa N --out F.png")
        return 0
    if argv[0] != "render":
        sys.exit("fake_metahall: only 'render' is faked")
    o = dict(zip(argv[1::2], argv[2::2]))
    spec = {"model": o["--model"], "size": [int(x) for x in o["--size"].split("x")], "time": float(o["--time"]),
            "background": [int(x) for x in o["--background"].split(",")]}
    if o["--camera"] == "auto":
        spec["camera"] = "auto"
    else:
        c = floats(o["--camera"], 9, "--camera")
        spec["camera"] = {"eye": c[0:3], "target": c[3:6], "fov": c[6], "near": c[7], "far": c[8]}
    light = floats(o["--light"], 7, "--light")
    spec["light"] = {"direction": light[0:3], "color": light[3:6], "intensity": light[6]}
    spec["environment"] = None if o["--env"] == "none" else {"cube": o["--env"], "intensity": float(o["--env-intensity"])}
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "spec.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(spec, f)
        r = subprocess.run(["node", os.path.join(HERE, "render_ref.cjs"), path, o["--out"]])
        try:
            os.remove(o["--out"] + ".json")
        except FileNotFoundError:
            pass
        return r.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
