/* once_fixed.c: GetConnection from the seed on Go's sync patterns (003):
 * lazy initialisation with sync.Once (rw_once from libracewatch-chan).
 * Eight threads call get_connection at once; the expensive setup runs a
 * single time and every caller gets the same, fully set up connection.
 * racewatch is silent: the end of the setup happens before every return
 * of rw_once_do.  once_race.c checks a "loaded" pointer instead.
 */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: out=setup ran 1 time(s)
// RACEWATCH-EXPECT: out=8 callers saw the same connection with 25 max open conns
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <racewatch/concurrency.h>

#define CALLERS 8

typedef struct connection {
    const char *dsn;
    int max_open_conns;
} connection;

static connection *conn;
static rw_once init_once;
static int setups;                  /* written only inside the once */

static void open_connection(void *arg)
{
    (void)arg;
    connection *c = malloc(sizeof *c);   /* sql.Open("driver", "connection_string") */
    c->dsn = "connection_string";
    c->max_open_conns = 25;         /* connection.SetMaxOpenConns(25) */
    conn = c;
    setups++;
}

static connection *get_connection(void)
{
    rw_once_do(&init_once, open_connection, NULL);
    return conn;
}

static connection *seen[CALLERS];
static int max_open[CALLERS];

static void *caller(void *arg)
{
    int i = (int)(long)arg;
    connection *c = get_connection();
    seen[i] = c;
    max_open[i] = c->max_open_conns;
    return NULL;
}

int main(void)
{
    pthread_t t[CALLERS];
    for (long i = 0; i < CALLERS; i++)
        pthread_create(&t[i], NULL, caller, (void *)i);
    for (int i = 0; i < CALLERS; i++)
        pthread_join(t[i], NULL);
    int same = 0;
    for (int i = 0; i < CALLERS; i++)
        if (seen[i] == conn && max_open[i] == 25)
            same++;
    printf("setup ran %d time(s)\n", setups);
    printf("%d callers saw the same connection with %d max open conns\n", same, conn->max_open_conns);
    free(conn);
    return 0;
}
