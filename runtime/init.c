/* init.c: start-up and shut-down of the runtime.
 *
 * Start-up runs in our ELF constructor, before the program's own (we are
 * its dependency, or preloaded): options from RACEWATCH_OPTIONS (a bad one
 * is one error line and exit RW_EXIT_ERROR, 125: racewatch's own error,
 * never mistaken for the program's status or a deadlock's 2; the program
 * never starts), the shadow, the main thread, the report sink.
 *
 * Shut-down: Go prints "Found N data race(s)" at exit and turns a clean
 * exit into status 66.  We need the status the program meant, so we wrap
 * main through __libc_start_main and intercept exit/_exit/_Exit to record
 * it, and print the summary from an atexit handler registered in the
 * constructor, which therefore runs after every handler and destructor the
 * program registers (races there are still counted).
 *
 * The summary counts every report of the process, fatal ones too: a
 * deadlock or fatal misuse ends the process through rw_exit_now, which
 * summarizes after counting the fatal report (its kind noted by
 * rw_note_fatal). */
#include "runtime/rt.h"
#include "runtime/memory_dump.h"

#include <dlfcn.h>
#include <link.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "detector/report_json.h"
#include "detector/shadow.h"
#include "runtime/symbolize.h"

__thread rw_thread *rw_cur RW_TLS;
__thread int rw_in_rt RW_TLS;
int rw_ready;
rw_options rw_opts;

static int exit_status_known;
static int exit_status;
static int summary_done;

struct lookup {
    const char *name, *version;
    void *own_base;     /* our library's load address: skipped */
    void *found;
};

static int lookup_in_object(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    struct lookup *l = data;
    if (info->dlpi_name == NULL || info->dlpi_name[0] == '\0')
        return 0;
    void *h = dlopen(info->dlpi_name, RTLD_LAZY | RTLD_NOLOAD);
    if (h == NULL)
        return 0;
    void *p = l->version ? dlvsym(h, l->name, l->version) : dlsym(h, l->name);
    dlclose(h);
    Dl_info where;
    if (p && dladdr(p, &where) && where.dli_fbase == l->own_base)
        p = NULL; /* ours */
    l->found = p;
    return p != NULL;
}

/* A library that is not among our own dependencies (libgomp, needed by
 * the program only) is not "next" to us for dlsym(RTLD_NEXT): look in
 * every loaded object but ours. */
static void *resolve_in_loaded_objects(const char *name, const char *version)
{
    Dl_info self;
    if (!dladdr((void *)rw_resolve, &self))
        return NULL;
    struct lookup l = { name, version, self.dli_fbase, NULL };
    if (dl_iterate_phdr(lookup_in_object, &l) == 0)
        return NULL;
    return l.found;
}

/* Every real function the runtime calls, found at once, holding no lock.
 * Each interceptor finds its real function on its first call, by dlsym,
 * which takes the loader's lock.  A report calls some for the first time
 * under the sink lock or the symbolizer's: libdw's strdup, fopen or
 * pthread_rwlock_wrlock reach our interceptors, which pass them through
 * (and call other reals: the rwlock's trywrlock), and so does the
 * runtime's own code (strcmp, strlen, write...).  Under our lock, that
 * dlsym could wait for ever for a thread inside dlopen that waits for the
 * lock to report from a library's constructor (tests/cli,
 * run_report_in_constructor, hung so in strdup, then in
 * pthread_rwlock_trywrlock).  So every RW_DECLARE_REAL is listed in the
 * section rw_real_slots (rt.h), and rw_reports_prepare fills each slot
 * still empty: 278 dlsyms, ~0.1 us each here.  A name that is not next to
 * us (libgomp's, when the program has none) stays empty, for the lazy
 * path.  The two versioned families (pthread_cond_* at GLIBC_2.3.2, the
 * omp locks at OMP_3.0) ask for their default versions, which plain
 * dlsym returns too. */
extern const rw_real_slot __start_rw_real_slots[] __attribute__((visibility("hidden")));
extern const rw_real_slot __stop_rw_real_slots[] __attribute__((visibility("hidden")));
static int reals_found;

void rw_reports_prepare(void)
{
    rw_symbolize_prepare();
    if (__atomic_load_n(&reals_found, __ATOMIC_ACQUIRE))
        return;
    /* Two threads may both fill a slot: with the same value, as two
     * first calls of one interceptor do. */
    for (const rw_real_slot *r = __start_rw_real_slots; r < __stop_rw_real_slots; r++) {
        if (__atomic_load_n(r->slot, __ATOMIC_RELAXED) != NULL)
            continue;
        void *found = dlsym(RTLD_NEXT, r->name);
        if (found)
            __atomic_store_n(r->slot, found, __ATOMIC_RELAXED);
    }
    __atomic_store_n(&reals_found, 1, __ATOMIC_RELEASE);
}

void *rw_resolve(const char *name, const char *version)
{
    void *p = version ? dlvsym(RTLD_NEXT, name, version) : dlsym(RTLD_NEXT, name);
    if (!p)
        p = resolve_in_loaded_objects(name, version);
    if (!p)
        p = dlsym(RTLD_DEFAULT, name);
    if (!p)
        rw_die("cannot find the real '%s' in the C library", name);
    return p;
}

void rw_die(const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof msg - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if ((size_t)n > sizeof msg - 2)
        n = (int)sizeof msg - 2;
    char line[600];
    int m = snprintf(line, sizeof line, "racewatch: %.*s\n", n, msg);
    if (write(2, line, (size_t)m) < 0) {
        /* nothing left to tell */
    }
    syscall(SYS_exit_group, RW_EXIT_ERROR); /* not through our _exit: no summary */
    __builtin_unreachable();
}

static void at_exit_summary(void);

/* follow_exec=0: take ourselves out of LD_PRELOAD, so that programs this
 * one executes run unwatched. */
static int is_runtime_entry(const char *p, size_t len)
{
    static const char name[] = "libracewatch.so";
    size_t n = sizeof name - 1;
    return len >= n && !strncmp(p + len - n, name, n) && (len == n || p[len - n - 1] == '/');
}

static void stop_following_exec(void)
{
    const char *pre = getenv("LD_PRELOAD");
    if (!pre)
        return;
    char kept[4096];
    size_t n = 0;
    for (const char *p = pre; *p;) {
        size_t len = strcspn(p, ": ");
        if (len > 0 && !is_runtime_entry(p, len) && n + len + 2 < sizeof kept) {
            if (n)
                kept[n++] = ':';
            for (size_t i = 0; i < len; i++)
                kept[n++] = p[i];
        }
        p += len;
        while (*p == ':' || *p == ' ')
            p++;
    }
    kept[n] = '\0';
    if (n)
        setenv("LD_PRELOAD", kept, 1);
    else
        unsetenv("LD_PRELOAD");
}

void rw_init(void)
{
    if (rw_ready)
        return;
    rw_in_rt = 1;
    rw_fork_handlers_install(); /* before any handler of the program */
    rw_options_defaults(&rw_opts);
    char err[600];
    if (rw_options_parse(getenv("RACEWATCH_OPTIONS"), &rw_opts, err, sizeof err) != 0)
        rw_die("RACEWATCH_OPTIONS: %s", err);
    const char *run_records = getenv(RW_RUN_RECORDS_ENV);
    if (run_records && strlen(run_records) < sizeof rw_opts.run_records)
        strcpy(rw_opts.run_records, run_records);
    if (!rw_opts.follow_exec)
        stop_following_exec();
    if (rw_shadow_init() != 0)
        rw_die("cannot reserve shadow memory");
    rw_touched_init();
    rw_threads_init(16u + (unsigned)rw_opts.history_size); /* 64K << N 4-byte events */
    rw_suppressions_init();
    rw_sink_init();
    rw_report_init();
    rw_blocking_init();
    rw_thread *main_thread = rw_thread_create_main();
    if (!main_thread)
        rw_die("cannot set up the main thread");
    rw_thread_main_stack_bounds_later(main_thread->info);
    rw_waiter_start(main_thread->info);
    rw_thread_register_self(main_thread->info);
    atexit(at_exit_summary);
    rw_set_current_thread(main_thread);
    rw_ready = 1;
    rw_string_resolve();
    rw_in_rt = 0;
}

__attribute__((constructor(101))) static void rw_constructor(void)
{
    rw_init();
}

int rw_finish_process(int status)
{
    rw_thread *t = rw_cur;
    if (t && !rw_in_rt) {
        rw_open_read_flush(t); /* the exiting thread's last reads */
        if (rw_compared_pending)
            rw_compared_pending_store(); /* and compares */
        if (t->pend_base) {    /* and copies (pending_write.c) */
            rw_in_rt = 1;
            rw_pending_write_store(t);
            rw_in_rt = 0;
        }
    }
    if (!exit_status_known) {
        rw_open_reads_check_at_exit(t); /* and the others' */
        rw_compared_pendings_check_at_exit(t);
        rw_pending_writes_check_at_exit(t); /* their copies too */
    }
    if (!exit_status_known) {
        exit_status_known = 1;
        exit_status = status;
        /* The program begins to exit: whatever still runs is ended by
         * the exit, not leaked. */
        rw_thread_leaks_exempt_running();
    }
    return status;
}

/* The fatal report that ends the process, if any (rw_note_fatal). */
static int fatal_kind;

void rw_note_fatal(int kind)
{
    fatal_kind = kind;
}

/* Print the summary once; returns the status the process should end with.
 * fatal: the process ends because of a report just made (rw_exit_now);
 * exiting: it ends as the program asked (not halted, not fatal), so the
 * thread leaks are reported first. */
static int summarize_ex(int status, int fatal, int exiting)
{
    if (__atomic_exchange_n(&summary_done, 1, __ATOMIC_ACQ_REL))
        return status;
    rw_signal_reports_flush();
    int saved = rw_in_rt;
    rw_in_rt = 1;
    if (exiting)
        rw_report_thread_leaks();
    /* After this, a race another thread finds is not printed: the counts
     * below are what was printed, and the exit status follows them. */
    rw_sink_close_reports();
    uint64_t leaks = rw_reported_thread_leaks();
    uint64_t races = rw_reported_races();
    uint64_t uafs = rw_reported_uses_after_free();
    uint64_t cycles = rw_reported_lock_cycles();
    uint64_t misuse = rw_reported_misuse();
    uint64_t deadlocks = 0, misuse_fatal = 0;
    if (fatal) {
        if (fatal_kind == RW_FATAL_DEADLOCK)
            deadlocks = 1;
        else
            misuse_fatal = 1;
    }
    if (rw_opts.verbosity >= 1) {
        char line[256];
        int n = snprintf(line, sizeof line,
                         "racewatch: %u threads in %u slots, %zu MiB shadow mapped, %llu cells evicted\n",
                         rw_thread_count(), rw_thread_slots_used(), rw_shadow_mapped_bytes() >> 20,
                         (unsigned long long)rw_stats.evictions);
        rw_sink_write(line, (size_t)n);
        if (rw_stats.evictions > 0) {
            static const char evicted[] =
                "racewatch: cells evicted: earlier accesses overwritten because their 8-byte word's "
                "shadow was full; a race with one of them alone can go unreported (common when "
                "threads access many different bytes of one word, or with contended atomics). "
                "Nothing to tune: history_size does not change it; see docs/cli.md, \"Statistics\"\n";
            rw_sink_write(evicted, sizeof evicted - 1);
        }
    }
    rw_suppressions_summary();
    rw_memory_dump();
    char line[64];
    int n;
    if (races > 0) {
        n = snprintf(line, sizeof line, "Found %llu data race(s)\n", (unsigned long long)races);
        rw_sink_write(line, (size_t)n);
    }
    if (uafs > 0) {
        n = snprintf(line, sizeof line, "Found %llu use(s) after free\n", (unsigned long long)uafs);
        rw_sink_write(line, (size_t)n);
    }
    if (cycles > 0) {
        n = snprintf(line, sizeof line, "Found %llu potential deadlock(s)\n",
                     (unsigned long long)cycles);
        rw_sink_write(line, (size_t)n);
    }
    if (deadlocks > 0) {
        n = snprintf(line, sizeof line, "Found %llu deadlock(s)\n", (unsigned long long)deadlocks);
        rw_sink_write(line, (size_t)n);
    }
    if (misuse > 0) {
        n = snprintf(line, sizeof line, "Found %llu misuse warning(s)\n",
                     (unsigned long long)misuse);
        rw_sink_write(line, (size_t)n);
    }
    if (misuse_fatal > 0) {
        n = snprintf(line, sizeof line, "Found %llu misuse error(s)\n",
                     (unsigned long long)misuse_fatal);
        rw_sink_write(line, (size_t)n);
    }
    if (leaks > 0) {
        n = snprintf(line, sizeof line, "Found %llu thread leak(s)\n", (unsigned long long)leaks);
        rw_sink_write(line, (size_t)n);
    }
    int program_status = status;
    if (status == 0 && (races + uafs + cycles + misuse > 0 ||
                        (leaks > 0 && rw_opts.report_thread_leaks == RW_LEAKS_FAIL)))
        status = rw_opts.exitcode;
    if (rw_json_enabled()) {
        rw_buf json;
        rw_buf_init(&json);
        rw_json_context jc = rw_json_here();
        rw_json_counts counts = { races, deadlocks, cycles, misuse + misuse_fatal, leaks, uafs };
        rw_json_summary(&json, &jc, &counts, program_status, status);
        rw_sink_json(json.data, json.len);
        rw_buf_free(&json);
    }
    rw_in_rt = saved;
    return status;
}

static int summarize(int status)
{
    return summarize_ex(status, 0, 1);
}

static void at_exit_summary(void)
{
    int status = exit_status_known ? exit_status : 0;
    int final = summarize(status);
    if (final != status) {
        fflush(NULL);
        _exit(final);
    }
}

/* --- main's status ------------------------------------------------------ */

typedef int (*main_fn)(int, char **, char **);
static main_fn real_main;

static int main_wrapper(int argc, char **argv, char **envp)
{
    int status = real_main(argc, argv, envp);
    rw_finish_process(status);
    return status;
}

RW_EXPORT int __libc_start_main(main_fn main, int argc, char **argv, void (*init)(void),
                                void (*fini)(void), void (*rtld_fini)(void), void *stack_end)
{
    typedef int (*start_fn)(main_fn, int, char **, void (*)(void), void (*)(void),
                            void (*)(void), void *);
    start_fn real = (start_fn)rw_resolve("__libc_start_main", NULL);
    real_main = main;
    return real(main_wrapper, argc, argv, init, fini, rtld_fini, stack_end);
}

RW_DECLARE_REAL(void, exit, int);
RW_DECLARE_REAL(void, _exit, int);
RW_DECLARE_REAL(void, _Exit, int);

RW_EXPORT void exit(int status)
{
    rw_finish_process(status);
    RW_RESOLVE(exit)(status);
    __builtin_unreachable();
}

/* _exit skips atexit handlers: summarize here. */
RW_EXPORT void _exit(int status)
{
    rw_finish_process(status);
    status = summarize(status);
    RW_RESOLVE(_exit)(status);
    __builtin_unreachable();
}

RW_EXPORT void _Exit(int status)
{
    rw_finish_process(status);
    status = summarize(status);
    RW_RESOLVE(_Exit)(status);
    __builtin_unreachable();
}

/* halt_on_error: stop right after the first report, as after a normal
 * exit with reports (summary, status 66). */
void rw_halt(void)
{
    rw_in_rt = 1;
    fflush(NULL);
    RW_RESOLVE(_exit)(summarize_ex(0, 0, 0));
    __builtin_unreachable();
}

void rw_exit_now(int status)
{
    rw_in_rt = 1;
    rw_flush_stdio_nowait(); /* a deadlocked thread may hold a stream's lock */
    RW_RESOLVE(_exit)(summarize_ex(status, 1, 0));
    __builtin_unreachable();
}
