/*
 * fuzz_cli.c - libFuzzer target: the whole command line, cli_main(), on an
 * argument vector made from the input.
 *
 * The input is the arguments, one per line ('\n'; at most 64). They go to
 * cli_main() as they are -- any option, any value, repeated, in any order
 * -- with three exceptions that keep the fuzzer inside its sandbox:
 *   - an argument holding '/' is dropped: every file probe may read or
 *     --fix may write is in a scratch directory made here, the working
 *     directory of the run (so a glob such as '*' expands there);
 *   - --plugin is dropped: it would load code;
 *   - standard input is /dev/null, so '--net -' reads an empty net.
 * The scratch directory holds the example nets (the .cfg files of probes/, read from
 * the repository at start-up), a PixelShuffle net whose --fix must write an
 * input line, a symbolic link to a net, a link to a missing file, an empty
 * file, a file of bytes that are not UTF-8 and a directory. Every file is
 * written anew before each run, and whatever a run left (a --fix's
 * temporary file) is removed, so that --fix always has work and inputs
 * replay alike. Standard output and error go to /dev/null during a run.
 *
 * The same function runs without libFuzzer in replay.c (make hostile).
 */
#define _DEFAULT_SOURCE     /* symlink, mkdtemp */
#include <dirent.h>
#include <fcntl.h>
#include <glob.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAX_ARGS = 64, MAX_FILES = 32 };

typedef struct file { char name[64]; char *text; size_t len; } file;

static struct sandbox {
    char dir[64];
    file files[MAX_FILES];
    int nfiles;
    int devnull;
    int report_fd;      /* the original standard error, for sanitizer reports */
    int home;           /* the working directory to return to after a run */
} box;

/* Where ASan and UBSan write their reports; only in a sanitizer build. */
void __sanitizer_set_report_fd(void *fd) __attribute__((weak));

static void add_file(const char *name, const char *text, size_t len)
{
    if (box.nfiles == MAX_FILES) return;
    file *f = &box.files[box.nfiles++];
    snprintf(f->name, sizeof f->name, "%s", name);
    if (!(f->text = malloc(len ? len : 1))) abort();
    memcpy(f->text, text, len);
    f->len = len;
}

/* The example nets, read once from the repository (the working directory
 * of make fuzz and make hostile). */
static void read_examples(void)
{
    glob_t g;
    if (glob("probes/*.cfg", 0, NULL, &g) != 0) return;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        size_t len = 0;
        char *text = cli_read_file(g.gl_pathv[i], &len);
        if (!text) continue;
        add_file(strrchr(g.gl_pathv[i], '/') + 1, text, len);
        free(text);
    }
    globfree(&g);
}

static void empty_dir(void);

/* The scratch directory goes when the process ends. */
static void clean_up(void)
{
    empty_dir();
    rmdir(box.dir);
}

static void set_up(void)
{
    static const char shuffle[] = "nn.PixelShuffle(2)\nnn.Conv2d(4, 8, 3)\nnn.Flatten()\nnn.Linear(10, 2)\n";
    static const char not_utf8[] = "nn.Conv2d(3, 8, 3)  # caf\xe9\n\xff\xfe\n";
    read_examples();
    add_file("shuffle.cfg", shuffle, sizeof shuffle - 1);
    add_file("not_utf8.cfg", not_utf8, sizeof not_utf8 - 1);
    add_file("empty.cfg", "", 0);
    snprintf(box.dir, sizeof box.dir, "/tmp/probe-fuzz-cli.XXXXXX");
    if (!mkdtemp(box.dir) || (box.home = open(".", O_RDONLY | O_DIRECTORY)) < 0) abort();
    if ((box.devnull = open("/dev/null", O_RDWR)) < 0 || dup2(box.devnull, STDIN_FILENO) < 0) abort();
    /* probe's own messages go to /dev/null during a run, a sanitizer's
     * report to the real standard error */
    if ((box.report_fd = dup(STDERR_FILENO)) < 0) abort();
    if (__sanitizer_set_report_fd) __sanitizer_set_report_fd((void *)(intptr_t)box.report_fd);
    atexit(clean_up);
}

/* Removes everything in the scratch directory (the working directory). */
static void empty_dir(void)
{
    DIR *d = opendir(box.dir);
    if (!d) return;
    for (struct dirent *e; (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        if (unlinkat(dirfd(d), e->d_name, 0) != 0) unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR);
    }
    closedir(d);
}

/* Empties the scratch directory and writes every file anew (in the
 * working directory, which is the scratch directory during a run). */
static void reset_files(void)
{
    empty_dir();
    for (int i = 0; i < box.nfiles; i++) {
        FILE *f = fopen(box.files[i].name, "wb");
        if (!f) abort();
        fwrite(box.files[i].text, 1, box.files[i].len, f);
        fclose(f);
    }
    if (symlink("lenet5.cfg", "link.cfg") != 0 || symlink("missing.cfg", "dangling.cfg") != 0 ||
        mkdir("dir.cfg", 0755) != 0)
        abort();
}

/* Splits data into arguments after "probe"; returns argc. The strings are
 * copies in *buf (caller frees). */
static int make_argv(const uint8_t *data, size_t size, char **argv, char **buf)
{
    int argc = 0;
    argv[argc++] = "probe";
    if (!(*buf = malloc(size + 1))) abort();
    memcpy(*buf, data, size);
    (*buf)[size] = '\0';
    for (char *s = *buf, *end = *buf + size; s <= end && argc < MAX_ARGS;) {
        char *nl = memchr(s, '\n', (size_t)(end - s));
        if (nl) *nl = '\0';
        if (!strchr(s, '/') && strncmp(s, "--plugin", 8) && strlen(s) == (size_t)((nl ? nl : end) - s))
            argv[argc++] = s;
        if (!nl) break;
        s = nl + 1;
    }
    argv[argc] = NULL;
    return argc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!box.dir[0]) set_up();
    if (chdir(box.dir) != 0) abort();
    reset_files();
    char *argv[MAX_ARGS + 1], *buf;
    int argc = make_argv(data, size, argv, &buf);
    fflush(stdout);
    fflush(stderr);
    int out = dup(STDOUT_FILENO), err = dup(STDERR_FILENO);
    if (out < 0 || err < 0 || dup2(box.devnull, STDOUT_FILENO) < 0 || dup2(box.devnull, STDERR_FILENO) < 0) abort();
    int code = cli_main(argc, argv);
    fflush(stdout);
    fflush(stderr);
    if (dup2(out, STDOUT_FILENO) < 0 || dup2(err, STDERR_FILENO) < 0) abort();
    close(out);
    close(err);
    free(buf);
    if (fchdir(box.home) != 0) abort();
    if (code < 0 || code > 2) abort();  /* the exit codes are 0, 1 and 2 */
    return 0;
}
