/* memcpy_pairmemo_clean.c: twin of memcpy_pairmemo_race.c (the range
 * loop's decision reused for a pair whose cells are the same as the last
 * pair's, struct pair_memo in detector/race_check.c): the same buffers
 * and the same pair that differs in its second granule, but the filler
 * waits for the racer under a mutex, so it is ordered after the racer's
 * write and read too, and its writes over both buffers race with
 * nothing. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
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

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int poked;
static atomic_int done;

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
    pthread_mutex_lock(&lock);
    poked = 1;
    pthread_mutex_unlock(&lock);
    return NULL;
}

static void *filler(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&lock);
        int ready = poked;
        pthread_mutex_unlock(&lock);
        if (ready)
            break;
        usleep(1000);
    }
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
