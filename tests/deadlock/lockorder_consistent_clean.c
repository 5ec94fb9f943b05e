/* lockorder_consistent_clean.c: twin of lockorder_abba.c.  Two threads,
 * concurrently, always take a then b (and b alone, and a alone): one order,
 * no cycle, no report.  Nested deeper too: a, b, c, d in order. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: clean
// RACEWATCH-EXPECT: stdout=total 4000\n
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t c = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t d = PTHREAD_MUTEX_INITIALIZER;
static int total;

static void *worker(void *arg)
{
    for (int i = 0; i < 1000; i++) {
        pthread_mutex_lock(&a);
        pthread_mutex_lock(&b);
        total++;
        pthread_mutex_unlock(&b);
        pthread_mutex_unlock(&a);
        pthread_mutex_lock(&b);
        pthread_mutex_unlock(&b);
        pthread_mutex_lock(&a);
        pthread_mutex_lock(&b);
        pthread_mutex_lock(&c);
        pthread_mutex_lock(&d);
        total++;
        pthread_mutex_unlock(&d);
        pthread_mutex_unlock(&c);
        pthread_mutex_unlock(&b);
        pthread_mutex_unlock(&a);
    }
    return arg;
}

int main(void)
{
    pthread_t t1, t2;
    pthread_create(&t1, NULL, worker, NULL);
    pthread_create(&t2, NULL, worker, NULL);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    printf("total %d\n", total);
    return 0;
}
