/* mh_renderer_internal.h - what the renderer's files share (render/ only):
 * the renderer's state, one uploaded scene, the shader variants, and the
 * helpers one file defines for the others. mh_renderer.c draws frames,
 * mh_render_program.c builds and caches the lit shader's variants,
 * mh_render_upload.c uploads scenes and textures, mh_render_env.c holds the
 * image-based light and captures the hall into it, mh_render_ui.c draws
 * the interface overlay. */
#ifndef MH_RENDERER_INTERNAL_H
#define MH_RENDERER_INTERNAL_H

#include <GLES3/gl3.h>
#include <GLES2/gl2ext.h>

#include "../core/mh_pool.h"
#include "../scene/mh_cull.h"
#include "mh_renderer.h"

/* Texture units: one per material slot (mh_tex_slot), then the
 * environment cube, the morph deltas, the featured exhibit's shadow map and
 * the floor's planar reflection. */
enum { UNIT_ENV = MH_TEX_SLOTS, UNIT_MORPH, UNIT_SHADOW, UNIT_REFLECT, UNIT_COUNT };
/* Uniform block bindings. */
enum { BLOCK_FRAME, BLOCK_MATERIAL, BLOCK_VIEWS };

/* ---- shader variants: what a draw needs, as key bits ---------------------- */
#define V_TEX(slot) (1u << (slot)) /* bits 0-4: the material samples that texture */
#define V_UV_SHARED (1u << 5)      /* every texture reads one set through one transform */
#define V_MASK (1u << 6)
#define V_UNLIT (1u << 7)
#define V_DOUBLE_SIDED (1u << 8)
#define V_SKIN (1u << 9)
#define V_MORPH (1u << 10)
#define V_LIGHTS (1u << 11)
#define V_DISSOLVE (1u << 12)
#define V_SHADOW (1u << 13)               /* receives the featured exhibit's shadow map (mh_render_shadow.c) */
#define V_VERTEX_EMISSIVE (1u << 14)      /* the emissive texture's colour per vertex (mh_material.vertex_emissive) */
#define V_SDF (1u << 15)                  /* the base texture's red is a distance field: coverage (sign text) */
#define V_SET(slot) (1u << (16 + (slot))) /* bits 16-20: slot reads TEXCOORD_1 (shared: bit 16) */
#define V_SHARED_SLOT_SHIFT 24            /* bits 24-26: whose transform the shared one is */
#define V_MULTIVIEW (1u << 28)            /* both eyes in one pass (mh_render_multiview.c) */
#define V_REFLECT (1u << 29)              /* the polished floor samples the planar reflection (mh_render_reflect.c) */
#define MH_RENDER_MAX_VARIANTS 64

typedef struct lit_program {
    uint32_t key;
    GLuint id;
    GLint u_model, u_normal_matrix, u_joints, u_morph_info, u_morph_target, u_morph_weight;
    GLint u_light_pos, u_light_dir, u_light_color, u_light_cone, u_light_count, u_dissolve;
    GLint u_shadow_matrix, u_shadow_params;
    uint32_t shadow_stamp; /* V_SHADOW: its shadow uniforms are this draw stamp's */
    GLint u_reflect;
    uint32_t reflect_stamp; /* V_REFLECT: its u_reflect is this draw stamp's */
    const float *model;     /* what u_model holds now: NULL the identity, else a motion's matrix */
    uint32_t model_stamp;   /* ...as of this draw stamp (matrices change every frame) */
    const void *lights;     /* whose lights it holds, as of lights_stamp */
    uint32_t lights_stamp;
} lit_program;

/* The index ranges a chunk draws: its own, then its levels of detail. */
#define RANGES_PER_CHUNK (1 + MH_SCENE_LODS)

/* One uploaded scene (the hall, a featured exhibit): its buffers, textures,
 * material block and sort buffer, plus how far a gradual upload has got. */
/* A texture going up a few rows a frame: level 0 from the scene's pixels,
 * each further level averaged from the one above as its rows are due. */
typedef struct mh_tex_stream {
    GLuint id;         /* 0: none under way */
    int level, levels; /* the level going up, and how many the texture has */
    int row, w, h;     /* its next row, its size */
    uint8_t *above;    /* level >= 1: the level above's texels (level 1: the scene's own) */
    int above_w, above_h;
    uint8_t *texels; /* level >= 1: this level's, made row by row */
} mh_tex_stream;

/* A big scene's share of its vertices and the indices that use them, in
 * buffers of their own (mh_render_segment.c). */
typedef struct gpu_segment {
    GLuint vao, vbo, ibo;
    uint32_t first_vertex, vertex_count; /* its own run of the scene's vertices */
    uint32_t *extra;                     /* scene vertices beyond it its triangles use, copied after */
    uint32_t extra_count, extra_cap;
    uint32_t *indices; /* its index buffer (its own vertex numbers), freed once uploaded */
    uint32_t index_count;
    uint32_t index_size;            /* 2 (16-bit indices: no more than MH_RENDER_WINDOW vertices) or 4, once planned */
    size_t vertex_done, index_done; /* bytes uploaded */
    bool vbo_sized, ibo_sized;
} gpu_segment;

/* A range's triangles in one segment: [first, first + count) of its index
 * buffer, the unlit ones first. */
typedef struct gpu_part {
    int seg;
    uint32_t first, count, unlit;
} gpu_part;

/* A scene is cut into segments when it has more than this many bytes of
 * vertices, into segments of at most MH_RENDER_SEGMENT_BYTES of them
 * (counted as the scene's mh_vertex; packed with both streams, a segment's
 * buffer holds 48 bytes a vertex). */
#define MH_RENDER_SEGMENT_MIN (16u << 20)
#define MH_RENDER_SEGMENT_BYTES (2u << 20)

typedef struct mh_render_plan mh_render_plan;

typedef struct gpu_scene {
    bool complete;
    GLuint vao, vbo, ibo, skin_vbo, material_ubo;
    uint32_t second_lo, second_hi; /* the vertices with the second stream: those the chunks that read it use */
    GLuint (*window_vaos)[2];      /* per window (mh_render_index.c): without and with the second stream (0:
                                      none); [0][0] is vao */
    int window_count;
    uint32_t *range_at;        /* per range (chunk * RANGES_PER_CHUNK + level): its first index's byte offset */
    int16_t *range_window;     /* ...and its window, -1 for 32-bit indices (on window 0) */
    uint32_t (*range_span)[2]; /* ...and the lowest and highest vertex its indices name, as stored */
    GLuint *textures;
    int texture_count;
    GLuint *morphs; /* per motion: its deltas texture, 0 none */
    int motion_count;
    uint32_t *material_keys; /* per material: its variant bits */
    uint32_t *unlit_keys;    /* per material: its unlit variant's (for its unlit triangles) */
    uint32_t *unlit_counts;  /* per chunk, RANGES_PER_CHUNK: how many of a range's indices are unlit (first) */
    uint32_t *indices;       /* the index buffer as it goes to the GPU (unlit first; packed by
                                mh_render_index_pack: index_bytes of it), freed once uploaded */
    int *material_base;      /* per material: its base colour texture, -1 (the fill-rate floor's) */
    int material_count;
    mh_cull_item *items; /* per-frame sort buffer of the visible chunks, sized at creation */
    int item_cap, item_count;
    size_t vertex_bytes, index_bytes, skin_bytes, vertex_done, index_done, skin_done;
    bool vbo_sized, ibo_sized, skin_sized; /* their storage is made (at the first slice) */
    int allocations;                       /* buffers' and textures' storage made so far */
    int textures_done;
    mh_tex_stream stream;      /* the texture under way while a budget streams them (mh_render_stream.c) */
    bool texture_storage_next; /* the next step makes a texture's storage: it waits for a frame of its own */
    /* a big scene in segments (seg_count > 0; vao, vbo and ibo are then unused) */
    gpu_segment *segs;
    int seg_count, seg_done;
    gpu_part *parts;
    uint32_t *part_at;    /* per range (chunk * RANGES_PER_CHUNK + level): its parts [part_at[r], part_at[r + 1]) */
    mh_render_plan *plan; /* while its parts are being worked out, a share a step (NULL when done) */
    bool compiled;        /* its variants are compiled (after the plan) */
} gpu_scene;

/* one pass of shaders/bloom.frag: its uniforms */
typedef struct mh_render_bloom_pass {
    GLint u_src, u_texel, u_dir, u_strength;
} mh_render_bloom_pass;

struct mh_renderer {
    mh_renderer_desc desc;
    lit_program programs[MH_RENDER_MAX_VARIANTS];
    int program_count;
    mh_pool scene_pool; /* handles: slot + generation, so a stale one finds nothing */
    gpu_scene scenes[MH_RENDER_SCENES];
    GLuint frame_ubo;
    GLint ubo_align;  /* GL_UNIFORM_BUFFER_OFFSET_ALIGNMENT */
    GLuint plain_ubo; /* a plain material block (the fill-rate floor) */
    /* image-based light */
    GLuint env_cube;
    int env_levels;
    float env_sh[9][3];
    /* per frame */
    uint32_t stamp; /* counts draw passes, so per-program caches know what is stale */
    GLuint bound[UNIT_COUNT];
    bool cull_off; /* GL_CULL_FACE disabled for a double-sided material */
    /* offscreen target */
    GLuint msaa_fbo, msaa_color, msaa_depth, resolve_fbo, resolve_color;
    int samples, width, height;
    GLuint target_fbo; /* where the last frame went (a window's 0, a headset's swapchain image) */
    GLuint capture_fbo, capture_color, capture_depth;
    int capture_size;
    /* the visitor interface */
    GLuint ui_program, ui_vao, ui_vbo, atlas;
    uint32_t ui_vbo_cap;
    int atlas_size;
    GLuint images[MH_RENDER_UI_IMAGES + 1];
    int image_w[MH_RENDER_UI_IMAGES + 1], image_h[MH_RENDER_UI_IMAGES + 1]; /* streaming images' sizes */
    GLint u_ui_mvp, u_ui_sdf, u_ui_tex;
    GLuint ui_solid_program; /* opaque flat colours: no texture, no blending (ui.frag's MH_UI_SOLID) */
    GLint u_ui_solid_mvp;
    mh_render_ui ui_occluders;   /* this frame's interface, for its occluders (vertex_count 0: none) */
    bool ui_uploaded;            /* ui_occluders' triangles are in ui_vbo already */
    GLuint floor_vao, floor_vbo; /* the fill-rate floor's fullscreen quad (and the warm-up's) */
    GLuint warm_texture;         /* the start-up warm-up's sRGB texture (mh_render_warm.c) */
    GLuint warm_clamp;           /* one clamped to its edge, not a power of two (the hall's own) */
    GLuint warm_field;           /* an R8 one, for the signs' text (V_SDF) */
    GLuint warm_glow;            /* a power of two a side, clamped: the blended glows' */
    GLuint warm_vao;             /* floor_vbo's quad without the second vertex stream */
    /* post-processing (mh_render_post.c): the frame drawn into post_color, then FXAA into post_final */
    bool fxaa;                               /* the quality level asks for it (and the frame has no MSAA) */
    bool post_lean;                          /* the lean edge blend instead (quality low, no MSAA) */
    bool post_shared_depth;                  /* post_depth is msaa_depth: the pass runs before the interface */
    bool post_active, post_failed;           /* this frame goes through it; it could not be set up (logged) */
    GLuint post_fbo, post_color, post_depth; /* the frame's own target */
    GLuint post_program, post_vao, post_final;
    GLint u_post_color, u_post_texel;
    int post_w, post_h;
    char gl_name[160];
    float max_aniso;
    bool software; /* a CPU rasteriser: spend no fill rate on extras */
    /* both eyes in one pass (mh_render_multiview.c) */
    bool multiview;    /* a pair of views goes into the target's two layers in one pass */
    bool multiview_ok; /* the driver has GL_OVR_multiview2 (ui_mv is built) */
    bool multiview_tried;
    uint32_t pass_bits;        /* V_MULTIVIEW while a pass draws both eyes, else 0 */
    GLuint views_ubo;          /* lit.vert's Views block: both eyes' cameras */
    GLuint mv_color, mv_depth; /* an offscreen multiview target: 2-layer textures */
    GLuint ui_mv;              /* ui.vert with MH_MULTIVIEW */
    GLint u_ui_mv_mvp, u_ui_mv_sdf, u_ui_mv_tex;
    /* the featured exhibit's shadow map (mh_render_shadow.c, quality high) */
    GLuint shadow_fbo, shadow_tex, shadow_program;
    GLint u_shadow_mvp;
    bool shadow_failed;      /* could not be set up (logged once): no shadow */
    bool shadow_on;          /* this frame's draws near the exhibit receive it */
    bool shadow_valid;       /* the map holds shadow_hash's exhibit */
    uint64_t shadow_hash;    /* the caster's poses and the light the map was drawn with */
    mh_mat4 shadow_matrix;   /* world -> the map's texture coordinates and depth */
    mh_aabb shadow_recv;     /* where the shadow can fall: chunks touching it receive it */
    float shadow_params[12]; /* lit's u_shadow_params: normal offset (m), tap spacing (texture units);
                                the key light (points at it); the stage's centre (x, z) and radii it lights */
    int shadow_draws;        /* the last map's draw calls */
    /* the glow of light boxes (mh_render_bloom.c, quality high) */
    GLuint bloom_prog[3]; /* bright and down, blur, add */
    mh_render_bloom_pass bloom_pass[3];
    GLuint bloom_fbo[3], bloom_tex[3]; /* the frame's copy; two quarter-size targets */
    GLuint bloom_vao;
    int bloom_w, bloom_h;
    bool bloom_failed; /* could not be set up (logged once): no glow */
    /* the hall mirrored in the polished floor (mh_render_reflect.c, quality high) */
    GLuint reflect_fbo, reflect_tex, reflect_depth;
    int reflect_w, reflect_h;
    bool reflect_failed;     /* could not be set up (logged once): no reflection */
    bool reflect_pass;       /* the mirrored pass is drawing: no floor, no interface occluders */
    bool reflect_on;         /* this frame's floor samples reflect_tex */
    float reflect_params[8]; /* lit's u_reflect: the view's viewport (x, y, 1/w, 1/h); strength, the baked
                                pools kept, the blur (texture units), 0 */
    int reflect_draws;       /* the last mirrored pass's draw calls */
};

/* mh_render_program.c */
GLuint mh_render_link(const char *vs_src, const char *fs_src, const char *defines, const char *name, mh_error *err);
/* glReleaseShaderCompiler, when a program was linked since the last call. */
void mh_render_release_compiler(void);
/* The variant bits a material needs (without the chunk's skin, morph, lights, or dissolve). */
uint32_t mh_render_material_key(const mh_material *m);
/* The program for key: cached, or compiled now (NULL when it does not compile: logged once). */
lit_program *mh_render_program(mh_renderer *r, uint32_t key);
/* The variant a draw of key uses when its vertices have no second stream:
 * the tangent attribute is off, its constant 1, 1, 1, 1 (set at start-up),
 * so the baked-light-per-vertex variant's emissive light (u_emissive times
 * the tangent) is the material's own u_emissive. A lit key without an
 * emissive texture and reading nothing of the second stream (a normal map,
 * the second uv set, the baked light) becomes that variant: one program for
 * plain surfaces and for the floor's baked light, not two; any other key is
 * its own. */
uint32_t mh_render_shared_key(uint32_t key);
#define MH_RENDER_TANGENT_CONSTANT 1.0f /* the tangent attribute's value while its array is off */
void mh_render_programs_destroy(mh_renderer *r);

/* mh_render_upload.c */
void mh_render_srgb_tables(void);
void mh_render_downsample(const uint8_t *src, int w, int h, uint8_t *dst, int dw, int y0, int y1, bool srgb,
                          int channels);
/* A scene texture's bytes a texel (4, or 1 for an R8 distance field) and its storage format. */
int mh_render_texel_bytes(const mh_scene_texture *t);
GLenum mh_render_texture_format(const mh_scene_texture *t);
/* The bound texture's wrap, filters and anisotropy from t. */
void mh_render_texture_params(const mh_renderer *r, const mh_scene_texture *t);
/* mh_render_stream.c: the scene's textures a few rows at a time, within
 * *budget bytes (at least one row when nothing else went up this call). */
void mh_render_textures_stream(mh_renderer *r, gpu_scene *g, mh_scene *sc, size_t *budget, bool uploaded);
/* Frees the scene's own vertices and indices once the GPU has its copies
 * (their counts stay). */
void mh_render_release_mesh(const gpu_scene *g, mh_scene *sc);
/* Frees the stream's buffers and its unfinished texture. */
void mh_render_stream_free(gpu_scene *g);
/* Makes the bound buffer's storage (bytes, no data), logging its CPU cost
 * when big. */
void mh_render_buffer_storage(GLenum target, size_t bytes);
/* mh_render_segment.c: decides to cut a big scene into segments (1; its
 * parts are then worked out by the first steps of its upload), leaves a
 * small one whole (0), or runs out of memory (-1). */
int mh_render_segments_plan(gpu_scene *g, const mh_scene *sc);
/* Whether the scene's parts are worked out (the scene's indices are then
 * no longer read). */
bool mh_render_segments_planned(const gpu_scene *g);
/* Works out the parts, then uploads the segments' buffers, within *budget
 * (whole: no budget, all of it); true when every segment is up. */
bool mh_render_segments_upload(gpu_scene *g, const mh_scene *sc, size_t *budget, bool whole);
/* Whether the next step of the segments' upload makes a buffer's storage. */
bool mh_render_segments_storage_next(const gpu_scene *g);
/* Out of memory while planning: logged, and the scene draws nothing. */
void mh_render_segments_drop(gpu_scene *g);
void mh_render_segments_free(gpu_scene *g);
/* The live scene a handle names, or NULL (0, destroyed, or stale). */
gpu_scene *mh_render_scene_slot(mh_renderer *r, mh_gpu_scene h);
/* A VAO with a vertex and an index buffer (no storage, no layout yet); the
 * VAO and both buffers stay bound. */
void mh_render_make_vao(GLuint *vao, GLuint *vbo, GLuint *ibo);

/* mh_render_vertex.c: the vertices as the GPU has them, packed from
 * mh_vertex: a first stream of every vertex, then a second of vertices
 * [lo, hi) only (their tangent and uv1). */
#define MH_RENDER_VERTEX_BYTES 32
#define MH_RENDER_VERTEX_SECOND_BYTES 16
/* The variant bits that read the second stream: a normal map (the
 * tangent), the baked light per vertex (in the tangent), the second uv set. */
#define MH_RENDER_VERTEX_SECOND \
    (V_TEX(MH_TEX_NORMAL) | V_VERTEX_EMISSIVE | V_SET(0) | V_SET(1) | V_SET(2) | V_SET(3) | V_SET(4))
/* A buffer's vertices: its vertex j is vertices[first + j] below own, else
 * vertices[extra[j - own]]; count of them, [lo, hi) with the second stream. */
typedef struct mh_vertex_source {
    const mh_vertex *vertices;
    uint32_t first, own;
    const uint32_t *extra;
    uint32_t count, lo, hi;
} mh_vertex_source;
/* The buffer's size in bytes. */
size_t mh_render_vertex_bytes(const mh_vertex_source *s);
/* Bytes [at, at + n) of the buffer, packed into out. */
void mh_render_vertex_pack(const mh_vertex_source *s, size_t at, uint8_t *out, size_t n);
/* Bytes [at, at + n) of the buffer into the bound GL_ARRAY_BUFFER (its storage made), a piece at a time. */
void mh_render_vertex_upload(const mh_vertex_source *s, size_t at, size_t n);
/* The bound VAO's attributes from the bound buffer holding count vertices,
 * the second stream's for [lo, hi) (none when hi <= lo: those attributes
 * are off), its vertex 0 the buffer's vertex `base`. */
void mh_render_vertex_layout(uint32_t count, uint32_t lo, uint32_t hi, uint32_t base);

/* mh_render_index.c: 16-bit indices, each counted from the first vertex of
 * a window of this many (windows start every half of it). */
#define MH_RENDER_WINDOW 65536u
/* Packs g->indices (the scene's order, unlit first) in place: 16 bits where
 * a cluster of overlapping ranges fits a window (any window when `windows`,
 * else the first), else 32; sets index_bytes, range_at, range_window, range_span and
 * window_count. False when out of memory. */
bool mh_render_index_pack(gpu_scene *g, const mh_scene *sc, bool windows);
/* How a range of an unsegmented scene is drawn. */
typedef struct gpu_range_draw {
    GLuint vao, second_vao; /* without and with the vertices' second stream (0: none) */
    GLenum type;            /* GL_UNSIGNED_SHORT or GL_UNSIGNED_INT */
    size_t at;              /* its first index's byte offset */
    /* no index below low or above high (as stored): the driver need not
     * read the indices to find out (Mesa did, at a range's first draw: 20 ms
     * of the render thread for a million-triangle exhibit's first frame) */
    uint32_t low, high;
} gpu_range_draw;
gpu_range_draw mh_render_range(const gpu_scene *g, size_t range);
/* How a part of a segmented scene is drawn (mh_render_segment.c). */
gpu_range_draw mh_render_segment_draw(const gpu_scene *g, const gpu_part *pt);
/* Bytes between materials in a scene's material block. */
size_t mh_render_material_stride(const mh_renderer *r);
/* Writes material m's block (std140, as lit.vert's Material) into out. */
void mh_render_material_block(const mh_material *m, float out[48]);
/* The variant bits chunk c of scene sc (uploaded as g) draws its lit or its
 * unlit triangles with, before the crossfade's. */
uint32_t mh_render_chunk_key(const gpu_scene *g, const mh_scene *sc, const mh_scene_chunk *c, bool unlit);

/* mh_render_env.c */
/* The capture's target (RGBA8 and 24-bit depth, size x size), made or kept. */
bool mh_render_capture_target(mh_renderer *r, int size, mh_error *err);
/* A black environment (no image-based light) until one is set. */
bool mh_render_env_init(mh_renderer *r, mh_error *err);
void mh_render_env_destroy(mh_renderer *r);

/* mh_renderer.c */
/* Writes a view's frame block (lit.vert's Frame) into copy `slot` and binds it. */
void mh_render_frame_block(mh_renderer *r, int slot, const mh_render_view *v, const mh_render_lighting *l);
/* The fill-rate floor's quad (clip space, both vertex streams) in r->floor_vao, made once. */
void mh_render_floor_quad(mh_renderer *r);
/* Draws the layers for one view into the bound framebuffer (no clear). */
void mh_render_view_layers(mh_renderer *r, const mh_render_layer *layers, int layer_count, const mh_render_view *v,
                           const mh_render_lighting *light, mh_render_stats *st);
/* Clears the bound framebuffer's colour (the hall's clear colour, sent out
 * sRGB-encoded like the shader's output) and depth. */
void mh_render_clear(const mh_render_lighting *light);
/* Culls and sorts the layers' chunks for these views. */
void mh_render_prepare(mh_renderer *r, const mh_render_layer *layers, int layer_count, const mh_render_view *views,
                       int view_count, mh_render_stats *st);

/* mh_render_multiview.c */
/* The offscreen target of a multiview renderer (mh_renderer_multiview on):
 * two layers, one eye each. */
bool mh_render_mv_offscreen(mh_renderer *r, mh_error *err);
/* Starts a pass that draws both views at once: their cameras into the
 * Views block, the viewport over one layer. */
void mh_render_mv_pass(mh_renderer *r, const mh_render_view *views);
/* Reads both layers of the target side by side (GL rows, bottom-up). */
void mh_render_mv_read(const mh_renderer *r, uint8_t *rgba, int width, int height);
void mh_render_mv_destroy(mh_renderer *r);

/* mh_render_shadow.c */
/* At quality high (one view per pass, not multiview): the caster layer's
 * (mh_render_layer.shadow) depth from the stage's key light (the
 * lighting's key_dir, else the sun) into the shadow map,
 * fitted to its bounds, redrawn only when the caster or the light moved;
 * sets r->shadow_on for this frame's draws. Leaves no framebuffer bound. */
void mh_render_shadow_pass(mh_renderer *r, const mh_render_layer *layers, int layer_count,
                           const mh_render_lighting *light, bool multiview);
/* Whether a chunk with these world bounds receives the shadow this frame. */
bool mh_render_shadow_receives(const mh_renderer *r, const mh_aabb *b);
void mh_render_shadow_destroy(mh_renderer *r);

/* mh_render_bloom.c */
/* Whether this frame gets the glow: quality high, one view, not multiview. */
bool mh_render_bloom_wanted(const mh_renderer *r, int view_count);
/* The glow of the frame in frame_fbo (w x h, drawn, the interface not yet)
 * added over it; frame_fbo stays bound. */
void mh_render_bloom(mh_renderer *r, GLuint frame_fbo, int w, int h);
void mh_render_bloom_destroy(mh_renderer *r);

/* mh_render_reflect.c */
/* At quality high, one view, not multiview: the hall mirrored in the floor
 * plane (y = 0) into a half-size target, the floor itself left out and
 * nothing below it drawn (an oblique near plane); sets r->reflect_on for
 * this frame's floor. Leaves no framebuffer bound. */
void mh_render_reflect_pass(mh_renderer *r, const mh_render_layer *layers, int layer_count, const mh_render_view *views,
                            int view_count, const mh_render_lighting *light, int w, int h);
void mh_render_reflect_destroy(mh_renderer *r);

/* mh_render_post.c */
/* Binds the post-processing target (w x h, made or resized now) when the
 * quality level asks for the edge blend or FXAA; false (nothing bound) otherwise. */
bool mh_render_post_begin(mh_renderer *r, GLuint final_fbo, int w, int h);
/* The anti-aliasing pass from the post target into the frame's real target
 * (before the interface where the depth is shared, else after it); then
 * the real target stays bound. Nothing when the frame is not going through it. */
void mh_render_post_end(mh_renderer *r);
void mh_render_post_destroy(mh_renderer *r);
/* The pass's program linked now, if frames will use it (the warm-up's end). */
void mh_render_post_link(mh_renderer *r);
/* The pass drawn once into fbo (4 x 4 pixels of it) from a texture shaped as
 * the frame's, so that llvmpipe compiles its code during the start's
 * warm-up (mh_render_warm.c) rather than in the first frame. */
void mh_render_post_warm(mh_renderer *r, GLuint fbo);

/* mh_render_ui.c */
void mh_render_ui_destroy(mh_renderer *r);
/* The interface's flat-colour program linked now (the warm-up's end). */
void mh_render_ui_link(mh_renderer *r);
/* Draws the occluders set by mh_renderer_ui_occluders into v's depth (before its layers). */
void mh_render_ui_occlude(mh_renderer *r, const mh_render_view *v);

#endif
