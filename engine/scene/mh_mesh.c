/* mh_mesh.c - growing vertex/index arrays and generating boxes, cylinders,
 * cones, spheres, tori and quads, and coarser levels of detail (Debian's
 * libmeshoptimizer). Runs at load time only. */
#include "mh_mesh.h"

#include <math.h>
#include <meshoptimizer.h>
#include <stdlib.h>
#include <string.h>

static bool reserve(mh_mesh_data *m, uint32_t nv, uint32_t ni)
{
    if (m->failed)
        return false;
    if (m->vertex_count + nv > m->vertex_cap) {
        uint32_t cap = m->vertex_cap ? m->vertex_cap : 1024;
        while (cap < m->vertex_count + nv)
            cap *= 2;
        mh_vertex *v = realloc(m->vertices, sizeof *v * cap);
        if (!v)
            return !(m->failed = true);
        m->vertices = v;
        if (m->skin) {
            mh_skin_vertex *k = realloc(m->skin, sizeof *k * cap);
            if (!k)
                return !(m->failed = true);
            memset(k + m->vertex_cap, 0, sizeof *k * (cap - m->vertex_cap));
            m->skin = k;
        }
        m->vertex_cap = cap;
    }
    if (m->index_count + ni > m->index_cap) {
        uint32_t cap = m->index_cap ? m->index_cap : 2048;
        while (cap < m->index_count + ni)
            cap *= 2;
        uint32_t *i = realloc(m->indices, sizeof *i * cap);
        if (!i)
            return !(m->failed = true);
        m->indices = i;
        m->index_cap = cap;
    }
    return true;
}

/* The lowest and highest vertex that indices[0, count) use. */
static void index_span(const uint32_t *indices, uint32_t count, uint32_t *lo, uint32_t *hi)
{
    *lo = UINT32_MAX, *hi = 0;
    for (uint32_t i = 0; i < count; i++) {
        *lo = indices[i] < *lo ? indices[i] : *lo;
        *hi = indices[i] > *hi ? indices[i] : *hi;
    }
}

/* Open-addressed cell -> representative vertex map. */
typedef struct cell_map {
    int64_t *keys;
    uint32_t *vals, mask;
} cell_map;

static uint32_t *cell_slot(cell_map *c, int64_t key)
{
    uint32_t h = (uint32_t)(((uint64_t)key * 0x9E3779B97F4A7C15ull) >> 32) & c->mask;
    while (c->vals[h] != UINT32_MAX && c->keys[h] != key)
        h = (h + 1) & c->mask;
    c->keys[h] = key;
    return &c->vals[h];
}

uint32_t mh_mesh_cluster_to(const mh_mesh_data *m, const uint32_t *indices, uint32_t count, float cell, uint32_t *dst)
{
    /* a cell under a tenth of a millimetre saves nothing and would overflow the grid key */
    count -= count % 3;
    if (count < 3 || !(cell >= 1e-4f))
        return 0;
    uint32_t lo, hi;
    index_span(indices, count, &lo, &hi);
    uint32_t nv = hi - lo + 1, size = 16;
    while (size < nv * 2)
        size *= 2;
    uint32_t *rep = malloc(sizeof *rep * nv);
    cell_map map = {malloc(sizeof(int64_t) * size), malloc(sizeof(uint32_t) * size), size - 1};
    uint32_t out = 0;
    if (rep && map.keys && map.vals) {
        memset(map.vals, 0xff, sizeof(uint32_t) * size);
        for (uint32_t v = 0; v < nv; v++) {
            const float *p = m->vertices[lo + v].pos, *n = m->vertices[lo + v].normal;
            uint64_t x = (uint64_t)(int64_t)floorf(p[0] / cell) & 0xffff,
                     y = (uint64_t)(int64_t)floorf(p[1] / cell) & 0xffff;
            uint64_t z = (uint64_t)(int64_t)floorf(p[2] / cell) & 0xffff;
            /* only vertices facing about the same way merge: a box's corner
               keeps one vertex per face, so flat walls keep their shading */
            uint64_t q =
                (uint64_t)((int)(n[0] * 3.5f + 4.0f) | (int)(n[1] * 3.5f + 4.0f) << 3 | (int)(n[2] * 3.5f + 4.0f) << 6);
            uint32_t *slot = cell_slot(&map, (int64_t)(x | y << 16 | z << 32 | q << 48));
            if (*slot == UINT32_MAX)
                *slot = lo + v;
            rep[v] = *slot;
        }
        for (uint32_t t = 0; t + 2 < count; t += 3) {
            uint32_t a = rep[indices[t] - lo], b = rep[indices[t + 1] - lo], c = rep[indices[t + 2] - lo];
            if (a != b && b != c && a != c) {
                dst[out++] = a;
                dst[out++] = b;
                dst[out++] = c;
            }
        }
    }
    free(rep);
    free(map.keys);
    free(map.vals);
    return out * 5 > count * 4 ? 0 : out; /* saves less than a fifth: not worth a level */
}

uint32_t mh_mesh_simplify_to(const mh_mesh_data *m, const uint32_t *indices, uint32_t count, float error, uint32_t *dst)
{
    count -= count % 3;
    if (count < 3 || !(error > 0))
        return 0;
    uint32_t lo, hi;
    index_span(indices, count, &lo, &hi);
    /* the range's own vertices, indexed from 0, so the simplifier's tables
       are the range's size and not the whole mesh's */
    uint32_t *local = malloc(sizeof *local * count);
    if (!local)
        return 0;
    for (uint32_t i = 0; i < count; i++)
        local[i] = indices[i] - lo;
    size_t out = meshopt_simplify(dst, local, count, m->vertices[lo].pos, hi - lo + 1, sizeof(mh_vertex), count / 16,
                                  error, 0, NULL);
    free(local);
    if (out * 5 > (size_t)count * 4) /* saves less than a fifth: not worth a level */
        return 0;
    for (size_t i = 0; i < out; i++)
        dst[i] += lo;
    return (uint32_t)out;
}

/* A level made by `make` from indices[first, first + count), appended. */
static uint32_t append_level(mh_mesh_data *m, uint32_t first, uint32_t count, float param,
                             uint32_t (*make)(const mh_mesh_data *, const uint32_t *, uint32_t, float, uint32_t *))
{
    if (m->failed || count < 3 || !reserve(m, 0, count))
        return 0;
    uint32_t n = make(m, m->indices + first, count, param, m->indices + m->index_count);
    m->index_count += n;
    return n;
}

uint32_t mh_mesh_cluster(mh_mesh_data *m, uint32_t first, uint32_t count, float cell)
{
    return append_level(m, first, count, cell, mh_mesh_cluster_to);
}

uint32_t mh_mesh_simplify(mh_mesh_data *m, uint32_t first, uint32_t count, float error)
{
    return append_level(m, first, count, error, mh_mesh_simplify_to);
}

bool mh_mesh_reserve(mh_mesh_data *m, uint32_t nv, uint32_t ni) { return reserve(m, nv, ni); }

void mh_mesh_free(mh_mesh_data *m)
{
    free(m->vertices);
    free(m->skin);
    free(m->indices);
    memset(m, 0, sizeof *m);
}

bool mh_mesh_triangle_unlit(const mh_mesh_data *m, uint32_t t)
{
    return m->vertices[m->indices[t]].params[0] >= MH_GLOW_UNLIT;
}

static uint8_t to_srgb8(float linear) { return (uint8_t)(mh_linear_to_srgb(mh_clampf(linear, 0, 1)) * 255.0f + 0.5f); }

static uint8_t unorm8(float v) { return (uint8_t)(mh_clampf(v, 0, 1) * 255.0f + 0.5f); }

/* The surface's per-vertex material bytes (mh_vertex.params). */
static void surface_params(mh_surface s, uint8_t out[4])
{
    float rough = s.roughness > 0 ? mh_clampf(s.roughness, MH_ROUGHNESS_MIN, 1) : MH_ROUGHNESS_DEFAULT;
    out[0] = unorm8(s.emissive);
    out[1] = unorm8(s.metallic);
    out[2] = unorm8(rough);
    out[3] = unorm8(1.0f - s.occlusion);
}

/* Appends one vertex transformed by xf (normal by the inverse transpose nm). */
static void put_vertex(mh_mesh_data *m, mh_mat4 xf, mh_mat4 nm, mh_vec3 p, mh_vec3 n, float u, float v, mh_surface s)
{
    mh_vertex *vx = &m->vertices[m->vertex_count++];
    mh_vec3 wp = mh_m4_mul_point(xf, p), wn = mh_v3_norm(mh_m4_mul_dir(nm, n));
    *vx = (mh_vertex){.pos = {wp.x, wp.y, wp.z},
                      .normal = {wn.x, wn.y, wn.z},
                      .uv = {u, v},
                      .color = {to_srgb8(s.color.x), to_srgb8(s.color.y), to_srgb8(s.color.z), 255}};
    surface_params(s, vx->params);
}

static mh_mat4 normal_matrix(mh_mat4 xf)
{
    mh_mat4 inv;
    if (!mh_m4_invert(xf, &inv))
        return xf;
    return mh_m4_transpose(inv);
}

static void put_quad_indices(mh_mesh_data *m, uint32_t base)
{
    uint32_t *i = &m->indices[m->index_count];
    i[0] = base;
    i[1] = base + 1;
    i[2] = base + 2;
    i[3] = base;
    i[4] = base + 2;
    i[5] = base + 3;
    m->index_count += 6;
}

/* per face: normal, the two in-plane axes (u, v), u x v = normal */
static const float box_faces[6][9] = {
    {1, 0, 0, 0, 0, -1, 0, 1, 0}, {-1, 0, 0, 0, 0, 1, 0, 1, 0}, {0, 1, 0, 1, 0, 0, 0, 0, -1},
    {0, -1, 0, 1, 0, 0, 0, 0, 1}, {0, 0, 1, 1, 0, 0, 0, 1, 0},  {0, 0, -1, -1, 0, 0, 0, 1, 0},
};
static const float box_corners[4][2] = {{-1, -1}, {1, -1}, {1, 1}, {-1, 1}};

void mh_mesh_box_face(mh_vec3 size, int f, mh_vec3 corners[4], mh_vec3 *normal)
{
    mh_vec3 half = mh_v3(size.x * 0.5f, size.y * 0.5f, size.z * 0.5f), center = mh_v3(0, size.y * 0.5f, 0);
    mh_vec3 n = mh_v3(box_faces[f][0], box_faces[f][1], box_faces[f][2]);
    mh_vec3 u = mh_v3(box_faces[f][3], box_faces[f][4], box_faces[f][5]);
    mh_vec3 v = mh_v3(box_faces[f][6], box_faces[f][7], box_faces[f][8]);
    float hn = fabsf(mh_v3_dot(n, half)), hu = fabsf(mh_v3_dot(u, half)), hv = fabsf(mh_v3_dot(v, half));
    for (int c = 0; c < 4; c++)
        corners[c] =
            mh_v3_add(center, mh_v3_add(mh_v3_scale(n, hn), mh_v3_add(mh_v3_scale(u, box_corners[c][0] * hu),
                                                                      mh_v3_scale(v, box_corners[c][1] * hv))));
    *normal = n;
}

void mh_mesh_add_box(mh_mesh_data *m, mh_mat4 xf, mh_vec3 size, mh_surface s)
{
    if (!reserve(m, 24, 36))
        return;
    mh_mat4 nm = normal_matrix(xf);
    for (int f = 0; f < 6; f++) {
        mh_vec3 p[4], n;
        mh_mesh_box_face(size, f, p, &n);
        /* texture repeats per metre of world size when uv_scale is set */
        mh_vec3 half = mh_v3(size.x * 0.5f, size.y * 0.5f, size.z * 0.5f);
        float hu = fabsf(box_faces[f][3] * half.x + box_faces[f][4] * half.y + box_faces[f][5] * half.z);
        float hv = fabsf(box_faces[f][6] * half.x + box_faces[f][7] * half.y + box_faces[f][8] * half.z);
        float su = s.uv_scale > 0 ? 2 * hu / s.uv_scale : 1, sv = s.uv_scale > 0 ? 2 * hv / s.uv_scale : 1;
        uint32_t base = m->vertex_count;
        for (int c = 0; c < 4; c++) {
            float a = box_corners[c][0], b = box_corners[c][1];
            put_vertex(m, xf, nm, p[c], n, (a * 0.5f + 0.5f) * su, (0.5f - b * 0.5f) * sv, s);
        }
        put_quad_indices(m, base);
    }
}

void mh_mesh_add_quad(mh_mesh_data *m, mh_mat4 xf, float w, float h, mh_surface s)
{
    if (!reserve(m, 4, 6))
        return;
    mh_mat4 nm = normal_matrix(xf);
    uint32_t base = m->vertex_count;
    mh_vec3 n = mh_v3(0, 0, 1);
    put_vertex(m, xf, nm, mh_v3(-w / 2, -h / 2, 0), n, 0, 1, s);
    put_vertex(m, xf, nm, mh_v3(w / 2, -h / 2, 0), n, 1, 1, s);
    put_vertex(m, xf, nm, mh_v3(w / 2, h / 2, 0), n, 1, 0, s);
    put_vertex(m, xf, nm, mh_v3(-w / 2, h / 2, 0), n, 0, 0, s);
    put_quad_indices(m, base);
}

void mh_mesh_add_rect(mh_mesh_data *m, mh_mat4 xf, const float r[4], const float uv[4], mh_surface s)
{
    if (!reserve(m, 4, 6))
        return;
    mh_mat4 nm = normal_matrix(xf);
    uint32_t base = m->vertex_count;
    mh_vec3 n = mh_v3(0, 0, 1);
    put_vertex(m, xf, nm, mh_v3(r[0], r[1], 0), n, uv[0], uv[3], s);
    put_vertex(m, xf, nm, mh_v3(r[2], r[1], 0), n, uv[2], uv[3], s);
    put_vertex(m, xf, nm, mh_v3(r[2], r[3], 0), n, uv[2], uv[1], s);
    put_vertex(m, xf, nm, mh_v3(r[0], r[3], 0), n, uv[0], uv[1], s);
    put_quad_indices(m, base);
}

/* A cylinder/frustum/cone of unit height, bottom diameter 1 (scaled by xf),
 * top diameter `top`, with caps. */
static void add_cylinder(mh_mesh_data *m, mh_mat4 xf, float top, int seg, mh_surface s)
{
    if (!reserve(m, (uint32_t)seg * 4 + 4, (uint32_t)seg * 12))
        return;
    mh_mat4 nm = normal_matrix(xf);
    float rb = 0.5f, rt = 0.5f * top;
    float slope = rb - rt; /* side normal tilts up by this over a height of 1 */
    uint32_t base = m->vertex_count;
    for (int i = 0; i <= seg; i++) {
        float a = 2 * MH_PI * (float)i / (float)seg, ca = cosf(a), sa = sinf(a);
        mh_vec3 n = mh_v3_norm(mh_v3(sa, slope, ca));
        float u = (float)i / (float)seg;
        put_vertex(m, xf, nm, mh_v3(sa * rb, 0, ca * rb), n, u, 1, s);
        put_vertex(m, xf, nm, mh_v3(sa * rt, 1, ca * rt), n, u, 0, s);
    }
    for (int i = 0; i < seg; i++) {
        uint32_t a = base + (uint32_t)i * 2;
        uint32_t *ix = &m->indices[m->index_count];
        ix[0] = a;
        ix[1] = a + 2;
        ix[2] = a + 1;
        ix[3] = a + 1;
        ix[4] = a + 2;
        ix[5] = a + 3;
        m->index_count += 6;
    }
    /* caps: fans around a centre vertex */
    for (int cap = 0; cap < 2; cap++) {
        float y = (float)cap, r = cap ? rt : rb;
        if (r <= 0)
            continue;
        mh_vec3 n = mh_v3(0, cap ? 1.0f : -1.0f, 0);
        uint32_t c = m->vertex_count;
        put_vertex(m, xf, nm, mh_v3(0, y, 0), n, 0.5f, 0.5f, s);
        for (int i = 0; i < seg; i++) {
            float a = 2 * MH_PI * (float)i / (float)seg;
            put_vertex(m, xf, nm, mh_v3(sinf(a) * r, y, cosf(a) * r), n, 0.5f + sinf(a) * 0.5f, 0.5f + cosf(a) * 0.5f,
                       s);
        }
        for (int i = 0; i < seg; i++) {
            uint32_t a = c + 1 + (uint32_t)i, b = c + 1 + (uint32_t)((i + 1) % seg);
            uint32_t *ix = &m->indices[m->index_count];
            ix[0] = c;
            ix[1] = cap ? a : b;
            ix[2] = cap ? b : a;
            m->index_count += 3;
        }
    }
}

/* Two triangles per cell of a (rows + 1) x (cols + 1) vertex grid from base
 * (spheres, tori); the room was reserved with the vertices. */
void mh_mesh_grid_cell(mh_mesh_data *m, uint32_t a, uint32_t b)
{
    uint32_t *ix = &m->indices[m->index_count];
    ix[0] = a;
    ix[1] = b;
    ix[2] = a + 1;
    ix[3] = a + 1;
    ix[4] = b;
    ix[5] = b + 1;
    m->index_count += 6;
}

void mh_mesh_grid_indices(mh_mesh_data *m, uint32_t base, int rows, int cols)
{
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++) {
            uint32_t a = base + (uint32_t)(r * (cols + 1) + c);
            mh_mesh_grid_cell(m, a, a + (uint32_t)cols + 1);
        }
}

/* A sphere of diameter 1 resting on y = 0 (centre at y = 0.5). */
static void add_sphere(mh_mesh_data *m, mh_mat4 xf, int seg, mh_surface s)
{
    int rings = seg / 2 < 3 ? 3 : seg / 2;
    if (!reserve(m, (uint32_t)((rings + 1) * (seg + 1)), (uint32_t)(rings * seg * 6)))
        return;
    mh_mat4 nm = normal_matrix(xf);
    uint32_t base = m->vertex_count;
    for (int r = 0; r <= rings; r++) {
        float phi = MH_PI * (float)r / (float)rings;
        for (int i = 0; i <= seg; i++) {
            float th = 2 * MH_PI * (float)i / (float)seg;
            mh_vec3 n = mh_v3(sinf(phi) * sinf(th), cosf(phi), sinf(phi) * cosf(th));
            put_vertex(m, xf, nm, mh_v3(n.x * 0.5f, 0.5f + n.y * 0.5f, n.z * 0.5f), n, (float)i / (float)seg,
                       (float)r / (float)rings, s);
        }
    }
    mh_mesh_grid_indices(m, base, rings, seg);
}

/* A ring in the XZ plane: outer diameter 1, tube diameter `thick` (both
 * scaled by xf), resting on y = 0. */
static void add_torus(mh_mesh_data *m, mh_mat4 xf, float thick, int seg, mh_surface s)
{
    int tube = 12;
    if (!reserve(m, (uint32_t)((seg + 1) * (tube + 1)), (uint32_t)(seg * tube * 6)))
        return;
    mh_mat4 nm = normal_matrix(xf);
    float rt = thick * 0.5f, R = 0.5f - rt;
    uint32_t base = m->vertex_count;
    for (int i = 0; i <= seg; i++) {
        float a = 2 * MH_PI * (float)i / (float)seg;
        for (int j = 0; j <= tube; j++) {
            float b = 2 * MH_PI * (float)j / (float)tube;
            mh_vec3 n = mh_v3(sinf(a) * cosf(b), sinf(b), cosf(a) * cosf(b));
            mh_vec3 p = mh_v3(sinf(a) * (R + rt * cosf(b)), rt + rt * sinf(b), cosf(a) * (R + rt * cosf(b)));
            put_vertex(m, xf, nm, p, n, (float)i / (float)seg, (float)j / (float)tube, s);
        }
    }
    mh_mesh_grid_indices(m, base, seg, tube);
}

void mh_mesh_add_shape(mh_mesh_data *m, const mh_shape_desc *d, mh_mat4 parent)
{
    mh_vec3 rot = mh_v3(mh_radians(d->rot_deg.x), mh_radians(d->rot_deg.y), mh_radians(d->rot_deg.z));
    mh_surface s = {.color = d->color,
                    .emissive = d->emissive,
                    .uv_scale = d->uv_scale,
                    .metallic = d->metallic,
                    .roughness = d->roughness,
                    .occlusion = d->occlusion};
    int seg = d->segments ? d->segments : 32;
    if (d->kind == MH_SHAPE_BOX) {
        mh_mesh_add_box(m, mh_m4_mul(parent, mh_m4_trs(d->pos, rot, mh_v3(1, 1, 1))), d->size, s);
        return;
    }
    /* round shapes are built at unit size and scaled by the transform */
    mh_mat4 xf = mh_m4_mul(parent, mh_m4_trs(d->pos, rot, d->size));
    switch (d->kind) {
    case MH_SHAPE_CYLINDER: add_cylinder(m, xf, d->top, seg, s); break;
    case MH_SHAPE_SPHERE: add_sphere(m, xf, seg, s); break;
    case MH_SHAPE_TORUS: {
        /* tube thickness is relative to the ring's diameter; y size scales it */
        mh_mat4 t = mh_m4_mul(parent, mh_m4_trs(d->pos, rot, mh_v3(d->size.x, d->size.x, d->size.z)));
        add_torus(m, t, d->thickness, seg, s);
        break;
    }
    default: break;
    }
}

static int16_t snorm16(float v) { return (int16_t)lrintf(mh_clampf(v, -1, 1) * 32767.0f); }

/* Face normals summed at each corner's vertex (flat triangles use their own). */
static float *face_normals(const mh_mesh_tris *t)
{
    float *normals = calloc((size_t)t->index_count * 3 + 3, sizeof *normals);
    for (uint32_t i = 0; normals && i + 2 < t->index_count; i += 3) {
        const float *a = t->positions + 3 * t->indices[i], *b = t->positions + 3 * t->indices[i + 1],
                    *c = t->positions + 3 * t->indices[i + 2];
        mh_vec3 n = mh_v3_norm(
            mh_v3_cross(mh_v3(b[0] - a[0], b[1] - a[1], b[2] - a[2]), mh_v3(c[0] - a[0], c[1] - a[1], c[2] - a[2])));
        for (int k = 0; k < 3; k++)
            memcpy(normals + 3 * (i + (uint32_t)k), &n, sizeof(float) * 3);
    }
    return normals;
}

/* Vertex v of t (flat: corner k of the index list, with its face's normal fn). */
static void put_model_vertex(mh_mesh_data *m, mh_mat4 xf, mh_mat4 nm, const mh_mesh_tris *t, uint32_t v, const float *n,
                             mh_surface s)
{
    mh_vec3 c = s.color;
    float alpha = t->alpha;
    if (t->colors) {
        c = mh_v3(c.x * t->colors[4 * v], c.y * t->colors[4 * v + 1], c.z * t->colors[4 * v + 2]);
        alpha *= t->colors[4 * v + 3];
    }
    const float *p = t->positions + 3 * v;
    uint32_t at = m->vertex_count;
    put_vertex(m, xf, nm, mh_v3(p[0], p[1], p[2]), mh_v3(n[0], n[1], n[2]), t->uvs ? t->uvs[2 * v] : 0,
               t->uvs ? t->uvs[2 * v + 1] : 0,
               (mh_surface){.color = c,
                            .emissive = s.emissive,
                            .metallic = s.metallic,
                            .roughness = s.roughness,
                            .occlusion = s.occlusion});
    mh_vertex *vx = &m->vertices[at];
    vx->color[3] = unorm8(alpha);
    if (t->uvs1) {
        vx->uv1[0] = t->uvs1[2 * v];
        vx->uv1[1] = t->uvs1[2 * v + 1];
    }
    if (t->tangents) {
        const float *q = t->tangents + 4 * v;
        mh_vec3 tw = mh_v3_norm(mh_m4_mul_dir(xf, mh_v3(q[0], q[1], q[2])));
        vx->tangent[0] = snorm16(tw.x);
        vx->tangent[1] = snorm16(tw.y);
        vx->tangent[2] = snorm16(tw.z);
        vx->tangent[3] = q[3] < 0 ? -32767 : 32767;
    }
    if (m->skin && t->joints && t->weights) {
        mh_skin_vertex *k = &m->skin[at];
        float sum = 0;
        for (int j = 0; j < 4; j++)
            sum += t->weights[4 * v + (uint32_t)j] > 0 ? t->weights[4 * v + (uint32_t)j] : 0;
        for (int j = 0; j < 4; j++) {
            float w = t->weights[4 * v + (uint32_t)j];
            k->joints[j] = (uint8_t)(t->joints[4 * v + (uint32_t)j] < 255 ? t->joints[4 * v + (uint32_t)j] : 255);
            k->weights[j] = (uint16_t)lrintf(sum > 0 && w > 0 ? w / sum * 65535.0f : 0);
        }
    }
}

void mh_mesh_add_triangles(mh_mesh_data *m, mh_mat4 xf, const mh_mesh_tris *t, mh_surface s)
{
    bool flat = !t->normals;
    if (t->joints && t->weights && !m->skin && !m->failed) {
        m->skin = calloc(m->vertex_cap ? m->vertex_cap : 1, sizeof *m->skin);
        m->failed = !m->skin;
    }
    if (!reserve(m, flat ? t->index_count : t->vertex_count, t->index_count))
        return;
    mh_mat4 nm = normal_matrix(xf);
    uint32_t base = m->vertex_count;
    if (flat) { /* no normals: each triangle its own vertices and face normal */
        float *normals = face_normals(t);
        if (!normals) {
            m->failed = true;
            return;
        }
        for (uint32_t i = 0; i < t->index_count; i++) {
            put_model_vertex(m, xf, nm, t, t->indices[i], normals + 3 * i, s);
            m->indices[m->index_count++] = base + i;
        }
        free(normals);
        return;
    }
    for (uint32_t v = 0; v < t->vertex_count; v++)
        put_model_vertex(m, xf, nm, t, v, t->normals + 3 * v, s);
    for (uint32_t i = 0; i < t->index_count; i++)
        m->indices[m->index_count++] = base + t->indices[i];
}
