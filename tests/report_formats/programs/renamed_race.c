/* renamed_race.c: overwrites its own arguments in memory, as programs
 * that set their process title do (/proc/self/cmdline then shows the new
 * text; it checks that it does), then, with argv[1] "race", races (a
 * thread's memset of a global, main's memcpy of it, no edge between
 * them) or, with "clean", does the same with a join between them.  Its
 * JSON records must still carry the command line it was started with.
 *
 * The race happens in every run: main polls a relaxed atomic flag (no
 * edge) the thread sets after its write, so both accesses execute, in
 * that order.  memset and memcpy of a size the compiler cannot see are
 * calls, which both modes (racewatch-cc and LD_PRELOAD) watch. */
#include <fcntl.h>
#include <pthread.h>
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

/* 1 if /proc/self/cmdline shows the overwritten arguments. */
static int title_changed(void)
{
    char buf[4096];
    int fd = open("/proc/self/cmdline", O_RDONLY);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    return n > 0 && memchr(buf, '*', (size_t)n) != NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2 || (strcmp(argv[1], "race") && strcmp(argv[1], "clean")))
        return 2;
    int race = !strcmp(argv[1], "race");
    for (int i = 1; i < argc; i++)
        memset(argv[i], '*', strlen(argv[i]));
    if (!title_changed())
        return 3;

    pthread_t t;
    pthread_create(&t, NULL, writer, NULL);
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
