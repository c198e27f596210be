/* mh_engine_internal.h - the engine's state, shared by its files (engine/
 * only): mh_engine.c (create, load, switch, frame) and mh_engine_views.c
 * (cameras and eyes). */
#ifndef MH_ENGINE_INTERNAL_H
#define MH_ENGINE_INTERNAL_H

#include <pthread.h>

#include "asset/mh_hall_load.h"
#include "core/mh_arena.h"
#include "include/metahall.h"
#include "media/mh_mixer.h"
#include "media/mh_photos.h"
#include "media/mh_video.h"
#include "mh_loader.h"
#include "mh_stream.h"
#include "render/mh_renderer.h"
#include "scene/mh_nav.h"
#include "scene/mh_scene.h"
#include "text/mh_glyphs.h"
#include "ui/mh_headset.h"
#include "ui/mh_ui_batch.h"
#include "ui/mh_visit.h"

/* The stage's featured exhibit: its own scene, so it can be swapped. */
typedef struct feature {
    mh_scene scene;
    mh_gpu_scene gpu;
    char id[MH_EXHIBIT_ID_MAX]; /* "" = the stage is empty */
} feature;

/* The hall's textures uploaded while its scene is still being built
 * (mh_engine_ahead.c). */
typedef struct engine_ahead {
    pthread_mutex_t lock;    /* queue, count, done, broken */
    pthread_mutex_t pixels;  /* released, and one texture's upload */
    pthread_cond_t cond;     /* a texture came, or the scene is done */
    mh_scene_texture *queue; /* the scene's textures as they were added */
    int count, cap;
    bool done, broken, released;
    uint32_t *names; /* the GL thread's: queue[i]'s texture */
    int uploaded, name_cap;
} engine_ahead;

void mh_engine_ahead_init(engine_ahead *a);
/* The scene's watch (the scene's thread calls it). */
mh_scene_watch mh_engine_ahead_watch(engine_ahead *a);
/* The scene's thread: no more textures come. */
void mh_engine_ahead_done(engine_ahead *a);
/* The GL thread: uploads the textures as they come, until done. */
void mh_engine_ahead_upload(engine_ahead *a, mh_renderer *r);
/* Deletes the names not taken (r NULL: none made) and frees the rest. */
void mh_engine_ahead_free(engine_ahead *a, mh_renderer *r);

/* What became of recent SWITCH/RELOAD jobs, for the control protocol. */
typedef struct job_result {
    uint32_t ticket;
    mh_job_state state;
    mh_error err;
} job_result;

/* A video screen: one of the hall's (an LED wall) or a booth's, playing
 * when in view (mh_engine_media.c). */
typedef struct media_screen {
    const char *path, *root;
    mh_wall_spot spot;
    int booth;       /* -1: the hall's own */
    int slot, voice; /* its interface image and mixer voice */
    mh_video *video; /* NULL until first in view (and after long out of it) */
    bool visible;
    double seen_at;    /* engine time it was last in view */
    double time;       /* engine time */
    int width, height; /* of the last frame uploaded (0: none yet) */
    uint64_t uploaded; /* frames uploaded */
} media_screen;

#define MEDIA_SCREENS 16

/* Sound, videos and gallery photos (mh_engine_media.c). */
typedef struct media {
    mh_mixer *mixer;
    mh_photos *photos;
    media_screen screens[MEDIA_SCREENS];
    int screen_count, players;
    uint32_t narration_serial; /* the visit's narration last started */
    uint32_t voice_serial;     /* the mixer's serial for it */
    uint64_t mixed;            /* mixer frames at the last frame */
    double clock_at;           /* engine time the mixer last advanced */
    double now;
    const mh_exhibit_desc *photo_exhibit; /* whose photos the image slots hold */
    uint32_t photo_ticket;
    mh_panel_photo photo[MH_EXHIBIT_MAX_IMAGES];
} media;

/* hall.json "streaming" (mh_engine_stream.c): each booth's model when in,
 * and the frame's layers (the hall, the stage's two, the booths in). */
typedef struct stream_slot {
    mh_scene scene;
    mh_gpu_scene gpu;
} stream_slot;

typedef struct stream {
    int count; /* booths; 0 when the hall does not stream */
    mh_stream_booth *booths;
    stream_slot *slots;
    int *drops;
    mh_render_layer *layers;
    int loading;  /* the booth on the worker or going up, -1 */
    mh_vec2 eye;  /* x, z where the last frame was seen from */
    int resident; /* models in, and their bytes */
    uint64_t resident_bytes;
} stream;

#define JOB_RESULTS MH_ENGINE_JOB_RESULTS
#define VISIT_EVENTS 64
#define CROSSFADE_S 0.6f
/* A loaded exhibit or hall goes onto the GPU in a share of each frame: at
 * most this many bytes and this long (issue 23: a million-triangle model
 * with 2048x2048 textures streams in without a frame standing out). */
#define UPLOAD_BYTES_PER_FRAME (8u * 1024u * 1024u)
#define UPLOAD_SECONDS_PER_FRAME 0.003

struct mh_engine {
    mh_engine_desc desc;
    char hall_dir[1024];
    mh_arena hall_arena; /* everything the hall description owns */
    mh_hall_desc hall;
    mh_scene scene;
    mh_gpu_scene hall_gpu;
    feature shown;    /* on the stage now */
    feature incoming; /* uploading, then crossfading in (fade >= 0) */
    float fade;       /* crossfade progress 0..1, < 0 when none */
    /* loading: one job at a time; a newer SWITCH waits in `queued` */
    mh_load_job *job;
    bool uploading; /* the job's result is being uploaded */
    int warm_stage; /* an exhibit once up: 1 uploaded, 2 drawn once as a warm layer (step_loading) */
    mh_gpu_scene up_hall, up_feature;
    char queued[MH_EXHIBIT_ID_MAX];
    uint32_t queued_ticket, next_ticket;
    bool queued_reload;
    job_result results[JOB_RESULTS];
    int result_next;
    long frames;
    mh_renderer *renderer;
    mh_nav nav;
    mh_render_lighting light;
    /* the visitor interface; absent (NULL glyphs) when no font opens */
    mh_glyphs *glyphs;
    mh_ui_batch ui;
    mh_visit *visit;
    /* visitor events for statistics (mh_engine_events.c) */
    mh_visit_event events[VISIT_EVENTS];
    int event_head, event_count;
    mh_visit_status seen; /* the visit as last noted */
    bool seen_valid;
    double seen_at_since; /* when the visitor came to where seen.at says */
    double clock;         /* the sum of the frames' dt */
    media media;
    mh_headset headset; /* the visitor cycle, the world menu and comfort (headsets); the volume */
    stream stream;
    struct engine_start *start; /* from mh_engine_begin until mh_engine_finish: the scene's thread */
};

/* mh_engine_light.c */
/* The hall's lights as the renderer takes them. */
mh_render_lighting mh_engine_lighting(const mh_hall_desc *h);
/* The hall's image-based light: a sky-and-ground hemisphere first, then the
 * hall (uploaded as gpu) captured from its atrium with that light, set on
 * the renderer. A capture that fails keeps the hemisphere (a warning,
 * false). out_faces (NULL, or 6 x 64 x 64 RGB floats) receives the
 * capture's level-0 faces as lit. */
bool mh_engine_hall_light(mh_renderer *r, const mh_hall_desc *h, const mh_scene *sc, mh_gpu_scene gpu,
                          const mh_render_lighting *light, float *out_faces);

/* mh_engine_views.c */
/* A camera set from outside as views over a w x h drawable: one, or two
 * eyes side by side (eye_separation). Returns how many. */
int mh_engine_camera_views(const mh_camera *c, int w, int h, mh_render_view *views);
/* The frame's views: a camera set from outside, the engine's own camera
 * over the drawable (w x h), or the platform's eyes. Returns how many. */
int mh_engine_views(const mh_engine *e, const mh_frame_input *in, int w, int h, mh_render_view *views);
/* The camera the visit acts with this frame (views and n as from
 * mh_engine_views): the drawable's, or in stereo a controller's ray (as a
 * pointer at the centre of a virtual screen), the eye the mouse is over, or
 * the head. May move the pointer in *is to match. */
/* The frame as the headset parts see it: the head, the pointer's ray (vf
 * and is as mh_engine_visit_frame left them). */
mh_headset_frame mh_engine_headset_frame(const mh_engine *e, const mh_frame_input *in, const mh_render_view *views,
                                         int n, const mh_visit_frame *vf, const mh_input_state *is);
mh_visit_frame mh_engine_visit_frame(const mh_engine *e, const mh_frame_input *in, const mh_render_view *views, int n,
                                     int w, int h, mh_input_state *is);

/* mh_engine.c: freed memory back to the system (malloc_trim where glibc is). */
void mh_engine_trim_heap(void);

/* mh_engine_stream.c: streamed booth models (hall.json "streaming"). */
/* Sets up (or, for a hall that does not stream, clears) the booths' state
 * for the current hall and scene; stop frees every model and the state. */
void mh_engine_stream_start(mh_engine *e);
void mh_engine_stream_stop(mh_engine *e);
/* Each frame: drops what the policy says and, when can_load (the worker is
 * free and no SWITCH or RELOAD waits), starts the next load as e->job. */
void mh_engine_stream_step(mh_engine *e, bool can_load);
/* e->job (a BOOTH job) finished: true when its upload is set up (then
 * upload it a slice per frame and call mh_engine_stream_in). */
bool mh_engine_stream_loaded(mh_engine *e);
void mh_engine_stream_in(mh_engine *e);
/* The models in: animated (turning) and as layers seen from eye (returns how many). */
void mh_engine_stream_animate(mh_engine *e, float dt);
int mh_engine_stream_layers(mh_engine *e, mh_render_layer *out, mh_vec3 eye);

/* mh_engine_events.c */
/* Notes what changed in the visit this frame as events. */
void mh_engine_note_visit(mh_engine *e, double dt);
/* mh_engine_media.c: sound, video screens and gallery photos. */
void mh_engine_media_start(mh_engine *e);
void mh_engine_media_stop(mh_engine *e);
/* The hall was replaced (RELOAD): its screens and music start again. */
void mh_engine_media_hall(mh_engine *e);
/* Before the visit acts: how far its narration's audio is. */
void mh_engine_media_before(mh_engine *e, double now, mh_visit_frame *vf);
/* After it acted: narration, volume, photos, which screens play. */
void mh_engine_media_after(mh_engine *e, const mh_render_view *views, int view_count);
/* The screens, into the interface batch (world quads). */
void mh_engine_media_draw(mh_engine *e, mh_ui_batch *b);

#endif
