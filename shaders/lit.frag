#version 300 es
// lit.frag - hemisphere ambient + one directional light + a soft highlight,
// emissive blend for light boxes and strips, exponential fog, and sRGB
// encoding of the result (the framebuffer is plain RGBA8 on every platform).
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

out vec4 o_color;

vec3 linear_to_srgb(vec3 c)
{
    c = clamp(c, 0.0, 1.0);
    return mix(c * 12.92, 1.055 * pow(c, vec3(1.0 / 2.4)) - 0.055, step(vec3(0.0031308), c));
}

void main()
{
    vec3 base = v_color * texture(u_base, v_uv).rgb;
    vec3 n = normalize(v_normal);
    vec3 to_eye = u_eye - v_world;
    float dist = length(to_eye);
    vec3 v = to_eye / max(dist, 1e-4);
    vec3 ambient = mix(u_ground, u_sky, n.y * 0.5 + 0.5);
    float ndl = max(dot(n, u_sun_dir), 0.0);
    float spec = pow(max(dot(n, normalize(v + u_sun_dir)), 0.0), 40.0) * 0.12;
    vec3 lit = base * (ambient + u_sun_color * ndl) + u_sun_color * spec * ndl;
    vec3 c = mix(lit, base, v_emissive);
    float fog = 1.0 - exp(-u_fog_density * dist);
    c = mix(c, u_fog_color, fog * (1.0 - 0.6 * v_emissive));
    o_color = vec4(linear_to_srgb(c), 1.0);
}
