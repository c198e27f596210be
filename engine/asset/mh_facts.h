/* mh_facts.h - the content part of an exhibit manifest (mh_facts.c): facts
 * with values, units, dates and sources; bar charts over facts of one unit;
 * narration; images. The exhibit loader (mh_hall_load.c) calls it and keeps
 * what it read in the exhibit's description. */
#ifndef MH_FACTS_H
#define MH_FACTS_H

#include <stdbool.h>

#include "../core/mh_arena.h"

#define MH_EXHIBIT_ID_MAX 32

/* An id (of an exhibit, a fact, a source) is 1-31 characters of [a-z0-9_-]. */
bool mh_exhibit_id_valid(const char *id);

#define MH_CHART_MAX_BARS 12
#define MH_EXHIBIT_MAX_IMAGES 8

typedef enum mh_fact_bound { MH_FACT_EXACT, MH_FACT_AT_LEAST, MH_FACT_ABOUT } mh_fact_bound;

/* One fact on a park, always with its source. A fact has a number (value +
 * unit), a text (text_zh/text_en), or neither (a dated statement). */
typedef struct mh_fact {
    const char *id;
    const char *label_zh, *label_en;
    bool has_value;
    double value;
    mh_fact_bound bound;               /* "at_least" (以上) or "about" (左右) */
    const char *unit_zh, *unit_en;     /* NULL for a bare number */
    const char *text_zh, *text_en;
    const char *date;                  /* "YYYY", "YYYY-MM" or "YYYY-MM-DD", or NULL */
    const char *source;                /* key into the exhibit's sources */
    const char *source_title;
} mh_fact;

/* A bar chart over facts that share one unit. */
typedef struct mh_chart {
    const char *title_zh, *title_en;
    int facts[MH_CHART_MAX_BARS];      /* indices into mh_exhibit_desc.facts */
    int fact_count;
} mh_chart;

/* What mh_facts_read fills (the same fields of mh_exhibit_desc). */
typedef struct mh_exhibit_facts {
    mh_fact *facts;
    int fact_count;
    mh_chart *charts;
    int chart_count;
    const char *narration_zh, *narration_en;   /* guided-tour text */
    const char *images[MH_EXHIBIT_MAX_IMAGES]; /* PNG paths inside the exhibit folder */
    int image_count;
} mh_exhibit_facts;

/* Reads facts, sources, charts, narration and images of an exhibit manifest;
 * dir is the exhibit's folder. */
struct cJSON;
struct mh_json_reader;
bool mh_facts_read(struct mh_json_reader *r, const struct cJSON *root, const char *dir, mh_arena *arena,
                   mh_exhibit_facts *out);

#endif
