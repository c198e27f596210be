/* mh_loader.c - the worker thread behind SWITCH and RELOAD: reads and builds
 * an exhibit's stage landmark, a streamed booth's model or a whole hall
 * while the render loop goes on. */
#include "mh_loader.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "core/mh_log.h"
#include "text/mh_text.h"
#include "ui/mh_panel.h"

/* The worker yields to the render loop: on a two-core board a full-speed
 * parse would otherwise take a core from the rasteriser and stretch frames. */
#define WORKER_NICE 10

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void wall_amount(const mh_fact *f, bool zh, char *out, size_t size)
{
    mh_fact_format_figure(f, zh ? MH_LANG_ZH : MH_LANG_EN, out, size); /* as the panel writes it */
}

mh_sign_text mh_load_sign_text(mh_font *font)
{
    mh_sign_text t = mh_font_sign_sdf(font);
    t.amount = font ? wall_amount : NULL;
    return t;
}

static void load_hall(mh_load_job *j)
{
    j->arena.block_size = 256u * 1024u;
    j->ok = mh_hall_load_cancellable(j->hall_dir, &j->cancel, &j->arena, &j->hall_out, &j->err);
    if (!j->ok)
        return;
    mh_error font_err;
    mh_font *font = mh_font_open(j->hall_out.fonts, j->hall_out.font_count, &font_err);
    j->ok = mh_scene_build(&j->hall_scene, &j->hall_out, mh_load_sign_text(font), &j->arena, &j->err);
    mh_font_close(&font);
    if (!j->ok)
        return;
    /* keep the exhibit the operator featured, if the new hall still has it */
    const char *id =
        j->exhibit[0] && mh_hall_find_booth(&j->hall_out, j->exhibit) >= 0 ? j->exhibit : j->hall_out.featured;
    if (id) {
        mh_error ferr;
        j->has_feature = mh_scene_build_feature(&j->feature, &j->hall_out, id, &ferr);
        if (!j->has_feature)
            j->err = ferr; /* the hall still loads; the stage stays empty */
        else if (id != j->exhibit)
            snprintf(j->exhibit, sizeof j->exhibit, "%s", id);
    }
    if (!j->has_feature)
        j->exhibit[0] = '\0';
}

static void *worker(void *arg)
{
    mh_load_job *j = arg;
    setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), WORKER_NICE);
    double t0 = seconds_now();
    if (j->kind == MH_LOAD_HALL) {
        load_hall(j);
    } else {
        /* the current hall with this job's cancel flag: a shallow copy (the
         * hall stays unchanged while a job runs) */
        mh_hall_desc hall = *j->hall;
        hall.cancel = &j->cancel;
        j->ok = j->has_feature = j->kind == MH_LOAD_BOOTH
                                     ? mh_scene_build_booth_model(&j->feature, &hall, j->booth, &j->err)
                                     : mh_scene_build_feature(&j->feature, &hall, j->exhibit, &j->err);
    }
    if (atomic_load(&j->cancel)) {
        j->cancelled = true;
        j->ok = false;
        mh_fail(&j->err, "", "", "loading was cancelled");
    }
    j->seconds = seconds_now() - t0;
    atomic_store(&j->done, true);
    return NULL;
}

bool mh_load_start(mh_load_job *job)
{
    atomic_store(&job->done, false);
    atomic_store(&job->cancel, false);
    job->ok = job->has_feature = job->cancelled = false;
    memset(&job->err, 0, sizeof job->err);
    int rc = pthread_create(&job->thread, NULL, worker, job);
    job->started = rc == 0;
    if (rc != 0)
        return mh_fail(&job->err, "", "", "cannot start a loading thread (%s)", strerror(rc));
    return true;
}

bool mh_load_done(mh_load_job *job)
{
    if (!job->started)
        return true;
    if (!atomic_load(&job->done))
        return false;
    pthread_join(job->thread, NULL);
    job->started = false;
    return true;
}

void mh_load_cancel(mh_load_job *job) { atomic_store(&job->cancel, true); }

void mh_load_discard(mh_load_job *job)
{
    if (job->started) {
        mh_load_cancel(job);
        pthread_join(job->thread, NULL);
        job->started = false;
    }
    if (job->has_feature)
        mh_scene_free(&job->feature);
    if (job->kind == MH_LOAD_HALL) {
        mh_scene_free(&job->hall_scene);
        mh_arena_free(&job->arena);
    }
    job->has_feature = false;
}
