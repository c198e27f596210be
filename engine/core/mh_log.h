/* mh_log.h - one small logger for the whole engine and its platforms.
 *
 * Every message carries a level and a module tag ("gl", "hall", "sdl"...).
 * Output goes to a sink; the default sink writes "metahall[tag] level: text"
 * lines to stderr, which read well in a terminal and in journald. */
#ifndef MH_LOG_H
#define MH_LOG_H

#include <stdarg.h>

typedef enum mh_log_level {
    MH_LOG_DEBUG = 0,
    MH_LOG_INFO,
    MH_LOG_WARN,
    MH_LOG_ERROR,
} mh_log_level;

typedef void (*mh_log_sink)(mh_log_level level, const char *tag, const char *text, void *user);

void mh_log_set_sink(mh_log_sink sink, void *user);  /* NULL restores stderr */
void mh_log_set_level(mh_log_level min_level);
mh_log_level mh_log_get_level(void);
void mh_log(mh_log_level level, const char *tag, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define mh_log_debug(tag, ...) mh_log(MH_LOG_DEBUG, tag, __VA_ARGS__)
#define mh_log_info(tag, ...)  mh_log(MH_LOG_INFO, tag, __VA_ARGS__)
#define mh_log_warn(tag, ...)  mh_log(MH_LOG_WARN, tag, __VA_ARGS__)
#define mh_log_error(tag, ...) mh_log(MH_LOG_ERROR, tag, __VA_ARGS__)

#endif
