/* test_units.c - amounts in Chinese and English (engine/ui/mh_units.c): the
 * magnitudes in Chinese units (万, 亿, 万亿), English scales (million,
 * billion, trillion), thousands separators, bounds, chart scales shared by
 * several amounts, and the axis caption. */
#include <string.h>

#include "mh_test.h"
#include "ui/mh_units.h"

#define NBSP "\xC2\xA0"

static const char *fmt(double v, const char *zh, const char *en, mh_units_bound b, mh_lang lang)
{
    static char out[160];
    mh_amount a = {.value = v, .unit_zh = zh, .unit_en = en, .bound = b};
    mh_units_format(&a, lang, NULL, out, sizeof out);
    return out;
}

#define EXPECT(got, want)                                                                        \
    do {                                                                                         \
        const char *g_ = (got);                                                                  \
        if (strcmp(g_, (want)) != 0)                                                             \
            fprintf(stderr, "%s:%d: got \"%s\", want \"%s\"\n", __FILE__, __LINE__, g_, (want)); \
        CHECK(strcmp(g_, (want)) == 0);                                                          \
    } while (0)

static void test_magnitudes(void)
{
    const char *base = NULL;
    CHECK_NEAR(mh_units_magnitude("亿元", &base), 1e8, 0);
    EXPECT(base, "元");
    CHECK_NEAR(mh_units_magnitude("万亿美元", &base), 1e12, 0);
    EXPECT(base, "美元");
    CHECK_NEAR(mh_units_magnitude("万人", &base), 1e4, 0);
    EXPECT(base, "人");
    CHECK_NEAR(mh_units_magnitude("家", &base), 1, 0);
    EXPECT(base, "家");
    CHECK_NEAR(mh_units_magnitude(NULL, &base), 1, 0);
    EXPECT(base, "");
}

/* The example and the shipped exhibits' amounts. */
static void test_english_amounts(void)
{
    EXPECT(fmt(525.8, "亿元", "yuan", MH_UNITS_EXACT, MH_LANG_EN), "52.58" NBSP "billion" NBSP "yuan");
    EXPECT(fmt(50, "亿元", "yuan", MH_UNITS_EXACT, MH_LANG_EN), "5" NBSP "billion" NBSP "yuan");
    EXPECT(fmt(1000, "亿元", "yuan", MH_UNITS_EXACT, MH_LANG_EN), "100" NBSP "billion" NBSP "yuan");
    EXPECT(fmt(3, "亿元", "yuan", MH_UNITS_EXACT, MH_LANG_EN), "300" NBSP "million" NBSP "yuan");
    EXPECT(fmt(15000, "亿元", "yuan", MH_UNITS_AT_LEAST, MH_LANG_EN), "at least 1.5" NBSP "trillion" NBSP "yuan");
    EXPECT(fmt(200, "万元", "yuan", MH_UNITS_EXACT, MH_LANG_EN), "2" NBSP "million" NBSP "yuan");
    EXPECT(fmt(22, "万人", "people", MH_UNITS_EXACT, MH_LANG_EN), "220,000" NBSP "people");
    EXPECT(fmt(417, "万人", "people", MH_UNITS_EXACT, MH_LANG_EN), "4.17" NBSP "million" NBSP "people");
    EXPECT(fmt(16.58, "万台", "servers", MH_UNITS_EXACT, MH_LANG_EN), "165,800" NBSP "servers");
    EXPECT(fmt(1.5, "万亿美元", "US dollars", MH_UNITS_EXACT, MH_LANG_EN), "1.5" NBSP "trillion" NBSP "US dollars");
    EXPECT(fmt(20000, NULL, "base stations", MH_UNITS_AT_LEAST, MH_LANG_EN), "at least 20,000" NBSP "base stations");
    EXPECT(fmt(64, "家", "companies", MH_UNITS_EXACT, MH_LANG_EN), "64" NBSP "companies");
    EXPECT(fmt(70, "个", "schools", MH_UNITS_ABOUT, MH_LANG_EN), "about 70" NBSP "schools");
    EXPECT(fmt(50, "%", "%", MH_UNITS_ABOUT, MH_LANG_EN), "about 50%");
    EXPECT(fmt(78.8, NULL, NULL, MH_UNITS_EXACT, MH_LANG_EN), "78.8");
    EXPECT(fmt(1234567.891, NULL, NULL, MH_UNITS_EXACT, MH_LANG_EN), "1.23" NBSP "million");
    EXPECT(fmt(-1500, NULL, NULL, MH_UNITS_EXACT, MH_LANG_EN), "-1,500");
}

static void test_chinese_amounts(void)
{
    EXPECT(fmt(525.8, "亿元", "yuan", MH_UNITS_EXACT, MH_LANG_ZH), "525.8亿元");
    EXPECT(fmt(10, "家", "companies", MH_UNITS_AT_LEAST, MH_LANG_ZH), "10家以上");
    EXPECT(fmt(70, "个", "schools", MH_UNITS_ABOUT, MH_LANG_ZH), "约70个");
    EXPECT(fmt(20000, NULL, "base stations", MH_UNITS_EXACT, MH_LANG_ZH), "20000");
    EXPECT(fmt(7.875, "万架", "racks", MH_UNITS_EXACT, MH_LANG_ZH), "7.88万架");
}

/* One scale for every bar of a chart, chosen from the largest. */
static void test_chart_scale(void)
{
    mh_amount big = {.value = 1000, .unit_zh = "亿元", .unit_en = "yuan"};
    mh_units_scale s = mh_units_scale_of(&big);
    CHECK_NEAR(s.divisor, 1e9, 0);
    EXPECT(s.word, "billion");
    mh_amount small = {.value = 10, .unit_zh = "亿元", .unit_en = "yuan", .bound = MH_UNITS_AT_LEAST};
    char out[64];
    mh_units_style bar = {.with_unit = false, .with_bound = true, .scale = &s};
    mh_units_format(&small, MH_LANG_EN, &bar, out, sizeof out);
    EXPECT(out, "1+");
    mh_units_format(&small, MH_LANG_ZH, &bar, out, sizeof out);
    EXPECT(out, "10+");
    small.bound = MH_UNITS_ABOUT;
    mh_units_format(&small, MH_LANG_EN, &bar, out, sizeof out);
    EXPECT(out, "≈1");
    mh_units_axis("亿元", "yuan", MH_LANG_EN, &s, out, sizeof out);
    EXPECT(out, "billion yuan");
    mh_units_axis("亿元", "yuan", MH_LANG_ZH, &s, out, sizeof out);
    EXPECT(out, "亿元");
    mh_units_scale one = mh_units_scale_for(999999);
    mh_units_axis("家", "companies", MH_LANG_EN, &one, out, sizeof out);
    EXPECT(out, "companies");
    CHECK_NEAR(mh_units_scale_for(1e6).divisor, 1e6, 0);
    /* a range: 350 to 1,500 billion reads in billions, not 0.35 to 1.5 trillion */
    mh_units_scale r = mh_units_scale_range(3.5e11, 1.5e12);
    EXPECT(r.word, "billion");
    r = mh_units_scale_range(1e9, 1e11); /* 1 to 100 billion: billions */
    EXPECT(r.word, "billion");
    r = mh_units_scale_range(1e5, 2e13); /* 20,000 billion would be too long: the largest's */
    EXPECT(r.word, "trillion");
    r = mh_units_scale_range(2e5, 5e6); /* 200,000 to 5,000,000: plain numbers */
    EXPECT(r.word, "");
    CHECK_NEAR(mh_units_scale_for(2e12).divisor, 1e12, 0);
}

static void test_numbers(void)
{
    char out[64];
    mh_units_number(0.25, true, out, sizeof out);
    EXPECT(out, "0.25");
    mh_units_number(1000, true, out, sizeof out);
    EXPECT(out, "1,000");
    mh_units_number(999, true, out, sizeof out);
    EXPECT(out, "999");
    mh_units_number(123456.5, true, out, sizeof out);
    EXPECT(out, "123,456.5");
    mh_units_number(123456.5, false, out, sizeof out);
    EXPECT(out, "123456.5");
    mh_units_number(2.0, true, out, sizeof out);
    EXPECT(out, "2");
    char tiny[4];
    mh_units_number(123456, true, tiny, sizeof tiny); /* cut, never past the buffer */
    EXPECT(tiny, "123");
}

int main(void)
{
    test_magnitudes();
    test_english_amounts();
    test_chinese_amounts();
    test_chart_scale();
    test_numbers();
    return mh_test_done("test_units");
}
