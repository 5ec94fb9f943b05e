/* report_thread_leak.c: thread leaks, reported when the program exits
 * (ThreadSanitizer's report_thread_leaks; docs/cli.md, "Thread leaks").
 *
 * A leak is a thread that was made joinable, has finished, and was never
 * joined nor detached by the time the program exits: its resources (stack,
 * result) are held until the process ends.  Not leaks, by design:
 *   - threads still running when the program begins to exit (main returns,
 *     exit, _exit): the program ends them, as ThreadSanitizer sees it too;
 *     a thread that finishes during the exit itself is no leak either
 *     (rw_thread_leaks_exempt_running marks the running ones at that
 *     moment, so the verdict does not depend on that race);
 *   - threads still running when the main thread leaves by pthread_exit:
 *     the process then ends with its last thread, which is how such
 *     programs are written;
 *   - detached threads (pthread_detach, or created detached), joined ones
 *     (pthread_join, a try/timed/clock join that succeeded);
 *   - in a forked child, every thread but the one that forked: they do
 *     not exist there (the parent reports its own);
 *   - threads racewatch does not watch (made by clone directly).
 * The main thread never leaks.  Threads made by a library through
 * pthread_create are threads like any other; `thread:` suppressions match
 * the creation stack.
 *
 * Leaks with the same creation stack are one report with a count.  The
 * reports are warnings: a clean exit stays 0 unless report_thread_leaks=
 * fail, which counts them like misuse (exit 66). */
#include "runtime/rt.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "detector/alloc.h"
#include "detector/report_json.h"
#include "detector/suppress.h"
#include "runtime/symbolize.h"

static uint64_t nleaks;

uint64_t rw_reported_thread_leaks(void)
{
    return __atomic_load_n(&nleaks, __ATOMIC_RELAXED);
}

void rw_thread_leaks_exempt_running(void)
{
    uint32_t n = rw_thread_count();
    for (uint32_t i = 2; i <= n; i++) {
        rw_thread_info *in = rw_thread_info_by_number(i);
        if (in && !__atomic_load_n(&in->finished, __ATOMIC_ACQUIRE))
            in->leak_exempt = 1;
    }
}

void rw_thread_leaks_after_fork(rw_thread_info *survivor)
{
    __atomic_store_n(&nleaks, 0, __ATOMIC_RELAXED);
    uint32_t n = rw_thread_count();
    for (uint32_t i = 2; i <= n; i++) {
        rw_thread_info *in = rw_thread_info_by_number(i);
        if (in && in != survivor)
            in->leak_exempt = 1;
    }
}

static int leaked(const rw_thread_info *in)
{
    return __atomic_load_n(&in->finished, __ATOMIC_ACQUIRE) && !in->detached && !in->joined &&
           !in->leak_exempt;
}

static void report(rw_thread_leak *l)
{
    const rw_report_stack *one[1] = { &l->create };
    if (rw_suppressed(RW_SUPP_THREAD, one, 1, 0))
        return;
    rw_buf text;
    rw_buf_init(&text);
    rw_format_thread_leak(&text, l, rw_symbolize_pc, rw_sink_color());
    rw_sink_lock();
    rw_sink_write(text.data, text.len);
    rw_sink_unlock();
    if (rw_json_enabled()) {
        rw_buf plain, json;
        rw_buf_init(&plain);
        rw_buf_init(&json);
        rw_format_thread_leak(&plain, l, rw_symbolize_pc, 0);
        rw_json_context jc = rw_json_here();
        rw_json_thread_leak(&json, &jc, l, plain.data, rw_symbolize_pc);
        rw_sink_json(json.data, json.len);
        rw_buf_free(&plain);
        rw_buf_free(&json);
    }
    rw_buf_free(&text);
    __atomic_fetch_add(&nleaks, 1, __ATOMIC_RELAXED);
}

/* The creation stack of a thread, without the runtime's frames. */
static void creation_stack(const rw_thread_info *in, rw_report_stack *s)
{
    s->n = (int)rw_stack_get(in->create_stack, s->pcs, RW_MAX_STACK);
    int k = 0;
    for (int j = 0; j < s->n; j++)
        if (!rw_pc_in_runtime(s->pcs[j]))
            s->pcs[k++] = s->pcs[j];
    s->n = k;
}

/* A hash of a stack's source lines: two call sites on one line (a loop
 * the compiler unrolled) are one place for the reader. */
static uint64_t lines_hash(const rw_report_stack *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (int i = 0; i < s->n; i++) {
        rw_frame fr[8];
        int k = rw_symbolize_pc(s->pcs[i], 1, fr, 8);
        for (int j = 0; j < k; j++) {
            char where[1100];
            if (fr[j].file[0])
                snprintf(where, sizeof where, "%s:%d;", fr[j].file, fr[j].line);
            else
                snprintf(where, sizeof where, "%s+%zx;", fr[j].module, (size_t)fr[j].module_offset);
            for (const char *c = where; *c; c++)
                h = (h ^ (unsigned char)*c) * 0x100000001b3ull;
        }
    }
    return h;
}

struct group {
    uint32_t stack;       /* creation stack id of its first thread */
    uint64_t lines;       /* lines_hash of it */
    rw_thread_leak leak;
};

void rw_report_thread_leaks(void)
{
    if (!rw_opts.report_thread_leaks)
        return;
    int saved = rw_in_rt;
    rw_in_rt = 1;
    /* Group by creation stack: identical stacks share a depot id; stacks
     * of other pcs on the same lines are grouped too. */
    struct group *groups = NULL;
    uint32_t ngroups = 0, cap = 0;
    uint32_t n = rw_thread_count();
    for (uint32_t i = 2; i <= n; i++) {
        rw_thread_info *in = rw_thread_info_by_number(i);
        if (!in || !leaked(in))
            continue;
        uint32_t g = 0;
        while (g < ngroups && groups[g].stack != in->create_stack)
            g++;
        if (g == ngroups) {
            rw_report_stack s;
            creation_stack(in, &s);
            uint64_t h = lines_hash(&s);
            for (g = 0; g < ngroups && groups[g].lines != h; g++)
                ;
            if (g == ngroups) {
                if (ngroups == cap) {
                    struct group *more = rw_realloc(groups, (cap ? cap * 2 : 8) * sizeof *more);
                    if (!more)
                        break;
                    groups = more;
                    cap = cap ? cap * 2 : 8;
                }
                struct group *ng = &groups[ngroups++];
                memset(ng, 0, sizeof *ng);
                ng->stack = in->create_stack;
                ng->lines = h;
                ng->leak.create = s;
                ng->leak.parent = in->parent;
            }
        }
        rw_thread_leak *l = &groups[g].leak;
        if (l->count < RW_LEAK_LISTED)
            l->numbers[l->count] = i;
        l->count++;
    }
    for (uint32_t g = 0; g < ngroups; g++)
        report(&groups[g].leak);
    rw_free(groups);
    rw_in_rt = saved;
}
