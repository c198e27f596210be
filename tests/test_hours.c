/* test_hours.c - opening hours: the schedule's parser and its errors, what
 * it says at given times, when it next changes, holidays, and WAKE/SLEEP on
 * top; the clock is injected (times built in UTC, TZ=UTC). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mh_test.h"
#include "service/mh_hours.h"

/* 2026-01-05 is a Monday. */
static time_t at(int month, int day, int hour, int minute)
{
    struct tm tm = {.tm_year = 2026 - 1900, .tm_mon = month - 1, .tm_mday = day, .tm_hour = hour, .tm_min = minute};
    return timegm(&tm);
}

static const char *iso(time_t t)
{
    static char buf[32];
    struct tm tm;
    if (!t)
        return "never";
    gmtime_r(&t, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
    return buf;
}

#define CHECK_TIME(t, want)                                                                  \
    do {                                                                                     \
        const char *got_ = iso(t);                                                           \
        if (!strcmp(got_, want)) {                                                           \
            mh_test_passed++;                                                                \
        } else {                                                                             \
            mh_test_failed++;                                                                \
            fprintf(stderr, "%s:%d: expected %s, got %s\n", __FILE__, __LINE__, want, got_); \
        }                                                                                    \
    } while (0)

static void test_week(void)
{
    mh_hours h;
    mh_error err = {0};
    CHECK(mh_hours_parse(&h, "mon-fri 09:00-18:00, sat 10:00-16:00", NULL, &err));
    CHECK(h.scheduled && h.span_count[0] == 1 && h.span_count[4] == 1 && h.span_count[5] == 1 && h.span_count[6] == 0);
    CHECK(!mh_hours_scheduled_open(&h, at(1, 5, 8, 59)));
    CHECK(mh_hours_scheduled_open(&h, at(1, 5, 9, 0)));
    CHECK(mh_hours_scheduled_open(&h, at(1, 5, 17, 59)));
    CHECK(!mh_hours_scheduled_open(&h, at(1, 5, 18, 0)));
    CHECK(mh_hours_scheduled_open(&h, at(1, 10, 10, 0))); /* Saturday */
    CHECK(!mh_hours_scheduled_open(&h, at(1, 10, 16, 0)));
    CHECK(!mh_hours_scheduled_open(&h, at(1, 11, 12, 0))); /* Sunday */
    CHECK_TIME(mh_hours_next_change(&h, at(1, 5, 8, 0)), "2026-01-05 09:00");
    CHECK_TIME(mh_hours_next_change(&h, at(1, 5, 9, 0)), "2026-01-05 18:00");
    CHECK_TIME(mh_hours_next_change(&h, at(1, 9, 18, 30)), "2026-01-10 10:00"); /* Friday night -> Saturday */
    CHECK_TIME(mh_hours_next_change(&h, at(1, 10, 16, 0)), "2026-01-12 09:00"); /* Saturday -> Monday */

    /* several spans a day, 24:00, daily, a range over the week's end */
    CHECK(mh_hours_parse(&h, "daily 09:00-12:00 13:30-24:00, sat-mon 07:00-08:00", "", &err));
    CHECK(!mh_hours_scheduled_open(&h, at(1, 6, 12, 30)));
    CHECK(mh_hours_scheduled_open(&h, at(1, 6, 23, 59)));
    CHECK(!mh_hours_scheduled_open(&h, at(1, 7, 0, 0)));
    CHECK(mh_hours_scheduled_open(&h, at(1, 5, 7, 30)));  /* Monday is in sat-mon */
    CHECK(!mh_hours_scheduled_open(&h, at(1, 6, 7, 30))); /* Tuesday is not */
    CHECK_TIME(mh_hours_next_change(&h, at(1, 6, 12, 0)), "2026-01-06 13:30");
    CHECK_TIME(mh_hours_next_change(&h, at(1, 6, 20, 0)), "2026-01-07 00:00");

    /* no schedule: always open, never changes */
    CHECK(mh_hours_parse(&h, NULL, NULL, &err) && !h.scheduled);
    CHECK(mh_hours_scheduled_open(&h, at(1, 11, 3, 0)));
    CHECK(mh_hours_next_change(&h, at(1, 11, 3, 0)) == 0);
}

static void test_holidays(void)
{
    mh_hours h;
    mh_error err = {0};
    CHECK(mh_hours_parse(&h, "mon-sun 09:00-17:00", "2026-01-01, 2026-10-01..2026-10-07 2026-12-25", &err));
    CHECK(h.holiday_count == 9);
    CHECK(!mh_hours_scheduled_open(&h, at(1, 1, 12, 0)));
    CHECK(mh_hours_scheduled_open(&h, at(1, 2, 12, 0)));
    CHECK(!mh_hours_scheduled_open(&h, at(10, 4, 12, 0)));
    CHECK(mh_hours_scheduled_open(&h, at(10, 8, 12, 0)));
    CHECK_TIME(mh_hours_next_change(&h, at(9, 30, 17, 30)), "2026-10-08 09:00"); /* over the holidays */
}

static void test_errors(void)
{
    mh_hours h;
    mh_error err = {0};
    struct {
        const char *hours, *holidays, *want;
    } bad[] = {
        {"mon 9-18", NULL, "\"9-18\" is not a span HH:MM-HH:MM"},
        {"funday 09:00-10:00", NULL, "expected days (mon..sun"},
        {"mon 18:00-09:00", NULL, "\"18:00-09:00\" is not a span"},
        {"mon", NULL, "no opening span"},
        {"mon 09:00-24:30", NULL, "is not a span"},
        {"mon 09:00-10:00 10:00-11:00 11:00-12:00 12:00-13:00 13:00-14:00", NULL, "more than 4 spans on Mon"},
        {"mon 09:00-10:00", "2026-13-01", "\"2026-13-01\" is not a date"},
        {"mon 09:00-10:00", "2026-01-01..2028-01-01", "more than 64 holiday dates"},
        {"mon 09:00-10:00", "2026-01-02..2026-01-01", "ends before it starts"},
        {"mon 09:00-10:00", "2026-01-01 x", "\"x\" is not a date"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        memset(&err, 0, sizeof err);
        CHECK(!mh_hours_parse(&h, bad[i].hours, bad[i].holidays, &err));
        CHECK_STR_CONTAINS(err.message, bad[i].want);
        CHECK(err.where[0]); /* "hours" or "holidays" */
    }
}

static void test_wake_sleep(void)
{
    mh_hours h;
    mh_error err = {0};
    char msg[160];
    CHECK(mh_hours_parse(&h, "mon-fri 09:00-18:00", NULL, &err));
    time_t sunday = at(1, 11, 12, 0);
    CHECK(!mh_hours_open(&h, sunday));
    mh_hours_wake(&h, sunday, 30, msg, sizeof msg);
    CHECK_STR_CONTAINS(msg, "open until Sun 12:30");
    CHECK(mh_hours_open(&h, sunday + 60));
    const char *state;
    char next[32];
    mh_hours_describe(&h, sunday + 60, &state, next, sizeof next);
    CHECK(!strcmp(state, "open") && !strcmp(next, "2026-01-11T12:30"));
    CHECK(!mh_hours_open(&h, at(1, 11, 12, 31))); /* the schedule again */
    CHECK(h.override == MH_HOURS_SCHEDULE);

    time_t monday = at(1, 12, 10, 0);
    CHECK(mh_hours_open(&h, monday));
    mh_hours_sleep(&h, monday, msg, sizeof msg);
    CHECK_STR_CONTAINS(msg, "closed until Tue 09:00");
    CHECK(!mh_hours_open(&h, at(1, 12, 12, 0)));
    CHECK(!mh_hours_open(&h, at(1, 13, 8, 59)));
    CHECK(mh_hours_open(&h, at(1, 13, 9, 0)));
    mh_hours_wake(&h, at(1, 13, 10, 0), 0, msg, sizeof msg);
    CHECK_STR_CONTAINS(msg, "within the opening hours");

    /* without a schedule: SLEEP until WAKE */
    CHECK(mh_hours_parse(&h, "", NULL, &err));
    mh_hours_sleep(&h, monday, msg, sizeof msg);
    CHECK(!strcmp(msg, "closed until WAKE"));
    CHECK(!mh_hours_open(&h, monday + 7 * 86400));
    mh_hours_wake(&h, monday + 7 * 86400, 0, msg, sizeof msg);
    CHECK(mh_hours_open(&h, monday + 7 * 86400 + 1));
}

int main(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
    test_week();
    test_holidays();
    test_errors();
    test_wake_sleep();
    return mh_test_done("test_hours");
}
