/* mh_arena.c - bump allocation over a list of malloc'ed blocks.
 *
 * Under AddressSanitizer the unused part of every block is poisoned, each
 * allocation is unpoisoned to exactly the size asked for, and a poisoned
 * redzone separates neighbours, so writing one byte past an allocation is
 * caught even inside a 64 KiB block (the fuzzers rely on it). */
#include "mh_arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define MH_ARENA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MH_ARENA_ASAN 1
#endif
#endif

#ifdef MH_ARENA_ASAN
#include <sanitizer/asan_interface.h>
#define REDZONE 16u
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define REDZONE 0u
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

struct mh_arena_block {
    mh_arena_block *next; /* older block */
    size_t size;          /* usable bytes in data[] */
    size_t used;
    _Alignas(16) unsigned char data[];
};

static mh_arena_block *block_new(size_t size, mh_arena_block *next)
{
    mh_arena_block *b = malloc(sizeof *b + size);
    if (!b)
        return NULL;
    b->next = next;
    b->size = size;
    b->used = 0;
    POISON(b->data, size);
    return b;
}

static void block_free(mh_arena_block *b)
{
    UNPOISON(b->data, b->size);
    free(b);
}

void *mh_arena_alloc(mh_arena *a, size_t size)
{
    size_t aligned = (size + 15u) & ~(size_t)15u;
    if (aligned < size || aligned + REDZONE < aligned)
        return NULL; /* overflow */
    aligned += REDZONE;
    mh_arena_block *b = a->head;
    if (!b || b->size - b->used < aligned) {
        size_t bs = a->block_size ? a->block_size : 64u * 1024u;
        if (bs < aligned)
            bs = aligned;
        b = block_new(bs, a->head);
        if (!b)
            return NULL;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += aligned;
    a->used_total += aligned;
    if (a->used_total > a->peak_total)
        a->peak_total = a->used_total;
    UNPOISON(p, size);
    memset(p, 0, size);
    return p;
}

char *mh_arena_strdup(mh_arena *a, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = mh_arena_alloc(a, n);
    if (p)
        memcpy(p, s, n);
    return p;
}

void mh_arena_reset(mh_arena *a)
{
    /* Keep the largest block; if the arena spilled into several blocks,
     * replace them by one block big enough for the peak so the next cycle
     * fits without allocating. */
    if (!a->head)
        return;
    if (a->head->next) {
        size_t want = a->peak_total + 64;
        mh_arena_free(a);
        a->head = block_new(want > a->block_size ? want : a->block_size, NULL);
    } else {
        a->head->used = 0;
        POISON(a->head->data, a->head->size);
    }
    a->used_total = 0;
}

void mh_arena_free(mh_arena *a)
{
    mh_arena_block *b = a->head;
    while (b) {
        mh_arena_block *next = b->next;
        block_free(b);
        b = next;
    }
    a->head = NULL;
    a->used_total = 0;
}

int mh_arena_block_count(const mh_arena *a)
{
    int n = 0;
    for (const mh_arena_block *b = a->head; b; b = b->next)
        n++;
    return n;
}
