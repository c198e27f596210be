/* mh_validate.h - checking asset files before they go to a kiosk.
 *
 * A path may be a hall folder (hall.json and every exhibit, model and
 * texture it uses), an exhibit folder, any folder holding those (such as
 * assets/), a .gltf/.glb model, a PNG, or a hall.json/exhibit.json file.
 * Every problem is handed to a callback with the file, the place in it (a
 * JSON pointer, or "line L, column C") and a sentence. */
#ifndef MH_VALIDATE_H
#define MH_VALIDATE_H

#include <stdbool.h>

typedef void (*mh_problem_fn)(void *user, const char *file, const char *where, const char *message, bool error);

typedef struct mh_validate_stats {
    int files; /* files checked */
    int errors, warnings;
} mh_validate_stats;

/* Checks one path; adds to *stats. Files already checked in this run (by
 * real path) are not checked again. Call mh_validate_reset() between runs. */
void mh_validate_path(const char *path, mh_problem_fn fn, void *user, mh_validate_stats *stats);

/* Authoring checks from the layers above (engine/mh_lint.c: panels that
 * need pages, names that shrink, booths that overlap, unknown keys): called
 * once for each exhibit that loaded (hall may be NULL for a lone exhibit)
 * and once for each hall (exhibit NULL); they report warnings through warn. */
struct mh_hall_desc;
struct mh_exhibit_desc;
typedef struct mh_validate_sink {
    void (*warn)(void *ctx, const char *file, const char *where, const char *message);
    void *ctx;
} mh_validate_sink;
typedef void (*mh_validate_lint_fn)(void *user, const char *file, const struct mh_hall_desc *hall,
                                    const struct mh_exhibit_desc *exhibit, const mh_validate_sink *sink);
/* mh_validate_path with authoring checks. */
void mh_validate_path_lint(const char *path, mh_problem_fn fn, void *user, mh_validate_lint_fn lint, void *lint_user,
                           mh_validate_stats *stats);
void mh_validate_reset(void);

#endif
