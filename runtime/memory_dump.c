/* memory_dump.c: where the process's memory is, written at exit when
 * RACEWATCH_MEMORY_DUMP names a file (<path>.<pid>; "stderr" for the
 * report stream).  A measurement aid (docs/design.md, "Peak memory"), not
 * a report.
 *
 * The detector's own mappings are known by kind (detector/alloc.h,
 * rw_map_reserve_as); their resident pages are counted from
 * /proc/self/pagemap (present and exclusively mapped: the shared zero page
 * that a read of an untouched page maps is not memory).  The rest comes
 * from /proc/self/status and smaps_rollup: peak (VmHWM), resident anonymous
 * and file-backed pages.  Anonymous pages outside the known mappings are
 * the program's heap and stacks and the runtime's glibc allocations. */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "detector/alloc.h"
#include "runtime/memory_dump.h"
#include "runtime/rt.h"

static ssize_t read_all(int fd, void *buf, size_t n, off_t at)
{
    return syscall(SYS_pread64, fd, buf, n, at);
}

/* Resident, exclusively mapped bytes of [addr, addr + size). */
static size_t resident_bytes(int pagemap, const void *addr, size_t size)
{
    uint64_t first = (uintptr_t)addr >> 12, end = ((uintptr_t)addr + size + 4095) >> 12;
    uint64_t entries[512];
    size_t pages = 0;
    for (uint64_t p = first; p < end;) {
        uint64_t n = end - p < 512 ? end - p : 512;
        ssize_t got = read_all(pagemap, entries, n * 8, (off_t)(p * 8));
        if (got <= 0)
            break;
        for (ssize_t i = 0; i < got / 8; i++)
            if ((entries[i] >> 63) & 1 && (entries[i] >> 56) & 1)
                pages++;
        p += (uint64_t)got / 8;
    }
    return pages * 4096;
}

/* The value in kB of the line "key:" of a /proc/self file, or 0. */
static uint64_t proc_kb(const char *file, const char *key)
{
    char buf[8192];
    int fd = (int)syscall(SYS_openat, AT_FDCWD, file, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read_all(fd, buf, sizeof buf - 1, 0);
    syscall(SYS_close, fd);
    if (n <= 0)
        return 0;
    buf[n] = 0;
    size_t klen = strlen(key);
    for (char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
        if (strncmp(line, key, klen) == 0 && line[klen] == ':')
            return strtoull(line + klen + 1, NULL, 10);
    return 0;
}

void rw_memory_dump(void)
{
    const char *path = getenv("RACEWATCH_MEMORY_DUMP");
    if (!path || !*path)
        return;
    size_t by_kind[RW_MAP_KINDS] = {0};
    int pagemap = (int)syscall(SYS_openat, AT_FDCWD, "/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    if (pagemap < 0)
        return;
    unsigned regions = rw_map_region_count();
    for (unsigned i = 0; i < regions; i++) {
        void *addr;
        size_t size;
        enum rw_map_kind kind;
        rw_map_region(i, &addr, &size, &kind);
        if (size == 0)
            continue;
        by_kind[kind] += resident_bytes(pagemap, addr, size);
    }
    syscall(SYS_close, pagemap);
    uint64_t hwm = proc_kb("/proc/self/status", "VmHWM");
    uint64_t rss = proc_kb("/proc/self/smaps_rollup", "Rss");
    uint64_t anon = proc_kb("/proc/self/smaps_rollup", "Anonymous");
    size_t known = 0;
    for (int k = 0; k < RW_MAP_KINDS; k++)
        known += by_kind[k];
    size_t ext = by_kind[RW_MAP_EXT];
    long long rest = (long long)anon - (long long)(known >> 10);
    char line[512];
    int n = snprintf(line, sizeof line,
                     "racewatch memory (KiB): peak %" PRIu64 " at-exit %" PRIu64 " shadow %zu"
                     " traces %zu depot %zu other-maps %zu ext-records %zu"
                     " other-anon %lld files %" PRIu64 " regions %u\n",
                     hwm, rss, by_kind[RW_MAP_SHADOW] >> 10, by_kind[RW_MAP_TRACE] >> 10,
                     by_kind[RW_MAP_DEPOT] >> 10, by_kind[RW_MAP_OTHER] >> 10, ext >> 10, rest,
                     rss - anon, regions);
    if (strcmp(path, "stderr") == 0) {
        syscall(SYS_write, 2, line, (size_t)n);
        return;
    }
    char file[1100];
    snprintf(file, sizeof file, "%s.%d", path, (int)getpid());
    int fd = (int)syscall(SYS_openat, AT_FDCWD, file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) {
        syscall(SYS_write, fd, line, (size_t)n);
        syscall(SYS_close, fd);
    }
}
