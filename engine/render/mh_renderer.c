/* mh_renderer.c - GLES 3.0: the offscreen target, and drawing a frame
 * (layers of uploaded scenes for one or two views, culled and ordered by
 * scene/mh_cull.c: opaque front to back, then BLEND back to front), each
 * chunk with its material's shader variant (its unlit triangles, the glowing
 * ones the exporter marks unlit, with the material's unlit variant first),
 * textures and block, its motion's matrix, skin or morph targets and its
 * model's lights; the
 * fill-rate floor, read-back. Shader variants are in mh_render_program.c,
 * uploads in mh_render_upload.c, the environment in mh_render_env.c, the
 * interface overlay in mh_render_ui.c. */
#include "mh_renderer.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/mh_log.h"
#include "mh_renderer_internal.h"
#include "mh_shaders.h"

_Static_assert(MH_RENDER_VIEWS <= MH_CULL_VIEWS, "culling takes every view the renderer draws");

bool mh_renderer_name_is_software(const char *gl_renderer)
{
    static const char *const cpu[] = {"llvmpipe", "softpipe", "SwiftShader", "swrast"};
    for (size_t i = 0; i < sizeof cpu / sizeof *cpu; i++)
        if (gl_renderer && strstr(gl_renderer, cpu[i]))
            return true;
    return false;
}

#define FRAME_FLOATS 72 /* lit.vert's Frame block, std140 */

static size_t frame_stride(const mh_renderer *r)
{
    size_t a = r->ubo_align > 16 ? (size_t)r->ubo_align : 16, size = sizeof(float) * FRAME_FLOATS;
    return (size + a - 1) / a * a;
}

static bool build_programs(mh_renderer *r, mh_error *err)
{
    r->ui_program = mh_render_link(mh_shader_ui_vert, mh_shader_ui_frag, "", "ui", err);
    if (!r->ui_program)
        return false;
    r->u_ui_mvp = glGetUniformLocation(r->ui_program, "u_mvp");
    r->u_ui_sdf = glGetUniformLocation(r->ui_program, "u_sdf");
    r->u_ui_tex = glGetUniformLocation(r->ui_program, "u_tex");
    /* the plain variant is what nearly every hall surface draws with: made now; its vertices have no
       second stream, so the tangent attribute's constant is what it reads (mh_render_shared_key) */
    glVertexAttrib4f(5, MH_RENDER_TANGENT_CONSTANT, MH_RENDER_TANGENT_CONSTANT, MH_RENDER_TANGENT_CONSTANT, 1.0f);
    return mh_render_program(r, mh_render_shared_key(0)) != NULL ||
           mh_fail(err, "shaders/lit.frag", "", "the lit shader does not build");
}

/* The frame blocks (one per view, so a stereo frame never rewrites a block
 * in use) and a plain material's block. */
static void make_blocks(mh_renderer *r)
{
    glGetIntegerv(GL_UNIFORM_BUFFER_OFFSET_ALIGNMENT, &r->ubo_align);
    glGenBuffers(1, &r->frame_ubo);
    glBindBuffer(GL_UNIFORM_BUFFER, r->frame_ubo);
    glBufferData(GL_UNIFORM_BUFFER, (GLsizeiptr)(frame_stride(r) * (MH_RENDER_VIEWS + 1)), NULL, GL_DYNAMIC_DRAW);
    float block[48];
    mh_material plain = mh_material_plain();
    mh_render_material_block(&plain, block);
    glGenBuffers(1, &r->plain_ubo);
    glBindBuffer(GL_UNIFORM_BUFFER, r->plain_ubo);
    glBufferData(GL_UNIFORM_BUFFER, sizeof block, block, GL_STATIC_DRAW);
    glBindBuffer(GL_UNIFORM_BUFFER, 0);
}

static bool make_offscreen(mh_renderer *r, mh_error *err)
{
    if (r->desc.multiview && mh_renderer_multiview(r, true))
        return mh_render_mv_offscreen(r, err);
    r->desc.multiview = false; /* no GL_OVR_multiview2 (warned): a pass per eye, side by side */
    GLint max_samples = 0;
    glGetIntegerv(GL_MAX_SAMPLES, &max_samples);
    /* auto (0): 4x on a GPU; off on a CPU rasteriser, where it costs ~2.5x */
    r->samples = r->desc.msaa > max_samples ? max_samples : r->desc.msaa;
    if (r->samples < 2)
        r->samples = 0;
    r->width = r->desc.offscreen_width;
    r->height = r->desc.offscreen_height;
    glGenRenderbuffers(1, &r->msaa_color);
    glBindRenderbuffer(GL_RENDERBUFFER, r->msaa_color);
    glRenderbufferStorageMultisample(GL_RENDERBUFFER, r->samples, GL_RGBA8, r->width, r->height);
    glGenRenderbuffers(1, &r->msaa_depth);
    glBindRenderbuffer(GL_RENDERBUFFER, r->msaa_depth);
    glRenderbufferStorageMultisample(GL_RENDERBUFFER, r->samples, GL_DEPTH_COMPONENT24, r->width, r->height);
    glGenFramebuffers(1, &r->msaa_fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, r->msaa_fbo);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, r->msaa_color);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, r->msaa_depth);
    GLenum st = glCheckFramebufferStatus(GL_FRAMEBUFFER), st2 = GL_FRAMEBUFFER_COMPLETE;
    if (r->samples) { /* without MSAA the frame is drawn straight into the target above */
        glGenRenderbuffers(1, &r->resolve_color);
        glBindRenderbuffer(GL_RENDERBUFFER, r->resolve_color);
        glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, r->width, r->height);
        glGenFramebuffers(1, &r->resolve_fbo);
        glBindFramebuffer(GL_FRAMEBUFFER, r->resolve_fbo);
        glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, r->resolve_color);
        st2 = glCheckFramebufferStatus(GL_FRAMEBUFFER);
    }
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    if (st != GL_FRAMEBUFFER_COMPLETE || st2 != GL_FRAMEBUFFER_COMPLETE)
        return mh_fail(err, "", "", "offscreen framebuffer %dx%d (%d samples) is incomplete (0x%x, 0x%x)", r->width,
                       r->height, r->samples, st, st2);
    return true;
}

/* Zero means default: the quality level is low on a CPU rasteriser (the
 * lean edge blend, mh_render_post.c: 2x MSAA doubles llvmpipe's frame, see
 * tests/bench/NOTES.md) and high on a GPU (4x MSAA); msaa 0 is the level's. */
static mh_renderer_desc renderer_desc_defaults(const mh_renderer_desc *d, bool software)
{
    mh_renderer_desc r = *d;
    if (r.quality <= MH_QUALITY_AUTO || r.quality > MH_QUALITY_HIGH)
        r.quality = software ? MH_QUALITY_LOW : MH_QUALITY_HIGH;
    r.msaa = d->msaa ? d->msaa : r.quality == MH_QUALITY_HIGH ? 4 : 1;
    r.bloom = d->bloom ? d->bloom : r.quality == MH_QUALITY_HIGH ? 1 : -1;
    r.reflection = d->reflection ? d->reflection : r.quality == MH_QUALITY_HIGH ? 1 : -1;
    return r;
}

mh_renderer *mh_renderer_create(const mh_renderer_desc *desc, mh_error *err)
{
    mh_renderer *r = calloc(1, sizeof *r);
    if (!r) {
        mh_fail(err, "", "", "out of memory");
        return NULL;
    }
    mh_pool_init(&r->scene_pool, MH_RENDER_SCENES);
    const char *renderer = (const char *)glGetString(GL_RENDERER);
    const char *version = (const char *)glGetString(GL_VERSION);
    if (!renderer || !version) {
        free(r);
        mh_fail(err, "", "", "no current OpenGL ES context");
        return NULL;
    }
    snprintf(r->gl_name, sizeof r->gl_name, "%s (%s)", renderer, version);
    r->software = mh_renderer_name_is_software(renderer);
    r->desc = renderer_desc_defaults(desc, r->software);
    const char *ext = (const char *)glGetString(GL_EXTENSIONS);
    if (ext && strstr(ext, "GL_EXT_texture_filter_anisotropic"))
        glGetFloatv(GL_MAX_TEXTURE_MAX_ANISOTROPY_EXT, &r->max_aniso);
    r->fxaa = r->desc.quality == MH_QUALITY_MEDIUM && !desc->msaa; /* an --msaa given replaces it (1: none) */
    r->post_lean = r->desc.quality == MH_QUALITY_LOW && !desc->msaa;
    make_blocks(r);
    bool ok = mh_render_env_init(r, err) && build_programs(r, err);
    if (ok && desc->offscreen_width > 0 && desc->offscreen_height > 0)
        ok = make_offscreen(r, err);
    if (!ok) {
        mh_renderer_destroy(&r);
        return NULL;
    }
    static const char *const level[] = {"auto", "low", "medium", "high"};
    mh_log_info("gl", "%s, %s, quality %s (%s)", r->gl_name,
                r->width ? (r->samples ? "offscreen with MSAA" : "offscreen, no MSAA") : "window",
                level[r->desc.quality],
                r->fxaa            ? "FXAA"
                : r->post_lean     ? "edge blend"
                : r->desc.msaa > 1 ? "MSAA"
                                   : "no anti-aliasing");
    return r;
}

void mh_renderer_destroy(mh_renderer **pr)
{
    mh_renderer *r = pr ? *pr : NULL;
    if (!r)
        return;
    for (int i = 0; i < MH_RENDER_SCENES; i++)
        mh_renderer_scene_destroy(r, &(mh_gpu_scene){mh_pool_id(&r->scene_pool, i)});
    mh_render_programs_destroy(r);
    glDeleteProgram(r->ui_program);
    mh_render_env_destroy(r);
    glDeleteBuffers(1, &r->frame_ubo);
    glDeleteBuffers(1, &r->plain_ubo);
    mh_render_ui_destroy(r);
    mh_render_mv_destroy(r);
    mh_render_post_destroy(r);
    mh_render_shadow_destroy(r);
    mh_render_bloom_destroy(r);
    mh_render_reflect_destroy(r);
    glDeleteBuffers(1, &r->floor_vbo);
    glDeleteTextures(1, &r->warm_texture);
    glDeleteTextures(1, &r->warm_field);
    glDeleteTextures(1, &r->warm_clamp);
    glDeleteTextures(1, &r->warm_glow);
    glDeleteVertexArrays(1, &r->floor_vao);
    glDeleteVertexArrays(1, &r->warm_vao);
    glDeleteFramebuffers(1, &r->msaa_fbo);
    glDeleteFramebuffers(1, &r->resolve_fbo);
    GLuint rbs[3] = {r->msaa_color, r->msaa_depth, r->resolve_color};
    glDeleteRenderbuffers(3, rbs);
    free(r);
    *pr = NULL;
}

/* The frame block for view slot `slot` (std140, as lit.vert's Frame). */
void mh_render_frame_block(mh_renderer *r, int slot, const mh_render_view *v, const mh_render_lighting *l)
{
    float b[FRAME_FLOATS] = {0};
    mh_mat4 vp = mh_m4_mul(v->proj, v->view);
    memcpy(b, vp.m, sizeof vp.m);
    memcpy(b + 16, &v->eye, sizeof(float) * 3);
    memcpy(b + 20, &l->sun_dir, sizeof(float) * 3);
    memcpy(b + 24, &l->sun_color, sizeof(float) * 3);
    memcpy(b + 28, &l->clear, sizeof(float) * 3);
    b[31] = l->fog_density;
    for (int k = 0; k < 9; k++)
        memcpy(b + 32 + k * 4, r->env_sh[k], sizeof(float) * 3);
    b[68] = 1.0f;                       /* specular intensity */
    b[69] = (float)(r->env_levels - 1); /* the cube's last level: roughness 1 */
    b[70] = 1.0f;                       /* diffuse intensity */
    size_t stride = frame_stride(r);
    glBindBuffer(GL_UNIFORM_BUFFER, r->frame_ubo);
    glBufferSubData(GL_UNIFORM_BUFFER, (GLintptr)(stride * (size_t)slot), sizeof b, b);
    glBindBufferRange(GL_UNIFORM_BUFFER, BLOCK_FRAME, r->frame_ubo, (GLintptr)(stride * (size_t)slot), sizeof b);
}

void mh_render_clear(const mh_render_lighting *light)
{
    glClearColor(mh_linear_to_srgb(light->clear.x), mh_linear_to_srgb(light->clear.y),
                 mh_linear_to_srgb(light->clear.z), 1.0f);
    glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
}

/* Culls and sorts a layer's chunks once for all views of the frame (a
 * chunk any eye sees is drawn in both): only the visible ones go into the
 * sort buffer, so the work follows what is seen. */
void mh_render_prepare(mh_renderer *r, const mh_render_layer *layers, int layer_count, const mh_render_view *views,
                       int view_count, mh_render_stats *st)
{
    if (view_count > MH_RENDER_VIEWS)
        view_count = MH_RENDER_VIEWS;
    /* a size on screen of 0 picks every chunk's coarsest level */
    float px_per_radian = views[0].coarsest ? 0.0f : views[0].proj.m[5] * (float)views[0].height * 0.5f;
    mh_cull_desc cull = {.view_count = view_count, .px_per_radian = px_per_radian};
    for (int i = 0; i < view_count; i++) {
        cull.view_proj[i] = mh_m4_mul(views[i].proj, views[i].view);
        cull.eyes[i] = views[i].eye;
    }
    for (int i = 0; i < layer_count; i++) {
        gpu_scene *g = mh_render_scene_slot(r, layers[i].scene);
        if (!g || !g->complete || !layers[i].cpu)
            continue;
        g->item_count = mh_cull_chunks(layers[i].cpu, &cull, g->items, g->item_cap);
        st->chunks_culled += layers[i].cpu->chunk_count - g->item_count;
    }
}

static void bind_texture(mh_renderer *r, int unit, GLenum target, GLuint tex)
{
    if (r->bound[unit] == tex)
        return;
    glActiveTexture(GL_TEXTURE0 + (GLenum)unit);
    glBindTexture(target, tex);
    r->bound[unit] = tex;
}

/* The material's block and textures. */
static void use_material(mh_renderer *r, const gpu_scene *g, const mh_scene *sc, int m)
{
    size_t stride = mh_render_material_stride(r);
    glBindBufferRange(GL_UNIFORM_BUFFER, BLOCK_MATERIAL, g->material_ubo, (GLintptr)(stride * (size_t)m),
                      sizeof(float) * 48);
    const mh_material *mat = &sc->materials[m];
    for (int s = 0; s < MH_TEX_SLOTS; s++) {
        int t = mat->slots[s].texture;
        if (t >= 0 && t < g->texture_count)
            bind_texture(r, s, GL_TEXTURE_2D, g->textures[t]);
    }
    bool off = mat->double_sided;
    if (off != r->cull_off) {
        if (off)
            glDisable(GL_CULL_FACE);
        else
            glEnable(GL_CULL_FACE);
        r->cull_off = off;
    }
}

/* u_model and its normal matrix: a motion's this frame, else the identity. */
static void set_model(mh_renderer *r, lit_program *p, const mh_scene_motion *mo)
{
    const float *m = mo ? mo->world.m : NULL;
    if (p->model == m && (!m || p->model_stamp == r->stamp))
        return;
    static const float identity[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    float nm[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    if (mo) {
        mh_mat4 inv;
        if (mh_m4_invert(mo->world, &inv))
            for (int c = 0; c < 3; c++)
                for (int k = 0; k < 3; k++)
                    nm[c * 3 + k] = inv.m[k * 4 + c]; /* the transpose of the inverse */
    }
    glUniformMatrix4fv(p->u_model, 1, GL_FALSE, m ? m : identity);
    glUniformMatrix3fv(p->u_normal_matrix, 1, GL_FALSE, nm);
    p->model = m;
    p->model_stamp = r->stamp;
}

static void set_skin_morph(mh_renderer *r, const lit_program *p, const gpu_scene *g, const mh_scene *sc, int motion)
{
    const mh_scene_motion *mo = &sc->motions[motion];
    if ((p->key & V_SKIN) && mo->joints)
        glUniform4fv(p->u_joints, mo->joint_count * 3, &mo->joints[0][0]);
    if (p->key & V_MORPH) {
        int target[8] = {0};
        float weight[8] = {0};
        for (int k = 0; k < mo->active_count; k++) {
            target[k] = mo->active[k];
            weight[k] = mo->active_weight[k];
        }
        glUniform4i(p->u_morph_info, mo->active_count, (GLint)mo->vertex_count, (GLint)mo->first_vertex, 0);
        glUniform4iv(p->u_morph_target, 2, target);
        glUniform4fv(p->u_morph_weight, 2, weight);
        bind_texture(r, UNIT_MORPH, GL_TEXTURE_2D, motion < g->motion_count ? g->morphs[motion] : 0);
    }
}

/* A rig's punctual lights, once per program and draw pass. */
static void set_lights(mh_renderer *r, lit_program *p, const mh_scene_rig *rig)
{
    if (p->lights == rig && p->lights_stamp == r->stamp)
        return;
    float pos[16] = {0}, dir[16] = {0}, color[16] = {0}, cone[16] = {0};
    for (int i = 0; i < rig->light_count; i++) {
        const mh_scene_light *l = &rig->lights[i];
        float type = l->type == MH_GLTF_LIGHT_POINT ? 1.0f : l->type == MH_GLTF_LIGHT_SPOT ? 2.0f : 0.0f;
        memcpy(pos + i * 4, (float[4]){l->pos.x, l->pos.y, l->pos.z, type}, sizeof(float) * 4);
        memcpy(dir + i * 4, (float[4]){l->dir.x, l->dir.y, l->dir.z, l->range}, sizeof(float) * 4);
        memcpy(color + i * 4, l->color, sizeof(float) * 3);
        cone[i * 4] = l->cos_outer;
        cone[i * 4 + 1] = l->cos_inner;
    }
    glUniform4fv(p->u_light_pos, 4, pos);
    glUniform4fv(p->u_light_dir, 4, dir);
    glUniform4fv(p->u_light_color, 4, color);
    glUniform4fv(p->u_light_cone, 4, cone);
    glUniform1i(p->u_light_count, rig->light_count);
    p->lights = rig;
    p->lights_stamp = r->stamp;
}

/* What one layer's draws share while it is drawn. */
typedef struct layer_state {
    lit_program *program;
    int material;
    float dissolve;
    bool blending;
    GLuint vao; /* bound now */
} layer_state;

/* Indices [from, from + count) of a range of the item's chunk (d: where the
 * range is) with its lit or unlit variant. */
static void draw_range(mh_renderer *r, const gpu_scene *g, const mh_scene *sc, const mh_cull_item *it, bool unlit,
                       const gpu_range_draw *d, uint32_t from, uint32_t count, layer_state *ls, mh_render_stats *st)
{
    const mh_scene_chunk *c = &sc->chunks[it->chunk];
    uint32_t key = mh_render_chunk_key(g, sc, c, unlit) | (ls->dissolve != 0 ? V_DISSOLVE : 0) | r->pass_bits;
    if (!(key & (V_UNLIT | V_MULTIVIEW)) && mh_render_shadow_receives(r, &c->bounds))
        key |= V_SHADOW; /* near the featured exhibit: its shadow falls here */
    if (r->reflect_on && !(key & (V_UNLIT | V_MULTIVIEW)) && sc->materials[c->material].reflects)
        key |= V_REFLECT; /* the polished floor: the hall mirrored in it */
    GLuint vao = (key & MH_RENDER_VERTEX_SECOND) && d->second_vao ? d->second_vao : d->vao;
    if (vao != d->second_vao) /* the tangent is the constant 1, 1, 1, 1: plain shares the baked light's program */
        key = mh_render_shared_key(key);
    lit_program *p = ls->program && ls->program->key == key ? ls->program : mh_render_program(r, key);
    if (!p)
        return;
    if (ls->vao != vao) /* the VAO with the vertices' second stream for the variants that read it */
        glBindVertexArray(ls->vao = vao);
    if (p != ls->program) {
        glUseProgram(p->id);
        if (key & V_DISSOLVE)
            glUniform1f(p->u_dissolve, ls->dissolve);
        ls->program = p;
    }
    if (c->material != ls->material) {
        use_material(r, g, sc, c->material);
        ls->material = c->material;
    }
    if (it->blend != ls->blending) { /* the BLEND chunks come last, back to front */
        if (it->blend) {
            glEnable(GL_BLEND);
            glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
            glDepthMask(GL_FALSE);
        } else {
            glDisable(GL_BLEND);
            glDepthMask(GL_TRUE);
        }
        ls->blending = it->blend;
    }
    const mh_scene_motion *mo = c->motion >= 0 ? &sc->motions[c->motion] : NULL;
    set_model(r, p, mo);
    if (mo && (key & (V_SKIN | V_MORPH)))
        set_skin_morph(r, p, g, sc, c->motion);
    if (key & V_LIGHTS)
        set_lights(r, p, &sc->rigs[c->rig]);
    if ((key & V_REFLECT) && p->reflect_stamp != r->stamp) {
        glUniform4fv(p->u_reflect, 2, r->reflect_params);
        p->reflect_stamp = r->stamp;
    }
    if ((key & V_SHADOW) && p->shadow_stamp != r->stamp) {
        glUniformMatrix4fv(p->u_shadow_matrix, 1, GL_FALSE, r->shadow_matrix.m);
        glUniform4fv(p->u_shadow_params, 3, r->shadow_params);
        p->shadow_stamp = r->stamp;
    }
    size_t size = d->type == GL_UNSIGNED_SHORT ? 2 : 4;
    glDrawRangeElements(GL_TRIANGLES, d->low, d->high, (GLsizei)count, d->type,
                        (void *)(uintptr_t)(d->at + from * size));
    st->draw_calls++;
    st->triangles += count / 3;
}

/* A chunk's range at the item's level of detail: its unlit triangles (they
 * come first in the range), then its lit ones. */
static void draw_chunk(mh_renderer *r, const gpu_scene *g, const mh_scene *sc, const mh_cull_item *it, layer_state *ls,
                       mh_render_stats *st)
{
    const mh_scene_chunk *c = &sc->chunks[it->chunk];
    int lod = it->lod;
    uint32_t count = lod ? c->lod_count[lod - 1] : c->index_count;
    size_t range = (size_t)it->chunk * RANGES_PER_CHUNK + (size_t)lod;
    if (g->seg_count) { /* a big scene: the range's part in each segment (mh_render_segment.c) */
        for (uint32_t p = g->part_at[range]; p < g->part_at[range + 1]; p++) {
            const gpu_part *pt = &g->parts[p];
            gpu_range_draw d = mh_render_segment_draw(g, pt);
            if (pt->unlit)
                draw_range(r, g, sc, it, true, &d, 0, pt->unlit, ls, st);
            if (pt->count > pt->unlit)
                draw_range(r, g, sc, it, false, &d, pt->unlit, pt->count - pt->unlit, ls, st);
        }
        return;
    }
    gpu_range_draw d = mh_render_range(g, range);
    uint32_t unlit = g->unlit_counts[range];
    if (unlit)
        draw_range(r, g, sc, it, true, &d, 0, unlit, ls, st);
    if (count > unlit)
        draw_range(r, g, sc, it, false, &d, unlit, count - unlit, ls, st);
}

/* The first triangle of a chunk's unlit and lit ranges (a big scene: of
 * its first part), drawn as draw_chunk would. */
static void warm_chunk(mh_renderer *r, const gpu_scene *g, const mh_scene *sc, const mh_cull_item *it, layer_state *ls,
                       mh_render_stats *st)
{
    const mh_scene_chunk *c = &sc->chunks[it->chunk];
    size_t range = (size_t)it->chunk * RANGES_PER_CHUNK;
    uint32_t count = c->index_count, unlit = 0;
    gpu_range_draw d;
    if (g->seg_count) {
        if (g->part_at[range] >= g->part_at[range + 1])
            return;
        const gpu_part *pt = &g->parts[g->part_at[range]];
        d = mh_render_segment_draw(g, pt);
        count = pt->count;
        unlit = pt->unlit;
    } else {
        d = mh_render_range(g, range);
        unlit = g->unlit_counts[range];
    }
    if (unlit >= 3)
        draw_range(r, g, sc, it, true, &d, 0, 3, ls, st);
    if (count >= unlit + 3)
        draw_range(r, g, sc, it, false, &d, unlit, 3, ls, st);
}

/* A warm layer: the first chunk of each material. */
static void warm_layer(mh_renderer *r, const gpu_scene *g, const mh_scene *sc, layer_state *ls, mh_render_stats *st)
{
    int seen[64], seen_count = 0;
    for (int k = 0; k < sc->chunk_count && seen_count < 64; k++) {
        int m = sc->chunks[k].material;
        bool drawn = false;
        for (int i = 0; i < seen_count && !drawn; i++)
            drawn = seen[i] == m;
        if (drawn || sc->chunks[k].index_count < 3)
            continue;
        seen[seen_count++] = m;
        mh_cull_item it = {.chunk = k,
                           .blend = m >= 0 && m < sc->material_count && sc->materials[m].alpha_mode == MH_ALPHA_BLEND};
        warm_chunk(r, g, sc, &it, ls, st);
    }
}

static void draw_layer(mh_renderer *r, const mh_render_layer *l, mh_render_stats *st)
{
    gpu_scene *g = mh_render_scene_slot(r, l->scene);
    if (!g || !g->complete || !l->cpu)
        return;
    glBindVertexArray(g->vao);
    layer_state ls = {.material = -1, .dissolve = l->dissolve, .vao = g->vao};
    if (l->warm)
        warm_layer(r, g, l->cpu, &ls, st);
    for (int k = 0; k < g->item_count && !l->warm; k++)
        if (!r->reflect_pass || !l->cpu->materials[l->cpu->chunks[g->items[k].chunk].material].reflects)
            draw_chunk(r, g, l->cpu, &g->items[k], &ls, st); /* the mirrored pass: not the floor it is seen in */
    if (ls.blending) {
        glDisable(GL_BLEND);
        glDepthMask(GL_TRUE);
    }
}

/* One view: its frame block (slot: which copy of the block), state, layers;
 * both: v is a pair of views, drawn in one pass (mh_render_multiview.c). */
static void draw_view(mh_renderer *r, const mh_render_layer *layers, int layer_count, const mh_render_view *v, int slot,
                      bool both, const mh_render_lighting *light, mh_render_stats *st)
{
    r->stamp++;
    mh_render_frame_block(r, slot, v, light);
    r->pass_bits = both ? V_MULTIVIEW : 0;
    if (both)
        mh_render_mv_pass(r, v);
    else
        glViewport(v->x, v->y, v->width, v->height);
    glEnable(GL_DEPTH_TEST);
    glDepthFunc(GL_LESS);
    glEnable(GL_CULL_FACE);
    glCullFace(GL_BACK);
    glDisable(GL_BLEND);
    r->cull_off = false;
    if (!both && !r->reflect_pass) /* an open panel's card in depth first: the hall behind it is never shaded */
        mh_render_ui_occlude(r, v);
    bind_texture(r, UNIT_ENV, GL_TEXTURE_CUBE_MAP, r->env_cube);
    if (r->shadow_on && !both)
        bind_texture(r, UNIT_SHADOW, GL_TEXTURE_2D, r->shadow_tex);
    if (r->reflect_on && !both)
        bind_texture(r, UNIT_REFLECT, GL_TEXTURE_2D, r->reflect_tex);
    for (int i = 0; i < layer_count; i++) {
        int before = st->draw_calls;
        draw_layer(r, &layers[i], st);
        if (i < 4)
            st->layer_draws[i] += st->draw_calls - before;
    }
    glBindVertexArray(0);
    glEnable(GL_CULL_FACE);
    r->cull_off = false;
    glActiveTexture(GL_TEXTURE0);
    r->bound[0] = 0; /* the interface binds on unit 0 without telling */
    r->pass_bits = 0;
}

void mh_render_view_layers(mh_renderer *r, const mh_render_layer *layers, int layer_count, const mh_render_view *v,
                           const mh_render_lighting *light, mh_render_stats *st)
{
    draw_view(r, layers, layer_count, v, 0, false, light, st);
}

void mh_renderer_draw(mh_renderer *r, const mh_render_layer *layers, int layer_count, const mh_render_view *views,
                      int view_count, const mh_render_lighting *light, uint32_t target_fbo, int target_w, int target_h,
                      mh_render_stats *out_stats)
{
    mh_render_stats st = {0};
    /* quality high: the featured exhibit's shadow map first (its own target) */
    mh_render_shadow_pass(r, layers, layer_count, light, r->multiview && view_count == 2);
    r->target_fbo = target_fbo;
    int w = r->width ? r->width : target_w, h = r->width ? r->height : target_h;
    /* ...and the hall mirrored in the polished floor (its own target, its own culling) */
    mh_render_reflect_pass(r, layers, layer_count, views, view_count, light, w, h);
    GLuint dst = r->width ? r->msaa_fbo : target_fbo;
    /* edge blend or FXAA: drawn into a texture first; not for two eyes (a two-layer multiview target takes
     * none, and the side-by-side frame of a pass per eye draws what it draws) */
    if (view_count > 1 || !mh_render_post_begin(r, dst, w, h))
        glBindFramebuffer(GL_FRAMEBUFFER, dst);
    glViewport(0, 0, w, h);
    glDisable(GL_SCISSOR_TEST);
    glDepthMask(GL_TRUE);
    mh_render_clear(light);
    if (view_count > MH_RENDER_VIEWS)
        view_count = MH_RENDER_VIEWS;
    mh_render_prepare(r, layers, layer_count, views, view_count, &st);
    bool both = r->multiview && view_count == 2; /* one pass, one draw call per chunk for both eyes */
    r->ui_uploaded = false;
    for (int i = 0; i < (both ? 1 : view_count); i++)
        draw_view(r, layers, layer_count, &views[i], i + 1, both, light, &st);
    if (mh_render_bloom_wanted(r, view_count))
        mh_render_bloom(r, r->post_active ? r->post_fbo : dst, w, h);
    r->ui_occluders.vertex_count = 0; /* this frame's only */
    r->shadow_on = false;             /* a capture or the floor draws without it */
    r->reflect_on = false;
    if (out_stats)
        *out_stats = st;
}

void mh_render_floor_quad(mh_renderer *r)
{
    if (!r->floor_vao) {
        /* clip space (an identity view-projection), facing the eye, lit, textured */
        mh_vertex q[4];
        uint8_t packed[4 * (MH_RENDER_VERTEX_BYTES + MH_RENDER_VERTEX_SECOND_BYTES)];
        for (int i = 0; i < 4; i++) {
            float x = (i & 1) ? 1.0f : -1.0f, y = (i & 2) ? 1.0f : -1.0f;
            q[i] = (mh_vertex){.pos = {x, y, 0.5f},
                               .normal = {0.3f, 0.4f, 0.866f},
                               .uv = {x * 4.0f, y * 2.25f},
                               .color = {200, 200, 200, 255},
                               .params = {0, 0, 153, 255},
                               .tangent = {32767, 32767, 32767, 32767}}; /* as the constant: u_emissive */
        }
        glGenVertexArrays(1, &r->floor_vao);
        glBindVertexArray(r->floor_vao);
        glGenBuffers(1, &r->floor_vbo);
        glBindBuffer(GL_ARRAY_BUFFER, r->floor_vbo);
        mh_vertex_source vs = {.vertices = q, .own = 4, .count = 4, .lo = 0, .hi = 4};
        mh_render_vertex_pack(&vs, 0, packed, sizeof packed);
        glBufferData(GL_ARRAY_BUFFER, sizeof packed, packed, GL_STATIC_DRAW);
        mh_render_vertex_layout(4, 0, 4, 0);
    }
}

void mh_renderer_draw_floor(mh_renderer *r, mh_gpu_scene textures_of, const mh_render_lighting *light,
                            uint32_t target_fbo, int target_w, int target_h)
{
    mh_render_floor_quad(r);
    r->target_fbo = target_fbo;
    r->post_active = false; /* the floor is the lit pass alone */
    glBindFramebuffer(GL_FRAMEBUFFER, r->width ? r->msaa_fbo : target_fbo);
    glViewport(0, 0, r->width ? r->width : target_w, r->width ? r->height : target_h);
    glDepthMask(GL_TRUE);
    glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
    glEnable(GL_DEPTH_TEST);
    glDepthFunc(GL_LESS);
    glDisable(GL_BLEND);
    glDisable(GL_CULL_FACE);
    /* the hall's first textured material (its first hall texture), else the plain one */
    gpu_scene *g = mh_render_scene_slot(r, textures_of);
    int m = 0;
    for (int i = 1; g && g->complete && i < g->material_count && !m; i++)
        m = (g->material_keys[i] & V_TEX(MH_TEX_BASE)) && !(g->material_keys[i] & V_UNLIT) ? i : 0;
    bool both = r->multiview && r->width; /* a multiview target: the quad in both layers */
    uint32_t key = (m ? g->material_keys[m] : 0) | (both ? V_MULTIVIEW : 0);
    lit_program *p = mh_render_program(r, mh_render_shared_key(key));
    if (!p)
        return;
    mh_render_view v = {.view = mh_m4_identity(), .proj = mh_m4_identity(), .eye = mh_v3(0, 0, -2)};
    r->stamp++;
    mh_render_frame_block(r, 0, &v, light);
    if (both) {
        v.width = r->width / 2;
        v.height = r->height;
        mh_render_mv_pass(r, (mh_render_view[2]){v, v});
    }
    glUseProgram(p->id);
    set_model(r, p, NULL);
    if (m) {
        size_t stride = mh_render_material_stride(r);
        glBindBufferRange(GL_UNIFORM_BUFFER, BLOCK_MATERIAL, g->material_ubo, (GLintptr)(stride * (size_t)m),
                          sizeof(float) * 48);
        glActiveTexture(GL_TEXTURE0);
        glBindTexture(GL_TEXTURE_2D, g->material_base[m] >= 0 ? g->textures[g->material_base[m]] : 0);
    } else {
        glBindBufferRange(GL_UNIFORM_BUFFER, BLOCK_MATERIAL, r->plain_ubo, 0, sizeof(float) * 48);
    }
    bind_texture(r, UNIT_ENV, GL_TEXTURE_CUBE_MAP, r->env_cube);
    glActiveTexture(GL_TEXTURE0);
    r->bound[0] = 0;
    glBindVertexArray(r->floor_vao);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    glBindVertexArray(0);
}

void mh_renderer_end_frame(mh_renderer *r)
{
    mh_render_post_end(r);
    mh_render_release_compiler(); /* what this frame's links built */
    if (!r->width || !r->samples)
        return; /* a window, or drawn straight into the single-sample target */
    /* resolve MSAA into the single-sample target */
    glBindFramebuffer(GL_READ_FRAMEBUFFER, r->msaa_fbo);
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, r->resolve_fbo);
    glBlitFramebuffer(0, 0, r->width, r->height, 0, 0, r->width, r->height, GL_COLOR_BUFFER_BIT, GL_NEAREST);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
}

/* A multisampled target of the platform's (a headset's with --msaa):
 * resolved into a renderbuffer of our own first, as multisampled pixels
 * cannot be read. */
static void read_resolved(const mh_renderer *r, uint8_t *rgba, int width, int height)
{
    GLuint fb, rb;
    glGenRenderbuffers(1, &rb);
    glBindRenderbuffer(GL_RENDERBUFFER, rb);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, width, height);
    glGenFramebuffers(1, &fb);
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, fb);
    glFramebufferRenderbuffer(GL_DRAW_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, rb);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, r->target_fbo);
    glBlitFramebuffer(0, 0, width, height, 0, 0, width, height, GL_COLOR_BUFFER_BIT, GL_NEAREST);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, fb);
    glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    glDeleteFramebuffers(1, &fb);
    glDeleteRenderbuffers(1, &rb);
}

bool mh_renderer_read_pixels(mh_renderer *r, uint8_t *rgba, int width, int height)
{
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    GLint samples = 0;
    if (!r->width && !r->multiview) { /* the platform's target: multisampled? */
        glBindFramebuffer(GL_FRAMEBUFFER, r->target_fbo);
        glGetIntegerv(GL_SAMPLES, &samples);
    }
    if (r->multiview) {
        mh_render_mv_read(r, rgba, width, height);
    } else if (samples > 1) {
        read_resolved(r, rgba, width, height);
    } else {
        glBindFramebuffer(GL_READ_FRAMEBUFFER, !r->width ? r->target_fbo : r->samples ? r->resolve_fbo : r->msaa_fbo);
        glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
        glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
    }
    if (glGetError() != GL_NO_ERROR)
        return false;
    /* GL rows are bottom-up; flip in place */
    size_t row = (size_t)width * 4;
    for (int y = 0; y < height / 2; y++) {
        uint8_t *a = rgba + row * (size_t)y, *b = rgba + row * (size_t)(height - 1 - y);
        for (size_t i = 0; i < row; i++) {
            uint8_t t = a[i];
            a[i] = b[i];
            b[i] = t;
        }
    }
    return true;
}

void mh_renderer_finish(mh_renderer *r)
{
    (void)r;
    glFinish();
}

const char *mh_renderer_gl_name(const mh_renderer *r) { return r->gl_name; }

bool mh_renderer_gl_strings(char *renderer, int renderer_size, char *version, int version_size)
{
    const char *name = (const char *)glGetString(GL_RENDERER), *ver = (const char *)glGetString(GL_VERSION);
    snprintf(renderer, (size_t)renderer_size, "%s", name ? name : "");
    snprintf(version, (size_t)version_size, "%s", ver ? ver : "");
    return name && ver;
}
bool mh_renderer_is_offscreen(const mh_renderer *r) { return r->width > 0; }

void mh_renderer_size(const mh_renderer *r, int *w, int *h)
{
    *w = r->width;
    *h = r->height;
}

int mh_renderer_variant_count(const mh_renderer *r) { return r->program_count; }

mh_render_quality mh_renderer_quality(const mh_renderer *r, bool *fxaa)
{
    if (fxaa)
        *fxaa = (r->fxaa || r->post_lean) && !r->post_failed;
    return (mh_render_quality)r->desc.quality;
}
