/* loopvar_race.c: the seed tutorial's loop-variable capture, in C: the
 * address of the loop counter is handed to every thread, and main goes on
 * incrementing it while the threads read it.  Twin: loopvar_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @loop @read
// RACEWATCH-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdio.h>

#define NTHREADS 4

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

static void *worker(void *arg)
{
    int id = *(int *)arg; /* @read */
    use(id);
    return NULL;
}

int main(void)
{
    pthread_t t[NTHREADS];
    for (int i = 0; i < NTHREADS; i++) { /* @loop */
        pthread_create(&t[i], NULL, worker, &i);
    }
    for (int i = 0; i < NTHREADS; i++)
        pthread_join(t[i], NULL);
    printf("done\n");
    return 0;
}
