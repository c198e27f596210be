/* mh_scene_walls.c - the baked light on the hall's walls (mh_scene.h): which
 * faces of which walls are baked and how their vertex grids lie (shared by
 * the bake in assets/generator and the runtime; the columns' round sides
 * too), reading light.json's
 * "walls" and its atlas, and laying those faces as grids whose vertices
 * carry the occlusion and the light (no texture fetch when drawn). */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/mh_fs.h"
#include "../core/mh_log.h"
#include "mh_scene_internal.h"

#define WALLS_MAX_PX (1024 * 1024)

/* Shape i is a wall (an unrotated box, tall and thick) or a column (an
 * unrotated straight cylinder, tall), and does not glow. */
static bool is_wall(const mh_hall_desc *h, int i, int floor)
{
    const mh_shape_desc *s = &h->shapes[i];
    bool upright = s->rot_deg.x == 0 && s->rot_deg.y == 0 && s->rot_deg.z == 0 && s->emissive <= 0 && s->halo <= 0 &&
                   s->size.y >= MH_BAKE_WALL_MIN_H;
    bool wall = s->kind == MH_SHAPE_BOX && fminf(s->size.x, s->size.z) >= MH_BAKE_WALL_MIN_D;
    bool column = s->kind == MH_SHAPE_CYLINDER && s->top == 1;
    return i != floor && upright && (wall || column);
}

static int segments(const mh_shape_desc *s) { return s->segments ? s->segments : 32; /* as mh_mesh_add_shape */ }

int mh_bake_wall_rows(float base, float height, float *out)
{
    static const float over_floor[] = {0.25f, 0.6f, 1.1f, 1.8f, 2.8f, 4.2f, 6.0f};
    const int table = (int)(sizeof over_floor / sizeof *over_floor);
    int n = 0;
    out[n++] = 0;
    for (int k = 0; n < MH_BAKE_WALL_ROWS_MAX - 1; k++) {
        float y = k < table ? over_floor[k] : over_floor[table - 1] + 2.0f * (float)(k - table + 1);
        if (y - base > height - 0.5f)
            break;
        if (y - base > 0.1f)
            out[n++] = y - base;
    }
    out[n++] = height;
    return n;
}

int mh_bake_wall_faces(const mh_hall_desc *h, mh_bake_face *out, int *atlas_w, int *atlas_h)
{
    static const int sides[4] = {0, 1, 4, 5};
    int floor = mh_bake_floor_shape(h), n = 0;
    *atlas_w = *atlas_h = 0;
    if (floor < 0)
        return 0;
    mh_vec2 lo, hi;
    float fy;
    mh_bake_floor_rect(h, floor, &lo, &hi, &fy);
    for (int i = 0; i < h->shape_count && n < MH_BAKE_WALLS_MAX; i++) {
        if (!is_wall(h, i, floor))
            continue;
        const mh_shape_desc *s = &h->shapes[i];
        bool round = s->kind == MH_SHAPE_CYLINDER;
        for (int k = 0; k < (round ? 1 : 4) && n < MH_BAKE_WALLS_MAX; k++) {
            mh_vec3 c[4] = {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}}, nrm = {0, 0, 0};
            if (!round)
                mh_mesh_box_face(s->size, sides[k], c, &nrm);
            /* the face's middle (a column's axis), a little out: over the floor, so inside the hall */
            float x = s->pos.x + (c[0].x + c[2].x) * 0.5f + nrm.x * 0.1f;
            float z = s->pos.z + (c[0].z + c[2].z) * 0.5f + nrm.z * 0.1f;
            if (x <= lo.x || x >= hi.x || z <= lo.y || z >= hi.y)
                continue;
            float rows[MH_BAKE_WALL_ROWS_MAX], width = mh_v3_len(mh_v3_sub(c[1], c[0]));
            int cols = round ? segments(s) + 1 : (int)ceilf(width / MH_BAKE_WALL_COL_M - 0.01f) + 1;
            out[n] = (mh_bake_face){.shape = i,
                                    .face = round ? MH_BAKE_FACE_ROUND : sides[k],
                                    .cols = cols < 2 ? 2 : cols,
                                    .rows = mh_bake_wall_rows(s->pos.y - fy, s->size.y, rows),
                                    .x = 1,
                                    .y = *atlas_h + 1,
                                    .base = s->pos.y - fy};
            *atlas_w = out[n].cols + 2 > *atlas_w ? out[n].cols + 2 : *atlas_w;
            *atlas_h += out[n].rows + 2;
            n++;
        }
    }
    return n;
}

void mh_bake_wall_point(const mh_hall_desc *h, const mh_bake_face *f, int i, int j, mh_vec3 *pos, mh_vec3 *normal)
{
    const mh_shape_desc *s = &h->shapes[f->shape];
    mh_vec3 c[4];
    float rows[MH_BAKE_WALL_ROWS_MAX];
    mh_bake_wall_rows(f->base, s->size.y, rows);
    float u = (float)i / (float)(f->cols - 1), v = rows[j] / s->size.y;
    if (f->face == MH_BAKE_FACE_ROUND) { /* as add_cylinder lays its side: angle 0 towards +z */
        float a = 2 * MH_PI * u, sa = sinf(a), ca = cosf(a);
        *normal = mh_v3(sa, 0, ca);
        *pos = mh_v3_add(s->pos, mh_v3(sa * 0.5f * s->size.x, rows[j], ca * 0.5f * s->size.z));
        return;
    }
    mh_mesh_box_face(s->size, f->face, c, normal);
    mh_vec3 p =
        mh_v3_add(c[0], mh_v3_add(mh_v3_scale(mh_v3_sub(c[1], c[0]), u), mh_v3_scale(mh_v3_sub(c[3], c[0]), v)));
    *pos = mh_v3_add(s->pos, p);
}

/* ---- reading --------------------------------------------------------------- */

/* "faces" as [[shape, face, cols, rows, x, y], ...] equal to the hall's own. */
static bool faces_match(const cJSON *faces, const mh_bake_face *want, int n)
{
    if (!cJSON_IsArray(faces) || cJSON_GetArraySize(faces) != n)
        return false;
    for (int i = 0; i < n; i++) {
        const cJSON *f = cJSON_GetArrayItem(faces, i);
        const int w[6] = {want[i].shape, want[i].face, want[i].cols, want[i].rows, want[i].x, want[i].y};
        if (!cJSON_IsArray(f) || cJSON_GetArraySize(f) != 6)
            return false;
        for (int k = 0; k < 6; k++) {
            const cJSON *v = cJSON_GetArrayItem(f, k);
            if (!cJSON_IsNumber(v) || v->valuedouble != (double)w[k])
                return false;
        }
    }
    return true;
}

/* The atlas's texels as linear light and occlusion. */
static bool walls_decode(mh_bake *b)
{
    size_t n = (size_t)b->walls_width * (size_t)b->walls_height;
    if (!(b->walls_light = malloc(sizeof(float) * 4 * n)))
        return false;
    for (size_t i = 0; i < n; i++) {
        for (int c = 0; c < 3; c++)
            b->walls_light[i * 4 + (size_t)c] = mh_srgb_to_linear((float)b->walls_rgba[i * 4 + (size_t)c] / 255.0f);
        b->walls_light[i * 4 + 3] = (float)b->walls_rgba[i * 4 + 3] / 255.0f;
    }
    return true;
}

void mh_bake_read_walls(const mh_hall_desc *h, const char *json_path, const struct cJSON *walls, mh_bake *out)
{
    out->wall_count = 0;
    if (!walls) {
        mh_log_info("hall", "%s: no baked light on the walls", json_path);
        return;
    }
    mh_bake_face want[MH_BAKE_WALLS_MAX];
    int w, hgt, n = mh_bake_wall_faces(h, want, &w, &hgt);
    const cJSON *file = cJSON_GetObjectItemCaseSensitive(walls, "image");
    const cJSON *size = cJSON_GetObjectItemCaseSensitive(walls, "size");
    char image[4096];
    if (n == 0 || !faces_match(cJSON_GetObjectItemCaseSensitive(walls, "faces"), want, n) || !cJSON_IsArray(size) ||
        cJSON_GetArraySize(size) != 2 || cJSON_GetArrayItem(size, 0)->valuedouble != w ||
        cJSON_GetArrayItem(size, 1)->valuedouble != hgt || !cJSON_IsString(file) ||
        !mh_fs_join_inside(h->dir, file->valuestring, image, sizeof image)) {
        mh_log_warn("hall", "%s: /walls does not match the hall's walls (their baked light ignored)", json_path);
        return;
    }
    mh_image img;
    mh_error err;
    if (!mh_png_load_in(image, h->dir, WALLS_MAX_PX, &img, &err)) {
        char msg[1024];
        mh_log_warn("hall", "%s (the walls' baked light ignored)", mh_error_text(&err, msg, sizeof msg));
        return;
    }
    if (img.width != w || img.height != hgt) {
        mh_log_warn("hall", "%s: %d x %d texels, light.json says %d x %d (the walls' baked light ignored)", image,
                    img.width, img.height, w, hgt);
        free(img.rgba);
        return;
    }
    out->walls_width = w;
    out->walls_height = hgt;
    out->walls_rgba = img.rgba;
    if (!walls_decode(out)) {
        mh_log_warn("hall", "out of memory for the walls' baked light (ignored)");
        return;
    }
    memcpy(out->walls, want, sizeof *want * (size_t)n);
    out->wall_count = n;
}

void mh_bake_use_walls(mh_scene *sc, mh_bake *b)
{
    b->walls_texture = -1;
    if (b->wall_count == 0 || !b->walls_rgba)
        return;
    b->walls_texture = mh_scene_add_texture(sc, (mh_scene_texture){.width = b->walls_width,
                                                                   .height = b->walls_height,
                                                                   .rgba = b->walls_rgba,
                                                                   .srgb = true,
                                                                   .wrap_s = MH_GLTF_WRAP_CLAMP_TO_EDGE,
                                                                   .wrap_t = MH_GLTF_WRAP_CLAMP_TO_EDGE,
                                                                   .min_filter = MH_GLTF_FILTER_LINEAR,
                                                                   .mag_filter = MH_GLTF_FILTER_LINEAR});
    b->walls_rgba = NULL; /* the scene's now */
    if (b->walls_texture < 0)
        b->wall_count = 0;
}

/* ---- laying them ----------------------------------------------------------- */

static bool baked(const mh_bake *b, int shape, int face)
{
    for (int i = 0; i < b->wall_count; i++)
        if (b->walls[i].shape == shape && (face < 0 || b->walls[i].face == face))
            return true;
    return false;
}

bool mh_scene_add_wall_box(mh_scene *sc, const mh_hall_desc *h, int shape)
{
    if (!sc->bake || !baked(sc->bake, shape, -1))
        return false;
    mh_mesh_data *m = &sc->mesh;
    uint32_t v0 = m->vertex_count, i0 = m->index_count, out = i0;
    mh_mesh_add_shape(m, &h->shapes[shape], mh_m4_identity());
    if (m->failed)
        return true;
    if (h->shapes[shape].kind == MH_SHAPE_CYLINDER) { /* its side: the first two triangles a segment */
        uint32_t side = (uint32_t)segments(&h->shapes[shape]) * 6;
        memmove(&m->indices[i0], &m->indices[i0 + side], sizeof(uint32_t) * (m->index_count - i0 - side));
        m->index_count -= side;
        return true;
    }
    for (uint32_t t = i0; t < m->index_count; t += 6) /* a box: two triangles a face, in face order */
        if (!baked(sc->bake, shape, (int)((m->indices[t] - v0) / 4))) {
            memmove(&m->indices[out], &m->indices[t], sizeof(uint32_t) * 6);
            out += 6;
        }
    m->index_count = out;
    return true;
}

mh_vertex mh_bake_lerp_vertex(const mh_vertex *a, const mh_vertex *b, float t)
{
    mh_vertex x = *a;
    for (int c = 0; c < 3; c++)
        x.pos[c] += (b->pos[c] - a->pos[c]) * t;
    for (int c = 0; c < 2; c++)
        x.uv[c] += (b->uv[c] - a->uv[c]) * t;
    return x;
}

/* Face f's columns of vertices as the scene would lay the shape (colour,
 * material bytes, texture coordinates): its foot and its top at each of
 * the f->cols columns. */
static bool face_columns(const mh_shape_desc *s, const mh_bake_face *f, mh_vertex *foot, mh_vertex *top)
{
    mh_mesh_data tmp = {0};
    mh_mesh_add_shape(&tmp, s, mh_m4_identity());
    bool round = f->face == MH_BAKE_FACE_ROUND;
    bool ok = !tmp.failed && tmp.vertex_count >= (round ? (uint32_t)f->cols * 2 : 24);
    for (int i = 0; ok && i < f->cols; i++) {
        float u = (float)i / (float)(f->cols - 1);
        const mh_vertex *c = &tmp.vertices[f->face * 4]; /* a box face's corners: (-1,-1) (1,-1) (1,1) (-1,1) */
        foot[i] = round ? tmp.vertices[2 * i] : mh_bake_lerp_vertex(&c[0], &c[1], u);
        top[i] = round ? tmp.vertices[2 * i + 1] : mh_bake_lerp_vertex(&c[3], &c[2], u);
    }
    mh_mesh_free(&tmp);
    return ok;
}

/* One face as a grid: vertex (i, j) up column i at row j's height, with the
 * atlas texel's light and occlusion; two triangles a cell, wound as the
 * shape's own. */
static void add_face_grid(mh_scene *sc, const mh_hall_desc *h, const mh_bake_face *f, const mh_vertex *foot,
                          const mh_vertex *top)
{
    const mh_bake *bk = sc->bake;
    mh_mesh_data *m = &sc->mesh;
    if (!mh_mesh_reserve(m, (uint32_t)(f->cols * f->rows), (uint32_t)((f->cols - 1) * (f->rows - 1) * 6)))
        return;
    uint32_t base = m->vertex_count;
    float rows[MH_BAKE_WALL_ROWS_MAX], height = h->shapes[f->shape].size.y;
    mh_bake_wall_rows(f->base, height, rows);
    for (int j = 0; j < f->rows; j++)
        for (int i = 0; i < f->cols; i++) {
            mh_vertex x = mh_bake_lerp_vertex(&foot[i], &top[i], rows[j] / height);
            int tx = f->x + i, ty = f->y + j;
            const float *l = &bk->walls_light[((size_t)ty * (size_t)bk->walls_width + (size_t)tx) * 4];
            x.uv1[0] = ((float)tx + 0.5f) / (float)bk->walls_width;
            x.uv1[1] = ((float)ty + 0.5f) / (float)bk->walls_height;
            x.params[3] = (uint8_t)((float)foot[i].params[3] * l[3] + 0.5f);
            for (int c = 0; c < 3; c++)
                x.tangent[c] = (int16_t)(mh_clampf(l[c], 0, 1) * 32767.0f + 0.5f);
            x.tangent[3] = 0;
            m->vertices[m->vertex_count++] = x;
        }
    for (int j = 0; j + 1 < f->rows; j++)
        for (int i = 0; i + 1 < f->cols; i++) {
            uint32_t a = base + (uint32_t)(j * f->cols + i), d = a + (uint32_t)f->cols,
                     *ix = &m->indices[m->index_count];
            ix[0] = a, ix[1] = a + 1, ix[2] = d + 1, ix[3] = a, ix[4] = d + 1, ix[5] = d;
            m->index_count += 6;
        }
}

/* The shape's material with the atlas as emissive texture, drawn per vertex. */
static int wall_material(mh_scene *sc, int base_material)
{
    mh_material w = sc->materials[base_material];
    w.slots[MH_TEX_EMISSIVE] =
        (mh_material_slot){.texture = sc->bake->walls_texture, .set = 1, .xform = {1, 0, 0, 1, 0, 0}};
    w.emissive[0] = w.emissive[1] = w.emissive[2] = 1;
    w.vertex_emissive = true;
    return mh_scene_add_material(sc, &w);
}

void mh_scene_add_wall_faces(mh_scene *sc, const mh_hall_desc *h)
{
    const mh_bake *bk = sc->bake;
    for (int k = 0; bk && k < bk->wall_count && !sc->mesh.failed; k++) {
        const mh_bake_face *f = &bk->walls[k];
        const mh_shape_desc *s = &h->shapes[f->shape];
        mh_vertex *cols = malloc(sizeof *cols * 2 * (size_t)f->cols);
        if (!cols || !face_columns(s, f, cols, cols + f->cols)) {
            free(cols);
            sc->mesh.failed = true;
            return;
        }
        mh_scene_close_chunk(sc); /* a chunk a face: each is culled on its own */
        mh_scene_begin_chunk(sc, wall_material(sc, s->texture >= 0 ? sc->hall_materials[s->texture] : 0),
                             MH_SCENE_GROUP_HALL, -1);
        add_face_grid(sc, h, f, cols, cols + f->cols);
        free(cols);
    }
    mh_scene_close_chunk(sc);
}
