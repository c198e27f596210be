/* mh_cull.c - cells, frustums, levels of detail and the front-to-back
 * order of a frame's chunks (see mh_cull.h). No allocation. */
#include "mh_cull.h"

#include <math.h>

void mh_cull_candidates(const mh_scene *sc, const mh_vec3 *eyes, int eye_count, int *first, int *end)
{
    *first = 0;
    *end = sc->chunk_count;
    for (int c = 0; c < sc->cell_count; c++) {
        const mh_aabb *in = &sc->cells[c].interior;
        bool inside = true;
        for (int v = 0; v < eye_count && inside; v++) {
            mh_vec3 e = eyes[v];
            inside = e.x > in->min.x && e.x < in->max.x && e.y > in->min.y && e.y < in->max.y && e.z > in->min.z &&
                     e.z < in->max.z;
        }
        if (inside) {
            *first = sc->cells[c].first_chunk;
            *end = sc->cells[c].end_chunk;
            return;
        }
    }
}

/* The coarser levels (mh_scene.c: the surface moves under 1/240 and 1/80
 * of the chunk's size) below these sizes on screen, pixels: where that is
 * under half a pixel, and the triangles are small enough that shading
 * across them looks the same (at 192 px a twisted landmark's level 1 was
 * faceted in its booth's view). */
#define LOD1_PX 100.0f
#define LOD2_PX 32.0f

int mh_cull_pick_lod(const mh_scene_chunk *c, float dist2, float px_per_radian)
{
    if (!c->lod_count[0] && !c->lod_count[1])
        return 0;
    mh_vec3 d = mh_v3_sub(c->bounds.max, c->bounds.min);
    float size = c->lod_size > 0 ? c->lod_size : fmaxf(d.x, fmaxf(d.y, d.z));
    float px = size * px_per_radian / sqrtf(dist2 > 1e-6f ? dist2 : 1e-6f); /* the chunk's size on screen */
    int lod = 0;
    if (px < LOD1_PX && c->lod_count[0]) /* a level that saved too little was not kept */
        lod = 1;
    if (px < LOD2_PX && c->lod_count[1])
        lod = 2;
    return lod;
}

/* a before b: opaque before blending; opaque near first, blending far first */
static bool draws_before(const mh_cull_item *a, const mh_cull_item *b)
{
    if (a->blend != b->blend)
        return !a->blend;
    return a->blend ? a->order > b->order : a->order < b->order;
}

/* Insertion sort: no allocation, and quick for the few dozen chunks a view
 * holds (they arrive in build order, booth by booth). */
static void sort_by_depth(mh_cull_item *items, int n)
{
    for (int i = 1; i < n; i++) {
        mh_cull_item t = items[i];
        int j = i - 1;
        while (j >= 0 && draws_before(&t, &items[j])) {
            items[j + 1] = items[j];
            j--;
        }
        items[j + 1] = t;
    }
}

/* What one frame's culling shares: the frustums, the mean eye, the output. */
typedef struct cull_pass {
    const mh_scene *sc;
    const mh_cull_desc *desc;
    mh_frustum fr[MH_CULL_VIEWS];
    int views;
    mh_vec3 eye;
    mh_cull_item *items;
    int n, cap;
} cull_pass;

static bool any_view_sees(const cull_pass *p, mh_aabb b)
{
    for (int v = 0; v < p->views; v++)
        if (mh_frustum_test_aabb(&p->fr[v], b))
            return true;
    return false;
}

/* Chunk k goes into the frame (its box is known to be seen, or test says to check). */
static void consider(cull_pass *p, int k, bool test)
{
    if (k < 0 || k >= p->cap || p->n >= p->cap)
        return; /* a buffer smaller than the scene: the first chunks only */
    const mh_scene_chunk *c = &p->sc->chunks[k];
    if (c->hidden || (test && !any_view_sees(p, c->bounds)))
        return;
    mh_vec3 d = mh_v3_sub(mh_aabb_center(c->bounds), p->eye);
    float dist2 = mh_v3_dot(d, d);
    const mh_scene *sc = p->sc;
    bool blend =
        sc->materials && c->material < sc->material_count && sc->materials[c->material].alpha_mode == MH_ALPHA_BLEND;
    float reach = sqrtf(dist2) + 0.5f * mh_v3_len(mh_v3_sub(c->bounds.max, c->bounds.min));
    p->items[p->n++] =
        (mh_cull_item){dist2, blend ? dist2 : reach, k, mh_cull_pick_lod(c, dist2, p->desc->px_per_radian), blend};
}

float mh_cull_box_dist2(mh_aabb b, mh_vec3 e)
{
    float dx = fmaxf(fmaxf(b.min.x - e.x, e.x - b.max.x), 0.0f);
    float dy = fmaxf(fmaxf(b.min.y - e.y, e.y - b.max.y), 0.0f);
    float dz = fmaxf(fmaxf(b.min.z - e.z, e.z - b.max.z), 0.0f);
    return dx * dx + dy * dy + dz * dz;
}

/* A floor of many booths: blocks out of view are skipped whole, far ones
 * drawn as their proxy; in the near ones the same for tiles; the booths'
 * own chunks only on the nearest tiles. */
static void cull_grid(cull_pass *p)
{
    const mh_scene_grid *g = &p->sc->grid;
    const float near2 = MH_SCENE_NEAR_M * MH_SCENE_NEAR_M, far2 = MH_SCENE_FAR_M * MH_SCENE_FAR_M;
    for (int k = 0; k < g->hall_end; k++)
        consider(p, k, true);
    for (int b = 0; b < g->block_count; b++) {
        const mh_scene_tile *bl = &g->blocks[b];
        if (!any_view_sees(p, bl->bounds))
            continue;
        if (mh_cull_box_dist2(bl->bounds, p->eye) > far2) {
            consider(p, bl->proxy, false);
            continue;
        }
        for (int t = bl->first; t < bl->end; t++) {
            const mh_scene_tile *tl = &g->tiles[t];
            if (!any_view_sees(p, tl->bounds))
                continue;
            if (mh_cull_box_dist2(tl->bounds, p->eye) > near2) {
                consider(p, tl->proxy, false);
                continue;
            }
            for (int i = tl->first; i < tl->end; i++)
                for (int k = g->booth_chunks[2 * g->booths[i]]; k < g->booth_chunks[2 * g->booths[i] + 1]; k++)
                    consider(p, k, true);
        }
    }
}

int mh_cull_chunks(const mh_scene *sc, const mh_cull_desc *desc, mh_cull_item *items, int item_cap)
{
    cull_pass p = {.sc = sc, .desc = desc, .items = items, .cap = item_cap};
    p.views = desc->view_count < 1 ? 1 : desc->view_count > MH_CULL_VIEWS ? MH_CULL_VIEWS : desc->view_count;
    p.eye = mh_v3(0, 0, 0);
    for (int v = 0; v < p.views; v++) {
        p.fr[v] = mh_frustum_from_matrix(desc->view_proj[v]);
        p.eye = mh_v3_add(p.eye, mh_v3_scale(desc->eyes[v], 1.0f / (float)p.views));
    }
    if (sc->grid.tile_count) {
        cull_grid(&p);
    } else {
        int first, end;
        mh_cull_candidates(sc, desc->eyes, p.views, &first, &end);
        for (int k = first; k < end; k++)
            consider(&p, k, true);
    }
    sort_by_depth(items, p.n);
    return p.n;
}
