/* mh_gltf.h - glTF 2.0 (.gltf with external or data-URI buffers, and .glb)
 * into plain, render-ready arrays, with strict validation.
 *
 * Everything a model decodes to lands in the caller's arena (drop it to drop
 * the model). The loader checks every index, offset, stride and count before
 * it reads a byte, refuses URIs that leave the model's folder, and bounds the
 * memory a file can make it take. Problems are reported like the Khronos
 * validator does: a JSON pointer ("/accessors/0") and a sentence. */
#ifndef MH_GLTF_H
#define MH_GLTF_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/mh_arena.h"
#include "../core/mh_math.h"
#include "mh_png.h"

#define MH_GLTF_MAX_ISSUES 24

typedef struct mh_gltf_issue {
    bool error;               /* false: a warning, the model still loads */
    char pointer[96];         /* JSON pointer, "" for the file as a whole */
    char message[200];
} mh_gltf_issue;

typedef struct mh_gltf_report {
    mh_gltf_issue issues[MH_GLTF_MAX_ISSUES];  /* the first ones found */
    int count;                /* issues stored */
    int errors, warnings;     /* all issues found (may exceed count) */
} mh_gltf_report;

/* One drawable primitive, as triangles. Attributes the file lacks are NULL. */
typedef struct mh_gltf_prim {
    uint32_t vertex_count, index_count;
    float *positions;         /* xyz */
    float *normals;           /* xyz */
    float *uvs;               /* uv of the base colour texture, transform applied */
    float *colors;            /* rgba (COLOR_0), linear */
    uint32_t *indices;        /* triangle list (strips and fans are converted) */
    int material;             /* -1: the default material */
    mh_aabb bounds;           /* in mesh space */
} mh_gltf_prim;

typedef struct mh_gltf_material {
    float base_color[4];      /* linear RGBA factor */
    int image;                /* base colour image, -1 none */
    bool unlit;               /* KHR_materials_unlit */
    float emissive;           /* max of emissiveFactor, 0..1 */
    bool double_sided;
} mh_gltf_material;

typedef struct mh_gltf_mesh {
    int first_prim, prim_count;
} mh_gltf_mesh;

/* A mesh placed in the model by the node hierarchy of the default scene. */
typedef struct mh_gltf_draw {
    int mesh;
    mh_mat4 world;
} mh_gltf_draw;

typedef struct mh_gltf_camera {
    bool perspective;
    float yfov, aspect, znear, zfar;     /* perspective (zfar 0 = infinite) */
    float xmag, ymag;                    /* orthographic */
    mh_mat4 world;                       /* from the node that holds it (identity if none) */
} mh_gltf_camera;

typedef struct mh_gltf_model {
    mh_gltf_prim *prims;
    int prim_count;
    mh_gltf_mesh *meshes;
    int mesh_count;
    mh_gltf_material *materials;
    int material_count;
    mh_image *images;                    /* decoded PNGs (rgba in the arena); NULL rgba = unusable */
    int image_count;
    mh_gltf_draw *draws;
    int draw_count;
    mh_gltf_camera *cameras;
    int camera_count;
    mh_aabb bounds;                      /* of all draws, in model space */
    uint32_t triangle_count;
} mh_gltf_model;

/* Loads a .gltf or .glb file; external files are read from its folder. */
bool mh_gltf_load(const char *path, mh_arena *arena, mh_gltf_model *out, mh_gltf_report *report);
/* Loads from memory. base_dir: where relative URIs point; NULL forbids them. */
bool mh_gltf_load_memory(const void *data, size_t size, const char *base_dir, mh_arena *arena,
                         mh_gltf_model *out, mh_gltf_report *report);
/* Extensions the loader understands (others: a warning, or an error when required). */
bool mh_gltf_extension_supported(const char *name);

#endif
