/* mh_render_vertex.c - the GPU's vertex: mh_vertex packed as it goes up
 * (issue 23). The scene keeps its float vertices (the export, the light
 * bake, the collisions read them) until the buffer has them; a buffer holds
 * two streams, one after the other:
 *  - every vertex, 32 bytes: the position (3 floats), the normal as
 *    GL_INT_2_10_10_10_REV normalised (an axis is exact), the uv (2 floats:
 *    tiles repeat per metre, too far for half floats), colour and params;
 *  - only the vertices [lo, hi), 16 bytes: the tangent (snorm16 x4; its xyz
 *    is also the floor's baked light per vertex) and the uv1 (2 floats).
 * The second stream is read only by variants with a normal map, the baked
 * light per vertex or a texture on the second set (MH_RENDER_VERTEX_SECOND);
 * a scene's VAO for the others leaves it out (the attributes read their
 * constants: the tangent 1, 1, 1, 1, so the baked-light variant gives a plain
 * surface its own emissive, mh_render_shared_key; uv1 0, 0). A VAO may start at a later vertex (`base`: a window
 * of 16-bit indices, mh_render_index.c). The default hall's 186,773
 * vertices took 10.0 MB at 56 bytes, then 5.7; now 191,381 take 6.0, the
 * 11,552 of the baked light's grids with the second stream (the scene lays
 * those grids together: the stream spans one run of vertices). */
#include <math.h>
#include <string.h>

#include "mh_renderer_internal.h"

typedef struct gpu_vertex {
    float pos[3];
    uint32_t normal; /* GL_INT_2_10_10_10_REV: x, y, z snorm10, w 0 */
    float uv[2];
    uint8_t color[4];
    uint8_t params[4];
} gpu_vertex;

typedef struct gpu_vertex_second {
    int16_t tangent[4];
    float uv1[2];
} gpu_vertex_second;

_Static_assert(sizeof(gpu_vertex) == MH_RENDER_VERTEX_BYTES, "the first stream's vertex");
_Static_assert(sizeof(gpu_vertex_second) == MH_RENDER_VERTEX_SECOND_BYTES, "the second stream's vertex");

static uint32_t snorm10(float x)
{
    x = x > 1.0f ? 1.0f : x < -1.0f ? -1.0f : x;
    return (uint32_t)(int32_t)lrintf(x * 511.0f) & 0x3ffu;
}

static uint32_t pack_normal(const float n[3]) { return snorm10(n[0]) | snorm10(n[1]) << 10 | snorm10(n[2]) << 20; }

size_t mh_render_vertex_bytes(const mh_vertex_source *s)
{
    return (size_t)s->count * MH_RENDER_VERTEX_BYTES + (size_t)(s->hi - s->lo) * MH_RENDER_VERTEX_SECOND_BYTES;
}

static const mh_vertex *source_vertex(const mh_vertex_source *s, uint32_t j)
{
    return &s->vertices[j < s->own ? s->first + j : s->extra[j - s->own]];
}

/* Packs the whole element (a vertex of either stream) that byte `at` falls
 * in; returns its bytes and sets *start to where it begins. */
static size_t pack_element(const mh_vertex_source *s, size_t at, uint8_t out[MH_RENDER_VERTEX_BYTES], size_t *start)
{
    size_t first_bytes = (size_t)s->count * MH_RENDER_VERTEX_BYTES;
    if (at < first_bytes) {
        uint32_t j = (uint32_t)(at / MH_RENDER_VERTEX_BYTES);
        const mh_vertex *v = source_vertex(s, j);
        gpu_vertex g;
        memcpy(g.pos, v->pos, sizeof g.pos);
        g.normal = pack_normal(v->normal);
        memcpy(g.uv, v->uv, sizeof g.uv);
        memcpy(g.color, v->color, sizeof g.color);
        memcpy(g.params, v->params, sizeof g.params);
        memcpy(out, &g, sizeof g);
        *start = (size_t)j * MH_RENDER_VERTEX_BYTES;
        return sizeof g;
    }
    uint32_t j = (uint32_t)((at - first_bytes) / MH_RENDER_VERTEX_SECOND_BYTES);
    const mh_vertex *v = source_vertex(s, s->lo + j);
    gpu_vertex_second e;
    memcpy(e.tangent, v->tangent, sizeof e.tangent);
    memcpy(e.uv1, v->uv1, sizeof e.uv1);
    memcpy(out, &e, sizeof e);
    *start = first_bytes + (size_t)j * MH_RENDER_VERTEX_SECOND_BYTES;
    return sizeof e;
}

void mh_render_vertex_pack(const mh_vertex_source *s, size_t at, uint8_t *out, size_t n)
{
    while (n > 0) {
        uint8_t element[MH_RENDER_VERTEX_BYTES];
        size_t start, size = pack_element(s, at, element, &start);
        size_t from = at - start, take = size - from < n ? size - from : n;
        memcpy(out, element + from, take);
        out += take;
        at += take;
        n -= take;
    }
}

void mh_render_vertex_upload(const mh_vertex_source *s, size_t at, size_t n)
{
    uint8_t staging[16384];
    while (n > 0) {
        size_t take = n < sizeof staging ? n : sizeof staging;
        mh_render_vertex_pack(s, at, staging, take);
        glBufferSubData(GL_ARRAY_BUFFER, (GLintptr)at, (GLsizeiptr)take, staging);
        at += take;
        n -= take;
    }
}

void mh_render_vertex_layout(uint32_t count, uint32_t lo, uint32_t hi, uint32_t base)
{
    GLsizei stride = MH_RENDER_VERTEX_BYTES;
    size_t first = (size_t)base * MH_RENDER_VERTEX_BYTES;
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 3, GL_FLOAT, GL_FALSE, stride, (void *)(first + offsetof(gpu_vertex, pos)));
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 4, GL_INT_2_10_10_10_REV, GL_TRUE, stride, (void *)(first + offsetof(gpu_vertex, normal)));
    glEnableVertexAttribArray(2);
    glVertexAttribPointer(2, 2, GL_FLOAT, GL_FALSE, stride, (void *)(first + offsetof(gpu_vertex, uv)));
    glEnableVertexAttribArray(3);
    glVertexAttribPointer(3, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, (void *)(first + offsetof(gpu_vertex, color)));
    glEnableVertexAttribArray(4);
    glVertexAttribPointer(4, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, (void *)(first + offsetof(gpu_vertex, params)));
    if (hi <= lo) {
        glDisableVertexAttribArray(5);
        glDisableVertexAttribArray(6);
        return;
    }
    /* vertex lo's second part sits right after the first stream: vertex base + i's at second + i * 16 */
    size_t second = (size_t)count * MH_RENDER_VERTEX_BYTES - (size_t)lo * MH_RENDER_VERTEX_SECOND_BYTES +
                    (size_t)base * MH_RENDER_VERTEX_SECOND_BYTES;
    stride = MH_RENDER_VERTEX_SECOND_BYTES;
    glEnableVertexAttribArray(5);
    glVertexAttribPointer(5, 4, GL_SHORT, GL_TRUE, stride, (void *)(second + offsetof(gpu_vertex_second, tangent)));
    glEnableVertexAttribArray(6);
    glVertexAttribPointer(6, 2, GL_FLOAT, GL_FALSE, stride, (void *)(second + offsetof(gpu_vertex_second, uv1)));
}
