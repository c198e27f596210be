/* mh_panel_fit.h - where an info panel goes on the screen: clear of the
 * screen interface (the caption band at the top, the minimap column in the
 * bottom right corner, the buttons at the bottom left), as large as that room allows up to
 * its designed size, in the form (landscape or portrait) that shows the
 * most, and with a minimum text size that holds at that scale.
 *
 * Pure geometry: the visit gives the camera the visitor will see the panel
 * with and the interface's reserved rectangles; the panel is moved within
 * its plane and scaled so its projection lands in the largest free region. */
#ifndef MH_PANEL_FIT_H
#define MH_PANEL_FIT_H

#include "mh_hud.h"
#include "mh_panel.h"

typedef struct mh_panel_fit_desc {
    int width, height;      /* the drawable, pixels */
    mh_mat4 view, proj;     /* the camera at the panel's spot */
    mh_panel_pose pose;     /* the panel's designed pose (scale 1) */
    mh_hud_reserve reserve; /* what the screen interface takes (pixels) */
    mh_rect keep;     /* what the panel leaves clear (the exhibit, pixels): it goes left of it or below; w 0: nothing */
    bool headset;     /* no screen interface: the whole view is free */
    float min_cap_px; /* the smallest cap height on this screen, pixels */
    float cap_ratio;  /* the font's cap height in ems */
} mh_panel_fit_desc;

/* The fit and the pose to draw the panel at. */
mh_panel_pose mh_panel_fit_place(const mh_panel_fit_desc *d, mh_panel_fit *out);
/* Where a panel drawn at pose with fit lands on the screen (pixels); false
 * when it is behind the camera. */
bool mh_panel_fit_project(const mh_panel *p, mh_mat4 view, mh_mat4 proj, int width, int height, mh_rect *out);

#endif
