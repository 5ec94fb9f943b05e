/* memcmp_repeat_clean.c: twin of memcmp_repeat_race.c.  The same calls
 * in the same order, each under one mutex: the repeated compares answered
 * by the reader's table of checked ranges, and the copies, are ordered. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=matches 200\n
// PRELOAD-EXPECT: stdout=matches 200\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char name_a[32] = "initial";
char name_b[32] = "initial";
char new_name[32] = "renamed";
char keys[8][16] = {"x", "ix", "inx", "inix", "initx", "initix", "initiax", "initial"};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int reader_done, writer_done;
static int matches;

static void wait_for(atomic_int *flag)
{
    while (!atomic_load_explicit(flag, memory_order_relaxed))
        usleep(1000);
}

static void *reader(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    for (int round = 0; round < 100; round++)
        for (int k = 0; k < 8; k++)
            matches += strcmp(name_a, keys[k]) == 0;
    pthread_mutex_unlock(&lock);
    atomic_store_explicit(&reader_done, 1, memory_order_relaxed);
    wait_for(&writer_done);
    pthread_mutex_lock(&lock);
    for (int round = 0; round < 100; round++)
        matches += strcmp(name_b, new_name) == 0;
    pthread_mutex_unlock(&lock);
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    strcpy(name_b, new_name);
    pthread_mutex_unlock(&lock);
    atomic_store_explicit(&writer_done, 1, memory_order_relaxed);
    wait_for(&reader_done);
    pthread_mutex_lock(&lock);
    strcpy(name_a, new_name);
    pthread_mutex_unlock(&lock);
    return NULL;
}

int main(void)
{
    pthread_t r, w;
    pthread_create(&r, NULL, reader, NULL);
    pthread_create(&w, NULL, writer, NULL);
    pthread_join(r, NULL);
    pthread_join(w, NULL);
    printf("matches %d\n", matches);
    return 0;
}
