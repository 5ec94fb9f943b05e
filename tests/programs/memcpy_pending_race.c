/* memcpy_pending_race.c: a thread's short copies from one call site into
 * a window are checked at once but stored later (runtime/pending_write.c):
 * at a later copy outside the window, before the thread's next acquire,
 * when the window moves on, and at the thread's end.  Another thread,
 * never ordered with the copies (relaxed flags: no edge), reads or writes
 * one byte of each stored part, some before the store (the store finds
 * them) and some after it (they find the store): four races, each
 * reported once with the copy's line.
 * Twin: memcpy_pending_clean.c (the same steps, ordered by a mutex). */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=4
// PRELOAD-EXPECT: races=4
// RACEWATCH-EXPECT: race @peek_early @copy
// PRELOAD-EXPECT: race @peek_early @copy
// RACEWATCH-EXPECT: race @poke @copy
// PRELOAD-EXPECT: race @poke @copy
// RACEWATCH-EXPECT: race @peek_moved @copy
// PRELOAD-EXPECT: race @peek_moved @copy
// RACEWATCH-EXPECT: race @peek_end @copy
// PRELOAD-EXPECT: race @peek_end @copy
// RACEWATCH-EXPECT: location=global window
// PRELOAD-EXPECT: location=global window
// RACEWATCH-EXPECT: stdout=peeked 11C\n
// PRELOAD-EXPECT: stdout=peeked 11C\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

char window[512] __attribute__((aligned(64)));
const char source[] = "0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
char peeked[5];
size_t one = 1; /* a non-constant size: memcpy stays a call */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int step;

/* Waits call nothing: the copier's window stays open meanwhile. */
static void wait_step(int s)
{
    while (atomic_load_explicit(&step, memory_order_relaxed) < s)
        __builtin_ia32_pause();
}

static void set_step(int s)
{
    atomic_store_explicit(&step, s, memory_order_relaxed);
}

__attribute__((noinline)) static void copy(size_t at, size_t from, size_t n)
{
    memcpy(window + at, source + from, n); /* @copy */
}

static void *copier(void *arg)
{
    (void)arg;
    copy(0, 0, 4 * one); /* [0, 4) */
    set_step(1);
    wait_step(2);          /* the reader read byte 1 */
    copy(300, 0, 8 * one); /* far away: [0, 4) stored now */
    set_step(3);
    wait_step(4);          /* the reader wrote byte 305, then unlocked */
    pthread_mutex_lock(&lock); /* [300, 308) stored before the acquire */
    pthread_mutex_unlock(&lock);
    copy(308, 0, 64 * one);
    copy(372, 0, 64 * one); /* the window moves on: [308, 312) stored */
    set_step(5);
    wait_step(6);           /* the reader read byte 309 */
    set_step(7);            /* [372, 436) stored at the thread's end */
    return NULL;
}

static void *reader(void *arg)
{
    (void)arg;
    wait_step(1);
    memcpy(peeked, window + 1, one); /* @peek_early */
    set_step(2);
    wait_step(3);
    memset(window + 305, '#', one); /* @poke */
    pthread_mutex_lock(&lock);
    pthread_mutex_unlock(&lock);
    set_step(4);
    wait_step(5);
    memcpy(peeked + 1, window + 309, one); /* @peek_moved */
    set_step(6);
    wait_step(7);
    memcpy(peeked + 2, window + 420, one); /* @peek_end */
    return NULL;
}

int main(void)
{
    pthread_t c, r;
    pthread_create(&c, NULL, copier, NULL);
    pthread_create(&r, NULL, reader, NULL);
    pthread_join(c, NULL);
    pthread_join(r, NULL);
    printf("peeked %s\n", peeked);
    return 0;
}
