#version 300 es
// post.frag - FXAA (fast approximate anti-aliasing, after Lottes' first
// FXAA): the luma of the pixel and its four diagonal neighbours finds an
// edge; where the contrast is low (most of a frame) the pixel is kept as it
// is; on an edge, two and four samples along the edge's direction are
// blended, and the wider blend is kept only while it stays within the
// neighbours' luma range (so thin lines and text do not smear away). The
// input is the frame as stored (sRGB-encoded RGBA8), which is what the luma
// test wants: perceptual steps.
precision mediump float;

uniform sampler2D u_color;
uniform vec2 u_texel;       // 1 / the target's size

in vec2 v_uv;
out vec4 o_color;

const float EDGE_MIN = 1.0 / 24.0;      // below this contrast: no edge
const float EDGE_REL = 1.0 / 8.0;       // ...or below this fraction of the brightest
const float REDUCE_MIN = 1.0 / 128.0;
const float REDUCE_MUL = 1.0 / 8.0;
const float SPAN_MAX = 8.0;

float luma(vec3 c)
{
    return dot(c, vec3(0.299, 0.587, 0.114));
}

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
