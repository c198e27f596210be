/* mh_script.h - scripted visitors: an input script replayed frame by frame
 * (`metahall --platform headless --script FILE`), for tests and demos.
 *
 * One command per line; '#' starts a comment. Frames advance 1/60 s each on
 * the headless platform.
 *   wait N                 N frames without input
 *   seconds S              S seconds without input
 *   walk FORWARD RIGHT N   stick/keys held for N frames (-1..1 each)
 *   turn RATE N            turn (right positive) for N frames
 *   look YAW PITCH         one frame of mouse-look, radians (left, up)
 *   point X Y              the mouse is at pixel X Y (stays there); one frame
 *   point off              the mouse leaves; one frame
 *   click X Y              point and click (select) there; one frame
 *   tap X Y                touch tap: select at X Y, no pointer after; one frame
 *   key NAME               one frame with an action: select back home lang tour next teleport
 *                          page_next page_prev view_next view_prev volume menu
 *   swipe X0 Y0 X1 Y1      a touch swipe from (X0, Y0) to (X1, Y1): a drag over 8
 *                          frames, then the swipe (left: next page or view)
 *   arc N [hold]           hold the teleport stick N frames (the arc shows), then let go
 *                          (teleport); with hold, still held after them (a screenshot of the arc)
 *   headset on|off         the headset is worn / taken off from now on (one frame)
 *   screenshot FILE        write the last frame as a PNG
 *   expect FIELD VALUE     check the visit: mode lang panel hover at tour_stop
 *                          tour_paused featured reply reply_code, pos (where the
 *                          visitor stands, whole metres "x,z"), heading (whole
 *                          degrees, left positive), headset (worn off -), visits,
 *                          menu (open closed), seated (yes no), page and pages (1-based
 *                          page of the open panel, how many), view, views, view_name
 *                          (chart timeline photo qr), page_turns, caption_part (the
 *                          narration caption's piece, 1-based, '-' none), volume
 *                          (percent), muted (VALUE '-' means empty)
 *   until FIELD VALUE [S]  frames go on (no input) until FIELD reads VALUE; fails
 *                          after S seconds' worth of frames at 60 Hz (default 30):
 *                          for input from elsewhere (a headset's test layer)
 *   print FIELD            log a field's value (for writing scripts)
 *   timing NAME [FILE]     log the median, p99 and worst frame time since the
 *                          last timing line (or the start) under NAME: compare
 *                          phases of one run, e.g. a panel open and closed;
 *                          with FILE, also each of those frames' times there
 *                          (wall, process CPU, render thread CPU, ms a line)
 *   control COMMAND...     run an operator command (SWITCH qiantang, LANG en...)
 *                          as if it came from the control port; the script
 *                          waits (frames go on) until it is answered, then
 *                          `expect reply OK` / `expect reply_code 422` check it
 * A failed expect stops the run with "FILE:LINE: expected ..., got ..."
 * (exit status 1). */
#ifndef MH_SCRIPT_H
#define MH_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>

#include "metahall.h"

typedef struct mh_script mh_script;

typedef struct mh_script_hooks {
    /* fills got with FIELD's current value; false when FIELD is unknown */
    bool (*field)(void *user, const char *field, char *got, size_t size);
    bool (*screenshot)(void *user, const char *path);
    void (*timing)(void *user, const char *name, const char *file); /* file NULL: none */
    /* runs an operator command: true when answered, false while pending
     * (then control_poll is called once per frame until it returns true) */
    bool (*control)(void *user, const char *line);
    bool (*control_poll)(void *user);
    void *user;
} mh_script_hooks;

mh_script *mh_script_load(const char *path, mh_error *err);
void mh_script_free(mh_script **s);
/* Adds the next frame's scripted input to *in, running any checks and
 * screenshots due before it. 1: run the frame; 0: the script is over;
 * -1: a check failed or a command was bad (logged with file and line). */
int mh_script_step(mh_script *s, mh_input_state *in, const mh_script_hooks *hooks);

#endif
