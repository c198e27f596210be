/* mh_scene.c - building the hall's geometry, sign textures and collision
 * world from its description: architecture, stage, booths, signs. */
#include "mh_scene_internal.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "../core/mh_log.h"
#include "../core/mh_parallel.h"
#include "../core/mh_utf8.h"
#include "../asset/mh_gltf.h"
#include "../asset/mh_picture.h"
#include "../asset/mh_png.h"

#define PLATFORM_H 0.12f
#define SIGN_PX_PER_M 160.0f
#define SIGN_MAX_PX 1024
/* A baked sign keeps only the texels round its text (their bounding box
 * grown by SIGN_CROP texels and aligned to SIGN_CROP, so the crop's first
 * four mip levels hold the same texels as the whole sign's); the rest of
 * the sign shows its background texel. */
#define SIGN_CROP 16
#define FEATURED_SCALE 1.5f
#define WALL_T 0.16f /* booth back wall thickness */
#define SIGN_GAP 0.03f
/* The info sign under a booth's header: its top 2 cm under the wall's top,
 * 0.82 m tall, so its bottom (2.68 m) stays above a landmark of full height
 * (2.2 m, LANDMARK_FIT) as the booth view sees it (eye 1.6 m, 4.5 m from the landmark, 5.6
 * m from the wall); at 1.1 m the tallest landmark's top covered its text */
#define INFO_TOP 0.02f
#define INFO_H 0.82f
#define LANDMARK_FIT mh_v3(2.6f, 2.2f, 1.9f) /* the most a booth landmark may fill, metres */

/* ---- chunks, textures and materials ------------------------------------- */

mh_material mh_material_plain(void)
{
    mh_material m = {.normal_scale = 1, .occlusion_strength = 1, .alpha_cutoff = 0.5f};
    for (int i = 0; i < MH_TEX_SLOTS; i++)
        m.slots[i] = (mh_material_slot){.texture = -1, .xform = {1, 0, 0, 1, 0, 0}};
    return m;
}

bool mh_scene_grow(void **items, int count, int *cap, size_t size, int first_cap)
{
    if (count < *cap)
        return true;
    int n = *cap ? *cap * 2 : first_cap;
    void *p = realloc(*items, size * (size_t)n);
    if (!p)
        return false;
    *items = p;
    *cap = n;
    return true;
}

int mh_scene_add_texture(mh_scene *sc, mh_scene_texture t)
{
    if (!mh_scene_grow((void **)&sc->textures, sc->texture_count, &sc->texture_cap, sizeof t, 32)) {
        free(t.rgba);
        return -1;
    }
    sc->textures[sc->texture_count] = t;
    if (sc->watch.added)
        sc->watch.added(sc->watch.user, sc, sc->texture_count);
    return sc->texture_count++;
}

static bool slot_equal(const mh_material_slot *a, const mh_material_slot *b)
{
    if (a->texture != b->texture)
        return false;
    if (a->texture < 0)
        return true; /* an unused slot's set and transform do not matter */
    return a->set == b->set && memcmp(a->xform, b->xform, sizeof a->xform) == 0;
}

bool mh_material_same_look(const mh_material *a, const mh_material *b)
{
    for (int i = 0; i < MH_TEX_SLOTS; i++)
        if (!slot_equal(&a->slots[i], &b->slots[i]))
            return false;
    return memcmp(a->emissive, b->emissive, sizeof a->emissive) == 0 && a->normal_scale == b->normal_scale &&
           a->occlusion_strength == b->occlusion_strength && a->alpha_mode == b->alpha_mode &&
           (a->alpha_mode != MH_ALPHA_MASK || a->alpha_cutoff == b->alpha_cutoff) &&
           a->double_sided == b->double_sided && a->unlit == b->unlit && a->sdf == b->sdf;
}

static bool material_equal(const mh_material *a, const mh_material *b)
{
    return mh_material_same_look(a, b) && a->vertex_emissive == b->vertex_emissive && a->reflects == b->reflects;
}

int mh_scene_add_material(mh_scene *sc, const mh_material *m)
{
    for (int i = 0; i < sc->material_count; i++)
        if (material_equal(&sc->materials[i], m))
            return i;
    if (!mh_scene_grow((void **)&sc->materials, sc->material_count, &sc->material_cap, sizeof *m, 16)) {
        sc->mesh.failed = true;
        return 0;
    }
    sc->materials[sc->material_count] = *m;
    return sc->material_count++;
}

/* Closes the open chunk: its index count and bounds (world, or model
 * space for a motion); an empty one is dropped. */
void mh_scene_close_chunk(mh_scene *sc)
{
    mh_scene_chunk *c = sc->chunk_count ? &sc->chunks[sc->chunk_count - 1] : NULL;
    if (!c || c->index_count || c->first_index == UINT32_MAX)
        return;
    c->index_count = sc->mesh.index_count - c->first_index;
    mh_aabb b = mh_aabb_empty();
    for (uint32_t v = sc->open_chunk_first_vertex; v < sc->mesh.vertex_count; v++) {
        const float *p = sc->mesh.vertices[v].pos;
        mh_aabb_add_point(&b, mh_v3(p[0], p[1], p[2]));
    }
    if (c->motion >= 0) { /* placed by its rig's rest pose until the first animate */
        mh_scene_motion *mo = &sc->motions[c->motion];
        mo->local_bounds = b;
        mo->first_vertex = sc->open_chunk_first_vertex;
        mo->vertex_count = sc->mesh.vertex_count - sc->open_chunk_first_vertex;
        b = mh_aabb_transform(b, mo->world);
    }
    c->bounds = b;
    if (c->index_count == 0) {
        sc->chunk_count--;
        return;
    }
    mh_aabb_add_point(&sc->bounds, b.min);
    mh_aabb_add_point(&sc->bounds, b.max);
}

static void open_chunk(mh_scene *sc, int material, int group, int rig, int motion)
{
    mh_scene_close_chunk(sc);
    if (!mh_scene_grow((void **)&sc->chunks, sc->chunk_count, &sc->chunk_cap, sizeof *sc->chunks, 64)) {
        sc->mesh.failed = true;
        return;
    }
    sc->chunks[sc->chunk_count++] = (mh_scene_chunk){.first_index = sc->mesh.index_count,
                                                     .material = material,
                                                     .group = group,
                                                     .rig = rig,
                                                     .motion = motion,
                                                     .bounds = mh_aabb_empty()};
    sc->open_chunk_first_vertex = sc->mesh.vertex_count;
}

void mh_scene_begin_chunk(mh_scene *sc, int material, int group, int rig)
{
    const mh_scene_chunk *c = sc->chunk_count ? &sc->chunks[sc->chunk_count - 1] : NULL;
    if (c && c->index_count == 0 && c->material == material && c->group == group && c->rig == rig && c->motion < 0)
        return; /* the open one goes on */
    open_chunk(sc, material, group, rig, -1);
}

void mh_scene_begin_motion_chunk(mh_scene *sc, int material, int group, int rig, int motion)
{
    open_chunk(sc, material, group, rig, motion);
}

static void begin_chunk(mh_scene *sc, int material, int group) { mh_scene_begin_chunk(sc, material, group, -1); }
static void build_lods(mh_scene *sc, bool quadric);

/* ---- signs ------------------------------------------------------------- */

static void srgb8(mh_vec3 linear, uint8_t out[3])
{
    out[0] = (uint8_t)(mh_linear_to_srgb(mh_clampf(linear.x, 0, 1)) * 255 + 0.5f);
    out[1] = (uint8_t)(mh_linear_to_srgb(mh_clampf(linear.y, 0, 1)) * 255 + 0.5f);
    out[2] = (uint8_t)(mh_linear_to_srgb(mh_clampf(linear.z, 0, 1)) * 255 + 0.5f);
}

/* The crop of a baked sign (x0, y0, x1, y1 in texels, end exclusive): the
 * texels that differ from its top left one (the background), grown and
 * aligned to SIGN_CROP; the whole sign when that leaves no background
 * texel at the crop's corner to show round it. */
static void sign_crop_box(const mh_scene_texture *t, int box[4])
{
    int w = t->width, h = t->height, x0 = w, y0 = h, x1 = 0, y1 = 0;
    const uint8_t *bg = t->rgba;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if (memcmp(t->rgba + ((size_t)y * (size_t)w + (size_t)x) * 4, bg, 4) != 0) {
                x0 = x < x0 ? x : x0;
                y0 = y < y0 ? y : y0;
                x1 = x + 1 > x1 ? x + 1 : x1;
                y1 = y + 1 > y1 ? y + 1 : y1;
            }
    if (x1 == 0) /* no text: a corner of background is enough */
        x0 = y0 = x1 = y1 = 0;
    box[0] = x0 - SIGN_CROP < 0 ? 0 : (x0 - SIGN_CROP) / SIGN_CROP * SIGN_CROP;
    box[1] = y0 - SIGN_CROP < 0 ? 0 : (y0 - SIGN_CROP) / SIGN_CROP * SIGN_CROP;
    box[2] = (x1 + 2 * SIGN_CROP - 1) / SIGN_CROP * SIGN_CROP;
    box[3] = (y1 + 2 * SIGN_CROP - 1) / SIGN_CROP * SIGN_CROP;
    box[2] = box[2] > w ? w : box[2];
    box[3] = box[3] > h ? h : box[3];
    const uint8_t *corner = t->rgba + ((size_t)box[1] * (size_t)w + (size_t)box[0]) * 4;
    if (memcmp(corner, bg, 4) != 0) {
        box[0] = box[1] = 0;
        box[2] = w;
        box[3] = h;
    }
}

/* Keeps only the part of a baked sign round its text (see SIGN_CROP) and
 * says in sign_rect where on the sign it lies. */
static void crop_sign(mh_scene_texture *t)
{
    int b[4], w = t->width, h = t->height;
    sign_crop_box(t, b);
    int cw = b[2] - b[0], ch = b[3] - b[1];
    if (cw == w && ch == h)
        return;
    for (int y = 0; y < ch; y++) /* rows move towards the start: in place */
        memmove(t->rgba + (size_t)y * (size_t)cw * 4, t->rgba + ((size_t)(b[1] + y) * (size_t)w + (size_t)b[0]) * 4,
                (size_t)cw * 4);
    uint8_t *smaller = realloc(t->rgba, (size_t)cw * (size_t)ch * 4);
    t->rgba = smaller ? smaller : t->rgba;
    t->width = cw;
    t->height = ch;
    t->sign_rect[0] = (float)b[0] / (float)w;
    t->sign_rect[1] = (float)b[1] / (float)h;
    t->sign_rect[2] = (float)b[2] / (float)w;
    t->sign_rect[3] = (float)b[3] / (float)h;
}

/* Bakes a sign's text into a new texture; returns its index (-1 on failure). */
static int bake_sign(mh_scene *sc, mh_sign_text text, const mh_sign_desc *s)
{
    float scale = SIGN_PX_PER_M;
    if (s->size.x * scale > SIGN_MAX_PX)
        scale = SIGN_MAX_PX / s->size.x;
    if (s->size.y * scale > SIGN_MAX_PX)
        scale = SIGN_MAX_PX / s->size.y;
    int w = (int)(s->size.x * scale + 0.5f), h = (int)(s->size.y * scale + 0.5f);
    w = w < 4 ? 4 : w;
    h = h < 4 ? 4 : h;
    mh_image img = {w, h, malloc((size_t)w * h * 4)};
    if (!img.rgba)
        return -1;
    uint8_t bg[3];
    srgb8(s->background, bg);
    for (int i = 0; i < w * h; i++)
        memcpy(img.rgba + i * 4, (uint8_t[4]){bg[0], bg[1], bg[2], 255}, 4);
    if (text.draw_line) {
        float total = 0;
        for (int i = 0; i < s->line_count; i++)
            total += s->lines[i].size;
        float gap = total < 1 ? (1 - total) / (float)(s->line_count + 1) : 0;
        float y = gap;
        for (int i = 0; i < s->line_count; i++) {
            uint8_t fg[3];
            srgb8(s->lines[i].color, fg);
            int px = (int)(s->lines[i].size * (float)h);
            text.draw_line(text.font, &img, s->lines[i].text, px, w / 2, (int)(y * (float)h), w - h / 6, fg);
            y += s->lines[i].size + gap;
        }
    }
    mh_scene_texture t = {.width = w,
                          .height = h,
                          .rgba = img.rgba,
                          .srgb = true,
                          .wrap_s = MH_GLTF_WRAP_CLAMP_TO_EDGE,
                          .wrap_t = MH_GLTF_WRAP_CLAMP_TO_EDGE};
    crop_sign(&t);
    return mh_scene_add_texture(sc, t);
}

/* A sign's material: its texture, unlit (a light box shows its colours as
 * they are; fog still veils it a little). */
static int sign_material(mh_scene *sc, int texture)
{
    mh_material m = mh_material_plain();
    m.slots[MH_TEX_BASE].texture = texture;
    m.unlit = true;
    return texture >= 0 ? mh_scene_add_material(sc, &m) : 0;
}

/* A sign whose texture holds only part of it (sign_rect): three by three
 * rectangles sharing their edges, the middle one showing the texture, the
 * others its top left texel (background; a constant uv, so the sharpest
 * mip level). */
static void cropped_sign(mh_scene *sc, const mh_scene_texture *t, const mh_sign_desc *s, mh_mat4 xf, mh_surface surf)
{
    const float *r = t->sign_rect;
    float w = s->size.x, h = s->size.y;
    float xs[4] = {-w / 2, -w / 2 + w * r[0], -w / 2 + w * r[2], w / 2};
    float ys[4] = {h / 2, h / 2 - h * r[1], h / 2 - h * r[3], -h / 2}; /* top down */
    float u = 0.5f / (float)t->width, v = 0.5f / (float)t->height;
    for (int j = 0; j < 3; j++)
        for (int i = 0; i < 3; i++) {
            if (!(xs[i + 1] > xs[i] && ys[j] > ys[j + 1]))
                continue;
            float rect[4] = {xs[i], ys[j + 1], xs[i + 1], ys[j]};
            float uv[4] = {u, v, u, v}, whole[4] = {0, 0, 1, 1};
            mh_mesh_add_rect(&sc->mesh, xf, rect, i == 1 && j == 1 ? whole : uv, surf);
        }
}

static mh_mat4 sign_transform(const mh_sign_desc *s, mh_mat4 parent)
{
    return mh_m4_mul(parent, mh_m4_mul(mh_m4_translate(s->pos), mh_m4_rotate_y(mh_radians(s->yaw_deg))));
}

/* A sign's panel with its baked texture (or its plain background). */
static void sign_quad(mh_scene *sc, int tex, const mh_sign_desc *s, mh_mat4 parent, int group)
{
    begin_chunk(sc, sign_material(sc, tex), group);
    mh_mat4 xf = sign_transform(s, parent);
    mh_surface surf = {.color = tex >= 0 ? mh_v3(1, 1, 1) : s->background, .emissive = 1};
    const mh_scene_texture *t = tex >= 0 ? &sc->textures[tex] : NULL;
    if (t && t->sign_rect[2] > 0)
        cropped_sign(sc, t, s, xf, surf);
    else
        mh_mesh_add_quad(&sc->mesh, xf, s->size.x, s->size.y, surf);
}

/* slot: where storey 0's texture for this sign is kept (signs repeat on the
 * storeys of a stacked hall), or -1. Returns the sign's texture (-1: none). */
static int add_sign(mh_scene *sc, mh_sign_text text, const mh_sign_desc *s, mh_mat4 parent, int group, int slot,
                    bool reuse)
{
    int tex = reuse && sc->sign_textures ? sc->sign_textures[slot] : bake_sign(sc, text, s);
    if (!reuse && sc->sign_textures)
        sc->sign_textures[slot] = tex;
    sign_quad(sc, tex, s, parent, group);
    return tex;
}

/* n signs of one group: with text.glyph their plain backgrounds in one
 * chunk and their text as glyph quads in one more (mh_scene_signs.c); else
 * each baked (add_sign, slots first_slot on). */
static void add_signs(mh_scene *sc, mh_sign_text text, const mh_sign_desc *signs, int n, mh_mat4 parent, int group,
                      int first_slot, bool reuse)
{
    if (!text.glyph) {
        for (int i = 0; i < n; i++)
            add_sign(sc, text, &signs[i], parent, group, first_slot + i, reuse);
        return;
    }
    begin_chunk(sc, 0, group);
    for (int i = 0; i < n; i++)
        mh_mesh_add_quad(&sc->mesh, sign_transform(&signs[i], parent), signs[i].size.x, signs[i].size.y,
                         (mh_surface){.color = signs[i].background, .emissive = 1});
    begin_chunk(sc, mh_scene_sign_material(sc), group);
    for (int i = 0; i < n; i++)
        mh_scene_sign_glyphs(sc, text, &signs[i], sign_transform(&signs[i], parent));
}

/* ---- collision --------------------------------------------------------- */

static void collide_shape(mh_scene *sc, const mh_shape_desc *s, mh_mat4 parent)
{
    if (!s->collide)
        return;
    mh_vec3 base = mh_m4_mul_point(parent, s->pos);
    float bottom = base.y, top = base.y + s->size.y;
    if (top < 0.05f || bottom > 2.0f)
        return; /* under the feet or above the head */
    bool level = s->rot_deg.x == 0 && s->rot_deg.z == 0;
    float yaw = mh_radians(s->rot_deg.y) + atan2f(parent.m[8], parent.m[0]);
    if (s->kind == MH_SHAPE_BOX && level) {
        mh_collide_add_box(&sc->collide, (mh_vec2){base.x, base.z}, (mh_vec2){s->size.x / 2, s->size.z / 2}, yaw);
    } else if (s->kind == MH_SHAPE_CYLINDER && level) {
        float r = fmaxf(s->size.x, s->size.z) * 0.5f * fmaxf(1.0f, s->top);
        mh_collide_add_circle(&sc->collide, (mh_vec2){base.x, base.z}, r);
    } else {
        /* tilted shapes: block their footprint box */
        mh_vec3 rot = mh_v3(mh_radians(s->rot_deg.x), mh_radians(s->rot_deg.y), mh_radians(s->rot_deg.z));
        mh_aabb unit = {mh_v3(-s->size.x / 2, 0, -s->size.z / 2), mh_v3(s->size.x / 2, s->size.y, s->size.z / 2)};
        mh_aabb b = mh_aabb_transform(unit, mh_m4_mul(parent, mh_m4_trs(s->pos, rot, mh_v3(1, 1, 1))));
        mh_vec3 c = mh_aabb_center(b);
        mh_collide_add_box(&sc->collide, (mh_vec2){c.x, c.z},
                           (mh_vec2){(b.max.x - b.min.x) / 2, (b.max.z - b.min.z) / 2}, 0);
    }
}

/* ---- booths and stage -------------------------------------------------- */

static mh_mat4 booth_transform(const mh_hall_desc *h, const mh_booth_desc *b)
{
    float y = (float)b->storey * h->storey_height;
    return mh_m4_mul(mh_m4_translate(mh_v3(b->pos.x, y, b->pos.y)), mh_m4_rotate_y(mh_radians(b->yaw_deg)));
}

/* How exhibit x's model may be loaded: inside its folder, within the
 * hall's budgets (the hall's triangles and vertices less what the scene
 * holds already; a benchmark's stacked hall is not held to those), and
 * stopped when the loader is cancelled. */
static mh_gltf_desc model_desc(const mh_scene *sc, const mh_hall_desc *h, const mh_exhibit_desc *x)
{
    mh_gltf_desc d = {.root = x->dir, .budget = mh_budget_defaults(h->budget), .cancel = h->cancel};
    uint32_t tris = sc->mesh.index_count / 3, verts = sc->mesh.vertex_count;
    if (h->storeys <= 1) {
        uint32_t left_t = d.budget.hall_triangles > tris ? d.budget.hall_triangles - tris : 1;
        uint32_t left_v = d.budget.hall_vertices > verts ? d.budget.hall_vertices - verts : 1;
        d.budget.triangles = d.budget.triangles < left_t ? d.budget.triangles : left_t;
        d.budget.vertices = d.budget.vertices < left_v ? d.budget.vertices : left_v;
    }
    return d;
}

/* Exhibit x's model standing on the origin of xf, at its real size unless
 * exhibit.json scales or fits it (fit: the plinth's box, metres). */
static bool add_model(mh_scene *sc, const mh_hall_desc *h, const mh_exhibit_desc *x, mh_mat4 xf, int group, mh_vec3 fit,
                      mh_error *err)
{
    mh_scene_place pl = {.xf = xf,
                         .fit = fit,
                         .scale = x->model_scale,
                         .fit_to = x->model_fit,
                         .group = group,
                         .animation = x->animation,
                         .animation_name = x->animation_name,
                         .load = model_desc(sc, h, x)};
    return mh_scene_add_model(sc, x->model, &pl, err);
}

static void add_placeholder(mh_scene *sc, mh_mat4 xf)
{
    /* a grey block under an amber warning ring */
    mh_mesh_add_box(&sc->mesh, xf, mh_v3(0.9f, 0.9f, 0.9f), (mh_surface){.color = mh_v3(0.2f, 0.2f, 0.22f)});
    mh_shape_desc ring = {.kind = MH_SHAPE_TORUS,
                          .pos = mh_v3(0, 1.2f, 0),
                          .size = mh_v3(1.2f, 0.1f, 1.2f),
                          .color = mh_v3(1.0f, 0.45f, 0.02f),
                          .emissive = 1,
                          .thickness = 0.12f};
    mh_mesh_add_shape(&sc->mesh, &ring, xf);
}

/* A streamed booth's stand-in until its model is in: a neutral block a
 * little inside the landmark's fit, in chunks of its own (hidden while the
 * model shows). Exhibits with landmark shapes show those instead (they stay
 * beside the model, as when it is merged). */
static void add_stand_in(mh_scene *sc, const mh_exhibit_desc *x, mh_mat4 xf, int booth)
{
    mh_scene_close_chunk(sc);
    sc->stand_ins[2 * booth] = sc->chunk_count;
    if (x->landmark_count == 0) {
        begin_chunk(sc, 0, booth);
        mh_vec3 size = mh_v3(LANDMARK_FIT.x * 0.5f, LANDMARK_FIT.y * 0.7f, LANDMARK_FIT.z * 0.6f);
        mh_mesh_add_box(&sc->mesh, mh_m4_mul(xf, mh_m4_translate(mh_v3(0, size.y / 2, 0))), size,
                        (mh_surface){.color = mh_v3(0.32f, 0.34f, 0.38f), .roughness = 0.8f});
        mh_scene_close_chunk(sc);
    }
    sc->stand_ins[2 * booth + 1] = sc->chunk_count;
    begin_chunk(sc, 0, booth);
}

static void add_landmark(mh_scene *sc, const mh_hall_desc *h, const mh_exhibit_desc *x, mh_mat4 xf, int group)
{
    if (!x->loaded) {
        add_placeholder(sc, xf);
        return;
    }
    for (int i = 0; i < x->landmark_count; i++)
        mh_mesh_add_shape(&sc->mesh, &x->landmark[i], xf);
    if (h->cancel && atomic_load(h->cancel))
        return; /* the load is being cancelled: its result is thrown away */
    if (sc->stand_ins && mh_scene_booth_streams(h, group)) {
        add_stand_in(sc, x, xf, group);
        return;
    }
    if (x->model && !add_model(sc, h, x, xf, group, LANDMARK_FIT, NULL)) {
        mh_log_error("hall", "exhibit %s: its landmark model did not load (showing a placeholder)", x->id);
        add_placeholder(sc, xf);
    }
}

void mh_scene_booth_signs(const mh_hall_desc *h, const mh_exhibit_desc *x, mh_sign_desc *header, mh_sign_desc *panel)
{
    float W = h->booth_width, D = h->booth_depth, H = h->booth_wall_height;
    mh_vec3 white = mh_v3(1, 1, 1), soft = mh_v3(0.75f, 0.8f, 0.85f);
    mh_vec3 accent_dark = mh_v3_scale(x->accent, 0.35f);
    /* signs float SIGN_GAP in front of the back wall's face (no depth fighting) */
    float face = -D / 2 + WALL_T + SIGN_GAP;
    *header =
        (mh_sign_desc){.pos = mh_v3(0, PLATFORM_H + H + 0.72f, face), .size = {W, 1.3f}, .background = accent_dark};
    *panel = (mh_sign_desc){.pos = mh_v3(0, PLATFORM_H + H - INFO_TOP - INFO_H / 2, face),
                            .size = {W * 0.86f, INFO_H},
                            .background = mh_v3(0.012f, 0.015f, 0.03f)};
    if (!x->loaded) {
        header->background = mh_v3(0.15f, 0.15f, 0.15f);
        header->lines[0] = (mh_sign_line){"展品暂不可用", 0.36f, white};
        header->lines[1] = (mh_sign_line){"Exhibit unavailable", 0.18f, soft};
        header->line_count = 2;
        panel->lines[0] = (mh_sign_line){x->id, 0.27f, mh_v3(1.0f, 0.45f, 0.02f)};
        panel->line_count = 1;
        return;
    }
    /* the name, then what the model on the plinth shows, big enough to read
     * from the aisle (a long line shrinks to the sign's width) */
    bool landmark = x->landmark_zh || x->landmark_en;
    header->lines[0] = (mh_sign_line){x->short_zh, landmark ? 0.46f : 0.52f, white};
    header->lines[1] = (mh_sign_line){x->short_en, landmark ? 0.17f : 0.2f, soft};
    header->line_count = 2;
    if (x->landmark_zh)
        header->lines[header->line_count++] = (mh_sign_line){x->landmark_zh, 0.15f, soft};
    if (x->landmark_en)
        header->lines[header->line_count++] = (mh_sign_line){x->landmark_en, 0.1f, soft};
    int n = 0;
    panel->lines[n++] = (mh_sign_line){x->name_zh, 0.27f, white}; /* the same metres as on a 1.1 m sign */
    panel->lines[n++] = (mh_sign_line){x->name_en, 0.15f, soft};
    if (x->city_zh)
        panel->lines[n++] = (mh_sign_line){x->city_zh, 0.17f, x->accent};
    if (x->tagline_zh)
        panel->lines[n++] = (mh_sign_line){x->tagline_zh, 0.16f, soft};
    panel->line_count = n;
}

static float luminance(mh_vec3 c) { return 0.2126f * c.x + 0.7152f * c.y + 0.0722f * c.z; }

/* The label's text on a background of linear colour bg: white, as on the
 * hall's signs, unless the background is light (relative luminance above
 * 0.3: a yellow, a light green), where white would fade into it. */

static void label_colors(mh_vec3 bg, mh_vec3 *text, mh_vec3 *soft)
{
    bool dark = luminance(bg) > 0.3f;
    *text = dark ? mh_v3(0.01f, 0.012f, 0.016f) : mh_v3(1, 1, 1);
    *soft = dark ? mh_v3(0.03f, 0.035f, 0.045f) : mh_v3(0.8f, 0.84f, 0.9f);
}

static bool middle_dot(uint32_t cp) { return cp == 0xB7 || cp == 0x30FB; }

/* A name that can stand in a column: 2-8 characters, every one CJK (or the
 * middle dot between two names, 北京·通州); its height in characters (a
 * dot takes half), else 0. */
static float column_chars(const char *zh)
{
    int n = 0;
    float cells = 0;
    for (const char *p = zh; *p; n++) {
        uint32_t cp = mh_utf8_next(&p);
        if (!middle_dot(cp) && (cp < 0x2E80 || cp > 0x9FFF))
            return 0;
        cells += middle_dot(cp) ? 0.5f : 1.0f;
    }
    return n >= 2 && n <= 8 ? cells : 0;
}

/* A tall narrow face (an island booth's totem): the Chinese name in a
 * column, one character under another, as Chinese signs stand, the English
 * small at the foot. face: the face's centre, w x ht. */
static void add_column_label(mh_scene *sc, mh_sign_text text, const mh_exhibit_desc *x, float cells, float w, float ht,
                             mh_mat4 face, mh_vec3 ink, mh_vec3 soft)
{
    float margin = w * 0.18f, en_h = x->short_en ? fminf(0.06f, ht * 0.1f) : 0, room = ht - 2 * margin - en_h * 1.5f;
    float cell = fminf(w * 0.62f, room / cells), y = ht / 2 - margin - (room - cell * cells) / 2;
    for (const char *p = x->short_zh; *p;) {
        const char *from = p;
        float step = middle_dot(mh_utf8_next(&p)) ? cell * 0.5f : cell;
        char one[8] = {0};
        memcpy(one, from, (size_t)(p - from) < sizeof one - 1 ? (size_t)(p - from) : sizeof one - 1);
        mh_sign_desc d = {.size = {w, cell}, .lines = {{one, 0.86f, ink}}, .line_count = 1};
        mh_scene_sign_glyphs(sc, text, &d, mh_m4_mul(face, mh_m4_translate(mh_v3(0, y - step / 2, 0))));
        y -= step;
    }
    if (x->short_en) {
        mh_sign_desc d = {.size = {w, en_h}, .lines = {{x->short_en, 0.7f, soft}}, .line_count = 1};
        mh_scene_sign_glyphs(sc, text, &d, mh_m4_mul(face, mh_m4_translate(mh_v3(0, -ht / 2 + margin + en_h / 2, 0))));
    }
}

/* The template's labelled parts (a counter's screen): the exhibit's short
 * name on the box's front face, Chinese over English, in the top of the
 * face (at most 0.6 of its width high, so a tall kiosk screen reads as a
 * screen with its title), or down a totem in a column (add_column_label),
 * as glyph quads of the signs' atlas. */
static void add_labels(mh_scene *sc, mh_sign_text text, const mh_hall_desc *h, int booth, mh_mat4 xf, mh_vec3 accent)
{
    const mh_exhibit_desc *x = &h->booths[booth].exhibit;
    const mh_booth_template *t = &h->templates[h->booths[booth].template_index];
    if (!text.glyph || !x->loaded || !x->short_zh)
        return;
    for (int k = 0; k < t->part_count; k++) {
        const mh_shape_desc *s = &t->parts[k].shape;
        if (t->parts[k].label != MH_LABEL_NAME)
            continue;
        float ht = fminf(s->size.y, 0.6f * s->size.x);
        mh_vec3 ink, soft;
        label_colors(mh_booth_part_color(t, k, accent), &ink, &soft);
        mh_vec3 rot = mh_v3(mh_radians(s->rot_deg.x), mh_radians(s->rot_deg.y), mh_radians(s->rot_deg.z));
        mh_mat4 part = mh_m4_mul(xf, mh_m4_trs(s->pos, rot, mh_v3(1, 1, 1)));
        float column = s->size.y >= 1.8f * s->size.x ? column_chars(x->short_zh) : 0;
        begin_chunk(sc, mh_scene_sign_material(sc), booth);
        if (column) {
            mh_mat4 face = mh_m4_mul(part, mh_m4_translate(mh_v3(0, s->size.y / 2, s->size.z / 2)));
            add_column_label(sc, text, x, column, s->size.x, s->size.y, face, ink, soft);
            continue;
        }
        mh_sign_desc d = {.size = {s->size.x, ht},
                          .lines = {{x->short_zh, x->short_en ? 0.44f : 0.5f, ink}, {x->short_en, 0.22f, soft}},
                          .line_count = x->short_en ? 2 : 1};
        mh_scene_sign_glyphs(sc, text, &d,
                             mh_m4_mul(part, mh_m4_translate(mh_v3(0, s->size.y - ht / 2, s->size.z / 2))));
    }
}

/* Where a booth's pictures hang on its back wall, under the info sign: the
 * first photo at the left, the video screen at the right (booth space: +Z
 * towards the visitors, origin on the floor at the booth's centre). */
static void wall_spot(const mh_hall_desc *h, int side, mh_vec3 *centre, float *w, float *ht)
{
    float W = h->booth_width, D = h->booth_depth, H = h->booth_wall_height;
    *w = fminf(1.1f, W * 0.34f);
    *ht = *w * 9.0f / 16.0f;
    float sign_bottom = PLATFORM_H + H - INFO_TOP - INFO_H;
    *centre = mh_v3((float)side * (W * 0.5f - 0.08f - *w * 0.5f), sign_bottom - 0.08f - *ht * 0.5f,
                    -D / 2 + WALL_T + SIGN_GAP);
}

mh_wall_spot mh_scene_booth_spot(const mh_hall_desc *h, int booth, bool screen)
{
    mh_vec3 c;
    float w, ht;
    wall_spot(h, screen ? 1 : -1, &c, &w, &ht);
    mh_mat4 xf = booth_transform(h, &h->booths[booth]);
    mh_vec4 p = mh_m4_mul_v4(xf, (mh_vec4){c.x, c.y, c.z, 1});
    mh_vec4 r = mh_m4_mul_v4(xf, (mh_vec4){1, 0, 0, 0}), u = mh_m4_mul_v4(xf, (mh_vec4){0, 1, 0, 0});
    return (mh_wall_spot){mh_v3(p.x, p.y, p.z), mh_v3_norm(mh_v3(r.x, r.y, r.z)), mh_v3_norm(mh_v3(u.x, u.y, u.z)), w,
                          ht};
}

void mh_scene_booth_figure(const mh_hall_desc *h, int side, const mh_fact *f, const char *zh, const char *en,
                           mh_sign_desc *out)
{
    mh_vec3 c;
    float w, ht, fw = fminf(0.86f, h->booth_width * 0.27f), fh = 0.9f;
    wall_spot(h, side, &c, &w, &ht);
    c.x = (float)side * (h->booth_width * 0.5f - 0.08f - fw * 0.5f);
    c.y += ht * 0.5f - fh * 0.5f; /* its top where a photo's would be */
    *out = (mh_sign_desc){.pos = c,
                          .size = {fw, fh},
                          .lines = {{.text = zh, .size = 0.22f},
                                    {.text = f->wall_zh, .size = 0.145f},
                                    {.text = en, .size = 0.11f},
                                    {.text = f->wall_en, .size = 0.1f}},
                          .line_count = 4,
                          .align = side}; /* flush with the wall's outer edge, away from the landmark */
}

/* The exhibit's key figures (its facts with a "wall_zh" caption, the first
 * two), where a photo or the video screen would hang, one a side, in the
 * wall's outer part clear of a tall landmark: at most 2 in out, their
 * figures' text in zh and en (buffers of the caller). */
typedef char figure_text[2][96];

static int booth_figures(const mh_hall_desc *h, int booth, mh_sign_text text, mh_sign_desc out[2], figure_text buf[2])
{
    const mh_exhibit_desc *x = &h->booths[booth].exhibit;
    int n = 0;
    if (!text.glyph || !text.amount || !x->loaded)
        return 0;
    for (int side = -1, k = 0; side <= 1; side += 2) {
        if ((side < 0 && x->image_count > 0) || (side > 0 && x->video_count > 0))
            continue;
        while (k < x->fact_count && !x->facts[k].wall_zh)
            k++;
        if (k >= x->fact_count)
            break;
        const mh_fact *f = &x->facts[k++];
        text.amount(f, true, buf[n][0], sizeof buf[n][0]);
        text.amount(f, false, buf[n][1], sizeof buf[n][1]);
        mh_scene_booth_figure(h, side, f, buf[n][0], buf[n][1], &out[n]);
        n++;
    }
    return n;
}

/* The key figures' light boxes: a pale back-lit panel behind each (the
 * booth's graphics printed on fabric, lit from inside, as exhibition walls
 * carry them), so the lettering reads however the wall itself is lit; in
 * the open chunk of the booth's body (no draw call of their own). */
static void add_figure_panels(mh_scene *sc, mh_sign_text text, const mh_hall_desc *h, int booth, mh_mat4 xf,
                              mh_vec3 accent)
{
    mh_sign_desc d[2];
    figure_text buf[2];
    int n = booth_figures(h, booth, text, d, buf);
    mh_vec3 paper = mh_v3_lerp(mh_v3(0.74f, 0.74f, 0.72f), accent, 0.06f);
    for (int i = 0; i < n; i++)
        mh_mesh_add_quad(&sc->mesh, sign_transform(&d[i], xf), d[i].size.x, d[i].size.y,
                         (mh_surface){.color = paper, .emissive = 1});
}

/* The key figures' lettering on their light boxes: the figure large in the
 * accent (darkened to a luminance of at most 0.04, so it reads on the pale
 * panel), the caption under it in dark ink, then both in English; glyph
 * quads of the signs' atlas. */
static void add_figures(mh_scene *sc, mh_sign_text text, const mh_hall_desc *h, int booth, mh_mat4 xf, mh_vec3 accent)
{
    mh_sign_desc d[2];
    figure_text buf[2];
    int n = booth_figures(h, booth, text, d, buf);
    mh_vec3 ink, soft;
    label_colors(mh_v3(1, 1, 1), &ink, &soft);
    float lum = fmaxf(luminance(accent), 1e-3f);
    mh_vec3 figure = mh_v3_scale(accent, fminf(0.45f, 0.04f / lum));
    for (int i = 0; i < n; i++) {
        d[i].lines[0].color = d[i].lines[2].color = figure;
        d[i].lines[1].color = ink;
        d[i].lines[3].color = soft;
        begin_chunk(sc, mh_scene_sign_material(sc), booth);
        mh_scene_sign_glyphs(sc, text, &d[i], sign_transform(&d[i], xf));
    }
}

/* The exhibit's first photo on the back wall, as a texture the booth
 * template draws; a photo that cannot be read leaves a grey placeholder and
 * a log line naming the file and why. */
static void add_photo(mh_scene *sc, const mh_hall_desc *h, const mh_exhibit_desc *x, mh_mat4 xf, int group)
{
    if (!x->loaded || x->image_count == 0)
        return;
    mh_image img;
    mh_error err;
    mh_picture_desc d = {.path = x->images[0], .root = x->dir, .max_pixels = h->budget.image_pixels, .max_side = 512};
    int tex = -1;
    mh_vec3 grey = mh_v3(0.18f, 0.19f, 0.22f);
    if (mh_picture_load(&d, &img, &err)) {
        tex = mh_scene_add_texture(sc, (mh_scene_texture){.width = img.width,
                                                          .height = img.height,
                                                          .rgba = img.rgba,
                                                          .srgb = true,
                                                          .wrap_s = MH_GLTF_WRAP_CLAMP_TO_EDGE,
                                                          .wrap_t = MH_GLTF_WRAP_CLAMP_TO_EDGE});
        grey = mh_v3(1, 1, 1);
    } else {
        char text[1024];
        mh_log_warn("hall", "exhibit %s: its photo %s (showing a placeholder)", x->id,
                    mh_error_text(&err, text, sizeof text));
    }
    mh_vec3 c;
    float w, ht;
    wall_spot(h, -1, &c, &w, &ht);
    if (tex >= 0) { /* the photo keeps its aspect inside the spot */
        float a = (float)img.width / (float)img.height;
        if (a > w / ht)
            ht = w / a;
        else
            w = ht * a;
    }
    /* a photo is shown as it is, like a sign (unlit); the placeholder is a matte grey panel */
    begin_chunk(sc, tex >= 0 ? sign_material(sc, tex) : 0, group);
    mh_mesh_add_quad(&sc->mesh, mh_m4_mul(xf, mh_m4_translate(c)), w, ht,
                     (mh_surface){.color = grey, .emissive = tex >= 0 ? 1.0f : 0.0f});
}

/* A landmark's contact shadow on what it stands on (xf's origin): round,
 * half as wide again as its footprint (the vertices from first_vertex, as
 * built: turning keeps it about the same), at most the plinth's size. */
static void landmark_shadow(mh_scene *sc, mh_mat4 xf, uint32_t first_vertex, int group)
{
    mh_aabb b = mh_aabb_empty();
    for (uint32_t v = first_vertex; v < sc->mesh.vertex_count; v++) {
        const float *p = sc->mesh.vertices[v].pos;
        mh_aabb_add_point(&b, mh_v3(p[0], p[1], p[2]));
    }
    if (b.min.x > b.max.x)
        return;
    mh_vec3 d = mh_v3_sub(b.max, b.min);
    float r = fminf(fmaxf(d.x, d.z) * 1.5f, LANDMARK_FIT.x * 1.3f);
    mh_vec3 c = mh_m4_mul_point(xf, mh_v3(0, 0, 0));
    mh_scene_add_contact_shadow(sc, mh_m4_translate(mh_v3((b.min.x + b.max.x) * 0.5f, c.y, (b.min.z + b.max.z) * 0.5f)),
                                r, r, 1.0f, false, group);
}

/* Whether the booths' baked back walls are laid right after the hall's
 * walls, all together: their light rides in the second vertex stream,
 * which then spans one short run of vertices (mh_render_vertex.c; laid
 * booth by booth it spanned nearly all, +2.8 MB). A floor of many booths
 * or of copies keeps each in its booth's own chunks (culled by tile,
 * copied with the booth). */
static bool booth_walls_ahead(const mh_hall_desc *h)
{
    if (h->storeys <= 1 && h->booth_count >= MH_SCENE_GRID_MIN_BOOTHS)
        return false;
    for (int i = 0; i < h->booth_count; i++)
        if (h->booths[i].copy_of)
            return false;
    return true;
}

static void add_booth(mh_scene *sc, const mh_hall_desc *h, int i, int slot, mh_sign_text text)
{
    const mh_booth_desc *b = &h->booths[i];
    const mh_exhibit_desc *x = &b->exhibit;
    float W = h->booth_width, D = h->booth_depth;
    mh_mat4 xf = booth_transform(h, b);
    mh_vec3 accent = x->loaded ? x->accent : mh_v3(0.3f, 0.3f, 0.3f);
    const mh_booth_template *t = &h->templates[b->template_index];
    begin_chunk(sc, 0, i);
    if (b->storey == 0) /* ahead of the wall behind them: its pixels there fail the depth test, never shaded */
        add_figure_panels(sc, text, h, i, xf, accent);
    bool baked = mh_scene_add_booth_parts(sc, h, i, xf, accent);
    mh_mat4 plinth = mh_m4_mul(xf, mh_m4_translate(t->landmark));
    /* a landmark that turns has chunks of its own; a floor of many booths
       (a benchmark's grid) keeps them still (its tiles' bounds are fixed)
       and has no contact shadows (a draw more for every booth in view) */
    bool many = h->storeys <= 1 && h->booth_count >= MH_SCENE_GRID_MIN_BOOTHS;
    float turn = x->turn_set ? x->turn_deg_s : h->booth_turn_deg_s;
    bool turns = x->loaded && turn != 0 && !many;
    uint32_t first_vertex = sc->mesh.vertex_count;
    if (turns)
        mh_scene_close_chunk(sc);
    int landmark = sc->chunk_count;
    begin_chunk(sc, 0, i);
    add_landmark(sc, h, x, plinth, i);
    mh_scene_close_chunk(sc);
    int landmark_end = sc->chunk_count;
    if (!many) {
        landmark_shadow(sc, plinth, first_vertex, i); /* on the plinth; the booth's on the floor */
        mh_scene_add_contact_shadow(sc, xf, W + 1.6f, D + 1.6f, 0.95f, true, i); /* (one draw for both) */
    }
    if (baked && !booth_walls_ahead(h)) /* after the landmark's shadow, which spans the vertices from first_vertex */
        mh_scene_add_booth_wall(sc, h, i, xf);
    if (turns)
        mh_scene_note_turn(sc, landmark, landmark_end, mh_m4_mul_point(plinth, mh_v3(0, 0, 0)), turn);
    mh_sign_desc signs[2];
    mh_scene_booth_signs(h, x, &signs[0], &signs[1]);
    add_signs(sc, text, signs, 2, xf, i, slot, b->storey > 0);
    add_labels(sc, text, h, i, xf, accent);
    if (b->storey == 0) {
        add_photo(sc, h, x, xf, i);
        add_figures(sc, text, h, i, xf, accent);
    }
    if (b->storey == 0) /* visitors walk the ground floor only */
        mh_collide_add_box(&sc->collide, b->pos, (mh_vec2){W / 2, D / 2}, mh_radians(b->yaw_deg));
}

/* ---- zones ------------------------------------------------------------- */

#define ZONE_SIGN_W 5.2f
#define ZONE_SIGN_H 1.3f
#define ZONE_MARGIN 1.0f /* carpet beyond the booths' sides and backs */
#define ZONE_FRONT 2.6f  /* carpet in front of the booths: where visitors stand */

/* The zone's plan: the centre of its line, the line's direction u (unit)
 * and the booths' front n (unit, across u). */
static void zone_axes(const mh_hall_desc *h, const mh_zone_desc *z, mh_vec2 *mid, mh_vec2 *u, mh_vec2 *n)
{
    *mid = (mh_vec2){(z->from.x + z->to.x) * 0.5f, (z->from.y + z->to.y) * 0.5f};
    float fx = 0, fz = 0;
    for (int i = 0; i < z->booth_count; i++) {
        float a = mh_radians(h->booths[z->first_booth + i].yaw_deg);
        fx += sinf(a);
        fz += cosf(a);
    }
    mh_vec2 d = {z->to.x - z->from.x, z->to.y - z->from.y};
    float len = sqrtf(d.x * d.x + d.y * d.y);
    *u = len > 1e-3f ? (mh_vec2){d.x / len, d.y / len} : (mh_vec2){fz, -fx};
    float ul = sqrtf(u->x * u->x + u->y * u->y);
    *u = ul > 1e-6f ? (mh_vec2){u->x / ul, u->y / ul} : (mh_vec2){1, 0};
    *n = (mh_vec2){-u->y, u->x};
    if (n->x * fx + n->y * fz < 0)
        *n = (mh_vec2){-n->x, -n->y};
}

/* How high the ceiling is over (x, z): the lowest base of an architecture
 * shape above `above` whose footprint covers the point; 0 = none. */
static float ceiling_over(const mh_hall_desc *h, float x, float z, float above)
{
    float c = 0;
    for (int i = 0; i < h->shape_count; i++) {
        const mh_shape_desc *s = &h->shapes[i];
        if (s->pos.y > above && fabsf(x - s->pos.x) < s->size.x / 2 && fabsf(z - s->pos.z) < s->size.z / 2 &&
            s->size.x > ZONE_SIGN_W && (c == 0 || s->pos.y < c))
            c = s->pos.y;
    }
    return c;
}

/* A carpet under the zone's booths in a dark tint of its colour, a glowing
 * edge along its front, and the zone's name on a two-sided sign hanging
 * over the aisle in front, turned to the entrance. */
static void add_zone(mh_scene *sc, const mh_hall_desc *h, int zi, mh_mat4 lift, mh_sign_text text, int slot, bool reuse)
{
    const mh_zone_desc *z = &h->zones[zi];
    mh_vec2 mid, u, n;
    zone_axes(h, z, &mid, &u, &n);
    float dx = z->to.x - z->from.x, dz = z->to.y - z->from.y;
    float len = sqrtf(dx * dx + dz * dz) + fmaxf(h->booth_width, h->booth_depth) + 2 * ZONE_MARGIN;
    float back = h->booth_depth * 0.5f + ZONE_MARGIN, front = h->booth_depth * 0.5f + ZONE_FRONT;
    float off = (front - back) * 0.5f, yaw = atan2f(n.x, n.y);
    mh_mat4 at = mh_m4_mul(lift, mh_m4_mul(mh_m4_translate(mh_v3(mid.x + n.x * off, 0, mid.y + n.y * off)),
                                           mh_m4_rotate_y(yaw)));
    mh_scene_add_floor_box(sc, at, mh_v3(len, 0.008f, back + front), /* baked light on it (mh_scene_bake.c) */
                           (mh_surface){.color = mh_v3_scale(z->color, 0.22f), .roughness = 0.85f}, 0);
    begin_chunk(sc, 0, MH_SCENE_GROUP_HALL);
    mh_mesh_add_box(&sc->mesh, mh_m4_mul(at, mh_m4_translate(mh_v3(0, 0, (back + front) * 0.5f - 0.05f))),
                    mh_v3(len, 0.014f, 0.06f), (mh_surface){.color = z->color, .emissive = 1});
    /* the hanging sign */
    mh_vec3 c = mh_v3(mid.x + n.x * (h->booth_depth * 0.5f + 1.6f), z->sign_height,
                      mid.y + n.y * (h->booth_depth * 0.5f + 1.6f));
    mh_sign_desc sign = {.pos = c,
                         .size = {ZONE_SIGN_W, ZONE_SIGN_H},
                         .background = mh_v3_scale(z->color, 0.16f),
                         .line_count = 2,
                         .yaw_deg = atan2f(h->entrance_pos.x - c.x, h->entrance_pos.y - c.z) * 180.0f / MH_PI};
    sign.lines[0] = (mh_sign_line){z->name_zh, 0.46f, mh_v3(1, 1, 1)};
    sign.lines[1] = (mh_sign_line){z->name_en, 0.2f, mh_v3(0.75f, 0.85f, 0.95f)};
    /* both faces stand just off the frame's (4 cm thick) */
    float sy = mh_radians(sign.yaw_deg);
    mh_vec3 face = mh_v3(sinf(sy) * 0.025f, 0, cosf(sy) * 0.025f);
    mh_sign_desc faces[2] = {sign, sign};
    faces[0].pos = mh_v3_add(c, face);
    faces[1].pos = mh_v3_sub(c, face);
    faces[1].yaw_deg += 180; /* its back, readable from inside the zone */
    if (text.glyph)
        add_signs(sc, text, faces, 2, lift, MH_SCENE_GROUP_HALL, slot, reuse);
    else
        sign_quad(sc, add_sign(sc, text, &faces[0], lift, MH_SCENE_GROUP_HALL, slot, reuse), &faces[1], lift,
                  MH_SCENE_GROUP_HALL);
    /* a frame in the zone's colour and two cables up to the ceiling */
    mh_mat4 sx = mh_m4_mul(lift, mh_m4_mul(mh_m4_translate(c), mh_m4_rotate_y(mh_radians(sign.yaw_deg))));
    begin_chunk(sc, 0, MH_SCENE_GROUP_HALL);
    mh_mesh_add_box(&sc->mesh, mh_m4_mul(sx, mh_m4_translate(mh_v3(0, -ZONE_SIGN_H * 0.5f - 0.06f, 0))),
                    mh_v3(ZONE_SIGN_W + 0.12f, ZONE_SIGN_H + 0.12f, 0.04f),
                    (mh_surface){.color = z->color, .emissive = 0.6f});
    float top = z->sign_height + ZONE_SIGN_H * 0.5f + 0.06f, ceil = ceiling_over(h, c.x, c.z, top);
    for (int s = -1; ceil > top && s <= 1; s += 2)
        mh_mesh_add_box(&sc->mesh, mh_m4_mul(sx, mh_m4_translate(mh_v3(s * ZONE_SIGN_W * 0.4f, top, 0))),
                        mh_v3(0.02f, ceil - top, 0.02f),
                        (mh_surface){.color = mh_v3(0.5f, 0.52f, 0.56f), .metallic = 1, .roughness = 0.4f});
}

void mh_scene_add_booth_proxy(mh_scene *sc, const mh_hall_desc *h, int i)
{
    const mh_booth_desc *b = &h->booths[i];
    const mh_exhibit_desc *x = &b->exhibit;
    float W = h->booth_width, D = h->booth_depth, H = h->booth_wall_height;
    mh_mat4 xf = booth_transform(h, b);
    mh_sign_desc header, panel;
    mh_scene_booth_signs(h, x, &header, &panel);
    float wall_h = PLATFORM_H + H + 1.45f; /* the back wall's two faces (quads: a third of a box's triangles) */
    mh_surface grey = {.color = mh_v3(0.42f, 0.43f, 0.46f)};
    mh_mesh_add_quad(&sc->mesh, mh_m4_mul(xf, mh_m4_translate(mh_v3(0, wall_h / 2, -D / 2 + WALL_T))), W, wall_h, grey);
    mh_mesh_add_quad(&sc->mesh,
                     mh_m4_mul(xf, mh_m4_mul(mh_m4_translate(mh_v3(0, wall_h / 2, -D / 2)), mh_m4_rotate_y(MH_PI))), W,
                     wall_h, grey);
    const mh_sign_desc *signs[2] = {&header, &panel};
    for (int k = 0; k < 2; k++) /* the signs' backgrounds, front only */
        mh_mesh_add_quad(&sc->mesh, mh_m4_mul(xf, mh_m4_translate(signs[k]->pos)), signs[k]->size.x, signs[k]->size.y,
                         (mh_surface){.color = signs[k]->background, .emissive = 1});
}

/* Booth i, a copy of a booth built already (mh_hall_spread): each of that
 * booth's chunks again (the same indices, materials and levels of detail),
 * placed by one motion without a rig (nothing poses it) that moves the
 * source's world-space vertices to this booth's place. A source's moving
 * parts (vertices in model space) are left out of its copies. */
static void add_copy(mh_scene *sc, const mh_hall_desc *h, int i)
{
    const mh_booth_desc *b = &h->booths[i];
    int src = b->copy_of - 1, *range = sc->grid.booth_chunks;
    mh_mat4 inv;
    if (!mh_m4_invert(booth_transform(h, &h->booths[src]), &inv))
        return;
    mh_mat4 m = mh_m4_mul(booth_transform(h, b), inv);
    if (!mh_scene_grow((void **)&sc->motions, sc->motion_count, &sc->motion_cap, sizeof *sc->motions, 16)) {
        sc->mesh.failed = true;
        return;
    }
    int mo = sc->motion_count++;
    sc->motions[mo] = (mh_scene_motion){.rig = -1, .node = -1, .skin = -1, .world = m};
    mh_scene_close_chunk(sc);
    range[2 * i] = sc->chunk_count;
    for (int k = range[2 * src]; k < range[2 * src + 1]; k++) {
        if (sc->chunks[k].motion >= 0)
            continue;
        if (!mh_scene_grow((void **)&sc->chunks, sc->chunk_count, &sc->chunk_cap, sizeof *sc->chunks, 64)) {
            sc->mesh.failed = true;
            break;
        }
        mh_scene_chunk c = sc->chunks[k];
        c.group = i;
        c.rig = -1;
        c.motion = mo;
        c.bounds = mh_aabb_transform(c.bounds, m);
        sc->chunks[sc->chunk_count++] = c;
        mh_aabb_add_point(&sc->bounds, c.bounds.min);
        mh_aabb_add_point(&sc->bounds, c.bounds.max);
    }
    range[2 * i + 1] = sc->chunk_count;
    mh_collide_add_box(&sc->collide, b->pos, (mh_vec2){h->booth_width / 2, h->booth_depth / 2}, mh_radians(b->yaw_deg));
}

static void add_stage(mh_scene *sc, const mh_hall_desc *h)
{
    if (h->stage_radius <= 0)
        return;
    begin_chunk(sc, 0, MH_SCENE_GROUP_HALL);
    mh_shape_desc disc = {.kind = MH_SHAPE_CYLINDER,
                          .pos = mh_v3(h->stage_pos.x, 0, h->stage_pos.y),
                          .size = mh_v3(2 * h->stage_radius, h->stage_height, 2 * h->stage_radius),
                          .color = mh_v3(0.10f, 0.11f, 0.13f),
                          .top = 1,
                          .segments = 64,
                          .texture = -1,
                          .metallic = 0.6f,
                          .roughness = 0.3f};
    mh_mesh_add_shape(&sc->mesh, &disc, mh_m4_identity());
    mh_shape_desc ring = {.kind = MH_SHAPE_TORUS,
                          .pos = mh_v3(h->stage_pos.x, h->stage_height - 0.04f, h->stage_pos.y),
                          .size = mh_v3(2 * h->stage_radius + 0.1f, 1, 2 * h->stage_radius + 0.1f),
                          .color = mh_v3(0.1f, 0.6f, 1.0f),
                          .emissive = 1,
                          .thickness = 0.02f,
                          .segments = 96};
    mh_mesh_add_shape(&sc->mesh, &ring, mh_m4_identity());
    mh_collide_add_circle(&sc->collide, h->stage_pos, h->stage_radius);
    float r = 2 * h->stage_radius + 1.6f;
    mh_scene_add_contact_shadow(sc, mh_m4_translate(mh_v3(h->stage_pos.x, 0, h->stage_pos.y)), r, r, 0.9f, false,
                                MH_SCENE_GROUP_HALL);
}

/* The stage's featured landmark is a scene of its own (mh_scene_build_feature),
 * so it can be swapped while the hall stays. */
bool mh_scene_build_feature(mh_scene *sc, const mh_hall_desc *h, const char *exhibit_id, mh_error *err)
{
    memset(sc, 0, sizeof *sc);
    sc->bounds = sc->model_bounds = mh_aabb_empty();
    int fb = mh_hall_find_booth(h, exhibit_id);
    if (fb < 0)
        return mh_fail(err, h->dir, "", "no booth for exhibit \"%.40s\" in this hall", exhibit_id);
    const mh_exhibit_desc *x = &h->booths[fb].exhibit;
    if (!x->loaded) {
        char text[900];
        return mh_fail(err, x->error.file, x->error.where, "exhibit %s did not load: %s", x->id,
                       x->error.message[0] ? x->error.message : mh_error_text(&x->error, text, sizeof text));
    }
    mh_material plain = mh_material_plain();
    if (mh_scene_add_material(sc, &plain) != 0 || sc->mesh.failed)
        return mh_fail(err, h->dir, "", "out of memory");
    /* the featured landmark, larger, turned toward the entrance */
    float yaw = atan2f(h->entrance_pos.x - h->stage_pos.x, h->entrance_pos.y - h->stage_pos.y);
    mh_mat4 xf =
        mh_m4_mul(mh_m4_translate(mh_v3(h->stage_pos.x, h->stage_height, h->stage_pos.y)),
                  mh_m4_mul(mh_m4_rotate_y(yaw), mh_m4_scale(mh_v3(FEATURED_SCALE, FEATURED_SCALE, FEATURED_SCALE))));
    begin_chunk(sc, 0, MH_SCENE_GROUP_HALL);
    for (int i = 0; i < x->landmark_count; i++)
        mh_mesh_add_shape(&sc->mesh, &x->landmark[i], xf);
    if (x->model && !add_model(sc, h, x, xf, MH_SCENE_GROUP_HALL, LANDMARK_FIT, err)) {
        mh_scene_free(sc);
        return false;
    }
    landmark_shadow(sc, xf, 0, MH_SCENE_GROUP_HALL);
    mh_scene_close_chunk(sc);
    if (!(h->cancel && atomic_load(h->cancel))) /* a cancelled load's scene is thrown away */
        build_lods(sc, false);                  /* the featured exhibit: see LOD_QUADRIC_MAX */
    if (sc->mesh.failed) {
        mh_scene_free(sc);
        return mh_fail(err, h->dir, "", "out of memory building exhibit %s", x->id);
    }
    return true;
}

bool mh_scene_booth_streams(const mh_hall_desc *h, int i)
{
    const mh_booth_desc *b = &h->booths[i];
    return h->streaming.on && b->exhibit.loaded && b->exhibit.model && !b->copy_of;
}

mh_vec3 mh_scene_booth_plinth(const mh_hall_desc *h, int i)
{
    const mh_booth_desc *b = &h->booths[i];
    mh_mat4 xf = booth_transform(h, b);
    return mh_m4_mul_point(xf, h->templates[b->template_index].landmark);
}

bool mh_scene_build_booth_model(mh_scene *sc, const mh_hall_desc *h, int i, mh_error *err)
{
    memset(sc, 0, sizeof *sc);
    sc->bounds = sc->model_bounds = mh_aabb_empty();
    const mh_exhibit_desc *x = &h->booths[i].exhibit;
    if (!mh_scene_booth_streams(h, i))
        return mh_fail(err, h->dir, "", "booth %d (%s) has no landmark model to stream", i, x->id);
    mh_material plain = mh_material_plain();
    if (mh_scene_add_material(sc, &plain) != 0 || sc->mesh.failed)
        return mh_fail(err, h->dir, "", "out of memory");
    const mh_booth_desc *b = &h->booths[i];
    mh_mat4 plinth = mh_m4_mul(booth_transform(h, b), mh_m4_translate(h->templates[b->template_index].landmark));
    begin_chunk(sc, 0, i);
    if (!add_model(sc, h, x, plinth, i, LANDMARK_FIT, err)) {
        mh_scene_free(sc);
        return false;
    }
    mh_scene_close_chunk(sc);
    float turn = x->turn_set ? x->turn_deg_s : h->booth_turn_deg_s;
    if (turn != 0 && h->booth_count < MH_SCENE_GRID_MIN_BOOTHS) /* as add_booth turns the merged ones */
        mh_scene_note_turn(sc, 0, sc->chunk_count, mh_m4_mul_point(plinth, mh_v3(0, 0, 0)), turn);
    if (!(h->cancel && atomic_load(h->cancel)))
        build_lods(sc, true);
    mh_scene_start_turns(sc);
    if (sc->mesh.failed) {
        mh_scene_free(sc);
        return mh_fail(err, h->dir, "", "out of memory building exhibit %s", x->id);
    }
    return true;
}

/* A model alone, as its file places it (a preview: metahall view, render
 * --model). */
bool mh_scene_build_model(mh_scene *sc, const mh_scene_model_desc *d, mh_error *err)
{
    memset(sc, 0, sizeof *sc);
    sc->bounds = sc->model_bounds = mh_aabb_empty();
    mh_material plain = mh_material_plain();
    if (mh_scene_add_material(sc, &plain) != 0 || sc->mesh.failed)
        return mh_fail(err, d->path, "", "out of memory");
    mh_scene_place pl = {.xf = mh_m4_identity(),
                         .as_is = true,
                         .group = MH_SCENE_GROUP_HALL,
                         .animation = d->animation,
                         .animation_name = d->animation_name,
                         .load = {.root = d->root, .budget = mh_budget_defaults((mh_budget){0})}};
    if (!mh_scene_add_model(sc, d->path, &pl, err)) {
        mh_scene_free(sc);
        return false;
    }
    mh_scene_close_chunk(sc);
    if (sc->mesh.failed) {
        mh_scene_free(sc);
        return mh_fail(err, d->path, "", "out of memory");
    }
    return true;
}

/* ---- levels of detail -------------------------------------------------- */

/* Chunks with many triangles (landmark models, the stage) get two coarser
 * levels, simplified while the surface moves under 1/240 and 1/80 of their
 * size (mh_cull_pick_lod switches where that is under half a pixel). A
 * huge model's (a heavy exhibit, over LOD_QUADRIC_MAX triangles) are
 * clustered on grids of 1/96 and 1/32 of its size instead: the quadric
 * simplifier's tables would take more memory than the model (issue 23's
 * streaming bound) and the scene thread much longer. So is the featured
 * exhibit's: which edges the simplifier collapses follows floating-point
 * rounding, which differs between the x86 and ARM builds of
 * libmeshoptimizer, and the stage's exhibit is what a kiosk board is
 * checked against the host's render by (deploy_kiosk_boot: Xiamen's towers,
 * 55 px tall at the first level, differed on 1.27 % of the stage). */
#define LOD_MIN_TRIANGLES 400
#define LOD_QUADRIC_MAX 65536
static const float LOD_ERROR[MH_SCENE_LODS] = {1.0f / 240.0f, 1.0f / 80.0f};
static const float LOD_GRID[MH_SCENE_LODS] = {96.0f, 32.0f};

/* One level of chunk c from indices[0, count) into dst (room for count). */
static uint32_t lod_level(const mh_scene *sc, const mh_scene_chunk *c, int l, const uint32_t *indices, uint32_t count,
                          bool quadric, uint32_t *dst)
{
    if (quadric && c->index_count / 3 <= LOD_QUADRIC_MAX)
        return mh_mesh_simplify_to(&sc->mesh, indices, count, LOD_ERROR[l], dst);
    if (c->motion >= 0)
        return 0; /* a moving part's vertices are not where its bounds are */
    mh_vec3 d = mh_v3_sub(c->bounds.max, c->bounds.min);
    return mh_mesh_cluster_to(&sc->mesh, sc->mesh.indices + c->first_index, c->index_count,
                              fmaxf(d.x, fmaxf(d.y, d.z)) / LOD_GRID[l], dst);
}

/* The levels of the chunks with enough triangles, each made apart (on
 * mh_parallel_for's threads: they only read the mesh and write their own
 * chunk's fields) into room of its own, then copied to the end of the
 * mesh's indices where it claims its place as it finishes. A chunk's
 * levels are the same whichever thread made them; where they lie among the
 * indices follows the order the jobs finished in (nothing reads them in
 * that order: each chunk names its own). Written straight to their place,
 * the levels touch no more memory than made one after the other. */
typedef struct lod_work {
    mh_scene *sc;
    bool quadric;
    const int *chunk; /* the chunks to do, most triangles first */
    atomic_uint end;  /* the indices claimed so far */
} lod_work;

static void lod_job(void *user, int j)
{
    lod_work *w = user;
    mh_scene_chunk *c = &w->sc->chunks[w->chunk[j]];
    uint32_t *out = malloc(sizeof *out * c->index_count * MH_SCENE_LODS), at = 0;
    const uint32_t *from = w->sc->mesh.indices + c->first_index;
    uint32_t count = c->index_count, made[MH_SCENE_LODS] = {0};
    for (int l = 0; out && l < MH_SCENE_LODS; l++) {
        made[l] = lod_level(w->sc, c, l, from, count, w->quadric, out + at);
        if (made[l]) /* the next level from this one: fewer triangles to look at */
            from = out + at, count = made[l];
        at += made[l];
    }
    uint32_t place = atomic_fetch_add(&w->end, at); /* within the room build_lods reserved */
    if (at)
        memcpy(w->sc->mesh.indices + place, out, sizeof *out * at);
    for (int l = 0; l < MH_SCENE_LODS; l++) {
        c->lod_first[l] = place;
        c->lod_count[l] = made[l];
        place += made[l];
    }
    free(out);
}

static void build_lods(mh_scene *sc, bool quadric)
{
    int jobs = 0;
    int *chunk = malloc(sizeof *chunk * (size_t)(sc->chunk_count + 1));
    uint64_t room = 0; /* the most the levels can be: as many as their chunk's, each */
    for (int i = 0; chunk && i < sc->chunk_count; i++) {
        if (sc->chunks[i].index_count / 3 < LOD_MIN_TRIANGLES)
            continue;
        room += (uint64_t)sc->chunks[i].index_count * MH_SCENE_LODS;
        int k = jobs++; /* by triangles, most first (ties: the chunks' order) */
        for (; k > 0 && sc->chunks[chunk[k - 1]].index_count < sc->chunks[i].index_count; k--)
            chunk[k] = chunk[k - 1];
        chunk[k] = i;
    }
    if (!chunk || room > UINT32_MAX - sc->mesh.index_count || !mh_mesh_reserve(&sc->mesh, 0, (uint32_t)room)) {
        sc->mesh.failed = true; /* the indices cannot move while the jobs write them */
        free(chunk);
        return;
    }
    lod_work w = {.sc = sc, .quadric = quadric, .chunk = chunk};
    atomic_init(&w.end, sc->mesh.index_count);
    mh_parallel_for(jobs, sc->watch.threads, lod_job, &w);
    sc->mesh.index_count = atomic_load(&w.end);
    free(chunk);
}

/* ---- the whole hall ---------------------------------------------------- */

/* The plain material first (index 0), then one per hall texture; a PNG
 * that fails leaves its surfaces plain. */
static bool load_textures(mh_scene *sc, const mh_hall_desc *h, mh_error *err)
{
    mh_material plain = mh_material_plain();
    if (mh_scene_add_material(sc, &plain) != 0 || sc->mesh.failed ||
        !(sc->hall_materials = calloc((size_t)h->texture_count + 1, sizeof(int))))
        return mh_fail(err, h->dir, "", "out of memory");
    for (int i = 0; i < h->texture_count; i++) {
        mh_image img;
        mh_error e;
        if (mh_png_load_in(h->textures[i], h->dir, h->budget.image_pixels, &img, &e)) {
            int t = mh_scene_add_texture(sc, (mh_scene_texture){.width = img.width,
                                                                .height = img.height,
                                                                .rgba = img.rgba,
                                                                .srgb = true});
            mh_material m = mh_material_plain();
            m.slots[MH_TEX_BASE].texture = t;
            sc->hall_materials[i] = t >= 0 ? mh_scene_add_material(sc, &m) : 0;
            continue;
        }
        char text[1024];
        mh_log_error("hall", "%s (drawn without it)", mh_error_text(&e, text, sizeof text));
    }
    return !sc->mesh.failed || mh_fail(err, h->dir, "", "out of memory");
}

/* A glowing box's halo (its "halo" in hall.json): the light a ceiling
 * panel spills round itself, just under its lower face, its vertices' alpha
 * falling from HALO_ALPHA at its edge to HALO_MID at 40 % of the way and to
 * nothing at `halo` metres (nearer the quick falloff of a lamp's glare than
 * one straight ramp), blended over what is behind in its colour, unlit.
 * Along the sides it is two rectangles (alpha runs straight across them);
 * round each corner a quarter circle of HALO_ARC slices, so every point at
 * the same distance from the panel gets the same alpha (mitred rings showed
 * their quads' diagonals at grazing angles). One material for every halo. */
#define HALO_ALPHA 0.42f
#define HALO_MID 0.12f
#define HALO_ARC 4                           /* slices in a corner's quarter circle */
#define HALO_CORNER (1 + 2 * (HALO_ARC + 1)) /* a corner's vertices: its point, two arcs */

/* One corner's vertices: the panel's corner, then the arc at 40 % and the
 * outer one, from the outward normal of the side before it to the next's. */
static void halo_corner(mh_mesh_data *m, mh_mat4 xf, const mh_shape_desc *s, int c, float y, mh_vec3 down)
{
    float hx = 0.5f * s->size.x, hz = 0.5f * s->size.z, r[3] = {0, 0.4f * s->halo, s->halo};
    const float alpha[3] = {HALO_ALPHA, HALO_MID, 0};
    mh_vec2 at = {(c == 1 || c == 2) ? hx : -hx, c >= 2 ? hz : -hz};
    float from = mh_radians(90.0f * (float)c - 180.0f); /* corner 1 (+x, -z) turns from -z to +x */
    for (int k = 0; k < 3; k++)
        for (int j = 0; j <= (k ? HALO_ARC : 0); j++) {
            float a = from + mh_radians(90.0f) * (float)j / HALO_ARC;
            mh_vec3 p = mh_m4_mul_point(xf, mh_v3(at.x + r[k] * cosf(a), y, at.y + r[k] * sinf(a)));
            mh_vertex *v = &m->vertices[m->vertex_count++];
            *v = (mh_vertex){.pos = {p.x, p.y, p.z}, .normal = {down.x, down.y, down.z}, .params = {255, 0, 255, 255}};
            srgb8(s->color, v->color);
            v->color[3] = (uint8_t)(alpha[k] * 255 + 0.5f);
        }
}

static void halo_tri(mh_mesh_data *m, uint32_t a, uint32_t b, uint32_t c)
{
    uint32_t *t = &m->indices[m->index_count];
    t[0] = a, t[1] = b, t[2] = c;
    m->index_count += 3;
}

static void add_halo(mh_scene *sc, const mh_shape_desc *s, mh_mat4 lift, int *material)
{
    if (*material < 0) {
        mh_material m = mh_material_plain();
        m.alpha_mode = MH_ALPHA_BLEND;
        m.double_sided = true;
        m.unlit = true;
        *material = mh_scene_add_material(sc, &m);
    }
    mh_mesh_data *m = &sc->mesh;
    if (!mh_mesh_reserve(m, 4 * HALO_CORNER, 4 * (9 * HALO_ARC + 12)))
        return;
    begin_chunk(sc, *material, MH_SCENE_GROUP_HALL); /* the same material: the open chunk goes on */
    mh_vec3 rot = mh_v3(mh_radians(s->rot_deg.x), mh_radians(s->rot_deg.y), mh_radians(s->rot_deg.z));
    mh_mat4 xf = mh_m4_mul(lift, mh_m4_trs(s->pos, rot, mh_v3(1, 1, 1)));
    mh_vec3 down = mh_v3_norm(mh_m4_mul_dir(xf, mh_v3(0, -1, 0)));
    uint32_t base = m->vertex_count;
    for (int c = 0; c < 4; c++)
        halo_corner(m, xf, s, c, -0.5f * s->size.y - 0.01f, down);
    for (uint32_t c = 0; c < 4; c++) {
        uint32_t o = base + c * HALO_CORNER, in = o + 1, out = in + HALO_ARC + 1;
        for (uint32_t j = 0; j < HALO_ARC; j++) /* the corner's fan */
            halo_tri(m, o, in + j, in + j + 1);
        mh_mesh_grid_indices(m, in, 1, HALO_ARC); /* its outer band: the two arcs, one row of cells */
        /* the side to the next corner: its arcs' first points face this one's last */
        uint32_t n = base + ((c + 1) & 3) * HALO_CORNER, nin = n + 1, nout = nin + HALO_ARC + 1;
        uint32_t e = HALO_ARC;
        halo_tri(m, o, n, nin), halo_tri(m, o, nin, in + e);
        halo_tri(m, in + e, nin, nout), halo_tri(m, in + e, nout, out + e);
    }
}

/* The architecture, signs and booths of one storey (the ground floor, with
 * the stage, is the hall itself). A stacked hall's storey is a cell: its
 * floor and ceiling span the whole footprint and the walls' openings are
 * below the ceiling, so from inside nothing of another storey shows. */
static void add_storey(mh_scene *sc, const mh_hall_desc *h, int storey, mh_sign_text text)
{
    float y = (float)storey * h->storey_height;
    mh_mat4 lift = mh_m4_translate(mh_v3(0, y, 0));
    int first_chunk = sc->chunk_count;
    int floor = storey == 0 && sc->bake ? sc->bake->floor_shape : -1; /* laid with the baked light (mh_scene_bake.c) */
    int halo_material = -1;
    for (int i = 0; i < h->shape_count; i++) {
        const mh_shape_desc *s = &h->shapes[i];
        int material = s->texture >= 0 ? sc->hall_materials[s->texture] : 0;
        begin_chunk(sc, material, MH_SCENE_GROUP_HALL);
        if (i == floor)
            mh_scene_add_floor_box(sc, mh_m4_translate(s->pos), s->size,
                                   (mh_surface){.color = s->color,
                                                .emissive = s->emissive,
                                                .uv_scale = s->uv_scale,
                                                .metallic = s->metallic,
                                                .roughness = s->roughness,
                                                .occlusion = s->occlusion},
                                   material);
        else if (storey > 0 || !mh_scene_add_wall_box(sc, h, i)) /* its baked sides come below */
            mh_mesh_add_shape(&sc->mesh, s, lift);
        if (storey == 0)
            collide_shape(sc, s, mh_m4_identity());
    }
    if (storey == 0) {
        mh_scene_add_wall_faces(sc, h);
        bool ahead = booth_walls_ahead(h);
        for (int i = 0; i < h->booth_count && ahead; i++)
            if (h->booths[i].storey == 0)
                mh_scene_add_booth_wall(sc, h, i, booth_transform(h, &h->booths[i]));
    }
    for (int i = 0; i < h->shape_count; i++) /* one chunk (one draw) for them all */
        if (h->shapes[i].halo > 0)
            add_halo(sc, &h->shapes[i], lift, &halo_material);
    if (storey == 0) {
        add_stage(sc, h);
        mh_scene_add_screen_cards(sc, h, text);
    }
    add_signs(sc, text, h->signs, h->sign_count, lift, MH_SCENE_GROUP_HALL, 0, storey > 0);
    for (int i = 0; i < h->zone_count; i++) /* slots after the hall's signs and the booths' */
        add_zone(sc, h, i, lift, text, h->sign_count + 2 * h->booth_count + i, storey > 0);
    for (int i = 0, k = 0; i < h->booth_count; i++) {
        if (h->booths[i].storey != storey || h->booths[i].copy_of)
            continue; /* copies come after the levels of detail (add_copy) */
        mh_scene_close_chunk(sc);
        sc->grid.booth_chunks[2 * i] = sc->chunk_count;
        add_booth(sc, h, i, h->sign_count + 2 * k++, text);
        mh_scene_close_chunk(sc);
        sc->grid.booth_chunks[2 * i + 1] = sc->chunk_count;
    }
    if (!sc->cells)
        return;
    mh_scene_close_chunk(sc);
    mh_aabb in = {mh_v3(h->walk_min.x, y, h->walk_min.y), mh_v3(h->walk_max.x, y + h->storey_height, h->walk_max.y)};
    sc->cells[sc->cell_count++] = (mh_scene_cell){in, first_chunk, sc->chunk_count};
}

bool mh_scene_build(mh_scene *sc, const mh_hall_desc *h, mh_sign_text text, mh_arena *arena, mh_error *err)
{
    return mh_scene_build_watched(sc, h, text, (mh_scene_watch){0}, arena, err);
}

bool mh_scene_build_watched(mh_scene *sc, const mh_hall_desc *h, mh_sign_text text, mh_scene_watch watch,
                            mh_arena *arena, mh_error *err)
{
    memset(sc, 0, sizeof *sc);
    sc->watch = watch;
    sc->bounds = sc->model_bounds = mh_aabb_empty();
    if (!mh_collide_init(&sc->collide, arena, h->shape_count + h->booth_count + 8, h->shape_count + 8))
        return mh_fail(err, h->dir, "", "out of memory");
    sc->collide.bounds_min = h->walk_min;
    sc->collide.bounds_max = h->walk_max;
    if (!load_textures(sc, h, err))
        return false;
    if (!text.draw_line)
        mh_log_warn("hall", "no font: signs will show no text");
    if (!(sc->grid.booth_chunks = calloc((size_t)h->booth_count * 2 + 2, sizeof(int)))) {
        mh_scene_free(sc);
        return mh_fail(err, h->dir, "", "out of memory");
    }
    if (h->streaming.on && !(sc->stand_ins = calloc((size_t)h->booth_count * 2 + 2, sizeof(int)))) {
        mh_scene_free(sc);
        return mh_fail(err, h->dir, "", "out of memory");
    }
    if (h->storeys > 1 &&
        (!(sc->cells = calloc((size_t)h->storeys, sizeof *sc->cells)) ||
         !(sc->sign_textures = calloc((size_t)(h->sign_count + 2 * h->booth_count + h->zone_count), sizeof(int))))) {
        mh_scene_free(sc);
        return mh_fail(err, h->dir, "", "out of memory");
    }
    mh_bake bake;
    if (mh_bake_load(h, &bake)) {
        mh_scene_use_bake(sc, &bake);
        mh_bake_use_booths(sc, h);
    }
    for (int storey = 0; storey < h->storeys; storey++)
        add_storey(sc, h, storey, text);
    mh_scene_use_bake(sc, NULL);
    mh_bake_free(&bake);
    free(sc->sign_textures);
    free(sc->hall_materials);
    sc->sign_textures = sc->hall_materials = NULL;
    mh_scene_close_chunk(sc);
    if (!mh_scene_finish_signs(sc))
        sc->mesh.failed = true;
    uint32_t triangles = sc->mesh.index_count / 3;
    if (!(h->cancel && atomic_load(h->cancel)))
        build_lods(sc, true);
    int copies = 0;
    for (int i = 0; i < h->booth_count; i++)
        if (h->booths[i].copy_of && ++copies)
            add_copy(sc, h, i);
    mh_scene_start_turns(sc);
    if (h->storeys <= 1 && h->booth_count >= MH_SCENE_GRID_MIN_BOOTHS && !mh_scene_build_grid(sc, h))
        sc->mesh.failed = true;
    if (sc->mesh.failed)
        return mh_fail(err, h->dir, "", "out of memory building the hall geometry");
    mh_log_info("hall",
                "built %u triangles (+%u in coarser levels and proxies) in %d chunks, %d materials, %d textures, "
                "%d+%d colliders, %d booth copies, %d tiles in %d blocks",
                triangles, sc->mesh.index_count / 3 - triangles, sc->chunk_count, sc->material_count, sc->texture_count,
                sc->collide.box_count, sc->collide.circle_count, copies, sc->grid.tile_count, sc->grid.block_count);
    return true;
}

void mh_scene_free(mh_scene *sc)
{
    mh_scene_free_signs(sc);
    mh_scene_release_cpu(sc);
    free(sc->chunks);
    free(sc->textures);
    free(sc->materials);
    free(sc->rigs);
    free(sc->motions);
    free(sc->turns);
    free(sc->cells);
    free(sc->grid.booth_chunks);
    free(sc->stand_ins);
    free(sc->grid.booths);
    free(sc->grid.tiles);
    free(sc->grid.blocks);
    free(sc->sign_textures);
    free(sc->hall_materials);
    mh_arena_free(&sc->anim_arena);
    mh_collide_world collide = sc->collide; /* lives in the caller's arena */
    mh_aabb bounds = sc->bounds;
    memset(sc, 0, sizeof *sc);
    sc->collide = collide;
    sc->bounds = bounds;
}

void mh_scene_release_cpu(mh_scene *sc)
{
    if (sc->watch.releasing)
        sc->watch.releasing(sc->watch.user);
    mh_mesh_free(&sc->mesh);
    for (int i = 0; i < sc->texture_count; i++) {
        free(sc->textures[i].rgba);
        sc->textures[i].rgba = NULL;
    }
    for (int i = 0; i < sc->motion_count; i++) {
        free(sc->motions[i].morph_deltas);
        sc->motions[i].morph_deltas = NULL;
    }
}

void mh_scene_booth_view(const mh_hall_desc *h, int i, mh_vec2 *pos, float *yaw, float *pitch)
{
    const mh_booth_desc *b = &h->booths[i];
    float a = mh_radians(b->yaw_deg);
    /* 3.2 m in front of the booth's front edge, looking 3 degrees up: the
     * booth (header to plinth) fills the frame's height above the screen
     * buttons, the neighbours show at the sides (4.2 m and 6 degrees up left
     * the booth a third of the frame, its neighbours' landmarks nearer the
     * eye than its own and the plinth under the buttons) */
    float dist = h->booth_depth / 2 + 3.2f;
    /* the booth front is its local +Z: (sin a, cos a) in (x, z) */
    *pos = (mh_vec2){b->pos.x + sinf(a) * dist, b->pos.y + cosf(a) * dist};
    *yaw = a; /* camera yaw a looks along (-sin a, -cos a): at the booth */
    *pitch = mh_radians(3.0f);
}
