/* mh_hall_shape.h - the primitive shapes halls, booth templates and
 * landmarks are built from (mh_hall_shape.c): their description, what
 * each generates, and the reader of one shape object in a manifest. */
#ifndef MH_HALL_SHAPE_H
#define MH_HALL_SHAPE_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/mh_math.h"
#include "mh_json.h"

typedef enum mh_shape_kind {
    MH_SHAPE_BOX,
    MH_SHAPE_CYLINDER, /* also cones and frustums, through `top` */
    MH_SHAPE_SPHERE,
    MH_SHAPE_TORUS, /* a ring lying in the XZ plane */
    MH_SHAPE_KIND_COUNT,
} mh_shape_kind;

/* One placed primitive. Positions are the centre of the shape's base (its
 * lowest point before rotation), so shapes stack by adding heights. */
typedef struct mh_shape_desc {
    mh_shape_kind kind;
    mh_vec3 pos;
    mh_vec3 size;    /* extents along x, y, z (diameters for round shapes) */
    mh_vec3 rot_deg; /* pitch (about x), yaw (about y), roll (about z) */
    mh_vec3 color;   /* linear RGB */
    float emissive;  /* 0 = lit, 1 = glows at full colour */
    float top;       /* cylinder top/bottom diameter ratio: 1 cylinder, 0 cone */
    float thickness; /* torus tube diameter as a fraction of size.x */
    int segments;    /* round shapes: 0 = default */
    int texture;     /* index into mh_hall_desc.textures, -1 = none */
    float uv_scale;  /* metres per texture repeat; 0 = stretch once */
    bool collide;    /* blocks walking (boxes and cylinders) */
    /* metallic-roughness material (glTF's): "metallic" 0..1, "roughness"
     * 0..1 (0 = the renderer's default satin finish), "occlusion" 0..1 of
     * ambient light blocked (baked ambient occlusion; 0 = none) */
    float metallic, roughness, occlusion;
    /* a glowing box's halo: the light it spills on what is round it, this
     * many metres wide round its lower face (ceiling panels); 0 = none */
    float halo;
} mh_shape_desc;

/* Vertices and triangles a shape generates (exactly what mh_mesh_add_shape
 * writes), so budgets are checked before any geometry is made. */
void mh_shape_cost(const mh_shape_desc *s, uint32_t *out_vertices, uint32_t *out_triangles);

/* One shape object at ptr ("shape", "position", "size", ... as in hall.json's
 * "architecture"), checked with located errors. */
bool mh_hall_read_shape(mh_json_reader *r, const cJSON *j, const char *ptr, int texture_count, bool collide_default,
                        mh_shape_desc *s);

#endif
