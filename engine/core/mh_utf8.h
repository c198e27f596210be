/* mh_utf8.h - UTF-8 decoding and encoding of single code points.
 *
 * Pure functions with no allocation, shared by text drawing (text/mh_text)
 * and text layout (text/mh_layout). */
#ifndef MH_UTF8_H
#define MH_UTF8_H

#include <stdint.h>

/* Decodes one code point and advances *s; invalid or truncated sequences
 * (and overlong forms, surrogates, values above U+10FFFF) yield U+FFFD and
 * advance one byte. Stops at the NUL terminator: it never reads a byte past
 * it, so callers loop `while (*s)`. */
uint32_t mh_utf8_next(const char **s);

/* Writes cp as 1 to 4 bytes (no NUL) and returns how many; surrogates and
 * values above U+10FFFF are written as U+FFFD (3 bytes). */
int mh_utf8_encode(uint32_t cp, char out[4]);

#endif
