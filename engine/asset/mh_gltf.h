/* mh_gltf.h - glTF 2.0 (.gltf with external or data-URI buffers, and .glb)
 * into plain arrays a PBR renderer and an animation system can use as they
 * are, with strict validation.
 *
 * How to use:
 *
 *     mh_arena arena = {0};
 *     mh_gltf_model m;
 *     mh_gltf_report rep;
 *     mh_gltf_desc d = {.root = exhibit_dir};        // zero fields: defaults
 *     if (mh_gltf_load(path, &d, &arena, &m, &rep)) { ... }
 *     mh_arena_free(&arena);                          // drops the whole model
 *
 * Everything a model decodes to lands in the caller's arena. Before a byte
 * of a buffer is read the loader checks every reference once (as cgltf and
 * the Khronos validator do: scene roots and children unique, one parent per
 * node, no loops, every index resolved), every offset, stride and count, and
 * the budgets (mh_budget.h: indices, vertices, triangles, image pixels, JSON
 * size): a file that would cost too much fails from its header. Problems are
 * reported like the Khronos validator's: a code ("NODE_LOOP"), a JSON pointer
 * ("/nodes/3") and a sentence that never quotes the file's bytes.
 *
 * Two rules (README "Which errors stop a model"):
 * - strict (desc.strict, `metahall validate`): everything the Khronos
 *   validator calls an error is an error, in used and unused objects alike;
 *   what it calls a warning or information is not.
 * - the kiosk (not strict): errors that make data unsafe or unusable to draw
 *   (references, bounds, graph, formats, budgets) still fail the model; data
 *   quality errors the Khronos validator also reports (min/max that do not
 *   match, normals not of unit length, colours outside 0..1, a rotation not
 *   normalized, an animation's quaternions...) are warnings and the model
 *   loads, as in other viewers.
 * Both refuse what the kiosk cannot draw at all (mesh data in a buffer with
 * no data, glTF minVersion 2.1, KHR_texture_basisu images).
 *
 * Coordinates are glTF's: metres, +Y up, right-handed; matrices are mh_mat4
 * (column-major, as glTF's). Colour factors are linear. */
#ifndef MH_GLTF_H
#define MH_GLTF_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "../core/mh_arena.h"
#include "../core/mh_math.h"
#include "mh_budget.h"
#include "mh_png.h"

#define MH_GLTF_MAX_ISSUES 24
/* Joints in one skin: a GPU-skinning vertex shader holds them as 4x3
 * matrices in uniforms, and GLES 3.0 guarantees 256 vertex uniform vectors
 * (64 joints take 192). A skin with more fails with SKIN_TOO_MANY_JOINTS. */
#define MH_GLTF_MAX_JOINTS 64
/* Morph targets in one primitive (a renderer blends the active ones by
 * weight; the loader keeps up to this many). More: MESH_TOO_MANY_TARGETS. */
#define MH_GLTF_MAX_MORPH_TARGETS 32

/* ---- problems ------------------------------------------------------------ */

typedef struct mh_gltf_issue {
    bool error;       /* false: a warning, the model still loads */
    char code[64];    /* the Khronos validator's code where it has one ("NODE_LOOP"),
                                 else ours ("BUDGET_EXCEEDED", "UNSUPPORTED_EXTENSION", ...) */
    char pointer[96]; /* JSON pointer, "" for the file as a whole */
    char message[200];
} mh_gltf_issue;

typedef struct mh_gltf_report {
    mh_gltf_issue issues[MH_GLTF_MAX_ISSUES]; /* the first ones found */
    int count;                                /* issues stored */
    int errors, warnings;                     /* all issues found (may exceed count) */
} mh_gltf_report;

/* ---- how to load ----------------------------------------------------------- */

typedef struct mh_gltf_desc {
    const char *root;          /* files (the model, buffers, images) must resolve inside this
                                 folder; NULL: the model's own folder */
    mh_budget budget;          /* zero fields: defaults (mh_budget_defaults) */
    bool strict;               /* Khronos errors are errors (validate); see above */
    bool skip_images;          /* check images but do not decode them (bounds, export) */
    const atomic_bool *cancel; /* when it becomes true the load stops with CANCELLED */
} mh_gltf_desc;

/* ---- textures -------------------------------------------------------------- */

/* Sampler values are glTF's (the GL enums): 0 = not given (the renderer picks). */
enum {
    MH_GLTF_FILTER_NEAREST = 9728,
    MH_GLTF_FILTER_LINEAR = 9729,
    MH_GLTF_FILTER_NEAREST_MIPMAP_NEAREST = 9984,
    MH_GLTF_FILTER_LINEAR_MIPMAP_NEAREST = 9985,
    MH_GLTF_FILTER_NEAREST_MIPMAP_LINEAR = 9986,
    MH_GLTF_FILTER_LINEAR_MIPMAP_LINEAR = 9987,
    MH_GLTF_WRAP_CLAMP_TO_EDGE = 33071,
    MH_GLTF_WRAP_MIRRORED_REPEAT = 33648,
    MH_GLTF_WRAP_REPEAT = 10497,
};

typedef struct mh_gltf_sampler {
    int mag_filter, min_filter; /* 0 or MH_GLTF_FILTER_... */
    int wrap_s, wrap_t;         /* MH_GLTF_WRAP_REPEAT (the default), ..._CLAMP_TO_EDGE, ..._MIRRORED_REPEAT */
} mh_gltf_sampler;

typedef struct mh_gltf_texture {
    int image;   /* into model.images; -1: no usable image (draw without it) */
    int sampler; /* into model.samplers; -1: the default sampler (repeat, linear) */
} mh_gltf_texture;

/* A material's use of a texture. KHR_texture_transform is folded into
 * `transform`, the 3x2 matrix (column-major: uv' = M * (u, v, 1)) that maps
 * the mesh's TEXCOORD_<texcoord> to the texture; identity when absent. */
typedef struct mh_gltf_texture_ref {
    int texture;                            /* into model.textures; -1: none */
    int texcoord;                           /* 0 or 1: which TEXCOORD set (the transform's texCoord wins) */
    float scale;                            /* normalTexture.scale, occlusionTexture.strength; 1 otherwise */
    bool has_transform;                     /* KHR_texture_transform given */
    float offset[2], rotation, uv_scale[2]; /* its values, as in the file */
    float transform[6];                     /* the matrix: [m00 m10 m01 m11 m02 m12] */
} mh_gltf_texture_ref;

/* ---- materials ------------------------------------------------------------- */

typedef enum mh_gltf_alpha_mode {
    MH_GLTF_ALPHA_OPAQUE,
    MH_GLTF_ALPHA_MASK, /* alpha < alpha_cutoff is discarded */
    MH_GLTF_ALPHA_BLEND,
} mh_gltf_alpha_mode;

/* Metallic-roughness PBR (glTF 2.0 Appendix B). Models that only use other
 * material extensions (clearcoat, sheen, transmission, variants...) load
 * with this base material. */
typedef struct mh_gltf_material {
    const char *name;                               /* NULL when none */
    float base_color[4];                            /* linear RGBA factor */
    mh_gltf_texture_ref base_color_texture;         /* sRGB RGBA */
    float metallic, roughness;                      /* factors */
    mh_gltf_texture_ref metallic_roughness_texture; /* linear: G roughness, B metallic */
    mh_gltf_texture_ref normal_texture;             /* tangent space; .scale = normal scale */
    mh_gltf_texture_ref occlusion_texture;          /* linear R; .scale = strength */
    float emissive[3];                              /* linear factor */
    float emissive_strength;                        /* KHR_materials_emissive_strength (1 when absent) */
    mh_gltf_texture_ref emissive_texture;           /* sRGB */
    mh_gltf_alpha_mode alpha_mode;
    float alpha_cutoff; /* MASK only: 0.5 by default */
    bool double_sided;
    bool unlit; /* KHR_materials_unlit: base colour only */
} mh_gltf_material;

/* The material glTF defines for primitives without one (white, metallic 1,
 * roughness 1, opaque, single-sided). */
mh_gltf_material mh_gltf_material_default(void);

/* ---- meshes ---------------------------------------------------------------- */

/* One morph target: per-vertex deltas added with the target's weight. */
typedef struct mh_gltf_morph_target {
    float *positions; /* xyz deltas, NULL when the target has none */
    float *normals;   /* xyz deltas, NULL */
    float *tangents;  /* xyz deltas, NULL */
} mh_gltf_morph_target;

/* One drawable primitive, as an indexed triangle list (strips and fans are
 * converted). Attributes the file lacks are NULL; integer and normalized
 * formats (KHR_mesh_quantization) are decoded to float, sparse accessors and
 * EXT_meshopt_compression / KHR_draco_mesh_compression are decoded. */
typedef struct mh_gltf_prim {
    uint32_t vertex_count, index_count;
    float *positions;    /* xyz */
    float *normals;      /* xyz, NULL: flat shading (the renderer makes them) */
    float *tangents;     /* xyzw (w: bitangent sign), NULL: see mh_gltf_generate_tangents */
    float *texcoords[2]; /* uv of TEXCOORD_0 and TEXCOORD_1, as in the file (no transform) */
    float *colors;       /* rgba, linear (COLOR_0; rgb gets alpha 1) */
    uint16_t *joints;    /* JOINTS_0: 4 joint indices (into the skin's joints) per vertex */
    float *weights;      /* WEIGHTS_0: 4 weights per vertex */
    uint32_t *indices;   /* index_count, a multiple of 3 */
    mh_gltf_morph_target *targets;
    int target_count;
    int material;   /* into model.materials; -1: mh_gltf_material_default() */
    mh_aabb bounds; /* of positions, mesh space, rest pose */
} mh_gltf_prim;

typedef struct mh_gltf_mesh {
    const char *name;
    int first_prim, prim_count; /* into model.prims (only drawable ones are kept) */
    float *weights;             /* default morph weights, target_count of them (NULL: zeros) */
    int target_count;           /* morph targets of its primitives (all have the same number) */
} mh_gltf_mesh;

/* ---- the node tree ---------------------------------------------------------- */

typedef struct mh_gltf_node {
    const char *name;
    int parent;                    /* -1: a root of the default scene (or of its tree) */
    int first_child, child_count;  /* children: model.children[first_child ...] */
    int mesh, skin, camera, light; /* -1: none */
    bool has_matrix;               /* the file gave a matrix (channels cannot animate it) */
    float translation[3];          /* local TRS (from the matrix, decomposed, when has_matrix) */
    float rotation[4];             /* unit quaternion x, y, z, w */
    float scale[3];
    mh_mat4 local;                  /* the local matrix as given (matrix, or T * R * S) */
    mh_mat4 world;                  /* at rest, in the default scene (identity outside it) */
    int first_weight, weight_count; /* morph weights: model.weights[first_weight ...] (the node's,
                                       else its mesh's, else zeros) */
} mh_gltf_node;

/* A mesh placed by the default scene at rest: for static users (the hall
 * bake, export, bounds, validate). */
typedef struct mh_gltf_draw {
    int mesh;
    int node;
    mh_mat4 world;
} mh_gltf_draw;

typedef struct mh_gltf_camera {
    const char *name;
    bool perspective;
    float yfov, aspect, znear, zfar; /* perspective (zfar 0 = infinite, aspect 0 = the viewport's) */
    float xmag, ymag;                /* orthographic */
    int node;                        /* the first node holding it, -1 none */
    mh_mat4 world;                   /* that node's world matrix (identity if none) */
} mh_gltf_camera;

/* KHR_lights_punctual. A light shines along its node's -Z (spot, directional). */
typedef enum mh_gltf_light_type {
    MH_GLTF_LIGHT_DIRECTIONAL,
    MH_GLTF_LIGHT_POINT,
    MH_GLTF_LIGHT_SPOT
} mh_gltf_light_type;

typedef struct mh_gltf_light {
    const char *name;
    mh_gltf_light_type type;
    float color[3];               /* linear */
    float intensity;              /* candela (point, spot) or lux (directional) */
    float range;                  /* 0: infinite */
    float inner_cone, outer_cone; /* spot, radians from the axis */
} mh_gltf_light;

/* ---- skins and animation ------------------------------------------------------ */

typedef struct mh_gltf_skin {
    const char *name;
    int *joints; /* node indices, joint_count <= MH_GLTF_MAX_JOINTS */
    int joint_count;
    mh_mat4 *inverse_bind; /* joint_count matrices (identity when the file has none) */
    int skeleton;          /* the root node the file names, -1 */
} mh_gltf_skin;

typedef enum mh_gltf_path {
    MH_GLTF_PATH_TRANSLATION,
    MH_GLTF_PATH_ROTATION,
    MH_GLTF_PATH_SCALE,
    MH_GLTF_PATH_WEIGHTS,
} mh_gltf_path;

typedef enum mh_gltf_interp { MH_GLTF_INTERP_LINEAR, MH_GLTF_INTERP_STEP, MH_GLTF_INTERP_CUBICSPLINE } mh_gltf_interp;

/* Keyframes, checked at load: times finite, >= 0 and strictly increasing,
 * output count matching (times x components, x3 for CUBICSPLINE: in-tangent,
 * value, out-tangent per key), at least 2 keys for CUBICSPLINE. */
typedef struct mh_gltf_anim_sampler {
    const float *times; /* key_count seconds */
    int key_count;
    const float *values; /* key_count * comps (* 3 for CUBICSPLINE) */
    int comps;           /* 3 translation/scale, 4 rotation (xyzw), morph target count */
    bool rotation;       /* quaternions: normalized, slerped */
    mh_gltf_interp interp;
} mh_gltf_anim_sampler;

typedef struct mh_gltf_anim_channel {
    int sampler; /* into the animation's samplers */
    int node;
    mh_gltf_path path;
} mh_gltf_anim_channel;

typedef struct mh_gltf_animation {
    const char *name;
    mh_gltf_anim_channel *channels;
    int channel_count;
    mh_gltf_anim_sampler *samplers;
    int sampler_count;
    float start, end; /* first and last key time over all its samplers */
} mh_gltf_animation;

/* ---- the model -------------------------------------------------------------- */

typedef struct mh_gltf_model {
    mh_gltf_prim *prims;
    int prim_count;
    mh_gltf_mesh *meshes;
    int mesh_count;
    mh_gltf_material *materials;
    int material_count;
    mh_gltf_texture *textures;
    int texture_count;
    mh_gltf_sampler *samplers;
    int sampler_count;
    mh_image *images; /* decoded RGBA8 (rgba in the arena), at most budget.texture_size
                                            on the longer side (downscaled keeping the aspect); NULL rgba:
                                            not used by any material, or skip_images */
    int image_count;
    mh_gltf_node *nodes;
    int node_count;
    int *children; /* the nodes' children lists, back to back */
    int *roots;    /* the default scene's root nodes (or every parentless node) */
    int root_count;
    int *order; /* the default scene's nodes, each after its parent */
    int order_count;
    float *weights; /* default morph weights of all nodes (node.first_weight) */
    int weight_count;
    mh_gltf_skin *skins;
    int skin_count;
    mh_gltf_animation *animations;
    int animation_count;
    mh_gltf_camera *cameras;
    int camera_count;
    mh_gltf_light *lights;
    int light_count;
    mh_gltf_draw *draws; /* the default scene's meshes at rest */
    int draw_count;
    mh_aabb bounds;          /* of all draws at rest, in model space */
    uint32_t triangle_count; /* drawn at rest (each instance counted) */
} mh_gltf_model;

/* ---- loading ------------------------------------------------------------------ */

/* Loads a .gltf or .glb file; external files are read from its folder. desc
 * may be NULL (defaults). True when the model loaded (warnings may remain). */
bool mh_gltf_load(const char *path, const mh_gltf_desc *desc, mh_arena *arena, mh_gltf_model *out,
                  mh_gltf_report *report);
/* Loads from memory. base_dir: where relative URIs point; NULL forbids them. */
bool mh_gltf_load_memory(const void *data, size_t size, const char *base_dir, const mh_gltf_desc *desc, mh_arena *arena,
                         mh_gltf_model *out, mh_gltf_report *report);
/* Extensions the loader understands (others: a warning, or an error when required). */
bool mh_gltf_extension_supported(const char *name);

/* ---- helpers for static users and renderers ------------------------------------ */

/* The UVs a texture reference samples for prim, with its transform applied
 * (into arena); NULL when the prim lacks that TEXCOORD set or ref is unset. */
float *mh_gltf_ref_uvs(const mh_gltf_prim *prim, const mh_gltf_texture_ref *ref, mh_arena *arena);

/* Per-vertex tangents (xyzw) from positions, normals and TEXCOORD_<set>,
 * accumulated per triangle and orthogonalized (not MikkTSpace: use the
 * file's when it has them). Into arena; NULL without normals or that set. */
float *mh_gltf_generate_tangents(const mh_gltf_prim *prim, int set, mh_arena *arena);

/* ---- animation, per frame (pure C, no allocation) --------------------------------- */

/* Samples s at time t (clamped to its first and last key) into out[s->comps]:
 * STEP holds, LINEAR interpolates (rotations: shortest-path slerp), and
 * CUBICSPLINE is the cubic Hermite spline of glTF's Appendix C; rotations
 * come out normalized. */
void mh_gltf_anim_sample(const mh_gltf_anim_sampler *s, float t, float *out);

/* Local transforms and morph weights of every node, for one moment. */
typedef struct mh_gltf_pose {
    float (*translation)[3], (*rotation)[4], (*scale)[3]; /* node_count each */
    float *weights;                                       /* model.weight_count */
    mh_mat4 *world;                                       /* node_count */
} mh_gltf_pose;

/* Allocates a pose for m (in arena, once) and sets it to the rest pose. */
bool mh_gltf_pose_init(const mh_gltf_model *m, mh_arena *arena, mh_gltf_pose *pose);
/* The rest pose again (the nodes' own TRS and weights). */
void mh_gltf_pose_reset(const mh_gltf_model *m, mh_gltf_pose *pose);
/* Writes animation `anim` at time t (seconds; wrap it yourself to loop) into
 * the pose's local TRS and weights; channels it lacks keep their values. */
void mh_gltf_anim_apply(const mh_gltf_model *m, int anim, float t, mh_gltf_pose *pose);
/* pose.world for the default scene's nodes (model.order), from the local
 * TRS (a node with a matrix keeps its matrix). */
void mh_gltf_pose_world(const mh_gltf_model *m, mh_gltf_pose *pose);
/* out[j] = inverse(world of the skinned mesh's node) * world(joint j) *
 * inverse_bind[j], for every joint of skin s (the matrices a skinning
 * shader multiplies by). mesh_node: the node holding the mesh. */
void mh_gltf_skin_matrices(const mh_gltf_model *m, int s, int mesh_node, const mh_gltf_pose *pose, mh_mat4 *out);

#endif
