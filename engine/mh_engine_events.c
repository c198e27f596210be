/* mh_engine_events.c - what visitors do, as events for the platform's
 * statistics, and the "closed" screen shown outside opening hours.
 *
 * Events are found by comparing the visit's status with the last frame's
 * (where the visitor stands, which panel and page are open, the mode and the
 * tour's stop), so the visit itself needs no hooks: a new arrival, panel,
 * page, tour or wake-up shows in the status. They wait in a small ring
 * until mh_engine_visit_events drains it (the kiosk does every frame). */
#include "include/metahall.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mh_engine_internal.h"

static void push(mh_engine *e, mh_visit_event_kind kind, const char *exhibit, const char *lang, float seconds)
{
    if (e->event_count == VISIT_EVENTS) { /* nobody drains: the oldest goes */
        e->event_head = (e->event_head + 1) % VISIT_EVENTS;
        e->event_count--;
    }
    mh_visit_event *ev = &e->events[(e->event_head + e->event_count++) % VISIT_EVENTS];
    *ev = (mh_visit_event){.kind = kind, .seconds = seconds};
    /* an id has at most MH_EXHIBIT_ID_MAX - 1 bytes (mh_facts.c), but `at` ("booth:<id>") has room for more: the
     * precision says what fits, so -O3 sees no truncation */
    snprintf(ev->exhibit, sizeof ev->exhibit, "%.*s", (int)sizeof ev->exhibit - 1, exhibit);
    snprintf(ev->language, sizeof ev->language, "%s", lang);
}

/* "booth:qiantang" -> "qiantang", "stage" -> "stage", anything else -> "". */
static const char *spot(const char *at)
{
    if (!strncmp(at, "booth:", 6))
        return at + 6;
    return strcmp(at, "stage") ? "" : "stage";
}

static void note_place(mh_engine *e, const mh_visit_status *was, const mh_visit_status *now)
{
    const char *from = spot(was->at), *to = spot(now->at);
    if (!strcmp(from, to))
        return;
    if (from[0])
        push(e, MH_VISIT_LEFT, from, was->language, (float)(e->clock - e->seen_at_since));
    if (to[0])
        push(e, MH_VISIT_ARRIVED, to, now->language, 0);
    e->seen_at_since = e->clock;
}

static void note_panel(mh_engine *e, const mh_visit_status *was, const mh_visit_status *now)
{
    if (!now->panel[0])
        return;
    bool opened = strcmp(was->panel, now->panel) != 0;
    /* the stage's panel shows the featured exhibit: counted under "stage" */
    const char *where = !strcmp(now->at, "stage") ? "stage" : now->panel;
    if (opened)
        push(e, MH_VISIT_PANEL, where, now->language, 0);
    if (opened || was->page != now->page)
        push(e, MH_VISIT_PAGE, where, now->language, 0);
}

static void note_mode(mh_engine *e, const mh_visit_status *was, const mh_visit_status *now)
{
    bool was_tour = !strcmp(was->mode, "tour"), tour = !strcmp(now->mode, "tour");
    if (tour && (!was_tour || now->tour_stop < was->tour_stop))
        push(e, MH_VISIT_TOUR_STARTED, "", now->language, 0);
    if (tour && now->tour_stops > 0 && now->tour_stop == now->tour_stops - 1 &&
        (!was_tour || was->tour_stop != now->tour_stop))
        push(e, MH_VISIT_TOUR_FINISHED, "", now->language, 0);
    if (!strcmp(was->mode, "attract") && strcmp(now->mode, "attract") != 0)
        push(e, MH_VISIT_WOKE, "", now->language, 0);
}

void mh_engine_note_visit(mh_engine *e, double dt)
{
    e->clock += dt;
    if (!e->visit)
        return;
    mh_visit_status now;
    mh_engine_visit_status(e, &now);
    if (e->seen_valid) {
        note_place(e, &e->seen, &now);
        note_panel(e, &e->seen, &now);
        note_mode(e, &e->seen, &now);
    } else {
        e->seen_at_since = e->clock;
    }
    e->seen = now;
    e->seen_valid = true;
}

int mh_engine_visit_events(mh_engine *e, mh_visit_event *out, int max)
{
    int n = 0;
    for (; n < max && e->event_count > 0; n++) {
        out[n] = e->events[e->event_head];
        e->event_head = (e->event_head + 1) % VISIT_EVENTS;
        e->event_count--;
    }
    return n;
}

/* ---- the closed screen ------------------------------------------------------ */

typedef struct closed_text {
    mh_layout_glyph glyphs[256];
    mh_layout_line lines[4];
    mh_layout lay;
} closed_text;

static void closed_line(mh_engine *e, closed_text *t, const char *s, float y, float size, float width, mh_rgba c)
{
    t->lay = (mh_layout){.glyphs = t->glyphs, .glyph_cap = 256, .lines = t->lines, .line_cap = 4};
    mh_layout_desc d = {.text = s ? s : "",
                        .max_width = width / size,
                        .max_lines = 2,
                        .advance = mh_glyphs_advance,
                        .user = e->glyphs};
    mh_layout_text(&d, &t->lay);
    mh_ui_text_frame f = {mh_v3(0, y, 0), mh_v3(size, 0, 0), mh_v3(0, size, 0), 1.3f, width / size, 1};
    mh_ui_text(&e->ui, &t->lay, &f, c);
}

void mh_engine_frame_closed(mh_engine *e, const mh_frame_input *in, const char *line_zh, const char *line_en)
{
    int w = in->width, h = in->height;
    if (mh_renderer_is_offscreen(e->renderer))
        mh_renderer_size(e->renderer, &w, &h);
    mh_render_view views[MH_MAX_EYES];
    int view_count = mh_engine_views(e, in, w, h, views);
    if (!e->desc.multiview) /* a headset's layered swapchain: both eyes in one pass, as mh_engine_frame */
        mh_renderer_multiview(e->renderer, in->multiview && view_count == 2);
    mh_render_lighting dark = e->light;
    dark.clear = mh_v3(0.004f, 0.005f, 0.008f);
    mh_render_stats st;
    mh_renderer_draw(e->renderer, NULL, 0, views, view_count, &dark, in->framebuffer, w, h, &st);
    if (e->glyphs) {
        closed_text t;
        float s = (float)h / 1080.0f, big = fmaxf(72 * s, 22), small = fmaxf(40 * s, 14);
        mh_ui_begin(&e->ui);
        mh_ui_set(&e->ui, MH_UI_SCREEN, 0, false);
        closed_line(e, &t, line_zh, (float)h * 0.38f, big, (float)w, (mh_rgba){225, 230, 240, 255});
        closed_line(e, &t, line_en, (float)h * 0.38f + big * 1.6f, small, (float)w, (mh_rgba){170, 180, 200, 255});
        mh_render_ui ui = mh_ui_batch_render_desc(&e->ui);
        if (mh_renderer_draw_ui(e->renderer, &ui, views, view_count))
            mh_glyphs_mark_clean(e->glyphs);
    }
    mh_renderer_end_frame(e->renderer);
}
