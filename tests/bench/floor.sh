#!/usr/bin/env bash
# floor.sh - what a hall's size costs: `metahall bench --booths N` (N
# booths on one floor) for 13, 100, 1000 and 4000 booths at 640x360 in one
# run, one table with the ratios against 13 (the issue-23 targets: engine
# CPU and frame time <= 2x, draw calls <= 300, start to first frame <= 2 s).
# Not a CI gate (tests/bench_floor_test.sh checks 1000 booths' draw calls).
#
#   bash tests/bench/floor.sh [METAHALL]   (default: build/test/metahall)
#   FRAMES=300 SIZE=1280x720 BOOTHS="13 1000" bash tests/bench/floor.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
src="$(cd "$here/../.." && pwd)"
mh="${1:-$src/build/test/metahall}"
out="$src/build/bench/floor"
frames="${FRAMES:-120}"
size="${SIZE:-640x360}"
booths="${BOOTHS:-13 100 1000 4000}"
mkdir -p "$out"
[ -x "$mh" ] || { echo "floor: no $mh (build it first)" >&2; exit 1; }
for n in $booths; do
    echo "floor: $n booths" >&2
    "$mh" bench --json --size "$size" --frames "$frames" --warmup 10 --booths "$n" \
        --screenshot "$out/b$n.png" > "$out/b$n.json" 2> "$out/b$n.log"
done
python3 - "$out" $booths <<'PY'
import json, sys
d, ns = sys.argv[1], sys.argv[2:]
j = {n: json.load(open(f"{d}/b{n}.json")) for n in ns}
base = j[ns[0]]
cols = [("engine CPU (ms)", "cpu_ms", "%.2f"), ("frame median (ms)", "median_ms", "%.1f"),
        ("frame p99 (ms)", "p99_ms", "%.1f"), ("draw calls", "draw_calls", "%.0f"), ("triangles", "triangles", "%.0f"),
        ("start to first frame (ms)", "startup_ms", "%.0f"), ("peak RSS (MB)", "peak_rss_mb", "%.0f"),
        ("bare EGL program (MB)", "egl_baseline_mb", "%.1f"), ("RSS above it (MB)", "above_baseline_mb", "%.1f")]
print(f"{base['width']}x{base['height']}, {base['frames']} frames, layout {base['layout']}, {base['renderer']}")
print("| booths | " + " | ".join(c[0] for c in cols) + " |")
print("|---" * (len(cols) + 1) + "|")
for n in ns:
    cells = []
    for _, k, f in cols:
        v = j[n][k]
        r = v / base[k] if base[k] else 0
        cells.append((f % v) + ("" if n == ns[0] else f" ({r:.2f}x)"))
    print(f"| {n} | " + " | ".join(cells) + " |")
PY
