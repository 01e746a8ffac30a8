/* cli_read.c - a net.cfg read whole, but never more of it than the parser
 * takes: a file, a device or standard input that goes on past the limit is
 * refused as soon as it has, not after gigabytes (/dev/zero never ends). */
#include "cli/cli.h"
#include "cfg/parse.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

_Static_assert(CLI_READ_MAX == PARSE_MAX_TEXT, "the CLI reads what the parser takes");

/* Makes room for more than the *cap bytes *buf holds: doubling, so that a
 * stream of unknown length costs few copies, but never past the limit
 * and one byte (that byte is how a text over the limit is seen). False
 * with errno set when there is no more room to give. */
static bool grow(char **buf, size_t *cap)
{
    if (*cap > CLI_READ_MAX) {
        errno = EFBIG;
        return false;
    }
    size_t want = *cap > CLI_READ_MAX / 2 ? CLI_READ_MAX + 1 : *cap * 2;
    char *p = realloc(*buf, want);
    if (!p) return false;
    *buf = p;
    *cap = want;
    return true;
}

static char *read_fd(int fd, size_t *len)
{
    struct stat st;
    size_t cap = (size_t)1 << 16;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        /* a file known to be too long is refused unread */
        if ((uintmax_t)st.st_size > CLI_READ_MAX) {
            errno = EFBIG;
            return NULL;
        }
        /* all of it at once, and room to see the end (or that it grew) */
        cap = (size_t)st.st_size + 1;
    }
    char *buf = malloc(cap);
    size_t n = 0;
    while (buf) {
        if (n == cap && !grow(&buf, &cap)) break;
        ssize_t got = read(fd, buf + n, cap - n);
        if (got == 0) {
            *len = n;
            return buf;
        }
        if (got > 0) n += (size_t)got;
        else if (errno != EINTR) break;
    }
    int saved = errno;
    free(buf);
    errno = saved;
    return NULL;
}

char *cli_read_file(const char *path, size_t *len)
{
    bool is_stdin = !strcmp(path, "-");
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY);
    if (fd < 0) return NULL;
    char *text = read_fd(fd, len);
    int saved = errno;
    if (!is_stdin) close(fd);
    errno = saved;
    return text;
}

const char *cli_read_why(int err)
{
    /* the message names the limit: "File too large" leaves one guessing */
    _Static_assert(CLI_READ_MAX == (size_t)268435456, "the message below says the limit");
    if (err == EFBIG) return "larger than 256 MiB (268435456 bytes), the most probe reads of a net.cfg";
    return strerror(err);
}
