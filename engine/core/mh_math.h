/* mh_math.h - small 3D math: vectors, column-major 4x4 matrices (OpenGL
 * convention, right-handed, +Y up, camera looks down -Z), axis-aligned boxes
 * and view frustums. Plain structs passed by value; no allocation. */
#ifndef MH_MATH_H
#define MH_MATH_H

#include <math.h>
#include <stdbool.h>

#define MH_PI 3.14159265358979323846f

typedef struct mh_vec2 {
    float x, y;
} mh_vec2;
typedef struct mh_vec3 {
    float x, y, z;
} mh_vec3;
typedef struct mh_vec4 {
    float x, y, z, w;
} mh_vec4;
typedef struct mh_mat4 {
    float m[16];
} mh_mat4; /* m[col * 4 + row] */
typedef struct mh_aabb {
    mh_vec3 min, max;
} mh_aabb;
typedef struct mh_frustum {
    mh_vec4 planes[6];
} mh_frustum; /* ax+by+cz+d >= 0 inside */

static inline mh_vec3 mh_v3(float x, float y, float z) { return (mh_vec3){x, y, z}; }
static inline mh_vec3 mh_v3_add(mh_vec3 a, mh_vec3 b) { return mh_v3(a.x + b.x, a.y + b.y, a.z + b.z); }
static inline mh_vec3 mh_v3_sub(mh_vec3 a, mh_vec3 b) { return mh_v3(a.x - b.x, a.y - b.y, a.z - b.z); }
static inline mh_vec3 mh_v3_scale(mh_vec3 a, float s) { return mh_v3(a.x * s, a.y * s, a.z * s); }
static inline float mh_v3_dot(mh_vec3 a, mh_vec3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
static inline mh_vec3 mh_v3_cross(mh_vec3 a, mh_vec3 b)
{
    return mh_v3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x);
}
static inline float mh_v3_len(mh_vec3 a) { return sqrtf(mh_v3_dot(a, a)); }
static inline mh_vec3 mh_v3_norm(mh_vec3 a)
{
    float l = mh_v3_len(a);
    return l > 1e-12f ? mh_v3_scale(a, 1.0f / l) : mh_v3(0, 0, 0);
}
static inline mh_vec3 mh_v3_lerp(mh_vec3 a, mh_vec3 b, float t)
{
    return mh_v3(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t, a.z + (b.z - a.z) * t);
}
static inline float mh_clampf(float v, float lo, float hi) { return v < lo ? lo : (v > hi ? hi : v); }
static inline float mh_radians(float deg) { return deg * (MH_PI / 180.0f); }

mh_mat4 mh_m4_identity(void);
mh_mat4 mh_m4_mul(mh_mat4 a, mh_mat4 b); /* a * b */
mh_mat4 mh_m4_translate(mh_vec3 t);
mh_mat4 mh_m4_scale(mh_vec3 s);
mh_mat4 mh_m4_rotate_x(float radians);
mh_mat4 mh_m4_rotate_y(float radians);
mh_mat4 mh_m4_rotate_z(float radians);
/* T * Ry(yaw) * Rx(pitch) * Rz(roll) * S: the transform of a placed shape. */
mh_mat4 mh_m4_trs(mh_vec3 t, mh_vec3 euler_radians, mh_vec3 s);
mh_mat4 mh_m4_perspective(float fovy_radians, float aspect, float znear, float zfar);
mh_mat4 mh_m4_look_at(mh_vec3 eye, mh_vec3 target, mh_vec3 up);
/* Asymmetric perspective from the angles of a field of view (radians from
 * straight ahead: left < 0 < right, down < 0 < up), as headsets report them. */
mh_mat4 mh_m4_perspective_fov(float left, float right, float down, float up, float znear, float zfar);
/* Rotation by a unit quaternion (x, y, z, w). */
mh_mat4 mh_m4_from_quat(const float q[4]);
bool mh_m4_invert(mh_mat4 m, mh_mat4 *out);
mh_mat4 mh_m4_transpose(mh_mat4 m);
mh_vec3 mh_m4_mul_point(mh_mat4 m, mh_vec3 p); /* w = 1, no divide */
mh_vec3 mh_m4_mul_dir(mh_mat4 m, mh_vec3 d);   /* w = 0 */
mh_vec4 mh_m4_mul_v4(mh_mat4 m, mh_vec4 v);

mh_aabb mh_aabb_empty(void);
void mh_aabb_add_point(mh_aabb *b, mh_vec3 p);
mh_aabb mh_aabb_transform(mh_aabb b, mh_mat4 m);
mh_vec3 mh_aabb_center(mh_aabb b);

/* Planes of view_proj (a GL clip-space matrix), normalised. */
mh_frustum mh_frustum_from_matrix(mh_mat4 view_proj);
/* false only when the box is certainly outside (conservative). */
bool mh_frustum_test_aabb(const mh_frustum *f, mh_aabb b);

/* sRGB <-> linear for one channel in 0..1. */
float mh_srgb_to_linear(float c);
float mh_linear_to_srgb(float c);

#endif
