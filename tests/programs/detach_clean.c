/* detach_clean.c: twin of detach_race.c.  The detached thread posts a
 * semaphore after writing its status; main waits on it before reading.
 * The second thread is created detached through its attributes. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=status = 3\n
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

int status;
static sem_t done;

static void *worker(void *arg)
{
    status += (int)(long)arg;
    sem_post(&done);
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_attr_t attr;
    sem_init(&done, 0, 0);

    pthread_create(&t, NULL, worker, (void *)1L);
    pthread_detach(t);
    sem_wait(&done);

    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_create(&t, &attr, worker, (void *)2L);
    pthread_attr_destroy(&attr);
    sem_wait(&done);

    printf("status = %d\n", status);
    return 0;
}
