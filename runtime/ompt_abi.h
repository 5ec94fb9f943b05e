/* ompt_abi.h: the part of the OMPT tool interface racewatch uses, written
 * from the OpenMP API specification 5.1, chapter 4 ("OMPT Interface"),
 * sections 4.2 (activating a tool: ompt_start_tool, initialize,
 * finalize), 4.4 (types and their values) and 4.5 (callback
 * signatures).  The values are the specification's, so any conforming
 * runtime (LLVM's libomp, which ships no header on gcc's include path)
 * passes what these declarations describe. */
#ifndef RW_OMPT_ABI_H
#define RW_OMPT_ABI_H

#include <stdint.h>

typedef union ompt_data {
    uint64_t value;
    void *ptr;
} ompt_data;

typedef uint64_t ompt_wait_id;

typedef void (*ompt_interface_fn)(void);
typedef ompt_interface_fn (*ompt_lookup_fn)(const char *name);
typedef int (*ompt_initialize_fn)(ompt_lookup_fn lookup, int initial_device_num,
                                  ompt_data *tool_data);
typedef void (*ompt_finalize_fn)(ompt_data *tool_data);

typedef struct ompt_start_tool_result {
    ompt_initialize_fn initialize;
    ompt_finalize_fn finalize;
    ompt_data tool_data;
} ompt_start_tool_result;

/* ompt_set_callback(event, callback) -> ompt_set_result */
typedef int (*ompt_set_callback_fn)(int event, ompt_interface_fn callback);
enum { OMPT_SET_ERROR = 0, OMPT_SET_NEVER = 1, OMPT_SET_ALWAYS = 5 };

/* Callback event numbers (ompt_callbacks_t). */
enum {
    OMPT_CB_THREAD_BEGIN = 1,
    OMPT_CB_THREAD_END = 2,
    OMPT_CB_PARALLEL_BEGIN = 3,
    OMPT_CB_PARALLEL_END = 4,
    OMPT_CB_TASK_CREATE = 5,
    OMPT_CB_TASK_SCHEDULE = 6,
    OMPT_CB_IMPLICIT_TASK = 7,
    OMPT_CB_SYNC_REGION_WAIT = 16,
    OMPT_CB_MUTEX_RELEASED = 17,
    OMPT_CB_DEPENDENCES = 18,
    OMPT_CB_TASK_DEPENDENCE = 19,
    OMPT_CB_WORK = 20,
    OMPT_CB_MASKED = 21,
    OMPT_CB_SYNC_REGION = 23,
    OMPT_CB_MUTEX_ACQUIRE = 26,
    OMPT_CB_MUTEX_ACQUIRED = 27,
    OMPT_CB_NEST_LOCK = 28,
    OMPT_CB_REDUCTION = 31,
};

enum { OMPT_SCOPE_BEGIN = 1, OMPT_SCOPE_END = 2, OMPT_SCOPE_BEGINEND = 3 };

/* ompt_sync_region_t */
enum {
    OMPT_SYNC_BARRIER = 1,            /* deprecated in 5.1 */
    OMPT_SYNC_BARRIER_IMPLICIT = 2,   /* deprecated in 5.1 */
    OMPT_SYNC_BARRIER_EXPLICIT = 3,
    OMPT_SYNC_BARRIER_IMPLEMENTATION = 4,
    OMPT_SYNC_TASKWAIT = 5,
    OMPT_SYNC_TASKGROUP = 6,
    OMPT_SYNC_REDUCTION = 7,
    OMPT_SYNC_BARRIER_IMPLICIT_WORKSHARE = 8,
    OMPT_SYNC_BARRIER_IMPLICIT_PARALLEL = 9,
    OMPT_SYNC_BARRIER_TEAMS = 10,
};

/* ompt_mutex_t */
enum {
    OMPT_MUTEX_LOCK = 1,
    OMPT_MUTEX_TEST_LOCK = 2,
    OMPT_MUTEX_NEST_LOCK = 3,
    OMPT_MUTEX_TEST_NEST_LOCK = 4,
    OMPT_MUTEX_CRITICAL = 5,
    OMPT_MUTEX_ATOMIC = 6,
    OMPT_MUTEX_ORDERED = 7,
};

/* ompt_task_flag_t */
enum {
    OMPT_TASK_INITIAL = 0x1,
    OMPT_TASK_IMPLICIT = 0x2,
    OMPT_TASK_EXPLICIT = 0x4,
    OMPT_TASK_TARGET = 0x8,
    OMPT_TASK_TASKWAIT = 0x10,
    OMPT_TASK_UNDEFERRED = 0x08000000,
    OMPT_TASK_MERGED = (int)0x80000000u,
};

/* ompt_task_status_t */
enum {
    OMPT_TASK_COMPLETE = 1,
    OMPT_TASK_YIELD = 2,
    OMPT_TASK_CANCEL = 3,
    OMPT_TASK_DETACH = 4,
    OMPT_TASK_EARLY_FULFILL = 5,
    OMPT_TASK_LATE_FULFILL = 6,
    OMPT_TASK_SWITCH = 7,
    OMPT_TASKWAIT_COMPLETE = 8,
};

/* ompt_dependence_type_t */
enum {
    OMPT_DEP_IN = 1,
    OMPT_DEP_OUT = 2,
    OMPT_DEP_INOUT = 3,
    OMPT_DEP_MUTEXINOUTSET = 4,
    OMPT_DEP_SOURCE = 5,
    OMPT_DEP_SINK = 6,
    OMPT_DEP_INOUTSET = 7,
};

typedef struct ompt_dependence {
    ompt_data variable;
    int dependence_type;
} ompt_dependence;

/* ompt_work_t */
enum {
    OMPT_WORK_LOOP = 1,
    OMPT_WORK_SECTIONS = 2,
    OMPT_WORK_SINGLE_EXECUTOR = 3,
    OMPT_WORK_SINGLE_OTHER = 4,
    OMPT_WORK_WORKSHARE = 5,
    OMPT_WORK_DISTRIBUTE = 6,
    OMPT_WORK_TASKLOOP = 7,
    OMPT_WORK_SCOPE = 8,
};

typedef struct ompt_frame {
    ompt_data exit_frame;
    ompt_data enter_frame;
    int exit_frame_flags;
    int enter_frame_flags;
} ompt_frame;

#endif
