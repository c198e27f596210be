/* mh_photos.c - gallery photos read on a worker thread (see mh_photos.h). */
#include "mh_photos.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../asset/mh_picture.h"

typedef struct result {
    uint32_t ticket;
    int index;
    bool ok;
    mh_image img;
    mh_error err;
} result;

struct mh_photos {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool running;
    /* the request */
    uint32_t ticket;
    char paths[MH_PHOTOS_MAX][600], root[600];
    int count, next;
    uint64_t max_pixels;
    int max_side;
    /* finished, not yet taken */
    result done[MH_PHOTOS_MAX];
    int done_count;
};

static void *worker(void *arg)
{
    mh_photos *p = arg;
    pthread_mutex_lock(&p->lock);
    while (p->running) {
        if (p->next >= p->count || p->done_count >= MH_PHOTOS_MAX) {
            pthread_cond_wait(&p->wake, &p->lock);
            continue;
        }
        result r = {.ticket = p->ticket, .index = p->next++};
        mh_picture_desc d = {.max_pixels = p->max_pixels, .max_side = p->max_side};
        char path[600], root[600];
        snprintf(path, sizeof path, "%s", p->paths[r.index]);
        snprintf(root, sizeof root, "%s", p->root);
        d.path = path;
        d.root = root[0] ? root : NULL;
        pthread_mutex_unlock(&p->lock);
        r.ok = mh_picture_load(&d, &r.img, &r.err);
        pthread_mutex_lock(&p->lock);
        if (r.ticket != p->ticket || p->done_count >= MH_PHOTOS_MAX)
            mh_image_free(&r.img); /* a newer request came meanwhile */
        else
            p->done[p->done_count++] = r;
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

mh_photos *mh_photos_create(void)
{
    mh_photos *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->wake, NULL);
    p->running = true;
    if (pthread_create(&p->thread, NULL, worker, p) != 0) {
        pthread_mutex_destroy(&p->lock);
        pthread_cond_destroy(&p->wake);
        free(p);
        return NULL;
    }
    return p;
}

void mh_photos_destroy(mh_photos **pp)
{
    mh_photos *p = pp ? *pp : NULL;
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->running = false;
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
    pthread_join(p->thread, NULL);
    for (int i = 0; i < p->done_count; i++)
        mh_image_free(&p->done[i].img);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->wake);
    free(p);
    *pp = NULL;
}

void mh_photos_request(mh_photos *p, uint32_t ticket, const char *const *paths, int count, const char *root,
                       uint64_t max_pixels, int max_side)
{
    pthread_mutex_lock(&p->lock);
    for (int i = 0; i < p->done_count; i++)
        mh_image_free(&p->done[i].img);
    p->done_count = 0;
    p->ticket = ticket;
    p->count = count < MH_PHOTOS_MAX ? count : MH_PHOTOS_MAX;
    for (int i = 0; i < p->count; i++)
        snprintf(p->paths[i], sizeof p->paths[i], "%s", paths[i]);
    snprintf(p->root, sizeof p->root, "%s", root ? root : "");
    p->next = 0;
    p->max_pixels = max_pixels;
    p->max_side = max_side;
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
}

bool mh_photos_poll(mh_photos *p, uint32_t *ticket, int *index, mh_image *out, bool *ok, mh_error *err)
{
    pthread_mutex_lock(&p->lock);
    bool any = p->done_count > 0;
    if (any) {
        result r = p->done[0];
        memmove(p->done, p->done + 1, sizeof *p->done * (size_t)(p->done_count - 1));
        p->done_count--;
        *ticket = r.ticket;
        *index = r.index;
        *out = r.img;
        *ok = r.ok;
        if (err)
            *err = r.err;
        pthread_cond_broadcast(&p->wake);
    }
    pthread_mutex_unlock(&p->lock);
    return any;
}
