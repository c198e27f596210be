/* mh_scene_bake.c - applying the hall's baked light (mh_scene.h) when the scene is
 * built: the key check, reading light.json and its lightmap, and laying the
 * floor as a grid that carries the baked occlusion and the lightmap: its
 * colour in the vertices where the light between a cell's corners is smooth
 * (most of the floor, pools included: no texture fetch there), the lightmap
 * fetched on the cells with detail (shadow edges, reflected strips). */
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

#define BAKE_JSON_MAX (1024 * 1024)
#define HALL_JSON_MAX (16 * 1024 * 1024)
#define LIGHTMAP_MAX_PX (4096 * 4096)
#define ROUGH_NO_LIGHTMAP 0.75f /* from this roughness a floor box shows no reflection */
/* A floor cell whose light its corners carry within FLAT_LEVELS (sRGB levels
 * of 255, over a floor of DARK_FLOOR linear, against the lightmap smoothed
 * over 3x3 texels: the bake's ray noise left out) draws it per vertex, with
 * no texture fetch; the others (shadow edges, reflected strips and dots)
 * fetch the lightmap. */
#define FLAT_LEVELS 8.0f
#define DARK_FLOOR 0.02f

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
    free(b->light);
    free(b->even);
    free(b->walls_rgba);
    free(b->walls_light);
    b->rgba = b->walls_rgba = NULL;
    b->light = b->even = b->walls_light = NULL;
    b->wall_count = 0;
    for (int t = 0; t < MH_MAX_BOOTH_TEMPLATES; t++) {
        free(b->booths[t].terms);
        b->booths[t] = (mh_bake_booth){.part = -1};
    }
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
        mh_bake_read_walls(h, json_path, cJSON_GetObjectItemCaseSensitive(root, "walls"), out);
        mh_bake_read_booths(h, json_path, cJSON_GetObjectItemCaseSensitive(root, "booths"), out);
        ok = true;
    }
    cJSON_Delete(root);
    return ok;
}

bool mh_bake_load(const mh_hall_desc *h, mh_bake *out)
{
    *out = (mh_bake){.floor_shape = -1, .texture = -1, .walls_texture = -1, .booth_texture = -1, .booth_material = -1};
    for (int t = 0; t < MH_MAX_BOOTH_TEMPLATES; t++)
        out->booths[t].part = -1;
    if (!h->dir || h->no_bake)
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
        mh_bake_free(out); /* the walls' atlas, read with light.json */
        return false;
    }
    out->width = img.width;
    out->height = img.height;
    out->rgba = img.rgba;
    mh_bake_floor_rect(h, out->floor_shape, &out->min, &out->max, &out->y);
    return true;
}

/* The bake's per-texel values (`stride` floats a texel, channel `ch`) at
 * (x, z), bilinear between texel centres as the sampler reads them. */
static float bake_at(const mh_bake *b, const float *v, int stride, int ch, float x, float z)
{
    float fx = (x - b->min.x) / (b->max.x - b->min.x) * (float)b->width - 0.5f;
    float fz = (z - b->min.y) / (b->max.y - b->min.y) * (float)b->height - 0.5f;
    fx = mh_clampf(fx, 0, (float)b->width - 1);
    fz = mh_clampf(fz, 0, (float)b->height - 1);
    int x0 = (int)fx, z0 = (int)fz, x1 = x0 + 1 < b->width ? x0 + 1 : x0, z1 = z0 + 1 < b->height ? z0 + 1 : z0;
    float tx = fx - (float)x0, tz = fz - (float)z0;
#define V(ix, iz) v[((size_t)(iz) * (size_t)b->width + (size_t)(ix)) * (size_t)stride + (size_t)ch]
    float a = V(x0, z0) + (V(x1, z0) - V(x0, z0)) * tx;
    float c = V(x0, z1) + (V(x1, z1) - V(x0, z1)) * tx;
#undef V
    return a + (c - a) * tz;
}

/* b->light from b->rgba: linear rgb and the occlusion; b->even: the rgb
 * smoothed over 3x3 texels (the bake's ray noise evened out). */
static bool bake_decode(mh_bake *b)
{
    int w = b->width, h = b->height;
    size_t n = (size_t)w * (size_t)h;
    b->light = malloc(sizeof(float) * 4 * n);
    b->even = malloc(sizeof(float) * 3 * n);
    if (!b->light || !b->even)
        return false;
    float lut[256];
    for (int i = 0; i < 256; i++)
        lut[i] = mh_srgb_to_linear((float)i / 255.0f);
    for (size_t i = 0; i < n; i++) {
        for (int c = 0; c < 3; c++)
            b->light[i * 4 + (size_t)c] = lut[b->rgba[i * 4 + (size_t)c]];
        b->light[i * 4 + 3] = (float)b->rgba[i * 4 + 3] / 255.0f;
    }
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            for (int c = 0; c < 3; c++) {
                float sum = 0;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++) {
                        int sx = x + dx < 0 ? 0 : x + dx >= w ? w - 1 : x + dx;
                        int sy = y + dy < 0 ? 0 : y + dy >= h ? h - 1 : y + dy;
                        sum += b->light[((size_t)sy * (size_t)w + (size_t)sx) * 4 + (size_t)c];
                    }
                b->even[((size_t)y * (size_t)w + (size_t)x) * 3 + (size_t)c] = sum / 9.0f;
            }
    return true;
}

void mh_scene_use_bake(mh_scene *sc, mh_bake *b)
{
    sc->bake = NULL;
    if (!b || !b->rgba)
        return;
    if (!bake_decode(b)) {
        mh_log_warn("hall", "out of memory for the baked light (ignored)");
        return;
    }
    b->texture = mh_scene_add_texture(sc, (mh_scene_texture){.width = b->width,
                                                             .height = b->height,
                                                             .rgba = b->rgba,
                                                             .srgb = true,
                                                             .wrap_s = MH_GLTF_WRAP_CLAMP_TO_EDGE,
                                                             .wrap_t = MH_GLTF_WRAP_CLAMP_TO_EDGE});
    b->rgba = NULL; /* the scene's now (freed by it on failure too) */
    if (b->texture >= 0) {
        sc->bake = b;
        mh_bake_use_walls(sc, b);
    }
}

/* base_material with the lightmap as its emissive texture (set 1); per
 * vertex: the same, drawn with the vertices' copy of it (no fetch). */
static int lightmap_material(mh_scene *sc, int base_material, bool per_vertex)
{
    mh_material m = sc->materials[base_material];
    m.slots[MH_TEX_EMISSIVE] = (mh_material_slot){.texture = sc->bake->texture, .set = 1, .xform = {1, 0, 0, 1, 0, 0}};
    m.emissive[0] = m.emissive[1] = m.emissive[2] = 1;
    m.vertex_emissive = per_vertex;
    m.reflects = true; /* only a polished floor gets here (ROUGH_NO_LIGHTMAP) */
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

typedef struct top_grid {
    int nx, nz;
    uint32_t base; /* the first vertex, row by row (nx + 1 a row) */
} top_grid;

/* The grid over the box's top: local (a, b) in [-hx, hx] x [-hz, hz] at
 * height sy, placed by xf; texture coordinates as mh_mesh_add_box gives its
 * top face (u along +x, v along +z, repeating every uv_scale metres). Each
 * vertex carries the occlusion (params[3]) and the lightmap's colour there
 * (tangent xyz, linear, snorm16). */
static bool add_top_grid(mh_scene *sc, mh_mat4 xf, mh_vec3 size, mh_surface surf, mh_vertex tmpl, top_grid *g)
{
    mh_mesh_data *m = &sc->mesh;
    const mh_bake *bk = sc->bake;
    float hx = size.x * 0.5f, hz = size.z * 0.5f;
    float su = surf.uv_scale > 0 ? size.x / surf.uv_scale : 1, sv = surf.uv_scale > 0 ? size.z / surf.uv_scale : 1;
    int nx = (int)ceilf(size.x / MH_BAKE_GRID_M), nz = (int)ceilf(size.z / MH_BAKE_GRID_M);
    g->nx = nx = nx < 1 ? 1 : nx;
    g->nz = nz = nz < 1 ? 1 : nz;
    if (!mh_mesh_reserve(m, (uint32_t)((nx + 1) * (nz + 1)), (uint32_t)(nx * nz * 6)))
        return false;
    g->base = m->vertex_count;
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
            v.params[3] = (uint8_t)((float)tmpl.params[3] * bake_at(bk, bk->light, 4, 3, w.x, w.z) + 0.5f);
            for (int c = 0; c < 3; c++)
                v.tangent[c] = (int16_t)(mh_clampf(bake_at(bk, bk->light, 4, c, w.x, w.z), 0, 1) * 32767.0f + 0.5f);
            v.tangent[3] = 0;
            m->vertices[m->vertex_count++] = v;
        }
    return true;
}

#define SRGB_STEPS 4096 /* the sRGB curve's table for cell_error, linear between its steps */

/* The sRGB levels (of 255) of `linear` light over a dark floor. */
static float srgb_levels(const float *curve, float linear)
{
    float f = mh_clampf(DARK_FLOOR + linear, 0, 1) * (SRGB_STEPS - 1);
    int i = (int)f;
    i = i > SRGB_STEPS - 2 ? SRGB_STEPS - 2 : i;
    return curve[i] + (curve[i + 1] - curve[i]) * (f - (float)i);
}

/* How far (sRGB levels over a dark floor) the light interpolated over cell
 * (i, j)'s two triangles strays from the smoothed lightmap at the centres of
 * the texels in it: the most of any texel and channel. */
static float cell_error(const mh_scene *sc, const top_grid *g, const float *curve, int i, int j)
{
    const mh_bake *bk = sc->bake;
    const mh_vertex *v = sc->mesh.vertices;
    uint32_t a = g->base + (uint32_t)(j * (g->nx + 1) + i), b = a + (uint32_t)g->nx + 1;
    const mh_vertex *c[4] = {&v[a], &v[a + 1], &v[b], &v[b + 1]}; /* (0,0) (1,0) (0,1) (1,1) */
    float e1x = c[1]->pos[0] - c[0]->pos[0], e1z = c[1]->pos[2] - c[0]->pos[2];
    float e2x = c[2]->pos[0] - c[0]->pos[0], e2z = c[2]->pos[2] - c[0]->pos[2];
    float l1 = e1x * e1x + e1z * e1z, l2 = e2x * e2x + e2z * e2z;
    float lo_x = c[0]->pos[0], hi_x = lo_x, lo_z = c[0]->pos[2], hi_z = lo_z;
    for (int k = 1; k < 4; k++) {
        lo_x = fminf(lo_x, c[k]->pos[0]), hi_x = fmaxf(hi_x, c[k]->pos[0]);
        lo_z = fminf(lo_z, c[k]->pos[2]), hi_z = fmaxf(hi_z, c[k]->pos[2]);
    }
    float tw = (bk->max.x - bk->min.x) / (float)bk->width, th = (bk->max.y - bk->min.y) / (float)bk->height;
    int x0 = (int)ceilf((lo_x - bk->min.x) / tw - 0.5f), x1 = (int)floorf((hi_x - bk->min.x) / tw - 0.5f);
    int z0 = (int)ceilf((lo_z - bk->min.y) / th - 0.5f), z1 = (int)floorf((hi_z - bk->min.y) / th - 0.5f);
    x0 = x0 < 0 ? 0 : x0, z0 = z0 < 0 ? 0 : z0;
    x1 = x1 >= bk->width ? bk->width - 1 : x1, z1 = z1 >= bk->height ? bk->height - 1 : z1;
    float worst = 0;
    for (int tz = z0; tz <= z1; tz++)
        for (int tx = x0; tx <= x1; tx++) {
            float px = bk->min.x + ((float)tx + 0.5f) * tw - c[0]->pos[0];
            float pz = bk->min.y + ((float)tz + 0.5f) * th - c[0]->pos[2];
            float s = l1 > 0 ? (px * e1x + pz * e1z) / l1 : 0, t = l2 > 0 ? (px * e2x + pz * e2z) / l2 : 0;
            const float *want = &bk->even[((size_t)tz * (size_t)bk->width + (size_t)tx) * 3];
            for (int ch = 0; ch < 3; ch++) {
                float k[4];
                for (int q = 0; q < 4; q++)
                    k[q] = (float)c[q]->tangent[ch] / 32767.0f;
                float got = s + t <= 1 ? k[0] + (k[1] - k[0]) * s + (k[2] - k[0]) * t
                                       : k[3] + (k[2] - k[3]) * (1 - s) + (k[1] - k[3]) * (1 - t);
                worst = fmaxf(worst, fabsf(srgb_levels(curve, got) - srgb_levels(curve, want[ch])));
            }
        }
    return worst;
}

/* The grid's cells whose light the vertices carry (flat) or not, two
 * triangles each, counter-clockwise seen from above (as mh_mesh_grid_indices). */
static void grid_cells(mh_scene *sc, const top_grid *g, const float *err, bool flat)
{
    mh_mesh_data *m = &sc->mesh;
    for (int j = 0; j < g->nz; j++)
        for (int i = 0; i < g->nx; i++) {
            if ((err[j * g->nx + i] <= FLAT_LEVELS) != flat)
                continue;
            uint32_t a = g->base + (uint32_t)(j * (g->nx + 1) + i);
            mh_mesh_grid_cell(m, a, a + (uint32_t)g->nx + 1);
        }
}

/* The grid's triangles: the flat cells in a chunk drawn with the vertices'
 * light, the rest in one that fetches the lightmap (both index the grid's
 * vertices, so both chunks' bounds are the whole grid). */
static void grid_chunks(mh_scene *sc, const top_grid *g, int base_material)
{
    int cells = g->nx * g->nz, flat = 0;
    float *err = malloc(sizeof *err * (size_t)cells), *curve = malloc(sizeof *curve * SRGB_STEPS);
    if (!err || !curve) {
        free(err);
        free(curve);
        sc->mesh.failed = true;
        return;
    }
    for (int i = 0; i < SRGB_STEPS; i++)
        curve[i] = mh_linear_to_srgb((float)i / (SRGB_STEPS - 1)) * 255.0f;
    for (int j = 0; j < g->nz; j++)
        for (int i = 0; i < g->nx; i++)
            flat += (err[j * g->nx + i] = cell_error(sc, g, curve, i, j)) <= FLAT_LEVELS;
    free(curve);
    mh_log_info("hall", "the floor's baked light: %d of %d cells per vertex", flat, cells);
    for (int pass = 0; pass < 2; pass++) {
        bool per_vertex = pass == 0;
        if (per_vertex ? flat == 0 : flat == cells)
            continue;
        mh_scene_begin_chunk(sc, lightmap_material(sc, base_material, per_vertex), MH_SCENE_GROUP_HALL, -1);
        sc->open_chunk_first_vertex = g->base;
        grid_cells(sc, g, err, per_vertex);
    }
    free(err);
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
    top_grid g;
    if (!add_top_grid(sc, xf, size, surf, m->vertices[t], &g))
        return;
    if (surf.roughness >= ROUGH_NO_LIGHTMAP) {
        /* the lightmap is mostly the stone's reflection: a rough surface (a
         * carpet) takes the occlusion alone */
        mh_scene_begin_chunk(sc, base_material, MH_SCENE_GROUP_HALL, -1); /* the box's chunk goes on */
        mh_mesh_grid_indices(m, g.base, g.nz, g.nx);
    } else
        grid_chunks(sc, &g, base_material);
}
