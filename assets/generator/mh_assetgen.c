/* mh_assetgen.c - writes the generated assets: the hall's textures and each
 * park's landmark model (assets/exhibits/<id>/landmark.glb), then the
 * default hall's baked light (mh_lightbake.c: light.json and its lightmap).
 *
 *   cmake --build build --target assets      (runs: mh_assetgen <repo>/assets)
 *
 * Output is deterministic (a fixed hash, no rand()), so regenerating gives
 * byte-identical files and golden images stay valid. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asset/mh_png.h"
#include "mh_landmarks.h"
#include "mh_lightbake.h"
#include "scene/mh_export.h"

/* A small integer hash -> 0..1, for repeatable noise. */
static float hash01(uint32_t x, uint32_t y, uint32_t seed)
{
    uint32_t h = x * 374761393u + y * 668265263u + seed * 2246822519u;
    h = (h ^ (h >> 13)) * 1274126177u;
    return (float)((h ^ (h >> 16)) & 0xFFFF) / 65535.0f;
}

/* Value noise, smoothly interpolated over cells of `cell` pixels, tiling at `period` cells. */
static float noise(float x, float y, int cell, int period, uint32_t seed)
{
    float fx = x / (float)cell, fy = y / (float)cell;
    int ix = (int)floorf(fx), iy = (int)floorf(fy);
    float tx = fx - (float)ix, ty = fy - (float)iy;
    tx = tx * tx * (3 - 2 * tx);
    ty = ty * ty * (3 - 2 * ty);
    uint32_t x0 = (uint32_t)(ix % period), x1 = (uint32_t)((ix + 1) % period);
    uint32_t y0 = (uint32_t)(iy % period), y1 = (uint32_t)((iy + 1) % period);
    float a = hash01(x0, y0, seed), b = hash01(x1, y0, seed), c = hash01(x0, y1, seed), d = hash01(x1, y1, seed);
    return (a + (b - a) * tx) + ((c + (d - c) * tx) - (a + (b - a) * tx)) * ty;
}

static void put(uint8_t *p, float r, float g, float b)
{
    p[0] = (uint8_t)fminf(255, fmaxf(0, r));
    p[1] = (uint8_t)fminf(255, fmaxf(0, g));
    p[2] = (uint8_t)fminf(255, fmaxf(0, b));
    p[3] = 255;
}

/* Writes an N x N RGBA image and frees it; 0 on success. */
static int save(const char *path, uint8_t *px, int n)
{
    mh_error err;
    int rc = mh_png_write(path, px, n, n, &err) ? 0 : 1;
    if (rc)
        fprintf(stderr, "mh_assetgen: %s: %s\n", err.file, err.message);
    else
        printf("wrote %s\n", path);
    free(px);
    return rc;
}

/* Polished stone tiles, 2x2 per texture, with thin light joints. */
static int floor_texture(const char *path)
{
    enum { N = 512, TILE = N / 2, JOINT = 3 };
    uint8_t *px = malloc(N * N * 4);
    if (!px)
        return 1;
    for (int y = 0; y < N; y++)
        for (int x = 0; x < N; x++) {
            int tx = x / TILE, ty = y / TILE, lx = x % TILE, ly = y % TILE;
            float tone = 0.85f + 0.3f * hash01((uint32_t)tx, (uint32_t)ty, 7); /* each tile a little different */
            float n = 0.6f * noise((float)x, (float)y, 32, N / 32, 1) + 0.4f * noise((float)x, (float)y, 8, N / 8, 2);
            float vein = powf(1.0f - fabsf(noise((float)x, (float)y, 64, N / 64, 3) * 2 - 1), 8.0f);
            float v = (38 + 18 * n + 22 * vein) * tone;
            bool joint = lx < JOINT || ly < JOINT;
            if (joint)
                put(px + (y * N + x) * 4, 64, 70, 84);
            else
                put(px + (y * N + x) * 4, v * 0.92f, v * 0.96f, v * 1.08f);
        }
    return save(path, px, N);
}

/* Soft acoustic wall panels: vertical boards with shadow gaps. */
static int wall_texture(const char *path)
{
    enum { N = 256, BOARD = 64 };
    uint8_t *px = malloc(N * N * 4);
    if (!px)
        return 1;
    for (int y = 0; y < N; y++)
        for (int x = 0; x < N; x++) {
            int lx = x % BOARD;
            float grain = noise((float)x * 4, (float)y * 0.25f, 8, N * 4 / 8, 11);
            float v = 200 + 25 * grain;
            if (lx < 2)
                v = 90;
            put(px + (y * N + x) * 4, v, v, v * 1.02f);
        }
    return save(path, px, N);
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "--light") != 0)) {
        fprintf(stderr, "usage: mh_assetgen ASSETS_DIR [--light]   (--light: only rebake the hall's light)\n");
        return 2;
    }
    char path[4096];
    int rc = 0;
    if (argc == 3) {
        snprintf(path, sizeof path, "%s/halls/default", argv[1]);
        return mh_lightbake(path);
    }
    snprintf(path, sizeof path, "%s/halls/default/textures/floor.png", argv[1]);
    rc |= floor_texture(path);
    snprintf(path, sizeof path, "%s/halls/default/textures/wall.png", argv[1]);
    rc |= wall_texture(path);
    for (const mh_landmark *l = MH_LANDMARKS; l->id; l++) {
        mh_mesh_data m = {0};
        l->build(&m);
        mh_error err;
        snprintf(path, sizeof path, "%s/exhibits/%s/landmark.glb", argv[1], l->id);
        if (m.failed || !mh_export_glb(path, &m, "metahall mh_assetgen", &err)) {
            fprintf(stderr, "mh_assetgen: %s: %s\n", path, m.failed ? "out of memory" : err.message);
            rc = 1;
        } else {
            printf("wrote %s (%u triangles)\n", path, m.index_count / 3);
        }
        mh_mesh_free(&m);
    }
    /* last: the bake sees the hall with the textures and landmarks just written */
    snprintf(path, sizeof path, "%s/halls/default", argv[1]);
    rc |= mh_lightbake(path);
    return rc;
}
