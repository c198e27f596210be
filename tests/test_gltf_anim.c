/* test_gltf_anim.c - glTF animation: the sampler (STEP, LINEAR with
 * quaternion slerp, CUBICSPLINE Hermite) against values worked out by
 * hand; animations, skins and morph targets loaded from files the test
 * makes, with their validation errors; poses and skin matrices. */
#include <stdio.h>
#include <stdlib.h>

#include "asset/mh_gltf.h"
#include "gltf_builder.h"
#include "mh_test.h"

static void test_sampler_math(void)
{
    float out[4];
    /* LINEAR translation: halfway, clamped before the first and after the last key */
    float t1[2] = {1, 3}, v1[6] = {0, 0, 0, 2, 4, -6};
    mh_gltf_anim_sampler s = {t1, 2, v1, 3, false, MH_GLTF_INTERP_LINEAR};
    mh_gltf_anim_sample(&s, 2, out);
    CHECK_NEAR(out[0], 1, 1e-6);
    CHECK_NEAR(out[1], 2, 1e-6);
    CHECK_NEAR(out[2], -3, 1e-6);
    mh_gltf_anim_sample(&s, 0, out);
    CHECK_NEAR(out[1], 0, 1e-6);
    mh_gltf_anim_sample(&s, 9, out);
    CHECK_NEAR(out[2], -6, 1e-6);
    mh_gltf_anim_sample(&s, 2.5f, out);
    CHECK_NEAR(out[0], 1.5, 1e-6);
    /* STEP holds the earlier key until the next */
    s.interp = MH_GLTF_INTERP_STEP;
    mh_gltf_anim_sample(&s, 2.99f, out);
    CHECK_NEAR(out[0], 0, 1e-6);
    mh_gltf_anim_sample(&s, 3, out);
    CHECK_NEAR(out[0], 2, 1e-6);
    /* rotations: slerp from identity to 90 degrees about Y; halfway is 45 degrees */
    float h = sqrtf(0.5f), tq[2] = {0, 1}, q[8] = {0, 0, 0, 1, 0, h, 0, h};
    mh_gltf_anim_sampler r = {tq, 2, q, 4, true, MH_GLTF_INTERP_LINEAR};
    mh_gltf_anim_sample(&r, 0.5f, out);
    CHECK_NEAR(out[1], sinf(MH_PI / 8), 1e-5);
    CHECK_NEAR(out[3], cosf(MH_PI / 8), 1e-5);
    mh_gltf_anim_sample(&r, 0.25f, out); /* a quarter of the angle: slerp, not a normalized lerp */
    CHECK_NEAR(out[1], sinf(MH_PI / 16), 1e-5);
    /* the shortest way: a key given as -q turns the same way */
    float qn[8] = {0, 0, 0, 1, 0, -h, 0, -h};
    r.values = qn;
    mh_gltf_anim_sample(&r, 0.5f, out);
    CHECK_NEAR(fabsf(out[1]), sinf(MH_PI / 8), 1e-5);
    CHECK_NEAR(fabsf(out[3]), cosf(MH_PI / 8), 1e-5);
    /* CUBICSPLINE (Appendix C): keys [in-tangent, value, out-tangent]; with
     * p0 = 0, m0 = dt * 1, p1 = 1, m1 = dt * 0 over dt = 2, at u = 0.5:
     * h00 p0 + h10 m0 + h01 p1 + h11 m1 = 0 + 0.125 * 2 + 0.5 * 1 + 0 = 0.75 */
    float tc[2] = {0, 2}, vc[6] = {9, 0, 1, 0, 1, 9};
    mh_gltf_anim_sampler cs = {tc, 2, vc, 1, false, MH_GLTF_INTERP_CUBICSPLINE};
    mh_gltf_anim_sample(&cs, 1, out);
    CHECK_NEAR(out[0], 0.75, 1e-6);
    mh_gltf_anim_sample(&cs, 2, out); /* at a key: its value, not a tangent */
    CHECK_NEAR(out[0], 1, 1e-6);
    mh_gltf_anim_sample(&cs, -1, out);
    CHECK_NEAR(out[0], 0, 1e-6);
    /* one key: always its value; no keys: zeros (identity rotation) */
    mh_gltf_anim_sampler one = {t1, 1, v1 + 3, 3, false, MH_GLTF_INTERP_LINEAR};
    mh_gltf_anim_sample(&one, 5, out);
    CHECK_NEAR(out[1], 4, 1e-6);
    mh_gltf_anim_sampler none = {NULL, 0, NULL, 4, true, MH_GLTF_INTERP_LINEAR};
    mh_gltf_anim_sample(&none, 1, out);
    CHECK(out[0] == 0 && out[3] == 1);
}

/* A triangle mesh with two morph targets, skinned to two joints, and an
 * animation moving, turning and morphing it. */
static char *animated_model(const char *extra_animation, int joints_override)
{
    gb_bin b = {0};
    float pos[9] = {0, 0, 0, 1, 0, 0, 0, 1, 0}, d0[9] = {0, 0, 0, 0, 0, 0, 0, 1, 0},
          d1[9] = {0, 0, 1, 0, 0, 1, 0, 0, 1};
    uint8_t joints[12] = {0, 0, 0, 0, 1, 0, 0, 0, (uint8_t)joints_override, 0, 0, 0};
    float weights[12] = {1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0};
    float times[3] = {0, 1, 2}, trans[9] = {0, 0, 0, 2, 0, 0, 4, 0, 0}, mw[6] = {0, 0, 1, 0, 0, 1};
    float h = sqrtf(0.5f), rot[12] = {0, 0, 0, 1, 0, h, 0, h, 0, 1, 0, 0};
    float ibm[32] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, -1, 0, 0, 1};
    size_t o[11];
    o[0] = gb_add(&b, pos, sizeof pos);
    o[1] = gb_add(&b, d0, sizeof d0);
    o[2] = gb_add(&b, d1, sizeof d1);
    o[3] = gb_add(&b, joints, sizeof joints);
    o[4] = gb_add(&b, weights, sizeof weights);
    o[5] = gb_add(&b, times, sizeof times);
    o[6] = gb_add(&b, trans, sizeof trans);
    o[7] = gb_add(&b, rot, sizeof rot);
    o[8] = gb_add(&b, mw, sizeof mw);
    o[9] = gb_add(&b, ibm, sizeof ibm);
    char *uri = gb_uri(&b);
    char *text = gb_printf(
        "{\"asset\":{\"version\":\"2.0\"},\"buffers\":[{\"byteLength\":%zu,\"uri\":\"%s\"}],"
        "\"bufferViews\":[{\"buffer\":0,\"byteOffset\":%zu,\"byteLength\":36},{\"buffer\":0,\"byteOffset\":%zu,"
        "\"byteLength\":36},"
        "{\"buffer\":0,\"byteOffset\":%zu,\"byteLength\":36},{\"buffer\":0,\"byteOffset\":%zu,\"byteLength\":12},"
        "{\"buffer\":0,\"byteOffset\":%zu,\"byteLength\":48},{\"buffer\":0,\"byteOffset\":%zu,\"byteLength\":12},"
        "{\"buffer\":0,\"byteOffset\":%zu,\"byteLength\":36},{\"buffer\":0,\"byteOffset\":%zu,\"byteLength\":48},"
        "{\"buffer\":0,\"byteOffset\":%zu,\"byteLength\":24},{\"buffer\":0,\"byteOffset\":%zu,\"byteLength\":128}],"
        "\"accessors\":[{\"bufferView\":0,\"componentType\":5126,\"count\":3,\"type\":\"VEC3\",\"min\":[0,0,0],\"max\":"
        "[1,1,0]},"
        "{\"bufferView\":1,\"componentType\":5126,\"count\":3,\"type\":\"VEC3\",\"min\":[0,0,0],\"max\":[0,1,0]},"
        "{\"bufferView\":2,\"componentType\":5126,\"count\":3,\"type\":\"VEC3\",\"min\":[0,0,1],\"max\":[0,0,1]},"
        "{\"bufferView\":3,\"componentType\":5121,\"count\":3,\"type\":\"VEC4\"},"
        "{\"bufferView\":4,\"componentType\":5126,\"count\":3,\"type\":\"VEC4\"},"
        "{\"bufferView\":5,\"componentType\":5126,\"count\":3,\"type\":\"SCALAR\",\"min\":[0],\"max\":[2]},"
        "{\"bufferView\":6,\"componentType\":5126,\"count\":3,\"type\":\"VEC3\"},"
        "{\"bufferView\":7,\"componentType\":5126,\"count\":3,\"type\":\"VEC4\"},"
        "{\"bufferView\":8,\"componentType\":5126,\"count\":6,\"type\":\"SCALAR\"},"
        "{\"bufferView\":9,\"componentType\":5126,\"count\":2,\"type\":\"MAT4\"}],"
        "\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":0,\"JOINTS_0\":3,\"WEIGHTS_0\":4},"
        "\"targets\":[{\"POSITION\":1},{\"POSITION\":2}]}],\"weights\":[0.25,0.5]}],"
        "\"skins\":[{\"joints\":[1,2],\"inverseBindMatrices\":9,\"skeleton\":1}],"
        "\"nodes\":[{\"mesh\":0,\"skin\":0},{\"children\":[2]},{\"translation\":[1,0,0]}],"
        "\"scenes\":[{\"nodes\":[0,1]}],"
        "\"animations\":[{\"name\":\"go\",\"samplers\":[{\"input\":5,\"output\":6},{\"input\":5,\"output\":7},"
        "{\"input\":5,\"output\":8,\"interpolation\":\"STEP\"}],\"channels\":[{\"sampler\":0,\"target\":{\"node\":1,"
        "\"path\":\"translation\"}},{\"sampler\":1,\"target\":{\"node\":2,\"path\":\"rotation\"}},"
        "{\"sampler\":2,\"target\":{\"node\":0,\"path\":\"weights\"}}]}%s]}",
        b.size, uri, o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7], o[8], o[9], extra_animation);
    free(uri);
    free(b.data);
    return text;
}

static bool load_text(const char *text, bool strict, mh_arena *a, mh_gltf_model *m, mh_gltf_report *r)
{
    mh_gltf_desc d = {.strict = strict};
    return mh_gltf_load_memory(text, strlen(text), NULL, &d, a, m, r);
}

static void test_animated_file(void)
{
    char *text = animated_model("", 1);
    mh_arena a = {0};
    mh_gltf_model m;
    mh_gltf_report r;
    bool ok = load_text(text, true, &a, &m, &r);
    CHECK(ok);
    if (!ok)
        gb_issue(&r, "(show)", NULL);
    free(text);
    CHECK(m.animation_count == 1 && m.animations[0].channel_count == 3 && m.animations[0].sampler_count == 3);
    const mh_gltf_animation *an = &m.animations[0];
    CHECK(an->name && !strcmp(an->name, "go") && an->start == 0 && an->end == 2);
    CHECK(an->samplers[1].rotation && an->samplers[1].comps == 4 && an->samplers[2].comps == 2);
    CHECK(an->channels[2].path == MH_GLTF_PATH_WEIGHTS && an->channels[2].node == 0);
    /* morph targets and their default weights (the mesh's, for node 0) */
    const mh_gltf_prim *p = &m.prims[0];
    CHECK(p->target_count == 2 && p->targets[0].positions && !p->targets[0].normals);
    CHECK_NEAR(p->targets[1].positions[2], 1, 1e-6);
    CHECK(m.nodes[0].weight_count == 2);
    CHECK_NEAR(m.weights[m.nodes[0].first_weight + 1], 0.5, 1e-6);
    CHECK(p->joints && p->joints[4] == 1 && p->weights);
    /* the skin */
    CHECK(m.skin_count == 1 && m.skins[0].joint_count == 2 && m.skins[0].joints[1] == 2 && m.skins[0].skeleton == 1);
    CHECK_NEAR(m.skins[0].inverse_bind[1].m[12], -1, 1e-6);
    /* a pose at t = 1.5: node 1 at x 3, node 2 turned halfway from 90 to 180 degrees about Y, weights of key 1 (STEP) */
    mh_gltf_pose pose;
    CHECK(mh_gltf_pose_init(&m, &a, &pose));
    mh_gltf_anim_apply(&m, 0, 1.5f, &pose);
    mh_gltf_pose_world(&m, &pose);
    CHECK_NEAR(pose.translation[1][0], 3, 1e-5);
    CHECK_NEAR(pose.world[2].m[12], 4, 1e-5); /* the child: parent's x 3 + its own 1 */
    float ang = 2 * acosf(pose.rotation[2][3]);
    CHECK_NEAR(ang, 3 * MH_PI / 4, 1e-4);
    CHECK_NEAR(pose.weights[m.nodes[0].first_weight], 1, 1e-6);
    /* skin matrices: joint 1 (node 2) sits at x 4, turned; its inverse bind undoes the rest offset x 1 */
    mh_mat4 jm[MH_GLTF_MAX_JOINTS];
    mh_gltf_skin_matrices(&m, 0, 0, &pose, jm);
    CHECK_NEAR(jm[0].m[12], 3, 1e-5);
    mh_vec3 at_rest = mh_m4_mul_point(jm[1], mh_v3(1, 0, 0)); /* a vertex at the joint's rest place */
    CHECK_NEAR(at_rest.x, 4, 1e-5);
    CHECK_NEAR(at_rest.z, 0, 1e-5);
    /* back to rest */
    mh_gltf_pose_reset(&m, &pose);
    mh_gltf_pose_world(&m, &pose);
    CHECK_NEAR(pose.world[2].m[12], 1, 1e-6);
    CHECK_NEAR(pose.weights[m.nodes[0].first_weight], 0.25, 1e-6);
    mh_arena_free(&a);
}

static void test_animation_errors(void)
{
    static const struct {
        const char *extra;
        const char *code, *ptr;
    } cases[] = {
        /* outputs that do not match the keys */
        {",{\"samplers\":[{\"input\":5,\"output\":8}],\"channels\":[{\"sampler\":0,\"target\":{\"node\":1,"
         "\"path\":\"translation\"}}]}",
         "ANIMATION_SAMPLER_OUTPUT_ACCESSOR_INVALID_FORMAT", "/animations/1/channels/0/sampler"},
        {",{\"samplers\":[{\"input\":5,\"output\":8}],\"channels\":[{\"sampler\":0,\"target\":{\"node\":0,"
         "\"path\":\"weights\"}}]}",
         NULL, NULL}, /* 6 weights for 3 keys x 2 targets: valid */
        {",{\"samplers\":[{\"input\":5,\"output\":6,\"interpolation\":\"CUBICSPLINE\"}],\"channels\":[{\"sampler\":0,"
         "\"target\":{\"node\":1,\"path\":\"translation\"}}]}",
         "ANIMATION_SAMPLER_OUTPUT_ACCESSOR_INVALID_COUNT", "/animations/1/channels/0/sampler"},
        /* two channels driving the same thing */
        {",{\"samplers\":[{\"input\":5,\"output\":6}],\"channels\":[{\"sampler\":0,\"target\":{\"node\":1,\"path\":"
         "\"translation\"}},{\"sampler\":0,\"target\":{\"node\":1,\"path\":\"translation\"}}]}",
         "ANIMATION_DUPLICATE_TARGETS", "/animations/1/channels/1/target"},
        /* weights of a node whose mesh has no morph targets */
        {",{\"samplers\":[{\"input\":5,\"output\":8}],\"channels\":[{\"sampler\":0,\"target\":{\"node\":1,"
         "\"path\":\"weights\"}}]}",
         "ANIMATION_CHANNEL_TARGET_NODE_WEIGHTS_NO_MORPHS", "/animations/1/channels/0/target"},
        {",{\"samplers\":[{\"input\":9,\"output\":6}],\"channels\":[{\"sampler\":0,\"target\":{\"node\":1,"
         "\"path\":\"translation\"}}]}",
         "ANIMATION_SAMPLER_INPUT_ACCESSOR_INVALID_FORMAT", "/animations/1/samplers/0/input"},
        {",{\"samplers\":[{\"input\":5,\"output\":6}],\"channels\":[{\"sampler\":3,\"target\":{\"node\":1,"
         "\"path\":\"translation\"}}]}",
         "UNRESOLVED_REFERENCE", "/animations/1/channels/0/sampler"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *text = animated_model(cases[i].extra, 1);
        mh_arena a = {0};
        mh_gltf_model m;
        mh_gltf_report r;
        bool ok = load_text(text, false, &a, &m, &r);
        if (!cases[i].code)
            CHECK(ok);
        else
            CHECK(!ok && gb_issue(&r, cases[i].code, cases[i].ptr));
        free(text);
        mh_arena_free(&a);
    }
    /* a vertex naming a joint the skin lacks (joint 7 of 2) */
    char *text = animated_model("", 7);
    mh_arena a = {0};
    mh_gltf_model m;
    mh_gltf_report r;
    CHECK(!load_text(text, false, &a, &m, &r));
    CHECK(gb_issue(&r, "ACCESSOR_JOINTS_INDEX_OOB", "/nodes/0"));
    free(text);
    mh_arena_free(&a);
}

/* The documented limits: joints per skin and morph targets per primitive. */
static void test_limits(void)
{
    mh_arena a = {0};
    mh_gltf_model m;
    mh_gltf_report r;
    size_t cap = 64000, n = 0;
    char *text = malloc(cap);
    n += (size_t)snprintf(text, cap, "{\"asset\":{\"version\":\"2.0\"},\"nodes\":[");
    for (int k = 0; k < MH_GLTF_MAX_JOINTS + 1; k++)
        n += (size_t)snprintf(text + n, cap - n, "%s{}", k ? "," : "");
    n += (size_t)snprintf(text + n, cap - n, "],\"skins\":[{\"joints\":[");
    for (int k = 0; k < MH_GLTF_MAX_JOINTS + 1; k++)
        n += (size_t)snprintf(text + n, cap - n, "%s%d", k ? "," : "", k);
    snprintf(text + n, cap - n, "]}]}");
    CHECK(!mh_gltf_load_memory(text, strlen(text), NULL, NULL, &a, &m, &r));
    const mh_gltf_issue *i = gb_issue(&r, "SKIN_TOO_MANY_JOINTS", "/skins/0/joints");
    CHECK(i && strstr(i->message, "65 joints; a skin may have at most 64"));
    /* 33 morph targets */
    gb_bin b = {0};
    float pos[9] = {0, 0, 0, 1, 0, 0, 0, 1, 0};
    gb_add(&b, pos, sizeof pos);
    char *uri = gb_uri(&b);
    n = (size_t)snprintf(text, cap,
                         "{\"asset\":{\"version\":\"2.0\"},\"buffers\":[{\"byteLength\":36,\"uri\":\"%s\"}],"
                         "\"bufferViews\":[{\"buffer\":0,\"byteLength\":36}],\"accessors\":[{\"bufferView\":0,"
                         "\"componentType\":5126,\"count\":3,\"type\":\"VEC3\",\"min\":[0,0,0],\"max\":[1,1,0]}],"
                         "\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":0},\"targets\":[",
                         uri);
    for (int k = 0; k < MH_GLTF_MAX_MORPH_TARGETS + 1; k++)
        n += (size_t)snprintf(text + n, cap - n, "%s{\"POSITION\":0}", k ? "," : "");
    snprintf(text + n, cap - n, "]}]}]}");
    CHECK(!mh_gltf_load_memory(text, strlen(text), NULL, NULL, &a, &m, &r));
    CHECK(gb_issue(&r, "MESH_TOO_MANY_TARGETS", "/meshes/0/primitives/0/targets"));
    free(uri);
    free(b.data);
    free(text);
    mh_arena_free(&a);
}

int main(void)
{
    test_sampler_math();
    test_animated_file();
    test_animation_errors();
    test_limits();
    return mh_test_done("test_gltf_anim");
}
