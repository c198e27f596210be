/* test_frame_stats.c - the frame-time ring (platform/mh_frame_stats.c):
 * percentiles as element floor(n * q) of the sorted times, the last n when
 * the ring has wrapped, phases with a mark and the worst frame since it,
 * frames a second over the last second, and an empty ring. */
#include "mh_frame_stats.h"
#include "mh_test.h"

#define CAP 100

typedef struct ring {
    mh_frame_stats s;
    float ms[CAP], scratch[CAP];
    double at[CAP];
} ring;

static void ring_init(ring *r, bool with_at)
{
    mh_frame_stats_init(&r->s, &(mh_frame_stats_desc){.ms = r->ms,
                                                      .scratch = r->scratch,
                                                      .at = with_at ? r->at : NULL,
                                                      .capacity = CAP});
}

static void test_empty(void)
{
    ring r;
    ring_init(&r, true);
    mh_frame_summary s = mh_frame_stats_last(&r.s, CAP);
    CHECK(s.frames == 0);
    CHECK(s.median_ms == 0 && s.p99_ms == 0 && s.worst_ms == 0 && s.mean_ms == 0);
    CHECK(mh_frame_stats_fps(&r.s, 1.0) == 0);
    mh_frame_stats_push(&r.s, 16, 0.016);
    CHECK(mh_frame_stats_fps(&r.s, 1.0) == 0); /* one frame: no interval yet */
    s = mh_frame_stats_last(&r.s, CAP);
    CHECK(s.frames == 1 && s.median_ms == 16 && s.p99_ms == 16 && s.worst_ms == 16 && s.mean_ms == 16);
}

/* 1..100 pushed in a shuffled order: the sorted copy decides, not the order. */
static void test_percentiles(void)
{
    ring r;
    ring_init(&r, false);
    for (int i = 0; i < CAP; i++)
        mh_frame_stats_push(&r.s, (float)((i * 37) % CAP + 1), 0);
    mh_frame_summary s = mh_frame_stats_last(&r.s, CAP);
    CHECK(s.frames == CAP);
    CHECK(s.median_ms == 51); /* element 50 of 1..100 */
    CHECK(s.p99_ms == 100);   /* element 99 */
    CHECK(s.worst_ms == 100);
    CHECK_NEAR(s.mean_ms, 50.5, 1e-4);
    /* the last 10 pushed: (90..99) * 37 % 100 + 1 */
    s = mh_frame_stats_last(&r.s, 10);
    float want_worst = 0, sum = 0;
    for (int i = 90; i < CAP; i++) {
        float v = (float)((i * 37) % CAP + 1);
        sum += v;
        want_worst = v > want_worst ? v : want_worst;
    }
    CHECK(s.frames == 10);
    CHECK(s.worst_ms == want_worst);
    CHECK_NEAR(s.mean_ms, sum / 10, 1e-4);
}

/* 250 frames through a ring of 100: the figures cover the last 100 only. */
static void test_wraps(void)
{
    ring r;
    ring_init(&r, false);
    for (int i = 0; i < 250; i++)
        mh_frame_stats_push(&r.s, i < 150 ? 1000.0f : (float)(i - 149), 0); /* 1..100 last */
    CHECK(r.s.count == 250);
    mh_frame_summary s = mh_frame_stats_last(&r.s, 1000);
    CHECK(s.frames == CAP);
    CHECK(s.worst_ms == 100); /* the 1000 ms frames left the ring */
    CHECK(s.median_ms == 51);
}

/* A phase longer than the ring: its summary is the ring's worth, but the
 * worst frame since the mark is remembered beyond it. */
static void test_mark(void)
{
    ring r;
    ring_init(&r, false);
    for (int i = 0; i < 20; i++)
        mh_frame_stats_push(&r.s, 5, 0);
    CHECK(mh_frame_stats_since_mark(&r.s).frames == 20);
    mh_frame_stats_mark(&r.s);
    CHECK(mh_frame_stats_since_mark(&r.s).frames == 0);
    CHECK(r.s.worst_since_mark == 0);
    mh_frame_stats_push(&r.s, 80, 0); /* the spike, then 150 quiet frames */
    for (int i = 0; i < 150; i++)
        mh_frame_stats_push(&r.s, 10, 0);
    mh_frame_summary s = mh_frame_stats_since_mark(&r.s);
    CHECK(s.frames == CAP);
    CHECK(s.worst_ms == 10);           /* the spike is out of the ring */
    CHECK(r.s.worst_since_mark == 80); /* but not forgotten */
    mh_frame_stats_mark(&r.s);
    mh_frame_stats_push(&r.s, 12, 0);
    CHECK(r.s.worst_since_mark == 12);
    s = mh_frame_stats_since_mark(&r.s);
    CHECK(s.frames == 1 && s.worst_ms == 12);
}

/* 60 frames a second for 2 s, then 30 a second for 1 s: the last second's rate. */
static void test_fps(void)
{
    ring r;
    ring_init(&r, true);
    double t = 0;
    for (int i = 0; i < 120; i++)
        mh_frame_stats_push(&r.s, 16, t += 1.0 / 60.0);
    CHECK_NEAR(mh_frame_stats_fps(&r.s, 1.0), 60.0, 0.01);
    for (int i = 0; i < 30; i++)
        mh_frame_stats_push(&r.s, 33, t += 1.0 / 30.0);
    CHECK_NEAR(mh_frame_stats_fps(&r.s, 1.0), 30.0, 0.01);
    /* without timestamps there is no rate */
    ring q;
    ring_init(&q, false);
    for (int i = 0; i < 10; i++)
        mh_frame_stats_push(&q.s, 16, i);
    CHECK(mh_frame_stats_fps(&q.s, 1.0) == 0);
}

int main(void)
{
    test_empty();
    test_percentiles();
    test_wraps();
    test_mark();
    test_fps();
    return mh_test_done("test_frame_stats");
}
