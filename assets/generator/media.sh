#!/usr/bin/env bash
# media.sh - generates the default hall's placeholder media (committed; see
# assets/README.md, "Generated media"). Deterministic for a given set of
# Debian packages; small on purpose (a few hundred KB in all):
#
#   - narration for every exhibit in Chinese and English, spoken by
#     espeak-ng's Mandarin (cmn) and English (en-us) voices, one sentence at
#     a time so each sentence's start is known: written as 6 kbit/s mono Ogg
#     Opus (opus-tools) with narration_cues_zh/en in exhibit.json;
#   - a flythrough of the hall, rendered by metahall itself on the headless
#     platform and encoded by GStreamer as VP8 WebM, for the hall's LED wall.
#
#   assets/generator/media.sh METAHALL_BINARY [ASSETS_DIR [all|narration|flythrough]]
#   assets/generator/media.sh METAHALL_BINARY ASSETS_DIR frames OUT_DIR
#   (cmake --build build --target assets_media)
#
# `frames` draws the flythrough's 60 frames into OUT_DIR as f0000.png ...
# f0059.png and encodes nothing: tests/flythrough_fresh_test.sh compares
# them with the committed video's.
# The narration's Ogg streams take a random serial number, so every run
# rewrites the .opus files even when the speech is the same: after a hall
# change, `flythrough` alone redraws the LED wall's video and leaves them.
set -euo pipefail
usage="usage: media.sh METAHALL_BINARY [ASSETS_DIR [all|narration|flythrough]] | METAHALL_BINARY ASSETS_DIR frames OUT_DIR"
bin=${1:?$usage}
[ -x "$bin" ] || { echo "media.sh: $bin is not an executable metahall" >&2; exit 1; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")   # the flythrough runs from a work folder
assets=$(cd "${2:-$(dirname "$0")/..}" && pwd)
what=${3:-all}
case "$what" in
    all|narration|flythrough) ;;
    frames) [ -n "${4:-}" ] || { echo "media.sh: frames needs an OUT_DIR; $usage" >&2; exit 1; }
            mkdir -p "$4" && frames=$(cd "$4" && pwd) ;;
    *) echo "media.sh: '$what' is not all, narration, flythrough or frames; $usage" >&2; exit 1 ;;
esac
case "$what" in all) tools="espeak-ng opusenc python3 gst-launch-1.0" ;; narration) tools="espeak-ng opusenc python3" ;;
    flythrough) tools=gst-launch-1.0 ;; frames) tools="" ;; esac
for tool in $tools; do
    command -v "$tool" >/dev/null || { echo "media.sh: $tool is missing (toolchains/setup.sh --test installs it)" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# ---- narration ----------------------------------------------------------------
[ "$what" = flythrough ] || [ "$what" = frames ] || python3 - "$assets" "$work" <<'PY'
import json, os, re, subprocess, sys, wave, collections
assets, work = sys.argv[1], sys.argv[2]
GAP = 0.35     # seconds of quiet between sentences
VOICES = {"zh": ["-v", "cmn", "-s", "175"], "en": ["-v", "en-us", "-s", "165"]}

def sentences(text, lang):
    # the captions' rule (engine/ui/mh_caption.c): 。！？!? end a sentence, and "." before a space
    parts = re.split(r"(?<=[。！？!?])|(?<=\.)\s+", text)
    return [p.strip() for p in parts if p and p.strip()]

def speak(text, lang, path):
    subprocess.run(["espeak-ng", *VOICES[lang], "-w", path, text], check=True)

def narration(exhibit_dir, ex, lang):
    text = ex.get("narration_" + lang)
    if not text:
        return None
    frames, cues, rate, t = [], [], None, 0.0
    for i, s in enumerate(sentences(text, lang)):
        path = os.path.join(work, "s%d.wav" % i)
        speak(s, lang, path)
        with wave.open(path) as w:
            rate = rate or w.getframerate()
            data = w.readframes(w.getnframes())
        cues.append(round(t, 2))
        frames.append(data)
        silence = b"\0\0" * int(GAP * rate)
        frames.append(silence)
        t += len(data) / 2 / rate + GAP
    wav = os.path.join(work, "all.wav")
    with wave.open(wav, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"".join(frames))
    out = "narration_%s.opus" % lang
    subprocess.run(["opusenc", "--quiet", "--bitrate", "6", "--downmix-mono", "--comp", "10",
                    "--title", ex["id"] + " narration (" + lang + ", espeak-ng placeholder)", wav,
                    os.path.join(exhibit_dir, out)], check=True)
    return out, cues

def write(path, d):
    # one fact, chart per line, as the rest of the manifests
    lines = ["{"]
    items = list(d.items())
    for i, (k, v) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        if k in ("facts", "charts") and isinstance(v, list):
            lines.append('  "%s": [' % k)
            for j, f in enumerate(v):
                lines.append("    " + json.dumps(f, ensure_ascii=False) + ("," if j < len(v) - 1 else ""))
            lines.append("  ]" + comma)
        else:
            lines.append('  "%s": %s%s' % (k, json.dumps(v, ensure_ascii=False), comma))
    lines.append("}")
    open(path, "w").write("\n".join(lines) + "\n")

root = os.path.join(assets, "exhibits")
for eid in sorted(os.listdir(root)):
    path = os.path.join(root, eid, "exhibit.json")
    if not os.path.isfile(path):
        continue
    ex = json.load(open(path), object_pairs_hook=collections.OrderedDict)
    for lang in ("zh", "en"):
        got = narration(os.path.join(root, eid), ex, lang)
        if got:
            ex["narration_audio_" + lang], ex["narration_cues_" + lang] = got
    # keep the keys in their usual order: media after the narration text
    order = [k for k in ex if not k.startswith("narration_audio") and not k.startswith("narration_cues")]
    out = collections.OrderedDict()
    for k in order:
        out[k] = ex[k]
        if k == "narration_en":
            for extra in ("narration_audio_zh", "narration_cues_zh", "narration_audio_en", "narration_cues_en"):
                if extra in ex:
                    out[extra] = ex[extra]
    write(path, out)
    print("narration:", eid)
PY

[ "$what" != narration ] || exit 0

# ---- the flythrough for the LED wall ---------------------------------------------
shots=${frames:-$work/fly}
mkdir -p "$shots"
{
    echo "wait 2"
    for i in $(seq -w 0 59); do   # 5 s at 12 frames a second: walk in from the entrance, turning
        echo "walk 1 0.2 4"
        echo "turn 0.3 1"
        echo "screenshot $shots/f00$i.png"
    done
} > "$work/fly.txt"
(cd "$work" && "$bin" --platform headless --size 480x270 --hall "$assets/halls/default" --no-interface -q \
    --script "$work/fly.txt")
[ "$what" != frames ] || exit 0
gst-launch-1.0 -q multifilesrc location="$shots/f%04d.png" index=0 caps="image/png,framerate=12/1" ! pngdec ! \
    videoconvert ! vp8enc target-bitrate=100000 keyframe-max-dist=60 deadline=1 ! webmmux ! \
    filesink location="$assets/halls/default/flythrough.webm"
echo "flythrough: $assets/halls/default/flythrough.webm"
du -ch "$assets"/exhibits/*/narration_*.opus "$assets/halls/default/flythrough.webm" | tail -n 1
