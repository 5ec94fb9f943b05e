/* leak_mainexit_clean.c: main leaves by pthread_exit while two joinable
 * workers still run; nobody ever joins them, and the process ends with
 * the last of them (exit status 0).  They are not leaks: the program let
 * them run to the end of the process.  Silent.  Twin: leak_finished.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: stdout=main leaves\nworker done\nworker done\n
// RACEWATCH-EXPECT: clean
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t out = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
    usleep(50 * 1000 * (1 + (int)(long)arg));
    pthread_mutex_lock(&out);
    printf("worker done\n");
    fflush(stdout);
    pthread_mutex_unlock(&out);
    return NULL;
}

int main(void)
{
    pthread_t t;
    for (long i = 0; i < 2; i++)
        pthread_create(&t, NULL, worker, (void *)i);
    printf("main leaves\n");
    fflush(stdout);
    pthread_exit(NULL);
}
