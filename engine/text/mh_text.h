/* mh_text.h - UTF-8 text drawn into RGBA images with FreeType.
 *
 * Used to bake signs (park names in Chinese and English) into textures when a
 * hall loads. Invalid UTF-8 becomes U+FFFD; characters the font lacks draw as
 * the font's missing-glyph box; text too wide for its box is scaled to fit. */
#ifndef MH_TEXT_H
#define MH_TEXT_H

#include <stdbool.h>
#include <stdint.h>

#include "../asset/mh_png.h"
#include "../core/mh_error.h"
#include "../core/mh_math.h"
#include "../core/mh_utf8.h"   /* mh_utf8_next, for callers that include only this */
#include "../scene/mh_scene.h" /* mh_sign_text */

typedef struct mh_font mh_font;

/* Opens the first font file of `paths` that FreeType can read. */
mh_font *mh_font_open(const char *const *paths, int count, mh_error *err);
void mh_font_close(mh_font **font);
const char *mh_font_path(const mh_font *font);

/* How many characters of utf8 the font has no glyph for (they would draw as
 * the missing-glyph box); spaces and control characters are not counted. */
int mh_font_missing(const mh_font *font, const char *utf8);

/* Width in pixels of one line of text at pixel size px. */
int mh_font_measure(mh_font *font, const char *utf8, int px);

/* Draws one line centred on cx with its top at top_y (pixels), at most max_w
 * wide, alpha-blending `color` (sRGB bytes) over img. */
void mh_font_draw_line(mh_font *font, mh_image *img, const char *utf8, int px, int cx, int top_y, int max_w,
                       const uint8_t color[3]);

/* The scene's sign painter over this font (NULL: signs without text). */
mh_sign_text mh_font_sign_text(mh_font *font);
/* The same with distance-field glyphs: the kiosk's signs are glyph quads
 * from one atlas (mh_scene_signs.c) instead of a baked texture each; the
 * export keeps mh_font_sign_text's baked ones (a GLB viewer draws them as
 * they are). */
mh_sign_text mh_font_sign_sdf(mh_font *font);

#endif
