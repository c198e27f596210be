/* mh_export.c - a minimal, validator-clean GLB writer: one static mesh (the
 * landmarks the asset generator makes), or a whole built hall with its
 * textures (metahall export). */
#include "mh_export.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The triangles of one primitive, re-indexed so the primitive is compact:
 * remap (one entry per mesh vertex, UINT32_MAX = not taken) gives a mesh
 * vertex's new index; src remembers which mesh vertex each new one is, so
 * only those entries are reset afterwards. */
typedef struct prim_data {
    float *pos, *nrm, *uv, *col;
    uint32_t *idx, *src;
    uint32_t nv, ni;
    float mn[3], mx[3];
} prim_data;

static bool prim_alloc(prim_data *p, uint32_t max_indices)
{
    size_t n = (size_t)max_indices + 1;   /* a primitive never has more vertices than indices */
    *p = (prim_data){malloc(sizeof(float) * 3 * n), malloc(sizeof(float) * 3 * n), malloc(sizeof(float) * 2 * n),
                     malloc(sizeof(float) * 3 * n), malloc(sizeof(uint32_t) * n), malloc(sizeof(uint32_t) * n),
                     0, 0, {FLT_MAX, FLT_MAX, FLT_MAX}, {-FLT_MAX, -FLT_MAX, -FLT_MAX}};
    return p->pos && p->nrm && p->uv && p->col && p->idx && p->src;
}

static void prim_free(prim_data *p, uint32_t *remap)
{
    for (uint32_t i = 0; p->src && i < p->nv; i++)
        remap[p->src[i]] = UINT32_MAX;
    free(p->pos);
    free(p->nrm);
    free(p->uv);
    free(p->col);
    free(p->idx);
    free(p->src);
}

/* Takes the triangles of indices[first, first + count) whose first vertex
 * glows at 50% or more (unlit) or less (lit). */
static void prim_take(prim_data *p, const mh_mesh_data *m, uint32_t first, uint32_t count, bool unlit,
                      uint32_t *remap)
{
    for (uint32_t t = first; t + 2 < first + count; t += 3) {
        if ((m->vertices[m->indices[t]].params[0] >= 128) != unlit)
            continue;
        for (int k = 0; k < 3; k++) {
            uint32_t v = m->indices[t + k];
            if (remap[v] == UINT32_MAX) {
                const mh_vertex *s = &m->vertices[v];
                remap[v] = p->nv;
                p->src[p->nv] = v;
                for (int c = 0; c < 3; c++) {
                    p->pos[3 * p->nv + c] = s->pos[c];
                    p->nrm[3 * p->nv + c] = s->normal[c];
                    p->col[3 * p->nv + c] = mh_srgb_to_linear((float)s->color[c] / 255.0f);
                    p->mn[c] = fminf(p->mn[c], s->pos[c]);
                    p->mx[c] = fmaxf(p->mx[c], s->pos[c]);
                }
                p->uv[2 * p->nv] = s->uv[0];
                p->uv[2 * p->nv + 1] = s->uv[1];
                p->nv++;
            }
            p->idx[p->ni++] = remap[v];
        }
    }
}

/* Adds what was taken as one primitive of prims (nothing when empty). */
static void prim_emit(cJSON *root, blob *bin, cJSON *prims, const prim_data *p, bool with_uv, int material)
{
    if (p->ni == 0)
        return;
    cJSON *prim = cJSON_CreateObject(), *attrs = cJSON_CreateObject();
    cJSON_AddNumberToObject(attrs, "POSITION", add_accessor(root, bin, p->pos, (int)p->nv, 3, false, p->mn, p->mx));
    cJSON_AddNumberToObject(attrs, "NORMAL", add_accessor(root, bin, p->nrm, (int)p->nv, 3, false, NULL, NULL));
    if (with_uv)
        cJSON_AddNumberToObject(attrs, "TEXCOORD_0", add_accessor(root, bin, p->uv, (int)p->nv, 2, false, NULL, NULL));
    cJSON_AddNumberToObject(attrs, "COLOR_0", add_accessor(root, bin, p->col, (int)p->nv, 3, false, NULL, NULL));
    cJSON_AddItemToObject(prim, "attributes", attrs);
    cJSON_AddNumberToObject(prim, "indices", add_accessor(root, bin, p->idx, (int)p->ni, 1, true, NULL, NULL));
    cJSON_AddNumberToObject(prim, "material", material);
    cJSON_AddItemToArray(prims, prim);
}

/* The single mesh's two primitives: lit, then unlit. */
static bool add_primitives(cJSON *root, cJSON *prims, blob *bin, const mh_mesh_data *m)
{
    uint32_t *remap = malloc(sizeof *remap * ((size_t)m->vertex_count + 1));
    bool ok = remap != NULL;
    for (uint32_t i = 0; ok && i < m->vertex_count; i++)
        remap[i] = UINT32_MAX;
    for (int unlit = 0; ok && unlit < 2; unlit++) {
        prim_data p;
        ok = prim_alloc(&p, m->index_count);
        if (ok) {
            prim_take(&p, m, 0, m->index_count, unlit != 0, remap);
            prim_emit(root, bin, prims, &p, false, unlit);
        }
        prim_free(&p, remap);
    }
    free(remap);
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
    bool ok = add_primitives(root, prims, &bin, m);
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

/* ---- a whole hall ------------------------------------------------------ */

typedef struct hall_out {
    cJSON *root, *materials, *images, *textures;
    blob bin;
    int *material_of;        /* [texture * 2 + unlit] -> material index, -1 = none yet */
    int *image_of;           /* per scene texture: glTF texture index, -1 = none yet */
    const mh_scene *image_scene;
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
    o->ok = put(&o->bin, zero, (4 - o->bin.size % 4) % 4) && o->ok;   /* keep accessors 4-aligned */
    *out_view = cJSON_GetArraySize(views) - 1;
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
    cJSON_AddNumberToObject(tex, "sampler", st->repeat ? 0 : 1);
    cJSON_AddItemToArray(o->textures, tex);
    return o->image_of[t] = cJSON_GetArraySize(o->textures) - 1;
}

static int material_of(hall_out *o, const mh_scene *sc, int texture, bool unlit)
{
    int *slot = &o->material_of[texture * 2 + unlit];
    if (*slot >= 0)
        return *slot;
    cJSON *m = cJSON_CreateObject(), *pbr = cJSON_CreateObject();
    char name[48];
    if (texture)
        snprintf(name, sizeof name, "texture %d%s", texture, unlit ? " glow" : "");
    else
        snprintf(name, sizeof name, "plain%s", unlit ? " glow" : "");
    if (texture) {
        cJSON *info = cJSON_CreateObject();
        cJSON_AddNumberToObject(info, "index", texture_of(o, sc, texture));
        cJSON_AddItemToObject(pbr, "baseColorTexture", info);
    }
    cJSON_AddStringToObject(m, "name", name);
    cJSON_AddNumberToObject(pbr, "metallicFactor", 0);
    cJSON_AddNumberToObject(pbr, "roughnessFactor", 0.6);
    cJSON_AddItemToObject(m, "pbrMetallicRoughness", pbr);
    if (unlit) {
        cJSON *ext = cJSON_CreateObject();
        cJSON_AddItemToObject(ext, "KHR_materials_unlit", cJSON_CreateObject());
        cJSON_AddItemToObject(m, "extensions", ext);
    }
    cJSON_AddItemToArray(o->materials, m);
    return *slot = cJSON_GetArraySize(o->materials) - 1;
}

/* The triangles of one part (hall or booth) with one texture, lit or unlit,
 * as one primitive. */
static void add_part_primitive(hall_out *o, cJSON *prims, const mh_scene *sc, int group, int texture, bool unlit,
                               uint32_t *remap)
{
    uint32_t n = 0;
    for (int c = 0; c < sc->chunk_count; c++)
        if (sc->chunks[c].group == group && sc->chunks[c].texture == texture)
            n += sc->chunks[c].index_count;
    if (n == 0)
        return;
    prim_data p;
    if (prim_alloc(&p, n)) {
        for (int c = 0; c < sc->chunk_count; c++) {
            const mh_scene_chunk *ch = &sc->chunks[c];
            if (ch->group == group && ch->texture == texture)
                prim_take(&p, &sc->mesh, ch->first_index, ch->index_count, unlit, remap);
        }
        if (p.ni)
            prim_emit(o->root, &o->bin, prims, &p, texture != 0, material_of(o, sc, texture, unlit));
    } else {
        o->ok = false;
    }
    prim_free(&p, remap);
}

/* One node: a part of a scene (the hall's own chunks, or a booth's), its
 * primitives one per texture and lit/unlit. */
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
    for (int t = 0; t < sc->texture_count; t++)
        for (int unlit = 0; unlit < 2; unlit++)
            add_part_primitive(o, prims, sc, group, t, unlit != 0, remap);
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

static cJSON *samplers(void)
{
    cJSON *list = cJSON_CreateArray();
    for (int clamp = 0; clamp < 2; clamp++) {
        cJSON *s = cJSON_CreateObject();
        cJSON_AddNumberToObject(s, "magFilter", 9729);   /* LINEAR */
        cJSON_AddNumberToObject(s, "minFilter", 9987);   /* LINEAR_MIPMAP_LINEAR */
        cJSON_AddNumberToObject(s, "wrapS", clamp ? 33071 : 10497);
        cJSON_AddNumberToObject(s, "wrapT", clamp ? 33071 : 10497);
        cJSON_AddItemToArray(list, s);
    }
    return list;
}

/* Adds every part of one scene, with its own texture and material tables. */
static void add_scene_parts(hall_out *o, cJSON *nodes, const mh_scene *sc, const mh_hall_desc *h, const char *what)
{
    int *mats = malloc(sizeof *mats * (size_t)(sc->texture_count * 2 + 1));
    int *imgs = malloc(sizeof *imgs * (size_t)(sc->texture_count + 1));
    if (!mats || !imgs) {
        free(mats);
        free(imgs);
        o->ok = false;
        return;
    }
    for (int i = 0; i < sc->texture_count * 2; i++)
        mats[i] = -1;
    for (int i = 0; i < sc->texture_count; i++)
        imgs[i] = -1;
    o->material_of = mats;
    o->image_of = imgs;
    add_part(o, nodes, sc, MH_SCENE_GROUP_HALL, what);
    for (int b = 0; h && b < h->booth_count; b++) {
        char name[96];
        snprintf(name, sizeof name, "booth %d: %s", b + 1, h->booths[b].exhibit.id);
        add_part(o, nodes, sc, b, name);
    }
    free(mats);
    free(imgs);
}

bool mh_export_hall_glb(const char *path, const mh_hall_desc *h, const mh_scene *hall, const mh_scene *feature,
                        const char *generator, mh_error *err)
{
    hall_out o = {.root = cJSON_CreateObject(), .ok = true, .err = err};
    cJSON *asset = cJSON_CreateObject();
    cJSON_AddStringToObject(asset, "version", "2.0");
    cJSON_AddStringToObject(asset, "generator", generator);
    cJSON_AddItemToObject(o.root, "asset", asset);
    cJSON_AddItemToObject(o.root, "extensionsUsed", cJSON_CreateStringArray((const char *[]){"KHR_materials_unlit"}, 1));
    cJSON_AddItemToObject(o.root, "bufferViews", cJSON_CreateArray());
    cJSON_AddItemToObject(o.root, "accessors", cJSON_CreateArray());
    cJSON_AddItemToObject(o.root, "meshes", cJSON_CreateArray());
    cJSON_AddItemToObject(o.root, "materials", o.materials = cJSON_CreateArray());
    cJSON_AddItemToObject(o.root, "images", o.images = cJSON_CreateArray());
    cJSON_AddItemToObject(o.root, "textures", o.textures = cJSON_CreateArray());
    cJSON_AddItemToObject(o.root, "samplers", samplers());
    cJSON *nodes = cJSON_CreateArray();
    add_scene_parts(&o, nodes, hall, h, "hall");
    if (feature && feature->chunk_count)
        add_scene_parts(&o, nodes, feature, NULL, "stage: featured exhibit");
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
    if (cJSON_GetArraySize(o.images) == 0) {   /* the validator dislikes empty arrays */
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
    cJSON_Delete(o.root);
    return ok;
}
