/* mh_pool.h - handles for a fixed pool of slots, as sokol_gfx makes them:
 * an id is the slot's index + 1 in the low 16 bits and the slot's
 * generation in the high 16 bits, and 0 is never an id. Freeing a slot
 * bumps its generation, so a handle kept after its resource was destroyed
 * (a stale handle) no longer finds the slot, even once the slot is reused.
 * The owner keeps its per-slot data in an array of the same size. */
#ifndef MH_POOL_H
#define MH_POOL_H

#include <stdbool.h>
#include <stdint.h>

#define MH_POOL_MAX 64

typedef struct mh_pool {
    int size;                         /* slots in use by this pool, 1..MH_POOL_MAX */
    uint16_t generation[MH_POOL_MAX]; /* the current generation of each slot (from 1) */
    bool used[MH_POOL_MAX];
} mh_pool;

void mh_pool_init(mh_pool *p, int size);
/* Takes a free slot: its id, or 0 when every slot is in use. */
uint32_t mh_pool_alloc(mh_pool *p);
/* The slot of a live id, or -1 (0, out of range, freed, or stale). */
int mh_pool_slot(const mh_pool *p, uint32_t id);
/* The id of slot i while it is in use, else 0 (to walk a pool). */
uint32_t mh_pool_id(const mh_pool *p, int i);
/* Frees the slot of a live id (a stale or 0 id does nothing). */
void mh_pool_free(mh_pool *p, uint32_t id);

#endif
