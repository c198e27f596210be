/* mh_control_udp.c - the control server's datagrams, and its table of peer
 * addresses (a UDP sender's rate bucket; every address's wrong tokens).
 *
 * UDP: one command per datagram; trailing CR/LF are stripped, and a datagram
 * that still holds a newline is refused with ERR 400 (no reply would say
 * which of its lines it answers). With a token, each datagram starts with
 * "AUTH <token> ". A sender that has not proved the token in this datagram
 * never gets more bytes back than it sent: the reply is cut to its code
 * ("ERR 401") when that fits, else there is none, so a forged source address
 * cannot turn the port into an amplifier. */
#include "mh_control_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "metahall_tools.h"

/* ---- peers: addresses, least recently used replaced --------------------------- */

mh_peer *mh_control_peer(mh_control *c, const struct sockaddr_storage *addr)
{
    unsigned char ip[16] = {0};
    if (addr->ss_family == AF_INET)
        memcpy(ip, &((const struct sockaddr_in *)addr)->sin_addr, 4);
    else if (addr->ss_family == AF_INET6)
        memcpy(ip, &((const struct sockaddr_in6 *)addr)->sin6_addr, 16);
    mh_peer *oldest = &c->peers[0];
    for (int i = 0; i < MH_CONTROL_PEERS; i++) {
        mh_peer *p = &c->peers[i];
        if (p->family == addr->ss_family && memcmp(p->ip, ip, sizeof ip) == 0) {
            p->stamp = ++c->peer_stamp;
            return p;
        }
        if (p->stamp < oldest->stamp)
            oldest = p;
    }
    *oldest = (mh_peer){.family = addr->ss_family,
                        .stamp = ++c->peer_stamp,
                        .bucket = {.tokens = c->rate, .last_s = mh_clock_now()}};
    memcpy(oldest->ip, ip, sizeof ip);
    return oldest;
}

void mh_peer_wrong(mh_peer *p, double now)
{
    p->wrong++;
    /* the first mistake may be a typo; then 1, 2, 4... seconds, at most a minute */
    double wait = p->wrong < 2 ? 0 : (double)(1 << (p->wrong - 2 < 6 ? p->wrong - 2 : 6));
    if (wait > MH_CONTROL_BACKOFF_MAX_S)
        wait = MH_CONTROL_BACKOFF_MAX_S;
    p->locked_until = now + wait;
}

double mh_peer_wait(const mh_peer *p, double now) { return p->locked_until > now ? p->locked_until - now : 0; }

/* ---- sending ------------------------------------------------------------------- */

void mh_udp_send(mh_control *c, const struct sockaddr_storage *peer, socklen_t peer_len, const char *text)
{
    /* lossy like UDP itself: a full socket buffer drops the reply */
    sendto(c->udp_fd, text, strlen(text), MH_CONTROL_SEND_FLAGS, (const struct sockaddr *)peer, peer_len);
}

/* A reply to a sender that has not proved the token: never longer than what
 * it sent (the bare "ERR 401" when the text is longer; nothing when even
 * that is). */
static void send_limited(mh_control *c, const struct sockaddr_storage *peer, socklen_t peer_len, const char *text,
                         size_t request_len)
{
    size_t n = strlen(text);
    if (n > request_len && n > 7 && !strncmp(text, "ERR ", 4) && text[7] == ' ')
        n = 7;
    if (n > request_len)
        return;
    sendto(c->udp_fd, text, n, MH_CONTROL_SEND_FLAGS, (const struct sockaddr *)peer, peer_len);
}

/* ---- datagrams ----------------------------------------------------------------- */

/* With a token, "AUTH <token> COMMAND": true with the command, or false
 * with the refusal in *out_refusal. */
static bool udp_unwrap(mh_control *c, mh_peer *peer, const char *name, const char **line, size_t *len,
                       const char **out_refusal, char *buf, size_t size)
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
    double now = mh_clock_now(), wait = mh_peer_wait(peer, now);
    if (wait > 0) {
        snprintf(buf, size, "ERR 429 too many wrong tokens from this address: wait %.0f s", wait + 0.5);
        *out_refusal = buf;
        return false;
    }
    const char *tok = *line + arg;
    size_t rest = *len - arg;
    const char *space = memchr(tok, ' ', rest);
    size_t tok_len = space ? (size_t)(space - tok) : rest;
    if (!mh_control_token_ok(c, tok, tok_len)) {
        mh_peer_wrong(peer, now);
        if (mh_ratelog_allow(&c->log_token, now))
            mh_log_warn("control", "udp %s: wrong token", name);
        *out_refusal = mh_reply_403;
        return false;
    }
    peer->wrong = 0;
    if (!space || space + 1 == tok + rest) {
        *out_refusal = "ERR 400 AUTH <token> must be followed by a command in the same datagram";
        return false;
    }
    *line = space + 1;
    *len = rest - tok_len - 1;
    return true;
}

/* Why a datagram is refused before it runs, or NULL; *proved tells whether
 * it carried the right token (or none is needed). */
static const char *udp_check(mh_control *c, const struct sockaddr_storage *peer, const char **line, size_t *len,
                             bool truncated, bool *proved, char *buf, size_t size)
{
    char name[80];
    mh_peer_name(peer, name, sizeof name);
    mh_peer *p = mh_control_peer(c, peer);
    const char *refusal = NULL;
    *proved = false;
    if (!mh_bucket_take(&p->bucket, c->rate, mh_clock_now())) {
        snprintf(buf, size, "ERR 429 rate limit (%d commands/s)", c->rate);
        return buf;
    }
    if (!udp_unwrap(c, p, name, line, len, &refusal, buf, size))
        return refusal;
    *proved = true;
    if (truncated || *len > MH_COMMAND_MAX)
        return mh_reply_413;
    if (memchr(*line, '\n', *len))
        return "ERR 400 one command per datagram";
    if (c->udp_pending >= MH_CONTROL_UDP_PENDING || mh_control_pending_free(c) == 0)
        return "ERR 503 busy";
    return NULL;
}

static void udp_datagram(mh_control *c, const struct sockaddr_storage *peer, socklen_t peer_len, size_t size)
{
    bool truncated = size > sizeof c->dgram;
    size_t len = truncated ? sizeof c->dgram : size;
    const char *line = c->dgram;
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        len--;
    char buf[96], id[MH_REQUEST_ID_MAX];
    size_t skip = mh_command_take_id(line, len, id);
    const char *cmd = line + skip;
    size_t cmd_len = len - skip;
    bool proved;
    const char *refusal = udp_check(c, peer, &cmd, &cmd_len, truncated, &proved, buf, sizeof buf);
    mh_reply r = {.ticket = 0};
    snprintf(r.id, sizeof r.id, "%s", id);
    if (refusal) {
        mh_reply_set(&r, refusal);
        if (proved || !c->token)
            mh_udp_send(c, peer, peer_len, r.text);
        else
            send_limited(c, peer, peer_len, r.text, size);
        return;
    }
    /* the command runs with its id, so the reply carries it */
    char with_id[MH_COMMAND_MAX + MH_REQUEST_ID_MAX + 2];
    int n = snprintf(with_id, sizeof with_id, "%s%s%s%.*s", id[0] ? "#" : "", id, id[0] ? " " : "", (int)cmd_len, cmd);
    if (mh_commander_exec(c->commander, with_id, (size_t)n, MH_CMD_AUTHED, &r)) {
        mh_udp_send(c, peer, peer_len, mh_reply_line(&r));
        mh_reply_release(&r);
    } else if (r.ticket != 0) {
        mh_control_keep_pending(c, &r, peer, peer_len);
    }
}

void mh_control_serve_udp(mh_control *c)
{
    if (!(c->listen_revents[1] & POLLIN))
        return;
    while (c->budget > 0) {
        struct sockaddr_storage peer;
        socklen_t peer_len = sizeof peer;
        ssize_t n = recvfrom(c->udp_fd, c->dgram, sizeof c->dgram, MSG_DONTWAIT | MSG_TRUNC, (struct sockaddr *)&peer,
                             &peer_len);
        if (n < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                mh_log_debug("control", "udp %s: %s", c->addr, strerror(errno));
            return;
        }
        c->budget--; /* every datagram, so empty ones cannot keep this loop going */
        if (peer.ss_family == AF_INET || peer.ss_family == AF_INET6)
            udp_datagram(c, &peer, peer_len, (size_t)n);
    }
}
