/* fuzz_layout.c - libFuzzer target: any bytes as info-panel text for
 * mh_layout_text. The first byte picks the box: bits 0-3 max_width (0 = no
 * wrapping, else 15..225 with glyphs 10 or 20 wide), bits 4-5 max_lines
 * (0 = no limit), bits 6-7 the array sizes (roomy, half, tiny, none). The
 * rest, NUL-terminated in a heap block of its exact size, is the text. Checks
 * the layout's invariants and aborts when one fails. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/mh_utf8.h"
#include "text/mh_layout.h"

/* Fake metrics: ASCII 10, combining acute 0, everything else 20 wide. */
static float fuzz_advance(void *user, uint32_t cp)
{
    (void)user;
    return cp < 0x80 ? 10.0f : cp == 0x301 ? 0.0f : 20.0f;
}

static void fuzz_require(bool ok)
{
    if (!ok)
        abort();
}

/* Code points that become glyphs other than U+0020: all but spaces, C0
 * controls, DEL, NBSP and line separators. */
static int fuzz_count_visible(const char *s)
{
    int n = 0;
    while (*s) {
        uint32_t cp = mh_utf8_next(&s);
        n += !(cp <= 0x20 || cp == 0x7F || cp == 0xA0 || cp == 0x2028 || cp == 0x2029);
    }
    return n;
}

static void fuzz_check_line(const mh_layout *lay, const mh_layout_desc *d, int i, int first)
{
    const mh_layout_line *l = &lay->lines[i];
    fuzz_require(l->first == first && l->count >= 0 && l->first + l->count <= lay->glyph_count);
    /* from 0, or from the hanging indent (a line wrapped into) */
    float x = l->count > 0 && d->hang > 0 && lay->glyphs[l->first].x == d->hang ? d->hang : 0;
    for (int j = l->first; j < l->first + l->count; j++) {
        fuzz_require(lay->glyphs[j].x == x);
        x += fuzz_advance(NULL, lay->glyphs[j].cp);
    }
    fuzz_require(l->width == x);
    if (d->max_width > 0 && l->count > 1)
        fuzz_require(l->width <= d->max_width);
    fuzz_require(l->width <= lay->width);
}

static void fuzz_check(const mh_layout *lay, const mh_layout_desc *d)
{
    fuzz_require(lay->glyph_count >= 0 && lay->glyph_count <= lay->glyph_cap);
    fuzz_require(lay->line_count >= 0 && lay->line_count <= lay->line_cap);
    if (d->max_lines > 0)
        fuzz_require(lay->line_count <= d->max_lines);
    int next = 0;
    for (int i = 0; i < lay->line_count; i++) {
        fuzz_check_line(lay, d, i, next);
        next = lay->lines[i].first + lay->lines[i].count;
    }
    fuzz_require(next == lay->glyph_count);
    if (lay->truncated)
        return;
    /* nothing lost: every visible code point is a glyph, and no ellipsis was added */
    int visible = 0;
    for (int j = 0; j < lay->glyph_count; j++)
        visible += lay->glyphs[j].cp != ' ';
    fuzz_require(visible == fuzz_count_visible(d->text));
}

/* Array sizes: roomy (more than the text can need), half that, tiny, none. */
static void fuzz_caps(int pick, int roomy, int *glyph_cap, int *line_cap)
{
    static const int tiny[4][2] = {{0, 0}, {0, 0}, {3, 2}, {0, 0}};
    *glyph_cap = pick == 0 ? roomy : pick == 1 ? roomy / 2 : tiny[pick][0];
    *line_cap = pick == 0 ? roomy : pick == 1 ? roomy / 2 : tiny[pick][1];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > (1u << 20))
        return 0;
    uint8_t pick = data[0];
    char *text = malloc(size);
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0'; /* an embedded NUL just ends the text early */
    int glyph_cap, line_cap;
    fuzz_caps(pick >> 6, (int)size + 1, &glyph_cap, &line_cap);
    mh_layout lay = {.glyphs = malloc(sizeof(mh_layout_glyph) * (size_t)(glyph_cap ? glyph_cap : 1)),
                     .glyph_cap = glyph_cap,
                     .lines = malloc(sizeof(mh_layout_line) * (size_t)(line_cap ? line_cap : 1)),
                     .line_cap = line_cap};
    mh_layout_desc d = {.text = text,
                        .max_width = (float)(pick & 15) * 15.0f,
                        .max_lines = (pick >> 4) & 3,
                        .advance = fuzz_advance};
    fuzz_require(mh_layout_text(&d, &lay));
    fuzz_check(&lay, &d);
    /* balanced: as many lines, cut or not as before, the same checks */
    int lines = lay.line_count;
    bool cut = lay.truncated;
    d.balance = true;
    fuzz_require(mh_layout_text(&d, &lay));
    fuzz_check(&lay, &d);
    fuzz_require(lay.line_count == lines && lay.truncated == cut);
    /* a hanging indent */
    d.balance = false;
    d.hang = (float)(pick & 7) * 4.0f;
    fuzz_require(mh_layout_text(&d, &lay));
    fuzz_check(&lay, &d);
    free(lay.glyphs);
    free(lay.lines);
    free(text);
    return 0;
}
