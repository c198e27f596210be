/* mh_caption.c - a narration split into caption pieces that fit the box,
 * timed by the audio (see mh_caption.h). */
#include "mh_caption.h"

#include <stdio.h>
#include <string.h>

#include "../core/mh_utf8.h"
#include "../text/mh_layout.h"

#define MAX_SENTENCES 48

typedef struct splitter {
    mh_caption_track *c;
    const mh_caption_desc *d;
    int max_lines;
} splitter;

static bool is_sentence_end(uint32_t cp, const char *next)
{
    if (cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == '!' || cp == '?')
        return true;
    return cp == '.' && (*next == ' ' || *next == '\0'); /* not 52.58 */
}

static bool is_clause_end(uint32_t cp, const char *next)
{
    if (cp == 0xFF0C || cp == 0x3001 || cp == 0xFF1B || cp == 0xFF1A)
        return true;
    return (cp == ',' || cp == ';' || cp == ':') && (*next == ' ' || *next == '\0');
}

static int code_points(const char *s, int len)
{
    int n = 0;
    const char *end = s + len;
    while (s < end && *s) {
        mh_utf8_next(&s);
        n++;
    }
    return n;
}

/* Whether text[start, start + len) fits the box in max_lines lines. */
static bool fits(const splitter *sp, int start, int len)
{
    char buf[1024];
    if (len >= (int)sizeof buf)
        return false;
    memcpy(buf, sp->d->text + start, (size_t)len);
    buf[len] = '\0';
    static _Thread_local mh_layout_glyph glyphs[1024];
    static _Thread_local mh_layout_line lines[32];
    mh_layout lay = {.glyphs = glyphs, .glyph_cap = 1024, .lines = lines, .line_cap = 32};
    mh_layout_desc ld = {.text = buf,
                         .max_width = sp->d->width_em,
                         .advance = mh_glyphs_advance,
                         .user = sp->d->glyphs};
    return mh_layout_text(&ld, &lay) && !lay.truncated && lay.line_count <= sp->max_lines;
}

static void emit(splitter *sp, int start, int len)
{
    mh_caption_track *c = sp->c;
    while (len > 0 && sp->d->text[start] == ' ')
        start++, len--;
    while (len > 0 && sp->d->text[start + len - 1] == ' ')
        len--;
    if (len > 0 && c->count < MH_CAPTION_PIECES) {
        c->start[c->count] = start;
        c->len[c->count++] = len;
    }
}

static bool cut_after(int level, uint32_t cp, const char *next)
{
    if (level == 0)
        return is_clause_end(cp, next);
    if (level == 1)
        return *next == ' ' || cp >= 0x2E80; /* after a word, or any CJK character */
    return true;                             /* any character */
}

/* Splits [start, end) into pieces that fit, cutting at this level's units
 * (clause ends, then words and CJK characters, then any character) and
 * packing as many units as fit into each piece; a unit too long alone is
 * split at the next level. */
static void pack(splitter *sp, int start, int end, int level)
{
    const char *t = sp->d->text;
    if (level > 2 || fits(sp, start, end - start)) {
        emit(sp, start, end - start);
        return;
    }
    int piece = start, good = -1;
    const char *s = t + start;
    while (s < t + end) {
        uint32_t cp = mh_utf8_next(&s);
        int at = (int)(s - t);
        if (at < end && !cut_after(level, cp, s))
            continue;
        if (fits(sp, piece, at - piece)) {
            good = at;
            continue;
        }
        if (good > piece) {
            emit(sp, piece, good - piece);
            piece = good;
            if (fits(sp, piece, at - piece)) {
                good = at;
                continue;
            }
        }
        pack(sp, piece, at, level + 1); /* one unit that does not fit alone */
        piece = at;
        good = -1;
    }
    if (piece < end)
        emit(sp, piece, end - piece);
}

/* Sentence boundaries of the text: starts[0..n) and the end. */
static int sentences(const char *text, int *starts, int *end_out)
{
    int n = 0;
    const char *s = text;
    starts[n++] = 0;
    while (*s) {
        uint32_t cp = mh_utf8_next(&s);
        if (is_sentence_end(cp, s)) {
            while (*s == ' ' || !strncmp(s, "\xE2\x80\x9D", 3) || *s == '"')
                s += *s == ' ' || *s == '"' ? 1 : 3;
            if (*s && n < MAX_SENTENCES)
                starts[n++] = (int)(s - text);
        }
    }
    *end_out = (int)(s - text);
    return n;
}

void mh_caption_build(mh_caption_track *c, const mh_caption_desc *d)
{
    memset(c, 0, sizeof *c);
    c->shown = -1;
    c->text = d->text;
    if (!d->text || !*d->text || !d->glyphs)
        return;
    splitter sp = {c, d, d->max_lines > 0 ? d->max_lines : 2};
    int starts[MAX_SENTENCES + 1], end, n = sentences(d->text, starts, &end);
    starts[n] = end;
    float total = (float)code_points(d->text, end), dur = d->duration > 0 ? d->duration : 1;
    bool cued = d->cues && d->cue_count == n;
    float t = 0;
    for (int k = 0; k < n; k++) {
        int first = c->count;
        pack(&sp, starts[k], starts[k + 1], 0);
        float s0 = cued ? d->cues[k] : t;
        float s1 = cued ? (k + 1 < n ? d->cues[k + 1] : dur)
                        : t + dur * (float)code_points(d->text + starts[k], starts[k + 1] - starts[k]) / total;
        float chars = 0;
        for (int i = first; i < c->count; i++)
            chars += (float)code_points(d->text + c->start[i], c->len[i]);
        float at = s0;
        for (int i = first; i < c->count; i++) {
            c->t0[i] = at;
            at += (s1 - s0) * (float)code_points(d->text + c->start[i], c->len[i]) / (chars > 0 ? chars : 1);
        }
        t = s1;
    }
    c->t0[c->count] = dur > t ? dur : t;
}

int mh_caption_at(mh_caption_track *c, float t)
{
    int i = -1;
    if (c->count > 0 && t >= c->t0[0] && t < c->t0[c->count])
        for (i = c->count - 1; i > 0 && t < c->t0[i]; i--) {
        }
    if (i != c->shown) {
        c->shown = i;
        if (i >= 0)
            snprintf(c->current, sizeof c->current, "%.*s", c->len[i], c->text + c->start[i]);
        else
            c->current[0] = '\0';
    }
    return i;
}
