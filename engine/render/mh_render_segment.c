/* mh_render_segment.c - a big scene's vertices and indices in segments
 * (issue 23). llvmpipe zeroes a buffer's storage in the one call that makes
 * it (~4 ms a MB of fresh memory on this VM), so one 26 MB vertex buffer
 * cost the frame that made it 112-142 ms. A scene with more than
 * MH_RENDER_SEGMENT_MIN bytes of vertices (and no skin or morph targets:
 * those read the scene's own vertex numbers) is cut into segments of at most
 * MH_RENDER_SEGMENT_BYTES of vertices, each with its own vertex buffer,
 * index buffer and VAO, whose storage the gradual upload makes one buffer a
 * frame. Each range a chunk draws (its own, its levels of detail) is cut
 * into parts, one per segment its triangles fall in: a triangle belongs to
 * the segment of its lowest vertex (a range whose vertices span no more
 * than a segment's worth goes whole to its lowest's, so that small chunks
 * stay one draw each), its indices are that segment's own numbers, and a vertex beyond the segment that one of its triangles uses
 * is copied after the segment's own (an extra). Within a part, the unlit
 * triangles come first, as in an unsegmented scene's ranges. A small scene
 * (the default hall) stays one buffer: its draws are as before. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/mh_log.h"
#include "mh_renderer_internal.h"

/* Where a scene vertex beyond a segment sits in it: (segment, vertex) ->
 * its number in the segment, open addressing (keys stored plus one). */
typedef struct extra_map {
    uint64_t *keys;
    uint32_t *vals;
    size_t cap, n;
} extra_map;

static bool map_grow(extra_map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 1024;
    uint64_t *keys = calloc(cap, sizeof *keys);
    uint32_t *vals = malloc(cap * sizeof *vals);
    if (!keys || !vals) {
        free(keys);
        free(vals);
        return false;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t at = (size_t)((m->keys[i] * 0x9E3779B97F4A7C15ull) >> 20) & (cap - 1);
        while (keys[at])
            at = (at + 1) & (cap - 1);
        keys[at] = m->keys[i];
        vals[at] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    *m = (extra_map){.keys = keys, .vals = vals, .cap = cap, .n = m->n};
    return true;
}

static bool extra_add(gpu_segment *s, uint32_t v)
{
    if (s->extra_count == s->extra_cap) {
        uint32_t cap = s->extra_cap ? s->extra_cap * 2 : 256;
        uint32_t *e = realloc(s->extra, sizeof *e * cap);
        if (!e)
            return false;
        s->extra = e;
        s->extra_cap = cap;
    }
    s->extra[s->extra_count++] = v;
    return true;
}

/* Vertex v's number in segment seg (an extra is added when new); false
 * when out of memory. */
static bool local_index(extra_map *m, gpu_segment *segs, int seg, uint32_t v, uint32_t *out)
{
    gpu_segment *s = &segs[seg];
    if (v - s->first_vertex < s->vertex_count) {
        *out = v - s->first_vertex;
        return true;
    }
    if ((m->n + 1) * 2 > m->cap && !map_grow(m))
        return false;
    uint64_t key = ((uint64_t)seg << 32 | v) + 1;
    size_t at = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 20) & (m->cap - 1);
    while (m->keys[at] && m->keys[at] != key)
        at = (at + 1) & (m->cap - 1);
    if (!m->keys[at]) {
        if (!extra_add(s, v))
            return false;
        m->keys[at] = key;
        m->vals[at] = s->vertex_count + s->extra_count - 1;
        m->n++;
    }
    *out = m->vals[at];
    return true;
}

static uint32_t range_first(const mh_scene_chunk *c, int l) { return l ? c->lod_first[l - 1] : c->first_index; }

static uint32_t range_count(const mh_scene_chunk *c, int l)
{
    uint32_t n = l ? c->lod_count[l - 1] : c->index_count;
    return n - n % 3;
}

/* The segment holding scene vertex v. */
static int segment_of(const gpu_scene *g, uint32_t v)
{
    int lo = 0, hi = g->seg_count - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (g->segs[mid].first_vertex <= v)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

static int triangle_segment(const gpu_scene *g, const uint32_t *t)
{
    uint32_t lo = t[0] < t[1] ? t[0] : t[1];
    return segment_of(g, lo < t[2] ? lo : t[2]);
}

/* The planning under way: it walks the ranges three times, a budget of
 * triangles a step (so no one frame does it all: 1.1 million triangles took
 * ~12 ms): first the vertices each range spans (the cuts between segments
 * go where no small range crosses them), then counting each range's
 * triangles per segment (its parts, and where they go in the segments'
 * indices), then writing them there. */
struct mh_render_plan {
    int pass;           /* 0 spans, 1 counting, 2 writing, 3 done */
    uint32_t *span;     /* per range: its lowest and highest vertex (2 x ranges; low > high: empty) */
    int seg_cap;        /* segments the cuts may make at most */
    uint32_t per;       /* vertices a segment holds at most */
    size_t range;       /* the range under way (chunk * RANGES_PER_CHUNK + level) */
    uint32_t tri;       /* its next triangle's first index */
    bool begun;         /* the range's per-segment state is set up */
    uint32_t low, high; /* pass 0: the range's lowest and highest vertex so far */
    uint32_t *tris;     /* pass 0: per segment, the range's triangles and unlit ones (2 x seg_count) */
    uint32_t *cursor;   /* pass 1: per segment, where its next unlit and lit triangles go (2 x seg_count) */
    extra_map map;
    size_t part_cap;
};

/* The range's lowest and highest vertex, from plan->tri, up to *quota
 * triangles. */
static void span_range(mh_render_plan *pl, const mh_scene *sc, uint32_t end, size_t *quota)
{
    size_t left = *quota;
    for (; pl->tri < end && left > 0; pl->tri += 3, left--)
        for (int k = 0; k < 3; k++) {
            uint32_t v = sc->mesh.indices[pl->tri + (uint32_t)k];
            pl->low = v < pl->low ? v : pl->low;
            pl->high = v > pl->high ? v : pl->high;
        }
    *quota = left;
}

/* A range spanning less than a segment's worth of vertices goes whole into
 * the segment of its lowest (-1: each triangle into its lowest vertex's). */
static int range_whole(const gpu_scene *g, size_t range)
{
    const uint32_t *sp = &g->plan->span[2 * range];
    return sp[0] <= sp[1] && sp[1] - sp[0] < g->plan->per ? segment_of(g, sp[0]) : -1;
}

/* Each range's triangles from plan->tri, up to *quota of them. */
static void count_range(gpu_scene *g, const mh_scene *sc, uint32_t end, int whole, size_t *quota)
{
    mh_render_plan *pl = g->plan;
    size_t left = *quota;
    for (; pl->tri < end && left > 0; pl->tri += 3, left--) {
        const uint32_t *t = &sc->mesh.indices[pl->tri];
        int s = whole >= 0 ? whole : triangle_segment(g, t);
        pl->tris[2 * s]++;
        pl->tris[2 * s + 1] += mh_mesh_triangle_unlit(&sc->mesh, pl->tri);
    }
    *quota = left;
}

/* The range's parts, from its counts: false when out of memory. */
static bool close_count(gpu_scene *g)
{
    mh_render_plan *pl = g->plan;
    for (int s = 0; s < g->seg_count; s++) {
        uint32_t n = pl->tris[2 * s];
        if (!n)
            continue;
        size_t at = g->part_at[pl->range + 1]++;
        if (at == pl->part_cap) {
            gpu_part *p = realloc(g->parts, sizeof *p * (pl->part_cap * 2));
            if (!p)
                return false;
            g->parts = p;
            pl->part_cap *= 2;
        }
        g->parts[at] =
            (gpu_part){.seg = s, .first = g->segs[s].index_count, .count = n * 3, .unlit = pl->tris[2 * s + 1] * 3};
        g->segs[s].index_count += n * 3;
    }
    return true;
}

/* The range's triangles from plan->tri into their parts (whole: all into
 * that segment, else each into its lowest vertex's). */
static bool write_range(gpu_scene *g, const mh_scene *sc, uint32_t end, int whole, size_t *quota)
{
    mh_render_plan *pl = g->plan;
    bool ok = true;
    size_t left = *quota;
    for (; pl->tri < end && left > 0 && ok; pl->tri += 3, left--) {
        const uint32_t *tri = &sc->mesh.indices[pl->tri];
        int s = whole >= 0 ? whole : triangle_segment(g, tri);
        uint32_t *at = &pl->cursor[2 * s + (mh_mesh_triangle_unlit(&sc->mesh, pl->tri) ? 0 : 1)];
        for (int k = 0; k < 3 && ok; k++)
            ok = local_index(&pl->map, g->segs, s, tri[k], &g->segs[s].indices[(*at)++]);
    }
    *quota = left;
    return ok;
}

/* Between the passes: each segment's index buffer, exactly its size. */
static bool begin_writing(gpu_scene *g)
{
    for (int s = 0; s < g->seg_count; s++)
        if (!(g->segs[s].indices = malloc(sizeof(uint32_t) * ((size_t)g->segs[s].index_count + 1))))
            return false;
    g->plan->pass = 2;
    g->plan->range = 0;
    g->plan->begun = false;
    return true;
}

/* Each segment's VAO: its vertex and index buffers (storage made later). */
/* The bound buffer's storage (bytes) unless made: true when that was this
 * call's share of the frame (stop here); whole: all at once, no stop. */
static bool make_storage(gpu_scene *g, GLenum target, size_t bytes, bool *sized, bool whole, size_t *budget)
{
    if (*sized)
        return false;
    mh_render_buffer_storage(target, bytes);
    *sized = true;
    g->allocations++;
    if (whole)
        return false;
    *budget = 0; /* making storage is this call's share */
    return true;
}

static void make_vaos(gpu_scene *g)
{
    for (int s = 0; s < g->seg_count; s++)
        mh_render_make_vao(&g->segs[s].vao, &g->segs[s].vbo, &g->segs[s].ibo);
    glBindVertexArray(0);
}

static int by_low(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Between spans and counting: the cuts, each at most a segment's worth of
 * vertices after the one before, moved down to the start of a small range
 * that would cross it; then the segments' VAOs. */
static bool make_cuts(gpu_scene *g, const mh_scene *sc)
{
    mh_render_plan *pl = g->plan;
    size_t ranges = (size_t)sc->chunk_count * RANGES_PER_CHUNK, n = 0;
    uint32_t *small = malloc(sizeof *small * 2 * (ranges + 1)), per = pl->per, count = sc->mesh.vertex_count;
    if (!small)
        return false;
    for (size_t r = 0; r < ranges; r++)
        if (pl->span[2 * r] <= pl->span[2 * r + 1] && pl->span[2 * r + 1] - pl->span[2 * r] < per) {
            small[2 * n] = pl->span[2 * r];
            small[2 * n++ + 1] = pl->span[2 * r + 1];
        }
    qsort(small, n, sizeof(uint32_t) * 2, by_low);
    size_t k = 0;
    for (uint32_t start = 0; start < count; g->seg_count++) {
        uint32_t cut = count - start > per ? start + per : count;
        for (size_t i = k; i < n && small[2 * i] < cut && g->seg_count + 2 < pl->seg_cap; i++)
            if (small[2 * i + 1] >= cut && small[2 * i] > start) {
                cut = small[2 * i]; /* the first such has the lowest start */
                break;
            }
        g->segs[g->seg_count] = (gpu_segment){.first_vertex = start, .vertex_count = cut - start};
        start = cut;
        while (k < n && small[2 * k] < start)
            k++;
    }
    free(small);
    make_vaos(g);
    pl->pass = 1;
    pl->range = 0;
    pl->begun = false;
    return true;
}

/* Up to *budget bytes' worth of triangles (12 bytes each) of the planning;
 * -1 when out of memory. */
static int plan_step(gpu_scene *g, const mh_scene *sc, size_t *budget)
{
    mh_render_plan *pl = g->plan;
    size_t ranges = (size_t)sc->chunk_count * RANGES_PER_CHUNK, quota = *budget / 12 + 1;
    while (pl->pass < 3 && quota > 0) {
        if (pl->range == ranges) {
            if (pl->pass == 2)
                pl->pass = 3;
            else if (!(pl->pass == 0 ? make_cuts(g, sc) : begin_writing(g)))
                return -1;
            continue;
        }
        const mh_scene_chunk *c = &sc->chunks[pl->range / RANGES_PER_CHUNK];
        int l = (int)(pl->range % RANGES_PER_CHUNK);
        uint32_t end = range_first(c, l) + range_count(c, l);
        if (!pl->begun) {
            pl->tri = range_first(c, l);
            pl->begun = true;
            pl->low = UINT32_MAX;
            pl->high = 0;
            if (pl->pass == 1) {
                memset(pl->tris, 0, sizeof *pl->tris * 2 * (size_t)g->seg_count);
                g->part_at[pl->range + 1] = g->part_at[pl->range];
            }
            for (uint32_t p = g->part_at[pl->range]; pl->pass == 2 && p < g->part_at[pl->range + 1]; p++) {
                const gpu_part *pt = &g->parts[p];
                pl->cursor[2 * pt->seg] = pt->first;
                pl->cursor[2 * pt->seg + 1] = pt->first + pt->unlit;
            }
        }
        int whole = pl->pass ? range_whole(g, pl->range) : -1;
        if (pl->pass == 0)
            span_range(pl, sc, end, &quota);
        else if (pl->pass == 1)
            count_range(g, sc, end, whole, &quota);
        else if (!write_range(g, sc, end, whole, &quota))
            return -1;
        if (pl->tri < end)
            break;
        if (pl->pass == 0) {
            pl->span[2 * pl->range] = pl->low;
            pl->span[2 * pl->range + 1] = pl->high;
        }
        if (pl->pass == 1 && !close_count(g))
            return -1;
        pl->range++;
        pl->begun = false;
    }
    size_t spent = (*budget / 12 + 1 - quota) * 12;
    *budget = spent >= *budget ? 0 : *budget - spent;
    return 1;
}

static void plan_free(gpu_scene *g)
{
    if (!g->plan)
        return;
    free(g->plan->tris);
    free(g->plan->span);
    free(g->plan->cursor);
    free(g->plan->map.keys);
    free(g->plan->map.vals);
    free(g->plan);
    g->plan = NULL;
}

int mh_render_segments_plan(gpu_scene *g, const mh_scene *sc)
{
    size_t vertex_bytes = sizeof(mh_vertex) * sc->mesh.vertex_count;
    bool morphs = false;
    for (int i = 0; i < sc->motion_count; i++)
        morphs = morphs || sc->motions[i].target_count > 0;
    if (vertex_bytes <= MH_RENDER_SEGMENT_MIN || sc->mesh.skin || morphs)
        return 0;
    uint32_t per = (uint32_t)(MH_RENDER_SEGMENT_BYTES / sizeof(mh_vertex));
    size_t ranges = (size_t)sc->chunk_count * RANGES_PER_CHUNK;
    /* a cut moved down ends a segment early, but the next then reaches at least a segment's worth past it */
    int cap = 2 * (int)((sc->mesh.vertex_count + per - 1) / per) + 2;
    g->segs = calloc((size_t)cap, sizeof *g->segs);
    g->plan = calloc(1, sizeof *g->plan);
    g->part_at = calloc(ranges + 1, sizeof *g->part_at);
    g->parts = malloc(sizeof *g->parts * (ranges + 16));
    if (!g->segs || !g->plan || !g->part_at || !g->parts ||
        !(g->plan->tris = calloc(2 * (size_t)cap, sizeof(uint32_t))) ||
        !(g->plan->cursor = calloc(2 * (size_t)cap, sizeof(uint32_t))) ||
        !(g->plan->span = malloc(sizeof(uint32_t) * 2 * (ranges + 1))))
        return -1;
    g->plan->part_cap = ranges + 16;
    g->plan->seg_cap = cap;
    g->plan->per = per;
    return 1;
}

bool mh_render_segments_planned(const gpu_scene *g) { return g->segs && !g->plan; }

/* Segment s's vertices as its buffer holds them: its own from the scene's,
 * then its extras; every one with the second stream (mh_render_vertex.c). */
static mh_vertex_source segment_source(const gpu_segment *s, const mh_scene *sc)
{
    uint32_t count = s->vertex_count + s->extra_count;
    return (mh_vertex_source){.vertices = sc->mesh.vertices,
                              .first = s->first_vertex,
                              .own = s->vertex_count,
                              .extra = s->extra,
                              .count = count,
                              .lo = 0,
                              .hi = count};
}

/* Up to *budget bytes of segment s's vertices, packed. */
static void segment_vertices(gpu_segment *s, const mh_scene *sc, size_t *budget)
{
    mh_vertex_source vs = segment_source(s, sc);
    size_t total = mh_render_vertex_bytes(&vs), n = total - s->vertex_done < *budget ? total - s->vertex_done : *budget;
    mh_render_vertex_upload(&vs, s->vertex_done, n);
    s->vertex_done += n;
    *budget -= n;
}

static size_t segment_vertex_bytes(const gpu_segment *s)
{
    return (size_t)(s->vertex_count + s->extra_count) * (MH_RENDER_VERTEX_BYTES + MH_RENDER_VERTEX_SECOND_BYTES);
}

/* Segments of no more than 65,536 vertices (own and extras) get 16-bit
 * indices, packed in place (each read before its bytes are written). */
static void short_indices(gpu_scene *g)
{
    for (int k = 0; k < g->seg_count; k++) {
        gpu_segment *s = &g->segs[k];
        s->index_size = s->vertex_count + s->extra_count <= MH_RENDER_WINDOW ? 2 : 4;
        for (uint32_t j = 0; s->index_size == 2 && j < s->index_count; j++) {
            uint16_t v = (uint16_t)s->indices[j];
            memcpy((uint8_t *)s->indices + 2 * (size_t)j, &v, 2);
        }
    }
}

gpu_range_draw mh_render_segment_draw(const gpu_scene *g, const gpu_part *pt)
{
    const gpu_segment *s = &g->segs[pt->seg];
    return (gpu_range_draw){.vao = s->vao,
                            .second_vao = s->vao,
                            .type = s->index_size == 2 ? GL_UNSIGNED_SHORT : GL_UNSIGNED_INT,
                            .at = (size_t)pt->first * s->index_size,
                            .high = s->vertex_count + s->extra_count - 1}; /* its own and the copied ones */
}

bool mh_render_segments_upload(gpu_scene *g, const mh_scene *sc, size_t *budget, bool whole)
{
    if (g->plan) {
        if (plan_step(g, sc, budget) < 0) {
            mh_render_segments_drop(g);
            return true;
        }
        if (g->plan->pass < 3)
            return false;
        uint32_t extras = 0;
        for (int s = 0; s < g->seg_count; s++)
            extras += g->segs[s].extra_count;
        mh_log_info("gl",
                    "a scene of %.1f MB of vertices goes up in %d segments (%u vertices copied where "
                    "triangles cross a cut, %u parts)",
                    (double)sc->mesh.vertex_count * sizeof(mh_vertex) / 1048576.0, g->seg_count, extras,
                    g->part_at[sc->chunk_count * RANGES_PER_CHUNK]);
        plan_free(g);
        short_indices(g);
        g->allocations++; /* a step of its own; the variants are compiled next (mh_renderer_scene_upload) */
        return false;
    }
    glBindVertexArray(0);
    while ((g->seg_done < g->seg_count) && (*budget > 0)) {
        gpu_segment *s = &g->segs[g->seg_done];
        size_t vbytes = segment_vertex_bytes(s);
        size_t ibytes = (size_t)s->index_size * s->index_count;
        glBindBuffer(GL_ARRAY_BUFFER, s->vbo);
        if (!s->vbo_sized) { /* its layout, now that its extras are known */
            glBindVertexArray(s->vao);
            mh_render_vertex_layout(s->vertex_count + s->extra_count, 0, s->vertex_count + s->extra_count, 0);
            glBindVertexArray(0);
        }
        if (make_storage(g, GL_ARRAY_BUFFER, vbytes, &s->vbo_sized, whole, budget))
            break;
        segment_vertices(s, sc, budget);
        if (s->vertex_done < vbytes || *budget == 0)
            break;
        glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, s->ibo);
        if (make_storage(g, GL_ELEMENT_ARRAY_BUFFER, ibytes, &s->ibo_sized, whole, budget))
            break;
        size_t n = ibytes - s->index_done < *budget ? ibytes - s->index_done : *budget;
        if (n)
            glBufferSubData(GL_ELEMENT_ARRAY_BUFFER, (GLintptr)s->index_done, (GLsizeiptr)n,
                            (const uint8_t *)s->indices + s->index_done);
        s->index_done += n;
        *budget -= n;
        if (s->index_done < ibytes)
            break;
        free(s->indices);
        s->indices = NULL;
        g->seg_done++;
    }
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, 0);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    return g->seg_done == g->seg_count;
}

bool mh_render_segments_storage_next(const gpu_scene *g)
{
    if (g->seg_done >= g->seg_count)
        return false;
    const gpu_segment *s = &g->segs[g->seg_done];
    return !s->vbo_sized || (s->vertex_done == segment_vertex_bytes(s) && !s->ibo_sized);
}

void mh_render_segments_drop(gpu_scene *g)
{
    mh_log_error("gl", "out of memory cutting a scene into segments: it is not drawn");
    plan_free(g);
    memset(g->part_at, 0, sizeof *g->part_at * ((size_t)g->item_cap * RANGES_PER_CHUNK + 1));
    for (int s = 0; s < g->seg_count; s++) {
        free(g->segs[s].indices);
        g->segs[s].indices = NULL;
    }
    g->seg_done = g->seg_count;
}

void mh_render_segments_free(gpu_scene *g)
{
    plan_free(g);
    for (int s = 0; s < g->seg_count; s++) {
        gpu_segment *sg = &g->segs[s];
        glDeleteBuffers(1, &sg->vbo);
        glDeleteBuffers(1, &sg->ibo);
        glDeleteVertexArrays(1, &sg->vao);
        free(sg->extra);
        free(sg->indices);
    }
    free(g->segs);
    free(g->parts);
    free(g->part_at);
    g->segs = NULL;
    g->parts = NULL;
    g->part_at = NULL;
    g->seg_count = g->seg_done = 0;
}
