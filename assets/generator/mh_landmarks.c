/* mh_landmarks.c - the 13 park landmarks, built procedurally from primitive
 * shapes (engine/scene/mh_mesh.c) and written as .glb by mh_assetgen.
 *
 * Each model stands on y = 0 with its front toward +Z, about 2 m across at
 * most, in metres. Colours are sRGB hex; glow >= 0.5 exports as unlit. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mh_landmarks.h"
#include "mh_landmarks_geom.h"

static mh_vec3 hex(const char *s)
{
    unsigned v = (unsigned)strtoul(s + 1, NULL, 16);
    return mh_v3(mh_srgb_to_linear((float)(v >> 16 & 255) / 255.0f), mh_srgb_to_linear((float)(v >> 8 & 255) / 255.0f),
                 mh_srgb_to_linear((float)(v & 255) / 255.0f));
}

/* Materials (glTF metallic-roughness): polished stone, brushed metal,
 * curtain-wall glass (a dark, metallic, smooth mirror of the hall), glow. */
static mh_surface mat(const char *c, float metallic, float roughness)
{
    return (mh_surface){.color = hex(c), .metallic = metallic, .roughness = roughness};
}
static mh_surface stone(const char *c) { return mat(c, 0, 0.8f); }
static mh_surface metal(const char *c) { return mat(c, 1, 0.35f); }
static mh_surface painted(const char *c) { return mat(c, 0.2f, 0.4f); }
static mh_surface glass(const char *c) { return mat(c, 0.75f, 0.1f); }
static mh_surface glow(const char *c) { return (mh_surface){.color = hex(c), .emissive = 1}; }

#define ID mh_m4_identity()
static mh_mat4 at(float x, float y, float z) { return mh_m4_translate(mh_v3(x, y, z)); }

static void add(mh_mesh_data *m, mh_shape_desc d) { mh_mesh_add_shape(m, &d, mh_m4_identity()); }

#define SHAPE(k, x, y, z, sx, sy, sz, col, ...)  \
    add(m, (mh_shape_desc){.kind = (k),          \
                           .pos = {x, y, z},     \
                           .size = {sx, sy, sz}, \
                           .color = hex(col),    \
                           .top = 1,             \
                           .thickness = 0.25f,   \
                           __VA_ARGS__})
#define BOX(...) SHAPE(MH_SHAPE_BOX, __VA_ARGS__)
#define CYL(...) SHAPE(MH_SHAPE_CYLINDER, __VA_ARGS__)
#define SPH(...) SHAPE(MH_SHAPE_SPHERE, __VA_ARGS__)
#define TOR(...) SHAPE(MH_SHAPE_TORUS, __VA_ARGS__)

static void plinth(mh_mesh_data *m, float w, float d) { BOX(0, 0, 0, w, 0.12f, d, "#23262e", .segments = 0); }

/* ---- shared parts ---------------------------------------------------------- */

/* A sphere of radius r centred at c. */
static void ball(mh_mesh_data *m, mh_mat4 xf, mh_vec3 c, float r, int seg, mh_surface s)
{
    enum { RINGS = 16 };
    mh_vec2 prof[RINGS + 1];
    for (int i = 0; i <= RINGS; i++) {
        float a = MH_PI * ((float)i / RINGS - 0.5f);
        prof[i] = (mh_vec2){r * cosf(a), r * sinf(a)};
    }
    prof[0].x = prof[RINGS].x = 0;
    mh_lm_lathe(m, mh_m4_mul(xf, mh_m4_translate(c)), prof, RINGS + 1, seg, true, s);
}

/* A straight prism of an outline from y0 to y1, scaled by s0 at the bottom and s1 at the top. */
static void prism(mh_mesh_data *m, mh_mat4 xf, const mh_vec2 *o, int n, float y0, float y1, float s0, float s1,
                  mh_surface s)
{
    const mh_lm_level lv[2] = {{y0, s0, s0, 0}, {y1, s1, s1, 0}};
    mh_lm_loft(m, xf, o, n, lv, 2, false, true, s);
}

/* A vertical cylinder (frustum) of radii r0 -> r1 from y0 to y1 at (x, z). */
static void post(mh_mesh_data *m, mh_mat4 xf, float x, float z, float y0, float y1, float r0, float r1, int seg,
                 mh_surface s)
{
    const mh_vec2 prof[2] = {{r0, y0}, {r1, y1}};
    mh_lm_lathe(m, mh_m4_mul(xf, at(x, 0, z)), prof, 2, seg, true, s);
}

/* ---- Chinese towers ----------------------------------------------------------- */

/* A hipped roof over a w x d rectangle centred at p, its corners upturned. */
static void hip_roof(mh_mesh_data *m, mh_mat4 xf, mh_vec3 p, float w, float d, float h, float top, float up,
                     mh_surface s)
{
    mh_mat4 t = mh_m4_mul(xf, mh_m4_mul(mh_m4_translate(p), mh_m4_scale(mh_v3(w, 1, d))));
    mh_lm_roof(m, t, 4, MH_PI / 4, 0.7071f, top, h, up / fminf(w, d), s);
}

/* One storey of the Yellow Crane Tower: red walls on a cross-shaped plan
 * (a square with a gabled bay on each side), a balcony, golden eaves. */
static void crane_storey(mh_mesh_data *m, float y, float w, float h, bool last)
{
    mh_surface red = mat("#b0302a", 0, 0.55f), tile = mat("#e8b23a", 0.15f, 0.3f), rail = stone("#e9e2d0");
    mh_surface win = mat("#4a1c16", 0, 0.4f);
    mh_lm_box(m, ID, mh_v3(0, y, 0), mh_v3(w, h, w), 0, red);
    mh_lm_box(m, ID, mh_v3(0, y, 0), mh_v3(w * 1.16f, 0.035f, w * 1.16f), 0, rail);
    for (int i = 0; i < 4; i++) { /* a bay and its windows on each side */
        float a = MH_PI / 2 * (float)i;
        mh_mat4 r = mh_m4_rotate_y(a);
        mh_lm_box(m, r, mh_v3(0, y, w * 0.5f), mh_v3(w * 0.56f, h * 0.92f, w * 0.24f), 0, red);
        mh_lm_box(m, r, mh_v3(0, y + h * 0.22f, w * 0.62f + 0.002f), mh_v3(w * 0.4f, h * 0.5f, 0.01f), 0, win);
        if (!last)
            hip_roof(m, r, mh_v3(0, y + h * 0.92f, w * 0.52f), w * 0.78f, w * 0.42f, h * 0.3f, 0.15f, 0.05f, tile);
    }
    hip_roof(m, ID, mh_v3(0, y + h, 0), w * 1.38f, w * 1.38f, last ? h * 1.1f : h * 0.38f, last ? 0 : 0.55f,
             0.09f, tile);
}

/* Wuhan: the Yellow Crane Tower on Snake Hill - five storeys of golden
 * glazed eaves with upturned corners over red walls, a gourd on top. */
static void wuhan(mh_mesh_data *m)
{
    plinth(m, 1.6f, 1.6f);
    mh_lm_box(m, ID, mh_v3(0, 0.12f, 0), mh_v3(1.3f, 0.14f, 1.3f), 0, stone("#a39a8c")); /* the terrace */
    mh_lm_box(m, ID, mh_v3(0, 0.12f, 0.7f), mh_v3(0.4f, 0.07f, 0.12f), 0, stone("#a39a8c")); /* its steps */
    float y = 0.26f, w = 0.74f;
    for (int i = 0; i < 5; i++) {
        float h = i == 0 ? 0.3f : 0.24f;
        crane_storey(m, y, w, h, i == 4);
        y += h + 0.06f;
        w *= 0.9f;
    }
    const mh_vec2 gourd[9] = {{0.0f, 0}, {0.05f, 0}, {0.07f, 0.06f}, {0.05f, 0.12f}, {0.03f, 0.15f},
                              {0.055f, 0.2f}, {0.03f, 0.26f}, {0.01f, 0.3f}, {0, 0.34f}};
    mh_lm_lathe(m, at(0, y + 0.2f, 0), gourd, 9, 16, true, metal("#e0b040"));
}

/* Tongzhou: the Randeng (Burning Lamp) Pagoda by the Grand Canal - a
 * thirteen-tier octagonal brick pagoda of dense eaves on a carved base. */
static void tongzhou(mh_mesh_data *m)
{
    plinth(m, 1.5f, 1.3f);
    BOX(0, 0.12f, 0.5f, 1.5f, 0.012f, 0.3f, "#2a6a96", .roughness = 0.06f); /* the canal */
    mh_vec2 o[8];
    mh_lm_polygon(o, 8, 1, MH_PI / 8);
    mh_surface brick = mat("#9a9184", 0, 0.85f), tiles = mat("#4f4c48", 0, 0.6f), base = stone("#8e877b");
    prism(m, ID, o, 8, 0.12f, 0.2f, 0.46f, 0.46f, base); /* the sumeru base, in mouldings */
    prism(m, ID, o, 8, 0.2f, 0.3f, 0.4f, 0.4f, base);
    prism(m, ID, o, 8, 0.3f, 0.36f, 0.44f, 0.44f, base);
    prism(m, ID, o, 8, 0.36f, 0.74f, 0.3f, 0.3f, brick); /* the tall first storey */
    for (int i = 0; i < 4; i++) /* its doors and false windows */
        mh_lm_box(m, mh_m4_rotate_y(MH_PI / 2 * (float)i), mh_v3(0, 0.42f, 0.28f), mh_v3(0.12f, 0.22f, 0.02f), 0,
                  i % 2 ? mat("#5a3a2a", 0, 0.5f) : mat("#6b2a22", 0, 0.5f));
    float y = 0.74f;
    for (int i = 0; i < 13; i++) {
        float t = (float)i / 12, r = 0.3f * (1 - 0.3f * t * t) + 0.015f * sinf(MH_PI * t);
        mh_lm_roof(m, at(0, y, 0), 8, MH_PI / 8, r * 1.2f, 0.8f, 0.028f, 0.018f, tiles);
        prism(m, ID, o, 8, y + 0.02f, y + 0.082f, r, r * 0.985f, brick);
        y += 0.082f;
    }
    mh_lm_roof(m, at(0, y, 0), 8, MH_PI / 8, 0.26f, 0, 0.08f, 0.02f, tiles);
    const mh_vec2 spire[10] = {{0.0f, 0}, {0.06f, 0}, {0.06f, 0.03f}, {0.03f, 0.05f}, {0.05f, 0.08f},
                               {0.02f, 0.11f}, {0.04f, 0.14f}, {0.015f, 0.17f}, {0.025f, 0.24f}, {0, 0.3f}};
    mh_lm_lathe(m, at(0, y + 0.08f, 0), spire, 10, 12, true, metal("#b08d3c"));
}

/* Qiantang: tide rings around a slender glass tower. */
static void qiantang(mh_mesh_data *m)
{
    CYL(0, 0, 0, 1.9f, 0.06f, 1.9f, "#1c5b8c", .segments = 48);
    const float ring[3][3] = {{1.7f, 0.1f, 12}, {1.3f, 0.35f, -14}, {0.95f, 0.62f, 16}};
    for (int i = 0; i < 3; i++)
        TOR(0, ring[i][1], 0, ring[i][0], 1, ring[i][0], "#3fd0e0", .thickness = 0.05f, .emissive = 0.6f,
            .rot_deg = {ring[i][2], 0, 0}, .segments = 48);
    CYL(0, 0.06f, 0, 0.34f, 1.75f, 0.34f, "#a8dcec", .top = 0.45f, .segments = 24);
    SPH(0, 1.78f, 0, 0.16f, 0.16f, 0.16f, "#e6fbff", .emissive = 1);
}

/* Xuhui: a riverside gallery with a ring sculpture and an AI core. */
static void xuhui(mh_mesh_data *m)
{
    plinth(m, 1.8f, 1.1f);
    BOX(0, 0.12f, -0.1f, 1.5f, 0.55f, 0.7f, "#d7d2c8", .segments = 0);
    BOX(-0.2f, 0.67f, -0.1f, 1.0f, 0.06f, 0.9f, "#a9a39a", .rot_deg = {0, 0, 8});
    TOR(0.35f, 0.75f, 0.2f, 0.9f, 1, 0.9f, "#ff8a3d", .thickness = 0.09f, .rot_deg = {90, 20, 0});
    SPH(0.35f, 1.05f, 0.2f, 0.32f, 0.32f, 0.32f, "#9ae6ff", .emissive = 0.9f);
}

/* ---- Shanghai: the Lujiazui skyline (real metres, scaled by the caller) ----- */

/* The Oriental Pearl Tower: three columns and three struts carrying two
 * great pink spheres, five small ones between, the space module and a mast. */
static void pearl_tower(mh_mesh_data *m, mh_mat4 xf)
{
    mh_surface col = stone("#e4e0dc"), pink = mat("#c8386e", 0.45f, 0.22f), mast = metal("#d8dade");
    for (int i = 0; i < 3; i++) {
        float a = 2 * MH_PI * (float)i / 3, b = a + MH_PI / 3;
        mh_lm_tube(m, xf, mh_v3(60 * cosf(b), 0, 60 * sinf(b)), mh_v3(9 * cosf(b), 110, 9 * sinf(b)), 4.5f, 12, col);
        post(m, xf, 9 * cosf(a), 9 * sinf(a), 0, 275, 4.8f, 4.8f, 12, col);
    }
    post(m, xf, 0, 0, 0, 345, 5.5f, 5.5f, 16, col);
    ball(m, xf, mh_v3(0, 93, 0), 28, 40, pink); /* a little larger than life: read from 3 m */
    ball(m, xf, mh_v3(0, 263, 0), 25, 40, pink);
    for (int i = 0; i < 5; i++) { /* five small spheres wind up between the two great ones */
        float a = 1.1f + 2.5f * (float)i;
        ball(m, xf, mh_v3(10 * cosf(a), 135 + 22 * (float)i, 10 * sinf(a)), 7, 20, pink);
    }
    post(m, xf, 0, 0, 90, 97, 28.4f, 28.4f, 40, glass("#3a2634")); /* the observation decks' windows */
    post(m, xf, 0, 0, 262, 268, 25.4f, 25.4f, 40, glass("#3a2634"));
    ball(m, xf, mh_v3(0, 340, 0), 8, 24, pink);
    post(m, xf, 0, 0, 345, 390, 4.2f, 3.4f, 12, mast);
    post(m, xf, 0, 0, 390, 430, 2.6f, 1.8f, 12, mast);
    post(m, xf, 0, 0, 430, 468, 1.2f, 0.3f, 8, mast);
    for (int i = 0; i < 3; i++)
        post(m, xf, 0, 0, 360 + 30 * (float)i, 363 + 30 * (float)i, 5.0f - (float)i, 5.0f - (float)i, 12, pink);
    ball(m, xf, mh_v3(0, 468, 0), 2.2f, 8, glow("#ff3040")); /* the beacon */
}

/* Shanghai Tower's plan: a rounded triangle with a notch at one corner. */
static int tower_outline(mh_vec2 *o, int n, float r)
{
    for (int i = 0; i < n; i++) {
        float a = 2 * MH_PI * (float)i / (float)n, w = a > MH_PI ? a - 2 * MH_PI : a;
        float rr = r * (0.9f + 0.1f * cosf(3 * a)) * (1 - 0.12f * expf(-(w / 0.1f) * (w / 0.1f)));
        o[i] = (mh_vec2){rr * cosf(a), rr * sinf(a)};
    }
    return n;
}

/* Shanghai Tower: 632 m of glass twisting a third of a turn as it tapers,
 * banded at its nine zones, with the sloping crown. */
static void shanghai_tower(mh_mesh_data *m, mh_mat4 xf)
{
    enum { N = 60, L = 25, ZONES = 9 };
    mh_vec2 o[N];
    tower_outline(o, N, 42);
    mh_lm_level lv[L];
    for (int i = 0; i < L; i++) {
        float t = (float)i / (L - 1), sc = 1 - 0.5f * t + 0.08f * t * t;
        lv[i] = (mh_lm_level){580 * t, sc, sc, -t * 2 * MH_PI / 3};
    }
    mh_lm_loft(m, xf, o, N, lv, L, true, true, mat("#a9c3d3", 0.6f, 0.2f));
    for (int i = 0; i + 1 < L; i++) { /* the notch's fin spirals up the tower */
        mh_vec3 p[2];
        for (int e = 0; e < 2; e++) {
            const mh_lm_level *v = &lv[i + e];
            float r = 42 * v->sx * 0.93f;
            p[e] = mh_v3(r * cosf(v->twist), v->y, r * sinf(v->twist));
        }
        mh_lm_tube(m, xf, p[0], p[1], 2.5f, 6, metal("#eef2f5"));
    }
    for (int z = 1; z <= ZONES; z++) { /* the refuge floors between zones */
        float t = (float)z / (ZONES + 0.5f), sc = (1 - 0.5f * t + 0.08f * t * t) * 1.02f;
        mh_lm_level b[2] = {{580 * t - 2.5f, sc, sc, -t * 2 * MH_PI / 3}, {580 * t + 2.5f, sc, sc, -t * 2 * MH_PI / 3}};
        mh_lm_loft(m, xf, o, N, b, 2, true, false, metal("#c9ced4"));
    }
    float t1 = 1, sc1 = 1 - 0.5f + 0.08f;
    mh_lm_level crown[3] = {{580, sc1, sc1, -t1 * 2 * MH_PI / 3},
                            {610, sc1 * 0.96f, sc1 * 0.96f, -2.1f},
                            {632, sc1 * 0.7f, sc1 * 0.7f, -2.15f}};
    mh_lm_loft(m, xf, o, N, crown, 3, true, true, metal("#b9c2ca"));
}

/* The Shanghai World Financial Center: a square shaft whose two sloping
 * faces narrow it to a blade, opened by the trapezoid at the top. */
static void swfc(mh_mesh_data *m, mh_mat4 xf)
{
    enum { L = 12 };
    const mh_vec2 sq[8] = {{29, 29}, {29, 29}, {-29, 29}, {-29, 29}, {-29, -29}, {-29, -29}, {29, -29}, {29, -29}};
    mh_vec2 o[8];
    for (int i = 0; i < 8; i++) /* each corner twice: sharp edges */
        o[i] = sq[(i + 1) % 8];
    mh_lm_level lv[L];
    for (int i = 0; i < L; i++) {
        float t = (float)i / (L - 1);
        lv[i] = (mh_lm_level){440 * t, 1 - 0.05f * t, 1 - 0.8f * powf(t, 1.4f), 0};
    }
    mh_surface g = glass("#8aa2b4");
    mh_lm_loft(m, xf, o, 8, lv, L, false, true, g);
    float d = 29 * 0.2f * 2, w = 29 * 0.95f;
    mh_lm_box(m, xf, mh_v3(-w + 4, 440, 0), mh_v3(8, 40, d), 0, g); /* the aperture's sides */
    mh_lm_box(m, xf, mh_v3(w - 4, 440, 0), mh_v3(8, 40, d), 0, g);
    mh_lm_box(m, xf, mh_v3(0, 478, 0), mh_v3(2 * w, 14, d), 0, g);
    mh_lm_box(m, xf, mh_v3(0, 440, 0), mh_v3(2 * w - 16, 1.5f, d * 0.8f), 0, metal("#d0d4d8"));
}

/* Jin Mao Tower: thirteen pagoda tiers, each an eighth shorter than the
 * one below, of silver glass and aluminium, under a stepped spire. */
static void jin_mao(mh_mesh_data *m, mh_mat4 xf)
{
    mh_vec2 o[8];
    for (int i = 0; i < 8; i++) { /* a square with cut corners */
        float a = MH_PI / 4 * (float)i + MH_PI / 8;
        float r = 27 / cosf(MH_PI / 8);
        o[i] = (mh_vec2){r * cosf(a), r * sinf(a)};
    }
    mh_surface body = mat("#9ea7ad", 0.8f, 0.28f), rim = metal("#dfe3e6");
    float y = 0, h = 54.6f, sc = 1;
    for (int i = 0; i < 13; i++) {
        prism(m, xf, o, 8, y, y + h, sc, sc * 0.985f, body);
        prism(m, xf, o, 8, y + h - 1.5f, y + h + 1, sc * 1.05f, sc * 1.05f, rim);
        y += h;
        h *= 0.875f;
        sc *= i < 2 ? 0.98f : 0.955f;
    }
    const mh_lm_level crown[5] = {{y, sc, sc, 0}, {y + 12, sc * 0.8f, sc * 0.8f, 0},
                                  {y + 20, sc * 0.55f, sc * 0.55f, 0}, {y + 35, sc * 0.3f, sc * 0.3f, 0},
                                  {420, 0.02f, 0.02f, 0}};
    mh_lm_loft(m, xf, o, 8, crown, 5, false, true, rim);
}

/* Shanghai: Lujiazui seen from the Bund across the Huangpu - the Oriental
 * Pearl Tower, Jin Mao, the World Financial Center and Shanghai Tower. */
static void shanghai(mh_mesh_data *m)
{
    plinth(m, 2.0f, 1.3f);
    BOX(0, 0.12f, 0.5f, 2.0f, 0.012f, 0.26f, "#1f4f7a", .roughness = 0.06f, .metallic = 0.2f); /* the river */
    mh_vec3 k = mh_v3(1 / 316.0f, 1 / 316.0f, 1 / 316.0f);
    pearl_tower(m, mh_m4_mul(at(-0.62f, 0.12f, 0.1f), mh_m4_scale(k)));
    jin_mao(m, mh_m4_mul(at(-0.08f, 0.12f, -0.3f), mh_m4_scale(k)));
    swfc(m, mh_m4_mul(at(0.28f, 0.12f, -0.42f), mh_m4_scale(k)));
    shanghai_tower(m, mh_m4_mul(mh_m4_mul(at(0.62f, 0.12f, -0.12f), mh_m4_rotate_y(-2.2f)), mh_m4_scale(k)));
}

/* Hefei: a quantum dome with three orbits. */
static void hefei(mh_mesh_data *m)
{
    plinth(m, 1.5f, 1.2f);
    SPH(0, -0.45f, 0, 1.3f, 1.3f, 1.3f, "#cfd6e0", .segments = 0);
    static const char *const orbit[3] = {"#7d5cff", "#36d6ff", "#ff5cc8"};
    for (int i = 0; i < 3; i++)
        TOR(0, 0.5f, 0, 1.4f, 1, 1.4f, orbit[i], .thickness = 0.04f, .emissive = 0.8f,
            .rot_deg = {70, 60.0f * (float)i, 0});
    SPH(0, 1.05f, 0, 0.22f, 0.22f, 0.22f, "#ffffff", .emissive = 1);
}

/* Chengdu: twin towers of Jiaozi Avenue joined by a sky bridge. */
static void chengdu(mh_mesh_data *m)
{
    plinth(m, 1.5f, 1.0f);
    BOX(-0.35f, 0.12f, 0, 0.42f, 1.8f, 0.42f, "#566b86", .segments = 0);
    BOX(0.35f, 0.12f, 0, 0.42f, 1.65f, 0.42f, "#566b86", .segments = 0);
    BOX(0, 1.2f, 0, 0.35f, 0.12f, 0.3f, "#9fe3ff", .emissive = 0.7f);
    BOX(-0.35f, 1.92f, 0, 0.3f, 0.04f, 0.3f, "#ffd36b", .emissive = 1);
    BOX(0.35f, 1.77f, 0, 0.3f, 0.04f, 0.3f, "#ffd36b", .emissive = 1);
}

/* ---- structures of steel ----------------------------------------------------- */

/* A closed polygon of tubes through n points. */
static void hoop(mh_mesh_data *m, mh_mat4 xf, const mh_vec3 *p, int n, float r, int seg, mh_surface s)
{
    for (int i = 0; i < n; i++)
        mh_lm_tube(m, xf, p[i], p[(i + 1) % n], r, seg, s);
}

/* Huangpu (Guangzhou): the Canton Tower - a twisted hyperboloid of 24
 * white steel columns tied by rings that glow at night, its narrow waist,
 * its concrete core and the mast (real metres, 600 m). */
static void canton_tower(mh_mesh_data *m, mh_mat4 xf)
{
    enum { COLS = 24, RINGS = 27 };
    const float twist = 2.0f; /* radians between a column's foot and its head */
    mh_surface steel = painted("#f2f4f6"), core = mat("#3c4452", 0.3f, 0.4f);
    mh_vec3 foot[COLS], head[COLS], ring[COLS];
    for (int i = 0; i < COLS; i++) {
        float a = 2 * MH_PI * (float)i / COLS;
        foot[i] = mh_v3(40 * cosf(a), 0, 30 * sinf(a));
        head[i] = mh_v3(27 * cosf(a + twist), 454, 20 * sinf(a + twist));
        mh_lm_tube(m, xf, foot[i], head[i], 2.6f, 6, steel);
    }
    for (int k = 0; k < RINGS; k++) {
        float t = (float)(k + 1) / (RINGS + 1);
        for (int i = 0; i < COLS; i++)
            ring[i] = mh_v3_lerp(foot[i], head[i], t);
        static const char *const light[3] = {"#7a5cff", "#c04cff", "#ff4fa8"}; /* the night's colours */
        hoop(m, xf, ring, COLS, 2.8f, 4, glow(light[k * 3 / RINGS]));
    }
    hoop(m, xf, head, COLS, 1.5f, 6, steel);
    const mh_vec2 c[2] = {{9, 0}, {9, 454}};
    mh_lm_lathe(m, mh_m4_mul(xf, mh_m4_scale(mh_v3(1, 1, 0.75f))), c, 2, 24, false, core);
    const mh_vec2 deck[3] = {{24, 430}, {25, 448}, {22, 456}};
    mh_lm_lathe(m, mh_m4_mul(xf, mh_m4_scale(mh_v3(1, 1, 0.75f))), deck, 3, 32, true, glass("#6d7f96"));
    post(m, xf, 0, 0, 456, 520, 5, 3.5f, 12, steel);
    post(m, xf, 0, 0, 520, 600, 2.5f, 0.4f, 8, steel);
    ball(m, xf, mh_v3(0, 600, 0), 2.5f, 8, glow("#ff3040"));
}

static void huangpu(mh_mesh_data *m)
{
    plinth(m, 1.0f, 1.0f);
    canton_tower(m, mh_m4_mul(at(0, 0.12f, 0), mh_m4_scale(mh_v3(1 / 300.0f, 1 / 300.0f, 1 / 300.0f))));
}

/* Wuxi: the Star of Taihu, the Ferris wheel on the lake's shore at Binhu -
 * a double rim on spokes, its capsules, two A-frame legs, the water. */
static void wuxi(mh_mesh_data *m)
{
    enum { N = 36 };
    const float R = 0.78f, hub = 0.98f, half = 0.06f;
    mh_surface steel = painted("#eef1f4");
    CYL(0, 0, 0, 2.2f, 0.1f, 1.6f, "#23262e", .segments = 48);
    CYL(0, 0.1f, 0.1f, 2.0f, 0.012f, 1.3f, "#245f86", .segments = 48, .metallic = 0.1f, .roughness = 0.05f); /* Taihu */
    mh_vec3 rim[2][N];
    for (int side = 0; side < 2; side++) {
        float z = side ? half : -half;
        for (int i = 0; i < N; i++) {
            float a = 2 * MH_PI * (float)i / N;
            rim[side][i] = mh_v3(R * cosf(a), hub + R * sinf(a), z);
            if (i % 2 == 0)
                mh_lm_tube(m, ID, mh_v3(0, hub, z * 0.4f), rim[side][i], 0.005f, 4, steel);
        }
        hoop(m, ID, rim[side], N, 0.014f, 6, steel);
    }
    for (int i = 0; i < N; i++) { /* ties between the rims and the capsules */
        mh_lm_tube(m, ID, rim[0][i], rim[1][i], 0.008f, 4, steel);
        float a = 2 * MH_PI * (float)i / N;
        mh_vec3 c = mh_v3((R + 0.05f) * cosf(a), hub + (R + 0.05f) * sinf(a) - 0.03f, 0);
        mh_mat4 cap = mh_m4_mul(mh_m4_translate(c), mh_m4_scale(mh_v3(0.045f, 0.035f, 0.05f)));
        ball(m, cap, mh_v3(0, 0, 0), 1, 10, i % 6 ? mat("#f4f6f8", 0.2f, 0.25f) : mat("#e05a8a", 0.2f, 0.25f));
    }
    post(m, mh_m4_rotate_x(MH_PI / 2), 0, 0, -0.16f, 0.16f, 0.05f, 0.05f, 16, steel); /* the hub */
    for (int side = -1; side <= 1; side += 2) /* an A-frame on each side */
        for (int leg = -1; leg <= 1; leg += 2)
            mh_lm_tube(m, ID, mh_v3(0, hub, 0.16f * (float)side), mh_v3(0.42f * (float)leg, 0.1f, 0.32f * (float)side),
                       0.03f, 8, steel);
    SPH(-0.75f, 0.02f, -0.45f, 0.5f, 0.22f, 0.35f, "#3c6b3a", .segments = 0, .roughness = 0.9f); /* an island */
}

/* Guizhou: FAST, the 500 m radio telescope in its karst hollow at Pingtang -
 * the dish of aluminium panels, six pylons and the feed cabin hung on cables
 * over it (real metres). */
static void fast_telescope(mh_mesh_data *m, mh_mat4 xf)
{
    enum { P = 14 };
    mh_vec2 in[P], out[P];
    const float R = 300, rim = 250, depth = 300 - sqrtf(300 * 300 - rim * rim);
    for (int i = 0; i < P; i++) {
        float r = rim * (float)i / (P - 1), y = 300 - sqrtf(300 * 300 - r * r);
        out[i] = (mh_vec2){r, y - 1.5f};
        in[P - 1 - i] = (mh_vec2){r, y}; /* top to bottom: facing up, into the bowl */
    }
    (void)R;
    mh_lm_lathe(m, xf, in, P, 64, false, mat("#dfe4e8", 0.35f, 0.45f));
    mh_lm_lathe(m, xf, out, P, 64, false, metal("#6f757a"));
    for (int k = 1; k < 5; k++) { /* the panel net's rings */
        float r = rim * (float)k / 5, y = 300 - sqrtf(300 * 300 - r * r) + 0.6f;
        mh_vec3 p[48];
        for (int i = 0; i < 48; i++)
            p[i] = mh_v3(r * cosf(2 * MH_PI * (float)i / 48), y, r * sinf(2 * MH_PI * (float)i / 48));
        hoop(m, xf, p, 48, 1.2f, 4, metal("#8d949a"));
    }
    for (int j = 0; j < 12; j++) { /* and its meridians */
        float a = 2 * MH_PI * (float)j / 12;
        for (int i = 0; i + 1 < P; i++) {
            mh_vec2 q0 = in[P - 1 - i], q1 = in[P - 2 - i];
            mh_lm_tube(m, xf, mh_v3(q0.x * cosf(a), q0.y + 0.6f, q0.x * sinf(a)),
                       mh_v3(q1.x * cosf(a), q1.y + 0.6f, q1.x * sinf(a)), 1.0f, 4, metal("#8d949a"));
        }
    }
    mh_vec3 cabin = mh_v3(0, 140, 0);
    for (int i = 0; i < 6; i++) {
        float a = 2 * MH_PI * (float)i / 6 + MH_PI / 6;
        mh_vec3 top = mh_v3(300 * cosf(a), depth + 120, 300 * sinf(a));
        mh_lm_tube(m, xf, mh_v3(top.x, 0, top.z), top, 7, 8, painted("#e4e7ea"));
        mh_lm_tube(m, xf, top, mh_v3_add(cabin, mh_v3(8 * cosf(a), 6, 8 * sinf(a))), 1.0f, 4, metal("#30343a"));
    }
    post(m, xf, 0, 0, 134, 146, 12, 10, 24, metal("#eef0f2")); /* the feed cabin */
    post(m, xf, 0, 0, 128, 134, 7, 12, 24, metal("#a0a6ab"));
}

/* Karst peaks round the hollow: green cones. */
static void karst(mh_mesh_data *m, mh_mat4 xf)
{
    static const float peak[7][3] = {{0.2f, 410, 120}, {2.9f, 400, 100}, {3.5f, 395, 150}, {4.1f, 405, 125},
                                     {4.7f, 400, 160}, {5.3f, 410, 110}, {6.0f, 400, 140}}; /* none in front */
    for (int i = 0; i < 7; i++) {
        float a = peak[i][0], r = peak[i][1], h = peak[i][2];
        const mh_vec2 prof[5] = {{0.0f, 0}, {55, 0}, {42, h * 0.5f}, {20, h * 0.9f}, {0, h}};
        mh_lm_lathe(m, mh_m4_mul(xf, mh_m4_translate(mh_v3(r * cosf(a), 0, r * sinf(a)))), prof, 5, 12, true,
                    stone("#3f6a3a"));
    }
}

static void guizhou(mh_mesh_data *m)
{
    mh_mat4 xf = mh_m4_mul(at(0, 0.1f, 0), mh_m4_scale(mh_v3(1 / 300.0f, 1 / 300.0f, 1 / 300.0f)));
    CYL(0, 0, 0, 2.7f, 0.1f, 2.7f, "#23262e", .segments = 48);
    const mh_vec2 hollow[4] = {{420, 0}, {330, 60}, {262, 150}, {250, 134}};
    mh_lm_lathe(m, xf, hollow, 4, 48, false, stone("#4b6b40"));
    karst(m, xf);
    fast_telescope(m, xf);
}

/* Shandong: a VR headset on a stand. */
static void shandong(mh_mesh_data *m)
{
    plinth(m, 1.4f, 1.0f);
    CYL(0, 0.12f, 0, 0.25f, 0.55f, 0.25f, "#2c2f36", .segments = 16);
    BOX(0, 0.67f, -0.05f, 1.1f, 0.55f, 0.45f, "#f2f3f5", .segments = 0);
    BOX(0, 0.72f, 0.18f, 0.95f, 0.42f, 0.02f, "#17181c", .segments = 0);
    CYL(-0.22f, 0.94f, 0.2f, 0.26f, 0.05f, 0.26f, "#3ab0ff", .rot_deg = {90, 0, 0}, .emissive = 0.9f);
    CYL(0.22f, 0.94f, 0.2f, 0.26f, 0.05f, 0.26f, "#3ab0ff", .rot_deg = {90, 0, 0}, .emissive = 0.9f);
    TOR(0, 0.68f, -0.4f, 1.0f, 1, 0.9f, "#2c2f36", .thickness = 0.07f);
}

/* Xiamen: a lighthouse on a rock, for a harbour city's talent base. */
static void xiamen(mh_mesh_data *m)
{
    SPH(0, -0.25f, 0, 1.6f, 0.6f, 1.2f, "#6b6256", .segments = 0);
    CYL(0, 0.05f, 0, 0.5f, 1.4f, 0.5f, "#f4f1ea", .top = 0.65f, .segments = 24);
    for (int i = 0; i < 2; i++) {
        float y = 0.35f + 0.5f * (float)i, d = 0.47f - y * 0.12f;
        CYL(0, y, 0, d, 0.16f, d, "#c23b32", .segments = 24);
    }
    CYL(0, 1.45f, 0, 0.3f, 0.22f, 0.3f, "#ffd34d", .emissive = 1, .segments = 16);
    CYL(0, 1.67f, 0, 0.38f, 0.25f, 0.38f, "#c23b32", .top = 0, .segments = 16);
}

/* Suzhou: the Gate of the Orient, two leaning legs under one lintel. */
static void suzhou(mh_mesh_data *m)
{
    plinth(m, 1.6f, 0.9f);
    BOX(-0.45f, 0.12f, 0, 0.42f, 1.85f, 0.5f, "#7d93a8", .rot_deg = {0, 0, -4});
    BOX(0.45f, 0.12f, 0, 0.42f, 1.85f, 0.5f, "#7d93a8", .rot_deg = {0, 0, 4});
    BOX(0, 1.55f, 0, 1.3f, 0.42f, 0.5f, "#7d93a8", .segments = 0);
    BOX(0, 1.5f, 0.26f, 0.5f, 0.3f, 0.02f, "#9fe8ff", .emissive = 0.8f);
}

const mh_landmark MH_LANDMARKS[] = {
    {"tongzhou", tongzhou}, {"qiantang", qiantang}, {"huangpu", huangpu}, {"xuhui", xuhui}, {"shanghai", shanghai},
    {"wuhan", wuhan},       {"hefei", hefei},       {"chengdu", chengdu}, {"wuxi", wuxi},   {"guizhou", guizhou},
    {"shandong", shandong}, {"xiamen", xiamen},     {"suzhou", suzhou},   {NULL, NULL},
};
