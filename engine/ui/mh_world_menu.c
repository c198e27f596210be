/* mh_world_menu.c - the menu in the world: its layout, drawing and ray
 * hits, and the gaze target that opens it (see mh_world_menu.h). */
#include "mh_world_menu.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../text/mh_layout.h"
#include "mh_comfort.h"

#define DROP 0.12f /* the menu's centre, below the eyes */
#define TITLE_EM 0.032f
#define BUTTON_EM 0.027f
#define ROW0 0.08f /* the first row's top */
#define ROW_PITCH 0.072f
#define BUTTON_H 0.058f
#define COL0 0.03f
#define COL_W 0.265f
#define COL1 (COL0 + COL_W + 0.01f)
#define LINE_GAP 1.3f
#define Z_BUTTON 0.002f
#define Z_TEXT 0.004f
#define OPEN_TIME 0.2

static const mh_rgba BG = {12, 19, 34, 255}, EDGE = {120, 190, 255, 255}, BUTTON = {36, 50, 78, 255},
                     HOT = {20, 130, 200, 255}, ON = {46, 98, 70, 255}, DIM = {28, 34, 46, 255},
                     WHITE = {255, 255, 255, 255}, GREY = {130, 140, 156, 255}, BAR = {255, 210, 60, 255};

/* Where each button is: column 0/1 (2 = both, 3 = the middle), row. */
static const struct {
    int col, row;
} SLOT[MH_MENU_ITEM_COUNT] = {
    [MH_MENU_ZH] = {0, 0},       [MH_MENU_EN] = {1, 0},        [MH_MENU_TOUR] = {0, 1},    [MH_MENU_NEXT] = {1, 1},
    [MH_MENU_ENTRANCE] = {0, 2}, [MH_MENU_RECENTER] = {1, 2},  [MH_MENU_QUIETER] = {4, 3}, [MH_MENU_LOUDER] = {5, 3},
    [MH_MENU_SEATED] = {0, 4},   [MH_MENU_CALIBRATE] = {1, 4}, [MH_MENU_CLOSE] = {3, 5},
};

bool mh_world_menu_item_rect(mh_menu_item item, float *x, float *y, float *w, float *h)
{
    if (item <= MH_MENU_NONE || item >= MH_MENU_BODY)
        return false;
    int col = SLOT[item].col;
    *y = ROW0 + ROW_PITCH * (float)SLOT[item].row;
    *h = BUTTON_H;
    *w = col <= 1 || col == 3 ? COL_W : 0.11f;
    *x = col == 0   ? COL0
         : col == 1 ? COL1
         : col == 3 ? (MH_MENU_WIDTH - COL_W) * 0.5f
         : col == 4 ? COL0
                    : MH_MENU_WIDTH - COL0 - 0.11f;
    return true;
}

const char *mh_world_menu_label(mh_menu_item item, const mh_world_menu_state *s, char *buf, size_t size)
{
    bool zh = s->lang == MH_LANG_ZH;
    switch (item) {
    case MH_MENU_ZH: return "中文";
    case MH_MENU_EN: return "English";
    case MH_MENU_TOUR: return s->touring ? (zh ? "结束导览" : "End tour") : (zh ? "导览" : "Guided tour");
    case MH_MENU_NEXT: return zh ? "下一站" : "Next stop";
    case MH_MENU_ENTRANCE: return zh ? "回到入口" : "Entrance";
    case MH_MENU_RECENTER: return zh ? "重新居中" : "Recentre";
    case MH_MENU_QUIETER: return "−";
    case MH_MENU_LOUDER: return "+";
    case MH_MENU_SEATED:
        snprintf(buf, size, "%s%s", zh ? "坐姿：" : "Seated: ", s->seated ? (zh ? "开" : "on") : (zh ? "关" : "off"));
        return buf;
    case MH_MENU_CALIBRATE: return zh ? "校准身高" : "Set my height";
    case MH_MENU_CLOSE: return zh ? "关闭" : "Close";
    case MH_MENU_TARGET: return zh ? "菜单" : "Menu";
    default: return "";
    }
}

void mh_world_menu_open(mh_world_menu *m, mh_vec3 head, float yaw, double now)
{
    mh_follow f = {.placed = true, .yaw = yaw};
    m->open = true;
    m->opened_at = now;
    m->pose = mh_follow_pose(&f, head, MH_MENU_DISTANCE, DROP);
    m->distance = sqrtf(MH_MENU_DISTANCE * MH_MENU_DISTANCE + DROP * DROP);
    m->hover = MH_MENU_NONE;
    m->hover_since = now;
    m->em = mh_comfort_text_em(BUTTON_EM, m->distance);
}

void mh_world_menu_close(mh_world_menu *m)
{
    m->open = false;
    m->hover = MH_MENU_NONE;
}

/* Menu-plane coordinates of a point on it. */
static mh_vec3 place(mh_panel_pose p, float x, float y, float z)
{
    mh_vec3 c = mh_v3_add(p.center, mh_v3_scale(p.right, x - MH_MENU_WIDTH * 0.5f));
    c = mh_v3_add(c, mh_v3_scale(p.up, MH_MENU_HEIGHT * 0.5f - y));
    return mh_v3_add(c, mh_v3_scale(p.out, z));
}

mh_vec3 mh_world_menu_item_center(const mh_world_menu *m, mh_menu_item item)
{
    float x, y, w, h;
    if (!mh_world_menu_item_rect(item, &x, &y, &w, &h))
        return m->pose.center;
    return place(m->pose, x + w * 0.5f, y + h * 0.5f, 0);
}

/* Where a ray meets a pose's plane from the front: local x right, y up from the centre. */
static bool plane_hit(mh_panel_pose p, mh_vec3 o, mh_vec3 d, float *t, float *x, float *y)
{
    float denom = mh_v3_dot(d, p.out);
    if (denom > -1e-5f)
        return false;
    float k = mh_v3_dot(mh_v3_sub(p.center, o), p.out) / denom;
    if (k <= 0)
        return false;
    mh_vec3 hit = mh_v3_sub(mh_v3_add(o, mh_v3_scale(d, k)), p.center);
    *t = k;
    *x = mh_v3_dot(hit, p.right);
    *y = mh_v3_dot(hit, p.up);
    return true;
}

mh_menu_item mh_world_menu_hit(const mh_world_menu *m, const mh_world_menu_state *s, mh_vec3 origin, mh_vec3 dir,
                               float *t)
{
    float px, py;
    if (!m->open || !plane_hit(m->pose, origin, dir, t, &px, &py))
        return MH_MENU_NONE;
    float x = px + MH_MENU_WIDTH * 0.5f, y = MH_MENU_HEIGHT * 0.5f - py;
    if (x < 0 || x > MH_MENU_WIDTH || y < 0 || y > MH_MENU_HEIGHT)
        return MH_MENU_NONE;
    for (int i = MH_MENU_ZH; i < MH_MENU_BODY; i++) {
        float bx, by, bw, bh;
        mh_world_menu_item_rect((mh_menu_item)i, &bx, &by, &bw, &bh);
        if (x >= bx && x <= bx + bw && y >= by && y <= by + bh)
            return i == MH_MENU_NEXT && !s->touring ? MH_MENU_BODY : (mh_menu_item)i;
    }
    return MH_MENU_BODY;
}

/* ---- drawing ---------------------------------------------------------------- */

static void rect(mh_ui_batch *b, mh_panel_pose p, float x, float y, float w, float h, float z, mh_rgba c)
{
    mh_vec3 q[4] = {place(p, x, y, z), place(p, x + w, y, z), place(p, x + w, y + h, z), place(p, x, y + h, z)};
    mh_ui_solid(b, q, c);
}

/* One line of text centred in the box x..x+w at top y. */
static void label(mh_ui_batch *b, mh_glyphs *g, mh_panel_pose p, const char *text, float x, float y, float w, float em,
                  mh_rgba c)
{
    mh_layout_glyph gl[48];
    mh_layout_line ln[1];
    mh_layout lay = {.glyphs = gl, .glyph_cap = 48, .lines = ln, .line_cap = 1};
    mh_layout_desc d = {.text = text, .max_lines = 1, .advance = mh_glyphs_advance, .user = g};
    if (!mh_layout_text(&d, &lay))
        return;
    mh_ui_text_frame f =
        {place(p, x, y, Z_TEXT), mh_v3_scale(p.right, em), mh_v3_scale(p.up, -em), LINE_GAP, w / em, 1};
    mh_ui_text(b, &lay, &f, c);
}

static bool item_on(mh_menu_item i, const mh_world_menu_state *s)
{
    return (i == MH_MENU_ZH && s->lang == MH_LANG_ZH) || (i == MH_MENU_EN && s->lang == MH_LANG_EN) ||
           (i == MH_MENU_SEATED && s->seated) || (i == MH_MENU_TOUR && s->touring);
}

static void draw_button(const mh_world_menu *m, const mh_world_menu_state *s, mh_glyphs *g, mh_ui_batch *b,
                        mh_menu_item i, float alpha, float dwell)
{
    float x, y, w, h;
    char buf[64];
    mh_world_menu_item_rect(i, &x, &y, &w, &h);
    bool off = i == MH_MENU_NEXT && !s->touring;
    mh_rgba bg = off ? DIM : m->hover == i ? HOT : item_on(i, s) ? ON : BUTTON;
    rect(b, m->pose, x, y, w, h, Z_BUTTON, mh_rgba_alpha(bg, alpha));
    if (m->hover == i)
        rect(b, m->pose, x, y + h - 0.004f, w * dwell, 0.004f, Z_TEXT, mh_rgba_alpha(BAR, alpha));
    mh_rgba ink = mh_rgba_alpha(off ? GREY : WHITE, alpha);
    if (i == MH_MENU_QUIETER || i == MH_MENU_LOUDER) { /* drawn, not set: crisp at any size */
        float cx = x + w * 0.5f, cy = y + h * 0.5f, arm = h * 0.22f, t = h * 0.06f;
        rect(b, m->pose, cx - arm, cy - t, 2 * arm, 2 * t, Z_TEXT, ink);
        if (i == MH_MENU_LOUDER)
            rect(b, m->pose, cx - t, cy - arm, 2 * t, 2 * arm, Z_TEXT, ink);
        return;
    }
    label(b, g, m->pose, mh_world_menu_label(i, s, buf, sizeof buf), x, y + (h - m->em * 1.15f) * 0.5f, w, m->em, ink);
}

/* The volume row's middle: a bar of ten steps and the percentage. */
static void draw_volume(const mh_world_menu *m, const mh_world_menu_state *s, mh_glyphs *g, mh_ui_batch *b, float alpha)
{
    float qx, y, qw, h, lx, lw;
    mh_world_menu_item_rect(MH_MENU_QUIETER, &qx, &y, &qw, &h);
    mh_world_menu_item_rect(MH_MENU_LOUDER, &lx, &y, &lw, &h);
    float x0 = qx + qw + 0.015f, x1 = lx - 0.015f, step = (x1 - x0) / 10.0f;
    int lit = (int)(s->volume * 10.0f + 0.5f);
    for (int k = 0; k < 10; k++)
        rect(b, m->pose, x0 + step * (float)k + 0.002f, y + h * 0.62f, step - 0.004f, h * 0.3f, Z_BUTTON,
             mh_rgba_alpha(k < lit ? EDGE : DIM, alpha));
    char text[48];
    snprintf(text, sizeof text, "%s %d%%", s->lang == MH_LANG_ZH ? "音量" : "Volume", (int)(s->volume * 100.0f + 0.5f));
    label(b, g, m->pose, text, x0, y + 0.002f, x1 - x0, m->em, mh_rgba_alpha(WHITE, alpha));
}

void mh_world_menu_draw(const mh_world_menu *m, const mh_world_menu_state *s, mh_glyphs *glyphs, mh_ui_batch *b,
                        double now, float dwell_s)
{
    if (!m->open)
        return;
    float alpha = mh_clampf((float)((now - m->opened_at) / OPEN_TIME), 0.0f, 1.0f);
    float dwell = dwell_s > 0 && m->hover_since < 1e29 ? mh_clampf((float)((now - m->hover_since) / dwell_s), 0, 1) : 0;
    mh_ui_set(b, MH_UI_WORLD, 0, false);
    rect(b, m->pose, 0, 0, MH_MENU_WIDTH, MH_MENU_HEIGHT, 0, mh_rgba_alpha(BG, alpha));
    rect(b, m->pose, 0, 0, MH_MENU_WIDTH, 0.006f, 0.001f, mh_rgba_alpha(EDGE, alpha));
    float title = mh_comfort_text_em(TITLE_EM, m->distance);
    label(b, glyphs, m->pose, s->lang == MH_LANG_ZH ? "菜单" : "Menu", 0, 0.022f, MH_MENU_WIDTH, title,
          mh_rgba_alpha(WHITE, alpha));
    for (int i = MH_MENU_ZH; i < MH_MENU_BODY; i++)
        draw_button(m, s, glyphs, b, (mh_menu_item)i, alpha, dwell);
    draw_volume(m, s, glyphs, b, alpha);
}

/* ---- the gaze target ------------------------------------------------------------ */

bool mh_world_menu_target_hit(mh_panel_pose pose, mh_vec3 origin, mh_vec3 dir, float *t)
{
    float x, y;
    float r = MH_MENU_TARGET_RADIUS * 1.25f; /* a little more than it shows: a gaze wobbles */
    return plane_hit(pose, origin, dir, t, &x, &y) && x * x + y * y <= r * r;
}

static mh_vec3 disc_at(mh_panel_pose p, float a, float r)
{
    return mh_v3_add(p.center, mh_v3_add(mh_v3_scale(p.right, cosf(a) * r), mh_v3_scale(p.up, sinf(a) * r)));
}

void mh_world_menu_target_draw(mh_panel_pose pose, mh_lang lang, bool hover, float progress, mh_glyphs *glyphs,
                               mh_ui_batch *b)
{
    const int n = 28;
    float r = MH_MENU_TARGET_RADIUS;
    mh_ui_set(b, MH_UI_WORLD, 0, false);
    for (int i = 0; i < n; i++) {
        float a0 = 2.0f * MH_PI * (float)i / (float)n, a1 = 2.0f * MH_PI * (float)(i + 1) / (float)n;
        mh_vec3 fill[4] = {pose.center, pose.center, disc_at(pose, a1, r), disc_at(pose, a0, r)};
        mh_ui_solid(b, fill, hover ? HOT : BUTTON);
        /* the rim fills clockwise from the top as the gaze dwells */
        float done = (float)i / (float)n;
        mh_vec3 rim[4] = {disc_at(pose, MH_PI * 0.5f - a0, r), disc_at(pose, MH_PI * 0.5f - a1, r),
                          disc_at(pose, MH_PI * 0.5f - a1, r * 1.12f), disc_at(pose, MH_PI * 0.5f - a0, r * 1.12f)};
        mh_ui_solid(b, rim, done < progress ? BAR : EDGE);
    }
    /* three bars: a menu */
    for (int k = -1; k <= 1; k++) {
        mh_vec3 c = mh_v3_add(pose.center,
                              mh_v3_add(mh_v3_scale(pose.up, (float)k * r * 0.32f), mh_v3_scale(pose.out, 0.002f)));
        mh_vec3 hw = mh_v3_scale(pose.right, r * 0.5f), hh = mh_v3_scale(pose.up, r * 0.07f);
        mh_vec3 q[4] = {mh_v3_add(mh_v3_sub(c, hw), hh), mh_v3_add(mh_v3_add(c, hw), hh),
                        mh_v3_sub(mh_v3_add(c, hw), hh), mh_v3_sub(mh_v3_sub(c, hw), hh)};
        mh_ui_solid(b, q, WHITE);
    }
    mh_world_menu_state s = {.lang = lang};
    char buf[16];
    float dist = sqrtf(MH_MENU_TARGET_DISTANCE * MH_MENU_TARGET_DISTANCE + MH_MENU_TARGET_DROP * MH_MENU_TARGET_DROP);
    float em = mh_comfort_text_em(0.03f, dist);
    mh_panel_pose below = pose;
    below.center = mh_v3_sub(pose.center, mh_v3_scale(pose.up, r * 1.25f));
    mh_ui_text_frame f = {mh_v3_add(mh_v3_sub(below.center, mh_v3_scale(pose.right, 0.15f)),
                                    mh_v3_scale(pose.out, 0.002f)),
                          mh_v3_scale(pose.right, em),
                          mh_v3_scale(pose.up, -em),
                          LINE_GAP,
                          0.3f / em,
                          1};
    mh_layout_glyph gl[16];
    mh_layout_line ln[1];
    mh_layout lay = {.glyphs = gl, .glyph_cap = 16, .lines = ln, .line_cap = 1};
    mh_layout_desc d = {.text = mh_world_menu_label(MH_MENU_TARGET, &s, buf, sizeof buf),
                        .max_lines = 1,
                        .advance = mh_glyphs_advance,
                        .user = glyphs};
    if (mh_layout_text(&d, &lay))
        mh_ui_text(b, &lay, &f, WHITE);
}
