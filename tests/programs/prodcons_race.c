/* prodcons_race.c: producer/consumer with a condition variable, but the
 * producer writes the item outside the lock, after signalling: the consumer
 * wakes, sees `ready` and reads an item that nothing orders with its write.
 * Twin: prodcons_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @item_w @item_r
// RACEWATCH-EXPECT: location=global item
// RACEWATCH-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdio.h>

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int ready;
int item;

static void *producer(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    ready = 1;
    pthread_cond_signal(&cv);
    pthread_mutex_unlock(&mu);
    item = 42; /* @item_w */
    return NULL;
}

static void *consumer(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    while (!ready)
        pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    use(item); /* @item_r */
    return NULL;
}

int main(void)
{
    pthread_t p, c;
    pthread_create(&c, NULL, consumer, NULL);
    pthread_create(&p, NULL, producer, NULL);
    pthread_join(p, NULL);
    pthread_join(c, NULL);
    printf("done\n");
    return 0;
}
