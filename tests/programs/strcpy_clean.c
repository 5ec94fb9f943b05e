/* strcpy_clean.c: twin of strcpy_race.c.  strcpy, strlen and strcmp on the
 * shared buffer all hold its mutex. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=len = 17, renamed\n
// PRELOAD-EXPECT: stdout=len = 17, renamed\n
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char name[32] = "initial";
char new_name[32] = "renamed-by-thread";
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int len, renamed;

static void *renamer(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    strcpy(name, new_name);
    pthread_mutex_unlock(&mu);
    return NULL;
}

static void *measurer(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&mu);
        int done = strcmp(name, "initial") != 0;
        if (done)
            len = (int)strlen(name);
        pthread_mutex_unlock(&mu);
        if (done)
            return NULL;
        usleep(1000);
    }
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&b, NULL, measurer, NULL);
    pthread_create(&a, NULL, renamer, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    renamed = strcmp(name, new_name) == 0;
    printf("len = %d, %s\n", len, renamed ? "renamed" : "?");
    return 0;
}
