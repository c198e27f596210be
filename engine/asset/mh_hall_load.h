/* mh_hall_load.h - hall and exhibit manifests (JSON) -> plain description structs.
 *
 * A hall folder holds hall.json (architecture, entrance, stage, booth slots,
 * signs, lights, textures). Each booth names an exhibit, read from
 * <exhibits_dir>/<id>/exhibit.json (names, city, accent colour, landmark
 * shapes). Everything lands in one arena; drop the arena to drop the hall.
 *
 * A broken hall.json fails the load. A broken or missing exhibit does not:
 * its booth keeps the error (loaded = false) and the hall shows a placeholder
 * there, so one bad file never takes the kiosk down. */
#ifndef MH_HALL_LOAD_H
#define MH_HALL_LOAD_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "../core/mh_arena.h"
#include "../core/mh_error.h"
#include "../core/mh_math.h"
#include "mh_facts.h"
#include "mh_budget.h"
#include "mh_hall_template.h"

#define MH_MAX_FONTS 4
#define MH_MAX_SIGN_LINES 4

typedef struct mh_sign_line {
    const char *text; /* UTF-8 */
    float size;       /* text height as a fraction of the sign height */
    mh_vec3 color;    /* linear RGB */
} mh_sign_line;

/* A flat panel with text, lit from inside (light box). Its front faces +Z
 * before rotation; pos is the centre of the panel. */
typedef struct mh_sign_desc {
    mh_vec3 pos;
    float yaw_deg;
    mh_vec2 size; /* width, height in metres */
    mh_vec3 background;
    mh_sign_line lines[MH_MAX_SIGN_LINES];
    int line_count;
    int align; /* its lines centred (0), flush left (-1) or flush right (+1) in the width less h / 6 */
} mh_sign_desc;

#define MH_ANIMATION_OFF (-1)
#define MH_ANIMATION_NAMED (-2)

typedef struct mh_exhibit_desc {
    char id[MH_EXHIBIT_ID_MAX];
    const char *name_zh, *name_en;
    const char *short_zh, *short_en; /* large title on the booth header */
    const char *city_zh, *city_en;
    const char *tagline_zh, *tagline_en;
    /* what the landmark model depicts (one line each), or NULL */
    const char *landmark_zh, *landmark_en;
    mh_vec3 accent;          /* booth colour, linear */
    mh_shape_desc *landmark; /* in booth space: +Z is the booth front */
    int landmark_count;
    const char *dir;   /* the exhibit's folder: its files must resolve inside it */
    const char *model; /* landmark glTF/GLB path (inside the exhibit folder), or NULL */
    float model_scale; /* "scale": the model's size times this; 0 = its real size */
    bool model_fit;    /* "fit": true scales it to fill the plinth (up or down) */
    int animation;     /* "animation": index to play in a loop, MH_ANIMATION_OFF (false),
                                          MH_ANIMATION_NAMED (play animation_name); 0 = the first */
    const char *animation_name;
    float turn_deg_s;                         /* "turn": how fast the landmark turns on its plinth (degrees a second,
                                          + anticlockwise seen from above; 0 still) */
    bool turn_set;                            /* "turn" was given; otherwise the hall's booth template's */
    uint32_t shape_vertices, shape_triangles; /* what the landmark shapes generate (mh_shape_cost) */
    mh_fact *facts;
    int fact_count;
    mh_chart *charts;
    int chart_count;
    const char *narration_zh, *narration_en;   /* guided-tour text */
    const char *images[MH_EXHIBIT_MAX_IMAGES]; /* PNG or JPEG paths inside the exhibit folder */
    const char *image_captions_zh[MH_EXHIBIT_MAX_IMAGES], *image_captions_en[MH_EXHIBIT_MAX_IMAGES];
    int image_count;
    mh_exhibit_video videos[MH_EXHIBIT_MAX_VIDEOS]; /* what its screen plays (mh_facts.h) */
    int video_count;
    mh_narration_audio narration_audio_zh, narration_audio_en;
    const char *url; /* the take-away page (QR code), or NULL */
    bool loaded;     /* false: `error` says why */
    mh_error error;
} mh_exhibit_desc;

typedef struct mh_booth_desc {
    mh_vec2 pos;        /* x, z of the booth centre on the floor */
    int template_index; /* into mh_hall_desc.templates */
    float yaw_deg;      /* rotation; the front (+Z) faces the visitor side */
    int storey;         /* 0 = the hall; > 0 only in a stacked hall (mh_hall_stack) */
    int copy_of;        /* 0; k > 0: a copy of booth k - 1 (a benchmark's floor, mh_hall_spread), which the
                             scene draws again at this place (instanced: no geometry or textures of its own) */
    int zone;           /* index into mh_hall_desc.zones, -1 = none */
    mh_exhibit_desc exhibit;
} mh_booth_desc;

#define MH_MAX_ZONES 16
#define MH_ZONE_MIN_GAP 1.0f /* metres between neighbouring booths of a zone, at least */

/* A zone of the hall ("zones" in hall.json): its booths stand evenly spaced
 * on the line from `from` to `to`, on a carpet in its colour, under a hanging
 * bilingual sign that faces the entrance. */
typedef struct mh_zone_desc {
    const char *name_zh, *name_en;
    mh_vec3 color;                /* linear: the carpet's tint, the sign's edge */
    mh_vec2 from, to;             /* x, z: the first and the last booth's centre */
    float sign_height;            /* the hanging sign's centre above the floor, metres */
    int first_booth, booth_count; /* its booths in mh_hall_desc.booths */
} mh_zone_desc;

/* hall.json "streaming": booths' landmark models load on the loader's
 * worker when the visitor comes within near_m of the booth (nearest first)
 * and are dropped beyond far_m or when the resident models pass budget_mb;
 * until then the booth shows a stand-in (engine/mh_stream.c). Absent: off,
 * every model is built into the hall at start-up. */
#define MH_STREAM_BUDGET_MB 64.0f /* defaults for a zero or missing field */
#define MH_STREAM_NEAR_M 16.0f
#define MH_STREAM_FAR_M 24.0f
#define MH_STREAM_MAX_M 10000.0f
#define MH_STREAM_MAX_MB 65536.0f
typedef struct mh_hall_streaming {
    bool on;             /* the key is in hall.json */
    float budget_mb;     /* CPU + GPU bytes of the resident models, MiB */
    float near_m, far_m; /* from the eye to the booth's plinth, metres; far_m > near_m */
} mh_hall_streaming;

typedef struct mh_hall_desc {
    const char *dir; /* the hall folder */
    const char *name_zh, *name_en;
    const char *fonts[MH_MAX_FONTS]; /* candidates, first that opens wins */
    int font_count;
    mh_vec3 clear_color; /* linear */
    /* lighting: hemisphere (sky/ground) plus one directional light */
    mh_vec3 sky_color, ground_color, sun_color, sun_dir;
    float fog_density;
    /* where visitors start and the featured-exhibit stage */
    mh_vec2 entrance_pos;
    float entrance_yaw_deg, entrance_pitch_deg;
    mh_vec2 stage_pos;
    float stage_radius, stage_height;
    const char *featured; /* exhibit id shown on the stage (may be NULL) */
    /* the booth template */
    float booth_width, booth_depth, booth_wall_height;
    float booth_turn_deg_s;       /* "turn": how fast landmarks turn unless their exhibit says (0 still) */
    mh_booth_template *templates; /* at least one; "booth": {"template"} names the default */
    int template_count;
    mh_vec2 walk_min, walk_max; /* outer bounds of the walkable floor */
    const char **textures;      /* PNG paths inside the hall folder */
    int texture_count;
    mh_shape_desc *shapes; /* architecture */
    int shape_count;
    mh_sign_desc *signs;
    int sign_count;
    mh_booth_desc *booths;
    int booth_count;
    mh_zone_desc *zones; /* the booths after the explicit "booths" are the zones' */
    int zone_count;
    /* the guided tour: stops in order, each "entrance", "stage" or an exhibit id with a booth */
    const char **tour;
    int tour_count;
    /* a benchmark's stacked hall (mh_hall_stack): storeys of storey_height
     * metres, each a copy of the architecture, signs and booths */
    int storeys; /* 1 for a hall as loaded */
    float storey_height;
    mh_hall_media media; /* background music and video screens (mh_facts.h) */
    /* what loading may cost: hall.json's "budgets", defaults filled in */
    mh_budget budget;
    mh_hall_streaming streaming;              /* "streaming", defaults filled in when on */
    uint32_t shape_vertices, shape_triangles; /* architecture + every booth's landmark shapes */
    /* set by whoever loads on a worker thread: when it becomes true, model
     * loading stops early with an error (a newer SWITCH or RELOAD, or shutdown) */
    const atomic_bool *cancel;
    /* set by the light bake (assets/generator): the scene is built without
     * the hall's light.json, so a bake never depends on the one before it */
    bool no_bake;
} mh_hall_desc;

/* Loads <hall_dir>/hall.json and every exhibit it names. */
bool mh_hall_load(const char *hall_dir, mh_arena *arena, mh_hall_desc *out, mh_error *err);
/* The same on a worker thread: once *cancel is true the remaining exhibits
 * are skipped, and out->cancel keeps the flag for the models the scene loads. */
bool mh_hall_load_cancellable(const char *hall_dir, const atomic_bool *cancel, mh_arena *arena, mh_hall_desc *out,
                              mh_error *err);

/* The most booths a hall may have (hall.json's "booths"; validate says so). */
#define MH_HALL_MAX_BOOTHS 4096

/* For benchmarks: N booths on one floor (the default layout of `bench
 * --booths N`). The booths, copies of the hall's own in turn, stand in rows
 * of back-to-back pairs along aisles (4 m; a cross aisle every 8 booths) on
 * a square-ish floor, round a plaza with the stage in its middle: the
 * bench's orbit (a quarter of the floor's smaller side from the centre)
 * runs in the plaza, 4 m and a booth's depth inside its edge; the slots
 * nearest the stage are filled first. The architecture becomes one open
 * hall: the hall's floor, ceiling and wall materials on a floor, a ceiling
 * and four walls round the whole grid. The hall's own signs, screens and
 * tour are dropped (they belong to its old walls); the stage and its
 * featured exhibit stay. Booth k >= the hall's count is a copy (copy_of) of
 * booth k % count. False when out of memory or booths > MH_HALL_MAX_BOOTHS. */
bool mh_hall_spread(mh_hall_desc *hall, int booths, mh_arena *arena);

/* For benchmarks: repeats the hall as storeys stacked above it (each a copy of
 * the architecture, signs and booths; the stage stays on the ground floor)
 * until there are `booths` booths (fewer than the hall has: the first ones).
 * The ground floor and the hall's footprint stay as they were, so a camera
 * path over the ground floor sees the same thing at any size. */
bool mh_hall_stack(mh_hall_desc *hall, int booths, mh_arena *arena);

/* Loads one exhibit.json into out (strings in arena), with the default
 * budgets. Exposed for tests and for `validate`. */
bool mh_exhibit_load(const char *path, const char *expected_id, mh_arena *arena, mh_exhibit_desc *out, mh_error *err);
/* The same within a hall's budgets. */
bool mh_exhibit_load_budget(const char *path, const char *expected_id, const mh_budget *budget, mh_arena *arena,
                            mh_exhibit_desc *out, mh_error *err);

/* The same from text in memory (path names the file in errors; hall_dir is
 * where exhibits_dir and textures are resolved). For fuzzing and tests. */
bool mh_hall_parse(const char *text, size_t size, const char *hall_dir, mh_arena *arena, mh_hall_desc *out,
                   mh_error *err);
bool mh_exhibit_parse(const char *text, size_t size, const char *path, const char *expected_id, mh_arena *arena,
                      mh_exhibit_desc *out, mh_error *err);

/* The widest gap between the footprints of booths a and b along their
 * edges' directions, metres: a lower bound of their distance (<= 0: they
 * touch or overlap). */
float mh_hall_booth_gap(const mh_hall_desc *h, int a, int b);

/* Index of the booth showing exhibit `id`, or -1. */
int mh_hall_find_booth(const mh_hall_desc *hall, const char *id);

#endif
