/* mh_video.h - a video screen's player: GStreamer decodes an H.264 (MP4) or
 * VP8/VP9 (WebM) file on its own threads into RGBA frames at a modest size
 * (the longer side at most max_size, 640 by default: a booth screen) and
 * 48 kHz stereo sound for the mixer; it loops.
 *
 * The frame loop never waits for it: mh_video_frame hands over the newest
 * finished frame, if there is one (three buffers: one being decoded into,
 * one ready, one being drawn). Play and pause are requests its control
 * thread carries out. A missing or broken file, or one with no decodable
 * video, puts the player in MH_VIDEO_BROKEN with the reason logged once
 * (file and GStreamer's message); the caller shows a still placeholder.
 *
 * decodebin picks the decoders GStreamer has: on ARM boards the v4l2
 * hardware decoders (v4l2h264dec, v4l2vp8dec...) when the kernel offers
 * them, else libav's and libvpx's software ones (see README, "Video"). */
#ifndef MH_VIDEO_H
#define MH_VIDEO_H

#include <stdbool.h>
#include <stdint.h>

#include "mh_mixer.h"

typedef enum mh_video_state { MH_VIDEO_LOADING, MH_VIDEO_PLAYING, MH_VIDEO_PAUSED, MH_VIDEO_BROKEN } mh_video_state;

typedef struct mh_video mh_video;

typedef struct mh_video_desc {
    const char *path;
    const char *root; /* the folder it must stay inside (checked as every asset is) */
    int max_size;     /* longer side of the frames; 0 = 640 */
    mh_mixer *mixer;  /* where its sound goes (NULL: none) */
    int voice;        /* the mixer's stream voice for it */
} mh_video_desc;

/* Starts the player (paused until mh_video_play). NULL only when out of
 * memory or GStreamer is unusable; a bad file gives a BROKEN player. */
mh_video *mh_video_open(const mh_video_desc *desc);
/* Stops and frees it, waiting for its threads (shutdown). */
void mh_video_close(mh_video **v);
/* Stops it without waiting: its own thread frees it once GStreamer has
 * stopped (a screen long out of view, from the frame loop). Its sound must
 * not go to a mixer that is destroyed first: close, not release, then. */
void mh_video_release(mh_video **v);
/* Requests play or pause (carried out on the player's thread). */
void mh_video_play(mh_video *v, bool play);
mh_video_state mh_video_get_state(const mh_video *v);
/* The newest frame if one arrived since the last call: its pixels (valid
 * until the next call), size and number. False when nothing is new. */
bool mh_video_frame(mh_video *v, const uint8_t **rgba, int *width, int *height, uint64_t *number);
/* Frames decoded so far (all of them, shown or not). */
uint64_t mh_video_decoded(const mh_video *v);

/* GStreamer, started once per process (idempotent, thread-safe). */
bool mh_video_init(void);

#endif
