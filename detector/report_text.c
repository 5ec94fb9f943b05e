/* report_text.c: the text form of reports, byte for byte the shapes of
 * shared/spec/reports.md (Go's race detector output with "thread" for
 * "goroutine"). */
#include "detector/report.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "detector/alloc.h"

void rw_buf_init(rw_buf *b)
{
    b->data = NULL;
    b->len = b->cap = 0;
}

void rw_buf_free(rw_buf *b)
{
    rw_free(b->data);
    rw_buf_init(b);
}

void rw_buf_printf(rw_buf *b, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = b->cap - b->len;
        int n = vsnprintf(b->data ? b->data + b->len : NULL, room, fmt, ap);
        va_end(ap);
        if (n < 0)
            return;
        if ((size_t)n < room) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = b->cap ? b->cap * 2 : 1024;
        while (cap < b->len + (size_t)n + 1)
            cap *= 2;
        char *d = rw_realloc(b->data, cap);
        if (!d)
            return;
        b->data = d;
        b->cap = cap;
    }
}

const char *rw_access_kind_name(int kind, int previous)
{
    switch (kind) {
    case RW_READ: return previous ? "Previous read" : "Read";
    case RW_WRITE: return previous ? "Previous write" : "Write";
    case RW_ATOMIC_READ: return previous ? "Previous atomic read" : "Atomic read";
    case RW_ATOMIC_WRITE: return previous ? "Previous atomic write" : "Atomic write";
    case RW_FREE: return previous ? "Previous free" : "Write";
    }
    return "Access";
}

static const char *basename_of(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static void format_frame(rw_buf *out, const rw_frame *f)
{
    rw_buf_printf(out, "  %s()\n", f->function[0] ? f->function : "??");
    if (f->file[0]) {
        rw_buf_printf(out, "      %s:%d", f->file, f->line);
        if (f->has_func_offset)
            rw_buf_printf(out, " +0x%zx", (size_t)f->func_offset);
        rw_buf_printf(out, "\n");
    } else if (f->module[0]) {
        rw_buf_printf(out, "      %s+0x%zx\n", basename_of(f->module), (size_t)f->module_offset);
    } else {
        rw_buf_printf(out, "      ??\n");
    }
}

int rw_thread_entry_function(const char *function)
{
    return !strcmp(function, "start_thread") || !strcmp(function, "__clone") ||
           !strcmp(function, "__clone3") || !strcmp(function, "clone") ||
           !strcmp(function, "clone3") || !strcmp(function, "__libc_start_call_main");
}

void rw_format_stack(rw_buf *out, const rw_report_stack *s, rw_symbolize_fn sym)
{
    if (s->n == 0) {
        rw_buf_printf(out, "  [failed to restore the stack]\n");
        return;
    }
    for (int i = 0; i < s->n; i++) {
        rw_frame frames[8];
        int n = sym(s->pcs[i], 1, frames, 8);
        for (int j = 0; j < n; j++) {
            format_frame(out, &frames[j]);
            /* Like Go, stop at main: what lies below is the C library's
             * start-up, the same in every report. */
            if (!frames[j].inlined && !strcmp(frames[j].function, "main"))
                return;
        }
    }
}

void rw_top_location(const rw_report_stack *s, rw_symbolize_fn sym, char *out, size_t len)
{
    out[0] = '\0';
    if (s->n == 0)
        return;
    rw_frame f[8];
    int n = sym(s->pcs[0], 1, f, 8);
    if (n > 0 && f[0].file[0])
        snprintf(out, len, "%s:%d", f[0].file, f[0].line);
    else if (n > 0)
        snprintf(out, len, "%s+0x%zx", f[0].module, (size_t)f[0].module_offset);
}

#define RED(c) ((c) ? "\033[1;31m" : "")
#define BOLD(c) ((c) ? "\033[1m" : "")
#define GREEN(c) ((c) ? "\033[32m" : "")
#define CYAN(c) ((c) ? "\033[36m" : "")
#define RESET(c) ((c) ? "\033[0m" : "")

static void format_access(rw_buf *out, const rw_report_access *a, int previous,
                          rw_symbolize_fn sym, int color)
{
    rw_buf_printf(out, "%s%s at %p by thread %u:%s\n", BOLD(color),
                  rw_access_kind_name(a->kind, previous), (void *)a->addr, a->thread,
                  RESET(color));
    rw_format_stack(out, &a->stack, sym);
}

static void format_location(rw_buf *out, const rw_report_location *l, rw_symbolize_fn sym,
                            int color)
{
    switch (l->kind) {
    case RW_LOC_GLOBAL:
        rw_buf_printf(out, "%sLocation is global '%s' of size %zu at %p (%s+0x%zx)%s\n",
                      GREEN(color), l->name, l->size, (void *)l->start,
                      basename_of(l->module), (size_t)l->module_offset, RESET(color));
        break;
    case RW_LOC_HEAP:
        rw_buf_printf(out, "%sLocation is heap block of size %zu at %p allocated by thread %u:%s\n",
                      GREEN(color), l->size, (void *)l->start, l->thread, RESET(color));
        rw_format_stack(out, &l->stack, sym);
        break;
    case RW_LOC_STACK:
        rw_buf_printf(out, "%sLocation is stack of thread %u.%s\n", GREEN(color), l->thread,
                      RESET(color));
        break;
    case RW_LOC_TLS:
        rw_buf_printf(out, "%sLocation is TLS of thread %u.%s\n", GREEN(color), l->thread,
                      RESET(color));
        break;
    case RW_LOC_OBJECT:
        if (l->numbered && !l->thread) {
            /* Not seen created: no stack to show. */
            rw_buf_printf(out, "%sLocation is %s%s\n", GREEN(color), l->name, RESET(color));
            break;
        }
        if (l->numbered)
            rw_buf_printf(out, "%sLocation is %s created by thread %u at:%s\n", GREEN(color),
                          l->name, l->thread, RESET(color));
        else
            rw_buf_printf(out, "%sLocation is %s at %p made by thread %u:%s\n", GREEN(color),
                          l->name, (void *)l->start, l->thread, RESET(color));
        rw_format_stack(out, &l->stack, sym);
        break;
    default:
        return;
    }
    rw_buf_printf(out, "\n");
}

void rw_format_race(rw_buf *out, const rw_race_report *r, rw_symbolize_fn sym, int color)
{
    rw_buf_printf(out, "==================\n");
    rw_buf_printf(out, "%sWARNING: %s%s\n", RED(color),
                  r->use_after_free ? "USE AFTER FREE" : "DATA RACE", RESET(color));
    format_access(out, &r->cur, 0, sym, color);
    rw_buf_printf(out, "\n");
    format_access(out, &r->prev, 1, sym, color);
    rw_buf_printf(out, "\n");
    format_location(out, &r->loc, sym, color);
    for (int i = 0; i < r->nthreads; i++) {
        const rw_report_thread *t = &r->threads[i];
        if (t->number == 1)
            continue; /* the main thread has no creation stack (as in Go) */
        rw_buf_printf(out, "%sThread %u (%s) created at:%s\n", CYAN(color), t->number,
                      t->running ? "running" : "finished", RESET(color));
        rw_format_stack(out, &t->create, sym);
        rw_buf_printf(out, "\n");
    }
    /* The last block ends with the separator instead of a blank line. */
    if (out->len >= 2 && out->data[out->len - 1] == '\n' && out->data[out->len - 2] == '\n')
        out->len--;
    rw_buf_printf(out, "==================\n");
}
