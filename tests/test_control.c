/* test_control.c - the control transports over real sockets on 127.0.0.1.
 *
 * A commander without an engine answers PING with "OK PONG" and garbage with
 * "ERR ..."; the test polls mh_control_poll in a loop while non-blocking
 * client sockets in the same process (and `metahall ctl` in a forked child)
 * talk to it. Exact texts are checked for PING and for the replies the
 * transport makes itself (401, 403, 408, 413, 429, 503), request ids, the
 * limits on clients that have not proved the token (idle timeout, per
 * address, making room), the wrong-token back-off, UDP replies never longer
 * than an unauthenticated datagram, and warnings that cannot flood the log. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "control/mh_control.h"
#include "control/mh_ratelog.h"
#include "core/mh_log.h"
#include "metahall_tools.h"
#include "mh_test.h"

#define TOKEN "s3cret"
#define PONG "OK PONG"
#define E413 "ERR 413 line too long (max 512 bytes)"

typedef struct client {
    int fd;
    size_t len;
    char buf[16384];
} client;

#define EMPTY "ERR 400 empty line (try HELP)"

static mh_commander *g_cmd;
static char g_warning[1024]; /* the last warning logged */
static int g_warnings;       /* warnings logged so far */

static void test_sink(mh_log_level level, const char *tag, const char *text, void *user)
{
    if (level >= MH_LOG_WARN) {
        snprintf(g_warning, sizeof g_warning, "%s: %s", tag, text);
        g_warnings++;
    }
}

static void nap(void) { nanosleep(&(struct timespec){.tv_nsec = 100000}, NULL); }

static mh_control *open_ctl(const char *addr, const char *unix_path, const char *token, int max_clients, int rate,
                            mh_error *err)
{
    mh_control_desc d = {.addr = addr,
                         .unix_path = unix_path,
                         .token = token,
                         .max_clients = max_clients,
                         .rate_limit = rate,
                         .commander = g_cmd};
    return mh_control_open(&d, err);
}

static void sleep_s(double s)
{
    nanosleep(&(struct timespec){.tv_sec = (time_t)s, .tv_nsec = (long)((s - (double)(time_t)s) * 1e9)}, NULL);
}

static struct sockaddr_in loopback(int port)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return sa;
}

static void client_init(client *cl, int fd)
{
    cl->fd = fd;
    cl->len = 0;
    if (fd >= 0)
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* The listening socket completes the handshake before mh_control accepts. */
static bool tcp_open(client *cl, int port)
{
    struct sockaddr_in sa = loopback(port);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        fd = -1;
    }
    client_init(cl, fd);
    return fd >= 0;
}

/* From another loopback address (127.0.0.2): another machine, as far as the
 * server can tell. */
static bool tcp_open_from(client *cl, int port, const char *from)
{
    struct sockaddr_in sa = loopback(port), me = {.sin_family = AF_INET};
    inet_pton(AF_INET, from, &me.sin_addr);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd >= 0 &&
        (bind(fd, (struct sockaddr *)&me, sizeof me) != 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0)) {
        close(fd);
        fd = -1;
    }
    client_init(cl, fd);
    return fd >= 0;
}

static bool unix_open(client *cl, const char *path)
{
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&sun, sizeof sun) != 0) {
        close(fd);
        fd = -1;
    }
    client_init(cl, fd);
    return fd >= 0;
}

static void client_close(client *cl)
{
    if (cl->fd >= 0)
        close(cl->fd);
    cl->fd = -1;
}

/* Sends everything, polling the server while the socket is full. */
static bool put(mh_control *c, client *cl, const void *data, size_t len)
{
    const char *p = data;
    double end = mh_clock_now() + 3;
    while (len > 0 && mh_clock_now() < end) {
        ssize_t n = send(cl->fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            p += n;
            len -= (size_t)n;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            mh_control_poll(c);
        } else {
            return false;
        }
    }
    return len == 0;
}

static bool say(mh_control *c, client *cl, const char *text) { return put(c, cl, text, strlen(text)); }

/* 1: data arrived, 0: nothing yet, -1: closed */
static int client_read(client *cl)
{
    ssize_t n = recv(cl->fd, cl->buf + cl->len, sizeof cl->buf - cl->len, MSG_DONTWAIT);
    if (n > 0) {
        cl->len += (size_t)n;
        return 1;
    }
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -1;
}

/* The next reply line ("(closed)" or "(timeout)" when none comes). */
static const char *get_line(mh_control *c, client *cl)
{
    static char line[MH_REPLY_MAX + 64];
    double end = mh_clock_now() + 2;
    for (;;) {
        char *nl = memchr(cl->buf, '\n', cl->len);
        if (nl) {
            size_t n = (size_t)(nl - cl->buf);
            snprintf(line, sizeof line, "%.*s", (int)n, cl->buf);
            cl->len -= n + 1;
            memmove(cl->buf, nl + 1, cl->len);
            return line;
        }
        if (mh_clock_now() > end)
            return "(timeout)";
        mh_control_poll(c);
        int r = client_read(cl);
        if (r < 0)
            return "(closed)";
        if (r == 0)
            nap();
    }
}

static bool is_line(mh_control *c, client *cl, const char *want)
{
    const char *got = get_line(c, cl);
    if (strcmp(got, want) == 0)
        return true;
    fprintf(stderr, "  expected \"%s\", got \"%s\"\n", want, got);
    return false;
}

static bool starts(const char *s, const char *prefix)
{
    if (strncmp(s, prefix, strlen(prefix)) == 0)
        return true;
    fprintf(stderr, "  expected \"%s...\", got \"%s\"\n", prefix, s);
    return false;
}

/* True when the server closes the connection with no further reply. */
static bool closed_quietly(mh_control *c, client *cl)
{
    double end = mh_clock_now() + 2;
    while (mh_clock_now() < end) {
        mh_control_poll(c);
        int r = client_read(cl);
        if (r < 0)
            return cl->len == 0;
        if (r == 0)
            nap();
    }
    return false;
}

/* True when nothing arrives for ms milliseconds. */
static bool quiet(mh_control *c, client *cl, int ms)
{
    double end = mh_clock_now() + ms / 1000.0;
    while (mh_clock_now() < end) {
        mh_control_poll(c);
        if (client_read(cl) != 0)
            return false;
        nap();
    }
    return cl->len == 0;
}

static int udp_open(void)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in sa = loopback(0);
    bind(fd, (struct sockaddr *)&sa, sizeof sa);
    return fd;
}

static void udp_put(int fd, int port, const void *data, size_t len)
{
    struct sockaddr_in sa = loopback(port);
    sendto(fd, data, len, 0, (struct sockaddr *)&sa, sizeof sa);
}

/* The next reply datagram ("(timeout)" when none comes). */
static const char *udp_get(mh_control *c, int fd)
{
    static char reply[MH_REPLY_MAX + 1];
    double end = mh_clock_now() + 2;
    while (mh_clock_now() < end) {
        mh_control_poll(c);
        ssize_t n = recv(fd, reply, sizeof reply - 1, MSG_DONTWAIT);
        if (n >= 0) {
            reply[n] = '\0';
            return reply;
        }
        nap();
    }
    return "(timeout)";
}

static const char *udp_ask(mh_control *c, int fd, const char *text)
{
    udp_put(fd, mh_control_port(c), text, strlen(text));
    return udp_get(c, fd);
}

static void fill_random(char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = (char)(rand() & 0xff);
}

/* ---- the tests --------------------------------------------------------- */

static void test_open_errors(void)
{
    mh_error err = {0};
    mh_control *c = open_ctl("0.0.0.0:0", NULL, NULL, 0, 0, &err);
    CHECK(c == NULL);
    CHECK_STR_CONTAINS(err.message, "control address 0.0.0.0:0 is reachable from the network: set a token");
    CHECK(open_ctl("[::]:7700", NULL, NULL, 0, 0, &err) == NULL);
    CHECK_STR_CONTAINS(err.message, "[::]:7700 is reachable from the network");
    const char *malformed[] = {"127.0.0.1", "127.0.0.1:65536", "127.0.0.1:x", "[::1",
                               "::1:7700",  "kiosk.lan:7700",  ":7700",       "127.0.0.1:-1"};
    for (size_t i = 0; i < sizeof malformed / sizeof *malformed; i++) {
        memset(&err, 0, sizeof err);
        CHECK(open_ctl(malformed[i], NULL, NULL, 0, 0, &err) == NULL);
        CHECK_STR_CONTAINS(err.message, malformed[i]);
    }
    CHECK(open_ctl("127.0.0.1:0", NULL, "two words", 0, 0, &err) == NULL);
    CHECK_STR_CONTAINS(err.message, "token");

    mh_control *a = open_ctl("localhost:0", NULL, NULL, 0, 0, &err);
    CHECK(a != NULL && mh_control_port(a) > 0);
    char addr[64];
    snprintf(addr, sizeof addr, "127.0.0.1:%d", mh_control_port(a));
    memset(&err, 0, sizeof err);
    CHECK(open_ctl(addr, NULL, NULL, 0, 0, &err) == NULL); /* taken */
    CHECK_STR_CONTAINS(err.message, addr);
    CHECK_STR_CONTAINS(err.message, "in use");
    mh_control_close(&a);
    CHECK(a == NULL);
    mh_control_close(&a); /* NULL is fine */

    /* a regular file where the socket should go is left alone */
    char path[64];
    snprintf(path, sizeof path, "/tmp/mh_test_control_%d.file", (int)getpid());
    FILE *f = fopen(path, "w");
    if (f)
        fclose(f);
    CHECK(open_ctl(NULL, path, NULL, 0, 0, &err) == NULL);
    CHECK_STR_CONTAINS(err.message, "not a socket");
    CHECK(access(path, F_OK) == 0);
    unlink(path);
}

static void test_tcp(void)
{
    mh_error err = {0};
    mh_control *c = open_ctl("127.0.0.1:0", NULL, NULL, 0, 0, &err);
    CHECK(c != NULL);
    if (!c)
        return;
    client cl;
    CHECK(tcp_open(&cl, mh_control_port(c)));
    CHECK(say(c, &cl, "PING\n") && is_line(c, &cl, PONG));

    /* pipelined: answered in order; an empty line gets a reply too */
    CHECK(say(c, &cl, "PING\nPING\r\n\r\n \t\nNO-SUCH-COMMAND\nPING\n"));
    CHECK(is_line(c, &cl, PONG));
    CHECK(is_line(c, &cl, PONG));
    CHECK(is_line(c, &cl, EMPTY));
    CHECK(is_line(c, &cl, EMPTY));
    CHECK(starts(get_line(c, &cl), "ERR "));
    CHECK(is_line(c, &cl, PONG));
    CHECK(quiet(c, &cl, 30));

    /* request ids come back before the reply, on the transport's own replies too */
    CHECK(say(c, &cl, "#a-1 PING\n#b.2 NOPE\n#c:3\n#x y z PING\n") && is_line(c, &cl, "#a-1 " PONG));
    CHECK(starts(get_line(c, &cl), "#b.2 ERR 400 unknown command"));
    CHECK(is_line(c, &cl, "#c:3 " EMPTY));
    CHECK(starts(get_line(c, &cl), "#x ERR 400 unknown command \"y\""));
    CHECK(say(c, &cl, "#id AUTH x\n") && is_line(c, &cl, "#id ERR 400 no token is configured"));

    /* without a token (loopback only) everyone may QUIT */
    CHECK(say(c, &cl, "QUIT\n") && is_line(c, &cl, "OK quitting"));
    CHECK(mh_commander_quit_requested(g_cmd));

    /* line limits: 512 bytes pass to the commander, 513 are refused once */
    char line[MH_COMMAND_MAX + 8];
    memset(line, 'X', sizeof line);
    memcpy(line + MH_COMMAND_MAX, "\r\n", 2);
    CHECK(put(c, &cl, line, MH_COMMAND_MAX + 2));
    const char *r = get_line(c, &cl);
    CHECK(starts(r, "ERR ") && strcmp(r, E413) != 0);
    memcpy(line + MH_COMMAND_MAX, "X\n", 2);
    CHECK(put(c, &cl, line, MH_COMMAND_MAX + 2));
    CHECK(is_line(c, &cl, E413));
    CHECK(say(c, &cl, "PING\n") && is_line(c, &cl, PONG));

    /* 200 KiB in one line: one 413, nothing buffered, then it goes on */
    static char big[200 * 1024];
    memset(big, 'B', sizeof big);
    CHECK(put(c, &cl, big, sizeof big));
    CHECK(say(c, &cl, "\r\nPING\n"));
    CHECK(is_line(c, &cl, E413));
    CHECK(is_line(c, &cl, PONG));
    CHECK(quiet(c, &cl, 30));

    /* a client that leaves mid-line is cleaned up; the others go on */
    client gone;
    CHECK(tcp_open(&gone, mh_control_port(c)));
    CHECK(say(c, &gone, "PING\nPI"));
    CHECK(is_line(c, &gone, PONG));
    client_close(&gone);
    CHECK(say(c, &cl, "PING\n") && is_line(c, &cl, PONG));
    client_close(&cl);
    mh_control_close(&c);
}

static void test_garbage(void)
{
    mh_error err = {0};
    mh_control *c = open_ctl("127.0.0.1:0", NULL, NULL, 0, 0, &err);
    CHECK(c != NULL);
    if (!c)
        return;
    srand(20240601);
    client cl;
    CHECK(tcp_open(&cl, mh_control_port(c)));
    static char junk[16 * 1024];
    fill_random(junk, sizeof junk);
    for (size_t i = 0; i < sizeof junk; i += 97)
        junk[i] = (char)(i % 3 ? '\0' : '\n'); /* NULs and more, shorter lines */
    CHECK(put(c, &cl, junk, sizeof junk));
    CHECK(say(c, &cl, "\nPING\n"));
    int errs = 0, others = 0;
    for (int i = 0; i < 1000; i++) {
        const char *r = get_line(c, &cl);
        if (strcmp(r, PONG) == 0)
            break;
        if (strncmp(r, "ERR ", 4) == 0)
            errs++;
        else
            others++;
    }
    CHECK(errs > 50);
    CHECK(others == 0);

    int u = udp_open();
    char dgram[700];
    int udp_errs = 0;
    for (int i = 0; i < 40; i++) {
        size_t len = 1 + (size_t)(rand() % (int)sizeof dgram);
        fill_random(dgram, len);
        dgram[0] = '\0'; /* never empty after trimming */
        udp_put(u, mh_control_port(c), dgram, len);
        udp_errs += strncmp(udp_get(c, u), "ERR ", 4) == 0;
    }
    CHECK(udp_errs == 40);
    CHECK(strcmp(udp_ask(c, u, "PING"), PONG) == 0);
    close(u);
    client_close(&cl);
    mh_control_close(&c);
}

static void test_udp(void)
{
    mh_error err = {0};
    mh_control *c = open_ctl("127.0.0.1:0", NULL, NULL, 0, 0, &err);
    CHECK(c != NULL);
    if (!c)
        return;
    int u = udp_open();
    CHECK(strcmp(udp_ask(c, u, "PING"), PONG) == 0);
    CHECK(strcmp(udp_ask(c, u, "PING\r\n"), PONG) == 0);
    CHECK(strcmp(udp_ask(c, u, "PING\nPING"), "ERR 400 one command per datagram") == 0);
    CHECK(strcmp(udp_ask(c, u, "AUTH x PING"), "ERR 400 no token is configured") == 0);
    static char big[10000];
    memset(big, 'U', sizeof big);
    udp_put(u, mh_control_port(c), big, 600);
    CHECK(strcmp(udp_get(c, u), E413) == 0);
    udp_put(u, mh_control_port(c), big, sizeof big); /* more than the server's buffer */
    CHECK(strcmp(udp_get(c, u), E413) == 0);
    CHECK(strcmp(udp_ask(c, u, "\r\n"), EMPTY) == 0); /* empty: a reply without a token (loopback) */
    CHECK(strcmp(udp_ask(c, u, "#u7 PING"), "#u7 " PONG) == 0);
    CHECK(strcmp(udp_ask(c, u, "PING"), PONG) == 0);
    char extra[64];
    CHECK(recv(u, extra, sizeof extra, MSG_DONTWAIT) < 0);
    close(u);
    mh_control_close(&c);
}

static void test_unix(void)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/mh_test_control_%d.sock", (int)getpid());
    /* a stale socket file, as a crashed kiosk leaves it */
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path);
    int stale = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(bind(stale, (struct sockaddr *)&sun, sizeof sun) == 0);
    close(stale);

    mh_commander *cmd = mh_commander_create(&(mh_commander_desc){.engine = NULL, .kiosk_id = "test-unix"});
    mh_error err = {0};
    mh_control *c = mh_control_open(&(mh_control_desc){.unix_path = path, .commander = cmd}, &err);
    CHECK(c != NULL);
    if (!c) {
        fprintf(stderr, "  %s\n", err.message);
        mh_commander_destroy(&cmd);
        return;
    }
    CHECK(mh_control_port(c) == 0); /* no TCP/UDP asked for */
    struct stat st;
    CHECK(stat(path, &st) == 0 && S_ISSOCK(st.st_mode) && (st.st_mode & 0777) == 0600);
    client cl;
    CHECK(unix_open(&cl, path));
    CHECK(say(c, &cl, "PING\n") && is_line(c, &cl, PONG));
    /* a second kiosk on the same live socket is refused */
    CHECK(mh_control_open(&(mh_control_desc){.unix_path = path, .commander = cmd}, &err) == NULL);
    CHECK_STR_CONTAINS(err.message, "in use");
    /* the Unix socket counts as authenticated: QUIT is allowed */
    CHECK(say(c, &cl, "QUIT\n") && starts(get_line(c, &cl), "OK"));
    CHECK(mh_commander_quit_requested(cmd));
    client_close(&cl);
    mh_control_close(&c);
    CHECK(access(path, F_OK) != 0); /* removed on close */
    mh_commander_destroy(&cmd);
}

static void test_auth(void)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/mh_test_control_auth_%d.sock", (int)getpid());
    mh_error err = {0};
    /* beyond loopback is fine with a token */
    mh_control *c = open_ctl("0.0.0.0:0", path, TOKEN, 0, 0, &err);
    CHECK(c != NULL);
    if (!c) {
        fprintf(stderr, "  %s\n", err.message);
        return;
    }
    client cl;
    CHECK(tcp_open(&cl, mh_control_port(c)));
    CHECK(say(c, &cl, "PING\n") && is_line(c, &cl, "ERR 401 send AUTH <token> first"));
    g_warning[0] = '\0';
    CHECK(say(c, &cl, "AUTH nope\n") && is_line(c, &cl, "ERR 403 wrong token"));
    CHECK_STR_CONTAINS(g_warning, "127.0.0.1:"); /* the warning names the peer */
    CHECK(say(c, &cl, "AUTH " TOKEN "\r\n") && is_line(c, &cl, "OK authenticated"));
    CHECK(say(c, &cl, "PING\n") && is_line(c, &cl, PONG));

    /* UDP: a reply is never longer than an unauthenticated datagram */
    int u = udp_open();
    CHECK(strcmp(udp_ask(c, u, "PING PING PING PING PING PING PING PING PING PING"),
                 "ERR 401 start each datagram with AUTH <token>") == 0);
    CHECK(strcmp(udp_ask(c, u, "PING PING"), "ERR 401") == 0); /* cut to its code */
    udp_put(u, mh_control_port(c), "x", 1);                    /* 1 byte: no reply at all */
    CHECK(strcmp(udp_get(c, u), "(timeout)") == 0);
    udp_put(u, mh_control_port(c), "PING", 4);
    CHECK(strcmp(udp_get(c, u), "(timeout)") == 0);
    udp_put(u, mh_control_port(c), "", 0);
    CHECK(strcmp(udp_get(c, u), "(timeout)") == 0);
    CHECK(strcmp(udp_ask(c, u, "AUTH nope PING"), "ERR 403") == 0); /* 19 > 14 bytes: the code */
    CHECK(strcmp(udp_ask(c, u, "AUTH " TOKEN " PING"), PONG) == 0); /* and the right one resets */
    CHECK(strcmp(udp_ask(c, u, "AUTH " TOKEN " PING\r\n"), PONG) == 0);
    CHECK(strcmp(udp_ask(c, u, "AUTH " TOKEN " #u1 PING"), "#u1 " PONG) == 0);
    CHECK(starts(udp_ask(c, u, "AUTH " TOKEN), "ERR 400"));
    close(u);

    /* wrong tokens: the address waits longer each time (1, 2 s...), the
     * right token is not looked at meanwhile, three close a connection */
    client bad;
    CHECK(tcp_open(&bad, mh_control_port(c)));
    CHECK(say(c, &bad, "AUTH a\nAUTH b\n#t3 AUTH " TOKEN "\n"));
    CHECK(is_line(c, &bad, "ERR 403 wrong token"));
    CHECK(is_line(c, &bad, "ERR 403 wrong token"));
    CHECK(is_line(c, &bad, "#t3 ERR 429 too many wrong tokens from this address: wait 1 s"));
    u = udp_open();
    CHECK(strcmp(udp_ask(c, u, "AUTH " TOKEN " PING"), "ERR 429") == 0); /* the same address, over UDP */
    sleep_s(1.05);
    CHECK(say(c, &bad, "AUTH c\n") && is_line(c, &bad, "ERR 403 wrong token"));
    CHECK(closed_quietly(c, &bad));
    client_close(&bad);
    CHECK(strcmp(udp_ask(c, u, "AUTH " TOKEN " PING"), "ERR 429") == 0); /* now 2 s */
    sleep_s(2.05);
    CHECK(strcmp(udp_ask(c, u, "AUTH " TOKEN " PING"), PONG) == 0);
    close(u);

    client local;
    CHECK(unix_open(&local, path));
    CHECK(say(c, &local, "PING\n") && is_line(c, &local, PONG));
    client_close(&local);
    client_close(&cl);
    mh_control_close(&c);
}

static void test_limits(void)
{
    mh_error err = {0};
    mh_control *c = open_ctl("127.0.0.1:0", NULL, NULL, 2, 5, &err);
    CHECK(c != NULL);
    if (!c)
        return;
    int port = mh_control_port(c);
    client a, b, extra;
    CHECK(tcp_open(&a, port) && say(c, &a, "PING\n") && is_line(c, &a, PONG));
    CHECK(tcp_open(&b, port) && say(c, &b, "PING\n") && is_line(c, &b, PONG));
    CHECK(tcp_open(&extra, port));
    CHECK(is_line(c, &extra, "ERR 503 too many clients")); /* both are busy, none idle for a second */
    CHECK(closed_quietly(c, &extra));
    client_close(&extra);

    /* rate: a burst of 5 (one used above), then 429 without running */
    CHECK(say(c, &a, "PING\nPING\nPING\nPING\nPING\nPING\nPING\n"));
    for (int i = 0; i < 4; i++)
        CHECK(is_line(c, &a, PONG));
    for (int i = 0; i < 3; i++)
        CHECK(is_line(c, &a, "ERR 429 rate limit (5 commands/s)"));

    /* the same per UDP sender address */
    int u = udp_open();
    for (int i = 0; i < 8; i++)
        udp_put(u, port, "PING", 4);
    int ok = 0, limited = 0;
    for (int i = 0; i < 8; i++) {
        const char *r = udp_get(c, u);
        ok += strcmp(r, PONG) == 0;
        limited += strcmp(r, "ERR 429 rate limit (5 commands/s)") == 0;
    }
    CHECK(ok == 5 && limited == 3);
    close(u);

    /* a client leaving mid-line frees its slot */
    CHECK(say(c, &b, "PIN"));
    client_close(&b);
    client next;
    double end = mh_clock_now() + 2;
    bool served = false;
    while (!served && mh_clock_now() < end) { /* until the server has noticed */
        for (int i = 0; i < 10; i++)
            mh_control_poll(c);
        CHECK(tcp_open(&next, port));
        served = say(c, &next, "PING\n") && strcmp(get_line(c, &next), PONG) == 0;
        client_close(&next);
    }
    CHECK(served);
    client_close(&a);
    mh_control_close(&c);
}

/* Bounded work per poll, and a client that never reads is dropped. */
static void test_budget(void)
{
    mh_error err = {0};
    mh_control *c = open_ctl("127.0.0.1:0", NULL, NULL, 0, 1000000, &err);
    CHECK(c != NULL);
    if (!c)
        return;
    client cl;
    CHECK(tcp_open(&cl, mh_control_port(c)));
    static char many[3000 * 5];
    for (size_t i = 0; i < sizeof many; i += 5)
        memcpy(many + i, "PING\n", 5);
    CHECK(send(cl.fd, many, sizeof many, MSG_NOSIGNAL) == (ssize_t)sizeof many);
    nanosleep(&(struct timespec){.tv_nsec = 20 * 1000000}, NULL);
    mh_control_poll(c);
    nanosleep(&(struct timespec){.tv_nsec = 20 * 1000000}, NULL);
    while (client_read(&cl) > 0) {
    }
    size_t first = cl.len / strlen(PONG "\n");
    CHECK(first > 0 && first <= 1000);
    int pongs = 0;
    for (int i = 0; i < 3000; i++)
        pongs += strcmp(get_line(c, &cl), PONG) == 0;
    CHECK(pongs == 3000);

    /* never reading: dropped once its unsent replies pass the cap */
    client deaf;
    int small = 4096;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    struct sockaddr_in sa = loopback(mh_control_port(c));
    CHECK(connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0);
    client_init(&deaf, fd);
    static char chunk[64 * 1000];
    for (size_t i = 0; i < sizeof chunk; i += 5)
        memcpy(chunk + i, "PING\n", 5);
    bool dropped = false;
    double end = mh_clock_now() + 30; /* seconds under qemu on a busy machine; done as soon as it drops */
    while (!dropped && mh_clock_now() < end) {
        ssize_t n = send(deaf.fd, chunk, sizeof chunk, MSG_NOSIGNAL | MSG_DONTWAIT);
        dropped = n < 0 && errno != EAGAIN && errno != EWOULDBLOCK;
        for (int i = 0; i < 4; i++)
            mh_control_poll(c);
    }
    CHECK(dropped);
    CHECK_STR_CONTAINS(g_warning, "does not read its replies");
    client_close(&deaf);
    CHECK(say(c, &cl, "PING\n") && is_line(c, &cl, PONG));
    client_close(&cl);
    mh_control_close(&c);
}

/* Runs mh_ctl_main in a child while this process serves c (may be NULL).
 * The arguments are copied: ctl wipes a token's value from its argv. */
static int run_ctl(mh_control *c, const char *const *args, char *out, char *errs, size_t size)
{
    static char copies[16][256];
    char *argv[16];
    int argc = 0;
    for (; args[argc] && argc < 15; argc++) {
        snprintf(copies[argc], sizeof copies[argc], "%s", args[argc]);
        argv[argc] = copies[argc];
    }
    argv[argc] = NULL;
    int po[2], pe[2];
    if (pipe(po) != 0 || pipe(pe) != 0)
        return -1;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(po[1], 1);
        dup2(pe[1], 2);
        close(po[0]), close(po[1]), close(pe[0]), close(pe[1]);
        int rc = mh_ctl_main(argc, argv);
        fflush(stdout);
        fflush(stderr);
        _exit(rc);
    }
    close(po[1]);
    close(pe[1]);
    fcntl(po[0], F_SETFL, O_NONBLOCK);
    fcntl(pe[0], F_SETFL, O_NONBLOCK);
    size_t no = 0, ne = 0;
    int status = -1;
    double end = mh_clock_now() + 5;
    while (mh_clock_now() < end) {
        if (c)
            mh_control_poll(c);
        ssize_t n = read(po[0], out + no, size - 1 - no);
        no += n > 0 ? (size_t)n : 0;
        n = read(pe[0], errs + ne, size - 1 - ne);
        ne += n > 0 ? (size_t)n : 0;
        if (waitpid(pid, &status, WNOHANG) == pid)
            break;
        nap();
    }
    ssize_t n;
    while ((n = read(po[0], out + no, size - 1 - no)) > 0)
        no += (size_t)n;
    while ((n = read(pe[0], errs + ne, size - 1 - ne)) > 0)
        ne += (size_t)n;
    out[no] = errs[ne] = '\0';
    close(po[0]);
    close(pe[0]);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_ctl(void)
{
    char path[64], addr[64], out[2048], errs[2048];
    snprintf(path, sizeof path, "/tmp/mh_test_control_ctl_%d.sock", (int)getpid());
    mh_error err = {0};
    mh_control *c = open_ctl("127.0.0.1:0", path, TOKEN, 0, 0, &err);
    CHECK(c != NULL);
    if (!c)
        return;
    snprintf(addr, sizeof addr, "127.0.0.1:%d", mh_control_port(c));
    CHECK(run_ctl(c, (const char *[]){"ctl", "--addr", addr, "--token", TOKEN, "PING", NULL}, out, errs, sizeof out) ==
          0);
    CHECK(strcmp(out, PONG "\n") == 0);
    CHECK(run_ctl(c, (const char *[]){"ctl", "--addr", addr, "--token=" TOKEN, "NO", "SUCH", NULL}, out, errs,
                  sizeof out) == 1);
    CHECK(starts(out, "ERR "));
    CHECK(run_ctl(c, (const char *[]){"ctl", "--addr", addr, "--token", "wrong", "PING", NULL}, out, errs,
                  sizeof out) == 1);
    CHECK_STR_CONTAINS(errs, "ERR 403 wrong token");
    CHECK(run_ctl(c, (const char *[]){"ctl", "--addr", addr, "PING", NULL}, out, errs, sizeof out) == 1);
    CHECK(strcmp(out, "ERR 401 send AUTH <token> first\n") == 0);
    CHECK(run_ctl(c, (const char *[]){"ctl", "--unix", path, "--timeout", "3", "PING", NULL}, out, errs, sizeof out) ==
          0);
    CHECK(strcmp(out, PONG "\n") == 0);
    /* the token from a file (only its first line; spaces at the end go) */
    char token_file[64];
    snprintf(token_file, sizeof token_file, "/tmp/mh_test_control_token_%d", (int)getpid());
    FILE *tf = fopen(token_file, "w");
    if (tf) {
        fputs(TOKEN "  \nsecond line\n", tf);
        fclose(tf);
    }
    chmod(token_file, 0600);
    CHECK(run_ctl(c, (const char *[]){"ctl", "--addr", addr, "--token-file", token_file, "#f1", "PING", NULL}, out,
                  errs, sizeof out) == 0);
    CHECK(strcmp(out, "#f1 " PONG "\n") == 0);
    unlink(token_file);
    CHECK(run_ctl(c, (const char *[]){"ctl", "--addr", addr, "--token-file", token_file, "PING", NULL}, out, errs,
                  sizeof out) == 2);
    CHECK_STR_CONTAINS(errs, "cannot read the token file");
    setenv("METAHALL_ADDR", addr, 1);
    setenv("METAHALL_TOKEN", TOKEN, 1);
    CHECK(run_ctl(c, (const char *[]){"ctl", "PING", NULL}, out, errs, sizeof out) == 0);
    unsetenv("METAHALL_ADDR");
    unsetenv("METAHALL_TOKEN");
    mh_control_close(&c);

    /* nobody listening: exit 2 and a message naming the address */
    CHECK(run_ctl(NULL, (const char *[]){"ctl", "--addr", addr, "PING", NULL}, out, errs, sizeof out) == 2);
    char want[128];
    snprintf(want, sizeof want, "cannot connect to %s: Connection refused", addr);
    CHECK_STR_CONTAINS(errs, want);
    /* listening but never answering: exit 2 after the timeout */
    int mute = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = loopback(0);
    socklen_t len = sizeof sa;
    bind(mute, (struct sockaddr *)&sa, sizeof sa);
    listen(mute, 4);
    getsockname(mute, (struct sockaddr *)&sa, &len);
    snprintf(addr, sizeof addr, "127.0.0.1:%d", ntohs(sa.sin_port));
    CHECK(run_ctl(NULL, (const char *[]){"ctl", "--addr", addr, "--timeout", "0.2", "PING", NULL}, out, errs,
                  sizeof out) == 2);
    CHECK_STR_CONTAINS(errs, "no reply from");
    close(mute);

    CHECK(run_ctl(NULL, (const char *[]){"ctl", "--help", NULL}, out, errs, sizeof out) == 0);
    CHECK_STR_CONTAINS(out, "usage: metahall ctl");
    CHECK(run_ctl(NULL, (const char *[]){"ctl", NULL}, out, errs, sizeof out) == 2);
    CHECK(run_ctl(NULL, (const char *[]){"ctl", "--bogus", "PING", NULL}, out, errs, sizeof out) == 2);
    CHECK(run_ctl(NULL, (const char *[]){"ctl", "--timeout", "x", "PING", NULL}, out, errs, sizeof out) == 2);
}

/* IPv6 loopback, where the machine has it. */
static void test_ipv6(void)
{
    mh_error err = {0};
    mh_control *c = open_ctl("[::1]:0", NULL, NULL, 0, 0, &err);
    if (!c) {
        printf("test_control: IPv6 skipped (%s)\n", err.message);
        return;
    }
    int u = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in6 sa = {.sin6_family = AF_INET6,
                              .sin6_addr = IN6ADDR_LOOPBACK_INIT,
                              .sin6_port = htons((uint16_t)mh_control_port(c))};
    sendto(u, "PING", 4, 0, (struct sockaddr *)&sa, sizeof sa);
    CHECK(strcmp(udp_get(c, u), PONG) == 0);
    close(u);
    char addr[64], out[256], errs[256];
    snprintf(addr, sizeof addr, "[::1]:%d", mh_control_port(c));
    CHECK(run_ctl(c, (const char *[]){"ctl", "--addr", addr, "PING", NULL}, out, errs, sizeof out) == 0);
    CHECK(strcmp(out, PONG "\n") == 0);
    mh_control_close(&c);
}

/* Clients that have not proved the token: closed when idle (ERR 408), at
 * most max_per_address from one address, and the one idle longest makes
 * room for a newcomer, so idle connections cannot lock operators out. */
static void test_idle(void)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/mh_test_control_idle_%d.sock", (int)getpid());
    mh_error err = {0};
    mh_control *c = mh_control_open(&(mh_control_desc){.addr = "127.0.0.1:0",
                                                       .unix_path = path,
                                                       .token = TOKEN,
                                                       .idle_timeout_s = 0.4,
                                                       .commander = g_cmd},
                                    &err);
    CHECK(c != NULL);
    if (!c)
        return;
    client idle, proved, local;
    CHECK(tcp_open(&idle, mh_control_port(c)) && tcp_open(&proved, mh_control_port(c)) && unix_open(&local, path));
    CHECK(say(c, &proved, "AUTH " TOKEN "\n") && is_line(c, &proved, "OK authenticated"));
    CHECK(say(c, &local, "PING\n") && is_line(c, &local, PONG));
    double t0 = mh_clock_now();
    CHECK(starts(get_line(c, &idle), "ERR 408 idle for 0 s without a command"));
    double took = mh_clock_now() - t0;
    CHECK(took > 0.2 && took < 1.5);
    CHECK(closed_quietly(c, &idle));
    CHECK(quiet(c, &proved, 600) && quiet(c, &local, 10)); /* the token and the Unix socket keep theirs */
    CHECK(say(c, &proved, "PING\n") && is_line(c, &proved, PONG));
    client_close(&idle);
    client_close(&proved);
    client_close(&local);
    mh_control_close(&c);
}

static void test_make_room(void)
{
    mh_error err = {0};
    mh_control *c = mh_control_open(&(mh_control_desc){.addr = "127.0.0.1:0",
                                                       .max_clients = 16,
                                                       .idle_timeout_s = -1,
                                                       .commander = g_cmd},
                                    &err);
    CHECK(c != NULL);
    if (!c)
        return;
    int port = mh_control_port(c);
    /* one address holds at most 8 (half of 16) before proving a token */
    client idle[9];
    for (int i = 0; i < 8; i++)
        CHECK(tcp_open(&idle[i], port) && say(c, &idle[i], "PING\n") && is_line(c, &idle[i], PONG));
    CHECK(tcp_open(&idle[8], port));
    CHECK(is_line(c, &idle[8], "ERR 503 too many connections from your address"));
    client_close(&idle[8]);
    mh_control_close(&c);

    /* 16 idle connections from one address (allowed 16 here): an operator elsewhere is served */
    c = mh_control_open(&(mh_control_desc){.addr = "127.0.0.1:0",
                                           .max_clients = 16,
                                           .max_per_address = 16,
                                           .idle_timeout_s = -1,
                                           .commander = g_cmd},
                        &err);
    CHECK(c != NULL);
    if (!c) {
        for (int i = 0; i < 8; i++)
            client_close(&idle[i]);
        return;
    }
    port = mh_control_port(c);
    client many[16], operator;
    for (int i = 0; i < 16; i++)
        CHECK(tcp_open(&many[i], port) && say(c, &many[i], "PING\n") && is_line(c, &many[i], PONG));
    sleep_s(1.1); /* idle for a second now */
    g_warnings = 0;
    CHECK(tcp_open_from(&operator, port, "127.0.0.2") && say(c, &operator, "PING\n") && is_line(c, &operator, PONG));
    int closed = 0;
    for (int i = 0; i < 16; i++) {
        if (quiet(c, &many[i], 1))
            continue;
        closed += starts(get_line(c, &many[i]), "ERR 408 closed to make room") && closed_quietly(c, &many[i]);
    }
    CHECK(closed == 1);
    CHECK_STR_CONTAINS(g_warning, "idle to make room for a new connection");
    for (int i = 0; i < 16; i++)
        client_close(&many[i]);
    for (int i = 0; i < 8; i++)
        client_close(&idle[i]);
    client_close(&operator);
    mh_control_close(&c);
}

/* A storm of refused connections logs a handful of lines, and one that
 * says how many more there were. */
static void test_ratelog(void)
{
    mh_error err = {0};
    mh_control *c = mh_control_open(&(mh_control_desc){.addr = "127.0.0.1:0",
                                                       .max_clients = 1,
                                                       .idle_timeout_s = -1,
                                                       .commander = g_cmd},
                                    &err);
    CHECK(c != NULL);
    if (!c)
        return;
    client first;
    CHECK(tcp_open(&first, mh_control_port(c)) && say(c, &first, "PING\n") && is_line(c, &first, PONG));
    g_warnings = 0;
    long suppressed = mh_ratelog_suppressed_total();
    for (int i = 0; i < 300; i++) {
        client x;
        if (tcp_open(&x, mh_control_port(c))) {
            mh_control_poll(c);
            client_close(&x);
        }
    }
    for (int i = 0; i < 20; i++)
        mh_control_poll(c);
    CHECK(g_warnings <= 6);
    CHECK(mh_ratelog_suppressed_total() - suppressed >= 250);
    /* the summary comes with the first warning of the next window */
    mh_ratelog r = MH_RATELOG("test", "test warnings");
    for (int i = 0; i < 12; i++)
        mh_ratelog_allow(&r, 100.0 + i * 0.01);
    g_warning[0] = '\0';
    CHECK(mh_ratelog_allow(&r, 111.0));
    CHECK_STR_CONTAINS(g_warning, "7 more test warnings in the last 11 s were not logged");
    client_close(&first);
    mh_control_close(&c);
}

/* Commands without an engine: VOLUME is kept (and is what survives a
 * restart), LIST and STATS say there is nothing to list. */
static void test_commander(void)
{
    mh_commander *cmd = mh_commander_create(&(mh_commander_desc){.kiosk_id = "cmd"});
    mh_reply r;
    mh_operator_settings s;
    uint32_t serial = mh_commander_settings(cmd, &s);
    CHECK(s.volume == -1 && mh_commander_volume(cmd) == 100);
    CHECK(mh_commander_exec(cmd, "VOLUME 35", 9, 0, &r) && !strcmp(r.text, "OK volume 35"));
    CHECK(mh_commander_settings(cmd, &s) != serial && s.volume == 35);
    CHECK(mh_commander_exec(cmd, "volume", 6, 0, &r) && !strcmp(r.text, "OK volume 35"));
    CHECK(mh_commander_exec(cmd, "VOLUME 101", 10, 0, &r) && starts(r.text, "ERR 400 VOLUME takes 0 to 100"));
    CHECK(mh_commander_exec(cmd, "#s1 STATS", 9, 0, &r) && starts(r.text, "#s1 ERR 503 no visitor statistics"));
    CHECK(mh_commander_exec(cmd, "STATS week", 10, 0, &r) && starts(r.text, "ERR 400 STATS takes today or hour"));
    CHECK(mh_commander_exec(cmd, "LIST", 4, 0, &r) && starts(r.text, "ERR 503 no hall is loaded"));
    CHECK(mh_commander_exec(cmd, "WAKE", 4, 0, &r) && starts(r.text, "ERR 503 no opening hours"));
    CHECK(mh_commander_exec(cmd, "SCREENSHOT BIG", 14, 0, &r) && starts(r.text, "ERR 400 SCREENSHOT takes FILE"));
    CHECK(mh_commander_exec(cmd, "", 0, 0, &r) && !strcmp(r.text, EMPTY));
    CHECK(mh_commander_exec(cmd, "HELP", 4, 0, &r) && strstr(r.text, "AUTH <token>") && strstr(r.text, "LIST") &&
          strstr(r.text, "STATS") && strstr(r.text, "WAKE") && strstr(r.text, "VOLUME"));
    char json[2048];
    mh_commander_status_json(cmd, MH_STATUS_PEEK, json, sizeof json);
    CHECK_STR_CONTAINS(json, "\"volume\":35");
    CHECK_STR_CONTAINS(json, "\"frame_ms_worst\":0.00");
    /* the worst frame since STATUS was last asked, not since the ring's last 256 */
    mh_commander_frame(cmd, 64, 64, 5000.0);
    for (int i = 0; i < 400; i++)
        mh_commander_frame(cmd, 64, 64, 16.0);
    CHECK(mh_commander_exec(cmd, "STATUS", 6, 0, &r));
    CHECK_STR_CONTAINS(mh_reply_line(&r), "\"frame_ms_worst\":5000.00");
    mh_reply_release(&r);
    mh_commander_frame(cmd, 64, 64, 16.0);
    CHECK(mh_commander_exec(cmd, "STATUS", 6, 0, &r));
    CHECK_STR_CONTAINS(mh_reply_line(&r), "\"frame_ms_worst\":16.00");
    mh_reply_release(&r);
    mh_commander_destroy(&cmd);
}

int main(void)
{
    mh_log_set_sink(test_sink, NULL);
    g_cmd = mh_commander_create(&(mh_commander_desc){.engine = NULL, .kiosk_id = "test", .hall_name = "default"});
    CHECK(g_cmd != NULL);
    if (!g_cmd)
        return mh_test_done("test_control");
    test_open_errors();
    test_tcp();
    test_garbage();
    test_udp();
    test_unix();
    test_auth();
    test_limits();
    test_budget();
    test_ctl();
    test_ipv6();
    test_idle();
    test_make_room();
    test_ratelog();
    test_commander();
    mh_commander_destroy(&g_cmd);
    mh_log_set_sink(NULL, NULL);
    return mh_test_done("test_control");
}
