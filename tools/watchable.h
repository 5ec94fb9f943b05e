/* watchable.h: can racewatch watch a program through LD_PRELOAD? */
#ifndef RW_WATCHABLE_H
#define RW_WATCHABLE_H

#include <stddef.h>

/* Find prog as execvp would.  Returns 1 when it can be watched (or when
 * that cannot be told: not found, not ELF — exec reports those); 0 with a
 * one-line reason in why (no newline) when it is statically linked or
 * setuid/setgid, which the dynamic loader runs without LD_PRELOAD. */
int rw_watchable(const char *prog, char *why, size_t whylen);

#endif
