/* mh_scene_signs.c - signs' text as glyph quads from one signed-distance-field
 * atlas of the scene's own (issue 23: a baked RGBA texture per sign cost
 * about 14 MB of the hall's textures with their mip chains).
 *
 * While the scene is built, each code point a sign uses is rasterised once
 * (mh_sign_text.glyph, FreeType's SDF renderer) onto shelves of an R8 atlas
 * ATLAS_W texels wide whose height grows as it fills; each line of a sign
 * becomes one quad per glyph, laid out as a baked sign's (bake_sign in
 * mh_scene.c: the same line sizes, gaps, centring and shrinking to the
 * width less h / 6), a little in front of the sign's plain background, in
 * the line's colour and glowing. mh_scene_finish_signs then hands the atlas
 * to the scene as one texture (cropped to the rows used) and points the
 * signs' one material at it: unlit, blended, its base texture read as a
 * distance field (lit.frag's MH_SDF). The glyph quads' uv are in atlas
 * texels; the material's texture transform scales them to 0..1, so the
 * atlas can grow while quads are made. The interface's atlas (mh_glyphs.c)
 * is not shared: it is cleared and refilled when full, and a sign's quads
 * never change.
 *
 * A glyph the font hands over as coverage (mh_font_sign_sdf's) gets its
 * distance field (mh_sign_text.field, the text layer's mh_sdf_from_coverage:
 * about 130 us a glyph, 40 ms of the default hall's start) on a thread of
 * the atlas's own while the scene goes
 * on building; its place in the atlas is fixed when it is packed, so its
 * quads are made at once. The thread writes each field into the atlas under
 * `lock`, which grow_to takes to move the atlas; mh_scene_finish_signs
 * makes what is left and joins the thread. A scene built with one thread
 * (mh_scene_watch.threads: the loader's, while the kiosk draws) makes the
 * fields there, at the end, the same bytes. */
#include "mh_scene_internal.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../core/mh_log.h"
#include "../core/mh_utf8.h"

#define ATLAS_W 1024
#define ATLAS_MAX_H 4096
#define ATLAS_FIRST_H 256
#define PAD 2     /* empty texels between glyphs (their fields are ~0 at the edge of their box) */
#define HASH 4096 /* power of two, more than twice MAX_GLYPHS */
#define MAX_GLYPHS 2000
#define TEXT_OFF 0.004f /* metres the glyph quads stand in front of the background */

typedef struct sign_glyph {
    uint32_t cp;
    float advance;        /* pixels at glyph_px */
    float x0, y0, x1, y1; /* the quad from the pen on the baseline, pixels, y up */
    float u0, v0, u1, v1; /* atlas texels; u0 == u1: nothing to draw (a space) */
} sign_glyph;

/* A field to make: a copy of the glyph's coverage, how, and where it goes. */
typedef struct field_job {
    uint8_t *coverage;
    int w, h, spread, x, y;
    bool (*field)(const uint8_t *coverage, int w, int h, int pitch, int spread, uint8_t *out);
} field_job;

struct mh_sign_atlas {
    uint8_t *pixels; /* ATLAS_W x height, R8 */
    int height;
    int shelf_x, shelf_y, shelf_h;
    sign_glyph glyphs[MAX_GLYPHS];
    int count;
    int table[HASH]; /* glyph index + 1; 0 = empty */
    int material;
    bool full_said;
    /* the fields still to make: jobs[taken, queued) */
    field_job jobs[MAX_GLYPHS];
    int queued, taken;
    bool threaded, closing;
    pthread_t thread;
    pthread_mutex_t lock; /* jobs, taken, closing, and pixels while a field is written or the atlas grows */
    pthread_cond_t wake;
};

/* Makes job j's field and writes it into the atlas (the lock not held). */
static void make_field(struct mh_sign_atlas *a, field_job *j)
{
    int w = j->w + 2 * j->spread, h = j->h + 2 * j->spread;
    uint8_t *field = malloc((size_t)w * (size_t)h);
    bool ok = field && j->field(j->coverage, j->w, j->h, j->w, j->spread, field);
    pthread_mutex_lock(&a->lock);
    for (int r = 0; ok && r < h; r++)
        memcpy(a->pixels + (size_t)(j->y + r) * ATLAS_W + (size_t)j->x, field + (size_t)r * (size_t)w, (size_t)w);
    pthread_mutex_unlock(&a->lock);
    free(field);
    free(j->coverage);
    j->coverage = NULL;
}

/* The next job, or NULL once none is left (and, when wait, the atlas is
 * closing). */
static field_job *take_job(struct mh_sign_atlas *a, bool wait)
{
    pthread_mutex_lock(&a->lock);
    while (wait && a->taken == a->queued && !a->closing)
        pthread_cond_wait(&a->wake, &a->lock);
    field_job *j = a->taken < a->queued ? &a->jobs[a->taken++] : NULL;
    pthread_mutex_unlock(&a->lock);
    return j;
}

static void *field_thread(void *arg)
{
    struct mh_sign_atlas *a = arg;
    for (field_job *j; (j = take_job(a, true));)
        make_field(a, j);
    return NULL;
}

/* Makes what is left here, then joins the thread. */
static void finish_fields(struct mh_sign_atlas *a)
{
    pthread_mutex_lock(&a->lock);
    a->closing = true;
    pthread_cond_broadcast(&a->wake);
    pthread_mutex_unlock(&a->lock);
    for (field_job *j; (j = take_job(a, false));)
        make_field(a, j);
    if (a->threaded)
        pthread_join(a->thread, NULL);
    a->threaded = false;
}

static struct mh_sign_atlas *atlas_of(mh_scene *sc)
{
    if (sc->sign_atlas)
        return sc->sign_atlas;
    struct mh_sign_atlas *a = calloc(1, sizeof *a);
    uint8_t *px = calloc((size_t)ATLAS_W * ATLAS_FIRST_H, 1);
    if (!a || !px) {
        free(a);
        free(px);
        sc->mesh.failed = true;
        return NULL;
    }
    a->pixels = px;
    a->height = ATLAS_FIRST_H;
    pthread_mutex_init(&a->lock, NULL);
    pthread_cond_init(&a->wake, NULL);
    a->threaded = sc->watch.threads > 1 && pthread_create(&a->thread, NULL, field_thread, a) == 0;
    mh_material m = mh_material_plain();
    m.unlit = true;
    m.sdf = true;
    m.alpha_mode = MH_ALPHA_BLEND;
    a->material = mh_scene_add_material(sc, &m); /* its texture: mh_scene_finish_signs */
    sc->sign_atlas = a;
    return a;
}

/* Rows enough for y1 (doubling); false when the atlas may not grow so far. */
static bool grow_to(struct mh_sign_atlas *a, int y1)
{
    int h = a->height;
    while (h < y1)
        h *= 2;
    if (h == a->height)
        return true;
    if (h > ATLAS_MAX_H)
        return false;
    pthread_mutex_lock(&a->lock); /* no field is being written while the atlas moves */
    uint8_t *p = realloc(a->pixels, (size_t)ATLAS_W * (size_t)h);
    if (p) {
        memset(p + (size_t)ATLAS_W * (size_t)a->height, 0, (size_t)ATLAS_W * (size_t)(h - a->height));
        a->pixels = p;
        a->height = h;
    }
    pthread_mutex_unlock(&a->lock);
    return p != NULL;
}

/* A place for a w x h box on the shelves; false when full. */
static bool pack(struct mh_sign_atlas *a, int w, int h, int *x, int *y)
{
    if (w + PAD > ATLAS_W)
        return false;
    if (a->shelf_x + w + PAD > ATLAS_W) {
        a->shelf_y += a->shelf_h + PAD;
        a->shelf_x = 0;
        a->shelf_h = 0;
    }
    if (!grow_to(a, a->shelf_y + h + PAD))
        return false;
    *x = a->shelf_x;
    *y = a->shelf_y;
    a->shelf_x += w + PAD;
    a->shelf_h = h > a->shelf_h ? h : a->shelf_h;
    return true;
}

/* Queues the field of a glyph given as coverage, for the atlas at (x, y). */
static bool queue_field(struct mh_sign_atlas *a, mh_sign_text text, const mh_sign_glyph *in, int x, int y)
{
    size_t n = (size_t)in->coverage_w * (size_t)in->coverage_h;
    if (!text.field)
        return false;
    uint8_t *copy = malloc(n ? n : 1);
    if (!copy)
        return false;
    for (int r = 0; r < in->coverage_h; r++)
        memcpy(copy + (size_t)r * (size_t)in->coverage_w, in->coverage + (ptrdiff_t)r * in->coverage_pitch,
               (size_t)in->coverage_w);
    pthread_mutex_lock(&a->lock);
    a->jobs[a->queued++] = (field_job){.coverage = copy,
                                       .w = in->coverage_w,
                                       .h = in->coverage_h,
                                       .spread = in->spread,
                                       .x = x,
                                       .y = y,
                                       .field = text.field};
    pthread_cond_signal(&a->wake);
    pthread_mutex_unlock(&a->lock);
    return true;
}

static void rasterise(struct mh_sign_atlas *a, mh_sign_text text, uint32_t cp, sign_glyph *g)
{
    mh_sign_glyph in;
    *g = (sign_glyph){.cp = cp};
    if (!text.glyph(text.font, cp, &in))
        return;
    g->advance = in.advance;
    int x, y;
    if ((!in.sdf && !in.coverage) || in.width <= 0 || in.height <= 0)
        return;
    if (!pack(a, in.width, in.height, &x, &y)) {
        if (!a->full_said)
            mh_log_warn("hall", "the signs' glyph atlas is full after %d glyphs: further glyphs are left out",
                        a->count);
        a->full_said = true;
        return;
    }
    if (in.coverage && !queue_field(a, text, &in, x, y))
        return; /* no way to make its field, or out of memory: the glyph is left out */
    for (int r = 0; in.sdf && r < in.height; r++)
        memcpy(a->pixels + (size_t)(y + r) * ATLAS_W + (size_t)x, in.sdf + (ptrdiff_t)r * in.pitch, (size_t)in.width);
    g->x0 = (float)in.left;
    g->x1 = (float)(in.left + in.width);
    g->y1 = (float)in.top;
    g->y0 = (float)(in.top - in.height);
    g->u0 = (float)x;
    g->v0 = (float)y;
    g->u1 = (float)(x + in.width);
    g->v1 = (float)(y + in.height);
}

static const sign_glyph *glyph_of(struct mh_sign_atlas *a, mh_sign_text text, uint32_t cp)
{
    static const sign_glyph none = {0};
    uint32_t i = (cp * 2654435761u) & (HASH - 1);
    while (a->table[i] && a->glyphs[a->table[i] - 1].cp != cp)
        i = (i + 1) & (HASH - 1);
    if (a->table[i])
        return &a->glyphs[a->table[i] - 1];
    if (a->count >= MAX_GLYPHS)
        return &none;
    rasterise(a, text, cp, &a->glyphs[a->count]);
    a->table[i] = ++a->count;
    return &a->glyphs[a->count - 1];
}

/* The line's width in pixels at glyph_px. */
static float line_width(struct mh_sign_atlas *a, mh_sign_text text, const char *utf8)
{
    float w = 0;
    for (const char *s = utf8; s && *s;)
        w += glyph_of(a, text, mh_utf8_next(&s))->advance;
    return w;
}

/* One line as glyph quads: em metres high, centred on x = 0 (or flush
 * with a side of max_w), its top at `top` (sign space, y up), as
 * mh_font_draw_line places a baked one. */
static void add_line(mh_scene *sc, struct mh_sign_atlas *a, mh_sign_text text, const mh_sign_line *l, float em,
                     float top, float max_w, int align, mh_mat4 xf)
{
    float px = (float)text.glyph_px, width = line_width(a, text, l->text) / px * em;
    if (width > max_w && width > 0) { /* shrink to fit the box */
        em *= max_w / width;
        width = max_w;
    }
    float k = em / px, asc = text.ascender * k, desc = text.descender * k;
    float baseline = top - (asc - ((asc + desc) - em) / 2);
    float pen = align < 0 ? -max_w / 2 : align > 0 ? max_w / 2 - width : -width / 2;
    mh_surface surf = {.color = l->color, .emissive = 1};
    for (const char *s = l->text; s && *s;) {
        const sign_glyph *g = glyph_of(a, text, mh_utf8_next(&s));
        if (g->u1 > g->u0) {
            float rect[4] = {pen + g->x0 * k, baseline + g->y0 * k, pen + g->x1 * k, baseline + g->y1 * k};
            float uv[4] = {g->u0, g->v0, g->u1, g->v1};
            mh_mesh_add_rect(&sc->mesh, xf, rect, uv, surf);
        }
        pen += g->advance * k;
    }
}

int mh_scene_sign_material(mh_scene *sc)
{
    struct mh_sign_atlas *a = atlas_of(sc);
    return a ? a->material : 0;
}

void mh_scene_sign_glyphs(mh_scene *sc, mh_sign_text text, const mh_sign_desc *s, mh_mat4 xf)
{
    struct mh_sign_atlas *a = atlas_of(sc);
    if (!a || !text.glyph || text.glyph_px <= 0)
        return;
    float total = 0, h = s->size.y, max_w = s->size.x - h / 6;
    for (int i = 0; i < s->line_count; i++)
        total += s->lines[i].size;
    float gap = total < 1 ? (1 - total) / (float)(s->line_count + 1) : 0, y = gap;
    mh_mat4 front = mh_m4_mul(xf, mh_m4_translate(mh_v3(0, 0, TEXT_OFF)));
    for (int i = 0; i < s->line_count; i++) {
        add_line(sc, a, text, &s->lines[i], s->lines[i].size * h, h / 2 - y * h, max_w, s->align, front);
        y += s->lines[i].size + gap;
    }
}

bool mh_scene_finish_signs(mh_scene *sc)
{
    struct mh_sign_atlas *a = sc->sign_atlas;
    if (!a)
        return true;
    finish_fields(a);
    int used = a->shelf_y + a->shelf_h;
    int h = used < 4 ? 4 : (used + 3) / 4 * 4;
    uint8_t *px = realloc(a->pixels, (size_t)ATLAS_W * (size_t)h);
    px = px ? px : a->pixels;
    a->pixels = NULL;
    int tex = mh_scene_add_texture(sc, (mh_scene_texture){.width = ATLAS_W,
                                                          .height = h,
                                                          .rgba = px,
                                                          .channels = 1,
                                                          .wrap_s = MH_GLTF_WRAP_CLAMP_TO_EDGE,
                                                          .wrap_t = MH_GLTF_WRAP_CLAMP_TO_EDGE});
    mh_log_info("hall", "signs: %d glyphs in a %dx%d distance-field atlas", a->count, ATLAS_W, h);
    if (tex >= 0) {
        mh_material_slot *slot = &sc->materials[a->material].slots[MH_TEX_BASE];
        slot->texture = tex;
        slot->xform[0] = 1.0f / (float)ATLAS_W;
        slot->xform[3] = 1.0f / (float)h;
    }
    mh_scene_free_signs(sc);
    return tex >= 0;
}

void mh_scene_free_signs(mh_scene *sc)
{
    struct mh_sign_atlas *a = sc->sign_atlas;
    if (!a)
        return;
    pthread_mutex_lock(&a->lock); /* a build given up: the fields left are not made */
    a->queued = a->taken;
    pthread_mutex_unlock(&a->lock);
    finish_fields(a);
    for (int i = 0; i < MAX_GLYPHS; i++)
        free(a->jobs[i].coverage);
    pthread_mutex_destroy(&a->lock);
    pthread_cond_destroy(&a->wake);
    free(a->pixels);
    free(a);
    sc->sign_atlas = NULL;
}
