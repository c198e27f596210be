/* mh_stream.c - the residency policy of streamed booth models (mh_stream.h):
 * which to drop and which to load next, from the eye and the budget. */
#include "mh_stream.h"

#include <math.h>

static float dist(const mh_stream_booth *b, mh_vec2 eye) { return hypotf(b->pos.x - eye.x, b->pos.y - eye.y); }

static bool listed(const int *drops, int k, int i)
{
    for (int j = 0; j < k; j++)
        if (drops[j] == i)
            return true;
    return false;
}

/* The resident model farthest from the eye and beyond `beyond` metres that
 * is not dropped yet; -1 when none. */
static int farthest_in(const mh_stream_booth *b, int n, mh_vec2 eye, float beyond, const int *drops, int k)
{
    int best = -1;
    float best_d = beyond;
    for (int i = 0; i < n; i++) {
        float d = dist(&b[i], eye);
        if (b[i].state == MH_STREAM_IN && d > best_d && !listed(drops, k, i)) {
            best = i;
            best_d = d;
        }
    }
    return best;
}

/* The nearest booth within near_m whose model should come in and could fit. */
static int nearest_out(const mh_hall_streaming *s, const mh_stream_booth *b, int n, mh_vec2 eye, uint64_t budget)
{
    int best = -1;
    float best_d = s->near_m;
    for (int i = 0; i < n; i++) {
        float d = dist(&b[i], eye);
        if (b[i].streams && b[i].state == MH_STREAM_OUT && b[i].bytes <= budget && d <= best_d) {
            best = i;
            best_d = d;
        }
    }
    return best;
}

mh_stream_plan mh_stream_decide(const mh_hall_streaming *s, const mh_stream_booth *b, int n, mh_vec2 eye, bool can_load,
                                int slots, int *drops)
{
    mh_stream_plan p = {.load = -1};
    uint64_t budget = (uint64_t)((double)s->budget_mb * 1048576.0), used = 0;
    bool loading = false;
    int count = 0; /* models in or loading */
    for (int i = 0; i < n; i++) {
        loading = loading || b[i].state == MH_STREAM_LOADING;
        if (b[i].state == MH_STREAM_IN || b[i].state == MH_STREAM_LOADING) {
            used += b[i].bytes;
            count++;
        }
        if (b[i].state == MH_STREAM_IN && dist(&b[i], eye) > s->far_m) {
            drops[p.drop_count++] = i;
            used -= b[i].bytes;
            count--;
        }
    }
    for (int f; (used > budget || count > slots) && (f = farthest_in(b, n, eye, -1.0f, drops, p.drop_count)) >= 0;) {
        drops[p.drop_count++] = f;
        used -= b[f].bytes;
        count--;
    }
    int c = can_load && !loading ? nearest_out(s, b, n, eye, budget) : -1;
    if (c < 0)
        return p;
    int kept = p.drop_count;
    float dc = dist(&b[c], eye);
    for (int f; (used + b[c].bytes > budget || count >= slots) &&
                (f = farthest_in(b, n, eye, dc, drops, p.drop_count)) >= 0;) {
        drops[p.drop_count++] = f;
        used -= b[f].bytes;
        count--;
    }
    if (used + b[c].bytes <= budget && count < slots)
        p.load = c;
    else
        p.drop_count = kept; /* no room even so: nothing nearer is given up for it */
    return p;
}
