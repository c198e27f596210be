#!/usr/bin/env bash
# check_shaders.sh - every shader in shaders/ compiles as GLSL ES 3.00 with
# Khronos' reference compiler (glslangValidator from Debian's glslang-tools).
. "$(dirname "$0")/lib.sh"
command -v glslangValidator >/dev/null || skip "glslangValidator not installed (apt-get install glslang-tools)"
n=0
for f in "$MH_SRC"/shaders/*.vert "$MH_SRC"/shaders/*.frag; do
    head -1 "$f" | grep -q '^#version 300 es' || fail "$f: first line must be '#version 300 es'"
    glslangValidator "$f" || fail "$f does not compile"
    n=$((n + 1))
done
# the crossfade variant the renderer builds from lit.frag
glslangValidator -l -DMH_DISSOLVE=1 "$MH_SRC/shaders/lit.vert" "$MH_SRC/shaders/lit.frag" || fail "lit.frag with MH_DISSOLVE does not compile"
# the signs' text: the base texture read as a distance field, unlit
glslangValidator -l -DMH_SDF=1 -DMH_TEX_BASE=1 -DMH_UV_SHARED=1 -DMH_UV_SLOT=0 -DMH_UV_SET=a_uv -DMH_UNLIT=1 \
    "$MH_SRC/shaders/lit.vert" "$MH_SRC/shaders/lit.frag" || fail "lit.frag with MH_SDF does not compile"
# the headset's single-pass variants (GL_OVR_multiview2)
glslangValidator -l -DMH_MULTIVIEW=1 "$MH_SRC/shaders/lit.vert" "$MH_SRC/shaders/lit.frag" || fail "lit with MH_MULTIVIEW does not compile"
# the floor's baked light carried in the vertices (mh_material.vertex_emissive)
glslangValidator -l -DMH_VERTEX_EMISSIVE=1 -DMH_TEX_BASE=1 -DMH_UV_SHARED=1 -DMH_UV_SLOT=0 -DMH_UV_SET=a_uv \
    "$MH_SRC/shaders/lit.vert" "$MH_SRC/shaders/lit.frag" || fail "lit with MH_VERTEX_EMISSIVE does not compile"
glslangValidator -l -DMH_MULTIVIEW=1 "$MH_SRC/shaders/ui.vert" "$MH_SRC/shaders/ui.frag" || fail "ui with MH_MULTIVIEW does not compile"
# the glow's passes (bloom.frag: bright-and-down, blur; the composite is the plain file)
for d in MH_BLOOM_DOWN MH_BLOOM_BLUR; do
    glslangValidator -l -D$d=1 "$MH_SRC/shaders/post.vert" "$MH_SRC/shaders/bloom.frag" || fail "bloom.frag with $d does not compile"
done
[ "$n" -ge 2 ] || fail "expected at least a vertex and a fragment shader, found $n"
echo "$n shaders valid"
