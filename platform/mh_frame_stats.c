/* mh_frame_stats.c - the frame-time ring: push, percentiles over a sorted
 * copy, frames a second, phases (see mh_frame_stats.h). */
#include "mh_frame_stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void mh_frame_stats_init(mh_frame_stats *s, const mh_frame_stats_desc *desc) { *s = (mh_frame_stats){.desc = *desc}; }

void mh_frame_stats_push(mh_frame_stats *s, float ms, double at)
{
    long i = s->count % s->desc.capacity;
    s->desc.ms[i] = ms;
    if (s->desc.at)
        s->desc.at[i] = at;
    s->count++;
    if (ms > s->worst_since_mark)
        s->worst_since_mark = ms;
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

mh_frame_summary mh_frame_stats_last(const mh_frame_stats *s, long n)
{
    long cap = s->desc.capacity;
    if (n > s->count)
        n = s->count;
    if (n > cap)
        n = cap;
    mh_frame_summary sum = {.frames = n > 0 ? n : 0};
    if (n <= 0)
        return sum;
    float *v = s->desc.scratch;
    double total = 0;
    for (long i = 0; i < n; i++) {
        v[i] = s->desc.ms[(s->count - n + i) % cap];
        total += v[i];
    }
    qsort(v, (size_t)n, sizeof *v, cmp_float);
    long p99 = n * 99 / 100;
    sum.median_ms = v[n / 2];
    sum.p99_ms = v[p99 < n ? p99 : n - 1];
    sum.worst_ms = v[n - 1];
    sum.mean_ms = (float)(total / (double)n);
    return sum;
}

mh_frame_summary mh_frame_stats_since_mark(const mh_frame_stats *s)
{
    return mh_frame_stats_last(s, s->count - s->mark);
}

void mh_frame_stats_mark(mh_frame_stats *s)
{
    s->mark = s->count;
    s->worst_since_mark = 0;
}

double mh_frame_stats_fps(const mh_frame_stats *s, double window_s)
{
    long cap = s->desc.capacity, n = s->count < cap ? s->count : cap;
    const double *at = s->desc.at;
    if (!at || n < 2)
        return 0;
    long last = (s->count - 1) % cap, k = 1;
    while (k < n && at[last] - at[(last - k + cap) % cap] < window_s)
        k++;
    double span = at[last] - at[(last - (k - 1) + cap) % cap];
    return span > 0 ? (double)(k - 1) / span : 0;
}

double mh_frame_stats_process_age_ms(void)
{
    FILE *f = fopen("/proc/self/stat", "r");
    char buf[1024];
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')'); /* the command name may hold spaces */
    unsigned long long start = 0;
    for (int field = 2; p && *p && field < 22; p++)
        if (*p == ' ' && ++field == 22)
            start = strtoull(p + 1, NULL, 10);
    struct timespec now;
    if (!start || clock_gettime(CLOCK_BOOTTIME, &now) != 0)
        return 0.0;
    double start_ms = (double)start * 1000.0 / (double)sysconf(_SC_CLK_TCK);
    return (double)now.tv_sec * 1000.0 + (double)now.tv_nsec / 1e6 - start_ms;
}
