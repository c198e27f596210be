/* mh_export.c - a minimal, validator-clean GLB writer for static meshes. */
#include "mh_export.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
 * (comps == 1) uint32 indices; returns the accessor index. */
static int add_accessor(cJSON *root, blob *bin, const void *data, int count, int comps, bool indices,
                        const float *mn, const float *mx)
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

/* One primitive from the triangles whose first vertex has glow >= 128 (unlit)
 * or < 128 (lit). Vertices are re-indexed so each primitive is compact. */
static bool add_primitive(cJSON *root, cJSON *prims, blob *bin, const mh_mesh_data *m, bool unlit)
{
    uint32_t *remap = malloc(sizeof(uint32_t) * m->vertex_count);
    uint32_t *idx = malloc(sizeof(uint32_t) * (m->index_count + 1));
    float *pos = malloc(sizeof(float) * 3 * m->vertex_count), *nrm = malloc(sizeof(float) * 3 * m->vertex_count);
    float *col = malloc(sizeof(float) * 4 * m->vertex_count);
    bool ok = remap && idx && pos && nrm && col;
    uint32_t nv = 0, ni = 0;
    float mn[3] = {FLT_MAX, FLT_MAX, FLT_MAX}, mx[3] = {-FLT_MAX, -FLT_MAX, -FLT_MAX};
    for (uint32_t i = 0; ok && i < m->vertex_count; i++)
        remap[i] = UINT32_MAX;
    for (uint32_t t = 0; ok && t + 2 < m->index_count; t += 3) {
        if ((m->vertices[m->indices[t]].params[0] >= 128) != unlit)
            continue;
        for (int k = 0; k < 3; k++) {
            uint32_t v = m->indices[t + k];
            if (remap[v] == UINT32_MAX) {
                const mh_vertex *s = &m->vertices[v];
                remap[v] = nv;
                for (int c = 0; c < 3; c++) {
                    pos[3 * nv + c] = s->pos[c];
                    nrm[3 * nv + c] = s->normal[c];
                    col[4 * nv + c] = mh_srgb_to_linear((float)s->color[c] / 255.0f);
                    mn[c] = fminf(mn[c], s->pos[c]);
                    mx[c] = fmaxf(mx[c], s->pos[c]);
                }
                col[4 * nv + 3] = 1.0f;
                nv++;
            }
            idx[ni++] = remap[v];
        }
    }
    if (ok && ni > 0) {
        cJSON *p = cJSON_CreateObject(), *attrs = cJSON_CreateObject();
        cJSON_AddNumberToObject(attrs, "POSITION", add_accessor(root, bin, pos, (int)nv, 3, false, mn, mx));
        cJSON_AddNumberToObject(attrs, "NORMAL", add_accessor(root, bin, nrm, (int)nv, 3, false, NULL, NULL));
        cJSON_AddNumberToObject(attrs, "COLOR_0", add_accessor(root, bin, col, (int)nv, 4, false, NULL, NULL));
        cJSON_AddItemToObject(p, "attributes", attrs);
        cJSON_AddNumberToObject(p, "indices", add_accessor(root, bin, idx, (int)ni, 1, true, NULL, NULL));
        cJSON_AddNumberToObject(p, "material", unlit ? 1 : 0);
        cJSON_AddItemToArray(prims, p);
    }
    free(remap);
    free(idx);
    free(pos);
    free(nrm);
    free(col);
    return ok;
}

static cJSON *materials(void)
{
    cJSON *mats = cJSON_CreateArray();
    for (int unlit = 0; unlit < 2; unlit++) {
        cJSON *m = cJSON_CreateObject(), *pbr = cJSON_CreateObject();
        cJSON_AddStringToObject(m, "name", unlit ? "glow" : "surface");
        cJSON_AddNumberToObject(pbr, "metallicFactor", 0);
        cJSON_AddNumberToObject(pbr, "roughnessFactor", 0.6);
        cJSON_AddItemToObject(m, "pbrMetallicRoughness", pbr);
        if (unlit) {
            cJSON *ext = cJSON_CreateObject();
            cJSON_AddItemToObject(ext, "KHR_materials_unlit", cJSON_CreateObject());
            cJSON_AddItemToObject(m, "extensions", ext);
        }
        cJSON_AddItemToArray(mats, m);
    }
    return mats;
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
    bool ok = add_primitive(root, prims, &bin, m, false) && add_primitive(root, prims, &bin, m, true);
    cJSON_AddItemToObject(mesh, "primitives", prims);
    cJSON *meshes = cJSON_CreateArray();
    cJSON_AddItemToArray(meshes, mesh);
    cJSON_AddItemToObject(root, "meshes", meshes);
    cJSON_AddItemToObject(root, "materials", materials());
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
    cJSON *buffer = cJSON_CreateObject();
    cJSON_AddNumberToObject(buffer, "byteLength", (double)bin.size);
    cJSON *buffers = cJSON_CreateArray();
    cJSON_AddItemToArray(buffers, buffer);
    cJSON_AddItemToObject(root, "buffers", buffers);
    char *json = ok ? cJSON_PrintUnformatted(root) : NULL;
    ok = json && cJSON_GetArraySize(prims) > 0 ? write_glb(path, json, &bin, err)
                                               : mh_fail(err, path, "", "nothing to export or out of memory");
    free(json);
    free(bin.data);
    cJSON_Delete(root);
    return ok;
}
