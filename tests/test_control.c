/* test_control.c - the control transports over real sockets on 127.0.0.1.
 *
 * A commander without an engine answers PING with "OK PONG" and garbage with
 * "ERR ..."; the test polls mh_control_poll in a loop while non-blocking
 * client sockets in the same process (and `metahall ctl` in a forked child)
 * talk to it. Exact texts are checked for PING and for the replies the
 * transport makes itself (401, 403, 413, 429, 503). */
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

static mh_commander *g_cmd;
static char g_warning[1024];   /* the last warning logged */

static void test_sink(mh_log_level level, const char *tag, const char *text, void *user)
{
    if (level >= MH_LOG_WARN)
        snprintf(g_warning, sizeof g_warning, "%s: %s", tag, text);
}

static void nap(void)
{
    nanosleep(&(struct timespec){.tv_nsec = 100000}, NULL);
}

static mh_control *open_ctl(const char *addr, const char *unix_path, const char *token, int max_clients, int rate,
                            mh_error *err)
{
    mh_control_desc d = {.addr = addr, .unix_path = unix_path, .token = token, .max_clients = max_clients,
                         .rate_limit = rate, .commander = g_cmd};
    return mh_control_open(&d, err);
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

static bool say(mh_control *c, client *cl, const char *text)
{
    return put(c, cl, text, strlen(text));
}

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
    const char *malformed[] = {"127.0.0.1", "127.0.0.1:65536", "127.0.0.1:x", "[::1", "::1:7700", "kiosk.lan:7700",
                               ":7700", "127.0.0.1:-1"};
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
    CHECK(open_ctl(addr, NULL, NULL, 0, 0, &err) == NULL);   /* taken */
    CHECK_STR_CONTAINS(err.message, addr);
    CHECK_STR_CONTAINS(err.message, "in use");
    mh_control_close(&a);
    CHECK(a == NULL);
    mh_control_close(&a);   /* NULL is fine */

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

    /* pipelined: answered in order; empty lines get no reply */
    CHECK(say(c, &cl, "PING\nPING\r\n\n\r\n\nNO-SUCH-COMMAND\nPING\n"));
    CHECK(is_line(c, &cl, PONG));
    CHECK(is_line(c, &cl, PONG));
    CHECK(starts(get_line(c, &cl), "ERR "));
    CHECK(is_line(c, &cl, PONG));
    CHECK(quiet(c, &cl, 30));

    /* without a token, loopback clients run commands but are not authenticated */
    CHECK(say(c, &cl, "QUIT\n") && starts(get_line(c, &cl), "ERR 403"));
    CHECK(!mh_commander_quit_requested(g_cmd));
    CHECK(say(c, &cl, "AUTH x\n") && is_line(c, &cl, "ERR 400 no token is configured"));

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
        junk[i] = (char)(i % 3 ? '\0' : '\n');   /* NULs and more, shorter lines */
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
        dgram[0] = '\0';   /* never empty after trimming */
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
    udp_put(u, mh_control_port(c), big, sizeof big);   /* more than the server's buffer */
    CHECK(strcmp(udp_get(c, u), E413) == 0);
    udp_put(u, mh_control_port(c), "\r\n", 2);          /* empty: no reply */
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
    CHECK(mh_control_port(c) == 0);   /* no TCP/UDP asked for */
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
    CHECK(access(path, F_OK) != 0);   /* removed on close */
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
    CHECK_STR_CONTAINS(g_warning, "127.0.0.1:");   /* the warning names the peer */
    CHECK(say(c, &cl, "AUTH " TOKEN "\r\n") && is_line(c, &cl, "OK authenticated"));
    CHECK(say(c, &cl, "PING\n") && is_line(c, &cl, PONG));

    /* three wrong tokens close the connection */
    client bad;
    CHECK(tcp_open(&bad, mh_control_port(c)));
    CHECK(say(c, &bad, "AUTH a\nAUTH b\nAUTH " TOKEN "x\n"));
    CHECK(is_line(c, &bad, "ERR 403 wrong token"));
    CHECK(is_line(c, &bad, "ERR 403 wrong token"));
    CHECK(is_line(c, &bad, "ERR 403 wrong token"));
    CHECK(closed_quietly(c, &bad));
    client_close(&bad);

    int u = udp_open();
    CHECK(strcmp(udp_ask(c, u, "PING"), "ERR 401 start each datagram with AUTH <token>") == 0);
    CHECK(strcmp(udp_ask(c, u, "AUTH nope PING"), "ERR 403 wrong token") == 0);
    CHECK(strcmp(udp_ask(c, u, "AUTH " TOKEN "x PING"), "ERR 403 wrong token") == 0);
    CHECK(strcmp(udp_ask(c, u, "AUTH " TOKEN " PING"), PONG) == 0);
    CHECK(strcmp(udp_ask(c, u, "AUTH " TOKEN " PING\r\n"), PONG) == 0);
    CHECK(starts(udp_ask(c, u, "AUTH " TOKEN), "ERR 400"));
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
    CHECK(is_line(c, &extra, "ERR 503 too many clients"));
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
    while (!served && mh_clock_now() < end) {   /* until the server has noticed */
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
    double end = mh_clock_now() + 4;
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

/* Runs mh_ctl_main in a child while this process serves c (may be NULL). */
static int run_ctl(mh_control *c, const char *const *args, char *out, char *errs, size_t size)
{
    char *argv[16];
    int argc = 0;
    for (; args[argc] && argc < 15; argc++)
        argv[argc] = (char *)args[argc];
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
    CHECK(run_ctl(c, (const char *[]){"ctl", "--addr", addr, "--token", TOKEN, "PING", NULL}, out, errs, sizeof out) == 0);
    CHECK(strcmp(out, PONG "\n") == 0);
    CHECK(run_ctl(c, (const char *[]){"ctl", "--addr", addr, "--token=" TOKEN, "NO", "SUCH", NULL}, out, errs,
                  sizeof out) == 1);
    CHECK(starts(out, "ERR "));
    CHECK(run_ctl(c, (const char *[]){"ctl", "--addr", addr, "--token", "wrong", "PING", NULL}, out, errs, sizeof out) == 1);
    CHECK_STR_CONTAINS(errs, "ERR 403 wrong token");
    CHECK(run_ctl(c, (const char *[]){"ctl", "--addr", addr, "PING", NULL}, out, errs, sizeof out) == 1);
    CHECK(strcmp(out, "ERR 401 send AUTH <token> first\n") == 0);
    CHECK(run_ctl(c, (const char *[]){"ctl", "--unix", path, "--timeout", "3", "PING", NULL}, out, errs, sizeof out) == 0);
    CHECK(strcmp(out, PONG "\n") == 0);
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
    struct sockaddr_in6 sa = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT,
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
    mh_commander_destroy(&g_cmd);
    mh_log_set_sink(NULL, NULL);
    return mh_test_done("test_control");
}
