/* mh_hud.h - the screen interface (mh_hud.c): buttons, the minimap with
 * numbered markers and a legend, captions, the pointer or reticle with its
 * hover label, the attract-mode prompt and teleport fades, in pixels over
 * the view.
 *
 * The minimap shows its numbered plan; its legend (each number's name)
 * opens over it when the visitor taps "show legend", so the plan covers
 * little of the hall by default (a marker's name also shows while the
 * pointer rests on it). While an info panel is open the minimap folds to
 * one "show map" button, so the booth's header and landmark stay in view; a
 * tap unfolds it until the next panel opens.
 *
 * The layout (mh_hud_arrange) depends on the drawable's size and the
 * language only: the caption band across the top, the minimap's column in
 * the bottom right corner, the buttons along the bottom left of it
 * (wrapping into a second row on a narrow screen). What they take is published as a reserve, so an
 * info panel (mh_panel_fit.h) is placed clear of all of them at 16:9,
 * 16:10, 4:3 and portrait 9:16 alike. Sizes scale with the screen's shorter
 * side (1.0 at 1080 pixels); no text is smaller than a 16 px cap height at
 * that scale.
 *
 * The visit owns the state; each call gets a plain mh_hud_state of what the
 * interface shows (mh_visit.c fills it), so the screen interface knows
 * nothing of the visit's workings. */
#ifndef MH_HUD_H
#define MH_HUD_H

#include <stdbool.h>

#include "../asset/mh_hall_load.h"
#include "../scene/mh_nav.h"
#include "../text/mh_glyphs.h"
#include "mh_ui_batch.h"
#include "mh_ui_types.h"

typedef enum mh_hud_button {
    MH_HUD_NONE,
    MH_HUD_LANG,
    MH_HUD_TOUR,
    MH_HUD_NEXT,
    MH_HUD_HOME,
    MH_HUD_VOLUME,
    MH_HUD_COUNT
} mh_hud_button;

/* The row under the minimap's plan that shows or hides its legend
 * (mh_target.id for MH_TARGET_HUD; not one of the bottom buttons). */
#define MH_HUD_LEGEND MH_HUD_COUNT
/* The folded minimap's one row: unfolds it. */
#define MH_HUD_MAP (MH_HUD_COUNT + 1)

#define MH_HUD_MAX_MARKERS 64
#define MH_HUD_MAX_LEGEND (MH_HUD_MAX_MARKERS + 3)
/* Legend and map targets besides booths (mh_target.id for MH_TARGET_MAP). */
#define MH_HUD_ENTRANCE (-1)
#define MH_HUD_STAGE (-2)
#define MH_HUD_NOWHERE (-3)
#define MH_HUD_YOU (-4)

typedef struct mh_rect {
    float x, y, w, h;
} mh_rect;

/* What the screen interface takes, in pixels: an info panel stays clear. */
typedef struct mh_hud_reserve {
    float margin;
    float top;      /* the caption band ends here */
    float bottom;   /* the buttons start here */
    mh_rect column; /* the minimap and its legend (bottom right) */
} mh_hud_reserve;

/* One legend entry: a marker's number (or symbol) and its name. */
typedef struct mh_hud_legend {
    mh_rect rect; /* the entry, a tap target */
    int target;   /* booth index, or MH_HUD_ENTRANCE, MH_HUD_STAGE, MH_HUD_YOU */
} mh_hud_legend;

/* Screen layout of the interface for the current drawable size and language. */
typedef struct mh_hud {
    float scale; /* 1.0 at 1080 pixels on the shorter side */
    int width, height;
    mh_lang lang;
    const mh_hall_desc *hall;
    mh_rect buttons[MH_HUD_COUNT];
    bool visible[MH_HUD_COUNT];
    mh_rect frame;                       /* the minimap's frame: the plan and its legend shown */
    mh_rect frame_closed;                /* the frame with the legend hidden (the default) */
    mh_rect map;                         /* the plan inside it */
    mh_rect legend_toggle;               /* under the plan: "show legend" / "hide legend" */
    mh_rect fold_row;                    /* the folded minimap: its "show map" button */
    bool fold_corner;                    /* ...a "map" button beside the others (a narrow screen) */
    mh_vec2 map_min, map_max;            /* world x/z the plan shows */
    mh_vec2 markers[MH_HUD_MAX_MARKERS]; /* booth markers' centres, spread so they never overlap */
    int marker_count;
    float marker_size, legend_size; /* marker side, legend text em (pixels) */
    mh_hud_legend legend[MH_HUD_MAX_LEGEND];
    int legend_count;
    mh_rect caption; /* the caption band */
    mh_hud_reserve reserve;
    float button_row_y; /* top of the (first) button row */
    float button_right; /* the buttons wrap into a row above at this x */
    mh_glyphs *glyphs;
} mh_hud;

/* What the interface shows this frame. */
typedef struct mh_hud_state {
    const mh_hall_desc *hall;
    mh_glyphs *glyphs;
    mh_lang lang;
    bool attract; /* attract mode: the prompt only */
    bool touring; /* the guided tour is on (maybe paused) */
    bool tour_paused;
    int tour_stop;
    const char *caption;   /* the caption to show now (narration, tour), or NULL */
    bool headset;          /* head-tracked eyes: no buttons or map, which would ride on the face */
    bool pointer, reticle; /* a mouse or touch position / aiming with the screen centre */
    float pointer_x, pointer_y;
    mh_target hover;
    double hover_since;                   /* when the hover began (>= 1e29: not dwelling) */
    const mh_exhibit_desc *hover_exhibit; /* what a tap on the hovered booth or stage would open */
    float dwell_s;                        /* gaze-dwell time, 0 = off */
    double now, attract_started;
    float fade; /* teleport fade: 0 clear .. 1 dark */
    int volume; /* 0..100 */
    bool muted;
    bool legend; /* the minimap's legend is shown (else only its numbered plan) */
    bool folded; /* the minimap shows only its "show map" row (a panel is open, or the map crowds the screen) */
} mh_hud_state;

/* Lays the interface out for the drawable size and language (cheap when
 * nothing changed). */
void mh_hud_arrange(mh_hud *h, int width, int height, const mh_hall_desc *hall, mh_glyphs *glyphs, mh_lang lang);
/* Places the buttons for this frame's labels (language, tour state, volume). */
void mh_hud_arrange_buttons(mh_hud *h, const mh_hud_state *s);
/* Whether the minimap, open, would take more than a sixth of the screen
 * (a small window: its sizes stop shrinking at half of 1080p's); the visit
 * then shows it folded until the visitor opens it. */
bool mh_hud_map_crowds(const mh_hud *h);
/* What pixel (x, y) is on: a button, the map (a booth or the entrance), or nothing. */
mh_target mh_hud_hit(mh_hud *h, const mh_hud_state *s, float x, float y);
/* Fills the batch's SCREEN part. */
void mh_hud_draw(mh_hud *h, const mh_hud_state *s, mh_ui_batch *b, const mh_nav *nav);
/* The smallest cap height text may have on this screen, pixels. */
float mh_hud_min_cap(const mh_hud *h);
/* The name a booth has on the minimap's legend. */
const char *mh_hud_short_label(const mh_exhibit_desc *ex, mh_lang lang);

#endif
