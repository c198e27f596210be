/* mh_lightbake.c - the hall's baked light, ray-cast on the CPU at asset
 * build time: the hall is built with the engine's own scene code (so the
 * bake sees exactly what the kiosk draws), its static triangles go into a
 * bounding volume hierarchy, and every texel of the floor's lightmap casts
 *   - cosine-weighted hemisphere rays: ambient occlusion from what stands
 *     within AO_RANGE (booth bases, walls, the stage) and the diffuse light
 *     of the glowing surfaces they reach (one bounce off the floor);
 *   - rays in a narrow lobe about the normal: a blurred reflection of the
 *     glowing surfaces above (ceiling panels, light boxes, the LED wall) in
 *     the polished stone, view-independent (what a CPU rasteriser can
 *     afford: the floor pays one texture fetch).
 * The walls' sides that face the hall (mh_bake_wall_faces) get the same
 * occlusion and diffuse glow at each vertex of their grids, each averaged
 * over the patch of wall round the vertex (soft, no point samples), into a
 * small atlas, one texel a vertex.
 * Each booth template's back wall (mh_bake_booth_wall) is baked once, in
 * the booth's own frame: one booth of it alone on an open floor, the same
 * occlusion and glow at each vertex of its front face's grid, the glow of
 * its fixed-colour parts and of its accent parts kept apart (the runtime
 * tints the latter by each booth's accent), written into light.json.
 * Deterministic (fixed sample patterns, no rand()), so a rebake of the same
 * hall gives the same file. */
#include "mh_lightbake.h"

#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
/* a booth's back wall: its own glowing strips stand a few centimetres off
 * its ends and over it, so at the walls' strength their spill washes the
 * whole wall in the accent colour; at this it is a soft tint near them */
#define BOOTH_DIFFUSE_K 0.6f

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

struct booth_out;
static void booths_json(FILE *f, const mh_hall_desc *h, const struct booth_out *o);

static int write_files(const char *hall_dir, const mh_hall_desc *h, int shape, const uint8_t *px, int w, int hgt,
                       const mh_bake_face *faces, int nfaces, int ww, int wh, const struct booth_out *booths)
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
    booths_json(f, h, booths);
    fprintf(f, "\n}\n");
    int rc = fclose(f) == 0 ? 0 : 1;
    printf("wrote %s and %s (%d x %d texels)\n", path, tex, w, hgt);
    return rc;
}

/* ---- the booths' back walls ---------------------------------------------- */

#define BOOTH_FLOOR_M 12.0f /* the open floor round the lone booth */

typedef struct booth_out {
    int part, cols, rows;
    mh_lb_texel *fixed, *accent; /* per vertex: fixed rgb and occlusion; accent in rgb[0] */
} booth_out;

/* Template t's parts in its own frame, each with what it gives off (fixed,
 * or per unit of accent), and the floor round it. */
static bool booth_tris(mh_lb_bvh *b, const mh_booth_template *t)
{
    bool ok = true;
    for (int k = 0; ok && k < t->part_count; k++) {
        const mh_booth_part *p = &t->parts[k];
        mh_mesh_data m = {0};
        mh_mesh_add_shape(&m, &p->shape, mh_m4_identity());
        float power = mh_lb_glow_power(p->shape.emissive), acc = 0;
        mh_vec3 c = p->shape.color;
        if (p->role == MH_PART_NEUTRAL)
            c = mh_v3_scale(t->neutral, p->shade);
        else if (p->role == MH_PART_ACCENT)
            c = mh_v3(0, 0, 0), acc = power * p->shade;
        float emit[3] = {power * c.x, power * c.y, power * c.z};
        for (uint32_t i = 0; ok && !m.failed && i + 2 < m.index_count; i += 3) {
            float q[3][3];
            for (int v = 0; v < 3; v++)
                memcpy(q[v], m.vertices[m.indices[i + (uint32_t)v]].pos, sizeof q[v]);
            ok = mh_lb_add_tri(b, q, emit);
            b->tris[b->tri_count - 1].accent = acc;
        }
        ok = ok && !m.failed;
        mh_mesh_free(&m);
    }
    const float f = BOOTH_FLOOR_M, none[3] = {0, 0, 0};
    const float a[3][3] = {{-f, 0, -f}, {f, 0, f}, {f, 0, -f}}, c2[3][3] = {{-f, 0, -f}, {-f, 0, f}, {f, 0, f}};
    return ok && mh_lb_add_tri(b, a, none) && mh_lb_add_tri(b, c2, none);
}

/* Vertex (i, j) of the back wall's front face: as a hall wall's
 * (bake_wall_vertex), the ray origins kept on the face; the glow of the
 * fixed-colour parts in fixed.rgb, of the accent parts in accent.rgb[0]. */
static void bake_booth_vertex(const mh_lb_bvh *b, const mh_booth_template *t, const booth_out *o, const float *rows,
                              int i, int j, mh_lb_texel *fixed, mh_lb_texel *accent)
{
    const mh_shape_desc *s = &t->parts[o->part].shape;
    mh_vec3 p, n, pv;
    mh_bake_booth_point(t, o->part, o->cols, rows, i, j, &p, &n);
    float hw = s->size.x * 0.5f - 0.01f;
    mh_lb_patch pt = {.p = p,
                      .u = mh_v3(1, 0, 0),
                      .n = n,
                      .t2 = mh_v3_cross(n, mh_v3(1, 0, 0)),
                      .col = s->size.x / (float)(o->cols - 1),
                      .lo = {s->pos.x - hw, s->pos.y + 0.02f, -FLT_MAX},
                      .hi = {s->pos.x + hw, FLT_MAX, FLT_MAX}};
    if (j > 0)
        mh_bake_booth_point(t, o->part, o->cols, rows, i, j - 1, &pv, &n), pt.below = (p.y - pv.y) * 0.5f;
    if (j + 1 < o->rows)
        mh_bake_booth_point(t, o->part, o->cols, rows, i, j + 1, &pv, &n), pt.above = (pv.y - p.y) * 0.5f;
    pt.n = n;
    mh_lb_gathered g = mh_lb_gather(b, &pt, i, j, 977u);
    *fixed = *accent = (mh_lb_texel){{0, 0, 0}, -1}; /* hidden: filled from its neighbours */
    if (g.valid < MH_LB_GRID_RAYS / 8)
        return;
    for (int ch = 0; ch < 3; ch++)
        fixed->rgb[ch] = BOOTH_DIFFUSE_K * g.glow[ch] / (float)g.valid;
    accent->rgb[0] = BOOTH_DIFFUSE_K * g.accent / (float)g.valid;
    fixed->ao = accent->ao = 1 - MH_LB_GRID_AO_STRENGTH * g.occl / (float)g.valid;
}

/* Template t's back wall into o (o->part -1: it has none). */
static bool bake_booth(const mh_booth_template *t, booth_out *o)
{
    *o = (booth_out){.part = mh_bake_booth_wall(t)};
    if (o->part < 0)
        return true;
    float rows[MH_BAKE_WALL_ROWS_MAX];
    o->cols = mh_bake_booth_grid(t, o->part, rows, &o->rows);
    mh_lb_bvh b = {0};
    size_t n = (size_t)o->cols * (size_t)o->rows;
    o->fixed = malloc(sizeof *o->fixed * n);
    o->accent = malloc(sizeof *o->accent * n);
    bool ok = o->fixed && o->accent && booth_tris(&b, t) && mh_lb_build(&b);
    for (int j = 0; ok && j < o->rows; j++)
        for (int i = 0; i < o->cols; i++)
            bake_booth_vertex(&b, t, o, rows, i, j, &o->fixed[j * o->cols + i], &o->accent[j * o->cols + i]);
    if (ok) {
        mh_lb_fill_hidden(o->fixed, o->cols, o->rows);
        mh_lb_fill_hidden(o->accent, o->cols, o->rows);
        mh_lb_smooth_rows(o->fixed, o->cols, o->rows);
        mh_lb_smooth_rows(o->accent, o->cols, o->rows);
    }
    mh_lb_free(&b);
    return ok;
}

/* light.json's "booths" member: a baked entry a template. */
static void booths_json(FILE *f, const mh_hall_desc *h, const booth_out *o)
{
    bool first = true;
    for (int t = 0; t < h->template_count && t < MH_MAX_BOOTH_TEMPLATES; t++) {
        if (o[t].part < 0)
            continue;
        int n = o[t].cols * o[t].rows;
        fprintf(f,
                "%s\n    {\"template\": \"%s\", \"key\": \"%016" PRIx64 "\", \"part\": %d, \"cols\": %d, \"rows\": %d",
                first ? ",\n  \"booths\": [" : ",", h->templates[t].name, mh_bake_booth_key(&h->templates[t]),
                o[t].part, o[t].cols, o[t].rows);
        fprintf(f, ",\n     \"ao\": [");
        for (int i = 0; i < n; i++)
            fprintf(f, "%s%.3f", i ? ", " : "", (double)mh_clampf(o[t].fixed[i].ao, 0, 1));
        fprintf(f, "],\n     \"fixed\": [");
        for (int i = 0; i < n; i++)
            for (int c = 0; c < 3; c++)
                fprintf(f, "%s%.4f", i || c ? ", " : "", (double)o[t].fixed[i].rgb[c]);
        fprintf(f, "],\n     \"accent\": [");
        for (int i = 0; i < n; i++)
            fprintf(f, "%s%.4f", i ? ", " : "", (double)o[t].accent[i].rgb[0]);
        fprintf(f, "]}");
        first = false;
    }
    if (!first)
        fprintf(f, "\n  ]");
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
        booth_out booths[MH_MAX_BOOTH_TEMPLATES];
        for (int t = 0; t < MH_MAX_BOOTH_TEMPLATES; t++)
            booths[t] = (booth_out){.part = -1};
        for (int t = 0; t < h->template_count && t < MH_MAX_BOOTH_TEMPLATES; t++)
            if (!bake_booth(&h->templates[t], &booths[t]))
                booths[t].part = -1;
        rc = write_files(hall_dir, h, shape, px, w, hgt, faces, n, ww, wh, booths);
        for (int t = 0; t < MH_MAX_BOOTH_TEMPLATES; t++) {
            free(booths[t].fixed);
            free(booths[t].accent);
        }
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
    if (!mh_hall_load(hall_dir, &arena, &h, &err) || !mh_scene_build(&sc, &h, (mh_sign_text){0}, &arena, &err)) {
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
