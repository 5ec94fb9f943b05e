/* common.h: shared bits of the bench workloads.
 *
 * Every workload does a fixed amount of work, scaled by an optional
 * floating-point factor in argv[1] (default 1.0), and prints one line,
 * "<name> checksum <hex>", that depends only on the work done -- never on
 * thread scheduling -- so the native, libtsan and racewatch builds of the
 * same source must print the same line.  Anything else goes to stderr. */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline uint64_t mix64(uint64_t x)   /* splitmix64 finalizer */
{
    x ^= x >> 30; x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27; x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static inline uint64_t lcg_next(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 17;
}

/* The scale factor in argv[1]; "base" is the work at scale 1.0. */
static inline long bench_scaled(int argc, char **argv, long base)
{
    double f = argc > 1 ? strtod(argv[1], NULL) : 1.0;
    if (!(f > 0))
        f = 1.0;
    long n = (long)(base * f);
    return n > 0 ? n : 1;
}

/* An optional integer in argv[i] (thread counts and the like). */
static inline long bench_arg(int argc, char **argv, int i, long dflt)
{
    if (argc > i) {
        long v = strtol(argv[i], NULL, 10);
        if (v > 0)
            return v;
    }
    return dflt;
}

static inline void bench_check(int err, const char *what)
{
    if (err) {
        fprintf(stderr, "%s failed: %s\n", what, strerror(err));
        exit(2);
    }
}

static inline void bench_print(const char *name, uint64_t sum)
{
    printf("%s checksum %016" PRIx64 "\n", name, sum);
}

#endif
