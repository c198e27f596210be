/* mh_ratelog.h - warnings that cannot flood the log: at most `burst` lines
 * of one kind per window, then silence until the window ends, and one line
 * saying how many were left out. A connection storm, a token guesser or a
 * flapping broker logs a handful of lines, not thousands.
 *
 *     static mh_ratelog wrong_token = MH_RATELOG_INIT;
 *     if (mh_ratelog_allow(&wrong_token, now))
 *         mh_log_warn("control", "%s: wrong token", peer);
 *
 * mh_ratelog_allow logs the summary of what was suppressed (tag and what)
 * itself when a new window opens. Main thread only (no locking). */
#ifndef MH_RATELOG_H
#define MH_RATELOG_H

#include <stdbool.h>

typedef struct mh_ratelog {
    const char *tag, *what; /* for the summary: "control", "wrong tokens" */
    double window_s;        /* 0 = 10 s */
    int burst;              /* lines per window; 0 = 5 */
    double started;         /* the window's start */
    int logged, suppressed;
} mh_ratelog;

#define MH_RATELOG(tag_, what_) ((mh_ratelog){.tag = (tag_), .what = (what_)})

/* True when this line may be logged now. */
bool mh_ratelog_allow(mh_ratelog *r, double now);
/* How many lines it has left out in total (tests, STATUS). */
long mh_ratelog_suppressed_total(void);

#endif
