/* test_trace.c: detector/trace.c, rebuilding the stack of an earlier
 * event from a slot's ring of events.
 *
 * A small ring (2^6 = 64 events in 8 parts of 8) makes part boundaries and
 * overwriting happen after a few events.  The tests drive a trace the way
 * rw_thread does (event first, then push/pop), keep the true stack of every
 * access on the side, and compare the restored stack frame by frame; one
 * long pseudo-random run checks every access against the exact history
 * window: restorable iff now < (start of pos's part) + ring size.  The
 * histories of finished threads are retired with their rings when a new
 * thread takes the slot (rw_trace_retire). */
#include "detector/trace.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "detector/thread.h"

#define BITS 6
#define RING (1u << BITS)
#define PART (RING / RW_TRACE_PARTS)

/* ---- a simulated slot --------------------------------------------- */

static struct sim {
    rw_trace tr;
    uint64_t pos;
    uintptr_t stack[1024];  /* outermost first */
    uint32_t depth;
} S;

static void sim_init(unsigned bits)
{
    memset(&S, 0, sizeof S);
    ck_assert_int_eq(rw_trace_init(&S.tr, bits), 0);
    rw_trace_open_part(&S.tr, 0, NULL, 0);   /* as new_slot does */
}

static void put(unsigned type, uintptr_t pc)
{
    /* A pc in another window takes a window event first: two positions. */
    S.pos = rw_trace_put(&S.tr, S.pos + 1, ((uint64_t)type << RW_EV_SHIFT) | (pc & RW_EV_PC_MASK),
                         S.stack, S.depth);
}

static void entry(uintptr_t pc)
{
    put(RW_EV_ENTRY, pc);
    S.stack[S.depth++] = pc;
}

static void leave(void)
{
    put(RW_EV_EXIT, 0);
    if (S.depth)
        S.depth--;
}

/* An access; returns its position. */
static uint64_t access_at(uintptr_t pc)
{
    put(RW_EV_ACCESS, pc);
    return S.pos;
}

/* What restore must give for an access at pc with the current stack. */
static int expected(uintptr_t pc, uintptr_t *out, int max)
{
    int n = 0;
    out[n++] = pc;
    for (uint32_t i = S.depth; i > 0 && n < max; i--)
        out[n++] = S.stack[i - 1];
    return n;
}

static void assert_stack(const uintptr_t *got, int ngot, const uintptr_t *want, int nwant)
{
    ck_assert_int_eq(ngot, nwant);
    for (int i = 0; i < nwant; i++)
        ck_assert_msg(got[i] == want[i], "frame %d: got %#lx, want %#lx", i,
                      (unsigned long)got[i], (unsigned long)want[i]);
}

/* ---- tests -------------------------------------------------------- */

START_TEST(test_init)
{
    rw_trace tr;
    ck_assert_int_eq(rw_trace_init(&tr, BITS), 0);
    ck_assert_ptr_nonnull(tr.ev);
    ck_assert_uint_eq(tr.bits, BITS);
    for (int i = 0; i < RW_TRACE_PARTS; i++) {
        ck_assert(tr.parts[i].start == UINT64_MAX);
        ck_assert_uint_eq(tr.parts[i].depth, 0);
    }
    /* Nothing can be restored from a part never opened. */
    uintptr_t out[8];
    ck_assert_int_eq(rw_trace_restore(&tr, 3, 3, out, 8), 0);
}
END_TEST

START_TEST(test_restore_simple)
{
    sim_init(BITS);
    entry(0xa00);                       /* pos 1 */
    entry(0xb00);                       /* pos 2 */
    uint64_t p = access_at(0xb10);      /* pos 3 */
    ck_assert_uint_eq(p, 3);
    leave();                            /* pos 4 */
    uint64_t q = access_at(0xa10);      /* pos 5 */

    uintptr_t out[16];
    const uintptr_t want_p[] = { 0xb10, 0xb00, 0xa00 };
    assert_stack(out, rw_trace_restore(&S.tr, S.pos, p, out, 16), want_p, 3);
    const uintptr_t want_q[] = { 0xa10, 0xa00 };
    assert_stack(out, rw_trace_restore(&S.tr, S.pos, q, out, 16), want_q, 2);

    /* max limits the frames (innermost first). */
    assert_stack(out, rw_trace_restore(&S.tr, S.pos, p, out, 2), want_p, 2);
    assert_stack(out, rw_trace_restore(&S.tr, S.pos, p, out, 1), want_p, 1);
    ck_assert_int_eq(rw_trace_restore(&S.tr, S.pos, p, out, 0), 0);
    /* A position in the future has no stack. */
    ck_assert_int_eq(rw_trace_restore(&S.tr, S.pos, S.pos + 1, out, 16), 0);
    /* The event of an entry reports the entry's pc on top of the stack
     * before it. */
    const uintptr_t want_e[] = { 0xb00, 0xa00 };
    assert_stack(out, rw_trace_restore(&S.tr, S.pos, 2, out, 16), want_e, 2);
}
END_TEST

/* Accesses whose part was opened with a deep stack: the header holds the
 * stack, then entries/exits in the part are replayed. */
START_TEST(test_restore_across_part_boundaries)
{
    sim_init(BITS);
    /* positions 1..7 are part 0 */
    entry(0x100);                       /* 1 */
    entry(0x200);                       /* 2 */
    entry(0x300);                       /* 3 */
    uint64_t p0 = access_at(0x310);     /* 4 */
    access_at(0x311);                   /* 5 */
    access_at(0x312);                   /* 6 */
    access_at(0x313);                   /* 7 */
    ck_assert_uint_eq(S.pos, 7);
    /* pos 8 opens part 1 with stack 100/200/300 */
    uint64_t p1 = access_at(0x320);     /* 8 */
    ck_assert_uint_eq(p1, 8);
    ck_assert_uint_eq(S.tr.parts[1].start, 8);
    ck_assert_uint_eq(S.tr.parts[1].depth, 3);
    ck_assert_uint_eq(S.tr.parts[1].stack[2], 0x300);
    leave();                            /* 9 */
    leave();                            /* 10 */
    uint64_t p2 = access_at(0x110);     /* 11 */
    entry(0x400);                       /* 12 */
    entry(0x500);                       /* 13 */
    entry(0x600);                       /* 14 */
    entry(0x700);                       /* 15: last of part 1 */
    entry(0x800);                       /* 16: opens part 2 before the push */
    ck_assert_uint_eq(S.tr.parts[2].start, 16);
    ck_assert_uint_eq(S.tr.parts[2].depth, 5);
    uint64_t p3 = access_at(0x810);     /* 17 */
    leave();                            /* 18 */
    leave();                            /* 19 */
    leave();                            /* 20 */
    uint64_t p4 = access_at(0x410);     /* 21 */

    uintptr_t out[32];
    const uintptr_t w0[] = { 0x310, 0x300, 0x200, 0x100 };
    assert_stack(out, rw_trace_restore(&S.tr, S.pos, p0, out, 32), w0, 4);
    const uintptr_t w1[] = { 0x320, 0x300, 0x200, 0x100 };
    assert_stack(out, rw_trace_restore(&S.tr, S.pos, p1, out, 32), w1, 4);
    const uintptr_t w2[] = { 0x110, 0x100 };
    assert_stack(out, rw_trace_restore(&S.tr, S.pos, p2, out, 32), w2, 2);
    const uintptr_t w3[] = { 0x810, 0x800, 0x700, 0x600, 0x500, 0x400, 0x100 };
    assert_stack(out, rw_trace_restore(&S.tr, S.pos, p3, out, 32), w3, 7);
    const uintptr_t w4[] = { 0x410, 0x500, 0x400, 0x100 };
    assert_stack(out, rw_trace_restore(&S.tr, S.pos, p4, out, 32), w4, 4);
}
END_TEST

/* Exactly when history is lost: when the position that re-opens the
 * part of pos (that part's start + ring) has been written. */
START_TEST(test_overwritten_boundary)
{
    sim_init(BITS);
    entry(0x100);                        /* 1 */
    for (int i = 0; i < 8; i++)
        access_at(0x1000 + (uintptr_t)i);   /* 2..9 */
    uint64_t p = 13;
    while (S.pos < p - 1)
        access_at(0x2000 + S.pos);
    ck_assert_uint_eq(access_at(0xabc), p);  /* pos 13, part 1 (8..15) */
    uintptr_t out[8];
    const uintptr_t want[] = { 0xabc, 0x100 };
    /* Fill up to 8 + 64 - 1 = 71: still there. */
    while (S.pos < 8 + RING - 1)
        access_at(0x3000);
    ck_assert_uint_eq(S.pos, 71);
    assert_stack(out, rw_trace_restore(&S.tr, S.pos, p, out, 8), want, 2);
    /* pos 72 reopens part 1: gone. */
    access_at(0x3000);
    ck_assert_int_eq(rw_trace_restore(&S.tr, S.pos, p, out, 8), 0);
    /* Even if the caller passes an older "now", the part header no longer
     * matches. */
    ck_assert_int_eq(rw_trace_restore(&S.tr, 71, p, out, 8), 0);
    /* The newest 7/8 of the ring are restorable: pos 16 (part 2) is. */
    const uintptr_t want16[] = { 0x3000, 0x100 };
    assert_stack(out, rw_trace_restore(&S.tr, S.pos, 16, out, 8), want16, 2);
}
END_TEST

/* Long random run: every access is checked against the window rule.
 * far: pcs from three modules far apart (an executable, two libraries),
 * so that window events come at every distance from part boundaries. */
static void random_history(int far)
{
    static const uintptr_t module[3] = { UINT64_C(0x555555554000), UINT64_C(0x7ffff7a00000),
                                         UINT64_C(0x7ffff7fc0000) };
    sim_init(BITS);
    enum { N = 3000 };
    static struct rec {
        uint64_t pos;
        int n;
        uintptr_t want[40];
    } recs[N];
    int nrec = 0;
    uint32_t rnd = 12345;
    uintptr_t next_pc = 0x10000;
    long restored = 0, lost = 0;
    while (nrec < N) {
        rnd = rnd * 1103515245u + 12345u;
        unsigned r = (rnd >> 16) % 10;
        uintptr_t base = far ? module[(rnd >> 8) % 3] : 0;
        if (r < 3 && S.depth < 30) {
            entry(base + (next_pc += 0x10));
        } else if (r < 6 && S.depth > 0) {
            leave();
        } else {
            uintptr_t pc = base + (next_pc += 1);
            recs[nrec].pos = access_at(pc);
            recs[nrec].n = expected(pc, recs[nrec].want, 40);
            nrec++;
        }
        /* Check a sample of the past after each step. */
        if (nrec > 0 && (rnd & 7) == 0) {
            for (int i = nrec - 1; i >= 0 && i >= nrec - 80; i--) {
                uintptr_t out[40];
                int n = rw_trace_restore(&S.tr, S.pos, recs[i].pos, out, 40);
                uint64_t start = recs[i].pos & ~(uint64_t)(PART - 1);
                if (S.pos < start + RING) {
                    int same = n == recs[i].n;
                    for (int f = 0; same && f < n; f++)
                        same = out[f] == recs[i].want[f];
                    if (!same)
                        assert_stack(out, n, recs[i].want, recs[i].n);   /* says where */
                    restored++;
                } else if (n != 0) {
                    ck_assert_msg(n == 0, "pos %llu now %llu: restored %d frames after overwrite",
                                  (unsigned long long)recs[i].pos, (unsigned long long)S.pos, n);
                } else {
                    lost++;
                }
            }
        }
    }
    /* Both sides of the window were exercised. */
    ck_assert_int_gt(restored, 1000);
    ck_assert_int_gt(lost, 1000);
}

START_TEST(test_random_history)
{
    random_history(0);
}
END_TEST

START_TEST(test_random_far_pcs)
{
    random_history(1);
}
END_TEST

/* A window event takes a position of its own, once per change of window;
 * events without a pc (exits) never change it. */
START_TEST(test_window_events)
{
    sim_init(BITS);
    const uintptr_t exe = UINT64_C(0x555555554000), lib = UINT64_C(0x7ffff7a00000);
    entry(exe + 0x10);                   /* window event 1, entry 2 */
    ck_assert_uint_eq(S.pos, 2);
    uint64_t a = access_at(exe + 0x20);  /* 3 */
    ck_assert_uint_eq(a, 3);
    entry(lib + 0x30);                   /* window event 4, entry 5 */
    ck_assert_uint_eq(S.pos, 5);
    leave();                             /* 6 */
    uint64_t b = access_at(exe + 0x40);  /* window event 7, access 8 (opens a part) */
    ck_assert_uint_eq(b, 8);
    entry(lib + 0x50);                   /* 9, 10 */
    uint64_t c = access_at(lib + 0x58);  /* 11 */
    uintptr_t out[8];
    const uintptr_t want_a[] = { exe + 0x20, exe + 0x10 };
    assert_stack(out, rw_trace_restore(&S.tr, S.pos, a, out, 8), want_a, 2);
    const uintptr_t want_b[] = { exe + 0x40, exe + 0x10 };
    assert_stack(out, rw_trace_restore(&S.tr, S.pos, b, out, 8), want_b, 2);
    const uintptr_t want_c[] = { lib + 0x58, lib + 0x50, exe + 0x10 };
    assert_stack(out, rw_trace_restore(&S.tr, S.pos, c, out, 8), want_c, 3);
}
END_TEST

/* A part opened with more than RW_PART_STACK frames keeps the innermost
 * RW_PART_STACK; returning below them loses the outer frames. */
START_TEST(test_deep_stack_header)
{
    sim_init(10);                        /* parts of 128 events */
    for (int i = 0; i < 200; i++)
        entry(0x1000 + 0x10 * (uintptr_t)i);   /* pos 1..200 */
    /* up to 256 so that the part at 256 opens with depth 200 */
    while (S.pos < 255)
        access_at(0x5);
    uint64_t p = access_at(0x9999);      /* pos 256 */
    ck_assert_uint_eq(p, 256);
    const rw_trace_part *part = &S.tr.parts[2];
    ck_assert_uint_eq(part->start, 256);
    ck_assert_uint_eq(part->depth, RW_PART_STACK);
    ck_assert_uint_eq(part->dropped, 200 - RW_PART_STACK);
    ck_assert_uint_eq(part->stack[0], 0x1000 + 0x10 * (200 - RW_PART_STACK));
    ck_assert_uint_eq(part->stack[RW_PART_STACK - 1], 0x1000 + 0x10 * 199);

    static uintptr_t out[300];
    int n = rw_trace_restore(&S.tr, S.pos, p, out, 300);
    ck_assert_int_eq(n, 1 + RW_PART_STACK);
    ck_assert_uint_eq(out[0], 0x9999);
    for (int i = 0; i < RW_PART_STACK; i++)
        ck_assert_uint_eq(out[1 + i], 0x1000 + 0x10 * (uintptr_t)(199 - i));
    /* An earlier event (part 1, opened at pos 128 with depth 127) has all
     * 200 frames: the header's 127 plus 72 replayed entries. */
    uint64_t q = 200;   /* the entry of frame 199 */
    n = rw_trace_restore(&S.tr, S.pos, q, out, 300);
    ck_assert_int_eq(n, 200);
    ck_assert_uint_eq(out[0], 0x1000 + 0x10 * 199);
    ck_assert_uint_eq(out[199], 0x1000);
}
END_TEST

/* A MARK event with pc 0 (new occupant) empties the stack. */
START_TEST(test_mark_resets_stack)
{
    sim_init(BITS);
    entry(0x100);                        /* 1 */
    entry(0x200);                        /* 2 */
    put(RW_EV_MARK, 0);                  /* 3 */
    S.depth = 0;
    uint64_t p = access_at(0x300);       /* 4 */
    uintptr_t out[8];
    const uintptr_t want[] = { 0x300 };
    assert_stack(out, rw_trace_restore(&S.tr, S.pos, p, out, 8), want, 1);
    /* A MARK with another pc is only a marker. */
    entry(0x400);                        /* 5 */
    put(RW_EV_MARK, 0x77);               /* 6 */
    uint64_t q = access_at(0x410);       /* 7 */
    const uintptr_t wantq[] = { 0x410, 0x400 };
    assert_stack(out, rw_trace_restore(&S.tr, S.pos, q, out, 8), wantq, 2);
}
END_TEST

/* The smallest ring the format allows: bits 3, one event per part. */
START_TEST(test_minimum_bits)
{
    sim_init(3);
    entry(0x100);                        /* 1 */
    entry(0x200);                        /* 2 */
    uint64_t p = access_at(0x210);       /* 3 */
    uintptr_t out[8];
    const uintptr_t want[] = { 0x210, 0x200, 0x100 };
    assert_stack(out, rw_trace_restore(&S.tr, S.pos, p, out, 8), want, 3);
    for (int i = 0; i < 7; i++)
        access_at(0x5);                  /* 4..10 */
    assert_stack(out, rw_trace_restore(&S.tr, S.pos, p, out, 8), want, 3);
    access_at(0x5);                      /* 11 = 3 + 8: overwrites 3 */
    ck_assert_int_eq(rw_trace_restore(&S.tr, S.pos, p, out, 8), 0);
}
END_TEST

/* A finished thread's slot taken by a new thread (thread.c occupy): the
 * old history is retired with its ring and stays readable however far the
 * new thread goes; the new ring opens at the new thread's first event. */
START_TEST(test_retired_history)
{
    sim_init(BITS);
    entry(0xa00);
    entry(0xb00);
    uint64_t p = access_at(0xb10);
    uintptr_t want[8];
    int nwant = expected(0xb10, want, 8);
    leave();
    leave();
    for (int i = 0; i < 5; i++)
        access_at(0xe0);                /* the old thread ends mid-part */
    uint64_t last = S.pos;
    rw_trace_retire(&S.tr, 7, last);
    S.depth = 0;
    put(RW_EV_MARK, 0);                 /* the new thread's first event */
    entry(0xc00);
    uint64_t q = access_at(0xc10);
    uintptr_t wq[8];
    int nwq = expected(0xc10, wq, 8);
    uintptr_t out[8];
    /* The new thread's first part is replayed from its own first event. */
    assert_stack(out, rw_trace_restore(&S.tr, S.pos, q, out, 8), wq, nwq);
    /* The new ring does not hold p; the retired one does. */
    ck_assert_int_eq(rw_trace_restore(&S.tr, S.pos, p, out, 8), 0);
    assert_stack(out, rw_trace_restore_retired(7, p, out, 8), want, nwant);
    ck_assert_int_eq(rw_trace_restore_retired(8, p, out, 8), 0); /* another slot */
    for (int i = 0; i < 3 * (int)RING; i++)
        access_at(0xf0);                /* the new thread runs far */
    assert_stack(out, rw_trace_restore_retired(7, p, out, 8), want, nwant);
}
END_TEST

/* Only the last RW_RETIRED_TRACES histories are kept; a ring handed on
 * holds the old events of another thread, which replay never reads. */
START_TEST(test_retired_recycled)
{
    sim_init(BITS);
    entry(0xa00);
    uint64_t p = access_at(0xa10);
    uintptr_t want[8];
    int nwant = expected(0xa10, want, 8);
    rw_trace_retire(&S.tr, 9, S.pos);
    uintptr_t out[8];
    assert_stack(out, rw_trace_restore_retired(9, p, out, 8), want, nwant);
    for (int r = 0; r < RW_RETIRED_TRACES; r++) {
        S.depth = 0;
        put(RW_EV_MARK, 0);
        for (int i = 0; i < (int)RING / 2 + r; i++) {  /* stale entries and exits */
            entry(0xd00 + (uintptr_t)i);
            if (i % 3)
                leave();
        }
        rw_trace_retire(&S.tr, 10 + (uint32_t)r, S.pos);
    }
    ck_assert_int_eq(rw_trace_restore_retired(9, p, out, 8), 0);  /* gone */
    S.depth = 0;
    put(RW_EV_MARK, 0);
    entry(0xc00);
    uint64_t q = access_at(0xc10);
    uintptr_t wq[8];
    int nwq = expected(0xc10, wq, 8);
    assert_stack(out, rw_trace_restore(&S.tr, S.pos, q, out, 8), wq, nwq);
}
END_TEST

/* Resident pages of a ring of 2^bits events (mincore: written pages are
 * resident, given-back ones are not). */
static unsigned resident_pages(const rw_trace *tr, unsigned bits)
{
    size_t size = ((size_t)1 << bits) * sizeof(uint32_t);
    unsigned char vec[1024];
    ck_assert_uint_le(size / 4096, sizeof vec);
    ck_assert_int_eq(mincore(tr->ev, size, vec), 0);
    unsigned n = 0;
    for (size_t i = 0; i < size / 4096; i++)
        n += vec[i] & 1;
    return n;
}

/* A ring handed on to a new thread holds nothing the new thread needs:
 * its pages go back, so it costs memory only as the new thread writes
 * (16 retired histories of threads that filled their rings kept 16 full
 * rings besides the live ones), but for the quarter it writes first.  The
 * retired histories keep theirs. */
START_TEST(test_recycled_ring_pages_given_back)
{
    enum { BIG = 16 };                   /* 256 KiB: 64 pages */
    sim_init(BIG);
    for (int r = 0; r <= RW_RETIRED_TRACES; r++) {
        S.depth = 0;
        put(RW_EV_MARK, 0);
        for (unsigned i = 0; i < (1u << BIG); i++)
            access_at(0xd00);           /* every page of the ring written */
        ck_assert_uint_eq(resident_pages(&S.tr, BIG), 64);
        rw_trace_retire(&S.tr, 20 + (uint32_t)r, S.pos);
    }
    /* The last retire recycled the oldest ring: the quarter the new
     * thread writes first stays, the rest went back. */
    ck_assert_uint_eq(resident_pages(&S.tr, BIG), 16);
    unsigned char vec[64];
    ck_assert_int_eq(mincore(S.tr.ev, sizeof(uint32_t) << BIG, vec), 0);
    unsigned first_page = (unsigned)(((S.pos + 1) & ((1u << BIG) - 1)) * 4 / 4096);
    for (unsigned i = 0; i < 16; i++)   /* wrapping around the ring's end */
        ck_assert_uint_eq(vec[(first_page + i) % 64] & 1, 1);
    uint64_t p = S.pos;
    uintptr_t out[8];
    ck_assert_int_eq(rw_trace_restore_retired(20 + RW_RETIRED_TRACES, p, out, 8), 1);
    ck_assert_uint_eq(out[0], 0xd00);   /* the newest retired history */
    S.depth = 0;
    put(RW_EV_MARK, 0);
    entry(0xc00);
    uint64_t q = access_at(0xc10);
    uintptr_t wq[8];
    int nwq = expected(0xc10, wq, 8);
    assert_stack(out, rw_trace_restore(&S.tr, S.pos, q, out, 8), wq, nwq);
}
END_TEST

/* Through rw_thread, as the runtime uses it. */
START_TEST(test_thread_trace)
{
    ck_assert_int_eq(rw_threads_init(BITS), 0);
    rw_thread *t = rw_thread_create_main();
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(t->pos, 1);                 /* the MARK */
    rw_thread_func_entry(t, 0xaaa0);              /* 2 */
    rw_thread_func_entry(t, 0xbbb0);              /* 3 */
    rw_thread_event(t, RW_EV_ACCESS, 0xbbb8);     /* 4 */
    uint64_t p = t->pos;
    for (int i = 0; i < 10; i++) {                /* 5..24: across parts */
        rw_thread_func_entry(t, 0xccc0);
        rw_thread_func_exit(t);
    }
    rw_thread_func_entry(t, 0xddd0);              /* 25 */
    rw_thread_event(t, RW_EV_ACCESS, 0xddd8);     /* 26 */
    uint64_t q = t->pos;
    ck_assert_uint_eq(q, 26);
    uintptr_t out[16];
    const uintptr_t wp[] = { 0xbbb8, 0xbbb0, 0xaaa0 };
    assert_stack(out, rw_trace_restore(&t->trace, t->pos, p, out, 16), wp, 3);
    const uintptr_t wq[] = { 0xddd8, 0xddd0, 0xbbb0, 0xaaa0 };
    assert_stack(out, rw_trace_restore(&t->trace, t->pos, q, out, 16), wq, 4);
    /* After 64 more events p's part (0..7) is gone, q's (24..31) not. */
    for (int i = 0; i < 40; i++)
        rw_thread_event(t, RW_EV_ACCESS, 0x1);    /* 27..66 */
    ck_assert_int_eq(rw_trace_restore(&t->trace, t->pos, p, out, 16), 0);
    assert_stack(out, rw_trace_restore(&t->trace, t->pos, q, out, 16), wq, 4);
}
END_TEST

static Suite *trace_suite(void)
{
    Suite *s = suite_create("trace");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_init);
    tcase_add_test(tc, test_restore_simple);
    tcase_add_test(tc, test_restore_across_part_boundaries);
    tcase_add_test(tc, test_overwritten_boundary);
    tcase_add_test(tc, test_random_history);
    tcase_add_test(tc, test_random_far_pcs);
    tcase_add_test(tc, test_window_events);
    tcase_add_test(tc, test_deep_stack_header);
    tcase_add_test(tc, test_mark_resets_stack);
    tcase_add_test(tc, test_minimum_bits);
    tcase_add_test(tc, test_thread_trace);
    tcase_add_test(tc, test_retired_history);
    tcase_add_test(tc, test_retired_recycled);
    tcase_add_test(tc, test_recycled_ring_pages_given_back);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(trace_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
