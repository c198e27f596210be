/* mh_math.c - matrix, box and frustum operations declared in mh_math.h. */
#include "mh_math.h"

#include <float.h>
#include <string.h>

mh_mat4 mh_m4_identity(void)
{
    mh_mat4 r = {{0}};
    r.m[0] = r.m[5] = r.m[10] = r.m[15] = 1.0f;
    return r;
}

mh_mat4 mh_m4_mul(mh_mat4 a, mh_mat4 b)
{
    mh_mat4 r;
    for (int c = 0; c < 4; c++)
        for (int row = 0; row < 4; row++) {
            float s = 0;
            for (int k = 0; k < 4; k++)
                s += a.m[k * 4 + row] * b.m[c * 4 + k];
            r.m[c * 4 + row] = s;
        }
    return r;
}

mh_mat4 mh_m4_translate(mh_vec3 t)
{
    mh_mat4 r = mh_m4_identity();
    r.m[12] = t.x;
    r.m[13] = t.y;
    r.m[14] = t.z;
    return r;
}

mh_mat4 mh_m4_scale(mh_vec3 s)
{
    mh_mat4 r = mh_m4_identity();
    r.m[0] = s.x;
    r.m[5] = s.y;
    r.m[10] = s.z;
    return r;
}

mh_mat4 mh_m4_rotate_x(float a)
{
    mh_mat4 r = mh_m4_identity();
    float c = cosf(a), s = sinf(a);
    r.m[5] = c;
    r.m[6] = s;
    r.m[9] = -s;
    r.m[10] = c;
    return r;
}

mh_mat4 mh_m4_rotate_y(float a)
{
    mh_mat4 r = mh_m4_identity();
    float c = cosf(a), s = sinf(a);
    r.m[0] = c;
    r.m[2] = -s;
    r.m[8] = s;
    r.m[10] = c;
    return r;
}

mh_mat4 mh_m4_rotate_z(float a)
{
    mh_mat4 r = mh_m4_identity();
    float c = cosf(a), s = sinf(a);
    r.m[0] = c;
    r.m[1] = s;
    r.m[4] = -s;
    r.m[5] = c;
    return r;
}

mh_mat4 mh_m4_trs(mh_vec3 t, mh_vec3 e, mh_vec3 s)
{
    mh_mat4 r = mh_m4_mul(mh_m4_rotate_y(e.y), mh_m4_mul(mh_m4_rotate_x(e.x), mh_m4_rotate_z(e.z)));
    return mh_m4_mul(mh_m4_translate(t), mh_m4_mul(r, mh_m4_scale(s)));
}

mh_mat4 mh_m4_perspective(float fovy, float aspect, float n, float f)
{
    mh_mat4 r = {{0}};
    float t = 1.0f / tanf(fovy * 0.5f);
    r.m[0] = t / aspect;
    r.m[5] = t;
    r.m[10] = (f + n) / (n - f);
    r.m[11] = -1.0f;
    r.m[14] = 2.0f * f * n / (n - f);
    return r;
}

mh_mat4 mh_m4_perspective_fov(float left, float right, float down, float up, float n, float f)
{
    float l = tanf(left), r = tanf(right), d = tanf(down), u = tanf(up);
    mh_mat4 m = {{0}};
    m.m[0] = 2.0f / (r - l);
    m.m[5] = 2.0f / (u - d);
    m.m[8] = (r + l) / (r - l);
    m.m[9] = (u + d) / (u - d);
    m.m[10] = (f + n) / (n - f);
    m.m[11] = -1.0f;
    m.m[14] = 2.0f * f * n / (n - f);
    return m;
}

mh_mat4 mh_m4_from_quat(const float q[4])
{
    float x = q[0], y = q[1], z = q[2], w = q[3];
    mh_mat4 m = mh_m4_identity();
    m.m[0] = 1 - 2 * (y * y + z * z);
    m.m[1] = 2 * (x * y + z * w);
    m.m[2] = 2 * (x * z - y * w);
    m.m[4] = 2 * (x * y - z * w);
    m.m[5] = 1 - 2 * (x * x + z * z);
    m.m[6] = 2 * (y * z + x * w);
    m.m[8] = 2 * (x * z + y * w);
    m.m[9] = 2 * (y * z - x * w);
    m.m[10] = 1 - 2 * (x * x + y * y);
    return m;
}

mh_mat4 mh_m4_look_at(mh_vec3 eye, mh_vec3 target, mh_vec3 up)
{
    mh_vec3 f = mh_v3_norm(mh_v3_sub(target, eye));
    mh_vec3 s = mh_v3_norm(mh_v3_cross(f, up));
    mh_vec3 u = mh_v3_cross(s, f);
    mh_mat4 r = mh_m4_identity();
    r.m[0] = s.x;
    r.m[4] = s.y;
    r.m[8] = s.z;
    r.m[1] = u.x;
    r.m[5] = u.y;
    r.m[9] = u.z;
    r.m[2] = -f.x;
    r.m[6] = -f.y;
    r.m[10] = -f.z;
    r.m[12] = -mh_v3_dot(s, eye);
    r.m[13] = -mh_v3_dot(u, eye);
    r.m[14] = mh_v3_dot(f, eye);
    return r;
}

mh_mat4 mh_m4_transpose(mh_mat4 m)
{
    mh_mat4 r;
    for (int c = 0; c < 4; c++)
        for (int row = 0; row < 4; row++)
            r.m[c * 4 + row] = m.m[row * 4 + c];
    return r;
}

bool mh_m4_invert(mh_mat4 m, mh_mat4 *out)
{
    /* Gauss-Jordan elimination with partial pivoting on [m | I]. */
    float a[4][8];
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < 4; c++) {
            a[r][c] = m.m[c * 4 + r];
            a[r][c + 4] = r == c ? 1.0f : 0.0f;
        }
    for (int c = 0; c < 4; c++) {
        int piv = c;
        for (int r = c + 1; r < 4; r++)
            if (fabsf(a[r][c]) > fabsf(a[piv][c]))
                piv = r;
        if (fabsf(a[piv][c]) < 1e-12f)
            return false;
        if (piv != c) {
            float tmp[8];
            memcpy(tmp, a[c], sizeof tmp);
            memcpy(a[c], a[piv], sizeof tmp);
            memcpy(a[piv], tmp, sizeof tmp);
        }
        float inv = 1.0f / a[c][c];
        for (int k = 0; k < 8; k++)
            a[c][k] *= inv;
        for (int r = 0; r < 4; r++) {
            if (r == c)
                continue;
            float f = a[r][c];
            for (int k = 0; k < 8; k++)
                a[r][k] -= f * a[c][k];
        }
    }
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < 4; c++)
            out->m[c * 4 + r] = a[r][c + 4];
    return true;
}

mh_vec3 mh_m4_mul_point(mh_mat4 m, mh_vec3 p)
{
    return mh_v3(m.m[0] * p.x + m.m[4] * p.y + m.m[8] * p.z + m.m[12],
                 m.m[1] * p.x + m.m[5] * p.y + m.m[9] * p.z + m.m[13],
                 m.m[2] * p.x + m.m[6] * p.y + m.m[10] * p.z + m.m[14]);
}

mh_vec3 mh_m4_mul_dir(mh_mat4 m, mh_vec3 d)
{
    return mh_v3(m.m[0] * d.x + m.m[4] * d.y + m.m[8] * d.z, m.m[1] * d.x + m.m[5] * d.y + m.m[9] * d.z,
                 m.m[2] * d.x + m.m[6] * d.y + m.m[10] * d.z);
}

mh_vec4 mh_m4_mul_v4(mh_mat4 m, mh_vec4 v)
{
    mh_vec4 r;
    r.x = m.m[0] * v.x + m.m[4] * v.y + m.m[8] * v.z + m.m[12] * v.w;
    r.y = m.m[1] * v.x + m.m[5] * v.y + m.m[9] * v.z + m.m[13] * v.w;
    r.z = m.m[2] * v.x + m.m[6] * v.y + m.m[10] * v.z + m.m[14] * v.w;
    r.w = m.m[3] * v.x + m.m[7] * v.y + m.m[11] * v.z + m.m[15] * v.w;
    return r;
}

mh_aabb mh_aabb_empty(void) { return (mh_aabb){{FLT_MAX, FLT_MAX, FLT_MAX}, {-FLT_MAX, -FLT_MAX, -FLT_MAX}}; }

void mh_aabb_add_point(mh_aabb *b, mh_vec3 p)
{
    b->min = mh_v3(fminf(b->min.x, p.x), fminf(b->min.y, p.y), fminf(b->min.z, p.z));
    b->max = mh_v3(fmaxf(b->max.x, p.x), fmaxf(b->max.y, p.y), fmaxf(b->max.z, p.z));
}

mh_aabb mh_aabb_transform(mh_aabb b, mh_mat4 m)
{
    mh_aabb r = mh_aabb_empty();
    for (int i = 0; i < 8; i++) {
        mh_vec3 p = mh_v3(i & 1 ? b.max.x : b.min.x, i & 2 ? b.max.y : b.min.y, i & 4 ? b.max.z : b.min.z);
        mh_aabb_add_point(&r, mh_m4_mul_point(m, p));
    }
    return r;
}

mh_vec3 mh_aabb_center(mh_aabb b) { return mh_v3_scale(mh_v3_add(b.min, b.max), 0.5f); }

mh_frustum mh_frustum_from_matrix(mh_mat4 vp)
{
    /* Gribb-Hartmann: rows of the clip matrix combined. */
    mh_frustum f;
    float r[4][4];
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            r[i][j] = vp.m[j * 4 + i];
    for (int p = 0; p < 6; p++) {
        int axis = p / 2;
        float sign = (p % 2) ? -1.0f : 1.0f;
        mh_vec4 pl = {r[3][0] + sign * r[axis][0], r[3][1] + sign * r[axis][1], r[3][2] + sign * r[axis][2],
                      r[3][3] + sign * r[axis][3]};
        float len = sqrtf(pl.x * pl.x + pl.y * pl.y + pl.z * pl.z);
        if (len > 0) {
            pl.x /= len;
            pl.y /= len;
            pl.z /= len;
            pl.w /= len;
        }
        f.planes[p] = pl;
    }
    return f;
}

bool mh_frustum_test_aabb(const mh_frustum *f, mh_aabb b)
{
    for (int i = 0; i < 6; i++) {
        mh_vec4 p = f->planes[i];
        /* the box corner furthest along the plane normal */
        mh_vec3 v = mh_v3(p.x >= 0 ? b.max.x : b.min.x, p.y >= 0 ? b.max.y : b.min.y, p.z >= 0 ? b.max.z : b.min.z);
        if (p.x * v.x + p.y * v.y + p.z * v.z + p.w < 0)
            return false;
    }
    return true;
}

float mh_srgb_to_linear(float c) { return c <= 0.04045f ? c / 12.92f : powf((c + 0.055f) / 1.055f, 2.4f); }

float mh_linear_to_srgb(float c) { return c <= 0.0031308f ? c * 12.92f : 1.055f * powf(c, 1.0f / 2.4f) - 0.055f; }
