/* mh_wav_sink.c - the engine's sound into a WAV file (see mh_wav_sink.h). */
#include "mh_wav_sink.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE 48000
#define CHANNELS 2
#define BLOCK 4096

struct mh_wav_sink {
    FILE *f;
    uint64_t written; /* frames */
    bool failed;
    float buf[BLOCK * CHANNELS];
};

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8), p[2] = (uint8_t)(v >> 16), p[3] = (uint8_t)(v >> 24);
}

/* The RIFF header for `frames` frames of 32-bit float stereo. */
static void header(uint8_t h[44], uint64_t frames)
{
    uint32_t data = (uint32_t)(frames * CHANNELS * 4);
    memcpy(h, "RIFF", 4);
    put32(h + 4, 36 + data);
    memcpy(h + 8, "WAVEfmt ", 8);
    put32(h + 16, 16);
    h[20] = 3, h[21] = 0; /* IEEE float */
    h[22] = CHANNELS, h[23] = 0;
    put32(h + 24, RATE);
    put32(h + 28, RATE * CHANNELS * 4);
    h[32] = CHANNELS * 4, h[33] = 0;
    h[34] = 32, h[35] = 0;
    memcpy(h + 36, "data", 4);
    put32(h + 40, data);
}

mh_wav_sink *mh_wav_sink_open(const char *path, mh_error *err)
{
    mh_wav_sink *w = calloc(1, sizeof *w);
    if (!w) {
        mh_fail(err, path, "", "out of memory");
        return NULL;
    }
    uint8_t h[44];
    header(h, 0);
    if (!(w->f = fopen(path, "wb")) || fwrite(h, 1, sizeof h, w->f) != sizeof h) {
        mh_fail(err, path, "", "cannot write the sound file");
        if (w->f)
            fclose(w->f);
        free(w);
        return NULL;
    }
    return w;
}

void mh_wav_sink_pump(mh_wav_sink *w, mh_engine *e, double time_s)
{
    uint64_t due = (uint64_t)(time_s * RATE + 0.5);
    while (w->written < due && !w->failed) {
        int n = due - w->written < BLOCK ? (int)(due - w->written) : BLOCK;
        mh_engine_audio_mix(e, w->buf, n, RATE, CHANNELS);
        w->failed = fwrite(w->buf, sizeof(float) * CHANNELS, (size_t)n, w->f) != (size_t)n;
        w->written += (uint64_t)n;
    }
}

bool mh_wav_sink_close(mh_wav_sink **pw)
{
    mh_wav_sink *w = pw ? *pw : NULL;
    if (!w)
        return true;
    uint8_t h[44];
    header(h, w->written);
    bool ok = !w->failed && fseek(w->f, 0, SEEK_SET) == 0 && fwrite(h, 1, sizeof h, w->f) == sizeof h;
    ok = fclose(w->f) == 0 && ok;
    free(w);
    *pw = NULL;
    return ok;
}
