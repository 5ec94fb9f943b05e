/* list_race.c: a linked list (a Go slice/map stand-in) appended to by four
 * threads without a lock.  The push reads and writes the shared head on one
 * line, so all the conflicting accesses form one source pair.
 * Twin: list_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @push @push
// RACEWATCH-EXPECT: location=global head
// RACEWATCH-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define NTHREADS 4

struct node {
    int value;
    struct node *next;
};

struct node *head;

static void *pusher(void *arg)
{
    struct node *n = malloc(sizeof *n);
    n->value = (int)(long)arg;
    n->next = head; head = n; /* @push */
    return NULL;
}

int main(void)
{
    pthread_t t[NTHREADS];
    for (long i = 0; i < NTHREADS; i++)
        pthread_create(&t[i], NULL, pusher, (void *)i);
    for (int i = 0; i < NTHREADS; i++)
        pthread_join(t[i], NULL);
    /* nodes may have been lost: free what is reachable, print nothing of it */
    while (head) {
        struct node *n = head;
        head = n->next;
        free(n);
    }
    printf("done\n");
    return 0;
}
