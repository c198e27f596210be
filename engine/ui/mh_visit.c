/* mh_visit.c - one job: the visitor's state machine. Every input of a frame
 * (pointing and picking, panel pages and views, teleports, the guided tour,
 * idleness and attract mode) becomes a transition of one mh_visit here, so
 * the rules of a visit read in one place; drawing is mh_hud.c, mh_panel_*.c
 * and mh_caption.c, the headset's parts mh_headset.c. Over 700 lines for
 * that reason: splitting it would spread one state machine over files. */
#include "mh_visit.h"

#include <stdio.h>
#include <string.h>

#include "../core/mh_log.h"
#include "../core/mh_utf8.h"
#include "../scene/mh_scene.h"
#include "include/metahall.h"
#include "mh_panel_fit.h"

#define FADE_OUT 0.22
#define FADE_IN 0.28
#define WALKUP_DIST 3.2f /* metres from the panel spot that opens it */
#define WALKUP_TIME 0.6  /* seconds standing there, facing the booth */
#define LEAVE_DIST 7.5f  /* walking this far from an open panel closes it */
#define AT_DIST 0.8f
#define ORBIT_RADIUS 9.0f
#define ORBIT_HEIGHT 3.2f
#define ORBIT_PERIOD 90.0 /* seconds per turn around the atrium */
#define STAGE (-2)
#define SPOT_DIST 4.2f   /* a spot's view point, from its front edge (as mh_scene_booth_view) */
#define PANEL_DIST 1.85f /* from the view point to the panel: it fills two thirds of the view */
#define PANEL_Y 1.52f    /* panel centre height */
/* Brought to a booth's panel on a screen, the visitor faces this far left
 * of the booth: the exhibit stands in the right of the view, the panel at
 * its left (centred, it covered the exhibit) */
#define PANEL_TURN 24.0f
/* On a portrait screen the view is too narrow for both side by side: the
 * visitor looks this far down instead, the exhibit stands in the top of the
 * view and the panel below it (centred, it covered the exhibit) */
#define PANEL_TILT 16.0f
#define KEEP_BOOTH 1.3f /* metres each side of a booth's landmark the panel leaves clear */
#define KEEP_STAGE 0.6f /* of the stage's radius, the same for its featured exhibit */

/* Zero means default: attract mode after 60 s (dwell 0 is off, and Chinese
 * is language 0). */
static mh_visit_desc visit_desc_defaults(const mh_visit_desc *d)
{
    mh_visit_desc r = *d;
    r.idle_timeout_s = d->idle_timeout_s == 0 ? 60.0f : d->idle_timeout_s;
    r.volume = d->volume <= 0 ? 80 : d->volume;
    return r;
}

void mh_visit_init(mh_visit *v, const mh_hall_desc *hall, mh_glyphs *glyphs, const mh_visit_desc *desc)
{
    memset(v, 0, sizeof *v);
    v->hall = hall;
    v->glyphs = glyphs;
    v->desc = visit_desc_defaults(desc);
    v->lang = v->desc.language;
    v->reticle = v->desc.dwell_s > 0;
    v->dismissed = v->near_booth = -1;
    v->tp_panel = -1;
    v->volume = v->desc.volume > 100 ? 100 : v->desc.volume;
    v->muted = v->desc.muted;
    v->caption_part = -1;
    v->proj = mh_m4_perspective(mh_radians(60.0f), 16.0f / 9.0f, 0.05f, 250.0f);
    v->fit_w = 1920;
    v->fit_h = 1080;
}

/* ---- places in the hall -------------------------------------------------- */

static const mh_exhibit_desc *featured(const mh_hall_desc *h)
{
    int i = h->featured ? mh_hall_find_booth(h, h->featured) : -1;
    return i >= 0 ? &h->booths[i].exhibit : NULL;
}

/* Anchor of a spot: floor point, yaw (front = +Z turned by yaw) and the
 * distance from the anchor to its front edge. */
static void spot_anchor(const mh_hall_desc *h, int booth, mh_vec2 *pos, float *yaw, float *front)
{
    if (booth == STAGE) {
        *pos = h->stage_pos;
        *yaw = 0;
        *front = h->stage_radius;
    } else {
        *pos = h->booths[booth].pos;
        *yaw = mh_radians(h->booths[booth].yaw_deg);
        *front = h->booth_depth * 0.5f;
    }
}

void mh_visit_spot_view(const mh_hall_desc *h, int booth, mh_vec2 *pos, float *yaw, float *pitch)
{
    mh_vec2 a;
    float front;
    spot_anchor(h, booth, &a, yaw, &front);
    *pos = (mh_vec2){a.x + sinf(*yaw) * (front + SPOT_DIST), a.y + cosf(*yaw) * (front + SPOT_DIST)};
    *pitch = mh_radians(-3.0f); /* the panel's centre sits just below eye level */
}

/* Whether the reading view turns (a screen 4:3 or wider) or tilts (a
 * narrower one); a headset's is the straight view. */
static bool reading_turns(const mh_visit *v) { return !v->headset && v->fit_w * 3 >= v->fit_h * 4; }
static bool reading_tilts(const mh_visit *v) { return !v->headset && !reading_turns(v); }

void mh_visit_reading_view(const mh_visit *v, int booth, mh_vec2 *pos, float *yaw, float *pitch)
{
    mh_visit_spot_view(v->hall, booth, pos, yaw, pitch);
    if (reading_turns(v))
        *yaw += mh_radians(PANEL_TURN); /* yaw turns the view to the left */
    else if (reading_tilts(v))
        *pitch -= mh_radians(PANEL_TILT);
}

/* A panel PANEL_DIST in front of a camera at pos looking along yaw, facing
 * it; tilt (radians, down is negative) leans it back to face a view that
 * looks down. */
static mh_panel_pose pose_facing(mh_vec2 pos, float yaw, float tilt)
{
    mh_vec3 out = mh_v3(sinf(yaw) * cosf(tilt), -sinf(tilt), cosf(yaw) * cosf(tilt)); /* towards the camera */
    mh_vec3 right = mh_v3(cosf(yaw), 0, -sinf(yaw));
    return (mh_panel_pose){mh_v3(pos.x - out.x * PANEL_DIST, PANEL_Y - out.y * PANEL_DIST, pos.y - out.z * PANEL_DIST),
                           right, mh_v3_cross(out, right), out};
}

mh_panel_pose mh_visit_panel_pose(const mh_hall_desc *h, int booth)
{
    mh_vec2 a;
    float yaw, front;
    spot_anchor(h, booth, &a, &yaw, &front);
    mh_vec3 out = mh_v3(sinf(yaw), 0, cosf(yaw));
    float d = front + SPOT_DIST - PANEL_DIST;
    return (mh_panel_pose){mh_v3(a.x + out.x * d, PANEL_Y, a.y + out.z * d), mh_v3(cosf(yaw), 0, -sinf(yaw)),
                           mh_v3(0, 1, 0), out};
}

const mh_exhibit_desc *mh_visit_spot_exhibit(const mh_hall_desc *h, int booth)
{
    return booth == STAGE ? featured(h) : booth >= 0 ? &h->booths[booth].exhibit : NULL;
}

static float dist2(mh_vec2 a, mh_vec2 b) { return (a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y); }

void mh_visit_where(const mh_visit *v, const mh_nav *nav, char *out, size_t size)
{
    const mh_hall_desc *h = v->hall;
    out[0] = '\0';
    if (dist2(nav->pos, h->entrance_pos) < AT_DIST * AT_DIST) {
        snprintf(out, size, "entrance");
        return;
    }
    for (int i = STAGE; i < h->booth_count; i++) {
        if (i == -1 || (i == STAGE && !featured(h)))
            continue;
        mh_vec2 p;
        float yaw, pitch;
        mh_visit_spot_view(h, i, &p, &yaw, &pitch);
        if (dist2(nav->pos, p) < AT_DIST * AT_DIST) {
            if (i == STAGE)
                snprintf(out, size, "stage");
            else
                snprintf(out, size, "booth:%s", h->booths[i].exhibit.id);
            return;
        }
    }
}

/* ---- actions -------------------------------------------------------------- */

/* ---- narration: what plays, and its captions ----------------------------------- */

static int utf8_length(const char *s);

static float estimate_length(const char *text, mh_lang lang)
{
    int n = utf8_length(text);
    return mh_clampf(lang == MH_LANG_ZH ? 3.0f + 0.2f * (float)n : 3.0f + 0.06f * (float)n, 6.0f, 20.0f);
}

static const char *narration_text(const mh_exhibit_desc *ex, mh_lang lang)
{
    return lang == MH_LANG_ZH ? ex->narration_zh : ex->narration_en;
}

/* The caption pieces for the narration's length (the audio's once known). */
static void build_captions(mh_visit *v)
{
    const mh_exhibit_desc *ex = v->narration;
    const mh_narration_audio *a = v->narration_lang == MH_LANG_ZH ? &ex->narration_audio_zh : &ex->narration_audio_en;
    float size = mh_hud_min_cap(&v->hud) > 0 ? 32.0f * v->hud.scale : 32.0f;
    float width = v->hud.caption.w > 0 ? v->hud.caption.w - 2 * 14.0f * v->hud.scale - 4 * size : 1000.0f;
    mh_caption_desc d = {.text = narration_text(ex, v->narration_lang),
                         .cues = v->narration_audio ? a->cues : NULL,
                         .cue_count = v->narration_audio ? a->cue_count : 0,
                         .duration = v->narration_length,
                         .glyphs = v->glyphs,
                         .width_em = width / size,
                         .max_lines = 2};
    mh_caption_build(&v->caption_track, &d);
    v->caption_part = -1;
}

/* Starts the exhibit's narration in the visit's language (the engine plays
 * its audio when it has one); NULL stops it. */
static void narrate(mh_visit *v, const mh_exhibit_desc *ex)
{
    v->narration_serial++;
    v->narration = ex && narration_text(ex, v->lang) ? ex : NULL;
    v->narration_lang = v->lang;
    v->narration_started = v->now;
    v->narration_pos = 0;
    v->narration_audio = false;
    v->caption_part = -1;
    if (!v->narration)
        return;
    v->narration_length = estimate_length(narration_text(ex, v->lang), v->lang);
    build_captions(v);
}

/* The engine says how far the audio is: captions follow it. */
static void follow_narration(mh_visit *v, const mh_visit_frame *f)
{
    if (!v->narration)
        return;
    bool audio = f->narration_s >= 0 && f->narration_length > 0;
    if (audio && (!v->narration_audio || v->narration_length != f->narration_length)) {
        v->narration_audio = true;
        v->narration_length = f->narration_length;
        build_captions(v);
    }
    v->narration_pos = audio ? f->narration_s : (float)(v->now - v->narration_started);
    v->caption_part = mh_caption_at(&v->caption_track, v->narration_pos);
}

const char *mh_visit_caption(const mh_visit *v)
{
    if (v->mode == MH_VISIT_ATTRACT)
        return NULL;
    bool touring = v->mode == MH_VISIT_TOUR, zh = v->lang == MH_LANG_ZH;
    if (touring && v->tour_paused)
        return zh ? "导览已暂停。点“继续导览”接着参观，或自由参观。"
                  : "Tour paused. Tap Resume to continue, or explore on your own.";
    if (touring && !strcmp(v->hall->tour[v->tour_stop], "entrance"))
        return v->welcome;
    if (v->narration && v->caption_part >= 0 && (touring || v->narration_audio))
        return v->caption_track.current;
    return NULL;
}

static void close_panel(mh_visit *v)
{
    if (v->panel.open && v->narration)
        narrate(v, NULL);
    mh_panel_close(&v->panel);
}

static void teleport(mh_visit *v, mh_vec2 pos, float yaw, float pitch, int panel)
{
    v->teleporting = true;
    v->moved = false;
    v->tp_start = v->now;
    v->tp_pos = pos;
    v->tp_yaw = yaw;
    v->tp_pitch = pitch;
    v->tp_panel = panel;
    close_panel(v);
}

/* The part of the screen the reading view's exhibit takes (pixels): the
 * panel leaves it clear. Turned, a column round the landmark; tilted, the
 * band from the top of the screen down to the landmark's foot. */
static mh_rect exhibit_rect(const mh_visit *v, int booth, mh_mat4 view)
{
    const mh_hall_desc *h = v->hall;
    mh_vec3 at =
        booth == STAGE ? mh_v3(h->stage_pos.x, h->stage_height, h->stage_pos.y) : mh_scene_booth_plinth(h, booth);
    float half = booth == STAGE ? h->stage_radius * KEEP_STAGE : KEEP_BOOTH;
    mh_vec4 c = mh_m4_mul_v4(view, (mh_vec4){at.x, at.y, at.z, 1});
    mh_vec4 q = mh_m4_mul_v4(v->proj, c);
    if (-c.z <= 0.1f || q.w <= 1e-4f)
        return (mh_rect){0};
    float x = (q.x / q.w * 0.5f + 0.5f) * (float)v->fit_w;
    float y = (0.5f - q.y / q.w * 0.5f) * (float)v->fit_h;
    float ppm = v->proj.m[0] * (float)v->fit_w * 0.5f / -c.z; /* pixels per metre across, at its depth */
    if (reading_tilts(v))
        return (mh_rect){0, 0, (float)v->fit_w, fmaxf(0.0f, y)};
    return (mh_rect){x - half * ppm, 0, 2 * half * ppm, (float)v->fit_h};
}

/* Where booth's panel goes on this screen: clear of the screen interface,
 * seen from the booth's spot (turned: mh_visit_reading_view, clear of the
 * exhibit too). */
static mh_panel_pose fit_panel(mh_visit *v, int booth, bool turned, mh_panel_fit *fit)
{
    mh_vec2 pos;
    float yaw, pitch;
    if (turned)
        mh_visit_reading_view(v, booth, &pos, &yaw, &pitch);
    else
        mh_visit_spot_view(v->hall, booth, &pos, &yaw, &pitch);
    mh_nav spot = {0};
    mh_nav_place(&spot, pos, yaw, pitch);
    mh_mat4 view = mh_nav_view_matrix(&spot);
    mh_hud_arrange(&v->hud, v->fit_w, v->fit_h, v->hall, v->glyphs, v->lang);
    mh_panel_fit_desc d = {.width = v->fit_w,
                           .height = v->fit_h,
                           .view = view,
                           .proj = v->proj,
                           .pose = turned ? pose_facing(pos, yaw, reading_tilts(v) ? -mh_radians(PANEL_TILT) : 0)
                                          : mh_visit_panel_pose(v->hall, booth),
                           .keep = turned && !v->headset ? exhibit_rect(v, booth, view) : (mh_rect){0},
                           .reserve = v->hud.reserve,
                           .headset = v->headset,
                           .min_cap_px = mh_hud_min_cap(&v->hud),
                           .cap_ratio = mh_glyphs_cap_height(v->glyphs)};
    return mh_panel_fit_place(&d, fit);
}

/* turned: the visitor was brought to the booth's panel view (a walk-up
 * opens it for the spot's straight view) */
static void open_panel(mh_visit *v, int booth, bool turned)
{
    const mh_exhibit_desc *ex = mh_visit_spot_exhibit(v->hall, booth);
    if (!ex)
        return;
    mh_panel_fit fit;
    v->panel_turned = turned;
    v->map_unfolded = false;
    mh_panel_pose pose = fit_panel(v, booth, turned, &fit);
    mh_panel_open(&v->panel, v->glyphs, ex, booth, v->lang, pose, fit, v->now);
    v->dismissed = -1;
    narrate(v, ex);
    mh_log_debug("visit", "panel %s opened (%d pages, %d views)", ex->id, v->panel.page_count, v->panel.view_count);
}

bool mh_visit_panel_page(mh_visit *v, int n, bool relative)
{
    if (!v->panel.open)
        return false;
    int to = relative ? v->panel.page + n : n;
    if (to < 0 || to >= v->panel.page_count)
        return false;
    if (mh_panel_set_page(&v->panel, to))
        v->page_turns++;
    return true;
}

bool mh_visit_panel_view(mh_visit *v, int n, bool relative)
{
    if (!v->panel.open || v->panel.view_count == 0)
        return false;
    int to = relative ? (v->panel.view + n + v->panel.view_count) % v->panel.view_count : n;
    if (to < 0 || to >= v->panel.view_count)
        return false;
    if (mh_panel_set_view(&v->panel, to))
        v->page_turns++;
    return true;
}

void mh_visit_set_volume(mh_visit *v, int percent)
{
    v->volume = percent < 0 ? 0 : percent > 100 ? 100 : percent;
    v->muted = false;
}

void mh_visit_set_muted(mh_visit *v, bool muted) { v->muted = muted; }

/* The visitor's button: 100 -> 70 -> 40 -> muted -> 100. */
static void volume_button(mh_visit *v)
{
    if (v->muted || v->volume <= 0)
        mh_visit_set_volume(v, 100);
    else if (v->volume > 70)
        mh_visit_set_volume(v, 70);
    else if (v->volume > 40)
        mh_visit_set_volume(v, 40);
    else
        v->muted = true;
}

void mh_visit_go_booth(mh_visit *v, int booth, bool panel)
{
    mh_vec2 p;
    float yaw, pitch;
    if (panel)
        mh_visit_reading_view(v, booth, &p, &yaw, &pitch);
    else
        mh_visit_spot_view(v->hall, booth, &p, &yaw, &pitch);
    teleport(v, p, yaw, pitch, panel ? booth : -1);
}

bool mh_visit_show_panel(mh_visit *v, int booth, mh_nav *nav)
{
    mh_vec2 p;
    float yaw, pitch;
    mh_visit_reading_view(v, booth, &p, &yaw, &pitch);
    mh_nav_place(nav, p, yaw, pitch);
    v->teleporting = false;
    v->fade = 0;
    open_panel(v, booth, true);
    v->panel.opened_at = v->now - 10.0; /* risen and settled */
    return v->panel.open;
}

void mh_visit_go_entrance(mh_visit *v)
{
    const mh_hall_desc *h = v->hall;
    teleport(v, h->entrance_pos, mh_radians(h->entrance_yaw_deg), mh_radians(h->entrance_pitch_deg), -1);
}

void mh_visit_go_to(mh_visit *v, mh_vec2 pos, float yaw) { teleport(v, pos, yaw, 0, -1); }

/* The tour's caption at the entrance, in the visit's language. */
static void write_welcome(mh_visit *v)
{
    bool zh = v->lang == MH_LANG_ZH;
    snprintf(v->welcome, sizeof v->welcome,
             zh ? "欢迎来到%s。导览将带您参观%d个展位。" : "Welcome to the %s. This tour visits %d booths.",
             zh ? v->hall->name_zh : v->hall->name_en, v->hall->booth_count);
}

void mh_visit_set_language(mh_visit *v, mh_lang lang)
{
    bool changed = v->lang != lang;
    v->lang = lang;
    mh_panel_relayout(&v->panel, lang);
    if (changed) /* a tour at its first stop shows the welcome: in the new language at once */
        write_welcome(v);
    if (changed && v->narration) /* the narration starts again in the new language */
        narrate(v, v->narration);
}

static int utf8_length(const char *s)
{
    int n = 0;
    while (s && *s) {
        mh_utf8_next(&s);
        n++;
    }
    return n;
}

const char *mh_visit_stop_text(const mh_visit *v, int stop, int *booth)
{
    const mh_hall_desc *h = v->hall;
    const char *s = h->tour[stop];
    *booth = -1;
    bool zh = v->lang == MH_LANG_ZH;
    if (!strcmp(s, "entrance"))
        return NULL;
    const mh_exhibit_desc *ex = NULL;
    if (!strcmp(s, "stage")) {
        *booth = STAGE;
        ex = featured(h);
    } else if ((*booth = mh_hall_find_booth(h, s)) >= 0) {
        ex = &h->booths[*booth].exhibit;
    }
    return ex ? (zh ? ex->narration_zh : ex->narration_en) : NULL;
}

static void go_stop(mh_visit *v, int stop)
{
    v->tour_stop = stop;
    v->tour_paused = false;
    v->stop_started = v->now;
    int booth;
    const char *text = mh_visit_stop_text(v, stop, &booth);
    v->stop_length = estimate_length(text, v->lang); /* the audio's length once it is known */
    if (booth == -1 && strcmp(v->hall->tour[stop], "entrance") != 0)
        booth = -3; /* an unknown stop: the loader refuses these, but stay safe */
    if (booth == -1 || booth == -3)
        mh_visit_go_entrance(v);
    else
        mh_visit_go_booth(v, booth, true);
    mh_log_debug("visit", "tour stop %d/%d: %s", stop + 1, v->hall->tour_count, v->hall->tour[stop]);
}

void mh_visit_tour_start(mh_visit *v)
{
    if (v->hall->tour_count <= 0)
        return;
    write_welcome(v);
    v->mode = MH_VISIT_TOUR;
    go_stop(v, 0);
}

void mh_visit_tour_stop(mh_visit *v)
{
    if (v->mode == MH_VISIT_TOUR)
        v->mode = MH_VISIT_EXPLORE;
    v->tour_paused = false;
}

void mh_visit_tour_resume(mh_visit *v, int stop, bool paused)
{
    if (stop < 0 || stop >= v->hall->tour_count)
        return;
    v->mode = MH_VISIT_TOUR;
    go_stop(v, stop);
    v->tour_paused = paused;
}

void mh_visit_tour_next(mh_visit *v)
{
    if (v->mode != MH_VISIT_TOUR)
        return;
    if (v->tour_stop + 1 >= v->hall->tour_count) {
        mh_visit_tour_stop(v);
        mh_log_debug("visit", "tour finished");
        return;
    }
    go_stop(v, v->tour_stop + 1);
}

void mh_visit_attract(mh_visit *v)
{
    close_panel(v);
    narrate(v, NULL);
    v->volume = v->desc.volume > 100 ? 100 : v->desc.volume;
    v->muted = v->desc.muted;
    v->legend = false;
    v->mode = MH_VISIT_ATTRACT;
    v->tour_paused = false;
    v->teleporting = false;
    v->fade = 0;
    v->lang = v->desc.language;
    v->dismissed = -1;
    v->attract_started = v->now;
    v->hover = (mh_target){MH_TARGET_NONE, 0};
    mh_log_info("visit", "attract mode (%.0f s without input)", v->idle_s);
}

void mh_visit_featured_changed(mh_visit *v)
{
    if (v->panel.open && v->panel.booth == STAGE)
        open_panel(v, STAGE, v->panel_turned);
    if (v->tp_panel == STAGE && !featured(v->hall))
        v->tp_panel = -1;
}

/* ---- picking -------------------------------------------------------------- */

static bool ray_box(mh_vec3 o, mh_vec3 d, mh_vec3 lo, mh_vec3 hi, float *t)
{
    float t0 = 0, t1 = 1e30f;
    const float *po = &o.x, *pd = &d.x, *pl = &lo.x, *ph = &hi.x;
    for (int a = 0; a < 3; a++) {
        if (fabsf(pd[a]) < 1e-9f) {
            if (po[a] < pl[a] || po[a] > ph[a])
                return false;
            continue;
        }
        float ta = (pl[a] - po[a]) / pd[a], tb = (ph[a] - po[a]) / pd[a];
        if (ta > tb) {
            float s = ta;
            ta = tb;
            tb = s;
        }
        t0 = ta > t0 ? ta : t0;
        t1 = tb < t1 ? tb : t1;
        if (t0 > t1)
            return false;
    }
    *t = t0;
    return true;
}

/* The nearest booth (or the stage) the ray hits. */
static mh_target pick_world(const mh_visit *v, mh_vec3 o, mh_vec3 d, float *best)
{
    const mh_hall_desc *h = v->hall;
    mh_target hit = {MH_TARGET_NONE, 0};
    for (int i = STAGE; i < h->booth_count; i++) {
        if (i == -1 || (i == STAGE && !featured(h)))
            continue;
        mh_vec2 a;
        float yaw, front, t;
        spot_anchor(h, i, &a, &yaw, &front);
        float c = cosf(yaw), s = sinf(yaw);
        mh_vec3 lo_, ld; /* the ray in the spot's frame */
        float rx = o.x - a.x, rz = o.z - a.y;
        lo_ = mh_v3(c * rx - s * rz, o.y, s * rx + c * rz);
        ld = mh_v3(c * d.x - s * d.z, d.y, s * d.x + c * d.z);
        mh_vec3 lo, hi;
        if (i == STAGE) {
            lo = mh_v3(-front, 0, -front);
            hi = mh_v3(front, 4.0f, front);
        } else {
            lo = mh_v3(-h->booth_width * 0.5f, 0, -front);
            hi = mh_v3(h->booth_width * 0.5f, h->booth_wall_height, front);
        }
        if (ray_box(lo_, ld, lo, hi, &t) && t < *best) {
            *best = t;
            hit = (mh_target){i == STAGE ? MH_TARGET_STAGE : MH_TARGET_BOOTH, i};
        }
    }
    return hit;
}

/* The world ray through pixel (px, py) of the frame's camera. */
bool mh_visit_frame_ray(const mh_visit_frame *f, float px, float py, mh_vec3 *o, mh_vec3 *d)
{
    mh_mat4 inv;
    if (!mh_m4_invert(mh_m4_mul(f->proj, f->view), &inv) || f->width <= 0 || f->height <= 0)
        return false;
    float nx = 2.0f * px / (float)f->width - 1.0f, ny = 1.0f - 2.0f * py / (float)f->height;
    mh_vec4 a = mh_m4_mul_v4(inv, (mh_vec4){nx, ny, -1, 1}), b = mh_m4_mul_v4(inv, (mh_vec4){nx, ny, 1, 1});
    mh_vec3 pa = mh_v3_scale(mh_v3(a.x, a.y, a.z), 1.0f / a.w), pb = mh_v3_scale(mh_v3(b.x, b.y, b.z), 1.0f / b.w);
    *o = f->eye;
    *d = mh_v3_norm(mh_v3_sub(pb, pa));
    return true;
}

/* What the screen interface shows now (mh_hud.c reads only this). */
static mh_hud_state hud_state(const mh_visit *v)
{
    bool stage = v->hover.kind == MH_TARGET_STAGE, spot = stage || v->hover.kind == MH_TARGET_BOOTH;
    return (mh_hud_state){
        .hall = v->hall,
        .glyphs = v->glyphs,
        .lang = v->lang,
        .attract = v->mode == MH_VISIT_ATTRACT,
        .touring = v->mode == MH_VISIT_TOUR,
        .tour_paused = v->tour_paused,
        .tour_stop = v->tour_stop,
        .caption = mh_visit_caption(v),
        .headset = v->headset,
        .pointer = v->pointer,
        .reticle = v->reticle,
        .pointer_x = v->pointer_x,
        .pointer_y = v->pointer_y,
        .hover = v->hover,
        .hover_since = v->hover_since,
        .hover_exhibit = spot ? mh_visit_spot_exhibit(v->hall, stage ? -2 : v->hover.id) : NULL,
        .dwell_s = v->desc.dwell_s,
        .now = v->now,
        .attract_started = v->attract_started,
        .fade = v->fade,
        .volume = v->volume,
        .muted = v->muted,
        .legend = v->legend,
        .folded = (v->panel.open || mh_hud_map_crowds(&v->hud)) && !v->map_unfolded,
    };
}

static mh_target pick(mh_visit *v, const mh_visit_frame *f, float px, float py)
{
    mh_hud_state hs = hud_state(v);
    mh_target t = mh_hud_hit(&v->hud, &hs, px, py);
    mh_vec3 o, d;
    if (t.kind != MH_TARGET_NONE || !mh_visit_frame_ray(f, px, py, &o, &d))
        return t;
    float best = 1e30f, tp;
    mh_panel_button pbtn = mh_panel_hit(&v->panel, o, d, &tp);
    t = pick_world(v, o, d, &best);
    if (pbtn != MH_PANEL_NONE && tp <= best)
        t = (mh_target){MH_TARGET_PANEL, pbtn};
    return t;
}

/* TELEPORT: to the booth aimed at, or to the floor point the ray meets
 * (within 20 m, where the visitor may stand), keeping the heading. */
static void teleport_to_aim(mh_visit *v, const mh_visit_frame *f, const mh_nav *nav)
{
    if (v->hover.kind == MH_TARGET_BOOTH) {
        mh_visit_go_booth(v, v->hover.id, false);
        return;
    }
    float px = v->pointer ? v->pointer_x : (float)f->width * 0.5f;
    float py = v->pointer ? v->pointer_y : (float)f->height * 0.5f;
    mh_vec3 o, d;
    if (!mh_visit_frame_ray(f, px, py, &o, &d) || d.y > -0.02f)
        return;
    float t = -o.y / d.y;
    mh_vec2 p = {o.x + d.x * t, o.z + d.z * t};
    if (t > 20.0f || (f->collide && mh_collide_blocked(f->collide, p, 0.3f)))
        return;
    teleport(v, p, nav->yaw, 0, -1);
}

static void toggle_language(mh_visit *v) { mh_visit_set_language(v, v->lang == MH_LANG_ZH ? MH_LANG_EN : MH_LANG_ZH); }

static void tour_button(mh_visit *v)
{
    if (v->mode != MH_VISIT_TOUR)
        mh_visit_tour_start(v);
    else if (v->tour_paused)
        go_stop(v, v->tour_stop); /* back to where the tour was, and on */
    else
        v->tour_paused = true;
}

static void panel_button(mh_visit *v, mh_panel_button b)
{
    const mh_panel *p = &v->panel;
    if (b == MH_PANEL_CLOSE) {
        v->dismissed = p->booth;
        close_panel(v);
    } else if (b == MH_PANEL_LANG) {
        toggle_language(v);
    } else if (b == MH_PANEL_PAGE_PREV || b == MH_PANEL_PAGE_NEXT) {
        mh_visit_panel_page(v, b == MH_PANEL_PAGE_NEXT ? 1 : -1, true);
    } else if (b == MH_PANEL_VIEW_PREV || b == MH_PANEL_VIEW_NEXT) {
        mh_visit_panel_view(v, b == MH_PANEL_VIEW_NEXT ? 1 : -1, true);
    } else if (b == MH_PANEL_VIEW && p->view_count > 0 && p->views[p->view].kind == MH_VIEW_PHOTO) {
        mh_visit_panel_view(v, 1, true); /* a tap on a photo shows the next view */
    }
}

/* A swipe across the panel: the facts turn the page, the view switches. */
static void swipe(mh_visit *v, const mh_visit_frame *f, float x, float y, int dir)
{
    mh_vec3 o, d;
    float t;
    if (!v->panel.open || !mh_visit_frame_ray(f, x, y, &o, &d))
        return;
    mh_panel_button b = mh_panel_hit(&v->panel, o, d, &t);
    if (b == MH_PANEL_VIEW || b == MH_PANEL_VIEW_PREV || b == MH_PANEL_VIEW_NEXT)
        mh_visit_panel_view(v, dir, true);
    else if (b != MH_PANEL_NONE)
        mh_visit_panel_page(v, dir, true);
}

static void activate(mh_visit *v, mh_target t)
{
    switch (t.kind) {
    case MH_TARGET_BOOTH:
    case MH_TARGET_STAGE:
        if (v->panel.open && v->panel.booth == t.id)
            break; /* already here, reading */
        mh_visit_tour_stop(v);
        mh_visit_go_booth(v, t.kind == MH_TARGET_STAGE ? STAGE : t.id, true);
        break;
    case MH_TARGET_PANEL: panel_button(v, (mh_panel_button)t.id); break;
    case MH_TARGET_HUD:
        if (t.id == MH_HUD_LANG)
            toggle_language(v);
        else if (t.id == MH_HUD_TOUR)
            tour_button(v);
        else if (t.id == MH_HUD_NEXT)
            mh_visit_tour_next(v);
        else if (t.id == MH_HUD_HOME) {
            mh_visit_tour_stop(v);
            mh_visit_go_entrance(v);
        } else if (t.id == MH_HUD_VOLUME) {
            volume_button(v);
        } else if (t.id == MH_HUD_LEGEND) {
            v->legend = !v->legend;
        } else if (t.id == MH_HUD_MAP) {
            v->map_unfolded = true;
        }
        break;
    case MH_TARGET_MAP: /* the map's empty floor (MH_HUD_NOWHERE): nothing to go to */
        if (t.id == MH_HUD_ENTRANCE || t.id >= 0 || (t.id == MH_HUD_STAGE && featured(v->hall)))
            mh_visit_tour_stop(v);
        if (t.id == MH_HUD_ENTRANCE)
            mh_visit_go_entrance(v);
        else if (t.id == MH_HUD_STAGE && featured(v->hall))
            mh_visit_go_booth(v, STAGE, true);
        else if (t.id >= 0)
            mh_visit_go_booth(v, t.id, true);
        break;
    default: break;
    }
}

/* ---- the frame -------------------------------------------------------------- */

/* Pages and views from keys and the controller, swipes, and drags that
 * start on the panel (which move its pages, not the visitor). */
static void panel_actions(mh_visit *v, const mh_visit_frame *f, mh_input_state *in)
{
    uint32_t act = in->actions;
    if (act & (MH_ACT_PAGE_NEXT | MH_ACT_PAGE_PREV))
        mh_visit_panel_page(v, (act & MH_ACT_PAGE_NEXT) ? 1 : -1, true);
    if (act & (MH_ACT_VIEW_NEXT | MH_ACT_VIEW_PREV))
        mh_visit_panel_view(v, (act & MH_ACT_VIEW_NEXT) ? 1 : -1, true);
    if ((act & (MH_ACT_SWIPE_LEFT | MH_ACT_SWIPE_RIGHT)) && in->pointer)
        swipe(v, f, in->pointer_x, in->pointer_y, (act & MH_ACT_SWIPE_LEFT) ? 1 : -1);
    if (!in->dragging) {
        v->drag_on_panel = false;
        return;
    }
    mh_vec3 o, d;
    float t;
    if (!v->drag_on_panel && v->panel.open && mh_visit_frame_ray(f, in->drag_x, in->drag_y, &o, &d))
        v->drag_on_panel = mh_panel_hit(&v->panel, o, d, &t) != MH_PANEL_NONE;
    if (v->drag_on_panel)
        in->look_yaw = in->look_pitch = in->move_forward = in->move_right = 0;
}

/* A new drawable size: the screen interface and an open panel follow it. */
static void follow_screen(mh_visit *v, const mh_visit_frame *f)
{
    if (f->width <= 0 || f->height <= 0)
        return;
    v->proj = f->proj;
    if (f->width == v->fit_w && f->height == v->fit_h)
        return;
    v->fit_w = f->width;
    v->fit_h = f->height;
    if (v->panel.open) {
        mh_panel_fit fit;
        mh_panel_pose pose = fit_panel(v, v->panel.booth, v->panel_turned, &fit);
        mh_panel_refit(&v->panel, pose, fit);
    }
}

static bool moving(const mh_input_state *in)
{
    return fabsf(in->move_forward) > 0.05f || fabsf(in->move_right) > 0.05f || fabsf(in->turn) > 0.05f ||
           fabsf(in->tilt) > 0.05f || in->look_yaw != 0 || in->look_pitch != 0;
}

static void freeze(mh_input_state *in)
{
    in->move_forward = in->move_right = in->turn = in->tilt = in->look_yaw = in->look_pitch = 0;
    in->actions = 0;
}

/* Fade out, move the walker at the darkest moment, fade in, open the panel. */
static bool step_teleport(mh_visit *v, mh_nav *nav)
{
    if (!v->teleporting)
        return false;
    double t = v->now - v->tp_start;
    if (!v->moved && t >= FADE_OUT) {
        mh_nav_place(nav, v->tp_pos, v->tp_yaw, v->tp_pitch);
        v->moved = true;
        if (v->tp_panel != -1)
            open_panel(v, v->tp_panel, true);
    }
    v->fade = t < FADE_OUT ? (float)(t / FADE_OUT) : 1.0f - (float)((t - FADE_OUT) / FADE_IN);
    if (t >= FADE_OUT + FADE_IN) {
        v->teleporting = false;
        v->fade = 0;
    }
    return v->teleporting;
}

/* Walking up to a booth and facing it opens its panel; walking away closes it. */
static void walk_up(mh_visit *v, const mh_nav *nav)
{
    const mh_hall_desc *h = v->hall;
    if (v->panel.open) {
        mh_vec3 c = v->panel.pose.center;
        if (dist2(nav->pos, (mh_vec2){c.x, c.z}) > LEAVE_DIST * LEAVE_DIST)
            close_panel(v);
        return;
    }
    mh_vec3 fwd = mh_nav_forward(nav);
    int near = -1;
    for (int i = 0; i < h->booth_count; i++) {
        mh_vec3 c = mh_visit_panel_pose(h, i).center;
        mh_vec2 to = {h->booths[i].pos.x - nav->pos.x, h->booths[i].pos.y - nav->pos.y};
        float len = sqrtf(to.x * to.x + to.y * to.y);
        bool facing = len > 1e-3f && (fwd.x * to.x + fwd.z * to.y) / len > 0.77f; /* within 40 degrees */
        if (facing && dist2(nav->pos, (mh_vec2){c.x, c.z}) < WALKUP_DIST * WALKUP_DIST)
            near = i;
    }
    if (v->dismissed >= 0) {
        mh_vec3 c = mh_visit_panel_pose(h, v->dismissed).center;
        if (dist2(nav->pos, (mh_vec2){c.x, c.z}) > LEAVE_DIST * LEAVE_DIST)
            v->dismissed = -1;
    }
    if (near != v->near_booth) {
        v->near_booth = near;
        v->near_since = v->now;
    }
    if (near >= 0 && near != v->dismissed && v->now - v->near_since >= WALKUP_TIME)
        open_panel(v, near, false);
}

static void leave_attract(mh_visit *v, mh_nav *nav)
{
    const mh_hall_desc *h = v->hall;
    v->mode = MH_VISIT_EXPLORE;
    v->idle_s = 0;
    mh_nav_place(nav, h->entrance_pos, mh_radians(h->entrance_yaw_deg), mh_radians(h->entrance_pitch_deg));
    /* come out of the dark, as after a teleport (dark from this very frame) */
    v->teleporting = true;
    v->moved = true;
    v->fade = 1.0f;
    v->tp_panel = -1;
    v->tp_start = v->now - FADE_OUT;
    mh_log_info("visit", "a visitor: a fresh visit at the entrance");
}

static void update_hover(mh_visit *v, const mh_visit_frame *f)
{
    /* a touch screen between taps aims at nothing; nor does a pointer on the world menu */
    if ((!v->pointer && !v->reticle) || f->aim_taken) {
        v->hover = (mh_target){MH_TARGET_NONE, 0};
        return;
    }
    float px = v->pointer ? v->pointer_x : (float)f->width * 0.5f;
    float py = v->pointer ? v->pointer_y : (float)f->height * 0.5f;
    mh_target t = pick(v, f, px, py);
    if (t.kind != v->hover.kind || t.id != v->hover.id) {
        v->hover = t;
        v->hover_since = v->now;
    }
}

void mh_visit_update(mh_visit *v, const mh_visit_frame *f, mh_input_state *in, mh_nav *nav)
{
    v->now = f->time_s;
    bool pointer_moved = in->pointer && (!v->pointer_seen || fabsf(in->pointer_x - v->pointer_x) > 2.0f ||
                                         fabsf(in->pointer_y - v->pointer_y) > 2.0f);
    bool active = in->actions || moving(in) || pointer_moved || in->activity;
    v->pointer = in->pointer;
    if (in->pointer) {
        v->pointer_seen = true;
        v->pointer_x = in->pointer_x;
        v->pointer_y = in->pointer_y;
    }
    v->headset = f->headset;
    follow_screen(v, f);
    mh_hud_arrange(&v->hud, f->width, f->height, v->hall, v->glyphs, v->lang);
    bool touring = v->mode == MH_VISIT_TOUR && !v->tour_paused;
    v->idle_s = active || touring ? 0 : v->idle_s + f->dt_s;
    if (v->mode == MH_VISIT_ATTRACT) {
        if (active)
            leave_attract(v, nav);
        freeze(in);
        return;
    }
    if (v->desc.idle_timeout_s > 0 && v->idle_s >= v->desc.idle_timeout_s) {
        mh_visit_attract(v);
        freeze(in);
        return;
    }
    if (step_teleport(v, nav)) {
        follow_narration(v, f); /* a panel opened in the dark: its narration is under way */
        freeze(in);
        return;
    }
    uint32_t act = in->actions;
    if (act & MH_ACT_SELECT)
        v->reticle = !v->pointer; /* selecting without a pointer: aim with the screen centre */
    update_hover(v, f);
    bool dwelt = v->desc.dwell_s > 0 && !v->pointer && v->hover.kind != MH_TARGET_NONE &&
                 v->now - v->hover_since >= v->desc.dwell_s;
    if (dwelt)
        v->hover_since = 1e30; /* once per look */
    if ((act & MH_ACT_SELECT) || dwelt)
        activate(v, v->hover);
    if (act & MH_ACT_TELEPORT)
        teleport_to_aim(v, f, nav);
    if (act & MH_ACT_BACK) {
        if (v->panel.open)
            v->dismissed = v->panel.booth;
        close_panel(v);
    }
    panel_actions(v, f, in);
    if (act & MH_ACT_HOME) {
        mh_visit_tour_stop(v);
        mh_visit_go_entrance(v);
    }
    if (act & MH_ACT_LANG)
        toggle_language(v);
    if (act & MH_ACT_TOUR)
        tour_button(v);
    if (act & MH_ACT_NEXT)
        mh_visit_tour_next(v);
    if (act & MH_ACT_VOLUME)
        volume_button(v);
    if (v->teleporting) { /* an action started a teleport: hold still */
        freeze(in);
        return;
    }
    follow_narration(v, f);
    if (v->mode == MH_VISIT_TOUR && !v->tour_paused) {
        /* a stop lasts its narration's audio (and a breath), when it has audio */
        float length = v->narration_audio ? fmaxf(6.0f, v->narration_length + 1.5f) : v->stop_length;
        if (moving(in))
            v->tour_paused = true; /* the visitor takes over */
        else if (v->now - v->stop_started >= length)
            mh_visit_tour_next(v);
    }
    walk_up(v, nav);
}

bool mh_visit_camera(const mh_visit *v, mh_vec3 *eye, mh_vec3 *target)
{
    if (v->mode != MH_VISIT_ATTRACT)
        return false;
    const mh_hall_desc *h = v->hall;
    float a = (float)((v->now - v->attract_started) * 2.0 * MH_PI / ORBIT_PERIOD);
    /* start on the entrance side of the stage and turn slowly */
    *eye = mh_v3(h->stage_pos.x + sinf(a) * ORBIT_RADIUS, ORBIT_HEIGHT, h->stage_pos.y + cosf(a) * ORBIT_RADIUS);
    *target = mh_v3(h->stage_pos.x, 1.5f, h->stage_pos.y);
    return true;
}

/* A glowing frame around the hovered booth's opening. */
static void draw_highlight(const mh_visit *v, mh_ui_batch *b)
{
    if (v->hover.kind != MH_TARGET_BOOTH || v->mode == MH_VISIT_ATTRACT)
        return;
    const mh_hall_desc *h = v->hall;
    const mh_booth_desc *bd = &h->booths[v->hover.id];
    float yaw = mh_radians(bd->yaw_deg);
    mh_vec3 out = mh_v3(sinf(yaw), 0, cosf(yaw)), right = mh_v3(cosf(yaw), 0, -sinf(yaw));
    mh_vec3 c = mh_v3_add(mh_v3(bd->pos.x, 0, bd->pos.y), mh_v3_scale(out, h->booth_depth * 0.5f + 0.06f));
    float hw = h->booth_width * 0.5f, top = h->booth_wall_height, t = 0.06f;
    /* steady, not pulsing: nothing on a kiosk flickers */
    mh_rgba col = mh_rgba_from_linear(mh_v3_lerp(bd->exhibit.accent, mh_v3(1, 1, 1), 0.6f), 0.9f);
    mh_ui_set(b, MH_UI_WORLD, 0, false);
    /* four bars: left, right, top, floor */
    float xs[4][4] = {{-hw - t, -hw, 0, top},
                      {hw, hw + t, 0, top},
                      {-hw - t, hw + t, top - t, top},
                      {-hw - t, hw + t, 0, t}};
    for (int k = 0; k < 4; k++) {
        mh_vec3 q[4];
        float x0 = xs[k][0], x1 = xs[k][1], y0 = xs[k][2], y1 = xs[k][3];
        q[0] = mh_v3_add(c, mh_v3_add(mh_v3_scale(right, x0), mh_v3(0, y1, 0)));
        q[1] = mh_v3_add(c, mh_v3_add(mh_v3_scale(right, x1), mh_v3(0, y1, 0)));
        q[2] = mh_v3_add(c, mh_v3_add(mh_v3_scale(right, x1), mh_v3(0, y0, 0)));
        q[3] = mh_v3_add(c, mh_v3_add(mh_v3_scale(right, x0), mh_v3(0, y0, 0)));
        mh_ui_solid(b, q, col);
    }
}

void mh_visit_draw(mh_visit *v, mh_ui_batch *b, const mh_nav *nav)
{
    mh_ui_begin(b);
    if (v->mode != MH_VISIT_ATTRACT) {
        draw_highlight(v, b);
        mh_panel_button hb = v->hover.kind == MH_TARGET_PANEL ? (mh_panel_button)v->hover.id : MH_PANEL_NONE;
        mh_panel_draw(&v->panel, b, v->now, hb);
    }
    mh_hud_state hs = hud_state(v);
    mh_hud_draw(&v->hud, &hs, b, nav);
}
