/* mh_args.h - the command line's value parsers, shared by the kiosk's options
 * (mh_options.c) and `metahall bench` (mh_bench.c). */
#ifndef MH_ARGS_H
#define MH_ARGS_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

/* "WxH" with both sides in 16..8192. */
static inline bool mh_parse_size(const char *s, int *w, int *h)
{
    char x;
    int a, b;
    if (sscanf(s, "%d%c%d", &a, &x, &b) != 3 || (x != 'x' && x != 'X') || a < 16 || b < 16 || a > 8192 || b > 8192)
        return false;
    *w = a;
    *h = b;
    return true;
}

/* A whole number in lo..hi, nothing after it. */
static inline bool mh_parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

#endif
