/* memcpy_merge_race.c: a thread copies two adjacent pieces into one
 * granule in one epoch (bytes 0-1, then 2-3): the range fill makes its
 * cell of the first piece the union, bytes 0-3, with the second copy's
 * clock (detector/race_check.c, merge_own_run).  It copies bytes 8-11
 * one at a time ([8, 10) merged, [10, 11) a cell of its own, [10, 12)
 * merged).  It also writes bytes
 * 16-17, then reads bytes 18-19 (a read beside a write of its own, which
 * covers reads but must never become one cell with it).  Afterwards
 * another thread, not ordered after the copies (a relaxed flag: no
 * edge), writes byte 0 (the first piece's), byte 3 (the second's) and
 * byte 9 (inside a merged cell),
 * and reads byte 16 (the write beside the read): each races; and it
 * reads byte 18, which the copier only read: silent.
 * Twin: memcpy_merge_clean.c (the second thread waits under the
 * copier's mutex). */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=4
// PRELOAD-EXPECT: races=4
// RACEWATCH-EXPECT: race @write_old @copy
// PRELOAD-EXPECT: race @write_old @copy
// RACEWATCH-EXPECT: race @write_new @copy
// PRELOAD-EXPECT: race @write_new @copy
// RACEWATCH-EXPECT: race @write_byte @copy
// PRELOAD-EXPECT: race @write_byte @copy
// RACEWATCH-EXPECT: race @read_kept @copy
// PRELOAD-EXPECT: race @read_kept @copy
// RACEWATCH-EXPECT: location=global buf
// PRELOAD-EXPECT: location=global buf
// RACEWATCH-EXPECT: stdout=done 1\n
// PRELOAD-EXPECT: stdout=done 1\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char buf[24] __attribute__((aligned(8))) = "..............0123456789";
char source[8] = "abcdefg";
char peeked[8], kept[8];
size_t two = 2; /* non-constant sizes: memcpy and memset stay calls */
size_t one = 1;

static atomic_int copied;

__attribute__((noinline)) static void copy(char *dst, const char *src, size_t n)
{
    memcpy(dst, src, n); /* @copy */
}

static void *copier(void *arg)
{
    (void)arg;
    copy(buf, source, two);
    copy(buf + 2, source + 2, two);
    for (int i = 8; i < 12; i++)
        copy(buf + i, source + i - 8, one);
    copy(buf + 16, source, two);
    copy(kept, buf + 18, two);
    atomic_store_explicit(&copied, 1, memory_order_relaxed);
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&copied, memory_order_relaxed))
        usleep(1000);
    memset(buf, 'x', one);       /* @write_old */
    memset(buf + 3, 'y', one);   /* @write_new */
    memset(buf + 9, 'w', one);   /* @write_byte */
    memcpy(peeked + 1, buf + 16, one); /* @read_kept */
    memcpy(peeked, buf + 18, one);
    return NULL;
}

int main(void)
{
    pthread_t c, w;
    pthread_create(&c, NULL, copier, NULL);
    pthread_create(&w, NULL, writer, NULL);
    pthread_join(c, NULL);
    pthread_join(w, NULL);
    printf("done %d\n", peeked[0] == '4');
    return 0;
}
