/* mh_lightbake.c - the hall's baked light, ray-cast on the CPU at asset
 * build time: the hall is built with the engine's own scene code (so the
 * bake sees exactly what the kiosk draws), its static triangles go into a
 * bounding volume hierarchy, and every texel of the floor's lightmap casts
 *   - cosine-weighted hemisphere rays: ambient occlusion from what stands
 *     within AO_RANGE (booth bases, walls, the stage) and the diffuse light
 *     of the glowing surfaces they reach (one bounce off the floor);
 *   - rays in a narrow lobe about the normal: a blurred reflection of the
 *     glowing surfaces above (ceiling panels, light boxes, the LED wall) in
 *     the polished stone, view-independent (what a CPU rasteriser can
 *     afford: the floor pays one texture fetch).
 * The walls' sides that face the hall (mh_bake_wall_faces) get the same
 * occlusion and diffuse glow at each vertex of their grids, each averaged
 * over the patch of wall round the vertex (soft, no point samples), into a
 * small atlas, one texel a vertex.
 * Each booth template's back wall (mh_bake_booth_wall) is baked once, in
 * the booth's own frame: one booth of it alone on an open floor, the same
 * occlusion and glow at each vertex of its front face's grid, the glow of
 * its fixed-colour parts and of its accent parts kept apart (the runtime
 * tints the latter by each booth's accent), written into light.json.
 * Deterministic (fixed sample patterns, no rand()), so a rebake of the same
 * hall gives the same file. */
#include "mh_lightbake.h"

#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "asset/mh_png.h"
#include "core/mh_fs.h"
#include "scene/mh_scene.h"
#include "scene/mh_scene_internal.h"

#define AO_RAYS 48
#define AO_RANGE 2.5f     /* metres: what stands nearer darkens the floor */
#define AO_STRENGTH 0.85f /* of the occlusion found (the runtime's ambient is soft already) */
#define GLOSS_RAYS 24
#define GLOSS_EXPONENT 90.0f /* the reflection lobe: cos^n about the normal */
#define GLOSS_K 0.08f        /* how much a polished floor reflects, averaged over viewing angles */
/* a glowing surface's radiance over the colour it shows: light panels are
 * brighter than a screen can show (the reflection sees that), while the
 * diffuse light they spread is kept low so the stone stays dark */
#define GLOW_POWER 6.0f
#define DIFFUSE_K 0.15f
#define LEAF_TRIS 4
/* the walls: more rays a vertex (few vertices, no blur after), a shorter
 * reach for the occlusion (the band along the floor, the corners, what
 * stands against the wall), the glow at its physical strength (albedo times
 * the mean radiance seen) less what the hall's image-based light already
 * gives them */
#define WALL_RAYS 256
#define WALL_AO_RANGE 1.5f
#define WALL_AO_STRENGTH 0.9f
#define WALL_DIFFUSE_K 2.0f
/* a booth's back wall: its own glowing strips stand a few centimetres off
 * its ends and over it, so at the walls' strength their spill washes the
 * whole wall in the accent colour; at this it is a soft tint near them */
#define BOOTH_DIFFUSE_K 0.6f
#define COVER_M 0.15f /* a point with something this near in front of it is hidden */
#define INSIDE_M 1.0f /* a ray from a point that meets a back face this near starts inside a solid */

typedef struct tri {
    float v0[3], e1[3], e2[3];
    float emit[3]; /* linear radiance it gives off (0: not glowing) */
    float accent;  /* a booth template's: radiance per unit of the booth's accent colour */
} tri;

typedef struct node {
    float lo[3], hi[3];
    int first, count; /* a leaf: tris [first, first + count); an inner node: count 0, children first, first + 1 */
} node;

typedef struct bvh {
    tri *tris;
    int tri_count, tri_cap;
    node *nodes;
    int node_count;
    float *centre; /* per triangle, for the build */
} bvh;

/* ---- the scene's triangles ---------------------------------------------- */

static float srgb8_linear(uint8_t c) { return mh_srgb_to_linear((float)c / 255.0f); }

/* The mean linear colour of a texture (1 when it has no pixels left). */
static void texture_mean(const mh_scene_texture *t, float out[3])
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

static bool add_tri(bvh *b, const float p[3][3], const float emit[3])
{
    if (!mh_scene_grow((void **)&b->tris, b->tri_count, &b->tri_cap, sizeof *b->tris, 4096))
        return false;
    tri *t = &b->tris[b->tri_count++];
    t->accent = 0;
    for (int c = 0; c < 3; c++) {
        t->v0[c] = p[0][c];
        t->e1[c] = p[1][c] - p[0][c];
        t->e2[c] = p[2][c] - p[0][c];
        t->emit[c] = emit[c];
    }
    return true;
}

/* Every opaque triangle of the scene (moving parts where they rest), with
 * what it gives off when it glows. */
static bool collect(bvh *b, const mh_scene *sc)
{
    float(*means)[3] = malloc(sizeof *means * (size_t)(sc->texture_count + 1));
    if (!means)
        return false;
    for (int i = 0; i < sc->texture_count; i++)
        texture_mean(&sc->textures[i], means[i]);
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
            /* full glow is a light (GLOW_POWER); a faint one (the ceiling's) barely gives off more than it shows */
            float glow = (float)v[0]->params[0] / 255.0f, power = glow * (1 + (GLOW_POWER - 1) * glow * glow);
            for (int k = 0; k < 3; k++) {
                float base = srgb8_linear(v[0]->color[k]) * tm[k];
                emit[k] = power * (base + (m->vertex_emissive ? 0 : m->emissive[k])); /* per vertex: baked light */
            }
            ok = add_tri(b, p, emit);
        }
    }
    free(means);
    return ok;
}

/* The floor's mean colour: its shape's colour times its texture's mean
 * (the hall's textures are the scene's first, in order). */
static void floor_albedo(const mh_hall_desc *h, const mh_scene *sc, float out[3])
{
    int f = mh_bake_floor_shape(h);
    float tm[3] = {1, 1, 1};
    if (f >= 0 && h->shapes[f].texture < sc->texture_count)
        texture_mean(&sc->textures[h->shapes[f].texture], tm);
    mh_vec3 c = f >= 0 ? h->shapes[f].color : mh_v3(0.05f, 0.05f, 0.05f);
    out[0] = c.x * tm[0];
    out[1] = c.y * tm[1];
    out[2] = c.z * tm[2];
}

/* ---- the hierarchy ------------------------------------------------------ */

static int sort_axis;
static const bvh *sort_bvh;

static int by_centre(const void *a, const void *b)
{
    float ca = sort_bvh->centre[*(const int *)a * 3 + sort_axis],
          cb = sort_bvh->centre[*(const int *)b * 3 + sort_axis];
    return ca < cb ? -1 : ca > cb;
}

static void node_bounds(bvh *b, node *n, const int *order)
{
    for (int c = 0; c < 3; c++) {
        n->lo[c] = INFINITY;
        n->hi[c] = -INFINITY;
    }
    for (int i = n->first; i < n->first + n->count; i++) {
        const tri *t = &b->tris[order[i]];
        for (int c = 0; c < 3; c++) {
            float a = t->v0[c], p1 = a + t->e1[c], p2 = a + t->e2[c];
            n->lo[c] = fminf(n->lo[c], fminf(a, fminf(p1, p2)));
            n->hi[c] = fmaxf(n->hi[c], fmaxf(a, fmaxf(p1, p2)));
        }
    }
}

/* Splits node ni at the median of its triangles' centres on its longest axis. */
static void split(bvh *b, int ni, int *order)
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

static bool build(bvh *b)
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
    tri *sorted = malloc(sizeof *sorted * (size_t)(b->tri_count + 1)); /* leaves index the triangles in order */
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
static float tri_hit(const tri *t, const float o[3], const float d[3], float tmax)
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

/* The nearest triangle the ray meets (-1: none), and its distance. */
static int trace(const bvh *b, const float o[3], const float d[3], float *dist)
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

/* ---- the floor ---------------------------------------------------------- */

static float hash01(uint32_t x, uint32_t y, uint32_t seed)
{
    uint32_t h = x * 374761393u + y * 668265263u + seed * 2246822519u;
    h = (h ^ (h >> 13)) * 1274126177u;
    return (float)((h ^ (h >> 16)) & 0xFFFF) / 65536.0f;
}

/* Direction k of n about +y: cos(theta) = u1^(1/(e+1)) (e = 1: cosine-weighted
 * as u1^(1/2) of the sine's square), stratified in u1, golden-ratio in phi. */
static void lobe_dir(int k, int n, float e, float r1, float r2, float d[3])
{
    float u1 = ((float)k + r1) / (float)n, u2 = fmodf((float)k * 0.618034f + r2, 1.0f);
    float ct = e <= 1 ? sqrtf(1 - u1) : powf(u1, 1.0f / (e + 1)), st = sqrtf(fmaxf(0, 1 - ct * ct));
    float phi = 2 * MH_PI * u2;
    d[0] = st * cosf(phi);
    d[1] = ct;
    d[2] = st * sinf(phi);
}

typedef struct texel {
    float rgb[3], ao;
} texel;

static texel bake_texel(const bvh *b, float x, float y, float z, uint32_t tx, uint32_t tz, const float albedo[3])
{
    texel out = {{0, 0, 0}, 0};
    float o[3] = {x, y + 0.01f, z}, d[3], dist, occl = 0, diffuse[3] = {0, 0, 0}, gloss[3] = {0, 0, 0};
    float r1 = hash01(tx, tz, 1), r2 = hash01(tx, tz, 2);
    for (int k = 0; k < AO_RAYS; k++) {
        lobe_dir(k, AO_RAYS, 1, r1, r2, d);
        int hit = trace(b, o, d, &dist);
        if (hit < 0)
            continue;
        if (dist < AO_RANGE)
            occl += (1 - dist / AO_RANGE) * (1 - dist / AO_RANGE);
        for (int c = 0; c < 3; c++)
            diffuse[c] += b->tris[hit].emit[c];
    }
    r1 = hash01(tx, tz, 3);
    r2 = hash01(tx, tz, 4);
    for (int k = 0; k < GLOSS_RAYS; k++) {
        lobe_dir(k, GLOSS_RAYS, GLOSS_EXPONENT, r1, r2, d);
        int hit = trace(b, o, d, &dist);
        for (int c = 0; hit >= 0 && c < 3; c++)
            gloss[c] += b->tris[hit].emit[c];
    }
    for (int c = 0; c < 3; c++) /* cosine-weighted: irradiance / pi is the mean radiance */
        out.rgb[c] = DIFFUSE_K * albedo[c] * diffuse[c] / AO_RAYS + GLOSS_K * gloss[c] / GLOSS_RAYS;
    out.ao = 1 - AO_STRENGTH * occl / AO_RAYS;
    return out;
}

/* A 3 x 3 box blur (the rays' noise), then RGBA8: sRGB light, linear occlusion. */
static void encode(const texel *in, int w, int h, uint8_t *px)
{
    for (int z = 0; z < h; z++)
        for (int x = 0; x < w; x++) {
            float sum[4] = {0, 0, 0, 0}, n = 0;
            for (int dz = -1; dz <= 1; dz++)
                for (int dx = -1; dx <= 1; dx++) {
                    int sx = x + dx, sz = z + dz;
                    if (sx < 0 || sz < 0 || sx >= w || sz >= h)
                        continue;
                    const texel *t = &in[sz * w + sx];
                    for (int c = 0; c < 3; c++)
                        sum[c] += t->rgb[c];
                    sum[3] += t->ao;
                    n++;
                }
            uint8_t *p = px + ((size_t)z * (size_t)w + (size_t)x) * 4;
            for (int c = 0; c < 3; c++)
                p[c] = (uint8_t)(mh_linear_to_srgb(mh_clampf(sum[c] / n, 0, 1)) * 255 + 0.5f);
            p[3] = (uint8_t)(mh_clampf(sum[3] / n, 0, 1) * 255 + 0.5f);
        }
}

struct booth_out;
static void booths_json(FILE *f, const mh_hall_desc *h, const struct booth_out *o);

/* light.json's "walls" member (empty when the hall has none baked). */
static void walls_json(FILE *f, const mh_bake_face *faces, int n, int w, int hgt)
{
    if (n == 0)
        return;
    fprintf(f, ",\n  \"walls\": {\"image\": \"textures/light_walls.png\", \"size\": [%d, %d], \"faces\": [", w, hgt);
    for (int i = 0; i < n; i++)
        fprintf(f, "%s[%d, %d, %d, %d, %d, %d]", i ? ", " : "", faces[i].shape, faces[i].face, faces[i].cols,
                faces[i].rows, faces[i].x, faces[i].y);
    fprintf(f, "]}");
}

static int write_files(const char *hall_dir, const mh_hall_desc *h, int shape, const uint8_t *px, int w, int hgt,
                       const mh_bake_face *faces, int nfaces, int ww, int wh, const struct booth_out *booths)
{
    char path[4096], tex[4096];
    mh_error err;
    if (!mh_fs_join(hall_dir, "textures/light_floor.png", tex, sizeof tex) || !mh_png_write(tex, px, w, hgt, &err)) {
        fprintf(stderr, "mh_assetgen: %s: cannot write the lightmap\n", tex);
        return 1;
    }
    FILE *f = mh_fs_join(hall_dir, MH_BAKE_FILE, path, sizeof path) ? fopen(path, "w") : NULL;
    if (!f) {
        fprintf(stderr, "mh_assetgen: %s: cannot write\n", path);
        return 1;
    }
    fprintf(f,
            "{\n  \"format\": \"%s\",\n  \"generator\": \"metahall mh_assetgen (assets/generator/mh_lightbake.c)\",\n"
            "  \"hall_key\": \"%016" PRIx64
            "\",\n  \"floor\": {\"shape\": %d, \"image\": \"textures/light_floor.png\", "
            "\"size\": [%d, %d]}",
            MH_BAKE_FORMAT, mh_bake_key(h->dir), shape, w, hgt);
    walls_json(f, faces, nfaces, ww, wh);
    booths_json(f, h, booths);
    fprintf(f, "\n}\n");
    int rc = fclose(f) == 0 ? 0 : 1;
    printf("wrote %s and %s (%d x %d texels)\n", path, tex, w, hgt);
    return rc;
}

/* ---- the walls ---------------------------------------------------------- */

/* A wall's mean linear colour: its shape's colour times its texture's mean,
 * less what is metal. */
static void wall_albedo(const mh_hall_desc *h, const mh_scene *sc, const mh_shape_desc *s, float out[3])
{
    float tm[3] = {1, 1, 1};
    if (s->texture >= 0 && s->texture < sc->texture_count && s->texture < h->texture_count)
        texture_mean(&sc->textures[s->texture], tm);
    out[0] = s->color.x * tm[0] * (1 - s->metallic);
    out[1] = s->color.y * tm[1] * (1 - s->metallic);
    out[2] = s->color.z * tm[2] * (1 - s->metallic);
}

/* Something lies against the wall in front of the point o (a screen's
 * frame): o is not seen. */
static bool covered(const bvh *b, const float o[3], mh_vec3 n)
{
    float d[3] = {n.x, n.y, n.z}, dist;
    return trace(b, o, d, &dist) >= 0 && dist < COVER_M;
}

/* The ray d meets triangle t from behind (t's winding: counter-clockwise
 * seen from outside). */
static bool backface(const tri *t, const float d[3])
{
    float n[3] = {t->e1[1] * t->e2[2] - t->e1[2] * t->e2[1], t->e1[2] * t->e2[0] - t->e1[0] * t->e2[2],
                  t->e1[0] * t->e2[1] - t->e1[1] * t->e2[0]};
    return n[0] * d[0] + n[1] * d[1] + n[2] * d[2] > 0;
}

/* A vertex's patch of surface, half-way to its neighbours: p, along u
 * (unit) col metres wide, below and above it up the surface; its normal n
 * and t2, the rays' third axis (a wall's as its bake always took it: from
 * the next column's normal, which on a column's round side is not n).
 * A ray's origin moves over it, kept within [lo, hi] (inside the hall, on
 * a booth's wall). */
typedef struct patch {
    mh_vec3 p, u, n, t2;
    float col, below, above;
    float lo[3], hi[3];
} patch;

/* What the rays from a patch met: occlusion (weighed by distance), the
 * glow of fixed-colour surfaces, the accent's, over `valid` rays (those
 * that did not start inside something). */
typedef struct gathered {
    float occl, glow[3], accent;
    int valid;
} gathered;

/* WALL_RAYS rays over the patch of vertex (i, j) into the hemisphere. */
static gathered gather(const bvh *b, const patch *pt, int i, int j, uint32_t seed)
{
    mh_vec3 u = pt->u, n = pt->n, t2 = pt->t2;
    float r1 = hash01((uint32_t)i, (uint32_t)j, seed), r2 = hash01((uint32_t)i, (uint32_t)j, seed + 1);
    float r3 = hash01((uint32_t)i, (uint32_t)j, seed + 2), r4 = hash01((uint32_t)i, (uint32_t)j, seed + 3);
    gathered g = {0};
    for (int k = 0; k < WALL_RAYS; k++) {
        /* the origin: a point of the patch (R2 sequence, scrambled by the
           ray's index so it does not follow the direction's stratum) */
        int q = (int)(((uint32_t)k * 2654435761u) % WALL_RAYS);
        float a = fmodf((float)q * 0.7548777f + r3, 1.0f) - 0.5f, c = fmodf((float)q * 0.5698403f + r4, 1.0f);
        mh_vec3 at = mh_v3_add(pt->p, mh_v3_add(mh_v3_scale(u, a * pt->col), mh_v3_scale(n, 0.02f)));
        at.y += -pt->below + c * (pt->below + pt->above);
        float o[3] = {mh_clampf(at.x, pt->lo[0], pt->hi[0]), mh_clampf(at.y, pt->lo[1], pt->hi[1]),
                      mh_clampf(at.z, pt->lo[2], pt->hi[2])};
        float d[3], dist;
        lobe_dir(k, WALL_RAYS, 1, r1, r2, d);
        float w[3] = {u.x * d[0] + n.x * d[1] + t2.x * d[2], u.y * d[0] + n.y * d[1] + t2.y * d[2],
                      u.z * d[0] + n.z * d[1] + t2.z * d[2]};
        if (covered(b, o, n))
            continue;
        int hit = trace(b, o, w, &dist);
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

/* Vertex (i, j) of a wall face: occlusion and the glow it receives, over
 * the patch of wall half-way to its neighbours, kept inside the hall (an
 * end vertex buried in the next wall takes the corner's value). */
static texel bake_wall_vertex(const bvh *b, const mh_hall_desc *h, const mh_bake_face *f, int i, int j,
                              const float albedo[3], mh_vec2 lo, mh_vec2 hi, float floor_y, uint32_t seed)
{
    mh_vec3 p, n, pu, pv;
    mh_bake_wall_point(h, f, i, j, &p, &n);
    mh_bake_wall_point(h, f, i + 1 < f->cols ? i + 1 : i - 1, j, &pu, &n);
    mh_vec3 du = mh_v3_sub(pu, p);
    float col = mh_v3_len(du);
    mh_vec3 u = mh_v3_scale(du, 1 / col);
    patch pt = {.p = p,
                .u = u,
                .n = n,
                .t2 = mh_v3_cross(n, u),
                .col = col,
                .lo = {lo.x + 0.02f, floor_y + 0.02f, lo.y + 0.02f},
                .hi = {hi.x - 0.02f, FLT_MAX, hi.y - 0.02f}};
    if (j > 0)
        mh_bake_wall_point(h, f, i, j - 1, &pv, &n), pt.below = (p.y - pv.y) * 0.5f;
    if (j + 1 < f->rows)
        mh_bake_wall_point(h, f, i, j + 1, &pv, &n), pt.above = (pv.y - p.y) * 0.5f;
    pt.n = n; /* this column's (the first was the next column's) */
    gathered g = gather(b, &pt, i, j, seed);
    texel out = {{0, 0, 0}, -1}; /* ao < 0: hidden (filled from its neighbours) */
    if (g.valid < WALL_RAYS / 8)
        return out;
    for (int ch = 0; ch < 3; ch++)
        out.rgb[ch] = WALL_DIFFUSE_K * albedo[ch] * g.glow[ch] / (float)g.valid;
    out.ao = 1 - WALL_AO_STRENGTH * g.occl / (float)g.valid;
    return out;
}

/* A texel as the floor's: sRGB light, linear occlusion. */
static void put_texel(uint8_t *p, texel t)
{
    for (int c = 0; c < 3; c++)
        p[c] = (uint8_t)(mh_linear_to_srgb(mh_clampf(t.rgb[c], 0, 1)) * 255 + 0.5f);
    p[3] = (uint8_t)(mh_clampf(t.ao, 0, 1) * 255 + 0.5f);
}

/* Hidden vertices (behind a screen's frame) take the mean of their seen
 * neighbours, ring by ring, so the cells round what covers the wall show
 * the open wall's light, not a dark rim. */
static void fill_hidden(texel *t, int cols, int rows)
{
    for (bool more = true; more;) {
        more = false;
        int filled = 0;
        for (int j = 0; j < rows; j++)
            for (int i = 0; i < cols; i++) {
                texel *x = &t[j * cols + i];
                if (x->ao >= 0)
                    continue;
                texel sum = {{0, 0, 0}, 0};
                int n = 0;
                static const int dirs[4][2] = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
                for (int d = 0; d < 4; d++) {
                    int a = i + dirs[d][0], c = j + dirs[d][1];
                    const texel *y = a >= 0 && a < cols && c >= 0 && c < rows ? &t[c * cols + a] : NULL;
                    if (!y || y->ao < 0 || y->ao > 1.5f)
                        continue; /* out, hidden, or filled in this ring (marked + 2) */
                    for (int ch = 0; ch < 3; ch++)
                        sum.rgb[ch] += y->rgb[ch];
                    sum.ao += y->ao;
                    n++;
                }
                if (n == 0) {
                    more = true;
                    continue;
                }
                for (int ch = 0; ch < 3; ch++)
                    x->rgb[ch] = sum.rgb[ch] / (float)n;
                x->ao = sum.ao / (float)n + 2;
                filled++;
            }
        for (int i = 0; i < cols * rows; i++)
            t[i].ao -= t[i].ao > 1.5f ? 2 : 0;
        more = more && filled > 0;
    }
    for (int i = 0; i < cols * rows; i++)
        t[i].ao = t[i].ao < 0 ? 1 : t[i].ao;
}

/* A 1-2-1 blur along each row (the rays' noise between columns a metre
 * apart; what spills on a wall is wider than that). */
static void smooth_rows(texel *t, int cols, int rows)
{
    for (int j = 0; j < rows; j++) {
        texel *r = &t[j * cols], prev = r[0];
        for (int i = 0; i < cols; i++) {
            texel here = r[i], next = r[i + 1 < cols ? i + 1 : i];
            for (int c = 0; c < 3; c++)
                r[i].rgb[c] = (prev.rgb[c] + 2 * here.rgb[c] + next.rgb[c]) * 0.25f;
            r[i].ao = (prev.ao + 2 * here.ao + next.ao) * 0.25f;
            prev = here;
        }
    }
}

/* Every baked wall face into the atlas (each block's border repeats its
 * edge, so a filtered fetch in the export stays inside it). */
static void bake_walls(const mh_hall_desc *h, const mh_scene *sc, const bvh *b, const mh_bake_face *faces, int n,
                       uint8_t *px, int w)
{
    int fs = mh_bake_floor_shape(h);
    mh_vec2 lo, hi;
    float fy;
    mh_bake_floor_rect(h, fs, &lo, &hi, &fy);
    for (int k = 0; k < n; k++) {
        const mh_bake_face *f = &faces[k];
        float albedo[3];
        wall_albedo(h, sc, &h->shapes[f->shape], albedo);
        texel *t = malloc(sizeof *t * (size_t)f->cols * (size_t)f->rows);
        if (!t)
            continue;
        for (int j = 0; j < f->rows; j++)
            for (int i = 0; i < f->cols; i++)
                t[j * f->cols + i] = bake_wall_vertex(b, h, f, i, j, albedo, lo, hi, fy, 16u + (uint32_t)k * 4u);
        fill_hidden(t, f->cols, f->rows);
        smooth_rows(t, f->cols, f->rows);
        for (int j = 0; j < f->rows; j++)
            for (int i = 0; i < f->cols; i++)
                put_texel(px + ((size_t)(f->y + j) * (size_t)w + (size_t)(f->x + i)) * 4, t[j * f->cols + i]);
        free(t);
        for (int j = -1; j <= f->rows; j++)
            for (int i = -1; i <= f->cols; i++) {
                int si = i < 0 ? 0 : i >= f->cols ? f->cols - 1 : i, sj = j < 0 ? 0 : j >= f->rows ? f->rows - 1 : j;
                if (si != i || sj != j)
                    memcpy(px + ((size_t)(f->y + j) * (size_t)w + (size_t)(f->x + i)) * 4,
                           px + ((size_t)(f->y + sj) * (size_t)w + (size_t)(f->x + si)) * 4, 4);
            }
    }
}

static int write_walls(const char *hall_dir, const uint8_t *px, int w, int hgt)
{
    char tex[4096];
    mh_error err;
    if (!mh_fs_join(hall_dir, "textures/light_walls.png", tex, sizeof tex) || !mh_png_write(tex, px, w, hgt, &err)) {
        fprintf(stderr, "mh_assetgen: %s: cannot write the walls' light\n", tex);
        return 1;
    }
    printf("wrote %s (%d x %d texels)\n", tex, w, hgt);
    return 0;
}

/* ---- the booths' back walls ---------------------------------------------- */

#define BOOTH_FLOOR_M 12.0f /* the open floor round the lone booth */

typedef struct booth_out {
    int part, cols, rows;
    texel *fixed, *accent; /* per vertex: fixed rgb and occlusion; accent in rgb[0] */
} booth_out;

/* Template t's parts in its own frame, each with what it gives off (fixed,
 * or per unit of accent), and the floor round it. */
static bool booth_tris(bvh *b, const mh_booth_template *t)
{
    bool ok = true;
    for (int k = 0; ok && k < t->part_count; k++) {
        const mh_booth_part *p = &t->parts[k];
        mh_mesh_data m = {0};
        mh_mesh_add_shape(&m, &p->shape, mh_m4_identity());
        float g = p->shape.emissive, power = g * (1 + (GLOW_POWER - 1) * g * g), acc = 0;
        mh_vec3 c = p->shape.color;
        if (p->role == MH_PART_NEUTRAL)
            c = mh_v3_scale(t->neutral, p->shade);
        else if (p->role == MH_PART_ACCENT)
            c = mh_v3(0, 0, 0), acc = power * p->shade;
        float emit[3] = {power * c.x, power * c.y, power * c.z};
        for (uint32_t i = 0; ok && !m.failed && i + 2 < m.index_count; i += 3) {
            float q[3][3];
            for (int v = 0; v < 3; v++)
                memcpy(q[v], m.vertices[m.indices[i + (uint32_t)v]].pos, sizeof q[v]);
            ok = add_tri(b, q, emit);
            b->tris[b->tri_count - 1].accent = acc;
        }
        ok = ok && !m.failed;
        mh_mesh_free(&m);
    }
    const float f = BOOTH_FLOOR_M, none[3] = {0, 0, 0};
    const float a[3][3] = {{-f, 0, -f}, {f, 0, f}, {f, 0, -f}}, c2[3][3] = {{-f, 0, -f}, {-f, 0, f}, {f, 0, f}};
    return ok && add_tri(b, a, none) && add_tri(b, c2, none);
}

/* Vertex (i, j) of the back wall's front face: as a hall wall's
 * (bake_wall_vertex), the ray origins kept on the face; the glow of the
 * fixed-colour parts in fixed.rgb, of the accent parts in accent.rgb[0]. */
static void bake_booth_vertex(const bvh *b, const mh_booth_template *t, const booth_out *o, const float *rows, int i,
                              int j, texel *fixed, texel *accent)
{
    const mh_shape_desc *s = &t->parts[o->part].shape;
    mh_vec3 p, n, pv;
    mh_bake_booth_point(t, o->part, o->cols, rows, i, j, &p, &n);
    float hw = s->size.x * 0.5f - 0.01f;
    patch pt = {.p = p,
                .u = mh_v3(1, 0, 0),
                .n = n,
                .t2 = mh_v3_cross(n, mh_v3(1, 0, 0)),
                .col = s->size.x / (float)(o->cols - 1),
                .lo = {s->pos.x - hw, s->pos.y + 0.02f, -FLT_MAX},
                .hi = {s->pos.x + hw, FLT_MAX, FLT_MAX}};
    if (j > 0)
        mh_bake_booth_point(t, o->part, o->cols, rows, i, j - 1, &pv, &n), pt.below = (p.y - pv.y) * 0.5f;
    if (j + 1 < o->rows)
        mh_bake_booth_point(t, o->part, o->cols, rows, i, j + 1, &pv, &n), pt.above = (pv.y - p.y) * 0.5f;
    pt.n = n;
    gathered g = gather(b, &pt, i, j, 977u);
    *fixed = *accent = (texel){{0, 0, 0}, -1}; /* hidden: filled from its neighbours */
    if (g.valid < WALL_RAYS / 8)
        return;
    for (int ch = 0; ch < 3; ch++)
        fixed->rgb[ch] = BOOTH_DIFFUSE_K * g.glow[ch] / (float)g.valid;
    accent->rgb[0] = BOOTH_DIFFUSE_K * g.accent / (float)g.valid;
    fixed->ao = accent->ao = 1 - WALL_AO_STRENGTH * g.occl / (float)g.valid;
}

/* Template t's back wall into o (o->part -1: it has none). */
static bool bake_booth(const mh_booth_template *t, booth_out *o)
{
    *o = (booth_out){.part = mh_bake_booth_wall(t)};
    if (o->part < 0)
        return true;
    float rows[MH_BAKE_WALL_ROWS_MAX];
    o->cols = mh_bake_booth_grid(t, o->part, rows, &o->rows);
    bvh b = {0};
    size_t n = (size_t)o->cols * (size_t)o->rows;
    o->fixed = malloc(sizeof *o->fixed * n);
    o->accent = malloc(sizeof *o->accent * n);
    bool ok = o->fixed && o->accent && booth_tris(&b, t) && build(&b);
    for (int j = 0; ok && j < o->rows; j++)
        for (int i = 0; i < o->cols; i++)
            bake_booth_vertex(&b, t, o, rows, i, j, &o->fixed[j * o->cols + i], &o->accent[j * o->cols + i]);
    if (ok) {
        fill_hidden(o->fixed, o->cols, o->rows);
        fill_hidden(o->accent, o->cols, o->rows);
        smooth_rows(o->fixed, o->cols, o->rows);
        smooth_rows(o->accent, o->cols, o->rows);
    }
    free(b.tris);
    free(b.nodes);
    free(b.centre);
    return ok;
}

/* light.json's "booths" member: a baked entry a template. */
static void booths_json(FILE *f, const mh_hall_desc *h, const booth_out *o)
{
    bool first = true;
    for (int t = 0; t < h->template_count && t < MH_MAX_BOOTH_TEMPLATES; t++) {
        if (o[t].part < 0)
            continue;
        int n = o[t].cols * o[t].rows;
        fprintf(f,
                "%s\n    {\"template\": \"%s\", \"key\": \"%016" PRIx64 "\", \"part\": %d, \"cols\": %d, \"rows\": %d",
                first ? ",\n  \"booths\": [" : ",", h->templates[t].name, mh_bake_booth_key(&h->templates[t]),
                o[t].part, o[t].cols, o[t].rows);
        fprintf(f, ",\n     \"ao\": [");
        for (int i = 0; i < n; i++)
            fprintf(f, "%s%.3f", i ? ", " : "", (double)mh_clampf(o[t].fixed[i].ao, 0, 1));
        fprintf(f, "],\n     \"fixed\": [");
        for (int i = 0; i < n; i++)
            for (int c = 0; c < 3; c++)
                fprintf(f, "%s%.4f", i || c ? ", " : "", (double)o[t].fixed[i].rgb[c]);
        fprintf(f, "],\n     \"accent\": [");
        for (int i = 0; i < n; i++)
            fprintf(f, "%s%.4f", i ? ", " : "", (double)o[t].accent[i].rgb[0]);
        fprintf(f, "]}");
        first = false;
    }
    if (!first)
        fprintf(f, "\n  ]");
}

static int bake_floor(const char *hall_dir, const mh_hall_desc *h, const mh_scene *sc, const bvh *b,
                      const float albedo[3])
{
    int shape = mh_bake_floor_shape(h);
    if (shape < 0) {
        fprintf(stderr, "mh_assetgen: %s: the hall has no floor box to bake\n", hall_dir);
        return 1;
    }
    mh_vec2 lo, hi;
    float y;
    mh_bake_floor_rect(h, shape, &lo, &hi, &y);
    int w = (int)ceilf((hi.x - lo.x) / MH_BAKE_TEXEL_M), hgt = (int)ceilf((hi.y - lo.y) / MH_BAKE_TEXEL_M);
    texel *tx = malloc(sizeof *tx * (size_t)w * (size_t)hgt);
    uint8_t *px = malloc((size_t)w * (size_t)hgt * 4);
    int rc = 1;
    if (tx && px) {
        for (int z = 0; z < hgt; z++)
            for (int x = 0; x < w; x++)
                tx[z * w + x] =
                    bake_texel(b, lo.x + ((float)x + 0.5f) * (hi.x - lo.x) / (float)w, y,
                               lo.y + ((float)z + 0.5f) * (hi.y - lo.y) / (float)hgt, (uint32_t)x, (uint32_t)z, albedo);
        encode(tx, w, hgt, px);
        mh_bake_face faces[MH_BAKE_WALLS_MAX];
        int ww, wh, n = mh_bake_wall_faces(h, faces, &ww, &wh);
        uint8_t *wpx = n ? calloc((size_t)ww * (size_t)wh, 4) : NULL;
        if (n && !wpx)
            n = 0;
        if (n)
            bake_walls(h, sc, b, faces, n, wpx, ww);
        booth_out booths[MH_MAX_BOOTH_TEMPLATES];
        for (int t = 0; t < MH_MAX_BOOTH_TEMPLATES; t++)
            booths[t] = (booth_out){.part = -1};
        for (int t = 0; t < h->template_count && t < MH_MAX_BOOTH_TEMPLATES; t++)
            if (!bake_booth(&h->templates[t], &booths[t]))
                booths[t].part = -1;
        rc = write_files(hall_dir, h, shape, px, w, hgt, faces, n, ww, wh, booths);
        for (int t = 0; t < MH_MAX_BOOTH_TEMPLATES; t++) {
            free(booths[t].fixed);
            free(booths[t].accent);
        }
        rc |= n ? write_walls(hall_dir, wpx, ww, wh) : 0;
        free(wpx);
    }
    free(tx);
    free(px);
    return rc;
}

int mh_lightbake(const char *hall_dir)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    mh_arena arena = {.block_size = 256u * 1024u};
    mh_hall_desc h;
    mh_scene sc = {0};
    mh_error err;
    bvh b = {0};
    float albedo[3];
    int rc = 1;
    if (!mh_hall_load(hall_dir, &arena, &h, &err) || !mh_scene_build(&sc, &h, (mh_sign_text){0}, &arena, &err)) {
        char text[1024];
        fprintf(stderr, "mh_assetgen: %s\n", mh_error_text(&err, text, sizeof text));
    } else {
        floor_albedo(&h, &sc, albedo);
        if (!collect(&b, &sc) || !build(&b))
            fprintf(stderr, "mh_assetgen: out of memory baking %s\n", hall_dir);
        else
            rc = bake_floor(hall_dir, &h, &sc, &b, albedo);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("baked %s: %d triangles in %.1f s\n", hall_dir, b.tri_count,
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9);
    free(b.tris);
    free(b.nodes);
    free(b.centre);
    mh_scene_free(&sc);
    mh_arena_free(&arena);
    return rc;
}
