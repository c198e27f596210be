/* fuzz_gltf_data.c - libFuzzer target for the glTF loader's binary data:
 * the input's first byte picks a template glTF (fixed JSON) and the rest is
 * its GLB BIN chunk, so the fuzzer spends its time in what the JSON cannot
 * reach quickly: EXT_meshopt_compression vertex and index streams and
 * filters, KHR_draco_mesh_compression data, animation keyframes (STEP,
 * LINEAR, CUBICSPLINE, rotations) and skins with inverse bind matrices.
 * Loaded models are posed and sampled; nothing may crash, leak or hang. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asset/mh_gltf.h"

static void fuzz_require(bool ok)
{
    if (!ok)
        abort();
}

/* The template's JSON for a BIN chunk of n bytes (n a multiple of 4), the
 * first `have` of them the input's (d). The chunk starts with 8 control
 * bytes (stream lengths, counts, the interpolation) and its data follows. */
static int fuzz_json(int kind, const uint8_t *d, size_t have, size_t n, char *out, size_t size)
{
    uint8_t c[8] = {0};
    memcpy(c, d, have < 8 ? have : 8);
    size_t l0 = (size_t)(c[0] | c[1] << 8) + 1, l1 = (size_t)(c[2] | c[3] << 8) + 1,
           l2 = (size_t)(c[4] | c[5] << 8) + 1;
    unsigned k = 2 + c[0] % 30, pts = 3 + c[0], faces = 1 + c[1], cubic = c[6] % 3 == 2;
    static const char *const interp[] = {"LINEAR", "STEP", "CUBICSPLINE"};
    switch (kind) {
    case 0: /* meshopt: positions as an attribute stream, indices as a triangle stream */
        return snprintf(
            out, size,
            "{\"asset\":{\"version\":\"2.0\"},\"extensionsUsed\":[\"EXT_meshopt_compression\"],"
            "\"buffers\":[{\"byteLength\":%zu},{\"byteLength\":264,\"extensions\":{\"EXT_meshopt_compression\":"
            "{\"fallback\":true}}}],\"bufferViews\":[{\"buffer\":1,\"byteLength\":192,\"byteStride\":12,\"extensions\":"
            "{\"EXT_meshopt_compression\":{\"buffer\":0,\"byteOffset\":8,\"byteLength\":%zu,\"byteStride\":12,"
            "\"count\":16,\"mode\":\"ATTRIBUTES\"}}},{\"buffer\":1,\"byteOffset\":192,\"byteLength\":72,\"extensions\":"
            "{\"EXT_meshopt_compression\":{\"buffer\":0,\"byteOffset\":%zu,\"byteLength\":%zu,\"byteStride\":2,"
            "\"count\":36,\"mode\":\"%s\"}}}],\"accessors\":[{\"bufferView\":0,\"componentType\":5126,"
            "\"count\":16,\"type\":\"VEC3\",\"min\":[0,0,0],\"max\":[1,1,1]},{\"bufferView\":1,\"componentType\":5123,"
            "\"count\":36,\"type\":\"SCALAR\"}],\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":0},"
            "\"indices\":1}]}],\"nodes\":[{\"mesh\":0}]}",
            n, l0, 8 + l0, l1, c[6] & 1 ? "INDICES" : "TRIANGLES");
    case 1: /* meshopt filters: octahedral normals, quaternion rotations, exponential times */
        return snprintf(
            out, size,
            "{\"asset\":{\"version\":\"2.0\"},\"extensionsUsed\":[\"EXT_meshopt_compression\",\"KHR_mesh_"
            "quantization\"],"
            "\"buffers\":[{\"byteLength\":%zu},{\"byteLength\":256,\"extensions\":{\"EXT_meshopt_compression\":"
            "{\"fallback\":true}}}],\"bufferViews\":[{\"buffer\":1,\"byteLength\":64,\"byteStride\":4,\"extensions\":"
            "{\"EXT_meshopt_compression\":{\"buffer\":0,\"byteOffset\":8,\"byteLength\":%zu,\"byteStride\":4,"
            "\"count\":16,\"mode\":\"ATTRIBUTES\",\"filter\":\"OCTAHEDRAL\"}}},{\"buffer\":1,\"byteOffset\":64,"
            "\"byteLength\":128,\"extensions\":{\"EXT_meshopt_compression\":{\"buffer\":0,\"byteOffset\":%zu,"
            "\"byteLength\":%zu,\"byteStride\":8,\"count\":16,\"mode\":\"ATTRIBUTES\",\"filter\":\"QUATERNION\"}}},"
            "{\"buffer\":1,\"byteOffset\":192,\"byteLength\":64,\"extensions\":{\"EXT_meshopt_compression\":"
            "{\"buffer\":0,\"byteOffset\":%zu,\"byteLength\":%zu,\"byteStride\":4,\"count\":16,\"mode\":\"ATTRIBUTES\","
            "\"filter\":\"EXPONENTIAL\"}}}],"
            "\"accessors\":[{\"bufferView\":0,\"componentType\":5120,\"normalized\":true,\"count\":16,\"type\":"
            "\"VEC3\"},"
            "{\"bufferView\":1,\"componentType\":5122,\"normalized\":true,\"count\":16,\"type\":\"VEC4\"},"
            "{\"bufferView\":2,\"componentType\":5126,\"count\":16,\"type\":\"SCALAR\",\"min\":[0],\"max\":[1]}],"
            "\"nodes\":[{}],\"animations\":[{\"samplers\":[{\"input\":2,\"output\":1}],\"channels\":[{\"sampler\":0,"
            "\"target\":{\"node\":0,\"path\":\"rotation\"}}]}]}",
            n, l0, 8 + l0, l1, 8 + l0 + l1, l2);
    case 2: /* Draco: the data after the control bytes is a Draco mesh; counts from the control bytes */
        return snprintf(
            out, size,
            "{\"asset\":{\"version\":\"2.0\"},\"extensionsUsed\":[\"KHR_draco_mesh_compression\"],"
            "\"buffers\":[{\"byteLength\":%zu}],\"bufferViews\":[{\"buffer\":0,\"byteOffset\":8,\"byteLength\":%zu}],"
            "\"accessors\":[{\"componentType\":5126,\"count\":%u,\"type\":\"VEC3\",\"min\":[0,0,0],\"max\":[1,1,1]},"
            "{\"componentType\":5126,\"count\":%u,\"type\":\"VEC3\"},{\"componentType\":%s,\"count\":%u,"
            "\"type\":\"SCALAR\"}],\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":0%s},"
            "\"indices\":2,\"extensions\":{\"KHR_draco_mesh_compression\":{\"bufferView\":0,\"attributes\":"
            "{\"POSITION\":0%s}}}}]}],\"nodes\":[{\"mesh\":0}]}",
            n, n > 8 ? n - 8 : 1, pts, pts, c[6] & 1 ? "5123" : "5125", faces * 3, c[6] & 2 ? ",\"NORMAL\":1" : "",
            c[6] & 2 ? ",\"NORMAL\":1" : "");
    default: { /* keyframes and a skin: times, translations, rotations, matrices */
        unsigned m = cubic ? 3 : 1;
        size_t ot = 8, ov = ot + 4u * k, orr = ov + 12u * k * m, oi = orr + 16u * k * m;
        return snprintf(
            out, size,
            "{\"asset\":{\"version\":\"2.0\"},\"buffers\":[{\"byteLength\":%zu}],\"bufferViews\":["
            "{\"buffer\":0,\"byteLength\":%zu}],\"accessors\":[{\"bufferView\":0,\"byteOffset\":%zu,\"componentType\":"
            "5126,"
            "\"count\":%u,\"type\":\"SCALAR\",\"min\":[0],\"max\":[1]},{\"bufferView\":0,\"byteOffset\":%zu,"
            "\"componentType\":5126,\"count\":%u,\"type\":\"VEC3\"},{\"bufferView\":0,\"byteOffset\":%zu,"
            "\"componentType\":5126,\"count\":%u,\"type\":\"VEC4\"},{\"bufferView\":0,\"byteOffset\":%zu,"
            "\"componentType\":5126,\"count\":2,\"type\":\"MAT4\"}],"
            "\"nodes\":[{\"children\":[1]},{\"translation\":[0,1,0]}],\"skins\":[{\"joints\":[0,1],"
            "\"inverseBindMatrices\":3}],\"animations\":[{\"samplers\":[{\"input\":0,\"output\":1,\"interpolation\":"
            "\"%s\"},{\"input\":0,\"output\":2,\"interpolation\":\"%s\"}],\"channels\":[{\"sampler\":0,\"target\":"
            "{\"node\":1,\"path\":\"translation\"}},{\"sampler\":1,\"target\":{\"node\":0,\"path\":\"rotation\"}}]}]}",
            n, n, ot, k, ov, k * m, orr, k * m, oi, interp[c[6] % 3], interp[c[6] % 3]);
    }
    }
}

static uint8_t *fuzz_glb(int kind, const uint8_t *bin, size_t n, size_t *out_size)
{
    static char json[8192];
    size_t bn = (n + 3) & ~(size_t)3;
    int jn = fuzz_json(kind, bin, n, bn, json, sizeof json - 4);
    while (jn % 4)
        json[jn++] = ' ';
    size_t total = 12 + 8 + (size_t)jn + 8 + bn;
    uint8_t *g = calloc(total, 1);
    uint32_t head[5] = {0x46546C67u, 2, (uint32_t)total, (uint32_t)jn, 0x4E4F534Au},
             bh[2] = {(uint32_t)bn, 0x004E4942u};
    memcpy(g, head, 20);
    memcpy(g + 20, json, (size_t)jn);
    memcpy(g + 20 + jn, bh, 8);
    memcpy(g + 28 + jn, bin, n);
    *out_size = total;
    return g;
}

static void fuzz_walk(const mh_gltf_model *m, mh_arena *arena)
{
    for (int p = 0; p < m->prim_count; p++)
        for (uint32_t k = 0; k < m->prims[p].index_count; k++)
            fuzz_require(m->prims[p].indices[k] < m->prims[p].vertex_count);
    mh_gltf_pose pose;
    if (!mh_gltf_pose_init(m, arena, &pose))
        return;
    for (int a = 0; a < m->animation_count; a++)
        for (int t = -2; t < 12; t++) {
            mh_gltf_anim_apply(m, a, (float)t * 0.1f, &pose);
            mh_gltf_pose_world(m, &pose);
        }
    mh_mat4 joints[MH_GLTF_MAX_JOINTS];
    for (int s = 0; s < m->skin_count; s++)
        mh_gltf_skin_matrices(m, s, -1, &pose, joints);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > (1u << 20))
        return 0;
    size_t n;
    uint8_t *glb = fuzz_glb(data[0] % 4, data + 1, size - 1, &n);
    for (int strict = 0; strict < 2; strict++) {
        mh_arena arena = {0};
        mh_gltf_model model;
        mh_gltf_report report;
        mh_gltf_desc desc = {.strict = strict == 1};
        if (mh_gltf_load_memory(glb, n, NULL, &desc, &arena, &model, &report))
            fuzz_walk(&model, &arena);
        mh_arena_free(&arena);
    }
    free(glb);
    return 0;
}
