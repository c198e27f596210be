/* mh_mesh.h - CPU-side triangle meshes and the primitive shapes halls are built from.
 *
 * Vertices are written in world space (static hall geometry never moves), so
 * one vertex buffer holds the whole hall and each chunk is a range of indices;
 * only the parts of a model that an animation moves stay in model space. */
#ifndef MH_MESH_H
#define MH_MESH_H

#include <stdbool.h>
#include <stdint.h>

#include "../asset/mh_hall_load.h"
#include "../core/mh_math.h"

/* One vertex of the static hall or a model: 56 bytes. The material's
 * per-vertex part lives here too (base colour, metallic, roughness, glow,
 * occlusion), so surfaces that differ only in those share one draw call.
 * The GPU's copy is packed as it goes up (render/mh_render_vertex.c): 32
 * bytes, 48 with the tangent and uv1 where a chunk reads them. */
typedef struct mh_vertex {
    float pos[3];
    float normal[3];
    float uv[2];        /* TEXCOORD_0 (tiles: metres / uv_scale) */
    uint8_t color[4];   /* base colour: sRGB-encoded rgb, linear alpha (255 = opaque) */
    uint8_t params[4];  /* [0] glow 0..255 (mixes toward the unlit base colour: light boxes, signs),
                            [1] metallic, [2] roughness, [3] ambient occlusion (255 = none), all /255 */
    int16_t tangent[4]; /* snorm16 xyz and w (bitangent sign); zeros where no normal map is used */
    float uv1[2];       /* TEXCOORD_1 (glTF's second set; a hall's lightmap later) */
} mh_vertex;

/* Skinning data beside the vertex of the same index (only scenes with
 * skinned models have it): four joints of the vertex's skin and their
 * weights (unorm16, summing to 65535 up to rounding). */
typedef struct mh_skin_vertex {
    uint8_t joints[4];
    uint16_t weights[4];
} mh_skin_vertex;

typedef struct mh_mesh_data {
    mh_vertex *vertices;
    mh_skin_vertex *skin; /* NULL until a skinned model adds vertices; then vertex_cap of them */
    uint32_t *indices;
    uint32_t vertex_count, vertex_cap;
    uint32_t index_count, index_cap;
    bool failed; /* an allocation failed; the mesh is incomplete */
} mh_mesh_data;

/* The hall's roughness where a shape gives none (a satin finish: painted
 * walls, plastic); and the finest roughness a surface may have (a GGX lobe
 * narrower than a pixel of the environment only aliases). */
#define MH_ROUGHNESS_DEFAULT 0.6f
#define MH_ROUGHNESS_MIN 0.03f

/* Glow (mh_vertex.params[0]) from which a surface shows its base colour
 * alone: the renderer draws such triangles with its unlit shader variant
 * and the exporter marks them KHR_materials_unlit, so a viewer of the
 * export draws them the same way. Both ask mh_mesh_triangle_unlit. */
#define MH_GLOW_UNLIT 128

/* Whether the triangle at indices[t], [t + 1], [t + 2] is drawn unlit: its
 * first vertex glows at MH_GLOW_UNLIT or more. */
bool mh_mesh_triangle_unlit(const mh_mesh_data *m, uint32_t t);

/* The look of a surface: colour is linear RGB. Zero fields are defaults. */
typedef struct mh_surface {
    mh_vec3 color;
    float emissive;  /* glow 0..1: 1 shows the base colour unlit (light boxes) */
    float uv_scale;  /* metres per repeat; 0 = 0..1 across each face */
    float metallic;  /* 0 dielectric .. 1 metal */
    float roughness; /* 0: MH_ROUGHNESS_DEFAULT; else clamped to MH_ROUGHNESS_MIN..1 */
    float occlusion; /* ambient occlusion baked on the surface: 0 none .. 1 fully occluded */
} mh_surface;

void mh_mesh_free(mh_mesh_data *m);
/* Room for nv more vertices and ni more indices; false (and m->failed) when out of memory. */
bool mh_mesh_reserve(mh_mesh_data *m, uint32_t nv, uint32_t ni);
/* Indices of a (rows x cols)-cell grid of vertices laid row by row from `base`, (cols + 1) a row: two triangles a
 * cell, into room already reserved. */
void mh_mesh_grid_indices(mh_mesh_data *m, uint32_t base, int rows, int cols);
/* One cell of such a grid: a its first vertex, b the one a row on (room reserved). */
void mh_mesh_grid_cell(mh_mesh_data *m, uint32_t a, uint32_t b);

/* Appends a shape placed by `parent * shape transform`. */
void mh_mesh_add_shape(mh_mesh_data *m, const mh_shape_desc *s, mh_mat4 parent);
/* A box of size (sx, sy, sz) whose base centre is at the origin of xf:
 * six faces in mh_mesh_box_face's order, four vertices and two triangles each. */
void mh_mesh_add_box(mh_mesh_data *m, mh_mat4 xf, mh_vec3 size, mh_surface surf);
/* Face f (0..5: +x, -x, +y, -y, +z, -z) of that box before xf: its corners
 * (u, v) = (-1, -1), (1, -1), (1, 1), (-1, 1) along its in-plane axes (u x v
 * = normal; v is up on the four sides) and its normal. */
void mh_mesh_box_face(mh_vec3 size, int f, mh_vec3 corners[4], mh_vec3 *normal);
/* A flat quad w x h centred on the origin of xf, facing +Z, uv 0..1 (v down). */
void mh_mesh_add_quad(mh_mesh_data *m, mh_mat4 xf, float w, float h, mh_surface surf);
/* The rectangle x0..x1, y0..y1 (x0 < x1, y0 < y1) of xf's XY plane, facing
 * +Z, with the texture's uv[0..1] (u0, v0) at its top left corner (x0, y1)
 * and uv[2..3] (u1, v1) at its bottom right (x1, y0). Rectangles that share
 * an edge given by the same numbers share its vertices' positions exactly. */
void mh_mesh_add_rect(mh_mesh_data *m, mh_mat4 xf, const float rect[4], const float uv[4], mh_surface surf);

/* Triangles from a model (glTF) with their attributes; any but positions
 * and indices may be NULL. Colours are linear rgba (multiplied into
 * surf.color and alpha); tangents xyzw; joints and weights four per vertex
 * (joint indices below 256: the skin's). Missing normals make flat
 * triangles (each gets its own three vertices, as glTF asks). Vertices are
 * transformed by xf (identity keeps them in the model's space, for parts a
 * per-frame matrix moves). */
typedef struct mh_mesh_tris {
    const float *positions, *normals, *tangents, *uvs, *uvs1, *colors;
    const uint16_t *joints;
    const float *weights;
    const uint32_t *indices;
    uint32_t vertex_count, index_count;
    float alpha; /* the base colour factor's alpha */
} mh_mesh_tris;
void mh_mesh_add_triangles(mh_mesh_data *m, mh_mat4 xf, const mh_mesh_tris *t, mh_surface surf);

/* A level of detail for the triangles indices[first, first + count): vertex
 * clustering on a grid of `cell` metres (every vertex in a cell becomes the
 * first one found there; triangles that collapse are dropped), appended to
 * the indices. Cheap in time and memory for a huge model, but curved
 * surfaces keep most of their triangles (only vertices facing about the
 * same way merge). Returns how many indices it appended, 0 when that would
 * not save a fifth. */
uint32_t mh_mesh_cluster(mh_mesh_data *m, uint32_t first, uint32_t count, float cell);

/* The same by edges collapsed by meshoptimizer's quadric simplifier while the surface
 * moves no more than `error` of the triangles' extent (seams, where
 * vertices share a position but not a normal or uv, are kept), appended to
 * the indices. The vertices are shared, only indices are added. Returns how
 * many indices it appended, 0 when that would not save a fifth. */
uint32_t mh_mesh_simplify(mh_mesh_data *m, uint32_t first, uint32_t count, float error);

/* The two above for the triangles of indices[0, count) (into m's
 * vertices), written to dst (room for count indices) instead of appended:
 * they read m and change nothing, so several threads may make levels of
 * one mesh at once (the hall's, mh_scene.c). The same results. */
uint32_t mh_mesh_cluster_to(const mh_mesh_data *m, const uint32_t *indices, uint32_t count, float cell, uint32_t *dst);
uint32_t mh_mesh_simplify_to(const mh_mesh_data *m, const uint32_t *indices, uint32_t count, float error,
                             uint32_t *dst);

#endif
