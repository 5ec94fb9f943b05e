/* realloc_loop.c: two threads each grow and shrink their own block 25,000
 * times (a buffer that breathes: sizes wander between 4 KiB and 1 MiB in
 * steps of up to 32 KiB), writing its head and its last byte each time
 * and checking that realloc kept the head.  glibc keeps such a block where
 * it is (mremap): natively the run takes a fraction of a second, and
 * racewatch must stay proportional to the bytes that change owner, not to
 * the block (it used to clear and copy the whole block's shadow on every
 * call: minutes).  25,000 calls, not 100,000: on a loaded two-core VM
 * the native run's mremaps and their TLB shootdowns alone took 29 s (load
 * 14), past the 20 s limit; a quarter of the old cost (minutes) is still
 * far past it.
 * Race-free: each block belongs to one thread. */
// ROBUST: exit=0
// ROBUST: stdout=thread 0: 25000 reallocs, head intact\nthread 1: 25000 reallocs, head intact\n
// ROBUST: timeout=20
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CALLS 25000
#define MIN_SIZE (4u << 10)
#define MAX_SIZE (1u << 20)
#define MAX_STEP (32u << 10)
#define HEAD 64

static int intact[2];

static void *breathe(void *arg)
{
    int id = (int)(long)arg;
    unsigned seed = 12345u + (unsigned)id;
    size_t size = MIN_SIZE;
    unsigned char *block = malloc(size);
    for (int i = 0; i < HEAD; i++)
        block[i] = (unsigned char)(i * 7 + id);
    int ok = 1;
    for (int call = 0; call < CALLS; call++) {
        seed = seed * 1103515245u + 12345u;
        size_t step = (seed >> 8) % MAX_STEP;
        if ((seed >> 30) & 1)
            size = size + step > MAX_SIZE ? size - step : size + step;
        else
            size = size < MIN_SIZE + step ? size + step : size - step;
        block = realloc(block, size);
        for (int i = 0; i < HEAD; i++)
            ok &= block[i] == (unsigned char)(i * 7 + id);
        block[size - 1] = (unsigned char)call;
    }
    free(block);
    intact[id] = ok;
    return NULL;
}

int main(void)
{
    pthread_t threads[2];
    for (long i = 0; i < 2; i++)
        pthread_create(&threads[i], NULL, breathe, (void *)i);
    for (int i = 0; i < 2; i++)
        pthread_join(threads[i], NULL);
    for (int i = 0; i < 2; i++)
        printf("thread %d: %d reallocs, head %s\n", i, CALLS, intact[i] ? "intact" : "CHANGED");
    return 0;
}
