/* mh_gltf_anim.c - glTF skins and animations: references, accessor formats
 * and counts checked before anything is read (joint limit, inverse bind
 * matrices, key times, output counts, cubic-spline triples), then decoded;
 * and the per-frame side, pure C with no allocation: sampling (STEP,
 * LINEAR with quaternion slerp, CUBICSPLINE Hermite), poses, skin matrices. */
#include "mh_gltf_internal.h"

#include <stdio.h>
#include <string.h>

#include "mh_json.h"

/* ---- skins ---------------------------------------------------------------------------- */

/* The topmost ancestor of node i (numbered by the graph check). */
static int tree_root(const ctx *c, int i) { return c->node_root[i]; }

/* True when a is b or one of b's ancestors. */
static bool ancestor(const ctx *c, int a, int b)
{
    return c->node_pre[a] <= c->node_pre[b] && c->node_post[b] <= c->node_post[a];
}

/* True when every root of a tree in `roots` (a scene's nodes) is listed. */
static bool scene_holds(const cJSON *roots, const ctx *c, const int *list, int n)
{
    for (int k = 0; k < n; k++) {
        int r = tree_root(c, list[k]);
        bool found = false;
        for (const cJSON *e = cJSON_IsArray(roots) ? roots->child : NULL; e && !found; e = e->next)
            found = e->valueint == r;
        if (!found)
            return false;
    }
    return true;
}

/* Joints share a root: all lie below one node (the skeleton when given), or
 * all lie in one scene (the scene is then their root, as the Khronos
 * validator counts it). */
static bool joints_share_root(const ctx *c, const int *list, int n, int skeleton)
{
    int root = skeleton >= 0 ? skeleton : tree_root(c, list[0]);
    bool below = true;
    for (int k = 0; k < n && below; k++)
        below = ancestor(c, root, list[k]);
    if (below || skeleton >= 0)
        return below;
    const cJSON *scenes = cJSON_GetObjectItemCaseSensitive(c->root, "scenes");
    for (const cJSON *s = cJSON_IsArray(scenes) ? scenes->child : NULL; s; s = s->next)
        if (scene_holds(cJSON_GetObjectItemCaseSensitive(s, "nodes"), c, list, n))
            return true;
    return false;
}

/* Reads a skin's joints into list (n of them, unique, resolved). */
static int skin_joints(ctx *c, const cJSON *j, const char *p, int *list, int *stamp, int mark)
{
    int n;
    const cJSON *arr = mh_gltf_array(c, j, p, "joints", &n);
    char jp[96];
    mh_json_ptr_key(jp, sizeof jp, p, "joints");
    if (!cJSON_GetObjectItemCaseSensitive(j, "joints"))
        return ISSUE(c, "UNDEFINED_PROPERTY", p, "required property 'joints' is missing") ? -1 : -1;
    if (!arr)
        return -1;
    if (n > MH_GLTF_MAX_JOINTS)
        return ISSUE(c, "SKIN_TOO_MANY_JOINTS", jp, "%d joints; a skin may have at most %d (GPU skinning uniforms)", n,
                     MH_GLTF_MAX_JOINTS)
                   ? -1
                   : -1;
    int k = 0, got = 0;
    bool ok = true;
    for (const cJSON *e = arr->child; e; e = e->next, k++) {
        char ep[112];
        mh_json_ptr_index(ep, sizeof ep, jp, k);
        if (!cJSON_IsNumber(e) || !mh_gltf_is_integer(e->valuedouble) || e->valuedouble < 0 ||
            e->valuedouble >= c->node_count) {
            ok = ISSUE(c, "UNRESOLVED_REFERENCE", ep, "unresolved reference: the joint is not a node");
            continue;
        }
        int v = (int)e->valuedouble;
        if (stamp[v] == mark) {
            ok = ISSUE(c, "DUPLICATE_ELEMENTS", ep, "duplicate element: node %d is a joint twice", v);
            continue;
        }
        stamp[v] = mark;
        list[got++] = v;
    }
    return ok ? got : -1;
}

static bool check_ibm(ctx *c, const cJSON *j, const char *p, int joints)
{
    int ibm = -1;
    char ip[96];
    mh_json_ptr_key(ip, sizeof ip, p, "inverseBindMatrices");
    int r = mh_gltf_ref(c, j, p, "inverseBindMatrices", c->acc_count, "accessor", false, &ibm);
    if (r <= 0)
        return r == 0;
    accessor *a = &c->accs[ibm];
    if (!a->ok)
        return false;
    a->uses |= USE_IBM;
    if (a->comps != 16 || a->comp_type != GL_FLOAT)
        return ISSUE(c, "SKIN_IBM_INVALID_FORMAT", ip, "inverse bind matrices are MAT4 floats");
    if (a->count < joints)
        return ISSUE(c, "INVALID_IBM_ACCESSOR_COUNT", ip, "%d matrices for %d joints", a->count, joints);
    return true;
}

bool mh_gltf_check_skins(ctx *c)
{
    int n;
    const cJSON *skins = mh_gltf_array(c, c->root, "", "skins", &n);
    int *list = mh_gltf_alloc(c, sizeof(int) * (size_t)(c->node_count + 1));
    int *stamp = mh_gltf_alloc(c, sizeof(int) * (size_t)(c->node_count + 1));
    if (!list || !stamp)
        return ISSUE(c, "BUDGET_EXCEEDED", "/skins", "too many nodes");
    for (int i = 0; i < c->node_count; i++)
        stamp[i] = -1;
    bool ok = true;
    int i = 0;
    for (const cJSON *j = skins ? skins->child : NULL; j; j = j->next, i++) {
        char p[64], jp[96];
        mh_json_ptr_index(p, sizeof p, "/skins", i);
        mh_json_ptr_key(jp, sizeof jp, p, "joints");
        int got = skin_joints(c, j, p, list, stamp, i), skeleton = -1;
        ok = got >= 0 && ok;
        ok = mh_gltf_ref(c, j, p, "skeleton", c->node_count, "node", false, &skeleton) >= 0 && ok;
        ok = check_ibm(c, j, p, got > 0 ? got : 0) && ok;
        if (got <= 0)
            continue;
        if (!joints_share_root(c, list, got, skeleton))
            ok = ISSUE(c, "SKIN_NO_COMMON_ROOT", jp, "the joints do not share a common root (a node, or a scene)");
    }
    return ok;
}

/* The scenes each tree root is listed in, as lists back to back (CSR):
 * scenes of root r are list[first[r] .. first[r + 1]). */
typedef struct root_scenes {
    int *first, *list;
} root_scenes;

static bool scenes_of_roots(ctx *c, root_scenes *rs)
{
    const cJSON *scenes = cJSON_GetObjectItemCaseSensitive(c->root, "scenes");
    int n = c->node_count, total = 0;
    rs->first = mh_gltf_alloc(c, sizeof(int) * (size_t)(n + 2));
    if (!rs->first)
        return false;
    for (const cJSON *sc = cJSON_IsArray(scenes) ? scenes->child : NULL; sc; sc = sc->next) {
        const cJSON *roots = cJSON_GetObjectItemCaseSensitive(sc, "nodes");
        for (const cJSON *r = cJSON_IsArray(roots) ? roots->child : NULL; r; r = r->next, total++)
            rs->first[r->valueint + 1]++;
    }
    for (int i = 0; i < n; i++)
        rs->first[i + 1] += rs->first[i];
    rs->list = mh_gltf_alloc(c, sizeof(int) * (size_t)(total + 1));
    int *fill = mh_gltf_alloc(c, sizeof(int) * (size_t)(n + 1));
    if (!rs->list || !fill)
        return false;
    int s = 0;
    for (const cJSON *sc = cJSON_IsArray(scenes) ? scenes->child : NULL; sc; sc = sc->next, s++) {
        const cJSON *roots = cJSON_GetObjectItemCaseSensitive(sc, "nodes");
        for (const cJSON *r = cJSON_IsArray(roots) ? roots->child : NULL; r; r = r->next)
            rs->list[rs->first[r->valueint] + fill[r->valueint]++] = s;
    }
    return true;
}

/* A skinned node in a scene needs its joints in the same scene. Linear in
 * the memberships (a stamp per scene), with the work capped so a hostile
 * file of many scenes and skinned nodes stays cheap. */
static bool check_skinned_nodes(ctx *c)
{
    root_scenes rs;
    int *stamp = mh_gltf_alloc(c, sizeof(int) * (size_t)(c->scene_count + 1));
    if (!scenes_of_roots(c, &rs) || !stamp)
        return ISSUE(c, "BUDGET_EXCEEDED", "/scenes", "too many scenes");
    for (int s = 0; s < c->scene_count; s++)
        stamp[s] = -1;
    long work = 0;
    bool ok = true;
    for (int i = 0; i < c->node_count && work < 50000000; i++) {
        /* the references are checked elsewhere (node_refs, check_skins), maybe
         * not yet: use only ones that resolve */
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(mh_gltf_item(c->nodes_j, c->node_count, i), "skin");
        if (!cJSON_IsNumber(s) || !mh_gltf_is_integer(s->valuedouble))
            continue;
        const cJSON *joints =
            cJSON_GetObjectItemCaseSensitive(mh_gltf_item(c->skins_j, c->skin_count,
                                                          s->valuedouble < 0 ? -1 : (int)fmin(s->valuedouble, 1e9)),
                                             "joints");
        const cJSON *j0 = cJSON_IsArray(joints) ? joints->child : NULL;
        if (!cJSON_IsNumber(j0) || !mh_gltf_is_integer(j0->valuedouble) || j0->valuedouble < 0 ||
            j0->valuedouble >= c->node_count)
            continue;
        int nr = tree_root(c, i), jr = tree_root(c, j0->valueint);
        if (nr == jr)
            continue;
        for (int k = rs.first[jr]; k < rs.first[jr + 1]; k++, work++)
            stamp[rs.list[k]] = i;
        for (int k = rs.first[nr]; k < rs.first[nr + 1]; k++, work++)
            if (stamp[rs.list[k]] != i) {
                char p[64];
                mh_json_ptr_index(p, sizeof p, "/nodes", i);
                ok = ISSUE(c, "NODE_SKIN_NO_SCENE", p, "the node's skin has joints outside the node's scene");
                break;
            }
    }
    return ok;
}

/* ---- animations: checks ------------------------------------------------------------------ */

static int path_of(const char *s)
{
    return !strcmp(s, "translation") ? MH_GLTF_PATH_TRANSLATION
           : !strcmp(s, "rotation")  ? MH_GLTF_PATH_ROTATION
           : !strcmp(s, "scale")     ? MH_GLTF_PATH_SCALE
           : !strcmp(s, "weights")   ? MH_GLTF_PATH_WEIGHTS
                                     : -1;
}

static int interp_of(const cJSON *s)
{
    if (!s)
        return MH_GLTF_INTERP_LINEAR;
    if (!cJSON_IsString(s))
        return -1;
    return !strcmp(s->valuestring, "LINEAR")        ? MH_GLTF_INTERP_LINEAR
           : !strcmp(s->valuestring, "STEP")        ? MH_GLTF_INTERP_STEP
           : !strcmp(s->valuestring, "CUBICSPLINE") ? MH_GLTF_INTERP_CUBICSPLINE
                                                    : -1;
}

/* An input or output accessor of a sampler: resolved, no byteStride. */
static int sampler_accessor(ctx *c, const cJSON *s, const char *sp, const char *key, int use)
{
    int a = -1;
    char kp[128];
    mh_json_ptr_key(kp, sizeof kp, sp, key);
    if (mh_gltf_ref(c, s, sp, key, c->acc_count, "accessor", true, &a) != 1 || !c->accs[a].ok)
        return -1;
    c->accs[a].uses |= use;
    if (c->accs[a].view >= 0 && c->views[c->accs[a].view].stride &&
        !mh_gltf_quality(c, "ANIMATION_SAMPLER_ACCESSOR_WITH_BYTESTRIDE", kp,
                         "an animation accessor's bufferView "
                         "must not have byteStride"))
        return -1;
    return a;
}

static bool check_sampler(ctx *c, const cJSON *s, const char *sp)
{
    if (!mh_gltf_object(c, s, sp))
        return false;
    int in = sampler_accessor(c, s, sp, "input", USE_ANIM_INPUT);
    int out = sampler_accessor(c, s, sp, "output", USE_ANIM_OUTPUT);
    int interp = interp_of(cJSON_GetObjectItemCaseSensitive(s, "interpolation"));
    char ip[128];
    mh_json_ptr_key(ip, sizeof ip, sp, "input");
    bool ok = in >= 0 && out >= 0;
    if (interp < 0) {
        char xp[128];
        mh_json_ptr_key(xp, sizeof xp, sp, "interpolation");
        ok = ISSUE(c, "VALUE_NOT_IN_LIST", xp, "interpolation is LINEAR, STEP or CUBICSPLINE");
    }
    if (in >= 0) {
        const accessor *a = &c->accs[in];
        if (a->comps != 1 || a->comp_type != GL_FLOAT)
            ok = ISSUE(c, "ANIMATION_SAMPLER_INPUT_ACCESSOR_INVALID_FORMAT", ip, "key times are SCALAR floats");
        if (!a->has_min || !a->has_max)
            ok = ISSUE(c, "ANIMATION_SAMPLER_INPUT_ACCESSOR_WITHOUT_BOUNDS", ip, "key times need min and max");
        if (interp == MH_GLTF_INTERP_CUBICSPLINE && a->count < 2)
            ok = ISSUE(c, "ANIMATION_SAMPLER_INPUT_ACCESSOR_TOO_FEW_ELEMENTS", ip,
                       "a CUBICSPLINE sampler needs at "
                       "least 2 keys");
    }
    if (out >= 0 && interp == MH_GLTF_INTERP_CUBICSPLINE)
        c->accs[out].uses |= USE_CUBIC;
    return ok;
}

/* Output format and count for the channel's path. */
static bool check_output(ctx *c, const cJSON *s, int path, int node, const char *cp)
{
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(s, "input"),
                *out = cJSON_GetObjectItemCaseSensitive(s, "output");
    if (!cJSON_IsNumber(in) || !cJSON_IsNumber(out) || in->valuedouble >= c->acc_count ||
        out->valuedouble >= c->acc_count || in->valuedouble < 0 || out->valuedouble < 0)
        return false; /* reported at the sampler */
    accessor *ai = &c->accs[in->valueint], *ao = &c->accs[out->valueint];
    if (!ai->ok || !ao->ok)
        return false;
    int interp = interp_of(cJSON_GetObjectItemCaseSensitive(s, "interpolation"));
    bool f = ao->comp_type == GL_FLOAT, nint = ao->normalized && ao->comp_type != GL_FLOAT;
    int comps = path == MH_GLTF_PATH_ROTATION ? 4 : path == MH_GLTF_PATH_WEIGHTS ? 1 : 3;
    char sp[128];
    mh_json_ptr_key(sp, sizeof sp, cp, "sampler");
    if (ao->comps != comps || !(f || (nint && (path == MH_GLTF_PATH_ROTATION || path == MH_GLTF_PATH_WEIGHTS))))
        return ISSUE(c, "ANIMATION_SAMPLER_OUTPUT_ACCESSOR_INVALID_FORMAT", sp,
                     "the output accessor's format does not "
                     "suit the channel's path");
    long per_key =
        path == MH_GLTF_PATH_WEIGHTS ? (node >= 0 && c->node_mesh_targets ? c->node_mesh_targets[node] : 0) : 1;
    long want = (long)ai->count * per_key * (interp == MH_GLTF_INTERP_CUBICSPLINE ? 3 : 1);
    if (path == MH_GLTF_PATH_ROTATION)
        ao->uses |= USE_ROTATION;
    if ((long)ao->count != want && (path != MH_GLTF_PATH_WEIGHTS || per_key > 0))
        return ISSUE(c, "ANIMATION_SAMPLER_OUTPUT_ACCESSOR_INVALID_COUNT", sp,
                     "the output has %d values, %ld expected "
                     "for %d keys",
                     ao->count, want, ai->count);
    return true;
}

/* One channel: sampler, target node and path, and what they allow. */
static bool check_channel(ctx *c, const cJSON *ch, const char *cp, const cJSON **samplers, int ns, int *stamp, int mark)
{
    int sampler = -1, node = -1;
    if (!mh_gltf_object(c, ch, cp))
        return false;
    bool ok = mh_gltf_ref(c, ch, cp, "sampler", ns, "sampler", true, &sampler) == 1;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(ch, "target");
    char tp[128];
    mh_json_ptr_key(tp, sizeof tp, cp, "target");
    if (!t)
        return ISSUE(c, "UNDEFINED_PROPERTY", cp, "required property 'target' is missing");
    if (!mh_gltf_object(c, t, tp))
        return false;
    const cJSON *path = cJSON_GetObjectItemCaseSensitive(t, "path");
    char pp[144];
    mh_json_ptr_key(pp, sizeof pp, tp, "path");
    if (!path)
        return ISSUE(c, "UNDEFINED_PROPERTY", tp, "required property 'path' is missing");
    int pa = cJSON_IsString(path) ? path_of(path->valuestring) : -1;
    int r = mh_gltf_ref(c, t, tp, "node", c->node_count, "node", false, &node);
    if (r < 0 || !ok)
        return false;
    if (pa < 0)
        return WARN(c, "VALUE_NOT_IN_LIST", pp, "unknown animation path; the channel is ignored") || true;
    if (node < 0)
        return true; /* a channel without a node: ignored */
    const cJSON *nj = mh_gltf_item(c->nodes_j, c->node_count, node);
    if (pa != MH_GLTF_PATH_WEIGHTS && cJSON_GetObjectItemCaseSensitive(nj, "matrix"))
        return ISSUE(c, "ANIMATION_CHANNEL_TARGET_NODE_MATRIX", tp, "a node given as a matrix cannot be animated");
    if (pa == MH_GLTF_PATH_WEIGHTS && (!c->node_mesh_targets || c->node_mesh_targets[node] <= 0))
        return ISSUE(c, "ANIMATION_CHANNEL_TARGET_NODE_WEIGHTS_NO_MORPHS", tp, "the node's mesh has no morph targets");
    if (stamp[node * 4 + pa] == mark)
        return ISSUE(c, "ANIMATION_DUPLICATE_TARGETS", tp,
                     "another channel of this animation drives the same node "
                     "and path");
    stamp[node * 4 + pa] = mark;
    return check_output(c, samplers[sampler], pa, node, cp);
}

static bool check_animation(ctx *c, const cJSON *j, const char *p, int *stamp, int mark)
{
    if (!mh_gltf_object(c, j, p))
        return false;
    int ns, nc;
    bool ok = true;
    const cJSON *samplers = mh_gltf_array(c, j, p, "samplers", &ns);
    const cJSON *channels = mh_gltf_array(c, j, p, "channels", &nc);
    if (!cJSON_GetObjectItemCaseSensitive(j, "samplers") || !cJSON_GetObjectItemCaseSensitive(j, "channels"))
        ok = ISSUE(c, "UNDEFINED_PROPERTY", p, "an animation needs 'channels' and 'samplers'");
    const cJSON **by_index = mh_gltf_alloc(c, sizeof(cJSON *) * (size_t)(ns + 1));
    if (!by_index)
        return ISSUE(c, "BUDGET_EXCEEDED", p, "too many samplers");
    int k = 0;
    for (const cJSON *s = samplers ? samplers->child : NULL; s; s = s->next, k++) {
        char sp[96];
        snprintf(sp, sizeof sp, "%s/samplers/%d", p, k);
        by_index[k] = s;
        ok = check_sampler(c, s, sp) && ok;
    }
    k = 0;
    for (const cJSON *ch = channels ? channels->child : NULL; ch; ch = ch->next, k++) {
        char cp[96];
        snprintf(cp, sizeof cp, "%s/channels/%d", p, k);
        ok = check_channel(c, ch, cp, by_index, ns, stamp, mark) && ok;
    }
    return ok;
}

bool mh_gltf_check_animations(ctx *c)
{
    /* morph targets of each node's mesh, for weights channels */
    const cJSON *nodes = cJSON_GetObjectItemCaseSensitive(c->root, "nodes");
    c->node_mesh_targets = mh_gltf_alloc(c, sizeof(int) * (size_t)(c->node_count + 1));
    int *stamp = mh_gltf_alloc(c, sizeof(int) * 4 * (size_t)(c->node_count + 1));
    if (!c->node_mesh_targets || !stamp)
        return ISSUE(c, "BUDGET_EXCEEDED", "/nodes", "too many nodes");
    int i = 0;
    for (const cJSON *j = nodes ? nodes->child : NULL; j; j = j->next, i++) {
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(j, "mesh");
        c->node_mesh_targets[i] =
            cJSON_IsNumber(m) && m->valuedouble >= 0 && m->valuedouble < c->mesh_count && c->mesh_targets
                ? c->mesh_targets[m->valueint]
                : 0;
    }
    for (i = 0; i < 4 * c->node_count; i++)
        stamp[i] = -1;
    int n;
    const cJSON *anims = mh_gltf_array(c, c->root, "", "animations", &n);
    bool ok = check_skinned_nodes(c);
    i = 0;
    for (const cJSON *j = anims ? anims->child : NULL; j; j = j->next, i++) {
        char p[64];
        mh_json_ptr_index(p, sizeof p, "/animations", i);
        ok = check_animation(c, j, p, stamp, i) && ok;
    }
    return ok;
}

/* ---- loading -------------------------------------------------------------------------------- */

bool mh_gltf_load_skins(ctx *c, mh_gltf_model *m)
{
    int n;
    const cJSON *skins = mh_gltf_array(c, c->root, "", "skins", &n);
    m->skins = mh_gltf_alloc(c, sizeof(mh_gltf_skin) * (size_t)(n + 1));
    if (!m->skins)
        return ISSUE(c, "BUDGET_EXCEEDED", "/skins", "too many skins");
    int i = 0;
    for (const cJSON *j = skins ? skins->child : NULL; j; j = j->next, i++) {
        char p[64], ip[96];
        mh_json_ptr_index(p, sizeof p, "/skins", i);
        mh_json_ptr_key(ip, sizeof ip, p, "inverseBindMatrices");
        mh_gltf_skin *s = &m->skins[i];
        const cJSON *joints = cJSON_GetObjectItemCaseSensitive(j, "joints");
        const cJSON *sk = cJSON_GetObjectItemCaseSensitive(j, "skeleton");
        const cJSON *ibm = cJSON_GetObjectItemCaseSensitive(j, "inverseBindMatrices");
        s->name = mh_gltf_name(c, j);
        s->skeleton = cJSON_IsNumber(sk) ? sk->valueint : -1;
        s->joint_count = cJSON_GetArraySize(joints);
        s->joints = mh_gltf_alloc(c, sizeof(int) * (size_t)(s->joint_count + 1));
        s->inverse_bind = mh_gltf_alloc(c, sizeof(mh_mat4) * (size_t)(s->joint_count + 1));
        if (!s->joints || !s->inverse_bind)
            return ISSUE(c, "BUDGET_EXCEEDED", p, "the skin is too large");
        int k = 0;
        for (const cJSON *e = joints->child; e; e = e->next, k++) {
            s->joints[k] = e->valueint;
            s->inverse_bind[k] = mh_m4_identity();
        }
        if (ibm) {
            float *f = mh_gltf_read_floats(c, ibm->valueint, 16, ip);
            if (!f)
                return false;
            memcpy(s->inverse_bind, f, sizeof(mh_mat4) * (size_t)s->joint_count);
        }
    }
    m->skin_count = n;
    /* every skinned vertex names a joint the skin has: the highest joint
     * index of each mesh, found once, against each node's skin */
    int *max_joint = mh_gltf_alloc(c, sizeof(int) * (size_t)(m->mesh_count + 1));
    if (!max_joint)
        return ISSUE(c, "BUDGET_EXCEEDED", "/meshes", "too many meshes");
    for (int me = 0; me < m->mesh_count; me++) {
        max_joint[me] = -1;
        for (int k = 0; k < m->meshes[me].prim_count; k++) {
            const mh_gltf_prim *pr = &m->prims[m->meshes[me].first_prim + k];
            for (uint32_t v = 0; pr->joints && v < pr->vertex_count * 4; v++)
                max_joint[me] = pr->joints[v] > max_joint[me] ? pr->joints[v] : max_joint[me];
        }
    }
    for (int d = 0; d < m->node_count; d++) {
        const mh_gltf_node *nd = &m->nodes[d];
        if (nd->skin >= 0 && nd->mesh >= 0 && max_joint[nd->mesh] >= m->skins[nd->skin].joint_count) {
            char p[64];
            mh_json_ptr_index(p, sizeof p, "/nodes", d);
            return ISSUE(c, "ACCESSOR_JOINTS_INDEX_OOB", p, "a vertex of mesh %d names joint %d; skin %d has %d",
                         nd->mesh, max_joint[nd->mesh], nd->skin, m->skins[nd->skin].joint_count);
        }
    }
    return true;
}

static bool load_sampler(ctx *c, const cJSON *s, const char *sp, int comps, bool rotation, mh_gltf_anim_sampler *out)
{
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(s, "input"), *o = cJSON_GetObjectItemCaseSensitive(s, "output");
    char ip[128], op[128];
    mh_json_ptr_key(ip, sizeof ip, sp, "input");
    mh_json_ptr_key(op, sizeof op, sp, "output");
    out->interp = interp_of(cJSON_GetObjectItemCaseSensitive(s, "interpolation"));
    out->key_count = c->accs[in->valueint].count;
    out->rotation = rotation;
    out->comps = comps > 0 ? comps : 1;
    const accessor *ao = &c->accs[o->valueint];
    long want = (long)out->key_count * out->comps * (out->interp == MH_GLTF_INTERP_CUBICSPLINE ? 3 : 1);
    if (comps <= 0 || (long)ao->count * ao->comps != want)
        return true; /* unused by any valid channel: kept empty */
    float *t = mh_gltf_read_floats(c, in->valueint, 1, ip);
    float *v = mh_gltf_read_floats(c, o->valueint, ao->comps, op);
    if (!t || !v)
        return false;
    for (int k = 1; k < out->key_count; k++)
        if (!(t[k] > t[k - 1])) /* times of an accessor without data (zeros): the sampler stays empty */
            return WARN(c, "ACCESSOR_ANIMATION_INPUT_NON_INCREASING", ip,
                        "key times do not increase; the sampler is "
                        "not played") ||
                   true;
    out->times = t;
    out->values = v;
    return true;
}

static bool load_animation(ctx *c, const cJSON *j, const char *p, mh_gltf_model *m, mh_gltf_animation *an)
{
    const cJSON *samplers = cJSON_GetObjectItemCaseSensitive(j, "samplers");
    const cJSON *channels = cJSON_GetObjectItemCaseSensitive(j, "channels");
    an->name = mh_gltf_name(c, j);
    an->sampler_count = cJSON_GetArraySize(samplers);
    an->samplers = mh_gltf_alloc(c, sizeof(mh_gltf_anim_sampler) * (size_t)(an->sampler_count + 1));
    an->channels = mh_gltf_alloc(c, sizeof(mh_gltf_anim_channel) * (size_t)(cJSON_GetArraySize(channels) + 1));
    int *comps = mh_gltf_alloc(c, sizeof(int) * (size_t)(an->sampler_count + 1));
    bool *rot = mh_gltf_alloc(c, sizeof(bool) * (size_t)(an->sampler_count + 1));
    if (!an->samplers || !an->channels || !comps || !rot)
        return ISSUE(c, "BUDGET_EXCEEDED", p, "the animation is too large");
    for (const cJSON *ch = channels->child; ch; ch = ch->next) {
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(ch, "target");
        const cJSON *node = cJSON_GetObjectItemCaseSensitive(t, "node"),
                    *path = cJSON_GetObjectItemCaseSensitive(t, "path");
        int pa = cJSON_IsString(path) ? path_of(path->valuestring) : -1;
        if (!cJSON_IsNumber(node) || pa < 0)
            continue;
        int s = cJSON_GetObjectItemCaseSensitive(ch, "sampler")->valueint;
        an->channels[an->channel_count++] = (mh_gltf_anim_channel){s, node->valueint, (mh_gltf_path)pa};
        comps[s] = pa == MH_GLTF_PATH_ROTATION  ? 4
                   : pa == MH_GLTF_PATH_WEIGHTS ? m->nodes[node->valueint].weight_count
                                                : 3;
        rot[s] = pa == MH_GLTF_PATH_ROTATION;
    }
    int k = 0;
    an->start = INFINITY;
    an->end = -INFINITY;
    for (const cJSON *s = samplers->child; s; s = s->next, k++) {
        char sp[96];
        snprintf(sp, sizeof sp, "%s/samplers/%d", p, k);
        if (!load_sampler(c, s, sp, comps[k], rot[k], &an->samplers[k]))
            return false;
        if (an->samplers[k].times) {
            an->start = fminf(an->start, an->samplers[k].times[0]);
            an->end = fmaxf(an->end, an->samplers[k].times[an->samplers[k].key_count - 1]);
        }
    }
    if (an->start > an->end)
        an->start = an->end = 0;
    return true;
}

bool mh_gltf_load_animations(ctx *c, mh_gltf_model *m)
{
    int n;
    const cJSON *anims = mh_gltf_array(c, c->root, "", "animations", &n);
    m->animations = mh_gltf_alloc(c, sizeof(mh_gltf_animation) * (size_t)(n + 1));
    if (!m->animations)
        return ISSUE(c, "BUDGET_EXCEEDED", "/animations", "too many animations");
    int i = 0;
    for (const cJSON *j = anims ? anims->child : NULL; j; j = j->next, i++) {
        char p[64];
        mh_json_ptr_index(p, sizeof p, "/animations", i);
        if (!load_animation(c, j, p, m, &m->animations[i]))
            return false;
    }
    m->animation_count = n;
    return true;
}

/* ---- per frame: sampling ---------------------------------------------------------------------- */

static void normalize4(float *q)
{
    float len = sqrtf(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
    if (len < 1e-20f) {
        q[0] = q[1] = q[2] = 0;
        q[3] = 1;
        return;
    }
    for (int k = 0; k < 4; k++)
        q[k] /= len;
}

/* Shortest-path spherical interpolation of unit quaternions. */
static void slerp(const float *a, const float *b, float u, float *out)
{
    float d = a[0] * b[0] + a[1] * b[1] + a[2] * b[2] + a[3] * b[3], s = 1;
    if (d < 0) {
        d = -d;
        s = -1;
    }
    float wa, wb;
    if (d > 0.9995f) { /* nearly equal: lerp avoids dividing by sin ~ 0 */
        wa = 1 - u;
        wb = u;
    } else {
        float th = acosf(d), sn = sinf(th);
        wa = sinf((1 - u) * th) / sn;
        wb = sinf(u * th) / sn;
    }
    for (int k = 0; k < 4; k++)
        out[k] = wa * a[k] + wb * s * b[k];
    normalize4(out);
}

/* The key interval holding t: times[k] <= t < times[k+1] (binary search). */
static int key_at(const float *times, int n, float t)
{
    int lo = 0, hi = n - 1;
    while (hi - lo > 1) {
        int mid = (lo + hi) / 2;
        if (times[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

void mh_gltf_anim_sample(const mh_gltf_anim_sampler *s, float t, float *out)
{
    int n = s->key_count, c = s->comps;
    bool cubic = s->interp == MH_GLTF_INTERP_CUBICSPLINE;
    int stride = cubic ? 3 * c : c, off = cubic ? c : 0; /* a cubic key: in-tangent, value, out-tangent */
    if (!s->times || !s->values || n < 1) {
        for (int k = 0; k < c; k++)
            out[k] = s->rotation && k == 3 ? 1.0f : 0.0f;
        return;
    }
    if (n == 1 || !(t > s->times[0]) || t >= s->times[n - 1]) {
        const float *v = s->values + (size_t)(n == 1 || !(t > s->times[0]) ? 0 : n - 1) * stride + off;
        memcpy(out, v, sizeof(float) * (size_t)c);
        if (s->rotation)
            normalize4(out);
        return;
    }
    int k = key_at(s->times, n, t);
    float t0 = s->times[k], t1 = s->times[k + 1], dt = t1 - t0, u = (t - t0) / dt;
    const float *a = s->values + (size_t)k * stride, *b = s->values + (size_t)(k + 1) * stride;
    if (s->interp == MH_GLTF_INTERP_STEP) {
        memcpy(out, a, sizeof(float) * (size_t)c);
    } else if (!cubic) {
        if (s->rotation) {
            slerp(a, b, u, out);
            return;
        }
        for (int i = 0; i < c; i++)
            out[i] = a[i] + (b[i] - a[i]) * u;
    } else {
        /* Hermite: p0 = a's value, m0 = dt * a's out-tangent, p1 = b's value, m1 = dt * b's in-tangent */
        float u2 = u * u, u3 = u2 * u;
        float h00 = 2 * u3 - 3 * u2 + 1, h10 = u3 - 2 * u2 + u, h01 = -2 * u3 + 3 * u2, h11 = u3 - u2;
        for (int i = 0; i < c; i++)
            out[i] = h00 * a[c + i] + h10 * dt * a[2 * c + i] + h01 * b[c + i] + h11 * dt * b[i];
    }
    if (s->rotation)
        normalize4(out);
}

/* ---- per frame: poses and skins -------------------------------------------------------------- */

bool mh_gltf_pose_init(const mh_gltf_model *m, mh_arena *arena, mh_gltf_pose *pose)
{
    size_t n = (size_t)(m->node_count > 0 ? m->node_count : 1);
    pose->translation = mh_arena_alloc(arena, sizeof(float[3]) * n);
    pose->rotation = mh_arena_alloc(arena, sizeof(float[4]) * n);
    pose->scale = mh_arena_alloc(arena, sizeof(float[3]) * n);
    pose->weights = mh_arena_alloc(arena, sizeof(float) * (size_t)(m->weight_count + 1));
    pose->world = mh_arena_alloc(arena, sizeof(mh_mat4) * n);
    if (!pose->translation || !pose->rotation || !pose->scale || !pose->weights || !pose->world)
        return false;
    mh_gltf_pose_reset(m, pose);
    return true;
}

void mh_gltf_pose_reset(const mh_gltf_model *m, mh_gltf_pose *pose)
{
    for (int i = 0; i < m->node_count; i++) {
        memcpy(pose->translation[i], m->nodes[i].translation, sizeof(float) * 3);
        memcpy(pose->rotation[i], m->nodes[i].rotation, sizeof(float) * 4);
        memcpy(pose->scale[i], m->nodes[i].scale, sizeof(float) * 3);
        pose->world[i] = m->nodes[i].world;
    }
    if (m->weight_count)
        memcpy(pose->weights, m->weights, sizeof(float) * (size_t)m->weight_count);
}

void mh_gltf_anim_apply(const mh_gltf_model *m, int anim, float t, mh_gltf_pose *pose)
{
    if (anim < 0 || anim >= m->animation_count)
        return;
    const mh_gltf_animation *an = &m->animations[anim];
    for (int k = 0; k < an->channel_count; k++) {
        const mh_gltf_anim_channel *ch = &an->channels[k];
        const mh_gltf_anim_sampler *s = &an->samplers[ch->sampler];
        const mh_gltf_node *nd = &m->nodes[ch->node];
        if (!s->times)
            continue;
        switch (ch->path) {
        case MH_GLTF_PATH_TRANSLATION: mh_gltf_anim_sample(s, t, pose->translation[ch->node]); break;
        case MH_GLTF_PATH_ROTATION: mh_gltf_anim_sample(s, t, pose->rotation[ch->node]); break;
        case MH_GLTF_PATH_SCALE: mh_gltf_anim_sample(s, t, pose->scale[ch->node]); break;
        case MH_GLTF_PATH_WEIGHTS:
            if (s->comps == nd->weight_count)
                mh_gltf_anim_sample(s, t, pose->weights + nd->first_weight);
            break;
        }
    }
}

void mh_gltf_pose_world(const mh_gltf_model *m, mh_gltf_pose *pose)
{
    for (int k = 0; k < m->order_count; k++) {
        int i = m->order[k];
        const mh_gltf_node *nd = &m->nodes[i];
        mh_mat4 local = nd->local;
        if (!nd->has_matrix) {
            local = mh_m4_from_quat(pose->rotation[i]);
            for (int r = 0; r < 3; r++) {
                local.m[r] *= pose->scale[i][0];
                local.m[4 + r] *= pose->scale[i][1];
                local.m[8 + r] *= pose->scale[i][2];
            }
            local.m[12] = pose->translation[i][0];
            local.m[13] = pose->translation[i][1];
            local.m[14] = pose->translation[i][2];
        }
        pose->world[i] = nd->parent >= 0 ? mh_m4_mul(pose->world[nd->parent], local) : local;
    }
}

void mh_gltf_skin_matrices(const mh_gltf_model *m, int s, int mesh_node, const mh_gltf_pose *pose, mh_mat4 *out)
{
    const mh_gltf_skin *sk = &m->skins[s];
    mh_mat4 inv = mh_m4_identity();
    if (mesh_node >= 0 && !mh_m4_invert(pose->world[mesh_node], &inv))
        inv = mh_m4_identity();
    for (int j = 0; j < sk->joint_count; j++)
        out[j] = mh_m4_mul(inv, mh_m4_mul(pose->world[sk->joints[j]], sk->inverse_bind[j]));
}
