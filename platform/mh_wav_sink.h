/* mh_wav_sink.h - the headless kiosk's sound device: the engine's mixed
 * sound written to a WAV file (48 kHz, stereo, 32-bit float), exactly the
 * frames that belong to each frame's time, so a test can read back which
 * samples were played when (`--audio-out FILE.wav`). */
#ifndef MH_WAV_SINK_H
#define MH_WAV_SINK_H

#include <stdbool.h>
#include <stdint.h>

#include "metahall.h"

typedef struct mh_wav_sink mh_wav_sink;

mh_wav_sink *mh_wav_sink_open(const char *path, mh_error *err);
/* Mixes and writes the sound up to engine time `time_s` (seconds since the
 * first frame); the buffer is sized once, so no frame allocates. */
void mh_wav_sink_pump(mh_wav_sink *w, mh_engine *e, double time_s);
/* Finishes the header and closes; false when writing failed. */
bool mh_wav_sink_close(mh_wav_sink **w);

#endif
