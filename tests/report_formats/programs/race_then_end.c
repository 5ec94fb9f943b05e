/* race_then_end.c: a data race, then the process ends the way argv[1]
 * says: "exit" (normally), "_exit", "abort", "kill" (SIGKILL to itself),
 * "segv" (a store through a null pointer), or "hang": create the file
 * argv[2] and sleep until killed from outside (a signal, a test runner's
 * timeout).  The race's record must be in the JSON file and its text in
 * the log in every case; only exit and _exit add the summary record. */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int shared;

static void *writer(void *arg)
{
    (void)arg;
    shared = 1; /* races with main's read */
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t t;
    pthread_create(&t, NULL, writer, NULL);
    pthread_join(t, NULL);
    pthread_create(&t, NULL, writer, NULL); /* no edge from this one to main */
    int seen = shared;
    pthread_join(t, NULL);
    const char *how = argc > 1 ? argv[1] : "exit";
    if (!strcmp(how, "_exit"))
        _exit(seen + 2);
    if (!strcmp(how, "abort"))
        abort();
    if (!strcmp(how, "kill"))
        raise(SIGKILL);
    if (!strcmp(how, "segv")) {
        volatile int *volatile nowhere = NULL;
        *nowhere = seen;
    }
    if (!strcmp(how, "hang")) {
        if (argc > 2)
            close(open(argv[2], O_WRONLY | O_CREAT, 0644));
        for (;;)
            pause();
    }
    return 0;
}
