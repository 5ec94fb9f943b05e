/* list_clean.c: twin of list_race.c.  The pushes are serialized by a mutex;
 * main walks the list after joining. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=nodes=4 sum=6\n
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define NTHREADS 4

struct node {
    int value;
    struct node *next;
};

struct node *head;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void *pusher(void *arg)
{
    struct node *n = malloc(sizeof *n);
    n->value = (int)(long)arg;
    pthread_mutex_lock(&mu);
    n->next = head;
    head = n;
    pthread_mutex_unlock(&mu);
    return NULL;
}

int main(void)
{
    pthread_t t[NTHREADS];
    for (long i = 0; i < NTHREADS; i++)
        pthread_create(&t[i], NULL, pusher, (void *)i);
    for (int i = 0; i < NTHREADS; i++)
        pthread_join(t[i], NULL);
    int nodes = 0, sum = 0;
    while (head) {
        struct node *n = head;
        head = n->next;
        nodes++;
        sum += n->value;
        free(n);
    }
    printf("nodes=%d sum=%d\n", nodes, sum);
    return 0;
}
