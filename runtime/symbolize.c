/* symbolize.c: code and data addresses of the running process -> names.
 *
 * This runs inside the program being checked (libracewatch.so), when a
 * report is printed.  It asks elfutils' libdwfl about the process itself:
 *
 *   - The module list is the dynamic loader's (dl_iterate_phdr): one
 *     Dwfl_Module per loaded ELF object, plus the vDSO.  The Dwfl is built
 *     on first use and kept: libdwfl caches each module's ELF file, symbol
 *     table and DWARF, so later lookups are cheap.  It is re-reported (not
 *     rebuilt: unchanged modules keep their caches) when the loader's
 *     dlpi_adds/dlpi_subs counters show a dlopen or dlclose since the last
 *     look, and after rw_symbolize_reset().
 *
 *   - A code address becomes frames, innermost first.  The CU holding the
 *     pc (dwfl_module_addrdie) gives the innermost scope around it
 *     (dwarf_getscopes) and that DIE's parents (dwarf_getscopes_die):
 *     each DW_TAG_inlined_subroutine among them is a frame whose
 *     caller's file:line is the inlined DIE's DW_AT_call_file/call_line;
 *     the enclosing DW_TAG_subprogram is the last, real frame.  The
 *     innermost frame's file:line comes from the line table.  Without
 *     DWARF the ELF symbol table still names the function; without a
 *     symbol the frame is just module+offset.
 *
 *   - A data address becomes the ELF symbol whose [st_value, +st_size)
 *     holds it (globals and file- or function-local statics; .symtab when
 *     present, else .dynsym).
 *
 * Debug information is read from the module's own file or, by build-id,
 * from /usr/lib/debug/.build-id/ (Debian's -dbg/-dbgsym packages).  The
 * .gnu_debuglink path search and debuginfod are deliberately not used: no
 * network traffic or long searches from inside the program under test.
 *
 * libdw is not thread-safe, so one mutex serializes everything.  A
 * thread-local flag turns a re-entrant call (a signal handler, or a
 * report raised from inside libdw's own calls) into an "unknown" answer
 * instead of a self-deadlock.  The runtime's interceptors pass through
 * while we are inside, so libdw's malloc/open/read are the real ones.
 * Nothing here prints; every failure gives the unknown-frame form. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE             /* dl_iterate_phdr (meson passes it too) */
#endif
#include "runtime/symbolize.h"
#include "detector/alloc.h"
#include "runtime/runtime_fds.h"

#include <dwarf.h>
#include <fcntl.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <gelf.h>
#include <limits.h>
#include <link.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

/* libdw is opened on the first need, not linked: linked, it and what it
 * needs (libelf, libz, liblzma, libbz2) were mapped and relocated at every
 * start of every process, reported or not.  Each libdw/libdwfl function
 * used here is called through a pointer of its own type, found by dlsym
 * once libdw is open; the names below stand for those pointers.  If libdw
 * cannot be opened every answer is the unknown form.
 *
 * When: rw_symbolize_prepare(), which the runtime calls before a process
 * gets its second thread (the pthread_create interceptor) and at the
 * start of every report, before it takes any lock of its own.  The dlopen
 * takes the loader's lock, and a thread inside dlopen (a library's
 * constructor) may be waiting for one of our locks, the sink's or
 * sym_lock, for its own report: a dlopen under those locks could wait for
 * it for ever.  With one thread there is nobody to wait for (the loader's
 * lock is recursive), so the fallback in report_modules, under sym_lock,
 * is reached only by a single-threaded process or a caller that did not
 * prepare.  The caller marks itself inside the runtime first, so our
 * interceptors pass the loader's calls through, as they do libdw's own. */
#define RW_LIBDW_FUNCTIONS(X)                                                   \
    X(dwarf_attr) X(dwarf_diename) X(dwarf_filesrc) X(dwarf_formstring)         \
    X(dwarf_formudata) X(dwarf_getscopes) X(dwarf_getscopes_die)                \
    X(dwarf_getsrcfiles) X(dwarf_lowpc) X(dwarf_tag) X(dwfl_addrmodule)         \
    X(dwfl_begin) X(dwfl_build_id_find_debuginfo) X(dwfl_line_comp_dir)         \
    X(dwfl_lineinfo) X(dwfl_linux_proc_find_elf) X(dwfl_module_addrdie)         \
    X(dwfl_module_addrinfo) X(dwfl_module_getelf) X(dwfl_module_getsrc)         \
    X(dwfl_module_info) X(dwfl_report_begin) X(dwfl_report_end)                 \
    X(dwfl_report_module)

struct libdw_functions {
#define RW_LIBDW_POINTER(name) __typeof__(&name) name;
    RW_LIBDW_FUNCTIONS(RW_LIBDW_POINTER)
#undef RW_LIBDW_POINTER
};
static struct libdw_functions libdw;    /* set once, under sym_lock */
/* 0 not tried, 1 open, -1 failed: written under sym_lock, read anywhere */
static int libdw_state;

/* dlopen libdw and find every function into *out; 0 if any is missing. */
static int libdw_find(struct libdw_functions *out)
{
    void *h = dlopen("libdw.so.1", RTLD_NOW | RTLD_LOCAL);
    if (h == NULL)
        return 0;
#define RW_LIBDW_FIND(name)                                                     \
    if ((*(void **)&out->name = dlsym(h, #name)) == NULL)                       \
        return 0;
    RW_LIBDW_FUNCTIONS(RW_LIBDW_FIND)
#undef RW_LIBDW_FIND
    return 1;
}

/* Publish what libdw_find found (sym_lock held); the first one wins. */
static void libdw_publish(int found, const struct libdw_functions *fns)
{
    if (libdw_state != 0)
        return;
    if (found)
        libdw = *fns;
    __atomic_store_n(&libdw_state, found ? 1 : -1, __ATOMIC_RELEASE);
}

/* Under sym_lock: is libdw usable?  Opens it here only if nobody
 * prepared (see above). */
static int libdw_open(void)
{
    if (libdw_state == 0) {
        struct libdw_functions fns;
        libdw_publish(libdw_find(&fns), &fns);
    }
    return libdw_state > 0;
}

#define dwarf_attr (*libdw.dwarf_attr)
#define dwarf_diename (*libdw.dwarf_diename)
#define dwarf_filesrc (*libdw.dwarf_filesrc)
#define dwarf_formstring (*libdw.dwarf_formstring)
#define dwarf_formudata (*libdw.dwarf_formudata)
#define dwarf_getscopes (*libdw.dwarf_getscopes)
#define dwarf_getscopes_die (*libdw.dwarf_getscopes_die)
#define dwarf_getsrcfiles (*libdw.dwarf_getsrcfiles)
#define dwarf_lowpc (*libdw.dwarf_lowpc)
#define dwarf_tag (*libdw.dwarf_tag)
#define dwfl_addrmodule (*libdw.dwfl_addrmodule)
#define dwfl_begin (*libdw.dwfl_begin)
#define dwfl_build_id_find_debuginfo (*libdw.dwfl_build_id_find_debuginfo)
#define dwfl_line_comp_dir (*libdw.dwfl_line_comp_dir)
#define dwfl_lineinfo (*libdw.dwfl_lineinfo)
#define dwfl_linux_proc_find_elf (*libdw.dwfl_linux_proc_find_elf)
#define dwfl_module_addrdie (*libdw.dwfl_module_addrdie)
#define dwfl_module_addrinfo (*libdw.dwfl_module_addrinfo)
#define dwfl_module_getelf (*libdw.dwfl_module_getelf)
#define dwfl_module_getsrc (*libdw.dwfl_module_getsrc)
#define dwfl_module_info (*libdw.dwfl_module_info)
#define dwfl_report_begin (*libdw.dwfl_report_begin)
#define dwfl_report_end (*libdw.dwfl_report_end)
#define dwfl_report_module (*libdw.dwfl_report_module)

static pthread_mutex_t sym_lock = PTHREAD_MUTEX_INITIALIZER;
static Dwfl *sym_dwfl;          /* guarded by sym_lock */
static int sym_stale;           /* re-report before the next lookup */
static char sym_main_path[PATH_MAX] RW_LARGE_BSS;    /* the main program's module name */
static __thread int sym_busy __attribute__((tls_model("initial-exec")));

/* Dwfl_Callbacks.find_elf: open a module's file, close-on-exec (the
 * program's own children must not inherit our descriptors).  The main
 * program is read through /proc/self/exe, the file actually running even
 * if its path was since replaced or deleted.  The vDSO ("[vdso: PID]")
 * is read from memory by the stock callback. */
static int find_elf_self(Dwfl_Module *mod, void **userdata,
                         const char *name, Dwarf_Addr base,
                         char **file_name, Elf **elfp)
{
    if (name[0] != '/')
        return dwfl_linux_proc_find_elf(mod, userdata, name, base,
                                        file_name, elfp);
    int fd = -1;
    if (strcmp(name, sym_main_path) == 0)
        fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        fd = open(name, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat st;             /* never a device: it could block */
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return -1;
    }
    *file_name = strdup(name);  /* NULL is tolerated */
    return rw_fd_out_of_the_way(fd); /* libdwfl keeps it open */
}

/* The C library's own modules.  Their separate debug files (libc6-dbg)
 * are large: reading libc's takes about 100 ms, which would be most of a
 * deadlock report's latency, for frames a Go-format report hides or shows
 * by name anyway.  So once rw_symbolize_names_only_for_libc() is called
 * (before a fatal report) their symbol tables alone name their frames;
 * race reports, which print them with file and line, read the debug file. */
static int libc_names_only;

void rw_symbolize_names_only_for_libc(void)
{
    libc_names_only = 1;
}

static int glibc_module(const char *name)
{
    static const char *const prefixes[] = {
        "libc.so", "ld-linux", "libpthread.so", "libm.so", "libdl.so", "librt.so",
    };
    const char *base = name ? strrchr(name, '/') : NULL;
    base = base ? base + 1 : name;
    if (!base)
        return 0;
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (!strncmp(base, prefixes[i], strlen(prefixes[i])))
            return 1;
    return 0;
}

/* Dwfl_Callbacks.find_debuginfo: separate debug info by build-id only,
 * under /usr/lib/debug/.build-id (see above; dwfl_standard_find_debuginfo
 * would also search by .gnu_debuglink and ask debuginfod). */
static int find_debuginfo_local(Dwfl_Module *mod, void **userdata,
                                const char *modname, Dwarf_Addr base,
                                const char *file_name,
                                const char *debuglink_file,
                                GElf_Word debuglink_crc,
                                char **debuginfo_file_name)
{
    if (libc_names_only && (glibc_module(modname) || glibc_module(file_name)))
        return -1;
    int fd = dwfl_build_id_find_debuginfo(mod, userdata, modname, base,
                                          file_name, debuglink_file,
                                          debuglink_crc, debuginfo_file_name);
    return rw_fd_out_of_the_way(fd); /* close-on-exec too */
}

static const Dwfl_Callbacks sym_callbacks = {
    .find_elf = find_elf_self,
    .find_debuginfo = find_debuginfo_local,
    .section_address = NULL,
    .debuginfo_path = NULL,     /* default: ":.debug:/usr/lib/debug" */
};

static void copy_str(char *dst, size_t n, const char *src)
{
    if (n == 0)
        return;
    if (src == NULL)
        src = "";
    size_t len = strlen(src);
    if (len >= n)
        len = n - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
}

/* Take the lock unless this thread already holds it (re-entry). */
static int sym_enter(void)
{
    if (sym_busy)
        return 0;
    sym_busy = 1;
    pthread_mutex_lock(&sym_lock);
    return 1;
}

static void sym_exit(void)
{
    pthread_mutex_unlock(&sym_lock);
    sym_busy = 0;
}

void rw_symbolize_prepare(void)
{
    if (__atomic_load_n(&libdw_state, __ATOMIC_ACQUIRE) != 0 || sym_busy)
        return;
    struct libdw_functions fns;
    int found = libdw_find(&fns);  /* no lock of ours held */
    if (!sym_enter())
        return;
    libdw_publish(found, &fns);
    sym_exit();
}

/* ---- the module list ----------------------------------------------
 *
 * Modules are the objects the dynamic loader has mapped, as listed by
 * dl_iterate_phdr: for each, a Dwfl_Module named by its path and spanning
 * its PT_LOAD segments, p_memsz included (so all of .bss, which
 * /proc/self/maps shows only partly, as anonymous memory).  The ELF file
 * is opened lazily by find_elf_self; dwfl_linux_proc_find_elf reads the
 * vDSO (named "[vdso: PID]") from /proc/PID/mem.  /proc is used only for
 * that and for /proc/self/exe, the main program.
 *
 * Why not dwfl_linux_proc_report: it reports every file mapping in
 * /proc/self/maps, and libelf maps the files it reads (the module files
 * and their debug files) privately into this very process.  Each re-report
 * then saw those copies as new modules, opened them (one more fd and
 * mapping each), and so on: measured here, some 3.7 fds and mappings
 * leaked per re-report.  The loader's list has only real modules, needs
 * no /proc, and costs microseconds.
 *
 * dl_iterate_phdr takes the loader's dl_load_write_lock, which glibc holds
 * only while it edits its list (never while running constructors), so
 * taking it under sym_lock cannot deadlock with a thread reporting a race
 * from a constructor inside dlopen. */

static void cache_clear(void);

static unsigned long long sym_adds, sym_subs;  /* loader counters seen */
static int sym_have_counts;

struct report_ctx {
    int first;                  /* the first entry is the main program */
    uintptr_t vdso;             /* AT_SYSINFO_EHDR */
};

/* Absolute path of the main program (dl_iterate_phdr names it ""). */
static void main_program_path(char *buf, size_t len)
{
    ssize_t n = readlink("/proc/self/exe", buf, len - 1);
    if (n > 0) {
        buf[n] = '\0';
        return;
    }
    const char *fn = (const char *)getauxval(AT_EXECFN);
    if (fn == NULL || len < PATH_MAX || realpath(fn, buf) == NULL)
        copy_str(buf, len, fn);
}

static int report_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
    struct report_ctx *c = arg;
    int first = c->first;
    c->first = 0;
    if (size >= offsetof(struct dl_phdr_info, dlpi_subs)
                + sizeof info->dlpi_subs) {
        sym_adds = info->dlpi_adds;
        sym_subs = info->dlpi_subs;
        sym_have_counts = 1;
    }

    /* The span libdwfl expects: it takes the load bias to be low_addr
     * minus the first PT_LOAD's p_vaddr rounded down to its p_align. */
    Dwarf_Addr low = 0, high = 0;
    int seen = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD)
            continue;
        if (!seen) {
            Dwarf_Addr align = ph->p_align > 1 ? ph->p_align : 1;
            low = info->dlpi_addr + (ph->p_vaddr & -align);
            seen = 1;
        }
        if (info->dlpi_addr + ph->p_vaddr + ph->p_memsz > high)
            high = info->dlpi_addr + ph->p_vaddr + ph->p_memsz;
    }
    if (!seen || high <= low)
        return 0;

    char path[PATH_MAX + 32];
    const char *name = info->dlpi_name;
    if (c->vdso != 0 && low == c->vdso) {
        snprintf(path, sizeof path, "[vdso: %d]", (int)getpid());
        name = path;
    } else if (first && (name == NULL || name[0] == '\0')) {
        main_program_path(sym_main_path, sizeof sym_main_path);
        name = sym_main_path;
    } else if (name == NULL || name[0] == '\0') {
        return 0;                       /* nameless and not ours to open */
    } else if (name[0] != '/' && realpath(name, path) != NULL) {
        name = path;                    /* dlopen("./x.so"): best effort */
    }
    (void)dwfl_report_module(sym_dwfl, name, low, high);
    return 0;
}

/* (Re)build the module list.  Modules still loaded at the same place keep
 * their cached ELF/DWARF; the others are dropped.  Lock held. */
static void report_modules(void)
{
    if (sym_dwfl == NULL) {
        if (!libdw_open())
            return;
        sym_dwfl = dwfl_begin(&sym_callbacks);
        if (sym_dwfl == NULL)
            return;
    }
    struct report_ctx c = { 1, (uintptr_t)getauxval(AT_SYSINFO_EHDR) };
    dwfl_report_begin(sym_dwfl);
    dl_iterate_phdr(report_cb, &c);
    (void)dwfl_report_end(sym_dwfl, NULL, NULL);
    sym_stale = 0;
    cache_clear();
}

static int counts_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
    int *changed = arg;
    if (size >= offsetof(struct dl_phdr_info, dlpi_subs)
                + sizeof info->dlpi_subs)
        *changed = info->dlpi_adds != sym_adds || info->dlpi_subs != sym_subs;
    return 1;                           /* the first entry is enough */
}

/* Has anything been loaded or unloaded since the last report? */
static int modules_changed(void)
{
    int changed = 1;
    if (sym_have_counts)
        dl_iterate_phdr(counts_cb, &changed);
    return changed;
}

/* The module holding addr.  The list is re-reported first if the loader's
 * changed since (dlopen, dlclose: checking costs one short
 * dl_iterate_phdr call), so a stale module is never used.  Lock held. */
static Dwfl_Module *find_module(Dwarf_Addr addr)
{
    if (sym_dwfl == NULL || sym_stale || modules_changed())
        report_modules();
    if (sym_dwfl == NULL)
        return NULL;
    return dwfl_addrmodule(sym_dwfl, addr);
}

/* Module path (as the loader named it; "[vdso: PID]" for the vDSO) and load
 * bias.  If the module's ELF cannot be read, its lowest mapped address
 * stands in for the bias (the same thing for a PIE or a shared library). */
static void module_desc(Dwfl_Module *mod, char *path, size_t pathlen,
                        GElf_Addr *bias)
{
    Dwarf_Addr low = 0;
    const char *name = dwfl_module_info(mod, NULL, &low, NULL, NULL, NULL,
                                        NULL, NULL);
    copy_str(path, pathlen, name);
    if (dwfl_module_getelf(mod, bias) == NULL)
        *bias = low;
}

static void unknown_frame(rw_frame *f, uintptr_t pc)
{
    memset(f, 0, sizeof *f);
    f->module_offset = pc;      /* no module: bias 0 */
}

/* Remove "." and "dir/.." components and doubled slashes from an absolute
 * path, in place (lexically: for display, as the compiler wrote it). */
static void clean_abs_path(char *p)
{
    size_t o = 0;
    const char *r = p;
    while (*r != '\0') {
        while (*r == '/')
            r++;
        if (*r == '\0')
            break;
        const char *e = strchr(r, '/');
        size_t len = e != NULL ? (size_t)(e - r) : strlen(r);
        if (len == 1 && r[0] == '.') {
            /* drop */
        } else if (len == 2 && r[0] == '.' && r[1] == '.') {
            while (o > 0 && p[o - 1] != '/')
                o--;
            if (o > 0)
                o--;
        } else {
            /* o <= r - p: the write position never passes the read one. */
            p[o++] = '/';
            memmove(p + o, r, len);
            o += len;
        }
        r += len;
    }
    if (o == 0)
        p[o++] = '/';
    p[o] = '\0';
}

/* A source path as the line table gives it, made absolute with the CU's
 * compilation directory when that is known. */
static void source_path(char *dst, size_t n, const char *file,
                        const char *comp_dir)
{
    if (file == NULL) {
        copy_str(dst, n, "");
        return;
    }
    size_t cl = comp_dir ? strlen(comp_dir) : 0;
    if (file[0] == '/' || cl == 0 ||
        /* a relative build directory the path already starts with
         * (Debian's glibc: "./nptl" and "./nptl/pthread_create.c") */
        (comp_dir[0] != '/' && !strncmp(file, comp_dir, cl) && file[cl] == '/')) {
        copy_str(dst, n, file);
    } else {
        int slash = comp_dir[cl - 1] != '/';
        if (n == 0)
            return;
        /* truncation is harmless: the buffer is always terminated */
        snprintf(dst, n, "%s%s%s", comp_dir, slash ? "/" : "", file);
    }
    if (dst[0] == '/')
        clean_abs_path(dst);
}

/* Name of a (possibly abstract-origin) function DIE, NULL if none. */
static const char *die_func_name(Dwarf_Die *die)
{
    return dwarf_diename(die);  /* follows DW_AT_abstract_origin */
}

/* DW_AT_call_file / DW_AT_call_line of an inlined_subroutine DIE. */
static void call_site(Dwarf_Die *inl, Dwarf_Files *files, size_t nfiles,
                      const char **file, int *line)
{
    Dwarf_Attribute attr;
    Dwarf_Word v;
    *file = NULL;
    *line = 0;
    if (files != NULL
        && dwarf_formudata(dwarf_attr(inl, DW_AT_call_file, &attr), &v) == 0
        && v < nfiles)
        *file = dwarf_filesrc(files, v, NULL, NULL);
    if (dwarf_formudata(dwarf_attr(inl, DW_AT_call_line, &attr), &v) == 0)
        *line = (int)v;
}

/* Fill frames for a pc with DWARF scopes.  Returns the number of frames
 * written (0 if the pc has no enclosing subprogram in the DWARF). */
static int dwarf_frames(Dwfl_Module *mod, Dwarf_Addr lookup,
                        const rw_frame *proto, rw_frame *frames, int max,
                        Dwarf_Addr *entry_out, int *has_entry)
{
    Dwarf_Addr cubias;
    Dwarf_Die *cu = dwfl_module_addrdie(mod, lookup, &cubias);
    *has_entry = 0;
    if (cu == NULL)
        return 0;
    /* dwarf_getscopes climbs from an inlined_subroutine into the scopes
     * of its abstract origin, so take only its innermost DIE and walk that
     * DIE's real parents (as eu-addr2line -i does). */
    Dwarf_Die *scopes = NULL;
    int nscopes = dwarf_getscopes(cu, lookup - cubias, &scopes);
    if (nscopes <= 0) {
        free(scopes);
        return 0;
    }
    Dwarf_Die innermost = scopes[0];
    free(scopes);
    scopes = NULL;
    nscopes = dwarf_getscopes_die(&innermost, &scopes);
    if (nscopes <= 0) {
        free(scopes);
        return 0;
    }
    /* The real function: the innermost subprogram around the pc. */
    int sub = -1;
    for (int i = 0; i < nscopes; i++)
        if (dwarf_tag(&scopes[i]) == DW_TAG_subprogram) {
            sub = i;
            break;
        }
    if (sub < 0) {
        free(scopes);
        return 0;
    }
    Dwarf_Addr low;
    if (dwarf_lowpc(&scopes[sub], &low) == 0 && low + cubias <= lookup) {
        *entry_out = low + cubias;
        *has_entry = 1;
    }

    Dwarf_Files *files = NULL;
    size_t nfiles = 0;
    if (dwarf_getsrcfiles(cu, &files, &nfiles) != 0)
        files = NULL;

    Dwarf_Attribute attr;
    const char *cu_dir = dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir,
                                                     &attr));

    /* Frame 0's location comes from the line table. */
    const char *file = NULL, *dir = NULL;
    int line = 0;
    Dwfl_Line *l = dwfl_module_getsrc(mod, lookup);
    if (l != NULL) {
        file = dwfl_lineinfo(l, NULL, &line, NULL, NULL, NULL);
        dir = dwfl_line_comp_dir(l);
    }

    int n = 0;
    for (int i = 0; i <= sub && n < max; i++) {
        int tag = dwarf_tag(&scopes[i]);
        if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_subprogram)
            continue;
        rw_frame *f = &frames[n++];
        *f = *proto;
        copy_str(f->function, sizeof f->function, die_func_name(&scopes[i]));
        source_path(f->file, sizeof f->file, file, dir);
        f->line = line;
        f->inlined = tag == DW_TAG_inlined_subroutine;
        /* The next (outer) frame is where this one was inlined. */
        if (tag == DW_TAG_inlined_subroutine) {
            call_site(&scopes[i], files, nfiles, &file, &line);
            dir = cu_dir;
        }
    }
    free(scopes);
    return n;
}

/* Symbolize pc in mod into frames[0..max).  Lock held. */
static int symbolize_in_module(Dwfl_Module *mod, uintptr_t pc,
                               Dwarf_Addr lookup, rw_frame *frames, int max)
{
    rw_frame proto;
    memset(&proto, 0, sizeof proto);
    GElf_Addr bias;
    module_desc(mod, proto.module, sizeof proto.module, &bias);
    proto.module_offset = pc - bias;

    /* ELF symbol: a name when there is no DWARF, and the entry for
     * functions DWARF gives no single low_pc (hot/cold split). */
    GElf_Off symoff = 0;
    GElf_Sym sym;
    const char *symname = dwfl_module_addrinfo(mod, lookup, &symoff, &sym,
                                               NULL, NULL, NULL);
    if (symname != NULL) {
        int t = GELF_ST_TYPE(sym.st_info);
        if ((t != STT_FUNC && t != STT_GNU_IFUNC && t != STT_NOTYPE)
            || (sym.st_size != 0 && symoff >= sym.st_size))
            symname = NULL;
    }

    Dwarf_Addr entry = 0;
    int has_entry = 0;
    int n = dwarf_frames(mod, lookup, &proto, frames, max, &entry,
                         &has_entry);
    if (n == 0) {
        /* No DWARF for this pc: the symbol table and line table only. */
        n = 1;
        frames[0] = proto;
        copy_str(frames[0].function, sizeof frames[0].function, symname);
        Dwfl_Line *l = dwfl_module_getsrc(mod, lookup);
        int line = 0;
        const char *file = l ? dwfl_lineinfo(l, NULL, &line, NULL, NULL,
                                             NULL) : NULL;
        if (file != NULL) {
            source_path(frames[0].file, sizeof frames[0].file, file,
                        dwfl_line_comp_dir(l));
            frames[0].line = line;
        }
    } else if (frames[n - 1].function[0] == '\0' && !frames[n - 1].inlined) {
        copy_str(frames[n - 1].function, sizeof frames[n - 1].function,
                 symname);
    }
    if (!has_entry && symname != NULL) {
        entry = lookup - symoff;
        has_entry = 1;
    }
    if (has_entry && entry <= pc)
        for (int i = 0; i < n; i++) {
            frames[i].func_offset = pc - entry;
            frames[i].has_func_offset = 1;
        }
    return n;
}

/* ---- result cache ---------------------------------------------------
 *
 * The same pcs come back report after report (start_thread, the lines
 * that create threads, the racy loop itself), and one lookup walks a CU's
 * DIE tree and the symbol table: about 20-40 us in a small program and
 * 0.4 ms in libc with its debug info.  A small direct-mapped cache of
 * finished answers makes repeats a copy.  It is allocated on first use
 * and emptied whenever the module list is re-reported. */
enum { SYM_CACHE_SIZE = 64, SYM_CACHE_FRAMES = 4, SYM_MAX_FRAMES = 16 };

struct sym_cache_entry {
    uintptr_t pc;
    int is_return_address;
    int n;                      /* 0: empty */
    rw_frame frames[SYM_CACHE_FRAMES];
};

static struct sym_cache_entry *sym_cache;      /* guarded by sym_lock */
static rw_frame sym_scratch[SYM_MAX_FRAMES] RW_LARGE_BSS;   /* guarded by sym_lock */

static void cache_clear(void)
{
    if (sym_cache != NULL)
        for (int i = 0; i < SYM_CACHE_SIZE; i++)
            sym_cache[i].n = 0;
}

static struct sym_cache_entry *cache_slot(uintptr_t pc, int is_ret)
{
    if (sym_cache == NULL) {
        sym_cache = calloc(SYM_CACHE_SIZE, sizeof *sym_cache);
        if (sym_cache == NULL)
            return NULL;
    }
    uint64_t h = ((uint64_t)pc * 2 + (is_ret != 0)) * 0x9e3779b97f4a7c15ull;
    return &sym_cache[h >> 58];         /* top 6 bits: 64 slots */
}

int rw_symbolize_pc(uintptr_t pc, int is_return_address, rw_frame *frames,
                    int max)
{
    if (frames == NULL || max < 1)
        return 0;
    unknown_frame(&frames[0], pc);
    if (!sym_enter())
        return 1;

    is_return_address = is_return_address != 0;
    Dwarf_Addr lookup = is_return_address && pc > 0 ? pc - 1 : pc;
    int n = 1;
    Dwfl_Module *mod = find_module(lookup);    /* may empty the cache */
    if (mod == NULL)
        goto out;

    const rw_frame *res;
    struct sym_cache_entry *e = cache_slot(pc, is_return_address);
    if (e != NULL && e->n > 0 && e->pc == pc
        && e->is_return_address == is_return_address) {
        n = e->n;
        res = e->frames;
    } else {
        n = symbolize_in_module(mod, pc, lookup, sym_scratch, SYM_MAX_FRAMES);
        res = sym_scratch;
        if (e != NULL && n <= SYM_CACHE_FRAMES) {
            e->pc = pc;
            e->is_return_address = is_return_address;
            e->n = n;
            memcpy(e->frames, sym_scratch, (size_t)n * sizeof *sym_scratch);
        }
    }
    if (n > max)
        n = max;                        /* the innermost ones */
    memcpy(frames, res, (size_t)n * sizeof *frames);
out:
    sym_exit();
    return n;
}

int rw_symbolize_data(uintptr_t addr, char *name, size_t namelen,
                      uintptr_t *start, size_t *size,
                      char *module, size_t modlen, uintptr_t *module_offset)
{
    if (name != NULL)
        copy_str(name, namelen, "");
    if (module != NULL)
        copy_str(module, modlen, "");
    if (start != NULL)
        *start = 0;
    if (size != NULL)
        *size = 0;
    if (module_offset != NULL)
        *module_offset = addr;
    if (!sym_enter())
        return 0;

    int found = 0;
    Dwfl_Module *mod = find_module(addr);
    if (mod == NULL)
        goto out;
    GElf_Addr bias;
    if (module != NULL)
        module_desc(mod, module, modlen, &bias);
    else {
        char path[16];
        module_desc(mod, path, sizeof path, &bias);
    }
    if (module_offset != NULL)
        *module_offset = addr - bias;

    GElf_Off off = 0;
    GElf_Sym sym;
    const char *sname = dwfl_module_addrinfo(mod, addr, &off, &sym,
                                             NULL, NULL, NULL);
    if (sname == NULL || sname[0] == '\0')
        goto out;
    int t = GELF_ST_TYPE(sym.st_info);
    if (t != STT_OBJECT && t != STT_COMMON && t != STT_NOTYPE)
        goto out;
    if (off >= sym.st_size)    /* sizeless labels never "contain" data */
        goto out;
    if (name != NULL)
        copy_str(name, namelen, sname);
    if (start != NULL)
        *start = addr - off;
    if (size != NULL)
        *size = sym.st_size;
    found = 1;
out:
    sym_exit();
    return found;
}

void rw_symbolize_reset(void)
{
    if (!sym_enter())
        return;
    sym_stale = 1;
    sym_exit();
}

/* Fork: hold the lock across fork() so the child never inherits it taken
 * by a thread that does not exist there.  If this thread is itself inside
 * the symbolizer (fork from a signal handler), the lock is already ours. */
static int sym_fork_locked;

void rw_symbolize_fork_prepare(void)
{
    sym_fork_locked = sym_enter();
}

void rw_symbolize_fork_parent(void)
{
    if (sym_fork_locked) {
        sym_fork_locked = 0;
        sym_exit();
    }
}

void rw_symbolize_fork_child(void)
{
    if (sym_fork_locked) {
        sym_fork_locked = 0;
        pthread_mutex_init(&sym_lock, NULL);
        sym_busy = 0;
    }
    sym_stale = 1;      /* new pid: the vDSO module's name holds it */
}
