#version 300 es
// post.frag - anti-aliasing over the finished frame, one full-screen pass.
// The input is the frame as stored (sRGB-encoded RGBA8), which is what the
// luma tests want: perceptual steps.
//
// MH_LEAN (quality low, the default on a CPU rasteriser): an edge blend
// built for llvmpipe, where a branch saves nothing (every lane of a block
// runs both sides) and a filtered texture() read costs more than an
// unfiltered texelFetch: 9 unfiltered reads, no filtering. The pixel and
// its four neighbours find an edge and which way it runs; the pixel is
// blended with its neighbour across the edge by how near the end of the
// stair step it sits on lies (its own row turning to the other side,
// looked for 1, 2 and 4 pixels each way along the edge): next to a step's
// end nearly half, falling off over four pixels, so the stair steps of a
// slanted edge become ramps. Flat areas and small contrasts (below
// EDGE_MIN, or EDGE_REL of the brightest) keep their pixel exactly.
// The reads are what the pass costs on llvmpipe (tests/bench/NOTES.md), so
// with MH_QUAD (set there) the pixels of each 2x2 quad hand each other what
// they read through dFdx/dFdy: 6 reads, the same pixels.
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

// whether the pixel's row has turned (more than half-way) from l_m to the
// other side at either of two points along the edge: past mid, the way of dir
bool turned(float l_a, float l_b, float mid, float dir)
{
    return (l_a - mid) * dir > 0.0 || (l_b - mid) * dir > 0.0;
}

void main()
{
    // floor: a quad's helper pixel below row 0 (a window of odd height,
    // stored upside down) is at -1, not 0, so its parity differs from its partner's
    g_p = ivec2(floor(gl_FragCoord.xy));
    g_top = textureSize(u_color, 0) - 1;
    vec3 m = tap(ivec2(0));
#ifdef MH_QUAD
    // the neighbour inside the pixel's 2x2 quad, across x and across y,
    // from the derivatives (llvmpipe's are the plain differences within the
    // quad's row and column), the one on the other side read: two reads
    // fewer. The derivative of a value is sgn times (the partner's - the
    // pixel's), sgn found from the coordinates' parity (which flips between
    // partners); the partner lies `side` away (+-1 pixel)
    vec2 par = vec2(g_p & 1);
    vec2 sgn = (1.0 - 2.0 * par) * vec2(dFdx(par.x), dFdy(par.y));
    vec2 side = sgn * vec2(dFdx(gl_FragCoord.x), dFdy(gl_FragCoord.y));
    vec3 px = m + sgn.x * dFdx(m), py = m + sgn.y * dFdy(m);
    vec3 qx = tap(ivec2(-int(side.x), 0)), qy = tap(ivec2(0, -int(side.y)));
    vec3 e = side.x > 0.0 ? px : qx, w = side.x > 0.0 ? qx : px;
    vec3 n = side.y > 0.0 ? py : qy, s = side.y > 0.0 ? qy : py;
#else
    vec3 n = tap(ivec2(0, 1)), s = tap(ivec2(0, -1)), e = tap(ivec2(1, 0)), w = tap(ivec2(-1, 0));
#endif
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
    ivec2 along = horz ? ivec2(1, 0) : ivec2(0, 1);
    // the nearest of 1, 2 and 4 pixels each way along the edge where the
    // pixel's own row has turned (more than half-way) to the other side: a
    // stair step's end (1 pixel away: the neighbours already read). The
    // pixel next to it takes 4/9 of the other side, the blend falling off
    // to 1/9 at 4 pixels (none found: no blend)
    float mid = 0.5 * (l_m + l_o), dir = l_o - l_m;
    bool t1 = turned(horz ? l_w : l_s, horz ? l_e : l_n, mid, dir);
#ifdef MH_QUAD
    // 2 pixels away on the partner's side: the partner's read beyond it
    float l_qx = luma(qx), l_qy = luma(qy);
    float l_2x = l_qx + sgn.x * dFdx(l_qx), l_2y = l_qy + sgn.y * dFdy(l_qy);
    ivec2 far = horz ? ivec2(-2 * int(side.x), 0) : ivec2(0, -2 * int(side.y));
    bool t2 = turned(luma(tap(far)), horz ? l_2x : l_2y, mid, dir);
#else
    bool t2 = turned(luma(tap(-2 * along)), luma(tap(2 * along)), mid, dir);
#endif
    bool t4 = turned(luma(tap(-4 * along)), luma(tap(4 * along)), mid, dir);
    float blend = t1 ? 4.0 / 9.0 : t2 ? 3.0 / 9.0 : t4 ? 1.0 / 9.0 : 0.0;
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
