/* mh_ratelog.c - rate-limited warnings (see mh_ratelog.h). */
#include "mh_ratelog.h"

#include "metahall.h"

static long g_suppressed_total; /* for tests; written on the main thread only */

bool mh_ratelog_allow(mh_ratelog *r, double now)
{
    double window = r->window_s > 0 ? r->window_s : 10.0;
    int burst = r->burst > 0 ? r->burst : 5;
    if (r->started == 0 || now - r->started >= window) {
        if (r->suppressed > 0)
            mh_log_warn(r->tag ? r->tag : "log", "%d more %s in the last %.0f s were not logged", r->suppressed,
                        r->what ? r->what : "warnings like the above", now - r->started);
        r->started = now;
        r->logged = r->suppressed = 0;
    }
    if (r->logged < burst) {
        r->logged++;
        return true;
    }
    r->suppressed++;
    g_suppressed_total++;
    return false;
}

long mh_ratelog_suppressed_total(void) { return g_suppressed_total; }
