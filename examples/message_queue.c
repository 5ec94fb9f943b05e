/* message_queue.c: the MessageQueue of the seed on Go's sync patterns
 * (003): a slice of messages guarded by a mutex, with a condition variable
 * (sync.Cond, here pthread_cond_t) that Receive waits on in a loop until a
 * message is there, and that Send signals after appending one.  A producer
 * thread sends six messages, main receives them in order.  racewatch is
 * silent.
 */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: out=received: message 1
// RACEWATCH-EXPECT: out=received: message 2
// RACEWATCH-EXPECT: out=received: message 3
// RACEWATCH-EXPECT: out=received: message 4
// RACEWATCH-EXPECT: out=received: message 5
// RACEWATCH-EXPECT: out=received: message 6
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NMESSAGES 6

typedef struct message_queue {
    char **messages;                /* messages []string: a growing array */
    size_t head, len, cap;
    pthread_mutex_t mu;             /* cond.L */
    pthread_cond_t cond;
} message_queue;

static void queue_init(message_queue *mq)
{
    memset(mq, 0, sizeof *mq);
    pthread_mutex_init(&mq->mu, NULL);
    pthread_cond_init(&mq->cond, NULL);
}

/* Producer */
static void queue_send(message_queue *mq, char *msg)
{
    pthread_mutex_lock(&mq->mu);
    if (mq->head + mq->len == mq->cap) {        /* append */
        mq->cap = mq->cap ? 2 * mq->cap : 2;
        mq->messages = realloc(mq->messages, mq->cap * sizeof *mq->messages);
    }
    mq->messages[mq->head + mq->len++] = msg;
    pthread_mutex_unlock(&mq->mu);
    pthread_cond_signal(&mq->cond);             /* wake up one waiting consumer */
}

/* Consumer */
static char *queue_receive(message_queue *mq)
{
    pthread_mutex_lock(&mq->mu);
    while (mq->len == 0)                        /* spurious wakeups are possible */
        pthread_cond_wait(&mq->cond, &mq->mu);  /* unlocks while waiting */
    char *msg = mq->messages[mq->head++];       /* msg := mq.messages[0] */
    mq->len--;                                  /* mq.messages = mq.messages[1:] */
    pthread_mutex_unlock(&mq->mu);
    return msg;
}

static message_queue queue;

static void *producer(void *arg)
{
    (void)arg;
    for (int i = 1; i <= NMESSAGES; i++) {
        char *msg = malloc(32);
        char digits[12];
        int n = 0;
        for (int v = i; v; v /= 10)
            digits[n++] = (char)('0' + v % 10);
        strcpy(msg, "message ");
        size_t at = strlen(msg);
        while (n)
            msg[at++] = digits[--n];
        msg[at] = '\0';
        queue_send(&queue, msg);
    }
    return NULL;
}

int main(void)
{
    queue_init(&queue);
    pthread_t t;
    pthread_create(&t, NULL, producer, NULL);
    for (int i = 0; i < NMESSAGES; i++) {
        char *msg = queue_receive(&queue);
        printf("received: %s\n", msg);
        free(msg);
    }
    pthread_join(t, NULL);
    free(queue.messages);
    pthread_cond_destroy(&queue.cond);
    pthread_mutex_destroy(&queue.mu);
    return 0;
}
