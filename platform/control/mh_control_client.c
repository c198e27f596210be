/* mh_control_client.c - TCP and Unix clients of the control server: taking
 * them in (the client limits), reading their lines, AUTH, running commands
 * one after the other, queueing replies (a line, and the image bytes of a
 * SCREENSHOT), and closing the idle, the deaf and those that left.
 *
 * Who may stay: a client that proved the token (or came over the Unix
 * socket) stays as long as it likes. The others are closed after idle_s
 * without a command (ERR 408); one address holds at most per_address of
 * them; and when every slot is taken, the one of them idle longest makes
 * room for a newcomer, so connections that sit there cannot lock the hall's
 * operators out. */
#include "mh_control_internal.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "metahall_tools.h"

#define MH_EVICT_IDLE_S 1.0 /* a client idle at least this long may be replaced by a newcomer */

static bool same_address(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
    if (a->ss_family != b->ss_family)
        return false;
    if (a->ss_family == AF_INET)
        return !memcmp(&((const struct sockaddr_in *)a)->sin_addr, &((const struct sockaddr_in *)b)->sin_addr, 4);
    if (a->ss_family == AF_INET6)
        return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr, &((const struct sockaddr_in6 *)b)->sin6_addr, 16);
    return false;
}

void mh_client_drop(mh_control *c, mh_client *cl, const char *why)
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

static int client_count(const mh_control *c)
{
    int n = 0;
    for (int i = 0; i < c->max_clients; i++)
        n += c->clients[i].fd >= 0;
    return n;
}

/* Appends bytes to the client's output; false (and the client dropped) when
 * it has stopped reading or memory ran out. */
static bool queue_bytes(mh_control *c, mh_client *cl, const void *data, size_t n)
{
    size_t queued = cl->out_len - cl->out_head;
    if (queued > MH_CONTROL_OUT_CAP) {
        if (mh_ratelog_allow(&c->log_dropped, mh_clock_now()))
            mh_log_warn("control", "%s: dropped, it does not read its replies (%zu bytes waiting)", cl->peer, queued);
        mh_client_drop(c, cl, "dropped");
        return false;
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
            return false;
        }
        cl->out = out;
        cl->out_cap = cap;
    }
    memcpy(cl->out + cl->out_len, data, n);
    cl->out_len += n;
    return true;
}

/* Queues one reply line (and its data, if any). */
static void client_reply(mh_control *c, mh_client *cl, mh_reply *r)
{
    const char *line = mh_reply_line(r);
    cl->active_s = mh_clock_now();
    if (queue_bytes(c, cl, line, strlen(line)) && queue_bytes(c, cl, "\n", 1) && r->data_len)
        queue_bytes(c, cl, r->data, r->data_len);
    mh_reply_release(r);
}

/* A reply made here (401, 403...), with the request's id. */
static void client_say(mh_control *c, mh_client *cl, const char *id, const char *text)
{
    mh_reply r = {.ticket = 0};
    snprintf(r.id, sizeof r.id, "%s", id);
    mh_reply_set(&r, text);
    client_reply(c, cl, &r);
}

static void client_auth(mh_control *c, mh_client *cl, const char *id, const char *arg, size_t len)
{
    char text[96];
    if (!c->token) {
        client_say(c, cl, id, "ERR 400 no token is configured");
        return;
    }
    double now = mh_clock_now();
    mh_peer *peer = cl->is_unix ? NULL : mh_control_peer(c, &cl->addr);
    double wait = peer ? mh_peer_wait(peer, now) : 0;
    if (wait > 0) {
        snprintf(text, sizeof text, "ERR 429 too many wrong tokens from this address: wait %.0f s", wait + 0.5);
        client_say(c, cl, id, text);
        return;
    }
    if (mh_control_token_ok(c, arg, len)) {
        cl->authed = true;
        cl->wrong_auth = 0;
        if (peer)
            peer->wrong = 0;
        mh_log_debug("control", "%s: authenticated", cl->peer);
        client_say(c, cl, id, "OK authenticated");
        return;
    }
    cl->wrong_auth++;
    if (peer)
        mh_peer_wrong(peer, now);
    if (mh_ratelog_allow(&c->log_token, now))
        mh_log_warn("control", "%s: wrong token (%d of %d tries)", cl->peer, cl->wrong_auth, MH_CONTROL_AUTH_TRIES);
    client_say(c, cl, id, mh_reply_403);
    if (cl->wrong_auth >= MH_CONTROL_AUTH_TRIES && cl->fd >= 0) {
        cl->hangup = true;
        cl->hangup_s = now;
    }
}

static void client_exec(mh_control *c, mh_client *cl, const char *line, size_t len)
{
    cl->reply = (mh_reply){.ticket = 0};
    /* without a token (loopback only) everyone may do everything, QUIT too */
    unsigned flags = MH_CMD_BYTES | (cl->authed || !c->token ? MH_CMD_AUTHED : 0);
    if (mh_commander_exec(c->commander, line, len, flags, &cl->reply))
        client_reply(c, cl, &cl->reply);
    else if (cl->reply.ticket != 0)
        cl->waiting = true;
    else
        client_say(c, cl, cl->reply.id, "ERR 500 internal error: the command gave no reply");
}

/* One complete line (without its '\n'), maybe longer than allowed. */
static void client_line(mh_control *c, mh_client *cl, const char *line, size_t len)
{
    if (len > 0 && line[len - 1] == '\r')
        len--;
    c->budget--;
    cl->active_s = mh_clock_now();
    char id[MH_REQUEST_ID_MAX];
    size_t skip = len <= MH_COMMAND_MAX ? mh_command_take_id(line, len, id) : (id[0] = '\0', 0);
    size_t arg;
    if (!mh_bucket_take(&cl->bucket, c->rate, mh_clock_now())) {
        char text[64];
        snprintf(text, sizeof text, "ERR 429 rate limit (%d commands/s)", c->rate);
        client_say(c, cl, id, text);
    } else if (len > MH_COMMAND_MAX) {
        client_say(c, cl, id, mh_reply_413);
    } else if (mh_is_auth(line + skip, len - skip, &arg)) {
        client_auth(c, cl, id, line + skip + arg, len - skip - arg);
    } else if (c->token && !cl->authed && !mh_blank(line + skip, len - skip)) {
        client_say(c, cl, id, mh_reply_401);
    } else {
        client_exec(c, cl, line, len);
    }
}

static bool client_ready(const mh_control *c, const mh_client *cl)
{
    return cl->fd >= 0 && !cl->waiting && !cl->hangup && c->budget > 0;
}

/* Runs the complete lines in the buffer, in order, as far as the budget and
 * a pending reply allow. An over-long line is answered as soon as it passes
 * the limit; its rest is skipped as it arrives. */
static void client_run_lines(mh_control *c, mh_client *cl)
{
    size_t start = 0;
    while (client_ready(c, cl)) {
        char *line = cl->in + start;
        size_t avail = cl->in_len - start;
        char *nl = memchr(line, '\n', avail);
        if (nl) {
            size_t len = (size_t)(nl - line);
            if (!cl->discarding)
                client_line(c, cl, line, len);
            cl->discarding = false;
            start += len + 1;
            continue;
        }
        if (cl->discarding) {
            start = cl->in_len;
        } else if (avail > MH_COMMAND_MAX + 1) { /* + 1: a '\r' may still end it */
            client_line(c, cl, line, avail);
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

static void client_resolve(mh_control *c, mh_client *cl)
{
    if (!cl->waiting || !mh_commander_poll(c->commander, &cl->reply))
        return;
    cl->waiting = false;
    client_reply(c, cl, &cl->reply);
}

/* Resolves, runs buffered lines, and reads more while they keep running. */
static void client_serve(mh_control *c, mh_client *cl)
{
    size_t got = 0;
    client_resolve(c, cl);
    for (;;) {
        client_run_lines(c, cl);
        if (!client_ready(c, cl) || got >= MH_CONTROL_READ_CAP || cl->in_len == sizeof cl->in ||
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

/* A client that has not proved the token and has said nothing for idle_s. */
static bool client_idle(const mh_control *c, const mh_client *cl, double now, double limit)
{
    return cl->fd >= 0 && !cl->authed && !cl->waiting && !cl->hangup && limit >= 0 && now - cl->active_s >= limit &&
           cl->out_len == cl->out_head;
}

static void client_flush(mh_control *c, mh_client *cl)
{
    double now = mh_clock_now();
    if (client_idle(c, cl, now, c->idle_s)) {
        char text[96];
        snprintf(text, sizeof text, "ERR 408 idle for %.0f s without a command: closing (AUTH keeps a connection open)",
                 c->idle_s);
        client_say(c, cl, "", text);
        cl->hangup = true;
        cl->hangup_s = now;
    }
    while (cl->fd >= 0 && cl->out_head < cl->out_len) {
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
    if (cl->fd < 0)
        return;
    if (cl->out_head == cl->out_len)
        cl->out_head = cl->out_len = 0;
    if (cl->hangup && !cl->waiting && (cl->out_len == 0 || now - cl->hangup_s > MH_CONTROL_LINGER_S))
        mh_client_drop(c, cl, "disconnected");
}

void mh_control_flush_clients(mh_control *c)
{
    for (int i = 0; i < c->max_clients; i++)
        if (c->clients[i].fd >= 0)
            client_flush(c, &c->clients[i]);
}

void mh_control_serve_clients(mh_control *c)
{
    int first = (int)(c->polls % (unsigned)c->max_clients);
    for (int i = 0; i < c->max_clients; i++) {
        mh_client *cl = &c->clients[(first + i) % c->max_clients];
        if (cl->fd >= 0)
            client_serve(c, cl);
    }
}

/* ---- taking clients in ------------------------------------------------------ */

/* A free slot, or NULL. */
static mh_client *free_slot(mh_control *c)
{
    for (int i = 0; i < c->max_clients; i++)
        if (c->clients[i].fd < 0)
            return &c->clients[i];
    return NULL;
}

/* The client that has not proved the token and has been idle longest (at
 * least MH_EVICT_IDLE_S), or NULL. */
static mh_client *idlest(mh_control *c, double now)
{
    mh_client *found = NULL;
    for (int i = 0; i < c->max_clients; i++) {
        mh_client *cl = &c->clients[i];
        if (client_idle(c, cl, now, MH_EVICT_IDLE_S) && (!found || cl->active_s < found->active_s))
            found = cl;
    }
    return found;
}

/* Closes an idle client so that a newcomer can have its slot. */
static mh_client *make_room(mh_control *c, mh_client *cl, double now)
{
    static const char made_room[] = "ERR 408 closed to make room for a new connection (AUTH keeps a connection open)\n";
    (void)!send(cl->fd, made_room, sizeof made_room - 1, MH_CONTROL_SEND_FLAGS);
    if (mh_ratelog_allow(&c->log_refused, now))
        mh_log_warn("control", "%s: closed after %.0f s idle to make room for a new connection", cl->peer,
                    now - cl->active_s);
    mh_client_drop(c, cl, "closed to make room");
    return cl;
}

/* How many clients from this address have not proved the token. */
static int unproved_from(const mh_control *c, const struct sockaddr_storage *addr)
{
    int n = 0;
    for (int i = 0; i < c->max_clients; i++)
        n += c->clients[i].fd >= 0 && !c->clients[i].authed && same_address(&c->clients[i].addr, addr);
    return n;
}

static void refuse(mh_control *c, int fd, const char *peer, const char *text, const char *why)
{
    (void)!send(fd, text, strlen(text), MH_CONTROL_SEND_FLAGS);
    close(fd);
    if (mh_ratelog_allow(&c->log_refused, mh_clock_now()))
        mh_log_warn("control", "%s: refused, %s", peer, why);
}

void mh_control_add_client(mh_control *c, int fd, const struct sockaddr_storage *addr, const char *peer)
{
    double now = mh_clock_now();
    bool is_unix = addr->ss_family == AF_UNIX;
    char why[96];
    mh_client *cl = free_slot(c), *evict = cl ? NULL : idlest(c, now);
    if (!cl && !evict) {
        snprintf(why, sizeof why, "already %d clients", c->max_clients);
        refuse(c, fd, peer, "ERR 503 too many clients\n", why);
        return;
    }
    if (!is_unix && unproved_from(c, addr) >= c->per_address) {
        snprintf(why, sizeof why, "already %d connections from its address", c->per_address);
        refuse(c, fd, peer, "ERR 503 too many connections from your address\n", why);
        return;
    }
    if (!cl)
        cl = make_room(c, evict, now);
    memset(cl, 0, offsetof(mh_client, in));
    cl->fd = fd;
    cl->is_unix = is_unix;
    cl->authed = is_unix;
    cl->addr = *addr;
    cl->active_s = now;
    cl->revents = POLLIN; /* read it in this poll already */
    cl->bucket = (mh_bucket){.tokens = c->rate, .last_s = now};
    snprintf(cl->peer, sizeof cl->peer, "%s", peer);
    mh_log_debug("control", "%s: connected (%d of %d clients)", peer, client_count(c), c->max_clients);
}
