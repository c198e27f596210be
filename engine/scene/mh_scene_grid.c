/* mh_scene_grid.c - the spatial index of a floor of many booths: a uniform
 * grid of tiles grouped in blocks, each with a proxy chunk that draws all
 * its booths as plain boxes in one call (see mh_scene.h). Built once with
 * the scene; mh_cull.c walks it each frame. */
#include "mh_scene_internal.h"

#include <math.h>
#include <stdlib.h>

typedef struct grid_key {
    long long key; /* block row, block column, tile row, tile column */
    int booth;
} grid_key;

static int key_cmp(const void *pa, const void *pb)
{
    const grid_key *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->booth - b->booth;
}

/* Booths sorted block by block, tile by tile (keys[i].key says where). */
static grid_key *sorted_booths(const mh_hall_desc *h)
{
    grid_key *keys = malloc(sizeof *keys * (size_t)h->booth_count);
    if (!keys)
        return NULL;
    mh_vec2 lo = h->booths[0].pos;
    for (int i = 1; i < h->booth_count; i++)
        lo = (mh_vec2){fminf(lo.x, h->booths[i].pos.x), fminf(lo.y, h->booths[i].pos.y)};
    const int B = MH_SCENE_BLOCK_TILES;
    for (int i = 0; i < h->booth_count; i++) {
        long long tx = (long long)((h->booths[i].pos.x - lo.x) / MH_SCENE_TILE_M);
        long long tz = (long long)((h->booths[i].pos.y - lo.y) / MH_SCENE_TILE_M);
        tx = tx < 0 ? 0 : tx > 0xffff ? 0xffff : tx;
        tz = tz < 0 ? 0 : tz > 0xffff ? 0xffff : tz;
        keys[i] = (grid_key){((tz / B) << 48) | ((tx / B) << 32) | (tz << 16) | tx, i};
    }
    qsort(keys, (size_t)h->booth_count, sizeof *keys, key_cmp);
    return keys;
}

/* The box of booth b's chunks. */
static mh_aabb booth_bounds(const mh_scene *sc, int b)
{
    mh_aabb box = mh_aabb_empty();
    for (int k = sc->grid.booth_chunks[2 * b]; k < sc->grid.booth_chunks[2 * b + 1]; k++) {
        mh_aabb_add_point(&box, sc->chunks[k].bounds.min);
        mh_aabb_add_point(&box, sc->chunks[k].bounds.max);
    }
    return box;
}

static void box_add(mh_aabb *to, mh_aabb b)
{
    mh_aabb_add_point(to, b.min);
    mh_aabb_add_point(to, b.max);
}

/* A tile's proxy: its booths' boxes, one chunk. */
static int tile_proxy(mh_scene *sc, const mh_hall_desc *h, const mh_scene_tile *t)
{
    mh_scene_close_chunk(sc);
    mh_scene_begin_chunk(sc, 0, MH_SCENE_GROUP_PROXY, -1);
    int at = sc->chunk_count - 1;
    for (int k = t->first; k < t->end; k++)
        mh_scene_add_booth_proxy(sc, h, sc->grid.booths[k]);
    mh_scene_close_chunk(sc);
    return sc->chunk_count - 1 == at ? at : -1;
}

/* A block's proxy: one chunk over the indices of its tiles' proxies (made
 * one after the other, so they are contiguous). */
static int block_proxy(mh_scene *sc, const mh_scene_tile *b)
{
    const mh_scene_grid *g = &sc->grid;
    uint32_t first = UINT32_MAX, end = 0;
    for (int t = b->first; t < b->end; t++) {
        const mh_scene_chunk *c = &sc->chunks[g->tiles[t].proxy];
        first = c->first_index < first ? c->first_index : first;
        end = c->first_index + c->index_count > end ? c->first_index + c->index_count : end;
    }
    mh_scene_close_chunk(sc);
    mh_scene_begin_chunk(sc, 0, MH_SCENE_GROUP_PROXY, -1); /* opened empty, then given the range */
    mh_scene_chunk *c = &sc->chunks[sc->chunk_count - 1];
    if (sc->mesh.failed || c->index_count)
        return -1;
    c->first_index = first;
    c->index_count = end - first;
    c->bounds = b->bounds;
    return sc->chunk_count - 1;
}

/* Groups runs of keys with the same `shift`-masked key: tiles from booths
 * (shift 0) or blocks from tiles (shift 32). */
static int count_runs(const grid_key *keys, int n, int shift)
{
    int runs = 0;
    for (int i = 0; i < n; i++)
        runs += i == 0 || (keys[i].key >> shift) != (keys[i - 1].key >> shift);
    return runs;
}

bool mh_scene_build_grid(mh_scene *sc, const mh_hall_desc *h)
{
    mh_scene_grid *g = &sc->grid;
    int n = h->booth_count;
    grid_key *keys = sorted_booths(h);
    if (!keys)
        return false;
    int tiles = count_runs(keys, n, 0), blocks = count_runs(keys, n, 32);
    g->booths = malloc(sizeof *g->booths * (size_t)n);
    g->tiles = calloc((size_t)tiles, sizeof *g->tiles);
    g->blocks = calloc((size_t)blocks, sizeof *g->blocks);
    if (!g->booths || !g->tiles || !g->blocks) {
        free(keys);
        return false;
    }
    g->hall_end = sc->chunk_count;
    for (int i = 0; i < n; i++)
        if (g->booth_chunks[2 * i] < g->hall_end)
            g->hall_end = g->booth_chunks[2 * i];
    for (int i = 0; i < n; i++) {
        g->booths[i] = keys[i].booth;
        bool new_block = i == 0 || (keys[i].key >> 32) != (keys[i - 1].key >> 32);
        if (i == 0 || keys[i].key != keys[i - 1].key)
            g->tiles[g->tile_count++] = (mh_scene_tile){.bounds = mh_aabb_empty(), .first = i, .proxy = -1};
        if (new_block)
            g->blocks[g->block_count++] =
                (mh_scene_tile){.bounds = mh_aabb_empty(), .first = g->tile_count - 1, .proxy = -1};
        mh_scene_tile *t = &g->tiles[g->tile_count - 1], *b = &g->blocks[g->block_count - 1];
        t->end = i + 1;
        b->end = g->tile_count;
        mh_aabb box = booth_bounds(sc, keys[i].booth);
        box_add(&t->bounds, box);
        box_add(&b->bounds, box);
    }
    free(keys);
    for (int t = 0; t < g->tile_count; t++)
        g->tiles[t].proxy = tile_proxy(sc, h, &g->tiles[t]);
    bool ok = !sc->mesh.failed;
    for (int t = 0; t < g->tile_count; t++)
        ok = ok && g->tiles[t].proxy >= 0;
    for (int b = 0; ok && b < g->block_count; b++)
        ok = (g->blocks[b].proxy = block_proxy(sc, &g->blocks[b])) >= 0;
    return ok;
}
