/* memcpy_pairmemo_race.c: a range over memory one earlier call filled
 * finds the same cells pair after pair, and the range loop reuses its
 * decision for the last pair whose cells were the same
 * (detector/race_check.c, struct pair_memo).  Here one pair in the
 * middle of each buffer differs in its second granule only: in odd,
 * granule 9 holds another thread's later write (every other granule the
 * joined first writer's); in handed, every granule holds main's write and
 * a joined reader's read beside it, and granule 9 a later read by another
 * thread in the reader's place.  The filler, ordered after the first
 * writer, main's write and the reader but not after the racer (a relaxed
 * flag), writes both buffers whole: both pairs race with the racer's
 * accesses, which a decision reused from the pairs before them would
 * store over.  Twin: memcpy_pairmemo_clean.c. */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=2
// PRELOAD-EXPECT: races=2
// RACEWATCH-EXPECT: race @fill_odd @poke_odd
// PRELOAD-EXPECT: race @fill_odd @poke_odd
// RACEWATCH-EXPECT: race @fill_handed @read_odd
// PRELOAD-EXPECT: race @fill_handed @read_odd
// RACEWATCH-EXPECT: stdout=filled 1 6 5 5\n
// PRELOAD-EXPECT: stdout=filled 1 6 5 5\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char odd[256] __attribute__((aligned(64)));
char handed[256] __attribute__((aligned(64)));
char copied[256], copied_odd[8];
size_t one = 1; /* a non-constant size: memset and memcpy stay calls */

static atomic_int poked, done;

static void *first_writer(void *arg)
{
    (void)arg;
    memset(odd, 0, 256 * one);
    return NULL;
}

/* Alive, and not ordered after main's write of handed, while the reader
 * reads it: the read goes beside the write, not over it. */
static void *bystander(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&done, memory_order_relaxed))
        usleep(1000);
    return NULL;
}

static void *reader(void *arg)
{
    (void)arg;
    memcpy(copied, handed, 256 * one);
    return NULL;
}

static void *racer(void *arg)
{
    (void)arg;
    memset(odd + 72, 'x', 8 * one);         /* @poke_odd */
    memcpy(copied_odd, handed + 72, 8 * one); /* @read_odd */
    atomic_store_explicit(&poked, 1, memory_order_relaxed);
    return NULL;
}

static void *filler(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&poked, memory_order_relaxed))
        usleep(1000);
    memset(odd, 1, 256 * one);    /* @fill_odd */
    memset(handed, 6, 256 * one); /* @fill_handed */
    return NULL;
}

int main(void)
{
    pthread_t b, f, d, w, r;
    pthread_create(&b, NULL, bystander, NULL);
    pthread_create(&f, NULL, first_writer, NULL);
    pthread_join(f, NULL);
    memset(handed, 5, 256 * one);
    pthread_create(&d, NULL, reader, NULL);
    pthread_join(d, NULL);
    pthread_create(&w, NULL, filler, NULL);
    pthread_create(&r, NULL, racer, NULL);
    pthread_join(r, NULL);
    pthread_join(w, NULL);
    atomic_store_explicit(&done, 1, memory_order_relaxed);
    pthread_join(b, NULL);
    printf("filled %d %d %d %d\n", odd[72], handed[72], copied[72], copied_odd[0]);
    return 0;
}
