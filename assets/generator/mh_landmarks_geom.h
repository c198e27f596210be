/* mh_landmarks_geom.h - the modelling primitives the procedural landmarks
 * are made of, beyond the hall's boxes and cylinders: surfaces of
 * revolution, lofted (extruded, tapered, twisted) outlines, tubes between
 * two points and pagoda roofs with upturned eaves. Each appends triangles
 * with one material (mh_surface: colour, metallic, roughness, glow) to a
 * mesh, placed by xf. Offline only (mh_assetgen): they allocate. */
#ifndef MH_LANDMARKS_GEOM_H
#define MH_LANDMARKS_GEOM_H

#include "scene/mh_mesh.h"

/* One level of a loft: the outline scaled by (sx, sz), turned by twist
 * (radians about +Y), moved by (ox, oz) and lifted to y. */
typedef struct mh_lm_level {
    float y, sx, sz, twist, ox, oz;
} mh_lm_level;

/* A regular polygon of n corners on a circle of radius r, the first at
 * angle phase (radians; x = r cos a, z = r sin a, a increasing): the
 * outline convention of mh_lm_loft. Returns n. */
int mh_lm_polygon(mh_vec2 *out, int n, float r, float phase);

/* The outline (n points, x/z, star-shaped about its centroid, in the
 * mh_lm_polygon order) swept through `levels` levels, bottom to top, capped
 * at both ends when caps. smooth: shared vertex normals (round surfaces);
 * else every face flat. */
void mh_lm_loft(mh_mesh_data *m, mh_mat4 xf, const mh_vec2 *outline, int n, const mh_lm_level *lv, int levels,
                bool smooth, bool caps, mh_surface s);

/* A surface of revolution about +Y: profile points (x = radius, y = height)
 * from bottom to top (the surface faces away from the axis; listed top to
 * bottom it faces it), `seg` segments round. Radius 0 closes a pole; other
 * ends are capped flat when caps, else left open (a bowl). */
void mh_lm_lathe(mh_mesh_data *m, mh_mat4 xf, const mh_vec2 *profile, int n, int seg, bool caps, mh_surface s);

/* A round tube of radius r from a to b (in xf's space), capped. */
void mh_lm_tube(mh_mesh_data *m, mh_mat4 xf, mh_vec3 a, mh_vec3 b, float r, int seg, mh_surface s);

/* The same without its end caps, for a tube whose ends are never seen: they
 * meet the next segment of a chain, or lie inside a solid (a hub, a rim, a
 * plinth). A thin tube's caps are half its triangles. */
void mh_lm_tube_open(mh_mesh_data *m, mh_mat4 xf, mh_vec3 a, mh_vec3 b, float r, int seg, mh_surface s);

/* A hipped roof over a regular polygon of `sides` (first corner at angle
 * phase): eaves at radius r (to the corners) on y = 0, rising over height h
 * to a top of radius r * top, its slope sagging (concave) and its corners
 * turned up by `upturn` metres, as Chinese eaves are. Underside included. */
void mh_lm_roof(mh_mesh_data *m, mh_mat4 xf, int sides, float phase, float r, float top, float h, float upturn,
                mh_surface s);

/* A flat band in the XY plane between two edges a[i] and b[i] (n points
 * each, a on the left walking along it), extruded `depth` about z = 0:
 * arches, crescents and other 2D outlines that are not star-shaped. */
void mh_lm_band(mh_mesh_data *m, mh_mat4 xf, const mh_vec2 *a, const mh_vec2 *b, int n, float depth, mh_surface s);

/* A box (sx, sy, sz) whose base centre is at p, turned by yaw (radians). */
void mh_lm_box(mh_mesh_data *m, mh_mat4 xf, mh_vec3 p, mh_vec3 size, float yaw, mh_surface s);

#endif
