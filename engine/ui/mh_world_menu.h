/* mh_world_menu.h - the menu in the world (mh_world_menu.c): a small panel
 * that opens in front of the visitor with language, the guided tour, the
 * next stop, the entrance, recentring, volume, seated mode and height
 * calibration, and the round target below the view that opens it by gaze
 * on a headset without controllers.
 *
 * The menu is laid out in its own plane (metres, origin at the top-left, x
 * right, y down) and placed once when it opens, world-locked until it
 * closes. It knows nothing of the visit: the caller says what the labels
 * show (mh_world_menu_state) and acts on the item chosen. */
#ifndef MH_WORLD_MENU_H
#define MH_WORLD_MENU_H

#include <stdbool.h>

#include "../text/mh_glyphs.h"
#include "mh_panel.h"
#include "mh_ui_batch.h"
#include "mh_ui_types.h"

typedef enum mh_menu_item {
    MH_MENU_NONE,
    MH_MENU_ZH,   /* 中文 */
    MH_MENU_EN,   /* English */
    MH_MENU_TOUR, /* start or end the guided tour */
    MH_MENU_NEXT, /* the tour's next stop */
    MH_MENU_ENTRANCE,
    MH_MENU_RECENTER,
    MH_MENU_QUIETER,
    MH_MENU_LOUDER,
    MH_MENU_SEATED,    /* seated mode on or off */
    MH_MENU_CALIBRATE, /* height calibration: the eye height now becomes standing eye height */
    MH_MENU_CLOSE,
    MH_MENU_BODY,   /* the panel between the buttons (takes the pointer, does nothing) */
    MH_MENU_TARGET, /* the gaze target that opens the menu */
    MH_MENU_ITEM_COUNT
} mh_menu_item;

#define MH_MENU_DISTANCE 0.9f /* metres from the eyes when it opens */
#define MH_MENU_WIDTH 0.6f
#define MH_MENU_HEIGHT 0.53f

/* What the labels show. */
typedef struct mh_world_menu_state {
    mh_lang lang;
    bool touring;
    float volume; /* 0..1 */
    bool seated;
} mh_world_menu_state;

typedef struct mh_world_menu {
    bool open;
    double opened_at;
    mh_panel_pose pose; /* the menu's centre and axes */
    float distance;     /* from the eyes when it opened */
    mh_menu_item hover;
    double hover_since; /* for the gaze-dwell bar (>= 1e29: already chosen) */
    float em;           /* text size, metres (at least the headset's minimum angle) */
} mh_world_menu;

/* Opens the menu in front of a head at `head` looking along heading `yaw`. */
void mh_world_menu_open(mh_world_menu *m, mh_vec3 head, float yaw, double now);
void mh_world_menu_close(mh_world_menu *m);
/* What the ray hits on the open menu (MH_MENU_NONE when it misses); *t is
 * the distance along dir. NEXT is not hit while no tour runs. */
mh_menu_item mh_world_menu_hit(const mh_world_menu *m, const mh_world_menu_state *s, mh_vec3 origin, mh_vec3 dir,
                               float *t);
/* Draws the open menu: hover highlighted, a dwell bar when dwell_s > 0. */
void mh_world_menu_draw(const mh_world_menu *m, const mh_world_menu_state *s, mh_glyphs *glyphs, mh_ui_batch *b,
                        double now, float dwell_s);

/* The round gaze target that opens the menu, posed by the caller: this far
 * ahead and below the eyes (about 35 degrees down), following the head lazily. */
#define MH_MENU_TARGET_RADIUS 0.09f
#define MH_MENU_TARGET_DISTANCE 1.1f
#define MH_MENU_TARGET_DROP 0.77f
bool mh_world_menu_target_hit(mh_panel_pose pose, mh_vec3 origin, mh_vec3 dir, float *t);
void mh_world_menu_target_draw(mh_panel_pose pose, mh_lang lang, bool hover, float progress, mh_glyphs *glyphs,
                               mh_ui_batch *b);

/* An item's label in a language (for logs and tests). */
const char *mh_world_menu_label(mh_menu_item item, const mh_world_menu_state *s, char *buf, size_t size);
/* The top-left corner and size of an item in the menu's plane (metres), false for none. */
bool mh_world_menu_item_rect(mh_menu_item item, float *x, float *y, float *w, float *h);
/* The world point at the centre of an item (tests aim at it). */
mh_vec3 mh_world_menu_item_center(const mh_world_menu *m, mh_menu_item item);

#endif
