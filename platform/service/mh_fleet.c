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
 *     metahall/<hall>/<kiosk>/state   out  STATUS JSON, retained; will "offline" */
#include "mh_fleet.h"
#include "control/mh_hostport.h"

#include <errno.h>
#include <mosquitto.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "metahall_tools.h"

enum {
    FLEET_QUEUE = 64,          /* received commands waiting for the main thread */
    FLEET_PENDING = 16,        /* commands still loading (SWITCH...) */
    FLEET_BATCH = 16,          /* commands run per poll at most */
    FLEET_ID_MAX = 64,         /* hall and kiosk ids, bytes */
    FLEET_TOPIC_MAX = 2 * FLEET_ID_MAX + 32,
    FLEET_KEEPALIVE_S = 10,
    FLEET_RETRY_MIN_S = 1,     /* reconnect delay: from 1 s, growing, capped at 5 s */
    FLEET_RETRY_MAX_S = 5,
};
#define FLEET_STATE_EVERY_S 10.0   /* the state is republished at least this often */
#define FLEET_SLOW_CONNECT_S 10.0  /* "still not connected" warning after this long */
#define FLEET_OFFLINE "offline"

typedef enum fleet_kind {
    FLEET_MSG_COMMAND,         /* run it */
    FLEET_MSG_TOO_LONG,        /* answer ERR 413 */
    FLEET_MSG_RETAINED,        /* a retained command: ignored with a warning */
} fleet_kind;

typedef struct fleet_msg {
    fleet_kind kind;
    size_t len;
    char line[MH_COMMAND_MAX];
} fleet_msg;

/* What the network thread shares with the main thread (under lock). */
typedef struct fleet_shared {
    fleet_msg queue[FLEET_QUEUE];
    unsigned head, count;
    uint64_t dropped;          /* commands lost to a full queue */
    bool connected;
    unsigned connects, disconnects;
    int refused;               /* last CONNACK refusal code; 0 after a success */
    int disconnect_rc;         /* why the last connection ended */
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
    char broker[256];          /* as given, for the log */
    char host[256];
    int port;
    char topic_cmd[FLEET_TOPIC_MAX], topic_all[FLEET_TOPIC_MAX];
    char topic_reply[FLEET_TOPIC_MAX], topic_state[FLEET_TOPIC_MAX];
    bool loop_started;
    bool connector_started;
    pthread_t connector;

    pthread_mutex_t lock;
    pthread_cond_t wake;        /* wakes the connector at close */
    bool stopping;              /* under lock */
    fleet_shared shared;

    /* main thread only */
    fleet_seen seen;
    mh_reply pending[FLEET_PENDING];
    int pending_count;
    bool state_due;
    uint32_t state_serial;
    double state_sent_at, opened_at;
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
        return mh_fail(err, "", "", "%s id '%.20s...' is %zu bytes long; MQTT topics allow at most %d here",
                       what, id, n, FLEET_ID_MAX);
    for (const char *p = id; *p; p++)
        if (*p == '+' || *p == '#' || *p == '/' || (unsigned char)*p < 0x20)
            return mh_fail(err, "", "", "%s id '%s' contains '%c'; MQTT topic segments cannot hold '+', '#', "
                           "'/' or control characters", what, id, (unsigned char)*p < 0x20 ? '?' : *p);
    return true;
}

/* "HOST:PORT", "HOST", "[V6]:PORT" or a bare IPv6 address; port 1883 by default. */
static bool parse_broker(mh_fleet *f, const char *s, mh_error *err)
{
    if (!s || !*s)
        return mh_fail(err, "", "", "no MQTT broker given (expected HOST:PORT, e.g. 127.0.0.1:1883)");
    snprintf(f->broker, sizeof f->broker, "%s", s);
    if (!mh_hostport_split(s, f->host, sizeof f->host, &f->port, 1883))
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
        len--;                          /* "mosquitto_pub -l" and friends */
    if (msg->retain)
        queue_push(user, FLEET_MSG_RETAINED, NULL, 0);
    else if (len > MH_COMMAND_MAX)
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
    make_topics(f, desc->hall, desc->kiosk_id);
    if (!parse_broker(f, desc->broker, err) || !fleet_setup(f, desc, err) || !fleet_start(f, err)) {
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
                    seen->connects ? "reconnected to" : "connected to", f->broker,
                    f->topic_cmd, f->topic_all, f->topic_state);
        f->state_due = true;           /* the broker may have lost it (no persistence) */
    }
    if (dropped != seen->dropped)
        note_dropped(f, dropped);
    if (!connects && !seen->slow_warned && mh_clock_now() - f->opened_at > FLEET_SLOW_CONNECT_S) {
        mh_log_warn("fleet", "still not connected to the MQTT broker %s; retrying every %d-%d s",
                    f->broker, FLEET_RETRY_MIN_S, FLEET_RETRY_MAX_S);
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

static void run_message(mh_fleet *f, const fleet_msg *m)
{
    if (m->kind == FLEET_MSG_RETAINED) {
        if (!f->seen.retained_warned)
            mh_log_warn("fleet", "ignored a retained command on %s or %s (it would rerun at every "
                        "reconnect); clear it with mosquitto_pub -r -n -t TOPIC", f->topic_cmd, f->topic_all);
        f->seen.retained_warned = true;
        return;
    }
    if (m->kind == FLEET_MSG_TOO_LONG) {
        char text[64];
        snprintf(text, sizeof text, "ERR 413 command longer than %d bytes", MH_COMMAND_MAX);
        publish_reply(f, text);
        return;
    }
    mh_reply *r = &f->pending[f->pending_count];
    memset(r, 0, sizeof *r);
    if (mh_commander_exec(f->commander, m->line, m->len, MH_CMD_AUTHED, r))
        publish_reply(f, r->text);
    else
        f->pending_count++;             /* resolved by a later poll */
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
        if (mh_commander_poll(f->commander, &f->pending[i]))
            publish_reply(f, f->pending[i].text);
        else
            f->pending[kept++] = f->pending[i];
    }
    f->pending_count = kept;
}

static void publish_state(mh_fleet *f)
{
    uint32_t serial = mh_commander_state_serial(f->commander);
    double now = mh_clock_now();
    if (!f->state_due && serial == f->state_serial && now - f->state_sent_at < FLEET_STATE_EVERY_S)
        return;
    if (!fleet_connected(f))
        return;                         /* sent after the reconnect */
    char json[4 * MH_REPLY_MAX];
    mh_commander_status_json(f->commander, json, sizeof json);
    fleet_publish(f, f->topic_state, json, true);
    f->state_due = false;
    f->state_serial = serial;
    f->state_sent_at = now;
}

void mh_fleet_poll(mh_fleet *f)
{
    if (!f)
        return;
    log_changes(f);
    resolve_pending(f);
    run_commands(f);
    publish_state(f);
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
        mosquitto_disconnect(f->mosq);  /* a clean disconnect: the will is not sent */
        if (f->loop_started)
            mosquitto_loop_stop(f->mosq, false);
        mosquitto_destroy(f->mosq);
        if (f->seen.connects)
            mh_log_info("fleet", "disconnected from %s (state %s)", f->broker, FLEET_OFFLINE);
    }
    pthread_cond_destroy(&f->wake);
    pthread_mutex_destroy(&f->lock);
    free(f);
    *pf = NULL;
}
