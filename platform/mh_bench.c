/* mh_bench.c - `metahall bench`: the renderer's figures on a fixed camera
 * path, headless, so runs compare with each other and with other renderers.
 *
 * The path is an orbit any renderer can fly (tests/bench/peer flies it in
 * three.js): B = the scene's world bounding box, c its centre, F = frames;
 * eye height y = B.min.y + 1.6; radius r = min(B.size.x, B.size.z) / 4;
 * frame k: a = 2*pi*k/F, eye (c.x + r sin a, y, c.z + r cos a) looking at
 * (c.x, y, c.z), vertical field of view 60 degrees, near 0.05, far
 * max(100, 4 |B.size|). Warm-up frames fly k = 0.. first, untimed.
 *
 * Per frame: wall time with glFinish (median, p99), the CPU time of the
 * engine's thread inside mh_engine_frame (the GL driver's share on that
 * thread included; llvmpipe's rasteriser threads not), draw calls and
 * triangles, and the CPU time of the whole process per measured frame
 * (all its threads: llvmpipe's rasteriser threads are where its frame goes,
 * and CPU time, unlike wall time, does not stretch when other programs take
 * the cores). Also: process start to the first frame finished, peak RSS
 * (VmHWM once the measured frames are done, before the bench reads the last
 * one back and flies the floor: the hall's, not the bench's), and the
 * fill-rate floor: the same number of frames of one fullscreen quad with
 * the hall's lit shader, with its own process CPU per frame.
 *
 * Memory is measured above a baseline: after the measured frames, bench runs
 * itself as a bare EGL program in a child process (`metahall bench
 * --egl-baseline WxH`, not listed in the help): the same headless EGL
 * context at the same size, a colour and depth target, a clear, one
 * triangle, glFinish, and its peak RSS (VmHWM). llvmpipe alone maps tens of
 * MB in any such program (LLVM, its JIT, its threads); what is left above
 * it is the hall's.
 *
 * --model FILE.glb flies a model alone instead (the viewer of metahall
 * render --model, lit as it lights by default: one directional light
 * (1, -2, -1.5) white at 1.2 and the hall's image-based light, or --env's):
 * render --model's auto camera for the viewer's box (vertical field of view
 * 45 degrees, the bounding sphere fits the narrower side, seen from
 * (0.5, 0.4, 1)), turned once about the vertical through the box's centre
 * over F frames. No floor there. tests/bench/peer flies the same path. */
#include "mh_bench.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "metahall_tools.h"
#include "mh_args.h"
#include "mh_frame_stats.h"
#include "mh_platform.h"

typedef struct bench_opts {
    const char *hall, *screenshot, *model, *env;
    int width, height, msaa, quality, bloom, reflection;
    long frames, warmup, booths;
    bool stereo, json, storeys, multiview;
} bench_opts;

typedef struct bench_result {
    double median_ms, p99_ms, worst_ms, floor_ms, cpu_ms, startup_ms, peak_rss_mb;
    double process_cpu_ms, floor_process_cpu_ms; /* the whole process's CPU per frame, the hall's and the floor's */
    double base_rss_mb;     /* resident before the engine and the EGL context (program and libraries) */
    double egl_baseline_mb; /* peak RSS of a bare EGL program at the same size (a child process); 0: unknown */
    long settle_frames;     /* untimed frames past --warmup until the stage's exhibit was drawn */
    double draw_calls, triangles;
    float bmin[3], bmax[3];
    char gl[200];
} bench_result;

static const char BENCH_USAGE[] =
    "usage: metahall bench [--hall DIR] [--size WxH] [--stereo|--multiview] [--frames N] [--warmup N]\n"
    "                      [--booths N [--storeys]] [--msaa N] [--quality low|medium|high|auto]\n"
    "                      [--bloom on|off|auto] [--reflection on|off|auto]\n"
    "                      [--screenshot FILE.png] [--json] [-v]\n"
    "       metahall bench --model FILE.glb [--env DIR] [--size WxH] [--frames N] ...\n"
    "  headless; flies a fixed orbit around the hall's centre and prints frame times\n"
    "  (median, p99, with glFinish), the fill-rate floor (one fullscreen quad with the\n"
    "  hall's shader), engine CPU and the whole process's CPU per frame (the hall's and\n"
    "  the floor's), draw calls, triangles, start to first\n"
    "  frame and peak RSS, and that of a bare EGL program at the same size (run last,\n"
    "  as a child process: the driver's share), and the RSS before the engine and EGL;\n"
    "  --json prints one JSON object instead of the table; -v logs the start-up phases.\n"
    "  --size WxH     per eye (default 1280x720); --stereo draws two eyes side by side\n"
    "  --multiview    two eyes in one pass (GL_OVR_multiview2), as a headset draws them\n"
    "  --frames N     measured frames (default 300); --warmup N untimed first (default 30)\n"
    "  --booths N     N booths (1-4096) on one floor: copies of the hall's in rows along aisles\n"
    "                 round the stage, in one open hall (see README, Performance)\n"
    "  --storeys      with --booths: repeat the hall as closed storeys instead\n"
    "  --model FILE   a model alone, lit as render --model lights it, on an orbit around\n"
    "                 it (no floor); --env DIR its image-based light (default: the hall's)\n"
    "  Measuring starts once no load is going on and the stage's exhibit is drawn;\n"
    "  the last measured frame is read back and the bench fails if it is one colour.\n";

static double now_ms(mh_clock clock) { return mh_clock_seconds(clock) * 1000.0; }

static int bench_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "metahall bench: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nRun 'metahall bench --help' for the options.\n");
    return 2;
}

/* A figure of /proc/self/status in MB: "VmRSS:" (resident now) or
 * "VmHWM:" (the peak). */
static double status_mb(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    double kb = 0;
    size_t n = strlen(key);
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, key, n))
            kb = strtod(line + n, NULL);
    if (f)
        fclose(f);
    return kb / 1024.0;
}

/* The child's side of the baseline (metahall bench --egl-baseline WxH):
 * the bare frame, then its peak RSS on stdout. */
static int egl_baseline_main(const char *size)
{
    int w = 0, h = 0;
    mh_error err = {0};
    char text[1200];
    if (!size || !mh_parse_size(size, &w, &h))
        return bench_error("--egl-baseline needs WxH, not '%s'", size ? size : "");
    mh_platform_desc pd = {.width = w, .height = h};
    bool ok = mh_platform_headless.init(&pd, &err) && mh_tools_gl_bare_frame(w, h, &err);
    if (ok)
        printf("vmhwm_mb %.3f\n", status_mb("VmHWM:"));
    else
        fprintf(stderr, "metahall bench --egl-baseline: %s\n", mh_error_text(&err, text, sizeof text));
    mh_platform_headless.shutdown();
    return ok ? 0 : 1;
}

/* Runs this program as the bare EGL program at w x h in a child process
 * and returns its peak RSS in MB, or 0 (with a warning) when it fails. */
static double egl_baseline_mb(int w, int h)
{
    char size[32];
    snprintf(size, sizeof size, "%dx%d", w, h);
    char name[] = "metahall", cmd[] = "bench", opt[] = "--egl-baseline";
    char *argv[] = {name, cmd, opt, size, NULL};
    char exe[4096];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1); /* this program (an emulator passes its guest's) */
    int fd[2];
    pid_t pid = 0;
    posix_spawn_file_actions_t fa;
    if (len <= 0 || len >= (ssize_t)sizeof exe - 1 || pipe(fd) != 0) {
        fprintf(stderr, "metahall bench: cannot run the bare EGL program (the memory baseline): no baseline\n");
        return 0;
    }
    exe[len] = '\0';
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fd[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, fd[0]);
    extern char **environ;
    int rc = posix_spawn(&pid, exe, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fd[1]);
    char out[128] = "";
    size_t n = 0;
    ssize_t got;
    while (rc == 0 && n < sizeof out - 1 && (got = read(fd[0], out + n, sizeof out - 1 - n)) > 0)
        n += (size_t)got;
    out[n] = '\0';
    close(fd[0]);
    int status = 0;
    bool ok = rc == 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
              !strncmp(out, "vmhwm_mb ", 9);
    double mb = ok ? strtod(out + 9, NULL) : 0.0;
    if (mb <= 0)
        fprintf(stderr, "metahall bench: the bare EGL program (the memory baseline) failed: no baseline\n");
    return mb;
}

static int parse(int argc, char **argv, bench_opts *o)
{
    *o = (bench_opts){.width = 1280, .height = 720, .frames = 300, .warmup = 30};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        long n = 0;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(BENCH_USAGE, stdout);
            return 0;
        }
        if (!strcmp(a, "--multiview")) {
            o->multiview = o->stereo = true;
            continue;
        }
        if (!strcmp(a, "--stereo")) {
            o->stereo = true;
            continue;
        }
        if (!strcmp(a, "--json")) {
            o->json = true;
            continue;
        }
        if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) { /* the engine's start-up phases, metahall[start] */
            mh_log_set_level(MH_LOG_DEBUG);
            continue;
        }
        if (!strcmp(a, "--storeys")) {
            o->storeys = true;
            continue;
        }
        if (!strcmp(a, "--quality") && v) {
            static const char *const levels[] = {"auto", "low", "medium", "high"};
            o->quality = -1;
            for (int k = 0; k < 4; k++)
                o->quality = !strcmp(v, levels[k]) ? k : o->quality;
            if (o->quality < 0)
                return bench_error("--quality needs low, medium, high or auto, not '%s'", v);
            i++;
            continue;
        }
        if (!strcmp(a, "--reflection") && v) {
            if (strcmp(v, "auto") && strcmp(v, "on") && strcmp(v, "off"))
                return bench_error("--reflection needs on, off or auto, not '%s'", v);
            o->reflection = !strcmp(v, "on") ? 1 : !strcmp(v, "off") ? -1 : 0;
            i++;
            continue;
        }
        if (!strcmp(a, "--bloom") && v) {
            if (strcmp(v, "auto") && strcmp(v, "on") && strcmp(v, "off"))
                return bench_error("--bloom needs on, off or auto, not '%s'", v);
            o->bloom = !strcmp(v, "on") ? 1 : !strcmp(v, "off") ? -1 : 0;
            i++;
            continue;
        }
        if (strcmp(a, "--hall") && strcmp(a, "--size") && strcmp(a, "--frames") && strcmp(a, "--warmup") &&
            strcmp(a, "--booths") && strcmp(a, "--msaa") && strcmp(a, "--screenshot") && strcmp(a, "--model") &&
            strcmp(a, "--env"))
            return bench_error("unknown option '%s'", a);
        if (!v)
            return bench_error("option %s needs a value", a);
        i++;
        if (!strcmp(a, "--hall"))
            o->hall = v;
        else if (!strcmp(a, "--screenshot"))
            o->screenshot = v;
        else if (!strcmp(a, "--model"))
            o->model = v;
        else if (!strcmp(a, "--env"))
            o->env = v;
        else if (!strcmp(a, "--size") && !mh_parse_size(v, &o->width, &o->height))
            return bench_error("--size needs WxH between 16x16 and 8192x8192, not '%s'", v);
        else if (strcmp(a, "--size") && !mh_parse_long(v, 0, 1000000, &n))
            return bench_error("expected a whole number from 0 to 1000000, not '%s'", v);
        else if (!strcmp(a, "--frames"))
            o->frames = n;
        else if (!strcmp(a, "--warmup"))
            o->warmup = n;
        else if (!strcmp(a, "--booths"))
            o->booths = n;
        else if (!strcmp(a, "--msaa"))
            o->msaa = (int)n;
    }
    if (o->frames < 1)
        return bench_error("--frames must be at least 1%s", "");
    if (o->booths > 4096)
        return bench_error("--booths: a hall has at most 4096 booths%s", "");
    if (o->storeys && o->booths < 1)
        return bench_error("--storeys needs --booths N%s", "");
    if (o->model && (o->booths || o->stereo || o->multiview))
        return bench_error("--model draws the model alone: no --booths or --stereo%s", "");
    if (o->env && !o->model)
        return bench_error("--env goes with --model (the hall lights itself)%s", "");
    if (o->stereo && o->width * 2 > 8192)
        return bench_error("--stereo needs a per-eye width of at most 4096%s", "");
    return -1;
}

/* Frame k of F on the orbit (see the top of the file). */
static mh_camera orbit(const bench_result *b, long k, long frames, bool stereo)
{
    float c[3], size[3];
    for (int i = 0; i < 3; i++) {
        c[i] = 0.5f * (b->bmin[i] + b->bmax[i]);
        size[i] = b->bmax[i] - b->bmin[i];
    }
    float y = b->bmin[1] + 1.6f, r = 0.5f * fminf(size[0], size[2]) / 2.0f;
    float a = 2.0f * 3.14159265358979f * (float)k / (float)frames;
    float diag = sqrtf(size[0] * size[0] + size[1] * size[1] + size[2] * size[2]);
    return (mh_camera){.set = true,
                       .eye = {c[0] + r * sinf(a), y, c[2] + r * cosf(a)},
                       .target = {c[0], y, c[2]},
                       .vfov_deg = 60.0f,
                       .z_near = 0.05f,
                       .z_far = fmaxf(100.0f, 4.0f * diag),
                       .eye_separation = stereo ? 0.064f : 0.0f};
}

/* Frame k of F around a model alone (see the top of the file). */
static mh_camera model_orbit(const bench_result *b, long k, long frames, int w, int h)
{
    float c[3], r = 0;
    for (int i = 0; i < 3; i++) {
        c[i] = 0.5f * (b->bmin[i] + b->bmax[i]);
        r += (b->bmax[i] - b->bmin[i]) * (b->bmax[i] - b->bmin[i]);
    }
    r = r > 0 ? sqrtf(r) * 0.5f : 1.0f;
    float half_y = 22.5f * 3.14159265358979f / 180.0f;
    float half = fminf(half_y, atanf(tanf(half_y) * (float)w / (float)h));
    float d = r / sinf(half), kk = 1.0f / sqrtf(0.25f + 0.16f + 1.0f), hor = d * sqrtf(1.25f) * kk;
    float a = atan2f(0.5f, 1.0f) + 2.0f * 3.14159265358979f * (float)k / (float)frames;
    return (mh_camera){.set = true,
                       .eye = {c[0] + hor * sinf(a), c[1] + d * 0.4f * kk, c[2] + hor * cosf(a)},
                       .target = {c[0], c[1], c[2]},
                       .vfov_deg = 45.0f,
                       .z_near = d / 100.0f,
                       .z_far = d + 2.0f * r};
}

/* What the bench draws: the hall (an engine) or a model alone (a viewer). */
typedef struct bench_target {
    mh_engine *e;
    mh_viewer *v;
} bench_target;

static void target_frame(const bench_target *t, const mh_frame_input *in, mh_frame_output *out)
{
    if (t->e) {
        mh_engine_frame(t->e, in, out);
        return;
    }
    int calls;
    long tris;
    mh_viewer_frame(t->v, &in->camera, in->time_s, 0, in->width, in->height);
    mh_viewer_stats(t->v, &calls, &tris);
    *out = (mh_frame_output){.draw_calls = calls, .triangles = (uint32_t)tris};
}

static void target_finish(const bench_target *t)
{
    if (t->e)
        mh_engine_finish_gpu(t->e);
    else
        mh_viewer_finish_gpu(t->v);
}

/* Reads the last frame back: it must not be one colour (a hall that draws
 * nothing would be timed as a fast one); --screenshot saves it. */
static bool check_frame(const bench_target *t, const char *path, int w, int h)
{
    size_t n = (size_t)w * (size_t)h;
    uint32_t *px = malloc(n * 4);
    mh_error err;
    if (!px ||
        !(t->e ? mh_engine_read_pixels(t->e, (uint8_t *)px, w, h) : mh_viewer_read_pixels(t->v, (uint8_t *)px, w, h))) {
        fprintf(stderr, "metahall bench: cannot read the last frame back\n");
        free(px);
        return false;
    }
    size_t same = 0;
    for (size_t i = 0; i < n; i++)
        same += px[i] == px[0];
    bool ok = same < n;
    if (!ok)
        fprintf(stderr,
                "metahall bench: the last measured frame is one colour (#%02x%02x%02x): nothing was drawn, "
                "so its times mean nothing\n",
                ((uint8_t *)px)[0], ((uint8_t *)px)[1], ((uint8_t *)px)[2]);
    if (path && !mh_tools_write_png(path, (const uint8_t *)px, w, h, &err)) {
        fprintf(stderr, "metahall bench: cannot write %s\n", path);
        ok = false;
    }
    free(px);
    return ok;
}

/* Frame-time rings of `frames` entries (wall, CPU, the floor's wall) and one
 * scratch for their summaries, allocated before the first frame. */
typedef struct bench_times {
    mh_frame_stats wall, cpu, floor;
    float *store;
} bench_times;

static bool times_init(bench_times *t, long frames)
{
    t->store = malloc(sizeof *t->store * (size_t)frames * 4);
    if (!t->store)
        return false;
    mh_frame_stats *rings[] = {&t->wall, &t->cpu, &t->floor};
    for (long i = 0; i < 3; i++)
        mh_frame_stats_init(rings[i], &(mh_frame_stats_desc){.ms = t->store + i * frames,
                                                             .scratch = t->store + 3 * frames,
                                                             .capacity = frames});
    return true;
}

/* The floor: as many frames, after a few untimed ones; returns the
 * process's CPU per measured frame. */
static double fly_floor(mh_engine *e, const bench_opts *o, int w, int h, bench_times *t)
{
    mh_frame_input in = {.width = w, .height = h};
    double p0 = 0;
    for (long i = 0; i < o->frames + 5; i++) {
        if (i == 5)
            p0 = now_ms(MH_CLOCK_PROCESS_CPU);
        double t0 = now_ms(MH_CLOCK_MONOTONIC);
        mh_engine_draw_floor(e, &in);
        mh_engine_finish_gpu(e);
        if (i >= 5)
            mh_frame_stats_push(&t->floor, (float)(now_ms(MH_CLOCK_MONOTONIC) - t0), 0);
    }
    return (now_ms(MH_CLOCK_PROCESS_CPU) - p0) / (double)o->frames;
}

/* Untimed frames past the warm-up, at most, waiting for the stage's exhibit. */
#define SETTLE_MAX 600

/* Flies the path: warm-up (longer while a load is going on or the stage's
 * exhibit is not drawn yet), then the measured frames; then the hall's floor. */
static bool fly(const bench_target *tg, const bench_opts *o, int w, int h, bench_result *b)
{
    bench_times t;
    if (!times_init(&t, o->frames))
        return false;
    double calls = 0, tris = 0;
    const char *featured = tg->e ? mh_engine_featured(tg->e) : NULL;
    bool staged = featured && *featured, ready = tg->v != NULL;
    long warm = o->warmup > 0 ? o->warmup : 1; /* at least one, to see that all is there */
    double p0 = 0;
    for (long i = 0; i < warm + o->frames; i++) {
        bool timed = i >= warm;
        if (i == warm) /* the first measured frame (warm grows only before it) */
            p0 = now_ms(MH_CLOCK_PROCESS_CPU);
        long k = timed ? i - warm : i;
        mh_frame_input in = {.dt_s = 1.0 / 60.0, .time_s = (double)i / 60.0, .width = w, .height = h};
        in.camera =
            tg->v ? model_orbit(b, k % o->frames, o->frames, w, h) : orbit(b, k % o->frames, o->frames, o->stereo);
        mh_frame_output out;
        double t0 = now_ms(MH_CLOCK_MONOTONIC), c0 = now_ms(MH_CLOCK_THREAD_CPU);
        target_frame(tg, &in, &out);
        double c1 = now_ms(MH_CLOCK_THREAD_CPU);
        target_finish(tg);
        double t1 = now_ms(MH_CLOCK_MONOTONIC);
        if (!timed && tg->e) {
            ready = !out.loading && (!staged || out.stage_draw_calls > 0);
            if (i == warm - 1 && !ready && warm < o->warmup + SETTLE_MAX)
                warm++; /* not yet: one more untimed frame */
        }
        if (i == 0)
            b->startup_ms = mh_frame_stats_process_age_ms();
        if (timed) {
            mh_frame_stats_push(&t.wall, (float)(t1 - t0), 0);
            mh_frame_stats_push(&t.cpu, (float)(c1 - c0), 0);
            calls += out.draw_calls;
            tris += out.triangles;
        }
    }
    b->process_cpu_ms = (now_ms(MH_CLOCK_PROCESS_CPU) - p0) / (double)o->frames;
    b->settle_frames = warm - o->warmup;
    if (!ready) {
        fprintf(stderr, "metahall bench: after %ld untimed frames %s\n", warm,
                staged ? "the stage's featured exhibit was still not drawn" : "a load was still going on");
        free(t.store);
        return false;
    }
    b->peak_rss_mb = status_mb("VmHWM:"); /* the hall's, before the bench's own read-back of the frame */
    bool ok = check_frame(tg, o->screenshot, w, h);
    mh_frame_summary wall = mh_frame_stats_last(&t.wall, o->frames), cpu = mh_frame_stats_last(&t.cpu, o->frames);
    b->median_ms = wall.median_ms;
    b->p99_ms = wall.p99_ms;
    b->worst_ms = wall.worst_ms;
    b->cpu_ms = cpu.median_ms;
    b->draw_calls = calls / (double)o->frames;
    b->triangles = tris / (double)o->frames;
    if (tg->e) {
        b->floor_process_cpu_ms = fly_floor(tg->e, o, w, h, &t);
        b->floor_ms = mh_frame_stats_last(&t.floor, o->frames).median_ms;
    }
    free(t.store);
    return ok;
}

static void print_result(const bench_opts *o, int w, int h, const bench_result *b)
{
    if (o->json) {
        printf("{\"width\": %d, \"height\": %d, \"stereo\": %s, \"multiview\": %s, \"frames\": %ld, \"warmup\": %ld, "
               "\"booths\": %ld, "
               "\"median_ms\": %.3f, \"p99_ms\": %.3f, \"worst_ms\": %.3f, \"floor_ms\": %.3f, "
               "\"hall_over_floor\": %.3f, \"cpu_ms\": %.3f, \"process_cpu_ms\": %.3f, "
               "\"floor_process_cpu_ms\": %.3f, \"cpu_over_floor\": %.3f, \"draw_calls\": %.1f, \"triangles\": %.0f, "
               "\"startup_ms\": %.1f, \"peak_rss_mb\": %.1f, \"base_rss_mb\": %.1f, \"egl_baseline_mb\": %.1f, "
               "\"above_baseline_mb\": %.1f, \"layout\": \"%s\", "
               "\"settle_frames\": %ld, \"renderer\": \"%s\", \"model\": %s}\n",
               w, h, o->stereo ? "true" : "false", o->multiview ? "true" : "false", o->frames, o->warmup, o->booths,
               b->median_ms, b->p99_ms, b->worst_ms, b->floor_ms, b->floor_ms > 0 ? b->median_ms / b->floor_ms : 0.0,
               b->cpu_ms, b->process_cpu_ms, b->floor_process_cpu_ms,
               b->floor_process_cpu_ms > 0 ? b->process_cpu_ms / b->floor_process_cpu_ms : 0.0, b->draw_calls,
               b->triangles, b->startup_ms, b->peak_rss_mb, b->base_rss_mb, b->egl_baseline_mb,
               b->egl_baseline_mb > 0 ? b->peak_rss_mb - b->egl_baseline_mb : 0.0,
               o->model        ? "model"
               : o->booths < 1 ? "hall"
               : o->storeys    ? "storeys"
                               : "floor",
               b->settle_frames, b->gl, o->model ? "true" : "false");
        return;
    }
    printf("metahall bench: %dx%d%s, %ld frames (+%ld warm-up), %s\n", w, h,
           o->multiview ? " (two eyes, one pass)"
           : o->stereo  ? " (two eyes)"
                        : "",
           o->frames, o->warmup + b->settle_frames, b->gl);
    if (o->booths > 0)
        printf("  %ld booths %s\n", o->booths, o->storeys ? "on closed storeys" : "on one floor");
    printf("  %-26s %10.2f ms\n", "frame time, median", b->median_ms);
    printf("  %-26s %10.2f ms\n", "frame time, p99", b->p99_ms);
    if (b->floor_ms > 0)
        printf("  %-26s %10.2f ms   (hall / floor = %.2f)\n", "fill-rate floor, median", b->floor_ms,
               b->median_ms / b->floor_ms);
    printf("  %-26s %10.2f ms\n", "engine CPU per frame", b->cpu_ms);
    if (b->floor_process_cpu_ms > 0)
        printf("  %-26s %10.2f ms   (all threads; the floor's %.2f ms, hall / floor = %.2f)\n", "process CPU per frame",
               b->process_cpu_ms, b->floor_process_cpu_ms, b->process_cpu_ms / b->floor_process_cpu_ms);
    else
        printf("  %-26s %10.2f ms   (all threads)\n", "process CPU per frame", b->process_cpu_ms);
    printf("  %-26s %10.1f\n", "draw calls per frame", b->draw_calls);
    printf("  %-26s %10.0f\n", "triangles per frame", b->triangles);
    printf("  %-26s %10.1f ms\n", "start to first frame", b->startup_ms);
    if (b->egl_baseline_mb > 0)
        printf("  %-26s %10.1f MB   (%.1f MB above a bare EGL program's %.1f MB at %dx%d)\n", "peak RSS",
               b->peak_rss_mb, b->peak_rss_mb - b->egl_baseline_mb, b->egl_baseline_mb, w, h);
    else
        printf("  %-26s %10.1f MB   (no baseline: the bare EGL program failed)\n", "peak RSS", b->peak_rss_mb);
    printf("  %-26s %10.1f MB   (this process, before the engine and EGL)\n", "RSS at the start", b->base_rss_mb);
}

int mh_bench_main(int argc, char **argv, const char *default_hall)
{
    if (argc >= 2 && !strcmp(argv[1], "--egl-baseline"))
        return egl_baseline_main(argc >= 3 ? argv[2] : NULL);
    bench_opts o;
    int rc = parse(argc, argv, &o);
    if (rc >= 0)
        return rc;
    int w = o.stereo ? 2 * o.width : o.width, h = o.height;
    mh_error err = {0};
    char text[1200];
    double base_rss_mb = status_mb("VmRSS:");
    bench_target tg = {0};
    mh_engine_desc ed = {.hall_dir = o.hall ? o.hall : default_hall,
                         .offscreen_width = w,
                         .offscreen_height = h,
                         .msaa = o.msaa,
                         .quality = o.quality,
                         .bloom = o.bloom,
                         .reflection = o.reflection,
                         .idle_timeout_s = -1,
                         .scene_only = true,
                         .booths = (int)o.booths,
                         .booth_storeys = o.storeys,
                         .multiview = o.multiview,
                         .gl_proc = mh_platform_headless.gl_proc};
    /* the hall's scene is built while EGL starts (metahall.h, mh_engine_begin) */
    if (!o.model && !(tg.e = mh_engine_begin(&ed, &err))) {
        fprintf(stderr, "metahall bench: %s\n", mh_error_text(&err, text, sizeof text));
        return 1;
    }
    mh_platform_desc pd = {.width = w, .height = h, .msaa = o.msaa};
    if (!mh_platform_headless.init(&pd, &err)) {
        fprintf(stderr, "metahall bench: %s\n", mh_error_text(&err, text, sizeof text));
        mh_engine_destroy(&tg.e);
        return 1;
    }
    if (o.model) {
        mh_viewer_desc vd = {.model = o.model,
                             .env = o.env,
                             .hall_dir = o.hall ? o.hall : default_hall,
                             .env_intensity = 1,
                             .light_dir = {1, -2, -1.5f},
                             .light_color = {1, 1, 1},
                             .light_intensity = 1.2f,
                             .background = {40, 44, 52},
                             .offscreen_width = w,
                             .offscreen_height = h,
                             .msaa = o.msaa};
        tg.v = mh_viewer_create(&vd, &err);
    } else if (!mh_engine_finish(tg.e, &ed, &err)) {
        mh_engine_destroy(&tg.e);
    }
    bench_result b = {.base_rss_mb = base_rss_mb};
    bool ok = tg.e || tg.v;
    if (!ok) {
        fprintf(stderr, "metahall bench: %s\n", mh_error_text(&err, text, sizeof text));
    } else {
        snprintf(b.gl, sizeof b.gl, "%s", tg.e ? mh_engine_gl_name(tg.e) : mh_viewer_gl_name(tg.v));
        if (o.multiview && !mh_engine_multiview(tg.e)) { /* it would measure a pass per eye */
            fprintf(stderr,
                    "metahall bench: --multiview: this GL driver cannot draw both eyes in one pass "
                    "(no GL_OVR_multiview2): %s\n",
                    b.gl);
            ok = false;
        }
        if (tg.e)
            mh_engine_bounds(tg.e, b.bmin, b.bmax);
        else
            mh_viewer_bounds(tg.v, b.bmin, b.bmax);
        ok = ok && fly(&tg, &o, w, h, &b);
        if (ok) /* after the measured frames: its start-up and threads do not count in theirs */
            b.egl_baseline_mb = egl_baseline_mb(w, h);
        if (ok)
            print_result(&o, w, h, &b);
    }
    mh_engine_destroy(&tg.e);
    mh_viewer_destroy(&tg.v);
    mh_platform_headless.shutdown();
    return ok ? 0 : 1;
}
