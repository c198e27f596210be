/* mh_comfort.h - what keeps a visitor in a headset comfortable and able to
 * read (mh_comfort.c): the teleport arc and the landing marker that shows
 * where they will stand (and refuses places they may not), a short vignette
 * while they glide with the stick, height calibration (seated mode), cards
 * in the world that follow the head lazily (tour captions, the hint at the
 * start of a visit), and the smallest angle text may take in a headset.
 *
 * Everything here is plain geometry over the UI batch: no visit, no GL. */
#ifndef MH_COMFORT_H
#define MH_COMFORT_H

#include <stdbool.h>

#include "../scene/mh_collide.h"
#include "../text/mh_glyphs.h"
#include "mh_panel.h"
#include "mh_ui_batch.h"

/* Text in a headset is never smaller than this: the em (line height) seen
 * from the eye, in degrees. At a typical headset's ~20 pixels per degree an
 * em of 1.2 degrees is ~24 pixels and a capital ~16 pixels high: the same
 * floor the screen interface keeps at 1080p. */
#define MH_XR_MIN_TEXT_DEG 1.2f

/* The em size (metres) for text seen from `distance` metres: the design
 * size, or larger when that would look smaller than MH_XR_MIN_TEXT_DEG. */
float mh_comfort_text_em(float design_em, float distance);
/* The angle (degrees) an em of `em` metres takes from `distance` metres. */
float mh_comfort_text_deg(float em, float distance);

/* ---- the teleport arc ---------------------------------------------------- */

#define MH_ARC_POINTS 48
#define MH_ARC_MAX_DIST 12.0f /* metres over the floor from where the visitor stands */

typedef struct mh_arc {
    mh_vec3 points[MH_ARC_POINTS]; /* the path, from the hand to the floor (or where it gave up) */
    int count;
    bool lands;      /* it reaches the floor */
    bool ok;         /* ...where the visitor may stand */
    mh_vec2 landing; /* x, z where it meets the floor */
} mh_arc;

/* Throws the arc from origin along dir (launch speed and gravity fixed, so
 * a steeper aim goes further, up to about 45 degrees). `from` is where the
 * visitor stands; the landing is refused when it is blocked for a visitor's
 * circle, outside the hall, or further than MH_ARC_MAX_DIST. */
void mh_arc_throw(mh_arc *a, mh_vec3 origin, mh_vec3 dir, mh_vec2 from, const mh_collide_world *collide);
/* The arc as a ribbon and the marker where the visitor will stand, facing
 * `yaw` (a ring the size of a visitor with an arrow; red and crossed when
 * refused). */
void mh_arc_draw(const mh_arc *a, float yaw, mh_ui_batch *b);

/* ---- the vignette ------------------------------------------------------ */

/* Eases the vignette towards on while the visitor glides (stick walking or
 * smooth turning) and off when they stop: *level 0..1, in ~0.15 s / 0.3 s. */
void mh_vignette_step(float *level, bool gliding, float dt);
/* Darkens the edge of a width x height view (screen space) by level. */
void mh_vignette_draw(float level, int width, int height, mh_ui_batch *b);

/* ---- height --------------------------------------------------------------- */

/* The offset to add to tracked eye heights so that a head at head_height
 * (in the tracking space: above its floor when from_floor, else above the
 * standing eye height's level) sees the hall from eye_height metres. */
float mh_comfort_height_offset(float head_height, bool from_floor, float eye_height);

/* ---- cards that follow the head lazily ----------------------------------------- */

/* A card hangs in the world at a fixed distance and angle below the eyes; it
 * turns after the head only once the head has turned away by more than
 * ~20 degrees, and then eases round (never locked to the head). */
typedef struct mh_follow {
    bool placed;
    float yaw; /* the card's heading around the visitor */
    bool turning;
} mh_follow;

void mh_follow_step(mh_follow *f, float head_yaw, float dt);
/* The card's pose: `distance` ahead of head along the card's heading, `drop`
 * metres below the eyes, tilted to face them. */
mh_panel_pose mh_follow_pose(const mh_follow *f, mh_vec3 head, float distance, float drop);

/* A dark card with text in the world: width metres wide, em the text size
 * (already at least the minimum angle), at most max_lines lines, alpha 0..1.
 * Returns false when there is nothing to draw. */
typedef struct mh_card {
    const char *text;
    float width, em;
    int max_lines;
    float alpha;
    mh_rgba edge; /* the accent bar on the left */
} mh_card;
bool mh_card_draw(const mh_card *c, mh_panel_pose pose, mh_glyphs *glyphs, mh_ui_batch *b);

#endif
