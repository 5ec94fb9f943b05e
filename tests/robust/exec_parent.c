/* exec_parent.c: run by run_robust_test.py --case exec with the path of
 * exec_child as argv[1].  A threaded program that executes another three
 * ways: fork + execv, system() (through /bin/sh, which execs it in turn)
 * and finally execv in place of itself.  Natively every status is 0; when
 * the children are watched each reports and exits 66. */
// ROBUST: exit=0
// ROBUST: stdout=exec_child forked done\nforked child: status 0\nexec_child system done\nsystem: status 0\nexec_child in-place done\n
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void *worker(void *arg)
{
    return arg;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);

    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        execl(argv[1], argv[1], "forked", (char *)NULL);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("forked child: status %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);

    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' system", argv[1]);
    fflush(stdout);
    st = system(cmd);
    printf("system: status %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);

    fflush(stdout);
    execl(argv[1], argv[1], "in-place", (char *)NULL);
    return 126;
}
