/* mh_control.c - the central-control (中控) servers: TCP, UDP, Unix socket.
 * One job in one file (about 900 lines): moving command lines between
 * sockets and the commander; the three transports share the listening,
 * client, pending-reply, limit and AUTH machinery below.
 *
 * Everything here is non-blocking and runs on the main thread: the main loop
 * calls mh_control_poll once per frame, which does one bounded pass (accept,
 * read, run, answer) and returns. Each TCP/Unix client has a small line
 * buffer and an output buffer; its lines run strictly one after the other,
 * so while a command's reply is pending (SWITCH loading) its later lines wait
 * in the buffer and the client is not read (TCP pushes back on the sender).
 *
 * Limits, so that a flood or garbage never stalls rendering or eats memory:
 *   - at most MH_CONTROL_BUDGET command lines per poll, all clients and UDP
 *     together (the rest waits for the next frame); clients are served in
 *     rotating order so one busy client cannot starve the others;
 *   - at most MH_CONTROL_READ_CAP bytes read from one client per poll;
 *   - a line longer than MH_COMMAND_MAX gets one ERR 413 and is skipped up
 *     to its newline without being buffered;
 *   - a client whose unsent replies pass MH_CONTROL_OUT_CAP is dropped;
 *   - a token bucket per client and per UDP sender address (rate_limit
 *     commands per second, burst = rate_limit) answers ERR 429 past it.
 *
 * UDP: one command per datagram; trailing CR/LF are stripped, and a datagram
 * that still holds a newline is refused with ERR 400 (no reply would say
 * which of its lines it answers). Empty datagrams are ignored.
 *
 * The transport owns AUTH (the commander knows no token): replies 401, 403,
 * 413, 429 and 503 come from here, everything else from mh_commander_exec. */
#include "mh_control.h"
#include "mh_hostport.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "metahall_tools.h"

enum {
    MH_CONTROL_IN_SIZE = 4096,          /* a client's line buffer (> MH_COMMAND_MAX + 2) */
    MH_CONTROL_READ_CAP = 64 * 1024,    /* bytes read from one client per poll */
    MH_CONTROL_BUDGET = 1000,           /* command lines handled per poll, in total */
    MH_CONTROL_OUT_CAP = 256 * 1024,    /* unsent reply bytes before a client is dropped */
    MH_CONTROL_ACCEPT_MAX = 16,         /* connections accepted per listener per poll */
    MH_CONTROL_UDP_PENDING = 64,        /* UDP replies waiting for a slow command */
    MH_CONTROL_PENDING_MAX = 128,       /* those + replies owed to clients that left */
    MH_CONTROL_UDP_PEERS = 64,          /* rate buckets of UDP senders (least recently used goes) */
    MH_CONTROL_AUTH_TRIES = 3,          /* wrong tokens before a connection is closed */
    MH_CONTROL_DGRAM_SIZE = 8192,       /* longer datagrams are answered 413 */
    MH_CONTROL_LINGER_S = 5,            /* a closing client's replies get this long to leave */
};

#define MH_CONTROL_SEND_FLAGS (MSG_DONTWAIT | MSG_NOSIGNAL)

typedef struct mh_bucket {
    double tokens, last_s;
} mh_bucket;

typedef struct mh_client {
    int fd;                     /* -1: a free slot */
    bool is_unix, authed;
    bool waiting;               /* reply is pending: later lines wait */
    bool discarding;            /* skipping the rest of an over-long line */
    bool hangup;                /* close once the replies are sent */
    double hangup_s;
    int wrong_auth;
    short revents;              /* from this poll's poll(2) */
    mh_bucket bucket;
    mh_reply reply;
    char peer[136];             /* "127.0.0.1:5555", "[::1]:5555", "unix:PATH" */
    size_t in_len;
    char in[MH_CONTROL_IN_SIZE];
    char *out;                  /* unsent bytes are out[out_head..out_len) */
    size_t out_head, out_len, out_cap;
} mh_client;

/* A pending reply owed to a UDP sender, or to a client that has left (then
 * it is resolved and thrown away, so the commander's ticket is not lost). */
typedef struct mh_pending {
    bool used, udp;
    mh_reply reply;
    struct sockaddr_storage peer;
    socklen_t peer_len;
} mh_pending;

typedef struct mh_udp_peer {
    int family;                 /* 0: unused */
    unsigned char ip[16];
    uint64_t stamp;             /* last use, for least-recently-used replacement */
    mh_bucket bucket;
} mh_udp_peer;

struct mh_control {
    mh_commander *commander;
    int tcp_fd, udp_fd, unix_fd;
    int port;
    char addr[128];
    char unix_path[sizeof(((struct sockaddr_un *)0)->sun_path)];  /* "" until bound */
    char *token;                /* NULL: none */
    size_t token_len;
    int max_clients, rate;
    int budget;                 /* lines left in this poll */
    unsigned polls;
    mh_client *clients;         /* max_clients slots */
    struct pollfd *pfds;        /* 3 listeners + clients */
    short listen_revents[3];
    mh_pending pending[MH_CONTROL_PENDING_MAX];
    int udp_pending;
    mh_udp_peer peers[MH_CONTROL_UDP_PEERS];
    uint64_t peer_stamp;
    char dgram[MH_CONTROL_DGRAM_SIZE];
};

static const char mh_reply_401[] = "ERR 401 send AUTH <token> first";
static const char mh_reply_403[] = "ERR 403 wrong token";
static const char mh_reply_413[] = "ERR 413 line too long (max 512 bytes)";

_Static_assert(MH_COMMAND_MAX == 512, "mh_reply_413 names the limit");
_Static_assert(MH_CONTROL_IN_SIZE > MH_COMMAND_MAX + 2, "a whole line fits the buffer");

/* ---- small helpers ----------------------------------------------------- */

static bool mh_bucket_take(mh_bucket *b, int rate, double now)
{
    b->tokens += (now - b->last_s) * rate;
    if (b->tokens > rate)
        b->tokens = rate;
    b->last_s = now;
    if (b->tokens < 1.0)
        return false;
    b->tokens -= 1.0;
    return true;
}

/* Compares in time that depends on the given length only, never on where
 * the first wrong byte is. */
static bool mh_control_token_ok(const mh_control *c, const char *given, size_t len)
{
    unsigned diff = len != c->token_len;
    for (size_t i = 0; i < len; i++)
        diff |= (unsigned char)given[i] ^ (unsigned char)c->token[i % c->token_len];
    return diff == 0;
}

/* "AUTH" or "AUTH ..." (any case): true with *out_arg at the argument. */
static bool mh_is_auth(const char *line, size_t len, size_t *out_arg)
{
    if (len < 4 || strncasecmp(line, "AUTH", 4) != 0 || (len > 4 && line[4] != ' '))
        return false;
    *out_arg = len > 4 ? 5 : 4;
    return true;
}

static void mh_peer_name(const struct sockaddr_storage *ss, char *out, size_t size)
{
    char host[INET6_ADDRSTRLEN] = "?";
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *in4 = (const struct sockaddr_in *)ss;
        inet_ntop(AF_INET, &in4->sin_addr, host, sizeof host);
        snprintf(out, size, "%s:%u", host, (unsigned)ntohs(in4->sin_port));
    } else if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;
        inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
        snprintf(out, size, "[%s]:%u", host, (unsigned)ntohs(in6->sin6_port));
    } else {
        snprintf(out, size, "unknown peer");
    }
}

/* ---- addresses and listening sockets ----------------------------------- */

/* "HOST:PORT" with HOST an IPv4 address, "localhost" or "[IPv6]". */
static bool mh_parse_addr(const char *text, struct sockaddr_storage *out, socklen_t *out_len, mh_error *err)
{
    char host[64];
    int port = 0;
    bool v6 = text[0] == '[';
    if (!mh_hostport_split(text, host, sizeof host, &port, -1))
        return mh_fail(err, "", "", "control address %s is malformed: expected HOST:PORT, e.g. 127.0.0.1:7700 "
                       "or [::1]:7700 (port 0 to 65535)", text);
    memset(out, 0, sizeof *out);
    struct sockaddr_in *in4 = (struct sockaddr_in *)out;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)out;
    if (!v6 && strcasecmp(host, "localhost") == 0)
        snprintf(host, sizeof host, "127.0.0.1");
    if (!v6 && inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t)port);
        *out_len = sizeof *in4;
        return true;
    }
    if (v6 && inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)port);
        *out_len = sizeof *in6;
        return true;
    }
    return mh_fail(err, "", "", "control address %s is malformed: the host must be an IPv4 address, "
                   "localhost or [IPv6] (no host names)", text);
}

static bool mh_addr_is_loopback(const struct sockaddr_storage *ss)
{
    if (ss->ss_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr) >> 24) == 127;
    const struct in6_addr *a = &((const struct sockaddr_in6 *)ss)->sin6_addr;
    return IN6_IS_ADDR_LOOPBACK(a) || (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
}

static int mh_addr_port(const struct sockaddr_storage *ss)
{
    return ntohs(ss->ss_family == AF_INET ? ((const struct sockaddr_in *)ss)->sin_port
                                          : ((const struct sockaddr_in6 *)ss)->sin6_port);
}

static void mh_addr_set_port(struct sockaddr_storage *ss, int port)
{
    if (ss->ss_family == AF_INET)
        ((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
    else
        ((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
}

/* A bound, non-blocking socket (listening when a stream), or -1 with *out_errno. */
static int mh_listen_socket(int family, int type, const void *sa, socklen_t len, int *out_errno)
{
    int one = 1;
    int fd = socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        *out_errno = errno;
        return -1;
    }
    if (type == SOCK_STREAM && family != AF_UNIX)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (family == AF_INET6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    if (bind(fd, (const struct sockaddr *)sa, len) != 0 || (type == SOCK_STREAM && listen(fd, 16) != 0)) {
        *out_errno = errno;
        close(fd);
        return -1;
    }
    return fd;
}

static bool mh_control_fail_bind(const char *addr, const char *what, int e, mh_error *err)
{
    return mh_fail(err, "", "", "cannot listen on control address %s (%s): %s%s", addr, what, strerror(e),
                   e == EADDRINUSE ? " (is another metahall or program using the port?)" : "");
}

/* TCP then UDP on the same address and port. With port 0 the kernel picks
 * the TCP port; when UDP happens to have that one taken, try another. */
static bool mh_control_open_inet(mh_control *c, const char *addr, mh_error *err)
{
    struct sockaddr_storage ss;
    socklen_t len;
    if (!mh_parse_addr(addr, &ss, &len, err))
        return false;
    if (!mh_addr_is_loopback(&ss) && !c->token)
        return mh_fail(err, "", "", "control address %s is reachable from the network: set a token "
                       "(token = ... in the config or --token) or bind 127.0.0.1", addr);
    int want = mh_addr_port(&ss);
    for (int attempt = 0; attempt < 8; attempt++) {
        int e = 0;
        mh_addr_set_port(&ss, want);
        c->tcp_fd = mh_listen_socket(ss.ss_family, SOCK_STREAM, &ss, len, &e);
        if (c->tcp_fd < 0)
            return mh_control_fail_bind(addr, "TCP", e, err);
        struct sockaddr_storage bound;
        socklen_t bound_len = sizeof bound;
        getsockname(c->tcp_fd, (struct sockaddr *)&bound, &bound_len);
        int port = mh_addr_port(&bound);
        mh_addr_set_port(&ss, port);
        c->udp_fd = mh_listen_socket(ss.ss_family, SOCK_DGRAM, &ss, len, &e);
        if (c->udp_fd >= 0) {
            c->port = port;
            return true;
        }
        close(c->tcp_fd);
        c->tcp_fd = -1;
        if (want != 0 || e != EADDRINUSE)
            return mh_control_fail_bind(addr, "UDP", e, err);
    }
    return mh_fail(err, "", "", "cannot listen on control address %s: found no port free for both TCP and UDP", addr);
}

/* A socket file left by a kiosk that died goes; a live one or any other
 * kind of file stays and is an error. */
static bool mh_control_clear_stale(const char *path, const struct sockaddr_un *sun, mh_error *err)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return true;
    if (!S_ISSOCK(st.st_mode))
        return mh_fail(err, path, "", "cannot create the control socket: the path exists and is not a socket");
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    bool alive = fd >= 0 && (connect(fd, (const struct sockaddr *)sun, sizeof *sun) == 0 || errno == EAGAIN);
    if (fd >= 0)
        close(fd);
    if (alive)
        return mh_fail(err, path, "", "the control socket is in use by a running program (another metahall?)");
    unlink(path);
    return true;
}

static bool mh_control_open_unix(mh_control *c, const char *path, mh_error *err)
{
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof sun.sun_path)
        return mh_fail(err, path, "", "the control socket path is longer than %zu bytes", sizeof sun.sun_path - 1);
    memcpy(sun.sun_path, path, strlen(path) + 1);
    if (!mh_control_clear_stale(path, &sun, err))
        return false;
    int e = 0;
    c->unix_fd = mh_listen_socket(AF_UNIX, SOCK_STREAM, &sun, sizeof sun, &e);
    if (c->unix_fd < 0)
        return mh_fail(err, path, "", "cannot listen on the control socket: %s", strerror(e));
    snprintf(c->unix_path, sizeof c->unix_path, "%s", path);   /* ours now: unlinked on close */
    if (chmod(path, 0600) != 0)
        return mh_fail(err, path, "", "cannot make the control socket private (chmod 0600): %s", strerror(errno));
    return true;
}

static bool mh_control_set_token(mh_control *c, const char *token, mh_error *err)
{
    if (!token || !token[0])
        return true;
    for (const char *p = token; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            return mh_fail(err, "", "", "the control token must not contain spaces or control characters");
    c->token_len = strlen(token);
    c->token = malloc(c->token_len + 1);
    if (!c->token)
        return mh_fail(err, "", "", "out of memory");
    memcpy(c->token, token, c->token_len + 1);
    return true;
}

/* ---- pending replies (UDP senders, clients that left) ------------------ */

static int mh_control_pending_free(const mh_control *c)
{
    int n = 0;
    for (int i = 0; i < MH_CONTROL_PENDING_MAX; i++)
        n += !c->pending[i].used;
    return n;
}

static bool mh_control_keep_pending(mh_control *c, const mh_reply *r, const struct sockaddr_storage *peer,
                                    socklen_t peer_len)
{
    for (int i = 0; i < MH_CONTROL_PENDING_MAX; i++) {
        mh_pending *p = &c->pending[i];
        if (p->used)
            continue;
        p->used = true;
        p->udp = peer != NULL;
        p->reply = *r;
        if (peer) {
            p->peer = *peer;
            p->peer_len = peer_len;
            c->udp_pending++;
        }
        return true;
    }
    mh_log_warn("control", "too many pending replies: dropped ticket %u", (unsigned)r->ticket);
    return false;
}

static void mh_udp_send(mh_control *c, const struct sockaddr_storage *peer, socklen_t peer_len, const char *text)
{
    /* lossy like UDP itself: a full socket buffer drops the reply */
    sendto(c->udp_fd, text, strlen(text), MH_CONTROL_SEND_FLAGS, (const struct sockaddr *)peer, peer_len);
}

static void mh_control_resolve_pending(mh_control *c)
{
    for (int i = 0; i < MH_CONTROL_PENDING_MAX; i++) {
        mh_pending *p = &c->pending[i];
        if (!p->used || !mh_commander_poll(c->commander, &p->reply))
            continue;
        if (p->udp) {
            mh_udp_send(c, &p->peer, p->peer_len, p->reply.text);
            c->udp_pending--;
        }
        p->used = false;
    }
}

/* ---- TCP and Unix clients ---------------------------------------------- */

static void mh_client_drop(mh_control *c, mh_client *cl, const char *why)
{
    mh_log_debug("control", "%s: %s", cl->peer, why);
    if (cl->waiting)
        mh_control_keep_pending(c, &cl->reply, NULL, 0);
    close(cl->fd);
    free(cl->out);
    cl->fd = -1;
    cl->out = NULL;
    cl->waiting = false;
    cl->in_len = cl->out_head = cl->out_len = cl->out_cap = 0;
}

static int mh_control_client_count(const mh_control *c)
{
    int n = 0;
    for (int i = 0; i < c->max_clients; i++)
        n += c->clients[i].fd >= 0;
    return n;
}

/* Queues one reply line; drops the client when it has stopped reading. */
static void mh_client_send(mh_control *c, mh_client *cl, const char *text)
{
    size_t n = strlen(text) + 1, queued = cl->out_len - cl->out_head;
    if (queued + n > MH_CONTROL_OUT_CAP) {
        mh_log_warn("control", "%s: dropped, it does not read its replies (%zu bytes waiting)", cl->peer, queued);
        mh_client_drop(c, cl, "dropped");
        return;
    }
    if (cl->out_head > 0) {
        memmove(cl->out, cl->out + cl->out_head, queued);
        cl->out_head = 0;
        cl->out_len = queued;
    }
    if (cl->out_len + n > cl->out_cap) {
        size_t cap = cl->out_cap ? cl->out_cap * 2 : 1024;
        while (cap < cl->out_len + n)
            cap *= 2;
        char *out = realloc(cl->out, cap);
        if (!out) {
            mh_client_drop(c, cl, "out of memory for replies");
            return;
        }
        cl->out = out;
        cl->out_cap = cap;
    }
    memcpy(cl->out + cl->out_len, text, n - 1);
    cl->out[cl->out_len + n - 1] = '\n';
    cl->out_len += n;
}

static void mh_client_auth(mh_control *c, mh_client *cl, const char *arg, size_t len)
{
    if (!c->token) {
        mh_client_send(c, cl, "ERR 400 no token is configured");
        return;
    }
    if (mh_control_token_ok(c, arg, len)) {
        cl->authed = true;
        cl->wrong_auth = 0;
        mh_log_debug("control", "%s: authenticated", cl->peer);
        mh_client_send(c, cl, "OK authenticated");
        return;
    }
    cl->wrong_auth++;
    mh_log_warn("control", "%s: wrong token (%d of %d tries)", cl->peer, cl->wrong_auth, MH_CONTROL_AUTH_TRIES);
    mh_client_send(c, cl, mh_reply_403);
    if (cl->wrong_auth >= MH_CONTROL_AUTH_TRIES && cl->fd >= 0) {
        cl->hangup = true;
        cl->hangup_s = mh_clock_now();
    }
}

static void mh_client_exec(mh_control *c, mh_client *cl, const char *line, size_t len)
{
    cl->reply.ticket = 0;
    cl->reply.text[0] = '\0';
    unsigned flags = cl->authed ? MH_CMD_AUTHED : 0;
    if (mh_commander_exec(c->commander, line, len, flags, &cl->reply))
        mh_client_send(c, cl, cl->reply.text);
    else if (cl->reply.ticket != 0)
        cl->waiting = true;
    else
        mh_client_send(c, cl, "ERR 500 internal error: the command gave no reply");
}

/* Only spaces and tabs (or nothing): such a line gets no reply. */
static bool mh_blank(const char *line, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (line[i] != ' ' && line[i] != '\t')
            return false;
    return true;
}

/* One complete line (without its '\n'), maybe longer than allowed. */
static void mh_client_line(mh_control *c, mh_client *cl, const char *line, size_t len)
{
    if (len > 0 && line[len - 1] == '\r')
        len--;
    if (mh_blank(line, len))
        return;
    c->budget--;
    size_t arg;
    if (!mh_bucket_take(&cl->bucket, c->rate, mh_clock_now())) {
        char text[64];
        snprintf(text, sizeof text, "ERR 429 rate limit (%d commands/s)", c->rate);
        mh_client_send(c, cl, text);
    } else if (len > MH_COMMAND_MAX) {
        mh_client_send(c, cl, mh_reply_413);
    } else if (mh_is_auth(line, len, &arg)) {
        mh_client_auth(c, cl, line + arg, len - arg);
    } else if (c->token && !cl->authed) {
        mh_client_send(c, cl, mh_reply_401);
    } else {
        mh_client_exec(c, cl, line, len);
    }
}

static bool mh_client_ready(const mh_control *c, const mh_client *cl)
{
    return cl->fd >= 0 && !cl->waiting && !cl->hangup && c->budget > 0;
}

/* Runs the complete lines in the buffer, in order, as far as the budget and
 * a pending reply allow. An over-long line is answered as soon as it passes
 * the limit; its rest is skipped as it arrives. */
static void mh_client_run_lines(mh_control *c, mh_client *cl)
{
    size_t start = 0;
    while (mh_client_ready(c, cl)) {
        char *line = cl->in + start;
        size_t avail = cl->in_len - start;
        char *nl = memchr(line, '\n', avail);
        if (nl) {
            size_t len = (size_t)(nl - line);
            if (!cl->discarding)
                mh_client_line(c, cl, line, len);
            cl->discarding = false;
            start += len + 1;
            continue;
        }
        if (cl->discarding) {
            start = cl->in_len;
        } else if (avail > MH_COMMAND_MAX + 1) {   /* + 1: a '\r' may still end it */
            mh_client_line(c, cl, line, avail);
            cl->discarding = true;
            start = cl->in_len;
        }
        break;
    }
    if (cl->fd < 0 || start == 0)
        return;
    memmove(cl->in, cl->in + start, cl->in_len - start);
    cl->in_len -= start;
}

static void mh_client_resolve(mh_control *c, mh_client *cl)
{
    if (!cl->waiting || !mh_commander_poll(c->commander, &cl->reply))
        return;
    cl->waiting = false;
    mh_client_send(c, cl, cl->reply.text);
}

/* Resolves, runs buffered lines, and reads more while they keep running. */
static void mh_client_serve(mh_control *c, mh_client *cl)
{
    size_t got = 0;
    mh_client_resolve(c, cl);
    for (;;) {
        mh_client_run_lines(c, cl);
        if (!mh_client_ready(c, cl) || got >= MH_CONTROL_READ_CAP || cl->in_len == sizeof cl->in ||
            !(cl->revents & (POLLIN | POLLHUP | POLLERR)))
            return;
        ssize_t n = recv(cl->fd, cl->in + cl->in_len, sizeof cl->in - cl->in_len, MSG_DONTWAIT);
        if (n > 0) {
            cl->in_len += (size_t)n;
            got += (size_t)n;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
            cl->revents = 0;
        } else {
            /* the peer is done sending: an unfinished line is thrown away,
             * the replies already queued still go out */
            cl->in_len = 0;
            cl->hangup = true;
            cl->hangup_s = mh_clock_now();
            if (n < 0)
                mh_client_drop(c, cl, strerror(errno));
            return;
        }
    }
}

static void mh_client_flush(mh_control *c, mh_client *cl)
{
    while (cl->out_head < cl->out_len) {
        ssize_t n = send(cl->fd, cl->out + cl->out_head, cl->out_len - cl->out_head, MH_CONTROL_SEND_FLAGS);
        if (n > 0) {
            cl->out_head += (size_t)n;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
            break;
        } else {
            mh_client_drop(c, cl, "connection lost");
            return;
        }
    }
    if (cl->out_head == cl->out_len)
        cl->out_head = cl->out_len = 0;
    if (cl->hangup && !cl->waiting &&
        (cl->out_len == 0 || mh_clock_now() - cl->hangup_s > MH_CONTROL_LINGER_S))
        mh_client_drop(c, cl, "disconnected");
}

static mh_client *mh_control_free_slot(mh_control *c)
{
    for (int i = 0; i < c->max_clients; i++)
        if (c->clients[i].fd < 0)
            return &c->clients[i];
    return NULL;
}

static void mh_control_add_client(mh_control *c, int fd, bool is_unix, const char *peer)
{
    static const char busy[] = "ERR 503 too many clients\n";
    mh_client *cl = mh_control_free_slot(c);
    if (!cl) {
        mh_log_warn("control", "%s: refused, already %d clients", peer, c->max_clients);
        (void)!send(fd, busy, sizeof busy - 1, MH_CONTROL_SEND_FLAGS);
        close(fd);
        return;
    }
    memset(cl, 0, offsetof(mh_client, in));
    cl->fd = fd;
    cl->is_unix = is_unix;
    cl->authed = is_unix;
    cl->revents = POLLIN;   /* read it in this poll already */
    cl->bucket = (mh_bucket){.tokens = c->rate, .last_s = mh_clock_now()};
    snprintf(cl->peer, sizeof cl->peer, "%s", peer);
    mh_log_debug("control", "%s: connected (%d of %d clients)", peer, mh_control_client_count(c), c->max_clients);
}

static void mh_control_accept(mh_control *c, int listen_fd, bool is_unix)
{
    for (int i = 0; i < MH_CONTROL_ACCEPT_MAX; i++) {
        struct sockaddr_storage ss;
        socklen_t len = sizeof ss;
        int fd = accept(listen_fd, (struct sockaddr *)&ss, &len);
        if (fd < 0) {
            if (errno == ECONNABORTED || errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                mh_log_warn("control", "accept on %s: %s", is_unix ? c->unix_path : c->addr, strerror(errno));
            return;
        }
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        fcntl(fd, F_SETFD, FD_CLOEXEC);
        char peer[sizeof c->clients[0].peer];
        if (is_unix)
            snprintf(peer, sizeof peer, "unix:%s", c->unix_path);
        else
            mh_peer_name(&ss, peer, sizeof peer);
        mh_control_add_client(c, fd, is_unix, peer);
    }
}

/* ---- UDP --------------------------------------------------------------- */

static mh_bucket *mh_udp_bucket(mh_control *c, const struct sockaddr_storage *peer)
{
    unsigned char ip[16] = {0};
    if (peer->ss_family == AF_INET)
        memcpy(ip, &((const struct sockaddr_in *)peer)->sin_addr, 4);
    else
        memcpy(ip, &((const struct sockaddr_in6 *)peer)->sin6_addr, 16);
    mh_udp_peer *oldest = &c->peers[0];
    for (int i = 0; i < MH_CONTROL_UDP_PEERS; i++) {
        mh_udp_peer *p = &c->peers[i];
        if (p->family == peer->ss_family && memcmp(p->ip, ip, sizeof ip) == 0) {
            p->stamp = ++c->peer_stamp;
            return &p->bucket;
        }
        if (p->stamp < oldest->stamp)
            oldest = p;
    }
    oldest->family = peer->ss_family;
    memcpy(oldest->ip, ip, sizeof ip);
    oldest->stamp = ++c->peer_stamp;
    oldest->bucket = (mh_bucket){.tokens = c->rate, .last_s = mh_clock_now()};
    return &oldest->bucket;
}

/* With a token, "AUTH <token> COMMAND": true with the command, or false
 * with the refusal in *out_refusal. */
static bool mh_udp_unwrap(mh_control *c, const struct sockaddr_storage *peer, const char **line, size_t *len,
                          const char **out_refusal)
{
    size_t arg;
    bool auth = mh_is_auth(*line, *len, &arg);
    if (!c->token) {
        *out_refusal = auth ? "ERR 400 no token is configured" : NULL;
        return !auth;
    }
    if (!auth) {
        *out_refusal = "ERR 401 start each datagram with AUTH <token>";
        return false;
    }
    const char *tok = *line + arg;
    size_t rest = *len - arg;
    const char *space = memchr(tok, ' ', rest);
    size_t tok_len = space ? (size_t)(space - tok) : rest;
    if (!mh_control_token_ok(c, tok, tok_len)) {
        char name[80];
        mh_peer_name(peer, name, sizeof name);
        mh_log_warn("control", "udp %s: wrong token", name);
        *out_refusal = mh_reply_403;
        return false;
    }
    if (!space || space + 1 == tok + rest) {
        *out_refusal = "ERR 400 AUTH <token> must be followed by a command in the same datagram";
        return false;
    }
    *line = space + 1;
    *len = rest - tok_len - 1;
    return true;
}

static void mh_control_datagram(mh_control *c, const struct sockaddr_storage *peer, socklen_t peer_len, size_t size)
{
    bool truncated = size > sizeof c->dgram;
    size_t len = truncated ? sizeof c->dgram : size;
    const char *line = c->dgram, *refusal = NULL;
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        len--;
    if (mh_blank(line, len))
        return;
    char text[64];
    if (!mh_bucket_take(mh_udp_bucket(c, peer), c->rate, mh_clock_now())) {
        snprintf(text, sizeof text, "ERR 429 rate limit (%d commands/s)", c->rate);
        refusal = text;
    } else if (!mh_udp_unwrap(c, peer, &line, &len, &refusal)) {
        /* refusal set */
    } else if (truncated || len > MH_COMMAND_MAX) {
        refusal = mh_reply_413;
    } else if (memchr(line, '\n', len)) {
        refusal = "ERR 400 one command per datagram";
    } else if (c->udp_pending >= MH_CONTROL_UDP_PENDING || mh_control_pending_free(c) == 0) {
        refusal = "ERR 503 busy";
    }
    if (refusal) {
        mh_udp_send(c, peer, peer_len, refusal);
        return;
    }
    mh_reply r = {.ticket = 0};
    unsigned flags = c->token ? MH_CMD_AUTHED : 0;
    if (mh_commander_exec(c->commander, line, len, flags, &r))
        mh_udp_send(c, peer, peer_len, r.text);
    else if (r.ticket != 0)
        mh_control_keep_pending(c, &r, peer, peer_len);
    else
        mh_udp_send(c, peer, peer_len, "ERR 500 internal error: the command gave no reply");
}

static void mh_control_serve_udp(mh_control *c)
{
    if (!(c->listen_revents[1] & POLLIN))
        return;
    while (c->budget > 0) {
        struct sockaddr_storage peer;
        socklen_t peer_len = sizeof peer;
        ssize_t n = recvfrom(c->udp_fd, c->dgram, sizeof c->dgram, MSG_DONTWAIT | MSG_TRUNC,
                             (struct sockaddr *)&peer, &peer_len);
        if (n < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                mh_log_debug("control", "udp %s: %s", c->addr, strerror(errno));
            return;
        }
        c->budget--;   /* every datagram, so empty ones cannot keep this loop going */
        if (peer.ss_family == AF_INET || peer.ss_family == AF_INET6)
            mh_control_datagram(c, &peer, peer_len, (size_t)n);
    }
}

/* ---- the public API ---------------------------------------------------- */

/* Zero means default: 16 clients, 500 commands a second; no address, Unix
 * socket or token means none. */
static mh_control_desc control_desc_defaults(const mh_control_desc *d)
{
    mh_control_desc r = *d;
    r.addr = d->addr ? d->addr : "";
    r.unix_path = d->unix_path ? d->unix_path : "";
    r.max_clients = d->max_clients > 0 ? d->max_clients : 16;
    r.rate_limit = d->rate_limit > 0 ? d->rate_limit : 500;
    return r;
}

mh_control *mh_control_open(const mh_control_desc *user_desc, mh_error *err)
{
    mh_control_desc resolved = user_desc ? control_desc_defaults(user_desc) : (mh_control_desc){0};
    const mh_control_desc *desc = &resolved;
    if (!desc->commander) {
        mh_fail(err, "", "", "the control server needs a commander");
        return NULL;
    }
    mh_control *c = calloc(1, sizeof *c);
    if (!c) {
        mh_fail(err, "", "", "out of memory for the control server");
        return NULL;
    }
    c->tcp_fd = c->udp_fd = c->unix_fd = -1;
    c->commander = desc->commander;
    c->max_clients = desc->max_clients;
    c->rate = desc->rate_limit;
    snprintf(c->addr, sizeof c->addr, "%s", desc->addr);
    c->clients = calloc((size_t)c->max_clients, sizeof *c->clients);
    c->pfds = calloc((size_t)c->max_clients + 3, sizeof *c->pfds);
    if (!c->clients || !c->pfds) {
        mh_fail(err, "", "", "out of memory for %d control clients", c->max_clients);
        goto fail;
    }
    for (int i = 0; i < c->max_clients; i++)
        c->clients[i].fd = -1;
    if (!mh_control_set_token(c, desc->token, err))
        goto fail;
    if (c->addr[0] && !mh_control_open_inet(c, c->addr, err))
        goto fail;
    if (desc->unix_path[0] && !mh_control_open_unix(c, desc->unix_path, err))
        goto fail;
    if (c->tcp_fd >= 0)
        mh_log_info("control", "listening on %s (TCP and UDP, port %d)%s", c->addr, c->port,
                    c->token ? ", token required" : "");
    if (c->unix_fd >= 0)
        mh_log_info("control", "listening on the Unix socket %s", c->unix_path);
    return c;
fail:
    mh_control_close(&c);
    return NULL;
}

/* poll(2) with no wait: which listeners and clients have something. */
static void mh_control_check(mh_control *c)
{
    int listen_fds[3] = {c->tcp_fd, c->udp_fd, c->unix_fd};
    nfds_t n = 0;
    for (int i = 0; i < 3; i++)
        c->pfds[n++] = (struct pollfd){.fd = listen_fds[i], .events = POLLIN};
    for (int i = 0; i < c->max_clients; i++)
        c->pfds[n++] = (struct pollfd){.fd = c->clients[i].fd, .events = POLLIN};
    if (poll(c->pfds, n, 0) < 0) {
        for (nfds_t i = 0; i < n; i++)
            c->pfds[i].revents = c->pfds[i].fd >= 0 ? POLLIN : 0;   /* EINTR: just try them */
    }
    for (int i = 0; i < 3; i++)
        c->listen_revents[i] = c->pfds[i].revents;
    for (int i = 0; i < c->max_clients; i++)
        c->clients[i].revents = c->pfds[3 + i].revents;
}

static void mh_control_serve_clients(mh_control *c)
{
    int first = (int)(c->polls % (unsigned)c->max_clients);
    for (int i = 0; i < c->max_clients; i++) {
        mh_client *cl = &c->clients[(first + i) % c->max_clients];
        if (cl->fd >= 0)
            mh_client_serve(c, cl);
    }
}

void mh_control_poll(mh_control *c)
{
    if (!c)
        return;
    c->budget = MH_CONTROL_BUDGET;
    mh_control_check(c);
    mh_control_resolve_pending(c);
    if (c->listen_revents[0] & POLLIN)
        mh_control_accept(c, c->tcp_fd, false);
    if (c->listen_revents[2] & POLLIN)
        mh_control_accept(c, c->unix_fd, true);
    if (c->polls & 1) {   /* alternate, so neither side can starve the other */
        mh_control_serve_udp(c);
        mh_control_serve_clients(c);
    } else {
        mh_control_serve_clients(c);
        mh_control_serve_udp(c);
    }
    for (int i = 0; i < c->max_clients; i++)
        if (c->clients[i].fd >= 0)
            mh_client_flush(c, &c->clients[i]);
    c->polls++;
}

void mh_control_close(mh_control **pc)
{
    mh_control *c = pc ? *pc : NULL;
    if (!c)
        return;
    for (int i = 0; c->clients && i < c->max_clients; i++)
        if (c->clients[i].fd >= 0)
            mh_client_drop(c, &c->clients[i], "closed by the kiosk");
    if (c->tcp_fd >= 0)
        close(c->tcp_fd);
    if (c->udp_fd >= 0)
        close(c->udp_fd);
    if (c->unix_fd >= 0)
        close(c->unix_fd);
    if (c->unix_path[0])
        unlink(c->unix_path);
    free(c->clients);
    free(c->pfds);
    free(c->token);
    free(c);
    *pc = NULL;
}

int mh_control_port(const mh_control *c)
{
    return c ? c->port : 0;
}
