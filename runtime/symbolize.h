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
 * offsets are of pc itself.  Always returns at least 1 (an unknown pc gives
 * one frame with empty function/file and the module+offset when known). */
int rw_symbolize_pc(uintptr_t pc, int is_return_address, rw_frame *frames, int max);

/* Describe the global (or static) variable that contains addr.  Returns 1
 * and fills name (the symbol name), *start and *size when found, else 0.
 * module/module_offset as for code. */
int rw_symbolize_data(uintptr_t addr, char *name, size_t namelen,
                      uintptr_t *start, size_t *size,
                      char *module, size_t modlen, uintptr_t *module_offset);

/* Forget cached module lists (after dlopen/dlclose, in a forked child). */
void rw_symbolize_reset(void);

#endif
