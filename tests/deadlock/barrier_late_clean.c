/* barrier_late_clean.c: twin of barrier_missing.c.  The third party does
 * arrive, after sleeping 300 ms: while it sleeps the other two wait at the
 * barrier, which is not a deadlock.  Two rounds. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: clean
// RACEWATCH-EXPECT: stdout=serial threads: 2\n
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_barrier_t three;

static void *worker(void *arg)
{
    int serial = 0;
    if (arg)
        usleep(300 * 1000);
    for (int round = 0; round < 2; round++)
        serial += pthread_barrier_wait(&three) == PTHREAD_BARRIER_SERIAL_THREAD;
    return (void *)(long)serial;
}

int main(void)
{
    pthread_t t1, t2;
    pthread_barrier_init(&three, NULL, 3);
    pthread_create(&t1, NULL, worker, NULL);
    pthread_create(&t2, NULL, worker, (void *)1);
    long serial = (long)worker(NULL);
    void *r1, *r2;
    pthread_join(t1, &r1);
    pthread_join(t2, &r2);
    printf("serial threads: %ld\n", serial + (long)r1 + (long)r2);
    return 0;
}
