/* mh_hall_template.h - booth templates in hall.json (mh_hall_template.c):
 * "booth_templates" read and checked with located errors, the built-in
 * "standard" template of a hall that has none, and the choice a zone or a
 * booth makes with "template". */
#ifndef MH_HALL_TEMPLATE_H
#define MH_HALL_TEMPLATE_H

#include "../core/mh_arena.h"
#include "mh_hall_shape.h"
#include "mh_json.h"

/* A booth template's part: a shape in booth space (+Z the front, origin
 * on the floor at the booth's centre) whose colour comes from its role. */
typedef enum mh_part_role {
    MH_PART_CUSTOM,  /* the part's own "color" */
    MH_PART_ACCENT,  /* the exhibit's accent colour */
    MH_PART_NEUTRAL, /* the template's "neutral" colour */
} mh_part_role;

/* What a part shows on its front face ("label"): a box's +Z face, drawn
 * as the signs' glyph quads, the text dark or light, whichever reads
 * better on the part's colour. */
typedef enum mh_part_label {
    MH_LABEL_NONE,
    MH_LABEL_NAME, /* "name": the exhibit's short name, Chinese over English (a counter's screen) */
} mh_part_label;

typedef struct mh_booth_part {
    mh_shape_desc shape; /* its color: custom parts' own (accent and neutral ones take theirs when built) */
    mh_part_role role;
    float shade; /* the role's colour times this (0-4; 1 as it is) */
    mh_part_label label;
} mh_booth_part;

#define MH_MAX_BOOTH_TEMPLATES 16
#define MH_MAX_TEMPLATE_PARTS 64

/* A booth type ("booth_templates" in hall.json, or the built-in "standard"
 * when a hall has none): what a booth is made of, so a hall is restyled
 * without code. Every template shares the hall's booth footprint ("booth":
 * width, depth, wall_height), where the signs and photo hang. */
typedef struct mh_booth_template {
    const char *name;
    mh_vec3 neutral;  /* linear: the colour of its "neutral" parts */
    mh_vec3 landmark; /* booth space: where the landmark stands (the top of its plinth) */
    mh_booth_part *parts;
    int part_count;
    uint32_t vertices, triangles; /* what its parts generate, per booth */
} mh_booth_template;

/* The footprint every booth of a hall shares ("booth" in hall.json), and
 * how many hall textures parts may use. */
typedef struct mh_booth_frame {
    float width, depth, wall_height;
    int texture_count;
} mh_booth_frame;

/* "booth_templates": {"name": {neutral?, landmark?, parts: [...]}, ...} in
 * root; without it the built-in "standard" template. Fills *out (arena)
 * and *count (at least 1). */
bool mh_booth_templates_read(mh_json_reader *r, const cJSON *root, mh_booth_frame frame, mh_arena *a,
                             mh_booth_template **out, int *count);

/* Part k's colour on a booth whose exhibit's accent is `accent` (linear):
 * its own, the accent's or the neutral's, times its shade. */
mh_vec3 mh_booth_part_color(const mh_booth_template *t, int k, mh_vec3 accent);

/* Index of the template called name among t[0..n), or -1. */
int mh_booth_template_find(const mh_booth_template *t, int n, const char *name);

/* The template obj names at its "template" (absent: dflt), or a located
 * error at ptr/template. */
bool mh_booth_template_pick(mh_json_reader *r, const mh_booth_template *t, int n, const cJSON *obj, const char *ptr,
                            int dflt, int *out);

#endif
