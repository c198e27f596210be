/* mh_scene_booth_light.c - the baked light on the booths' back walls
 * (mh_scene.h): which part of a booth template is its back wall and how
 * its front face's vertex grid lies (shared by the bake in assets/generator
 * and the runtime), the key of a template, reading light.json's "booths",
 * and laying each booth's back wall as a grid whose vertices carry the
 * template's occlusion and its glow, tinted by the booth's accent (no
 * texture fetch when drawn; an atlas a block a booth for the export). */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/mh_log.h"
#include "mh_scene_internal.h"

#define BOOTH_FACE 4 /* the box's +z face (mh_mesh_box_face): the booth's front */
#define TERMS 5      /* occlusion, fixed rgb, accent */
#define ATLAS_MAX_W 1024

int mh_bake_booth_wall(const mh_booth_template *t)
{
    int best = -1;
    float best_area = 0;
    for (int k = 0; k < t->part_count; k++) {
        const mh_shape_desc *s = &t->parts[k].shape;
        float area = s->size.x * s->size.y;
        if (s->kind != MH_SHAPE_BOX || s->rot_deg.x != 0 || s->rot_deg.y != 0 || s->rot_deg.z != 0 || s->emissive > 0 ||
            s->size.y < MH_BAKE_WALL_MIN_H || s->size.x <= s->size.z || area <= best_area)
            continue;
        best = k;
        best_area = area;
    }
    return best;
}

int mh_bake_booth_grid(const mh_booth_template *t, int part, float *rows_out, int *rows)
{
    const mh_shape_desc *s = &t->parts[part].shape;
    *rows = mh_bake_wall_rows(s->pos.y, s->size.y, rows_out);
    int cols = (int)ceilf(s->size.x / MH_BAKE_BOOTH_COL_M - 0.01f) + 1;
    return cols < 2 ? 2 : cols > MH_BAKE_BOOTH_COLS_MAX ? MH_BAKE_BOOTH_COLS_MAX : cols;
}

void mh_bake_booth_point(const mh_booth_template *t, int part, int cols, const float *rows, int i, int j, mh_vec3 *pos,
                         mh_vec3 *normal)
{
    const mh_shape_desc *s = &t->parts[part].shape;
    mh_vec3 c[4];
    mh_mesh_box_face(s->size, BOOTH_FACE, c, normal);
    float u = (float)i / (float)(cols - 1), v = rows[j] / s->size.y;
    mh_vec3 p =
        mh_v3_add(c[0], mh_v3_add(mh_v3_scale(mh_v3_sub(c[1], c[0]), u), mh_v3_scale(mh_v3_sub(c[3], c[0]), v)));
    *pos = mh_v3_add(s->pos, p);
}

static uint64_t fnv(uint64_t h, const void *data, size_t n)
{
    const uint8_t *b = data;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ull;
    return h;
}

uint64_t mh_bake_booth_key(const mh_booth_template *t)
{
    uint64_t h = fnv(0xcbf29ce484222325ull, MH_BAKE_FORMAT, strlen(MH_BAKE_FORMAT));
    for (int k = 0; k < t->part_count; k++) {
        const mh_booth_part *p = &t->parts[k];
        const mh_shape_desc *s = &p->shape;
        float f[] = {s->pos.x,     s->pos.y,     s->pos.z,     s->size.x,  s->size.y,  s->size.z,
                     s->rot_deg.x, s->rot_deg.y, s->rot_deg.z, s->color.x, s->color.y, s->color.z,
                     s->emissive,  s->top,       s->thickness, p->shade};
        int n[] = {(int)s->kind, s->segments, (int)p->role};
        h = fnv(fnv(h, f, sizeof f), n, sizeof n);
    }
    float neutral[3] = {t->neutral.x, t->neutral.y, t->neutral.z}, rows[MH_BAKE_WALL_ROWS_MAX];
    int part = mh_bake_booth_wall(t), nrows = 0, cols = part >= 0 ? mh_bake_booth_grid(t, part, rows, &nrows) : 0;
    int grid[3] = {part, cols, nrows};
    h = fnv(fnv(h, neutral, sizeof neutral), grid, sizeof grid);
    return h ? h : 1;
}

/* ---- reading --------------------------------------------------------------- */

/* The most light a term may carry (the bake's are under 1): a larger or a
 * negative one is a broken file, whose sums could reach infinity or NaN. */
#define TERM_MAX 16.0

/* Array `name` of entry e: n numbers in [0, TERM_MAX], number i into
 * out[(i / per) * TERMS + i % per]. */
static bool read_floats(const cJSON *e, const char *name, float *out, int n, int per)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(e, name);
    if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) != n)
        return false;
    int i = 0;
    for (const cJSON *v = a->child; v; v = v->next, i++) {
        if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0 && v->valuedouble <= TERM_MAX))
            return false;
        out[(size_t)(i / per) * TERMS + (size_t)(i % per)] = (float)v->valuedouble;
    }
    return true;
}

/* Entry e of light.json's "booths" into template t's slot of out. */
static bool read_entry(const mh_hall_desc *h, const cJSON *e, mh_bake *out, const char *json_path)
{
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(e, "template");
    const cJSON *key = cJSON_GetObjectItemCaseSensitive(e, "key");
    int t = cJSON_IsString(name) ? mh_booth_template_find(h->templates, h->template_count, name->valuestring) : -1;
    if (t < 0) {
        mh_log_warn("hall", "%s: /booths names no template of the hall (%s); ignored", json_path,
                    cJSON_IsString(name) ? name->valuestring : "no name");
        return false;
    }
    const mh_booth_template *tp = &h->templates[t];
    char want[32];
    snprintf(want, sizeof want, "%016" PRIx64, mh_bake_booth_key(tp));
    float rows[MH_BAKE_WALL_ROWS_MAX];
    int part = mh_bake_booth_wall(tp), nrows = 0, cols = part >= 0 ? mh_bake_booth_grid(tp, part, rows, &nrows) : 0;
    if (part < 0 || !cJSON_IsString(key) || strcmp(key->valuestring, want) != 0) {
        mh_log_warn("hall",
                    "%s: the booth template %s's baked light is stale (key %.20s, the template's %s): its back "
                    "wall unlit, rebake with `cmake --build build --target assets`",
                    json_path, tp->name, cJSON_IsString(key) ? key->valuestring : "none", want);
        return false;
    }
    int n = cols * nrows;
    float *terms = malloc(sizeof *terms * TERMS * (size_t)n);
    if (!terms)
        return false;
    bool ok = read_floats(e, "ao", terms, n, 1) && read_floats(e, "fixed", terms + 1, 3 * n, 3) &&
              read_floats(e, "accent", terms + 4, n, 1);
    if (!ok) {
        mh_log_warn("hall",
                    "%s: /booths: template %s's terms are not %d vertices' numbers in [0, %g] (its back wall unlit)",
                    json_path, tp->name, n, TERM_MAX);
        free(terms);
        return false;
    }
    free(out->booths[t].terms);
    out->booths[t] = (mh_bake_booth){.part = part, .cols = cols, .rows = nrows, .terms = terms};
    return true;
}

void mh_bake_read_booths(const mh_hall_desc *h, const char *json_path, const struct cJSON *booths, mh_bake *out)
{
    for (int t = 0; t < MH_MAX_BOOTH_TEMPLATES; t++)
        out->booths[t] = (mh_bake_booth){.part = -1};
    if (!cJSON_IsArray(booths)) {
        mh_log_info("hall", "%s: no baked light on the booths", json_path);
        return;
    }
    int n = 0;
    for (const cJSON *e = booths->child; e; e = e->next)
        n += read_entry(h, e, out, json_path);
    mh_log_info("hall", "%s: baked light on the back walls of %d booth template(s)", json_path, n);
}

/* ---- the atlas --------------------------------------------------------------- */

static mh_vec3 booth_accent(const mh_hall_desc *h, int booth)
{
    const mh_exhibit_desc *x = &h->booths[booth].exhibit;
    return x->loaded ? x->accent : mh_v3(0.3f, 0.3f, 0.3f); /* as the booth is coloured */
}

/* The wall's colour as the booth shows it, less what is metal. */
static mh_vec3 wall_albedo(const mh_booth_template *t, int part, mh_vec3 accent)
{
    return mh_v3_scale(mh_booth_part_color(t, part, accent), 1 - t->parts[part].shape.metallic);
}

/* Vertex v's light on a booth: linear rgb. */
static mh_vec3 vertex_light(const float *term, mh_vec3 albedo, mh_vec3 accent)
{
    return mh_v3(mh_clampf(albedo.x * (term[1] + term[4] * accent.x), 0, 1),
                 mh_clampf(albedo.y * (term[2] + term[4] * accent.y), 0, 1),
                 mh_clampf(albedo.z * (term[3] + term[4] * accent.z), 0, 1));
}

/* Booth `booth`'s block: its first vertex's texel. */
static void block_origin(const mh_bake *b, int booth, int *x, int *y)
{
    *x = (booth % b->booth_blocks_across) * b->booth_block_w + 1;
    *y = 2 + (booth / b->booth_blocks_across) * b->booth_block_h + 1;
}

/* Every booth's block: its light (sRGB) and occlusion, the border repeating the edge. */
static void fill_atlas(const mh_hall_desc *h, const mh_bake *b, uint8_t *px)
{
    for (int i = 0; i < h->booth_count; i++) {
        if (h->booths[i].storey != 0)
            continue; /* the bake applies to the ground storey (a stacked benchmark's hall) */
        const mh_booth_template *t = &h->templates[h->booths[i].template_index];
        const mh_bake_booth *bb = &b->booths[h->booths[i].template_index];
        if (bb->part < 0)
            continue;
        mh_vec3 accent = booth_accent(h, i), albedo = wall_albedo(t, bb->part, accent);
        int x0, y0;
        block_origin(b, i, &x0, &y0);
        for (int j = -1; j <= bb->rows; j++)
            for (int c = -1; c <= bb->cols; c++) {
                int sc = c < 0           ? 0
                         : c >= bb->cols ? bb->cols - 1
                                         : c,
                    sj = j < 0           ? 0
                         : j >= bb->rows ? bb->rows - 1
                                         : j;
                const float *term = &bb->terms[((size_t)sj * (size_t)bb->cols + (size_t)sc) * TERMS];
                mh_vec3 l = vertex_light(term, albedo, accent);
                uint8_t *p = px + ((size_t)(y0 + j) * (size_t)b->booth_atlas_w + (size_t)(x0 + c)) * 4;
                p[0] = (uint8_t)(mh_linear_to_srgb(l.x) * 255 + 0.5f);
                p[1] = (uint8_t)(mh_linear_to_srgb(l.y) * 255 + 0.5f);
                p[2] = (uint8_t)(mh_linear_to_srgb(l.z) * 255 + 0.5f);
                p[3] = (uint8_t)(mh_clampf(term[0], 0, 1) * 255 + 0.5f);
            }
    }
}

void mh_bake_use_booths(mh_scene *sc, const mh_hall_desc *h)
{
    mh_bake *b = sc->bake;
    if (!b)
        return;
    b->booth_texture = b->booth_material = -1;
    int bw = 0, bh = 0, blocks = 0; /* a block a booth of the ground storey, as big as the largest grid */
    for (int t = 0; t < h->template_count && t < MH_MAX_BOOTH_TEMPLATES; t++)
        if (b->booths[t].part >= 0) {
            bw = b->booths[t].cols + 2 > bw ? b->booths[t].cols + 2 : bw;
            bh = b->booths[t].rows + 2 > bh ? b->booths[t].rows + 2 : bh;
        }
    for (int i = 0; i < h->booth_count; i++)
        blocks = h->booths[i].storey == 0 ? i + 1 : blocks;
    if (bw == 0 || blocks == 0 || sc->material_count == 0)
        return;
    b->booth_block_w = bw;
    b->booth_block_h = bh;
    b->booth_blocks_across = ATLAS_MAX_W / bw;
    int across = blocks < b->booth_blocks_across ? blocks : b->booth_blocks_across;
    int down = (blocks + b->booth_blocks_across - 1) / b->booth_blocks_across;
    b->booth_atlas_w = across * bw + 1;
    b->booth_atlas_h = 2 + down * bh + 1;
    uint8_t *px = calloc((size_t)b->booth_atlas_w * (size_t)b->booth_atlas_h, 4);
    if (!px) {
        mh_log_warn("hall", "out of memory for the booths' baked light (ignored)");
        return;
    }
    fill_atlas(h, b, px);
    b->booth_texture = mh_scene_add_texture(sc, (mh_scene_texture){.width = b->booth_atlas_w,
                                                                   .height = b->booth_atlas_h,
                                                                   .rgba = px,
                                                                   .srgb = true,
                                                                   .wrap_s = MH_GLTF_WRAP_CLAMP_TO_EDGE,
                                                                   .wrap_t = MH_GLTF_WRAP_CLAMP_TO_EDGE,
                                                                   .min_filter = MH_GLTF_FILTER_LINEAR,
                                                                   .mag_filter = MH_GLTF_FILTER_LINEAR});
    if (b->booth_texture < 0)
        return;
    mh_material m = sc->materials[0];
    m.slots[MH_TEX_EMISSIVE] = (mh_material_slot){.texture = b->booth_texture, .set = 1, .xform = {1, 0, 0, 1, 0, 0}};
    m.emissive[0] = m.emissive[1] = m.emissive[2] = 1;
    m.vertex_emissive = true;
    b->booth_material = mh_scene_add_material(sc, &m);
}

/* ---- laying them ----------------------------------------------------------- */

static const mh_bake_booth *booth_bake(const mh_scene *sc, const mh_hall_desc *h, int booth)
{
    const mh_bake *b = sc->bake;
    if (!b || b->booth_material < 0 || booth < 0 || booth >= h->booth_count || h->booths[booth].storey != 0)
        return NULL;
    const mh_bake_booth *bb = &b->booths[h->booths[booth].template_index];
    return bb->part >= 0 ? bb : NULL;
}

/* The back wall's front face as the grid: vertex (i, j) from the face's
 * corners as the box lays them (colour, material bytes, texture
 * coordinates), with the template's occlusion and the booth's light. */
static void add_grid(mh_scene *sc, const mh_hall_desc *h, int booth, const mh_vertex *face, mh_vec3 accent)
{
    const mh_bake_booth *bb = booth_bake(sc, h, booth);
    const mh_booth_template *t = &h->templates[h->booths[booth].template_index];
    const mh_bake *bk = sc->bake;
    mh_mesh_data *m = &sc->mesh;
    if (!mh_mesh_reserve(m, (uint32_t)(bb->cols * bb->rows), (uint32_t)((bb->cols - 1) * (bb->rows - 1) * 6)))
        return;
    float rows[MH_BAKE_WALL_ROWS_MAX], height = t->parts[bb->part].shape.size.y;
    int nrows;
    mh_bake_booth_grid(t, bb->part, rows, &nrows);
    mh_vec3 albedo = wall_albedo(t, bb->part, accent);
    int x0, y0;
    block_origin(bk, booth, &x0, &y0);
    uint32_t base = m->vertex_count;
    for (int j = 0; j < bb->rows; j++)
        for (int i = 0; i < bb->cols; i++) {
            float u = (float)i / (float)(bb->cols - 1);
            mh_vertex foot = mh_bake_lerp_vertex(&face[0], &face[1], u),
                      top = mh_bake_lerp_vertex(&face[3], &face[2], u);
            mh_vertex x = mh_bake_lerp_vertex(&foot, &top, rows[j] / height);
            const float *term = &bb->terms[((size_t)j * (size_t)bb->cols + (size_t)i) * TERMS];
            mh_vec3 l = vertex_light(term, albedo, accent);
            x.uv1[0] = ((float)(x0 + i) + 0.5f) / (float)bk->booth_atlas_w;
            x.uv1[1] = ((float)(y0 + j) + 0.5f) / (float)bk->booth_atlas_h;
            x.params[3] = (uint8_t)((float)face[0].params[3] * mh_clampf(term[0], 0, 1) + 0.5f);
            x.tangent[0] = (int16_t)(l.x * 32767.0f + 0.5f);
            x.tangent[1] = (int16_t)(l.y * 32767.0f + 0.5f);
            x.tangent[2] = (int16_t)(l.z * 32767.0f + 0.5f);
            x.tangent[3] = 0;
            m->vertices[m->vertex_count++] = x;
        }
    for (int j = 0; j + 1 < bb->rows; j++)
        for (int i = 0; i + 1 < bb->cols; i++) {
            uint32_t a = base + (uint32_t)(j * bb->cols + i), d = a + (uint32_t)bb->cols,
                     *ix = &m->indices[m->index_count];
            ix[0] = a, ix[1] = a + 1, ix[2] = d + 1, ix[3] = a, ix[4] = d + 1, ix[5] = d;
            m->index_count += 6;
        }
}

/* Part k of the template as booth parts are laid: coloured by its role. */
static mh_shape_desc part_shape(const mh_booth_template *t, int k, mh_vec3 accent)
{
    mh_shape_desc s = t->parts[k].shape;
    s.color = mh_booth_part_color(t, k, accent);
    return s;
}

bool mh_scene_add_booth_parts(mh_scene *sc, const mh_hall_desc *h, int booth, mh_mat4 xf, mh_vec3 accent)
{
    const mh_booth_template *t = &h->templates[h->booths[booth].template_index];
    const mh_bake_booth *bb = booth_bake(sc, h, booth);
    mh_mesh_data *m = &sc->mesh;
    bool baked = false;
    for (int k = 0; k < t->part_count; k++) {
        mh_shape_desc s = part_shape(t, k, accent);
        uint32_t v0 = m->vertex_count, i0 = m->index_count;
        mh_mesh_add_shape(m, &s, xf);
        if (!bb || k != bb->part || m->failed || m->vertex_count - v0 < 24)
            continue;
        uint32_t f = i0 + BOOTH_FACE * 6; /* a box: two triangles a face, in face order */
        memmove(&m->indices[f], &m->indices[f + 6], sizeof(uint32_t) * (m->index_count - f - 6));
        m->index_count -= 6;
        baked = true;
    }
    return baked;
}

void mh_scene_add_booth_wall(mh_scene *sc, const mh_hall_desc *h, int booth, mh_mat4 xf)
{
    const mh_bake_booth *bb = booth_bake(sc, h, booth);
    if (!bb)
        return;
    /* the face's corners as the booth's parts lay them (colour, material
       bytes, texture coordinates) */
    mh_vec3 accent = booth_accent(h, booth);
    mh_shape_desc s = part_shape(&h->templates[h->booths[booth].template_index], bb->part, accent);
    mh_mesh_data tmp = {0};
    mh_mesh_add_shape(&tmp, &s, xf);
    if (!tmp.failed && tmp.vertex_count >= 24) {
        /* a chunk of its own: under the levels of detail's 400 triangles (the
           simplifier would fold the flat grid into two triangles carrying its
           ends' accent light over the whole wall) */
        mh_scene_close_chunk(sc);
        mh_scene_begin_chunk(sc, sc->bake->booth_material, booth, -1);
        add_grid(sc, h, booth, &tmp.vertices[BOOTH_FACE * 4], accent);
        mh_scene_close_chunk(sc);
    }
    mh_mesh_free(&tmp);
}
