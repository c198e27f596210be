/* mh_engine_media.c - the engine's sound, video screens and gallery photos:
 * what the visit asks for (its narration, its panel's photos, the volume)
 * turned into the media room's players, and their results into the visit
 * (the narration's position, for the captions) and onto the GPU (photos,
 * video frames).
 *
 * Videos play where a screen is in view and pause out of it; a player is
 * started the first time its screen comes into view and closed when it has
 * been out of view for a while, so only nearby screens hold decoders. A
 * screen's sound is on only while its booth's panel is open. Nothing here
 * waits on a decoder: frames and photos are taken when they are ready. */
#include "include/metahall.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/mh_log.h"
#include "mh_engine_internal.h"

#define PHOTO_SLOT0 1  /* interface images 1-8: the open panel's photos */
#define SCREEN_SLOT0 9 /* 9-24: video screens */
#define MAX_PLAYERS 6
#define CLOSE_AFTER_S 20.0 /* a player out of view this long is closed */
#define SCREEN_RANGE 30.0f /* metres: farther screens do not play */

/* ---- screens ------------------------------------------------------------------ */

static void add_screen(media *m, const char *path, const char *root, mh_wall_spot spot, int booth)
{
    if (m->screen_count >= MEDIA_SCREENS || SCREEN_SLOT0 + m->screen_count > MH_RENDER_UI_IMAGES)
        return;
    int i = m->screen_count++;
    m->screens[i] = (media_screen){.path = path,
                                   .root = root,
                                   .spot = spot,
                                   .booth = booth,
                                   .slot = SCREEN_SLOT0 + i,
                                   .voice = MH_VOICE_STREAMS + i};
}

/* The hall's own screens, then each booth's (its first video). */
static void list_screens(mh_engine *e)
{
    media *m = &e->media;
    const mh_hall_desc *h = &e->hall;
    m->screen_count = 0;
    for (int i = 0; i < h->media.screen_count; i++) {
        const mh_hall_screen *s = &h->media.screens[i];
        float yaw = mh_radians(s->yaw_deg);
        mh_wall_spot spot = {mh_v3(s->pos[0], s->pos[1], s->pos[2]), mh_v3(cosf(yaw), 0, -sinf(yaw)), mh_v3(0, 1, 0),
                             s->size[0], s->size[1]};
        add_screen(m, s->video, h->dir, spot, -1);
    }
    for (int b = 0; b < h->booth_count; b++) {
        const mh_exhibit_desc *x = &h->booths[b].exhibit;
        if (x->loaded && x->video_count > 0 && h->booths[b].storey == 0)
            add_screen(m, x->videos[0].path, x->dir, mh_scene_booth_spot(h, b, true), b);
    }
}

static void close_screens(mh_engine *e)
{
    media *m = &e->media;
    for (int i = 0; i < m->screen_count; i++)
        mh_video_close(&m->screens[i].video);
    m->players = 0;
    m->screen_count = 0;
}

static void start_music(mh_engine *e)
{
    const mh_hall_media *hm = &e->hall.media;
    mh_mixer_play_file(e->media.mixer, MH_VOICE_MUSIC, hm->music, e->hall.dir, true);
    mh_mixer_set_gain(e->media.mixer, MH_VOICE_MUSIC, hm->music_volume);
}

void mh_engine_media_start(mh_engine *e)
{
    media *m = &e->media;
    *m = (media){0};
    m->mixer = mh_mixer_create(&(mh_mixer_desc){.offline = e->desc.offline_audio});
    m->photos = mh_photos_create();
    if (!m->mixer || !m->photos)
        mh_log_error("media", "no sound or photos: out of memory or no thread");
    if (m->mixer)
        start_music(e);
    list_screens(e);
}

void mh_engine_media_stop(mh_engine *e)
{
    close_screens(e);
    mh_mixer_destroy(&e->media.mixer);
    mh_photos_destroy(&e->media.photos);
}

void mh_engine_media_hall(mh_engine *e)
{
    close_screens(e);
    e->media.photo_exhibit = NULL;
    if (e->media.mixer)
        start_music(e);
    list_screens(e);
}

/* Whether a screen faces a view's eye, within range, with a corner inside its frustum. */
static bool in_view(const mh_wall_spot *s, const mh_render_view *v)
{
    mh_vec3 out = mh_v3_cross(s->right, s->up), to_eye = mh_v3_sub(v->eye, s->center);
    if (mh_v3_dot(out, to_eye) <= 0 || mh_v3_len(to_eye) > SCREEN_RANGE)
        return false;
    mh_mat4 vp = mh_m4_mul(v->proj, v->view);
    for (int c = 0; c < 4; c++) {
        float sx = c & 1 ? 0.5f : -0.5f, sy = c & 2 ? 0.5f : -0.5f;
        mh_vec3 p =
            mh_v3_add(s->center, mh_v3_add(mh_v3_scale(s->right, sx * s->width), mh_v3_scale(s->up, sy * s->height)));
        mh_vec4 q = mh_m4_mul_v4(vp, (mh_vec4){p.x, p.y, p.z, 1});
        if (q.w > 0 && fabsf(q.x) <= q.w && fabsf(q.y) <= q.w && q.z >= -q.w && q.z <= q.w)
            return true;
    }
    return false;
}

static void step_screen(mh_engine *e, media_screen *s, const mh_render_view *views, int n)
{
    media *m = &e->media;
    s->visible = false;
    for (int v = 0; v < n && !s->visible; v++)
        s->visible = in_view(&s->spot, &views[v]);
    if (s->visible)
        s->seen_at = m->now;
    if (s->visible && !s->video && m->players < MAX_PLAYERS) {
        mh_video_desc d = {.path = s->path,
                           .root = s->root,
                           .max_size = e->desc.video_size,
                           .mixer = m->mixer,
                           .voice = s->voice};
        if ((s->video = mh_video_open(&d)) != NULL)
            m->players++;
    }
    if (!s->video)
        return;
    if (!s->visible && m->now - s->seen_at > CLOSE_AFTER_S) { /* long out of view: free its decoders */
        mh_video_release(&s->video);                          /* its thread stops it: no wait here */
        m->players--;
        return;
    }
    mh_video_play(s->video, s->visible);
    /* its sound only while its booth's panel is open */
    bool open = e->visit && e->visit->panel.open && s->booth >= 0 && e->visit->panel.booth == s->booth;
    if (m->mixer)
        mh_mixer_set_gain(m->mixer, s->voice, open ? 1.0f : 0.0f);
    const uint8_t *px;
    int w, h;
    uint64_t number;
    if (mh_video_frame(s->video, &px, &w, &h, &number) && mh_renderer_ui_stream(e->renderer, s->slot, px, w, h)) {
        s->width = w;
        s->height = h;
        s->uploaded++;
    }
}

/* A quad on a spot: (x0, y0) to (x1, y1) in fractions of its size from its centre. */
static void spot_quad(mh_ui_batch *b, const mh_wall_spot *s, float w, float h, float z, mh_rgba c, bool textured)
{
    mh_vec3 out = mh_v3_scale(mh_v3_cross(s->right, s->up), z);
    mh_vec3 o = mh_v3_add(s->center, out), r = mh_v3_scale(s->right, w * 0.5f), u = mh_v3_scale(s->up, h * 0.5f);
    mh_vec3 q[4] = {mh_v3_add(o, mh_v3_sub(u, r)), mh_v3_add(o, mh_v3_add(u, r)), mh_v3_sub(o, mh_v3_sub(u, r)),
                    mh_v3_sub(o, mh_v3_add(u, r))};
    if (textured)
        mh_ui_quad(b, q, 0, 0, 1, 1, c);
    else
        mh_ui_solid(b, q, c);
}

/* A light sweeping across a hall screen (its video or its idle card):
 * a soft diagonal band crossing every SWEEP_S seconds, a third of the way
 * across at t = 0 so a still frame shows it. */
#define SWEEP_S 7.0
static void sweep(mh_ui_batch *b, const mh_wall_spot *s, double now)
{
    float t = (float)fmod(now / SWEEP_S + 0.45, 1.0), x = (t * 1.6f - 0.8f) * s->width;
    float half = s->width * 0.07f, lean = s->height * 0.25f;
    mh_vec3 out = mh_v3_scale(mh_v3_cross(s->right, s->up), 0.012f), o = mh_v3_add(s->center, out);
    mh_vec3 top = mh_v3_add(o, mh_v3_scale(s->up, s->height * 0.5f)),
            bot = mh_v3_sub(o, mh_v3_scale(s->up, s->height * 0.5f));
    float lo = -s->width * 0.5f, hi = s->width * 0.5f;
    for (int k = 0; k < 2; k++) { /* each half of the band: clear at its edge, brightest in the middle */
        float a0 = x + (k ? 0 : -half), a1 = x + (k ? half : 0);
        float t0 = mh_clampf(a0 + lean, lo, hi), t1 = mh_clampf(a1 + lean, lo, hi);
        float b0 = mh_clampf(a0 - lean, lo, hi), b1 = mh_clampf(a1 - lean, lo, hi);
        if (t1 - t0 < 1e-3f && b1 - b0 < 1e-3f)
            continue;
        mh_vec3 q[4] = {mh_v3_add(top, mh_v3_scale(s->right, t0)), mh_v3_add(top, mh_v3_scale(s->right, t1)),
                        mh_v3_add(bot, mh_v3_scale(s->right, b1)), mh_v3_add(bot, mh_v3_scale(s->right, b0))};
        mh_rgba clear = {255, 255, 255, 0}, lit = {235, 245, 255, 70};
        mh_ui_gradient(b, q, (const mh_rgba[4]){k ? lit : clear, k ? clear : lit, k ? clear : lit, k ? lit : clear});
    }
}

void mh_engine_media_draw(mh_engine *e, mh_ui_batch *b)
{
    media *m = &e->media;
    for (int i = 0; i < m->screen_count; i++) {
        const media_screen *s = &m->screens[i];
        mh_ui_set(b, MH_UI_WORLD, 0, false);
        bool broken = s->video && mh_video_get_state(s->video) == MH_VIDEO_BROKEN;
        if (s->booth < 0 && !broken && s->width == 0) {       /* the hall's idle card (built with the hall) shows */
            sweep(b, &s->spot, e->desc.still ? 0.0 : m->now); /* until the first frame, the light sweeping over it */
            continue;
        }
        spot_quad(b, &s->spot, s->spot.width, s->spot.height, 0.004f, (mh_rgba){6, 8, 14, 255}, false);
        if (s->width > 0 && !broken) { /* the latest frame, keeping its aspect */
            float a = (float)s->width / (float)s->height, w = s->spot.width, h = w / a;
            if (h > s->spot.height) {
                h = s->spot.height;
                w = h * a;
            }
            mh_ui_set(b, MH_UI_WORLD, s->slot, false);
            spot_quad(b, &s->spot, w, h, 0.008f, (mh_rgba){255, 255, 255, 255}, true);
            if (s->booth < 0) {
                mh_ui_set(b, MH_UI_WORLD, 0, false);
                sweep(b, &s->spot, e->desc.still ? 0.0 : m->now);
            }
            continue;
        }
        /* a still placeholder: a play sign (red-tinted when the video is broken) */
        float k = fminf(s->spot.width, s->spot.height) * 0.3f;
        mh_vec3 out = mh_v3_scale(mh_v3_cross(s->spot.right, s->spot.up), 0.008f), c = mh_v3_add(s->spot.center, out);
        mh_vec3 tip = mh_v3_add(c, mh_v3_scale(s->spot.right, k * 0.6f));
        mh_vec3 q[4] = {tip, tip,
                        mh_v3_add(c,
                                  mh_v3_add(mh_v3_scale(s->spot.right, -k * 0.4f), mh_v3_scale(s->spot.up, -k * 0.5f))),
                        mh_v3_add(c,
                                  mh_v3_add(mh_v3_scale(s->spot.right, -k * 0.4f), mh_v3_scale(s->spot.up, k * 0.5f)))};
        mh_ui_solid(b, q, broken ? (mh_rgba){150, 60, 60, 255} : (mh_rgba){90, 100, 120, 255});
    }
    mh_ui_set(b, MH_UI_WORLD, 0, false);
}

/* ---- photos ---------------------------------------------------------------------- */

/* The open panel's exhibit's photos: requested once, uploaded as they come. */
static void step_photos(mh_engine *e)
{
    media *m = &e->media;
    mh_panel *p = e->visit ? &e->visit->panel : NULL;
    if (!m->photos || !p || !p->open)
        return;
    const mh_exhibit_desc *x = p->exhibit;
    if (x != m->photo_exhibit) {
        m->photo_exhibit = x;
        memset(m->photo, 0, sizeof m->photo);
        mh_photos_request(m->photos, ++m->photo_ticket, x->images, x->image_count, x->dir, e->hall.budget.image_pixels,
                          e->desc.photo_size);
    }
    uint32_t ticket;
    int index;
    mh_image img;
    bool ok;
    mh_error err;
    if (mh_photos_poll(m->photos, &ticket, &index, &img, &ok, &err) && ticket == m->photo_ticket) {
        int slot = PHOTO_SLOT0 + index;
        if (ok && mh_renderer_ui_image(e->renderer, slot, img.rgba, img.width, img.height)) {
            m->photo[index] = (mh_panel_photo){slot, img.width, img.height, false};
        } else {
            char text[1024];
            mh_log_warn("media", "exhibit %s: photo %s (showing a placeholder)", x->id,
                        ok ? "could not be uploaded" : mh_error_text(&err, text, sizeof text));
            m->photo[index] = (mh_panel_photo){.broken = true};
        }
        mh_image_free(&img);
    }
    if (memcmp(p->photos, m->photo, sizeof m->photo)) { /* the panel shows what is there now */
        memcpy(p->photos, m->photo, sizeof m->photo);
        mh_panel_refresh(p);
    }
}

/* ---- sound --------------------------------------------------------------------------- */

void mh_engine_media_before(mh_engine *e, double now, mh_visit_frame *vf)
{
    media *m = &e->media;
    m->now = now;
    vf->narration_s = -1;
    vf->narration_length = 0;
    if (!m->mixer)
        return;
    uint64_t mixed = mh_mixer_frames(m->mixer);
    if (mixed != m->mixed)
        m->clock_at = now;
    m->mixed = mixed;
    bool clocked = mixed > 0 && now - m->clock_at < 0.5; /* an audio device pulls the sound */
    mh_voice_state st = mh_mixer_state(m->mixer, MH_VOICE_NARRATION);
    if (st.serial != m->voice_serial || !st.active || st.failed)
        return;
    vf->narration_length = st.length_s;
    vf->narration_s = !clocked ? -1 : st.playing ? st.pos_s : fmaxf(st.pos_s, st.length_s) + 0.01f; /* over */
}

static void step_sound(mh_engine *e)
{
    media *m = &e->media;
    const mh_visit *v = e->visit;
    if (!m->mixer || !v)
        return;
    mh_mixer_set_master(m->mixer, v->muted ? 0.0f : (float)v->volume / 100.0f);
    if (v->narration_serial == m->narration_serial)
        return;
    m->narration_serial = v->narration_serial;
    const mh_exhibit_desc *x = v->narration;
    const char *path =
        x ? (v->narration_lang == MH_LANG_ZH ? x->narration_audio_zh.path : x->narration_audio_en.path) : NULL;
    m->voice_serial = mh_mixer_play_file(m->mixer, MH_VOICE_NARRATION, path, x ? x->dir : NULL, false);
    if (path)
        mh_log_debug("media", "narration %s", path);
}

void mh_engine_media_after(mh_engine *e, const mh_render_view *views, int view_count)
{
    step_sound(e);
    step_photos(e);
    for (int i = 0; i < e->media.screen_count; i++)
        step_screen(e, &e->media.screens[i], views, view_count);
}

void mh_engine_audio_mix(mh_engine *e, float *out, int frames, int rate, int channels)
{
    if (e->media.mixer)
        mh_mixer_mix(e->media.mixer, out, frames, rate, channels);
    else
        memset(out, 0, sizeof(float) * (size_t)frames * (size_t)(channels > 0 ? channels : 0));
}
