/* sarif_write.c: the SARIF 2.1.0 log of a merge (sarif_write.h).
 *
 * Layout of a result (everything optional in SARIF that code scanning
 * uses is filled in):
 *
 *   ruleId, ruleIndex     the kind's rule; a misuse report's own rule,
 *                         "misuse/<id>" (detector/misuse_rules.h), after
 *                         the kinds' in the driver's rules
 *   level                 error: data races, uses after free, deadlocks,
 *                         fatal misuse;
 *                         warning: lock-order inversions, other misuse,
 *                         thread leaks
 *   message.text          one sentence naming every stack's top frame;
 *                         "[...](n)" links point at relatedLocations[id n]
 *   locations[0]          stack 0's first frame with a file, else any
 *                         stack's, else the top frame's module
 *   relatedLocations      id i: stack i's first frame with a file (i >= 1)
 *   codeFlows[0]          one threadFlow per stack; its locations are the
 *                         frames with a file, outermost first (execution
 *                         order), or one message when there are none
 *   partialFingerprints   racewatchFingerprint/v1
 *   occurrenceCount       records folded into the result
 *   baselineState         "unchanged" (in --baseline) or "new", only with
 *                         a baseline
 *   properties            kind, fatal, processes, programs, commands (the
 *                         processes' command lines, proc_name.h)
 *
 * File names go through sarif_uri.h: relative to %SRCROOT% under
 * --source-root, file:// URIs otherwise.  The log is indented JSON. */
#include "tools/sarif_write.h"

#include <stdlib.h>
#include <string.h>

#include "detector/misuse_rules.h"
#include "tools/json_write.h"
#include "tools/sarif_uri.h"
#include "tools/strvec.h"

#define SCHEMA_URI "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

typedef struct rule {
    const char *id, *name, *level, *short_text, *full_text, *help_text, *help_markdown;
} rule;

static const rule rules[RW_REC_NREPORT_KINDS] = {
    [RW_REC_DATA_RACE] = {
        "data-race", "DataRace", "error",
        "Data race",
        "Two threads accessed the same memory without synchronization, and at "
        "least one of them wrote it.",
        "Two threads accessed the same memory location, at least one of them wrote "
        "it, and no synchronization ordered the two accesses: no mutex, condition "
        "variable, semaphore, barrier, atomic operation with release/acquire "
        "ordering, thread creation or join between them. In C such a race is "
        "undefined behaviour; in practice the result depends on timing. Protect "
        "both accesses with the same mutex, make them atomic, or order them. The "
        "result's code flow shows the stack of each access; racewatch found the "
        "race from the order the program actually established, not from timing, "
        "so it is real even if this run got the right answer.",
        "Two threads accessed the same memory location, at least one of them wrote "
        "it, and **no synchronization ordered the two accesses** (mutex, condition "
        "variable, semaphore, barrier, release/acquire atomics, thread creation or "
        "join).\n\nIn C this is undefined behaviour. Protect both accesses with the "
        "same mutex, make them atomic, or order them. The code flow shows the stack "
        "of each access.",
    },
    [RW_REC_DEADLOCK] = {
        "deadlock", "Deadlock", "error",
        "Deadlock",
        "Every thread was blocked and none could wake another, or a cycle of "
        "threads waited on each other.",
        "The program stopped in a deadlock: either every thread was blocked "
        "(on mutexes, condition variables, semaphores, joins, barriers, channels "
        "or wait groups) and none of them could wake another, or a cycle of "
        "threads waited on each other (each holding what the next one waits for) "
        "while others still ran. racewatch reports it when it is certain, never "
        "after a timeout, and ends the process with status 2. Acquire mutexes in "
        "one global order, and make sure every wait has a thread that will end it.",
        "The program stopped in a **deadlock**: every thread was blocked and none "
        "could wake another, or a cycle of threads waited on each other.\n\n"
        "Acquire mutexes in one global order, and make sure every wait has a "
        "thread that will end it. The code flow shows where each thread waits.",
    },
    [RW_REC_LOCK_ORDER] = {
        "lock-order-inversion", "LockOrderInversion", "warning",
        "Lock order inversion (potential deadlock)",
        "Mutexes were acquired in orders that form a cycle; with unlucky timing "
        "the threads deadlock.",
        "The program acquired mutexes in orders that form a cycle: one thread "
        "took M2 while holding M1, another took M1 while holding M2 (or a longer "
        "cycle). This run did not deadlock, but with other timing each thread "
        "would wait for a mutex the other holds. Acquire the mutexes in one "
        "global order everywhere. The code flow shows, for each edge of the "
        "cycle, where the mutex was acquired and where the held one had been.",
        "The program acquired mutexes in **orders that form a cycle**. This run "
        "did not deadlock, but other timing would.\n\nAcquire the mutexes in one "
        "global order everywhere.",
    },
    [RW_REC_MISUSE] = {
        "misuse", "Misuse", "warning",
        "Misuse of a synchronization primitive",
        "A mutex, condition variable, thread, channel or wait group was used in a "
        "way that is undefined or always wrong.",
        "A synchronization primitive was used in a way POSIX leaves undefined or "
        "that is always a bug: unlocking a mutex the thread does not hold, "
        "destroying a locked mutex or a condition variable with waiters, ending "
        "a thread or the program while holding mutexes, joining a thread twice or "
        "joining a detached one, closing a closed channel, a negative wait-group "
        "counter. The fatal ones end the process with status 2, as Go does.",
        "A synchronization primitive was **used in a way that is undefined or "
        "always wrong** (unlock of an unlocked mutex, destroy of a locked mutex, "
        "double join, close of a closed channel, ...).",
    },
    [RW_REC_USE_AFTER_FREE] = {
        "use-after-free", "UseAfterFree", "error",
        "Use after free",
        "A thread accessed a heap block after it was freed, and the free "
        "happened before the access.",
        "A heap block was accessed after free() released it, and the free "
        "happened before the access: in the same thread, or in a thread that "
        "synchronized with the freeing one since (a join, a lock, a semaphore). "
        "This is not a data race, it is always wrong: the memory may already "
        "belong to another allocation. (A free that no synchronization orders "
        "with the access is reported as a data race whose previous access is "
        "the free.) Stop using the block before freeing it, or free it later. "
        "The code flow shows the access and the free.",
        "A heap block was **accessed after it was freed**, the free ordered "
        "before the access.\n\nStop using the block before freeing it, or free "
        "it later. The code flow shows the access and the free.",
    },
    [RW_REC_THREAD_LEAK] = {
        "thread-leak", "ThreadLeak", "warning",
        "Thread leak",
        "A joinable thread finished and was never joined nor detached before "
        "the program exited.",
        "A thread created joinable ran to its end, and the program exited "
        "without joining it (pthread_join) or detaching it (pthread_detach, or "
        "creating it detached): its stack and result stay allocated until the "
        "process ends, and a program that keeps creating such threads runs out "
        "of memory or threads. Threads still running at exit are not reported. "
        "Join the thread, or detach it if nobody needs its result. The code "
        "flow shows where the thread was created; leaks from the same place are "
        "one result.",
        "A joinable thread **finished and was never joined nor detached** "
        "before the program exited: its resources stay allocated until the "
        "process ends.\n\nJoin it (`pthread_join`) or detach it "
        "(`pthread_detach`). The code flow shows where it was created.",
    },
};

static const char *basename_of(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Text with "[" and "]" escaped, for messages that may hold links. */
static void put_escaped(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '[' || *s == ']')
            fputc('\\', f);
        fputc(*s, f);
    }
}

static void put_plain(FILE *f, const char *s)
{
    fputs(s, f);
}

/* "worker() at counter.c:12", or "worker() (prog+0x11f4)" without a
 * file; esc: for a message with links. */
static void put_frame(FILE *f, const rw_rec_frame *fr, int esc)
{
    void (*put)(FILE *, const char *) = esc ? put_escaped : put_plain;
    put(f, fr->function);
    fputs("()", f);
    if (fr->file[0]) {
        fputs(" at ", f);
        put(f, basename_of(fr->file));
        if (fr->line > 0)
            fprintf(f, ":%lld", fr->line);
    } else if (fr->module[0]) {
        fputs(" (", f);
        put(f, basename_of(fr->module));
        fprintf(f, "+%s)", fr->module_offset);
    }
}

/* " in <frame>", the frame a link to related location i when i > 0 and
 * the stack has one. */
static void put_where(FILE *f, const rw_rec_stack *s, size_t i)
{
    const rw_rec_frame *src = rw_stack_source_frame(s);
    const rw_rec_frame *fr = src ? src : (s->nframes ? &s->frames[0] : NULL);
    if (fr == NULL) {
        fputs(" (stack unknown)", f);
        return;
    }
    fputs(" in ", f);
    if (i > 0 && src != NULL)
        fputc('[', f);
    put_frame(f, fr, 1);
    if (i > 0 && src != NULL)
        fprintf(f, "](%zu)", i);
}

static const char *location_words(const rw_record *r, char *buf, size_t len)
{
    const char *k = r->location.kind;
    if (!strcmp(k, "global"))
        snprintf(buf, len, " on global '%s' (%lld bytes)", r->location.name, r->location.size);
    else if (!strcmp(k, "heap"))
        snprintf(buf, len, " on a heap block of %lld bytes", r->location.size);
    else if (!strcmp(k, "stack"))
        snprintf(buf, len, " on the stack of thread %lld", r->location.thread);
    else if (!strcmp(k, "tls"))
        snprintf(buf, len, " on thread-local storage");
    else if (strcmp(k, "unknown") && r->location.name[0]) /* an object: "channel of capacity 1" */
        snprintf(buf, len, " on the %s", r->location.name);
    else
        buf[0] = '\0';
    return buf;
}

/* Whether a lock-order record has the runtime's layout: per edge i of
 * the cycle, an "acquired" stack (locks[i+1] taken) then a "held" one
 * (where locks[i] had been taken). */
static int lock_pairs(const rw_record *r)
{
    if (r->nlocks == 0 || r->nstacks != 2 * r->nlocks)
        return 0;
    for (size_t i = 0; i < r->nstacks; i++)
        if (strcmp(r->stacks[i].role, i % 2 ? "held" : "acquired"))
            return 0;
    return 1;
}

/* Strip the title's "WARNING: ", "fatal error: ", "panic: ". */
static const char *misuse_words(const char *title)
{
    static const char *const prefixes[] = { "WARNING: ", "fatal error: ", "panic: " };
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
        if (!strncmp(title, prefixes[i], strlen(prefixes[i])))
            return title + strlen(prefixes[i]);
    return title;
}

/* The one-sentence message of a result. */
static char *message(const rw_record *r)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (f == NULL)
        sv_out_of_memory();
    char loc[600];
    switch (r->kind) {
    case RW_REC_DATA_RACE:
        fputs("Data race", f);
        put_escaped(f, location_words(r, loc, sizeof loc));
        fputs(":", f);
        for (size_t i = 0; i < r->nstacks; i++) {
            const rw_rec_stack *s = &r->stacks[i];
            fprintf(f, "%s %s%s by thread %lld", i ? " and" : "",
                    strcmp(s->role, "previous") ? "" : "previous ", s->access, s->thread);
            put_where(f, s, i);
        }
        break;
    case RW_REC_USE_AFTER_FREE:
        fputs("Use after free", f);
        put_escaped(f, location_words(r, loc, sizeof loc));
        fputs(":", f);
        for (size_t i = 0; i < r->nstacks; i++) {
            const rw_rec_stack *s = &r->stacks[i];
            if (strcmp(s->role, "previous"))
                fprintf(f, "%s %s by thread %lld", i ? " and" : "", s->access, s->thread);
            else
                fprintf(f, " after the free by thread %lld", s->thread);
            put_where(f, s, i);
        }
        break;
    case RW_REC_DEADLOCK:
        if (r->cycle)
            fprintf(f, "Deadlock: a cycle of %zu threads wait for each other:", r->nstacks);
        else
            fputs("Deadlock: all threads are asleep:", f);
        for (size_t i = 0; i < r->nstacks; i++) {
            const rw_rec_stack *s = &r->stacks[i];
            fprintf(f, "%s thread %lld waits in ", i ? ";" : "", s->thread);
            put_escaped(f, s->reason[0] ? s->reason : "?");
            put_where(f, s, i);
        }
        break;
    case RW_REC_LOCK_ORDER:
        fputs("Lock order inversion (potential deadlock): ", f);
        for (size_t i = 0; i < r->nlocks; i++)
            fprintf(f, "%s => ", r->locks[i].name);
        fprintf(f, "%s:", r->nlocks ? r->locks[0].name : "?");
        if (lock_pairs(r)) {
            for (size_t e = 0; e < r->nlocks; e++) {
                const rw_rec_stack *acq = &r->stacks[2 * e], *held = &r->stacks[2 * e + 1];
                fprintf(f, "%s thread %lld acquires %s", e ? ";" : "", acq->thread,
                        r->locks[(e + 1) % r->nlocks].name);
                put_where(f, acq, 2 * e);
                fprintf(f, " while holding %s, acquired", r->locks[e].name);
                put_where(f, held, 2 * e + 1);
            }
        } else {
            for (size_t i = 0; i < r->nstacks; i++) {
                fprintf(f, "%s %s by thread %lld", i ? ";" : "", r->stacks[i].role, r->stacks[i].thread);
                put_where(f, &r->stacks[i], i);
            }
        }
        break;
    case RW_REC_THREAD_LEAK:
        fprintf(f, "Thread leak: %lld thread(s) finished and were never joined nor detached",
                r->leaked_threads);
        for (size_t i = 0; i < r->nstacks && i < 1; i++) {
            fprintf(f, ", thread %lld created", r->stacks[i].thread);
            put_where(f, &r->stacks[i], i);
        }
        break;
    default:
        fputs("Misuse: ", f);
        put_escaped(f, misuse_words(r->title));
        for (size_t i = 0; i < r->nstacks; i++) {
            fprintf(f, "%s thread %lld", i ? ";" : ", by", r->stacks[i].thread);
            put_where(f, &r->stacks[i], i);
        }
        break;
    }
    fputc('.', f);
    fclose(f);
    return text;
}

/* physicalLocation for a file (and line, when known). */
static void physical(rw_jw *w, const char *file, long long line, const rw_merge_opts *o)
{
    int rel;
    char *u = rw_sarif_uri(file, o->source_root, &rel);
    rw_jw_key(w, "physicalLocation");
    rw_jw_begin_object(w);
    rw_jw_key(w, "artifactLocation");
    rw_jw_begin_object(w);
    rw_jw_kstring(w, "uri", u);
    if (rel)
        rw_jw_kstring(w, "uriBaseId", "%SRCROOT%");
    rw_jw_end_object(w);
    if (line > 0) {
        rw_jw_key(w, "region");
        rw_jw_begin_object(w);
        rw_jw_kint(w, "startLine", line);
        rw_jw_end_object(w);
    }
    rw_jw_end_object(w);
    free(u);
}

static void message_obj(rw_jw *w, const char *text)
{
    rw_jw_key(w, "message");
    rw_jw_begin_object(w);
    rw_jw_kstring(w, "text", text);
    rw_jw_end_object(w);
}

/* A short text for a frame: "worker()" or "worker() (prog+0x11f4)". */
static char *frame_text(const rw_rec_frame *fr, int with_file)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (f == NULL)
        sv_out_of_memory();
    if (with_file) {
        put_frame(f, fr, 0);
    } else {
        fputs(fr->function, f);
        fputs("()", f);
        if (fr->inlined)
            fputs(" (inlined)", f);
    }
    fclose(f);
    return text;
}

/* What stack i is: "thread 2: write", "thread 1: blocked in
 * pthread_mutex_lock", "thread 2: acquires M2 while holding M1". */
static char *stack_text(const rw_record *r, size_t i)
{
    const rw_rec_stack *s = &r->stacks[i];
    if (r->kind == RW_REC_DATA_RACE || r->kind == RW_REC_USE_AFTER_FREE)
        return sv_printf("thread %lld: %s%s", s->thread, strcmp(s->role, "previous") ? "" : "previous ",
                         s->access);
    if (r->kind == RW_REC_DEADLOCK)
        return sv_printf("thread %lld: blocked in %s", s->thread, s->reason);
    if (r->kind == RW_REC_LOCK_ORDER && lock_pairs(r)) {
        size_t e = i / 2;
        if (i % 2 == 0)
            return sv_printf("thread %lld: acquires %s while holding %s", s->thread,
                             r->locks[(e + 1) % r->nlocks].name, r->locks[e].name);
        return sv_printf("thread %lld: acquired %s", s->thread, r->locks[e].name);
    }
    if (r->kind == RW_REC_LOCK_ORDER)
        return sv_printf("thread %lld: %s", s->thread, s->role);
    return sv_printf("thread %lld", s->thread);
}

static void primary_location(rw_jw *w, const rw_record *r, const rw_merge_opts *o)
{
    const rw_rec_frame *fr = NULL;
    for (size_t i = 0; i < r->nstacks && fr == NULL; i++)
        fr = rw_stack_source_frame(&r->stacks[i]);
    rw_jw_begin_object(w);
    if (fr != NULL) {
        physical(w, fr->file, fr->line, o);
    } else {
        /* No source anywhere: the module of the top frame, or the program. */
        const rw_rec_frame *top = rw_record_top_frame(r);
        physical(w, top && top->module[0] ? top->module : r->program, 0, o);
        fr = top;
    }
    if (fr != NULL) {
        char *t = frame_text(fr, 1);
        message_obj(w, t);
        free(t);
    }
    rw_jw_end_object(w);
}

static void related_locations(rw_jw *w, const rw_record *r, const rw_merge_opts *o)
{
    int any = 0;
    for (size_t i = 1; i < r->nstacks; i++)
        any |= rw_stack_source_frame(&r->stacks[i]) != NULL;
    if (!any)
        return;
    rw_jw_key(w, "relatedLocations");
    rw_jw_begin_array(w);
    for (size_t i = 1; i < r->nstacks; i++) {
        const rw_rec_frame *fr = rw_stack_source_frame(&r->stacks[i]);
        if (fr == NULL)
            continue;
        rw_jw_begin_object(w);
        rw_jw_kint(w, "id", (long long)i);
        physical(w, fr->file, fr->line, o);
        char *t = stack_text(r, i);
        message_obj(w, t);
        free(t);
        rw_jw_end_object(w);
    }
    rw_jw_end_array(w);
}

static void thread_flow(rw_jw *w, const rw_record *r, size_t index, const rw_merge_opts *o)
{
    const rw_rec_stack *s = &r->stacks[index];
    rw_jw_begin_object(w);
    char *t = stack_text(r, index);
    message_obj(w, t);
    free(t);
    rw_jw_key(w, "locations");
    rw_jw_begin_array(w);
    int any = 0;
    for (size_t i = s->nframes; i > 0; i--) {
        const rw_rec_frame *fr = &s->frames[i - 1];
        if (!fr->file[0])
            continue;
        any = 1;
        rw_jw_begin_object(w);
        rw_jw_key(w, "location");
        rw_jw_begin_object(w);
        physical(w, fr->file, fr->line, o);
        char *ft = frame_text(fr, 0);
        message_obj(w, ft);
        free(ft);
        rw_jw_end_object(w);
        rw_jw_end_object(w);
    }
    if (!any) {
        rw_jw_begin_object(w);
        rw_jw_key(w, "location");
        rw_jw_begin_object(w);
        if (s->nframes == 0) {
            message_obj(w, "stack unknown (the thread's history was lost)");
        } else {
            char *ft = frame_text(&s->frames[0], 1);
            char *msg = sv_printf("%s: no source information", ft);
            message_obj(w, msg);
            free(msg);
            free(ft);
        }
        rw_jw_end_object(w);
        rw_jw_end_object(w);
    }
    rw_jw_end_array(w);
    rw_jw_end_object(w);
}

/* key: the distinct programs (commands = 0) or command lines (1) of e's
 * processes, in the order first seen. */
static const char *program_or_command(const rw_merge *m, const rw_entry *e, size_t i, int commands)
{
    const rw_proc *p = &m->procs[e->procs[i]];
    return commands ? p->command : p->program;
}

static void distinct_names(rw_jw *w, const char *key, const rw_merge *m, const rw_entry *e, int commands)
{
    rw_jw_key(w, key);
    rw_jw_begin_array(w);
    for (size_t i = 0; i < e->nprocs; i++) {
        const char *s = program_or_command(m, e, i, commands);
        int dup = 0;
        for (size_t j = 0; j < i && !dup; j++)
            dup = !strcmp(program_or_command(m, e, j, commands), s);
        if (!dup)
            rw_jw_string(w, s);
    }
    rw_jw_end_array(w);
}

/* The misuse rules, one per distinct id of detector/misuse_rules.h, in
 * its order: SARIF rules RW_REC_NREPORT_KINDS + i. */
static int misuse_rule_index(const char *id)
{
    int n = 0;
    for (int i = 0; i < rw_misuse_nrules; i++) {
        int seen = 0;
        for (int k = 0; k < i && !seen; k++)
            seen = !strcmp(rw_misuse_rules[k].id, rw_misuse_rules[i].id);
        if (seen)
            continue;
        if (id && !strcmp(rw_misuse_rules[i].id, id))
            return n;
        n++;
    }
    return id ? -1 : n; /* NULL: how many there are */
}

static const rw_misuse_rule *nth_misuse_rule(int n)
{
    for (int i = 0; i < rw_misuse_nrules; i++)
        if (misuse_rule_index(rw_misuse_rules[i].id) == n)
            return &rw_misuse_rules[i];
    return NULL;
}

static void result(rw_jw *w, const rw_merge *m, const rw_entry *e, const rw_merge_opts *o)
{
    const rw_record *r = &e->rec;
    const rule *ru = &rules[r->kind];
    rw_jw_begin_object(w);
    int sub = r->kind == RW_REC_MISUSE && r->rule ? misuse_rule_index(r->rule) : -1;
    if (sub >= 0) {
        char id[96];
        snprintf(id, sizeof id, "misuse/%s", r->rule);
        rw_jw_kstring(w, "ruleId", id);
        rw_jw_kint(w, "ruleIndex", (long long)(RW_REC_NREPORT_KINDS + sub));
    } else {
        rw_jw_kstring(w, "ruleId", ru->id);
        rw_jw_kint(w, "ruleIndex", (long long)r->kind);
    }
    int error = r->kind == RW_REC_DATA_RACE || r->kind == RW_REC_USE_AFTER_FREE ||
                r->kind == RW_REC_DEADLOCK ||
                (r->kind == RW_REC_MISUSE && r->fatal);
    rw_jw_kstring(w, "level", error ? "error" : "warning");
    char *msg = message(r);
    message_obj(w, msg);
    free(msg);

    rw_jw_key(w, "locations");
    rw_jw_begin_array(w);
    primary_location(w, r, o);
    rw_jw_end_array(w);
    related_locations(w, r, o);

    if (r->nstacks > 0) {
        rw_jw_key(w, "codeFlows");
        rw_jw_begin_array(w);
        rw_jw_begin_object(w);
        rw_jw_key(w, "threadFlows");
        rw_jw_begin_array(w);
        for (size_t i = 0; i < r->nstacks; i++)
            thread_flow(w, r, i, o);
        rw_jw_end_array(w);
        rw_jw_end_object(w);
        rw_jw_end_array(w);
    }

    rw_jw_key(w, "partialFingerprints");
    rw_jw_begin_object(w);
    char fp[17];
    snprintf(fp, sizeof fp, "%016llx", (unsigned long long)e->fp);
    rw_jw_kstring(w, "racewatchFingerprint/v1", fp);
    rw_jw_end_object(w);
    rw_jw_kint(w, "occurrenceCount", e->count);
    if (o->baseline != NULL)
        rw_jw_kstring(w, "baselineState", e->known ? "unchanged" : "new");

    rw_jw_key(w, "properties");
    rw_jw_begin_object(w);
    rw_jw_kstring(w, "kind", rw_rec_kind_name(r->kind));
    rw_jw_kbool(w, "fatal", r->fatal);
    rw_jw_kint(w, "processes", (long long)e->nprocs);
    distinct_names(w, "programs", m, e, 0);
    distinct_names(w, "commands", m, e, 1);
    rw_jw_end_object(w);
    rw_jw_end_object(w);
}

static void rule_obj(rw_jw *w, const rule *ru)
{
    rw_jw_begin_object(w);
    rw_jw_kstring(w, "id", ru->id);
    rw_jw_kstring(w, "name", ru->name);
    rw_jw_key(w, "shortDescription");
    rw_jw_begin_object(w);
    rw_jw_kstring(w, "text", ru->short_text);
    rw_jw_end_object(w);
    rw_jw_key(w, "fullDescription");
    rw_jw_begin_object(w);
    rw_jw_kstring(w, "text", ru->full_text);
    rw_jw_end_object(w);
    rw_jw_key(w, "help");
    rw_jw_begin_object(w);
    rw_jw_kstring(w, "text", ru->help_text);
    rw_jw_kstring(w, "markdown", ru->help_markdown);
    rw_jw_end_object(w);
    rw_jw_key(w, "defaultConfiguration");
    rw_jw_begin_object(w);
    rw_jw_kstring(w, "level", ru->level);
    rw_jw_end_object(w);
    rw_jw_key(w, "properties");
    rw_jw_begin_object(w);
    rw_jw_key(w, "tags");
    rw_jw_begin_array(w);
    rw_jw_string(w, "concurrency");
    rw_jw_string(w, "reliability");
    rw_jw_end_array(w);
    rw_jw_kstring(w, "precision", "high");
    rw_jw_kstring(w, "problem.severity", ru->level);
    rw_jw_end_object(w);
    rw_jw_end_object(w);
}

void rw_sarif_write(FILE *f, const rw_merge *m, const rw_merge_opts *o)
{
    rw_jw w;
    rw_jw_init(&w, f, 1);
    rw_jw_begin_object(&w);
    rw_jw_kstring(&w, "$schema", SCHEMA_URI);
    rw_jw_kstring(&w, "version", "2.1.0");
    rw_jw_key(&w, "runs");
    rw_jw_begin_array(&w);
    rw_jw_begin_object(&w);

    rw_jw_key(&w, "tool");
    rw_jw_begin_object(&w);
    rw_jw_key(&w, "driver");
    rw_jw_begin_object(&w);
    rw_jw_kstring(&w, "name", "racewatch");
    rw_jw_kstring(&w, "version", o->version);
    rw_jw_kstring(&w, "semanticVersion", o->version);
    rw_jw_key(&w, "rules");
    rw_jw_begin_array(&w);
    for (int k = 0; k < RW_REC_NREPORT_KINDS; k++)
        rule_obj(&w, &rules[k]);
    for (int n = 0; n < misuse_rule_index(NULL); n++) {
        const rw_misuse_rule *mr = nth_misuse_rule(n);
        char id[96], name[96], help[400];
        snprintf(id, sizeof id, "misuse/%s", mr->id);
        /* "mutex-lock-destroyed" -> "MisuseMutexLockDestroyed" */
        size_t k = (size_t)snprintf(name, sizeof name, "Misuse");
        for (const char *p = mr->id; *p && k + 1 < sizeof name; p++) {
            if (*p == '-')
                continue;
            name[k++] = (p == mr->id || p[-1] == '-') && *p >= 'a' && *p <= 'z'
                            ? (char)(*p - 'a' + 'A') : *p;
        }
        name[k] = 0;
        snprintf(help, sizeof help, "%s racewatch's report names the call and its stack; "
                 "docs/misuse.md describes each kind of misuse and how to fix it.", mr->text);
        rule sub = { id, name, rules[RW_REC_MISUSE].level, mr->text, mr->text, help, help };
        rule_obj(&w, &sub);
    }
    rw_jw_end_array(&w);
    rw_jw_end_object(&w);
    rw_jw_end_object(&w);

    if (o->source_root != NULL) {
        char *u = rw_sarif_root_uri(o->source_root);
        rw_jw_key(&w, "originalUriBaseIds");
        rw_jw_begin_object(&w);
        rw_jw_key(&w, "%SRCROOT%");
        rw_jw_begin_object(&w);
        rw_jw_kstring(&w, "uri", u);
        rw_jw_end_object(&w);
        rw_jw_end_object(&w);
        free(u);
    }

    rw_jw_key(&w, "results");
    rw_jw_begin_array(&w);
    for (size_t i = 0; i < m->nentries; i++)
        result(&w, m, &m->entries[i], o);
    rw_jw_end_array(&w);

    rw_jw_end_object(&w);
    rw_jw_end_array(&w);
    rw_jw_end_object(&w);
    fputc('\n', f);
}
