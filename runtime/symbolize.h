/* symbolize.h: turning code and data addresses of the running process into
 * names, with elfutils libdwfl (function, source file:line, inlined frames,
 * global variable names).  Used by the runtime when it prints a report, so
 * it must be safe to call from any thread (it serializes internally). */
#ifndef RACEWATCH_SYMBOLIZE_H
#define RACEWATCH_SYMBOLIZE_H

#include <stddef.h>
#include <stdint.h>

typedef struct rw_frame {
    char function[256];      /* "worker", "" when unknown */
    char file[512];          /* "/home/u/src/counter.c", "" when unknown */
    int line;                /* 0 when unknown */
    uintptr_t func_offset;   /* pc - start of the (outermost, non-inlined) function */
    int has_func_offset;
    char module[512];        /* path of the ELF module holding pc, "" when none */
    uintptr_t module_offset; /* pc - module load bias */
    int inlined;             /* 1: this frame was inlined into the frame after it */
} rw_frame;

/* Symbolize one code address into up to max frames, innermost first: the
 * inlined frames at pc (if any), then the real function.  is_return_address
 * != 0 means pc is a return address (caller frames): lookups use pc-1 but
 * offsets are of pc itself.  Always returns at least 1 when max >= 1 (an
 * unknown pc gives one frame with empty function/file and the module+offset
 * when known; with no module, module is "" and module_offset is pc); 0 only
 * for frames == NULL or max < 1.  More inlined frames than max: the
 * innermost max are returned.  All frames of one pc share func_offset
 * (from the real function's entry) and module/module_offset. */
int rw_symbolize_pc(uintptr_t pc, int is_return_address, rw_frame *frames, int max);

/* Describe the global (or static) variable that contains addr.  Returns 1
 * and fills name (the symbol name), *start and *size when found, else 0.
 * module/module_offset as for code (filled whenever addr is in a module,
 * even if no symbol holds it).  Any output pointer may be NULL.  A
 * function-local static has gcc's symbol name ("counter.0"); thread-local
 * variables are not found. */
int rw_symbolize_data(uintptr_t addr, char *name, size_t namelen,
                      uintptr_t *start, size_t *size,
                      char *module, size_t modlen, uintptr_t *module_offset);

/* Open libdw now if it is not open yet (it is opened on first need, not
 * linked).  Call it holding no lock, before the process gets a second
 * thread and at the start of a report: a dlopen under one of our locks
 * could wait for ever for a thread that is inside dlopen itself and waits
 * for that lock (symbolize.c).  The caller must be inside the runtime, so
 * that the loader's calls pass through our interceptors.  One atomic load
 * once done. */
void rw_symbolize_prepare(void);

/* Forget cached module lists (after dlopen/dlclose, in a forked child).
 * Cheap: the list is re-read from the dynamic loader at the next lookup,
 * and modules still loaded keep their cached ELF/DWARF.  Optional: every
 * lookup already notices dlopen/dlclose by the loader's counters. */
void rw_symbolize_reset(void);

/* From now on, frames in the C library (libc, ld.so, libpthread...) are
 * named from their symbol tables without reading separate debug files:
 * called before a fatal report, which must come out fast. */
void rw_symbolize_names_only_for_libc(void);

/* Fork protocol, for the runtime's fork interceptor: call prepare just
 * before the real fork(), then parent in the parent or child in the child.
 * The symbolizer's lock is held across the fork, so a child never inherits
 * it taken by a thread that does not exist there; child also resets the
 * module list as rw_symbolize_reset() does.  Not needed otherwise. */
void rw_symbolize_fork_prepare(void);
void rw_symbolize_fork_parent(void);
void rw_symbolize_fork_child(void);

#endif
