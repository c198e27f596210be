/* mh_stats.h - visitor statistics per booth, from the engine's visit events.
 *
 * Per booth (by exhibit id; "stage" for the atrium stage): visits (arrivals),
 * dwell time, panel opens, panel pages read, and the language the visitor
 * arrived in; for the hall: guided-tour starts and completions (the tour
 * reached its last stop) and attract-mode wake-ups. Counts only: nothing
 * that could identify a visitor is seen or kept.
 *
 * Two periods are kept in memory: this hour and today. At every change of
 * hour the hour that ended is appended as one JSON line to
 * <dir>/stats.jsonl (rotated to stats.jsonl.1 past max_bytes); at start-up
 * the lines of today are read back, so STATS today survives a restart. The
 * file is written from the main loop once an hour (a few hundred bytes).
 * Times are passed in (tests inject the clock). */
#ifndef MH_STATS_H
#define MH_STATS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "metahall.h"

typedef struct mh_stats_desc {
    const char *dir;          /* where stats.jsonl goes; NULL = memory only */
    const char *kiosk, *hall; /* written into each line */
    long max_bytes;           /* rotate past this; 0 = 1 MiB */
} mh_stats_desc;

typedef struct mh_stats mh_stats;

/* NULL when out of memory. Reads back today's lines from the file. */
mh_stats *mh_stats_create(const mh_stats_desc *desc, time_t now);
/* Writes the current hour (as a partial line) and frees; NULL-safe. */
void mh_stats_destroy(mh_stats **s, time_t now);
/* One event from mh_engine_visit_events. */
void mh_stats_event(mh_stats *s, const mh_visit_event *ev, time_t now);
/* Rolls the hour and the day over when they have changed (call often). */
void mh_stats_tick(mh_stats *s, time_t now);
/* STATS' JSON for "today" or "hour" (malloc'ed; NULL for another period or
 * out of memory). */
char *mh_stats_json(mh_stats *s, const char *period, time_t now);
/* Bumped by every event: the fleet republishes the stats when it moves. */
uint32_t mh_stats_serial(const mh_stats *s);

#endif
