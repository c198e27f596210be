/* mh_scene.h - the hall as the renderer and the walker see it.
 *
 * mh_scene_build turns a hall description into: one static mesh in world
 * space split into chunks (a range of indices, one texture, a bounding box
 * for culling), the textures those chunks use (hall PNGs and baked signs),
 * and the collision world. The CPU copies can be released once uploaded. */
#ifndef MH_SCENE_H
#define MH_SCENE_H

#include <stdbool.h>
#include <stdint.h>

#include "../asset/mh_hall_load.h"
#include "../core/mh_arena.h"
#include "../asset/mh_png.h"
#include "mh_collide.h"
#include "mh_mesh.h"

#define MH_SCENE_GROUP_HALL (-1)

typedef struct mh_scene_texture {
    int width, height;
    uint8_t *rgba;        /* sRGB RGBA8, malloc'ed; NULL once released */
    bool repeat;          /* wrap (tiles) or clamp (signs) */
} mh_scene_texture;

#define MH_SCENE_LODS 2   /* coarser levels per detailed chunk (landmarks) */

typedef struct mh_scene_chunk {
    uint32_t first_index, index_count;
    uint32_t lod_first[MH_SCENE_LODS], lod_count[MH_SCENE_LODS];   /* count 0: no such level */
    int texture;          /* index into textures; 0 is plain white */
    int group;            /* booth index, or MH_SCENE_GROUP_HALL */
    mh_aabb bounds;
} mh_scene_chunk;

/* A closed room of chunks (a storey of a stacked hall): from inside its
 * interior nothing of the other cells can be seen, so only its own chunks
 * [first_chunk, end_chunk) need drawing. */
typedef struct mh_scene_cell {
    mh_aabb interior;
    int first_chunk, end_chunk;
} mh_scene_cell;

typedef struct mh_scene {
    mh_mesh_data mesh;
    mh_scene_chunk *chunks;
    int chunk_count, chunk_cap;
    mh_scene_texture *textures;
    int texture_count, texture_cap;
    mh_scene_cell *cells;   /* none for a single hall; one per storey when stacked */
    int cell_count;
    mh_collide_world collide;
    mh_aabb bounds;
    uint32_t open_chunk_first_vertex;   /* build-time bookkeeping */
    int *sign_textures;                 /* build time: storey 0's baked signs, reused above */
} mh_scene;

/* How signs get their text: draw_line draws one line of UTF-8 centred on cx
 * with its top at top_y (pixels), at most max_w wide, blending `color`
 * (sRGB bytes) over img. engine/text's FreeType fonts give one
 * (mh_font_sign_text); without draw_line signs show their background only. */
typedef struct mh_sign_text {
    void (*draw_line)(void *font, mh_image *img, const char *utf8, int px, int cx, int top_y, int max_w,
                      const uint8_t color[3]);
    void *font;
} mh_sign_text;

/* Without text.draw_line the signs show no text (and a warning says so). */
bool mh_scene_build(mh_scene *sc, const mh_hall_desc *hall, mh_sign_text text, mh_arena *arena, mh_error *err);
/* The stage's featured exhibit at large scale, a scene of its own (no
 * colliders: the stage's are in the hall). Fails when the exhibit is not in
 * the hall, did not load, or its landmark model does not load: the caller
 * keeps showing what it had. Safe on any thread (reads files, no GL). */
bool mh_scene_build_feature(mh_scene *sc, const mh_hall_desc *hall, const char *exhibit_id, mh_error *err);
/* The two signs of a booth's back wall for an exhibit: the header (its short
 * names) and the panel below it (names, city, tagline); validate measures
 * their text. */
void mh_scene_booth_signs(const mh_hall_desc *hall, const mh_exhibit_desc *x, mh_sign_desc *header,
                          mh_sign_desc *panel);
/* A spot on a booth's back wall, in the hall: centre, right and up axes
 * (unit), size in metres. */
typedef struct mh_wall_spot {
    mh_vec3 center, right, up;
    float width, height;
} mh_wall_spot;
/* Where booth's first photo hangs (screen false; the scene draws it as a
 * texture of the booth) or its video screen (screen true; the engine draws
 * the video there). */
mh_wall_spot mh_scene_booth_spot(const mh_hall_desc *hall, int booth, bool screen);
/* Frees the CPU-side mesh and pixels (after the renderer uploaded them). */
void mh_scene_release_cpu(mh_scene *sc);
/* Frees everything the scene malloc'ed (chunks and texture list too; its
 * colliders live in the arena given to mh_scene_build). */
void mh_scene_free(mh_scene *sc);

/* Where a visitor stands to look at booth i: in front of it, facing it. */
void mh_scene_booth_view(const mh_hall_desc *hall, int booth, mh_vec2 *out_pos, float *out_yaw, float *out_pitch);

#endif
