/* memcpy_handback_clean.c: twin of memcpy_handback_race.c.  The same
 * hand-over and refill (fill_pair_over), then the same reads and write by
 * the third thread, but after it took the mutex the main thread released
 * after the refill: each is ordered after the refill and the reader's
 * copy; and the second buffer is refilled after the reader's copy of it
 * ends under the mutex (the reader's cell happens before the refill), and
 * the third buffer refilled from its second granule to its second last. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=peeked bb aa bbb\n
// PRELOAD-EXPECT: stdout=peeked bb aa bbb\n
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define SIZE 256
char source[SIZE] __attribute__((aligned(64)));
char handed[SIZE] __attribute__((aligned(64)));
char loose[SIZE] __attribute__((aligned(64)));
char shifted[SIZE] __attribute__((aligned(64)));
char taken[SIZE], taken_loose[SIZE], taken_shifted[SIZE];
char peeked[3], peeked_shifted[4];
size_t one = 1;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int readers_turn, refilled, loose_read;

static void *reader(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    while (!readers_turn)
        pthread_cond_wait(&changed, &lock);
    memcpy(taken, handed, SIZE * one);
    memcpy(taken_shifted, shifted, SIZE * one);
    readers_turn = 0;
    pthread_cond_signal(&changed);
    pthread_mutex_unlock(&lock);
    memcpy(taken_loose, loose, SIZE * one);
    pthread_mutex_lock(&lock);
    loose_read = 1;
    pthread_mutex_unlock(&lock);
    return NULL;
}

static void *peeker(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&lock);
        int done = refilled;
        pthread_mutex_unlock(&lock);
        if (done)
            break;
        usleep(1000);
    }
    memcpy(peeked, handed + 3, one);
    memcpy(peeked + 1, handed + 13, one);
    memset(handed + 250, 9, one);
    memcpy(peeked_shifted, shifted + 9, one);
    memcpy(peeked_shifted + 1, shifted + 21, one);
    memcpy(peeked_shifted + 2, shifted + 245, one);
    return NULL;
}

int main(void)
{
    pthread_t r, p;
    pthread_create(&p, NULL, peeker, NULL);
    memset(source, 'a', SIZE * one);
    memcpy(handed, source, SIZE * one);
    memcpy(loose, source, SIZE * one);
    memcpy(shifted, source, SIZE * one);
    pthread_create(&r, NULL, reader, NULL);
    pthread_mutex_lock(&lock);
    readers_turn = 1;
    pthread_cond_signal(&changed);
    while (readers_turn)
        pthread_cond_wait(&changed, &lock);
    pthread_mutex_unlock(&lock);
    memset(source, 'b', SIZE * one);
    memcpy(handed, source, SIZE * one);
    memcpy(shifted + 8, source, (SIZE - 16) * one);
    pthread_mutex_lock(&lock);
    refilled = 1;
    pthread_mutex_unlock(&lock);
    for (;;) {
        pthread_mutex_lock(&lock);
        int done = loose_read;
        pthread_mutex_unlock(&lock);
        if (done)
            break;
        usleep(1000);
    }
    memcpy(loose, source, SIZE * one);
    pthread_join(p, NULL);
    pthread_join(r, NULL);
    printf("peeked %s %c%c %s\n", peeked, taken[250], taken_loose[250], peeked_shifted);
    return 0;
}
