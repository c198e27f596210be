/* mh_layout.h - breaks UTF-8 text (Chinese and English) into lines for info
 * panels.
 *
 * Pure CPU and allocation-free: the font comes in through an advance-width
 * callback and the caller hands in the glyph and line arrays, so a panel can
 * be laid out every frame from a frame arena or from arrays on the stack.
 *
 *     mh_layout_glyph glyphs[256];
 *     mh_layout_line lines[8];
 *     mh_layout lay = {.glyphs = glyphs, .glyph_cap = 256, .lines = lines, .line_cap = 8};
 *     mh_layout_text(&(mh_layout_desc){.text = fact, .max_width = 600, .max_lines = 3,
 *                                      .advance = my_advance, .user = font}, &lay);
 *     for each line l: draw glyphs[l.first .. l.first + l.count) at (left + g.x, top + i * line_height)
 *
 * Line breaking, a simplified UAX #14 for Chinese + English exhibit text:
 *   - A line breaks at the last opportunity before the glyph that would make
 *     it wider than max_width. Opportunities:
 *       after a run of spaces (U+0020; C0 controls other than \n, tab
 *         included, and DEL count as spaces);
 *       between two CJK characters (ideographs U+4E00-9FFF, U+3400-4DBF,
 *         U+F900-FAFF, U+20000-3FFFF; CJK radicals, symbols and punctuation
 *         U+2E80-303F; kana, bopomofo, CJK strokes U+3040-31FF; enclosed and
 *         compatibility CJK U+3200-33FF; Hangul; fullwidth and halfwidth forms
 *         U+FF00-FFEF; vertical forms U+FE30-FE4F);
 *       between a CJK character and anything else in either direction (mixed
 *         scripts: "元宇宙VR产业" may break before V and after R);
 *       after U+200B ZERO WIDTH SPACE.
 *     Latin letters and other scripts never break between themselves.
 *   - Kinsoku: never before closing punctuation ，。、；：！？）」』》〉】〕…—·
 *     ,.;:!?)]}%'" ”’ (even after spaces); never after opening punctuation
 *     （「『《〈【〔“‘([{ (even across spaces).
 *   - Numbers: never between a digit 0-9 and the non-space character right
 *     after it, so "525.8", "1,000", "64家", "525.8亿元", "50%", "5G" stay
 *     whole. U+00A0 NO-BREAK SPACE (also U+2060, U+FEFF, U+200D) never breaks
 *     on either side; NBSP is drawn as U+0020 ("64\u00A0companies").
 *     A CJK character right after a digit (a unit) never breaks before a
 *     digit right after it, so dates and compound amounts stay whole:
 *     "2022年1月11日", "1时30分" (a unit of one character: "营收525.8"
 *     after "2022年实现" still breaks before the 5).
 *     Combining marks (U+0300-036F, variation selectors, ...) never start a
 *     line and take their base character's class.
 *   - Spaces at the end of a line are dropped (not in the glyph array, not
 *     in the width); a wrapped line starts at the character after the spaces.
 *     Spaces at the start of a paragraph are kept, unless with the first
 *     glyph they are wider than max_width (then they are dropped).
 *   - \n (and U+2028, U+2029) ends the line; "a\n\nb" is "a", "", "b" (the
 *     empty line has count 0). A \n at the very end of the text adds no empty
 *     line after it: "a\n" is one line, "\n\n" two empty lines.
 *   - A run with no opportunity that is wider than max_width is broken
 *     between characters (emergency break). A line never wraps before its
 *     first glyph, so a glyph wider than max_width sits alone on its line and
 *     layout always ends. split_word tells that it happened (a chart label
 *     then needs a shorter form: English never breaks mid-word on a panel).
 *   - Invalid UTF-8 becomes U+FFFD (mh_utf8_next), one per bad byte.
 *   - x is the sum of the advances of the earlier glyphs on the line (no
 *     kerning); a line's width is its last glyph's x plus its advance.
 *
 * Truncation: when the text needs more lines than max_lines (or line_cap),
 * or more glyphs than glyph_cap, layout stops, truncated is set and the last
 * line kept ends with U+2026 "…": glyphs are dropped from its end (and then
 * its trailing spaces) until the ellipsis fits within max_width and in the
 * glyph array. Nothing is ever written past glyph_cap or line_cap. */
#ifndef MH_LAYOUT_H
#define MH_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

/* Advance width of cp at the layout's pixel size, in the units of max_width.
 * Called for each code point laid out (again for text that moves to the next
 * line), for U+0020 and for U+2026; negative or NaN widths count as 0. */
typedef float (*mh_layout_advance_fn)(void *user, uint32_t cp);

typedef struct mh_layout_glyph {
    uint32_t cp; /* code point to draw: U+FFFD for bad bytes, U+0020 for NBSP/tab */
    float x;     /* pen position from the line's left edge */
} mh_layout_glyph;

typedef struct mh_layout_line {
    int first, count; /* glyph range; consecutive lines have consecutive ranges */
    float width;      /* without trailing spaces */
} mh_layout_line;

/* What to lay out. Zero fields are defaults: no wrapping, no line limit. */
typedef struct mh_layout_desc {
    const char *text; /* UTF-8, NUL-terminated; NULL or "" gives zero lines */
    float max_width;  /* line box width in the units of the advances; <= 0: no wrapping */
    int max_lines;    /* <= 0: no limit; else at most this many lines, the last ending in "…" if cut */
    float hang;       /* a hanging indent: a line a paragraph wraps into starts this far in (its glyphs' x
                         and its width include it); used when wrapping and under half of max_width, else 0 */
    bool balance;     /* wrapped lines as even as they go: the narrowest width (to 1/256 of max_width) that keeps
                         the line count, keeps it whole and breaks no more words ("电子/制造", not "电子制/造") */
    mh_layout_advance_fn advance;
    void *user; /* passed to advance */
} mh_layout_desc;

/* The caller fills the arrays and capacities; mh_layout_text fills the rest. */
typedef struct mh_layout {
    mh_layout_glyph *glyphs;
    int glyph_cap; /* caller's arrays */
    mh_layout_line *lines;
    int line_cap;
    int glyph_count, line_count; /* out */
    float width;                 /* widest line */
    bool truncated;              /* text cut by max_lines, line_cap or glyph_cap */
    bool split_word;             /* an emergency break split a run with no opportunity (a word) */
} mh_layout;

/* Lays text out into lines. Returns false only for bad arguments (NULL desc,
 * layout, arrays or advance, or a negative capacity), leaving zero lines. */
bool mh_layout_text(const mh_layout_desc *d, mh_layout *out);

#endif
