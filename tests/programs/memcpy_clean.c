/* memcpy_clean.c: twin of memcpy_race.c.  Both copies hold the buffer's
 * mutex; the reader waits until the writer has filled the buffer. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=copied: the quick brown fox jumps over the dog\n
// PRELOAD-EXPECT: stdout=copied: the quick brown fox jumps over the dog\n
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char shared[64];
size_t copy_len = 40;
char source[64] = "the quick brown fox jumps over the dog";
static char result[64];
static int filled;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void *writer(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    memcpy(shared, source, copy_len);
    filled = 1;
    pthread_mutex_unlock(&mu);
    return NULL;
}

static void *reader(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&mu);
        if (filled) {
            memcpy(result, shared, copy_len);
            pthread_mutex_unlock(&mu);
            return NULL;
        }
        pthread_mutex_unlock(&mu);
        usleep(1000);
    }
}

int main(void)
{
    pthread_t w, r;
    pthread_create(&r, NULL, reader, NULL);
    pthread_create(&w, NULL, writer, NULL);
    pthread_join(w, NULL);
    pthread_join(r, NULL);
    printf("copied: %s\n", result);
    return 0;
}
