/* syncreuse_clean.c: memory reuse is no race on a synchronization object.
 * Thread A initializes a mutex at the start of a heap block and locks it;
 * main frees the block without destroying the mutex (legal for a mutex
 * that is not locked).  Thread B, which nothing orders after A, gets the
 * same memory from malloc (blocks this big are mmap'ed and unmapped at
 * once: B mallocs until a block holds the old mutex's address), puts a
 * statically initialized mutex there and destroys it.  A
 * fresh block owes nothing to the memory's earlier life, so B's destroy
 * does not race with A's lock.  Silent.  Twin: syncdestroy_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=reused\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=reused\n
#include <malloc.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCK (2u << 20)

static sem_t a_done;
static _Atomic(void *) old_block;
static void *first;

static void *thread_a(void *arg)
{
    (void)arg;
    pthread_mutex_t *m = first;
    pthread_mutex_init(m, NULL);
    pthread_mutex_lock(m);
    pthread_mutex_unlock(m);
    sem_post(&a_done);
    return NULL;
}

static void *thread_b(void *arg)
{
    (void)arg;
    void *want;
    while (!(want = atomic_load_explicit(&old_block, memory_order_relaxed)))
        usleep(1000);
    void *held[256];
    int nheld = 0, reused = 0;
    while (nheld < 256) {
        void *p = malloc(BLOCK);
        /* A block that holds the old mutex's address (not always at its
         * start: the runtime's own early mallocs on a thread move where
         * glibc makes that thread's arena, and a hole beside the freed
         * block's can make every later block straddle it). */
        if ((char *)want >= (char *)p &&
            (char *)want + sizeof(pthread_mutex_t) <= (char *)p + BLOCK) {
            static const pthread_mutex_t init = PTHREAD_MUTEX_INITIALIZER;
            memcpy(want, &init, sizeof init);
            pthread_mutex_destroy(want);
            free(p);
            reused = 1;
            break;
        }
        held[nheld++] = p;
    }
    while (nheld > 0)
        free(held[--nheld]);
    printf("%s\n", reused ? "reused" : "not reused");
    return NULL;
}

int main(void)
{
    mallopt(M_MMAP_THRESHOLD, 64 * 1024); /* a fixed threshold: big blocks are always mmap'ed */
    sem_init(&a_done, 0, 0);
    pthread_t a, b;
    pthread_create(&b, NULL, thread_b, NULL);
    first = malloc(BLOCK);
    pthread_create(&a, NULL, thread_a, NULL);
    sem_wait(&a_done);
    free(first);
    atomic_store_explicit(&old_block, first, memory_order_relaxed);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
