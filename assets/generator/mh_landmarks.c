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
static mh_surface glass(const char *c) { return mat(c, 0.75f, 0.18f); }
static mh_surface glow(const char *c) { return (mh_surface){.color = hex(c), .emissive = 1}; }
/* a tower's floors lit at night: mostly its own colour, a little shading left */
static mh_surface lit(const char *c, float glow)
{
    return (mh_surface){.color = hex(c), .emissive = glow, .roughness = 0.5f};
}

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
    /* a small ball (12 sides or fewer: a capsule, a beacon) in 6 rings,
       about as fine up and down as round; a large one in 16 */
    int rings = seg <= 12 ? 6 : RINGS;
    mh_vec2 prof[RINGS + 1];
    for (int i = 0; i <= rings; i++) {
        float a = MH_PI * ((float)i / (float)rings - 0.5f);
        prof[i] = (mh_vec2){r * cosf(a), r * sinf(a)};
    }
    prof[0].x = prof[rings].x = 0;
    mh_lm_lathe(m, mh_m4_mul(xf, mh_m4_translate(c)), prof, rings + 1, seg, true, s);
}

/* A straight prism of an outline from y0 to y1, scaled by s0 at the bottom and s1 at the top. */
static void prism(mh_mesh_data *m, mh_mat4 xf, const mh_vec2 *o, int n, float y0, float y1, float s0, float s1,
                  mh_surface s)
{
    const mh_lm_level lv[2] = {{.y = y0, .sx = s0, .sz = s0}, {.y = y1, .sx = s1, .sz = s1}};
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
    hip_roof(m, ID, mh_v3(0, y + h, 0), w * 1.38f, w * 1.38f, last ? h * 1.1f : h * 0.38f, last ? 0 : 0.55f, 0.09f,
             tile);
}

/* Wuhan: the Yellow Crane Tower on Snake Hill - five storeys of golden
 * glazed eaves with upturned corners over red walls, a gourd on top. */
static void wuhan(mh_mesh_data *m)
{
    plinth(m, 1.6f, 1.6f);
    mh_lm_box(m, ID, mh_v3(0, 0.12f, 0), mh_v3(1.3f, 0.14f, 1.3f), 0, stone("#a39a8c")); /* the terrace */
    for (int k = 0; k < 3; k++) /* its flight of steps, up to the terrace's top */
        mh_lm_box(m, ID, mh_v3(0, 0.12f, 0.725f - 0.025f * (float)k),
                  mh_v3(0.4f, 0.047f * (float)(k + 1), 0.15f - 0.05f * (float)k), 0,
                  stone(k % 2 ? "#958c7f" : "#a39a8c"));
    /* 2.17 m in all: on the booth's plinth its gourd stays under the info
     * sign as the booth view sees it (2.36 m covered the sign's last line) */
    float y = 0.26f, w = 0.74f;
    for (int i = 0; i < 5; i++) {
        float h = i == 0 ? 0.28f : 0.22f;
        crane_storey(m, y, w, h, i == 4);
        y += h + 0.055f;
        w *= 0.9f;
    }
    const mh_vec2 gourd[9] = {{0.0f, 0},       {0.04f, 0},       {0.056f, 0.048f}, {0.04f, 0.096f}, {0.024f, 0.12f},
                              {0.044f, 0.16f}, {0.024f, 0.208f}, {0.008f, 0.24f},  {0, 0.272f}};
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
    for (int i = 0; i < 4; i++)                          /* its doors and false windows */
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
    const mh_vec2 spire[10] = {{0.0f, 0},      {0.06f, 0},     {0.06f, 0.03f},  {0.03f, 0.05f},  {0.05f, 0.08f},
                               {0.02f, 0.11f}, {0.04f, 0.14f}, {0.015f, 0.17f}, {0.025f, 0.24f}, {0, 0.3f}};
    mh_lm_lathe(m, at(0, y + 0.08f, 0), spire, 10, 12, true, metal("#b08d3c"));
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
        lv[i] = (mh_lm_level){.y = 580 * t, .sx = sc, .sz = sc, .twist = -t * 2 * MH_PI / 3};
    }
    mh_lm_loft(m, xf, o, N, lv, L, true, true, mat("#bcd6e6", 0.3f, 0.16f));
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
        float tw = -t * 2 * MH_PI / 3;
        mh_lm_level b[2] = {{.y = 580 * t - 2.5f, .sx = sc, .sz = sc, .twist = tw},
                            {.y = 580 * t + 2.5f, .sx = sc, .sz = sc, .twist = tw}};
        mh_lm_loft(m, xf, o, N, b, 2, true, false, lit("#d6ecff", 0.75f)); /* lit at night */
    }
    float t1 = 1, sc1 = 1 - 0.5f + 0.08f;
    mh_lm_level crown[3] = {{.y = 580, .sx = sc1, .sz = sc1, .twist = -t1 * 2 * MH_PI / 3},
                            {.y = 610, .sx = sc1 * 0.96f, .sz = sc1 * 0.96f, .twist = -2.1f},
                            {.y = 632, .sx = sc1 * 0.7f, .sz = sc1 * 0.7f, .twist = -2.15f}};
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
        lv[i] = (mh_lm_level){.y = 440 * t, .sx = 1 - 0.05f * t, .sz = 1 - 0.8f * powf(t, 1.4f)};
    }
    mh_surface g = mat("#a9c2d2", 0.3f, 0.16f);
    mh_lm_loft(m, xf, o, 8, lv, L, false, true, g);
    float d = 29 * 0.2f * 2, w = 29 * 0.95f;
    mh_lm_box(m, xf, mh_v3(-w + 4, 440, 0), mh_v3(8, 40, d), 0, g); /* the aperture's sides */
    mh_lm_box(m, xf, mh_v3(w - 4, 440, 0), mh_v3(8, 40, d), 0, g);
    mh_lm_box(m, xf, mh_v3(0, 478, 0), mh_v3(2 * w, 14, d), 0, lit("#d6ecff", 0.6f)); /* the lit top */
    mh_lm_box(m, xf, mh_v3(0, 440, 0), mh_v3(2 * w - 16, 1.5f, d * 0.8f), 0, lit("#d6ecff", 0.75f));
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
    mh_surface body = mat("#b2b9be", 0.45f, 0.26f), rim = metal("#dfe3e6"), band = lit("#ffd98f", 0.7f);
    float y = 0, h = 54.6f, sc = 1;
    for (int i = 0; i < 13; i++) {
        prism(m, xf, o, 8, y, y + h, sc, sc * 0.985f, body);
        prism(m, xf, o, 8, y + h - 1.5f, y + h + 1, sc * 1.05f, sc * 1.05f, band); /* its tiers lit gold */
        y += h;
        h *= 0.875f;
        sc *= i < 2 ? 0.98f : 0.955f;
    }
    const mh_lm_level crown[5] = {{.y = y, .sx = sc, .sz = sc},
                                  {.y = y + 12, .sx = sc * 0.8f, .sz = sc * 0.8f},
                                  {.y = y + 20, .sx = sc * 0.55f, .sz = sc * 0.55f},
                                  {.y = y + 35, .sx = sc * 0.3f, .sz = sc * 0.3f},
                                  {.y = 420, .sx = 0.02f, .sz = 0.02f}};
    mh_lm_loft(m, xf, o, 8, crown, 5, false, true, rim);
}

/* Shanghai: Lujiazui seen from the Bund across the Huangpu - the Oriental
 * Pearl Tower, then Jin Mao, the World Financial Center and Shanghai Tower
 * close together as they stand (150-200 m apart), so the booth's key
 * figures on the back wall either side stay clear of them. */
static void shanghai(mh_mesh_data *m)
{
    plinth(m, 2.0f, 1.3f);
    BOX(0, 0.12f, 0.5f, 2.0f, 0.012f, 0.26f, "#1f4f7a", .roughness = 0.06f, .metallic = 0.2f); /* the river */
    mh_vec3 k = mh_v3(1 / 316.0f, 1 / 316.0f, 1 / 316.0f);
    pearl_tower(m, mh_m4_mul(at(-0.62f, 0.12f, 0.1f), mh_m4_scale(k)));
    jin_mao(m, mh_m4_mul(at(-0.12f, 0.12f, -0.3f), mh_m4_scale(k)));
    swfc(m, mh_m4_mul(at(0.18f, 0.12f, -0.46f), mh_m4_scale(k)));
    shanghai_tower(m, mh_m4_mul(mh_m4_mul(at(0.42f, 0.12f, -0.1f), mh_m4_rotate_y(-2.2f)), mh_m4_scale(k)));
}

/* ---- structures of steel ----------------------------------------------------- */

/* An open polyline of tubes through n points: only its two ends capped. */
static void chain(mh_mesh_data *m, mh_mat4 xf, const mh_vec3 *p, int n, float r, int seg, mh_surface s)
{
    for (int i = 0; i + 1 < n; i++) {
        if (i == 0 || i + 2 == n)
            mh_lm_tube(m, xf, p[i], p[i + 1], r, seg, s);
        else
            mh_lm_tube_open(m, xf, p[i], p[i + 1], r, seg, s);
    }
}

/* A closed polygon of tubes through n points. */
static void hoop(mh_mesh_data *m, mh_mat4 xf, const mh_vec3 *p, int n, float r, int seg, mh_surface s)
{
    for (int i = 0; i < n; i++)
        mh_lm_tube_open(m, xf, p[i], p[(i + 1) % n], r, seg, s);
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
        mh_lm_tube_open(m, xf, foot[i], head[i], 2.6f, 6, steel); /* on the plinth, into the head ring */
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
                mh_lm_tube_open(m, ID, mh_v3(0, hub, z * 0.4f), rim[side][i], 0.005f, 4, steel); /* ends in hub, rim */
        }
        hoop(m, ID, rim[side], N, 0.014f, 6, steel);
    }
    /* ties between the rims (their ends inside them) and the capsules */
    for (int i = 0; i < N; i++) {
        mh_lm_tube_open(m, ID, rim[0][i], rim[1][i], 0.008f, 4, steel);
        float a = 2 * MH_PI * (float)i / N;
        mh_vec3 c = mh_v3((R + 0.05f) * cosf(a), hub + (R + 0.05f) * sinf(a) - 0.03f, 0);
        mh_mat4 cap = mh_m4_mul(mh_m4_translate(c), mh_m4_scale(mh_v3(0.045f, 0.035f, 0.05f)));
        ball(m, cap, mh_v3(0, 0, 0), 1, 10, i % 6 ? mat("#f4f6f8", 0.2f, 0.25f) : mat("#e05a8a", 0.2f, 0.25f));
    }
    post(m, mh_m4_mul(at(0, hub, 0), mh_m4_rotate_x(MH_PI / 2)), 0, 0, -0.16f, 0.16f, 0.05f, 0.05f, 16,
         steel);                              /* the hub */
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
    static const float peak[7][3] = {{0.2f, 370, 120}, {2.9f, 365, 100}, {3.5f, 360, 150}, {4.1f, 370, 125},
                                     {4.7f, 365, 160}, {5.3f, 370, 110}, {6.0f, 365, 140}}; /* none in front */
    for (int i = 0; i < 7; i++) {
        float a = peak[i][0], r = peak[i][1], h = peak[i][2];
        const mh_vec2 prof[5] = {{0.0f, 0}, {55, 0}, {42, h * 0.5f}, {20, h * 0.9f}, {0, h}};
        mh_lm_lathe(m, mh_m4_mul(xf, mh_m4_translate(mh_v3(r * cosf(a), 0, r * sinf(a)))), prof, 5, 12, true,
                    stone("#3f6a3a"));
    }
}

static void guizhou(mh_mesh_data *m)
{
    mh_mat4 xf = mh_m4_mul(at(0, 0.1f, 0), mh_m4_scale(mh_v3(1 / 330.0f, 1 / 330.0f, 1 / 330.0f)));
    CYL(0, 0, 0, 2.6f, 0.1f, 2.6f, "#23262e", .segments = 48);
    const mh_vec2 hollow[4] = {{420, 0}, {330, 60}, {262, 150}, {250, 134}};
    mh_lm_lathe(m, xf, hollow, 4, 48, false, stone("#4b6b40"));
    karst(m, xf);
    fast_telescope(m, xf);
}

/* ---- glass towers and sculptures ------------------------------------------- */

/* Suzhou: the Gate of the Orient at Jinji Lake - two glass towers leaning
 * together into one arch, 302 m high ("the trousers"). A band walked up the
 * left leg, over the top and down the right: outer edge a, the arch b. */
static void suzhou(mh_mesh_data *m)
{
    enum { N = 18, TOP = 6 };
    const float H = 1.95f, Ha = 1.45f, w0 = 0.17f;
    mh_vec2 a[2 * (N + TOP)], b[2 * (N + TOP)];
    int k = 0;
    for (int i = 0; i < N; i++) { /* up the left leg */
        float y = Ha * (float)i / (N - 1);
        float xo = 0.52f - 0.09f * powf(y / H, 2), xi = w0 * sqrtf(fmaxf(0, 1 - powf(y / Ha, 3)));
        a[k] = (mh_vec2){-xo, y};
        b[k++] = (mh_vec2){-xi, y};
    }
    for (int i = 1; i <= TOP; i++) { /* round the top-left corner to the middle */
        float t = (float)i / TOP, y = Ha + (H - Ha) * fminf(1, 2 * t), x = 2 * t > 1 ? 1 - (2 * t - 1) : 1;
        float xo = 0.52f - 0.09f * powf(y / H, 2);
        a[k] = (mh_vec2){-xo * x, y};
        b[k++] = (mh_vec2){0, Ha};
    }
    for (int i = k - 2; i >= 0; i--) { /* and the mirror image down the right */
        a[k] = (mh_vec2){-a[i].x, a[i].y};
        b[k++] = (mh_vec2){-b[i].x, b[i].y};
    }
    plinth(m, 1.4f, 0.8f);
    mh_mat4 xf = at(0, 0.12f, -0.05f);
    mh_lm_band(m, xf, a, b, k, 0.34f, mat("#7f98ac", 0.7f, 0.14f));
    for (int f = -1; f <= 1; f += 2) { /* the steel ribs of the facade */
        for (int i = 0; i < 7; i++) {
            float y = 0.12f + 0.26f * (float)(i + 1);
            float xo = 0.52f - 0.09f * powf((y - 0.12f) / H, 2);
            float xi = (y - 0.12f) < Ha ? w0 * sqrtf(fmaxf(0, 1 - powf((y - 0.12f) / Ha, 3))) : 0;
            mh_lm_box(m, ID, mh_v3((xo + xi) / 2 * (float)f, y, 0), mh_v3(xo - xi, 0.012f, 0.35f), 0, metal("#d5dbe0"));
        }
    }
    for (int f = -1; f <= 1; f += 2) /* vertical mullions on both faces of both legs */
        for (int side = -1; side <= 1; side += 2)
            for (int j = 1; j < 5; j++) {
                float u = (float)j / 5;
                mh_vec3 q[N];
                for (int i = 0; i < N; i++) {
                    float y = (Ha + 0.3f) * (float)i / (N - 1);
                    float xo = 0.52f - 0.09f * powf(y / H, 2);
                    float xi = y < Ha ? w0 * sqrtf(fmaxf(0, 1 - powf(y / Ha, 3))) : 0;
                    q[i] = mh_v3((float)f * (xi + u * (xo - xi)), 0.12f + y, (float)side * 0.173f);
                }
                chain(m, ID, q, N, 0.004f, 4, metal("#c3cbd2"));
            }
    mh_lm_box(m, ID, mh_v3(0, 0.12f + H, 0), mh_v3(0.5f, 0.04f, 0.3f), 0, glow("#bfe6ff")); /* the crown's light */
    BOX(0, 0.12f, 0.32f, 1.4f, 0.012f, 0.16f, "#2a6a8e", .roughness = 0.05f);               /* Jinji Lake */
}

/* Qiantang (Hangzhou): the city's sun and moon on the Qiantang river - the
 * golden sphere of the International Conference Center and the silver
 * crescent of the Grand Theatre - and the river's famous tidal bore. */
static void qiantang(mh_mesh_data *m)
{
    plinth(m, 2.0f, 1.3f);
    BOX(0, 0.12f, 0.48f, 2.0f, 0.012f, 0.34f, "#2a6a8e", .roughness = 0.05f, .metallic = 0.1f); /* the river */
    mh_vec3 wave[12];
    for (int i = 0; i < 12; i++) { /* the tidal bore: a white crest across the river */
        float x = -0.98f + 1.96f * (float)i / 11;
        wave[i] = mh_v3(x, 0.145f + 0.012f * sinf(7 * x), 0.5f + 0.05f * sinf(3 * x + 1));
    }
    chain(m, ID, wave, 12, 0.018f, 8, painted("#f4f8fa"));
    /* the sun: a golden sphere on its podium, its ribs */
    post(m, ID, -0.45f, -0.1f, 0.12f, 0.3f, 0.5f, 0.46f, 32, stone("#d9d3c6"));
    ball(m, ID, mh_v3(-0.45f, 0.72f, -0.1f), 0.44f, 48, metal("#e0aa3e"));
    for (int i = 0; i < 6; i++)
        TOR(-0.45f, 0.72f - 0.02f, -0.1f, 0.9f, 1, 0.9f, "#9c6d1e", .thickness = 0.012f, .metallic = 1,
            .roughness = 0.4f, .rot_deg = {90, 30.0f * (float)i, 0}, .segments = 48);
    /* the moon: a crescent shell round a glass disc */
    enum { C = 24 };
    mh_vec2 a[C], b[C];
    for (int i = 0; i < C; i++) {
        float t = -MH_PI / 2 - 0.9f + (MH_PI + 1.8f) * (float)i / (C - 1);
        a[i] = (mh_vec2){0.5f * cosf(t), 0.5f * sinf(t)};
        b[i] = (mh_vec2){0.4f * cosf(t) + 0.1f, 0.42f * sinf(t)};
    }
    mh_mat4 moon = mh_m4_mul(at(0.5f, 0.62f, -0.15f), mh_m4_rotate_y(-0.5f));
    mh_lm_band(m, mh_m4_mul(moon, mh_m4_rotate_z(MH_PI)), a, b, C, 0.12f, metal("#e8ecef"));
    post(m, mh_m4_mul(moon, mh_m4_rotate_x(MH_PI / 2)), 0, 0, -0.03f, 0.03f, 0.45f, 0.45f, 40, glass("#9fc3d8"));
    post(m, ID, 0.5f, -0.15f, 0.12f, 0.17f, 0.3f, 0.3f, 24, stone("#d9d3c6"));
}

/* Hefei: EAST, the fully superconducting tokamak - the "artificial sun" of
 * the Hefei Institutes - its D-shaped field coils round the glowing plasma. */
static mh_vec2 d_shape(float t, float r0, float y0, float a)
{
    return (mh_vec2){r0 + a * cosf(t + 0.45f * sinf(t)), y0 + 1.7f * a * sinf(t)};
}

static void hefei(mh_mesh_data *m)
{
    enum { D = 24, COILS = 16 };
    const float r0 = 0.5f, y0 = 0.78f;
    CYL(0, 0, 0, 1.9f, 0.12f, 1.9f, "#23262e", .segments = 48);
    mh_vec2 plasma[D + 1];
    for (int i = 0; i <= D; i++)
        plasma[i] = d_shape(2 * MH_PI * (float)i / D, r0, y0, 0.17f);
    uint32_t v0 = m->vertex_count;
    mh_lm_lathe(m, ID, plasma, D + 1, 48, false, glow("#ff5cd0"));
    /* the plasma hottest (near white pink) round its equator, deepening to
       violet where it turns up and down: a ring of light, not a flat fill */
    mh_vec3 hot = hex("#ffc2ee"), deep = hex("#8e3cd0");
    for (uint32_t v = v0; v < m->vertex_count; v++) {
        mh_vertex *x = &m->vertices[v];
        float t = 1 - fabsf(x->normal[1]);
        mh_vec3 c = mh_v3_lerp(deep, hot, t * t);
        const float lin[3] = {c.x, c.y, c.z};
        for (int k = 0; k < 3; k++)
            x->color[k] = (uint8_t)(mh_linear_to_srgb(lin[k]) * 255 + 0.5f);
    }
    for (int c = 0; c < COILS; c++) { /* the toroidal field coils */
        float phi = 2 * MH_PI * (float)c / COILS;
        mh_vec3 p[D];
        for (int i = 0; i < D; i++) {
            mh_vec2 q = d_shape(2 * MH_PI * (float)i / D, r0, y0, 0.27f);
            p[i] = mh_v3(q.x * cosf(phi), q.y, q.x * sinf(phi));
        }
        hoop(m, ID, p, D, 0.035f, 6, metal("#b9c0c8"));
    }
    const float pf[4][2] = {{0.95f, 1.32f}, {0.95f, 0.24f}, {0.55f, 1.42f}, {0.55f, 0.14f}};
    for (int i = 0; i < 4; i++) /* the poloidal field coils */
        TOR(0, pf[i][1] - 0.02f, 0, 2 * pf[i][0], 1, 2 * pf[i][0], "#b87333", .thickness = 0.03f, .metallic = 1,
            .roughness = 0.35f, .segments = 64);
    post(m, ID, 0, 0, 0.12f, 1.5f, 0.13f, 0.13f, 24, metal("#8c939b")); /* the central solenoid */
    for (int i = 0; i < 8; i++) {                                       /* the legs */
        float a = 2 * MH_PI * (float)i / 8 + 0.2f;
        post(m, ID, 0.7f * cosf(a), 0.7f * sinf(a), 0.12f, 0.3f, 0.04f, 0.04f, 12, painted("#4d6fa8"));
    }
}

/* Xuhui: St Ignatius Cathedral at Xujiahui - red brick Gothic, two spires
 * of slate, a rose window over the portal (real metres, 57 m spires). */
static void gable(mh_mesh_data *m, mh_mat4 xf, mh_vec3 p, float w, float h, float len, mh_surface s)
{
    const mh_vec2 tri[3] = {{w / 2, 0}, {0, h}, {-w / 2, 0}};
    prism(m, mh_m4_mul(xf, mh_m4_mul(mh_m4_translate(p), mh_m4_rotate_x(-MH_PI / 2))), tri, 3, 0, len, 1, 1, s);
}

static void cathedral_tower(mh_mesh_data *m, mh_mat4 xf, float x)
{
    mh_surface brick = mat("#9b3f33", 0, 0.8f), trim = stone("#e9e3d6"), slate = mat("#434b56", 0.45f, 0.4f);
    mh_surface dark = mat("#1e1a1c", 0, 0.6f);
    mh_lm_box(m, xf, mh_v3(x, 0, 0), mh_v3(10, 38, 10), 0, brick);
    for (int i = 0; i < 3; i++) /* stone string courses */
        mh_lm_box(m, xf, mh_v3(x, 12 + 10 * (float)i, 0), mh_v3(10.6f, 0.9f, 10.6f), 0, trim);
    for (int f = 0; f < 4; f++) /* the belfry's lancets */
        mh_lm_box(m, mh_m4_mul(xf, mh_m4_mul(mh_m4_translate(mh_v3(x, 0, 0)), mh_m4_rotate_y(MH_PI / 2 * (float)f))),
                  mh_v3(0, 27, 5.05f), mh_v3(3.2f, 8, 0.2f), 0, dark);
    mh_vec2 o[8];
    mh_lm_polygon(o, 8, 4.8f, MH_PI / 8);
    prism(m, mh_m4_mul(xf, mh_m4_translate(mh_v3(x, 0, 0))), o, 8, 38, 57, 1, 0.04f, slate);
    for (int c = 0; c < 4; c++) { /* pinnacles at the corners */
        float a = MH_PI / 4 + MH_PI / 2 * (float)c;
        mh_vec2 po[4];
        mh_lm_polygon(po, 4, 1.1f, MH_PI / 4);
        prism(m, mh_m4_mul(xf, mh_m4_translate(mh_v3(x + 6.2f * cosf(a), 0, 6.2f * sinf(a)))), po, 4, 36, 44, 1, 0.05f,
              trim);
    }
    mh_lm_box(m, xf, mh_v3(x, 57, 0), mh_v3(0.5f, 3.2f, 0.5f), 0, metal("#d9b44a")); /* the cross */
    mh_lm_box(m, xf, mh_v3(x, 58.6f, 0), mh_v3(2, 0.5f, 0.5f), 0, metal("#d9b44a"));
}

static void xuhui(mh_mesh_data *m)
{
    plinth(m, 1.3f, 1.6f);
    mh_mat4 xf = mh_m4_mul(at(0, 0.12f, 0.45f), mh_m4_scale(mh_v3(1 / 31.0f, 1 / 31.0f, 1 / 31.0f)));
    mh_surface brick = mat("#9b3f33", 0, 0.8f), trim = stone("#e9e3d6"), slate = mat("#434b56", 0.45f, 0.4f);
    mh_lm_box(m, xf, mh_v3(0, 0, -22), mh_v3(22, 22, 36), 0, brick); /* the nave */
    gable(m, xf, mh_v3(0, 22, -4), 24, 9, 36, slate);                /* its roof */
    mh_lm_box(m, xf, mh_v3(0, 0, -22), mh_v3(32, 12, 32), 0, brick); /* the aisles */
    mh_lm_box(m, xf, mh_v3(0, 0, -1), mh_v3(12, 27, 8), 0, brick);   /* the west front */
    gable(m, xf, mh_v3(0, 27, 3), 12, 6, 8, brick);
    mh_lm_box(m, xf, mh_v3(0, 0, 3.05f), mh_v3(5, 9, 0.3f), 0, mat("#3a2418", 0, 0.5f)); /* the portal */
    ball(m, mh_m4_mul(xf, mh_m4_scale(mh_v3(1, 1, 0.15f))), mh_v3(0, 18, 20.5f), 3.6f, 24,
         mat("#3b5d9a", 0.4f, 0.15f)); /* the rose window */
    mh_vec3 rose[24];
    for (int i = 0; i < 24; i++)
        rose[i] = mh_v3(4.1f * cosf(2 * MH_PI * (float)i / 24), 18 + 4.1f * sinf(2 * MH_PI * (float)i / 24), 3.2f);
    hoop(m, xf, rose, 24, 0.45f, 6, trim);
    cathedral_tower(m, xf, -11);
    cathedral_tower(m, xf, 11);
    for (int s = -1; s <= 1; s += 2) /* the aisles' buttresses, pinnacles and lancets */
        for (int i = 0; i < 5; i++) {
            float z = -8 - 7 * (float)i, x = 16.5f * (float)s;
            mh_lm_box(m, xf, mh_v3(x, 0, z), mh_v3(2, 14, 2.4f), 0, brick);
            mh_vec2 po[4];
            mh_lm_polygon(po, 4, 1.2f, MH_PI / 4);
            prism(m, mh_m4_mul(xf, mh_m4_translate(mh_v3(x, 0, z))), po, 4, 14, 19, 1, 0.05f, trim);
            mh_lm_box(m, xf, mh_v3(16.05f * (float)s, 3, z - 3.5f), mh_v3(0.2f, 6, 2.2f), 0,
                      mat("#2a3350", 0.3f, 0.2f));
            mh_lm_box(m, xf, mh_v3(11.05f * (float)s, 13.5f, z - 3.5f), mh_v3(0.2f, 6, 2), 0,
                      mat("#2a3350", 0.3f, 0.2f));
        }
    mh_lm_box(m, xf, mh_v3(0, 32.5f, 2.5f), mh_v3(0.5f, 3, 0.5f), 0, metal("#d9b44a")); /* the gable's cross */
    mh_lm_box(m, xf, mh_v3(0, 34, 2.5f), mh_v3(1.8f, 0.5f, 0.5f), 0, metal("#d9b44a"));
}

/* Chengdu: the giant panda climbing the IFS tower on Chunxi Road, its back to
 * the street and its head turned to look down at you. */
static void egg(mh_mesh_data *m, mh_vec3 c, mh_vec3 r, mh_vec3 rot, mh_surface s)
{
    mh_mat4 xf = mh_m4_trs(c, rot, r);
    ball(m, xf, mh_v3(0, 0, 0), 1, 20, s);
}

static void chengdu(mh_mesh_data *m)
{
    mh_surface fur = mat("#f2f0ea", 0, 0.9f), black = mat("#1b1b1d", 0, 0.85f);
    plinth(m, 1.5f, 1.0f);
    mh_lm_box(m, ID, mh_v3(0, 0.12f, -0.15f), mh_v3(1.3f, 1.1f, 0.6f), 0, glass("#7c95a8"));
    for (int i = 1; i < 8; i++) /* floor slabs */
        mh_lm_box(m, ID, mh_v3(0, 0.12f + 0.1375f * (float)i, -0.15f), mh_v3(1.31f, 0.012f, 0.61f), 0,
                  painted("#d6d9dc"));
    mh_lm_box(m, ID, mh_v3(0, 1.22f, -0.15f), mh_v3(1.34f, 0.05f, 0.64f), 0, painted("#e4e6e8"));   /* parapet */
    egg(m, mh_v3(0.1f, 1.0f, 0.28f), mh_v3(0.17f, 0.25f, 0.13f), mh_v3(0.15f, 0, -0.08f), fur);     /* the body */
    egg(m, mh_v3(0.11f, 1.14f, 0.27f), mh_v3(0.185f, 0.1f, 0.14f), mh_v3(0.15f, 0, -0.08f), black); /* shoulders */
    egg(m, mh_v3(-0.04f, 1.2f, 0.2f), mh_v3(0.06f, 0.15f, 0.06f), mh_v3(-0.3f, 0, 0.35f),
        black); /* arms on the parapet */
    egg(m, mh_v3(0.26f, 1.2f, 0.2f), mh_v3(0.06f, 0.15f, 0.06f), mh_v3(-0.3f, 0, -0.35f), black);
    egg(m, mh_v3(-0.02f, 0.8f, 0.26f), mh_v3(0.075f, 0.14f, 0.08f), mh_v3(0.1f, 0, 0.5f), black); /* legs */
    egg(m, mh_v3(0.22f, 0.82f, 0.26f), mh_v3(0.075f, 0.14f, 0.08f), mh_v3(0.1f, 0, -0.4f), black);
    egg(m, mh_v3(0.1f, 0.78f, 0.38f), mh_v3(0.04f, 0.035f, 0.03f), mh_v3(0, 0, 0), fur); /* the tail */
    mh_vec3 h = mh_v3(0.14f, 1.33f, 0.3f); /* the head, turned to the street */
    egg(m, h, mh_v3(0.125f, 0.11f, 0.115f), mh_v3(0, 0, 0), fur);
    for (int s = -1; s <= 1; s += 2) {
        egg(m, mh_v3_add(h, mh_v3(0.085f * (float)s, 0.085f, -0.02f)), mh_v3(0.04f, 0.04f, 0.025f), mh_v3(0, 0, 0),
            black); /* ears */
        egg(m, mh_v3_add(h, mh_v3(0.045f * (float)s, 0.01f, 0.095f)), mh_v3(0.03f, 0.038f, 0.02f),
            mh_v3(0, 0, 0.5f * (float)s), black); /* eye patches */
    }
    egg(m, mh_v3_add(h, mh_v3(0, -0.035f, 0.11f)), mh_v3(0.018f, 0.012f, 0.012f), mh_v3(0, 0, 0), black); /* nose */
}

/* Shandong: "The Wind of May" on Qingdao's May Fourth Square - a red steel
 * whirlwind of ribbons spiralling up (30 m), on its square. */
static void shandong(mh_mesh_data *m)
{
    enum { A = 10, L = 28 };
    CYL(0, 0, 0, 2.0f, 0.12f, 2.0f, "#23262e", .segments = 48);
    CYL(0, 0.12f, 0, 1.7f, 0.02f, 1.7f, "#c9c2b4", .segments = 48, .roughness = 0.7f); /* the square */
    mh_vec2 o[2 * A]; /* a ribbon's section: a thick arc */
    for (int i = 0; i < A; i++) {
        float t = 1.2f * (float)i / (A - 1);
        o[i] = (mh_vec2){cosf(t), sinf(t)};
        o[2 * A - 1 - i] = (mh_vec2){0.86f * cosf(t), 0.86f * sinf(t)};
    }
    for (int r = 0; r < 3; r++) {
        mh_lm_level lv[L];
        for (int i = 0; i < L; i++) {
            float t = (float)i / (L - 1),
                  sc = 0.5f * (0.55f + 0.9f * sinf(MH_PI * (0.15f + 0.7f * t))) * (1 - 0.5f * t);
            lv[i] = (mh_lm_level){.y = 0.14f + 1.7f * t,
                                  .sx = sc,
                                  .sz = sc,
                                  .twist = 2 * MH_PI / 3 * (float)r + 5.0f * t,
                                  .ox = 0.12f * t * t};
        }
        mh_lm_loft(m, ID, o, 2 * A, lv, L, true, false, mat("#c8202a", 0.3f, 0.35f));
    }
}

/* Xiamen: the Shimao Straits towers on the harbour - two glass sails whose
 * tops sweep back from the sea. */
static void sail_tower(mh_mesh_data *m, mh_mat4 xf, float h)
{
    enum { N = 32, L = 16 };
    mh_vec2 o[N];
    for (int i = 0; i < N; i++) {
        float a = 2 * MH_PI * (float)i / N;
        o[i] = (mh_vec2){0.17f * cosf(a), 0.12f * sinf(a)};
    }
    mh_lm_level lv[L];
    for (int i = 0; i < L; i++) {
        float t = (float)i / (L - 1), top = t < 0.6f ? 0 : (t - 0.6f) / 0.4f;
        float sz = 1 - 0.92f * top * top;
        lv[i] = (mh_lm_level){.y = h * t, .sx = 1 - 0.1f * top, .sz = sz, .oz = -0.12f * (1 - sz)};
    }
    mh_lm_loft(m, xf, o, N, lv, L, true, true, glass("#6f9bb0"));
    for (int i = 1; i < L - 1; i++) /* floor bands every level */
        for (int k = 0; k < 2; k++) {
            float y = h * ((float)i + 0.5f * (float)k) / (L - 1);
            const mh_lm_level *v = &lv[i];
            if (k && i + 1 < L) { /* halfway to the next level */
                v = &(mh_lm_level){.y = y,
                                   .sx = (lv[i].sx + lv[i + 1].sx) / 2,
                                   .sz = (lv[i].sz + lv[i + 1].sz) / 2,
                                   .oz = (lv[i].oz + lv[i + 1].oz) / 2};
            }
            const mh_lm_level b[2] = {{.y = y - 0.006f, .sx = v->sx * 1.02f, .sz = v->sz * 1.02f, .oz = v->oz},
                                      {.y = y + 0.006f, .sx = v->sx * 1.02f, .sz = v->sz * 1.02f, .oz = v->oz}};
            mh_lm_loft(m, xf, o, N, b, 2, true, false, painted("#dfe6ea"));
        }
    mh_vec3 p[2][N / 2 + 1];
    for (int e = 0; e < 2; e++) /* the lit edge of the sail, front and back */
        for (int i = 0; i <= N / 2; i++) {
            const mh_lm_level *v = &lv[L - 1 - 3 * e];
            float a = MH_PI * (float)i / (N / 2);
            p[e][i] = mh_v3(0.17f * cosf(a) * v->sx, v->y, 0.12f * sinf(a) * v->sz + v->oz);
        }
    chain(m, xf, p[0], N / 2 + 1, 0.008f, 4, glow("#dff4ff"));
}

static void xiamen(mh_mesh_data *m)
{
    plinth(m, 1.6f, 1.1f);
    BOX(0, 0.12f, 0.42f, 1.6f, 0.012f, 0.26f, "#2a6a8e", .roughness = 0.05f); /* the harbour */
    mh_lm_box(m, ID, mh_v3(0, 0.12f, -0.1f), mh_v3(1.2f, 0.16f, 0.55f), 0, mat("#b9c3c9", 0.3f, 0.35f));
    sail_tower(m, mh_m4_mul(at(-0.3f, 0.28f, -0.1f), mh_m4_rotate_y(0.25f)), 1.6f);
    sail_tower(m, mh_m4_mul(at(0.3f, 0.28f, -0.1f), mh_m4_rotate_y(-0.25f)), 1.45f);
}

const mh_landmark MH_LANDMARKS[] = {
    {"tongzhou", tongzhou}, {"qiantang", qiantang}, {"huangpu", huangpu}, {"xuhui", xuhui}, {"shanghai", shanghai},
    {"wuhan", wuhan},       {"hefei", hefei},       {"chengdu", chengdu}, {"wuxi", wuxi},   {"guizhou", guizhou},
    {"shandong", shandong}, {"xiamen", xiamen},     {"suzhou", suzhou},   {NULL, NULL},
};
