/* mh_ctl.c - `metahall ctl`: send one operator command to a running kiosk.
 *
 *   metahall ctl [--addr HOST:PORT] [--unix PATH] [--token T | --token-file F] [--timeout S]
 *                [--out FILE.png] COMMAND [ARGS...]
 *
 * Joins COMMAND and ARGS with single spaces into one line, sends it over TCP
 * (or the Unix socket), prints the one reply line on stdout. With a token,
 * "AUTH <token>" goes first over TCP (the Unix socket needs none). A reply
 * "OK png <n>" is followed by n bytes of PNG: --out saves them (without it
 * they are read and dropped). Exit 0 on "OK ...", 1 on "ERR ...", 2 when
 * there is no usable reply (cannot connect, timeout, connection closed, not
 * a metahall reply) or on bad usage. Blocking is fine here: this runs as its
 * own short-lived process. */
#include "mh_control.h"
#include "mh_hostport.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "mh_secret.h"

#include "metahall_tools.h"

#define MH_CTL_DEFAULT_ADDR "127.0.0.1:7700"

#define MH_CTL_LINE_MAX (1024 * 1024) /* LIST of a big hall is long; more is not a kiosk */

typedef struct mh_ctl_opts {
    const char *addr, *unix_path, *token, *out;
    char token_buf[256];
    double timeout_s;
    char line[MH_COMMAND_MAX + 2]; /* the command, then "\n" */
    const char *target;            /* what messages call the kiosk */
} mh_ctl_opts;

typedef struct mh_ctl_conn {
    int fd;
    double deadline;
    size_t len;
    char *buf; /* received, not yet returned: MH_CTL_LINE_MAX + 2 bytes */
} mh_ctl_conn;

static void mh_ctl_usage(FILE *f)
{
    fprintf(f,
            "usage: metahall ctl [--addr HOST:PORT] [--unix PATH] [--token T | --token-file F] [--timeout S]\n"
            "                    [--out FILE.png] COMMAND [ARGS...]\n"
            "\n"
            "Sends one command to a kiosk running with --control and prints its reply.\n"
            "  --addr HOST:PORT  the kiosk's control address (default $METAHALL_ADDR or " MH_CTL_DEFAULT_ADDR ")\n"
            "  --unix PATH       use the kiosk's Unix socket instead of TCP\n"
            "  --token-file F    the shared token, the first line of F\n"
            "  --token T         the shared token (default $METAHALL_TOKEN; a file or the variable keep it out of ps)\n"
            "  --timeout S       seconds to wait for the reply (default 30: SWITCH waits for loading)\n"
            "  --out FILE.png    SCREENSHOT: save the image the kiosk sends back\n"
            "\n"
            "examples: metahall ctl PING    metahall ctl SWITCH qiantang    metahall ctl LIST\n"
            "          metahall ctl --out now.png SCREENSHOT\n"
            "exit status: 0 OK, 1 ERR, 2 no reply (cannot connect, timeout) or bad usage\n");
}

static int mh_ctl_bad_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int mh_ctl_bad_usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "metahall ctl: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    mh_ctl_usage(stderr);
    return 2;
}

/* "--name VALUE" or "--name=VALUE": true with *out_value, advancing *i. */
static bool mh_ctl_option(int argc, char **argv, int *i, const char *name, const char **out_value)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0)
        return false;
    if (argv[*i][n] == '=') {
        *out_value = argv[*i] + n + 1;
        return true;
    }
    if (argv[*i][n] != '\0')
        return false;
    *out_value = *i + 1 < argc ? argv[++*i] : NULL;
    return true;
}

/* Joins the command words; false (message printed) when it is not one line. */
static bool mh_ctl_join(int argc, char **argv, int first, mh_ctl_opts *o)
{
    size_t len = 0;
    for (int i = first; i < argc; i++) {
        size_t n = strlen(argv[i]);
        if (strpbrk(argv[i], "\r\n")) {
            fprintf(stderr, "metahall ctl: the command must be one line (an argument holds a line break)\n");
            return false;
        }
        if (len + (i > first) + n > MH_COMMAND_MAX) {
            fprintf(stderr, "metahall ctl: the command is longer than the %d bytes a kiosk accepts\n", MH_COMMAND_MAX);
            return false;
        }
        if (i > first)
            o->line[len++] = ' ';
        memcpy(o->line + len, argv[i], n);
        len += n;
    }
    o->line[len++] = '\n';
    o->line[len] = '\0';
    return true;
}

/* Returns -1 to go on, or the exit status. */
static int mh_ctl_parse(int argc, char **argv, mh_ctl_opts *o)
{
    const char *env_addr = getenv("METAHALL_ADDR"), *env_token = getenv("METAHALL_TOKEN");
    o->addr = env_addr && env_addr[0] ? env_addr : MH_CTL_DEFAULT_ADDR;
    o->token = env_token && env_token[0] ? env_token : NULL;
    o->timeout_s = 30;
    const char *value = NULL, *timeout = NULL, *token_file = NULL;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            mh_ctl_usage(stdout);
            return 0;
        }
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        const char **slot = mh_ctl_option(argc, argv, &i, "--addr", &value)         ? &o->addr
                            : mh_ctl_option(argc, argv, &i, "--unix", &value)       ? &o->unix_path
                            : mh_ctl_option(argc, argv, &i, "--token-file", &value) ? &token_file
                            : mh_ctl_option(argc, argv, &i, "--token", &value)      ? &o->token
                            : mh_ctl_option(argc, argv, &i, "--timeout", &value)    ? &timeout
                            : mh_ctl_option(argc, argv, &i, "--out", &value)        ? &o->out
                                                                                    : NULL;
        if (!slot)
            return mh_ctl_bad_usage("unknown option %s", argv[i]);
        if (!value)
            return mh_ctl_bad_usage("%s needs a value", argv[i]);
        *slot = value[0] ? value : NULL;
        if (slot == &o->token && o->token) {
            /* keep a copy, hide it from /proc/PID/cmdline (ps) */
            snprintf(o->token_buf, sizeof o->token_buf, "%s", o->token);
            o->token = o->token_buf;
            mh_secret_scrub(value);
        }
    }
    if (token_file) {
        mh_error err;
        char text[700];
        if (!mh_secret_read_file(token_file, o->token_buf, sizeof o->token_buf, &err)) {
            fprintf(stderr, "metahall ctl: %s\n", mh_error_text(&err, text, sizeof text));
            return 2;
        }
        o->token = o->token_buf;
    }
    if (timeout) {
        char *end;
        o->timeout_s = strtod(timeout, &end);
        if (*end || !(o->timeout_s > 0 && o->timeout_s <= 86400))
            return mh_ctl_bad_usage("--timeout %s: expected seconds, more than 0", timeout);
    }
    if (!o->addr && !o->unix_path)
        return mh_ctl_bad_usage("--addr is empty");
    if (o->token && strpbrk(o->token, " \r\n"))
        return mh_ctl_bad_usage("the token must not contain spaces or line breaks");
    if (i >= argc)
        return mh_ctl_bad_usage("no command given");
    if (!mh_ctl_join(argc, argv, i, o))
        return 2;
    o->target = o->unix_path ? o->unix_path : o->addr;
    return -1;
}

static int mh_ctl_remaining_ms(double deadline)
{
    double left = deadline - mh_clock_now();
    return left <= 0 ? 0 : (int)(left * 1000.0) + 1;
}

/* Waits for a non-blocking connect; 0 or an errno. */
static int mh_ctl_finish_connect(int fd, double deadline)
{
    struct pollfd p = {.fd = fd, .events = POLLOUT};
    int n = poll(&p, 1, mh_ctl_remaining_ms(deadline));
    if (n == 0)
        return ETIMEDOUT;
    if (n < 0)
        return errno;
    int e = 0;
    socklen_t len = sizeof e;
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len);
    return e;
}

static int mh_ctl_connect_to(int family, const struct sockaddr *sa, socklen_t len, double deadline, int *out_errno)
{
    int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        *out_errno = errno;
        return -1;
    }
    int e = connect(fd, sa, len) == 0 ? 0 : errno;
    if (e == EINPROGRESS)
        e = mh_ctl_finish_connect(fd, deadline);
    if (e != 0) {
        close(fd);
        *out_errno = e;
        return -1;
    }
    return fd;
}

/* HOST:PORT, [IPv6]:PORT; host names are resolved. */
static int mh_ctl_connect_tcp(const char *addr, double deadline, int *out_errno, const char **out_detail)
{
    char host[256], port[8];
    int port_number;
    if (!mh_hostport_split(addr, host, sizeof host, &port_number, -1)) {
        *out_detail = "expected HOST:PORT, e.g. 127.0.0.1:7700";
        return -1;
    }
    snprintf(port, sizeof port, "%d", port_number);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
    struct addrinfo *list = NULL;
    int rc = getaddrinfo(host, port, &hints, &list);
    if (rc != 0) {
        *out_detail = gai_strerror(rc);
        return -1;
    }
    int fd = -1;
    for (struct addrinfo *ai = list; ai && fd < 0; ai = ai->ai_next)
        fd = mh_ctl_connect_to(ai->ai_family, ai->ai_addr, ai->ai_addrlen, deadline, out_errno);
    freeaddrinfo(list);
    return fd;
}

static int mh_ctl_connect_unix(const char *path, double deadline, int *out_errno, const char **out_detail)
{
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof sun.sun_path) {
        *out_detail = "the socket path is too long";
        return -1;
    }
    memcpy(sun.sun_path, path, strlen(path) + 1);
    return mh_ctl_connect_to(AF_UNIX, (const struct sockaddr *)&sun, sizeof sun, deadline, out_errno);
}

static bool mh_ctl_connect(const mh_ctl_opts *o, mh_ctl_conn *conn)
{
    int e = 0;
    const char *detail = NULL;
    conn->len = 0;
    conn->fd = o->unix_path ? mh_ctl_connect_unix(o->unix_path, conn->deadline, &e, &detail)
                            : mh_ctl_connect_tcp(o->addr, conn->deadline, &e, &detail);
    if (conn->fd >= 0)
        return true;
    fprintf(stderr, "metahall ctl: cannot connect to %s: %s (is the kiosk running with --control?)\n", o->target,
            detail ? detail : strerror(e));
    return false;
}

static bool mh_ctl_send(const mh_ctl_opts *o, mh_ctl_conn *conn, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = send(conn->fd, data, len, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            data += n;
            len -= (size_t)n;
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EINTR) {
            fprintf(stderr, "metahall ctl: cannot send to %s: %s\n", o->target, strerror(errno));
            return false;
        }
        struct pollfd p = {.fd = conn->fd, .events = POLLOUT};
        if (poll(&p, 1, mh_ctl_remaining_ms(conn->deadline)) == 0) {
            fprintf(stderr, "metahall ctl: cannot send to %s: timed out after %g s\n", o->target, o->timeout_s);
            return false;
        }
    }
    return true;
}

/* Reads one reply line into out (without the line ending). */
static bool mh_ctl_read_line(const mh_ctl_opts *o, mh_ctl_conn *conn, char *out, size_t size)
{
    for (;;) {
        char *nl = memchr(conn->buf, '\n', conn->len);
        if (nl) {
            size_t n = (size_t)(nl - conn->buf);
            size_t keep = n > 0 && conn->buf[n - 1] == '\r' ? n - 1 : n;
            snprintf(out, size, "%.*s", (int)keep, conn->buf);
            conn->len -= n + 1;
            memmove(conn->buf, nl + 1, conn->len);
            return true;
        }
        if (conn->len == MH_CTL_LINE_MAX + 2) {
            fprintf(stderr, "metahall ctl: %s sent a line longer than %d bytes: not a metahall kiosk?\n", o->target,
                    MH_CTL_LINE_MAX);
            return false;
        }
        struct pollfd p = {.fd = conn->fd, .events = POLLIN};
        int ready = poll(&p, 1, mh_ctl_remaining_ms(conn->deadline));
        if (ready == 0) {
            fprintf(stderr, "metahall ctl: no reply from %s within %g s\n", o->target, o->timeout_s);
            return false;
        }
        ssize_t n = ready < 0 ? -1 : recv(conn->fd, conn->buf + conn->len, MH_CTL_LINE_MAX + 2 - conn->len, 0);
        if (n > 0) {
            conn->len += (size_t)n;
        } else if (n == 0) {
            fprintf(stderr, "metahall ctl: %s closed the connection without a reply\n", o->target);
            return false;
        } else if (errno != EINTR && errno != EAGAIN) {
            fprintf(stderr, "metahall ctl: reading from %s: %s\n", o->target, strerror(errno));
            return false;
        }
    }
}

static bool mh_ctl_starts(const char *reply, const char *word)
{
    size_t n = strlen(word);
    return strncmp(reply, word, n) == 0 && (reply[n] == '\0' || reply[n] == ' ');
}

/* Reads n bytes after the reply line: what is buffered, then the socket. */
static bool mh_ctl_read_bytes(const mh_ctl_opts *o, mh_ctl_conn *conn, FILE *to, size_t n)
{
    size_t take = conn->len < n ? conn->len : n;
    if (to && fwrite(conn->buf, 1, take, to) != take)
        return false;
    memmove(conn->buf, conn->buf + take, conn->len - take);
    conn->len -= take;
    for (n -= take; n > 0;) {
        struct pollfd p = {.fd = conn->fd, .events = POLLIN};
        if (poll(&p, 1, mh_ctl_remaining_ms(conn->deadline)) == 0) {
            fprintf(stderr, "metahall ctl: the image from %s did not arrive within %g s\n", o->target, o->timeout_s);
            return false;
        }
        ssize_t got = recv(conn->fd, conn->buf, n < MH_CTL_LINE_MAX ? n : MH_CTL_LINE_MAX, 0);
        if (got <= 0 && (got == 0 || (errno != EINTR && errno != EAGAIN))) {
            fprintf(stderr, "metahall ctl: %s closed the connection in the middle of the image\n", o->target);
            return false;
        }
        if (got > 0 && to && fwrite(conn->buf, 1, (size_t)got, to) != (size_t)got)
            return false;
        n -= got > 0 ? (size_t)got : 0;
    }
    return true;
}

/* "OK png <n>" (after an optional "#id "): the image follows; saved to --out. */
static int mh_ctl_image(const mh_ctl_opts *o, mh_ctl_conn *conn, const char *reply)
{
    const char *p = reply;
    if (*p == '#')
        p += strcspn(p, " ") + 1;
    unsigned long long n;
    char tail;
    if (sscanf(p, "OK png %llu%c", &n, &tail) != 1)
        return -1;
    FILE *f = o->out ? fopen(o->out, "wb") : NULL;
    if (o->out && !f) {
        fprintf(stderr, "metahall ctl: cannot write %s: %s\n", o->out, strerror(errno));
        mh_ctl_read_bytes(o, conn, NULL, (size_t)n);
        return 2;
    }
    bool ok = mh_ctl_read_bytes(o, conn, f, (size_t)n);
    if (f && fclose(f) != 0)
        ok = false;
    if (!ok) {
        if (o->out)
            remove(o->out);
        return 2;
    }
    if (o->out)
        fprintf(stderr, "metahall ctl: %llu bytes saved to %s\n", n, o->out);
    return 0;
}

static int mh_ctl_talk(const mh_ctl_opts *o, mh_ctl_conn *conn)
{
    static char reply[MH_CTL_LINE_MAX + 2];
    if (o->token && !o->unix_path) {
        char auth[MH_COMMAND_MAX + 8];
        int n = snprintf(auth, sizeof auth, "AUTH %s\n", o->token);
        if (n < 0 || (size_t)n >= sizeof auth) {
            fprintf(stderr, "metahall ctl: the token is too long\n");
            return 2;
        }
        if (!mh_ctl_send(o, conn, auth, (size_t)n) || !mh_ctl_read_line(o, conn, reply, sizeof reply))
            return 2;
        if (!mh_ctl_starts(reply, "OK")) {
            fprintf(stderr, "metahall ctl: %s refused the token: %s\n", o->target, reply);
            return 1;
        }
    }
    if (!mh_ctl_send(o, conn, o->line, strlen(o->line)) || !mh_ctl_read_line(o, conn, reply, sizeof reply))
        return 2;
    printf("%s\n", reply);
    int image = mh_ctl_image(o, conn, reply);
    if (image >= 0)
        return image;
    if (o->out)
        fprintf(stderr, "metahall ctl: --out: the reply carries no image\n");
    const char *word = reply[0] == '#' ? reply + strcspn(reply, " ") + 1 : reply;
    if (mh_ctl_starts(word, "OK"))
        return 0;
    if (mh_ctl_starts(word, "ERR"))
        return 1;
    fprintf(stderr, "metahall ctl: %s did not answer OK or ERR: not a metahall kiosk?\n", o->target);
    return 2;
}

int mh_ctl_main(int argc, char **argv)
{
    mh_ctl_opts o = {0};
    int rc = mh_ctl_parse(argc, argv, &o);
    if (rc >= 0)
        return rc;
    mh_ctl_conn conn = {.fd = -1, .deadline = mh_clock_now() + o.timeout_s, .buf = malloc(MH_CTL_LINE_MAX + 2)};
    if (!conn.buf || !mh_ctl_connect(&o, &conn)) {
        free(conn.buf);
        return 2;
    }
    rc = mh_ctl_talk(&o, &conn);
    close(conn.fd);
    free(conn.buf);
    fflush(stdout);
    return rc;
}
