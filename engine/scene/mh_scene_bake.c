/* mh_scene_bake.c - applying the hall's baked light (mh_scene.h) when the scene is
 * built: the key check, reading light.json and its lightmap, and laying the
 * floor as a grid that carries the baked occlusion and the lightmap. */
#include "mh_scene.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/mh_fs.h"
#include "../core/mh_log.h"
#include "../asset/mh_png.h"
#include "mh_scene_internal.h"

#define BAKE_JSON_MAX (64 * 1024)
#define HALL_JSON_MAX (16 * 1024 * 1024)
#define LIGHTMAP_MAX_PX (4096 * 4096)
#define ROUGH_NO_LIGHTMAP 0.75f /* from this roughness a floor box shows no reflection */

uint64_t mh_bake_key(const char *hall_dir)
{
    char path[4096], *data = NULL;
    size_t size = 0;
    mh_error err;
    if (!mh_fs_join(hall_dir, "hall.json", path, sizeof path) ||
        !mh_fs_read(path, hall_dir, HALL_JSON_MAX, &data, &size, &err))
        return 0;
    uint64_t h = 0xcbf29ce484222325ull;
    const char *salt = MH_BAKE_FORMAT;
    for (const char *c = salt; *c; c++)
        h = (h ^ (uint8_t)*c) * 0x100000001b3ull;
    for (size_t i = 0; i < size; i++)
        h = (h ^ (uint8_t)data[i]) * 0x100000001b3ull;
    free(data);
    return h ? h : 1;
}

int mh_bake_floor_shape(const mh_hall_desc *h)
{
    int best = -1;
    float best_area = 0;
    for (int i = 0; i < h->shape_count; i++) {
        const mh_shape_desc *s = &h->shapes[i];
        float top = s->pos.y + s->size.y, area = s->size.x * s->size.z;
        if (s->kind != MH_SHAPE_BOX || s->texture < 0 || fabsf(top) > 0.005f || s->rot_deg.x != 0 ||
            s->rot_deg.y != 0 || s->rot_deg.z != 0 || area <= best_area)
            continue;
        best = i;
        best_area = area;
    }
    return best;
}

void mh_bake_floor_rect(const mh_hall_desc *h, int shape, mh_vec2 *min, mh_vec2 *max, float *y)
{
    const mh_shape_desc *s = &h->shapes[shape];
    *min = (mh_vec2){s->pos.x - s->size.x * 0.5f, s->pos.z - s->size.z * 0.5f};
    *max = (mh_vec2){s->pos.x + s->size.x * 0.5f, s->pos.z + s->size.z * 0.5f};
    *y = s->pos.y + s->size.y;
}

void mh_bake_free(mh_bake *b)
{
    free(b->rgba);
    b->rgba = NULL;
}

/* light.json's fields checked against the hall; the lightmap's path on success. */
static bool bake_parse(const mh_hall_desc *h, const char *json_path, const char *text, size_t size, mh_bake *out,
                       char *image, size_t image_size)
{
    cJSON *root = cJSON_ParseWithLength(text, size);
    const cJSON *key = cJSON_GetObjectItemCaseSensitive(root, "hall_key");
    const cJSON *floor = cJSON_GetObjectItemCaseSensitive(root, "floor");
    const cJSON *shape = cJSON_GetObjectItemCaseSensitive(floor, "shape");
    const cJSON *file = cJSON_GetObjectItemCaseSensitive(floor, "image");
    const cJSON *format = cJSON_GetObjectItemCaseSensitive(root, "format");
    bool ok = false;
    char want[32];
    snprintf(want, sizeof want, "%016" PRIx64, mh_bake_key(h->dir));
    if (!root || !cJSON_IsString(format) || strcmp(format->valuestring, MH_BAKE_FORMAT) != 0)
        mh_log_warn("hall", "%s: not a %s file (baked light ignored)", json_path, MH_BAKE_FORMAT);
    else if (!cJSON_IsString(key) || strcmp(key->valuestring, want) != 0)
        mh_log_warn("hall",
                    "%s: baked for another hall.json (stale: key %.20s, hall.json's %s); baked light ignored, "
                    "rebake with `cmake --build build --target assets`",
                    json_path, cJSON_IsString(key) ? key->valuestring : "none", want);
    else if (!cJSON_IsNumber(shape) || shape->valueint != mh_bake_floor_shape(h) || !cJSON_IsString(file) ||
             !mh_fs_join_inside(h->dir, file->valuestring, image, image_size))
        mh_log_warn("hall", "%s: /floor does not match the hall's floor (baked light ignored)", json_path);
    else {
        out->floor_shape = shape->valueint;
        ok = true;
    }
    cJSON_Delete(root);
    return ok;
}

bool mh_bake_load(const mh_hall_desc *h, mh_bake *out)
{
    *out = (mh_bake){.floor_shape = -1, .texture = -1};
    if (!h->dir)
        return false;
    /* a benchmark's stacked hall keeps the hall as its ground storey (the
       bake goes there, mh_scene_add_floor_box), a spread one does not */
    for (int i = 0; i < h->booth_count; i++)
        if (h->booths[i].copy_of)
            return false; /* a spread benchmark hall */
    char json_path[4096], image[4096], *text = NULL;
    size_t size = 0;
    mh_error err;
    if (!mh_fs_join(h->dir, MH_BAKE_FILE, json_path, sizeof json_path) || !mh_fs_is_file(json_path)) {
        mh_log_info("hall", "no baked light (%s) in %s", MH_BAKE_FILE, h->dir);
        return false;
    }
    if (!mh_fs_read(json_path, h->dir, BAKE_JSON_MAX, &text, &size, &err)) {
        mh_log_warn("hall", "%s: %s (baked light ignored)", json_path, err.message);
        return false;
    }
    bool ok = bake_parse(h, json_path, text, size, out, image, sizeof image);
    free(text);
    if (!ok)
        return false;
    mh_image img;
    if (!mh_png_load_in(image, h->dir, LIGHTMAP_MAX_PX, &img, &err)) {
        char msg[1024];
        mh_log_warn("hall", "%s (baked light ignored)", mh_error_text(&err, msg, sizeof msg));
        return false;
    }
    out->width = img.width;
    out->height = img.height;
    out->rgba = img.rgba;
    mh_bake_floor_rect(h, out->floor_shape, &out->min, &out->max, &out->y);
    return true;
}

/* The lightmap's alpha (occlusion, 0..1) at (x, z), bilinear between texel centres. */
static float bake_ao(const mh_bake *b, const uint8_t *px, float x, float z)
{
    float fx = (x - b->min.x) / (b->max.x - b->min.x) * (float)b->width - 0.5f;
    float fz = (z - b->min.y) / (b->max.y - b->min.y) * (float)b->height - 0.5f;
    fx = mh_clampf(fx, 0, (float)b->width - 1);
    fz = mh_clampf(fz, 0, (float)b->height - 1);
    int x0 = (int)fx, z0 = (int)fz, x1 = x0 + 1 < b->width ? x0 + 1 : x0, z1 = z0 + 1 < b->height ? z0 + 1 : z0;
    float tx = fx - (float)x0, tz = fz - (float)z0;
#define A(ix, iz) ((float)px[((size_t)(iz) * (size_t)b->width + (size_t)(ix)) * 4 + 3])
    float a = A(x0, z0) + (A(x1, z0) - A(x0, z0)) * tx;
    float c = A(x0, z1) + (A(x1, z1) - A(x0, z1)) * tx;
#undef A
    return (a + (c - a) * tz) / 255.0f;
}

void mh_scene_use_bake(mh_scene *sc, mh_bake *b)
{
    sc->bake = NULL;
    if (!b || !b->rgba)
        return;
    b->texture = mh_scene_add_texture(sc, (mh_scene_texture){.width = b->width,
                                                             .height = b->height,
                                                             .rgba = b->rgba,
                                                             .srgb = true,
                                                             .wrap_s = MH_GLTF_WRAP_CLAMP_TO_EDGE,
                                                             .wrap_t = MH_GLTF_WRAP_CLAMP_TO_EDGE});
    b->rgba = NULL; /* the scene's now (freed by it on failure too) */
    if (b->texture >= 0)
        sc->bake = b;
}

/* base_material with the lightmap as its emissive texture (set 1). */
static int lightmap_material(mh_scene *sc, int base_material)
{
    mh_material m = sc->materials[base_material];
    m.slots[MH_TEX_EMISSIVE] = (mh_material_slot){.texture = sc->bake->texture, .set = 1, .xform = {1, 0, 0, 1, 0, 0}};
    m.emissive[0] = m.emissive[1] = m.emissive[2] = 1;
    return mh_scene_add_material(sc, &m);
}

/* Drops the triangles of indices [first, end) that use a vertex of
 * [first_vertex, end) facing up (the box's top face, replaced by the grid);
 * returns one such vertex, UINT32_MAX when there is none. */
static uint32_t drop_top_face(mh_mesh_data *m, uint32_t first_vertex, uint32_t first, mh_vec3 up)
{
    uint32_t top = UINT32_MAX, out = first;
    for (uint32_t t = first; t + 2 < m->index_count; t += 3) {
        bool is_top = false;
        for (int k = 0; k < 3; k++) {
            const mh_vertex *v = &m->vertices[m->indices[t + k]];
            if (m->indices[t + k] >= first_vertex &&
                v->normal[0] * up.x + v->normal[1] * up.y + v->normal[2] * up.z > 0.99f) {
                is_top = true;
                top = m->indices[t + k];
            }
        }
        if (is_top)
            continue;
        memmove(&m->indices[out], &m->indices[t], sizeof(uint32_t) * 3);
        out += 3;
    }
    m->index_count = out;
    return top;
}

/* The grid over the box's top: local (a, b) in [-hx, hx] x [-hz, hz] at
 * height sy, placed by xf; texture coordinates as mh_mesh_add_box gives its
 * top face (u along +x, v along +z, repeating every uv_scale metres). */
static void add_top_grid(mh_scene *sc, mh_mat4 xf, mh_vec3 size, mh_surface surf, mh_vertex tmpl)
{
    mh_mesh_data *m = &sc->mesh;
    const mh_bake *bk = sc->bake;
    float hx = size.x * 0.5f, hz = size.z * 0.5f;
    float su = surf.uv_scale > 0 ? size.x / surf.uv_scale : 1, sv = surf.uv_scale > 0 ? size.z / surf.uv_scale : 1;
    int nx = (int)ceilf(size.x / MH_BAKE_GRID_M), nz = (int)ceilf(size.z / MH_BAKE_GRID_M);
    nx = nx < 1 ? 1 : nx;
    nz = nz < 1 ? 1 : nz;
    if (!mh_mesh_reserve(m, (uint32_t)((nx + 1) * (nz + 1)), (uint32_t)(nx * nz * 6)))
        return;
    const uint8_t *px = sc->textures[bk->texture].rgba;
    uint32_t base = m->vertex_count;
    for (int j = 0; j <= nz; j++)
        for (int i = 0; i <= nx; i++) {
            float a = -hx + size.x * (float)i / (float)nx, b = -hz + size.z * (float)j / (float)nz;
            mh_vec3 w = mh_m4_mul_point(xf, mh_v3(a, size.y, b));
            mh_vertex v = tmpl;
            v.pos[0] = w.x;
            v.pos[1] = w.y;
            v.pos[2] = w.z;
            v.uv[0] = (a / hx * 0.5f + 0.5f) * su;
            v.uv[1] = (0.5f + b / hz * 0.5f) * sv;
            v.uv1[0] = (w.x - bk->min.x) / (bk->max.x - bk->min.x);
            v.uv1[1] = (w.z - bk->min.y) / (bk->max.y - bk->min.y);
            if (px)
                v.params[3] = (uint8_t)((float)tmpl.params[3] * bake_ao(bk, px, w.x, w.z) + 0.5f);
            m->vertices[m->vertex_count++] = v;
        }
    mh_mesh_grid_indices(m, base, nz, nx); /* counter-clockwise seen from above */
}

void mh_scene_add_floor_box(mh_scene *sc, mh_mat4 xf, mh_vec3 size, mh_surface surf, int base_material)
{
    mh_mesh_data *m = &sc->mesh;
    mh_scene_begin_chunk(sc, base_material, MH_SCENE_GROUP_HALL, -1);
    uint32_t v0 = m->vertex_count, i0 = m->index_count;
    mh_mesh_add_box(m, xf, size, surf);
    mh_vec3 top = mh_m4_mul_point(xf, mh_v3(0, size.y, 0)), up = mh_v3_norm(mh_m4_mul_dir(xf, mh_v3(0, 1, 0)));
    if (!sc->bake || m->failed || up.y < 0.999f || fabsf(top.y - sc->bake->y) > 0.05f)
        return; /* no bake, or not lying on the floor */
    uint32_t t = drop_top_face(m, v0, i0, up);
    if (t == UINT32_MAX)
        return;
    mh_vertex tmpl = m->vertices[t];
    /* the lightmap is mostly the stone's reflection: a rough surface (a
     * carpet) takes the occlusion alone and pays no texture fetch */
    bool rough = surf.roughness >= ROUGH_NO_LIGHTMAP;
    mh_scene_begin_chunk(sc, rough ? base_material : lightmap_material(sc, base_material), MH_SCENE_GROUP_HALL, -1);
    add_top_grid(sc, xf, size, surf, tmpl);
}
