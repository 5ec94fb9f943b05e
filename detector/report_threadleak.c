/* report_threadleak.c: the text of a thread leak report.  The content is
 * ThreadSanitizer's "thread leak" (the leaked thread and its creation
 * stack, similar leaks from the same stack folded into one report with a
 * count), in the shape of racewatch's other warnings (shared/spec/
 * reports.md): a WARNING line, then the thread as a race report names it:
 *
 *     ==================
 *     WARNING: THREAD LEAK
 *     Thread 2 (finished) created at:
 *       main()
 *           /src/leak.c:20 +0x4d
 *
 *     And 2 more similar thread leaks (threads 3, 4).
 *     ==================
 */
#include "detector/report.h"

void rw_format_thread_leak(rw_buf *out, const rw_thread_leak *l, rw_symbolize_fn sym, int color)
{
    rw_buf_printf(out, "==================\n%sWARNING: THREAD LEAK%s\n",
                  color ? "\033[1;31m" : "", color ? "\033[0m" : "");
    rw_buf_printf(out, "%sThread %u (finished) created at:%s\n", color ? "\033[36m" : "",
                  l->numbers[0], color ? "\033[0m" : "");
    rw_format_stack(out, &l->create, sym);
    if (l->count > 1) {
        rw_buf_printf(out, "\nAnd %u more similar thread leak%s (thread%s", l->count - 1,
                      l->count > 2 ? "s" : "", l->count > 2 ? "s" : "");
        uint32_t listed = l->count < RW_LEAK_LISTED ? l->count : RW_LEAK_LISTED;
        for (uint32_t i = 1; i < listed; i++)
            rw_buf_printf(out, "%s %u", i > 1 ? "," : "", l->numbers[i]);
        rw_buf_printf(out, "%s).\n", l->count > RW_LEAK_LISTED ? ", ..." : "");
    }
    rw_buf_printf(out, "==================\n");
}
