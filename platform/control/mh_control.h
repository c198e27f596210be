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
 * "ERR 401". The Unix socket (mode 0600) counts as authenticated.
 *
 * Replies made here rather than by the commander: 401/403 (auth; three wrong
 * tokens close a connection), 413 (a line over MH_COMMAND_MAX, answered once,
 * its rest skipped), 429 (rate limit), 503 (too many clients, too many UDP
 * replies pending). Empty lines and empty datagrams get no reply; a datagram
 * holding more than one line is refused (ERR 400). */
#ifndef MH_CONTROL_H
#define MH_CONTROL_H

#include <stdbool.h>

#include "metahall.h"
#include "mh_command.h"

typedef struct mh_control_desc {
    const char *addr;           /* "HOST:PORT" for TCP and UDP (IPv4 or [IPv6]); NULL or "" = off */
    const char *unix_path;      /* Unix socket path; NULL or "" = none */
    const char *token;          /* shared secret, no spaces; NULL or "" = none (then loopback only) */
    int max_clients;            /* TCP + Unix connections at once; 0 = 16 */
    int rate_limit;             /* commands per second per client (UDP: per sender address); 0 = 500 */
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

/* metahall ctl [--addr HOST:PORT] [--token T] [--unix PATH] [--timeout S] COMMAND...
 * Sends one command, prints the reply; exit 0 on OK, 1 on ERR, 2 when it
 * cannot connect or no reply comes (message on stderr). */
int mh_ctl_main(int argc, char **argv);

#endif
