/* mh_frame_stats.h - frame times kept in a ring, and what is read from them:
 * median, p99, worst and mean of the last frames, frames a second over the
 * last second, and the frames since a mark. One module for the kiosk's
 * closing log line and script `timing` lines, STATUS (the commander) and
 * `metahall bench`.
 *
 * Storage is the caller's (arrays sized once, e.g. in a struct), so pushing
 * a frame never allocates and reading sorts a copy into the caller's
 * scratch array. Percentiles are taken from the sorted times as element
 * floor(n * q) (the median n / 2, p99 n * 99 / 100), never past the last.
 *
 * The mark splits the run into phases: mh_frame_stats_mark() starts a new
 * one, mh_frame_stats_since_mark() sums it up, and worst_since_mark keeps
 * the longest frame since the mark even when the phase is longer than the
 * ring (the place for "worst frame since the last STATUS"). */
#ifndef MH_FRAME_STATS_H
#define MH_FRAME_STATS_H

#include <stdbool.h>

typedef struct mh_frame_stats_desc {
    float *ms;      /* capacity entries: frame times in milliseconds (required) */
    float *scratch; /* capacity entries: the sorted copy a summary reads (required) */
    double *at;     /* NULL, or capacity entries: when each frame ended, seconds (for fps) */
    long capacity;  /* > 0 */
} mh_frame_stats_desc;

typedef struct mh_frame_stats {
    mh_frame_stats_desc desc;
    long count;             /* frames pushed since init */
    long mark;              /* count at the last mark */
    float worst_since_mark; /* the longest frame since the mark (all of them, not only the ring's) */
} mh_frame_stats;

typedef struct mh_frame_summary {
    long frames; /* how many frames the figures cover (0: none, all figures 0) */
    float median_ms, p99_ms, worst_ms, mean_ms;
} mh_frame_summary;

void mh_frame_stats_init(mh_frame_stats *s, const mh_frame_stats_desc *desc);
/* Adds one frame: its time, and when it ended (ignored without desc.at). */
void mh_frame_stats_push(mh_frame_stats *s, float ms, double at);
/* The last n frames (fewer when fewer were pushed or the ring is smaller). */
mh_frame_summary mh_frame_stats_last(const mh_frame_stats *s, long n);
/* The frames since the last mark (the ring's worth at most). */
mh_frame_summary mh_frame_stats_since_mark(const mh_frame_stats *s);
/* Starts a new phase. */
void mh_frame_stats_mark(mh_frame_stats *s);
/* Frames a second over (up to) the last window_s seconds of frames; 0 with
 * fewer than two frames or without desc.at. */
double mh_frame_stats_fps(const mh_frame_stats *s, double window_s);

/* Milliseconds since this process started (the kernel's start time, in
 * clock ticks since boot, against CLOCK_BOOTTIME): dynamic linking and the
 * platform's start count. 0 when /proc cannot tell. For start to first
 * frame, in the kiosk's log and `metahall bench`. */
double mh_frame_stats_process_age_ms(void);

#endif
