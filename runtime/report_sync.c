/* report_sync.c: reports about synchronization itself, as opposed to
 * data races: lock-order inversions (potential deadlocks, counted in the
 * summary and in exit 66), misuse warnings (a locked mutex destroyed, a
 * thread exiting with mutexes held, a double join...: counted the same
 * way; a signal handler's misuse too, reported after the handler) and
 * fatal misuse, where Go's runtime is fatal too (unlock of an unlocked
 * mutex: printed with the thread's stack, exit status 2). */
#include "runtime/rt.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "detector/lockgraph.h"
#include "detector/report_json.h"
#include "detector/stackdepot.h"
#include "detector/suppress.h"
#include "runtime/symbolize.h"

static uint64_t ndeadlocks, nmisuse;

uint64_t rw_reported_lock_cycles(void)
{
    return __atomic_load_n(&ndeadlocks, __ATOMIC_RELAXED);
}

uint64_t rw_reported_misuse(void)
{
    return __atomic_load_n(&nmisuse, __ATOMIC_RELAXED);
}

void rw_report_sync_after_fork(void)
{
    ndeadlocks = nmisuse = 0;
}

static void emit(rw_buf *text)
{
    rw_sink_lock();
    rw_sink_write(text->data, text->len);
    rw_sink_unlock();
    rw_buf_free(text);
}

void rw_report_lock_cycle(const rw_lock_cycle *c)
{
    int saved = rw_in_rt;
    rw_in_rt = 1;
    rw_reports_prepare();
    rw_report_stack st[2 * RW_MAX_LOCK_CYCLE];
    const rw_report_stack *ptrs[2 * RW_MAX_LOCK_CYCLE];
    for (int i = 0; i < c->n; i++) {
        st[2 * i].n = (int)rw_stack_get(c->edges[i].to_stack, st[2 * i].pcs, RW_MAX_STACK);
        st[2 * i + 1].n = (int)rw_stack_get(c->edges[i].from_stack, st[2 * i + 1].pcs, RW_MAX_STACK);
        ptrs[2 * i] = &st[2 * i];
        ptrs[2 * i + 1] = &st[2 * i + 1];
    }
    if (rw_suppressed(RW_SUPP_DEADLOCK, ptrs, 2 * c->n, 0)) {
        rw_in_rt = saved;
        return;
    }
    rw_buf text;
    rw_buf_init(&text);
    rw_format_lock_cycle(&text, c, rw_symbolize_pc, rw_sink_color());
    if (rw_json_enabled()) {
        rw_buf plain, json;
        rw_buf_init(&plain);
        rw_buf_init(&json);
        rw_format_lock_cycle(&plain, c, rw_symbolize_pc, 0);
        rw_json_context jc = rw_json_here();
        rw_json_lock_cycle(&json, &jc, c, plain.data, rw_symbolize_pc);
        rw_sink_json(json.data, json.len);
        rw_buf_free(&plain);
        rw_buf_free(&json);
    }
    emit(&text);
    __atomic_fetch_add(&ndeadlocks, 1, __ATOMIC_RELAXED);
    if (rw_opts.halt_on_error)
        rw_halt();
    rw_in_rt = saved;
}

/* A warning block: the title, one line naming the object, a stack, the
 * thread number that made the call; counted as a misuse warning. */
static void drop_runtime_frames(rw_report_stack *s)
{
    int k = 0;
    for (int i = 0; i < s->n; i++)
        if (!rw_pc_in_runtime(s->pcs[i]))
            s->pcs[k++] = s->pcs[i];
    s->n = k;
}

static void report_misuse_stack(uint32_t thread_number, const char *title,
                                const char *object_line, rw_report_stack *s, int supp_kind,
                                const rw_misuse_previous *prev)
{
    drop_runtime_frames(s);
    rw_report_stack ps;
    ps.n = 0;
    if (prev && prev->stack) {
        ps.n = (int)rw_stack_get(prev->stack, ps.pcs, RW_MAX_STACK);
        drop_runtime_frames(&ps);
    }
    const rw_report_stack *one[1] = { s };
    if (rw_suppressed(supp_kind, one, 1, 0))
        return;
    rw_buf text;
    rw_buf_init(&text);
    for (int plain = 0; plain < 2; plain++) {
        /* The second round makes the uncolored text for the JSON record. */
        int color = plain ? 0 : rw_sink_color();
        if (plain) {
            if (!rw_json_enabled())
                break;
            rw_buf_free(&text);
            rw_buf_init(&text);
        }
        rw_buf_printf(&text, "==================\n%sWARNING: %s%s\n%s in thread %u:\n",
                      color ? "\033[1;31m" : "", title, color ? "\033[0m" : "", object_line,
                      thread_number);
        rw_format_stack(&text, s, rw_symbolize_pc);
        if (ps.n > 0) {
            rw_buf_printf(&text, "\n%s in thread %u:\n", prev->line, prev->thread);
            rw_format_stack(&text, &ps, rw_symbolize_pc);
        }
        rw_buf_printf(&text, "==================\n");
        if (!plain) {
            rw_sink_lock();
            rw_sink_write(text.data, text.len);
            rw_sink_unlock();
        } else {
            char full[300];
            snprintf(full, sizeof full, "WARNING: %s", title);
            rw_buf json;
            rw_buf_init(&json);
            rw_json_context jc = rw_json_here();
            rw_json_misuse_previous(&json, &jc, full, 0, thread_number, s->pcs, s->n,
                                    ps.n ? prev->thread : 0, ps.pcs, ps.n, text.data,
                                    rw_symbolize_pc);
            rw_sink_json(json.data, json.len);
            rw_buf_free(&json);
        }
    }
    rw_buf_free(&text);
    __atomic_fetch_add(&nmisuse, 1, __ATOMIC_RELAXED);
    if (rw_opts.halt_on_error)
        rw_halt();
}

/* A misuse warning about the current call: the depot stack `stack` if
 * non-zero, else the current one at pc. */
void rw_report_misuse(rw_thread *t, const char *title, const char *object_line, uintptr_t pc,
                      uint32_t stack)
{
    rw_report_misuse_previous(t, title, object_line, pc, stack, NULL);
}

/* The same, with the earlier call it conflicts with (prev may be NULL). */
void rw_report_misuse_previous(rw_thread *t, const char *title, const char *object_line,
                               uintptr_t pc, uint32_t stack, const rw_misuse_previous *prev)
{
    int saved = rw_in_rt;
    rw_in_rt = 1;
    rw_reports_prepare();
    rw_report_stack s;
    if (stack)
        s.n = (int)rw_stack_get(stack, s.pcs, RW_MAX_STACK);
    else
        rw_capture_stack(t, pc, &s);
    report_misuse_stack(t->info ? t->info->number : 0, title, object_line, &s,
                        strstr(title, "join") || strstr(title, "thread") ||
                                strstr(title, "detach") ? RW_SUPP_THREAD : RW_SUPP_MUTEX,
                        prev);
    rw_in_rt = saved;
}

/* A misuse warning made later than the call it is about (a signal
 * handler's, reported once the handler is over): its thread's number and
 * the stack captured at the call; suppressed by `signal:` entries. */
void rw_report_signal_misuse(uint32_t thread_number, const char *title, const char *object_line,
                             uint32_t stack)
{
    int saved = rw_in_rt;
    rw_in_rt = 1;
    rw_reports_prepare();
    rw_report_stack s;
    s.n = (int)rw_stack_get(stack, s.pcs, RW_MAX_STACK);
    report_misuse_stack(thread_number, title, object_line, &s, RW_SUPP_SIGNAL, NULL);
    rw_in_rt = saved;
}

/* Go's fatal errors: "fatal error: MSG" (or "panic: MSG"), the thread's
 * stack as in a goroutine dump, exit status 2. */
void rw_report_fatal(rw_thread *t, const char *prefix, const char *msg, uintptr_t pc)
{
    rw_in_rt = 1;
    rw_reports_prepare();
    rw_symbolize_names_only_for_libc();
    rw_report_stack s;
    rw_capture_program_stack(pc, &s);
    int k = s.n;
    uint32_t id = rw_stack_put(s.pcs, (uint32_t)k);
    rw_buf text;
    rw_buf_init(&text);
    rw_buf_printf(&text, "%s: %s\n\nthread %u [running]:\n", prefix, msg,
                  t && t->info ? t->info->number : 0);
    rw_format_go_stack(&text, id, rw_symbolize_pc);
    if (t && t->info)
        rw_format_created_by(&text, t->info->parent, t->info->create_stack, rw_symbolize_pc);
    rw_flush_stdio_nowait();
    if (rw_json_enabled()) {
        char title[300];
        snprintf(title, sizeof title, "%s: %s", prefix, msg);
        rw_buf json;
        rw_buf_init(&json);
        rw_json_context jc = rw_json_here();
        rw_json_misuse(&json, &jc, title, 1, t && t->info ? t->info->number : 0, s.pcs, k,
                       text.data, rw_symbolize_pc);
        rw_sink_json(json.data, json.len);
        rw_buf_free(&json);
    }
    emit(&text);
    rw_note_fatal(RW_FATAL_MISUSE);
    rw_exit_now(2);
}

/* The channel library's misuse panics ("send on closed channel"...). */
RW_EXPORT void __racewatch_panic(const char *message)
{
    rw_thread *t = rw_cur;
    rw_report_fatal(t, "panic", message, RW_CALLER_PC());
}
