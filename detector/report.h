/* report.h: report records.  Every output form (text now; JSON, SARIF,
 * JUnit later) is produced from these records, never from the text.  A
 * record holds raw program counters; symbolization happens when it is
 * printed, through the function the caller passes in. */
#ifndef RW_REPORT_H
#define RW_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "detector/stackdepot.h"
#include "runtime/symbolize.h"

enum rw_access_kind { RW_READ, RW_WRITE, RW_ATOMIC_READ, RW_ATOMIC_WRITE, RW_FREE };

typedef struct rw_report_stack {
    uintptr_t pcs[RW_MAX_STACK];   /* innermost first, return addresses */
    int n;
} rw_report_stack;

typedef struct rw_report_access {
    int kind;                      /* enum rw_access_kind */
    uintptr_t addr;
    unsigned size;
    uint32_t thread;               /* thread number */
    rw_report_stack stack;         /* n == 0: history lost */
} rw_report_access;

/* RW_LOC_OBJECT: an address that stands for an object which is not plain
 * memory (a channel: detector/objectaddr.h). */
enum rw_location_kind { RW_LOC_NONE, RW_LOC_GLOBAL, RW_LOC_HEAP, RW_LOC_STACK, RW_LOC_TLS,
                        RW_LOC_OBJECT };

typedef struct rw_report_location {
    int kind;
    char name[256];                /* global's symbol; object: what it is */
    char object_kind[16];          /* object: its kind for JSON ("channel") */
    char module[512];
    uintptr_t module_offset;
    uintptr_t start;
    size_t size;
    uint32_t thread;               /* heap: allocating thread; stack/TLS: owner;
                                      object: the thread that made it */
    int freed;
    int numbered;                  /* object known by number (a file
                                      descriptor): no address in the text */
    rw_report_stack stack;         /* heap: allocation stack; object: creation */
} rw_report_location;

typedef struct rw_report_thread {
    uint32_t number;
    int running;
    rw_report_stack create;
} rw_report_thread;

typedef struct rw_race_report {
    int use_after_free;            /* 0: a data race; 1: an access that the
                                      free (prev) happens before */
    rw_report_access cur, prev;
    rw_report_location loc;
    rw_report_thread threads[2];
    int nthreads;
} rw_race_report;

/* A growing text buffer. */
typedef struct rw_buf {
    char *data;
    size_t len, cap;
} rw_buf;

void rw_buf_init(rw_buf *b);
void rw_buf_free(rw_buf *b);
void rw_buf_printf(rw_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

typedef int (*rw_symbolize_fn)(uintptr_t pc, int is_return_address, rw_frame *frames, int max);

/* Append the text form of a race (reports.md), from the first
 * "==================" to the closing one. */
void rw_format_race(rw_buf *out, const rw_race_report *r, rw_symbolize_fn sym, int color);
/* Append a stack in the race-report form ("  f()\n      file:line +0xN"). */
void rw_format_stack(rw_buf *out, const rw_report_stack *s, rw_symbolize_fn sym);
/* The source location "file:line" of a stack's top frame, for folding
 * duplicate reports; "" if unknown.  */
void rw_top_location(const rw_report_stack *s, rw_symbolize_fn sym, char *out, size_t len);

const char *rw_access_kind_name(int kind, int previous);

/* Lock-order inversions (report_lockorder.c). */
struct rw_lock_cycle;
void rw_format_lock_cycle(rw_buf *out, const struct rw_lock_cycle *c, rw_symbolize_fn sym,
                          int color);

/* Thread leaks (report_threadleak.c): joinable threads that finished and
 * were never joined nor detached when the program exited, grouped by
 * creation stack as ThreadSanitizer does. */
#define RW_LEAK_LISTED 8
typedef struct rw_thread_leak {
    rw_report_stack create;        /* the creation stack they share */
    uint32_t parent;               /* the first one's creator */
    uint32_t count;                /* how many threads leaked there */
    uint32_t numbers[RW_LEAK_LISTED]; /* the first ones' numbers */
} rw_thread_leak;
void rw_format_thread_leak(rw_buf *out, const rw_thread_leak *l, rw_symbolize_fn sym, int color);

/* Deadlocks (report_deadlock.c): Go's goroutine-dump shape. */
struct rw_deadlock_report;
void rw_format_deadlock(rw_buf *out, const struct rw_deadlock_report *r, rw_symbolize_fn sym);
void rw_format_go_stack(rw_buf *out, uint32_t stack_id, rw_symbolize_fn sym);
/* 1 for the C library's thread entry frames (start_thread, clone...):
 * Go-format stacks end at the thread's own function, as a goroutine's
 * does (race reports keep them, as shared/spec/reports.md shows). */
int rw_thread_entry_function(const char *function);
/* Go's "created by F() in thread N" line and the creation site (nothing
 * for the main thread, parent 0). */
void rw_format_created_by(rw_buf *out, uint32_t parent, uint32_t create_stack,
                          rw_symbolize_fn sym);

#endif
