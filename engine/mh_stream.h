/* mh_stream.h - which booths' landmark models are resident (hall.json
 * "streaming"): a pure policy, no files, no GL, no allocation, so it can be
 * tested on an eye path alone (tests/test_stream.c). The engine
 * (mh_engine_stream.c) loads what it says on the loader's worker, one model
 * at a time and only when no SWITCH or RELOAD wants the worker, and drops
 * what it says at once (GPU and CPU memory freed, the stand-in back).
 *
 * The rule, each frame, with d the horizontal distance from the eye to a
 * booth's plinth:
 * - a resident model beyond far_m is dropped;
 * - while the resident models pass the budget, the farthest is dropped;
 * - the nearest booth within near_m whose model is not in (and did not
 *   fail) loads next, if its size fits the budget, after dropping resident
 *   models farther from the eye than it (farthest first) when that makes
 *   room; a model bigger than the whole budget never loads. At most
 *   `slots` models are in (or loading) at once, counted as the budget is.
 * Between near_m and far_m a model stays as it is (no flicker at an edge). */
#ifndef MH_STREAM_H
#define MH_STREAM_H

#include <stdbool.h>
#include <stdint.h>

#include "asset/mh_hall_load.h"
#include "core/mh_math.h"

typedef enum mh_stream_state {
    MH_STREAM_OUT,     /* the stand-in shows */
    MH_STREAM_LOADING, /* on the worker, or going onto the GPU */
    MH_STREAM_IN,      /* the model shows */
    MH_STREAM_FAILED,  /* it did not load: the stand-in stays (until RELOAD) */
} mh_stream_state;

typedef struct mh_stream_booth {
    bool streams;   /* it has a model to stream */
    mh_vec2 pos;    /* its plinth, x and z */
    uint64_t bytes; /* what it holds (vertices, indices, texels) once it was in; before, an estimate */
    mh_stream_state state;
} mh_stream_booth;

/* What to do this frame: the booths to drop (farthest first), then one to
 * load (-1: none). */
typedef struct mh_stream_plan {
    int load;
    int drop_count;
} mh_stream_plan;

/* The plan for booths b[0..n) seen from eye (x, z). can_load: the worker is
 * free for a model now. slots: the most models in at once (the renderer's
 * scenes left for them). drops (n entries) receives the booths to drop. */
mh_stream_plan mh_stream_decide(const mh_hall_streaming *s, const mh_stream_booth *b, int n, mh_vec2 eye, bool can_load,
                                int slots, int *drops);

#endif
