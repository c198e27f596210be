/* mh_control_internal.h - the control server's state, shared by its files:
 * mh_control.c (open, close, the poll, accepting, pending replies),
 * mh_control_client.c (TCP and Unix clients: lines, AUTH, replies, idle
 * clients) and mh_control_udp.c (datagrams, and the table of peer addresses
 * that holds their rate buckets and every address's wrong-token back-off). */
#ifndef MH_CONTROL_INTERNAL_H
#define MH_CONTROL_INTERNAL_H

#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "mh_control.h"
#include "mh_ratelog.h"

enum {
    MH_CONTROL_IN_SIZE = 4096,       /* a client's line buffer (> MH_COMMAND_MAX + 2) */
    MH_CONTROL_READ_CAP = 64 * 1024, /* bytes read from one client per poll */
    MH_CONTROL_BUDGET = 1000,        /* command lines handled per poll, in total */
    MH_CONTROL_OUT_CAP = 256 * 1024, /* unsent bytes before a client is dropped (one reply's image may pass it) */
    MH_CONTROL_ACCEPT_MAX = 16,      /* connections accepted per listener per poll */
    MH_CONTROL_UDP_PENDING = 64,     /* UDP replies waiting for a slow command */
    MH_CONTROL_PENDING_MAX = 128,    /* those + replies owed to clients that left */
    MH_CONTROL_PEERS = 128,          /* addresses remembered (least recently used goes) */
    MH_CONTROL_AUTH_TRIES = 3,       /* wrong tokens before a connection is closed */
    MH_CONTROL_DGRAM_SIZE = 8192,    /* longer datagrams are answered 413 */
    MH_CONTROL_LINGER_S = 5,         /* a closing client's replies get this long to leave */
    MH_CONTROL_BACKOFF_MAX_S = 60,   /* the longest wait after wrong tokens */
};

#define MH_CONTROL_SEND_FLAGS (MSG_DONTWAIT | MSG_NOSIGNAL)

typedef struct mh_bucket {
    double tokens, last_s;
} mh_bucket;

typedef struct mh_client {
    int fd;               /* -1: a free slot */
    bool is_unix, authed; /* authed: proved the token (or the Unix socket) */
    bool waiting;         /* reply is pending: later lines wait */
    bool discarding;      /* skipping the rest of an over-long line */
    bool hangup;          /* close once the replies are sent */
    double hangup_s;
    double active_s; /* the last line received or reply queued (idle clients are closed) */
    int wrong_auth;
    short revents; /* from this poll's poll(2) */
    mh_bucket bucket;
    mh_reply reply;
    struct sockaddr_storage addr; /* the peer (AF_UNIX for the Unix socket) */
    char peer[136];               /* "127.0.0.1:5555", "[::1]:5555", "unix:PATH" */
    size_t in_len;
    char in[MH_CONTROL_IN_SIZE];
    char *out; /* unsent bytes are out[out_head..out_len) */
    size_t out_head, out_len, out_cap;
} mh_client;

/* A pending reply owed to a UDP sender, or to a client that has left (then
 * it is resolved and thrown away, so the commander's slot is freed). */
typedef struct mh_pending {
    bool used, udp;
    mh_reply reply;
    struct sockaddr_storage peer;
    socklen_t peer_len;
} mh_pending;

/* One address (port ignored): its UDP rate bucket and its wrong tokens. */
typedef struct mh_peer {
    int family; /* 0: unused */
    unsigned char ip[16];
    uint64_t stamp; /* last use, for least-recently-used replacement */
    mh_bucket bucket;
    int wrong;           /* wrong tokens in a row */
    double locked_until; /* AUTH is refused (429) until then */
} mh_peer;

struct mh_control {
    mh_commander *commander;
    int tcp_fd, udp_fd, unix_fd;
    int port;
    char addr[128];
    char unix_path[sizeof(((struct sockaddr_un *)0)->sun_path)]; /* "" until bound */
    char *token;                                                 /* NULL: none */
    size_t token_len;
    int max_clients, per_address, rate;
    double idle_s; /* < 0: never */
    int budget;    /* lines left in this poll */
    unsigned polls;
    mh_client *clients;  /* max_clients slots */
    struct pollfd *pfds; /* 3 listeners + clients */
    short listen_revents[3];
    mh_pending pending[MH_CONTROL_PENDING_MAX];
    int udp_pending;
    mh_peer peers[MH_CONTROL_PEERS];
    uint64_t peer_stamp;
    char dgram[MH_CONTROL_DGRAM_SIZE];
    /* warnings, a few per burst */
    mh_ratelog log_refused, log_token, log_dropped;
};

extern const char mh_reply_401[], mh_reply_403[], mh_reply_413[];

/* mh_control.c */
bool mh_control_token_ok(const mh_control *c, const char *given, size_t len);
/* "AUTH" or "AUTH ..." (any case): true with *out_arg at the argument. */
bool mh_is_auth(const char *line, size_t len, size_t *out_arg);
bool mh_bucket_take(mh_bucket *b, int rate, double now);
void mh_peer_name(const struct sockaddr_storage *ss, char *out, size_t size);
/* Keeps a reply for a UDP sender (peer) or a client that left (peer NULL). */
bool mh_control_keep_pending(mh_control *c, mh_reply *r, const struct sockaddr_storage *peer, socklen_t peer_len);
int mh_control_pending_free(const mh_control *c);
/* Only spaces and tabs (or nothing). */
bool mh_blank(const char *line, size_t len);

/* mh_control_client.c */
void mh_control_add_client(mh_control *c, int fd, const struct sockaddr_storage *addr, const char *peer);
void mh_control_serve_clients(mh_control *c);
void mh_control_flush_clients(mh_control *c);
void mh_client_drop(mh_control *c, mh_client *cl, const char *why);

/* mh_control_udp.c */
mh_peer *mh_control_peer(mh_control *c, const struct sockaddr_storage *addr);
/* A wrong token from this address: the wait grows 1, 2, 4... to 60 s. */
void mh_peer_wrong(mh_peer *p, double now);
/* Seconds this address must still wait before AUTH is looked at (0: none). */
double mh_peer_wait(const mh_peer *p, double now);
void mh_control_serve_udp(mh_control *c);
void mh_udp_send(mh_control *c, const struct sockaddr_storage *peer, socklen_t peer_len, const char *text);

#endif
