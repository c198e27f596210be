/* mh_command_internal.h - the commander's state, shared by its files:
 * mh_command.c (parse, run, jobs), mh_command_status.c (STATUS and LIST
 * JSON, frames) and mh_screenshot.c (SCREENSHOT and thumbnails). */
#ifndef MH_COMMAND_INTERNAL_H
#define MH_COMMAND_INTERNAL_H

#include "mh_command.h"
#include "mh_frame_stats.h"
#include "mh_ratelog.h"

#define MH_FRAME_RING 256 /* frame times kept for fps, p50, p99 */

/* A command waiting for its load: what it was, and how the load ended once
 * collected (so no result is ever lost to the engine's small ring). */
typedef struct mh_job {
    uint32_t ticket; /* 0: a free slot */
    mh_command_kind kind;
    char arg[MH_COMMAND_ARG_MAX];
    bool touring; /* RELOAD: a guided tour was running when it was asked for */
    bool final;   /* collected: state and err hold the result */
    mh_job_state state;
    mh_error err;
} mh_job;

struct mh_commander {
    mh_commander_desc desc;
    char kiosk_id[64], hall_name[64], screenshot_dir[512];
    double started;
    /* frames: times, when they ended, and the sorted copy STATUS reads */
    mh_frame_stats frames;
    float frame_ms[MH_FRAME_RING], frame_sorted[MH_FRAME_RING];
    double frame_at[MH_FRAME_RING];
    float worst[MH_STATUS_READERS]; /* the longest frame since the fleet and the page last looked */
    int width, height;
    /* commands waiting for a load */
    mh_job jobs[MH_COMMANDER_JOBS];
    int jobs_used;
    /* STATUS bookkeeping */
    char last_error[320];
    uint32_t serial;
    char seen[200]; /* what STATUS showed last frame, to notice changes */
    bool quit;
    /* what operators set (the state file) */
    mh_operator_settings settings;
    uint32_t settings_serial;
    /* screenshots: a counter for unique names, pixels kept between thumbnails */
    unsigned screenshots;
    uint8_t *pixels, *small;
    size_t pixels_cap, small_cap;
    mh_ratelog shot_log;
};

/* mh_command.c: formats reply->text as "[#id ]...", one line. */
bool mh_reply_text(mh_reply *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A long reply line "[#id ]<head><body>" on the heap (falls back to an ERR 500 in text). */
bool mh_reply_long(mh_reply *r, const char *head, const char *body);

/* mh_screenshot.c */
bool mh_screenshot_run(mh_commander *c, const char *arg, unsigned flags, mh_reply *r);
void mh_screenshot_free(mh_commander *c);

/* mh_command_status.c: the serial moves when what STATUS shows changed. */
void mh_commander_notice(mh_commander *c);

#endif
