/* mh_board.c - kiosks' states, thumbnails and statistics for the control
 * page, and the event stream its pages follow (see mh_board.h). */
#include "mh_board.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "metahall.h"

typedef struct board_kiosk {
    char key[MH_BOARD_KEY_MAX];
    bool online;
    char why[96];        /* why it is offline */
    double seen;         /* the last state */
    char *state, *stats; /* JSON texts, or NULL */
    uint8_t *thumb;
    size_t thumb_size;
    unsigned thumb_version;
} board_kiosk;

struct mh_board {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    bool closing;
    board_kiosk kiosks[MH_BOARD_KIOSKS];
    int kiosk_count;
    char *events[MH_BOARD_EVENTS]; /* events[seq % MH_BOARD_EVENTS] for the last MH_BOARD_EVENTS seqs */
    uint64_t next_seq;             /* the next event's number (the first is 1) */
    int listeners;
};

mh_board *mh_board_create(void)
{
    mh_board *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&b->changed, &attr);
    pthread_condattr_destroy(&attr);
    pthread_mutex_init(&b->lock, NULL);
    b->next_seq = 1;
    return b;
}

void mh_board_close(mh_board *b)
{
    if (!b)
        return;
    pthread_mutex_lock(&b->lock);
    b->closing = true;
    pthread_cond_broadcast(&b->changed);
    pthread_mutex_unlock(&b->lock);
}

void mh_board_destroy(mh_board **pb)
{
    mh_board *b = pb ? *pb : NULL;
    if (!b)
        return;
    for (int i = 0; i < b->kiosk_count; i++) {
        free(b->kiosks[i].state);
        free(b->kiosks[i].stats);
        free(b->kiosks[i].thumb);
    }
    for (int i = 0; i < MH_BOARD_EVENTS; i++)
        free(b->events[i]);
    pthread_cond_destroy(&b->changed);
    pthread_mutex_destroy(&b->lock);
    free(b);
    *pb = NULL;
}

/* ---- under the lock ------------------------------------------------------------ */

static board_kiosk *find(mh_board *b, const char *key, bool create)
{
    for (int i = 0; i < b->kiosk_count; i++)
        if (!strcmp(b->kiosks[i].key, key))
            return &b->kiosks[i];
    if (!create || b->kiosk_count == MH_BOARD_KIOSKS || strlen(key) >= MH_BOARD_KEY_MAX)
        return NULL;
    board_kiosk *k = &b->kiosks[b->kiosk_count++];
    memset(k, 0, sizeof *k);
    snprintf(k->key, sizeof k->key, "%s", key);
    return k;
}

/* Adds an event whose data is the JSON object o (consumed). */
static void emit(mh_board *b, const char *type, cJSON *o)
{
    char *data = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!data)
        return;
    uint64_t seq = b->next_seq++;
    size_t n = strlen(data) + strlen(type) + 48;
    char *text = malloc(n);
    if (text)
        snprintf(text, n, "id: %llu\nevent: %s\ndata: %s\n\n", (unsigned long long)seq, type, data);
    free(data);
    char **slot = &b->events[seq % MH_BOARD_EVENTS];
    free(*slot);
    *slot = text;
    pthread_cond_broadcast(&b->changed);
}

static cJSON *keyed(const char *key)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "key", key);
    return o;
}

static void set_text(char **field, const char *text)
{
    free(*field);
    *field = text ? strdup(text) : NULL;
}

/* ---- producers --------------------------------------------------------------------- */

void mh_board_state(mh_board *b, const char *key, const char *json, double now)
{
    cJSON *state = cJSON_Parse(json);
    if (!cJSON_IsObject(state)) {
        cJSON_Delete(state);
        return;
    }
    pthread_mutex_lock(&b->lock);
    board_kiosk *k = find(b, key, true);
    if (k) {
        set_text(&k->state, json);
        k->online = true;
        k->why[0] = '\0';
        k->seen = now;
        cJSON *o = keyed(key);
        cJSON_AddBoolToObject(o, "online", true);
        cJSON_AddItemToObject(o, "state", state);
        state = NULL;
        emit(b, "state", o);
    }
    pthread_mutex_unlock(&b->lock);
    cJSON_Delete(state);
}

static void go_offline(mh_board *b, board_kiosk *k, const char *why)
{
    k->online = false;
    snprintf(k->why, sizeof k->why, "%s", why);
    cJSON *o = keyed(k->key);
    cJSON_AddBoolToObject(o, "online", false);
    cJSON_AddStringToObject(o, "why", why);
    emit(b, "offline", o);
}

void mh_board_offline(mh_board *b, const char *key, const char *why, double now)
{
    pthread_mutex_lock(&b->lock);
    board_kiosk *k = find(b, key, true);
    if (k && (k->online || !k->why[0])) {
        k->seen = k->seen ? k->seen : now;
        go_offline(b, k, why);
    }
    pthread_mutex_unlock(&b->lock);
}

void mh_board_stale(mh_board *b, double now, double after_s)
{
    pthread_mutex_lock(&b->lock);
    for (int i = 0; i < b->kiosk_count; i++) {
        board_kiosk *k = &b->kiosks[i];
        if (k->online && now - k->seen > after_s) {
            char why[96];
            snprintf(why, sizeof why, "no state for %.0f s", now - k->seen);
            go_offline(b, k, why);
        }
    }
    pthread_mutex_unlock(&b->lock);
}

void mh_board_thumb(mh_board *b, const char *key, const uint8_t *png, size_t size)
{
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy)
        return;
    memcpy(copy, png, size);
    pthread_mutex_lock(&b->lock);
    board_kiosk *k = find(b, key, true);
    if (k) {
        free(k->thumb);
        k->thumb = copy;
        copy = NULL;
        k->thumb_size = size;
        k->thumb_version++;
        cJSON *o = keyed(key);
        cJSON_AddNumberToObject(o, "version", k->thumb_version);
        cJSON_AddNumberToObject(o, "bytes", (double)size);
        emit(b, "thumb", o);
    }
    pthread_mutex_unlock(&b->lock);
    free(copy);
}

void mh_board_stats(mh_board *b, const char *key, const char *json)
{
    cJSON *stats = cJSON_Parse(json);
    if (!cJSON_IsObject(stats)) {
        cJSON_Delete(stats);
        return;
    }
    pthread_mutex_lock(&b->lock);
    board_kiosk *k = find(b, key, true);
    if (k) {
        set_text(&k->stats, json);
        cJSON *o = keyed(key);
        cJSON_AddItemToObject(o, "stats", stats);
        stats = NULL;
        emit(b, "stats", o);
    }
    pthread_mutex_unlock(&b->lock);
    cJSON_Delete(stats);
}

void mh_board_reply(mh_board *b, const char *key, const char *id, const char *reply)
{
    cJSON *o = keyed(key);
    if (id && id[0])
        cJSON_AddStringToObject(o, "id", id);
    else
        cJSON_AddNullToObject(o, "id");
    cJSON_AddStringToObject(o, "reply", reply);
    pthread_mutex_lock(&b->lock);
    emit(b, "reply", o);
    pthread_mutex_unlock(&b->lock);
}

/* ---- consumers --------------------------------------------------------------------- */

static cJSON *kiosk_json(const board_kiosk *k, double now)
{
    cJSON *o = keyed(k->key);
    cJSON_AddBoolToObject(o, "online", k->online);
    if (k->why[0])
        cJSON_AddStringToObject(o, "why", k->why);
    cJSON_AddNumberToObject(o, "seen_s_ago", k->seen ? (double)(long)(now - k->seen) : -1);
    cJSON *state = k->state ? cJSON_Parse(k->state) : NULL, *stats = k->stats ? cJSON_Parse(k->stats) : NULL;
    cJSON_AddItemToObject(o, "state", state ? state : cJSON_CreateNull());
    cJSON_AddItemToObject(o, "stats", stats ? stats : cJSON_CreateNull());
    cJSON_AddNumberToObject(o, "thumb", k->thumb ? k->thumb_version : 0);
    return o;
}

static char *snapshot_locked(mh_board *b, double now)
{
    cJSON *o = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(o, "kiosks");
    for (int i = 0; i < b->kiosk_count; i++)
        cJSON_AddItemToArray(list, kiosk_json(&b->kiosks[i], now));
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return text;
}

char *mh_board_snapshot(mh_board *b, double now)
{
    pthread_mutex_lock(&b->lock);
    char *text = snapshot_locked(b, now);
    pthread_mutex_unlock(&b->lock);
    return text;
}

bool mh_board_get_thumb(mh_board *b, const char *key, uint8_t **png, size_t *size, unsigned *version)
{
    pthread_mutex_lock(&b->lock);
    board_kiosk *k = find(b, key, false);
    bool got = k && k->thumb && (*png = malloc(k->thumb_size)) != NULL;
    if (got) {
        memcpy(*png, k->thumb, k->thumb_size);
        *size = k->thumb_size;
        *version = k->thumb_version;
    }
    pthread_mutex_unlock(&b->lock);
    return got;
}

uint64_t mh_board_seq(mh_board *b)
{
    pthread_mutex_lock(&b->lock);
    uint64_t s = b->next_seq - 1;
    pthread_mutex_unlock(&b->lock);
    return s;
}

/* The events after *seq as one text; a fresh snapshot when they are gone. */
static char *collect_locked(mh_board *b, uint64_t *seq, double now)
{
    uint64_t last = b->next_seq - 1;
    if (last - *seq > MH_BOARD_EVENTS - 1) {
        char *snap = snapshot_locked(b, now);
        size_t n = (snap ? strlen(snap) : 2) + 64;
        char *text = malloc(n);
        if (text)
            snprintf(text, n, "id: %llu\nevent: snapshot\ndata: %s\n\n", (unsigned long long)last, snap ? snap : "{}");
        free(snap);
        *seq = last;
        return text;
    }
    size_t total = 1;
    for (uint64_t s = *seq + 1; s <= last; s++)
        total += b->events[s % MH_BOARD_EVENTS] ? strlen(b->events[s % MH_BOARD_EVENTS]) : 0;
    char *text = malloc(total);
    if (!text)
        return NULL;
    size_t at = 0;
    for (uint64_t s = *seq + 1; s <= last; s++) {
        const char *e = b->events[s % MH_BOARD_EVENTS];
        size_t n = e ? strlen(e) : 0;
        memcpy(text + at, e ? e : "", n);
        at += n;
    }
    text[at] = '\0';
    *seq = last;
    return text;
}

char *mh_board_wait(mh_board *b, uint64_t *seq, int timeout_ms, bool *closing, double now)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&b->lock);
    while (!b->closing && b->next_seq - 1 == *seq) {
        if (pthread_cond_timedwait(&b->changed, &b->lock, &until) != 0)
            break;
    }
    *closing = b->closing;
    char *text = !b->closing && b->next_seq - 1 != *seq ? collect_locked(b, seq, now) : NULL;
    pthread_mutex_unlock(&b->lock);
    return text;
}

void mh_board_listen(mh_board *b, int delta)
{
    pthread_mutex_lock(&b->lock);
    b->listeners += delta;
    pthread_mutex_unlock(&b->lock);
}

int mh_board_listeners(mh_board *b)
{
    pthread_mutex_lock(&b->lock);
    int n = b->listeners;
    pthread_mutex_unlock(&b->lock);
    return n;
}
