/* mh_lint.h - authoring checks for `metahall validate` (mh_lint.c): panels
 * that need pages, names their sign shrinks too far, overlapping booths,
 * unknown keys. mh_tools_validate runs them through mh_validate_path_lint. */
#ifndef MH_LINT_H
#define MH_LINT_H

#include "asset/mh_hall_load.h"
#include "asset/mh_validate.h"
#include "text/mh_glyphs.h"
#include "text/mh_text.h"

/* What the checks keep between files: the font, opened on first use. */
typedef struct mh_lint {
    mh_glyphs *glyphs;
    mh_font *font;
    float cap;
} mh_lint;

/* An mh_validate_lint_fn; user is an mh_lint. */
void mh_lint_run(void *user, const char *file, const mh_hall_desc *hall, const mh_exhibit_desc *exhibit,
                 const mh_validate_sink *sink);
void mh_lint_free(mh_lint *l);

#endif
