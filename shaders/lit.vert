#version 300 es
// lit.vert - static hall geometry, already in world space.
// Vertex colours arrive sRGB-encoded in bytes and are linearised here so all
// lighting happens in linear space.
layout(location = 0) in vec3 a_pos;
layout(location = 1) in vec3 a_normal;
layout(location = 2) in vec2 a_uv;
layout(location = 3) in vec4 a_color;   // sRGB bytes, normalised
layout(location = 4) in vec4 a_params;  // x: emissive 0..1

uniform mat4 u_view_proj;

out vec3 v_world;
out vec3 v_normal;
out vec2 v_uv;
out vec3 v_color;
out float v_emissive;

vec3 srgb_to_linear(vec3 c)
{
    return mix(c / 12.92, pow((c + 0.055) / 1.055, vec3(2.4)), step(vec3(0.04045), c));
}

void main()
{
    v_world = a_pos;
    v_normal = a_normal;
    v_uv = a_uv;
    v_color = srgb_to_linear(a_color.rgb);
    v_emissive = a_params.x;
    gl_Position = u_view_proj * vec4(a_pos, 1.0);
}
