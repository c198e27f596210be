/* mh_render_multiview.c - both eyes in one pass (GL_OVR_multiview2): the
 * lit shader's MH_MULTIVIEW variants (key bit V_MULTIVIEW, each eye's
 * camera picked by gl_ViewID_OVR from the Views block) and the interface's,
 * the offscreen two-layer target of render/bench/headless --stereo
 * --multiview, and reading both layers back side by side. A headset's
 * platform attaches its own two-layer swapchain images and says so in
 * mh_frame_input.multiview. Where the driver lacks the extension every eye
 * is drawn in a pass of its own, as before (offscreen too: the ordinary
 * side-by-side target, with a warning). */
#include <string.h>

#include "../core/mh_log.h"
#include "mh_renderer_internal.h"
#include "mh_shaders.h"

#define VIEWS_FLOATS 40 /* lit.vert's Views block, std140: mat4[2], vec4[2] */

static bool has_extension(const char *name)
{
    GLint n = 0;
    glGetIntegerv(GL_NUM_EXTENSIONS, &n);
    for (GLint i = 0; i < n; i++) {
        const char *e = (const char *)glGetStringi(GL_EXTENSIONS, (GLuint)i);
        if (e && !strcmp(e, name))
            return true;
    }
    return false;
}

/* The interface's program, the plain lit variant (so a shader that does not
 * build is found now, not as a hall with nothing drawn) and the Views block. */
static bool build(mh_renderer *r, mh_error *err)
{
    r->ui_mv = mh_render_link(mh_shader_ui_vert, mh_shader_ui_frag, "#define MH_MULTIVIEW 1\n", "ui", err);
    if (!r->ui_mv)
        return false;
    r->u_ui_mv_mvp = glGetUniformLocation(r->ui_mv, "u_mvp");
    r->u_ui_mv_sdf = glGetUniformLocation(r->ui_mv, "u_sdf");
    r->u_ui_mv_tex = glGetUniformLocation(r->ui_mv, "u_tex");
    if (!mh_render_program(r, mh_render_shared_key(V_MULTIVIEW)))
        return mh_fail(err, "shaders/lit.vert", "", "the lit shader with MH_MULTIVIEW does not build");
    glGenBuffers(1, &r->views_ubo);
    glBindBuffer(GL_UNIFORM_BUFFER, r->views_ubo);
    glBufferData(GL_UNIFORM_BUFFER, sizeof(float) * VIEWS_FLOATS, NULL, GL_DYNAMIC_DRAW);
    glBindBuffer(GL_UNIFORM_BUFFER, 0);
    return true;
}

bool mh_renderer_multiview(mh_renderer *r, bool on)
{
    if (on && !r->multiview_ok) {
        if (r->multiview_tried)
            return false;
        r->multiview_tried = true;
        mh_error err;
        if (!has_extension("GL_OVR_multiview2")) {
            mh_log_warn("gl", "no GL_OVR_multiview2: each eye is drawn in a pass of its own");
            return false;
        }
        if (!build(r, &err)) {
            char text[512];
            mh_log_warn("gl", "no single-pass stereo: %s", mh_error_text(&err, text, sizeof text));
            return false;
        }
        r->multiview_ok = true;
        mh_log_info("gl", "both eyes in one pass (GL_OVR_multiview2)");
    }
    r->multiview = on;
    return true;
}

bool mh_renderer_is_multiview(const mh_renderer *r) { return r->multiview; }

bool mh_render_mv_offscreen(mh_renderer *r, mh_error *err)
{
    typedef void (*attach_fn)(GLenum, GLenum, GLuint, GLint, GLint, GLsizei);
    attach_fn attach = r->desc.gl_proc ? (attach_fn)r->desc.gl_proc("glFramebufferTextureMultiviewOVR") : NULL;
    if (!attach)
        return mh_fail(err, "", "", "no glFramebufferTextureMultiviewOVR from the platform");
    r->samples = 0; /* a layered target has one sample: --msaa does not apply */
    r->width = r->desc.offscreen_width;
    r->height = r->desc.offscreen_height;
    GLuint *tex[2] = {&r->mv_color, &r->mv_depth};
    GLenum format[2] = {GL_RGBA8, GL_DEPTH_COMPONENT24}, at[2] = {GL_COLOR_ATTACHMENT0, GL_DEPTH_ATTACHMENT};
    glGenFramebuffers(1, &r->msaa_fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, r->msaa_fbo);
    for (int i = 0; i < 2; i++) {
        glGenTextures(1, tex[i]);
        glBindTexture(GL_TEXTURE_2D_ARRAY, *tex[i]);
        glTexStorage3D(GL_TEXTURE_2D_ARRAY, 1, format[i], r->width / 2, r->height, 2);
        attach(GL_FRAMEBUFFER, at[i], *tex[i], 0, 0, 2);
    }
    glBindTexture(GL_TEXTURE_2D_ARRAY, 0);
    GLenum st = glCheckFramebufferStatus(GL_FRAMEBUFFER);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    if (st != GL_FRAMEBUFFER_COMPLETE)
        return mh_fail(err, "", "", "offscreen multiview framebuffer %dx%d x 2 is incomplete (0x%x)", r->width / 2,
                       r->height, st);
    return true;
}

void mh_render_mv_pass(mh_renderer *r, const mh_render_view *views)
{
    float b[VIEWS_FLOATS] = {0};
    for (int i = 0; i < 2; i++) {
        mh_mat4 vp = mh_m4_mul(views[i].proj, views[i].view);
        memcpy(b + 16 * i, vp.m, sizeof vp.m);
        memcpy(b + 32 + 4 * i, &views[i].eye, sizeof(float) * 3);
    }
    glBindBuffer(GL_UNIFORM_BUFFER, r->views_ubo);
    glBufferSubData(GL_UNIFORM_BUFFER, 0, sizeof b, b);
    glBindBufferBase(GL_UNIFORM_BUFFER, BLOCK_VIEWS, r->views_ubo);
    glViewport(0, views->y, views->width, views->height); /* each eye at x 0 of its layer */
}

void mh_render_mv_read(const mh_renderer *r, uint8_t *rgba, int width, int height)
{
    GLint tex = (GLint)r->mv_color;
    if (!r->width) { /* the platform's target: its colour texture */
        glBindFramebuffer(GL_READ_FRAMEBUFFER, r->target_fbo);
        glGetFramebufferAttachmentParameteriv(GL_READ_FRAMEBUFFER, GL_COLOR_ATTACHMENT0,
                                              GL_FRAMEBUFFER_ATTACHMENT_OBJECT_NAME, &tex);
    }
    /* a multiview framebuffer cannot be read: one of our own per layer */
    GLuint fb;
    glGenFramebuffers(1, &fb);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, fb);
    glPixelStorei(GL_PACK_ROW_LENGTH, width);
    for (int l = 0; l < 2; l++) {
        glFramebufferTextureLayer(GL_READ_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, (GLuint)tex, 0, l);
        glReadPixels(0, 0, width / 2, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba + (size_t)l * (size_t)(width / 2) * 4);
    }
    glPixelStorei(GL_PACK_ROW_LENGTH, 0);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
    glDeleteFramebuffers(1, &fb);
}

void mh_render_mv_destroy(mh_renderer *r)
{
    glDeleteProgram(r->ui_mv);
    glDeleteBuffers(1, &r->views_ubo);
    GLuint tex[2] = {r->mv_color, r->mv_depth};
    glDeleteTextures(2, tex);
}
