/* mh_pool.c - slot handles with generations (see mh_pool.h). */
#include "mh_pool.h"

void mh_pool_init(mh_pool *p, int size)
{
    *p = (mh_pool){.size = size < 1 ? 1 : size > MH_POOL_MAX ? MH_POOL_MAX : size};
    for (int i = 0; i < MH_POOL_MAX; i++)
        p->generation[i] = 1;
}

uint32_t mh_pool_alloc(mh_pool *p)
{
    for (int i = 0; i < p->size; i++) {
        if (!p->used[i]) {
            p->used[i] = true;
            return mh_pool_id(p, i);
        }
    }
    return 0;
}

int mh_pool_slot(const mh_pool *p, uint32_t id)
{
    int i = (int)(id & 0xFFFFu) - 1;
    if (i < 0 || i >= p->size || !p->used[i] || p->generation[i] != id >> 16)
        return -1;
    return i;
}

uint32_t mh_pool_id(const mh_pool *p, int i)
{
    if (i < 0 || i >= p->size || !p->used[i])
        return 0;
    return (uint32_t)p->generation[i] << 16 | (uint32_t)(i + 1);
}

void mh_pool_free(mh_pool *p, uint32_t id)
{
    int i = mh_pool_slot(p, id);
    if (i < 0)
        return;
    p->used[i] = false;
    p->generation[i] = (uint16_t)(p->generation[i] == UINT16_MAX ? 1 : p->generation[i] + 1);
}
