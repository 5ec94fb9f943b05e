/* panic.h: misuse ends the program with Go's words (private). */
#ifndef RACEWATCH_CHAN_PANIC_H
#define RACEWATCH_CHAN_PANIC_H

/* Messages, exactly as Go's runtime prints them after "panic: ". */
#define RW_PANIC_SEND_CLOSED "send on closed channel"
#define RW_PANIC_CLOSE_CLOSED "close of closed channel"
#define RW_PANIC_CLOSE_NIL "close of nil channel"
#define RW_PANIC_NEGATIVE_WAITGROUP "sync: negative WaitGroup counter"

/* Never returns: racewatch's __racewatch_panic if loaded (message, stack,
 * exit 2), else `panic: MESSAGE` on stderr and _exit(2).  Call it with no
 * internal lock held. */
void rw_panic(const char *message) __attribute__((noreturn, visibility("hidden")));

#endif
