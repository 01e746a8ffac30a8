/* test_cli_fix.c - --fix's write: in place when the file is as probe read
 * it, left alone when it changed in between (an editor saved it while
 * probe ran). The CLI module is linked in: the race is played out by
 * calling cli_fix() with the text of the first read. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "cli.h"

static const char NET[] = "input: 3x8x8\nnn.Conv2d(4, 8, 3)  # in_channels is wrong\n";
static const char FIXED[] = "input: 3x8x8\nnn.Conv2d(3, 8, 3)  # in_channels is wrong\n";

typedef struct fixture {
    probe_registry *reg;
    char path[64];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f || !(f->reg = probe_registry_new())) return -1;
    snprintf(f->path, sizeof f->path, "/tmp/probe_fix_XXXXXX");
    int fd = mkstemp(f->path);
    if (fd < 0) return -1;
    close(fd);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    unlink(f->path);
    probe_registry_free(f->reg);
    free(f);
    return 0;
}

static void put_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
    assert_int_equal(fclose(fp), 0);
}

static void expect_file(const char *path, const char *text)
{
    size_t len = 0;
    char *now = cli_read_file(path, &len);
    assert_non_null(now);
    assert_int_equal(len, strlen(text));
    assert_memory_equal(now, text, len);
    free(now);
}

/* What cli_fix() printed on standard error, captured in a file. */
static char stderr_text[512];

static int fix_capturing_stderr(const cli *c, const char *path, const char *text, size_t len,
                                const probe_result *const *results)
{
    char tmp[] = "/tmp/probe_stderr_XXXXXX";
    int fd = mkstemp(tmp);
    assert_true(fd >= 0);
    fflush(stderr);
    int saved = dup(2);
    assert_true(saved >= 0);
    assert_int_equal(dup2(fd, 2), 2);
    int code = cli_fix(c, path, text, len, results, 1);
    fflush(stderr);
    assert_int_equal(dup2(saved, 2), 2);
    close(saved);
    ssize_t n = pread(fd, stderr_text, sizeof stderr_text - 1, 0);
    stderr_text[n > 0 ? n : 0] = '\0';
    close(fd);
    unlink(tmp);
    return code;
}

/* Reads the file, probes it at 8x8 and mends it; between the read and the
 * fix, `edit` is written over the file when not NULL, and the file is
 * removed when `remove`. */
static int read_probe_fix(fixture *f, const char *edit, bool remove)
{
    size_t len = 0;
    char *text = cli_read_file(f->path, &len);
    assert_non_null(text);
    probe_net *net = probe_net_parse(f->reg, f->path, text, len);
    assert_non_null(net);
    probe_options opt = probe_options_default();
    opt.h = opt.w = 8;
    probe_result *res = probe_run(net, &opt);
    assert_non_null(res);
    assert_int_equal(probe_result_status(res), PROBE_MISMATCH);
    if (edit) put_file(f->path, edit);
    if (remove) assert_int_equal(unlink(f->path), 0);
    cli c;
    memset(&c, 0, sizeof c);
    c.fix = true;
    c.quiet = true;
    const probe_result *results[] = { res };
    int code = fix_capturing_stderr(&c, f->path, text, len, results);
    probe_result_free(res);
    probe_net_free(net);
    free(text);
    return code;
}

static void fix_writes_in_place_and_keeps_the_mode(void **state)
{
    fixture *f = *state;
    put_file(f->path, NET);
    assert_int_equal(chmod(f->path, 0640), 0);
    assert_int_equal(read_probe_fix(f, NULL, false), PROBE_EXIT_OK);
    expect_file(f->path, FIXED);
    assert_string_equal(stderr_text, "");
    struct stat st;
    assert_int_equal(stat(f->path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);
}

static void a_file_changed_since_read_is_left_alone(void **state)
{
    fixture *f = *state;
    put_file(f->path, NET);
    static const char EDITED[] = "input: 3x8x8\nnn.Conv2d(4, 8, 3)  # someone is editing this\n";
    assert_int_equal(read_probe_fix(f, EDITED, false), PROBE_EXIT_INVALID);
    expect_file(f->path, EDITED);
    char want[256];
    snprintf(want, sizeof want, "probe: error: --fix: '%s' changed since probe read it; left alone (run probe again)\n",
             f->path);
    assert_string_equal(stderr_text, want);
    /* the same length, other bytes: still a change */
    put_file(f->path, NET);
    static const char SAME_LENGTH[] = "input: 3x8x8\nnn.Conv2d(4, 8, 5)  # in_channels is wrong\n";
    assert_int_equal(read_probe_fix(f, SAME_LENGTH, false), PROBE_EXIT_INVALID);
    expect_file(f->path, SAME_LENGTH);
}

static void a_file_gone_since_read_is_an_error(void **state)
{
    fixture *f = *state;
    put_file(f->path, NET);
    assert_int_equal(read_probe_fix(f, NULL, true), PROBE_EXIT_INVALID);
    assert_int_equal(access(f->path, F_OK), -1);   /* not written back */
    char want[256];
    snprintf(want, sizeof want, "probe: error: --fix: cannot read '%s' again: No such file or directory\n", f->path);
    assert_string_equal(stderr_text, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(fix_writes_in_place_and_keeps_the_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(a_file_changed_since_read_is_left_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(a_file_gone_since_read_is_an_error, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
