/* mh_sound_file.h - reading an Ogg Opus (libopusfile) or Ogg Vorbis
 * (libvorbisfile) file as 48 kHz stereo float samples, a block at a time:
 * narration and background music. Mono is doubled into both channels; a
 * Vorbis file at another rate is resampled linearly. The file is opened as
 * every asset is (mh_fs_open: no links, no FIFOs, inside its folder). */
#ifndef MH_SOUND_FILE_H
#define MH_SOUND_FILE_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/mh_error.h"

#define MH_SOUND_RATE 48000

typedef struct mh_sound_file mh_sound_file;

/* Opens path (root: the folder it must stay inside, or NULL). */
mh_sound_file *mh_sound_open(const char *path, const char *root, mh_error *err);
void mh_sound_close(mh_sound_file **f);
/* Reads up to frames stereo frames into out (2 floats each); returns how
 * many, 0 at the end (or on a decoding error, which is logged once). */
int mh_sound_read(mh_sound_file *f, float *out, int frames);
/* Back to the start (music loops). */
bool mh_sound_rewind(mh_sound_file *f);
/* Its length in seconds (0 when unknown). */
float mh_sound_length(const mh_sound_file *f);

#endif
