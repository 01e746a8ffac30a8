/* cli_write.c - the one way the CLI replaces a file (--fix's mended net,
 * --svg's picture): written whole to a temporary file beside the target,
 * synced, and renamed over it, so that a failed write leaves the target
 * as it was and no temporary file behind. */
#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *cli_file_kind(mode_t m)
{
    if (S_ISREG(m)) return NULL;
    if (S_ISDIR(m)) return "a directory";
    if (S_ISFIFO(m)) return "a FIFO (named pipe)";
    if (S_ISCHR(m)) return "a character device";
    if (S_ISBLK(m)) return "a block device";
    if (S_ISSOCK(m)) return "a socket";
    return "not a regular file";
}

/* Writes len bytes to fd, again after EINTR; 0, or -1 with errno set. */
static int write_all(int fd, const char *text, size_t len)
{
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, text + done, len - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        done += (size_t)w;
    }
    return 0;
}

/* The temporary file gets the target's owner and group (when they are not
 * already its own: a user may always write a file as themselves), then
 * `mode`: chown clears set-id bits, so the mode comes after. Returns 0,
 * CLI_REPLACE_OWNER when the owner cannot be kept, -1 on another error. */
static int set_owner_and_mode(int fd, mode_t mode, const struct stat *was)
{
    struct stat tmp;
    if (was && fstat(fd, &tmp) != 0) return -1;
    if (was && (tmp.st_uid != was->st_uid || tmp.st_gid != was->st_gid) && fchown(fd, was->st_uid, was->st_gid) != 0)
        return CLI_REPLACE_OWNER;
    return fchmod(fd, mode) == 0 ? 0 : -1;
}

/* Whether `real` is still the file `was` describes: not another one put
 * in its place since (an editor that saves by rename). */
static bool still_the_file(const char *real, const struct stat *was)
{
    struct stat now;
    return stat(real, &now) == 0 && now.st_dev == was->st_dev && now.st_ino == was->st_ino;
}

int cli_replace_file(const char *real, const char *text, size_t len, mode_t mode, const struct stat *was)
{
    size_t n = strlen(real);
    char *tmp = malloc(n + 16);
    if (!tmp) {
        errno = ENOMEM;
        return CLI_REPLACE_NOMEM;
    }
    snprintf(tmp, n + 16, "%s.probeXXXXXX", real);
    int fd = mkstemp(tmp);
    int rc = fd < 0 ? -1 : write_all(fd, text, len);
    if (rc == 0) rc = set_owner_and_mode(fd, mode, was);
    if (rc == 0 && fsync(fd) != 0) rc = -1;
    int saved = errno;
    if (fd >= 0 && close(fd) != 0 && rc == 0) { rc = -1; saved = errno; }
    if (rc == 0 && was && !still_the_file(real, was)) rc = CLI_REPLACE_CHANGED;
    if (rc == 0 && rename(tmp, real) != 0) { rc = -1; saved = errno; }
    if (rc != 0 && fd >= 0) unlink(tmp);
    free(tmp);
    errno = saved;
    return rc;
}
