/* mh_gltf_compress.c - compressed glTF geometry: EXT_meshopt_compression
 * buffer views (Debian's libmeshoptimizer) and KHR_draco_mesh_compression
 * primitives (Debian's libdraco, through mh_draco.cpp). Every size is
 * checked against the file and the budgets before anything is decoded. */
#include "mh_gltf_internal.h"

#include <meshoptimizer.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "mh_draco.h"
#include "mh_json.h"

/* ---- EXT_meshopt_compression ----------------------------------------------------- */

static int meshopt_mode(const char *s)
{
    return !s ? -1 : !strcmp(s, "ATTRIBUTES") ? 0 : !strcmp(s, "TRIANGLES") ? 1 : !strcmp(s, "INDICES") ? 2 : -1;
}

static int meshopt_filter(const char *s)
{
    return !s || !strcmp(s, "NONE")    ? 0
           : !strcmp(s, "OCTAHEDRAL")  ? 1
           : !strcmp(s, "QUATERNION")  ? 2
           : !strcmp(s, "EXPONENTIAL") ? 3
                                       : -1;
}

/* The extension's own numbers, checked against its buffer and the view. */
static bool meshopt_layout(ctx *c, const cJSON *ext, const char *ptr, const view *w, int *buf, int *off, int *len,
                           int *stride, int *count, int *mode, int *filter)
{
    *off = 0;
    if (mh_gltf_ref(c, ext, ptr, "buffer", c->buffer_count, "buffer", true, buf) != 1 ||
        mh_gltf_int(c, ext, ptr, "byteOffset", 0, 4294967295.0, off) < 0 ||
        mh_gltf_int(c, ext, ptr, "byteLength", 1, 4294967295.0, len) != 1 ||
        mh_gltf_int(c, ext, ptr, "byteStride", 1, 256, stride) != 1 ||
        mh_gltf_int(c, ext, ptr, "count", 1, 1e9, count) != 1)
        return ISSUE(c, "MESHOPT_INVALID", ptr, "needs buffer, byteLength, byteStride (1-256) and count");
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(ext, "mode"),
                *f = cJSON_GetObjectItemCaseSensitive(ext, "filter");
    *mode = meshopt_mode(cJSON_IsString(m) ? m->valuestring : NULL);
    *filter = meshopt_filter(f ? (cJSON_IsString(f) ? f->valuestring : "?") : NULL);
    if (*mode < 0 || *filter < 0)
        return ISSUE(c, "MESHOPT_INVALID", ptr,
                     "mode must be ATTRIBUTES, TRIANGLES or INDICES and filter NONE, "
                     "OCTAHEDRAL, QUATERNION or EXPONENTIAL");
    if ((*mode == 0 && *stride % 4) || (*mode > 0 && *stride != 2 && *stride != 4) || (*mode == 1 && *count % 3) ||
        (*filter && *mode != 0) || (*filter == 1 && *stride != 4 && *stride != 8) || (*filter == 2 && *stride != 8))
        return ISSUE(c, "MESHOPT_INVALID", ptr, "byteStride, count, mode and filter do not go together");
    if ((size_t)*off + (size_t)*len > c->buffers[*buf].size)
        return ISSUE(c, "BUFFER_VIEW_TOO_LONG", ptr, "the compressed data does not fit in buffer %d", *buf);
    if ((uint64_t)*count * (uint64_t)*stride > w->length)
        return ISSUE(c, "MESHOPT_INVALID", ptr, "count x byteStride (%llu bytes) is more than the buffer view's %zu",
                     (unsigned long long)*count * (unsigned long long)*stride, w->length);
    return true;
}

bool mh_gltf_meshopt_view(ctx *c, const cJSON *ext, const char *ptr, view *w)
{
    int buf = -1, off = 0, len = 0, stride = 0, count = 0, mode = 0, filter = 0;
    if (!meshopt_layout(c, ext, ptr, w, &buf, &off, &len, &stride, &count, &mode, &filter))
        return w->ok = false;
    w->has_data = false;
    w->data = NULL;
    if (!c->buffers[buf].data)
        return true; /* no compressed data: nothing can read this view (reported where needed) */
    uint8_t *out = mh_gltf_alloc(c, w->length);
    if (!out)
        return w->ok = ISSUE(c, "BUDGET_EXCEEDED", ptr, "the decoded view is too large (budgets.file_bytes)");
    const unsigned char *src = c->buffers[buf].data + off;
    int rc = mode == 0   ? meshopt_decodeVertexBuffer(out, (size_t)count, (size_t)stride, src, (size_t)len)
             : mode == 1 ? meshopt_decodeIndexBuffer(out, (size_t)count, (size_t)stride, src, (size_t)len)
                         : meshopt_decodeIndexSequence(out, (size_t)count, (size_t)stride, src, (size_t)len);
    if (rc != 0)
        return w->ok =
                   ISSUE(c, "MESHOPT_INVALID", ptr, "the compressed data does not decode (meshoptimizer error %d)", rc);
    if (filter == 1)
        meshopt_decodeFilterOct(out, (size_t)count, (size_t)stride);
    else if (filter == 2)
        meshopt_decodeFilterQuat(out, (size_t)count, (size_t)stride);
    else if (filter == 3)
        meshopt_decodeFilterExp(out, (size_t)count, (size_t)stride);
    w->data = out;
    w->has_data = true;
    return true;
}

/* ---- KHR_draco_mesh_compression ---------------------------------------------------- */

#define MH_DRACO_MAX_ATTRIBUTES 32

const uint8_t *mh_gltf_draco_data(ctx *c, int i)
{
    return c->draco_data && i >= 0 && i < c->acc_count ? c->draco_data[i] : NULL;
}

/* One attribute of a decoded Draco mesh into accessor `acc`'s own format. */
static bool draco_attribute(ctx *c, mh_draco_mesh *dm, int id, int acc, const char *ptr)
{
    accessor *a = &c->accs[acc];
    if (a->count != (int)mh_draco_point_count(dm))
        return ISSUE(c, "DRACO_MISMATCH", ptr, "accessor %d has %d elements, the Draco data %u points", acc, a->count,
                     mh_draco_point_count(dm));
    if (a->cols != 1 || mh_draco_attribute_comps(dm, (uint32_t)id) == 0)
        return ISSUE(c, "DRACO_MISMATCH", ptr, "the Draco data has no attribute %d for accessor %d", id, acc);
    uint8_t *out = mh_gltf_alloc(c, a->elem_size * (size_t)a->count);
    if (!out || !mh_draco_attribute(dm, (uint32_t)id, a->comp_type, a->comps, out))
        return ISSUE(c, "DRACO_MISMATCH", ptr, "the Draco attribute %d does not convert to accessor %d's format", id,
                     acc);
    c->draco_data[acc] = out;
    return true;
}

static bool draco_indices(ctx *c, mh_draco_mesh *dm, const cJSON *prim, const char *ptr)
{
    int ind = -1;
    if (mh_gltf_ref(c, prim, ptr, "indices", c->acc_count, "accessor", false, &ind) != 1)
        return ISSUE(c, "DRACO_MISMATCH", ptr, "a Draco primitive needs an indices accessor");
    accessor *a = &c->accs[ind];
    uint32_t faces = mh_draco_face_count(dm);
    if ((uint64_t)a->count != (uint64_t)faces * 3 || a->comps != 1 ||
        (a->comp_type != GL_UBYTE && a->comp_type != GL_USHORT && a->comp_type != GL_UINT))
        return ISSUE(c, "DRACO_MISMATCH", ptr, "the indices accessor does not match the Draco data's %u triangles",
                     faces);
    uint32_t *tmp = mh_gltf_alloc(c, sizeof(uint32_t) * (size_t)a->count);
    uint8_t *out = mh_gltf_alloc(c, a->elem_size * (size_t)a->count);
    if (!tmp || !out)
        return ISSUE(c, "BUDGET_EXCEEDED", ptr, "the Draco data is too large (budgets.file_bytes)");
    mh_draco_indices(dm, tmp);
    for (int k = 0; k < a->count; k++) {
        uint32_t v = tmp[k];
        if (a->comp_type == GL_UBYTE)
            out[k] = (uint8_t)v;
        else if (a->comp_type == GL_USHORT)
            memcpy(out + 2 * k, &(uint16_t){(uint16_t)v}, 2);
        else
            memcpy(out + 4 * k, &v, 4);
    }
    c->draco_data[ind] = out;
    return true;
}

bool mh_gltf_draco_prim(ctx *c, const cJSON *prim, const cJSON *ext, const char *ptr)
{
    int v = -1;
    const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(ext, "attributes");
    if (mh_gltf_ref(c, ext, ptr, "bufferView", c->view_count, "bufferView", true, &v) != 1 || !cJSON_IsObject(attrs))
        return ISSUE(c, "DRACO_MISMATCH", ptr, "needs a bufferView and an attributes object");
    const view *w = &c->views[v];
    if (!w->ok || !w->has_data)
        return ISSUE(c, "BUFFER_NO_DATA", ptr, "the Draco data's buffer view has no data");
    if (!c->draco_data && !(c->draco_data = mh_gltf_alloc(c, sizeof(uint8_t *) * (size_t)(c->acc_count + 1))))
        return ISSUE(c, "BUDGET_EXCEEDED", ptr, "too many accessors");
    char err[128];
    mh_draco_mesh *dm = mh_draco_decode(w->data, w->length, err, sizeof err);
    if (!dm)
        return ISSUE(c, "DRACO_INVALID", ptr, "%s", err);
    const cJSON *pattrs = cJSON_GetObjectItemCaseSensitive(prim, "attributes");
    if (cJSON_GetArraySize(attrs) > MH_DRACO_MAX_ATTRIBUTES) { /* each is looked up among the primitive's */
        mh_draco_free(dm);
        return ISSUE(c, "DRACO_MISMATCH", ptr, "more than %d Draco attributes", MH_DRACO_MAX_ATTRIBUTES);
    }
    bool ok = draco_indices(c, dm, prim, ptr);
    for (const cJSON *e = attrs->child; ok && e; e = e->next) {
        int acc = -1;
        if (!cJSON_IsNumber(e) || !mh_gltf_is_integer(e->valuedouble) || e->valuedouble < 0 ||
            e->valuedouble > INT_MAX ||
            mh_gltf_ref(c, pattrs, ptr, e->string, c->acc_count, "accessor", true, &acc) != 1)
            ok = ISSUE(c, "DRACO_MISMATCH", ptr,
                       "a Draco attribute must name an attribute of the primitive by a "
                       "unique id");
        else
            ok = draco_attribute(c, dm, (int)e->valuedouble, acc, ptr);
    }
    mh_draco_free(dm);
    return ok;
}
