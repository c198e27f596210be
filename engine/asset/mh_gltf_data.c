/* mh_gltf_data.c - glTF buffers (GLB chunk, data URIs, files beside the
 * model), buffer views and accessors (strided, normalized, sparse,
 * quantized): every offset, stride and count checked before a byte is read,
 * then the Khronos validator's data checks (min/max, NaN, unit vectors,
 * clamped colours, animation times, inverse bind matrices). */
#include "mh_gltf_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/mh_fs.h"
#include "mh_json.h"

/* ---- URIs ------------------------------------------------------------------ */

static int b64(int ch)
{
    if (ch >= 'A' && ch <= 'Z')
        return ch - 'A';
    if (ch >= 'a' && ch <= 'z')
        return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9')
        return ch - '0' + 52;
    if (ch == '+' || ch == '-')
        return 62;
    if (ch == '/' || ch == '_')
        return 63;
    return -1;
}

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* Length of a URI scheme ("data", "http") before its ':', 0 when the URI
 * has none (a relative reference), -1 when a ':' comes first in a way no
 * URI allows (":" alone, "1x:"). */
static int scheme_length(const char *uri)
{
    const char *colon = strchr(uri, ':'), *slash = strchr(uri, '/');
    if (!colon || (slash && slash < colon))
        return 0;
    if (colon == uri || !((uri[0] | 0x20) >= 'a' && (uri[0] | 0x20) <= 'z'))
        return -1;
    for (const char *p = uri; p < colon; p++)
        if (!(((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') || (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' ||
              *p == '.'))
            return -1;
    return (int)(colon - uri);
}

/* Decodes a data: URI ("data:[type/subtype][;param]*[;base64],payload")
 * into the arena; mime gets the media type. */
static bool data_uri(ctx *c, const char *uri, const char *ptr, span *out, char *mime, size_t mime_size)
{
    const char *comma = strchr(uri, ',');
    if (!comma)
        return ISSUE(c, "INVALID_URI", ptr, "invalid data URI: no ',' before the data");
    const char *head = uri + 5, *semi = memchr(head, ';', (size_t)(comma - head));
    size_t ml = (size_t)((semi ? semi : comma) - head);
    snprintf(mime, mime_size, "%.*s", (int)(ml < mime_size - 1 ? ml : mime_size - 1), head);
    bool base64 = false;
    for (const char *q = semi; q && q < comma;) {
        const char *next = memchr(q + 1, ';', (size_t)(comma - q - 1));
        const char *end = next ? next : comma;
        if (end == q + 1)
            return ISSUE(c, "INVALID_URI", ptr, "invalid data URI: an empty parameter");
        if ((size_t)(end - q - 1) == 6 && !strncmp(q + 1, "base64", 6))
            base64 = true;
        q = next;
    }
    const char *s = comma + 1;
    size_t n = strlen(s);
    uint8_t *o = mh_gltf_alloc(c, n + 3);
    if (!o)
        return ISSUE(c, "BUDGET_EXCEEDED", ptr, "the data URI is too large (budgets.file_bytes)");
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
            return ISSUE(c, "INVALID_URI", ptr, "invalid data URI: a character that is not base64");
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

/* Percent-decodes a relative URI and resolves it inside base_dir. */
static bool file_uri(ctx *c, const char *uri, const char *ptr, char *path, size_t size)
{
    char dec[512];
    size_t n = 0;
    for (const char *s = uri; *s; s++) {
        if (n + 1 >= sizeof dec)
            return ISSUE(c, "INVALID_URI", ptr, "the URI is too long");
        if (*s == '%') {
            int hi = s[1] ? hexval(s[1]) : -1, lo = hi >= 0 && s[2] ? hexval(s[2]) : -1;
            if (hi < 0 || lo < 0 || (hi | lo) == 0)
                return ISSUE(c, "INVALID_URI", ptr, "invalid URI: a bad percent escape");
            dec[n++] = (char)(hi * 16 + lo);
            s += 2;
        } else {
            dec[n++] = *s;
        }
    }
    dec[n] = '\0';
    if (!c->base_dir)
        return ISSUE(c, "IO_ERROR", ptr, "an external file cannot be read here (no folder)");
    if (dec[0] == '/' || !mh_fs_join_inside(c->base_dir, dec, path, size))
        return ISSUE(c, "INVALID_URI", ptr,
                     "the URI leaves the model's folder; only files beside the model may be "
                     "referenced");
    return true;
}

static bool read_external(ctx *c, const char *path, const char *ptr, span *out)
{
    char *data;
    size_t size;
    mh_error err;
    if (!mh_fs_read(path, c->desc->root ? c->desc->root : c->base_dir, c->budget.file_bytes, &data, &size, &err))
        return ISSUE(c, "IO_ERROR", ptr, "%s", err.message);
    uint8_t *d = mh_gltf_alloc(c, size);
    if (d)
        memcpy(d, data, size);
    free(data);
    if (!d)
        return ISSUE(c, "BUDGET_EXCEEDED", ptr, "the file is too large to load (budgets.file_bytes)");
    *out = (span){d, size};
    return true;
}

bool mh_gltf_uri(ctx *c, const char *uri, const char *ptr, span *out, char *mime, size_t mime_size, bool *remote)
{
    *remote = false;
    mime[0] = '\0';
    int sl = scheme_length(uri);
    if (sl < 0)
        return ISSUE(c, "INVALID_URI", ptr, "invalid URI: a ':' where a scheme or path should be");
    if (sl == 4 && !strncmp(uri, "data", 4))
        return data_uri(c, uri, ptr, out, mime, mime_size);
    if (sl > 0) {
        *remote = true; /* http:, file:, ...: never fetched */
        WARN(c, "NON_RELATIVE_URI", ptr, "a URI with a scheme is not fetched; only files beside the model are read");
        return true;
    }
    char path[1024];
    return file_uri(c, uri, ptr, path, sizeof path) && read_external(c, path, ptr, out);
}

/* ---- buffers and views --------------------------------------------------------- */

/* Buffer i's data: the GLB chunk, a data URI or a file; none at all is fine
 * until something needs it. */
static bool load_buffer(ctx *c, const cJSON *b, int i, const char *p)
{
    int len = 0;
    int has = mh_gltf_int(c, b, p, "byteLength", 1, c->budget.file_bytes, &len);
    if (has == 0)
        ISSUE(c, "UNDEFINED_PROPERTY", p, "required property 'byteLength' is missing");
    if (has != 1)
        return false;
    c->buffers[i].size = (size_t)len; /* declared; data stays NULL until found */
    const cJSON *uri = cJSON_GetObjectItemCaseSensitive(b, "uri");
    char up[96], mime[64];
    mh_json_ptr_key(up, sizeof up, p, "uri");
    span s = {0};
    bool remote = false;
    if (!uri) {
        if (!(c->is_glb && i == 0))
            return true;
        if (!c->has_bin)
            return ISSUE(c, "BUFFER_MISSING_GLB_DATA", p, "the GLB has no BIN chunk for this buffer");
        s = c->bin;
        if (s.size > (size_t)len + 3)
            WARN(c, "BUFFER_GLB_CHUNK_TOO_BIG", p, "the GLB BIN chunk is %zu bytes, more than byteLength %d", s.size,
                 len);
    } else if (!cJSON_IsString(uri)) {
        return ISSUE(c, "TYPE_MISMATCH", up, "expected a string");
    } else if (!mh_gltf_uri(c, uri->valuestring, up, &s, mime, sizeof mime, &remote)) {
        return false;
    } else if (remote) {
        return true;
    } else if (!strncmp(uri->valuestring, "data:", 5) && s.size != (size_t)len) {
        return ISSUE(c, "BUFFER_BYTE_LENGTH_MISMATCH", p, "the data URI holds %zu bytes, not byteLength %d", s.size,
                     len);
    }
    if (s.size < (size_t)len)
        return ISSUE(c, "BUFFER_BYTE_LENGTH_MISMATCH", p, "the buffer holds %zu bytes, less than its byteLength %d",
                     s.size, len);
    c->buffers[i].data = s.data;
    return true;
}

bool mh_gltf_load_buffers(ctx *c)
{
    int n;
    const cJSON *arr = mh_gltf_array(c, c->root, "", "buffers", &n);
    c->buffers = mh_gltf_alloc(c, sizeof(span) * (size_t)(n + 1));
    c->buffer_count = n;
    if (!c->buffers)
        return ISSUE(c, "BUDGET_EXCEEDED", "/buffers", "too many buffers");
    bool ok = true;
    int i = 0;
    for (const cJSON *b = arr ? arr->child : NULL; b; b = b->next, i++) {
        char p[64];
        mh_json_ptr_index(p, sizeof p, "/buffers", i);
        ok = (cJSON_IsObject(b) && load_buffer(c, b, i, p)) && ok;
        if (mh_gltf_cancelled(c))
            return false;
    }
    return ok;
}

static bool check_view(ctx *c, const cJSON *v, const char *p, view *w)
{
    int buf = -1, off = 0, len = 0, stride = 0, target = 0;
    *w = (view){.buffer = -1};
    if (!cJSON_IsObject(v) || mh_gltf_ref(c, v, p, "buffer", c->buffer_count, "buffer", true, &buf) != 1 ||
        mh_gltf_int(c, v, p, "byteOffset", 0, 4294967295.0, &off) < 0)
        return false;
    int has_len = mh_gltf_int(c, v, p, "byteLength", 1, 4294967295.0, &len);
    if (has_len == 0)
        ISSUE(c, "UNDEFINED_PROPERTY", p, "required property 'byteLength' is missing");
    if (has_len != 1)
        return false;
    char sp[96], lp[96];
    mh_json_ptr_key(sp, sizeof sp, p, "byteStride");
    mh_json_ptr_key(lp, sizeof lp, p, off ? "byteOffset" : "byteLength");
    int has_stride = mh_gltf_int(c, v, p, "byteStride", 4, 252, &stride);
    if (has_stride < 0)
        return false;
    if (has_stride == 1 && stride % 4 != 0)
        return ISSUE(c, "VALUE_MULTIPLE_OF", sp, "byteStride %d is not a multiple of 4", stride);
    int has_target = mh_gltf_int(c, v, p, "target", 0, 1e9, &target);
    char tp[96];
    mh_json_ptr_key(tp, sizeof tp, p, "target");
    if (has_target == 1 && target != 34962 && target != 34963)
        return ISSUE(c, "INVALID_GL_VALUE", tp, "target %d is neither ARRAY_BUFFER nor ELEMENT_ARRAY_BUFFER", target);
    if (has_stride == 1 && target == 34963)
        return ISSUE(c, "BUFFER_VIEW_INVALID_BYTE_STRIDE", sp,
                     "an index buffer view (target 34963) must not have byteStride");
    if ((size_t)off + (size_t)len > c->buffers[buf].size)
        return ISSUE(c, "BUFFER_VIEW_TOO_LONG", lp, "byteOffset %d + byteLength %d exceeds buffer %d's %zu bytes", off,
                     len, buf, c->buffers[buf].size);
    *w = (view){true,
                c->buffers[buf].data != NULL,
                buf,
                (size_t)off,
                (size_t)len,
                (size_t)stride,
                c->buffers[buf].data ? c->buffers[buf].data + off : NULL,
                0,
                target};
    const cJSON *mo = mh_gltf_ext(v, "EXT_meshopt_compression");
    if (mo) {
        char ep[128];
        snprintf(ep, sizeof ep, "%s/extensions/EXT_meshopt_compression", p);
        return mh_gltf_meshopt_view(c, mo, ep, w);
    }
    return true;
}

bool mh_gltf_check_views(ctx *c)
{
    int n;
    const cJSON *arr = mh_gltf_array(c, c->root, "", "bufferViews", &n);
    c->views = mh_gltf_alloc(c, sizeof(view) * (size_t)(n + 1));
    c->view_count = n;
    if (!c->views)
        return ISSUE(c, "BUDGET_EXCEEDED", "/bufferViews", "too many buffer views");
    bool ok = true;
    int i = 0;
    for (const cJSON *v = arr ? arr->child : NULL; v; v = v->next, i++) {
        char p[64];
        mh_json_ptr_index(p, sizeof p, "/bufferViews", i);
        ok = check_view(c, v, p, &c->views[i]) && ok;
        if (mh_gltf_cancelled(c))
            return false;
    }
    return ok;
}

/* ---- accessors ------------------------------------------------------------ */

/* An unsigned integer component, exactly (floats lose precision above 2^24). */
static uint32_t uint_at(const uint8_t *d, int type)
{
    switch (type) {
    case GL_UBYTE:
    case GL_BYTE: return d[0];
    case GL_USHORT:
    case GL_SHORT: return (uint32_t)(d[0] | d[1] << 8);
    default: return (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 | (uint32_t)d[3] << 24;
    }
}

int mh_gltf_comp_size(int t)
{
    switch (t) {
    case GL_BYTE:
    case GL_UBYTE: return 1;
    case GL_SHORT:
    case GL_USHORT: return 2;
    case GL_UINT:
    case GL_FLOAT: return 4;
    default: return 0;
    }
}

static int type_comps(const char *t, int *columns)
{
    static const struct {
        const char *name;
        int comps, cols;
    } types[] = {{"SCALAR", 1, 1}, {"VEC2", 2, 1}, {"VEC3", 3, 1}, {"VEC4", 4, 1},
                 {"MAT2", 4, 2},   {"MAT3", 9, 3}, {"MAT4", 16, 4}};
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

/* True when `count` elements at `offset` with `stride` fit in a view of
 * `length` bytes; the last element needs only `esize` bytes. */
static bool fits(size_t length, size_t offset, size_t stride, size_t esize, size_t count)
{
    if (count == 0)
        return offset <= length;
    if ((count - 1) > (SIZE_MAX - offset - esize) / (stride ? stride : 1))
        return false;
    return offset + stride * (count - 1) + esize <= length;
}

void mh_gltf_acc_ptr(char *out, size_t size, int i) { mh_json_ptr_index(out, size, "/accessors", i); }

typedef struct sparse_part {
    int view, offset;
} sparse_part;

/* sparse.indices or sparse.values: a view (no byteStride) and an offset. */
static bool sparse_part_read(ctx *c, const cJSON *sp, const char *key, const char *ptr, sparse_part *out)
{
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(sp, key);
    char p[128];
    mh_json_ptr_key(p, sizeof p, ptr, key);
    if (!o)
        return ISSUE(c, "UNDEFINED_PROPERTY", ptr, "required property '%s' is missing", key);
    if (!mh_gltf_object(c, o, p) ||
        mh_gltf_ref(c, o, p, "bufferView", c->view_count, "bufferView", true, &out->view) != 1 ||
        mh_gltf_int(c, o, p, "byteOffset", 0, 4294967295.0, &out->offset) < 0)
        return false;
    char vp[144];
    mh_json_ptr_key(vp, sizeof vp, p, "bufferView");
    if (c->views[out->view].ok && c->views[out->view].stride)
        return ISSUE(c, "BUFFER_VIEW_INVALID_BYTE_STRIDE", vp,
                     "a sparse accessor's buffer view must not have byteStride");
    return c->views[out->view].ok;
}

static bool check_sparse(ctx *c, const cJSON *sp, const char *ptr, const accessor *a)
{
    int count = 0, ict = 0;
    if (!mh_gltf_object(c, sp, ptr))
        return false;
    int r = mh_gltf_int(c, sp, ptr, "count", 1, 1e9, &count);
    if (r == 0)
        ISSUE(c, "UNDEFINED_PROPERTY", ptr, "required property 'count' is missing");
    if (r != 1)
        return false;
    char cp[128];
    mh_json_ptr_key(cp, sizeof cp, ptr, "count");
    bool ok = count <= a->count || ISSUE(c, "ACCESSOR_SPARSE_COUNT_OUT_OF_RANGE", cp,
                                         "sparse count %d is more than the accessor's %d elements", count, a->count);
    sparse_part ip = {-1, 0}, vp = {-1, 0};
    char ipp[128], vpp[128];
    mh_json_ptr_key(ipp, sizeof ipp, ptr, "indices");
    mh_json_ptr_key(vpp, sizeof vpp, ptr, "values");
    ok = sparse_part_read(c, sp, "indices", ptr, &ip) && ok;
    ok = sparse_part_read(c, sp, "values", ptr, &vp) && ok;
    if (!ok)
        return false;
    const cJSON *idx = cJSON_GetObjectItemCaseSensitive(sp, "indices");
    if (mh_gltf_int(c, idx, ipp, "componentType", 0, 1e9, &ict) != 1 ||
        (ict != GL_UBYTE && ict != GL_USHORT && ict != GL_UINT))
        return ISSUE(c, "INVALID_GL_VALUE", ipp,
                     "sparse indices must be UNSIGNED_BYTE, UNSIGNED_SHORT or UNSIGNED_INT");
    const view *w1 = &c->views[ip.view], *w2 = &c->views[vp.view];
    size_t is = (size_t)mh_gltf_comp_size(ict);
    if (!fits(w1->length, (size_t)ip.offset, is, is, (size_t)count))
        return ISSUE(c, "ACCESSOR_TOO_LONG", ipp, "sparse indices do not fit in bufferView %d", ip.view);
    if (!fits(w2->length, (size_t)vp.offset, a->elem_size, a->elem_size, (size_t)count))
        return ISSUE(c, "ACCESSOR_TOO_LONG", vpp, "sparse values do not fit in bufferView %d", vp.view);
    if (!w1->has_data || !w2->has_data)
        return true; /* nothing to check, and nothing to read */
    const uint8_t *d = w1->data + ip.offset;
    long prev = -1;
    for (int k = 0; k < count; k++) {
        uint32_t x = uint_at(d + (size_t)k * is, ict);
        if ((long)x <= prev)
            return ISSUE(c, "ACCESSOR_SPARSE_INDICES_NON_INCREASING", ipp,
                         "sparse index %u at %d is out of order (not increasing)", x, k);
        if (x >= (uint32_t)a->count)
            return ISSUE(c, "ACCESSOR_SPARSE_INDEX_OOB", ipp, "sparse index %u at %d is out of range (count %d)", x, k,
                         a->count);
        prev = (long)x;
    }
    return true;
}

/* componentType, count, type and normalized. */
static bool accessor_format(ctx *c, const cJSON *j, const char *p, accessor *a)
{
    int ct = 0, count = 0;
    char tp[96];
    mh_json_ptr_key(tp, sizeof tp, p, "componentType");
    int r = mh_gltf_int(c, j, p, "componentType", 0, 1e9, &ct);
    bool ok = r == 1;
    if (r == 0)
        ISSUE(c, "UNDEFINED_PROPERTY", p, "required property 'componentType' is missing");
    if (r == 1 && !mh_gltf_comp_size(ct))
        ok = ISSUE(c, "INVALID_GL_VALUE", tp, "invalid componentType %d", ct);
    r = mh_gltf_int(c, j, p, "count", 1, 1e9, &count);
    if (r == 0)
        ISSUE(c, "UNDEFINED_PROPERTY", p, "required property 'count' is missing");
    ok = r == 1 && ok;
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(j, "type");
    if (!type)
        ok = ISSUE(c, "UNDEFINED_PROPERTY", p, "required property 'type' is missing");
    if (!ok)
        return false;
    int cols = 1, comps = cJSON_IsString(type) ? type_comps(type->valuestring, &cols) : 0;
    a->comp_type = ct;
    a->count = count;
    if (!comps) {
        mh_json_ptr_key(tp, sizeof tp, p, "type");
        WARN(c, "VALUE_NOT_IN_LIST", tp,
             "invalid accessor type (expected SCALAR, VEC2, VEC3, VEC4, MAT2, MAT3 or "
             "MAT4); the accessor cannot be used");
        return false;
    }
    a->normalized = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "normalized"));
    if (a->normalized && (ct == GL_FLOAT || ct == GL_UINT)) {
        mh_json_ptr_key(tp, sizeof tp, p, "normalized");
        return ISSUE(c, "ACCESSOR_NORMALIZED_INVALID", tp, "only byte and short components can be normalized");
    }
    a->comps = comps;
    a->cols = cols;
    a->elem_size = elem_size(comps, cols, mh_gltf_comp_size(ct));
    return true;
}

/* min and max, when given: arrays of one number per component. */
static bool accessor_bounds(ctx *c, const cJSON *j, const char *p, accessor *a)
{
    bool ok = true;
    static const char *const keys[2] = {"min", "max"};
    for (int k = 0; k < 2; k++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, keys[k]);
        if (!v)
            continue;
        char bp[96];
        mh_json_ptr_key(bp, sizeof bp, p, keys[k]);
        if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != a->comps) {
            ok = ISSUE(c, "ARRAY_LENGTH_NOT_IN_LIST", bp, "expected %d numbers, one per component", a->comps);
            continue;
        }
        for (const cJSON *e = v->child; e; e = e->next)
            if (!cJSON_IsNumber(e))
                ok = ISSUE(c, "TYPE_MISMATCH", bp, "expected numbers");
        if (k == 0)
            a->has_min = ok;
        else
            a->has_max = ok;
    }
    return ok;
}

/* Where the accessor's bytes are in its view. */
static bool accessor_placement(ctx *c, const cJSON *j, const char *p, accessor *a)
{
    int off = 0, v = -1;
    char op[96];
    mh_json_ptr_key(op, sizeof op, p, "byteOffset");
    if (mh_gltf_int(c, j, p, "byteOffset", 0, 4294967295.0, &off) < 0)
        return false;
    int r = mh_gltf_ref(c, j, p, "bufferView", c->view_count, "bufferView", false, &v);
    if (r < 0)
        return false;
    if (r == 0) {
        if (cJSON_GetObjectItemCaseSensitive(j, "byteOffset"))
            return ISSUE(c, "UNSATISFIED_DEPENDENCY", op, "byteOffset needs a bufferView");
        a->has_data = true; /* zeros (and sparse values) */
        return true;
    }
    const view *w = &c->views[v];
    if (!w->ok)
        return false;
    size_t cs = (size_t)mh_gltf_comp_size(a->comp_type);
    bool ok = true;
    if (off % (int)cs)
        ok = ISSUE(c, "ACCESSOR_OFFSET_ALIGNMENT", op, "byteOffset %d is not a multiple of the component size %zu", off,
                   cs);
    else if ((w->offset + (size_t)off) % cs)
        ok = ISSUE(c, "ACCESSOR_TOTAL_OFFSET_ALIGNMENT", p,
                   "the total offset %zu is not a multiple of the component "
                   "size %zu",
                   w->offset + (size_t)off, cs);
    if (a->cols > 1 && cs < 4 && (off % 4 || (w->stride % 4)))
        ok = ISSUE(c, "ACCESSOR_MATRIX_ALIGNMENT", op, "matrix columns must start on 4-byte boundaries");
    if (w->stride && w->stride < a->elem_size)
        ok = ISSUE(c, "ACCESSOR_SMALL_BYTESTRIDE", p,
                   "bufferView %d's byteStride %zu is smaller than an element "
                   "(%zu bytes)",
                   v, w->stride, a->elem_size);
    size_t stride = w->stride ? w->stride : a->elem_size;
    /* the last matrix column needs no padding after it */
    size_t col = (size_t)(a->comps / a->cols) * cs,
           extent = a->elem_size - (((col + 3) & ~(size_t)3) - col) * (a->cols > 1);
    if (ok && !fits(w->length, (size_t)off, stride, extent, (size_t)a->count))
        ok = ISSUE(c, "ACCESSOR_TOO_LONG", off ? op : p,
                   "%d elements of %zu bytes (stride %zu) from offset %d do not "
                   "fit in bufferView %d (%zu bytes)",
                   a->count, a->elem_size, stride, off, v, w->length);
    a->view = v;
    a->offset = (size_t)off;
    a->stride = stride;
    a->has_data = w->has_data;
    return ok;
}

static bool check_accessor(ctx *c, const cJSON *j, const char *p, accessor *a)
{
    *a = (accessor){.view = -1, .json = j};
    if (!cJSON_IsObject(j))
        return false; /* reported with the top-level arrays */
    if (!accessor_format(c, j, p, a))
        return c->rep->errors == 0 || !a->comp_type ? c->rep->errors == 0 : false;
    bool ok = accessor_bounds(c, j, p, a);
    ok = accessor_placement(c, j, p, a) && ok;
    a->sparse = cJSON_GetObjectItemCaseSensitive(j, "sparse");
    if (a->sparse) {
        char sp[96];
        mh_json_ptr_key(sp, sizeof sp, p, "sparse");
        ok = check_sparse(c, a->sparse, sp, a) && ok;
        const cJSON *iv =
            cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(a->sparse, "indices"), "bufferView");
        const cJSON *vv =
            cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(a->sparse, "values"), "bufferView");
        if (ok && !(c->views[iv->valueint].has_data && c->views[vv->valueint].has_data))
            a->has_data = false;
    }
    a->ok = ok;
    return ok;
}

bool mh_gltf_check_accessors(ctx *c)
{
    int n;
    const cJSON *arr = mh_gltf_array(c, c->root, "", "accessors", &n);
    c->accs = mh_gltf_alloc(c, sizeof(accessor) * (size_t)(n + 1));
    c->acc_count = n;
    if (!c->accs)
        return ISSUE(c, "BUDGET_EXCEEDED", "/accessors", "too many accessors");
    bool ok = true;
    int i = 0;
    for (const cJSON *j = arr ? arr->child : NULL; j; j = j->next, i++) {
        char p[64];
        mh_gltf_acc_ptr(p, sizeof p, i);
        int errors = c->rep->errors;
        check_accessor(c, j, p, &c->accs[i]);
        ok = ok && c->rep->errors == errors;
    }
    return ok;
}

/* ---- reading -------------------------------------------------------------------- */

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
        iv->data + (io ? (size_t)io->valuedouble : 0),
        vv->data + (vo ? (size_t)vo->valuedouble : 0),
    };
}

float mh_gltf_component(const uint8_t *d, int type, bool normalized)
{
    switch (type) {
    case GL_BYTE: {
        int8_t v = (int8_t)d[0];
        return normalized ? fmaxf((float)v / 127.0f, -1.0f) : (float)v;
    }
    case GL_UBYTE: return normalized ? (float)d[0] / 255.0f : (float)d[0];
    case GL_SHORT: {
        int16_t v = (int16_t)(d[0] | d[1] << 8);
        return normalized ? fmaxf((float)v / 32767.0f, -1.0f) : (float)v;
    }
    case GL_USHORT: {
        uint16_t v = (uint16_t)(d[0] | d[1] << 8);
        return normalized ? (float)v / 65535.0f : (float)v;
    }
    case GL_UINT: return (float)uint_at(d, GL_UINT);
    default: {
        float f;
        memcpy(&f, d, 4);
        return f;
    }
    }
}

/* The first byte of element 0, or NULL for an accessor of zeros. */
static const uint8_t *acc_base(ctx *c, int i)
{
    const accessor *a = &c->accs[i];
    const uint8_t *draco = mh_gltf_draco_data(c, i);
    if (draco)
        return draco;
    return a->view >= 0 ? c->views[a->view].data + a->offset : NULL;
}

/* Element e's component k at its place, for matrices too (padded columns). */
static size_t comp_offset(const accessor *a, int k)
{
    int cs = mh_gltf_comp_size(a->comp_type);
    if (a->cols == 1)
        return (size_t)k * (size_t)cs;
    int rows = a->comps / a->cols;
    size_t col = ((size_t)rows * (size_t)cs + 3) & ~(size_t)3;
    return (size_t)(k / rows) * col + (size_t)(k % rows) * (size_t)cs;
}

float *mh_gltf_read_floats(ctx *c, int i, int want, const char *ptr)
{
    const accessor *a = &c->accs[i];
    if (!a->ok || (!a->has_data && !mh_gltf_draco_data(c, i))) {
        ISSUE(c, "BUFFER_NO_DATA", ptr, "accessor %d's data is not available (its buffer has no data)", i);
        return NULL;
    }
    float *out = mh_gltf_alloc(c, sizeof(float) * (size_t)a->count * (size_t)want);
    if (!out) {
        ISSUE(c, "BUDGET_EXCEEDED", ptr, "accessor %d is too large to decode (budgets.file_bytes)", i);
        return NULL;
    }
    int n = a->comps < want ? a->comps : want;
    const uint8_t *base = acc_base(c, i);
    size_t stride = mh_gltf_draco_data(c, i) ? a->elem_size : a->stride;
    for (int e = 0; e < a->count; e++)
        for (int k = 0; k < want; k++)
            out[(size_t)e * want + k] = k < n && base ? mh_gltf_component(base + (size_t)e * stride + comp_offset(a, k),
                                                                          a->comp_type, a->normalized)
                                                      : (k == 3 ? 1.0f : 0.0f);
    if (a->sparse) {
        sparse_data sp = sparse_of(c, a);
        for (int s = 0; s < sp.count; s++) {
            uint32_t e = uint_at(sp.indices + (size_t)s * (size_t)mh_gltf_comp_size(sp.index_type), sp.index_type);
            for (int k = 0; k < n; k++)
                out[(size_t)e * want + k] = mh_gltf_component(sp.values + (size_t)s * a->elem_size + comp_offset(a, k),
                                                              a->comp_type, a->normalized);
        }
    }
    for (size_t k = 0; k < (size_t)a->count * (size_t)want; k++)
        if (!isfinite(out[k])) {
            ISSUE(c, "ACCESSOR_INVALID_FLOAT", ptr, "accessor %d holds a NaN or infinite value", i);
            return NULL;
        }
    return out;
}

uint32_t *mh_gltf_read_uints(ctx *c, int i, const char *ptr)
{
    const accessor *a = &c->accs[i];
    if (!a->ok || (!a->has_data && !mh_gltf_draco_data(c, i))) {
        ISSUE(c, "BUFFER_NO_DATA", ptr, "accessor %d's data is not available (its buffer has no data)", i);
        return NULL;
    }
    size_t n = (size_t)a->count * (size_t)a->comps;
    uint32_t *o = mh_gltf_alloc(c, sizeof(uint32_t) * n);
    if (!o) {
        ISSUE(c, "BUDGET_EXCEEDED", ptr, "accessor %d is too large to decode (budgets.file_bytes)", i);
        return NULL;
    }
    const uint8_t *base = acc_base(c, i);
    size_t stride = mh_gltf_draco_data(c, i) ? a->elem_size : a->stride;
    for (int e = 0; e < a->count; e++)
        for (int k = 0; k < a->comps; k++)
            o[(size_t)e * a->comps + k] =
                base ? uint_at(base + (size_t)e * stride + comp_offset(a, k), a->comp_type) : 0;
    if (a->sparse) {
        sparse_data sp = sparse_of(c, a);
        for (int s = 0; s < sp.count; s++) {
            uint32_t e = uint_at(sp.indices + (size_t)s * (size_t)mh_gltf_comp_size(sp.index_type), sp.index_type);
            for (int k = 0; k < a->comps; k++)
                o[(size_t)e * a->comps + k] =
                    uint_at(sp.values + (size_t)s * a->elem_size + comp_offset(a, k), a->comp_type);
        }
    }
    return o;
}

/* ---- the Khronos validator's data checks ------------------------------------------ */

/* Raw (not normalized) component values as doubles, with the sparse values
 * applied, into the arena's scratch; NULL when the data is not at hand. */
static double *raw_values(ctx *c, int i, mh_arena *scratch)
{
    const accessor *a = &c->accs[i];
    size_t n = (size_t)a->count * (size_t)a->comps;
    double *v = mh_arena_alloc(scratch, sizeof(double) * (n ? n : 1));
    if (!v)
        return NULL;
    const uint8_t *base = acc_base(c, i);
    for (int e = 0; e < a->count; e++)
        for (int k = 0; k < a->comps; k++) {
            const uint8_t *d = base ? base + (size_t)e * a->stride + comp_offset(a, k) : NULL;
            if (!d)
                v[(size_t)e * a->comps + k] = 0;
            else if (a->comp_type == GL_BYTE)
                v[(size_t)e * a->comps + k] = (int8_t)d[0];
            else if (a->comp_type == GL_SHORT)
                v[(size_t)e * a->comps + k] = (int16_t)uint_at(d, GL_SHORT);
            else if (a->comp_type == GL_FLOAT)
                v[(size_t)e * a->comps + k] = mh_gltf_component(d, GL_FLOAT, false);
            else
                v[(size_t)e * a->comps + k] = uint_at(d, a->comp_type);
        }
    if (a->sparse) {
        sparse_data sp = sparse_of(c, a);
        for (int s = 0; s < sp.count; s++) {
            uint32_t e = uint_at(sp.indices + (size_t)s * (size_t)mh_gltf_comp_size(sp.index_type), sp.index_type);
            for (int k = 0; k < a->comps; k++) {
                const uint8_t *d = sp.values + (size_t)s * a->elem_size + comp_offset(a, k);
                v[(size_t)e * a->comps + k] = a->comp_type == GL_BYTE    ? (int8_t)d[0]
                                              : a->comp_type == GL_SHORT ? (int16_t)uint_at(d, GL_SHORT)
                                              : a->comp_type == GL_FLOAT ? mh_gltf_component(d, GL_FLOAT, false)
                                                                         : uint_at(d, a->comp_type);
            }
        }
    }
    return v;
}

/* Declared min/max against the data: bounds (no element outside) and
 * equality (the declared value is the actual one). */
static bool check_min_max(ctx *c, int i, const double *v, const char *p)
{
    const accessor *a = &c->accs[i];
    bool ok = true;
    for (int m = 0; m < 2; m++) {
        const cJSON *arr = cJSON_GetObjectItemCaseSensitive(a->json, m ? "max" : "min");
        if (!(m ? a->has_max : a->has_min))
            continue;
        int k = 0;
        for (const cJSON *e = arr->child; e; e = e->next, k++) {
            double declared = a->comp_type == GL_FLOAT ? (double)(float)e->valuedouble : e->valuedouble;
            double actual = v[k];
            int outside = 0;
            for (int el = 0; el < a->count; el++) {
                double x = v[(size_t)el * a->comps + k];
                if (m ? x > actual : x < actual)
                    actual = x;
                if (m ? x > declared : x < declared)
                    outside++;
            }
            char bp[128];
            snprintf(bp, sizeof bp, "%s/%s/%d", p, m ? "max" : "min", k);
            if (outside)
                ok = mh_gltf_quality(c, m ? "ACCESSOR_ELEMENT_OUT_OF_MAX_BOUND" : "ACCESSOR_ELEMENT_OUT_OF_MIN_BOUND",
                                     bp, "%d element(s) lie outside the declared %s %g", outside, m ? "max" : "min",
                                     declared) &&
                     ok;
            else if (actual != declared)
                ok = mh_gltf_quality(c, m ? "ACCESSOR_MAX_MISMATCH" : "ACCESSOR_MIN_MISMATCH", bp,
                                     "the declared %s %g is not the data's %g", m ? "max" : "min", declared, actual) &&
                     ok;
        }
    }
    return ok;
}

/* Normals and tangents of unit length, tangent w of +-1, colours in 0..1. */
static bool check_vectors(ctx *c, int i, const double *v, const char *p)
{
    const accessor *a = &c->accs[i];
    if (a->comp_type != GL_FLOAT)
        return true;
    int bad_len = 0, bad_sign = 0, bad_color = 0;
    for (int e = 0; e < a->count; e++) {
        const double *x = v + (size_t)e * a->comps;
        if ((a->uses & (USE_NORMAL | USE_TANGENT)) && a->comps >= 3) {
            double len = sqrt(x[0] * x[0] + x[1] * x[1] + x[2] * x[2]);
            bad_len += fabs(len - 1.0) > 0.0005;
        }
        if ((a->uses & USE_TANGENT) && a->comps == 4)
            bad_sign += x[3] != 1.0 && x[3] != -1.0;
        if (a->uses & USE_COLOR)
            for (int k = 0; k < a->comps; k++)
                bad_color += x[k] < 0 || x[k] > 1;
    }
    bool ok = true;
    if (bad_len)
        ok = mh_gltf_quality(c, "ACCESSOR_VECTOR3_NON_UNIT", p, "%d vector(s) are not of unit length", bad_len) && ok;
    if (bad_sign)
        ok =
            mh_gltf_quality(c, "ACCESSOR_INVALID_SIGN", p, "%d tangent(s) have a w other than 1 or -1", bad_sign) && ok;
    if (bad_color)
        ok = mh_gltf_quality(c, "ACCESSOR_NON_CLAMPED", p, "%d colour component(s) lie outside 0..1", bad_color) && ok;
    return ok;
}

/* Animation times (>= 0, increasing), rotations (unit quaternions) and
 * inverse bind matrices (last row 0 0 0 1). */
static bool check_animation_and_ibm(ctx *c, int i, const double *v, const char *p)
{
    const accessor *a = &c->accs[i];
    bool ok = true;
    if ((a->uses & USE_ANIM_INPUT) && a->comps == 1) {
        int negative = 0, order = 0;
        for (int e = 0; e < a->count; e++) {
            negative += v[e] < 0;
            order += e > 0 && v[e] <= v[e - 1];
        }
        if (negative)
            ok = ISSUE(c, "ACCESSOR_ANIMATION_INPUT_NEGATIVE", p, "%d key time(s) are negative", negative);
        if (order)
            ok = ISSUE(c, "ACCESSOR_ANIMATION_INPUT_NON_INCREASING", p, "%d key time(s) do not increase", order);
    }
    if ((a->uses & USE_ROTATION) && a->comps == 4 && a->comp_type == GL_FLOAT) {
        int bad = 0;
        for (int e = 0; e < a->count; e++) {
            if ((a->uses & USE_CUBIC) && e % 3 != 1)
                continue; /* tangents need not be unit */
            const double *q = v + (size_t)e * 4;
            bad += fabs(sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]) - 1.0) > 0.0005;
        }
        if (bad)
            ok = mh_gltf_quality(c, "ACCESSOR_ANIMATION_SAMPLER_OUTPUT_NON_NORMALIZED_QUATERNION", p,
                                 "%d rotation(s) are not unit quaternions", bad) &&
                 ok;
    }
    if ((a->uses & USE_IBM) && a->comps == 16) {
        int bad = 0;
        for (int e = 0; e < a->count; e++) {
            const double *m = v + (size_t)e * 16;
            bad += m[3] != 0 || m[7] != 0 || m[11] != 0 || m[15] != 1;
        }
        if (bad)
            ok = mh_gltf_quality(c, "ACCESSOR_INVALID_IBM", p, "%d inverse bind matrices are not affine", bad) && ok;
    }
    return ok;
}

bool mh_gltf_check_accessor_data(ctx *c)
{
    bool ok = true;
    mh_arena scratch = {0};
    for (int i = 0; i < c->acc_count && !mh_gltf_cancelled(c); i++) {
        const accessor *a = &c->accs[i];
        /* an accessor of zeros (no bufferView, no sparse) holds no data to check */
        if (!a->ok || !a->has_data || mh_gltf_draco_data(c, i) || a->draco || (a->view < 0 && !a->sparse))
            continue;
        char p[64];
        mh_gltf_acc_ptr(p, sizeof p, i);
        double *v = raw_values(c, i, &scratch);
        if (!v) {
            ok = ISSUE(c, "BUDGET_EXCEEDED", p, "accessor %d is too large to check", i);
            break;
        }
        int nonfinite = 0;
        for (size_t k = 0; k < (size_t)a->count * (size_t)a->comps; k++)
            if (!isfinite(v[k]))
                nonfinite++;
        if (nonfinite)
            ok = mh_gltf_quality(c, "ACCESSOR_INVALID_FLOAT", p, "%d value(s) are NaN or infinite", nonfinite) && ok;
        else
            ok = check_min_max(c, i, v, p) && check_vectors(c, i, v, p) && check_animation_and_ibm(c, i, v, p) && ok;
        mh_arena_reset(&scratch);
    }
    mh_arena_free(&scratch);
    return ok && !c->cancelled;
}
