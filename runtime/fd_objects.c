/* fd_objects.c: file descriptors as racy memory, as ThreadSanitizer models
 * them (its FdDesc): each descriptor number has an 8-byte slot in a
 * table of our own, and the slot's first byte is the fd's address in the
 * shadow.  The interceptors (intercept_fd.c, intercept_io.c,
 * intercept_stdio.c) say what a call does to it:
 *
 *   - a use (read, write, send, fstat, lseek, ioctl, fcntl...) reads it;
 *   - close, and dup2/dup3 onto it, write it, then forget its history:
 *     the number is the kernel's again, and may come back from a call we
 *     do not see (an open inside libc), which must not race with the
 *     close;
 *   - a call that makes a descriptor (open, socket, pipe, accept, dup,
 *     eventfd...) forgets the slot's history and writes it as a new
 *     object, and the slot keeps who made it and where.
 *
 * So a close racing with another thread's use is a race on the fd, and
 * so is a use of a number that another thread closed and a third one got
 * back from open meanwhile (the use races with the open).  A race report
 * says `Location is file descriptor N created by thread T at:` with the
 * creating stack (detector/objectaddr.h's "numbered" objects), or
 * `Location is file descriptor N` alone for one made where we did not
 * look (inherited, or made inside a library).
 *
 * The table is one anonymous mapping of 2^20 slots (8 MiB of address
 * space, NORESERVE: only the pages of descriptors in use cost memory),
 * made at the first descriptor event; larger numbers are not watched. */
#include "runtime/fd_objects.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "detector/objectaddr.h"
#include "detector/stackdepot.h"
#include "runtime/rt.h"

#define FD_MAX (1 << 20)

typedef struct fd_slot {
    uint32_t thread;       /* who made it, 0 if not seen */
    uint32_t create_stack; /* where */
} fd_slot;

static fd_slot *slots;
static int table_state; /* 0 none, 1 being made, 2 ready, 3 failed */

static int describe(uintptr_t addr, rw_objectaddr *out)
{
    uintptr_t fd = (addr - (uintptr_t)slots) / sizeof(fd_slot);
    memset(out, 0, sizeof *out);
    out->addr = (uintptr_t)&slots[fd];
    strcpy(out->kind, "fd");
    snprintf(out->what, sizeof out->what, "file descriptor %u", (unsigned)fd);
    out->thread = __atomic_load_n(&slots[fd].thread, __ATOMIC_RELAXED);
    out->create_stack = __atomic_load_n(&slots[fd].create_stack, __ATOMIC_RELAXED);
    out->numbered = 1;
    return 1;
}

static fd_slot *slot_of(int fd)
{
    if (fd < 0 || fd >= FD_MAX)
        return NULL;
    int state = __atomic_load_n(&table_state, __ATOMIC_ACQUIRE);
    if (RW_LIKELY(state == 2))
        return &slots[fd];
    if (state == 3)
        return NULL;
    int none = 0;
    if (__atomic_compare_exchange_n(&table_state, &none, 1, 0, __ATOMIC_ACQ_REL,
                                    __ATOMIC_ACQUIRE)) {
        /* Called inside the runtime: our mmap interceptor passes through. */
        void *p = mmap(NULL, (size_t)FD_MAX * sizeof(fd_slot), PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED) {
            __atomic_store_n(&table_state, 3, __ATOMIC_RELEASE);
            return NULL;
        }
        slots = p;
        rw_objectaddr_add_range((uintptr_t)p, (uintptr_t)p + (size_t)FD_MAX * sizeof(fd_slot),
                                describe);
        __atomic_store_n(&table_state, 2, __ATOMIC_RELEASE);
        return &slots[fd];
    }
    while ((state = __atomic_load_n(&table_state, __ATOMIC_ACQUIRE)) == 1)
        ;
    return state == 2 ? &slots[fd] : NULL;
}

void rw_fd_objects_before_fork(void)
{
    (void)slot_of(0);
}

void rw_fd_use(rw_thread *t, int fd, uintptr_t pc)
{
    fd_slot *s = slot_of(fd);
    if (s && !t->ignore)
        rw_runtime_check_range(t, (uintptr_t)s, 1, 0, 0, pc);
}

void rw_fd_close(rw_thread *t, int fd, uintptr_t pc)
{
    fd_slot *s = slot_of(fd);
    if (!s)
        return;
    if (!t->ignore)
        rw_runtime_check_range(t, (uintptr_t)s, 1, 1, 0, pc);
    rw_shadow_clear((uintptr_t)s, sizeof *s);
}

void rw_fd_created(rw_thread *t, int fd, uintptr_t pc)
{
    fd_slot *s = slot_of(fd);
    if (!s)
        return;
    rw_shadow_clear((uintptr_t)s, sizeof *s);
    rw_report_stack st;
    rw_capture_stack(t, pc, &st);
    __atomic_store_n(&s->create_stack, rw_stack_put(st.pcs, (uint32_t)st.n), __ATOMIC_RELAXED);
    __atomic_store_n(&s->thread, t->info ? t->info->number : 0, __ATOMIC_RELAXED);
    if (!t->ignore)
        rw_runtime_check_range(t, (uintptr_t)s, 1, 1, 0, pc);
}

void rw_fd_use_at(int fd, uintptr_t pc)
{
    rw_thread *t = rw_enter();
    if (!t)
        return;
    rw_fd_use(t, fd, pc);
    rw_leave();
}

void rw_fd_close_at(int fd, uintptr_t pc)
{
    rw_thread *t = rw_enter();
    if (!t)
        return;
    rw_fd_close(t, fd, pc);
    rw_leave();
}

void rw_fd_made_at(int fd, uintptr_t pc)
{
    if (fd < 0)
        return;
    rw_thread *t = rw_enter();
    if (!t)
        return;
    rw_fd_created(t, fd, pc);
    rw_leave();
}
