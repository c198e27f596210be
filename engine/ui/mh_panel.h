/* mh_panel.h - the info panel a visitor opens at a booth: the park's name,
 * city, facts with units, dates and sources on pages, and beside them the
 * exhibit's views one at a time: each chart, the timeline of its dated
 * facts, each photo, and the take-away QR code.
 *
 * Nothing is ever cut: facts that do not fit go on to the next page (a page
 * indicator with previous/next buttons; swipes, the controller and `PAGE`
 * turn pages), and the view switcher reaches every view. Every text is at
 * least the fit's minimum size (about 16 px cap height on a 1080p kiosk);
 * English wraps at spaces and never breaks inside a word (chart labels use
 * their short forms or a legend).
 *
 * A panel is laid out when it opens, turns a page, switches a view, changes
 * language or is refitted, into panel space: metres, origin at the top-left
 * corner, x right, y down, inside the fit's width x height. Each frame it is
 * drawn into a UI batch at its pose in the hall, with the open animation.
 * Nothing is allocated: text lives in the panel's own glyph and line pools. */
#ifndef MH_PANEL_H
#define MH_PANEL_H

#include <stdbool.h>

#include "../asset/mh_hall_load.h"
#include "../text/mh_layout.h"
#include "mh_chart.h"
#include "mh_ui_batch.h"
#include "mh_ui_types.h"
#include "mh_units.h"

#define MH_PANEL_MAX_TEXTS 160
#define MH_PANEL_GLYPHS 8192
#define MH_PANEL_LINES 640
#define MH_PANEL_MAX_PAGES 64
#define MH_PANEL_MAX_VIEWS 40
#define MH_PANEL_MAX_SOURCES 16
#define MH_PANEL_QR_MAX 177 /* modules on a side (QR version 40) */

typedef enum mh_panel_button {
    MH_PANEL_NONE,
    MH_PANEL_BODY,
    MH_PANEL_CLOSE,
    MH_PANEL_LANG,
    MH_PANEL_PAGE_PREV,
    MH_PANEL_PAGE_NEXT,
    MH_PANEL_VIEW_PREV,
    MH_PANEL_VIEW_NEXT,
    MH_PANEL_FACTS, /* the facts column: a swipe there turns the page */
    MH_PANEL_VIEW,  /* the view: a swipe switches it, a tap on a photo shows the next */
    MH_PANEL_BUTTON_COUNT,
} mh_panel_button;

typedef enum mh_view_kind { MH_VIEW_CHART, MH_VIEW_TIMELINE, MH_VIEW_PHOTO, MH_VIEW_QR } mh_view_kind;

/* One view of the switcher: chart `index`, the timeline's entries
 * [first, end), photo `index`, or the QR code. */
typedef struct mh_panel_view {
    mh_view_kind kind;
    int index, first, end;
} mh_panel_view;

/* How a panel sits on the screen, from mh_panel_fit (mh_panel_fit.h):
 * its form (landscape or portrait), its scale in the hall, and the
 * smallest text it may use, all in panel metres. */
typedef struct mh_panel_fit {
    float width, height; /* the form: 2.4 x 1.4 (landscape) or 1.4 x 1.9 (portrait) */
    float scale;         /* world metres per panel metre */
    float min_em;        /* the smallest em: the minimum cap height over the font's cap ratio */
} mh_panel_fit;

typedef struct mh_panel_rect {
    float x, y, w, h;
} mh_panel_rect;

typedef struct mh_panel_text {
    mh_layout lay;
    float x, y;  /* top-left, panel metres */
    float size;  /* em in metres */
    float box_w; /* for alignment, metres */
    float z;     /* out of the panel */
    int align;   /* 0 left, 1 centre, 2 right */
    int bar;     /* >= 0: a value label that rides on top of this bar (or fades in with this point) */
    mh_rgba color;
} mh_panel_text;

/* The pose of a panel in the hall: centre, and its right/up/out axes (unit). */
typedef struct mh_panel_pose {
    mh_vec3 center, right, up, out;
} mh_panel_pose;

/* A photo of the gallery as the engine has it on the GPU. */
typedef struct mh_panel_photo {
    int slot; /* interface image slot (mh_ui_batch textures 1..), 0: not (yet) there */
    int width, height;
    bool broken; /* it could not be read: a placeholder is drawn */
} mh_panel_photo;

typedef struct mh_panel {
    bool open;
    int booth; /* which booth (or -2 for the stage) */
    const mh_exhibit_desc *exhibit;
    mh_lang lang;
    mh_panel_pose pose;
    mh_panel_fit fit;
    double opened_at; /* engine time */
    mh_rgba accent, accent_bright, accent_bar;
    /* pages of facts, and the views */
    int page, page_count;
    int page_first[MH_PANEL_MAX_PAGES + 1]; /* facts [page_first[p], page_first[p + 1]) */
    int view, view_count;
    mh_panel_view views[MH_PANEL_MAX_VIEWS];
    int timeline[MH_TIMELINE_MAX], timeline_count;
    int source_of[64];                         /* a fact's source number, 1.. (0: none) */
    const char *sources[MH_PANEL_MAX_SOURCES]; /* source keys by number - 1 */
    int source_count;
    uint32_t turns; /* pages turned and views switched since it opened */
    /* the layout of the current page and view */
    mh_panel_text texts[MH_PANEL_MAX_TEXTS];
    int text_count;
    mh_layout_glyph glyph_pool[MH_PANEL_GLYPHS];
    mh_layout_line line_pool[MH_PANEL_LINES];
    int glyphs_used, lines_used;
    bool dry;      /* measuring: texts are laid out but not kept */
    bool overflow; /* something did not fit at the minimum size (validate warns) */
    mh_chart_plot plot;
    mh_panel_rect facts_rect, view_rect, content_rect; /* content: the current view's inside */
    mh_panel_rect buttons[MH_PANEL_BUTTON_COUNT];
    bool shown[MH_PANEL_BUTTON_COUNT];
    /* media the engine fills in */
    mh_panel_photo photos[MH_EXHIBIT_MAX_IMAGES];
    uint8_t qr[MH_PANEL_QR_MAX * MH_PANEL_QR_MAX]; /* 1 = dark module */
    int qr_size;
    mh_glyphs *glyphs;
} mh_panel;

/* The fit of a panel at the default place: landscape, scale 1, the minimum
 * text for 16 px caps on a 1080-row screen with a 60 degree view at the
 * panel's distance (headsets, tools and tests). */
mh_panel_fit mh_panel_fit_default(const mh_glyphs *glyphs);

/* Lays out page 0 and the first view of exhibit ex in language lang. */
void mh_panel_open(mh_panel *p, mh_glyphs *glyphs, const mh_exhibit_desc *ex, int booth, mh_lang lang,
                   mh_panel_pose pose, mh_panel_fit fit, double now);
/* Lays the same exhibit out again in another language (no animation). */
void mh_panel_relayout(mh_panel *p, mh_lang lang);
/* A new place on the screen (the drawable changed): pose and fit. */
void mh_panel_refit(mh_panel *p, mh_panel_pose pose, mh_panel_fit fit);
/* Lays the current page and view out again (its photos arrived). */
void mh_panel_refresh(mh_panel *p);
/* Turns to page n / switches to view n (clamped); true when it changed. */
bool mh_panel_set_page(mh_panel *p, int n);
bool mh_panel_set_view(mh_panel *p, int n);
void mh_panel_close(mh_panel *p);
/* A name for a view: "图表 1" / "Chart 1", "时间线" / "Timeline", "图片 2" / "Photo 2", "带走" / "Take away". */
void mh_panel_view_name(const mh_panel *p, int view, char *out, size_t size);
/* Draws it; hover is the button under the pointer (highlighted). */
void mh_panel_draw(const mh_panel *p, mh_ui_batch *b, double now, mh_panel_button hover);
/* What a ray hits on the panel; *t is the distance along dir. */
mh_panel_button mh_panel_hit(const mh_panel *p, mh_vec3 origin, mh_vec3 dir, float *t);
/* The panel's corners in the hall (top-left, top-right, bottom-right,
 * bottom-left), once fully open. */
void mh_panel_corners(const mh_panel *p, mh_vec3 out[4]);

/* Formats a fact's value with its unit and bound for a language. */
void mh_fact_format_value(const mh_fact *f, mh_lang lang, char *out, size_t size);
/* What a key figure on a booth's wall shows large: the fact's value as
 * above, else its text, else its date (2022.1.23 in Chinese, as signage
 * sets it; mh_format_date's in English). */
void mh_fact_format_figure(const mh_fact *f, mh_lang lang, char *out, size_t size);
/* A fact as its line on the panel: "• label: value (date) [n]". */
void mh_panel_fact_line(const mh_fact *f, mh_lang lang, int source_no, char *out, size_t size);

#endif
