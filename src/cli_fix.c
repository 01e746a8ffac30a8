/* cli_fix.c - --fix writes the mended net in place, atomically; --diff
 * prints the same change as a unified diff. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Lines of a text, as (start, length with its newline) pairs. */
typedef struct lines {
    size_t *start, *len;
    size_t n;
} lines;

static bool split_lines(const char *t, size_t n, lines *out)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++) count += t[i] == '\n';
    count += n && t[n - 1] != '\n';
    out->start = malloc((count + 1) * sizeof *out->start);
    out->len = malloc((count + 1) * sizeof *out->len);
    out->n = 0;
    if (!out->start || !out->len) return false;
    size_t s = 0;
    for (size_t i = 0; i < n; i++) {
        if (t[i] == '\n') {
            out->start[out->n] = s;
            out->len[out->n++] = i + 1 - s;
            s = i + 1;
        }
    }
    if (s < n) {
        out->start[out->n] = s;
        out->len[out->n++] = n - s;
    }
    return true;
}

static void free_lines(lines *l) { free(l->start); free(l->len); }

static bool line_equal(const char *a, const lines *la, size_t i, const char *b, const lines *lb, size_t j)
{
    return la->len[i] == lb->len[j] && !memcmp(a + la->start[i], b + lb->start[j], la->len[i]);
}

static void put_line(char mark, const char *t, const lines *l, size_t i)
{
    putchar(mark);
    fwrite(t + l->start[i], 1, l->len[i], stdout);
    if (!l->len[i] || t[l->start[i] + l->len[i] - 1] != '\n') fputs("\n\\ No newline at end of file\n", stdout);
}

/* A fix changes numbers within lines, so old and new have the same lines
 * but for the changed ones: hunks of changed lines with 3 lines around. */
static void print_diff(const char *path, const char *a, size_t na, const char *b, size_t nb)
{
    lines la, lb;
    if (!split_lines(a, na, &la) || !split_lines(b, nb, &lb) || la.n != lb.n) {
        free_lines(&la);
        free_lines(&lb);
        fprintf(stderr, "probe: error: --diff: the change moved lines, which a fix never does\n");
        return;
    }
    printf("--- %s\n+++ %s\n", path, path);
    size_t i = 0, n = la.n;
    while (i < n) {
        if (line_equal(a, &la, i, b, &lb, i)) { i++; continue; }
        size_t from = i >= 3 ? i - 3 : 0, to = i, last_change = i;
        while (to < n && to <= last_change + 6) {
            if (!line_equal(a, &la, to, b, &lb, to)) last_change = to;
            to++;
        }
        to = last_change + 4 < n ? last_change + 4 : n;
        printf("@@ -%zu,%zu +%zu,%zu @@\n", from + 1, to - from, from + 1, to - from);
        for (size_t k = from; k < to; k++) {
            if (line_equal(a, &la, k, b, &lb, k)) put_line(' ', a, &la, k);
            else { put_line('-', a, &la, k); put_line('+', b, &lb, k); }
        }
        i = to;
    }
    free_lines(&la);
    free_lines(&lb);
}

/* Writes text over path atomically: a temporary file in the same
 * directory, fsync, then rename, keeping the file's mode. */
static int write_atomic(const char *path, const char *text, size_t len, mode_t mode)
{
    size_t n = strlen(path);
    char *tmp = malloc(n + 16);
    if (!tmp) return -1;
    snprintf(tmp, n + 16, "%s.probeXXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) { free(tmp); return -1; }
    size_t done = 0;
    int rc = 0;
    while (done < len && rc == 0) {
        ssize_t w = write(fd, text + done, len - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) rc = -1;
        else done += (size_t)w;
    }
    if (rc == 0 && fchmod(fd, mode & 07777) != 0) rc = -1;
    if (rc == 0 && fsync(fd) != 0) rc = -1;
    if (close(fd) != 0) rc = -1;
    if (rc == 0 && rename(tmp, path) != 0) rc = -1;
    if (rc != 0) {
        int saved = errno;
        unlink(tmp);
        errno = saved;
    }
    free(tmp);
    return rc;
}

int cli_fix(const cli *c, const char *path, const char *text, size_t len,
            const probe_result *const *results, size_t n)
{
    char *fixed = NULL, *why = NULL;
    size_t fixed_len = 0;
    int rc = probe_fix_text(results, n, &fixed, &fixed_len, &why);
    if (rc < 0) {
        fprintf(stderr, "probe: error: out of memory\n");
        return PROBE_EXIT_INVALID;
    }
    if (rc > 0) {
        fprintf(stderr, "%s: error: %s\n", path, why);
        free(why);
        return PROBE_EXIT_SHAPE;
    }
    if (!fixed) return PROBE_EXIT_OK;
    if (c->diff || !strcmp(path, "-")) {
        print_diff(strcmp(path, "-") ? path : "<stdin>", text, len, fixed, fixed_len);
        free(fixed);
        return PROBE_EXIT_OK;
    }
    struct stat st;
    size_t now_len = 0;
    char *now = cli_read_file(path, &now_len);
    int code = PROBE_EXIT_OK;
    if (!now || stat(path, &st) != 0) {
        fprintf(stderr, "probe: error: --fix: cannot read '%s' again: %s\n", path, strerror(errno));
        code = PROBE_EXIT_INVALID;
    } else if (now_len != len || memcmp(now, text, len)) {
        fprintf(stderr, "probe: error: --fix: '%s' changed since probe read it; left alone (run probe again)\n", path);
        code = PROBE_EXIT_INVALID;
    } else if (write_atomic(path, fixed, fixed_len, st.st_mode) != 0) {
        fprintf(stderr, "probe: error: --fix: cannot write '%s': %s\n", path, strerror(errno));
        code = PROBE_EXIT_INVALID;
    } else if (!c->quiet && c->format == CLI_TEXT) {
        printf("%s: fixed in place\n", path);
    }
    free(now);
    free(fixed);
    return code;
}
