/* mh_config.h - the kiosk's configuration file.
 *
 * A small INI-style file: "key = value" lines, '#' or ';' comments, blank
 * lines; an optional [metahall] section header. Keys are the long
 * command-line options without the dashes (hall, platform, size, control,
 * token, mqtt, kiosk-id, ...), so every option can live in the file and the
 * command line overrides it. */
#ifndef MH_CONFIG_H
#define MH_CONFIG_H

#include <stdbool.h>

#include "metahall.h"

/* Called for each setting in file order; return false (err filled) to stop. */
typedef bool (*mh_config_fn)(void *user, const char *key, const char *value, int line, mh_error *err);

/* Reads path and calls fn for each "key = value". Errors name the file and line. */
bool mh_config_load(const char *path, mh_config_fn fn, void *user, mh_error *err);

#endif
