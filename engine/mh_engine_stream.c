/* mh_engine_stream.c - streamed booth models (hall.json "streaming"): the
 * hall is built with a stand-in on each such booth's plinth; the policy
 * (mh_stream.c) picks the nearest to load on the loader's worker (a job of
 * its own kind, started only when no SWITCH or RELOAD waits, and cancelled
 * by one), its upload goes a slice per frame as the featured exhibit's
 * does, then it is drawn as a layer of its own and the stand-in hidden.
 * Dropped models give back their GPU and CPU memory at once. The arrays are
 * made when the hall is; the frame loop allocates nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/mh_log.h"
#include "mh_engine_internal.h"

/* The renderer's scenes left for booth models: the hall, the stage's two
 * and a RELOAD's new hall take the others. */
#define STREAM_SLOTS (MH_RENDER_SCENES - 4)
/* Until a model has been in once, its size is guessed from its file's: the
 * shipped landmarks take 4-4.6x their GLB in memory, a GLB of PNG textures
 * ~3x (its texels decoded, with mip levels). */
#define EXPANDS 4u

/* What a loaded model holds in memory: vertices, indices and texels with
 * their mip levels (the GPU's copy, once the CPU's is freed). */
static uint64_t content_bytes(const mh_scene *sc)
{
    uint64_t n = (uint64_t)sc->mesh.vertex_count * sizeof *sc->mesh.vertices + (uint64_t)sc->mesh.index_count * 4;
    for (int i = 0; i < sc->texture_count; i++)
        n += (uint64_t)sc->textures[i].width * (uint64_t)sc->textures[i].height * 4 * 4 / 3;
    return n;
}

static void show_stand_in(mh_engine *e, int booth, bool shown)
{
    const int *r = e->scene.stand_ins;
    for (int k = r ? r[2 * booth] : 0; r && k < r[2 * booth + 1]; k++)
        e->scene.chunks[k].hidden = !shown;
}

void mh_engine_stream_start(mh_engine *e)
{
    const mh_hall_desc *h = &e->hall;
    stream *s = &e->stream;
    *s = (stream){.loading = -1, .eye = e->nav.pos};
    if (!h->streaming.on || !e->scene.stand_ins || h->booth_count == 0)
        return;
    int n = h->booth_count;
    s->booths = calloc((size_t)n, sizeof *s->booths);
    s->slots = calloc((size_t)n, sizeof *s->slots);
    s->drops = calloc((size_t)n, sizeof *s->drops);
    s->layers = calloc((size_t)n + 3, sizeof *s->layers);
    if (!s->booths || !s->slots || !s->drops || !s->layers) {
        mh_log_error("stream", "out of memory: the booths keep their stand-ins");
        mh_engine_stream_stop(e);
        return;
    }
    s->count = n;
    for (int i = 0; i < n; i++) {
        mh_vec3 p = mh_scene_booth_plinth(h, i);
        struct stat st;
        const char *model = h->booths[i].exhibit.model;
        s->booths[i] = (mh_stream_booth){.streams = mh_scene_booth_streams(h, i),
                                         .pos = {p.x, p.z},
                                         .bytes = model && stat(model, &st) == 0 ? EXPANDS * (uint64_t)st.st_size : 0};
    }
    mh_log_info("stream", "streaming booth models within %.0f m (dropped beyond %.0f m), budget %.0f MB",
                h->streaming.near_m, h->streaming.far_m, h->streaming.budget_mb);
}

static void drop(mh_engine *e, int i)
{
    stream *s = &e->stream;
    stream_slot *slot = &s->slots[i];
    mh_renderer_scene_destroy(e->renderer, &slot->gpu);
    mh_scene_free(&slot->scene);
    show_stand_in(e, i, true);
    s->booths[i].state = MH_STREAM_OUT;
    s->resident--;
    s->resident_bytes -= s->booths[i].bytes;
    mh_log_info("stream", "booth %s dropped (%.1f MB freed)", e->hall.booths[i].exhibit.id,
                (double)s->booths[i].bytes / 1048576.0);
    mh_engine_trim_heap(); /* a model's buffers sat in the worker's and the driver's heaps */
}

void mh_engine_stream_stop(mh_engine *e)
{
    stream *s = &e->stream;
    for (int i = 0; i < s->count; i++)
        if (s->booths[i].state == MH_STREAM_IN)
            drop(e, i);
    free(s->booths);
    free(s->slots);
    free(s->drops);
    free(s->layers);
    *s = (stream){.loading = -1};
}

static void start_load(mh_engine *e, int i)
{
    mh_load_job *j = calloc(1, sizeof *j);
    if (!j)
        return; /* tried again next frame */
    j->kind = MH_LOAD_BOOTH;
    j->hall = &e->hall;
    j->booth = i;
    snprintf(j->exhibit, sizeof j->exhibit, "%s", e->hall.booths[i].exhibit.id);
    if (!mh_load_start(j)) {
        free(j);
        return;
    }
    e->job = j;
    e->stream.loading = i;
    e->stream.booths[i].state = MH_STREAM_LOADING;
    mh_log_debug("stream", "loading booth %s", j->exhibit);
}

void mh_engine_stream_step(mh_engine *e, bool can_load)
{
    stream *s = &e->stream;
    if (!s->count)
        return;
    mh_stream_plan p =
        mh_stream_decide(&e->hall.streaming, s->booths, s->count, s->eye, can_load, STREAM_SLOTS, s->drops);
    for (int k = 0; k < p.drop_count; k++)
        drop(e, s->drops[k]);
    if (p.load >= 0)
        start_load(e, p.load);
}

bool mh_engine_stream_loaded(mh_engine *e)
{
    mh_load_job *j = e->job;
    stream *s = &e->stream;
    mh_stream_booth *b = &s->booths[j->booth];
    mh_error err = j->err;
    b->state = MH_STREAM_FAILED;
    if (j->ok) {
        b->bytes = content_bytes(&j->feature);
        if ((e->up_feature = mh_renderer_scene_create(e->renderer, &j->feature, &err)).id) {
            b->state = MH_STREAM_LOADING;
            return true;
        }
    }
    s->loading = -1;
    if (j->cancelled) {
        b->state = MH_STREAM_OUT; /* a SWITCH or RELOAD took the worker: later */
        mh_log_info("stream", "booth %s waits: a SWITCH or RELOAD takes the worker first", j->exhibit);
        return false;
    }
    char text[1024];
    mh_log_error("stream", "booth %s keeps its stand-in: %s", j->exhibit, mh_error_text(&err, text, sizeof text));
    return false;
}

void mh_engine_stream_in(mh_engine *e)
{
    mh_load_job *j = e->job;
    stream *s = &e->stream;
    int i = j->booth;
    s->slots[i] = (stream_slot){.scene = j->feature, .gpu = e->up_feature};
    j->has_feature = false;
    e->up_feature = (mh_gpu_scene){0};
    mh_scene_set_time(&s->slots[i].scene, (float)e->scene.clock); /* turning in step with the hall */
    show_stand_in(e, i, false);
    s->booths[i].state = MH_STREAM_IN;
    s->loading = -1;
    s->resident++;
    s->resident_bytes += s->booths[i].bytes;
    mh_log_info("stream", "booth %s in (%.1f MB, %.0f ms on the worker; %d in, %.1f MB)", j->exhibit,
                (double)s->booths[i].bytes / 1048576.0, j->seconds * 1e3, s->resident,
                (double)s->resident_bytes / 1048576.0);
}

void mh_engine_stream_animate(mh_engine *e, float dt)
{
    stream *s = &e->stream;
    for (int i = 0; i < s->count; i++)
        if (s->booths[i].state == MH_STREAM_IN)
            mh_scene_animate(&s->slots[i].scene, dt);
}

int mh_engine_stream_layers(mh_engine *e, mh_render_layer *out, mh_vec3 eye)
{
    stream *s = &e->stream;
    s->eye = (mh_vec2){eye.x, eye.z};
    int n = 0;
    for (int i = 0; i < s->count; i++)
        if (s->booths[i].state == MH_STREAM_IN)
            out[n++] = (mh_render_layer){.scene = s->slots[i].gpu, .cpu = &s->slots[i].scene};
    return n;
}

int mh_engine_streamed(const mh_engine *e, uint64_t *out_bytes)
{
    if (out_bytes)
        *out_bytes = e->stream.resident_bytes;
    return e->stream.resident;
}
