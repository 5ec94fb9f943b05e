/* strcmp_free_clean.c: twin of strcmp_free_race.c.  The repeated compares
 * and the free hold one mutex, so the free is ordered after them. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=matches 100\n
// PRELOAD-EXPECT: stdout=matches 100\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char key[16] = "initial";
static char *name;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int compared;
static int matches;

static void *reader(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    for (int round = 0; round < 100; round++)
        matches += strcmp(name, key) == 0;
    pthread_mutex_unlock(&lock);
    atomic_store_explicit(&compared, 1, memory_order_relaxed);
    return NULL;
}

static void *freer(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&compared, memory_order_relaxed))
        usleep(1000);
    pthread_mutex_lock(&lock);
    free(name);
    pthread_mutex_unlock(&lock);
    return NULL;
}

int main(void)
{
    name = malloc(32);
    strcpy(name, key);
    pthread_t r, f;
    pthread_create(&r, NULL, reader, NULL);
    pthread_create(&f, NULL, freer, NULL);
    pthread_join(r, NULL);
    pthread_join(f, NULL);
    printf("matches %d\n", matches);
    return 0;
}
