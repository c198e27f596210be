/* mh_facts.c - the content part of an exhibit manifest: facts with values,
 * units, dates and sources; bar charts over facts of one unit; narration;
 * images. Every check names the JSON pointer of what is wrong. */
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
    const char **strs[8] = {&f->label_zh, &f->label_en, &f->unit_zh, &f->unit_en, &f->text_zh, &f->text_en, &f->date,
                            &f->source};
    static const char *const keys[8] = {"label_zh", "label_en", "unit_zh", "unit_en", "text_zh", "text_en", "date", "source"};
    if (!mh_json_object(r, j, p) || !mh_json_str(r, j, p, "id", &id))
        return false;
    for (int i = 0; i < 8; i++)
        if (!mh_json_text(r, j, p, keys[i], i < 2 || i == 7, MH_TEXT_MAX_LINE, strs[i]))
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
    if (f->date && !date_ok(f->date))
        return fail(r, p, "date", "expected a date as YYYY, YYYY-MM or YYYY-MM-DD");
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(sources, f->source);
    if (!cJSON_IsString(src))
        return fail(r, p, "source", "the source is not listed under /sources");
    if (!mh_json_text_fits(r, "/sources", f->source, src->valuestring, MH_TEXT_MAX_LINE))
        return false;
    f->id = keep(a, id);
    for (int i = 0; i < 8; i++)
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
        !mh_json_text(r, j, p, "title_en", true, MH_TEXT_MAX_LINE, &c->title_en) || !mh_json_array_opt(r, j, p, "facts", &ids))
        return false;
    if (strcmp(type, "bar"))
        return fail(r, p, "type", "only \"bar\" charts are supported");
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
        if (c->fact_count > 0 && (!f->unit_zh != !first->unit_zh || (f->unit_zh && strcmp(f->unit_zh, first->unit_zh))))
            return fail(r, ep, NULL, "its unit differs from the unit of the chart's first fact; one chart, one unit");
        c->facts[c->fact_count++] = k;
    }
    c->title_zh = keep(a, c->title_zh);
    c->title_en = keep(a, c->title_en);
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
        return mh_fail(r->err, r->file, nf > MAX_FACTS ? "/facts" : nc > MAX_CHARTS ? "/charts" : "/images",
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
        char p[64], full[1200];
        mh_json_ptr_index(p, sizeof p, "/images", i);
        size_t n = cJSON_IsString(e) ? strlen(e->valuestring) : 0;
        if (n < 5 || strcmp(e->valuestring + n - 4, ".png"))
            return fail(r, p, NULL, "expected the path of a .png file");
        if (!mh_fs_join_inside(dir, e->valuestring, full, sizeof full))
            return fail(r, p, NULL, "the path must stay inside the exhibit's folder");
        x->images[x->image_count++] = keep(a, full);
    }
    x->narration_zh = keep(a, x->narration_zh);
    x->narration_en = keep(a, x->narration_en);
    return true;
}
