/* mh_panel.h - the info panel a visitor opens at a booth: the park's name,
 * city, facts with units, dates and sources, and a 3D bar chart.
 *
 * A panel is laid out once when it opens (or the language changes) into
 * panel space: metres, origin at the top-left corner, x right, y down. Each
 * frame it is drawn into a UI batch at its pose in the hall, with the open
 * animation (fade and grow, then the bars rise one after another). Nothing is
 * allocated: text lives in the panel's own glyph and line pools. */
#ifndef MH_PANEL_H
#define MH_PANEL_H

#include <stdbool.h>

#include "../asset/mh_hall_load.h"
#include "../text/mh_layout.h"
#include "mh_chart.h"
#include "mh_ui_batch.h"
#include "mh_ui_types.h"
#include "mh_units.h"

#define MH_PANEL_WIDTH 2.4f
#define MH_PANEL_HEIGHT 1.4f
#define MH_PANEL_MAX_TEXTS 96
#define MH_PANEL_GLYPHS 6144
#define MH_PANEL_LINES 512

typedef enum mh_panel_button { MH_PANEL_NONE, MH_PANEL_BODY, MH_PANEL_CLOSE, MH_PANEL_LANG } mh_panel_button;

typedef struct mh_panel_text {
    mh_layout lay;
    float x, y;            /* top-left, panel metres */
    float size;            /* em in metres */
    float box_w;           /* for alignment, metres */
    float z;               /* out of the panel */
    int align;             /* 0 left, 1 centre, 2 right */
    int bar;               /* >= 0: a value label that rides on top of this bar */
    mh_rgba color;
} mh_panel_text;

/* The pose of a panel in the hall: centre, and its right/up/out axes (unit). */
typedef struct mh_panel_pose {
    mh_vec3 center, right, up, out;
} mh_panel_pose;

typedef struct mh_panel {
    bool open;
    int booth;                         /* which booth (or -1 for the stage) */
    const mh_exhibit_desc *exhibit;
    mh_lang lang;
    mh_panel_pose pose;
    double opened_at;                  /* engine time */
    mh_rgba accent, accent_bright, accent_bar;
    /* layout */
    mh_panel_text texts[MH_PANEL_MAX_TEXTS];
    int text_count;
    mh_layout_glyph glyph_pool[MH_PANEL_GLYPHS];
    mh_layout_line line_pool[MH_PANEL_LINES];
    int glyphs_used, lines_used;
    mh_chart_plot chart;               /* the exhibit's first chart, when it has one */
    float close_x, close_y, lang_x, lang_y, button_size;
    mh_glyphs *glyphs;
} mh_panel;

/* Lays out the panel for exhibit ex in language lang. */
void mh_panel_open(mh_panel *p, mh_glyphs *glyphs, const mh_exhibit_desc *ex, int booth, mh_lang lang,
                   mh_panel_pose pose, double now);
/* Lays the same exhibit out again in another language (no animation). */
void mh_panel_relayout(mh_panel *p, mh_lang lang);
void mh_panel_close(mh_panel *p);
/* Draws it; hover is the button under the pointer (highlighted). */
void mh_panel_draw(const mh_panel *p, mh_ui_batch *b, double now, mh_panel_button hover);
/* What a ray hits on the panel; *t is the distance along dir. */
mh_panel_button mh_panel_hit(const mh_panel *p, mh_vec3 origin, mh_vec3 dir, float *t);

/* Adds a block of text; returns its height in metres (0 when the pools are full). */
float mh_panel_add_text(mh_panel *p, const char *utf8, float x, float y, float size, float max_w, int max_lines,
                        int align, mh_rgba color);
/* Formats a fact's value with its unit and bound for a language. */
void mh_fact_format_value(const mh_fact *f, mh_lang lang, char *out, size_t size);

#endif
