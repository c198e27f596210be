/* mh_hours.c - opening hours: the schedule's parser, what it says at a
 * given time, when it next changes, and WAKE/SLEEP on top (mh_hours.h). */
#include "mh_hours.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const DAYS[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
static const char *const DAY_NAMES[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
static const char *const DAY_NAMES_ZH[7] = {"周一", "周二", "周三", "周四", "周五", "周六", "周日"};

/* ---- parsing ------------------------------------------------------------------ */

static const char *skip_space(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

static int day_index(const char *s, size_t n)
{
    for (int d = 0; d < 7; d++)
        if (n == 3 && !strncasecmp(s, DAYS[d], 3))
            return d;
    return -1;
}

/* "mon", "mon-fri", "daily": the days in *out (bit d = DAYS[d]). */
static bool parse_days(const char *word, size_t n, unsigned *out)
{
    if (n == 5 && !strncasecmp(word, "daily", 5)) {
        *out = 0x7f;
        return true;
    }
    const char *dash = memchr(word, '-', n);
    int a = day_index(word, dash ? (size_t)(dash - word) : n);
    int b = dash ? day_index(dash + 1, n - (size_t)(dash + 1 - word)) : a;
    if (a < 0 || b < 0)
        return false;
    *out = 0;
    for (int d = a;; d = (d + 1) % 7) { /* sat-mon wraps over the week's end */
        *out |= 1u << d;
        if (d == b)
            break;
    }
    return true;
}

/* "HH:MM" (24:00 allowed) -> minutes. */
static bool parse_clock(const char *s, size_t n, int *out)
{
    int h, m;
    char tail;
    char buf[8];
    if (n < 4 || n > 5)
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (sscanf(buf, "%d:%2d%c", &h, &m, &tail) != 2 || m < 0 || m > 59 || h < 0 || h > 24 || (h == 24 && m))
        return false;
    *out = h * 60 + m;
    return true;
}

/* "09:00-18:00" */
static bool parse_span(const char *word, size_t n, mh_hours_span *out)
{
    const char *dash = memchr(word, '-', n);
    return dash && parse_clock(word, (size_t)(dash - word), &out->start) &&
           parse_clock(dash + 1, n - (size_t)(dash + 1 - word), &out->end) && out->start < out->end;
}

static bool add_span(mh_hours *h, unsigned days, mh_hours_span sp, const char *entry, mh_error *err)
{
    for (int d = 0; d < 7; d++) {
        if (!(days & (1u << d)))
            continue;
        if (h->span_count[d] == MH_HOURS_SPANS)
            return mh_fail(err, "", "hours", "\"%.40s\": more than %d spans on %s", entry, MH_HOURS_SPANS,
                           DAY_NAMES[d]);
        h->week[d][h->span_count[d]++] = sp;
    }
    return true;
}

/* One entry: "mon-fri 09:00-12:00 13:00-18:00". */
static bool parse_entry(mh_hours *h, const char *entry, size_t len, mh_error *err)
{
    char buf[128];
    if (len >= sizeof buf)
        return mh_fail(err, "", "hours", "an entry is longer than %zu characters", sizeof buf - 1);
    memcpy(buf, entry, len);
    buf[len] = '\0';
    const char *s = skip_space(buf);
    size_t n = strcspn(s, " \t");
    unsigned days;
    if (!parse_days(s, n, &days))
        return mh_fail(err, "", "hours",
                       "\"%.40s\": expected days (mon..sun, a range such as mon-fri, or daily) "
                       "then HH:MM-HH:MM",
                       buf);
    int spans = 0;
    for (s = skip_space(s + n); *s; s = skip_space(s + n), spans++) {
        n = strcspn(s, " \t");
        mh_hours_span sp;
        if (!parse_span(s, n, &sp))
            return mh_fail(err, "", "hours",
                           "\"%.*s\" is not a span HH:MM-HH:MM on one day (start before end, "
                           "at most 24:00)",
                           (int)(n < 20 ? n : 20), s);
        if (!add_span(h, days, sp, buf, err))
            return false;
    }
    if (!spans)
        return mh_fail(err, "", "hours", "\"%.40s\": no opening span (HH:MM-HH:MM) after the days", buf);
    return true;
}

static bool parse_date(const char *s, size_t n, int *out)
{
    int y, m, d;
    char buf[16], tail;
    if (n != 10)
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (sscanf(buf, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 || d < 1 || d > 31)
        return false;
    *out = y * 10000 + m * 100 + d;
    return true;
}

static bool add_holiday(mh_hours *h, int date, mh_error *err)
{
    if (h->holiday_count == MH_HOURS_HOLIDAYS)
        return mh_fail(err, "", "holidays", "more than %d holiday dates", MH_HOURS_HOLIDAYS);
    h->holidays[h->holiday_count++] = date;
    return true;
}

/* "2026-01-01" or "2026-10-01..2026-10-07" */
static bool parse_holiday(mh_hours *h, const char *s, size_t n, mh_error *err)
{
    const char *dots = NULL;
    for (size_t i = 0; i + 1 < n; i++)
        if (s[i] == '.' && s[i + 1] == '.')
            dots = s + i;
    int a, b;
    if (!parse_date(s, dots ? (size_t)(dots - s) : n, &a) ||
        (dots && !parse_date(dots + 2, n - (size_t)(dots + 2 - s), &b)))
        return mh_fail(err, "", "holidays", "\"%.*s\" is not a date YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD",
                       (int)(n < 30 ? n : 30), s);
    if (!dots)
        return add_holiday(h, a, err);
    if (b < a)
        return mh_fail(err, "", "holidays", "the range \"%.*s\" ends before it starts", (int)(n < 30 ? n : 30), s);
    struct tm tm = {.tm_year = a / 10000 - 1900, .tm_mon = a / 100 % 100 - 1, .tm_mday = a % 100, .tm_hour = 12};
    for (;; tm.tm_mday++) { /* ends at b, or when the dates run out of room */
        mktime(&tm);
        int date = (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
        if (date > b)
            return true;
        if (!add_holiday(h, date, err))
            return false;
    }
}

bool mh_hours_parse(mh_hours *h, const char *hours, const char *holidays, mh_error *err)
{
    *h = (mh_hours){.scheduled = hours && *skip_space(hours)};
    for (const char *s = hours; h->scheduled && *s;) {
        size_t n = strcspn(s, ",");
        if (!parse_entry(h, s, n, err))
            return false;
        s += n + (s[n] == ',');
    }
    for (const char *s = holidays ? holidays : ""; *(s = skip_space(s));) {
        size_t n = strcspn(s, ", \t");
        if (n && !parse_holiday(h, s, n, err))
            return false;
        s += n;
        s += *s == ',';
    }
    return true;
}

/* ---- what the schedule says ---------------------------------------------------- */

static int weekday_monday0(const struct tm *tm) { return (tm->tm_wday + 6) % 7; }

static bool holiday(const mh_hours *h, const struct tm *tm)
{
    int date = (tm->tm_year + 1900) * 10000 + (tm->tm_mon + 1) * 100 + tm->tm_mday;
    for (int i = 0; i < h->holiday_count; i++)
        if (h->holidays[i] == date)
            return true;
    return false;
}

bool mh_hours_scheduled_open(const mh_hours *h, time_t t)
{
    if (!h->scheduled)
        return true;
    struct tm tm;
    localtime_r(&t, &tm);
    if (holiday(h, &tm))
        return false;
    int d = weekday_monday0(&tm), m = tm.tm_hour * 60 + tm.tm_min;
    for (int i = 0; i < h->span_count[d]; i++)
        if (m >= h->week[d][i].start && m < h->week[d][i].end)
            return true;
    return false;
}

/* The time of minute m (0..1440) on the local day of `day` (noon of it). */
static time_t at_minute(time_t day, int m)
{
    struct tm tm;
    localtime_r(&day, &tm);
    tm.tm_hour = m / 60;
    tm.tm_min = m % 60;
    tm.tm_sec = 0;
    tm.tm_isdst = -1;
    return mktime(&tm);
}

time_t mh_hours_next_change(const mh_hours *h, time_t t)
{
    if (!h->scheduled)
        return 0;
    bool now = mh_hours_scheduled_open(h, t);
    /* the schedule can only change at a span's edge or at midnight: try
     * those, in order, day by day */
    struct tm tm;
    localtime_r(&t, &tm);
    tm.tm_hour = 12;
    tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    for (int day = 0; day < 15; day++, tm.tm_mday++) {
        struct tm noon = tm;
        time_t base = mktime(&noon);
        int d = weekday_monday0(&noon);
        int edges[2 * MH_HOURS_SPANS + 1], n = 0;
        edges[n++] = 0;
        for (int i = 0; i < h->span_count[d]; i++) {
            edges[n++] = h->week[d][i].start;
            edges[n++] = h->week[d][i].end;
        }
        for (int i = 1; i < n; i++) /* a few values: insertion sort */
            for (int j = i; j > 0 && edges[j] < edges[j - 1]; j--) {
                int x = edges[j];
                edges[j] = edges[j - 1];
                edges[j - 1] = x;
            }
        for (int i = 0; i < n; i++) {
            time_t e = at_minute(base, edges[i] == 1440 ? 1439 : edges[i]) + (edges[i] == 1440 ? 60 : 0);
            if (e > t && mh_hours_scheduled_open(h, e) != now)
                return e;
        }
    }
    return 0;
}

/* ---- the kiosk's view: WAKE and SLEEP on top ------------------------------------ */

bool mh_hours_open(mh_hours *h, time_t now)
{
    if (h->override != MH_HOURS_SCHEDULE && h->until && now >= h->until)
        h->override = MH_HOURS_SCHEDULE;
    if (h->override == MH_HOURS_WOKEN)
        return true;
    if (h->override == MH_HOURS_ASLEEP)
        return false;
    return mh_hours_scheduled_open(h, now);
}

/* "Mon 09:00" (local), or "" for 0. */
static void short_time(time_t t, char *out, size_t size)
{
    struct tm tm;
    if (!t) {
        snprintf(out, size, "%s", "");
        return;
    }
    localtime_r(&t, &tm);
    snprintf(out, size, "%s %02d:%02d", DAY_NAMES[weekday_monday0(&tm)], tm.tm_hour, tm.tm_min);
}

void mh_hours_wake(mh_hours *h, time_t now, int minutes, char *msg, size_t size)
{
    char when[32];
    if (mh_hours_scheduled_open(h, now)) {
        h->override = MH_HOURS_SCHEDULE;
        snprintf(msg, size, "open (within the opening hours)");
        return;
    }
    h->override = MH_HOURS_WOKEN;
    h->until = now + (time_t)(minutes > 0 ? minutes : 60) * 60;
    short_time(h->until, when, sizeof when);
    snprintf(msg, size, "open until %s, then the opening hours again", when);
}

void mh_hours_sleep(mh_hours *h, time_t now, char *msg, size_t size)
{
    char when[32];
    h->override = MH_HOURS_ASLEEP;
    h->until = 0;
    /* until the schedule next opens: from a closed moment, that is its next change */
    time_t t = now;
    for (int i = 0; i < 4 && h->scheduled; i++) {
        time_t next = mh_hours_next_change(h, t);
        if (!next)
            break;
        if (mh_hours_scheduled_open(h, next)) {
            h->until = next;
            break;
        }
        t = next;
    }
    short_time(h->until, when, sizeof when);
    snprintf(msg, size, h->until ? "closed until %s" : "closed until WAKE%s", when);
}

void mh_hours_describe(mh_hours *h, time_t now, const char **out_state, char *next, size_t size)
{
    bool open = mh_hours_open(h, now);
    *out_state = open ? "open" : "closed";
    time_t change = h->override != MH_HOURS_SCHEDULE ? h->until : mh_hours_next_change(h, now);
    next[0] = '\0';
    if (change) {
        struct tm tm;
        localtime_r(&change, &tm);
        snprintf(next, size, "%04d-%02d-%02dT%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                 tm.tm_min);
    }
}

void mh_hours_notice(mh_hours *h, time_t now, char *zh, char *en, size_t size)
{
    mh_hours_open(h, now); /* drops an override that ran out */
    time_t change = h->override != MH_HOURS_SCHEDULE ? h->until : mh_hours_next_change(h, now);
    if (!change) {
        snprintf(zh, size, "闭馆");
        snprintf(en, size, "Closed");
        return;
    }
    struct tm tm;
    localtime_r(&change, &tm);
    int d = weekday_monday0(&tm);
    snprintf(zh, size, "闭馆 · %s %02d:%02d 开馆", DAY_NAMES_ZH[d], tm.tm_hour, tm.tm_min);
    snprintf(en, size, "Closed · opens %s %02d:%02d", DAY_NAMES[d], tm.tm_hour, tm.tm_min);
}
