/* mh_gltf.c - glTF 2.0 loading: GLB container, buffers (GLB, data URI,
 * files), buffer views, accessors (strided, normalized, sparse, quantized),
 * meshes, materials, textures and PNG images, cameras, and the node tree.
 *
 * Order of work: container -> JSON -> buffers -> views -> accessors (every
 * one bounds-checked up front) -> images -> materials -> meshes -> nodes.
 * Nothing is read from a buffer before its range has been checked. */
#include "mh_gltf.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/mh_fs.h"
#include "mh_jpeg.h"
#include "mh_json.h"

#define MAX_FILE_BYTES (256u << 20)     /* a .glb or external buffer */
#define MAX_DECODE_BYTES (512u << 20)   /* everything one model may decode to */
#define MAX_ELEMENTS (64u << 20)        /* per accessor */
#define GLB_MAGIC 0x46546C67u
#define CHUNK_JSON 0x4E4F534Au
#define CHUNK_BIN 0x004E4942u

enum { BYTE = 5120, UBYTE = 5121, SHORT = 5122, USHORT = 5123, UINT = 5125, FLOAT = 5126 };

typedef struct span {
    const uint8_t *data;
    size_t size;
} span;

typedef struct accessor {
    bool ok;                  /* validated; data may be read */
    int comp_type, comps, count;
    bool normalized;
    int view;                 /* -1: all zeros (plus sparse) */
    size_t offset, stride, elem_size;
    const cJSON *sparse;
    bool attribute;           /* used as a vertex attribute */
} accessor;

typedef struct view {
    bool ok;
    int buffer;
    size_t offset, length, stride;  /* stride 0: tightly packed */
    int attribute_users;            /* vertex attribute accessors using it */
} view;

typedef struct ctx {
    mh_arena *arena;
    mh_gltf_report *rep;
    const char *base_dir;
    const cJSON *root;
    span bin;                 /* GLB BIN chunk */
    bool is_glb, has_bin;
    span *buffers;
    int buffer_count;
    view *views;
    int view_count;
    accessor *accs;
    int acc_count;
    size_t decoded;
    bool quantization;        /* KHR_mesh_quantization is used */
} ctx;

static const char *const SUPPORTED_EXTENSIONS[] = {"KHR_materials_unlit", "KHR_texture_transform",
                                                   "KHR_mesh_quantization"};

bool mh_gltf_extension_supported(const char *name)
{
    for (size_t i = 0; i < sizeof SUPPORTED_EXTENSIONS / sizeof *SUPPORTED_EXTENSIONS; i++)
        if (strcmp(name, SUPPORTED_EXTENSIONS[i]) == 0)
            return true;
    return false;
}

/* ---- reporting ------------------------------------------------------------ */

static bool issue(ctx *c, bool error, const char *ptr, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static bool issue(ctx *c, bool error, const char *ptr, const char *fmt, ...)
{
    mh_gltf_report *r = c->rep;
    if (error)
        r->errors++;
    else
        r->warnings++;
    if (r->count < MH_GLTF_MAX_ISSUES) {
        mh_gltf_issue *i = &r->issues[r->count++];
        i->error = error;
        snprintf(i->pointer, sizeof i->pointer, "%s", ptr);
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(i->message, sizeof i->message, fmt, ap);
        va_end(ap);
    }
    return false;
}

static void *alloc(ctx *c, size_t n)
{
    if (n > MAX_DECODE_BYTES || c->decoded + n > MAX_DECODE_BYTES)
        return NULL;
    c->decoded += n;
    return mh_arena_alloc(c->arena, n ? n : 1);
}

/* ---- JSON helpers: each reports by pointer -------------------------------- */

static const cJSON *get_array(ctx *c, const cJSON *obj, const char *ptr, const char *key, int *n)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(obj, key);
    *n = 0;
    if (!a)
        return NULL;
    char p[96];
    mh_json_ptr_key(p, sizeof p, ptr, key);
    if (!cJSON_IsArray(a)) {
        issue(c, true, p, "expected an array");
        return NULL;
    }
    *n = cJSON_GetArraySize(a);
    if (*n == 0)
        issue(c, false, p, "empty array");
    return a;
}

/* A whole number that fits an int64 exactly (casting others is undefined). */
static bool is_integer(double v) { return isfinite(v) && v == floor(v) && fabs(v) < 9.0e15; }

/* An integer property in [lo, hi]. Returns 1 present+valid, 0 absent, -1 bad. */
static int get_int(ctx *c, const cJSON *obj, const char *ptr, const char *key, double lo, double hi, int *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        return 0;
    char p[96];
    mh_json_ptr_key(p, sizeof p, ptr, key);
    if (!cJSON_IsNumber(v) || !is_integer(v->valuedouble)) {
        issue(c, true, p, "expected an integer");
        return -1;
    }
    if (v->valuedouble < lo || v->valuedouble > hi) {
        issue(c, true, p, "value %.0f is out of range [%.0f, %.0f]", v->valuedouble, lo, hi);
        return -1;
    }
    *out = (int)v->valuedouble;
    return 1;
}

/* An index into an array of `count` entries; `what` names that array. */
static int get_ref(ctx *c, const cJSON *obj, const char *ptr, const char *key, int count, const char *what,
                   bool required, int *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    char p[96];
    mh_json_ptr_key(p, sizeof p, ptr, key);
    if (!v) {
        if (required)
            issue(c, true, ptr[0] ? ptr : "/", "required property '%s' is missing", key);
        return required ? -1 : 0;
    }
    if (!cJSON_IsNumber(v) || !is_integer(v->valuedouble) || v->valuedouble < 0) {
        issue(c, true, p, "expected an index (a non-negative integer)");
        return -1;
    }
    if (v->valuedouble >= count) {
        issue(c, true, p, "unresolved reference: %s %.0f does not exist (%d defined)", what, v->valuedouble, count);
        return -1;
    }
    *out = (int)v->valuedouble;
    return 1;
}

static bool get_floats(ctx *c, const cJSON *obj, const char *ptr, const char *key, int n, float *out)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!a)
        return true;
    char p[96];
    mh_json_ptr_key(p, sizeof p, ptr, key);
    if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) != n)
        return issue(c, true, p, "expected an array of %d numbers", n);
    int i = 0;
    for (const cJSON *e = a->child; e; e = e->next, i++) {
        if (!cJSON_IsNumber(e) || !isfinite(e->valuedouble))
            return issue(c, true, p, "expected an array of %d numbers", n);
        out[i] = (float)e->valuedouble;
    }
    return true;
}

/* ---- URIs and buffers ----------------------------------------------------- */

static int b64(int ch)
{
    if (ch >= 'A' && ch <= 'Z') return ch - 'A';
    if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9') return ch - '0' + 52;
    if (ch == '+' || ch == '-') return 62;
    if (ch == '/' || ch == '_') return 63;
    return -1;
}

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

/* Decodes a data: URI ("data:[type/subtype][;param]*[;base64],payload") into
 * the arena; *mime gets the media type (a static buffer). */
static bool data_uri(ctx *c, const char *uri, const char *ptr, span *out, const char **mime)
{
    const char *comma = strchr(uri, ',');
    if (!comma)
        return issue(c, true, ptr, "invalid data URI: no ',' before the data");
    static char mime_buf[64];
    const char *head = uri + 5, *semi = memchr(head, ';', (size_t)(comma - head));
    size_t ml = (size_t)((semi ? semi : comma) - head);
    snprintf(mime_buf, sizeof mime_buf, "%.*s", (int)(ml < 63 ? ml : 63), head);
    if (mime)
        *mime = mime_buf;
    bool base64 = false;
    for (const char *q = semi; q && q < comma;) {
        const char *next = memchr(q + 1, ';', (size_t)(comma - q - 1));
        const char *end = next ? next : comma;
        if (end == q + 1)
            return issue(c, true, ptr, "invalid data URI: empty parameter");
        if ((size_t)(end - q - 1) == 6 && !strncmp(q + 1, "base64", 6))
            base64 = true;
        q = next;
    }
    const char *s = comma + 1;
    size_t n = strlen(s);
    uint8_t *o = alloc(c, n + 3);
    if (!o)
        return issue(c, true, ptr, "data URI is too large");
    size_t len = 0;
    if (!base64) {
        for (size_t i = 0; i < n; i++) {
            if (s[i] == '%' && i + 2 < n + 1 && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
                o[len++] = (uint8_t)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
                i += 2;
            } else {
                o[len++] = (uint8_t)s[i];
            }
        }
        *out = (span){o, len};
        return true;
    }
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '=')
            break;
        int v = b64((unsigned char)s[i]);
        if (v < 0)
            return issue(c, true, ptr, "invalid data URI: a character that is not base64");
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            o[len++] = (uint8_t)(acc >> bits);
        }
    }
    *out = (span){o, len};
    return true;
}

/* Percent-decodes uri and resolves it inside base_dir. */
static bool file_uri(ctx *c, const char *uri, const char *ptr, char *path, size_t size)
{
    if (!c->base_dir)
        return issue(c, true, ptr, "external file \"%.60s\" cannot be read here", uri);
    char dec[512];
    size_t n = 0;
    for (const char *s = uri; *s && n + 1 < sizeof dec; s++) {
        if (*s == '%' && s[1] && s[2]) {
            char hex[3] = {s[1], s[2], 0};
            char *end;
            long v = strtol(hex, &end, 16);
            if (*end || v == 0)
                return issue(c, true, ptr, "invalid URI \"%.60s\": bad percent escape", uri);
            dec[n++] = (char)v;
            s += 2;
        } else {
            dec[n++] = *s;
        }
    }
    dec[n] = '\0';
    if (strchr(dec, ':') && !strchr(dec, '/'))
        ; /* a plain name with a colon is fine */
    else if (strstr(dec, "://") || dec[0] == '/')
        return issue(c, true, ptr, "invalid URI \"%.60s\": only files beside the model may be referenced", uri);
    if (!mh_fs_join_inside(c->base_dir, dec, path, size))
        return issue(c, true, ptr, "invalid URI \"%.60s\": it leaves the model's folder", uri);
    return true;
}

static bool read_external(ctx *c, const char *path, const char *ptr, span *out)
{
    char *data;
    size_t size;
    mh_error err;
    if (!mh_fs_read(path, c->base_dir, MAX_FILE_BYTES, &data, &size, &err))
        return issue(c, true, ptr, "%s", err.message);
    uint8_t *d = alloc(c, size);
    if (d)
        memcpy(d, data, size);
    free(data);
    if (!d)
        return issue(c, true, ptr, "the file is too large to load");
    *out = (span){d, size};
    return true;
}

static bool load_buffers(ctx *c)
{
    int n;
    const cJSON *arr = get_array(c, c->root, "", "buffers", &n);
    c->buffers = alloc(c, sizeof(span) * (size_t)(n + 1));
    c->buffer_count = n;
    bool ok = c->buffers != NULL;
    int i = 0;
    for (const cJSON *b = arr ? arr->child : NULL; b; b = b->next, i++) {
        char p[64];
        mh_json_ptr_index(p, sizeof p, "/buffers", i);
        int len = 0;
        if (!cJSON_IsObject(b)) {
            ok = issue(c, true, p, "expected an object");
            continue;
        }
        int has = get_int(c, b, p, "byteLength", 1, MAX_FILE_BYTES, &len);
        if (has != 1) {
            if (has == 0)
                issue(c, true, p, "required property 'byteLength' is missing");
            ok = false;
            continue;
        }
        const cJSON *uri = cJSON_GetObjectItemCaseSensitive(b, "uri");
        char up[80];
        mh_json_ptr_key(up, sizeof up, p, "uri");
        span s = {0};
        if (!uri) {
            if (!(c->is_glb && i == 0))
                continue;  /* no data: fine until a bufferView needs it */
            if (!c->has_bin) {
                ok = issue(c, true, p, "the GLB has no BIN chunk for this buffer");
                continue;
            }
            s = c->bin;
            if (s.size > (size_t)len + 3)
                issue(c, false, p, "GLB BIN chunk is %zu bytes, more than byteLength %d", s.size, len);
        } else if (!cJSON_IsString(uri)) {
            ok = issue(c, true, up, "expected a string");
            continue;
        } else if (strncmp(uri->valuestring, "data:", 5) == 0) {
            if (!data_uri(c, uri->valuestring, up, &s, NULL)) {
                ok = false;
                continue;
            }
        } else {
            char path[1024];
            if (!file_uri(c, uri->valuestring, up, path, sizeof path) || !read_external(c, path, up, &s)) {
                ok = false;
                continue;
            }
        }
        if (s.size < (size_t)len) {
            ok = issue(c, true, p, "buffer holds %zu bytes, less than its byteLength %d", s.size, len);
            continue;
        }
        c->buffers[i] = (span){s.data, (size_t)len};
    }
    return ok;
}

static bool check_views(ctx *c)
{
    int n;
    const cJSON *arr = get_array(c, c->root, "", "bufferViews", &n);
    c->views = alloc(c, sizeof(view) * (size_t)(n + 1));
    c->view_count = n;
    if (!c->views)
        return issue(c, true, "/bufferViews", "too many buffer views");
    bool ok = true;
    int i = 0;
    for (const cJSON *v = arr ? arr->child : NULL; v; v = v->next, i++) {
        char p[64];
        mh_json_ptr_index(p, sizeof p, "/bufferViews", i);
        view *w = &c->views[i];
        int buf = -1, off = 0, len = 0, stride = 0;
        bool good = cJSON_IsObject(v) || issue(c, true, p, "expected an object");
        good = good && get_ref(c, v, p, "buffer", c->buffer_count, "buffer", true, &buf) == 1;
        good = good && get_int(c, v, p, "byteOffset", 0, MAX_FILE_BYTES, &off) >= 0;
        int has_len = good ? get_int(c, v, p, "byteLength", 1, MAX_FILE_BYTES, &len) : -1;
        if (good && has_len == 0)
            issue(c, true, p, "required property 'byteLength' is missing");
        good = good && has_len == 1;
        int has_stride = good ? get_int(c, v, p, "byteStride", 4, 252, &stride) : 0;
        good = good && has_stride >= 0;
        char sp[80];
        mh_json_ptr_key(sp, sizeof sp, p, "byteStride");
        if (good && has_stride == 1 && stride % 4 != 0)
            good = issue(c, true, sp, "byteStride %d is not a multiple of 4", stride);
        int target = 0;
        if (good && has_stride == 1 && get_int(c, v, p, "target", 0, 1e9, &target) == 1 && target == 34963)
            good = issue(c, true, sp, "an index buffer view (target 34963) must not have byteStride");
        if (good && !c->buffers[buf].data)
            good = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(c->root, "buffers"), buf), "uri")
                       ? false  /* its data failed to load: already reported */
                       : issue(c, true, p, "buffer %d has no data (no uri%s)", buf, c->is_glb ? " and no GLB BIN chunk" : "");
        if (good && (size_t)off + (size_t)len > c->buffers[buf].size)
            good = issue(c, true, p, "byteOffset %d + byteLength %d exceeds buffer %d's %zu bytes", off, len, buf,
                         c->buffers[buf].size);
        *w = (view){good, buf, (size_t)off, (size_t)len, (size_t)stride, 0};
        ok = ok && good;
    }
    return ok;
}

/* ---- accessors ------------------------------------------------------------ */

/* An unsigned integer component, exactly (floats lose precision above 2^24). */
static uint32_t uint_at(const uint8_t *d, int type)
{
    switch (type) {
    case UBYTE: return d[0];
    case USHORT: return (uint32_t)(d[0] | d[1] << 8);
    default: return (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 | (uint32_t)d[3] << 24;
    }
}

static int comp_size(int t)
{
    switch (t) {
    case BYTE: case UBYTE: return 1;
    case SHORT: case USHORT: return 2;
    case UINT: case FLOAT: return 4;
    default: return 0;
    }
}

static int type_comps(const char *t, int *columns)
{
    static const struct { const char *name; int comps, cols; } types[] = {
        {"SCALAR", 1, 1}, {"VEC2", 2, 1}, {"VEC3", 3, 1}, {"VEC4", 4, 1}, {"MAT2", 4, 2}, {"MAT3", 9, 3},
        {"MAT4", 16, 4}};
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        if (strcmp(t, types[i].name) == 0) {
            *columns = types[i].cols;
            return types[i].comps;
        }
    return 0;
}

/* Size of one element; matrix columns start on 4-byte boundaries. */
static size_t elem_size(int comps, int cols, int csize)
{
    if (cols == 1)
        return (size_t)comps * (size_t)csize;
    size_t col = (size_t)(comps / cols) * (size_t)csize;
    return ((col + 3) & ~(size_t)3) * (size_t)cols;
}

/* Checks that `count` elements at `offset` with `stride` fit in view v; the
 * last element needs only `esize` bytes (a matrix's padding may be cut). */
static bool fits(const view *v, size_t offset, size_t stride, size_t esize, size_t count)
{
    if (count == 0)
        return offset <= v->length;
    size_t need = offset + stride * (count - 1) + esize;
    return need >= offset && need <= v->length && (count - 1) <= (SIZE_MAX - offset) / (stride ? stride : 1);
}

static bool check_sparse(ctx *c, const cJSON *sp, const char *ptr, const accessor *a)
{
    int count = 0;
    if (!cJSON_IsObject(sp))
        return issue(c, true, ptr, "expected an object");
    if (get_int(c, sp, ptr, "count", 1, a->count, &count) != 1) {
        if (!cJSON_GetObjectItemCaseSensitive(sp, "count"))
            issue(c, true, ptr, "required property 'count' is missing");
        return false;
    }
    const cJSON *idx = cJSON_GetObjectItemCaseSensitive(sp, "indices");
    const cJSON *val = cJSON_GetObjectItemCaseSensitive(sp, "values");
    char ip[96], vp[96];
    mh_json_ptr_key(ip, sizeof ip, ptr, "indices");
    mh_json_ptr_key(vp, sizeof vp, ptr, "values");
    if (!cJSON_IsObject(idx) || !cJSON_IsObject(val))
        return issue(c, true, ptr, "sparse needs 'indices' and 'values' objects");
    int iv = -1, vv = -1, io = 0, vo = 0, ict = 0;
    if (get_ref(c, idx, ip, "bufferView", c->view_count, "bufferView", true, &iv) != 1 ||
        get_ref(c, val, vp, "bufferView", c->view_count, "bufferView", true, &vv) != 1 ||
        get_int(c, idx, ip, "byteOffset", 0, MAX_FILE_BYTES, &io) < 0 ||
        get_int(c, val, vp, "byteOffset", 0, MAX_FILE_BYTES, &vo) < 0)
        return false;
    if (get_int(c, idx, ip, "componentType", 0, 1e9, &ict) != 1 || (ict != UBYTE && ict != USHORT && ict != UINT))
        return issue(c, true, ip, "sparse indices must be UNSIGNED_BYTE, UNSIGNED_SHORT or UNSIGNED_INT");
    const view *w1 = &c->views[iv], *w2 = &c->views[vv];
    if (!w1->ok || !w2->ok)
        return false;
    if (w1->stride || w2->stride)
        return issue(c, true, ptr, "sparse buffer views must not have byteStride");
    size_t is = (size_t)comp_size(ict);
    if (!fits(w1, (size_t)io, is, is, (size_t)count))
        return issue(c, true, ip, "sparse indices do not fit in bufferView %d", iv);
    if (!fits(w2, (size_t)vo, a->elem_size, a->elem_size, (size_t)count))
        return issue(c, true, vp, "sparse values do not fit in bufferView %d", vv);
    /* indices must increase strictly and stay below the accessor's count */
    const uint8_t *d = c->buffers[w1->buffer].data + w1->offset + (size_t)io;
    long prev = -1;
    for (int k = 0; k < count; k++) {
        uint32_t x = uint_at(d + (size_t)k * is, ict);
        if ((long)x <= prev || x >= (uint32_t)a->count)
            return issue(c, true, ip, "sparse index %u at %d is out of order or out of range (count %d)", x, k,
                         a->count);
        prev = (long)x;
    }
    return true;
}

static bool check_accessor(ctx *c, const cJSON *j, const char *p, accessor *a)
{
    *a = (accessor){.view = -1};
    if (!cJSON_IsObject(j))
        return issue(c, true, p, "expected an object");
    int ct = 0, count = 0, off = 0;
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(j, "type");
    char tp[80];
    mh_json_ptr_key(tp, sizeof tp, p, "componentType");
    int r = get_int(c, j, p, "componentType", 0, 1e9, &ct);
    if (r == 0)
        return issue(c, true, p, "required property 'componentType' is missing");
    if (r < 0)
        return false;
    if (!comp_size(ct))
        return issue(c, true, tp, "invalid componentType %d", ct);
    r = get_int(c, j, p, "count", 1, MAX_ELEMENTS, &count);
    if (r == 0)
        return issue(c, true, p, "required property 'count' is missing");
    if (r < 0)
        return false;
    mh_json_ptr_key(tp, sizeof tp, p, "type");
    if (!type)
        return issue(c, true, p, "required property 'type' is missing");
    int cols = 1, comps = cJSON_IsString(type) ? type_comps(type->valuestring, &cols) : 0;
    if (!comps) {
        issue(c, false, tp, "invalid accessor type (expected SCALAR, VEC2, VEC3, VEC4, MAT2, MAT3 or MAT4); "
                            "the accessor cannot be used");
        return true;  /* a problem only if something uses it */
    }
    const cJSON *norm = cJSON_GetObjectItemCaseSensitive(j, "normalized");
    a->normalized = cJSON_IsTrue(norm);
    if (a->normalized && (ct == FLOAT || ct == UINT)) {
        mh_json_ptr_key(tp, sizeof tp, p, "normalized");
        return issue(c, true, tp, "only byte and short components can be normalized");
    }
    a->comp_type = ct;
    a->comps = comps;
    a->count = count;
    a->elem_size = elem_size(comps, cols, comp_size(ct));
    if (get_int(c, j, p, "byteOffset", 0, MAX_FILE_BYTES, &off) < 0)
        return false;
    int v = -1;
    r = get_ref(c, j, p, "bufferView", c->view_count, "bufferView", false, &v);
    if (r < 0)
        return false;
    if (r == 0) {
        if (off)
            return issue(c, true, p, "byteOffset needs a bufferView");
        if ((size_t)count * a->elem_size > MAX_DECODE_BYTES)
            return issue(c, true, p, "count %d is too large", count);
    } else {
        const view *w = &c->views[v];
        if (!w->ok)
            return false;
        size_t cs = (size_t)comp_size(ct);
        mh_json_ptr_key(tp, sizeof tp, p, "byteOffset");
        if (off % (int)cs || (w->offset + (size_t)off) % cs)
            return issue(c, true, tp, "offset is not a multiple of the component size %zu", cs);
        if (w->stride && w->stride < a->elem_size)
            return issue(c, true, p, "bufferView %d's byteStride %zu is smaller than an element (%zu bytes)", v,
                         w->stride, a->elem_size);
        if (cols > 1 && w->stride % 4)
            return issue(c, true, p, "matrix columns must start on 4-byte boundaries");
        size_t stride = w->stride ? w->stride : a->elem_size;
        /* the last matrix column needs no padding after it */
        size_t col = (size_t)(comps / cols) * cs, extent = a->elem_size - (((col + 3) & ~(size_t)3) - col) * (cols > 1);
        if (!fits(w, (size_t)off, stride, extent, (size_t)count))
            return issue(c, true, p, "%d elements of %zu bytes (stride %zu) from offset %d do not fit in "
                                     "bufferView %d (%zu bytes)",
                         count, a->elem_size, stride, off, v, w->length);
        a->view = v;
        a->offset = (size_t)off;
        a->stride = stride;
    }
    a->sparse = cJSON_GetObjectItemCaseSensitive(j, "sparse");
    if (a->sparse) {
        char sp[80];
        mh_json_ptr_key(sp, sizeof sp, p, "sparse");
        if (!check_sparse(c, a->sparse, sp, a))
            return false;
    }
    a->ok = true;
    return true;
}

static bool check_accessors(ctx *c)
{
    int n;
    const cJSON *arr = get_array(c, c->root, "", "accessors", &n);
    c->accs = alloc(c, sizeof(accessor) * (size_t)(n + 1));
    c->acc_count = n;
    if (!c->accs)
        return issue(c, true, "/accessors", "too many accessors");
    bool ok = true;
    int i = 0;
    for (const cJSON *j = arr ? arr->child : NULL; j; j = j->next, i++) {
        char p[64];
        mh_json_ptr_index(p, sizeof p, "/accessors", i);
        ok = check_accessor(c, j, p, &c->accs[i]) && ok;
    }
    return ok;
}

/* Where an accessor's sparse indices and values are (check_sparse has
 * already checked every number used here). */
typedef struct sparse_data {
    int count, index_type;
    const uint8_t *indices, *values;
} sparse_data;

static sparse_data sparse_of(const ctx *c, const accessor *a)
{
    const cJSON *idx = cJSON_GetObjectItemCaseSensitive(a->sparse, "indices");
    const cJSON *val = cJSON_GetObjectItemCaseSensitive(a->sparse, "values");
    const cJSON *io = cJSON_GetObjectItemCaseSensitive(idx, "byteOffset");
    const cJSON *vo = cJSON_GetObjectItemCaseSensitive(val, "byteOffset");
    const view *iv = &c->views[cJSON_GetObjectItemCaseSensitive(idx, "bufferView")->valueint];
    const view *vv = &c->views[cJSON_GetObjectItemCaseSensitive(val, "bufferView")->valueint];
    return (sparse_data){
        cJSON_GetObjectItemCaseSensitive(a->sparse, "count")->valueint,
        cJSON_GetObjectItemCaseSensitive(idx, "componentType")->valueint,
        c->buffers[iv->buffer].data + iv->offset + (io ? (size_t)io->valueint : 0),
        c->buffers[vv->buffer].data + vv->offset + (vo ? (size_t)vo->valueint : 0),
    };
}

static float component(const uint8_t *d, int type, bool normalized)
{
    switch (type) {
    case BYTE: { int8_t v = (int8_t)d[0]; return normalized ? fmaxf((float)v / 127.0f, -1.0f) : (float)v; }
    case UBYTE: return normalized ? (float)d[0] / 255.0f : (float)d[0];
    case SHORT: { int16_t v = (int16_t)(d[0] | d[1] << 8); return normalized ? fmaxf((float)v / 32767.0f, -1.0f) : (float)v; }
    case USHORT: { uint16_t v = (uint16_t)(d[0] | d[1] << 8); return normalized ? (float)v / 65535.0f : (float)v; }
    case UINT: return (float)((uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 | (uint32_t)d[3] << 24);
    default: { float f; memcpy(&f, d, 4); return f; }
    }
}

/* Decodes accessor i into `want` floats per element (extra components are
 * dropped, missing ones become 0, or 1 for a 4th). Sparse values applied. */
static float *read_floats(ctx *c, int i, int want)
{
    const accessor *a = &c->accs[i];
    float *out = alloc(c, sizeof(float) * (size_t)a->count * (size_t)want);
    if (!out)
        return NULL;
    int cs = comp_size(a->comp_type), n = a->comps < want ? a->comps : want;
    const uint8_t *base = a->view >= 0 ? c->buffers[c->views[a->view].buffer].data + c->views[a->view].offset + a->offset
                                       : NULL;
    for (int e = 0; e < a->count; e++)
        for (int k = 0; k < want; k++)
            out[(size_t)e * want + k] = k < n && base ? component(base + (size_t)e * a->stride + (size_t)k * cs,
                                                                  a->comp_type, a->normalized)
                                                      : (k == 3 ? 1.0f : 0.0f);
    if (a->sparse) {
        sparse_data sp = sparse_of(c, a);
        for (int s = 0; s < sp.count; s++) {
            uint32_t e = uint_at(sp.indices + (size_t)s * (size_t)comp_size(sp.index_type), sp.index_type);
            for (int k = 0; k < n; k++)
                out[(size_t)e * want + k] = component(sp.values + (size_t)s * a->elem_size + (size_t)k * cs, a->comp_type,
                                                      a->normalized);
        }
    }
    for (size_t k = 0; k < (size_t)a->count * (size_t)want; k++)
        if (!isfinite(out[k]))
            return issue(c, true, "/accessors", "accessor %d holds a NaN or infinite value", i), NULL;
    return out;
}

/* ---- images, textures, materials ------------------------------------------ */

static bool is_png(span s) { return s.size >= 8 && memcmp(s.data, "\x89PNG\r\n\x1a\n", 8) == 0; }

static void load_image(ctx *c, const cJSON *j, const char *p, mh_image *out)
{
    span s = {0};
    const char *mime = NULL;
    const cJSON *uri = cJSON_GetObjectItemCaseSensitive(j, "uri");
    const cJSON *mt = cJSON_GetObjectItemCaseSensitive(j, "mimeType");
    if (cJSON_IsString(mt))
        mime = mt->valuestring;
    int v = -1;
    int has_view = get_ref(c, j, p, "bufferView", c->view_count, "bufferView", false, &v);
    if (has_view < 0)
        return;
    if (cJSON_IsString(uri) && has_view == 0) {
        char up[80];
        mh_json_ptr_key(up, sizeof up, p, "uri");
        char path[1024];
        if (strncmp(uri->valuestring, "data:", 5) == 0) {
            if (!data_uri(c, uri->valuestring, up, &s, &mime))
                return;
        } else if (!file_uri(c, uri->valuestring, up, path, sizeof path) || !read_external(c, path, up, &s)) {
            return;
        }
    } else if (has_view == 1 && !uri) {
        const view *w = &c->views[v];
        if (!w->ok)
            return;
        if (!mime) {
            issue(c, true, p, "required property 'mimeType' is missing (an image in a bufferView needs it)");
            return;
        }
        if (w->stride) {
            issue(c, true, p, "an image's bufferView must not have byteStride");
            return;
        }
        s = (span){c->buffers[w->buffer].data + w->offset, w->length};
    } else {
        issue(c, true, p, "an image needs either a uri or a bufferView");
        return;
    }
    bool png = is_png(s), jpeg = s.size >= 3 && !memcmp(s.data, "\xFF\xD8\xFF", 3);
    if (mime && strcmp(mime, "image/png") && strcmp(mime, "image/jpeg")) {
        issue(c, true, p, "image type %.40s is not allowed (image/png or image/jpeg)", mime);
        return;
    }
    if ((!png && !jpeg) || (mime && png != !strcmp(mime, "image/png"))) {
        issue(c, true, p, "image data is %s, not what its type says (%s)", png ? "a PNG" : jpeg ? "a JPEG" : "neither PNG nor JPEG",
              mime ? mime : "none given");
        return;
    }
    mh_error err;
    mh_image img;
    if (!(png ? mh_png_decode(s.data, s.size, "image", &img, &err) : mh_jpeg_decode(s.data, s.size, "image", &img, &err))) {
        issue(c, true, p, "%s", err.message);
        return;
    }
    size_t bytes = (size_t)img.width * (size_t)img.height * 4;
    uint8_t *px = alloc(c, bytes);
    if (px) {
        memcpy(px, img.rgba, bytes);
        *out = (mh_image){img.width, img.height, px};
    } else {
        issue(c, true, p, "image is too large");
    }
    mh_image_free(&img);
}

typedef struct uv_xform {
    int set;                  /* TEXCOORD_n */
    float offset[2], rotation, scale[2];
    bool active;
} uv_xform;

static bool load_materials(ctx *c, mh_gltf_model *m, uv_xform **out_xf)
{
    int nt, ni, nm;
    const cJSON *textures = get_array(c, c->root, "", "textures", &nt);
    const cJSON *images = get_array(c, c->root, "", "images", &ni);
    const cJSON *mats = get_array(c, c->root, "", "materials", &nm);
    m->images = alloc(c, sizeof(mh_image) * (size_t)(ni + 1));
    m->materials = alloc(c, sizeof(mh_gltf_material) * (size_t)(nm + 1));
    uv_xform *xf = alloc(c, sizeof(uv_xform) * (size_t)(nm + 1));
    int *tex_image = alloc(c, sizeof(int) * (size_t)(nt + 1));
    if (!m->images || !m->materials || !xf || !tex_image)
        return issue(c, true, "", "too many images or materials");
    int errors = c->rep->errors;
    int i = 0;
    for (const cJSON *j = images ? images->child : NULL; j; j = j->next, i++) {
        char p[64];
        mh_json_ptr_index(p, sizeof p, "/images", i);
        if (cJSON_IsObject(j))
            load_image(c, j, p, &m->images[i]);
        else
            issue(c, true, p, "expected an object");
    }
    m->image_count = ni;
    int nsamplers;
    get_array(c, c->root, "", "samplers", &nsamplers);
    i = 0;
    for (const cJSON *j = textures ? textures->child : NULL; j; j = j->next, i++) {
        char p[64];
        mh_json_ptr_index(p, sizeof p, "/textures", i);
        int src = -1, smp = -1;
        tex_image[i] = -1;
        if (!cJSON_IsObject(j))
            issue(c, true, p, "expected an object");
        else if (get_ref(c, j, p, "source", ni, "image", false, &src) >= 0 &&
                 get_ref(c, j, p, "sampler", nsamplers, "sampler", false, &smp) >= 0)
            tex_image[i] = src;
    }
    i = 0;
    for (const cJSON *j = mats ? mats->child : NULL; j; j = j->next, i++) {
        char p[64];
        mh_json_ptr_index(p, sizeof p, "/materials", i);
        mh_gltf_material *mt = &m->materials[i];
        *mt = (mh_gltf_material){{1, 1, 1, 1}, -1, false, 0, false};
        xf[i] = (uv_xform){0, {0, 0}, 0, {1, 1}, false};
        if (!cJSON_IsObject(j)) {
            issue(c, true, p, "expected an object");
            continue;
        }
        static const char *const other_tex[] = {"normalTexture", "occlusionTexture", "emissiveTexture"};
        for (int k = 0; k < 3; k++) {
            const cJSON *ti = cJSON_GetObjectItemCaseSensitive(j, other_tex[k]);
            char tp[96];
            mh_json_ptr_key(tp, sizeof tp, p, other_tex[k]);
            int t;
            if (ti && (!cJSON_IsObject(ti) || get_ref(c, ti, tp, "index", nt, "texture", true, &t) != 1))
                issue(c, true, tp, "invalid texture reference");
        }
        const cJSON *pbr = cJSON_GetObjectItemCaseSensitive(j, "pbrMetallicRoughness");
        char pp[80];
        mh_json_ptr_key(pp, sizeof pp, p, "pbrMetallicRoughness");
        float em[3] = {0, 0, 0};
        get_floats(c, j, p, "emissiveFactor", 3, em);
        mt->emissive = fmaxf(em[0], fmaxf(em[1], em[2]));
        mt->double_sided = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "doubleSided"));
        const cJSON *ext = cJSON_GetObjectItemCaseSensitive(j, "extensions");
        mt->unlit = ext && cJSON_GetObjectItemCaseSensitive(ext, "KHR_materials_unlit");
        if (!cJSON_IsObject(pbr))
            continue;
        get_floats(c, pbr, pp, "baseColorFactor", 4, mt->base_color);
        const cJSON *mrt = cJSON_GetObjectItemCaseSensitive(pbr, "metallicRoughnessTexture");
        if (mrt) {
            char mp[112];
            mh_json_ptr_key(mp, sizeof mp, pp, "metallicRoughnessTexture");
            int t;
            if (!cJSON_IsObject(mrt) || get_ref(c, mrt, mp, "index", nt, "texture", true, &t) != 1)
                issue(c, true, mp, "invalid texture reference");
        }
        const cJSON *bct = cJSON_GetObjectItemCaseSensitive(pbr, "baseColorTexture");
        if (!cJSON_IsObject(bct))
            continue;
        char bp[96];
        mh_json_ptr_key(bp, sizeof bp, pp, "baseColorTexture");
        int t = -1;
        if (get_ref(c, bct, bp, "index", nt, "texture", true, &t) != 1)
            continue;
        get_int(c, bct, bp, "texCoord", 0, 7, &xf[i].set);
        mt->image = tex_image[t];
        const cJSON *bext = cJSON_GetObjectItemCaseSensitive(bct, "extensions");
        const cJSON *tt = bext ? cJSON_GetObjectItemCaseSensitive(bext, "KHR_texture_transform") : NULL;
        if (cJSON_IsObject(tt)) {
            char xp[128];
            mh_json_ptr_key(xp, sizeof xp, bp, "extensions/KHR_texture_transform");
            get_floats(c, tt, xp, "offset", 2, xf[i].offset);
            get_floats(c, tt, xp, "scale", 2, xf[i].scale);
            const cJSON *rot = cJSON_GetObjectItemCaseSensitive(tt, "rotation");
            if (cJSON_IsNumber(rot))
                xf[i].rotation = (float)rot->valuedouble;
            get_int(c, tt, xp, "texCoord", 0, 7, &xf[i].set);
            xf[i].active = true;
        }
    }
    m->material_count = nm;
    *out_xf = xf;
    return c->rep->errors == errors;
}

/* ---- meshes --------------------------------------------------------------- */

static bool attribute_format_ok(const ctx *c, const char *sem, const accessor *a)
{
    bool q = c->quantization;
    bool f = a->comp_type == FLOAT;
    if (!strcmp(sem, "POSITION"))
        return a->comps == 3 && (f || (q && a->comp_type != UINT));
    if (!strcmp(sem, "NORMAL"))
        return a->comps == 3 && (f || (q && a->normalized && (a->comp_type == BYTE || a->comp_type == SHORT)));
    if (!strncmp(sem, "TEXCOORD_", 9))
        return a->comps == 2 && (f || (a->normalized && (a->comp_type == UBYTE || a->comp_type == USHORT)) ||
                                 (q && a->comp_type != UINT));
    if (!strncmp(sem, "COLOR_", 6))
        return (a->comps == 3 || a->comps == 4) &&
               (f || (a->normalized && (a->comp_type == UBYTE || a->comp_type == USHORT)));
    return true;  /* TANGENT, JOINTS, WEIGHTS, custom: not used here */
}

static uint32_t *read_indices(ctx *c, int i, uint32_t vertex_count, const char *p)
{
    const accessor *a = &c->accs[i];
    if (a->comps != 1 || a->normalized || (a->comp_type != UBYTE && a->comp_type != USHORT && a->comp_type != UINT)) {
        issue(c, true, p, "indices must be a SCALAR of UNSIGNED_BYTE, UNSIGNED_SHORT or UNSIGNED_INT");
        return NULL;
    }
    if (a->view >= 0 && c->views[a->view].stride) {
        issue(c, true, p, "the indices' bufferView must not have byteStride");
        return NULL;
    }
    uint32_t *o = alloc(c, sizeof(uint32_t) * (size_t)a->count);
    if (!o)
        return NULL;
    const view *w = a->view >= 0 ? &c->views[a->view] : NULL;
    const uint8_t *base = w ? c->buffers[w->buffer].data + w->offset + a->offset : NULL;
    for (int k = 0; k < a->count; k++)
        o[k] = base ? uint_at(base + (size_t)k * a->stride, a->comp_type) : 0;
    if (a->sparse) {
        /* exact integers for sparse index values too */
        sparse_data sp = sparse_of(c, a);
        for (int s = 0; s < sp.count; s++)
            o[uint_at(sp.indices + (size_t)s * (size_t)comp_size(sp.index_type), sp.index_type)] =
                uint_at(sp.values + (size_t)s * a->elem_size, a->comp_type);
    }
    for (int k = 0; k < a->count; k++) {
        uint32_t v = o[k];
        uint32_t restart = a->comp_type == UBYTE ? 0xFFu : a->comp_type == USHORT ? 0xFFFFu : 0xFFFFFFFFu;
        if (v == restart) {
            issue(c, true, p, "index %u at position %d is the primitive restart value, which glTF forbids", v, k);
            return NULL;
        }
        if (v >= vertex_count) {
            issue(c, true, p, "index %u at position %d is out of range (%u vertices)", v, k, vertex_count);
            return NULL;
        }
        o[k] = v;
    }
    return o;
}

/* Strips and fans become lists; degenerate leftovers are dropped. */
static uint32_t *to_triangle_list(ctx *c, const uint32_t *idx, uint32_t n, int mode, uint32_t *out_n)
{
    if (mode == 4) {
        *out_n = n - n % 3;
        return (uint32_t *)idx;
    }
    uint32_t tris = n >= 3 ? n - 2 : 0;
    uint32_t *o = alloc(c, sizeof(uint32_t) * (size_t)tris * 3 + 4);
    if (!o)
        return NULL;
    for (uint32_t t = 0; t < tris; t++) {
        uint32_t a = mode == 6 ? idx[0] : idx[t], b = idx[t + 1], d = idx[t + 2];
        if (mode == 5 && (t & 1)) {
            uint32_t tmp = a;
            a = b;
            b = tmp;
        }
        o[t * 3] = a;
        o[t * 3 + 1] = b;
        o[t * 3 + 2] = d;
    }
    *out_n = tris * 3;
    return o;
}

static void apply_uv_xform(float *uv, uint32_t n, const uv_xform *x)
{
    float cr = cosf(x->rotation), sr = sinf(x->rotation);
    for (uint32_t i = 0; i < n; i++) {
        float u = uv[2 * i] * x->scale[0], v = uv[2 * i + 1] * x->scale[1];
        uv[2 * i] = cr * u + sr * v + x->offset[0];
        uv[2 * i + 1] = -sr * u + cr * v + x->offset[1];
    }
}

/* Reads one primitive; false (with an issue) when its data is unusable. */
static bool load_prim(ctx *c, const cJSON *j, const char *p, const mh_gltf_model *m, const uv_xform *xf,
                      mh_gltf_prim *out, bool *drawable)
{
    *out = (mh_gltf_prim){.material = -1, .bounds = mh_aabb_empty()};
    *drawable = false;
    if (!cJSON_IsObject(j))
        return issue(c, true, p, "expected an object");
    const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(j, "attributes");
    char ap[96];
    mh_json_ptr_key(ap, sizeof ap, p, "attributes");
    if (!cJSON_IsObject(attrs))
        return issue(c, true, p, "required property 'attributes' is missing");
    int count = -1, pos = -1, nrm = -1, col = -1, mat = -1, mode = 4, ind = -1;
    bool ok = true;
    for (const cJSON *a = attrs->child; a; a = a->next) {
        int ai = -1;
        char sp[128];
        mh_json_ptr_key(sp, sizeof sp, ap, a->string);
        if (get_ref(c, attrs, ap, a->string, c->acc_count, "accessor", true, &ai) != 1) {
            ok = false;
            continue;
        }
        if (!c->accs[ai].ok) {
            ok = issue(c, true, sp, "uses accessor %d, which is invalid", ai);
            continue;
        }
        const accessor *acc = &c->accs[ai];
        if (!attribute_format_ok(c, a->string, acc)) {
            ok = issue(c, true, sp, "accessor %d has a format %s cannot use", ai, a->string);
            continue;
        }
        if (count >= 0 && acc->count != count)
            ok = issue(c, true, sp, "accessor %d has %d elements, other attributes have %d", ai, acc->count, count);
        count = acc->count;
        c->accs[ai].attribute = true;
        if (!strcmp(a->string, "POSITION")) pos = ai;
        else if (!strcmp(a->string, "NORMAL")) nrm = ai;
        else if (!strcmp(a->string, "COLOR_0")) col = ai;
    }
    if (get_ref(c, j, p, "material", m->material_count, "material", false, &mat) < 0 ||
        get_ref(c, j, p, "indices", c->acc_count, "accessor", false, &ind) < 0 || get_int(c, j, p, "mode", 0, 6, &mode) < 0)
        ok = false;
    if (!ok)
        return false;
    if (pos < 0) {
        issue(c, false, p, "primitive has no POSITION and is not drawn");
        return true;
    }
    if (mode < 4) {
        issue(c, false, p, "points and lines (mode %d) are not drawn", mode);
        return true;
    }
    out->vertex_count = (uint32_t)count;
    out->material = mat;
    out->positions = read_floats(c, pos, 3);
    out->normals = nrm >= 0 ? read_floats(c, nrm, 3) : NULL;
    out->colors = col >= 0 ? read_floats(c, col, 4) : NULL;
    if (!out->positions || (nrm >= 0 && !out->normals) || (col >= 0 && !out->colors))
        return issue(c, true, p, "the primitive's data cannot be decoded");
    const uv_xform *x = mat >= 0 ? &xf[mat] : NULL;
    if (mat >= 0 && m->materials[mat].image >= 0) {
        char sem[16];
        snprintf(sem, sizeof sem, "TEXCOORD_%d", x->set);
        int t = -1;
        const cJSON *tj = cJSON_GetObjectItemCaseSensitive(attrs, sem);
        if (tj && get_ref(c, attrs, ap, sem, c->acc_count, "accessor", true, &t) == 1 && c->accs[t].ok) {
            out->uvs = read_floats(c, t, 2);
            if (out->uvs && x->active)
                apply_uv_xform(out->uvs, out->vertex_count, x);
        } else {
            issue(c, false, p, "the material's texture uses %s, which this primitive lacks", sem);
        }
    }
    char ip[96];
    mh_json_ptr_key(ip, sizeof ip, p, "indices");
    uint32_t *idx, n;
    if (ind >= 0) {
        if (!c->accs[ind].ok)
            return issue(c, true, ip, "uses accessor %d, which is invalid", ind);
        idx = read_indices(c, ind, out->vertex_count, ip);
        n = (uint32_t)c->accs[ind].count;
    } else {
        idx = alloc(c, sizeof(uint32_t) * (size_t)count);
        n = (uint32_t)count;
        for (uint32_t k = 0; idx && k < n; k++)
            idx[k] = k;
    }
    if (!idx)
        return false;
    out->indices = to_triangle_list(c, idx, n, mode, &out->index_count);
    if (!out->indices)
        return issue(c, true, p, "too many triangles");
    for (uint32_t v = 0; v < out->vertex_count; v++)
        mh_aabb_add_point(&out->bounds, mh_v3(out->positions[3 * v], out->positions[3 * v + 1], out->positions[3 * v + 2]));
    *drawable = out->index_count > 0;
    return true;
}

static bool load_meshes(ctx *c, mh_gltf_model *m, const uv_xform *xf)
{
    int nm;
    const cJSON *meshes = get_array(c, c->root, "", "meshes", &nm);
    int total = 0;
    for (const cJSON *j = meshes ? meshes->child : NULL; j; j = j->next)
        total += cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "primitives"));
    m->meshes = alloc(c, sizeof(mh_gltf_mesh) * (size_t)(nm + 1));
    m->prims = alloc(c, sizeof(mh_gltf_prim) * (size_t)(total + 1));
    if (!m->meshes || !m->prims)
        return issue(c, true, "/meshes", "too many meshes");
    bool ok = true;
    int i = 0;
    for (const cJSON *j = meshes ? meshes->child : NULL; j; j = j->next, i++) {
        char p[64];
        mh_json_ptr_index(p, sizeof p, "/meshes", i);
        m->meshes[i].first_prim = m->prim_count;
        int np;
        const cJSON *prims = cJSON_IsObject(j) ? get_array(c, j, p, "primitives", &np) : NULL;
        if (!prims || np == 0) {
            ok = issue(c, true, p, "a mesh needs at least one primitive");
            continue;
        }
        int k = 0;
        for (const cJSON *pj = prims->child; pj; pj = pj->next, k++) {
            char pp[96];
            mh_json_ptr_index(pp, sizeof pp, p, k);
            char full[112];
            snprintf(full, sizeof full, "%s/primitives/%d", p, k);
            bool drawable;
            mh_gltf_prim *pr = &m->prims[m->prim_count];
            if (!load_prim(c, pj, full, m, xf, pr, &drawable))
                ok = false;
            else if (drawable) {
                m->prim_count++;
                m->triangle_count += pr->index_count / 3;
            }
        }
        m->meshes[i].prim_count = m->prim_count - m->meshes[i].first_prim;
    }
    m->mesh_count = nm;
    /* several vertex attributes sharing one bufferView must say how they interleave */
    for (int a = 0; a < c->acc_count; a++)
        if (c->accs[a].attribute && c->accs[a].view >= 0)
            c->views[c->accs[a].view].attribute_users++;
    for (int v = 0; v < c->view_count; v++)
        if (c->views[v].attribute_users > 1 && c->views[v].stride == 0) {
            char p[64];
            mh_json_ptr_index(p, sizeof p, "/bufferViews", v);
            ok = issue(c, true, p, "used by several vertex attributes but has no byteStride");
        }
    return ok;
}

/* ---- nodes, scenes, cameras ----------------------------------------------- */

static mh_mat4 node_local(ctx *c, const cJSON *j, const char *p)
{
    float mtx[16];
    if (cJSON_GetObjectItemCaseSensitive(j, "matrix") && get_floats(c, j, p, "matrix", 16, mtx)) {
        mh_mat4 r;
        memcpy(r.m, mtx, sizeof mtx);
        return r;
    }
    float t[3] = {0, 0, 0}, q[4] = {0, 0, 0, 1}, s[3] = {1, 1, 1};
    get_floats(c, j, p, "translation", 3, t);
    get_floats(c, j, p, "rotation", 4, q);
    get_floats(c, j, p, "scale", 3, s);
    float len = sqrtf(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
    if (len < 1e-6f) {
        q[0] = q[1] = q[2] = 0;
        q[3] = len = 1;
    }
    float x = q[0] / len, y = q[1] / len, z = q[2] / len, w = q[3] / len;
    mh_mat4 r = mh_m4_identity();
    r.m[0] = (1 - 2 * (y * y + z * z)) * s[0];
    r.m[1] = (2 * (x * y + z * w)) * s[0];
    r.m[2] = (2 * (x * z - y * w)) * s[0];
    r.m[4] = (2 * (x * y - z * w)) * s[1];
    r.m[5] = (1 - 2 * (x * x + z * z)) * s[1];
    r.m[6] = (2 * (y * z + x * w)) * s[1];
    r.m[8] = (2 * (x * z + y * w)) * s[2];
    r.m[9] = (2 * (y * z - x * w)) * s[2];
    r.m[10] = (1 - 2 * (x * x + y * y)) * s[2];
    r.m[12] = t[0];
    r.m[13] = t[1];
    r.m[14] = t[2];
    return r;
}

static bool load_cameras(ctx *c, mh_gltf_model *m)
{
    int n;
    const cJSON *arr = get_array(c, c->root, "", "cameras", &n);
    m->cameras = alloc(c, sizeof(mh_gltf_camera) * (size_t)(n + 1));
    if (!m->cameras)
        return issue(c, true, "/cameras", "too many cameras");
    int i = 0;
    for (const cJSON *j = arr ? arr->child : NULL; j; j = j->next, i++) {
        char p[64];
        mh_json_ptr_index(p, sizeof p, "/cameras", i);
        mh_gltf_camera *cam = &m->cameras[i];
        *cam = (mh_gltf_camera){.world = mh_m4_identity()};
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(j, "type");
        if (!cJSON_IsString(type))
            return issue(c, true, p, "required property 'type' is missing");
        cam->perspective = strcmp(type->valuestring, "perspective") == 0;
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(j, type->valuestring);
        char dp[80];
        mh_json_ptr_key(dp, sizeof dp, p, type->valuestring);
        if (!cJSON_IsObject(d) || (!cam->perspective && strcmp(type->valuestring, "orthographic") != 0))
            return issue(c, true, p, "a camera needs a 'perspective' or 'orthographic' object matching its type");
        const cJSON *v;
#define CAM_NUM(field, key) ((v = cJSON_GetObjectItemCaseSensitive(d, key)) && cJSON_IsNumber(v) ? (cam->field = (float)v->valuedouble, 1) : 0)
        CAM_NUM(yfov, "yfov"); CAM_NUM(aspect, "aspectRatio"); CAM_NUM(znear, "znear"); CAM_NUM(zfar, "zfar");
        CAM_NUM(xmag, "xmag"); CAM_NUM(ymag, "ymag");
#undef CAM_NUM
        /* a broken camera does not stop the model from rendering: warn */
        if (cam->perspective && (cam->yfov <= 0 || cam->znear <= 0))
            issue(c, false, dp, "yfov and znear must be greater than 0; the camera is ignored");
        else if (cam->zfar != 0 && cam->zfar <= cam->znear)
            issue(c, false, dp, "zfar must be greater than znear; the camera is ignored");
        else if (!cam->perspective && (cam->xmag == 0 || cam->ymag == 0))
            issue(c, false, dp, "xmag and ymag must not be 0; the camera is ignored");
    }
    m->camera_count = n;
    return true;
}

/* Reads an array of node indices (a node's children or a scene's roots):
 * every entry must resolve, and none may repeat (stamp[k] == mark marks the
 * ones already seen in this array). Returns the number of valid entries
 * written to out (which holds n), or -1 after reporting a problem. */
static int node_list(ctx *c, const cJSON *arr, const char *ptr, int n, int *stamp, int mark, int *out)
{
    int count = 0, k = 0;
    bool ok = true;
    for (const cJSON *e = arr->child; e; e = e->next, k++) {
        char ep[112];
        mh_json_ptr_index(ep, sizeof ep, ptr, k);
        if (!cJSON_IsNumber(e) || !is_integer(e->valuedouble) || e->valuedouble < 0 || e->valuedouble >= n) {
            ok = issue(c, true, ep, "unresolved reference: node %g does not exist (%d defined)",
                       cJSON_IsNumber(e) ? e->valuedouble : -1.0, n);
            continue;
        }
        int v = (int)e->valuedouble;
        if (stamp[v] == mark) {
            ok = issue(c, true, ep, "duplicate element: node %d is listed twice", v);
            continue;
        }
        stamp[v] = mark;
        out[count++] = v;
    }
    return ok ? count : -1;
}

/* The node graph, checked once before anything walks it (as cgltf and the
 * Khronos validator do): every child and root resolves and is listed once,
 * a node has at most one parent and is not its own ancestor, no scene root
 * is another node's child, and the default scene exists. After this every
 * scene is a forest of distinct trees, so a walk visits each node once. */
static bool check_node_graph(ctx *c, const cJSON *nodes, int n, const cJSON *scenes, int ns, int *parent)
{
    int *stamp = alloc(c, sizeof(int) * (size_t)(n + 1));
    int *list = alloc(c, sizeof(int) * (size_t)(n + 1));
    if (!stamp || !list)
        return issue(c, true, "/nodes", "too many nodes");
    bool ok = true;
    for (int i = 0; i < n; i++)
        parent[i] = -1, stamp[i] = -1;
    int i = 0;
    for (const cJSON *j = nodes ? nodes->child : NULL; j; j = j->next, i++) {
        char p[64], cp[80];
        mh_json_ptr_index(p, sizeof p, "/nodes", i);
        mh_json_ptr_key(cp, sizeof cp, p, "children");
        int nc;
        const cJSON *kids = cJSON_IsObject(j) ? get_array(c, j, p, "children", &nc) : NULL;
        int got = kids ? node_list(c, kids, cp, n, stamp, i, list) : 0;
        ok = ok && got >= 0;
        for (int k = 0; k < got; k++) {
            int ch = list[k];
            if (ch == i)
                ok = issue(c, true, cp, "node %d is its own child (NODE_LOOP)", ch);
            else if (parent[ch] >= 0)
                ok = issue(c, true, cp, "node %d already has a parent, node %d (NODE_PARENT_OVERRIDE)", ch, parent[ch]);
            else
                parent[ch] = i;
        }
    }
    /* a node that is its own ancestor: follow parents, colouring each chain
     * once (stamp: -2 on the chain being followed, -3 done), linear time */
    for (i = 0; i < n; i++)
        stamp[i] = -1;
    for (i = 0; ok && i < n; i++) {
        int a = i;
        while (a >= 0 && stamp[a] == -1) {
            stamp[a] = -2;
            a = parent[a];
        }
        if (a >= 0 && stamp[a] == -2) {
            char p[64];
            mh_json_ptr_index(p, sizeof p, "/nodes", a);
            ok = issue(c, true, p, "the node hierarchy has a loop through node %d (NODE_LOOP)", a);
        }
        for (a = i; a >= 0 && stamp[a] == -2; a = parent[a])
            stamp[a] = -3;
    }
    /* every scene, used or not: roots resolve, are unique and have no parent */
    for (i = 0; i < n; i++)
        stamp[i] = -1;
    int s = 0;
    for (const cJSON *sj = scenes ? scenes->child : NULL; sj; sj = sj->next, s++) {
        char sp[64], rp[80];
        mh_json_ptr_index(sp, sizeof sp, "/scenes", s);
        mh_json_ptr_key(rp, sizeof rp, sp, "nodes");
        if (!cJSON_IsObject(sj)) {
            ok = issue(c, true, sp, "expected an object");
            continue;
        }
        int nr;
        const cJSON *roots = get_array(c, sj, sp, "nodes", &nr);
        int got = roots ? node_list(c, roots, rp, n, stamp, n + s, list) : 0;
        ok = ok && got >= 0;
        for (int k = 0; k < got; k++)
            if (parent[list[k]] >= 0)
                ok = issue(c, true, rp, "node %d is a child of node %d, not a root node (SCENE_NON_ROOT_NODE)",
                           list[k], parent[list[k]]);
    }
    int scene = 0;
    if (get_ref(c, c->root, "", "scene", ns, "scene", false, &scene) < 0)
        ok = false;
    return ok;
}

static bool load_nodes(ctx *c, mh_gltf_model *m)
{
    int n, ns;
    const cJSON *nodes = get_array(c, c->root, "", "nodes", &n);
    const cJSON *scenes = get_array(c, c->root, "", "scenes", &ns);
    int *parent = alloc(c, sizeof(int) * (size_t)(n + 1));
    int *mesh = alloc(c, sizeof(int) * (size_t)(n + 1));
    int *camera = alloc(c, sizeof(int) * (size_t)(n + 1));
    const cJSON **js = alloc(c, sizeof(cJSON *) * (size_t)(n + 1));
    if (!parent || !mesh || !camera || !js)
        return issue(c, true, "/nodes", "too many nodes");
    if (!check_node_graph(c, nodes, n, scenes, ns, parent))
        return false;
    bool ok = true;
    int i = 0;
    int nskins;
    get_array(c, c->root, "", "skins", &nskins);
    for (const cJSON *j = nodes ? nodes->child : NULL; j; j = j->next, i++) {
        char p[64];
        mh_json_ptr_index(p, sizeof p, "/nodes", i);
        js[i] = j;
        mesh[i] = camera[i] = -1;
        if (!cJSON_IsObject(j)) {
            ok = issue(c, true, p, "expected an object");
            continue;
        }
        int skin;
        if (get_ref(c, j, p, "mesh", m->mesh_count, "mesh", false, &mesh[i]) < 0 ||
            get_ref(c, j, p, "camera", m->camera_count, "camera", false, &camera[i]) < 0 ||
            get_ref(c, j, p, "skin", nskins, "skin", false, &skin) < 0)
            ok = false;
    }
    if (!ok)
        return false;
    /* roots: the default scene's nodes, or every node without a parent */
    int scene = 0, has_scene = get_ref(c, c->root, "", "scene", ns, "scene", false, &scene);
    if (has_scene == 0 && ns > 0)
        scene = 0;
    int *stack = alloc(c, sizeof(int) * (size_t)(n + 1));
    mh_mat4 *world = alloc(c, sizeof(mh_mat4) * (size_t)(n + 1));
    m->draws = alloc(c, sizeof(mh_gltf_draw) * (size_t)(n + 1));
    if (!stack || !world || !m->draws)
        return issue(c, true, "/nodes", "too many nodes");
    int top = 0;
    const cJSON *sj = ns > 0 ? cJSON_GetArrayItem(scenes, scene) : NULL;
    const cJSON *roots = sj ? cJSON_GetObjectItemCaseSensitive(sj, "nodes") : NULL;
    if (sj) {
        /* check_node_graph: unique, resolved, parentless */
        for (const cJSON *e = cJSON_IsArray(roots) ? roots->child : NULL; e && top < n; e = e->next)
            stack[top++] = (int)e->valuedouble;
    } else {
        for (i = 0; i < n; i++)
            if (parent[i] < 0)
                stack[top++] = i;
    }
    for (i = 0; i < top; i++)
        world[stack[i]] = mh_m4_identity();
    /* depth-first, iterative: each node's world = parent's world * local. The
     * trees are disjoint, so at most n nodes are ever on the stack. */
    m->bounds = mh_aabb_empty();
    while (top > 0) {
        int nd = stack[--top];
        char p[64];
        mh_json_ptr_index(p, sizeof p, "/nodes", nd);
        world[nd] = mh_m4_mul(world[nd], node_local(c, js[nd], p));
        if (mesh[nd] >= 0) {
            m->draws[m->draw_count++] = (mh_gltf_draw){mesh[nd], world[nd]};
            const mh_gltf_mesh *me = &m->meshes[mesh[nd]];
            for (int k = 0; k < me->prim_count; k++) {
                mh_aabb b = mh_aabb_transform(m->prims[me->first_prim + k].bounds, world[nd]);
                mh_aabb_add_point(&m->bounds, b.min);
                mh_aabb_add_point(&m->bounds, b.max);
            }
        }
        if (camera[nd] >= 0)
            m->cameras[camera[nd]].world = world[nd];
        const cJSON *kids = cJSON_GetObjectItemCaseSensitive(js[nd], "children");
        for (const cJSON *e = cJSON_IsArray(kids) ? kids->child : NULL; e && top < n; e = e->next) {
            stack[top++] = (int)e->valuedouble;
            world[(int)e->valuedouble] = world[nd];
        }
    }
    return true;
}

/* ---- container, asset, extensions ----------------------------------------- */

static uint32_t le32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

/* Splits a GLB into its JSON and BIN chunks. */
static bool parse_glb(ctx *c, const uint8_t *d, size_t size, span *json)
{
    if (size < 12)
        return issue(c, true, "", "GLB header is truncated (%zu bytes)", size);
    if (le32(d + 4) != 2)
        return issue(c, true, "", "GLB version %u is not supported (expected 2)", le32(d + 4));
    uint32_t length = le32(d + 8);
    if (length > size || length < 12)
        return issue(c, true, "", "GLB header says %u bytes but the file has %zu", length, size);
    if (length < size)
        issue(c, false, "", "%zu bytes after the GLB's declared length are ignored", size - length);
    size = length;
    size_t off = 12;
    bool have_json = false;
    int k = 0;
    while (off < size) {
        if (size - off < 8)
            return issue(c, true, "", "GLB chunk header at byte %zu is truncated", off);
        uint32_t clen = le32(d + off), type = le32(d + off + 4);
        if (clen % 4)
            return issue(c, true, "", "GLB chunk %d length %u is not a multiple of 4", k, clen);
        if (clen > size - off - 8)
            return issue(c, true, "", "GLB chunk %d (%u bytes) runs past the end of the file", k, clen);
        span s = {d + off + 8, clen};
        if (k == 0 && type != CHUNK_JSON)
            return issue(c, true, "", "the first GLB chunk must be JSON");
        if (type == CHUNK_JSON) {
            if (have_json)
                return issue(c, true, "", "GLB has more than one JSON chunk");
            if (clen == 0)
                return issue(c, true, "", "GLB JSON chunk is empty");
            *json = s;
            have_json = true;
        } else if (type == CHUNK_BIN) {
            if (c->has_bin)
                return issue(c, true, "", "GLB has more than one BIN chunk");
            if (k != 1)
                return issue(c, true, "", "the GLB BIN chunk must come right after the JSON chunk");
            if (clen == 0)
                return issue(c, true, "", "GLB BIN chunk is empty");
            c->bin = s;
            c->has_bin = true;
        } else {
            issue(c, false, "", "GLB chunk %d of unknown type 0x%08x is skipped", k, type);
        }
        off += 8 + clen;
        k++;
    }
    return have_json || issue(c, true, "", "GLB has no JSON chunk");
}

static bool check_asset_and_extensions(ctx *c)
{
    const cJSON *asset = cJSON_GetObjectItemCaseSensitive(c->root, "asset");
    if (!cJSON_IsObject(asset))
        return issue(c, true, "/", "required property 'asset' is missing");
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(asset, "version");
    if (!cJSON_IsString(ver))
        return issue(c, true, "/asset", "required property 'version' is missing");
    int major = 0, minor = 0;
    if (sscanf(ver->valuestring, "%d.%d", &major, &minor) != 2)
        return issue(c, true, "/asset/version", "version \"%.20s\" is not MAJOR.MINOR", ver->valuestring);
    if (major != 2)
        return issue(c, true, "/asset/version", "glTF %d.x is not supported (expected 2.x)", major);
    const cJSON *minv = cJSON_GetObjectItemCaseSensitive(asset, "minVersion");
    int mmaj = 0, mmin = 0;
    if (cJSON_IsString(minv) && sscanf(minv->valuestring, "%d.%d", &mmaj, &mmin) == 2 && (mmaj > 2 || mmin > 0))
        return issue(c, true, "/asset/minVersion", "needs glTF %s, newer than this loader (2.0)", minv->valuestring);
    int n;
    const cJSON *req = get_array(c, c->root, "", "extensionsRequired", &n);
    bool ok = true;
    for (const cJSON *e = req ? req->child : NULL; e; e = e->next)
        if (cJSON_IsString(e) && !mh_gltf_extension_supported(e->valuestring))
            ok = issue(c, true, "/extensionsRequired", "required extension %s is not supported", e->valuestring);
    const cJSON *used = get_array(c, c->root, "", "extensionsUsed", &n);
    int k = 0;
    for (const cJSON *e = used ? used->child : NULL; e; e = e->next, k++) {
        char p[64];
        mh_json_ptr_index(p, sizeof p, "/extensionsUsed", k);
        if (!cJSON_IsString(e)) {
            ok = issue(c, true, p, "expected an extension name (a string)");
            continue;
        }
        if (!mh_gltf_extension_supported(e->valuestring))
            issue(c, false, "/extensionsUsed", "extension %s is not supported; the model loads without it",
                  e->valuestring);
        if (!strcmp(e->valuestring, "KHR_mesh_quantization"))
            c->quantization = true;
    }
    const cJSON *exts = cJSON_GetObjectItemCaseSensitive(c->root, "extensions");
    for (const cJSON *e = cJSON_IsObject(exts) ? exts->child : NULL; e; e = e->next)
        if (!cJSON_IsObject(e)) {
            char p[96];
            mh_json_ptr_key(p, sizeof p, "/extensions", e->string);
            ok = issue(c, true, p, "expected an object");
        }
    return ok;
}

bool mh_gltf_load_memory(const void *data, size_t size, const char *base_dir, mh_arena *arena, mh_gltf_model *out,
                         mh_gltf_report *rep)
{
    memset(out, 0, sizeof *out);
    memset(rep, 0, sizeof *rep);
    out->bounds = mh_aabb_empty();
    ctx c = {.arena = arena, .rep = rep, .base_dir = base_dir};
    const uint8_t *d = data;
    span json = {d, size};
    c.is_glb = size >= 4 && le32(d) == GLB_MAGIC;
    if (c.is_glb && !parse_glb(&c, d, size, &json))
        return false;
    if (json.size >= 3 && !memcmp(json.data, "\xEF\xBB\xBF", 3))
        return issue(&c, true, "", "invalid JSON: glTF JSON must not start with a byte order mark");
    mh_error err;
    cJSON *root = mh_json_parse((const char *)json.data, json.size, "", &err);
    if (!root) {
        issue(&c, true, "", "invalid JSON (%s): %s", err.where, err.message);
        return false;
    }
    c.root = root;
    uv_xform *xf = NULL;
    bool ok = (cJSON_IsObject(root) || issue(&c, true, "", "the JSON is not an object")) &&
              check_asset_and_extensions(&c);
    /* keep going after a failed section where later ones can still report */
    ok = ok && load_buffers(&c);
    ok = ok && check_views(&c);
    ok = ok && check_accessors(&c);
    ok = ok && load_materials(&c, out, &xf);
    ok = ok && load_meshes(&c, out, xf);
    ok = ok && load_cameras(&c, out);
    ok = ok && load_nodes(&c, out);
    cJSON_Delete(root);
    if (!ok && rep->errors == 0)
        issue(&c, true, "", "the model could not be loaded");
    return ok && rep->errors == 0;
}

bool mh_gltf_load(const char *path, mh_arena *arena, mh_gltf_model *out, mh_gltf_report *rep)
{
    char *data;
    size_t size;
    mh_error err;
    memset(rep, 0, sizeof *rep);
    char dir[1024];
    mh_fs_dirname(path, dir, sizeof dir);
    if (!mh_fs_read(path, dir, MAX_FILE_BYTES, &data, &size, &err)) {
        rep->errors = rep->count = 1;
        rep->issues[0].error = true;
        snprintf(rep->issues[0].message, sizeof rep->issues[0].message, "%.199s", err.message);
        return false;
    }
    bool ok = mh_gltf_load_memory(data, size, dir, arena, out, rep);
    free(data);
    return ok;
}
