#!/usr/bin/env bash
# validate_test.sh - 'metahall validate': the shipped assets are valid; every
# conformance file that must be rejected exits 1 with a located message
# (FILE: /pointer: sentence); broken manifests and PNGs are named by file and
# place; a missing path and a bad command line are told apart by exit code.
. "$(dirname "$0")/lib.sh"
tmp="$MH_OUT/validate"
rm -rf "$tmp" && mkdir -p "$tmp"

out=$(metahall validate "$MH_SRC/assets" 2>&1) || fail "the shipped assets are not valid: $out"
case "$out" in *", 0 errors,"*"valid"*) ;; *) fail "unexpected summary: $out" ;; esac

# a broken copy: truncated exhibit, traversal in a model path, corrupt PNG, bad GLB
cp -r "$MH_SRC/assets" "$tmp/assets"
printf '{"format":"metahall-exhibit/1","id":"wuxi",' > "$tmp/assets/exhibits/wuxi/exhibit.json"
sed -i 's|"model": "landmark.glb"|"model": "../../../../etc/passwd.glb"|' "$tmp/assets/exhibits/xiamen/exhibit.json"
head -c 300 "$MH_SRC/assets/halls/default/textures/floor.png" > "$tmp/assets/halls/default/textures/floor.png"
head -c 1000 "$MH_SRC/assets/exhibits/hefei/landmark.glb" > "$tmp/assets/exhibits/hefei/landmark.glb"
set +e
out=$(metahall validate "$tmp/assets" 2>&1)
code=$?
set -e
echo "$out"
[ "$code" = 1 ] || fail "broken assets: exit $code, expected 1"
for want in "exhibits/wuxi/exhibit.json: line 1, column 44: invalid JSON: the text ends before" \
            "exhibits/xiamen/exhibit.json: /model: path" \
            "textures/floor.png: byte 46: corrupt PNG: chunk IDAT claims 8192 bytes but the file has 246 left" \
            "exhibits/hefei/landmark.glb: /: GLB header says"; do
    case "$out" in *"$want"*) ;; *) fail "no line containing '$want'" ;; esac
done

# every conformance file the loader must reject
shared="$MH_SRC/../shared/conformance"
if [ -d "$shared" ]; then
    mapfile -t invalid < <("${EMU[@]}" "$MH_CONFORMANCE" --list-invalid "$shared" "$MH_SRC/tests/conformance_exceptions.txt")
    [ "${#invalid[@]}" -gt 50 ] || fail "expected the list of invalid conformance files, got ${#invalid[@]}"
    for f in "${invalid[@]}"; do
        set +e
        out=$(metahall validate "$f" 2>/dev/null)
        code=$?
        set -e
        [ "$code" = 1 ] || fail "validate $f: exit $code, expected 1"
        grep -q "^$f: /[^:]*: ." <<<"$out" || fail "validate $f: no located message: $out"
    done
    echo "validate: ${#invalid[@]} invalid conformance files rejected with located messages"
else
    echo "note: no ../shared/conformance; skipped the conformance files"
fi

set +e
metahall validate /nonexistent/hall >/dev/null 2>&1; [ $? = 1 ] || fail "a missing path must exit 1"
metahall validate >/dev/null 2>&1; [ $? = 2 ] || fail "validate without a path must exit 2"
metahall validate --bogus >/dev/null 2>&1; [ $? = 2 ] || fail "validate with an option must exit 2"
set -e
echo "validate: all checks passed"
