/* plugin.c: the shared library dlopen.c loads and unloads.  It has its own
 * mutex, condition variable and threads, and a constructor/destructor. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static long total;
static int done;
static int *loaded;

__attribute__((constructor)) static void plugin_init(void)
{
    loaded = malloc(sizeof *loaded);
    *loaded = 1;
}

__attribute__((destructor)) static void plugin_fini(void)
{
    free(loaded);
}

static void *work(void *arg)
{
    long n = (long)arg;
    for (long i = 1; i <= n; i++) {
        pthread_mutex_lock(&m);
        total += i;
        pthread_mutex_unlock(&m);
    }
    pthread_mutex_lock(&m);
    done++;
    pthread_cond_signal(&c);
    pthread_mutex_unlock(&m);
    return NULL;
}

long plugin_run(long n)
{
    pthread_t t[4];
    total = 0;
    done = 0;
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, work, (void *)n);
    pthread_mutex_lock(&m);
    while (done < 4)
        pthread_cond_wait(&c, &m);
    pthread_mutex_unlock(&m);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    return total * *loaded;
}
