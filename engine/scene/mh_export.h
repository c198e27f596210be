/* mh_export.h - writing built meshes out as glTF 2.0 binaries (.glb), so the
 * landmarks and halls metahall makes open in Blender and other tools. */
#ifndef MH_EXPORT_H
#define MH_EXPORT_H

#include <stdbool.h>

#include "../core/mh_error.h"
#include "mh_mesh.h"
#include "mh_scene.h"

/* Writes m as one mesh, a primitive per finish: lit (metallic-roughness) and,
 * for the triangles the renderer draws unlit (mh_mesh_triangle_unlit: glowing
 * at MH_GLOW_UNLIT or more), unlit (KHR_materials_unlit). Vertex
 * colours go out as linear COLOR_0. `generator` names the tool in asset.
 * The geometry is compressed with EXT_meshopt_compression (required). */
bool mh_export_glb(const char *path, const mh_mesh_data *m, const char *generator, mh_error *err);

/* Writes a built hall (and the stage's featured exhibit, may be NULL) as one
 * GLB: a node per part (the hall's architecture and signs, each booth, the
 * featured exhibit), one primitive per texture and lit/unlit, the textures as
 * embedded PNGs (signs are textured quads). The scenes' CPU copies must still
 * be there. The hall's lighting goes in the scene's extras
 * ("metahall_lighting": sky, ground, sun, sun_dir toward the sun, clear, all
 * linear) for viewers that want to light it as metahall does. */
bool mh_export_hall_glb(const char *path, const mh_hall_desc *h, const mh_scene *hall, const mh_scene *feature,
                        const char *generator, mh_error *err);

#endif
