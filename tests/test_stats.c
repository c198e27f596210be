/* test_stats.c - visitor statistics (counting events into this hour and
 * today, the hourly JSON line, rotation, today read back after a restart,
 * a new day) and the state file (written atomically and read back; corrupt
 * or wrong files refused with a reason; the writer thread; where it lives).
 * The clock is injected: hours are built in UTC with TZ=UTC. */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mh_test.h"
#include "service/mh_state.h"
#include "service/mh_stats.h"

static time_t at(int day, int hour, int minute)
{
    struct tm tm = {.tm_year = 2026 - 1900, .tm_mon = 2, .tm_mday = day, .tm_hour = hour, .tm_min = minute};
    return timegm(&tm);
}

static mh_visit_event ev(mh_visit_event_kind kind, const char *exhibit, const char *lang, float seconds)
{
    mh_visit_event e = {.kind = kind, .seconds = seconds};
    snprintf(e.exhibit, sizeof e.exhibit, "%s", exhibit);
    snprintf(e.language, sizeof e.language, "%s", lang);
    return e;
}

static double num(const cJSON *o, const char *path)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    const cJSON *cur = o;
    for (char *save = NULL, *k = strtok_r(buf, "/", &save); k && cur; k = strtok_r(NULL, "/", &save))
        cur = cJSON_GetObjectItemCaseSensitive(cur, k);
    return cJSON_IsNumber(cur) ? cur->valuedouble : -1;
}

static cJSON *stats_json(mh_stats *s, const char *period, time_t now)
{
    char *text = mh_stats_json(s, period, now);
    cJSON *o = text ? cJSON_Parse(text) : NULL;
    free(text);
    return o;
}

static int count_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    int n = 0, ch;
    while (f && (ch = fgetc(f)) != EOF)
        n += ch == '\n';
    if (f)
        fclose(f);
    return n;
}

static void visit(mh_stats *s, time_t t)
{
    mh_visit_event seq[] = {
        ev(MH_VISIT_WOKE, "", "zh", 0),          ev(MH_VISIT_ARRIVED, "qiantang", "zh", 0),
        ev(MH_VISIT_PANEL, "qiantang", "zh", 0), ev(MH_VISIT_PAGE, "qiantang", "zh", 0),
        ev(MH_VISIT_PAGE, "qiantang", "en", 0),  ev(MH_VISIT_LEFT, "qiantang", "en", 42.5f),
        ev(MH_VISIT_ARRIVED, "xiamen", "en", 0), ev(MH_VISIT_LEFT, "xiamen", "en", 7.0f),
        ev(MH_VISIT_TOUR_STARTED, "", "en", 0),  ev(MH_VISIT_ARRIVED, "stage", "en", 0),
        ev(MH_VISIT_TOUR_FINISHED, "", "en", 0),
    };
    for (size_t i = 0; i < sizeof seq / sizeof *seq; i++)
        mh_stats_event(s, &seq[i], t);
}

static void test_counts(const char *dir)
{
    char path[300];
    snprintf(path, sizeof path, "%s/stats.jsonl", dir);
    mh_stats *s = mh_stats_create(&(mh_stats_desc){.dir = dir, .kiosk = "k1", .hall = "default"}, at(2, 10, 5));
    CHECK(s != NULL);
    uint32_t serial = mh_stats_serial(s);
    visit(s, at(2, 10, 10));
    CHECK(mh_stats_serial(s) != serial);
    cJSON *o = stats_json(s, "hour", at(2, 10, 20));
    CHECK(!strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "start")), "2026-03-02T10"));
    CHECK(num(o, "visits") == 3 && num(o, "panels") == 1 && num(o, "pages") == 2 && num(o, "dwell_s") == 49.5);
    CHECK(num(o, "tour_starts") == 1 && num(o, "tour_completions") == 1 && num(o, "wakeups") == 1);
    CHECK(num(o, "booths/qiantang/visits") == 1 && num(o, "booths/qiantang/zh") == 1 &&
          num(o, "booths/qiantang/en") == 0);
    CHECK(num(o, "booths/qiantang/dwell_s") == 42.5 && num(o, "booths/qiantang/pages") == 2);
    CHECK(num(o, "booths/xiamen/en") == 1 && num(o, "booths/stage/visits") == 1);
    cJSON_Delete(o);
    CHECK(mh_stats_json(s, "week", at(2, 10, 20)) == NULL);
    CHECK(count_lines(path) == 0); /* nothing written within the hour */

    /* the hour turns: its line is written, this hour starts empty, today keeps all */
    visit(s, at(2, 11, 1));
    CHECK(count_lines(path) == 1);
    o = stats_json(s, "hour", at(2, 11, 2));
    CHECK(num(o, "visits") == 3);
    cJSON_Delete(o);
    o = stats_json(s, "today", at(2, 11, 2));
    CHECK(num(o, "visits") == 6 && num(o, "booths/qiantang/dwell_s") == 85);
    CHECK(!strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "start")), "2026-03-02"));
    cJSON_Delete(o);
    mh_stats_destroy(&s, at(2, 11, 30)); /* writes the partial hour */
    CHECK(s == NULL && count_lines(path) == 2);

    /* a restart the same day reads today back (another kiosk's lines are not its own) */
    FILE *f = fopen(path, "a");
    fputs("{\"kiosk\":\"k2\",\"start\":\"2026-03-02T09\",\"visits\":5,\"booths\":{\"wuxi\":{\"visits\":5}}}\n", f);
    fputs("not json at all\n", f);
    fclose(f);
    s = mh_stats_create(&(mh_stats_desc){.dir = dir, .kiosk = "k1", .hall = "default"}, at(2, 12, 0));
    o = stats_json(s, "today", at(2, 12, 0));
    CHECK(num(o, "visits") == 6 && num(o, "booths/qiantang/visits") == 2 && num(o, "booths/wuxi/visits") == -1);
    CHECK(num(o, "tour_starts") == 2 && num(o, "wakeups") == 2);
    cJSON_Delete(o);
    /* a new day starts at zero */
    o = stats_json(s, "today", at(3, 0, 1));
    CHECK(num(o, "visits") == 0);
    cJSON_Delete(o);
    mh_stats_destroy(&s, at(3, 0, 2));
    unlink(path);
}

static void test_rotation(const char *dir)
{
    char path[300], old[310];
    snprintf(path, sizeof path, "%s/stats.jsonl", dir);
    snprintf(old, sizeof old, "%s.1", path);
    mh_stats *s = mh_stats_create(&(mh_stats_desc){.dir = dir, .kiosk = "k1", .max_bytes = 600}, at(5, 0, 0));
    for (int h = 0; h < 12; h++)
        visit(s, at(5, h, 10));
    mh_stats_destroy(&s, at(5, 12, 0));
    struct stat st;
    CHECK(stat(old, &st) == 0);
    CHECK(stat(path, &st) == 0 && st.st_size < 600 + 1200); /* it was rotated before growing further */
    unlink(path);
    unlink(old);
}

static void test_state(const char *dir)
{
    char path[300], text[1200];
    snprintf(path, sizeof path, "%s/state.json", dir);
    mh_operator_settings s = {.exhibit = "qiantang", .language = "en", .volume = 70}, back;
    mh_error err = {0};
    CHECK(mh_state_save(path, &s, &err));
    CHECK(mh_state_load(path, &back, &err));
    CHECK(!strcmp(back.exhibit, "qiantang") && !strcmp(back.language, "en") && back.volume == 70);
    char tmp[320];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    CHECK(access(tmp, F_OK) != 0); /* nothing half-written left beside it */

    /* missing: false, no message; broken: false, a reason naming the file */
    unlink(path);
    memset(&err, 0, sizeof err);
    CHECK(!mh_state_load(path, &back, &err) && err.message[0] == '\0' && back.volume == -1);
    struct {
        const char *text, *why;
    } bad[] = {
        {"{\"version\":1,\"exhibit\":\"qiantang\",\"lang", "not a JSON object"},
        {"\x89PNG garbage", "not a JSON object"},
        {"{\"version\":2,\"exhibit\":\"qiantang\"}", "unknown \"version\""},
        {"{\"version\":1,\"exhibit\":7}", "\"exhibit\" is not a string"},
        {"{\"version\":1,\"exhibit\":\"../etc\"}", "\"exhibit\" is not an exhibit id"},
        {"{\"version\":1,\"language\":\"fr\"}", "\"language\" is not zh or en"},
        {"{\"version\":1,\"volume\":400}", "\"volume\" is not 0 to 100"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        FILE *f = fopen(path, "w");
        fputs(bad[i].text, f);
        fclose(f);
        memset(&err, 0, sizeof err);
        CHECK(!mh_state_load(path, &back, &err));
        CHECK_STR_CONTAINS(mh_error_text(&err, text, sizeof text), bad[i].why);
        CHECK_STR_CONTAINS(err.file, "state.json");
        CHECK(back.exhibit[0] == '\0' && back.volume == -1);
    }

    /* the writer thread: the latest settings are on disk after close */
    mh_state_writer *w = mh_state_writer_open(path);
    CHECK(w != NULL);
    for (int v = 0; v <= 50; v++) {
        mh_operator_settings t = {.exhibit = "xiamen", .volume = v};
        mh_state_writer_put(w, &t);
    }
    mh_state_writer_close(&w);
    CHECK(w == NULL);
    CHECK(mh_state_load(path, &back, &err) && !strcmp(back.exhibit, "xiamen") && back.volume == 50 &&
          !back.language[0]);
    unlink(path);

    /* where it lives: the option, systemd's StateDirectory, XDG, home */
    char buf[600];
    setenv("STATE_DIRECTORY", "/var/lib/metahall:/var/lib/other", 1);
    CHECK(!strcmp(mh_state_dir("/opt/x", buf, sizeof buf), "/opt/x"));
    CHECK(!strcmp(mh_state_dir(NULL, buf, sizeof buf), "/var/lib/metahall"));
    unsetenv("STATE_DIRECTORY");
    setenv("XDG_STATE_HOME", "/home/k/.state", 1);
    CHECK(!strcmp(mh_state_dir(NULL, buf, sizeof buf), "/home/k/.state/metahall"));
    unsetenv("XDG_STATE_HOME");
    setenv("HOME", "/home/k", 1);
    CHECK(!strcmp(mh_state_dir(NULL, buf, sizeof buf), "/home/k/.local/state/metahall"));
}

int main(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
    char dir[] = "/tmp/mh_test_stats_XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    test_counts(dir);
    test_rotation(dir);
    test_state(dir);
    rmdir(dir);
    return mh_test_done("test_stats");
}
