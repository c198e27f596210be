/* test_cull.c - which chunks a frame draws (engine/scene/mh_cull.c), with
 * no GL: the frustum keeps what is in front and drops what is behind or
 * beside, the drawn chunks come front to back, a stereo pair draws what
 * either eye sees, an eye inside a cell draws only that cell, levels of
 * detail follow the chunk's size on screen, the item buffer never
 * overflows; and on the shipped hall, 100 booths stacked as storeys draw
 * exactly what the 13-booth hall draws from the ground floor; 1000 booths
 * on one floor (mh_hall_spread) stand apart, outside the plaza, inside the
 * walls, and their grid draws at most 300 chunks from anywhere on the
 * bench's orbit, each booth once (its chunks or a proxy). Also the
 * renderer's handles (engine/core/mh_pool.c): a stale one finds nothing. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asset/mh_hall_load.h"
#include "core/mh_pool.h"
#include "include/metahall.h"
#include "mh_test.h"
#include "scene/mh_cull.h"
#include "scene/mh_scene_internal.h"

#define W 1280
#define H 720

static mh_mat4 proj(void) { return mh_m4_perspective(mh_radians(60.0f), (float)W / (float)H, 0.05f, 250.0f); }

/* One view from eye toward target. */
static mh_cull_desc one_view(mh_vec3 eye, mh_vec3 target)
{
    mh_cull_desc d = {.view_count = 1, .px_per_radian = proj().m[5] * (float)H * 0.5f};
    d.view_proj[0] = mh_m4_mul(proj(), mh_m4_look_at(eye, target, mh_v3(0, 1, 0)));
    d.eyes[0] = eye;
    return d;
}

static mh_aabb box(float x, float y, float z, float half)
{
    return (mh_aabb){mh_v3(x - half, y - half, z - half), mh_v3(x + half, y + half, z + half)};
}

/* A scene of chunks with only their boxes (culling reads nothing else). */
typedef struct fake {
    mh_scene sc;
    mh_scene_chunk chunks[8];
    mh_scene_cell cells[2];
} fake;

static void fake_init(fake *f, const mh_aabb *boxes, int n)
{
    memset(f, 0, sizeof *f);
    for (int i = 0; i < n; i++)
        f->chunks[i] = (mh_scene_chunk){.index_count = 3, .bounds = boxes[i], .group = MH_SCENE_GROUP_HALL};
    f->sc.chunks = f->chunks;
    f->sc.chunk_count = n;
}

static void test_frustum_and_order(void)
{
    /* looking down -Z from 1.6 m: 0 near in front, 1 behind, 2 far off to
     * the left, 3 far in front, 4 just in front, 5 beyond the far plane */
    mh_aabb boxes[] = {box(0, 1.6f, -10, 1), box(0, 1.6f, 10, 1),     box(-60, 1.6f, -10, 1),
                       box(1, 1.6f, -40, 1), box(-1, 1.6f, -4, 0.5f), box(0, 1.6f, -400, 1)};
    fake f;
    fake_init(&f, boxes, 6);
    mh_cull_desc d = one_view(mh_v3(0, 1.6f, 0), mh_v3(0, 1.6f, -1));
    mh_cull_item items[8];
    int n = mh_cull_chunks(&f.sc, &d, items, 8);
    CHECK(n == 3);
    CHECK(n == 3 && items[0].chunk == 4 && items[1].chunk == 0 && items[2].chunk == 3); /* front to back */
    CHECK(n == 3 && items[0].depth < items[1].depth && items[1].depth < items[2].depth);
    CHECK_NEAR(items[1].depth, 100.0, 1e-3); /* squared distance to the box centre */
    /* turned around, only the one behind */
    d = one_view(mh_v3(0, 1.6f, 0), mh_v3(0, 1.6f, 1));
    n = mh_cull_chunks(&f.sc, &d, items, 8);
    CHECK(n == 1 && items[0].chunk == 1);
    /* a buffer smaller than the scene takes the first chunks only, never more */
    d = one_view(mh_v3(0, 1.6f, 0), mh_v3(0, 1.6f, -1));
    n = mh_cull_chunks(&f.sc, &d, items, 2);
    CHECK(n == 1 && items[0].chunk == 0);
}

/* Two eyes: a chunk either sees is drawn, sorted from the eyes' midpoint. */
static void test_stereo(void)
{
    mh_aabb boxes[] = {box(-30, 1.6f, -5, 1), box(30, 1.6f, -5, 1), box(0, 1.6f, 30, 1)};
    fake f;
    fake_init(&f, boxes, 3);
    mh_cull_desc left = one_view(mh_v3(-0.03f, 1.6f, 0), mh_v3(-1, 1.6f, -0.2f)); /* looking left */
    mh_cull_desc right = one_view(mh_v3(0.03f, 1.6f, 0), mh_v3(1, 1.6f, -0.2f));  /* looking right */
    mh_cull_item items[4];
    CHECK(mh_cull_chunks(&f.sc, &left, items, 4) == 1 && items[0].chunk == 0);
    CHECK(mh_cull_chunks(&f.sc, &right, items, 4) == 1 && items[0].chunk == 1);
    mh_cull_desc both = left;
    both.view_count = 2;
    both.view_proj[1] = right.view_proj[0];
    both.eyes[1] = right.eyes[0];
    int n = mh_cull_chunks(&f.sc, &both, items, 4);
    CHECK(n == 2);
    CHECK(n == 2 && items[0].depth == items[1].depth); /* equally far from the midpoint */
    CHECK_NEAR(items[0].depth, 30.0 * 30.0 + 25.0, 1e-2);
}

/* Cells: every eye inside one cell's interior draws only that cell's chunks. */
static void test_cells(void)
{
    mh_aabb boxes[] = {box(0, 1.6f, -10, 1), box(2, 1.6f, -20, 1), box(0, 11.6f, -10, 1), box(2, 11.6f, -20, 1)};
    fake f;
    fake_init(&f, boxes, 4);
    f.cells[0] = (mh_scene_cell){{mh_v3(-50, 0, -50), mh_v3(50, 10, 50)}, 0, 2};
    f.cells[1] = (mh_scene_cell){{mh_v3(-50, 10, -50), mh_v3(50, 20, 50)}, 2, 4};
    f.sc.cells = f.cells;
    f.sc.cell_count = 2;
    int first, end;
    mh_vec3 ground = mh_v3(0, 1.6f, 0), upstairs = mh_v3(0, 11.6f, 0), roof = mh_v3(0, 25, 0);
    mh_cull_candidates(&f.sc, &ground, 1, &first, &end);
    CHECK(first == 0 && end == 2);
    mh_cull_candidates(&f.sc, &upstairs, 1, &first, &end);
    CHECK(first == 2 && end == 4);
    mh_cull_candidates(&f.sc, &roof, 1, &first, &end);
    CHECK(first == 0 && end == 4);
    mh_vec3 split[2] = {ground, upstairs}; /* eyes in different cells: everything */
    mh_cull_candidates(&f.sc, split, 2, &first, &end);
    CHECK(first == 0 && end == 4);
    /* from the ground floor, looking up at a slant so the upper chunks are in
     * the frustum too: the cell still keeps them out */
    mh_cull_desc d = one_view(ground, mh_v3(0, 6.6f, -10));
    mh_cull_item items[4];
    int n = mh_cull_chunks(&f.sc, &d, items, 4);
    CHECK(n == 2 && items[0].chunk == 0 && items[1].chunk == 1);
    f.sc.cell_count = 0;
    CHECK(mh_cull_chunks(&f.sc, &d, items, 4) == 4);
}

/* A 10 m chunk: full detail close, the first coarser level farther, the
 * coarsest far away; a chunk without levels always draws in full. */
static void test_lod(void)
{
    float ppr = proj().m[5] * (float)H * 0.5f; /* ~623 pixels per radian */
    mh_scene_chunk c = {.bounds = box(0, 0, 0, 5), .lod_count = {30, 9}};
    float px_at_1 = 10.0f * ppr; /* its size on screen at 1 m */
    float d_full = px_at_1 / 110.0f, d_mid = px_at_1 / 90.0f, d_far = px_at_1 / 30.0f;
    CHECK(mh_cull_pick_lod(&c, d_full * d_full, ppr) == 0); /* 110 px on screen */
    CHECK(mh_cull_pick_lod(&c, d_mid * d_mid, ppr) == 1);   /* 90 */
    CHECK(mh_cull_pick_lod(&c, d_far * d_far, ppr) == 2);   /* 30 */
    c.lod_count[1] = 0;
    CHECK(mh_cull_pick_lod(&c, d_far * d_far, ppr) == 1);
    c.lod_count[1] = 9, c.lod_count[0] = 0; /* the first level saved too little: the second still serves */
    CHECK(mh_cull_pick_lod(&c, d_mid * d_mid, ppr) == 0);
    CHECK(mh_cull_pick_lod(&c, d_far * d_far, ppr) == 2);
    c.lod_count[1] = 0;
    CHECK(mh_cull_pick_lod(&c, d_far * d_far, ppr) == 0);
    CHECK(mh_cull_pick_lod(&c, 0, ppr) == 0); /* inside the chunk */
    /* no size on screen (the light's capture): the coarsest level kept, even inside */
    c.lod_count[0] = 30, c.lod_count[1] = 9;
    CHECK(mh_cull_pick_lod(&c, 0, 0) == 2 && mh_cull_pick_lod(&c, d_full * d_full, 0) == 2);
    c.lod_count[1] = 0;
    CHECK(mh_cull_pick_lod(&c, d_full * d_full, 0) == 1);
    c.lod_count[0] = 0;
    CHECK(mh_cull_pick_lod(&c, d_full * d_full, 0) == 0);
}

/* A turning landmark (a booth's "turn"): its box turns with it and is half
 * as wide again at 45 degrees, but the landmark is no bigger, so its level
 * of detail stays the one it has at rest all the way round; so does an
 * animated model's part. */
static void test_lod_turning(void)
{
    float ppr = proj().m[5] * (float)H * 0.5f;
    mh_scene_chunk chunk = {.bounds = box(0, 0, 0, 5), .lod_count = {30, 9}, .motion = -1};
    mh_scene sc = {.chunks = &chunk, .chunk_count = 1};
    mh_scene_note_turn(&sc, 0, 1, mh_v3(0, 0, 0), 30.0f);
    mh_scene_start_turns(&sc);
    CHECK(sc.turn_count == 1 && chunk.motion == 0);
    float d = 10.0f * ppr / 90.0f; /* 90 px on screen at rest: the first coarser level */
    int flips = 0;
    for (int step = 0; step <= 12; step++) { /* 0 to 90 degrees */
        mh_scene_set_time(&sc, (float)step * 0.25f);
        mh_vec3 side = mh_v3_sub(chunk.bounds.max, chunk.bounds.min);
        if (step == 6)
            CHECK(side.x > 14.0f); /* the box at 45 degrees: 14.1 m, 127 px */
        flips += mh_cull_pick_lod(&chunk, d * d, ppr) != 1;
    }
    CHECK(flips == 0);
    free(sc.turns);
    free(sc.motions);
    /* an animated model's part: its size at rest, scaled as its matrix scales, however it is turned */
    mh_scene_motion mo = {.local_bounds = {mh_v3(-5, 0, -1), mh_v3(5, 2, 1)}};
    for (int step = 0; step <= 12; step++) {
        mo.world = mh_m4_mul(mh_m4_rotate_y((float)step * 0.13f), mh_m4_scale(mh_v3(2, 2, 2)));
        CHECK(fabsf(mh_scene_motion_size(&mo) - 20.0f) < 1e-3f);
    }
}

/* The shipped hall, and 100 booths stacked over it: from anywhere on the
 * ground floor the same chunks are drawn, at the same levels. */
static void test_stacked_hall(void)
{
    mh_arena a = {.block_size = 256u * 1024u};
    mh_hall_desc h;
    mh_error err;
    if (!mh_hall_load(MH_SOURCE_ASSETS "/halls/default", &a, &h, &err)) {
        CHECK(!"hall");
        return;
    }
    mh_scene single, stacked;
    CHECK(mh_scene_build(&single, &h, (mh_sign_text){0}, &a, &err));
    CHECK(mh_hall_stack(&h, 100, &a) && mh_scene_build(&stacked, &h, (mh_sign_text){0}, &a, &err));
    static mh_cull_item one[1024], many[1024];
    int differ = 0, drawn = 0;
    for (int k = 0; k < 8; k++) { /* around the atrium, looking at its centre */
        float ang = (float)k * MH_PI / 4;
        mh_vec3 eye = mh_v3(h.stage_pos.x + 9 * sinf(ang), 1.6f, h.stage_pos.y + 9 * cosf(ang));
        mh_cull_desc d = one_view(eye, mh_v3(h.stage_pos.x, 1.6f, h.stage_pos.y));
        int n1 = mh_cull_chunks(&single, &d, one, 1024), n2 = mh_cull_chunks(&stacked, &d, many, 1024);
        drawn += n1;
        differ += n1 != n2 || memcmp(one, many, sizeof *one * (size_t)(n1 < n2 ? n1 : n2)) != 0;
        differ += n1 == 0 || n1 == single.chunk_count; /* something, not everything */
    }
    CHECK(differ == 0);
    CHECK(drawn > 0);
    CHECK(stacked.chunk_count > 5 * single.chunk_count);
    mh_scene_free(&single);
    mh_scene_free(&stacked);
    mh_arena_free(&a);
}

/* The booths' rotated footprints, as circles of the half diagonal, may not
 * come closer than a booth's width (rows are W + 0.4 apart, pairs back to
 * back D + 0.4): checked on the centres' grid. */
static int overlapping(const mh_hall_desc *h)
{
    int bad = 0;
    for (int i = 0; i < h->booth_count; i++)
        for (int k = i + 1; k < h->booth_count; k++) {
            float dx = fabsf(h->booths[i].pos.x - h->booths[k].pos.x);
            float dz = fabsf(h->booths[i].pos.y - h->booths[k].pos.y);
            bad += dx < h->booth_width + 0.3f && dz < h->booth_depth + 0.3f;
        }
    return bad;
}

/* Whether the chunk is the proxy of a tile or a block. */
static bool is_proxy(const mh_scene *sc, int chunk)
{
    for (int t = 0; t < sc->grid.tile_count; t++)
        if (sc->grid.tiles[t].proxy == chunk)
            return true;
    for (int b = 0; b < sc->grid.block_count; b++)
        if (sc->grid.blocks[b].proxy == chunk)
            return true;
    return false;
}

static void test_floor(void)
{
    mh_arena a = {.block_size = 256u * 1024u};
    mh_hall_desc h;
    mh_error err;
    if (!mh_hall_load(MH_SOURCE_ASSETS "/halls/default", &a, &h, &err)) {
        CHECK(!"hall");
        return;
    }
    int per = h.booth_count;
    mh_vec2 stage = h.stage_pos;
    CHECK(!mh_hall_spread(&h, MH_HALL_MAX_BOOTHS + 1, &a) && h.booth_count == per);
    CHECK(mh_hall_spread(&h, 1000, &a));
    CHECK(h.booth_count == 1000 && h.storeys == 1 && h.sign_count == 0 && h.shape_count == 6);
    int wrong = 0;
    for (int i = 0; i < h.booth_count; i++) {
        const mh_booth_desc *b = &h.booths[i];
        wrong += b->storey != 0 || b->copy_of != (i < per ? 0 : i % per + 1);
        wrong += b->pos.x < h.walk_min.x + 2 || b->pos.x > h.walk_max.x - 2 || b->pos.y < h.walk_min.y + 2 ||
                 b->pos.y > h.walk_max.y - 2;
        wrong += strcmp(b->exhibit.id, h.booths[i % per].exhibit.id) != 0;
    }
    CHECK(wrong == 0);
    CHECK(overlapping(&h) == 0);
    /* the bench's orbit: a quarter of the smaller side (walls included) from the stage */
    float side = fminf(h.walk_max.x - h.walk_min.x, h.walk_max.y - h.walk_min.y) + 0.8f, r = side / 4;
    float nearest = 1e9f;
    for (int i = 0; i < h.booth_count; i++)
        nearest = fminf(nearest, hypotf(h.booths[i].pos.x - stage.x, h.booths[i].pos.y - stage.y));
    CHECK(nearest > r + 4); /* the orbit runs in the plaza, an aisle inside its edge */
    CHECK(side > 100 && side < 250);

    mh_scene sc;
    if (!mh_scene_build(&sc, &h, (mh_sign_text){0}, &a, &err)) {
        CHECK(!"scene");
        return;
    }
    const mh_scene_grid *g = &sc.grid;
    CHECK(g->tile_count > 50 && g->block_count > 4 && g->hall_end > 0);
    /* every booth on exactly one tile, every tile in one block */
    static int seen[1000];
    memset(seen, 0, sizeof seen);
    int tiles_in_blocks = 0;
    for (int b = 0; b < g->block_count; b++)
        tiles_in_blocks += g->blocks[b].end - g->blocks[b].first;
    for (int t = 0; t < g->tile_count; t++)
        for (int i = g->tiles[t].first; i < g->tiles[t].end; i++)
            seen[g->booths[i]]++;
    int once = 0;
    for (int i = 0; i < 1000; i++)
        once += seen[i] == 1;
    CHECK(once == 1000 && tiles_in_blocks == g->tile_count);
    int proxy_chunks = 0; /* proxies are a group of their own (export and the hall's part leave them out) */
    for (int k = 0; k < sc.chunk_count; k++)
        proxy_chunks += sc.chunks[k].group == MH_SCENE_GROUP_PROXY && is_proxy(&sc, k);
    CHECK(proxy_chunks == g->tile_count + g->block_count);
    /* copies own no geometry: they draw their source's indices */
    const mh_scene_chunk *c0 = &sc.chunks[g->booth_chunks[2 * 0]], *c13 = &sc.chunks[g->booth_chunks[2 * per]];
    CHECK(c13->first_index == c0->first_index && c13->index_count == c0->index_count && c13->motion >= 0);
    static mh_cull_item items[20000];
    int worst = 0, proxies = 0, own = 0, twice = 0;
    for (int k = 0; k < 32; k++) { /* the bench's orbit, looking at the stage, then out at the booths */
        float ang = (float)k * MH_PI / 8, out = k < 16 ? 1.0f : -1.0f;
        mh_vec3 eye = mh_v3(stage.x + r * sinf(ang), 1.6f, stage.y + r * cosf(ang));
        mh_cull_desc d = one_view(eye, mh_v3(eye.x - out * sinf(ang), 1.6f, eye.z - out * cosf(ang)));
        int n = mh_cull_chunks(&sc, &d, items, sc.chunk_count);
        worst = n > worst ? n : worst;
        static int booth_seen[1000];
        memset(booth_seen, 0, sizeof booth_seen);
        for (int i = 0; i < n; i++) {
            int grp = sc.chunks[items[i].chunk].group;
            if (is_proxy(&sc, items[i].chunk))
                proxies++;
            else if (grp >= 0 && !booth_seen[grp]++)
                own++;
        }
        /* a booth drawn by its chunks is not also in a drawn proxy */
        for (int i = 0; i < n; i++) {
            int ch = items[i].chunk;
            for (int t = 0; t < g->tile_count; t++)
                if (g->tiles[t].proxy == ch)
                    for (int q = g->tiles[t].first; q < g->tiles[t].end; q++)
                        twice += booth_seen[g->booths[q]] > 0;
        }
    }
    /* a visitor in an aisle, in front of a booth, looking along the aisle */
    int aisle_worst = 0;
    for (int i = 0; i < 1000; i += 37) {
        mh_vec2 at;
        float yaw, pitch;
        mh_scene_booth_view(&h, i, &at, &yaw, &pitch);
        mh_vec3 eye = mh_v3(at.x, 1.6f, at.y);
        mh_cull_desc d = one_view(eye, mh_v3(at.x + cosf(yaw), 1.6f, at.y - sinf(yaw)));
        int n = mh_cull_chunks(&sc, &d, items, sc.chunk_count);
        aisle_worst = n > aisle_worst ? n : aisle_worst;
    }
    CHECK(aisle_worst > 0 && aisle_worst <= 300);
    CHECK(worst > 0 && worst <= 300);
    CHECK(proxies > 0);
    CHECK(own > 0);
    CHECK(twice == 0);
    if (getenv("MH_TEST_VERBOSE") || worst > 300 || aisle_worst > 300 || !own)
        fprintf(stderr, "floor: at most %d chunks a view (%d in an aisle), %d proxies, %d booths by their own chunks\n",
                worst, aisle_worst, proxies, own);
    mh_scene_free(&sc);
    mh_arena_free(&a);
}

/* Handles: slot + generation; a destroyed one stays dead after reuse. */
static void test_pool(void)
{
    mh_pool p;
    mh_pool_init(&p, 2);
    uint32_t a = mh_pool_alloc(&p), b = mh_pool_alloc(&p);
    CHECK(a && b && a != b);
    CHECK(mh_pool_alloc(&p) == 0); /* full */
    CHECK(mh_pool_slot(&p, a) == 0 && mh_pool_slot(&p, b) == 1);
    CHECK(mh_pool_slot(&p, 0) == -1 && mh_pool_slot(&p, 0x10003) == -1);
    mh_pool_free(&p, a);
    CHECK(mh_pool_slot(&p, a) == -1);
    uint32_t c = mh_pool_alloc(&p); /* the same slot again, a new generation */
    CHECK(c && c != a && mh_pool_slot(&p, c) == 0);
    CHECK(mh_pool_slot(&p, a) == -1); /* the stale handle finds nothing */
    mh_pool_free(&p, a);              /* and freeing it does not free c */
    CHECK(mh_pool_slot(&p, c) == 0);
    CHECK(mh_pool_id(&p, 0) == c && mh_pool_id(&p, 1) == b);
    mh_pool_free(&p, b);
    CHECK(mh_pool_id(&p, 1) == 0);
}

int main(void)
{
    mh_log_set_level(MH_LOG_WARN);
    test_frustum_and_order();
    test_stereo();
    test_cells();
    test_lod();
    test_lod_turning();
    test_stacked_hall();
    test_floor();
    test_pool();
    return mh_test_done("test_cull");
}
