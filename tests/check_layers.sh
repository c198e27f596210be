#!/usr/bin/env bash
# check_layers.sh - the include direction between the engine's layers, and
# no two-file include circles.
#
# Layers, lowest first (a file may include its own layer and the ones below):
#   include (engine/include: the public headers, which include nothing of
#            the engine; every layer may use their plain types)
#   core -> asset -> scene -> render | text | media -> ui -> engine (engine/*.c)
#   -> platform
# render, text and media are side by side: none includes another. platform/
# reaches the engine through engine/include only.
#
# A module is a .c/.h pair (engine/ui/mh_panel.c and .h). A two-file circle
# is two modules that include each other's headers (a -> b and b -> a),
# e.g. a chart laid out through its panel's header while the panel calls
# the chart: one of them must give way. A circle can also hide behind a
# declaration (the panel's header declaring the chart's function, which the
# chart's file includes): so an engine function is declared in its own
# module's header only.
#
#   bash tests/check_layers.sh [SRC]        exit 0 clean, 1 with one line per problem
#   bash tests/check_layers.sh --self-test  breaks a copy of the tree in each
#                                           way above and expects each caught
set -euo pipefail

if [ "${1:-}" = --self-test ]; then
    here=$(cd "$(dirname "$0")" && pwd)
    src=$(cd "${MH_SRC:-$here/..}" && pwd)
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    # name | file to change | line appended | what the report must say
    cases=(
        "upward|engine/scene/mh_nav.h|#include \"../render/mh_renderer.h\"|a layer above (scene may not include render)"
        "sideways|engine/render/mh_renderer.h|#include \"../text/mh_glyphs.h\"|render, text and media stay side by side"
        "platform|platform/mh_platform.h|#include \"core/mh_arena.h\"|the platform sees only engine/include/"
        "circle|engine/ui/mh_chart.c|#include \"mh_panel.h\"|circle between engine/ui/mh_chart and engine/ui/mh_panel"
        "room|engine/attic/mh_old.c||in no known layer"
        "declared|engine/ui/mh_panel.h|void mh_format_date(const char *date, mh_lang lang, char *out, size_t size);|declares mh_format_date, which engine/ui/mh_chart.c defines"
    )
    fails=0
    for c in "${cases[@]}"; do
        IFS='|' read -r name file line want <<<"$c"
        rm -rf "$tmp/t"
        mkdir -p "$tmp/t"
        cp -r "$src/engine" "$src/platform" "$tmp/t/"
        mkdir -p "$tmp/t/$(dirname "$file")"
        echo "$line" >>"$tmp/t/$file"
        if out=$(bash "$here/check_layers.sh" "$tmp/t" 2>&1); then
            echo "self-test $name: not caught"
            fails=$((fails + 1))
        elif ! grep -qF -- "$want" <<<"$out"; then
            echo "self-test $name: caught, but without \"$want\":"
            echo "$out"
            fails=$((fails + 1))
        else
            echo "self-test $name: caught ($(grep -F -- "$want" <<<"$out" | head -n 1))"
        fi
    done
    [ "$fails" = 0 ] || exit 1
    exit 0
fi

SRC=$(cd "${1:-${MH_SRC:-$(dirname "$0")/..}}" && pwd)
cd "$SRC"

# Sets LEVEL (0..7, or "" outside the layered tree) and ROOM for a path
# relative to SRC. Plain bash, no subshells: the check runs in well under a second.
classify() {
    LEVEL=""
    ROOM=""
    case $1 in
        engine/include/*) LEVEL=0 ROOM=include ;;
        engine/core/*) LEVEL=1 ROOM=core ;;
        engine/asset/*) LEVEL=2 ROOM=asset ;;
        engine/scene/*) LEVEL=3 ROOM=scene ;;
        engine/render/*) LEVEL=4 ROOM=render ;;
        engine/text/*) LEVEL=4 ROOM=text ;;
        engine/media/*) LEVEL=4 ROOM=media ;;
        engine/ui/*) LEVEL=5 ROOM=ui ;;
        engine/*/*) ;;   # an unknown room: reported below
        engine/*) LEVEL=6 ROOM=engine ;;
        platform/*) LEVEL=7 ROOM=platform ;;
    esac
}

# normalize PATH: drops "./" and folds "dir/../" (sets NORM)
normalize() {
    local IFS=/ part out=()
    for part in $1; do
        case $part in
            "" | .) ;;
            ..) [ ${#out[@]} -gt 0 ] && unset 'out[${#out[@]}-1]' ;;
            *) out+=("$part") ;;
        esac
    done
    NORM="${out[*]}"
}

# resolve FILE INCLUDE: sets TARGET to the repository path an #include "..."
# names (the including file's folder first, then the include roots), or ""
resolve() {
    local cand
    TARGET=""
    for cand in "${1%/*}/$2" "engine/$2" "engine/include/$2" "platform/$2"; do
        if [ -f "$cand" ]; then
            normalize "$cand"
            TARGET=$NORM
            return
        fi
    done
}

# the module of a file: its path without the extension; X_internal.h (a
# module's private header shared by its files) belongs to module X
module() {
    MODULE=${1%.*}
    MODULE=${MODULE%_internal}
}

problems=0
report() {
    echo "check_layers: $*"
    problems=$((problems + 1))
}

declare -A EDGE=()
mapfile -t files < <(find engine platform \( -name '*.c' -o -name '*.h' \) | sort)
for f in "${files[@]}"; do
    classify "$f"
    lf=$LEVEL rf=$ROOM
    if [ -z "$lf" ]; then
        report "$f: in no known layer (add its folder to tests/check_layers.sh)"
        continue
    fi
    module "$f"
    a=$MODULE
    n=0
    while IFS= read -r text; do
        n=$((n + 1))
        [[ $text =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\"([^\"]+)\" ]] || continue
        resolve "$f" "${BASH_REMATCH[1]}"
        [ -n "$TARGET" ] || continue          # a system or generated header
        classify "$TARGET"
        lt=$LEVEL rt=$ROOM
        [ -n "$lt" ] || continue
        if [ "$lf" = 7 ] && [ "$lt" != 7 ] && [ "$lt" != 0 ]; then
            report "$f:$n: includes $TARGET; the platform sees only engine/include/"
        elif [ "$lt" -gt "$lf" ]; then
            report "$f:$n: includes $TARGET, a layer above ($rf may not include $rt)"
        elif [ "$lt" = 4 ] && [ "$lf" = 4 ] && [ "$rf" != "$rt" ]; then
            report "$f:$n: includes $TARGET; render, text and media stay side by side"
        fi
        module "$TARGET"
        [ "$a" != "$MODULE" ] && [ -z "${EDGE[$a>$MODULE]:-}" ] && EDGE[$a>$MODULE]="$f:$n"
    done <"$f"
done

# Declarations live with their definitions: a function defined in an engine
# module's .c is declared in that module's own header, never in another
# module's (where it would hide a circle: the chart laid out through a
# function the panel's header declares). The public headers in
# engine/include are exempt: they declare what the engine library exports.
# A .c that includes X_internal.h is a file of module X.
declare -A DEF=()
for f in "${files[@]}"; do
    [[ $f == engine/*.c && $f != engine/include/* ]] || continue
    module "$f"
    m=$MODULE
    inc=$(grep -m1 -oE '^#include "[^"]*_internal\.h"' "$f" || true)
    if [ -n "$inc" ]; then
        inc=${inc#*\"}
        resolve "$f" "${inc%\"}"
        module "$TARGET"
        m=$MODULE
    fi
    while IFS= read -r text; do
        [[ $text =~ ^[A-Za-z_][^\;\(]*[\ \*](mh_[a-z0-9_]+)\( ]] || continue
        case $text in static* | typedef* | extern* | *\;) continue ;; esac
        DEF[${BASH_REMATCH[1]}]=$m
    done <"$f"
done
for f in "${files[@]}"; do
    [[ $f == engine/*.h && $f != engine/include/* ]] || continue
    module "$f"
    n=0
    while IFS= read -r text; do
        n=$((n + 1))
        [[ $text =~ ^[A-Za-z_][^\(]*[\ \*](mh_[a-z0-9_]+)\( ]] || continue
        case $text in static* | typedef* | \#*) continue ;; esac
        owner=${DEF[${BASH_REMATCH[1]}]:-}
        if [ -n "$owner" ] && [ "$owner" != "$MODULE" ]; then
            report "$f:$n: declares ${BASH_REMATCH[1]}, which $owner.c defines: declare it in $owner's header"
        fi
    done <"$f"
done

# two-file circles: a -> b and b -> a, reported once per pair
for key in "${!EDGE[@]}"; do
    a=${key%%>*} b=${key#*>}
    if [[ "$a" < "$b" ]] && [ -n "${EDGE[$b>$a]:-}" ]; then
        report "circle between $a and $b: ${EDGE[$key]} and ${EDGE[$b>$a]}"
    fi
done

if [ "$problems" -gt 0 ]; then
    echo "check_layers: $problems problem(s)"
    exit 1
fi
echo "check_layers: ${#files[@]} files: include direction and no two-file circles: OK"
