/* mh_lint.c - authoring feedback for `metahall validate`, run on what the
 * validator loaded (mh_validate_path_lint): warnings, never errors.
 *
 *   - a panel that needs more than one page (at 16:9, per language), or
 *     whose charts need a legend or do not fit at the minimum text size;
 *   - a booth name that its header sign shrinks below the minimum text size
 *     seen from the booth's spot;
 *   - two booths whose footprints overlap;
 *   - a key the manifests do not know ("naration_zh"), with the key it
 *     probably meant. */
#include "mh_lint.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "asset/mh_json.h"
#include "asset/mh_validate.h"
#include "core/mh_fs.h"
#include "include/metahall_tools.h"
#include "scene/mh_scene.h"
#include "text/mh_glyphs.h"
#include "text/mh_text.h"
#include "ui/mh_panel.h"

#define MIN_CAP_RAD (16.0f / 935.3f) /* 16 px of 1080 rows under a 60 degree view */
#define SIGN_VIEW_M 7.1f             /* from a booth's spot to its header sign */
#define WALL_VIEW_M 3.5f             /* from a visitor who stepped up to a booth to its back wall */

static const char *const DEFAULT_FONTS[] = {"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
                                            "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"};

static void warnf(const mh_validate_sink *s, const char *file, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void warnf(const mh_validate_sink *s, const char *file, const char *where, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    s->warn(s->ctx, file, where, msg);
}

/* ---- unknown keys ------------------------------------------------------------ */

typedef struct keyset {
    const char *where; /* a pattern: "", "/facts/#", "/booths/#" */
    const char *const *keys;
} keyset;

#define KEYS(...) \
    (const char *const[]) { __VA_ARGS__, NULL }
static const char *const *const SHAPE_KEYS =
    KEYS("shape", "position", "size", "rotation_deg", "color", "emissive", "top", "thickness", "segments", "texture",
         "uv_scale", "collide", "metallic", "roughness", "occlusion", "halo");
static const keyset EXHIBIT_KEYS[] = {
    {"", KEYS("format", "id", "name_zh", "name_en", "short_zh", "short_en", "city_zh", "city_en", "tagline_zh",
              "tagline_en", "landmark_zh", "landmark_en", "accent", "model", "landmark", "sources", "facts", "charts",
              "narration_zh", "narration_en", "narration_audio_zh", "narration_audio_en", "narration_cues_zh",
              "narration_cues_en", "images", "videos", "url", "turn")},
    {"/facts/#", KEYS("id", "label_zh", "label_en", "short_zh", "short_en", "value", "unit_zh", "unit_en", "bound",
                      "text_zh", "text_en", "date", "source", "wall_zh", "wall_en")},
    {"/charts/#", KEYS("type", "title_zh", "title_en", "facts")},
    {"/images/#", KEYS("file", "caption_zh", "caption_en")},
    {"/videos/#", KEYS("file", "caption_zh", "caption_en")},
};
static const keyset HALL_KEYS[] = {
    {"", KEYS("format", "name_zh", "name_en", "fonts", "exhibits_dir", "textures", "lighting", "entrance", "stage",
              "booth", "walkable", "architecture", "signs", "booths", "booth_focus", "zones", "tour", "budgets",
              "streaming", "music", "music_volume", "screens", "booth_templates")},
    {"/lighting", KEYS("clear", "sky", "ground", "sun", "sun_dir", "fog")},
    {"/entrance", KEYS("position", "yaw_deg", "pitch_deg")},
    {"/stage", KEYS("position", "radius", "height", "featured")},
    {"/booth", KEYS("width", "depth", "wall_height", "turn", "template")},
    {"/walkable", KEYS("min", "max")},
    {"/signs/#", KEYS("position", "yaw_deg", "size", "background", "lines")},
    {"/signs/#/lines/#", KEYS("text", "size", "color")},
    {"/booths/#", KEYS("exhibit", "position", "yaw_deg", "template")},
    {"/zones/#",
     KEYS("name_zh", "name_en", "color", "from", "to", "yaw_deg", "focus", "sign_height", "booths", "template")},
    {"/screens/#", KEYS("video", "position", "yaw_deg", "size")},
};

static const char *const *const TEMPLATE_KEYS = KEYS("neutral", "landmark", "parts");
static const char *const *const PART_KEYS =
    KEYS("shape", "position", "size", "rotation_deg", "color", "emissive", "top", "thickness", "segments", "texture",
         "uv_scale", "metallic", "roughness", "occlusion", "halo", "role", "shade", "label");

/* Edit distance of two short keys (at most 63 characters each). */
static int distance(const char *a, const char *b)
{
    int n = (int)strlen(a), m = (int)strlen(b);
    if (n > 63 || m > 63)
        return 99;
    int row[64];
    for (int j = 0; j <= m; j++)
        row[j] = j;
    for (int i = 1; i <= n; i++) {
        int diag = row[0];
        row[0] = i;
        for (int j = 1; j <= m; j++) {
            int up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            best = up + 1 < best ? up + 1 : best;
            best = row[j - 1] + 1 < best ? row[j - 1] + 1 : best;
            diag = up;
            row[j] = best;
        }
    }
    return row[m];
}

static void unknown_keys_in(const cJSON *obj, const char *ptr, const char *const *known, const char *file,
                            const mh_validate_sink *s)
{
    for (const cJSON *e = obj->child; e; e = e->next) {
        const char *best = NULL;
        int best_d = 3, k = 0;
        for (; known[k] && strcmp(known[k], e->string); k++) {
            int d = distance(e->string, known[k]);
            if (d < best_d)
                best_d = d, best = known[k];
        }
        if (known[k])
            continue;
        char where[200];
        mh_json_ptr_key(where, sizeof where, ptr, e->string);
        if (best)
            warnf(s, file, where, "unknown key, ignored (did you mean \"%s\"?)", best);
        else
            warnf(s, file, where, "unknown key, ignored");
    }
}

/* Does pointer ptr match pattern pat ("#" standing for an array index)? */
static bool matches(const char *ptr, const char *pat)
{
    while (*ptr && *pat) {
        if (*pat == '#') {
            if (*ptr < '0' || *ptr > '9')
                return false;
            while (*ptr >= '0' && *ptr <= '9')
                ptr++;
            pat++;
        } else if (*ptr++ != *pat++) {
            return false;
        }
    }
    return !*ptr && !*pat;
}

/* Walks objects and arrays; every object whose pointer has a key set is checked. */
static void walk_keys(const cJSON *v, const char *ptr, const keyset *sets, int n, const char *file,
                      const mh_validate_sink *s)
{
    if (cJSON_IsObject(v)) {
        for (int i = 0; i < n; i++)
            if (matches(ptr, sets[i].where))
                unknown_keys_in(v, ptr, sets[i].keys, file, s);
        if (matches(ptr, "/architecture/#") || matches(ptr, "/landmark/#"))
            unknown_keys_in(v, ptr, SHAPE_KEYS, file, s);
        /* booth templates go by name: "/booth_templates/<name>[/parts/#]" */
        const char *t = !strncmp(ptr, "/booth_templates/", 17) ? ptr + 17 : NULL, *slash = t ? strchr(t, '/') : NULL;
        if (t && !slash)
            unknown_keys_in(v, ptr, TEMPLATE_KEYS, file, s);
        else if (t && matches(slash, "/parts/#"))
            unknown_keys_in(v, ptr, PART_KEYS, file, s);
        if (!strcmp(ptr, "/sources") || !strcmp(ptr, "/budgets"))
            return; /* free keys (source names), or checked by the loader (budgets) */
    }
    if (!cJSON_IsObject(v) && !cJSON_IsArray(v))
        return;
    int i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        char sub[200];
        if (cJSON_IsArray(v))
            mh_json_ptr_index(sub, sizeof sub, ptr, i);
        else
            mh_json_ptr_key(sub, sizeof sub, ptr, e->string);
        walk_keys(e, sub, sets, n, file, s);
    }
}

static void check_keys(const char *file, const keyset *sets, int n, const mh_validate_sink *s)
{
    cJSON *root = mh_json_load_file(file, MH_MANIFEST_MAX_BYTES, NULL);
    if (!root)
        return; /* the loader reported it */
    walk_keys(root, "", sets, n, file, s);
    cJSON_Delete(root);
}

/* ---- panels ---------------------------------------------------------------------- */

static void check_panel(mh_lint *l, const char *file, const mh_exhibit_desc *x, const mh_validate_sink *s)
{
    static mh_panel p; /* large: laid out once per exhibit and language, on one thread */
    mh_panel_fit fit = mh_panel_fit_default(l->glyphs);
    mh_panel_pose pose = {mh_v3(0, 1.5f, 0), mh_v3(1, 0, 0), mh_v3(0, 1, 0), mh_v3(0, 0, 1)};
    for (int lang = 0; lang < 2; lang++) {
        const char *name = lang == MH_LANG_ZH ? "Chinese" : "English";
        mh_panel_open(&p, l->glyphs, x, 0, (mh_lang)lang, pose, fit, 0);
        if (p.page_count > 1)
            warnf(s, file, "/facts", "the panel needs %d pages in %s (16:9 screen); visitors turn them", p.page_count,
                  name);
        for (int v = 0; v < p.view_count; v++) {
            mh_panel_set_view(&p, v);
            char where[48];
            snprintf(where, sizeof where, "/charts/%d", p.views[v].index);
            if (p.views[v].kind == MH_VIEW_CHART && p.plot.legend)
                warnf(s, file, where,
                      "its %s labels do not fit under the bars without breaking a word, so the bars "
                      "are numbered with a legend; give its facts short_%s labels",
                      name, lang ? "en" : "zh");
            if (p.overflow)
                warnf(s, file, p.views[v].kind == MH_VIEW_CHART ? where : "/facts",
                      "part of the panel does not fit at the minimum text size in %s", name);
        }
        mh_panel_close(&p);
    }
}

/* How much sign d scales its line i down to fit the width (1: not at all,
 * as mh_scene_sign_glyphs does); *em: the line's height before that. */
static float line_shrink(mh_lint *l, const mh_sign_desc *d, int i, float *em)
{
    *em = d->lines[i].size * d->size.y;
    float box = d->size.x - d->size.y / 6;
    float width = (float)mh_font_measure(l->font, d->lines[i].text, 100) / 100.0f * *em;
    return width > box ? box / width : 1.0f;
}

/* A booth's header sign scales a name down to fit its width: warn when that
 * takes it below the minimum seen from the booth's spot. */
static void check_signs(mh_lint *l, const char *file, const mh_hall_desc *h, const mh_exhibit_desc *x,
                        const mh_validate_sink *s)
{
    if (!l->font)
        return;
    mh_sign_desc header, panel;
    mh_scene_booth_signs(h, x, &header, &panel);
    float min_em = MIN_CAP_RAD * SIGN_VIEW_M / l->cap;
    static const char *const keys[] = {"/short_zh", "/short_en"};
    for (int i = 0; i < header.line_count && i < 2; i++) {
        float em, shrink = line_shrink(l, &header, i, &em);
        if (shrink < 1 && em * shrink < min_em)
            warnf(s, file, keys[i],
                  "the booth's sign shrinks this name to %.0f%% to fit; its letters are then %.0f mm "
                  "tall, under the %.0f mm readable from the booth: give a shorter name",
                  shrink * 100, em * shrink * l->cap * 1000, min_em * l->cap * 1000);
    }
}

/* The field a key figure's large line shows (mh_fact_format_figure). */
static const char *figure_key(const mh_fact *f, bool zh)
{
    return f->has_value ? "value" : f->text_zh ? (zh ? "text_zh" : "text_en") : "date";
}

/* The booth's key figures (mh_scene_booth_figure): a figure or caption the
 * wall shrinks below what reads from a step in front of the booth. */
static void check_figures(mh_lint *l, const char *file, const mh_hall_desc *h, const mh_exhibit_desc *x,
                          const mh_validate_sink *s)
{
    float min_em = MIN_CAP_RAD * WALL_VIEW_M / l->cap;
    for (int k = 0, shown = 0; k < x->fact_count && shown < 2; k++) {
        const mh_fact *f = &x->facts[k];
        if (!f->wall_zh)
            continue;
        shown++;
        char zh[96], en[96], where[64];
        mh_fact_format_figure(f, MH_LANG_ZH, zh, sizeof zh);
        mh_fact_format_figure(f, MH_LANG_EN, en, sizeof en);
        mh_sign_desc d;
        mh_scene_booth_figure(h, -1, f, zh, en, &d);
        /* the figure, its caption, the caption in English (the English figure is small by design, and an
           amount cannot be shorter) */
        static const int checked[] = {0, 1, 3};
        for (size_t c = 0; c < sizeof checked / sizeof *checked; c++) {
            int i = checked[c];
            float em, shrink = line_shrink(l, &d, i, &em);
            bool caption = i % 2;
            snprintf(where, sizeof where, "/facts/%d/%s", k,
                     caption ? (i == 1 ? "wall_zh" : "wall_en") : figure_key(f, i == 0));
            if (shrink < 1 && em * shrink < min_em)
                warnf(s, file, where,
                      "the booth's wall shrinks this %s to %.0f%% to fit; its letters are then %.0f mm tall, "
                      "under the %.0f mm readable a step from the booth: give a shorter %s",
                      caption ? "caption" : "figure", shrink * 100, em * shrink * l->cap * 1000, min_em * l->cap * 1000,
                      caption ? "caption" : "text");
        }
    }
}

/* ---- booths -------------------------------------------------------------------- */

/* Where booth i is in hall.json: "/booths/N", or "/zones/Z/booths/K" for a
 * zone's booth (they follow the explicit ones). */
static void booth_ptr(const mh_hall_desc *h, int i, char *out, size_t size)
{
    int z = h->booths[i].zone;
    if (z >= 0 && z < h->zone_count)
        snprintf(out, size, "/zones/%d/booths/%d", z, i - h->zones[z].first_booth);
    else
        snprintf(out, size, "/booths/%d", i);
}

static void check_booths(const char *file, const mh_hall_desc *h, const mh_validate_sink *s)
{
    for (int a = 0; a < h->booth_count; a++)
        for (int b = a + 1; b < h->booth_count; b++)
            if (mh_hall_booth_gap(h, a, b) < -1e-3f) { /* their footprints overlap */
                char where[48], other[48];
                booth_ptr(h, b, where, sizeof where);
                booth_ptr(h, a, other, sizeof other);
                warnf(s, file, where, "booth %s overlaps booth %s (%s): booths are %.1f x %.1f m",
                      h->booths[b].exhibit.id, h->booths[a].exhibit.id, other, h->booth_width, h->booth_depth);
            }
}

/* ---- the checks ------------------------------------------------------------------ */

static bool open_fonts(mh_lint *l, const mh_hall_desc *h)
{
    if (l->glyphs)
        return true;
    const char *const *paths = h && h->font_count ? h->fonts : DEFAULT_FONTS;
    int n = h && h->font_count ? h->font_count : 2;
    mh_glyphs_desc gd = {.font_paths = paths, .font_count = n};
    l->glyphs = mh_glyphs_create(&gd, NULL);
    l->font = mh_font_open(paths, n, NULL);
    l->cap = l->glyphs ? mh_glyphs_cap_height(l->glyphs) : 0.7f;
    return l->glyphs != NULL;
}

void mh_lint_run(void *user, const char *file, const mh_hall_desc *h, const mh_exhibit_desc *x,
                 const mh_validate_sink *s)
{
    mh_lint *l = user;
    if (!x) {
        check_keys(file, HALL_KEYS, (int)(sizeof HALL_KEYS / sizeof *HALL_KEYS), s);
        check_booths(file, h, s);
        return;
    }
    char path[1100];
    snprintf(path, sizeof path, "%s/exhibit.json", x->dir);
    check_keys(path, EXHIBIT_KEYS, (int)(sizeof EXHIBIT_KEYS / sizeof *EXHIBIT_KEYS), s);
    if (!open_fonts(l, h))
        return; /* validate already says when no font is installed */
    check_panel(l, path, x, s);
    if (h) {
        check_signs(l, path, h, x, s);
        check_figures(l, path, h, x, s);
    }
}

void mh_lint_free(mh_lint *l)
{
    mh_glyphs_destroy(&l->glyphs);
    mh_font_close(&l->font);
}
