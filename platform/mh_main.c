/* mh_main.c - the metahall program: command line, platform choice and the
 * main loop (poll -> engine frame -> present) shared by every platform.
 *
 *   metahall [--hall DIR] [--platform desktop|headless] [--fullscreen] ...
 *   metahall render [--hall DIR] [--view V] [--size WxH] --out FILE.png
 *
 * Exit status: 0 success, 1 the kiosk could not run (message on stderr),
 * 2 bad command line. */
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "asset/mh_png.h"
#include "asset/mh_validate.h"
#include "core/mh_fs.h"
#include "core/mh_log.h"
#include "metahall.h"
#include "mh_platform.h"
#include "mh_script.h"
#include "control/mh_command.h"
#include "control/mh_control.h"
#include "service/mh_config.h"
#include "service/mh_fleet.h"
#include "mh_args.h"
#include "mh_bench.h"
#include "service/mh_service.h"

#define MAX_TIMED_FRAMES 8192

typedef struct options {
    const char *command;      /* "run" or "render" */
    const char *hall;
    const char *platform;
    const char *view;
    const char *out;          /* render: PNG path */
    const char *screenshot;   /* run: PNG of the last frame */
    const char *script;       /* run: input script to replay */
    const char *lang;         /* a fresh visit's language */
    float idle_timeout;       /* seconds; 0 = default, < 0 never */
    float dwell;              /* < 0: default (off, 1.5 s on a headset) */
    int width, height;
    long frames;              /* run: stop after N frames (0 = until asked) */
    int msaa;
    bool fullscreen, vsync;
    bool stereo;              /* both eyes side by side (desktop, headless, render) */
    int lockdown;             /* -1 = with --fullscreen, 0 off, 1 on */
    /* operator control, fleet, service */
    const char *config;
    const char *control;      /* HOST:PORT, "off", or NULL = default */
    const char *control_unix;
    const char *token;
    const char *kiosk_id;
    const char *screenshot_dir;
    const char *mqtt, *mqtt_user, *mqtt_password;
    long rate_limit, max_clients;
    long max_fps;             /* -1 = default */
    char store[24][512];      /* copies of values read from the config file */
    int stored;
} options;

#define DEFAULT_CONTROL "127.0.0.1:7700"

static const char USAGE[] =
    "usage: metahall [OPTIONS]                 run the kiosk\n"
    "       metahall render [OPTIONS] --out FILE.png\n"
    "                                          render one frame headless to a PNG\n"
    "       metahall export [--hall DIR] --out FILE.glb\n"
    "                                          write the whole hall as one glTF binary (Blender, three.js)\n"
    "       metahall bench [OPTIONS]           frame times, CPU, start-up and memory on a fixed camera\n"
    "                                          path, headless ('metahall bench --help')\n"
    "       metahall validate PATH...          check halls, exhibits, models (.gltf/.glb) and PNGs;\n"
    "                                          one line per problem, exit 0 valid, 1 invalid\n"
    "       metahall ctl [--addr HOST:PORT] [--token T] COMMAND...\n"
    "                                          send one control command to a running kiosk\n"
    "\n"
    "options:\n"
    "  --config FILE        read settings from FILE first (key = value; keys are these options'\n"
    "                       names without dashes); options on the command line win\n"
    "  --hall DIR           hall folder with hall.json (default: the hall shipped in assets/)\n"
    "  --platform NAME      desktop (SDL2 window, or KMS/DRM without a desktop), headless (EGL,\n"
    "                       no display), openxr (a headset through the OpenXR runtime), or auto\n"
    "                       (the headset when a runtime and headset are there, else desktop);\n"
    "                       default desktop\n"
    "  --stereo             desktop, headless and render: both eyes side by side (VR preview)\n"
    "  --fullscreen         fill the screen (kiosk mode: locked down unless --no-lockdown)\n"
    "  --lockdown, --no-lockdown\n"
    "                       visitors cannot quit: keys and window-close are ignored, the keyboard\n"
    "                       is grabbed; only SIGTERM or QUIT with the token stop the kiosk\n"
    "  --view VIEW          where to start: entrance (default) or booth:<exhibit-id>\n"
    "  --size WxH           window or image size in pixels (default 1280x720)\n"
    "  --frames N           stop after N frames and print frame times\n"
    "  --screenshot FILE    with --frames: write the last frame as a PNG\n"
    "  --dwell SECONDS      select what the reticle rests on this long (default off; 1.5 on a\n"
    "                       headset without a controller; 0 = off)\n"
    "  --msaa N             multisample count: 1 (off), 2, 4, 8; default 4 on a GPU, off on a\n"
    "                       CPU rasteriser (llvmpipe), where it would cost ~2.5x the frame time\n"
    "  --no-vsync           do not wait for the display's refresh\n"
    "  --max-fps N          headless: at most N frames a second (default 60 when running until\n"
    "                       stopped, unlimited with --frames or --script; 0 = unlimited)\n"
    "  --out FILE.png       render: where to write the image\n"
    "  -v, --verbose        more log output;  -q, --quiet: errors only\n"
    "  -h, --help           this text;  --version: the version\n"
    "\n"
    "operator control (see README, 'Operator control'):\n"
    "  --control HOST:PORT  TCP and UDP control port (default " DEFAULT_CONTROL "; off to disable);\n"
    "                       an address beyond loopback needs --token\n"
    "  --control-unix PATH  also listen on a Unix socket (mode 0600; counts as authenticated)\n"
    "  --token TOKEN        shared secret: clients send AUTH TOKEN first (UDP: as a prefix)\n"
    "  --rate-limit N       commands per second per client (default 500)\n"
    "  --max-clients N      control connections at once (default 16)\n"
    "  --screenshot-dir DIR where SCREENSHOT writes (default ~/.local/state/metahall/screenshots)\n"
    "  --kiosk-id ID        this kiosk's name in STATUS and fleet topics (default the host name)\n"
    "  --mqtt HOST:PORT     join the fleet on this MQTT broker (topics metahall/<hall>/<kiosk-id>/...)\n"
    "  --mqtt-user USER, --mqtt-password PASSWORD\n"
    "                       broker credentials (better in the config file than on the command line)\n"
    "\n"
    "controls: W/A/S/D or arrows walk and turn, drag with the left mouse button to look,\n"
    "          Shift hurries; click or tap a booth to go there and open its panel; Enter selects\n"
    "          what the reticle is on; L language, T guided tour (pause/resume), N next stop,\n"
    "          H back to the entrance, Backspace closes the panel. Game controller: sticks walk\n"
    "          and look, A select, B close, X tour, Y language, Start entrance, RB next stop.\n"
    "          Touch: tap to select, drag up/down to walk, sideways to turn.\n";

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "metahall: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nRun 'metahall --help' for the options.\n");
    return 2;
}

static void print_problem(void *user, const char *file, const char *where, const char *message, bool error)
{
    (void)user;
    printf("%s: %s: %s%s\n", file, where, error ? "" : "warning: ", message);
}

/* metahall validate PATH...: exit 0 when every path is valid, 1 otherwise. */
static int validate(int argc, char **argv)
{
    if (argc < 3)
        return usage_error("validate needs at least one PATH (a hall or exhibit folder, .gltf, .glb or .png)%s", "");
    for (int i = 2; i < argc; i++)
        if (argv[i][0] == '-' && strcmp(argv[i], "-"))
            return usage_error("validate takes paths, not options ('%s')", argv[i]);
    mh_log_set_level(MH_LOG_ERROR + 1);  /* problems go to stdout once, not through the log as well */
    mh_validate_stats st = {0};
    for (int i = 2; i < argc; i++)
        mh_validate_path(argv[i], print_problem, NULL, &st);
    mh_validate_reset();
    fflush(stdout);
    fprintf(stderr, "metahall validate: %d files checked, %d errors, %d warnings: %s\n", st.files, st.errors,
            st.warnings, st.errors ? "INVALID" : "valid");
    return st.errors ? 1 : 0;
}

/* Options that take no value. */
static const char *const FLAGS[] = {"-v", "--verbose", "-q", "--quiet", "--fullscreen", "--no-vsync", "--stereo",
                                    "--lockdown", "--no-lockdown", "-h", "--help", "--version"};

/* Options that take a value. */
static const char *const VALUED[] = {
    "--hall", "--platform", "--view", "--size", "--frames", "--screenshot", "--msaa", "--out", "--script",
    "--lang", "--idle-timeout", "--dwell", "--config", "--control", "--control-unix", "--token", "--kiosk-id",
    "--screenshot-dir", "--mqtt", "--mqtt-user", "--mqtt-password", "--rate-limit", "--max-clients", "--max-fps"};

static bool takes_value(const char *a)
{
    for (size_t i = 0; i < sizeof VALUED / sizeof *VALUED; i++)
        if (!strcmp(a, VALUED[i]))
            return true;
    return false;
}

static bool is_flag(const char *a)
{
    for (size_t i = 0; i < sizeof FLAGS / sizeof *FLAGS; i++)
        if (!strcmp(a, FLAGS[i]))
            return true;
    return false;
}

static int set_flag(options *o, const char *a)
{
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
        fputs(USAGE, stdout);
        return 0;
    } else if (!strcmp(a, "--version")) {
        printf("metahall %s\n", METAHALL_VERSION);
        return 0;
    } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
        mh_log_set_level(MH_LOG_DEBUG);
    } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
        mh_log_set_level(MH_LOG_ERROR);
    } else if (!strcmp(a, "--fullscreen")) {
        o->fullscreen = true;
    } else if (!strcmp(a, "--no-vsync")) {
        o->vsync = false;
    } else if (!strcmp(a, "--stereo")) {
        o->stereo = true;
    } else {
        o->lockdown = !strcmp(a, "--lockdown");
    }
    return -1;
}

static int set_number(options *o, const char *a, const char *v)
{
    long n;
    if (!strcmp(a, "--frames")) {
        if (!mh_parse_long(v, 1, 100000000, &o->frames))
            return usage_error("bad frame count '%s' (expected a whole number from 1)", v);
    } else if (!strcmp(a, "--msaa")) {
        if (!mh_parse_long(v, 1, 16, &n))
            return usage_error("bad sample count '%s' (expected 1 to 16)", v);
        o->msaa = (int)n;
    } else if (!strcmp(a, "--rate-limit")) {
        if (!mh_parse_long(v, 1, 1000000, &o->rate_limit))
            return usage_error("bad rate limit '%s' (expected commands per second, 1 to 1000000)", v);
    } else if (!strcmp(a, "--max-clients")) {
        if (!mh_parse_long(v, 1, 1000, &o->max_clients))
            return usage_error("bad client count '%s' (expected 1 to 1000)", v);
    } else if (!strcmp(a, "--max-fps")) {
        if (!mh_parse_long(v, 0, 1000, &o->max_fps))
            return usage_error("bad frame rate '%s' (expected 0 to 1000; 0 = unlimited)", v);
    } else {
        char *end;
        double sec = strtod(v, &end);
        if (!*v || *end || sec < 0 || sec > 86400)
            return usage_error("bad number of seconds '%s' (expected 0 to 86400)", v);
        if (!strcmp(a, "--dwell"))
            o->dwell = (float)sec;
        else
            o->idle_timeout = sec == 0 ? -1.0f : (float)sec;
    }
    return -1;
}

/* One option with its value. Returns -1 when taken, else an exit status. */
static int set_option(options *o, const char *a, const char *v)
{
    static const char *const numbers[] = {"--frames", "--msaa", "--rate-limit", "--max-clients", "--max-fps",
                                          "--idle-timeout", "--dwell"};
    for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++)
        if (!strcmp(a, numbers[i]))
            return set_number(o, a, v);
    struct { const char *name; const char **field; } strings[] = {
        {"--hall", &o->hall}, {"--view", &o->view}, {"--screenshot", &o->screenshot}, {"--out", &o->out},
        {"--script", &o->script}, {"--config", &o->config}, {"--control", &o->control},
        {"--control-unix", &o->control_unix}, {"--token", &o->token}, {"--kiosk-id", &o->kiosk_id},
        {"--screenshot-dir", &o->screenshot_dir}, {"--mqtt", &o->mqtt}, {"--mqtt-user", &o->mqtt_user},
        {"--mqtt-password", &o->mqtt_password},
    };
    for (size_t i = 0; i < sizeof strings / sizeof *strings; i++) {
        if (!strcmp(a, strings[i].name)) {
            *strings[i].field = v;
            return -1;
        }
    }
    if (!strcmp(a, "--platform")) {
        if (strcmp(v, "desktop") && strcmp(v, "headless") && strcmp(v, "openxr") && strcmp(v, "auto"))
            return usage_error("unknown platform '%s' (expected desktop, headless, openxr or auto)", v);
        if (!strcmp(o->command, "render") && strcmp(v, "headless") != 0)
            return usage_error("render always uses the headless platform, not '%s'", v);
        o->platform = v;
    } else if (!strcmp(a, "--size")) {
        if (!mh_parse_size(v, &o->width, &o->height))
            return usage_error("bad size '%s' (expected WxH, 16 to 8192 each, e.g. 1280x720)", v);
    } else if (!strcmp(a, "--lang")) {
        if (strcmp(v, "zh") && strcmp(v, "en"))
            return usage_error("unknown language '%s' (expected zh or en)", v);
        o->lang = v;
    } else {
        return usage_error("unknown option '%s'", a);
    }
    return -1;
}

/* ---- the configuration file: each key is an option's long name ------------ */

static bool config_setting(void *user, const char *key, const char *value, int line, mh_error *err)
{
    options *o = user;
    char where[32], opt[80];
    snprintf(where, sizeof where, "line %d", line);
    snprintf(opt, sizeof opt, "--%s", key);
    if (!strcmp(key, "config") || !strcmp(key, "out") || !strcmp(key, "help") || !strcmp(key, "version"))
        return mh_fail(err, o->config, where, "\"%s\" cannot be set in the configuration file", key);
    bool yes = !strcmp(value, "true") || !strcmp(value, "yes") || !strcmp(value, "on") || !strcmp(value, "1");
    bool no = !strcmp(value, "false") || !strcmp(value, "no") || !strcmp(value, "off") || !strcmp(value, "0");
    if (!strcmp(key, "fullscreen") || !strcmp(key, "lockdown") || !strcmp(key, "vsync") || !strcmp(key, "verbose") ||
        !strcmp(key, "quiet")) {
        if (!yes && !no)
            return mh_fail(err, o->config, where, "%s takes true or false, not \"%.40s\"", key, value);
        if (!strcmp(key, "vsync"))
            o->vsync = yes;
        else if (!strcmp(key, "lockdown"))
            o->lockdown = yes;
        else if (yes)
            set_flag(o, opt);
        return true;
    }
    if (!takes_value(opt))
        return mh_fail(err, o->config, where, "unknown key \"%s\"", key);
    if (o->stored == (int)(sizeof o->store / sizeof *o->store))
        return mh_fail(err, o->config, where, "too many settings");
    char *copy = o->store[o->stored++];
    snprintf(copy, sizeof o->store[0], "%s", value);
    /* usage_error prints why; the file and line follow */
    if (set_option(o, opt, copy) >= 0)
        return mh_fail(err, o->config, where, "bad setting \"%s\" (see the message above)", key);
    return true;
}

static int load_config(int argc, char **argv, options *o)
{
    for (int i = 1; i + 1 < argc; i++) {
        if (!strcmp(argv[i], "--config")) {
            o->config = argv[i + 1];
            mh_error err;
            char text[1200];
            if (!mh_config_load(o->config, config_setting, o, &err)) {
                fprintf(stderr, "metahall: %s\n", mh_error_text(&err, text, sizeof text));
                return 2;
            }
        }
    }
    return -1;
}

/* Returns -1 when parsed, else the exit status (0 for --help/--version). */
static int parse_args(int argc, char **argv, options *o)
{
    *o = (options){.command = "run", .platform = "desktop", .width = 1280, .height = 720, .vsync = true,
                   .lockdown = -1, .max_fps = -1, .dwell = -1};
    int i = 1;
    if (argc > 1 && strcmp(argv[1], "render") == 0) {
        o->command = "render";
        o->platform = "headless";
        i = 2;
    } else if (argc > 1 && argv[1][0] != '-') {
        return usage_error("unknown command '%s' (expected render, export, bench, validate, ctl, or options)", argv[1]);
    }
    int rc = load_config(argc, argv, o);
    if (rc >= 0)
        return rc;
    for (; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (is_flag(a)) {
            rc = set_flag(o, a);
        } else if (!takes_value(a)) {
            rc = usage_error("unknown option '%s'", a);
        } else if (!v) {
            rc = usage_error("option %s needs a value", a);
        } else {
            rc = set_option(o, a, v);
            i++;
        }
        if (rc >= 0)
            return rc;
    }
    if (!strcmp(o->command, "render") && !o->out)
        return usage_error("render needs --out FILE.png%s", "");
    if (!strcmp(o->command, "run") && o->out)
        return usage_error("--out belongs to 'metahall render'; the kiosk takes --screenshot%s", "");
    if (o->screenshot && !o->frames)
        return usage_error("--screenshot needs --frames N (the frame to capture)%s", "");
    if (o->script && !strcmp(o->command, "render"))
        return usage_error("--script belongs to the kiosk ('metahall --platform headless --script FILE')%s", "");
    if (o->lockdown < 0)
        o->lockdown = o->fullscreen;
    return -1;
}

/* The hall that ships with metahall: next to the installed binary, or in the
 * source tree it was built from. */
static const char *default_hall(char *buf, size_t size)
{
    char exe[PATH_MAX - 64];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = '\0';
        static const char *const rel[] = {"../share/metahall/halls/default", "../assets/halls/default",
                                          "assets/halls/default"};
        for (size_t i = 0; i < sizeof rel / sizeof *rel; i++) {
            char probe[PATH_MAX + 64];
            snprintf(buf, size, "%s/%s", exe, rel[i]);
            snprintf(probe, sizeof probe, "%s/hall.json", buf);
            if (mh_fs_is_file(probe))
                return buf;
        }
    }
    snprintf(buf, size, "%s", MH_SOURCE_ASSETS "/halls/default");
    return buf;
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

static void report_frames(const float *ms, long count, const mh_frame_output *last)
{
    long n = count < MAX_TIMED_FRAMES ? count : MAX_TIMED_FRAMES;
    if (n <= 0)
        return;
    float *s = malloc(sizeof *s * (size_t)n);
    if (!s)
        return;
    memcpy(s, ms, sizeof *s * (size_t)n);
    qsort(s, (size_t)n, sizeof *s, cmp_float);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    mh_log_info("main", "%ld frames: median %.2f ms, p99 %.2f ms, worst %.2f ms; peak RSS %.1f MB", count,
                s[n / 2], s[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1], s[n - 1], (double)ru.ru_maxrss / 1024.0);
    mh_log_info("main", "last frame: %d draw calls, %u triangles, %d chunks culled", last->draw_calls,
                last->triangles, last->culled);
    free(s);
}

static bool write_frame(mh_engine *e, const char *path, int w, int h)
{
    uint8_t *px = malloc((size_t)w * h * 4);
    mh_error err;
    bool ok = px && mh_engine_read_pixels(e, px, w, h) && mh_png_write(path, px, w, h, &err);
    if (!ok) {
        char text[1024];
        mh_log_error("main", "%s", px ? mh_error_text(&err, text, sizeof text) : "out of memory");
    }
    free(px);
    return ok;
}

typedef struct script_ctx {
    mh_engine *engine;
    int width, height;
    const float *frame_ms;      /* the run's frame times (ring of MAX_TIMED_FRAMES) */
    const float *frame_cpu_ms;  /* the process's CPU time per frame (same ring) */
    const long *frame;          /* frames so far */
    long mark;                  /* first frame of the current timing phase */
    mh_commander *commander;    /* `control` lines go through it */
    mh_reply reply;             /* the last control command's answer */
    char command[160];
} script_ctx;

/* timing NAME: median frame time of the frames since the last mark. */
/* Median, p99 and worst of the last n entries of a ring of frame times. */
static void ring_stats(const float *ring, long frame, long n, float *med, float *p99, float *worst)
{
    float *s = malloc(sizeof *s * (size_t)n);
    *med = *p99 = *worst = 0;
    if (!s)
        return;
    for (long i = 0; i < n; i++)
        s[i] = ring[(frame - n + i) % MAX_TIMED_FRAMES];
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
    script_ctx *c = user;
    long n = *c->frame - c->mark;
    if (n > MAX_TIMED_FRAMES)
        n = MAX_TIMED_FRAMES;
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
    const script_ctx *c = user;
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
    script_ctx *c = user;
    if (!mh_commander_poll(c->commander, &c->reply))
        return false;
    mh_log_info("script", "%s -> %s", c->command, c->reply.text);
    return true;
}

static bool script_control(void *user, const char *line)
{
    script_ctx *c = user;
    snprintf(c->command, sizeof c->command, "%s", line);
    mh_commander_exec(c->commander, line, strlen(line), MH_CMD_AUTHED, &c->reply);
    return script_control_poll(c);
}

static bool script_screenshot(void *user, const char *path)
{
    const script_ctx *c = user;
    return write_frame(c->engine, path, c->width, c->height);
}

/* ---- operator control, fleet and service around the main loop ------------- */

typedef struct kiosk {
    mh_commander *commander;
    mh_control *control;
    mh_fleet *fleet;
    char hall_name[64], shots[600];
} kiosk;

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

static const char *default_shots(char *buf, size_t size)
{
    const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
    if (state && state[0] == '/')
        snprintf(buf, size, "%s/metahall/screenshots", state);
    else if (home && home[0] == '/')
        snprintf(buf, size, "%s/.local/state/metahall/screenshots", home);
    else
        snprintf(buf, size, "/tmp/metahall-screenshots");
    return buf;
}

/* Opens what the options ask for. A control address given explicitly must
 * bind; the default one only warns when taken (another kiosk on this host). */
static bool kiosk_open(kiosk *k, const options *o, const mh_platform *p, mh_engine *e, const char *hall_dir)
{
    mh_error err;
    char text[1200];
    hall_basename(hall_dir, k->hall_name, sizeof k->hall_name);
    mh_commander_desc cd = {e, o->kiosk_id, k->hall_name,
                            o->screenshot_dir ? o->screenshot_dir : default_shots(k->shots, sizeof k->shots), p->now};
    if (!(k->commander = mh_commander_create(&cd))) {
        fprintf(stderr, "metahall: out of memory\n");
        return false;
    }
    /* test and benchmark runs (--frames, --script) open no port unless asked */
    bool interactive = !o->frames && !o->script;
    const char *addr = o->control ? o->control : interactive ? DEFAULT_CONTROL : NULL;
    if (addr && !strcmp(addr, "off"))
        addr = NULL;
    if (addr || o->control_unix) {
        mh_control_desc ctl = {addr, o->control_unix, o->token, (int)o->max_clients, (int)o->rate_limit,
                               k->commander};
        k->control = mh_control_open(&ctl, &err);
        if (!k->control && (o->control || o->control_unix)) {
            fprintf(stderr, "metahall: %s\n", mh_error_text(&err, text, sizeof text));
            return false;
        }
        if (!k->control)
            mh_log_warn("control", "no operator control: %s", mh_error_text(&err, text, sizeof text));
    }
    if (o->mqtt) {
        mh_fleet_desc fd = {o->mqtt, k->hall_name, mh_commander_kiosk_id(k->commander), o->mqtt_user,
                            o->mqtt_password, k->commander};
        if (!(k->fleet = mh_fleet_open(&fd, &err))) {
            fprintf(stderr, "metahall: %s\n", mh_error_text(&err, text, sizeof text));
            return false;
        }
    }
    return true;
}

static void kiosk_close(kiosk *k)
{
    mh_fleet_close(&k->fleet);
    mh_control_close(&k->control);
    mh_commander_destroy(&k->commander);
}

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
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

/* Opens the platform the options name; `auto` tries the headset first and
 * falls back to the desktop window, saying why. NULL when none opened. */
static const mh_platform *open_platform(const options *o, mh_error *err)
{
    mh_platform_desc pd = {.width = o->width, .height = o->height, .fullscreen = o->fullscreen, .vsync = o->vsync,
                           .lockdown = o->lockdown > 0, .msaa = o->msaa, .title = "metahall"};
    bool any = !strcmp(o->platform, "auto");
    const mh_platform *p = mh_platform_find(any ? "openxr" : o->platform);
    if (p && p->init(&pd, err))
        return p;
    if (!any)
        return NULL;
    char text[1200];
    mh_log_warn("main", "no headset, using the desktop window: %s",
                p ? mh_error_text(err, text, sizeof text) : "this build has no OpenXR platform");
    p = mh_platform_find("desktop");
    if (!p) {
        mh_fail(err, "", "", "--platform auto: no headset and no desktop platform in this build");
        return NULL;
    }
    return p->init(&pd, err) ? p : NULL;
}

static int run(const options *o, const char *hall_dir)
{
    static float frame_ms[MAX_TIMED_FRAMES], frame_cpu_ms[MAX_TIMED_FRAMES];
    mh_error err = {0};
    char text[1200];
    const mh_platform *p = open_platform(o, &err);
    if (!p) {
        fprintf(stderr, "metahall: %s\n", mh_error_text(&err, text, sizeof text));
        return 1;
    }
    int w, h;
    p->drawable_size(&w, &h);
    /* a headset has no pointer without a controller: select by gaze */
    float dwell = o->dwell >= 0 ? o->dwell : p->begin_frame ? 1.5f : 0.0f;
    mh_engine_desc ed = {hall_dir, p->offscreen ? w : 0, p->offscreen ? h : 0, o->msaa, o->view,
                         o->idle_timeout, dwell, o->lang};
    double t0 = p->now();
    mh_script *script = NULL;
    if (o->script && !(script = mh_script_load(o->script, &err))) {
        fprintf(stderr, "metahall: %s\n", mh_error_text(&err, text, sizeof text));
        p->shutdown();
        return 1;
    }
    mh_engine *e = mh_engine_create(&ed, &err);
    kiosk k = {0};
    if (!e || !kiosk_open(&k, o, p, e, hall_dir)) {
        if (!e)
            fprintf(stderr, "metahall: %s\n", mh_error_text(&err, text, sizeof text));
        kiosk_close(&k);
        mh_engine_destroy(&e);
        mh_script_free(&script);
        p->shutdown();
        return 1;
    }
    long frame = 0;
    script_ctx sc = {e, w, h, frame_ms, frame_cpu_ms, &frame, 0, k.commander};
    mh_script_hooks hooks = {script_field, script_screenshot, script_timing, script_control, script_control_poll, &sc};
    mh_log_info("main", "hall %s loaded in %.0f ms on %s", hall_dir, (p->now() - t0) * 1000.0, mh_engine_gl_name(e));
    /* a headless kiosk running until stopped keeps to real time and 60 fps */
    bool until_stopped = !o->frames && !script;
    bool fixed = p->fixed_step && !until_stopped;
    long max_fps = o->max_fps >= 0 ? o->max_fps : p->offscreen && until_stopped ? 60 : 0;
    double last = p->now(), time_s = 0;
    mh_frame_output out = {0};
    int status = 0;
    for (;;) {
        mh_frame_input in = {0};
        if (!p->poll(&in.input))
            break;
        if (script) {
            p->drawable_size(&sc.width, &sc.height);
            int r = mh_script_step(script, &in.input, &hooks);
            if (r <= 0) {
                status = r < 0 ? 1 : status;
                break;
            }
        }
        double now = p->now(), cpu = cpu_seconds();   /* the frame's time includes the commands it ran */
        mh_control_poll(k.control);
        mh_fleet_poll(k.fleet);
        if (mh_commander_quit_requested(k.commander))
            break;
        p->drawable_size(&in.width, &in.height);
        if (p->begin_frame) {
            bool draw = p->begin_frame(&in);   /* waits for the headset's next frame */
            now = p->now();
            cpu = cpu_seconds();
            if (!draw) {                       /* not visible yet, or told not to render */
                p->present();
                last = now;
                continue;
            }
            in.eyes_tracked = true;
        } else if (o->stereo) {
            mh_engine_preview_eyes(&in, in.width, in.height);
        }
        in.dt_s = fixed ? 1.0 / 60.0 : now - last;
        time_s += in.dt_s;
        in.time_s = time_s;
        mh_engine_frame(e, &in, &out);
        if (p->offscreen)
            mh_engine_finish_gpu(e);  /* honest timing: the frame is done */
        if (o->frames && frame + 1 == o->frames && o->screenshot && !write_frame(e, o->screenshot, in.width, in.height))
            status = 1;
        p->present();
        double end = p->now();
        frame_ms[frame % MAX_TIMED_FRAMES] = (float)((end - now) * 1000.0);
        frame_cpu_ms[frame % MAX_TIMED_FRAMES] = (float)((cpu_seconds() - cpu) * 1000.0);
        mh_commander_frame(k.commander, in.width, in.height, (end - now) * 1000.0);
        mh_service_frame(end);
        if (frame % 120 == 0)
            service_status(&k, e);
        if (frame == 0) {
            mh_log_info("main", "first frame presented %.0f ms after start", (end - t0) * 1000.0);
            snprintf(text, sizeof text, "showing %s", k.hall_name);
            mh_service_ready(text);
        }
        last = now;
        if (o->frames && ++frame >= o->frames)
            break;
        if (!o->frames)
            frame++;
        pace(p, now, max_fps);
    }
    if (p->failed && p->failed(&err)) {
        mh_log_error("main", "%s", mh_error_text(&err, text, sizeof text));
        status = 1;
    }
    mh_service_stopping();
    mh_log_info("main", "shutting down");
    report_frames(frame_ms, frame, &out);
    kiosk_close(&k);
    mh_script_free(&script);
    mh_engine_destroy(&e);
    p->shutdown();
    return status;
}

static int render(const options *o, const char *hall_dir)
{
    const mh_platform *p = &mh_platform_headless;
    mh_error err = {0};
    char text[1200];
    mh_platform_desc pd = {.width = o->width, .height = o->height, .msaa = o->msaa};
    if (!p->init(&pd, &err)) {
        fprintf(stderr, "metahall: %s\n", mh_error_text(&err, text, sizeof text));
        return 1;
    }
    mh_engine_desc ed = {hall_dir, o->width, o->height, o->msaa, o->view, -1.0f, 0, o->lang};
    mh_engine *e = mh_engine_create(&ed, &err);
    int status = 1;
    if (!e) {
        fprintf(stderr, "metahall: %s\n", mh_error_text(&err, text, sizeof text));
    } else {
        mh_frame_input in = {.dt_s = 0, .width = o->width, .height = o->height};
        if (o->stereo)
            mh_engine_preview_eyes(&in, o->width, o->height);
        mh_engine_frame(e, &in, NULL);
        status = write_frame(e, o->out, o->width, o->height) ? 0 : 1;
        mh_engine_destroy(&e);
    }
    p->shutdown();
    return status;
}

const mh_platform *mh_platform_find(const char *name)
{
    if (!strcmp(name, "headless"))
        return &mh_platform_headless;
#ifdef MH_HAVE_SDL
    if (!strcmp(name, "desktop"))
        return &mh_platform_desktop;
#endif
#ifdef MH_HAVE_OPENXR
    if (!strcmp(name, "openxr"))
        return &mh_platform_openxr;
#endif
    return NULL;
}

/* metahall export [--hall DIR] --out FILE.glb */
static int export_hall(int argc, char **argv)
{
    const char *out = NULL, *hall = NULL;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--out") && i + 1 < argc) {
            out = argv[++i];
        } else if (!strcmp(argv[i], "--hall") && i + 1 < argc) {
            hall = argv[++i];
        } else {
            return usage_error("export takes --hall DIR and --out FILE.glb, not '%s'", argv[i]);
        }
    }
    if (!out)
        return usage_error("export needs --out FILE.glb%s", "");
    char hall_buf[PATH_MAX], text[1200];
    mh_error err = {0};
    if (!mh_export_hall(hall ? hall : default_hall(hall_buf, sizeof hall_buf), out, &err)) {
        fprintf(stderr, "metahall: %s\n", mh_error_text(&err, text, sizeof text));
        return 1;
    }
    mh_log_info("main", "wrote %s", out);
    return 0;
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);   /* a control client that hangs up is not a reason to die */
    mh_service_init();          /* journald log levels from the first line on, under systemd */
    if (argc > 1 && !strcmp(argv[1], "validate"))
        return validate(argc, argv);
    if (argc > 1 && !strcmp(argv[1], "ctl"))
        return mh_ctl_main(argc - 1, argv + 1);
    if (argc > 1 && !strcmp(argv[1], "export"))
        return export_hall(argc, argv);
    if (argc > 1 && !strcmp(argv[1], "bench")) {
        char hall_buf[PATH_MAX];
        return mh_bench_main(argc - 1, argv + 1, default_hall(hall_buf, sizeof hall_buf));
    }
    options o;
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0)
        return rc;
    char hall_buf[PATH_MAX];
    const char *hall = o.hall ? o.hall : default_hall(hall_buf, sizeof hall_buf);
    if (!strcmp(o.command, "render"))
        return render(&o, hall);
    if (!mh_platform_find(o.platform) && strcmp(o.platform, "auto") != 0) {
        fprintf(stderr, "metahall: this build has no '%s' platform (built without SDL2 or OpenXR?); "
                "try --platform headless\n", o.platform);
        return 2;
    }
    return run(&o, hall);
}
