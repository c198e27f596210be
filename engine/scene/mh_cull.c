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

int mh_cull_pick_lod(const mh_scene_chunk *c, float dist2, float px_per_radian)
{
    if (!c->lod_count[0])
        return 0;
    mh_vec3 d = mh_v3_sub(c->bounds.max, c->bounds.min);
    float size = fmaxf(d.x, fmaxf(d.y, d.z));
    float px = size * px_per_radian / sqrtf(dist2 > 1e-6f ? dist2 : 1e-6f);   /* the chunk's size on screen */
    int lod = 0;
    if (px < 2.0f * 96.0f)
        lod = 1;
    if (px < 2.0f * 32.0f && c->lod_count[1])
        lod = 2;
    return lod;
}

/* a before b: opaque before blending; opaque near first, blending far first */
static bool draws_before(const mh_cull_item *a, const mh_cull_item *b)
{
    if (a->blend != b->blend)
        return !a->blend;
    return a->blend ? a->depth > b->depth : a->depth < b->depth;
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

int mh_cull_chunks(const mh_scene *sc, const mh_cull_desc *desc, mh_cull_item *items, int item_cap)
{
    int views = desc->view_count < 1 ? 1 : desc->view_count > MH_CULL_VIEWS ? MH_CULL_VIEWS : desc->view_count;
    mh_frustum fr[MH_CULL_VIEWS];
    mh_vec3 eye = mh_v3(0, 0, 0);
    for (int v = 0; v < views; v++) {
        fr[v] = mh_frustum_from_matrix(desc->view_proj[v]);
        eye = mh_v3_add(eye, mh_v3_scale(desc->eyes[v], 1.0f / (float)views));
    }
    int first, end, n = 0;
    mh_cull_candidates(sc, desc->eyes, views, &first, &end);
    if (end > item_cap)
        end = item_cap;
    for (int k = first; k < end; k++) {
        const mh_scene_chunk *c = &sc->chunks[k];
        bool visible = false;
        for (int v = 0; v < views && !visible; v++)
            visible = mh_frustum_test_aabb(&fr[v], c->bounds);
        if (!visible)
            continue;
        mh_vec3 d = mh_v3_sub(mh_aabb_center(c->bounds), eye);
        float dist2 = mh_v3_dot(d, d);
        bool blend = sc->materials && c->material < sc->material_count &&
                     sc->materials[c->material].alpha_mode == MH_ALPHA_BLEND;
        items[n++] = (mh_cull_item){dist2, k, mh_cull_pick_lod(c, dist2, desc->px_per_radian), blend};
    }
    sort_by_depth(items, n);
    return n;
}
