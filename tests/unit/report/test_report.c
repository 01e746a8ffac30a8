/* test_report.c - what the reports say about a run: the JSON result
 * (escaping, nulls, the exact text for one small net), the compiler-style
 * diagnostics and the table's verdict. Nets are parsed from strings and
 * run through the public API. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixtures.h"

#include "probe.h"

typedef struct run {
    probe_net *net;
    probe_result *res;
} run;

static run run_net(void **state, const char *name, const char *text)
{
    run r;
    r.net = probe_net_parse(*state, name, text, strlen(text));
    assert_non_null(r.net);
    probe_options opt = probe_options_default();
    r.res = probe_run(r.net, &opt);
    assert_non_null(r.res);
    return r;
}

static void run_free(run *r)
{
    probe_result_free(r->res);
    probe_net_free(r->net);
}

/* Asserts that `text` contains `part`, showing both when it does not. */
static void expect_contains(const char *text, const char *part)
{
    if (!strstr(text, part)) print_error("missing: %s\nin: %s\n", part, text);
    assert_non_null(strstr(text, part));
}

static const char SMALL_NET[] =
    "input: 3x8x8\n"
    "conv = nn.Conv2d(4, 8, 3)\n"
    "nn.Flatten()\n"
    "nn.Linear(?, 2)\n";

/* ---- JSON ------------------------------------------------------------------- */

static void json_escapes_the_net_name(void **state)
{
    run r = run_net(state, "a\"b\\c\td", "input: 3x4x4\nnn.ReLU()\n");
    char *json = probe_result_json(r.res);
    expect_contains(json, "{\"net\": \"a\\\"b\\\\c\\td\", ");
    free(json);
    run_free(&r);
}

static void json_escapes_messages(void **state)
{
    /* quotes, a backslash and a control character from the file into a message */
    run r = run_net(state, "n.cfg", "input: 3x8x8\nnn.Conv2d(3, 8, 3, padding_mode='a\"b\\\\c\x01')\n");
    assert_int_equal(probe_result_status(r.res), PROBE_INVALID);
    assert_string_equal(probe_result_error(r.res, 0).message,
                        "padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, but got padding_mode='a\"b\\c\x01'");
    char *json = probe_result_json(r.res);
    expect_contains(json, "\"message\": \"padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, "
                          "but got padding_mode='a\\\"b\\\\c\\u0001'\"");
    free(json);
    run_free(&r);
    /* and PyTorch's own newline */
    r = run_net(state, "n.cfg", "input: 1x4x4\nnn.Flatten()\nnn.Unflatten(1, (-1, -1))\n");
    json = probe_result_json(r.res);
    expect_contains(json, "\"message\": \"unflatten got an unexpected error:\\nonly one dimension can be inferred\"");
    free(json);
    run_free(&r);
}

/* U+FFFD, the replacement character, in UTF-8 */
#define FFFD "\xEF\xBF\xBD"

static void expect_quote(const char *s, const char *want)
{
    char *q = probe_json_quote(s);
    assert_non_null(q);
    assert_string_equal(q, want);
    free(q);
}

static void json_quote_keeps_it_valid_utf8(void **state)
{
    (void)state;
    /* valid UTF-8 passes through: two, three and four bytes */
    expect_quote("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"");
    expect_quote("\xEF\xBB\xBF\xF4\x8F\xBF\xBF", "\"\xEF\xBB\xBF\xF4\x8F\xBF\xBF\"");
    /* each byte of what is not UTF-8 becomes U+FFFD: Latin-1, a byte that
     * never starts a sequence, a lone continuation byte */
    expect_quote("r\xE9seau.cfg", "\"r" FFFD "seau.cfg\"");
    expect_quote("\xFF\xFE\x80", "\"" FFFD FFFD FFFD "\"");
    /* overlong forms of '/' and of U+0000 */
    expect_quote("\xC0\xAF", "\"" FFFD FFFD "\"");
    expect_quote("\xE0\x80\x80", "\"" FFFD FFFD FFFD "\"");
    expect_quote("\xF0\x80\x80\x80", "\"" FFFD FFFD FFFD FFFD "\"");
    /* a UTF-16 surrogate, a code point above U+10FFFF */
    expect_quote("\xED\xA0\x80", "\"" FFFD FFFD FFFD "\"");
    expect_quote("\xF4\x90\x80\x80", "\"" FFFD FFFD FFFD FFFD "\"");
    /* sequences cut short: by the end, and by ASCII that is kept */
    expect_quote("ab\xE2\x82", "\"ab" FFFD FFFD "\"");
    expect_quote("\xC3(\xF0\x9F\x98\"", "\"" FFFD "(" FFFD FFFD FFFD "\\\"\"");
}

/* A file that starts with a UTF-8 byte-order mark: the diagnostics show
 * line 1 without it, the caret under the column (which does not count
 * it), and the fixed text keeps it byte for byte. */
static void bom_kept_by_the_fix_and_not_shown(void **state)
{
    run r = run_net(state, "b.cfg", "\xEF\xBB\xBFnn.Conv2d(3, 8, 3, padding_mode='zero')\n");
    char *diag = probe_result_diagnostics(r.res);
    expect_contains(diag, "b.cfg:1:33: error: ");
    expect_contains(diag, "\n 1 | nn.Conv2d(3, 8, 3, padding_mode='zero')\n"
                          "   |                                 ^~~~~~\n");
    free(diag);
    run_free(&r);
    r = run_net(state, "b.cfg", "\xEF\xBB\xBF" "input: 3x2x2\nnn.Flatten()\nnn.Linear(10, 2)\n");
    char *fixed = NULL, *why = NULL;
    size_t len = 0;
    const probe_result *const one[] = { r.res };
    assert_int_equal(probe_fix_text(one, 1, &fixed, &len, &why), 0);
    assert_non_null(fixed);
    const char want[] = "\xEF\xBB\xBF" "input: 3x2x2\nnn.Flatten()\nnn.Linear(12, 2)\n";
    assert_int_equal(len, sizeof want - 1);
    assert_memory_equal(fixed, want, len);
    free(fixed);
    run_free(&r);
}

static void json_nulls(void **state)
{
    /* nothing settled: no input, no Linear, no flatten, no layer to blame */
    run r = run_net(state, "u.cfg", "nn.ReLU()\n");
    char *json = probe_result_json(r.res);
    assert_string_equal(json,
                        "{\"net\": \"u.cfg\", \"input\": null, \"status\": \"invalid\", \"in_features\": null, "
                        "\"output\": null, \"implicit_flatten\": null, \"errors\": [{\"line\": 0, \"col\": 0, \"kind\": \"invalid\", "
                        "\"message\": \"cannot tell the input channels: no layer before the first Flatten or Linear declares them; "
                        "add a line 'input: CxHxW' or give --input CxHxW\"}], \"fixes\": [], \"layers\": []}");
    free(json);
    run_free(&r);
}

static void json_of_a_small_net(void **state)
{
    run r = run_net(state, "small.cfg", SMALL_NET);
    char *json = probe_result_json(r.res);
    /* nn.Sequential(nn.Conv2d(4, 8, 3))(torch.rand(1, 3, 8, 8)) for the message;
     * sum(p.numel()) 224 and 578 for Conv2d(3, 8, 3) and Linear(288, 2) */
    assert_string_equal(json,
                        "{\"net\": \"small.cfg\", \"input\": [1, 3, 8, 8], \"status\": \"mismatch\", \"in_features\": 288, "
                        "\"output\": [1, 2], \"implicit_flatten\": null, "
                        "\"errors\": [{\"line\": 2, \"col\": 18, \"layer\": \"Conv2d\", \"kind\": \"mismatch\", "
                        "\"message\": \"Given groups=1, weight of size [8, 4, 3, 3], expected input[1, 3, 8, 8] to have 4 channels, but got 3 channels instead\"}], "
                        "\"fixes\": [{\"line\": 2, \"col\": 18, \"field\": \"in_channels\", \"have\": 4, \"need\": 3}, "
                        "{\"line\": 4, \"col\": 11, \"field\": \"in_features\", \"have\": null, \"need\": 288}], "
                        "\"layers\": [{\"line\": 2, \"type\": \"Conv2d\", \"label\": \"conv\", \"output\": [1, 8, 6, 6], \"params\": 224, \"mult_adds\": 8064}, "
                        "{\"line\": 3, \"type\": \"Flatten\", \"output\": [1, 288], \"params\": 0, \"mult_adds\": 0}, "
                        "{\"line\": 4, \"type\": \"Linear\", \"output\": [1, 2], \"params\": 578, \"mult_adds\": 578}], "
                        "\"summary\": {\"total_params\": 802, \"trainable_params\": 802, \"non_trainable_params\": 0, "
                        "\"total_mult_adds\": 8642, \"input_bytes\": 768, \"forward_backward_bytes\": 2320, \"params_bytes\": 3208}}");
    free(json);
    run_free(&r);
}

/* ---- diagnostics --------------------------------------------------------------- */

static void diagnostics_point_at_the_argument(void **state)
{
    run r = run_net(state, "small.cfg", SMALL_NET);
    char *diag = probe_result_diagnostics(r.res);
    assert_string_equal(diag,
                        "small.cfg:2:18: error: Given groups=1, weight of size [8, 4, 3, 3], expected input[1, 3, 8, 8] to have 4 channels, but got 3 channels instead\n"
                        " 2 | conv = nn.Conv2d(4, 8, 3)\n"
                        "   |                  ^\n"
                        "fix: nn.Conv2d(3, 8, 3)\n");
    free(diag);
    run_free(&r);
}

static void diagnostics_point_at_the_layer(void **state)
{
    /* nn.Sequential(nn.Conv2d(3, 8, kernel_size=5, stride=2, padding=1),
     * nn.MaxPool2d(4))(torch.rand(1, 3, 8, 8)) */
    run r = run_net(state, "n.cfg", "input: 3x8x8\nnn.Conv2d(3, 8,\n          kernel_size=5, stride=2, padding=1)\nnn.MaxPool2d(4)\n");
    char *diag = probe_result_diagnostics(r.res);
    assert_string_equal(diag,
                        "n.cfg:4:1: error: Given input size: (8x3x3). Calculated output size: (8x0x0). Output size is too small\n"
                        " 4 | nn.MaxPool2d(4)\n"
                        "   | ^~~~~~~~~~~~\n");
    free(diag);
    run_free(&r);
}

static void diagnostics_of_the_whole_file_and_of_none(void **state)
{
    run r = run_net(state, "u.cfg", "nn.ReLU()\n");
    char *diag = probe_result_diagnostics(r.res);
    assert_string_equal(diag,
                        "u.cfg: error: cannot tell the input channels: no layer before the first Flatten or Linear declares them; "
                        "add a line 'input: CxHxW' or give --input CxHxW\n");
    free(diag);
    run_free(&r);
    r = run_net(state, "ok.cfg", "input: 3x4x4\nnn.ReLU()\n");
    diag = probe_result_diagnostics(r.res);
    assert_string_equal(diag, "");
    free(diag);
    run_free(&r);
}

/* ---- the table ------------------------------------------------------------------ */

static void table_ends_with_the_verdict(void **state)
{
    run r = run_net(state, "small.cfg", SMALL_NET);
    char *table = probe_result_table(r.res);
    expect_contains(table, "small.cfg: input [1, 3, 8, 8]\n");
    expect_contains(table, "conv = nn.Conv2d(4, 8, 3)");
    expect_contains(table, "verdict: mismatch; the first Linear needs in_features=288\n"
                           "  line 2: in_channels 4 -> 3\n"
                           "  line 4: in_features ? -> 288\n");
    free(table);
    run_free(&r);
    r = run_net(state, "ok.cfg", "input: 3x4x4\nnn.ReLU()\n");
    table = probe_result_table(r.res);
    expect_contains(table, "verdict: ok\n");
    free(table);
    run_free(&r);
    r = run_net(state, "u.cfg", "nn.ReLU()\n");
    table = probe_result_table(r.res);
    assert_string_equal(table, "u.cfg: not run\nverdict: invalid\n");
    free(table);
    run_free(&r);
}

/* ---- written in pieces --------------------------------------------------- */

typedef struct collected {
    char *buf;
    size_t len;
    int calls;
    int stop_after;             /* >0: the write that returns 7 */
} collected;

static int collect(void *ud, const char *bytes, size_t n)
{
    collected *c = ud;
    c->calls++;
    char *grown = realloc(c->buf, c->len + n + 1);
    assert_non_null(grown);
    c->buf = grown;
    memcpy(c->buf + c->len, bytes, n);
    c->len += n;
    c->buf[c->len] = '\0';
    return c->calls == c->stop_after ? 7 : 0;
}

/* A net of n ReLUs after a Conv2d: one row each. */
static char *relu_net(int n)
{
    size_t cap = 64 + (size_t)n * 12;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t len = (size_t)snprintf(text, cap, "input: 3x8x8\nnn.Conv2d(3, 4, 3)\n");
    for (int i = 0; i < n; i++) len += (size_t)snprintf(text + len, cap - len, "nn.ReLU()\n");
    return text;
}

static void write_gives_the_same_text_in_pieces(void **state)
{
    static const struct { probe_report which; char *(*whole)(const probe_result *); } reports[] = {
        { PROBE_REPORT_TABLE, probe_result_table }, { PROBE_REPORT_JSON, probe_result_json },
        { PROBE_REPORT_EXPLAIN, probe_result_explain }, { PROBE_REPORT_SUMMARY, probe_result_summary },
    };
    char *text = relu_net(5000);
    probe_net *net = probe_net_parse(*state, "big.cfg", text, strlen(text));
    assert_non_null(net);
    probe_options opt = probe_options_default();
    opt.explain = 1;
    probe_result *res = probe_run(net, &opt);
    assert_non_null(res);
    for (size_t k = 0; k < sizeof reports / sizeof reports[0]; k++) {
        collected c = { NULL, 0, 0, 0 };
        assert_int_equal(probe_result_write(res, reports[k].which, collect, &c), 0);
        char *whole = reports[k].whole(res);
        assert_non_null(whole);
        assert_true(strlen(whole) > 64 * 1024);
        assert_string_equal(c.buf, whole);
        /* pieces of about 64 KiB, not one and not one per row */
        assert_true(c.calls > 1);
        assert_true((size_t)c.calls < strlen(whole) / 60000 + 2);
        free(whole);
        free(c.buf);
    }
    probe_result_free(res);
    probe_net_free(net);
    free(text);
}

static void write_stops_when_the_writer_says_so(void **state)
{
    char *text = relu_net(5000);
    run r = run_net(state, "big.cfg", text);
    collected c = { NULL, 0, 0, 1 };
    assert_int_equal(probe_result_write(r.res, PROBE_REPORT_TABLE, collect, &c), 7);
    assert_int_equal(c.calls, 1);
    free(c.buf);
    assert_int_equal(probe_result_write(r.res, PROBE_REPORT_COUNT, collect, &c), -1);
    assert_int_equal(probe_result_write(r.res, PROBE_REPORT_TABLE, NULL, &c), -1);
    run_free(&r);
    free(text);
}

static void adopt_takes_the_buffer_over(void **state)
{
    const char *src = "input: 3x8x8\nnn.Conv2d(3, 4, 3)\nnn.Flatten()\nnn.Linear(?, 2)\n";
    size_t len = strlen(src);
    /* no NUL after the text: the net reads len bytes, no more */
    char *buf = malloc(len);
    assert_non_null(buf);
    memcpy(buf, src, len);
    probe_net *net = probe_net_adopt(*state, "adopted.cfg", buf, len);
    assert_non_null(net);
    size_t n;
    assert_ptr_equal(probe_net_text(net, &n), buf);
    assert_int_equal(n, len);
    probe_options opt = probe_options_default();
    probe_result *res = probe_run(net, &opt);
    assert_non_null(res);
    assert_int_equal(probe_result_in_features(res), 144);
    probe_result_free(res);
    probe_net_free(net);    /* frees buf: LeakSanitizer and ASan would see otherwise */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_escapes_the_net_name),
        cmocka_unit_test(json_escapes_messages),
        cmocka_unit_test(json_quote_keeps_it_valid_utf8),
        cmocka_unit_test(bom_kept_by_the_fix_and_not_shown),
        cmocka_unit_test(json_nulls),
        cmocka_unit_test(json_of_a_small_net),
        cmocka_unit_test(diagnostics_point_at_the_argument),
        cmocka_unit_test(diagnostics_point_at_the_layer),
        cmocka_unit_test(diagnostics_of_the_whole_file_and_of_none),
        cmocka_unit_test(table_ends_with_the_verdict),
        cmocka_unit_test(write_gives_the_same_text_in_pieces),
        cmocka_unit_test(write_stops_when_the_writer_says_so),
        cmocka_unit_test(adopt_takes_the_buffer_over),
    };
    return cmocka_run_group_tests(tests, setup_registry, free_registry);
}
