/* mh_http_server.h - the control page's web server (libmicrohttpd): the
 * page itself (HTML, CSS and JS built into the binary: no CDN, works
 * offline), a login with the fleet token, the board as JSON and as a
 * Server-Sent Events stream, thumbnails, and commands from the page.
 *
 *   GET  /, /app.js, /style.css        the page
 *   GET  /api/session                  {"logged_in":..,"token_required":..,"mode":"hub"|"kiosk"}
 *   POST /api/login  {"token":"..."}   a session cookie (HttpOnly, SameSite=Strict)
 *   POST /api/logout
 *   GET  /api/kiosks                   the board's snapshot             (logged in)
 *   GET  /api/thumb?k=<hall/kiosk>     the kiosk's thumbnail PNG        (logged in)
 *   GET  /events                       SSE: snapshot, then state, offline, thumb, stats, reply (logged in)
 *   POST /api/cmd {"target":"hall/kiosk"|"hall/all","cmd":"SWITCH x","id":"p1"}
 *                                      202; the reply comes as an SSE "reply" event (logged in)
 *
 * Nothing changes state without a session: every POST but the login needs
 * the cookie and the header "X-Metahall: 1" (which a page from another site
 * cannot send without the server's consent). Wrong tokens make the address
 * wait before its next login (1, 2, 4... up to 30 s). Without a token the
 * server listens on loopback only and needs no login. One thread per
 * connection (the event streams block while they wait). */
#ifndef MH_HTTP_SERVER_H
#define MH_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "metahall.h"
#include "mh_board.h"

/* A command from the page. Returns true when it was sent (its reply comes
 * to the board), or false with why (refused: unknown target...). */
typedef bool (*mh_http_command_fn)(void *user, const char *target, const char *line, const char *id, char *why,
                                   size_t why_size);

typedef struct mh_http_server_desc {
    const char *listen; /* "ADDR:PORT" (IPv4 or [IPv6]; port 0 = any free one) */
    const char *token;  /* the login; NULL or "" = none (then loopback only) */
    const char *mode;   /* "hub" or "kiosk": the page adapts */
    mh_board *board;
    mh_http_command_fn command;
    void *user;
} mh_http_server_desc;

typedef struct mh_http_server mh_http_server;

mh_http_server *mh_http_server_start(const mh_http_server_desc *desc, mh_error *err);
/* The port it listens on. */
int mh_http_server_port(const mh_http_server *s);
/* Ends the event streams (closes the board) and stops; NULL-safe. */
void mh_http_server_stop(mh_http_server **s);

#endif
