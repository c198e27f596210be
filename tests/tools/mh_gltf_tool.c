/* mh_gltf_tool.c - what the compressed-mesh test (tests/gltf_compressed.sh)
 * needs around the loader:
 *
 *   mh_gltf_tool info FILE            one line of key=value: what the kiosk loads
 *   mh_gltf_tool ply FILE OUT.ply     the first primitive as an ASCII PLY (for draco_encoder)
 *   mh_gltf_tool draco OUT.drc DIR    a .gltf in DIR whose one primitive is that Draco mesh
 *                                     (KHR_draco_mesh_compression, POSITION id 0, NORMAL id 1)
 *
 * Exit 0 on success, 1 when the file does not load, 2 on usage errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asset/mh_draco.h"
#include "asset/mh_gltf.h"
#include "core/mh_fs.h"

static int info(const char *path)
{
    mh_arena a = {0};
    mh_gltf_model m;
    mh_gltf_report r;
    if (!mh_gltf_load(path, NULL, &a, &m, &r)) {
        fprintf(stderr, "%s: %s: %s\n", path, r.count ? r.issues[0].pointer : "", r.count ? r.issues[0].message : "");
        return 1;
    }
    int images = 0, targets = 0;
    for (int i = 0; i < m.image_count; i++)
        images += m.images[i].rgba != NULL;
    for (int i = 0; i < m.prim_count; i++)
        targets = m.prims[i].target_count > targets ? m.prims[i].target_count : targets;
    printf("triangles=%u draws=%d materials=%d images=%d animations=%d targets=%d min=%.4f,%.4f,%.4f "
           "max=%.4f,%.4f,%.4f\n",
           m.triangle_count, m.draw_count, m.material_count, images, m.animation_count, targets, m.bounds.min.x,
           m.bounds.min.y, m.bounds.min.z, m.bounds.max.x, m.bounds.max.y, m.bounds.max.z);
    mh_arena_free(&a);
    return 0;
}

static int ply(const char *path, const char *out)
{
    mh_arena a = {0};
    mh_gltf_model m;
    mh_gltf_report r;
    if (!mh_gltf_load(path, NULL, &a, &m, &r) || m.prim_count == 0 || !m.prims[0].normals)
        return 1;
    const mh_gltf_prim *p = &m.prims[0];
    FILE *f = fopen(out, "w");
    if (!f)
        return 1;
    fprintf(f,
            "ply\nformat ascii 1.0\nelement vertex %u\nproperty float x\nproperty float y\nproperty float z\n"
            "property float nx\nproperty float ny\nproperty float nz\nelement face %u\n"
            "property list uchar int vertex_indices\nend_header\n",
            p->vertex_count, p->index_count / 3);
    for (uint32_t v = 0; v < p->vertex_count; v++)
        fprintf(f, "%.7g %.7g %.7g %.7g %.7g %.7g\n", p->positions[3 * v], p->positions[3 * v + 1],
                p->positions[3 * v + 2], p->normals[3 * v], p->normals[3 * v + 1], p->normals[3 * v + 2]);
    for (uint32_t t = 0; t < p->index_count; t += 3)
        fprintf(f, "3 %u %u %u\n", p->indices[t], p->indices[t + 1], p->indices[t + 2]);
    fclose(f);
    printf("triangles=%u min=%.4f,%.4f,%.4f max=%.4f,%.4f,%.4f\n", p->index_count / 3, p->bounds.min.x, p->bounds.min.y,
           p->bounds.min.z, p->bounds.max.x, p->bounds.max.y, p->bounds.max.z);
    mh_arena_free(&a);
    return 0;
}

/* The glTF around a .drc: counts and position bounds from the Draco data. */
static int draco(const char *drc, const char *dir)
{
    char *data;
    size_t size;
    mh_error err;
    char msg[128];
    if (!mh_fs_read_file(drc, 1u << 28, &data, &size, &err))
        return 1;
    mh_draco_mesh *dm = mh_draco_decode(data, size, msg, sizeof msg);
    free(data);
    if (!dm || mh_draco_attribute_comps(dm, 0) != 3 || mh_draco_attribute_comps(dm, 1) != 3) {
        fprintf(stderr, "%s: %s\n", drc, dm ? "expected POSITION id 0 and NORMAL id 1" : msg);
        mh_draco_free(dm);
        return 1;
    }
    uint32_t n = mh_draco_point_count(dm), faces = mh_draco_face_count(dm);
    float *pos = malloc(sizeof(float) * 3 * n), lo[3] = {1e30f, 1e30f, 1e30f}, hi[3] = {-1e30f, -1e30f, -1e30f};
    mh_draco_attribute(dm, 0, 5126, 3, pos);
    for (uint32_t i = 0; i < n; i++)
        for (int k = 0; k < 3; k++) {
            lo[k] = pos[3 * i + k] < lo[k] ? pos[3 * i + k] : lo[k];
            hi[k] = pos[3 * i + k] > hi[k] ? pos[3 * i + k] : hi[k];
        }
    free(pos);
    mh_draco_free(dm);
    const char *name = strrchr(drc, '/') ? strrchr(drc, '/') + 1 : drc;
    char out[1024];
    snprintf(out, sizeof out, "%s/draco.gltf", dir);
    FILE *f = fopen(out, "w");
    if (!f)
        return 1;
    fprintf(f,
            "{\"asset\":{\"version\":\"2.0\"},\"extensionsUsed\":[\"KHR_draco_mesh_compression\"],"
            "\"extensionsRequired\":[\"KHR_draco_mesh_compression\"],"
            "\"buffers\":[{\"byteLength\":%zu,\"uri\":\"%s\"}],\"bufferViews\":[{\"buffer\":0,\"byteLength\":%zu}],"
            "\"accessors\":[{\"componentType\":5126,\"count\":%u,\"type\":\"VEC3\",\"min\":[%.9g,%.9g,%.9g],"
            "\"max\":[%.9g,%.9g,%.9g]},{\"componentType\":5126,\"count\":%u,\"type\":\"VEC3\"},"
            "{\"componentType\":5125,\"count\":%u,\"type\":\"SCALAR\"}],"
            "\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":0,\"NORMAL\":1},\"indices\":2,"
            "\"extensions\":{\"KHR_draco_mesh_compression\":{\"bufferView\":0,\"attributes\":{\"POSITION\":0,"
            "\"NORMAL\":1}}}}]}],\"nodes\":[{\"mesh\":0}],\"scenes\":[{\"nodes\":[0]}],\"scene\":0}\n",
            size, name, size, n, lo[0], lo[1], lo[2], hi[0], hi[1], hi[2], n, faces * 3);
    fclose(f);
    printf("points=%u triangles=%u\n", n, faces);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "info"))
        return info(argv[2]);
    if (argc == 4 && !strcmp(argv[1], "ply"))
        return ply(argv[2], argv[3]);
    if (argc == 4 && !strcmp(argv[1], "draco"))
        return draco(argv[2], argv[3]);
    fprintf(stderr, "usage: mh_gltf_tool info FILE | ply FILE OUT.ply | draco FILE.drc DIR\n");
    return 2;
}
