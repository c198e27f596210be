/* mh_collide.c - circle-vs-rectangle/circle push-out with sub-stepped moves. */
#include "mh_collide.h"

#include <math.h>

bool mh_collide_init(mh_collide_world *w, mh_arena *arena, int max_boxes, int max_circles)
{
    *w = (mh_collide_world){0};
    w->boxes = MH_ARENA_NEW(arena, mh_collide_box, max_boxes > 0 ? max_boxes : 1);
    w->circles = MH_ARENA_NEW(arena, mh_collide_circle, max_circles > 0 ? max_circles : 1);
    w->box_cap = max_boxes;
    w->circle_cap = max_circles;
    w->bounds_min = (mh_vec2){-1e6f, -1e6f};
    w->bounds_max = (mh_vec2){1e6f, 1e6f};
    return w->boxes && w->circles;
}

bool mh_collide_add_box(mh_collide_world *w, mh_vec2 center, mh_vec2 half, float yaw)
{
    if (w->box_count >= w->box_cap)
        return false;
    w->boxes[w->box_count++] = (mh_collide_box){center, half, yaw};
    return true;
}

bool mh_collide_add_circle(mh_collide_world *w, mh_vec2 center, float radius)
{
    if (w->circle_count >= w->circle_cap)
        return false;
    w->circles[w->circle_count++] = (mh_collide_circle){center, radius};
    return true;
}

/* Push-out vector that separates circle (p, r) from box b; zero if apart. */
static mh_vec2 push_box(const mh_collide_box *b, mh_vec2 p, float r)
{
    float c = cosf(b->yaw), s = sinf(b->yaw);
    /* box axes in world (x, z): u = (c, -s), v = (s, c) (rotation about +Y) */
    float dx = p.x - b->center.x, dz = p.y - b->center.y;
    float lu = dx * c - dz * s, lv = dx * s + dz * c;
    float cu = fmaxf(-b->half.x, fminf(b->half.x, lu));
    float cv = fmaxf(-b->half.y, fminf(b->half.y, lv));
    float ou = lu - cu, ov = lv - cv;
    float d2 = ou * ou + ov * ov;
    float pu, pv;
    if (d2 > r * r)
        return (mh_vec2){0, 0};
    if (d2 > 1e-12f) {
        float d = sqrtf(d2);
        pu = ou / d * (r - d);
        pv = ov / d * (r - d);
    } else {
        /* centre inside the box: leave through the nearest side */
        float eu = b->half.x - fabsf(lu), ev = b->half.y - fabsf(lv);
        pu = pv = 0;
        if (eu < ev)
            pu = (lu >= 0 ? 1.0f : -1.0f) * (eu + r);
        else
            pv = (lv >= 0 ? 1.0f : -1.0f) * (ev + r);
    }
    return (mh_vec2){pu * c + pv * s, -pu * s + pv * c};
}

static mh_vec2 push_circle(const mh_collide_circle *k, mh_vec2 p, float r)
{
    float dx = p.x - k->center.x, dz = p.y - k->center.y;
    float d2 = dx * dx + dz * dz, rr = k->radius + r;
    if (d2 >= rr * rr)
        return (mh_vec2){0, 0};
    float d = sqrtf(d2);
    if (d < 1e-6f)
        return (mh_vec2){rr, 0};
    return (mh_vec2){dx / d * (rr - d), dz / d * (rr - d)};
}

static mh_vec2 clamp_bounds(const mh_collide_world *w, mh_vec2 p, float r)
{
    p.x = fmaxf(w->bounds_min.x + r, fminf(w->bounds_max.x - r, p.x));
    p.y = fmaxf(w->bounds_min.y + r, fminf(w->bounds_max.y - r, p.y));
    return p;
}

bool mh_collide_blocked(const mh_collide_world *w, mh_vec2 p, float r)
{
    const float eps = 1e-4f;
    if (p.x - r < w->bounds_min.x - eps || p.x + r > w->bounds_max.x + eps || p.y - r < w->bounds_min.y - eps ||
        p.y + r > w->bounds_max.y + eps)
        return true;
    for (int i = 0; i < w->box_count; i++) {
        mh_vec2 v = push_box(&w->boxes[i], p, r - eps);
        if (v.x != 0 || v.y != 0)
            return true;
    }
    for (int i = 0; i < w->circle_count; i++) {
        mh_vec2 v = push_circle(&w->circles[i], p, r - eps);
        if (v.x != 0 || v.y != 0)
            return true;
    }
    return false;
}

/* Pushes p out of every obstacle; a few rounds settle corners. */
static mh_vec2 resolve(const mh_collide_world *w, mh_vec2 p, float r)
{
    for (int round = 0; round < 4; round++) {
        bool moved = false;
        for (int i = 0; i < w->box_count; i++) {
            mh_vec2 v = push_box(&w->boxes[i], p, r);
            if (v.x != 0 || v.y != 0) {
                p.x += v.x;
                p.y += v.y;
                moved = true;
            }
        }
        for (int i = 0; i < w->circle_count; i++) {
            mh_vec2 v = push_circle(&w->circles[i], p, r);
            if (v.x != 0 || v.y != 0) {
                p.x += v.x;
                p.y += v.y;
                moved = true;
            }
        }
        p = clamp_bounds(w, p, r);
        if (!moved)
            break;
    }
    return p;
}

mh_vec2 mh_collide_move(const mh_collide_world *w, mh_vec2 from, mh_vec2 delta, float r)
{
    float len = sqrtf(delta.x * delta.x + delta.y * delta.y);
    float max_step = fmaxf(r * 0.25f, 0.01f);
    int steps = (int)ceilf(len / max_step);
    if (steps < 1)
        steps = 1;
    if (steps > 256)
        steps = 256; /* a teleport-sized delta: the caller should place, not walk */
    mh_vec2 p = from;
    for (int i = 0; i < steps; i++) {
        mh_vec2 q = {p.x + delta.x / (float)steps, p.y + delta.y / (float)steps};
        q = resolve(w, q, r);
        /* if pushing out left us still inside something (a pinch), stay put */
        if (mh_collide_blocked(w, q, r * 0.98f))
            break;
        p = q;
    }
    return p;
}
