/* mh_scene_model.c - a glTF model into a scene: its materials (glTF's
 * metallic-roughness, the factors moved into the vertices so materials
 * that differ only in them share a draw), its textures (colour or data,
 * with their samplers), tangents where a normal map needs them, and a rig
 * when it animates, is skinned, morphs or brings its own lights: parts an
 * animation moves keep model-space vertices and a matrix per frame
 * (mh_scene_anim.c), the rest is baked into world space and merged by
 * material. */
#include "mh_scene_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/mh_log.h"

static void log_model_issues(const char *path, const mh_gltf_report *r)
{
    for (int i = 0; i < r->count; i++)
        mh_log(r->issues[i].error ? MH_LOG_ERROR : MH_LOG_WARN, "gltf", "%s: %s: %s", path,
               r->issues[i].pointer[0] ? r->issues[i].pointer : "/", r->issues[i].message);
    if (r->errors + r->warnings > r->count)
        mh_log_warn("gltf", "%s: %d more problems not shown", path, r->errors + r->warnings - r->count);
}

/* One model being added: the loaded model, the scene textures its glTF
 * textures became, and what moves. */
typedef struct model_in {
    mh_scene *sc;
    const char *path;
    const mh_scene_place *pl;
    mh_gltf_model m;
    mh_arena *tmp;
    int *tex_of;    /* [texture * 2 + srgb] -> scene texture + 1 (0: not yet) */
    bool *moving;   /* per node: an animation channel moves it or an ancestor */
    bool *morphing; /* per node: its morph weights are animated */
    mh_mat4 place;  /* model space -> world */
    int anim;       /* the animation to play, -1 none */
    int rig;        /* the scene rig, -1 none */
} model_in;

/* ---- textures and materials ----------------------------------------------- */

static int scene_texture(model_in *mi, int texture, bool srgb)
{
    const mh_gltf_model *m = &mi->m;
    int *slot = &mi->tex_of[texture * 2 + srgb];
    if (*slot)
        return *slot - 1;
    const mh_gltf_texture *t = &m->textures[texture];
    const mh_image *img = t->image >= 0 ? &m->images[t->image] : NULL;
    if (!img || !img->rgba)
        return (*slot = 0) - 1;
    size_t bytes = (size_t)img->width * (size_t)img->height * 4;
    uint8_t *px = malloc(bytes);
    if (!px)
        return -1;
    memcpy(px, img->rgba, bytes);
    mh_gltf_sampler smp = t->sampler >= 0 ? m->samplers[t->sampler] : (mh_gltf_sampler){0};
    int i = mh_scene_add_texture(mi->sc, (mh_scene_texture){.width = img->width,
                                                            .height = img->height,
                                                            .rgba = px,
                                                            .srgb = srgb,
                                                            .wrap_s = smp.wrap_s,
                                                            .wrap_t = smp.wrap_t,
                                                            .min_filter = smp.min_filter,
                                                            .mag_filter = smp.mag_filter});
    *slot = i + 1;
    return i;
}

/* The slot for a texture reference, when prim has the TEXCOORD set it reads. */
static mh_material_slot slot_of(model_in *mi, const mh_gltf_prim *pr, const mh_gltf_texture_ref *ref, bool srgb)
{
    mh_material_slot s = {.texture = -1, .xform = {1, 0, 0, 1, 0, 0}};
    if (ref->texture < 0 || ref->texcoord < 0 || ref->texcoord > 1 || !pr->texcoords[ref->texcoord])
        return s;
    s.texture = scene_texture(mi, ref->texture, srgb);
    s.set = ref->texcoord;
    memcpy(s.xform, ref->transform, sizeof s.xform);
    return s;
}

/* The scene material for prim's glTF material (its factors go into the
 * vertices, see mh_scene.h). */
static mh_material material_of(model_in *mi, const mh_gltf_prim *pr, const mh_gltf_material *g)
{
    mh_material m = mh_material_plain();
    m.slots[MH_TEX_BASE] = slot_of(mi, pr, &g->base_color_texture, true);
    if (!g->unlit) {
        m.slots[MH_TEX_METAL_ROUGH] = slot_of(mi, pr, &g->metallic_roughness_texture, false);
        m.slots[MH_TEX_NORMAL] = pr->normals ? slot_of(mi, pr, &g->normal_texture, false) : m.slots[MH_TEX_NORMAL];
        m.slots[MH_TEX_OCCLUSION] = slot_of(mi, pr, &g->occlusion_texture, false);
        m.slots[MH_TEX_EMISSIVE] = slot_of(mi, pr, &g->emissive_texture, true);
        for (int k = 0; k < 3; k++)
            m.emissive[k] = g->emissive[k] * g->emissive_strength;
        m.normal_scale = g->normal_texture.scale;
        m.occlusion_strength = g->occlusion_texture.scale;
    }
    if (!(m.emissive[0] > 0 || m.emissive[1] > 0 || m.emissive[2] > 0))
        m.slots[MH_TEX_EMISSIVE].texture = -1; /* a texture times black adds nothing */
    m.alpha_mode = (mh_alpha_mode)g->alpha_mode;
    m.alpha_cutoff = g->alpha_mode == MH_GLTF_ALPHA_MASK ? g->alpha_cutoff : 0.5f;
    m.double_sided = g->double_sided;
    m.unlit = g->unlit;
    return m;
}

/* ---- what moves --------------------------------------------------------------- */

/* The animation exhibit.json asks for: the first by default, one by index
 * or name, or none (false); one that is not there plays none (a warning). */
static int pick_animation(const mh_gltf_model *m, const mh_scene_place *pl, const char *path)
{
    if (pl->animation == MH_ANIMATION_OFF || m->animation_count == 0)
        return -1;
    if (pl->animation == MH_ANIMATION_NAMED) {
        for (int i = 0; i < m->animation_count; i++)
            if (m->animations[i].name && pl->animation_name && !strcmp(m->animations[i].name, pl->animation_name))
                return i;
        mh_log_warn("gltf", "%s: no animation named \"%.40s\" (playing none)", path,
                    pl->animation_name ? pl->animation_name : "");
        return -1;
    }
    if (pl->animation >= m->animation_count) {
        mh_log_warn("gltf", "%s: no animation %d (it has %d; playing none)", path, pl->animation, m->animation_count);
        return -1;
    }
    return pl->animation;
}

/* Which nodes the animation moves (targets of its TRS channels and their
 * descendants) and whose morph weights it animates. */
static void mark_moving(model_in *mi)
{
    const mh_gltf_model *m = &mi->m;
    if (mi->anim >= 0) {
        const mh_gltf_animation *an = &m->animations[mi->anim];
        for (int c = 0; c < an->channel_count; c++) {
            const mh_gltf_anim_channel *ch = &an->channels[c];
            if (ch->path == MH_GLTF_PATH_WEIGHTS)
                mi->morphing[ch->node] = true;
            else
                mi->moving[ch->node] = true;
        }
    }
    for (int k = 0; k < m->order_count; k++) { /* parents come first */
        int i = m->order[k];
        if (m->nodes[i].parent >= 0 && mi->moving[m->nodes[i].parent])
            mi->moving[i] = true;
    }
}

/* A mesh on node n morphs when it has targets and weights that are animated or not all zero. */
static bool node_morphs(const model_in *mi, int n, const mh_gltf_mesh *me)
{
    const mh_gltf_node *nd = &mi->m.nodes[n];
    if (me->target_count == 0 || nd->weight_count != me->target_count)
        return false;
    if (mi->morphing[n])
        return true;
    for (int k = 0; k < nd->weight_count; k++)
        if (mi->m.weights[nd->first_weight + k] != 0)
            return true;
    return false;
}

/* Copies what posing needs (nodes, order, weights, skins, the animation)
 * into the scene's arena: the loaded model's arena goes after the build. */
static bool copy_rig_model(const mh_gltf_model *m, int anim, mh_arena *a, mh_gltf_model *out)
{
    *out = (mh_gltf_model){.node_count = m->node_count,
                           .order_count = m->order_count,
                           .weight_count = m->weight_count,
                           .skin_count = m->skin_count,
                           .animation_count = anim >= 0};
    out->nodes = MH_ARENA_NEW(a, mh_gltf_node, m->node_count + 1);
    out->order = MH_ARENA_NEW(a, int, m->order_count + 1);
    out->weights = MH_ARENA_NEW(a, float, m->weight_count + 1);
    out->skins = MH_ARENA_NEW(a, mh_gltf_skin, m->skin_count + 1);
    if (!out->nodes || !out->order || !out->weights || !out->skins)
        return false;
    memcpy(out->nodes, m->nodes, sizeof *m->nodes * (size_t)m->node_count);
    for (int i = 0; i < m->node_count; i++)
        out->nodes[i].name = NULL;
    memcpy(out->order, m->order, sizeof(int) * (size_t)m->order_count);
    if (m->weight_count)
        memcpy(out->weights, m->weights, sizeof(float) * (size_t)m->weight_count);
    for (int s = 0; s < m->skin_count; s++) {
        const mh_gltf_skin *sk = &m->skins[s];
        mh_gltf_skin *o = &out->skins[s];
        *o = (mh_gltf_skin){.joint_count = sk->joint_count, .skeleton = sk->skeleton};
        o->joints = MH_ARENA_NEW(a, int, sk->joint_count + 1);
        o->inverse_bind = MH_ARENA_NEW(a, mh_mat4, sk->joint_count + 1);
        if (!o->joints || !o->inverse_bind)
            return false;
        memcpy(o->joints, sk->joints, sizeof(int) * (size_t)sk->joint_count);
        memcpy(o->inverse_bind, sk->inverse_bind, sizeof(mh_mat4) * (size_t)sk->joint_count);
    }
    if (anim < 0)
        return true;
    const mh_gltf_animation *an = &m->animations[anim];
    mh_gltf_animation *o = out->animations = MH_ARENA_NEW(a, mh_gltf_animation, 1);
    if (!o)
        return false;
    *o = (mh_gltf_animation){.channel_count = an->channel_count,
                             .sampler_count = an->sampler_count,
                             .start = an->start,
                             .end = an->end};
    o->channels = MH_ARENA_NEW(a, mh_gltf_anim_channel, an->channel_count + 1);
    o->samplers = MH_ARENA_NEW(a, mh_gltf_anim_sampler, an->sampler_count + 1);
    if (!o->channels || !o->samplers)
        return false;
    memcpy(o->channels, an->channels, sizeof *an->channels * (size_t)an->channel_count);
    for (int s = 0; s < an->sampler_count; s++) {
        const mh_gltf_anim_sampler *src = &an->samplers[s];
        mh_gltf_anim_sampler *d = &o->samplers[s];
        *d = *src;
        size_t nv = (size_t)src->key_count * (size_t)src->comps * (src->interp == MH_GLTF_INTERP_CUBICSPLINE ? 3 : 1);
        float *times = MH_ARENA_NEW(a, float, src->key_count + 1), *values = MH_ARENA_NEW(a, float, nv + 1);
        if (!times || !values)
            return false;
        if (src->times)
            memcpy(times, src->times, sizeof(float) * (size_t)src->key_count);
        if (src->values)
            memcpy(values, src->values, sizeof(float) * nv);
        d->times = src->times ? times : NULL;
        d->values = src->values ? values : NULL;
    }
    return true;
}

/* The model's punctual lights (at most MH_SCENE_LIGHTS, in scene order). */
static void add_lights(model_in *mi, mh_scene_rig *rig)
{
    const mh_gltf_model *m = &mi->m;
    int skipped = 0;
    for (int k = 0; k < m->order_count; k++) {
        const mh_gltf_node *nd = &m->nodes[m->order[k]];
        if (nd->light < 0)
            continue;
        if (rig->light_count == MH_SCENE_LIGHTS) {
            skipped++;
            continue;
        }
        const mh_gltf_light *l = &m->lights[nd->light];
        mh_scene_light *o = &rig->lights[rig->light_count++];
        *o = (mh_scene_light){.type = (int)l->type,
                              .node = m->order[k],
                              .range = l->range,
                              .cos_inner = cosf(l->inner_cone),
                              .cos_outer = cosf(l->outer_cone)};
        for (int c = 0; c < 3; c++)
            o->color[c] = l->color[c] * l->intensity;
    }
    if (skipped)
        mh_log_warn("gltf", "%s: %d punctual lights beyond the first %d are ignored", mi->path, skipped,
                    MH_SCENE_LIGHTS);
}

static bool model_has_lights(const mh_gltf_model *m)
{
    for (int k = 0; k < m->order_count; k++)
        if (m->nodes[m->order[k]].light >= 0)
            return true;
    return false;
}

/* A rig when anything moves, is skinned, morphs or lights itself. */
static bool make_rig(model_in *mi)
{
    const mh_gltf_model *m = &mi->m;
    bool need = mi->anim >= 0 || model_has_lights(m);
    for (int d = 0; d < m->draw_count && !need; d++) {
        const mh_gltf_draw *dr = &m->draws[d];
        need = m->nodes[dr->node].skin >= 0 || node_morphs(mi, dr->node, &m->meshes[dr->mesh]);
    }
    if (!need)
        return true;
    mh_scene *sc = mi->sc;
    if (!sc->anim_arena.block_size)
        sc->anim_arena.block_size = 64u * 1024u;
    if (!mh_scene_grow((void **)&sc->rigs, sc->rig_count, &sc->rig_cap, sizeof *sc->rigs, 4))
        return false;
    mh_scene_rig *rig = &sc->rigs[sc->rig_count];
    *rig = (mh_scene_rig){.animation = mi->anim >= 0 ? 0 : -1, .place = mi->place};
    if (!copy_rig_model(m, mi->anim, &sc->anim_arena, &rig->model) ||
        !mh_gltf_pose_init(&rig->model, &sc->anim_arena, &rig->pose))
        return false;
    add_lights(mi, rig);
    mi->rig = sc->rig_count++;
    return true;
}

/* ---- geometry ------------------------------------------------------------------ */

/* The triangles of prim with material g, as the mesh takes them. */
static mh_mesh_tris prim_tris(model_in *mi, const mh_gltf_prim *pr, const mh_material *mat)
{
    mh_mesh_tris t = {.positions = pr->positions,
                      .normals = pr->normals,
                      .tangents = pr->tangents,
                      .uvs = pr->texcoords[0],
                      .uvs1 = pr->texcoords[1],
                      .colors = pr->colors,
                      .joints = pr->joints,
                      .weights = pr->weights,
                      .indices = pr->indices,
                      .vertex_count = pr->vertex_count,
                      .index_count = pr->index_count,
                      .alpha = 1};
    if (mh_material_has(mat, MH_TEX_NORMAL) && !t.tangents)
        t.tangents = mh_gltf_generate_tangents(pr, mat->slots[MH_TEX_NORMAL].set, mi->tmp);
    return t;
}

/* The vertex-side material of g (mh_scene.h: factors live in the vertices). */
static mh_surface prim_surface(const mh_gltf_material *g)
{
    return (mh_surface){.color = mh_v3(g->base_color[0], g->base_color[1], g->base_color[2]),
                        .metallic = g->metallic,
                        .roughness = g->roughness > MH_ROUGHNESS_MIN ? g->roughness : MH_ROUGHNESS_MIN};
}

/* prim's scene material: tangents or not decided by whether they can be made. */
static int prim_material(model_in *mi, const mh_gltf_prim *pr, const mh_gltf_material *g, mh_material *out)
{
    *out = material_of(mi, pr, g);
    if (mh_material_has(out, MH_TEX_NORMAL) && !pr->tangents &&
        !(pr->normals && pr->texcoords[out->slots[MH_TEX_NORMAL].set]))
        out->slots[MH_TEX_NORMAL].texture = -1; /* no tangent frame can be made: shade without the map */
    return mh_scene_add_material(mi->sc, out);
}

/* Morph deltas of prim for the mesh vertices just added (flat triangles:
 * one vertex per corner), as the renderer's float texture. */
static bool morph_deltas(mh_scene_motion *mo, const mh_gltf_prim *pr)
{
    uint32_t nv = mo->vertex_count;
    size_t texels = (size_t)pr->target_count * nv * 2;
    int width = 1024, height = (int)((texels + 1023) / 1024);
    float *d = calloc((size_t)width * (size_t)(height ? height : 1) * 4, sizeof(float));
    if (!d)
        return false;
    for (int t = 0; t < pr->target_count; t++) {
        const mh_gltf_morph_target *tg = &pr->targets[t];
        for (uint32_t v = 0; v < nv; v++) {
            uint32_t src = pr->normals ? v : pr->indices[v];
            float *o = d + ((size_t)t * nv + v) * 8;
            if (tg->positions)
                memcpy(o, tg->positions + 3 * src, sizeof(float) * 3);
            if (tg->normals && pr->normals)
                memcpy(o + 4, tg->normals + 3 * src, sizeof(float) * 3);
        }
    }
    mo->morph_deltas = d;
    mo->morph_width = width;
    mo->morph_height = height ? height : 1;
    mo->target_count = pr->target_count;
    return true;
}

/* One moving primitive: its own chunk and motion, vertices in mesh space. */
static bool add_moving_prim(model_in *mi, const mh_gltf_draw *dr, const mh_gltf_prim *pr, bool morphs)
{
    mh_scene *sc = mi->sc;
    const mh_gltf_material g = pr->material >= 0 ? mi->m.materials[pr->material] : mh_gltf_material_default();
    mh_material mat;
    int mi_index = prim_material(mi, pr, &g, &mat);
    if (!mh_scene_grow((void **)&sc->motions, sc->motion_count, &sc->motion_cap, sizeof *sc->motions, 8))
        return false;
    const mh_gltf_node *nd = &mi->m.nodes[dr->node];
    mh_scene_motion *mo = &sc->motions[sc->motion_count];
    *mo = (mh_scene_motion){.rig = mi->rig,
                            .node = dr->node,
                            .skin = nd->skin,
                            .world = mh_m4_mul(mi->place, dr->world),
                            .first_weight = nd->first_weight};
    if (nd->skin >= 0) {
        mo->joint_count = mi->m.skins[nd->skin].joint_count;
        mo->joints = (float(*)[12])mh_arena_alloc(&sc->anim_arena, sizeof(float[12]) * (size_t)(mo->joint_count + 1));
        if (!mo->joints)
            return false;
    }
    int motion = sc->motion_count++;
    mh_scene_begin_motion_chunk(sc, mi_index, mi->pl->group, mi->rig, motion);
    mh_mesh_tris t = prim_tris(mi, pr, &mat);
    t.alpha = g.base_color[3];
    mh_mesh_add_triangles(&sc->mesh, mh_m4_identity(), &t, prim_surface(&g));
    mh_scene_close_chunk(sc);
    return !morphs || sc->mesh.failed || morph_deltas(&sc->motions[motion], pr);
}

/* A static primitive to bake, sorted by material so equal ones merge. */
typedef struct static_prim {
    int material, draw, prim;
} static_prim;

static int by_material(const void *a, const void *b)
{
    const static_prim *x = a, *y = b;
    if (x->material != y->material)
        return x->material < y->material ? -1 : 1;
    return x->draw != y->draw ? (x->draw < y->draw ? -1 : 1) : (x->prim > y->prim) - (x->prim < y->prim);
}

static bool cancelled(const model_in *mi) { return mi->pl->load.cancel && atomic_load(mi->pl->load.cancel); }

/* Every primitive of the default scene: moving ones on their own, the rest
 * baked into world space, merged by material. */
static bool add_geometry(model_in *mi)
{
    const mh_gltf_model *m = &mi->m;
    mh_scene *sc = mi->sc;
    int n = 0, total = 0;
    for (int d = 0; d < m->draw_count; d++)
        total += m->meshes[m->draws[d].mesh].prim_count;
    static_prim *list = MH_ARENA_NEW(mi->tmp, static_prim, total + 1);
    if (!list)
        return false;
    for (int d = 0; d < m->draw_count && !cancelled(mi); d++) {
        const mh_gltf_draw *dr = &m->draws[d];
        const mh_gltf_mesh *me = &m->meshes[dr->mesh];
        bool morphs = mi->rig >= 0 && node_morphs(mi, dr->node, me);
        bool moves = mi->rig >= 0 && (mi->moving[dr->node] || m->nodes[dr->node].skin >= 0 || morphs);
        for (int p = 0; p < me->prim_count; p++) {
            const mh_gltf_prim *pr = &m->prims[me->first_prim + p];
            if (moves) {
                if (!add_moving_prim(mi, dr, pr, morphs))
                    return false;
                continue;
            }
            const mh_gltf_material g = pr->material >= 0 ? m->materials[pr->material] : mh_gltf_material_default();
            mh_material mat;
            list[n++] = (static_prim){prim_material(mi, pr, &g, &mat), d, p};
        }
    }
    qsort(list, (size_t)n, sizeof *list, by_material);
    for (int k = 0; k < n && !cancelled(mi); k++) {
        const mh_gltf_draw *dr = &m->draws[list[k].draw];
        const mh_gltf_prim *pr = &m->prims[m->meshes[dr->mesh].first_prim + list[k].prim];
        const mh_gltf_material g = pr->material >= 0 ? m->materials[pr->material] : mh_gltf_material_default();
        mh_scene_begin_chunk(sc, list[k].material, mi->pl->group, mi->rig);
        mh_mesh_tris t = prim_tris(mi, pr, &sc->materials[list[k].material]);
        t.alpha = g.base_color[3];
        mh_mesh_add_triangles(&sc->mesh, mh_m4_mul(mi->place, dr->world), &t, prim_surface(&g));
    }
    mh_scene_close_chunk(sc);
    return !sc->mesh.failed;
}

/* ---- placing ------------------------------------------------------------------- */

/* Model space -> world: glTF's own coordinates for a preview; in a booth,
 * standing centred on xf's origin at its real size, its "scale", or
 * scaled to fill the plinth ("fit"). */
static mh_mat4 placement(const mh_gltf_model *m, const mh_scene_place *pl)
{
    if (pl->as_is)
        return pl->xf;
    mh_vec3 size = mh_v3_sub(m->bounds.max, m->bounds.min), c = mh_aabb_center(m->bounds);
    float k = pl->scale > 0 ? pl->scale : 1.0f;
    if (pl->fit_to) {
        k = 1e30f;
        k = size.x > 1e-6f ? fminf(k, pl->fit.x / size.x) : k;
        k = size.y > 1e-6f ? fminf(k, pl->fit.y / size.y) : k;
        k = size.z > 1e-6f ? fminf(k, pl->fit.z / size.z) : k;
        k = k < 1e30f ? k : 1.0f;
    }
    return mh_m4_mul(pl->xf,
                     mh_m4_mul(mh_m4_scale(mh_v3(k, k, k)), mh_m4_translate(mh_v3(-c.x, -m->bounds.min.y, -c.z))));
}

static bool load_failed(const char *path, bool ok, const mh_gltf_report *r, mh_error *err)
{
    if (ok)
        mh_log_error("gltf", "%s: the default scene draws nothing", path);
    int first = 0;
    while (first < r->count && !r->issues[first].error)
        first++;
    if (!ok && first < r->count)
        return mh_fail(err, path, r->issues[first].pointer, "%s", r->issues[first].message);
    return mh_fail(err, path, "", ok ? "the default scene draws nothing" : "the model does not load");
}

/* The box a viewer frames (tests/ref/README.md's auto camera): each
 * primitive's box through its node's rest matrix (a skinned one's as it
 * is), then placed; and the model's cameras. */
static void frame_info(model_in *mi)
{
    const mh_gltf_model *m = &mi->m;
    mh_scene *sc = mi->sc;
    for (int d = 0; d < m->draw_count; d++) {
        const mh_gltf_draw *dr = &m->draws[d];
        const mh_gltf_mesh *me = &m->meshes[dr->mesh];
        mh_mat4 w = mh_m4_mul(mi->place, m->nodes[dr->node].skin >= 0 ? mh_m4_identity() : dr->world);
        for (int p = 0; p < me->prim_count; p++) {
            mh_aabb b = mh_aabb_transform(m->prims[me->first_prim + p].bounds, w);
            mh_aabb_add_point(&sc->model_bounds, b.min);
            mh_aabb_add_point(&sc->model_bounds, b.max);
        }
    }
    for (int c = 0; c < m->camera_count && sc->camera_count < MH_SCENE_CAMERAS; c++) {
        const mh_gltf_camera *cam = &m->cameras[c];
        if (!cam->perspective || cam->node < 0)
            continue;
        mh_scene_camera *o = &sc->cameras[sc->camera_count++];
        *o = (mh_scene_camera){.world = mh_m4_mul(mi->place, cam->world),
                               .yfov = cam->yfov,
                               .znear = cam->znear,
                               .zfar = cam->zfar};
        snprintf(o->name, sizeof o->name, "%s", cam->name ? cam->name : "");
    }
}

/* What the model costs against the hall's performance budgets (warnings). */
static void check_cost(const mh_scene *sc, const char *path, const mh_budget *budget, uint32_t first_index,
                       int first_chunk, int first_texture)
{
    mh_budget b = mh_budget_defaults(*budget);
    uint32_t tris = (sc->mesh.index_count - first_index) / 3;
    uint64_t bytes = 0;
    for (int t = first_texture; t < sc->texture_count; t++)
        bytes += (uint64_t)sc->textures[t].width * (uint64_t)sc->textures[t].height * 16 / 3;
    int draws = sc->chunk_count - first_chunk;
    if (tris > b.warn_triangles)
        mh_log_warn("gltf", "%s: %u triangles, over the hall's budget of %u per exhibit (budgets.warn_triangles)", path,
                    tris, b.warn_triangles);
    if (bytes > b.warn_texture_bytes)
        mh_log_warn("gltf", "%s: %.1f MiB of textures, over the hall's budget of %.1f MiB (budgets.warn_texture_bytes)",
                    path, (double)bytes / 1048576.0, (double)b.warn_texture_bytes / 1048576.0);
    if ((uint32_t)draws > b.warn_draw_calls)
        mh_log_warn("gltf", "%s: %d draw calls, over the hall's budget of %u (budgets.warn_draw_calls)", path, draws,
                    b.warn_draw_calls);
}

bool mh_scene_add_model(mh_scene *sc, const char *path, const mh_scene_place *pl, mh_error *err)
{
    uint32_t first_index = sc->mesh.index_count;
    int first_chunk = sc->chunk_count, first_texture = sc->texture_count;
    mh_arena tmp = {.block_size = 1u << 20};
    mh_gltf_report r;
    model_in mi = {.sc = sc, .path = path, .pl = pl, .tmp = &tmp, .rig = -1};
    bool ok = mh_gltf_load(path, &pl->load, &tmp, &mi.m, &r);
    log_model_issues(path, &r);
    if (!ok || mi.m.draw_count == 0) {
        mh_arena_free(&tmp);
        return load_failed(path, ok, &r, err);
    }
    mi.tex_of = MH_ARENA_NEW(&tmp, int, mi.m.texture_count * 2 + 2);
    mi.moving = MH_ARENA_NEW(&tmp, bool, mi.m.node_count + 1);
    mi.morphing = MH_ARENA_NEW(&tmp, bool, mi.m.node_count + 1);
    mi.place = placement(&mi.m, pl);
    mi.anim = pick_animation(&mi.m, pl, path);
    ok = mi.tex_of && mi.moving && mi.morphing;
    if (ok)
        mark_moving(&mi);
    ok = ok && make_rig(&mi) && add_geometry(&mi);
    if (ok)
        frame_info(&mi);
    bool stopped = cancelled(&mi);
    mh_arena_free(&tmp);
    if (stopped)
        return mh_fail(err, path, "", "loading was cancelled");
    if (!ok || sc->mesh.failed) {
        sc->mesh.failed = true;
        return mh_fail(err, path, "", "out of memory adding the model");
    }
    if (mi.rig >= 0)
        mh_scene_animate_rig(sc, mi.rig, 0); /* placed at its first frame */
    check_cost(sc, path, &pl->load.budget, first_index, first_chunk, first_texture);
    return true;
}
