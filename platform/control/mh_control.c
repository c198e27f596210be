/* mh_control.c - the central-control (中控) servers: TCP, UDP, Unix socket.
 * This file opens and closes them and runs the poll: accepting connections
 * (within the client limits), the pending replies owed to UDP senders and
 * to clients that left, and the helpers the clients (mh_control_client.c)
 * and datagrams (mh_control_udp.c) share.
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
 *     commands per second, burst = rate_limit) answers ERR 429 past it;
 *   - clients that have not proved the token: an idle timeout, a number per
 *     address, and the longest idle of them makes room for a newcomer;
 *   - wrong tokens: a growing wait per address; warnings: a few per burst.
 *
 * The transport owns AUTH (the commander knows no token): replies 401, 403,
 * 408, 413, 429 and 503 come from here, everything else from mh_commander_exec. */
#include "mh_control_internal.h"
#include "mh_hostport.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "metahall_tools.h"

const char mh_reply_401[] = "ERR 401 send AUTH <token> first";
const char mh_reply_403[] = "ERR 403 wrong token";
const char mh_reply_413[] = "ERR 413 line too long (max 512 bytes)";

_Static_assert(MH_COMMAND_MAX == 512, "mh_reply_413 names the limit");
_Static_assert(MH_CONTROL_IN_SIZE > MH_COMMAND_MAX + 2, "a whole line fits the buffer");

/* ---- small helpers ----------------------------------------------------- */

bool mh_bucket_take(mh_bucket *b, int rate, double now)
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
bool mh_control_token_ok(const mh_control *c, const char *given, size_t len)
{
    unsigned diff = len != c->token_len;
    for (size_t i = 0; i < len; i++)
        diff |= (unsigned char)given[i] ^ (unsigned char)c->token[i % c->token_len];
    return diff == 0;
}

bool mh_is_auth(const char *line, size_t len, size_t *out_arg)
{
    if (len < 4 || strncasecmp(line, "AUTH", 4) != 0 || (len > 4 && line[4] != ' '))
        return false;
    *out_arg = len > 4 ? 5 : 4;
    return true;
}

bool mh_blank(const char *line, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (line[i] != ' ' && line[i] != '\t')
            return false;
    return true;
}

void mh_peer_name(const struct sockaddr_storage *ss, char *out, size_t size)
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
        return mh_fail(err, "", "",
                       "control address %s is malformed: expected HOST:PORT, e.g. 127.0.0.1:7700 "
                       "or [::1]:7700 (port 0 to 65535)",
                       text);
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
    return mh_fail(err, "", "",
                   "control address %s is malformed: the host must be an IPv4 address, "
                   "localhost or [IPv6] (no host names)",
                   text);
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
        return mh_fail(err, "", "",
                       "control address %s is reachable from the network: set a token "
                       "(token = ... in the config or --token) or bind 127.0.0.1",
                       addr);
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
    snprintf(c->unix_path, sizeof c->unix_path, "%s", path); /* ours now: unlinked on close */
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

int mh_control_pending_free(const mh_control *c)
{
    int n = 0;
    for (int i = 0; i < MH_CONTROL_PENDING_MAX; i++)
        n += !c->pending[i].used;
    return n;
}

bool mh_control_keep_pending(mh_control *c, mh_reply *r, const struct sockaddr_storage *peer, socklen_t peer_len)
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
    mh_commander_forget(c->commander, r);
    return false;
}

static void mh_control_resolve_pending(mh_control *c)
{
    for (int i = 0; i < MH_CONTROL_PENDING_MAX; i++) {
        mh_pending *p = &c->pending[i];
        if (!p->used || !mh_commander_poll(c->commander, &p->reply))
            continue;
        if (p->udp) {
            mh_udp_send(c, &p->peer, p->peer_len, mh_reply_line(&p->reply));
            c->udp_pending--;
        }
        mh_reply_release(&p->reply);
        p->used = false;
    }
}

/* ---- accepting connections ----------------------------------------------- */

static void mh_control_accept(mh_control *c, int listen_fd, bool is_unix)
{
    for (int i = 0; i < MH_CONTROL_ACCEPT_MAX; i++) {
        struct sockaddr_storage ss;
        socklen_t len = sizeof ss;
        int fd = accept(listen_fd, (struct sockaddr *)&ss, &len);
        if (fd < 0) {
            if (errno == ECONNABORTED || errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK && mh_ratelog_allow(&c->log_refused, mh_clock_now()))
                mh_log_warn("control", "accept on %s: %s", is_unix ? c->unix_path : c->addr, strerror(errno));
            return;
        }
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        fcntl(fd, F_SETFD, FD_CLOEXEC);
        char peer[sizeof c->clients[0].peer];
        if (is_unix) {
            snprintf(peer, sizeof peer, "unix:%s", c->unix_path);
            ss.ss_family = AF_UNIX;
        } else {
            mh_peer_name(&ss, peer, sizeof peer);
        }
        mh_control_add_client(c, fd, &ss, peer);
    }
}

/* ---- the public API ---------------------------------------------------- */

/* Zero means default: 16 clients, half of them (or all, under 8) per
 * address before the token, 500 commands a second, 30 s idle; no address,
 * Unix socket or token means none. */
static mh_control_desc control_desc_defaults(const mh_control_desc *d)
{
    mh_control_desc r = *d;
    r.addr = d->addr ? d->addr : "";
    r.unix_path = d->unix_path ? d->unix_path : "";
    r.max_clients = d->max_clients > 0 ? d->max_clients : 16;
    r.rate_limit = d->rate_limit > 0 ? d->rate_limit : 500;
    r.max_per_address = d->max_per_address > 0 ? d->max_per_address
                        : r.max_clients < 8    ? r.max_clients
                                               : r.max_clients / 2;
    r.idle_timeout_s = d->idle_timeout_s == 0 ? 30.0 : d->idle_timeout_s;
    return r;
}

static void mh_control_init_logs(mh_control *c)
{
    c->log_refused = MH_RATELOG("control", "refused connections");
    c->log_token = MH_RATELOG("control", "wrong tokens");
    c->log_dropped = MH_RATELOG("control", "dropped clients");
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
    c->per_address = desc->max_per_address;
    c->rate = desc->rate_limit;
    c->idle_s = desc->idle_timeout_s;
    mh_control_init_logs(c);
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
            c->pfds[i].revents = c->pfds[i].fd >= 0 ? POLLIN : 0; /* EINTR: just try them */
    }
    for (int i = 0; i < 3; i++)
        c->listen_revents[i] = c->pfds[i].revents;
    for (int i = 0; i < c->max_clients; i++)
        c->clients[i].revents = c->pfds[3 + i].revents;
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
    if (c->polls & 1) { /* alternate, so neither side can starve the other */
        mh_control_serve_udp(c);
        mh_control_serve_clients(c);
    } else {
        mh_control_serve_clients(c);
        mh_control_serve_udp(c);
    }
    mh_control_flush_clients(c);
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
    for (int i = 0; i < MH_CONTROL_PENDING_MAX; i++) {
        if (c->pending[i].used) {
            mh_commander_forget(c->commander, &c->pending[i].reply);
            mh_reply_release(&c->pending[i].reply);
        }
    }
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

int mh_control_port(const mh_control *c) { return c ? c->port : 0; }
