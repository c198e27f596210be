/* mh_render_env.c - the image-based light on the GPU: the prefiltered cube
 * (RGB16F, one mip level per roughness step) and the spherical-harmonic
 * coefficients that go into the frame block; and the hall's capture of
 * itself: six 90-degree views from a point, drawn by the same shaders into
 * a small offscreen target and read back as linear radiance (the engine
 * turns it into an environment with scene/mh_env.c). */
#include <stdlib.h>
#include <string.h>

#include "mh_renderer_internal.h"

static void upload_cube(mh_renderer *r, const mh_env *env)
{
    if (!r->env_cube)
        glGenTextures(1, &r->env_cube);
    glActiveTexture(GL_TEXTURE0 + UNIT_ENV);
    glBindTexture(GL_TEXTURE_CUBE_MAP, r->env_cube);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    for (int l = 0; l < env->levels; l++) {
        int n = env->size >> l;
        for (int f = 0; f < 6; f++)
            glTexImage2D(GL_TEXTURE_CUBE_MAP_POSITIVE_X + (GLenum)f, l, GL_RGB16F, n, n, 0, GL_RGB, GL_FLOAT,
                         env->faces[l] + (size_t)f * (size_t)n * (size_t)n * 3);
    }
    glTexParameteri(GL_TEXTURE_CUBE_MAP, GL_TEXTURE_BASE_LEVEL, 0);
    glTexParameteri(GL_TEXTURE_CUBE_MAP, GL_TEXTURE_MAX_LEVEL, env->levels - 1);
    /* on a CPU rasteriser the level nearest the roughness, not a blend of two:
     * half the texel reads of the sample every lit pixel takes (the hall's
     * frame about a tenth cheaper; reference SSIM mean 0.989 -> 0.986) */
    glTexParameteri(GL_TEXTURE_CUBE_MAP, GL_TEXTURE_MIN_FILTER,
                    r->software ? GL_LINEAR_MIPMAP_NEAREST : GL_LINEAR_MIPMAP_LINEAR);
    glTexParameteri(GL_TEXTURE_CUBE_MAP, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_CUBE_MAP, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_CUBE_MAP, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glActiveTexture(GL_TEXTURE0);
    r->bound[UNIT_ENV] = r->env_cube;
    r->env_levels = env->levels;
    memcpy(r->env_sh, env->sh, sizeof r->env_sh);
}

bool mh_renderer_set_environment(mh_renderer *r, const mh_env *env, mh_error *err)
{
    if (env && env->levels > 0) {
        upload_cube(r, env);
        return true;
    }
    /* none: black, a single 4x4 level */
    float black[4 * 4 * 3 * 6] = {0};
    mh_env e = {.size = 4, .levels = 1, .faces = {black}};
    upload_cube(r, &e);
    (void)err;
    return true;
}

bool mh_render_env_init(mh_renderer *r, mh_error *err) { return mh_renderer_set_environment(r, NULL, err); }

void mh_render_env_destroy(mh_renderer *r)
{
    glDeleteTextures(1, &r->env_cube);
    r->env_cube = 0;
    glDeleteFramebuffers(1, &r->capture_fbo);
    GLuint rbs[2] = {r->capture_color, r->capture_depth};
    glDeleteRenderbuffers(2, rbs);
    r->capture_fbo = r->capture_color = r->capture_depth = 0;
}

bool mh_render_capture_target(mh_renderer *r, int size, mh_error *err)
{
    if (r->capture_fbo && r->capture_size == size)
        return true;
    glDeleteFramebuffers(1, &r->capture_fbo);
    GLuint old[2] = {r->capture_color, r->capture_depth};
    glDeleteRenderbuffers(2, old);
    glGenRenderbuffers(1, &r->capture_color);
    glBindRenderbuffer(GL_RENDERBUFFER, r->capture_color);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, size, size);
    glGenRenderbuffers(1, &r->capture_depth);
    glBindRenderbuffer(GL_RENDERBUFFER, r->capture_depth);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH_COMPONENT24, size, size);
    glGenFramebuffers(1, &r->capture_fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, r->capture_fbo);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, r->capture_color);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, r->capture_depth);
    GLenum st = glCheckFramebufferStatus(GL_FRAMEBUFFER);
    r->capture_size = size;
    if (st != GL_FRAMEBUFFER_COMPLETE)
        return mh_fail(err, "", "", "the %dx%d capture target is incomplete (0x%x)", size, size, st);
    return true;
}

/* OpenGL's cube faces: where each looks and which way is up, so that a
 * face drawn with them and read back bottom row first is the face's texels
 * in upload order (row t = 0 first). */
static const float FACE_LOOK[6][3] = {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};
static const float FACE_UP[6][3] = {{0, -1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}, {0, -1, 0}, {0, -1, 0}};

bool mh_renderer_capture(mh_renderer *r, const mh_render_layer *layers, int layer_count,
                         const mh_render_lighting *light, mh_vec3 pos, int size, float *out, mh_error *err)
{
    if (!mh_render_capture_target(r, size, err))
        return false;
    uint8_t *px = malloc((size_t)size * (size_t)size * 4);
    if (!px)
        return mh_fail(err, "", "", "out of memory");
    mh_mat4 proj = mh_m4_perspective(MH_PI / 2, 1.0f, 0.05f, 250.0f);
    for (int f = 0; f < 6; f++) {
        mh_vec3 look = mh_v3(FACE_LOOK[f][0], FACE_LOOK[f][1], FACE_LOOK[f][2]);
        mh_vec3 up = mh_v3(FACE_UP[f][0], FACE_UP[f][1], FACE_UP[f][2]);
        mh_render_view v = {.view = mh_m4_look_at(pos, mh_v3_add(pos, look), up),
                            .proj = proj,
                            .eye = pos,
                            .width = size,
                            .height = size,
                            .coarsest = true};
        glBindFramebuffer(GL_FRAMEBUFFER, r->capture_fbo);
        glViewport(0, 0, size, size);
        glDepthMask(GL_TRUE);
        mh_render_clear(light);
        mh_render_stats st = {0};
        mh_render_prepare(r, layers, layer_count, &v, 1, &st);
        mh_render_view_layers(r, layers, layer_count, &v, light, &st);
        glPixelStorei(GL_PACK_ALIGNMENT, 1);
        glReadPixels(0, 0, size, size, GL_RGBA, GL_UNSIGNED_BYTE, px);
        float *face = out + (size_t)f * (size_t)size * (size_t)size * 3;
        for (size_t i = 0; i < (size_t)size * (size_t)size; i++)
            for (int c = 0; c < 3; c++)
                face[i * 3 + (size_t)c] = mh_srgb_to_linear((float)px[i * 4 + (size_t)c] / 255.0f);
    }
    free(px);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    GLenum e = glGetError();
    return e == GL_NO_ERROR || mh_fail(err, "", "", "OpenGL error 0x%x while capturing the environment", e);
}
