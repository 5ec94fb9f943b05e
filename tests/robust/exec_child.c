/* exec_child.c: the program exec_parent.c executes (always built with
 * plain gcc: it is watched only through the LD_PRELOAD it inherits).  One
 * thread takes a then b, then b then a: a lock-order inversion, so a
 * watched run reports it and exits 66, an unwatched one prints the same
 * line and exits 0. */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;

int main(int argc, char **argv)
{
    pthread_mutex_lock(&a);
    pthread_mutex_lock(&b);
    pthread_mutex_unlock(&b);
    pthread_mutex_unlock(&a);
    pthread_mutex_lock(&b);
    pthread_mutex_lock(&a);
    pthread_mutex_unlock(&a);
    pthread_mutex_unlock(&b);
    printf("exec_child %s done\n", argc > 1 ? argv[1] : "?");
    return 0;
}
