#!/usr/bin/env bash
# compare.sh - metahall against a three.js build of the same hall, side by
# side on this machine, with the ratios the performance targets ask for.
#
#   bash tests/bench/compare.sh            (needs chromium, node, npm; not a CI gate)
#   FRAMES=100 bash tests/bench/compare.sh (a quicker, noisier run)
#
# It builds metahall (release), exports the default hall to hall.glb, runs
# `metahall bench --json` (mono 1280x720, stereo 2 x 1280x1440 against one
# 1280x1440 eye, 13 and 1000 booths) and tests/bench/peer (three.js in
# headless Chromium on llvmpipe), then prints one table. Results go to
# build/bench/ as JSON too.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
src="$(cd "$here/../.." && pwd)"
out="$src/build/bench"
frames="${FRAMES:-300}"
mkdir -p "$out"

command -v chromium >/dev/null || { echo "compare: needs Debian's chromium (apt-get install chromium)" >&2; exit 1; }
command -v npm >/dev/null || { echo "compare: needs node and npm (apt-get install nodejs npm)" >&2; exit 1; }

echo "compare: building metahall (release)" >&2
cmake -S "$src" -B "$out/build" -DCMAKE_BUILD_TYPE=Release -DMH_TESTS=OFF >/dev/null
cmake --build "$out/build" -j"$(nproc)" --target metahall >/dev/null
mh="$out/build/metahall"

echo "compare: exporting the hall" >&2
"$mh" export --out "$out/hall.glb" 2>>"$out/log"

[ -d "$here/peer/node_modules" ] || (cd "$here/peer" && npm ci --no-audit --no-fund --loglevel=error >&2)

run() {  # name, then metahall bench options
    local name="$1"; shift
    echo "compare: metahall bench $*" >&2
    "$mh" bench --json --frames "$frames" "$@" > "$out/$name.json" 2>>"$out/log"
}
run mono --size 1280x720
run eye --size 1280x1440
run stereo --size 1280x1440 --stereo
run booths13 --size 1280x720 --booths 13 --frames 100
run booths1000 --size 1280x720 --booths 1000 --frames 100
echo "compare: three.js in Chromium" >&2
node "$here/peer/peer.mjs" --glb "$out/hall.glb" --size 1280x720 --frames "$frames" --json > "$out/peer.json"

python3 - "$out" <<'EOF'
import json, sys
d = sys.argv[1]
j = {n: json.load(open(f"{d}/{n}.json")) for n in ("mono", "eye", "stereo", "booths13", "booths1000", "peer")}
m, p = j["mono"], j["peer"]
rows = []
def row(what, ours, theirs, ratio, target, ok):
    rows.append((what, ours, theirs, ratio, target, "yes" if ok else "MISS"))
r = m["median_ms"] / p["median_ms"]
row("frame median (ms)", f"{m['median_ms']:.1f}", f"{p['median_ms']:.1f}", f"{r:.2f}", "<= 0.50", r <= 0.5)
row("frame p99 (ms)", f"{m['p99_ms']:.1f}", f"{p['p99_ms']:.1f}", f"{m['p99_ms'] / p['p99_ms']:.2f}", "", True)
r = m["startup_ms"] / p["startup_ms"]
row("start to first frame (ms)", f"{m['startup_ms']:.0f}", f"{p['startup_ms']:.0f}", f"{r:.3f}", "<= 0.10, < 300 ms",
    r <= 0.1 and m["startup_ms"] < 300)
r = m["peak_rss_mb"] / p["pss_mb"]
row("memory (MB): RSS vs summed PSS", f"{m['peak_rss_mb']:.0f}", f"{p['pss_mb']:.0f}", f"{r:.3f}", "<= 0.10, < 80 MB",
    r <= 0.1 and m["peak_rss_mb"] < 80)
row("draw calls / triangles", f"{m['draw_calls']:.0f} / {m['triangles']:.0f}",
    f"{p['draw_calls']} / {p['triangles']}", "", "", True)
r = m["median_ms"] / m["floor_ms"]
row("hall / fill-rate floor", f"{m['median_ms']:.1f} / {m['floor_ms']:.1f}", "", f"{r:.2f}", "<= 1.5", r <= 1.5)
b13, b1k = j["booths13"], j["booths1000"]
r = b1k["cpu_ms"] / b13["cpu_ms"]
row("engine CPU, 1000 vs 13 booths", f"{b1k['cpu_ms']:.2f} / {b13['cpu_ms']:.2f}", "", f"{r:.2f}", "<= 2", r <= 2)
s, e = j["stereo"], j["eye"]
r = s["median_ms"] / e["median_ms"]
row("stereo 2x1280x1440 vs one eye", f"{s['median_ms']:.1f} / {e['median_ms']:.1f}", "", f"{r:.2f}", "<= 1.9", r <= 1.9)
w = [max(len(str(x[i])) for x in rows + [("", "metahall", "three.js", "ratio", "target", "met")]) for i in range(6)]
head = ("", "metahall", "three.js", "ratio", "target", "met")
for line in [head] + rows:
    print("  ".join(str(c).ljust(w[i]) for i, c in enumerate(line)))
print(f"\nmetahall: {m['renderer']}\nthree.js {p['three_version']}: {p['renderer']}, {p['processes']} processes")
EOF
