/* mh_gltf_mesh.c - glTF meshes: every primitive's references and accessor
 * formats checked first (and what decoding them would cost, against the
 * budgets), then decoded: positions, normals, tangents, two UV sets,
 * colours, joints and weights, morph targets, indices as a triangle list. */
#include "mh_gltf_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mh_json.h"

/* ---- attribute names and formats ------------------------------------------------ */

/* "TEXCOORD_3" -> 3 with out_base "TEXCOORD"; -1 when not NAME_n (n
 * without leading zeros), -2 when the name is no semantic at all. */
static int semantic_set(const char *name, char *base, size_t size)
{
    static const char *const indexed[] = {"TEXCOORD", "COLOR", "JOINTS", "WEIGHTS"};
    for (size_t i = 0; i < 4; i++) {
        size_t n = strlen(indexed[i]);
        if (strncmp(name, indexed[i], n) || name[n] != '_')
            continue;
        snprintf(base, size, "%s", indexed[i]);
        const char *d = name + n + 1;
        if (!*d || (d[0] == '0' && d[1]) || strspn(d, "0123456789") != strlen(d) || strlen(d) > 6)
            return -2;
        return atoi(d);
    }
    base[0] = '\0';
    return -1;
}

static bool valid_semantic(const char *name, bool target)
{
    char base[16];
    int set = semantic_set(name, base, sizeof base);
    if (set == -2)
        return false;
    if (set >= 0)
        return !target || !strcmp(base, "TEXCOORD") || !strcmp(base, "COLOR");
    if (!strcmp(name, "POSITION") || !strcmp(name, "NORMAL") || !strcmp(name, "TANGENT"))
        return true;
    return !target && name[0] == '_';
}

static bool attribute_format_ok(const ctx *c, const char *sem, const accessor *a)
{
    bool q = c->quantization, f = a->comp_type == GL_FLOAT;
    bool un = a->normalized && (a->comp_type == GL_UBYTE || a->comp_type == GL_USHORT);
    if (!strcmp(sem, "POSITION"))
        return a->comps == 3 && (f || (q && a->comp_type != GL_UINT));
    if (!strcmp(sem, "NORMAL"))
        return a->comps == 3 && (f || (q && a->normalized && (a->comp_type == GL_BYTE || a->comp_type == GL_SHORT)));
    if (!strcmp(sem, "TANGENT"))
        return a->comps == 4 && (f || (q && a->normalized && (a->comp_type == GL_BYTE || a->comp_type == GL_SHORT)));
    if (!strncmp(sem, "TEXCOORD_", 9))
        return a->comps == 2 && (f || un || (q && a->comp_type != GL_UINT));
    if (!strncmp(sem, "COLOR_", 6))
        return (a->comps == 3 || a->comps == 4) && (f || un);
    if (!strncmp(sem, "JOINTS_", 7))
        return a->comps == 4 && !a->normalized && (a->comp_type == GL_UBYTE || a->comp_type == GL_USHORT);
    if (!strncmp(sem, "WEIGHTS_", 8))
        return a->comps == 4 && (f || un);
    return a->cols == 1;
}

static int use_of(const char *sem)
{
    if (!strcmp(sem, "NORMAL"))
        return USE_NORMAL;
    if (!strcmp(sem, "TANGENT"))
        return USE_TANGENT;
    if (!strncmp(sem, "COLOR_", 6))
        return USE_COLOR;
    if (!strncmp(sem, "JOINTS_", 7))
        return USE_JOINTS;
    if (!strncmp(sem, "WEIGHTS_", 8))
        return USE_WEIGHTS;
    return 0;
}

/* Which TEXCOORD sets a material's textures need (bit n: TEXCOORD_n). */
static unsigned material_sets(const cJSON *mat)
{
    static const char *const refs[] = {"normalTexture", "occlusionTexture", "emissiveTexture"};
    const cJSON *pbr = cJSON_GetObjectItemCaseSensitive(mat, "pbrMetallicRoughness");
    const cJSON *r[5] = {cJSON_GetObjectItemCaseSensitive(pbr, "baseColorTexture"),
                         cJSON_GetObjectItemCaseSensitive(pbr, "metallicRoughnessTexture")};
    for (int k = 0; k < 3; k++)
        r[2 + k] = cJSON_GetObjectItemCaseSensitive(mat, refs[k]);
    unsigned sets = 0;
    for (int k = 0; k < 5; k++) {
        if (!cJSON_IsObject(r[k]))
            continue;
        const cJSON *tc = cJSON_GetObjectItemCaseSensitive(r[k], "texCoord");
        const cJSON *tt = mh_gltf_ext(r[k], "KHR_texture_transform");
        const cJSON *tto = tt ? cJSON_GetObjectItemCaseSensitive(tt, "texCoord") : NULL;
        const cJSON *use = cJSON_IsNumber(tto) ? tto : tc;
        int set = cJSON_IsNumber(use) && use->valuedouble >= 0 && use->valuedouble < 31 ? (int)use->valuedouble : 0;
        sets |= 1u << set;
    }
    return sets;
}

/* ---- checking a primitive ----------------------------------------------------------- */

typedef struct prim_info {
    int count; /* vertices (-1 none yet) */
    int position, indices, mode, material;
    unsigned sets[4]; /* TEXCOORD, COLOR, JOINTS, WEIGHTS sets present */
    bool normal, tangent;
    bool draco;
} prim_info;

/* One attribute: name, accessor, format, count; marks the accessor's use. */
static bool check_attribute(ctx *c, const cJSON *a, const char *ap, prim_info *pi)
{
    char sp[160], base[16];
    mh_json_ptr_key(sp, sizeof sp, ap, a->string);
    if (!valid_semantic(a->string, false))
        return ISSUE(c, "MESH_PRIMITIVE_INVALID_ATTRIBUTE", sp,
                     "not an attribute name glTF defines (custom ones "
                     "start with '_')");
    int ai = -1;
    if (!cJSON_IsNumber(a) || !mh_gltf_is_integer(a->valuedouble) || a->valuedouble < 0)
        return ISSUE(c, "INVALID_INDEX", sp, "expected an accessor index");
    if (a->valuedouble >= c->acc_count)
        return ISSUE(c, "UNRESOLVED_REFERENCE", sp, "unresolved reference: accessor %.0f does not exist",
                     a->valuedouble);
    ai = (int)a->valuedouble;
    accessor *acc = &c->accs[ai];
    if (!acc->ok)
        return false; /* already reported at the accessor */
    int set = semantic_set(a->string, base, sizeof base);
    if (set >= 0 && set < 32)
        pi->sets[!strcmp(base, "TEXCOORD") ? 0
                 : !strcmp(base, "COLOR")  ? 1
                 : !strcmp(base, "JOINTS") ? 2
                                           : 3] |= 1u << set;
    bool ok = true;
    if (a->string[0] == '_' && acc->comp_type == GL_UINT)
        ok = ISSUE(c, "MESH_PRIMITIVE_ATTRIBUTES_ACCESSOR_UNSIGNED_INT", sp,
                   "a vertex attribute cannot be UNSIGNED_INT");
    else if (!attribute_format_ok(c, a->string, acc))
        ok = ISSUE(c, "MESH_PRIMITIVE_ATTRIBUTES_ACCESSOR_INVALID_FORMAT", sp,
                   "accessor %d has a format this "
                   "attribute cannot use",
                   ai);
    if (pi->count >= 0 && acc->count != pi->count)
        ok = ISSUE(c, "MESH_PRIMITIVE_UNEQUAL_ACCESSOR_COUNT", sp, "accessor %d has %d elements, other attributes %d",
                   ai, acc->count, pi->count);
    if (pi->count < 0)
        pi->count = acc->count;
    pi->normal |= !strcmp(a->string, "NORMAL");
    pi->tangent |= !strcmp(a->string, "TANGENT");
    if (!strcmp(a->string, "POSITION")) {
        pi->position = ai;
        if (!acc->has_min || !acc->has_max) /* harmless to the kiosk: bounds are computed */
            ok = mh_gltf_quality(c, "MESH_PRIMITIVE_POSITION_ACCESSOR_WITHOUT_BOUNDS", sp,
                                 "a POSITION accessor needs "
                                 "min and max") &&
                 ok;
    }
    if (acc->view >= 0 && (acc->offset % 4 || (c->views[acc->view].offset % 4) || acc->stride % 4))
        ok = mh_gltf_quality(c, "MESH_PRIMITIVE_ACCESSOR_UNALIGNED", sp,
                             "vertex attribute data must be aligned to 4 "
                             "bytes (a GPU upload would need a copy)") &&
             ok;
    acc->uses |= USE_ATTRIBUTE | use_of(a->string);
    acc->draco |= pi->draco;
    return ok;
}

static bool check_indices(ctx *c, const cJSON *j, const char *p, prim_info *pi)
{
    char ip[128];
    mh_json_ptr_key(ip, sizeof ip, p, "indices");
    int r = mh_gltf_ref(c, j, p, "indices", c->acc_count, "accessor", false, &pi->indices);
    if (r <= 0)
        return r == 0;
    accessor *a = &c->accs[pi->indices];
    if (!a->ok)
        return false;
    a->uses |= USE_INDICES;
    a->draco |= pi->draco;
    if (a->comps != 1 || a->normalized ||
        (a->comp_type != GL_UBYTE && a->comp_type != GL_USHORT && a->comp_type != GL_UINT))
        return ISSUE(c, "MESH_PRIMITIVE_INDICES_ACCESSOR_INVALID_FORMAT", ip,
                     "indices must be a SCALAR of UNSIGNED_BYTE, UNSIGNED_SHORT or UNSIGNED_INT");
    if (a->view >= 0 && c->views[a->view].stride)
        return ISSUE(c, "MESH_PRIMITIVE_INDICES_ACCESSOR_WITH_BYTESTRIDE", ip,
                     "the indices' bufferView must not have byteStride");
    return true;
}

/* Whether the primitive has a base attribute for a morph target's name
 * (POSITION, NORMAL, TANGENT, TEXCOORD_n, COLOR_n): from what check_attribute
 * recorded, so a target with many keys costs no lookup per key. */
static bool base_has(const prim_info *pi, const char *name)
{
    char base[16];
    int set = semantic_set(name, base, sizeof base);
    if (set >= 0)
        return set < 32 && (pi->sets[!strcmp(base, "TEXCOORD") ? 0 : 1] >> set & 1);
    return !strcmp(name, "POSITION") ? pi->position >= 0 : !strcmp(name, "NORMAL") ? pi->normal : pi->tangent;
}

/* Morph targets: names, a base attribute for each, equal counts. */
static bool check_targets(ctx *c, const cJSON *j, const char *p, const cJSON *attrs, const prim_info *pi, int *n_out)
{
    int n;
    const cJSON *targets = mh_gltf_array(c, j, p, "targets", &n);
    *n_out = n;
    char tp[128];
    mh_json_ptr_key(tp, sizeof tp, p, "targets");
    if (n > MH_GLTF_MAX_MORPH_TARGETS)
        return ISSUE(c, "MESH_TOO_MANY_TARGETS", tp, "%d morph targets; at most %d are supported", n,
                     MH_GLTF_MAX_MORPH_TARGETS);
    bool ok = true;
    int k = 0;
    for (const cJSON *t = targets ? targets->child : NULL; t; t = t->next, k++) {
        char kp[144];
        mh_json_ptr_index(kp, sizeof kp, tp, k);
        if (!mh_gltf_object(c, t, kp)) {
            ok = false;
            continue;
        }
        for (const cJSON *a = t->child; a; a = a->next) {
            char ap[200];
            mh_json_ptr_key(ap, sizeof ap, kp, a->string);
            int ai = -1;
            if (!valid_semantic(a->string, true)) {
                ok = ISSUE(c, "MESH_PRIMITIVE_INVALID_ATTRIBUTE", ap, "not a morph target attribute glTF defines");
                continue;
            }
            if (mh_gltf_ref(c, t, kp, a->string, c->acc_count, "accessor", true, &ai) != 1 || !c->accs[ai].ok) {
                ok = false;
                continue;
            }
            accessor *acc = &c->accs[ai];
            if (!base_has(pi, a->string))
                ok = ISSUE(c, "MESH_PRIMITIVE_MORPH_TARGET_NO_BASE_ACCESSOR", ap, "the primitive has no %s to morph",
                           a->string);
            else if (pi->count >= 0 && acc->count != pi->count)
                ok = ISSUE(c, "MESH_PRIMITIVE_MORPH_TARGET_INVALID_ATTRIBUTE_COUNT", ap,
                           "accessor %d has %d elements, the primitive %d", ai, acc->count, pi->count);
            if (!strcmp(a->string, "POSITION") && (!acc->has_min || !acc->has_max))
                ok = mh_gltf_quality(c, "MESH_PRIMITIVE_POSITION_ACCESSOR_WITHOUT_BOUNDS", ap,
                                     "a POSITION accessor "
                                     "needs min and max") &&
                     ok;
            bool vec3 = !strcmp(a->string, "POSITION") || !strcmp(a->string, "NORMAL") || !strcmp(a->string, "TANGENT");
            if (vec3 && acc->comps != 3)
                ok = ISSUE(c, "MESH_PRIMITIVE_ATTRIBUTES_ACCESSOR_INVALID_FORMAT", ap, "a %s target is a VEC3",
                           a->string);
            acc->uses |= USE_ATTRIBUTE;
        }
    }
    return ok;
}

/* Indexed semantics start at 0 and have no gaps; JOINTS come with WEIGHTS. */
static bool check_sets(ctx *c, const char *ap, const prim_info *pi)
{
    static const char *const names[] = {"TEXCOORD", "COLOR", "JOINTS", "WEIGHTS"};
    bool ok = true;
    for (int k = 0; k < 4; k++)
        if (pi->sets[k] & (pi->sets[k] + 1))
            ok = ISSUE(c, "MESH_PRIMITIVE_INDEXED_SEMANTIC_CONTINUITY", ap,
                       "%s_n sets must start at 0 and be "
                       "continuous",
                       names[k]);
    if (pi->sets[2] != pi->sets[3])
        ok = ISSUE(c, "MESH_PRIMITIVE_JOINTS_WEIGHTS_MISMATCH", ap, "every JOINTS_n needs a WEIGHTS_n");
    return ok;
}

static bool check_prim(ctx *c, const cJSON *j, const char *p, int mesh, int *targets)
{
    prim_info pi = {.count = -1, .position = -1, .indices = -1, .mode = 4, .material = -1};
    if (!mh_gltf_object(c, j, p))
        return false;
    const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(j, "attributes");
    char ap[128];
    mh_json_ptr_key(ap, sizeof ap, p, "attributes");
    if (!cJSON_IsObject(attrs))
        return ISSUE(c, "UNDEFINED_PROPERTY", p, "required property 'attributes' is missing");
    pi.draco = c->draco && mh_gltf_ext(j, "KHR_draco_mesh_compression");
    bool ok = true;
    for (const cJSON *a = attrs->child; a; a = a->next) /* one pass: no lookup per key */
        ok = check_attribute(c, a, ap, &pi) && ok;
    ok = check_sets(c, ap, &pi) && ok;
    ok = check_indices(c, j, p, &pi) && ok;
    int r = mh_gltf_int(c, j, p, "mode", 0, 6, &pi.mode);
    ok = r >= 0 && ok;
    r = mh_gltf_ref(c, j, p, "material", c->material_count, "material", false, &pi.material);
    ok = r >= 0 && ok;
    if (r == 1) {
        unsigned need = material_sets(mh_gltf_item(c->materials_j, c->material_count, pi.material));
        char mp[128];
        mh_json_ptr_key(mp, sizeof mp, p, "material");
        for (int s = 0; s < 31; s++)
            if ((need >> s & 1) && !(pi.sets[0] >> s & 1))
                ok = ISSUE(c, "MESH_PRIMITIVE_TOO_FEW_TEXCOORDS", mp, "the material's textures need TEXCOORD_%d", s);
    }
    if (pi.sets[2] && c->mesh_skinned)
        c->mesh_skinned[mesh] = true;
    return check_targets(c, j, p, attrs, &pi, targets) && ok;
}

/* Several vertex attributes sharing one bufferView must say how they interleave. */
static bool check_interleaving(ctx *c)
{
    bool ok = true;
    for (int a = 0; a < c->acc_count; a++)
        if ((c->accs[a].uses & USE_ATTRIBUTE) && c->accs[a].view >= 0)
            c->views[c->accs[a].view].attribute_users++;
    for (int v = 0; v < c->view_count; v++)
        if (c->views[v].attribute_users > 1 && c->views[v].stride == 0) {
            char p[64];
            mh_json_ptr_index(p, sizeof p, "/bufferViews", v);
            ok = ISSUE(c, "MESH_PRIMITIVE_ACCESSOR_WITHOUT_BYTESTRIDE", p,
                       "used by several vertex attributes but has no byteStride");
        }
    return ok;
}

bool mh_gltf_check_meshes(ctx *c, const mh_gltf_model *m)
{
    (void)m;
    int n;
    const cJSON *meshes = mh_gltf_array(c, c->root, "", "meshes", &n);
    c->mesh_targets = mh_gltf_alloc(c, sizeof(int) * (size_t)(n + 1));
    c->mesh_skinned = mh_gltf_alloc(c, sizeof(bool) * (size_t)(n + 1));
    if (!c->mesh_targets || !c->mesh_skinned)
        return ISSUE(c, "BUDGET_EXCEEDED", "/meshes", "too many meshes");
    bool ok = true;
    int i = 0;
    for (const cJSON *j = meshes ? meshes->child : NULL; j; j = j->next, i++) {
        char p[64], pp[96];
        mh_json_ptr_index(p, sizeof p, "/meshes", i);
        mh_json_ptr_key(pp, sizeof pp, p, "primitives");
        int np, first = -1;
        const cJSON *prims = cJSON_IsObject(j) ? mh_gltf_array(c, j, p, "primitives", &np) : NULL;
        if (cJSON_IsObject(j) && !cJSON_GetObjectItemCaseSensitive(j, "primitives"))
            ok = ISSUE(c, "UNDEFINED_PROPERTY", p, "required property 'primitives' is missing");
        int k = 0;
        for (const cJSON *pj = prims ? prims->child : NULL; pj; pj = pj->next, k++) {
            char full[128];
            mh_json_ptr_index(full, sizeof full, pp, k);
            int targets = 0;
            ok = check_prim(c, pj, full, i, &targets) && ok;
            if (first >= 0 && targets != first) {
                char tp[144];
                mh_json_ptr_key(tp, sizeof tp, full, "targets");
                ok = ISSUE(c, "MESH_PRIMITIVES_UNEQUAL_TARGETS_COUNT", targets ? tp : full,
                           "every primitive of a mesh needs the same number of morph targets");
            }
            first = first < 0 ? targets : first;
        }
        c->mesh_targets[i] = first < 0 ? 0 : first;
        int nw;
        const cJSON *w = cJSON_IsObject(j) ? mh_gltf_array(c, j, p, "weights", &nw) : NULL;
        if (w && nw != c->mesh_targets[i]) {
            char wp[96];
            mh_json_ptr_key(wp, sizeof wp, p, "weights");
            ok = ISSUE(c, "MESH_INVALID_WEIGHTS_COUNT", wp, "%d weights for %d morph targets", nw, c->mesh_targets[i]);
        }
    }
    return check_interleaving(c) && ok;
}

/* ---- budgets ---------------------------------------------------------------------- */

static uint64_t prim_triangles(ctx *c, const cJSON *pj, uint64_t *vertices, uint64_t *indices)
{
    const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(pj, "attributes");
    const cJSON *pos = cJSON_GetObjectItemCaseSensitive(attrs, "POSITION");
    const cJSON *ind = cJSON_GetObjectItemCaseSensitive(pj, "indices");
    const cJSON *mode = cJSON_GetObjectItemCaseSensitive(pj, "mode");
    int md = cJSON_IsNumber(mode) ? mode->valueint : 4;
    if (!cJSON_IsNumber(pos) || md < 4)
        return 0;
    uint64_t v = (uint64_t)c->accs[pos->valueint].count;
    uint64_t n = cJSON_IsNumber(ind) ? (uint64_t)c->accs[ind->valueint].count : v;
    *vertices += v;
    *indices += n;
    return md == 4 ? n / 3 : n >= 3 ? n - 2 : 0;
}

bool mh_gltf_check_mesh_budget(ctx *c, const int *instances)
{
    const cJSON *meshes = cJSON_GetObjectItemCaseSensitive(c->root, "meshes");
    uint64_t vertices = 0, indices = 0, drawn = 0;
    int i = 0;
    for (const cJSON *j = cJSON_IsArray(meshes) ? meshes->child : NULL; j; j = j->next, i++) {
        const cJSON *prims = cJSON_GetObjectItemCaseSensitive(j, "primitives");
        uint64_t tris = 0;
        for (const cJSON *pj = cJSON_IsArray(prims) ? prims->child : NULL; pj; pj = pj->next)
            tris += prim_triangles(c, pj, &vertices, &indices);
        drawn += tris * (uint64_t)instances[i];
    }
    if (vertices > c->budget.vertices)
        return ISSUE(c, "BUDGET_EXCEEDED", "/meshes",
                     "the meshes hold %llu vertices, more than the budget of %u "
                     "(budgets.vertices); nothing was decoded",
                     (unsigned long long)vertices, c->budget.vertices);
    if (indices > c->budget.indices)
        return ISSUE(c, "BUDGET_EXCEEDED", "/meshes",
                     "the meshes hold %llu indices, more than the budget of %u "
                     "(budgets.indices); nothing was decoded",
                     (unsigned long long)indices, c->budget.indices);
    if (drawn > c->budget.triangles)
        return ISSUE(c, "BUDGET_EXCEEDED", "/scenes",
                     "the scene draws %llu triangles, more than the budget of %u "
                     "(budgets.triangles); nothing was decoded",
                     (unsigned long long)drawn, c->budget.triangles);
    return true;
}

/* ---- decoding ------------------------------------------------------------------------- */

static uint32_t *read_indices(ctx *c, int i, uint32_t vertex_count, const char *p)
{
    const accessor *a = &c->accs[i];
    uint32_t *o = mh_gltf_read_uints(c, i, p);
    if (!o)
        return NULL;
    uint32_t restart = a->comp_type == GL_UBYTE ? 0xFFu : a->comp_type == GL_USHORT ? 0xFFFFu : 0xFFFFFFFFu;
    for (int k = 0; k < a->count; k++) {
        if (o[k] == restart) {
            ISSUE(c, "ACCESSOR_INDEX_PRIMITIVE_RESTART", p,
                  "index %u at position %d is the primitive restart value, "
                  "which glTF forbids",
                  o[k], k);
            return NULL;
        }
        if (o[k] >= vertex_count) {
            ISSUE(c, "ACCESSOR_INDEX_OOB", p, "index %u at position %d is out of range (%u vertices)", o[k], k,
                  vertex_count);
            return NULL;
        }
    }
    return o;
}

/* Strips and fans become lists. */
static uint32_t *to_triangle_list(ctx *c, uint32_t *idx, uint32_t n, int mode, uint32_t *out_n)
{
    if (mode == 4) {
        *out_n = n - n % 3;
        return idx;
    }
    uint32_t tris = n >= 3 ? n - 2 : 0;
    uint32_t *o = mh_gltf_alloc(c, sizeof(uint32_t) * (size_t)tris * 3 + 4);
    if (!o)
        return NULL;
    for (uint32_t t = 0; t < tris; t++) {
        uint32_t a = mode == 6 ? idx[0] : idx[t], b = idx[t + 1], d = idx[t + 2];
        if (mode == 5 && (t & 1)) {
            uint32_t tmp = a;
            a = b;
            b = tmp;
        }
        o[t * 3] = a;
        o[t * 3 + 1] = b;
        o[t * 3 + 2] = d;
    }
    *out_n = tris * 3;
    return o;
}

/* An attribute's floats, or NULL when the primitive lacks it (*ok false on
 * a decode error). */
static float *attr_floats(ctx *c, const cJSON *attrs, const char *ap, const char *sem, int want, bool *ok)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(attrs, sem);
    if (!v)
        return NULL;
    char sp[160];
    mh_json_ptr_key(sp, sizeof sp, ap, sem);
    float *f = mh_gltf_read_floats(c, v->valueint, want, sp);
    *ok = *ok && f;
    return f;
}

static uint16_t *attr_joints(ctx *c, const cJSON *attrs, const char *ap, bool *ok)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(attrs, "JOINTS_0");
    if (!v)
        return NULL;
    char sp[160];
    mh_json_ptr_key(sp, sizeof sp, ap, "JOINTS_0");
    uint32_t *u = mh_gltf_read_uints(c, v->valueint, sp);
    size_t n = (size_t)c->accs[v->valueint].count * 4;
    uint16_t *o = u ? mh_gltf_alloc(c, sizeof(uint16_t) * n) : NULL;
    for (size_t k = 0; o && k < n; k++)
        o[k] = (uint16_t)u[k];
    *ok = *ok && o;
    return o;
}

static bool load_targets(ctx *c, const cJSON *j, const char *p, mh_gltf_prim *out)
{
    const cJSON *targets = cJSON_GetObjectItemCaseSensitive(j, "targets");
    int n = cJSON_IsArray(targets) ? cJSON_GetArraySize(targets) : 0;
    if (n == 0)
        return true;
    out->targets = mh_gltf_alloc(c, sizeof(mh_gltf_morph_target) * (size_t)n);
    if (!out->targets)
        return ISSUE(c, "BUDGET_EXCEEDED", p, "the morph targets are too large (budgets.file_bytes)");
    out->target_count = n;
    bool ok = true;
    int k = 0;
    for (const cJSON *t = targets->child; t; t = t->next, k++) {
        char tp[160];
        snprintf(tp, sizeof tp, "%s/targets/%d", p, k);
        out->targets[k].positions = attr_floats(c, t, tp, "POSITION", 3, &ok);
        out->targets[k].normals = attr_floats(c, t, tp, "NORMAL", 3, &ok);
        out->targets[k].tangents = attr_floats(c, t, tp, "TANGENT", 3, &ok);
    }
    return ok;
}

static bool load_attributes(ctx *c, const cJSON *attrs, const char *ap, mh_gltf_prim *out)
{
    bool ok = true;
    out->positions = attr_floats(c, attrs, ap, "POSITION", 3, &ok);
    out->normals = attr_floats(c, attrs, ap, "NORMAL", 3, &ok);
    out->tangents = attr_floats(c, attrs, ap, "TANGENT", 4, &ok);
    out->texcoords[0] = attr_floats(c, attrs, ap, "TEXCOORD_0", 2, &ok);
    out->texcoords[1] = attr_floats(c, attrs, ap, "TEXCOORD_1", 2, &ok);
    out->colors = attr_floats(c, attrs, ap, "COLOR_0", 4, &ok);
    out->joints = attr_joints(c, attrs, ap, &ok);
    out->weights = attr_floats(c, attrs, ap, "WEIGHTS_0", 4, &ok);
    return ok;
}

/* Decodes one checked primitive; *drawable false for points, lines and
 * primitives without positions (warned, not drawn). */
static bool load_prim(ctx *c, const cJSON *j, const char *p, mh_gltf_prim *out, bool *drawable)
{
    const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(j, "attributes");
    const cJSON *pos = cJSON_GetObjectItemCaseSensitive(attrs, "POSITION");
    const cJSON *md = cJSON_GetObjectItemCaseSensitive(j, "mode"),
                *ind = cJSON_GetObjectItemCaseSensitive(j, "indices");
    const cJSON *mat = cJSON_GetObjectItemCaseSensitive(j, "material");
    int mode = md ? md->valueint : 4;
    char ap[128];
    mh_json_ptr_key(ap, sizeof ap, p, "attributes");
    *out = (mh_gltf_prim){.material = mat ? mat->valueint : -1, .bounds = mh_aabb_empty()};
    *drawable = false;
    const cJSON *draco = c->draco ? mh_gltf_ext(j, "KHR_draco_mesh_compression") : NULL;
    if (draco) {
        char dp[200];
        snprintf(dp, sizeof dp, "%s/extensions/KHR_draco_mesh_compression", p);
        if (!mh_gltf_draco_prim(c, j, draco, dp))
            return false;
    }
    if (!pos)
        return WARN(c, "MESH_PRIMITIVE_NO_POSITION", ap, "the primitive has no POSITION and is not drawn") || true;
    if (mode < 4)
        return WARN(c, "MESH_PRIMITIVE_NOT_DRAWN", p, "points and lines (mode %d) are not drawn", mode) || true;
    out->vertex_count = (uint32_t)c->accs[pos->valueint].count;
    if (!load_attributes(c, attrs, ap, out) || !load_targets(c, j, p, out))
        return false;
    char ip[128];
    mh_json_ptr_key(ip, sizeof ip, p, "indices");
    uint32_t *idx, n;
    if (ind) {
        idx = read_indices(c, ind->valueint, out->vertex_count, ip);
        n = (uint32_t)c->accs[ind->valueint].count;
    } else {
        n = out->vertex_count;
        idx = mh_gltf_alloc(c, sizeof(uint32_t) * (size_t)n);
        for (uint32_t k = 0; idx && k < n; k++)
            idx[k] = k;
    }
    if (!idx || !(out->indices = to_triangle_list(c, idx, n, mode, &out->index_count)))
        return c->rep->errors ? false : ISSUE(c, "BUDGET_EXCEEDED", p, "too many triangles (budgets.file_bytes)");
    if (mode == 4 && n % 3)
        WARN(c, "MESH_PRIMITIVE_INCOMPATIBLE_MODE", p, "%u indices are not a whole number of triangles", n);
    for (uint32_t v = 0; v < out->vertex_count; v++)
        mh_aabb_add_point(&out->bounds,
                          mh_v3(out->positions[3 * v], out->positions[3 * v + 1], out->positions[3 * v + 2]));
    *drawable = out->index_count > 0;
    return true;
}

static bool load_mesh(ctx *c, const cJSON *j, int i, mh_gltf_model *m)
{
    char p[64], pp[96];
    mh_json_ptr_index(p, sizeof p, "/meshes", i);
    mh_json_ptr_key(pp, sizeof pp, p, "primitives");
    mh_gltf_mesh *me = &m->meshes[i];
    me->name = mh_gltf_name(c, j);
    me->first_prim = m->prim_count;
    me->target_count = c->mesh_targets[i];
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(j, "weights");
    if (cJSON_IsArray(w) && me->target_count > 0) {
        me->weights = mh_gltf_alloc(c, sizeof(float) * (size_t)me->target_count);
        if (!me->weights || !mh_gltf_floats(c, j, p, "weights", me->target_count, me->weights))
            return false;
    }
    bool ok = true;
    int k = 0;
    const cJSON *prims = cJSON_GetObjectItemCaseSensitive(j, "primitives");
    for (const cJSON *pj = prims->child; pj && !mh_gltf_cancelled(c); pj = pj->next, k++) {
        char full[128];
        mh_json_ptr_index(full, sizeof full, pp, k);
        bool drawable;
        mh_gltf_prim *pr = &m->prims[m->prim_count];
        if (!load_prim(c, pj, full, pr, &drawable))
            ok = false;
        else if (drawable)
            m->prim_count++;
    }
    me->prim_count = m->prim_count - me->first_prim;
    return ok && !c->cancelled;
}

bool mh_gltf_load_meshes(ctx *c, mh_gltf_model *m)
{
    int nm;
    const cJSON *meshes = mh_gltf_array(c, c->root, "", "meshes", &nm);
    int total = 0;
    for (const cJSON *j = meshes ? meshes->child : NULL; j; j = j->next)
        total += cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "primitives"));
    m->meshes = mh_gltf_alloc(c, sizeof(mh_gltf_mesh) * (size_t)(nm + 1));
    m->prims = mh_gltf_alloc(c, sizeof(mh_gltf_prim) * (size_t)(total + 1));
    if (!m->meshes || !m->prims)
        return ISSUE(c, "BUDGET_EXCEEDED", "/meshes", "too many meshes");
    bool ok = true;
    int i = 0;
    for (const cJSON *j = meshes ? meshes->child : NULL; j; j = j->next, i++)
        ok = load_mesh(c, j, i, m) && ok;
    m->mesh_count = nm;
    return ok;
}

/* ---- tangents for users whose files lack them ------------------------------------------ */

float *mh_gltf_generate_tangents(const mh_gltf_prim *prim, int set, mh_arena *arena)
{
    if (set < 0 || set > 1 || !prim->normals || !prim->texcoords[set])
        return NULL;
    size_t n = prim->vertex_count;
    float *t = mh_arena_alloc(arena, sizeof(float) * 4 * n), *b = mh_arena_alloc(arena, sizeof(float) * 3 * n);
    if (!t || !b)
        return NULL;
    const float *p = prim->positions, *uv = prim->texcoords[set];
    for (uint32_t i = 0; i + 2 < prim->index_count; i += 3) {
        uint32_t v[3] = {prim->indices[i], prim->indices[i + 1], prim->indices[i + 2]};
        float e1[3], e2[3];
        for (int k = 0; k < 3; k++) {
            e1[k] = p[3 * v[1] + k] - p[3 * v[0] + k];
            e2[k] = p[3 * v[2] + k] - p[3 * v[0] + k];
        }
        float du1 = uv[2 * v[1]] - uv[2 * v[0]], dv1 = uv[2 * v[1] + 1] - uv[2 * v[0] + 1];
        float du2 = uv[2 * v[2]] - uv[2 * v[0]], dv2 = uv[2 * v[2] + 1] - uv[2 * v[0] + 1];
        float det = du1 * dv2 - du2 * dv1;
        float r = fabsf(det) > 1e-20f ? 1.0f / det : 0.0f;
        for (int c = 0; c < 3; c++)
            for (int k = 0; k < 3; k++) {
                t[4 * v[c] + k] += (e1[k] * dv2 - e2[k] * dv1) * r;
                b[3 * v[c] + k] += (e2[k] * du1 - e1[k] * du2) * r;
            }
    }
    for (size_t i = 0; i < n; i++) {
        const float *nm = prim->normals + 3 * i;
        float *ti = t + 4 * i, d = nm[0] * ti[0] + nm[1] * ti[1] + nm[2] * ti[2];
        for (int k = 0; k < 3; k++)
            ti[k] -= nm[k] * d; /* Gram-Schmidt */
        float len = sqrtf(ti[0] * ti[0] + ti[1] * ti[1] + ti[2] * ti[2]);
        if (len < 1e-12f) { /* no UV gradient: any vector across the normal */
            float ax[3] = {fabsf(nm[0]) < 0.9f ? 1.0f : 0.0f, fabsf(nm[0]) < 0.9f ? 0.0f : 1.0f, 0};
            d = nm[0] * ax[0] + nm[1] * ax[1];
            for (int k = 0; k < 3; k++)
                ti[k] = ax[k] - nm[k] * d;
            len = sqrtf(ti[0] * ti[0] + ti[1] * ti[1] + ti[2] * ti[2]);
        }
        for (int k = 0; k < 3; k++)
            ti[k] /= len;
        const float *bi = b + 3 * i;
        float cx = nm[1] * ti[2] - nm[2] * ti[1], cy = nm[2] * ti[0] - nm[0] * ti[2],
              cz = nm[0] * ti[1] - nm[1] * ti[0];
        /* glTF's bitangent points to decreasing v (its UV origin is the image's top left,
           MikkTSpace's the bottom left), so w is +1 where cross(N, T) opposes dP/dv */
        ti[3] = cx * bi[0] + cy * bi[1] + cz * bi[2] > 0 ? -1.0f : 1.0f;
    }
    return t;
}
