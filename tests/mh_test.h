/* mh_test.h - a tiny test harness: CHECK and CHECK_NEAR record failures with
 * file:line and go on; mh_test_done() prints a summary and the exit status. */
#ifndef MH_TEST_H
#define MH_TEST_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int mh_test_failed, mh_test_passed;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (cond) {                                                                  \
            mh_test_passed++;                                                        \
        } else {                                                                     \
            mh_test_failed++;                                                        \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                            \
    } while (0)

#define CHECK_NEAR(a, b, eps)                                                                                         \
    do {                                                                                                              \
        double mh_a_ = (a), mh_b_ = (b);                                                                              \
        if (fabs(mh_a_ - mh_b_) <= (eps)) {                                                                           \
            mh_test_passed++;                                                                                         \
        } else {                                                                                                      \
            mh_test_failed++;                                                                                         \
            fprintf(stderr, "%s:%d: CHECK_NEAR failed: %s = %g, expected %g (+-%g)\n", __FILE__, __LINE__, #a, mh_a_, \
                    mh_b_, (double)(eps));                                                                            \
        }                                                                                                             \
    } while (0)

#define CHECK_STR_CONTAINS(hay, needle)                                                       \
    do {                                                                                      \
        const char *mh_h_ = (hay);                                                            \
        if (mh_h_ && strstr(mh_h_, (needle))) {                                               \
            mh_test_passed++;                                                                 \
        } else {                                                                              \
            mh_test_failed++;                                                                 \
            fprintf(stderr, "%s:%d: expected \"%s\" to contain \"%s\"\n", __FILE__, __LINE__, \
                    mh_h_ ? mh_h_ : "(null)", (needle));                                      \
        }                                                                                     \
    } while (0)

static inline int mh_test_done(const char *name)
{
    printf("%s: %d passed, %d failed\n", name, mh_test_passed, mh_test_failed);
    return mh_test_failed ? 1 : 0;
}

#endif
