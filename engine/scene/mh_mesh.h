/* mh_mesh.h - CPU-side triangle meshes and the primitive shapes halls are built from.
 *
 * Vertices are written in world space (static hall geometry never moves), so
 * one vertex buffer holds the whole hall and each chunk is a range of indices. */
#ifndef MH_MESH_H
#define MH_MESH_H

#include <stdbool.h>
#include <stdint.h>

#include "../asset/mh_hall_load.h"
#include "../core/mh_math.h"

typedef struct mh_vertex {
    float pos[3];
    float normal[3];
    float uv[2];
    uint8_t color[4];    /* sRGB-encoded base colour, alpha unused (255) */
    uint8_t params[4];   /* [0] emissive 0..255, rest reserved */
} mh_vertex;

typedef struct mh_mesh_data {
    mh_vertex *vertices;
    uint32_t *indices;
    uint32_t vertex_count, vertex_cap;
    uint32_t index_count, index_cap;
    bool failed;          /* an allocation failed; the mesh is incomplete */
} mh_mesh_data;

/* The look of a surface: colour is linear RGB. */
typedef struct mh_surface {
    mh_vec3 color;
    float emissive;
    float uv_scale;       /* metres per repeat; 0 = 0..1 across each face */
} mh_surface;

void mh_mesh_free(mh_mesh_data *m);

/* Appends a shape placed by `parent * shape transform`. */
void mh_mesh_add_shape(mh_mesh_data *m, const mh_shape_desc *s, mh_mat4 parent);
/* A box of size (sx, sy, sz) whose base centre is at the origin of xf. */
void mh_mesh_add_box(mh_mesh_data *m, mh_mat4 xf, mh_vec3 size, mh_surface surf);
/* A flat quad w x h centred on the origin of xf, facing +Z, uv 0..1 (v down). */
void mh_mesh_add_quad(mh_mesh_data *m, mh_mat4 xf, float w, float h, mh_surface surf);

/* Triangles from a model (glTF): positions xyz; normals, uvs and colours
 * (linear rgba, multiplied into surf.color) may be NULL. Missing normals are
 * averaged from the faces. Vertices are transformed by xf. */
typedef struct mh_mesh_tris {
    const float *positions, *normals, *uvs, *colors;
    const uint32_t *indices;
    uint32_t vertex_count, index_count;
} mh_mesh_tris;
void mh_mesh_add_triangles(mh_mesh_data *m, mh_mat4 xf, const mh_mesh_tris *t, mh_surface surf);

/* A level of detail for the triangles indices[first, first + count): vertex
 * clustering on a grid of `cell` metres (every vertex in a cell becomes the
 * first one found there; triangles that collapse are dropped), appended to
 * the indices. The vertices are shared, only indices are added. Returns how
 * many indices it appended, 0 when that would not save a fifth. */
uint32_t mh_mesh_simplify(mh_mesh_data *m, uint32_t first, uint32_t count, float cell);

#endif
