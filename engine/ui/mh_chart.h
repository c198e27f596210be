/* mh_chart.h - a 3D bar chart from an exhibit's facts, laid out into a
 * rectangle of panel space (metres, origin top-left, y down): its plot area
 * and bars, and its text blocks (title, unit, ticks, values, labels), which
 * go to whoever hosts the chart (the info panel, mh_panel.c). */
#ifndef MH_CHART_H
#define MH_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "../asset/mh_hall_load.h"
#include "mh_ui_batch.h"
#include "mh_ui_types.h"

typedef struct mh_chart_bar {
    float x, w;            /* panel metres */
    float height;          /* full height in metres (before the animation) */
} mh_chart_bar;

typedef struct mh_chart_plot {
    bool shown;
    float x, y, w, h;      /* plot area; the baseline is at y + h */
    mh_chart_bar bars[MH_CHART_MAX_BARS];
    int bar_count;
} mh_chart_plot;

/* Where the chart's text goes: add() lays out one block (top-left x, y,
 * em size, box width, line limit, align 0 left 1 centre 2 right) and
 * returns its height (0 when it did not fit). bar >= 0 marks a value label
 * that rides on top of that bar, z metres out of the panel; -1 otherwise. */
typedef struct mh_chart_text {
    float (*add)(void *host, const char *utf8, float x, float y, float size, float max_w, int max_lines, int align,
                 mh_rgba color, int bar, float z);
    void *host;
} mh_chart_text;

/* Lays chart c of exhibit ex out in the rectangle (x, y, w, h), in lang:
 * fills *plot and hands its texts to text->add. */
void mh_chart_layout(mh_chart_plot *plot, const mh_chart_text *text, const mh_exhibit_desc *ex, const mh_chart *c,
                     mh_lang lang, float x, float y, float w, float h);

/* A number without trailing zeros: 525.8, 64, 0.25. */
void mh_format_number(double v, char *out, size_t size);

#endif
