/* prodcons_clean.c: twin of prodcons_race.c.  A bounded queue of 2 slots
 * under one mutex with "not empty" / "not full" condition variables; the
 * producer sends 1..10, the consumer sums them. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=sum = 55\n
#include <pthread.h>
#include <stdio.h>

#define CAP 2
#define NITEMS 10

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;
static int queue[CAP];
static int head, count;
static int sum;

static void *producer(void *arg)
{
    (void)arg;
    for (int v = 1; v <= NITEMS; v++) {
        pthread_mutex_lock(&mu);
        while (count == CAP)
            pthread_cond_wait(&not_full, &mu);
        queue[(head + count) % CAP] = v;
        count++;
        pthread_cond_signal(&not_empty);
        pthread_mutex_unlock(&mu);
    }
    return NULL;
}

static void *consumer(void *arg)
{
    (void)arg;
    for (int i = 0; i < NITEMS; i++) {
        pthread_mutex_lock(&mu);
        while (count == 0)
            pthread_cond_wait(&not_empty, &mu);
        int v = queue[head];
        head = (head + 1) % CAP;
        count--;
        pthread_cond_signal(&not_full);
        pthread_mutex_unlock(&mu);
        sum += v; /* only this thread touches sum until main joins it */
    }
    return NULL;
}

int main(void)
{
    pthread_t p, c;
    pthread_create(&c, NULL, consumer, NULL);
    pthread_create(&p, NULL, producer, NULL);
    pthread_join(p, NULL);
    pthread_join(c, NULL);
    printf("sum = %d\n", sum);
    return 0;
}
