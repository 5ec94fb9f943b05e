/* dlopen.c: loads the plugin given as argv[1] (plugin.c, a shared library
 * with its own threads and locks), runs it, unloads it, three times; loads
 * libm by name and calls it; a thread of ours calls dlopen/dlclose too. */
// ROBUST: exit=0
// ROBUST: ldflags=-ldl
// ROBUST: plugin=plugin.c
// ROBUST: stdout=round 0: 20200\nround 1: 20200\nround 2: 20200\nthread round: 20200\ncos(0) = 1\n
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static const char *path;

static long run_plugin(void)
{
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        printf("dlopen: %s\n", dlerror());
        return -1;
    }
    long (*run)(long) = (long (*)(long))dlsym(h, "plugin_run");
    long r = run ? run(100) : -2;
    dlclose(h);
    return r;
}

static void *in_thread(void *arg)
{
    *(long *)arg = run_plugin();
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    path = argv[1];
    for (int i = 0; i < 3; i++)
        printf("round %d: %ld\n", i, run_plugin());
    long r = 0;
    pthread_t t;
    pthread_create(&t, NULL, in_thread, &r);
    pthread_join(t, NULL);
    printf("thread round: %ld\n", r);
    void *m = dlopen("libm.so.6", RTLD_NOW);
    double (*cosine)(double) = m ? (double (*)(double))dlsym(m, "cos") : NULL;
    printf("cos(0) = %g\n", cosine ? cosine(0.0) : -1.0);
    if (m)
        dlclose(m);
    return 0;
}
