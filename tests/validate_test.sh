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
            "exhibits/xiamen/exhibit.json: /model: the path must stay inside the exhibit's folder" \
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

# issue 15: a folder of 1500 files is walked to the end (the old walker
# stopped at 1024 and said "valid"); a loop of symbolic links is one error;
# a FIFO named like a model and a link to a secret fail at once, unquoted
many="$tmp/many"
mkdir -p "$many"
for i in $(seq -w 1 1500); do : > "$many/note$i.txt"; done
head -c 100 "$MH_SRC/assets/halls/default/textures/floor.png" > "$many/zzz_last.png"
ln -s . "$many/loop"
mkfifo "$many/landmark.glb"
printf 'root:x:0:0:root:/root:/bin/bash\n' > "$tmp/secret"
ln -s "$tmp/secret" "$many/secret.gltf"
set +e
out=$(timeout 20 "${EMU[@]}" "$MH_BIN" validate "$many" 2>&1)
code=$?
set -e
echo "$out" | tail -5
[ "$code" = 1 ] || fail "folder with a bad file past the 1024th: exit $code, expected 1"
grep -q "zzz_last.png: .*corrupt PNG" <<<"$out" || fail "the 1501st file was not checked"
[ "$(grep -c 'loop of symbolic links' <<<"$out")" = 1 ] || fail "expected one symbolic-link loop error: $out"
grep -q "landmark.glb: /: is a FIFO, not a regular file" <<<"$out" || fail "the FIFO was not refused"
grep -q "secret.gltf: /: is a symbolic link" <<<"$out" || fail "the link to a secret was not refused"
if grep -q "root:x" <<<"$out"; then fail "a file's content appeared in validate's output"; fi

set +e
metahall validate /nonexistent/hall >/dev/null 2>&1; [ $? = 1 ] || fail "a missing path must exit 1"
metahall validate >/dev/null 2>&1; [ $? = 2 ] || fail "validate without a path must exit 2"
metahall validate --bogus >/dev/null 2>&1; [ $? = 2 ] || fail "validate with an option must exit 2"
set -e
echo "validate: all checks passed"
