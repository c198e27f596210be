/* mh_render_reflect.c - the hall mirrored in the polished floor at quality
 * high (a GPU's level): before the frame, the hall is drawn once more from
 * the eye mirrored in the floor plane (y = 0) into a target of half the
 * frame's size (RGBA8 and a 24-bit depth buffer), with the floor itself left
 * out (the materials that reflect: mh_material.reflects, the polished
 * floor's baked-light materials) and nothing below the floor (Lengyel's
 * oblique near plane: the projection's near plane is the floor, so no
 * shader variant is needed). The floor's V_REFLECT variant (lit.frag's
 * MH_REFLECT) reads it at its own screen position, blurred by its roughness
 * (a mip level of it, four taps stretched along the screen's height)
 * and weighed by the split sum's Fresnel term in place of the environment
 * cube's specular, and keeps only part of its baked light (the CPU
 * rasterisers' reflection pools: the two would double). The mirrored pass
 * culls for itself (the main pass culls again after it) and draws no
 * interface occluders. Its target is made on the first frame and again only
 * when the frame's size changes: no allocation in a steady frame. Not for
 * two eyes or multiview (a headset: the baked pools stay), nor at
 * low/medium. */
#include <math.h>

#include "../core/mh_log.h"
#include "mh_renderer_internal.h"

#define REFLECT_SCALE 2         /* the target is the frame's size over this */
#define REFLECT_GLOW 6.0f       /* the gain on what shows near white: glowing surfaces, brighter than 8 bits hold */
#define REFLECT_GAIN 2.0f       /* ...and on the rest (the booths' colours read through the blur) */
#define REFLECT_POOLS_KEPT 0.5f /* of the floor's baked light (its reflection pools, most of it) */
#define REFLECT_BLUR_LOD 6.0f   /* the mip level read at roughness 1 (roughness 0.3: level 1.8) */
#define REFLECT_MIN_EYE 0.05f   /* an eye lower than this over the floor sees no reflection */

static void free_target(mh_renderer *r)
{
    glDeleteFramebuffers(1, &r->reflect_fbo);
    glDeleteTextures(1, &r->reflect_tex);
    glDeleteRenderbuffers(1, &r->reflect_depth);
    r->reflect_fbo = r->reflect_tex = r->reflect_depth = 0;
    r->reflect_w = r->reflect_h = 0;
}

void mh_render_reflect_destroy(mh_renderer *r) { free_target(r); }

static bool make_target(mh_renderer *r, int w, int h)
{
    if (r->reflect_fbo && r->reflect_w == w && r->reflect_h == h)
        return true;
    free_target(r);
    glGenTextures(1, &r->reflect_tex);
    glActiveTexture(GL_TEXTURE0 + UNIT_REFLECT);
    glBindTexture(GL_TEXTURE_2D, r->reflect_tex);
    int levels = 1;
    for (int n = w > h ? w : h; n > 1; n >>= 1)
        levels++;
    glTexStorage2D(GL_TEXTURE_2D, levels, GL_RGBA8, w, h);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR_MIPMAP_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    r->bound[UNIT_REFLECT] = r->reflect_tex;
    glActiveTexture(GL_TEXTURE0);
    glGenRenderbuffers(1, &r->reflect_depth);
    glBindRenderbuffer(GL_RENDERBUFFER, r->reflect_depth);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH_COMPONENT24, w, h);
    glGenFramebuffers(1, &r->reflect_fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, r->reflect_fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, r->reflect_tex, 0);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, r->reflect_depth);
    bool ok = glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    if (!ok) {
        free_target(r);
        return false;
    }
    r->reflect_w = w;
    r->reflect_h = h;
    return true;
}

/* proj with its near plane replaced by the camera-space plane c (the camera
 * on its negative side): Lengyel, "Oblique View Frustum Depth Projection
 * and Clipping" (2005). */
static mh_mat4 oblique(mh_mat4 proj, const float c[4])
{
    float *m = proj.m;
    float q[4] = {((c[0] > 0) - (c[0] < 0) + m[8]) / m[0], ((c[1] > 0) - (c[1] < 0) + m[9]) / m[5], -1.0f,
                  (1.0f + m[10]) / m[14]};
    float k = 2.0f / (c[0] * q[0] + c[1] * q[1] + c[2] * q[2] + c[3] * q[3]);
    m[2] = c[0] * k;
    m[6] = c[1] * k;
    m[10] = c[2] * k + 1.0f;
    m[14] = c[3] * k;
    return proj;
}

/* The view mirrored in the floor, into the target (w x h), clipped at the floor. */
static bool mirrored(const mh_render_view *v, int w, int h, mh_render_view *out)
{
    mh_mat4 view = mh_m4_mul(v->view, mh_m4_scale(mh_v3(1, -1, 1))), inv;
    if (!mh_m4_invert(view, &inv))
        return false;
    /* the world plane y = 0 (kept above) in the mirrored camera's space: (inverse view)^T (0, 1, 0, 0) */
    float c[4];
    for (int j = 0; j < 4; j++)
        c[j] = inv.m[j * 4 + 1];
    if (c[3] >= 0)
        return false; /* the mirrored camera is not below the floor */
    *out = (mh_render_view){.view = view,
                            .proj = oblique(v->proj, c),
                            .eye = mh_v3(v->eye.x, -v->eye.y, v->eye.z),
                            .width = w,
                            .height = h};
    return true;
}

void mh_render_reflect_pass(mh_renderer *r, const mh_render_layer *layers, int layer_count, const mh_render_view *views,
                            int view_count, const mh_render_lighting *light, int w, int h)
{
    r->reflect_on = false;
    if (r->desc.quality != MH_QUALITY_HIGH || r->desc.reflection < 0 || view_count != 1 || r->multiview ||
        r->reflect_failed || views[0].eye.y < REFLECT_MIN_EYE)
        return;
    int rw = w / REFLECT_SCALE > 1 ? w / REFLECT_SCALE : 1, rh = h / REFLECT_SCALE > 1 ? h / REFLECT_SCALE : 1;
    mh_render_view mv;
    if (!mirrored(&views[0], rw, rh, &mv))
        return;
    if (!make_target(r, rw, rh)) {
        mh_log_warn("gl", "the floor's reflection is off: its framebuffer is incomplete");
        r->reflect_failed = true;
        return;
    }
    glBindFramebuffer(GL_FRAMEBUFFER, r->reflect_fbo);
    glViewport(0, 0, rw, rh);
    glDisable(GL_SCISSOR_TEST);
    glDepthMask(GL_TRUE);
    mh_render_clear(light);
    mh_render_stats st = {0};
    mh_render_prepare(r, layers, layer_count, &mv, 1, &st);
    glFrontFace(GL_CW); /* the mirror turns the triangles' winding around */
    r->reflect_pass = true;
    mh_render_view_layers(r, layers, layer_count, &mv, light, &st);
    r->reflect_pass = false;
    glFrontFace(GL_CCW);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    glActiveTexture(GL_TEXTURE0 + UNIT_REFLECT);
    glBindTexture(GL_TEXTURE_2D, r->reflect_tex);
    glGenerateMipmap(GL_TEXTURE_2D); /* the blur: a rougher floor reads a smaller level */
    r->bound[UNIT_REFLECT] = r->reflect_tex;
    glActiveTexture(GL_TEXTURE0);
    r->reflect_draws = st.draw_calls;
    const mh_render_view *v = &views[0];
    float params[8] = {(float)v->x,  (float)v->y,        1.0f / (float)v->width, 1.0f / (float)v->height,
                       REFLECT_GLOW, REFLECT_POOLS_KEPT, REFLECT_BLUR_LOD,       REFLECT_GAIN};
    for (int i = 0; i < 8; i++)
        r->reflect_params[i] = params[i];
    r->reflect_on = true;
}
