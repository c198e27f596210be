/* mh_render_stream.c - textures onto the GPU a few rows a frame, so a
 * heavy exhibit's 2048x2048 textures and their mip levels never stall one
 * frame (issue 23): the storage of every level is made at once
 * (glTexStorage2D), level 0 goes up from the scene's pixels a budget of rows
 * at a time, and each further level is averaged from the one above only as
 * its rows are due, then uploaded. The scene's pixels are freed as soon as
 * level 1 is made from them; each level's texels once the next is made. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/mh_log.h"
#include "mh_renderer_internal.h"

/* A row of level >= 1 reads four texels above for each it writes: counted
 * as five of its bytes against the budget. */
#define MIP_ROW_COST 5

static int level_count(int w, int h)
{
    int n = 1;
    for (int m = w > h ? w : h; m > 1; m /= 2)
        n++;
    return n;
}

/* The texture's storage, and the stream at its level 0. */
static void stream_begin(mh_renderer *r, mh_tex_stream *s, const mh_scene_texture *t)
{
    *s = (mh_tex_stream){.levels = level_count(t->width, t->height), .w = t->width, .h = t->height};
    memset(r->bound, 0, sizeof r->bound);
    glGenTextures(1, &s->id);
    glBindTexture(GL_TEXTURE_2D, s->id);
    struct timespec t0, t1;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
    glTexStorage2D(GL_TEXTURE_2D, s->levels, mh_render_texture_format(t), t->width, t->height);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-6;
    if ((size_t)t->width * (size_t)t->height * (size_t)mh_render_texel_bytes(t) >= (4u << 20))
        mh_log_info("gl", "a %dx%d texture's storage took %.1f ms of CPU", t->width, t->height, ms);
}

/* On to the next level: the one just uploaded becomes the one above. */
static bool next_level(mh_tex_stream *s, mh_scene_texture *t)
{
    if (s->level >= 1) {
        if (s->above != t->rgba)
            free(s->above);
        else {
            free(t->rgba); /* level 1 is made: the driver has level 0 */
            t->rgba = NULL;
        }
        s->above = s->texels;
    } else {
        s->above = t->rgba;
    }
    s->above_w = s->w;
    s->above_h = s->h;
    s->level++;
    s->row = 0;
    s->w = s->w > 1 ? s->w / 2 : 1;
    s->h = s->h > 1 ? s->h / 2 : 1;
    s->texels = s->level < s->levels ? malloc((size_t)s->w * (size_t)s->h * (size_t)mh_render_texel_bytes(t)) : NULL;
    return s->level >= s->levels || s->texels;
}

/* Up to *budget bytes of rows of the current level (at least one when must). */
static void stream_rows(mh_tex_stream *s, const mh_scene_texture *t, size_t *budget, bool must)
{
    size_t n_bytes = (size_t)mh_render_texel_bytes(t);
    size_t row_bytes = (size_t)s->w * n_bytes * (s->level ? MIP_ROW_COST : 1);
    long n = (long)(*budget / row_bytes);
    if (n < 1 && must)
        n = 1;
    if (n > s->h - s->row)
        n = s->h - s->row;
    if (n <= 0)
        return;
    const uint8_t *src = s->level ? s->texels : t->rgba;
    if (s->level)
        mh_render_downsample(s->above, s->above_w, s->above_h, s->texels, s->w, s->row, s->row + (int)n, t->srgb,
                             (int)n_bytes);
    src += (size_t)s->row * (size_t)s->w * n_bytes;
    glTexSubImage2D(GL_TEXTURE_2D, s->level, 0, s->row, s->w, (GLsizei)n, n_bytes == 1 ? GL_RED : GL_RGBA,
                    GL_UNSIGNED_BYTE, src);
    s->row += (int)n;
    size_t spent = row_bytes * (size_t)n;
    *budget = spent >= *budget ? 0 : *budget - spent;
}

void mh_render_textures_stream(mh_renderer *r, gpu_scene *g, mh_scene *sc, size_t *budget, bool uploaded)
{
    mh_tex_stream *s = &g->stream;
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    while (g->textures_done < sc->texture_count && (*budget > 0 || !uploaded)) {
        mh_scene_texture *t = &sc->textures[g->textures_done];
        if (!t->rgba && !s->id) { /* nothing to upload (a failed image) */
            g->textures[g->textures_done++] = 0;
            g->texture_count = g->textures_done;
            continue;
        }
        /* a texture's storage is a step of its own, first in its frame, like
         * a buffer's: llvmpipe zeroes it in that call (16 MB for a 2048x2048
         * texture's level 0; on fresh pages ~4 ms a MB, NOTES.md) */
        g->texture_storage_next = !s->id && uploaded;
        if (g->texture_storage_next)
            break;
        if (!s->id) {
            stream_begin(r, s, t);
            g->allocations++;
            break;
        }
        glBindTexture(GL_TEXTURE_2D, s->id);
        memset(r->bound, 0, sizeof r->bound);
        int row = s->row;
        stream_rows(s, t, budget, !uploaded);
        if (s->row == row && s->row < s->h)
            break; /* less budget left than a row costs */
        uploaded = true;
        if (s->row < s->h)
            continue;            /* the budget ran out within this level */
        if (!next_level(s, t)) { /* out of memory: the driver makes the rest */
            glGenerateMipmap(GL_TEXTURE_2D);
            s->level = s->levels;
        }
        if (s->level < s->levels)
            continue;
        mh_render_texture_params(r, t);
        free(s->above != t->rgba ? s->above : NULL);
        free(t->rgba);
        t->rgba = NULL;
        g->textures[g->textures_done++] = s->id;
        g->texture_count = g->textures_done;
        *s = (mh_tex_stream){0};
    }
}

void mh_render_stream_free(gpu_scene *g)
{
    mh_tex_stream *s = &g->stream;
    if (s->id)
        glDeleteTextures(1, &s->id);
    if (s->level >= 2)
        free(s->above); /* level 1's above is the scene's own pixels */
    free(s->texels);
    *s = (mh_tex_stream){0};
}

/* ---- a time budget ------------------------------------------------------ */

/* Each step of mh_renderer_scene_upload_for: small enough that one step
 * never takes long (a quarter of a megabyte, 32 rows of 2048 texels). */
#define STEP_BYTES (256u * 1024u)

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The scene's own vertices and indices once the GPU has its copies (the
 * indices are copied at creation, unlit triangles first, or into a big
 * scene's segments). */
void mh_render_release_mesh(const gpu_scene *g, mh_scene *sc)
{
    bool vertices = g->segs ? mh_render_segments_planned(g) && g->seg_done == g->seg_count
                            : g->vbo_sized && g->vertex_done == g->vertex_bytes;
    if (vertices && sc->mesh.vertices) {
        free(sc->mesh.vertices);
        sc->mesh.vertices = NULL;
    }
    if ((mh_render_segments_planned(g) || g->indices || (g->ibo_sized && g->index_done == g->index_bytes)) &&
        sc->mesh.indices) {
        free(sc->mesh.indices);
        sc->mesh.indices = NULL;
    }
}

/* Whether the next step makes a buffer's storage (vertices, skin, indices
 * in that order) or a texture's: it then waits for a frame of its own. */
static bool storage_next(const gpu_scene *g)
{
    if (g->texture_storage_next)
        return true;
    if (g->segs)
        return mh_render_segments_storage_next(g);
    bool vertices = g->vbo_sized && g->vertex_done == g->vertex_bytes;
    bool skin = !g->skin_bytes || (g->skin_sized && g->skin_done == g->skin_bytes);
    return !g->vbo_sized || (vertices && g->skin_bytes && !g->skin_sized) || (vertices && skin && !g->ibo_sized);
}

bool mh_renderer_scene_upload_for(mh_renderer *r, mh_gpu_scene h, mh_scene *sc, size_t budget, double seconds)
{
    const gpu_scene *g = mh_render_scene_slot(r, h);
    if (!g)
        return false;
    double end = seconds_now() + seconds;
    size_t spent = 0;
    bool done;
    do {
        int allocations = g->allocations;
        done = mh_renderer_scene_upload(r, h, sc, STEP_BYTES);
        mh_render_release_mesh(g, sc);
        spent += STEP_BYTES;
        if (g->allocations != allocations)
            break; /* a buffer's storage was made: that is this frame's share */
    } while (!done && spent < budget && seconds_now() < end && !storage_next(g));
    return done;
}
