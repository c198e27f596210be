/* test_visit.c - the visit's state machine (engine/ui/mh_visit.c) driven
 * frame by frame with no GL: the shipped hall, a glyph atlas (FreeType, on
 * the CPU) and a walker. Teleports fade out, move and open the panel; Back
 * closes it; the language toggles and attract mode resets it; the guided
 * tour starts, skips, pauses when the visitor walks, resumes, runs on by
 * itself and ends; Home goes back; a click and a gaze-dwell pick a booth;
 * walking up to a booth opens its panel and walking away closes it. */
#include <math.h>
#include <string.h>

#include "asset/mh_hall_load.h"
#include "core/mh_arena.h"
#include "include/metahall.h"
#include "mh_test.h"
#include "scene/mh_nav.h"
#include "scene/mh_scene.h"
#include "text/mh_glyphs.h"
#include "ui/mh_panel_fit.h"
#include "ui/mh_visit.h"

static int W = 1280, H = 720; /* the screen (a test may turn it to portrait) */
#define DT (1.0 / 60.0)
#define STAGE (-2)

typedef struct ctx {
    mh_arena arena;
    mh_hall_desc hall;
    mh_glyphs *glyphs;
    mh_visit visit;
    mh_nav nav;
    double t;
} ctx;

static mh_mat4 proj(void) { return mh_m4_perspective(mh_radians(60.0f), (float)W / (float)H, 0.05f, 250.0f); }

/* One frame: the visit acts on `in` (a copy: the visit may clear it). */
static void step(ctx *c, mh_input_state in)
{
    c->t += DT;
    mh_visit_frame f = {.time_s = c->t,
                        .dt_s = DT,
                        .width = W,
                        .height = H,
                        .view = mh_nav_view_matrix(&c->nav),
                        .proj = proj(),
                        .eye = mh_nav_eye(&c->nav)};
    mh_visit_update(&c->visit, &f, &in, &c->nav);
}

static void idle(ctx *c, double seconds)
{
    for (int i = 0; i < (int)(seconds / DT + 0.5); i++)
        step(c, (mh_input_state){0});
}

static void act(ctx *c, uint32_t actions) { step(c, (mh_input_state){.actions = actions}); }

static bool setup(ctx *c, const mh_visit_desc *desc)
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
    mh_visit_init(&c->visit, &c->hall, c->glyphs, desc);
    const mh_hall_desc *h = &c->hall;
    mh_nav_place(&c->nav, h->entrance_pos, mh_radians(h->entrance_yaw_deg), mh_radians(h->entrance_pitch_deg));
    return true;
}

/* Sets c up or fails the test and returns. */
#define SETUP(c, ...)                 \
    do {                              \
        if (!setup(c, __VA_ARGS__)) { \
            CHECK(!"setup");          \
            return;                   \
        }                             \
    } while (0)

static void teardown(ctx *c)
{
    mh_glyphs_destroy(&c->glyphs);
    mh_arena_free(&c->arena);
}

static bool near2(mh_vec2 a, mh_vec2 b, float eps) { return fabsf(a.x - b.x) < eps && fabsf(a.y - b.y) < eps; }

static void where(ctx *c, char *out, size_t size) { mh_visit_where(&c->visit, &c->nav, out, size); }

/* The pixel a world point projects to through the walker's eye. */
static bool to_pixel(ctx *c, mh_vec3 p, float *x, float *y)
{
    mh_vec4 q = mh_m4_mul_v4(mh_m4_mul(proj(), mh_nav_view_matrix(&c->nav)), (mh_vec4){p.x, p.y, p.z, 1});
    if (q.w <= 0)
        return false;
    *x = (q.x / q.w * 0.5f + 0.5f) * (float)W;
    *y = (0.5f - q.y / q.w * 0.5f) * (float)H;
    return true;
}

/* Stands `dist` metres in front of booth b, facing it. */
static void face_booth(ctx *c, int b, float dist)
{
    const mh_booth_desc *bd = &c->hall.booths[b];
    float yaw = mh_radians(bd->yaw_deg);
    mh_vec2 p = {bd->pos.x + sinf(yaw) * dist, bd->pos.y + cosf(yaw) * dist};
    mh_nav_place(&c->nav, p, yaw, 0);
}

/* mh_visit_go_booth: fade out (no panel yet), move at the darkest moment and
 * open the panel, fade in; where it ends is the booth's spot. */
static void test_teleport_and_back(void)
{
    ctx c;
    SETUP(&c, &(mh_visit_desc){0});
    mh_visit *v = &c.visit;
    CHECK(v->mode == MH_VISIT_EXPLORE && v->lang == MH_LANG_ZH && !v->panel.open);
    char at[64];
    where(&c, at, sizeof at);
    CHECK(!strcmp(at, "entrance"));
    mh_visit_go_booth(v, 3, true);
    CHECK(v->teleporting);
    idle(&c, 0.1);
    CHECK(!v->panel.open && v->fade > 0 && v->fade < 1);
    CHECK(near2(c.nav.pos, c.hall.entrance_pos, 0.01f)); /* still at the entrance while it darkens */
    idle(&c, 0.2);
    mh_vec2 spot;
    float yaw, pitch;
    mh_visit_spot_view(&c.hall, 3, &spot, &yaw, &pitch);
    CHECK(near2(c.nav.pos, spot, 0.01f));
    CHECK(v->panel.open && v->panel.booth == 3 && v->panel.exhibit == &c.hall.booths[3].exhibit);
    CHECK(v->teleporting && v->fade > 0);
    idle(&c, 0.4);
    CHECK(!v->teleporting && v->fade == 0);
    where(&c, at, sizeof at);
    char want[64];
    snprintf(want, sizeof want, "booth:%s", c.hall.booths[3].exhibit.id);
    CHECK(!strcmp(at, want));
    /* Back closes the panel, and standing there does not open it again */
    act(&c, MH_ACT_BACK);
    CHECK(!v->panel.open && v->dismissed == 3);
    idle(&c, 2.0);
    CHECK(!v->panel.open);
    teardown(&c);
}

/* Brought to a booth's panel on a 16:9 screen the visitor faces 24 degrees
 * left of the booth: its landmark stands in the right of the view and the
 * panel leaves it clear (1.3 m each side, ~147 px here); a portrait screen
 * keeps the straight view. */
static void test_reading_view(void)
{
    ctx c;
    SETUP(&c, &(mh_visit_desc){0});
    mh_visit *v = &c.visit;
    idle(&c, DT); /* the visit learns the screen's size */
    mh_visit_go_booth(v, 3, true);
    idle(&c, 1.0);
    mh_vec2 spot;
    float yaw, pitch;
    mh_visit_spot_view(&c.hall, 3, &spot, &yaw, &pitch);
    CHECK(v->panel.open && near2(c.nav.pos, spot, 0.01f));
    CHECK(fabsf(c.nav.yaw - (yaw + mh_radians(24.0f))) < 1e-3f);
    float lx, ly;
    mh_rect r;
    CHECK(to_pixel(&c, mh_scene_booth_plinth(&c.hall, 3), &lx, &ly));
    CHECK(mh_panel_fit_project(&v->panel, mh_nav_view_matrix(&c.nav), proj(), W, H, &r));
    CHECK(lx > W * 0.6f && lx < W * 0.9f);    /* the landmark in the right of the view */
    CHECK(r.x >= 0 && r.x + r.w <= lx - 140); /* the panel at its left, clear of it */
    teardown(&c);
    W = 720, H = 1280;
    SETUP(&c, &(mh_visit_desc){0});
    idle(&c, DT);
    mh_visit_go_booth(&c.visit, 3, true);
    idle(&c, 1.0);
    CHECK(c.visit.panel.open && fabsf(c.nav.yaw - yaw) < 1e-3f);     /* portrait: not turned, */
    CHECK(fabsf(c.nav.pitch - (pitch - mh_radians(16.0f))) < 1e-3f); /* it looks down */
    mh_vec3 foot = mh_scene_booth_plinth(&c.hall, 3), head = mh_v3_add(foot, mh_v3(0, 2.0f, 0));
    float hx, hy;
    CHECK(to_pixel(&c, foot, &lx, &ly) && to_pixel(&c, head, &hx, &hy));
    CHECK(mh_panel_fit_project(&c.visit.panel, mh_nav_view_matrix(&c.nav), proj(), W, H, &r));
    CHECK(hy > 0 && ly < H * 0.5f);      /* the landmark's 2 m in the top half of the view */
    CHECK(r.y >= ly && r.h > H * 0.35f); /* the panel below its foot, and not shrunk away */
    teardown(&c);
    W = 1280, H = 720;
}

static void test_language_and_attract(void)
{
    ctx c;
    SETUP(&c, &(mh_visit_desc){.idle_timeout_s = 2.0f, .language = MH_LANG_EN});
    mh_visit *v = &c.visit;
    CHECK(v->lang == MH_LANG_EN);
    act(&c, MH_ACT_LANG);
    CHECK(v->lang == MH_LANG_ZH);
    mh_visit_go_booth(v, 0, true);
    idle(&c, 1.0);
    CHECK(v->panel.open && v->panel.lang == MH_LANG_ZH);
    act(&c, MH_ACT_LANG);
    CHECK(v->lang == MH_LANG_EN && v->panel.lang == MH_LANG_EN); /* the open panel follows */
    idle(&c, 1.9);
    CHECK(v->mode == MH_VISIT_EXPLORE);
    idle(&c, 0.2); /* 2 s without input */
    CHECK(v->mode == MH_VISIT_ATTRACT);
    CHECK(!v->panel.open);
    act(&c, MH_ACT_LANG); /* the first touch only wakes the kiosk */
    CHECK(v->mode == MH_VISIT_EXPLORE && v->lang == MH_LANG_EN);
    CHECK(near2(c.nav.pos, c.hall.entrance_pos, 0.01f));
    CHECK(v->teleporting);
    idle(&c, DT);
    CHECK(v->fade > 0.9f); /* coming out of the dark */
    idle(&c, 0.4);
    CHECK(!v->teleporting && v->fade == 0);
    teardown(&c);
}

static void test_idle_timeout_off(void)
{
    ctx c;
    SETUP(&c, &(mh_visit_desc){.idle_timeout_s = -1});
    idle(&c, 120.0);
    CHECK(c.visit.mode == MH_VISIT_EXPLORE);
    teardown(&c);
    /* 0 is the default, 60 s */
    SETUP(&c, &(mh_visit_desc){0});
    CHECK(c.visit.desc.idle_timeout_s == 60.0f);
    idle(&c, 59.0);
    CHECK(c.visit.mode == MH_VISIT_EXPLORE);
    idle(&c, 1.5);
    CHECK(c.visit.mode == MH_VISIT_ATTRACT);
    teardown(&c);
}

static void test_tour(void)
{
    ctx c;
    SETUP(&c, &(mh_visit_desc){0});
    mh_visit *v = &c.visit;
    const mh_hall_desc *h = &c.hall;
    CHECK(h->tour_count >= 3 && !strcmp(h->tour[0], "entrance") && !strcmp(h->tour[1], "stage"));
    act(&c, MH_ACT_TOUR);
    CHECK(v->mode == MH_VISIT_TOUR && v->tour_stop == 0 && !v->tour_paused);
    idle(&c, 1.0);
    /* the welcome at the first stop follows the language at once */
    CHECK(mh_visit_caption(v) && strstr(mh_visit_caption(v), "欢迎来到"));
    act(&c, MH_ACT_LANG);
    CHECK(mh_visit_caption(v) && !strncmp(mh_visit_caption(v), "Welcome to the ", 15));
    act(&c, MH_ACT_LANG);
    CHECK(mh_visit_caption(v) && strstr(mh_visit_caption(v), "欢迎来到"));
    act(&c, MH_ACT_NEXT);
    CHECK(v->tour_stop == 1);
    idle(&c, 1.0);
    CHECK(v->panel.open && v->panel.booth == STAGE); /* the stage and its featured exhibit */
    act(&c, MH_ACT_NEXT);
    idle(&c, 1.0);
    int b = mh_hall_find_booth(h, h->tour[2]);
    CHECK(v->tour_stop == 2 && v->panel.open && v->panel.booth == b);
    /* walking pauses the tour; the tour button resumes it at the same stop */
    step(&c, (mh_input_state){.move_forward = 1});
    CHECK(v->mode == MH_VISIT_TOUR && v->tour_paused);
    idle(&c, 30.0);
    CHECK(v->tour_stop == 2 && v->tour_paused); /* paused: no auto-advance */
    act(&c, MH_ACT_TOUR);
    CHECK(!v->tour_paused && v->tour_stop == 2 && v->teleporting);
    /* on its own after the stop's narration time (6 to 20 s) */
    idle(&c, 21.0);
    CHECK(v->tour_stop == 3);
    /* on to the last stop (as the control protocol would: no frames between,
     * so no panel is laid out on the way), whose Next ends the tour */
    while (v->mode == MH_VISIT_TOUR && v->tour_stop < h->tour_count - 1)
        mh_visit_tour_next(v);
    CHECK(v->tour_stop == h->tour_count - 1);
    idle(&c, 0.6);
    CHECK(v->panel.open && v->panel.booth == mh_hall_find_booth(h, h->tour[h->tour_count - 1]));
    act(&c, MH_ACT_NEXT);
    CHECK(v->mode == MH_VISIT_EXPLORE);
    /* Home during a tour: the tour ends, back to the entrance */
    act(&c, MH_ACT_TOUR);
    idle(&c, 0.6);
    act(&c, MH_ACT_NEXT);
    idle(&c, 0.6);
    act(&c, MH_ACT_HOME);
    CHECK(v->mode == MH_VISIT_EXPLORE);
    idle(&c, 0.6);
    CHECK(near2(c.nav.pos, h->entrance_pos, 0.01f));
    teardown(&c);
}

/* A click on the booth's middle picks it: teleport and its panel. */
static void test_click_booth(void)
{
    ctx c;
    SETUP(&c, &(mh_visit_desc){0});
    face_booth(&c, 5, 9.0f);
    const mh_booth_desc *bd = &c.hall.booths[5];
    float x = 0, y = 0;
    CHECK(to_pixel(&c, mh_v3(bd->pos.x, 1.5f, bd->pos.y), &x, &y));
    step(&c, (mh_input_state){.pointer = true, .pointer_x = x, .pointer_y = y});
    CHECK(c.visit.hover.kind == MH_TARGET_BOOTH && c.visit.hover.id == 5);
    step(&c, (mh_input_state){.pointer = true, .pointer_x = x, .pointer_y = y, .actions = MH_ACT_SELECT});
    CHECK(c.visit.teleporting && c.visit.tp_panel == 5);
    idle(&c, 0.6);
    CHECK(c.visit.panel.open && c.visit.panel.booth == 5);
    /* a click on the floor picks nothing */
    step(&c, (mh_input_state){.pointer = true, .pointer_x = W * 0.5f, .pointer_y = H - 2.0f});
    CHECK(c.visit.hover.kind == MH_TARGET_NONE || c.visit.hover.kind == MH_TARGET_HUD);
    teardown(&c);
}

/* An open panel folds the minimap to its "show map" row, so the booth's
 * header shows; a tap on the row unfolds it, the next panel folds it again. */
static void test_map_folds(void)
{
    ctx c;
    SETUP(&c, &(mh_visit_desc){0});
    idle(&c, DT);
    mh_rect plan = c.visit.hud.map, row = c.visit.hud.fold_row;
    float mx = plan.x + plan.w * 0.5f, my = plan.y + plan.h * 0.25f; /* on the plan, above the fold button */
    CHECK(row.h > 0 && row.h < plan.h * 0.5f && my < row.y);
    step(&c, (mh_input_state){.pointer = true, .pointer_x = mx, .pointer_y = my});
    CHECK(c.visit.hover.kind == MH_TARGET_MAP); /* unfolded: the plan takes the pointer */
    mh_visit_go_booth(&c.visit, 3, true);
    idle(&c, 1.0);
    CHECK(c.visit.panel.open && !c.visit.map_unfolded);
    step(&c, (mh_input_state){.pointer = true, .pointer_x = mx, .pointer_y = my});
    CHECK(c.visit.hover.kind != MH_TARGET_MAP && c.visit.hover.kind != MH_TARGET_HUD); /* folded: the hall shows */
    float rx = row.x + row.w * 0.5f, ry = row.y + row.h * 0.5f;
    step(&c, (mh_input_state){.pointer = true, .pointer_x = rx, .pointer_y = ry});
    CHECK(c.visit.hover.kind == MH_TARGET_HUD && c.visit.hover.id == MH_HUD_MAP);
    step(&c, (mh_input_state){.pointer = true, .pointer_x = rx, .pointer_y = ry, .actions = MH_ACT_SELECT});
    CHECK(c.visit.map_unfolded && c.visit.panel.open); /* the panel stays open */
    step(&c, (mh_input_state){.pointer = true, .pointer_x = mx, .pointer_y = my});
    CHECK(c.visit.hover.kind == MH_TARGET_MAP);
    mh_visit_go_booth(&c.visit, 5, true);
    idle(&c, 1.0);
    CHECK(c.visit.panel.open && c.visit.panel.booth == 5 && !c.visit.map_unfolded);
    teardown(&c);
}

/* Gaze: what the screen centre rests on for dwell_s is selected, once. */
static void test_dwell(void)
{
    ctx c;
    SETUP(&c, &(mh_visit_desc){.dwell_s = 1.0f});
    CHECK(c.visit.reticle);
    face_booth(&c, 2, 9.0f);
    idle(&c, 0.5);
    CHECK(c.visit.hover.kind == MH_TARGET_BOOTH && c.visit.hover.id == 2);
    CHECK(!c.visit.teleporting);
    idle(&c, 0.6);
    CHECK(c.visit.teleporting && c.visit.tp_panel == 2);
    teardown(&c);
    /* without dwell, looking does nothing */
    SETUP(&c, &(mh_visit_desc){0});
    face_booth(&c, 2, 9.0f);
    idle(&c, 3.0);
    CHECK(!c.visit.teleporting && !c.visit.panel.open);
    teardown(&c);
}

/* Standing near a booth and facing it opens its panel after a moment;
 * walking away closes it. */
static void test_walk_up(void)
{
    ctx c;
    SETUP(&c, &(mh_visit_desc){0});
    mh_vec2 spot;
    float yaw, pitch;
    mh_visit_spot_view(&c.hall, 7, &spot, &yaw, &pitch);
    mh_nav_place(&c.nav, spot, yaw, 0);
    idle(&c, 0.3);
    CHECK(!c.visit.panel.open);
    idle(&c, 0.5);
    CHECK(c.visit.panel.open && c.visit.panel.booth == 7);
    mh_nav_place(&c.nav, c.hall.entrance_pos, 0, 0);
    idle(&c, 0.1);
    CHECK(!c.visit.panel.open);
    /* facing away from it, nothing opens */
    mh_nav_place(&c.nav, spot, yaw + MH_PI, 0);
    idle(&c, 2.0);
    CHECK(!c.visit.panel.open);
    teardown(&c);
}

int main(void)
{
    mh_log_set_level(MH_LOG_WARN);
    test_teleport_and_back();
    test_reading_view();
    test_language_and_attract();
    test_idle_timeout_off();
    test_tour();
    test_click_booth();
    test_map_folds();
    test_dwell();
    test_walk_up();
    return mh_test_done("test_visit");
}
