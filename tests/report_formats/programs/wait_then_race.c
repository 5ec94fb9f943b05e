/* wait_then_race.c: writes its pid to the file argv[1], waits until the
 * file argv[2] exists, then, with argv[3] "race", races (a thread's
 * memset of a global, main's memcpy of it, no edge between them) or,
 * with "clean", does the same with a join between them.  Nothing is
 * reported before the wait, so a test can put files in the JSON
 * directory, knowing the pid, before racewatch opens the process's own.
 *
 * The race happens in every run: main polls a relaxed atomic flag (no
 * edge) the thread sets after its write, so both accesses execute, in
 * that order.  memset and memcpy of a size the compiler cannot see are
 * calls, which both modes (racewatch-cc and LD_PRELOAD) watch. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int shared;
static int written; /* relaxed: orders execution, not memory */
static volatile size_t size = sizeof shared;

static void *writer(void *arg)
{
    (void)arg;
    memset(&shared, 1, size);
    __atomic_store_n(&written, 1, __ATOMIC_RELAXED);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 4 || (strcmp(argv[3], "race") && strcmp(argv[3], "clean"))) {
        fprintf(stderr, "usage: wait_then_race PIDFILE GOFILE race|clean\n");
        return 2;
    }
    char tmp[4200], text[32];
    snprintf(tmp, sizeof tmp, "%s.tmp", argv[1]);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int n = snprintf(text, sizeof text, "%d\n", (int)getpid());
    if (fd < 0 || write(fd, text, (size_t)n) != n || close(fd) != 0 || rename(tmp, argv[1]) != 0)
        return 3;
    while (access(argv[2], F_OK) != 0)
        usleep(10000);

    pthread_t t;
    pthread_create(&t, NULL, writer, NULL);
    int race = !strcmp(argv[3], "race");
    if (race) {
        while (!__atomic_load_n(&written, __ATOMIC_RELAXED))
            usleep(1000);
    } else {
        pthread_join(t, NULL);
    }
    int seen;
    memcpy(&seen, &shared, size); /* races with the thread's memset unless joined */
    if (race)
        pthread_join(t, NULL);
    return seen == 0x01010101 ? 0 : 4;
}
