/* mh_log.c - the logger: level filter plus one replaceable sink. */
#include "mh_log.h"

#include <stdarg.h>
#include <stdio.h>

static mh_log_sink g_sink; /* NULL: stderr */
static void *g_sink_user;
static mh_log_level g_min_level = MH_LOG_INFO;

static const char *level_name(mh_log_level level)
{
    switch (level) {
    case MH_LOG_DEBUG: return "debug";
    case MH_LOG_INFO: return "info";
    case MH_LOG_WARN: return "warning";
    default: return "error";
    }
}

void mh_log_set_sink(mh_log_sink sink, void *user)
{
    g_sink = sink;
    g_sink_user = user;
}

void mh_log_set_level(mh_log_level min_level) { g_min_level = min_level; }
mh_log_level mh_log_get_level(void) { return g_min_level; }

void mh_log(mh_log_level level, const char *tag, const char *fmt, ...)
{
    if (level < g_min_level)
        return;
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (g_sink) {
        g_sink(level, tag, text, g_sink_user);
        return;
    }
    fprintf(stderr, "metahall[%s] %s: %s\n", tag, level_name(level), text);
}
