/* test_gltf.c - the glTF loader on small hand-made files: the values it
 * decodes (strided, normalized, sparse, strips, node transforms, texture
 * transforms) and the errors it reports, by JSON pointer; plus a round trip
 * through the GLB writer. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "asset/mh_gltf.h"
#include "mh_test.h"
#include "scene/mh_export.h"

static char *b64(const void *data, size_t n)
{
    static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const uint8_t *d = data;
    char *o = malloc(n / 3 * 4 + 8), *p = o;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)d[i] << 16 | (i + 1 < n ? (uint32_t)d[i + 1] << 8 : 0) | (i + 2 < n ? d[i + 2] : 0);
        *p++ = t[v >> 18 & 63];
        *p++ = t[v >> 12 & 63];
        *p++ = i + 1 < n ? t[v >> 6 & 63] : '=';
        *p++ = i + 2 < n ? t[v & 63] : '=';
    }
    *p = '\0';
    return o;
}

/* Loads JSON text built with printf-style arguments. */
static bool load(mh_arena *a, mh_gltf_model *m, mh_gltf_report *r, const char *base_dir, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static bool load(mh_arena *a, mh_gltf_model *m, mh_gltf_report *r, const char *base_dir, const char *fmt, ...)
{
    char text[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return mh_gltf_load_memory(text, strlen(text), base_dir, NULL, a, m, r);
}

/* The same by the strict rule (metahall validate). */
static bool load_strict(mh_arena *a, mh_gltf_model *m, mh_gltf_report *r, const char *text)
{
    mh_gltf_desc d = {.strict = true};
    return mh_gltf_load_memory(text, strlen(text), NULL, &d, a, m, r);
}

static bool has_issue(const mh_gltf_report *r, bool error, const char *ptr, const char *text)
{
    for (int i = 0; i < r->count; i++)
        if (r->issues[i].error == error && !strcmp(r->issues[i].pointer, ptr) && strstr(r->issues[i].message, text))
            return true;
    for (int i = 0; i < r->count; i++)
        fprintf(stderr, "  issue: %s %s: %s\n", r->issues[i].error ? "error" : "warning", r->issues[i].pointer,
                r->issues[i].message);
    return false;
}

#define HEAD "{\"asset\":{\"version\":\"2.0\"},"

static void test_triangle_and_strides(void)
{
    mh_arena a = {0};
    mh_gltf_model m;
    mh_gltf_report r;
    /* interleaved: position (12 bytes) + normal (12 bytes), stride 24; then 3 ushort indices */
    struct {
        float p[3], n[3];
    } v[3] = {{{0, 0, 0}, {0, 0, 1}}, {{1, 0, 0}, {0, 0, 1}}, {{0, 2, 0}, {0, 0, 1}}};
    uint8_t buf[72 + 8];
    memcpy(buf, v, 72);
    uint16_t idx[4] = {0, 1, 2, 0};
    memcpy(buf + 72, idx, 8);
    char *data = b64(buf, sizeof buf);
    bool ok = load(&a, &m, &r, NULL,
                   HEAD "\"buffers\":[{\"byteLength\":80,\"uri\":\"data:application/octet-stream;base64,%s\"}],"
                        "\"bufferViews\":[{\"buffer\":0,\"byteLength\":72,\"byteStride\":24},{\"buffer\":0,"
                        "\"byteOffset\":72,\"byteLength\":6}],"
                        "\"accessors\":[{\"bufferView\":0,\"componentType\":5126,\"count\":3,\"type\":\"VEC3\"},"
                        "{\"bufferView\":0,\"byteOffset\":12,\"componentType\":5126,\"count\":3,\"type\":\"VEC3\"},"
                        "{\"bufferView\":1,\"componentType\":5123,\"count\":3,\"type\":\"SCALAR\"}],"
                        "\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":0,\"NORMAL\":1},\"indices\":2}]}],"
                        "\"nodes\":[{\"mesh\":0,\"translation\":[10,0,0]}],\"scenes\":[{\"nodes\":[0]}],\"scene\":0}",
                   data);
    CHECK(ok);
    CHECK(m.prim_count == 1 && m.draw_count == 1 && m.triangle_count == 1);
    CHECK(m.prims[0].vertex_count == 3 && m.prims[0].index_count == 3);
    CHECK_NEAR(m.prims[0].positions[7], 2, 1e-6); /* vertex 2, y */
    CHECK_NEAR(m.prims[0].normals[5], 1, 1e-6);   /* vertex 1, normal z (read through the stride) */
    CHECK(m.prims[0].indices[1] == 1 && m.prims[0].indices[2] == 2);
    CHECK_NEAR(m.bounds.min.x, 10, 1e-6); /* the node's translation */
    CHECK_NEAR(m.bounds.max.x, 11, 1e-6);
    CHECK_NEAR(m.bounds.max.y, 2, 1e-6);
    /* the same accessor 16 bytes further on no longer fits: reported at /accessors/0 */
    ok = load(&a, &m, &r, NULL,
              HEAD "\"buffers\":[{\"byteLength\":80,\"uri\":\"data:application/octet-stream;base64,%s\"}],"
                   "\"bufferViews\":[{\"buffer\":0,\"byteLength\":72,\"byteStride\":24}],"
                   "\"accessors\":[{\"bufferView\":0,\"byteOffset\":16,\"componentType\":5126,\"count\":3,\"type\":"
                   "\"VEC3\"}]}",
              data);
    CHECK(!ok);
    CHECK(has_issue(&r, true, "/accessors/0/byteOffset", "do not fit in bufferView 0")); /* where Khronos puts it */
    /* an index past the last vertex */
    idx[1] = 7;
    memcpy(buf + 72, idx, 8);
    free(data);
    data = b64(buf, sizeof buf);
    ok = load(&a, &m, &r, NULL,
              HEAD "\"buffers\":[{\"byteLength\":80,\"uri\":\"data:application/octet-stream;base64,%s\"}],"
                   "\"bufferViews\":[{\"buffer\":0,\"byteLength\":72,\"byteStride\":24},{\"buffer\":0,\"byteOffset\":"
                   "72,\"byteLength\":6}],"
                   "\"accessors\":[{\"bufferView\":0,\"componentType\":5126,\"count\":3,\"type\":\"VEC3\"},"
                   "{\"bufferView\":1,\"componentType\":5123,\"count\":3,\"type\":\"SCALAR\"}],"
                   "\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":0},\"indices\":1}]}]}",
              data);
    CHECK(!ok);
    CHECK(has_issue(&r, true, "/meshes/0/primitives/0/indices", "index 7 at position 1 is out of range"));
    free(data);
    mh_arena_free(&a);
}

static void test_sparse_strip_and_normalized(void)
{
    mh_arena a = {0};
    mh_gltf_model m;
    mh_gltf_report r;
    /* sparse: 4 zero positions, vertex 3 set to (1,1,0) and vertex 1 to (1,0,0); uvs as normalized ubytes */
    uint8_t buf[64] = {0};
    uint16_t si[2] = {1, 3};
    float sv[6] = {1, 0, 0, 1, 1, 0};
    memcpy(buf, si, 4);
    memcpy(buf + 4, sv, 24);
    uint8_t uv[8] = {0, 0, 255, 0, 0, 255, 255, 255};
    memcpy(buf + 28, uv, 8);
    char *data = b64(buf, 36);
    bool ok =
        load(&a, &m, &r, NULL,
             HEAD "\"buffers\":[{\"byteLength\":36,\"uri\":\"data:application/octet-stream;base64,%s\"}],"
                  "\"bufferViews\":[{\"buffer\":0,\"byteLength\":4},{\"buffer\":0,\"byteOffset\":4,\"byteLength\":24},"
                  "{\"buffer\":0,\"byteOffset\":28,\"byteLength\":8}],"
                  "\"accessors\":[{\"componentType\":5126,\"count\":4,\"type\":\"VEC3\",\"sparse\":{\"count\":2,"
                  "\"indices\":{\"bufferView\":0,\"componentType\":5123},\"values\":{\"bufferView\":1}}},"
                  "{\"bufferView\":2,\"componentType\":5121,\"normalized\":true,\"count\":4,\"type\":\"VEC2\"}],"
                  "\"images\":[],\"textures\":[],\"materials\":[{}],"
                  "\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":0,\"TEXCOORD_0\":1},\"mode\":5,"
                  "\"material\":0}]}],"
                  "\"nodes\":[{\"mesh\":0}]}",
             data);
    CHECK(ok);
    const mh_gltf_prim *p = &m.prims[0];
    CHECK_NEAR(p->positions[3], 1, 1e-6); /* vertex 1 from sparse */
    CHECK_NEAR(p->positions[9], 1, 1e-6); /* vertex 3 */
    CHECK_NEAR(p->positions[10], 1, 1e-6);
    CHECK_NEAR(p->positions[6], 0, 1e-6); /* vertex 2 stays zero */
    /* a strip of 4 is 2 triangles, the second with its winding flipped */
    CHECK(p->index_count == 6);
    CHECK(p->indices[0] == 0 && p->indices[1] == 1 && p->indices[2] == 2);
    CHECK(p->indices[3] == 2 && p->indices[4] == 1 && p->indices[5] == 3);
    /* sparse indices must increase */
    si[0] = 3;
    si[1] = 1;
    memcpy(buf, si, 4);
    free(data);
    data = b64(buf, 36);
    ok =
        load(&a, &m, &r, NULL,
             HEAD "\"buffers\":[{\"byteLength\":36,\"uri\":\"data:application/octet-stream;base64,%s\"}],"
                  "\"bufferViews\":[{\"buffer\":0,\"byteLength\":4},{\"buffer\":0,\"byteOffset\":4,\"byteLength\":24}],"
                  "\"accessors\":[{\"componentType\":5126,\"count\":4,\"type\":\"VEC3\",\"sparse\":{\"count\":2,"
                  "\"indices\":{\"bufferView\":0,\"componentType\":5123},\"values\":{\"bufferView\":1}}}]}",
             data);
    CHECK(!ok);
    CHECK(has_issue(&r, true, "/accessors/0/sparse/indices", "out of order"));
    free(data);
    mh_arena_free(&a);
}

static void test_structure_errors(void)
{
    mh_arena a = {0};
    mh_gltf_model m;
    mh_gltf_report r;
    CHECK(!load(&a, &m, &r, NULL, HEAD "\"nodes\":[{\"children\":[1]},{\"children\":[0]}]}"));
    CHECK(has_issue(&r, true, "/nodes/0", "the node hierarchy has a loop"));
    CHECK(!load(&a, &m, &r, NULL, HEAD "\"extensionsRequired\":[\"KHR_texture_basisu\"]}"));
    CHECK(has_issue(&r, true, "/extensionsRequired",
                    "KHR_texture_basisu (KTX2 textures) is not supported: re-export "
                    "with PNG or JPEG textures (gltfpack without -tc"));
    CHECK(!load(&a, &m, &r, NULL, HEAD "\"extensionsRequired\":[\"EXT_mesh_gpu_instancing\"]}"));
    CHECK(has_issue(&r, true, "/extensionsRequired", "EXT_mesh_gpu_instancing is not supported"));
    CHECK(load(&a, &m, &r, NULL, HEAD "\"extensionsUsed\":[\"KHR_materials_clearcoat\"]}"));
    CHECK(has_issue(&r, false, "/extensionsUsed/0",
                    "KHR_materials_clearcoat is not supported; the model loads without it"));
    CHECK(!load(&a, &m, &r, "/tmp", HEAD "\"buffers\":[{\"byteLength\":4,\"uri\":\"../../etc/passwd\"}]}"));
    CHECK(has_issue(&r, true, "/buffers/0/uri", "leaves the model's folder"));
    /* a URL is never fetched: harmless while nothing needs the buffer (as the Khronos validator sees it) */
    CHECK(load(&a, &m, &r, "/tmp", HEAD "\"buffers\":[{\"byteLength\":4,\"uri\":\"http://example.com/x.bin\"}]}"));
    CHECK(has_issue(&r, false, "/buffers/0/uri", "only files beside the model are read"));
    CHECK(!load(&a, &m, &r, "/tmp",
                HEAD "\"buffers\":[{\"byteLength\":12,\"uri\":\"http://example.com/x.bin\"}],"
                     "\"bufferViews\":[{\"buffer\":0,\"byteLength\":12}],"
                     "\"accessors\":[{\"bufferView\":0,\"componentType\":5126,\"count\":1,\"type\":\"VEC3\"}],"
                     "\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":0}}]}]}"));
    CHECK(has_issue(&r, true, "/meshes/0/primitives/0/attributes/POSITION", "its buffer has no data"));
    CHECK(!load(&a, &m, &r, NULL, "{\"asset\":{\"version\":\"1.0\"}}"));
    CHECK(has_issue(&r, true, "/asset/version", "glTF 1.x is not supported"));
    CHECK(!load(&a, &m, &r, NULL, HEAD "\"buffers\":[{\"byteLength\":99999999999}]}"));
    CHECK(has_issue(&r, true, "/buffers/0/byteLength", "out of range"));
    /* glTF allows a view up to 2^32-1 bytes; past 2^31 it was cast to an int (UBSan, CI fuzzing at stop 30) */
    CHECK(!load(&a, &m, &r, NULL,
                HEAD "\"buffers\":[{\"byteLength\":4}],\"bufferViews\":[{\"buffer\":0,\"byteLength\":2684354523}]}"));
    CHECK(has_issue(&r, true, "/bufferViews/0/byteLength", "larger than this loader handles"));
    CHECK(!load(&a, &m, &r, NULL, "{\"asset\":"));
    CHECK(has_issue(&r, true, "", "invalid JSON"));
    /* GLB: a header that promises more than the file holds */
    uint8_t glb[20] = {'g', 'l', 'T', 'F', 2, 0, 0, 0, 200, 0, 0, 0, 0, 0, 0, 0, 'J', 'S', 'O', 'N'};
    CHECK(!mh_gltf_load_memory(glb, sizeof glb, NULL, NULL, &a, &m, &r));
    CHECK(has_issue(&r, true, "", "GLB header says 200 bytes"));
    mh_arena_free(&a);
}

/* The node graph is checked before it is walked (issue 15: duplicate scene
 * roots made the walker push a subtree once per duplicate, past its stack). */
static void test_node_graph(void)
{
    mh_arena a = {0};
    mh_gltf_model m;
    mh_gltf_report r;
    CHECK(!load(&a, &m, &r, NULL,
                HEAD "\"nodes\":[{}],\"scenes\":[{\"nodes\":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]}],\"scene\":0}"));
    CHECK(has_issue(&r, true, "/scenes/0/nodes/1", "duplicate element: node 0"));
    /* in a scene nobody uses, too */
    CHECK(!load(&a, &m, &r, NULL, HEAD "\"nodes\":[{}],\"scenes\":[{\"nodes\":[0]},{\"nodes\":[0,0]}],\"scene\":0}"));
    CHECK(has_issue(&r, true, "/scenes/1/nodes/1", "duplicate element"));
    CHECK(!load(&a, &m, &r, NULL, HEAD "\"nodes\":[{\"children\":[1,1]},{}]}"));
    CHECK(has_issue(&r, true, "/nodes/0/children/1", "duplicate element: node 1"));
    CHECK(!load(&a, &m, &r, NULL, HEAD "\"nodes\":[{\"children\":[2]},{\"children\":[2]},{}]}"));
    CHECK(has_issue(&r, true, "/nodes/1/children", "node 2 already has a parent, node 0"));
    /* a scene listing a child: the Khronos validator's error (strict), drawn once under its parent (kiosk) */
    const char *child_root = HEAD "\"nodes\":[{\"children\":[1]},{}],\"scenes\":[{\"nodes\":[0,1]}]}";
    CHECK(!load_strict(&a, &m, &r, child_root));
    CHECK(has_issue(&r, true, "/scenes/0/nodes/1", "node 1 is a child of node 0, not a root node"));
    CHECK(load(&a, &m, &r, NULL, "%s", child_root));
    CHECK(has_issue(&r, false, "/scenes/0/nodes/1", "it is drawn once"));
    CHECK(m.root_count == 1 && m.order_count == 2 && m.roots[0] == 0);
    /* a listed child whose parent the scene leaves out is a root of its own (as three.js and Bevy draw it) */
    CHECK(load(&a, &m, &r, NULL,
               HEAD "\"nodes\":[{\"children\":[1],\"translation\":[5,0,0]},"
                    "{\"translation\":[0,1,0]}],\"scenes\":[{\"nodes\":[1]}]}"));
    CHECK(m.root_count == 1 && m.roots[0] == 1 && m.order_count == 1 && m.nodes[1].parent == -1);
    CHECK_NEAR(m.nodes[1].world.m[12], 0, 1e-6); /* its own transform only */
    CHECK_NEAR(m.nodes[1].world.m[13], 1, 1e-6);
    CHECK(!load(&a, &m, &r, NULL, HEAD "\"nodes\":[{},{\"children\":[2]},{\"children\":[3]},{\"children\":[1]}]}"));
    CHECK(has_issue(&r, true, "/nodes/1", "loop"));
    CHECK(!load(&a, &m, &r, NULL, HEAD "\"nodes\":[{\"children\":[0]}]}"));
    CHECK(has_issue(&r, true, "/nodes/0/children", "its own child"));
    CHECK(!load(&a, &m, &r, NULL, HEAD "\"nodes\":[{}],\"scene\":0}"));
    CHECK(has_issue(&r, true, "/scene", "unresolved reference: scene 0"));
    CHECK(!load(&a, &m, &r, NULL, HEAD "\"nodes\":[{}],\"scenes\":[{\"nodes\":[1]}]}"));
    CHECK(has_issue(&r, true, "/scenes/0/nodes/0", "unresolved reference: node 1"));
    /* a long chain is fine, and checked in linear time */
    static char text[32768];
    int n = snprintf(text, sizeof text, HEAD "\"nodes\":[");
    for (int i = 0; i < 600; i++)
        n += snprintf(text + n, sizeof text - (size_t)n, i < 599 ? "{\"children\":[%d]}," : "{}", i + 1);
    snprintf(text + n, sizeof text - (size_t)n, "],\"scenes\":[{\"nodes\":[0]}]}");
    CHECK(mh_gltf_load_memory(text, strlen(text), NULL, NULL, &a, &m, &r));
    mh_arena_free(&a);
}

static void test_export_round_trip(void)
{
    mh_mesh_data mesh = {0};
    mh_mesh_add_box(&mesh, mh_m4_translate(mh_v3(0, 0, 0)), mh_v3(2, 1, 2),
                    (mh_surface){.color = mh_v3(0.5f, 0.2f, 0.1f)});
    mh_mesh_add_box(&mesh, mh_m4_translate(mh_v3(0, 1, 0)), mh_v3(1, 1, 1),
                    (mh_surface){.color = mh_v3(0, 0.4f, 1), .emissive = 1});
    char path[128];
    snprintf(path, sizeof path, "/tmp/mh_test_export_%d.glb", (int)getpid());
    mh_error err;
    CHECK(mh_export_glb(path, &mesh, "test", &err));
    mh_arena a = {0};
    mh_gltf_model m;
    mh_gltf_report r;
    CHECK(mh_gltf_load(path, NULL, &a, &m, &r));
    CHECK(r.errors == 0 && r.warnings == 0);
    CHECK(m.prim_count == 2 && m.triangle_count == 24);
    CHECK(m.material_count == 2 && !m.materials[0].unlit && m.materials[1].unlit);
    CHECK_NEAR(m.bounds.max.y, 2, 1e-5);
    CHECK_NEAR(m.bounds.min.x, -1, 1e-5);
    /* colours come back linear, within 8-bit sRGB rounding */
    CHECK_NEAR(m.prims[0].colors[0], 0.5, 0.01);
    CHECK_NEAR(m.prims[1].colors[2], 1.0, 0.01);
    remove(path);
    mh_arena_free(&a);
    mh_mesh_free(&mesh);
}

/* The renderer's rule for unlit triangles is the exporter's: a box glowing
 * at 0.6 is drawn unlit and exported unlit, one at 0.4 neither. */
static void test_export_unlit_rule(void)
{
    mh_mesh_data mesh = {0};
    mh_mesh_add_box(&mesh, mh_m4_identity(), mh_v3(1, 1, 1), (mh_surface){.color = mh_v3(1, 0, 0), .emissive = 0.4f});
    uint32_t lit_end = mesh.index_count;
    mh_mesh_add_box(&mesh, mh_m4_translate(mh_v3(0, 2, 0)), mh_v3(1, 1, 1),
                    (mh_surface){.color = mh_v3(0, 1, 0), .emissive = 0.6f});
    int unlit = 0;
    for (uint32_t t = 0; t < mesh.index_count; t += 3) {
        CHECK(mh_mesh_triangle_unlit(&mesh, t) == (t >= lit_end));
        unlit += mh_mesh_triangle_unlit(&mesh, t);
    }
    CHECK(unlit == 12);
    char path[128];
    snprintf(path, sizeof path, "/tmp/mh_test_export_unlit_%d.glb", (int)getpid());
    mh_error err;
    CHECK(mh_export_glb(path, &mesh, "test", &err));
    mh_arena a = {0};
    mh_gltf_model m;
    mh_gltf_report r;
    CHECK(mh_gltf_load(path, NULL, &a, &m, &r));
    CHECK(m.prim_count == 2 && m.material_count == 2);
    for (int i = 0; i < m.prim_count && i < 2; i++) /* the green (glowing) box is the unlit one */
        CHECK(m.materials[m.prims[i].material].unlit == (m.prims[i].colors[1] > 0.5f));
    remove(path);
    mh_arena_free(&a);
    mh_mesh_free(&mesh);
}

int main(void)
{
    test_triangle_and_strides();
    test_sparse_strip_and_normalized();
    test_structure_errors();
    test_node_graph();
    test_export_round_trip();
    test_export_unlit_rule();
    return mh_test_done("test_gltf");
}
