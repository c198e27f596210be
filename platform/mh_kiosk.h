/* mh_kiosk.h - the kiosk: a platform, the engine, operator control, the
 * fleet and the service around one frame loop (mh_kiosk.c), and the hooks a
 * replayed --script uses to look into them (mh_kiosk_script.c). */
#ifndef MH_KIOSK_H
#define MH_KIOSK_H

#include <stdbool.h>

#include "control/mh_command.h"
#include "metahall.h"
#include "mh_frame_stats.h"
#include "mh_options.h"
#include "mh_script.h"

#define MH_KIOSK_TIMED_FRAMES 8192 /* frame times kept for the closing log line and `timing` */

/* Runs the kiosk until it is asked to stop (or --frames, or the script's
 * end). Returns the exit status: 0, or 1 when it could not run or a script
 * check failed. */
int mh_kiosk_run(const mh_options *o, const char *hall_dir);

/* What the script's hooks look at. */
typedef struct mh_kiosk_script {
    mh_engine *engine;
    int width, height;
    mh_frame_stats *wall;                   /* the run's frame times */
    mh_frame_stats *cpu;                    /* the process's CPU time per frame (pushed with them) */
    mh_frame_stats *render;                 /* the render thread's CPU time per frame (the loader's worker left out) */
    const uint32_t *draw_calls, *triangles; /* what each frame drew, at the rings' places */
    mh_commander *commander;                /* `control` lines go through it */
    mh_reply reply;                         /* the last control command's answer */
    char command[160];
    bool peak_reset; /* the memory peak was reset at the last `timing` */
} mh_kiosk_script;

/* The hooks for mh_script_step, with c as their user pointer. */
mh_script_hooks mh_kiosk_script_hooks(mh_kiosk_script *c);

#endif
