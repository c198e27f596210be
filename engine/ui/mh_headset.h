/* mh_headset.h - what a visit adds for a visitor in a headset (mh_headset.c):
 * the visitor cycle tied to the headset, the menu in the world, and the
 * comfort parts (mh_comfort.h) wired to the visit.
 *
 * The visitor cycle, from what the platform says of the headset
 * (mh_input_state.headset: XR_EXT_user_presence, or the session's focus):
 *
 *   worn --(taken off)--> off --(grace_s)--> reset: panels closed, tour
 *        ended, the hall's language, attract mode
 *                          \--(put on within grace_s)--> the same visit goes on
 *   off, reset --(put on)--> a fresh visit at the entrance, faded in, with a
 *        short hint in the visitor's language; it counts as a visit and asks
 *        the platform to recentre
 *
 * The engine calls mh_headset_update before the visit acts on a frame: the
 * menu, the gaze target and the teleport arc may take the frame's actions
 * and pointer (then mh_visit_frame.aim_taken is set, so nothing behind them
 * is hovered); and mh_headset_draw after the visit has drawn. */
#ifndef MH_HEADSET_H
#define MH_HEADSET_H

#include <stdbool.h>

#include "mh_comfort.h"
#include "mh_visit.h"
#include "mh_world_menu.h"

typedef struct mh_headset_desc {
    float grace_s;    /* headset off this long resets the visit: 0 = 5 s, < 0 never */
    bool seated;      /* calibrate the eye height at each fresh visit */
    float eye_height; /* what calibration sets, metres: 0 = MH_EYE_HEIGHT */
    float dwell_s;    /* gaze dwell on the menu and its target: 0 = off */
} mh_headset_desc;

/* One frame as the headset parts see it (the engine builds it). */
typedef struct mh_headset_frame {
    double time_s, dt_s;
    bool headset;                /* head-tracked eyes (captions, the gaze target, the vignette) */
    bool from_floor;             /* tracked heights are from the floor (STAGE space) */
    mh_vec3 head;                /* between the eyes, in the hall */
    float head_yaw;              /* where the head faces (0 = -Z, left positive) */
    float head_height;           /* the head's height in the tracking space (calibration) */
    bool ray;                    /* the pointer's ray is known: */
    mh_vec3 ray_origin, ray_dir; /*   in the hall (controller, mouse, or the gaze) */
    bool hand;                   /* the ray is a controller's */
    bool pointer;                /* a pointer (mouse or controller), not the gaze: no dwell */
    int width, height;           /* one view in pixels (the vignette) */
    const mh_collide_world *collide;
} mh_headset_frame;

typedef struct mh_headset {
    mh_headset_desc desc;
    /* the visitor cycle */
    mh_headset_state presence; /* as last told */
    double off_since;
    bool reset; /* the visit was reset while the headset was off */
    int visits; /* fresh visits begun by putting the headset on */
    double visit_started;
    /* comfort */
    float height_offset; /* added to tracked eye heights */
    bool calibrate;      /* calibrate at the next frame with a tracked head */
    bool seated;
    mh_arc arc;
    bool arc_shown; /* the arc showed last frame */
    float vignette;
    mh_follow caption, hint, target;
    double hint_until;
    bool hint_hand; /* the hint is for controllers (else for the gaze) */
    /* the menu */
    mh_world_menu menu;
    float ray_length; /* the controller's beam: to what it is on (the menu), or its full length */
    bool target_hover;
    double target_since;
    bool recenter; /* the platform is asked to recentre (this frame) */
    float facing;  /* the visitor's heading (the landing marker's arrow) */
    mh_headset_frame frame;
} mh_headset;

void mh_headset_init(mh_headset *h, const mh_headset_desc *desc);
/* Acts on this frame before the visit does: the headset's presence, the
 * menu, the arc, the vignette and calibration. May clear actions in *in it
 * took, and sets vf->aim_taken when the menu or its target is aimed at. */
void mh_headset_update(mh_headset *h, mh_visit *v, const mh_headset_frame *f, mh_visit_frame *vf,
                       struct mh_input_state *in, mh_nav *nav);
/* A frame the headset does not show: only the visitor cycle runs. */
void mh_headset_tick(mh_headset *h, mh_visit *v, double time_s, struct mh_input_state *in);
/* Adds the menu, the arc, the captions and hint cards and the vignette to
 * the batch the visit has filled. */
void mh_headset_draw(mh_headset *h, const mh_visit *v, mh_ui_batch *b);
/* "worn", "off", or NULL when nothing said. */
const char *mh_headset_presence_name(const mh_headset *h);
/* What the start-of-visit hint says (controllers, or gaze), in a language. */
const char *mh_headset_hint_text(mh_lang lang, bool hand);

#endif
