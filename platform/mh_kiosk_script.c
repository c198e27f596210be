/* mh_kiosk_script.c - what a replayed --script sees of the kiosk: the
 * visit's fields for `expect` and `print`, screenshots, `timing` lines over
 * the frame-time rings, and `control` lines run through the commander. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metahall.h"
#include "mh_cmd.h"
#include "mh_kiosk.h"

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* Median, p99 and worst of the last n entries of a ring of frame times. */
static void ring_stats(const float *ring, long frame, long n, float *med, float *p99, float *worst)
{
    float *s = malloc(sizeof *s * (size_t)n);
    *med = *p99 = *worst = 0;
    if (!s)
        return;
    for (long i = 0; i < n; i++)
        s[i] = ring[(frame - n + i) % MH_KIOSK_TIMED_FRAMES];
    qsort(s, (size_t)n, sizeof *s, cmp_float);
    *med = s[n / 2];
    *p99 = s[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1];
    *worst = s[n - 1];
    free(s);
}

/* timing NAME: frame times since the last mark, wall clock and CPU (the
 * process's CPU time per frame: the kiosk's own work, loader included,
 * without the stalls a busy or virtual machine adds to the wall clock). */
static void script_timing(void *user, const char *name)
{
    mh_kiosk_script *c = user;
    long n = *c->frame - c->mark;
    if (n > MH_KIOSK_TIMED_FRAMES)
        n = MH_KIOSK_TIMED_FRAMES;
    if (n > 0) {
        float m, p, w, cm, cp, cw;
        ring_stats(c->frame_ms, *c->frame, n, &m, &p, &w);
        ring_stats(c->frame_cpu_ms, *c->frame, n, &cm, &cp, &cw);
        mh_log_info("timing", "%s: median %.2f ms, p99 %.2f ms, worst %.2f ms over %ld frames; "
                    "cpu median %.2f ms, p99 %.2f ms, worst %.2f ms", name, m, p, w, n, cm, cp, cw);
    }
    c->mark = *c->frame;
}

static bool script_field(void *user, const char *field, char *got, size_t size)
{
    const mh_kiosk_script *c = user;
    mh_visit_status st;
    mh_engine_visit_status(c->engine, &st);
    if (!strcmp(field, "mode"))
        snprintf(got, size, "%s", st.mode);
    else if (!strcmp(field, "lang"))
        snprintf(got, size, "%s", st.language);
    else if (!strcmp(field, "panel"))
        snprintf(got, size, "%s", st.panel);
    else if (!strcmp(field, "hover"))
        snprintf(got, size, "%s", st.hover);
    else if (!strcmp(field, "at"))
        snprintf(got, size, "%s", st.at);
    else if (!strcmp(field, "tour_stop"))
        snprintf(got, size, "%d", st.tour_stop + 1);
    else if (!strcmp(field, "tour_paused"))
        snprintf(got, size, "%s", st.tour_paused ? "yes" : "no");
    else if (!strcmp(field, "pos"))   /* whole metres: x,z */
        snprintf(got, size, "%.0f,%.0f", roundf(st.x) + 0.0f, roundf(st.z) + 0.0f);
    else if (!strcmp(field, "featured"))
        snprintf(got, size, "%s", mh_engine_featured(c->engine));
    else if (!strcmp(field, "reply") || !strcmp(field, "reply_code"))
        sscanf(c->reply.text, !strcmp(field, "reply") ? "%15s" : "%*s %15s", got);
    else
        return false;
    return true;
}

static bool script_control_poll(void *user)
{
    mh_kiosk_script *c = user;
    if (!mh_commander_poll(c->commander, &c->reply))
        return false;
    mh_log_info("script", "%s -> %s", c->command, c->reply.text);
    return true;
}

static bool script_control(void *user, const char *line)
{
    mh_kiosk_script *c = user;
    snprintf(c->command, sizeof c->command, "%s", line);
    mh_commander_exec(c->commander, line, strlen(line), MH_CMD_AUTHED, &c->reply);
    return script_control_poll(c);
}

static bool script_screenshot(void *user, const char *path)
{
    const mh_kiosk_script *c = user;
    return mh_write_frame(c->engine, path, c->width, c->height);
}

mh_script_hooks mh_kiosk_script_hooks(mh_kiosk_script *c)
{
    return (mh_script_hooks){.field = script_field,
                             .screenshot = script_screenshot,
                             .timing = script_timing,
                             .control = script_control,
                             .control_poll = script_control_poll,
                             .user = c};
}
