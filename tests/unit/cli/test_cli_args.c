/* test_cli_args.c - the command line's argument parser: repeated options
 * in every order (the --hw list once overflowed its array when a second
 * --hw followed a list), the limits of --sweep, values that do not fit.
 * The CLI's argument module is linked in; errors go to stderr as usual. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli/cli.h"

/* Parses a NULL-terminated argument list after "probe"; returns -1 when
 * cli_parse_args says to go on, else the exit code it gives, with *c
 * filled in. */
static int parse(cli *c, const char *first, ...)
{
    char *argv[512];
    int argc = 0;
    argv[argc++] = "probe";
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a && argc < 511; a = va_arg(ap, const char *)) argv[argc++] = (char *)a;
    va_end(ap);
    argv[argc] = NULL;
    probe_exit code;
    return cli_parse_args(argc, argv, c, &code) ? -1 : (int)code;
}

static void expect_hws(const cli *c, const int64_t *want, int n)
{
    assert_int_equal(c->nhws, n);
    for (int i = 0; i < n; i++) {
        assert_int_equal(c->hws[i].h, want[2 * i]);
        assert_int_equal(c->hws[i].w, want[2 * i + 1]);
    }
}

static void a_list_then_another_hw(void **state)
{
    (void)state;
    cli c;
    assert_int_equal(parse(&c, "--net", "x.cfg", "--hw", "8x8,9x9", "--hw", "10x10", NULL), -1);
    const int64_t want[] = { 8, 8, 9, 9, 10, 10 };
    expect_hws(&c, want, 3);
    cli_free(&c);
}

static void lists_and_single_sizes_interleaved(void **state)
{
    (void)state;
    cli c;
    assert_int_equal(parse(&c, "--hw=1x2", "--net", "x.cfg", "--hw", "3x4,5x6,7x8", "--hw", "9x10",
                           "--hw=11x12,13x14", NULL), -1);
    const int64_t want[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14 };
    expect_hws(&c, want, 7);
    cli_free(&c);
}

/* 200 --hw options, each a list of three: 600 sizes, in order. */
static void hundreds_of_hw_options(void **state)
{
    (void)state;
    char *argv[404];      /* probe, --net, x.cfg, 200 pairs, NULL */
    char vals[200][48];   /* room for three ints of any size: -Wformat-truncation */
    int argc = 0;
    argv[argc++] = "probe";
    argv[argc++] = "--net";
    argv[argc++] = "x.cfg";
    for (int i = 0; i < 200; i++) {
        snprintf(vals[i], sizeof vals[i], "%dx1,%dx2,%dx3", i + 1, i + 1, i + 1);
        argv[argc++] = "--hw";
        argv[argc++] = vals[i];
    }
    argv[argc] = NULL;
    cli c;
    probe_exit code;
    assert_true(cli_parse_args(argc, argv, &c, &code));
    assert_int_equal(c.nhws, 600);
    for (int i = 0; i < 600; i++) {
        assert_int_equal(c.hws[i].h, i / 3 + 1);
        assert_int_equal(c.hws[i].w, i % 3 + 1);
    }
    cli_free(&c);
}

/* A long list in one --hw, longer than argc could have sized. */
static void one_long_list(void **state)
{
    (void)state;
    size_t cap = 1000 * 12 + 1, n = 0;
    char *list = malloc(cap);
    assert_non_null(list);
    for (int i = 1; i <= 1000; i++) n += (size_t)snprintf(list + n, cap - n, "%s%dx%d", i > 1 ? "," : "", i, i);
    cli c;
    assert_int_equal(parse(&c, "--net", "x.cfg", "--hw", list, "--hw", "5x7", NULL), -1);
    assert_int_equal(c.nhws, 1001);
    assert_int_equal(c.hws[999].h, 1000);
    assert_int_equal(c.hws[1000].h, 5);
    assert_int_equal(c.hws[1000].w, 7);
    cli_free(&c);
    free(list);
}

static void a_bad_size_after_good_ones_is_a_usage_error(void **state)
{
    (void)state;
    cli c;
    assert_int_equal(parse(&c, "--net", "x.cfg", "--hw", "8x8,9x9", "--hw", "10x", NULL), PROBE_EXIT_INVALID);
    cli_free(&c);
    assert_int_equal(parse(&c, "--net", "x.cfg", "--hw", "8x8,", NULL), PROBE_EXIT_INVALID);
    cli_free(&c);
    assert_int_equal(parse(&c, "--net", "x.cfg", "--hw", "9223372036854775808x1", NULL), PROBE_EXIT_INVALID);
    cli_free(&c);
}

/* At most 1,000,000 sizes: 1..1000000 is the largest sweep from 1. */
static void sweep_covers_at_most_a_million_sizes(void **state)
{
    (void)state;
    cli c;
    assert_int_equal(parse(&c, "--net", "x.cfg", "--sweep", "1..1000000", NULL), -1);
    assert_true(c.sweep);
    assert_int_equal(c.sweep_lo, 1);
    assert_int_equal(c.sweep_hi, 1000000);
    cli_free(&c);
    assert_int_equal(parse(&c, "--net", "x.cfg", "--sweep", "1..1000001", NULL), PROBE_EXIT_INVALID);
    cli_free(&c);
    assert_int_equal(parse(&c, "--net", "x.cfg", "--sweep", "9223372036854775806..9223372036854775807", NULL), -1);
    assert_int_equal(c.sweep_hi, INT64_MAX);
    cli_free(&c);
}

static void repeated_nets_and_plugins_are_all_kept(void **state)
{
    (void)state;
    cli c;
    assert_int_equal(parse(&c, "--net", "a.cfg", "--plugin", "./a.so", "--net=b.cfg", "--plugin=./b.so",
                           "--net", "-", "--net", "a.cfg", NULL), -1);
    assert_int_equal(c.nnets, 4);
    assert_string_equal(c.nets[0], "a.cfg");
    assert_string_equal(c.nets[1], "b.cfg");
    assert_string_equal(c.nets[2], "-");
    assert_string_equal(c.nets[3], "a.cfg");
    assert_int_equal(c.nplugins, 2);
    assert_string_equal(c.plugins[1], "./b.so");
    cli_free(&c);
}

/* The last --input and --format win, as with most tools. */
static void the_last_input_and_format_win(void **state)
{
    (void)state;
    cli c;
    assert_int_equal(parse(&c, "--net", "a.cfg", "--input", "3x8x8", "--format=github", "--input=1x2x3",
                           "--json", NULL), -1);
    assert_true(c.has_input);
    assert_int_equal(c.input[0], 1);
    assert_int_equal(c.input[2], 3);
    assert_int_equal(c.format, CLI_JSON);
    cli_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_list_then_another_hw),
        cmocka_unit_test(lists_and_single_sizes_interleaved),
        cmocka_unit_test(hundreds_of_hw_options),
        cmocka_unit_test(one_long_list),
        cmocka_unit_test(a_bad_size_after_good_ones_is_a_usage_error),
        cmocka_unit_test(sweep_covers_at_most_a_million_sizes),
        cmocka_unit_test(repeated_nets_and_plugins_are_all_kept),
        cmocka_unit_test(the_last_input_and_format_win),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
