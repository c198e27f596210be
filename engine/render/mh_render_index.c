/* mh_render_index.c - a scene's index buffer in 16 bits where a range's
 * vertices allow (issue 23). OpenGL ES 3.0 has no base vertex, so a 16-bit
 * index names a vertex counted from its VAO's first one: the scene has a VAO
 * per window of MH_RENDER_WINDOW vertices, one every MH_RENDER_WINDOW / 2
 * (so any range spanning no more than half a window fits one), whose
 * attributes start at the window's first vertex. The chunks' ranges that
 * overlap (a block's proxy spans its tiles' proxies) share their indices, so
 * they are packed together: a cluster of overlapping ranges whose vertices
 * fit a window goes 16-bit for that window, another stays 32-bit on the first
 * VAO. Scenes with skins or morph targets keep to the first window (their
 * shaders read gl_VertexID, which is the index as stored). The default hall
 * (186,773 vertices, 923,442 indices) fits windows throughout. */
#include <stdlib.h>
#include <string.h>

#include "mh_renderer_internal.h"

typedef struct range_ref {
    uint32_t first, count;
    size_t id; /* chunk * RANGES_PER_CHUNK + level */
} range_ref;

typedef struct cluster {
    uint32_t first, end; /* indices [first, end) */
    uint32_t low, high;  /* the vertices they use */
    int window;          /* -1: 32-bit indices */
    size_t at;           /* byte offset in the packed buffer */
} cluster;

static int by_first(const void *pa, const void *pb)
{
    const range_ref *a = pa, *b = pb;
    return (a->first > b->first) - (a->first < b->first);
}

/* The chunks' non-empty ranges, sorted by their first index. */
static range_ref *sorted_ranges(const mh_scene *sc, size_t *n)
{
    range_ref *refs = malloc(sizeof *refs * ((size_t)sc->chunk_count * RANGES_PER_CHUNK + 1));
    *n = 0;
    for (int i = 0; refs && i < sc->chunk_count; i++)
        for (int l = 0; l < RANGES_PER_CHUNK; l++) {
            const mh_scene_chunk *c = &sc->chunks[i];
            uint32_t count = l ? c->lod_count[l - 1] : c->index_count;
            if (count)
                refs[(*n)++] = (range_ref){l ? c->lod_first[l - 1] : c->first_index, count,
                                           (size_t)i * RANGES_PER_CHUNK + (size_t)l};
        }
    if (refs)
        qsort(refs, *n, sizeof *refs, by_first);
    return refs;
}

/* The window a cluster's vertices fit (the first when it can: fewer VAOs
 * to switch), or -1. */
static int cluster_window(const cluster *c, bool windows)
{
    int w = windows && c->high >= MH_RENDER_WINDOW ? (int)(c->low / (MH_RENDER_WINDOW / 2)) : 0;
    uint32_t base = (uint32_t)w * (MH_RENDER_WINDOW / 2);
    return c->high - base < MH_RENDER_WINDOW ? w : -1;
}

/* Rewrites the cluster's indices at byte `out` of buf (never past where
 * they are now: each is read before its bytes are written). */
static size_t pack_cluster(uint8_t *buf, const cluster *c, size_t out)
{
    size_t count = c->end - c->first;
    if (c->window < 0) {
        memmove(buf + out, buf + (size_t)c->first * 4, count * 4);
        return count * 4;
    }
    uint32_t base = (uint32_t)c->window * (MH_RENDER_WINDOW / 2);
    for (size_t j = 0; j < count; j++) {
        uint32_t v;
        memcpy(&v, buf + ((size_t)c->first + j) * 4, 4);
        uint16_t s = (uint16_t)(v - base);
        memcpy(buf + out + j * 2, &s, 2);
    }
    return count * 2;
}

bool mh_render_index_pack(gpu_scene *g, const mh_scene *sc, bool windows)
{
    size_t n, ranges = (size_t)sc->chunk_count * RANGES_PER_CHUNK;
    range_ref *refs = sorted_ranges(sc, &n);
    cluster *cl = malloc(sizeof *cl * (n + 1));
    size_t *of = malloc(sizeof *of * (n + 1)); /* refs[k]'s cluster */
    g->range_at = calloc(ranges + 1, sizeof *g->range_at);
    g->range_window = calloc(ranges + 1, sizeof *g->range_window);
    g->range_span = calloc(ranges + 1, sizeof *g->range_span);
    if (!refs || !cl || !of || !g->range_at || !g->range_window || !g->range_span) {
        free(refs);
        free(cl);
        free(of);
        return false;
    }
    size_t clusters = 0;
    for (size_t k = 0; k < n; k++) {
        uint32_t end = refs[k].first + refs[k].count;
        if (clusters && refs[k].first < cl[clusters - 1].end) {
            cl[clusters - 1].end = end > cl[clusters - 1].end ? end : cl[clusters - 1].end;
        } else {
            cl[clusters++] = (cluster){.first = refs[k].first, .end = end, .low = UINT32_MAX};
        }
        of[k] = clusters - 1;
    }
    const uint32_t *idx = g->indices;
    size_t out = 0;
    g->window_count = 1;
    for (size_t c = 0; c < clusters; c++) {
        for (uint32_t k = cl[c].first; k < cl[c].end; k++) {
            cl[c].low = idx[k] < cl[c].low ? idx[k] : cl[c].low;
            cl[c].high = idx[k] > cl[c].high ? idx[k] : cl[c].high;
        }
        cl[c].window = cluster_window(&cl[c], windows);
        g->window_count = cl[c].window + 1 > g->window_count ? cl[c].window + 1 : g->window_count;
        cl[c].at = out;
        out += pack_cluster((uint8_t *)g->indices, &cl[c], out);
        out = (out + 3) & ~(size_t)3; /* a 32-bit cluster after it stays aligned */
    }
    for (size_t k = 0; k < n; k++) {
        const cluster *c = &cl[of[k]];
        g->range_at[refs[k].id] = c->at + (size_t)(refs[k].first - c->first) * (c->window < 0 ? 4 : 2);
        g->range_window[refs[k].id] = (int16_t)c->window;
        uint32_t base = c->window < 0 ? 0 : (uint32_t)c->window * (MH_RENDER_WINDOW / 2);
        g->range_span[refs[k].id][0] = c->low - base;
        g->range_span[refs[k].id][1] = c->high - base;
    }
    g->index_bytes = out;
    free(refs);
    free(cl);
    free(of);
    return true;
}

gpu_range_draw mh_render_range(const gpu_scene *g, size_t range)
{
    int w = g->range_window[range];
    const GLuint *vaos = g->window_vaos[w < 0 ? 0 : w];
    return (gpu_range_draw){.vao = vaos[0],
                            .second_vao = vaos[1],
                            .type = w < 0 ? GL_UNSIGNED_INT : GL_UNSIGNED_SHORT,
                            .at = g->range_at[range],
                            .low = g->range_span[range][0],
                            .high = g->range_span[range][1]};
}
