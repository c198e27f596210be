/* mh_budget.h - what one file may cost the kiosk, checked before the work is
 * done (a 480-byte glTF declaring 67 million indices, or a 262 KB GLB holding
 * an 8192x8192 PNG, is refused from its header, not after decoding).
 *
 * The defaults suit a Raspberry Pi 5 class board (4 GB, VideoCore VII). A
 * hall may set its own in hall.json ("budgets": {"triangles": 2000000, ...},
 * keys as the field names below); zero means the default. Exceeding a budget
 * is a located error ("/accessors/3: 67108864 indices ... more than the
 * budget of 3000000 (budgets.indices in hall.json)"), for the kiosk and for
 * `metahall validate` alike; the warn_ ones are performance budgets whose
 * excess is a warning. README and assets/README.md list them. */
#ifndef MH_BUDGET_H
#define MH_BUDGET_H

#include <stdbool.h>
#include <stdint.h>

typedef struct mh_budget {
    /* one glTF model (an exhibit's landmark) */
    uint32_t json_bytes;     /* its JSON (a .gltf, or a GLB's JSON chunk); default 16 MiB */
    uint32_t json_values;    /* keys, values and array elements in that JSON; default 500000 */
    uint32_t file_bytes;     /* one .glb, .bin or image file; default 256 MiB */
    uint32_t vertices;       /* decoded vertices of one exhibit; default 1000000 */
    uint32_t indices;        /* decoded indices of one exhibit; default 3000000 */
    uint32_t triangles;      /* triangles one exhibit draws (instances counted); default 1000000 */
    uint32_t image_pixels;   /* one image, decoded at full size; default 4096 x 4096 */
    uint32_t texture_pixels; /* all images of one exhibit after downscaling; default 32 Mpx (128 MiB) */
    uint32_t texture_size;   /* images are downscaled to this on their longer side; default 2048 */
    /* the whole hall: architecture, booths, every landmark */
    uint32_t hall_vertices;  /* default 4000000 */
    uint32_t hall_triangles; /* default 4000000 */
    uint32_t shapes;         /* generated shapes in one manifest; default 4096 */
    /* performance: what one exhibit should stay under to keep a small
     * board's frame rate. Exceeding these is a warning (validate, and the
     * kiosk's log), never an error: the exhibit still loads. */
    uint32_t warn_triangles;     /* triangles one exhibit draws; default 100000 */
    uint32_t warn_texture_bytes; /* its textures on the GPU with their mip levels; default 24 MiB */
    uint32_t warn_draw_calls;    /* its draw calls (primitives); default 32 */
} mh_budget;

/* The budget with every zero field set to its default. */
mh_budget mh_budget_defaults(mh_budget b);

/* Names the field at byte offset `offset` in mh_budget ("triangles"), for
 * messages; NULL for an unknown offset. */
const char *mh_budget_name(const mh_budget *b, const uint32_t *field);

#define MH_BUDGET_FIELDS 15
/* The i-th field (0 <= i < MH_BUDGET_FIELDS) of b, with its name and the
 * ceiling no hall may raise it above (hall.json's "budgets" are read so). */
uint32_t *mh_budget_field(mh_budget *b, int i, const char **out_name, uint32_t *out_ceiling);

/* Fixed limits of the manifests themselves (hall.json, exhibit.json): they
 * are read before any budget is known. */
#define MH_MANIFEST_MAX_BYTES (1u << 20)
#define MH_MANIFEST_MAX_VALUES 100000
/* Longest texts, in characters (code points): a name is drawn on a sign, a
 * narration on the tour caption; longer ones are an error, not a 58-second
 * reload (issue 15: 3.9 MB of name baked glyph by glyph). */
#define MH_TEXT_MAX_NAME 80
#define MH_TEXT_MAX_LINE 200
#define MH_TEXT_MAX_LONG 2000

#endif
