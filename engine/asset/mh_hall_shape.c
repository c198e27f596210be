/* mh_hall_shape.c - one shape object of a manifest read and checked, and
 * the vertices and triangles it generates (so budgets are checked before
 * any geometry is made). */
#include "mh_hall_shape.h"

#include <string.h>

static const char *const SHAPE_NAMES[] = {"box", "cylinder", "cone", "sphere", "torus"};

static bool fail_ptr(mh_json_reader *r, const char *ptr, const char *msg)
{
    return mh_fail(r->err, r->file, ptr, "%s", msg);
}

bool mh_hall_read_shape(mh_json_reader *r, const cJSON *j, const char *ptr, int texture_count, bool collide_default,
                        mh_shape_desc *s)
{
    const char *kind = NULL;
    if (!mh_json_object(r, j, ptr) || !mh_json_str(r, j, ptr, "shape", &kind))
        return false;
    int k = -1;
    for (int i = 0; i < (int)(sizeof SHAPE_NAMES / sizeof *SHAPE_NAMES); i++)
        if (strcmp(kind, SHAPE_NAMES[i]) == 0)
            k = i;
    char where[160];
    mh_json_ptr_key(where, sizeof where, ptr, "shape");
    if (k < 0)
        return mh_fail(r->err, r->file, where, "unknown shape (expected box, cylinder, cone, sphere or torus)");
    *s = (mh_shape_desc){
        .kind = k == 2  ? MH_SHAPE_CYLINDER
                : k > 2 ? (mh_shape_kind)(k - 1)
                        : (mh_shape_kind)k,
        .size = mh_v3(1, 1, 1),
        .color = mh_v3(0.6f, 0.6f, 0.6f),
        .top = k == 2 ? 0.0f : 1.0f,
        .thickness = 0.25f,
        .texture = -1,
        .collide = collide_default && k != 4,
    };
    if (!mh_json_vec3(r, j, ptr, "position", true, &s->pos) || !mh_json_vec3(r, j, ptr, "size", true, &s->size) ||
        !mh_json_vec3(r, j, ptr, "rotation_deg", false, &s->rot_deg) ||
        !mh_json_color_opt(r, j, ptr, "color", &s->color) || !mh_json_num_opt(r, j, ptr, "emissive", &s->emissive) ||
        !mh_json_num_opt(r, j, ptr, "top", &s->top) || !mh_json_num_opt(r, j, ptr, "thickness", &s->thickness) ||
        !mh_json_int_opt(r, j, ptr, "segments", 3, 128, &s->segments) ||
        !mh_json_int_opt(r, j, ptr, "texture", -1, texture_count - 1, &s->texture) ||
        !mh_json_num_opt(r, j, ptr, "uv_scale", &s->uv_scale) || !mh_json_bool_opt(r, j, ptr, "collide", &s->collide) ||
        !mh_json_num_opt(r, j, ptr, "metallic", &s->metallic) ||
        !mh_json_num_opt(r, j, ptr, "roughness", &s->roughness) ||
        !mh_json_num_opt(r, j, ptr, "occlusion", &s->occlusion) || !mh_json_num_opt(r, j, ptr, "halo", &s->halo))
        return false;
    mh_json_ptr_key(where, sizeof where, ptr, "halo");
    if (!(s->halo >= 0 && s->halo <= 10))
        return fail_ptr(r, where, "must be between 0 and 10 metres");
    if (s->halo > 0 && (k != 0 || s->emissive <= 0))
        return fail_ptr(r, where, "only a glowing box (\"shape\": \"box\", \"emissive\" above 0) has a halo");
    static const char *const unit_keys[3] = {"metallic", "roughness", "occlusion"};
    const float unit_vals[3] = {s->metallic, s->roughness, s->occlusion};
    for (int i = 0; i < 3; i++) {
        mh_json_ptr_key(where, sizeof where, ptr, unit_keys[i]);
        if (!(unit_vals[i] >= 0 && unit_vals[i] <= 1))
            return fail_ptr(r, where, "must be between 0 and 1");
    }
    mh_json_ptr_key(where, sizeof where, ptr, "size");
    if (s->size.x <= 0 || s->size.y <= 0 || s->size.z <= 0 || s->size.x > 1000 || s->size.y > 1000 || s->size.z > 1000)
        return fail_ptr(r, where, "every size must be greater than 0 and at most 1000 metres");
    mh_json_ptr_key(where, sizeof where, ptr, "top");
    if (s->top < 0 || s->top > 10)
        return fail_ptr(r, where, "top must be between 0 and 10");
    mh_json_ptr_key(where, sizeof where, ptr, "thickness");
    if (s->thickness <= 0 || s->thickness > 1)
        return fail_ptr(r, where, "thickness must be greater than 0 and at most 1");
    s->emissive = mh_clampf(s->emissive, 0, 1);
    if (s->uv_scale < 0)
        s->uv_scale = 0;
    return true;
}

void mh_shape_cost(const mh_shape_desc *s, uint32_t *out_vertices, uint32_t *out_triangles)
{
    uint32_t seg = s->segments ? (uint32_t)s->segments : 32u, v = 24, t = 12; /* a box */
    if (s->kind == MH_SHAPE_CYLINDER) {
        /* sides, and a fan for each cap that is not a point */
        uint32_t caps = (s->top > 0) + 1;
        v = 2 * (seg + 1) + caps * (seg + 1);
        t = 2 * seg + caps * seg;
    } else if (s->kind == MH_SHAPE_SPHERE) {
        uint32_t rings = seg / 2 < 3 ? 3 : seg / 2;
        v = (rings + 1) * (seg + 1);
        t = rings * seg * 2;
    } else if (s->kind == MH_SHAPE_TORUS) {
        v = (seg + 1) * 13;
        t = seg * 12 * 2;
    }
    *out_vertices = v;
    *out_triangles = t;
}
