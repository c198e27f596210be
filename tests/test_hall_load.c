/* test_hall_load.c - the default hall and exhibits load with the values they
 * hold; broken manifests fail with the file, location and a clear sentence;
 * a broken exhibit leaves a placeholder booth while the hall still loads. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fcntl.h>
#include <time.h>

#include "asset/mh_hall_load.h"
#include "asset/mh_json.h"
#include "core/mh_fs.h"
#include "mh_test.h"
#include "scene/mh_mesh.h"

static char tmp_root[256];

static void write_file(const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmp_root, rel);
    for (char *p = path + strlen(tmp_root) + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0755);
            *p = '/';
        }
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static void test_default_hall(void)
{
    mh_arena a = {0};
    mh_hall_desc h;
    mh_error err = {0};
    bool ok = mh_hall_load(MH_SOURCE_ASSETS "/halls/default", &a, &h, &err);
    if (!ok)
        fprintf(stderr, "%s: %s: %s\n", err.file, err.where, err.message);
    CHECK(ok);
    CHECK(h.booth_count == 13);
    static const char *const ids[] = {"tongzhou", "qiantang", "huangpu", "xuhui",    "shanghai", "wuhan", "hefei",
                                      "chengdu",  "wuxi",     "guizhou", "shandong", "xiamen",   "suzhou"};
    for (int i = 0; i < 13; i++) {
        int b = mh_hall_find_booth(&h, ids[i]);
        CHECK(b >= 0);
        if (b < 0)
            continue;
        const mh_exhibit_desc *x = &h.booths[b].exhibit;
        CHECK(x->loaded);
        CHECK(x->model && mh_fs_is_file(x->model)); /* a generated landmark.glb */
        CHECK(x->name_zh && strlen(x->name_zh) > 3);
        CHECK(x->landmark_zh && strlen(x->landmark_zh) >= 6); /* what each model depicts (issue 18) */
        CHECK(x->landmark_en && strlen(x->landmark_en) >= 6);
    }
    int w = mh_hall_find_booth(&h, "wuhan");
    CHECK(w >= 0 && strcmp(h.booths[w].exhibit.landmark_zh, "黄鹤楼") == 0);
    CHECK(w >= 0 && strcmp(h.booths[w].exhibit.landmark_en, "The Yellow Crane Tower") == 0);
    int q = mh_hall_find_booth(&h, "qiantang");
    CHECK(q >= 0 && strcmp(h.booths[q].exhibit.name_zh, "杭州钱塘区 元宇宙新天地") == 0);
    CHECK_STR_CONTAINS(h.name_zh, "元宇宙体验展示中心");
    /* facts carried over from parks.json, each with its source */
    const mh_exhibit_desc *qt = &h.booths[q].exhibit;
    CHECK(qt->fact_count == 9);
    CHECK(qt->fact_count > 2 && !strcmp(qt->facts[2].id, "revenue") && qt->facts[2].has_value);
    CHECK_NEAR(qt->facts[2].value, 525.8, 1e-9);
    CHECK(qt->fact_count > 2 && !strcmp(qt->facts[2].unit_zh, "亿元") && !strcmp(qt->facts[2].source, "S3"));
    CHECK_STR_CONTAINS(qt->facts[2].source_title, "Guangxi Information Center");
    CHECK(qt->facts[2].wall_zh && !strcmp(qt->facts[2].wall_zh, "企业年营收")); /* a key figure on its wall */
    CHECK(qt->facts[2].wall_en && !strcmp(qt->facts[2].wall_en, "yearly revenue"));
    CHECK(qt->facts[0].wall_zh == NULL && qt->facts[0].wall_en == NULL);
    int wx = mh_hall_find_booth(&h, "wuxi"); /* dated key figures: no value on the wall's facts */
    const mh_exhibit_desc *wux = wx >= 0 ? &h.booths[wx].exhibit : NULL;
    CHECK(wux && wux->fact_count == 3 && !wux->facts[0].has_value && !strcmp(wux->facts[0].date, "2022-01-01"));
    CHECK(wux && wux->facts[0].wall_zh && !strcmp(wux->facts[0].wall_zh, "发布元宇宙规划"));
    CHECK(wux && wux->facts[2].wall_en && !strcmp(wux->facts[2].wall_en, "Alliance in Binhu"));
    CHECK(qt->chart_count == 1 && qt->charts[0].fact_count == 3);
    CHECK(qt->url && !strncmp(qt->url, "https://", 8));
    CHECK(qt->narration_zh && qt->narration_en);
    int sh = mh_hall_find_booth(&h, "shanghai");
    CHECK(sh >= 0 && h.booths[sh].exhibit.chart_count == 2);
    for (int i = 0; i < h.booth_count; i++)
        for (int k = 0; k < h.booths[i].exhibit.fact_count; k++)
            CHECK(h.booths[i].exhibit.facts[k].source_title != NULL);
    CHECK(h.featured && strcmp(h.featured, "shanghai") == 0);
    CHECK(h.texture_count == 2 && mh_fs_is_file(h.textures[0]));
    CHECK(h.font_count >= 1);
    CHECK(h.shape_count > 10);
    CHECK(h.tour_count == 15 && !strcmp(h.tour[0], "entrance") && !strcmp(h.tour[1], "stage"));
    /* booths stand in four zones, each booth apart from its neighbours */
    CHECK(h.zone_count == 4);
    int zoned = 0;
    for (int z = 0; z < h.zone_count; z++) {
        const mh_zone_desc *zd = &h.zones[z];
        CHECK(zd->name_zh && zd->name_en && zd->booth_count >= 2);
        for (int k = 0; k < zd->booth_count; k++) {
            CHECK(h.booths[zd->first_booth + k].zone == z);
            if (k > 0)
                CHECK(mh_hall_booth_gap(&h, zd->first_booth + k - 1, zd->first_booth + k) >= MH_ZONE_MIN_GAP);
        }
        zoned += zd->booth_count;
    }
    CHECK(zoned == 13);
    /* booth types as data: two templates, both in use, each with its accent */
    CHECK(h.template_count == 2 && mh_booth_template_find(h.templates, h.template_count, "standard") >= 0 &&
          mh_booth_template_find(h.templates, h.template_count, "island") >= 0);
    int used[2] = {0, 0};
    for (int i = 0; i < h.booth_count; i++)
        if (h.booths[i].template_index >= 0 && h.booths[i].template_index < 2)
            used[h.booths[i].template_index]++;
    CHECK(used[0] > 0 && used[1] > 0 && used[0] + used[1] == 13);
    /* aisles: booths of different zones stand at least 3 m apart */
    int narrow = 0;
    for (int i = 0; i < h.booth_count; i++)
        for (int k = i + 1; k < h.booth_count; k++)
            narrow += h.booths[i].zone != h.booths[k].zone && mh_hall_booth_gap(&h, i, k) < 3.0f;
    CHECK(narrow == 0);
    CHECK(mh_hall_find_booth(&h, "nowhere") == -1);
    mh_arena_free(&a);
}

static const char *HALL_HEAD = "{\"format\":\"metahall-hall/1\",\"name_zh\":\"测试\",\"name_en\":\"Test\","
                               "\"entrance\":{\"position\":[0,5]},";

static bool load_tmp_hall(const char *hall_json, mh_hall_desc *h, mh_arena *a, mh_error *err)
{
    write_file("hall/hall.json", hall_json);
    char dir[512];
    snprintf(dir, sizeof dir, "%s/hall", tmp_root);
    memset(err, 0, sizeof *err);
    return mh_hall_load(dir, a, h, err);
}

static void test_errors(void)
{
    mh_arena a = {0};
    mh_hall_desc h;
    mh_error e;
    char text[2048];
    /* syntax error: reported with line and column */
    CHECK(!load_tmp_hall("{\n  \"format\": \"metahall-hall/1\",\n  \"name_zh\": oops\n}", &h, &a, &e));
    CHECK_STR_CONTAINS(e.file, "hall.json");
    CHECK_STR_CONTAINS(e.where, "line 3, column 14");
    CHECK_STR_CONTAINS(e.message, "invalid JSON");
    /* truncated file */
    CHECK(!load_tmp_hall("{\"format\": \"metahall-hall/1\", \"booths\": [", &h, &a, &e));
    CHECK_STR_CONTAINS(e.message, "ends before");
    /* wrong type: reported by JSON pointer */
    snprintf(text, sizeof text, "%s\"booths\":[{\"exhibit\":\"a\",\"position\":[1,\"x\"]}]}", HALL_HEAD);
    CHECK(!load_tmp_hall(text, &h, &a, &e));
    CHECK(strcmp(e.where, "/booths/0/position") == 0);
    CHECK_STR_CONTAINS(e.message, "array of 2 numbers");
    /* required property missing */
    CHECK(!load_tmp_hall("{\"format\":\"metahall-hall/1\",\"name_zh\":\"x\",\"name_en\":\"x\"}", &h, &a, &e));
    CHECK(strcmp(e.where, "/entrance") == 0);
    /* unknown shape */
    snprintf(text, sizeof text, "%s\"architecture\":[{\"shape\":\"pyramid\",\"position\":[0,0,0],\"size\":[1,1,1]}]}",
             HALL_HEAD);
    CHECK(!load_tmp_hall(text, &h, &a, &e));
    CHECK(strcmp(e.where, "/architecture/0/shape") == 0);
    CHECK_STR_CONTAINS(e.message, "unknown shape (expected box");
    CHECK(!strstr(e.message, "pyramid")); /* messages never quote the file */
    /* a halo is a glowing box's, a few metres at most, and the hall's architecture's only (a booth
     * template's part draws none) */
    static const struct {
        const char *json, *where, *message;
    } halos[] = {
        {"\"architecture\":[{\"shape\":\"box\",\"position\":[0,0,0],\"size\":[1,1,1],\"halo\":1}]",
         "/architecture/0/halo", "only a glowing box"},
        {"\"architecture\":[{\"shape\":\"box\",\"position\":[0,0,0],\"size\":[1,1,1],\"emissive\":1,"
         "\"halo\":-2}]",
         "/architecture/0/halo", "between 0 and 10 metres"},
        {"\"booth_templates\":{\"t\":{\"parts\":[{\"shape\":\"box\",\"position\":[0,0,0],"
         "\"size\":[1,1,1],\"emissive\":1,\"halo\":1}]}}",
         "/booth_templates/t/parts/0/halo", "architecture only"},
    };
    for (size_t i = 0; i < sizeof halos / sizeof *halos; i++) {
        snprintf(text, sizeof text, "%s%s}", HALL_HEAD, halos[i].json);
        CHECK(!load_tmp_hall(text, &h, &a, &e));
        CHECK(strcmp(e.where, halos[i].where) == 0);
        CHECK_STR_CONTAINS(e.message, halos[i].message);
    }
    /* negative size */
    snprintf(text, sizeof text, "%s\"architecture\":[{\"shape\":\"box\",\"position\":[0,0,0],\"size\":[1,-1,1]}]}",
             HALL_HEAD);
    CHECK(!load_tmp_hall(text, &h, &a, &e));
    CHECK(strcmp(e.where, "/architecture/0/size") == 0);
    /* textures may not leave the hall folder */
    snprintf(text, sizeof text, "%s\"textures\":[\"../../../etc/passwd\"]}", HALL_HEAD);
    CHECK(!load_tmp_hall(text, &h, &a, &e));
    CHECK(strcmp(e.where, "/textures/0") == 0);
    CHECK_STR_CONTAINS(e.message, "inside the hall folder");
    /* exhibit ids cannot be paths */
    snprintf(text, sizeof text, "%s\"booths\":[{\"exhibit\":\"../x\",\"position\":[1,1]}]}", HALL_HEAD);
    CHECK(!load_tmp_hall(text, &h, &a, &e));
    CHECK(strcmp(e.where, "/booths/0/exhibit") == 0);
    /* the same exhibit twice */
    snprintf(text, sizeof text,
             "%s\"booths\":[{\"exhibit\":\"a\",\"position\":[1,1]},"
             "{\"exhibit\":\"a\",\"position\":[5,1]}]}",
             HALL_HEAD);
    CHECK(!load_tmp_hall(text, &h, &a, &e));
    CHECK_STR_CONTAINS(e.message, "already has a booth");
    /* featured exhibit without a booth */
    snprintf(text, sizeof text, "%s\"stage\":{\"position\":[0,0],\"featured\":\"zz\"}}", HALL_HEAD);
    CHECK(!load_tmp_hall(text, &h, &a, &e));
    CHECK(strcmp(e.where, "/stage/featured") == 0);
    /* a tour stop that is not in the hall */
    snprintf(text, sizeof text, "%s\"tour\":[\"stage\",\"atlantis\"]}", HALL_HEAD);
    CHECK(!load_tmp_hall(text, &h, &a, &e));
    CHECK(strcmp(e.where, "/tour/1") == 0);
    CHECK_STR_CONTAINS(e.message, "a tour stop must be \"entrance\", \"stage\" or the id of an exhibit with a booth");
    CHECK(!strstr(e.message, "atlantis"));
    /* a missing hall folder */
    CHECK(!mh_hall_load("/nonexistent/hall", &a, &h, &e));
    CHECK_STR_CONTAINS(e.message, "not found");
    mh_arena_free(&a);
}

static void quiet(mh_log_level level, const char *tag, const char *text, void *user)
{
    (void)level, (void)tag, (void)text, (void)user;
}

/* A hall of n booths with exhibits b0, b1, ... (none of them on disk). */
static char *many_booths(int n)
{
    size_t cap = (size_t)n * 64 + 1024, len = 0;
    char *t = malloc(cap);
    len += (size_t)snprintf(t, cap, "%s\"booths\":[", HALL_HEAD);
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(t + len, cap - len, "%s{\"exhibit\":\"b%d\",\"position\":[%d,%d]}", i ? "," : "", i,
                                (i % 64) * 5, (i / 64) * 5);
    snprintf(t + len, cap - len, "]}");
    return t;
}

/* Up to MH_HALL_MAX_BOOTHS (4096) booths load; one more is refused where
 * the booths are, saying the limit. */
static void test_booth_limit(void)
{
    mh_arena a = {0};
    mh_hall_desc h;
    mh_error e;
    mh_log_set_sink(quiet, NULL); /* every missing exhibit says so */
    char *text = many_booths(MH_HALL_MAX_BOOTHS);
    CHECK(load_tmp_hall(text, &h, &a, &e) && h.booth_count == MH_HALL_MAX_BOOTHS);
    free(text);
    mh_arena_free(&a);
    text = many_booths(MH_HALL_MAX_BOOTHS + 1);
    CHECK(!load_tmp_hall(text, &h, &a, &e));
    CHECK(strcmp(e.where, "/booths") == 0);
    CHECK_STR_CONTAINS(e.message, "4097 booths is more than the limit of 4096");
    free(text);
    mh_log_set_sink(NULL, NULL);
    mh_arena_free(&a);
}

/* "zones": booths spaced evenly from "from" to "to", facing yaw_deg; too
 * close, no booths or no "to" is a located error. */
static void test_zones(void)
{
    mh_arena a = {0};
    mh_hall_desc h;
    mh_error e;
    char text[2048];
    snprintf(text, sizeof text,
             "%s\"booths\":[{\"exhibit\":\"x\",\"position\":[0,9]}],\"zones\":[{\"name_zh\":\"甲\","
             "\"name_en\":\"A\",\"color\":\"#ff0000\",\"from\":[-5,0],\"to\":[5,0],\"yaw_deg\":10,"
             "\"booths\":[\"a\",\"b\",\"c\"]},{\"name_zh\":\"乙\",\"name_en\":\"B\",\"from\":[0,-8],"
             "\"booths\":[\"d\"]}]}",
             HALL_HEAD);
    CHECK(load_tmp_hall(text, &h, &a, &e));
    CHECK(h.booth_count == 5 && h.zone_count == 2);
    CHECK(h.booths[0].zone == -1 && h.booths[1].zone == 0 && h.booths[4].zone == 1);
    CHECK(h.zones[0].first_booth == 1 && h.zones[0].booth_count == 3 && !strcmp(h.zones[0].name_en, "A"));
    CHECK_NEAR(h.booths[2].pos.x, 0, 1e-5);
    CHECK_NEAR(h.booths[3].pos.x, 5, 1e-5);
    CHECK_NEAR(h.booths[3].yaw_deg, 10, 1e-5);
    CHECK_NEAR(h.zones[0].color.x, 1, 1e-5);
    CHECK_NEAR(h.zones[1].sign_height, 6.4, 1e-5); /* the default */
    CHECK(h.booths[4].pos.y == -8 && !strcmp(h.booths[4].exhibit.id, "d"));
    CHECK(mh_hall_booth_gap(&h, 1, 2) > 1.5f);
    /* booths 2 m apart (3.2 m wide) overlap */
    snprintf(text, sizeof text,
             "%s\"zones\":[{\"name_zh\":\"甲\",\"name_en\":\"A\",\"from\":[0,0],\"to\":[2,0],"
             "\"booths\":[\"a\",\"b\"]}]}",
             HALL_HEAD);
    CHECK(!load_tmp_hall(text, &h, &a, &e));
    CHECK(strcmp(e.where, "/zones/0/booths/1") == 0);
    CHECK_STR_CONTAINS(e.message, "closer than 1.0 m");
    /* two booths and no "to" */
    snprintf(text, sizeof text,
             "%s\"zones\":[{\"name_zh\":\"甲\",\"name_en\":\"A\",\"from\":[0,0],\"booths\":[\"a\",\"b\"]}]}",
             HALL_HEAD);
    CHECK(!load_tmp_hall(text, &h, &a, &e));
    CHECK(strcmp(e.where, "/zones/0/booths") == 0);
    /* an exhibit in a zone and in "booths" */
    snprintf(text, sizeof text,
             "%s\"booths\":[{\"exhibit\":\"a\",\"position\":[0,9]}],\"zones\":[{\"name_zh\":\"甲\","
             "\"name_en\":\"A\",\"from\":[0,0],\"booths\":[\"a\"]}]}",
             HALL_HEAD);
    CHECK(!load_tmp_hall(text, &h, &a, &e));
    CHECK(strcmp(e.where, "/zones/0/booths/0") == 0);
    CHECK_STR_CONTAINS(e.message, "already has a booth");
    /* a zone without its English name */
    snprintf(text, sizeof text, "%s\"zones\":[{\"name_zh\":\"甲\",\"from\":[0,0],\"booths\":[\"a\"]}]}", HALL_HEAD);
    CHECK(!load_tmp_hall(text, &h, &a, &e));
    CHECK(strcmp(e.where, "/zones/0/name_en") == 0 || strcmp(e.where, "/zones/0") == 0);
    mh_arena_free(&a);
}

/* "booth_templates": named templates of parts, each booth picks one (its
 * zone's, its own or the hall's default); a hall without any gets the
 * built-in "standard"; mistakes are located errors. */
static void test_booth_templates(void)
{
    mh_arena a = {0};
    mh_hall_desc h;
    mh_error e;
    char text[4096];
    static const char *const TEMPLATES =
        "\"booth\":{\"template\":\"open\"},\"booth_templates\":{"
        "\"closed\":{\"neutral\":\"#ffffff\",\"landmark\":[0,0.3,0.1],\"parts\":["
        "{\"shape\":\"box\",\"position\":[0,0,0],\"size\":[3,0.1,2],\"role\":\"neutral\",\"shade\":0.5},"
        "{\"shape\":\"cylinder\",\"position\":[0,0.1,0.1],\"size\":[1,0.2,1],\"role\":\"accent\",\"emissive\":1},"
        "{\"shape\":\"box\",\"position\":[0,0.1,-1.2],\"size\":[3,3,0.1],\"color\":\"#ff0000\",\"metallic\":0.5,"
        "\"roughness\":0.3,\"label\":\"name\"}]},"
        "\"open\":{\"parts\":[{\"shape\":\"box\",\"position\":[0,0,0],\"size\":[3,0.1,2],\"role\":\"accent\"}]}},";
    snprintf(text, sizeof text,
             "%s%s\"booths\":[{\"exhibit\":\"x\",\"position\":[0,9]},{\"exhibit\":\"y\",\"position\":[9,9],"
             "\"template\":\"closed\"}],\"zones\":[{\"name_zh\":\"甲\",\"name_en\":\"A\",\"from\":[0,0],"
             "\"template\":\"closed\",\"booths\":[\"z\"]}]}",
             HALL_HEAD, TEMPLATES);
    mh_log_set_sink(quiet, NULL); /* the exhibits are not on disk */
    CHECK(load_tmp_hall(text, &h, &a, &e));
    CHECK(h.template_count == 2 && mh_booth_template_find(h.templates, h.template_count, "closed") == 0 &&
          mh_booth_template_find(h.templates, h.template_count, "open") == 1);
    CHECK(mh_booth_template_find(h.templates, h.template_count, "island") == -1);
    CHECK(h.booth_count == 3 && h.booths[0].template_index == 1 && h.booths[1].template_index == 0 &&
          h.booths[2].template_index == 0);
    const mh_booth_template *t = &h.templates[0];
    CHECK(t->part_count == 3 && !strcmp(t->name, "closed"));
    CHECK_NEAR(t->neutral.x, 1, 1e-5);
    CHECK_NEAR(t->landmark.y, 0.3, 1e-5);
    CHECK(t->part_count == 3 && t->parts[0].role == MH_PART_NEUTRAL && t->parts[1].role == MH_PART_ACCENT &&
          t->parts[2].role == MH_PART_CUSTOM);
    CHECK(t->part_count == 3 && t->parts[1].shape.kind == MH_SHAPE_CYLINDER);
    CHECK_NEAR(t->parts[0].shade, 0.5, 1e-6);
    CHECK_NEAR(t->parts[1].shape.emissive, 1, 1e-6);
    CHECK_NEAR(t->parts[2].shape.color.x, 1, 1e-5);
    CHECK_NEAR(t->parts[2].shape.metallic, 0.5, 1e-6);
    CHECK(!t->parts[0].shape.collide); /* the footprint blocks walking, not the parts */
    CHECK(t->parts[0].label == MH_LABEL_NONE && t->parts[2].label == MH_LABEL_NAME);
    mh_vec3 accent = mh_v3(0.2f, 0.4f, 0.6f);
    CHECK_NEAR(mh_booth_part_color(t, 0, accent).y, 0.5, 1e-5); /* the neutral white, shaded */
    CHECK_NEAR(mh_booth_part_color(t, 1, accent).z, 0.6, 1e-6); /* the accent */
    CHECK_NEAR(mh_booth_part_color(t, 2, accent).x, 1, 1e-5);   /* its own red */
    CHECK_NEAR(mh_booth_part_color(t, 2, accent).y, 0, 1e-5);
    uint32_t v = 0, tr = 0, sv, st;
    for (int i = 0; i < t->part_count; i++) {
        mh_shape_cost(&t->parts[i].shape, &sv, &st);
        v += sv;
        tr += st;
    }
    CHECK(t->vertices == v && t->triangles == tr);
    mh_arena_free(&a);

    /* no templates: the built-in "standard" for every booth */
    snprintf(text, sizeof text, "%s\"booths\":[{\"exhibit\":\"x\",\"position\":[0,9]}]}", HALL_HEAD);
    CHECK(load_tmp_hall(text, &h, &a, &e));
    CHECK(h.template_count == 1 && !strcmp(h.templates[0].name, "standard") && h.templates[0].part_count == 5);
    CHECK(h.booths[0].template_index == 0);
    mh_arena_free(&a);

    /* mistakes, each where it is */
    static const struct {
        const char *json, *where, *message;
    } bad[] = {
        {"\"booth_templates\":{\"s\":{\"parts\":[{\"shape\":\"box\",\"position\":[0,0,0],\"size\":[1,1,1],"
         "\"role\":\"loud\"}]}}}",
         "/booth_templates/s/parts/0/role", "unknown role (expected accent, neutral or custom)"},
        {"\"booth_templates\":{\"s\":{\"parts\":[{\"shape\":\"box\",\"position\":[0,0,0],\"size\":[1,1,1]},"
         "{\"shape\":\"box\",\"position\":[0,0,0],\"size\":[1,1,1],\"role\":\"accent\",\"color\":\"#ffffff\"}]}}}",
         "/booth_templates/s/parts/1/color", "only a custom part has a color"},
        {"\"booth_templates\":{\"s\":{\"parts\":[{\"shape\":\"box\",\"position\":[9,0,0],\"size\":[1,1,1]}]}}}",
         "/booth_templates/s/parts/0/position", "a part must stand on the booth"},
        {"\"booth_templates\":{\"s\":{\"parts\":[{\"shape\":\"box\",\"position\":[0,0,0],\"size\":[1,1,1],"
         "\"shade\":9}]}}}",
         "/booth_templates/s/parts/0/shade", "shade must be 0 to 4"},
        {"\"booth_templates\":{\"s\":{\"parts\":[{\"shape\":\"box\",\"position\":[0,0,0],\"size\":[1,1,1],"
         "\"label\":\"logo\"}]}}}",
         "/booth_templates/s/parts/0/label", "unknown label (expected \"name\""},
        {"\"booth_templates\":{\"s\":{\"parts\":[{\"shape\":\"cylinder\",\"position\":[0,0,0],\"size\":[1,1,1],"
         "\"label\":\"name\"}]}}}",
         "/booth_templates/s/parts/0/label", "a label is drawn on a box's front face"},
        {"\"booth_templates\":{\"s\":{\"parts\":[{\"shape\":\"cube\",\"position\":[0,0,0],\"size\":[1,1,1]}]}}}",
         "/booth_templates/s/parts/0/shape", "unknown shape"},
        {"\"booth_templates\":{\"s\":{\"parts\":[]}}}", "/booth_templates/s/parts", "1 to 64 parts"},
        {"\"booth_templates\":{\"a/b\":{\"landmark\":[0,0,5],\"parts\":[{\"shape\":\"box\",\"position\":[0,0,0],"
         "\"size\":[1,1,1]}]}}}",
         "/booth_templates/a~1b/landmark", "inside the booth's footprint"},
        {"\"booth_templates\":{}}", "/booth_templates", "1 to 16 booth templates"},
        {"\"booth_templates\":[]}", "/booth_templates", "expected an object"},
        {"\"booth\":{\"template\":\"grand\"}}", "/booth/template", "no booth template by this name"},
        {"\"zones\":[{\"name_zh\":\"甲\",\"name_en\":\"A\",\"from\":[0,0],\"template\":\"grand\",\"booths\":[\"a\"]}]}",
         "/zones/0/template", "no booth template by this name"},
        {"\"booths\":[{\"exhibit\":\"a\",\"position\":[0,0],\"template\":7}]}", "/booths/0/template", "string"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(text, sizeof text, "%s%s", HALL_HEAD, bad[i].json);
        bool ok = load_tmp_hall(text, &h, &a, &e);
        CHECK(!ok);
        if (!ok && (strcmp(e.where, bad[i].where) || !strstr(e.message, bad[i].message)))
            fprintf(stderr, "case %zu: got %s: %s\n", i, e.where, e.message);
        CHECK(strcmp(e.where, bad[i].where) == 0);
        CHECK_STR_CONTAINS(e.message, bad[i].message);
        mh_arena_free(&a);
    }
    mh_log_set_sink(NULL, NULL);
}

static void test_broken_exhibit_is_a_placeholder(void)
{
    mh_arena a = {0};
    mh_hall_desc h;
    mh_error e;
    char text[2048];
    write_file("exhibits/good/exhibit.json",
               "{\"format\":\"metahall-exhibit/1\",\"id\":\"good\",\"name_zh\":\"好\",\"name_en\":\"Good\","
               "\"landmark\":[{\"shape\":\"cone\",\"position\":[0,0,0],\"size\":[1,2,1]}]}");
    write_file("exhibits/bad/exhibit.json", "{\"format\":\"metahall-exhibit/1\",\"id\":\"bad\",\"name_zh\":3}");
    write_file("exhibits/wrongid/exhibit.json",
               "{\"format\":\"metahall-exhibit/1\",\"id\":\"other\",\"name_zh\":\"x\",\"name_en\":\"x\"}");
    snprintf(text, sizeof text,
             "%s\"exhibits_dir\":\"../exhibits\",\"booths\":["
             "{\"exhibit\":\"good\",\"position\":[1,1]},{\"exhibit\":\"bad\",\"position\":[5,1]},"
             "{\"exhibit\":\"missing\",\"position\":[9,1]},{\"exhibit\":\"wrongid\",\"position\":[13,1]}]}",
             HALL_HEAD);
    CHECK(load_tmp_hall(text, &h, &a, &e));
    CHECK(h.booth_count == 4);
    CHECK(h.booths[0].exhibit.loaded);
    CHECK(h.booths[0].exhibit.landmark[0].kind == MH_SHAPE_CYLINDER);
    CHECK_NEAR(h.booths[0].exhibit.landmark[0].top, 0, 1e-6); /* a cone is a cylinder with top 0 */
    CHECK(!h.booths[1].exhibit.loaded);
    CHECK(strcmp(h.booths[1].exhibit.error.where, "/name_zh") == 0);
    CHECK_STR_CONTAINS(h.booths[1].exhibit.error.message, "expected a string, found a number");
    CHECK(!h.booths[2].exhibit.loaded);
    CHECK_STR_CONTAINS(h.booths[2].exhibit.error.message, "cannot open file");
    CHECK_STR_CONTAINS(h.booths[2].exhibit.error.file, "missing/exhibit.json");
    CHECK(!h.booths[3].exhibit.loaded);
    CHECK_STR_CONTAINS(h.booths[3].exhibit.error.message, "does not match its folder");
    CHECK(strcmp(h.booths[2].exhibit.id, "missing") == 0);
    /* booths face the focus point (default: the stage at the origin) */
    CHECK_NEAR(h.booths[0].yaw_deg, -135, 1e-3);
    mh_arena_free(&a);
}

static void test_fact_errors(void)
{
    static const char *const cases[][3] = {
        {"\"sources\":{\"S1\":\"x\"},\"facts\":[{\"id\":\"a\",\"label_zh\":\"甲\",\"label_en\":\"A\",\"source\":\"S9\"}"
         "]",
         "/facts/0/source", "not listed under /sources"},
        {"\"sources\":{\"S1\":\"x\"},\"facts\":[{\"id\":\"a\",\"label_zh\":\"甲\",\"label_en\":\"A\",\"date\":\"2022-"
         "13\",\"source\":\"S1\"}]",
         "/facts/0/date", "YYYY-MM"},
        {"\"sources\":{\"S1\":\"x\"},\"facts\":[{\"id\":\"a\",\"label_zh\":\"甲\",\"label_en\":\"A\",\"unit_zh\":"
         "\"亿元\",\"unit_en\":\"x\",\"source\":\"S1\"}]",
         "/facts/0/value", "needs a value"},
        {"\"sources\":{\"S1\":\"x\"},\"facts\":[{\"id\":\"a\",\"label_zh\":\"甲\",\"label_en\":\"A\",\"value\":1,"
         "\"unit_zh\":\"亿元\",\"unit_en\":\"x\",\"source\":\"S1\"},"
         "{\"id\":\"b\",\"label_zh\":\"乙\",\"label_en\":\"B\",\"value\":2,\"unit_zh\":\"万台\",\"unit_en\":\"y\","
         "\"source\":\"S1\"}],"
         "\"charts\":[{\"type\":\"bar\",\"title_zh\":\"图\",\"title_en\":\"C\",\"facts\":[\"a\",\"b\"]}]",
         "/charts/0/facts/1", "one chart, one unit"},
        {"\"sources\":{\"S1\":\"x\"},\"facts\":[{\"id\":\"a\",\"label_zh\":\"甲\",\"label_en\":\"A\",\"value\":1,"
         "\"wall_zh\":\"甲\",\"source\":\"S1\"}]",
         "/facts/0/wall_en", "wall caption in both languages"},
        {"\"sources\":{\"S1\":\"x\"},\"facts\":[{\"id\":\"a\",\"label_zh\":\"甲\",\"label_en\":\"A\","
         "\"wall_zh\":\"甲\",\"wall_en\":\"A\",\"source\":\"S1\"}]",
         "/facts/0/wall_zh", "a key figure on the wall needs a value, a text or a date"},
        {"\"images\":[\"../secret.png\"]", "/images/0", "inside the exhibit's folder"},
        {"\"images\":[\"photo.gif\"]", "/images/0", ".png or .jpg"},
        {"\"images\":[{\"caption_en\":\"x\"}]", "/images/0/file", "needs its \"file\""},
        {"\"videos\":[{\"file\":\"clip.avi\"}]", "/videos/0/file", ".mp4, .webm"},
        {"\"narration_audio_en\":\"../a.ogg\"", "/narration_audio_en", "inside the folder"},
        {"\"narration_audio_zh\":\"a.mp3\"", "/narration_audio_zh", "Ogg Opus or Vorbis"},
        {"\"narration_cues_en\":[0,2,1]", "/narration_cues_en/2", "in order"},
        {"\"url\":\"javascript:alert(1)\"", "/url", "http:// or https://"},
        {"\"url\":\"https://a.example/x y\"", "/url", "without spaces"},
        {"\"sources\":{\"S1\":\"x\"},\"facts\":[{\"id\":\"a\",\"label_zh\":\"甲\",\"label_en\":\"A\",\"value\":1,"
         "\"source\":\"S1\"},"
         "{\"id\":\"b\",\"label_zh\":\"乙\",\"label_en\":\"B\",\"value\":2,\"date\":\"2021\",\"source\":\"S1\"}],"
         "\"charts\":[{\"type\":\"line\",\"title_zh\":\"图\",\"title_en\":\"C\",\"facts\":[\"b\",\"a\"]}]",
         "/charts/0/facts/1", "needs a \"date\""},
        {"\"charts\":[{\"type\":\"pie\",\"title_zh\":\"图\",\"title_en\":\"C\",\"facts\":[]}]", "/charts/0/type",
         "\"bar\" or \"line\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char text[2048];
        snprintf(text, sizeof text,
                 "{\"format\":\"metahall-exhibit/1\",\"id\":\"t\",\"name_zh\":\"测\",\"name_en\":\"T\",%s}",
                 cases[i][0]);
        mh_arena a = {0};
        mh_exhibit_desc x;
        mh_error e = {0};
        CHECK(!mh_exhibit_parse(text, strlen(text), "t/exhibit.json", "t", &a, &x, &e));
        CHECK(strcmp(e.where, cases[i][1]) == 0);
        CHECK_STR_CONTAINS(e.message, cases[i][2]);
        mh_arena_free(&a);
    }
}

/* landmark_zh / landmark_en: what the landmark model depicts, one line each,
 * optional, read into the description; too long or not text fails there. */
static void test_landmark_names(void)
{
    char text[1024], name[260];
    mh_arena a = {0};
    mh_exhibit_desc x;
    mh_error e = {0};
    const char *head = "{\"format\":\"metahall-exhibit/1\",\"id\":\"t\",\"name_zh\":\"测\",\"name_en\":\"T\"";
    snprintf(text, sizeof text, "%s,\"landmark_zh\":\"东方之门\",\"landmark_en\":\"The Gate of the Orient\"}", head);
    CHECK(mh_exhibit_parse(text, strlen(text), "t/exhibit.json", "t", &a, &x, &e));
    CHECK(x.landmark_zh && strcmp(x.landmark_zh, "东方之门") == 0);
    CHECK(x.landmark_en && strcmp(x.landmark_en, "The Gate of the Orient") == 0);
    snprintf(text, sizeof text, "%s}", head);
    CHECK(mh_exhibit_parse(text, strlen(text), "t/exhibit.json", "t", &a, &x, &e));
    CHECK(!x.landmark_zh && !x.landmark_en);
    memset(name, 'x', 201);
    name[201] = 0;
    snprintf(text, sizeof text, "%s,\"landmark_en\":\"%s\"}", head, name);
    CHECK(!mh_exhibit_parse(text, strlen(text), "t/exhibit.json", "t", &a, &x, &e));
    CHECK(strcmp(e.where, "/landmark_en") == 0);
    CHECK_STR_CONTAINS(e.message, "201 characters long");
    snprintf(text, sizeof text, "%s,\"landmark_zh\":3}", head);
    CHECK(!mh_exhibit_parse(text, strlen(text), "t/exhibit.json", "t", &a, &x, &e));
    CHECK(strcmp(e.where, "/landmark_zh") == 0);
    CHECK_STR_CONTAINS(e.message, "expected a string");
    mh_arena_free(&a);
}

/* The media keys read into the description: images with captions, videos,
 * narration audio with cues, the take-away URL, short chart labels and line charts. */
static void test_media_keys(void)
{
    const char *text =
        "{\"format\":\"metahall-exhibit/1\",\"id\":\"t\",\"name_zh\":\"测\",\"name_en\":\"T\","
        "\"images\":[\"a.png\",{\"file\":\"b.jpg\",\"caption_zh\":\"乙图\",\"caption_en\":\"Photo B\"}],"
        "\"videos\":[{\"file\":\"clip.webm\",\"caption_en\":\"Flythrough\"}],"
        "\"narration_audio_zh\":\"narration_zh.ogg\",\"narration_cues_zh\":[0,1.5,3.25],"
        "\"url\":\"https://metahall.example/t\","
        "\"sources\":{\"S1\":\"x\"},\"facts\":["
        "{\"id\":\"a\",\"label_zh\":\"甲\",\"label_en\":\"Alpha\",\"short_en\":\"A\",\"value\":1,\"date\":\"2020\","
        "\"source\":\"S1\"},"
        "{\"id\":\"b\",\"label_zh\":\"乙\",\"label_en\":\"Beta\",\"value\":2,\"date\":\"2021-06\",\"source\":\"S1\"}],"
        "\"charts\":[{\"type\":\"line\",\"title_zh\":\"图\",\"title_en\":\"C\",\"facts\":[\"a\",\"b\"]}]}";
    mh_arena a = {0};
    mh_exhibit_desc x;
    mh_error e = {0};
    CHECK(mh_exhibit_parse(text, strlen(text), "t/exhibit.json", "t", &a, &x, &e));
    CHECK(x.image_count == 2);
    CHECK_STR_CONTAINS(x.images[1], "t/b.jpg");
    CHECK(x.image_captions_zh[0] == NULL && x.image_captions_en[1] && !strcmp(x.image_captions_en[1], "Photo B"));
    CHECK(x.video_count == 1 && x.videos[0].caption_en && !strcmp(x.videos[0].caption_en, "Flythrough"));
    CHECK_STR_CONTAINS(x.videos[0].path, "t/clip.webm");
    CHECK_STR_CONTAINS(x.narration_audio_zh.path, "narration_zh.ogg");
    CHECK(x.narration_audio_en.path == NULL);
    CHECK(x.narration_audio_zh.cue_count == 3);
    CHECK_NEAR(x.narration_audio_zh.cues[2], 3.25, 1e-6);
    CHECK(x.url && !strcmp(x.url, "https://metahall.example/t"));
    CHECK(x.fact_count == 2 && x.facts[0].short_en && !strcmp(x.facts[0].short_en, "A") && !x.facts[1].short_en);
    CHECK(x.chart_count == 1 && x.charts[0].type == MH_CHART_LINE);
    mh_arena_free(&a);
    /* a hall's music and screens */
    char hall[1024];
    snprintf(hall, sizeof hall,
             "%s\"music\":\"music.ogg\",\"music_volume\":0.5,"
             "\"screens\":[{\"video\":\"wall.mp4\",\"position\":[0,3,-9],\"size\":[6,3.4]}]}",
             HALL_HEAD);
    mh_hall_desc h;
    CHECK(mh_hall_parse(hall, strlen(hall), "/tmp/h", &a, &h, &e));
    CHECK_STR_CONTAINS(h.media.music, "/tmp/h/music.ogg");
    CHECK_NEAR(h.media.music_volume, 0.5, 1e-6);
    CHECK(h.media.screen_count == 1 && !strcmp(h.media.screens[0].video, "/tmp/h/wall.mp4"));
    CHECK_NEAR(h.media.screens[0].size[0], 6, 1e-6);
    snprintf(hall, sizeof hall, "%s\"music_volume\":2}", HALL_HEAD);
    CHECK(!mh_hall_parse(hall, strlen(hall), "/tmp/h", &a, &h, &e));
    CHECK(!strcmp(e.where, "/music_volume"));
    mh_arena_free(&a);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Issue 15: a FIFO named exhibit.json must not hang the load; a link to a
 * secret file is refused without quoting it; nothing of a file's content
 * ever appears in an error message. */
static void test_unsafe_files(void)
{
    mh_arena a = {0};
    mh_hall_desc h;
    mh_error e;
    char path[512], text[2048];
    write_file("exhibits/fine/exhibit.json",
               "{\"format\":\"metahall-exhibit/1\",\"id\":\"fine\",\"name_zh\":\"好\",\"name_en\":\"Fine\"}");
    snprintf(path, sizeof path, "%s/exhibits/fifo", tmp_root);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/exhibits/fifo/exhibit.json", tmp_root);
    CHECK(mkfifo(path, 0644) == 0);
    write_file("secret.txt", "root:x:0:0:root:/root:/bin/bash\n");
    snprintf(path, sizeof path, "%s/exhibits/link", tmp_root);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/exhibits/link/exhibit.json", tmp_root);
    char target[512];
    snprintf(target, sizeof target, "%s/secret.txt", tmp_root);
    CHECK(symlink(target, path) == 0);
    snprintf(text, sizeof text,
             "%s\"exhibits_dir\":\"../exhibits\",\"booths\":["
             "{\"exhibit\":\"fine\",\"position\":[1,1]},{\"exhibit\":\"fifo\",\"position\":[5,1]},"
             "{\"exhibit\":\"link\",\"position\":[9,1]}]}",
             HALL_HEAD);
    double t0 = now_s();
    CHECK(load_tmp_hall(text, &h, &a, &e));
    CHECK(now_s() - t0 < 2.0); /* the FIFO did not block */
    CHECK(h.booths[0].exhibit.loaded);
    CHECK(!h.booths[1].exhibit.loaded);
    CHECK_STR_CONTAINS(h.booths[1].exhibit.error.message, "is a FIFO, not a regular file");
    CHECK(!h.booths[2].exhibit.loaded);
    CHECK_STR_CONTAINS(h.booths[2].exhibit.error.message, "symbolic link");
    /* the secret read as JSON directly: located, but not quoted */
    mh_exhibit_desc x;
    CHECK(!mh_exhibit_parse("root:x:0:0:root", 15, "t/exhibit.json", "t", &a, &x, &e));
    CHECK_STR_CONTAINS(e.message, "invalid JSON syntax: a letter where it cannot be");
    CHECK(!strstr(e.message, "root") && !strstr(e.message, "x:0"));
    /* a linked folder leading out of the hall: the file behind it is not read */
    snprintf(path, sizeof path, "%s/hall/textures", tmp_root);
    CHECK(symlink(tmp_root, path) == 0);
    snprintf(path, sizeof path, "%s/hall/textures/secret.txt", tmp_root);
    char dir[512], *data = NULL;
    snprintf(dir, sizeof dir, "%s/hall", tmp_root);
    CHECK(!mh_fs_read(path, dir, 1024, &data, NULL, &e));
    CHECK_STR_CONTAINS(e.message, "leads outside its folder");
    CHECK(mh_fs_read(path, tmp_root, 1024, &data, NULL, &e)); /* inside its own root it is fine */
    free(data);
    mh_arena_free(&a);
}

/* Budgets (issue 15): generated shapes are counted before anything is made,
 * exactly as mh_mesh makes them; a hall may set its own budgets. */
static void test_budgets(void)
{
    static const mh_shape_kind kinds[] = {MH_SHAPE_BOX, MH_SHAPE_CYLINDER, MH_SHAPE_CYLINDER, MH_SHAPE_SPHERE,
                                          MH_SHAPE_TORUS};
    static const int segs[] = {0, 3, 7, 32, 128};
    for (int k = 0; k < 5; k++)
        for (int g = 0; g < 5; g++) {
            mh_shape_desc sh = {.kind = kinds[k],
                                .size = mh_v3(1, 1, 1),
                                .top = k == 2 ? 0.0f : 1.0f,
                                .thickness = 0.25f,
                                .segments = segs[g],
                                .texture = -1};
            mh_mesh_data m = {0};
            mh_mesh_add_shape(&m, &sh, mh_m4_identity());
            uint32_t v, t;
            mh_shape_cost(&sh, &v, &t);
            CHECK(v == m.vertex_count && t * 3 == m.index_count);
            mh_mesh_free(&m);
        }
    mh_arena a = {0};
    mh_hall_desc h;
    mh_error e;
    char text[8192];
    /* 40 spheres of 128 segments make 655360 triangles: more than a hall budget of
     * 100000 (the seventh passes it), well within the default of 4 M */
    int n = snprintf(text, sizeof text, "%s\"budgets\":{\"hall_triangles\":100000},\"architecture\":[", HALL_HEAD);
    for (int i = 0; i < 40; i++)
        n += snprintf(text + n, sizeof text - (size_t)n,
                      "%s{\"shape\":\"sphere\",\"position\":[0,0,0],"
                      "\"size\":[1,1,1],\"segments\":128}",
                      i ? "," : "");
    snprintf(text + n, sizeof text - (size_t)n, "]}");
    CHECK(!load_tmp_hall(text, &h, &a, &e));
    CHECK(strcmp(e.where, "/architecture/6") == 0); /* 7 x 16384 > 100000 */
    CHECK_STR_CONTAINS(e.message, "more than the hall's budget of 100000 triangles");
    /* the default budget holds them */
    memmove(strstr(text, "\"budgets\""), strstr(text, "\"architecture\""),
            strlen(strstr(text, "\"architecture\"")) + 1);
    CHECK(load_tmp_hall(text, &h, &a, &e));
    CHECK(h.shape_triangles == 40 * 16384 && h.budget.triangles == 1000000);
    snprintf(text, sizeof text, "%s\"budgets\":{\"triangels\":5}}", HALL_HEAD);
    CHECK(!load_tmp_hall(text, &h, &a, &e));
    CHECK(strcmp(e.where, "/budgets/triangels") == 0);
    CHECK_STR_CONTAINS(e.message, "unknown budget");
    snprintf(text, sizeof text, "%s\"budgets\":{\"image_pixels\":1e12}}", HALL_HEAD);
    CHECK(!load_tmp_hall(text, &h, &a, &e));
    CHECK_STR_CONTAINS(e.message, "from 1 to 67108864");
    /* texts have lengths: a name is drawn on a sign */
    char name[400];
    memset(name, 'x', 100);
    name[100] = '\0';
    snprintf(text, sizeof text, "{\"format\":\"metahall-exhibit/1\",\"id\":\"t\",\"name_zh\":\"%s\",\"name_en\":\"T\"}",
             name);
    mh_exhibit_desc x;
    CHECK(!mh_exhibit_parse(text, strlen(text), "t/exhibit.json", "t", &a, &x, &e));
    CHECK(strcmp(e.where, "/name_zh") == 0);
    CHECK_STR_CONTAINS(e.message, "100 characters long; at most 80 fit here");
    mh_arena_free(&a);
}

static void test_json_pointer_escaping(void)
{
    char out[64];
    mh_json_ptr_key(out, sizeof out, "/a", "b/c~d");
    CHECK(strcmp(out, "/a/b~1c~0d") == 0);
    mh_json_ptr_index(out, sizeof out, "/booths", 12);
    CHECK(strcmp(out, "/booths/12") == 0);
    char joined[64];
    CHECK(mh_fs_join_inside("/h", "textures/a.png", joined, sizeof joined));
    CHECK(!mh_fs_join_inside("/h", "/etc/passwd", joined, sizeof joined));
    CHECK(!mh_fs_join_inside("/h", "a/../../b", joined, sizeof joined));
    CHECK(!mh_fs_join_inside("/h", "a//b", joined, sizeof joined));
    CHECK(!mh_fs_join_inside("/h", "a\\b", joined, sizeof joined));
    CHECK(mh_exhibit_id_valid("qiantang") && !mh_exhibit_id_valid("Qiantang") && !mh_exhibit_id_valid("") &&
          !mh_exhibit_id_valid("a/b") && !mh_exhibit_id_valid(".."));
}

int main(void)
{
    snprintf(tmp_root, sizeof tmp_root, "/tmp/mh_test_hall_%d", (int)getpid());
    mkdir(tmp_root, 0755);
    test_default_hall();
    test_errors();
    test_booth_limit();
    test_zones();
    test_booth_templates();
    test_broken_exhibit_is_a_placeholder();
    test_json_pointer_escaping();
    test_fact_errors();
    test_media_keys();
    test_landmark_names();
    test_unsafe_files();
    test_budgets();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_root);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmp_root);
    return mh_test_done("test_hall_load");
}
