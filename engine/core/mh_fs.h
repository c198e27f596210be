/* mh_fs.h - reading the files a hall is made of, safely, and joining
 * package-relative paths.
 *
 * Every asset (hall.json, exhibit.json, models, buffers, images) is opened
 * the same way: O_NOFOLLOW (the file itself may not be a symbolic link),
 * O_NONBLOCK (a FIFO or a device cannot stall the open), O_CLOEXEC; then
 * fstat must say it is a regular file, and, when a root folder is given, the
 * file the descriptor really points at must lie inside that folder (so a
 * linked folder cannot lead out of the hall). Errors name the file and say
 * why; they never quote what the file holds. */
#ifndef MH_FS_H
#define MH_FS_H

#include <stdbool.h>
#include <stddef.h>

#include "mh_error.h"

/* Opens path for reading as described above; root may be NULL (no folder
 * check). Returns a descriptor (close() it), or -1 with err filled. */
int mh_fs_open(const char *path, const char *root, mh_error *err);

/* Reads a whole file opened with mh_fs_open into a malloc'ed, NUL-terminated
 * buffer (free() it). Fails when it is larger than max_size, before reading. */
bool mh_fs_read(const char *path, const char *root, size_t max_size, char **out_data, size_t *out_size, mh_error *err);
/* mh_fs_read with no root folder. */
bool mh_fs_read_file(const char *path, size_t max_size, char **out_data, size_t *out_size, mh_error *err);

/* True when path (symbolic links followed, as for system fonts) is a regular
 * file; checked through a non-blocking open, so a FIFO answers false at once. */
bool mh_fs_is_regular(const char *path);

/* Joins dir and a relative path from a manifest into out. Rejects absolute
 * paths, "..", backslashes and empty segments so a manifest can never reach
 * outside its package. */
bool mh_fs_join_inside(const char *dir, const char *rel, char *out, size_t out_size);

/* Plain join (dir + "/" + name), no checks; false when it does not fit. */
bool mh_fs_join(const char *dir, const char *name, char *out, size_t out_size);

/* The folder part of path ("." when it has none). */
void mh_fs_dirname(const char *path, char *out, size_t out_size);

bool mh_fs_is_dir(const char *path);
bool mh_fs_is_file(const char *path);

#endif
