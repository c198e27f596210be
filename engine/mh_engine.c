/* mh_engine.c - the engine's entry points: load a hall, walk it, draw it. */
#include "include/metahall.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asset/mh_hall_load.h"
#include "core/mh_arena.h"
#include "core/mh_log.h"
#include "render/mh_renderer.h"
#include "render/mh_glyphs.h"
#include "render/mh_text.h"
#include "scene/mh_nav.h"
#include "scene/mh_scene.h"
#include "ui/mh_ui_batch.h"
#include "ui/mh_visit.h"

#define FOVY_DEG 60.0f
#define Z_NEAR 0.05f
#define Z_FAR 250.0f

struct mh_engine {
    mh_arena hall_arena;       /* everything the hall description owns */
    mh_hall_desc hall;
    mh_scene scene;
    mh_renderer *renderer;
    mh_nav nav;
    mh_render_lighting light;
    /* the visitor interface; absent (NULL glyphs) when no font opens */
    mh_glyphs *glyphs;
    mh_ui_batch ui;
    mh_visit *visit;
};

#define UI_VERTICES 65536
#define UI_COMMANDS 64

/* The visitor interface: glyph atlas, UI batch and the visit. Without a
 * usable font the hall still runs, without panels and buttons. */
static void create_visit(mh_engine *e, const mh_engine_desc *desc)
{
    mh_error err;
    mh_glyphs_desc gd = {e->hall.fonts, e->hall.font_count, 0, 0};
    e->glyphs = mh_glyphs_create(&gd, &err);
    e->visit = e->glyphs ? malloc(sizeof *e->visit) : NULL;
    if (!e->visit || !mh_ui_batch_init(&e->ui, e->glyphs, UI_VERTICES, UI_COMMANDS)) {
        char text[1024];
        mh_log_error("ui", "no visitor interface: %s", e->glyphs ? "out of memory" : mh_error_text(&err, text, sizeof text));
        free(e->visit);
        e->visit = NULL;
        mh_glyphs_destroy(&e->glyphs);
        return;
    }
    mh_visit_desc vd = {desc->idle_timeout_s, desc->dwell_s,
                        desc->language && !strcmp(desc->language, "en") ? MH_LANG_EN : MH_LANG_ZH};
    mh_visit_init(e->visit, &e->hall, e->glyphs, &vd);
}

static void setup_lighting(mh_engine *e)
{
    const mh_hall_desc *h = &e->hall;
    e->light = (mh_render_lighting){
        .clear = h->clear_color,
        .sky = h->sky_color,
        .ground = h->ground_color,
        .sun_color = h->sun_color,
        .sun_dir = mh_v3_scale(mh_v3_norm(h->sun_dir), -1.0f),
        .fog_density = h->fog_density,
    };
}

static bool build_hall(mh_engine *e, mh_error *err)
{
    mh_error font_err;
    mh_font *font = mh_font_open(e->hall.fonts, e->hall.font_count, &font_err);
    if (!font) {
        char text[1024];
        mh_log_error("text", "%s", mh_error_text(&font_err, text, sizeof text));
    }
    bool ok = mh_scene_build(&e->scene, &e->hall, font, &e->hall_arena, err);
    mh_font_close(&font);
    ok = ok && mh_renderer_upload(e->renderer, &e->scene, err);
    mh_scene_release_cpu(&e->scene);
    return ok;
}

mh_engine *mh_engine_create(const mh_engine_desc *desc, mh_error *err)
{
    mh_engine *e = calloc(1, sizeof *e);
    if (!e) {
        mh_fail(err, "", "", "out of memory");
        return NULL;
    }
    e->hall_arena.block_size = 256u * 1024u;
    mh_renderer_desc rd = {desc->msaa, desc->offscreen_width, desc->offscreen_height};
    bool ok = mh_hall_load(desc->hall_dir, &e->hall_arena, &e->hall, err) &&
              (e->renderer = mh_renderer_create(&rd, err)) != NULL && build_hall(e, err);
    if (ok) {
        setup_lighting(e);
        create_visit(e, desc);
        ok = mh_engine_set_view(e, desc->start_view ? desc->start_view : "entrance", err);
    }
    if (!ok) {
        mh_engine_destroy(&e);
        return NULL;
    }
    return e;
}

void mh_engine_destroy(mh_engine **pe)
{
    mh_engine *e = pe ? *pe : NULL;
    if (!e)
        return;
    mh_renderer_destroy(&e->renderer);
    mh_ui_batch_free(&e->ui);
    free(e->visit);
    mh_glyphs_destroy(&e->glyphs);
    mh_scene_release_cpu(&e->scene);
    free(e->scene.chunks);
    free(e->scene.textures);
    mh_arena_free(&e->hall_arena);
    free(e);
    *pe = NULL;
}

bool mh_engine_set_view(mh_engine *e, const char *view, mh_error *err)
{
    const mh_hall_desc *h = &e->hall;
    if (strcmp(view, "entrance") == 0) {
        mh_nav_place(&e->nav, h->entrance_pos, mh_radians(h->entrance_yaw_deg), mh_radians(h->entrance_pitch_deg));
        return true;
    }
    if (strncmp(view, "booth:", 6) == 0) {
        int i = mh_hall_find_booth(h, view + 6);
        if (i < 0)
            return mh_fail(err, "", "", "no booth for exhibit \"%.40s\" in this hall", view + 6);
        mh_vec2 pos;
        float yaw, pitch;
        mh_scene_booth_view(h, i, &pos, &yaw, &pitch);
        mh_nav_place(&e->nav, pos, yaw, pitch);
        return true;
    }
    return mh_fail(err, "", "", "unknown view \"%.40s\" (expected entrance or booth:<exhibit-id>)", view);
}

static mh_mat4 projection(int w, int h)
{
    return mh_m4_perspective(mh_radians(FOVY_DEG), h > 0 ? (float)w / (float)h : 1.0f, Z_NEAR, Z_FAR);
}

void mh_engine_frame(mh_engine *e, const mh_frame_input *in, mh_frame_output *out)
{
    int w = in->width, h = in->height;
    if (mh_renderer_is_offscreen(e->renderer))
        mh_renderer_size(e->renderer, &w, &h);
    mh_input_state is = in->input;
    if (e->visit) {
        /* the visit sees the camera the visitor saw when they acted */
        mh_visit_frame vf = {in->time_s, in->dt_s, w, h, mh_nav_view_matrix(&e->nav), projection(w, h),
                             mh_nav_eye(&e->nav)};
        mh_visit_update(e->visit, &vf, &is, &e->nav);
    }
    mh_nav_input ni = {is.move_forward, is.move_right, is.turn, is.tilt, is.look_yaw, is.look_pitch, is.fast};
    mh_nav_update(&e->nav, &ni, (float)in->dt_s, &e->scene.collide);

    mh_render_view v = {
        .view = mh_nav_view_matrix(&e->nav),
        .proj = projection(w, h),
        .eye = mh_nav_eye(&e->nav),
        .width = w,
        .height = h,
    };
    mh_vec3 orbit_eye, orbit_target;
    if (e->visit && mh_visit_camera(e->visit, &orbit_eye, &orbit_target)) {
        v.view = mh_m4_look_at(orbit_eye, orbit_target, mh_v3(0, 1, 0));
        v.eye = orbit_eye;
    }
    mh_render_stats st;
    mh_renderer_draw(e->renderer, &e->scene, &v, 1, &e->light, in->framebuffer, w, h, &st);
    if (e->visit) {
        mh_visit_draw(e->visit, &e->ui, &e->nav);
        mh_renderer_draw_ui(e->renderer, &e->ui, e->glyphs, &v, 1);
    }
    mh_renderer_end_frame(e->renderer);
    if (out) {
        *out = (mh_frame_output){st.draw_calls + e->ui.cmd_count, st.triangles + e->ui.vertex_count / 3,
                                 st.chunks_culled, {v.eye.x, v.eye.y, v.eye.z}, e->nav.yaw, e->nav.pitch};
    }
}

void mh_engine_visit_status(const mh_engine *e, mh_visit_status *out)
{
    memset(out, 0, sizeof *out);
    const mh_visit *v = e->visit;
    out->mode = "explore";
    out->language = "zh";
    if (!v) {
        return;
    }
    static const char *const modes[] = {"explore", "tour", "attract"};
    out->mode = modes[v->mode];
    out->language = v->lang == MH_LANG_EN ? "en" : "zh";
    if (v->panel.open && v->panel.exhibit)
        snprintf(out->panel, sizeof out->panel, "%s", v->panel.exhibit->id);
    static const char *const buttons[] = {"", "lang", "tour", "next", "entrance"};
    static const char *const panel_buttons[] = {"", "panel", "close", "lang"};
    switch (v->hover.kind) {
    case MH_TARGET_BOOTH: snprintf(out->hover, sizeof out->hover, "booth:%s", e->hall.booths[v->hover.id].exhibit.id); break;
    case MH_TARGET_STAGE: snprintf(out->hover, sizeof out->hover, "stage"); break;
    case MH_TARGET_PANEL: snprintf(out->hover, sizeof out->hover, "panel:%s", panel_buttons[v->hover.id]); break;
    case MH_TARGET_HUD: snprintf(out->hover, sizeof out->hover, "button:%s", buttons[v->hover.id]); break;
    case MH_TARGET_MAP: snprintf(out->hover, sizeof out->hover, "map"); break;
    default: break;
    }
    mh_visit_where(v, &e->nav, out->at, sizeof out->at);
    out->tour_stop = v->tour_stop;
    out->tour_stops = e->hall.tour_count;
    out->tour_paused = v->tour_paused;
    out->teleporting = v->teleporting;
    out->idle_s = (float)v->idle_s;
}

bool mh_engine_read_pixels(mh_engine *e, uint8_t *rgba, int width, int height)
{
    return mh_renderer_read_pixels(e->renderer, rgba, width, height);
}

void mh_engine_finish_gpu(mh_engine *e) { mh_renderer_finish(e->renderer); }
const char *mh_engine_gl_name(const mh_engine *e) { return mh_renderer_gl_name(e->renderer); }

bool mh_gl_renderer_is_software(const char *gl_renderer) { return mh_renderer_name_is_software(gl_renderer); }
