/* test_layout.c - text layout for info panels (ui/mh_layout) and UTF-8
 * decoding/encoding (core/mh_utf8): exact breaks with fake monospace metrics
 * (ASCII 10, everything else 20), then one check with the real CJK font. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mh_utf8.h"
#include "mh_test.h"
#include "text/mh_text.h"
#include "text/mh_layout.h"
#include "text/mh_sdf.h"
#include "asset/mh_hall_load.h"

#define WQY_PATH "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

/* Fake metrics: ASCII (space included) 10 wide; CJK, fullwidth, U+2026 and
 * U+FFFD (everything else) 20 wide. */
static float fake_advance(void *user, uint32_t cp)
{
    (void)user;
    return cp < 0x80 ? 10.0f : 20.0f;
}

static mh_layout_glyph g_glyphs[256];
static mh_layout_line g_lines[64];

static mh_layout layout_with(const char *text, float max_width, int max_lines, mh_layout_advance_fn fn, void *user)
{
    mh_layout lay = {.glyphs = g_glyphs, .glyph_cap = 256, .lines = g_lines, .line_cap = 64};
    mh_layout_desc d = {.text = text, .max_width = max_width, .max_lines = max_lines, .advance = fn, .user = user};
    CHECK(mh_layout_text(&d, &lay));
    return lay;
}

static mh_layout layout(const char *text, float max_width, int max_lines)
{
    return layout_with(text, max_width, max_lines, fake_advance, NULL);
}

/* Line i re-encoded as UTF-8 into buf. */
static const char *line_text(const mh_layout *lay, int i, char *buf, size_t cap)
{
    size_t n = 0;
    const mh_layout_line *l = &lay->lines[i];
    for (int j = l->first; j < l->first + l->count && n + 5 < cap; j++)
        n += (size_t)mh_utf8_encode(lay->glyphs[j].cp, buf + n);
    buf[n] = '\0';
    return buf;
}

/* Ranges contiguous, x = sum of earlier advances, width = right edge. */
static bool geometry_ok(const mh_layout *lay, mh_layout_advance_fn fn, void *user)
{
    int next = 0;
    float widest = 0;
    for (int i = 0; i < lay->line_count; i++) {
        const mh_layout_line *l = &lay->lines[i];
        if (l->first != next || l->count < 0)
            return false;
        float x = 0;
        for (int j = l->first; j < l->first + l->count; j++) {
            if (lay->glyphs[j].x != x)
                return false;
            x += fn(user, lay->glyphs[j].cp);
        }
        if (l->width != x)
            return false;
        widest = x > widest ? x : widest;
        next = l->first + l->count;
    }
    return next == lay->glyph_count && widest == lay->width;
}

/* Checks the line count, the text of every line and the geometry. */
static void expect_lines_at(int at, const mh_layout *lay, int n, const char *const *want)
{
    char buf[512];
    bool ok = lay->line_count == n && geometry_ok(lay, fake_advance, NULL);
    for (int i = 0; ok && i < n; i++)
        ok = strcmp(line_text(lay, i, buf, sizeof buf), want[i]) == 0;
    CHECK(ok);
    if (ok)
        return;
    fprintf(stderr, "  (line %d) expected %d lines, got %d:\n", at, n, lay->line_count);
    for (int i = 0; i < lay->line_count; i++)
        fprintf(stderr, "    [%d] \"%s\" first %d count %d width %g\n", i, line_text(lay, i, buf, sizeof buf),
                lay->lines[i].first, lay->lines[i].count, (double)lay->lines[i].width);
}

#define EXPECT_LINES(lay, ...)                                                                             \
    expect_lines_at(__LINE__, &(lay), (int)(sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *)), \
                    (const char *[]){__VA_ARGS__})

static void test_utf8_decode(void)
{
    const char *s = "A\xC2\xA9展\xF0\x9F\x98\x80";
    CHECK(mh_utf8_next(&s) == 'A');
    CHECK(mh_utf8_next(&s) == 0xA9);
    CHECK(mh_utf8_next(&s) == 0x5C55);
    CHECK(mh_utf8_next(&s) == 0x1F600);
    CHECK(*s == '\0');
    /* each bad byte is one U+FFFD: overlong, surrogate, above U+10FFFF, stray continuation */
    const char *bad[] = {"\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\x80", "\xFF"};
    const int bytes[] = {2, 3, 4, 1, 1};
    for (int i = 0; i < 5; i++) {
        const char *p = bad[i];
        int n = 0;
        while (*p && n < 10) {
            CHECK(mh_utf8_next(&p) == 0xFFFD);
            n++;
        }
        CHECK(n == bytes[i]);
    }
    /* truncated sequences at the very end of a heap block stop at the NUL (ASan watches) */
    const char *tails[] = {"\xE6\x9D", "\xF0\x9F\x98", "\xC3"};
    for (int i = 0; i < 3; i++) {
        size_t len = strlen(tails[i]);
        char *buf = malloc(len + 1);
        memcpy(buf, tails[i], len + 1);
        const char *p = buf;
        int n = 0;
        while (*p && n < 10) {
            CHECK(mh_utf8_next(&p) == 0xFFFD);
            n++;
        }
        CHECK(p == buf + len);
        CHECK(n == (int)len);
        free(buf);
    }
}

static void test_utf8_encode(void)
{
    const uint32_t cps[] = {'A', 0xA9, 0x5C55, 0xFFFD, 0x1F600, 0x10FFFF};
    const int lens[] = {1, 2, 3, 3, 4, 4};
    for (int i = 0; i < 6; i++) {
        char buf[5];
        int n = mh_utf8_encode(cps[i], buf);
        CHECK(n == lens[i]);
        buf[n] = '\0';
        const char *p = buf;
        CHECK(mh_utf8_next(&p) == cps[i] && p == buf + n);
    }
    char buf[4];
    CHECK(mh_utf8_encode(0xD800, buf) == 3 && memcmp(buf, "\xEF\xBF\xBD", 3) == 0);
    CHECK(mh_utf8_encode(0x110000, buf) == 3 && memcmp(buf, "\xEF\xBF\xBD", 3) == 0);
}

static void test_cjk_exact_width(void)
{
    mh_layout lay = layout("元宇宙体验展示中心", 80, 0); /* four ideographs a line, exactly */
    EXPECT_LINES(lay, "元宇宙体", "验展示中", "心");
    CHECK(lay.lines[0].first == 0 && lay.lines[0].count == 4);
    CHECK(lay.lines[1].first == 4 && lay.lines[1].count == 4);
    CHECK(lay.lines[2].first == 8 && lay.lines[2].count == 1);
    CHECK(lay.glyphs[5].x == 20 && lay.glyphs[7].x == 60 && lay.glyphs[8].x == 0);
    CHECK(lay.lines[0].width == 80 && lay.lines[2].width == 20 && lay.width == 80);
    CHECK(!lay.truncated && lay.glyph_count == 9);
    lay = layout("元宇宙体验展示中心", 79, 0);
    EXPECT_LINES(lay, "元宇宙", "体验展", "示中心");
}

static void test_kinsoku(void)
{
    /* ，and 。never start a line: the character before them comes along */
    mh_layout lay = layout("中文中文，中文。", 80, 0);
    EXPECT_LINES(lay, "中文中", "文，中", "文。");
    lay = layout("展厅，展厅。", 40, 0);
    EXPECT_LINES(lay, "展", "厅，", "展", "厅。");
    /* （ never ends a line */
    lay = layout("中文中（中文）", 80, 0);
    EXPECT_LINES(lay, "中文中", "（中文）");
    lay = layout("展《元宇宙》", 40, 0); /* 《 goes down with 元, 》 with 宙 */
    EXPECT_LINES(lay, "展", "《元", "宇", "宙》");
    /* ASCII: no break after ( even across a space, none before , or ) */
    lay = layout("abc (def)", 50, 0);
    EXPECT_LINES(lay, "abc", "(def)");
    lay = layout("ab ,cd", 30, 0);
    EXPECT_LINES(lay, "ab", ",cd"); /* emergency: nowhere else to break */
    lay = layout("“元宇宙”展厅", 100, 0);
    EXPECT_LINES(lay, "“元宇宙”", "展厅");
}

static void test_mixed_scripts(void)
{
    mh_layout lay = layout("元宇宙VR产业", 80, 0); /* break after R */
    EXPECT_LINES(lay, "元宇宙VR", "产业");
    lay = layout("元宇宙VR产业", 70, 0); /* break before V */
    EXPECT_LINES(lay, "元宇宙", "VR产业");
    /* an emergency break in the Latin word, then mixed breaks */
    lay = layout("Qiantang钱塘VR产业园", 70, 0);
    EXPECT_LINES(lay, "Qiantan", "g钱塘VR", "产业园");
    lay = layout("Qiantang钱塘VR产业园", 100, 0);
    EXPECT_LINES(lay, "Qiantang钱", "塘VR产业园");
    CHECK(lay.lines[1].width == 100);
}

static void test_english_wrap(void)
{
    mh_layout lay = layout("Visit the hall today", 100, 0);
    EXPECT_LINES(lay, "Visit the", "hall today");
    CHECK(lay.lines[0].width == 90 && lay.lines[1].width == 100);
    /* spaces at the break are dropped: not drawn, not counted */
    lay = layout("Visit   the hall", 100, 0);
    EXPECT_LINES(lay, "Visit", "the hall");
    CHECK(lay.lines[0].count == 5 && lay.lines[0].width == 50);
    CHECK(lay.lines[1].first == 5 && lay.glyphs[5].cp == 't' && lay.glyphs[5].x == 0);
    lay = layout("abc   ", 100, 0); /* trailing spaces at the end of the text */
    EXPECT_LINES(lay, "abc");
    CHECK(lay.lines[0].width == 30);
    lay = layout("  ab", 100, 0); /* a paragraph's leading spaces are kept */
    EXPECT_LINES(lay, "  ab");
    CHECK(lay.glyphs[2].x == 20 && lay.width == 40);
    lay = layout("     ab", 50, 0); /* ... unless they leave no room for a glyph */
    EXPECT_LINES(lay, "ab");
    lay = layout("    ab", 50, 0);
    EXPECT_LINES(lay, "    a", "b");
    lay = layout("a\tb", 0, 0); /* a tab is a space */
    EXPECT_LINES(lay, "a b");
    lay = layout("aaaa bbbb", 40, 0); /* the space itself overflows: no empty line */
    EXPECT_LINES(lay, "aaaa", "bbbb");
}

static void test_numbers(void)
{
    mh_layout lay = layout("营收525.8亿元", 100, 0);
    EXPECT_LINES(lay, "营收", "525.8亿元");
    lay = layout("营收525.8亿元", 120, 0);
    EXPECT_LINES(lay, "营收525.8亿", "元");
    lay = layout("共1,000家", 80, 0);
    EXPECT_LINES(lay, "共", "1,000家");
    lay = layout("增长50%", 60, 0);
    EXPECT_LINES(lay, "增长", "50%");
    lay = layout("速度5G网络", 50, 0);
    EXPECT_LINES(lay, "速度", "5G网", "络");
    /* a date or a compound amount stays whole: no break between a unit and the digits after it */
    lay = layout("报告2022年1月11日", 140, 0);
    EXPECT_LINES(lay, "报告", "2022年1月11日");
    lay = layout("用时1时30分", 80, 0);
    EXPECT_LINES(lay, "用时", "1时30分");
    lay = layout("64家企业", 50, 0); /* a unit before a CJK character still breaks after it */
    EXPECT_LINES(lay, "64家", "企业");
    lay = layout("第1 2名", 40, 0); /* a space between them breaks as ever */
    EXPECT_LINES(lay, "第1", "2名");
    /* U+00A0 is drawn as a space and never breaks */
    lay = layout("There are 64\xC2\xA0"
                 "companies",
                 150, 0);
    EXPECT_LINES(lay, "There are", "64 companies");
    CHECK(lay.lines[1].width == 120);
    /* after a space a number may start a line */
    lay = layout("about 64 parks", 80, 0);
    EXPECT_LINES(lay, "about 64", "parks");
}

/* A long URL breaks after a '/' rather than inside a word; a fraction or a
 * date with slashes does not break at them. */
static void test_urls(void)
{
    mh_layout lay = layout("https://metahall.example/exhibits/xiamen", 340, 0);
    EXPECT_LINES(lay, "https://metahall.example/exhibits/", "xiamen");
    lay = layout("https://metahall.example/exhibits/xiamen", 200, 0);
    EXPECT_LINES(lay, "https://", "metahall.example/", "exhibits/xiamen");
    lay = layout("page 1/2", 70, 0);
    EXPECT_LINES(lay, "page", "1/2");
    lay = layout("on 2022/05/20", 110, 0);
    EXPECT_LINES(lay, "on", "2022/05/20");
}

static void test_emergency_break(void)
{
    mh_layout lay = layout("Supercalifragilistic", 50, 0);
    EXPECT_LINES(lay, "Super", "calif", "ragil", "istic");
    lay = layout("Supercalifragilistic", 5, 0); /* narrower than one glyph: one a line */
    CHECK(lay.line_count == 20 && geometry_ok(&lay, fake_advance, NULL));
    for (int i = 0; i < lay.line_count; i++)
        CHECK(lay.lines[i].count == 1 && lay.lines[i].width == 10);
    lay = layout("a 1234567890", 50, 0);
    EXPECT_LINES(lay, "a", "12345", "67890");
}

static void test_max_lines(void)
{
    mh_layout lay = layout("元宇宙体验展示中心", 80, 2);
    EXPECT_LINES(lay, "元宇宙体", "验展示…");
    CHECK(lay.truncated && lay.lines[1].width == 80 && lay.glyphs[7].cp == 0x2026);
    lay = layout("元宇宙体验展示中心", 80, 3); /* fits exactly: no ellipsis */
    EXPECT_LINES(lay, "元宇宙体", "验展示中", "心");
    CHECK(!lay.truncated);
    lay = layout("Visit the hall today", 100, 1);
    EXPECT_LINES(lay, "Visit th…");
    CHECK(lay.truncated && lay.width == 100);
    lay = layout("Visit the hall today", 120, 1);
    EXPECT_LINES(lay, "Visit the…");
    lay = layout("ab cd ef", 50, 1); /* no space before the ellipsis */
    EXPECT_LINES(lay, "ab…");
    lay = layout("abc\ndef", 100, 1);
    EXPECT_LINES(lay, "abc…");
    CHECK(lay.truncated);
    lay = layout("abc\n", 100, 1);
    EXPECT_LINES(lay, "abc");
    CHECK(!lay.truncated);
    lay = layout("元宇宙体验展示中心", 0, 1); /* no wrapping: only a \n needs a new line */
    EXPECT_LINES(lay, "元宇宙体验展示中心");
    CHECK(!lay.truncated);
    lay = layout("元宇宙\n体验", 0, 1);
    EXPECT_LINES(lay, "元宇宙…");
    lay = layout("元宇宙体验", 10, 1); /* even the ellipsis alone is too wide */
    EXPECT_LINES(lay, "…");
    CHECK(lay.truncated);
}

/* Lays text out into heap arrays of exactly these sizes, so ASan sees any overflow. */
static mh_layout layout_small(const char *text, float max_width, int glyph_cap, int line_cap)
{
    mh_layout lay = {.glyphs = malloc(sizeof(mh_layout_glyph) * (size_t)(glyph_cap ? glyph_cap : 1)),
                     .glyph_cap = glyph_cap,
                     .lines = malloc(sizeof(mh_layout_line) * (size_t)(line_cap ? line_cap : 1)),
                     .line_cap = line_cap};
    CHECK(mh_layout_text(&(mh_layout_desc){.text = text, .max_width = max_width, .advance = fake_advance}, &lay));
    CHECK(lay.glyph_count <= glyph_cap && lay.line_count <= line_cap);
    return lay;
}

static void free_small(mh_layout *lay)
{
    free(lay->glyphs);
    free(lay->lines);
}

static void test_small_arrays(void)
{
    mh_layout lay = layout_small("元宇宙体验展示中心", 0, 5, 4);
    EXPECT_LINES(lay, "元宇宙体…");
    CHECK(lay.truncated && lay.glyph_count == 5);
    free_small(&lay);
    lay = layout_small("元宇宙体验展示中心", 40, 64, 2);
    EXPECT_LINES(lay, "元宇", "宙…");
    CHECK(lay.truncated);
    free_small(&lay);
    lay = layout_small("abc\ndef", 0, 3, 4); /* full after line 1: it takes the ellipsis */
    EXPECT_LINES(lay, "ab…");
    CHECK(lay.truncated);
    free_small(&lay);
    lay = layout_small("abc def", 0, 4, 4); /* full on a space */
    EXPECT_LINES(lay, "abc…");
    free_small(&lay);
    lay = layout_small("abc", 0, 3, 1); /* exactly enough */
    EXPECT_LINES(lay, "abc");
    CHECK(!lay.truncated);
    free_small(&lay);
    lay = layout_small("abc", 0, 0, 4);
    CHECK(lay.line_count == 0 && lay.glyph_count == 0 && lay.truncated);
    free_small(&lay);
    lay = layout_small("abc", 0, 8, 0);
    CHECK(lay.line_count == 0 && lay.glyph_count == 0 && lay.truncated);
    free_small(&lay);
    lay = layout_small("a\n\n\n\nb", 0, 8, 2);
    CHECK(lay.line_count == 2 && lay.truncated);
    free_small(&lay);
}

static void test_empty_and_bad_arguments(void)
{
    mh_layout lay = layout("", 100, 0);
    CHECK(lay.line_count == 0 && lay.glyph_count == 0 && !lay.truncated && lay.width == 0);
    lay = layout(NULL, 100, 0);
    CHECK(lay.line_count == 0 && lay.glyph_count == 0 && !lay.truncated);
    mh_layout_desc d = {.text = "abc", .advance = fake_advance};
    lay = (mh_layout){.glyphs = g_glyphs, .glyph_cap = 256, .lines = g_lines, .line_cap = 64};
    CHECK(!mh_layout_text(&d, NULL));
    CHECK(!mh_layout_text(NULL, &lay));
    CHECK(!mh_layout_text(&(mh_layout_desc){.text = "abc"}, &lay));
    CHECK(lay.line_count == 0);
    lay.glyphs = NULL;
    CHECK(!mh_layout_text(&d, &lay));
    lay = (mh_layout){.glyphs = g_glyphs, .glyph_cap = 256, .lines = NULL, .line_cap = 64};
    CHECK(!mh_layout_text(&d, &lay));
    lay = (mh_layout){.glyphs = g_glyphs, .glyph_cap = -1, .lines = g_lines, .line_cap = 64};
    CHECK(!mh_layout_text(&d, &lay));
}

static void test_newlines(void)
{
    mh_layout lay = layout("\n\n", 100, 0);
    EXPECT_LINES(lay, "", "");
    CHECK(lay.lines[0].count == 0 && lay.lines[1].count == 0 && lay.width == 0);
    lay = layout("a\n\nb", 100, 0);
    EXPECT_LINES(lay, "a", "", "b");
    CHECK(lay.lines[1].first == 1 && lay.lines[1].count == 0 && lay.lines[2].first == 1);
    lay = layout("a\n", 100, 0);
    EXPECT_LINES(lay, "a");
    lay = layout("a  \r\nb", 100, 0); /* CR LF: the CR is a space, dropped */
    EXPECT_LINES(lay, "a", "b");
    lay = layout("   ", 100, 0);
    EXPECT_LINES(lay, "");
}

static void test_invalid_utf8(void)
{
    mh_layout lay = layout("\xff", 100, 0);
    EXPECT_LINES(lay, "\xEF\xBF\xBD");
    CHECK(lay.glyphs[0].cp == 0xFFFD && lay.width == 20);
    lay = layout("a\xe6\x9d", 100, 0); /* truncated at the end: one U+FFFD a byte */
    EXPECT_LINES(lay, "a\xEF\xBF\xBD\xEF\xBF\xBD");
    lay = layout("\xc0\xaf", 100, 0); /* overlong '/' */
    EXPECT_LINES(lay, "\xEF\xBF\xBD\xEF\xBF\xBD");
    lay = layout("\xed\xa0\x80", 100, 0); /* surrogate */
    CHECK(lay.line_count == 1 && lay.glyph_count == 3);
    for (int i = 0; i < lay.glyph_count; i++)
        CHECK(lay.glyphs[i].cp == 0xFFFD);
    /* the same at the very end of a heap block, wrapping */
    const char *tail = "元宇宙\xe6\x9d";
    char *buf = malloc(strlen(tail) + 1);
    memcpy(buf, tail, strlen(tail) + 1);
    lay = layout(buf, 40, 0);
    CHECK(lay.line_count == 3 && lay.glyph_count == 5 && geometry_ok(&lay, fake_advance, NULL));
    free(buf);
}

/* A manifest with invalid UTF-8 in its text loads, and its text lays out
 * with U+FFFD where the bad bytes were: a panel shows a mark, never crashes. */
static void test_invalid_utf8_manifest(void)
{
    const char *text =
        "{\"format\":\"metahall-exhibit/1\",\"id\":\"t\",\"name_zh\":\"钱\xff塘\",\"name_en\":\"Q\xc0\xafx\"}";
    mh_arena a = {0};
    mh_exhibit_desc x;
    mh_error e = {0};
    bool ok = mh_exhibit_parse(text, strlen(text), "t/exhibit.json", "t", &a, &x, &e);
    if (!ok) { /* refusing is fine too, as long as the error is located */
        CHECK(strcmp(e.file, "t/exhibit.json") == 0 && e.message[0]);
    } else {
        mh_layout lay = layout(x.name_zh, 1000, 0);
        EXPECT_LINES(lay, "钱\xEF\xBF\xBD塘");
        lay = layout(x.name_en, 1000, 0);
        EXPECT_LINES(lay, "Q\xEF\xBF\xBD\xEF\xBF\xBDx");
    }
    mh_arena_free(&a);
}

static void test_no_wrapping(void)
{
    mh_layout lay = layout("Visit the hall today\n元宇宙体验展示中心", 0, 0);
    EXPECT_LINES(lay, "Visit the hall today", "元宇宙体验展示中心");
    CHECK(lay.width == 200);
    lay = layout("Visit the hall today", -5, 0);
    EXPECT_LINES(lay, "Visit the hall today");
}

typedef struct font_px {
    mh_font *font;
    int px;
} font_px;

/* The real font's advance of one code point, through mh_font_measure. */
static float font_advance(void *user, uint32_t cp)
{
    const font_px *f = user;
    char buf[5];
    buf[mh_utf8_encode(cp, buf)] = '\0';
    return (float)mh_font_measure(f->font, buf, f->px);
}

static void test_real_font(void)
{
    const char *paths[] = {WQY_PATH};
    mh_error err;
    font_px f = {mh_font_open(paths, 1, &err), 32};
    if (!f.font) {
        printf("test_layout: %s not found, real-font case skipped\n", WQY_PATH);
        return;
    }
    const char *fact = "杭州钱塘元宇宙新天地已集聚元宇宙相关企业64家，2022年实现营收525.8亿元，"
                       "Hangzhou Qiantang Metaverse Park hosts 64\xC2\xA0"
                       "companies.";
    mh_layout lay = layout_with(fact, 400, 0, font_advance, &f);
    CHECK(lay.line_count > 1 && !lay.truncated);
    CHECK(geometry_ok(&lay, font_advance, &f));
    char buf[512];
    for (int i = 0; i < lay.line_count; i++) {
        CHECK(lay.lines[i].width <= 400 && lay.lines[i].count > 0);
        /* no kerning: the line measures as the sum of its glyphs */
        CHECK(mh_font_measure(f.font, line_text(&lay, i, buf, sizeof buf), f.px) == (int)lay.lines[i].width);
        if (i > 0)
            CHECK(lay.glyphs[lay.lines[i].first].cp != 0xFF0C); /* no line starts with ， */
    }
    mh_font_close(&f.font);
}

/* Distance fields for the signs (text/mh_sdf): a covered square's field is
 * 128 on its outline, rises inside and falls outside by 127 / spread a
 * pixel, saturating beyond spread; a half-covered pixel is on the outline.
 * Then a real glyph from the font: its field and metrics. */
static void test_sign_fields(void)
{
    enum { N = 20, S = 4, W = N + 2 * S };
    static uint8_t square[N * N], field[W * W];
    memset(square, 255, sizeof square);
    square[0] = 128; /* a corner half covered */
    CHECK(mh_sdf_from_coverage(square, N, N, N, S, field));
    int row = (W / 2) * W;
    CHECK(field[row + W / 2] == 255);                        /* the middle, 10 pixels deep */
    CHECK(field[0] == 0);                                    /* a corner of the margin, far outside */
    CHECK(field[row + S - 1] < 128 && field[row + S] > 128); /* the outline between them */
    CHECK(abs((int)field[row + S - 1] - (128 - 16)) <= 1);   /* half a pixel out: -127 / 4 / 2 */
    CHECK(abs((int)field[row + S] - (128 + 16)) <= 1);
    CHECK(abs((int)field[S * W + S] - 128) <= 1); /* the half-covered corner */
    bool rising = true;
    for (int x = 1; x <= W / 2; x++)
        rising = rising && field[row + x] >= field[row + x - 1];
    CHECK(rising);
    const char *paths[] = {WQY_PATH};
    mh_error err;
    mh_font *font = mh_font_open(paths, 1, &err);
    if (!font) {
        printf("test_sign_fields: no %s, the font part skipped\n", WQY_PATH);
        return;
    }
    mh_sign_text text = mh_font_sign_sdf(font);
    mh_sign_glyph g;
    CHECK(text.glyph && text.glyph_px > 0 && text.ascender > 0 && text.descender > 0);
    /* the font hands over coverage and how to make its field (the scene does, mh_scene_signs.c) */
    CHECK(text.glyph(text.font, 0x4E2D, &g) && g.coverage && !g.sdf && g.width > text.glyph_px / 2 &&
          g.height > text.glyph_px / 2);
    CHECK(g.spread > 0 && g.width == g.coverage_w + 2 * g.spread && g.height == g.coverage_h + 2 * g.spread);
    CHECK(g.advance > text.glyph_px * 0.8f && g.top > 0 && g.top - g.height < 0); /* 中 spans the baseline's top */
    uint8_t *sdf = malloc((size_t)g.width * (size_t)g.height);
    CHECK(text.field && sdf && text.field(g.coverage, g.coverage_w, g.coverage_h, g.coverage_pitch, g.spread, sdf));
    int inside = 0, outside = 0;
    for (int y = 0; sdf && y < g.height; y++)
        for (int x = 0; x < g.width; x++) {
            inside += sdf[y * g.width + x] > 128;
            outside += sdf[y * g.width + x] == 0;
        }
    CHECK(inside > 0 && outside > 0);
    free(sdf);
    CHECK(text.glyph(text.font, ' ', &g) && !g.sdf && !g.coverage && g.advance > 0); /* a space: an advance */
    mh_font_close(&font);
}

/* A hanging indent: the lines a paragraph wraps into start `hang` in (x
 * and width include it, the width check too); a paragraph after \n starts
 * at 0; a hang of half the width or more is ignored. */
/* The lines' texts, without EXPECT_LINES' geometry (x from 0). */
static bool texts_are(const mh_layout *lay, int n, const char *const *want)
{
    char buf[256];
    bool ok = lay->line_count == n;
    for (int i = 0; ok && i < n; i++)
        ok = !strcmp(line_text(lay, i, buf, sizeof buf), want[i]);
    return ok;
}

static void test_hanging_indent(void)
{
    mh_layout lay = {.glyphs = g_glyphs, .glyph_cap = 256, .lines = g_lines, .line_cap = 64};
    mh_layout_desc d = {.text = "* aaa bbb ccc ddd\neee fff", .max_width = 100, .hang = 20, .advance = fake_advance};
    CHECK(mh_layout_text(&d, &lay));
    CHECK(texts_are(&lay, 3, (const char *[]){"* aaa bbb", "ccc ddd", "eee fff"}));
    if (lay.line_count == 3) {
        CHECK(lay.glyphs[lay.lines[0].first].x == 0);
        CHECK(lay.glyphs[lay.lines[1].first].x == 20 && lay.lines[1].width == 90); /* wrapped: hangs */
        CHECK(lay.glyphs[lay.lines[2].first].x == 0 && lay.lines[2].width == 70);  /* a new paragraph */
    }
    d = (mh_layout_desc){.text = "* aaa bbb ccc", .max_width = 60, .hang = 20, .advance = fake_advance};
    CHECK(mh_layout_text(&d, &lay));
    CHECK(texts_are(&lay, 3, (const char *[]){"* aaa", "bbb", "ccc"})); /* "bbb ccc": 90 with the hang */
    if (lay.line_count == 3)
        CHECK(lay.lines[1].width == 50 && lay.lines[2].width == 50);
    d.hang = 30; /* half of 60: ignored */
    CHECK(mh_layout_text(&d, &lay));
    CHECK(texts_are(&lay, 3, (const char *[]){"* aaa", "bbb", "ccc"}));
    if (lay.line_count == 3)
        CHECK(lay.glyphs[lay.lines[1].first].x == 0 && lay.lines[1].width == 30);
}

/* Balanced lines: the narrowest width that keeps the line count, so the
 * lines come out as even as they go; one line, or a cut, stays as it is. */
static void test_balance(void)
{
    mh_layout lay = {.glyphs = g_glyphs, .glyph_cap = 256, .lines = g_lines, .line_cap = 64};
    mh_layout_desc d = {.text = "电子制造", .max_width = 70, .advance = fake_advance};
    CHECK(mh_layout_text(&d, &lay));
    EXPECT_LINES(lay, "电子制", "造"); /* greedy */
    d.balance = true;
    CHECK(mh_layout_text(&d, &lay));
    EXPECT_LINES(lay, "电子", "制造");
    d.text = "aa bb cc dd";
    d.max_width = 100;
    CHECK(mh_layout_text(&d, &lay));
    EXPECT_LINES(lay, "aa bb", "cc dd");
    CHECK(!lay.split_word && lay.width == 50);
    d.text = "aaa bbb ccc"; /* "aaa" / "bbb ccc" would be 3 lines under 70: the greedy pair stays */
    CHECK(mh_layout_text(&d, &lay));
    EXPECT_LINES(lay, "aaa bbb", "ccc");
    d.text = "aa bb cc dd"; /* fits on one line: nothing to balance */
    d.max_width = 200;
    CHECK(mh_layout_text(&d, &lay));
    EXPECT_LINES(lay, "aa bb cc dd");
    d.text = "aa bb cc dd ee ff"; /* cut at two lines: kept as cut */
    d.max_width = 60;
    d.max_lines = 2;
    CHECK(mh_layout_text(&d, &lay));
    CHECK(lay.truncated && lay.line_count == 2);
}

int main(void)
{
    test_sign_fields();
    test_utf8_decode();
    test_utf8_encode();
    test_cjk_exact_width();
    test_kinsoku();
    test_mixed_scripts();
    test_english_wrap();
    test_numbers();
    test_hanging_indent();
    test_balance();
    test_urls();
    test_emergency_break();
    test_max_lines();
    test_small_arrays();
    test_empty_and_bad_arguments();
    test_newlines();
    test_invalid_utf8();
    test_invalid_utf8_manifest();
    test_no_wrapping();
    test_real_font();
    return mh_test_done("test_layout");
}
