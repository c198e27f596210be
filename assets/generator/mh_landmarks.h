/* mh_landmarks.h - the procedural park landmarks mh_assetgen writes as .glb. */
#ifndef MH_LANDMARKS_H
#define MH_LANDMARKS_H

#include "scene/mh_mesh.h"

typedef struct mh_landmark {
    const char *id; /* exhibit id: assets/exhibits/<id>/landmark.glb */
    void (*build)(mh_mesh_data *m);
} mh_landmark;

extern const mh_landmark MH_LANDMARKS[]; /* ends with {NULL, NULL} */

#endif
