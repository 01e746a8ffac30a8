/* test_cli_fix.c - --fix's write: in place when the file is as probe read
 * it, left alone when it changed in between (an editor saved it while
 * probe ran); the owner, group and mode kept, and refused when they
 * cannot be; only regular files. The CLI module is linked in: the race is
 * played out by calling cli_fix() with the text of the first read. Each
 * test works in a directory of its own, so that a stray temporary file
 * shows. */
#define _DEFAULT_SOURCE     /* setgroups, mknod */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <dirent.h>
#include <grp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "cli/cli.h"

static const char NET[] = "input: 3x8x8\nnn.Conv2d(4, 8, 3)  # in_channels is wrong\n";
static const char FIXED[] = "input: 3x8x8\nnn.Conv2d(3, 8, 3)  # in_channels is wrong\n";

typedef struct fixture {
    probe_registry *reg;
    char dir[64];
    char path[96];      /* dir/net.cfg */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f || !(f->reg = probe_registry_new())) return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/probe_fix_XXXXXX");
    if (!mkdtemp(f->dir)) return -1;
    snprintf(f->path, sizeof f->path, "%s/net.cfg", f->dir);
    *state = f;
    return 0;
}

/* The names in f's directory but net.cfg, one string: "" when none. */
static void others_in_dir(const fixture *f, char *out, size_t cap)
{
    DIR *d = opendir(f->dir);
    assert_non_null(d);
    out[0] = '\0';
    for (struct dirent *e; (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, "net.cfg")) continue;
        strncat(out, e->d_name, cap - strlen(out) - 2);
        strcat(out, " ");
    }
    closedir(d);
}

/* Nothing but net.cfg in f's directory: no temporary file was left. */
static void expect_no_other_file(const fixture *f)
{
    char others[256];
    others_in_dir(f, others, sizeof others);
    assert_string_equal(others, "");
}

static int teardown(void **state)
{
    fixture *f = *state;
    DIR *d = opendir(f->dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        char p[400];
        snprintf(p, sizeof p, "%s/%s", f->dir, e->d_name);
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) unlink(p);
    }
    if (d) closedir(d);
    rmdir(f->dir);
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
/* Not 0: cli_fix() runs in a child process as this user and group. */
static uid_t run_as;

static int setgroups_none(void) { return setgroups(0, NULL); }

/* cli_fix() in a child that drops root first, as a user who may write
 * the file but not give it away; its exit status is cli_fix()'s. No cmocka
 * assertion runs in the child. */
static int fix_as_other_user(const cli *c, const char *path, const char *text, size_t len,
                             const probe_result *const *results)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (setgroups_none() != 0 || setgid(run_as) != 0 || setuid(run_as) != 0) _exit(99);
        int code = cli_fix(c, path, text, len, results, 1);
        fflush(NULL);
        _exit(code);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

/* Standard error into a file from capture_begin() to capture_end(),
 * which leaves it in stderr_text. */
static int capture_fd = -1, capture_saved = -1;

static void capture_begin(void)
{
    char tmp[] = "/tmp/probe_stderr_XXXXXX";
    capture_fd = mkstemp(tmp);
    assert_true(capture_fd >= 0);
    unlink(tmp);
    fflush(stderr);
    capture_saved = dup(2);
    assert_true(capture_saved >= 0);
    assert_int_equal(dup2(capture_fd, 2), 2);
}

static void capture_end(void)
{
    fflush(stderr);
    assert_int_equal(dup2(capture_saved, 2), 2);
    close(capture_saved);
    ssize_t n = pread(capture_fd, stderr_text, sizeof stderr_text - 1, 0);
    stderr_text[n > 0 ? n : 0] = '\0';
    close(capture_fd);
}

/* stderr_text is `fmt` with the file's path in it. */
static void expect_stderr(const char *fmt, const char *path)
{
    char want[512];
    snprintf(want, sizeof want, fmt, path);
    assert_string_equal(stderr_text, want);
}

static int fix_capturing_stderr(const cli *c, const char *path, const char *text, size_t len,
                                const probe_result *const *results)
{
    capture_begin();
    int code = run_as ? fix_as_other_user(c, path, text, len, results) : (int)cli_fix(c, path, text, len, results, 1);
    capture_end();
    return code;
}

/* Something done to the file between probe's read and its fix. */
static void swap_in_a_fifo(const char *path)
{
    assert_int_equal(unlink(path), 0);
    assert_int_equal(mkfifo(path, 0644), 0);
}

/* Reads the file, probes it at 8x8 and mends it; between the read and the
 * fix, `edit` is written over the file when not NULL, the file is
 * removed when `remove`, and `between` is done when not NULL. */
static int read_probe_fix_with(fixture *f, const char *edit, bool remove, void (*between)(const char *))
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
    if (between) between(f->path);
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

static int read_probe_fix(fixture *f, const char *edit, bool remove)
{
    return read_probe_fix_with(f, edit, remove, NULL);
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
    expect_stderr("probe: error: --fix: '%s' changed since probe read it; left alone (run probe again)\n", f->path);
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
    expect_stderr("probe: error: --fix: cannot read '%s' again: No such file or directory\n", f->path);
}

static void skip_unless_root(const char *what)
{
    if (geteuid() == 0) return;
    print_message("skip: %s needs root\n", what);
    skip();
}

/* Owner, group and mode as before: a root fix of a user's file must not
 * hand it to root. */
static void fix_keeps_owner_and_group(void **state)
{
    fixture *f = *state;
    skip_unless_root("giving a file to another user");
    put_file(f->path, NET);
    assert_int_equal(chown(f->path, 12345, 12345), 0);
    assert_int_equal(chmod(f->path, 0640), 0);
    assert_int_equal(read_probe_fix(f, NULL, false), PROBE_EXIT_OK);
    expect_file(f->path, FIXED);
    assert_string_equal(stderr_text, "");
    struct stat st;
    assert_int_equal(lstat(f->path, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(st.st_uid, 12345);
    assert_int_equal(st.st_gid, 12345);
    assert_int_equal(st.st_mode & 07777, 0640);
    expect_no_other_file(f);
}

/* A user who may write root's file but not give a file to root: the fix
 * would change the owner, so it is refused and the file left as it was. */
static void fix_refused_when_the_owner_cannot_be_kept(void **state)
{
    fixture *f = *state;
    skip_unless_root("becoming a user who may not give files away");
    put_file(f->path, NET);
    assert_int_equal(chmod(f->path, 0666), 0);
    assert_int_equal(chmod(f->dir, 0777), 0);
    struct stat before, after;
    assert_int_equal(lstat(f->path, &before), 0);
    run_as = 12345;
    int code = read_probe_fix(f, NULL, false);
    run_as = 0;
    assert_int_equal(code, PROBE_EXIT_INVALID);
    expect_stderr("probe: error: --fix: cannot keep the owner of '%s' (uid 0, gid 0): Operation not permitted; left alone\n", f->path);
    expect_file(f->path, NET);
    assert_int_equal(lstat(f->path, &after), 0);
    assert_int_equal(after.st_ino, before.st_ino);
    assert_int_equal(after.st_uid, 0);
    assert_int_equal(after.st_gid, 0);
    assert_int_equal(after.st_mode, before.st_mode);
    expect_no_other_file(f);
}

/* A FIFO put in the file's place after the read is not opened (it would
 * block): refused as the target check refuses it. alarm() only catches a
 * hang. */
static void a_fifo_swapped_in_is_not_opened(void **state)
{
    fixture *f = *state;
    put_file(f->path, NET);
    alarm(60);
    int code = read_probe_fix_with(f, NULL, false, swap_in_a_fifo);
    alarm(0);
    assert_int_equal(code, PROBE_EXIT_INVALID);
    expect_stderr("probe: error: --fix: '%s' is a FIFO (named pipe), not a regular file; copy it to a file and run probe on the copy\n", f->path);
    struct stat st;
    assert_int_equal(lstat(f->path, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    expect_no_other_file(f);
}

/* The target check, before any read: a socket, a device node of our own
 * (root only), and a regular file, which passes. */
static void the_target_check_names_what_the_file_is(void **state)
{
    fixture *f = *state;
    int sock = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(sock >= 0);
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    snprintf(addr.sun_path, sizeof addr.sun_path, "%s", f->path);
    assert_int_equal(bind(sock, (struct sockaddr *)&addr, sizeof addr), 0);
    cli c;
    memset(&c, 0, sizeof c);
    c.diff = true;
    capture_begin();
    int code = cli_fix_target_check(&c, f->path);
    capture_end();
    close(sock);
    assert_int_equal(code, PROBE_EXIT_INVALID);
    expect_stderr("probe: error: --diff: '%s' is a socket, not a regular file; copy it to a file and run probe on the copy\n", f->path);
    struct stat st;
    assert_int_equal(lstat(f->path, &st), 0);
    assert_true(S_ISSOCK(st.st_mode));
    assert_int_equal(unlink(f->path), 0);
    put_file(f->path, NET);
    assert_int_equal(cli_fix_target_check(&c, f->path), 0);
    assert_int_equal(cli_fix_target_check(&c, "-"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(fix_writes_in_place_and_keeps_the_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(a_file_changed_since_read_is_left_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(a_file_gone_since_read_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(fix_keeps_owner_and_group, setup, teardown),
        cmocka_unit_test_setup_teardown(fix_refused_when_the_owner_cannot_be_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(a_fifo_swapped_in_is_not_opened, setup, teardown),
        cmocka_unit_test_setup_teardown(the_target_check_names_what_the_file_is, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
