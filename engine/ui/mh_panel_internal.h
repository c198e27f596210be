/* mh_panel_internal.h - what the panel's two files share: mh_panel.c (the
 * layout: pages, views, texts) and mh_panel_draw.c (drawing and picking). */
#ifndef MH_PANEL_INTERNAL_H
#define MH_PANEL_INTERNAL_H

#include "mh_panel.h"

#define MH_PANEL_LINE_GAP 1.3f /* baseline to baseline, in ems */
#define MH_PANEL_TEXT_Z 0.004f
#define MH_PANEL_MARGIN 0.07f
#define MH_PANEL_BUTTON 0.11f /* side of a square button */

static const mh_rgba MH_PANEL_WHITE = {255, 255, 255, 255}, MH_PANEL_LABEL = {214, 222, 238, 255},
                     MH_PANEL_SOURCE = {168, 182, 206, 255}, MH_PANEL_BG = {13, 20, 36, 255},
                     MH_PANEL_BUTTON_BG = {36, 48, 74, 255}, MH_PANEL_DIM = {120, 134, 160, 255};

/* The height a block of `lines` lines takes at em `size`. */
static inline float mh_panel_block_height(int lines, float size)
{
    return ((float)(lines - 1) * MH_PANEL_LINE_GAP + 1.0f) * size * 1.15f;
}

#endif
