/* mh_engine_ahead.c - the hall's textures uploaded while its scene is still
 * being built: at start-up the scene's thread tells of each texture as it is
 * made (mh_scene_build_watched), and the GL thread, which would otherwise
 * only wait for the scene, uploads them as they come (mh_engine_ahead_upload);
 * the scene's upload then takes their names (mh_renderer_upload_ahead).
 * tests/bench/NOTES.md, "Start-up: signs without their size program". */
#include <stdlib.h>

#include "mh_engine_internal.h"

/* Room for one more of `size` bytes after count (doubling). */
static bool grow(void **items, int count, int *cap, size_t size)
{
    if (count < *cap)
        return true;
    int n = *cap ? *cap * 2 : 64;
    void *p = realloc(*items, size * (size_t)n);
    if (!p)
        return false;
    *items = p;
    *cap = n;
    return true;
}

void mh_engine_ahead_init(engine_ahead *a)
{
    *a = (engine_ahead){0};
    pthread_mutex_init(&a->lock, NULL);
    pthread_mutex_init(&a->pixels, NULL);
    pthread_cond_init(&a->cond, NULL);
}

/* The scene's thread: texture i is made (its fields copied: the scene's
 * array may move as it grows; the pixels stay until releasing). */
static void ahead_added(void *user, const mh_scene *sc, int i)
{
    engine_ahead *a = user;
    pthread_mutex_lock(&a->lock);
    if (i != a->count || !grow((void **)&a->queue, a->count, &a->cap, sizeof *a->queue))
        a->broken = true; /* out of order or out of memory: the rest go up with the scene */
    else
        a->queue[a->count++] = sc->textures[i];
    pthread_cond_signal(&a->cond);
    pthread_mutex_unlock(&a->lock);
}

/* The scene's thread: its pixels are about to be freed (a build that
 * failed): waits for the texture being uploaded, and no more are. */
static void ahead_releasing(void *user)
{
    engine_ahead *a = user;
    pthread_mutex_lock(&a->pixels);
    a->released = true;
    pthread_mutex_unlock(&a->pixels);
}

mh_scene_watch mh_engine_ahead_watch(engine_ahead *a)
{
    return (mh_scene_watch){.added = ahead_added, .releasing = ahead_releasing, .user = a};
}

void mh_engine_ahead_done(engine_ahead *a)
{
    pthread_mutex_lock(&a->lock);
    a->done = true;
    pthread_cond_signal(&a->cond);
    pthread_mutex_unlock(&a->lock);
}

/* Uploads queue[i] unless the scene's pixels went; false then. */
static bool upload_one(engine_ahead *a, mh_renderer *r, const mh_scene_texture *t)
{
    pthread_mutex_lock(&a->pixels);
    bool ok = !a->released;
    if (ok)
        a->names[a->uploaded++] = mh_renderer_texture_ahead(r, t);
    pthread_mutex_unlock(&a->pixels);
    return ok;
}

void mh_engine_ahead_upload(engine_ahead *a, mh_renderer *r)
{
    pthread_mutex_lock(&a->lock);
    for (;;) {
        if (!a->broken && a->uploaded < a->count) {
            mh_scene_texture t = a->queue[a->uploaded];
            if (!grow((void **)&a->names, a->uploaded, &a->name_cap, sizeof *a->names))
                break;
            pthread_mutex_unlock(&a->lock);
            bool ok = upload_one(a, r, &t);
            pthread_mutex_lock(&a->lock);
            if (!ok)
                break;
            continue;
        }
        if (a->done)
            break;
        pthread_cond_wait(&a->cond, &a->lock);
    }
    pthread_mutex_unlock(&a->lock);
}

void mh_engine_ahead_free(engine_ahead *a, mh_renderer *r)
{
    if (r && a->uploaded)
        mh_renderer_textures_drop(r, a->names, a->uploaded);
    free(a->queue);
    free(a->names);
    pthread_mutex_destroy(&a->lock);
    pthread_mutex_destroy(&a->pixels);
    pthread_cond_destroy(&a->cond);
    *a = (engine_ahead){0};
}
