/* mh_sound_file.c - Ogg Opus and Ogg Vorbis files as 48 kHz stereo floats
 * (see mh_sound_file.h). */
#include "mh_sound_file.h"

#include <opusfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <vorbis/vorbisfile.h>

#include "../core/mh_fs.h"
#include "../core/mh_log.h"

struct mh_sound_file {
    char path[512];
    OggOpusFile *opus;
    OggVorbis_File vorbis;
    bool is_vorbis;
    FILE *stream;           /* Vorbis reads through stdio */
    int rate, channels;     /* the file's (Vorbis) */
    double step, pos;       /* resampling: source frames per output frame, position */
    float prev[2], next[2]; /* the two source frames around pos */
    bool primed, failed;
};

static bool open_opus(mh_sound_file *f, int fd)
{
    OpusFileCallbacks cb;
    void *src = op_fdopen(&cb, fd, "rb");
    if (!src)
        return false;
    int e = 0;
    f->opus = op_open_callbacks(src, &cb, NULL, 0, &e);
    if (!f->opus) {
        cb.close(src);
        return false;
    }
    return true;
}

static bool open_vorbis(mh_sound_file *f, int fd)
{
    f->stream = fdopen(fd, "rb");
    if (!f->stream)
        return false;
    if (ov_open_callbacks(f->stream, &f->vorbis, NULL, 0, OV_CALLBACKS_DEFAULT) != 0) {
        fclose(f->stream);
        f->stream = NULL;
        return false;
    }
    vorbis_info *vi = ov_info(&f->vorbis, -1);
    f->is_vorbis = true;
    f->rate = vi ? (int)vi->rate : MH_SOUND_RATE;
    f->channels = vi ? vi->channels : 2;
    f->step = (double)f->rate / MH_SOUND_RATE;
    return f->rate > 0 && f->channels > 0;
}

mh_sound_file *mh_sound_open(const char *path, const char *root, mh_error *err)
{
    mh_sound_file *f = calloc(1, sizeof *f);
    if (!f) {
        mh_fail(err, path, "", "out of memory");
        return NULL;
    }
    snprintf(f->path, sizeof f->path, "%s", path);
    int fd = mh_fs_open(path, root, err);
    if (fd < 0) {
        free(f);
        return NULL;
    }
    int dup_fd = dup(fd); /* opusfile closes what it is given; Vorbis gets the copy */
    bool ok = open_opus(f, fd);
    if (!ok && dup_fd >= 0) {
        lseek(dup_fd, 0, SEEK_SET);
        ok = open_vorbis(f, dup_fd);
        dup_fd = ok ? -1 : dup_fd;
    }
    if (dup_fd >= 0)
        close(dup_fd);
    if (!ok) {
        mh_fail(err, path, "", "not an Ogg Opus or Ogg Vorbis file (or a damaged one)");
        mh_sound_close(&f);
        return NULL;
    }
    return f;
}

void mh_sound_close(mh_sound_file **pf)
{
    mh_sound_file *f = pf ? *pf : NULL;
    if (!f)
        return;
    if (f->opus)
        op_free(f->opus);
    if (f->is_vorbis)
        ov_clear(&f->vorbis); /* closes the stream */
    free(f);
    *pf = NULL;
}

float mh_sound_length(const mh_sound_file *f)
{
    if (f->opus) {
        ogg_int64_t n = op_pcm_total(f->opus, -1);
        return n > 0 ? (float)n / 48000.0f : 0;
    }
    ogg_int64_t n = ov_pcm_total((OggVorbis_File *)&f->vorbis, -1);
    return n > 0 && f->rate > 0 ? (float)n / (float)f->rate : 0;
}

bool mh_sound_rewind(mh_sound_file *f)
{
    f->primed = false;
    f->pos = 0;
    if (f->opus)
        return op_pcm_seek(f->opus, 0) == 0;
    return ov_pcm_seek(&f->vorbis, 0) == 0;
}

static void decode_failed(mh_sound_file *f, int code)
{
    if (!f->failed)
        mh_log_warn("media", "%s: the sound cannot be decoded further (error %d); it stops here", f->path, code);
    f->failed = true;
}

/* One source frame of the Vorbis file, stereo; false at the end. */
static bool vorbis_frame(mh_sound_file *f, float out[2])
{
    float **pcm;
    int section;
    long n = ov_read_float(&f->vorbis, &pcm, 1, &section);
    if (n < 0) {
        decode_failed(f, (int)n);
        return false;
    }
    if (n == 0)
        return false;
    out[0] = pcm[0][0];
    out[1] = f->channels > 1 ? pcm[1][0] : pcm[0][0];
    return true;
}

/* Vorbis at its own rate, linearly resampled to 48 kHz. */
static int read_vorbis(mh_sound_file *f, float *out, int frames)
{
    if (!f->primed) {
        if (!vorbis_frame(f, f->prev))
            return 0;
        if (!vorbis_frame(f, f->next))
            memcpy(f->next, f->prev, sizeof f->next);
        f->primed = true;
    }
    int n = 0;
    for (; n < frames; n++) {
        while (f->pos >= 1.0) {
            memcpy(f->prev, f->next, sizeof f->prev);
            if (!vorbis_frame(f, f->next))
                return n;
            f->pos -= 1.0;
        }
        float t = (float)f->pos;
        out[2 * n] = f->prev[0] + (f->next[0] - f->prev[0]) * t;
        out[2 * n + 1] = f->prev[1] + (f->next[1] - f->prev[1]) * t;
        f->pos += f->step;
    }
    return n;
}

int mh_sound_read(mh_sound_file *f, float *out, int frames)
{
    if (f->failed)
        return 0;
    if (f->is_vorbis)
        return read_vorbis(f, out, frames);
    int n = 0;
    while (n < frames) {
        int got = op_read_float_stereo(f->opus, out + 2 * n, 2 * (frames - n));
        if (got < 0 && got != OP_HOLE) {
            decode_failed(f, got);
            break;
        }
        if (got == 0)
            break;
        n += got > 0 ? got : 0;
    }
    return n;
}
