/* test_http.c - the control page's web server and board over real HTTP on
 * 127.0.0.1: the page and its security headers, the login (wrong tokens
 * refused, then a growing wait, then a session cookie), nothing without
 * the cookie and the X-Metahall header, the snapshot, commands reaching the
 * callback, thumbnails, the event stream (snapshot, reply, state, offline
 * after silence), and no start beyond loopback without a token. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/mh_board.h"
#include "http/mh_http_server.h"
#include "metahall_tools.h"
#include "mh_test.h"

#define TOKEN "fleet-7"

static char g_target[200], g_line[600], g_id[64];
static int g_commands;

static bool on_command(void *user, const char *target, const char *line, const char *id, char *why, size_t size)
{
    if (!strcmp(target, "default/none")) {
        snprintf(why, size, "no such kiosk");
        return false;
    }
    snprintf(g_target, sizeof g_target, "%s", target);
    snprintf(g_line, sizeof g_line, "%s", line);
    snprintf(g_id, sizeof g_id, "%s", id);
    g_commands++;
    return true;
}

static int connect_to(int port)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* One request; the whole response (headers and body) into out. Returns the status. */
static int request(int port, const char *method, const char *path, const char *headers, const char *body, char *out,
                   size_t size)
{
    int fd = connect_to(port);
    if (fd < 0)
        return -1;
    size_t cap = 1024 + (body ? strlen(body) : 0) + (headers ? strlen(headers) : 0);
    char *req = malloc(cap);
    int n;
    if (body)
        n = snprintf(req, cap,
                     "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%sContent-Type: "
                     "application/json\r\nContent-Length: %zu\r\n\r\n%s",
                     method, path, headers ? headers : "", strlen(body), body);
    else
        n = snprintf(req, cap, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s\r\n", method, path,
                     headers ? headers : "");
    send(fd, req, (size_t)n, MSG_NOSIGNAL);
    free(req);
    size_t got = 0;
    ssize_t r;
    while (got + 1 < size && (r = recv(fd, out + got, size - 1 - got, 0)) > 0)
        got += (size_t)r;
    out[got] = '\0';
    close(fd);
    int status = 0;
    sscanf(out, "HTTP/1.1 %d", &status);
    return status;
}

static const char *body_of(const char *response)
{
    const char *b = strstr(response, "\r\n\r\n");
    return b ? b + 4 : "";
}

/* The event stream: opened, then read as it comes. */
static int events_open(int port, const char *cookie)
{
    int fd = connect_to(port);
    char req[512];
    int n = snprintf(req, sizeof req, "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: %s\r\n\r\n", cookie);
    send(fd, req, (size_t)n, MSG_NOSIGNAL);
    return fd;
}

/* Reads until `want` shows up in what the stream has sent (or 3 s pass). */
static bool events_until(int fd, char *buf, size_t size, size_t *len, const char *want)
{
    double end = mh_clock_now() + 3;
    while (!strstr(buf, want) && mh_clock_now() < end) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 100) > 0) {
            ssize_t r = recv(fd, buf + *len, size - 1 - *len, 0);
            if (r <= 0)
                break;
            *len += (size_t)r;
            buf[*len] = '\0';
        }
    }
    return strstr(buf, want) != NULL;
}

static void test_login(int port, char *cookie, size_t cookie_size)
{
    static char out[65536];
    const char *marker = "X-Metahall: 1\r\n";
    CHECK(request(port, "GET", "/", NULL, NULL, out, sizeof out) == 200);
    CHECK_STR_CONTAINS(out, "<title>metahall");
    CHECK_STR_CONTAINS(out, "Content-Security-Policy: default-src 'self'");
    CHECK_STR_CONTAINS(out, "X-Frame-Options: DENY");
    CHECK(request(port, "GET", "/app.js", NULL, NULL, out, sizeof out) == 200);
    CHECK_STR_CONTAINS(out, "new EventSource('/events')");
    CHECK(request(port, "GET", "/api/session", NULL, NULL, out, sizeof out) == 200);
    CHECK(!strcmp(body_of(out), "{\"logged_in\":false,\"token_required\":true,\"mode\":\"hub\"}"));
    CHECK(request(port, "GET", "/api/kiosks", NULL, NULL, out, sizeof out) == 401);
    CHECK(request(port, "GET", "/events", NULL, NULL, out, sizeof out) == 401);
    CHECK(request(port, "POST", "/api/cmd", marker, "{\"target\":\"default/k1\",\"cmd\":\"QUIT\"}", out, sizeof out) ==
          401);
    CHECK(g_commands == 0);
    /* the login needs the header; wrong tokens: refused, then a wait */
    CHECK(request(port, "POST", "/api/login", NULL, "{\"token\":\"" TOKEN "\"}", out, sizeof out) == 403);
    CHECK(request(port, "POST", "/api/login", marker, "{\"token\":\"nope\"}", out, sizeof out) == 403);
    CHECK(request(port, "POST", "/api/login", marker, "{\"token\":\"nope2\"}", out, sizeof out) == 403);
    CHECK(request(port, "POST", "/api/login", marker, "{\"token\":\"" TOKEN "\"}", out, sizeof out) == 429);
    CHECK_STR_CONTAINS(body_of(out), "too many wrong tokens: wait 1 s");
    nanosleep(&(struct timespec){.tv_sec = 1, .tv_nsec = 100000000}, NULL);
    CHECK(request(port, "POST", "/api/login", marker, "{\"token\":\"" TOKEN "\"}", out, sizeof out) == 200);
    const char *set = strstr(out, "Set-Cookie: mh_session=");
    CHECK(set != NULL);
    if (set) {
        snprintf(cookie, cookie_size, "%.43s", set + 12); /* mh_session= and 32 hex digits */
        CHECK(strlen(cookie) == 43);
    }
    CHECK_STR_CONTAINS(out, "HttpOnly; SameSite=Strict");
}

static void test_session(mh_board *b, int port, const char *cookie)
{
    static char out[65536];
    char headers[256], plain[256];
    snprintf(headers, sizeof headers, "Cookie: %s\r\nX-Metahall: 1\r\n", cookie);
    snprintf(plain, sizeof plain, "Cookie: %s\r\n", cookie);
    CHECK(request(port, "GET", "/api/session", plain, NULL, out, sizeof out) == 200);
    CHECK_STR_CONTAINS(body_of(out), "\"logged_in\":true");
    CHECK(request(port, "GET", "/api/kiosks", plain, NULL, out, sizeof out) == 200);
    CHECK(!strcmp(body_of(out), "{\"kiosks\":[]}"));
    mh_board_state(b, "default/k1", "{\"kiosk\":\"k1\",\"exhibit\":\"qiantang\"}", mh_clock_now());
    mh_board_state(b, "default/k1", "not json", mh_clock_now()); /* ignored */
    CHECK(request(port, "GET", "/api/kiosks", plain, NULL, out, sizeof out) == 200);
    CHECK_STR_CONTAINS(body_of(out), "\"key\":\"default/k1\",\"online\":true");
    CHECK_STR_CONTAINS(body_of(out), "\"state\":{\"kiosk\":\"k1\",\"exhibit\":\"qiantang\"}");

    /* commands: the header and the session, then the callback */
    CHECK(request(port, "POST", "/api/cmd", plain, "{\"target\":\"default/k1\",\"cmd\":\"QUIT\"}", out, sizeof out) ==
          403);
    CHECK(g_commands == 0);
    CHECK(request(port, "POST", "/api/cmd", headers,
                  "{\"target\":\"default/k1\",\"cmd\":\"SWITCH xiamen\",\"id\":\"p9\"}", out, sizeof out) == 202);
    CHECK(g_commands == 1 && !strcmp(g_target, "default/k1") && !strcmp(g_line, "SWITCH xiamen") &&
          !strcmp(g_id, "p9"));
    CHECK(request(port, "POST", "/api/cmd", headers, "{\"target\":\"default/none\",\"cmd\":\"PING\"}", out,
                  sizeof out) == 400);
    CHECK_STR_CONTAINS(body_of(out), "no such kiosk");
    CHECK(request(port, "POST", "/api/cmd", headers, "{\"cmd\":\"PING\"}", out, sizeof out) == 400);
    static char big[10000];
    memset(big, 'a', sizeof big - 1);
    CHECK(request(port, "POST", "/api/cmd", headers, big, out, sizeof out) == 413);

    /* thumbnails */
    CHECK(request(port, "GET", "/api/thumb?k=default/k1", plain, NULL, out, sizeof out) == 404);
    static const uint8_t png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 1, 2, 3};
    mh_board_thumb(b, "default/k1", png, sizeof png);
    CHECK(request(port, "GET", "/api/thumb?k=default%2Fk1", plain, NULL, out, sizeof out) == 200);
    CHECK_STR_CONTAINS(out, "Content-Type: image/png");
    CHECK(!memcmp(body_of(out), png, 8));
}

static void test_events(mh_board *b, int port, const char *cookie)
{
    static char buf[65536];
    size_t len = 0;
    buf[0] = '\0';
    int fd = events_open(port, cookie);
    CHECK(events_until(fd, buf, sizeof buf, &len, "event: snapshot\ndata: {\"kiosks\":[{\"key\":\"default/k1\""));
    CHECK_STR_CONTAINS(buf, "Content-Type: text/event-stream");
    CHECK(mh_board_listeners(b) == 1);
    mh_board_reply(b, "default/k1", "p9", "OK featured xiamen");
    CHECK(events_until(fd, buf, sizeof buf, &len,
                       "event: reply\ndata: {\"key\":\"default/k1\",\"id\":\"p9\",\"reply\":\"OK featured xiamen\"}"));
    mh_board_state(b, "default/k2", "{\"kiosk\":\"k2\"}", mh_clock_now() - 40);
    mh_board_stale(b, mh_clock_now(), 35);
    CHECK(
        events_until(fd, buf, sizeof buf, &len,
                     "event: offline\ndata: {\"key\":\"default/k2\",\"online\":false,\"why\":\"no state for 40 s\"}"));
    mh_board_offline(b, "default/k1", "offline: its last will", mh_clock_now());
    CHECK(events_until(fd, buf, sizeof buf, &len, "\"why\":\"offline: its last will\""));
    mh_board_stats(b, "default/k1", "{\"visits\":3}");
    CHECK(events_until(fd, buf, sizeof buf, &len,
                       "event: stats\ndata: {\"key\":\"default/k1\",\"stats\":{\"visits\":3}}"));
    close(fd);
}

int main(void)
{
    mh_log_set_level(MH_LOG_ERROR);
    mh_board *b = mh_board_create();
    mh_error err = {0};
    mh_http_server *s = mh_http_server_start(&(mh_http_server_desc){.listen = "127.0.0.1:0",
                                                                    .token = TOKEN,
                                                                    .mode = "hub",
                                                                    .board = b,
                                                                    .command = on_command},
                                             &err);
    CHECK(s != NULL);
    if (!s)
        return mh_test_done("test_http");
    int port = mh_http_server_port(s);
    CHECK(port > 0);
    char cookie[64] = "";
    test_login(port, cookie, sizeof cookie);
    test_session(b, port, cookie);
    test_events(b, port, cookie);
    mh_http_server_stop(&s);
    mh_board_destroy(&b);

    /* no token: loopback only, no login needed */
    b = mh_board_create();
    CHECK(mh_http_server_start(&(mh_http_server_desc){.listen = "0.0.0.0:0", .board = b, .command = on_command},
                               &err) == NULL);
    CHECK_STR_CONTAINS(err.message, "reachable from the network: set a token");
    CHECK(mh_http_server_start(&(mh_http_server_desc){.listen = "kiosk:80", .board = b, .command = on_command}, &err) ==
          NULL);
    s = mh_http_server_start(&(mh_http_server_desc){.listen = "127.0.0.1:0",
                                                    .mode = "kiosk",
                                                    .board = b,
                                                    .command = on_command},
                             &err);
    static char out[4096];
    CHECK(s && request(mh_http_server_port(s), "GET", "/api/kiosks", NULL, NULL, out, sizeof out) == 200);
    CHECK(s && request(mh_http_server_port(s), "GET", "/api/session", NULL, NULL, out, sizeof out) == 200);
    CHECK(!strcmp(body_of(out), "{\"logged_in\":true,\"token_required\":false,\"mode\":\"kiosk\"}"));
    mh_http_server_stop(&s);
    mh_board_destroy(&b);
    return mh_test_done("test_http");
}
