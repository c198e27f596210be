/* mh_landmarks_geom.c - modelling primitives for the procedural landmarks:
 * lofts, lathes, tubes and pagoda roofs (see mh_landmarks_geom.h). Every
 * surface is a grid of rows x cols points, closed round the columns, that
 * becomes triangles with shared (smooth) or per-face (flat) normals. */
#include <math.h>
#include <stdlib.h>

#include "mh_landmarks_geom.h"

typedef struct grid {
    mh_vec3 *p; /* rows * cols, row-major */
    int rows, cols;
} grid;

static bool grid_alloc(grid *g, int rows, int cols)
{
    g->rows = rows;
    g->cols = cols;
    g->p = malloc(sizeof *g->p * (size_t)rows * (size_t)cols);
    return g->p != NULL;
}

static void emit(mh_mesh_data *m, mh_mat4 xf, const mh_vec3 *p, const mh_vec3 *n, int vc, const uint32_t *idx, int ic,
                 mh_surface s)
{
    mh_mesh_add_triangles(m, xf,
                          &(mh_mesh_tris){.positions = &p->x,
                                          .normals = n ? &n->x : NULL,
                                          .indices = idx,
                                          .vertex_count = (uint32_t)vc,
                                          .index_count = (uint32_t)ic,
                                          .alpha = 1},
                          s);
}

/* Quads between neighbouring rows, outward when columns run at increasing
 * angle (x = cos a, z = sin a) and rows upward. */
static void grid_emit(mh_mesh_data *m, mh_mat4 xf, const grid *g, bool smooth, mh_surface s)
{
    int R = g->rows, C = g->cols, ic = (R - 1) * C * 6;
    uint32_t *idx = malloc(sizeof *idx * (size_t)ic);
    mh_vec3 *n = smooth ? calloc((size_t)R * (size_t)C, sizeof *n) : NULL;
    if (!idx || (smooth && !n)) {
        m->failed = true;
        free(idx);
        free(n);
        return;
    }
    int k = 0;
    for (int i = 0; i + 1 < R; i++)
        for (int j = 0; j < C; j++) {
            uint32_t a = (uint32_t)(i * C + j), b = (uint32_t)(i * C + (j + 1) % C);
            uint32_t c = a + (uint32_t)C, d = b + (uint32_t)C;
            const uint32_t q[6] = {a, c, b, b, c, d};
            for (int t = 0; t < 6; t += 3) {
                mh_vec3 p0 = g->p[q[t]], p1 = g->p[q[t + 1]], p2 = g->p[q[t + 2]];
                mh_vec3 f = mh_v3_cross(mh_v3_sub(p1, p0), mh_v3_sub(p2, p0));
                if (mh_v3_len(f) < 1e-9f)
                    continue; /* a pole or a crease: no triangle */
                for (int u = 0; u < 3; u++) {
                    idx[k++] = q[t + u];
                    if (smooth)
                        n[q[t + u]] = mh_v3_add(n[q[t + u]], f);
                }
            }
        }
    if (smooth)
        for (int v = 0; v < R * C; v++)
            n[v] = mh_v3_norm(n[v]);
    for (int v = 0; smooth && v < R * C; v++)
        if (mh_v3_len(n[v]) == 0)
            n[v] = mh_v3(0, 1, 0); /* a point no triangle uses */
    emit(m, xf, g->p, n, R * C, idx, k, s);
    free(idx);
    free(n);
}

/* A fan from `centre` to one row of the grid: facing up (+Y side) or down. */
static void cap(mh_mesh_data *m, mh_mat4 xf, const mh_vec3 *row, int cols, mh_vec3 centre, bool up, mh_surface s)
{
    mh_vec3 *p = malloc(sizeof *p * (size_t)(cols + 1));
    uint32_t *idx = malloc(sizeof *idx * (size_t)cols * 3);
    if (!p || !idx) {
        m->failed = true;
    } else {
        p[0] = centre;
        for (int j = 0; j < cols; j++)
            p[j + 1] = row[j];
        int k = 0;
        for (int j = 0; j < cols; j++) {
            uint32_t a = (uint32_t)j + 1, b = (uint32_t)((j + 1) % cols) + 1;
            if (mh_v3_len(mh_v3_cross(mh_v3_sub(p[a], centre), mh_v3_sub(p[b], centre))) < 1e-9f)
                continue; /* repeated outline points */
            idx[k++] = 0;
            idx[k++] = up ? b : a;
            idx[k++] = up ? a : b;
        }
        emit(m, xf, p, NULL, cols + 1, idx, k, s);
    }
    free(p);
    free(idx);
}

static mh_vec3 centroid(const mh_vec3 *p, int n)
{
    mh_vec3 c = mh_v3(0, 0, 0);
    for (int i = 0; i < n; i++)
        c = mh_v3_add(c, p[i]);
    return mh_v3_scale(c, 1.0f / (float)n);
}

int mh_lm_polygon(mh_vec2 *out, int n, float r, float phase)
{
    for (int i = 0; i < n; i++) {
        float a = phase + 2 * MH_PI * (float)i / (float)n;
        out[i] = (mh_vec2){r * cosf(a), r * sinf(a)};
    }
    return n;
}

void mh_lm_loft(mh_mesh_data *m, mh_mat4 xf, const mh_vec2 *outline, int n, const mh_lm_level *lv, int levels,
                bool smooth, bool caps, mh_surface s)
{
    grid g;
    if (!grid_alloc(&g, levels, n)) {
        m->failed = true;
        return;
    }
    for (int i = 0; i < levels; i++) {
        float c = cosf(lv[i].twist), sn = sinf(lv[i].twist);
        for (int j = 0; j < n; j++) {
            float x = outline[j].x * lv[i].sx, z = outline[j].y * lv[i].sz;
            g.p[i * n + j] = mh_v3(x * c - z * sn + lv[i].ox, lv[i].y, x * sn + z * c + lv[i].oz);
        }
    }
    grid_emit(m, xf, &g, smooth, s);
    if (caps) {
        cap(m, xf, g.p, n, centroid(g.p, n), false, s);
        cap(m, xf, g.p + (levels - 1) * n, n, centroid(g.p + (levels - 1) * n, n), true, s);
    }
    free(g.p);
}

void mh_lm_lathe(mh_mesh_data *m, mh_mat4 xf, const mh_vec2 *profile, int n, int seg, bool caps, mh_surface s)
{
    grid g;
    if (!grid_alloc(&g, n, seg)) {
        m->failed = true;
        return;
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < seg; j++) {
            float a = 2 * MH_PI * (float)j / (float)seg;
            g.p[i * seg + j] = mh_v3(profile[i].x * cosf(a), profile[i].y, profile[i].x * sinf(a));
        }
    grid_emit(m, xf, &g, true, s);
    if (caps && profile[0].x > 0)
        cap(m, xf, g.p, seg, mh_v3(0, profile[0].y, 0), false, s);
    if (caps && profile[n - 1].x > 0)
        cap(m, xf, g.p + (n - 1) * seg, seg, mh_v3(0, profile[n - 1].y, 0), true, s);
    free(g.p);
}

static void tube(mh_mesh_data *m, mh_mat4 xf, mh_vec3 a, mh_vec3 b, float r, int seg, bool caps, mh_surface s)
{
    mh_vec3 d = mh_v3_sub(b, a);
    float len = mh_v3_len(d);
    if (len < 1e-6f)
        return;
    mh_vec3 y = mh_v3_scale(d, 1 / len);
    mh_vec3 x = mh_v3_norm(mh_v3_cross(y, fabsf(y.y) < 0.9f ? mh_v3(0, 1, 0) : mh_v3(1, 0, 0)));
    mh_vec3 z = mh_v3_cross(x, y);
    mh_mat4 f = {{x.x, x.y, x.z, 0, y.x, y.y, y.z, 0, z.x, z.y, z.z, 0, a.x, a.y, a.z, 1}};
    const mh_vec2 prof[2] = {{r, 0}, {r, len}};
    mh_lm_lathe(m, mh_m4_mul(xf, f), prof, 2, seg, caps, s);
}

void mh_lm_tube(mh_mesh_data *m, mh_mat4 xf, mh_vec3 a, mh_vec3 b, float r, int seg, mh_surface s)
{
    tube(m, xf, a, b, r, seg, true, s);
}

void mh_lm_tube_open(mh_mesh_data *m, mh_mat4 xf, mh_vec3 a, mh_vec3 b, float r, int seg, mh_surface s)
{
    tube(m, xf, a, b, r, seg, false, s);
}

/* The roof's surface: rows from the eaves up to the top. */
static void roof_grid(grid *g, int sides, float phase, float r, float top, float h, float upturn, int per_side)
{
    for (int i = 0; i < g->rows; i++) {
        float t = (float)i / (float)(g->rows - 1);
        for (int k = 0; k < g->cols; k++) {
            int side = k / per_side;
            float u = (float)(k % per_side) / (float)per_side; /* 0 at a corner .. 1 before the next */
            float a0 = phase + 2 * MH_PI * (float)side / (float)sides, a1 = a0 + 2 * MH_PI / (float)sides;
            float cx = cosf(a0) * (1 - u) + cosf(a1) * u, cz = sinf(a0) * (1 - u) + sinf(a1) * u;
            float corner = powf(fabsf(2 * u - 1), 4); /* 1 at the corners, 0 mid-side */
            float lift = upturn * corner * (1 - t) * (1 - t);
            float rr = r * (1 - t + top * t) * (1 + 0.6f * upturn / r * corner * (1 - t));
            g->p[i * g->cols + k] = mh_v3(cx * rr, h * t * t + lift, cz * rr);
        }
    }
}

void mh_lm_roof(mh_mesh_data *m, mh_mat4 xf, int sides, float phase, float r, float top, float h, float upturn,
                mh_surface s)
{
    enum { PER_SIDE = 8, ROWS = 7 };
    grid g;
    if (!grid_alloc(&g, ROWS, sides * PER_SIDE)) {
        m->failed = true;
        return;
    }
    roof_grid(&g, sides, phase, r, top, h, upturn, PER_SIDE);
    grid_emit(m, xf, &g, true, s);
    cap(m, xf, g.p, g.cols, mh_v3(0, 0, 0), false, s);
    if (top > 0)
        cap(m, xf, g.p + (ROWS - 1) * g.cols, g.cols, mh_v3(0, h, 0), true, s);
    free(g.p);
}

void mh_lm_band(mh_mesh_data *m, mh_mat4 xf, const mh_vec2 *a, const mh_vec2 *b, int n, float depth, mh_surface s)
{
    int vc = 4 * n, ic = 24 * (n - 1) + 12;
    mh_vec3 *p = malloc(sizeof *p * (size_t)vc);
    uint32_t *idx = malloc(sizeof *idx * (size_t)ic);
    if (!p || !idx) {
        m->failed = true;
        free(p);
        free(idx);
        return;
    }
    float h = depth / 2;
    for (int i = 0; i < n; i++) { /* per point: a front, b front, a back, b back */
        p[4 * i] = mh_v3(a[i].x, a[i].y, h);
        p[4 * i + 1] = mh_v3(b[i].x, b[i].y, h);
        p[4 * i + 2] = mh_v3(a[i].x, a[i].y, -h);
        p[4 * i + 3] = mh_v3(b[i].x, b[i].y, -h);
    }
    int k = 0;
    for (int i = 0; i + 1 < n; i++) {
        uint32_t q = (uint32_t)(4 * i), r = q + 4;
        const uint32_t t[24] = {q,     q + 1, r + 1, q,     r + 1, r,      /* front */
                                q + 2, r + 2, r + 3, q + 2, r + 3, q + 3,  /* back */
                                q,     r,     r + 2, q,     r + 2, q + 2,  /* along a */
                                q + 1, q + 3, r + 3, q + 1, r + 3, r + 1}; /* along b */
        for (int j = 0; j < 24; j++)
            idx[k++] = t[j];
    }
    uint32_t e = (uint32_t)(4 * (n - 1));
    const uint32_t ends[12] = {0, 2, 3, 0, 3, 1, e, e + 1, e + 3, e, e + 3, e + 2};
    for (int j = 0; j < 12; j++)
        idx[k++] = ends[j];
    int kept = 0; /* drop the triangles where the edges meet */
    for (int t = 0; t < k; t += 3) {
        mh_vec3 f = mh_v3_cross(mh_v3_sub(p[idx[t + 1]], p[idx[t]]), mh_v3_sub(p[idx[t + 2]], p[idx[t]]));
        if (mh_v3_len(f) < 1e-12f)
            continue;
        for (int u = 0; u < 3; u++)
            idx[kept++] = idx[t + u];
    }
    emit(m, xf, p, NULL, vc, idx, kept, s);
    free(p);
    free(idx);
}

void mh_lm_box(mh_mesh_data *m, mh_mat4 xf, mh_vec3 p, mh_vec3 size, float yaw, mh_surface s)
{
    mh_mesh_add_box(m, mh_m4_mul(xf, mh_m4_trs(p, mh_v3(0, yaw, 0), mh_v3(1, 1, 1))), size, s);
}
