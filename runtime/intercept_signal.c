/* intercept_signal.c: signal handlers, so that racewatch knows when a
 * thread runs inside one.
 *
 * sigaction and signal install the program's handler as it asked, except
 * that the kernel calls our trampoline, which keeps a per-thread depth of
 * handlers (rw_signal_depth), calls the program's handler with the
 * arguments its SA_SIGINFO flag asks for, and checks that errno is the
 * same after the handler as before it (signal_reports.c reports it).
 * SIG_DFL and SIG_IGN are installed untouched, every flag (SA_RESETHAND,
 * SA_ONSTACK, SA_NODEFER, SA_RESTART) and the mask are the program's, and
 * the old action sigaction returns is the one the program installed.
 * A handler left by siglongjmp/longjmp is popped when the jump's target
 * stack pointer lies outside its frame.
 *
 * Also: once a handler is installed, a thread waiting in sem_wait is never
 * judged asleep (a handler may post; shared/spec/semantics.md). */
#include "runtime/rt.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

RW_DECLARE_REAL(int, sigaction, int, const struct sigaction *, struct sigaction *);

__thread int rw_signal_depth RW_TLS;

/* The handler the program installed for each signal, with its flags. */
struct program_handler {
    void *fn;   /* sa_handler or sa_sigaction */
    int flags;  /* the program's sa_flags */
};
static struct program_handler handlers[_NSIG];

/* The handlers a thread is in, innermost last: where each one's
 * trampoline frame is (a jump to a stack pointer above it leaves it). */
#define MAX_LEVELS 16
struct level {
    int sig;
    uintptr_t sp;
    uintptr_t alt_lo, alt_hi; /* the alternate stack it runs on, or 0 */
};
static __thread struct level levels[MAX_LEVELS] RW_TLS;

int rw_signal_current(void)
{
    int depth = rw_signal_depth;
    if (depth <= 0)
        return 0;
    return levels[depth > MAX_LEVELS ? MAX_LEVELS - 1 : depth - 1].sig;
}

static void trampoline(int sig, siginfo_t *info, void *ctx)
{
    int saved_errno = errno;
    void *fn = __atomic_load_n(&handlers[sig].fn, __ATOMIC_ACQUIRE);
    int flags = __atomic_load_n(&handlers[sig].flags, __ATOMIC_RELAXED);
    if (fn == (void *)SIG_DFL || fn == (void *)SIG_IGN)
        return; /* reinstalled meanwhile: the program's handler is gone */
    int depth = rw_signal_depth;
    if (depth < MAX_LEVELS) {
        struct level *l = &levels[depth];
        l->sig = sig;
        l->sp = (uintptr_t)__builtin_frame_address(0);
        l->alt_lo = l->alt_hi = 0;
        stack_t ss;
        if (sigaltstack(NULL, &ss) == 0 && (ss.ss_flags & SS_ONSTACK)) {
            l->alt_lo = (uintptr_t)ss.ss_sp;
            l->alt_hi = (uintptr_t)ss.ss_sp + ss.ss_size;
        }
    }
    int interrupted_runtime = rw_in_rt;
    rw_signal_depth = depth + 1;
    if (flags & SA_SIGINFO)
        ((void (*)(int, siginfo_t *, void *))fn)(sig, info, ctx);
    else
        ((void (*)(int))fn)(sig);
    rw_signal_depth = depth;
    int after = errno;
    if (!interrupted_runtime) {
        if (after != saved_errno)
            rw_signal_errno_spoiled(sig, (uintptr_t)fn, saved_errno, after);
        if (depth == 0 && !(depth < MAX_LEVELS && levels[0].alt_hi))
            rw_signal_reports_flush();
    }
    errno = after; /* the handler's errno, as without us */
}

static void note(void *fn)
{
    if (fn != (void *)SIG_DFL && fn != (void *)SIG_IGN)
        __atomic_store_n(&rw_signal_handlers_installed, 1, __ATOMIC_RELAXED);
}

static void *action_fn(const struct sigaction *a)
{
    return (a->sa_flags & SA_SIGINFO) ? (void *)a->sa_sigaction : (void *)a->sa_handler;
}

/* The old action as the kernel has it, made the program's again. */
static void program_view(int sig, struct sigaction *old, const struct program_handler *was)
{
    if (!old || action_fn(old) != (void *)trampoline)
        return;
    old->sa_flags = was->flags;
    if (was->flags & SA_SIGINFO)
        old->sa_sigaction = (void (*)(int, siginfo_t *, void *))was->fn;
    else
        old->sa_handler = (sighandler_t)was->fn;
    (void)sig;
}

RW_EXPORT int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
    if (sig <= 0 || sig >= _NSIG || !rw_ready) {
        if (act)
            note(action_fn(act));
        return RW_RESOLVE(sigaction)(sig, act, old);
    }
    struct program_handler was = handlers[sig];
    if (!act) {
        int r = RW_RESOLVE(sigaction)(sig, NULL, old);
        if (r == 0)
            program_view(sig, old, &was);
        return r;
    }
    void *fn = action_fn(act);
    note(fn);
    if (fn == (void *)SIG_DFL || fn == (void *)SIG_IGN) {
        int r = RW_RESOLVE(sigaction)(sig, act, old);
        if (r == 0) {
            __atomic_store_n(&handlers[sig].fn, fn, __ATOMIC_RELEASE);
            program_view(sig, old, &was);
        }
        return r;
    }
    /* The program's handler is known before the kernel can call the
     * trampoline for it. */
    __atomic_store_n(&handlers[sig].flags, act->sa_flags, __ATOMIC_RELAXED);
    __atomic_store_n(&handlers[sig].fn, fn, __ATOMIC_RELEASE);
    struct sigaction mine = *act;
    mine.sa_flags |= SA_SIGINFO;
    mine.sa_sigaction = trampoline;
    int r = RW_RESOLVE(sigaction)(sig, &mine, old);
    if (r != 0) {
        __atomic_store_n(&handlers[sig].flags, was.flags, __ATOMIC_RELAXED);
        __atomic_store_n(&handlers[sig].fn, was.fn, __ATOMIC_RELEASE);
        return r;
    }
    program_view(sig, old, &was);
    return r;
}

/* glibc's signal(): BSD semantics (SA_RESTART, the signal blocked in its
 * own handler), the old handler returned. */
RW_EXPORT sighandler_t signal(int sig, sighandler_t handler)
{
    struct sigaction act, old;
    memset(&act, 0, sizeof act);
    act.sa_handler = handler;
    sigemptyset(&act.sa_mask);
    if (sig > 0 && sig < _NSIG)
        sigaddset(&act.sa_mask, sig);
    act.sa_flags = SA_RESTART;
    if (sigaction(sig, &act, &old) != 0)
        return SIG_ERR;
    return (old.sa_flags & SA_SIGINFO) ? (sighandler_t)(void *)old.sa_sigaction : old.sa_handler;
}

/* --- leaving handlers by a jump ------------------------------------------ */

/* The stack pointer a jump goes to.  glibc keeps it mangled in the
 * jmp_buf (x86-64: slot 6, rotated left by 17 bits after a xor with the
 * thread's pointer guard at %fs:0x30); 0 where unknown. */
static uintptr_t jump_target_sp(void *env)
{
#if defined(__x86_64__)
    uintptr_t v = (uintptr_t)((const long *)env)[6]; /* jmp_buf's __jmpbuf[6] */
    uintptr_t guard;
    __asm__("mov %%fs:0x30, %0" : "=r"(guard));
    v = (v >> 17) | (v << (64 - 17));
    return v ^ guard;
#else
    (void)env;
    return 0;
#endif
}

/* Before a jump made inside a handler: the handlers it leaves. */
static void jumping(void *env)
{
    int depth = rw_signal_depth;
    if (RW_LIKELY(depth == 0))
        return;
    uintptr_t sp = jump_target_sp(env);
    if (sp == 0 || depth > MAX_LEVELS) {
        rw_signal_depth = depth - 1; /* the innermost at least */
        return;
    }
    while (depth > 0) {
        const struct level *l = &levels[depth - 1];
        int on_its_stack = !l->alt_hi || (sp >= l->alt_lo && sp < l->alt_hi);
        if (on_its_stack && sp < l->sp)
            break; /* a jump within this handler */
        depth--;
    }
    rw_signal_depth = depth;
}

/* The jumps, by their symbol names (setjmp.h declares longjmp and
 * siglongjmp with other parameter types). */
typedef void (*jump_fn)(void *, int);
static jump_fn real_jump[4];
static const char *const jump_names[4] = { "longjmp", "_longjmp", "siglongjmp", "__longjmp_chk" };

static __attribute__((noreturn)) void jump(int which, void *env, int v)
{
    jumping(env);
    if (RW_UNLIKELY(real_jump[which] == NULL))
        real_jump[which] = (jump_fn)rw_resolve(jump_names[which], NULL);
    real_jump[which](env, v);
    __builtin_unreachable();
}

RW_EXPORT __attribute__((noreturn)) void rw_longjmp(void *env, int v)
    __asm__("longjmp");
RW_EXPORT __attribute__((noreturn)) void rw__longjmp(void *env, int v)
    __asm__("_longjmp");
RW_EXPORT __attribute__((noreturn)) void rw_siglongjmp(void *env, int v)
    __asm__("siglongjmp");
RW_EXPORT __attribute__((noreturn)) void rw___longjmp_chk(void *env, int v)
    __asm__("__longjmp_chk");

RW_EXPORT void rw_longjmp(void *env, int v) { jump(0, env, v); }
RW_EXPORT void rw__longjmp(void *env, int v) { jump(1, env, v); }
RW_EXPORT void rw_siglongjmp(void *env, int v) { jump(2, env, v); }
RW_EXPORT void rw___longjmp_chk(void *env, int v) { jump(3, env, v); }
