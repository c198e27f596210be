/* mh_scene.h - the hall as the renderer and the walker see it.
 *
 * mh_scene_build turns a hall description into: one mesh, mostly static in
 * world space, split into chunks (a range of indices, one material, a
 * bounding box for culling), the materials and textures those chunks use
 * (hall PNGs, baked signs, the models' PBR textures), the rigs that animate
 * models, and the collision world. The CPU copies of the mesh and pixels
 * can be released once uploaded. */
#ifndef MH_SCENE_H
#define MH_SCENE_H

#include <stdbool.h>
#include <stdint.h>

#include "../asset/mh_gltf.h"
#include "../asset/mh_hall_load.h"
#include "../asset/mh_png.h"
#include "../core/mh_arena.h"
#include "mh_collide.h"
#include "mh_mesh.h"

#define MH_SCENE_GROUP_HALL (-1)
#define MH_SCENE_GROUP_PROXY (-2) /* a grid's proxy of far booths (mh_scene_grid.c): drawn only by culling's choice */

/* A texture a material samples: RGBA8 pixels, colour (sRGB: base colour,
 * emissive) or data (linear: metallic-roughness, normal, occlusion), with
 * glTF's sampler values. */
typedef struct mh_scene_texture {
    int width, height;
    uint8_t *rgba;              /* RGBA8, malloc'ed; NULL once released */
    bool srgb;                  /* colour (sRGB-encoded) rather than data */
    int wrap_s, wrap_t;         /* MH_GLTF_WRAP_* (the GL enums); 0 = repeat */
    int min_filter, mag_filter; /* MH_GLTF_FILTER_*; 0 = the renderer's choice (trilinear, or
                                     bilinear on one mip level on a CPU rasteriser) */
    float sign_rect[4];         /* a sign's texture: the part of its sign it holds (u0, v0, u1, v1,
                                   v down); all 0: the whole */
    int channels;               /* bytes a texel: 0 or 4 = RGBA8; 1 = R8 (the signs' distance field, not sRGB) */
} mh_scene_texture;

/* ---- materials: glTF 2.0 metallic-roughness ---------------------------------
 * A material holds what cannot vary per vertex: its textures (each with its
 * TEXCOORD set and KHR_texture_transform), emissive, normal scale,
 * occlusion strength, alpha mode, sidedness, unlit. The base colour,
 * metallic and roughness factors (and the hall's glow and baked occlusion)
 * go into the vertices (mh_vertex.color, .params) where the shader
 * multiplies them with the textures, so materials that differ only in
 * those factors are one material and one draw call. Material 0 is the
 * plain one (no texture, opaque, single-sided): the hall's untextured
 * surfaces and factor-only model materials. */
typedef enum mh_tex_slot {
    MH_TEX_BASE,
    MH_TEX_METAL_ROUGH,
    MH_TEX_NORMAL,
    MH_TEX_OCCLUSION,
    MH_TEX_EMISSIVE,
    MH_TEX_SLOTS
} mh_tex_slot;

typedef enum mh_alpha_mode { MH_ALPHA_OPAQUE, MH_ALPHA_MASK, MH_ALPHA_BLEND } mh_alpha_mode;

typedef struct mh_material_slot {
    int texture;    /* into scene.textures; -1: none */
    int set;        /* 0 or 1: TEXCOORD_0 (mh_vertex.uv) or TEXCOORD_1 (.uv1) */
    float xform[6]; /* uv' = M (u, v, 1), column-major 3x2 as mh_gltf_texture_ref.transform */
} mh_material_slot;

typedef struct mh_material {
    mh_material_slot slots[MH_TEX_SLOTS];
    float emissive[3];  /* linear, times KHR_materials_emissive_strength */
    float normal_scale; /* normalTexture.scale */
    float occlusion_strength;
    float alpha_cutoff; /* MASK */
    mh_alpha_mode alpha_mode;
    bool double_sided;
    bool unlit; /* KHR_materials_unlit */
    /* the emissive texture (a hall's baked light) is also in the vertices'
     * tangent xyz (linear, snorm16, mh_scene_bake.c): the renderer adds that
     * per vertex and skips the texture fetch; the export writes the texture */
    bool vertex_emissive;
    /* the polished floor under its baked light (mh_scene_bake.c): at quality high it also
     * shows the hall mirrored in it (mh_render_reflect.c) and its baked reflection fades */
    bool reflects;
    bool sdf; /* the base texture's red is a signed distance field (sign text, edge at 0.5): it gives the
                 coverage (alpha), the vertex colour the colour */
} mh_material;

/* The plain material (no textures, identity transforms, opaque). */
mh_material mh_material_plain(void);
/* The same material but for how it is drawn (vertex_emissive). */
bool mh_material_same_look(const mh_material *a, const mh_material *b);
/* The slot samples a texture. */
static inline bool mh_material_has(const mh_material *m, mh_tex_slot s) { return m->slots[s].texture >= 0; }

/* ---- what moves: animated models, skins, morph targets, their lights ---------
 * A model that plays an animation, is skinned, morphs or has its own
 * punctual lights is a rig: its node tree, skins and animations are kept
 * (copied into the scene's arena, without meshes or images), and
 * mh_scene_animate poses it each frame with no allocation. Its static parts
 * are still baked into world space; a part an animation moves keeps its
 * vertices in model space and a matrix per frame (a motion). */
#define MH_SCENE_LIGHTS 4 /* KHR_lights_punctual lights per exhibit model; more are ignored (a warning) */
#define MH_MORPH_ACTIVE 8 /* morph targets blended per primitive: the 8 with the largest weights */

typedef struct mh_scene_light {
    int type;                   /* mh_gltf_light_type */
    int node;                   /* the glTF node holding it */
    float color[3];             /* linear colour times intensity (candela, or lux for directional) */
    float range;                /* 0: infinite */
    float cos_inner, cos_outer; /* spot cone */
    mh_vec3 pos, dir;           /* world, this frame (dir: where the light shines) */
} mh_scene_light;

typedef struct mh_scene_rig {
    mh_gltf_model model; /* the node tree, skins, animations and weights only */
    mh_gltf_pose pose;
    int animation; /* playing, in a loop; -1: the rest pose */
    float time;    /* seconds into the animation */
    mh_mat4 place; /* model space -> world */
    mh_scene_light lights[MH_SCENE_LIGHTS];
    int light_count;
    bool posed; /* the pose is computed (a rig without animation poses once) */
} mh_scene_rig;

/* A chunk that moves: the matrix that places its vertices this frame, and
 * its skin's joints or morph weights. */
typedef struct mh_scene_motion {
    int rig;              /* into scene.rigs */
    int node;             /* the glTF node whose mesh this is */
    int skin;             /* the node's skin, -1 */
    mh_mat4 world;        /* model-space vertices -> world, this frame */
    mh_aabb local_bounds; /* the vertices at rest, in model space */
    float (*joints)[12];  /* skin: joint_count matrices this frame, 3 rows of 4 (row-major, affine) */
    int joint_count;
    /* morph targets: deltas for the renderer (a float texture: target t,
     * vertex v at texel 2 (t * vertex_count + v), position then normal) */
    float *morph_deltas; /* RGBA32F texels, malloc'ed; NULL once uploaded (or none) */
    int morph_width, morph_height;
    int target_count;
    int first_weight; /* the node's weights in the rig's pose */
    uint32_t first_vertex, vertex_count;
    int active_count; /* this frame: the targets with the largest weights */
    int active[MH_MORPH_ACTIVE];
    float active_weight[MH_MORPH_ACTIVE];
} mh_scene_motion;

#define MH_SCENE_LODS 2 /* coarser levels per detailed chunk (landmarks) */

typedef struct mh_scene_chunk {
    uint32_t first_index, index_count;
    uint32_t lod_first[MH_SCENE_LODS], lod_count[MH_SCENE_LODS]; /* count 0: no such level */
    int material;                                                /* into materials; 0 is the plain one */
    int group;      /* booth index, MH_SCENE_GROUP_HALL or MH_SCENE_GROUP_PROXY */
    int rig;        /* the model whose lights shine on it, -1 */
    int motion;     /* into motions, -1: static, vertices in world space */
    mh_aabb bounds; /* world; moving chunks: updated by mh_scene_animate */
    /* the size its level of detail is picked by (mh_cull_pick_lod): 0, its
     * box's largest side; a moving part's is kept by mh_scene_animate as
     * its size at rest (mh_scene_motion_size), so that its level does not
     * change as its box turns */
    float lod_size;
    bool hidden; /* not drawn: a streamed booth's stand-in while its model is in (engine/mh_stream.c) */
} mh_scene_chunk;

/* A closed room of chunks (a storey of a stacked hall): from inside its
 * interior nothing of the other cells can be seen, so only its own chunks
 * [first_chunk, end_chunk) need drawing. */
typedef struct mh_scene_cell {
    mh_aabb interior;
    int first_chunk, end_chunk;
} mh_scene_cell;

/* A hall with many booths on one floor (at least MH_SCENE_GRID_MIN_BOOTHS,
 * no storeys) gets a uniform grid (mh_scene_grid.c), so culling follows
 * what is near rather than what exists: tiles of MH_SCENE_TILE_M metres,
 * blocks of MH_SCENE_BLOCK_TILES x MH_SCENE_BLOCK_TILES tiles. Each tile
 * and block has a proxy chunk (its booths' back walls and header boxes,
 * plain, one draw; a block's proxy spans its tiles' proxies' indices). A
 * frame draws a block's proxy beyond MH_SCENE_FAR_M, a tile's beyond
 * MH_SCENE_NEAR_M (distances from the eye to their boxes), and the booths'
 * own chunks nearer. */
#define MH_SCENE_GRID_MIN_BOOTHS 64
#define MH_SCENE_TILE_M 12.0f
#define MH_SCENE_BLOCK_TILES 4
#define MH_SCENE_NEAR_M 24.0f
#define MH_SCENE_FAR_M 48.0f

typedef struct mh_scene_tile {
    mh_aabb bounds; /* its booths' chunks */
    int first, end; /* a tile: into grid.booths; a block: into grid.tiles */
    int proxy;      /* the chunk that stands for all of it, one draw */
} mh_scene_tile;

typedef struct mh_scene_grid {
    int *booth_chunks; /* per booth: its chunks [2b, 2b+1) (every one-floor hall) */
    int hall_end;      /* with tiles: chunks [0, hall_end) are the hall's own (architecture, stage, signs) */
    int *booths;       /* booth indices, tile by tile */
    mh_scene_tile *tiles, *blocks;
    int tile_count, block_count;
} mh_scene_grid;

/* A glTF camera of a model shown alone (render --model --camera NAME). */
typedef struct mh_scene_camera {
    char name[64];
    mh_mat4 world;           /* the camera looks along its -Z, +Y up */
    float yfov, znear, zfar; /* radians, metres; zfar 0 = infinite */
} mh_scene_camera;
#define MH_SCENE_CAMERAS 8

/* A landmark turning on its plinth: its chunks [first, end) move with one
 * motion turning them about a vertical axis through centre. */
typedef struct mh_scene_turn {
    int first_chunk, end_chunk;
    int motion; /* -1 until mh_scene_build gives it one */
    mh_vec3 centre;
    float rad_per_s;
} mh_scene_turn;

/* Who watches a scene's textures while it is built on another thread
 * (mh_scene_build_watched): added(user, sc, i) as texture i is added (its
 * pixels and fields do not change after that, and stay until released);
 * releasing(user) before the scene frees any texture's pixels
 * (mh_scene_release_cpu, mh_scene_free). Both on the building thread. */
struct mh_scene;
typedef struct mh_scene_watch {
    void (*added)(void *user, const struct mh_scene *sc, int texture);
    void (*releasing)(void *user);
    void *user;
    int threads; /* the threads the levels of detail may be made on (mh_parallel_for); 0, 1: this one */
} mh_scene_watch;

typedef struct mh_scene {
    mh_mesh_data mesh;
    mh_scene_chunk *chunks;
    int chunk_count, chunk_cap;
    mh_scene_texture *textures;
    int texture_count, texture_cap;
    mh_material *materials;
    int material_count, material_cap;
    mh_scene_rig *rigs;
    int rig_count, rig_cap;
    mh_scene_motion *motions;
    int motion_count, motion_cap;
    mh_arena anim_arena;  /* the rigs' models, poses and joint matrices */
    mh_scene_turn *turns; /* landmarks that turn (exhibit.json "turn") */
    int turn_count, turn_cap;
    double clock;         /* seconds the scene has been animated: where turning landmarks are */
    mh_scene_cell *cells; /* none for a single hall; one per storey when stacked */
    int cell_count;
    mh_scene_grid grid; /* tiles only for a floor of many booths */
    int *stand_ins;     /* hall.json "streaming": booth i's stand-in chunks [2i, 2i+1) to hide
                           while its model is in (an empty range: its landmark shapes stay) */
    mh_collide_world collide;
    mh_aabb bounds;
    mh_aabb model_bounds;                      /* the models' rest-pose boxes as a viewer frames them: every primitive's
                               POSITION box moved by its node (a skinned one's as it is), placed */
    mh_scene_camera cameras[MH_SCENE_CAMERAS]; /* the models' own cameras */
    int camera_count;
    /* build-time bookkeeping */
    uint32_t open_chunk_first_vertex;
    int *sign_textures;               /* storey 0's baked signs, reused above */
    struct mh_sign_atlas *sign_atlas; /* the signs' glyphs while the scene is built (mh_scene_signs.c) */
    int *hall_materials;              /* the hall's textures' materials */
    int shadow_material;              /* the contact shadows' (0: not made yet) */
    struct mh_bake *bake;             /* the hall's baked light while the hall is built (below), NULL: none */
    mh_scene_watch watch;             /* mh_scene_build_watched's, until the watcher clears it */
} mh_scene;

/* Poses every rig dt seconds further (animations loop), then places the
 * moving chunks, their skins, morph weights, bounds and the rigs' lights.
 * No allocation. */
void mh_scene_animate(mh_scene *sc, float dt);
/* Poses every rig at t seconds into its animation (wrapped as it loops),
 * and turns the turning landmarks to where they are at t. */
void mh_scene_set_time(mh_scene *sc, float t);

/* One glyph as a signed distance field (edge at 0.5, R8 rows of `pitch`
 * bytes; NULL or 0 x 0 for a space), rasterised at mh_sign_text.glyph_px:
 * its box from the pen on the baseline (left, top: pixels right and up) and
 * the pen's advance, pixels. Or, with `coverage` instead of `sdf`, the
 * anti-aliased glyph the field is to be made of (mh_sign_text.field:
 * coverage_w x coverage_h bytes, rows coverage_pitch apart, `spread` pixels
 * of field round it, so width = coverage_w + 2 spread and the same for the
 * height): the scene makes the fields on a thread of its own while it goes
 * on building (mh_scene_signs.c). */
typedef struct mh_sign_glyph {
    const uint8_t *sdf;
    int width, height, pitch;
    int left, top;
    float advance;
    const uint8_t *coverage;
    int coverage_w, coverage_h, coverage_pitch, spread;
} mh_sign_glyph;

/* How signs get their text: draw_line draws one line of UTF-8 centred on cx
 * with its top at top_y (pixels), at most max_w wide, blending `color`
 * (sRGB bytes) over img. engine/text's FreeType fonts give one
 * (mh_font_sign_text); without draw_line signs show their background only.
 * With `glyph` as well (mh_font_sign_sdf), signs are not baked: their text
 * is glyph quads over a plain background, the glyphs from one distance-field
 * atlas of the scene's own (mh_scene_signs.c); `glyph` gives cp's field
 * or its coverage (valid until the next call; false: nothing to draw, not
 * even an advance), `field` makes a field of a coverage, ascender and
 * descender are the font's at glyph_px (pixels, both >= 0). */
typedef struct mh_sign_text {
    void (*draw_line)(void *font, mh_image *img, const char *utf8, int px, int cx, int top_y, int max_w,
                      const uint8_t color[3]);
    bool (*glyph)(void *font, uint32_t cp, mh_sign_glyph *out);
    /* makes a field from a glyph's coverage (mh_sdf_from_coverage's
     * contract: (w + 2 spread) x (h + 2 spread) bytes into out; false: out
     * of memory), for the glyphs `glyph` gives as coverage; called on the
     * atlas's own thread as well: it may read only its arguments */
    bool (*field)(const uint8_t *coverage, int w, int h, int pitch, int spread, uint8_t *out);
    void *font;
    int glyph_px;
    float ascender, descender;
    /* a fact's amount as a visitor reads it (zh: 3500亿元; else English:
     * 350 billion yuan), by the interface's rules (mh_units); NULL: the
     * booths' back walls show no key figures */
    void (*amount)(const mh_fact *f, bool zh, char *out, size_t size);
} mh_sign_text;

/* Without text.draw_line the signs show no text (and a warning says so). */
bool mh_scene_build(mh_scene *sc, const mh_hall_desc *hall, mh_sign_text text, mh_arena *arena, mh_error *err);
/* The same, telling `watch` of each texture as it is made (the engine's
 * start uploads them while the rest is built); the watcher clears
 * sc->watch when it stops watching. */
bool mh_scene_build_watched(mh_scene *sc, const mh_hall_desc *hall, mh_sign_text text, mh_scene_watch watch,
                            mh_arena *arena, mh_error *err);
/* The stage's featured exhibit at large scale, a scene of its own (no
 * colliders: the stage's are in the hall). Fails when the exhibit is not in
 * the hall, did not load, or its landmark model does not load: the caller
 * keeps showing what it had. Safe on any thread (reads files, no GL). */
bool mh_scene_build_feature(mh_scene *sc, const mh_hall_desc *hall, const char *exhibit_id, mh_error *err);
/* hall.json "streaming": whether booth i's landmark model streams (the hall
 * streams, its exhibit loaded and has a model, it is not a copy); then
 * mh_scene_build leaves the model out and puts a stand-in on the plinth. */
bool mh_scene_booth_streams(const mh_hall_desc *hall, int i);
/* Where booth i's landmark stands (its plinth's top centre, world). */
mh_vec3 mh_scene_booth_plinth(const mh_hall_desc *hall, int i);
/* Booth i's landmark model alone, where the merged one would stand (turning
 * as it would: mh_scene_set_time to the hall's clock puts it in step), a
 * scene of its own for streaming. Safe on any thread (reads files, no GL). */
bool mh_scene_build_booth_model(mh_scene *sc, const mh_hall_desc *hall, int i, mh_error *err);
/* A model alone (metahall view, render --model): its default scene in its
 * own coordinates, at its real size, playing `animation` (the values of
 * mh_exhibit_desc.animation). */
typedef struct mh_scene_model_desc {
    const char *path;
    const char *root; /* files must resolve inside this folder; NULL: the model's own */
    int animation;
    const char *animation_name;
} mh_scene_model_desc;
bool mh_scene_build_model(mh_scene *sc, const mh_scene_model_desc *desc, mh_error *err);
/* The two signs of a booth's back wall for an exhibit: the header (its short
 * names) and the panel below it (names, city, tagline); validate measures
 * their text. */
void mh_scene_booth_signs(const mh_hall_desc *hall, const mh_exhibit_desc *x, mh_sign_desc *header,
                          mh_sign_desc *panel);
/* A booth's key figure on its back wall (side -1 left, +1 right, booth
 * space): fact f's figure zh and en (mh_fact_format_figure: its amount,
 * text or date) and its wall captions, in the outer part of the wall, flush with its edge; the
 * lines' colours are left black (the scene picks them by the wall). */
void mh_scene_booth_figure(const mh_hall_desc *h, int side, const mh_fact *f, const char *zh, const char *en,
                           mh_sign_desc *out);
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

/* ---- baked light (mh_scene_bake.c) -----------------------------------------
 * What assets/generator (mh_lightbake.c) ray-casts at asset build time and
 * the scene applies when it builds the hall. A hall folder may hold
 * light.json ("format": "metahall-light/1") naming a floor lightmap (an RGBA
 * PNG over the top face of the hall's floor box): rgb is light the floor gets
 * from the hall's glowing surfaces (ceiling panels, LED wall, light boxes,
 * signs), a soft bounce plus a blurred reflection of them in the polished
 * stone, added as the floor material's emissive texture on TEXCOORD_1; a is
 * the ambient occlusion (255 = open floor), put into the vertices (params[3])
 * of the floor and the carpets on it, laid as grids (no per-pixel cost). The
 * rgb rides in the grid's vertices too (tangent xyz): a cell whose light its
 * corners carry within a few sRGB levels (most of the floor: the pools are
 * smooth) is drawn from them without a texture fetch (a material with
 * vertex_emissive), the rest (shadow edges, reflected strips and dots) with
 * the lightmap's fetch; the export writes both as the lightmapped material.
 * light.json carries the key of the hall.json it was baked from: a bake of
 * another hall.json is stale, logged and ignored.
 */
#define MH_BAKE_FILE "light.json"
#define MH_BAKE_FORMAT "metahall-light/1"
/* the floor grid's cell (vertices carrying the occlusion), metres: a finer
 * one costs llvmpipe more in triangles than it shows; the lightmap's texel */
#define MH_BAKE_GRID_M 1.0f
#define MH_BAKE_TEXEL_M 0.25f

/* The walls' baked light (light.json's optional "walls"): the hall's walls
 * (unrotated boxes at least MH_BAKE_WALL_MIN_H tall and MH_BAKE_WALL_MIN_D
 * thick that do not glow) have their sides that face into the floor's
 * rectangle laid as grids, and so has the round side of a column (a
 * straight upright cylinder as tall, on the floor's rectangle), columns MH_BAKE_WALL_COL_M apart and rows finer
 * near the floor (mh_bake_wall_rows), whose vertices carry the baked
 * occlusion (params[3]) and the light the glowing surfaces spill on them
 * (tangent xyz, drawn as vertex_emissive: no fetch). The values sit one texel
 * a vertex in an atlas PNG (each face a block with a one-texel border), which
 * is the material's emissive texture on TEXCOORD_1 for the export. */
#define MH_BAKE_WALL_MIN_H 3.0f
#define MH_BAKE_WALL_MIN_D 0.2f
#define MH_BAKE_WALL_COL_M 1.0f
#define MH_BAKE_WALLS_MAX 48
#define MH_BAKE_FACE_ROUND 6 /* a column's side (a cylinder's), round its axis from +z */
#define MH_BAKE_WALL_ROWS_MAX 24

typedef struct mh_bake_face {
    int shape, face; /* architecture shape, box face (mh_mesh_box_face: 0 +x, 1 -x, 4 +z, 5 -z) or MH_BAKE_FACE_ROUND */
    int cols, rows;  /* vertices along the face's u (across; a column's: its segments + 1) and v (up) */
    int x, y;        /* vertex (i, j) is atlas texel (x + i, y + j) */
    float base;      /* the face's foot over the floor, metres (not in light.json: from the hall) */
} mh_bake_face;

/* The booths' back walls (light.json's optional "booths"), baked once per
 * booth template in the booth's own frame (one booth of it alone on the
 * floor: its parts and the floor plane), so every booth of the template
 * shares them and a hall of many booths adds no data: the front face (+z)
 * of the template's back wall (mh_bake_booth_wall) is laid as a grid,
 * columns about MH_BAKE_BOOTH_COL_M apart and mh_bake_wall_rows' rows,
 * whose vertices carry the occlusion (params[3]) and the light its own
 * glowing parts spill on it, split by role: `fixed` (linear rgb, from
 * parts of a fixed colour) and `accent` (per unit of the booth's accent
 * colour, from its accent parts), both before the wall's albedo. The
 * runtime tints the accent term by each booth's accent, multiplies by the
 * wall's colour and puts the result in the vertices (tangent xyz,
 * vertex_emissive: no fetch) and in a small atlas, a block a booth (the
 * export's emissive map on TEXCOORD_1). An entry names its template and a
 * key of the template's parts (mh_bake_booth_key): one that does not match
 * the hall's template is ignored with a log line. */
#define MH_BAKE_BOOTH_COL_M 0.4f
#define MH_BAKE_BOOTH_COLS_MAX 24

typedef struct mh_bake_booth {
    int part;       /* the back wall: index into the template's parts, -1 when not baked */
    int cols, rows; /* the grid's vertices across (u) and up (v) */
    float *terms;   /* per vertex, row by row: occlusion, fixed rgb, accent (5 floats); malloc'ed */
} mh_bake_booth;

/* A loaded bake: the lightmap over the floor shape's top face. */
typedef struct mh_bake {
    int floor_shape;  /* index into mh_hall_desc.shapes */
    mh_vec2 min, max; /* the face's (x, z) extent: texel (0, 0) at min */
    float y;          /* its height */
    int width, height;
    uint8_t *rgba; /* malloc'ed until it becomes the scene's texture */
    int texture;   /* into scene.textures once there (mh_scene_use_bake), else -1 */
    /* per texel, made by mh_scene_use_bake (the texture may be uploaded and
     * its rgba freed while the hall is built): linear rgb and occlusion
     * (4 floats), and the rgb smoothed over 3x3 texels (3 floats) */
    float *light, *even;
    /* the walls (wall_count 0: not baked): their faces, the atlas (RGBA8:
     * sRGB light, linear occlusion) until it is the scene's texture, and
     * its texels decoded (linear rgb and occlusion, 4 floats) */
    int wall_count;
    mh_bake_face walls[MH_BAKE_WALLS_MAX];
    int walls_width, walls_height;
    uint8_t *walls_rgba;
    int walls_texture;
    float *walls_light;
    /* the booths' back walls per template (hall order; part -1: none), and
     * once the scene has them (mh_bake_use_booths) the atlas of every
     * ground-storey booth's light (a block of the largest grid's cols + 2
     * by rows + 2 texels a booth, under two black rows: texel (0, 0) is
     * black for the booth's other parts) and the booths' material */
    mh_bake_booth booths[MH_MAX_BOOTH_TEMPLATES];
    int booth_texture, booth_material, booth_atlas_w, booth_atlas_h, booth_block_w, booth_block_h, booth_blocks_across;
} mh_bake;

/* The key of <hall_dir>/hall.json: FNV-1a of its bytes and the bake's
 * format; 0 when the file cannot be read. */
uint64_t mh_bake_key(const char *hall_dir);
/* The architecture shape the floor lightmap covers: the largest unrotated
 * textured box whose top is at y = 0 (the floor visitors walk on), -1 none. */
int mh_bake_floor_shape(const mh_hall_desc *h);
/* The floor shape's top face: min and max (x, z) and its height. */
void mh_bake_floor_rect(const mh_hall_desc *h, int shape, mh_vec2 *min, mh_vec2 *max, float *y);
/* The faces of the hall's walls that get baked light, in the atlas's order
 * (at most MH_BAKE_WALLS_MAX), and the atlas's size; 0 when none or the
 * hall has no floor to bake. The bake and the runtime both lay them out
 * with this, so light.json's list must equal it. */
int mh_bake_wall_faces(const mh_hall_desc *h, mh_bake_face *out, int *atlas_w, int *atlas_h);
/* The heights (metres above its foot, from 0 to height) of the vertex rows
 * of a wall face whose foot is `base` over the floor: at the same heights
 * over the floor on every wall (neighbouring faces meet row for row), close
 * together near the floor, where the occlusion changes, wider above; how
 * many (at most MH_BAKE_WALL_ROWS_MAX). */
int mh_bake_wall_rows(float base, float height, float *out);
/* Face f's vertex (i, j) in the world, and the face's normal. */
void mh_bake_wall_point(const mh_hall_desc *h, const mh_bake_face *f, int i, int j, mh_vec3 *pos, mh_vec3 *normal);
/* The template's back wall: its largest upright unrotated box that does
 * not glow, at least MH_BAKE_WALL_MIN_H tall and wider than deep; -1 none. */
int mh_bake_booth_wall(const mh_booth_template *t);
/* The back wall's grid (part = mh_bake_booth_wall): its columns; its rows'
 * heights over its foot into rows_out (mh_bake_wall_rows) and how many. */
int mh_bake_booth_grid(const mh_booth_template *t, int part, float *rows_out, int *rows);
/* Vertex (i, j) of that grid in the booth's frame, and the face's normal. */
void mh_bake_booth_point(const mh_booth_template *t, int part, int cols, const float *rows, int i, int j, mh_vec3 *pos,
                         mh_vec3 *normal);
/* A key of the template's parts (their shapes, roles, shades and
 * colours) and its back wall's grid: a stale bake's entry differs. */
uint64_t mh_bake_booth_key(const mh_booth_template *t);
/* Reads the hall's light.json and lightmap. False (and out->rgba NULL) when
 * there is none (logged at info), it is stale or broken (a warning saying
 * why), or the hall is not as loaded (a benchmark's spread hall; a stacked
 * one has it on its ground storey, which is the hall). */
bool mh_bake_load(const mh_hall_desc *h, mh_bake *out);
void mh_bake_free(mh_bake *b);

/* Hands the bake's lightmap to the scene (b->rgba becomes a scene texture)
 * and keeps b as sc->bake while the hall is built; b NULL ends that. */
void mh_scene_use_bake(mh_scene *sc, mh_bake *b);
/* A box (as mh_mesh_add_box) lying on the floor: with a bake, its top face
 * is laid as a grid of MH_BAKE_GRID_M cells whose vertices carry the baked
 * occlusion and light, in two chunks of base_material plus the lightmap as
 * emissive texture on TEXCOORD_1, one drawn with the vertices' light (its
 * smooth cells), one with the fetch (a rough box, a carpet, takes the
 * occlusion alone);
 * the rest of the box goes into base_material's.
 * Without a bake, or a box whose top is not at the floor's height, a plain
 * box in base_material. Opens the chunks it needs (group: the hall). */
void mh_scene_add_floor_box(mh_scene *sc, mh_mat4 xf, mh_vec3 size, mh_surface surf, int base_material);
/* Architecture shape `shape` (storey 0) when the bake has faces of it: the
 * box without those faces (the column without its side), into the open chunk; false (nothing added) when
 * it is not a baked wall. */
bool mh_scene_add_wall_box(mh_scene *sc, const mh_hall_desc *h, int shape);
/* The baked walls' faces as grids carrying their light, a chunk each (its
 * shape's material with the atlas as emissive texture, drawn per vertex). */
void mh_scene_add_wall_faces(mh_scene *sc, const mh_hall_desc *h);
/* With sc->bake's booth light: the atlas of every booth's back-wall light
 * (tinted by its accent) as a texture and the booths' material (material 0
 * plus it, drawn per vertex); nothing when no template is baked. */
void mh_bake_use_booths(mh_scene *sc, const mh_hall_desc *h);
/* Booth `booth`'s parts (its template's, placed by xf, coloured by
 * accent) into the open chunk; when its template has baked light (a booth
 * of the ground storey) without its back wall's front face (true). */
bool mh_scene_add_booth_parts(mh_scene *sc, const mh_hall_desc *h, int booth, mh_mat4 xf, mh_vec3 accent);
/* That face, as the booth at xf lays it, as the template's baked grid in a
 * chunk of its own (the booths' material, drawn per vertex); nothing
 * without baked light. */
void mh_scene_add_booth_wall(mh_scene *sc, const mh_hall_desc *h, int booth, mh_mat4 xf);

#endif
