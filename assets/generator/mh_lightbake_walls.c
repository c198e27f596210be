/* mh_lightbake_walls.c - the light bake's walls: every side of the hall's
 * walls that faces into the floor's rectangle and the round side of every
 * column (mh_bake_wall_faces) is a grid whose vertices each cast
 * MH_LB_GRID_RAYS rays over the patch of wall round them (occlusion and
 * the diffuse glow they receive), hidden vertices filled from their
 * neighbours, each row smoothed, into a small atlas (one texel a vertex,
 * textures/light_walls.png) and light.json's "walls". */
#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "asset/mh_png.h"
#include "core/mh_fs.h"
#include "mh_lightbake_internal.h"

/* the walls: more rays a vertex than the floor's texel (few vertices, no
 * blur after; MH_LB_GRID_RAYS), a shorter reach for the occlusion (the band
 * along the floor, the corners, what stands against the wall;
 * mh_lightbake_trace.c), the glow at its physical strength (albedo times
 * the mean radiance seen) less what the hall's image-based light already
 * gives them */
#define WALL_DIFFUSE_K 2.0f

/* A wall's mean linear colour: its shape's colour times its texture's mean,
 * less what is metal. */
static void wall_albedo(const mh_hall_desc *h, const mh_scene *sc, const mh_shape_desc *s, float out[3])
{
    float tm[3] = {1, 1, 1};
    if (s->texture >= 0 && s->texture < sc->texture_count && s->texture < h->texture_count)
        mh_lb_texture_mean(&sc->textures[s->texture], tm);
    out[0] = s->color.x * tm[0] * (1 - s->metallic);
    out[1] = s->color.y * tm[1] * (1 - s->metallic);
    out[2] = s->color.z * tm[2] * (1 - s->metallic);
}

/* Vertex (i, j) of a wall face: occlusion and the glow it receives, over
 * the patch of wall half-way to its neighbours, kept inside the hall (an
 * end vertex buried in the next wall takes the corner's value). */
static mh_lb_texel bake_wall_vertex(const mh_lb_bvh *b, const mh_hall_desc *h, const mh_bake_face *f, int i, int j,
                                    const float albedo[3], mh_vec2 lo, mh_vec2 hi, float floor_y, uint32_t seed)
{
    mh_vec3 p, n, pu, pv;
    mh_bake_wall_point(h, f, i, j, &p, &n);
    mh_bake_wall_point(h, f, i + 1 < f->cols ? i + 1 : i - 1, j, &pu, &n);
    mh_vec3 du = mh_v3_sub(pu, p);
    float col = mh_v3_len(du);
    mh_vec3 u = mh_v3_scale(du, 1 / col);
    mh_lb_patch pt = {.p = p,
                      .u = u,
                      .n = n,
                      .t2 = mh_v3_cross(n, u),
                      .col = col,
                      .lo = {lo.x + 0.02f, floor_y + 0.02f, lo.y + 0.02f},
                      .hi = {hi.x - 0.02f, FLT_MAX, hi.y - 0.02f}};
    if (j > 0)
        mh_bake_wall_point(h, f, i, j - 1, &pv, &n), pt.below = (p.y - pv.y) * 0.5f;
    if (j + 1 < f->rows)
        mh_bake_wall_point(h, f, i, j + 1, &pv, &n), pt.above = (pv.y - p.y) * 0.5f;
    pt.n = n; /* this column's (the first was the next column's) */
    mh_lb_gathered g = mh_lb_gather(b, &pt, i, j, seed);
    mh_lb_texel out = {{0, 0, 0}, -1}; /* ao < 0: hidden (filled from its neighbours) */
    if (g.valid < MH_LB_GRID_RAYS / 8)
        return out;
    for (int ch = 0; ch < 3; ch++)
        out.rgb[ch] = WALL_DIFFUSE_K * albedo[ch] * g.glow[ch] / (float)g.valid;
    out.ao = 1 - MH_LB_GRID_AO_STRENGTH * g.occl / (float)g.valid;
    return out;
}

/* A texel as the floor's: sRGB light, linear occlusion. */
static void put_texel(uint8_t *p, mh_lb_texel t)
{
    for (int c = 0; c < 3; c++)
        p[c] = (uint8_t)(mh_linear_to_srgb(mh_clampf(t.rgb[c], 0, 1)) * 255 + 0.5f);
    p[3] = (uint8_t)(mh_clampf(t.ao, 0, 1) * 255 + 0.5f);
}

/* Hidden vertices (behind a screen's frame) take the mean of their seen
 * neighbours, ring by ring, so the cells round what covers the wall show
 * the open wall's light, not a dark rim. */
void mh_lb_fill_hidden(mh_lb_texel *t, int cols, int rows)
{
    for (bool more = true; more;) {
        more = false;
        int filled = 0;
        for (int j = 0; j < rows; j++)
            for (int i = 0; i < cols; i++) {
                mh_lb_texel *x = &t[j * cols + i];
                if (x->ao >= 0)
                    continue;
                mh_lb_texel sum = {{0, 0, 0}, 0};
                int n = 0;
                static const int dirs[4][2] = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
                for (int d = 0; d < 4; d++) {
                    int a = i + dirs[d][0], c = j + dirs[d][1];
                    const mh_lb_texel *y = a >= 0 && a < cols && c >= 0 && c < rows ? &t[c * cols + a] : NULL;
                    if (!y || y->ao < 0 || y->ao > 1.5f)
                        continue; /* out, hidden, or filled in this ring (marked + 2) */
                    for (int ch = 0; ch < 3; ch++)
                        sum.rgb[ch] += y->rgb[ch];
                    sum.ao += y->ao;
                    n++;
                }
                if (n == 0) {
                    more = true;
                    continue;
                }
                for (int ch = 0; ch < 3; ch++)
                    x->rgb[ch] = sum.rgb[ch] / (float)n;
                x->ao = sum.ao / (float)n + 2;
                filled++;
            }
        for (int i = 0; i < cols * rows; i++)
            t[i].ao -= t[i].ao > 1.5f ? 2 : 0;
        more = more && filled > 0;
    }
    for (int i = 0; i < cols * rows; i++)
        t[i].ao = t[i].ao < 0 ? 1 : t[i].ao;
}

/* A 1-2-1 blur along each row (the rays' noise between columns a metre
 * apart; what spills on a wall is wider than that). */
void mh_lb_smooth_rows(mh_lb_texel *t, int cols, int rows)
{
    for (int j = 0; j < rows; j++) {
        mh_lb_texel *r = &t[j * cols], prev = r[0];
        for (int i = 0; i < cols; i++) {
            mh_lb_texel here = r[i], next = r[i + 1 < cols ? i + 1 : i];
            for (int c = 0; c < 3; c++)
                r[i].rgb[c] = (prev.rgb[c] + 2 * here.rgb[c] + next.rgb[c]) * 0.25f;
            r[i].ao = (prev.ao + 2 * here.ao + next.ao) * 0.25f;
            prev = here;
        }
    }
}

/* Every baked wall face into the atlas (each block's border repeats its
 * edge, so a filtered fetch in the export stays inside it). */
void mh_lb_bake_walls(const mh_hall_desc *h, const mh_scene *sc, const mh_lb_bvh *b, const mh_bake_face *faces, int n,
                      uint8_t *px, int w)
{
    int fs = mh_bake_floor_shape(h);
    mh_vec2 lo, hi;
    float fy;
    mh_bake_floor_rect(h, fs, &lo, &hi, &fy);
    for (int k = 0; k < n; k++) {
        const mh_bake_face *f = &faces[k];
        float albedo[3];
        wall_albedo(h, sc, &h->shapes[f->shape], albedo);
        mh_lb_texel *t = malloc(sizeof *t * (size_t)f->cols * (size_t)f->rows);
        if (!t)
            continue;
        for (int j = 0; j < f->rows; j++)
            for (int i = 0; i < f->cols; i++)
                t[j * f->cols + i] = bake_wall_vertex(b, h, f, i, j, albedo, lo, hi, fy, 16u + (uint32_t)k * 4u);
        mh_lb_fill_hidden(t, f->cols, f->rows);
        mh_lb_smooth_rows(t, f->cols, f->rows);
        for (int j = 0; j < f->rows; j++)
            for (int i = 0; i < f->cols; i++)
                put_texel(px + ((size_t)(f->y + j) * (size_t)w + (size_t)(f->x + i)) * 4, t[j * f->cols + i]);
        free(t);
        for (int j = -1; j <= f->rows; j++)
            for (int i = -1; i <= f->cols; i++) {
                int si = i < 0 ? 0 : i >= f->cols ? f->cols - 1 : i, sj = j < 0 ? 0 : j >= f->rows ? f->rows - 1 : j;
                if (si != i || sj != j)
                    memcpy(px + ((size_t)(f->y + j) * (size_t)w + (size_t)(f->x + i)) * 4,
                           px + ((size_t)(f->y + sj) * (size_t)w + (size_t)(f->x + si)) * 4, 4);
            }
    }
}

int mh_lb_write_walls(const char *hall_dir, const uint8_t *px, int w, int hgt)
{
    char tex[4096];
    mh_error err;
    if (!mh_fs_join(hall_dir, "textures/light_walls.png", tex, sizeof tex) || !mh_png_write(tex, px, w, hgt, &err)) {
        fprintf(stderr, "mh_assetgen: %s: cannot write the walls' light\n", tex);
        return 1;
    }
    printf("wrote %s (%d x %d texels)\n", tex, w, hgt);
    return 0;
}

/* light.json's "walls" member (empty when the hall has none baked). */
void mh_lb_walls_json(FILE *f, const mh_bake_face *faces, int n, int w, int hgt)
{
    if (n == 0)
        return;
    fprintf(f, ",\n  \"walls\": {\"image\": \"textures/light_walls.png\", \"size\": [%d, %d], \"faces\": [", w, hgt);
    for (int i = 0; i < n; i++)
        fprintf(f, "%s[%d, %d, %d, %d, %d, %d]", i ? ", " : "", faces[i].shape, faces[i].face, faces[i].cols,
                faces[i].rows, faces[i].x, faces[i].y);
    fprintf(f, "]}");
}
