#version 300 es
// lit.frag - hemisphere ambient + one directional light + a soft highlight,
// emissive blend for light boxes and strips, exponential fog, and sRGB
// encoding of the result (the framebuffer is plain RGBA8 on every platform).
// Built again with MH_UNTEXTURED for surfaces without a texture, and with MH_DISSOLVE defined: that variant drops pixels in
// an ordered-dither pattern to crossfade two opaque exhibits without sorting
// (kept out of the main variant: a discard costs early depth tests on GPUs).
precision highp float;

in vec3 v_world;
in vec3 v_normal;
in vec2 v_uv;
in vec3 v_color;
in float v_emissive;

uniform sampler2D u_base;       // sRGB texture: the sampler returns linear values
uniform vec3 u_eye;
uniform vec3 u_sky;
uniform vec3 u_ground;
uniform vec3 u_sun_color;
uniform vec3 u_sun_dir;         // unit vector toward the light
uniform vec3 u_fog_color;
uniform float u_fog_density;
#ifdef MH_DISSOLVE
uniform float u_dissolve;       // t > 0: keep the pixels whose threshold is below t; -t: the others
#endif

out vec4 o_color;

// The sRGB curve with its power segment fitted from three square roots
// (within a quarter level of 8-bit output): a CPU rasteriser does a square
// root in one instruction for 8 pixels, but pow() as a log2 and an exp2.
vec3 linear_to_srgb(vec3 c)
{
    c = clamp(c, 0.0, 1.0);
    vec3 s1 = sqrt(c), s2 = sqrt(s1), s3 = sqrt(s2);
    vec3 curve = 0.662002687 * s1 + 0.684122060 * s2 - 0.323583601 * s3 - 0.0225411470 * c;
    return mix(c * 12.92, min(curve, 1.0), step(vec3(0.0031308), c));
}

// x^40 by squaring (the highlight's sharpness), cheaper than pow().
float pow40(float x)
{
    float x2 = x * x, x4 = x2 * x2, x8 = x4 * x4, x32 = x8 * x8 * x8 * x8;
    return x32 * x8;
}

#ifdef MH_DISSOLVE
const float BAYER[16] = float[16](0.0, 8.0, 2.0, 10.0, 12.0, 4.0, 14.0, 6.0,
                                  3.0, 11.0, 1.0, 9.0, 15.0, 7.0, 13.0, 5.0);

void dissolve()
{
    ivec2 p = ivec2(gl_FragCoord.xy) & 3;
    float threshold = (BAYER[p.y * 4 + p.x] + 0.5) / 16.0;
    if (u_dissolve >= 0.0 ? threshold >= u_dissolve : threshold < -u_dissolve)
        discard;
}
#endif

void main()
{
#ifdef MH_DISSOLVE
    dissolve();
#endif
#ifdef MH_UNTEXTURED
    vec3 base = v_color;   // chunks without a texture skip the sampler (its cost is most of a pixel's on a CPU)
#else
    vec3 base = v_color * texture(u_base, v_uv).rgb;
#endif
    vec3 n = normalize(v_normal);
    vec3 to_eye = u_eye - v_world;
    float dist = length(to_eye);
    vec3 v = to_eye / max(dist, 1e-4);
    vec3 ambient = mix(u_ground, u_sky, n.y * 0.5 + 0.5);
    float ndl = max(dot(n, u_sun_dir), 0.0);
    float spec = pow40(max(dot(n, normalize(v + u_sun_dir)), 0.0)) * 0.12;
    vec3 lit = base * (ambient + u_sun_color * ndl) + u_sun_color * spec * ndl;
    vec3 c = mix(lit, base, v_emissive);
    float fog = 1.0 - exp(-u_fog_density * dist);
    c = mix(c, u_fog_color, fog * (1.0 - 0.6 * v_emissive));
    o_color = vec4(linear_to_srgb(c), 1.0);
}
