/* metahall.h - the boundary between a platform layer and the engine.
 *
 * How to use (what every platform in platform/ does):
 *   1. The platform makes a GLES 3.0 context current (SDL window, EGL
 *      surfaceless, OpenXR swapchain...). The engine never opens windows,
 *      reads the clock, or touches SDL, EGL or OpenXR.
 *   2. mh_engine_create(&desc, &err) loads the hall from desc.hall_dir and
 *      uploads it. NULL + err filled when it cannot. Or in two steps, so the
 *      hall's scene is built while the platform starts its context:
 *      mh_engine_begin before step 1, mh_engine_finish after it.
 *   3. Each frame the platform gathers time, drawable size and input into an
 *      mh_frame_input and calls mh_engine_frame; then it presents.
 *   4. mh_engine_destroy(&e) while the context is still current.
 *
 * Input arrives only through mh_frame_input, so any behaviour can be
 * replayed by the headless platform in a test.
 *
 * This folder (engine/include/) is all a platform or tool sees of the
 * engine: this header, and metahall_tools.h for what the metahall program
 * needs besides the frame loop (files, clocks, PNG, validation). The rest of
 * engine/ is private to the engine library. */
#ifndef METAHALL_H
#define METAHALL_H

#include <stdbool.h>
#include <stdint.h>

#define METAHALL_VERSION "0.1.0"

/* ---- shared by both sides: the error record and the log ------------------
 * A function that can fail returns bool (true = success) and takes an
 * `mh_error *err` (may be NULL). On failure it says which file, where in it
 * (a JSON pointer such as "/booths/3/exhibit", or a line:column), and a
 * sentence a hall integrator can act on. (engine/core/mh_error.c) */
typedef struct mh_error {
    char file[256];    /* the file the problem is in ("" when none) */
    char where[160];   /* JSON pointer or "line L, column C" ("" when none) */
    char message[512]; /* human sentence */
} mh_error;

/* Fills err (if not NULL) and returns false, so callers can `return mh_fail(...)`. */
bool mh_fail(mh_error *err, const char *file, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* "FILE: WHERE: message" (parts that are empty are left out). */
const char *mh_error_text(const mh_error *err, char *buf, int size);

/* One small logger for the engine and its platforms (engine/core/mh_log.c).
 * Every message carries a level and a module tag ("gl", "hall", "sdl"...).
 * Output goes to a sink; the default sink writes "metahall[tag] level: text"
 * lines to stderr, which read well in a terminal and in journald. */
typedef enum mh_log_level {
    MH_LOG_DEBUG = 0,
    MH_LOG_INFO,
    MH_LOG_WARN,
    MH_LOG_ERROR,
} mh_log_level;

typedef void (*mh_log_sink)(mh_log_level level, const char *tag, const char *text, void *user);

void mh_log_set_sink(mh_log_sink sink, void *user); /* NULL restores stderr */
void mh_log_set_level(mh_log_level min_level);
mh_log_level mh_log_get_level(void);
void mh_log(mh_log_level level, const char *tag, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#define mh_log_debug(tag, ...) mh_log(MH_LOG_DEBUG, tag, __VA_ARGS__)
#define mh_log_info(tag, ...) mh_log(MH_LOG_INFO, tag, __VA_ARGS__)
#define mh_log_warn(tag, ...) mh_log(MH_LOG_WARN, tag, __VA_ARGS__)
#define mh_log_error(tag, ...) mh_log(MH_LOG_ERROR, tag, __VA_ARGS__)

/* ---- what the platform drives ------------------------------------------- */

typedef struct mh_engine mh_engine;

/* A GL extension function by name (eglGetProcAddress): the engine calls no
 * EGL itself. */
typedef void (*mh_gl_fn)(void);
typedef mh_gl_fn (*mh_gl_proc)(const char *name);

typedef struct mh_engine_desc {
    const char *hall_dir; /* folder with hall.json (required) */
    int offscreen_width;  /* > 0: render into an offscreen target of this size */
    int offscreen_height;
    int msaa;               /* samples: 0 = the quality level's anti-aliasing; 1 = none, N = N (no post pass) */
    int quality;            /* 0 auto (low on a CPU rasteriser, high on a GPU), 1 low (lean edge blend),
                                2 medium (FXAA), 3 high (4x MSAA) */
    int bloom;              /* the glow of light boxes: 0 auto (on at quality high), 1 on, -1 off */
    int reflection;         /* the hall mirrored in the polished floor: 0 auto (on at quality high), 1 on, -1 off */
    const char *start_view; /* NULL or "entrance", or "booth:<exhibit-id>" */
    float idle_timeout_s;   /* attract mode after this long without input: 0 = 60 s, < 0 = never */
    float dwell_s;          /* gaze-dwell select (no pointer) after this long: 0 = off */
    const char *language;   /* a fresh visit's language: NULL or "zh" (default), "en" */
    bool scene_only;        /* the hall alone, no visitor interface (benchmarks, tools) */
    int booths;             /* benchmarks: > 0 lays out this many booths (copies of the hall's) on one
                                 * floor round the stage (mh_hall_spread), at most 4096 */
    bool booth_storeys;     /* benchmarks: repeat the hall as closed storeys instead (the old layout) */
    const char *featured;   /* the exhibit the stage starts with (restored after a restart); NULL or one
                                 * not in the hall = the hall's own */
    int volume;             /* sound volume 1..100: 0 = default (80) */
    bool muted;             /* start muted */
    bool offline_audio;     /* mh_engine_audio_mix waits for decoders (headless runs writing audio) */
    int video_size;         /* the longer side video frames are decoded at: 0 = 640 */
    int photo_size;         /* the longer side photos are downscaled to: 0 = 1024 */
    bool multiview;         /* offscreen stereo: both eyes in one pass into a 2-layer target
                               (GL_OVR_multiview2, needs gl_proc); without it (warned) a pass
                               per eye, side by side: mh_engine_multiview says which */
    mh_gl_proc gl_proc;     /* the platform's GL function lookup (multiview), or NULL */
    /* headsets (see mh_input_state.headset and the README's "Headset") */
    float headset_grace_s; /* headset off this long: the visit resets, attract mode; 0 = 5 s, < 0 never */
    bool seated;           /* visitors sit: at each visit the view is raised to standing eye height */
    bool still;            /* nothing moves on its own: landmarks do not turn or play, screens' light sweeps stop */
    float eye_height;      /* the eye height height calibration sets, metres: 0 = 1.6 */
} mh_engine_desc;

/* One-shot actions, pressed this frame (mh_input_state.actions). */
#define MH_ACT_SELECT (1u << 0) /* click, tap, controller A, Enter: what the pointer (or reticle) is on */
#define MH_ACT_BACK (1u << 1)   /* close the panel: Backspace, controller B */
#define MH_ACT_HOME (1u << 2)   /* back to the entrance: H, controller Start */
#define MH_ACT_LANG (1u << 3)   /* switch 中文 / English: L, controller Y */
#define MH_ACT_TOUR (1u << 4)   /* start, pause or resume the guided tour: T, controller X */
#define MH_ACT_NEXT (1u << 5)   /* next tour stop: N, controller right shoulder */
#define MH_ACT_TELEPORT \
    (1u << 6)                         /* go where the pointer or aim ray points (a booth, or the floor): headset A/X;
                                     after teleport_aim frames: to the arc's landing marker */
#define MH_ACT_PAGE_NEXT (1u << 7)    /* the open panel's next page: ], controller d-pad right */
#define MH_ACT_PAGE_PREV (1u << 8)    /* its previous page: [, d-pad left */
#define MH_ACT_VIEW_NEXT (1u << 9)    /* its next view (chart, timeline, photo, QR code): ., d-pad down */
#define MH_ACT_VIEW_PREV (1u << 10)   /* its previous view: ",", d-pad up */
#define MH_ACT_SWIPE_LEFT (1u << 11)  /* a quick horizontal swipe, with the pointer where it started: on the */
#define MH_ACT_SWIPE_RIGHT (1u << 12) /*   facts it turns the page (left: next), on the view switches it */
#define MH_ACT_VOLUME (1u << 13)      /* the visitor's volume button: 100 -> 70 -> 40 -> muted -> 100 (V) */
#define MH_ACT_MENU (1u << 14)        /* open or close the menu in the world: headset menu button, M */

/* Whether the visitor wears the headset (mh_input_state.headset): from
 * XR_EXT_user_presence, or the session's focus where there is none. */
typedef enum mh_headset_state { MH_HEADSET_UNKNOWN, MH_HEADSET_WORN, MH_HEADSET_OFF } mh_headset_state;

/* Everything the visitor does this frame, merged from all devices by the platform. */
typedef struct mh_input_state {
    float move_forward, move_right; /* -1..1: keys, left stick, touch drag */
    float turn, tilt;               /* -1..1 rates: right stick (right, up) */
    float look_yaw, look_pitch;     /* radians this frame: mouse or touch drag (left, up) */
    bool fast;                      /* hurry (shift, stick click) */
    uint32_t actions;               /* MH_ACT_* */
    bool pointer;                   /* a mouse or touch position is known this frame: */
    float pointer_x, pointer_y;     /*   pixels in the drawable, origin top-left */
    bool activity;                  /* other input that should keep the kiosk out of attract mode */
    bool dragging;                  /* a touch or mouse drag is going on that started at: */
    float drag_x, drag_y;           /*   this pixel (a drag that starts on a panel does not turn the view) */
    bool aim;                       /* a hand controller's ray is known this frame (headsets): */
    float aim_position[3];          /*   its origin, in the tracking space of mh_eye (metres) */
    float aim_orientation[4];       /*   unit quaternion x, y, z, w; the ray points along its -Z */
    bool teleport_aim;              /* the teleport stick is held: the arc and landing marker show */
    uint8_t headset;                /* mh_headset_state (UNKNOWN: nothing says, e.g. a screen) */
} mh_input_state;

/* One eye of a stereo frame (a headset's view, or the desktop preview's).
 * Poses are in the platform's tracking space: +Y up, metres, -Z forward,
 * origin where the visitor stands (mh_frame_input.eyes_from_floor says at
 * which height). The engine places that space at the visitor's position and
 * heading in the hall; head motion moves the eyes, sticks move the visitor. */
typedef struct mh_eye {
    float position[3];
    float orientation[4];          /* unit quaternion x, y, z, w */
    float angle_left, angle_right; /* field of view, radians from straight ahead (left < 0 < right) */
    float angle_down, angle_up;    /*   (down < 0 < up), as OpenXR's XrFovf */
    int x, y, width, height;       /* viewport in the framebuffer, origin bottom-left */
} mh_eye;
#define MH_MAX_EYES 2
/* The depth range of the engine's projections (a headset's compositor is told it). */
#define MH_DEPTH_NEAR 0.05f
#define MH_DEPTH_FAR 250.0f

/* A camera set from outside (benchmarks and tools), instead of the visitor's. */
typedef struct mh_camera {
    bool set;
    float eye[3], target[3];       /* looking from eye at target, +Y up */
    float vfov_deg, z_near, z_far; /* 0 = the engine's own */
    float eye_separation;          /* > 0: two eyes this far apart, side by side, each half the drawable */
} mh_camera;

typedef struct mh_frame_input {
    double time_s, dt_s;
    int width, height;    /* drawable size in pixels (window platforms) */
    uint32_t framebuffer; /* GL framebuffer to draw into; 0 = the window */
    mh_input_state input;
    int eye_count; /* 0: the engine's own camera over the whole drawable; 1-2: these eyes */
    mh_eye eyes[MH_MAX_EYES];
    bool eyes_from_floor; /* eye heights are from the floor (a STAGE space), not from standing eye height */
    bool eyes_tracked;    /* a headset: the head alone pitches the view, the hall stays level */
    mh_camera camera;     /* camera.set: draw from this camera (the visit still runs) */
    bool multiview;       /* framebuffer's colour and depth are 2-layer arrays attached with
                             glFramebufferTextureMultiviewOVR: both eyes in one pass (eyes at x 0) */
    bool skip_draw;       /* the headset shows nothing this time: time, loading and the visitor
                                        cycle go on (a visit resets while the headset is off), nothing is drawn */
} mh_frame_input;

typedef struct mh_frame_output {
    int draw_calls;
    uint32_t triangles;
    int culled;           /* chunks the frustum test skipped */
    int stage_draw_calls; /* of draw_calls, the stage's featured exhibit's (0: not on screen) */
    bool loading;         /* a load (SWITCH, RELOAD) or its upload is still going on */
    float eye[3];         /* where the visitor's eye is now */
    float yaw, pitch;
    bool recenter; /* headsets: make where the visitor looks now straight ahead (a new visit, the menu) */
} mh_frame_output;

/* Two eyes side by side in a width x height drawable (the desktop and
 * headless stereo preview): 64 mm apart, symmetric 60 degree vertical field of view,
 * each eye width/2 wide. Fills in->eyes and in->eye_count. */
void mh_engine_preview_eyes(mh_frame_input *in, int width, int height);

mh_engine *mh_engine_create(const mh_engine_desc *desc, mh_error *err);
/* mh_engine_create in two steps, so that the hall's scene (files, signs,
 * models: CPU work on a thread of the engine's own) is built while the
 * platform starts its GL context (EGL's start on a CPU rasteriser takes
 * about 140 ms). mh_engine_begin needs no GL context: it reads the hall's
 * files (NULL + err when they do not load) and starts the scene's thread.
 * mh_engine_finish, with a GLES 3.0 context current on the calling thread,
 * does the rest (the renderer, the upload, the hall's light, the visit);
 * false + err when it cannot, and the caller destroys the engine. finish
 * takes the description again, completed with what the platform knows by
 * then (offscreen size, gl_proc, multiview, dwell_s...); hall_dir,
 * featured, booths, booth_storeys and scene_only are begin's. An engine
 * begun and not finished may only be destroyed (its thread is joined). */
mh_engine *mh_engine_begin(const mh_engine_desc *desc, mh_error *err);
bool mh_engine_finish(mh_engine *e, const mh_engine_desc *desc, mh_error *err);
void mh_engine_destroy(mh_engine **e);
void mh_engine_frame(mh_engine *e, const mh_frame_input *in, mh_frame_output *out);
/* The fill-rate floor of a benchmark: one frame of a single quad over the
 * whole drawable with the hall's lit shader and lights (see `metahall bench`). */
void mh_engine_draw_floor(mh_engine *e, const mh_frame_input *in);
/* The world bounding box of everything the hall draws (the stage's exhibit included). */
void mh_engine_bounds(const mh_engine *e, float min[3], float max[3]);
/* Writes the hall (architecture, booths, landmarks, signs as textured quads,
 * the stage's featured exhibit) as one glTF binary; needs no GL context. */
bool mh_export_hall(const char *hall_dir, const char *out_path, mh_error *err);
/* Moves the visitor to "entrance" or "booth:<exhibit-id>". */
bool mh_engine_set_view(mh_engine *e, const char *view, mh_error *err);
/* What the visitor sees and does now (for tests, logs and the control protocol). */
typedef struct mh_visit_status {
    const char *mode;          /* "explore", "tour" or "attract" */
    const char *language;      /* "zh" or "en" */
    char panel[32];            /* exhibit id of the open info panel, or "" */
    char hover[40];            /* what the pointer is on: "booth:<id>", "button:<name>", "" */
    char at[40];               /* where the visitor stands: "entrance", "stage", "booth:<id>" or "" */
    int tour_stop, tour_stops; /* current stop (0-based) while touring */
    bool tour_paused, teleporting;
    float idle_s;        /* seconds without input */
    float x, z;          /* where the visitor stands on the floor, metres */
    int page, pages;     /* the open panel's page (0-based) and how many it has */
    int view, views;     /* its view (chart, timeline, photo, QR code) and how many */
    char view_name[24];  /* "chart", "timeline", "photo" or "qr" ("" none) */
    uint32_t page_turns; /* pages turned and views switched on panels since start (STATS counts them) */
    int caption_part;    /* the narration caption's piece shown now (0-based), -1 none */
    float narration_s;   /* how far the narration playing now is, seconds (-1: none) */
    int volume;          /* 0..100 */
    bool muted;
    float heading_deg;   /* which way the visitor faces: 0 = -Z, positive turns left */
    const char *headset; /* "worn", "off", or NULL when no headset says */
    int visits;          /* fresh visits begun by putting the headset on */
    bool menu;           /* the menu in the world is open */
    bool seated;         /* seated mode (headsets) */
} mh_visit_status;
void mh_engine_visit_status(const mh_engine *e, mh_visit_status *out);

/* What visitors do, as events for statistics (engine/mh_engine_events.c):
 * counts only, nothing that identifies a visitor. The engine notes them as
 * the visit changes; the platform drains them every frame. */
typedef enum mh_visit_event_kind {
    MH_VISIT_ARRIVED, /* the visitor came to a booth or the stage */
    MH_VISIT_LEFT,    /* ... and left it (seconds: how long they stayed) */
    MH_VISIT_PANEL,   /* an info panel opened */
    MH_VISIT_PAGE,    /* a panel page was shown (the first, when it opens, too) */
    MH_VISIT_TOUR_STARTED,
    MH_VISIT_TOUR_FINISHED, /* the guided tour reached its last stop */
    MH_VISIT_WOKE,          /* a visitor ended attract mode */
} mh_visit_event_kind;
typedef struct mh_visit_event {
    mh_visit_event_kind kind;
    char exhibit[32]; /* the booth's exhibit id, "stage", or "" (tour, wake-up) */
    char language[4]; /* "zh" or "en": the visit's language then */
    float seconds;    /* MH_VISIT_LEFT: the time spent there */
} mh_visit_event;
/* Copies the events noted since the last call (oldest first, at most max)
 * and forgets them; returns how many. Up to 64 wait between calls (older
 * ones are dropped beyond that). */
int mh_engine_visit_events(mh_engine *e, mh_visit_event *out, int max);

/* ---- operator control (what the control protocol's commands call) ----
 * All on the render thread, between frames. Loading happens on a worker
 * thread; the frames go on meanwhile and show the old exhibit until the new
 * one is on the GPU, then crossfade (0.6 s). A job reports how it ended. */
typedef enum mh_job_state {
    MH_JOB_UNKNOWN,    /* no such job (or too old to remember) */
    MH_JOB_PENDING,    /* loading or waiting its turn */
    MH_JOB_DONE,       /* shown (err may hold a warning, e.g. RELOAD's featured exhibit failed) */
    MH_JOB_FAILED,     /* did not load: the old exhibit or hall stays; err says why */
    MH_JOB_SUPERSEDED, /* a newer SWITCH replaced it before it was shown */
} mh_job_state;
/* An exhibit id is 1-31 characters of [a-z0-9_-] (anything else is not an
 * id at all, e.g. "../x"). */
bool mh_engine_exhibit_id_valid(const char *id);
/* Features an exhibit of this hall on the stage. Returns a job id, or 0 with
 * err filled when the id is malformed or not in the hall. */
uint32_t mh_engine_feature(mh_engine *e, const char *exhibit_id, mh_error *err);
/* Re-reads the hall (and its featured exhibit) from disk; swaps it in once
 * fully loaded and uploaded, keeping the featured exhibit when it can. */
uint32_t mh_engine_reload(mh_engine *e, mh_error *err);
/* How a job ended. The results of the last MH_ENGINE_JOB_RESULTS jobs are
 * kept; a call to mh_engine_feature or mh_engine_reload ends at most one
 * job and a frame at most three, so a caller that reads its jobs after each
 * of those calls (as the commander does) never misses one. */
#define MH_ENGINE_JOB_RESULTS 32
mh_job_state mh_engine_job(const mh_engine *e, uint32_t job, mh_error *err);
/* The featured exhibit's id ("" when the stage is empty), and what is
 * loading (an exhibit id, "RELOAD", or NULL). */
const char *mh_engine_featured(const mh_engine *e);
const char *mh_engine_loading(const mh_engine *e);
/* hall.json "streaming": how many booths' landmark models are in now, and
 * (out_bytes, may be NULL) what they hold; 0 when the hall does not stream. */
int mh_engine_streamed(const mh_engine *e, uint64_t *out_bytes);
/* The hall's exhibits in booth order (NEXT and PREV walk this list). */
int mh_engine_exhibit_count(const mh_engine *e);
const char *mh_engine_exhibit_id(const mh_engine *e, int i);
/* Its name in "zh" or "en" (the id when it has none). */
const char *mh_engine_exhibit_name(const mh_engine *e, int i, const char *lang);
/* Starts or stops the guided tour (false: no tour, or no visitor interface). */
bool mh_engine_tour(mh_engine *e, bool start);
/* Back to attract mode, as after the idle timeout. */
void mh_engine_attract(mh_engine *e);
/* "zh" or "en"; false for anything else. */
bool mh_engine_set_language(mh_engine *e, const char *lang);
/* The open panel's page (PAGE next|prev|N): relative moves by `page`
 * (+1 next, -1 previous), else goes to page `page` (0-based). False with err
 * when no panel is open or the page does not exist ("the panel has 3 pages"). */
bool mh_engine_panel_page(mh_engine *e, int page, bool relative, mh_error *err);
/* The same for its views (VIEW next|prev|N): charts, timeline, photos, QR code. */
bool mh_engine_panel_view(mh_engine *e, int view, bool relative, mh_error *err);
/* Opens exhibit_id's panel at its booth (the visitor stands there), fully
 * open at once, at page and view (0-based): for `metahall render --panel`.
 * False with err for an unknown exhibit, or a page or view past the last
 * ("page 4 does not exist: the panel has 3 pages (1-3)"). */
bool mh_engine_show_panel(mh_engine *e, const char *exhibit_id, int page, int view, mh_error *err);
/* Sound: the volume 0..100 (VOLUME) and muting (MUTE on|off); a visitor's
 * volume button changes the same volume, and attract mode goes back to it. */
void mh_engine_set_volume(mh_engine *e, int percent);
void mh_engine_set_muted(mh_engine *e, bool muted);

/* ---- sound: what the platform plays ----------------------------------------
 * The engine mixes narration, background music (ducked under narration) and
 * the sound of the video whose booth panel is open into float PCM. The
 * platform pulls it: out gets frames x channels interleaved samples (-1..1)
 * at `rate` Hz. Safe to call from an audio thread (SDL's callback) while the
 * frame loop runs; it never waits for a decoder (a voice that has no data
 * yet is silent), unless the engine was created with offline_audio, where
 * it waits so that a headless run's audio is the same every time. */
void mh_engine_audio_mix(mh_engine *e, float *out, int frames, int rate, int channels);

/* ---- a model alone: metahall view and render --model (engine/mh_viewer.c) ----
 * The model's default scene in its own coordinates (glTF's: metres, +Y
 * up) at its real size, drawn as the hall draws exhibits, with one
 * directional light, the model's own punctual lights and image-based
 * light; nothing of the hall. Create after the platform made a GLES 3.0
 * context current; destroy before it goes. */
typedef struct mh_viewer mh_viewer;

typedef struct mh_viewer_desc {
    const char *model;     /* .glb or .gltf (required) */
    const char *env;       /* NULL: the capture of the hall in hall_dir; "none": no image-based
                                    light; else a folder of px.hdr nx.hdr py.hdr ny.hdr pz.hdr nz.hdr
                                    (Radiance RGBE, tests/ref/README.md) */
    const char *hall_dir;  /* the hall whose light is used when env is NULL */
    float env_intensity;   /* scales an environment folder's radiance; 0: no image-based light */
    float light_dir[3];    /* where the directional light travels; zero: (1, -2, -1.5) */
    float light_color[3];  /* linear RGB; zero: white */
    float light_intensity; /* lux (glTF's unit); 0: no directional light */
    uint8_t background[3]; /* the clear colour, sRGB bytes (written to the image unchanged) */
    int offscreen_width;   /* > 0: render into an offscreen target of this size */
    int offscreen_height;
    int msaa;                   /* as mh_engine_desc.msaa */
    int animation;              /* the animation to play: 0 the first, an index, -1 none */
    const char *animation_name; /* when set: play the animation of this name instead */
} mh_viewer_desc;

mh_viewer *mh_viewer_create(const mh_viewer_desc *desc, mh_error *err);
void mh_viewer_destroy(mh_viewer **v);
/* The box a viewer frames: every primitive's POSITION box through its
 * node's rest-pose matrix (a skinned mesh's as it is), as tests/ref's auto
 * camera takes it. */
void mh_viewer_bounds(const mh_viewer *v, float min[3], float max[3]);
/* The model's perspective camera of that name (false: none). */
bool mh_viewer_camera(const mh_viewer *v, const char *name, mh_camera *out);
/* Draws one frame from cam with the animation posed time_s seconds in (it
 * loops as three.js's does: over the clip's length). */
void mh_viewer_frame(mh_viewer *v, const mh_camera *cam, double time_s, uint32_t framebuffer, int width, int height);
bool mh_viewer_read_pixels(mh_viewer *v, uint8_t *rgba, int width, int height);
/* For benchmarks (metahall bench --model): waits until the GPU has finished
 * the frames drawn so far; the GL renderer's name; the last frame's draw
 * calls and triangles. */
void mh_viewer_finish_gpu(mh_viewer *v);
const char *mh_viewer_gl_name(const mh_viewer *v);
void mh_viewer_stats(const mh_viewer *v, int *draw_calls, long *triangles);

/* Writes the hall's image-based light (its capture of itself, at the level
 * the engine lights with) as six Radiance RGBE faces DIR/px.hdr ... nz.hdr
 * in tests/ref's format, so another renderer can be lit the same way. */
bool mh_engine_save_environment(mh_engine *e, const char *dir, mh_error *err);
/* Outside opening hours: a dark screen with two centred lines (Chinese and
 * English) instead of the hall; the visit waits meanwhile. */
void mh_engine_frame_closed(mh_engine *e, const mh_frame_input *in, const char *line_zh, const char *line_en);

/* Reads the last rendered frame (RGBA8, top row first). */
bool mh_engine_read_pixels(mh_engine *e, uint8_t *rgba, int width, int height);
/* Blocks until the GPU has finished the frame (for honest frame times). */
void mh_engine_finish_gpu(mh_engine *e);
/* True when a GL_RENDERER string names a CPU rasteriser (llvmpipe...):
 * platforms use it to leave MSAA off by default there. */
bool mh_gl_renderer_is_software(const char *gl_renderer);
/* "llvmpipe (LLVM 15.0.6, 256 bits) (OpenGL ES 3.2 Mesa 22.3.6)" and the like. */
const char *mh_engine_gl_name(const mh_engine *e);
/* Both eyes are drawn in one pass (GL_OVR_multiview2): desc.multiview where
 * the driver can, or a headset's layered swapchain this frame. */
bool mh_engine_multiview(const mh_engine *e);

#endif
