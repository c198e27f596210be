#version 300 es
// post.frag - anti-aliasing over the finished frame, one full-screen pass.
// The input is the frame as stored (sRGB-encoded RGBA8), which is what the
// luma tests want: perceptual steps.
//
// MH_LEAN (quality low, the default on a CPU rasteriser): an edge blend
// built for llvmpipe, where a branch saves nothing (every lane of a block
// runs both sides) and a filtered texture() read costs more than an
// unfiltered texelFetch: 11 unfiltered reads, no filtering. The pixel and
// its four neighbours find an edge and which way it runs; the pixel is
// blended with its neighbour across the edge by how near the end of the
// stair step it sits on lies (its own row turning to the other side,
// looked for 1, 2 and 4 pixels each way along the edge): next to a step's
// end nearly half, falling off over four pixels, so the stair steps of a
// slanted edge become ramps. Flat areas and small contrasts (below
// EDGE_MIN, or EDGE_REL of the brightest) keep their pixel exactly.
//
// Otherwise (quality medium): FXAA after Lottes' first version (the luma of
// the pixel and its four diagonal neighbours finds an edge; two and four
// filtered samples along its direction are blended, the wider blend kept
// only while it stays within the neighbours' luma range).
//
// highp: with mediump, Mesa's llvmpipe (22.3) ran this pass 2-3x dearer
// (measured; its 16-bit lowering, it seems).
precision highp float;

uniform sampler2D u_color;
uniform vec2 u_texel;       // 1 / the target's size

in vec2 v_uv;
out vec4 o_color;

const float EDGE_MIN = 1.0 / 16.0;      // below this contrast: no edge
const float EDGE_REL = 1.0 / 8.0;       // ...or below this fraction of the brightest

float luma(vec3 c)
{
    return dot(c, vec3(0.299, 0.587, 0.114));
}

#ifdef MH_LEAN
ivec2 g_p, g_top;

vec3 tap(ivec2 d)
{
    return texelFetch(u_color, clamp(g_p + d, ivec2(0), g_top), 0).rgb;
}

// how far the pixel's row has turned to the other side at d (1: all the
// way; where l_o == l_m the pixel is no edge and the result is not used)
float turned(ivec2 d, float l_m, float l_o)
{
    return (luma(tap(d)) - l_m) / (l_o - l_m);
}

void main()
{
    g_p = ivec2(gl_FragCoord.xy);
    g_top = textureSize(u_color, 0) - 1;
    vec3 m = tap(ivec2(0)), n = tap(ivec2(0, 1)), s = tap(ivec2(0, -1)), e = tap(ivec2(1, 0)), w = tap(ivec2(-1, 0));
    float l_m = luma(m), l_n = luma(n), l_s = luma(s), l_e = luma(e), l_w = luma(w);
    float lo = min(l_m, min(min(l_n, l_s), min(l_e, l_w)));
    float hi = max(l_m, max(max(l_n, l_s), max(l_e, l_w)));
    bool edge = hi - lo >= max(EDGE_MIN, hi * EDGE_REL);
    // the edge runs along x where the luma changes more across y
    bool horz = abs(l_n + l_s - 2.0 * l_m) >= abs(l_e + l_w - 2.0 * l_m);
    float l_a = horz ? l_n : l_e, l_b = horz ? l_s : l_w;
    bool pos = abs(l_a - l_m) >= abs(l_b - l_m);
    float l_o = pos ? l_a : l_b;
    vec3 o = horz ? (pos ? n : s) : (pos ? e : w);
    ivec2 across = (horz ? ivec2(0, 1) : ivec2(1, 0)) * (pos ? 1 : -1);
    ivec2 along = horz ? ivec2(1, 0) : ivec2(0, 1);
    // the nearest of 1, 2 and 4 pixels each way along the edge where the
    // pixel's own row has turned (more than half-way) to the other side: a
    // stair step's end. The pixel next to it takes nearly half of the other
    // side, the blend falling off over 4 pixels (none found: no blend)
    float d = 5.0;
    d = max(turned(-4 * along, l_m, l_o), turned(4 * along, l_m, l_o)) > 0.5 ? 4.0 : d;
    d = max(turned(-2 * along, l_m, l_o), turned(2 * along, l_m, l_o)) > 0.5 ? 2.0 : d;
    d = max(turned(-along, l_m, l_o), turned(along, l_m, l_o)) > 0.5 ? 1.0 : d;
    float blend = 0.5 * clamp((5.0 - d) / 4.5, 0.0, 1.0);
    o_color = vec4(edge ? mix(m, o, blend) : m, 1.0);
}
#else
const float REDUCE_MIN = 1.0 / 128.0;
const float REDUCE_MUL = 1.0 / 8.0;
const float SPAN_MAX = 8.0;

void main()
{
    // the pixel and its diagonal neighbours unfiltered (texelFetch: no
    // filtering to pay for on a CPU rasteriser; the edges stay inside)
    ivec2 p = ivec2(gl_FragCoord.xy), top = textureSize(u_color, 0) - 1;
    vec3 m = texelFetch(u_color, p, 0).rgb;
    float l_nw = luma(texelFetch(u_color, clamp(p + ivec2(-1, -1), ivec2(0), top), 0).rgb);
    float l_ne = luma(texelFetch(u_color, clamp(p + ivec2(1, -1), ivec2(0), top), 0).rgb);
    float l_sw = luma(texelFetch(u_color, clamp(p + ivec2(-1, 1), ivec2(0), top), 0).rgb);
    float l_se = luma(texelFetch(u_color, clamp(p + ivec2(1, 1), ivec2(0), top), 0).rgb);
    float l_m = luma(m);
    float lo = min(l_m, min(min(l_nw, l_ne), min(l_sw, l_se)));
    float hi = max(l_m, max(max(l_nw, l_ne), max(l_sw, l_se)));
    if (hi - lo < max(EDGE_MIN, hi * EDGE_REL)) {
        o_color = vec4(m, 1.0);
        return;
    }
    // across the gradient is along the edge
    vec2 dir = vec2((l_sw + l_se) - (l_nw + l_ne), (l_nw + l_sw) - (l_ne + l_se));
    float reduce = max((l_nw + l_ne + l_sw + l_se) * (0.25 * REDUCE_MUL), REDUCE_MIN);
    float scale = 1.0 / (min(abs(dir.x), abs(dir.y)) + reduce);
    dir = clamp(dir * scale, -SPAN_MAX, SPAN_MAX) * u_texel;
    vec3 a = 0.5 * (texture(u_color, v_uv - dir * (1.0 / 6.0)).rgb + texture(u_color, v_uv + dir * (1.0 / 6.0)).rgb);
    vec3 b = 0.5 * a + 0.25 * (texture(u_color, v_uv - dir * 0.5).rgb + texture(u_color, v_uv + dir * 0.5).rgb);
    float l_b = luma(b);
    o_color = vec4(l_b < lo || l_b > hi ? a : b, 1.0);
}
#endif
