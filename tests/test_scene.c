/* test_scene.c - building the hall's scene (engine/scene/mh_scene.c) with
 * no GL: the shipped hall's chunks and their ranges, groups, textures and
 * bounds; sign text through the painter (every sign line, into the sign's
 * own texture) and without one; the colliders; a stacked hall's cells and
 * its reused sign textures; the booth views; the stage's featured exhibit;
 * the watch the engine's start uploads textures by (mh_scene_build_watched). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asset/mh_hall_load.h"
#include "core/mh_arena.h"
#include "core/mh_parallel.h"
#include "core/mh_utf8.h"
#include "include/metahall.h"
#include "mh_test.h"
#include "scene/mh_mesh.h"
#include "scene/mh_scene.h"
#include "text/mh_text.h"

#define MAX_LINES 512

/* A painter that records what it is asked to draw and marks the pixel at
 * (cx, top_y) of the sign's image with the line's colour. */
typedef struct painter_log {
    int calls, outside;
    const char *texts[MAX_LINES];
} painter_log;

static void record_line(void *font, mh_image *img, const char *utf8, int px, int cx, int top_y, int max_w,
                        const uint8_t color[3])
{
    painter_log *log = font;
    if (log->calls < MAX_LINES)
        log->texts[log->calls] = utf8;
    log->calls++;
    if (px <= 0 || cx < 0 || cx >= img->width || top_y < 0 || top_y >= img->height || max_w <= 0 ||
        max_w > img->width) {
        log->outside++;
        return;
    }
    uint8_t *p = img->rgba + ((size_t)top_y * (size_t)img->width + (size_t)cx) * 4;
    memcpy(p, color, 3);
    p[3] = 255;
}

static bool drawn(const painter_log *log, const char *text)
{
    for (int i = 0; i < log->calls && i < MAX_LINES; i++)
        if (text && log->texts[i] && !strcmp(log->texts[i], text))
            return true;
    return false;
}

static bool load_hall(mh_arena *a, mh_hall_desc *h)
{
    mh_error err;
    *a = (mh_arena){.block_size = 256u * 1024u};
    if (!mh_hall_load(MH_SOURCE_ASSETS "/halls/default", a, h, &err)) {
        fprintf(stderr, "hall: %s: %s\n", err.file, err.message);
        return false;
    }
    return true;
}

static bool inside(mh_aabb outer, mh_aabb inner, float eps)
{
    return inner.min.x >= outer.min.x - eps && inner.min.y >= outer.min.y - eps && inner.min.z >= outer.min.z - eps &&
           inner.max.x <= outer.max.x + eps && inner.max.y <= outer.max.y + eps && inner.max.z <= outer.max.z + eps;
}

/* Every chunk's index range, levels, material (and its textures) and group are in range, and
 * its box holds the vertices it draws. */
static void check_chunks(const mh_scene *sc, int booth_count)
{
    int bad_range = 0, bad_tex = 0, bad_group = 0, bad_bounds = 0;
    for (int k = 0; k < sc->chunk_count; k++) {
        const mh_scene_chunk *c = &sc->chunks[k];
        if (c->first_index + c->index_count > sc->mesh.index_count || c->index_count % 3)
            bad_range++;
        for (int l = 0; l < MH_SCENE_LODS; l++)
            if (c->lod_count[l] && c->lod_first[l] + c->lod_count[l] > sc->mesh.index_count)
                bad_range++;
        if (c->material < 0 || c->material >= sc->material_count)
            bad_tex++;
        for (int t = 0; c->material >= 0 && c->material < sc->material_count && t < MH_TEX_SLOTS; t++)
            if (sc->materials[c->material].slots[t].texture >= sc->texture_count)
                bad_tex++;
        if (c->group != MH_SCENE_GROUP_HALL && (c->group < 0 || c->group >= booth_count))
            bad_group++;
        for (uint32_t i = c->first_index; i < c->first_index + c->index_count && i < sc->mesh.index_count; i++) {
            uint32_t v = sc->mesh.indices[i];
            const float *p = sc->mesh.vertices[v].pos;
            mh_aabb point = {mh_v3(p[0], p[1], p[2]), mh_v3(p[0], p[1], p[2])};
            if (v >= sc->mesh.vertex_count || !inside(c->bounds, point, 1e-3f)) {
                bad_bounds++;
                break;
            }
        }
        if (!inside(sc->bounds, c->bounds, 1e-3f))
            bad_bounds++;
    }
    CHECK(bad_range == 0);
    CHECK(bad_tex == 0);
    CHECK(bad_group == 0);
    CHECK(bad_bounds == 0);
}

static float srgb_to_linear(uint8_t c)
{
    float x = (float)c / 255.0f;
    return x <= 0.04045f ? x / 12.92f : powf((x + 0.055f) / 1.055f, 2.4f);
}

/* Does vertex v's colour have the hue of linear colour want (each channel
 * over the brightest, within tol)? Baked light may darken it, not tint it. */
static bool same_hue(const mh_vertex *v, mh_vec3 want, float tol)
{
    float got[3] = {srgb_to_linear(v->color[0]), srgb_to_linear(v->color[1]), srgb_to_linear(v->color[2])};
    float w[3] = {want.x, want.y, want.z};
    float gm = fmaxf(got[0], fmaxf(got[1], got[2])), wm = fmaxf(w[0], fmaxf(w[1], w[2]));
    if (gm <= 0 || wm <= 0)
        return gm <= 0.01f && wm <= 0.01f;
    for (int i = 0; i < 3; i++)
        if (fabsf(got[i] / gm - w[i] / wm) > tol)
            return false;
    return true;
}

/* Each booth's template parts come first in its first chunk of its own
 * (its baked back wall, when it has one, is laid ahead with the hall's
 * walls), in order, coloured by their role: the exhibit's accent, the
 * template's neutral or their own colour. */
static void check_booth_parts(const mh_scene *sc, const mh_hall_desc *h)
{
    int wrong = 0, accents = 0;
    for (int b = 0; b < h->booth_count; b++) {
        int k = sc->grid.booth_chunks[2 * b];
        if (k >= sc->grid.booth_chunks[2 * b + 1] || sc->chunks[k].group != b) {
            wrong++;
            continue;
        }
        uint32_t v = sc->mesh.indices[sc->chunks[k].first_index];
        const mh_booth_template *t = &h->templates[h->booths[b].template_index];
        for (int p = 0; p < t->part_count; p++) {
            const mh_booth_part *part = &t->parts[p];
            mh_vec3 want = part->role == MH_PART_ACCENT    ? mh_v3_scale(h->booths[b].exhibit.accent, part->shade)
                           : part->role == MH_PART_NEUTRAL ? mh_v3_scale(t->neutral, part->shade)
                                                           : part->shape.color;
            accents += part->role == MH_PART_ACCENT;
            wrong += v >= sc->mesh.vertex_count || !same_hue(&sc->mesh.vertices[v], want, 0.06f);
            uint32_t pv, pt;
            mh_shape_cost(&part->shape, &pv, &pt);
            v += pv;
        }
    }
    CHECK(wrong == 0);
    CHECK(accents >= h->booth_count); /* every booth shows its accent somewhere */
}

/* How far a point under the ceiling lies from the edge of the nearest
 * panel with a halo, less that halo (0 on its outer rim); panels in the
 * shipped hall are not turned. */
static float halo_off_edge(const mh_hall_desc *h, const float pos[3])
{
    float best = 1e30f;
    for (int i = 0; i < h->shape_count; i++) {
        const mh_shape_desc *s = &h->shapes[i];
        if (!(s->halo > 0) || fabsf(pos[1] - s->pos.y) > s->size.y)
            continue;
        float dx = fmaxf(fabsf(pos[0] - s->pos.x) - 0.5f * s->size.x, 0);
        float dz = fmaxf(fabsf(pos[2] - s->pos.z) - 0.5f * s->size.z, 0);
        best = fminf(best, fabsf(sqrtf(dx * dx + dz * dz) - s->halo));
    }
    return best;
}

static void test_hall(void)
{
    mh_arena a;
    mh_hall_desc h;
    if (!load_hall(&a, &h)) {
        CHECK(!"hall");
        return;
    }
    painter_log log = {0};
    mh_scene sc;
    mh_error err;
    CHECK(mh_scene_build(&sc, &h, (mh_sign_text){.draw_line = record_line, .font = &log}, &a, &err));
    CHECK(sc.chunk_count > h.booth_count && sc.mesh.index_count > 3 * 1000);
    check_chunks(&sc, h.booth_count);
    /* every booth has geometry of its own */
    int missing = 0;
    for (int b = 0; b < h.booth_count; b++) {
        bool found = false;
        for (int k = 0; k < sc.chunk_count && !found; k++)
            found = sc.chunks[k].group == b;
        missing += !found;
    }
    CHECK(missing == 0);
    check_booth_parts(&sc, &h);
    CHECK(sc.cell_count == 0); /* a single hall has no cells */
    /* the signs' text went through the painter: the hall's own signs, and
     * each booth's names on its header and panel */
    int lines = 0, absent = 0;
    for (int i = 0; i < h.sign_count; i++)
        for (int j = 0; j < h.signs[i].line_count; j++, lines++)
            absent += !drawn(&log, h.signs[i].lines[j].text);
    for (int b = 0; b < h.booth_count; b++)
        absent += !drawn(&log, h.booths[b].exhibit.name_zh) + !drawn(&log, h.booths[b].exhibit.name_en);
    CHECK(absent == 0);
    CHECK(log.calls >= lines + 2 * h.booth_count);
    CHECK(log.outside == 0);
    /* colliders: booths and the stage block walking; the entrance is free */
    CHECK(sc.collide.box_count >= h.booth_count && sc.collide.circle_count >= 1);
    CHECK(!mh_collide_blocked(&sc.collide, h.entrance_pos, 0.3f));
    CHECK(mh_collide_blocked(&sc.collide, h.stage_pos, 0.3f));
    int open_booths = 0;
    for (int b = 0; b < h.booth_count; b++)
        open_booths += !mh_collide_blocked(&sc.collide, h.booths[b].pos, 0.3f);
    CHECK(open_booths == 0);
    /* where a visitor stands to look at a booth: in front of it, facing it */
    int wrong = 0;
    for (int b = 0; b < h.booth_count; b++) {
        mh_vec2 p;
        float yaw, pitch;
        mh_scene_booth_view(&h, b, &p, &yaw, &pitch);
        mh_vec2 to = {h.booths[b].pos.x - p.x, h.booths[b].pos.y - p.y};
        float len = sqrtf(to.x * to.x + to.y * to.y);
        float facing = (-sinf(yaw) * to.x - cosf(yaw) * to.y) / len; /* yaw 0 looks toward -Z */
        wrong += facing < 0.99f || len < h.booth_depth / 2 || mh_collide_blocked(&sc.collide, p, 0.3f);
    }
    CHECK(wrong == 0);
    /* the ceiling panels' halos: 64 triangles under every panel with a
     * "halo" (two bands along each side, a quarter circle round each
     * corner), blended and unlit, alpha falling to 0 outside, in one chunk
     * of their own; every outer vertex exactly `halo` from its panel's
     * edge, corners too (rounded, not mitred) */
    int halos = 0;
    for (int i = 0; i < h.shape_count; i++)
        halos += h.shapes[i].halo > 0;
    CHECK(halos >= 20);
    uint32_t halo_indices = 0;
    int halo_chunks = 0, halo_off = 0, alpha_kinds[3] = {0};
    for (int k = 0; k < sc.chunk_count; k++) {
        const mh_scene_chunk *c = &sc.chunks[k];
        const mh_material *m = &sc.materials[c->material];
        if (c->material == sc.shadow_material || m->alpha_mode != MH_ALPHA_BLEND || !m->unlit || !m->double_sided)
            continue;
        halo_chunks++;
        halo_indices += c->index_count;
        for (uint32_t i = c->first_index; i < c->first_index + c->index_count; i++) {
            const mh_vertex *v = &sc.mesh.vertices[sc.mesh.indices[i]];
            uint8_t al = v->color[3];
            alpha_kinds[al == 0 ? 0 : al < 64 ? 1 : 2]++;
            if (al == 0 && halo_off_edge(&h, v->pos) > 1e-3f)
                halo_off++;
        }
    }
    CHECK(halo_chunks == 1 && halo_indices == (uint32_t)halos * 192);
    CHECK(halo_off == 0);
    CHECK(alpha_kinds[0] > 0 && alpha_kinds[1] > 0 && alpha_kinds[2] > 0);
    int chunks = sc.chunk_count, textures = sc.texture_count;
    uint32_t indices = sc.mesh.index_count;
    mh_scene_free(&sc);

    /* no painter: the same chunks and textures, signs without text: each
       sign keeps a corner of its background (16 x 16 texels at most), drawn
       as at most four rectangles more than a whole quad */
    CHECK(mh_scene_build(&sc, &h, (mh_sign_text){0}, &a, &err));
    CHECK(sc.chunk_count == chunks && sc.texture_count == textures);
    int cropped = 0, big = 0;
    for (int t = 0; t < sc.texture_count; t++)
        if (sc.textures[t].sign_rect[2] > 0) {
            cropped++;
            big += sc.textures[t].width > 16 || sc.textures[t].height > 16;
        }
    CHECK(cropped == h.sign_count + 2 * h.booth_count + h.zone_count && big == 0);
    CHECK(sc.mesh.index_count <= indices + (uint32_t)cropped * 3 * 6);
    mh_scene_free(&sc);
    mh_arena_free(&a);
}

/* A sign's texture keeps the texels round its text: a crop of the baked
 * sign aligned to 16 texels whose corners are all background, holding every
 * mark, placed on its sign by sign_rect. */
static void test_sign_crop(void)
{
    mh_arena a;
    mh_hall_desc h;
    if (!load_hall(&a, &h)) {
        CHECK(!"hall");
        return;
    }
    mh_scene sc;
    painter_log log = {0};
    mh_error err;
    CHECK(mh_scene_build(&sc, &h, (mh_sign_text){.draw_line = record_line, .font = &log}, &a, &err));
    int cropped = 0, bad = 0, marks = 0;
    for (int t = 0; t < sc.texture_count; t++) {
        const mh_scene_texture *x = &sc.textures[t];
        const float *r = x->sign_rect;
        if (r[2] <= 0 || !x->rgba)
            continue;
        cropped++;
        bad += !(r[0] >= 0 && r[0] < r[2] && r[2] <= 1 && r[1] >= 0 && r[1] < r[3] && r[3] <= 1);
        /* the sign's size in texels from the crop's: a whole number, and the
           crop's left and top edges on multiples of 16 */
        float sw = (float)x->width / (r[2] - r[0]), sh = (float)x->height / (r[3] - r[1]);
        bad += fabsf(r[0] * sw - 16.0f * roundf(r[0] * sw / 16.0f)) > 0.01f;
        bad += fabsf(r[1] * sh - 16.0f * roundf(r[1] * sh / 16.0f)) > 0.01f;
        const uint8_t *c = x->rgba;
        size_t w = (size_t)x->width, hh = (size_t)x->height;
        bad +=
            memcmp(c, c + (w - 1) * 4, 4) || memcmp(c, c + (hh - 1) * w * 4, 4) || memcmp(c, c + (hh * w - 1) * 4, 4);
        for (size_t i = 0; i < w * hh; i++)
            marks += memcmp(c + i * 4, c, 4) != 0;
    }
    CHECK(cropped == h.sign_count + 2 * h.booth_count + h.zone_count);
    CHECK(bad == 0);
    CHECK(marks >= cropped); /* every sign has a line, so a mark, inside its crop */
    mh_scene_free(&sc);
    mh_arena_free(&a);
}

/* A painter's mark lands in the sign's own texture. */
static void test_sign_pixels(void)
{
    mh_arena a;
    mh_hall_desc h;
    if (!load_hall(&a, &h)) {
        CHECK(!"hall");
        return;
    }
    mh_scene with, without;
    painter_log log = {0};
    mh_error err;
    CHECK(mh_scene_build(&with, &h, (mh_sign_text){.draw_line = record_line, .font = &log}, &a, &err));
    CHECK(mh_scene_build(&without, &h, (mh_sign_text){0}, &a, &err));
    int differ = 0;
    CHECK(with.texture_count == without.texture_count);
    for (int t = 0; t < with.texture_count && t < without.texture_count; t++) {
        const mh_scene_texture *x = &with.textures[t], *y = &without.textures[t];
        bool same_size = x->width == y->width && x->height == y->height;
        /* a sign keeps the texels round its marks: a crop of another size */
        differ +=
            !same_size || (x->rgba && y->rgba && memcmp(x->rgba, y->rgba, (size_t)x->width * (size_t)x->height * 4));
    }
    /* one texture per sign (hall signs, two per booth, one per zone) and per
       hall screen (its idle card shows the hall's name) carries the marks */
    CHECK(h.zone_count == 4 && h.media.screen_count == 1);
    CHECK(differ == h.sign_count + 2 * h.booth_count + h.zone_count + h.media.screen_count);
    mh_scene_free(&with);
    mh_scene_free(&without);
    mh_arena_free(&a);
}

/* 100 booths as storeys: one cell per storey, each holding its own chunks,
 * and the upper storeys' signs reuse the ground floor's textures. */
static void test_stacked(void)
{
    mh_arena a;
    mh_hall_desc h;
    if (!load_hall(&a, &h)) {
        CHECK(!"hall");
        return;
    }
    painter_log one = {0}, many = {0};
    mh_scene single, stacked;
    mh_error err;
    CHECK(mh_scene_build(&single, &h, (mh_sign_text){.draw_line = record_line, .font = &one}, &a, &err));
    int per = h.booth_count;
    CHECK(mh_hall_stack(&h, 100, &a));
    CHECK(h.booth_count == 100 && h.storeys == (100 + per - 1) / per);
    CHECK(mh_scene_build(&stacked, &h, (mh_sign_text){.draw_line = record_line, .font = &many}, &a, &err));
    check_chunks(&stacked, h.booth_count);
    CHECK(stacked.cell_count == h.storeys);
    CHECK(many.calls == one.calls); /* no sign is baked twice */
    CHECK(stacked.texture_count == single.texture_count);
    int bad = 0;
    for (int c = 0; c < stacked.cell_count; c++) {
        const mh_scene_cell *cell = &stacked.cells[c];
        bad += cell->first_chunk > cell->end_chunk || cell->end_chunk > stacked.chunk_count;
        bad += c > 0 && cell->first_chunk != stacked.cells[c - 1].end_chunk; /* cells follow each other */
        float y0 = (float)c * h.storey_height;
        bad += fabsf(cell->interior.min.y - y0) > 1e-3f || fabsf(cell->interior.max.y - (y0 + h.storey_height)) > 1e-3f;
        /* a storey's chunks are on that storey (its floor slab just below) */
        for (int k = cell->first_chunk; k < cell->end_chunk; k++) {
            mh_aabb b = stacked.chunks[k].bounds;
            bad += b.max.y < y0 - 1e-3f || b.min.y < y0 - 0.5f || b.min.y > y0 + h.storey_height;
        }
    }
    CHECK(bad == 0);
    /* visitors walk the ground floor only: upper booths add no colliders */
    CHECK(stacked.collide.box_count == single.collide.box_count);
    mh_scene_free(&single);
    mh_scene_free(&stacked);
    mh_arena_free(&a);
}

/* The stage's featured exhibit is a scene of its own, with no colliders; an
 * id that is not in the hall fails with a sentence that names it. */
static void test_feature(void)
{
    mh_arena a;
    mh_hall_desc h;
    if (!load_hall(&a, &h)) {
        CHECK(!"hall");
        return;
    }
    CHECK(h.featured && !strcmp(h.featured, "shanghai"));
    mh_scene sc;
    mh_error err = {0};
    CHECK(mh_scene_build_feature(&sc, &h, "qiantang", &err));
    CHECK(sc.chunk_count > 0 && sc.mesh.index_count > 0);
    CHECK(sc.collide.box_count == 0 && sc.collide.circle_count == 0);
    /* at large scale over the stage */
    mh_vec3 c = mh_aabb_center(sc.bounds);
    CHECK(fabsf(c.x - h.stage_pos.x) < h.stage_radius && fabsf(c.z - h.stage_pos.y) < h.stage_radius);
    mh_scene_free(&sc);
    CHECK(!mh_scene_build_feature(&sc, &h, "atlantis", &err));
    CHECK_STR_CONTAINS(err.message, "atlantis");
    mh_arena_free(&a);
}

/* What a watch saw: each texture as it was added (a copy of its fields and
 * a hash of its pixels then), and when the pixels were about to go. */
typedef struct watch_log {
    int added, out_of_order, releasing;
    int width[256], height[256];
    uint32_t hash[256];
    const uint8_t *rgba[256];
} watch_log;

static uint32_t pixels_hash(const mh_scene_texture *t)
{
    uint32_t x = 2166136261u;
    for (size_t i = 0; t->rgba && i < (size_t)t->width * (size_t)t->height * 4; i++)
        x = (x ^ t->rgba[i]) * 16777619u;
    return x;
}

static void watch_added(void *user, const mh_scene *sc, int i)
{
    watch_log *w = user;
    if (i != w->added || i >= 256) {
        w->out_of_order++;
        return;
    }
    w->width[i] = sc->textures[i].width;
    w->height[i] = sc->textures[i].height;
    w->hash[i] = pixels_hash(&sc->textures[i]);
    w->rgba[i] = sc->textures[i].rgba;
    w->added++;
}

static void watch_releasing(void *user) { ((watch_log *)user)->releasing++; }

/* The watch is told of every texture once, in order, as it is added, and
 * what it saw then is what the built scene holds (pixels included: a
 * texture is final once added, which the engine's start relies on to
 * upload it while the rest is built); it is told before the pixels are
 * freed; a plain build is the same scene. */
static void test_watch(void)
{
    mh_arena a;
    mh_hall_desc h;
    if (!load_hall(&a, &h)) {
        CHECK(!"hall");
        return;
    }
    painter_log log = {0};
    watch_log w = {0};
    mh_scene sc;
    mh_error err = {0};
    mh_scene_watch watch = {.added = watch_added, .releasing = watch_releasing, .user = &w};
    CHECK(mh_scene_build_watched(&sc, &h, (mh_sign_text){.draw_line = record_line, .font = &log}, watch, &a, &err));
    CHECK(sc.texture_count > 30 && w.added == sc.texture_count && w.out_of_order == 0 && w.releasing == 0);
    int same = 0;
    for (int i = 0; i < sc.texture_count && i < 256; i++)
        same += w.width[i] == sc.textures[i].width && w.height[i] == sc.textures[i].height &&
                w.rgba[i] == sc.textures[i].rgba && w.hash[i] == pixels_hash(&sc.textures[i]);
    CHECK(same == sc.texture_count);
    int textures = sc.texture_count, chunks = sc.chunk_count;
    mh_scene_release_cpu(&sc);
    CHECK(w.releasing == 1);
    sc.watch = (mh_scene_watch){0}; /* as the engine does once it stops watching */
    mh_scene_free(&sc);
    CHECK(w.releasing == 1);
    painter_log plain_log = {0};
    CHECK(mh_scene_build(&sc, &h, (mh_sign_text){.draw_line = record_line, .font = &plain_log}, &a, &err));
    CHECK(sc.texture_count == textures && sc.chunk_count == chunks && !sc.watch.added);
    mh_scene_free(&sc);
    mh_arena_free(&a);
}

/* Landmarks turn on their plinths at the booth template's rate (6 deg/s in
 * the default hall), about their plinth's axis, from the scene's clock:
 * still at t = 0, a quarter turn at 15 s; an exhibit's "turn": 0 keeps it
 * still. Every booth has its contact shadows (blended, on the floor). */
static void test_turn_and_shadows(void)
{
    mh_arena a;
    mh_hall_desc h;
    if (!load_hall(&a, &h)) {
        CHECK(!"hall");
        return;
    }
    CHECK(h.booth_turn_deg_s == 6.0f);
    mh_scene sc;
    mh_error err;
    CHECK(mh_scene_build(&sc, &h, (mh_sign_text){0}, &a, &err));
    CHECK(sc.turn_count == h.booth_count);
    mh_scene_set_time(&sc, 0);
    const mh_scene_turn *t = &sc.turns[0];
    CHECK(t->motion >= 0 && t->end_chunk > t->first_chunk);
    mh_mat4 at0 = sc.motions[t->motion].world;
    mh_vec3 p = mh_v3_add(t->centre, mh_v3(1, 0.5f, 0)); /* a point 1 m off the axis */
    mh_vec3 q = mh_m4_mul_point(at0, p);
    CHECK(fabsf(q.x - p.x) < 1e-4f && fabsf(q.z - p.z) < 1e-4f);
    mh_scene_set_time(&sc, 15.0f); /* 90 degrees: +X goes to -Z */
    q = mh_m4_mul_point(sc.motions[t->motion].world, p);
    CHECK(fabsf(q.x - t->centre.x) < 1e-3f && fabsf(q.z - (t->centre.z - 1)) < 1e-3f && fabsf(q.y - p.y) < 1e-4f);
    for (int k = t->first_chunk; k < t->end_chunk; k++) /* its parts move with it */
        CHECK(sc.chunks[k].motion == t->motion);
    mh_scene_animate(&sc, 15.0f); /* the clock goes on: half a turn */
    q = mh_m4_mul_point(sc.motions[t->motion].world, p);
    CHECK(fabsf(q.x - (t->centre.x - 1)) < 1e-3f && fabsf(q.z - t->centre.z) < 1e-3f);
    /* contact shadows: one blended chunk per booth (its floor's and its landmark's) and the stage's */
    int shadow_chunks = 0;
    for (int k = 0; k < sc.chunk_count; k++)
        shadow_chunks += sc.chunks[k].material == sc.shadow_material;
    CHECK(sc.shadow_material > 0 && sc.materials[sc.shadow_material].alpha_mode == MH_ALPHA_BLEND);
    CHECK(shadow_chunks == h.booth_count + 1);
    mh_scene_free(&sc);
    /* "turn": 0 on an exhibit keeps its landmark still */
    h.booths[0].exhibit.turn_set = true;
    h.booths[0].exhibit.turn_deg_s = 0;
    CHECK(mh_scene_build(&sc, &h, (mh_sign_text){0}, &a, &err));
    CHECK(sc.turn_count == h.booth_count - 1);
    mh_scene_free(&sc);
    mh_arena_free(&a);
}

/* A distance-field font for the signs' glyph quads: every code point but
 * the space is a 6 x 8 field whose texels say which it is, 1 pixel right
 * of the pen and 7 up, advancing 10 pixels at 20 px; it counts how often
 * each is asked for. */
typedef struct field_font {
    uint8_t field[6 * 8];
    uint32_t seen[4096];
    int distinct, calls;
} field_font;

static bool field_glyph(void *font, uint32_t cp, mh_sign_glyph *out)
{
    field_font *f = font;
    f->calls++;
    bool known = false;
    for (int i = 0; i < f->distinct && !known; i++)
        known = f->seen[i] == cp;
    if (!known && f->distinct < 4096)
        f->seen[f->distinct++] = cp;
    *out = (mh_sign_glyph){.advance = cp == ' ' ? 5.0f : 10.0f};
    if (cp == ' ')
        return true;
    memset(f->field, 0x80 | (int)(cp & 0x7f), sizeof f->field);
    *out = (mh_sign_glyph){.sdf = f->field, .width = 6, .height = 8, .pitch = 6, .left = 1, .top = 7, .advance = 10};
    return true;
}

static int glyphs_in(const char *utf8)
{
    int n = 0;
    for (const char *s = utf8; s && *s;)
        n += mh_utf8_next(&s) != ' ';
    return n;
}

/* The amounts the engine hands the scene (mh_units in the interface): a
 * stand-in that names the fact and the language. */
static void fake_amount(const mh_fact *f, bool zh, char *out, size_t size)
{
    snprintf(out, size, "%s:%s", zh ? "zh" : "en", f->id);
}

/* With distance-field glyphs no sign is baked: one R8 atlas holds each
 * code point once, one blended unlit material reads it, and every
 * character of every sign (the hall's, two a booth, both faces of each
 * zone's) is a quad of the field's shape sampling its own glyph's texels. */
static void test_sign_glyphs(void)
{
    mh_arena a;
    mh_hall_desc h;
    if (!load_hall(&a, &h)) {
        CHECK(!"hall");
        return;
    }
    static field_font font;
    painter_log log = {0};
    mh_scene sc;
    mh_error err;
    mh_sign_text text = {.draw_line = record_line,
                         .glyph = field_glyph,
                         .font = &font,
                         .glyph_px = 20,
                         .amount = fake_amount};
    text.ascender = 16;
    text.descender = 4;
    CHECK(mh_scene_build(&sc, &h, text, &a, &err));
    CHECK(log.calls == 0);
    CHECK(font.calls == font.distinct && font.distinct > 50);
    int atlas = -1, fields = 0, baked = 0;
    for (int t = 0; t < sc.texture_count; t++) {
        fields += sc.textures[t].channels == 1;
        atlas = sc.textures[t].channels == 1 ? t : atlas;
        baked += sc.textures[t].sign_rect[2] > 0;
    }
    CHECK(fields == 1 && baked == 0);
    int material = -1;
    for (int m = 0; m < sc.material_count; m++)
        material = sc.materials[m].sdf ? m : material;
    if (atlas < 0 || material < 0) {
        CHECK(!"atlas and material");
        mh_scene_free(&sc);
        mh_arena_free(&a);
        return;
    }
    const mh_scene_texture *at = &sc.textures[atlas];
    const mh_material *mt = &sc.materials[material];
    CHECK(mt->unlit && mt->alpha_mode == MH_ALPHA_BLEND && mt->slots[MH_TEX_BASE].texture == atlas);
    CHECK(fabsf(mt->slots[MH_TEX_BASE].xform[0] * (float)at->width - 1) < 1e-5f);
    CHECK(fabsf(mt->slots[MH_TEX_BASE].xform[3] * (float)at->height - 1) < 1e-5f);
    int expected = 0, figures = 0;
    for (int i = 0; i < h.sign_count; i++)
        for (int l = 0; l < h.signs[i].line_count; l++)
            expected += glyphs_in(h.signs[i].lines[l].text);
    for (int i = 0; i < h.booth_count; i++) {
        mh_sign_desc header, panel;
        mh_scene_booth_signs(&h, &h.booths[i].exhibit, &header, &panel);
        for (int l = 0; l < header.line_count; l++)
            expected += glyphs_in(header.lines[l].text);
        for (int l = 0; l < panel.line_count; l++)
            expected += glyphs_in(panel.lines[l].text);
        const mh_exhibit_desc *x = &h.booths[i].exhibit;
        const mh_booth_template *t = &h.templates[h.booths[i].template_index];
        for (int k = 0; k < t->part_count && x->loaded && x->short_zh; k++) /* labels: the counters' screens */
            if (t->parts[k].label == MH_LABEL_NAME)
                expected += glyphs_in(x->short_zh) + glyphs_in(x->short_en);
        /* key figures: the first two facts with a wall caption, one a side
           (none of these exhibits has a photo or a video to take a side) */
        for (int k = 0, shown = 0; k < x->fact_count && shown < 2 && x->loaded; k++) {
            const mh_fact *f = &x->facts[k];
            if (!f->wall_zh)
                continue;
            char zh[96], en[96];
            fake_amount(f, true, zh, sizeof zh);
            fake_amount(f, false, en, sizeof en);
            expected += glyphs_in(zh) + glyphs_in(en) + glyphs_in(f->wall_zh) + glyphs_in(f->wall_en);
            figures++;
            shown++;
        }
    }
    for (int i = 0; i < h.zone_count; i++)
        expected += 2 * (glyphs_in(h.zones[i].name_zh) + glyphs_in(h.zones[i].name_en));
    int quads = 0, bad = 0;
    for (int c = 0; c < sc.chunk_count; c++) {
        const mh_scene_chunk *ch = &sc.chunks[c];
        if (ch->material != material)
            continue;
        for (uint32_t k = ch->first_index; k + 6 <= ch->first_index + ch->index_count; k += 6) {
            const mh_vertex *v = &sc.mesh.vertices[sc.mesh.indices[k]]; /* the quad's first corner */
            quads++;
            float du = fabsf(v[1].uv[0] - v[0].uv[0]), dv = fabsf(v[2].uv[1] - v[1].uv[1]);
            float dx = 0, dy = 0;
            for (int e = 0; e < 3; e++) {
                dx += (v[1].pos[e] - v[0].pos[e]) * (v[1].pos[e] - v[0].pos[e]);
                dy += (v[2].pos[e] - v[1].pos[e]) * (v[2].pos[e] - v[1].pos[e]);
            }
            bad += fabsf(du - 6) > 1e-3f || fabsf(dv - 8) > 1e-3f || fabsf(sqrtf(dx) / sqrtf(dy) - 0.75f) > 0.01f;
            int x = (int)((v[0].uv[0] + v[1].uv[0]) / 2), y = (int)((v[1].uv[1] + v[2].uv[1]) / 2);
            bad += x < 0 || y < 0 || x >= at->width || y >= at->height || at->rgba[(size_t)y * at->width + x] < 0x80;
        }
    }
    CHECK(quads == expected && expected > 100);
    CHECK(figures > 0); /* the hall's exhibits have key figures to show */
    CHECK(bad == 0);
    mh_scene_free(&sc);
    mh_arena_free(&a);
}

/* Levels of detail: a smooth 64x32 sphere simplified while its surface
 * moves under 1/240 and 1/80 of its size keeps its own vertices, its
 * shape (every vertex used stays on the sphere) and saves most triangles;
 * a flat box saves nothing and gets no level. */
static void test_simplify(void)
{
    enum { SEG = 64, RINGS = 32, NV = (SEG + 1) * (RINGS + 1), NI = SEG * RINGS * 6 };
    static float pos[NV * 3], nrm[NV * 3];
    static uint32_t idx[NI];
    for (int r = 0, v = 0; r <= RINGS; r++)
        for (int s = 0; s <= SEG; s++, v++) {
            float th = (float)r / RINGS * 3.14159265f, ph = (float)s / SEG * 6.2831853f;
            float n[3] = {sinf(th) * cosf(ph), cosf(th), sinf(th) * sinf(ph)};
            for (int k = 0; k < 3; k++)
                pos[v * 3 + k] = nrm[v * 3 + k] = n[k];
        }
    int ni = 0;
    for (int r = 0; r < RINGS; r++)
        for (int s = 0; s < SEG; s++) {
            uint32_t a = (uint32_t)(r * (SEG + 1) + s), b = a + SEG + 1;
            uint32_t q[6] = {a, b, a + 1, a + 1, b, b + 1};
            memcpy(&idx[ni], q, sizeof q);
            ni += 6;
        }
    mh_mesh_data m = {0};
    mh_mesh_add_box(&m, mh_m4_identity(), mh_v3(1, 1, 1), (mh_surface){.color = mh_v3(1, 1, 1)});
    uint32_t box_v = m.vertex_count, box_i = m.index_count;
    mh_mesh_add_triangles(&m, mh_m4_identity(),
                          &(mh_mesh_tris){.positions = pos,
                                          .normals = nrm,
                                          .indices = idx,
                                          .vertex_count = NV,
                                          .index_count = NI,
                                          .alpha = 1},
                          (mh_surface){.color = mh_v3(1, 1, 1)});
    CHECK(!m.failed && m.index_count == box_i + NI);
    CHECK(mh_mesh_simplify(&m, 0, box_i, 1.0f / 240.0f) == 0); /* nothing to save */
    uint32_t at1 = m.index_count, n1 = mh_mesh_simplify(&m, box_i, NI, 1.0f / 240.0f);
    uint32_t at2 = m.index_count, n2 = mh_mesh_simplify(&m, at1, n1, 1.0f / 80.0f);
    CHECK(n1 > 0 && n1 < NI * 7 / 10 && n1 % 3 == 0);
    CHECK(n2 > 0 && n2 < n1 * 8 / 10 && m.index_count == at2 + n2);
    int off_sphere = 0, outside = 0;
    for (uint32_t i = at1; i < m.index_count; i++) {
        uint32_t v = m.indices[i];
        outside += v < box_v || v >= m.vertex_count;
        const float *p = m.vertices[v < m.vertex_count ? v : 0].pos;
        off_sphere += fabsf(sqrtf(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]) - 1.0f) > 1e-4f;
    }
    CHECK(outside == 0 && off_sphere == 0);
    printf("test_simplify: a %d-triangle sphere -> %u -> %u triangles\n", NI / 3, n1 / 3, n2 / 3);
    mh_mesh_free(&m);
}

/* mh_parallel_for: every job once, on this thread alone for one thread or
 * one job, on several otherwise; this thread takes the first job, a helper
 * the last. */
typedef struct parallel_log {
    atomic_int runs[64];
    pthread_t thread[64];
} parallel_log;

static void parallel_job(void *user, int i)
{
    parallel_log *l = user;
    atomic_fetch_add(&l->runs[i], 1);
    l->thread[i] = pthread_self();
    usleep(2000); /* long enough that the helpers are started before the jobs run out */
}

static int parallel_threads_seen(parallel_log *l, int count)
{
    int distinct = 0;
    for (int i = 0; i < count; i++) {
        bool seen = false;
        for (int j = 0; j < i && !seen; j++)
            seen = pthread_equal(l->thread[i], l->thread[j]);
        distinct += !seen;
    }
    return distinct;
}

static void test_parallel(void)
{
    static const int threads[] = {0, 1, 2, 4, 9};
    static const int counts[] = {0, 1, 40};
    for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++)
        for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
            parallel_log l = {0};
            int n = counts[c];
            mh_parallel_for(n, threads[t], parallel_job, &l);
            int once = 0;
            for (int i = 0; i < 64; i++)
                once += atomic_load(&l.runs[i]) == (i < n ? 1 : 0);
            CHECK(once == 64);
            int seen = parallel_threads_seen(&l, n), want = threads[t] > MH_PARALLEL_MAX ? MH_PARALLEL_MAX : threads[t];
            if (n > 1 && want > 1) {
                CHECK(seen >= 2 && seen <= want);
                CHECK(pthread_equal(l.thread[0], pthread_self()) && !pthread_equal(l.thread[n - 1], pthread_self()));
            } else if (n > 0) {
                CHECK(seen == 1 && pthread_equal(l.thread[0], pthread_self()));
            }
        }
    int cores = mh_parallel_threads();
    CHECK(cores >= 1 && cores <= MH_PARALLEL_MAX);
}

/* The sign atlas's distance fields (R8, the scene's one 1-channel texture). */
static const mh_scene_texture *atlas_texture(const mh_scene *sc)
{
    for (int i = 0; i < sc->texture_count; i++)
        if (sc->textures[i].channels == 1)
            return &sc->textures[i];
    return NULL;
}

/* The scene built on four threads is the one built on one: each chunk's
 * levels of detail (mh_parallel_for hands the chunks out in whatever order
 * the threads come; where a chunk's levels lie follows it) and, with
 * the hall's real font, the signs' distance fields (made on the atlas's
 * own thread as the signs are laid out, or at the end on one). */
static void test_lods_threads(void)
{
    mh_arena a;
    mh_hall_desc h;
    if (!load_hall(&a, &h)) {
        CHECK(!"hall");
        return;
    }
    mh_error err;
    mh_font *font = mh_font_open(h.fonts, h.font_count, &err);
    if (!font)
        printf("test_lods_threads: SKIPPED the signs' fields: no font of the hall's (%s)\n", err.message);
    mh_sign_text text = font ? mh_font_sign_sdf(font) : (mh_sign_text){0};
    mh_scene one, four;
    CHECK(mh_scene_build_watched(&one, &h, text, (mh_scene_watch){.threads = 1}, &a, &err));
    CHECK(mh_scene_build_watched(&four, &h, text, (mh_scene_watch){.threads = 4}, &a, &err));
    int with_levels = 0, same = 0;
    for (int k = 0; k < one.chunk_count && k < four.chunk_count; k++) {
        const mh_scene_chunk *c1 = &one.chunks[k], *c4 = &four.chunks[k];
        with_levels += c1->lod_count[0] > 0 || c1->lod_count[1] > 0;
        bool alike = !memcmp(c1->lod_count, c4->lod_count, sizeof c1->lod_count); /* where they lie may differ */
        for (int l = 0; alike && l < MH_SCENE_LODS; l++)
            alike = c1->lod_first[l] + c1->lod_count[l] <= one.mesh.index_count &&
                    c4->lod_first[l] + c4->lod_count[l] <= four.mesh.index_count &&
                    !memcmp(one.mesh.indices + c1->lod_first[l], four.mesh.indices + c4->lod_first[l],
                            sizeof(uint32_t) * c1->lod_count[l]);
        same += alike;
    }
    CHECK(with_levels >= 10); /* the landmarks and the stage have levels */
    CHECK(one.chunk_count == four.chunk_count && same == one.chunk_count);
    CHECK(one.mesh.index_count == four.mesh.index_count); /* and nothing else among the indices */
    const mh_scene_texture *t1 = atlas_texture(&one), *t4 = atlas_texture(&four);
    if (font) {
        CHECK(t1 && t4 && t1->width == t4->width && t1->height == t4->height);
        size_t n = t1 && t4 ? (size_t)t1->width * (size_t)t1->height : 0, inked = 0;
        for (size_t i = 0; i < n; i++)
            inked += t1->rgba[i] > 128; /* inside a glyph */
        CHECK(n > 0 && inked > n / 50 && !memcmp(t1->rgba, t4->rgba, n));
        printf("test_lods_threads: the signs' %zu-texel atlas alike (%zu texels inside glyphs)\n", n, inked);
    }
    printf("test_lods_threads: %d chunks with levels, alike on 1 and 4 threads (%u indices)\n", with_levels,
           one.mesh.index_count);
    mh_scene_free(&one);
    mh_scene_free(&four);
    mh_font_close(&font);
    mh_arena_free(&a);
}

int main(void)
{
    mh_log_set_level(MH_LOG_WARN);
    test_hall();
    test_sign_pixels();
    test_sign_crop();
    test_sign_glyphs();
    test_stacked();
    test_feature();
    test_watch();
    test_turn_and_shadows();
    test_simplify();
    test_parallel();
    test_lods_threads();
    return mh_test_done("test_scene");
}
