/* mh_hud.h - the screen interface (mh_hud.c): buttons, the minimap, tour
 * captions, the pointer or reticle with its hover label, the attract-mode
 * prompt and teleport fades, in pixels over the view.
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

typedef enum mh_hud_button { MH_HUD_NONE, MH_HUD_LANG, MH_HUD_TOUR, MH_HUD_NEXT, MH_HUD_HOME, MH_HUD_COUNT } mh_hud_button;

typedef struct mh_rect { float x, y, w, h; } mh_rect;

/* Screen layout of the interface for the current drawable size. */
typedef struct mh_hud {
    float scale;                       /* 1.0 at 1080 pixels high */
    int width, height;
    mh_rect buttons[MH_HUD_COUNT];
    bool visible[MH_HUD_COUNT];
    mh_rect map;                       /* minimap rectangle */
    mh_vec2 map_min, map_max;          /* world x/z the map shows */
} mh_hud;

/* What the interface shows this frame. */
typedef struct mh_hud_state {
    const mh_hall_desc *hall;
    mh_glyphs *glyphs;
    mh_lang lang;
    bool attract;                      /* attract mode: the prompt only */
    bool touring;                      /* the guided tour is on (maybe paused) */
    bool tour_paused;
    int tour_stop;
    const char *stop_text;             /* the current stop's narration, or NULL */
    bool headset;                      /* head-tracked eyes: no buttons or map, which would ride on the face */
    bool pointer, reticle;             /* a mouse or touch position / aiming with the screen centre */
    float pointer_x, pointer_y;
    mh_target hover;
    double hover_since;                /* when the hover began (>= 1e29: not dwelling) */
    const mh_exhibit_desc *hover_exhibit;   /* what a tap on the hovered booth or stage would open */
    float dwell_s;                     /* gaze-dwell time, 0 = off */
    double now, attract_started;
    float fade;                        /* teleport fade: 0 clear .. 1 dark */
} mh_hud_state;

/* Lays the map out for the drawable size. */
void mh_hud_arrange(mh_hud *h, int width, int height, const mh_hall_desc *hall);
/* What pixel (x, y) is on: a button, the map (a booth or the entrance), or nothing. */
mh_target mh_hud_hit(mh_hud *h, const mh_hud_state *s, float x, float y);
/* The tour's caption now (the stop's narration, a welcome, or "paused"),
 * or NULL when no tour runs; buf holds it when it is made up. */
const char *mh_hud_caption_text(const mh_hud_state *s, char *buf, size_t size);
/* Fills the batch's SCREEN part. */
void mh_hud_draw(mh_hud *h, const mh_hud_state *s, mh_ui_batch *b, const mh_nav *nav);

#endif
