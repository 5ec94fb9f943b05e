/* report_json.h: report records as JSON lines (docs/json-format.md). */
#ifndef RW_REPORT_JSON_H
#define RW_REPORT_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "detector/lockgraph.h"
#include "detector/report.h"
#include "detector/waitfor.h"

/* Who writes the records: every record names its process. */
typedef struct rw_json_context {
    int pid;
    const char *program;
    /* The command line as /proc/self/cmdline gives it: args_len bytes of
     * NUL-terminated arguments (the last one's NUL included), written as
     * "argv"; args_truncated: arguments were left out ("argv_truncated").
     * args NULL: unknown, no "argv" field. */
    const char *args;
    size_t args_len;
    int args_truncated;
} rw_json_context;

typedef struct rw_fingerprint {
    uint64_t h;
} rw_fingerprint;

void rw_fingerprint_init(rw_fingerprint *f, const char *kind);
void rw_fingerprint_add(rw_fingerprint *f, const char *s);

void rw_json_string(rw_buf *out, const char *s);
void rw_json_frames(rw_buf *out, const uintptr_t *pcs, int n, rw_symbolize_fn sym);

/* parents[i]: creator of r->threads[i] (may be NULL). */
void rw_json_race(rw_buf *out, const rw_json_context *c, const rw_race_report *r,
                  const uint32_t *parents, const char *text, rw_symbolize_fn sym);
void rw_json_deadlock(rw_buf *out, const rw_json_context *c, const rw_deadlock_report *r,
                      const char *title, const char *text, rw_symbolize_fn sym);
void rw_json_lock_cycle(rw_buf *out, const rw_json_context *c, const rw_lock_cycle *cy,
                        const char *text, rw_symbolize_fn sym);
void rw_json_misuse(rw_buf *out, const rw_json_context *c, const char *title, int fatal,
                    uint32_t thread, const uintptr_t *pcs, int n, const char *text,
                    rw_symbolize_fn sym);
/* The same with the earlier call the misuse conflicts with (a second
 * stack, role "previous"; none when prev_n is 0). */
void rw_json_misuse_previous(rw_buf *out, const rw_json_context *c, const char *title, int fatal,
                             uint32_t thread, const uintptr_t *pcs, int n, uint32_t prev_thread,
                             const uintptr_t *prev_pcs, int prev_n, const char *text,
                             rw_symbolize_fn sym);
/* parent: the creator of the first leaked thread. */
void rw_json_thread_leak(rw_buf *out, const rw_json_context *c, const rw_thread_leak *l,
                         const char *text, rw_symbolize_fn sym);
/* What a process reported, fatal reports included. */
typedef struct rw_json_counts {
    uint64_t races, deadlocks, potential_deadlocks, misuse, thread_leaks, uses_after_free;
} rw_json_counts;

/* program_status: the status the program ended with (or 2 after a fatal
 * report); status: the one the process ends with, after racewatch turned
 * 0 into exitcode. */
void rw_json_summary(rw_buf *out, const rw_json_context *c, const rw_json_counts *n,
                     int program_status, int status);

#endif
