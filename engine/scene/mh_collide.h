/* mh_collide.h - keeping a walking visitor out of walls, booths and the stage.
 *
 * The visitor is a circle on the floor plane (x, z). Obstacles are oriented
 * rectangles (walls, booths) and circles (columns, the stage), all as seen
 * from above; the walkable area is a rectangle. Moves are swept in small
 * steps so a fast move cannot tunnel through a thin wall, and the visitor
 * slides along what it touches instead of sticking. */
#ifndef MH_COLLIDE_H
#define MH_COLLIDE_H

#include <stdbool.h>

#include "../core/mh_arena.h"
#include "../core/mh_math.h"

typedef struct mh_collide_box {
    mh_vec2 center;
    mh_vec2 half; /* half extents along the box's own axes */
    float yaw;    /* radians; box x axis = (cos yaw, -sin yaw) in (x, z) */
} mh_collide_box;

typedef struct mh_collide_circle {
    mh_vec2 center;
    float radius;
} mh_collide_circle;

typedef struct mh_collide_world {
    mh_collide_box *boxes;
    int box_count, box_cap;
    mh_collide_circle *circles;
    int circle_count, circle_cap;
    mh_vec2 bounds_min, bounds_max; /* walkable rectangle */
} mh_collide_world;

/* Storage comes from the arena: capacity is fixed at init. */
bool mh_collide_init(mh_collide_world *w, mh_arena *arena, int max_boxes, int max_circles);
bool mh_collide_add_box(mh_collide_world *w, mh_vec2 center, mh_vec2 half, float yaw);
bool mh_collide_add_circle(mh_collide_world *w, mh_vec2 center, float radius);

/* True when a circle at p with radius r overlaps an obstacle or leaves bounds. */
bool mh_collide_blocked(const mh_collide_world *w, mh_vec2 p, float r);

/* Moves a circle of radius r from `from` by `delta`, sliding along obstacles.
 * Returns the position reached. */
mh_vec2 mh_collide_move(const mh_collide_world *w, mh_vec2 from, mh_vec2 delta, float r);

#endif
