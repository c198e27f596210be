/* mh_draco.h - KHR_draco_mesh_compression's decoder, a C interface over
 * Debian's libdraco (C++), kept to this one small wrapper (mh_draco.cpp). */
#ifndef MH_DRACO_H
#define MH_DRACO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mh_draco_mesh mh_draco_mesh;

/* Decodes a Draco mesh (triangles); NULL with a sentence in err when the
 * data is not one. Free with mh_draco_free. */
mh_draco_mesh *mh_draco_decode(const void *data, size_t size, char *err, size_t err_size);
void mh_draco_free(mh_draco_mesh *m);
uint32_t mh_draco_point_count(const mh_draco_mesh *m);
uint32_t mh_draco_face_count(const mh_draco_mesh *m);
/* The triangle list, face_count * 3 point indices. */
void mh_draco_indices(const mh_draco_mesh *m, uint32_t *out);
/* Components of the attribute with this unique id, 0 when there is none. */
int mh_draco_attribute_comps(const mh_draco_mesh *m, uint32_t unique_id);
/* Every point's value of the attribute, `comps` components each, converted
 * to gl_type (5120 BYTE ... 5126 FLOAT; normalized integers as Draco
 * stores them), tightly packed. False when it cannot be converted. */
bool mh_draco_attribute(const mh_draco_mesh *m, uint32_t unique_id, int gl_type, int comps, void *out);

#ifdef __cplusplus
}
#endif

#endif
