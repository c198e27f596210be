/* mh_control.h - the central-control (中控) transports: TCP, UDP, Unix socket.
 *
 * One line per command over TCP (replies in order, one line each), one
 * command per UDP datagram (the reply goes back to the sender), and the same
 * over a Unix stream socket. Everything is non-blocking and polled once per
 * frame from the main loop with a bounded amount of work, so a flood or
 * garbage never stalls rendering. Lines go to mh_commander_exec.
 *
 * Security: binding TCP/UDP beyond loopback needs a token. With a token set,
 * every TCP client must send "AUTH <token>" first, and every UDP datagram
 * must start with "AUTH <token> " before its command; anything else gets
 * "ERR 401". The Unix socket (mode 0600) counts as authenticated. Without a
 * token (loopback only) every client may do everything, QUIT included.
 *
 * Clients that have not proved the token are held short: one closes after
 * idle_timeout_s without a command (ERR 408), one address may hold at most
 * max_per_address of them, and when every slot is taken a new connection
 * replaces the one idle longest, so idle connections cannot lock operators
 * out. Wrong tokens make their address wait before its next AUTH is looked
 * at (1, 2, 4... up to 60 s; ERR 429 meanwhile). A UDP sender that has not
 * proved the token never gets a reply longer than its datagram (the reply
 * is cut to its code, "ERR 401", or left out), so the port cannot amplify.
 *
 * Replies made here rather than by the commander: 401/403 (auth; three wrong
 * tokens close a connection), 408 (idle), 413 (a line over MH_COMMAND_MAX,
 * answered once, its rest skipped), 429 (rate limit, token back-off), 503
 * (too many clients, too many UDP replies pending). A datagram holding more
 * than one line is refused (ERR 400). A request's "#ID " comes back on
 * these replies too. */
#ifndef MH_CONTROL_H
#define MH_CONTROL_H

#include <stdbool.h>

#include "metahall.h"
#include "mh_command.h"

typedef struct mh_control_desc {
    const char *addr;      /* "HOST:PORT" for TCP and UDP (IPv4 or [IPv6]); NULL or "" = off */
    const char *unix_path; /* Unix socket path; NULL or "" = none */
    const char *token;     /* shared secret, no spaces; NULL or "" = none (then loopback only) */
    int max_clients;       /* TCP + Unix connections at once; 0 = 16 */
    int rate_limit;        /* commands per second per client (UDP: per sender address); 0 = 500 */
    int max_per_address;   /* connections one address holds before it proves the token; 0 = half of
                                 * max_clients (all of them when max_clients < 8) */
    double idle_timeout_s; /* a client that has not proved the token is closed after this long
                                 * without a command; 0 = 30 s, < 0 = never */
    mh_commander *commander;
} mh_control_desc;

typedef struct mh_control mh_control;

/* Binds the sockets. Fails (err names the address) when an address is taken,
 * malformed, or not loopback while no token is set. */
mh_control *mh_control_open(const mh_control_desc *desc, mh_error *err);
/* Accepts, reads, runs and answers what is waiting; never blocks. */
void mh_control_poll(mh_control *c);
void mh_control_close(mh_control **c);
/* The TCP port actually bound (useful with port 0 in tests). */
int mh_control_port(const mh_control *c);

/* metahall ctl [--addr HOST:PORT] [--token T] [--unix PATH] [--timeout S] [--out F.png] COMMAND...
 * Sends one command, prints the reply (the image of SCREENSHOT goes to
 * --out); exit 0 on OK, 1 on ERR, 2 when it cannot connect or no reply comes
 * (message on stderr). */
int mh_ctl_main(int argc, char **argv);

#endif
