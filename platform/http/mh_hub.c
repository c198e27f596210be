/* mh_hub.c - `metahall hub`: the control room's web page for a whole fleet.
 *
 *   metahall hub --mqtt HOST:PORT [--listen ADDR:PORT] [--token T | --token-file F]
 *                [--hall NAME] [--mqtt-user U] [--mqtt-password P] [--mqtt-cafile F
 *                [--mqtt-certfile F --mqtt-keyfile F]] [-v|-q]
 *
 * It follows what the kiosks publish (metahall/<hall>/<kiosk>/state, reply,
 * thumb and stats; a retained state gives each kiosk at once), keeps it on a
 * board, and serves the page (mh_http_server.c). A command from the page is
 * published as JSON {"cmd", "id", "token"} on the kiosk's cmd topic (or the
 * hall's all/cmd), so kiosks that share the token run even QUIT and RELOAD;
 * their replies come back by id. A kiosk whose state says "offline" (its
 * last will, or a clean stop), or that has said nothing for 35 s (it
 * republishes every 10 s), is shown offline with an alert. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <mosquitto.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "control/mh_hostport.h"
#include "control/mh_secret.h"
#include "metahall_tools.h"
#include "mh_board.h"
#include "mh_http_server.h"

#define HUB_STALE_S 35.0
#define HUB_TOPIC_MAX 200

typedef struct hub_opts {
    const char *mqtt, *listen, *token_file, *hall, *user, *password, *cafile, *certfile, *keyfile;
    char token[256];
    bool has_token;
} hub_opts;

typedef struct hub {
    hub_opts o;
    char host[256];
    int port;
    mh_board *board;
    struct mosquitto *mosq;
    pthread_mutex_t lock;
    bool connected, ever_connected;
} hub;

static volatile sig_atomic_t g_stop;

static void on_signal(int sig) { g_stop = sig; }

static void hub_usage(FILE *f)
{
    fprintf(f, "usage: metahall hub --mqtt HOST:PORT [--listen ADDR:PORT] [--token-file F | --token T]\n"
               "                    [--hall NAME] [--mqtt-user U] [--mqtt-password P]\n"
               "                    [--mqtt-cafile F [--mqtt-certfile F --mqtt-keyfile F]] [-v|-q]\n"
               "\n"
               "Serves the control page for every kiosk on the MQTT broker (a tablet in the control room).\n"
               "  --mqtt HOST:PORT    the fleet's broker (port 1883 when left out; 8883 with TLS)\n"
               "  --listen ADDR:PORT  where the page is served (default 127.0.0.1:8080; beyond loopback\n"
               "                      needs a token)\n"
               "  --token-file F      the fleet token (first line of F): the page's login, and what the\n"
               "                      hub's commands carry; or $METAHALL_TOKEN, or --token T\n"
               "  --hall NAME         only this hall's kiosks (default every hall on the broker)\n"
               "  --mqtt-user, --mqtt-password, --mqtt-cafile, --mqtt-certfile, --mqtt-keyfile\n"
               "                      the broker's login and TLS, as for the kiosk\n");
}

/* ---- options ---------------------------------------------------------------------- */

static int hub_parse(int argc, char **argv, hub_opts *o)
{
    o->listen = "127.0.0.1:8080";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            hub_usage(stdout);
            return 0;
        }
        if (!strcmp(a, "-v") || !strcmp(a, "-q")) {
            mh_log_set_level(a[1] == 'v' ? MH_LOG_DEBUG : MH_LOG_ERROR);
            continue;
        }
        const char **slot = !strcmp(a, "--mqtt")            ? &o->mqtt
                            : !strcmp(a, "--listen")        ? &o->listen
                            : !strcmp(a, "--token-file")    ? &o->token_file
                            : !strcmp(a, "--hall")          ? &o->hall
                            : !strcmp(a, "--mqtt-user")     ? &o->user
                            : !strcmp(a, "--mqtt-password") ? &o->password
                            : !strcmp(a, "--mqtt-cafile")   ? &o->cafile
                            : !strcmp(a, "--mqtt-certfile") ? &o->certfile
                            : !strcmp(a, "--mqtt-keyfile")  ? &o->keyfile
                                                            : NULL;
        bool token = !strcmp(a, "--token");
        if (!slot && !token) {
            fprintf(stderr, "metahall hub: unknown option %s\n", a);
            hub_usage(stderr);
            return 2;
        }
        if (!v) {
            fprintf(stderr, "metahall hub: %s needs a value\n", a);
            return 2;
        }
        if (token) {
            snprintf(o->token, sizeof o->token, "%s", v);
            o->has_token = true;
            mh_log_warn("hub", "--token on the command line can be seen by every user (ps); use --token-file or "
                               "METAHALL_TOKEN");
            mh_secret_scrub(v);
        } else {
            *slot = v;
        }
        i++;
    }
    if (!o->mqtt) {
        fprintf(stderr, "metahall hub: --mqtt HOST:PORT is required\n");
        hub_usage(stderr);
        return 2;
    }
    mh_error err;
    char text[1200];
    if (o->token_file && !mh_secret_read_file(o->token_file, o->token, sizeof o->token, &err)) {
        fprintf(stderr, "metahall hub: %s\n", mh_error_text(&err, text, sizeof text));
        return 2;
    }
    o->has_token = o->has_token || o->token_file;
    const char *env = getenv("METAHALL_TOKEN");
    if (!o->has_token && env && env[0]) {
        snprintf(o->token, sizeof o->token, "%s", env);
        o->has_token = true;
    }
    return -1;
}

/* ---- MQTT in --------------------------------------------------------------------------- */

/* "metahall/<hall>/<kiosk>/<kind>" -> key "<hall>/<kiosk>" and kind. */
static bool split_topic(const char *topic, char *key, size_t size, char *kind, size_t kind_size)
{
    char buf[HUB_TOPIC_MAX];
    snprintf(buf, sizeof buf, "%s", topic);
    char *save = NULL, *root = strtok_r(buf, "/", &save), *hall = strtok_r(NULL, "/", &save);
    char *kiosk = strtok_r(NULL, "/", &save), *what = strtok_r(NULL, "/", &save);
    if (!root || strcmp(root, "metahall") || !hall || !kiosk || !what || strtok_r(NULL, "/", &save) ||
        !strcmp(kiosk, "all"))
        return false;
    snprintf(key, size, "%.60s/%.64s", hall, kiosk);
    snprintf(kind, kind_size, "%s", what);
    return true;
}

static void on_reply(hub *h, const char *key, const char *text)
{
    cJSON *o = cJSON_Parse(text);
    const char *reply = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "reply"));
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "id"));
    mh_board_reply(h->board, key, reply ? id : "", reply ? reply : text);
    cJSON_Delete(o);
}

static void on_message(struct mosquitto *mosq, void *user, const struct mosquitto_message *m)
{
    hub *h = user;
    char key[MH_BOARD_KEY_MAX], kind[16];
    if (!split_topic(m->topic, key, sizeof key, kind, sizeof kind) || m->payloadlen < 0)
        return;
    size_t len = (size_t)m->payloadlen;
    double now = mh_clock_now();
    if (!strcmp(kind, "thumb")) {
        if (len)
            mh_board_thumb(h->board, key, m->payload, len);
        return;
    }
    char *text = malloc(len + 1);
    if (!text)
        return;
    memcpy(text, m->payload, len);
    text[len] = '\0';
    if (!strcmp(kind, "state") && !strcmp(text, "offline"))
        mh_board_offline(h->board, key, "offline: stopped, or lost the broker (its last will)", now);
    else if (!strcmp(kind, "state") && len)
        mh_board_state(h->board, key, text, now);
    else if (!strcmp(kind, "stats") && len)
        mh_board_stats(h->board, key, text);
    else if (!strcmp(kind, "reply"))
        on_reply(h, key, text);
    free(text);
}

static void on_connect(struct mosquitto *mosq, void *user, int rc)
{
    hub *h = user;
    if (rc != 0)
        return;
    static const char *const kinds[] = {"state", "reply", "thumb", "stats"};
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        char topic[HUB_TOPIC_MAX];
        snprintf(topic, sizeof topic, "metahall/%s/+/%s", h->o.hall ? h->o.hall : "+", kinds[i]);
        mosquitto_subscribe(mosq, NULL, topic, 1);
    }
    pthread_mutex_lock(&h->lock);
    h->connected = h->ever_connected = true;
    pthread_mutex_unlock(&h->lock);
}

static void on_disconnect(struct mosquitto *mosq, void *user, int rc)
{
    hub *h = user;
    pthread_mutex_lock(&h->lock);
    h->connected = false;
    pthread_mutex_unlock(&h->lock);
}

/* ---- commands from the page: out to MQTT ---------------------------------------------- */

static bool topic_segment_ok(const char *s, size_t n)
{
    if (n == 0 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '+' || s[i] == '#' || s[i] == '/' || (unsigned char)s[i] < 0x20)
            return false;
    return true;
}

static bool send_command(void *user, const char *target, const char *line, const char *id, char *why, size_t size)
{
    hub *h = user;
    const char *slash = strchr(target, '/');
    if (!slash || !topic_segment_ok(target, (size_t)(slash - target)) ||
        !topic_segment_ok(slash + 1, strlen(slash + 1))) {
        snprintf(why, size, "the target is <hall>/<kiosk-id> or <hall>/all");
        return false;
    }
    if (strlen(line) > 512) {
        snprintf(why, size, "a command is at most 512 bytes");
        return false;
    }
    char topic[HUB_TOPIC_MAX];
    snprintf(topic, sizeof topic, "metahall/%s/cmd", target);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "cmd", line);
    if (id[0])
        cJSON_AddStringToObject(o, "id", id);
    if (h->o.has_token)
        cJSON_AddStringToObject(o, "token", h->o.token);
    char *payload = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    int rc =
        payload ? mosquitto_publish(h->mosq, NULL, topic, (int)strlen(payload), payload, 1, false) : MOSQ_ERR_NOMEM;
    free(payload);
    if (rc != MOSQ_ERR_SUCCESS)
        snprintf(why, size, "cannot publish to the broker: %s", mosquitto_strerror(rc));
    else
        mh_log_debug("hub", "%s -> %s", line, topic);
    return rc == MOSQ_ERR_SUCCESS;
}

/* ---- the hub ---------------------------------------------------------------------------- */

static bool hub_mqtt_open(hub *h, mh_error *err)
{
    mosquitto_lib_init();
    char id[64];
    snprintf(id, sizeof id, "metahall-hub-%d", (int)getpid());
    if (!mh_hostport_split(h->o.mqtt, h->host, sizeof h->host, &h->port, h->o.cafile ? 8883 : 1883) || h->port < 1)
        return mh_fail(err, "", "", "bad MQTT broker '%s' (expected HOST:PORT)", h->o.mqtt);
    if (!(h->mosq = mosquitto_new(id, true, h)))
        return mh_fail(err, "", "", "cannot create the MQTT client");
    mosquitto_connect_callback_set(h->mosq, on_connect);
    mosquitto_disconnect_callback_set(h->mosq, on_disconnect);
    mosquitto_message_callback_set(h->mosq, on_message);
    mosquitto_reconnect_delay_set(h->mosq, 1, 5, true);
    int rc = h->o.user ? mosquitto_username_pw_set(h->mosq, h->o.user, h->o.password) : MOSQ_ERR_SUCCESS;
    if (rc == MOSQ_ERR_SUCCESS && h->o.cafile)
        rc = mosquitto_tls_set(h->mosq, h->o.cafile, NULL, h->o.certfile, h->o.keyfile, NULL);
    if (rc != MOSQ_ERR_SUCCESS)
        return mh_fail(err, "", "", "cannot set up the MQTT client: %s", mosquitto_strerror(rc));
    if (mosquitto_loop_start(h->mosq) != MOSQ_ERR_SUCCESS)
        return mh_fail(err, "", "", "cannot start the MQTT thread");
    return true;
}

/* The first connection is retried here (libmosquitto's thread only
 * reconnects after one got through); then it keeps the board's kiosks
 * honest: silent ones go offline. */
static void hub_run(hub *h)
{
    double next_try = 0, next_stale = 0;
    bool warned = false;
    while (!g_stop) {
        double now = mh_clock_now();
        pthread_mutex_lock(&h->lock);
        bool ever = h->ever_connected;
        pthread_mutex_unlock(&h->lock);
        if (!ever && now >= next_try) {
            int rc = mosquitto_connect_async(h->mosq, h->host, h->port, 10);
            if (rc != MOSQ_ERR_SUCCESS && !warned) {
                mh_log_warn("hub", "MQTT broker %s not reachable yet (%s); retrying", h->o.mqtt,
                            rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc));
                warned = true;
            }
            next_try = now + 2;
        }
        if (now >= next_stale) {
            mh_board_stale(h->board, now, HUB_STALE_S);
            next_stale = now + 1;
        }
        struct timespec ts = {0, 100 * 1000000L};
        nanosleep(&ts, NULL);
    }
}

int mh_hub_main(int argc, char **argv)
{
    hub h = {.o = {.listen = NULL}};
    int rc = hub_parse(argc, argv, &h.o);
    if (rc >= 0)
        return rc;
    mh_error err;
    char text[1200];
    pthread_mutex_init(&h.lock, NULL);
    h.board = mh_board_create();
    mh_http_server *server = NULL;
    mh_http_server_desc sd = {.listen = h.o.listen,
                              .token = h.o.has_token ? h.o.token : NULL,
                              .mode = "hub",
                              .board = h.board,
                              .command = send_command,
                              .user = &h};
    if (!h.board || !hub_mqtt_open(&h, &err) || !(server = mh_http_server_start(&sd, &err))) {
        fprintf(stderr, "metahall hub: %s\n", h.board ? mh_error_text(&err, text, sizeof text) : "out of memory");
        rc = 1;
    } else {
        signal(SIGTERM, on_signal);
        signal(SIGINT, on_signal);
        mh_log_info("hub", "following the fleet on %s; page at http://%s", h.o.mqtt, h.o.listen);
        hub_run(&h);
        mh_log_info("hub", "stopping");
        rc = 0;
    }
    mh_http_server_stop(&server);
    if (h.mosq) {
        mosquitto_disconnect(h.mosq);
        mosquitto_loop_stop(h.mosq, false);
        mosquitto_destroy(h.mosq);
    }
    mosquitto_lib_cleanup();
    mh_board_destroy(&h.board);
    pthread_mutex_destroy(&h.lock);
    return rc;
}
