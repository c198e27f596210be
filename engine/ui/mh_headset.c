/* mh_headset.c - the visitor cycle tied to the headset, and the menu, the
 * teleport arc, the vignette, height calibration, captions and the hint
 * wired to the visit (see mh_headset.h). */
#include "mh_headset.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/mh_log.h"
#include "../scene/mh_nav.h"
#include "include/metahall.h"

#define GRACE_DEFAULT 5.0f
#define HINT_TIME 8.0 /* seconds the hint stays, then fades */
#define HINT_FADE 0.6
#define HINT_DIST 1.4f
#define HINT_DROP 0.12f
#define HINT_WIDTH 1.0f
#define HINT_EM 0.042f
#define CAPTION_DIST 1.6f
#define CAPTION_DROP 0.43f /* about 15 degrees below the eyes */
#define CAPTION_WIDTH 1.25f
#define CAPTION_EM 0.045f
#define VOLUME_STEP 0.1f
#define BEAM_LENGTH 3.0f /* the controller's beam when it is on no menu */
#define BEAM_WIDTH 0.006f

static const mh_rgba ACCENT = {120, 190, 255, 255}, HINT_EDGE = {255, 210, 60, 255};

static mh_headset_desc headset_desc_defaults(const mh_headset_desc *d)
{
    mh_headset_desc r = *d;
    r.grace_s = d->grace_s == 0 ? GRACE_DEFAULT : d->grace_s;
    r.eye_height = d->eye_height > 0 ? d->eye_height : MH_EYE_HEIGHT;
    return r;
}

void mh_headset_init(mh_headset *h, const mh_headset_desc *desc)
{
    memset(h, 0, sizeof *h);
    h->desc = headset_desc_defaults(desc);
    h->seated = h->desc.seated;
    h->presence = MH_HEADSET_UNKNOWN;
}

const char *mh_headset_presence_name(const mh_headset *h)
{
    return h->presence == MH_HEADSET_WORN ? "worn" : h->presence == MH_HEADSET_OFF ? "off" : NULL;
}

const char *mh_headset_hint_text(mh_lang lang, bool hand)
{
    if (lang == MH_LANG_ZH)
        return hand ? "欢迎！用手柄指向展位，扣动扳机前往。\n右摇杆向前推出弧线，松开即传送；左右拨动可转向。\n按菜单键"
                      "打开菜单。"
                    : "欢迎！注视展位片刻即可前往。\n向下看，注视菜单图标可打开菜单。";
    return hand ? "Welcome! Point at a booth and pull the trigger to go there.\n"
                  "Push the right stick forward to aim, let go to teleport; flick it sideways to turn.\n"
                  "The menu button opens the menu."
                : "Welcome! Look at a booth for a moment to go there.\nLook down at the menu icon to open the menu.";
}

/* ---- the visitor cycle ------------------------------------------------------- */

static void freeze_input(mh_input_state *in)
{
    in->move_forward = in->move_right = in->turn = in->tilt = in->look_yaw = in->look_pitch = 0;
    in->actions = 0;
    in->activity = in->teleport_aim = false;
}

static void reset_visit(mh_headset *h, mh_visit *v, double now)
{
    mh_log_info("headset",
                "headset off for %.2f s: the visit is reset (panels closed, tour ended, language %s), "
                "attract mode",
                now - h->off_since, v->desc.language == MH_LANG_EN ? "en" : "zh");
    mh_world_menu_close(&h->menu);
    h->hint_until = 0;
    h->arc_shown = false;
    mh_visit_tour_stop(v);
    mh_visit_attract(v);
    h->reset = true;
}

/* The headset goes on: a fresh visit (at the kiosk's start, after a reset,
 * or out of attract mode), or the same one when it was off only briefly. */
static void put_on(mh_headset *h, mh_visit *v, const mh_headset_frame *f, mh_input_state *in, double now)
{
    bool first = h->presence == MH_HEADSET_UNKNOWN;
    if (!first && !h->reset && v->mode != MH_VISIT_ATTRACT) {
        mh_log_info("headset", "headset back on after %.2f s: the visit goes on", now - h->off_since);
        return;
    }
    h->visits++;
    h->visit_started = now;
    h->reset = false;
    if (v->mode == MH_VISIT_ATTRACT) {
        in->activity = true; /* the visit wakes at the entrance, out of the dark */
    } else if (!first) {
        mh_visit_tour_stop(v);
        mh_visit_go_entrance(v);
    }
    mh_world_menu_close(&h->menu);
    h->hint_until = now + HINT_TIME;
    h->hint.placed = false;
    h->recenter = true;
    h->calibrate = h->seated;
    mh_log_info("headset", "headset on: visit %d begins%s (%s)", h->visits, first ? "" : " at the entrance",
                f->hand ? "controllers" : "gaze");
}

static void cycle(mh_headset *h, mh_visit *v, const mh_headset_frame *f, mh_input_state *in)
{
    mh_headset_state now = (mh_headset_state)in->headset;
    double t = f->time_s;
    if (now == MH_HEADSET_UNKNOWN)
        return;
    if (now != h->presence) {
        if (now == MH_HEADSET_OFF) {
            h->off_since = t;
            mh_log_info("headset", "headset taken off");
        } else {
            put_on(h, v, f, in, t);
        }
        h->presence = now;
    }
    if (now != MH_HEADSET_OFF)
        return;
    if (!h->reset && h->desc.grace_s >= 0 && t - h->off_since >= h->desc.grace_s)
        reset_visit(h, v, t);
    freeze_input(in);
}

/* ---- the menu and its gaze target ---------------------------------------------- */

static mh_world_menu_state menu_state(const mh_headset *h, const mh_visit *v)
{
    return (mh_world_menu_state){.lang = v->lang,
                                 .touring = v->mode == MH_VISIT_TOUR,
                                 .volume = v->muted ? 0.0f : (float)v->volume / 100.0f,
                                 .seated = h->seated};
}

static bool target_shown(const mh_headset *h, const mh_visit *v)
{
    return h->frame.headset && !h->frame.hand && !h->menu.open && v->mode != MH_VISIT_ATTRACT && !v->teleporting;
}

static mh_panel_pose target_pose(const mh_headset *h)
{
    return mh_follow_pose(&h->target, h->frame.head, MH_MENU_TARGET_DISTANCE, MH_MENU_TARGET_DROP);
}

static void open_menu(mh_headset *h, const mh_headset_frame *f)
{
    mh_world_menu_open(&h->menu, f->head, f->head_yaw, f->time_s);
    mh_log_info("headset", "menu opened");
}

static void choose(mh_headset *h, mh_visit *v, mh_menu_item item, const mh_headset_frame *f)
{
    char buf[64];
    mh_world_menu_state s = menu_state(h, v);
    mh_log_info("headset", "menu: %s",
                item == MH_MENU_TARGET ? "target" : mh_world_menu_label(item, &s, buf, sizeof buf));
    bool close = true;
    switch (item) {
    case MH_MENU_TARGET: open_menu(h, f); return;
    case MH_MENU_ZH:
        mh_visit_set_language(v, MH_LANG_ZH);
        close = false;
        break;
    case MH_MENU_EN:
        mh_visit_set_language(v, MH_LANG_EN);
        close = false;
        break;
    case MH_MENU_TOUR:
        if (v->mode == MH_VISIT_TOUR)
            mh_visit_tour_stop(v);
        else
            mh_visit_tour_start(v);
        break;
    case MH_MENU_NEXT: mh_visit_tour_next(v); break;
    case MH_MENU_ENTRANCE:
        mh_visit_tour_stop(v);
        mh_visit_go_entrance(v);
        break;
    case MH_MENU_RECENTER: h->recenter = true; break;
    case MH_MENU_QUIETER:
    case MH_MENU_LOUDER: { /* the visit's volume, the same the screen's button and VOLUME set */
        float vol =
            (v->muted ? 0.0f : (float)v->volume / 100.0f) + (item == MH_MENU_LOUDER ? VOLUME_STEP : -VOLUME_STEP);
        mh_visit_set_volume(v, (int)(roundf(mh_clampf(vol, 0.0f, 1.0f) * 10.0f) * 10.0f));
    }
        close = false;
        break;
    case MH_MENU_SEATED:
        h->seated = !h->seated;
        h->calibrate = h->seated;
        if (!h->seated)
            h->height_offset = 0; /* standing: the visitor's own height again */
        close = false;
        break;
    case MH_MENU_CALIBRATE:
        h->calibrate = true;
        close = false;
        break;
    default: close = item == MH_MENU_CLOSE; break;
    }
    if (close)
        mh_world_menu_close(&h->menu);
}

/* What the ray is on: a menu item, the gaze target, or nothing (then *t is
 * left as it was). */
static mh_menu_item aimed(const mh_headset *h, const mh_visit *v, const mh_headset_frame *f, float *t)
{
    if (!f->ray)
        return MH_MENU_NONE;
    if (h->menu.open) {
        mh_world_menu_state s = menu_state(h, v);
        return mh_world_menu_hit(&h->menu, &s, f->ray_origin, f->ray_dir, t);
    }
    if (target_shown(h, v) && mh_world_menu_target_hit(target_pose(h), f->ray_origin, f->ray_dir, t))
        return MH_MENU_TARGET;
    return MH_MENU_NONE;
}

static void menu_input(mh_headset *h, mh_visit *v, const mh_headset_frame *f, mh_visit_frame *vf, mh_input_state *in)
{
    if (in->actions & MH_ACT_MENU) {
        in->actions &= ~MH_ACT_MENU;
        if (h->menu.open) {
            mh_world_menu_close(&h->menu);
            mh_log_info("headset", "menu closed");
        } else {
            open_menu(h, f);
        }
    }
    if (h->menu.open && (in->actions & MH_ACT_BACK)) {
        in->actions &= ~MH_ACT_BACK;
        mh_world_menu_close(&h->menu);
    }
    h->ray_length = BEAM_LENGTH;
    mh_menu_item item = aimed(h, v, f, &h->ray_length);
    if (item != h->menu.hover) {
        h->menu.hover = item;
        h->menu.hover_since = f->time_s;
    }
    if (item == MH_MENU_NONE)
        return;
    vf->aim_taken = true;
    bool dwelt = h->desc.dwell_s > 0 && !f->pointer && item != MH_MENU_BODY &&
                 f->time_s - h->menu.hover_since >= h->desc.dwell_s;
    bool select = (in->actions & MH_ACT_SELECT) != 0;
    in->actions &= ~MH_ACT_SELECT;
    if (dwelt)
        h->menu.hover_since = 1e30; /* once per look */
    if ((select || dwelt) && item != MH_MENU_BODY)
        choose(h, v, item, f);
}

/* ---- the teleport arc -------------------------------------------------------------- */

static void arc_input(mh_headset *h, mh_visit *v, const mh_headset_frame *f, mh_input_state *in, const mh_nav *nav)
{
    bool release = h->arc_shown && !in->teleport_aim && (in->actions & MH_ACT_TELEPORT);
    if (release) {
        in->actions &= ~MH_ACT_TELEPORT;
        if (h->arc.ok) {
            mh_log_info("headset", "teleport by the arc to (%.1f, %.1f)", h->arc.landing.x, h->arc.landing.y);
            mh_visit_go_to(v, h->arc.landing, nav->yaw);
        } else {
            mh_log_info("headset", "teleport refused: nobody may stand %s", h->arc.lands ? "there" : "in mid-air");
        }
    }
    h->arc_shown = in->teleport_aim && f->ray && !v->teleporting;
    if (!h->arc_shown)
        return;
    in->actions &= ~MH_ACT_TELEPORT;
    /* without a controller the arc leaves from about where a hand would be */
    mh_vec3 o = f->hand ? f->ray_origin : mh_v3_add(f->ray_origin, mh_v3(0, -0.45f, 0));
    mh_arc_throw(&h->arc, o, f->ray_dir, nav->pos, f->collide);
}

/* ---- each frame ----------------------------------------------------------------------- */

static void comfort(mh_headset *h, const mh_visit *v, const mh_headset_frame *f, const mh_input_state *in)
{
    bool gliding = f->headset && !v->teleporting &&
                   (fabsf(in->move_forward) > 0.05f || fabsf(in->move_right) > 0.05f || fabsf(in->turn) > 0.05f);
    mh_vignette_step(&h->vignette, gliding, (float)f->dt_s);
    if (h->calibrate && f->headset) {
        h->height_offset = mh_comfort_height_offset(f->head_height, f->from_floor, h->desc.eye_height);
        h->calibrate = false;
        mh_log_info("headset", "height calibrated: eyes at %.2f m (the head was %.2f m %s; offset %+.2f m)",
                    h->desc.eye_height, f->head_height, f->from_floor ? "above the floor" : "from its start",
                    h->height_offset);
    }
    mh_follow_step(&h->caption, f->head_yaw, (float)f->dt_s);
    mh_follow_step(&h->hint, f->head_yaw, (float)f->dt_s);
    mh_follow_step(&h->target, f->head_yaw, (float)f->dt_s);
}

void mh_headset_update(mh_headset *h, mh_visit *v, const mh_headset_frame *f, mh_visit_frame *vf, mh_input_state *in,
                       mh_nav *nav)
{
    h->recenter = false;
    h->frame = *f;
    cycle(h, v, f, in);
    if (h->presence == MH_HEADSET_OFF || v->mode == MH_VISIT_ATTRACT) {
        mh_world_menu_close(&h->menu);
        h->arc_shown = false;
        h->vignette = 0;
        return;
    }
    if (v->teleporting && h->menu.open)
        mh_world_menu_close(&h->menu);
    menu_input(h, v, f, vf, in);
    arc_input(h, v, f, in, nav);
    comfort(h, v, f, in);
    h->facing = nav->yaw;
}

void mh_headset_tick(mh_headset *h, mh_visit *v, double time_s, mh_input_state *in)
{
    mh_headset_frame f = h->frame;
    f.time_s = time_s;
    f.dt_s = 0;
    h->recenter = false;
    cycle(h, v, &f, in);
}

/* ---- drawing ------------------------------------------------------------------------- */

/* What the screen's caption band would show (narration pieces, the tour's stop). */
static const char *caption(const mh_visit *v, char *buf, size_t size)
{
    (void)buf;
    (void)size;
    return mh_visit_caption(v);
}

static void draw_cards(mh_headset *h, const mh_visit *v, mh_ui_batch *b)
{
    const mh_headset_frame *f = &h->frame;
    char buf[512];
    const char *text = f->headset ? caption(v, buf, sizeof buf) : NULL;
    float d = sqrtf(CAPTION_DIST * CAPTION_DIST + CAPTION_DROP * CAPTION_DROP);
    mh_card cap = {.text = text,
                   .width = CAPTION_WIDTH,
                   .em = mh_comfort_text_em(CAPTION_EM, d),
                   .max_lines = 3,
                   .alpha = 1,
                   .edge = ACCENT};
    if (text)
        mh_card_draw(&cap, mh_follow_pose(&h->caption, f->head, CAPTION_DIST, CAPTION_DROP), v->glyphs, b);
    double left = h->hint_until - f->time_s;
    if (left <= 0)
        return;
    d = sqrtf(HINT_DIST * HINT_DIST + HINT_DROP * HINT_DROP);
    mh_card hint = {.text = mh_headset_hint_text(v->lang, f->hand),
                    .width = HINT_WIDTH,
                    .em = mh_comfort_text_em(HINT_EM, d),
                    .max_lines = 6,
                    .alpha = mh_clampf((float)(left / HINT_FADE), 0, 1),
                    .edge = HINT_EDGE};
    mh_card_draw(&hint, mh_follow_pose(&h->hint, f->head, HINT_DIST, HINT_DROP), v->glyphs, b);
}

/* The controller's beam, and a dot where it meets the menu. */
static void draw_beam(const mh_headset *h, mh_ui_batch *b)
{
    const mh_headset_frame *f = &h->frame;
    mh_vec3 o = f->ray_origin, e = mh_v3_add(o, mh_v3_scale(f->ray_dir, h->ray_length));
    mh_vec3 side = mh_v3_norm(mh_v3_cross(f->ray_dir, mh_v3(0, 1, 0)));
    if (mh_v3_len(side) < 0.5f)
        side = mh_v3(1, 0, 0);
    mh_vec3 up = mh_v3_cross(side, f->ray_dir);
    mh_ui_set(b, MH_UI_WORLD, 0, false);
    for (int k = 0; k < 2; k++) {
        mh_vec3 w = mh_v3_scale(k ? up : side, BEAM_WIDTH * 0.5f);
        mh_vec3 q[4] = {mh_v3_sub(o, w), mh_v3_add(o, w), mh_v3_add(e, w), mh_v3_sub(e, w)};
        mh_rgba c0 = {120, 200, 255, 200}, c1 = {120, 200, 255, h->ray_length < BEAM_LENGTH ? 230 : 0};
        mh_rgba cols[4] = {c0, c0, c1, c1};
        mh_ui_gradient(b, q, cols);
    }
    if (h->ray_length >= BEAM_LENGTH)
        return;
    mh_vec3 dot = mh_v3_sub(e, mh_v3_scale(f->ray_dir, 0.004f)), r = mh_v3_scale(side, 0.008f),
            u = mh_v3_scale(up, 0.008f);
    mh_vec3 q[4] = {mh_v3_add(mh_v3_sub(dot, r), u), mh_v3_add(mh_v3_add(dot, r), u), mh_v3_sub(mh_v3_add(dot, r), u),
                    mh_v3_sub(mh_v3_sub(dot, r), u)};
    mh_ui_solid(b, q, (mh_rgba){255, 255, 255, 255});
}

void mh_headset_draw(mh_headset *h, const mh_visit *v, mh_ui_batch *b)
{
    const mh_headset_frame *f = &h->frame;
    if (v->mode == MH_VISIT_ATTRACT || h->presence == MH_HEADSET_OFF)
        return;
    draw_cards(h, v, b);
    mh_world_menu_state s = menu_state(h, v);
    mh_world_menu_draw(&h->menu, &s, v->glyphs, b, f->time_s, f->pointer ? 0 : h->desc.dwell_s);
    if (target_shown(h, v)) {
        bool hot = h->menu.hover == MH_MENU_TARGET;
        float p = hot && h->desc.dwell_s > 0 && h->menu.hover_since < 1e29
                      ? (float)((f->time_s - h->menu.hover_since) / h->desc.dwell_s)
                      : 0;
        mh_world_menu_target_draw(target_pose(h), v->lang, hot, p, v->glyphs, b);
    }
    if (h->arc_shown)
        mh_arc_draw(&h->arc, h->facing, b);
    else if (f->headset && f->hand && f->ray && !v->teleporting)
        draw_beam(h, b);
    if (f->headset)
        mh_vignette_draw(h->vignette, f->width, f->height, b);
}
