/* test_media.c - the media room's logic without files or GStreamer:
 * narration captions split into pieces that fit the box and timed by the
 * audio's cues (or by length); the mixer's stream voices, gains, master
 * volume, muting, resampling to another device rate, and a missing file
 * that stays silent. */
#include <math.h>
#include <string.h>
#include <time.h>

#include "asset/mh_hall_load.h"
#include "core/mh_arena.h"
#include "media/mh_mixer.h"
#include "media/mh_qr.h"
#include "mh_test.h"
#include "text/mh_glyphs.h"
#include "text/mh_layout.h"
#include "ui/mh_caption.h"

static mh_glyphs *g_glyphs;

static void test_captions(void)
{
    mh_caption_track c;
    /* two sentences with cues: each shows from its cue */
    mh_caption_build(&c, &(mh_caption_desc){.text = "First a low tone plays. Then a high tone follows.",
                                            .cues = (float[]){0, 1.0f},
                                            .cue_count = 2,
                                            .duration = 2.0f,
                                            .glyphs = g_glyphs,
                                            .width_em = 40,
                                            .max_lines = 2});
    CHECK(c.count == 2);
    CHECK(mh_caption_at(&c, 0.1f) == 0 && !strcmp(c.current, "First a low tone plays."));
    CHECK(mh_caption_at(&c, 0.99f) == 0);
    CHECK(mh_caption_at(&c, 1.01f) == 1 && !strcmp(c.current, "Then a high tone follows."));
    CHECK(mh_caption_at(&c, 2.01f) == -1 && c.current[0] == '\0');
    CHECK(mh_caption_at(&c, -0.5f) == -1);
    /* no cues: the sentences share the time by their lengths */
    mh_caption_build(&c, &(mh_caption_desc){.text = "短句。这是一个长得多的句子。",
                                            .duration = 3.0f,
                                            .glyphs = g_glyphs,
                                            .width_em = 40});
    CHECK(c.count == 2);
    CHECK_NEAR(c.t0[1], 3.0 * 3 / 14, 0.01); /* 3 of 14 characters */
    /* a sentence too long for two lines is split at its commas, then at words; every piece fits */
    const char *text =
        "Guizhou has 23 key data centers with 165,800 servers running, its digital infrastructure has grown "
        "fastest in China five years in a row, and it built the country's first VR town.";
    mh_caption_build(&c, &(mh_caption_desc){.text = text,
                                            .duration = 10.0f,
                                            .glyphs = g_glyphs,
                                            .width_em = 16,
                                            .max_lines = 2});
    CHECK(c.count >= 3);
    int chars = 0;
    for (int i = 0; i < c.count; i++) {
        mh_caption_at(&c, c.t0[i] + 0.001f);
        mh_layout_glyph gl[256];
        mh_layout_line ln[8];
        mh_layout lay = {.glyphs = gl, .glyph_cap = 256, .lines = ln, .line_cap = 8};
        mh_layout_text(&(mh_layout_desc){.text = c.current,
                                         .max_width = 16,
                                         .advance = mh_glyphs_advance,
                                         .user = g_glyphs},
                       &lay);
        CHECK(lay.line_count <= 2 && !lay.split_word);
        CHECK(i == 0 || c.t0[i] > c.t0[i - 1]);
        chars += c.len[i];
    }
    CHECK(chars >= (int)strlen(text) - c.count); /* nothing lost but the spaces between pieces */
    /* 52.58 is not the end of a sentence */
    mh_caption_build(&c, &(mh_caption_desc){.text = "It made 52.58 billion yuan. Then more.",
                                            .duration = 2,
                                            .glyphs = g_glyphs,
                                            .width_em = 60});
    CHECK(c.count == 2);
}

static void test_mixer_streams(void)
{
    mh_mixer *m = mh_mixer_create(&(mh_mixer_desc){0});
    CHECK(m != NULL);
    if (!m)
        return;
    float in[2 * 4800], out[2 * 4800];
    for (int i = 0; i < 4800; i++)
        in[2 * i] = in[2 * i + 1] = 0.5f;
    int voice = MH_VOICE_STREAMS;
    mh_mixer_set_gain(m, voice, 1.0f);
    CHECK(mh_mixer_push(m, voice, in, 4800) == 4800);
    mh_mixer_mix(m, out, 2400, MH_MIXER_RATE, 2);
    CHECK_NEAR(out[0], 0.5, 1e-6);
    CHECK_NEAR(out[2 * 2399 + 1], 0.5, 1e-6);
    /* muted voice: glides to silence (50 ms time constant: e^-6 after 0.3 s) */
    mh_mixer_set_gain(m, voice, 0.0f);
    for (int k = 0; k < 3; k++)
        mh_mixer_push(m, voice, in, 4800);
    static float longer[2 * 14400];
    mh_mixer_mix(m, longer, 14400, MH_MIXER_RATE, 2);
    CHECK(longer[0] > 0.49f && fabsf(longer[2 * 2399]) > 0.1f && fabsf(longer[2 * 14399]) < 0.5f * 0.003f);
    /* master volume */
    mh_mixer_set_gain(m, voice, 1.0f);
    mh_mixer_set_master(m, 0.5f);
    for (int k = 0; k < 8; k++) {
        mh_mixer_push(m, voice, in, 4800);
        mh_mixer_mix(m, out, 4800, MH_MIXER_RATE, 2);
    }
    CHECK_NEAR(out[2 * 4799], 0.25, 1e-3);
    /* flushed (its video paused): silence at once, and an underrun is silence, not a wait */
    mh_mixer_flush(m, voice);
    mh_mixer_mix(m, out, 4800, MH_MIXER_RATE, 2);
    CHECK(out[0] == 0.0f && out[2 * 4799] == 0.0f);
    /* another device rate (44.1 kHz, mono): resampled, level kept */
    for (int k = 0; k < 4; k++) {
        mh_mixer_push(m, voice, in, 4800);
        mh_mixer_mix(m, out, 4410, 44100, 1);
    }
    CHECK_NEAR(out[4000], 0.25, 1e-3);
    CHECK(mh_mixer_frames(m) > 0);
    /* a missing narration file: logged, silent, failed */
    uint32_t serial = mh_mixer_play_file(m, MH_VOICE_NARRATION, "/nonexistent/narration.ogg", NULL, false);
    /* the decoder thread finds out: wait for it (up to 10 s on a busy machine) */
    for (int k = 0; k < 10000 && !mh_mixer_state(m, MH_VOICE_NARRATION).failed; k++) {
        mh_mixer_mix(m, out, 480, MH_MIXER_RATE, 2);
        nanosleep(&(struct timespec){.tv_nsec = 1000000}, NULL);
    }
    mh_voice_state st = mh_mixer_state(m, MH_VOICE_NARRATION);
    CHECK(st.serial == serial && st.failed && !st.playing);
    mh_mixer_destroy(&m);
    CHECK(m == NULL);
}

static void test_qr(void)
{
    uint8_t modules[177 * 177];
    int n = mh_qr_encode("https://metahall.example/exhibits/qiantang", modules, 177);
    CHECK(n == 25 || n == 29 || n == 33); /* version 2-4 at level M */
    /* the three finder patterns: dark 7x7 corners with a light ring inside */
    CHECK(modules[0] && modules[6] && modules[6 * n] && !modules[1 * n + 1] && modules[2 * n + 2]);
    CHECK(modules[n - 1] && modules[(n - 1) * n]);
    CHECK(mh_qr_encode("https://metahall.example/x", modules, 10) == 0); /* does not fit: refused */
    CHECK(mh_qr_encode("", modules, 177) == 0);
}

int main(void)
{
    mh_arena a = {.block_size = 1u << 18};
    mh_hall_desc hall;
    mh_error err;
    if (!mh_hall_load(MH_SOURCE_ASSETS "/halls/default", &a, &hall, &err))
        return 1;
    mh_glyphs_desc gd = {.font_paths = hall.fonts, .font_count = hall.font_count};
    g_glyphs = mh_glyphs_create(&gd, &err);
    if (!g_glyphs)
        return 1;
    test_captions();
    test_mixer_streams();
    test_qr();
    mh_glyphs_destroy(&g_glyphs);
    mh_arena_free(&a);
    return mh_test_done("test_media");
}
