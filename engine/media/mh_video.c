/* mh_video.c - a looping video player over GStreamer's playbin (see
 * mh_video.h): appsinks hand RGBA frames to a triple buffer and sound to
 * the mixer; a control thread carries out play and pause and watches the
 * bus for the end (back to the start), errors and the first frame.
 *
 * The file is opened as every asset is (mh_fs_open: a regular file inside
 * its folder, no links, no FIFOs) and handed to GStreamer as fd://N, so
 * GStreamer never resolves a path itself. */
#include "mh_video.h"

#include <gst/gst.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/mh_fs.h"
#include "../core/mh_log.h"

#define DEFAULT_SIZE 640

struct mh_video {
    char path[600];
    int fd, max_size;
    bool detached; /* released: its thread frees it when done */
    GstElement *playbin;
    GstElement *vsink, *asink;
    mh_mixer *mixer;
    int voice;
    pthread_t thread;
    bool has_thread;
    pthread_mutex_t lock; /* the frame buffers' bookkeeping and the requests */
    pthread_cond_t wake;
    bool stop, want_play, playing_now;
    _Atomic int state; /* mh_video_state */
    /* three frame buffers: back (being written), ready, front (being drawn) */
    uint8_t *buf[3];
    int width, height;
    int back, ready, front;
    bool fresh;
    uint64_t number;
    _Atomic uint64_t decoded;
};

static pthread_once_t g_gst_once = PTHREAD_ONCE_INIT;
static bool g_gst_ok;

static void gst_start(void)
{
    GError *err = NULL;
    g_gst_ok = gst_init_check(NULL, NULL, &err);
    if (!g_gst_ok) {
        mh_log_error("media", "GStreamer does not start (%s): videos show placeholders", err ? err->message : "?");
        g_clear_error(&err);
    }
}

bool mh_video_init(void)
{
    pthread_once(&g_gst_once, gst_start);
    return g_gst_ok;
}

static void set_state(mh_video *v, mh_video_state s) { atomic_store(&v->state, (int)s); }

static void broken(mh_video *v, const char *why)
{
    if (atomic_load(&v->state) != MH_VIDEO_BROKEN)
        mh_log_warn("media", "%s: %s (showing a still placeholder)", v->path, why);
    set_state(v, MH_VIDEO_BROKEN);
}

/* ---- the streaming threads: frames and sound ------------------------------------ */

/* appsink's "pull-sample" action (through signals: only GStreamer's core
 * library is linked, which Debian's arm64 and amd64 packages both install). */
static GstSample *pull(GstElement *sink)
{
    GstSample *s = NULL;
    g_signal_emit_by_name(sink, "pull-sample", &s);
    return s;
}

/* A decoded frame: into the back buffer, which then becomes the ready one. */
static GstFlowReturn on_frame(GstElement *sink, gpointer user)
{
    mh_video *v = user;
    GstSample *s = pull(sink);
    if (!s)
        return GST_FLOW_OK;
    GstCaps *caps = gst_sample_get_caps(s);
    GstStructure *st = caps ? gst_caps_get_structure(caps, 0) : NULL;
    int w = 0, h = 0;
    GstMapInfo map;
    GstBuffer *b = gst_sample_get_buffer(s);
    if (st && gst_structure_get_int(st, "width", &w) && gst_structure_get_int(st, "height", &h) && w > 0 && h > 0 &&
        b && gst_buffer_map(b, &map, GST_MAP_READ)) {
        pthread_mutex_lock(&v->lock);
        if (w != v->width || h != v->height) { /* the first frame (or a new size): buffers sized once */
            for (int i = 0; i < 3; i++) {
                free(v->buf[i]);
                v->buf[i] = malloc((size_t)w * (size_t)h * 4);
            }
            v->width = w;
            v->height = h;
            v->fresh = false;
        }
        uint8_t *dst = v->buf[v->back];
        pthread_mutex_unlock(&v->lock);
        size_t row = (size_t)w * 4, stride = map.size / (size_t)h; /* rows may be padded */
        for (int y = 0; dst && y < h && stride >= row; y++)
            memcpy(dst + (size_t)y * row, map.data + (size_t)y * stride, row);
        gst_buffer_unmap(b, &map);
        pthread_mutex_lock(&v->lock);
        int t = v->ready;
        v->ready = v->back;
        v->back = t;
        v->fresh = dst != NULL;
        v->number++;
        pthread_mutex_unlock(&v->lock);
        atomic_fetch_add(&v->decoded, 1);
        if (atomic_load(&v->state) == MH_VIDEO_LOADING)
            set_state(v, v->want_play ? MH_VIDEO_PLAYING : MH_VIDEO_PAUSED);
    }
    gst_sample_unref(s);
    return GST_FLOW_OK;
}

static GstFlowReturn on_sound(GstElement *sink, gpointer user)
{
    mh_video *v = user;
    GstSample *s = pull(sink);
    if (!s)
        return GST_FLOW_OK;
    GstBuffer *b = gst_sample_get_buffer(s);
    GstMapInfo map;
    pthread_mutex_lock(&v->lock); /* a released player lets go of the mixer under it */
    if (v->mixer && b && gst_buffer_map(b, &map, GST_MAP_READ)) {
        mh_mixer_push(v->mixer, v->voice, (const float *)map.data, (int)(map.size / (2 * sizeof(float))));
        gst_buffer_unmap(b, &map);
    }
    pthread_mutex_unlock(&v->lock);
    gst_sample_unref(s);
    return GST_FLOW_OK;
}

/* ---- building the pipeline ---------------------------------------------------------- */

static GstElement *sink_bin(const char *description, const char *name, GstElement **sink)
{
    GError *err = NULL;
    GstElement *bin = gst_parse_bin_from_description(description, TRUE, &err);
    if (!bin) {
        mh_log_error("media", "GStreamer cannot build '%s': %s", description, err ? err->message : "?");
        g_clear_error(&err);
        return NULL;
    }
    *sink = gst_bin_get_by_name(GST_BIN(bin), name);
    return bin;
}

static bool build(mh_video *v, int size)
{
    char desc[400];
    snprintf(desc, sizeof desc,
             "videoscale ! video/x-raw,width=[1,%d],height=[1,%d],pixel-aspect-ratio=1/1 ! videoconvert ! "
             "video/x-raw,format=RGBA ! appsink name=vsink sync=true max-buffers=1 drop=true emit-signals=true",
             size, size);
    GstElement *vbin = sink_bin(desc, "vsink", &v->vsink);
    GstElement *abin = sink_bin("audioconvert ! audioresample ! "
                                "audio/x-raw,format=F32LE,rate=48000,channels=2,layout=interleaved ! "
                                "appsink name=asink sync=true max-buffers=8 drop=true emit-signals=true",
                                "asink", &v->asink);
    v->playbin = gst_element_factory_make("playbin", NULL);
    if (!vbin || !abin || !v->playbin || !v->vsink || !v->asink) {
        if (vbin)
            gst_object_unref(vbin);
        if (abin)
            gst_object_unref(abin);
        return false;
    }
    char uri[32];
    snprintf(uri, sizeof uri, "fd://%d", v->fd);
    g_object_set(v->playbin, "uri", uri, "video-sink", vbin, "audio-sink", abin, NULL);
    g_signal_connect(v->vsink, "new-sample", G_CALLBACK(on_frame), v);
    g_signal_connect(v->asink, "new-sample", G_CALLBACK(on_sound), v);
    return true;
}

/* ---- the control thread ---------------------------------------------------------------- */

static void handle(mh_video *v, GstMessage *msg)
{
    switch (GST_MESSAGE_TYPE(msg)) {
    case GST_MESSAGE_EOS: /* loop */
        if (!gst_element_seek_simple(v->playbin, GST_FORMAT_TIME, GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_KEY_UNIT, 0))
            broken(v, "it cannot be rewound to loop");
        pthread_mutex_lock(&v->lock);
        if (v->mixer)
            mh_mixer_flush(v->mixer, v->voice);
        pthread_mutex_unlock(&v->lock);
        break;
    case GST_MESSAGE_ERROR: {
        GError *err = NULL;
        gst_message_parse_error(msg, &err, NULL);
        char why[300];
        snprintf(why, sizeof why, "GStreamer: %s", err ? err->message : "an error");
        g_clear_error(&err);
        broken(v, why);
        gst_element_set_state(v->playbin, GST_STATE_NULL);
        break;
    }
    default: break;
    }
}

static void video_free(mh_video *v);

/* Starting GStreamer (the first time: its plugin registry) and building the
 * pipeline happen here, never in the frame loop. */
static void *control(void *arg)
{
    mh_video *v = arg;
    if (!mh_video_init() || !build(v, v->max_size)) {
        broken(v, "GStreamer could not set up a player (are the gstreamer1.0-plugins packages installed?)");
        pthread_mutex_lock(&v->lock);
        while (!v->stop)
            pthread_cond_wait(&v->wake, &v->lock);
        bool detached = v->detached;
        pthread_mutex_unlock(&v->lock);
        if (detached)
            video_free(v);
        return NULL;
    }
    GstBus *bus = gst_element_get_bus(v->playbin);
    gst_element_set_state(v->playbin, GST_STATE_PAUSED); /* prerolls: the first frame arrives */
    for (;;) {
        pthread_mutex_lock(&v->lock);
        bool stop = v->stop, play = v->want_play, now = v->playing_now;
        v->playing_now = play;
        pthread_mutex_unlock(&v->lock);
        if (stop)
            break;
        if (play != now && atomic_load(&v->state) != MH_VIDEO_BROKEN) {
            gst_element_set_state(v->playbin, play ? GST_STATE_PLAYING : GST_STATE_PAUSED);
            if (atomic_load(&v->state) != MH_VIDEO_LOADING)
                set_state(v, play ? MH_VIDEO_PLAYING : MH_VIDEO_PAUSED);
            pthread_mutex_lock(&v->lock);
            if (!play && v->mixer)
                mh_mixer_flush(v->mixer, v->voice);
            pthread_mutex_unlock(&v->lock);
        }
        GstMessage *msg = gst_bus_timed_pop_filtered(bus, 20 * GST_MSECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
        if (msg) {
            handle(v, msg);
            gst_message_unref(msg);
        }
    }
    gst_element_set_state(v->playbin, GST_STATE_NULL);
    gst_object_unref(bus);
    pthread_mutex_lock(&v->lock);
    bool detached = v->detached;
    pthread_mutex_unlock(&v->lock);
    if (detached)
        video_free(v);
    return NULL;
}

mh_video *mh_video_open(const mh_video_desc *d)
{
    mh_video *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    snprintf(v->path, sizeof v->path, "%s", d->path);
    v->mixer = d->mixer;
    v->voice = d->voice;
    v->back = 0, v->ready = 1, v->front = 2;
    v->fd = -1;
    pthread_mutex_init(&v->lock, NULL);
    pthread_cond_init(&v->wake, NULL);
    set_state(v, MH_VIDEO_LOADING);
    v->max_size = d->max_size > 0 ? d->max_size : DEFAULT_SIZE;
    mh_error err;
    v->fd = mh_fs_open(d->path, d->root, &err);
    if (v->fd < 0) {
        broken(v, err.message);
        return v;
    }
    v->has_thread = pthread_create(&v->thread, NULL, control, v) == 0;
    if (!v->has_thread)
        broken(v, "its thread could not start");
    return v;
}

static void video_free(mh_video *v)
{
    if (v->playbin) {
        gst_element_set_state(v->playbin, GST_STATE_NULL);
        gst_object_unref(v->vsink);
        gst_object_unref(v->asink);
        gst_object_unref(v->playbin);
    }
    if (v->fd >= 0)
        close(v->fd);
    for (int i = 0; i < 3; i++)
        free(v->buf[i]);
    pthread_mutex_destroy(&v->lock);
    pthread_cond_destroy(&v->wake);
    free(v);
}

void mh_video_close(mh_video **pv)
{
    mh_video *v = pv ? *pv : NULL;
    if (!v)
        return;
    if (v->has_thread) {
        pthread_mutex_lock(&v->lock);
        v->stop = true;
        pthread_cond_broadcast(&v->wake);
        pthread_mutex_unlock(&v->lock);
        pthread_join(v->thread, NULL);
    }
    video_free(v);
    *pv = NULL;
}

void mh_video_release(mh_video **pv)
{
    mh_video *v = pv ? *pv : NULL;
    if (!v)
        return;
    *pv = NULL;
    if (!v->has_thread) {
        video_free(v);
        return;
    }
    pthread_mutex_lock(&v->lock);
    v->stop = true;
    v->detached = true;
    v->mixer = NULL;
    pthread_cond_broadcast(&v->wake);
    pthread_mutex_unlock(&v->lock);
    pthread_detach(v->thread);
}

void mh_video_play(mh_video *v, bool play)
{
    pthread_mutex_lock(&v->lock);
    v->want_play = play;
    pthread_mutex_unlock(&v->lock);
}

mh_video_state mh_video_get_state(const mh_video *v) { return (mh_video_state)atomic_load(&v->state); }

uint64_t mh_video_decoded(const mh_video *v) { return atomic_load(&v->decoded); }

bool mh_video_frame(mh_video *v, const uint8_t **rgba, int *width, int *height, uint64_t *number)
{
    pthread_mutex_lock(&v->lock); /* held for an index swap only */
    bool fresh = v->fresh;
    if (fresh) {
        int t = v->front;
        v->front = v->ready;
        v->ready = t;
        v->fresh = false;
    }
    *rgba = v->buf[v->front];
    *width = v->width;
    *height = v->height;
    *number = v->number;
    pthread_mutex_unlock(&v->lock);
    return fresh && *rgba;
}
