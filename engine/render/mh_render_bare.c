/* mh_render_bare.c - the least a GL program does to show pixels: a colour
 * and depth target of the given size, a clear, one triangle from a
 * two-line shader, glFinish. `metahall bench` runs it in a child process
 * (metahall bench --egl-baseline) as the bare EGL program whose peak RSS
 * is the driver's share: what the hall costs is measured above it. */
#include "mh_renderer_internal.h"

static const char BARE_VS[] = "#version 300 es\n"
                              "void main() {\n"
                              "    vec2 p = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1)) * 2.0 - 0.5;\n"
                              "    gl_Position = vec4(p, 0.0, 1.0);\n"
                              "}\n";
static const char BARE_FS[] = "#version 300 es\n"
                              "precision mediump float;\n"
                              "out vec4 o_color;\n"
                              "void main() { o_color = vec4(1.0, 0.5, 0.25, 1.0); }\n";

bool mh_renderer_bare_frame(int width, int height, mh_error *err)
{
    GLuint fbo, rb[2], vao, program = mh_render_link(BARE_VS, BARE_FS, "", "bare", err);
    if (!program)
        return false;
    glGenFramebuffers(1, &fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, fbo);
    glGenRenderbuffers(2, rb);
    glBindRenderbuffer(GL_RENDERBUFFER, rb[0]);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, width, height);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, rb[0]);
    glBindRenderbuffer(GL_RENDERBUFFER, rb[1]);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH_COMPONENT24, width, height);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, rb[1]);
    bool ok = glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
    glViewport(0, 0, width, height);
    glClearColor(0.1f, 0.2f, 0.3f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
    glEnable(GL_DEPTH_TEST);
    glGenVertexArrays(1, &vao); /* no attributes: the corners come from gl_VertexID */
    glBindVertexArray(vao);
    glUseProgram(program);
    glDrawArrays(GL_TRIANGLES, 0, 3);
    glFinish();
    ok = ok && glGetError() == GL_NO_ERROR;
    glBindVertexArray(0);
    glDeleteVertexArrays(1, &vao);
    glUseProgram(0);
    glDeleteProgram(program);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    glDeleteFramebuffers(1, &fbo);
    glDeleteRenderbuffers(2, rb);
    return ok || mh_fail(err, "", "", "the bare frame (%dx%d target, one triangle) did not draw", width, height);
}
