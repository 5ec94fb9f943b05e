/* packed_race.c: a packed record whose fields straddle word boundaries at
 * odd offsets.  Threads own distinct fields (no race), except that a
 * "checksum patcher" writes the last byte of `count` (offset 4) through a
 * byte pointer while the count's owner writes the whole field.
 * With five threads' accesses in the record's first 8-byte word,
 * ThreadSanitizer (four shadow cells per word) misses this race.
 * Twin: packed_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @count_w @patch
// RACEWATCH-EXPECT: location=global rec
// RACEWATCH-EXPECT: stdout=done\n
// TSAN-EXPECT: miss
#include <pthread.h>
#include <stdio.h>

struct __attribute__((packed)) record {
    char tag;        /* offset 0 */
    int count;       /* offsets 1..4 */
    short port;      /* offsets 5..6 */
    char flag;       /* offset 7 */
    long long stamp; /* offsets 8..15 */
};

struct record rec;

static void *tag_writer(void *arg) { (void)arg; rec.tag = 'T'; return NULL; }
static void *count_writer(void *arg)
{
    (void)arg;
    rec.count = 0x01020304; /* @count_w */
    return NULL;
}
static void *port_writer(void *arg) { (void)arg; rec.port = 8080; return NULL; }
static void *flag_writer(void *arg) { (void)arg; rec.flag = 1; return NULL; }
static void *stamp_writer(void *arg) { (void)arg; rec.stamp = 123456789LL; return NULL; }

static void *patcher(void *arg)
{
    (void)arg;
    unsigned char *raw = (unsigned char *)&rec;
    raw[4] = 0xff; /* @patch */
    return NULL;
}

int main(void)
{
    void *(*fns[])(void *) = {tag_writer, count_writer, port_writer, flag_writer,
                              stamp_writer, patcher};
    enum { N = sizeof fns / sizeof fns[0] };
    pthread_t t[N];
    for (int i = 0; i < N; i++)
        pthread_create(&t[i], NULL, fns[i], NULL);
    for (int i = 0; i < N; i++)
        pthread_join(t[i], NULL);
    printf("done\n");
    return 0;
}
