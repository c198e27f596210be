#version 300 es
// shadow.vert - the featured exhibit's depth as the key light sees it
// (mh_render_shadow.c, quality high): positions only, through the light's
// orthographic view-projection times the part's model matrix. Skinned and
// morphed parts cast their rest pose.
layout(location = 0) in vec3 a_pos;
uniform mat4 u_mvp;

void main()
{
    gl_Position = u_mvp * vec4(a_pos, 1.0);
}
