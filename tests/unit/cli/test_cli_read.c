/* test_cli_read.c - reading a net.cfg stops at the 256 MiB limit: a file,
 * a device that never ends (/dev/zero) and an endless standard input are
 * refused once more than the limit has come, and the memory that took is
 * measured here (ru_maxrss of a child that did the read), not the time.
 * Texts of exactly the limit still pass, through a file and a pipe. */
#define _DEFAULT_SOURCE     /* wait4 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "cli/cli.h"

/* The documented limit (README "Limits"). */
#define LIMIT ((size_t)256 << 20)
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

/* What a refused read may take at its peak, in KiB. The buffer never grows
 * past the limit and a byte; where realloc copies rather than remaps (as
 * glibc does), its last doubling also holds the half it came from: 1.5
 * times the limit, and a little for the process. ASan's allocator copies
 * and keeps freed blocks mapped a while (about 2.2 times the limit
 * measured). Reading on to 2 GiB, as probe once did, is far past both. */
#ifdef UNDER_ASAN
#define MAX_RSS_KIB ((long)((LIMIT * 5 / 2) / 1024))
#else
#define MAX_RSS_KIB ((long)((LIMIT * 3 / 2 + ((size_t)32 << 20)) / 1024))
#endif

/* Under ASan, freed blocks also wait in a quarantine (256 MiB by default)
 * that would be counted as the reader's memory: a small one lets them go. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "quarantine_size_mb=16"; }

/* The child that reads: exit 0 when cli_read_file gave what `want_len`
 * says (SIZE_MAX: a refusal with EFBIG), 1 otherwise. */
static void read_and_exit(const char *path, size_t want_len)
{
    size_t len = 0;
    errno = 0;
    char *text = cli_read_file(path, &len);
    int ok = want_len == SIZE_MAX ? !text && errno == EFBIG : text && len == want_len;
    free(text);
    _exit(ok ? 0 : 1);
}

/* Forks a child that writes `n` bytes ('#'; SIZE_MAX: without end) to the
 * pipe and exits; a reader that stops early ends it with SIGPIPE (so the
 * child must not hold the read end itself). */
static pid_t generate(const int fds[2], size_t n)
{
    pid_t pid = fork();
    if (pid != 0) return pid;
    close(fds[0]);
    int fd = fds[1];
    static char block[1 << 16];
    memset(block, '#', sizeof block);
    while (n > 0) {
        size_t k = n < sizeof block ? n : sizeof block;
        ssize_t put = write(fd, block, k);
        if (put <= 0) _exit(1);
        if (n != SIZE_MAX) n -= (size_t)put;
    }
    _exit(0);
}

/* Reads `path` in a child whose standard input is `in` (-1: /dev/null
 * left as it is); checks its verdict and returns its peak memory in KiB. */
static long read_in_child(const char *path, int in, size_t want_len)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (in >= 0 && dup2(in, STDIN_FILENO) < 0) _exit(1);
        read_and_exit(path, want_len);
    }
    if (in >= 0) close(in);
    int status;
    struct rusage ru;
    assert_int_equal(wait4(pid, &status, 0, &ru), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    return ru.ru_maxrss;
}

/* Standard input from a pipe that a child fills with n bytes. */
static long read_stdin_of(size_t n, size_t want_len)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t gen = generate(fds, n);
    assert_true(gen >= 0);
    close(fds[1]);
    long kib = read_in_child("-", fds[0], want_len);
    int status;
    assert_int_equal(waitpid(gen, &status, 0), gen);
    return kib;
}

static void dev_zero_is_refused_within_the_limit(void **state)
{
    (void)state;
    long kib = read_in_child("/dev/zero", -1, SIZE_MAX);
    print_message("/dev/zero: refused at %ld KiB (at most %ld)\n", kib, MAX_RSS_KIB);
    assert_true(kib < MAX_RSS_KIB);
}

static void endless_stdin_is_refused_within_the_limit(void **state)
{
    (void)state;
    long kib = read_stdin_of(SIZE_MAX, SIZE_MAX);
    print_message("endless stdin: refused at %ld KiB (at most %ld)\n", kib, MAX_RSS_KIB);
    assert_true(kib < MAX_RSS_KIB);
}

static void stdin_of_the_limit_passes_one_more_byte_does_not(void **state)
{
    (void)state;
    read_stdin_of(LIMIT, LIMIT);
    read_stdin_of(LIMIT + 1, SIZE_MAX);
    read_stdin_of(0, 0);
}

/* Sparse files: the sizes cost no disk. */
static void file_of_the_limit_passes_one_more_byte_does_not(void **state)
{
    (void)state;
    char path[] = "/tmp/probe_read_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)LIMIT), 0);
    long kib = read_in_child(path, -1, LIMIT);
    assert_true(kib < MAX_RSS_KIB);
    assert_int_equal(ftruncate(fd, (off_t)LIMIT + 1), 0);
    read_in_child(path, -1, SIZE_MAX);
    assert_int_equal(ftruncate(fd, 0), 0);
    read_in_child(path, -1, 0);
    close(fd);
    unlink(path);
}

static void refusal_says_the_limit(void **state)
{
    (void)state;
    const char *why = cli_read_why(EFBIG);
    assert_non_null(strstr(why, "256 MiB"));
    assert_string_equal(cli_read_why(ENOENT), strerror(ENOENT));
}

int main(void)
{
    /* a reader that stops early closes the pipe: the writer gets EPIPE */
    signal(SIGPIPE, SIG_DFL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dev_zero_is_refused_within_the_limit),
        cmocka_unit_test(endless_stdin_is_refused_within_the_limit),
        cmocka_unit_test(stdin_of_the_limit_passes_one_more_byte_does_not),
        cmocka_unit_test(file_of_the_limit_passes_one_more_byte_does_not),
        cmocka_unit_test(refusal_says_the_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
