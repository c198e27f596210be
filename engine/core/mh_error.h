/* mh_error.h - the error record every fallible engine function fills.
 *
 * A function that can fail returns bool (true = success) and takes an
 * `mh_error *err` (may be NULL). On failure it says which file, where in it
 * (a JSON pointer such as "/booths/3/exhibit", or a line:column), and a
 * sentence a hall integrator can act on. */
#ifndef MH_ERROR_H
#define MH_ERROR_H

#include <stdbool.h>

typedef struct mh_error {
    char file[256];     /* the file the problem is in ("" when none) */
    char where[160];    /* JSON pointer or "line L, column C" ("" when none) */
    char message[512];  /* human sentence */
} mh_error;

/* Fills err (if not NULL) and returns false, so callers can `return mh_fail(...)`. */
bool mh_fail(mh_error *err, const char *file, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* "FILE: WHERE: message" (parts that are empty are left out). */
const char *mh_error_text(const mh_error *err, char *buf, int size);

#endif
