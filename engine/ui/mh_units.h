/* mh_units.h - how an exhibit's amounts read, in Chinese and in English:
 * the one place the content rule lives (mh_units.c).
 *
 * Chinese writes amounts with a magnitude in the unit: 525.8亿元, 22万人,
 * 1.5万亿美元. English has no word for 亿 (100 million) or 万 (10,000), so
 * an English amount is the value in base units, written with million,
 * billion or trillion: 525.8亿元 reads "52.58 billion yuan", 22万人 "220,000
 * people", 200万元 "2 million yuan". In a manifest the fact's unit_zh
 * carries the magnitude (万, 亿, 万亿 before the base unit: 亿元, 万台) and
 * unit_en names the base unit alone ("yuan", "servers").
 *
 * A chart shows several amounts on one axis: mh_units_scale_for picks one
 * scale for all of them (from the largest) and mh_units_format writes each
 * in it, so the axis says "billion yuan" once and the bars read 1, 5, 10. */
#ifndef MH_UNITS_H
#define MH_UNITS_H

#include <stdbool.h>
#include <stddef.h>

#include "../asset/mh_facts.h"
#include "mh_ui_types.h"

typedef enum mh_units_bound { MH_UNITS_EXACT, MH_UNITS_AT_LEAST, MH_UNITS_ABOUT } mh_units_bound;

/* One amount as a manifest gives it. */
typedef struct mh_amount {
    double value;
    const char *unit_zh, *unit_en; /* NULL for a bare number */
    mh_units_bound bound;          /* 以上 (at least), 约 (about) */
} mh_amount;

/* The English scale an amount is written in: the value is divided by
 * divisor and followed by word ("" below a million). */
typedef struct mh_units_scale {
    double divisor;
    const char *word; /* "", "million", "billion", "trillion" */
} mh_units_scale;

/* A fact's value, unit and bound as an amount. */
mh_amount mh_fact_amount(const mh_fact *f);

/* The magnitude a Chinese unit starts with (万 10^4, 亿 10^8, 万亿 10^12;
 * 1 when none) and, in *base_zh, the unit after it ("元" for 亿元). */
double mh_units_magnitude(const char *unit_zh, const char **base_zh);
/* The English scale for an amount whose value in base units is base_value. */
mh_units_scale mh_units_scale_for(double base_value);
/* One scale for amounts from lo to hi (base units, lo <= hi): the largest's,
 * or one smaller when that keeps the smallest from reading below 1 and the
 * largest under 10,000 (350, 550, 1,500 billion rather than 0.35, 0.55, 1.5
 * trillion). */
mh_units_scale mh_units_scale_range(double lo, double hi);
/* The scale of an amount: from its own size. */
mh_units_scale mh_units_scale_of(const mh_amount *a);

/* What to write. */
typedef struct mh_units_style {
    bool with_unit;              /* the unit after the number (false: the number alone, for chart bars) */
    bool with_bound;             /* "about", "at least" / 约, 以上 (short marks ≈ and + when !with_unit) */
    const mh_units_scale *scale; /* English: NULL = the amount's own scale */
} mh_units_style;

/* The one formatting function: "52.58 billion yuan", "at least 10
 * companies", "about 70 schools", "50%", "525.8亿元", "10家以上", "约70个".
 * English numbers have thousands separators (20,000) and the number and its
 * unit are joined by U+00A0 so a line never breaks between them. */
void mh_units_format(const mh_amount *a, mh_lang lang, const mh_units_style *style, char *out, size_t size);
/* The unit of an axis in a scale: "亿元" in Chinese, "billion yuan" in English. */
void mh_units_axis(const char *unit_zh, const char *unit_en, mh_lang lang, const mh_units_scale *scale, char *out,
                   size_t size);
/* A number without trailing zeros, at most two decimals: 525.8, 64, 0.25;
 * thousands separated by commas when grouped (20,000). */
void mh_units_number(double v, bool grouped, char *out, size_t size);

#endif
