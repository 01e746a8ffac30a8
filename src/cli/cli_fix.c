/* cli_fix.c - --fix writes the mended net in place, atomically; --diff
 * prints the same change as a unified diff. Both act on regular files
 * only; --fix follows links to the file they name, and keeps its owner,
 * group and mode. */
#define _DEFAULT_SOURCE     /* realpath */
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
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

/* A fix changes numbers within lines and may add one line, the input line,
 * above every change: lines before it are the same, so the first line
 * that differs is the added one. Old and new then pair up line by line
 * but for it: new line j is old line j before it, j - 1 after it. Returns
 * the added line's index, SIZE_MAX for none, or false when the texts do
 * not pair up so. */
static bool added_line(const char *a, const lines *la, const char *b, const lines *lb, size_t *added)
{
    *added = SIZE_MAX;
    if (lb->n == la->n) return true;
    if (lb->n != la->n + 1) return false;
    size_t k = 0;
    while (k < la->n && line_equal(a, la, k, b, lb, k)) k++;
    *added = k;
    return true;
}

/* Whether new line j is old line `j'` unchanged; *old is j' (SIZE_MAX: added). */
static bool row_same(const char *a, const lines *la, const char *b, const lines *lb, size_t added, size_t j,
                     size_t *old)
{
    *old = j == added ? SIZE_MAX : j > added ? j - 1 : j;
    return *old != SIZE_MAX && line_equal(a, la, *old, b, lb, j);
}

/* Hunks of changed lines with 3 lines around, walking the new lines. */
static void print_hunks(const char *a, const lines *la, const char *b, const lines *lb, size_t added)
{
    size_t i = 0, n = lb->n, old;
    while (i < n) {
        if (row_same(a, la, b, lb, added, i, &old)) { i++; continue; }
        size_t from = i >= 3 ? i - 3 : 0, to = i, last_change = i;
        while (to < n && to <= last_change + 6) {
            if (!row_same(a, la, b, lb, added, to, &old)) last_change = to;
            to++;
        }
        to = last_change + 4 < n ? last_change + 4 : n;
        size_t old_from = from > added ? from - 1 : from;
        size_t old_count = to - from - (from <= added && added < to);
        printf("@@ -%zu,%zu +%zu,%zu @@\n", old_from + 1, old_count, from + 1, to - from);
        for (size_t k = from; k < to; k++) {
            if (row_same(a, la, b, lb, added, k, &old)) put_line(' ', a, la, old);
            else {
                if (old != SIZE_MAX) put_line('-', a, la, old);
                put_line('+', b, lb, k);
            }
        }
        i = to;
    }
}

static void print_diff(const char *path, const char *a, size_t na, const char *b, size_t nb)
{
    lines la = { 0 }, lb = { 0 };   /* free_lines() of both on any failure */
    size_t added = SIZE_MAX;
    if (!split_lines(a, na, &la) || !split_lines(b, nb, &lb) || !added_line(a, &la, b, &lb, &added)) {
        free_lines(&la);
        free_lines(&lb);
        fprintf(stderr, "probe: error: --diff: the change moved lines, which a fix never does\n");
        return;
    }
    printf("--- %s\n+++ %s\n", path, path);
    print_hunks(a, &la, b, &lb, added);
    free_lines(&la);
    free_lines(&lb);
}

/* 0 when --fix or --diff may act on the file st describes, else says why
 * not and returns 2. Anything but a regular file is refused: reading a
 * FIFO twice blocks, and renaming over a device or a directory would
 * replace it. When writing, a file with other hard links is refused too:
 * the rename would leave the other names with the old text. */
static probe_exit refuse_target(const cli *c, const char *path, const struct stat *st, bool writing)
{
    const char *opt = c->diff ? "--diff" : "--fix";
    const char *kind = cli_file_kind(st->st_mode);
    if (kind && S_ISDIR(st->st_mode)) {
        fprintf(stderr, "probe: error: %s: '%s' is a directory, not a regular file; name the files in it (--net '%s/*.cfg')\n",
                opt, path, path);
        return PROBE_EXIT_INVALID;
    }
    if (kind) {
        fprintf(stderr, "probe: error: %s: '%s' is %s, not a regular file; copy it to a file and run probe on the copy\n",
                opt, path, kind);
        return PROBE_EXIT_INVALID;
    }
    if (writing && st->st_nlink > 1) {
        fprintf(stderr, "probe: error: --fix: '%s' has %ju hard links, and a fix writes a new file in its place: "
                "the other names would keep the old text; left alone (--diff shows the change)\n",
                path, (uintmax_t)st->st_nlink);
        return PROBE_EXIT_INVALID;
    }
    return PROBE_EXIT_OK;
}

probe_exit cli_fix_target_check(const cli *c, const char *path)
{
    struct stat st;
    /* stat, not open: a FIFO is never opened; a file that cannot be
     * looked at is left to the read, which says why */
    if (!strcmp(path, "-") || stat(path, &st) != 0) return PROBE_EXIT_OK;
    return refuse_target(c, path, &st, false);
}

/* The file is not as probe read it: an editor saved it meanwhile. */
static void say_changed(const char *path)
{
    fprintf(stderr, "probe: error: --fix: '%s' changed since probe read it; left alone (run probe again)\n", path);
}

/* Writes text over `real` (cli_replace_file), keeping the owner, group
 * and mode of `read`, the file as probe read it. Messages name `path`, as
 * the user wrote it. Returns the exit code. */
static probe_exit write_atomic(const char *path, const char *real, const char *text, size_t len, const struct stat *read)
{
    int rc = cli_replace_file(real, text, len, read->st_mode & 07777, read);
    if (rc == CLI_REPLACE_NOMEM)
        fprintf(stderr, "probe: error: out of memory\n");
    else if (rc == CLI_REPLACE_OWNER)
        fprintf(stderr, "probe: error: --fix: cannot keep the owner of '%s' (uid %ju, gid %ju): %s; left alone\n",
                path, (uintmax_t)read->st_uid, (uintmax_t)read->st_gid, strerror(errno));
    else if (rc == CLI_REPLACE_CHANGED)
        say_changed(path);
    else if (rc != 0)
        fprintf(stderr, "probe: error: --fix: cannot write '%s': %s\n", path, strerror(errno));
    return rc == 0 ? PROBE_EXIT_OK : PROBE_EXIT_INVALID;
}

/* --fix's write: the file found again through its links, re-read and
 * compared with what probe parsed (an editor may have saved it since), and
 * replaced; the check and the write use the same resolved path. */
static probe_exit fix_in_place(const cli *c, const char *path, const char *text, size_t len,
                               const char *fixed, size_t fixed_len)
{
    struct stat st;
    char *real = realpath(path, NULL);
    if (!real || stat(real, &st) != 0) {
        fprintf(stderr, "probe: error: --fix: cannot read '%s' again: %s\n", path, cli_read_why(errno));
        free(real);
        return PROBE_EXIT_INVALID;
    }
    /* checked again here: what is there now may not be what was read */
    probe_exit code = refuse_target(c, path, &st, true);
    if (code != PROBE_EXIT_OK) {
        free(real);
        return code;
    }
    size_t now_len = 0;
    char *now = cli_read_file(real, &now_len);
    if (!now) {
        fprintf(stderr, "probe: error: --fix: cannot read '%s' again: %s\n", path, cli_read_why(errno));
        code = PROBE_EXIT_INVALID;
    } else if (now_len != len || memcmp(now, text, len)) {
        say_changed(path);
        code = PROBE_EXIT_INVALID;
    } else {
        code = write_atomic(path, real, fixed, fixed_len, &st);
    }
    if (code == PROBE_EXIT_OK && !c->quiet && c->format == CLI_TEXT) printf("%s: fixed in place\n", path);
    free(now);
    free(real);
    return code;
}

/* The fixed text is probed again at every size before anything is
 * written: a fix that leaves a mismatch, or makes another (a value a
 * model file's constructor shares with modules that did not need it), is
 * refused with where and why. --fix never makes a file worse. */
static bool fix_settles(const cli *c, const char *path, const probe_result *const *results, size_t n,
                        const char *fixed, size_t fixed_len)
{
    probe_registry *reg = probe_registry_new();
    if (!reg) return false;
    for (int i = 0; i < c->nplugins; i++) probe_registry_load_plugin(reg, c->plugins[i]);
    char *copy = malloc(fixed_len ? fixed_len : 1);
    if (copy) memcpy(copy, fixed, fixed_len);
    probe_net *net = copy ? probe_net_adopt_model(reg, path, copy, fixed_len, c->model) : NULL;
    bool ok = net != NULL;
    for (size_t r = 0; ok && r < n; r++) {
        probe_options opt = probe_result_options(results[r]);
        probe_result *res = probe_run(net, &opt);
        probe_status st = res ? probe_result_status(res) : PROBE_INVALID;
        bool before_bad = probe_result_status(results[r]) != PROBE_MISMATCH;
        /* a mismatch-only run must end ok; another must not gain errors */
        if (st == PROBE_MISMATCH || st == PROBE_INVALID || (st != PROBE_OK && !before_bad)) {
            probe_error_info e = res && probe_result_error_count(res) ? probe_result_error(res, 0)
                                                                      : (probe_error_info){ 0 };
            char size[96];
            cli_size_text(size, sizeof size, opt.rank ? opt.rank : 2, opt.d, opt.h, opt.w);
            fprintf(stderr, "%s:%d:%d: error: the fixed file would not pass at %s: %s; nothing was changed\n", path,
                    e.line, e.col, size, e.message ? e.message : "it could not be read");
            ok = false;
        }
        probe_result_free(res);
    }
    probe_net_free(net);
    probe_registry_free(reg);
    return ok;
}

probe_exit cli_fix(const cli *c, const char *path, const char *text, size_t len,
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
        fprintf(stderr, "%s:%s\n", path, why);
        free(why);
        return PROBE_EXIT_SHAPE;
    }
    if (!fixed) return PROBE_EXIT_OK;
    if (!fix_settles(c, path, results, n, fixed, fixed_len)) {
        free(fixed);
        return PROBE_EXIT_SHAPE;
    }
    probe_exit code = PROBE_EXIT_OK;
    if (c->diff || !strcmp(path, "-")) print_diff(strcmp(path, "-") ? path : "<stdin>", text, len, fixed, fixed_len);
    else code = fix_in_place(c, path, text, len, fixed, fixed_len);
    free(fixed);
    return code;
}
