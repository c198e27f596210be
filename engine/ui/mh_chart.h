/* mh_chart.h - an exhibit's charts and its timeline, laid out into a
 * rectangle of panel space (metres, origin top-left, y down): the plot's
 * geometry (bars, a line's points, timeline dots) and its text blocks
 * (title, unit, ticks, values, labels, dates), which go to whoever hosts
 * the chart (the info panel, mh_panel.c).
 *
 * Every text is at least the style's minimum size. A bar's label wraps at
 * spaces in its slot (up to three lines) and never breaks inside a word:
 * when a label cannot fit so, the bars are numbered and the labels listed
 * under the plot as a legend instead. Amounts on one axis share one unit and
 * one scale (mh_units.h): "billion yuan" once, bars 1, 5, 10. */
#ifndef MH_CHART_H
#define MH_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "../asset/mh_hall_load.h"
#include "mh_ui_batch.h"
#include "mh_ui_types.h"
#include "mh_units.h"

#define MH_TIMELINE_MAX 64

typedef enum mh_plot_kind { MH_PLOT_NONE, MH_PLOT_BAR, MH_PLOT_LINE, MH_PLOT_TIMELINE } mh_plot_kind;

typedef struct mh_chart_bar {
    float x, w;   /* panel metres */
    float height; /* full height in metres (before the animation) */
} mh_chart_bar;

typedef struct mh_chart_plot {
    mh_plot_kind kind;
    float x, y, w, h; /* plot area; the baseline at y + h (timeline: its spine from y to y + h at x) */
    mh_chart_bar bars[MH_CHART_MAX_BARS];
    int bar_count;
    float px[MH_CHART_MAX_BARS], py[MH_CHART_MAX_BARS]; /* a line's points; timeline dots (py) */
    int point_count;
    bool legend; /* bar labels went to a numbered legend */
} mh_chart_plot;

/* Text sizes in panel metres (em); each is raised to min_em. */
typedef struct mh_chart_style {
    float min_em;
    float title, unit, tick, label, value;
} mh_chart_style;
/* The panel's sizes: title 0.05, unit and ticks 0.04, labels 0.04, values 0.045. */
mh_chart_style mh_chart_style_defaults(mh_chart_style s);

/* What a text block measured: its width and lines, whether a word had to
 * be broken or lines were cut. */
typedef struct mh_text_extent {
    float width, height;
    int lines;
    bool split_word, truncated;
} mh_text_extent;

/* Where the chart's text goes. add() lays out one block (top-left x, y, em
 * size, box width (0: one line, no limit), line limit (0: none), align 0
 * left 1 centre 2 right) and returns its height (0 when it did not fit);
 * bar >= 0 marks a value label that rides on top of that bar, z metres out
 * of the panel, -1 otherwise; ext (may be NULL) gets its measures. With
 * dry true nothing is kept: the host only measures. */
typedef struct mh_chart_text {
    float (*add)(void *host, bool dry, const char *utf8, float x, float y, float size, float max_w, int max_lines,
                 int align, mh_rgba color, int bar, float z, mh_text_extent *ext);
    void *host;
} mh_chart_text;

/* Lays chart c of exhibit ex out in the rectangle (x, y, w, h), in lang:
 * fills *plot and hands its texts to text->add. Returns false when it does
 * not fit the rectangle at the style's sizes (it is still laid out). */
bool mh_chart_layout(mh_chart_plot *plot, const mh_chart_text *text, const mh_exhibit_desc *ex, const mh_chart *c,
                     mh_lang lang, float x, float y, float w, float h, const mh_chart_style *style);

/* The exhibit's dated facts in date order (indices into ex->facts): what a
 * timeline shows. Returns how many (at most max). */
int mh_timeline_facts(const mh_exhibit_desc *ex, int *out, int max);
/* Lays a timeline of the dated facts order[first..count) out in the
 * rectangle, as many as fit (at least one); returns the index after the last
 * one laid out. */
int mh_timeline_layout(mh_chart_plot *plot, const mh_chart_text *text, const mh_exhibit_desc *ex, const int *order,
                       int first, int count, mh_lang lang, float x, float y, float w, float h,
                       const mh_chart_style *style);

/* "2022年5月" / "May 2022" for "2022-05" (and YYYY, YYYY-MM-DD). */
void mh_format_date(const char *date, mh_lang lang, char *out, size_t size);
/* A fact's label on a chart: short_zh/short_en when given, else its label. */
const char *mh_chart_label(const mh_fact *f, mh_lang lang);

#endif
