/* mh_http.h - a kiosk's own control page (--http ADDR:PORT): the same page
 * the hub serves, showing this one kiosk, fed from the main loop.
 *
 * The web server's threads never touch the engine: a command from the page
 * waits in a small queue until mh_http_poll (main thread, once per frame)
 * runs it through the commander; its reply, the STATUS JSON (when it
 * changes, and every 2 s for fps and memory), a thumbnail (every 2 s while
 * a page is watching, and a moment after a change) and the statistics go to
 * the board the pages follow. */
#ifndef MH_HTTP_H
#define MH_HTTP_H

#include "control/mh_command.h"
#include "metahall.h"

struct mh_stats;

typedef struct mh_http_kiosk_desc {
    const char *listen; /* "ADDR:PORT" */
    const char *token;  /* the login; NULL = none (loopback only) */
    const char *hall;   /* the hall's name: the kiosk's key is <hall>/<kiosk-id> */
    mh_commander *commander;
    struct mh_stats *stats; /* NULL = none */
} mh_http_kiosk_desc;

typedef struct mh_http mh_http;

mh_http *mh_http_open_kiosk(const mh_http_kiosk_desc *desc, mh_error *err);
/* Main thread, once per frame: runs the page's commands, updates the board. */
void mh_http_poll(mh_http *h);
void mh_http_close(mh_http **h);
int mh_http_port(const mh_http *h);

#endif
