/* ompt_tool.c: racewatch as an OMPT tool of LLVM's OpenMP runtime,
 * libomp (what clang -fopenmp links).
 *
 * OpenMP 5.1, section 4.2.1: when the runtime initializes, it calls the
 * function ompt_start_tool that it finds in the process (here: ours, as
 * libracewatch.so comes before libomp in symbol lookup, preloaded or
 * linked by racewatch-cc); a non-NULL result makes us the tool, and the
 * runtime calls our initialize with a lookup function, through which we
 * register the callbacks (ompt_set_callback, section 4.6.1.3) whose
 * happens-before edges ompt_team.c, ompt_task.c and ompt_mutex.c add.
 * libomp looks at OMP_TOOL_LIBRARIES only when no tool was found in the
 * process: with racewatch a tool named there is not started (said once
 * on stderr with verbosity >= 1).  OMP_TOOL=disabled makes libomp call
 * no tool at all: then racewatch sees none of libomp's synchronization,
 * which it also says once with verbosity >= 1.
 *
 * gcc's libgomp has no OMPT: it is handled by interception
 * (intercept_gomp_*.c).  Archer, LLVM's OMPT tool for ThreadSanitizer,
 * registers the same family of callbacks; this file is written from the
 * specification. */
#include "runtime/ompt.h"
#include "detector/hb_floor.h"

#include <dlfcn.h>

#include "detector/alloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int (*rw_ompt_get_state)(ompt_wait_id *wait_id);
rw_ompt_get_task_info_fn rw_ompt_get_task_info;
int rw_ompt_active;

void *rw_ompt_alloc(size_t size)
{
    rw_in_rt++; /* our memset interceptor must not take it for the program's */
    void *p = rw_malloc(size);
    if (p)
        memset(p, 0, size);
    rw_in_rt--;
    return p;
}

void rw_ompt_free(void *p)
{
    rw_in_rt++;
    rw_free(p);
    rw_in_rt--;
}

static void say(const char *text)
{
    if (rw_opts.verbosity >= 1)
        rw_sink_write(text, strlen(text));
}

static int initialize(ompt_lookup_fn lookup, int initial_device, ompt_data *tool_data)
{
    (void)initial_device;
    (void)tool_data;
    rw_hb_floor_freeze(); /* a fiber may start from a clock made now */
    ompt_set_callback_fn set = (ompt_set_callback_fn)lookup("ompt_set_callback");
    if (set == NULL)
        return 0;
    rw_ompt_get_state = (int (*)(ompt_wait_id *))lookup("ompt_get_state");
    rw_ompt_get_task_info = (rw_ompt_get_task_info_fn)lookup("ompt_get_task_info");
    /* libomp's own allocations and copies are not the program's. */
    rw_ignore_calls_from_lib_of((const void *)set);
    static const struct {
        int event;
        ompt_interface_fn fn;
    } callbacks[] = {
        { OMPT_CB_PARALLEL_BEGIN, (ompt_interface_fn)rw_ompt_parallel_begin },
        { OMPT_CB_PARALLEL_END, (ompt_interface_fn)rw_ompt_parallel_end },
        { OMPT_CB_IMPLICIT_TASK, (ompt_interface_fn)rw_ompt_implicit_task },
        { OMPT_CB_SYNC_REGION, (ompt_interface_fn)rw_ompt_sync_region },
        { OMPT_CB_SYNC_REGION_WAIT, (ompt_interface_fn)rw_ompt_sync_region_wait },
        { OMPT_CB_TASK_CREATE, (ompt_interface_fn)rw_ompt_task_create },
        { OMPT_CB_TASK_SCHEDULE, (ompt_interface_fn)rw_ompt_task_schedule },
        { OMPT_CB_DEPENDENCES, (ompt_interface_fn)rw_ompt_dependences },
        { OMPT_CB_MUTEX_ACQUIRED, (ompt_interface_fn)rw_ompt_mutex_acquired },
        { OMPT_CB_MUTEX_RELEASED, (ompt_interface_fn)rw_ompt_mutex_released },
        { OMPT_CB_REDUCTION, (ompt_interface_fn)rw_ompt_reduction },
    };
    int missing = 0;
    for (size_t i = 0; i < sizeof callbacks / sizeof callbacks[0]; i++)
        if (set(callbacks[i].event, callbacks[i].fn) != OMPT_SET_ALWAYS)
            missing = 1;
    if (missing)
        say("racewatch: the OpenMP runtime does not offer every OMPT callback racewatch "
            "needs: some of its synchronization is not seen (false reports possible)\n");
    __atomic_store_n(&rw_ompt_active, 1, __ATOMIC_RELEASE);
    return 1; /* stay active */
}

static void finalize(ompt_data *tool_data)
{
    (void)tool_data;
}

RW_EXPORT ompt_start_tool_result *ompt_start_tool(unsigned omp_version,
                                                  const char *runtime_version)
{
    (void)omp_version;
    (void)runtime_version;
    static ompt_start_tool_result result = { initialize, finalize, { 0 } };
    const char *others = getenv("OMP_TOOL_LIBRARIES");
    if (others && *others)
        say("racewatch: OMP_TOOL_LIBRARIES is ignored: racewatch is the program's OpenMP "
            "tool\n");
    return &result;
}

/* With OMP_TOOL=disabled libomp never calls ompt_start_tool.  After the
 * runtime's own start-up (its constructor has priority 101). */
__attribute__((constructor)) static void say_if_disabled(void)
{
    const char *tool = getenv("OMP_TOOL");
    if (tool && !strcasecmp(tool, "disabled") && dlsym(RTLD_DEFAULT, "__kmpc_fork_call"))
        say("racewatch: OMP_TOOL=disabled: libomp will not tell racewatch about its "
            "synchronization (false reports likely)\n");
}
