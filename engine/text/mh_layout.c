/* mh_layout.c - line breaking for info-panel text: a greedy breaker over a
 * simplified UAX #14 (see mh_layout.h for the rules). One pass over the text;
 * when a line overflows, the text after its last break opportunity is decoded
 * again for the next line, so no glyph is ever moved and nothing allocated. */
#include "mh_layout.h"

#include <stddef.h>
#include <string.h>

#include "../core/mh_utf8.h"

/* Break properties of a code point (lay_class). */
enum {
    LAY_SPACE = 1u << 0,       /* breakable space: dropped at line ends */
    LAY_NEWLINE = 1u << 1,     /* ends the line */
    LAY_CJK = 1u << 2,         /* break allowed on either side */
    LAY_OPEN = 1u << 3,        /* never break after, even across spaces */
    LAY_NO_BEFORE = 1u << 4,   /* never break before, even after spaces */
    LAY_NO_AFTER = 1u << 5,    /* no break before the non-space right after it */
    LAY_BREAK_AFTER = 1u << 6, /* break allowed after it (U+200B) */
    LAY_TRANSPARENT = 1u << 7, /* combining: takes its base character's class */
    LAY_SOLIDUS = 1u << 8,     /* '/': break allowed after it unless a digit follows (URLs, not 1/2) */
    LAY_DIGIT = 1u << 9,       /* 0-9 */
    LAY_UNIT = 1u << 10,       /* (set in the pass) a CJK character right after a digit: no break before a digit */
};

#define LAY_ELLIPSIS 0x2026u

/* Never break before these (closing and ending punctuation; ASCII in lay_ascii_class). */
static const uint32_t lay_close[] = {
    0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF01, 0xFF1F, 0xFF09, 0x300D, 0x300F,
    0x300B, 0x3009, 0x3011, 0x3015, 0x2026, 0x2014, 0x00B7, 0x201D, 0x2019,
};

/* Never break after these (opening punctuation; ASCII in lay_ascii_class). */
static const uint32_t lay_open[] = {
    0xFF08, 0x300C, 0x300E, 0x300A, 0x3008, 0x3010, 0x3014, 0x201C, 0x2018,
};

/* Inclusive code point ranges of CJK characters. */
static const uint32_t lay_cjk[][2] = {
    {0x1100, 0x11FF}, {0x2E80, 0x303F}, {0x3040, 0x31FF}, {0x3200, 0x33FF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF},
    {0xA960, 0xA97F}, {0xAC00, 0xD7FF}, {0xF900, 0xFAFF}, {0xFE30, 0xFE4F}, {0xFF00, 0xFFEF}, {0x20000, 0x3FFFF},
};

/* Combining marks, variation selectors and emoji modifiers. */
static const uint32_t lay_combining[][2] = {
    {0x0300, 0x036F}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF},   {0x20D0, 0x20FF},
    {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0x1F3FB, 0x1F3FF}, {0xE0100, 0xE01EF},
};

#define LAY_COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static bool lay_in_list(const uint32_t *list, int n, uint32_t cp)
{
    for (int i = 0; i < n; i++)
        if (list[i] == cp)
            return true;
    return false;
}

static bool lay_in_ranges(const uint32_t (*ranges)[2], int n, uint32_t cp)
{
    for (int i = 0; i < n; i++)
        if (cp >= ranges[i][0] && cp <= ranges[i][1])
            return true;
    return false;
}

/* ASCII without \n: spaces and controls, digits, punctuation, letters. */
static unsigned lay_ascii_class(uint32_t cp)
{
    if (cp <= 0x20 || cp == 0x7F)
        return LAY_SPACE;
    if (cp >= '0' && cp <= '9')
        return LAY_NO_AFTER | LAY_DIGIT;
    if (strchr(",.;:!?)]}%'\"", (int)cp))
        return LAY_NO_BEFORE;
    if (strchr("([{", (int)cp))
        return LAY_OPEN;
    if (cp == '/')
        return LAY_SOLIDUS;
    return 0;
}

static unsigned lay_class(uint32_t cp)
{
    if (cp == '\n' || cp == 0x2028 || cp == 0x2029)
        return LAY_NEWLINE;
    if (cp < 0x80)
        return lay_ascii_class(cp);
    if (cp >= 0x4E00 && cp <= 0x9FFF)
        return LAY_CJK; /* the common case, ahead of the lists */
    if (cp == 0x00A0 || cp == 0x2060 || cp == 0xFEFF || cp == 0x200D)
        return LAY_NO_BEFORE | LAY_NO_AFTER;
    if (cp == 0x200B)
        return LAY_BREAK_AFTER;
    if (lay_in_ranges(lay_combining, LAY_COUNT(lay_combining), cp))
        return LAY_NO_BEFORE | LAY_TRANSPARENT;
    unsigned f = lay_in_ranges(lay_cjk, LAY_COUNT(lay_cjk), cp) ? LAY_CJK : 0;
    if (lay_in_list(lay_close, LAY_COUNT(lay_close), cp))
        f |= LAY_NO_BEFORE;
    else if (lay_in_list(lay_open, LAY_COUNT(lay_open), cp))
        f |= LAY_OPEN;
    return f;
}

/* May a line break before a character of class `next`, when the last
 * non-space character before it had class `prev`, with spaces between? */
static bool lay_can_break(unsigned prev, bool spaces, unsigned next)
{
    if ((next & LAY_NO_BEFORE) || (prev & LAY_OPEN))
        return false;
    if (spaces)
        return true;
    if ((prev & LAY_NO_AFTER) || ((prev & LAY_UNIT) && (next & LAY_DIGIT)))
        return false;
    if ((prev & LAY_SOLIDUS) && !(next & (LAY_NO_AFTER | LAY_SOLIDUS)))
        return true; /* a URL's path after a '/', never "1/|2" or "https:/|/" */
    return (prev & (LAY_CJK | LAY_BREAK_AFTER)) || (next & LAY_CJK);
}

/* The state of one mh_layout_text call. */
typedef struct lay_state {
    const mh_layout_desc *d;
    mh_layout *out;
    const char *src; /* next byte to decode */
    int limit;       /* most lines to emit */
    float space_adv; /* advance of U+0020 */
    float hang;      /* where lines after the first start */
    /* the line being filled: glyphs[first .. out->glyph_count) */
    int first;
    float pen;     /* width of its stored glyphs */
    int spaces;    /* spaces seen but not stored: stored once a glyph follows */
    unsigned prev; /* class of its last non-space character; 0 at its start */
    /* its last break opportunity; brk_src NULL when it has none */
    const char *brk_src; /* where the next line would start */
    int brk_end;         /* glyph count of the line when broken there */
    float brk_width;
} lay_state;

static float lay_advance(const lay_state *st, uint32_t cp)
{
    float a = st->d->advance(st->d->user, cp);
    return a > 0 ? a : 0; /* NaN and negative widths count as 0 */
}

/* Starts a new line (a paragraph's first, or one it wraps into: then at
 * the hanging indent); false when the line limit is reached. */
static bool lay_open_line(lay_state *st, bool wrapped)
{
    if (st->out->line_count >= st->limit)
        return false;
    st->first = st->out->glyph_count;
    st->pen = wrapped ? st->hang : 0;
    st->spaces = 0;
    st->prev = 0;
    st->brk_src = NULL;
    return true;
}

/* Ends the current line with its glyphs up to `end` (later ones dropped). */
static void lay_emit(lay_state *st, int end, float width)
{
    mh_layout *out = st->out;
    out->lines[out->line_count++] = (mh_layout_line){st->first, end - st->first, width};
    out->glyph_count = end;
}

static bool lay_push(lay_state *st, uint32_t cp, float adv)
{
    mh_layout *out = st->out;
    if (out->glyph_count >= out->glyph_cap)
        return false;
    out->glyphs[out->glyph_count++] = (mh_layout_glyph){cp, st->pen};
    st->pen += adv;
    return true;
}

/* Stores the pending spaces, now that a glyph follows them. */
static bool lay_push_spaces(lay_state *st)
{
    for (; st->spaces > 0; st->spaces--)
        if (!lay_push(st, ' ', st->space_adv))
            return false;
    return true;
}

/* Right edge of the line if the pending spaces and a glyph `adv` wide were
 * added, summed in the order lay_push sums them. */
static float lay_right_edge(const lay_state *st, float adv)
{
    float x = st->pen;
    for (int i = 0; i < st->spaces; i++)
        x += st->space_adv;
    return x + adv;
}

/* Ends the last line kept with "…", dropping glyphs from its end until the
 * ellipsis fits within max_width and the glyph array. */
static void lay_ellipsis(lay_state *st)
{
    mh_layout *out = st->out;
    if (out->line_count == 0)
        return;
    mh_layout_line *l = &out->lines[out->line_count - 1];
    float e = lay_advance(st, LAY_ELLIPSIS), w = l->width, max = st->d->max_width;
    int k = l->count;
    while (k > 0 &&
           (l->first + k >= out->glyph_cap || (max > 0 && w + e > max) || out->glyphs[l->first + k - 1].cp == ' ')) {
        k--;
        w = out->glyphs[l->first + k].x;
    }
    if (l->first + k < out->glyph_cap) {
        out->glyphs[l->first + k++] = (mh_layout_glyph){LAY_ELLIPSIS, w};
        w += e;
    }
    l->count = k;
    l->width = w;
    out->glyph_count = l->first + k;
}

/* Stops on a line limit or a full array, once the lines so far are emitted:
 * the last line kept ends with the ellipsis. Returns false (stop). */
static bool lay_cut(lay_state *st)
{
    mh_layout *out = st->out;
    out->truncated = true;
    if (out->line_count > 0) {
        const mh_layout_line *l = &out->lines[out->line_count - 1];
        out->glyph_count = l->first + l->count;
    }
    lay_ellipsis(st);
    return false;
}

/* The glyph array is full in the middle of a line: keep the line if it has
 * glyphs, then cut. */
static bool lay_full(lay_state *st)
{
    if (st->out->glyph_count > st->first)
        lay_emit(st, st->out->glyph_count, st->pen);
    return lay_cut(st);
}

/* The glyph at `at` overflows: break at the last opportunity, or right
 * before the glyph (emergency break), and go on from there. */
static bool lay_wrap(lay_state *st, const char *at)
{
    if (st->brk_src) {
        lay_emit(st, st->brk_end, st->brk_width);
        st->src = st->brk_src;
    } else {
        lay_emit(st, st->out->glyph_count, st->pen);
        st->src = at;
        st->out->split_word = true;
    }
    return lay_open_line(st, true) || lay_cut(st);
}

/* Lays out one non-space character that starts at `at`. */
static bool lay_glyph(lay_state *st, const char *at, uint32_t cp, unsigned f)
{
    bool content = st->out->glyph_count > st->first, joined = st->spaces == 0;
    if (content && lay_can_break(st->prev, !joined, f)) {
        st->brk_src = at;
        st->brk_end = st->out->glyph_count;
        st->brk_width = st->pen;
    }
    float adv = lay_advance(st, cp);
    if (st->d->max_width > 0 && lay_right_edge(st, adv) > st->d->max_width) {
        if (content)
            return lay_wrap(st, at);
        st->spaces = 0; /* leading spaces that leave no room for the first glyph */
    }
    if (!lay_push_spaces(st) || !lay_push(st, cp, adv))
        return lay_full(st);
    if (!(f & LAY_TRANSPARENT)) /* a number's unit (年 in 2022年1月) keeps the digits after it */
        st->prev = f | ((f & LAY_CJK) && (st->prev & LAY_DIGIT) && joined && content ? LAY_UNIT : 0u);
    return true;
}

/* A forced break; the pending spaces are dropped. */
static bool lay_newline(lay_state *st)
{
    lay_emit(st, st->out->glyph_count, st->pen);
    if (!*st->src)
        return false; /* a final \n adds no empty line */
    return lay_open_line(st, false) || lay_cut(st);
}

/* Lays out the next code point; false when layout is done. */
static bool lay_step(lay_state *st)
{
    if (!*st->src) {
        lay_emit(st, st->out->glyph_count, st->pen);
        return false;
    }
    const char *at = st->src;
    uint32_t cp = mh_utf8_next(&st->src);
    unsigned f = lay_class(cp);
    if (f & LAY_NEWLINE)
        return lay_newline(st);
    if (f & LAY_SPACE) {
        st->spaces++;
        return true;
    }
    return lay_glyph(st, at, cp == 0x00A0 ? ' ' : cp, f);
}

static void lay_measure(mh_layout *out)
{
    out->width = 0;
    for (int i = 0; i < out->line_count; i++)
        if (out->lines[i].width > out->width)
            out->width = out->lines[i].width;
}

static bool lay_run(const mh_layout_desc *d, mh_layout *out);

/* d->balance: laid out again at narrower widths (a bisection) while the
 * lines stay as many, whole and with no more words split; the narrowest
 * such width is kept. */
static void lay_balance(const mh_layout_desc *d, mh_layout *out)
{
    int n = out->line_count;
    bool split = out->split_word;
    if (n < 2 || out->truncated)
        return;
    mh_layout_desc t = *d;
    float lo = 0, hi = d->max_width;
    for (int i = 0; i < 8; i++) {
        t.max_width = (lo + hi) / 2;
        lay_run(&t, out);
        bool same = out->line_count == n && !out->truncated && out->split_word == split;
        *(same ? &hi : &lo) = t.max_width;
    }
    t.max_width = hi;
    lay_run(&t, out);
}

bool mh_layout_text(const mh_layout_desc *d, mh_layout *out)
{
    if (!lay_run(d, out))
        return false;
    if (d->balance && d->max_width > 0)
        lay_balance(d, out);
    return true;
}

static bool lay_run(const mh_layout_desc *d, mh_layout *out)
{
    if (!out)
        return false;
    out->glyph_count = out->line_count = 0;
    out->width = 0;
    out->truncated = false;
    out->split_word = false;
    if (!d || !d->advance || !out->glyphs || !out->lines || out->glyph_cap < 0 || out->line_cap < 0)
        return false;
    if (!d->text || !*d->text)
        return true;
    lay_state st = {.d = d, .out = out, .src = d->text, .limit = out->line_cap};
    if (d->max_lines > 0 && d->max_lines < st.limit)
        st.limit = d->max_lines;
    st.space_adv = lay_advance(&st, ' ');
    if (d->max_width > 0 && d->hang > 0 && d->hang < d->max_width / 2)
        st.hang = d->hang;
    if (!lay_open_line(&st, false))
        out->truncated = true;
    else
        while (lay_step(&st)) {
        }
    lay_measure(out);
    return true;
}
