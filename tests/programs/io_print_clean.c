/* io_print_clean.c: io_print_race.c made right: the second thread waits
 * on a semaphore that the first posts after printing, so its store comes
 * after the first one's.  Silent in both modes.  Twin: io_print_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=a 1\nA\nA2\nb 2\nB\nB2\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=a 1\nA\nA2\nb 2\nB\nB2\n
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int shared;
static volatile size_t len = sizeof(int);
static sem_t printed;

static void print_all(const char *tag, int v, const char *line, const char *raw)
{
    printf("%s %d\n", tag, v);
    puts(line);
    fflush(stdout);
    if (write(1, raw, strlen(raw)) < 0)
        _exit(1);
}

static void *first(void *arg)
{
    int v = 1;
    memcpy(&shared, &v, len);
    print_all("a", v, "A", "A2\n");
    sem_post(&printed);
    return arg;
}

static void *second(void *arg)
{
    int v = 2;
    sem_wait(&printed);
    print_all("b", v, "B", "B2\n");
    memcpy(&shared, &v, len);
    return arg;
}

int main(void)
{
    pthread_t a, b;
    sem_init(&printed, 0, 0);
    pthread_create(&a, NULL, first, NULL);
    pthread_create(&b, NULL, second, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
