/* mh_render_upload.c - scenes onto the GPU: one vertex and one index
 * buffer per scene, uploaded whole or a budget of bytes per frame; sRGB
 * textures with mip levels made on the CPU; the pool of scene handles. */
#include <stdint.h>
#include <stdlib.h>

#include "mh_renderer_internal.h"

/* sRGB byte <-> linear, for averaging texels where light adds up */
static float srgb_table[256];

static uint8_t linear_table[4097];

static uint8_t to_srgb8(float linear)
{
    return linear_table[(int)(linear * 4096.0f + 0.5f)];
}

/* The next mip level of src (w x h) into dst: 2x2 averages in linear
 * light (alpha plainly); odd edges repeat their last texel. */
static void downsample(const uint8_t *src, int w, int h, uint8_t *dst, int dw, int dh)
{
    for (int y = 0; y < dh; y++) {
        const uint8_t *r0 = src + (size_t)(2 * y < h ? 2 * y : h - 1) * (size_t)w * 4;
        const uint8_t *r1 = src + (size_t)(2 * y + 1 < h ? 2 * y + 1 : h - 1) * (size_t)w * 4;
        for (int x = 0; x < dw; x++) {
            int x0 = (2 * x < w ? 2 * x : w - 1) * 4, x1 = (2 * x + 1 < w ? 2 * x + 1 : w - 1) * 4;
            uint8_t *o = dst + ((size_t)y * (size_t)dw + (size_t)x) * 4;
            for (int c = 0; c < 3; c++)
                o[c] = to_srgb8(0.25f * (srgb_table[r0[x0 + c]] + srgb_table[r0[x1 + c]] + srgb_table[r1[x0 + c]] +
                                         srgb_table[r1[x1 + c]]));
            o[3] = (uint8_t)((r0[x0 + 3] + r0[x1 + 3] + r1[x0 + 3] + r1[x1 + 3] + 2) / 4);
        }
    }
}

/* Uploads every mip level, made here rather than by glGenerateMipmap: on
 * llvmpipe that runs a JIT-compiled blit per level and format, which cost
 * most of the start-up (360 of 620 ms) and its memory. */
static void upload_levels(const mh_scene_texture *t)
{
    if (srgb_table[255] == 0.0f) {
        for (int i = 0; i < 256; i++)
            srgb_table[i] = mh_srgb_to_linear((float)i / 255.0f);
        for (int i = 0; i <= 4096; i++)
            linear_table[i] = (uint8_t)(mh_linear_to_srgb((float)i / 4096.0f) * 255.0f + 0.5f);
    }
    int w = t->width, h = t->height;
    glTexImage2D(GL_TEXTURE_2D, 0, GL_SRGB8_ALPHA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, t->rgba);
    uint8_t *level = malloc((size_t)((w + 1) / 2) * (size_t)((h + 1) / 2) * 4 + 4), *prev = t->rgba;
    uint8_t *spare = malloc((size_t)((w + 1) / 2) * (size_t)((h + 1) / 2) * 4 + 4);
    if (!level || !spare) {   /* out of memory: let the driver make them */
        free(level);
        free(spare);
        glGenerateMipmap(GL_TEXTURE_2D);
        return;
    }
    for (int l = 1; w > 1 || h > 1; l++) {
        int dw = w > 1 ? w / 2 : 1, dh = h > 1 ? h / 2 : 1;
        downsample(prev, w, h, level, dw, dh);
        glTexImage2D(GL_TEXTURE_2D, l, GL_SRGB8_ALPHA8, dw, dh, 0, GL_RGBA, GL_UNSIGNED_BYTE, level);
        prev = level;
        level = spare;
        spare = prev;
        w = dw;
        h = dh;
    }
    free(level);
    free(spare);
}

static GLuint upload_texture(const mh_renderer *r, const mh_scene_texture *t)
{
    GLuint id;
    glGenTextures(1, &id);
    glBindTexture(GL_TEXTURE_2D, id);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    upload_levels(t);
    GLint wrap = t->repeat ? GL_REPEAT : GL_CLAMP_TO_EDGE;
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, wrap);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, wrap);
    /* a CPU rasteriser samples one mip level (half the texel reads of
       trilinear; the floor's benchmark frame went from 21.6 to X ms) */
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, r->software ? GL_LINEAR_MIPMAP_NEAREST : GL_LINEAR_MIPMAP_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    if (r->max_aniso > 1 && !r->software)
        glTexParameterf(GL_TEXTURE_2D, GL_TEXTURE_MAX_ANISOTROPY_EXT, r->max_aniso < 4 ? r->max_aniso : 4);
    return id;
}

gpu_scene *mh_render_scene_slot(mh_renderer *r, mh_gpu_scene h)
{
    int slot = mh_pool_slot(&r->scene_pool, h.id);
    return slot >= 0 ? &r->scenes[slot] : NULL;
}

/* The vertex layout of mh_vertex for the bound VAO and buffer. */
void mh_render_vertex_layout(void)
{
    GLsizei stride = sizeof(mh_vertex);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 3, GL_FLOAT, GL_FALSE, stride, (void *)offsetof(mh_vertex, pos));
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 3, GL_FLOAT, GL_FALSE, stride, (void *)offsetof(mh_vertex, normal));
    glEnableVertexAttribArray(2);
    glVertexAttribPointer(2, 2, GL_FLOAT, GL_FALSE, stride, (void *)offsetof(mh_vertex, uv));
    glEnableVertexAttribArray(3);
    glVertexAttribPointer(3, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, (void *)offsetof(mh_vertex, color));
    glEnableVertexAttribArray(4);
    glVertexAttribPointer(4, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, (void *)offsetof(mh_vertex, params));
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
    if (!g->textures || !g->items) {
        mh_renderer_scene_destroy(r, &h);
        mh_fail(err, "", "", "out of memory uploading a scene");
        return (mh_gpu_scene){0};
    }
    g->item_cap = sc->chunk_count;
    for (int i = 0; i < sc->chunk_count; i++)
        g->items[i].chunk = i;
    g->vertex_bytes = sizeof(mh_vertex) * sc->mesh.vertex_count;
    g->index_bytes = sizeof(uint32_t) * sc->mesh.index_count;
    glGenVertexArrays(1, &g->vao);
    glBindVertexArray(g->vao);
    glGenBuffers(1, &g->vbo);
    glBindBuffer(GL_ARRAY_BUFFER, g->vbo);
    glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)g->vertex_bytes, NULL, GL_STATIC_DRAW);
    glGenBuffers(1, &g->ibo);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, g->ibo);
    glBufferData(GL_ELEMENT_ARRAY_BUFFER, (GLsizeiptr)g->index_bytes, NULL, GL_STATIC_DRAW);
    mh_render_vertex_layout();
    glBindVertexArray(0);
    return h;
}

/* Copies up to *budget bytes of [done, total) of src into the bound buffer. */
static void upload_slice(GLenum target, const void *src, size_t total, size_t *done, size_t *budget)
{
    size_t n = total - *done;
    if (n > *budget)
        n = *budget;
    if (n == 0)
        return;
    glBufferSubData(target, (GLintptr)*done, (GLsizeiptr)n, (const uint8_t *)src + *done);
    *done += n;
    *budget -= n;
}

bool mh_renderer_scene_upload(mh_renderer *r, mh_gpu_scene h, mh_scene *sc, size_t budget)
{
    gpu_scene *g = mh_render_scene_slot(r, h);
    if (!g || g->complete)
        return g != NULL;
    if (budget == 0)
        budget = SIZE_MAX;
    size_t before = budget;
    glBindVertexArray(0);
    glBindBuffer(GL_ARRAY_BUFFER, g->vbo);
    upload_slice(GL_ARRAY_BUFFER, sc->mesh.vertices, g->vertex_bytes, &g->vertex_done, &budget);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, g->ibo);
    upload_slice(GL_ELEMENT_ARRAY_BUFFER, sc->mesh.indices, g->index_bytes, &g->index_done, &budget);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, 0);
    /* textures go whole: as many as fit the budget, at least one per call
     * that uploaded nothing else */
    bool uploaded = budget != before;
    while (g->vertex_done == g->vertex_bytes && g->index_done == g->index_bytes &&
           g->textures_done < sc->texture_count) {
        mh_scene_texture *t = &sc->textures[g->textures_done];
        size_t bytes = (size_t)t->width * (size_t)t->height * 4;
        if (bytes > budget && uploaded)
            break;
        g->textures[g->textures_done++] = upload_texture(r, t);
        free(t->rgba);   /* the driver has its copy: keep only one at a time */
        t->rgba = NULL;
        g->texture_count = g->textures_done;
        budget = bytes >= budget ? 0 : budget - bytes;
        uploaded = true;
    }
    g->complete = g->vertex_done == g->vertex_bytes && g->index_done == g->index_bytes &&
                  g->textures_done == sc->texture_count;
    return g->complete;
}

void mh_renderer_scene_destroy(mh_renderer *r, mh_gpu_scene *h)
{
    gpu_scene *g = h ? mh_render_scene_slot(r, *h) : NULL;
    if (!g)
        return;
    if (g->texture_count)
        glDeleteTextures(g->texture_count, g->textures);
    free(g->textures);
    free(g->items);
    glDeleteBuffers(1, &g->vbo);
    glDeleteBuffers(1, &g->ibo);
    glDeleteVertexArrays(1, &g->vao);
    *g = (gpu_scene){0};
    mh_pool_free(&r->scene_pool, h->id);   /* a copy of this handle is stale from now on */
    h->id = 0;
}

mh_gpu_scene mh_renderer_upload(mh_renderer *r, mh_scene *sc, mh_error *err)
{
    mh_gpu_scene h = mh_renderer_scene_create(r, sc, err);
    if (!h.id)
        return h;
    mh_renderer_scene_upload(r, h, sc, 0);
    GLenum e = glGetError();
    if (e != GL_NO_ERROR) {
        mh_renderer_scene_destroy(r, &h);
        mh_fail(err, "", "", "OpenGL error 0x%x while uploading a scene", e);
    }
    return h;
}

