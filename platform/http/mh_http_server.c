/* mh_http_server.c - the control page's web server on libmicrohttpd: routes,
 * sessions, the login's back-off, the SSE stream (see mh_http_server.h). */
#include "mh_http_server.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>

#include "control/mh_hostport.h"
#include "control/mh_ratelog.h"
#include "metahall_tools.h"

#define HTTP_SESSIONS 64
#define HTTP_SESSION_S (12 * 3600.0)
#define HTTP_BODY_MAX 8192
#define HTTP_PEERS 64
#define HTTP_BACKOFF_MAX_S 30.0
#define HTTP_KEEPALIVE_MS 15000

/* The page, built into the binary from platform/http/web/ (mh_web_embed.c). */
extern const char mh_web_index_html[], mh_web_app_js[], mh_web_style_css[];

typedef struct http_session {
    char id[33]; /* 128 random bits, hex; "" = free */
    double expires;
} http_session;

typedef struct http_peer {
    unsigned char ip[16];
    int wrong;
    double until;
    bool used;
} http_peer;

struct mh_http_server {
    mh_http_server_desc desc;
    char *token, mode[16];
    struct MHD_Daemon *daemon;
    int port;
    pthread_mutex_t lock; /* sessions and peers */
    http_session sessions[HTTP_SESSIONS];
    http_peer peers[HTTP_PEERS];
    mh_ratelog log_login;
};

/* A request's body, gathered over the handler's calls. */
typedef struct http_request {
    size_t len;
    bool too_big;
    char body[HTTP_BODY_MAX + 1];
} http_request;

/* ---- responses ------------------------------------------------------------------ */

static void secure_headers(struct MHD_Response *r)
{
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                            "connect-src 'self'; frame-ancestors 'none'");
}

static enum MHD_Result send_buffer(struct MHD_Connection *c, unsigned status, const char *type, const void *data,
                                   size_t len, const char *cookie)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    if (cookie)
        MHD_add_response_header(r, "Set-Cookie", cookie);
    secure_headers(r);
    enum MHD_Result rc = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result send_json(struct MHD_Connection *c, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static enum MHD_Result send_json(struct MHD_Connection *c, unsigned status, const char *fmt, ...)
{
    char text[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return send_buffer(c, status, "application/json", text, strlen(text), NULL);
}

/* ---- sessions and the login's back-off -------------------------------------------- */

static bool session_valid(mh_http_server *s, const char *id, double now)
{
    if (!id || strlen(id) != 32)
        return false;
    bool ok = false;
    pthread_mutex_lock(&s->lock);
    for (int i = 0; i < HTTP_SESSIONS && !ok; i++)
        ok = s->sessions[i].id[0] && !strcmp(s->sessions[i].id, id) && s->sessions[i].expires > now;
    pthread_mutex_unlock(&s->lock);
    return ok;
}

static bool logged_in(mh_http_server *s, struct MHD_Connection *c)
{
    return !s->token || session_valid(s, MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "mh_session"), mh_clock_now());
}

/* A new session (the oldest goes when all are taken); false when no randomness. */
static bool session_new(mh_http_server *s, char out[33], double now)
{
    unsigned char raw[16];
    if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw)
        return false;
    for (int i = 0; i < 16; i++)
        snprintf(out + 2 * i, 3, "%02x", raw[i]);
    pthread_mutex_lock(&s->lock);
    http_session *slot = &s->sessions[0];
    for (int i = 0; i < HTTP_SESSIONS; i++)
        if (s->sessions[i].expires < slot->expires)
            slot = &s->sessions[i];
    snprintf(slot->id, sizeof slot->id, "%s", out);
    slot->expires = now + HTTP_SESSION_S;
    pthread_mutex_unlock(&s->lock);
    return true;
}

static void session_end(mh_http_server *s, const char *id)
{
    pthread_mutex_lock(&s->lock);
    for (int i = 0; id && i < HTTP_SESSIONS; i++)
        if (!strcmp(s->sessions[i].id, id))
            s->sessions[i] = (http_session){.expires = 0};
    pthread_mutex_unlock(&s->lock);
}

static void client_ip(struct MHD_Connection *c, unsigned char ip[16])
{
    memset(ip, 0, 16);
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;
    if (sa && sa->sa_family == AF_INET)
        memcpy(ip, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
    else if (sa && sa->sa_family == AF_INET6)
        memcpy(ip, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
}

/* Under the lock: this address's record (a free one, else the one whose
 * wait ended longest ago, when it has none). */
static http_peer *peer_of(mh_http_server *s, const unsigned char ip[16])
{
    http_peer *slot = NULL;
    for (int i = 0; i < HTTP_PEERS; i++) {
        http_peer *p = &s->peers[i];
        if (p->used && !memcmp(p->ip, ip, 16))
            return p;
        if (!slot || (slot->used && (!p->used || p->until < slot->until)))
            slot = p;
    }
    *slot = (http_peer){.used = true};
    memcpy(slot->ip, ip, 16);
    return slot;
}

static bool token_matches(const mh_http_server *s, const char *given)
{
    size_t len = strlen(given), want = strlen(s->token);
    unsigned diff = len != want;
    for (size_t i = 0; i < len; i++)
        diff |= (unsigned char)given[i] ^ (unsigned char)s->token[i % want];
    return diff == 0;
}

static enum MHD_Result do_login(mh_http_server *s, struct MHD_Connection *c, const http_request *req)
{
    if (!s->token)
        return send_json(c, 200, "{\"ok\":true,\"token_required\":false}");
    cJSON *o = cJSON_ParseWithLength(req->body, req->len);
    const char *token = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "token"));
    unsigned char ip[16];
    client_ip(c, ip);
    double now = mh_clock_now();
    pthread_mutex_lock(&s->lock);
    http_peer *p = peer_of(s, ip);
    double wait = p->until > now ? p->until - now : 0;
    bool ok = !wait && token && token_matches(s, token);
    if (!wait && !ok) {
        p->wrong++;
        double w = p->wrong < 2 ? 0 : (double)(1 << (p->wrong < 7 ? p->wrong - 2 : 5));
        p->until = now + (w < HTTP_BACKOFF_MAX_S ? w : HTTP_BACKOFF_MAX_S);
    }
    if (ok)
        p->wrong = 0;
    pthread_mutex_unlock(&s->lock);
    cJSON_Delete(o);
    if (wait)
        return send_json(c, 429, "{\"ok\":false,\"error\":\"too many wrong tokens: wait %.0f s\"}", wait + 0.5);
    if (!ok) {
        if (mh_ratelog_allow(&s->log_login, now))
            mh_log_warn("http", "a login with a wrong token");
        return send_json(c, 403, "{\"ok\":false,\"error\":\"wrong token\"}");
    }
    char id[33], cookie[128];
    if (!session_new(s, id, now))
        return send_json(c, 500, "{\"ok\":false,\"error\":\"no randomness for a session\"}");
    snprintf(cookie, sizeof cookie, "mh_session=%s; HttpOnly; SameSite=Strict; Path=/; Max-Age=%d", id,
             (int)HTTP_SESSION_S);
    mh_log_info("http", "a page logged in");
    return send_buffer(c, 200, "application/json", "{\"ok\":true}", 11, cookie);
}

/* ---- the event stream ------------------------------------------------------------ */

typedef struct http_stream {
    mh_http_server *s;
    uint64_t seq;
    char *text; /* what is still to be sent */
    size_t at, len;
    bool started;
} http_stream;

/* Fills the stream's text: the snapshot first, then events (or a keep-alive). */
static bool stream_refill(http_stream *st)
{
    free(st->text);
    st->text = NULL;
    st->at = st->len = 0;
    double now = mh_clock_now();
    if (!st->started) {
        st->started = true;
        st->seq = mh_board_seq(st->s->desc.board);
        char *snap = mh_board_snapshot(st->s->desc.board, now);
        size_t n = (snap ? strlen(snap) : 2) + 64;
        st->text = malloc(n);
        if (st->text)
            snprintf(st->text, n, "retry: 2000\nevent: snapshot\ndata: %s\n\n", snap ? snap : "{}");
        free(snap);
    } else {
        bool closing = false;
        st->text = mh_board_wait(st->s->desc.board, &st->seq, HTTP_KEEPALIVE_MS, &closing, now);
        if (closing)
            return false;
        if (!st->text)
            st->text = strdup(": keep-alive\n\n");
    }
    st->len = st->text ? strlen(st->text) : 0;
    return st->text != NULL;
}

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    http_stream *st = cls;
    if (st->at == st->len && !stream_refill(st))
        return MHD_CONTENT_READER_END_OF_STREAM;
    size_t n = st->len - st->at < max ? st->len - st->at : max;
    memcpy(buf, st->text + st->at, n);
    st->at += n;
    return (ssize_t)n;
}

static void stream_free(void *cls)
{
    http_stream *st = cls;
    mh_board_listen(st->s->desc.board, -1);
    free(st->text);
    free(st);
}

static enum MHD_Result do_events(mh_http_server *s, struct MHD_Connection *c)
{
    http_stream *st = calloc(1, sizeof *st);
    if (!st)
        return MHD_NO;
    st->s = s;
    mh_board_listen(s->desc.board, 1);
    struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, stream_read, st, stream_free);
    if (!r) {
        stream_free(st);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", "text/event-stream");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    secure_headers(r);
    enum MHD_Result rc = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    return rc;
}

/* ---- the other routes ------------------------------------------------------------- */

static enum MHD_Result do_thumb(mh_http_server *s, struct MHD_Connection *c)
{
    const char *key = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "k");
    uint8_t *png = NULL;
    size_t size = 0;
    unsigned version;
    if (!key || !mh_board_get_thumb(s->desc.board, key, &png, &size, &version))
        return send_json(c, 404, "{\"error\":\"no thumbnail\"}");
    struct MHD_Response *r = MHD_create_response_from_buffer(size, png, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(png);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", "image/png");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    secure_headers(r);
    enum MHD_Result rc = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result do_command(mh_http_server *s, struct MHD_Connection *c, const http_request *req)
{
    cJSON *o = cJSON_ParseWithLength(req->body, req->len);
    const char *target = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "target"));
    const char *line = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "cmd"));
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "id"));
    char why[200] = "";
    bool sent = target && line && s->desc.command(s->desc.user, target, line, id ? id : "", why, sizeof why);
    enum MHD_Result rc;
    if (sent) {
        rc = send_json(c, 202, "{\"ok\":true}");
    } else {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddBoolToObject(e, "ok", false);
        cJSON_AddStringToObject(e, "error", why[0] ? why : "expected {\"target\":..., \"cmd\":..., \"id\":...}");
        char *text = cJSON_PrintUnformatted(e);
        rc = send_buffer(c, 400, "application/json", text ? text : "{}", text ? strlen(text) : 2, NULL);
        free(text);
        cJSON_Delete(e);
    }
    cJSON_Delete(o);
    return rc;
}

static enum MHD_Result do_get(mh_http_server *s, struct MHD_Connection *c, const char *url)
{
    if (!strcmp(url, "/") || !strcmp(url, "/index.html"))
        return send_buffer(c, 200, "text/html; charset=utf-8", mh_web_index_html, strlen(mh_web_index_html), NULL);
    if (!strcmp(url, "/app.js"))
        return send_buffer(c, 200, "text/javascript; charset=utf-8", mh_web_app_js, strlen(mh_web_app_js), NULL);
    if (!strcmp(url, "/style.css"))
        return send_buffer(c, 200, "text/css; charset=utf-8", mh_web_style_css, strlen(mh_web_style_css), NULL);
    if (!strcmp(url, "/favicon.ico"))
        return send_buffer(c, 204, "text/plain", "", 0, NULL);
    if (!strcmp(url, "/api/session"))
        return send_json(c, 200, "{\"logged_in\":%s,\"token_required\":%s,\"mode\":\"%s\"}",
                         logged_in(s, c) ? "true" : "false", s->token ? "true" : "false", s->mode);
    if (!logged_in(s, c))
        return send_json(c, 401, "{\"error\":\"log in with the fleet token first\"}");
    if (!strcmp(url, "/events"))
        return do_events(s, c);
    if (!strcmp(url, "/api/thumb"))
        return do_thumb(s, c);
    if (!strcmp(url, "/api/kiosks")) {
        char *snap = mh_board_snapshot(s->desc.board, mh_clock_now());
        enum MHD_Result rc =
            send_buffer(c, snap ? 200 : 500, "application/json", snap ? snap : "{}", snap ? strlen(snap) : 2, NULL);
        free(snap);
        return rc;
    }
    return send_json(c, 404, "{\"error\":\"not found\"}");
}

static enum MHD_Result do_post(mh_http_server *s, struct MHD_Connection *c, const char *url, const http_request *req)
{
    if (req->too_big)
        return send_json(c, 413, "{\"error\":\"the request is larger than %d bytes\"}", HTTP_BODY_MAX);
    const char *marker = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Metahall");
    if (!marker || strcmp(marker, "1"))
        return send_json(c, 403, "{\"error\":\"requests need the header X-Metahall: 1\"}");
    if (!strcmp(url, "/api/login"))
        return do_login(s, c, req);
    if (!logged_in(s, c))
        return send_json(c, 401, "{\"error\":\"log in with the fleet token first\"}");
    if (!strcmp(url, "/api/logout")) {
        session_end(s, MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "mh_session"));
        return send_buffer(c, 200, "application/json", "{\"ok\":true}", 11,
                           "mh_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
    }
    if (!strcmp(url, "/api/cmd"))
        return do_command(s, c, req);
    return send_json(c, 404, "{\"error\":\"not found\"}");
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
    mh_http_server *s = cls;
    bool post = !strcmp(method, "POST");
    if (!post && strcmp(method, "GET") && strcmp(method, "HEAD"))
        return send_json(c, 405, "{\"error\":\"GET or POST\"}");
    if (!post)
        return do_get(s, c, url);
    http_request *req = *con_cls;
    if (!req) { /* the first call: headers only */
        if (!(req = calloc(1, sizeof *req)))
            return MHD_NO;
        *con_cls = req;
        return MHD_YES;
    }
    if (*upload_size) {
        if (req->len + *upload_size > HTTP_BODY_MAX)
            req->too_big = true;
        else
            memcpy(req->body + req->len, upload, *upload_size);
        req->len += req->too_big ? 0 : *upload_size;
        *upload_size = 0;
        return MHD_YES;
    }
    return do_post(s, c, url, req);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    free(*con_cls);
    *con_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    char text[400];
    vsnprintf(text, sizeof text, fmt, ap);
    text[strcspn(text, "\n")] = '\0';
    mh_log_debug("http", "%s", text);
}

/* ---- start and stop ---------------------------------------------------------------- */

static bool parse_listen(const char *text, struct sockaddr_storage *ss, bool *v6, bool *loopback, mh_error *err)
{
    char host[64];
    int port;
    memset(ss, 0, sizeof *ss);
    if (!text || !mh_hostport_split(text, host, sizeof host, &port, -1))
        return mh_fail(err, "", "", "web page address %s is malformed: expected ADDR:PORT, e.g. 127.0.0.1:8080",
                       text ? text : "(none)");
    struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
    if (!strcmp(host, "localhost"))
        snprintf(host, sizeof host, "127.0.0.1");
    *v6 = text[0] == '[';
    if (!*v6 && inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t)port);
        *loopback = (ntohl(in4->sin_addr.s_addr) >> 24) == 127;
        return true;
    }
    if (*v6 && inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)port);
        *loopback = IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
        return true;
    }
    return mh_fail(err, "", "", "web page address %s: the host must be an IPv4 address, localhost or [IPv6]", text);
}

mh_http_server *mh_http_server_start(const mh_http_server_desc *desc, mh_error *err)
{
    struct sockaddr_storage ss;
    bool v6 = false, loopback = false;
    if (!parse_listen(desc->listen, &ss, &v6, &loopback, err))
        return NULL;
    bool token = desc->token && desc->token[0];
    if (!loopback && !token) {
        mh_fail(err, "", "",
                "web page address %s is reachable from the network: set a token (--token-file, "
                "METAHALL_TOKEN or token = in the configuration) or listen on 127.0.0.1",
                desc->listen);
        return NULL;
    }
    mh_http_server *s = calloc(1, sizeof *s);
    if (!s) {
        mh_fail(err, "", "", "out of memory");
        return NULL;
    }
    s->desc = *desc;
    s->token = token ? strdup(desc->token) : NULL;
    snprintf(s->mode, sizeof s->mode, "%s", desc->mode ? desc->mode : "hub");
    s->log_login = MH_RATELOG("http", "wrong logins");
    pthread_mutex_init(&s->lock, NULL);
    unsigned flags =
        MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG | (v6 ? MHD_USE_IPv6 : 0);
    s->daemon = MHD_start_daemon(flags, 0, NULL, NULL, handle, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                                 MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_CONNECTION_LIMIT, 64u,
                                 MHD_OPTION_PER_IP_CONNECTION_LIMIT, 16u, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
                                 MHD_OPTION_END);
    if (!s->daemon) {
        mh_fail(err, "", "", "cannot listen on web page address %s (is the port taken?)", desc->listen);
        mh_http_server_stop(&s);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : 0;
    mh_log_info("http", "control page on http://%s (port %d)%s", desc->listen, s->port,
                token ? ", login with the token" : "");
    return s;
}

int mh_http_server_port(const mh_http_server *s) { return s ? s->port : 0; }

void mh_http_server_stop(mh_http_server **ps)
{
    mh_http_server *s = ps ? *ps : NULL;
    if (!s)
        return;
    mh_board_close(s->desc.board); /* the event streams end, their threads return */
    if (s->daemon)
        MHD_stop_daemon(s->daemon);
    pthread_mutex_destroy(&s->lock);
    free(s->token);
    free(s);
    *ps = NULL;
}
