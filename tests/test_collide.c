/* test_collide.c - walls, rotated booths, circles, sliding, no tunnelling,
 * and the walking model's speed limits and eye height. */
#include "core/mh_arena.h"
#include "mh_test.h"
#include "scene/mh_collide.h"
#include "scene/mh_nav.h"

static const float R = 0.3f;

static void test_wall_stops_and_slides(mh_arena *a)
{
    mh_collide_world w;
    CHECK(mh_collide_init(&w, a, 8, 8));
    /* a wall along x at z = -5, 0.4 m thick */
    CHECK(mh_collide_add_box(&w, (mh_vec2){0, -5}, (mh_vec2){10, 0.2f}, 0));
    mh_vec2 p = mh_collide_move(&w, (mh_vec2){0, 0}, (mh_vec2){0, -10}, R);
    CHECK_NEAR(p.y, -5 + 0.2 + R, 1e-3); /* stops at the wall face plus the radius */
    CHECK_NEAR(p.x, 0, 1e-4);
    /* moving diagonally into the wall slides along it */
    mh_vec2 s = mh_collide_move(&w, (mh_vec2){0, -4}, (mh_vec2){3, -3}, R);
    CHECK_NEAR(s.x, 3, 1e-2);
    CHECK_NEAR(s.y, -5 + 0.2 + R, 1e-3);
    CHECK(!mh_collide_blocked(&w, s, R * 0.99f));
}

static void test_no_tunnelling(mh_arena *a)
{
    mh_collide_world w;
    mh_collide_init(&w, a, 4, 4);
    mh_collide_add_box(&w, (mh_vec2){0, 0}, (mh_vec2){5, 0.05f}, 0);       /* a 10 cm thin wall */
    mh_vec2 p = mh_collide_move(&w, (mh_vec2){0, 3}, (mh_vec2){0, -8}, R); /* one huge step */
    CHECK(p.y > 0);
}

static void test_rotated_booth(mh_arena *a)
{
    mh_collide_world w;
    mh_collide_init(&w, a, 4, 4);
    /* a 4 x 2 booth turned 90 degrees: its long side now runs along z */
    mh_collide_add_box(&w, (mh_vec2){0, 0}, (mh_vec2){2, 1}, MH_PI / 2);
    CHECK(mh_collide_blocked(&w, (mh_vec2){0, 1.8f}, R));  /* inside the long side */
    CHECK(!mh_collide_blocked(&w, (mh_vec2){1.8f, 0}, R)); /* beyond the short side */
    mh_vec2 p = mh_collide_move(&w, (mh_vec2){5, 0}, (mh_vec2){-5, 0}, R);
    CHECK_NEAR(p.x, 1 + R, 1e-3);
}

static void test_circle_and_bounds(mh_arena *a)
{
    mh_collide_world w;
    mh_collide_init(&w, a, 4, 4);
    mh_collide_add_circle(&w, (mh_vec2){0, 0}, 3); /* the stage */
    w.bounds_min = (mh_vec2){-10, -10};
    w.bounds_max = (mh_vec2){10, 10};
    mh_vec2 p = mh_collide_move(&w, (mh_vec2){0, 8}, (mh_vec2){0, -8}, R);
    CHECK_NEAR(p.y, 3 + R, 1e-3);
    mh_vec2 q = mh_collide_move(&w, (mh_vec2){8, 8}, (mh_vec2){5, 5}, R);
    CHECK_NEAR(q.x, 10 - R, 1e-4);
    CHECK_NEAR(q.y, 10 - R, 1e-4);
    CHECK(!mh_collide_add_circle(&w, (mh_vec2){1, 1}, 1) || w.circle_count <= 4);
}

static void test_walking(mh_arena *a)
{
    mh_collide_world w;
    mh_collide_init(&w, a, 4, 4);
    mh_collide_add_box(&w, (mh_vec2){0, -20}, (mh_vec2){50, 0.2f}, 0);
    mh_nav n;
    mh_nav_place(&n, (mh_vec2){0, 0}, 0, 0);
    CHECK_NEAR(mh_nav_eye(&n).y, 1.6, 1e-6);
    mh_nav_input in = {.forward = 1};
    for (int i = 0; i < 120; i++) /* two seconds at 60 Hz */
        mh_nav_update(&n, &in, 1.0f / 60.0f, &w);
    float speed = sqrtf(n.vel.x * n.vel.x + n.vel.y * n.vel.y);
    CHECK_NEAR(speed, MH_WALK_SPEED, 1e-3);    /* capped at walking speed */
    CHECK(n.pos.y < -2.0f && n.pos.y > -2.8f); /* walked toward -Z (yaw 0) */
    in = (mh_nav_input){.forward = 1, .right = 1, .fast = true};
    for (int i = 0; i < 600; i++)
        mh_nav_update(&n, &in, 1.0f / 60.0f, &w);
    CHECK(n.pos.y >= -20 + 0.2f + MH_VISITOR_RADIUS - 1e-3); /* the wall held */
    speed = sqrtf(n.vel.x * n.vel.x + n.vel.y * n.vel.y);
    CHECK(speed <= MH_FAST_SPEED + 1e-3);
    /* looking is clamped and a stalled frame does not fling the visitor */
    mh_nav_input look = {.pitch_delta = 3.0f};
    mh_nav_update(&n, &look, 1.0f / 60.0f, &w);
    CHECK_NEAR(n.pitch, MH_PITCH_LIMIT, 1e-6);
    mh_nav_place(&n, (mh_vec2){0, 0}, 0, 0);
    n.vel = (mh_vec2){0, -MH_WALK_SPEED};
    mh_vec2 before = n.pos;
    in = (mh_nav_input){.forward = 1};
    mh_nav_update(&n, &in, 5.0f, &w);
    CHECK(fabsf(n.pos.y - before.y) <= MH_WALK_SPEED * 0.1f + 1e-3);
    /* positive turn rate turns right: forward goes from -Z toward +X */
    mh_nav_place(&n, (mh_vec2){0, 0}, 0, 0);
    mh_nav_input turn = {.turn = 1};
    mh_nav_update(&n, &turn, 0.1f, NULL);
    CHECK(mh_nav_forward(&n).x > 0);
}

int main(void)
{
    mh_arena a = {0};
    test_wall_stops_and_slides(&a);
    test_no_tunnelling(&a);
    test_rotated_booth(&a);
    test_circle_and_bounds(&a);
    test_walking(&a);
    mh_arena_free(&a);
    return mh_test_done("test_collide");
}
