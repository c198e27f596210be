/* mh_engine.c - the engine's entry points (metahall.h): load a hall and
 * upload it, feature exhibits and reload (jobs on the loader's worker,
 * uploads a slice per frame, the crossfade), run a frame (visit, walking,
 * drawing), and report status. Cameras and eyes: mh_engine_views.c. */
#include "include/metahall.h"
#include "include/metahall_tools.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mh_log.h"
#include "core/mh_parallel.h"
#include "include/metahall_tools.h"
#include "mh_engine_internal.h"
#include "scene/mh_env.h"
#include "scene/mh_export.h"
#include "text/mh_text.h"

#define UI_VERTICES 65536
#define UI_COMMANDS 96

/* The visitor interface: glyph atlas, UI batch and the visit. Without a
 * usable font the hall still runs, without panels and buttons. */
static void create_visit(mh_engine *e, const mh_engine_desc *desc)
{
    mh_error err;
    mh_glyphs_desc gd = {.font_paths = e->hall.fonts, .font_count = e->hall.font_count};
    if (!e->glyphs) /* none made at start-up (engine_start's glyph thread) */
        e->glyphs = mh_glyphs_create(&gd, &err);
    e->visit = e->glyphs ? malloc(sizeof *e->visit) : NULL;
    if (!e->visit || !mh_ui_batch_init(&e->ui, e->glyphs, UI_VERTICES, UI_COMMANDS)) {
        char text[1024];
        mh_log_error("ui", "no visitor interface: %s",
                     e->glyphs ? "out of memory" : mh_error_text(&err, text, sizeof text));
        free(e->visit);
        e->visit = NULL;
        mh_glyphs_destroy(&e->glyphs);
        return;
    }
    mh_visit_desc vd = {.idle_timeout_s = desc->idle_timeout_s,
                        .dwell_s = desc->dwell_s,
                        .language = !strcmp(desc->language, "en") ? MH_LANG_EN : MH_LANG_ZH,
                        .volume = desc->volume,
                        .muted = desc->muted};
    mh_visit_init(e->visit, &e->hall, e->glyphs, &vd);
}

static void create_headset(mh_engine *e, const mh_engine_desc *desc)
{
    mh_headset_desc hd = {.grace_s = desc->headset_grace_s,
                          .seated = desc->seated,
                          .eye_height = desc->eye_height,
                          .dwell_s = desc->dwell_s};
    mh_headset_init(&e->headset, &hd);
}

static void build_environment(mh_engine *e)
{
    mh_engine_hall_light(e->renderer, &e->hall, &e->scene, e->hall_gpu, &e->light, NULL);
}

static void setup_lighting(mh_engine *e) { e->light = mh_engine_lighting(&e->hall); }

/* Start-up phases for the debug log (--verbose): wall time, and the CPU
 * time of the thread that ran the phase (the GL thread's is the critical
 * path; tests/bench/NOTES.md has the table). */
typedef struct phase_clock {
    double wall_ms, cpu_ms;
} phase_clock;

static phase_clock phase_now(void)
{
    return (phase_clock){mh_clock_seconds(MH_CLOCK_MONOTONIC) * 1e3, mh_clock_seconds(MH_CLOCK_THREAD_CPU) * 1e3};
}

static void phase_done(phase_clock *since, const char *what)
{
    phase_clock now = phase_now();
    mh_log_debug("start", "%s: %.1f ms (%.1f ms CPU)", what, now.wall_ms - since->wall_ms, now.cpu_ms - since->cpu_ms);
    *since = now;
}

/* What mh_engine_begin leaves for mh_engine_finish: the thread that builds
 * the hall's scene (its signs set in the hall's font) and the stage's
 * exhibit while the platform starts its GL context and the GL thread makes
 * the renderer: the scene module is GL-free, and neither the platform nor
 * the renderer reads anything of the hall. */
typedef struct engine_start {
    mh_engine *e;
    pthread_t thread;
    bool threaded;     /* the thread runs (else finish builds the scene itself) */
    atomic_bool built; /* build_scene has run */
    phase_clock t;     /* the calling thread's phases */
    bool ok;
    mh_error err;
    feature f; /* the stage's exhibit, its scene built when feature_ok */
    bool feature_ok;
    mh_error feature_err;
    pthread_t ui_thread; /* the interface's glyphs (build_glyphs) */
    bool ui_threaded;
    bool ui_wanted; /* begin's desc: a visitor interface, in this language */
    mh_lang ui_lang;
    mh_hall_desc ui_hall; /* the hall as the scene's thread left it (the GL thread may change .featured) */
    mh_glyphs *glyphs;
    engine_ahead ahead;          /* the scene's textures, uploaded by the GL thread while it waits */
    atomic_bool feature_claimed; /* the stage's exhibit is (being) built, by whichever thread claimed it */
} engine_start;

/* The visitor interface's glyph atlas, GL-free, on a thread of its own
 * started when the scene is done (while the GL thread uploads it and
 * captures the hall's light; started earlier it took the scene's core, the
 * start's longest step, on two cores): the font opened and
 * the glyphs of the screen interface (buttons, minimap) rasterised in the
 * order its first frame lays them out (mh_hud_arrange; the atlas does not
 * depend on the screen's size), which took about 300 ms of CPU in the
 * first frame on the GL thread. A font that does not open leaves it to
 * create_visit, which says why. */
static void *build_glyphs(void *arg)
{
    engine_start *s = arg;
    phase_clock t = phase_now();
    mh_error err;
    mh_glyphs_desc gd = {.font_paths = s->ui_hall.fonts, .font_count = s->ui_hall.font_count};
    mh_hud *hud = calloc(1, sizeof *hud);
    s->glyphs = hud ? mh_glyphs_create(&gd, &err) : NULL;
    if (s->glyphs)
        mh_hud_arrange(hud, 1920, 1080, &s->ui_hall, s->glyphs, s->ui_lang);
    free(hud);
    phase_done(&t, "the interface's glyphs (their own thread)");
    return NULL;
}

/* The stage's exhibit, GL-free: on the scene's thread after the scene, or
 * on the GL thread when it claims it first, in its wait for the scene (the
 * scene's thread then ends sooner). Both only read the hall. */
static void build_feature(engine_start *s, const char *where)
{
    mh_engine *e = s->e;
    if (!e->hall.featured || atomic_exchange(&s->feature_claimed, true))
        return;
    phase_clock t = phase_now();
    s->feature_ok = mh_scene_build_feature(&s->f.scene, &e->hall, e->hall.featured, &s->feature_err);
    phase_done(&t, where);
}

static void *build_scene(void *arg)
{
    engine_start *s = arg;
    mh_engine *e = s->e;
    phase_clock t = phase_now();
    mh_error font_err;
    mh_font *font = mh_font_open(e->hall.fonts, e->hall.font_count, &font_err);
    if (!font) {
        char text[1024];
        mh_log_error("text", "%s", mh_error_text(&font_err, text, sizeof text));
    }
    mh_scene_watch watch = mh_engine_ahead_watch(&s->ahead);
    watch.threads = mh_parallel_threads(); /* no frame is shown yet: its levels of detail may use every core */
    s->ok = mh_scene_build_watched(&e->scene, &e->hall, mh_load_sign_text(font), watch, &e->hall_arena, &s->err);
    mh_font_close(&font);
    phase_done(&t, "the hall's scene (its own thread)");
    if (s->ok)
        build_feature(s, "the stage's exhibit (the scene's thread)");
    s->ui_hall = e->hall;
    if (s->ok && s->ui_wanted) /* joined by take_glyphs, always after this thread */
        s->ui_threaded = pthread_create(&s->ui_thread, NULL, build_glyphs, s) == 0;
    atomic_store(&s->built, true);
    mh_engine_ahead_done(&s->ahead);
    return NULL;
}

/* The glyph thread's atlas for the visit (NULL: none made). */
static mh_glyphs *take_glyphs(engine_start *s)
{
    if (s->ui_threaded)
        pthread_join(s->ui_thread, NULL);
    s->ui_threaded = false;
    mh_glyphs *g = s->glyphs;
    s->glyphs = NULL;
    return g;
}

/* Waits for the scene's thread (or builds the scene here when none started). */
static void scene_join(engine_start *s)
{
    if (s->threaded)
        pthread_join(s->thread, NULL);
    else if (!atomic_load(&s->built))
        build_scene(s);
    s->threaded = false;
}

/* At start-up the featured exhibit goes up at once; one that failed to
 * build or upload leaves the stage empty (the hall still runs) and says why. */
static void upload_feature(mh_engine *e, engine_start *s)
{
    feature f = s->f;
    s->f = (feature){0};
    mh_error ferr = s->feature_err;
    if (!s->feature_ok || (f.gpu = mh_renderer_upload(e->renderer, &f.scene, &ferr)).id == 0) {
        char text[1024];
        mh_log_error("stage", "featured exhibit %s: %s (the stage stays empty)", e->hall.featured,
                     mh_error_text(&ferr, text, sizeof text));
        mh_scene_free(&f.scene);
        e->hall.featured = NULL;
        return;
    }
    mh_scene_release_cpu(&f.scene);
    snprintf(f.id, sizeof f.id, "%s", e->hall.featured);
    e->shown = f;
}

/* While the scene's thread still builds (the GL thread would only wait):
 * the image-based light starts as the hall's sky and ground (as the hall's
 * light does, so the environment cube is in the state the capture draws
 * with), and the lit shader's common variants are compiled and drawn once,
 * so that the capture and the first frame find them compiled
 * (mh_renderer_warm_up). It stops when the scene is done. */
static void warm_up(mh_engine *e, engine_start *s)
{
    mh_env env;
    mh_error err;
    if (!s->threaded || !mh_env_hemisphere(&env, e->hall.sky_color, e->hall.ground_color, &err))
        return;
    mh_renderer_set_environment(e->renderer, &env, &err);
    mh_env_free(&env);
    bool fade = !e->desc.scene_only && e->hall.featured; /* the first frame's crossfade (mh_engine_frame) */
    int steps = 0;
    bool left = true;
    while (left && !atomic_load(&s->built))
        left = mh_renderer_warm_up(e->renderer, steps++, fade);
    mh_renderer_warm_finish(e->renderer, !e->desc.scene_only);
    phase_done(&s->t, "warm-up (shader variants drawn once)");
    if (left)
        mh_log_debug("start", "warm-up: %d steps before the scene was done (the rest compile at their first draw)",
                     steps);
    else
        mh_log_debug("start", "warm-up: all %d steps before the scene was done", steps);
}

/* Freed memory back to the system: the scene's CPU copies were made on its
 * own thread (a streamed model's on the loader's), so they lie in that
 * thread's malloc arena, where the driver on the GL thread cannot reuse
 * them once freed. */
void mh_engine_trim_heap(void)
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

/* glibc's malloc while the hall starts: a block of 128 KiB or more gets a
 * mapping of its own, returned whole when freed, so the scene's transient
 * arrays (grown by realloc on its thread, freed after the upload) leave no
 * holes under the driver's heap. After the first frame: a fixed 32 MiB
 * threshold (glibc's own ceiling for its sliding one), the heap trimmed
 * from 64 MiB, so that a streamed model's texture storage reuses the heap
 * (as its own mapping each time it took 8x the CPU: tests/bench/NOTES.md,
 * "malloc while the hall starts"). */
static void heap_policy(bool starting)
{
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, starting ? 128 * 1024 : 32 * 1024 * 1024);
    if (!starting)
        mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
#else
    (void)starting;
#endif
}

/* The renderer and the warm-up while the scene's thread finishes, then the
 * scene's upload and the stage's exhibit. */
static bool build_hall(mh_engine *e, engine_start *s, const mh_renderer_desc *rd, mh_error *err)
{
    e->renderer = mh_renderer_create(rd, err);
    phase_done(&s->t, "renderer");
    if (e->renderer)
        warm_up(e, s);
    if (e->renderer && s->threaded) {
        if (!atomic_load(&s->built))
            build_feature(s, "the stage's exhibit (the GL thread, in the wait)");
        mh_engine_ahead_upload(&s->ahead, e->renderer);
        mh_log_debug("start", "%d of the scene's textures uploaded while it was built", s->ahead.uploaded);
    }
    scene_join(s);
    e->scene.watch = (mh_scene_watch){0};
    phase_done(&s->t, "waiting for the scene (uploading its textures)");
    if (!e->renderer)
        return false;
    if (!s->ok) {
        *err = s->err;
        return false;
    }
    bool ok =
        (e->hall_gpu = mh_renderer_upload_ahead(e->renderer, &e->scene, s->ahead.names, s->ahead.uploaded, err)).id !=
        0;
    s->ahead.uploaded = 0; /* the scene's names now, also when its upload failed */
    mh_scene_release_cpu(&e->scene);
    if (ok && e->hall.featured)
        upload_feature(e, s);
    mh_engine_trim_heap();
    phase_done(&s->t, "upload");
    return ok;
}

/* Zero means default, resolved once here (as sokol_gfx does): the visitor
 * starts at the entrance, in Chinese. msaa 0 (auto) and idle_timeout_s 0
 * (60 s) go on to the renderer and the visit, which resolve their own. */
static mh_engine_desc engine_desc_defaults(const mh_engine_desc *d)
{
    mh_engine_desc r = *d;
    r.start_view = d->start_view ? d->start_view : "entrance";
    r.language = d->language ? d->language : "zh";
    return r;
}

/* The description kept for later (reloads, the visit): the hall's fields
 * as mh_engine_begin read them, the rest as given now. */
static void keep_desc(mh_engine *e, const mh_engine_desc *d)
{
    mh_engine_desc hall = e->desc;
    e->desc = *d;
    e->desc.hall_dir = e->hall_dir;
    e->desc.booths = hall.booths;
    e->desc.booth_storeys = hall.booth_storeys;
    e->desc.scene_only = hall.scene_only;
    e->desc.start_view = NULL;
    e->desc.featured = NULL;
}

static void start_free(mh_engine *e)
{
    if (!e->start)
        return;
    if (e->start->threaded) /* an engine begun and never finished: its scene is not wanted */
        pthread_join(e->start->thread, NULL);
    e->scene.watch = (mh_scene_watch){0};
    mh_engine_ahead_free(&e->start->ahead, e->renderer);
    mh_glyphs *g = take_glyphs(e->start);
    mh_glyphs_destroy(&g);
    mh_scene_free(&e->start->f.scene);
    free(e->start);
    e->start = NULL;
}

mh_engine *mh_engine_begin(const mh_engine_desc *user_desc, mh_error *err)
{
    mh_engine_desc desc = engine_desc_defaults(user_desc);
    heap_policy(true);
    mh_engine *e = calloc(1, sizeof *e);
    engine_start *s = e ? calloc(1, sizeof *s) : NULL;
    if (!s) {
        free(e);
        mh_fail(err, "", "", "out of memory");
        return NULL;
    }
    *s = (engine_start){.e = e, .t = phase_now()};
    mh_engine_ahead_init(&s->ahead);
    e->start = s;
    e->hall_arena.block_size = 256u * 1024u;
    snprintf(e->hall_dir, sizeof e->hall_dir, "%s", desc.hall_dir);
    e->desc = desc;
    keep_desc(e, &desc);
    e->fade = -1;
    bool ok = mh_hall_load(desc.hall_dir, &e->hall_arena, &e->hall, err);
    if (ok && desc.featured && mh_hall_find_booth(&e->hall, desc.featured) >= 0)
        e->hall.featured = e->hall.booths[mh_hall_find_booth(&e->hall, desc.featured)].exhibit.id;
    if (ok && !(desc.booth_storeys ? mh_hall_stack(&e->hall, desc.booths, &e->hall_arena)
                                   : mh_hall_spread(&e->hall, desc.booths, &e->hall_arena)))
        ok = mh_fail(err, desc.hall_dir, "", "cannot lay out %d booths (at most %d, or out of memory)", desc.booths,
                     MH_HALL_MAX_BOOTHS);
    if (!ok) {
        mh_engine_destroy(&e);
        return NULL;
    }
    phase_done(&s->t, "the hall's files");
    s->ui_wanted = !desc.scene_only;
    s->ui_lang = !strcmp(desc.language, "en") ? MH_LANG_EN : MH_LANG_ZH;
    s->threaded = pthread_create(&s->thread, NULL, build_scene, s) == 0;
    return e;
}

bool mh_engine_finish(mh_engine *e, const mh_engine_desc *user_desc, mh_error *err)
{
    if (!e || !e->start)
        return mh_fail(err, "", "", "mh_engine_finish: no engine begun with mh_engine_begin (or finished already)");
    mh_engine_desc resolved = engine_desc_defaults(user_desc);
    const mh_engine_desc *desc = &resolved;
    keep_desc(e, desc);
    engine_start *s = e->start;
    phase_done(&s->t, "until mh_engine_finish (the platform's GL context)");
    mh_renderer_desc rd = {.msaa = desc->msaa,
                           .quality = desc->quality,
                           .bloom = desc->bloom,
                           .reflection = desc->reflection,
                           .offscreen_width = desc->offscreen_width,
                           .offscreen_height = desc->offscreen_height,
                           .multiview = desc->multiview,
                           .gl_proc = desc->gl_proc};
    bool ok = build_hall(e, s, &rd, err);
    if (ok) {
        setup_lighting(e);
        build_environment(e);
        phase_done(&s->t, "the hall's light");
        create_headset(e, desc);
        if (!e->desc.scene_only) {
            e->glyphs = take_glyphs(s);
            phase_done(&s->t, "waiting for the interface's glyphs");
            create_visit(e, desc);
            mh_engine_media_start(e);
        }
        ok = mh_engine_set_view(e, desc->start_view, err);
        mh_engine_stream_start(e);
        phase_done(&s->t, "interface and media");
    }
    start_free(e);
    return ok;
}

mh_engine *mh_engine_create(const mh_engine_desc *desc, mh_error *err)
{
    mh_engine *e = mh_engine_begin(desc, err);
    if (e && !mh_engine_finish(e, desc, err))
        mh_engine_destroy(&e);
    return e;
}

void mh_engine_destroy(mh_engine **pe)
{
    mh_engine *e = pe ? *pe : NULL;
    if (!e)
        return;
    start_free(e);
    if (e->job) {
        mh_load_discard(e->job);
        free(e->job);
    }
    mh_engine_media_stop(e);
    mh_engine_stream_stop(e);
    mh_scene_free(&e->shown.scene);
    mh_scene_free(&e->incoming.scene);
    mh_renderer_destroy(&e->renderer);
    mh_ui_batch_free(&e->ui);
    free(e->visit);
    mh_glyphs_destroy(&e->glyphs);
    mh_scene_free(&e->scene);
    mh_arena_free(&e->hall_arena);
    free(e);
    *pe = NULL;
}

bool mh_engine_set_view(mh_engine *e, const char *view, mh_error *err)
{
    const mh_hall_desc *h = &e->hall;
    if (strcmp(view, "entrance") == 0) {
        mh_nav_place(&e->nav, h->entrance_pos, mh_radians(h->entrance_yaw_deg), mh_radians(h->entrance_pitch_deg));
        return true;
    }
    if (strncmp(view, "booth:", 6) == 0) {
        int i = mh_hall_find_booth(h, view + 6);
        if (i < 0)
            return mh_fail(err, "", "", "no booth for exhibit \"%.40s\" in this hall", view + 6);
        mh_vec2 pos;
        float yaw, pitch;
        mh_scene_booth_view(h, i, &pos, &yaw, &pitch);
        mh_nav_place(&e->nav, pos, yaw, pitch);
        return true;
    }
    if (strcmp(view, "stage") == 0) { /* in front of the stage, as the tour's stop */
        mh_vec2 pos = {h->stage_pos.x, h->stage_pos.y + h->stage_radius + 4.2f};
        mh_nav_place(&e->nav, pos, 0, mh_radians(4.0f));
        return true;
    }
    float x, z, yaw, pitch = 0;
    char tail;
    int n = strncmp(view, "pose:", 5) == 0 ? sscanf(view + 5, "%f,%f,%f,%f%c", &x, &z, &yaw, &pitch, &tail) : 0;
    if ((n == 3 || n == 4) && fabsf(x) < 1e4f && fabsf(z) < 1e4f && fabsf(yaw) <= 360 && fabsf(pitch) <= 89) {
        mh_nav_place(&e->nav, (mh_vec2){x, z}, mh_radians(yaw), mh_radians(pitch));
        return true;
    }
    return mh_fail(err, "", "",
                   "unknown view \"%.40s\" (expected entrance, stage, booth:<exhibit-id> or "
                   "pose:X,Z,YAW[,PITCH] in metres and degrees)",
                   view);
}

/* ---- featuring exhibits and reloading (SWITCH, RELOAD) ------------------ */

static void record(mh_engine *e, uint32_t ticket, mh_job_state state, const mh_error *err)
{
    job_result *r = &e->results[e->result_next++ % JOB_RESULTS];
    r->ticket = ticket;
    r->state = state;
    if (err)
        r->err = *err;
    else
        memset(&r->err, 0, sizeof r->err);
}

static void record_superseded(mh_engine *e, uint32_t ticket, const char *by)
{
    mh_error err;
    mh_fail(&err, "", "", "superseded by SWITCH %s", by);
    record(e, ticket, MH_JOB_SUPERSEDED, &err);
}

static void start_job(mh_engine *e)
{
    mh_load_job *j = calloc(1, sizeof *j);
    if (!j) {
        mh_error err;
        mh_fail(&err, "", "", "out of memory");
        record(e, e->queued_ticket, MH_JOB_FAILED, &err);
        e->queued_ticket = 0;
        return;
    }
    j->ticket = e->queued_ticket;
    j->kind = e->queued_reload ? MH_LOAD_HALL : MH_LOAD_FEATURE;
    j->hall = &e->hall;
    snprintf(j->hall_dir, sizeof j->hall_dir, "%s", e->hall_dir);
    snprintf(j->exhibit, sizeof j->exhibit, "%s", e->queued_reload ? e->shown.id : e->queued);
    e->queued_ticket = 0;
    e->queued_reload = false;
    if (!mh_load_start(j)) {
        record(e, j->ticket, MH_JOB_FAILED, &j->err);
        free(j);
        return;
    }
    mh_log_info("stage", "loading %s%s in the background", j->kind == MH_LOAD_HALL ? "the hall " : "exhibit ",
                j->kind == MH_LOAD_HALL ? e->hall_dir : j->exhibit);
    e->job = j;
}

static void end_job(mh_engine *e)
{
    mh_renderer_scene_destroy(e->renderer, &e->up_hall);
    mh_renderer_scene_destroy(e->renderer, &e->up_feature);
    mh_load_discard(e->job);
    free(e->job);
    e->job = NULL;
    e->uploading = false;
    e->warm_stage = 0;
}

/* The new hall replaces the old in one frame: both are fully on the GPU. */
static void swap_hall(mh_engine *e)
{
    mh_load_job *j = e->job;
    mh_engine_stream_stop(e); /* the old hall's booths */
    mh_renderer_scene_destroy(e->renderer, &e->hall_gpu);
    mh_renderer_scene_destroy(e->renderer, &e->shown.gpu);
    mh_scene_free(&e->scene);
    mh_scene_free(&e->shown.scene);
    mh_arena_free(&e->hall_arena);
    e->hall_arena = j->arena;
    e->hall = j->hall_out;
    e->scene = j->hall_scene;
    e->hall_gpu = e->up_hall;
    e->shown = (feature){.gpu = e->up_feature};
    if (j->has_feature) {
        e->shown.scene = j->feature;
        snprintf(e->shown.id, sizeof e->shown.id, "%s", j->exhibit);
        e->hall.featured = e->hall.booths[mh_hall_find_booth(&e->hall, j->exhibit)].exhibit.id;
    } else {
        e->hall.featured = NULL;
    }
    bool warn = !j->has_feature && j->err.message[0];
    /* the job no longer owns any of it */
    j->arena = (mh_arena){0};
    memset(&j->hall_scene, 0, sizeof j->hall_scene);
    j->has_feature = false;
    e->up_hall = e->up_feature = (mh_gpu_scene){0};
    setup_lighting(e);
    build_environment(e);
    mh_engine_stream_start(e);
    if (e->visit) {
        mh_lang lang = e->visit->lang;
        mh_visit_mode mode = e->visit->mode;
        int stop = e->visit->tour_stop;
        bool paused = e->visit->tour_paused;
        mh_visit_desc vd = e->visit->desc;
        int volume = e->visit->volume;
        bool muted = e->visit->muted;
        mh_visit_init(e->visit, &e->hall, e->glyphs, &vd);
        mh_visit_set_language(e->visit, lang);
        mh_visit_set_volume(e->visit, volume);
        mh_visit_set_muted(e->visit, muted);
        if (mode == MH_VISIT_ATTRACT)
            mh_visit_attract(e->visit);
        /* a running tour goes on at its stop (from its start when the new hall's tour is shorter) */
        if (mode == MH_VISIT_TOUR && e->hall.tour_count > 0)
            mh_visit_tour_resume(e->visit, stop < e->hall.tour_count ? stop : 0, paused);
        mh_engine_media_hall(e);
    }
    mh_log_info("stage", "hall %s reloaded (%.0f ms on the worker)", e->hall_dir, j->seconds * 1000.0);
    record(e, j->ticket, MH_JOB_DONE, warn ? &j->err : NULL);
}

/* The new landmark is on the GPU: crossfade it in over the old one. */
static void begin_crossfade(mh_engine *e)
{
    mh_load_job *j = e->job;
    e->incoming = (feature){.scene = j->feature, .gpu = e->up_feature};
    snprintf(e->incoming.id, sizeof e->incoming.id, "%s", j->exhibit);
    j->has_feature = false;
    e->up_feature = (mh_gpu_scene){0};
    e->fade = 0;
    e->hall.featured = e->hall.booths[mh_hall_find_booth(&e->hall, j->exhibit)].exhibit.id;
    if (e->visit)
        mh_visit_featured_changed(e->visit);
    mh_log_info("stage", "featuring %s (loaded in %.0f ms on the worker)", j->exhibit, j->seconds * 1000.0);
    record(e, j->ticket, MH_JOB_DONE, NULL);
}

static void finish_crossfade(mh_engine *e)
{
    mh_renderer_scene_destroy(e->renderer, &e->shown.gpu);
    mh_scene_free(&e->shown.scene);
    e->shown = e->incoming;
    e->incoming = (feature){0};
    e->fade = -1;
}

/* A finished job: failures are recorded; results start uploading. */
static void job_finished(mh_engine *e)
{
    mh_load_job *j = e->job;
    if (j->kind == MH_LOAD_BOOTH) { /* a streamed booth's model */
        if (mh_engine_stream_loaded(e))
            e->uploading = true;
        else
            end_job(e);
        return;
    }
    if (!j->ok && j->cancelled) { /* stopped for the newer request now queued */
        record_superseded(e, j->ticket, e->queued_reload ? "RELOAD" : e->queued);
        end_job(e);
        return;
    }
    if (!j->ok) {
        char text[1024];
        mh_log_error("stage", "%s", mh_error_text(&j->err, text, sizeof text));
        record(e, j->ticket, MH_JOB_FAILED, &j->err);
        end_job(e);
        return;
    }
    if (j->kind == MH_LOAD_FEATURE && e->queued_ticket && !e->queued_reload) {
        record_superseded(e, j->ticket, e->queued); /* a newer SWITCH came in meanwhile */
        end_job(e);
        return;
    }
    mh_error err;
    if (j->kind == MH_LOAD_HALL && !(e->up_hall = mh_renderer_scene_create(e->renderer, &j->hall_scene, &err)).id) {
        record(e, j->ticket, MH_JOB_FAILED, &err);
        end_job(e);
        return;
    }
    double t0 = mh_clock_seconds(MH_CLOCK_THREAD_CPU);
    if (j->has_feature && !(e->up_feature = mh_renderer_scene_create(e->renderer, &j->feature, &err)).id) {
        record(e, j->ticket, MH_JOB_FAILED, &err);
        end_job(e);
        return;
    }
    e->uploading = true;
    mh_log_info("stage", "the upload is set up in %.1f ms of CPU", (mh_clock_seconds(MH_CLOCK_THREAD_CPU) - t0) * 1e3);
}

/* One slice of GPU upload per frame; true when everything is up. */
static bool upload_step(mh_engine *e)
{
    mh_load_job *j = e->job;
    if (e->up_hall.id && !mh_renderer_scene_upload_for(e->renderer, e->up_hall, &j->hall_scene, UPLOAD_BYTES_PER_FRAME,
                                                       UPLOAD_SECONDS_PER_FRAME))
        return false;
    if (e->up_feature.id && !mh_renderer_scene_upload_for(e->renderer, e->up_feature, &j->feature,
                                                          UPLOAD_BYTES_PER_FRAME, UPLOAD_SECONDS_PER_FRAME))
        return false;
    if (j->kind == MH_LOAD_HALL)
        mh_scene_release_cpu(&j->hall_scene);
    if (j->has_feature)
        mh_scene_release_cpu(&j->feature);
    return true;
}

/* Each frame: move the crossfade on, take a finished job's result a step
 * further, or start the next queued job. Never waits. */
static void step_loading(mh_engine *e, float dt)
{
    if (e->fade >= 0) {
        e->fade += dt / CROSSFADE_S;
        if (e->fade < 1)
            return; /* one change at a time: the next job starts after the fade */
        finish_crossfade(e);
    }
    if (e->job && !e->uploading && mh_load_done(e->job))
        job_finished(e);
    if (e->job && e->uploading && (e->warm_stage > 0 || upload_step(e))) {
        /* an exhibit: the frame after its upload's last step draws one
         * triangle of each of its materials through the crossfade's variant
         * (mh_render_layer.warm), so that llvmpipe compiles its code for
         * that state there, not in the crossfade's first frame, which
         * draws the whole exhibit too; the crossfade begins the frame after */
        if (e->job->kind == MH_LOAD_FEATURE && e->warm_stage < 2) {
            e->warm_stage++;
            return;
        }
        if (e->job->kind == MH_LOAD_HALL)
            swap_hall(e);
        else if (e->job->kind == MH_LOAD_BOOTH)
            mh_engine_stream_in(e);
        else
            begin_crossfade(e);
        end_job(e);
        return;
    }
    if (!e->job && e->queued_ticket)
        start_job(e);
    mh_engine_stream_step(e, !e->job && !e->queued_ticket); /* SWITCH and RELOAD first */
}

static uint32_t new_ticket(mh_engine *e)
{
    if (++e->next_ticket == 0)
        e->next_ticket = 1;
    return e->next_ticket;
}

/* Only one request waits: a newer one replaces it (and it reports 409). */
static void queue_request(mh_engine *e, const char *id, bool reload, uint32_t ticket)
{
    if (e->queued_ticket) {
        if (e->queued_reload && !reload) {
            record_superseded(e, ticket, "RELOAD (waiting for it)");
            return;
        }
        record_superseded(e, e->queued_ticket, reload ? "RELOAD" : id);
    }
    snprintf(e->queued, sizeof e->queued, "%s", reload ? "" : id);
    e->queued_reload = reload;
    e->queued_ticket = ticket;
    /* a load still running is stopped for it: any newer request stops a
     * SWITCH, only a newer RELOAD stops a RELOAD (a SWITCH waits for it) */
    if (e->job && !e->uploading && (reload || e->job->kind != MH_LOAD_HALL))
        mh_load_cancel(e->job);
}

uint32_t mh_engine_feature(mh_engine *e, const char *exhibit_id, mh_error *err)
{
    if (!mh_exhibit_id_valid(exhibit_id)) {
        mh_fail(err, "", "", "\"%.40s\" is not an exhibit id (1-31 of a-z, 0-9, _ and -)", exhibit_id);
        return 0;
    }
    int b = mh_hall_find_booth(&e->hall, exhibit_id);
    if (b < 0) {
        mh_fail(err, "", "", "no exhibit \"%s\" in this hall", exhibit_id);
        return 0;
    }
    uint32_t t = new_ticket(e);
    bool busy = e->job || e->fade >= 0 || e->queued_ticket;
    if (!busy && strcmp(e->shown.id, exhibit_id) == 0) {
        record(e, t, MH_JOB_DONE, NULL); /* already on the stage */
        return t;
    }
    queue_request(e, exhibit_id, false, t);
    return t;
}

uint32_t mh_engine_reload(mh_engine *e, mh_error *err)
{
    uint32_t t = new_ticket(e);
    queue_request(e, "", true, t);
    return t;
}

mh_job_state mh_engine_job(const mh_engine *e, uint32_t ticket, mh_error *err)
{
    for (int i = 0; i < JOB_RESULTS; i++) {
        const job_result *r = &e->results[i];
        if (r->ticket == ticket && r->state != MH_JOB_UNKNOWN) {
            if (err)
                *err = r->err;
            return r->state;
        }
    }
    bool pending = (e->job && e->job->ticket == ticket) || e->queued_ticket == ticket;
    return pending ? MH_JOB_PENDING : MH_JOB_UNKNOWN;
}

const char *mh_engine_featured(const mh_engine *e) { return e->fade >= 0 ? e->incoming.id : e->shown.id; }

const char *mh_engine_loading(const mh_engine *e)
{
    if (e->job && e->job->kind != MH_LOAD_BOOTH) /* a streamed booth is not the stage's */
        return e->job->kind == MH_LOAD_HALL ? "RELOAD" : e->job->exhibit;
    if (e->queued_ticket)
        return e->queued_reload ? "RELOAD" : e->queued;
    return NULL;
}

int mh_engine_exhibit_count(const mh_engine *e) { return e->hall.booth_count; }

const char *mh_engine_exhibit_name(const mh_engine *e, int i, const char *lang)
{
    if (i < 0 || i >= e->hall.booth_count)
        return NULL;
    const mh_exhibit_desc *x = &e->hall.booths[i].exhibit;
    const char *name = lang && !strcmp(lang, "en") ? x->name_en : x->name_zh;
    return name && name[0] ? name : x->id;
}

const char *mh_engine_exhibit_id(const mh_engine *e, int i)
{
    return i >= 0 && i < e->hall.booth_count ? e->hall.booths[i].exhibit.id : NULL;
}

/* ---- what the visitor sees, set by an operator ---------------------------- */

bool mh_engine_tour(mh_engine *e, bool start)
{
    if (!e->visit || (start && e->hall.tour_count == 0))
        return false;
    if (start)
        mh_visit_tour_start(e->visit);
    else
        mh_visit_tour_stop(e->visit);
    return true;
}

void mh_engine_attract(mh_engine *e)
{
    if (e->visit)
        mh_visit_attract(e->visit);
}

bool mh_engine_set_language(mh_engine *e, const char *lang)
{
    if (!e->visit || (strcmp(lang, "zh") && strcmp(lang, "en")))
        return false;
    mh_visit_set_language(e->visit, strcmp(lang, "en") ? MH_LANG_ZH : MH_LANG_EN);
    return true;
}

/* Why a PAGE or VIEW could not move: no panel, an end reached, no such one. */
static bool no_move(mh_error *err, const char *what, int n, int count, bool relative)
{
    if (relative)
        return mh_fail(err, "", "", "the panel is on its %s %s (it has %d)", n > 0 ? "last" : "first", what, count);
    return mh_fail(err, "", "", "%s %d does not exist: the panel has %d", what, n + 1, count);
}

bool mh_engine_panel_page(mh_engine *e, int page, bool relative, mh_error *err)
{
    if (!e->visit || !e->visit->panel.open)
        return mh_fail(err, "", "", "no panel is open");
    return mh_visit_panel_page(e->visit, page, relative) ||
           no_move(err, "page", page, e->visit->panel.page_count, relative);
}

bool mh_engine_panel_view(mh_engine *e, int view, bool relative, mh_error *err)
{
    if (!e->visit || !e->visit->panel.open)
        return mh_fail(err, "", "", "no panel is open");
    if (e->visit->panel.view_count == 0)
        return mh_fail(err, "", "", "this panel has no charts, photos or other views");
    return mh_visit_panel_view(e->visit, view, relative) ||
           no_move(err, "view", view, e->visit->panel.view_count, relative);
}

bool mh_engine_show_panel(mh_engine *e, const char *exhibit_id, int page, int view, mh_error *err)
{
    int b = mh_hall_find_booth(&e->hall, exhibit_id);
    if (b < 0)
        return mh_fail(err, "", "", "no exhibit \"%.40s\" in this hall", exhibit_id);
    if (!e->visit || !mh_visit_show_panel(e->visit, b, &e->nav))
        return mh_fail(err, "", "", "no visitor interface (no font for panels)");
    const mh_panel *p = &e->visit->panel;
    if (page < 0 || page >= p->page_count)
        return mh_fail(err, "", "", "page %d does not exist: the panel of %s has %d page%s (1-%d)", page + 1,
                       exhibit_id, p->page_count, p->page_count == 1 ? "" : "s", p->page_count);
    if (view < 0 || (view > 0 && view >= p->view_count))
        return mh_fail(err, "", "", "view %d does not exist: the panel of %s has %d view%s%s", view + 1, exhibit_id,
                       p->view_count, p->view_count == 1 ? "" : "s",
                       p->view_count ? " (charts, timeline, photos, QR code)" : "");
    mh_panel_set_page(&e->visit->panel, page);
    mh_panel_set_view(&e->visit->panel, view);
    return true;
}

void mh_engine_set_volume(mh_engine *e, int percent)
{
    if (e->visit)
        mh_visit_set_volume(e->visit, percent);
}

void mh_engine_set_muted(mh_engine *e, bool muted)
{
    if (e->visit)
        mh_visit_set_muted(e->visit, muted);
}

void mh_engine_frame(mh_engine *e, const mh_frame_input *in, mh_frame_output *out)
{
    phase_clock first = e->frames == 0 ? phase_now() : (phase_clock){0}; /* the start-up's last phase */
    step_loading(e, (float)in->dt_s);
    if (in->skip_draw) {
        mh_input_state is = in->input;
        if (e->visit)
            mh_headset_tick(&e->headset, e->visit, in->time_s, &is);
        if (out)
            *out = (mh_frame_output){.recenter = e->headset.recenter};
        return;
    }
    int w = in->width, h = in->height;
    if (mh_renderer_is_offscreen(e->renderer))
        mh_renderer_size(e->renderer, &w, &h);
    mh_input_state is = in->input;
    mh_render_view views[MH_MAX_EYES];
    if (e->visit) {
        /* the visit sees the camera the visitor saw when they acted */
        int n = mh_engine_views(e, in, w, h, views);
        mh_visit_frame vf = mh_engine_visit_frame(e, in, views, n, w, h, &is);
        vf.collide = &e->scene.collide;
        vf.headset = in->eye_count > 0 && in->eyes_tracked;
        mh_engine_media_before(e, in->time_s, &vf);
        mh_headset_frame hf = mh_engine_headset_frame(e, in, views, n, &vf, &is);
        mh_headset_update(&e->headset, e->visit, &hf, &vf, &is, &e->nav);
        mh_visit_update(e->visit, &vf, &is, &e->nav);
    }
    mh_engine_note_visit(e, in->dt_s);
    mh_nav_input ni = {is.move_forward, is.move_right, is.turn, is.tilt, is.look_yaw, is.look_pitch, is.fast};
    mh_nav_update(&e->nav, &ni, (float)in->dt_s, &e->scene.collide);
    float moved = e->desc.still ? 0.0f : (float)in->dt_s; /* landmarks that move */
    mh_scene_animate(&e->scene, moved);
    mh_scene_animate(&e->shown.scene, moved);
    if (e->fade >= 0)
        mh_scene_animate(&e->incoming.scene, moved);
    mh_engine_stream_animate(e, moved);

    int view_count = mh_engine_views(e, in, w, h, views);
    if (!e->desc.multiview) /* a headset's layered swapchain: both eyes in one pass */
        mh_renderer_multiview(e->renderer, in->multiview && view_count == 2);
    if (e->visit)
        mh_engine_media_after(e, views, view_count);
    mh_render_stats st;
    mh_render_layer local[3], *layers = e->stream.layers ? e->stream.layers : local; /* (+ streamed booths) */
    layers[0] = (mh_render_layer){.scene = e->hall_gpu, .cpu = &e->scene};
    int n = 1;
    /* the first frame draws the stage through the crossfade shader, keeping
     * every pixel: its compile (on llvmpipe, at first use) happens at start-up
     * rather than as a hitch in the first switch */
    float solid = e->frames == 0 && e->visit ? 1.0f : 0.0f;
    if (e->shown.gpu.id)
        layers[n++] = (mh_render_layer){.scene = e->shown.gpu,
                                        .cpu = &e->shown.scene,
                                        .dissolve = e->fade >= 0 ? -e->fade : solid,
                                        .shadow = e->fade < 0}; /* quality high: its shadow map */
    if (e->fade >= 0 && e->incoming.gpu.id)
        layers[n++] = (mh_render_layer){.scene = e->incoming.gpu,
                                        .cpu = &e->incoming.scene,
                                        .dissolve = e->fade > 0 ? e->fade : 1e-4f};
    if (e->job && e->warm_stage == 2 && e->up_feature.id)
        layers[n++] =
            (mh_render_layer){.scene = e->up_feature, .cpu = &e->job->feature, .dissolve = 1e-4f, .warm = true};
    n += mh_engine_stream_layers(e, layers + n, views[0].eye);
    mh_render_ui ui = {0};
    if (e->visit) { /* the interface first: an open panel's card hides the hall behind it from the start */
        mh_visit_draw(e->visit, &e->ui, &e->nav);
        mh_engine_media_draw(e, &e->ui);
        mh_headset_draw(&e->headset, e->visit, &e->ui);
        ui = mh_ui_batch_render_desc(&e->ui);
        mh_renderer_ui_occluders(e->renderer, &ui);
    }
    mh_renderer_draw(e->renderer, layers, n, views, view_count, &e->light, in->framebuffer, w, h, &st);
    if (e->visit) {
        if (mh_renderer_draw_ui(e->renderer, &ui, views, view_count))
            mh_glyphs_mark_clean(e->glyphs); /* the renderer has the rows that changed */
    }
    mh_renderer_end_frame(e->renderer);
    if (e->frames++ == 0) {
        mh_engine_trim_heap(); /* what the first frame's shader compiles left behind */
        heap_policy(false);
        phase_done(&first, "the first frame (the GL thread's part)");
    }
    if (out) {
        mh_vec3 eye = views[0].eye;
        if (view_count > 1)
            eye = mh_v3_scale(mh_v3_add(views[0].eye, views[1].eye), 0.5f);
        *out = (mh_frame_output){.draw_calls = st.draw_calls + e->ui.cmd_count,
                                 .triangles = st.triangles + e->ui.vertex_count / 3,
                                 .culled = st.chunks_culled,
                                 .stage_draw_calls = e->shown.gpu.id ? st.layer_draws[1] : 0,
                                 .loading = e->job && e->job->kind != MH_LOAD_BOOTH,
                                 .eye = {eye.x, eye.y, eye.z},
                                 .yaw = e->nav.yaw,
                                 .pitch = e->nav.pitch,
                                 .recenter = e->headset.recenter};
    }
}

void mh_engine_draw_floor(mh_engine *e, const mh_frame_input *in)
{
    mh_renderer_draw_floor(e->renderer, e->hall_gpu, &e->light, in->framebuffer, in->width, in->height);
    mh_renderer_end_frame(e->renderer);
}

void mh_engine_bounds(const mh_engine *e, float min[3], float max[3])
{
    mh_aabb b = e->scene.bounds;
    if (e->shown.gpu.id) {
        mh_aabb_add_point(&b, e->shown.scene.bounds.min);
        mh_aabb_add_point(&b, e->shown.scene.bounds.max);
    }
    memcpy(min, &b.min, sizeof(float) * 3);
    memcpy(max, &b.max, sizeof(float) * 3);
}

bool mh_export_hall(const char *hall_dir, const char *out_path, mh_error *err)
{
    mh_arena arena = {.block_size = 256u * 1024u};
    mh_hall_desc hall;
    mh_scene sc = {0}, stage = {0};
    bool ok = mh_hall_load(hall_dir, &arena, &hall, err);
    hall.streaming.on = false; /* the export holds every booth's model, streamed in the kiosk or not */
    if (ok) {
        mh_error font_err;
        mh_font *font = mh_font_open(hall.fonts, hall.font_count, &font_err);
        ok = mh_scene_build(&sc, &hall, mh_font_sign_text(font), &arena, err);
        mh_font_close(&font);
    }
    if (ok && hall.featured && !mh_scene_build_feature(&stage, &hall, hall.featured, err)) {
        char text[1024];
        mh_log_error("export", "%s (the stage stays empty)", mh_error_text(err, text, sizeof text));
    }
    ok = ok && mh_export_hall_glb(out_path, &hall, &sc, &stage, "metahall " METAHALL_VERSION " export", err);
    mh_scene_free(&sc);
    mh_scene_free(&stage);
    mh_arena_free(&arena);
    return ok;
}

void mh_engine_visit_status(const mh_engine *e, mh_visit_status *out)
{
    memset(out, 0, sizeof *out);
    const mh_visit *v = e->visit;
    out->mode = "explore";
    out->language = "zh";
    out->caption_part = -1;
    out->narration_s = -1;
    if (!v) {
        return;
    }
    static const char *const modes[] = {"explore", "tour", "attract"};
    out->mode = modes[v->mode];
    out->language = v->lang == MH_LANG_EN ? "en" : "zh";
    if (v->panel.open && v->panel.exhibit)
        snprintf(out->panel, sizeof out->panel, "%s", v->panel.exhibit->id);
    static const char *const buttons[MH_HUD_LEGEND + 1] = {"", "lang", "tour", "next", "entrance", "volume", "legend"};
    static const char *const panel_buttons[] = {"",          "panel",     "close",     "lang",  "page_prev",
                                                "page_next", "view_prev", "view_next", "facts", "view"};
    switch (v->hover.kind) {
    case MH_TARGET_BOOTH:
        snprintf(out->hover, sizeof out->hover, "booth:%s", e->hall.booths[v->hover.id].exhibit.id);
        break;
    case MH_TARGET_STAGE: snprintf(out->hover, sizeof out->hover, "stage"); break;
    case MH_TARGET_PANEL: snprintf(out->hover, sizeof out->hover, "panel:%s", panel_buttons[v->hover.id]); break;
    case MH_TARGET_HUD: snprintf(out->hover, sizeof out->hover, "button:%s", buttons[v->hover.id]); break;
    case MH_TARGET_MAP: snprintf(out->hover, sizeof out->hover, "map"); break;
    default: break;
    }
    mh_visit_where(v, &e->nav, out->at, sizeof out->at);
    if (v->panel.open) {
        static const char *const kinds[] = {"chart", "timeline", "photo", "qr"};
        out->page = v->panel.page;
        out->pages = v->panel.page_count;
        out->view = v->panel.view;
        out->views = v->panel.view_count;
        if (v->panel.view_count > 0)
            snprintf(out->view_name, sizeof out->view_name, "%s", kinds[v->panel.views[v->panel.view].kind]);
    }
    out->page_turns = v->page_turns;
    out->caption_part = v->caption_part;
    out->narration_s = v->narration ? v->narration_pos : -1;
    out->volume = v->volume;
    out->muted = v->muted;
    out->tour_stop = v->tour_stop;
    out->tour_stops = e->hall.tour_count;
    out->tour_paused = v->tour_paused;
    out->teleporting = v->teleporting;
    out->idle_s = (float)v->idle_s;
    out->x = e->nav.pos.x;
    out->z = e->nav.pos.y;
    out->heading_deg = e->nav.yaw * 57.29578f;
    out->headset = mh_headset_presence_name(&e->headset);
    out->visits = e->headset.visits;
    out->menu = e->headset.menu.open;
    out->seated = e->headset.seated;
}

bool mh_engine_read_pixels(mh_engine *e, uint8_t *rgba, int width, int height)
{
    return mh_renderer_read_pixels(e->renderer, rgba, width, height);
}

void mh_engine_finish_gpu(mh_engine *e) { mh_renderer_finish(e->renderer); }
const char *mh_engine_gl_name(const mh_engine *e) { return mh_renderer_gl_name(e->renderer); }
bool mh_engine_multiview(const mh_engine *e) { return mh_renderer_is_multiview(e->renderer); }

bool mh_gl_renderer_is_software(const char *gl_renderer) { return mh_renderer_name_is_software(gl_renderer); }
