/* report_race.c: turning a conflict found by the race check into a race
 * report: the previous access's stack from its slot's trace, the
 * location (heap block, thread stack or TLS, global), the threads'
 * creation stacks; then folding duplicates and printing.
 *
 * The same record and text serve a use after free (an access that a
 * free happens before: use_after_free.c), with its own title.
 *
 * One race is printed per pair of source locations per process (as Go
 * does): first a cheap check on the pair of top pcs, then, after
 * symbolizing, on the pair of "file:line" strings.  All of it runs under
 * the sink lock, so two threads that find one race at once print it once.
 *
 * Both stacks are taken as soon as the race is found, before waiting for
 * the sink lock: while another thread prints (symbolizing can take
 * milliseconds), the earlier access's thread runs on and its history may
 * wrap, and a stack lost that way would make a second report of a pair
 * already printed.  When the earlier stack is lost all the same, the
 * report is one of a race already printed if its current location was
 * part of an earlier report (either side).  The other order: a report
 * printed with its earlier stack lost, then the same race found with both
 * stacks (a different pair of pcs).  The full one is folded when a lost
 * one on the same 8-byte word had its current location on either side of
 * it (ThreadSanitizer folds on the pair of pcs and on the address). */
#include "runtime/rt.h"
#include "detector/alloc.h"

#include <string.h>
#include <unistd.h>

#include "detector/heapblock.h"
#include "detector/objectaddr.h"
#include "detector/report_json.h"
#include "detector/suppress.h"
#include "detector/spinlock.h"
#include "runtime/symbolize.h"

#define SEEN_CAP 8192

static uint64_t seen_pcs[SEEN_CAP] RW_LARGE_BSS;
static uint64_t seen_lines[SEEN_CAP] RW_LARGE_BSS;
/* Each side of every printed report alone: its top pc, its "file:line". */
static uint64_t seen_one_pc[SEEN_CAP] RW_LARGE_BSS;
static uint64_t seen_one_line[SEEN_CAP] RW_LARGE_BSS;
static uint64_t nraces, nuafs;

/* Reports printed with the earlier stack lost: where, and the current
 * access's top pc and "file:line" hash. */
#define LOST_CAP 256
static struct lost_report {
    uintptr_t word;
    uint64_t uaf, pc, line;
} lost_reports[LOST_CAP] RW_LARGE_BSS;
static unsigned nlost_reports;

void rw_report_init(void)
{
    rw_race_handler = rw_on_race;
    rw_use_after_free_handler = rw_on_use_after_free;
}

uint64_t rw_reported_races(void)
{
    return __atomic_load_n(&nraces, __ATOMIC_RELAXED);
}

uint64_t rw_reported_uses_after_free(void)
{
    return __atomic_load_n(&nuafs, __ATOMIC_RELAXED);
}

static uint64_t mix(uint64_t a, uint64_t b)
{
    /* Order-insensitive: the same pair seen from either side is one race. */
    if (a > b) {
        uint64_t x = a;
        a = b;
        b = x;
    }
    uint64_t h = a * UINT64_C(0x9E3779B97F4A7C15) ^ (b + UINT64_C(0x632BE59BD9B4E019));
    h ^= h >> 31;
    return h ? h : 1;
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
    return h;
}

/* Insert h; returns 1 if it was already there. */
static int seen_before(uint64_t *set, uint64_t h)
{
    if (h == 0)
        h = 1; /* 0 marks an empty entry */
    for (unsigned i = 0; i < SEEN_CAP; i++) {
        unsigned k = (unsigned)(h + i) & (SEEN_CAP - 1);
        if (set[k] == h)
            return 1;
        if (set[k] == 0) {
            set[k] = h;
            return 0;
        }
    }
    return 0; /* full: report rather than lose */
}

static void drop_runtime_frames(rw_report_stack *s)
{
    int k = 0;
    for (int i = 0; i < s->n; i++)
        if (!rw_pc_in_runtime(s->pcs[i]))
            s->pcs[k++] = s->pcs[i];
    s->n = k;
}

/* Is h in the set (without inserting it)? */
static int seen_in(const uint64_t *set, uint64_t h)
{
    if (h == 0)
        h = 1;
    for (unsigned i = 0; i < SEEN_CAP; i++) {
        unsigned k = (unsigned)(h + i) & (SEEN_CAP - 1);
        if (set[k] == h)
            return 1;
        if (set[k] == 0)
            return 0;
    }
    return 0;
}

static int kind_of(rw_cell c)
{
    if (rw_cell_is_freed(c))
        return RW_FREE;
    if (rw_cell_is_atomic(c))
        return rw_cell_is_write(c) ? RW_ATOMIC_WRITE : RW_ATOMIC_READ;
    return rw_cell_is_write(c) ? RW_WRITE : RW_READ;
}

static void stack_from_depot(uint32_t id, rw_report_stack *s)
{
    s->n = (int)rw_stack_get(id, s->pcs, RW_MAX_STACK);
    drop_runtime_frames(s);
}

static void find_location(uintptr_t addr, rw_report_location *loc)
{
    memset(loc, 0, sizeof *loc);
    rw_objectaddr o;
    if (rw_objectaddr_find(addr, &o)) {
        loc->kind = RW_LOC_OBJECT;
        memcpy(loc->name, o.what, sizeof o.what);
        memcpy(loc->object_kind, o.kind, sizeof o.kind);
        loc->start = o.addr;
        loc->size = 1;
        loc->thread = o.thread;
        loc->numbered = o.numbered;
        if (o.create_stack)
            stack_from_depot(o.create_stack, &loc->stack);
        return;
    }
    rw_heapblock b;
    if (rw_heap_find(addr, &b)) {
        loc->kind = RW_LOC_HEAP;
        loc->start = b.start;
        loc->size = b.size;
        loc->thread = b.thread;
        loc->freed = b.freed;
        stack_from_depot(b.alloc_stack, &loc->stack);
        return;
    }
    rw_thread_main_stack_bounds_settle();
    uint32_t n = rw_thread_count();
    for (uint32_t i = 1; i <= n; i++) {
        rw_thread_info *in = rw_thread_info_by_number(i);
        if (!in || in->finished)
            continue;
        if (addr >= in->tls_lo && addr < in->tls_hi) {
            loc->kind = RW_LOC_TLS;
            loc->thread = i;
            return;
        }
        if (addr >= in->stack_lo && addr < in->stack_hi) {
            loc->kind = RW_LOC_STACK;
            loc->thread = i;
            return;
        }
    }
    size_t size = 0;
    if (rw_symbolize_data(addr, loc->name, sizeof loc->name, &loc->start, &size, loc->module,
                          sizeof loc->module, &loc->module_offset)) {
        loc->kind = RW_LOC_GLOBAL;
        loc->size = size;
        loc->module_offset -= addr - loc->start; /* of the variable's start */
    }
}

static void add_thread(rw_race_report *r, uint32_t number)
{
    for (int i = 0; i < r->nthreads; i++)
        if (r->threads[i].number == number)
            return;
    rw_thread_info *in = rw_thread_info_by_number(number);
    if (!in || r->nthreads >= 2)
        return;
    rw_report_thread *t = &r->threads[r->nthreads++];
    t->number = number;
    t->running = !__atomic_load_n(&in->finished, __ATOMIC_ACQUIRE);
    stack_from_depot(in->create_stack, &t->create);
}

/* The stack of the earlier access, rebuilt from its slot's trace or from
 * the retired history of the thread that had the slot then (n == 0 when
 * neither holds it any more). */
static void restore_previous_stack(rw_cell old, rw_report_stack *out)
{
    out->n = 0;
    unsigned slot = rw_cell_slot(old);
    rw_thread *ot = rw_thread_by_slot(slot);
    if (ot)
        out->n = rw_trace_restore(&ot->trace, __atomic_load_n(&ot->pos, __ATOMIC_RELAXED),
                                  rw_cell_clock(old), out->pcs, RW_MAX_STACK);
    if (out->n == 0) /* by a thread that ended, its slot taken since? */
        out->n = rw_trace_restore_retired(slot, rw_cell_clock(old), out->pcs, RW_MAX_STACK);
    drop_runtime_frames(out);
}

/* Was a report with a lost earlier stack printed on addr's word whose
 * current access is one side of this full pair? */
static int printed_lost(uintptr_t addr, uint64_t uaf, uint64_t pc_a, uint64_t pc_b,
                        uint64_t line_a, uint64_t line_b)
{
    unsigned n = nlost_reports < LOST_CAP ? nlost_reports : LOST_CAP;
    for (unsigned i = 0; i < n; i++) {
        const struct lost_report *l = &lost_reports[i];
        if (l->word != (addr & ~(uintptr_t)7) || l->uaf != uaf)
            continue;
        if (l->pc == pc_a || l->pc == pc_b || (l->line && (l->line == line_a || l->line == line_b)))
            return 1;
    }
    return 0;
}

/* Has this race been printed already?  Records it if not.  Under the sink
 * lock.  uaf keeps uses after free apart from races. */
static int printed_before(const rw_report_stack *cur, const rw_report_stack *prev, uintptr_t addr,
                          uint64_t uaf)
{
    int lost = prev->n == 0; /* then any race printed here is this one */
    uint64_t top_cur = cur->n ? cur->pcs[0] : 0;
    uint64_t top_prev = prev->n ? prev->pcs[0] : 0;
    /* The pcs first: a race found again costs no symbolizing. */
    if (lost && seen_in(seen_one_pc, top_cur + uaf))
        return 1;
    if (seen_before(seen_pcs, mix(top_cur, top_prev) + uaf))
        return 1;
    char lcur[1100], lprev[1100];
    rw_top_location(cur, rw_symbolize_pc, lcur, sizeof lcur);
    rw_top_location(prev, rw_symbolize_pc, lprev, sizeof lprev);
    uint64_t hcur = lcur[0] ? hash_str(lcur) : 0;
    uint64_t hprev = lprev[0] ? hash_str(lprev) : 0;
    if (lost && hcur && seen_in(seen_one_line, hcur + uaf))
        return 1;
    if (hcur && hprev && seen_before(seen_lines, mix(hcur, hprev) + uaf))
        return 1;
    if (!lost && printed_lost(addr, uaf, top_cur, top_prev, hcur, hprev))
        return 1; /* its pairs are recorded now: found again, it stops above */
    if (lost && nlost_reports < LOST_CAP)
        lost_reports[nlost_reports++] = (struct lost_report){ addr & ~(uintptr_t)7, uaf, top_cur, hcur };
    seen_before(seen_one_pc, top_cur + uaf);
    if (hcur)
        seen_before(seen_one_line, hcur + uaf);
    if (!lost) {
        seen_before(seen_one_pc, top_prev + uaf);
        if (hprev)
            seen_before(seen_one_line, hprev + uaf);
    }
    return 0;
}

/* A report of two accesses: a race, or a use after free (old is the free,
 * which happens before cur). */
static void report_pair(rw_thread *t, uintptr_t addr, rw_cell cur, rw_cell old, uintptr_t pc,
                        int use_after_free)
{
    if (!rw_opts.report_races)
        return;
    int saved = rw_in_rt;
    rw_in_rt = 1;
    rw_reports_prepare(); /* before any lock of ours (rt.h) */
    /* Taken before the lock (see the top of the file). */
    rw_report_stack cur_stack, prev_stack;
    rw_capture_stack(t, pc, &cur_stack);
    drop_runtime_frames(&cur_stack);
    restore_previous_stack(old, &prev_stack);

    static rw_race_report r; /* under the sink lock */
    rw_sink_lock();
    if (rw_sink_reports_closed())
        goto out; /* found after the exit summary: it counts no more */
    memset(&r, 0, sizeof r);
    r.use_after_free = use_after_free;

    r.cur.kind = kind_of(cur);
    r.cur.addr = addr;
    r.cur.size = (size_t)__builtin_popcount(rw_cell_mask(cur));
    r.cur.thread = t->info ? t->info->number : 0;
    r.cur.stack = cur_stack;

    rw_thread_info *oin = rw_thread_info_at(rw_cell_slot(old), rw_cell_clock(old));
    r.prev.kind = kind_of(old);
    r.prev.addr = (addr & ~(uintptr_t)7) + rw_cell_offset(old);
    r.prev.size = (size_t)__builtin_popcount(rw_cell_mask(old));
    r.prev.thread = oin ? oin->number : 0;
    r.prev.stack = prev_stack;

    {
        const rw_report_stack *both[2] = { &r.cur.stack, &r.prev.stack };
        if (rw_suppressed(RW_SUPP_RACE, both, 2, 0) || rw_suppressed(RW_SUPP_RACE_TOP, both, 2, 1) ||
            rw_suppressed(RW_SUPP_CALLED_FROM_LIB, both, 1, 1))
            goto out;
    }
    if (printed_before(&r.cur.stack, &r.prev.stack, addr, (uint64_t)use_after_free))
        goto out;

    find_location(addr, &r.loc);
    add_thread(&r, r.cur.thread);
    add_thread(&r, r.prev.thread);

    rw_buf text;
    rw_buf_init(&text);
    rw_format_race(&text, &r, rw_symbolize_pc, rw_sink_color());
    rw_sink_write(text.data, text.len);
    if (rw_json_enabled()) {
        rw_buf plain, json;
        rw_buf_init(&plain);
        rw_buf_init(&json);
        rw_format_race(&plain, &r, rw_symbolize_pc, 0);
        uint32_t parents[2] = { 0, 0 };
        for (int i = 0; i < r.nthreads; i++) {
            rw_thread_info *ti = rw_thread_info_by_number(r.threads[i].number);
            parents[i] = ti ? ti->parent : 0;
        }
        rw_json_context jc = rw_json_here();
        rw_json_race(&json, &jc, &r, parents, plain.data, rw_symbolize_pc);
        rw_sink_json(json.data, json.len);
        rw_buf_free(&plain);
        rw_buf_free(&json);
    }
    rw_buf_free(&text);
    __atomic_fetch_add(use_after_free ? &nuafs : &nraces, 1, __ATOMIC_RELAXED);
    if (rw_opts.halt_on_error) {
        rw_sink_unlock();
        rw_halt();
    }
out:
    rw_sink_unlock();
    rw_in_rt = saved;
}

void rw_on_race(rw_thread *t, uintptr_t addr, rw_cell cur, rw_cell old, uintptr_t pc)
{
    report_pair(t, addr, cur, old, pc, 0);
}

void rw_on_use_after_free(rw_thread *t, uintptr_t addr, rw_cell cur, rw_cell freed, uintptr_t pc)
{
    report_pair(t, addr, cur, freed, pc, 1);
}

/* A forked child reports for itself: its count starts at zero. */
void rw_report_after_fork(void)
{
    __atomic_store_n(&nraces, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&nuafs, 0, __ATOMIC_RELAXED);
}
