/* use_after_free.c: a worker frees a block, main joins it and then reads
 * the block (memcpy): "WARNING: USE AFTER FREE", exit 66. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static volatile size_t len = sizeof(int);

static void *worker(void *block)
{
    free(block);
    return NULL;
}

int main(void)
{
    int *block = calloc(16, sizeof *block);
    pthread_t t;
    pthread_create(&t, NULL, worker, block);
    pthread_join(t, NULL);
    int v;
    memcpy(&v, &block[3], len);
    __asm__ volatile("" : : "r"(v));
    return 0;
}
