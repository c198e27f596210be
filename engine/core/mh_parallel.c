/* mh_parallel.c - the load-time parallel loop (mh_parallel.h): the calling
 * thread takes the jobs from the first on, the helpers from the last back,
 * until they meet. */
#include "mh_parallel.h"

#include <pthread.h>
#include <stdbool.h>
#include <unistd.h>

typedef struct parallel_loop {
    pthread_mutex_t lock;
    int front, back; /* the jobs not taken yet: [front, back) */
    void (*job)(void *user, int i);
    void *user;
} parallel_loop;

int mh_parallel_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MH_PARALLEL_MAX ? MH_PARALLEL_MAX : (int)n;
}

/* The next job from the front or the back, or -1 when none is left. */
static int take(parallel_loop *l, bool front)
{
    pthread_mutex_lock(&l->lock);
    int i = l->front < l->back ? (front ? l->front++ : --l->back) : -1;
    pthread_mutex_unlock(&l->lock);
    return i;
}

static void run(parallel_loop *l, bool front)
{
    for (int i; (i = take(l, front)) >= 0;)
        l->job(l->user, i);
}

static void *helper_run(void *arg)
{
    run(arg, false);
    return NULL;
}

void mh_parallel_for(int count, int threads, void (*job)(void *user, int i), void *user)
{
    parallel_loop l = {.lock = PTHREAD_MUTEX_INITIALIZER, .back = count, .job = job, .user = user};
    pthread_t helper[MH_PARALLEL_MAX];
    int helpers = 0, want = (threads > MH_PARALLEL_MAX ? MH_PARALLEL_MAX : threads) - 1;
    if (want > count - 1)
        want = count - 1;
    while (helpers < want && pthread_create(&helper[helpers], NULL, helper_run, &l) == 0)
        helpers++;
    run(&l, true);
    for (int h = 0; h < helpers; h++)
        pthread_join(helper[h], NULL);
}
