/* memcpy_short_race.c: short plain ranges take the short path, each
 * granule in one look at its cells (detector/race_check.c, short_granule),
 * and a long range's granules that hold several cells take it too.  A
 * thread fills granules with its own cells, releases, and then reads
 * bytes of them: the read's cell goes into an empty cell beside its old
 * write, over its oldest cell when all four are taken, into two empty
 * cells (3 bytes: two pieces), merged with its read of this epoch beside
 * it, beside its own read of the epoch before (not covered: a new epoch),
 * and granule by granule in a 256-byte read.  Another thread, ordered
 * after the fills (the mutex) but not after the reads (relaxed flags),
 * then writes a byte of each read: six races, each with the read's line.
 * Twin: memcpy_short_clean.c (the writes ordered after the reads). */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=6
// PRELOAD-EXPECT: races=6
// RACEWATCH-EXPECT: race @poke_empty @read_empty
// PRELOAD-EXPECT: race @poke_empty @read_empty
// RACEWATCH-EXPECT: race @poke_full @read_full
// PRELOAD-EXPECT: race @poke_full @read_full
// RACEWATCH-EXPECT: race @poke_two @read_two
// PRELOAD-EXPECT: race @poke_two @read_two
// RACEWATCH-EXPECT: race @poke_merge @read_merge_b
// PRELOAD-EXPECT: race @poke_merge @read_merge_b
// RACEWATCH-EXPECT: race @poke_epoch @read_epoch
// PRELOAD-EXPECT: race @poke_epoch @read_epoch
// RACEWATCH-EXPECT: race @poke_long @read_long
// PRELOAD-EXPECT: race @poke_long @read_long
// RACEWATCH-EXPECT: stdout=done aa\n
// PRELOAD-EXPECT: stdout=done aa\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

char buf[64] __attribute__((aligned(64)));
char longbuf[256] __attribute__((aligned(64)));
char got[256];
size_t one = 1; /* a non-constant size: memcpy stays a call */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int step;

/* Waits call nothing. */
static void wait_step(int s)
{
    while (atomic_load_explicit(&step, memory_order_relaxed) < s)
        __builtin_ia32_pause();
}

static void set_step(int s)
{
    atomic_store_explicit(&step, s, memory_order_relaxed);
}

static void fill(void)
{
    memset(buf, 'a', 8 * one);                    /* granule 0: one write cell */
    for (size_t i = 8; i < 16; i += 2)
        memset(buf + i, 'a', one);                /* granule 1: four write cells */
    memset(buf + 16, 'a', 8 * one);               /* granule 2: one write cell */
    memcpy(got, buf + 40, 4 * one);               /* granule 5: a read cell */
    for (size_t i = 0; i < sizeof longbuf; i += 8) {
        memset(longbuf + i, 'a', 4 * one);        /* a write and a read cell */
        memcpy(got, longbuf + i + 4, 4 * one);
    }
}

static void *decoder(void *arg)
{
    (void)arg;
    fill();
    pthread_mutex_lock(&lock);
    pthread_mutex_unlock(&lock);
    set_step(1);
    wait_step(2); /* the poker holds everything above */
    memcpy(got, buf + 2, 2 * one);        /* @read_empty */
    memcpy(got, buf + 9, one);            /* @read_full */
    memcpy(got, buf + 16, 3 * one);       /* @read_two */
    memcpy(got, buf + 24, 2 * one);       /* @read_merge_a */
    memcpy(got, buf + 26, 2 * one);       /* @read_merge_b */
    memcpy(got, buf + 40, 4 * one);       /* @read_epoch */
    memcpy(got, longbuf, 256 * one);      /* @read_long */
    set_step(3);
    return NULL;
}

static void *poker(void *arg)
{
    (void)arg;
    wait_step(1);
    pthread_mutex_lock(&lock);
    pthread_mutex_unlock(&lock);
    set_step(2);
    wait_step(3);
    memset(buf + 3, '#', one);            /* @poke_empty */
    memset(buf + 9, '#', one);            /* @poke_full */
    memset(buf + 18, '#', one);           /* @poke_two */
    memset(buf + 27, '#', one);           /* @poke_merge */
    memset(buf + 41, '#', one);           /* @poke_epoch */
    memset(longbuf + 100, '#', one);      /* @poke_long */
    return NULL;
}

int main(void)
{
    pthread_t d, p;
    pthread_create(&d, NULL, decoder, NULL);
    pthread_create(&p, NULL, poker, NULL);
    pthread_join(d, NULL);
    pthread_join(p, NULL);
    printf("done %.2s\n", got);
    return 0;
}
