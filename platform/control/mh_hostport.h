/* mh_hostport.h - "HOST:PORT" as operators write it, split once for every
 * user: the control server (--control), `metahall ctl` (--addr) and the
 * fleet (--mqtt). HOST is a name, an IPv4 address or "[IPv6]"; what a HOST
 * may be (numeric only, or resolved) is each caller's business. */
#ifndef MH_HOSTPORT_H
#define MH_HOSTPORT_H

#include <stdbool.h>
#include <stddef.h>

/* Splits text into host (brackets removed) and port (0..65535). With
 * default_port >= 0 the ":PORT" may be left out, and a bare IPv6 address
 * ("::1") is then a host alone. False when malformed or host does not fit. */
bool mh_hostport_split(const char *text, char *host, size_t host_size, int *port, int default_port);

#endif
