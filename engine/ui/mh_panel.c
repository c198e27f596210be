/* mh_panel.c - laying out a booth's info panel: the header, the facts of the
 * current page with their sources, the page indicator, and the current view
 * (a chart, the timeline, a photo or the QR code) with its switcher.
 * Drawing and picking: mh_panel_draw.c. */
#include "mh_panel_internal.h"

#include "../media/mh_qr.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define TITLE_SIZE 0.085f
#define SUB_SIZE 0.05f
#define FACT_SIZE 0.052f
#define SOURCE_SIZE 0.04f
#define ROW_SIZE 0.045f /* page indicator and view switcher text */
#define FACT_GAP 0.016f
#define BULLET "\xE2\x80\xA2 " /* a fact line's start: "• " */
#define COL_GAP 0.08f
#define MIN_CAP_RAD (16.0f / 935.3f) /* 16 px of 1080 rows under a 60 degree view */
#define DEFAULT_DIST 1.85f           /* metres from the visitor's eye to a panel (mh_visit.c) */

mh_panel_fit mh_panel_fit_default(const mh_glyphs *glyphs)
{
    float cap = glyphs ? mh_glyphs_cap_height(glyphs) : 0.7f;
    return (mh_panel_fit){.width = 2.4f,
                          .height = 1.4f,
                          .scale = 1.0f,
                          .min_em = MIN_CAP_RAD * DEFAULT_DIST / (cap > 0.1f ? cap : 0.7f)};
}

static float em(const mh_panel *p, float design) { return fmaxf(design, p->fit.min_em); }

void mh_fact_format_value(const mh_fact *f, mh_lang lang, char *out, size_t size)
{
    mh_amount a = mh_fact_amount(f);
    mh_units_format(&a, lang, NULL, out, size);
}

/* A date as Chinese signage sets it large: 2022.1.23, 2022.1 or 2022 (the
 * panel's 2022年1月23日 is twice as wide). */
static void dotted_date(const char *date, char *out, size_t size)
{
    int y = 0, m = 0, d = 0;
    int n = sscanf(date, "%d-%d-%d", &y, &m, &d);
    if (n >= 3)
        snprintf(out, size, "%d.%d.%d", y, m, d);
    else if (n == 2)
        snprintf(out, size, "%d.%d", y, m);
    else
        snprintf(out, size, "%d", y);
}

void mh_fact_format_figure(const mh_fact *f, mh_lang lang, char *out, size_t size)
{
    const char *text = lang == MH_LANG_ZH ? f->text_zh : f->text_en;
    if (f->has_value)
        mh_fact_format_value(f, lang, out, size);
    else if (text)
        snprintf(out, size, "%s", text);
    else if (f->date && lang == MH_LANG_ZH)
        dotted_date(f->date, out, size);
    else if (f->date)
        mh_format_date(f->date, lang, out, size);
    else if (size)
        out[0] = 0;
}

/* ---- text blocks ------------------------------------------------------------ */

/* Lays out a block; kept unless measuring (p->dry or dry). */
static float add_text(mh_panel *p, bool dry, const char *utf8, float x, float y, float size, float max_w, int max_lines,
                      int align, mh_rgba color, mh_text_extent *ext)
{
    if (ext)
        *ext = (mh_text_extent){0};
    if (p->text_count >= MH_PANEL_MAX_TEXTS || !utf8 || !*utf8)
        return 0;
    mh_panel_text *t = &p->texts[p->text_count];
    *t = (mh_panel_text){.x = x,
                         .y = y,
                         .size = size,
                         .box_w = max_w,
                         .z = MH_PANEL_TEXT_Z,
                         .align = align,
                         .bar = -1,
                         .color = color};
    t->lay = (mh_layout){.glyphs = p->glyph_pool + p->glyphs_used,
                         .glyph_cap = MH_PANEL_GLYPHS - p->glyphs_used,
                         .lines = p->line_pool + p->lines_used,
                         .line_cap = MH_PANEL_LINES - p->lines_used};
    mh_layout_desc d = {.text = utf8,
                        .max_width = max_w > 0 ? max_w / size : 0,
                        .max_lines = max_lines,
                        .advance = mh_glyphs_advance,
                        .user = p->glyphs,
                        .balance = align == 1}; /* centred lines (a chart's labels, titles) as even as they go */
    if (!strncmp(utf8, BULLET, strlen(BULLET))) /* a fact's lines hang under its text, not its bullet */
        d.hang = mh_glyphs_advance(p->glyphs, 0x2022) + mh_glyphs_advance(p->glyphs, ' ');
    if (!mh_layout_text(&d, &t->lay) || t->lay.line_count == 0)
        return 0;
    float h = mh_panel_block_height(t->lay.line_count, size);
    if (ext)
        *ext = (mh_text_extent){t->lay.width * size, h, t->lay.line_count, t->lay.split_word, t->lay.truncated};
    if (t->lay.truncated)
        p->overflow = true;
    if (!dry && !p->dry) {
        p->glyphs_used += t->lay.glyph_count;
        p->lines_used += t->lay.line_count;
        p->text_count++;
    }
    return h;
}

static float measure(mh_panel *p, const char *utf8, float size, float max_w)
{
    return add_text(p, true, utf8, 0, 0, size, max_w, 0, 0, MH_PANEL_WHITE, NULL);
}

/* The chart's text blocks go into the panel's; value labels ride on their bar. */
static float chart_text(void *host, bool dry, const char *utf8, float x, float y, float size, float max_w,
                        int max_lines, int align, mh_rgba color, int bar, float z, mh_text_extent *ext)
{
    mh_panel *p = host;
    int before = p->text_count;
    float h = add_text(p, dry, utf8, x, y, size, max_w, max_lines, align, color, ext);
    if (bar >= 0 && p->text_count > before) {
        p->texts[before].bar = bar;
        p->texts[before].z = z;
    }
    return h;
}

/* ---- facts and sources ----------------------------------------------------------- */

void mh_panel_fact_line(const mh_fact *f, mh_lang lang, int source_no, char *out, size_t size)
{
    bool zh = lang == MH_LANG_ZH;
    const char *label = zh ? f->label_zh : f->label_en, *colon = zh ? "：" : ": ";
    char value[160] = "", date[48] = "", src[16] = "";
    if (f->has_value)
        mh_fact_format_value(f, lang, value, sizeof value);
    else if (zh ? f->text_zh : f->text_en)
        snprintf(value, sizeof value, "%s", zh ? f->text_zh : f->text_en);
    if (f->date)
        mh_format_date(f->date, lang, date, sizeof date);
    if (source_no)
        snprintf(src, sizeof src, "\xC2\xA0[%d]", source_no); /* NBSP: the mark stays with the fact */
    if (!value[0] && date[0])
        snprintf(out, size, BULLET "%s%s%s%s", label, colon, date, src);
    else if (value[0] && date[0])
        snprintf(out, size, zh ? BULLET "%s%s%s（%s）%s" : BULLET "%s%s%s (%s)%s", label, colon, value, date, src);
    else if (value[0])
        snprintf(out, size, BULLET "%s%s%s%s", label, colon, value, src);
    else
        snprintf(out, size, BULLET "%s%s", label, src);
}

/* Numbers the sources by first use over the whole panel, so [1] means the
 * same source on every page. */
static void number_sources(mh_panel *p)
{
    const mh_exhibit_desc *ex = p->exhibit;
    p->source_count = 0;
    for (int i = 0; i < ex->fact_count && i < 64; i++) {
        const char *key = ex->facts[i].source;
        int n = 0;
        for (int k = 0; key && k < p->source_count && !n; k++)
            n = strcmp(p->sources[k], key) ? 0 : k + 1;
        if (key && !n && p->source_count < MH_PANEL_MAX_SOURCES) {
            p->sources[p->source_count++] = key;
            n = p->source_count;
        }
        p->source_of[i] = n;
    }
}

static const char *source_title(const mh_exhibit_desc *ex, const char *key)
{
    for (int k = 0; k < ex->fact_count; k++)
        if (ex->facts[k].source && !strcmp(ex->facts[k].source, key) && ex->facts[k].source_title)
            return ex->facts[k].source_title;
    return key;
}

/* "Sources: [1] ...; [3] ..." for the sources of facts [first, end). */
static void sources_line(const mh_panel *p, int first, int end, char *out, size_t size)
{
    bool used[MH_PANEL_MAX_SOURCES + 1] = {false};
    for (int i = first; i < end && i < 64; i++)
        used[p->source_of[i]] = true;
    size_t n = (size_t)snprintf(out, size, "%s", p->lang == MH_LANG_ZH ? "来源：" : "Sources: ");
    bool any = false;
    for (int k = 1; k <= p->source_count && n < size; k++) {
        if (!used[k])
            continue;
        n += (size_t)snprintf(out + n, size - n, "%s[%d]\xC2\xA0%s", any ? "; " : "", k,
                              source_title(p->exhibit, p->sources[k - 1]));
        any = true;
    }
    if (!any)
        out[0] = '\0';
}

/* The height facts [first, end) and their sources take in the column. */
static float facts_height(mh_panel *p, int first, int end, float w)
{
    char line[1024];
    float h = 0;
    for (int i = first; i < end; i++) {
        mh_panel_fact_line(&p->exhibit->facts[i], p->lang, p->source_of[i], line, sizeof line);
        h += measure(p, line, em(p, FACT_SIZE), w) + FACT_GAP;
    }
    char src[2048];
    sources_line(p, first, end, src, sizeof src);
    return h + (src[0] ? 0.02f + measure(p, src, em(p, SOURCE_SIZE), w) : 0);
}

/* Splits the facts into pages of at most `avail` metres each (a fact taller
 * than a page gets a page of its own). */
static void paginate(mh_panel *p, float w, float avail)
{
    int n = p->exhibit->fact_count, i = 0;
    p->page_count = 0;
    while (i < n && p->page_count < MH_PANEL_MAX_PAGES) {
        int first = i;
        p->page_first[p->page_count++] = first;
        i++;
        while (i < n && facts_height(p, first, i + 1, w) <= avail)
            i++;
        if (facts_height(p, first, i, w) > avail)
            p->overflow = true; /* one fact alone is taller than a page */
    }
    if (i < n) /* more pages than the panel keeps: the rest on the last one */
        p->overflow = true;
    p->page_first[p->page_count] = n;
    if (p->page_count == 0)
        p->page_count = 1;
}

/* ---- views ------------------------------------------------------------------- */

static mh_chart_style chart_style(const mh_panel *p) { return (mh_chart_style){.min_em = p->fit.min_em}; }

static void add_view(mh_panel *p, mh_view_kind kind, int index, int first, int end)
{
    if (p->view_count < MH_PANEL_MAX_VIEWS)
        p->views[p->view_count++] = (mh_panel_view){kind, index, first, end};
}

/* Every chart, the timeline (split into views of what fits), every photo,
 * and the QR code. */
static void list_views(mh_panel *p, mh_panel_rect content)
{
    const mh_exhibit_desc *ex = p->exhibit;
    p->view_count = 0;
    for (int i = 0; i < ex->chart_count; i++)
        add_view(p, MH_VIEW_CHART, i, 0, 0);
    p->timeline_count = mh_timeline_facts(ex, p->timeline, MH_TIMELINE_MAX);
    mh_chart_style st = chart_style(p);
    mh_chart_text host = {chart_text, p};
    bool dry = p->dry;
    p->dry = true;
    for (int k = 0; p->timeline_count >= 2 && k < p->timeline_count;) {
        mh_chart_plot plot;
        int end = mh_timeline_layout(&plot, &host, ex, p->timeline, k, p->timeline_count, p->lang, content.x, content.y,
                                     content.w, content.h, &st);
        add_view(p, MH_VIEW_TIMELINE, 0, k, end);
        k = end > k ? end : k + 1;
    }
    p->dry = dry;
    for (int i = 0; i < ex->image_count; i++)
        add_view(p, MH_VIEW_PHOTO, i, 0, 0);
    if (ex->url && p->qr_size > 0)
        add_view(p, MH_VIEW_QR, 0, 0, 0);
}

void mh_panel_view_name(const mh_panel *p, int view, char *out, size_t size)
{
    bool zh = p->lang == MH_LANG_ZH;
    if (view < 0 || view >= p->view_count) {
        snprintf(out, size, "%s", "");
        return;
    }
    const mh_panel_view *v = &p->views[view];
    int charts = p->exhibit->chart_count;
    switch (v->kind) {
    case MH_VIEW_CHART:
        if (charts > 1)
            snprintf(out, size, zh ? "图表 %d" : "Chart %d", v->index + 1);
        else
            snprintf(out, size, "%s", zh ? "图表" : "Chart");
        break;
    case MH_VIEW_TIMELINE: snprintf(out, size, "%s", zh ? "时间线" : "Timeline"); break;
    case MH_VIEW_PHOTO: snprintf(out, size, zh ? "图片 %d" : "Photo %d", v->index + 1); break;
    case MH_VIEW_QR: snprintf(out, size, "%s", zh ? "带走" : "Take away"); break;
    }
}

/* A photo: the image fitted above its caption (the engine uploads it). */
static void layout_photo(mh_panel *p, const mh_panel_view *v, mh_panel_rect r)
{
    bool zh = p->lang == MH_LANG_ZH;
    const mh_exhibit_desc *ex = p->exhibit;
    const char *caption = zh ? ex->image_captions_zh[v->index] : ex->image_captions_en[v->index];
    float ch = caption ? measure(p, caption, em(p, SOURCE_SIZE + 0.004f), r.w) + 0.02f : 0;
    p->content_rect = (mh_panel_rect){r.x, r.y, r.w, fmaxf(r.h - ch, 0.1f)};
    if (caption)
        add_text(p, false, caption, r.x, r.y + r.h - ch + 0.02f, em(p, SOURCE_SIZE + 0.004f), r.w, 0, 1, MH_PANEL_LABEL,
                 NULL);
    const mh_panel_photo *ph = &p->photos[v->index];
    if (!ph->slot)
        add_text(p, false,
                 ph->broken ? (zh ? "图片无法显示" : "Photo unavailable") : (zh ? "图片载入中…" : "Loading photo…"),
                 r.x, p->content_rect.y + p->content_rect.h * 0.5f - em(p, SOURCE_SIZE) * 0.6f, em(p, SOURCE_SIZE), r.w,
                 1, 1, MH_PANEL_DIM, NULL);
}

/* The QR code with what it is for and its address under it. */
static void layout_qr(mh_panel *p, mh_panel_rect r)
{
    bool zh = p->lang == MH_LANG_ZH;
    float s1 = em(p, SUB_SIZE), s2 = em(p, SOURCE_SIZE);
    const char *what = zh ? "用手机扫码，带走本展项" : "Scan with your phone to take this exhibit with you";
    float h1 = measure(p, what, s1, r.w), h2 = measure(p, p->exhibit->url, s2, r.w);
    float side = fminf(r.w, r.h - h1 - h2 - 0.06f);
    side = fmaxf(side, 0.2f);
    p->content_rect = (mh_panel_rect){r.x + (r.w - side) * 0.5f, r.y, side, side};
    add_text(p, false, what, r.x, r.y + side + 0.03f, s1, r.w, 0, 1, MH_PANEL_WHITE, NULL);
    add_text(p, false, p->exhibit->url, r.x, r.y + side + 0.03f + h1 + 0.02f, s2, r.w, 0, 1, MH_PANEL_SOURCE, NULL);
}

static void layout_view(mh_panel *p, mh_panel_rect r)
{
    p->plot = (mh_chart_plot){0};
    p->content_rect = r;
    if (p->view_count == 0)
        return;
    const mh_panel_view *v = &p->views[p->view];
    mh_chart_style st = chart_style(p);
    mh_chart_text host = {chart_text, p};
    const mh_exhibit_desc *ex = p->exhibit;
    if (v->kind == MH_VIEW_CHART &&
        !mh_chart_layout(&p->plot, &host, ex, &ex->charts[v->index], p->lang, r.x, r.y, r.w, r.h, &st))
        p->overflow = true;
    if (v->kind == MH_VIEW_TIMELINE)
        mh_timeline_layout(&p->plot, &host, ex, p->timeline, v->first, v->end, p->lang, r.x, r.y, r.w, r.h, &st);
    if (v->kind == MH_VIEW_PHOTO)
        layout_photo(p, v, r);
    if (v->kind == MH_VIEW_QR)
        layout_qr(p, r);
}

/* ---- the page ------------------------------------------------------------------ */

static void set_button(mh_panel *p, mh_panel_button b, float x, float y, float w, float h)
{
    p->buttons[b] = (mh_panel_rect){x, y, w, h};
    p->shown[b] = true;
}

/* "‹ label ›" in a row: two buttons around a centred text. */
static void row(mh_panel *p, mh_panel_button prev, mh_panel_button next, const char *label, mh_panel_rect r)
{
    float s = MH_PANEL_BUTTON;
    set_button(p, prev, r.x, r.y, s, s);
    set_button(p, next, r.x + r.w - s, r.y, s, s);
    float size = em(p, ROW_SIZE);
    add_text(p, false, label, r.x + s, r.y + (s - size * 1.15f) * 0.5f, size, r.w - 2 * s, 1, 1, MH_PANEL_LABEL, NULL);
}

/* Title and subtitle; returns the y below them. The title keeps its size
 * down to two lines, then shrinks (never below the minimum) and wraps on. */
static float layout_header(mh_panel *p)
{
    const mh_exhibit_desc *ex = p->exhibit;
    bool zh = p->lang == MH_LANG_ZH;
    float W = p->fit.width, s = MH_PANEL_BUTTON;
    set_button(p, MH_PANEL_CLOSE, W - MH_PANEL_MARGIN - s, 0.07f, s, s);
    set_button(p, MH_PANEL_LANG, W - MH_PANEL_MARGIN - 2 * s - 0.03f, 0.07f, s, s);
    const char *name = zh ? ex->name_zh : ex->name_en;
    float w = p->buttons[MH_PANEL_LANG].x - MH_PANEL_MARGIN - 0.04f, size = em(p, TITLE_SIZE);
    mh_text_extent e;
    while (add_text(p, true, name, 0, 0, size, w, 0, 0, MH_PANEL_WHITE, &e) > 0 && e.lines > 2 && size > p->fit.min_em)
        size = fmaxf(size * 0.92f, p->fit.min_em);
    float y = 0.08f;
    y += add_text(p, false, name, MH_PANEL_MARGIN, y, size, w, 0, 0, MH_PANEL_WHITE, NULL) + 0.02f;
    char sub[512];
    const char *city = zh ? ex->city_zh : ex->city_en, *tag = zh ? ex->tagline_zh : ex->tagline_en;
    snprintf(sub, sizeof sub, "%s%s%s", city ? city : "", city && tag ? " · " : "", tag ? tag : "");
    y += add_text(p, false, sub, MH_PANEL_MARGIN, y, em(p, SUB_SIZE), W - 2 * MH_PANEL_MARGIN, 0, 0, p->accent_bright,
                  NULL);
    const char *landmark = zh ? ex->landmark_zh : ex->landmark_en; /* what the model on the plinth shows */
    if (landmark) {
        snprintf(sub, sizeof sub, "%s%s", zh ? "展台模型：" : "On the plinth: ", landmark);
        y += add_text(p, false, sub, MH_PANEL_MARGIN, y + 0.01f, em(p, SUB_SIZE * 0.85f), W - 2 * MH_PANEL_MARGIN, 0, 0,
                      MH_PANEL_WHITE, NULL) +
             0.01f;
    }
    return fmaxf(y, 0.07f + s) + 0.04f;
}

/* The facts column and the view region inside the body. */
static void regions(mh_panel *p, float top)
{
    float W = p->fit.width, H = p->fit.height, M = MH_PANEL_MARGIN, bh = H - M - top;
    bool views = p->exhibit->chart_count > 0 || p->exhibit->image_count > 0 || p->exhibit->url ||
                 mh_timeline_facts(p->exhibit, p->timeline, MH_TIMELINE_MAX) >= 2;
    if (!views) {
        p->facts_rect = (mh_panel_rect){M, top, W - 2 * M, bh};
        p->view_rect = (mh_panel_rect){0};
    } else if (W > H) { /* landscape: side by side */
        float cw = (W - 2 * M - COL_GAP) * 0.5f;
        p->facts_rect = (mh_panel_rect){M, top, cw, bh};
        p->view_rect = (mh_panel_rect){M + cw + COL_GAP, top, cw, bh};
    } else { /* portrait: the facts above the view */
        float fh = (bh - COL_GAP) * 0.5f;
        p->facts_rect = (mh_panel_rect){M, top, W - 2 * M, fh};
        p->view_rect = (mh_panel_rect){M, top + fh + COL_GAP, W - 2 * M, bh - fh - COL_GAP};
    }
}

/* The view's inside: below the switcher when there is more than one view. */
static mh_panel_rect view_content(const mh_panel *p, bool switcher)
{
    mh_panel_rect r = p->view_rect;
    float row_h = switcher ? MH_PANEL_BUTTON + 0.03f : 0;
    return (mh_panel_rect){r.x, r.y + row_h, r.w, r.h - row_h};
}

static void layout_facts(mh_panel *p)
{
    mh_panel_rect r = p->facts_rect;
    char line[1024];
    float y = r.y;
    int first = p->page_first[p->page], end = p->page_first[p->page + 1];
    for (int i = first; i < end; i++) {
        mh_panel_fact_line(&p->exhibit->facts[i], p->lang, p->source_of[i], line, sizeof line);
        y += add_text(p, false, line, r.x, y, em(p, FACT_SIZE), r.w, 0, 0, MH_PANEL_LABEL, NULL) + FACT_GAP;
    }
    char src[2048];
    sources_line(p, first, end, src, sizeof src);
    add_text(p, false, src, r.x, y + 0.02f - FACT_GAP, em(p, SOURCE_SIZE), r.w, 0, 0, MH_PANEL_SOURCE, NULL);
    if (p->page_count > 1) {
        char label[32];
        snprintf(label, sizeof label, "%d / %d", p->page + 1, p->page_count);
        row(p, MH_PANEL_PAGE_PREV, MH_PANEL_PAGE_NEXT, label,
            (mh_panel_rect){r.x, r.y + r.h - MH_PANEL_BUTTON, fminf(r.w, 0.9f), MH_PANEL_BUTTON});
    }
}

static void layout(mh_panel *p)
{
    p->text_count = p->glyphs_used = p->lines_used = 0;
    p->overflow = false;
    memset(p->shown, 0, sizeof p->shown);
    float top = layout_header(p);
    regions(p, top);
    /* the pages: without a page row when everything fits on one */
    number_sources(p);
    paginate(p, p->facts_rect.w, p->facts_rect.h);
    if (p->page_count > 1)
        paginate(p, p->facts_rect.w, p->facts_rect.h - MH_PANEL_BUTTON - 0.03f);
    p->page = p->page < p->page_count ? p->page : p->page_count - 1;
    set_button(p, MH_PANEL_FACTS, p->facts_rect.x, p->facts_rect.y, p->facts_rect.w, p->facts_rect.h);
    layout_facts(p);
    if (p->view_rect.w <= 0) {
        p->view_count = 0;
        p->plot = (mh_chart_plot){0};
        return;
    }
    list_views(p, view_content(p, true));
    bool switcher = p->view_count > 1;
    if (!switcher) /* one view: it gets the switcher's room too */
        list_views(p, view_content(p, false));
    p->view = p->view < p->view_count ? p->view : p->view_count - 1;
    p->view = p->view < 0 ? 0 : p->view;
    set_button(p, MH_PANEL_VIEW, p->view_rect.x, p->view_rect.y, p->view_rect.w, p->view_rect.h);
    if (switcher) {
        char name[64], label[96];
        mh_panel_view_name(p, p->view, name, sizeof name);
        snprintf(label, sizeof label, "%s · %d/%d", name, p->view + 1, p->view_count);
        row(p, MH_PANEL_VIEW_PREV, MH_PANEL_VIEW_NEXT, label,
            (mh_panel_rect){p->view_rect.x, p->view_rect.y, p->view_rect.w, MH_PANEL_BUTTON});
    }
    layout_view(p, view_content(p, switcher));
}

void mh_panel_open(mh_panel *p, mh_glyphs *glyphs, const mh_exhibit_desc *ex, int booth, mh_lang lang,
                   mh_panel_pose pose, mh_panel_fit fit, double now)
{
    bool same = p->open && p->exhibit == ex;
    p->open = true;
    p->glyphs = glyphs;
    p->exhibit = ex;
    p->booth = booth;
    p->lang = lang;
    p->pose = pose;
    p->fit = fit;
    p->opened_at = now;
    p->page = p->view = 0;
    p->turns = 0;
    if (!same) {
        memset(p->photos, 0, sizeof p->photos);
        p->qr_size = ex->url ? mh_qr_encode(ex->url, p->qr, MH_PANEL_QR_MAX) : 0;
    }
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

void mh_panel_refit(mh_panel *p, mh_panel_pose pose, mh_panel_fit fit)
{
    p->pose = pose;
    if (!p->open || (p->fit.width == fit.width && p->fit.height == fit.height && p->fit.min_em == fit.min_em &&
                     p->fit.scale == fit.scale))
        return;
    p->fit = fit;
    layout(p);
}

void mh_panel_refresh(mh_panel *p)
{
    if (p->open)
        layout(p);
}

bool mh_panel_set_page(mh_panel *p, int n)
{
    n = n < 0 ? 0 : n >= p->page_count ? p->page_count - 1 : n;
    if (!p->open || n == p->page)
        return false;
    p->page = n;
    p->turns++;
    layout(p);
    return true;
}

bool mh_panel_set_view(mh_panel *p, int n)
{
    n = n < 0 ? 0 : n >= p->view_count ? p->view_count - 1 : n;
    if (!p->open || p->view_count == 0 || n == p->view)
        return false;
    p->view = n;
    p->turns++;
    layout(p);
    return true;
}

void mh_panel_close(mh_panel *p) { p->open = false; }
