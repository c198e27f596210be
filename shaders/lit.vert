#version 300 es
// lit.vert - static hall geometry, already in world space.
// Vertex colours arrive sRGB-encoded in bytes and are linearised here so all
// lighting happens in linear space. Built again with MH_MULTIVIEW for a
// headset's single pass (GL_OVR_multiview2): one draw for both eyes, each
// eye's camera picked by gl_ViewID_OVR.
#ifdef MH_MULTIVIEW
#extension GL_OVR_multiview2 : require
layout(num_views = 2) in;
uniform mat4 u_view_proj[2];
uniform vec3 u_eye[2];
flat out vec3 v_eye;            // this eye's position, for the fragment shader
#define VIEW_PROJ u_view_proj[gl_ViewID_OVR]
#else
uniform mat4 u_view_proj;
#define VIEW_PROJ u_view_proj
#endif
layout(location = 0) in vec3 a_pos;
layout(location = 1) in vec3 a_normal;
layout(location = 2) in vec2 a_uv;
layout(location = 3) in vec4 a_color;   // sRGB bytes, normalised
layout(location = 4) in vec4 a_params;  // x: emissive 0..1

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
#ifdef MH_MULTIVIEW
    v_eye = u_eye[gl_ViewID_OVR];
#endif
    gl_Position = VIEW_PROJ * vec4(a_pos, 1.0);
}
