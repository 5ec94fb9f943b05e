/* report_json.c: report records as JSON lines (docs/json-format.md).
 *
 * The same records as the text form, symbolized once more here; the text
 * itself is embedded ("text") for tools that show it.
 *
 * The fingerprint is FNV-1a over the kind and, per stack, the top frame's
 * function and source file basename (the module's basename too when the
 * file is unknown; the module's basename alone when the function is):
 * no line numbers, no addresses, so it is stable across runs, machines,
 * builds at other paths and edits that only move lines.  A data race adds
 * its location's kind and, for a global, its name, so that two races in
 * the same pair of functions on different globals stay two.  Stacks
 * whose order depends on timing (the two sides of a race, the threads of
 * a deadlock, the edges of a lock cycle) are combined order-insensitively.
 * docs/json-format.md, "Fingerprints". */
#include "detector/report_json.h"

#include "detector/misuse_rules.h"

#include <stdio.h>
#include <string.h>

#include "detector/stackdepot.h"
#include "detector/waitfor.h"

void rw_json_string(rw_buf *out, const char *s)
{
    rw_buf_printf(out, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned c = *p;
        if (c == '"' || c == '\\')
            rw_buf_printf(out, "\\%c", c);
        else if (c == '\n')
            rw_buf_printf(out, "\\n");
        else if (c == '\t')
            rw_buf_printf(out, "\\t");
        else if (c < 0x20 || c >= 0x7f)
            rw_buf_printf(out, "\\u%04x", c); /* bytes as code points: always valid JSON */
        else
            rw_buf_printf(out, "%c", c);
    }
    rw_buf_printf(out, "\"");
}

static const char *base(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

void rw_fingerprint_init(rw_fingerprint *f, const char *kind)
{
    f->h = 0xcbf29ce484222325ull;
    rw_fingerprint_add(f, kind);
}

void rw_fingerprint_add(rw_fingerprint *f, const char *s)
{
    for (; *s; s++)
        f->h = (f->h ^ (unsigned char)*s) * 0x100000001b3ull;
    f->h = (f->h ^ 0xff) * 0x100000001b3ull;
}

/* Add a stack's top frame to the fingerprint: "function@file" (no line),
 * "function@@module" without debug info, "@@module" without a name. */
static void fingerprint_top(rw_fingerprint *f, const uintptr_t *pcs, int n, rw_symbolize_fn sym)
{
    if (n == 0) {
        rw_fingerprint_add(f, "?");
        return;
    }
    rw_frame fr[8];
    int k = sym(pcs[0], 1, fr, 8);
    char line[1100];
    if (k <= 0)
        snprintf(line, sizeof line, "?");
    else if (fr[0].function[0] && fr[0].file[0])
        snprintf(line, sizeof line, "%s@%s", fr[0].function, base(fr[0].file));
    else
        snprintf(line, sizeof line, "%s@@%s", fr[0].function, base(fr[0].module));
    rw_fingerprint_add(f, line);
}

/* The hash of one part (a stack, a thread), to combine with others. */
static uint64_t part_hash(const char *label, const uintptr_t *pcs, int n, rw_symbolize_fn sym)
{
    rw_fingerprint p;
    rw_fingerprint_init(&p, label);
    fingerprint_top(&p, pcs, n, sym);
    return p.h;
}

void rw_json_frames(rw_buf *out, const uintptr_t *pcs, int n, rw_symbolize_fn sym)
{
    rw_buf_printf(out, "[");
    int first = 1;
    for (int i = 0; i < n; i++) {
        rw_frame fr[8];
        int k = sym(pcs[i], 1, fr, 8);
        for (int j = 0; j < k; j++) {
            rw_buf_printf(out, "%s{\"function\":", first ? "" : ",");
            first = 0;
            rw_json_string(out, fr[j].function[0] ? fr[j].function : "??");
            rw_buf_printf(out, ",\"file\":");
            rw_json_string(out, fr[j].file);
            rw_buf_printf(out, ",\"line\":%d,\"offset\":\"0x%zx\",\"module\":", fr[j].line,
                          (size_t)fr[j].func_offset);
            rw_json_string(out, fr[j].module);
            rw_buf_printf(out, ",\"module_offset\":\"0x%zx\",\"inlined\":%s}",
                          (size_t)fr[j].module_offset, fr[j].inlined ? "true" : "false");
            if (!fr[j].inlined && !strcmp(fr[j].function, "main"))
                goto done;
        }
    }
done:
    rw_buf_printf(out, "]");
}

/* ,"argv":[...] (and ,"argv_truncated":true) when the command line is known. */
static void argv_fields(rw_buf *out, const rw_json_context *c)
{
    if (c->args == NULL)
        return;
    rw_buf_printf(out, ",\"argv\":[");
    for (size_t at = 0; at < c->args_len;) {
        const char *arg = c->args + at;
        if (at > 0)
            rw_buf_printf(out, ",");
        rw_json_string(out, arg);
        at += strlen(arg) + 1;
    }
    rw_buf_printf(out, "]");
    if (c->args_truncated)
        rw_buf_printf(out, ",\"argv_truncated\":true");
}

static void head(rw_buf *out, const rw_json_context *c, const char *kind, uint64_t fp,
                 const char *title, int fatal, const char *text)
{
    rw_buf_printf(out, "{\"version\":1,\"kind\":\"%s\",\"pid\":%d,\"program\":", kind, c->pid);
    rw_json_string(out, c->program);
    argv_fields(out, c);
    rw_buf_printf(out, ",\"fingerprint\":\"%016llx\",\"title\":", (unsigned long long)fp);
    rw_json_string(out, title);
    rw_buf_printf(out, ",\"fatal\":%s,\"text\":", fatal ? "true" : "false");
    rw_json_string(out, text);
}

static void thread_obj(rw_buf *out, uint32_t number, int running, uint32_t parent,
                       const uintptr_t *pcs, int n, rw_symbolize_fn sym)
{
    rw_buf_printf(out, "{\"number\":%u,\"running\":%s,\"created_by\":%u,\"created_at\":", number,
                  running ? "true" : "false", parent);
    rw_json_frames(out, pcs, n, sym);
    rw_buf_printf(out, "}");
}

static const char *access_name(int kind)
{
    switch (kind) {
    case RW_READ: return "read";
    case RW_WRITE: return "write";
    case RW_ATOMIC_READ: return "atomic read";
    case RW_ATOMIC_WRITE: return "atomic write";
    case RW_FREE: return "free";
    }
    return "access";
}

void rw_json_race(rw_buf *out, const rw_json_context *c, const rw_race_report *r,
                  const uint32_t *parents, const char *text, rw_symbolize_fn sym)
{
    static const char *locs[] = { "unknown", "global", "heap", "stack", "tls" };
    const rw_report_location *l = &r->loc;
    const char *loc_kind = l->kind == RW_LOC_OBJECT ? l->object_kind
                                                    : locs[l->kind <= RW_LOC_TLS ? l->kind : 0];
    const char *kind = r->use_after_free ? "use_after_free" : "data_race";
    rw_fingerprint f;
    rw_fingerprint_init(&f, kind);
    rw_fingerprint_add(&f, loc_kind);
    rw_fingerprint_add(&f, l->kind == RW_LOC_GLOBAL ? l->name : "");
    /* Order-insensitive: the same race seen from either side is one.  The
     * access kinds are left out: which side reads and which writes (or
     * whether both write) depends on the interleaving. */
    uint64_t a = part_hash("", r->cur.stack.pcs, r->cur.stack.n, sym);
    uint64_t b = part_hash("", r->prev.stack.pcs, r->prev.stack.n, sym);
    f.h ^= (a < b ? a * 3 + b : b * 3 + a);
    head(out, c, kind, f.h, r->use_after_free ? "WARNING: USE AFTER FREE" : "WARNING: DATA RACE", 0,
         text);
    rw_buf_printf(out, ",\"stacks\":[");
    const rw_report_access *acc[2] = { &r->cur, &r->prev };
    for (int i = 0; i < 2; i++) {
        rw_buf_printf(out, "%s{\"role\":\"%s\",\"thread\":%u,\"access\":\"%s\",\"address\":\"%p\",\"frames\":",
                      i ? "," : "", i ? "previous" : "current", acc[i]->thread,
                      access_name(acc[i]->kind), (void *)acc[i]->addr);
        rw_json_frames(out, acc[i]->stack.pcs, acc[i]->stack.n, sym);
        rw_buf_printf(out, "}");
    }
    rw_buf_printf(out, "],\"threads\":[");
    for (int i = 0; i < r->nthreads; i++) {
        if (i)
            rw_buf_printf(out, ",");
        thread_obj(out, r->threads[i].number, r->threads[i].running, parents ? parents[i] : 0,
                   r->threads[i].create.pcs, r->threads[i].create.n, sym);
    }
    rw_buf_printf(out, "],\"location\":{\"kind\":\"%s\",\"name\":", loc_kind);
    rw_json_string(out, l->name);
    rw_buf_printf(out, ",\"address\":\"%p\",\"size\":%zu,\"thread\":%u}}\n", (void *)l->start,
                  l->size, l->thread);
}

void rw_json_deadlock(rw_buf *out, const rw_json_context *c, const rw_deadlock_report *r,
                      const char *title, const char *text, rw_symbolize_fn sym)
{
    rw_fingerprint f;
    rw_fingerprint_init(&f, r->verdict == RW_CYCLE ? "deadlock_cycle" : "deadlock");
    uintptr_t pcs[RW_MAX_STACK];
    uint64_t mix = 0;
    for (int i = 0; i < r->n; i++) { /* a sum: the threads' order does not matter */
        uint32_t n = rw_stack_get(r->threads[i]->stack, pcs, RW_MAX_STACK);
        mix += part_hash(r->threads[i]->reason ? r->threads[i]->reason : "", pcs, (int)n, sym);
    }
    f.h ^= mix;
    head(out, c, "deadlock", f.h, title, 1, text);
    rw_buf_printf(out, ",\"cycle\":%s,\"stacks\":[", r->verdict == RW_CYCLE ? "true" : "false");
    for (int i = 0; i < r->n; i++) {
        const rw_waiter *w = r->threads[i];
        uint32_t n = rw_stack_get(w->stack, pcs, RW_MAX_STACK);
        rw_buf_printf(out, "%s{\"role\":\"blocked\",\"thread\":%u,\"reason\":", i ? "," : "", w->number);
        rw_json_string(out, w->reason ? w->reason : "");
        rw_buf_printf(out, ",\"frames\":");
        rw_json_frames(out, pcs, (int)n, sym);
        rw_buf_printf(out, "}");
    }
    rw_buf_printf(out, "],\"threads\":[");
    for (int i = 0; i < r->n; i++) {
        const rw_waiter *w = r->threads[i];
        uint32_t n = rw_stack_get(w->create_stack, pcs, RW_MAX_STACK);
        if (i)
            rw_buf_printf(out, ",");
        thread_obj(out, w->number, 0, w->parent, pcs, (int)n, sym);
    }
    rw_buf_printf(out, "]}\n");
}

void rw_json_lock_cycle(rw_buf *out, const rw_json_context *c, const rw_lock_cycle *cy,
                        const char *text, rw_symbolize_fn sym)
{
    rw_fingerprint f;
    rw_fingerprint_init(&f, "lock_order_inversion");
    uintptr_t pcs[RW_MAX_STACK];
    uint64_t mix = 0;
    for (int i = 0; i < cy->n; i++) {
        rw_fingerprint e;
        rw_fingerprint_init(&e, "");
        uint32_t n = rw_stack_get(cy->edges[i].to_stack, pcs, RW_MAX_STACK);
        fingerprint_top(&e, pcs, (int)n, sym);
        n = rw_stack_get(cy->edges[i].from_stack, pcs, RW_MAX_STACK);
        fingerprint_top(&e, pcs, (int)n, sym);
        mix += e.h; /* the same cycle found from another edge: same sum */
    }
    f.h ^= mix;
    head(out, c, "lock_order_inversion", f.h, "WARNING: LOCK ORDER INVERSION (potential deadlock)", 0, text);
    rw_buf_printf(out, ",\"locks\":[");
    for (int i = 0; i < cy->n; i++)
        rw_buf_printf(out, "%s{\"name\":\"M%d\",\"address\":\"%p\"}", i ? "," : "", i + 1,
                      (void *)cy->edges[i].from_addr);
    rw_buf_printf(out, "],\"stacks\":[");
    for (int i = 0; i < cy->n; i++) {
        uint32_t n = rw_stack_get(cy->edges[i].to_stack, pcs, RW_MAX_STACK);
        rw_buf_printf(out, "%s{\"role\":\"acquired\",\"thread\":%u,\"frames\":", i ? "," : "",
                      cy->edges[i].thread);
        rw_json_frames(out, pcs, (int)n, sym);
        n = rw_stack_get(cy->edges[i].from_stack, pcs, RW_MAX_STACK);
        rw_buf_printf(out, "},{\"role\":\"held\",\"thread\":%u,\"frames\":", cy->edges[i].thread);
        rw_json_frames(out, pcs, (int)n, sym);
        rw_buf_printf(out, "}");
    }
    rw_buf_printf(out, "],\"threads\":[]}\n");
}

void rw_json_misuse(rw_buf *out, const rw_json_context *c, const char *title, int fatal,
                    uint32_t thread, const uintptr_t *pcs, int n, const char *text,
                    rw_symbolize_fn sym)
{
    rw_json_misuse_previous(out, c, title, fatal, thread, pcs, n, 0, NULL, 0, text, sym);
}

void rw_json_misuse_previous(rw_buf *out, const rw_json_context *c, const char *title, int fatal,
                             uint32_t thread, const uintptr_t *pcs, int n, uint32_t prev_thread,
                             const uintptr_t *prev_pcs, int prev_n, const char *text,
                             rw_symbolize_fn sym)
{
    rw_fingerprint f;
    rw_fingerprint_init(&f, "misuse");
    rw_fingerprint_add(&f, title);
    fingerprint_top(&f, pcs, n, sym);
    head(out, c, "misuse", f.h, title, fatal, text);
    rw_buf_printf(out, ",\"rule\":\"%s\"", rw_misuse_rule_of(title)->id);
    rw_buf_printf(out, ",\"stacks\":[{\"role\":\"at\",\"thread\":%u,\"frames\":", thread);
    rw_json_frames(out, pcs, n, sym);
    if (prev_n > 0) {
        rw_buf_printf(out, "},{\"role\":\"previous\",\"thread\":%u,\"frames\":", prev_thread);
        rw_json_frames(out, prev_pcs, prev_n, sym);
    }
    rw_buf_printf(out, "}],\"threads\":[]}\n");
}

void rw_json_thread_leak(rw_buf *out, const rw_json_context *c, const rw_thread_leak *l,
                         const char *text, rw_symbolize_fn sym)
{
    rw_fingerprint f;
    rw_fingerprint_init(&f, "thread_leak");
    fingerprint_top(&f, l->create.pcs, l->create.n, sym);
    head(out, c, "thread_leak", f.h, "WARNING: THREAD LEAK", 0, text);
    rw_buf_printf(out, ",\"stacks\":[{\"role\":\"created\",\"thread\":%u,\"frames\":",
                  l->numbers[0]);
    rw_json_frames(out, l->create.pcs, l->create.n, sym);
    rw_buf_printf(out, "}],\"threads\":[");
    thread_obj(out, l->numbers[0], 0, l->parent, l->create.pcs, l->create.n, sym);
    rw_buf_printf(out, "],\"leaked_threads\":%u,\"leaked\":[", l->count);
    uint32_t listed = l->count < RW_LEAK_LISTED ? l->count : RW_LEAK_LISTED;
    for (uint32_t i = 0; i < listed; i++)
        rw_buf_printf(out, "%s%u", i ? "," : "", l->numbers[i]);
    rw_buf_printf(out, "]}\n");
}

void rw_json_summary(rw_buf *out, const rw_json_context *c, const rw_json_counts *n,
                     int program_status, int status)
{
    rw_buf_printf(out, "{\"version\":1,\"kind\":\"summary\",\"pid\":%d,\"program\":", c->pid);
    rw_json_string(out, c->program);
    argv_fields(out, c);
    rw_buf_printf(out, ",\"races\":%llu,\"deadlocks\":%llu,\"potential_deadlocks\":%llu,\"misuse\":%llu,"
                  "\"thread_leaks\":%llu,\"uses_after_free\":%llu,"
                  "\"program_exit_status\":%d,\"exit_status\":%d}\n",
                  (unsigned long long)n->races, (unsigned long long)n->deadlocks,
                  (unsigned long long)n->potential_deadlocks, (unsigned long long)n->misuse,
                  (unsigned long long)n->thread_leaks, (unsigned long long)n->uses_after_free,
                  program_status, status);
}
