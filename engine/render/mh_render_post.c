/* mh_render_post.c - post-processing anti-aliasing: the frame is drawn
 * into a colour texture of its own and then copied into its real target by
 * one full-screen pass (shaders/post.frag): the lean edge blend of the low
 * quality level (the default on a CPU rasteriser, built to be cheap on
 * llvmpipe) or FXAA (medium). Where the real target is the renderer's own
 * offscreen one, the texture shares that target's depth buffer and the pass
 * runs before the interface is drawn (mh_render_post_end from
 * mh_renderer_draw_ui): panel text and buttons are drawn after it, sharp,
 * still hidden by the hall where they should be. Into a window or a headset
 * swapchain (whose depth is not ours) the interface goes into the texture
 * too and the pass runs at the frame's end. The texture is made on the
 * first frame and again only when the target's size changes: no allocation
 * in a steady frame. */
#include "mh_renderer_internal.h"

#include "../core/mh_log.h"
#include "mh_shaders.h"

#include <string.h>

static bool make_program(mh_renderer *r, mh_error *err)
{
    if (r->post_program)
        return true;
    /* llvmpipe: the edge blend shares reads across each 2x2 quad through its derivatives (MH_QUAD), exact
     * there (the differences within the quad's row and column); elsewhere dFdx may be coarse: plain reads */
    bool quad = r->post_lean && strstr(r->gl_name, "llvmpipe");
    r->post_program = mh_render_link(mh_shader_post_vert, mh_shader_post_frag,
                                     quad           ? "#define MH_LEAN 1\n#define MH_QUAD 1\n"
                                     : r->post_lean ? "#define MH_LEAN 1\n"
                                                    : "",
                                     "post", err);
    if (!r->post_program)
        return false;
    r->u_post_color = glGetUniformLocation(r->post_program, "u_color");
    r->u_post_texel = glGetUniformLocation(r->post_program, "u_texel");
    glGenVertexArrays(1, &r->post_vao); /* no attributes: the triangle comes from gl_VertexID */
    return true;
}

static void free_target(mh_renderer *r)
{
    glDeleteFramebuffers(1, &r->post_fbo);
    glDeleteTextures(1, &r->post_color);
    if (r->post_depth != r->msaa_depth) /* not the offscreen target's own */
        glDeleteRenderbuffers(1, &r->post_depth);
    r->post_fbo = r->post_color = r->post_depth = 0;
    r->post_w = r->post_h = 0;
}

/* The colour texture and depth buffer the frame is drawn into, w x h: the
 * offscreen target's depth buffer where that is the real target (no MSAA
 * there: the pass is only used without), else one of its own. */
static bool make_target(mh_renderer *r, int w, int h)
{
    if (r->post_fbo && r->post_w == w && r->post_h == h)
        return true;
    free_target(r);
    glGenTextures(1, &r->post_color);
    glBindTexture(GL_TEXTURE_2D, r->post_color);
    glTexStorage2D(GL_TEXTURE_2D, 1, GL_RGBA8, w, h);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glBindTexture(GL_TEXTURE_2D, 0);
    if (r->post_shared_depth) {
        r->post_depth = r->msaa_depth;
    } else {
        glGenRenderbuffers(1, &r->post_depth);
        glBindRenderbuffer(GL_RENDERBUFFER, r->post_depth);
        glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH_COMPONENT24, w, h);
    }
    glGenFramebuffers(1, &r->post_fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, r->post_fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, r->post_color, 0);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, r->post_depth);
    if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
        free_target(r);
        return false;
    }
    r->post_w = w;
    r->post_h = h;
    return true;
}

/* Whether frames go through the pass: asked for, not failed, not a
 * two-layer target (the pass has one layer). */
static bool wanted(const mh_renderer *r) { return (r->fxaa || r->post_lean) && !r->post_failed && !r->multiview; }

/* Said once; frames go straight to their target from then on. */
static void turn_off(mh_renderer *r, const char *why)
{
    mh_log_warn("gl", "anti-aliasing (%s) is off: %s", r->post_lean ? "edge blend" : "FXAA", why);
    r->post_failed = true;
}

bool mh_render_post_begin(mh_renderer *r, GLuint final_fbo, int w, int h)
{
    r->post_active = false;
    if (!wanted(r))
        return false;
    /* the offscreen target without MSAA: its depth is shared, the interface drawn after the pass */
    bool shared = r->width && !r->samples && final_fbo == r->msaa_fbo && w == r->width && h == r->height;
    if (r->post_fbo && shared != r->post_shared_depth)
        free_target(r);
    r->post_shared_depth = shared;
    mh_error err;
    if (!make_program(r, &err) || !make_target(r, w, h)) {
        turn_off(r, r->post_program ? "its framebuffer is incomplete" : err.message);
        return false;
    }
    r->post_final = final_fbo;
    r->post_active = true;
    glBindFramebuffer(GL_FRAMEBUFFER, r->post_fbo);
    return true;
}

void mh_render_post_link(mh_renderer *r)
{
    mh_error err;
    if (wanted(r) && !make_program(r, &err))
        turn_off(r, err.message);
}

/* The pass into fbo from texture (w x h), in the state it is drawn in. */
static void draw_pass(mh_renderer *r, GLuint fbo, GLuint texture, int w, int h)
{
    glBindFramebuffer(GL_FRAMEBUFFER, fbo);
    glViewport(0, 0, w, h);
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_BLEND);
    glDisable(GL_CULL_FACE);
    glDisable(GL_SCISSOR_TEST);
    glUseProgram(r->post_program);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, texture);
    r->bound[0] = texture;
    glUniform1i(r->u_post_color, 0);
    glUniform2f(r->u_post_texel, 1.0f / (float)w, 1.0f / (float)h);
    glBindVertexArray(r->post_vao);
    glDrawArrays(GL_TRIANGLES, 0, 3);
    glBindVertexArray(0);
    glEnable(GL_DEPTH_TEST);
}

void mh_render_post_end(mh_renderer *r)
{
    if (!r->post_active)
        return;
    r->post_active = false;
    draw_pass(r, r->post_final, r->post_color, r->post_w, r->post_h);
}

void mh_render_post_warm(mh_renderer *r, GLuint fbo)
{
    mh_error err;
    if (!wanted(r) || !make_program(r, &err))
        return; /* the first frame says why */
    static const uint8_t texels[6 * 6 * 4];
    GLuint texture; /* shaped as post_color: RGBA8, one level, linear, clamped, not a power of two */
    glGenTextures(1, &texture);
    glBindTexture(GL_TEXTURE_2D, texture);
    glTexStorage2D(GL_TEXTURE_2D, 1, GL_RGBA8, 6, 6);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, 6, 6, GL_RGBA, GL_UNSIGNED_BYTE, texels);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    draw_pass(r, fbo, texture, 4, 4);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    glDeleteTextures(1, &texture);
    r->bound[0] = 0;
}

void mh_render_post_destroy(mh_renderer *r)
{
    free_target(r);
    glDeleteProgram(r->post_program);
    glDeleteVertexArrays(1, &r->post_vao);
    r->post_program = r->post_vao = 0;
}
