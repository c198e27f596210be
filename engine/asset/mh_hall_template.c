/* mh_hall_template.c - booth templates: what a booth is made of, as data.
 *
 * hall.json's "booth_templates" maps a name to a template: its "neutral"
 * colour, where the landmark stands ("landmark": [x, y, z], the top of its
 * plinth) and its "parts": shapes as in "architecture", placed in booth
 * space (+Z towards the visitors, the origin on the floor at the booth's
 * centre), each with a colour role: "accent" (the exhibit's accent),
 * "neutral" (the template's) or "custom" (the part's own "color"), times
 * "shade", and a box may show the exhibit's name on its front with
 * "label": "name". A zone or a booth picks one with "template"; "booth":
 * {"template"} is the default. A hall without templates gets the built-in
 * "standard": a dark platform with an accent edge, a grey back wall and
 * accent fins. */
#include "mh_hall_template.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define PLATFORM_H 0.12f
#define WALL_T 0.16f
#define PART_REACH 1.5f /* metres a part may reach beyond the booth's footprint */

static const char *const ROLE_NAMES[] = {"custom", "accent", "neutral"};

static bool fail_at(mh_json_reader *r, const char *ptr, const char *msg)
{
    return mh_fail(r->err, r->file, ptr, "%s", msg);
}

static mh_booth_part box_part(mh_vec3 pos, mh_vec3 size, mh_part_role role, float shade, mh_vec3 color)
{
    return (mh_booth_part){
        .shape = {.kind = MH_SHAPE_BOX,
                  .pos = pos,
                  .size = size,
                  .color = color,
                  .top = 1,
                  .thickness = 0.25f,
                  .texture = -1},
        .role = role,
        .shade = shade,
    };
}

/* The booth the hall drew before templates: a dark platform, the accent
 * along its front edge, a grey back wall and accent fins either side. */
static bool builtin_template(mh_arena *a, mh_booth_frame f, mh_booth_template *t)
{
    float W = f.width, D = f.depth, H = f.wall_height;
    mh_booth_part *p = MH_ARENA_NEW(a, mh_booth_part, 5);
    if (!p)
        return false;
    p[0] = box_part(mh_v3(0, 0, 0), mh_v3(W, PLATFORM_H, D), MH_PART_CUSTOM, 1, mh_v3(0.05f, 0.055f, 0.07f));
    p[0].shape.roughness = 0.35f;
    p[1] = box_part(mh_v3(0, PLATFORM_H, D / 2 - 0.03f), mh_v3(W, 0.03f, 0.06f), MH_PART_ACCENT, 1, mh_v3(0, 0, 0));
    p[1].shape.emissive = 1;
    p[2] = box_part(mh_v3(0, PLATFORM_H, -D / 2 + WALL_T / 2), mh_v3(W, H + 1.45f, WALL_T), MH_PART_CUSTOM, 1,
                    mh_v3(0.42f, 0.43f, 0.46f));
    for (int s = 0; s < 2; s++) {
        mh_booth_part *fin = &p[3 + s];
        *fin = box_part(mh_v3((s ? 1.0f : -1.0f) * (W / 2 - 0.04f), PLATFORM_H, -D / 2 + 0.45f),
                        mh_v3(0.08f, H + 1.45f, 0.7f), MH_PART_ACCENT, 0.6f, mh_v3(0, 0, 0));
        fin->shape.emissive = 0.25f;
        fin->shape.metallic = 0.6f;
        fin->shape.roughness = 0.35f;
    }
    *t = (mh_booth_template){.name = "standard",
                             .neutral = mh_v3(0.42f, 0.43f, 0.46f),
                             .landmark = mh_v3(0, PLATFORM_H, 0.25f),
                             .parts = p,
                             .part_count = 5};
    return true;
}

/* What a template's parts generate, per booth. */
static void template_cost(mh_booth_template *t)
{
    t->vertices = t->triangles = 0;
    for (int i = 0; i < t->part_count; i++) {
        uint32_t v, tr;
        mh_shape_cost(&t->parts[i].shape, &v, &tr);
        t->vertices += v;
        t->triangles += tr;
    }
}

/* A part: a shape, its role and shade; it stays near the booth. */
static bool read_part(mh_json_reader *r, const cJSON *j, const char *ptr, mh_booth_frame f, mh_booth_part *p)
{
    const char *role = "custom", *label = NULL;
    p->shade = 1;
    if (!mh_hall_read_shape(r, j, ptr, f.texture_count, false, &p->shape) ||
        !mh_json_str_opt(r, j, ptr, "role", &role) || !mh_json_num_opt(r, j, ptr, "shade", &p->shade) ||
        !mh_json_str_opt(r, j, ptr, "label", &label))
        return false;
    p->shape.collide = false; /* a booth blocks walking by its footprint */
    char where[200];
    mh_json_ptr_key(where, sizeof where, ptr, "halo");
    if (p->shape.halo > 0)
        return mh_fail(r->err, r->file, where, "a halo is drawn round the hall's architecture only");
    mh_json_ptr_key(where, sizeof where, ptr, "role");
    int k = -1;
    for (int i = 0; i < 3; i++)
        if (!strcmp(role, ROLE_NAMES[i]))
            k = i;
    if (k < 0)
        return fail_at(r, where, "unknown role (expected accent, neutral or custom)");
    p->role = (mh_part_role)k;
    if (k != MH_PART_CUSTOM && cJSON_GetObjectItemCaseSensitive(j, "color")) {
        mh_json_ptr_key(where, sizeof where, ptr, "color");
        return fail_at(r, where,
                       "only a custom part has a color (an accent part takes the exhibit's, a neutral one the "
                       "template's \"neutral\")");
    }
    mh_json_ptr_key(where, sizeof where, ptr, "shade");
    if (!(p->shade >= 0 && p->shade <= 4))
        return fail_at(r, where, "shade must be 0 to 4 (the role's colour times it)");
    mh_json_ptr_key(where, sizeof where, ptr, "label");
    if (label && strcmp(label, "name"))
        return fail_at(r, where, "unknown label (expected \"name\": the exhibit's short name)");
    if (label && p->shape.kind != MH_SHAPE_BOX)
        return fail_at(r, where, "a label is drawn on a box's front face (+Z): this part is not a box");
    p->label = label ? MH_LABEL_NAME : MH_LABEL_NONE;
    const mh_shape_desc *s = &p->shape;
    float rx = f.width / 2 + PART_REACH, rz = f.depth / 2 + PART_REACH, top = f.wall_height + 6;
    mh_json_ptr_key(where, sizeof where, ptr, "position");
    if (fabsf(s->pos.x) > rx || fabsf(s->pos.z) > rz || s->pos.y < -0.5f || s->pos.y > top)
        return mh_fail(r->err, r->file, where,
                       "a part must stand on the booth: x within %.1f m and z within %.1f m of its centre, y from "
                       "-0.5 to %.1f m (booth space: +Z towards the visitors, the origin on the floor)",
                       (double)rx, (double)rz, (double)top);
    return true;
}

static bool read_template(mh_json_reader *r, const cJSON *j, const char *ptr, mh_arena *a, mh_booth_frame f,
                          mh_booth_template *t)
{
    const cJSON *parts;
    *t = (mh_booth_template){.name = mh_arena_strdup(a, j->string),
                             .neutral = mh_v3(0.42f, 0.43f, 0.46f),
                             .landmark = mh_v3(0, PLATFORM_H, 0.25f)};
    if (!mh_json_object(r, j, ptr) || !mh_json_color_opt(r, j, ptr, "neutral", &t->neutral) ||
        !mh_json_vec3(r, j, ptr, "landmark", false, &t->landmark) || !mh_json_array_opt(r, j, ptr, "parts", &parts))
        return false;
    char where[200];
    mh_json_ptr_key(where, sizeof where, ptr, "landmark");
    if (fabsf(t->landmark.x) > f.width / 2 || fabsf(t->landmark.z) > f.depth / 2 || t->landmark.y < 0 ||
        t->landmark.y > 3)
        return fail_at(r, where, "the landmark must stand inside the booth's footprint, 0 to 3 m up");
    mh_json_ptr_key(where, sizeof where, ptr, "parts");
    int n = parts ? cJSON_GetArraySize(parts) : 0;
    if (n < 1 || n > MH_MAX_TEMPLATE_PARTS)
        return mh_fail(r->err, r->file, where, "a booth template needs 1 to %d parts", MH_MAX_TEMPLATE_PARTS);
    if (!(t->parts = MH_ARENA_NEW(a, mh_booth_part, n)))
        return fail_at(r, where, "out of memory");
    int i = 0;
    for (const cJSON *e = parts->child; e; e = e->next, i++) {
        char pp[200];
        mh_json_ptr_index(pp, sizeof pp, where, i);
        if (!read_part(r, e, pp, f, &t->parts[i]))
            return false;
    }
    t->part_count = n;
    template_cost(t);
    return true;
}

bool mh_booth_templates_read(mh_json_reader *r, const cJSON *root, mh_booth_frame frame, mh_arena *a,
                             mh_booth_template **out, int *count)
{
    const cJSON *obj = cJSON_GetObjectItemCaseSensitive(root, "booth_templates");
    if (obj && !mh_json_object(r, obj, "/booth_templates"))
        return false;
    int n = obj ? cJSON_GetArraySize(obj) : 0;
    if (obj && (n < 1 || n > MH_MAX_BOOTH_TEMPLATES))
        return mh_fail(r->err, r->file, "/booth_templates", "a hall has 1 to %d booth templates (by name)",
                       MH_MAX_BOOTH_TEMPLATES);
    mh_booth_template *t = MH_ARENA_NEW(a, mh_booth_template, n ? n : 1);
    if (!t || (!obj && !builtin_template(a, frame, t)))
        return fail_at(r, "/booth_templates", "out of memory");
    if (!obj)
        template_cost(t);
    int i = 0;
    for (const cJSON *e = obj ? obj->child : NULL; e; e = e->next, i++) {
        char ptr[200];
        mh_json_ptr_key(ptr, sizeof ptr, "/booth_templates", e->string);
        if (!read_template(r, e, ptr, a, frame, &t[i]))
            return false;
    }
    *out = t;
    *count = obj ? n : 1;
    return true;
}

bool mh_booth_template_pick(mh_json_reader *r, const mh_booth_template *t, int n, const cJSON *obj, const char *ptr,
                            int dflt, int *out)
{
    const char *name = NULL;
    *out = dflt;
    if (!mh_json_str_opt(r, obj, ptr, "template", &name))
        return false;
    if (!name)
        return true;
    char where[200];
    mh_json_ptr_key(where, sizeof where, ptr, "template");
    if ((*out = mh_booth_template_find(t, n, name)) < 0)
        return fail_at(r, where, "no booth template by this name (see \"booth_templates\")");
    return true;
}

mh_vec3 mh_booth_part_color(const mh_booth_template *t, int k, mh_vec3 accent)
{
    const mh_booth_part *p = &t->parts[k];
    if (p->role == MH_PART_CUSTOM)
        return p->shape.color;
    return mh_v3_scale(p->role == MH_PART_ACCENT ? accent : t->neutral, p->shade);
}

int mh_booth_template_find(const mh_booth_template *t, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(t[i].name, name))
            return i;
    return -1;
}
