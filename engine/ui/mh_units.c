/* mh_units.c - amounts in Chinese and English (see mh_units.h): magnitudes
 * in Chinese units, English scales, thousands separators, bounds. */
#include "mh_units.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

mh_amount mh_fact_amount(const mh_fact *f)
{
    static const mh_units_bound bounds[] =
        {[MH_FACT_EXACT] = MH_UNITS_EXACT, [MH_FACT_AT_LEAST] = MH_UNITS_AT_LEAST, [MH_FACT_ABOUT] = MH_UNITS_ABOUT};
    return (mh_amount){.value = f->value, .unit_zh = f->unit_zh, .unit_en = f->unit_en, .bound = bounds[f->bound]};
}

double mh_units_magnitude(const char *unit_zh, const char **base_zh)
{
    static const struct {
        const char *prefix;
        double magnitude;
    } prefixes[] = {
        {"万亿", 1e12},
        {"亿", 1e8},
        {"万", 1e4},
    };
    const char *u = unit_zh ? unit_zh : "";
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
        size_t n = strlen(prefixes[i].prefix);
        if (!strncmp(u, prefixes[i].prefix, n)) {
            if (base_zh)
                *base_zh = u + n;
            return prefixes[i].magnitude;
        }
    }
    if (base_zh)
        *base_zh = u;
    return 1.0;
}

mh_units_scale mh_units_scale_for(double base_value)
{
    double v = fabs(base_value);
    if (v >= 1e12)
        return (mh_units_scale){1e12, "trillion"};
    if (v >= 1e9)
        return (mh_units_scale){1e9, "billion"};
    if (v >= 1e6)
        return (mh_units_scale){1e6, "million"};
    return (mh_units_scale){1, ""};
}

mh_units_scale mh_units_scale_range(double lo, double hi)
{
    mh_units_scale s = mh_units_scale_for(hi);
    lo = fabs(lo);
    while (s.divisor > 1 && lo > 0 && lo / s.divisor < 1 && fabs(hi) / (s.divisor / 1000) < 10000)
        s = mh_units_scale_for(s.divisor / 1000);
    return s;
}

mh_units_scale mh_units_scale_of(const mh_amount *a)
{
    return mh_units_scale_for(a->value * mh_units_magnitude(a->unit_zh, NULL));
}

/* Digits with two decimals at most, trailing zeros dropped. */
static void plain(double v, char *out, size_t size)
{
    snprintf(out, size, "%.2f", v);
    char *dot = strchr(out, '.');
    if (!dot)
        return;
    char *end = out + strlen(out) - 1;
    while (end > dot && *end == '0')
        *end-- = '\0';
    if (end == dot)
        *end = '\0';
}

void mh_units_number(double v, bool grouped, char *out, size_t size)
{
    char digits[64];
    plain(v, digits, sizeof digits);
    if (!grouped || size == 0) {
        snprintf(out, size, "%s", digits);
        return;
    }
    const char *start = digits[0] == '-' ? digits + 1 : digits;
    const char *dot = strchr(start, '.');
    size_t whole = dot ? (size_t)(dot - start) : strlen(start), n = 0;
    char buf[96];
    if (start != digits)
        buf[n++] = '-';
    for (size_t i = 0; i < whole; i++) {
        if (i > 0 && (whole - i) % 3 == 0)
            buf[n++] = ',';
        buf[n++] = start[i];
    }
    snprintf(buf + n, sizeof buf - n, "%s", dot ? dot : "");
    snprintf(out, size, "%s", buf);
}

/* A unit written right after the number, with no space: 50%. */
static bool tight(const char *unit) { return unit && (unit[0] == '%' || !strncmp(unit, "\xE2\x80\xB0", 3)); }

static void format_zh(const mh_amount *a, const mh_units_style *s, char *out, size_t size)
{
    char num[64];
    mh_units_number(a->value, false, num, sizeof num);
    const char *unit = s->with_unit && a->unit_zh ? a->unit_zh : "";
    const char *pre = "", *post = "";
    if (s->with_bound && a->bound == MH_UNITS_ABOUT)
        pre = s->with_unit ? "约" : "≈";
    if (s->with_bound && a->bound == MH_UNITS_AT_LEAST)
        post = s->with_unit ? "以上" : "+";
    snprintf(out, size, "%s%s%s%s", pre, num, unit, post);
}

static void format_en(const mh_amount *a, const mh_units_style *s, char *out, size_t size)
{
    mh_units_scale own = mh_units_scale_of(a);
    const mh_units_scale *sc = s->scale ? s->scale : &own;
    double v = a->value * mh_units_magnitude(a->unit_zh, NULL) / sc->divisor;
    char num[64];
    mh_units_number(v, true, num, sizeof num);
    const char *pre = "";
    if (s->with_bound && a->bound == MH_UNITS_ABOUT)
        pre = s->with_unit ? "about " : "≈";
    if (s->with_bound && a->bound == MH_UNITS_AT_LEAST)
        pre = s->with_unit ? "at least " : "";
    const char *post = s->with_bound && !s->with_unit && a->bound == MH_UNITS_AT_LEAST ? "+" : "";
    if (!s->with_unit) {
        snprintf(out, size, "%s%s%s", pre, num, post);
        return;
    }
    const char *unit = a->unit_en ? a->unit_en : "";
    /* U+00A0 keeps the number, its scale and its unit on one line */
    const char *gap1 = sc->word[0] ? "\xC2\xA0" : "";
    const char *gap2 = unit[0] && !tight(unit) ? "\xC2\xA0" : "";
    snprintf(out, size, "%s%s%s%s%s%s", pre, num, gap1, sc->word, gap2, unit);
}

void mh_units_format(const mh_amount *a, mh_lang lang, const mh_units_style *style, char *out, size_t size)
{
    mh_units_style s = style ? *style : (mh_units_style){.with_unit = true, .with_bound = true};
    if (lang == MH_LANG_ZH)
        format_zh(a, &s, out, size);
    else
        format_en(a, &s, out, size);
}

void mh_units_axis(const char *unit_zh, const char *unit_en, mh_lang lang, const mh_units_scale *scale, char *out,
                   size_t size)
{
    if (lang == MH_LANG_ZH) {
        snprintf(out, size, "%s", unit_zh ? unit_zh : "");
        return;
    }
    const char *word = scale ? scale->word : "", *unit = unit_en ? unit_en : "";
    snprintf(out, size, "%s%s%s", word, word[0] && unit[0] ? " " : "", unit);
}
