/* mh_panel_draw.c - drawing a laid-out info panel at its pose in the hall
 * (an opaque background, the buttons, the current view's chart, timeline,
 * photo or QR code, and the texts), the open animation, and what a ray
 * hits on it. */
#include "mh_panel_internal.h"

#include <math.h>

#define OPEN_TIME 0.3

typedef struct placer {
    mh_panel_pose pose;
    float scale, w, h;
} placer;

static mh_vec3 place(const placer *pl, float x, float y, float z)
{
    mh_vec3 p = pl->pose.center;
    p = mh_v3_add(p, mh_v3_scale(pl->pose.right, (x - pl->w * 0.5f) * pl->scale));
    p = mh_v3_add(p, mh_v3_scale(pl->pose.up, (pl->h * 0.5f - y) * pl->scale));
    return mh_v3_add(p, mh_v3_scale(pl->pose.out, z * pl->scale));
}

static void rect(mh_ui_batch *b, const placer *pl, float x, float y, float w, float h, float z, mh_rgba c)
{
    mh_vec3 q[4] = {place(pl, x, y, z), place(pl, x + w, y, z), place(pl, x + w, y + h, z), place(pl, x, y + h, z)};
    mh_ui_solid(b, q, c);
}

/* A triangle pointing left (dir -1) or right (+1), centred in a square of side s at (x, y). */
static void arrow(mh_ui_batch *b, const placer *pl, float x, float y, float s, int dir, mh_rgba c)
{
    float cx = x + s * 0.5f, cy = y + s * 0.5f, r = s * 0.22f;
    mh_vec3 tip = place(pl, cx + (float)dir * r, cy, 0.003f);
    mh_vec3 q[4] = {tip, tip, place(pl, cx - (float)dir * r, cy + r, 0.003f),
                    place(pl, cx - (float)dir * r, cy - r, 0.003f)};
    mh_ui_solid(b, q, c);
}

static void label_button(const mh_panel *p, mh_ui_batch *b, const placer *pl, mh_panel_rect r, const char *label,
                         bool hover, float alpha)
{
    rect(b, pl, r.x, r.y, r.w, r.h, 0.002f, mh_rgba_alpha(hover ? p->accent : MH_PANEL_BUTTON_BG, alpha));
    mh_layout_glyph gl[8];
    mh_layout_line ln[1];
    mh_layout lay = {.glyphs = gl, .glyph_cap = 8, .lines = ln, .line_cap = 1};
    mh_layout_desc d = {.text = label, .max_lines = 1, .advance = mh_glyphs_advance, .user = p->glyphs};
    mh_layout_text(&d, &lay);
    float size = r.h * 0.55f;
    mh_ui_text_frame f = {place(pl, r.x, r.y + (r.h - size * 1.1f) * 0.5f, MH_PANEL_TEXT_Z),
                          mh_v3_scale(pl->pose.right, size * pl->scale),
                          mh_v3_scale(pl->pose.up, -size * pl->scale),
                          MH_PANEL_LINE_GAP,
                          r.w / size,
                          1};
    mh_ui_text(b, &lay, &f, mh_rgba_alpha(MH_PANEL_WHITE, alpha));
}

static void buttons(const mh_panel *p, mh_ui_batch *b, const placer *pl, mh_panel_button hover, float k)
{
    label_button(p, b, pl, p->buttons[MH_PANEL_LANG], p->lang == MH_LANG_ZH ? "EN" : "中", hover == MH_PANEL_LANG, k);
    label_button(p, b, pl, p->buttons[MH_PANEL_CLOSE], "×", hover == MH_PANEL_CLOSE, k);
    static const struct {
        mh_panel_button b;
        int dir;
    } arrows[] = {{MH_PANEL_PAGE_PREV, -1}, {MH_PANEL_PAGE_NEXT, 1}, {MH_PANEL_VIEW_PREV, -1}, {MH_PANEL_VIEW_NEXT, 1}};
    for (size_t i = 0; i < sizeof arrows / sizeof *arrows; i++) {
        if (!p->shown[arrows[i].b])
            continue;
        mh_panel_rect r = p->buttons[arrows[i].b];
        rect(b, pl, r.x, r.y, r.w, r.h, 0.002f,
             mh_rgba_alpha(hover == arrows[i].b ? p->accent : MH_PANEL_BUTTON_BG, k));
        arrow(b, pl, r.x, r.y, r.w, arrows[i].dir, mh_rgba_alpha(MH_PANEL_WHITE, k));
    }
}

static float ease_out(float t)
{
    t = mh_clampf(t, 0, 1);
    return 1.0f - (1.0f - t) * (1.0f - t) * (1.0f - t);
}

/* How far bar (or point) i has risen at time t after opening (0..1). */
static float bar_rise(int i, double t) { return ease_out((float)((t - 0.25 - 0.08 * i) / 0.8)); }

static void draw_bars(const mh_panel *p, mh_ui_batch *b, const placer *pl, double t, float k)
{
    const mh_chart_plot *c = &p->plot;
    float base = c->y + c->h;
    rect(b, pl, c->x, base, c->w, 0.008f, 0.002f, mh_rgba_alpha(MH_PANEL_LABEL, k));
    rect(b, pl, c->x - 0.008f, c->y - 0.02f, 0.008f, c->h + 0.028f, 0.002f, mh_rgba_alpha(MH_PANEL_LABEL, k));
    mh_ui_set(b, MH_UI_WORLD, 0, true);
    for (int i = 0; i < c->bar_count; i++) {
        const mh_chart_bar *bar = &c->bars[i];
        float h = bar->height * bar_rise(i, t);
        if (h < 0.002f)
            continue;
        mh_vec3 basept = place(pl, bar->x + bar->w * 0.5f, base, 0.035f);
        mh_ui_box(b, basept, mh_v3_scale(p->pose.right, bar->w * 0.5f * pl->scale),
                  mh_v3_scale(p->pose.up, h * 0.5f * pl->scale), mh_v3_scale(p->pose.out, 0.03f * pl->scale),
                  mh_rgba_alpha(p->accent_bar, k));
    }
    mh_ui_set(b, MH_UI_WORLD, 0, false);
}

/* A thick segment between two points of panel space. */
static void segment(mh_ui_batch *b, const placer *pl, float x0, float y0, float x1, float y1, float w, mh_rgba c)
{
    float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
    if (len < 1e-5f)
        return;
    float nx = -dy / len * w * 0.5f, ny = dx / len * w * 0.5f;
    mh_vec3 q[4] = {place(pl, x0 + nx, y0 + ny, 0.003f), place(pl, x1 + nx, y1 + ny, 0.003f),
                    place(pl, x1 - nx, y1 - ny, 0.003f), place(pl, x0 - nx, y0 - ny, 0.003f)};
    mh_ui_solid(b, q, c);
}

static void draw_line(const mh_panel *p, mh_ui_batch *b, const placer *pl, double t, float k)
{
    const mh_chart_plot *c = &p->plot;
    rect(b, pl, c->x, c->y + c->h, c->w, 0.008f, 0.002f, mh_rgba_alpha(MH_PANEL_LABEL, k));
    rect(b, pl, c->x - 0.008f, c->y - 0.02f, 0.008f, c->h + 0.028f, 0.002f, mh_rgba_alpha(MH_PANEL_LABEL, k));
    for (int i = 0; i < c->point_count; i++) {
        float rise = bar_rise(i, t);
        if (i > 0 && rise > 0)
            segment(b, pl, c->px[i - 1], c->py[i - 1], c->px[i - 1] + (c->px[i] - c->px[i - 1]) * rise,
                    c->py[i - 1] + (c->py[i] - c->py[i - 1]) * rise, 0.012f, mh_rgba_alpha(p->accent_bright, k));
        rect(b, pl, c->px[i] - 0.018f, c->py[i] - 0.018f, 0.036f, 0.036f, 0.004f,
             mh_rgba_alpha(p->accent_bar, k * rise));
    }
}

static void draw_timeline(const mh_panel *p, mh_ui_batch *b, const placer *pl, float k)
{
    const mh_chart_plot *c = &p->plot;
    if (c->point_count == 0)
        return;
    rect(b, pl, c->x - 0.004f, c->py[0], 0.008f, c->py[c->point_count - 1] - c->py[0] + 0.001f, 0.002f,
         mh_rgba_alpha(MH_PANEL_DIM, k));
    for (int i = 0; i < c->point_count; i++)
        rect(b, pl, c->x - 0.016f, c->py[i] - 0.016f, 0.032f, 0.032f, 0.003f, mh_rgba_alpha(p->accent_bright, k));
}

static void draw_photo(const mh_panel *p, mh_ui_batch *b, const placer *pl, float k)
{
    const mh_panel_photo *ph = &p->photos[p->views[p->view].index];
    mh_panel_rect r = p->content_rect;
    if (!ph->slot || ph->width <= 0 || ph->height <= 0) {
        rect(b, pl, r.x, r.y, r.w, r.h, 0.001f, mh_rgba_alpha(MH_PANEL_BUTTON_BG, k));
        return;
    }
    float a = (float)ph->width / (float)ph->height, w = r.w, h = r.w / a;
    if (h > r.h) {
        h = r.h;
        w = h * a;
    }
    float x = r.x + (r.w - w) * 0.5f, y = r.y + (r.h - h) * 0.5f;
    mh_vec3 q[4] = {place(pl, x, y, 0.002f), place(pl, x + w, y, 0.002f), place(pl, x + w, y + h, 0.002f),
                    place(pl, x, y + h, 0.002f)};
    mh_ui_set(b, MH_UI_WORLD, ph->slot, false);
    mh_ui_quad(b, q, 0, 0, 1, 1, mh_rgba_alpha(MH_PANEL_WHITE, k));
    mh_ui_set(b, MH_UI_WORLD, 0, false);
}

/* Dark modules on white, with a quiet zone of four modules; runs of dark
 * modules in a row are one quad. */
static void draw_qr(const mh_panel *p, mh_ui_batch *b, const placer *pl, float k)
{
    mh_panel_rect r = p->content_rect;
    int n = p->qr_size;
    if (n <= 0)
        return;
    rect(b, pl, r.x, r.y, r.w, r.h, 0.001f, mh_rgba_alpha(MH_PANEL_WHITE, k));
    float m = r.w / (float)(n + 8);
    mh_rgba dark = mh_rgba_alpha((mh_rgba){0, 0, 0, 255}, k);
    for (int y = 0; y < n; y++)
        for (int x = 0; x < n;) {
            if (!p->qr[y * n + x]) {
                x++;
                continue;
            }
            int end = x;
            while (end < n && p->qr[y * n + end])
                end++;
            rect(b, pl, r.x + (float)(x + 4) * m, r.y + (float)(y + 4) * m, (float)(end - x) * m, m, 0.002f, dark);
            x = end;
        }
}

static void draw_view(const mh_panel *p, mh_ui_batch *b, const placer *pl, double t, float k)
{
    if (p->view_count == 0)
        return;
    switch (p->views[p->view].kind) {
    case MH_VIEW_CHART:
        if (p->plot.kind == MH_PLOT_BAR)
            draw_bars(p, b, pl, t, k);
        else
            draw_line(p, b, pl, t, k);
        break;
    case MH_VIEW_TIMELINE: draw_timeline(p, b, pl, k); break;
    case MH_VIEW_PHOTO: draw_photo(p, b, pl, k); break;
    case MH_VIEW_QR: draw_qr(p, b, pl, k); break;
    }
}

static void draw_texts(const mh_panel *p, mh_ui_batch *b, const placer *pl, double t, float k)
{
    const mh_chart_plot *c = &p->plot;
    for (int i = 0; i < p->text_count; i++) {
        const mh_panel_text *tx = &p->texts[i];
        float y = tx->y, alpha = k;
        if (tx->bar >= 0) { /* value labels ride on their bar, or fade in with their point */
            float rise = bar_rise(tx->bar, t);
            if (c->kind == MH_PLOT_BAR)
                y = c->y + c->h - c->bars[tx->bar].height * rise - tx->size * 1.35f;
            alpha = k * rise;
        }
        mh_ui_text_frame f = {place(pl, tx->x, y, tx->z),
                              mh_v3_scale(p->pose.right, tx->size * pl->scale),
                              mh_v3_scale(p->pose.up, -tx->size * pl->scale),
                              MH_PANEL_LINE_GAP,
                              tx->box_w / tx->size,
                              tx->align};
        mh_ui_text(b, &tx->lay, &f, mh_rgba_alpha(tx->color, alpha));
    }
}

void mh_panel_draw(const mh_panel *p, mh_ui_batch *b, double now, mh_panel_button hover)
{
    if (!p->open)
        return;
    double t = now - p->opened_at;
    float k = ease_out((float)(t / OPEN_TIME));
    placer pl = {p->pose, p->fit.scale * (0.94f + 0.06f * k), p->fit.width, p->fit.height};
    mh_ui_set(b, MH_UI_WORLD, 0, true);
    /* opaque once open: nothing of the hall shows through the text, and
     * the hall behind the card is not even shaded (mh_ui_set_opaque) */
    if (k >= 1.0f)
        mh_ui_set_opaque(b);
    rect(b, &pl, 0, 0, p->fit.width, p->fit.height, 0, mh_rgba_alpha(MH_PANEL_BG, k));
    rect(b, &pl, 0, 0, p->fit.width, 0.03f, 0.001f, mh_rgba_alpha(p->accent_bright, k));
    mh_ui_set(b, MH_UI_WORLD, 0, false);
    draw_view(p, b, &pl, t, k);
    buttons(p, b, &pl, hover, k);
    draw_texts(p, b, &pl, t, k);
}

void mh_panel_corners(const mh_panel *p, mh_vec3 out[4])
{
    placer pl = {p->pose, p->fit.scale, p->fit.width, p->fit.height};
    out[0] = place(&pl, 0, 0, 0);
    out[1] = place(&pl, p->fit.width, 0, 0);
    out[2] = place(&pl, p->fit.width, p->fit.height, 0);
    out[3] = place(&pl, 0, p->fit.height, 0);
}

static bool inside(float x, float y, mh_panel_rect r)
{
    return x >= r.x && x <= r.x + r.w && y >= r.y && y <= r.y + r.h;
}

mh_panel_button mh_panel_hit(const mh_panel *p, mh_vec3 origin, mh_vec3 dir, float *t)
{
    if (!p->open)
        return MH_PANEL_NONE;
    float denom = mh_v3_dot(dir, p->pose.out);
    if (denom > -1e-5f) /* parallel, or seen from behind */
        return MH_PANEL_NONE;
    float d = mh_v3_dot(mh_v3_sub(p->pose.center, origin), p->pose.out) / denom;
    if (d <= 0)
        return MH_PANEL_NONE;
    mh_vec3 hit = mh_v3_sub(mh_v3_add(origin, mh_v3_scale(dir, d)), p->pose.center);
    float s = p->fit.scale > 0 ? p->fit.scale : 1;
    float x = mh_v3_dot(hit, p->pose.right) / s + p->fit.width * 0.5f;
    float y = p->fit.height * 0.5f - mh_v3_dot(hit, p->pose.up) / s;
    if (x < 0 || x > p->fit.width || y < 0 || y > p->fit.height)
        return MH_PANEL_NONE;
    *t = d;
    /* buttons first, then the regions they sit in */
    for (int b = MH_PANEL_CLOSE; b < MH_PANEL_BUTTON_COUNT; b++)
        if (p->shown[b] && inside(x, y, p->buttons[b]))
            return (mh_panel_button)b;
    return MH_PANEL_BODY;
}
