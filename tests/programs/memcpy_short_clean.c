/* memcpy_short_clean.c: twin of memcpy_short_race.c.  The same fills,
 * release, short and long reads through the short path
 * (detector/race_check.c, short_granule), and the same writes by another
 * thread, now ordered after the reads by the mutex: silent. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
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
    pthread_mutex_lock(&lock);
    pthread_mutex_unlock(&lock);
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
    pthread_mutex_lock(&lock); /* after the reads */
    pthread_mutex_unlock(&lock);
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
