/* mh_hud.c - the screen interface: buttons (language, tour, next stop,
 * entrance), the minimap with "you are here", tour captions, the pointer or
 * reticle, hover labels, the attract-mode prompt and teleport fades.
 *
 * Sizes scale with the screen height (1.0 at 1080 rows, never below 0.5), so
 * text stays readable from a metre away on a 1080p kiosk: buttons 34 px,
 * captions 32 px, map labels 17 px. Panels are light-on-dark at high contrast. */
#include "mh_hud.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define MARGIN 24.0f
#define BUTTON_H 72.0f
#define BUTTON_TEXT 34.0f
#define CAPTION_TEXT 32.0f
#define MAP_W 300.0f
#define MAP_LABEL 17.0f

static const mh_rgba WHITE = {255, 255, 255, 255}, DARK = {10, 14, 26, 200}, BUTTON = {24, 34, 56, 225},
                     BUTTON_HOT = {20, 130, 200, 240}, EDGE = {120, 190, 255, 255}, YOU = {255, 210, 60, 255},
                     MAP_BG = {8, 12, 22, 190}, MAP_EDGE = {90, 120, 170, 255};

typedef struct text_buf {
    mh_layout_glyph glyphs[512];
    mh_layout_line lines[16];
    mh_layout lay;
} text_buf;

static void lay_out(text_buf *t, mh_glyphs *g, const char *s, float max_w_em, int max_lines)
{
    t->lay = (mh_layout){.glyphs = t->glyphs, .glyph_cap = 512, .lines = t->lines, .line_cap = 16};
    mh_layout_desc d = {.text = s, .max_width = max_w_em, .max_lines = max_lines, .advance = mh_glyphs_advance, .user = g};
    mh_layout_text(&d, &t->lay);
}

/* Screen text: top-left (x, y), size in pixels. */
static void screen_text(mh_ui_batch *b, const mh_layout *lay, float x, float y, float size, float box_w, int align,
                        mh_rgba c)
{
    mh_ui_text_frame f = {mh_v3(x, y, 0), mh_v3(size, 0, 0), mh_v3(0, size, 0), 1.3f, box_w / size, align};
    mh_ui_text(b, lay, &f, c);
}

static const char *button_label(const mh_hud_state *v, mh_hud_button k)
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
    default: return "";
    }
}

static float text_width_em(mh_glyphs *g, const char *s)
{
    text_buf t;
    lay_out(&t, g, s, 0, 1);
    return t.lay.width;
}

void mh_hud_arrange(mh_hud *h, int width, int height, const mh_hall_desc *hall)
{
    h->width = width;
    h->height = height;
    h->scale = mh_clampf((float)height / 1080.0f, 0.5f, 4.0f);
    float s = h->scale;
    mh_vec2 lo = hall->walk_min, hi = hall->walk_max;
    float mw = MAP_W * s, mh = mw * (hi.y - lo.y) / (hi.x - lo.x > 1e-3f ? hi.x - lo.x : 1.0f);
    h->map = (mh_rect){(float)width - MARGIN * s - mw, MARGIN * s, mw, mh};
    h->map_min = lo;
    h->map_max = hi;
}

/* Button rectangles depend on their labels (language, tour state). */
static void arrange_buttons(mh_hud *h, const mh_hud_state *v)
{
    float s = h->scale, x = MARGIN * s, y = (float)h->height - (MARGIN + BUTTON_H) * s;
    for (int k = 1; k < MH_HUD_COUNT; k++) {
        h->visible[k] = !v->attract && (k != MH_HUD_NEXT || v->touring);
        if (!h->visible[k])
            continue;
        float w = text_width_em(v->glyphs, button_label(v, (mh_hud_button)k)) * BUTTON_TEXT * s + 56.0f * s;
        h->buttons[k] = (mh_rect){x, y, w, BUTTON_H * s};
        x += w + 14.0f * s;
    }
}

static bool in_rect(mh_rect r, float x, float y) { return x >= r.x && x <= r.x + r.w && y >= r.y && y <= r.y + r.h; }

static mh_vec2 to_map(const mh_hud *h, mh_vec2 w)
{
    return (mh_vec2){h->map.x + (w.x - h->map_min.x) / (h->map_max.x - h->map_min.x) * h->map.w,
                     h->map.y + (w.y - h->map_min.y) / (h->map_max.y - h->map_min.y) * h->map.h};
}

mh_target mh_hud_hit(mh_hud *hud, const mh_hud_state *v, float x, float y)
{
    if (v->headset)   /* a headset shows no screen buttons or map */
        return (mh_target){MH_TARGET_NONE, 0};
    arrange_buttons(hud, v);   /* the labels (language, tour state) size the buttons */
    const mh_hud *h = hud;
    for (int k = 1; k < MH_HUD_COUNT; k++)
        if (h->visible[k] && in_rect(h->buttons[k], x, y))
            return (mh_target){MH_TARGET_HUD, k};
    if (!in_rect(h->map, x, y))
        return (mh_target){MH_TARGET_NONE, 0};
    /* the nearest booth (or the entrance) to the tap, within reach of a finger */
    float best = (28.0f * h->scale) * (28.0f * h->scale);
    mh_target t = {MH_TARGET_MAP, -3};
    for (int i = -1; i < v->hall->booth_count; i++) {
        mh_vec2 p = to_map(h, i < 0 ? v->hall->entrance_pos : v->hall->booths[i].pos);
        float d = (p.x - x) * (p.x - x) + (p.y - y) * (p.y - y);
        if (d < best) {
            best = d;
            t.id = i;
        }
    }
    /* a tap on the map's empty floor does nothing, but the map still takes it */
    return t;
}

static void draw_buttons(const mh_hud *h, const mh_hud_state *v, mh_ui_batch *b)
{
    float s = h->scale;
    for (int k = 1; k < MH_HUD_COUNT; k++) {
        if (!h->visible[k])
            continue;
        mh_rect r = h->buttons[k];
        bool hot = v->hover.kind == MH_TARGET_HUD && v->hover.id == k;
        mh_ui_rect(b, r.x, r.y, r.w, r.h, hot ? BUTTON_HOT : BUTTON);
        mh_ui_frame(b, r.x, r.y, r.w, r.h, 2.0f * s, EDGE);
        text_buf t;
        lay_out(&t, v->glyphs, button_label(v, (mh_hud_button)k), 0, 1);
        screen_text(b, &t.lay, r.x, r.y + (r.h - BUTTON_TEXT * s * 1.15f) * 0.5f, BUTTON_TEXT * s, r.w, 1, WHITE);
    }
}

/* A short map label: the part after "·" of the booth's short name. */
static const char *short_label(const mh_exhibit_desc *ex, mh_lang lang)
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

static void triangle(mh_ui_batch *b, mh_vec2 a, mh_vec2 c, mh_vec2 d, mh_rgba col)
{
    mh_vec3 q[4] = {{a.x, a.y, 0}, {a.x, a.y, 0}, {c.x, c.y, 0}, {d.x, d.y, 0}};
    mh_ui_solid(b, q, col);
}

static void draw_map(const mh_hud *h, const mh_hud_state *v, mh_ui_batch *b, const mh_nav *nav)
{
    const mh_hall_desc *hall = v->hall;
    float s = h->scale;
    mh_rect m = h->map;
    mh_ui_rect(b, m.x, m.y, m.w, m.h, MAP_BG);
    mh_ui_frame(b, m.x, m.y, m.w, m.h, 2.0f * s, MAP_EDGE);
    /* the stage */
    mh_vec2 st = to_map(h, hall->stage_pos);
    float sr = hall->stage_radius / (hall->walk_max.x - hall->walk_min.x) * m.w;
    mh_ui_rect(b, st.x - sr, st.y - sr, 2 * sr, 2 * sr, (mh_rgba){60, 90, 140, 255});
    /* booths with radial labels, reading outwards (or inwards on the left) */
    text_buf t;
    float size = MAP_LABEL * s;
    for (int i = 0; i < hall->booth_count; i++) {
        const mh_booth_desc *bd = &hall->booths[i];
        mh_vec2 p = to_map(h, bd->pos);
        float yaw = mh_radians(bd->yaw_deg);
        mh_vec2 out = {-sinf(yaw), -cosf(yaw)};   /* away from the visitors' side */
        float sq = 5.0f * s;
        bool hot = v->hover.kind == MH_TARGET_MAP && v->hover.id == i;
        mh_ui_rect(b, p.x - sq, p.y - sq, 2 * sq, 2 * sq,
                   hot ? WHITE : mh_rgba_from_linear(mh_v3_lerp(bd->exhibit.accent, mh_v3(1, 1, 1), 0.3f), 1));
        lay_out(&t, v->glyphs, short_label(&bd->exhibit, v->lang), 0, 1);
        float len = t.lay.width * size, gap = 10.0f * s;
        mh_vec2 dir = out, start = {p.x + out.x * gap, p.y + out.y * gap};
        if (out.x < 0) {   /* keep text left-to-right: start at the far end */
            dir = (mh_vec2){-out.x, -out.y};
            start = (mh_vec2){p.x + out.x * (gap + len), p.y + out.y * (gap + len)};
        }
        mh_vec2 down = {-dir.y, dir.x};
        mh_vec3 origin = {start.x - down.x * size * 0.55f, start.y - down.y * size * 0.55f, 0};
        mh_ui_text_frame f = {origin, mh_v3(dir.x * size, dir.y * size, 0), mh_v3(down.x * size, down.y * size, 0),
                              1.3f, t.lay.width, 0};
        mh_ui_text(b, &t.lay, &f, WHITE);
    }
    /* the entrance */
    mh_vec2 e = to_map(h, hall->entrance_pos);
    mh_ui_rect(b, e.x - 6 * s, e.y - 3 * s, 12 * s, 6 * s, (mh_rgba){51, 196, 255, 255});
    lay_out(&t, v->glyphs, v->lang == MH_LANG_ZH ? "入口" : "Entrance", 0, 1);
    /* left of the marker: "you are here" goes to the right of the visitor */
    float ew = t.lay.width * size;
    screen_text(b, &t.lay, e.x - 10 * s - ew, e.y - size * 0.6f, size, ew, 0, (mh_rgba){150, 220, 255, 255});
    /* you are here: an arrow along the view */
    mh_vec2 y = to_map(h, nav->pos);
    mh_vec2 fw = {-sinf(nav->yaw), -cosf(nav->yaw)}, side = {-fw.y, fw.x};
    float r = 11.0f * s;
    mh_vec2 tip = {y.x + fw.x * r, y.y + fw.y * r};
    mh_vec2 l = {y.x - fw.x * r * 0.7f + side.x * r * 0.7f, y.y - fw.y * r * 0.7f + side.y * r * 0.7f};
    mh_vec2 rr = {y.x - fw.x * r * 0.7f - side.x * r * 0.7f, y.y - fw.y * r * 0.7f - side.y * r * 0.7f};
    triangle(b, tip, l, rr, YOU);
    lay_out(&t, v->glyphs, v->lang == MH_LANG_ZH ? "您在这里" : "You are here", 0, 1);
    float lx = y.x + 14 * s, lw = t.lay.width * size;
    if (lx + lw > m.x + m.w - 4 * s)
        lx = y.x - 14 * s - lw;
    screen_text(b, &t.lay, lx, y.y + 6 * s, size, lw, 0, YOU);
}

const char *mh_hud_caption_text(const mh_hud_state *v, char *buf, size_t size)
{
    bool zh = v->lang == MH_LANG_ZH;
    if (!v->touring)
        return NULL;
    if (v->tour_paused)
        return zh ? "导览已暂停。点“继续导览”接着参观，或自由参观。"
                  : "Tour paused. Tap Resume to continue, or explore on your own.";
    const char *stop = v->hall->tour[v->tour_stop];
    if (!strcmp(stop, "entrance")) {
        snprintf(buf, size, zh ? "欢迎来到%s。导览将带您参观%d个展位。" : "Welcome to the %s. This tour visits %d booths.",
                 zh ? v->hall->name_zh : v->hall->name_en, v->hall->booth_count);
        return buf;
    }
    return v->stop_text;
}

/* Tour captions sit at the top, clear of an open panel (which fills the
 * middle two thirds) and of the buttons at the bottom. */
static void draw_caption(const mh_hud *h, const mh_hud_state *v, mh_ui_batch *b)
{
    char buf[512];
    const char *text = mh_hud_caption_text(v, buf, sizeof buf);
    if (!text)
        return;
    float s = h->scale, size = CAPTION_TEXT * s, pad = 14 * s;
    float w = h->map.x - 2 * MARGIN * s;   /* centred in the room left of the minimap */
    if (w > (float)h->width * 0.64f)
        w = (float)h->width * 0.64f;
    text_buf t;
    lay_out(&t, v->glyphs, text, (w - 2 * pad) / size, 2);
    float th = ((float)(t.lay.line_count - 1) * 1.3f + 1.15f) * size;
    float x = (h->map.x - w) * 0.5f, y = MARGIN * s * 0.5f;
    mh_ui_rect(b, x, y, w, th + 2 * pad, DARK);
    mh_ui_rect(b, x, y, 5 * s, th + 2 * pad, EDGE);
    screen_text(b, &t.lay, x + pad, y + pad, size, w - 2 * pad, 1, WHITE);
    char step[32];
    snprintf(step, sizeof step, "%d/%d", v->tour_stop + 1, v->hall->tour_count);
    text_buf st;
    lay_out(&st, v->glyphs, step, 0, 1);
    screen_text(b, &st.lay, x, y + th + 2 * pad + 4 * s, size * 0.6f, w, 2, (mh_rgba){180, 200, 230, 255});
}

static void draw_pointer(const mh_hud *h, const mh_hud_state *v, mh_ui_batch *b)
{
    float s = h->scale;
    if (!v->pointer && !v->reticle)
        return;   /* a touch screen: nothing to draw until a tap */
    float x = v->pointer ? v->pointer_x : (float)h->width * 0.5f, y = v->pointer ? v->pointer_y : (float)h->height * 0.5f;
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
    /* what a tap here would open */
    if (v->hover.kind == MH_TARGET_BOOTH || v->hover.kind == MH_TARGET_STAGE) {
        const mh_exhibit_desc *ex = v->hover_exhibit;
        if (!ex)
            return;
        const char *name = v->lang == MH_LANG_ZH ? ex->short_zh : ex->short_en;
        text_buf t;
        lay_out(&t, v->glyphs, name ? name : ex->id, 0, 1);
        float size = 30 * s, w = t.lay.width * size + 24 * s;
        mh_ui_rect(b, x + r + 8 * s, y - r - size * 1.6f, w, size * 1.5f, DARK);
        screen_text(b, &t.lay, x + r + 20 * s, y - r - size * 1.45f, size, w, 0, WHITE);
    }
}

static void draw_attract(const mh_hud *h, const mh_hud_state *v, mh_ui_batch *b)
{
    float s = h->scale, W = (float)h->width, H = (float)h->height;
    mh_ui_rect(b, 0, 0, W, H, (mh_rgba){0, 0, 0, 90});
    float pulse = 0.7f + 0.3f * sinf((float)((v->now - v->attract_started) * 2.0 * MH_PI / 2.4));
    text_buf t;
    lay_out(&t, v->glyphs, "触摸开始", 0, 1);
    float big = 110 * s, small = 50 * s;
    float y = H * 0.62f;
    mh_ui_rect(b, W * 0.5f - 420 * s, y - 30 * s, 840 * s, big * 1.3f + small * 1.4f + 60 * s, DARK);
    screen_text(b, &t.lay, 0, y, big, W, 1, mh_rgba_alpha(WHITE, pulse));
    lay_out(&t, v->glyphs, "Touch to start", 0, 1);
    screen_text(b, &t.lay, 0, y + big * 1.3f, small, W, 1, mh_rgba_alpha(EDGE, pulse));
    lay_out(&t, v->glyphs, v->hall->name_zh ? v->hall->name_zh : "", 0, 1);
    screen_text(b, &t.lay, 0, 60 * s, 64 * s, W, 1, WHITE);
    lay_out(&t, v->glyphs, v->hall->name_en ? v->hall->name_en : "", 0, 1);
    screen_text(b, &t.lay, 0, 60 * s + 64 * s * 1.4f, 34 * s, W, 1, (mh_rgba){200, 215, 240, 255});
}

void mh_hud_draw(mh_hud *h, const mh_hud_state *v, mh_ui_batch *b, const mh_nav *nav)
{
    mh_ui_set(b, MH_UI_SCREEN, 0, false);
    if (v->attract) {
        draw_attract(h, v, b);
    } else {
        if (!v->headset) {   /* in a headset they would stay stuck in front of the face */
            arrange_buttons(h, v);
            draw_map(h, v, b, nav);
            draw_buttons(h, v, b);
        }
        if (!v->headset)   /* a headset's captions hang in the world (mh_headset.c) */
            draw_caption(h, v, b);
        if (!v->headset || !v->pointer)   /* a controller's ray has no place on the screen */
            draw_pointer(h, v, b);
    }
    if (v->fade > 0)
        mh_ui_rect(b, 0, 0, (float)h->width, (float)h->height, mh_rgba_alpha((mh_rgba){0, 0, 0, 255}, v->fade));
}
