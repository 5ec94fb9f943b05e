/* fetch_all.c: fetchAllURLs from the seed on Go's sync patterns (003): one
 * thread per URL writes its body into its own slot of results, errors go
 * to a buffered channel, and a dedicated thread waits on the wait group
 * and closes that channel; the caller ranges over it and returns the first
 * error.  Fetching is simulated (no network): ".invalid" hosts fail.  The
 * results are read after the range loop ends, ordered by Done -> Wait ->
 * close -> the receive that sees the close; racewatch is silent.
 */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: out=fetched 3 pages, 66 bytes
// RACEWATCH-EXPECT: out=fetched https://a.example: <html>a.example</html>
// RACEWATCH-EXPECT: out=fetched https://b.example: <html>b.example</html>
// RACEWATCH-EXPECT: out=fetched https://c.example: <html>c.example</html>
// RACEWATCH-EXPECT: out=error: lookup nowhere.invalid: no such host
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <racewatch/concurrency.h>

#define MAXURLS 8

typedef struct fetch {
    const char *url;
    char **result;                  /* &results[idx] */
    rw_chan *errs;
    rw_waitgroup *wg;
} fetch;

/* http.Get + io.ReadAll, simulated: returns a malloc'ed body or NULL. */
static char *simulated_get(const char *url, const char **err)
{
    const char *host = strstr(url, "://") ? strstr(url, "://") + 3 : url;
    if (strstr(host, ".invalid")) {
        *err = "lookup nowhere.invalid: no such host";
        return NULL;
    }
    char *body = malloc(strlen(host) + 16);
    size_t n = 0;
    for (const char *p = "<html>"; *p; p++)
        body[n++] = *p;
    for (const char *p = host; *p; p++)
        body[n++] = *p;
    for (const char *p = "</html>"; *p; p++)
        body[n++] = *p;
    body[n] = '\0';
    return body;
}

static void *get_one(void *arg)
{
    fetch *f = arg;
    const char *err = NULL;
    char *body = simulated_get(f->url, &err);
    if (body == NULL)
        rw_chan_send(f->errs, &err);            /* errs <- err */
    else
        *f->result = body;                      /* results[idx] = string(body) */
    rw_waitgroup_done(f->wg);                   /* defer wg.Done() */
    return NULL;
}

typedef struct closer_arg {
    rw_waitgroup *wg;
    rw_chan *errs;
} closer_arg;

static void *closer(void *arg)
{
    closer_arg *c = arg;
    rw_waitgroup_wait(c->wg);       /* blocks here until the counter is 0 */
    rw_chan_close(c->errs);
    return NULL;
}

/* Returns NULL and sets *first_err, or the results. */
static char **fetch_all_urls(const char *const *urls, int n, const char **first_err)
{
    rw_waitgroup wg = RW_WAITGROUP_INIT;
    char **results = calloc((size_t)n, sizeof *results);
    rw_chan *errs = rw_chan_make(sizeof(const char *), (size_t)n);
    fetch f[MAXURLS];
    pthread_t t[MAXURLS], ct;
    for (int i = 0; i < n; i++) {
        f[i] = (fetch){ urls[i], &results[i], errs, &wg };
        rw_waitgroup_add(&wg, 1);               /* +1 worker */
        pthread_create(&t[i], NULL, get_one, &f[i]);
    }
    closer_arg ca = { &wg, errs };
    pthread_create(&ct, NULL, closer, &ca);

    *first_err = NULL;
    const char *err;
    while (rw_chan_recv(errs, &err, NULL))      /* for err := range errs */
        if (*first_err == NULL)
            *first_err = err;   /* Go returns here; C drains, to free what it made */

    /* The results, before any join: only the channel and the wait group
     * order the workers' writes before these reads. */
    size_t bytes = 0;
    for (int i = 0; i < n; i++)
        if (results[i])
            bytes += strlen(results[i]);
    if (*first_err == NULL)
        printf("fetched %d pages, %zu bytes\n", n, bytes);

    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    pthread_join(ct, NULL);
    rw_chan_free(errs);
    rw_waitgroup_destroy(&wg);
    if (*first_err) {
        for (int i = 0; i < n; i++)
            free(results[i]);
        free(results);
        return NULL;
    }
    return results;
}

int main(void)
{
    const char *good[] = { "https://a.example", "https://b.example", "https://c.example" };
    const char *bad[] = { "https://a.example", "https://nowhere.invalid", "https://c.example" };
    const char *err;

    char **results = fetch_all_urls(good, 3, &err);
    for (int i = 0; results && i < 3; i++) {
        printf("fetched %s: %s\n", good[i], results[i]);
        free(results[i]);
    }
    free(results);

    if (fetch_all_urls(bad, 3, &err) == NULL)
        printf("error: %s\n", err);
    return 0;
}
