/* mh_lightbake_trace.c - the light bake's ray-casting core: the scene's
 * opaque triangles (with what each gives off when it glows) in a bounding
 * volume hierarchy split at the median, the nearest hit of a ray, the
 * fixed sample patterns (a hash, stratified lobes about a normal) and the
 * rays over a patch of surface round a grid's vertex that the walls' and
 * the booths' bakes share. Deterministic: no rand(). */
#include <math.h>
#include <stdlib.h>

#include "mh_lightbake_internal.h"
#include "scene/mh_scene_internal.h"

/* a glowing surface's radiance over the colour it shows: light panels are
 * brighter than a screen can show (the reflection sees that), while the
 * diffuse light they spread is kept low so the stone stays dark */
#define GLOW_POWER 6.0f
#define LEAF_TRIS 4
#define WALL_AO_RANGE 1.5f /* metres: a grid's occlusion reaches less far than the floor's */
#define COVER_M 0.15f      /* a point with something this near in front of it is hidden */
#define INSIDE_M 1.0f      /* a ray from a point that meets a back face this near starts inside a solid */

typedef struct mh_lb_node {
    float lo[3], hi[3];
    int first, count; /* a leaf: tris [first, first + count); an inner node: count 0, children first, first + 1 */
} node;

/* ---- the scene's triangles ---------------------------------------------- */

static float srgb8_linear(uint8_t c) { return mh_srgb_to_linear((float)c / 255.0f); }

void mh_lb_texture_mean(const mh_scene_texture *t, float out[3])
{
    out[0] = out[1] = out[2] = 1;
    if (!t->rgba || t->width <= 0 || t->height <= 0)
        return;
    double sum[3] = {0, 0, 0};
    size_t n = (size_t)t->width * (size_t)t->height;
    for (size_t i = 0; i < n; i++)
        for (int c = 0; c < 3; c++)
            sum[c] += t->srgb ? srgb8_linear(t->rgba[i * 4 + (size_t)c]) : t->rgba[i * 4 + (size_t)c] / 255.0;
    for (int c = 0; c < 3; c++)
        out[c] = (float)(sum[c] / (double)n);
}

float mh_lb_glow_power(float g) { return g * (1 + (GLOW_POWER - 1) * g * g); }

bool mh_lb_add_tri(mh_lb_bvh *b, const float p[3][3], const float emit[3])
{
    if (!mh_scene_grow((void **)&b->tris, b->tri_count, &b->tri_cap, sizeof *b->tris, 4096))
        return false;
    mh_lb_tri *t = &b->tris[b->tri_count++];
    t->accent = 0;
    for (int c = 0; c < 3; c++) {
        t->v0[c] = p[0][c];
        t->e1[c] = p[1][c] - p[0][c];
        t->e2[c] = p[2][c] - p[0][c];
        t->emit[c] = emit[c];
    }
    return true;
}

bool mh_lb_collect(mh_lb_bvh *b, const mh_scene *sc)
{
    float(*means)[3] = malloc(sizeof *means * (size_t)(sc->texture_count + 1));
    if (!means)
        return false;
    for (int i = 0; i < sc->texture_count; i++)
        mh_lb_texture_mean(&sc->textures[i], means[i]);
    bool ok = true;
    for (int c = 0; ok && c < sc->chunk_count; c++) {
        const mh_scene_chunk *ch = &sc->chunks[c];
        const mh_material *m = &sc->materials[ch->material];
        if (m->alpha_mode == MH_ALPHA_BLEND || ch->group == MH_SCENE_GROUP_PROXY)
            continue; /* contact shadows, glass; far proxies */
        int tex = m->slots[MH_TEX_BASE].texture;
        const float *tm = tex >= 0 ? means[tex] : (const float[3]){1, 1, 1};
        mh_mat4 xf = ch->motion >= 0 ? sc->motions[ch->motion].world : mh_m4_identity();
        for (uint32_t i = ch->first_index; ok && i + 2 < ch->first_index + ch->index_count; i += 3) {
            const mh_vertex *v[3];
            float p[3][3], emit[3];
            for (int k = 0; k < 3; k++) {
                v[k] = &sc->mesh.vertices[sc->mesh.indices[i + (uint32_t)k]];
                mh_vec3 w = mh_m4_mul_point(xf, mh_v3(v[k]->pos[0], v[k]->pos[1], v[k]->pos[2]));
                p[k][0] = w.x;
                p[k][1] = w.y;
                p[k][2] = w.z;
            }
            float power = mh_lb_glow_power((float)v[0]->params[0] / 255.0f);
            for (int k = 0; k < 3; k++) {
                float base = srgb8_linear(v[0]->color[k]) * tm[k];
                emit[k] = power * (base + (m->vertex_emissive ? 0 : m->emissive[k])); /* per vertex: baked light */
            }
            ok = mh_lb_add_tri(b, p, emit);
        }
    }
    free(means);
    return ok;
}

/* ---- the hierarchy ------------------------------------------------------ */

static int sort_axis;
static const mh_lb_bvh *sort_bvh;

static int by_centre(const void *a, const void *b)
{
    float ca = sort_bvh->centre[*(const int *)a * 3 + sort_axis],
          cb = sort_bvh->centre[*(const int *)b * 3 + sort_axis];
    return ca < cb ? -1 : ca > cb;
}

static void node_bounds(mh_lb_bvh *b, node *n, const int *order)
{
    for (int c = 0; c < 3; c++) {
        n->lo[c] = INFINITY;
        n->hi[c] = -INFINITY;
    }
    for (int i = n->first; i < n->first + n->count; i++) {
        const mh_lb_tri *t = &b->tris[order[i]];
        for (int c = 0; c < 3; c++) {
            float a = t->v0[c], p1 = a + t->e1[c], p2 = a + t->e2[c];
            n->lo[c] = fminf(n->lo[c], fminf(a, fminf(p1, p2)));
            n->hi[c] = fmaxf(n->hi[c], fmaxf(a, fmaxf(p1, p2)));
        }
    }
}

/* Splits node ni at the median of its triangles' centres on its longest axis. */
static void split(mh_lb_bvh *b, int ni, int *order)
{
    node *n = &b->nodes[ni];
    node_bounds(b, n, order);
    if (n->count <= LEAF_TRIS)
        return;
    float ext[3] = {n->hi[0] - n->lo[0], n->hi[1] - n->lo[1], n->hi[2] - n->lo[2]};
    sort_axis = ext[0] > ext[1] ? (ext[0] > ext[2] ? 0 : 2) : (ext[1] > ext[2] ? 1 : 2);
    sort_bvh = b;
    qsort(order + n->first, (size_t)n->count, sizeof *order, by_centre);
    int first = n->first, half = n->count / 2, count = n->count, child = b->node_count;
    b->node_count += 2;
    b->nodes[child] = (node){.first = first, .count = half};
    b->nodes[child + 1] = (node){.first = first + half, .count = count - half};
    n->first = child;
    n->count = 0;
    split(b, child, order);
    split(b, child + 1, order);
}

bool mh_lb_build(mh_lb_bvh *b)
{
    int *order = malloc(sizeof *order * (size_t)(b->tri_count + 1));
    b->centre = malloc(sizeof(float) * 3 * (size_t)(b->tri_count + 1));
    b->nodes = malloc(sizeof *b->nodes * (size_t)(2 * b->tri_count + 1));
    if (!order || !b->centre || !b->nodes) {
        free(order);
        return false;
    }
    for (int i = 0; i < b->tri_count; i++) {
        order[i] = i;
        for (int c = 0; c < 3; c++)
            b->centre[i * 3 + c] = b->tris[i].v0[c] + (b->tris[i].e1[c] + b->tris[i].e2[c]) / 3.0f;
    }
    b->nodes[0] = (node){.first = 0, .count = b->tri_count};
    b->node_count = 1;
    split(b, 0, order);
    mh_lb_tri *sorted = malloc(sizeof *sorted * (size_t)(b->tri_count + 1)); /* leaves index the triangles in order */
    if (!sorted) {
        free(order);
        return false;
    }
    for (int i = 0; i < b->tri_count; i++)
        sorted[i] = b->tris[order[i]];
    free(b->tris);
    b->tris = sorted;
    free(order);
    return true;
}

void mh_lb_free(mh_lb_bvh *b)
{
    free(b->tris);
    free(b->nodes);
    free(b->centre);
}

/* ---- tracing ------------------------------------------------------------ */

static bool box_hit(const node *n, const float o[3], const float inv[3], float tmax)
{
    float t0 = 0, t1 = tmax;
    for (int c = 0; c < 3; c++) {
        float a = (n->lo[c] - o[c]) * inv[c], b = (n->hi[c] - o[c]) * inv[c];
        t0 = fmaxf(t0, fminf(a, b));
        t1 = fminf(t1, fmaxf(a, b));
    }
    return t0 <= t1;
}

/* Moeller-Trumbore, both faces; the distance or tmax. */
static float tri_hit(const mh_lb_tri *t, const float o[3], const float d[3], float tmax)
{
    float p[3] = {d[1] * t->e2[2] - d[2] * t->e2[1], d[2] * t->e2[0] - d[0] * t->e2[2],
                  d[0] * t->e2[1] - d[1] * t->e2[0]};
    float det = t->e1[0] * p[0] + t->e1[1] * p[1] + t->e1[2] * p[2];
    if (fabsf(det) < 1e-12f)
        return tmax;
    float inv = 1.0f / det, s[3] = {o[0] - t->v0[0], o[1] - t->v0[1], o[2] - t->v0[2]};
    float u = (s[0] * p[0] + s[1] * p[1] + s[2] * p[2]) * inv;
    if (u < 0 || u > 1)
        return tmax;
    float q[3] = {s[1] * t->e1[2] - s[2] * t->e1[1], s[2] * t->e1[0] - s[0] * t->e1[2],
                  s[0] * t->e1[1] - s[1] * t->e1[0]};
    float v = (d[0] * q[0] + d[1] * q[1] + d[2] * q[2]) * inv;
    if (v < 0 || u + v > 1)
        return tmax;
    float dist = (t->e2[0] * q[0] + t->e2[1] * q[1] + t->e2[2] * q[2]) * inv;
    return dist > 1e-4f && dist < tmax ? dist : tmax;
}

int mh_lb_trace(const mh_lb_bvh *b, const float o[3], const float d[3], float *dist)
{
    float inv[3], tmax = INFINITY;
    for (int c = 0; c < 3; c++)
        inv[c] = 1.0f / (fabsf(d[c]) > 1e-12f ? d[c] : 1e-12f);
    int stack[128], top = 0, hit = -1;
    stack[top++] = 0;
    while (top) {
        const node *n = &b->nodes[stack[--top]];
        if (!box_hit(n, o, inv, tmax))
            continue;
        if (n->count == 0) {
            if (top + 2 <= 128) {
                stack[top++] = n->first;
                stack[top++] = n->first + 1;
            }
            continue;
        }
        for (int i = n->first; i < n->first + n->count; i++) {
            float t = tri_hit(&b->tris[i], o, d, tmax);
            if (t < tmax) {
                tmax = t;
                hit = i;
            }
        }
    }
    *dist = tmax;
    return hit;
}

/* ---- sample patterns ---------------------------------------------------- */

float mh_lb_hash01(uint32_t x, uint32_t y, uint32_t seed)
{
    uint32_t h = x * 374761393u + y * 668265263u + seed * 2246822519u;
    h = (h ^ (h >> 13)) * 1274126177u;
    return (float)((h ^ (h >> 16)) & 0xFFFF) / 65536.0f;
}

void mh_lb_lobe_dir(int k, int n, float e, float r1, float r2, float d[3])
{
    float u1 = ((float)k + r1) / (float)n, u2 = fmodf((float)k * 0.618034f + r2, 1.0f);
    float ct = e <= 1 ? sqrtf(1 - u1) : powf(u1, 1.0f / (e + 1)), st = sqrtf(fmaxf(0, 1 - ct * ct));
    float phi = 2 * MH_PI * u2;
    d[0] = st * cosf(phi);
    d[1] = ct;
    d[2] = st * sinf(phi);
}

/* ---- a patch's rays ----------------------------------------------------- */

/* Something lies against the wall in front of the point o (a screen's
 * frame): o is not seen. */
static bool covered(const mh_lb_bvh *b, const float o[3], mh_vec3 n)
{
    float d[3] = {n.x, n.y, n.z}, dist;
    return mh_lb_trace(b, o, d, &dist) >= 0 && dist < COVER_M;
}

/* The ray d meets triangle t from behind (t's winding: counter-clockwise
 * seen from outside). */
static bool backface(const mh_lb_tri *t, const float d[3])
{
    float n[3] = {t->e1[1] * t->e2[2] - t->e1[2] * t->e2[1], t->e1[2] * t->e2[0] - t->e1[0] * t->e2[2],
                  t->e1[0] * t->e2[1] - t->e1[1] * t->e2[0]};
    return n[0] * d[0] + n[1] * d[1] + n[2] * d[2] > 0;
}

mh_lb_gathered mh_lb_gather(const mh_lb_bvh *b, const mh_lb_patch *pt, int i, int j, uint32_t seed)
{
    mh_vec3 u = pt->u, n = pt->n, t2 = pt->t2;
    float r1 = mh_lb_hash01((uint32_t)i, (uint32_t)j, seed), r2 = mh_lb_hash01((uint32_t)i, (uint32_t)j, seed + 1);
    float r3 = mh_lb_hash01((uint32_t)i, (uint32_t)j, seed + 2), r4 = mh_lb_hash01((uint32_t)i, (uint32_t)j, seed + 3);
    mh_lb_gathered g = {0};
    for (int k = 0; k < MH_LB_GRID_RAYS; k++) {
        /* the origin: a point of the patch (R2 sequence, scrambled by the
           ray's index so it does not follow the direction's stratum) */
        int q = (int)(((uint32_t)k * 2654435761u) % MH_LB_GRID_RAYS);
        float a = fmodf((float)q * 0.7548777f + r3, 1.0f) - 0.5f, c = fmodf((float)q * 0.5698403f + r4, 1.0f);
        mh_vec3 at = mh_v3_add(pt->p, mh_v3_add(mh_v3_scale(u, a * pt->col), mh_v3_scale(n, 0.02f)));
        at.y += -pt->below + c * (pt->below + pt->above);
        float o[3] = {mh_clampf(at.x, pt->lo[0], pt->hi[0]), mh_clampf(at.y, pt->lo[1], pt->hi[1]),
                      mh_clampf(at.z, pt->lo[2], pt->hi[2])};
        float d[3], dist;
        mh_lb_lobe_dir(k, MH_LB_GRID_RAYS, 1, r1, r2, d);
        float w[3] = {u.x * d[0] + n.x * d[1] + t2.x * d[2], u.y * d[0] + n.y * d[1] + t2.y * d[2],
                      u.z * d[0] + n.z * d[1] + t2.z * d[2]};
        if (covered(b, o, n))
            continue;
        int hit = mh_lb_trace(b, o, w, &dist);
        if (hit >= 0 && dist < INSIDE_M && backface(&b->tris[hit], w))
            continue; /* the origin is inside something (a glowing frame through the wall) */
        g.valid++;
        if (hit < 0)
            continue;
        if (dist < WALL_AO_RANGE)
            g.occl += (1 - dist / WALL_AO_RANGE) * (1 - dist / WALL_AO_RANGE);
        for (int ch = 0; ch < 3; ch++)
            g.glow[ch] += b->tris[hit].emit[ch];
        g.accent += b->tris[hit].accent;
    }
    return g;
}
