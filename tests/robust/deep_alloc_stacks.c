/* deep_alloc_stacks.c: 2 x 131,072 heap blocks, each allocated at the
 * bottom of a different call path ~60 frames deep (a chain of 40 calls,
 * then a binary tree 17 levels deep whose two branches are two call
 * sites), freed at once.  Every allocation stack differs from every other
 * one in its outer frames, as under OpenMP tasks that run nested inside
 * a taskwait (DataRaceBench DRB105's fib).  The program's peak RSS must
 * stay under 64 MiB (instrumented, allocation stacks of 64 frames, one
 * glibc block each: 76 MB; 16 frames in the depot's arena: 8 MB).  Prints
 * "ok" (or the peak) and the number of blocks. */
// ROBUST: exit=0
// ROBUST: stdout=ok\n262144 blocks\n
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#define CHAIN 40
#define LEVELS 17
#define PEAK_LIMIT_KB (64L * 1024)

static __attribute__((noinline)) long leaf(void)
{
    volatile char *p = malloc(16);
    p[0] = 1;
    free((void *)p);
    return 1;
}

static __attribute__((noinline)) long tree(int level)
{
    if (level == 0)
        return leaf();
    long n = tree(level - 1);   /* one call site ... */
    n += tree(level - 1);       /* ... and the other */
    __asm__ volatile("" ::: "memory"); /* no tail call */
    return n;
}

static __attribute__((noinline)) long chain(int depth)
{
    long n = depth == 0 ? tree(LEVELS) : chain(depth - 1);
    __asm__ volatile("" ::: "memory");
    return n;
}

static void *worker(void *arg)
{
    *(long *)arg = chain(CHAIN);
    return NULL;
}

int main(void)
{
    pthread_t th[2];
    long blocks[2];
    for (int i = 0; i < 2; i++)
        if (pthread_create(&th[i], NULL, worker, &blocks[i]) != 0)
            return 1;
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    if (ru.ru_maxrss > PEAK_LIMIT_KB)
        printf("peak RSS %ld KiB > %ld KiB\n", ru.ru_maxrss, PEAK_LIMIT_KB);
    else
        printf("ok\n");
    printf("%ld blocks\n", blocks[0] + blocks[1]);
    return 0;
}
