/* mh_render_warm.c - start-up: the lit shader's common variants compiled
 * and drawn once before the hall is on the GPU, while the hall's scene is
 * still being built on another thread and the GL thread would only wait.
 * llvmpipe JIT-compiles a shader for each GL state at its first draw in
 * that state (about 100 ms of CPU for the default hall's variants, which
 * the hall's light capture paid, before the first frame); drawn here first
 * in the capture's and the frame's state (an RGBA8 colour and 24-bit depth
 * target without samples, depth test, back faces culled, no blending, the
 * environment cube on its unit, sRGB textures with a full mip chain and the
 * default sampler on the units a variant samples), the capture and the
 * first frame find them compiled. The textures are shaped as the hall's
 * are, as far as llvmpipe's variant tells them apart (format, wrap, filter,
 * and whether each side is a power of two): a material's own texture
 * repeats and is a power of two a side; the textures the hall makes itself
 * (its baked light on TEXCOORD_1, the LED wall's card, the signs' atlas)
 * are clamped to their edge and are not, or the atlas only across (drawn
 * here with another texture's shape, a variant is compiled again at its
 * first real draw, and llvmpipe keeps both). Each is drawn with both of
 * the vertex layouts (with the second stream, tangent and TEXCOORD_1, and
 * without: llvmpipe's vertex code differs). The blended glows and beams and
 * the anti-aliasing pass (mh_render_post_warm) are drawn too: before, their
 * code was compiled in the light's capture and the first frame (about 20 ms
 * of the GL thread after the scene was done, counted with an LD_PRELOAD of
 * LLVMModuleCreateWithNameInContext). Four pixels of the capture target are
 * drawn; the capture clears them. */
#include "mh_renderer_internal.h"

/* The variants a generated hall draws with (mh_render_material_key): its
 * plain surfaces, its textures (signs, graphics; the same programs as the
 * baked light in the vertices, the floor's: mh_render_shared_key), textures
 * with the baked light on TEXCOORD_1 as emissive, glowing
 * surfaces and glowing textures (screens), glowing surfaces seen from both
 * sides (drawn without culling, as draw_chunk does), the signs' text (an R8
 * distance field, blended as the BLEND chunks are). WARM_FADE of them are also drawn with the crossfade (the first
 * frame draws the stage's exhibit through it, mh_engine.c). */
#define WARM_BLEND (1u << 31) /* drawn blended, as draw_range draws the BLEND chunks (not a variant's bit) */
static const uint32_t WARM_KEYS[] = {
    0,
    V_TEX(MH_TEX_BASE) | V_UV_SHARED,
    V_TEX(MH_TEX_BASE) | V_TEX(MH_TEX_EMISSIVE) | V_SET(MH_TEX_EMISSIVE),
    V_UNLIT,
    V_UNLIT | V_TEX(MH_TEX_BASE) | V_UV_SHARED,
    V_UNLIT | V_DOUBLE_SIDED,
    V_UNLIT | V_TEX(MH_TEX_BASE) | V_UV_SHARED | V_SDF,      /* the signs' text, blended */
    V_UNLIT | V_DOUBLE_SIDED | WARM_BLEND,                   /* light beams and glass */
    V_UNLIT | V_TEX(MH_TEX_BASE) | V_UV_SHARED | WARM_BLEND, /* a blended glow (its texture: warm_glow) */
    V_DISSOLVE,
    V_DISSOLVE | V_UNLIT,
    V_DISSOLVE | V_UNLIT | V_TEX(MH_TEX_BASE) | V_UV_SHARED,
};
#define WARM_STEPS ((int)(sizeof WARM_KEYS / sizeof *WARM_KEYS))
#define WARM_FADE 3
/* At quality high only: the polished floor's two variants with the planar
 * reflection (mh_render_reflect.c) and the stage's shadow (the floor is one
 * chunk that reaches the stage), before the crossfade's. */
static const uint32_t WARM_HIGH[] = {
    V_TEX(MH_TEX_BASE) | V_UV_SHARED | V_VERTEX_EMISSIVE | V_SHADOW | V_REFLECT,
    V_TEX(MH_TEX_BASE) | V_TEX(MH_TEX_EMISSIVE) | V_SET(MH_TEX_EMISSIVE) | V_SHADOW | V_REFLECT,
};
#define WARM_HIGH_STEPS ((int)(sizeof WARM_HIGH / sizeof *WARM_HIGH))

/* Step's variant: the plain ones, the high level's, then the crossfade's. */
#define WARM_POST UINT32_MAX /* the step that draws the anti-aliasing pass (mh_render_post_warm) */
static uint32_t warm_key(const mh_renderer *r, int step)
{
    int plain = WARM_STEPS - WARM_FADE, high = r->desc.quality == MH_QUALITY_HIGH ? WARM_HIGH_STEPS : 0;
    if (step < plain)
        return WARM_KEYS[step];
    if (step < plain + high)
        return WARM_HIGH[step - plain];
    if (step == plain + high)
        return WARM_POST;
    return WARM_KEYS[step - high - 1];
}
#define WARM_TEXTURE 8 /* texels a side: a power of two, as a material's textures */
#define WARM_NPOT 6    /* and a side that is not, as the textures the hall makes */
#define WARM_TARGET 64 /* the capture target's size (the engine's ENV_CAPTURE) */

/* A small w x h texture with its full mip chain and the default sampler, as
 * mh_render_upload.c makes the hall's: sRGB, or R8 (field); repeating, or
 * clamped to its edge (clamp). */
static GLuint warm_texture(const mh_renderer *r, bool field, int w, int h, bool clamp)
{
    static uint8_t texels[WARM_TEXTURE * WARM_TEXTURE * 4];
    int wrap = clamp ? MH_GLTF_WRAP_CLAMP_TO_EDGE : 0;
    mh_scene_texture t = {.srgb = !field, .channels = field ? 1 : 4, .wrap_s = wrap, .wrap_t = wrap};
    int levels = 1;
    for (int n = w > h ? w : h; n > 1; n >>= 1)
        levels++;
    GLuint id;
    glGenTextures(1, &id);
    glBindTexture(GL_TEXTURE_2D, id);
    glTexStorage2D(GL_TEXTURE_2D, levels, mh_render_texture_format(&t), w, h);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    for (int l = 0; l < levels; l++)
        glTexSubImage2D(GL_TEXTURE_2D, l, 0, 0, w >> l > 1 ? w >> l : 1, h >> l > 1 ? h >> l : 1,
                        field ? GL_RED : GL_RGBA, GL_UNSIGNED_BYTE, texels);
    mh_render_texture_params(r, &t);
    return id;
}

/* What a key's slot s samples in the hall: its baked light (the emissive
 * texture on TEXCOORD_1), the LED wall's card (an unlit base) or the signs'
 * atlas (V_SDF) are the hall's own, anything else a material's. */
static GLuint warm_slot_texture(const mh_renderer *r, uint32_t key, int s)
{
    if (key & V_SDF)
        return r->warm_field;
    if (key & WARM_BLEND)
        return r->warm_glow;
    bool own = (s == MH_TEX_EMISSIVE && (key & V_SET(MH_TEX_EMISSIVE))) || (s == MH_TEX_BASE && (key & V_UNLIT));
    return own ? r->warm_clamp : r->warm_texture;
}

/* The capture's state, as draw_view sets it, with variant key's textures bound. */
static void warm_state(mh_renderer *r, uint32_t key)
{
    static const mh_render_lighting light = {.sun_dir = {0, 1, 0}};
    mh_render_view v = {.view = mh_m4_identity(), .proj = mh_m4_identity(), .width = 4, .height = 4};
    glBindFramebuffer(GL_FRAMEBUFFER, r->capture_fbo);
    glViewport(0, 0, 4, 4);
    glEnable(GL_DEPTH_TEST);
    glDepthFunc(GL_LESS);
    glDepthMask(GL_TRUE);
    if (key & V_DOUBLE_SIDED)
        glDisable(GL_CULL_FACE);
    else
        glEnable(GL_CULL_FACE);
    glCullFace(GL_BACK);
    if (key & (V_SDF | WARM_BLEND)) { /* as draw_range's BLEND chunks */
        glEnable(GL_BLEND);
        glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
        glDepthMask(GL_FALSE);
    } else {
        glDisable(GL_BLEND);
    }
    r->cull_off = (key & V_DOUBLE_SIDED) != 0;
    r->stamp++;
    mh_render_frame_block(r, 0, &v, &light);
    glBindBufferRange(GL_UNIFORM_BUFFER, BLOCK_MATERIAL, r->plain_ubo, 0, sizeof(float) * 48);
    for (int s = 0; s < MH_TEX_SLOTS; s++) {
        if (!(key & V_TEX(s)))
            continue;
        glActiveTexture(GL_TEXTURE0 + (GLenum)s);
        GLuint id = warm_slot_texture(r, key, s);
        glBindTexture(GL_TEXTURE_2D, id);
        r->bound[s] = id;
    }
    glActiveTexture(GL_TEXTURE0 + UNIT_ENV);
    glBindTexture(GL_TEXTURE_CUBE_MAP, r->env_cube);
    r->bound[UNIT_ENV] = r->env_cube;
    glActiveTexture(GL_TEXTURE0);
}

bool mh_renderer_warm_up(mh_renderer *r, int step, bool crossfade)
{
    int steps = (crossfade ? WARM_STEPS : WARM_STEPS - WARM_FADE) +
                (r->desc.quality == MH_QUALITY_HIGH ? WARM_HIGH_STEPS : 0) + 1 /* WARM_POST */;
    if (step < 0 || step >= steps || r->desc.multiview)
        return false;
    mh_error err;
    if (!r->warm_texture && !mh_render_capture_target(r, WARM_TARGET, &err))
        return false;
    if (!r->warm_texture) {
        r->warm_texture = warm_texture(r, false, WARM_TEXTURE, WARM_TEXTURE, false);
        r->warm_clamp = warm_texture(r, false, WARM_NPOT, WARM_NPOT, true);
        r->warm_field = warm_texture(r, true, WARM_TEXTURE, WARM_NPOT, true); /* as the atlas: ATLAS_W across */
        r->warm_glow = warm_texture(r, false, WARM_TEXTURE, WARM_TEXTURE, true);
        glBindFramebuffer(GL_FRAMEBUFFER, r->capture_fbo);
        glDepthMask(GL_TRUE);
        glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
    }
    uint32_t key = warm_key(r, step);
    if (key == WARM_POST) {
        mh_render_post_warm(r, r->capture_fbo);
        return step + 1 < steps;
    }
    lit_program *p = mh_render_program(r, mh_render_shared_key(key & ~WARM_BLEND));
    if (!p)
        return step + 1 < steps;
    warm_state(r, key);
    glUseProgram(p->id);
    if (key & V_DISSOLVE)
        glUniform1f(p->u_dissolve, 1.0f);
    mh_render_floor_quad(r);
    if (!r->warm_vao) { /* the quad without its second stream, as most of the hall's vertices are */
        glGenVertexArrays(1, &r->warm_vao);
        glBindVertexArray(r->warm_vao);
        glBindBuffer(GL_ARRAY_BUFFER, r->floor_vbo);
        mh_render_vertex_layout(4, 0, 0, 0);
    }
    glBindVertexArray(r->floor_vao);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    glBindVertexArray(r->warm_vao);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    glBindVertexArray(0);
    glDisable(GL_BLEND);
    glDepthMask(GL_TRUE);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    r->bound[0] = 0; /* as after a view: unit 0 is the interface's */
    return step + 1 < steps;
}

void mh_renderer_warm_finish(mh_renderer *r, bool interface)
{
    mh_render_post_link(r);
    if (interface)
        mh_render_ui_link(r);
    mh_render_release_compiler();
}
