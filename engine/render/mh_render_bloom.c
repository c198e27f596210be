/* mh_render_bloom.c - the glow of emissive light boxes, screens and ceiling
 * panels at quality high (a GPU's level): after the hall is drawn and before
 * the interface, the frame is copied (resolved, when it is multisampled)
 * into a texture, its near-white parts taken down to a quarter of its size,
 * blurred across and down (shaders/bloom.frag), and added back over the
 * frame. Its targets are made on the first frame and again only when the
 * frame's size changes: no allocation in a steady frame. A step the driver
 * refuses (a window whose format cannot be copied from) turns it off, said
 * once. Not for two eyes (the blur would cross between them) or multiview. */
#include "mh_renderer_internal.h"

#include "../core/mh_log.h"
#include "mh_shaders.h"

#define BLOOM_STRENGTH 2.2f /* the composite's gain, see bloom.frag */

static GLuint link_pass(const char *defines, GLint *u_src, GLint *u_texel, GLint *u_dir, GLint *u_strength,
                        mh_error *err)
{
    GLuint p = mh_render_link(mh_shader_post_vert, mh_shader_bloom_frag, defines, "bloom", err);
    if (!p)
        return 0;
    *u_src = glGetUniformLocation(p, "u_src");
    *u_texel = glGetUniformLocation(p, "u_texel");
    *u_dir = glGetUniformLocation(p, "u_dir");
    *u_strength = glGetUniformLocation(p, "u_strength");
    return p;
}

static bool make_programs(mh_renderer *r, mh_error *err)
{
    if (r->bloom_prog[0])
        return true;
    static const char *const defines[3] = {"#define MH_BLOOM_DOWN 1\n", "#define MH_BLOOM_BLUR 1\n", ""};
    for (int i = 0; i < 3; i++) {
        mh_render_bloom_pass *p = &r->bloom_pass[i];
        r->bloom_prog[i] = link_pass(defines[i], &p->u_src, &p->u_texel, &p->u_dir, &p->u_strength, err);
        if (!r->bloom_prog[i])
            return false;
    }
    glGenVertexArrays(1, &r->bloom_vao); /* no attributes: the triangle comes from gl_VertexID */
    return true;
}

static void free_targets(mh_renderer *r)
{
    glDeleteFramebuffers(3, r->bloom_fbo);
    glDeleteTextures(3, r->bloom_tex);
    for (int i = 0; i < 3; i++)
        r->bloom_fbo[i] = r->bloom_tex[i] = 0;
    r->bloom_w = r->bloom_h = 0;
}

static GLuint target(GLuint tex, int w, int h)
{
    glBindTexture(GL_TEXTURE_2D, tex);
    glTexStorage2D(GL_TEXTURE_2D, 1, GL_RGBA8, w, h);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    GLuint fb;
    glGenFramebuffers(1, &fb);
    glBindFramebuffer(GL_FRAMEBUFFER, fb);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, tex, 0);
    bool ok = glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
    glBindTexture(GL_TEXTURE_2D, 0);
    if (!ok)
        glDeleteFramebuffers(1, &fb);
    return ok ? fb : 0;
}

/* The frame's copy (w x h) and two quarter-size targets for the blur. */
static bool make_targets(mh_renderer *r, int w, int h)
{
    if (r->bloom_fbo[0] && r->bloom_w == w && r->bloom_h == h)
        return true;
    free_targets(r);
    int qw = w / 4 > 1 ? w / 4 : 1, qh = h / 4 > 1 ? h / 4 : 1;
    glGenTextures(3, r->bloom_tex);
    for (int i = 0; i < 3; i++) {
        r->bloom_fbo[i] = target(r->bloom_tex[i], i ? qw : w, i ? qh : h);
        if (!r->bloom_fbo[i]) {
            free_targets(r);
            return false;
        }
    }
    r->bloom_w = w;
    r->bloom_h = h;
    return true;
}

static void off(mh_renderer *r, const char *why)
{
    mh_log_warn("gl", "the glow of light boxes (bloom) is off: %s", why);
    r->bloom_failed = true;
}

/* One full-screen pass of program i from texture src into fbo dst (w x h). */
static void pass(mh_renderer *r, int i, GLuint src, int src_w, int src_h, GLuint dst, int w, int h, float dx, float dy)
{
    const mh_render_bloom_pass *p = &r->bloom_pass[i];
    glBindFramebuffer(GL_FRAMEBUFFER, dst);
    glViewport(0, 0, w, h);
    glUseProgram(r->bloom_prog[i]);
    glBindTexture(GL_TEXTURE_2D, src);
    glUniform1i(p->u_src, 0);
    glUniform2f(p->u_texel, 1.0f / (float)src_w, 1.0f / (float)src_h);
    glUniform2f(p->u_dir, dx / (float)src_w, dy / (float)src_h);
    glUniform1f(p->u_strength, BLOOM_STRENGTH);
    glDrawArrays(GL_TRIANGLES, 0, 3);
}

bool mh_render_bloom_wanted(const mh_renderer *r, int view_count)
{
    return r->desc.bloom > 0 && view_count == 1 && !r->multiview && !r->bloom_failed;
}

void mh_render_bloom(mh_renderer *r, GLuint frame_fbo, int w, int h)
{
    mh_error err;
    if (!make_programs(r, &err)) {
        off(r, err.message);
        return;
    }
    if (!make_targets(r, w, h)) {
        off(r, "its framebuffers are incomplete");
        return;
    }
    glGetError(); /* what came before is not ours to report */
    glBindFramebuffer(GL_READ_FRAMEBUFFER, frame_fbo);
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, r->bloom_fbo[0]);
    glBlitFramebuffer(0, 0, w, h, 0, 0, w, h, GL_COLOR_BUFFER_BIT, GL_NEAREST);
    if (glGetError() != GL_NO_ERROR) {
        off(r, "the frame could not be copied (its format differs)");
        glBindFramebuffer(GL_FRAMEBUFFER, frame_fbo);
        return;
    }
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_BLEND);
    glDisable(GL_CULL_FACE);
    glDisable(GL_SCISSOR_TEST);
    glDepthMask(GL_FALSE);
    glBindVertexArray(r->bloom_vao);
    glActiveTexture(GL_TEXTURE0);
    int qw = w / 4 > 1 ? w / 4 : 1, qh = h / 4 > 1 ? h / 4 : 1;
    pass(r, 0, r->bloom_tex[0], w, h, r->bloom_fbo[1], qw, qh, 0, 0);   /* bright, down */
    pass(r, 1, r->bloom_tex[1], qw, qh, r->bloom_fbo[2], qw, qh, 1, 0); /* across */
    pass(r, 1, r->bloom_tex[2], qw, qh, r->bloom_fbo[1], qw, qh, 0, 1); /* down */
    glEnable(GL_BLEND);
    glBlendFunc(GL_ONE, GL_ONE);
    pass(r, 2, r->bloom_tex[1], qw, qh, frame_fbo, w, h, 0, 0); /* added over the frame */
    glDisable(GL_BLEND);
    glBindVertexArray(0);
    glBindTexture(GL_TEXTURE_2D, 0);
    r->bound[0] = 0;
    glDepthMask(GL_TRUE);
    glEnable(GL_DEPTH_TEST);
    glEnable(GL_CULL_FACE);
}

void mh_render_bloom_destroy(mh_renderer *r)
{
    free_targets(r);
    for (int i = 0; i < 3; i++) {
        glDeleteProgram(r->bloom_prog[i]);
        r->bloom_prog[i] = 0;
    }
    glDeleteVertexArrays(1, &r->bloom_vao);
    r->bloom_vao = 0;
}
