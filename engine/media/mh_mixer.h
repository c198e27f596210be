/* mh_mixer.h - the kiosk's sound: a few voices mixed into the float PCM the
 * platform's audio device pulls (mh_engine_audio_mix).
 *
 * File voices (the narration, the hall's background music) play Ogg Opus or
 * Vorbis files: the mixer's own decoder thread reads them ahead into a ring
 * of samples, so mixing never waits for a file. Stream voices (a video's
 * sound) are fed by their producer (a GStreamer thread) with mh_mixer_push.
 * Each voice has a gain that moves smoothly (50 ms) to its target; the music
 * is ducked to a quarter while the narration speaks; a master volume scales
 * everything.
 *
 * Threads: the control calls come from the frame loop, mix from the audio
 * device's thread, push from a video's streaming thread; one mutex guards
 * the voices, held only for copies and bookkeeping (never while decoding).
 * In offline mode (a headless run writing its sound to a file) mix waits for
 * the decoder instead of playing silence, so the output is the same on
 * every run. */
#ifndef MH_MIXER_H
#define MH_MIXER_H

#include <stdbool.h>
#include <stdint.h>

#define MH_MIXER_RATE 48000
#define MH_VOICE_NARRATION 0
#define MH_VOICE_MUSIC 1
#define MH_VOICE_STREAMS 2  /* the first stream voice (videos' sound) */
#define MH_MIXER_VOICES 18  /* 2 file voices and 16 stream voices */
#define MH_MIXER_DUCK 0.25f /* music under narration */

typedef struct mh_mixer mh_mixer;

typedef struct mh_mixer_desc {
    bool offline; /* mix waits for the decoder (deterministic files) */
} mh_mixer_desc;

/* What a voice is doing. */
typedef struct mh_voice_state {
    bool active;     /* started and not stopped */
    bool playing;    /* sound still to come (not at its end) */
    bool failed;     /* its file could not be read (logged) */
    float pos_s;     /* seconds mixed out since it started */
    float length_s;  /* its file's length, 0 when unknown or a stream */
    uint32_t serial; /* which start (mh_mixer_play_file's return) */
} mh_voice_state;

mh_mixer *mh_mixer_create(const mh_mixer_desc *desc);
void mh_mixer_destroy(mh_mixer **m);

/* Starts a file on a file voice (the decoder opens it on its thread; a file
 * that fails is logged and the voice stays silent); returns a serial that
 * mh_mixer_state reports. path NULL stops the voice. */
uint32_t mh_mixer_play_file(mh_mixer *m, int voice, const char *path, const char *root, bool loop);
/* Stream voices: samples (stereo, 48 kHz) from their producer. Returns how
 * many frames were taken (the rest is dropped when the voice is full). */
int mh_mixer_push(mh_mixer *m, int voice, const float *stereo, int frames);
/* Empties a stream voice (its video was paused or rewound). */
void mh_mixer_flush(mh_mixer *m, int voice);
/* Gains, 0..1: a voice's own, and the master volume (the kiosk's volume). */
void mh_mixer_set_gain(mh_mixer *m, int voice, float gain);
void mh_mixer_set_master(mh_mixer *m, float gain);
mh_voice_state mh_mixer_state(mh_mixer *m, int voice);
/* Frames mixed since creation: whether something pulls the sound. */
uint64_t mh_mixer_frames(mh_mixer *m);

/* Mixes `frames` frames of `channels` interleaved floats at `rate` Hz into out. */
void mh_mixer_mix(mh_mixer *m, float *out, int frames, int rate, int channels);

#endif
