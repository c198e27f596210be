/* mh_lightbake.c - the hall's baked light, ray-cast on the CPU at asset
 * build time: the hall is built with the engine's own scene code (so the
 * bake sees exactly what the kiosk draws), its static triangles go into a
 * bounding volume hierarchy (mh_lightbake_trace.c), and every texel of the
 * floor's lightmap casts
 *   - cosine-weighted hemisphere rays: ambient occlusion from what stands
 *     within AO_RANGE (booth bases, walls, the stage) and the diffuse light
 *     of the glowing surfaces they reach (one bounce off the floor);
 *   - rays in a narrow lobe about the normal: a blurred reflection of the
 *     glowing surfaces above (ceiling panels, light boxes, the LED wall) in
 *     the polished stone, view-independent (what a CPU rasteriser can
 *     afford: the floor pays one texture fetch).
 * The walls' sides that face the hall get the same occlusion and diffuse
 * glow at each vertex of their grids (mh_lightbake_walls.c), and so does
 * each booth template's back wall, in the booth's own frame
 * (mh_lightbake_booth.c). This file bakes the floor and writes light.json
 * (mh_lightbake, the entry point).
 * Deterministic (fixed sample patterns, no rand()), so a rebake of the same
 * hall gives the same file. */
#include "mh_lightbake.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "asset/mh_png.h"
#include "core/mh_fs.h"
#include "mh_lightbake_internal.h"

#define AO_RAYS 48
#define AO_RANGE 2.5f     /* metres: what stands nearer darkens the floor */
#define AO_STRENGTH 0.85f /* of the occlusion found (the runtime's ambient is soft already) */
#define GLOSS_RAYS 24
#define GLOSS_EXPONENT 90.0f /* the reflection lobe: cos^n about the normal */
#define GLOSS_K 0.08f        /* how much a polished floor reflects, averaged over viewing angles */
#define DIFFUSE_K 0.15f      /* the glow's diffuse light, kept low so the stone stays dark */

/* ---- the floor ---------------------------------------------------------- */

/* The floor's mean colour: its shape's colour times its texture's mean
 * (the hall's textures are the scene's first, in order). */
static void floor_albedo(const mh_hall_desc *h, const mh_scene *sc, float out[3])
{
    int f = mh_bake_floor_shape(h);
    float tm[3] = {1, 1, 1};
    if (f >= 0 && h->shapes[f].texture < sc->texture_count)
        mh_lb_texture_mean(&sc->textures[h->shapes[f].texture], tm);
    mh_vec3 c = f >= 0 ? h->shapes[f].color : mh_v3(0.05f, 0.05f, 0.05f);
    out[0] = c.x * tm[0];
    out[1] = c.y * tm[1];
    out[2] = c.z * tm[2];
}

static mh_lb_texel bake_texel(const mh_lb_bvh *b, float x, float y, float z, uint32_t tx, uint32_t tz,
                              const float albedo[3])
{
    mh_lb_texel out = {{0, 0, 0}, 0};
    float o[3] = {x, y + 0.01f, z}, d[3], dist, occl = 0, diffuse[3] = {0, 0, 0}, gloss[3] = {0, 0, 0};
    float r1 = mh_lb_hash01(tx, tz, 1), r2 = mh_lb_hash01(tx, tz, 2);
    for (int k = 0; k < AO_RAYS; k++) {
        mh_lb_lobe_dir(k, AO_RAYS, 1, r1, r2, d);
        int hit = mh_lb_trace(b, o, d, &dist);
        if (hit < 0)
            continue;
        if (dist < AO_RANGE)
            occl += (1 - dist / AO_RANGE) * (1 - dist / AO_RANGE);
        for (int c = 0; c < 3; c++)
            diffuse[c] += b->tris[hit].emit[c];
    }
    r1 = mh_lb_hash01(tx, tz, 3);
    r2 = mh_lb_hash01(tx, tz, 4);
    for (int k = 0; k < GLOSS_RAYS; k++) {
        mh_lb_lobe_dir(k, GLOSS_RAYS, GLOSS_EXPONENT, r1, r2, d);
        int hit = mh_lb_trace(b, o, d, &dist);
        for (int c = 0; hit >= 0 && c < 3; c++)
            gloss[c] += b->tris[hit].emit[c];
    }
    for (int c = 0; c < 3; c++) /* cosine-weighted: irradiance / pi is the mean radiance */
        out.rgb[c] = DIFFUSE_K * albedo[c] * diffuse[c] / AO_RAYS + GLOSS_K * gloss[c] / GLOSS_RAYS;
    out.ao = 1 - AO_STRENGTH * occl / AO_RAYS;
    return out;
}

/* A 3 x 3 box blur (the rays' noise), then RGBA8: sRGB light, linear occlusion. */
static void encode(const mh_lb_texel *in, int w, int h, uint8_t *px)
{
    for (int z = 0; z < h; z++)
        for (int x = 0; x < w; x++) {
            float sum[4] = {0, 0, 0, 0}, n = 0;
            for (int dz = -1; dz <= 1; dz++)
                for (int dx = -1; dx <= 1; dx++) {
                    int sx = x + dx, sz = z + dz;
                    if (sx < 0 || sz < 0 || sx >= w || sz >= h)
                        continue;
                    const mh_lb_texel *t = &in[sz * w + sx];
                    for (int c = 0; c < 3; c++)
                        sum[c] += t->rgb[c];
                    sum[3] += t->ao;
                    n++;
                }
            uint8_t *p = px + ((size_t)z * (size_t)w + (size_t)x) * 4;
            for (int c = 0; c < 3; c++)
                p[c] = (uint8_t)(mh_linear_to_srgb(mh_clampf(sum[c] / n, 0, 1)) * 255 + 0.5f);
            p[3] = (uint8_t)(mh_clampf(sum[3] / n, 0, 1) * 255 + 0.5f);
        }
}

static int write_files(const char *hall_dir, const mh_hall_desc *h, int shape, const uint8_t *px, int w, int hgt,
                       const mh_bake_face *faces, int nfaces, int ww, int wh, const mh_lb_booth *booths)
{
    char path[4096], tex[4096];
    mh_error err;
    if (!mh_fs_join(hall_dir, "textures/light_floor.png", tex, sizeof tex) || !mh_png_write(tex, px, w, hgt, &err)) {
        fprintf(stderr, "mh_assetgen: %s: cannot write the lightmap\n", tex);
        return 1;
    }
    FILE *f = mh_fs_join(hall_dir, MH_BAKE_FILE, path, sizeof path) ? fopen(path, "w") : NULL;
    if (!f) {
        fprintf(stderr, "mh_assetgen: %s: cannot write\n", path);
        return 1;
    }
    fprintf(f,
            "{\n  \"format\": \"%s\",\n  \"generator\": \"metahall mh_assetgen (assets/generator/mh_lightbake.c)\",\n"
            "  \"hall_key\": \"%016" PRIx64
            "\",\n  \"floor\": {\"shape\": %d, \"image\": \"textures/light_floor.png\", "
            "\"size\": [%d, %d]}",
            MH_BAKE_FORMAT, mh_bake_key(h->dir), shape, w, hgt);
    mh_lb_walls_json(f, faces, nfaces, ww, wh);
    mh_lb_booths_json(f, h, booths);
    fprintf(f, "\n}\n");
    int rc = fclose(f) == 0 ? 0 : 1;
    printf("wrote %s and %s (%d x %d texels)\n", path, tex, w, hgt);
    return rc;
}

static int bake_floor(const char *hall_dir, const mh_hall_desc *h, const mh_scene *sc, const mh_lb_bvh *b,
                      const float albedo[3])
{
    int shape = mh_bake_floor_shape(h);
    if (shape < 0) {
        fprintf(stderr, "mh_assetgen: %s: the hall has no floor box to bake\n", hall_dir);
        return 1;
    }
    mh_vec2 lo, hi;
    float y;
    mh_bake_floor_rect(h, shape, &lo, &hi, &y);
    int w = (int)ceilf((hi.x - lo.x) / MH_BAKE_TEXEL_M), hgt = (int)ceilf((hi.y - lo.y) / MH_BAKE_TEXEL_M);
    mh_lb_texel *tx = malloc(sizeof *tx * (size_t)w * (size_t)hgt);
    uint8_t *px = malloc((size_t)w * (size_t)hgt * 4);
    int rc = 1;
    if (tx && px) {
        for (int z = 0; z < hgt; z++)
            for (int x = 0; x < w; x++)
                tx[z * w + x] =
                    bake_texel(b, lo.x + ((float)x + 0.5f) * (hi.x - lo.x) / (float)w, y,
                               lo.y + ((float)z + 0.5f) * (hi.y - lo.y) / (float)hgt, (uint32_t)x, (uint32_t)z, albedo);
        encode(tx, w, hgt, px);
        mh_bake_face faces[MH_BAKE_WALLS_MAX];
        int ww, wh, n = mh_bake_wall_faces(h, faces, &ww, &wh);
        uint8_t *wpx = n ? calloc((size_t)ww * (size_t)wh, 4) : NULL;
        if (n && !wpx)
            n = 0;
        if (n)
            mh_lb_bake_walls(h, sc, b, faces, n, wpx, ww);
        mh_lb_booth booths[MH_MAX_BOOTH_TEMPLATES];
        mh_lb_bake_booths(h, booths);
        rc = write_files(hall_dir, h, shape, px, w, hgt, faces, n, ww, wh, booths);
        mh_lb_free_booths(booths);
        rc |= n ? mh_lb_write_walls(hall_dir, wpx, ww, wh) : 0;
        free(wpx);
    }
    free(tx);
    free(px);
    return rc;
}

int mh_lightbake(const char *hall_dir)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    mh_arena arena = {.block_size = 256u * 1024u};
    mh_hall_desc h;
    mh_scene sc = {0};
    mh_error err;
    mh_lb_bvh b = {0};
    float albedo[3];
    int rc = 1;
    bool loaded = mh_hall_load(hall_dir, &arena, &h, &err);
    h.no_bake = true; /* the hall as it stands without its last bake (which may or may not be stale) */
    if (!loaded || !mh_scene_build(&sc, &h, (mh_sign_text){0}, &arena, &err)) {
        char text[1024];
        fprintf(stderr, "mh_assetgen: %s\n", mh_error_text(&err, text, sizeof text));
    } else {
        floor_albedo(&h, &sc, albedo);
        if (!mh_lb_collect(&b, &sc) || !mh_lb_build(&b))
            fprintf(stderr, "mh_assetgen: out of memory baking %s\n", hall_dir);
        else
            rc = bake_floor(hall_dir, &h, &sc, &b, albedo);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("baked %s: %d triangles in %.1f s\n", hall_dir, b.tri_count,
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9);
    mh_lb_free(&b);
    mh_scene_free(&sc);
    mh_arena_free(&arena);
    return rc;
}
