/* realloc_inplace_race.c: growing a block may move it, so realloc is a
 * write of the old block even when glibc then grows it in place.  A 2 MiB
 * block (an mmap'd chunk) sits just below a mapping of the program's,
 * which is unmapped before the block is grown to 4 MiB: an mremap in
 * place.  main fills the block and starts a worker, which reads it with
 * memcpy; main grows it without ordering
 * that read first ("read done" is a relaxed atomic, which orders
 * execution, not memory), joins the
 * worker and copies the block's start: one race (the read and the
 * realloc), and the copy is no use after free.
 * Twin: realloc_inplace_clean.c. */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// PRELOAD-EXPECT: races=1
// RACEWATCH-EXPECT: race @read_old @realloc
// PRELOAD-EXPECT: race @read_old @realloc
// RACEWATCH-EXPECT: stdout=copy[3] = 3\n
// PRELOAD-EXPECT: stdout=copy[3] = 3\n
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define OLD_BYTES (2 << 20)
#define NEW_BYTES (4 << 20)
#define ROOM_BYTES ((16 << 20) + 4096) /* not a multiple of 2 MiB: not aligned to one */

/* Called through volatile pointers: gcc expands fixed-size copies inline,
 * and these must be the library calls (the ones LD_PRELOAD sees). */
static void *(*volatile copy_fn)(void *, const void *, size_t) = memcpy;
static void *(*volatile set_fn)(void *, int, size_t) = memset;

/* A block of OLD_BYTES (an mmap'd chunk of its own: [b - 16, b - 16 +
 * CHUNK_BYTES)), if it can be had, with a mapping of ours ("room") right
 * above it, which the caller unmaps so that the block can grow in place.
 * mmap picks the highest free gap that fits, which may be elsewhere: that
 * gap is plugged with a mapping of the chunk's size and the block made
 * again, up to 64 times; after that the block is used wherever it is (its
 * growth then moves it, and the run checks less).  Our own mappings are
 * made by system call, not through mmap(): racewatch's mmap interceptor
 * may map shadow for them, which would come between. */
#define CHUNK_BYTES ((OLD_BYTES + 24 + 4095) & ~4095)
static char *raw_mmap(size_t len, int prot)
{
    return (char *)syscall(SYS_mmap, NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

static void *block_below(void **room_out)
{
    /* A fixed threshold: freeing an mmap'd chunk would raise it, and the
     * next try's block would come from the heap. */
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    for (int tries = 0;; tries++) {
        char *room = raw_mmap(ROOM_BYTES, PROT_NONE);
        char *b = malloc(OLD_BYTES);
        if (b - 16 + CHUNK_BYTES == room || tries == 63) {
            *room_out = room;
            return b;
        }
        free(b); /* unmapped at once (large) */
        raw_mmap(CHUNK_BYTES, PROT_NONE); /* plug */
        syscall(SYS_munmap, room, ROOM_BYTES);
    }
}

static int *shared;
static int seen[4];
static atomic_int read_done;

static void *worker(void *arg)
{
    (void)arg;
    copy_fn(seen, shared, sizeof seen); /* @read_old */
    atomic_store_explicit(&read_done, 1, memory_order_relaxed);
    return NULL;
}

int main(void)
{
    void *room;
    int *b = block_below(&room);
    set_fn(b, 0, OLD_BYTES);
    b[3] = 3;
    shared = b;
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL); /* the filled block goes with it */
    while (!atomic_load_explicit(&read_done, memory_order_relaxed))
        usleep(1000);
    syscall(SYS_munmap, room, ROOM_BYTES);
    int *grown = realloc(b, NEW_BYTES); /* @realloc */
    pthread_join(t, NULL);
    int copy[16];
    copy_fn(copy, grown, sizeof copy);
    fprintf(stderr, "%s\n", grown == b ? "grown in place" : "moved");
    printf("copy[3] = %d\n", copy[3]);
    free(grown);
    return 0;
}
