/* mh_sdf.h - a signed distance field from an anti-aliased coverage bitmap
 * (a glyph FreeType rendered normally), for the signs' glyph atlas and the
 * interface's (mh_glyphs.c).
 *
 * FreeType's own distance-field renderers cost 1.3 ms (from a bitmap) to
 * 3 ms (from the outline) a glyph at 48 px on this machine: 0.4-1 s for
 * the default hall's 311 sign glyphs, and 270 ms for the interface's
 * first glyphs, on the way to the first frame. This
 * one is an exact Euclidean distance transform (two passes of the lower
 * envelope of parabolas, Felzenszwalb and Huttenlocher) between pixel
 * centres, with the pixels on the outline (partly covered) taking their
 * distance from their coverage: tens of microseconds a glyph. */
#ifndef MH_SDF_H
#define MH_SDF_H

#include <stdbool.h>
#include <stdint.h>

/* The field of coverage (w x h bytes, rows `pitch` apart; 255 inside) into
 * out, (w + 2 spread) x (h + 2 spread) bytes with the glyph at (spread,
 * spread): 128 on the outline, 255 at spread pixels or more inside, 0 at
 * spread or more outside (FreeType's SDF convention). False when out of
 * memory (out untouched). */
bool mh_sdf_from_coverage(const uint8_t *coverage, int w, int h, int pitch, int spread, uint8_t *out);

#endif
