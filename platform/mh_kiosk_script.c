/* mh_kiosk_script.c - what a replayed --script sees of the kiosk: the
 * visit's fields for `expect` and `print`, screenshots, `timing` lines over
 * the frame-time rings, and `control` lines run through the commander. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "metahall.h"
#include "mh_cmd.h"
#include "mh_kiosk.h"

/* The process's resident memory now and its peak (since start or the last
 * reset_peak), in KiB from /proc/self/status; 0 where there is none. */
static void memory_kib(long *rss, long *peak)
{
    *rss = *peak = 0;
    FILE *f = fopen("/proc/self/status", "r");
    char line[128];
    while (f && fgets(line, sizeof line, f)) {
        sscanf(line, "VmRSS: %ld", rss);
        sscanf(line, "VmHWM: %ld", peak);
    }
    if (f)
        fclose(f);
}

/* Starts a new peak (Linux: "5" into clear_refs); false where it cannot. */
static bool reset_peak(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    bool ok = f && fputs("5", f) >= 0;
    if (f)
        ok = fclose(f) == 0 && ok;
    return ok;
}

/* timing NAME: frame times since the last mark, wall clock and CPU (the
 * process's CPU time per frame: the kiosk's own work, loader included,
 * without the stalls a busy or virtual machine adds to the wall clock; and
 * the render thread's alone, the loader's worker left out), and resident
 * memory: now, and its peak over the phase (since the start where the peak
 * cannot be reset). */
/* The frames since the mark of each ring (pushed together), one a line. */
static void write_frames(const mh_kiosk_script *c, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        mh_log_error("timing", "cannot write %s", path);
        return;
    }
    fprintf(f, "# wall_ms process_cpu_ms render_thread_cpu_ms draw_calls triangles\n");
    const mh_frame_stats *w = c->wall, *u = c->cpu, *t = c->render;
    long first = w->count - w->desc.capacity > w->mark ? w->count - w->desc.capacity : w->mark;
    for (long i = first; i < w->count; i++) {
        long at = i % w->desc.capacity;
        fprintf(f, "%.3f %.3f %.3f %u %u\n", w->desc.ms[at], u->desc.ms[at], t ? t->desc.ms[at] : 0.0f,
                c->draw_calls ? c->draw_calls[at] : 0, c->triangles ? c->triangles[at] : 0);
    }
    fclose(f);
}

static void script_timing(void *user, const char *name, const char *file)
{
    mh_kiosk_script *c = user;
    mh_frame_summary w = mh_frame_stats_since_mark(c->wall), u = mh_frame_stats_since_mark(c->cpu);
    mh_frame_summary t = c->render ? mh_frame_stats_since_mark(c->render) : (mh_frame_summary){0};
    long rss, peak;
    memory_kib(&rss, &peak);
    if (w.frames > 0)
        mh_log_info("timing",
                    "%s: median %.2f ms, p99 %.2f ms, worst %.2f ms over %ld frames; "
                    "cpu median %.2f ms, p99 %.2f ms, worst %.2f ms; "
                    "render thread cpu median %.2f ms, p99 %.2f ms, worst %.2f ms; rss %.1f MB, peak %.1f MB%s",
                    name, w.median_ms, w.p99_ms, w.worst_ms, w.frames, u.median_ms, u.p99_ms, u.worst_ms, t.median_ms,
                    t.p99_ms, t.worst_ms, (double)rss / 1024.0, (double)peak / 1024.0,
                    c->peak_reset ? "" : " (peak since start)");
    if (file)
        write_frames(c, file);
    c->peak_reset = reset_peak();
    mh_frame_stats_mark(c->wall);
    mh_frame_stats_mark(c->cpu);
    if (c->render)
        mh_frame_stats_mark(c->render);
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
    else if (!strcmp(field, "pos")) /* whole metres: x,z */
        snprintf(got, size, "%.0f,%.0f", roundf(st.x) + 0.0f, roundf(st.z) + 0.0f);
    else if (!strcmp(field, "page") || !strcmp(field, "view"))
        snprintf(got, size, "%d", (field[0] == 'p' ? st.page : st.view) + (st.panel[0] ? 1 : 0));
    else if (!strcmp(field, "pages") || !strcmp(field, "views"))
        snprintf(got, size, "%d", field[0] == 'p' ? st.pages : st.views);
    else if (!strcmp(field, "view_name"))
        snprintf(got, size, "%s", st.view_name);
    else if (!strcmp(field, "page_turns"))
        snprintf(got, size, "%u", st.page_turns);
    else if (!strcmp(field, "caption_part") && st.caption_part >= 0)
        snprintf(got, size, "%d", st.caption_part + 1);
    else if (!strcmp(field, "caption_part"))
        got[0] = '\0';
    else if (!strcmp(field, "volume"))
        snprintf(got, size, "%d", st.volume);
    else if (!strcmp(field, "muted"))
        snprintf(got, size, "%s", st.muted ? "yes" : "no");
    else if (!strcmp(field, "heading")) /* whole degrees, -179..180 */
        snprintf(got, size, "%.0f", roundf(remainderf(st.heading_deg, 360.0f)) + 0.0f);
    else if (!strcmp(field, "headset"))
        snprintf(got, size, "%s", st.headset ? st.headset : "");
    else if (!strcmp(field, "visits"))
        snprintf(got, size, "%d", st.visits);
    else if (!strcmp(field, "menu"))
        snprintf(got, size, "%s", st.menu ? "open" : "closed");
    else if (!strcmp(field, "seated"))
        snprintf(got, size, "%s", st.seated ? "yes" : "no");
    else if (!strcmp(field, "streamed")) /* booth models in (hall.json "streaming") */
        snprintf(got, size, "%d", mh_engine_streamed(c->engine, NULL));
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
