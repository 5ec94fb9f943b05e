/* once_race.c: GetConnection from the seed on Go's sync patterns (003)
 * done the way the seed says sync.Once beats: callers check a "loaded"
 * pointer with no lock and set it up if it is still NULL.  Two threads
 * call it: one publishes the connection, the other reads the pointer (and
 * may set up a second one) with nothing ordering them.  racewatch reports
 * the unsynchronized check against the store (exit 66; both are on one
 * line, so there is one report whichever thread gets there first).  How
 * many setups ran depends on timing, so it is not printed.  once_fixed.c
 * uses rw_once.
 */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: out=2 callers got a connection
// RACEWATCH-EXPECT: first-line=WARNING: DATA RACE
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @lazy @lazy
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define CALLERS 2

typedef struct connection {
    const char *dsn;
    int max_open_conns;
} connection;

static connection *conn;

static connection *open_connection(void)
{
    connection *c = malloc(sizeof *c);
    c->dsn = "connection_string";
    c->max_open_conns = 25;
    return c;
}

/* if connection == nil { connection = open() }; return connection */
static connection *get_connection(void)
{
    return conn ? conn : (conn = open_connection()); /* @lazy */
}

static void *caller(void *arg)
{
    connection **out = arg;
    *out = get_connection();
    return NULL;
}

int main(void)
{
    pthread_t t[CALLERS];
    connection *got[CALLERS];
    for (int i = 0; i < CALLERS; i++)
        pthread_create(&t[i], NULL, caller, &got[i]);
    for (int i = 0; i < CALLERS; i++)
        pthread_join(t[i], NULL);
    /* Only after both joins: a caller may hold the other's connection. */
    int n = 0;
    for (int i = 0; i < CALLERS; i++)
        if (got[i] && got[i]->max_open_conns == 25)
            n++;
    printf("%d callers got a connection\n", n);
    /* (a leaked second connection is part of the bug) */
    return 0;
}
