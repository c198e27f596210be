/* mh_secret.h - secrets (the control token, the broker password) kept out
 * of the process list: read from a file, and wiped from argv when they were
 * given on the command line anyway (/proc/PID/cmdline shows argv's memory,
 * so overwriting it hides the value from ps, top and other users). */
#ifndef MH_SECRET_H
#define MH_SECRET_H

#include <stdbool.h>
#include <stddef.h>

#include "metahall.h"

/* The first line of path (trailing spaces and line end removed) into buf.
 * False with err when it cannot be read, is empty, or does not fit; a file
 * that others may read is used with a warning. */
bool mh_secret_read_file(const char *path, char *buf, size_t size, mh_error *err);
/* Overwrites a command-line argument's bytes with 'x' (its length stays). */
void mh_secret_scrub(const char *arg);

#endif
