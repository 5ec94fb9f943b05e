/* memset_clean.c: twin of memset_race.c.  The clear and the read hold the
 * same mutex, and the reader reads only after the clear. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=buffer[50] = 0, buffer[120] = 120\n
// PRELOAD-EXPECT: stdout=buffer[50] = 0, buffer[120] = 120\n
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char buffer[128];
size_t clear_len = 100;
static int cleared, seen = -1;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void *clearer(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    memset(buffer, 0, clear_len);
    cleared = 1;
    pthread_mutex_unlock(&mu);
    return NULL;
}

static void *peeker(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&mu);
        if (cleared) {
            seen = buffer[50];
            pthread_mutex_unlock(&mu);
            return NULL;
        }
        pthread_mutex_unlock(&mu);
        usleep(1000);
    }
}

int main(void)
{
    for (int i = 0; i < 128; i++)
        buffer[i] = (char)i;
    pthread_t a, b;
    pthread_create(&b, NULL, peeker, NULL);
    pthread_create(&a, NULL, clearer, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("buffer[50] = %d, buffer[120] = %d\n", seen, buffer[120]);
    return 0;
}
