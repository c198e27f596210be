/* mh_parallel.h - a parallel loop for load-time work that the frame does
 * not wait on: count independent jobs, taken in order by the calling thread
 * and up to threads - 1 helpers it starts for the loop and joins before it
 * returns. Each job writes only its own output, so what the loop makes does
 * not depend on which thread ran which job. Nothing here runs in the frame
 * loop: starting a thread costs tens of microseconds. */
#ifndef MH_PARALLEL_H
#define MH_PARALLEL_H

/* The threads start-up work may use: the processors online, at most
 * MH_PARALLEL_MAX (1 when that cannot be known). */
#define MH_PARALLEL_MAX 4
int mh_parallel_threads(void);

/* Runs job(user, i) for every i in [0, count): on this thread alone when
 * threads <= 1, count is 1 or no helper can be started, else on `threads`
 * (at most MH_PARALLEL_MAX) threads. This thread takes the jobs from 0 up,
 * the helpers from count - 1 down, each the next as it finishes one, until
 * they meet: given in order of decreasing cost, the costliest jobs run one
 * at a time beside cheap ones, so the loop's memory at its peak stays near
 * that of its costliest job, and the threads finish together. */
void mh_parallel_for(int count, int threads, void (*job)(void *user, int i), void *user);

#endif
