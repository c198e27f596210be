/* mh_selftest.h - the kiosk's self-test frame: after it starts, the frame it
 * drew is read back and must not be one colour (a GPU or driver that draws
 * nothing, a black scanout) before the kiosk tells systemd it is READY
 * (mh_kiosk.c). The check itself is a pure function over RGBA8 pixels. */
#ifndef MH_SELFTEST_H
#define MH_SELFTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Two pixels differ when a colour channel differs by more than this. */
#define MH_SELFTEST_TOLERANCE 8

/* True when some pixel of the width x height RGBA8 frame differs from the
 * first by more than MH_SELFTEST_TOLERANCE in R, G or B; *differing gets how
 * many do (may be NULL). False for an empty frame. Writes what it saw into
 * why ("1920x1080, 38 % of the pixels differ from #06080f" or "one colour,
 * #000000"). */
bool mh_selftest_frame(const uint8_t *rgba, int width, int height, long *differing, char *why, size_t why_size);

#endif
