/* memcpy_continue_race.c: a thread writes a buffer piece by piece with
 * memcpy, each piece at or a little past the end of the one before (a
 * decoder's window: copies with literals between them): such a write is
 * checked at once, without the look-ups for ranges already checked
 * (runtime/range_seen.h, rw_range_seen_write_continues).  Afterwards
 * another thread, not ordered after the copies (a relaxed flag: no edge),
 * reads one byte of each piece: each read races with its piece's write.
 * Twin: memcpy_continue_clean.c (the reader waits under the writer's
 * mutex). */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=4
// PRELOAD-EXPECT: races=4
// RACEWATCH-EXPECT: race @peek_first @copy
// PRELOAD-EXPECT: race @peek_first @copy
// RACEWATCH-EXPECT: race @peek_gap @copy
// PRELOAD-EXPECT: race @peek_gap @copy
// RACEWATCH-EXPECT: race @peek_next @copy
// PRELOAD-EXPECT: race @peek_next @copy
// RACEWATCH-EXPECT: race @peek_far @copy
// PRELOAD-EXPECT: race @peek_far @copy
// RACEWATCH-EXPECT: location=global window
// PRELOAD-EXPECT: location=global window
// RACEWATCH-EXPECT: stdout=peeked 1agl\n
// PRELOAD-EXPECT: stdout=peeked 1agl\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char window[64] __attribute__((aligned(8)));
const char source[] = "0123456789abcdefghijklmnopqrstuvwxyz";
char peeked[5];
size_t one = 1; /* a non-constant size: memcpy stays a call */

static atomic_int copied;

__attribute__((noinline)) static void copy(size_t at, size_t from, size_t n)
{
    memcpy(window + at, source + from, n); /* @copy */
}

static void *writer(void *arg)
{
    (void)arg;
    copy(0, 0, 3 * one);   /* [0, 3) */
    copy(5, 10, 4 * one);  /* [5, 9): two bytes past the last end */
    copy(9, 14, 3 * one);  /* [9, 12): at the last end */
    copy(40, 20, 4 * one); /* [40, 44): 28 bytes past it */
    atomic_store_explicit(&copied, 1, memory_order_relaxed);
    return NULL;
}

static void *reader(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&copied, memory_order_relaxed))
        usleep(1000);
    memcpy(peeked, window + 1, one);      /* @peek_first */
    memcpy(peeked + 1, window + 5, one);  /* @peek_gap */
    memcpy(peeked + 2, window + 11, one); /* @peek_next */
    memcpy(peeked + 3, window + 41, one); /* @peek_far */
    return NULL;
}

int main(void)
{
    pthread_t w, r;
    pthread_create(&w, NULL, writer, NULL);
    pthread_create(&r, NULL, reader, NULL);
    pthread_join(w, NULL);
    pthread_join(r, NULL);
    printf("peeked %s\n", peeked);
    return 0;
}
