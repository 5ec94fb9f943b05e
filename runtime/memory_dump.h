/* memory_dump.h: the memory breakdown written at exit under
 * RACEWATCH_MEMORY_DUMP (runtime/memory_dump.c). */
#ifndef RW_MEMORY_DUMP_H
#define RW_MEMORY_DUMP_H

void rw_memory_dump(void);

#endif
