/* urlfetcher.c: the URL fetcher rewritten with channels, from the seed on
 * Go's concurrency fundamentals (001): one thread per URL makes the
 * request and sends an http_result on an unbuffered channel; a collector
 * thread receives them; a wait group tells main when every request is done.
 *
 * Fetching is simulated (a fixed table, no network).  For a fixed output
 * the collector files each result by URL instead of printing it as it
 * comes; main closes the channel once the workers are done, waits for the
 * collector to finish (a `done` channel) and prints the table in URL order.
 * Results are heap blocks written by a worker and read by the collector:
 * the send -> receive edge orders them, and racewatch is silent.
 */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: out=https://www.example.com: 200 OK
// RACEWATCH-EXPECT: out=https://www.example.com/missing: 404 Not Found
// RACEWATCH-EXPECT: out=https://www.example.org: 200 OK
// RACEWATCH-EXPECT: out=https://api.example.net/v1: 503 Service Unavailable
// RACEWATCH-EXPECT: out=https://go.dev: 200 OK
// RACEWATCH-EXPECT: out=collected 5 results
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <racewatch/concurrency.h>

#define NURLS 5

static const char *const urls[NURLS] = {
    "https://www.example.com",
    "https://www.example.com/missing",
    "https://www.example.org",
    "https://api.example.net/v1",
    "https://go.dev",
};

typedef struct http_result {
    const char *url;
    int status;
    const char *status_text;
} http_result;

/* http.Get, simulated: the status of a URL is a pure function of it. */
static int simulated_get(const char *url, const char **text)
{
    if (strstr(url, "missing")) {
        *text = "Not Found";
        return 404;
    }
    if (strstr(url, "api.")) {
        *text = "Service Unavailable";
        return 503;
    }
    *text = "OK";
    return 200;
}

static rw_chan *url_chan;           /* chan *http_result, unbuffered */
static rw_chan *done;               /* the collector's end */
static rw_waitgroup wg;

/* makeRequest: do the request, send the result to the collector */
static void *make_request(void *arg)
{
    const char *url = arg;
    http_result *r = malloc(sizeof *r);
    r->url = url;
    r->status = simulated_get(url, &r->status_text);
    rw_chan_send(url_chan, &r);
    rw_waitgroup_done(&wg);
    return NULL;
}

static http_result *collected[NURLS];
static int ncollected;

/* collect: receive results until the channel is closed */
static void *collect(void *arg)
{
    (void)arg;
    http_result *r;
    while (rw_chan_recv(url_chan, &r, NULL)) {
        for (int i = 0; i < NURLS; i++)
            if (strcmp(urls[i], r->url) == 0)
                collected[i] = r;
        ncollected++;
    }
    int n = ncollected;
    rw_chan_send(done, &n);
    return NULL;
}

int main(void)
{
    url_chan = rw_chan_make(sizeof(http_result *), 0);
    done = rw_chan_make(sizeof(int), 0);
    pthread_t collector;
    pthread_create(&collector, NULL, collect, NULL);    /* receiver first */

    pthread_t workers[NURLS];
    for (int i = 0; i < NURLS; i++) {
        rw_waitgroup_add(&wg, 1);
        pthread_create(&workers[i], NULL, make_request, (void *)urls[i]);
    }
    rw_waitgroup_wait(&wg);         /* every result has been received */
    rw_chan_close(url_chan);
    int n;
    rw_chan_recv(done, &n, NULL);

    for (int i = 0; i < NURLS; i++)
        if (collected[i])
            printf("%s: %d %s\n", collected[i]->url, collected[i]->status,
                   collected[i]->status_text);
    printf("collected %d results\n", n);

    pthread_join(collector, NULL);
    for (int i = 0; i < NURLS; i++) {
        pthread_join(workers[i], NULL);
        free(collected[i]);
    }
    rw_chan_free(url_chan);
    rw_chan_free(done);
    return 0;
}
