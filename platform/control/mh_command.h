/* mh_command.h - the operator command language, independent of transport.
 *
 * One command is one line of UTF-8 text ("SWITCH qiantang"); the reply is
 * one line "OK ..." or "ERR <code> <message>". TCP, UDP, the Unix socket
 * (mh_control.c), MQTT (mh_fleet.c) and the web page (mh_http.c) all hand
 * their lines to mh_commander_exec and send back what it answers; none of
 * them knows what a command means. Runs on the main (render) thread only.
 *
 * A line may start with a request id, "#ID " (1-32 of A-Z a-z 0-9 _ . : -):
 * the reply then starts with the same "#ID ", so a client with several
 * requests in flight knows which reply is whose. Without it nothing changes.
 *
 * Some commands finish later (SWITCH, NEXT, PREV, RELOAD load on a worker
 * thread): exec then returns false with reply->ticket set, and the transport
 * calls mh_commander_poll each frame until it returns true with the text.
 * A few replies are longer than one buffer (LIST, STATUS, STATS: reply->line)
 * or carry bytes after the line (SCREENSHOT's PNG: reply->data); the
 * transport sends mh_reply_line(), then the data, then mh_reply_release().
 *
 * Error codes (the first word after ERR):
 *   400 malformed (unknown command, missing or extra argument, bad UTF-8, empty line)
 *   401 authentication needed (AUTH <token> first)   403 refused (wrong token, QUIT without one)
 *   404 no such exhibit (with the nearest ids)   408 idle too long (the connection closes)
 *   409 superseded by a newer switch   413 line too long
 *   422 the exhibit or hall failed to load (the old one stays)
 *   429 rate limit, or too many wrong tokens from this address (wait)
 *   500 internal   503 busy or not available (no frame yet, too many commands waiting)
 *   507 no room: the screenshot folder is full (disk full, or its quota reached) */
#ifndef MH_COMMAND_H
#define MH_COMMAND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "metahall.h"

#define MH_REPLY_MAX 1024    /* a reply line in mh_reply.text, without the newline */
#define MH_COMMAND_MAX 512   /* the longest command line accepted (bytes, without newline) */
#define MH_REQUEST_ID_MAX 33 /* "#ID": up to 32 characters, and the NUL */
#define MH_COMMANDER_JOBS 96 /* commands that may wait for a load at once (more: ERR 503) */

/* One parsed command. */
typedef enum mh_command_kind {
    MH_CMD_PING,
    MH_CMD_STATUS,
    MH_CMD_SWITCH,
    MH_CMD_NEXT,
    MH_CMD_PREV,
    MH_CMD_TOUR,
    MH_CMD_RESET,
    MH_CMD_LANG,
    MH_CMD_SCREENSHOT,
    MH_CMD_RELOAD,
    MH_CMD_QUIT,
    MH_CMD_HELP,
    MH_CMD_LIST,
    MH_CMD_STATS,
    MH_CMD_VOLUME,
    MH_CMD_WAKE,
    MH_CMD_SLEEP,
    MH_CMD_KIND_COUNT,
} mh_command_kind;

#define MH_COMMAND_ARG_MAX 64

typedef struct mh_command {
    mh_command_kind kind;
    char arg[MH_COMMAND_ARG_MAX]; /* exhibit id, START/STOP, zh/en, FILE/THUMB, today/hour, a number, or "" */
} mh_command;

/* exec flags */
#define MH_CMD_AUTHED \
    (1u << 0) /* the sender may QUIT: it proved the token, came over the Unix socket,
                                   * or no token is configured (loopback only) */
#define MH_CMD_BYTES \
    (1u << 1) /* the transport carries bytes after a reply line (TCP, Unix, HTTP):
                                   * SCREENSHOT answers "OK png <n>" and the image; without it, the file form */

typedef struct mh_reply {
    char text[MH_REPLY_MAX]; /* "OK ..." or "ERR <code> <message>"; valid when resolved */
    char *line;              /* heap, or NULL: the reply line when longer than text */
    uint8_t *data;           /* heap, or NULL: data_len bytes sent after the line */
    size_t data_len;
    uint32_t ticket;            /* non-zero while pending */
    char id[MH_REQUEST_ID_MAX]; /* the request's id ("" when none): the reply starts with "#id " */
} mh_reply;

/* The reply line (without newline) and what to free once it is sent. */
const char *mh_reply_line(const mh_reply *r);
void mh_reply_release(mh_reply *r);

/* What a SCREENSHOT without an argument does on a transport that carries
 * bytes (screenshot-reply = png|file in the configuration). */
typedef enum mh_shot_default { MH_SHOT_PNG, MH_SHOT_FILE } mh_shot_default;

/* The services a commander reaches beyond the engine; each may be NULL
 * (then its commands answer ERR 503). */
struct mh_stats;
struct mh_hours;

typedef struct mh_commander_desc {
    mh_engine *engine;
    const char *kiosk_id;       /* names this kiosk in STATUS and the fleet; NULL = host name */
    const char *hall_name;      /* the hall folder's name, for STATUS */
    const char *screenshot_dir; /* SCREENSHOT FILE writes here; NULL = refused (503) */
    int screenshot_max_files;   /* the folder's quota: PNG files (0 = 100) */
    long screenshot_max_mb;     /* ... and megabytes (0 = 200) */
    mh_shot_default screenshot_default;
    struct mh_stats *stats; /* STATS */
    struct mh_hours *hours; /* WAKE, SLEEP and STATUS's "hours" */
    double (*now)(void);    /* the platform's monotonic clock, seconds */
} mh_commander_desc;

typedef struct mh_commander mh_commander;

/* Splits a leading "#ID " off a line: returns how many bytes it took (0 when
 * there is none) and copies the id. A "#" that does not start a valid id is
 * left to the parser (it answers ERR 400). */
size_t mh_command_take_id(const char *line, size_t len, char id[MH_REQUEST_ID_MAX]);
/* Parses one line (without its id): true with *cmd, or false with
 * reply->text an ERR 400/413. Command words are case-insensitive; words are
 * separated by spaces or tabs. */
bool mh_command_parse(const char *line, size_t len, mh_command *cmd, mh_reply *reply);
/* The command's name ("SWITCH"), or NULL; and a kind from a name (-1 if none). */
const char *mh_command_name(mh_command_kind kind);
int mh_command_find(const char *name);
/* Sets reply->text (and keeps reply->id): a transport's own refusals. */
void mh_reply_set(mh_reply *r, const char *text);

mh_commander *mh_commander_create(const mh_commander_desc *desc);
void mh_commander_destroy(mh_commander **c);
/* The statistics STATS reads (made after the commander: they are named after its kiosk id). */
void mh_commander_set_stats(mh_commander *c, struct mh_stats *stats);

/* Runs one command line (no line ending; len bytes, not NUL-terminated),
 * "#ID " included. Returns true with the reply final, or false with
 * reply->ticket set (then poll). */
bool mh_commander_exec(mh_commander *c, const char *line, size_t len, unsigned flags, mh_reply *reply);
/* Resolves a pending reply: true (text filled, ticket 0) when done. */
bool mh_commander_poll(mh_commander *c, mh_reply *reply);
/* A transport gives up on a pending reply (its client left and it cannot
 * keep it): the commander's slot is freed. */
void mh_commander_forget(mh_commander *c, mh_reply *reply);

/* The main loop reports each frame (after the engine's frame) with its size
 * and time; the commander collects finished jobs here. */
void mh_commander_frame(mh_commander *c, int width, int height, double frame_ms);
/* Frames a second over (up to) the last three seconds. */
double mh_commander_fps(const mh_commander *c);

/* Who reads STATUS: the STATUS command (its frame_ms_worst restarts), the
 * fleet's retained state and the web page (each with their own worst frame
 * since they last read), or a look that changes nothing. */
typedef enum mh_status_reader {
    MH_STATUS_COMMAND,
    MH_STATUS_FLEET,
    MH_STATUS_PAGE,
    MH_STATUS_PEEK,
    MH_STATUS_READERS
} mh_status_reader;
/* STATUS's JSON object (one line). */
void mh_commander_status_json(mh_commander *c, mh_status_reader who, char *buf, size_t size);
/* LIST's JSON object (malloc'ed; NULL when out of memory). */
char *mh_commander_list_json(mh_commander *c);
/* Bumped whenever something STATUS shows changes (exhibit, mode, language,
 * error, volume, hours): the fleet republishes its state when this moves. */
uint32_t mh_commander_state_serial(const mh_commander *c);
/* True after an authorised QUIT: the main loop then shuts down cleanly. */
bool mh_commander_quit_requested(const mh_commander *c);
const char *mh_commander_kiosk_id(const mh_commander *c);
/* Remembers a transport's or loader's problem for STATUS's last_error (a
 * later successful SWITCH or RELOAD clears it). */
void mh_commander_note_error(mh_commander *c, const char *text);

/* What operators set that survives a restart (the kiosk's state file). */
typedef struct mh_operator_settings {
    char exhibit[32]; /* featured ("" = the hall's own) */
    char language[4]; /* the last LANG ("" = none given) */
    int volume;       /* 0-100; -1 = never set */
} mh_operator_settings;
/* The settings now, and a serial that moves when they change. */
uint32_t mh_commander_settings(const mh_commander *c, mh_operator_settings *out);
/* Starts with restored settings (language applied now, volume kept). */
void mh_commander_restore(mh_commander *c, const mh_operator_settings *s);
/* The current volume (0-100): what the audio mixer should play at. */
/* The volume 0..100 the kiosk plays at (0 when muted); without an engine, the
 * operator's setting (100 when none). */
int mh_commander_volume(const mh_commander *c);

/* A small PNG of the last frame, at most max_width pixels wide (the fleet's
 * and web page's thumbnail); false when there is no frame yet. */
bool mh_commander_thumbnail(mh_commander *c, int max_width, uint8_t **out_png, size_t *out_size);

#endif
