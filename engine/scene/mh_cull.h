/* mh_cull.h - which of a scene's chunks a frame draws, at which level of
 * detail and in which order: pure code (no GL) the renderer calls once per
 * layer and frame, and tests drive directly.
 *
 * Only the chunks of the cell every eye stands in are candidates (a storey
 * of a stacked hall: from inside it nothing else can be seen), else all; on
 * a floor of many booths (mh_scene_grid) the hall's own chunks, then blocks
 * and tiles of booths: out of view skipped, far ones as one proxy draw, the
 * booths' own chunks only on tiles within MH_SCENE_NEAR_M; a
 * candidate is drawn when any view's frustum holds its box (the eyes of a
 * stereo pair share one pass); the drawn ones are sorted front to back by
 * the farthest their box reaches from the views' mean eye (its centre's
 * distance plus half its diagonal), so hidden fragments fail the depth test
 * early and the hall's floor and walls, which surround the eye, come after
 * what stands in front of them; then the chunks whose material blends, back
 * to front by their centre's distance (each seen through the ones before). */
#ifndef MH_CULL_H
#define MH_CULL_H

#include "../core/mh_math.h"
#include "mh_scene.h"

#define MH_CULL_VIEWS 2

typedef struct mh_cull_item {
    float depth; /* squared distance of its box centre from the mean eye */
    float order; /* what the order sorts by: opaque, the box's farthest reach; blending, depth */
    int chunk;   /* index into the scene's chunks */
    int lod;     /* 0 = full detail, 1.. = the chunk's coarser levels */
    bool blend;  /* its material blends (alpha mode BLEND): drawn after the opaque ones */
} mh_cull_item;

/* The frame's views as culling sees them. */
typedef struct mh_cull_desc {
    mh_mat4 view_proj[MH_CULL_VIEWS]; /* projection x view of each view */
    mh_vec3 eyes[MH_CULL_VIEWS];
    int view_count;      /* 1..MH_CULL_VIEWS */
    float px_per_radian; /* the first view's pixels per radian (level of detail):
                                          proj.m[5] * viewport height / 2; 0: every
                                          chunk at its coarsest level */
} mh_cull_desc;

/* The candidates [*first, *end): a cell's chunks when every eye is inside
 * that cell's interior, otherwise all the scene's. */
void mh_cull_candidates(const mh_scene *sc, const mh_vec3 *eyes, int eye_count, int *first, int *end);
/* The coarsest level whose grid cell (1/96, then 1/32 of the chunk's size;
 * see mh_scene.c) stays under two pixels on screen at this squared distance. */
int mh_cull_pick_lod(const mh_scene_chunk *c, float dist2, float px_per_radian);
/* The squared distance from e to box b (0 inside). */
float mh_cull_box_dist2(mh_aabb b, mh_vec3 e);
/* Fills items (at most item_cap, the scene's chunk count is enough) with the
 * visible chunks: the opaque ones (and MASK) front to back, then the
 * blending ones back to front; returns how many. */
int mh_cull_chunks(const mh_scene *sc, const mh_cull_desc *desc, mh_cull_item *items, int item_cap);

#endif
