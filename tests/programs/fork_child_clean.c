/* fork_child_clean.c: twin of fork_child_race.c.  The child's two threads
 * copy under a mutex; the parent thread's earlier copy, unordered with
 * main, happened before the child's first instruction: no report, in the
 * child or the parent. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
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
size_t copy_len = 40;
char source[64] = "the quick brown fox jumps over the dog";
static atomic_int parent_copied;
static sem_t release_worker;
static pthread_mutex_t shared_mutex = PTHREAD_MUTEX_INITIALIZER;

static void *parent_worker(void *arg)
{
    memcpy(shared, source, copy_len);
    atomic_store_explicit(&parent_copied, 1, memory_order_relaxed);
    sem_wait(&release_worker);
    return arg;
}

static void *child_worker(void *arg)
{
    pthread_mutex_lock(&shared_mutex);
    memcpy(shared, source, copy_len);
    pthread_mutex_unlock(&shared_mutex);
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
