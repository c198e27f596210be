/* mh_selftest.c - the self-test frame's check (mh_selftest.h). */
#include "mh_selftest.h"

#include <stdio.h>
#include <stdlib.h>

static bool differs(const uint8_t *a, const uint8_t *b)
{
    for (int c = 0; c < 3; c++)
        if (abs((int)a[c] - (int)b[c]) > MH_SELFTEST_TOLERANCE)
            return true;
    return false;
}

bool mh_selftest_frame(const uint8_t *rgba, int width, int height, long *differing, char *why, size_t why_size)
{
    long n = width > 0 && height > 0 ? (long)width * height : 0, count = 0;
    for (long i = 1; i < n; i++)
        count += differs(rgba + (size_t)i * 4, rgba);
    if (differing)
        *differing = count;
    if (n == 0) {
        snprintf(why, why_size, "an empty frame (%dx%d)", width, height);
        return false;
    }
    if (!count) {
        snprintf(why, why_size, "%dx%d, one colour: #%02x%02x%02x", width, height, rgba[0], rgba[1], rgba[2]);
        return false;
    }
    snprintf(why, why_size, "%dx%d, %.1f %% of the pixels differ from #%02x%02x%02x", width, height,
             100.0 * (double)count / (double)n, rgba[0], rgba[1], rgba[2]);
    return true;
}
