/* mh_export.h - writing built meshes out as glTF 2.0 binaries (.glb), so the
 * landmarks and halls metahall makes open in Blender and other tools. */
#ifndef MH_EXPORT_H
#define MH_EXPORT_H

#include <stdbool.h>

#include "../core/mh_error.h"
#include "mh_mesh.h"

/* Writes m as one mesh with two primitives: lit (metallic-roughness) and,
 * for vertices glowing at 50% or more, unlit (KHR_materials_unlit). Vertex
 * colours go out as linear COLOR_0. `generator` names the tool in asset. */
bool mh_export_glb(const char *path, const mh_mesh_data *m, const char *generator, mh_error *err);

#endif
