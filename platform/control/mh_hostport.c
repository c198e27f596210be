/* mh_hostport.c - splits "HOST:PORT", "[IPv6]:PORT" (and, where a default
 * port exists, a bare HOST) into its parts. */
#include "mh_hostport.h"

#include <string.h>

static bool parse_port(const char *s, int *out)
{
    int port = 0;
    if (!*s || strlen(s) > 5)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        port = port * 10 + (*s - '0');
    }
    *out = port;
    return port <= 65535;
}

bool mh_hostport_split(const char *text, char *host, size_t host_size, int *port, int default_port)
{
    const char *start = text, *end, *port_str;
    if (text[0] == '[') {
        start = text + 1;
        end = strchr(start, ']');
        if (!end || (end[1] && end[1] != ':'))
            return false;
        port_str = end[1] ? end + 2 : NULL;
    } else {
        end = strrchr(text, ':');
        if (end && memchr(text, ':', (size_t)(end - text)))
            end = NULL; /* more than one ':': an IPv6 address without brackets */
        else if (!end && default_port < 0)
            return false;
        port_str = end ? end + 1 : NULL;
        if (!end)
            end = text + strlen(text);
    }
    size_t len = (size_t)(end - start);
    if (len == 0 || len >= host_size)
        return false;
    if (!port_str && default_port < 0)
        return false;
    if (port_str && !parse_port(port_str, port))
        return false;
    if (!port_str)
        *port = default_port;
    memcpy(host, start, len);
    host[len] = '\0';
    return true;
}
