/* mh_render_upload.c - scenes onto the GPU: one vertex and one index
 * buffer per scene (and one of skin weights when it has skinned parts),
 * uploaded whole or a budget of bytes per frame, the vertices packed on
 * the way (mh_render_vertex.c: the tangent and uv1 only for the vertices
 * of the chunks that read them, a second stream that a VAO of its own
 * reads); textures (sRGB colour or linear data) with mip levels made on the
 * CPU and glTF's samplers; one uniform block per scene holding its
 * materials; morph targets' deltas as float textures; the pool of scene
 * handles. Each range of indices a chunk draws goes up with its unlit
 * triangles first (mh_mesh_triangle_unlit: the ones the exporter marks
 * KHR_materials_unlit), drawn with the material's unlit variant, the rest
 * with its lit one. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/mh_log.h"
#include "mh_renderer_internal.h"

/* sRGB byte <-> linear, for averaging texels where light adds up */
static float srgb_table[256];

static uint8_t linear_table[4097];

static uint8_t to_srgb8(float linear) { return linear_table[(int)(linear * 4096.0f + 0.5f)]; }

/* Rows [y0, y1) of the next mip level of src (w x h, `channels` bytes a
 * texel: 4, or 1 for an R8 distance field) into dst (dw x dh): 2x2
 * averages, in linear light for colour (srgb) and plainly for data and
 * alpha; odd edges repeat their last texel. */
void mh_render_downsample(const uint8_t *src, int w, int h, uint8_t *dst, int dw, int y0, int y1, bool srgb,
                          int channels)
{
    mh_render_srgb_tables();
    int n = channels == 1 ? 1 : 4;
    srgb = srgb && n == 4;
    for (int y = y0; y < y1; y++) {
        const uint8_t *r0 = src + (size_t)(2 * y < h ? 2 * y : h - 1) * (size_t)w * (size_t)n;
        const uint8_t *r1 = src + (size_t)(2 * y + 1 < h ? 2 * y + 1 : h - 1) * (size_t)w * (size_t)n;
        for (int x = 0; x < dw; x++) {
            int x0 = (2 * x < w ? 2 * x : w - 1) * n, x1 = (2 * x + 1 < w ? 2 * x + 1 : w - 1) * n;
            uint8_t *o = dst + ((size_t)y * (size_t)dw + (size_t)x) * (size_t)n;
            for (int c = 0; c < 3 && srgb; c++)
                o[c] = to_srgb8(0.25f * (srgb_table[r0[x0 + c]] + srgb_table[r0[x1 + c]] + srgb_table[r1[x0 + c]] +
                                         srgb_table[r1[x1 + c]]));
            for (int c = srgb ? 3 : 0; c < n; c++)
                o[c] = (uint8_t)((r0[x0 + c] + r0[x1 + c] + r1[x0 + c] + r1[x1 + c] + 2) / 4);
        }
    }
}

int mh_render_texel_bytes(const mh_scene_texture *t) { return t->channels == 1 ? 1 : 4; }

GLenum mh_render_texture_format(const mh_scene_texture *t)
{
    return t->channels == 1 ? GL_R8 : t->srgb ? GL_SRGB8_ALPHA8 : GL_RGBA8;
}

void mh_render_srgb_tables(void)
{
    if (srgb_table[255] == 0.0f) {
        for (int i = 0; i < 256; i++)
            srgb_table[i] = mh_srgb_to_linear((float)i / 255.0f);
        for (int i = 0; i <= 4096; i++)
            linear_table[i] = (uint8_t)(mh_linear_to_srgb((float)i / 4096.0f) * 255.0f + 0.5f);
    }
}

/* Uploads every mip level into immutable storage (glTexStorage2D: Mesa's
 * state tracker otherwise keeps the levels glTexImage2D gave it apart and
 * copies them into one texture at the first draw, so a texture took 2.3
 * times its top level's bytes in the driver until then, against 1.33). The
 * levels are made here rather than by glGenerateMipmap: on llvmpipe that
 * runs a JIT-compiled blit per level and format, which cost most of the
 * start-up (360 of 620 ms) and its memory. */
static void upload_levels(const mh_scene_texture *t)
{
    int w = t->width, h = t->height, levels = 1;
    for (int m = w > h ? w : h; m > 1; m >>= 1)
        levels++;
    int n = mh_render_texel_bytes(t);
    GLenum format = n == 1 ? GL_RED : GL_RGBA;
    glTexStorage2D(GL_TEXTURE_2D, levels, mh_render_texture_format(t), w, h);
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, w, h, format, GL_UNSIGNED_BYTE, t->rgba);
    uint8_t *level = malloc((size_t)((w + 1) / 2) * (size_t)((h + 1) / 2) * (size_t)n + 4), *prev = t->rgba;
    uint8_t *spare = malloc((size_t)((w + 1) / 2) * (size_t)((h + 1) / 2) * (size_t)n + 4);
    if (!level || !spare) { /* out of memory: let the driver make them */
        free(level);
        free(spare);
        glGenerateMipmap(GL_TEXTURE_2D);
        return;
    }
    for (int l = 1; w > 1 || h > 1; l++) {
        int dw = w > 1 ? w / 2 : 1, dh = h > 1 ? h / 2 : 1;
        mh_render_downsample(prev, w, h, level, dw, 0, dh, t->srgb, n);
        glTexSubImage2D(GL_TEXTURE_2D, l, 0, 0, dw, dh, format, GL_UNSIGNED_BYTE, level);
        prev = level;
        level = spare;
        spare = prev;
        w = dw;
        h = dh;
    }
    free(level);
    free(spare);
}

static GLint gl_wrap(int w)
{
    return w == MH_GLTF_WRAP_CLAMP_TO_EDGE     ? GL_CLAMP_TO_EDGE
           : w == MH_GLTF_WRAP_MIRRORED_REPEAT ? GL_MIRRORED_REPEAT
                                               : GL_REPEAT;
}

/* The sampler's minification filter; the default is trilinear, or one
 * mip level bilinear on a CPU rasteriser (half the texel reads; the
 * floor's benchmark frame went from 21.6 to 16.5 ms). */
static GLint gl_min_filter(const mh_renderer *r, int f)
{
    switch (f) {
    case MH_GLTF_FILTER_NEAREST: return GL_NEAREST_MIPMAP_NEAREST; /* keep the levels: far texels still average */
    case MH_GLTF_FILTER_LINEAR: return GL_LINEAR_MIPMAP_NEAREST;
    case MH_GLTF_FILTER_NEAREST_MIPMAP_NEAREST: return GL_NEAREST_MIPMAP_NEAREST;
    case MH_GLTF_FILTER_NEAREST_MIPMAP_LINEAR:
        return r->software ? GL_NEAREST_MIPMAP_NEAREST : GL_NEAREST_MIPMAP_LINEAR;
    case MH_GLTF_FILTER_LINEAR_MIPMAP_NEAREST: return GL_LINEAR_MIPMAP_NEAREST;
    default: return r->software ? GL_LINEAR_MIPMAP_NEAREST : GL_LINEAR_MIPMAP_LINEAR;
    }
}

void mh_render_texture_params(const mh_renderer *r, const mh_scene_texture *t)
{
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, gl_wrap(t->wrap_s));
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, gl_wrap(t->wrap_t));
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, gl_min_filter(r, t->min_filter));
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER,
                    t->mag_filter == MH_GLTF_FILTER_NEAREST ? GL_NEAREST : GL_LINEAR);
    if (r->max_aniso > 1 && !r->software)
        glTexParameterf(GL_TEXTURE_2D, GL_TEXTURE_MAX_ANISOTROPY_EXT, r->max_aniso < 4 ? r->max_aniso : 4);
}

static GLuint upload_texture(const mh_renderer *r, const mh_scene_texture *t)
{
    GLuint id;
    glGenTextures(1, &id);
    glBindTexture(GL_TEXTURE_2D, id);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    upload_levels(t);
    mh_render_texture_params(r, t);
    return id;
}

gpu_scene *mh_render_scene_slot(mh_renderer *r, mh_gpu_scene h)
{
    int slot = mh_pool_slot(&r->scene_pool, h.id);
    return slot >= 0 ? &r->scenes[slot] : NULL;
}

void mh_render_make_vao(GLuint *vao, GLuint *vbo, GLuint *ibo)
{
    glGenVertexArrays(1, vao);
    glBindVertexArray(*vao);
    glGenBuffers(1, vbo);
    glBindBuffer(GL_ARRAY_BUFFER, *vbo);
    glGenBuffers(1, ibo);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, *ibo);
}

/* Joints and weights from the bound skin buffer (attributes 7 and 8). */
static void skin_layout(void)
{
    GLsizei stride = sizeof(mh_skin_vertex);
    glEnableVertexAttribArray(7);
    glVertexAttribPointer(7, 4, GL_UNSIGNED_BYTE, GL_FALSE, stride, (void *)offsetof(mh_skin_vertex, joints));
    glEnableVertexAttribArray(8);
    glVertexAttribPointer(8, 4, GL_UNSIGNED_SHORT, GL_TRUE, stride, (void *)offsetof(mh_skin_vertex, weights));
}

size_t mh_render_material_stride(const mh_renderer *r)
{
    size_t a = r->ubo_align > 16 ? (size_t)r->ubo_align : 16, size = sizeof(float) * 48;
    return (size + a - 1) / a * a;
}

void mh_render_material_block(const mh_material *m, float out[48])
{
    memset(out, 0, sizeof(float) * 48);
    memcpy(out, m->emissive, sizeof(float) * 3);
    out[3] = m->normal_scale;
    out[4] = m->occlusion_strength;
    out[5] = m->alpha_cutoff;
    for (int s = 0; s < MH_TEX_SLOTS; s++)
        memcpy(out + 8 + s * 8, m->slots[s].xform, sizeof(float) * 6);
}

/* The scene's materials: their variant bits, and one uniform block each. */
static bool upload_materials(mh_renderer *r, gpu_scene *g, const mh_scene *sc)
{
    size_t stride = mh_render_material_stride(r);
    uint8_t *blocks = calloc((size_t)sc->material_count + 1, stride);
    g->material_keys = calloc((size_t)sc->material_count + 1, sizeof *g->material_keys);
    g->unlit_keys = calloc((size_t)sc->material_count + 1, sizeof *g->unlit_keys);
    g->material_base = calloc((size_t)sc->material_count + 1, sizeof *g->material_base);
    if (!blocks || !g->material_keys || !g->unlit_keys || !g->material_base) {
        free(blocks);
        return false;
    }
    for (int i = 0; i < sc->material_count; i++) {
        mh_render_material_block(&sc->materials[i], (float *)(void *)(blocks + stride * (size_t)i));
        g->material_keys[i] = mh_render_material_key(&sc->materials[i]);
        mh_material unlit = sc->materials[i];
        unlit.unlit = true;
        g->unlit_keys[i] = mh_render_material_key(&unlit);
        g->material_base[i] = sc->materials[i].slots[MH_TEX_BASE].texture;
    }
    g->material_count = sc->material_count;
    glGenBuffers(1, &g->material_ubo);
    glBindBuffer(GL_UNIFORM_BUFFER, g->material_ubo);
    glBufferData(GL_UNIFORM_BUFFER, (GLsizeiptr)(stride * (size_t)(sc->material_count + 1)), blocks, GL_STATIC_DRAW);
    glBindBuffer(GL_UNIFORM_BUFFER, 0);
    free(blocks);
    return true;
}

uint32_t mh_render_chunk_key(const gpu_scene *g, const mh_scene *sc, const mh_scene_chunk *c, bool unlit)
{
    uint32_t key = unlit ? g->unlit_keys[c->material] : g->material_keys[c->material];
    const mh_scene_motion *mo = c->motion >= 0 ? &sc->motions[c->motion] : NULL;
    key |= mo && mo->skin >= 0 ? V_SKIN : 0;
    key |= mo && mo->target_count ? V_MORPH : 0;
    key |= !(key & V_UNLIT) && c->rig >= 0 && sc->rigs[c->rig].light_count ? V_LIGHTS : 0;
    return key;
}

/* The variants the scene's chunks need, compiled now rather than at their
 * first draw (the crossfade's are made at its first use). */
static void compile_variants(mh_renderer *r, const gpu_scene *g, const mh_scene *sc)
{
    for (int i = 0; i < sc->chunk_count; i++) {
        const mh_scene_chunk *c = &sc->chunks[i];
        const uint32_t *unlit = &g->unlit_counts[(size_t)i * RANGES_PER_CHUNK];
        bool lit_part = false, unlit_part = false;
        for (int l = 0; l < RANGES_PER_CHUNK; l++) {
            uint32_t count = l ? c->lod_count[l - 1] : c->index_count;
            lit_part = lit_part || count > unlit[l];
            unlit_part = unlit_part || unlit[l] > 0;
        }
        uint32_t key = mh_render_chunk_key(g, sc, c, false);
        if (lit_part) /* as draw_range picks it */
            mh_render_program(r, mh_render_shared_key(key));
        if (unlit_part)
            mh_render_program(r, mh_render_chunk_key(g, sc, c, true));
    }
}

/* ---- unlit triangles first ---------------------------------------------- */

typedef struct index_range {
    uint32_t first, count;
    uint32_t unlit; /* unlit indices at its start once split */
    bool alone;     /* no other chunk's range overlaps it (an identical one may) */
} index_range;

static int range_order(const void *pa, const void *pb)
{
    const index_range *a = pa, *b = pb;
    if (a->first != b->first)
        return a->first < b->first ? -1 : 1;
    return a->count < b->count ? -1 : a->count > b->count;
}

/* Copies the triangles of indices[first, first + count) into the same place
 * of out, the unlit ones first; returns how many indices those are. */
static uint32_t split_range(const mh_mesh_data *m, uint32_t first, uint32_t count, uint32_t *out)
{
    uint32_t end = first + count - count % 3, unlit = 0;
    for (uint32_t t = first; t < end; t += 3)
        unlit += mh_mesh_triangle_unlit(m, t) ? 3 : 0;
    uint32_t u = first, l = first + unlit;
    for (uint32_t t = first; t < end; t += 3) {
        uint32_t *at = mh_mesh_triangle_unlit(m, t) ? &u : &l;
        memcpy(&out[*at], &m->indices[t], sizeof(uint32_t) * 3);
        *at += 3;
    }
    return unlit;
}

static uint32_t range_count(const mh_scene_chunk *c, int l) { return l ? c->lod_count[l - 1] : c->index_count; }

static uint32_t range_first(const mh_scene_chunk *c, int l) { return l ? c->lod_first[l - 1] : c->first_index; }

/* The GPU's copy of the indices, each chunk's ranges split into unlit and
 * lit triangles, and the chunks' unlit counts. A range that overlaps another
 * one (a block's proxy spans its tiles' proxies) keeps its order and is drawn
 * lit: the lit shader mixes a glowing surface toward its base colour, so it
 * looks the same, only dearer. */
static bool split_unlit(gpu_scene *g, const mh_scene *sc)
{
    size_t n = 0, cap = (size_t)sc->chunk_count * RANGES_PER_CHUNK;
    index_range *ranges = malloc(sizeof *ranges * (cap + 1));
    g->unlit_counts = calloc(cap + 1, sizeof *g->unlit_counts);
    g->indices = malloc(sizeof *g->indices * ((size_t)sc->mesh.index_count + 1));
    if (!ranges || !g->unlit_counts || !g->indices) {
        free(ranges);
        return false;
    }
    memcpy(g->indices, sc->mesh.indices, sizeof *g->indices * sc->mesh.index_count);
    for (int i = 0; i < sc->chunk_count; i++)
        for (int l = 0; l < RANGES_PER_CHUNK; l++)
            if (range_count(&sc->chunks[i], l))
                ranges[n++] = (index_range){range_first(&sc->chunks[i], l), range_count(&sc->chunks[i], l), 0, false};
    qsort(ranges, n, sizeof *ranges, range_order);
    uint32_t end_before = 0; /* the furthest end of the distinct ranges before this one */
    for (size_t k = 0; k < n; k++) {
        index_range *x = &ranges[k];
        bool same_as_previous = k > 0 && x->first == x[-1].first && x->count == x[-1].count;
        size_t next = k + 1;
        while (next < n && ranges[next].first == x->first && ranges[next].count == x->count)
            next++;
        if (same_as_previous) {
            *x = x[-1];
            continue;
        }
        x->alone = x->first >= end_before && (next == n || ranges[next].first >= x->first + x->count);
        x->unlit = x->alone ? split_range(&sc->mesh, x->first, x->count, g->indices) : 0;
        end_before = x->first + x->count > end_before ? x->first + x->count : end_before;
    }
    for (int i = 0; i < sc->chunk_count; i++)
        for (int l = 0; l < RANGES_PER_CHUNK; l++) {
            index_range key = {range_first(&sc->chunks[i], l), range_count(&sc->chunks[i], l), 0, false};
            const index_range *x = key.count ? bsearch(&key, ranges, n, sizeof *ranges, range_order) : NULL;
            g->unlit_counts[(size_t)i * RANGES_PER_CHUNK + (size_t)l] = x ? x->unlit : 0;
        }
    free(ranges);
    return true;
}

/* A segmented scene's unlit counts per range (what compile_variants reads). */
static bool segment_unlit_counts(gpu_scene *g, const mh_scene *sc)
{
    size_t ranges = (size_t)sc->chunk_count * RANGES_PER_CHUNK;
    g->unlit_counts = calloc(ranges + 1, sizeof *g->unlit_counts);
    if (!g->unlit_counts)
        return false;
    for (size_t r = 0; r < ranges; r++)
        for (uint32_t p = g->part_at[r]; p < g->part_at[r + 1]; p++)
            g->unlit_counts[r] += g->parts[p].unlit;
    return true;
}

/* The vertices that the chunks drawn with a variant reading the second
 * stream use (mh_render_vertex.c): [second_lo, second_hi), empty when none. */
static void second_range(gpu_scene *g, const mh_scene *sc)
{
    uint32_t lo = UINT32_MAX, hi = 0;
    for (int i = 0; i < sc->chunk_count; i++) {
        const mh_scene_chunk *c = &sc->chunks[i];
        if (!((g->material_keys[c->material] | g->unlit_keys[c->material]) & MH_RENDER_VERTEX_SECOND))
            continue;
        for (int l = 0; l < RANGES_PER_CHUNK; l++)
            for (uint32_t k = range_first(c, l), end = k + range_count(c, l); k < end; k++) {
                uint32_t v = sc->mesh.indices[k];
                lo = v < lo ? v : lo;
                hi = v + 1 > hi ? v + 1 : hi;
            }
    }
    g->second_lo = hi > lo ? lo : 0;
    g->second_hi = hi > lo ? hi : 0;
}

/* The bound VAO's attributes: the vertices (the second stream's for
 * [lo, hi)) from vertex `base` on, and the skin's (a skinned scene has one
 * window: base 0). */
static void scene_layout(const gpu_scene *g, uint32_t vertex_count, uint32_t lo, uint32_t hi, uint32_t base)
{
    mh_render_vertex_layout(vertex_count, lo, hi, base);
    if (g->skin_bytes) {
        glBindBuffer(GL_ARRAY_BUFFER, g->skin_vbo);
        skin_layout();
    }
}

/* Window w's VAO without the vertices' second stream or (second) with it:
 * the scene's vertex, index and skin buffers. */
static GLuint window_vao(gpu_scene *g, uint32_t vertex_count, int w, bool second)
{
    GLuint vao;
    glGenVertexArrays(1, &vao);
    glBindVertexArray(vao);
    glBindBuffer(GL_ARRAY_BUFFER, g->vbo);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, g->ibo);
    scene_layout(g, vertex_count, second ? g->second_lo : 0, second ? g->second_hi : 0,
                 (uint32_t)w * (MH_RENDER_WINDOW / 2));
    return vao;
}

/* The scene's VAOs: per window its indices use, one without the vertices'
 * second stream and, when a chunk reads it, one with it; the buffers (no
 * storage yet) are the same. */
static bool make_vaos(gpu_scene *g, uint32_t vertex_count)
{
    g->window_vaos = calloc((size_t)g->window_count, sizeof *g->window_vaos);
    if (!g->window_vaos)
        return false;
    glGenBuffers(1, &g->vbo);
    glGenBuffers(1, &g->ibo);
    if (g->skin_bytes)
        glGenBuffers(1, &g->skin_vbo);
    bool second = g->second_hi > g->second_lo;
    for (int w = 0; w < g->window_count; w++) {
        g->window_vaos[w][0] = window_vao(g, vertex_count, w, false);
        g->window_vaos[w][1] = second ? window_vao(g, vertex_count, w, true) : 0;
    }
    g->vao = g->window_vaos[0][0];
    glBindVertexArray(0);
    return true;
}

/* The scene's vertices as its unsegmented vertex buffer holds them. */
static mh_vertex_source scene_vertices(const gpu_scene *g, const mh_scene *sc)
{
    return (mh_vertex_source){.vertices = sc->mesh.vertices,
                              .own = sc->mesh.vertex_count,
                              .count = sc->mesh.vertex_count,
                              .lo = g->second_lo,
                              .hi = g->second_hi};
}

mh_gpu_scene mh_renderer_scene_create(mh_renderer *r, const mh_scene *sc, mh_error *err)
{
    mh_gpu_scene h = {mh_pool_alloc(&r->scene_pool)};
    gpu_scene *g = mh_render_scene_slot(r, h);
    if (!g) {
        mh_fail(err, "", "", "all %d scene slots are in use", MH_RENDER_SCENES);
        return (mh_gpu_scene){0};
    }
    *g = (gpu_scene){0};
    g->textures = calloc((size_t)sc->texture_count + 1, sizeof *g->textures);
    g->items = calloc((size_t)sc->chunk_count + 1, sizeof *g->items);
    g->morphs = calloc((size_t)sc->motion_count + 1, sizeof *g->morphs);
    g->item_cap = sc->chunk_count;
    int segmented = g->textures && g->items && g->morphs ? mh_render_segments_plan(g, sc) : -1;
    if (segmented < 0 || !upload_materials(r, g, sc) || !(segmented || split_unlit(g, sc))) {
        mh_renderer_scene_destroy(r, &h);
        mh_fail(err, "", "", "out of memory uploading a scene");
        return (mh_gpu_scene){0};
    }
    for (int i = 0; i < sc->chunk_count; i++)
        g->items[i].chunk = i;
    g->index_bytes = sizeof(uint32_t) * sc->mesh.index_count;
    g->skin_bytes = sc->mesh.skin ? sizeof(mh_skin_vertex) * sc->mesh.vertex_count : 0;
    if (segmented) /* each segment has its own buffers (mh_render_segment.c); its variants once planned */
        return h;
    bool morphs = false; /* skins and morph targets read gl_VertexID: only the first window */
    for (int i = 0; i < sc->motion_count; i++)
        morphs = morphs || sc->motions[i].target_count > 0;
    second_range(g, sc);
    /* the buffers' storage is made by their first slice (upload_slice) */
    if (!mh_render_index_pack(g, sc, !sc->mesh.skin && !morphs) || !make_vaos(g, sc->mesh.vertex_count)) {
        mh_renderer_scene_destroy(r, &h);
        mh_fail(err, "", "", "out of memory uploading a scene");
        return (mh_gpu_scene){0};
    }
    mh_vertex_source vs = scene_vertices(g, sc);
    g->vertex_bytes = mh_render_vertex_bytes(&vs);
    mh_log_info("gl",
                "%u vertices of %d bytes, %u of them with their tangent and uv1 (%d more): %.1f MB; "
                "%u indices in %.1f MB (%d windows)",
                sc->mesh.vertex_count, MH_RENDER_VERTEX_BYTES, g->second_hi - g->second_lo,
                MH_RENDER_VERTEX_SECOND_BYTES, (double)g->vertex_bytes / 1048576.0, sc->mesh.index_count,
                (double)g->index_bytes / 1048576.0, g->window_count);
    compile_variants(r, g, sc);
    return h;
}

/* Buffers from this size on log how long their storage took to make. */
#define BIG_BUFFER (4u << 20)

/* Copies up to *budget bytes of [done, total) of src into the bound buffer.
 * Its storage is made first (llvmpipe zeroes a new buffer: on a VM that
 * costs ~4 ms a megabyte of fresh memory); with a budget, making it is all
 * this call does (the budget is spent), so at most one buffer is made in a
 * budgeted call. */
void mh_render_buffer_storage(GLenum target, size_t bytes)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
    glBufferData(target, (GLsizeiptr)bytes, NULL, GL_STATIC_DRAW);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-6;
    if (bytes >= BIG_BUFFER)
        mh_log_info("gl", "a %.1f MB buffer's storage took %.1f ms of CPU", (double)bytes / 1048576.0, ms);
}

/* src's bytes, or (src NULL) vs's vertices packed. */
static void upload_slice(GLenum target, const void *src, const mh_vertex_source *vs, size_t total, size_t *done,
                         size_t *budget, bool *sized, int *allocations, bool whole)
{
    if (!*sized) {
        if (*budget == 0)
            return;
        mh_render_buffer_storage(target, total);
        *sized = true;
        ++*allocations;
        if (!whole) {
            *budget = 0;
            return;
        }
    }
    size_t n = total - *done;
    if (n > *budget)
        n = *budget;
    if (n == 0)
        return;
    if (src)
        glBufferSubData(target, (GLintptr)*done, (GLsizeiptr)n, (const uint8_t *)src + *done);
    else
        mh_render_vertex_upload(vs, *done, n);
    *done += n;
    *budget -= n;
}

/* Morph targets' deltas: RGBA32F, read with texelFetch (no filtering). */
static GLuint upload_morph(const mh_scene_motion *mo)
{
    GLuint id;
    glGenTextures(1, &id);
    glBindTexture(GL_TEXTURE_2D, id);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA32F, mo->morph_width, mo->morph_height, 0, GL_RGBA, GL_FLOAT,
                 mo->morph_deltas);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAX_LEVEL, 0);
    return id;
}

/* A segmented scene: its parts worked out a share a step, then its
 * variants compiled in a step of their own, then its buffers. */
static bool upload_segments(mh_renderer *r, gpu_scene *g, const mh_scene *sc, size_t *budget, bool whole)
{
    while (!g->compiled) {
        if (!mh_render_segments_planned(g)) {
            mh_render_segments_upload(g, sc, budget, whole);
            if (!whole)
                return false;
            continue;
        }
        if (!segment_unlit_counts(g, sc))
            mh_render_segments_drop(g);
        else
            compile_variants(r, g, sc);
        g->compiled = true;
        g->allocations++; /* a step of its own, like a buffer's storage */
        if (!whole)
            return false;
    }
    return mh_render_segments_upload(g, sc, budget, whole);
}

static void upload_indices(gpu_scene *g, size_t *budget, bool whole)
{
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, g->ibo);
    upload_slice(GL_ELEMENT_ARRAY_BUFFER, g->indices, NULL, g->index_bytes, &g->index_done, budget, &g->ibo_sized,
                 &g->allocations, whole);
    if (g->ibo_sized && g->index_done == g->index_bytes) {
        free(g->indices);
        g->indices = NULL;
    }
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, 0);
}

/* The scene's vertex (and skin) and index buffers, within *budget; true
 * when all are up. Whole, the index buffer goes first and the scene's own
 * copies are freed as soon as the driver has each: at most one buffer's
 * data on both sides at once (the start-up's peak: 145-146 MB against
 * 149-150 with the vertices and both index copies alive while the vertex
 * buffer was made). */
static bool upload_buffers(gpu_scene *g, mh_scene *sc, size_t *budget, bool whole)
{
    glBindVertexArray(0);
    if (whole) {
        upload_indices(g, budget, whole);
        mh_render_release_mesh(g, sc); /* the scene's indices */
    }
    glBindBuffer(GL_ARRAY_BUFFER, g->vbo);
    mh_vertex_source vs = scene_vertices(g, sc);
    upload_slice(GL_ARRAY_BUFFER, NULL, &vs, g->vertex_bytes, &g->vertex_done, budget, &g->vbo_sized, &g->allocations,
                 whole);
    if (g->skin_bytes) {
        glBindBuffer(GL_ARRAY_BUFFER, g->skin_vbo);
        upload_slice(GL_ARRAY_BUFFER, sc->mesh.skin, NULL, g->skin_bytes, &g->skin_done, budget, &g->skin_sized,
                     &g->allocations, whole);
    }
    if (whole)
        mh_render_release_mesh(g, sc); /* its vertices */
    else
        upload_indices(g, budget, whole);
    return g->vbo_sized && g->ibo_sized && (g->skin_sized || !g->skin_bytes) && g->vertex_done == g->vertex_bytes &&
           g->index_done == g->index_bytes && g->skin_done == g->skin_bytes;
}

bool mh_renderer_scene_upload(mh_renderer *r, mh_gpu_scene h, mh_scene *sc, size_t budget)
{
    gpu_scene *g = mh_render_scene_slot(r, h);
    if (!g || g->complete)
        return g != NULL;
    bool whole = budget == 0;
    if (whole)
        budget = SIZE_MAX;
    size_t before = budget;
    bool buffers = g->segs ? upload_segments(r, g, sc, &budget, whole) : upload_buffers(g, sc, &budget, whole);
    if (buffers && g->motion_count < sc->motion_count) { /* morph deltas, all at once (small) */
        memset(r->bound, 0, sizeof r->bound);
        for (int i = 0; i < sc->motion_count; i++) {
            mh_scene_motion *mo = &sc->motions[i];
            if (mo->morph_deltas) {
                g->morphs[i] = upload_morph(mo);
                free(mo->morph_deltas);
                mo->morph_deltas = NULL;
            }
        }
        g->motion_count = sc->motion_count;
    }
    /* textures: a budget streams them a few rows at a time (mh_render_stream.c);
     * without one they go whole */
    bool uploaded = budget != before;
    if (buffers && !whole)
        mh_render_textures_stream(r, g, sc, &budget, uploaded);
    while (buffers && g->textures_done < sc->texture_count && whole) {
        mh_scene_texture *t = &sc->textures[g->textures_done];
        size_t bytes = (size_t)t->width * (size_t)t->height * 4;
        if (bytes > budget && uploaded)
            break;
        memset(r->bound, 0, sizeof r->bound);
        g->textures[g->textures_done++] = t->rgba ? upload_texture(r, t) : 0;
        free(t->rgba); /* the driver has its copy: keep only one at a time */
        t->rgba = NULL;
        g->texture_count = g->textures_done;
        budget = bytes >= budget ? 0 : budget - bytes;
        uploaded = true;
    }
    g->complete = buffers && g->motion_count == sc->motion_count && g->textures_done == sc->texture_count;
    return g->complete;
}

void mh_renderer_scene_destroy(mh_renderer *r, mh_gpu_scene *h)
{
    gpu_scene *g = h ? mh_render_scene_slot(r, *h) : NULL;
    if (!g)
        return;
    if (g->texture_count)
        glDeleteTextures(g->texture_count, g->textures);
    for (int i = 0; i < g->motion_count; i++)
        if (g->morphs[i])
            glDeleteTextures(1, &g->morphs[i]);
    mh_render_stream_free(g);
    mh_render_segments_free(g);
    memset(r->bound, 0, sizeof r->bound); /* a deleted name may be reused */
    free(g->textures);
    free(g->morphs);
    free(g->items);
    free(g->material_keys);
    free(g->unlit_keys);
    free(g->unlit_counts);
    free(g->indices);
    free(g->material_base);
    glDeleteBuffers(1, &g->vbo);
    glDeleteBuffers(1, &g->ibo);
    glDeleteBuffers(1, &g->skin_vbo);
    glDeleteBuffers(1, &g->material_ubo);
    for (int w = 0; g->window_vaos && w < g->window_count; w++)
        glDeleteVertexArrays(2, g->window_vaos[w]);
    if (!g->window_vaos)
        glDeleteVertexArrays(1, &g->vao);
    free(g->window_vaos);
    free(g->range_at);
    free(g->range_window);
    free(g->range_span);
    *g = (gpu_scene){0};
    mh_pool_free(&r->scene_pool, h->id); /* a copy of this handle is stale from now on */
    h->id = 0;
}

uint32_t mh_renderer_texture_ahead(mh_renderer *r, const mh_scene_texture *t)
{
    memset(r->bound, 0, sizeof r->bound);
    return t->rgba ? upload_texture(r, t) : 0;
}

void mh_renderer_textures_drop(mh_renderer *r, const uint32_t *ahead, int count)
{
    memset(r->bound, 0, sizeof r->bound); /* a deleted name may be reused */
    for (int i = 0; i < count; i++)
        if (ahead[i])
            glDeleteTextures(1, &ahead[i]);
}

mh_gpu_scene mh_renderer_upload(mh_renderer *r, mh_scene *sc, mh_error *err)
{
    return mh_renderer_upload_ahead(r, sc, NULL, 0, err);
}

mh_gpu_scene mh_renderer_upload_ahead(mh_renderer *r, mh_scene *sc, const uint32_t *ahead, int count, mh_error *err)
{
    count = count < sc->texture_count ? count : sc->texture_count;
    mh_gpu_scene h = mh_renderer_scene_create(r, sc, err);
    gpu_scene *g = mh_render_scene_slot(r, h);
    if (!g) {
        mh_renderer_textures_drop(r, ahead, count);
        return h;
    }
    for (int i = 0; i < count; i++) { /* the scene's first textures are up already */
        g->textures[i] = ahead[i];
        free(sc->textures[i].rgba);
        sc->textures[i].rgba = NULL;
    }
    g->textures_done = g->texture_count = count;
    mh_renderer_scene_upload(r, h, sc, 0);
    GLenum e = glGetError();
    if (e != GL_NO_ERROR) {
        mh_renderer_scene_destroy(r, &h);
        mh_fail(err, "", "", "OpenGL error 0x%x while uploading a scene", e);
    }
    return h;
}
