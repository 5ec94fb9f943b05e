/* stackreuse_race.c: twin of stackreuse_clean.c.  The same relay of
 * detached threads on reused stacks, but each one also records itself in a
 * global AFTER signalling main: consecutive threads' writes of `last` are
 * unordered.  Only that global may be reported, never the reused stacks.
 * Before it exits, main waits (relaxed loads: no order) until every
 * thread has written: otherwise a thread starved on a loaded machine
 * writes while the process exits, after the summary counted the reports. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @last @last
// RACEWATCH-EXPECT: location=global last
// RACEWATCH-EXPECT: stdout=sums 32640 32640 32640 32640 32640\n
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <unistd.h>

#define ROUNDS 5
#define BUF 256

static sem_t done;
static int sums[ROUNDS];
int last;
static int wrote[ROUNDS];
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
    fill(buf, id);
    fill(tls_scratch, id);
    last = id; /* @last */
    __atomic_store_n(&wrote[id], 1, __ATOMIC_RELAXED);
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
        usleep(10000);
    }
    pthread_attr_destroy(&attr);
    for (int r = 0; r < ROUNDS; r++)
        while (!__atomic_load_n(&wrote[r], __ATOMIC_RELAXED))
            usleep(1000);
    printf("sums");
    for (int r = 0; r < ROUNDS; r++)
        printf(" %d", sums[r]);
    printf("\n");
    return 0;
}
