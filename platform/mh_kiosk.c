/* mh_kiosk.c - the kiosk's wiring and frame loop: opens the platform, the
 * engine, operator control, the fleet and the service, then runs
 * poll -> commands -> engine frame -> present until asked to stop, keeping
 * frame times for STATUS, the service's status line and the closing log.
 * Around the loop: what operators set is restored at start and saved when
 * it changes (mh_state.c), visitor events go to the statistics
 * (mh_stats.c), and outside the opening hours (mh_hours.c) the hall gives
 * way to a dark closed screen drawn once a second. Before it tells systemd
 * it is READY, the kiosk reads its frame back and checks that it is not one
 * colour (the self-test frame, mh_selftest.c). */
#include "mh_kiosk.h"
#include "mh_wav_sink.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "control/mh_control.h"
#include "http/mh_http.h"
#include "metahall_tools.h"
#include "mh_cmd.h"
#include "mh_platform.h"
#include "mh_selftest.h"
#include "service/mh_fleet.h"
#include "service/mh_hours.h"
#include "service/mh_service.h"
#include "service/mh_state.h"
#include "service/mh_stats.h"

/* How long a kiosk running until stopped may show one colour before it
 * gives up (exit 1, and systemd starts it again). */
#define KIOSK_SELFTEST_S 10.0

/* Frame times (wall clock, the process's CPU and the render thread's CPU)
 * for the closing log line and the script's `timing` lines; sized once, so
 * frames never allocate. */
typedef struct kiosk_times {
    mh_frame_stats wall, cpu, render;
    float wall_ms[MH_KIOSK_TIMED_FRAMES], cpu_ms[MH_KIOSK_TIMED_FRAMES], render_ms[MH_KIOSK_TIMED_FRAMES],
        sorted[MH_KIOSK_TIMED_FRAMES];
    /* what each frame drew, at the same places (a `timing` file's last columns) */
    uint32_t draw_calls[MH_KIOSK_TIMED_FRAMES], triangles[MH_KIOSK_TIMED_FRAMES];
    double render_cpu; /* the render thread's CPU clock when this frame began */
} kiosk_times;

/* Everything one run of the kiosk holds. */
typedef struct kiosk {
    const mh_options *o;
    const mh_platform *p;
    mh_engine *e;
    mh_script *script;
    mh_kiosk_script sc; /* what the script's hooks see */
    mh_script_hooks hooks;
    mh_commander *commander;
    mh_control *control;
    mh_fleet *fleet;
    mh_http *http;
    mh_state_writer *state;
    uint32_t state_serial;
    mh_stats *stats;
    mh_hours hours;
    bool closed;         /* outside the opening hours now */
    double closed_drawn; /* when the closed screen was last drawn */
    double hours_checked, stats_ticked;
    char hall_name[64], shots[640], state_dir[600], state_path[700];
    mh_operator_settings restored;
    kiosk_times times;
    double t0, last, time_s; /* start, the last frame's start, the engine's clock */
    long frame, max_fps;
    bool fixed;          /* 1/60 s per frame, whatever the clock says */
    mh_frame_output out; /* the last frame's figures */
    mh_wav_sink *wav;    /* --audio-out: the sound into a file */
    int status;
    bool until_stopped; /* no --frames, no --script: a kiosk, not a test run */
    /* the self-test frame: passed (READY may go), READY sent, the read-back
     * buffer (freed once passed), when the frames started being one colour */
    bool tested, ready;
    uint8_t *check;
    size_t check_size;
    double check_failing_since;
} kiosk;

static void times_init(kiosk_times *t)
{
    /* one scratch for both: they are summed up one after the other */
    mh_frame_stats_init(&t->wall, &(mh_frame_stats_desc){.ms = t->wall_ms,
                                                         .scratch = t->sorted,
                                                         .capacity = MH_KIOSK_TIMED_FRAMES});
    mh_frame_stats_init(&t->cpu, &(mh_frame_stats_desc){.ms = t->cpu_ms,
                                                        .scratch = t->sorted,
                                                        .capacity = MH_KIOSK_TIMED_FRAMES});
    mh_frame_stats_init(&t->render, &(mh_frame_stats_desc){.ms = t->render_ms,
                                                           .scratch = t->sorted,
                                                           .capacity = MH_KIOSK_TIMED_FRAMES});
}

static void report_frames(const mh_frame_stats *wall, const mh_frame_output *last)
{
    mh_frame_summary s = mh_frame_stats_last(wall, MH_KIOSK_TIMED_FRAMES);
    if (s.frames <= 0)
        return;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    mh_log_info("main", "%ld frames: median %.2f ms, p99 %.2f ms, worst %.2f ms; peak RSS %.1f MB", wall->count,
                s.median_ms, s.p99_ms, s.worst_ms, (double)ru.ru_maxrss / 1024.0);
    mh_log_info("main", "last frame: %d draw calls, %u triangles, %d chunks culled", last->draw_calls, last->triangles,
                last->culled);
}

static void hall_basename(const char *dir, char *out, size_t size)
{
    char buf[PATH_MAX];
    const char *use = realpath(dir, buf) ? buf : dir;
    size_t n = strlen(use);
    while (n > 1 && use[n - 1] == '/')
        n--;
    const char *b = use + n;
    while (b > use && b[-1] != '/')
        b--;
    snprintf(out, size, "%.*s", (int)(use + n - b), b);
}

/* Where screenshots go: --screenshot-dir, else the state folder's screenshots/. */
static const char *shots_dir(kiosk *k, const mh_options *o)
{
    if (o->screenshot_dir)
        return o->screenshot_dir;
    if (k->state_dir[0])
        snprintf(k->shots, sizeof k->shots, "%s/screenshots", k->state_dir);
    else
        snprintf(k->shots, sizeof k->shots, "/tmp/metahall-screenshots");
    return k->shots;
}

/* The state folder: test and benchmark runs (--frames, --script) keep no
 * state unless --state-dir names one; a running kiosk keeps it in the
 * default place. Reads back what operators set (a corrupt file is kept as
 * state.json.corrupt and the hall's defaults are used, with a warning). */
static void state_open(kiosk *k, const mh_options *o)
{
    k->restored = (mh_operator_settings){.volume = -1};
    bool interactive = !o->frames && !o->script;
    if ((!interactive && !o->state_dir) || !mh_state_dir(o->state_dir, k->state_dir, sizeof k->state_dir)) {
        k->state_dir[0] = '\0';
        return;
    }
    snprintf(k->state_path, sizeof k->state_path, "%s/state.json", k->state_dir);
    mh_error err;
    char text[1200], corrupt[720];
    if (mh_state_load(k->state_path, &k->restored, &err)) {
        mh_log_info("state", "restoring from %s: exhibit %s, language %s, volume %d", k->state_path,
                    k->restored.exhibit[0] ? k->restored.exhibit : "(the hall's)",
                    k->restored.language[0] ? k->restored.language : "(default)", k->restored.volume);
    } else if (err.message[0]) {
        snprintf(corrupt, sizeof corrupt, "%s.corrupt", k->state_path);
        rename(k->state_path, corrupt);
        mh_log_warn("state", "%s; starting on the hall's defaults (the file is kept as %s)",
                    mh_error_text(&err, text, sizeof text), corrupt);
    }
    k->state = mh_state_writer_open(k->state_path);
}

/* Saves what operators set when it has changed (on the writer's thread). */
static void state_save(kiosk *k)
{
    mh_operator_settings s;
    uint32_t serial = mh_commander_settings(k->commander, &s);
    if (serial == k->state_serial)
        return;
    k->state_serial = serial;
    mh_state_writer_put(k->state, &s);
}

/* Opens what the options ask for. A control address given explicitly must
 * bind; the default one only warns when taken (another kiosk on this host). */
static bool kiosk_open(kiosk *k, const mh_options *o, const mh_platform *p, mh_engine *e, const char *hall_dir)
{
    mh_error err;
    char text[1200];
    hall_basename(hall_dir, k->hall_name, sizeof k->hall_name);
    mh_commander_desc cd = {
        .engine = e,
        .kiosk_id = o->kiosk_id,
        .hall_name = k->hall_name,
        .screenshot_dir = shots_dir(k, o),
        .screenshot_max_files = (int)o->screenshot_max_files,
        .screenshot_max_mb = o->screenshot_max_mb,
        .screenshot_default = o->screenshot_reply && !strcmp(o->screenshot_reply, "file") ? MH_SHOT_FILE : MH_SHOT_PNG,
        .hours = &k->hours,
        .now = p->now,
    };
    if (!(k->commander = mh_commander_create(&cd))) {
        fprintf(stderr, "metahall: out of memory\n");
        return false;
    }
    mh_commander_restore(k->commander, &k->restored);
    k->state_serial = mh_commander_settings(k->commander, &k->restored);
    k->stats = mh_stats_create(&(mh_stats_desc){.dir = k->state_dir[0] ? k->state_dir : NULL,
                                                .kiosk = mh_commander_kiosk_id(k->commander),
                                                .hall = k->hall_name},
                               time(NULL));
    mh_commander_set_stats(k->commander, k->stats);
    /* test and benchmark runs (--frames, --script) open no port unless asked */
    bool interactive = !o->frames && !o->script;
    const char *addr = o->control ? o->control : interactive ? MH_DEFAULT_CONTROL : NULL;
    if (addr && !strcmp(addr, "off"))
        addr = NULL;
    if (addr || o->control_unix) {
        mh_control_desc ctl = {.addr = addr,
                               .unix_path = o->control_unix,
                               .token = o->token,
                               .max_clients = (int)o->max_clients,
                               .max_per_address = (int)o->max_per_address,
                               .idle_timeout_s = o->control_idle,
                               .rate_limit = (int)o->rate_limit,
                               .commander = k->commander};
        k->control = mh_control_open(&ctl, &err);
        if (!k->control && (o->control || o->control_unix)) {
            fprintf(stderr, "metahall: %s\n", mh_error_text(&err, text, sizeof text));
            return false;
        }
        if (!k->control)
            mh_log_warn("control", "no operator control: %s", mh_error_text(&err, text, sizeof text));
    }
    if (o->mqtt) {
        uint32_t allow = 0;
        if (o->mqtt_allow && !mh_fleet_parse_allow(o->mqtt_allow, &allow, &err)) {
            fprintf(stderr, "metahall: %s\n", mh_error_text(&err, text, sizeof text));
            return false;
        }
        mh_fleet_desc fd = {.broker = o->mqtt,
                            .hall = k->hall_name,
                            .kiosk_id = mh_commander_kiosk_id(k->commander),
                            .username = o->mqtt_user,
                            .password = o->mqtt_password,
                            .cafile = o->mqtt_cafile,
                            .certfile = o->mqtt_certfile,
                            .keyfile = o->mqtt_keyfile,
                            .token = o->token,
                            .allow = allow,
                            .thumb_interval_s = o->thumb_interval,
                            .stats = k->stats,
                            .commander = k->commander};
        if (!(k->fleet = mh_fleet_open(&fd, &err))) {
            fprintf(stderr, "metahall: %s\n", mh_error_text(&err, text, sizeof text));
            return false;
        }
    }
    if (o->http) {
        mh_http_kiosk_desc hd = {.listen = o->http,
                                 .token = o->token,
                                 .commander = k->commander,
                                 .stats = k->stats,
                                 .hall = k->hall_name};
        if (!(k->http = mh_http_open_kiosk(&hd, &err))) {
            fprintf(stderr, "metahall: %s\n", mh_error_text(&err, text, sizeof text));
            return false;
        }
    }
    return true;
}

static void kiosk_close(kiosk *k)
{
    mh_http_close(&k->http);
    mh_fleet_close(&k->fleet);
    mh_control_close(&k->control);
    if (k->commander)
        state_save(k);
    mh_state_writer_close(&k->state);
    mh_commander_destroy(&k->commander);
    mh_stats_destroy(&k->stats, time(NULL));
}

/* The line `systemctl status` shows: what is featured, at what rate. */
static void service_status(kiosk *k, mh_engine *e)
{
    char text[200];
    const char *featured = mh_engine_featured(e);
    snprintf(text, sizeof text, "%s: featuring %s, %.0f fps", k->hall_name, featured[0] ? featured : "nothing",
             mh_commander_fps(k->commander));
    mh_service_status(text);
}

/* Sleeps what is left of this frame's share of a second (headless servers). */
static void pace(const mh_platform *p, double frame_start, long max_fps)
{
    if (max_fps <= 0)
        return;
    double left = 1.0 / (double)max_fps - (p->now() - frame_start);
    if (left > 0.0005) {
        struct timespec ts = {0, (long)(left * 1e9)};
        nanosleep(&ts, NULL);
    }
}

/* Loads the script, opens the platform, begins and finishes the engine
 * (mh_engine_begin, mh_engine_finish), and opens operator control, the
 * fleet and the service's side.
 * False (with the message printed and everything closed again) when any of
 * them cannot. */
static bool kiosk_fail(kiosk *k, const mh_error *err)
{
    char text[1200];
    if (err)
        fprintf(stderr, "metahall: %s\n", mh_error_text(err, text, sizeof text));
    kiosk_close(k);
    mh_state_writer_close(&k->state);
    mh_engine_destroy(&k->e);
    mh_script_free(&k->script);
    if (k->p)
        k->p->shutdown();
    return false;
}

static bool kiosk_start(kiosk *k, const mh_options *o, const char *hall_dir)
{
    mh_error err = {0};
    char text[1200];
    k->o = o;
    if (!mh_hours_parse(&k->hours, o->hours, o->holidays, &err)) {
        fprintf(stderr, "metahall: opening hours: %s\n", mh_error_text(&err, text, sizeof text));
        return false;
    }
    state_open(k, o);
    mh_engine_desc ed = {.hall_dir = hall_dir,
                         .msaa = o->msaa,
                         .quality = o->quality,
                         .bloom = o->bloom,
                         .reflection = o->reflection,
                         .start_view = o->view,
                         .idle_timeout_s = o->idle_timeout,
                         .language = o->lang,
                         .featured = k->restored.exhibit[0] ? k->restored.exhibit : NULL,
                         .volume = o->volume > 0 ? (int)o->volume : 0,
                         .muted = o->mute || o->volume == 0,
                         .offline_audio = o->audio_out != NULL,
                         .scene_only = o->no_interface,
                         .headset_grace_s = o->headset_grace,
                         .seated = o->seated,
                         .still = o->still,
                         .eye_height = o->eye_height};
    if (o->script && !(k->script = mh_script_load(o->script, &err)))
        return kiosk_fail(k, &err);
    mh_platform_desc pd = {.width = o->width,
                           .height = o->height,
                           .fullscreen = o->fullscreen,
                           .vsync = o->vsync,
                           .lockdown = o->lockdown > 0,
                           .msaa = o->msaa,
                           .render_scale = o->render_scale,
                           .title = "metahall"};
    const mh_platform *p = k->p = mh_platform_open(o->platform, &pd, &err);
    if (!p)
        return kiosk_fail(k, &err);
    /* the hall's scene is built on its thread while the platform's GL comes up in `render` and `bench`
     * (mh_engine_begin before EGL); the kiosk opens its platform first: with the scene's thread running,
     * SDL's video start against a display with no server behind it hung under ASan (platform_auto) */
    if (!(k->e = mh_engine_begin(&ed, &err)))
        return kiosk_fail(k, &err);
    int w, h;
    p->drawable_size(&w, &h);
    k->t0 = p->now();
    /* what the platform knows: a headset has no pointer without a controller: select by gaze */
    ed.dwell_s = o->dwell >= 0 ? o->dwell : p->begin_frame ? 1.5f : 0.0f;
    ed.offscreen_width = p->offscreen ? w : 0;
    ed.offscreen_height = p->offscreen ? h : 0;
    ed.multiview = o->multiview && o->stereo && p->offscreen;
    ed.gl_proc = p->gl_proc;
    if (!mh_engine_finish(k->e, &ed, &err))
        return kiosk_fail(k, &err);
    if (k->restored.exhibit[0] && strcmp(mh_engine_featured(k->e), k->restored.exhibit) != 0) {
        mh_log_warn("state",
                    "the saved exhibit %s is not on the stage (not in this hall, or it failed to "
                    "load): showing the hall's own",
                    k->restored.exhibit);
        k->restored.exhibit[0] = '\0';
    }
    if (!kiosk_open(k, o, p, k->e, hall_dir))
        return kiosk_fail(k, NULL);
    if (o->audio_out && !(k->wav = mh_wav_sink_open(o->audio_out, &err)))
        fprintf(stderr, "metahall: %s (no sound file)\n", mh_error_text(&err, text, sizeof text));
    else if (!o->audio_out && p->audio)
        p->audio(k->e); /* the device pulls the sound from now on */
    times_init(&k->times);
    k->sc = (mh_kiosk_script){.engine = k->e,
                              .width = w,
                              .height = h,
                              .wall = &k->times.wall,
                              .cpu = &k->times.cpu,
                              .render = &k->times.render,
                              .draw_calls = k->times.draw_calls,
                              .triangles = k->times.triangles,
                              .commander = k->commander};
    k->hooks = mh_kiosk_script_hooks(&k->sc);
    mh_log_info("main", "hall %s loaded in %.0f ms on %s", hall_dir, (p->now() - k->t0) * 1000.0,
                mh_engine_gl_name(k->e));
    /* a headless kiosk running until stopped keeps to real time and 60 fps */
    bool until_stopped = k->until_stopped = !o->frames && !k->script;
    k->fixed = p->fixed_step && !until_stopped;
    k->max_fps = o->max_fps >= 0 ? o->max_fps : p->offscreen && until_stopped ? 60 : 0;
    k->last = p->now();
    return true;
}

/* After a drawn frame: its times (and what it drew: out, NULL for the
 * closed screen) for STATUS, the log and `timing`; the service's watchdog
 * and status line; ready after the first frame. */
static void frame_done(kiosk *k, const mh_frame_input *in, const mh_frame_output *out, double start, double cpu)
{
    double end = k->p->now();
    long at = k->times.wall.count % MH_KIOSK_TIMED_FRAMES; /* where the push below puts this frame */
    k->times.draw_calls[at] = out ? (uint32_t)out->draw_calls : 0;
    k->times.triangles[at] = out ? (uint32_t)out->triangles : 0;
    mh_frame_stats_push(&k->times.wall, (float)((end - start) * 1000.0), end);
    mh_frame_stats_push(&k->times.cpu, (float)((mh_clock_seconds(MH_CLOCK_PROCESS_CPU) - cpu) * 1000.0), end);
    mh_frame_stats_push(&k->times.render,
                        (float)((mh_clock_seconds(MH_CLOCK_THREAD_CPU) - k->times.render_cpu) * 1000.0), end);
    mh_commander_frame(k->commander, in->width, in->height, (end - start) * 1000.0);
    mh_service_frame(end);
    if (k->frame % 120 == 0)
        service_status(k, k->e);
    if (k->frame == 0)
        mh_log_info("main", "first frame presented %.0f ms after start (%.0f ms after the platform opened)",
                    mh_frame_stats_process_age_ms(), (end - k->t0) * 1000.0);
    if (k->p->begin_frame && !k->tested) {
        mh_log_info("selftest", "a headset: its runtime shows the frames, none is read back");
        k->tested = true;
    }
    if (k->tested && !k->ready) {
        char text[200];
        snprintf(text, sizeof text, "showing %s", k->hall_name);
        mh_service_ready(text);
        k->ready = true;
    }
}

/* The self-test frame, before it is presented: read back, it must not be
 * one colour. The first that passes lets READY go (frame_done). A kiosk
 * showing one colour for KIOSK_SELFTEST_S stops (false, exit 1); a test
 * run only says so and goes on. */
static bool self_test(kiosk *k, int w, int h, double now)
{
    if (k->tested || k->p->begin_frame)
        return true;
    size_t size = (size_t)w * (size_t)h * 4;
    if (size > k->check_size) {
        free(k->check);
        k->check = malloc(size);
        k->check_size = k->check ? size : 0;
    }
    char why[200] = "the frame could not be read back";
    bool ok = k->check && mh_engine_read_pixels(k->e, k->check, w, h) &&
              mh_selftest_frame(k->check, w, h, NULL, why, sizeof why);
    if (ok || (!k->until_stopped && k->check_failing_since > 0 && now - k->check_failing_since > KIOSK_SELFTEST_S)) {
        if (ok)
            mh_log_info("selftest", "the frame shows the hall (%s): ready", why);
        else
            mh_log_warn("selftest", "still %s after %.0f s; a test run goes on", why, KIOSK_SELFTEST_S);
        k->tested = true;
        free(k->check);
        k->check = NULL;
        k->check_size = 0;
        return true;
    }
    if (k->check_failing_since <= 0) {
        k->check_failing_since = now;
        mh_log_warn("selftest", "the first frame read back is %s: not ready yet", why);
    } else if (k->until_stopped && now - k->check_failing_since > KIOSK_SELFTEST_S) {
        mh_log_error("selftest",
                     "every frame for %.0f s was %s: the GPU or its driver draws nothing; stopping "
                     "(metahall doctor checks GL and the screen)",
                     KIOSK_SELFTEST_S, why);
        k->status = 1;
        return false;
    }
    return true;
}

/* Visitor events to the statistics; the hour and day roll over. */
static void count_visitors(kiosk *k, double now)
{
    mh_visit_event ev[16];
    time_t wall = 0;
    int n;
    while ((n = mh_engine_visit_events(k->e, ev, 16)) > 0) {
        wall = wall ? wall : time(NULL);
        for (int i = 0; i < n; i++)
            mh_stats_event(k->stats, &ev[i], wall);
    }
    if (now - k->stats_ticked >= 1.0) {
        mh_stats_tick(k->stats, time(NULL));
        k->stats_ticked = now;
    }
}

/* Open or closed now (checked once a second); coming back opens on attract mode. */
static bool check_hours(kiosk *k, double now)
{
    if (now - k->hours_checked < 1.0)
        return k->closed;
    k->hours_checked = now;
    bool closed = !mh_hours_open(&k->hours, time(NULL));
    if (closed != k->closed) {
        mh_log_info("main", "%s",
                    closed ? "closed: outside the opening hours, the screen goes dark"
                           : "open: the hall is shown again");
        if (!closed)
            mh_engine_attract(k->e);
        k->closed = closed;
        k->closed_drawn = -1e9;
        k->last = now; /* no huge step of time for the visit */
    }
    return closed;
}

/* The closed screen, drawn once a second; the loop still polls commands ten
 * times a second (WAKE answers quickly) and feeds the watchdog. */
static bool closed_frame(kiosk *k, mh_frame_input *in, double now, double cpu)
{
    const mh_platform *p = k->p;
    if (now - k->closed_drawn >= 1.0) {
        char zh[96], en[96];
        mh_hours_notice(&k->hours, time(NULL), zh, en, sizeof zh);
        mh_engine_frame_closed(k->e, in, zh, en);
        if (p->offscreen)
            mh_engine_finish_gpu(k->e);
        if (!self_test(k, in->width, in->height, now))
            return false;
        p->present();
        frame_done(k, in, NULL, now, cpu);
        k->closed_drawn = now;
        k->frame++;
    } else {
        mh_service_frame(now);
    }
    k->last = now;
    struct timespec ts = {0, 100 * 1000000L};
    nanosleep(&ts, NULL);
    return true;
}

/* One pass of the loop: input (and the script), operator commands, the
 * engine's frame, present. False when the kiosk is to stop. */
static bool kiosk_frame(kiosk *k)
{
    const mh_options *o = k->o;
    const mh_platform *p = k->p;
    mh_frame_input in = {0};
    if (!p->poll(&in.input))
        return false;
    if (k->script) {
        p->drawable_size(&k->sc.width, &k->sc.height);
        int r = mh_script_step(k->script, &in.input, &k->hooks);
        if (r <= 0) {
            k->status = r < 0 ? 1 : k->status;
            return false;
        }
    }
    double now = p->now(),
           cpu = mh_clock_seconds(MH_CLOCK_PROCESS_CPU); /* the frame's time includes the commands it ran */
    k->times.render_cpu = mh_clock_seconds(MH_CLOCK_THREAD_CPU);
    mh_control_poll(k->control);
    mh_fleet_poll(k->fleet);
    mh_http_poll(k->http);
    state_save(k);
    if (mh_commander_quit_requested(k->commander))
        return false;
    p->drawable_size(&in.width, &in.height);
    if (check_hours(k, now) && !p->begin_frame)
        return closed_frame(k, &in, now, cpu);
    if (p->begin_frame) {
        bool draw = p->begin_frame(&in); /* waits for the headset's next frame */
        now = p->now();
        cpu = mh_clock_seconds(MH_CLOCK_PROCESS_CPU);
        k->times.render_cpu = mh_clock_seconds(MH_CLOCK_THREAD_CPU);
        if (!draw) {             /* not visible yet, or told not to render */
            in.skip_draw = true; /* the visit's clock goes on: a headset off resets it */
            in.dt_s = now - k->last;
            k->time_s += in.dt_s;
            in.time_s = k->time_s;
            mh_frame_output out;
            mh_engine_frame(k->e, &in, &out);
            if (out.recenter && p->recenter) /* a visit began while nothing was shown */
                p->recenter();
            p->present();
            k->last = now;
            return true;
        }
        in.eyes_tracked = true;
    } else if (o->stereo) {
        mh_engine_preview_eyes(&in, in.width, in.height);
    }
    in.dt_s = k->fixed ? 1.0 / 60.0 : now - k->last;
    k->time_s += in.dt_s;
    in.time_s = k->time_s;
    mh_engine_frame(k->e, &in, &k->out);
    count_visitors(k, now);
    if (k->wav) /* the sound that belongs to this frame's time */
        mh_wav_sink_pump(k->wav, k->e, k->time_s);
    if (k->out.recenter && p->recenter)
        p->recenter();
    if (p->offscreen)
        mh_engine_finish_gpu(k->e); /* honest timing: the frame is done */
    if (o->frames && k->frame + 1 == o->frames && o->screenshot &&
        !mh_write_frame(k->e, o->screenshot, in.width, in.height))
        k->status = 1;
    if (!self_test(k, in.width, in.height, now))
        return false;
    p->present();
    frame_done(k, &in, &k->out, now, cpu);
    k->last = now;
    if (o->frames && ++k->frame >= o->frames)
        return false;
    if (!o->frames)
        k->frame++;
    pace(p, now, k->max_fps);
    return true;
}

/* Closes everything in order; the exit status (1 when the platform broke). */
static int kiosk_stop(kiosk *k)
{
    mh_error err;
    char text[1200];
    if (k->p->failed && k->p->failed(&err)) {
        mh_log_error("main", "%s", mh_error_text(&err, text, sizeof text));
        k->status = 1;
    }
    mh_service_stopping();
    mh_log_info("main", "shutting down");
    report_frames(&k->times.wall, &k->out);
    if (k->p->audio && !k->wav)
        k->p->audio(NULL);
    if (k->wav && !mh_wav_sink_close(&k->wav)) {
        mh_log_error("main", "%s: the sound file could not be finished", k->o->audio_out);
        k->status = 1;
    }
    kiosk_close(k);
    mh_script_free(&k->script);
    free(k->check);
    mh_engine_destroy(&k->e);
    k->p->shutdown();
    return k->status;
}

int mh_kiosk_run(const mh_options *o, const char *hall_dir)
{
    static kiosk k; /* its frame-time rings are large: kept off the stack */
    memset(&k, 0, sizeof k);
    if (!kiosk_start(&k, o, hall_dir))
        return 1;
    while (kiosk_frame(&k)) {
    }
    return kiosk_stop(&k);
}
