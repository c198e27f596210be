/* mh_main.c - the metahall program: command line, platform choice and the
 * main loop (poll -> engine frame -> present) shared by every platform.
 *
 *   metahall [--hall DIR] [--platform desktop|headless] [--fullscreen] ...
 *   metahall render [--hall DIR] [--view V] [--size WxH] --out FILE.png
 *
 * Exit status: 0 success, 1 the kiosk could not run (message on stderr),
 * 2 bad command line. */
#include <limits.h>
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
    float dwell;
    int width, height;
    long frames;              /* run: stop after N frames (0 = until asked) */
    int msaa;
    bool fullscreen, vsync;
} options;

static const char USAGE[] =
    "usage: metahall [OPTIONS]                 run the kiosk\n"
    "       metahall render [OPTIONS] --out FILE.png\n"
    "                                          render one frame headless to a PNG\n"
    "       metahall validate PATH...          check halls, exhibits, models (.gltf/.glb) and PNGs;\n"
    "                                          one line per problem, exit 0 valid, 1 invalid\n"
    "\n"
    "options:\n"
    "  --hall DIR           hall folder with hall.json (default: the hall shipped in assets/)\n"
    "  --platform NAME      desktop (SDL2 window, or KMS/DRM without a desktop) or headless\n"
    "                       (EGL, no display); default desktop\n"
    "  --fullscreen         fill the screen (kiosk mode; Esc no longer quits, F11 toggles)\n"
    "  --view VIEW          where to start: entrance (default) or booth:<exhibit-id>\n"
    "  --size WxH           window or image size in pixels (default 1280x720)\n"
    "  --frames N           stop after N frames and print frame times\n"
    "  --screenshot FILE    with --frames: write the last frame as a PNG\n"
    "  --msaa N             multisample count: 1 (off), 2, 4, 8; default 4 on a GPU, off on a\n"
    "                       CPU rasteriser (llvmpipe), where it would cost ~2.5x the frame time\n"
    "  --no-vsync           do not wait for the display's refresh\n"
    "  --out FILE.png       render: where to write the image\n"
    "  -v, --verbose        more log output;  -q, --quiet: errors only\n"
    "  -h, --help           this text;  --version: the version\n"
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

static bool parse_size(const char *s, int *w, int *h)
{
    char x;
    int a, b;
    if (sscanf(s, "%d%c%d", &a, &x, &b) != 3 || (x != 'x' && x != 'X') || a < 16 || b < 16 || a > 8192 ||
        b > 8192)
        return false;
    *w = a;
    *h = b;
    return true;
}

static bool parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
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

/* Returns -1 when parsed, else the exit status (0 for --help/--version). */
static int parse_args(int argc, char **argv, options *o)
{
    *o = (options){.command = "run", .platform = "desktop", .width = 1280, .height = 720, .vsync = true};
    int i = 1;
    if (argc > 1 && strcmp(argv[1], "render") == 0) {
        o->command = "render";
        o->platform = "headless";
        i = 2;
    } else if (argc > 1 && argv[1][0] != '-') {
        return usage_error("unknown command '%s' (expected render, validate, or options)", argv[1]);
    }
    for (; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = true;
        long n;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(USAGE, stdout);
            return 0;
        } else if (!strcmp(a, "--version")) {
            printf("metahall %s\n", METAHALL_VERSION);
            return 0;
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            mh_log_set_level(MH_LOG_DEBUG);
            takes = false;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            mh_log_set_level(MH_LOG_ERROR);
            takes = false;
        } else if (!strcmp(a, "--fullscreen")) {
            o->fullscreen = true;
            takes = false;
        } else if (!strcmp(a, "--no-vsync")) {
            o->vsync = false;
            takes = false;
        } else if (!v && (!strcmp(a, "--hall") || !strcmp(a, "--platform") || !strcmp(a, "--view") ||
                          !strcmp(a, "--size") || !strcmp(a, "--frames") || !strcmp(a, "--screenshot") ||
                          !strcmp(a, "--msaa") || !strcmp(a, "--out") || !strcmp(a, "--script") ||
                          !strcmp(a, "--lang") || !strcmp(a, "--idle-timeout") || !strcmp(a, "--dwell"))) {
            return usage_error("option %s needs a value", a);
        } else if (!strcmp(a, "--hall")) {
            o->hall = v;
        } else if (!strcmp(a, "--platform")) {
            if (!mh_platform_find(v))
                return usage_error("unknown platform '%s' (expected desktop or headless)", v);
            if (!strcmp(o->command, "render") && strcmp(v, "headless") != 0)
                return usage_error("render always uses the headless platform, not '%s'", v);
            o->platform = v;
        } else if (!strcmp(a, "--view")) {
            o->view = v;
        } else if (!strcmp(a, "--size")) {
            if (!parse_size(v, &o->width, &o->height))
                return usage_error("bad size '%s' (expected WxH, 16 to 8192 each, e.g. 1280x720)", v);
        } else if (!strcmp(a, "--frames")) {
            if (!parse_long(v, 1, 100000000, &o->frames))
                return usage_error("bad frame count '%s' (expected a whole number from 1)", v);
        } else if (!strcmp(a, "--msaa")) {
            if (!parse_long(v, 1, 16, &n))
                return usage_error("bad sample count '%s' (expected 1 to 16)", v);
            o->msaa = (int)n;
        } else if (!strcmp(a, "--screenshot")) {
            o->screenshot = v;
        } else if (!strcmp(a, "--out")) {
            o->out = v;
        } else if (!strcmp(a, "--script")) {
            o->script = v;
        } else if (!strcmp(a, "--lang")) {
            if (strcmp(v, "zh") && strcmp(v, "en"))
                return usage_error("unknown language '%s' (expected zh or en)", v);
            o->lang = v;
        } else if (!strcmp(a, "--idle-timeout") || !strcmp(a, "--dwell")) {
            char *end;
            double sec = strtod(v, &end);
            if (!*v || *end || sec < 0 || sec > 86400)
                return usage_error("bad number of seconds '%s' (expected 0 to 86400)", v);
            if (!strcmp(a, "--dwell"))
                o->dwell = (float)sec;
            else
                o->idle_timeout = sec == 0 ? -1.0f : (float)sec;
        } else {
            return usage_error("unknown option '%s'", a);
        }
        i += takes;
    }
    if (!strcmp(o->command, "render") && !o->out)
        return usage_error("render needs --out FILE.png%s", "");
    if (!strcmp(o->command, "run") && o->out)
        return usage_error("--out belongs to 'metahall render'; the kiosk takes --screenshot%s", "");
    if (o->screenshot && !o->frames)
        return usage_error("--screenshot needs --frames N (the frame to capture)%s", "");
    if (o->script && !strcmp(o->command, "render"))
        return usage_error("--script belongs to the kiosk ('metahall --platform headless --script FILE')%s", "");
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
    const long *frame;          /* frames so far */
    long mark;                  /* first frame of the current timing phase */
} script_ctx;

/* timing NAME: median frame time of the frames since the last mark. */
static void script_timing(void *user, const char *name)
{
    script_ctx *c = user;
    long n = *c->frame - c->mark;
    if (n > MAX_TIMED_FRAMES)
        n = MAX_TIMED_FRAMES;
    float *s = n > 0 ? malloc(sizeof *s * (size_t)n) : NULL;
    if (s) {
        for (long i = 0; i < n; i++)
            s[i] = c->frame_ms[(*c->frame - n + i) % MAX_TIMED_FRAMES];
        qsort(s, (size_t)n, sizeof *s, cmp_float);
        mh_log_info("timing", "%s: median %.2f ms, p99 %.2f ms over %ld frames", name, s[n / 2],
                    s[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1], n);
        free(s);
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
    else
        return false;
    return true;
}

static bool script_screenshot(void *user, const char *path)
{
    const script_ctx *c = user;
    return write_frame(c->engine, path, c->width, c->height);
}

static int run(const options *o, const mh_platform *p, const char *hall_dir)
{
    static float frame_ms[MAX_TIMED_FRAMES];
    mh_error err = {0};
    char text[1200];
    mh_platform_desc pd = {o->width, o->height, o->fullscreen, o->vsync, o->msaa, "metahall"};
    if (!p->init(&pd, &err)) {
        fprintf(stderr, "metahall: %s\n", mh_error_text(&err, text, sizeof text));
        return 1;
    }
    int w, h;
    p->drawable_size(&w, &h);
    mh_engine_desc ed = {hall_dir, p->offscreen ? w : 0, p->offscreen ? h : 0, o->msaa, o->view,
                         o->idle_timeout, o->dwell, o->lang};
    double t0 = p->now();
    mh_script *script = NULL;
    if (o->script && !(script = mh_script_load(o->script, &err))) {
        fprintf(stderr, "metahall: %s\n", mh_error_text(&err, text, sizeof text));
        p->shutdown();
        return 1;
    }
    mh_engine *e = mh_engine_create(&ed, &err);
    if (!e) {
        fprintf(stderr, "metahall: %s\n", mh_error_text(&err, text, sizeof text));
        mh_script_free(&script);
        p->shutdown();
        return 1;
    }
    long frame = 0;
    script_ctx sc = {e, w, h, frame_ms, &frame, 0};
    mh_script_hooks hooks = {script_field, script_screenshot, script_timing, &sc};
    mh_log_info("main", "hall %s loaded in %.0f ms on %s", hall_dir, (p->now() - t0) * 1000.0, mh_engine_gl_name(e));
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
        double now = p->now();
        in.dt_s = p->fixed_step ? 1.0 / 60.0 : now - last;
        time_s += in.dt_s;
        in.time_s = time_s;
        p->drawable_size(&in.width, &in.height);
        mh_engine_frame(e, &in, &out);
        if (p->offscreen)
            mh_engine_finish_gpu(e);  /* honest timing: the frame is done */
        if (o->frames && frame + 1 == o->frames && o->screenshot && !write_frame(e, o->screenshot, in.width, in.height))
            status = 1;
        p->present();
        double end = p->now();
        frame_ms[frame % MAX_TIMED_FRAMES] = (float)((end - now) * 1000.0);
        if (frame == 0)
            mh_log_info("main", "first frame presented %.0f ms after start", (end - t0) * 1000.0);
        last = now;
        if (o->frames && ++frame >= o->frames)
            break;
        if (!o->frames)
            frame++;
    }
    report_frames(frame_ms, frame, &out);
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
    mh_platform_desc pd = {o->width, o->height, false, false, o->msaa, NULL};
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
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "validate"))
        return validate(argc, argv);
    options o;
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0)
        return rc;
    char hall_buf[PATH_MAX];
    const char *hall = o.hall ? o.hall : default_hall(hall_buf, sizeof hall_buf);
    if (!strcmp(o.command, "render"))
        return render(&o, hall);
    const mh_platform *p = mh_platform_find(o.platform);
    if (!p) {
        fprintf(stderr, "metahall: this build has no '%s' platform (built without SDL2?); try --platform headless\n",
                o.platform);
        return 2;
    }
    return run(&o, p, hall);
}
