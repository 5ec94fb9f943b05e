/* omp_test.h: helpers for the OpenMP test programs.  Relaxed atomics
 * order execution without ordering memory (no happens-before edge, see
 * tests/programs/README.md): a racy program uses them to make sure both
 * racing accesses run, on two different threads, in every run, one
 * after the other (never at the same instant). */
#ifndef OMP_TEST_H
#define OMP_TEST_H

#include <unistd.h>

/* A variable of its own cache line and shadow granule: the racing
 * variables and the flags that order them never share an 8-byte word
 * with another thread's accesses at the same instant (racewatch's shadow
 * cell stores can lose one of two simultaneous stores to one granule;
 * see README.md). */
#define OWN_LINE __attribute__((aligned(64)))

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

static inline void flag_set(int *f)
{
    __atomic_store_n(f, 1, __ATOMIC_RELAXED);
}

static inline void flag_wait(int *f)
{
    while (!__atomic_load_n(f, __ATOMIC_RELAXED))
        usleep(100);
}

/* Count an arrival; wait until there are n. */
static inline void count_up(int *c)
{
    __atomic_fetch_add(c, 1, __ATOMIC_RELAXED);
}

static inline void count_wait(int *c, int n)
{
    while (__atomic_load_n(c, __ATOMIC_RELAXED) < n)
        usleep(100);
}

/* Two tasks (or sections) that meet here run at the same time, so on two
 * different threads. */
static inline void meet(int *mine, int *other)
{
    flag_set(mine);
    flag_wait(other);
}

#endif
