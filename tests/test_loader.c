/* test_loader.c - load jobs on the worker thread (engine/mh_loader.c): a
 * FEATURE job builds an exhibit's stage landmark; a newer request or
 * shutdown cancels a job, which then ends early with cancelled set and
 * nothing built (issue 15: one slow load blocked every later SWITCH). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/mh_log.h"
#include "mh_loader.h"
#include "mh_test.h"

static char tmp_root[256];

static void write_bytes(const char *rel, const void *data, size_t n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmp_root, rel);
    for (char *p = path + strlen(tmp_root) + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0755);
            *p = '/';
        }
    FILE *f = fopen(path, "wb");
    fwrite(data, 1, n, f);
    fclose(f);
}

static void write_text(const char *rel, const char *text) { write_bytes(rel, text, strlen(text)); }

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* A GLB of `prims` primitives of a `grid` x `grid` quad grid each: big enough
 * that loading it takes a while, within the default budgets. */
static void write_big_glb(const char *rel, int prims, int grid)
{
    uint32_t verts = (uint32_t)((grid + 1) * (grid + 1)), idx = (uint32_t)(grid * grid * 6);
    size_t vbytes = verts * 12u, ibytes = idx * 4u, bin = vbytes + ibytes;
    uint8_t *b = malloc(bin);
    float *v = (float *)b;
    for (int y = 0; y <= grid; y++)
        for (int x = 0; x <= grid; x++) {
            float *p = v + 3 * (y * (grid + 1) + x);
            p[0] = (float)x / grid;
            p[1] = 0;
            p[2] = (float)y / grid;
        }
    uint32_t *ix = (uint32_t *)(b + vbytes);
    for (int y = 0, k = 0; y < grid; y++)
        for (int x = 0; x < grid; x++) {
            uint32_t a = (uint32_t)(y * (grid + 1) + x), c = a + (uint32_t)grid + 1;
            uint32_t q[6] = {a, c, a + 1, a + 1, c, c + 1};
            memcpy(ix + k, q, sizeof q);
            k += 6;
        }
    char json[65536];
    int n = snprintf(
        json, sizeof json,
        "{\"asset\":{\"version\":\"2.0\"},\"buffers\":[{\"byteLength\":%zu}],"
        "\"bufferViews\":[{\"buffer\":0,\"byteLength\":%zu},{\"buffer\":0,\"byteOffset\":%zu,\"byteLength\":%zu}],"
        "\"accessors\":[{\"bufferView\":0,\"componentType\":5126,\"count\":%u,\"type\":\"VEC3\","
        "\"min\":[0,0,0],\"max\":[1,0,1]},{\"bufferView\":1,\"componentType\":5125,\"count\":%u,\"type\":\"SCALAR\"}],"
        "\"meshes\":[",
        bin, vbytes, vbytes, ibytes, verts, idx);
    for (int m = 0; m < prims; m++)
        n += snprintf(json + n, sizeof json - (size_t)n,
                      "%s{\"primitives\":[{\"attributes\":{\"POSITION\":0},\"indices\":1}]}", m ? "," : "");
    n += snprintf(json + n, sizeof json - (size_t)n, "],\"nodes\":[");
    for (int m = 0; m < prims; m++)
        n += snprintf(json + n, sizeof json - (size_t)n, "%s{\"mesh\":%d}", m ? "," : "", m);
    n += snprintf(json + n, sizeof json - (size_t)n, "]}");
    while (n % 4)
        json[n++] = ' ';
    uint32_t head[5] = {0x46546C67u, 2, (uint32_t)(12 + 8 + n + 8 + bin), (uint32_t)n, 0x4E4F534Au};
    uint32_t bh[2] = {(uint32_t)bin, 0x004E4942u};
    size_t total = 20 + (size_t)n + 8 + bin;
    uint8_t *glb = malloc(total);
    memcpy(glb, head, 20);
    memcpy(glb + 20, json, (size_t)n);
    memcpy(glb + 20 + n, bh, 8);
    memcpy(glb + 28 + n, b, bin);
    write_bytes(rel, glb, total);
    free(glb);
    free(b);
}

static void wait_done(mh_load_job *j)
{
    while (!mh_load_done(j))
        usleep(2000);
}

static void test_cancel(void)
{
    write_big_glb("exhibits/big/landmark.glb", 24, 110); /* 24 x 24200 = 580800 triangles */
    write_text("exhibits/big/exhibit.json", "{\"format\":\"metahall-exhibit/1\",\"id\":\"big\",\"name_zh\":\"大\","
                                            "\"name_en\":\"Big\",\"model\":\"landmark.glb\"}");
    write_text("hall/hall.json", "{\"format\":\"metahall-hall/1\",\"name_zh\":\"测试\",\"name_en\":\"Test\","
                                 "\"exhibits_dir\":\"../exhibits\",\"entrance\":{\"position\":[0,5]},"
                                 "\"booths\":[{\"exhibit\":\"big\",\"position\":[4,0]}]}");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/hall", tmp_root);
    mh_arena arena = {0};
    mh_hall_desc hall;
    mh_error err;
    CHECK(mh_hall_load(dir, &arena, &hall, &err));
    /* the whole load, as a reference */
    mh_load_job *j = calloc(1, sizeof *j);
    *j = (mh_load_job){.kind = MH_LOAD_FEATURE, .hall = &hall};
    snprintf(j->exhibit, sizeof j->exhibit, "big");
    CHECK(mh_load_start(j));
    wait_done(j);
    CHECK(j->ok && j->has_feature && !j->cancelled);
    CHECK(j->feature.mesh.index_count >= 580800 * 3);
    double full = j->seconds;
    mh_load_discard(j);
    /* cancelled as soon as it starts: ends with nothing built */
    memset(j, 0, sizeof *j);
    *j = (mh_load_job){.kind = MH_LOAD_FEATURE, .hall = &hall};
    snprintf(j->exhibit, sizeof j->exhibit, "big");
    CHECK(mh_load_start(j));
    mh_load_cancel(j);
    wait_done(j);
    CHECK(!j->ok && j->cancelled && !j->has_feature);
    CHECK_STR_CONTAINS(j->err.message, "cancelled");
    CHECK(j->seconds < full);
    mh_load_discard(j);
    /* cancelled part way through: it stops well before a whole load's time
     * (wall times: on a loaded machine one try may be held up, so up to
     * three tries, each cancelled, and one must stop early) */
    double after = 1e9;
    for (int attempt = 0; attempt < 3 && after >= full * 0.75; attempt++) {
        memset(j, 0, sizeof *j);
        *j = (mh_load_job){.kind = MH_LOAD_FEATURE, .hall = &hall};
        snprintf(j->exhibit, sizeof j->exhibit, "big");
        CHECK(mh_load_start(j));
        usleep((useconds_t)(full * 0.25 * 1e6));
        double t0 = now_s();
        mh_load_cancel(j);
        wait_done(j);
        after = now_s() - t0;
        CHECK(j->cancelled && !j->ok);
        printf("test_loader: whole load %.0f ms; stopped %.0f ms after the cancel\n", full * 1000, after * 1000);
        mh_load_discard(j);
    }
    CHECK(after < full * 0.75);
    /* a RELOAD stopped by shutdown: discard cancels and waits */
    memset(j, 0, sizeof *j);
    *j = (mh_load_job){.kind = MH_LOAD_HALL};
    snprintf(j->hall_dir, sizeof j->hall_dir, "%s", dir);
    CHECK(mh_load_start(j));
    double t0 = now_s();
    mh_load_discard(j);
    CHECK(now_s() - t0 < full + 1.0);
    CHECK(j->arena.head == NULL);
    /* a hall that allows fewer triangles than the model draws: refused from the
     * model's declared counts, with the budget named */
    write_text("hall/hall.json", "{\"format\":\"metahall-hall/1\",\"name_zh\":\"测试\",\"name_en\":\"Test\","
                                 "\"exhibits_dir\":\"../exhibits\",\"entrance\":{\"position\":[0,5]},"
                                 "\"budgets\":{\"hall_triangles\":100000},"
                                 "\"booths\":[{\"exhibit\":\"big\",\"position\":[4,0]}]}");
    mh_arena small = {0};
    mh_hall_desc limited;
    CHECK(mh_hall_load(dir, &small, &limited, &err));
    memset(j, 0, sizeof *j);
    *j = (mh_load_job){.kind = MH_LOAD_FEATURE, .hall = &limited};
    snprintf(j->exhibit, sizeof j->exhibit, "big");
    CHECK(mh_load_start(j));
    wait_done(j);
    CHECK(!j->ok && !j->cancelled);
    CHECK_STR_CONTAINS(j->err.message, "the scene draws 580800 triangles, more than the budget of 100000");
    CHECK(j->seconds < full);
    mh_load_discard(j);
    mh_arena_free(&small);
    free(j);
    mh_arena_free(&arena);
}

int main(void)
{
    mh_log_set_level(MH_LOG_ERROR + 1); /* the cancelled loads' errors are expected */
    snprintf(tmp_root, sizeof tmp_root, "/tmp/mh_test_loader_%d", (int)getpid());
    mkdir(tmp_root, 0755);
    test_cancel();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_root);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmp_root);
    return mh_test_done("test_loader");
}
