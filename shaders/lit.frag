#version 300 es
// lit.frag - glTF 2.0 metallic-roughness (Appendix B): GGX distribution,
// height-correlated Smith visibility, Schlick Fresnel, the Lambert diffuse
// weighted by (1 - F). Light: the hall's sun, up to 4 of an exhibit's own
// KHR_lights_punctual lights (MH_LIGHTS), and image-based light from the
// hall itself (diffuse from nine spherical-harmonic coefficients, specular
// from a GGX-prefiltered cube with the split sum's second factor as an
// analytic fit, and multiple-scattering energy compensation as three.js
// does). Then the hall's glow (light boxes: mix toward the unlit base
// colour), emissive, exponential fog, and sRGB encoding (the framebuffer is
// plain RGBA8 on every platform; BLEND therefore mixes sRGB values, as a
// web browser does).
// Variants (#defines, chosen per material by the renderer): each texture
// (MH_TEX_BASE, MH_TEX_MR, MH_NORMAL_MAP, MH_TEX_OCCLUSION,
// MH_TEX_EMISSIVE) only when the material has it, so a plain surface
// samples nothing but the environment; MH_VERTEX_EMISSIVE takes the
// emissive light from the vertices instead (the floor's baked light where
// it is smooth: mh_scene_bake.c); MH_MASK and MH_DISSOLVE (the
// crossfade's ordered dither) are the only variants with a discard;
// MH_UNLIT (KHR_materials_unlit, and the triangles that glow at 50 % or more:
// mh_mesh_triangle_unlit) shows the base colour alone; MH_DOUBLE_SIDED
// turns back faces' normals around; MH_SDF (signs' text) reads the base
// texture's red as a distance field for the coverage (alpha, blended) and
// takes the colour from the vertex; MH_SHADOW (quality high, near the
// featured exhibit) lights it and the stage around it by the stage's key
// light (the sun's colour and height, from the visitors' side) instead of
// the sun, dimmed by the exhibit's shadow map: four hardware-compared
// bilinear taps, a soft edge a few texels wide. MH_REFLECT (quality high,
// the polished floor) takes the specular light from the hall mirrored in
// the floor (mh_render_reflect.c) at this pixel, four taps of a mip level
// chosen by the roughness, stretched down the screen, instead of the environment cube, weighed by the split sum
// (Fresnel: little looking down, more at a grazing angle), and keeps only
// part of the baked light (its reflection pools would double it).
precision highp float;

in vec3 v_world;
in vec3 v_normal;
in vec4 v_color;
in vec4 v_params;     // glow, metallic, roughness, occlusion
// The diffuse light from the harmonics per vertex (a smooth function of the
// normal), except where the normal changes per pixel (normal maps) or turns
// around (double-sided back faces).
#if defined(MH_NORMAL_MAP) || defined(MH_DOUBLE_SIDED)
#define PIXEL_IRRADIANCE 1
#elif !defined(MH_UNLIT)
in vec3 v_irradiance;
#endif
#ifdef MH_NORMAL_MAP
in vec4 v_tangent;
#endif
#ifdef MH_UV_SHARED
in vec2 v_uv;
#define UV_BASE v_uv
#define UV_MR v_uv
#define UV_NORMAL v_uv
#define UV_OCCLUSION v_uv
#define UV_EMISSIVE v_uv
#else
#ifdef MH_TEX_BASE
in vec2 v_uv_base;
#define UV_BASE v_uv_base
#endif
#ifdef MH_TEX_MR
in vec2 v_uv_mr;
#define UV_MR v_uv_mr
#endif
#ifdef MH_NORMAL_MAP
in vec2 v_uv_normal;
#define UV_NORMAL v_uv_normal
#endif
#ifdef MH_TEX_OCCLUSION
in vec2 v_uv_occlusion;
#define UV_OCCLUSION v_uv_occlusion
#endif
#ifdef MH_TEX_EMISSIVE
in vec2 v_uv_emissive;
#define UV_EMISSIVE v_uv_emissive
#endif
#endif
#ifdef MH_VERTEX_EMISSIVE
in vec3 v_emissive;   // the baked light per vertex, instead of an emissive texture
#endif
#ifdef MH_MULTIVIEW
flat in vec3 v_eye;   // both eyes in one pass: this one's position (lit.vert)
#endif

layout(std140) uniform Frame {
    mat4 u_view_proj;
    vec4 u_eye;
    vec4 u_sun_dir;
    vec4 u_sun_color;
    vec4 u_fog;
    vec4 u_sh[9];
    vec4 u_env;
};

layout(std140) uniform Material {
    vec4 u_emissive;
    vec4 u_mparams;
    vec4 u_xform[10];
};

uniform sampler2D u_tex_base;        // sRGB: the sampler returns linear values
uniform sampler2D u_tex_mr;          // G roughness, B metallic
uniform sampler2D u_tex_normal;
uniform sampler2D u_tex_occlusion;   // R
uniform sampler2D u_tex_emissive;    // sRGB
uniform samplerCube u_env_cube;      // radiance, GGX-prefiltered per level
#ifdef MH_LIGHTS
uniform vec4 u_light_pos[4];         // xyz, w: type (0 directional, 1 point, 2 spot)
uniform vec4 u_light_dir[4];         // xyz: where it shines, w: range (0 infinite)
uniform vec4 u_light_color[4];       // rgb times intensity
uniform vec4 u_light_cone[4];        // x: cos outer, y: cos inner
uniform int u_light_count;
#endif
#ifdef MH_SHADOW
in vec3 v_shadow;
uniform highp sampler2DShadow u_shadow_map;
uniform vec4 u_shadow_params[3];     // [0].y: the taps' distance from the centre (texture units);
                                     // [1].xyz: the stage's key light (points at it);
                                     // [2]: the stage's centre (x, z), and the radii within which
                                     // the key light replaces the sun, fading out to the outer one
#endif
#ifdef MH_REFLECT
uniform sampler2D u_reflect_map;     // sRGB-encoded RGBA8, half the frame's size
uniform vec4 u_reflect[2];           // [0]: the view's viewport (x, y, 1/w, 1/h);
                                     // [1]: near-white's gain, the baked light kept, the mip level
                                     // at roughness 1, the others' gain
#endif
#ifdef MH_DISSOLVE
uniform float u_dissolve;            // t > 0: keep the pixels whose threshold is below t; -t: the others
#endif

out vec4 o_color;

const float PI = 3.14159265;

// The sRGB curve with its power segment fitted from three square roots
// (within a quarter level of 8-bit output): a CPU rasteriser does a square
// root in one instruction for 8 pixels, but pow() as a log2 and an exp2.
vec3 linear_to_srgb(vec3 c)
{
    c = clamp(c, 0.0, 1.0);
    vec3 s = sqrt(c);
    vec3 curve = ((((0.5161127289 * s - 1.6202257749) * s + 2.0279492183) * s - 1.4010384418) * s + 1.5176151023) * s -
                 0.0400888312;
    return mix(c * 12.92, min(curve, 1.0), step(vec3(0.0031308), c));
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

#ifndef MH_UNLIT
// GGX (Trowbridge-Reitz) times the Smith visibility, alpha = a, a2 = alpha^2;
// the height-correlated visibility in Hammon's form (Filament's
// V_SmithGGXCorrelatedFast): the pair costs one division, where the exact
// one takes two square roots more, a third of a pixel's time on a CPU
// rasteriser.
float specular_dv(float nh, float nl, float nv, float a, float a2)
{
    float d = nh * nh * (a2 - 1.0) + 1.0;
    return a2 / (2.0 * PI * d * d * max(mix(2.0 * nl * nv, nl + nv, a), 1e-5));
}

// What a surface point needs for every light (three.js's PhysicalMaterial,
// without its extensions).
struct surface {
    vec3 n, v, c_diff, f0;
    float nv, a, a2, rough;
    vec3 ms_comp;        // multiple-scattering compensation of the specular lobe
};

// Light arriving along l with irradiance `light` (colour times N.L to come):
// GGX specular times the compensation, plus Lambert weighted by (1 - F) with
// F the dielectric Fresnel (glTF's fresnel_mix: a metal has no diffuse).
vec3 direct(surface s, vec3 l, vec3 light)
{
    float nl = dot(s.n, l);
    if (nl <= 0.0)
        return vec3(0.0);
    vec3 h = normalize(l + s.v);
    float nh = max(dot(s.n, h), 0.0), vh = max(dot(s.v, h), 0.0);
    float x = 1.0 - vh, x2 = x * x, x5 = x2 * x2 * x;
    vec3 F = s.f0 + (1.0 - s.f0) * x5;
    float f_diel = 0.04 + 0.96 * x5;
    vec3 spec = F * specular_dv(nh, nl, s.nv, s.a, s.a2) * s.ms_comp;
    return (s.c_diff * ((1.0 - f_diel) / PI) + spec) * light * nl;
}

vec3 sh_irradiance(vec3 n)
{
    return max(u_sh[0].rgb + u_sh[1].rgb * n.y + u_sh[2].rgb * n.z + u_sh[3].rgb * n.x +
               u_sh[4].rgb * (n.x * n.y) + u_sh[5].rgb * (n.y * n.z) + u_sh[6].rgb * (3.0 * n.z * n.z - 1.0) +
               u_sh[7].rgb * (n.x * n.z) + u_sh[8].rgb * (n.x * n.x - n.y * n.y), 0.0) * u_env.z;
}

// The split sum's environment BRDF (scale, bias on F0): Karis' analytic fit
// of the GGX-Smith integral.
vec2 env_brdf(float rough, float nv)
{
    const vec4 c0 = vec4(-1.0, -0.0275, -0.572, 0.022);
    const vec4 c1 = vec4(1.0, 0.0425, 1.04, -0.04);
    vec4 r = rough * c0 + c1;
    float a004 = min(r.x * r.x, exp2(-9.28 * nv)) * r.x + r.y;
    return vec2(-1.04, 1.04) * a004 + r.zw;
}

// Image-based light: the prefiltered cube along the reflection and the
// irradiance, with Fdez-Aguera's multiple scattering (three.js's split: the
// diffuse loses what the dielectric layer reflects).
vec3 image_light(surface s, vec2 ab, float ao, vec3 irradiance)
{
    vec3 single = s.f0 * ab.x + ab.y;
    float ems = 1.0 - (ab.x + ab.y);
    vec3 f_avg = s.f0 + (1.0 - s.f0) * 0.047619;
    vec3 multi = single * f_avg * ems / (1.0 - ems * f_avg);
    float single_d = 0.04 * ab.x + ab.y, multi_d = single_d * 0.0857 * ems / (1.0 - ems * 0.0857);
#ifdef MH_REFLECT
    float lod = s.rough * u_reflect[1].z;
    vec2 uv = (gl_FragCoord.xy - u_reflect[0].xy) * u_reflect[0].zw;
    vec2 o = exp2(lod) / vec2(textureSize(u_reflect_map, 0)) * vec2(0.5, 1.5);   // stretched down the floor
    vec3 m = 0.25 * (textureLod(u_reflect_map, uv + vec2(-o.x, -o.y), lod).rgb +
                     textureLod(u_reflect_map, uv + vec2(o.x, -o.y * 0.33), lod).rgb +
                     textureLod(u_reflect_map, uv + vec2(-o.x, o.y * 0.33), lod).rgb +
                     textureLod(u_reflect_map, uv + vec2(o.x, o.y), lod).rgb);
    // sRGB to linear (a square is close enough under a blur); what shows near
    // white glows (panels, screens, light lines): brighter than 8 bits hold,
    // as the bake's reflection pools take it (GLOW_POWER, mh_lightbake.c)
    vec3 radiance = m * m * mix(u_reflect[1].w, u_reflect[1].x, smoothstep(0.35, 0.9, max(m.r, max(m.g, m.b))));
#else
    vec3 radiance = textureLod(u_env_cube, reflect(-s.v, s.n), s.rough * u_env.y).rgb * u_env.x;
#endif
    vec3 diffuse = s.c_diff * (1.0 - single_d - multi_d);
    return (radiance * single + (multi + diffuse) * irradiance) * ao;
}

#ifdef MH_SHADOW
// The fraction of the sun reaching this point.
float sun_visibility()
{
    float o = u_shadow_params[0].y;
    return 0.25 * (texture(u_shadow_map, vec3(v_shadow.xy + vec2(-o, -o), v_shadow.z)) +
                   texture(u_shadow_map, vec3(v_shadow.xy + vec2(o, -o), v_shadow.z)) +
                   texture(u_shadow_map, vec3(v_shadow.xy + vec2(-o, o), v_shadow.z)) +
                   texture(u_shadow_map, vec3(v_shadow.xy + vec2(o, o), v_shadow.z)));
}
#endif

#ifdef MH_LIGHTS
vec3 punctual(surface s)
{
    vec3 sum = vec3(0.0);
    for (int i = 0; i < u_light_count; i++) {
        vec3 l = -u_light_dir[i].xyz;
        float k = 1.0;
        if (u_light_pos[i].w > 0.5) {
            vec3 d = u_light_pos[i].xyz - v_world;
            float d2 = max(dot(d, d), 1e-8);
            l = d * inversesqrt(d2);
            k = 1.0 / d2;
            float range = u_light_dir[i].w;
            if (range > 0.0) {
                float q = d2 / (range * range);
                float win = clamp(1.0 - q * q, 0.0, 1.0);
                k *= win * win;
            }
            if (u_light_pos[i].w > 1.5)
                k *= smoothstep(u_light_cone[i].x, u_light_cone[i].y, dot(u_light_dir[i].xyz, -l));
        }
        sum += direct(s, l, u_light_color[i].rgb * k);
    }
    return sum;
}
#endif
#endif

void main()
{
#ifdef MH_DISSOLVE
    dissolve();
#endif
    vec4 base = v_color;
#if defined(MH_TEX_BASE) && defined(MH_SDF)
    // a sign's text: the base texture's red is a signed distance field (the
    // outline at 0.5), anti-aliased over about one screen pixel at any
    // distance, as the interface's text (ui.frag); the colour is the
    // vertex's. The edge at 0.48 weighs as the baked text did; a sharper mip
    // level (-1.5) and an edge moved out where a screen pixel covers much of
    // the field (small, far text) keep thin strokes from fading away
    // (tests/bench/NOTES.md, "Signs from a distance-field atlas")
    float sd = texture(u_tex_base, UV_BASE, -1.5).r;
    float fw = fwidth(sd), aa = max(fw * 0.75, 1.0 / 255.0), edge = 0.48 - 0.4 * max(fw - 0.2, 0.0);
    base.a *= smoothstep(edge - aa, edge + aa, sd);
#elif defined(MH_TEX_BASE)
    base *= texture(u_tex_base, UV_BASE);
#endif
#ifdef MH_MASK
    if (base.a < u_mparams.y)
        discard;
#endif
#ifdef MH_MULTIVIEW
    vec3 to_eye = v_eye - v_world;   // this eye's (lit.vert)
#else
    vec3 to_eye = u_eye.xyz - v_world;
#endif
    float d2 = max(dot(to_eye, to_eye), 1e-8), inv_dist = inversesqrt(d2), dist = d2 * inv_dist;
    float glow = v_params.x;
#ifdef MH_UNLIT
    vec3 c = base.rgb;
    glow = 1.0;
#else
    float metal = v_params.y, rough = v_params.z, ao = v_params.w;
#ifdef MH_TEX_MR
    vec4 mr = texture(u_tex_mr, UV_MR);
    rough *= mr.g;
    metal *= mr.b;
#endif
    rough = clamp(rough, 0.045, 1.0);   // as three.js and Filament: a mirror still reads a prefiltered level
#ifdef MH_TEX_OCCLUSION
    ao *= 1.0 + u_mparams.x * (texture(u_tex_occlusion, UV_OCCLUSION).r - 1.0);
#endif
    vec3 n = normalize(v_normal);
#ifdef MH_DOUBLE_SIDED
    n = gl_FrontFacing ? n : -n;
#endif
#ifdef MH_NORMAL_MAP
    vec3 t = normalize(v_tangent.xyz - n * dot(n, v_tangent.xyz));
#ifdef MH_DOUBLE_SIDED
    t = gl_FrontFacing ? t : -t;
#endif
    vec3 b = cross(n, t) * v_tangent.w;
    vec3 tn = texture(u_tex_normal, UV_NORMAL).xyz * 2.0 - 1.0;
    tn.xy *= u_emissive.a;
    n = normalize(mat3(t, b, n) * tn);
#endif
#ifdef PIXEL_IRRADIANCE
    vec3 irradiance = sh_irradiance(n);
#else
    vec3 irradiance = v_irradiance;
#endif
    surface s;
    s.n = n;
    s.v = to_eye * inv_dist;
    s.nv = max(dot(n, s.v), 1e-4);
    s.rough = rough;
    s.c_diff = base.rgb * (1.0 - metal);
    s.f0 = mix(vec3(0.04), base.rgb, metal);
    s.a = rough * rough;
    s.a2 = s.a * s.a;
    vec2 ab = env_brdf(rough, s.nv);
    s.ms_comp = 1.0 + s.f0 * (1.0 / (ab.x + ab.y) - 1.0);
#ifdef MH_SHADOW
    vec4 area = u_shadow_params[2];
    float key = 1.0 - smoothstep(area.z, area.w, distance(v_world.xz, area.xy));
    vec3 l = normalize(mix(u_sun_dir.xyz, u_shadow_params[1].xyz, key));
    vec3 c = direct(s, l, u_sun_color.rgb * mix(1.0, sun_visibility(), key));
#else
    vec3 c = direct(s, u_sun_dir.xyz, u_sun_color.rgb);
#endif
#ifdef MH_LIGHTS
    c += punctual(s);
#endif
    c += image_light(s, ab, ao, irradiance);
    c = mix(c, base.rgb, glow);
    vec3 emissive = u_emissive.rgb;
#ifdef MH_TEX_EMISSIVE
    emissive *= texture(u_tex_emissive, UV_EMISSIVE).rgb;
#endif
#ifdef MH_VERTEX_EMISSIVE
    emissive = v_emissive;
#endif
#ifdef MH_REFLECT
    emissive *= u_reflect[1].y;
#endif
    c += emissive;
#endif
    float fog = 1.0 - exp(-u_fog.a * dist);
    c = mix(c, u_fog.rgb, fog * (1.0 - 0.6 * glow));
    o_color = vec4(linear_to_srgb(c), base.a);
}
