/* mh_command_status.c - what the commander reports: STATUS's and LIST's
 * JSON, frames a second, and noticing when what STATUS shows has changed
 * (the fleet republishes its retained state then). */
#include "mh_command_internal.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "service/mh_hours.h"

/* Appends s as a JSON string (or null) to out. */
static void json_string(char *out, size_t size, const char *s)
{
    size_t n = strlen(out);
    if (!s) {
        snprintf(out + n, size - n, "null");
        return;
    }
    if (n + 1 < size)
        out[n++] = '"';
    for (const unsigned char *p = (const unsigned char *)s; *p && n + 8 < size; p++) {
        if (*p == '"' || *p == '\\')
            n += (size_t)snprintf(out + n, size - n, "\\%c", *p);
        else if (*p < 0x20)
            n += (size_t)snprintf(out + n, size - n, "\\u%04x", *p);
        else
            out[n++] = (char)*p;
    }
    snprintf(out + n, size - n, "\"");
}

/* Resident memory from /proc/self/statm, read without stdio: the fleet asks
 * from the frame loop, which must not allocate. */
static double rss_mb(void)
{
    char buf[128];
    long pages = 0, resident = 0;
    int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
    if (fd >= 0)
        close(fd);
    if (n <= 0 || (buf[n] = '\0', sscanf(buf, "%ld %ld", &pages, &resident)) != 2)
        resident = 0;
    return (double)resident * (double)sysconf(_SC_PAGESIZE) / (1024.0 * 1024.0);
}

/* over three seconds: a closed kiosk draws once a second */
double mh_commander_fps(const mh_commander *c) { return mh_frame_stats_fps(&c->frames, 3.0); }

/* The hours part of STATUS: "hours":"open","hours_next":"2026-01-05T09:00". */
static void add_hours(mh_commander *c, char *out, size_t size)
{
    size_t n = strlen(out);
    if (!c->desc.hours) {
        snprintf(out + n, size - n, ",\"hours\":\"open\",\"hours_next\":null");
        return;
    }
    const char *state;
    char next[32];
    mh_hours_describe(c->desc.hours, time(NULL), &state, next, sizeof next);
    snprintf(out + n, size - n, ",\"hours\":\"%s\",\"hours_next\":", state);
    json_string(out, size, next[0] ? next : NULL);
}

/* The longest frame since this reader last looked: STATUS through the
 * frame ring's mark (worst_since_mark covers every frame since, however
 * many), the fleet and the page with their own; a peek reads STATUS's and
 * keeps it. */
static float take_worst(mh_commander *c, mh_status_reader who)
{
    if (who == MH_STATUS_COMMAND || who == MH_STATUS_PEEK) {
        float w = c->frames.worst_since_mark;
        if (who == MH_STATUS_COMMAND)
            mh_frame_stats_mark(&c->frames);
        return w;
    }
    float w = c->worst[who];
    c->worst[who] = 0;
    return w;
}

void mh_commander_status_json(mh_commander *c, mh_status_reader who, char *out, size_t size)
{
    mh_visit_status vs = {.mode = "none", .language = "zh"};
    const char *featured = NULL, *loading = NULL;
    if (c->desc.engine) {
        mh_engine_visit_status(c->desc.engine, &vs);
        featured = mh_engine_featured(c->desc.engine);
        loading = mh_engine_loading(c->desc.engine);
    }
    mh_frame_summary fs = mh_frame_stats_last(&c->frames, MH_FRAME_RING);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double now = c->desc.now ? c->desc.now() : 0;
    out[0] = '\0';
    size_t n;
#define ADD(...) (n = strlen(out), snprintf(out + n, size - n, __VA_ARGS__))
    ADD("{\"kiosk\":");
    json_string(out, size, c->kiosk_id);
    ADD(",\"hall\":");
    json_string(out, size, c->hall_name);
    ADD(",\"exhibit\":");
    json_string(out, size, featured && featured[0] ? featured : NULL);
    ADD(",\"loading\":");
    json_string(out, size, loading);
    ADD(",\"state\":");
    json_string(out, size, vs.mode);
    ADD(",\"language\":");
    json_string(out, size, vs.language);
    ADD(",\"at\":");
    json_string(out, size, vs.at);
    ADD(",\"panel\":");
    json_string(out, size, vs.panel[0] ? vs.panel : NULL);
    ADD(",\"fps\":%.1f,\"frame_ms_p50\":%.2f,\"frame_ms_p99\":%.2f,\"frame_ms_worst\":%.2f,\"frames\":%ld",
        mh_commander_fps(c), fs.median_ms, fs.p99_ms, take_worst(c, who), c->frames.count);
    ADD(",\"rss_mb\":%.1f,\"peak_rss_mb\":%.1f,\"uptime_s\":%.1f", rss_mb(), (double)ru.ru_maxrss / 1024.0,
        now - c->started);
    ADD(",\"last_error\":");
    json_string(out, size, c->last_error[0] ? c->last_error : NULL);
    ADD(",\"volume\":%d,\"tour_stop\":%d,\"tour_stops\":%d", mh_commander_volume(c),
        !strcmp(vs.mode, "tour") ? vs.tour_stop + 1 : 0, vs.tour_stops);
    add_hours(c, out, size);
    ADD(",\"version\":\"%s\"}", METAHALL_VERSION);
#undef ADD
}

char *mh_commander_list_json(mh_commander *c)
{
    mh_engine *e = c->desc.engine;
    int count = e ? mh_engine_exhibit_count(e) : 0;
    size_t size = 256 + (size_t)count * 640;
    char *out = malloc(size);
    if (!out)
        return NULL;
    const char *featured = e ? mh_engine_featured(e) : "";
    snprintf(out, size, "{\"kiosk\":");
    json_string(out, size, c->kiosk_id);
    size_t n = strlen(out);
    snprintf(out + n, size - n, ",\"featured\":");
    json_string(out, size, featured[0] ? featured : NULL);
    n = strlen(out);
    snprintf(out + n, size - n, ",\"count\":%d,\"exhibits\":[", count);
    for (int i = 0; i < count; i++) {
        const char *id = mh_engine_exhibit_id(e, i);
        n = strlen(out);
        snprintf(out + n, size - n, "%s{\"id\":", i ? "," : "");
        json_string(out, size, id);
        n = strlen(out);
        snprintf(out + n, size - n, ",\"zh\":");
        json_string(out, size, mh_engine_exhibit_name(e, i, "zh"));
        n = strlen(out);
        snprintf(out + n, size - n, ",\"en\":");
        json_string(out, size, mh_engine_exhibit_name(e, i, "en"));
        n = strlen(out);
        snprintf(out + n, size - n, ",\"featured\":%s}", !strcmp(id, featured) ? "true" : "false");
    }
    n = strlen(out);
    snprintf(out + n, size - n, "]}");
    return out;
}

void mh_commander_notice(mh_commander *c)
{
    if (!c->desc.engine)
        return;
    mh_visit_status vs;
    mh_engine_visit_status(c->desc.engine, &vs);
    const char *loading = mh_engine_loading(c->desc.engine);
    const char *hours = !c->desc.hours || mh_hours_open(c->desc.hours, time(NULL)) ? "open" : "closed";
    char seen[sizeof c->seen];
    snprintf(seen, sizeof seen, "%s|%s|%s|%s|%s|%d", mh_engine_featured(c->desc.engine), vs.mode, vs.language,
             loading ? loading : "", hours, vs.mode[0] == 't' ? vs.tour_stop : -1);
    if (strcmp(seen, c->seen)) {
        snprintf(c->seen, sizeof c->seen, "%s", seen);
        c->serial++;
    }
}
