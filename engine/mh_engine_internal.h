/* mh_engine_internal.h - the engine's state, shared by its files (engine/
 * only): mh_engine.c (create, load, switch, frame) and mh_engine_views.c
 * (cameras and eyes). */
#ifndef MH_ENGINE_INTERNAL_H
#define MH_ENGINE_INTERNAL_H

#include "asset/mh_hall_load.h"
#include "core/mh_arena.h"
#include "include/metahall.h"
#include "mh_loader.h"
#include "render/mh_renderer.h"
#include "scene/mh_nav.h"
#include "scene/mh_scene.h"
#include "text/mh_glyphs.h"
#include "ui/mh_headset.h"
#include "ui/mh_ui_batch.h"
#include "ui/mh_visit.h"

/* The stage's featured exhibit: its own scene, so it can be swapped. */
typedef struct feature {
    mh_scene scene;
    mh_gpu_scene gpu;
    char id[MH_EXHIBIT_ID_MAX];       /* "" = the stage is empty */
} feature;

/* What became of recent SWITCH/RELOAD jobs, for the control protocol. */
typedef struct job_result {
    uint32_t ticket;
    mh_job_state state;
    mh_error err;
} job_result;

#define JOB_RESULTS 32
#define CROSSFADE_S 0.6f
#define UPLOAD_BYTES_PER_FRAME (512u * 1024u)

struct mh_engine {
    mh_engine_desc desc;
    char hall_dir[1024];
    mh_arena hall_arena;       /* everything the hall description owns */
    mh_hall_desc hall;
    mh_scene scene;
    mh_gpu_scene hall_gpu;
    feature shown;             /* on the stage now */
    feature incoming;          /* uploading, then crossfading in (fade >= 0) */
    float fade;                /* crossfade progress 0..1, < 0 when none */
    /* loading: one job at a time; a newer SWITCH waits in `queued` */
    mh_load_job *job;
    bool uploading;            /* the job's result is being uploaded */
    mh_gpu_scene up_hall, up_feature;
    char queued[MH_EXHIBIT_ID_MAX];
    uint32_t queued_ticket, next_ticket;
    bool queued_reload;
    job_result results[JOB_RESULTS];
    int result_next;
    long frames;
    mh_renderer *renderer;
    mh_nav nav;
    mh_render_lighting light;
    /* the visitor interface; absent (NULL glyphs) when no font opens */
    mh_glyphs *glyphs;
    mh_ui_batch ui;
    mh_visit *visit;
    mh_headset headset;        /* the visitor cycle, the world menu and comfort (headsets); the volume */
};

/* mh_engine_views.c */
/* The frame's views: a camera set from outside, the engine's own camera
 * over the drawable (w x h), or the platform's eyes. Returns how many. */
int mh_engine_views(const mh_engine *e, const mh_frame_input *in, int w, int h, mh_render_view *views);
/* The camera the visit acts with this frame (views and n as from
 * mh_engine_views): the drawable's, or in stereo a controller's ray (as a
 * pointer at the centre of a virtual screen), the eye the mouse is over, or
 * the head. May move the pointer in *is to match. */
/* The frame as the headset parts see it: the head, the pointer's ray (vf
 * and is as mh_engine_visit_frame left them). */
mh_headset_frame mh_engine_headset_frame(const mh_engine *e, const mh_frame_input *in, const mh_render_view *views,
                                         int n, const mh_visit_frame *vf, const mh_input_state *is);
mh_visit_frame mh_engine_visit_frame(const mh_engine *e, const mh_frame_input *in, const mh_render_view *views, int n,
                                     int w, int h, mh_input_state *is);

#endif
