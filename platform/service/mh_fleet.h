/* mh_fleet.h - the fleet: one MQTT broker reaching every kiosk of a hall.
 *
 * With --mqtt HOST:PORT the kiosk connects (libmosquitto, its own network
 * thread; client id "metahall-<hall>-<kiosk-id>") and subscribes to
 *     metahall/<hall>/<kiosk-id>/cmd    commands for this kiosk
 *     metahall/<hall>/all/cmd           commands for every kiosk of the hall
 * Each message payload is one command line (a trailing newline is ignored;
 * over MH_COMMAND_MAX bytes gets "ERR 413"; retained commands are ignored),
 * run through mh_commander_exec as authenticated (whoever may publish on the
 * broker is trusted) on the main thread in mh_fleet_poll. The reply is
 * published on metahall/<hall>/<kiosk-id>/reply (QoS 1, not retained). The
 * kiosk's STATUS JSON is published retained on metahall/<hall>/<kiosk-id>/state
 * when it changes, after every (re)connect and every 10 s, with a last will
 * of "offline" on the same topic. It reconnects by itself (1 s back-off
 * growing to 5 s) when the broker is down at start or goes away and comes
 * back; connects, losses and refusals are logged once each (tag "fleet"). */
#ifndef MH_FLEET_H
#define MH_FLEET_H

#include <stdbool.h>

#include "control/mh_command.h"
#include "metahall.h"

typedef struct mh_fleet_desc {
    const char *broker;         /* "HOST:PORT" (port 1883 when left out) */
    const char *hall;           /* topic segment: the hall's name */
    const char *kiosk_id;       /* topic segment: this kiosk */
    const char *username, *password;   /* NULL = anonymous */
    mh_commander *commander;
} mh_fleet_desc;

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
