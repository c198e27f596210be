#version 300 es
// post.vert - one triangle over the whole target (no vertex buffer: the
// corners come from gl_VertexID), for the post-processing passes.
out vec2 v_uv;

void main()
{
    vec2 p = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));
    v_uv = p;
    gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0);
}
