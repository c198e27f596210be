/* mh_gltf.c - glTF loading: the order of work, the GLB container, the asset
 * and extension checks, budgets, reporting and the JSON helpers the other
 * mh_gltf_*.c files share.
 *
 * Order of work: container -> JSON (size and value budgets first) ->
 * buffers -> views -> accessors -> node graph -> references and formats of
 * meshes, skins and animations -> budgets (vertices, indices, triangles)
 * -> accessor data checks -> images (pixel budgets from the headers) ->
 * materials -> meshes -> nodes, cameras, lights -> skins, animations.
 * Every reference is checked before anything follows it, and nothing is
 * read from a buffer before its range has been checked. */
#include "mh_gltf_internal.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/mh_fs.h"
#include "mh_json.h"

#define CHUNK_JSON 0x4E4F534Au
#define CHUNK_BIN 0x004E4942u

static const char *const SUPPORTED_EXTENSIONS[] = {"KHR_materials_unlit",       "KHR_texture_transform",
                                                   "KHR_mesh_quantization",     "KHR_materials_emissive_strength",
                                                   "KHR_lights_punctual",       "EXT_meshopt_compression",
                                                   "KHR_draco_mesh_compression"};

bool mh_gltf_extension_supported(const char *name)
{
    for (size_t i = 0; i < sizeof SUPPORTED_EXTENSIONS / sizeof *SUPPORTED_EXTENSIONS; i++)
        if (strcmp(name, SUPPORTED_EXTENSIONS[i]) == 0)
            return true;
    return false;
}

/* ---- reporting ------------------------------------------------------------ */

static void add_issue(ctx *c, bool error, const char *code, const char *ptr, const char *fmt, va_list ap)
{
    mh_gltf_report *r = c->rep;
    if (error)
        r->errors++;
    else
        r->warnings++;
    if (r->count >= MH_GLTF_MAX_ISSUES)
        return;
    mh_gltf_issue *i = &r->issues[r->count++];
    i->error = error;
    snprintf(i->code, sizeof i->code, "%s", code);
    snprintf(i->pointer, sizeof i->pointer, "%s", ptr);
    vsnprintf(i->message, sizeof i->message, fmt, ap);
}

bool mh_gltf_problem(ctx *c, bool error, const char *code, const char *ptr, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_issue(c, error, code, ptr, fmt, ap);
    va_end(ap);
    return false;
}

bool mh_gltf_quality(ctx *c, const char *code, const char *ptr, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_issue(c, c->desc->strict, code, ptr, fmt, ap);
    va_end(ap);
    return !c->desc->strict;
}

void *mh_gltf_alloc(ctx *c, size_t n)
{
    size_t limit = (size_t)c->budget.file_bytes * 2; /* everything one model decodes to */
    if (n > limit || c->decoded + n > limit)
        return NULL;
    c->decoded += n;
    return mh_arena_alloc(c->arena, n ? n : 1);
}

bool mh_gltf_cancelled(ctx *c)
{
    if (c->cancelled)
        return true;
    if (!c->desc->cancel || !atomic_load(c->desc->cancel))
        return false;
    c->cancelled = true;
    ISSUE(c, "CANCELLED", "", "loading was cancelled (a newer request, or shutdown)");
    return true;
}

const char *mh_gltf_name(ctx *c, const cJSON *obj)
{
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(obj, "name");
    return cJSON_IsString(n) ? mh_arena_strdup(c->arena, n->valuestring) : NULL;
}

/* ---- JSON helpers ----------------------------------------------------------- */

bool mh_gltf_object(ctx *c, const cJSON *v, const char *ptr)
{
    return cJSON_IsObject(v) || ISSUE(c, "TYPE_MISMATCH", ptr, "expected an object");
}

const cJSON *mh_gltf_array(ctx *c, const cJSON *obj, const char *ptr, const char *key, int *n)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(obj, key);
    *n = 0;
    if (!a)
        return NULL;
    char p[128];
    mh_json_ptr_key(p, sizeof p, ptr, key);
    if (!cJSON_IsArray(a)) {
        ISSUE(c, "TYPE_MISMATCH", p, "expected an array");
        return NULL;
    }
    *n = cJSON_GetArraySize(a);
    if (*n == 0)
        mh_gltf_quality(c, "EMPTY_ENTITY", p, "an empty array (glTF arrays hold at least one element)");
    return a;
}

/* A whole number that fits an int64 exactly (casting others is undefined). */
bool mh_gltf_is_integer(double v) { return isfinite(v) && v == floor(v) && fabs(v) < 9.0e15; }

int mh_gltf_int(ctx *c, const cJSON *obj, const char *ptr, const char *key, double lo, double hi, int *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        return 0;
    char p[128];
    mh_json_ptr_key(p, sizeof p, ptr, key);
    if (!cJSON_IsNumber(v) || !mh_gltf_is_integer(v->valuedouble)) {
        ISSUE(c, "TYPE_MISMATCH", p, "expected an integer");
        return -1;
    }
    if (v->valuedouble < lo || v->valuedouble > hi) {
        ISSUE(c, "VALUE_NOT_IN_RANGE", p, "value %.0f is out of range [%.0f, %.0f]", v->valuedouble, lo, hi);
        return -1;
    }
    if (v->valuedouble > INT_MAX) { /* glTF allows offsets and lengths up to 2^32-1; this loader stops at 2 GiB */
        ISSUE(c, "VALUE_NOT_IN_RANGE", p, "value %.0f is larger than this loader handles (at most %d)", v->valuedouble,
              INT_MAX);
        return -1;
    }
    *out = (int)v->valuedouble;
    return 1;
}

int mh_gltf_ref(ctx *c, const cJSON *obj, const char *ptr, const char *key, int count, const char *what, bool required,
                int *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    char p[128];
    mh_json_ptr_key(p, sizeof p, ptr, key);
    if (!v) {
        if (required)
            ISSUE(c, "UNDEFINED_PROPERTY", ptr[0] ? ptr : "/", "required property '%s' is missing", key);
        return required ? -1 : 0;
    }
    if (!cJSON_IsNumber(v) || !mh_gltf_is_integer(v->valuedouble) || v->valuedouble < 0) {
        ISSUE(c, "INVALID_INDEX", p, "expected an index (a non-negative integer)");
        return -1;
    }
    if (v->valuedouble >= count) {
        ISSUE(c, "UNRESOLVED_REFERENCE", p, "unresolved reference: %s %.0f does not exist (%d defined)", what,
              v->valuedouble, count);
        return -1;
    }
    *out = (int)v->valuedouble;
    return 1;
}

bool mh_gltf_floats(ctx *c, const cJSON *obj, const char *ptr, const char *key, int n, float *out)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!a)
        return true;
    char p[128];
    mh_json_ptr_key(p, sizeof p, ptr, key);
    if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) != n)
        return ISSUE(c, "ARRAY_LENGTH_NOT_IN_LIST", p, "expected an array of %d numbers", n);
    int i = 0;
    float tmp[16];
    for (const cJSON *e = a->child; e; e = e->next, i++) {
        if (!cJSON_IsNumber(e))
            return ISSUE(c, "TYPE_MISMATCH", p, "expected an array of %d numbers", n);
        if (!isfinite(e->valuedouble) || fabs(e->valuedouble) > 3.0e38) {
            char ep[140];
            mh_json_ptr_index(ep, sizeof ep, p, i);
            return ISSUE(c, "VALUE_NOT_IN_RANGE", ep, "a number out of range (not finite)");
        }
        tmp[i] = (float)e->valuedouble;
    }
    memcpy(out, tmp, sizeof(float) * (size_t)n);
    return true;
}

bool mh_gltf_number(ctx *c, const cJSON *obj, const char *ptr, const char *key, double lo, double hi, float *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        return true;
    char p[128];
    mh_json_ptr_key(p, sizeof p, ptr, key);
    if (!cJSON_IsNumber(v))
        return ISSUE(c, "TYPE_MISMATCH", p, "expected a number");
    if (!isfinite(v->valuedouble) || v->valuedouble < lo || v->valuedouble > hi)
        return ISSUE(c, "VALUE_NOT_IN_RANGE", p, "value out of range [%g, %g]", lo, hi);
    *out = (float)v->valuedouble;
    return true;
}

const cJSON *mh_gltf_ext(const cJSON *obj, const char *name)
{
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(obj, "extensions");
    const cJSON *x = cJSON_IsObject(e) ? cJSON_GetObjectItemCaseSensitive(e, name) : NULL;
    return cJSON_IsObject(x) ? x : NULL;
}

/* ---- container, asset, extensions ----------------------------------------- */

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* One GLB chunk at off: checks it and files it as JSON or BIN. */
static bool glb_chunk(ctx *c, const uint8_t *d, size_t size, size_t off, int k, span *json, bool *have_json)
{
    if (size - off < 8)
        return ISSUE(c, "GLB_UNEXPECTED_END_OF_CHUNK_HEADER", "", "GLB chunk header at byte %zu is truncated", off);
    uint32_t clen = le32(d + off), type = le32(d + off + 4);
    if (clen % 4)
        return ISSUE(c, "GLB_CHUNK_LENGTH_UNALIGNED", "", "GLB chunk %d length %u is not a multiple of 4", k, clen);
    if (clen > size - off - 8)
        return ISSUE(c, "GLB_CHUNK_TOO_BIG", "", "GLB chunk %d (%u bytes) runs past the end of the file", k, clen);
    span s = {d + off + 8, clen};
    if (k == 0 && type != CHUNK_JSON)
        return ISSUE(c, "GLB_UNEXPECTED_FIRST_CHUNK", "", "the first GLB chunk must be JSON");
    if (type == CHUNK_JSON) {
        if (*have_json)
            return ISSUE(c, "GLB_DUPLICATE_CHUNK", "", "GLB has more than one JSON chunk");
        if (clen == 0)
            return ISSUE(c, "GLB_EMPTY_CHUNK", "", "GLB JSON chunk is empty");
        *json = s;
        *have_json = true;
    } else if (type == CHUNK_BIN) {
        if (c->has_bin)
            return ISSUE(c, "GLB_DUPLICATE_CHUNK", "", "GLB has more than one BIN chunk");
        if (k != 1)
            return ISSUE(c, "GLB_UNEXPECTED_BIN_CHUNK", "", "the GLB BIN chunk must come right after the JSON chunk");
        if (clen == 0)
            return ISSUE(c, "GLB_EMPTY_CHUNK", "", "GLB BIN chunk is empty");
        c->bin = s;
        c->has_bin = true;
    } else {
        WARN(c, "GLB_UNKNOWN_CHUNK_TYPE", "", "GLB chunk %d of an unknown type is skipped", k);
    }
    return true;
}

/* Splits a GLB into its JSON and BIN chunks. */
static bool parse_glb(ctx *c, const uint8_t *d, size_t size, span *json)
{
    if (size < 12)
        return ISSUE(c, "GLB_UNEXPECTED_END_OF_HEADER", "", "GLB header is truncated (%zu bytes)", size);
    if (le32(d + 4) != 2)
        return ISSUE(c, "GLB_INVALID_VERSION", "", "GLB version %u is not supported (expected 2)", le32(d + 4));
    uint32_t length = le32(d + 8);
    if (length < 20)
        return ISSUE(c, "GLB_LENGTH_TOO_SMALL", "", "GLB header declares %u bytes, too few for a JSON chunk", length);
    if (length > size)
        return ISSUE(c, "GLB_LENGTH_MISMATCH", "", "GLB header says %u bytes but the file has %zu", length, size);
    if (length < size)
        WARN(c, "GLB_EXTRA_DATA", "", "%zu bytes after the GLB's declared length are ignored", size - length);
    size = length;
    bool have_json = false;
    int k = 0;
    for (size_t off = 12; off < size; k++) {
        if (!glb_chunk(c, d, size, off, k, json, &have_json))
            return false;
        off += 8 + (size_t)le32(d + off);
    }
    return have_json || ISSUE(c, "GLB_UNEXPECTED_FIRST_CHUNK", "", "GLB has no JSON chunk");
}

static bool check_version(ctx *c, const cJSON *asset)
{
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(asset, "version");
    if (!cJSON_IsString(ver))
        return ISSUE(c, "UNDEFINED_PROPERTY", "/asset", "required property 'version' is missing");
    int major = 0, minor = 0, used = 0;
    if (sscanf(ver->valuestring, "%d.%d%n", &major, &minor, &used) != 2 || ver->valuestring[used] || major < 0 ||
        minor < 0)
        return ISSUE(c, "PATTERN_MISMATCH", "/asset/version", "the version is not MAJOR.MINOR");
    if (major != 2)
        return ISSUE(c, "UNKNOWN_ASSET_MAJOR_VERSION", "/asset/version", "glTF %d.x is not supported (expected 2.x)",
                     major);
    if (minor > 0)
        WARN(c, "UNKNOWN_ASSET_MINOR_VERSION", "/asset/version", "glTF 2.%d is newer than 2.0; loading it as 2.0",
             minor);
    const cJSON *minv = cJSON_GetObjectItemCaseSensitive(asset, "minVersion");
    int mmaj = 0, mmin = 0;
    if (cJSON_IsString(minv) && sscanf(minv->valuestring, "%d.%d", &mmaj, &mmin) == 2 && (mmaj > 2 || mmin > 0))
        return ISSUE(c, "MIN_VERSION_UNSUPPORTED", "/asset/minVersion",
                     "the file needs glTF %d.%d at least; this loader implements 2.0", mmaj, mmin);
    return true;
}

/* An extension name as the file spells it, when it looks like one (prefix
 * and name of letters, digits and '_'); else a neutral word. */
static const char *ext_name(const char *s)
{
    size_t n = strlen(s);
    bool ok = n > 0 && n < 64;
    for (size_t i = 0; ok && i < n; i++)
        ok =
            (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_';
    return ok ? s : "(an extension with an unusual name)";
}

static bool check_extensions(ctx *c)
{
    int n;
    bool ok = true;
    const cJSON *req = mh_gltf_array(c, c->root, "", "extensionsRequired", &n);
    for (const cJSON *e = req ? req->child : NULL; e; e = e->next) {
        if (!cJSON_IsString(e))
            continue;
        if (!strcmp(e->valuestring, "KHR_texture_basisu"))
            ok = ISSUE(c, "UNSUPPORTED_EXTENSION", "/extensionsRequired",
                       "KHR_texture_basisu (KTX2 textures) is not supported: re-export with PNG or JPEG textures "
                       "(gltfpack without -tc, or gltf-transform without ktx/etc1s/uastc)");
        else if (!mh_gltf_extension_supported(e->valuestring))
            ok = ISSUE(c, "UNSUPPORTED_EXTENSION", "/extensionsRequired", "required extension %s is not supported",
                       ext_name(e->valuestring));
    }
    const cJSON *used = mh_gltf_array(c, c->root, "", "extensionsUsed", &n);
    int k = 0;
    for (const cJSON *e = used ? used->child : NULL; e; e = e->next, k++) {
        char p[64];
        mh_json_ptr_index(p, sizeof p, "/extensionsUsed", k);
        if (!cJSON_IsString(e)) {
            ok = ISSUE(c, "TYPE_MISMATCH", p, "expected an extension name (a string)");
            continue;
        }
        if (!mh_gltf_extension_supported(e->valuestring))
            WARN(c, "UNSUPPORTED_EXTENSION", p, "extension %s is not supported; the model loads without it",
                 ext_name(e->valuestring));
        c->quantization |= !strcmp(e->valuestring, "KHR_mesh_quantization");
        c->meshopt |= !strcmp(e->valuestring, "EXT_meshopt_compression");
        c->draco |= !strcmp(e->valuestring, "KHR_draco_mesh_compression");
    }
    const cJSON *exts = cJSON_GetObjectItemCaseSensitive(c->root, "extensions");
    for (const cJSON *e = cJSON_IsObject(exts) ? exts->child : NULL; e; e = e->next)
        if (!cJSON_IsObject(e)) {
            char p[96];
            mh_json_ptr_key(p, sizeof p, "/extensions", e->string);
            ok = ISSUE(c, "TYPE_MISMATCH", p, "expected an object");
        }
    return ok;
}

/* Top-level arrays: each must be an array of objects. */
static bool check_top_level(ctx *c)
{
    static const char *const arrays[] = {"accessors", "animations", "buffers", "bufferViews", "cameras",
                                         "images",    "materials",  "meshes",  "nodes",       "samplers",
                                         "scenes",    "skins",      "textures"};
    bool ok = true;
    for (size_t i = 0; i < sizeof arrays / sizeof *arrays; i++) {
        int n;
        const cJSON *a = mh_gltf_array(c, c->root, "", arrays[i], &n);
        if (!a && cJSON_GetObjectItemCaseSensitive(c->root, arrays[i]))
            ok = false;
        int k = 0;
        for (const cJSON *e = a ? a->child : NULL; e; e = e->next, k++)
            if (!cJSON_IsObject(e)) {
                char p[64];
                snprintf(p, sizeof p, "/%s/%d", arrays[i], k);
                ok = ISSUE(c, "TYPE_MISMATCH", p, "expected an object");
            }
    }
    return ok;
}

static bool check_asset(ctx *c)
{
    const cJSON *asset = cJSON_GetObjectItemCaseSensitive(c->root, "asset");
    if (!asset)
        return ISSUE(c, "UNDEFINED_PROPERTY", "/", "required property 'asset' is missing");
    if (!cJSON_IsObject(asset))
        return ISSUE(c, "UNDEFINED_PROPERTY", "/asset", "'asset' must be an object with a version");
    bool ok = check_version(c, asset);
    ok = check_extensions(c) && ok;
    return check_top_level(c) && ok;
}

/* ---- the order of work -------------------------------------------------------- */

static void count_sections(ctx *c)
{
    int *counts[] = {&c->image_count, &c->sampler_count, &c->texture_count, &c->material_count, &c->mesh_count,
                     &c->node_count,  &c->skin_count,    &c->camera_count,  &c->scene_count};
    static const char *const keys[] = {"images", "samplers", "textures", "materials", "meshes",
                                       "nodes",  "skins",    "cameras",  "scenes"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(c->root, keys[i]);
        *counts[i] = cJSON_IsArray(a) ? cJSON_GetArraySize(a) : 0;
    }
    const cJSON ***items[] = {&c->nodes_j, &c->materials_j, &c->textures_j, &c->skins_j};
    static const char *const indexed[] = {"nodes", "materials", "textures", "skins"};
    const int sizes[] = {c->node_count, c->material_count, c->texture_count, c->skin_count};
    for (int i = 0; i < 4; i++) {
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(c->root, indexed[i]);
        *items[i] = mh_gltf_alloc(c, sizeof(cJSON *) * (size_t)(sizes[i] + 1));
        int k = 0;
        for (const cJSON *e = cJSON_IsArray(a) && *items[i] ? a->child : NULL; e; e = e->next)
            (*items[i])[k++] = e;
    }
    const cJSON *lights = mh_gltf_ext(c->root, "KHR_lights_punctual");
    const cJSON *la = lights ? cJSON_GetObjectItemCaseSensitive(lights, "lights") : NULL;
    c->light_count = cJSON_IsArray(la) ? cJSON_GetArraySize(la) : 0;
}

/* Everything up to the budget checks: structure and references only. */
static bool check_structure(ctx *c)
{
    bool ok = check_asset(c);
    count_sections(c);
    ok = ok && mh_gltf_load_buffers(c);
    ok = ok && mh_gltf_check_views(c);
    ok = ok && mh_gltf_check_accessors(c);
    ok = mh_gltf_check_nodes(c) && ok;
    return ok;
}

static bool load_parsed(ctx *c, mh_gltf_model *out)
{
    if (!check_structure(c) || mh_gltf_cancelled(c))
        return false;
    bool ok = mh_gltf_check_meshes(c, out);
    ok = mh_gltf_check_skins(c) && ok;
    ok = mh_gltf_check_animations(c) && ok;
    if (!ok)
        return false;
    int *instances = mh_gltf_mesh_instances(c);
    if (!instances || !mh_gltf_check_mesh_budget(c, instances))
        return false;
    ok = mh_gltf_check_accessor_data(c);
    ok = ok && !mh_gltf_cancelled(c) && mh_gltf_load_images(c, out);
    ok = ok && mh_gltf_load_materials(c, out);
    ok = ok && !mh_gltf_cancelled(c) && mh_gltf_load_meshes(c, out);
    ok = ok && mh_gltf_load_cameras(c, out) && mh_gltf_load_lights(c, out);
    ok = ok && mh_gltf_load_nodes(c, out);
    ok = ok && mh_gltf_load_skins(c, out) && mh_gltf_load_animations(c, out);
    if (ok)
        mh_gltf_place(c, out);
    return ok;
}

bool mh_gltf_load_memory(const void *data, size_t size, const char *base_dir, const mh_gltf_desc *desc, mh_arena *arena,
                         mh_gltf_model *out, mh_gltf_report *rep)
{
    mh_gltf_desc none = {0};
    memset(out, 0, sizeof *out);
    memset(rep, 0, sizeof *rep);
    out->bounds = mh_aabb_empty();
    ctx c = {.arena = arena, .rep = rep, .desc = desc ? desc : &none, .base_dir = base_dir};
    c.budget = mh_budget_defaults(c.desc->budget);
    const uint8_t *d = data;
    span json = {d, size};
    c.is_glb = size >= 4 && le32(d) == MH_GLTF_GLB_MAGIC;
    if (c.is_glb && !parse_glb(&c, d, size, &json))
        return false;
    if (json.size > c.budget.json_bytes)
        return ISSUE(&c, "BUDGET_EXCEEDED", "",
                     "the JSON is %zu bytes, more than the budget of %u (budgets.json_bytes)", json.size,
                     c.budget.json_bytes);
    if (json.size >= 3 && !memcmp(json.data, "\xEF\xBB\xBF", 3))
        return ISSUE(&c, "INVALID_JSON", "", "invalid JSON: glTF JSON must not start with a byte order mark");
    mh_error err;
    cJSON *root = mh_json_parse_max((const char *)json.data, json.size, "", c.budget.json_values, &err);
    if (!root)
        return ISSUE(&c, strstr(err.message, "values") ? "BUDGET_EXCEEDED" : "INVALID_JSON", "", "%s%s%s",
                     err.where[0] ? err.where : "", err.where[0] ? ": " : "", err.message);
    c.root = root;
    bool ok =
        (cJSON_IsObject(root) || ISSUE(&c, "TYPE_MISMATCH", "", "the JSON is not an object")) && load_parsed(&c, out);
    cJSON_Delete(root);
    if (!ok && rep->errors == 0)
        ISSUE(&c, "LOAD_FAILED", "", "the model could not be loaded");
    return ok && rep->errors == 0;
}

bool mh_gltf_load(const char *path, const mh_gltf_desc *desc, mh_arena *arena, mh_gltf_model *out, mh_gltf_report *rep)
{
    char *data, dir[1024];
    size_t size;
    mh_error err;
    mh_gltf_desc none = {0};
    const mh_gltf_desc *d = desc ? desc : &none;
    mh_budget b = mh_budget_defaults(d->budget);
    memset(rep, 0, sizeof *rep);
    memset(out, 0, sizeof *out);
    mh_fs_dirname(path, dir, sizeof dir);
    if (!mh_fs_read(path, d->root ? d->root : dir, b.file_bytes, &data, &size, &err)) {
        rep->errors = rep->count = 1;
        rep->issues[0].error = true;
        snprintf(rep->issues[0].code, sizeof rep->issues[0].code, "IO_ERROR");
        snprintf(rep->issues[0].message, sizeof rep->issues[0].message, "%.199s", err.message);
        return false;
    }
    mh_gltf_desc inner = *d;
    if (!inner.root)
        inner.root = dir;
    bool ok = mh_gltf_load_memory(data, size, dir, &inner, arena, out, rep);
    free(data);
    return ok;
}
