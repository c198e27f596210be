/* mh_hud.c - the screen interface: buttons (language, tour, next stop,
 * entrance, volume), the minimap with numbered markers, "you are here" and
 * a legend the visitor opens and closes (hidden at first), the caption band, the pointer or reticle, hover labels, the
 * attract-mode prompt and teleport fades.
 *
 * Sizes scale with the screen's shorter side (1.0 at 1080 pixels, never
 * below 0.5), so text stays readable from a metre away on a 1080p kiosk:
 * buttons 34 px, captions 32 px, the legend and marker numbers at the
 * minimum (16 px cap height). Everything of the minimap stays inside its
 * frame; its markers are spread apart until none overlaps. */
#include "mh_hud.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define MARGIN 24.0f
#define BUTTON_H 72.0f
#define BUTTON_GAP 14.0f
#define BUTTON_TEXT 34.0f
#define CAPTION_TEXT 32.0f
#define CAPTION_PAD 14.0f
#define MAP_W 360.0f
#define MAP_PAD 10.0f
#define MIN_CAP 16.0f
#define MARKER 30.0f
#define WORLD_PAD 4.0f /* metres around what the plan shows */

static const mh_rgba WHITE = {255, 255, 255, 255}, DARK = {10, 14, 26, 235}, BUTTON = {24, 34, 56, 235},
                     BUTTON_HOT = {20, 130, 200, 240}, EDGE = {120, 190, 255, 255}, YOU = {255, 210, 60, 255},
                     MAP_BG = {8, 12, 22, 190}, MAP_EDGE = {90, 120, 170, 255}, ENTRANCE = {51, 196, 255, 255},
                     STAGE = {60, 90, 140, 255}, SOFT = {200, 212, 235, 255};

typedef struct text_buf {
    mh_layout_glyph glyphs[512];
    mh_layout_line lines[16];
    mh_layout lay;
} text_buf;

static void lay_out(text_buf *t, mh_glyphs *g, const char *s, float max_w_em, int max_lines)
{
    t->lay = (mh_layout){.glyphs = t->glyphs, .glyph_cap = 512, .lines = t->lines, .line_cap = 16};
    mh_layout_desc d = {.text = s,
                        .max_width = max_w_em,
                        .max_lines = max_lines,
                        .advance = mh_glyphs_advance,
                        .user = g};
    mh_layout_text(&d, &t->lay);
}

/* Screen text: top-left (x, y), size in pixels. */
static void screen_text(mh_ui_batch *b, const mh_layout *lay, float x, float y, float size, float box_w, int align,
                        mh_rgba c)
{
    mh_ui_text_frame f = {mh_v3(x, y, 0), mh_v3(size, 0, 0), mh_v3(0, size, 0), 1.3f, box_w / size, align};
    mh_ui_text(b, lay, &f, c);
}

static float text_width_em(mh_glyphs *g, const char *s)
{
    text_buf t;
    lay_out(&t, g, s, 0, 1);
    return t.lay.width;
}

float mh_hud_min_cap(const mh_hud *h) { return MIN_CAP * h->scale; }

/* The em (pixels) whose cap height is the minimum. */
static float min_em(const mh_hud *h)
{
    float cap = h->glyphs ? mh_glyphs_cap_height(h->glyphs) : 0.7f;
    return mh_hud_min_cap(h) / (cap > 0.1f ? cap : 0.7f);
}

const char *mh_hud_short_label(const mh_exhibit_desc *ex, mh_lang lang)
{
    const char *s = lang == MH_LANG_ZH ? ex->short_zh : ex->short_en;
    if (!s)
        return ex->id;
    if (lang == MH_LANG_ZH) {
        const char *dot = strstr(s, "·");
        return dot ? dot + strlen("·") : s;
    }
    const char *sp = strrchr(s, ' ');
    return sp ? sp + 1 : s;
}

static bool in_rect(mh_rect r, float x, float y) { return x >= r.x && x <= r.x + r.w && y >= r.y && y <= r.y + r.h; }

/* ---- the minimap ------------------------------------------------------------- */

/* The world rectangle the plan shows: booths, stage and entrance, with room
 * around, stretched to the plan's aspect. */
static void plan_bounds(mh_hud *h, const mh_hall_desc *hall)
{
    mh_vec2 lo = hall->entrance_pos, hi = hall->entrance_pos;
    for (int i = 0; i < hall->booth_count; i++) {
        mh_vec2 p = hall->booths[i].pos;
        lo = (mh_vec2){fminf(lo.x, p.x), fminf(lo.y, p.y)};
        hi = (mh_vec2){fmaxf(hi.x, p.x), fmaxf(hi.y, p.y)};
    }
    float r = hall->stage_radius;
    lo = (mh_vec2){fminf(lo.x, hall->stage_pos.x - r) - WORLD_PAD, fminf(lo.y, hall->stage_pos.y - r) - WORLD_PAD};
    hi = (mh_vec2){fmaxf(hi.x, hall->stage_pos.x + r) + WORLD_PAD, fmaxf(hi.y, hall->stage_pos.y + r) + WORLD_PAD};
    float ww = hi.x - lo.x, wd = hi.y - lo.y;
    float aspect = mh_clampf(wd / ww, 0.45f, 0.9f); /* the plan's height over its width */
    float want_d = ww * aspect;
    if (want_d > wd) {
        lo.y -= (want_d - wd) * 0.5f;
        hi.y += (want_d - wd) * 0.5f;
    } else {
        float want_w = wd / aspect;
        lo.x -= (want_w - ww) * 0.5f;
        hi.x += (want_w - ww) * 0.5f;
    }
    h->map_min = lo;
    h->map_max = hi;
    h->map.h = h->map.w * aspect;
}

static mh_vec2 to_map(const mh_hud *h, mh_vec2 w)
{
    return (mh_vec2){h->map.x + (w.x - h->map_min.x) / (h->map_max.x - h->map_min.x) * h->map.w,
                     h->map.y + (w.y - h->map_min.y) / (h->map_max.y - h->map_min.y) * h->map.h};
}

/* Pushes overlapping markers apart along the line between them (or
 * sideways when they coincide), keeping them on the plan. */
static void spread_markers(mh_hud *h)
{
    float need = h->marker_size + 2.0f * h->scale, half = h->marker_size * 0.5f;
    for (int iter = 0; iter < 400; iter++) {
        bool moved = false;
        for (int i = 0; i < h->marker_count; i++)
            for (int k = i + 1; k < h->marker_count; k++) {
                mh_vec2 *a = &h->markers[i], *c = &h->markers[k];
                float dx = c->x - a->x, dy = c->y - a->y;
                if (fabsf(dx) >= need || fabsf(dy) >= need)
                    continue; /* squares overlap only when both axes are close */
                float len = sqrtf(dx * dx + dy * dy);
                if (len < 1e-3f)
                    dx = 1, dy = 0, len = 1;
                /* enough to clear the nearer axis, half each */
                float gap = fminf(need - fabsf(dx), need - fabsf(dy)), push = (gap * 0.5f + 0.05f) / len;
                a->x -= dx * push, a->y -= dy * push;
                c->x += dx * push, c->y += dy * push;
                moved = true;
            }
        for (int i = 0; i < h->marker_count; i++) {
            h->markers[i].x = mh_clampf(h->markers[i].x, h->map.x + half, h->map.x + h->map.w - half);
            h->markers[i].y = mh_clampf(h->markers[i].y, h->map.y + half, h->map.y + h->map.h - half);
        }
        if (!moved)
            break;
    }
}

static const char *legend_name(const mh_hud *h, int target)
{
    bool zh = h->lang == MH_LANG_ZH;
    if (target >= 0)
        return mh_hud_short_label(&h->hall->booths[target].exhibit, h->lang);
    if (target == MH_HUD_ENTRANCE)
        return zh ? "入口" : "Entrance";
    if (target == MH_HUD_STAGE)
        return zh ? "中央展台" : "Stage";
    return zh ? "您在这里" : "You are here";
}

/* The legend over the plan, its last row ending at y1: two columns when
 * every name fits one. The frame grows upwards to hold it. */
static void arrange_legend(mh_hud *h, float y1)
{
    const mh_hall_desc *hall = h->hall;
    float s = h->scale, pad = MAP_PAD * s, gap = 10 * s, inner = h->frame.w - 2 * pad;
    int targets[MH_HUD_MAX_LEGEND], n = 0;
    for (int i = 0; i < h->marker_count; i++)
        targets[n++] = i;
    targets[n++] = MH_HUD_ENTRANCE;
    if (hall->featured)
        targets[n++] = MH_HUD_STAGE;
    targets[n++] = MH_HUD_YOU;
    float swatch = h->legend_size * 1.25f, widest = 0;
    for (int i = 0; i < n; i++)
        widest = fmaxf(widest, text_width_em(h->glyphs, legend_name(h, targets[i])) * h->legend_size);
    int cols = swatch + 6 * s + widest <= (inner - gap) * 0.5f ? 2 : 1;
    float col_w = cols == 2 ? (inner - gap) * 0.5f : inner, row_h = h->legend_size * 1.35f;
    int rows = (n + cols - 1) / cols;
    float y0 = y1 - (float)rows * row_h;
    for (int i = 0; i < n; i++) {
        int c = i / rows, r = i % rows;
        h->legend[i] =
            (mh_hud_legend){{h->frame.x + pad + (float)c * (col_w + gap), y0 + (float)r * row_h, col_w, row_h},
                            targets[i]};
    }
    h->legend_count = n;
    float bottom = h->frame.y + h->frame.h;
    h->frame.y = y0 - pad;
    h->frame.h = bottom - h->frame.y;
}

/* The minimap sits in the bottom right corner, its foot at y (beside the
 * buttons, or over them on a narrow screen), where a visitor's hand reaches
 * on a standing kiosk and where the view shows floor: the hall's hanging
 * signs and booth headers, high in the view, stay clear. From the foot up:
 * the legend's show/hide row, the plan, and the legend (when shown) over
 * the plan, so neither the row nor the plan moves when the legend opens.
 * Folded, it is one button-sized "show map" row at the same foot. */
static void arrange_map(mh_hud *h, float foot)
{
    const mh_hall_desc *hall = h->hall;
    float s = h->scale, m = MARGIN * s, pad = MAP_PAD * s, fw = MAP_W * s;
    h->frame = (mh_rect){(float)h->width - m - fw, 0, fw, 0};
    h->map = (mh_rect){h->frame.x + pad, 0, fw - 2 * pad, 0};
    plan_bounds(h, hall);
    h->marker_size = fmaxf(MARKER * s, min_em(h) * 1.3f);
    h->legend_size = min_em(h);
    float row_h = fmaxf(h->legend_size * 1.8f, h->marker_size); /* a finger's height */
    h->legend_toggle = (mh_rect){h->map.x, foot - pad * 0.5f - row_h, h->map.w, row_h};
    h->map.y = h->legend_toggle.y - pad * 0.5f - h->map.h;
    h->frame.y = h->map.y - pad;
    h->frame.h = foot - h->frame.y;
    h->frame_closed = h->frame;
    h->marker_count = hall->booth_count < MH_HUD_MAX_MARKERS ? hall->booth_count : MH_HUD_MAX_MARKERS;
    for (int i = 0; i < h->marker_count; i++)
        h->markers[i] = to_map(h, hall->booths[i].pos);
    spread_markers(h);
    h->fold_row = (mh_rect){h->frame.x, foot - BUTTON_H * s, fw, BUTTON_H * s};
    arrange_legend(h, h->map.y - pad * 0.5f);
}

/* The folded minimap's label: in the corner beside the buttons, or at the
 * open map's foot. */
static const char *fold_label(const mh_hud *h, bool corner)
{
    bool zh = h->lang == MH_LANG_ZH;
    return corner ? (zh ? "地图" : "Map") : (zh ? "显示地图" : "Show map");
}

/* A screen too narrow for the map beside the buttons: folded, it is a
 * "map" button (地图) as large as the others in the bottom right corner,
 * beside the buttons' bottom row where that leaves room even with their
 * widest labels (a small window folds the map at the start:
 * mh_hud_map_crowds), else the "show map" row at the open map's foot. */
static void fold_beside_buttons(mh_hud *h)
{
    float s = h->scale, m = MARGIN * s, bottom = (float)h->height - m - BUTTON_H * s, right = m;
    for (int k = 1; k < MH_HUD_COUNT; k++) /* as placed with their widest labels */
        if (h->visible[k] && h->buttons[k].y >= bottom - 0.5f)
            right = fmaxf(right, h->buttons[k].x + h->buttons[k].w);
    float w = text_width_em(h->glyphs, fold_label(h, true)) * BUTTON_TEXT * s + 56.0f * s;
    h->fold_corner = right + BUTTON_GAP * s + w <= (float)h->width - m;
    if (h->fold_corner)
        h->fold_row = (mh_rect){(float)h->width - m - w, bottom, w, BUTTON_H * s};
}

/* ---- buttons ------------------------------------------------------------------ */

static const char *button_label(const mh_hud_state *v, mh_hud_button k, char *buf, size_t size)
{
    bool zh = v->lang == MH_LANG_ZH;
    switch (k) {
    case MH_HUD_LANG: return zh ? "English" : "中文";
    case MH_HUD_TOUR:
        if (!v->touring)
            return zh ? "导览" : "Guided tour";
        return v->tour_paused ? (zh ? "继续导览" : "Resume") : (zh ? "暂停" : "Pause");
    case MH_HUD_NEXT: return zh ? "下一站" : "Next stop";
    case MH_HUD_HOME: return zh ? "回到入口" : "Entrance";
    case MH_HUD_VOLUME:
        if (v->muted || v->volume <= 0)
            return zh ? "静音" : "Muted";
        snprintf(buf, size, zh ? "音量 %d%%" : "Volume %d%%", v->volume);
        return buf;
    default: return "";
    }
}

/* Lays the visible buttons out in rows from the bottom left, wrapping at
 * h->button_right; returns the top of the highest row. */
static float place_buttons(mh_hud *h, const mh_hud_state *v, bool widest)
{
    float s = h->scale, m = MARGIN * s, x = m, y = (float)h->height - m - BUTTON_H * s, top = y;
    for (int k = 1; k < MH_HUD_COUNT; k++) {
        h->visible[k] = widest || (!v->attract && (k != MH_HUD_NEXT || v->touring));
        if (!h->visible[k])
            continue;
        char buf[32];
        const char *label = button_label(v, (mh_hud_button)k, buf, sizeof buf);
        if (widest && k == MH_HUD_TOUR)
            label = v->lang == MH_LANG_ZH ? "继续导览" : "Guided tour";
        if (widest && k == MH_HUD_VOLUME)
            label = v->lang == MH_LANG_ZH ? "音量 100%" : "Volume 100%";
        float w = text_width_em(h->glyphs, label) * BUTTON_TEXT * s + 56.0f * s;
        if (x > m && x + w > h->button_right) { /* wrap into a row above */
            x = m;
            y -= (BUTTON_H + BUTTON_GAP) * s;
            top = y;
        }
        h->buttons[k] = (mh_rect){x, y, w, BUTTON_H * s};
        x += w + BUTTON_GAP * s;
    }
    return top;
}

void mh_hud_arrange_buttons(mh_hud *h, const mh_hud_state *v) { place_buttons(h, v, false); }

void mh_hud_arrange(mh_hud *h, int width, int height, const mh_hall_desc *hall, mh_glyphs *glyphs, mh_lang lang)
{
    if (h->width == width && h->height == height && h->hall == hall && h->lang == lang && h->glyphs == glyphs)
        return;
    h->width = width;
    h->height = height;
    h->hall = hall;
    h->glyphs = glyphs;
    h->lang = lang;
    float shorter = (float)(width < height ? width : height);
    h->scale = mh_clampf(shorter / 1080.0f, 0.5f, 4.0f);
    float s = h->scale, m = MARGIN * s;
    /* the buttons in one row beside the minimap, or (a narrow screen) the
     * minimap over a row of buttons across the width */
    mh_hud_state widest = {.hall = hall, .glyphs = glyphs, .lang = lang};
    float row = (float)height - m - BUTTON_H * s;
    h->button_right = (float)width - m - MAP_W * s - BUTTON_GAP * s;
    bool beside = place_buttons(h, &widest, true) >= row;
    h->button_right = beside ? h->button_right : (float)width - m;
    h->button_row_y = place_buttons(h, &widest, true);
    h->fold_corner = false;
    arrange_map(h, beside ? (float)height - m : h->button_row_y - BUTTON_GAP * s);
    if (!beside)
        fold_beside_buttons(h);
    float cap_h = 2 * CAPTION_TEXT * s * 1.3f + 2 * CAPTION_PAD * s;
    h->caption = (mh_rect){m, m * 0.5f, (float)width - 2 * m, cap_h};
    h->reserve = (mh_hud_reserve){m, h->caption.y + h->caption.h, h->button_row_y, h->frame};
}

bool mh_hud_map_crowds(const mh_hud *h)
{
    return h->frame_closed.w * h->frame_closed.h * 6 > (float)h->width * (float)h->height;
}

/* ---- picking ------------------------------------------------------------------- */

/* The minimap's frame as it shows now: folded, with its legend or without. */
static mh_rect shown_frame(const mh_hud *h, const mh_hud_state *v)
{
    if (v->folded)
        return h->fold_row;
    return v->legend ? h->frame : h->frame_closed;
}

mh_target mh_hud_hit(mh_hud *h, const mh_hud_state *v, float x, float y)
{
    if (v->headset) /* a headset shows no screen buttons or map */
        return (mh_target){MH_TARGET_NONE, 0};
    mh_hud_arrange_buttons(h, v); /* the labels (language, tour state) size the buttons */
    for (int k = 1; k < MH_HUD_COUNT; k++)
        if (h->visible[k] && in_rect(h->buttons[k], x, y))
            return (mh_target){MH_TARGET_HUD, k};
    if (!in_rect(shown_frame(h, v), x, y))
        return (mh_target){MH_TARGET_NONE, 0};
    if (v->folded)
        return (mh_target){MH_TARGET_HUD, MH_HUD_MAP};
    if (in_rect(h->legend_toggle, x, y))
        return (mh_target){MH_TARGET_HUD, MH_HUD_LEGEND};
    for (int i = 0; v->legend && i < h->legend_count; i++)
        if (in_rect(h->legend[i].rect, x, y) && h->legend[i].target != MH_HUD_YOU)
            return (mh_target){MH_TARGET_MAP, h->legend[i].target};
    /* the nearest marker (or the entrance) to the tap, within reach of a finger */
    float best = h->marker_size * h->marker_size;
    mh_target t = {MH_TARGET_MAP, MH_HUD_NOWHERE};
    for (int i = -1; i < h->marker_count; i++) {
        mh_vec2 p = i < 0 ? to_map(h, h->hall->entrance_pos) : h->markers[i];
        float d = (p.x - x) * (p.x - x) + (p.y - y) * (p.y - y);
        if (d < best) {
            best = d;
            t.id = i < 0 ? MH_HUD_ENTRANCE : i;
        }
    }
    /* a tap on the map's empty floor does nothing, but the map still takes it */
    return t;
}

/* ---- drawing --------------------------------------------------------------------- */

/* A button (r) with its label centred, lit under the pointer when it is target id. */
static void draw_button(const mh_hud *h, const mh_hud_state *v, mh_ui_batch *b, mh_rect r, int id, const char *label)
{
    float s = h->scale;
    bool hot = v->hover.kind == MH_TARGET_HUD && v->hover.id == id;
    mh_ui_rect(b, r.x, r.y, r.w, r.h, hot ? BUTTON_HOT : BUTTON);
    mh_ui_frame(b, r.x, r.y, r.w, r.h, 2.0f * s, EDGE);
    text_buf t;
    lay_out(&t, v->glyphs, label, r.w / (BUTTON_TEXT * s), 1);
    screen_text(b, &t.lay, r.x, r.y + (r.h - BUTTON_TEXT * s * 1.15f) * 0.5f, BUTTON_TEXT * s, r.w, 1, WHITE);
}

static void draw_buttons(const mh_hud *h, const mh_hud_state *v, mh_ui_batch *b)
{
    for (int k = 1; k < MH_HUD_COUNT; k++) {
        char buf[32];
        if (h->visible[k])
            draw_button(h, v, b, h->buttons[k], k, button_label(v, (mh_hud_button)k, buf, sizeof buf));
    }
}

static void triangle(mh_ui_batch *b, mh_vec2 a, mh_vec2 c, mh_vec2 d, mh_rgba col)
{
    mh_vec3 q[4] = {{a.x, a.y, 0}, {a.x, a.y, 0}, {c.x, c.y, 0}, {d.x, d.y, 0}};
    mh_ui_solid(b, q, col);
}

/* An arrow at p pointing along fw (screen), r pixels from centre to tip. */
static void you_arrow(mh_ui_batch *b, mh_vec2 p, mh_vec2 fw, float r)
{
    mh_vec2 side = {-fw.y, fw.x};
    mh_vec2 tip = {p.x + fw.x * r, p.y + fw.y * r};
    mh_vec2 l = {p.x - fw.x * r * 0.7f + side.x * r * 0.7f, p.y - fw.y * r * 0.7f + side.y * r * 0.7f};
    mh_vec2 rr = {p.x - fw.x * r * 0.7f - side.x * r * 0.7f, p.y - fw.y * r * 0.7f - side.y * r * 0.7f};
    triangle(b, tip, l, rr, YOU);
}

static mh_rgba booth_colour(const mh_hall_desc *hall, int i, bool hot)
{
    return hot ? WHITE : mh_rgba_from_linear(mh_v3_lerp(hall->booths[i].exhibit.accent, mh_v3(0, 0, 0), 0.25f), 1);
}

/* A marker: a square in the booth's colour with its number (dark on the
 * white of a marker under the pointer). */
static void marker(const mh_hud *h, mh_ui_batch *b, float cx, float cy, float side, int number, mh_rgba c)
{
    mh_ui_rect(b, cx - side * 0.5f, cy - side * 0.5f, side, side, c);
    char num[16];
    snprintf(num, sizeof num, "%d", number);
    text_buf t;
    lay_out(&t, h->glyphs, num, 0, 1);
    float em = h->legend_size;
    bool light = c.r + c.g + c.b > 600;
    screen_text(b, &t.lay, cx - side * 0.5f, cy - em * 0.6f, em, side, 1, light ? (mh_rgba){10, 14, 26, 255} : WHITE);
}

static void draw_legend(const mh_hud *h, const mh_hud_state *v, mh_ui_batch *b)
{
    float em = h->legend_size, sw = em * 1.15f;
    for (int i = 0; i < h->legend_count; i++) {
        const mh_hud_legend *e = &h->legend[i];
        float cx = e->rect.x + sw * 0.5f, cy = e->rect.y + e->rect.h * 0.5f;
        bool hot = v->hover.kind == MH_TARGET_MAP && v->hover.id == e->target;
        if (e->target >= 0)
            marker(h, b, cx, cy, sw, e->target + 1, booth_colour(h->hall, e->target, hot));
        else if (e->target == MH_HUD_ENTRANCE)
            mh_ui_rect(b, cx - sw * 0.5f, cy - sw * 0.2f, sw, sw * 0.4f, ENTRANCE);
        else if (e->target == MH_HUD_STAGE)
            mh_ui_rect(b, cx - sw * 0.4f, cy - sw * 0.4f, sw * 0.8f, sw * 0.8f, STAGE);
        else
            you_arrow(b, (mh_vec2){cx, cy}, (mh_vec2){0, -1}, sw * 0.45f);
        text_buf t;
        float x = e->rect.x + sw + 6 * h->scale, w = e->rect.x + e->rect.w - x;
        lay_out(&t, h->glyphs, legend_name(h, e->target), w / em, 1); /* "…" only if a name is wider than the frame */
        screen_text(b, &t.lay, x, cy - em * 0.62f, em, w, 0, hot ? YOU : SOFT);
    }
}

/* A row of the minimap (r): its label, lit under the pointer when it is target id. */
static void draw_map_row(const mh_hud *h, const mh_hud_state *v, mh_ui_batch *b, mh_rect r, int id, const char *label)
{
    bool hot = v->hover.kind == MH_TARGET_HUD && v->hover.id == id;
    mh_ui_rect(b, r.x, r.y, r.w, r.h, hot ? BUTTON_HOT : BUTTON);
    mh_ui_frame(b, r.x, r.y, r.w, r.h, 1.0f * h->scale, MAP_EDGE);
    text_buf t;
    float em = h->legend_size;
    lay_out(&t, h->glyphs, label, r.w / em, 1);
    screen_text(b, &t.lay, r.x, r.y + r.h * 0.5f - em * 0.62f, em, r.w, 1, WHITE);
}

/* The row under the plan: "show legend" or "hide legend". */
static void draw_legend_toggle(const mh_hud *h, const mh_hud_state *v, mh_ui_batch *b)
{
    bool zh = h->lang == MH_LANG_ZH;
    draw_map_row(h, v, b, h->legend_toggle, MH_HUD_LEGEND,
                 v->legend ? (zh ? "收起图例" : "Hide legend") : (zh ? "显示图例" : "Show legend"));
}

/* The folded minimap: a "show map" button at the map's foot, as large as
 * the other buttons, or a "map" button beside them (fold_beside_buttons). */
static void draw_folded_map(const mh_hud *h, const mh_hud_state *v, mh_ui_batch *b)
{
    draw_button(h, v, b, h->fold_row, MH_HUD_MAP, fold_label(h, h->fold_corner));
}

static void draw_map(const mh_hud *h, const mh_hud_state *v, mh_ui_batch *b, const mh_nav *nav)
{
    const mh_hall_desc *hall = v->hall;
    float s = h->scale;
    if (v->folded) {
        draw_folded_map(h, v, b);
        return;
    }
    mh_rect f = shown_frame(h, v), m = h->map;
    mh_ui_rect(b, f.x, f.y, f.w, f.h, MAP_BG);
    mh_ui_frame(b, f.x, f.y, f.w, f.h, 2.0f * s, MAP_EDGE);
    mh_ui_frame(b, m.x, m.y, m.w, m.h, 1.0f * s, (mh_rgba){40, 56, 84, 255});
    mh_vec2 st = to_map(h, hall->stage_pos);
    float sr = hall->stage_radius / (h->map_max.x - h->map_min.x) * m.w;
    mh_ui_rect(b, st.x - sr, st.y - sr, 2 * sr, 2 * sr, STAGE);
    mh_vec2 e = to_map(h, hall->entrance_pos);
    mh_ui_rect(b, e.x - 9 * s, e.y - 3.5f * s, 18 * s, 7 * s, ENTRANCE);
    for (int i = 0; i < h->marker_count; i++) {
        bool hot = v->hover.kind == MH_TARGET_MAP && v->hover.id == i;
        marker(h, b, h->markers[i].x, h->markers[i].y, h->marker_size, i + 1, booth_colour(hall, i, hot));
    }
    /* you are here: an arrow along the view, kept on the plan */
    float r = 12.0f * s;
    mh_vec2 y = to_map(h, nav->pos);
    y.x = mh_clampf(y.x, m.x + r, m.x + m.w - r);
    y.y = mh_clampf(y.y, m.y + r, m.y + m.h - r);
    you_arrow(b, y, (mh_vec2){-sinf(nav->yaw), -cosf(nav->yaw)}, r);
    draw_legend_toggle(h, v, b);
    if (v->legend)
        draw_legend(h, v, b);
}

/* Captions across the top: two lines at most (the visit
 * hands over a part of the narration that fits), the tour's step at the right. */
static void draw_caption(const mh_hud *h, const mh_hud_state *v, mh_ui_batch *b)
{
    if (!v->caption || !*v->caption)
        return;
    float s = h->scale, size = CAPTION_TEXT * s, pad = CAPTION_PAD * s;
    mh_rect r = h->caption;
    char step[32] = "";
    if (v->touring)
        snprintf(step, sizeof step, "%d/%d", v->tour_stop + 1, v->hall->tour_count);
    float step_em = min_em(h), step_w = step[0] ? text_width_em(v->glyphs, step) * step_em + pad : 0;
    text_buf t;
    lay_out(&t, v->glyphs, v->caption, (r.w - 2 * pad - step_w) / size, 2);
    mh_ui_rect(b, r.x, r.y, r.w, r.h, DARK);
    mh_ui_rect(b, r.x, r.y, 5 * s, r.h, EDGE);
    float th = ((float)(t.lay.line_count - 1) * 1.3f + 1.15f) * size;
    screen_text(b, &t.lay, r.x + pad, r.y + (r.h - th) * 0.5f, size, r.w - 2 * pad - step_w, 1, WHITE);
    if (step[0]) {
        text_buf st;
        lay_out(&st, v->glyphs, step, 0, 1);
        screen_text(b, &st.lay, r.x + r.w - pad - step_w, r.y + r.h - pad - step_em * 1.2f, step_em, step_w, 2,
                    (mh_rgba){180, 200, 230, 255});
    }
}

static void draw_pointer(const mh_hud *h, const mh_hud_state *v, mh_ui_batch *b)
{
    float s = h->scale;
    if (!v->pointer && !v->reticle)
        return; /* a touch screen: nothing to draw until a tap */
    float x = v->pointer ? v->pointer_x : (float)h->width * 0.5f,
          y = v->pointer ? v->pointer_y : (float)h->height * 0.5f;
    float r = (v->pointer ? 7.0f : 10.0f) * s, k = 2.5f * s;
    /* a ring: four short bars and a dot, dark-edged so it shows on light and dark */
    mh_rgba edge = {0, 0, 0, 160};
    mh_ui_rect(b, x - k, y - k, 2 * k, 2 * k, WHITE);
    mh_ui_frame(b, x - r - k, y - r - k, 2 * (r + k), 2 * (r + k), k, edge);
    mh_ui_frame(b, x - r, y - r, 2 * r, 2 * r, k * 0.8f, WHITE);
    if (v->dwell_s > 0 && !v->pointer && v->hover.kind != MH_TARGET_NONE && v->hover_since < 1e29) {
        float p = mh_clampf((float)((v->now - v->hover_since) / v->dwell_s), 0, 1);
        mh_ui_rect(b, x - r * 2, y + r + 6 * s, r * 4 * p, 4 * s, YOU);
    }
    /* what a tap here would open; on the minimap with its legend hidden, the
     * marker's name (left of the pointer: the map is at the right edge) */
    const char *name = NULL;
    if (v->hover.kind == MH_TARGET_BOOTH || v->hover.kind == MH_TARGET_STAGE) {
        const mh_exhibit_desc *ex = v->hover_exhibit;
        if (!ex)
            return;
        name = v->lang == MH_LANG_ZH ? ex->short_zh : ex->short_en;
        name = name ? name : ex->id;
    } else if (v->hover.kind == MH_TARGET_MAP && !v->legend && v->hover.id != MH_HUD_NOWHERE) {
        name = legend_name(h, v->hover.id);
    }
    if (!name)
        return;
    text_buf t;
    lay_out(&t, v->glyphs, name, 0, 1);
    float size = 30 * s, w = t.lay.width * size + 24 * s;
    float lx = x + r + 8 * s, ly = y - r - size * 1.6f;
    if (lx + w > (float)h->width)
        lx = x - r - 8 * s - w;
    if (ly < 0) /* at the top of the screen: under the pointer */
        ly = y + r + 8 * s;
    mh_ui_rect(b, lx, ly, w, size * 1.5f, DARK);
    screen_text(b, &t.lay, lx + 12 * s, ly + size * 0.15f, size, w, 0, WHITE);
}

static void draw_attract(const mh_hud *h, const mh_hud_state *v, mh_ui_batch *b)
{
    float s = h->scale, W = (float)h->width, H = (float)h->height;
    mh_ui_rect(b, 0, 0, W, H, (mh_rgba){0, 0, 0, 90});
    float pulse = 0.7f + 0.3f * sinf((float)((v->now - v->attract_started) * 2.0 * MH_PI / 2.4));
    text_buf t;
    lay_out(&t, v->glyphs, "触摸开始", 0, 1);
    float big = 110 * s, small = 50 * s;
    float y = H * 0.62f, bw = fminf(840 * s, W - 2 * MARGIN * s);
    mh_ui_rect(b, W * 0.5f - bw * 0.5f, y - 30 * s, bw, big * 1.3f + small * 1.4f + 60 * s, DARK);
    screen_text(b, &t.lay, 0, y, big, W, 1, mh_rgba_alpha(WHITE, pulse));
    lay_out(&t, v->glyphs, "Touch to start", 0, 1);
    screen_text(b, &t.lay, 0, y + big * 1.3f, small, W, 1, mh_rgba_alpha(EDGE, pulse));
    lay_out(&t, v->glyphs, v->hall->name_zh ? v->hall->name_zh : "", (W - 2 * MARGIN * s) / (64 * s), 2);
    screen_text(b, &t.lay, 0, 60 * s, 64 * s, W, 1, WHITE);
    float below = 60 * s + 64 * s * 1.4f * (float)(t.lay.line_count > 0 ? t.lay.line_count : 1);
    lay_out(&t, v->glyphs, v->hall->name_en ? v->hall->name_en : "", (W - 2 * MARGIN * s) / (34 * s), 2);
    screen_text(b, &t.lay, 0, below, 34 * s, W, 1, (mh_rgba){200, 215, 240, 255});
}

void mh_hud_draw(mh_hud *h, const mh_hud_state *v, mh_ui_batch *b, const mh_nav *nav)
{
    mh_ui_set(b, MH_UI_SCREEN, 0, false);
    if (v->attract) {
        draw_attract(h, v, b);
    } else {
        if (!v->headset) { /* in a headset they would stay stuck in front of the face */
            mh_hud_arrange_buttons(h, v);
            draw_map(h, v, b, nav);
            draw_buttons(h, v, b);
        }
        if (!v->headset) /* a headset's captions hang in the world (mh_headset.c) */
            draw_caption(h, v, b);
        if (!v->headset || !v->pointer) /* a controller's ray has no place on the screen */
            draw_pointer(h, v, b);
    }
    if (v->fade > 0)
        mh_ui_rect(b, 0, 0, (float)h->width, (float)h->height, mh_rgba_alpha((mh_rgba){0, 0, 0, 255}, v->fade));
}
