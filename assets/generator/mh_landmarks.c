/* mh_landmarks.c - the 13 park landmarks, built procedurally from primitive
 * shapes (engine/scene/mh_mesh.c) and written as .glb by mh_assetgen.
 *
 * Each model stands on y = 0 with its front toward +Z, about 2 m across at
 * most, in metres. Colours are sRGB hex; glow >= 0.5 exports as unlit. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mh_landmarks.h"

static mh_vec3 hex(const char *s)
{
    unsigned v = (unsigned)strtoul(s + 1, NULL, 16);
    return mh_v3(mh_srgb_to_linear((float)(v >> 16 & 255) / 255.0f), mh_srgb_to_linear((float)(v >> 8 & 255) / 255.0f),
                 mh_srgb_to_linear((float)(v & 255) / 255.0f));
}

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

/* Tongzhou: the Randeng pagoda by the Grand Canal, seven tiers of eaves. */
static void tongzhou(mh_mesh_data *m)
{
    plinth(m, 1.3f, 1.0f);
    BOX(0, 0.12f, 0, 0.9f, 0.12f, 0.9f, "#8c7b66", .segments = 0);
    float y = 0.24f, d = 0.62f;
    for (int i = 0; i < 7; i++) {
        float h = 0.2f - (float)i * 0.012f;
        CYL(0, y, 0, d, h, d, "#c9b594", .segments = 8);
        CYL(0, y + h, 0, d + 0.16f, 0.04f, d + 0.16f, "#4d3b2e", .segments = 8);
        y += h + 0.04f;
        d *= 0.9f;
    }
    CYL(0, y, 0, 0.2f, 0.3f, 0.2f, "#b8862b", .top = 0, .segments = 8);
    BOX(0, 0, 0.8f, 2.6f, 0.02f, 0.28f, "#2f86d6", .emissive = 0.6f); /* the canal */
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

/* Huangpu: a cluster of development-zone towers with lit crowns. */
static void huangpu(mh_mesh_data *m)
{
    plinth(m, 1.8f, 1.2f);
    const float t[5][4] = {{-0.55f, -0.2f, 1.3f, 0.38f},
                           {-0.1f, 0.15f, 1.85f, 0.42f},
                           {0.4f, -0.25f, 1.55f, 0.36f},
                           {0.7f, 0.25f, 0.9f, 0.3f},
                           {-0.6f, 0.35f, 0.7f, 0.3f}};
    for (int i = 0; i < 5; i++) {
        BOX(t[i][0], 0.12f, t[i][1], t[i][3], t[i][2], t[i][3], "#3f6fa0", .segments = 0);
        BOX(t[i][0], 0.12f + t[i][2], t[i][1], t[i][3] * 0.8f, 0.05f, t[i][3] * 0.8f, "#7fe0ff", .emissive = 1);
    }
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

/* Shanghai: the Oriental Pearl Tower on its three legs. */
static void shanghai(mh_mesh_data *m)
{
    plinth(m, 1.2f, 1.2f);
    for (int i = 0; i < 3; i++) {
        float a = (60.0f + 120.0f * (float)i) * MH_PI / 180.0f;
        CYL(0.3f * sinf(a), 0.12f, 0.3f * cosf(a), 0.08f, 0.8f, 0.08f, "#d9d6dc",
            .rot_deg = {-22, 60.0f + 120.0f * (float)i, 0}, .segments = 12);
    }
    CYL(0, 0.12f, 0, 0.12f, 1.55f, 0.12f, "#e6e2ea", .segments = 16);
    SPH(0, 0.5f, 0, 0.5f, 0.5f, 0.5f, "#d8507a", .segments = 0);
    SPH(0, 1.12f, 0, 0.3f, 0.3f, 0.3f, "#d8507a", .segments = 0);
    SPH(0, 1.5f, 0, 0.12f, 0.12f, 0.12f, "#f07aa0", .emissive = 0.5f);
    CYL(0, 1.62f, 0, 0.05f, 0.3f, 0.05f, "#f2f2f2", .top = 0, .segments = 8);
}

/* Wuhan: the Yellow Crane Tower, red walls under golden eaves. */
static void wuhan(mh_mesh_data *m)
{
    plinth(m, 1.4f, 1.2f);
    BOX(0, 0.12f, 0, 1.0f, 0.14f, 1.0f, "#8d8478", .segments = 0);
    float y = 0.26f, w = 0.72f;
    for (int i = 0; i < 5; i++) {
        BOX(0, y, 0, w, 0.24f, w, "#b8372d", .segments = 0);
        BOX(0, y + 0.24f, 0, w + 0.26f, 0.05f, w + 0.26f, "#e2b23a", .segments = 0);
        y += 0.29f;
        w *= 0.86f;
    }
    CYL(0, y, 0, 0.3f, 0.28f, 0.3f, "#e2b23a", .top = 0, .segments = 4, .rot_deg = {0, 45, 0});
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

/* Wuxi: a ring standing on Taihu lake between two islands. */
static void wuxi(mh_mesh_data *m)
{
    CYL(0, 0, 0, 2.2f, 0.05f, 1.6f, "#205d86", .segments = 48);
    TOR(0, 0.05f, 0, 1.5f, 1, 1.5f, "#bfe9ff", .thickness = 0.07f, .rot_deg = {90, 0, 0}, .emissive = 0.5f,
        .segments = 64);
    SPH(-0.8f, -0.08f, 0.45f, 0.5f, 0.3f, 0.4f, "#3c6b3a", .segments = 0);
    SPH(0.85f, -0.1f, -0.4f, 0.6f, 0.35f, 0.5f, "#3c6b3a", .segments = 0);
}

/* Guizhou: rows of data-centre racks before a karst mountain. */
static void guizhou(mh_mesh_data *m)
{
    CYL(0, 0, -0.55f, 2.6f, 1.3f, 0.5f, "#35563d", .top = 0, .segments = 5);
    plinth(m, 1.8f, 0.9f);
    for (int x = -1; x <= 1; x++)
        for (int z = 0; z < 2; z++) {
            float px = 0.6f * (float)x, pz = -0.1f + 0.4f * (float)z;
            BOX(px, 0.12f, pz, 0.4f, 1.2f, 0.3f, "#1b1f27", .segments = 0);
            BOX(px, 0.3f, pz + 0.151f, 0.3f, 0.8f, 0.01f, "#38ff8a", .emissive = 0.9f);
        }
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
