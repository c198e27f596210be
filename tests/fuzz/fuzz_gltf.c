/* fuzz_gltf.c - libFuzzer target: any bytes as a .gltf or .glb (no external
 * files), loaded by both rules: the kiosk's, and validate's strict one. The
 * loader must reject or load, never crash, leak or hang. Loaded models are
 * walked (every index and animation sampled) so bad data cannot hide. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "asset/mh_gltf.h"

static void fuzz_require(bool ok)
{
    if (!ok)
        abort();
}

/* Everything a renderer would touch: indices within the vertices, joints
 * within their skins, animations sampled at a few times. */
static void fuzz_walk(const mh_gltf_model *m, mh_arena *arena)
{
    for (int p = 0; p < m->prim_count; p++) {
        const mh_gltf_prim *pr = &m->prims[p];
        fuzz_require(pr->index_count % 3 == 0);
        for (uint32_t k = 0; k < pr->index_count; k++)
            fuzz_require(pr->indices[k] < pr->vertex_count);
        fuzz_require(pr->material >= -1 && pr->material < m->material_count);
    }
    for (int d = 0; d < m->draw_count; d++)
        fuzz_require(m->draws[d].mesh >= 0 && m->draws[d].mesh < m->mesh_count);
    mh_gltf_pose pose;
    if (!mh_gltf_pose_init(m, arena, &pose))
        return;
    for (int a = 0; a < m->animation_count; a++)
        for (int t = -1; t < 4; t++) {
            mh_gltf_anim_apply(m, a, (float)t * 0.37f, &pose);
            mh_gltf_pose_world(m, &pose);
        }
    mh_mat4 joints[MH_GLTF_MAX_JOINTS];
    for (int n = 0; n < m->node_count; n++)
        if (m->nodes[n].skin >= 0)
            mh_gltf_skin_matrices(m, m->nodes[n].skin, n, &pose, joints);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (int strict = 0; strict < 2; strict++) {
        mh_arena arena = {0};
        mh_gltf_model model;
        mh_gltf_report report;
        mh_gltf_desc desc = {.strict = strict == 1};
        if (mh_gltf_load_memory(data, size, NULL, &desc, &arena, &model, &report))
            fuzz_walk(&model, &arena);
        mh_arena_free(&arena);
    }
    return 0;
}
