/* mh_hours.h - opening hours: a weekly schedule and holidays from the
 * configuration, and the operator's WAKE and SLEEP on top of it.
 *
 *     hours = mon-fri 09:00-18:00, sat 10:00-16:00
 *     holidays = 2026-01-01, 2026-10-01..2026-10-07
 *
 * Entries are separated by commas: days (mon..sun, a range such as mon-fri,
 * or daily) and one or more spans HH:MM-HH:MM (24:00 may end a span; a span
 * never crosses midnight). A day no entry names is closed; a holiday is
 * closed all day. No schedule means always open.
 *
 * Every function takes the time it is asked about (seconds since the epoch,
 * read in local time), so tests inject the clock; the kiosk passes time(NULL).
 * Outside the hours the kiosk shows a dark "closed" screen at a very low
 * frame rate; WAKE opens it for a while, SLEEP closes it until the next
 * scheduled opening (or until WAKE when there is no schedule). */
#ifndef MH_HOURS_H
#define MH_HOURS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "metahall.h"

#define MH_HOURS_SPANS 4     /* spans per weekday */
#define MH_HOURS_HOLIDAYS 64 /* holiday dates (a range counts each day) */

typedef struct mh_hours_span {
    int start, end; /* minutes from midnight, start < end <= 1440 */
} mh_hours_span;

typedef enum mh_hours_override {
    MH_HOURS_SCHEDULE, /* as the schedule says */
    MH_HOURS_WOKEN,    /* open until `until` (WAKE) */
    MH_HOURS_ASLEEP,   /* closed until `until`, or until WAKE when until is 0 (SLEEP) */
} mh_hours_override;

typedef struct mh_hours {
    bool scheduled;                        /* a schedule was given */
    mh_hours_span week[7][MH_HOURS_SPANS]; /* [0] is Monday */
    int span_count[7];
    int holidays[MH_HOURS_HOLIDAYS]; /* yyyymmdd */
    int holiday_count;
    mh_hours_override override;
    time_t until;
} mh_hours;

/* Parses the schedule (NULL or "" = always open) and the holidays (NULL or
 * "" = none) into *h. False with err naming the bad part. */
bool mh_hours_parse(mh_hours *h, const char *hours, const char *holidays, mh_error *err);
/* What the schedule alone says at time t. */
bool mh_hours_scheduled_open(const mh_hours *h, time_t t);
/* When the schedule next changes from what it says at t (open -> closed or
 * the reverse), within two weeks; 0 when it never does. */
time_t mh_hours_next_change(const mh_hours *h, time_t t);

/* Whether the kiosk is open at `now`, WAKE and SLEEP included (an override
 * that has run out is dropped here). */
bool mh_hours_open(mh_hours *h, time_t now);
/* WAKE [minutes]: open now for that long (0 = 60), then the schedule again.
 * SLEEP: closed until the next scheduled opening (or WAKE). Each writes the
 * reply's text ("open until 19:30", "closed until Mon 09:00"...). */
void mh_hours_wake(mh_hours *h, time_t now, int minutes, char *msg, size_t size);
void mh_hours_sleep(mh_hours *h, time_t now, char *msg, size_t size);
/* For STATUS: "open" or "closed", and when that changes next as local
 * "YYYY-MM-DDTHH:MM" ("" when never). */
void mh_hours_describe(mh_hours *h, time_t now, const char **out_state, char *next, size_t size);
/* The closed screen's two lines: "闭馆 · 周一 09:00 开馆" and "Closed · opens Mon 09:00"
 * (without a time when it never opens by itself: "Closed"). */
void mh_hours_notice(mh_hours *h, time_t now, char *zh, char *en, size_t size);

#endif
