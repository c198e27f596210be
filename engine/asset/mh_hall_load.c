/* mh_hall_load.c - reads hall.json and exhibit.json into mh_hall_desc.
 *
 * Every value is checked as it is read; the first problem stops the file and
 * is reported with its JSON pointer. Limits keep a hostile manifest from
 * taking unbounded memory. */
#include "mh_hall_load.h"

#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/mh_fs.h"
#include "../core/mh_log.h"
#include "mh_json.h"

#define MAX_SIGNS 256
#define MAX_TEXTURES 64

/* Copies a string owned by cJSON into the arena (NULL stays NULL). */
static const char *keep(mh_arena *a, const char *s) { return s ? mh_arena_strdup(a, s) : NULL; }

static bool fail_ptr(mh_json_reader *r, const char *ptr, const char *msg)
{
    return mh_fail(r->err, r->file, ptr, "%s", msg);
}

/* Adds what a list of shapes generates; false when it passes the budget
 * (vertices and triangles) given, with a located error. */
static bool shapes_within(mh_json_reader *r, const char *key, const mh_shape_desc *shapes, int n, uint32_t max_v,
                          uint32_t max_t, const char *what, uint32_t *io_v, uint32_t *io_t)
{
    uint64_t v = *io_v, t = *io_t;
    for (int i = 0; i < n; i++) {
        uint32_t sv, st;
        mh_shape_cost(&shapes[i], &sv, &st);
        v += sv;
        t += st;
        if (v > max_v || t > max_t) {
            char ptr[64];
            snprintf(ptr, sizeof ptr, "/%s/%d", key, i);
            return mh_fail(r->err, r->file, ptr,
                           "the shapes up to here make %llu triangles and %llu vertices, more than %s budget of %u "
                           "triangles and %u vertices (\"budgets\" in hall.json; fewer shapes or segments)",
                           (unsigned long long)t, (unsigned long long)v, what, max_t, max_v);
        }
    }
    *io_v = (uint32_t)v;
    *io_t = (uint32_t)t;
    return true;
}

static bool read_shapes(mh_json_reader *r, const cJSON *root, const char *key, mh_arena *a, int texture_count,
                        bool collide_default, int max_shapes, mh_shape_desc **out, int *out_count)
{
    const cJSON *arr;
    *out = NULL;
    *out_count = 0;
    if (!mh_json_array_opt(r, root, "", key, &arr))
        return false;
    if (!arr)
        return true;
    int n = cJSON_GetArraySize(arr);
    char ptr[160];
    mh_json_ptr_key(ptr, sizeof ptr, "", key);
    if (n > max_shapes)
        return mh_fail(r->err, r->file, ptr, "%d shapes is more than the budget of %d (budgets.shapes in hall.json)", n,
                       max_shapes);
    *out = MH_ARENA_NEW(a, mh_shape_desc, n ? n : 1);
    if (!*out)
        return fail_ptr(r, ptr, "out of memory");
    int i = 0;
    for (const cJSON *e = arr->child; e; e = e->next, i++) {
        char eptr[160];
        mh_json_ptr_index(eptr, sizeof eptr, ptr, i);
        if (!mh_hall_read_shape(r, e, eptr, texture_count, collide_default, &(*out)[i]))
            return false;
        char hptr[200];
        mh_json_ptr_key(hptr, sizeof hptr, eptr, "halo");
        if ((*out)[i].halo > 0 && strcmp(key, "architecture") != 0)
            return fail_ptr(r, hptr, "a halo is drawn round the hall's architecture only");
    }
    *out_count = n;
    return true;
}

static bool read_sign(mh_json_reader *r, const cJSON *j, const char *ptr, mh_arena *a, mh_sign_desc *s)
{
    *s = (mh_sign_desc){.size = {4, 1}, .background = mh_v3(0.02f, 0.03f, 0.06f)};
    const cJSON *lines;
    if (!mh_json_object(r, j, ptr) || !mh_json_vec3(r, j, ptr, "position", true, &s->pos) ||
        !mh_json_num_opt(r, j, ptr, "yaw_deg", &s->yaw_deg) || !mh_json_vec2(r, j, ptr, "size", true, &s->size) ||
        !mh_json_color_opt(r, j, ptr, "background", &s->background) || !mh_json_array_opt(r, j, ptr, "lines", &lines))
        return false;
    char where[160];
    mh_json_ptr_key(where, sizeof where, ptr, "size");
    if (s->size.x <= 0 || s->size.y <= 0 || s->size.x > 100 || s->size.y > 100)
        return fail_ptr(r, where, "sign size must be between 0 and 100 metres");
    mh_json_ptr_key(where, sizeof where, ptr, "lines");
    if (!lines || cJSON_GetArraySize(lines) < 1 || cJSON_GetArraySize(lines) > MH_MAX_SIGN_LINES)
        return mh_fail(r->err, r->file, where, "a sign needs 1 to %d lines of text", MH_MAX_SIGN_LINES);
    for (const cJSON *e = lines->child; e; e = e->next) {
        char lptr[160];
        mh_json_ptr_index(lptr, sizeof lptr, where, s->line_count);
        mh_sign_line *l = &s->lines[s->line_count++];
        l->size = 0.5f;
        l->color = mh_v3(1, 1, 1);
        if (!mh_json_object(r, e, lptr) || !mh_json_text(r, e, lptr, "text", true, MH_TEXT_MAX_LINE, &l->text) ||
            !mh_json_num_opt(r, e, lptr, "size", &l->size) || !mh_json_color_opt(r, e, lptr, "color", &l->color))
            return false;
        l->text = keep(a, l->text);
        l->size = mh_clampf(l->size, 0.02f, 1.0f);
    }
    return true;
}

/* exhibit.json's "scale" (a number > 0), "fit" (a boolean) and
 * "animation" (a name, an index, or false). */
static bool read_model_options(mh_json_reader *r, const cJSON *root, mh_arena *a, mh_exhibit_desc *out)
{
    if (!mh_json_num_opt(r, root, "", "scale", &out->model_scale) ||
        !mh_json_bool_opt(r, root, "", "fit", &out->model_fit))
        return false;
    if (cJSON_GetObjectItemCaseSensitive(root, "scale") && !(out->model_scale > 0 && out->model_scale <= 1000))
        return mh_fail(r->err, r->file, "/scale", "scale must be greater than 0 and at most 1000");
    out->turn_set = cJSON_GetObjectItemCaseSensitive(root, "turn") != NULL;
    if (!mh_json_num_opt(r, root, "", "turn", &out->turn_deg_s))
        return false;
    if (!(fabsf(out->turn_deg_s) <= 90))
        return mh_fail(r->err, r->file, "/turn",
                       "turn must be -90 to 90 degrees a second (0: the landmark stands still)");
    const cJSON *an = cJSON_GetObjectItemCaseSensitive(root, "animation");
    if (!an)
        return true;
    if (cJSON_IsFalse(an)) {
        out->animation = MH_ANIMATION_OFF;
    } else if (cJSON_IsNumber(an) && an->valuedouble >= 0 && an->valuedouble < 1e6 &&
               an->valuedouble == (double)(int)an->valuedouble) {
        out->animation = (int)an->valuedouble;
    } else if (cJSON_IsString(an) && an->valuestring[0] && strlen(an->valuestring) <= MH_TEXT_MAX_NAME) {
        out->animation = MH_ANIMATION_NAMED;
        out->animation_name = mh_arena_strdup(a, an->valuestring);
    } else {
        return mh_fail(r->err, r->file, "/animation",
                       "animation must be an animation's name, its index (0 = the first) or false");
    }
    return true;
}

static bool exhibit_parse(const char *text, size_t size, const char *path, const char *expected_id,
                          const mh_budget *budget, mh_arena *a, mh_exhibit_desc *out, mh_error *err)
{
    memset(out, 0, sizeof *out);
    snprintf(out->id, sizeof out->id, "%s", expected_id ? expected_id : "");
    out->accent = mh_v3(0.2f, 0.4f, 0.8f);
    cJSON *root = mh_json_parse(text, size, path, err);
    if (!root)
        return false;
    mh_json_reader r = {path, err};
    const char *id = NULL, *fmt = NULL;
    bool ok = mh_json_object(&r, root, "") && mh_json_str_opt(&r, root, "", "format", &fmt) &&
              mh_json_str(&r, root, "", "id", &id);
    if (ok && fmt && strncmp(fmt, "metahall-exhibit/1", 18) != 0)
        ok = mh_fail(err, path, "/format", "unsupported format (expected \"metahall-exhibit/1\")");
    if (ok && !mh_exhibit_id_valid(id))
        ok = mh_fail(err, path, "/id", "an exhibit id must be 1-31 characters of a-z, 0-9, _ and -");
    if (ok && expected_id && strcmp(id, expected_id) != 0)
        ok = mh_fail(err, path, "/id", "id \"%.40s\" does not match its folder name \"%s\"", id, expected_id);
    const char *s[10] = {0};
    static const char *const keys[10] = {"name_zh", "name_en",    "short_zh",   "short_en",    "city_zh",
                                         "city_en", "tagline_zh", "tagline_en", "landmark_zh", "landmark_en"};
    for (int i = 0; ok && i < 10; i++) /* names go on signs: short; taglines and landmarks one line */
        ok = mh_json_text(&r, root, "", keys[i], i < 2, i < 6 ? MH_TEXT_MAX_NAME : MH_TEXT_MAX_LINE, &s[i]);
    const char *model = NULL;
    ok = ok && mh_json_color_opt(&r, root, "", "accent", &out->accent) &&
         read_shapes(&r, root, "landmark", a, 0, false, (int)budget->shapes, &out->landmark, &out->landmark_count) &&
         shapes_within(&r, "landmark", out->landmark, out->landmark_count, budget->vertices, budget->triangles,
                       "the exhibit's", &out->shape_vertices, &out->shape_triangles) &&
         mh_json_str_opt(&r, root, "", "model", &model);
    ok = ok && read_model_options(&r, root, a, out);
    if (ok && model) {
        char dir[1024], full[1200];
        mh_fs_dirname(path, dir, sizeof dir);
        size_t ml = strlen(model);
        if (!mh_fs_join_inside(dir, model, full, sizeof full))
            ok = mh_fail(err, path, "/model", "the path must stay inside the exhibit's folder");
        else if (ml < 5 || (strcmp(model + ml - 4, ".glb") && strcmp(model + ml - 5, ".gltf")))
            ok = mh_fail(err, path, "/model", "the model must be a .glb or .gltf file");
        else
            out->model = mh_arena_strdup(a, full);
    }
    if (ok) {
        char dir[1024];
        mh_fs_dirname(path, dir, sizeof dir);
        mh_exhibit_facts f = {0};
        ok = mh_facts_read(&r, root, dir, a, &f);
        out->facts = f.facts;
        out->fact_count = f.fact_count;
        out->charts = f.charts;
        out->chart_count = f.chart_count;
        out->narration_zh = f.narration_zh;
        out->narration_en = f.narration_en;
        memcpy(out->images, f.images, sizeof out->images);
        memcpy(out->image_captions_zh, f.image_captions_zh, sizeof out->image_captions_zh);
        memcpy(out->image_captions_en, f.image_captions_en, sizeof out->image_captions_en);
        out->image_count = f.image_count;
        memcpy(out->videos, f.videos, sizeof out->videos);
        out->video_count = f.video_count;
        out->narration_audio_zh = f.narration_audio_zh;
        out->narration_audio_en = f.narration_audio_en;
        out->url = f.url;
    }
    if (ok) {
        char dir[1024];
        mh_fs_dirname(path, dir, sizeof dir);
        out->dir = mh_arena_strdup(a, dir);
        snprintf(out->id, sizeof out->id, "%s", id);
        out->name_zh = keep(a, s[0]);
        out->name_en = keep(a, s[1]);
        out->short_zh = keep(a, s[2] ? s[2] : s[0]);
        out->short_en = keep(a, s[3] ? s[3] : s[1]);
        out->city_zh = keep(a, s[4]);
        out->city_en = keep(a, s[5]);
        out->tagline_zh = keep(a, s[6]);
        out->tagline_en = keep(a, s[7]);
        out->landmark_zh = keep(a, s[8]);
        out->landmark_en = keep(a, s[9]);
        out->loaded = true;
    }
    cJSON_Delete(root);
    return ok;
}

bool mh_exhibit_parse(const char *text, size_t size, const char *path, const char *expected_id, mh_arena *a,
                      mh_exhibit_desc *out, mh_error *err)
{
    mh_budget b = mh_budget_defaults((mh_budget){0});
    return exhibit_parse(text, size, path, expected_id, &b, a, out, err);
}

bool mh_exhibit_load_budget(const char *path, const char *expected_id, const mh_budget *budget, mh_arena *a,
                            mh_exhibit_desc *out, mh_error *err)
{
    char *text, dir[1024];
    size_t size;
    memset(out, 0, sizeof *out); /* before reading: err may point into *out */
    snprintf(out->id, sizeof out->id, "%s", expected_id ? expected_id : "");
    mh_fs_dirname(path, dir, sizeof dir);
    if (!mh_fs_read(path, dir, MH_MANIFEST_MAX_BYTES, &text, &size, err))
        return false;
    bool ok = exhibit_parse(text, size, path, expected_id, budget, a, out, err);
    free(text);
    return ok;
}

bool mh_exhibit_load(const char *path, const char *expected_id, mh_arena *a, mh_exhibit_desc *out, mh_error *err)
{
    mh_budget b = mh_budget_defaults((mh_budget){0});
    return mh_exhibit_load_budget(path, expected_id, &b, a, out, err);
}

/* One booth: its exhibit id checked and unique, its exhibit loaded (a broken
 * exhibit keeps its error and shows a placeholder). where: the id's JSON
 * pointer; yaw NAN faces the booth toward focus. */
static bool add_booth(mh_json_reader *r, const char *where, const char *id, mh_vec2 pos, float yaw, mh_vec2 focus,
                      int zone, int template_index, const char *exhibits_dir, mh_arena *a, mh_hall_desc *h)
{
    if (!mh_exhibit_id_valid(id))
        return mh_fail(r->err, r->file, where, "an exhibit id must be 1-31 characters of a-z, 0-9, _ and -");
    for (int k = 0; k < h->booth_count; k++)
        if (strcmp(h->booths[k].exhibit.id, id) == 0)
            return mh_fail(r->err, r->file, where, "exhibit \"%s\" already has a booth (booth %d)", id, k);
    mh_booth_desc *b = &h->booths[h->booth_count++];
    b->pos = pos;
    b->zone = zone;
    b->template_index = template_index;
    /* booths face the focus point unless a yaw is given */
    b->yaw_deg = isnan(yaw) ? atan2f(focus.x - pos.x, focus.y - pos.y) * 180.0f / MH_PI : yaw;
    char path[1024], rel[64];
    snprintf(rel, sizeof rel, "%s/exhibit.json", id);
    mh_fs_join(exhibits_dir, rel, path, sizeof path);
    mh_exhibit_desc *x = &b->exhibit;
    if (h->cancel && atomic_load(h->cancel)) {
        mh_fail(&x->error, path, "", "loading was cancelled");
        snprintf(x->id, sizeof x->id, "%s", id);
        return true;
    }
    if (!mh_exhibit_load_budget(path, id, &h->budget, a, x, &x->error)) {
        char text[1024];
        mh_log_error("hall", "booth %d: %s (showing a placeholder)", h->booth_count - 1,
                     mh_error_text(&x->error, text, sizeof text));
        snprintf(x->id, sizeof x->id, "%s", id);
    }
    return true;
}

/* The widest gap between the footprints of booths a and b along their
 * edges' directions: a lower bound of their distance (<= 0: they touch). */
float mh_hall_booth_gap(const mh_hall_desc *h, int a, int b)
{
    const mh_booth_desc *p[2] = {&h->booths[a], &h->booths[b]};
    mh_vec2 axes[4], corners[2][4];
    for (int k = 0; k < 2; k++) {
        float y = mh_radians(p[k]->yaw_deg), c = cosf(y), s = sinf(y);
        mh_vec2 ax = {c, -s}, az = {s, c};
        axes[2 * k] = ax;
        axes[2 * k + 1] = az;
        for (int i = 0; i < 4; i++) {
            float sx = (i & 1 ? 0.5f : -0.5f) * h->booth_width, sz = (i & 2 ? 0.5f : -0.5f) * h->booth_depth;
            corners[k][i] = (mh_vec2){p[k]->pos.x + ax.x * sx + az.x * sz, p[k]->pos.y + ax.y * sx + az.y * sz};
        }
    }
    float gap = -1e30f;
    for (int i = 0; i < 4; i++) {
        float lo[2] = {1e30f, 1e30f}, hi[2] = {-1e30f, -1e30f};
        for (int k = 0; k < 2; k++)
            for (int c = 0; c < 4; c++) {
                float d = corners[k][c].x * axes[i].x + corners[k][c].y * axes[i].y;
                lo[k] = fminf(lo[k], d);
                hi[k] = fmaxf(hi[k], d);
            }
        gap = fmaxf(gap, fmaxf(lo[1] - hi[0], lo[0] - hi[1]));
    }
    return gap;
}

/* The zone's fields and its line; its booths come next (read_zone_booths). */
static bool read_zone_fields(mh_json_reader *r, const cJSON *j, const char *ptr, mh_zone_desc *z, float *yaw,
                             mh_vec2 *focus, const cJSON **ids)
{
    const char *zh = NULL, *en = NULL;
    bool has_to = cJSON_GetObjectItemCaseSensitive(j, "to") != NULL;
    if (!mh_json_object(r, j, ptr) || !mh_json_text(r, j, ptr, "name_zh", true, MH_TEXT_MAX_NAME, &zh) ||
        !mh_json_text(r, j, ptr, "name_en", true, MH_TEXT_MAX_NAME, &en) ||
        !mh_json_color_opt(r, j, ptr, "color", &z->color) || !mh_json_vec2(r, j, ptr, "from", true, &z->from) ||
        !mh_json_vec2(r, j, ptr, "to", false, &z->to) || !mh_json_num_opt(r, j, ptr, "yaw_deg", yaw) ||
        !mh_json_vec2(r, j, ptr, "focus", false, focus) ||
        !mh_json_num_opt(r, j, ptr, "sign_height", &z->sign_height) || !mh_json_array_opt(r, j, ptr, "booths", ids))
        return false;
    if (!has_to)
        z->to = z->from;
    z->name_zh = zh;
    z->name_en = en;
    char where[160];
    mh_json_ptr_key(where, sizeof where, ptr, "sign_height");
    if (!(z->sign_height >= 1 && z->sign_height <= 50))
        return fail_ptr(r, where, "the sign's height must be 1-50 m");
    mh_json_ptr_key(where, sizeof where, ptr, "booths");
    int n = *ids ? cJSON_GetArraySize(*ids) : 0;
    if (n < 1)
        return fail_ptr(r, where, "a zone needs at least one booth (a list of exhibit ids)");
    if (n > 1 && !has_to)
        return fail_ptr(r, where,
                        "a zone with more than one booth needs \"to\": its booths stand from \"from\" to \"to\"");
    return true;
}

/* One zone: its booths evenly spaced from `from` to `to` (one booth: halfway),
 * each at least MH_ZONE_MIN_GAP from the one before. */
static bool read_zone(mh_json_reader *r, const cJSON *j, const char *ptr, mh_vec2 hall_focus, int zi, int dflt,
                      const char *exhibits_dir, mh_arena *a, mh_hall_desc *h)
{
    mh_zone_desc *z = &h->zones[zi];
    *z = (mh_zone_desc){.color = mh_v3(0.05f, 0.35f, 0.8f), .sign_height = 6.4f, .first_booth = h->booth_count};
    float yaw = NAN;
    mh_vec2 focus = hall_focus;
    const cJSON *ids = NULL;
    int tpl;
    if (!read_zone_fields(r, j, ptr, z, &yaw, &focus, &ids) ||
        !mh_booth_template_pick(r, h->templates, h->template_count, j, ptr, dflt, &tpl))
        return false;
    z->name_zh = keep(a, z->name_zh);
    z->name_en = keep(a, z->name_en);
    int n = cJSON_GetArraySize(ids), k = 0;
    for (const cJSON *e = ids->child; e; e = e->next, k++) {
        char where[160], list[160];
        mh_json_ptr_key(list, sizeof list, ptr, "booths");
        mh_json_ptr_index(where, sizeof where, list, k);
        if (!cJSON_IsString(e))
            return fail_ptr(r, where, "expected an exhibit id (a string)");
        float t = n > 1 ? (float)k / (float)(n - 1) : 0.5f;
        mh_vec2 pos = {z->from.x + (z->to.x - z->from.x) * t, z->from.y + (z->to.y - z->from.y) * t};
        if (!add_booth(r, where, e->valuestring, pos, yaw, focus, zi, tpl, exhibits_dir, a, h))
            return false;
        if (k > 0 && mh_hall_booth_gap(h, h->booth_count - 2, h->booth_count - 1) < MH_ZONE_MIN_GAP)
            return mh_fail(r->err, r->file, where,
                           "this booth stands closer than %.1f m to the one before it (move \"from\" and \"to\" "
                           "further apart, or turn the booths with \"yaw_deg\")",
                           (double)MH_ZONE_MIN_GAP);
    }
    z->booth_count = n;
    return true;
}

/* "zones": [{"name_zh", "name_en", "from", "to", "booths": [ids], ...}] */
static int count_zone_booths(const cJSON *zones)
{
    int n = 0;
    for (const cJSON *z = zones ? zones->child : NULL; z; z = z->next) {
        const cJSON *ids = cJSON_IsObject(z) ? cJSON_GetObjectItemCaseSensitive(z, "booths") : NULL;
        n += cJSON_IsArray(ids) ? cJSON_GetArraySize(ids) : 0;
    }
    return n;
}

static bool read_booths(mh_json_reader *r, const cJSON *root, mh_arena *a, const char *exhibits_dir, int dflt,
                        mh_hall_desc *h)
{
    const cJSON *arr, *zones;
    if (!mh_json_array_opt(r, root, "", "booths", &arr) || !mh_json_array_opt(r, root, "", "zones", &zones))
        return false;
    int nz = zones ? cJSON_GetArraySize(zones) : 0;
    if (nz > MH_MAX_ZONES)
        return mh_fail(r->err, r->file, "/zones", "%d zones is more than the limit of %d", nz, MH_MAX_ZONES);
    int n = (arr ? cJSON_GetArraySize(arr) : 0) + count_zone_booths(zones);
    if (n > MH_HALL_MAX_BOOTHS)
        return mh_fail(r->err, r->file, "/booths", "%d booths is more than the limit of %d (see assets/README.md)", n,
                       MH_HALL_MAX_BOOTHS);
    mh_vec2 focus = h->stage_pos;
    if (!mh_json_vec2(r, root, "", "booth_focus", false, &focus))
        return false;
    h->booths = MH_ARENA_NEW(a, mh_booth_desc, n ? n : 1);
    h->zones = MH_ARENA_NEW(a, mh_zone_desc, nz ? nz : 1);
    int i = 0;
    for (const cJSON *e = arr ? arr->child : NULL; e; e = e->next, i++) {
        char ptr[160], where[160];
        mh_json_ptr_index(ptr, sizeof ptr, "/booths", i);
        const char *id = NULL;
        float yaw = NAN;
        mh_vec2 pos;
        int tpl;
        if (!mh_json_object(r, e, ptr) || !mh_json_str(r, e, ptr, "exhibit", &id) ||
            !mh_json_vec2(r, e, ptr, "position", true, &pos) || !mh_json_num_opt(r, e, ptr, "yaw_deg", &yaw) ||
            !mh_booth_template_pick(r, h->templates, h->template_count, e, ptr, dflt, &tpl))
            return false;
        mh_json_ptr_key(where, sizeof where, ptr, "exhibit");
        if (!add_booth(r, where, id, pos, yaw, focus, -1, tpl, exhibits_dir, a, h))
            return false;
    }
    i = 0;
    for (const cJSON *e = zones ? zones->child : NULL; e; e = e->next, i++) {
        char ptr[64];
        mh_json_ptr_index(ptr, sizeof ptr, "/zones", i);
        if (!read_zone(r, e, ptr, focus, i, dflt, exhibits_dir, a, h))
            return false;
        h->zone_count = i + 1;
    }
    return true;
}

static bool read_fonts_and_textures(mh_json_reader *r, const cJSON *root, mh_arena *a, mh_hall_desc *h)
{
    const cJSON *fonts, *tex;
    if (!mh_json_array_opt(r, root, "", "fonts", &fonts) || !mh_json_array_opt(r, root, "", "textures", &tex))
        return false;
    int i = 0;
    for (const cJSON *e = fonts ? fonts->child : NULL; e && h->font_count < MH_MAX_FONTS; e = e->next, i++) {
        char ptr[64];
        mh_json_ptr_index(ptr, sizeof ptr, "/fonts", i);
        if (!cJSON_IsString(e))
            return fail_ptr(r, ptr, "expected a font file path (a string)");
        h->fonts[h->font_count++] = keep(a, e->valuestring);
    }
    int n = tex ? cJSON_GetArraySize(tex) : 0;
    if (n > MAX_TEXTURES)
        return mh_fail(r->err, r->file, "/textures", "%d textures is more than the limit of %d", n, MAX_TEXTURES);
    h->textures = MH_ARENA_NEW(a, const char *, n ? n : 1);
    i = 0;
    for (const cJSON *e = tex ? tex->child : NULL; e; e = e->next, i++) {
        char ptr[64], path[1024];
        mh_json_ptr_index(ptr, sizeof ptr, "/textures", i);
        if (!cJSON_IsString(e))
            return fail_ptr(r, ptr, "expected a PNG path (a string)");
        if (!mh_fs_join_inside(h->dir, e->valuestring, path, sizeof path))
            return mh_fail(r->err, r->file, ptr, "the path must stay inside the hall folder");
        h->textures[i] = keep(a, path);
    }
    h->texture_count = n;
    return true;
}

static bool read_sections(mh_json_reader *r, const cJSON *root, mh_hall_desc *h, const char **featured,
                          const char **booth_template)
{
    const cJSON *light = cJSON_GetObjectItemCaseSensitive(root, "lighting");
    const cJSON *ent = cJSON_GetObjectItemCaseSensitive(root, "entrance");
    const cJSON *stage = cJSON_GetObjectItemCaseSensitive(root, "stage");
    const cJSON *booth = cJSON_GetObjectItemCaseSensitive(root, "booth");
    const cJSON *walk = cJSON_GetObjectItemCaseSensitive(root, "walkable");
    if (!ent)
        return fail_ptr(r, "/entrance", "required property 'entrance' is missing");
    if (light && (!mh_json_object(r, light, "/lighting") ||
                  !mh_json_color_opt(r, light, "/lighting", "clear", &h->clear_color) ||
                  !mh_json_color_opt(r, light, "/lighting", "sky", &h->sky_color) ||
                  !mh_json_color_opt(r, light, "/lighting", "ground", &h->ground_color) ||
                  !mh_json_color_opt(r, light, "/lighting", "sun", &h->sun_color) ||
                  !mh_json_vec3(r, light, "/lighting", "sun_dir", false, &h->sun_dir) ||
                  !mh_json_num_opt(r, light, "/lighting", "fog", &h->fog_density)))
        return false;
    if (!mh_json_object(r, ent, "/entrance") ||
        !mh_json_vec2(r, ent, "/entrance", "position", true, &h->entrance_pos) ||
        !mh_json_num_opt(r, ent, "/entrance", "yaw_deg", &h->entrance_yaw_deg) ||
        !mh_json_num_opt(r, ent, "/entrance", "pitch_deg", &h->entrance_pitch_deg))
        return false;
    if (stage &&
        (!mh_json_object(r, stage, "/stage") || !mh_json_vec2(r, stage, "/stage", "position", true, &h->stage_pos) ||
         !mh_json_num_opt(r, stage, "/stage", "radius", &h->stage_radius) ||
         !mh_json_num_opt(r, stage, "/stage", "height", &h->stage_height) ||
         !mh_json_str_opt(r, stage, "/stage", "featured", featured)))
        return false;
    if (booth &&
        (!mh_json_object(r, booth, "/booth") || !mh_json_num_opt(r, booth, "/booth", "width", &h->booth_width) ||
         !mh_json_num_opt(r, booth, "/booth", "depth", &h->booth_depth) ||
         !mh_json_num_opt(r, booth, "/booth", "wall_height", &h->booth_wall_height) ||
         !mh_json_num_opt(r, booth, "/booth", "turn", &h->booth_turn_deg_s) ||
         !mh_json_str_opt(r, booth, "/booth", "template", booth_template)))
        return false;
    if (!(fabsf(h->booth_turn_deg_s) <= 90))
        return fail_ptr(r, "/booth/turn", "turn must be -90 to 90 degrees a second (0: landmarks stand still)");
    if (walk &&
        (!mh_json_object(r, walk, "/walkable") || !mh_json_vec2(r, walk, "/walkable", "min", true, &h->walk_min) ||
         !mh_json_vec2(r, walk, "/walkable", "max", true, &h->walk_max)))
        return false;
    if (h->booth_width < 1 || h->booth_width > 50 || h->booth_depth < 1 || h->booth_depth > 50 ||
        h->booth_wall_height < 1 || h->booth_wall_height > 20)
        return fail_ptr(r, "/booth", "booth width and depth must be 1-50 m and wall_height 1-20 m");
    if (h->stage_radius < 0 || h->stage_radius > 50 || h->stage_height < 0 || h->stage_height > 5)
        return fail_ptr(r, "/stage", "stage radius must be 0-50 m and height 0-5 m");
    if (h->walk_min.x >= h->walk_max.x || h->walk_min.y >= h->walk_max.y)
        return fail_ptr(r, "/walkable", "min must be smaller than max on both axes");
    return true;
}

/* The hall's booth templates (its own or the built-in one) and the default
 * one ("booth": {"template"}; without it the first). */
static bool read_templates(mh_json_reader *r, const cJSON *root, const char *default_name, mh_arena *a, mh_hall_desc *h,
                           int *dflt)
{
    mh_booth_frame f = {h->booth_width, h->booth_depth, h->booth_wall_height, h->texture_count};
    if (!mh_booth_templates_read(r, root, f, a, &h->templates, &h->template_count))
        return false;
    *dflt = default_name ? mh_booth_template_find(h->templates, h->template_count, default_name) : 0;
    if (*dflt < 0)
        return fail_ptr(r, "/booth/template", "no booth template by this name (see \"booth_templates\")");
    return true;
}

/* "tour": ["stage", "qiantang", ...]: every stop must exist in this hall. */
static bool read_tour(mh_json_reader *r, const cJSON *root, mh_arena *a, mh_hall_desc *h)
{
    const cJSON *arr;
    if (!mh_json_array_opt(r, root, "", "tour", &arr))
        return false;
    int n = arr ? cJSON_GetArraySize(arr) : 0;
    if (n > MH_HALL_MAX_BOOTHS + 2)
        return mh_fail(r->err, r->file, "/tour", "%d stops is more than the limit of %d", n, MH_HALL_MAX_BOOTHS + 2);
    h->tour = MH_ARENA_NEW(a, const char *, n ? n : 1);
    int i = 0;
    for (const cJSON *e = arr ? arr->child : NULL; e; e = e->next, i++) {
        char ptr[64];
        mh_json_ptr_index(ptr, sizeof ptr, "/tour", i);
        if (!cJSON_IsString(e))
            return fail_ptr(r, ptr, "expected a stop: \"entrance\", \"stage\" or an exhibit id");
        const char *stop = e->valuestring;
        if (strcmp(stop, "entrance") && strcmp(stop, "stage") && mh_hall_find_booth(h, stop) < 0)
            return mh_fail(r->err, r->file, ptr,
                           "a tour stop must be \"entrance\", \"stage\" or the id of an exhibit with a booth");
        h->tour[i] = keep(a, stop);
    }
    h->tour_count = n;
    return true;
}

static void hall_defaults(mh_hall_desc *h)
{
    h->clear_color = mh_v3(0.01f, 0.012f, 0.02f);
    h->sky_color = mh_v3(0.35f, 0.38f, 0.45f);
    h->ground_color = mh_v3(0.08f, 0.07f, 0.06f);
    h->sun_color = mh_v3(0.8f, 0.78f, 0.7f);
    h->sun_dir = mh_v3(-0.3f, -1.0f, -0.4f);
    h->stage_radius = 3.5f;
    h->stage_height = 0.4f;
    h->booth_width = 3.2f;
    h->booth_depth = 2.6f;
    h->booth_wall_height = 3.2f;
    h->walk_min = (mh_vec2){-1000, -1000};
    h->walk_max = (mh_vec2){1000, 1000};
    h->storeys = 1;
}

/* How tall the architecture stands: the lowest base to the highest top. */
static float architecture_height(const mh_hall_desc *h)
{
    float lo = 0, hi = 0;
    for (int i = 0; i < h->shape_count; i++) {
        const mh_shape_desc *s = &h->shapes[i];
        lo = fminf(lo, s->pos.y);
        hi = fmaxf(hi, s->pos.y + s->size.y);
    }
    return hi - lo;
}

bool mh_hall_stack(mh_hall_desc *h, int booths, mh_arena *a)
{
    int per = h->booth_count;
    if (booths <= 0 || per == 0 || booths == per)
        return true;
    if (booths < per) {
        h->booth_count = booths;
        return true;
    }
    mh_booth_desc *list = MH_ARENA_NEW(a, mh_booth_desc, booths);
    if (!list)
        return false;
    h->streaming.on = false; /* a benchmark's hall is built whole, as before streaming */
    for (int i = 0; i < booths; i++) {
        list[i] = h->booths[i % per];
        list[i].storey = i / per;
    }
    h->booths = list;
    h->booth_count = booths;
    h->storeys = (booths + per - 1) / per;
    float height = architecture_height(h);
    h->storey_height = height > 0.5f ? height : h->booth_wall_height + 2.0f;
    return true;
}

/* ---- a benchmark's floor (mh_hall_spread) ------------------------------ */

#define SPREAD_GAP 0.4f   /* between neighbours in a row, and between the backs of a pair */
#define SPREAD_AISLE 4.0f /* aisles between pairs of rows, cross aisles, the wall's margin */
#define SPREAD_BLOCK 8    /* booths in a row between cross aisles */
#define SPREAD_WALL 0.4f  /* the generated walls' thickness */

typedef struct spread_slot {
    float x, z, yaw, dist2;
    int order;
} spread_slot;

static int slot_cmp(const void *pa, const void *pb)
{
    const spread_slot *a = pa, *b = pb;
    if (a->dist2 != b->dist2)
        return a->dist2 < b->dist2 ? -1 : 1;
    return a->order - b->order;
}

/* floor(a / b) for a possibly negative a */
static int floor_div(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

/* The booth slots of a floor with 2*cols columns and 2*pairs pairs of rows
 * centred on the origin, less those within `plaza` metres of the centre
 * (with out NULL: counted only); returns how many. */
static int spread_slots(const mh_hall_desc *h, int cols, int pairs, float plaza, spread_slot *out)
{
    float W = h->booth_width, D = h->booth_depth;
    float px = W + SPREAD_GAP, pair = 2 * D + SPREAD_GAP + SPREAD_AISLE;
    int n = 0;
    for (int r = -pairs; r < pairs; r++)
        for (int side = 0; side < 2; side++)
            for (int c = -cols; c < cols; c++) {
                float x = ((float)c + 0.5f) * px + ((float)floor_div(c, SPREAD_BLOCK) + 0.5f) * SPREAD_AISLE;
                float z = ((float)r + 0.5f) * pair + (side ? 1.0f : -1.0f) * (D + SPREAD_GAP) / 2;
                if (x * x + z * z < plaza * plaza)
                    continue;
                if (out)
                    out[n] = (spread_slot){x, z, side ? 0.0f : 180.0f, x * x + z * z, n};
                n++;
            }
    return n;
}

/* The floor of that grid: every slot with an aisle round it. */
static void spread_extent(const mh_hall_desc *h, int cols, int pairs, mh_vec2 *half)
{
    float W = h->booth_width, D = h->booth_depth;
    float px = W + SPREAD_GAP, pair = 2 * D + SPREAD_GAP + SPREAD_AISLE;
    float x = ((float)cols - 0.5f) * px + ((float)floor_div(cols - 1, SPREAD_BLOCK) + 0.5f) * SPREAD_AISLE;
    *half = (mh_vec2){x + W / 2 + SPREAD_AISLE, (float)pairs * pair - SPREAD_AISLE / 2 + SPREAD_AISLE};
}

/* The plaza round the stage: the bench's orbit (radius a quarter of the
 * floor's smaller side, walls included) runs inside it, an aisle and a
 * booth's depth clear of the nearest booths. */
static float spread_plaza(const mh_hall_desc *h, mh_vec2 half)
{
    float orbit = (2 * fminf(half.x, half.y) + 2 * SPREAD_WALL) / 4;
    return fmaxf(orbit, h->stage_radius) + SPREAD_AISLE + h->booth_depth;
}

/* The hall shape whose material a generated floor (0), ceiling (1) or wall
 * (2) takes: the widest low one, the widest high one, the tallest box. */
static const mh_shape_desc *spread_material(const mh_hall_desc *h, int kind)
{
    const mh_shape_desc *best = NULL;
    float best_v = 0;
    for (int i = 0; i < h->shape_count; i++) {
        const mh_shape_desc *s = &h->shapes[i];
        float area = s->size.x * s->size.z, v = kind == 2 ? s->size.y : area;
        bool fits = s->kind == MH_SHAPE_BOX && (kind == 0   ? s->pos.y + s->size.y <= 0.05f
                                                : kind == 1 ? s->pos.y > h->booth_wall_height + 2 && s->size.y < 1
                                                            : true);
        if (fits && v > best_v) {
            best = s;
            best_v = v;
        }
    }
    return best;
}

/* A box with the material of `like` (or a plain grey), at pos, of size. */
static mh_shape_desc spread_box(const mh_shape_desc *like, mh_vec3 pos, mh_vec3 size)
{
    mh_shape_desc s =
        like ? *like : (mh_shape_desc){.color = mh_v3(0.3f, 0.32f, 0.36f), .top = 1, .thickness = 0.25f, .texture = -1};
    s.kind = MH_SHAPE_BOX;
    s.pos = pos;
    s.size = size;
    s.rot_deg = mh_v3(0, 0, 0);
    s.collide = false;
    return s;
}

/* One open hall round the booths: floor, ceiling, four walls. */
static bool spread_architecture(mh_hall_desc *h, mh_vec2 lo, mh_vec2 hi, mh_arena *a)
{
    const mh_shape_desc *fl = spread_material(h, 0), *ce = spread_material(h, 1), *wa = spread_material(h, 2);
    float top = ce ? ce->pos.y : h->booth_wall_height + 5.0f, t = SPREAD_WALL;
    mh_vec2 c = {(lo.x + hi.x) / 2, (lo.y + hi.y) / 2}, sz = {hi.x - lo.x, hi.y - lo.y};
    mh_shape_desc *s = MH_ARENA_NEW(a, mh_shape_desc, 6);
    if (!s)
        return false;
    s[0] = spread_box(fl, mh_v3(c.x, -0.2f, c.y), mh_v3(sz.x, 0.2f, sz.y));
    s[1] = spread_box(ce, mh_v3(c.x, top, c.y), mh_v3(sz.x, ce ? ce->size.y : 0.3f, sz.y));
    s[2] = spread_box(wa, mh_v3(c.x, 0, lo.y - t / 2), mh_v3(sz.x + 2 * t, top, t));
    s[3] = spread_box(wa, mh_v3(c.x, 0, hi.y + t / 2), mh_v3(sz.x + 2 * t, top, t));
    s[4] = spread_box(wa, mh_v3(lo.x - t / 2, 0, c.y), mh_v3(t, top, sz.y));
    s[5] = spread_box(wa, mh_v3(hi.x + t / 2, 0, c.y), mh_v3(t, top, sz.y));
    for (int i = 2; i < 6; i++)
        s[i].collide = true;
    h->shapes = s;
    h->shape_count = 6;
    return true;
}

bool mh_hall_spread(mh_hall_desc *h, int booths, mh_arena *a)
{
    int per = h->booth_count;
    if (booths <= 0 || per == 0)
        return true;
    if (booths > MH_HALL_MAX_BOOTHS)
        return false;
    h->streaming.on = false; /* a benchmark's hall is built whole, as before streaming */
    /* the smallest square-ish floor with enough slots round its plaza */
    float px = h->booth_width + SPREAD_GAP, pair = 2 * h->booth_depth + SPREAD_GAP + SPREAD_AISLE;
    int pairs = 1, cols = 1;
    mh_vec2 half;
    float plaza;
    for (;; pairs++) {
        cols = (int)ceilf((float)pairs * pair / px);
        spread_extent(h, cols, pairs, &half);
        plaza = spread_plaza(h, half);
        if (spread_slots(h, cols, pairs, plaza, NULL) >= booths)
            break;
    }
    spread_slot *slots = malloc(sizeof *slots * (size_t)spread_slots(h, cols, pairs, plaza, NULL));
    mh_booth_desc *list = MH_ARENA_NEW(a, mh_booth_desc, booths);
    if (!slots || !list) {
        free(slots);
        return false;
    }
    int n = spread_slots(h, cols, pairs, plaza, slots);
    qsort(slots, (size_t)n, sizeof *slots, slot_cmp);
    mh_vec2 c = h->stage_pos, lo = {c.x - half.x, c.y - half.y}, hi = {c.x + half.x, c.y + half.y};
    for (int i = 0; i < booths; i++) {
        list[i] = h->booths[i % per];
        list[i].pos = (mh_vec2){c.x + slots[i].x, c.y + slots[i].z};
        list[i].yaw_deg = slots[i].yaw;
        list[i].storey = 0;
        list[i].copy_of = i >= per ? i % per + 1 : 0;
        list[i].zone = -1; /* the floor has no zones */
    }
    free(slots);
    if (!spread_architecture(h, lo, hi, a))
        return false;
    h->booths = list;
    h->booth_count = booths;
    h->sign_count = 0;
    h->zone_count = 0;
    h->tour_count = 0;
    h->media.screen_count = 0;
    h->walk_min = lo;
    h->walk_max = hi;
    h->entrance_pos = (mh_vec2){c.x, c.y + plaza - h->booth_depth};
    h->entrance_yaw_deg = 0;
    return true;
}

/* "budgets": {"triangles": 2000000, ...}: each a whole number from 1 up to
 * the budget's ceiling; missing ones keep their defaults. */
static bool read_budgets(mh_json_reader *r, const cJSON *root, mh_hall_desc *h)
{
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(root, "budgets");
    h->budget = mh_budget_defaults((mh_budget){0});
    if (!b)
        return true;
    if (!mh_json_object(r, b, "/budgets"))
        return false;
    for (const cJSON *e = b->child; e; e = e->next) {
        const char *name = NULL;
        uint32_t ceiling = 0, *field = NULL;
        for (int i = 0; i < MH_BUDGET_FIELDS && !field; i++) {
            uint32_t *f = mh_budget_field(&h->budget, i, &name, &ceiling);
            if (!strcmp(name, e->string))
                field = f;
        }
        char ptr[96];
        mh_json_ptr_key(ptr, sizeof ptr, "/budgets", e->string);
        if (!field)
            return fail_ptr(r, ptr, "unknown budget (see assets/README.md for the list)");
        if (!cJSON_IsNumber(e) || e->valuedouble != floor(e->valuedouble) || e->valuedouble < 1 ||
            e->valuedouble > ceiling)
            return mh_fail(r->err, r->file, ptr, "expected a whole number from 1 to %u", ceiling);
        *field = (uint32_t)e->valuedouble;
    }
    return true;
}

/* "streaming": {"budget_mb": 64, "near_m": 16, "far_m": 24}: each a number
 * (zero or missing: the default), far_m beyond near_m; unknown keys fail. */
static bool read_streaming(mh_json_reader *r, const cJSON *root, mh_hall_desc *h)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(root, "streaming");
    mh_hall_streaming *st = &h->streaming;
    *st = (mh_hall_streaming){0};
    if (!s)
        return true;
    if (!mh_json_object(r, s, "/streaming"))
        return false;
    static const char *const keys[] = {"budget_mb", "near_m", "far_m"};
    float *fields[] = {&st->budget_mb, &st->near_m, &st->far_m};
    const float ceilings[] = {MH_STREAM_MAX_MB, MH_STREAM_MAX_M, MH_STREAM_MAX_M};
    for (const cJSON *e = s->child; e; e = e->next) {
        int k = 0;
        while (k < 3 && strcmp(keys[k], e->string))
            k++;
        char ptr[96];
        mh_json_ptr_key(ptr, sizeof ptr, "/streaming", e->string);
        if (k == 3)
            return fail_ptr(r, ptr, "unknown streaming key (expected budget_mb, near_m or far_m)");
        if (!cJSON_IsNumber(e) || !(e->valuedouble >= 0) || e->valuedouble > ceilings[k])
            return mh_fail(r->err, r->file, ptr, "expected a number from 0 (the default) to %.0f", ceilings[k]);
        *fields[k] = (float)e->valuedouble;
    }
    st->on = true;
    st->budget_mb = st->budget_mb > 0 ? st->budget_mb : MH_STREAM_BUDGET_MB;
    st->near_m = st->near_m > 0 ? st->near_m : MH_STREAM_NEAR_M;
    st->far_m = st->far_m > 0 ? st->far_m : fmaxf(MH_STREAM_FAR_M, st->near_m * 1.5f);
    if (st->far_m <= st->near_m)
        return mh_fail(r->err, r->file, "/streaming/far_m",
                       "far_m (%.1f m) must be beyond near_m (%.1f m): models between them stay as they are", st->far_m,
                       st->near_m);
    return true;
}

/* The hall's own shapes and every exhibit's landmark shapes, against the
 * hall's budgets, before any geometry is generated. */
static bool hall_shapes_within(mh_json_reader *r, mh_hall_desc *h)
{
    if (!shapes_within(r, "architecture", h->shapes, h->shape_count, h->budget.hall_vertices, h->budget.hall_triangles,
                       "the hall's", &h->shape_vertices, &h->shape_triangles))
        return false;
    uint64_t v = h->shape_vertices, t = h->shape_triangles;
    for (int i = 0; i < h->booth_count; i++) {
        const mh_booth_template *tp = &h->templates[h->booths[i].template_index];
        v += h->booths[i].exhibit.shape_vertices + tp->vertices;
        t += h->booths[i].exhibit.shape_triangles + tp->triangles;
        if (v > h->budget.hall_vertices || t > h->budget.hall_triangles) {
            char ptr[64];
            snprintf(ptr, sizeof ptr, "/booths/%d", i);
            return mh_fail(r->err, r->file, ptr,
                           "the booths' parts and landmark shapes up to here make %llu triangles and %llu vertices, "
                           "more than the hall's budget of %u triangles and %u vertices "
                           "(budgets.hall_triangles, budgets.hall_vertices in hall.json)",
                           (unsigned long long)t, (unsigned long long)v, h->budget.hall_triangles,
                           h->budget.hall_vertices);
        }
    }
    h->shape_vertices = (uint32_t)v;
    h->shape_triangles = (uint32_t)t;
    return true;
}

static bool hall_parse(const char *text, size_t size, const char *hall_dir, const atomic_bool *cancel, mh_arena *a,
                       mh_hall_desc *h, mh_error *err);

bool mh_hall_load_cancellable(const char *hall_dir, const atomic_bool *cancel, mh_arena *a, mh_hall_desc *h,
                              mh_error *err)
{
    char path[1024], *text;
    size_t size;
    memset(h, 0, sizeof *h);
    if (!mh_fs_is_dir(hall_dir))
        return mh_fail(err, hall_dir, "", "hall folder not found");
    mh_fs_join(hall_dir, "hall.json", path, sizeof path);
    if (!mh_fs_read(path, hall_dir, MH_MANIFEST_MAX_BYTES, &text, &size, err))
        return false;
    bool ok = hall_parse(text, size, hall_dir, cancel, a, h, err);
    free(text);
    return ok;
}

bool mh_hall_load(const char *hall_dir, mh_arena *a, mh_hall_desc *h, mh_error *err)
{
    return mh_hall_load_cancellable(hall_dir, NULL, a, h, err);
}

bool mh_hall_parse(const char *text, size_t size, const char *hall_dir, mh_arena *a, mh_hall_desc *h, mh_error *err)
{
    return hall_parse(text, size, hall_dir, NULL, a, h, err);
}

static bool hall_parse(const char *text, size_t size, const char *hall_dir, const atomic_bool *cancel, mh_arena *a,
                       mh_hall_desc *h, mh_error *err)
{
    memset(h, 0, sizeof *h);
    hall_defaults(h);
    h->cancel = cancel;
    h->dir = mh_arena_strdup(a, hall_dir);
    char path[1024];
    mh_fs_join(hall_dir, "hall.json", path, sizeof path);
    cJSON *root = mh_json_parse(text, size, path, err);
    if (!root)
        return false;
    mh_json_reader r = {path, err};
    const char *fmt = NULL, *name_zh = NULL, *name_en = NULL, *exdir = "../../exhibits", *featured = NULL,
               *booth_template = NULL;
    int dflt = 0;
    bool ok = mh_json_object(&r, root, "") && mh_json_str_opt(&r, root, "", "format", &fmt) &&
              mh_json_text(&r, root, "", "name_zh", true, MH_TEXT_MAX_NAME, &name_zh) &&
              mh_json_text(&r, root, "", "name_en", true, MH_TEXT_MAX_NAME, &name_en) &&
              mh_json_str_opt(&r, root, "", "exhibits_dir", &exdir) && read_budgets(&r, root, h) &&
              read_streaming(&r, root, h);
    if (ok && fmt && strncmp(fmt, "metahall-hall/1", 15) != 0)
        ok = mh_fail(err, path, "/format", "unsupported format (expected \"metahall-hall/1\")");
    char exhibits_dir[1024];
    if (ok && exdir[0] == '/')
        snprintf(exhibits_dir, sizeof exhibits_dir, "%s", exdir);
    else if (ok)
        mh_fs_join(hall_dir, exdir, exhibits_dir, sizeof exhibits_dir);
    ok = ok && read_fonts_and_textures(&r, root, a, h) && read_sections(&r, root, h, &featured, &booth_template) &&
         read_templates(&r, root, booth_template, a, h, &dflt) &&
         read_shapes(&r, root, "architecture", a, h->texture_count, true, (int)h->budget.shapes, &h->shapes,
                     &h->shape_count);
    const cJSON *signs = NULL;
    ok = ok && mh_json_array_opt(&r, root, "", "signs", &signs);
    int ns = signs ? cJSON_GetArraySize(signs) : 0;
    if (ok && ns > MAX_SIGNS)
        ok = mh_fail(err, path, "/signs", "%d signs is more than the limit of %d", ns, MAX_SIGNS);
    if (ok) {
        h->signs = MH_ARENA_NEW(a, mh_sign_desc, ns ? ns : 1);
        int i = 0;
        for (const cJSON *e = signs ? signs->child : NULL; ok && e; e = e->next, i++) {
            char ptr[64];
            mh_json_ptr_index(ptr, sizeof ptr, "/signs", i);
            ok = read_sign(&r, e, ptr, a, &h->signs[i]);
        }
        h->sign_count = ok ? ns : 0;
    }
    ok = ok && read_booths(&r, root, a, exhibits_dir, dflt, h);
    ok = ok && hall_shapes_within(&r, h);
    ok = ok && read_tour(&r, root, a, h) && mh_hall_media_read(&r, root, hall_dir, a, &h->media);
    if (ok) {
        h->name_zh = keep(a, name_zh);
        h->name_en = keep(a, name_en);
        h->featured = keep(a, featured);
        if (h->featured && mh_hall_find_booth(h, h->featured) < 0)
            ok = mh_exhibit_id_valid(h->featured)
                     ? mh_fail(err, path, "/stage/featured", "featured exhibit \"%s\" has no booth in this hall",
                               h->featured)
                     : mh_fail(err, path, "/stage/featured", "the featured exhibit must be an exhibit id with a booth");
    }
    cJSON_Delete(root);
    return ok;
}

int mh_hall_find_booth(const mh_hall_desc *hall, const char *id)
{
    for (int i = 0; i < hall->booth_count; i++)
        if (strcmp(hall->booths[i].exhibit.id, id) == 0)
            return i;
    return -1;
}
