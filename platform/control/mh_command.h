/* mh_command.h - the operator command language, independent of transport.
 *
 * One command is one line of UTF-8 text ("SWITCH qiantang"); the reply is
 * one line "OK ..." or "ERR <code> <message>". TCP, UDP, the Unix socket
 * (mh_control.c) and MQTT (mh_fleet.c) all hand their lines to
 * mh_commander_exec and send back what it answers; none of them knows what
 * a command means. Runs on the main (render) thread only.
 *
 * Some commands finish later (SWITCH, NEXT, PREV, RELOAD load on a worker
 * thread): exec then returns false with reply->ticket set, and the transport
 * calls mh_commander_poll each frame until it returns true with the text.
 *
 * Error codes (the first word after ERR):
 *   400 malformed (unknown command, missing or extra argument, bad UTF-8)
 *   401 authentication needed (AUTH <token> first)   403 refused (wrong token, QUIT without one)
 *   404 no such exhibit   409 superseded by a newer switch   413 line too long
 *   422 the exhibit or hall failed to load (the old one stays)
 *   429 rate limit   500 internal   503 busy or not available (no screenshot folder) */
#ifndef MH_COMMAND_H
#define MH_COMMAND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "metahall.h"

#define MH_REPLY_MAX 1024     /* a reply line, without the newline; STATUS fits */
#define MH_COMMAND_MAX 512    /* the longest command line accepted (bytes, without newline) */

/* One parsed command. */
typedef enum mh_command_kind {
    MH_CMD_PING, MH_CMD_STATUS, MH_CMD_SWITCH, MH_CMD_NEXT, MH_CMD_PREV, MH_CMD_TOUR, MH_CMD_RESET,
    MH_CMD_LANG, MH_CMD_SCREENSHOT, MH_CMD_RELOAD, MH_CMD_QUIT, MH_CMD_HELP, MH_CMD_KIND_COUNT,
} mh_command_kind;

#define MH_COMMAND_ARG_MAX 64

typedef struct mh_command {
    mh_command_kind kind;
    char arg[MH_COMMAND_ARG_MAX];   /* exhibit id, START/STOP, zh/en, or "" */
} mh_command;

/* exec flags */
#define MH_CMD_AUTHED (1u << 0)   /* the sender proved the token (or came over the Unix socket) */

typedef struct mh_reply {
    char text[MH_REPLY_MAX];      /* "OK ..." or "ERR <code> <message>"; valid when resolved */
    uint32_t ticket;              /* non-zero while pending */
} mh_reply;

typedef struct mh_commander_desc {
    mh_engine *engine;
    const char *kiosk_id;         /* names this kiosk in STATUS and the fleet; NULL = host name */
    const char *hall_name;        /* the hall folder's name, for STATUS */
    const char *screenshot_dir;   /* SCREENSHOT writes here; NULL = refused (503) */
    double (*now)(void);          /* the platform's monotonic clock, seconds */
} mh_commander_desc;

typedef struct mh_commander mh_commander;

/* Parses one line: true with *cmd, or false with reply->text an ERR 400/413.
 * Command words are case-insensitive; words are separated by spaces or tabs. */
bool mh_command_parse(const char *line, size_t len, mh_command *cmd, mh_reply *reply);

mh_commander *mh_commander_create(const mh_commander_desc *desc);
void mh_commander_destroy(mh_commander **c);

/* Runs one command line (no line ending; len bytes, not NUL-terminated).
 * Returns true with reply->text final, or false with reply->ticket set. */
bool mh_commander_exec(mh_commander *c, const char *line, size_t len, unsigned flags, mh_reply *reply);
/* Resolves a pending reply: true (text filled, ticket 0) when done. */
bool mh_commander_poll(mh_commander *c, mh_reply *reply);

/* The main loop reports each frame (after present) with its size and time. */
void mh_commander_frame(mh_commander *c, int width, int height, double frame_ms);
/* Frames a second over (up to) the last second. */
double mh_commander_fps(const mh_commander *c);
/* STATUS's JSON object (one line); also the fleet's retained state. */
void mh_commander_status_json(mh_commander *c, char *buf, size_t size);
/* Bumped whenever something STATUS shows changes (exhibit, mode, language,
 * error): the fleet republishes its state when this moves. */
uint32_t mh_commander_state_serial(const mh_commander *c);
/* True after an authorised QUIT: the main loop then shuts down cleanly. */
bool mh_commander_quit_requested(const mh_commander *c);
const char *mh_commander_kiosk_id(const mh_commander *c);
/* Remembers a transport's or loader's problem for STATUS's last_error. */
void mh_commander_note_error(mh_commander *c, const char *text);

#endif
