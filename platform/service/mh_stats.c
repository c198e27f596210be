/* mh_stats.c - visitor statistics per booth: counted from the engine's visit
 * events into this hour and today, written hourly as JSON lines to a file
 * that rotates, read back at start-up (see mh_stats.h). */
#include "mh_stats.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define STATS_BOOTHS 260     /* a hall's booths (at most 256) and the stage */
#define STATS_LINE_MAX 65536 /* a line read back longer than this is skipped */

typedef struct stats_booth {
    char id[32];
    uint32_t visits, panels, pages, zh, en;
    double dwell_s;
} stats_booth;

typedef struct stats_period {
    long key; /* yyyymmddhh for an hour, yyyymmdd for a day */
    stats_booth booths[STATS_BOOTHS];
    int booth_count;
    uint32_t tour_starts, tour_finished, wakeups;
} stats_period;

struct mh_stats {
    mh_stats_desc desc;
    char kiosk[64], hall[64], path[600], rotated[610];
    stats_period hour, today;
    uint32_t serial;
};

static long hour_key(time_t t)
{
    struct tm tm;
    localtime_r(&t, &tm);
    return ((long)(tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday) * 100 + tm.tm_hour;
}

static stats_booth *booth(stats_period *p, const char *id)
{
    for (int i = 0; i < p->booth_count; i++)
        if (!strcmp(p->booths[i].id, id))
            return &p->booths[i];
    if (p->booth_count == STATS_BOOTHS)
        return NULL;
    stats_booth *b = &p->booths[p->booth_count++];
    *b = (stats_booth){.visits = 0};
    snprintf(b->id, sizeof b->id, "%s", id);
    return b;
}

static void count(stats_period *p, const mh_visit_event *ev)
{
    stats_booth *b = ev->exhibit[0] ? booth(p, ev->exhibit) : NULL;
    switch (ev->kind) {
    case MH_VISIT_ARRIVED:
        if (b) {
            b->visits++;
            b->zh += !strcmp(ev->language, "zh");
            b->en += !strcmp(ev->language, "en");
        }
        break;
    case MH_VISIT_LEFT:
        if (b)
            b->dwell_s += ev->seconds;
        break;
    case MH_VISIT_PANEL:
        if (b)
            b->panels++;
        break;
    case MH_VISIT_PAGE:
        if (b)
            b->pages++;
        break;
    case MH_VISIT_TOUR_STARTED: p->tour_starts++; break;
    case MH_VISIT_TOUR_FINISHED: p->tour_finished++; break;
    case MH_VISIT_WOKE: p->wakeups++; break;
    }
}

/* ---- JSON ----------------------------------------------------------------------- */

static cJSON *period_json(const mh_stats *s, const stats_period *p, const char *period)
{
    cJSON *o = cJSON_CreateObject(), *booths = cJSON_CreateObject();
    char when[48];
    long k = p->key;
    if (!strcmp(period, "hour"))
        snprintf(when, sizeof when, "%04ld-%02ld-%02ldT%02ld", k / 1000000, k / 10000 % 100, k / 100 % 100, k % 100);
    else
        snprintf(when, sizeof when, "%04ld-%02ld-%02ld", k / 10000, k / 100 % 100, k % 100);
    cJSON_AddStringToObject(o, "kiosk", s->kiosk);
    cJSON_AddStringToObject(o, "hall", s->hall);
    cJSON_AddStringToObject(o, "period", period);
    cJSON_AddStringToObject(o, "start", when);
    uint32_t visits = 0, panels = 0, pages = 0;
    double dwell = 0;
    for (int i = 0; i < p->booth_count; i++) {
        const stats_booth *b = &p->booths[i];
        cJSON *j = cJSON_CreateObject();
        cJSON_AddNumberToObject(j, "visits", b->visits);
        cJSON_AddNumberToObject(j, "dwell_s", (double)(long)(b->dwell_s * 10 + 0.5) / 10);
        cJSON_AddNumberToObject(j, "panels", b->panels);
        cJSON_AddNumberToObject(j, "pages", b->pages);
        cJSON_AddNumberToObject(j, "zh", b->zh);
        cJSON_AddNumberToObject(j, "en", b->en);
        cJSON_AddItemToObject(booths, b->id, j);
        visits += b->visits;
        panels += b->panels;
        pages += b->pages;
        dwell += b->dwell_s;
    }
    cJSON_AddNumberToObject(o, "visits", visits);
    cJSON_AddNumberToObject(o, "dwell_s", (double)(long)(dwell * 10 + 0.5) / 10);
    cJSON_AddNumberToObject(o, "panels", panels);
    cJSON_AddNumberToObject(o, "pages", pages);
    cJSON_AddNumberToObject(o, "tour_starts", p->tour_starts);
    cJSON_AddNumberToObject(o, "tour_completions", p->tour_finished);
    cJSON_AddNumberToObject(o, "wakeups", p->wakeups);
    cJSON_AddItemToObject(o, "booths", booths);
    return o;
}

char *mh_stats_json(mh_stats *s, const char *period, time_t now)
{
    mh_stats_tick(s, now);
    const stats_period *p = !strcmp(period, "today") ? &s->today : !strcmp(period, "hour") ? &s->hour : NULL;
    if (!p)
        return NULL;
    cJSON *o = period_json(s, p, period);
    char *text = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    return text;
}

/* ---- the file ----------------------------------------------------------------- */

static void rotate(mh_stats *s)
{
    struct stat st;
    if (stat(s->path, &st) == 0 && st.st_size > s->desc.max_bytes && rename(s->path, s->rotated) != 0)
        mh_log_warn("stats", "cannot rotate %s: %s", s->path, strerror(errno));
}

static void write_hour(mh_stats *s, bool partial)
{
    if (!s->path[0] || (s->hour.booth_count == 0 && !s->hour.tour_starts && !s->hour.wakeups))
        return;
    cJSON *o = period_json(s, &s->hour, "hour");
    if (partial)
        cJSON_AddBoolToObject(o, "partial", true);
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!text)
        return;
    rotate(s);
    FILE *f = fopen(s->path, "a");
    if (!f || fprintf(f, "%s\n", text) < 0 || fclose(f) != 0)
        mh_log_warn("stats", "cannot write %s: %s (the statistics stay in memory)", s->path, strerror(errno));
    else
        mh_log_debug("stats", "hour written to %s", s->path);
    free(text);
}

/* Adds one stored hour into today. */
static void add_stored(mh_stats *s, const cJSON *o)
{
    const cJSON *booths = cJSON_GetObjectItemCaseSensitive(o, "booths"), *b;
    cJSON_ArrayForEach(b, booths)
    {
        stats_booth *t = booth(&s->today, b->string);
        if (!t)
            break;
#define NUM(name) (cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(b, name)))
        t->visits += (uint32_t)NUM("visits");
        t->panels += (uint32_t)NUM("panels");
        t->pages += (uint32_t)NUM("pages");
        t->zh += (uint32_t)NUM("zh");
        t->en += (uint32_t)NUM("en");
        t->dwell_s += NUM("dwell_s");
#undef NUM
    }
    s->today.tour_starts += (uint32_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(o, "tour_starts"));
    s->today.tour_finished += (uint32_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(o, "tour_completions"));
    s->today.wakeups += (uint32_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(o, "wakeups"));
}

/* Today's hours from the file, so STATS today survives a restart. */
static void read_today(mh_stats *s)
{
    FILE *f = s->path[0] ? fopen(s->path, "r") : NULL;
    if (!f)
        return;
    char prefix[48];
    long day = s->today.key;
    snprintf(prefix, sizeof prefix, "%04ld-%02ld-%02ldT", day / 10000, day / 100 % 100, day % 100);
    char *line = malloc(STATS_LINE_MAX);
    int lines = 0;
    while (line && fgets(line, STATS_LINE_MAX, f)) {
        cJSON *o = cJSON_Parse(line);
        const char *start = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "start"));
        const char *kiosk = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "kiosk"));
        if (start && kiosk && !strncmp(start, prefix, strlen(prefix)) && !strcmp(kiosk, s->kiosk)) {
            add_stored(s, o);
            lines++;
        }
        cJSON_Delete(o);
    }
    free(line);
    fclose(f);
    if (lines)
        mh_log_info("stats", "today so far: %d hours read back from %s", lines, s->path);
}

/* ---- the public API -------------------------------------------------------------- */

mh_stats *mh_stats_create(const mh_stats_desc *desc, time_t now)
{
    mh_stats *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->desc = *desc;
    s->desc.max_bytes = desc->max_bytes > 0 ? desc->max_bytes : 1024 * 1024;
    snprintf(s->kiosk, sizeof s->kiosk, "%s", desc->kiosk ? desc->kiosk : "");
    snprintf(s->hall, sizeof s->hall, "%s", desc->hall ? desc->hall : "");
    if (desc->dir && desc->dir[0]) {
        mkdir(desc->dir, 0755);
        snprintf(s->path, sizeof s->path, "%s/stats.jsonl", desc->dir);
        snprintf(s->rotated, sizeof s->rotated, "%s.1", s->path);
    }
    s->hour.key = hour_key(now);
    s->today.key = s->hour.key / 100;
    read_today(s);
    return s;
}

void mh_stats_destroy(mh_stats **ps, time_t now)
{
    mh_stats *s = ps ? *ps : NULL;
    if (!s)
        return;
    mh_stats_tick(s, now);
    write_hour(s, true);
    free(s);
    *ps = NULL;
}

void mh_stats_tick(mh_stats *s, time_t now)
{
    long key = hour_key(now);
    if (key == s->hour.key)
        return;
    write_hour(s, false);
    s->hour = (stats_period){.key = key};
    if (key / 100 != s->today.key)
        s->today = (stats_period){.key = key / 100};
    s->serial++;
}

void mh_stats_event(mh_stats *s, const mh_visit_event *ev, time_t now)
{
    mh_stats_tick(s, now);
    count(&s->hour, ev);
    count(&s->today, ev);
    s->serial++;
}

uint32_t mh_stats_serial(const mh_stats *s) { return s->serial; }
