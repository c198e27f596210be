/* test_math.c - vectors, matrices, frustum culling, sRGB conversion. */
#include <math.h>

#include "core/mh_math.h"
#include "mh_test.h"

static void test_matrices(void)
{
    mh_mat4 t = mh_m4_translate(mh_v3(1, 2, 3));
    mh_vec3 p = mh_m4_mul_point(t, mh_v3(1, 1, 1));
    CHECK_NEAR(p.x, 2, 1e-6);
    CHECK_NEAR(p.y, 3, 1e-6);
    CHECK_NEAR(p.z, 4, 1e-6);
    /* rotating +X by 90 degrees about Y gives -Z (right-handed) */
    mh_vec3 r = mh_m4_mul_dir(mh_m4_rotate_y(MH_PI / 2), mh_v3(1, 0, 0));
    CHECK_NEAR(r.x, 0, 1e-6);
    CHECK_NEAR(r.z, -1, 1e-6);
    /* inverse times matrix is identity */
    mh_mat4 m = mh_m4_trs(mh_v3(3, -2, 5), mh_v3(0.3f, 1.1f, -0.4f), mh_v3(2, 0.5f, 3));
    mh_mat4 inv;
    CHECK(mh_m4_invert(m, &inv));
    mh_mat4 id = mh_m4_mul(inv, m);
    for (int i = 0; i < 16; i++)
        CHECK_NEAR(id.m[i], (i % 5 == 0) ? 1 : 0, 1e-5);
    mh_mat4 singular = mh_m4_scale(mh_v3(1, 0, 1));
    CHECK(!mh_m4_invert(singular, &inv));
    /* look_at puts the target on the -Z axis of view space */
    mh_mat4 v = mh_m4_look_at(mh_v3(0, 1.6f, 10), mh_v3(0, 1.6f, 0), mh_v3(0, 1, 0));
    mh_vec3 q = mh_m4_mul_point(v, mh_v3(0, 1.6f, 0));
    CHECK_NEAR(q.x, 0, 1e-5);
    CHECK_NEAR(q.y, 0, 1e-5);
    CHECK_NEAR(q.z, -10, 1e-5);
    /* perspective maps the near plane to -1 and the far plane to +1 in NDC */
    mh_mat4 pr = mh_m4_perspective(MH_PI / 3, 16.0f / 9.0f, 0.1f, 100.0f);
    mh_vec4 n = mh_m4_mul_v4(pr, (mh_vec4){0, 0, -0.1f, 1});
    mh_vec4 f = mh_m4_mul_v4(pr, (mh_vec4){0, 0, -100.0f, 1});
    CHECK_NEAR(n.z / n.w, -1, 1e-4);
    CHECK_NEAR(f.z / f.w, 1, 1e-4);
}

/* headset projections and poses: an asymmetric field of view and a quaternion */
static void test_headset_math(void)
{
    /* a symmetric fov equals the classic perspective */
    float half = MH_PI / 6;
    mh_mat4 a = mh_m4_perspective_fov(-half, half, -half, half, 0.1f, 100.0f);
    mh_mat4 b = mh_m4_perspective(MH_PI / 3, 1.0f, 0.1f, 100.0f);
    for (int i = 0; i < 16; i++)
        CHECK_NEAR(a.m[i], b.m[i], 1e-5);
    /* an asymmetric one puts the edge rays exactly on the NDC edges */
    float l = -0.9f, r = 0.6f, d = -0.8f, u = 0.7f;
    mh_mat4 p = mh_m4_perspective_fov(l, r, d, u, 0.05f, 50.0f);
    mh_vec4 left = mh_m4_mul_v4(p, (mh_vec4){tanf(l) * 2, 0, -2, 1});
    mh_vec4 up = mh_m4_mul_v4(p, (mh_vec4){0, tanf(u) * 3, -3, 1});
    mh_vec4 right = mh_m4_mul_v4(p, (mh_vec4){tanf(r), 0, -1, 1});
    mh_vec4 down = mh_m4_mul_v4(p, (mh_vec4){0, tanf(d), -1, 1});
    CHECK_NEAR(left.x / left.w, -1, 1e-5);
    CHECK_NEAR(right.x / right.w, 1, 1e-5);
    CHECK_NEAR(up.y / up.w, 1, 1e-5);
    CHECK_NEAR(down.y / down.w, -1, 1e-5);
    /* a quarter turn about +Y (x, y, z, w) turns -Z (forward) to -X (left) */
    float q[4] = {0, sinf(MH_PI / 4), 0, cosf(MH_PI / 4)};
    mh_mat4 rot = mh_m4_from_quat(q);
    mh_mat4 ry = mh_m4_rotate_y(MH_PI / 2);
    for (int i = 0; i < 16; i++)
        CHECK_NEAR(rot.m[i], ry.m[i], 1e-6);
    mh_vec3 f = mh_m4_mul_dir(rot, mh_v3(0, 0, -1));
    CHECK_NEAR(f.x, -1, 1e-6);
    CHECK_NEAR(f.z, 0, 1e-6);
    /* pitch up 30 degrees about +X */
    float qx[4] = {sinf(MH_PI / 12), 0, 0, cosf(MH_PI / 12)};
    mh_vec3 g = mh_m4_mul_dir(mh_m4_from_quat(qx), mh_v3(0, 0, -1));
    CHECK_NEAR(g.y, 0.5f, 1e-6);
}

static void test_frustum(void)
{
    mh_mat4 view = mh_m4_look_at(mh_v3(0, 0, 0), mh_v3(0, 0, -1), mh_v3(0, 1, 0));
    mh_mat4 proj = mh_m4_perspective(MH_PI / 3, 1.0f, 0.1f, 50.0f);
    mh_frustum fr = mh_frustum_from_matrix(mh_m4_mul(proj, view));
    mh_aabb ahead = {mh_v3(-1, -1, -11), mh_v3(1, 1, -9)};
    mh_aabb behind = {mh_v3(-1, -1, 9), mh_v3(1, 1, 11)};
    mh_aabb left = {mh_v3(-40, -1, -11), mh_v3(-30, 1, -9)};
    mh_aabb far_away = {mh_v3(-1, -1, -80), mh_v3(1, 1, -60)};
    mh_aabb straddling = {mh_v3(-100, -1, -5), mh_v3(100, 1, -4)};
    CHECK(mh_frustum_test_aabb(&fr, ahead));
    CHECK(!mh_frustum_test_aabb(&fr, behind));
    CHECK(!mh_frustum_test_aabb(&fr, left));
    CHECK(!mh_frustum_test_aabb(&fr, far_away));
    CHECK(mh_frustum_test_aabb(&fr, straddling));
}

static void test_aabb_and_srgb(void)
{
    mh_aabb b = {mh_v3(-1, 0, -1), mh_v3(1, 2, 1)};
    mh_aabb r = mh_aabb_transform(b, mh_m4_mul(mh_m4_translate(mh_v3(10, 0, 0)), mh_m4_rotate_y(MH_PI / 4)));
    CHECK_NEAR(r.min.x, 10 - sqrtf(2), 1e-5);
    CHECK_NEAR(r.max.x, 10 + sqrtf(2), 1e-5);
    CHECK_NEAR(r.max.y, 2, 1e-6);
    CHECK_NEAR(mh_srgb_to_linear(0.5f), 0.2140, 1e-4);
    CHECK_NEAR(mh_linear_to_srgb(0.2140f), 0.5, 1e-3);
    CHECK_NEAR(mh_srgb_to_linear(0.0f), 0, 1e-7);
    CHECK_NEAR(mh_linear_to_srgb(1.0f), 1, 1e-6);
    for (int i = 0; i <= 255; i++) {
        float c = (float)i / 255.0f;
        CHECK_NEAR(mh_linear_to_srgb(mh_srgb_to_linear(c)), c, 1e-4);
    }
}

int main(void)
{
    test_matrices();
    test_headset_math();
    test_frustum();
    test_aabb_and_srgb();
    return mh_test_done("test_math");
}
