/* mh_http.c - a kiosk's own control page: the queue between the web
 * server's threads and the main loop, and what the loop puts on the board
 * (see mh_http.h). */
#include "mh_http.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "metahall_tools.h"
#include "mh_board.h"
#include "mh_http_server.h"
#include "service/mh_stats.h"

#define HTTP_QUEUE 32
#define HTTP_PENDING 16
#define HTTP_STATE_EVERY_S 2.0
#define HTTP_THUMB_EVERY_S 2.0
#define HTTP_THUMB_WIDTH 320

typedef struct http_cmd {
    char line[MH_COMMAND_MAX + 1];
    char id[MH_REQUEST_ID_MAX];
} http_cmd;

typedef struct http_pending {
    mh_reply reply;
    char id[MH_REQUEST_ID_MAX];
} http_pending;

struct mh_http {
    mh_http_kiosk_desc desc;
    char key[MH_BOARD_KEY_MAX];
    mh_board *board;
    mh_http_server *server;
    pthread_mutex_t lock; /* the queue */
    http_cmd queue[HTTP_QUEUE];
    int head, count;
    /* main thread only */
    http_pending pending[HTTP_PENDING];
    int pending_count;
    uint32_t state_serial, stats_serial, thumb_serial;
    double state_at, stats_at, thumb_at, changed_at;
};

/* ---- the server's side (its threads) ------------------------------------------- */

static bool valid_id(const char *id)
{
    char probe[MH_REQUEST_ID_MAX + 3], got[MH_REQUEST_ID_MAX];
    int n = snprintf(probe, sizeof probe, "#%s x", id);
    return !id[0] || (n > 0 && (size_t)n < sizeof probe && mh_command_take_id(probe, (size_t)n, got) > 0);
}

static bool enqueue(void *user, const char *target, const char *line, const char *id, char *why, size_t size)
{
    mh_http *h = user;
    char all[MH_BOARD_KEY_MAX + 8];
    snprintf(all, sizeof all, "%s/all", h->desc.hall);
    if (strcmp(target, h->key) && strcmp(target, all)) {
        snprintf(why, size, "this page controls %s only", h->key);
        return false;
    }
    if (strlen(line) > MH_COMMAND_MAX || !valid_id(id)) {
        snprintf(why, size, "a command is at most %d bytes; an id 1-32 of A-Z a-z 0-9 _ . : -", MH_COMMAND_MAX);
        return false;
    }
    pthread_mutex_lock(&h->lock);
    bool room = h->count < HTTP_QUEUE;
    if (room) {
        http_cmd *c = &h->queue[(h->head + h->count++) % HTTP_QUEUE];
        snprintf(c->line, sizeof c->line, "%s", line);
        snprintf(c->id, sizeof c->id, "%s", id);
    }
    pthread_mutex_unlock(&h->lock);
    if (!room)
        snprintf(why, size, "busy: %d commands are waiting", HTTP_QUEUE);
    return room;
}

/* ---- the main loop's side ---------------------------------------------------------- */

static bool dequeue(mh_http *h, http_cmd *out)
{
    pthread_mutex_lock(&h->lock);
    bool got = h->count > 0;
    if (got) {
        *out = h->queue[h->head];
        h->head = (h->head + 1) % HTTP_QUEUE;
        h->count--;
    }
    pthread_mutex_unlock(&h->lock);
    return got;
}

/* A reply to the board; an image it carries becomes the thumbnail. */
static void answer(mh_http *h, const char *id, mh_reply *r)
{
    if (r->data_len)
        mh_board_thumb(h->board, h->key, r->data, r->data_len);
    mh_board_reply(h->board, h->key, id, mh_reply_line(r));
    mh_reply_release(r);
}

static void run_commands(mh_http *h)
{
    http_cmd c;
    while (h->pending_count < HTTP_PENDING && dequeue(h, &c)) {
        http_pending *p = &h->pending[h->pending_count];
        *p = (http_pending){.reply = {.ticket = 0}};
        snprintf(p->id, sizeof p->id, "%s", c.id);
        /* the page's session proved the token (or none is set: loopback) */
        if (mh_commander_exec(h->desc.commander, c.line, strlen(c.line), MH_CMD_AUTHED | MH_CMD_BYTES, &p->reply))
            answer(h, p->id, &p->reply);
        else
            h->pending_count++;
    }
    int kept = 0;
    for (int i = 0; i < h->pending_count; i++) {
        if (mh_commander_poll(h->desc.commander, &h->pending[i].reply))
            answer(h, h->pending[i].id, &h->pending[i].reply);
        else
            h->pending[kept++] = h->pending[i];
    }
    h->pending_count = kept;
}

static void publish(mh_http *h, double now)
{
    uint32_t serial = mh_commander_state_serial(h->desc.commander);
    if (serial != h->state_serial || now - h->state_at >= HTTP_STATE_EVERY_S) {
        char json[4 * MH_REPLY_MAX];
        mh_commander_status_json(h->desc.commander, MH_STATUS_PAGE, json, sizeof json);
        mh_board_state(h->board, h->key, json, now);
        if (serial != h->state_serial)
            h->changed_at = now;
        h->state_serial = serial;
        h->state_at = now;
    }
    if (h->desc.stats && mh_stats_serial(h->desc.stats) != h->stats_serial && now - h->stats_at >= 1.0) {
        char *json = mh_stats_json(h->desc.stats, "today", time(NULL));
        if (json)
            mh_board_stats(h->board, h->key, json);
        free(json);
        h->stats_serial = mh_stats_serial(h->desc.stats);
        h->stats_at = now;
    }
    /* thumbnails only while a page watches: every 2 s, and a moment after a change */
    bool after_change = h->thumb_serial != h->state_serial && now - h->changed_at >= 1.0;
    if (mh_board_listeners(h->board) > 0 && (after_change || now - h->thumb_at >= HTTP_THUMB_EVERY_S)) {
        uint8_t *png = NULL;
        size_t size = 0;
        if (mh_commander_thumbnail(h->desc.commander, HTTP_THUMB_WIDTH, &png, &size))
            mh_board_thumb(h->board, h->key, png, size);
        free(png);
        h->thumb_at = now;
        h->thumb_serial = h->state_serial;
    }
}

void mh_http_poll(mh_http *h)
{
    if (!h)
        return;
    run_commands(h);
    publish(h, mh_clock_now());
}

mh_http *mh_http_open_kiosk(const mh_http_kiosk_desc *desc, mh_error *err)
{
    mh_http *h = calloc(1, sizeof *h);
    if (!h || !(h->board = mh_board_create())) {
        free(h);
        mh_fail(err, "", "", "out of memory for the web page");
        return NULL;
    }
    h->desc = *desc;
    snprintf(h->key, sizeof h->key, "%.60s/%.64s", desc->hall ? desc->hall : "",
             mh_commander_kiosk_id(desc->commander));
    pthread_mutex_init(&h->lock, NULL);
    h->state_serial = ~0u;
    mh_http_server_desc sd = {.listen = desc->listen,
                              .token = desc->token,
                              .mode = "kiosk",
                              .board = h->board,
                              .command = enqueue,
                              .user = h};
    if (!(h->server = mh_http_server_start(&sd, err))) {
        mh_http_close(&h);
        return NULL;
    }
    return h;
}

void mh_http_close(mh_http **ph)
{
    mh_http *h = ph ? *ph : NULL;
    if (!h)
        return;
    mh_http_server_stop(&h->server);
    for (int i = 0; i < h->pending_count; i++) {
        mh_commander_forget(h->desc.commander, &h->pending[i].reply);
        mh_reply_release(&h->pending[i].reply);
    }
    mh_board_destroy(&h->board);
    pthread_mutex_destroy(&h->lock);
    free(h);
    *ph = NULL;
}

int mh_http_port(const mh_http *h) { return h ? mh_http_server_port(h->server) : 0; }
