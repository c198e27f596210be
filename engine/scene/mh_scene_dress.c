/* mh_scene_dress.c - what makes the hall look lived in, built with its
 * geometry: contact shadows (a soft dark blob on the floor under every
 * booth, landmark and the stage, one generated texture drawn blended after
 * the opaque pass with its depth), the LED wall's idle card (the hall's
 * name on a lit, LED-like panel behind each hall screen, so a still frame
 * or a kiosk waiting for its first video frame never shows a black
 * rectangle), and landmarks turning slowly on their plinths (a motion per
 * landmark whose matrix follows the scene's clock: mh_scene_turn). */
#include "mh_scene_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SHADOW_PX 64
#define SHADOW_LIFT 0.012f /* above what it lies on: clear of carpets' tops (8 mm) in depth */
/* the LED card's texels a metre: the video covers it within a second, so a
 * far view's sharpness does (0.75 MB on the default hall's 10.4 m wall) */
#define CARD_PX_PER_M 48.0f
#define CARD_MAX_PX 1024

/* ---- contact shadows ------------------------------------------------------ */

/* The blobs, side by side in one texture (so a booth's shadows are one
 * draw): black, their alpha falling smoothly to nothing at the edge; the
 * left half a box one, dark over most of it, for a footprint with corners
 * (a booth's platform), the right half a round one for what stands on a
 * small base (landmarks, the stage). Quads stretch them. */
static float fade(float from, float x)
{
    float t = mh_clampf((x - from) / (1 - from), 0, 1);
    return 1 - t * t * (3 - 2 * t);
}

static int shadow_texture(mh_scene *sc)
{
    uint8_t *px = malloc(SHADOW_PX * SHADOW_PX * 2 * 4);
    if (!px)
        return -1;
    for (int y = 0; y < SHADOW_PX; y++)
        for (int x = 0; x < SHADOW_PX * 2; x++) {
            bool box = x < SHADOW_PX;
            float u = ((float)(x % SHADOW_PX) + 0.5f) / SHADOW_PX * 2 - 1, v = ((float)y + 0.5f) / SHADOW_PX * 2 - 1;
            float a = box ? fade(0.55f, fabsf(u)) * fade(0.55f, fabsf(v)) : fade(0.7f, sqrtf(u * u + v * v));
            uint8_t *p = px + (y * SHADOW_PX * 2 + x) * 4;
            p[0] = p[1] = p[2] = 0;
            p[3] = (uint8_t)(a * 255 + 0.5f);
        }
    return mh_scene_add_texture(sc, (mh_scene_texture){.width = SHADOW_PX * 2,
                                                       .height = SHADOW_PX,
                                                       .rgba = px,
                                                       .srgb = true,
                                                       .wrap_s = MH_GLTF_WRAP_CLAMP_TO_EDGE,
                                                       .wrap_t = MH_GLTF_WRAP_CLAMP_TO_EDGE});
}

static int shadow_material(mh_scene *sc)
{
    if (sc->shadow_material > 0)
        return sc->shadow_material;
    int tex = shadow_texture(sc);
    if (tex < 0)
        return -1;
    mh_material m = mh_material_plain();
    m.slots[MH_TEX_BASE].texture = tex;
    m.unlit = true;
    m.alpha_mode = MH_ALPHA_BLEND;
    sc->shadow_material = mh_scene_add_material(sc, &m);
    return sc->shadow_material;
}

void mh_scene_add_contact_shadow(mh_scene *sc, mh_mat4 xf, float w, float d, float strength, bool box, int group)
{
    int m = shadow_material(sc);
    if (m <= 0)
        return;
    mh_scene_begin_chunk(sc, m, group, -1);
    uint32_t first = sc->mesh.vertex_count;
    mh_mat4 flat = mh_m4_mul(xf, mh_m4_mul(mh_m4_translate(mh_v3(0, SHADOW_LIFT, 0)), mh_m4_rotate_x(-MH_PI / 2)));
    mh_mesh_add_quad(&sc->mesh, flat, w, d, (mh_surface){.color = mh_v3(0, 0, 0), .emissive = 1});
    uint8_t a = (uint8_t)(mh_clampf(strength, 0, 1) * 255 + 0.5f);
    for (uint32_t v = first; v < sc->mesh.vertex_count; v++) {
        mh_vertex *vx = &sc->mesh.vertices[v];
        vx->color[3] = a;
        vx->uv[0] = vx->uv[0] * 0.5f + (box ? 0 : 0.5f); /* its half of the texture */
    }
}

/* ---- the LED wall's idle card --------------------------------------------- */

static void put_px(mh_image *img, int x, int y, float r, float g, float b)
{
    uint8_t *p = img->rgba + ((size_t)y * (size_t)img->width + (size_t)x) * 4;
    p[0] = (uint8_t)(mh_clampf(r, 0, 1) * 255 + 0.5f);
    p[1] = (uint8_t)(mh_clampf(g, 0, 1) * 255 + 0.5f);
    p[2] = (uint8_t)(mh_clampf(b, 0, 1) * 255 + 0.5f);
    p[3] = 255;
}

/* A motion-graphics still in sRGB: a deep blue to violet gradient, a faint
 * LED grid, a bright diagonal streak and a glowing horizon line. */
static void card_background(mh_image *img)
{
    int w = img->width, h = img->height, cell = h / 18 > 2 ? h / 18 : 2;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            float u = (float)x / (float)w, v = (float)y / (float)h;
            float r = 0.05f + 0.22f * u * (1 - v), g = 0.10f + 0.10f * (1 - v), b = 0.28f + 0.22f * (1 - u * 0.5f);
            float streak = expf(-powf((u - 0.9f * v - 0.05f) * 9.0f, 2)) * 0.35f;
            float horizon = expf(-powf((v - 0.78f) * 40.0f, 2)) * 0.6f;
            float grid = (x % cell == 0 || y % cell == 0) ? 0.05f : 0;
            put_px(img, x, y, r + streak * 0.6f + horizon * 0.2f + grid, g + streak * 0.8f + horizon * 0.8f + grid,
                   b + streak + horizon + grid);
        }
}

static int card_texture(mh_scene *sc, const mh_hall_desc *h, mh_sign_text text, float w_m, float h_m)
{
    float scale = fminf(CARD_PX_PER_M, fminf(CARD_MAX_PX / w_m, CARD_MAX_PX / h_m));
    int w = (int)(w_m * scale + 0.5f), ht = (int)(h_m * scale + 0.5f);
    w = w < 8 ? 8 : w;
    ht = ht < 8 ? 8 : ht;
    mh_image img = {w, ht, malloc((size_t)w * (size_t)ht * 4)};
    if (!img.rgba)
        return -1;
    card_background(&img);
    if (text.draw_line) {
        const uint8_t white[3] = {255, 255, 255}, cyan[3] = {143, 214, 255};
        if (h->name_zh)
            text.draw_line(text.font, &img, h->name_zh, (int)(0.16f * (float)ht), w / 2, (int)(0.30f * (float)ht),
                           w - ht / 4, white);
        if (h->name_en)
            text.draw_line(text.font, &img, h->name_en, (int)(0.07f * (float)ht), w / 2, (int)(0.52f * (float)ht),
                           w - ht / 4, cyan);
    }
    return mh_scene_add_texture(sc, (mh_scene_texture){.width = w,
                                                       .height = ht,
                                                       .rgba = img.rgba,
                                                       .srgb = true,
                                                       .wrap_s = MH_GLTF_WRAP_CLAMP_TO_EDGE,
                                                       .wrap_t = MH_GLTF_WRAP_CLAMP_TO_EDGE});
}

void mh_scene_add_screen_cards(mh_scene *sc, const mh_hall_desc *h, mh_sign_text text)
{
    for (int i = 0; i < h->media.screen_count; i++) {
        const mh_hall_screen *s = &h->media.screens[i];
        int tex = card_texture(sc, h, text, s->size[0], s->size[1]);
        mh_material m = mh_material_plain();
        m.slots[MH_TEX_BASE].texture = tex;
        m.unlit = true;
        mh_scene_begin_chunk(sc, tex >= 0 ? mh_scene_add_material(sc, &m) : 0, MH_SCENE_GROUP_HALL, -1);
        float yaw = mh_radians(s->yaw_deg);
        /* 2 mm off the wall's face, under the video (drawn 4-8 mm off it) */
        mh_vec3 at = mh_v3(s->pos[0] + sinf(yaw) * 0.002f, s->pos[1], s->pos[2] + cosf(yaw) * 0.002f);
        mh_mesh_add_quad(&sc->mesh, mh_m4_mul(mh_m4_translate(at), mh_m4_rotate_y(yaw)), s->size[0], s->size[1],
                         (mh_surface){.color = tex >= 0 ? mh_v3(1, 1, 1) : mh_v3(0.1f, 0.2f, 0.5f), .emissive = 1});
    }
}

/* ---- turning landmarks ------------------------------------------------------ */

void mh_scene_note_turn(mh_scene *sc, int first_chunk, int end_chunk, mh_vec3 centre, float deg_per_s)
{
    if (deg_per_s == 0 || end_chunk <= first_chunk)
        return;
    for (int k = first_chunk; k < end_chunk; k++)
        if (sc->chunks[k].motion >= 0)
            return; /* a model that animates itself keeps to its own animation */
    if (!mh_scene_grow((void **)&sc->turns, sc->turn_count, &sc->turn_cap, sizeof *sc->turns, 16)) {
        sc->mesh.failed = true;
        return;
    }
    sc->turns[sc->turn_count++] = (mh_scene_turn){.first_chunk = first_chunk,
                                                  .end_chunk = end_chunk,
                                                  .motion = -1,
                                                  .centre = centre,
                                                  .rad_per_s = mh_radians(deg_per_s)};
}

/* Each noted landmark's chunks get a motion of their own (their vertices
 * stay in world space; the motion turns them about the plinth's axis). */
void mh_scene_start_turns(mh_scene *sc)
{
    for (int i = 0; i < sc->turn_count; i++) {
        mh_scene_turn *t = &sc->turns[i];
        if (!mh_scene_grow((void **)&sc->motions, sc->motion_count, &sc->motion_cap, sizeof *sc->motions, 16)) {
            sc->mesh.failed = true;
            return;
        }
        t->motion = sc->motion_count++;
        mh_aabb b = mh_aabb_empty();
        for (int k = t->first_chunk; k < t->end_chunk; k++) {
            sc->chunks[k].motion = t->motion;
            mh_aabb_add_point(&b, sc->chunks[k].bounds.min);
            mh_aabb_add_point(&b, sc->chunks[k].bounds.max);
        }
        sc->motions[t->motion] =
            (mh_scene_motion){.rig = -1, .node = -1, .skin = -1, .world = mh_m4_identity(), .local_bounds = b};
    }
    mh_scene_place_turns(sc);
}

/* Every turning landmark at the scene's clock: no allocation. */
void mh_scene_place_turns(mh_scene *sc)
{
    for (int i = 0; i < sc->turn_count; i++) {
        const mh_scene_turn *t = &sc->turns[i];
        if (t->motion < 0)
            continue;
        float a = fmodf((float)fmod((double)t->rad_per_s * sc->clock, 2 * MH_PI), 2 * MH_PI);
        mh_mat4 m = mh_m4_mul(mh_m4_translate(t->centre),
                              mh_m4_mul(mh_m4_rotate_y(a), mh_m4_translate(mh_v3_scale(t->centre, -1))));
        mh_scene_motion *mo = &sc->motions[t->motion];
        mo->world = m;
        mh_aabb b = mh_aabb_transform(mo->local_bounds, m); /* the landmark's box: each part lies inside */
        float size = mh_scene_motion_size(mo);              /* its level of detail: as at rest */
        for (int k = t->first_chunk; k < t->end_chunk; k++) {
            sc->chunks[k].bounds = b;
            sc->chunks[k].lod_size = size;
        }
    }
}
