/* mh_arena.h - linear (bump) allocators.
 *
 * The engine keeps one arena per lifetime: the hall's (dropped when a hall is
 * unloaded) and the frame's (reset every frame). Allocation is a pointer bump;
 * freeing is dropping the whole arena. Blocks are allocated with malloc as the
 * arena grows, so after warm-up the frame arena never calls malloc again. */
#ifndef MH_ARENA_H
#define MH_ARENA_H

#include <stddef.h>

typedef struct mh_arena_block mh_arena_block;

typedef struct mh_arena {
    mh_arena_block *head; /* block being filled */
    size_t block_size;    /* default size of new blocks (0 = 64 KiB) */
    size_t used_total;    /* bytes handed out since the last reset */
    size_t peak_total;    /* largest used_total ever seen */
} mh_arena;

/* Zeroed memory aligned to 16 bytes; NULL only when malloc fails. */
void *mh_arena_alloc(mh_arena *a, size_t size);
char *mh_arena_strdup(mh_arena *a, const char *s);
/* Makes all memory reusable, keeping the largest block (no free/malloc churn). */
void mh_arena_reset(mh_arena *a);
/* Number of malloc'ed blocks the arena holds (1 after a reset). */
int mh_arena_block_count(const mh_arena *a);
/* Releases every block. The arena can be used again afterwards. */
void mh_arena_free(mh_arena *a);

#define MH_ARENA_NEW(a, type, count) ((type *)mh_arena_alloc((a), sizeof(type) * (size_t)(count)))

#endif
