/* mh_nav.c - turning input into a comfortable, collision-checked walk. */
#include "mh_nav.h"

#include <math.h>

#define ACCEL 4.0f /* m/s^2: reaches walking speed in about a third of a second */

void mh_nav_place(mh_nav *n, mh_vec2 pos, float yaw, float pitch)
{
    n->pos = pos;
    n->yaw = yaw;
    n->pitch = mh_clampf(pitch, -MH_PITCH_LIMIT, MH_PITCH_LIMIT);
    n->vel = (mh_vec2){0, 0};
}

void mh_nav_update(mh_nav *n, const mh_nav_input *in, float dt, const mh_collide_world *world)
{
    if (dt <= 0)
        return;
    if (dt > 0.1f)
        dt = 0.1f; /* a stalled frame must not fling the visitor */
    n->yaw += in->yaw_delta - mh_clampf(in->turn, -1, 1) * MH_TURN_RATE * dt;
    n->yaw = fmodf(n->yaw, 2 * MH_PI);
    n->pitch += in->pitch_delta + mh_clampf(in->tilt, -1, 1) * MH_TURN_RATE * 0.6f * dt;
    n->pitch = mh_clampf(n->pitch, -MH_PITCH_LIMIT, MH_PITCH_LIMIT);

    /* desired velocity on the floor, in world space */
    float f = mh_clampf(in->forward, -1, 1), r = mh_clampf(in->right, -1, 1);
    float mag = sqrtf(f * f + r * r);
    if (mag > 1) {
        f /= mag;
        r /= mag;
    }
    float speed = in->fast ? MH_FAST_SPEED : MH_WALK_SPEED;
    float sy = sinf(n->yaw), cy = cosf(n->yaw);
    mh_vec2 fwd = {-sy, -cy}, right = {cy, -sy};
    mh_vec2 want = {(fwd.x * f + right.x * r) * speed, (fwd.y * f + right.y * r) * speed};

    /* ease toward it with bounded acceleration */
    mh_vec2 dv = {want.x - n->vel.x, want.y - n->vel.y};
    float dvl = sqrtf(dv.x * dv.x + dv.y * dv.y), maxdv = ACCEL * dt;
    if (dvl > maxdv) {
        dv.x *= maxdv / dvl;
        dv.y *= maxdv / dvl;
    }
    n->vel.x += dv.x;
    n->vel.y += dv.y;

    mh_vec2 delta = {n->vel.x * dt, n->vel.y * dt};
    mh_vec2 to = world ? mh_collide_move(world, n->pos, delta, MH_VISITOR_RADIUS)
                       : (mh_vec2){n->pos.x + delta.x, n->pos.y + delta.y};
    /* lose the velocity that a wall took away, so sliding feels natural */
    n->vel.x = (to.x - n->pos.x) / dt;
    n->vel.y = (to.y - n->pos.y) / dt;
    n->pos = to;
}

mh_vec3 mh_nav_eye(const mh_nav *n) { return mh_v3(n->pos.x, MH_EYE_HEIGHT, n->pos.y); }

mh_vec3 mh_nav_forward(const mh_nav *n)
{
    float cp = cosf(n->pitch);
    return mh_v3(-sinf(n->yaw) * cp, sinf(n->pitch), -cosf(n->yaw) * cp);
}

mh_mat4 mh_nav_view_matrix(const mh_nav *n)
{
    mh_vec3 eye = mh_nav_eye(n);
    return mh_m4_look_at(eye, mh_v3_add(eye, mh_nav_forward(n)), mh_v3(0, 1, 0));
}
