/* packed_clean.c: twin of packed_race.c.  Each field of the packed record
 * (odd offsets, unaligned, sharing words) is written by its own thread, and
 * the patcher writes byte 0 (the tag's byte) after joining the tag writer. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=tag=P count=16909060 port=8080 flag=1 stamp=123456789\n
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
static pthread_t t[6];

static void *tag_writer(void *arg) { (void)arg; rec.tag = 'T'; return NULL; }
static void *count_writer(void *arg) { (void)arg; rec.count = 0x01020304; return NULL; }
static void *port_writer(void *arg) { (void)arg; rec.port = 8080; return NULL; }
static void *flag_writer(void *arg) { (void)arg; rec.flag = 1; return NULL; }
static void *stamp_writer(void *arg) { (void)arg; rec.stamp = 123456789LL; return NULL; }

static void *patcher(void *arg)
{
    (void)arg;
    pthread_join(t[0], NULL); /* the tag writer */
    unsigned char *raw = (unsigned char *)&rec;
    raw[0] = 'P';
    return NULL;
}

int main(void)
{
    void *(*fns[])(void *) = {tag_writer, count_writer, port_writer, flag_writer,
                              stamp_writer, patcher};
    enum { N = sizeof fns / sizeof fns[0] };
    for (int i = 0; i < N; i++)
        pthread_create(&t[i], NULL, fns[i], NULL);
    for (int i = 1; i < N; i++)
        pthread_join(t[i], NULL);
    printf("tag=%c count=%d port=%d flag=%d stamp=%lld\n", rec.tag, rec.count, rec.port,
           rec.flag, rec.stamp);
    return 0;
}
