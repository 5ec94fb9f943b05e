/* fork_child_race.c: a threaded parent forks; in the child, two threads
 * the child creates memcpy into the same buffer with nothing between them:
 * one race, reported by the child (which exits 66; the parent passes its
 * status on).  A parent thread copied into that buffer too before the
 * fork, ordered with main by nothing but a relaxed flag: it does not exist
 * in the child and all it did happened before the child's first
 * instruction, so it takes part in no report.  Twin: fork_child_clean.c. */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// PRELOAD-EXPECT: races=1
// RACEWATCH-EXPECT: race @child_copy @child_copy
// PRELOAD-EXPECT: race @child_copy @child_copy
// RACEWATCH-EXPECT: location=global shared
// PRELOAD-EXPECT: location=global shared
// RACEWATCH-EXPECT: stdout=child: copied\nparent: done\n
// PRELOAD-EXPECT: stdout=child: copied\nparent: done\n
// TSAN-EXPECT: dies-after-fork
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

char shared[64];
size_t copy_len = 40; /* a non-constant size: memcpy stays a call */
char source[64] = "the quick brown fox jumps over the dog";
static atomic_int parent_copied;
static sem_t release_worker;

static void *parent_worker(void *arg)
{
    memcpy(shared, source, copy_len); /* @parent_copy */
    atomic_store_explicit(&parent_copied, 1, memory_order_relaxed);
    sem_wait(&release_worker);
    return arg;
}

static void *child_worker(void *arg)
{
    memcpy(shared, source, copy_len); /* @child_copy */
    return arg;
}

int main(void)
{
    pthread_t w;
    sem_init(&release_worker, 0, 0);
    pthread_create(&w, NULL, parent_worker, NULL);
    while (!atomic_load_explicit(&parent_copied, memory_order_relaxed))
        usleep(1000);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        pthread_t t[2];
        for (int i = 0; i < 2; i++)
            pthread_create(&t[i], NULL, child_worker, NULL);
        for (int i = 0; i < 2; i++)
            pthread_join(t[i], NULL);
        printf("child: copied\n");
        exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    sem_post(&release_worker);
    pthread_join(w, NULL);
    printf("parent: done\n");
    return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
