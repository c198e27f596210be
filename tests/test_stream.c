/* test_stream.c - streamed booth models (hall.json "streaming", issue 23),
 * with no GL: the residency policy (engine/mh_stream.c) on an eye path
 * along a row of booths (the nearest within near_m loads first, one at a
 * time; models beyond far_m are dropped; between the two nothing changes;
 * the resident bytes never pass the budget; a model bigger than the budget
 * never loads; a failed one is not tried again), and the shipped hall built
 * with streaming on: every booth has a stand-in and no model in the hall's
 * scene, and each booth's model builds alone where the merged one stands. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asset/mh_hall_load.h"
#include "core/mh_log.h"
#include "mh_stream.h"
#include "mh_test.h"
#include "scene/mh_scene.h"

#define ROW 10
#define MB (1024u * 1024u)

static const mh_hall_streaming POLICY = {.on = true, .budget_mb = 10, .near_m = 12, .far_m = 20};

/* Booths every 10 m along x (z = 0), each 3 MB (booth 7: 20 MB). */
static void make_row(mh_stream_booth *b)
{
    for (int i = 0; i < ROW; i++)
        b[i] = (mh_stream_booth){.streams = true, .pos = {10.0f * (float)i, 0}, .bytes = 3u * MB};
    b[7].bytes = 20u * MB;
}

static uint64_t resident(const mh_stream_booth *b)
{
    uint64_t n = 0;
    for (int i = 0; i < ROW; i++)
        n += b[i].state == MH_STREAM_IN || b[i].state == MH_STREAM_LOADING ? b[i].bytes : 0;
    return n;
}

/* One frame as the engine runs it: drops at once; a load started now
 * finishes (in) by the next frame. */
static mh_stream_plan frame(mh_stream_booth *b, float x, int *drops)
{
    for (int i = 0; i < ROW; i++)
        if (b[i].state == MH_STREAM_LOADING)
            b[i].state = MH_STREAM_IN;
    mh_stream_plan p = mh_stream_decide(&POLICY, b, ROW, (mh_vec2){x, 0}, true, 16, drops);
    for (int k = 0; k < p.drop_count; k++) {
        CHECK(b[drops[k]].state == MH_STREAM_IN);
        b[drops[k]].state = MH_STREAM_OUT;
    }
    if (p.load >= 0) {
        CHECK(b[p.load].state == MH_STREAM_OUT);
        b[p.load].state = MH_STREAM_LOADING;
    }
    return p;
}

static void test_nearest_first(void)
{
    mh_stream_booth b[ROW];
    int drops[ROW];
    make_row(b);
    /* eye at x = 21: booths 2 (1 m), 3 (9 m) and 1 (11 m) are within 12 m, in that order */
    mh_stream_plan p = frame(b, 21, drops);
    CHECK(p.load == 2 && p.drop_count == 0);
    CHECK(frame(b, 21, drops).load == 3);
    CHECK(frame(b, 21, drops).load == 1);
    p = frame(b, 21, drops);
    CHECK(p.load == -1 && p.drop_count == 0); /* 0 (21 m) and 4 (19 m) are beyond near_m */
    CHECK(b[1].state == MH_STREAM_IN && b[2].state == MH_STREAM_IN && b[3].state == MH_STREAM_IN);
    CHECK(b[0].state == MH_STREAM_OUT && b[4].state == MH_STREAM_OUT);
    /* the worker busy (can_load false): nothing starts */
    b[1].state = MH_STREAM_OUT;
    p = mh_stream_decide(&POLICY, b, ROW, (mh_vec2){21, 0}, false, 16, drops);
    CHECK(p.load == -1);
    /* one load at a time: with a booth loading nothing else starts */
    b[2].state = MH_STREAM_LOADING;
    p = mh_stream_decide(&POLICY, b, ROW, (mh_vec2){21, 0}, true, 16, drops);
    CHECK(p.load == -1);
}

static void test_path_and_budget(void)
{
    mh_stream_booth b[ROW];
    int drops[ROW];
    make_row(b);
    int loads[ROW] = {0}, dropped[ROW] = {0};
    uint64_t budget = (uint64_t)POLICY.budget_mb * MB;
    /* walk from x = -5 to 95 and back, 0.25 m a frame */
    for (int step = 0; step <= 800; step++) {
        float x = step <= 400 ? -5.0f + 0.25f * (float)step : 95.0f - 0.25f * (float)(step - 400);
        mh_stream_plan p = frame(b, x, drops);
        if (p.load >= 0)
            loads[p.load]++;
        for (int k = 0; k < p.drop_count; k++)
            dropped[drops[k]]++;
        CHECK(resident(b) <= budget);
        for (int i = 0; i < ROW; i++) {
            float d = fabsf(b[i].pos.x - x);
            if (b[i].state == MH_STREAM_IN && d > POLICY.far_m) {
                CHECK(!"a model beyond far_m stays in");
                fprintf(stderr, "  booth %d at %.1f m, eye x %.2f\n", i, d, x);
            }
        }
    }
    for (int i = 0; i < ROW; i++) {
        if (i == 7) {
            CHECK(loads[i] == 0); /* 20 MB: more than the whole budget */
            continue;
        }
        /* each came in on the way out and again on the way back, and was
           dropped behind the eye in between; the first two stay in at
           x = -5, the last two stay in over the turn at x = 95 */
        int want_loads = i >= 8 ? 1 : 2, want_drops = i <= 1 || i >= 8 ? 1 : 2;
        CHECK(loads[i] == want_loads);
        CHECK(dropped[i] == want_drops);
        if (loads[i] != want_loads || dropped[i] != want_drops)
            fprintf(stderr, "  booth %d: %d loads, %d drops\n", i, loads[i], dropped[i]);
    }
    CHECK(b[0].state == MH_STREAM_IN && b[1].state == MH_STREAM_IN && b[2].state == MH_STREAM_OUT);
}

/* Over the budget, the farthest goes first, and only for a nearer booth. */
static void test_make_room(void)
{
    mh_stream_booth b[ROW];
    int drops[ROW];
    make_row(b);
    for (int i = 0; i < ROW; i++)
        b[i].bytes = 4u * MB; /* two fit in 10 MB, not three */
    b[3].state = b[5].state = MH_STREAM_IN;
    /* eye at 41: booth 4 (1 m) wants in; 3 (11 m) and 5 (9 m), within far_m: 3 goes, the farther */
    mh_stream_plan p = mh_stream_decide(&POLICY, b, ROW, (mh_vec2){41, 0}, true, 16, drops);
    CHECK(p.load == 4 && p.drop_count == 1 && drops[0] == 3);
    /* eye at 36: booth 4 (4 m) wants in; 3 (6 m) and 5 (14 m): 5 goes, the farther */
    p = mh_stream_decide(&POLICY, b, ROW, (mh_vec2){36, 0}, true, 16, drops);
    CHECK(p.load == 4 && p.drop_count == 1 && drops[0] == 5);
    /* both resident nearer than the candidate: nothing is given up, nothing loads */
    b[5].state = MH_STREAM_OUT;
    b[2].state = MH_STREAM_IN;
    p = mh_stream_decide(&POLICY, b, ROW, (mh_vec2){28, 0}, true, 16, drops); /* 2: 8 m, 3: 2 m; 4 (12 m) wants in */
    CHECK(p.load == -1 && p.drop_count == 0);
    /* a model that turned out bigger than its estimate: over the budget, the farthest is dropped */
    b[2].bytes = 9u * MB;
    p = mh_stream_decide(&POLICY, b, ROW, (mh_vec2){33, 0}, true, 16, drops); /* 2: 13 m, 3: 3 m */
    CHECK(p.drop_count == 1 && drops[0] == 2 && p.load == 4);                 /* then 4 (7 m) fits */
    /* the renderer's slots: with two, the third booth near the eye waits,
       and takes the farther one's slot when it is nearer */
    make_row(b);
    b[2].state = b[3].state = MH_STREAM_IN; /* eye at 27: 3 (3 m), 2 (7 m); 4 (13 m) */
    p = mh_stream_decide(&POLICY, b, ROW, (mh_vec2){27, 0}, true, 2, drops);
    CHECK(p.load == -1 && p.drop_count == 0);
    p = mh_stream_decide(&POLICY, b, ROW, (mh_vec2){34, 0}, true, 2, drops); /* 4 (6 m) nearer than 2 (14 m) */
    CHECK(p.load == 4 && p.drop_count == 1 && drops[0] == 2);
    b[4].state = MH_STREAM_IN; /* three in, two slots (e.g. a smaller renderer): the farthest goes */
    p = mh_stream_decide(&POLICY, b, ROW, (mh_vec2){34, 0}, true, 2, drops);
    CHECK(p.drop_count == 1 && drops[0] == 2);
    /* failed and not-streaming booths are never loaded */
    make_row(b);
    b[2].state = MH_STREAM_FAILED;
    b[3].streams = false;
    p = mh_stream_decide(&POLICY, b, ROW, (mh_vec2){25, 0}, true, 16, drops);
    CHECK(p.load == -1 || (p.load != 2 && p.load != 3));
    CHECK(p.load == -1); /* 1 and 4 are 15 m away, beyond near_m */
}

/* hall.json "streaming": defaults for zero or missing fields, located errors. */
static void test_keys(void)
{
    static const struct {
        const char *json, *where, *says;
    } bad[] = {
        {"[]", "/streaming", "expected an object"},
        {"{\"near\":3}", "/streaming/near", "unknown streaming key"},
        {"{\"budget_mb\":-1}", "/streaming/budget_mb", "expected a number from 0 (the default) to 65536"},
        {"{\"near_m\":\"9\"}", "/streaming/near_m", "expected a number"},
        {"{\"far_m\":1e9}", "/streaming/far_m", "to 10000"},
        {"{\"near_m\":30,\"far_m\":20}", "/streaming/far_m", "far_m (20.0 m) must be beyond near_m (30.0 m)"},
    };
    const char *head = "{\"format\":\"metahall-hall/1\",\"name_zh\":\"x\",\"name_en\":\"x\","
                       "\"entrance\":{\"position\":[0,0]}";
    mh_arena a = {.block_size = 64u * 1024u};
    mh_hall_desc h;
    mh_error e;
    char text[512];
    snprintf(text, sizeof text, "%s}", head);
    CHECK(mh_hall_parse(text, strlen(text), "/tmp/h", &a, &h, &e) && !h.streaming.on);
    snprintf(text, sizeof text, "%s,\"streaming\":{}}", head);
    CHECK(mh_hall_parse(text, strlen(text), "/tmp/h", &a, &h, &e) && h.streaming.on);
    CHECK_NEAR(h.streaming.budget_mb, MH_STREAM_BUDGET_MB, 1e-6);
    CHECK_NEAR(h.streaming.near_m, MH_STREAM_NEAR_M, 1e-6);
    CHECK_NEAR(h.streaming.far_m, MH_STREAM_FAR_M, 1e-6);
    snprintf(text, sizeof text, "%s,\"streaming\":{\"budget_mb\":8,\"near_m\":30,\"far_m\":0}}", head);
    CHECK(mh_hall_parse(text, strlen(text), "/tmp/h", &a, &h, &e));
    CHECK_NEAR(h.streaming.budget_mb, 8, 1e-6);
    CHECK_NEAR(h.streaming.far_m, 45, 1e-4); /* far_m's default keeps beyond a larger near_m */
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(text, sizeof text, "%s,\"streaming\":%s}", head, bad[i].json);
        memset(&e, 0, sizeof e);
        CHECK(!mh_hall_parse(text, strlen(text), "/tmp/h", &a, &h, &e));
        CHECK(!strcmp(e.where, bad[i].where));
        CHECK_STR_CONTAINS(e.message, bad[i].says);
    }
    mh_arena_free(&a);
}

/* The shipped hall with streaming on: stand-ins in, models out. */
static void test_hall_scene(void)
{
    mh_arena a = {.block_size = 256u * 1024u};
    mh_hall_desc h;
    mh_error err;
    if (!mh_hall_load(MH_SOURCE_ASSETS "/halls/default", &a, &h, &err)) {
        char text[1024];
        fprintf(stderr, "%s\n", mh_error_text(&err, text, sizeof text));
        CHECK(!"the default hall loads");
        return;
    }
    CHECK(!h.streaming.on); /* the shipped hall merges its models */
    mh_scene whole, streamed;
    CHECK(mh_scene_build(&whole, &h, (mh_sign_text){0}, &a, &err));
    CHECK(whole.stand_ins == NULL);
    h.streaming = (mh_hall_streaming){.on = true, .budget_mb = 64, .near_m = 16, .far_m = 24};
    CHECK(mh_scene_build(&streamed, &h, (mh_sign_text){0}, &a, &err));
    CHECK(streamed.stand_ins != NULL);
    CHECK(streamed.mesh.index_count < whole.mesh.index_count);
    uint32_t model_triangles = 0;
    for (int i = 0; i < h.booth_count; i++) {
        CHECK(mh_scene_booth_streams(&h, i));
        int first = streamed.stand_ins ? streamed.stand_ins[2 * i] : 0;
        int end = streamed.stand_ins ? streamed.stand_ins[2 * i + 1] : 0;
        CHECK(end == first + 1); /* no landmark shapes: one neutral block */
        for (int k = first; k < end; k++) {
            CHECK(streamed.chunks[k].index_count == 36 && streamed.chunks[k].group == i);
            CHECK(!streamed.chunks[k].hidden);
        }
        mh_scene m;
        if (!mh_scene_build_booth_model(&m, &h, i, &err)) {
            CHECK(!"a booth's model builds alone");
            continue;
        }
        /* it stands on the plinth, landmark-sized (the fit is 2.6 x 2.2 x 1.9 m; an exhibit may scale its model) */
        mh_vec3 p = mh_scene_booth_plinth(&h, i);
        CHECK(m.chunk_count >= 1 && m.mesh.index_count > 0);
        CHECK(fabsf(m.bounds.min.y - p.y) < 0.05f && m.bounds.max.y - p.y <= 3.0f);
        if (!(fabsf(m.bounds.min.y - p.y) < 0.05f && m.bounds.max.y - p.y <= 3.0f))
            fprintf(stderr, "  booth %s: y %.3f..%.3f, plinth %.3f\n", h.booths[i].exhibit.id, m.bounds.min.y,
                    m.bounds.max.y, p.y);
        CHECK(m.bounds.min.x > p.x - 1.8f && m.bounds.max.x < p.x + 1.8f);
        CHECK(m.bounds.min.z > p.z - 1.8f && m.bounds.max.z < p.z + 1.8f);
        CHECK(m.turn_count == (h.booth_turn_deg_s != 0 || h.booths[i].exhibit.turn_set));
        model_triangles += m.mesh.index_count / 3;
        mh_scene_free(&m);
    }
    /* the models left out of the hall are what the booths build alone (less their coarser levels) */
    CHECK(model_triangles > 1000);
    /* an exhibit with landmark shapes keeps them as its stand-in (nothing to hide) */
    mh_shape_desc drum = {.kind = MH_SHAPE_CYLINDER,
                          .top = 1,
                          .size = mh_v3(1, 1.5f, 1),
                          .color = mh_v3(0.8f, 0.2f, 0.1f),
                          .segments = 12};
    h.booths[0].exhibit.landmark = &drum;
    h.booths[0].exhibit.landmark_count = 1;
    mh_scene shapes;
    CHECK(mh_scene_build(&shapes, &h, (mh_sign_text){0}, &a, &err));
    CHECK(shapes.stand_ins && shapes.stand_ins[0] == shapes.stand_ins[1]);
    CHECK(shapes.stand_ins && shapes.stand_ins[2] + 1 == shapes.stand_ins[3]); /* booth 1: its block */
    CHECK(shapes.mesh.index_count > streamed.mesh.index_count);                /* the drum is in */
    mh_scene_free(&shapes);
    mh_scene_free(&whole);
    mh_scene_free(&streamed);
    mh_arena_free(&a);
}

int main(void)
{
    mh_log_set_level(MH_LOG_WARN);
    test_nearest_first();
    test_path_and_budget();
    test_make_room();
    test_keys();
    test_hall_scene();
    return mh_test_done("test_stream");
}
