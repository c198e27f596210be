/* mh_gltf_scene.c - the glTF node tree: the graph checked once before
 * anything walks it (as cgltf and the Khronos validator do), nodes with
 * their TRS or matrix and morph weights, the default scene's roots and
 * order, the meshes it draws at rest, cameras and KHR_lights_punctual. */
#include "mh_gltf_internal.h"

#include <stdio.h>
#include <string.h>

#include "mh_json.h"

/* ---- the graph ------------------------------------------------------------------- */

/* Reads an array of node indices (a node's children or a scene's roots):
 * every entry must resolve, and none may repeat (stamp[k] == mark marks the
 * ones already seen in this array). Returns the number of valid entries
 * written to out (which holds n), or -1 after reporting a problem. */
static int node_list(ctx *c, const cJSON *arr, const char *ptr, int n, int *stamp, int mark, int *out)
{
    int count = 0, k = 0;
    bool ok = true;
    for (const cJSON *e = arr->child; e; e = e->next, k++) {
        char ep[128];
        mh_json_ptr_index(ep, sizeof ep, ptr, k);
        if (!cJSON_IsNumber(e) || !mh_gltf_is_integer(e->valuedouble) || e->valuedouble < 0) {
            ok = ISSUE(c, "INVALID_INDEX", ep, "expected a node index");
            continue;
        }
        if (e->valuedouble >= n) {
            ok = ISSUE(c, "UNRESOLVED_REFERENCE", ep, "unresolved reference: node %.0f does not exist (%d defined)",
                       e->valuedouble, n);
            continue;
        }
        int v = (int)e->valuedouble;
        if (stamp[v] == mark) {
            ok = ISSUE(c, "DUPLICATE_ELEMENTS", ep, "duplicate element: node %d is listed twice", v);
            continue;
        }
        stamp[v] = mark;
        out[count++] = v;
    }
    return ok ? count : -1;
}

/* Children: each resolves, appears once, and has no other parent. */
static bool check_children(ctx *c, const cJSON *nodes, int n, int *parent, int *stamp, int *list)
{
    bool ok = true;
    int i = 0;
    for (const cJSON *j = nodes ? nodes->child : NULL; j; j = j->next, i++) {
        char p[64], cp[96];
        mh_json_ptr_index(p, sizeof p, "/nodes", i);
        mh_json_ptr_key(cp, sizeof cp, p, "children");
        int nc;
        const cJSON *kids = cJSON_IsObject(j) ? mh_gltf_array(c, j, p, "children", &nc) : NULL;
        int got = kids ? node_list(c, kids, cp, n, stamp, i, list) : 0;
        ok = ok && got >= 0;
        for (int k = 0; k < got; k++) {
            int ch = list[k];
            if (ch == i)
                ok = ISSUE(c, "NODE_LOOP", cp, "node %d is its own child", ch);
            else if (parent[ch] >= 0)
                ok = ISSUE(c, "NODE_PARENT_OVERRIDE", cp, "node %d already has a parent, node %d", ch, parent[ch]);
            else
                parent[ch] = i;
        }
    }
    return ok;
}

/* A node that is its own ancestor: follow parents, colouring each chain
 * once (-2 on the chain being followed, -3 done): linear time. */
static bool check_loops(ctx *c, int n, const int *parent, int *stamp)
{
    bool ok = true;
    for (int i = 0; i < n; i++)
        stamp[i] = -1;
    for (int i = 0; i < n; i++) {
        int a = i;
        while (a >= 0 && stamp[a] == -1) {
            stamp[a] = -2;
            a = parent[a];
        }
        if (a >= 0 && stamp[a] == -2) {
            char p[64];
            mh_json_ptr_index(p, sizeof p, "/nodes", a);
            ok = ISSUE(c, "NODE_LOOP", p, "the node hierarchy has a loop through node %d", a);
        }
        for (a = i; a >= 0 && stamp[a] == -2; a = parent[a])
            stamp[a] = -3;
    }
    return ok;
}

/* Every scene, used or not: roots resolve, are unique and have no parent. */
static bool check_scenes(ctx *c, int n, const int *parent, int *stamp, int *list)
{
    int ns;
    bool ok = true;
    const cJSON *scenes = mh_gltf_array(c, c->root, "", "scenes", &ns);
    for (int i = 0; i < n; i++)
        stamp[i] = -1;
    int s = 0;
    for (const cJSON *sj = scenes ? scenes->child : NULL; sj; sj = sj->next, s++) {
        char sp[64], rp[96];
        mh_json_ptr_index(sp, sizeof sp, "/scenes", s);
        mh_json_ptr_key(rp, sizeof rp, sp, "nodes");
        int nr;
        const cJSON *roots = cJSON_IsObject(sj) ? mh_gltf_array(c, sj, sp, "nodes", &nr) : NULL;
        int got = roots ? node_list(c, roots, rp, n, stamp, n + s, list) : 0;
        ok = ok && got >= 0;
        for (int k = 0; k < got; k++)
            if (parent[list[k]] >= 0) { /* safe to skip: the walk draws it once, under its parent */
                char ep[128];
                mh_json_ptr_index(ep, sizeof ep, rp, k);
                ok = mh_gltf_quality(c, "SCENE_NON_ROOT_NODE", ep,
                                     "node %d is a child of node %d, not a root node; "
                                     "it is drawn once",
                                     list[k], parent[list[k]]) &&
                     ok;
            }
    }
    int scene = 0;
    return mh_gltf_ref(c, c->root, "", "scene", ns, "scene", false, &scene) >= 0 && ok;
}

/* Each node's tree root, and preorder entry/exit numbers for O(1) ancestor
 * queries, in one iterative walk over the forest (no loops by now). */
static bool number_trees(ctx *c)
{
    int n = c->node_count, clock = 0, top = 0;
    c->node_root = mh_gltf_alloc(c, sizeof(int) * (size_t)(n + 1));
    c->node_pre = mh_gltf_alloc(c, sizeof(int) * (size_t)(n + 1));
    c->node_post = mh_gltf_alloc(c, sizeof(int) * (size_t)(n + 1));
    int *stack = mh_gltf_alloc(c, sizeof(int) * (size_t)(2 * n + 1)); /* node, or ~node when leaving it */
    c->forest = mh_gltf_alloc(c, sizeof(int) * (size_t)(n + 1));
    int visited = 0;
    if (!c->node_root || !c->node_pre || !c->node_post || !stack || !c->forest)
        return ISSUE(c, "BUDGET_EXCEEDED", "/nodes", "too many nodes");
    for (int r = 0; r < n; r++) {
        if (c->node_parent[r] >= 0)
            continue;
        stack[top++] = r;
        while (top > 0) {
            int v = stack[--top];
            if (v < 0) {
                c->node_post[~v] = clock++;
                continue;
            }
            c->node_pre[v] = clock++;
            c->forest[visited++] = v;
            c->node_root[v] = c->node_parent[v] >= 0 ? c->node_root[c->node_parent[v]] : v;
            stack[top++] = ~v;
            const cJSON *kids = cJSON_GetObjectItemCaseSensitive(mh_gltf_item(c->nodes_j, n, v), "children");
            for (const cJSON *e = cJSON_IsArray(kids) ? kids->child : NULL; e && top < 2 * n; e = e->next)
                stack[top++] = e->valueint;
        }
    }
    return true;
}

bool mh_gltf_check_nodes(ctx *c)
{
    int n;
    const cJSON *nodes = mh_gltf_array(c, c->root, "", "nodes", &n);
    c->node_parent = mh_gltf_alloc(c, sizeof(int) * (size_t)(n + 1));
    int *stamp = mh_gltf_alloc(c, sizeof(int) * (size_t)(n + 1));
    int *list = mh_gltf_alloc(c, sizeof(int) * (size_t)(n + 1));
    if (!c->node_parent || !stamp || !list)
        return ISSUE(c, "BUDGET_EXCEEDED", "/nodes", "too many nodes");
    for (int i = 0; i < n; i++)
        c->node_parent[i] = stamp[i] = -1;
    bool ok = check_children(c, nodes, n, c->node_parent, stamp, list);
    ok = check_loops(c, n, c->node_parent, stamp) && ok;
    ok = check_scenes(c, n, c->node_parent, stamp, list) && ok;
    return ok && number_trees(c);
}

/* ---- walking the default scene ------------------------------------------------------ */

/* The default scene ("scene", else the first), or -1 with no scenes. */
static const cJSON *default_scene(ctx *c)
{
    const cJSON *scenes = cJSON_GetObjectItemCaseSensitive(c->root, "scenes");
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(c->root, "scene");
    int i = cJSON_IsNumber(s) ? s->valueint : 0;
    return cJSON_IsArray(scenes) && i < cJSON_GetArraySize(scenes) ? cJSON_GetArrayItem(scenes, i) : NULL;
}

/* The default scene's roots: the nodes it lists, except those below
 * another listed node (a scene that lists a child, SCENE_NON_ROOT_NODE, gets
 * it drawn once: under its listed ancestor, or as a root of its own when the
 * scene leaves its ancestors out, as three.js and Bevy draw it). In forest
 * order, so the trees come out distinct. */
static int listed_roots(ctx *c, const cJSON *sj, int *roots)
{
    int n = c->node_count, nr = 0;
    uint8_t *mark = mh_arena_alloc(c->arena, (size_t)n + 1); /* 1 listed, 2 below a listed node */
    if (!mark)
        return 0;
    const cJSON *rl = cJSON_GetObjectItemCaseSensitive(sj, "nodes");
    for (const cJSON *e = cJSON_IsArray(rl) ? rl->child : NULL; e; e = e->next)
        mark[e->valueint] = 1;
    for (int k = 0; k < n; k++) {
        int v = c->forest[k], p = c->node_parent[v];
        bool below = p >= 0 && mark[p];
        if (mark[v] && !below)
            roots[nr++] = v;
        if (below)
            mark[v] = 2;
    }
    return nr;
}

/* The default scene's nodes, parents first (preorder), into order (node
 * count capacity; check_nodes made every tree distinct, so each node comes
 * once). Returns how many, and the roots. */
static int scene_order(ctx *c, int *order, int *roots, int *root_count)
{
    const cJSON *sj = default_scene(c);
    int n = c->node_count, nr = 0;
    if (sj) {
        nr = listed_roots(c, sj, roots);
    } else {
        for (int i = 0; i < n; i++)
            if (c->node_parent[i] < 0)
                roots[nr++] = i;
    }
    *root_count = nr;
    /* iterative preorder: a stack of nodes still to visit (at most n) */
    int *stack = order + n, top = 0, count = 0;
    for (int r = nr - 1; r >= 0; r--)
        stack[top++] = roots[r];
    while (top > 0 && count < n) {
        int nd = stack[--top];
        order[count++] = nd;
        const cJSON *kids = cJSON_GetObjectItemCaseSensitive(mh_gltf_item(c->nodes_j, n, nd), "children");
        int nk = cJSON_IsArray(kids) ? cJSON_GetArraySize(kids) : 0;
        if (top + nk > n)
            break; /* cannot happen after check_nodes */
        const cJSON *e = kids ? kids->child : NULL;
        for (int k = 0; e; e = e->next, k++)
            stack[top + nk - 1 - k] = e->valueint;
        top += nk;
    }
    return count;
}

int *mh_gltf_mesh_instances(ctx *c)
{
    int n = c->node_count;
    int *inst = mh_gltf_alloc(c, sizeof(int) * (size_t)(c->mesh_count + 1));
    int *order = mh_gltf_alloc(c, sizeof(int) * (size_t)(2 * n + 1)),
        *roots = mh_gltf_alloc(c, sizeof(int) * (size_t)(n + 1));
    if (!inst || !order || !roots) {
        ISSUE(c, "BUDGET_EXCEEDED", "/nodes", "too many nodes");
        return NULL;
    }
    int nr, count = scene_order(c, order, roots, &nr);
    for (int k = 0; k < count; k++) {
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(mh_gltf_item(c->nodes_j, n, order[k]), "mesh");
        if (cJSON_IsNumber(m) && m->valuedouble >= 0 && m->valuedouble < c->mesh_count)
            inst[m->valueint]++;
    }
    return inst;
}

/* ---- nodes ------------------------------------------------------------------------- */

static mh_mat4 trs_matrix(const float t[3], const float q[4], const float s[3])
{
    mh_mat4 r = mh_m4_from_quat(q);
    for (int k = 0; k < 3; k++) {
        r.m[k] *= s[0];
        r.m[4 + k] *= s[1];
        r.m[8 + k] *= s[2];
    }
    r.m[12] = t[0];
    r.m[13] = t[1];
    r.m[14] = t[2];
    return r;
}

/* A matrix as translation, rotation and scale; false when it has shear or
 * projection (not decomposable to TRS). */
static bool decompose(const mh_mat4 *m, float t[3], float q[4], float s[3])
{
    const float *a = m->m;
    if (fabsf(a[3]) > 1e-6f || fabsf(a[7]) > 1e-6f || fabsf(a[11]) > 1e-6f || fabsf(a[15] - 1) > 1e-6f)
        return false;
    float col[3][3];
    for (int k = 0; k < 3; k++) {
        s[k] = sqrtf(a[4 * k] * a[4 * k] + a[4 * k + 1] * a[4 * k + 1] + a[4 * k + 2] * a[4 * k + 2]);
        if (s[k] < 1e-12f)
            return false;
        for (int r = 0; r < 3; r++)
            col[k][r] = a[4 * k + r] / s[k];
    }
    for (int i = 0; i < 3; i++)
        for (int j = i + 1; j < 3; j++)
            if (fabsf(col[i][0] * col[j][0] + col[i][1] * col[j][1] + col[i][2] * col[j][2]) > 1e-4f)
                return false; /* shear */
    float det = col[0][0] * (col[1][1] * col[2][2] - col[2][1] * col[1][2]) -
                col[1][0] * (col[0][1] * col[2][2] - col[2][1] * col[0][2]) +
                col[2][0] * (col[0][1] * col[1][2] - col[1][1] * col[0][2]);
    if (det < 0) { /* a mirror: one negative scale */
        s[0] = -s[0];
        for (int r = 0; r < 3; r++)
            col[0][r] = -col[0][r];
    }
    /* rotation matrix (columns) to quaternion */
    float m00 = col[0][0], m11 = col[1][1], m22 = col[2][2], tr = m00 + m11 + m22;
    if (tr > 0) {
        float k = 0.5f / sqrtf(tr + 1);
        q[3] = 0.25f / k;
        q[0] = (col[1][2] - col[2][1]) * k;
        q[1] = (col[2][0] - col[0][2]) * k;
        q[2] = (col[0][1] - col[1][0]) * k;
    } else if (m00 > m11 && m00 > m22) {
        float k = 2 * sqrtf(1 + m00 - m11 - m22);
        q[3] = (col[1][2] - col[2][1]) / k;
        q[0] = 0.25f * k;
        q[1] = (col[1][0] + col[0][1]) / k;
        q[2] = (col[2][0] + col[0][2]) / k;
    } else if (m11 > m22) {
        float k = 2 * sqrtf(1 + m11 - m00 - m22);
        q[3] = (col[2][0] - col[0][2]) / k;
        q[0] = (col[1][0] + col[0][1]) / k;
        q[1] = 0.25f * k;
        q[2] = (col[2][1] + col[1][2]) / k;
    } else {
        float k = 2 * sqrtf(1 + m22 - m00 - m11);
        q[3] = (col[0][1] - col[1][0]) / k;
        q[0] = (col[2][0] + col[0][2]) / k;
        q[1] = (col[2][1] + col[1][2]) / k;
        q[2] = 0.25f * k;
    }
    t[0] = a[12];
    t[1] = a[13];
    t[2] = a[14];
    return true;
}

static bool node_transform(ctx *c, const cJSON *j, const char *p, mh_gltf_node *nd)
{
    static const float t0[3] = {0, 0, 0}, q0[4] = {0, 0, 0, 1}, s0[3] = {1, 1, 1};
    memcpy(nd->translation, t0, sizeof t0);
    memcpy(nd->rotation, q0, sizeof q0);
    memcpy(nd->scale, s0, sizeof s0);
    bool ok = mh_gltf_floats(c, j, p, "translation", 3, nd->translation) &&
              mh_gltf_floats(c, j, p, "rotation", 4, nd->rotation) && mh_gltf_floats(c, j, p, "scale", 3, nd->scale);
    if (!ok)
        return false;
    char mp[96], rp[96];
    mh_json_ptr_key(mp, sizeof mp, p, "matrix");
    mh_json_ptr_key(rp, sizeof rp, p, "rotation");
    float *q = nd->rotation, len = sqrtf(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
    if (fabsf(len - 1) > 0.0005f)
        ok = mh_gltf_quality(c, "ROTATION_NON_UNIT", rp, "the rotation is not a unit quaternion");
    if (len < 1e-6f) {
        q[0] = q[1] = q[2] = 0;
        q[3] = len = 1;
    }
    for (int k = 0; k < 4; k++)
        q[k] /= len;
    nd->local = trs_matrix(nd->translation, nd->rotation, nd->scale);
    if (!cJSON_GetObjectItemCaseSensitive(j, "matrix"))
        return ok;
    if (cJSON_GetObjectItemCaseSensitive(j, "translation") || cJSON_GetObjectItemCaseSensitive(j, "rotation") ||
        cJSON_GetObjectItemCaseSensitive(j, "scale"))
        return ISSUE(c, "NODE_MATRIX_TRS", mp, "a node has either a matrix or translation/rotation/scale, not both");
    if (!mh_gltf_floats(c, j, p, "matrix", 16, nd->local.m))
        return false;
    nd->has_matrix = true;
    if (!decompose(&nd->local, nd->translation, nd->rotation, nd->scale))
        ok = mh_gltf_quality(c, "NODE_MATRIX_NON_TRS", mp,
                             "the matrix cannot be decomposed into translation, "
                             "rotation and scale") &&
             ok;
    return ok;
}

/* The node's mesh, skin, camera and light references, and its weights. */
static bool node_refs(ctx *c, const cJSON *j, const char *p, mh_gltf_node *nd)
{
    nd->mesh = nd->skin = nd->camera = nd->light = -1;
    bool ok = mh_gltf_ref(c, j, p, "mesh", c->mesh_count, "mesh", false, &nd->mesh) >= 0;
    ok = mh_gltf_ref(c, j, p, "camera", c->camera_count, "camera", false, &nd->camera) >= 0 && ok;
    char sp[96];
    mh_json_ptr_key(sp, sizeof sp, p, "skin");
    int r = mh_gltf_ref(c, j, p, "skin", c->skin_count, "skin", false, &nd->skin);
    ok = r >= 0 && ok;
    if (r != 0 && nd->mesh < 0)
        ok = ISSUE(c, "UNSATISFIED_DEPENDENCY", sp, "a skin needs a mesh on the same node");
    else if (r == 1 && !c->mesh_skinned[nd->mesh])
        ok = ISSUE(c, "NODE_SKIN_WITH_NON_SKINNED_MESH", p, "the node has a skin but its mesh has no JOINTS_0");
    else if (r == 0 && nd->mesh >= 0 && c->mesh_skinned[nd->mesh])
        WARN(c, "NODE_SKINNED_MESH_WITHOUT_SKIN", p, "the mesh has joints but the node no skin; drawn unskinned");
    const cJSON *lx = mh_gltf_ext(j, "KHR_lights_punctual");
    if (lx) {
        char lp[128];
        snprintf(lp, sizeof lp, "%s/extensions/KHR_lights_punctual", p);
        ok = mh_gltf_ref(c, lx, lp, "light", c->light_count, "light", true, &nd->light) == 1 && ok;
    }
    int nw;
    const cJSON *w = mh_gltf_array(c, j, p, "weights", &nw);
    if (w && (nd->mesh < 0 || nw != c->mesh_targets[nd->mesh])) {
        char wp[96];
        mh_json_ptr_key(wp, sizeof wp, p, "weights");
        ok = ISSUE(c, "NODE_WEIGHTS_INVALID", wp, "%d weights, but the node's mesh has %d morph targets", nw,
                   nd->mesh >= 0 ? c->mesh_targets[nd->mesh] : 0);
    }
    return ok;
}

/* Morph weights of every node: its own, else its mesh's, else zeros. */
static bool node_weights(ctx *c, mh_gltf_model *m)
{
    const cJSON *nodes = cJSON_GetObjectItemCaseSensitive(c->root, "nodes");
    int total = 0;
    for (int i = 0; i < m->node_count; i++) {
        mh_gltf_node *nd = &m->nodes[i];
        nd->first_weight = total;
        nd->weight_count = nd->mesh >= 0 ? m->meshes[nd->mesh].target_count : 0;
        total += nd->weight_count;
    }
    m->weights = mh_gltf_alloc(c, sizeof(float) * (size_t)(total + 1));
    if (!m->weights)
        return ISSUE(c, "BUDGET_EXCEEDED", "/nodes", "too many morph weights");
    m->weight_count = total;
    int i = 0;
    for (const cJSON *j = nodes ? nodes->child : NULL; j; j = j->next, i++) {
        mh_gltf_node *nd = &m->nodes[i];
        float *w = m->weights + nd->first_weight;
        const mh_gltf_mesh *me = nd->mesh >= 0 ? &m->meshes[nd->mesh] : NULL;
        if (cJSON_GetObjectItemCaseSensitive(j, "weights") && nd->weight_count) {
            char p[64];
            mh_json_ptr_index(p, sizeof p, "/nodes", i);
            if (!mh_gltf_floats(c, j, p, "weights", nd->weight_count, w))
                return false;
        } else if (me && me->weights) {
            memcpy(w, me->weights, sizeof(float) * (size_t)nd->weight_count);
        }
    }
    return true;
}

bool mh_gltf_load_nodes(ctx *c, mh_gltf_model *m)
{
    int n = c->node_count;
    const cJSON *nodes = cJSON_GetObjectItemCaseSensitive(c->root, "nodes");
    m->nodes = mh_gltf_alloc(c, sizeof(mh_gltf_node) * (size_t)(n + 1));
    m->children = mh_gltf_alloc(c, sizeof(int) * (size_t)(n + 1));
    if (!m->nodes || !m->children)
        return ISSUE(c, "BUDGET_EXCEEDED", "/nodes", "too many nodes");
    bool ok = true;
    int i = 0, nchild = 0;
    for (const cJSON *j = nodes ? nodes->child : NULL; j; j = j->next, i++) {
        char p[64];
        mh_json_ptr_index(p, sizeof p, "/nodes", i);
        mh_gltf_node *nd = &m->nodes[i];
        nd->name = mh_gltf_name(c, j);
        nd->parent = c->node_parent[i];
        nd->world = mh_m4_identity();
        ok = node_refs(c, j, p, nd) && ok;
        ok = node_transform(c, j, p, nd) && ok;
        const cJSON *kids = cJSON_GetObjectItemCaseSensitive(j, "children");
        nd->first_child = nchild;
        for (const cJSON *e = cJSON_IsArray(kids) ? kids->child : NULL; e && nchild < n; e = e->next)
            m->children[nchild++] = e->valueint;
        nd->child_count = nchild - nd->first_child;
    }
    m->node_count = n;
    return ok && node_weights(c, m);
}

/* World matrices at rest, the draws, bounds, roots and order of the
 * default scene; cameras placed by their first node. */
void mh_gltf_place(ctx *c, mh_gltf_model *m)
{
    int n = m->node_count;
    m->order = mh_arena_alloc(c->arena, sizeof(int) * (size_t)(2 * n + 1));
    m->roots = mh_arena_alloc(c->arena, sizeof(int) * (size_t)(n + 1));
    m->draws = mh_arena_alloc(c->arena, sizeof(mh_gltf_draw) * (size_t)(n + 1));
    m->bounds = mh_aabb_empty();
    if (!m->order || !m->roots || !m->draws)
        return;
    m->order_count = scene_order(c, m->order, m->roots, &m->root_count);
    for (int k = 0; k < m->root_count; k++)
        m->nodes[m->roots[k]].parent = -1; /* a listed child whose ancestors the scene leaves out */
    for (int k = 0; k < m->order_count; k++) {
        mh_gltf_node *nd = &m->nodes[m->order[k]];
        nd->world = nd->parent >= 0 ? mh_m4_mul(m->nodes[nd->parent].world, nd->local) : nd->local;
        if (nd->camera >= 0 && m->cameras[nd->camera].node < 0) {
            m->cameras[nd->camera].node = m->order[k];
            m->cameras[nd->camera].world = nd->world;
        }
        if (nd->mesh < 0)
            continue;
        m->draws[m->draw_count++] = (mh_gltf_draw){nd->mesh, m->order[k], nd->world};
        const mh_gltf_mesh *me = &m->meshes[nd->mesh];
        for (int p = 0; p < me->prim_count; p++) {
            const mh_gltf_prim *pr = &m->prims[me->first_prim + p];
            mh_aabb b = mh_aabb_transform(pr->bounds, nd->world);
            mh_aabb_add_point(&m->bounds, b.min);
            mh_aabb_add_point(&m->bounds, b.max);
            m->triangle_count += pr->index_count / 3;
        }
    }
}

/* ---- cameras and lights ---------------------------------------------------------------- */

static bool load_camera(ctx *c, const cJSON *j, const char *p, mh_gltf_camera *cam)
{
    *cam = (mh_gltf_camera){.name = mh_gltf_name(c, j), .node = -1, .world = mh_m4_identity()};
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(j, "type");
    const cJSON *per = cJSON_GetObjectItemCaseSensitive(j, "perspective");
    const cJSON *ort = cJSON_GetObjectItemCaseSensitive(j, "orthographic");
    if (!cJSON_IsString(type))
        return ISSUE(c, "UNDEFINED_PROPERTY", p, "required property 'type' is missing");
    if (per && ort)
        return ISSUE(c, "ONE_OF_MISMATCH", p, "a camera has a perspective or an orthographic object, not both");
    cam->perspective = !strcmp(type->valuestring, "perspective");
    const cJSON *d = cam->perspective ? per : ort;
    char dp[96];
    mh_json_ptr_key(dp, sizeof dp, p, cam->perspective ? "perspective" : "orthographic");
    if (!cam->perspective && strcmp(type->valuestring, "orthographic"))
        return WARN(c, "VALUE_NOT_IN_LIST", p, "unknown camera type; the camera is ignored") || true;
    if (!cJSON_IsObject(d))
        return ISSUE(c, "UNDEFINED_PROPERTY", p, "a camera needs an object matching its type");
    static const char *const need[2][2] = {{"xmag", "ymag"}, {"yfov", "znear"}};
    bool ok = true;
    for (int k = 0; k < 2; k++)
        if (!cJSON_GetObjectItemCaseSensitive(d, need[cam->perspective][k]))
            ok = ISSUE(c, "UNDEFINED_PROPERTY", dp, "required property '%s' is missing", need[cam->perspective][k]);
    if (!cam->perspective &&
        (!cJSON_GetObjectItemCaseSensitive(d, "znear") || !cJSON_GetObjectItemCaseSensitive(d, "zfar")))
        ok = ISSUE(c, "UNDEFINED_PROPERTY", dp, "an orthographic camera needs znear and zfar");
    if (!ok || !mh_gltf_number(c, d, dp, "yfov", 0, 1e9, &cam->yfov) ||
        !mh_gltf_number(c, d, dp, "aspectRatio", 0, 1e9, &cam->aspect) ||
        !mh_gltf_number(c, d, dp, "znear", 0, 1e30, &cam->znear) ||
        !mh_gltf_number(c, d, dp, "zfar", 0, 1e30, &cam->zfar) ||
        !mh_gltf_number(c, d, dp, "xmag", -1e30, 1e30, &cam->xmag) ||
        !mh_gltf_number(c, d, dp, "ymag", -1e30, 1e30, &cam->ymag))
        return false;
    /* a broken camera does not stop the model from rendering: a quality error */
    if (cam->zfar != 0 && cam->zfar <= cam->znear)
        return mh_gltf_quality(c, "CAMERA_ZFAR_LEQUAL_ZNEAR", dp, "zfar must be greater than znear");
    if (cam->perspective && (cam->yfov <= 0 || cam->znear <= 0))
        return mh_gltf_quality(c, "VALUE_NOT_IN_RANGE", dp, "yfov and znear must be greater than 0");
    if (!cam->perspective && (cam->xmag == 0 || cam->ymag == 0)) {
        char zp[128];
        mh_json_ptr_key(zp, sizeof zp, dp, cam->ymag == 0 ? "ymag" : "xmag");
        return mh_gltf_quality(c, "CAMERA_XMAG_YMAG_ZERO", zp, "xmag and ymag must not be 0");
    }
    return true;
}

bool mh_gltf_load_cameras(ctx *c, mh_gltf_model *m)
{
    int n;
    const cJSON *arr = mh_gltf_array(c, c->root, "", "cameras", &n);
    m->cameras = mh_gltf_alloc(c, sizeof(mh_gltf_camera) * (size_t)(n + 1));
    if (!m->cameras)
        return ISSUE(c, "BUDGET_EXCEEDED", "/cameras", "too many cameras");
    bool ok = true;
    int i = 0;
    for (const cJSON *j = arr ? arr->child : NULL; j; j = j->next, i++) {
        char p[64];
        mh_json_ptr_index(p, sizeof p, "/cameras", i);
        ok = load_camera(c, j, p, &m->cameras[i]) && ok;
    }
    m->camera_count = n;
    return ok;
}

static bool load_light(ctx *c, const cJSON *j, const char *p, mh_gltf_light *l)
{
    *l = (mh_gltf_light){.name = mh_gltf_name(c, j), .color = {1, 1, 1}, .intensity = 1, .outer_cone = (float)M_PI / 4};
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(j, "type");
    if (!mh_gltf_object(c, j, p))
        return false;
    if (!cJSON_IsString(type))
        return ISSUE(c, "UNDEFINED_PROPERTY", p, "required property 'type' is missing");
    const char *t = type->valuestring;
    l->type = !strcmp(t, "point")  ? MH_GLTF_LIGHT_POINT
              : !strcmp(t, "spot") ? MH_GLTF_LIGHT_SPOT
                                   : MH_GLTF_LIGHT_DIRECTIONAL;
    if (strcmp(t, "point") && strcmp(t, "spot") && strcmp(t, "directional"))
        return ISSUE(c, "VALUE_NOT_IN_LIST", p, "a light is directional, point or spot");
    if (!mh_gltf_floats(c, j, p, "color", 3, l->color) ||
        !mh_gltf_number(c, j, p, "intensity", 0, 1e30, &l->intensity) ||
        !mh_gltf_number(c, j, p, "range", 1e-30, 1e30, &l->range))
        return false;
    const cJSON *spot = cJSON_GetObjectItemCaseSensitive(j, "spot");
    if (l->type != MH_GLTF_LIGHT_SPOT)
        return true;
    char sp[96];
    mh_json_ptr_key(sp, sizeof sp, p, "spot");
    if (!cJSON_IsObject(spot))
        return ISSUE(c, "UNDEFINED_PROPERTY", p, "a spot light needs a 'spot' object");
    if (!mh_gltf_number(c, spot, sp, "innerConeAngle", 0, M_PI / 2, &l->inner_cone) ||
        !mh_gltf_number(c, spot, sp, "outerConeAngle", 1e-9, M_PI / 2, &l->outer_cone))
        return false;
    return l->inner_cone < l->outer_cone || ISSUE(c, "VALUE_NOT_IN_RANGE", sp,
                                                  "innerConeAngle must be less than "
                                                  "outerConeAngle");
}

bool mh_gltf_load_lights(ctx *c, mh_gltf_model *m)
{
    const cJSON *ext = mh_gltf_ext(c->root, "KHR_lights_punctual");
    int n = 0;
    const cJSON *arr = ext ? mh_gltf_array(c, ext, "/extensions/KHR_lights_punctual", "lights", &n) : NULL;
    m->lights = mh_gltf_alloc(c, sizeof(mh_gltf_light) * (size_t)(n + 1));
    if (!m->lights)
        return ISSUE(c, "BUDGET_EXCEEDED", "/extensions/KHR_lights_punctual", "too many lights");
    bool ok = true;
    int i = 0;
    for (const cJSON *j = arr ? arr->child : NULL; j; j = j->next, i++) {
        char p[96];
        mh_json_ptr_index(p, sizeof p, "/extensions/KHR_lights_punctual/lights", i);
        ok = load_light(c, j, p, &m->lights[i]) && ok;
    }
    m->light_count = n;
    return ok;
}
