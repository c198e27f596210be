/* mh_render_shadow.c - the featured exhibit's real shadow at quality high:
 * a 1024^2 depth texture (GL_DEPTH_COMPONENT24, compared in the shader as a
 * sampler2DShadow) drawn from the stage's key light (mh_render_lighting's
 * key_dir: the sun's colour and height, turned to shine from behind the
 * stage's side, mh_engine_light.c), through an orthographic projection
 * fitted to the exhibit's world bounds this frame and the floor its shadow
 * reaches. The
 * map is redrawn before the main pass only when the exhibit or the light
 * moved (a turning landmark: every frame unless --still). The stage, the
 * floor and anything else whose chunk bounds touch the swept box receive it
 * through the V_SHADOW variant (lit.vert/lit.frag: lit by the key light
 * instead of the sun near the stage, a normal offset against acne, four
 * hardware-compared taps for a soft edge); every other draw's
 * variant is unchanged and pays nothing. Not in a multiview (headset) pass,
 * nor at low/medium: a CPU rasteriser keeps the baked contact shadows. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "../core/mh_log.h"
#include "mh_renderer_internal.h"
#include "mh_shaders.h"

#define SHADOW_SIZE 1024
#define SHADOW_MARGIN 0.04f /* of the fitted extent, so the caster never touches the map's edge */

/* The depth texture and its framebuffer, and the depth-only program. */
static bool shadow_init(mh_renderer *r)
{
    mh_error err;
    r->shadow_program = mh_render_link(mh_shader_shadow_vert, mh_shader_shadow_frag, "", "shadow", &err);
    if (!r->shadow_program) {
        char text[512];
        mh_log_error("gl", "no shadow map: %s", mh_error_text(&err, text, sizeof text));
        return false;
    }
    r->u_shadow_mvp = glGetUniformLocation(r->shadow_program, "u_mvp");
    glGenTextures(1, &r->shadow_tex);
    glActiveTexture(GL_TEXTURE0 + UNIT_SHADOW);
    glBindTexture(GL_TEXTURE_2D, r->shadow_tex);
    glTexStorage2D(GL_TEXTURE_2D, 1, GL_DEPTH_COMPONENT24, SHADOW_SIZE, SHADOW_SIZE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_COMPARE_MODE, GL_COMPARE_REF_TO_TEXTURE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_COMPARE_FUNC, GL_LEQUAL);
    r->bound[UNIT_SHADOW] = r->shadow_tex;
    glActiveTexture(GL_TEXTURE0);
    glGenFramebuffers(1, &r->shadow_fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, r->shadow_fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_TEXTURE_2D, r->shadow_tex, 0);
    GLenum none = GL_NONE;
    glDrawBuffers(1, &none);
    glReadBuffer(GL_NONE);
    GLenum st = glCheckFramebufferStatus(GL_FRAMEBUFFER);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    if (st != GL_FRAMEBUFFER_COMPLETE) {
        mh_log_error("gl", "no shadow map: its framebuffer is incomplete (0x%x)", st);
        return false;
    }
    return true;
}

void mh_render_shadow_destroy(mh_renderer *r)
{
    glDeleteProgram(r->shadow_program);
    glDeleteFramebuffers(1, &r->shadow_fbo);
    glDeleteTextures(1, &r->shadow_tex);
}

static bool casts(const mh_scene *sc, const mh_scene_chunk *c)
{
    return c->index_count > 0 && sc->materials[c->material].alpha_mode != MH_ALPHA_BLEND; /* not its contact blob */
}

static uint64_t fnv(uint64_t h, const void *data, size_t n)
{
    const uint8_t *p = data;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

/* The caster's world box this frame, and a hash of its poses and the light. */
static mh_aabb caster_bounds(const mh_render_layer *l, mh_vec3 dir, uint64_t *hash)
{
    const mh_scene *sc = l->cpu;
    mh_aabb b = mh_aabb_empty();
    uint64_t h = fnv(14695981039346656037ull, &l->scene.id, sizeof l->scene.id);
    h = fnv(h, &dir, sizeof dir);
    for (int i = 0; i < sc->chunk_count; i++) {
        const mh_scene_chunk *c = &sc->chunks[i];
        if (!casts(sc, c))
            continue;
        mh_aabb_add_point(&b, c->bounds.min);
        mh_aabb_add_point(&b, c->bounds.max);
        h = fnv(h, &c->bounds, sizeof c->bounds);
        if (c->motion >= 0)
            h = fnv(h, sc->motions[c->motion].world.m, sizeof(float) * 16);
    }
    *hash = h;
    return b;
}

static void box_corners(mh_aabb b, mh_vec3 out[8])
{
    for (int k = 0; k < 8; k++)
        out[k] = mh_v3(k & 1 ? b.max.x : b.min.x, k & 2 ? b.max.y : b.min.y, k & 4 ? b.max.z : b.min.z);
}

/* The light's view-projection: an orthographic box around the caster
 * (x, y) from before it to the farthest point its shadow reaches on the
 * floor (depth); recv is set to that floor-reaching box. */
static mh_mat4 fit_light(mh_renderer *r, mh_aabb b, mh_vec3 d)
{
    float t = b.max.y > 0 ? b.max.y / -d.y : 0; /* from the caster's top down to the floor */
    mh_aabb recv = b;
    mh_aabb_add_point(&recv, mh_v3_add(b.min, mh_v3_scale(d, t)));
    mh_aabb_add_point(&recv, mh_v3_add(b.max, mh_v3_scale(d, t)));
    recv.min = mh_v3_sub(recv.min, mh_v3(0.3f, 0.3f, 0.3f));
    recv.max = mh_v3_add(recv.max, mh_v3(0.3f, 0.3f, 0.3f));
    r->shadow_recv = recv;
    mh_vec3 center = mh_aabb_center(b);
    mh_vec3 up = fabsf(d.y) > 0.99f ? mh_v3(0, 0, 1) : mh_v3(0, 1, 0);
    mh_mat4 view = mh_m4_look_at(mh_v3_sub(center, d), center, up);
    mh_vec3 corners[8];
    float lo[3] = {1e30f, 1e30f, 1e30f}, hi[3] = {-1e30f, -1e30f, -1e30f};
    box_corners(b, corners);
    for (int k = 0; k < 8; k++) {
        mh_vec3 p = mh_m4_mul_point(view, corners[k]);
        float v[3] = {p.x, p.y, p.z};
        for (int a = 0; a < 3; a++) {
            lo[a] = v[a] < lo[a] ? v[a] : lo[a];
            hi[a] = v[a] > hi[a] ? v[a] : hi[a];
        }
    }
    box_corners(recv, corners);
    for (int k = 0; k < 8; k++) { /* depth: as far as the floor it falls on */
        float z = mh_m4_mul_point(view, corners[k]).z;
        lo[2] = z < lo[2] ? z : lo[2];
    }
    float ext = fmaxf(hi[0] - lo[0], hi[1] - lo[1]) * (0.5f + SHADOW_MARGIN);
    float cx = (lo[0] + hi[0]) * 0.5f, cy = (lo[1] + hi[1]) * 0.5f;
    float n = -hi[2] - 0.1f, f = -lo[2] + 0.1f;
    mh_mat4 ortho = mh_m4_identity();
    ortho.m[0] = 1.0f / ext;
    ortho.m[5] = 1.0f / ext;
    ortho.m[10] = -2.0f / (f - n);
    ortho.m[12] = -cx / ext;
    ortho.m[13] = -cy / ext;
    ortho.m[14] = -(f + n) / (f - n);
    float texel = 2.0f * ext / SHADOW_SIZE;   /* metres per texel */
    r->shadow_params[0] = 1.5f * texel;       /* normal offset: no acne on slopes, no gap at the foot */
    r->shadow_params[1] = 1.2f / SHADOW_SIZE; /* the four taps 2.4 texels apart: a soft edge */
    memcpy(r->shadow_params + 4, (float[3]){-d.x, -d.y, -d.z}, sizeof(float) * 3);
    /* the key light lights what lies within the floor-reaching box, fading to the sun around it */
    float rx = (recv.max.x - recv.min.x) * 0.5f, rz = (recv.max.z - recv.min.z) * 0.5f;
    float inner = sqrtf(rx * rx + rz * rz);
    memcpy(r->shadow_params + 8,
           (float[4]){(recv.min.x + recv.max.x) * 0.5f, (recv.min.z + recv.max.z) * 0.5f, inner, inner * 1.5f},
           sizeof(float) * 4);
    return mh_m4_mul(ortho, view);
}

/* The caster's chunks into the depth texture. */
static void draw_map(mh_renderer *r, const mh_render_layer *l, mh_mat4 light_vp)
{
    const mh_scene *sc = l->cpu;
    gpu_scene *g = mh_render_scene_slot(r, l->scene);
    glBindFramebuffer(GL_FRAMEBUFFER, r->shadow_fbo);
    glViewport(0, 0, SHADOW_SIZE, SHADOW_SIZE);
    glDisable(GL_SCISSOR_TEST);
    glDepthMask(GL_TRUE);
    glClear(GL_DEPTH_BUFFER_BIT);
    glEnable(GL_DEPTH_TEST);
    glDepthFunc(GL_LESS);
    glDisable(GL_BLEND);
    glDisable(GL_CULL_FACE); /* models are not all closed: both sides cast */
    glEnable(GL_POLYGON_OFFSET_FILL);
    glPolygonOffset(1.5f, 2.0f);
    glUseProgram(r->shadow_program);
    r->shadow_draws = 0;
    for (int i = 0; i < sc->chunk_count; i++) {
        const mh_scene_chunk *c = &sc->chunks[i];
        if (!casts(sc, c))
            continue;
        mh_mat4 mvp = c->motion >= 0 ? mh_m4_mul(light_vp, sc->motions[c->motion].world) : light_vp;
        glUniformMatrix4fv(r->u_shadow_mvp, 1, GL_FALSE, mvp.m);
        if (g->seg_count) { /* a big scene: the chunk's part in each segment */
            size_t range = (size_t)i * RANGES_PER_CHUNK;
            for (uint32_t p = g->part_at[range]; p < g->part_at[range + 1]; p++) {
                gpu_range_draw d = mh_render_segment_draw(g, &g->parts[p]);
                glBindVertexArray(d.vao);
                glDrawRangeElements(GL_TRIANGLES, d.low, d.high, (GLsizei)g->parts[p].count, d.type,
                                    (void *)(uintptr_t)d.at);
                r->shadow_draws++;
            }
            continue;
        }
        gpu_range_draw d = mh_render_range(g, (size_t)i * RANGES_PER_CHUNK);
        glBindVertexArray(d.vao);
        glDrawRangeElements(GL_TRIANGLES, d.low, d.high, (GLsizei)c->index_count, d.type, (void *)(uintptr_t)d.at);
        r->shadow_draws++;
    }
    glBindVertexArray(0);
    glDisable(GL_POLYGON_OFFSET_FILL);
    glEnable(GL_CULL_FACE);
    r->cull_off = false;
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
}

void mh_render_shadow_pass(mh_renderer *r, const mh_render_layer *layers, int layer_count,
                           const mh_render_lighting *light, bool multiview)
{
    r->shadow_on = false;
    if (r->desc.quality != MH_QUALITY_HIGH || multiview || r->shadow_failed)
        return;
    const mh_render_layer *l = NULL;
    for (int i = 0; i < layer_count && !l; i++) {
        const gpu_scene *g = mh_render_scene_slot(r, layers[i].scene);
        l = layers[i].shadow && layers[i].cpu && g && g->complete &&
                    (layers[i].dissolve == 0 || layers[i].dissolve >= 1) /* solid */
                ? &layers[i]
                : NULL;
    }
    mh_vec3 key = mh_v3_len(light->key_dir) > 0 ? light->key_dir : light->sun_dir;
    mh_vec3 d = mh_v3_scale(mh_v3_norm(key), -1.0f); /* where its light goes */
    if (!l || d.y > -0.1f)
        return; /* nothing on the stage, or a light too low to cast onto the floor */
    uint64_t hash;
    mh_aabb b = caster_bounds(l, d, &hash);
    if (b.min.x > b.max.x)
        return;
    if (!r->shadow_program && !shadow_init(r)) {
        r->shadow_failed = true;
        return;
    }
    if (!r->shadow_valid || hash != r->shadow_hash) {
        mh_mat4 light_vp = fit_light(r, b, d);
        mh_mat4 bias = mh_m4_mul(mh_m4_translate(mh_v3(0.5f, 0.5f, 0.5f)), mh_m4_scale(mh_v3(0.5f, 0.5f, 0.5f)));
        r->shadow_matrix = mh_m4_mul(bias, light_vp);
        draw_map(r, l, light_vp);
        r->shadow_hash = hash;
        r->shadow_valid = true;
    }
    r->shadow_on = true;
}

bool mh_render_shadow_receives(const mh_renderer *r, const mh_aabb *b)
{
    const mh_aabb *s = &r->shadow_recv;
    return r->shadow_on && b->min.x <= s->max.x && b->max.x >= s->min.x && b->min.y <= s->max.y &&
           b->max.y >= s->min.y && b->min.z <= s->max.z && b->max.z >= s->min.z;
}
