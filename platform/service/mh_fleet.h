/* mh_fleet.h - the fleet: one MQTT broker reaching every kiosk of a hall.
 *
 * With --mqtt HOST:PORT the kiosk connects (libmosquitto, its own network
 * thread; client id "metahall-<hall>-<kiosk-id>") and subscribes to
 *     metahall/<hall>/<kiosk-id>/cmd    commands for this kiosk
 *     metahall/<hall>/all/cmd           commands for every kiosk of the hall
 * A payload is one command line ("SWITCH qiantang"; a trailing newline is
 * ignored; retained commands are ignored), "AUTH <token> <command>" as over
 * UDP, or a JSON object {"cmd": "SWITCH qiantang", "id": "c42", "token":
 * "..."}; it runs through mh_commander_exec on the main thread in
 * mh_fleet_poll. The reply goes to metahall/<hall>/<kiosk-id>/reply (QoS 1,
 * not retained): a line for a line (with the request's "#ID " when it had
 * one), {"id": "c42", "kiosk": "k1", "reply": "OK ..."} for JSON.
 *
 * Authority: the broker's login (mqtt-user/mqtt-password, TLS with
 * mqtt-cafile and a client certificate) decides who may publish at all.
 * On top, a command runs only when it is on the allow-list (`allow`; by
 * default every command but QUIT and RELOAD) or the payload carries the
 * kiosk's token; anything else gets ERR 403. Wrong tokens make the next
 * token wait (1, 2, 4 s, at most 5 s; ERR 429 meanwhile).
 *
 * Out: the STATUS JSON retained on metahall/<hall>/<kiosk-id>/state when it
 * changes, after every (re)connect and every 10 s, with a last will of
 * "offline" there; a small PNG of the screen retained on .../thumb (every
 * thumb_interval_s, a moment after the featured exhibit changes, and on
 * SCREENSHOT; at most thumb_max_bytes); today's visitor statistics retained
 * on .../stats when they change (at most every 5 s). It reconnects by itself
 * (1 s back-off growing to 5 s) when the broker is down at start or goes
 * away and comes back; connects, losses and refusals are logged once each
 * (tag "fleet"). */
#ifndef MH_FLEET_H
#define MH_FLEET_H

#include <stdbool.h>
#include <stdint.h>

#include "control/mh_command.h"
#include "metahall.h"

struct mh_stats;

typedef struct mh_fleet_desc {
    const char *broker;              /* "HOST:PORT" (port 1883 when left out, 8883 with TLS) */
    const char *hall;                /* topic segment: the hall's name */
    const char *kiosk_id;            /* topic segment: this kiosk */
    const char *username, *password; /* NULL = anonymous */
    const char *cafile;              /* TLS: the broker's CA (PEM); NULL = plain TCP */
    const char *certfile, *keyfile;  /* TLS client certificate and key; NULL = none */
    const char *token;               /* the kiosk's token: a payload carrying it may run any command */
    uint32_t allow;                  /* commands that run without the token: bit (1 << mh_command_kind);
                                 * 0 = default (all but QUIT and RELOAD); MH_FLEET_ALLOW_NONE = none */
    double thumb_interval_s;         /* thumbnails at least this often; 0 = 10 s, < 0 = never */
    int thumb_max_bytes;             /* a thumbnail's PNG at most this big (it is made smaller); 0 = 96 KiB */
    struct mh_stats *stats;          /* published on .../stats; NULL = none */
    mh_commander *commander;
} mh_fleet_desc;

#define MH_FLEET_ALLOW_NONE (1u << 31)

/* "SWITCH NEXT PREV" (spaces or commas), "all" or "none" -> an allow mask;
 * false with err naming an unknown command. */
bool mh_fleet_parse_allow(const char *text, uint32_t *out, mh_error *err);

typedef struct mh_fleet mh_fleet;

/* Starts connecting in the background; fails only on bad arguments (broker
 * address; hall or kiosk id empty, longer than 64 bytes, holding '+', '#' or
 * '/' or control characters, or the kiosk id "all") or when libmosquitto
 * cannot start. An unreachable broker is retried, not an error. */
mh_fleet *mh_fleet_open(const mh_fleet_desc *desc, mh_error *err);
/* Main thread, once per frame: runs received commands (bounded), publishes
 * replies and the state when it changed. Never blocks. */
void mh_fleet_poll(mh_fleet *f);
/* Publishes "offline" (retained), disconnects, stops the threads; NULL-safe,
 * sets *f = NULL. */
void mh_fleet_close(mh_fleet **f);

#endif
