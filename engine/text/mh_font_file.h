/* mh_font_file.h - a font file opened for FreeType by reading it, not by
 * mapping it. FT_New_Face maps the whole file, and every page a glyph's
 * outline is read from then stays in the process's resident memory while
 * the face is open: a CJK font's glyphs lie far apart, so the signs' 313
 * glyphs touched about 3 MB of a 5 MB file, held at the hall's build, the
 * start's peak (tests/bench/NOTES.md, "Start-up on every core"). Read
 * through a stream, FreeType copies what it needs (tables, one glyph's
 * outline at a time) and frees the copies. */
#ifndef MH_FONT_FILE_H
#define MH_FONT_FILE_H

#include <ft2build.h>
#include FT_FREETYPE_H

/* FT_New_Face(lib, path, index, face) by reads; FreeType's error code
 * (0: opened; FT_Done_Face closes the file). */
FT_Error mh_font_file_open(FT_Library lib, const char *path, FT_Long index, FT_Face *face);

#endif
