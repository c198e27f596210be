/* mh_fleet.c - the kiosk's MQTT side: commands in, replies and state out.
 *
 * Two threads touch a fleet. libmosquitto's network thread (mosquitto_loop_start)
 * runs the callbacks: they only copy what arrived into a small mutex-protected
 * queue and note connection changes. The main thread (mh_fleet_poll, once per
 * frame) runs the queued commands through the commander, publishes replies and
 * the retained state, and does all the logging, so a broker that comes and
 * goes logs once per change and nothing runs on the network thread but copies.
 *
 * libmosquitto's thread only starts its own reconnect loop after a first
 * connection attempt got through (eclipse/mosquitto issue #1903): when the
 * broker is down at start, a third thread (the connector) retries with the
 * same back-off until one does, then exits.
 *
 * Topics (all QoS 1):
 *     metahall/<hall>/<kiosk>/cmd     in   commands for this kiosk
 *     metahall/<hall>/all/cmd         in   commands for every kiosk of the hall
 *     metahall/<hall>/<kiosk>/reply   out  one reply per command (not retained)
 *     metahall/<hall>/<kiosk>/state   out  STATUS JSON, retained; will "offline"
 *     metahall/<hall>/<kiosk>/thumb   out  a small PNG of the screen, retained
 *     metahall/<hall>/<kiosk>/stats   out  today's visitor statistics, retained
 *
 * Who may do what is decided here (the commander knows no token): the
 * allow-list, or the kiosk's token in the payload (see mh_fleet.h). */
#include "mh_fleet.h"
#include "control/mh_hostport.h"
#include "control/mh_ratelog.h"
#include "mh_stats.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <mosquitto.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "metahall_tools.h"

enum {
    FLEET_QUEUE = 64,   /* received commands waiting for the main thread */
    FLEET_PENDING = 16, /* commands still loading (SWITCH...) */
    FLEET_BATCH = 16,   /* commands run per poll at most */
    FLEET_ID_MAX = 64,  /* hall and kiosk ids, bytes */
    FLEET_TOPIC_MAX = 2 * FLEET_ID_MAX + 32,
    FLEET_KEEPALIVE_S = 10,
    FLEET_RETRY_MIN_S = 1, /* reconnect delay: from 1 s, growing, capped at 5 s */
    FLEET_RETRY_MAX_S = 5,
    FLEET_PAYLOAD_MAX = 1024, /* a JSON command with its id and token */
    FLEET_THUMB_WIDTH = 320,  /* pixels; halved while the PNG is over the size limit */
};
#define FLEET_STATE_EVERY_S 10.0  /* the state is republished at least this often */
#define FLEET_SLOW_CONNECT_S 10.0 /* "still not connected" warning after this long */
#define FLEET_OFFLINE "offline"
#define FLEET_THUMB_AFTER_CHANGE_S 1.5 /* a thumbnail this long after the exhibit changed (past the crossfade) */
#define FLEET_STATS_EVERY_S 5.0        /* statistics at most this often */
#define FLEET_TOKEN_WAIT_MAX_S 5.0     /* the longest wait after a wrong token */

typedef enum fleet_kind {
    FLEET_MSG_COMMAND,  /* run it */
    FLEET_MSG_TOO_LONG, /* answer ERR 413 */
    FLEET_MSG_RETAINED, /* a retained command: ignored with a warning */
} fleet_kind;

typedef struct fleet_msg {
    fleet_kind kind;
    size_t len;
    char line[FLEET_PAYLOAD_MAX];
} fleet_msg;

/* A command waiting for its reply: a line, or a JSON request's id. */
typedef struct fleet_pending {
    mh_reply reply;
    bool json;
    char id[MH_REQUEST_ID_MAX];
} fleet_pending;

/* What the network thread shares with the main thread (under lock). */
typedef struct fleet_shared {
    fleet_msg queue[FLEET_QUEUE];
    unsigned head, count;
    uint64_t dropped; /* commands lost to a full queue */
    bool connected;
    unsigned connects, disconnects;
    int refused;       /* last CONNACK refusal code; 0 after a success */
    int disconnect_rc; /* why the last connection ended */
} fleet_shared;

/* What the main thread has already seen and logged. */
typedef struct fleet_seen {
    unsigned connects, disconnects;
    int refused;
    uint64_t dropped;
    bool retained_warned, slow_warned;
} fleet_seen;

struct mh_fleet {
    struct mosquitto *mosq;
    mh_commander *commander;
    char broker[256]; /* as given, for the log */
    char host[256];
    int port;
    char topic_cmd[FLEET_TOPIC_MAX], topic_all[FLEET_TOPIC_MAX];
    char topic_reply[FLEET_TOPIC_MAX], topic_state[FLEET_TOPIC_MAX];
    char topic_thumb[FLEET_TOPIC_MAX], topic_stats[FLEET_TOPIC_MAX];
    char *token; /* NULL: none */
    uint32_t allow;
    double thumb_every_s;
    int thumb_max;
    struct mh_stats *stats;
    bool loop_started;
    bool connector_started;
    pthread_t connector;

    pthread_mutex_t lock;
    pthread_cond_t wake; /* wakes the connector at close */
    bool stopping;       /* under lock */
    fleet_shared shared;

    /* main thread only */
    fleet_seen seen;
    fleet_pending pending[FLEET_PENDING];
    int pending_count;
    bool state_due;
    uint32_t state_serial;
    double state_sent_at, opened_at;
    uint32_t thumb_serial; /* the state the last thumbnail showed */
    double thumb_sent_at, featured_changed_at;
    bool thumb_due;
    uint32_t stats_serial;
    double stats_sent_at;
    double token_wait_until; /* wrong tokens: the next one waits */
    int wrong_tokens;
    mh_ratelog log_token;
};

static pthread_once_t g_lib_once = PTHREAD_ONCE_INIT;
static int g_lib_rc;

static void lib_init(void) { g_lib_rc = mosquitto_lib_init(); }

/* ---- arguments ------------------------------------------------------------ */

/* A topic segment: 1..64 bytes, no MQTT wildcard or level separator. */
static bool check_id(const char *what, const char *id, mh_error *err)
{
    if (!id || !*id)
        return mh_fail(err, "", "", "the fleet needs a %s id (it names the MQTT topics)", what);
    size_t n = strlen(id);
    if (n > FLEET_ID_MAX)
        return mh_fail(err, "", "", "%s id '%.20s...' is %zu bytes long; MQTT topics allow at most %d here", what, id,
                       n, FLEET_ID_MAX);
    for (const char *p = id; *p; p++)
        if (*p == '+' || *p == '#' || *p == '/' || (unsigned char)*p < 0x20)
            return mh_fail(err, "", "",
                           "%s id '%s' contains '%c'; MQTT topic segments cannot hold '+', '#', "
                           "'/' or control characters",
                           what, id, (unsigned char)*p < 0x20 ? '?' : *p);
    return true;
}

/* "HOST:PORT", "HOST", "[V6]:PORT" or a bare IPv6 address; port 1883 by default. */
static bool parse_broker(mh_fleet *f, const char *s, bool tls, mh_error *err)
{
    if (!s || !*s)
        return mh_fail(err, "", "", "no MQTT broker given (expected HOST:PORT, e.g. 127.0.0.1:1883)");
    snprintf(f->broker, sizeof f->broker, "%s", s);
    if (!mh_hostport_split(s, f->host, sizeof f->host, &f->port, tls ? 8883 : 1883))
        return mh_fail(err, "", "", "bad MQTT broker '%s' (expected HOST:PORT or [IPv6]:PORT)", s);
    if (f->port < 1)
        return mh_fail(err, "", "", "bad MQTT broker port in '%s' (expected 1 to 65535)", s);
    return true;
}

static void make_topics(mh_fleet *f, const char *hall, const char *kiosk)
{
    snprintf(f->topic_cmd, sizeof f->topic_cmd, "metahall/%s/%s/cmd", hall, kiosk);
    snprintf(f->topic_all, sizeof f->topic_all, "metahall/%s/all/cmd", hall);
    snprintf(f->topic_reply, sizeof f->topic_reply, "metahall/%s/%s/reply", hall, kiosk);
    snprintf(f->topic_state, sizeof f->topic_state, "metahall/%s/%s/state", hall, kiosk);
    snprintf(f->topic_thumb, sizeof f->topic_thumb, "metahall/%s/%s/thumb", hall, kiosk);
    snprintf(f->topic_stats, sizeof f->topic_stats, "metahall/%s/%s/stats", hall, kiosk);
}

/* ---- the allow-list --------------------------------------------------------- */

#define FLEET_ALLOW_DEFAULT (((1u << MH_CMD_KIND_COUNT) - 1) & ~(1u << MH_CMD_QUIT) & ~(1u << MH_CMD_RELOAD))

bool mh_fleet_parse_allow(const char *text, uint32_t *out, mh_error *err)
{
    uint32_t mask = 0;
    char buf[512];
    snprintf(buf, sizeof buf, "%s", text ? text : "");
    for (char *save = NULL, *w = strtok_r(buf, " ,\t", &save); w; w = strtok_r(NULL, " ,\t", &save)) {
        if (!strcasecmp(w, "all")) {
            mask |= (1u << MH_CMD_KIND_COUNT) - 1;
            continue;
        }
        if (!strcasecmp(w, "none"))
            continue;
        int k = mh_command_find(w);
        if (k < 0)
            return mh_fail(err, "", "mqtt-allow", "\"%.40s\" is not a command (SWITCH, NEXT, QUIT, ...; or all, none)",
                           w);
        mask |= 1u << k;
    }
    *out = mask ? mask : MH_FLEET_ALLOW_NONE;
    return true;
}

/* ---- the network thread's callbacks: copy and note, nothing else ---------- */

static void on_connect(struct mosquitto *mosq, void *user, int rc)
{
    mh_fleet *f = user;
    if (rc == 0) {
        /* clean session: subscriptions are gone after every reconnect */
        mosquitto_subscribe(mosq, NULL, f->topic_cmd, 1);
        mosquitto_subscribe(mosq, NULL, f->topic_all, 1);
    }
    pthread_mutex_lock(&f->lock);
    if (rc == 0) {
        f->shared.connected = true;
        f->shared.connects++;
        f->shared.refused = 0;
    } else {
        f->shared.refused = rc;
    }
    pthread_mutex_unlock(&f->lock);
}

static void on_disconnect(struct mosquitto *mosq, void *user, int rc)
{
    mh_fleet *f = user;
    pthread_mutex_lock(&f->lock);
    if (f->shared.connected) {
        f->shared.connected = false;
        f->shared.disconnects++;
        f->shared.disconnect_rc = rc;
    }
    pthread_mutex_unlock(&f->lock);
}

static void queue_push(mh_fleet *f, fleet_kind kind, const void *payload, size_t len)
{
    fleet_shared *s = &f->shared;
    pthread_mutex_lock(&f->lock);
    if (s->count == FLEET_QUEUE) {
        s->dropped++;
    } else {
        fleet_msg *m = &s->queue[(s->head + s->count) % FLEET_QUEUE];
        m->kind = kind;
        m->len = kind == FLEET_MSG_COMMAND ? len : 0;
        if (m->len)
            memcpy(m->line, payload, m->len);
        s->count++;
    }
    pthread_mutex_unlock(&f->lock);
}

static void on_message(struct mosquitto *mosq, void *user, const struct mosquitto_message *msg)
{
    size_t len = msg->payloadlen > 0 ? (size_t)msg->payloadlen : 0;
    const char *p = msg->payload;
    while (len > 0 && (p[len - 1] == '\n' || p[len - 1] == '\r'))
        len--; /* "mosquitto_pub -l" and friends */
    if (msg->retain)
        queue_push(user, FLEET_MSG_RETAINED, NULL, 0);
    else if (len > FLEET_PAYLOAD_MAX)
        queue_push(user, FLEET_MSG_TOO_LONG, NULL, 0);
    else
        queue_push(user, FLEET_MSG_COMMAND, p, len);
}

/* ---- open ------------------------------------------------------------------ */

static bool fleet_setup(mh_fleet *f, const mh_fleet_desc *d, mh_error *err)
{
    char client_id[2 * FLEET_ID_MAX + 16];
    snprintf(client_id, sizeof client_id, "metahall-%s-%s", d->hall, d->kiosk_id);
    f->mosq = mosquitto_new(client_id, true, f);
    if (!f->mosq)
        return mh_fail(err, "", "", "cannot create the MQTT client (out of memory)");
    mosquitto_connect_callback_set(f->mosq, on_connect);
    mosquitto_disconnect_callback_set(f->mosq, on_disconnect);
    mosquitto_message_callback_set(f->mosq, on_message);
    mosquitto_reconnect_delay_set(f->mosq, FLEET_RETRY_MIN_S, FLEET_RETRY_MAX_S, true);
    int rc = mosquitto_will_set(f->mosq, f->topic_state, (int)strlen(FLEET_OFFLINE), FLEET_OFFLINE, 1, true);
    if (rc == MOSQ_ERR_SUCCESS && d->username && *d->username)
        rc = mosquitto_username_pw_set(f->mosq, d->username, d->password);
    if (rc != MOSQ_ERR_SUCCESS)
        return mh_fail(err, "", "", "cannot set up the MQTT client: %s", mosquitto_strerror(rc));
    if (d->cafile && *d->cafile) {
        rc = mosquitto_tls_set(f->mosq, d->cafile, NULL, d->certfile && *d->certfile ? d->certfile : NULL,
                               d->keyfile && *d->keyfile ? d->keyfile : NULL, NULL);
        if (rc != MOSQ_ERR_SUCCESS)
            return mh_fail(err, d->cafile, "",
                           "cannot use TLS for the MQTT broker (mqtt-cafile, mqtt-certfile, "
                           "mqtt-keyfile): %s",
                           rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc));
    }
    return true;
}

/* The back-off of libmosquitto's own loop: 1, 2, 4 s... capped. */
static int retry_delay_s(int attempt)
{
    int d = FLEET_RETRY_MIN_S << (attempt < 8 ? attempt : 8);
    return d < FLEET_RETRY_MAX_S ? d : FLEET_RETRY_MAX_S;
}

/* Retries the first connection until one gets through (or close). Runs
 * beside libmosquitto's thread, which waits for exactly that. */
static void *connector_main(void *arg)
{
    mh_fleet *f = arg;
    pthread_mutex_lock(&f->lock);
    for (int attempt = 0; !f->stopping; attempt++) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += retry_delay_s(attempt);
        while (!f->stopping && pthread_cond_timedwait(&f->wake, &f->lock, &until) == 0) {
        }
        if (f->stopping)
            break;
        pthread_mutex_unlock(&f->lock);
        int rc = mosquitto_reconnect_async(f->mosq);
        pthread_mutex_lock(&f->lock);
        if (rc == MOSQ_ERR_SUCCESS)
            break;
    }
    pthread_mutex_unlock(&f->lock);
    return NULL;
}

static bool start_connector(mh_fleet *f, mh_error *err)
{
    if (pthread_create(&f->connector, NULL, connector_main, f) != 0)
        return mh_fail(err, "", "", "cannot start the MQTT connector thread");
    f->connector_started = true;
    return true;
}

static void stop_connector(mh_fleet *f)
{
    if (!f->connector_started)
        return;
    pthread_mutex_lock(&f->lock);
    f->stopping = true;
    pthread_cond_signal(&f->wake);
    pthread_mutex_unlock(&f->lock);
    pthread_join(f->connector, NULL);
    f->connector_started = false;
}

/* Starts the network thread; an unreachable broker is only logged (retried). */
static bool fleet_start(mh_fleet *f, mh_error *err)
{
    int rc = mosquitto_connect_async(f->mosq, f->host, f->port, FLEET_KEEPALIVE_S);
    const char *why = rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc);
    if (rc == MOSQ_ERR_INVAL)
        return mh_fail(err, "", "", "bad MQTT broker '%s'", f->broker);
    int loop_rc = mosquitto_loop_start(f->mosq);
    if (loop_rc != MOSQ_ERR_SUCCESS)
        return mh_fail(err, "", "", "cannot start the MQTT network thread: %s", mosquitto_strerror(loop_rc));
    f->loop_started = true;
    if (rc == MOSQ_ERR_SUCCESS)
        return true;
    mh_log_warn("fleet", "MQTT broker %s not reachable yet (%s); retrying every %d-%d s", f->broker, why,
                FLEET_RETRY_MIN_S, FLEET_RETRY_MAX_S);
    f->seen.slow_warned = true;
    return start_connector(f, err);
}

static bool fleet_init_sync(mh_fleet *f)
{
    pthread_condattr_t attr;
    if (pthread_condattr_init(&attr) != 0)
        return false;
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    bool ok = pthread_cond_init(&f->wake, &attr) == 0;
    pthread_condattr_destroy(&attr);
    if (ok && pthread_mutex_init(&f->lock, NULL) != 0) {
        pthread_cond_destroy(&f->wake);
        ok = false;
    }
    return ok;
}

mh_fleet *mh_fleet_open(const mh_fleet_desc *desc, mh_error *err)
{
    if (!desc || !desc->commander) {
        mh_fail(err, "", "", "the fleet needs a commander");
        return NULL;
    }
    if (!check_id("hall", desc->hall, err) || !check_id("kiosk", desc->kiosk_id, err))
        return NULL;
    if (!strcmp(desc->kiosk_id, "all")) {
        mh_fail(err, "", "", "kiosk id 'all' is reserved (metahall/<hall>/all/cmd reaches every kiosk)");
        return NULL;
    }
    pthread_once(&g_lib_once, lib_init);
    if (g_lib_rc != MOSQ_ERR_SUCCESS) {
        mh_fail(err, "", "", "libmosquitto failed to start: %s", mosquitto_strerror(g_lib_rc));
        return NULL;
    }
    mh_fleet *f = calloc(1, sizeof *f);
    if (!f || !fleet_init_sync(f)) {
        free(f);
        mh_fail(err, "", "", "out of memory");
        return NULL;
    }
    f->commander = desc->commander;
    f->opened_at = mh_clock_now();
    f->allow = desc->allow == MH_FLEET_ALLOW_NONE ? 0 : desc->allow ? desc->allow : FLEET_ALLOW_DEFAULT;
    f->thumb_every_s = desc->thumb_interval_s == 0 ? 10.0 : desc->thumb_interval_s;
    f->thumb_max = desc->thumb_max_bytes > 0 ? desc->thumb_max_bytes : 96 * 1024;
    f->stats = desc->stats;
    f->token = desc->token && desc->token[0] ? strdup(desc->token) : NULL;
    f->log_token = MH_RATELOG("fleet", "wrong tokens over MQTT");
    make_topics(f, desc->hall, desc->kiosk_id);
    bool tls = desc->cafile && desc->cafile[0];
    if (!parse_broker(f, desc->broker, tls, err) || !fleet_setup(f, desc, err) || !fleet_start(f, err)) {
        mh_fleet_close(&f);
        return NULL;
    }
    mh_log_debug("fleet", "connecting to %s as metahall-%s-%s", f->broker, desc->hall, desc->kiosk_id);
    return f;
}

/* ---- poll (main thread) ---------------------------------------------------- */

static bool fleet_connected(mh_fleet *f)
{
    pthread_mutex_lock(&f->lock);
    bool c = f->shared.connected;
    pthread_mutex_unlock(&f->lock);
    return c;
}

static void fleet_publish(mh_fleet *f, const char *topic, const char *text, bool retain)
{
    int rc = mosquitto_publish(f->mosq, NULL, topic, (int)strlen(text), text, 1, retain);
    if (rc != MOSQ_ERR_SUCCESS)
        mh_log_debug("fleet", "publish on %s failed: %s", topic, mosquitto_strerror(rc));
}

static void note_dropped(mh_fleet *f, uint64_t dropped)
{
    char text[160];
    snprintf(text, sizeof text, "%llu MQTT commands dropped so far (more than %d were waiting)",
             (unsigned long long)dropped, FLEET_QUEUE);
    mh_log_warn("fleet", "%s", text);
    mh_commander_note_error(f->commander, text);
}

static void publish_reply(mh_fleet *f, const char *text)
{
    if (fleet_connected(f))
        fleet_publish(f, f->topic_reply, text, false);
    else
        mh_log_debug("fleet", "reply '%s' dropped: not connected", text);
}

/* Logs what changed on the network thread since the last poll, once. */
static void log_changes(mh_fleet *f)
{
    pthread_mutex_lock(&f->lock);
    unsigned connects = f->shared.connects, disconnects = f->shared.disconnects;
    int refused = f->shared.refused, disconnect_rc = f->shared.disconnect_rc;
    uint64_t dropped = f->shared.dropped;
    pthread_mutex_unlock(&f->lock);
    fleet_seen *seen = &f->seen;
    if (disconnects != seen->disconnects)
        mh_log_warn("fleet", "lost the MQTT broker %s (%s); reconnecting every %d-%d s", f->broker,
                    mosquitto_strerror(disconnect_rc), FLEET_RETRY_MIN_S, FLEET_RETRY_MAX_S);
    if (refused != seen->refused && refused)
        mh_log_warn("fleet", "MQTT broker %s refused the connection: %s; retrying", f->broker,
                    mosquitto_connack_string(refused));
    if (connects != seen->connects) {
        mh_log_info("fleet", "%s %s; commands on %s and %s, state on %s",
                    seen->connects ? "reconnected to" : "connected to", f->broker, f->topic_cmd, f->topic_all,
                    f->topic_state);
        f->state_due = true; /* the broker may have lost it (no persistence) */
    }
    if (dropped != seen->dropped)
        note_dropped(f, dropped);
    if (!connects && !seen->slow_warned && mh_clock_now() - f->opened_at > FLEET_SLOW_CONNECT_S) {
        mh_log_warn("fleet", "still not connected to the MQTT broker %s; retrying every %d-%d s", f->broker,
                    FLEET_RETRY_MIN_S, FLEET_RETRY_MAX_S);
        seen->slow_warned = true;
    }
    seen->connects = connects;
    seen->disconnects = disconnects;
    seen->refused = refused;
    seen->dropped = dropped;
}

static bool queue_pop(mh_fleet *f, fleet_msg *out)
{
    pthread_mutex_lock(&f->lock);
    bool got = f->shared.count > 0;
    if (got) {
        fleet_msg *m = &f->shared.queue[f->shared.head];
        out->kind = m->kind;
        out->len = m->len;
        memcpy(out->line, m->line, m->len);
        f->shared.head = (f->shared.head + 1) % FLEET_QUEUE;
        f->shared.count--;
    }
    pthread_mutex_unlock(&f->lock);
    return got;
}

/* ---- commands: who may, running them, replies ------------------------------- */

/* A reply: a line for a line, JSON for a JSON request. */
static void send_reply(mh_fleet *f, bool json, const char *id, const char *line)
{
    if (!json) {
        publish_reply(f, line);
        return;
    }
    cJSON *o = cJSON_CreateObject();
    if (id && id[0])
        cJSON_AddStringToObject(o, "id", id);
    else
        cJSON_AddNullToObject(o, "id");
    cJSON_AddStringToObject(o, "kiosk", mh_commander_kiosk_id(f->commander));
    cJSON_AddStringToObject(o, "reply", line);
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (text)
        publish_reply(f, text);
    free(text);
}

/* What a request holds: its command line, id and token. */
typedef struct fleet_request {
    bool json;
    char id[MH_REQUEST_ID_MAX];
    char line[MH_COMMAND_MAX + MH_REQUEST_ID_MAX + 2];
    size_t len;
    char token[256];
    bool has_token;
    const char *refusal; /* not runnable as sent: this ERR */
} fleet_request;

static bool valid_request_id(const char *id)
{
    char probe[MH_REQUEST_ID_MAX + 3], got[MH_REQUEST_ID_MAX];
    int n = snprintf(probe, sizeof probe, "#%s x", id);
    return n > 0 && (size_t)n < sizeof probe && mh_command_take_id(probe, (size_t)n, got) > 0;
}

static void parse_json_request(const fleet_msg *m, fleet_request *q)
{
    cJSON *o = cJSON_ParseWithLength(m->line, m->len);
    const char *cmd = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "cmd"));
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "id"));
    const char *token = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "token"));
    q->json = true;
    if (id && valid_request_id(id))
        snprintf(q->id, sizeof q->id, "%s", id);
    if (!cJSON_IsObject(o) || !cmd)
        q->refusal = "ERR 400 a JSON command needs \"cmd\": \"<command line>\"";
    else if (id && !q->id[0])
        q->refusal = "ERR 400 \"id\" must be 1-32 of A-Z a-z 0-9 _ . : -";
    else if (strlen(cmd) > MH_COMMAND_MAX)
        q->refusal = "ERR 413 command longer than 512 bytes";
    else if (token && strlen(token) >= sizeof q->token)
        q->refusal = "ERR 403 wrong token";
    if (!q->refusal) {
        q->len = (size_t)snprintf(q->line, sizeof q->line, "%s", cmd);
        q->has_token = token != NULL;
        snprintf(q->token, sizeof q->token, "%s", token ? token : "");
    }
    cJSON_Delete(o);
}

/* "AUTH <token> CMD" (as over UDP), or a bare line. */
static void parse_line_request(const fleet_msg *m, fleet_request *q)
{
    const char *p = m->line;
    size_t len = m->len;
    if (len > MH_COMMAND_MAX + 256) {
        q->refusal = "ERR 413 command longer than 512 bytes";
        return;
    }
    if (len > 5 && !strncasecmp(p, "AUTH ", 5)) {
        const char *tok = p + 5, *space = memchr(tok, ' ', len - 5);
        size_t tok_len = space ? (size_t)(space - tok) : len - 5;
        q->has_token = true;
        snprintf(q->token, sizeof q->token, "%.*s", (int)(tok_len < sizeof q->token ? tok_len : 0), tok);
        len = space ? len - (size_t)(space + 1 - p) : 0;
        p = space ? space + 1 : p + len;
    }
    if (len > MH_COMMAND_MAX + MH_REQUEST_ID_MAX) {
        q->refusal = "ERR 413 command longer than 512 bytes";
        return;
    }
    memcpy(q->line, p, len);
    q->len = len;
}

/* Compares in time that depends on the given length only. */
static bool token_ok(const mh_fleet *f, const char *given)
{
    size_t len = strlen(given), want = strlen(f->token);
    unsigned diff = len != want;
    for (size_t i = 0; i < len; i++)
        diff |= (unsigned char)given[i] ^ (unsigned char)f->token[i % want];
    return diff == 0;
}

/* The refusal for a request that may not run, or NULL (then *authed says
 * whether it proved the token). */
static const char *authorise(mh_fleet *f, fleet_request *q, bool *authed, char *buf, size_t size)
{
    char id[MH_REQUEST_ID_MAX];
    size_t skip = mh_command_take_id(q->line, q->len, id);
    mh_command cmd;
    mh_reply probe = {.ticket = 0};
    mh_command_parse(q->line + skip, q->len - skip, &cmd, &probe);
    *authed = false;
    if (q->has_token) {
        double now = mh_clock_now();
        if (!f->token)
            return "ERR 400 no token is configured on this kiosk";
        if (now < f->token_wait_until) {
            snprintf(buf, size, "ERR 429 too many wrong tokens: wait %.0f s", f->token_wait_until - now + 0.5);
            return buf;
        }
        if (!token_ok(f, q->token)) {
            f->wrong_tokens++;
            double wait = f->wrong_tokens < 2 ? 0 : (double)(1 << (f->wrong_tokens < 5 ? f->wrong_tokens - 2 : 3));
            f->token_wait_until = now + (wait < FLEET_TOKEN_WAIT_MAX_S ? wait : FLEET_TOKEN_WAIT_MAX_S);
            if (mh_ratelog_allow(&f->log_token, now))
                mh_log_warn("fleet", "a command on %s or %s carried a wrong token", f->topic_cmd, f->topic_all);
            return "ERR 403 wrong token";
        }
        f->wrong_tokens = 0;
        *authed = true;
        return NULL;
    }
    if (cmd.kind < MH_CMD_KIND_COUNT && !(f->allow & (1u << cmd.kind))) {
        snprintf(buf, size, "ERR 403 %s is not allowed over MQTT without the token (mqtt-allow)",
                 mh_command_name(cmd.kind));
        return buf;
    }
    return NULL;
}

static size_t publish_thumb(mh_fleet *f, double now);

/* SCREENSHOT over MQTT (no bytes can follow a reply there): a fresh
 * thumbnail on the thumb topic; SCREENSHOT FILE writes the file as before. */
static bool screenshot_here(mh_fleet *f, const fleet_request *q, mh_reply *r)
{
    char id[MH_REQUEST_ID_MAX];
    size_t skip = mh_command_take_id(q->line, q->len, id);
    mh_command cmd;
    mh_reply probe = {.ticket = 0};
    if (!mh_command_parse(q->line + skip, q->len - skip, &cmd, &probe) || cmd.kind != MH_CMD_SCREENSHOT ||
        !strcmp(cmd.arg, "FILE"))
        return false;
    snprintf(r->id, sizeof r->id, "%s", id);
    size_t size = publish_thumb(f, mh_clock_now());
    char text[FLEET_TOPIC_MAX + 64];
    if (size)
        snprintf(text, sizeof text, "OK thumbnail %s %zu bytes", f->topic_thumb, size);
    else
        snprintf(text, sizeof text, "ERR 503 no frame to show yet (or not connected)");
    mh_reply_set(r, text);
    return true;
}

static void run_message(mh_fleet *f, const fleet_msg *m)
{
    if (m->kind == FLEET_MSG_RETAINED) {
        if (!f->seen.retained_warned)
            mh_log_warn("fleet",
                        "ignored a retained command on %s or %s (it would rerun at every "
                        "reconnect); clear it with mosquitto_pub -r -n -t TOPIC",
                        f->topic_cmd, f->topic_all);
        f->seen.retained_warned = true;
        return;
    }
    fleet_request q = {.json = false};
    if (m->kind == FLEET_MSG_TOO_LONG)
        q.refusal = "ERR 413 command longer than 512 bytes";
    else if (m->len > 0 && m->line[0] == '{')
        parse_json_request(m, &q);
    else
        parse_line_request(m, &q);
    char buf[160];
    bool authed = false;
    const char *refusal = q.refusal ? q.refusal : authorise(f, &q, &authed, buf, sizeof buf);
    fleet_pending *p = &f->pending[f->pending_count];
    *p = (fleet_pending){.json = q.json};
    snprintf(p->id, sizeof p->id, "%s", q.id);
    if (refusal) {
        mh_command_take_id(q.line, q.len, p->reply.id); /* a line's "#ID " comes back on the refusal */
        mh_reply_set(&p->reply, refusal);
        send_reply(f, q.json, q.id, mh_reply_line(&p->reply));
        return;
    }
    if (screenshot_here(f, &q, &p->reply)) {
        send_reply(f, q.json, q.id, mh_reply_line(&p->reply));
        return;
    }
    if (mh_commander_exec(f->commander, q.line, q.len, authed ? MH_CMD_AUTHED : 0, &p->reply)) {
        send_reply(f, q.json, q.id, mh_reply_line(&p->reply));
        mh_reply_release(&p->reply);
    } else {
        f->pending_count++; /* resolved by a later poll */
    }
}

static void run_commands(mh_fleet *f)
{
    fleet_msg m;
    for (int i = 0; i < FLEET_BATCH && f->pending_count < FLEET_PENDING; i++) {
        if (!queue_pop(f, &m))
            break;
        run_message(f, &m);
    }
}

static void resolve_pending(mh_fleet *f)
{
    int kept = 0;
    for (int i = 0; i < f->pending_count; i++) {
        fleet_pending *p = &f->pending[i];
        if (mh_commander_poll(f->commander, &p->reply)) {
            send_reply(f, p->json, p->id, mh_reply_line(&p->reply));
            mh_reply_release(&p->reply);
        } else {
            f->pending[kept++] = *p;
        }
    }
    f->pending_count = kept;
}

/* ---- what the kiosk publishes: state, thumbnails, statistics ---------------- */

static void publish_state(mh_fleet *f)
{
    uint32_t serial = mh_commander_state_serial(f->commander);
    double now = mh_clock_now();
    if (!f->state_due && serial == f->state_serial && now - f->state_sent_at < FLEET_STATE_EVERY_S)
        return;
    if (!fleet_connected(f))
        return; /* sent after the reconnect */
    char json[4 * MH_REPLY_MAX];
    mh_commander_status_json(f->commander, MH_STATUS_FLEET, json, sizeof json);
    fleet_publish(f, f->topic_state, json, true);
    f->state_due = false;
    f->state_serial = serial;
    f->state_sent_at = now;
}

/* A thumbnail under the size limit (halving the width until it fits);
 * returns its size, 0 when none was published. */
static size_t publish_thumb(mh_fleet *f, double now)
{
    f->thumb_sent_at = now;
    f->thumb_due = false;
    if (!fleet_connected(f))
        return 0;
    for (int width = FLEET_THUMB_WIDTH; width >= 40; width /= 2) {
        uint8_t *png = NULL;
        size_t size = 0;
        if (!mh_commander_thumbnail(f->commander, width, &png, &size))
            return 0;
        bool fits = size <= (size_t)f->thumb_max;
        int rc = fits ? mosquitto_publish(f->mosq, NULL, f->topic_thumb, (int)size, png, 1, true) : MOSQ_ERR_SUCCESS;
        if (rc != MOSQ_ERR_SUCCESS)
            mh_log_debug("fleet", "publish on %s failed: %s", f->topic_thumb, mosquitto_strerror(rc));
        free(png);
        if (fits)
            return rc == MOSQ_ERR_SUCCESS ? size : 0;
    }
    mh_log_debug("fleet", "no thumbnail fits in %d bytes", f->thumb_max);
    return 0;
}

/* Thumbnails: every thumb_every_s, and a moment after what STATUS shows
 * changed (the exhibit, once its crossfade is over; the language...). */
static void maybe_thumb(mh_fleet *f)
{
    double now = mh_clock_now();
    uint32_t serial = mh_commander_state_serial(f->commander);
    if (serial != f->thumb_serial) {
        f->thumb_serial = serial;
        f->featured_changed_at = now;
        f->thumb_due = true;
    }
    bool periodic = f->thumb_every_s > 0 && now - f->thumb_sent_at >= f->thumb_every_s;
    bool after_change = f->thumb_due && now - f->featured_changed_at >= FLEET_THUMB_AFTER_CHANGE_S;
    if ((periodic || after_change) && f->thumb_every_s >= 0 && fleet_connected(f))
        publish_thumb(f, now);
}

static void publish_stats(mh_fleet *f)
{
    if (!f->stats || !fleet_connected(f))
        return;
    double now = mh_clock_now();
    uint32_t serial = mh_stats_serial(f->stats);
    bool unchanged = serial == f->stats_serial && !f->state_due && f->stats_sent_at > 0;
    if (unchanged || now - f->stats_sent_at < FLEET_STATS_EVERY_S)
        return;
    char *json = mh_stats_json(f->stats, "today", time(NULL));
    if (json)
        fleet_publish(f, f->topic_stats, json, true);
    free(json);
    f->stats_serial = serial;
    f->stats_sent_at = now;
}

void mh_fleet_poll(mh_fleet *f)
{
    if (!f)
        return;
    log_changes(f);
    resolve_pending(f);
    run_commands(f);
    publish_stats(f);
    publish_state(f);
    maybe_thumb(f);
}

/* ---- close ----------------------------------------------------------------- */

void mh_fleet_close(mh_fleet **pf)
{
    mh_fleet *f = pf ? *pf : NULL;
    if (!f)
        return;
    stop_connector(f);
    if (f->mosq) {
        if (f->loop_started && fleet_connected(f))
            fleet_publish(f, f->topic_state, FLEET_OFFLINE, true);
        mosquitto_disconnect(f->mosq); /* a clean disconnect: the will is not sent */
        if (f->loop_started)
            mosquitto_loop_stop(f->mosq, false);
        mosquitto_destroy(f->mosq);
        if (f->seen.connects)
            mh_log_info("fleet", "disconnected from %s (state %s)", f->broker, FLEET_OFFLINE);
    }
    for (int i = 0; i < f->pending_count; i++) {
        mh_commander_forget(f->commander, &f->pending[i].reply);
        mh_reply_release(&f->pending[i].reply);
    }
    pthread_cond_destroy(&f->wake);
    pthread_mutex_destroy(&f->lock);
    free(f->token);
    free(f);
    *pf = NULL;
}
