/* mh_nav.h - walking through the hall: the visitor's eye and how input moves it.
 *
 * The visitor stands on the floor with the eye 1.6 m up, turns (yaw) and
 * looks up and down (pitch, limited to +-75 degrees). Speed eases in and out
 * and is capped (walking 1.4 m/s, hurrying 2.5 m/s), so nobody gets dizzy at
 * a kiosk. Collision keeps the visitor out of walls, booths and the stage. */
#ifndef MH_NAV_H
#define MH_NAV_H

#include "../core/mh_math.h"
#include "mh_collide.h"

#define MH_EYE_HEIGHT 1.6f
#define MH_VISITOR_RADIUS 0.3f
#define MH_WALK_SPEED 1.4f
#define MH_FAST_SPEED 2.5f
#define MH_TURN_RATE 1.75f    /* radians per second at full stick deflection */
#define MH_PITCH_LIMIT 1.309f /* 75 degrees */

/* What the visitor asks for this frame, already merged from all devices. */
typedef struct mh_nav_input {
    float forward, right;         /* -1..1 each: keys, left stick, touch drag */
    float turn, tilt;             /* -1..1 rates: right stick (turn right, look up) */
    float yaw_delta, pitch_delta; /* radians: mouse or touch look, applied as is */
    bool fast;
} mh_nav_input;

typedef struct mh_nav {
    mh_vec2 pos;      /* x, z on the floor */
    float yaw, pitch; /* yaw 0 looks toward -Z; positive yaw turns left */
    mh_vec2 vel;      /* current floor velocity, m/s */
} mh_nav;

void mh_nav_place(mh_nav *n, mh_vec2 pos, float yaw, float pitch);
void mh_nav_update(mh_nav *n, const mh_nav_input *in, float dt, const mh_collide_world *world);
mh_vec3 mh_nav_eye(const mh_nav *n);
mh_vec3 mh_nav_forward(const mh_nav *n); /* unit view direction */
mh_mat4 mh_nav_view_matrix(const mh_nav *n);

#endif
