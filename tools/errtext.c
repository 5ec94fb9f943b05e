/* errtext.c: lower-cased strerror/strsignal (see errtext.h).  glibc's
 * texts match Go's for the common cases: "Killed" -> "killed",
 * "Segmentation fault" -> "segmentation fault", "Aborted" -> "aborted". */
#include "tools/errtext.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

const char *rw_tool_name = "racewatch merge";

static const char *lower_first(const char *s)
{
    static char buf[256];
    snprintf(buf, sizeof buf, "%s", s ? s : "unknown");
    buf[0] = (char)tolower((unsigned char)buf[0]);
    return buf;
}

const char *rw_errno_text(int err)
{
    return lower_first(strerror(err));
}

const char *rw_signal_text(int sig)
{
    return lower_first(strsignal(sig));
}
