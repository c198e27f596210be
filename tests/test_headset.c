/* test_headset.c - the headset parts of a visit (engine/ui/mh_headset.c,
 * mh_world_menu.c, mh_comfort.c) driven frame by frame with no GL, beside a
 * real visit of the shipped hall: the visitor cycle (worn, off briefly, off
 * past the grace period, on again), the world menu by controller ray, click
 * and gaze dwell, its target, the teleport arc and its refusals, the
 * vignette, height calibration, cards that follow the head lazily, and the
 * smallest text the headset shows. */
#include <math.h>
#include <string.h>

#include "asset/mh_hall_load.h"
#include "core/mh_arena.h"
#include "include/metahall.h"
#include "mh_test.h"
#include "scene/mh_nav.h"
#include "text/mh_glyphs.h"
#include "ui/mh_headset.h"

#define W 1280
#define H 720
#define DT (1.0 / 60.0)
#define GRACE 3.0f
#define DWELL 1.0f

typedef struct ctx {
    mh_arena arena;
    mh_hall_desc hall;
    mh_glyphs *glyphs;
    mh_visit visit;
    mh_headset hs;
    mh_nav nav;
    mh_collide_world walls;
    double t;
    /* what the visitor does with the head and the controller */
    float head_yaw, head_pitch; /* relative to the body (nav yaw) */
    bool hand;                  /* a controller's ray (else the gaze) */
    mh_vec3 ray_to;             /* the hand points at this world point (when set) */
    bool ray_set;
    uint8_t presence;
} ctx;

static mh_mat4 proj(void) { return mh_m4_perspective(mh_radians(60.0f), (float)W / (float)H, 0.05f, 250.0f); }

static mh_vec3 head_pos(const ctx *c) { return mh_nav_eye(&c->nav); }

static mh_vec3 head_dir(const ctx *c)
{
    float yaw = c->nav.yaw + c->head_yaw, p = c->head_pitch;
    return mh_v3(-sinf(yaw) * cosf(p), sinf(p), -cosf(yaw) * cosf(p));
}

/* One frame: what the engine would build, then the headset and the visit act. */
static mh_visit_frame step(ctx *c, mh_input_state in)
{
    c->t += DT;
    in.headset = c->presence;
    mh_vec3 eye = head_pos(c), fwd = head_dir(c);
    mh_vec3 hand = mh_v3_add(eye, mh_v3(0.15f, -0.3f, 0));
    mh_vec3 ray_o = c->hand ? hand : eye, ray_d = c->hand && c->ray_set ? mh_v3_norm(mh_v3_sub(c->ray_to, hand)) : fwd;
    mh_visit_frame vf =
        {.time_s = c->t, .dt_s = DT, .width = W, .height = H, .proj = proj(), .eye = ray_o, .headset = true};
    vf.view = mh_m4_look_at(ray_o, mh_v3_add(ray_o, ray_d), mh_v3(0, 1, 0));
    in.pointer = c->hand;
    in.aim = c->hand;
    in.pointer_x = W * 0.5f;
    in.pointer_y = H * 0.5f;
    mh_headset_frame hf = {.time_s = c->t,
                           .dt_s = DT,
                           .headset = true,
                           .head = eye,
                           .head_yaw = c->nav.yaw + c->head_yaw,
                           .head_height = 0,
                           .ray = true,
                           .ray_origin = ray_o,
                           .ray_dir = ray_d,
                           .hand = c->hand,
                           .pointer = c->hand,
                           .width = W,
                           .height = H,
                           .collide = &c->walls};
    mh_headset_update(&c->hs, &c->visit, &hf, &vf, &in, &c->nav);
    mh_visit_update(&c->visit, &vf, &in, &c->nav);
    return vf;
}

static void idle(ctx *c, double seconds)
{
    for (int i = 0; i < (int)(seconds / DT + 0.5); i++)
        step(c, (mh_input_state){0});
}

static void act(ctx *c, uint32_t actions) { step(c, (mh_input_state){.actions = actions}); }

static bool setup(ctx *c)
{
    memset(c, 0, sizeof *c);
    c->arena.block_size = 256u * 1024u;
    mh_error err;
    if (!mh_hall_load(MH_SOURCE_ASSETS "/halls/default", &c->arena, &c->hall, &err)) {
        fprintf(stderr, "hall: %s\n", err.message);
        return false;
    }
    mh_glyphs_desc gd = {.font_paths = c->hall.fonts, .font_count = c->hall.font_count};
    if (!(c->glyphs = mh_glyphs_create(&gd, &err))) {
        fprintf(stderr, "glyphs: %s\n", err.message);
        return false;
    }
    mh_visit_init(&c->visit, &c->hall, c->glyphs, &(mh_visit_desc){.dwell_s = DWELL});
    mh_headset_init(&c->hs, &(mh_headset_desc){.grace_s = GRACE, .dwell_s = DWELL});
    /* the hall's walkable rectangle and its stage, as the scene builds them */
    mh_collide_init(&c->walls, &c->arena, 4, 4);
    c->walls.bounds_min = c->hall.walk_min;
    c->walls.bounds_max = c->hall.walk_max;
    mh_collide_add_circle(&c->walls, c->hall.stage_pos, c->hall.stage_radius);
    const mh_hall_desc *h = &c->hall;
    mh_nav_place(&c->nav, h->entrance_pos, mh_radians(h->entrance_yaw_deg), 0);
    c->presence = MH_HEADSET_WORN;
    return true;
}

#define SETUP(c)             \
    do {                     \
        if (!setup(c)) {     \
            CHECK(!"setup"); \
            return;          \
        }                    \
    } while (0)

static void teardown(ctx *c)
{
    mh_glyphs_destroy(&c->glyphs);
    mh_arena_free(&c->arena);
}

static void where(ctx *c, char *out, size_t size) { mh_visit_where(&c->visit, &c->nav, out, size); }

/* Worn at the start: visit 1 where the kiosk starts. Off briefly: the same
 * visit. Off past the grace period: reset to attract mode (panel closed,
 * tour over, the hall's language). On: visit 2 at the entrance, out of the
 * dark, with a hint, and a recentre asked for. */
static void test_cycle(void)
{
    ctx c;
    SETUP(&c);
    char at[40];
    c.head_pitch = 1.2f; /* at the ceiling: the gaze dwells on nothing */
    step(&c, (mh_input_state){0});
    CHECK(c.hs.visits == 1);
    CHECK(c.hs.recenter);
    CHECK(c.hs.hint_until > c.t);
    CHECK(!strcmp(mh_headset_presence_name(&c.hs), "worn"));
    idle(&c, 0.1);
    CHECK(!c.hs.recenter); /* asked once */
    mh_visit_go_booth(&c.visit, 3, true);
    mh_visit_set_language(&c.visit, MH_LANG_EN);
    idle(&c, 1.0);
    CHECK(c.visit.panel.open);
    /* off briefly */
    c.presence = MH_HEADSET_OFF;
    idle(&c, GRACE - 0.5);
    CHECK(!strcmp(mh_headset_presence_name(&c.hs), "off"));
    CHECK(c.visit.mode == MH_VISIT_EXPLORE && c.visit.panel.open);
    c.presence = MH_HEADSET_WORN;
    idle(&c, 0.5);
    CHECK(c.hs.visits == 1);
    CHECK(c.visit.lang == MH_LANG_EN && c.visit.panel.open);
    /* while off, what the controllers do is ignored; past the grace period the visit resets */
    mh_visit_tour_start(&c.visit);
    idle(&c, 1.0);
    c.presence = MH_HEADSET_OFF;
    step(&c, (mh_input_state){.actions = MH_ACT_SELECT | MH_ACT_MENU, .move_forward = 1});
    CHECK(!c.hs.menu.open);
    idle(&c, GRACE - 0.1);
    CHECK(c.visit.mode == MH_VISIT_TOUR);
    idle(&c, 0.2);
    CHECK(c.visit.mode == MH_VISIT_ATTRACT);
    CHECK(c.visit.lang == MH_LANG_ZH);
    CHECK(!c.visit.panel.open);
    CHECK(c.hs.reset);
    idle(&c, 30); /* nobody: attract mode stays */
    CHECK(c.visit.mode == MH_VISIT_ATTRACT);
    /* a new visitor */
    c.presence = MH_HEADSET_WORN;
    step(&c, (mh_input_state){0});
    CHECK(c.hs.visits == 2);
    CHECK(c.hs.recenter);
    CHECK(c.visit.mode == MH_VISIT_EXPLORE);
    CHECK(c.visit.fade > 0.9f); /* the first frame is dark, then it fades in */
    CHECK(c.hs.hint_until > c.t + 7.0);
    idle(&c, 1.0);
    CHECK(c.visit.fade == 0);
    where(&c, at, sizeof at);
    CHECK(!strcmp(at, "entrance"));
    teardown(&c);
}

/* The grace period can be "never"; a headset that says nothing changes nothing. */
static void test_cycle_off_never(void)
{
    ctx c;
    SETUP(&c);
    mh_headset_init(&c.hs, &(mh_headset_desc){.grace_s = -1});
    c.presence = MH_HEADSET_UNKNOWN;
    idle(&c, 0.5);
    CHECK(c.hs.visits == 0);
    CHECK(mh_headset_presence_name(&c.hs) == NULL);
    c.presence = MH_HEADSET_OFF;
    idle(&c, 20);
    CHECK(c.visit.mode == MH_VISIT_EXPLORE);
    /* the headset left unseen (frames skipped): the cycle still runs on time */
    mh_headset_init(&c.hs, &(mh_headset_desc){.grace_s = 1});
    mh_input_state in = {.headset = MH_HEADSET_WORN};
    mh_headset_tick(&c.hs, &c.visit, c.t, &in);
    in.headset = MH_HEADSET_OFF;
    mh_headset_tick(&c.hs, &c.visit, c.t + 0.5, &in);
    CHECK(c.visit.mode == MH_VISIT_EXPLORE);
    mh_headset_tick(&c.hs, &c.visit, c.t + 1.4, &in);
    CHECK(c.visit.mode == MH_VISIT_EXPLORE);
    mh_headset_tick(&c.hs, &c.visit, c.t + 1.6, &in);
    CHECK(c.visit.mode == MH_VISIT_ATTRACT);
    teardown(&c);
}

/* Aims the controller at a menu item's centre. */
static void point_at(ctx *c, mh_menu_item item)
{
    c->hand = true;
    c->ray_set = true;
    c->ray_to = mh_world_menu_item_center(&c->hs.menu, item);
}

/* The menu by controller: it opens in front of the head, every item is hit
 * where it is drawn, and each does what it says. */
static void test_menu_controller(void)
{
    ctx c;
    SETUP(&c);
    idle(&c, 0.2);
    act(&c, MH_ACT_MENU);
    CHECK(c.hs.menu.open);
    mh_vec3 to = mh_v3_sub(c.hs.menu.pose.center, head_pos(&c));
    CHECK_NEAR(mh_v3_len(mh_v3(to.x, 0, to.z)), MH_MENU_DISTANCE, 1e-3);
    CHECK(to.z < 0); /* ahead: the visitor faces -Z at the entrance */
    mh_world_menu_state s = {.lang = MH_LANG_ZH, .touring = true};
    for (int i = MH_MENU_ZH; i < MH_MENU_BODY; i++) {
        mh_vec3 o = head_pos(&c), d = mh_v3_norm(mh_v3_sub(mh_world_menu_item_center(&c.hs.menu, (mh_menu_item)i), o));
        float t;
        CHECK(mh_world_menu_hit(&c.hs.menu, &s, o, d, &t) == (mh_menu_item)i);
    }
    s.touring = false; /* no tour: Next stop is not a button */
    {
        mh_vec3 o = head_pos(&c), d = mh_v3_norm(mh_v3_sub(mh_world_menu_item_center(&c.hs.menu, MH_MENU_NEXT), o));
        float t;
        CHECK(mh_world_menu_hit(&c.hs.menu, &s, o, d, &t) == MH_MENU_BODY);
    }
    point_at(&c, MH_MENU_EN);
    mh_visit_frame vf = step(&c, (mh_input_state){0});
    CHECK(vf.aim_taken);
    CHECK(c.visit.hover.kind == MH_TARGET_NONE); /* nothing behind the menu is hovered */
    idle(&c, 3.0);
    CHECK(c.visit.lang == MH_LANG_ZH); /* a controller does not dwell */
    act(&c, MH_ACT_SELECT);
    CHECK(c.visit.lang == MH_LANG_EN);
    CHECK(c.hs.menu.open);
    point_at(&c, MH_MENU_LOUDER);
    act(&c, MH_ACT_SELECT);
    act(&c, MH_ACT_SELECT);
    act(&c, MH_ACT_SELECT);
    CHECK(c.visit.volume ==
          100); /* 80 + 10 + 10, and no further (the visit's volume, as the screen's button and VOLUME set) */
    point_at(&c, MH_MENU_QUIETER);
    for (int i = 0; i < 12; i++)
        act(&c, MH_ACT_SELECT);
    CHECK(c.visit.volume == 0);
    point_at(&c, MH_MENU_SEATED);
    act(&c, MH_ACT_SELECT);
    CHECK(c.hs.seated);
    CHECK(!c.hs.calibrate); /* calibrated in the same frame: the head is tracked */
    act(&c, MH_ACT_SELECT);
    CHECK(!c.hs.seated);
    point_at(&c, MH_MENU_RECENTER);
    act(&c, MH_ACT_SELECT);
    CHECK(c.hs.recenter);
    CHECK(!c.hs.menu.open);
    /* tour from the menu: it starts and the menu closes (the tour moves the visitor) */
    act(&c, MH_ACT_MENU);
    point_at(&c, MH_MENU_TOUR);
    act(&c, MH_ACT_SELECT);
    CHECK(c.visit.mode == MH_VISIT_TOUR);
    CHECK(!c.hs.menu.open);
    idle(&c, 1.0);
    act(&c, MH_ACT_MENU);
    point_at(&c, MH_MENU_NEXT);
    act(&c, MH_ACT_SELECT);
    CHECK(c.visit.tour_stop == 1);
    idle(&c, 1.0);
    act(&c, MH_ACT_MENU);
    point_at(&c, MH_MENU_ENTRANCE);
    act(&c, MH_ACT_SELECT);
    CHECK(c.visit.mode == MH_VISIT_EXPLORE);
    idle(&c, 1.0);
    char at[40];
    where(&c, at, sizeof at);
    CHECK(!strcmp(at, "entrance"));
    /* Back closes it, and so does the menu button */
    act(&c, MH_ACT_MENU);
    act(&c, MH_ACT_BACK);
    CHECK(!c.hs.menu.open);
    act(&c, MH_ACT_MENU);
    act(&c, MH_ACT_MENU);
    CHECK(!c.hs.menu.open);
    teardown(&c);
}

/* Without a controller: the gaze target below the view opens the menu after
 * the dwell, and a dwell chooses, once per look. */
static void test_menu_gaze(void)
{
    ctx c;
    SETUP(&c);
    idle(&c, 0.2);
    /* look down at the target: 35 degrees */
    c.head_pitch = -atanf(MH_MENU_TARGET_DROP / MH_MENU_TARGET_DISTANCE);
    idle(&c, DWELL * 0.5);
    CHECK(!c.hs.menu.open);
    CHECK(c.hs.menu.hover == MH_MENU_TARGET);
    idle(&c, DWELL * 0.6);
    CHECK(c.hs.menu.open);
    /* look at English on the menu */
    mh_vec3 d = mh_v3_norm(mh_v3_sub(mh_world_menu_item_center(&c.hs.menu, MH_MENU_EN), head_pos(&c)));
    c.head_yaw = atan2f(-d.x, -d.z) - c.nav.yaw;
    c.head_pitch = asinf(d.y);
    idle(&c, DWELL * 0.8);
    CHECK(c.visit.lang == MH_LANG_ZH);
    idle(&c, DWELL * 0.4);
    CHECK(c.visit.lang == MH_LANG_EN);
    mh_visit_set_language(&c.visit, MH_LANG_ZH);
    idle(&c, DWELL * 2);
    CHECK(c.visit.lang == MH_LANG_ZH); /* once per look */
    teardown(&c);
}

/* The arc: thrown from the hand it lands ahead, further when aimed higher
 * (up to 45 degrees); where nobody may stand (the stage, beyond the walls,
 * too far) it is refused. A teleport happens on letting go, to the marker. */
static void test_arc(void)
{
    ctx c;
    SETUP(&c);
    mh_arc a;
    mh_vec2 from = c.hall.entrance_pos;
    mh_vec3 hand = mh_v3(from.x + 0.15f, 1.3f, from.y - 0.2f);
    float near_z, far_z;
    mh_arc_throw(&a, hand, mh_v3(0, -0.34f, -0.94f), from, &c.walls); /* 20 degrees down */
    CHECK(a.lands && a.ok);
    CHECK_NEAR(a.points[0].x, hand.x, 1e-6);
    CHECK_NEAR(a.points[a.count - 1].y, 0, 1e-5);
    near_z = a.landing.y;
    CHECK(near_z < from.y - 1.5f && near_z > from.y - 3.0f);
    mh_arc_throw(&a, hand, mh_v3(0, sinf(0.175f), -cosf(0.175f)), from, &c.walls); /* 10 degrees up */
    far_z = a.landing.y;
    CHECK(a.ok && far_z < near_z - 2.0f);
    mh_arc_throw(&a, hand, mh_v3(0, 1, -0.01f), from, &c.walls); /* straight up: as 45 degrees */
    CHECK(a.lands);
    CHECK(a.landing.y < from.y - 5.0f);
    /* behind, 2.3 m from the front wall (walkable to 21.8): past the wall */
    mh_vec2 by_wall = {0, c.hall.walk_max.y - 2.3f};
    mh_vec3 wall_hand = mh_v3(by_wall.x + 0.15f, 1.3f, by_wall.y - 0.2f);
    mh_arc_throw(&a, wall_hand, mh_v3(0, sinf(0.175f), cosf(0.175f)), by_wall, &c.walls);
    CHECK(a.lands && !a.ok);
    mh_vec3 stage_hand = mh_v3(0, 1.3f, c.hall.stage_pos.y + 5.5f);
    mh_arc_throw(&a, stage_hand, mh_v3(0, 0, -1), (mh_vec2){0, stage_hand.z}, &c.walls); /* onto the stage */
    CHECK(a.lands && !a.ok);
    CHECK(mh_collide_blocked(&c.walls, a.landing, MH_VISITOR_RADIUS));
    mh_arc_throw(&a, mh_v3(0, 1.3f, 0), mh_v3(0, 0.7f, -0.7f), (mh_vec2){0, 30.0f}, NULL); /* far from the visitor */
    CHECK(a.lands && !a.ok);

    /* through the frame: hold (the arc shows, nobody moves), let go (teleport) */
    idle(&c, 0.3);
    c.hand = true;
    c.ray_set = true;
    c.ray_to = mh_v3(c.nav.pos.x + 0.15f, 1.3f - 0.34f, c.nav.pos.y - 0.94f); /* 20 degrees down */
    for (int i = 0; i < 10; i++)
        step(&c, (mh_input_state){.teleport_aim = true});
    CHECK(c.hs.arc_shown && c.hs.arc.ok);
    CHECK_NEAR(c.nav.pos.y, from.y, 1e-4);
    mh_vec2 land = c.hs.arc.landing;
    act(&c, MH_ACT_TELEPORT);
    CHECK(!c.hs.arc_shown);
    CHECK(c.visit.teleporting);
    idle(&c, 1.0);
    CHECK_NEAR(c.nav.pos.x, land.x, 1e-4);
    CHECK_NEAR(c.nav.pos.y, land.y, 1e-4);
    CHECK_NEAR(c.nav.yaw, mh_radians(c.hall.entrance_yaw_deg), 1e-5); /* the heading stays */
    /* aimed behind, past the wall: refused, nobody moves (2.3 m from the front wall) */
    c.nav.pos = (mh_vec2){0, c.hall.walk_max.y - 2.3f};
    c.ray_to = mh_v3(c.nav.pos.x + 0.15f, 1.3f + 0.17f, c.nav.pos.y + 0.98f);
    for (int i = 0; i < 10; i++)
        step(&c, (mh_input_state){.teleport_aim = true});
    CHECK(c.hs.arc.lands && !c.hs.arc.ok);
    mh_vec2 before = c.nav.pos;
    act(&c, MH_ACT_TELEPORT);
    idle(&c, 1.0);
    CHECK(!c.visit.teleporting);
    CHECK_NEAR(c.nav.pos.y, before.y, 1e-4);
    teardown(&c);
}

/* The vignette: on within ~0.15 s of gliding, off ~0.3 s after; drawn as a
 * dark rim that leaves the middle of the view clear. */
static void test_vignette(void)
{
    float v = 0;
    for (int i = 0; i < 9; i++)
        mh_vignette_step(&v, true, (float)DT);
    CHECK(v >= 0.99f);
    for (int i = 0; i < 9; i++)
        mh_vignette_step(&v, false, (float)DT);
    CHECK(v > 0.3f && v < 0.8f);
    for (int i = 0; i < 12; i++)
        mh_vignette_step(&v, false, (float)DT);
    CHECK(v == 0);

    ctx c;
    SETUP(&c);
    mh_ui_batch b;
    CHECK(mh_ui_batch_init(&b, c.glyphs, 65536, 64));
    mh_ui_begin(&b);
    mh_vignette_draw(0, W, H, &b);
    CHECK(b.vertex_count == 0);
    mh_vignette_draw(1, W, H, &b);
    CHECK(b.vertex_count > 0);
    float cx = W * 0.5f, cy = H * 0.5f, clear = 1e9f;
    bool corner = false;
    for (uint32_t i = 0; i < b.vertex_count; i++) {
        const mh_ui_vertex *p = &b.vertices[i];
        float r = hypotf(p->pos[0] - cx, p->pos[1] - cy);
        if (p->color[3] > 0 && r < clear)
            clear = r;
        corner |= p->color[3] > 200 && r > hypotf(cx, cy);
    }
    CHECK(clear > 0.5f * cy); /* the middle stays clear */
    CHECK(corner);            /* the corners go dark */
    /* in the visit: gliding with the stick shows it, a snap turn or standing does not */
    for (int i = 0; i < 20; i++)
        step(&c, (mh_input_state){.move_forward = 1});
    CHECK(c.hs.vignette >= 0.99f);
    idle(&c, 0.5);
    CHECK(c.hs.vignette == 0);
    step(&c, (mh_input_state){.look_yaw = 0.52f});
    CHECK(c.hs.vignette == 0);
    mh_ui_batch_free(&b);
    teardown(&c);
}

/* Height: seated mode calibrates at the start of each visit; the offset puts
 * the head at the eye height asked for, from the floor or from LOCAL's origin. */
static void test_height(void)
{
    CHECK_NEAR(mh_comfort_height_offset(1.15f, true, 1.6f), 0.45f, 1e-6);  /* seated, STAGE space */
    CHECK_NEAR(mh_comfort_height_offset(-0.4f, false, 1.6f), 0.4f, 1e-6);  /* sat down since LOCAL began */
    CHECK_NEAR(mh_comfort_height_offset(1.75f, true, 1.6f), -0.15f, 1e-6); /* a tall visitor, standing */
    ctx c;
    SETUP(&c);
    mh_headset_init(&c.hs, &(mh_headset_desc){.seated = true, .eye_height = 1.5f});
    step(&c, (mh_input_state){0}); /* visit 1 begins: calibrate */
    step(&c, (mh_input_state){0});
    CHECK_NEAR(c.hs.height_offset, 1.5f - MH_EYE_HEIGHT, 1e-6);
    CHECK(c.hs.seated);
    teardown(&c);
}

/* A card stays put while the head looks around a little, follows once it
 * has turned away more than ~20 degrees, and eases back in front. */
static void test_follow(void)
{
    mh_follow f = {0};
    mh_follow_step(&f, 0.3f, (float)DT);
    CHECK(f.placed && f.yaw == 0.3f);
    for (int i = 0; i < 60; i++)
        mh_follow_step(&f, 0.3f + 0.3f, (float)DT); /* 17 degrees away */
    CHECK_NEAR(f.yaw, 0.3f, 1e-6);
    mh_follow_step(&f, 0.3f + 0.5f, (float)DT);       /* 29 degrees: it starts */
    CHECK(f.turning && f.yaw > 0.3f && f.yaw < 0.8f); /* eased, never locked */
    for (int i = 0; i < 120; i++)
        mh_follow_step(&f, 0.8f, (float)DT);
    CHECK(!f.turning);
    CHECK(fabsf(f.yaw - 0.8f) < 0.035f);
    mh_panel_pose p = mh_follow_pose(&f, mh_v3(1, 1.6f, 2), 1.4f, 0.1f);
    CHECK_NEAR(mh_v3_len(mh_v3_sub(mh_v3(1, 1.6f, 2), mh_v3_add(p.center, mh_v3(0, 0.1f, 0)))), 1.4f, 1e-4);
    CHECK(mh_v3_dot(p.out, mh_v3_norm(mh_v3_sub(mh_v3(1, 1.6f, 2), p.center))) > 0.9999f); /* faces the eyes */
}

/* Text in the headset never looks smaller than MH_XR_MIN_TEXT_DEG: the
 * minimum itself, and the sizes the menu, its target, captions and the hint
 * take where they are shown. */
static void test_text_size(void)
{
    CHECK(mh_comfort_text_deg(mh_comfort_text_em(0.001f, 2.0f), 2.0f) >= MH_XR_MIN_TEXT_DEG);
    CHECK_NEAR(mh_comfort_text_em(0.2f, 2.0f), 0.2f, 1e-6); /* large text stays as designed */
    mh_world_menu m = {0};
    mh_world_menu_open(&m, mh_v3(0, 1.6f, 0), 0, 0);
    CHECK(mh_comfort_text_deg(m.em, m.distance) >= MH_XR_MIN_TEXT_DEG);
    for (int i = MH_MENU_ZH; i < MH_MENU_BODY; i++) { /* and every button is within reach of its label */
        float x, y, w, h;
        CHECK(mh_world_menu_item_rect((mh_menu_item)i, &x, &y, &w, &h));
        CHECK(x >= 0 && y >= 0 && x + w <= MH_MENU_WIDTH && y + h <= MH_MENU_HEIGHT && h >= m.em * 1.5f);
    }
    ctx c;
    SETUP(&c);
    for (int lang = 0; lang < 2; lang++)
        for (int hand = 0; hand < 2; hand++)
            CHECK(strlen(mh_headset_hint_text((mh_lang)lang, hand)) > 20);
    CHECK(strcmp(mh_headset_hint_text(MH_LANG_ZH, true), mh_headset_hint_text(MH_LANG_ZH, false)) != 0);
    CHECK_STR_CONTAINS(mh_headset_hint_text(MH_LANG_EN, true), "trigger");
    CHECK_STR_CONTAINS(mh_headset_hint_text(MH_LANG_EN, false), "Look");
    teardown(&c);
}

int main(void)
{
    mh_log_set_level(MH_LOG_WARN);
    test_cycle();
    test_cycle_off_never();
    test_menu_controller();
    test_menu_gaze();
    test_arc();
    test_vignette();
    test_height();
    test_follow();
    test_text_size();
    return mh_test_done("test_headset");
}
