/* spawn.c: run one program and report its wall time, CPU time and peak RSS.
 *
 * Why this exists: a process's peak RSS (ru_maxrss from wait4) is carried
 * across execve, so a program forked by the Python runner starts with the
 * runner's ~16 MiB already counted and a 1.5 MiB workload reads as 16 MiB.
 * This helper is small: the program is forked from it, so the baseline is
 * under 1 MiB, like /usr/bin/time's.  It waits with wait4 and writes one
 * line to RESULT_FILE:
 *
 *     <exit status or -signal> <ru_maxrss KiB> <wall s> <user s> <sys s> <timed out 0/1>
 *
 * usage: spawn RESULT_FILE TIMEOUT_SECONDS PROGRAM [ARG...]
 * The program's stdin, stdout and stderr are the helper's.  After
 * TIMEOUT_SECONDS the program is killed with SIGKILL. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t timed_out;
static volatile pid_t child;

static void on_alarm(int sig)
{
    (void)sig;
    timed_out = 1;
    if (child > 0)
        kill(child, SIGKILL);
}

static double secs(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: spawn RESULT_FILE TIMEOUT_SECONDS PROGRAM [ARG...]\n");
        return 2;
    }
    double timeout = strtod(argv[2], NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0) {
        perror("spawn: fork");
        return 2;
    }
    if (pid == 0) {
        execvp(argv[3], argv + 3);
        fprintf(stderr, "spawn: %s: %s\n", argv[3], strerror(errno));
        _exit(127);
    }
    child = pid;
    if (timeout > 0) {
        struct itimerval it = { { 0, 0 }, { (time_t)timeout,
                                           (suseconds_t)((timeout - (time_t)timeout) * 1e6) } };
        setitimer(ITIMER_REAL, &it, NULL);
    }
    int status;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
            perror("spawn: wait4");
            return 2;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);

    FILE *f = fopen(argv[1], "w");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    fprintf(f, "%d %ld %.6f %.6f %.6f %d\n", code, ru.ru_maxrss, wall,
            secs(ru.ru_utime), secs(ru.ru_stime), (int)timed_out);
    return fclose(f) == 0 ? 0 : 2;
}
