/* realloc_inplace_clean.c: a block that glibc grows in place is still the
 * program's, first bytes included.  A 2 MiB block is an mmap'd chunk of
 * its own, placed just below a mapping of the program's; that mapping
 * is unmapped, so growing the block to 4 MiB is an mremap in place
 * (same address).  A worker fills the block and is joined; main grows it,
 * then copies its start with memcpy.  Growing may move a block, so
 * realloc checks the old block like a free before the call; none of that
 * may survive a growth in place as a "use after free" of the copy.
 * Twin: realloc_inplace_race.c. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=copy[3] = 3\n
// PRELOAD-EXPECT: stdout=copy[3] = 3\n
#include <malloc.h>
#include <pthread.h>
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

static int *buf;

static void *noop(void *arg)
{
    return arg;
}

static void *filler(void *arg)
{
    (void)arg;
    for (int i = 0; i < 256; i++)
        buf[i] = i;
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, noop, NULL); /* thread stacks are mapped first */
    pthread_join(t, NULL);
    void *room;
    buf = block_below(&room);
    set_fn(buf, 0, OLD_BYTES);
    pthread_create(&t, NULL, filler, NULL);
    pthread_join(t, NULL);
    syscall(SYS_munmap, room, ROOM_BYTES);
    int *old = buf;
    buf = realloc(buf, NEW_BYTES);
    int copy[16];
    copy_fn(copy, buf, sizeof copy);
    fprintf(stderr, "%s\n", buf == old ? "grown in place" : "moved");
    printf("copy[3] = %d\n", copy[3]);
    free(buf);
    return 0;
}
