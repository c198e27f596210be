/* mh_facts.c - the content part of an exhibit manifest: facts with values,
 * units, dates and sources; bar and line charts over facts of one unit;
 * narration text and audio; images, videos and the take-away URL; and a
 * hall's music and video screens. Every check names the JSON pointer of
 * what is wrong. */
#include "mh_facts.h"

#include "mh_budget.h"

#include <stdio.h>
#include <string.h>

#include "../core/mh_fs.h"
#include "mh_json.h"

#define MAX_FACTS 64
#define MAX_CHARTS 8

bool mh_exhibit_id_valid(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n >= MH_EXHIBIT_ID_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return false;
    }
    return true;
}

static bool fail(mh_json_reader *r, const char *ptr, const char *key, const char *msg)
{
    char where[200];
    if (key)
        mh_json_ptr_key(where, sizeof where, ptr, key);
    else
        snprintf(where, sizeof where, "%s", ptr);
    return mh_fail(r->err, r->file, where, "%s", msg);
}

/* "YYYY", "YYYY-MM" or "YYYY-MM-DD" with a real month and day. */
static bool date_ok(const char *d)
{
    int y, m = 1, day = 1;
    char tail;
    size_t n = strlen(d);
    if (n == 4)
        return sscanf(d, "%4d%c", &y, &tail) == 1 && y >= 1900 && y <= 2100;
    if (n == 7)
        return sscanf(d, "%4d-%2d%c", &y, &m, &tail) == 2 && y >= 1900 && y <= 2100 && m >= 1 && m <= 12;
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return n == 10 && sscanf(d, "%4d-%2d-%2d%c", &y, &m, &day, &tail) == 3 && y >= 1900 && y <= 2100 && m >= 1 &&
           m <= 12 && day >= 1 && day <= days[m - 1];
}

static const char *keep(mh_arena *a, const char *s) { return s ? mh_arena_strdup(a, s) : NULL; }

static bool read_fact(mh_json_reader *r, const cJSON *j, const char *p, const cJSON *sources, mh_arena *a, mh_fact *f)
{
    const char *id = NULL, *bound = NULL;
    const char **strs[12] = {&f->label_zh, &f->label_en, &f->unit_zh,  &f->unit_en,  &f->text_zh, &f->text_en,
                             &f->date,     &f->source,   &f->short_zh, &f->short_en, &f->wall_zh, &f->wall_en};
    static const char *const keys[12] = {"label_zh", "label_en", "unit_zh",  "unit_en",  "text_zh", "text_en",
                                         "date",     "source",   "short_zh", "short_en", "wall_zh", "wall_en"};
    if (!mh_json_object(r, j, p) || !mh_json_str(r, j, p, "id", &id))
        return false;
    for (int i = 0; i < 12; i++)
        if (!mh_json_text(r, j, p, keys[i], i < 2 || i == 7, i < 8 ? MH_TEXT_MAX_LINE : MH_TEXT_MAX_NAME, strs[i]))
            return false;
    if (!mh_exhibit_id_valid(id))
        return fail(r, p, "id", "a fact id is 1-31 characters of a-z, 0-9, _ and -");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "value");
    if (v && (!cJSON_IsNumber(v) || !isfinite(v->valuedouble)))
        return fail(r, p, "value", "expected a number");
    f->has_value = v != NULL;
    f->value = v ? v->valuedouble : 0;
    if (!mh_json_str_opt(r, j, p, "bound", &bound))
        return false;
    if (bound && strcmp(bound, "at_least") && strcmp(bound, "about"))
        return fail(r, p, "bound", "bound must be \"at_least\" (以上) or \"about\" (左右)");
    f->bound = !bound ? MH_FACT_EXACT : !strcmp(bound, "at_least") ? MH_FACT_AT_LEAST : MH_FACT_ABOUT;
    if (!f->unit_zh != !f->unit_en)
        return fail(r, p, f->unit_zh ? "unit_en" : "unit_zh", "give the unit in both languages (unit_zh and unit_en)");
    if (!f->text_zh != !f->text_en)
        return fail(r, p, f->text_zh ? "text_en" : "text_zh", "give the text in both languages (text_zh and text_en)");
    if ((f->unit_zh || bound) && !f->has_value)
        return fail(r, p, "value", "a unit or bound needs a value");
    if (f->has_value && f->text_zh)
        return fail(r, p, "text_zh", "a fact has a value or a text, not both");
    if (!f->wall_zh != !f->wall_en)
        return fail(r, p, f->wall_zh ? "wall_en" : "wall_zh",
                    "give the wall caption in both languages (wall_zh and wall_en)");
    if (f->wall_zh && !f->has_value && !f->text_zh && !f->date)
        return fail(r, p, "wall_zh", "a key figure on the wall needs a value, a text or a date to show");
    if (f->date && !date_ok(f->date))
        return fail(r, p, "date", "expected a date as YYYY, YYYY-MM or YYYY-MM-DD");
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(sources, f->source);
    if (!cJSON_IsString(src))
        return fail(r, p, "source", "the source is not listed under /sources");
    if (!mh_json_text_fits(r, "/sources", f->source, src->valuestring, MH_TEXT_MAX_LINE))
        return false;
    f->id = keep(a, id);
    for (int i = 0; i < 12; i++)
        *strs[i] = keep(a, *strs[i]);
    f->source_title = keep(a, src->valuestring);
    return true;
}

static int find_fact(const mh_exhibit_facts *x, const char *id)
{
    for (int i = 0; i < x->fact_count; i++)
        if (!strcmp(x->facts[i].id, id))
            return i;
    return -1;
}

static bool read_chart(mh_json_reader *r, const cJSON *j, const char *p, mh_arena *a, mh_exhibit_facts *x, mh_chart *c)
{
    const char *type = NULL;
    const cJSON *ids;
    if (!mh_json_object(r, j, p) || !mh_json_str(r, j, p, "type", &type) ||
        !mh_json_text(r, j, p, "title_zh", true, MH_TEXT_MAX_LINE, &c->title_zh) ||
        !mh_json_text(r, j, p, "title_en", true, MH_TEXT_MAX_LINE, &c->title_en) ||
        !mh_json_array_opt(r, j, p, "facts", &ids))
        return false;
    if (strcmp(type, "bar") && strcmp(type, "line"))
        return fail(r, p, "type", "a chart is \"bar\" or \"line\"");
    c->type = strcmp(type, "line") ? MH_CHART_BAR : MH_CHART_LINE;
    int n = ids ? cJSON_GetArraySize(ids) : 0;
    if (n < 2 || n > MH_CHART_MAX_BARS)
        return mh_fail(r->err, r->file, p, "a chart needs 2 to %d facts in \"facts\"", MH_CHART_MAX_BARS);
    char fp[160];
    mh_json_ptr_key(fp, sizeof fp, p, "facts");
    for (const cJSON *e = ids->child; e; e = e->next) {
        char ep[176];
        mh_json_ptr_index(ep, sizeof ep, fp, c->fact_count);
        int k = cJSON_IsString(e) ? find_fact(x, e->valuestring) : -1;
        if (k < 0)
            return fail(r, ep, NULL, "no fact with this id");
        const mh_fact *f = &x->facts[k], *first = &x->facts[c->facts[0]];
        if (!f->has_value)
            return fail(r, ep, NULL, "a chart can only show facts with a value");
        if (c->type == MH_CHART_LINE && !f->date)
            return fail(r, ep, NULL, "a line chart runs over dates: every fact it shows needs a \"date\"");
        if (c->fact_count > 0 && (!f->unit_zh != !first->unit_zh || (f->unit_zh && strcmp(f->unit_zh, first->unit_zh))))
            return fail(r, ep, NULL, "its unit differs from the unit of the chart's first fact; one chart, one unit");
        c->facts[c->fact_count++] = k;
    }
    c->title_zh = keep(a, c->title_zh);
    c->title_en = keep(a, c->title_en);
    return true;
}

static bool ends_with_any(const char *s, const char *const *tails, int n)
{
    size_t len = strlen(s);
    for (int i = 0; i < n; i++) {
        size_t k = strlen(tails[i]);
        if (len > k && !strcmp(s + len - k, tails[i]))
            return true;
    }
    return false;
}

/* A file inside dir with one of the extensions; *out its full path (NULL when absent). */
static bool media_path(mh_json_reader *r, const cJSON *j, const char *p, const char *key, const char *dir,
                       const char *const *exts, int n, const char *what, mh_arena *a, const char **out)
{
    const char *rel = NULL;
    if (!mh_json_str_opt(r, j, p, key, &rel))
        return false;
    if (!rel)
        return true;
    char where[200], full[1200];
    if (key)
        mh_json_ptr_key(where, sizeof where, p, key);
    else
        snprintf(where, sizeof where, "%s", p);
    if (!ends_with_any(rel, exts, n))
        return mh_fail(r->err, r->file, where, "expected the path of %s", what);
    if (!mh_fs_join_inside(dir, rel, full, sizeof full))
        return mh_fail(r->err, r->file, where, "the path must stay inside the folder");
    *out = keep(a, full);
    return true;
}

static const char *const IMAGE_EXTS[] = {".png", ".jpg", ".jpeg"};
static const char *const VIDEO_EXTS[] = {".mp4", ".webm", ".mkv", ".mov"};
static const char *const AUDIO_EXTS[] = {".ogg", ".opus", ".oga"};

/* "images": a path, or {file, caption_zh, caption_en}. */
static bool read_image(mh_json_reader *r, const cJSON *e, const char *p, const char *dir, mh_arena *a,
                       mh_exhibit_facts *x)
{
    int k = x->image_count;
    const char *path = NULL, *czh = NULL, *cen = NULL;
    if (cJSON_IsString(e)) {
        char full[1200];
        if (!ends_with_any(e->valuestring, IMAGE_EXTS, 3))
            return fail(r, p, NULL, "expected the path of a .png or .jpg file");
        if (!mh_fs_join_inside(dir, e->valuestring, full, sizeof full))
            return fail(r, p, NULL, "the path must stay inside the exhibit's folder");
        path = keep(a, full);
    } else {
        if (!mh_json_object(r, e, p) ||
            !media_path(r, e, p, "file", dir, IMAGE_EXTS, 3, "a .png or .jpg file", a, &path) ||
            !mh_json_text(r, e, p, "caption_zh", false, MH_TEXT_MAX_LINE, &czh) ||
            !mh_json_text(r, e, p, "caption_en", false, MH_TEXT_MAX_LINE, &cen))
            return false;
        if (!path)
            return fail(r, p, "file", "an image needs its \"file\"");
    }
    x->images[k] = path;
    x->image_captions_zh[k] = keep(a, czh);
    x->image_captions_en[k] = keep(a, cen);
    x->image_count = k + 1;
    return true;
}

/* "narration_cues_zh": [0, 2.4, 5.1]: where each sentence starts, in seconds. */
static bool read_cues(mh_json_reader *r, const cJSON *root, const char *key, mh_narration_audio *n)
{
    const cJSON *arr;
    char p[64];
    mh_json_ptr_key(p, sizeof p, "", key);
    if (!mh_json_array_opt(r, root, "", key, &arr))
        return false;
    if (!arr)
        return true;
    if (cJSON_GetArraySize(arr) > MH_NARRATION_MAX_CUES)
        return mh_fail(r->err, r->file, p, "at most %d cues", MH_NARRATION_MAX_CUES);
    float last = 0;
    for (const cJSON *e = arr->child; e; e = e->next) {
        char ep[80];
        mh_json_ptr_index(ep, sizeof ep, p, n->cue_count);
        if (!cJSON_IsNumber(e) || !isfinite(e->valuedouble) || e->valuedouble < last || e->valuedouble > 3600)
            return fail(r, ep, NULL, "expected seconds from the start, in order (0 to 3600)");
        n->cues[n->cue_count++] = last = (float)e->valuedouble;
    }
    return true;
}

static bool read_url(mh_json_reader *r, const cJSON *root, mh_arena *a, mh_exhibit_facts *x)
{
    const char *url = NULL;
    if (!mh_json_text(r, root, "", "url", false, MH_URL_MAX, &url))
        return false;
    if (!url)
        return true;
    bool scheme = !strncmp(url, "https://", 8) || !strncmp(url, "http://", 7);
    for (const char *c = url; *c; c++)
        if ((unsigned char)*c <= ' ' || *c == 0x7f)
            scheme = false;
    if (!scheme || strlen(url) < 10)
        return fail(r, "/url", NULL, "expected an http:// or https:// address without spaces");
    x->url = keep(a, url);
    return true;
}

/* Videos, narration audio and cues, the take-away URL. */
static bool read_media(mh_json_reader *r, const cJSON *root, const char *dir, mh_arena *a, mh_exhibit_facts *x)
{
    const cJSON *videos;
    if (!mh_json_array_opt(r, root, "", "videos", &videos) ||
        !media_path(r, root, "", "narration_audio_zh", dir, AUDIO_EXTS, 3, "an Ogg Opus or Vorbis file (.ogg, .opus)",
                    a, &x->narration_audio_zh.path) ||
        !media_path(r, root, "", "narration_audio_en", dir, AUDIO_EXTS, 3, "an Ogg Opus or Vorbis file (.ogg, .opus)",
                    a, &x->narration_audio_en.path) ||
        !read_cues(r, root, "narration_cues_zh", &x->narration_audio_zh) ||
        !read_cues(r, root, "narration_cues_en", &x->narration_audio_en) || !read_url(r, root, a, x))
        return false;
    if (videos && cJSON_GetArraySize(videos) > MH_EXHIBIT_MAX_VIDEOS)
        return mh_fail(r->err, r->file, "/videos", "at most %d videos", MH_EXHIBIT_MAX_VIDEOS);
    int i = 0;
    for (const cJSON *e = videos ? videos->child : NULL; e; e = e->next, i++) {
        char p[64];
        mh_json_ptr_index(p, sizeof p, "/videos", i);
        mh_exhibit_video *v = &x->videos[i];
        if (!mh_json_object(r, e, p) ||
            !media_path(r, e, p, "file", dir, VIDEO_EXTS, 4, "a video (.mp4, .webm, .mkv, .mov)", a, &v->path) ||
            !mh_json_text(r, e, p, "caption_zh", false, MH_TEXT_MAX_LINE, &v->caption_zh) ||
            !mh_json_text(r, e, p, "caption_en", false, MH_TEXT_MAX_LINE, &v->caption_en))
            return false;
        if (!v->path)
            return fail(r, p, "file", "a video needs its \"file\"");
        v->caption_zh = keep(a, v->caption_zh);
        v->caption_en = keep(a, v->caption_en);
        x->video_count = i + 1;
    }
    return true;
}

bool mh_hall_media_read(mh_json_reader *r, const cJSON *root, const char *dir, mh_arena *a, mh_hall_media *m)
{
    const cJSON *screens;
    m->music_volume = 0.35f;
    if (!media_path(r, root, "", "music", dir, AUDIO_EXTS, 3, "an Ogg Opus or Vorbis file (.ogg, .opus)", a,
                    &m->music) ||
        !mh_json_num_opt(r, root, "", "music_volume", &m->music_volume) ||
        !mh_json_array_opt(r, root, "", "screens", &screens))
        return false;
    if (!(m->music_volume >= 0 && m->music_volume <= 1))
        return fail(r, "/music_volume", NULL, "expected a volume from 0 to 1");
    if (screens && cJSON_GetArraySize(screens) > MH_HALL_MAX_SCREENS)
        return mh_fail(r->err, r->file, "/screens", "at most %d screens", MH_HALL_MAX_SCREENS);
    int i = 0;
    for (const cJSON *e = screens ? screens->child : NULL; e; e = e->next, i++) {
        char p[64];
        mh_json_ptr_index(p, sizeof p, "/screens", i);
        mh_hall_screen *s = &m->screens[i];
        mh_vec3 pos;
        mh_vec2 size;
        if (!mh_json_object(r, e, p) ||
            !media_path(r, e, p, "video", dir, VIDEO_EXTS, 4, "a video (.mp4, .webm, .mkv, .mov)", a, &s->video) ||
            !mh_json_vec3(r, e, p, "position", true, &pos) || !mh_json_vec2(r, e, p, "size", true, &size) ||
            !mh_json_num_opt(r, e, p, "yaw_deg", &s->yaw_deg))
            return false;
        if (!s->video)
            return fail(r, p, "video", "a screen needs its \"video\"");
        if (!(size.x > 0 && size.y > 0 && size.x <= 100 && size.y <= 100))
            return fail(r, p, "size", "a screen is more than 0 and at most 100 metres on each side");
        s->pos[0] = pos.x, s->pos[1] = pos.y, s->pos[2] = pos.z;
        s->size[0] = size.x, s->size[1] = size.y;
        m->screen_count = i + 1;
    }
    return true;
}

bool mh_facts_read(mh_json_reader *r, const cJSON *root, const char *dir, mh_arena *a, mh_exhibit_facts *x)
{
    const cJSON *facts, *charts, *images;
    const cJSON *sources = cJSON_GetObjectItemCaseSensitive(root, "sources");
    if (sources && !mh_json_object(r, sources, "/sources"))
        return false;
    if (!mh_json_array_opt(r, root, "", "facts", &facts) || !mh_json_array_opt(r, root, "", "charts", &charts) ||
        !mh_json_array_opt(r, root, "", "images", &images) ||
        !mh_json_str_opt(r, root, "", "narration_zh", &x->narration_zh) ||
        !mh_json_str_opt(r, root, "", "narration_en", &x->narration_en))
        return false;
    int nf = facts ? cJSON_GetArraySize(facts) : 0, nc = charts ? cJSON_GetArraySize(charts) : 0;
    int ni = images ? cJSON_GetArraySize(images) : 0;
    if (nf > MAX_FACTS || nc > MAX_CHARTS || ni > MH_EXHIBIT_MAX_IMAGES)
        return mh_fail(r->err, r->file,
                       nf > MAX_FACTS    ? "/facts"
                       : nc > MAX_CHARTS ? "/charts"
                                         : "/images",
                       "too many entries (at most %d facts, %d charts, %d images)", MAX_FACTS, MAX_CHARTS,
                       MH_EXHIBIT_MAX_IMAGES);
    x->facts = MH_ARENA_NEW(a, mh_fact, nf ? nf : 1);
    x->charts = MH_ARENA_NEW(a, mh_chart, nc ? nc : 1);
    int i = 0;
    for (const cJSON *e = facts ? facts->child : NULL; e; e = e->next, i++) {
        char p[64];
        mh_json_ptr_index(p, sizeof p, "/facts", i);
        if (!read_fact(r, e, p, sources, a, &x->facts[i]))
            return false;
        if (find_fact(x, x->facts[i].id) >= 0)
            return fail(r, p, "id", "another fact already has this id");
        x->fact_count = i + 1;
    }
    i = 0;
    for (const cJSON *e = charts ? charts->child : NULL; e; e = e->next, i++) {
        char p[64];
        mh_json_ptr_index(p, sizeof p, "/charts", i);
        if (!read_chart(r, e, p, a, x, &x->charts[i]))
            return false;
        x->chart_count = i + 1;
    }
    i = 0;
    for (const cJSON *e = images ? images->child : NULL; e; e = e->next, i++) {
        char p[64];
        mh_json_ptr_index(p, sizeof p, "/images", i);
        if (!read_image(r, e, p, dir, a, x))
            return false;
    }
    if (!read_media(r, root, dir, a, x))
        return false;
    x->narration_zh = keep(a, x->narration_zh);
    x->narration_en = keep(a, x->narration_en);
    return true;
}
