/* mh_glyphs.h - a glyph atlas for text drawn at run time (info panels,
 * charts, captions, buttons).
 *
 * Glyphs are rendered once by FreeType at one size and turned into signed
 * distance fields (SDF, mh_sdf.c) in a single-channel atlas image, and
 * looked up by code point after that. An SDF glyph stays sharp when drawn
 * larger or smaller than it was rasterised (a panel seen from close up, or
 * in a headset), and the shader anti-aliases its edge. Metrics are in em units: 1.0 = the text size,
 * so callers scale quads to metres (world panels) or pixels (the HUD).
 *
 * A 4x4 block of full coverage at the atlas origin is reserved for solid
 * rectangles, so panels, bars and text share one texture and one draw call.
 * When the atlas fills up it is cleared and refilled on demand; the renderer
 * re-uploads the rows that changed (only when new glyphs appear, never in a
 * steady-state frame). */
#ifndef MH_GLYPHS_H
#define MH_GLYPHS_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/mh_error.h"

typedef struct mh_glyph {
    float u0, v0, u1, v1; /* atlas rectangle, 0..1 (v down) */
    float x0, y0, x1, y1; /* quad relative to the pen on the baseline, em units, y down */
    float advance;        /* em units */
} mh_glyph;

typedef struct mh_glyphs mh_glyphs;

typedef struct mh_glyphs_desc {
    const char *const *font_paths; /* first that FreeType opens wins */
    int font_count;
    int atlas_size; /* 0 = 2048 */
    int pixel_size; /* rasterising size; 0 = 48 */
} mh_glyphs_desc;

mh_glyphs *mh_glyphs_create(const mh_glyphs_desc *desc, mh_error *err);
void mh_glyphs_destroy(mh_glyphs **g);

/* The glyph for cp, rasterised on first use; missing glyphs come back as
 * the font's missing-glyph box. Never NULL. */
const mh_glyph *mh_glyphs_get(mh_glyphs *g, uint32_t cp);
/* Advance in em units, for mh_layout (user is the mh_glyphs). */
float mh_glyphs_advance(void *g, uint32_t cp);
/* Line metrics in em units: ascender (above the baseline) and line height. */
float mh_glyphs_ascender(const mh_glyphs *g);
float mh_glyphs_line_height(const mh_glyphs *g);
/* The cap height (a capital letter over the baseline) in em units: what a
 * minimum text size is measured by. */
float mh_glyphs_cap_height(const mh_glyphs *g);
/* The atlas rectangle (centre) of the reserved solid block. */
void mh_glyphs_solid_uv(const mh_glyphs *g, float *u, float *v);

/* The atlas image (R8, size x size) and the rows changed since the last
 * mh_glyphs_mark_clean: [*dirty_y0, *dirty_y1). Empty when y0 >= y1. */
const uint8_t *mh_glyphs_pixels(const mh_glyphs *g, int *size, int *dirty_y0, int *dirty_y1);
void mh_glyphs_mark_clean(mh_glyphs *g);
/* How many times the atlas was full and started over (a panel drawn then
 * re-requests its glyphs). */
int mh_glyphs_resets(const mh_glyphs *g);
int mh_glyphs_count(const mh_glyphs *g);

#endif
