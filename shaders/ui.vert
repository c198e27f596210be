#version 300 es
// ui.vert - the visitor interface: info panels, charts and highlights in the
// world, buttons, minimap and captions on the screen. Positions arrive in
// world metres or screen pixels; u_mvp maps either to clip space (with
// MH_MULTIVIEW, one per eye, both eyes in one draw: GL_OVR_multiview2).
#ifdef MH_MULTIVIEW
#extension GL_OVR_multiview2 : require
layout(num_views = 2) in;
uniform mat4 u_mvp[2];
#define MVP u_mvp[gl_ViewID_OVR]
#else
uniform mat4 u_mvp;
#define MVP u_mvp
#endif
layout(location = 0) in vec3 a_pos;
layout(location = 1) in vec2 a_uv;
layout(location = 2) in vec4 a_color;   // sRGB bytes + alpha, normalised

out vec2 v_uv;
out vec4 v_color;

void main()
{
    v_uv = a_uv;
    v_color = a_color;
    gl_Position = MVP * vec4(a_pos, 1.0);
}
