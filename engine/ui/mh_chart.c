/* mh_chart.c - a 3D bar chart from an exhibit's facts, laid out inside its
 * info panel: title, unit, value axis with round ticks, one bar per fact
 * (rising when the panel opens), values over the bars and labels under them.
 * A chart's facts share one unit (the manifest loader enforces it), so one
 * axis never mixes units. */
#include "mh_chart.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define TITLE_SIZE 0.045f
#define UNIT_SIZE 0.032f
#define TICK_SIZE 0.032f
#define LABEL_SIZE 0.03f
#define VALUE_SIZE 0.036f

static const mh_rgba TITLE = {255, 255, 255, 255}, AXIS = {170, 184, 208, 255}, VALUE = {255, 214, 92, 255};

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

void mh_format_number(double v, char *out, size_t size)
{
    snprintf(out, size, "%.2f", v);
    char *dot = strchr(out, '.');
    if (!dot)
        return;
    char *end = out + strlen(out) - 1;
    while (end > dot && *end == '0')
        *end-- = '\0';
    if (end == dot)
        *end = '\0';
}

static void value_label(const mh_fact *f, char *out, size_t size)
{
    char num[48];
    mh_format_number(f->value, num, sizeof num);
    snprintf(out, size, "%s%s%s", f->bound == MH_FACT_ABOUT ? "≈" : "", num, f->bound == MH_FACT_AT_LEAST ? "+" : "");
}

/* One text block of the chart (not a value label). */
static float add(const mh_chart_text *t, const char *utf8, float x, float y, float size, float max_w, int max_lines,
                 int align, mh_rgba color)
{
    return t->add(t->host, utf8, x, y, size, max_w, max_lines, align, color, -1, 0);
}

void mh_chart_layout(mh_chart_plot *p, const mh_chart_text *t, const mh_exhibit_desc *ex, const mh_chart *c,
                     mh_lang lang, float x, float y, float w, float h)
{
    bool zh = lang == MH_LANG_ZH;
    if (c->fact_count <= 0)
        return;
    float bottom = y + h;
    y += add(t, zh ? c->title_zh : c->title_en, x, y, TITLE_SIZE, w, 2, 1, TITLE) + 0.01f;
    const mh_fact *first = &ex->facts[c->facts[0]];
    const char *unit = zh ? first->unit_zh : first->unit_en;
    char text[160];
    snprintf(text, sizeof text, zh ? "单位：%s" : "Unit: %s", unit ? unit : (zh ? "个" : "count"));
    y += add(t, text, x, y, UNIT_SIZE, w, 1, 0, AXIS) + 0.03f;

    double top = 0;
    for (int i = 0; i < c->fact_count; i++)
        if (ex->facts[c->facts[i]].value > top)
            top = ex->facts[c->facts[i]].value;
    top = nice_ceil(top * 1.08);
    float axis_w = 0.13f, labels_h = 3 * LABEL_SIZE * 1.3f * 1.15f + 0.05f;
    p->shown = true;
    p->x = x + axis_w;
    p->y = y + VALUE_SIZE * 1.4f;   /* room for the value over the tallest bar */
    p->w = w - axis_w;
    p->h = bottom - p->y - labels_h;
    if (p->h < 0.1f)
        p->h = 0.1f;
    /* ticks: 0, half, top */
    for (int k = 0; k <= 2; k++) {
        double v = top * k / 2.0;
        mh_format_number(v, text, sizeof text);
        float ty = p->y + p->h * (1.0f - (float)k / 2.0f) - TICK_SIZE * 0.6f;
        add(t, text, x, ty, TICK_SIZE, axis_w - 0.03f, 1, 2, AXIS);
    }
    int n = c->fact_count < MH_CHART_MAX_BARS ? c->fact_count : MH_CHART_MAX_BARS;
    float slot = p->w / (float)n;
    p->bar_count = n;
    for (int i = 0; i < n; i++) {
        const mh_fact *f = &ex->facts[c->facts[i]];
        mh_chart_bar *bar = &p->bars[i];
        bar->w = slot * 0.5f;
        bar->x = p->x + slot * (float)i + (slot - bar->w) * 0.5f;
        bar->height = (float)(f->value / top) * p->h;
        value_label(f, text, sizeof text);
        t->add(t->host, text, p->x + slot * (float)i, 0, VALUE_SIZE, slot, 1, 1, VALUE, i, 0.036f);
        add(t, zh ? f->label_zh : f->label_en, p->x + slot * (float)i + 0.01f, p->y + p->h + 0.045f, LABEL_SIZE,
            slot - 0.02f, 3, 1, AXIS);
    }
}
