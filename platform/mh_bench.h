/* mh_bench.h - `metahall bench`: frame times, CPU, start-up and memory of
 * the headless renderer on a fixed camera path (see mh_bench.c). */
#ifndef MH_BENCH_H
#define MH_BENCH_H

/* argv[0] is "bench"; returns the exit status. */
int mh_bench_main(int argc, char **argv, const char *default_hall);

#endif
