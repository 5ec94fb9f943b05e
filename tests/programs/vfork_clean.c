/* vfork_clean.c: four threads start children the way CPython's subprocess
 * module does, while the others write to fd 1: three vfork a child that
 * opens /dev/null, dup2()s it over fd 1, closes it and then execs
 * /bin/true or calls _exit; the fourth posix_spawn()s /bin/true with the
 * same redirection as file actions (glibc clones that child with
 * CLONE_VM|CLONE_VFORK itself).  What a child does to its own descriptor
 * table is no access of the parent's threads: no report.  racewatch once
 * recorded the vfork child's dup2 and close as its parent thread's own
 * (the child runs on that thread's stack and memory until it execs) and
 * reported races on fd 1 (runtime/intercept_fork.c).  Each thread then
 * records its last child's status in a shared buffer under a mutex.
 * Twin: vfork_race.c. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nlast: exit 0\n
// PRELOAD-EXPECT: stdout=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nlast: exit 0\n
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define THREADS 4
#define CHILDREN 8

extern char **environ;
static char last[32];
size_t last_len = 7;      /* a non-constant size: memcpy stays a call */
static pthread_mutex_t last_lock = PTHREAD_MUTEX_INITIALIZER;

static pid_t start_vfork_child(int exec_it)
{
    pid_t pid = vfork();
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        dup2(fd, 1);
        close(fd);
        if (exec_it)
            execl("/bin/true", "true", (char *)NULL);
        _exit(0);
    }
    return pid;
}

static pid_t start_spawned_child(void)
{
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    char *argv[] = { "true", NULL };
    pid_t pid;
    if (posix_spawn(&pid, "/bin/true", &actions, NULL, argv, environ) != 0)
        abort();
    posix_spawn_file_actions_destroy(&actions);
    return pid;
}

static void *worker(void *arg)
{
    long k = (long)arg;
    for (int i = 0; i < CHILDREN; i++) {
        pid_t pid = k == THREADS - 1 ? start_spawned_child() : start_vfork_child(i & 1);
        int st;
        if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
            abort();
        if (write(1, "x", 1) != 1)
            abort();
        pthread_mutex_lock(&last_lock);
        memcpy(last, "exit 0\n", last_len);
        pthread_mutex_unlock(&last_lock);
    }
    return arg;
}

int main(void)
{
    pthread_t t[THREADS];
    for (long i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, worker, (void *)i);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    printf("\nlast: %s", last);
    return 0;
}
