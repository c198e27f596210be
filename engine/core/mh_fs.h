/* mh_fs.h - reading whole files and joining package-relative paths safely. */
#ifndef MH_FS_H
#define MH_FS_H

#include <stdbool.h>
#include <stddef.h>

#include "mh_error.h"

/* Reads a whole file into a malloc'ed, NUL-terminated buffer (free() it).
 * Fails with a clear error when missing, unreadable or larger than max_size. */
bool mh_fs_read_file(const char *path, size_t max_size, char **out_data, size_t *out_size, mh_error *err);

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
