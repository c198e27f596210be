/* mh_board.h - what the control page shows, kept for the web server's
 * threads: every kiosk's last state (STATUS JSON), thumbnail, today's
 * statistics and whether it is online, and a numbered stream of events
 * (state, offline, thumb, stats, reply) that Server-Sent Events follow.
 *
 * Producers (the hub's MQTT thread, a kiosk's main loop) and consumers (one
 * server thread per page) may call it from any thread: one mutex guards it,
 * and waiting consumers sleep on a condition variable until an event comes.
 * A kiosk is named by its key "<hall>/<kiosk-id>".
 *
 * Each event is kept as the text of one SSE message ("id: N\nevent: state\n
 * data: {...}\n\n") in a ring of MH_BOARD_EVENTS; a page that falls further
 * behind gets a fresh snapshot instead. */
#ifndef MH_BOARD_H
#define MH_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MH_BOARD_EVENTS 512
#define MH_BOARD_KIOSKS 256
#define MH_BOARD_KEY_MAX 132

typedef struct mh_board mh_board;

mh_board *mh_board_create(void);
/* Wakes every waiting page (they end their streams); then destroy. */
void mh_board_close(mh_board *b);
void mh_board_destroy(mh_board **b);

/* ---- producers ---- */
/* A kiosk's STATUS JSON (it is online). */
void mh_board_state(mh_board *b, const char *key, const char *json, double now);
/* It went away: its last will, a clean stop, or silence (why says which). */
void mh_board_offline(mh_board *b, const char *key, const char *why, double now);
/* Marks offline every online kiosk without a state for after_s. */
void mh_board_stale(mh_board *b, double now, double after_s);
void mh_board_thumb(mh_board *b, const char *key, const uint8_t *png, size_t size);
void mh_board_stats(mh_board *b, const char *key, const char *json);
/* A command's reply; id is the page's request id ("" when none). */
void mh_board_reply(mh_board *b, const char *key, const char *id, const char *reply);

/* ---- consumers ---- */
/* {"kiosks":[{"key":...,"online":...,"state":{...},"stats":{...},"thumb":N,"why":...}]} (malloc'ed). */
char *mh_board_snapshot(mh_board *b, double now);
/* A copy of a kiosk's thumbnail (malloc'ed) and its version; false when none. */
bool mh_board_get_thumb(mh_board *b, const char *key, uint8_t **png, size_t *size, unsigned *version);
/* The SSE text of the events after *seq (malloc'ed; *seq moves on), waiting
 * up to timeout_ms for one. NULL with nothing new; *closing when the board
 * closes. A page too far behind gets "event: snapshot". */
char *mh_board_wait(mh_board *b, uint64_t *seq, int timeout_ms, bool *closing, double now);
/* The sequence number a new page starts from (it reads a snapshot first). */
uint64_t mh_board_seq(mh_board *b);
/* Pages following the stream now (a kiosk makes thumbnails only for them). */
void mh_board_listen(mh_board *b, int delta);
int mh_board_listeners(mh_board *b);

#endif
