/* metahall_tools.h - what the metahall program needs from the engine's
 * library besides the frame loop: reading files, decoding UTF-8, clocks,
 * writing PNGs and validating assets (engine/mh_tools.c).
 *
 * A small, stable surface over the engine's private modules, for platform/
 * (the kiosk, its subcommands, operator control) and for tools. Like
 * metahall.h it includes nothing from the rest of engine/. */
#ifndef METAHALL_TOOLS_H
#define METAHALL_TOOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "metahall.h"

/* ---- files ---------------------------------------------------------------- */

/* Reads a whole file into a malloc'ed, NUL-terminated buffer (free() it).
 * Fails with a clear error when missing, unreadable or larger than max_size. */
bool mh_tools_read_file(const char *path, size_t max_size, char **out_data, size_t *out_size, mh_error *err);
/* True when path is a regular file. */
bool mh_tools_is_file(const char *path);

/* ---- text ------------------------------------------------------------------- */

/* Decodes one UTF-8 code point and advances *s. Invalid or truncated
 * sequences (and overlong forms, surrogates, values above U+10FFFF) yield
 * U+FFFD and advance one byte; it never reads past the NUL terminator. */
uint32_t mh_tools_utf8_next(const char **s);

/* ---- clocks ----------------------------------------------------------------- */

typedef enum mh_clock {
    MH_CLOCK_MONOTONIC,   /* wall time that never jumps: frame times, timeouts */
    MH_CLOCK_PROCESS_CPU, /* CPU time of the whole process (all threads) */
    MH_CLOCK_THREAD_CPU,  /* CPU time of the calling thread */
    MH_CLOCK_BOOT,        /* since boot, suspend included (process start times) */
} mh_clock;

/* Seconds on the given clock. */
double mh_clock_seconds(mh_clock clock);
/* Seconds on the monotonic clock: the one clock every platform's now() is. */
double mh_clock_now(void);

/* ---- the driver's share ------------------------------------------------------ */

/* What a bare GL program does in the current context (a width x height
 * colour and depth target, a clear, one triangle, glFinish), with no
 * engine: the baseline `metahall bench` measures the hall's memory above. */
bool mh_tools_gl_bare_frame(int width, int height, mh_error *err);

/* ---- PNG ---------------------------------------------------------------------- */

/* Writes RGBA8 rows (top to bottom) as a PNG file. */
bool mh_tools_write_png(const char *path, const uint8_t *rgba, int width, int height, mh_error *err);
/* Encodes RGBA8 rows as a PNG in memory: *out_png is malloc'ed (free() it). */
bool mh_tools_encode_png(const uint8_t *rgba, int width, int height, uint8_t **out_png, size_t *out_size,
                         mh_error *err);

/* ---- validation ----------------------------------------------------------------- */

/* A problem found by mh_tools_validate: file, place (a JSON pointer, or
 * "line L, column C") and a sentence; error false for a warning. */
typedef void (*mh_tools_problem_fn)(void *user, const char *file, const char *where, const char *message, bool error);

typedef struct mh_tools_validate_counts {
    int files; /* files checked */
    int errors, warnings;
} mh_tools_validate_counts;

/* Checks a hall folder, an exhibit folder, any folder holding those (such as
 * assets/), a .gltf/.glb model, a PNG, or a hall.json/exhibit.json file;
 * adds to *counts. A file already checked in this run is not checked again:
 * call mh_tools_validate_reset() between runs. */
void mh_tools_validate(const char *path, mh_tools_problem_fn fn, void *user, mh_tools_validate_counts *counts);
void mh_tools_validate_reset(void);

/* ---- what `metahall doctor` asks the engine ---------------------------------- */

/* GL_RENDERER and GL_VERSION of the current GLES context; false without one. */
bool mh_tools_gl_strings(char *renderer, int renderer_size, char *version, int version_size);

/* The hall's fonts (hall.json "fonts", the first that opens, as the kiosk
 * picks it): its path, and how many characters of sample it has no glyph
 * for. False + err when the hall does not load or no font opens. */
bool mh_tools_font_check(const char *hall_dir, const char *sample, char *font_path, int path_size, int *missing,
                         mh_error *err);

#endif
