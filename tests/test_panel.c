/* test_panel.c - info panels never cut content, and the screen interface
 * never overlaps them.
 *
 * 1. Every page and every view of the panel of each of the 13 shipped
 *    exhibits, in Chinese and English, at the landscape and the portrait
 *    form: the texts drawn (read back from the panel's glyphs) are checked
 *    against exhibit.json read here with cJSON (not through the loader):
 *    each fact's label and its value or text on exactly one page, each
 *    source title, each chart's title and every bar's label, the timeline's
 *    entries, one view per photo, the QR code's address. No text is cut
 *    ("…"), none is below the minimum size, none leaves the panel, and
 *    English never breaks inside a word.
 * 2. The visit at 16:9, 16:10, 4:3 and portrait 9:16: for every booth the
 *    open panel's projected rectangle, the minimap's frame, the caption band
 *    and every button are inside the screen and overlap nothing; the
 *    minimap's markers and legend stay inside its frame and do not overlap;
 *    the panel's smallest text is at least 16 px cap height at 1080 rows.
 * 3. Paging: PAGE and VIEW moves, their ends, swipes and page-turn counts.
 * 4. The open card is one opaque command (the renderer draws it into depth
 *    before the hall) only once it is fully open; while it fades in it
 *    blends, and an opaque batch refuses a see-through quad. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "asset/mh_hall_load.h"
#include "core/mh_arena.h"
#include "core/mh_fs.h"
#include "core/mh_utf8.h"
#include "include/metahall.h"
#include "mh_test.h"
#include "text/mh_glyphs.h"
#include "ui/mh_panel.h"
#include "ui/mh_panel_fit.h"
#include "ui/mh_visit.h"

#define DT (1.0 / 60.0)

static mh_arena g_arena;
static mh_hall_desc g_hall;
static mh_glyphs *g_glyphs;
static mh_panel g_panel;

/* Appends s to out, cut at its size. */
static void append(char *out, size_t size, const char *s)
{
    size_t n = strlen(out), k = strlen(s);
    if (n + k + 1 > size)
        k = size - n - 1;
    memcpy(out + n, s, k);
    out[n + k] = '\0';
}

/* Appends s to out without spaces (wrapped lines lose theirs). */
static void squeeze(char *out, size_t size, const char *s)
{
    size_t n = strlen(out);
    while (*s && n + 4 < size) {
        const char *at = s;
        uint32_t cp = mh_utf8_next(&s);
        if (cp == ' ' || cp == 0xA0)
            continue;
        memcpy(out + n, at, (size_t)(s - at));
        n += (size_t)(s - at);
    }
    out[n] = '\0';
}

/* The text of panel text block i as drawn, spaces removed. */
static void drawn(const mh_panel_text *t, char *out, size_t size)
{
    out[0] = '\0';
    size_t n = 0;
    for (int i = 0; i < t->lay.glyph_count && n + 5 < size; i++) {
        uint32_t cp = t->lay.glyphs[i].cp;
        if (cp == ' ')
            continue;
        n += (size_t)mh_utf8_encode(cp, out + n);
    }
    out[n] = '\0';
}

static bool contains(const char *hay, const char *needle)
{
    char n[4096] = "";
    squeeze(n, sizeof n, needle);
    return strstr(hay, n) != NULL;
}

#define CHECK_HAS(hay, needle, ctx)                                                                          \
    do {                                                                                                     \
        bool ok_ = contains((hay), (needle));                                                                \
        if (!ok_)                                                                                            \
            fprintf(stderr, "%s:%d: %s: \"%s\" is not on the panel\n", __FILE__, __LINE__, (ctx), (needle)); \
        CHECK(ok_);                                                                                          \
    } while (0)

/* Checks the layout now shown: sizes, bounds, nothing cut, no split words;
 * adds its texts to `page_text`. */
static bool in_facts(const mh_panel *p, const mh_panel_text *t)
{
    mh_panel_rect r = p->facts_rect;
    return t->x >= r.x - 1e-4f && t->x < r.x + r.w && t->y >= r.y - 1e-4f && t->y < r.y + r.h;
}

/* facts_only: keep the texts of the facts column only (a page), else all. */
static void check_shown(const mh_panel *p, char *page_text, size_t size, const char *what, bool facts_only)
{
    if (p->overflow)
        fprintf(stderr, "%s: page %d view %d does not fit at the minimum size\n", what, p->page + 1, p->view + 1);
    CHECK(!p->overflow);
    for (int i = 0; i < p->text_count; i++) {
        const mh_panel_text *t = &p->texts[i];
        char s[4096];
        drawn(t, s, sizeof s);
        bool cut = t->lay.truncated, small = t->size < p->fit.min_em - 1e-5f;
        bool split = p->lang == MH_LANG_EN && t->lay.split_word;
        float h = ((float)(t->lay.line_count - 1) * 1.3f + 1.0f) * t->size * 1.15f;
        float w = t->lay.width * t->size;
        bool outside = t->x < -1e-4f || t->y < -1e-4f || t->x + w > p->fit.width + 1e-3f ||
                       (t->bar < 0 && t->y + h > p->fit.height + 1e-3f);
        if (cut || small || split || outside)
            fprintf(stderr, "%s: text %d \"%s\":%s%s%s%s\n", what, i, s, cut ? " cut" : "",
                    small ? " below the minimum" : "", split ? " a word broken" : "",
                    outside ? " outside the panel" : "");
        CHECK(!cut && !small && !split && !outside);
        if (facts_only && !in_facts(p, t))
            continue;
        append(page_text, size, s);
        append(page_text, size, "|");
    }
}

static const char *jstr(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A number as the manifest writes it, trailing zeros dropped. */
static void plain_number(double v, char *out, size_t size)
{
    snprintf(out, size, "%.2f", v);
    char *end = out + strlen(out) - 1;
    while (*end == '0')
        *end-- = '\0';
    if (*end == '.')
        *end = '\0';
}

/* Each fact on exactly one page, with its value (or text) in its line. */
static void check_facts(const cJSON *facts, const char *pages[], int page_count, mh_lang lang, const char *id)
{
    bool zh = lang == MH_LANG_ZH;
    const cJSON *f;
    cJSON_ArrayForEach(f, facts)
    {
        const char *label = jstr(f, zh ? "label_zh" : "label_en");
        char line[600], bare[600]; /* the start of its line: "• label:" or "• label [n]" */
        snprintf(line, sizeof line, "•%s%s", label, zh ? "：" : ":");
        snprintf(bare, sizeof bare, "•%s[", label);
        int on = 0;
        for (int p = 0; p < page_count; p++)
            on += contains(pages[p], line) || contains(pages[p], bare);
        if (on != 1)
            fprintf(stderr, "%s (%s): fact \"%s\" is on %d pages\n", id, zh ? "zh" : "en", label, on);
        CHECK(on == 1);
        char all[65536] = "";
        for (int p = 0; p < page_count; p++)
            append(all, sizeof all, pages[p]);
        const char *text = jstr(f, zh ? "text_zh" : "text_en");
        if (text)
            CHECK_HAS(all, text, id);
        const cJSON *value = cJSON_GetObjectItemCaseSensitive(f, "value");
        const char *unit_zh = jstr(f, "unit_zh"), *unit_en = jstr(f, "unit_en");
        if (value && zh) { /* Chinese keeps the manifest's number and unit: 525.8亿元 */
            char num[64], want[128];
            plain_number(value->valuedouble, num, sizeof num);
            snprintf(want, sizeof want, "%s%s", num, unit_zh ? unit_zh : "");
            CHECK_HAS(all, want, id);
        }
        if (value && !zh && unit_en) /* English names the base unit ("yuan") */
            CHECK_HAS(all, unit_en, id);
        if (value && !zh && unit_zh && strstr(unit_zh, "亿"))
            CHECK(!contains(all, "100 million")); /* never "525.8 100 million yuan" */
    }
}

/* Walks every page and view of exhibit `b`'s panel at `fit` in `lang`. */
static void walk_panel(int b, mh_lang lang, mh_panel_fit fit)
{
    const mh_exhibit_desc *ex = &g_hall.booths[b].exhibit;
    char path[600], *text = NULL, what[96];
    size_t size;
    snprintf(path, sizeof path, "%s/exhibit.json", ex->dir);
    snprintf(what, sizeof what, "%s %s %s", ex->id, lang == MH_LANG_ZH ? "zh" : "en",
             fit.width > fit.height ? "landscape" : "portrait");
    CHECK(mh_fs_read_file(path, 1 << 20, &text, &size, NULL));
    cJSON *root = cJSON_Parse(text);
    free(text);
    CHECK(root != NULL);
    if (!root)
        return;
    mh_panel *p = &g_panel;
    mh_panel_pose pose = {mh_v3(0, 1.5f, 0), mh_v3(1, 0, 0), mh_v3(0, 1, 0), mh_v3(0, 0, 1)};
    mh_panel_open(p, g_glyphs, ex, b, lang, pose, fit, 0);
    static char head[16384];
    head[0] = '\0';
    check_shown(p, head, sizeof head, what, false); /* the header names what the landmark model shows */
    CHECK_HAS(head, jstr(root, lang == MH_LANG_ZH ? "landmark_zh" : "landmark_en"), what);
    static char pages[MH_PANEL_MAX_PAGES][8192];
    const char *page_ptrs[MH_PANEL_MAX_PAGES];
    CHECK(p->page_count >= 1 && p->page_count <= MH_PANEL_MAX_PAGES);
    for (int k = 0; k < p->page_count; k++) {
        mh_panel_set_page(p, k);
        CHECK(p->page == k);
        pages[k][0] = '\0';
        check_shown(p, pages[k], sizeof pages[k], what, true);
        page_ptrs[k] = pages[k];
    }
    check_facts(cJSON_GetObjectItemCaseSensitive(root, "facts"), page_ptrs, p->page_count, lang, what);
    /* every source title on some page */
    char all[65536] = "";
    for (int k = 0; k < p->page_count; k++)
        append(all, sizeof all, pages[k]);
    const cJSON *src;
    cJSON_ArrayForEach(src, cJSON_GetObjectItemCaseSensitive(root, "sources")) CHECK_HAS(all, src->valuestring, what);
    /* every view */
    static char views[MH_PANEL_MAX_VIEWS][8192];
    int photos = 0, charts = 0, timeline = 0, qr = 0;
    for (int k = 0; k < p->view_count; k++) {
        mh_panel_set_view(p, k);
        CHECK(p->view == k);
        views[k][0] = '\0';
        check_shown(p, views[k], sizeof views[k], what, false);
        mh_view_kind kind = p->views[k].kind;
        photos += kind == MH_VIEW_PHOTO;
        timeline += kind == MH_VIEW_TIMELINE;
        qr += kind == MH_VIEW_QR;
        if (kind == MH_VIEW_QR)
            CHECK_HAS(views[k], jstr(root, "url"), what);
        if (kind != MH_VIEW_CHART)
            continue;
        const cJSON *chart = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "charts"), p->views[k].index);
        charts++;
        CHECK_HAS(views[k], jstr(chart, lang == MH_LANG_ZH ? "title_zh" : "title_en"), what);
        const cJSON *fid;
        cJSON_ArrayForEach(fid, cJSON_GetObjectItemCaseSensitive(chart, "facts"))
        {
            const cJSON *f;
            cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(root, "facts"))
            {
                if (strcmp(jstr(f, "id"), fid->valuestring))
                    continue;
                const char *label = jstr(f, lang == MH_LANG_ZH ? "short_zh" : "short_en");
                CHECK_HAS(views[k], label ? label : jstr(f, lang == MH_LANG_ZH ? "label_zh" : "label_en"), what);
            }
        }
    }
    CHECK(charts == cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(root, "charts")));
    CHECK(photos == cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(root, "images")));
    CHECK(qr == (jstr(root, "url") ? 1 : 0));
    /* dated facts: every one on the timeline (when there are two or more) */
    int dated = 0;
    const cJSON *f;
    cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(root, "facts")) dated += jstr(f, "date") != NULL;
    CHECK((dated >= 2) == (timeline >= 1));
    if (dated >= 2) {
        char tl[65536] = "";
        for (int k = 0; k < p->view_count; k++)
            if (p->views[k].kind == MH_VIEW_TIMELINE)
                append(tl, sizeof tl, views[k]);
        cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(root, "facts")) if (jstr(f, "date"))
            CHECK_HAS(tl, jstr(f, lang == MH_LANG_ZH ? "label_zh" : "label_en"), what);
    }
    mh_panel_close(p);
    cJSON_Delete(root);
}

static void test_every_page(void)
{
    mh_panel_fit landscape = mh_panel_fit_default(g_glyphs);
    mh_panel_fit portrait = landscape;
    portrait.width = 1.4f;
    portrait.height = 1.9f;
    CHECK(g_hall.booth_count == 13);
    int pages = 0;
    for (int b = 0; b < g_hall.booth_count; b++)
        for (int l = 0; l < 2; l++) {
            walk_panel(b, (mh_lang)l, landscape);
            walk_panel(b, (mh_lang)l, portrait);
            mh_panel_open(&g_panel, g_glyphs, &g_hall.booths[b].exhibit, b, (mh_lang)l,
                          (mh_panel_pose){mh_v3(0, 1.5f, 0), mh_v3(1, 0, 0), mh_v3(0, 1, 0), mh_v3(0, 0, 1)}, landscape,
                          0);
            pages += g_panel.page_count;
        }
    /* the content needs pages: more than one panel in 26 has two or more */
    CHECK(pages > 26);
    printf("test_panel: %d pages over 13 exhibits in 2 languages (landscape)\n", pages);
}

/* ---- the screen at four aspect ratios ----------------------------------------------- */

static bool overlap(mh_rect a, mh_rect b)
{
    return a.x < b.x + b.w - 0.5f && b.x < a.x + a.w - 0.5f && a.y < b.y + b.h - 0.5f && b.y < a.y + a.h - 0.5f;
}

static bool inside(mh_rect in, mh_rect out)
{
    return in.x >= out.x - 0.5f && in.y >= out.y - 0.5f && in.x + in.w <= out.x + out.w + 0.5f &&
           in.y + in.h <= out.y + out.h + 0.5f;
}

static void frame(mh_visit *v, mh_nav *nav, int w, int h, double *t)
{
    *t += DT;
    mh_visit_frame f = {.time_s = *t,
                        .dt_s = DT,
                        .width = w,
                        .height = h,
                        .view = mh_nav_view_matrix(nav),
                        .proj = mh_m4_perspective(mh_radians(60.0f), (float)w / (float)h, 0.05f, 250.0f),
                        .eye = mh_nav_eye(nav),
                        .narration_s = -1};
    mh_input_state in = {0};
    mh_visit_update(v, &f, &in, nav);
}

static void check_screen(int w, int h)
{
    static mh_visit v;
    mh_nav nav = {0};
    double t = 0;
    mh_visit_init(&v, &g_hall, g_glyphs, &(mh_visit_desc){.idle_timeout_s = -1});
    mh_nav_place(&nav, g_hall.entrance_pos, 0, 0);
    frame(&v, &nav, w, h, &t);
    mh_rect screen = {0, 0, (float)w, (float)h};
    const mh_hud *hud = &v.hud;
    mh_hud_state hs = {.hall = &g_hall, .glyphs = g_glyphs, .lang = v.lang, .touring = true, .volume = 100};
    mh_hud_arrange_buttons(&v.hud, &hs); /* with the tour's Next stop button too */
    mh_rect fixed[MH_HUD_COUNT + 2];
    int n = 0;
    fixed[n++] = hud->frame;
    fixed[n++] = hud->caption;
    for (int k = 1; k < MH_HUD_COUNT; k++)
        if (hud->visible[k])
            fixed[n++] = hud->buttons[k];
    CHECK(n == MH_HUD_COUNT + 1);
    for (int i = 0; i < n; i++) {
        CHECK(inside(fixed[i], screen));
        for (int k = i + 1; k < n; k++) {
            if (overlap(fixed[i], fixed[k]))
                fprintf(stderr, "%dx%d: interface rectangles %d and %d overlap\n", w, h, i, k);
            CHECK(!overlap(fixed[i], fixed[k]));
        }
    }
    /* the minimap: markers on the plan, apart; legend entries in the frame, apart */
    for (int i = 0; i < hud->marker_count; i++) {
        float s = hud->marker_size;
        mh_rect a = {hud->markers[i].x - s / 2, hud->markers[i].y - s / 2, s, s};
        CHECK(inside(a, hud->map) && inside(hud->map, hud->frame));
        for (int k = i + 1; k < hud->marker_count; k++) {
            mh_rect c = {hud->markers[k].x - s / 2, hud->markers[k].y - s / 2, s, s};
            if (overlap(a, c))
                fprintf(stderr, "%dx%d: markers %d and %d overlap\n", w, h, i + 1, k + 1);
            CHECK(!overlap(a, c));
        }
    }
    CHECK(hud->legend_count == g_hall.booth_count + 3);
    for (int i = 0; i < hud->legend_count; i++) {
        CHECK(inside(hud->legend[i].rect, hud->frame));
        CHECK(!overlap(hud->legend[i].rect, hud->map));
        CHECK(!overlap(hud->legend[i].rect, hud->legend_toggle));
        for (int k = i + 1; k < hud->legend_count; k++)
            CHECK(!overlap(hud->legend[i].rect, hud->legend[k].rect));
    }
    /* the legend is hidden until asked for: the frame then ends under the
     * show/hide row, and a tap where an entry would be is no tap on the map */
    mh_rect closed = hud->frame_closed;
    /* the plan (legend hidden) and the folded button stand in the screen's
     * bottom half, clear of the signs and headers that hang high in the view */
    if (closed.y < (float)h * 0.5f || hud->fold_row.y < (float)h * 0.5f)
        fprintf(stderr, "%dx%d: the minimap starts at y %.0f, the folded button at %.0f\n", w, h, closed.y,
                hud->fold_row.y);
    CHECK(closed.y >= (float)h * 0.5f && hud->fold_row.y >= (float)h * 0.5f);
    CHECK(inside(hud->fold_row, screen) && inside(closed, screen));
    CHECK(inside(hud->legend_toggle, closed) && !overlap(hud->legend_toggle, hud->map));
    CHECK(hud->legend_toggle.y >= hud->map.y + hud->map.h);
    CHECK(closed.h < hud->frame.h * 0.75f);
    CHECK(!v.legend);
    mh_rect lt = hud->legend_toggle, e0 = hud->legend[0].rect;
    mh_target tt = mh_hud_hit(&v.hud, &hs, lt.x + lt.w / 2, lt.y + lt.h / 2);
    CHECK(tt.kind == MH_TARGET_HUD && tt.id == MH_HUD_LEGEND);
    mh_target te = mh_hud_hit(&v.hud, &hs, e0.x + e0.w / 2, e0.y + e0.h / 2);
    CHECK(te.kind == MH_TARGET_NONE);
    hs.legend = true;
    te = mh_hud_hit(&v.hud, &hs, e0.x + e0.w / 2, e0.y + e0.h / 2);
    CHECK(te.kind == MH_TARGET_MAP && te.id == hud->legend[0].target);
    hs.legend = false;
    float min_cap = 16.0f * fminf((float)w, (float)h) / 1080.0f;
    for (int b = -2; b < g_hall.booth_count; b++) {
        if (b == -1)
            continue;
        mh_visit_go_booth(&v, b, true);
        for (int i = 0; i < 40; i++)
            frame(&v, &nav, w, h, &t);
        CHECK(v.panel.open && v.panel.booth == b);
        mh_rect pr;
        mh_mat4 proj = mh_m4_perspective(mh_radians(60.0f), (float)w / (float)h, 0.05f, 250.0f);
        CHECK(mh_panel_fit_project(&v.panel, mh_nav_view_matrix(&nav), proj, w, h, &pr));
        CHECK(inside(pr, screen));
        for (int i = 0; i < n; i++) {
            if (overlap(pr, fixed[i]))
                fprintf(stderr,
                        "%dx%d: booth %d's panel (%.0f,%.0f %.0fx%.0f) overlaps interface rectangle %d "
                        "(%.0f,%.0f %.0fx%.0f)\n",
                        w, h, b, pr.x, pr.y, pr.w, pr.h, i, fixed[i].x, fixed[i].y, fixed[i].w, fixed[i].h);
            CHECK(!overlap(pr, fixed[i]));
        }
        /* its smallest text, in pixels on this screen */
        float cap_px = v.panel.fit.min_em * mh_glyphs_cap_height(g_glyphs) * (pr.h / v.panel.fit.height);
        if (cap_px < min_cap * 0.97f)
            fprintf(stderr, "%dx%d: booth %d's smallest cap height is %.1f px, under %.1f\n", w, h, b, cap_px, min_cap);
        CHECK(cap_px >= min_cap * 0.97f); /* projection of a slightly tilted plane: within 3 % */
    }
    printf("test_panel: %dx%d: the panel at scale %.2f (%s), %d interface rectangles, no overlaps\n", w, h,
           v.panel.fit.scale, v.panel.fit.width > v.panel.fit.height ? "landscape" : "portrait", n);
}

static void test_aspect_ratios(void)
{
    check_screen(1920, 1080); /* 16:9 */
    check_screen(1920, 1200); /* 16:10 */
    check_screen(1440, 1080); /* 4:3 */
    check_screen(1080, 1920); /* 9:16 portrait */
    check_screen(1280, 720);  /* the visit tests' size */
}

/* A small window (the goldens' 480x270): the open minimap would cover a
 * third of it, so the visit shows it folded to its "show map" row until
 * tapped; a kiosk's screen shows it open. */
static void test_map_folds_on_a_small_screen(void)
{
    static mh_visit v;
    /* width, height, whether the map crowds it (2: and folds into the corner beside the buttons) */
    static const int sizes[][3] = {{480, 270, 2},  {400, 300, 1},   {640, 360, 0},  {800, 450, 0},
                                   {1280, 720, 0}, {1920, 1080, 0}, {1080, 1920, 0}};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        mh_nav nav = {0};
        double t = 0;
        mh_visit_init(&v, &g_hall, g_glyphs, &(mh_visit_desc){.idle_timeout_s = -1});
        mh_nav_place(&nav, g_hall.entrance_pos, 0, 0);
        frame(&v, &nav, sizes[i][0], sizes[i][1], &t);
        bool crowds = mh_hud_map_crowds(&v.hud);
        if (crowds != (sizes[i][2] != 0))
            fprintf(stderr, "%dx%d: the map %s\n", sizes[i][0], sizes[i][1], crowds ? "crowds" : "does not crowd");
        CHECK(crowds == (sizes[i][2] != 0));
        if (!crowds)
            continue;
        /* folded: a tap on its row unfolds it, a tap where the plan was is not on the map */
        mh_rect row = v.hud.fold_row, plan = v.hud.map;
        mh_hud_state hs = {.hall = &g_hall, .glyphs = g_glyphs, .lang = v.lang, .folded = true};
        mh_target on_row = mh_hud_hit(&v.hud, &hs, row.x + row.w / 2, row.y + row.h / 2);
        CHECK(on_row.kind == MH_TARGET_HUD && on_row.id == MH_HUD_MAP);
        mh_target on_plan = mh_hud_hit(&v.hud, &hs, plan.x + plan.w / 2, plan.y + plan.h / 4);
        CHECK(on_plan.kind != MH_TARGET_MAP);
        /* ...and the row sits in the bottom right corner beside the buttons where they leave room
           (else over them), covering none */
        bool corner = row.y + row.h > sizes[i][1] * 0.9f && row.x + row.w > sizes[i][0] * 0.9f;
        CHECK(corner == (sizes[i][2] == 2) && v.hud.fold_corner == corner);
        mh_hud_arrange_buttons(&v.hud, &hs);
        for (int k = 1; k < MH_HUD_COUNT; k++) {
            mh_rect b = v.hud.buttons[k];
            bool apart = b.x + b.w <= row.x || row.x + row.w <= b.x || b.y + b.h <= row.y || row.y + row.h <= b.y;
            CHECK(!v.hud.visible[k] || apart);
        }
    }
}

/* ---- paging ------------------------------------------------------------------------ */

static void test_paging(void)
{
    static mh_visit v;
    mh_nav nav = {0};
    double t = 0;
    mh_visit_init(&v, &g_hall, g_glyphs, &(mh_visit_desc){.idle_timeout_s = -1});
    mh_nav_place(&nav, g_hall.entrance_pos, 0, 0);
    CHECK(!mh_visit_panel_page(&v, 1, true)); /* no panel */
    int b = mh_hall_find_booth(&g_hall, "shanghai");
    mh_visit_go_booth(&v, b, true);
    for (int i = 0; i < 40; i++)
        frame(&v, &nav, 1280, 720, &t);
    CHECK(v.panel.open && v.panel.page_count >= 2 && v.panel.view_count >= 3);
    int pages = v.panel.page_count;
    CHECK(!mh_visit_panel_page(&v, -1, true)); /* already on the first */
    CHECK(mh_visit_panel_page(&v, 1, true) && v.panel.page == 1);
    CHECK(mh_visit_panel_page(&v, pages - 1, false) && v.panel.page == pages - 1);
    CHECK(!mh_visit_panel_page(&v, 1, true)); /* the last */
    CHECK(!mh_visit_panel_page(&v, pages, false));
    CHECK(v.page_turns == 2);
    /* views wrap around; a view number past the end is refused */
    CHECK(mh_visit_panel_view(&v, -1, true) && v.panel.view == v.panel.view_count - 1);
    CHECK(mh_visit_panel_view(&v, 1, true) && v.panel.view == 0);
    CHECK(!mh_visit_panel_view(&v, v.panel.view_count, false));
    CHECK(v.page_turns == 4);
    /* a language change keeps the page when it still exists */
    mh_visit_panel_page(&v, 1, false);
    mh_visit_set_language(&v, MH_LANG_EN);
    CHECK(v.panel.lang == MH_LANG_EN && v.panel.page == 1);
    /* keys: next and previous page, next view */
    mh_visit_frame f = {.time_s = t += DT,
                        .dt_s = DT,
                        .width = 1280,
                        .height = 720,
                        .view = mh_nav_view_matrix(&nav),
                        .proj = mh_m4_perspective(mh_radians(60.0f), 1280.0f / 720.0f, 0.05f, 250.0f),
                        .eye = mh_nav_eye(&nav),
                        .narration_s = -1};
    mh_input_state in = {.actions = MH_ACT_PAGE_PREV | MH_ACT_VIEW_NEXT};
    mh_visit_update(&v, &f, &in, &nav);
    CHECK(v.panel.page == 0 && v.panel.view == 1);
}

/* ---- the opaque card --------------------------------------------------------------- */

static int opaque_cmds(const mh_ui_batch *b, int *index)
{
    int n = 0;
    for (int i = 0; i < b->cmd_count; i++)
        if (b->cmds[i].opaque) {
            *index = i;
            n++;
        }
    return n;
}

static void test_opaque_card(void)
{
    static mh_ui_batch b;
    CHECK(mh_ui_batch_init(&b, g_glyphs, 60000, 256));
    int booth = mh_hall_find_booth(&g_hall, "qiantang");
    mh_panel_pose pose = {mh_v3(0, 1.5f, 0), mh_v3(1, 0, 0), mh_v3(0, 1, 0), mh_v3(0, 0, 1)};
    mh_panel_open(&g_panel, g_glyphs, &g_hall.booths[booth].exhibit, booth, MH_LANG_EN, pose,
                  mh_panel_fit_default(g_glyphs), 100.0);
    int at = -1;
    /* fading in (0.1 s of 0.3): blended, no occluder */
    mh_ui_begin(&b);
    mh_panel_draw(&g_panel, &b, 100.1, MH_PANEL_NONE);
    CHECK(b.vertex_count > 600 && opaque_cmds(&b, &at) == 0);
    /* open: the card and its accent strip, full alpha, the card's corners */
    mh_ui_begin(&b);
    mh_panel_draw(&g_panel, &b, 101.0, MH_PANEL_NONE);
    int opaque = opaque_cmds(&b, &at);
    CHECK(opaque == 1 && b.overflow == 0);
    if (opaque != 1) {
        mh_ui_batch_free(&b);
        return;
    }
    const mh_ui_cmd *c = &b.cmds[at];
    CHECK(c->space == MH_UI_WORLD && c->depth_write && c->count == 12);
    mh_vec3 corners[4];
    mh_panel_corners(&g_panel, corners);
    float lo_x = 1e9f, hi_x = -1e9f, lo_y = 1e9f, hi_y = -1e9f;
    for (uint32_t i = c->first; i < c->first + c->count; i++) {
        const mh_ui_vertex *v = &b.vertices[i];
        CHECK(v->color[3] == 255);
        lo_x = fminf(lo_x, v->pos[0]), hi_x = fmaxf(hi_x, v->pos[0]);
        lo_y = fminf(lo_y, v->pos[1]), hi_y = fmaxf(hi_y, v->pos[1]);
    }
    CHECK(fabsf(lo_x - corners[0].x) < 1e-4f && fabsf(hi_x - corners[1].x) < 1e-4f);
    CHECK(fabsf(hi_y - corners[0].y) < 1e-4f && fabsf(lo_y - corners[3].y) < 1e-4f);
    /* everything after the card blends again (the texts are on top of it) */
    CHECK(at + 1 < b.cmd_count && !b.cmds[at + 1].opaque);
    /* a see-through quad is refused in an opaque command, and counted */
    mh_ui_begin(&b);
    mh_ui_set(&b, MH_UI_WORLD, 0, true);
    mh_ui_set_opaque(&b);
    mh_ui_rect(&b, 0, 0, 1, 1, (mh_rgba){10, 20, 30, 200});
    CHECK(b.vertex_count == 0 && b.overflow == 1);
    mh_ui_rect(&b, 0, 0, 1, 1, (mh_rgba){10, 20, 30, 255});
    CHECK(b.vertex_count == 6 && b.cmd_count == 1 && b.cmds[0].opaque);
    mh_ui_set(&b, MH_UI_WORLD, 0, true); /* a new set ends it */
    mh_ui_rect(&b, 0, 0, 1, 1, (mh_rgba){10, 20, 30, 200});
    CHECK(b.cmd_count == 2 && !b.cmds[1].opaque);
    mh_panel_close(&g_panel);
    mh_ui_batch_free(&b);
}

/* The atlas's glyphs are distance fields made from FreeType's coverage
 * (mh_sdf_from_coverage): "H" at 48 px sits 6 texels (the spread) inside
 * its rectangle, whose border is far outside (near 0), its stems are
 * crossed four times on a row above the bar, their middles inside by over
 * a texel (155: 128 + 1.3 texels of 21), and its quad is as many texels
 * as its rectangle. */
static void test_glyph_field(void)
{
    const mh_glyph *gl = mh_glyphs_get(g_glyphs, 'H');
    int size, y0, y1;
    const uint8_t *px = mh_glyphs_pixels(g_glyphs, &size, &y0, &y1);
    int x = (int)(gl->u0 * (float)size + 0.5f), y = (int)(gl->v0 * (float)size + 0.5f);
    int w = (int)((gl->u1 - gl->u0) * (float)size + 0.5f), h = (int)((gl->v1 - gl->v0) * (float)size + 0.5f);
    CHECK(w > 12 && h > 12 && fabsf((gl->x1 - gl->x0) * 48.0f - (float)w) < 0.01f &&
          fabsf((gl->y1 - gl->y0) * 48.0f - (float)h) < 0.01f);
    int border_max = 0;
    for (int i = 0; i < w; i++)
        for (int k = 0; k < 2; k++) {
            int a = px[(size_t)(y + k * (h - 1)) * (size_t)size + (size_t)(x + i)];
            border_max = a > border_max ? a : border_max;
        }
    for (int j = 0; j < h; j++)
        for (int k = 0; k < 2; k++) {
            int a = px[(size_t)(y + j) * (size_t)size + (size_t)(x + k * (w - 1))];
            border_max = a > border_max ? a : border_max;
        }
    CHECK(border_max <= 24); /* 6 texels from the outline, less its anti-aliased pixel */
    const uint8_t *row = px + (size_t)(y + 6 + (h - 12) / 4) * (size_t)size + (size_t)x;
    int crossings = 0, first = -1, peak = 0;
    for (int i = 1; i < w; i++) {
        if ((row[i - 1] < 128) != (row[i] < 128)) {
            crossings++;
            first = first < 0 ? i : first;
        }
        peak = row[i] > peak ? row[i] : peak;
    }
    CHECK(crossings == 4);
    CHECK(first >= 6 && first <= 10); /* the stem's outline: the spread, then the side bearing's pixel or two */
    CHECK(peak >= 155);
}

/* A key figure on a booth's wall (mh_fact_format_figure): the value as the
 * panel writes it, else the text, else the date (dotted in Chinese). */
static void test_wall_figures(void)
{
    char out[96];
    mh_fact amount = {.has_value = true, .value = 525.8, .unit_zh = "亿元", .unit_en = "yuan"};
    mh_fact_format_figure(&amount, MH_LANG_ZH, out, sizeof out);
    CHECK(!strcmp(out, "525.8亿元"));
    mh_fact_format_figure(&amount, MH_LANG_EN, out, sizeof out);
    CHECK(!strcmp(out, "52.58\xC2\xA0"
                       "billion\xC2\xA0"
                       "yuan")); /* no-break spaces: the amount stays whole */
    mh_fact text = {.text_zh = "第四个", .text_en = "4th", .date = "2022-01-23"};
    mh_fact_format_figure(&text, MH_LANG_ZH, out, sizeof out);
    CHECK(!strcmp(out, "第四个")); /* a text goes before the date */
    mh_fact_format_figure(&text, MH_LANG_EN, out, sizeof out);
    CHECK(!strcmp(out, "4th"));
    static const char *const dates[][3] = {{"2022-01-23", "2022.1.23", "23 Jan 2022"},
                                           {"2022-05", "2022.5", "May 2022"},
                                           {"2021", "2021", "2021"}};
    for (size_t i = 0; i < sizeof dates / sizeof *dates; i++) {
        mh_fact dated = {.date = dates[i][0]};
        mh_fact_format_figure(&dated, MH_LANG_ZH, out, sizeof out);
        CHECK(!strcmp(out, dates[i][1]));
        mh_fact_format_figure(&dated, MH_LANG_EN, out, sizeof out);
        CHECK(!strcmp(out, dates[i][2]));
    }
    mh_fact none = {0};
    strcpy(out, "x");
    mh_fact_format_figure(&none, MH_LANG_ZH, out, sizeof out);
    CHECK(out[0] == 0);
}

int main(void)
{
    g_arena.block_size = 256u * 1024u;
    mh_error err;
    if (!mh_hall_load(MH_SOURCE_ASSETS "/halls/default", &g_arena, &g_hall, &err)) {
        fprintf(stderr, "hall: %s\n", err.message);
        return 1;
    }
    mh_glyphs_desc gd = {.font_paths = g_hall.fonts, .font_count = g_hall.font_count};
    if (!(g_glyphs = mh_glyphs_create(&gd, &err))) {
        fprintf(stderr, "glyphs: %s\n", err.message);
        return 1;
    }
    test_every_page();
    test_aspect_ratios();
    test_map_folds_on_a_small_screen();
    test_paging();
    test_opaque_card();
    test_glyph_field();
    test_wall_figures();
    mh_glyphs_destroy(&g_glyphs);
    mh_arena_free(&g_arena);
    return mh_test_done("test_panel");
}
