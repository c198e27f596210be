/* mh_scene_internal.h - what the scene's files share (scene/ only):
 * mh_scene.c builds the hall (architecture, stage, booths, signs),
 * mh_scene_model.c turns a glTF model into chunks, materials, textures and
 * rigs, mh_scene_anim.c poses the rigs each frame. */
#ifndef MH_SCENE_INTERNAL_H
#define MH_SCENE_INTERNAL_H

#include "mh_scene.h"

/* Adds a texture (the scene owns t.rgba from now on, also on failure);
 * returns its index, -1 when out of memory. */
int mh_scene_add_texture(mh_scene *sc, mh_scene_texture t);
/* The index of a material equal to m, added when new; 0 (plain) when out of memory. */
int mh_scene_add_material(mh_scene *sc, const mh_material *m);
/* Goes on with the open chunk when it has the same material, group and
 * rig and does not move; otherwise closes it and opens a new one. */
void mh_scene_begin_chunk(mh_scene *sc, int material, int group, int rig);
/* Closes the open chunk and opens one for a motion (never shared). */
void mh_scene_begin_motion_chunk(mh_scene *sc, int material, int group, int rig, int motion);
/* Closes the open chunk (its bounds from its vertices); opens none. */
void mh_scene_close_chunk(mh_scene *sc);

/* How a model is placed in a scene. */
typedef struct mh_scene_place {
    mh_mat4 xf;  /* the model's base: it stands on this origin (x, z centred on its bounds) */
    mh_vec3 fit; /* the most it may fill (metres), for exhibit.json's "fit" */
    float scale; /* exhibit.json's "scale"; 0 = real size */
    bool fit_to; /* "fit": scale up or down to fill `fit` */
    bool as_is;  /* keep glTF's own coordinates (xf applies, no centring or scale): a model preview */
    int group;
    int animation; /* mh_exhibit_desc.animation */
    const char *animation_name;
    mh_gltf_desc load; /* where it may read files, budgets, cancellation */
} mh_scene_place;

/* Booth b as its back wall's two faces and its two signs' backgrounds (quads),
 * plain, in the open chunk: what a far tile shows (mh_scene_grid.c). */
void mh_scene_add_booth_proxy(mh_scene *sc, const mh_hall_desc *hall, int booth);
/* The grid of a floor of many booths (after every booth's chunks are in);
 * false when out of memory. */
bool mh_scene_build_grid(mh_scene *sc, const mh_hall_desc *hall);

/* Poses rig `rig` dt seconds on and places what it moves (mh_scene_animate, one rig). */
void mh_scene_animate_rig(mh_scene *sc, int rig, float dt);

/* Adds the model at path. False when it does not load (err says why). */
bool mh_scene_add_model(mh_scene *sc, const char *path, const mh_scene_place *pl, mh_error *err);

#endif
