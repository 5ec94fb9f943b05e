/* fork_race.c: the parent forks a child that races (two threads write
 * a global) and waits for it; the parent itself is clean.  The child's
 * report goes to the child's own JSON file. */
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

static int counter;

static void *bump(void *arg)
{
    (void)arg;
    counter++; /* the child's two threads race here */
    return NULL;
}

int main(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        pthread_t x, y;
        pthread_create(&x, NULL, bump, NULL);
        pthread_create(&y, NULL, bump, NULL);
        pthread_join(x, NULL);
        pthread_join(y, NULL);
        return 0;
    }
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 66 ? 0 : 1;
}
