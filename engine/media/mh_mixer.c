/* mh_mixer.c - voices, their rings and gains, the decoder thread and the
 * mix (see mh_mixer.h). */
#include "mh_mixer.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/mh_log.h"
#include "mh_sound_file.h"

#define FILE_RING (MH_MIXER_RATE * 2)   /* frames a file voice reads ahead: 2 s */
#define STREAM_RING (MH_MIXER_RATE / 2) /* a stream voice's: 0.5 s */
#define CHUNK 1024                      /* frames decoded at a time */
#define STAGE 256                       /* 48 kHz frames mixed at a time for another output rate */

typedef struct voice {
    float *ring; /* stereo frames */
    uint32_t cap;
    uint64_t read, write; /* frame counters; fill = write - read */
    float gain, target;
    bool active, eof, loop, failed;
    uint64_t consumed;
    uint32_t serial;
    /* file voices: what the decoder is to open, and the open file */
    char path[600], root[600];
    bool request;
    mh_sound_file *file;
    float length;
} voice;

struct mh_mixer {
    pthread_mutex_t lock;
    pthread_cond_t want, filled; /* the decoder's wake-up; "more samples are in" (offline) */
    pthread_t thread;
    bool running, offline;
    voice voices[MH_MIXER_VOICES];
    float master, master_target;
    uint32_t next_serial;
    uint64_t frames;
    /* another output rate: 48 kHz frames staged for resampling */
    float stage[2 * (STAGE + 1)];
    int stage_n;
    double stage_pos;
};

static uint32_t fill(const voice *v) { return (uint32_t)(v->write - v->read); }

/* ---- the decoder thread --------------------------------------------------- */

/* Opens what a voice asked for (outside the lock: a file may be slow). */
static void open_request(mh_mixer *m, int i)
{
    voice *v = &m->voices[i];
    char path[600], root[600];
    snprintf(path, sizeof path, "%s", v->path);
    snprintf(root, sizeof root, "%s", v->root);
    uint32_t serial = v->serial;
    v->request = false;
    mh_sound_file *old = v->file;
    v->file = NULL;
    pthread_mutex_unlock(&m->lock);
    mh_sound_close(&old);
    mh_error err;
    mh_sound_file *f = path[0] ? mh_sound_open(path, root[0] ? root : NULL, &err) : NULL;
    if (path[0] && !f) {
        char text[1024];
        mh_log_warn("media", "%s (it stays silent)", mh_error_text(&err, text, sizeof text));
    }
    pthread_mutex_lock(&m->lock);
    if (v->serial != serial || v->request) { /* superseded meanwhile */
        pthread_mutex_unlock(&m->lock);
        mh_sound_close(&f);
        pthread_mutex_lock(&m->lock);
        return;
    }
    v->file = f;
    v->failed = path[0] && !f;
    v->eof = !f;
    v->length = f ? mh_sound_length(f) : 0;
}

/* Decodes a chunk into voice i's ring when it has room; true when it did. */
static bool feed(mh_mixer *m, int i, float *buf)
{
    voice *v = &m->voices[i];
    if (!v->file || v->eof || v->cap - fill(v) < CHUNK)
        return false;
    mh_sound_file *f = v->file;
    uint32_t serial = v->serial;
    bool loop = v->loop;
    pthread_mutex_unlock(&m->lock);
    int n = mh_sound_read(f, buf, CHUNK);
    if (n == 0 && loop && mh_sound_rewind(f))
        n = mh_sound_read(f, buf, CHUNK);
    pthread_mutex_lock(&m->lock);
    if (v->serial != serial || v->file != f)
        return true; /* restarted meanwhile: drop what was read */
    for (int k = 0; k < n; k++) {
        uint32_t at = (uint32_t)((v->write + (uint64_t)k) % v->cap);
        v->ring[2 * at] = buf[2 * k];
        v->ring[2 * at + 1] = buf[2 * k + 1];
    }
    v->write += (uint64_t)n;
    if (n == 0)
        v->eof = true;
    pthread_cond_broadcast(&m->filled);
    return true;
}

static void *decoder(void *arg)
{
    mh_mixer *m = arg;
    static _Thread_local float buf[2 * CHUNK];
    pthread_mutex_lock(&m->lock);
    while (m->running) {
        bool busy = false;
        for (int i = 0; i < MH_VOICE_STREAMS; i++) {
            if (m->voices[i].request) {
                open_request(m, i);
                busy = true;
            }
            busy = feed(m, i, buf) || busy;
        }
        if (!busy) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_nsec += 20 * 1000000;
            if (ts.tv_nsec >= 1000000000) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000;
            }
            pthread_cond_timedwait(&m->want, &m->lock, &ts);
        }
    }
    pthread_mutex_unlock(&m->lock);
    return NULL;
}

/* ---- creating and controlling ------------------------------------------------- */

mh_mixer *mh_mixer_create(const mh_mixer_desc *desc)
{
    mh_mixer *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->offline = desc->offline;
    m->master = m->master_target = 1;
    for (int i = 0; i < MH_MIXER_VOICES; i++) {
        voice *v = &m->voices[i];
        v->cap = i < MH_VOICE_STREAMS ? FILE_RING : STREAM_RING;
        v->ring = calloc((size_t)v->cap * 2, sizeof(float));
        v->gain = v->target = 1;
        if (!v->ring) {
            mh_mixer_destroy(&m);
            return NULL;
        }
    }
    pthread_mutex_init(&m->lock, NULL);
    pthread_cond_init(&m->want, NULL);
    pthread_cond_init(&m->filled, NULL);
    m->running = true;
    if (pthread_create(&m->thread, NULL, decoder, m) != 0) {
        m->running = false;
        mh_log_error("media", "no sound: the decoder thread could not start");
    }
    return m;
}

void mh_mixer_destroy(mh_mixer **pm)
{
    mh_mixer *m = pm ? *pm : NULL;
    if (!m)
        return;
    if (m->running) {
        pthread_mutex_lock(&m->lock);
        m->running = false;
        pthread_cond_broadcast(&m->want);
        pthread_mutex_unlock(&m->lock);
        pthread_join(m->thread, NULL);
        pthread_mutex_destroy(&m->lock);
        pthread_cond_destroy(&m->want);
        pthread_cond_destroy(&m->filled);
    }
    for (int i = 0; i < MH_MIXER_VOICES; i++) {
        mh_sound_close(&m->voices[i].file);
        free(m->voices[i].ring);
    }
    free(m);
    *pm = NULL;
}

uint32_t mh_mixer_play_file(mh_mixer *m, int voice_id, const char *path, const char *root, bool loop)
{
    if (voice_id < 0 || voice_id >= MH_VOICE_STREAMS)
        return 0;
    pthread_mutex_lock(&m->lock);
    voice *v = &m->voices[voice_id];
    snprintf(v->path, sizeof v->path, "%s", path ? path : "");
    snprintf(v->root, sizeof v->root, "%s", root ? root : "");
    v->serial = ++m->next_serial;
    v->request = true;
    v->active = path != NULL;
    v->eof = path == NULL;
    v->failed = false;
    v->loop = loop;
    v->read = v->write = 0;
    v->consumed = 0;
    v->length = 0;
    uint32_t serial = v->serial;
    pthread_cond_broadcast(&m->want);
    pthread_mutex_unlock(&m->lock);
    return serial;
}

int mh_mixer_push(mh_mixer *m, int voice_id, const float *stereo, int frames)
{
    if (voice_id < MH_VOICE_STREAMS || voice_id >= MH_MIXER_VOICES)
        return 0;
    pthread_mutex_lock(&m->lock);
    voice *v = &m->voices[voice_id];
    uint32_t room = v->cap - fill(v), n = (uint32_t)frames < room ? (uint32_t)frames : room;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t at = (uint32_t)((v->write + k) % v->cap);
        v->ring[2 * at] = stereo[2 * k];
        v->ring[2 * at + 1] = stereo[2 * k + 1];
    }
    v->write += n;
    v->active = true;
    pthread_mutex_unlock(&m->lock);
    return (int)n;
}

void mh_mixer_flush(mh_mixer *m, int voice_id)
{
    if (voice_id < 0 || voice_id >= MH_MIXER_VOICES)
        return;
    pthread_mutex_lock(&m->lock);
    m->voices[voice_id].read = m->voices[voice_id].write;
    pthread_mutex_unlock(&m->lock);
}

void mh_mixer_set_gain(mh_mixer *m, int voice_id, float gain)
{
    if (voice_id < 0 || voice_id >= MH_MIXER_VOICES)
        return;
    pthread_mutex_lock(&m->lock);
    voice *v = &m->voices[voice_id];
    v->target = gain < 0 ? 0 : gain > 1 ? 1 : gain;
    if (!v->active || m->frames == 0) /* silent so far: start at the gain, no glide */
        v->gain = v->target;
    pthread_mutex_unlock(&m->lock);
}

void mh_mixer_set_master(mh_mixer *m, float gain)
{
    pthread_mutex_lock(&m->lock);
    m->master_target = gain < 0 ? 0 : gain > 1 ? 1 : gain;
    if (m->frames == 0)
        m->master = m->master_target;
    pthread_mutex_unlock(&m->lock);
}

static bool speaking(const voice *v) { return v->active && !v->failed && (!v->eof || fill(v) > 0); }

mh_voice_state mh_mixer_state(mh_mixer *m, int voice_id)
{
    mh_voice_state s = {0};
    if (voice_id < 0 || voice_id >= MH_MIXER_VOICES)
        return s;
    pthread_mutex_lock(&m->lock);
    const voice *v = &m->voices[voice_id];
    s = (mh_voice_state){v->active, speaking(v), v->failed, (float)v->consumed / MH_MIXER_RATE, v->length, v->serial};
    pthread_mutex_unlock(&m->lock);
    return s;
}

uint64_t mh_mixer_frames(mh_mixer *m)
{
    pthread_mutex_lock(&m->lock);
    uint64_t n = m->frames;
    pthread_mutex_unlock(&m->lock);
    return n;
}

/* ---- mixing --------------------------------------------------------------------- */

/* Offline: waits until the file voices that still have sound to come hold
 * `frames` frames (or reach their end). */
static void wait_for_decoder(mh_mixer *m, int frames)
{
    for (int i = 0; i < MH_VOICE_STREAMS; i++) {
        voice *v = &m->voices[i];
        while (m->running && v->active && (v->request || (!v->eof && fill(v) < (uint32_t)frames))) {
            pthread_cond_broadcast(&m->want);
            pthread_cond_wait(&m->filled, &m->lock);
        }
    }
}

/* Mixes n 48 kHz stereo frames into out (overwriting it). */
static void mix48(mh_mixer *m, float *out, int n)
{
    const float k = 1.0f - expf(-1.0f / (0.05f * MH_MIXER_RATE)); /* 50 ms glide */
    memset(out, 0, sizeof(float) * 2 * (size_t)n);
    if (m->offline)
        wait_for_decoder(m, n);
    bool narrating = speaking(&m->voices[MH_VOICE_NARRATION]);
    for (int i = 0; i < MH_MIXER_VOICES; i++) {
        voice *v = &m->voices[i];
        float target = v->target * (i == MH_VOICE_MUSIC && narrating ? MH_MIXER_DUCK : 1.0f);
        float master = m->master;
        uint32_t avail = fill(v);
        for (int f = 0; f < n; f++) {
            v->gain += (target - v->gain) * k;
            master += (m->master_target - master) * k;
            if ((uint32_t)f >= avail)
                continue;
            uint32_t at = (uint32_t)((v->read + (uint64_t)f) % v->cap);
            out[2 * f] += v->ring[2 * at] * v->gain * master;
            out[2 * f + 1] += v->ring[2 * at + 1] * v->gain * master;
        }
        uint32_t used = avail < (uint32_t)n ? avail : (uint32_t)n;
        v->read += used;
        v->consumed += used;
    }
    for (int f = 0; f < n; f++) /* the master gain glides once, whatever the voices */
        m->master += (m->master_target - m->master) * k;
    for (int f = 0; f < 2 * n; f++)
        out[f] = out[f] > 1 ? 1 : out[f] < -1 ? -1 : out[f];
    m->frames += (uint64_t)n;
    pthread_cond_broadcast(&m->want);
}

/* One output frame at another rate: linear between staged 48 kHz frames. */
static void resampled(mh_mixer *m, int rate, float out[2])
{
    double step = (double)MH_MIXER_RATE / rate;
    while (m->stage_pos + 1 >= m->stage_n) { /* keep two staged frames around the position */
        int keep = m->stage_n > 0 ? 1 : 0;
        if (keep)
            memcpy(m->stage, m->stage + 2 * (m->stage_n - 1), 2 * sizeof(float));
        m->stage_pos -= m->stage_n - keep;
        mix48(m, m->stage + 2 * keep, STAGE);
        m->stage_n = STAGE + keep;
    }
    int i = (int)m->stage_pos;
    float t = (float)(m->stage_pos - i);
    out[0] = m->stage[2 * i] + (m->stage[2 * i + 2] - m->stage[2 * i]) * t;
    out[1] = m->stage[2 * i + 1] + (m->stage[2 * i + 3] - m->stage[2 * i + 1]) * t;
    m->stage_pos += step;
}

void mh_mixer_mix(mh_mixer *m, float *out, int frames, int rate, int channels)
{
    if (frames <= 0 || channels <= 0)
        return;
    pthread_mutex_lock(&m->lock);
    float buf[2 * STAGE];
    for (int done = 0; done < frames;) {
        int n = frames - done < STAGE ? frames - done : STAGE;
        if (rate == MH_MIXER_RATE)
            mix48(m, buf, n);
        else
            for (int f = 0; f < n; f++)
                resampled(m, rate, buf + 2 * f);
        for (int f = 0; f < n; f++) {
            float *o = out + (size_t)(done + f) * (size_t)channels;
            if (channels == 1) {
                o[0] = 0.5f * (buf[2 * f] + buf[2 * f + 1]);
                continue;
            }
            o[0] = buf[2 * f];
            o[1] = buf[2 * f + 1];
            for (int c = 2; c < channels; c++)
                o[c] = 0;
        }
        done += n;
    }
    pthread_mutex_unlock(&m->lock);
}
