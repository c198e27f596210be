/* mh_error.c - filling and formatting error records. */
#include "mh_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

bool mh_fail(mh_error *err, const char *file, const char *where, const char *fmt, ...)
{
    if (!err)
        return false;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    snprintf(err->where, sizeof err->where, "%s", where ? where : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return false;
}

const char *mh_error_text(const mh_error *err, char *buf, int size)
{
    const char *sep1 = err->file[0] ? ": " : "";
    const char *sep2 = err->where[0] ? ": " : "";
    snprintf(buf, (size_t)size, "%s%s%s%s%s", err->file, sep1, err->where, sep2, err->message);
    return buf;
}
