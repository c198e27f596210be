/* mh_lightbake_internal.h - what the light bake's files share (mh_assetgen
 * only): mh_lightbake_trace.c casts the rays (the scene's triangles in a
 * bounding volume hierarchy, rays over a patch of surface round a grid's
 * vertex), mh_lightbake_walls.c bakes the hall's walls' and columns' grids,
 * mh_lightbake_booth.c each booth template's back wall, and mh_lightbake.c
 * the floor's lightmap and light.json (the entry point, mh_lightbake.h). */
#ifndef MH_LIGHTBAKE_INTERNAL_H
#define MH_LIGHTBAKE_INTERNAL_H

#include <stdint.h>
#include <stdio.h>

#include "scene/mh_scene.h"

/* the rays a grid's vertex casts (the walls', the booths'); fewer seen
 * than an eighth of them: the vertex is hidden */
#define MH_LB_GRID_RAYS 256
#define MH_LB_GRID_AO_STRENGTH 0.9f /* of the occlusion a grid's vertex finds */

/* A texel of the floor or a grid's vertex: linear light, occlusion (a
 * grid's < 0: hidden, to be filled from its neighbours). */
typedef struct mh_lb_texel {
    float rgb[3], ao;
} mh_lb_texel;

/* ---- mh_lightbake_trace.c: the ray-casting core ------------------------- */

typedef struct mh_lb_tri {
    float v0[3], e1[3], e2[3];
    float emit[3]; /* linear radiance it gives off (0: not glowing) */
    float accent;  /* a booth template's: radiance per unit of the booth's accent colour */
} mh_lb_tri;

typedef struct mh_lb_bvh {
    mh_lb_tri *tris;
    int tri_count, tri_cap;
    struct mh_lb_node *nodes;
    int node_count;
    float *centre; /* per triangle, for the build */
} mh_lb_bvh;

/* A vertex's patch of surface, half-way to its neighbours: p, along u
 * (unit) col metres wide, below and above it up the surface; its normal n
 * and t2, the rays' third axis (a wall's as its bake always took it: from
 * the next column's normal, which on a column's round side is not n).
 * A ray's origin moves over it, kept within [lo, hi] (inside the hall, on
 * a booth's wall). */
typedef struct mh_lb_patch {
    mh_vec3 p, u, n, t2;
    float col, below, above;
    float lo[3], hi[3];
} mh_lb_patch;

/* What the rays from a patch met: occlusion (weighed by distance), the
 * glow of fixed-colour surfaces, the accent's, over `valid` rays (those
 * that did not start inside something). */
typedef struct mh_lb_gathered {
    float occl, glow[3], accent;
    int valid;
} mh_lb_gathered;

/* The mean linear colour of a texture (1 when it has no pixels left). */
void mh_lb_texture_mean(const mh_scene_texture *t, float out[3]);
/* What a surface of glow g (0-1) gives off over the colour it shows: full
 * glow is a light; a faint one (the ceiling's) barely more than it shows. */
float mh_lb_glow_power(float g);
/* Appends a triangle (corners p) giving off emit; false when out of memory. */
bool mh_lb_add_tri(mh_lb_bvh *b, const float p[3][3], const float emit[3]);
/* Every opaque triangle of the scene (moving parts where they rest), with
 * what it gives off when it glows. */
bool mh_lb_collect(mh_lb_bvh *b, const mh_scene *sc);
/* The hierarchy over b's triangles (reordered); false when out of memory. */
bool mh_lb_build(mh_lb_bvh *b);
void mh_lb_free(mh_lb_bvh *b);
/* The nearest triangle the ray meets (-1: none), and its distance. */
int mh_lb_trace(const mh_lb_bvh *b, const float o[3], const float d[3], float *dist);
/* A fixed pseudo-random number in [0, 1) for (x, y, seed). */
float mh_lb_hash01(uint32_t x, uint32_t y, uint32_t seed);
/* Direction k of n about +y: cos(theta) = u1^(1/(e+1)) (e = 1: cosine-weighted
 * as u1^(1/2) of the sine's square), stratified in u1, golden-ratio in phi. */
void mh_lb_lobe_dir(int k, int n, float e, float r1, float r2, float d[3]);
/* MH_LB_GRID_RAYS rays over the patch of vertex (i, j) into the hemisphere. */
mh_lb_gathered mh_lb_gather(const mh_lb_bvh *b, const mh_lb_patch *pt, int i, int j, uint32_t seed);

/* ---- mh_lightbake_walls.c: the hall's walls and columns ----------------- */

/* Hidden vertices (behind a screen's frame) take the mean of their seen
 * neighbours, ring by ring (those with none: no occlusion, no light). */
void mh_lb_fill_hidden(mh_lb_texel *t, int cols, int rows);
/* A 1-2-1 blur along each row of a grid. */
void mh_lb_smooth_rows(mh_lb_texel *t, int cols, int rows);
/* Every baked wall face (mh_bake_wall_faces) into the atlas px, w texels wide. */
void mh_lb_bake_walls(const mh_hall_desc *h, const mh_scene *sc, const mh_lb_bvh *b, const mh_bake_face *faces, int n,
                      uint8_t *px, int w);
/* The atlas as textures/light_walls.png; 0 on success (a message on stderr otherwise). */
int mh_lb_write_walls(const char *hall_dir, const uint8_t *px, int w, int hgt);
/* light.json's "walls" member (empty when the hall has none baked). */
void mh_lb_walls_json(FILE *f, const mh_bake_face *faces, int n, int w, int hgt);

/* ---- mh_lightbake_booth.c: the booths' back walls ----------------------- */

typedef struct mh_lb_booth {
    int part, cols, rows;
    mh_lb_texel *fixed, *accent; /* per vertex: fixed rgb and occlusion; accent in rgb[0] */
} mh_lb_booth;

/* Each of the hall's templates' back wall into out (part -1: none baked). */
void mh_lb_bake_booths(const mh_hall_desc *h, mh_lb_booth out[MH_MAX_BOOTH_TEMPLATES]);
void mh_lb_free_booths(mh_lb_booth o[MH_MAX_BOOTH_TEMPLATES]);
/* light.json's "booths" member: a baked entry a template. */
void mh_lb_booths_json(FILE *f, const mh_hall_desc *h, const mh_lb_booth *o);

#endif
