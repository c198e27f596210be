/* mh_visit.h - one visitor's visit: what they point at, which panel is
 * open, where they are being taken, the guided tour and attract mode.
 *
 * Each frame the engine hands the visit the frame's input and camera; the
 * visit decides what the input means (a tap on a booth teleports there and
 * opens its panel, a tap on a button toggles the language...), moves the
 * walker (mh_nav) when it must, and then fills the UI batch with the panel,
 * highlights and the screen interface.
 *
 *   explore --(idle timeout)--> attract --(any input)--> explore at the entrance
 *   explore --(tour button)--> tour --(walk or look)--> tour, paused
 *                                   --(last stop or Back to entrance)--> explore
 *
 * Teleports fade to dark and back (0.5 s in all) rather than glide: no
 * sense of motion, no nausea, in a headset too. */
#ifndef MH_VISIT_H
#define MH_VISIT_H

#include <stdbool.h>

#include "../asset/mh_hall_load.h"
#include "../scene/mh_collide.h"
#include "../scene/mh_nav.h"
#include "mh_caption.h"
#include "mh_hud.h"
#include "mh_panel.h"
#include "mh_ui_batch.h"
#include "mh_ui_types.h"

typedef enum mh_visit_mode { MH_VISIT_EXPLORE, MH_VISIT_TOUR, MH_VISIT_ATTRACT } mh_visit_mode;

typedef struct mh_visit_desc {
    float idle_timeout_s; /* attract mode after this long without input; 0 = 60 s, < 0 never */
    float dwell_s;        /* gaze-dwell select after this long (no pointer); 0 = off */
    mh_lang language;     /* the language a fresh visit starts in */
    int volume;           /* a fresh visit's volume 1..100: 0 = 80 */
    bool muted;           /* a fresh visit starts muted */
} mh_visit_desc;

/* One frame of what the engine knows, for the visit to act on. */
typedef struct mh_visit_frame {
    double time_s, dt_s;
    int width, height;
    mh_mat4 view, proj; /* this frame's camera (before the visit moves it) */
    mh_vec3 eye;
    const mh_collide_world *collide; /* where the visitor may stand (floor teleports); NULL = anywhere */
    bool headset;                    /* head-tracked eyes: no screen buttons or map (they would ride on the face) */
    float narration_s;               /* how far the narration's audio has played (seconds), < 0: none playing */
    float narration_length;          /* its length once known (seconds), 0: unknown or no audio */
    bool aim_taken;                  /* something nearer (the menu in the world) has the pointer: nothing is hovered */
} mh_visit_frame;

typedef struct mh_visit {
    const mh_hall_desc *hall;
    mh_glyphs *glyphs;
    mh_visit_desc desc;
    mh_visit_mode mode;
    mh_lang lang;
    mh_hud hud;
    mh_panel panel;
    double now;
    /* pointer and hover */
    bool pointer, pointer_seen;
    bool reticle; /* aiming with the screen centre (controller, keys, gaze) */
    bool headset; /* this frame's eyes are a headset's (mh_visit_frame.headset) */
    float pointer_x, pointer_y;
    mh_target hover;
    double hover_since;
    /* teleport: fade out, move, fade in */
    bool teleporting, moved;
    double tp_start;
    mh_vec2 tp_pos;
    float tp_yaw, tp_pitch;
    int tp_panel;      /* booth whose panel opens on arrival (-1 none, -2 the stage) */
    bool panel_turned; /* the open panel was placed for the turned view (mh_visit_reading_view) */
    float fade;        /* 0 clear .. 1 dark */
    /* walk-up panels */
    int dismissed; /* booth whose panel the visitor closed (until they leave) */
    double near_since;
    int near_booth;
    /* guided tour */
    int tour_stop;
    bool tour_paused;
    double stop_started;
    float stop_length;
    const char *caption; /* shown at the bottom (narration), or NULL */
    /* the screen a panel is fitted to */
    int fit_w, fit_h;
    mh_mat4 proj;
    /* sound: the volume and the narration that should play now (the engine plays it) */
    int volume; /* 0..100 */
    bool muted;
    bool legend;                      /* the minimap's legend is open (a fresh visit starts with it closed) */
    bool map_unfolded;                /* tapped open while folded (each panel folds it again) */
    const mh_exhibit_desc *narration; /* NULL: none */
    mh_lang narration_lang;
    uint32_t narration_serial; /* changes when a narration starts (or stops) */
    double narration_started;  /* visit time */
    float narration_pos;       /* seconds into it */
    float narration_length;    /* the audio's length, or an estimate without audio */
    bool narration_audio;      /* its audio is playing (the engine says so) */
    mh_caption_track caption_track;
    char welcome[320]; /* the tour's caption at the entrance */
    int caption_part;
    uint32_t page_turns; /* pages turned and views switched, all panels */
    bool drag_on_panel;  /* the drag going on started on the panel */
    /* attract mode and idleness */
    double idle_s;
    double attract_started;
    mh_vec3 attract_eye, attract_target;
} mh_visit;

void mh_visit_init(mh_visit *v, const mh_hall_desc *hall, mh_glyphs *glyphs, const mh_visit_desc *desc);

/* Acts on this frame's input; may move the walker (teleport), and may clear
 * movement in *in (during attract mode and fades). */
struct mh_input_state;
void mh_visit_update(mh_visit *v, const mh_visit_frame *f, struct mh_input_state *in, mh_nav *nav);
/* In attract mode the camera orbits the atrium: true and the view to use. */
bool mh_visit_camera(const mh_visit *v, mh_vec3 *eye, mh_vec3 *target);
/* Fills the batch with this frame's interface. */
void mh_visit_draw(mh_visit *v, mh_ui_batch *b, const mh_nav *nav);

/* Actions (also what a control command would do). */
void mh_visit_set_language(mh_visit *v, mh_lang lang);
void mh_visit_go_booth(mh_visit *v, int booth, bool open_panel);
/* Stands the visitor at booth's spot with its panel fully open at once (no
 * fade, no animation): for renders of a panel. */
bool mh_visit_show_panel(mh_visit *v, int booth, mh_nav *nav);
void mh_visit_go_entrance(mh_visit *v);
/* Teleports to a floor point (a teleport arc's landing), facing yaw. */
void mh_visit_go_to(mh_visit *v, mh_vec2 pos, float yaw);
void mh_visit_tour_start(mh_visit *v);
void mh_visit_tour_next(mh_visit *v);
void mh_visit_tour_stop(mh_visit *v);
/* The tour again at `stop` (after a RELOAD swapped the hall in), paused or going on. */
void mh_visit_tour_resume(mh_visit *v, int stop, bool paused);
void mh_visit_attract(mh_visit *v);
/* The open panel's page and view (relative: +1 next, -1 previous); false
 * when no panel is open or there is no such page or view. */
bool mh_visit_panel_page(mh_visit *v, int n, bool relative);
bool mh_visit_panel_view(mh_visit *v, int n, bool relative);
/* The volume 0..100 and muting (operator commands, the visitor's button). */
void mh_visit_set_volume(mh_visit *v, int percent);
void mh_visit_set_muted(mh_visit *v, bool muted);
/* The caption to show now (narration or tour), or NULL. */
const char *mh_visit_caption(const mh_visit *v);
/* The stage features another exhibit now: a stage panel shows the new one. */
void mh_visit_featured_changed(mh_visit *v);

/* The ray in the hall through pixel (px, py) of the frame's camera. */
bool mh_visit_frame_ray(const mh_visit_frame *f, float px, float py, mh_vec3 *origin, mh_vec3 *dir);

/* Where the visitor stands: "entrance", "stage", "booth:<id>" or "". */
void mh_visit_where(const mh_visit *v, const mh_nav *nav, char *out, size_t size);

/* Panel placement and the visitor's view of a booth (-2: the stage). */
mh_panel_pose mh_visit_panel_pose(const mh_hall_desc *hall, int booth);
void mh_visit_spot_view(const mh_hall_desc *hall, int booth, mh_vec2 *pos, float *yaw, float *pitch);
/* Where a visitor brought to a booth's panel stands: its spot, on a screen
 * of 4:3 or wider turned left so that the exhibit stands at the right of the
 * view and the panel beside it (a portrait screen's or a headset's view is
 * not turned). */
void mh_visit_reading_view(const mh_visit *v, int booth, mh_vec2 *pos, float *yaw, float *pitch);
/* The exhibit shown at a booth (-2: the stage's featured exhibit); NULL when none. */
const mh_exhibit_desc *mh_visit_spot_exhibit(const mh_hall_desc *hall, int booth);
/* The narration of tour stop `stop` in the current language (NULL: none, as
 * at the entrance); *booth is the stop's booth, -2 the stage, -1 neither. */
const char *mh_visit_stop_text(const mh_visit *v, int stop, int *booth);

#endif
