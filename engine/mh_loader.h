/* mh_loader.h - loading off the render thread.
 *
 * A load job runs on a worker thread of its own (at a lower priority than
 * the render loop) and does all the file reading, parsing and mesh building;
 * the render thread only polls whether it is done and then uploads the
 * result to the GPU a slice per frame (mh_renderer_scene_upload). No GL and
 * no engine state is touched on the worker: a FEATURE job reads the current
 * hall description, which stays unchanged while a job runs (only one job
 * runs at a time, and only the render thread swaps halls, between jobs).
 *
 * A job can be cancelled (mh_load_cancel: a newer SWITCH or RELOAD, or
 * shutdown): the worker checks the flag between exhibits and models and in
 * the model loader's long loops, and ends soon with ok = false and
 * cancelled = true, having built nothing the caller must keep. */
#ifndef MH_LOADER_H
#define MH_LOADER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "asset/mh_hall_load.h"
#include "core/mh_arena.h"
#include "core/mh_error.h"
#include "scene/mh_scene.h"
#include "text/mh_text.h"

typedef enum mh_load_kind {
    MH_LOAD_FEATURE, /* one exhibit's landmark for the stage */
    MH_LOAD_HALL,    /* the whole hall again from disk (RELOAD), with its featured exhibit */
    MH_LOAD_BOOTH,   /* one booth's landmark model where it stands (hall.json "streaming"), into feature */
} mh_load_kind;

typedef struct mh_load_job {
    /* what to load (set before mh_load_start) */
    mh_load_kind kind;
    uint32_t ticket;
    char exhibit[MH_EXHIBIT_ID_MAX]; /* FEATURE: the exhibit; HALL: keep featuring it if it is still there */
    const mh_hall_desc *hall;        /* FEATURE, BOOTH: the hall it belongs to */
    int booth;                       /* BOOTH: which */
    char hall_dir[1024];             /* HALL: the folder */
    /* results, valid once mh_load_done returned true */
    bool ok;
    mh_error err;          /* !ok: why; HALL with ok: a featured exhibit that failed ("" when none) */
    mh_arena arena;        /* HALL: owns hall */
    mh_hall_desc hall_out; /* HALL: the new hall */
    mh_scene hall_scene;   /* HALL: its scene */
    mh_scene feature;      /* the featured landmark (has_feature) */
    bool has_feature;
    double seconds;     /* time the worker took */
    bool cancelled;     /* it stopped early because mh_load_cancel was called */
    atomic_bool cancel; /* set by mh_load_cancel, read by the worker */
    /* the worker */
    pthread_t thread;
    atomic_bool done;
    bool started;
} mh_load_job;

/* Starts the job's worker thread; false (err filled) when it cannot. */
bool mh_load_start(mh_load_job *job);
/* Non-blocking: true once the worker has finished (then joined). */
bool mh_load_done(mh_load_job *job);
/* Asks a running job to stop early (never blocks). */
void mh_load_cancel(mh_load_job *job);
/* Cancels a running job, waits for it and frees whatever it produced. */
void mh_load_discard(mh_load_job *job);

/* What a hall's scene is built with in the engine: the font's
 * distance-field sign glyphs, and the booths' key figures' amounts written
 * as the interface writes them (mh_units). */
mh_sign_text mh_load_sign_text(mh_font *font);

#endif
