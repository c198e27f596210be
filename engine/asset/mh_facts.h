/* mh_facts.h - the content part of an exhibit manifest (mh_facts.c): facts
 * with values, units, dates and sources; bar and line charts over facts of
 * one unit; narration text and audio; images, videos and a take-away URL.
 * The exhibit loader (mh_hall_load.c) calls it and keeps what it read in the
 * exhibit's description. A hall's own media (background music, video
 * screens) are read here too (mh_hall_media_read). */
#ifndef MH_FACTS_H
#define MH_FACTS_H

#include <stdbool.h>

#include "../core/mh_arena.h"

#define MH_EXHIBIT_ID_MAX 32

/* An id (of an exhibit, a fact, a source) is 1-31 characters of [a-z0-9_-]. */
bool mh_exhibit_id_valid(const char *id);

#define MH_CHART_MAX_BARS 12
#define MH_EXHIBIT_MAX_IMAGES 8
#define MH_EXHIBIT_MAX_VIDEOS 4
#define MH_NARRATION_MAX_CUES 32
#define MH_HALL_MAX_SCREENS 8
#define MH_URL_MAX 256

typedef enum mh_fact_bound { MH_FACT_EXACT, MH_FACT_AT_LEAST, MH_FACT_ABOUT } mh_fact_bound;

/* One fact on a park, always with its source. A fact has a number (value +
 * unit), a text (text_zh/text_en), or neither (a dated statement). */
typedef struct mh_fact {
    const char *id;
    const char *label_zh, *label_en;
    const char *short_zh, *short_en; /* a chart's label for it (NULL: the label) */
    const char *wall_zh, *wall_en;   /* its caption as a key figure on the booth's back wall (NULL: not one) */
    bool has_value;
    double value;
    mh_fact_bound bound;           /* "at_least" (以上) or "about" (左右) */
    const char *unit_zh, *unit_en; /* NULL for a bare number */
    const char *text_zh, *text_en;
    const char *date;   /* "YYYY", "YYYY-MM" or "YYYY-MM-DD", or NULL */
    const char *source; /* key into the exhibit's sources */
    const char *source_title;
} mh_fact;

typedef enum mh_chart_type { MH_CHART_BAR, MH_CHART_LINE } mh_chart_type;

/* A chart over facts that share one unit: bars, or a line through dated
 * facts in date order (a series over time). */
typedef struct mh_chart {
    mh_chart_type type;
    const char *title_zh, *title_en;
    int facts[MH_CHART_MAX_BARS]; /* indices into mh_exhibit_desc.facts */
    int fact_count;
} mh_chart;

/* Spoken narration in one language: an Ogg Opus or Ogg Vorbis file, and
 * where each sentence of the narration text starts (seconds; none: spread
 * by the sentences' lengths over the audio). */
typedef struct mh_narration_audio {
    const char *path; /* inside the exhibit folder, or NULL */
    float cues[MH_NARRATION_MAX_CUES];
    int cue_count;
} mh_narration_audio;

/* A video an exhibit's screen plays (H.264 MP4, VP8/VP9 WebM). */
typedef struct mh_exhibit_video {
    const char *path;
    const char *caption_zh, *caption_en;
} mh_exhibit_video;

/* What mh_facts_read fills (the same fields of mh_exhibit_desc). */
typedef struct mh_exhibit_facts {
    mh_fact *facts;
    int fact_count;
    mh_chart *charts;
    int chart_count;
    const char *narration_zh, *narration_en;   /* guided-tour text */
    const char *images[MH_EXHIBIT_MAX_IMAGES]; /* PNG or JPEG paths inside the exhibit folder */
    const char *image_captions_zh[MH_EXHIBIT_MAX_IMAGES], *image_captions_en[MH_EXHIBIT_MAX_IMAGES];
    int image_count;
    mh_exhibit_video videos[MH_EXHIBIT_MAX_VIDEOS];
    int video_count;
    mh_narration_audio narration_audio_zh, narration_audio_en;
    const char *url; /* the exhibit's page, for the take-away QR code (http or https) */
} mh_exhibit_facts;

/* A video screen in a hall (an LED wall): a quad facing +Z turned by yaw,
 * centred at pos. */
typedef struct mh_hall_screen {
    const char *video; /* inside the hall folder */
    float pos[3];
    float yaw_deg;
    float size[2]; /* width, height in metres */
} mh_hall_screen;

/* A hall's own media: background music and video screens. */
typedef struct mh_hall_media {
    const char *music;  /* Ogg Opus or Vorbis inside the hall folder, or NULL */
    float music_volume; /* 0..1, default 0.35 */
    mh_hall_screen screens[MH_HALL_MAX_SCREENS];
    int screen_count;
} mh_hall_media;

/* Reads facts, sources, charts, narration and images of an exhibit manifest;
 * dir is the exhibit's folder. */
struct cJSON;
struct mh_json_reader;
bool mh_facts_read(struct mh_json_reader *r, const struct cJSON *root, const char *dir, mh_arena *arena,
                   mh_exhibit_facts *out);
/* Reads hall.json's "music", "music_volume" and "screens"; dir is the hall folder. */
bool mh_hall_media_read(struct mh_json_reader *r, const struct cJSON *root, const char *dir, mh_arena *arena,
                        mh_hall_media *out);

#endif
