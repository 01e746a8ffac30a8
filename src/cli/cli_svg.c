/* cli_svg.c - --svg FILE: writes the picture of a run (or a sweep's
 * chart). A picture never harms a file: anything but a regular file (a
 * directory, a FIFO, a device), also behind a symbolic link, is refused
 * before the run; the picture replaces the file as --fix does
 * (cli_replace_file): a failed write leaves the target as it was. */
#define _DEFAULT_SOURCE     /* realpath */
#include "cli/cli.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Whether st is one of the nets probe reads: a picture over it would
 * lose the net. */
static const char *read_net(const cli *c, const struct stat *st)
{
    struct stat net;
    for (int i = 0; i < c->nnets; i++)
        if (strcmp(c->nets[i], "-") && stat(c->nets[i], &net) == 0 && net.st_dev == st->st_dev && net.st_ino == st->st_ino)
            return c->nets[i];
    return NULL;
}

probe_exit cli_svg_check(const cli *c, const char *path)
{
    struct stat st;
    if (!strcmp(path, "-")) return PROBE_EXIT_OK;
    if (!*path) return cli_usage_error("%s", "--svg '': name the file to write (--svg flow.svg), or '-' for standard output");
    /* stat follows links: a link to a directory is a directory here */
    if (stat(path, &st) != 0) return PROBE_EXIT_OK;     /* a new file: the write says what goes wrong */
    const char *kind = cli_file_kind(st.st_mode);
    if (kind) {
        fprintf(stderr, "probe: error: --svg: '%s' is %s, not a regular file; name a file to write (--svg flow.svg), "
                "or '-' for standard output\n", path, kind);
        return PROBE_EXIT_INVALID;
    }
    const char *net = read_net(c, &st);
    if (net) {
        fprintf(stderr, "probe: error: --svg: '%s' is the net probe reads ('%s'); name another file for the picture\n",
                path, net);
        return PROBE_EXIT_INVALID;
    }
    if (st.st_nlink > 1) {
        fprintf(stderr, "probe: error: --svg: '%s' has %ju hard links, and the picture is written as a new file in its "
                "place: the other names would keep the old one; name another file\n", path, (uintmax_t)st.st_nlink);
        return PROBE_EXIT_INVALID;
    }
    return PROBE_EXIT_OK;
}

/* The mode of a new file: 0666 less the umask, as fopen would make it. */
static mode_t new_file_mode(void)
{
    mode_t mask = umask(0);
    umask(mask);
    return 0666 & ~mask;
}

probe_exit cli_svg_write(const cli *c, const char *path, const char *svg)
{
    if (!svg) {
        fprintf(stderr, "probe: error: --svg: out of memory drawing the picture\n");
        return PROBE_EXIT_INVALID;
    }
    if (!strcmp(path, "-")) {
        fputs(svg, stdout);
        return PROBE_EXIT_OK;
    }
    /* check again: the file may have been replaced while the net ran */
    if (cli_svg_check(c, path) != PROBE_EXIT_OK) return PROBE_EXIT_INVALID;
    struct stat st;
    /* through a link, the file it names is replaced, not the link */
    char *real = realpath(path, NULL);
    bool exists = real && stat(real, &st) == 0;
    int rc = cli_replace_file(exists ? real : path, svg, strlen(svg),
                              exists ? st.st_mode & 07777 : new_file_mode(), NULL);
    int saved = errno;
    free(real);
    if (rc == 0) return PROBE_EXIT_OK;
    fprintf(stderr, "probe: error: --svg: cannot write '%s': %s\n", path, strerror(saved));
    return PROBE_EXIT_INVALID;
}
