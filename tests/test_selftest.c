/* test_selftest.c - the self-test frame's check (platform/mh_selftest.c):
 * one colour fails whatever the colour, noise within the tolerance is still
 * one colour, one pixel past it anywhere (the last one too) passes, the
 * counts and the sentences, an empty frame fails. */
#include <stdlib.h>
#include <string.h>

#include "mh_selftest.h"
#include "mh_test.h"

#define W 64
#define H 36

static uint8_t frame[W * H * 4];

static void fill(uint8_t r, uint8_t g, uint8_t b)
{
    for (int i = 0; i < W * H; i++) {
        frame[i * 4] = r;
        frame[i * 4 + 1] = g;
        frame[i * 4 + 2] = b;
        frame[i * 4 + 3] = 255;
    }
}

static void test_one_colour(void)
{
    static const uint8_t colours[][3] = {{0, 0, 0}, {255, 255, 255}, {6, 8, 15}, {200, 10, 90}};
    char why[200];
    long n = -1;
    for (int i = 0; i < 4; i++) {
        fill(colours[i][0], colours[i][1], colours[i][2]);
        CHECK(!mh_selftest_frame(frame, W, H, &n, why, sizeof why));
        CHECK(n == 0);
    }
    CHECK(strcmp(why, "64x36, one colour: #c80a5a") == 0);
    /* alpha does not count: a frame that differs only there is one colour */
    frame[100 * 4 + 3] = 0;
    CHECK(!mh_selftest_frame(frame, W, H, NULL, why, sizeof why));
}

static void test_tolerance(void)
{
    char why[200];
    long n = -1;
    fill(100, 100, 100);
    for (int i = 7; i < W * H; i += 7) /* dither within the tolerance (the first pixel is the reference) */
        frame[i * 4 + (i % 3)] = (uint8_t)(100 + ((i & 1) ? MH_SELFTEST_TOLERANCE : -MH_SELFTEST_TOLERANCE));
    CHECK(!mh_selftest_frame(frame, W, H, &n, why, sizeof why));
    CHECK(n == 0);
    frame[(W * H - 1) * 4 + 2] = 100 + MH_SELFTEST_TOLERANCE + 1; /* the last pixel, blue, just past it */
    CHECK(mh_selftest_frame(frame, W, H, &n, why, sizeof why));
    CHECK(n == 1);
}

static void test_counts(void)
{
    char why[200];
    long n = 0;
    fill(0, 0, 0);
    for (int i = 0; i < W * H / 4; i++) /* a quarter of the frame white */
        memset(frame + (size_t)i * 4, 255, 3);
    frame[0] = frame[1] = frame[2] = 0; /* the first pixel decides the reference colour */
    CHECK(mh_selftest_frame(frame, W, H, &n, why, sizeof why));
    CHECK(n == W * H / 4 - 1);
    CHECK(strcmp(why, "64x36, 25.0 % of the pixels differ from #000000") == 0);
}

static void test_empty(void)
{
    char why[200];
    long n = -1;
    CHECK(!mh_selftest_frame(frame, 0, 0, &n, why, sizeof why));
    CHECK(n == 0);
    CHECK(strcmp(why, "an empty frame (0x0)") == 0);
}

int main(void)
{
    test_one_colour();
    test_tolerance();
    test_counts();
    test_empty();
    return mh_test_done("test_selftest");
}
