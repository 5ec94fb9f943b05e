/* stackreuse_clean.c: thread stacks (and TLS blocks) are reused.  Five
 * detached threads run one after another; each signals main, then goes on
 * writing its own stack buffer and __thread scratch before it exits.  The
 * next thread usually gets the same stack from glibc's cache, and writes the
 * same addresses with no happens-before edge to the previous owner's last
 * writes.  Correct: a dead thread's stack must not race with its reuse. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=sums 32640 32640 32640 32640 32640\n
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <unistd.h>

#define ROUNDS 5
#define BUF 256

static sem_t done;
static int sums[ROUNDS];
static __thread unsigned char tls_scratch[BUF];

static __attribute__((noinline)) void fill(unsigned char *b, int seed)
{
    for (int i = 0; i < BUF; i++)
        b[i] = (unsigned char)(i + seed);
}

static __attribute__((noinline)) int sum(const unsigned char *b)
{
    int s = 0;
    for (int i = 0; i < BUF; i++)
        s += b[i];
    return s;
}

static void *worker(void *arg)
{
    int id = (int)(long)arg;
    unsigned char buf[BUF];
    fill(buf, 0);
    fill(tls_scratch, 0);
    sums[id] = sum(buf);
    sem_post(&done);
    /* after the post: unordered with the next thread's life */
    fill(buf, id);
    fill(tls_scratch, id);
    __asm__ volatile("" : : "r"(buf) : "memory");
    return NULL;
}

int main(void)
{
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    sem_init(&done, 0, 0);
    for (long r = 0; r < ROUNDS; r++) {
        pthread_t t;
        pthread_create(&t, &attr, worker, (void *)r);
        sem_wait(&done);
        usleep(10000); /* let it exit, so that its stack is cached for reuse */
    }
    pthread_attr_destroy(&attr);
    printf("sums");
    for (int r = 0; r < ROUNDS; r++)
        printf(" %d", sums[r]);
    printf("\n");
    return 0;
}
