#!/usr/bin/env bash
# authoring_test.sh - feedback for exhibit authors: `metahall validate` warns
# (exit 0, the files are still valid) when a panel needs more than one page,
# when a chart's labels need a legend, when a booth's sign shrinks a name
# below the minimum text size, when two booths overlap and for unknown keys
# (a typo such as "naration_zh" is named with the key it meant); `metahall
# render --panel ID --page N` draws a page and refuses one past the last,
# saying how many there are; the panel's QR code, rendered, decodes to the
# exhibit's url.
. "$(dirname "$0")/lib.sh"
tmp="$MH_OUT/authoring"
rm -rf "$tmp" && mkdir -p "$tmp"
cp -r "$MH_SRC/assets" "$tmp/assets"
ex="$tmp/assets/exhibits"

# a typo, a misspelt fact key, a long label with no short form, a long short name, a long wall caption
python3 - "$ex" <<'PY'
import json, sys
root = sys.argv[1]
p = root + "/xiamen/exhibit.json"
d = json.load(open(p))
d["naration_zh"] = d.pop("narration_zh")
d["facts"][0]["lable_en"] = "x"
d["facts"][0]["text_zh"] = "厦门元宇宙产业人才基地正式揭牌"  # a key figure's text too long for the wall
d["facts"][0]["text_en"] = "Opened"
json.dump(d, open(p, "w"), ensure_ascii=False)
p = root + "/tongzhou/exhibit.json"
d = json.load(open(p))
for f in d["facts"]:
    f.pop("short_en", None)
    if f["id"] == "fund_meta":
        f["label_en"] = "Metaverse industrial development fund"
    if f["id"] == "fund_center":  # a wall caption too long for the booth's wall
        f["wall_en"] = "Beijing Municipal Sub-center investment fund"
d["short_en"] = "Beijing Municipal Sub-center Tongzhou District Metaverse Industry Cluster"
json.dump(d, open(p, "w"), ensure_ascii=False)
p = root + "/../halls/default/hall.json"
d = json.load(open(p))
# Shanghai out of its zone, standing 1 m beside Xuhui (the zone's second booth)
yrd = [z for z in d["zones"] if "shanghai" in z["booths"]][0]
yrd["booths"].remove("shanghai")
k = 1.0 / (len(yrd["booths"]) - 1)  # Xuhui's place on the zone's line, then 1 m along x
xu = [yrd["from"][i] + (yrd["to"][i] - yrd["from"][i]) * k for i in (0, 1)]
d["booths"] = [{"exhibit": "shanghai", "position": [xu[0] + 1.0, xu[1]], "yaw_deg": 0}]
d["entrance"]["yaw"] = 10
json.dump(d, open(p, "w"), ensure_ascii=False)
PY
out=$(metahall validate "$tmp/assets/halls/default" 2>&1) || fail "validate failed on a valid hall with warnings: $out"
echo "$out"
for want in "xiamen/exhibit.json: /naration_zh: warning: unknown key, ignored (did you mean \"narration_zh\"?)" \
            "xiamen/exhibit.json: /facts/0/lable_en: warning: unknown key, ignored (did you mean \"label_en\"?)" \
            "hall.json: /entrance/yaw: warning: unknown key, ignored" \
            "hall.json: /zones/1/booths/1: warning: booth xuhui overlaps booth shanghai (/booths/0)" \
            "tongzhou/exhibit.json: /short_en: warning: the booth's sign shrinks this name to" \
            "tongzhou/exhibit.json: /facts/6/wall_en: warning: the booth's wall shrinks this caption to" \
            "xiamen/exhibit.json: /facts/0/text_zh: warning: the booth's wall shrinks this figure to" \
            "tongzhou/exhibit.json: /charts/0: warning: its English labels do not fit under the bars" \
            "shanghai/exhibit.json: /facts: warning: the panel needs 4 pages in English" \
            ", 0 errors, "; do
    case "$out" in *"$want"*) ;; *) fail "no line containing '$want'" ;; esac
done
# the shipped assets: no unknown keys, no overlaps, no shrunken names
out=$(metahall validate "$MH_SRC/assets/halls/default" 2>&1)
for bad in "unknown key" "overlaps" "shrinks" "do not fit"; do
    case "$out" in *"$bad"*) fail "the shipped hall: '$bad' in: $out" ;; esac
done

# render --panel: a page past the last is an error that says how many there are
set +e
msg=$(metahall render --panel huangpu --page 4 --lang en --out "$tmp/p4.png" 2>&1)
code=$?
set -e
[ "$code" = 1 ] || fail "render --panel huangpu --page 4: exit $code, expected 1"
case "$msg" in *"page 4 does not exist: the panel of huangpu has 3 pages (1-3)"*) ;; *) fail "unexpected message: $msg" ;; esac
[ ! -s "$tmp/p4.png" ] || true
metahall render --panel huangpu --page 3 --lang en --out "$tmp/p3.png" -q || fail "render --panel huangpu --page 3 failed"
[ -s "$tmp/p3.png" ] || fail "no image written"
set +e
msg=$(metahall render --panel nowhere --out "$tmp/x.png" 2>&1)
code=$?
msg2=$(metahall render --page 2 --out "$tmp/x.png" 2>&1)
code2=$?
set -e
[ "$code" = 1 ] && [[ "$msg" == *"no exhibit \"nowhere\""* ]] || fail "unknown exhibit: exit $code: $msg"
[ "$code2" = 2 ] && [[ "$msg2" == *"--page and --panel-view go with --panel"* ]] || fail "--page alone: exit $code2: $msg2"
# the take-away QR code on the panel decodes to the exhibit's url (zbarimg, Debian's zbar-tools)
metahall render --panel xiamen --panel-view 2 --out "$tmp/qr.png" -q || fail "render the QR view"
command -v zbarimg >/dev/null || skip "no zbarimg (apt install zbar-tools) to read the QR code"
got=$(zbarimg -q --raw "$tmp/qr.png" 2>/dev/null) || fail "zbarimg found no QR code in $tmp/qr.png"
[ "$got" = "https://metahall.example/exhibits/xiamen" ] || fail "the QR code reads '$got'"
echo "authoring: warnings, render --panel and its errors as expected; the QR code reads $got"
