/* race_then_end.c: a data race, then the process ends the way argv[1]
 * says: "exit" (normally), "_exit", "abort" or "kill" (SIGKILL to
 * itself).  The race's record must be in the JSON file in every case;
 * only a normal exit adds the summary record. */
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
    return 0;
}
