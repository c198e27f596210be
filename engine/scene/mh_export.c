/* mh_export.c - a minimal, validator-clean GLB writer: one static mesh (the
 * landmarks the asset generator makes), or a whole built hall with its
 * materials and textures (metahall export). A primitive per material and
 * per finish: the per-vertex part of a material (metallic, roughness,
 * glow; mh_mesh.h) becomes glTF material factors, one material for each
 * combination a part uses, so three.js draws the same surfaces. */
#include "mh_export.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <meshoptimizer.h>
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../asset/mh_gltf.h"
#include "../asset/mh_png.h"

typedef struct blob {
    uint8_t *data;
    size_t size, cap;
} blob;

static bool put(blob *b, const void *src, size_t n)
{
    if (b->size + n > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 65536;
        while (cap < b->size + n)
            cap *= 2;
        uint8_t *d = realloc(b->data, cap);
        if (!d)
            return false;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->size, src, n);
    b->size += n;
    return true;
}

/* Appends a bufferView + accessor for `count` elements of `comps` floats or
 * (indices) uint32 indices; returns the accessor index. */
static int add_accessor(cJSON *root, blob *bin, const void *data, int count, int comps, bool indices, const float *mn,
                        const float *mx)
{
    cJSON *views = cJSON_GetObjectItem(root, "bufferViews"), *accs = cJSON_GetObjectItem(root, "accessors");
    size_t bytes = (size_t)count * (size_t)comps * 4;
    cJSON *v = cJSON_CreateObject();
    cJSON_AddNumberToObject(v, "buffer", 0);
    cJSON_AddNumberToObject(v, "byteOffset", (double)bin->size);
    cJSON_AddNumberToObject(v, "byteLength", (double)bytes);
    cJSON_AddNumberToObject(v, "target", indices ? 34963 : 34962);
    cJSON_AddItemToArray(views, v);
    put(bin, data, bytes);
    cJSON *a = cJSON_CreateObject();
    cJSON_AddNumberToObject(a, "bufferView", cJSON_GetArraySize(views) - 1);
    cJSON_AddNumberToObject(a, "componentType", indices ? 5125 : 5126);
    cJSON_AddNumberToObject(a, "count", count);
    static const char *const types[] = {"", "SCALAR", "VEC2", "VEC3", "VEC4"};
    cJSON_AddStringToObject(a, "type", types[comps]);
    if (mn && mx) {
        cJSON_AddItemToObject(a, "min", cJSON_CreateFloatArray(mn, comps));
        cJSON_AddItemToObject(a, "max", cJSON_CreateFloatArray(mx, comps));
    }
    cJSON_AddItemToArray(accs, a);
    return cJSON_GetArraySize(accs) - 1;
}

/* A finish: the per-vertex material bytes a glTF material takes as factors. */
typedef struct finish {
    uint8_t metallic, roughness;
    bool unlit; /* KHR_materials_unlit: the renderer's unlit triangles (mh_mesh_triangle_unlit) */
} finish;

/* The finish of the triangle at indices[t]: its first vertex's. */
static finish finish_of(const mh_mesh_data *m, uint32_t t)
{
    const mh_vertex *v = &m->vertices[m->indices[t]];
    return (finish){v->params[1], v->params[2], mh_mesh_triangle_unlit(m, t)};
}

static bool finish_equal(finish a, finish b)
{
    return a.metallic == b.metallic && a.roughness == b.roughness && a.unlit == b.unlit;
}

/* The triangles of one primitive, re-indexed so the primitive is compact:
 * remap (one entry per mesh vertex, UINT32_MAX = not taken) gives a mesh
 * vertex's new index; src remembers which mesh vertex each new one is, so
 * only those entries are reset afterwards. Vertices go through xf (a moving
 * part's rest pose; the identity for baked ones). */
typedef struct prim_data {
    float *pos, *nrm, *uv, *uv1, *col, *tan;
    uint32_t *idx, *src;
    uint32_t nv, ni;
    float mn[3], mx[3];
} prim_data;

static bool prim_alloc(prim_data *p, uint32_t max_indices)
{
    size_t n = (size_t)max_indices + 1; /* a primitive never has more vertices than indices */
    *p = (prim_data){.pos = malloc(sizeof(float) * 3 * n),
                     .nrm = malloc(sizeof(float) * 3 * n),
                     .uv = malloc(sizeof(float) * 2 * n),
                     .uv1 = malloc(sizeof(float) * 2 * n),
                     .col = malloc(sizeof(float) * 4 * n),
                     .tan = malloc(sizeof(float) * 4 * n),
                     .idx = malloc(sizeof(uint32_t) * n),
                     .src = malloc(sizeof(uint32_t) * n),
                     .mn = {FLT_MAX, FLT_MAX, FLT_MAX},
                     .mx = {-FLT_MAX, -FLT_MAX, -FLT_MAX}};
    return p->pos && p->nrm && p->uv && p->uv1 && p->col && p->tan && p->idx && p->src;
}

static void prim_free(prim_data *p, uint32_t *remap)
{
    for (uint32_t i = 0; p->src && i < p->nv; i++)
        remap[p->src[i]] = UINT32_MAX;
    free(p->pos);
    free(p->nrm);
    free(p->uv);
    free(p->uv1);
    free(p->col);
    free(p->tan);
    free(p->idx);
    free(p->src);
}

static void prim_vertex(prim_data *p, const mh_vertex *s, const mh_mat4 *xf)
{
    uint32_t n = p->nv;
    mh_vec3 pos = mh_v3(s->pos[0], s->pos[1], s->pos[2]), nrm = mh_v3(s->normal[0], s->normal[1], s->normal[2]);
    mh_vec3 tan = mh_v3(s->tangent[0] / 32767.0f, s->tangent[1] / 32767.0f, s->tangent[2] / 32767.0f);
    if (xf) {
        mh_mat4 inv;
        pos = mh_m4_mul_point(*xf, pos);
        nrm = mh_m4_invert(*xf, &inv) ? mh_m4_mul_dir(mh_m4_transpose(inv), nrm) : nrm;
        tan = mh_m4_mul_dir(*xf, tan);
    }
    nrm = mh_v3_norm(nrm);
    tan = mh_v3_dot(tan, tan) > 1e-6f ? mh_v3_norm(tan) : mh_v3(1, 0, 0);
    memcpy(p->pos + 3 * n, &pos, sizeof(float) * 3);
    memcpy(p->nrm + 3 * n, &nrm, sizeof(float) * 3);
    memcpy(p->tan + 4 * n, &tan, sizeof(float) * 3);
    p->tan[4 * n + 3] = s->tangent[3] < 0 ? -1.0f : 1.0f;
    float ao =
        (float)s->params[3] / 255.0f; /* baked occlusion (mh_scene_bake.c, shapes' "occlusion") rides in COLOR_0 */
    for (int c = 0; c < 3; c++) {
        p->col[4 * n + (uint32_t)c] = mh_srgb_to_linear((float)s->color[c] / 255.0f) * ao;
        p->mn[c] = fminf(p->mn[c], p->pos[3 * n + (uint32_t)c]);
        p->mx[c] = fmaxf(p->mx[c], p->pos[3 * n + (uint32_t)c]);
    }
    p->col[4 * n + 3] = (float)s->color[3] / 255.0f;
    memcpy(p->uv + 2 * n, s->uv, sizeof(float) * 2);
    memcpy(p->uv1 + 2 * n, s->uv1, sizeof(float) * 2);
    p->nv++;
}

/* Takes the triangles of indices[first, first + count) whose first vertex
 * has finish f. */
static void prim_take(prim_data *p, const mh_mesh_data *m, uint32_t first, uint32_t count, finish f, const mh_mat4 *xf,
                      uint32_t *remap)
{
    for (uint32_t t = first; t + 2 < first + count; t += 3) {
        if (!finish_equal(finish_of(m, t), f))
            continue;
        for (int k = 0; k < 3; k++) {
            uint32_t v = m->indices[t + k];
            if (remap[v] == UINT32_MAX) {
                remap[v] = p->nv;
                p->src[p->nv] = v;
                prim_vertex(p, &m->vertices[v], xf);
            }
            p->idx[p->ni++] = remap[v];
        }
    }
}

/* Which attributes a primitive carries. */
typedef struct prim_attrs {
    bool uv, uv1, tangent;
} prim_attrs;

/* Adds what was taken as one primitive of prims (nothing when empty). */
static void prim_emit(cJSON *root, blob *bin, cJSON *prims, const prim_data *p, prim_attrs a, int material)
{
    if (p->ni == 0)
        return;
    cJSON *prim = cJSON_CreateObject(), *attrs = cJSON_CreateObject();
    cJSON_AddNumberToObject(attrs, "POSITION", add_accessor(root, bin, p->pos, (int)p->nv, 3, false, p->mn, p->mx));
    cJSON_AddNumberToObject(attrs, "NORMAL", add_accessor(root, bin, p->nrm, (int)p->nv, 3, false, NULL, NULL));
    if (a.tangent)
        cJSON_AddNumberToObject(attrs, "TANGENT", add_accessor(root, bin, p->tan, (int)p->nv, 4, false, NULL, NULL));
    if (a.uv)
        cJSON_AddNumberToObject(attrs, "TEXCOORD_0", add_accessor(root, bin, p->uv, (int)p->nv, 2, false, NULL, NULL));
    if (a.uv1)
        cJSON_AddNumberToObject(attrs, "TEXCOORD_1", add_accessor(root, bin, p->uv1, (int)p->nv, 2, false, NULL, NULL));
    cJSON_AddNumberToObject(attrs, "COLOR_0", add_accessor(root, bin, p->col, (int)p->nv, 4, false, NULL, NULL));
    cJSON_AddItemToObject(prim, "attributes", attrs);
    cJSON_AddNumberToObject(prim, "indices", add_accessor(root, bin, p->idx, (int)p->ni, 1, true, NULL, NULL));
    cJSON_AddNumberToObject(prim, "material", material);
    cJSON_AddItemToArray(prims, prim);
}

/* The finishes the triangles of indices[first, first + count) use, added
 * to list (at most cap); returns the new count. */
static int collect_finishes(const mh_mesh_data *m, uint32_t first, uint32_t count, finish *list, int n, int cap)
{
    for (uint32_t t = first; t + 2 < first + count; t += 3) {
        finish f = finish_of(m, t);
        int k = 0;
        while (k < n && !finish_equal(list[k], f))
            k++;
        if (k == n && n < cap)
            list[n++] = f;
    }
    return n;
}

#define MAX_FINISHES 64 /* per part and material; more are exported as the last one */

/* The glTF factors of a finish on a material object. */
static void finish_factors(cJSON *m, cJSON *pbr, finish f)
{
    cJSON_AddNumberToObject(pbr, "metallicFactor", f.metallic / 255.0);
    cJSON_AddNumberToObject(pbr, "roughnessFactor", f.roughness / 255.0);
    if (f.unlit) {
        cJSON *ext = cJSON_CreateObject();
        cJSON_AddItemToObject(ext, "KHR_materials_unlit", cJSON_CreateObject());
        cJSON_AddItemToObject(m, "extensions", ext);
    }
}

/* The single mesh: a primitive per finish, each its own material. */
static bool add_primitives(cJSON *root, cJSON *prims, cJSON *mats, blob *bin, const mh_mesh_data *m)
{
    uint32_t *remap = malloc(sizeof *remap * ((size_t)m->vertex_count + 1));
    finish list[MAX_FINISHES];
    bool ok = remap != NULL;
    for (uint32_t i = 0; ok && i < m->vertex_count; i++)
        remap[i] = UINT32_MAX;
    int n = ok ? collect_finishes(m, 0, m->index_count, list, 0, MAX_FINISHES) : 0;
    for (int k = 0; ok && k < n; k++) {
        cJSON *mat = cJSON_CreateObject(), *pbr = cJSON_CreateObject();
        char name[48];
        snprintf(name, sizeof name, "%s %d", list[k].unlit ? "glow" : "surface", k);
        cJSON_AddStringToObject(mat, "name", name);
        finish_factors(mat, pbr, list[k]);
        cJSON_AddItemToObject(mat, "pbrMetallicRoughness", pbr);
        cJSON_AddItemToArray(mats, mat);
        prim_data p;
        ok = prim_alloc(&p, m->index_count);
        if (ok) {
            prim_take(&p, m, 0, m->index_count, list[k], NULL, remap);
            prim_emit(root, bin, prims, &p, (prim_attrs){0}, k);
        }
        prim_free(&p, remap);
    }
    free(remap);
    return ok;
}

static bool write_glb(const char *path, const char *json, const blob *bin, mh_error *err)
{
    size_t jl = strlen(json), jpad = (4 - jl % 4) % 4, bpad = (4 - bin->size % 4) % 4;
    uint32_t total = (uint32_t)(12 + 8 + jl + jpad + 8 + bin->size + bpad);
    uint32_t head[3] = {0x46546C67u, 2, total};
    uint32_t jh[2] = {(uint32_t)(jl + jpad), 0x4E4F534Au}, bh[2] = {(uint32_t)(bin->size + bpad), 0x004E4942u};
    FILE *f = fopen(path, "wb");
    if (!f)
        return mh_fail(err, path, "", "cannot write file: %s", strerror(errno));
    /* little-endian hosts only (x86-64, aarch64), as the GLB format is */
    bool ok = fwrite(head, 4, 3, f) == 3 && fwrite(jh, 4, 2, f) == 2 && fwrite(json, 1, jl, f) == jl &&
              fwrite("   ", 1, jpad, f) == jpad && fwrite(bh, 4, 2, f) == 2 &&
              fwrite(bin->data, 1, bin->size, f) == bin->size && fwrite("\0\0\0", 1, bpad, f) == bpad;
    ok = fclose(f) == 0 && ok;
    return ok || mh_fail(err, path, "", "cannot write file: %s", strerror(errno));
}

/* EXT_meshopt_compression over a finished single-mesh file: every buffer
 * view (one accessor each here) is encoded with libmeshoptimizer into
 * `packed` (the GLB's BIN, buffer 0); the views move to buffer 1, a fallback
 * buffer with no data, as gltfpack writes them. The landmarks the generator
 * commits shrink about fourfold and load through the same decoder as any
 * designer's meshopt file. */
static bool meshopt_pack(cJSON *root, const blob *bin, blob *packed)
{
    cJSON *views = cJSON_GetObjectItem(root, "bufferViews"), *accs = cJSON_GetObjectItem(root, "accessors");
    const cJSON *a;
    cJSON_ArrayForEach(a, accs)
    {
        cJSON *v = cJSON_GetArrayItem(views, cJSON_GetObjectItem(a, "bufferView")->valueint);
        size_t off = (size_t)cJSON_GetObjectItem(v, "byteOffset")->valuedouble;
        size_t len = (size_t)cJSON_GetObjectItem(v, "byteLength")->valuedouble;
        size_t count = (size_t)cJSON_GetObjectItem(a, "count")->valuedouble, stride = len / count;
        bool indices = cJSON_GetObjectItem(v, "target")->valueint == 34963;
        const uint8_t *src = bin->data + off;
        size_t vertices = 0;
        for (size_t i = 0; indices && i < count; i++) {
            uint32_t k;
            memcpy(&k, src + i * 4, 4);
            vertices = k + 1 > vertices ? k + 1 : vertices;
        }
        size_t cap =
            indices ? meshopt_encodeIndexBufferBound(count, vertices) : meshopt_encodeVertexBufferBound(count, stride);
        uint8_t *out = malloc(cap);
        size_t n = !out      ? 0
                   : indices ? meshopt_encodeIndexBuffer(out, cap, (const unsigned *)(const void *)src, count)
                             : meshopt_encodeVertexBuffer(out, cap, src, count, stride);
        size_t at = packed->size;
        bool ok = n > 0 && put(packed, out, n) && put(packed, "\0\0\0", (4 - n % 4) % 4);
        free(out);
        if (!ok)
            return false;
        cJSON *e = cJSON_CreateObject(), *x = cJSON_CreateObject();
        cJSON_AddNumberToObject(e, "buffer", 0);
        cJSON_AddNumberToObject(e, "byteOffset", (double)at);
        cJSON_AddNumberToObject(e, "byteLength", (double)n);
        cJSON_AddNumberToObject(e, "byteStride", (double)stride);
        cJSON_AddNumberToObject(e, "count", (double)count);
        cJSON_AddStringToObject(e, "mode", indices ? "TRIANGLES" : "ATTRIBUTES");
        cJSON_AddItemToObject(x, "EXT_meshopt_compression", e);
        cJSON_AddItemToObject(v, "extensions", x);
        cJSON_ReplaceItemInObject(v, "buffer", cJSON_CreateNumber(1));
    }
    cJSON *used = cJSON_GetObjectItem(root, "extensionsUsed");
    cJSON_AddItemToArray(used, cJSON_CreateString("EXT_meshopt_compression"));
    cJSON_AddItemToObject(root, "extensionsRequired",
                          cJSON_CreateStringArray((const char *[]){"EXT_meshopt_compression"}, 1));
    cJSON *fallback = cJSON_CreateObject(), *fx = cJSON_CreateObject(), *fe = cJSON_CreateObject();
    cJSON_AddNumberToObject(fallback, "byteLength", (double)bin->size);
    cJSON_AddBoolToObject(fe, "fallback", true);
    cJSON_AddItemToObject(fx, "EXT_meshopt_compression", fe);
    cJSON_AddItemToObject(fallback, "extensions", fx);
    cJSON *buffer = cJSON_CreateObject(), *buffers = cJSON_CreateArray();
    cJSON_AddNumberToObject(buffer, "byteLength", (double)packed->size);
    cJSON_AddItemToArray(buffers, buffer);
    cJSON_AddItemToArray(buffers, fallback);
    cJSON_AddItemToObject(root, "buffers", buffers);
    return true;
}

bool mh_export_glb(const char *path, const mh_mesh_data *m, const char *generator, mh_error *err)
{
    cJSON *root = cJSON_CreateObject(), *asset = cJSON_CreateObject();
    cJSON_AddStringToObject(asset, "version", "2.0");
    cJSON_AddStringToObject(asset, "generator", generator);
    cJSON_AddItemToObject(root, "asset", asset);
    cJSON_AddItemToObject(root, "extensionsUsed", cJSON_CreateStringArray((const char *[]){"KHR_materials_unlit"}, 1));
    cJSON_AddItemToObject(root, "bufferViews", cJSON_CreateArray());
    cJSON_AddItemToObject(root, "accessors", cJSON_CreateArray());
    blob bin = {0};
    cJSON *mesh = cJSON_CreateObject(), *prims = cJSON_CreateArray();
    cJSON *mats = cJSON_CreateArray();
    bool ok = add_primitives(root, prims, mats, &bin, m);
    cJSON_AddItemToObject(mesh, "primitives", prims);
    cJSON *meshes = cJSON_CreateArray();
    cJSON_AddItemToArray(meshes, mesh);
    cJSON_AddItemToObject(root, "meshes", meshes);
    cJSON_AddItemToObject(root, "materials", mats);
    cJSON *node = cJSON_CreateObject();
    cJSON_AddNumberToObject(node, "mesh", 0);
    cJSON *nodes = cJSON_CreateArray();
    cJSON_AddItemToArray(nodes, node);
    cJSON_AddItemToObject(root, "nodes", nodes);
    cJSON *scene = cJSON_CreateObject();
    cJSON_AddItemToObject(scene, "nodes", cJSON_CreateIntArray((const int[]){0}, 1));
    cJSON *scenes = cJSON_CreateArray();
    cJSON_AddItemToArray(scenes, scene);
    cJSON_AddItemToObject(root, "scenes", scenes);
    cJSON_AddNumberToObject(root, "scene", 0);
    blob packed = {0};
    ok = ok && cJSON_GetArraySize(prims) > 0 && meshopt_pack(root, &bin, &packed);
    char *json = ok ? cJSON_PrintUnformatted(root) : NULL;
    ok = json ? write_glb(path, json, &packed, err) : mh_fail(err, path, "", "nothing to export or out of memory");
    free(json);
    free(bin.data);
    free(packed.data);
    cJSON_Delete(root);
    return ok;
}

/* ---- a whole hall ------------------------------------------------------ */

/* A glTF material made for a scene material in a finish. */
typedef struct material_key {
    const mh_scene *sc;
    int material;
    finish f;
} material_key;

typedef struct hall_out {
    cJSON *root, *materials, *images, *textures, *samplers;
    blob bin;
    int *image_of;      /* per scene texture: glTF texture index, -1 = none yet */
    material_key *made; /* the glTF materials made, in order */
    int made_count, made_cap;
    bool ok;
    mh_error *err;
} hall_out;

static void add_view_bytes(hall_out *o, const void *data, size_t n, int *out_view)
{
    cJSON *views = cJSON_GetObjectItem(o->root, "bufferViews");
    cJSON *v = cJSON_CreateObject();
    cJSON_AddNumberToObject(v, "buffer", 0);
    cJSON_AddNumberToObject(v, "byteOffset", (double)o->bin.size);
    cJSON_AddNumberToObject(v, "byteLength", (double)n);
    cJSON_AddItemToArray(views, v);
    o->ok = put(&o->bin, data, n) && o->ok;
    static const uint8_t zero[4] = {0};
    o->ok = put(&o->bin, zero, (4 - o->bin.size % 4) % 4) && o->ok; /* keep accessors 4-aligned */
    *out_view = cJSON_GetArraySize(views) - 1;
}

/* The sampler for a texture's wrap and filters, made on first use. */
static int sampler_of(hall_out *o, const mh_scene_texture *t)
{
    int ws = t->wrap_s ? t->wrap_s : MH_GLTF_WRAP_REPEAT, wt = t->wrap_t ? t->wrap_t : MH_GLTF_WRAP_REPEAT;
    int mag = t->mag_filter ? t->mag_filter : MH_GLTF_FILTER_LINEAR;
    int min = t->min_filter ? t->min_filter : MH_GLTF_FILTER_LINEAR_MIPMAP_LINEAR;
    int n = cJSON_GetArraySize(o->samplers);
    for (int i = 0; i < n; i++) {
        cJSON *s = cJSON_GetArrayItem(o->samplers, i);
        if (cJSON_GetObjectItem(s, "wrapS")->valueint == ws && cJSON_GetObjectItem(s, "wrapT")->valueint == wt &&
            cJSON_GetObjectItem(s, "magFilter")->valueint == mag &&
            cJSON_GetObjectItem(s, "minFilter")->valueint == min)
            return i;
    }
    cJSON *s = cJSON_CreateObject();
    cJSON_AddNumberToObject(s, "magFilter", mag);
    cJSON_AddNumberToObject(s, "minFilter", min);
    cJSON_AddNumberToObject(s, "wrapS", ws);
    cJSON_AddNumberToObject(s, "wrapT", wt);
    cJSON_AddItemToArray(o->samplers, s);
    return n;
}

/* The glTF texture for scene texture t (an embedded PNG), made on first use. */
static int texture_of(hall_out *o, const mh_scene *sc, int t)
{
    if (o->image_of[t] >= 0)
        return o->image_of[t];
    const mh_scene_texture *st = &sc->textures[t];
    uint8_t *png = NULL;
    size_t size = 0;
    if (!st->rgba || !mh_png_encode(st->rgba, st->width, st->height, &png, &size, o->err)) {
        o->ok = false;
        return -1;
    }
    int view;
    add_view_bytes(o, png, size, &view);
    free(png);
    cJSON *img = cJSON_CreateObject();
    cJSON_AddNumberToObject(img, "bufferView", view);
    cJSON_AddStringToObject(img, "mimeType", "image/png");
    cJSON_AddItemToArray(o->images, img);
    cJSON *tex = cJSON_CreateObject();
    cJSON_AddNumberToObject(tex, "source", cJSON_GetArraySize(o->images) - 1);
    cJSON_AddNumberToObject(tex, "sampler", sampler_of(o, st));
    cJSON_AddItemToArray(o->textures, tex);
    return o->image_of[t] = cJSON_GetArraySize(o->textures) - 1;
}

static bool is_identity(const float x[6])
{
    return x[0] == 1 && x[1] == 0 && x[2] == 0 && x[3] == 1 && x[4] == 0 && x[5] == 0;
}

/* A texture reference: index, texCoord and KHR_texture_transform (the
 * matrix back as offset, rotation and scale; glTF's is T * R * S with
 * R = [cos sin; -sin cos]). extra names the scale or strength key. */
static cJSON *texture_info(hall_out *o, const mh_scene *sc, const mh_material_slot *s, const char *extra, float value)
{
    cJSON *info = cJSON_CreateObject();
    cJSON_AddNumberToObject(info, "index", texture_of(o, sc, s->texture));
    if (s->set)
        cJSON_AddNumberToObject(info, "texCoord", s->set);
    if (extra && value != 1.0f)
        cJSON_AddNumberToObject(info, extra, value);
    if (!is_identity(s->xform)) {
        const float *x = s->xform;
        float sx = sqrtf(x[0] * x[0] + x[1] * x[1]), sy = sqrtf(x[2] * x[2] + x[3] * x[3]);
        float rot = atan2f(-x[1], x[0]);
        cJSON *t = cJSON_CreateObject(), *ext = cJSON_CreateObject();
        cJSON_AddItemToObject(t, "offset", cJSON_CreateFloatArray((const float[]){x[4], x[5]}, 2));
        cJSON_AddNumberToObject(t, "rotation", rot);
        cJSON_AddItemToObject(t, "scale", cJSON_CreateFloatArray((const float[]){sx, sy}, 2));
        cJSON_AddItemToObject(ext, "KHR_texture_transform", t);
        cJSON_AddItemToObject(info, "extensions", ext);
    }
    return info;
}

/* The glTF material for scene material `mi` in finish f, made on first use. */
static int material_of(hall_out *o, const mh_scene *sc, int mi, finish f)
{
    for (int i = 0; i < o->made_count; i++)
        if (o->made[i].sc == sc && o->made[i].material == mi && finish_equal(o->made[i].f, f))
            return i;
    if (o->made_count == o->made_cap) {
        int cap = o->made_cap ? o->made_cap * 2 : 64;
        material_key *k = realloc(o->made, sizeof *k * (size_t)cap);
        if (!k) {
            o->ok = false;
            return 0;
        }
        o->made = k;
        o->made_cap = cap;
    }
    o->made[o->made_count++] = (material_key){sc, mi, f};
    const mh_material *m = &sc->materials[mi];
    cJSON *mat = cJSON_CreateObject(), *pbr = cJSON_CreateObject();
    char name[48];
    snprintf(name, sizeof name, "material %d (%d, %d)%s", mi, f.metallic, f.roughness, f.unlit ? " glow" : "");
    cJSON_AddStringToObject(mat, "name", name);
    if (mh_material_has(m, MH_TEX_BASE))
        cJSON_AddItemToObject(pbr, "baseColorTexture", texture_info(o, sc, &m->slots[MH_TEX_BASE], NULL, 1));
    if (mh_material_has(m, MH_TEX_METAL_ROUGH))
        cJSON_AddItemToObject(pbr, "metallicRoughnessTexture",
                              texture_info(o, sc, &m->slots[MH_TEX_METAL_ROUGH], NULL, 1));
    finish_factors(mat, pbr, (finish){f.metallic, f.roughness, f.unlit || m->unlit});
    cJSON_AddItemToObject(mat, "pbrMetallicRoughness", pbr);
    if (mh_material_has(m, MH_TEX_NORMAL))
        cJSON_AddItemToObject(mat, "normalTexture",
                              texture_info(o, sc, &m->slots[MH_TEX_NORMAL], "scale", m->normal_scale));
    if (mh_material_has(m, MH_TEX_OCCLUSION))
        cJSON_AddItemToObject(mat, "occlusionTexture",
                              texture_info(o, sc, &m->slots[MH_TEX_OCCLUSION], "strength", m->occlusion_strength));
    float e = fmaxf(m->emissive[0], fmaxf(m->emissive[1], m->emissive[2]));
    if (e > 0) { /* factors above 1 go out as KHR_materials_emissive_strength */
        float k = e > 1 ? e : 1;
        cJSON_AddItemToObject(mat, "emissiveFactor",
                              cJSON_CreateFloatArray((const float[]){m->emissive[0] / k, m->emissive[1] / k,
                                                                     m->emissive[2] / k},
                                                     3));
        if (mh_material_has(m, MH_TEX_EMISSIVE))
            cJSON_AddItemToObject(mat, "emissiveTexture", texture_info(o, sc, &m->slots[MH_TEX_EMISSIVE], NULL, 1));
        if (k > 1) {
            cJSON *ext = cJSON_GetObjectItem(mat, "extensions");
            if (!ext)
                cJSON_AddItemToObject(mat, "extensions", ext = cJSON_CreateObject());
            cJSON *st = cJSON_CreateObject();
            cJSON_AddNumberToObject(st, "emissiveStrength", k);
            cJSON_AddItemToObject(ext, "KHR_materials_emissive_strength", st);
        }
    }
    if (m->alpha_mode != MH_ALPHA_OPAQUE)
        cJSON_AddStringToObject(mat, "alphaMode", m->alpha_mode == MH_ALPHA_MASK ? "MASK" : "BLEND");
    if (m->alpha_mode == MH_ALPHA_MASK)
        cJSON_AddNumberToObject(mat, "alphaCutoff", m->alpha_cutoff);
    if (m->double_sided)
        cJSON_AddTrueToObject(mat, "doubleSided");
    cJSON_AddItemToArray(o->materials, mat);
    return o->made_count - 1;
}

static prim_attrs attrs_of(const mh_material *m)
{
    prim_attrs a = {.tangent = mh_material_has(m, MH_TEX_NORMAL)};
    for (int s = 0; s < MH_TEX_SLOTS; s++)
        if (mh_material_has(m, (mh_tex_slot)s)) {
            a.uv = a.uv || m->slots[s].set == 0;
            a.uv1 = a.uv1 || m->slots[s].set == 1;
        }
    a.uv = a.uv || a.uv1; /* glTF's TEXCOORD_n sets start at 0 (the walls' light on a plain lintel uses set 1 alone) */
    return a;
}

/* The rest pose of a moving chunk (vertices in model space), or NULL. */
static const mh_mat4 *chunk_xf(const mh_scene *sc, const mh_scene_chunk *c)
{
    return c->motion >= 0 ? &sc->motions[c->motion].world : NULL;
}

/* The scene material `mi` goes out as the first one that looks
 * the same (the floor's baked light drawn per vertex is the lightmapped
 * floor's material: glTF has no per-vertex emissive, so it goes out with the
 * lightmap, as the fetch draws it). */
static int export_material(const mh_scene *sc, int mi)
{
    if (!sc->materials[mi].vertex_emissive)
        return mi;
    for (int i = 0; i < sc->material_count; i++)
        if (!sc->materials[i].vertex_emissive && mh_material_same_look(&sc->materials[i], &sc->materials[mi]))
            return i;
    return mi;
}

/* The triangles of one part (hall or booth) with one scene material, one
 * primitive per finish (moving chunks one each, at rest). */
static void add_part_material(hall_out *o, cJSON *prims, const mh_scene *sc, int group, int mi, uint32_t *remap)
{
    for (int c = 0; c < sc->chunk_count && o->ok; c++) {
        const mh_scene_chunk *ch = &sc->chunks[c];
        if (ch->group != group || export_material(sc, ch->material) != mi)
            continue;
        bool moving = ch->motion >= 0;
        bool first = true; /* a static chunk merges with the part's other static chunks of this material */
        for (int b = 0; b < c && !moving; b++)
            first = first && !(sc->chunks[b].group == group && export_material(sc, sc->chunks[b].material) == mi &&
                               sc->chunks[b].motion < 0);
        if (!first)
            continue;
        finish list[MAX_FINISHES];
        int n = 0;
        uint32_t total = 0;
        for (int d = c; d < sc->chunk_count; d++) {
            const mh_scene_chunk *x = &sc->chunks[d];
            if (x->group == group && export_material(sc, x->material) == mi && (moving ? d == c : x->motion < 0)) {
                n = collect_finishes(&sc->mesh, x->first_index, x->index_count, list, n, MAX_FINISHES);
                total += x->index_count;
            }
        }
        for (int k = 0; k < n && o->ok; k++) {
            prim_data p;
            if (prim_alloc(&p, total)) {
                for (int d = c; d < sc->chunk_count; d++) {
                    const mh_scene_chunk *x = &sc->chunks[d];
                    if (x->group == group && export_material(sc, x->material) == mi &&
                        (moving ? d == c : x->motion < 0))
                        prim_take(&p, &sc->mesh, x->first_index, x->index_count, list[k], chunk_xf(sc, x), remap);
                }
                prim_emit(o->root, &o->bin, prims, &p, attrs_of(&sc->materials[mi]), material_of(o, sc, mi, list[k]));
            } else {
                o->ok = false;
            }
            prim_free(&p, remap);
        }
    }
}

/* One node: a part of a scene (the hall's own chunks, or a booth's). */
static void add_part(hall_out *o, cJSON *nodes, const mh_scene *sc, int group, const char *name)
{
    uint32_t *remap = malloc(sizeof *remap * (sc->mesh.vertex_count + 1));
    if (!remap) {
        o->ok = false;
        return;
    }
    for (uint32_t v = 0; v < sc->mesh.vertex_count; v++)
        remap[v] = UINT32_MAX;
    cJSON *prims = cJSON_CreateArray();
    for (int m = 0; m < sc->material_count; m++)
        add_part_material(o, prims, sc, group, m, remap);
    free(remap);
    if (cJSON_GetArraySize(prims) == 0) {
        cJSON_Delete(prims);
        return;
    }
    cJSON *mesh = cJSON_CreateObject();
    cJSON_AddStringToObject(mesh, "name", name);
    cJSON_AddItemToObject(mesh, "primitives", prims);
    cJSON *meshes = cJSON_GetObjectItem(o->root, "meshes");
    cJSON_AddItemToArray(meshes, mesh);
    cJSON *node = cJSON_CreateObject();
    cJSON_AddStringToObject(node, "name", name);
    cJSON_AddNumberToObject(node, "mesh", cJSON_GetArraySize(meshes) - 1);
    cJSON_AddItemToArray(nodes, node);
}

static cJSON *color_array(mh_vec3 c) { return cJSON_CreateFloatArray((const float[]){c.x, c.y, c.z}, 3); }

/* The hall's lighting for viewers that want to match metahall's look. */
static cJSON *lighting_extras(const mh_hall_desc *h)
{
    cJSON *l = cJSON_CreateObject(), *extras = cJSON_CreateObject();
    mh_vec3 to_sun = mh_v3_scale(mh_v3_norm(h->sun_dir), -1.0f);
    cJSON_AddItemToObject(l, "sky", color_array(h->sky_color));
    cJSON_AddItemToObject(l, "ground", color_array(h->ground_color));
    cJSON_AddItemToObject(l, "sun", color_array(h->sun_color));
    cJSON_AddItemToObject(l, "sun_dir", color_array(to_sun));
    cJSON_AddItemToObject(l, "clear", color_array(h->clear_color));
    cJSON_AddNumberToObject(l, "fog_density", h->fog_density);
    cJSON_AddItemToObject(extras, "metahall_lighting", l);
    return extras;
}

/* Adds every part of one scene. */
static void add_scene_parts(hall_out *o, cJSON *nodes, const mh_scene *sc, const mh_hall_desc *h, const char *what)
{
    int *imgs = malloc(sizeof *imgs * (size_t)(sc->texture_count + 1));
    if (!imgs) {
        o->ok = false;
        return;
    }
    for (int i = 0; i < sc->texture_count; i++)
        imgs[i] = -1;
    o->image_of = imgs;
    add_part(o, nodes, sc, MH_SCENE_GROUP_HALL, what);
    for (int b = 0; h && b < h->booth_count; b++) {
        char name[96];
        snprintf(name, sizeof name, "booth %d: %s", b + 1, h->booths[b].exhibit.id);
        add_part(o, nodes, sc, b, name);
    }
    free(imgs);
}

/* The extensions the materials use, for extensionsUsed. */
static cJSON *extensions_used(cJSON *materials)
{
    static const char *const names[] = {"KHR_materials_unlit", "KHR_texture_transform",
                                        "KHR_materials_emissive_strength"};
    cJSON *used = cJSON_CreateArray();
    char *text = cJSON_PrintUnformatted(materials);
    for (size_t i = 0; text && i < sizeof names / sizeof *names; i++)
        if (strstr(text, names[i]))
            cJSON_AddItemToArray(used, cJSON_CreateString(names[i]));
    free(text);
    return used;
}

bool mh_export_hall_glb(const char *path, const mh_hall_desc *h, const mh_scene *hall, const mh_scene *feature,
                        const char *generator, mh_error *err)
{
    hall_out o = {.root = cJSON_CreateObject(), .ok = true, .err = err};
    cJSON *asset = cJSON_CreateObject();
    cJSON_AddStringToObject(asset, "version", "2.0");
    cJSON_AddStringToObject(asset, "generator", generator);
    cJSON_AddItemToObject(o.root, "asset", asset);
    cJSON_AddItemToObject(o.root, "bufferViews", cJSON_CreateArray());
    cJSON_AddItemToObject(o.root, "accessors", cJSON_CreateArray());
    cJSON_AddItemToObject(o.root, "meshes", cJSON_CreateArray());
    cJSON_AddItemToObject(o.root, "materials", o.materials = cJSON_CreateArray());
    cJSON_AddItemToObject(o.root, "images", o.images = cJSON_CreateArray());
    cJSON_AddItemToObject(o.root, "textures", o.textures = cJSON_CreateArray());
    cJSON_AddItemToObject(o.root, "samplers", o.samplers = cJSON_CreateArray());
    cJSON *nodes = cJSON_CreateArray();
    add_scene_parts(&o, nodes, hall, h, "hall");
    if (feature && feature->chunk_count)
        add_scene_parts(&o, nodes, feature, NULL, "stage: featured exhibit");
    cJSON *used = extensions_used(o.materials);
    if (cJSON_GetArraySize(used))
        cJSON_AddItemToObject(o.root, "extensionsUsed", used);
    else
        cJSON_Delete(used);
    cJSON_AddItemToObject(o.root, "nodes", nodes);
    int n = cJSON_GetArraySize(nodes);
    int *list = malloc(sizeof *list * (size_t)(n + 1));
    for (int i = 0; list && i < n; i++)
        list[i] = i;
    cJSON *scene = cJSON_CreateObject();
    cJSON_AddStringToObject(scene, "name", h->name_en ? h->name_en : "hall");
    cJSON_AddItemToObject(scene, "nodes", cJSON_CreateIntArray(list, n));
    cJSON_AddItemToObject(scene, "extras", lighting_extras(h));
    free(list);
    cJSON *scenes = cJSON_CreateArray();
    cJSON_AddItemToArray(scenes, scene);
    cJSON_AddItemToObject(o.root, "scenes", scenes);
    cJSON_AddNumberToObject(o.root, "scene", 0);
    if (cJSON_GetArraySize(o.images) == 0) { /* the validator dislikes empty arrays */
        cJSON_DeleteItemFromObject(o.root, "images");
        cJSON_DeleteItemFromObject(o.root, "textures");
        cJSON_DeleteItemFromObject(o.root, "samplers");
    }
    cJSON *buffer = cJSON_CreateObject();
    cJSON_AddNumberToObject(buffer, "byteLength", (double)o.bin.size);
    cJSON *buffers = cJSON_CreateArray();
    cJSON_AddItemToArray(buffers, buffer);
    cJSON_AddItemToObject(o.root, "buffers", buffers);
    char *json = o.ok && n > 0 ? cJSON_PrintUnformatted(o.root) : NULL;
    bool ok = json ? write_glb(path, json, &o.bin, err)
                   : (o.ok ? mh_fail(err, path, "", "nothing to export or out of memory") : false);
    if (!ok && !o.ok && !json && err && !err->message[0])
        mh_fail(err, path, "", "out of memory");
    free(json);
    free(o.bin.data);
    free(o.made);
    cJSON_Delete(o.root);
    return ok;
}
