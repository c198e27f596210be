#version 300 es
// bloom.frag - the soft glow of light boxes, screens and ceiling panels at
// quality high (engine/render/mh_render_bloom.c), three passes of one file:
//
// MH_BLOOM_DOWN: the frame (sRGB-encoded, as stored) to a quarter of its
//   size: four filtered reads spanning the 4x4 texels a pixel covers, each
//   taken to linear light and kept only where it is near white (a light
//   panel, an emissive sign, a lit screen: the frame is LDR, so "bright" is
//   "close to 1"), with a soft knee so the glow fades in rather than switching.
// MH_BLOOM_BLUR: a 9-tap Gaussian along u_dir, as five filtered reads.
// Otherwise: the blurred glow, magnified (filtered) and scaled by
//   u_strength, added (GL_ONE, GL_ONE) over the frame before the interface.
//   The frame is stored sRGB-encoded, where a small linear addition g over
//   a dark pixel s is about g / (2 s): the gain stands in for that factor.
precision highp float;

uniform sampler2D u_src;
uniform vec2 u_texel;     // 1 / u_src's size
uniform vec2 u_dir;       // MH_BLOOM_BLUR: one texel along the blur's axis
uniform float u_strength; // the composite's gain

in vec2 v_uv;
out vec4 o_color;

const float KNEE_LO = 0.62; // linear light (about 0.80 stored): no glow below
const float KNEE_HI = 0.92; // full glow above

#if defined(MH_BLOOM_DOWN)
vec3 bright(vec2 uv)
{
    vec3 s = texture(u_src, uv).rgb;
    vec3 c = s * s; // close enough to the sRGB curve near white, and cheap
    float m = max(c.r, max(c.g, c.b));
    // each channel again by its share of the brightest: a white panel's glow
    // stays white, a coloured light's keeps its hue (the weak channels grow
    // less, so the glow over a cyan ring does not wash it toward white)
    return c * (c / max(m, 1e-4)) * smoothstep(KNEE_LO, KNEE_HI, m);
}

void main()
{
    vec2 d = u_texel; // the reads sit between texels: each averages four
    o_color = vec4(0.25 * (bright(v_uv + vec2(-d.x, -d.y)) + bright(v_uv + vec2(d.x, -d.y)) +
                           bright(v_uv + vec2(-d.x, d.y)) + bright(v_uv + vec2(d.x, d.y))),
                   1.0);
}
#elif defined(MH_BLOOM_BLUR)
void main()
{
    vec2 o1 = u_dir * 1.3846153846, o2 = u_dir * 3.2307692308;
    vec3 c = texture(u_src, v_uv).rgb * 0.2270270270;
    c += (texture(u_src, v_uv + o1).rgb + texture(u_src, v_uv - o1).rgb) * 0.3162162162;
    c += (texture(u_src, v_uv + o2).rgb + texture(u_src, v_uv - o2).rgb) * 0.0702702703;
    o_color = vec4(c, 1.0);
}
#else
void main()
{
    o_color = vec4(texture(u_src, v_uv).rgb * u_strength, 1.0);
}
#endif
