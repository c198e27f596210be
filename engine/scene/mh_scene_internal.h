/* mh_scene_internal.h - what the scene's files share (scene/ only):
 * mh_scene.c builds the hall (architecture, stage, booths, signs),
 * mh_scene_model.c turns a glTF model into chunks, materials, textures and
 * rigs, mh_scene_anim.c poses the rigs each frame. */
#ifndef MH_SCENE_INTERNAL_H
#define MH_SCENE_INTERNAL_H

#include "mh_scene.h"

/* Adds a texture (the scene owns t.rgba from now on, also on failure);
 * returns its index, -1 when out of memory. */
/* Grows an array of `size`-byte items to hold one more (doubling, first_cap
 * to start); false when out of memory. Scene building only, never per frame. */
bool mh_scene_grow(void **items, int count, int *cap, size_t size, int first_cap);
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

/* mh_scene_walls.c: light.json's "walls" (NULL: none) checked against the
 * hall's walls, and their atlas read and decoded into out (wall_count 0 and
 * a message when missing or not matching); the atlas handed to the scene as
 * a texture (mh_scene_use_bake). */
void mh_bake_read_walls(const mh_hall_desc *h, const char *json_path, const struct cJSON *walls, mh_bake *out);
void mh_bake_use_walls(mh_scene *sc, mh_bake *b);
/* mh_scene_booth_light.c: light.json's "booths" (NULL: none), each entry
 * checked against its template's key, into out->booths (part -1: none). */
void mh_bake_read_booths(const mh_hall_desc *h, const char *json_path, const struct cJSON *booths, mh_bake *out);
/* v between a and b at t (position and texture coordinates; the rest a's). */
mh_vertex mh_bake_lerp_vertex(const mh_vertex *a, const mh_vertex *b, float t);

/* Booth b as its back wall's two faces and its two signs' backgrounds (quads),
 * plain, in the open chunk: what a far tile shows (mh_scene_grid.c). */
void mh_scene_add_booth_proxy(mh_scene *sc, const mh_hall_desc *hall, int booth);
/* The grid of a floor of many booths (after every booth's chunks are in);
 * false when out of memory. */
bool mh_scene_build_grid(mh_scene *sc, const mh_hall_desc *hall);

/* Poses rig `rig` dt seconds on and places what it moves (mh_scene_animate, one rig). */
void mh_scene_animate_rig(mh_scene *sc, int rig, float dt);

/* mh_scene_dress.c: a soft dark blob w x d on the floor at xf's origin
 * (strength: its darkest alpha, 0-1; box: dark over most of it, for a
 * footprint with corners, else round), blended after the opaque pass. */
void mh_scene_add_contact_shadow(mh_scene *sc, mh_mat4 xf, float w, float d, float strength, bool box, int group);
/* A lit card (the hall's name on an LED-like panel) behind each hall video
 * screen: what the screen shows until its video's first frame. */
void mh_scene_add_screen_cards(mh_scene *sc, const mh_hall_desc *hall, mh_sign_text text);
/* mh_scene_signs.c: signs' text as glyph quads from the scene's own
 * distance-field atlas (when mh_sign_text.glyph is given). The material the
 * glyph quads' chunks use (made with the atlas on first use); sign s's text
 * into the open chunk (which has that material), xf placing the sign (its
 * centre, facing +Z); the atlas into the scene as a texture and the
 * material's once the signs are all made (false when out of memory); and
 * the atlas freed (mh_scene_free, after a failed build). */
int mh_scene_sign_material(mh_scene *sc);
void mh_scene_sign_glyphs(mh_scene *sc, mh_sign_text text, const mh_sign_desc *s, mh_mat4 xf);
bool mh_scene_finish_signs(mh_scene *sc);
void mh_scene_free_signs(mh_scene *sc);
/* Notes that chunks [first, end) (a landmark) turn about a vertical axis
 * through centre; nothing if they already move or deg_per_s is 0. */
void mh_scene_note_turn(mh_scene *sc, int first_chunk, int end_chunk, mh_vec3 centre, float deg_per_s);
/* Gives every noted landmark its motion (after the levels of detail and copies). */
void mh_scene_start_turns(mh_scene *sc);
/* Places the turning landmarks at sc->clock (every frame; no allocation). */
void mh_scene_place_turns(mh_scene *sc);
/* The size a moving part's level of detail is picked by (its chunk's
 * lod_size): its box at rest's largest side, times its matrix's largest
 * scale. A turn leaves it as it is; the box's world bounds do not (up to
 * half as wide again at 45 degrees), and a level picked by them flipped
 * back and forth as the part turned. */
float mh_scene_motion_size(const mh_scene_motion *mo);

/* Adds the model at path. False when it does not load (err says why). */
bool mh_scene_add_model(mh_scene *sc, const char *path, const mh_scene_place *pl, mh_error *err);

#endif
