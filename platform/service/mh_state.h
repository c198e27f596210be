/* mh_state.h - what survives a restart: the featured exhibit, the language
 * and the volume operators set, in <state-dir>/state.json.
 *
 * The state folder is the `state-dir` option, else $STATE_DIRECTORY (what
 * systemd's StateDirectory= sets), else $XDG_STATE_HOME/metahall, else
 * ~/.local/state/metahall. The file is written atomically: a temporary file
 * in the same folder, fsync, rename, fsync of the folder, so a kill -9 or a
 * power cut leaves either the old file or the new one, never half of one.
 * Writing happens on a small thread of its own, so a slow SD card never
 * holds up a frame; the main loop only hands over the latest settings.
 *
 * A file that cannot be read back (corrupt, from a newer version, wrong
 * types) is logged as a warning naming it and the kiosk starts on the hall's
 * defaults; it is kept as state.json.corrupt for a look and replaced at the
 * next change. */
#ifndef MH_STATE_H
#define MH_STATE_H

#include <stdbool.h>
#include <stddef.h>

#include "control/mh_command.h"
#include "metahall.h"

/* The state folder (see above) into buf; NULL when none can be found. */
const char *mh_state_dir(const char *option, char *buf, size_t size);

/* Reads path into *out. False with err when missing (err->message "" then)
 * or unusable (err says why); *out holds the defaults then. */
bool mh_state_load(const char *path, mh_operator_settings *out, mh_error *err);
/* Writes path atomically now (tests, and the writer thread). */
bool mh_state_save(const char *path, const mh_operator_settings *s, mh_error *err);

typedef struct mh_state_writer mh_state_writer;
/* Starts the writer thread for path; NULL when it cannot (then nothing is saved). */
mh_state_writer *mh_state_writer_open(const char *path);
/* Hands over the latest settings; returns at once. */
void mh_state_writer_put(mh_state_writer *w, const mh_operator_settings *s);
/* Writes what is still waiting, stops the thread; NULL-safe, sets *w = NULL. */
void mh_state_writer_close(mh_state_writer **w);

#endif
