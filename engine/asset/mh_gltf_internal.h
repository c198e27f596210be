/* mh_gltf_internal.h - what the glTF loader's files share (not public).
 *
 * The loader is split by job: mh_gltf.c (order of work, container, JSON
 * helpers, reporting, budgets), mh_gltf_data.c (buffers, views, accessors),
 * mh_gltf_material.c (images, samplers, textures, materials),
 * mh_gltf_mesh.c (meshes, primitives, morph targets), mh_gltf_scene.c
 * (node graph, nodes, cameras, lights, draws), mh_gltf_anim.c (skins,
 * animations, sampling, poses) and mh_gltf_compress.c + mh_draco.cpp
 * (EXT_meshopt_compression, KHR_draco_mesh_compression). */
#ifndef MH_GLTF_INTERNAL_H
#define MH_GLTF_INTERNAL_H

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>

#include "mh_gltf.h"

#define MH_GLTF_GLB_MAGIC 0x46546C67u

enum { GL_BYTE = 5120, GL_UBYTE = 5121, GL_SHORT = 5122, GL_USHORT = 5123, GL_UINT = 5125, GL_FLOAT = 5126 };

typedef struct span {
    const uint8_t *data;
    size_t size;
} span;

/* How an accessor is used, for the Khronos checks that depend on it. */
enum {
    USE_ATTRIBUTE = 1,
    USE_INDICES = 2,
    USE_NORMAL = 4,
    USE_TANGENT = 8,
    USE_COLOR = 16,
    USE_IBM = 32,
    USE_ANIM_INPUT = 64,
    USE_ANIM_OUTPUT = 128,
    USE_ROTATION = 256,
    USE_CUBIC = 512,
    USE_DRAWN = 1024,
    USE_WEIGHTS = 2048,
    USE_JOINTS = 4096,
};

typedef struct accessor {
    bool ok;       /* structure checked: data may be read (when has_data) */
    bool has_data; /* its bytes are at hand (a view of a buffer with data, or zeros + sparse) */
    int comp_type, comps, cols, count;
    bool normalized;
    int view; /* -1: all zeros (plus sparse) */
    size_t offset, stride, elem_size;
    const cJSON *json, *sparse;
    bool has_min, has_max;
    int uses;   /* USE_* */
    bool draco; /* data comes from a Draco primitive (no view) */
} accessor;

typedef struct view {
    bool ok;
    bool has_data;
    int buffer;
    size_t offset, length, stride; /* stride 0: tightly packed */
    const uint8_t *data;           /* its bytes (meshopt: decoded) when has_data */
    int attribute_users;           /* vertex attribute accessors using it */
    int target;                    /* 0, 34962 (vertices) or 34963 (indices) */
} view;

typedef struct ctx {
    mh_arena *arena;
    mh_gltf_report *rep;
    const mh_gltf_desc *desc;
    mh_budget budget;
    const char *base_dir;
    const cJSON *root;
    span bin; /* GLB BIN chunk */
    bool is_glb, has_bin;
    span *buffers; /* data NULL: no data (no uri, or it failed) */
    int buffer_count;
    view *views;
    int view_count;
    accessor *accs;
    int acc_count;
    size_t decoded;      /* bytes decoded so far (budget) */
    bool quantization;   /* KHR_mesh_quantization is used */
    bool meshopt, draco; /* the compression extensions are used */
    bool cancelled;
    /* counts the sections need from each other */
    int image_count, sampler_count, texture_count, material_count, mesh_count, node_count, skin_count;
    int camera_count, light_count, scene_count;
    int *node_parent;           /* node_count, from the graph check */
    int *mesh_targets;          /* morph targets per mesh (-1 unknown) */
    bool *mesh_skinned;         /* a primitive of the mesh has JOINTS_0 */
    int *node_mesh_targets;     /* morph targets of each node's mesh (0: none) */
    bool *image_used;           /* a material samples it: decode it */
    const uint8_t **draco_data; /* per accessor: its bytes from a Draco primitive, or NULL */
    /* the top-level arrays' elements by index (cJSON_GetArrayItem walks the
     * list: in a loop it would make a hostile file quadratic) */
    const cJSON **nodes_j, **materials_j, **textures_j, **skins_j;
    int *node_root;            /* the topmost ancestor of each node (after the graph check) */
    int *node_pre, *node_post; /* preorder entry and exit numbers: a is an ancestor of b iff
                                 pre[a] <= pre[b] && post[b] <= post[a] */
    int *forest;               /* every node, parents first (the same walk) */
} ctx;

/* Element i of a top-level array indexed by count_sections, or NULL. */
static inline const cJSON *mh_gltf_item(const cJSON **items, int count, int i)
{
    return items && i >= 0 && i < count ? items[i] : NULL;
}

/* ---- mh_gltf.c -------------------------------------------------------------- */

/* Records a problem. `code` is the Khronos code (or ours); quality: an error
 * only in strict mode (a warning for the kiosk). Returns false. */
bool mh_gltf_problem(ctx *c, bool error, const char *code, const char *ptr, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
bool mh_gltf_quality(ctx *c, const char *code, const char *ptr, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#define ISSUE(c, code, ptr, ...) mh_gltf_problem((c), true, (code), (ptr), __VA_ARGS__)
#define WARN(c, code, ptr, ...) mh_gltf_problem((c), false, (code), (ptr), __VA_ARGS__)

/* Arena memory counted against the decode budget; NULL when over it. */
void *mh_gltf_alloc(ctx *c, size_t n);
/* True (with CANCELLED reported once) when desc.cancel became true. */
bool mh_gltf_cancelled(ctx *c);
/* A copy of a JSON string in the arena, NULL for NULL. */
const char *mh_gltf_name(ctx *c, const cJSON *obj);

/* JSON helpers; each reports by pointer and returns as documented. */
const cJSON *mh_gltf_array(ctx *c, const cJSON *obj, const char *ptr, const char *key, int *n);
bool mh_gltf_is_integer(double v);
/* An integer property in [lo, hi]. Returns 1 present+valid, 0 absent, -1 bad. */
int mh_gltf_int(ctx *c, const cJSON *obj, const char *ptr, const char *key, double lo, double hi, int *out);
/* An index into an array of `count` entries named `what`: 1 resolved, 0 absent, -1 bad. */
int mh_gltf_ref(ctx *c, const cJSON *obj, const char *ptr, const char *key, int count, const char *what, bool required,
                int *out);
/* n finite numbers; true when absent (out untouched) or valid. */
bool mh_gltf_floats(ctx *c, const cJSON *obj, const char *ptr, const char *key, int n, float *out);
/* A number in [lo, hi] (finite); true when absent or valid. */
bool mh_gltf_number(ctx *c, const cJSON *obj, const char *ptr, const char *key, double lo, double hi, float *out);
/* The object must be an object (TYPE_MISMATCH otherwise). */
bool mh_gltf_object(ctx *c, const cJSON *v, const char *ptr);
/* "extensions" of obj, as an object or NULL. */
const cJSON *mh_gltf_ext(const cJSON *obj, const char *name);

/* ---- mh_gltf_data.c ------------------------------------------------------------ */

/* A uri's data: a data URI, or a file beside the model (remote: a URI with
 * another scheme, never fetched: no data, a warning). mime gets a data
 * URI's media type. */
bool mh_gltf_uri(ctx *c, const char *uri, const char *ptr, span *out, char *mime, size_t mime_size, bool *remote);
bool mh_gltf_load_buffers(ctx *c);
bool mh_gltf_check_views(ctx *c);
bool mh_gltf_check_accessors(ctx *c);
/* Decodes accessor i into `want` floats per element (sparse applied); NULL
 * with an error when it has no data or a value is not finite. */
float *mh_gltf_read_floats(ctx *c, int i, int want, const char *ptr);
/* Accessor i as unsigned integers (exact), one per component. */
uint32_t *mh_gltf_read_uints(ctx *c, int i, const char *ptr);
/* The data checks the Khronos validator makes on accessors (min/max,
 * NaN, and the ones that depend on their use): after every use is known. */
bool mh_gltf_check_accessor_data(ctx *c);
int mh_gltf_comp_size(int type);
/* "/accessors/i" */
void mh_gltf_acc_ptr(char *out, size_t size, int i);
/* Accessor data decoded into floats (internal scratch for checks). */
float mh_gltf_component(const uint8_t *d, int type, bool normalized);

/* ---- mh_gltf_compress.c ---------------------------------------------------------- */

/* EXT_meshopt_compression on buffer view v (json vj): decodes into the
 * arena and points w->data at it. */
bool mh_gltf_meshopt_view(ctx *c, const cJSON *ext, const char *ptr, view *w);
/* KHR_draco_mesh_compression on a primitive: decodes its attributes and
 * indices into the accessors the primitive names (their data then comes
 * from the arena). */
bool mh_gltf_draco_prim(ctx *c, const cJSON *prim, const cJSON *ext, const char *ptr);
/* Draco's decoded data for accessor i, or NULL. */
const uint8_t *mh_gltf_draco_data(ctx *c, int i);

/* ---- mh_gltf_material.c ------------------------------------------------------------ */

bool mh_gltf_load_images(ctx *c, mh_gltf_model *m);
bool mh_gltf_load_materials(ctx *c, mh_gltf_model *m);

/* ---- mh_gltf_mesh.c ----------------------------------------------------------------- */

/* References and formats of every primitive, before any data is decoded
 * (also marks accessor uses and computes the decode budgets). */
bool mh_gltf_check_meshes(ctx *c, const mh_gltf_model *m);
/* Vertices, indices and triangles the meshes would decode to; and drawn
 * triangles given how many times the default scene draws each mesh. */
bool mh_gltf_check_mesh_budget(ctx *c, const int *instances);
bool mh_gltf_load_meshes(ctx *c, mh_gltf_model *m);

/* ---- mh_gltf_scene.c --------------------------------------------------------------- */

/* The node graph, before anything walks it. */
bool mh_gltf_check_nodes(ctx *c);
/* How many times the default scene draws each mesh (mesh_count ints). */
int *mh_gltf_mesh_instances(ctx *c);
bool mh_gltf_load_nodes(ctx *c, mh_gltf_model *m);
bool mh_gltf_load_cameras(ctx *c, mh_gltf_model *m);
bool mh_gltf_load_lights(ctx *c, mh_gltf_model *m);
void mh_gltf_place(ctx *c, mh_gltf_model *m);

/* ---- mh_gltf_anim.c ----------------------------------------------------------------- */

/* References and formats of skins and animations (marks accessor uses). */
bool mh_gltf_check_skins(ctx *c);
bool mh_gltf_check_animations(ctx *c);
bool mh_gltf_load_skins(ctx *c, mh_gltf_model *m);
bool mh_gltf_load_animations(ctx *c, mh_gltf_model *m);

#endif
