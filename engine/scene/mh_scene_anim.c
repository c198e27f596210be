/* mh_scene_anim.c - the per-frame part of the scene: poses each rig
 * (glTF animation through the loader's samplers, looping as three.js
 * does: over [0, the clip's last key]), then places what it moves:
 * moving chunks' matrices and bounds, skins' joint matrices, the morph
 * targets with the largest weights, and the rig's lights. No allocation:
 * everything was sized when the model was added. */
#include "mh_scene_internal.h"

#include <math.h>
#include <string.h>

/* Rows of the affine part of m (column-major) as 3 x 4, row-major. */
static void rows3x4(mh_mat4 m, float out[12])
{
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < 4; c++)
            out[r * 4 + c] = m.m[c * 4 + r];
}

/* The morph targets with the largest weights (none that are zero). */
static void pick_targets(mh_scene_motion *mo, const float *w)
{
    mo->active_count = 0;
    for (int t = 0; t < mo->target_count; t++) {
        float a = fabsf(w[t]);
        if (!(a > 1e-5f))
            continue;
        int at = mo->active_count < MH_MORPH_ACTIVE ? mo->active_count++ : MH_MORPH_ACTIVE;
        while (at > 0 && fabsf(mo->active_weight[at - 1]) < a) { /* keep them sorted, largest first */
            if (at < MH_MORPH_ACTIVE) {
                mo->active[at] = mo->active[at - 1];
                mo->active_weight[at] = mo->active_weight[at - 1];
            }
            at--;
        }
        if (at < MH_MORPH_ACTIVE) {
            mo->active[at] = t;
            mo->active_weight[at] = w[t];
        }
    }
}

/* A skinned part's bounds: its rest box moved rigidly by every joint (a
 * blend of those lies within their union). */
static mh_aabb skinned_bounds(const mh_scene_rig *rig, const mh_scene_motion *mo)
{
    const mh_gltf_skin *sk = &rig->model.skins[mo->skin];
    mh_aabb b = mh_aabb_empty();
    for (int j = 0; j < sk->joint_count; j++) {
        mh_mat4 m = mh_m4_mul(rig->place, mh_m4_mul(rig->pose.world[sk->joints[j]], sk->inverse_bind[j]));
        mh_aabb t = mh_aabb_transform(mo->local_bounds, m);
        mh_aabb_add_point(&b, t.min);
        mh_aabb_add_point(&b, t.max);
    }
    return b;
}

float mh_scene_motion_size(const mh_scene_motion *mo)
{
    mh_vec3 d = mh_v3_sub(mo->local_bounds.max, mo->local_bounds.min);
    float scale = 0;
    for (int c = 0; c < 3; c++) { /* the longest of the matrix's axes */
        const float *m = &mo->world.m[c * 4];
        scale = fmaxf(scale, sqrtf(m[0] * m[0] + m[1] * m[1] + m[2] * m[2]));
    }
    return fmaxf(d.x, fmaxf(d.y, d.z)) * scale;
}

static void place_motion(const mh_scene_rig *rig, mh_scene_motion *mo, mh_scene_chunk *c)
{
    mo->world = mh_m4_mul(rig->place, rig->pose.world[mo->node]);
    if (mo->skin >= 0 && mo->joints) {
        const mh_gltf_skin *sk = &rig->model.skins[mo->skin];
        mh_mat4 inv = mh_m4_identity();
        if (!mh_m4_invert(rig->pose.world[mo->node], &inv))
            inv = mh_m4_identity();
        for (int j = 0; j < sk->joint_count && j < mo->joint_count; j++)
            rows3x4(mh_m4_mul(inv, mh_m4_mul(rig->pose.world[sk->joints[j]], sk->inverse_bind[j])), mo->joints[j]);
    }
    if (mo->target_count)
        pick_targets(mo, rig->pose.weights + mo->first_weight);
    if (c && mo->skin >= 0) {
        c->bounds = skinned_bounds(rig, mo);
    } else if (c) {
        c->bounds = mh_aabb_transform(mo->local_bounds, mo->world);
        c->lod_size = mh_scene_motion_size(mo);
    }
}

static void place_lights(mh_scene_rig *rig)
{
    for (int i = 0; i < rig->light_count; i++) {
        mh_scene_light *l = &rig->lights[i];
        mh_mat4 w = mh_m4_mul(rig->place, rig->pose.world[l->node]);
        l->pos = mh_m4_mul_point(w, mh_v3(0, 0, 0));
        l->dir = mh_v3_norm(mh_m4_mul_dir(w, mh_v3(0, 0, -1)));
    }
}

void mh_scene_animate_rig(mh_scene *sc, int r, float dt)
{
    mh_scene_rig *rig = &sc->rigs[r];
    if (rig->animation < 0 && rig->posed)
        return; /* the rest pose does not change */
    if (rig->animation >= 0) {
        float end = rig->model.animations[0].end;
        rig->time += dt;
        rig->time = end > 0 ? fmodf(rig->time, end) : 0;
        if (rig->time < 0)
            rig->time += end;
        mh_gltf_anim_apply(&rig->model, 0, rig->time, &rig->pose);
    }
    mh_gltf_pose_world(&rig->model, &rig->pose);
    rig->posed = true;
    place_lights(rig);
    for (int k = 0; k < sc->chunk_count; k++) {
        mh_scene_chunk *c = &sc->chunks[k];
        if (c->motion >= 0 && sc->motions[c->motion].rig == r)
            place_motion(rig, &sc->motions[c->motion], c);
    }
}

void mh_scene_animate(mh_scene *sc, float dt)
{
    for (int r = 0; r < sc->rig_count; r++)
        mh_scene_animate_rig(sc, r, dt);
    if (sc->turn_count) {
        sc->clock += dt;
        mh_scene_place_turns(sc);
    }
}

void mh_scene_set_time(mh_scene *sc, float t)
{
    sc->clock = t;
    mh_scene_place_turns(sc);
    for (int r = 0; r < sc->rig_count; r++) {
        sc->rigs[r].time = 0;
        sc->rigs[r].posed = false;
        mh_scene_animate_rig(sc, r, t);
    }
}
