/* mh_chart.c - an exhibit's bar and line charts and its timeline, laid out
 * inside its info panel: title, unit, a value axis with round ticks, bars
 * (rising when the panel opens) or a line through dated points, values and
 * labels; labels that cannot fit their slot go to a numbered legend. The
 * timeline lists dated facts in date order along a spine. A chart's facts
 * share one unit (the manifest loader enforces it), so one axis never mixes
 * units. */
#include "mh_chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_GAP 1.3f
#define LABEL_LINES 3
#define MIN_PLOT 2.5f /* the smallest plot height, in tick ems */

static const mh_rgba TITLE = {255, 255, 255, 255}, AXIS = {190, 202, 224, 255}, VALUE = {255, 214, 92, 255},
                     DATE = {120, 200, 255, 255};

mh_chart_style mh_chart_style_defaults(mh_chart_style s)
{
    mh_chart_style r = {
        .min_em = s.min_em,
        .title = s.title > 0 ? s.title : 0.05f,
        .unit = s.unit > 0 ? s.unit : 0.04f,
        .tick = s.tick > 0 ? s.tick : 0.04f,
        .label = s.label > 0 ? s.label : 0.04f,
        .value = s.value > 0 ? s.value : 0.045f,
    };
    float *sizes[] = {&r.title, &r.unit, &r.tick, &r.label, &r.value};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
        *sizes[i] = fmaxf(*sizes[i], s.min_em);
    return r;
}

const char *mh_chart_label(const mh_fact *f, mh_lang lang)
{
    const char *s = lang == MH_LANG_ZH ? f->short_zh : f->short_en;
    return s ? s : lang == MH_LANG_ZH ? f->label_zh : f->label_en;
}

void mh_format_date(const char *date, mh_lang lang, char *out, size_t size)
{
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int y = 0, m = 0, d = 0;
    int n = date ? sscanf(date, "%d-%d-%d", &y, &m, &d) : 0;
    if (n < 2 || m < 1 || m > 12)
        snprintf(out, size, lang == MH_LANG_ZH ? "%d年" : "%d", y);
    else if (n == 2 || d < 1)
        lang == MH_LANG_ZH ? snprintf(out, size, "%d年%d月", y, m) : snprintf(out, size, "%s %d", months[m - 1], y);
    else
        lang == MH_LANG_ZH ? snprintf(out, size, "%d年%d月%d日", y, m, d)
                           : snprintf(out, size, "%d %s %d", d, months[m - 1], y);
}

/* The smallest 1, 2, 2.5 or 5 x 10^n at or above v. */
static double nice_ceil(double v)
{
    if (v <= 0)
        return 1;
    double p = pow(10.0, floor(log10(v)));
    static const double steps[] = {1, 2, 2.5, 5, 10};
    for (int i = 0; i < 5; i++)
        if (steps[i] * p >= v * 0.9999)
            return steps[i] * p;
    return 10 * p;
}

/* ---- text helpers --------------------------------------------------------- */

static float put(const mh_chart_text *t, const char *s, float x, float y, float size, float w, int lines, int align,
                 mh_rgba c)
{
    return t->add(t->host, false, s, x, y, size, w, lines, align, c, -1, 0, NULL);
}

static mh_text_extent measure(const mh_chart_text *t, const char *s, float size, float w, int lines)
{
    mh_text_extent e = {0};
    t->add(t->host, true, s, 0, 0, size, w, lines, 0, TITLE, -1, 0, &e);
    return e;
}

/* Title and unit caption; returns the y below them. */
static float header(const mh_chart_text *t, const char *title, const char *unit, mh_lang lang, float x, float y,
                    float w, const mh_chart_style *st)
{
    y += put(t, title, x, y, st->title, w, 0, 1, TITLE) + 0.01f;
    if (unit && *unit) {
        char text[200];
        snprintf(text, sizeof text, lang == MH_LANG_ZH ? "单位：%s" : "Unit: %s", unit);
        y += put(t, text, x, y, st->unit, w, 0, 0, AXIS) + 0.02f;
    }
    return y;
}

/* ---- the axis: one unit, one scale ------------------------------------------ */

typedef struct axis {
    double values[MH_CHART_MAX_BARS]; /* in the axis' unit and scale */
    double top;
    mh_units_scale scale;
    char unit[160];
} axis;

static void make_axis(axis *a, const mh_exhibit_desc *ex, const mh_chart *c, mh_lang lang)
{
    const mh_fact *first = &ex->facts[c->facts[0]];
    double largest = 0, smallest = 1e300, magnitude = mh_units_magnitude(first->unit_zh, NULL);
    for (int i = 0; i < c->fact_count; i++) {
        largest = fmax(largest, fabs(ex->facts[c->facts[i]].value));
        smallest = fmin(smallest, fabs(ex->facts[c->facts[i]].value));
    }
    a->scale =
        lang == MH_LANG_ZH ? (mh_units_scale){1, ""} : mh_units_scale_range(smallest * magnitude, largest * magnitude);
    double k = lang == MH_LANG_ZH ? 1.0 : magnitude / a->scale.divisor, top = 0;
    for (int i = 0; i < c->fact_count; i++) {
        a->values[i] = ex->facts[c->facts[i]].value * k;
        top = fmax(top, a->values[i]);
    }
    a->top = nice_ceil(top * 1.08);
    mh_units_axis(first->unit_zh, first->unit_en, lang, &a->scale, a->unit, sizeof a->unit);
}

static void value_text(const mh_fact *f, const axis *a, mh_lang lang, char *out, size_t size)
{
    mh_amount am = mh_fact_amount(f);
    mh_units_style s = {.with_unit = false, .with_bound = true, .scale = &a->scale};
    mh_units_format(&am, lang, &s, out, size);
}

/* The width of the value axis: its widest tick and a gap. */
static float axis_width(const mh_chart_text *t, const axis *a, mh_lang lang, const mh_chart_style *st)
{
    float w = 0;
    for (int k = 0; k <= 2; k++) {
        char text[48];
        mh_units_number(a->top * k / 2.0, lang == MH_LANG_EN, text, sizeof text);
        w = fmaxf(w, measure(t, text, st->tick, 0, 1).width);
    }
    return w + 0.03f;
}

/* Ticks 0, half and top, right-aligned in the axis' width. */
static void ticks(const mh_chart_text *t, const axis *a, mh_lang lang, float x, float axis_w, float y, float h,
                  const mh_chart_style *st)
{
    for (int k = 0; k <= 2; k++) {
        char text[48];
        mh_units_number(a->top * k / 2.0, lang == MH_LANG_EN, text, sizeof text);
        put(t, text, x, y + h * (1.0f - (float)k / 2.0f) - st->tick * 0.62f, st->tick, axis_w - 0.02f, 1, 2, AXIS);
    }
}

/* ---- bars ------------------------------------------------------------------ */

/* Whether every bar's label fits its slot: wrapped at spaces, at most three
 * lines, no word broken. *height gets the tallest. */
static bool labels_fit(const mh_chart_text *t, const mh_exhibit_desc *ex, const mh_chart *c, mh_lang lang, float slot,
                       const mh_chart_style *st, float *height)
{
    *height = 0;
    for (int i = 0; i < c->fact_count; i++) {
        mh_text_extent e = measure(t, mh_chart_label(&ex->facts[c->facts[i]], lang), st->label, slot - 0.02f, 0);
        if (e.split_word || e.lines > LABEL_LINES)
            return false;
        *height = fmaxf(*height, e.height);
    }
    return true;
}

/* The legend under a plot whose bars are numbered: "1  label" per bar. */
static float legend(const mh_chart_text *t, bool dry, const mh_exhibit_desc *ex, const mh_chart *c, mh_lang lang,
                    float x, float y, float w, const mh_chart_style *st)
{
    float h = 0;
    for (int i = 0; i < c->fact_count; i++) {
        char line[300];
        snprintf(line, sizeof line, "%d\xC2\xA0\xC2\xA0%s", i + 1, mh_chart_label(&ex->facts[c->facts[i]], lang));
        mh_text_extent e = {0};
        t->add(t->host, dry, line, x, y + h, st->label, w, 0, 0, AXIS, -1, 0, &e);
        h += e.height + 0.006f;
    }
    return h;
}

static bool bar_layout(mh_chart_plot *p, const mh_chart_text *t, const mh_exhibit_desc *ex, const mh_chart *c,
                       mh_lang lang, float x, float y, float w, float bottom, const mh_chart_style *st)
{
    axis a;
    make_axis(&a, ex, c, lang);
    y = header(t, lang == MH_LANG_ZH ? c->title_zh : c->title_en, a.unit, lang, x, y, w, st);
    int n = c->fact_count;
    float axis_w = axis_width(t, &a, lang, st), slot = (w - axis_w) / (float)n, labels_h;
    p->legend = !labels_fit(t, ex, c, lang, slot, st, &labels_h);
    float below = p->legend ? st->label * 1.2f + 0.02f + legend(t, true, ex, c, lang, x, 0, w, st) : labels_h;
    p->kind = MH_PLOT_BAR;
    p->x = x + axis_w;
    p->y = y + st->value * 1.5f; /* room for the value over the tallest bar */
    p->w = w - axis_w;
    p->h = bottom - p->y - below - 0.03f;
    bool fits = p->h >= MIN_PLOT * st->tick; /* room for the three ticks apart */
    if (!fits)
        p->h = MIN_PLOT * st->tick;
    ticks(t, &a, lang, x, axis_w, p->y, p->h, st);
    p->bar_count = n;
    float base = p->y + p->h;
    for (int i = 0; i < n; i++) {
        const mh_fact *f = &ex->facts[c->facts[i]];
        mh_chart_bar *bar = &p->bars[i];
        bar->w = slot * 0.5f;
        bar->x = p->x + slot * (float)i + (slot - bar->w) * 0.5f;
        bar->height = (float)(a.values[i] / a.top) * p->h;
        char text[64];
        value_text(f, &a, lang, text, sizeof text);
        t->add(t->host, false, text, p->x + slot * (float)i, 0, st->value, slot, 1, 1, VALUE, i, 0.036f, NULL);
        if (p->legend)
            snprintf(text, sizeof text, "%d", i + 1);
        put(t, p->legend ? text : mh_chart_label(f, lang), p->x + slot * (float)i + 0.01f, base + 0.03f, st->label,
            slot - 0.02f, p->legend ? 1 : LABEL_LINES, 1, AXIS);
    }
    if (p->legend)
        legend(t, false, ex, c, lang, x, base + 0.03f + st->label * 1.2f + 0.02f, w, st);
    return fits;
}

/* ---- a line over dates ------------------------------------------------------ */

static double date_years(const char *date)
{
    int y = 0, m = 1, d = 1;
    sscanf(date, "%d-%d-%d", &y, &m, &d);
    return y + (m - 1) / 12.0 + (d - 1) / 365.0;
}

static bool line_layout(mh_chart_plot *p, const mh_chart_text *t, const mh_exhibit_desc *ex, const mh_chart *c,
                        mh_lang lang, float x, float y, float w, float bottom, const mh_chart_style *st)
{
    axis a;
    make_axis(&a, ex, c, lang);
    y = header(t, lang == MH_LANG_ZH ? c->title_zh : c->title_en, a.unit, lang, x, y, w, st);
    int n = c->fact_count, order[MH_CHART_MAX_BARS];
    for (int i = 0; i < n; i++)
        order[i] = i;
    for (int i = 1; i < n; i++) /* by date (few points: insertion sort) */
        for (int k = i; k > 0 && strcmp(ex->facts[c->facts[order[k]]].date, ex->facts[c->facts[order[k - 1]]].date) < 0;
             k--) {
            int s = order[k];
            order[k] = order[k - 1];
            order[k - 1] = s;
        }
    double t0 = date_years(ex->facts[c->facts[order[0]]].date), t1 = date_years(ex->facts[c->facts[order[n - 1]]].date);
    float axis_w = axis_width(t, &a, lang, st), inset = (w - axis_w) / (float)(2 * n),
          dates_h = 2 * st->label * LINE_GAP * 1.15f;
    p->kind = MH_PLOT_LINE;
    p->x = x + axis_w;
    p->y = y + st->value * 1.5f;
    p->w = w - axis_w;
    p->h = bottom - p->y - dates_h - 0.03f;
    bool fits = p->h >= MIN_PLOT * st->tick;
    if (!fits)
        p->h = MIN_PLOT * st->tick;
    ticks(t, &a, lang, x, axis_w, p->y, p->h, st);
    p->point_count = n;
    float span = p->w - 2 * inset, slot = (p->w) / (float)n;
    for (int k = 0; k < n; k++) {
        int i = order[k];
        const mh_fact *f = &ex->facts[c->facts[i]];
        double u = t1 > t0 ? (date_years(f->date) - t0) / (t1 - t0) : 0.5;
        p->px[k] = p->x + inset + (float)u * span;
        p->py[k] = p->y + p->h * (1.0f - (float)(a.values[i] / a.top));
        char text[64];
        value_text(f, &a, lang, text, sizeof text);
        t->add(t->host, false, text, p->px[k] - slot * 0.5f, p->py[k] - st->value * 1.45f, st->value, slot, 1, 1, VALUE,
               k, 0.004f, NULL);
        mh_format_date(f->date, lang, text, sizeof text);
        put(t, text, p->px[k] - slot * 0.5f, p->y + p->h + 0.03f, st->label, slot, 2, 1, AXIS);
    }
    return fits;
}

bool mh_chart_layout(mh_chart_plot *p, const mh_chart_text *t, const mh_exhibit_desc *ex, const mh_chart *c,
                     mh_lang lang, float x, float y, float w, float h, const mh_chart_style *style)
{
    *p = (mh_chart_plot){0};
    if (c->fact_count <= 0)
        return true;
    mh_chart_style st = mh_chart_style_defaults(*style);
    if (c->type == MH_CHART_LINE)
        return line_layout(p, t, ex, c, lang, x, y, w, y + h, &st);
    return bar_layout(p, t, ex, c, lang, x, y, w, y + h, &st);
}

/* ---- the timeline ------------------------------------------------------------- */

int mh_timeline_facts(const mh_exhibit_desc *ex, int *out, int max)
{
    int n = 0;
    for (int i = 0; i < ex->fact_count && n < max; i++) {
        if (!ex->facts[i].date)
            continue;
        int k = n++;
        for (; k > 0 && strcmp(ex->facts[i].date, ex->facts[out[k - 1]].date) < 0; k--)
            out[k] = out[k - 1];
        out[k] = i;
    }
    return n;
}

/* One entry's text: its label, and its value or text when it has one. */
static void entry_text(const mh_fact *f, mh_lang lang, char *out, size_t size)
{
    bool zh = lang == MH_LANG_ZH;
    char value[160] = "";
    if (f->has_value) {
        mh_amount a = mh_fact_amount(f);
        mh_units_format(&a, lang, NULL, value, sizeof value);
    } else if (zh ? f->text_zh : f->text_en) {
        snprintf(value, sizeof value, "%s", zh ? f->text_zh : f->text_en);
    }
    snprintf(out, size, "%s%s%s", zh ? f->label_zh : f->label_en, value[0] ? (zh ? "：" : ": ") : "", value);
}

int mh_timeline_layout(mh_chart_plot *p, const mh_chart_text *t, const mh_exhibit_desc *ex, const int *order, int first,
                       int count, mh_lang lang, float x, float y, float w, float h, const mh_chart_style *style)
{
    mh_chart_style st = mh_chart_style_defaults(*style);
    *p = (mh_chart_plot){.kind = MH_PLOT_TIMELINE};
    y += put(t, lang == MH_LANG_ZH ? "时间线" : "Timeline", x, y, st.title, w, 1, 1, TITLE) + 0.03f;
    float date_w = 0;
    char text[400];
    for (int k = first; k < count; k++) {
        mh_format_date(ex->facts[order[k]].date, lang, text, sizeof text);
        date_w = fmaxf(date_w, measure(t, text, st.label, 0, 1).width);
    }
    float spine = x + date_w + 0.04f, tx = spine + 0.04f, bottom = y + h;
    p->x = spine;
    p->y = y;
    int k = first;
    for (; k < count && p->point_count < MH_CHART_MAX_BARS; k++) {
        const mh_fact *f = &ex->facts[order[k]];
        entry_text(f, lang, text, sizeof text);
        mh_text_extent e = measure(t, text, st.label, x + w - tx, 0);
        if (k > first && y + e.height > bottom)
            break;
        char date[48];
        mh_format_date(f->date, lang, date, sizeof date);
        put(t, date, x, y, st.label, date_w, 1, 2, DATE);
        put(t, text, tx, y, st.label, x + w - tx, 0, 0, AXIS);
        p->py[p->point_count++] = y + st.label * 0.55f;
        y += e.height + 0.025f;
    }
    p->h = y - p->y;
    return k;
}
