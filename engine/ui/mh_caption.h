/* mh_caption.h - a narration's captions, in step with its audio: the text
 * is split into sentences (。！？.!? end one), a sentence that needs more
 * than the caption box's lines into clauses (，、；,; end one) and, when a
 * clause is still too long, into pieces that fit; each piece is shown for
 * its share of its sentence's time. A sentence's time comes from the
 * audio's cues (where each sentence starts) when the exhibit gives them,
 * else from the sentences' lengths spread over the audio's duration.
 *
 * Built once when a narration starts (no allocation: fixed arrays, the text
 * is the manifest's); mh_caption_at then looks up the piece for a time. */
#ifndef MH_CAPTION_H
#define MH_CAPTION_H

#include <stdbool.h>

#include "../text/mh_glyphs.h"

#define MH_CAPTION_PIECES 96

typedef struct mh_caption_track {
    const char *text;
    int count;
    int start[MH_CAPTION_PIECES], len[MH_CAPTION_PIECES]; /* byte ranges of text */
    float t0[MH_CAPTION_PIECES + 1];                      /* piece i shows from t0[i] to t0[i + 1] (seconds) */
    int shown;                                            /* the piece in `current`, -1 none */
    char current[1024];
} mh_caption_track;

typedef struct mh_caption_desc {
    const char *text;  /* UTF-8 narration */
    const float *cues; /* sentence starts (seconds), may be NULL */
    int cue_count;
    float duration;    /* seconds the narration lasts (the audio's length) */
    mh_glyphs *glyphs; /* for measuring */
    float width_em;    /* the caption box's width in ems */
    int max_lines;     /* lines a piece may take (0 = 2) */
} mh_caption_desc;

void mh_caption_build(mh_caption_track *c, const mh_caption_desc *d);
/* The piece shown at time t (seconds from the start), -1 before it starts
 * or after it ends; c->current holds its text. */
int mh_caption_at(mh_caption_track *c, float t);

#endif
