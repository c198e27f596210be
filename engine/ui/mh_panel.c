/* mh_panel.c - laying out and drawing a booth's info panel. */
#include "mh_panel.h"

#include <stdio.h>
#include <string.h>

#define MARGIN 0.07f
#define LINE_GAP 1.3f              /* baseline to baseline, in ems */
#define TITLE_SIZE 0.085f
#define SUB_SIZE 0.05f
#define FACT_SIZE 0.052f
#define SOURCE_SIZE 0.034f
#define TEXT_Z 0.004f
#define OPEN_TIME 0.3

static const mh_rgba WHITE = {255, 255, 255, 255}, LABEL = {206, 216, 234, 255},
                     SOURCE = {150, 166, 192, 255}, PANEL_BG = {13, 20, 36, 248}, BUTTON_BG = {36, 48, 74, 255};

void mh_fact_format_value(const mh_fact *f, mh_lang lang, char *out, size_t size)
{
    mh_amount a = mh_fact_amount(f);
    mh_units_format(&a, lang, NULL, out, size);
}

static void format_date(const char *date, mh_lang lang, char *out, size_t size)
{
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int y = 0, m = 0, d = 0;
    int n = sscanf(date, "%d-%d-%d", &y, &m, &d);
    if (n < 2 || m < 1 || m > 12) {
        snprintf(out, size, lang == MH_LANG_ZH ? "%d年" : "%d", y);
    } else if (n == 2 || d < 1) {
        if (lang == MH_LANG_ZH)
            snprintf(out, size, "%d年%d月", y, m);
        else
            snprintf(out, size, "%s %d", months[m - 1], y);
    } else {
        if (lang == MH_LANG_ZH)
            snprintf(out, size, "%d年%d月%d日", y, m, d);
        else
            snprintf(out, size, "%d %s %d", d, months[m - 1], y);
    }
}

float mh_panel_add_text(mh_panel *p, const char *utf8, float x, float y, float size, float max_w, int max_lines,
                        int align, mh_rgba color)
{
    if (p->text_count >= MH_PANEL_MAX_TEXTS || !utf8 || !*utf8)
        return 0;
    mh_panel_text *t = &p->texts[p->text_count];
    *t = (mh_panel_text){.x = x, .y = y, .size = size, .box_w = max_w, .z = TEXT_Z, .align = align, .bar = -1,
                         .color = color};
    t->lay = (mh_layout){.glyphs = p->glyph_pool + p->glyphs_used, .glyph_cap = MH_PANEL_GLYPHS - p->glyphs_used,
                         .lines = p->line_pool + p->lines_used, .line_cap = MH_PANEL_LINES - p->lines_used};
    mh_layout_desc d = {.text = utf8,
                        .max_width = max_w / size,
                        .max_lines = max_lines,
                        .advance = mh_glyphs_advance,
                        .user = p->glyphs};
    if (!mh_layout_text(&d, &t->lay) || t->lay.line_count == 0)
        return 0;
    p->glyphs_used += t->lay.glyph_count;
    p->lines_used += t->lay.line_count;
    p->text_count++;
    return ((float)(t->lay.line_count - 1) * LINE_GAP + 1.0f) * size * 1.15f;
}

/* [n] for a source key, numbering sources in order of first use. */
static int source_number(const char *keys[], int *count, int max, const char *key)
{
    for (int i = 0; i < *count; i++)
        if (!strcmp(keys[i], key))
            return i + 1;
    if (*count >= max)
        return 0;
    keys[(*count)++] = key;
    return *count;
}

static void fact_line(const mh_fact *f, mh_lang lang, int source_no, char *out, size_t size)
{
    bool zh = lang == MH_LANG_ZH;
    const char *label = zh ? f->label_zh : f->label_en;
    const char *colon = zh ? "：" : ": ";
    char value[160] = "", date[48] = "", src[16] = "";
    if (f->has_value)
        mh_fact_format_value(f, lang, value, sizeof value);
    else if (zh ? f->text_zh : f->text_en)
        snprintf(value, sizeof value, "%s", zh ? f->text_zh : f->text_en);
    if (f->date)
        format_date(f->date, lang, date, sizeof date);
    if (source_no)
        snprintf(src, sizeof src, "\xC2\xA0[%d]", source_no);   /* NBSP: the mark stays with the fact */
    if (!value[0] && date[0])
        snprintf(out, size, "• %s%s%s%s", label, colon, date, src);
    else if (value[0] && date[0])
        snprintf(out, size, zh ? "• %s%s%s（%s）%s" : "• %s%s%s (%s)%s", label, colon, value, date, src);
    else if (value[0])
        snprintf(out, size, "• %s%s%s%s", label, colon, value, src);
    else
        snprintf(out, size, "• %s%s", label, src);
}

static void sources_line(const mh_exhibit_desc *ex, const char *keys[], int count, mh_lang lang, char *out,
                         size_t size)
{
    size_t n = (size_t)snprintf(out, size, "%s", lang == MH_LANG_ZH ? "来源：" : "Sources: ");
    for (int i = 0; i < count && n < size; i++) {
        const char *title = keys[i];
        for (int k = 0; k < ex->fact_count; k++)
            if (ex->facts[k].source && !strcmp(ex->facts[k].source, keys[i]) && ex->facts[k].source_title)
                title = ex->facts[k].source_title;
        n += (size_t)snprintf(out + n, size - n, "%s[%d] %s", i ? "; " : "", i + 1, title);
    }
}

/* The facts column: as many facts as fit above `bottom`, then an ellipsis. */
static void layout_facts(mh_panel *p, float x, float y, float w, float bottom, const char *keys[], int *key_count)
{
    char line[768];
    for (int i = 0; i < p->exhibit->fact_count; i++) {
        const mh_fact *f = &p->exhibit->facts[i];
        int saved_keys = *key_count;
        int src = f->source ? source_number(keys, key_count, 8, f->source) : 0;
        fact_line(f, p->lang, src, line, sizeof line);
        int saved_texts = p->text_count, saved_glyphs = p->glyphs_used, saved_lines = p->lines_used;
        float h = mh_panel_add_text(p, line, x, y, FACT_SIZE, w, 3, 0, LABEL);
        if (y + h > bottom) {
            p->text_count = saved_texts;
            p->glyphs_used = saved_glyphs;
            p->lines_used = saved_lines;
            *key_count = saved_keys;
            mh_panel_add_text(p, "…", x, y, FACT_SIZE, w, 1, 0, LABEL);
            return;
        }
        y += h + 0.014f;
    }
}

/* The chart's text blocks go into the panel's; value labels ride on their bar. */
static float chart_text(void *host, const char *utf8, float x, float y, float size, float max_w, int max_lines,
                        int align, mh_rgba color, int bar, float z)
{
    mh_panel *p = host;
    int before = p->text_count;
    float h = mh_panel_add_text(p, utf8, x, y, size, max_w, max_lines, align, color);
    if (bar >= 0 && p->text_count > before) {
        p->texts[before].bar = bar;
        p->texts[before].z = z;
    }
    return h;
}

static void layout(mh_panel *p)
{
    const mh_exhibit_desc *ex = p->exhibit;
    bool zh = p->lang == MH_LANG_ZH;
    p->text_count = p->glyphs_used = p->lines_used = 0;
    p->chart = (mh_chart_plot){0};
    p->button_size = 0.12f;
    p->close_x = MH_PANEL_WIDTH - MARGIN - p->button_size;
    p->close_y = 0.07f;
    p->lang_x = p->close_x - p->button_size - 0.03f;
    p->lang_y = p->close_y;
    float y = 0.08f;
    y += mh_panel_add_text(p, zh ? ex->name_zh : ex->name_en, MARGIN, y, TITLE_SIZE,
                           p->lang_x - MARGIN - 0.04f, 2, 0, WHITE) + 0.02f;
    char sub[512];
    const char *city = zh ? ex->city_zh : ex->city_en, *tag = zh ? ex->tagline_zh : ex->tagline_en;
    snprintf(sub, sizeof sub, "%s%s%s", city ? city : "", city && tag ? " · " : "", tag ? tag : "");
    y += mh_panel_add_text(p, sub, MARGIN, y, SUB_SIZE, MH_PANEL_WIDTH - 2 * MARGIN, 2, 0, p->accent_bright) + 0.05f;
    float top = y;
    bool chart = ex->chart_count > 0;
    float col_w = chart ? 1.34f : MH_PANEL_WIDTH - 2 * MARGIN;
    const char *keys[8];
    int key_count = 0;
    float bottom = MH_PANEL_HEIGHT - MARGIN - 3 * SOURCE_SIZE * LINE_GAP;
    layout_facts(p, MARGIN, top, col_w, bottom, keys, &key_count);
    if (chart)
        mh_chart_layout(&p->chart, &(mh_chart_text){chart_text, p}, ex, &ex->charts[0], p->lang,
                        MARGIN + col_w + 0.08f, top, MH_PANEL_WIDTH - 2 * MARGIN - col_w - 0.08f, bottom - top);
    char src[1024];
    sources_line(ex, keys, key_count, p->lang, src, sizeof src);
    mh_panel_add_text(p, src, MARGIN, bottom + 0.02f, SOURCE_SIZE, MH_PANEL_WIDTH - 2 * MARGIN, 3, 0, SOURCE);
}

void mh_panel_open(mh_panel *p, mh_glyphs *glyphs, const mh_exhibit_desc *ex, int booth, mh_lang lang,
                   mh_panel_pose pose, double now)
{
    p->open = true;
    p->glyphs = glyphs;
    p->exhibit = ex;
    p->booth = booth;
    p->lang = lang;
    p->pose = pose;
    p->opened_at = now;
    p->accent = mh_rgba_from_linear(ex->accent, 1.0f);
    p->accent_bright = mh_rgba_from_linear(mh_v3_lerp(ex->accent, mh_v3(1, 1, 1), 0.45f), 1.0f);
    p->accent_bar = mh_rgba_from_linear(mh_v3_lerp(ex->accent, mh_v3(1, 1, 1), 0.12f), 1.0f);
    layout(p);
}

void mh_panel_relayout(mh_panel *p, mh_lang lang)
{
    if (!p->open || p->lang == lang)
        return;
    p->lang = lang;
    layout(p);
}

void mh_panel_close(mh_panel *p) { p->open = false; }

/* ---- drawing ------------------------------------------------------------ */

typedef struct placer {
    mh_panel_pose pose;
    float scale;
} placer;

static mh_vec3 place(const placer *pl, float x, float y, float z)
{
    mh_vec3 p = pl->pose.center;
    p = mh_v3_add(p, mh_v3_scale(pl->pose.right, (x - MH_PANEL_WIDTH * 0.5f) * pl->scale));
    p = mh_v3_add(p, mh_v3_scale(pl->pose.up, (MH_PANEL_HEIGHT * 0.5f - y) * pl->scale));
    return mh_v3_add(p, mh_v3_scale(pl->pose.out, z * pl->scale));
}

static void rect(mh_ui_batch *b, const placer *pl, float x, float y, float w, float h, float z, mh_rgba c)
{
    mh_vec3 q[4] = {place(pl, x, y, z), place(pl, x + w, y, z), place(pl, x + w, y + h, z), place(pl, x, y + h, z)};
    mh_ui_solid(b, q, c);
}

static void button(const mh_panel *p, mh_ui_batch *b, const placer *pl, float x, float y, const char *label,
                   bool hover, float alpha)
{
    float s = p->button_size;
    rect(b, pl, x, y, s, s, 0.002f, mh_rgba_alpha(hover ? p->accent : BUTTON_BG, alpha));
    mh_layout_glyph gl[8];
    mh_layout_line ln[1];
    mh_layout lay = {.glyphs = gl, .glyph_cap = 8, .lines = ln, .line_cap = 1};
    mh_layout_desc d = {.text = label, .max_lines = 1, .advance = mh_glyphs_advance, .user = p->glyphs};
    mh_layout_text(&d, &lay);
    float size = s * 0.55f;
    mh_ui_text_frame f = {place(pl, x, y + (s - size * 1.1f) * 0.5f, TEXT_Z), mh_v3_scale(pl->pose.right, size * pl->scale),
                          mh_v3_scale(pl->pose.up, -size * pl->scale), LINE_GAP, s / size, 1};
    mh_ui_text(b, &lay, &f, mh_rgba_alpha(WHITE, alpha));
}

static float ease_out(float t)
{
    t = mh_clampf(t, 0, 1);
    return 1.0f - (1.0f - t) * (1.0f - t) * (1.0f - t);
}

/* How far bar i has risen at time t after opening (0..1). */
static float bar_rise(int i, double t) { return ease_out((float)((t - 0.25 - 0.08 * i) / 0.8)); }

void mh_panel_draw(const mh_panel *p, mh_ui_batch *b, double now, mh_panel_button hover)
{
    if (!p->open)
        return;
    double t = now - p->opened_at;
    float k = ease_out((float)(t / OPEN_TIME));
    placer pl = {p->pose, 0.94f + 0.06f * k};
    mh_ui_set(b, MH_UI_WORLD, 0, true);
    rect(b, &pl, 0, 0, MH_PANEL_WIDTH, MH_PANEL_HEIGHT, 0, mh_rgba_alpha(PANEL_BG, k));
    rect(b, &pl, 0, 0, MH_PANEL_WIDTH, 0.03f, 0.001f, mh_rgba_alpha(p->accent_bright, k));
    const mh_chart_plot *c = &p->chart;
    if (c->shown) {
        float base = c->y + c->h;
        rect(b, &pl, c->x, base, c->w, 0.008f, 0.002f, mh_rgba_alpha(LABEL, k));
        rect(b, &pl, c->x - 0.008f, c->y - 0.02f, 0.008f, c->h + 0.028f, 0.002f, mh_rgba_alpha(LABEL, k));
        for (int i = 0; i < c->bar_count; i++) {
            const mh_chart_bar *bar = &c->bars[i];
            float h = bar->height * bar_rise(i, t);
            if (h < 0.002f)
                continue;
            float cx = bar->x + bar->w * 0.5f;
            mh_vec3 basept = place(&pl, cx, base, 0.035f);
            mh_ui_box(b, basept, mh_v3_scale(p->pose.right, bar->w * 0.5f * pl.scale),
                      mh_v3_scale(p->pose.up, h * 0.5f * pl.scale), mh_v3_scale(p->pose.out, 0.03f * pl.scale),
                      mh_rgba_alpha(p->accent_bar, k));
        }
    }
    mh_ui_set(b, MH_UI_WORLD, 0, false);
    for (int i = 0; i < p->text_count; i++) {
        const mh_panel_text *tx = &p->texts[i];
        float y = tx->y, alpha = k;
        if (tx->bar >= 0) {   /* value labels ride on their bar */
            float rise = bar_rise(tx->bar, t);
            y = c->y + c->h - c->bars[tx->bar].height * rise - tx->size * 1.35f;
            alpha = k * rise;
        }
        mh_ui_text_frame f = {place(&pl, tx->x, y, tx->z), mh_v3_scale(p->pose.right, tx->size * pl.scale),
                              mh_v3_scale(p->pose.up, -tx->size * pl.scale), LINE_GAP, tx->box_w / tx->size,
                              tx->align};
        mh_ui_text(b, &tx->lay, &f, mh_rgba_alpha(tx->color, alpha));
    }
    button(p, b, &pl, p->lang_x, p->lang_y, p->lang == MH_LANG_ZH ? "EN" : "中", hover == MH_PANEL_LANG, k);
    button(p, b, &pl, p->close_x, p->close_y, "×", hover == MH_PANEL_CLOSE, k);
}

static bool inside(float x, float y, float bx, float by, float s)
{
    return x >= bx && x <= bx + s && y >= by && y <= by + s;
}

mh_panel_button mh_panel_hit(const mh_panel *p, mh_vec3 origin, mh_vec3 dir, float *t)
{
    if (!p->open)
        return MH_PANEL_NONE;
    float denom = mh_v3_dot(dir, p->pose.out);
    if (denom > -1e-5f)   /* parallel, or seen from behind */
        return MH_PANEL_NONE;
    float d = mh_v3_dot(mh_v3_sub(p->pose.center, origin), p->pose.out) / denom;
    if (d <= 0)
        return MH_PANEL_NONE;
    mh_vec3 hit = mh_v3_sub(mh_v3_add(origin, mh_v3_scale(dir, d)), p->pose.center);
    float x = mh_v3_dot(hit, p->pose.right) + MH_PANEL_WIDTH * 0.5f, y = MH_PANEL_HEIGHT * 0.5f - mh_v3_dot(hit, p->pose.up);
    if (x < 0 || x > MH_PANEL_WIDTH || y < 0 || y > MH_PANEL_HEIGHT)
        return MH_PANEL_NONE;
    *t = d;
    if (inside(x, y, p->close_x, p->close_y, p->button_size))
        return MH_PANEL_CLOSE;
    if (inside(x, y, p->lang_x, p->lang_y, p->button_size))
        return MH_PANEL_LANG;
    return MH_PANEL_BODY;
}
