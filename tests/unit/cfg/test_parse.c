/* test_parse.c - net.cfg statements: every grammar form of NETCFG.md, the
 * values of arguments, and each syntax error's text and place. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cfg/parse.h"
#include "fixtures.h"

/* The parser asks which names are layers: a name followed by a lone '('
 * opens a multi-line call when it is one, a container otherwise. */
static bool is_layer(const char *name, void *ud)
{
    (void)ud;
    static const char *const known[] = { "Conv2d", "Linear", "ReLU", "MaxPool2d", "Flatten", "Dropout", NULL };
    for (const char *const *k = known; *k; k++)
        if (!strcmp(*k, name)) return true;
    return false;
}

static parse_result parse_ok(void **state, const char *text)
{
    parse_result pr;
    diag err;
    memset(&err, 0, sizeof err);
    bool ok = parse_text(*state, text, strlen(text), is_layer, NULL, &pr, &err);
    if (!ok) print_error("unexpected syntax error %u:%u: %s\n", err.at.line, err.at.col, err.message);
    assert_true(ok);
    return pr;
}

#define EXPECT_SPAN(sp, ln, cl, from, to)   \
    do {                                    \
        assert_int_equal((sp).line, (ln));  \
        assert_int_equal((sp).col, (cl));   \
        assert_int_equal((sp).off, (from)); \
        assert_int_equal((sp).end, (to));   \
    } while (0)

#define EXPECT_SYNTAX_ERROR(text, msg, ln, cl)                                              \
    do {                                                                                    \
        parse_result pr_;                                                                   \
        diag err_;                                                                   \
        const char *t_ = (text);                                                            \
        assert_false(parse_text(*state, t_, strlen(t_), is_layer, NULL, &pr_, &err_));      \
        assert_string_equal(err_.message, (msg));                                           \
        assert_int_equal(err_.at.line, (ln));                                               \
        assert_int_equal(err_.at.col, (cl));                                                \
    } while (0)

/* The one argument of a one-statement file. */
static const value *only_arg(void **state, const char *text)
{
    parse_result pr = parse_ok(state, text);
    assert_int_equal(pr.n, 1);
    assert_int_equal(pr.stmts[0].nargs, 1);
    return &pr.stmts[0].args[0].val;
}

/* ---- statements -------------------------------------------------------- */

static void empty_and_comment_only_files(void **state)
{
    parse_result pr = parse_ok(state, "");
    assert_int_equal(pr.n, 0);
    assert_int_equal(pr.unclosed, 0);
    pr = parse_ok(state, "\n\n   # only a comment\n\t\n");
    assert_int_equal(pr.n, 0);
}

static void a_layer(void **state)
{
    parse_result pr = parse_ok(state, "ReLU()");
    assert_int_equal(pr.n, 1);
    const stmt *s = &pr.stmts[0];
    assert_int_equal(s->kind, STMT_LAYER);
    assert_string_equal(s->name, "ReLU");
    assert_null(s->label);
    assert_int_equal(s->nargs, 0);
    EXPECT_SPAN(s->name_span, 1, 1, 0, 4);
    EXPECT_SPAN(s->span, 1, 1, 0, 6);
}

static void module_prefixes(void **state)
{
    static const struct { const char *text; size_t name_end; } cases[] = {
        { "nn.ReLU()", 7 }, { "torch.nn.ReLU()", 13 }, { "torch.ReLU()", 10 },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        parse_result pr = parse_ok(state, cases[k].text);
        assert_int_equal(pr.n, 1);
        assert_string_equal(pr.stmts[0].name, "ReLU");
        EXPECT_SPAN(pr.stmts[0].name_span, 1, 1, 0, cases[k].name_end);
    }
}

static void unknown_module_paths(void **state)
{
    static const char *const tail = " is not a module path probe knows: write the layer as nn.Name(...) or Name(...)";
    char msg[200];
    static const struct { const char *text, *path; unsigned col; } cases[] = {
        { "foo.ReLU()", "'foo.'", 1 },
        { "nn.functional.relu()", "'nn.functional.'", 1 },
        { "nn.torch.ReLU()", "'nn.torch.'", 1 },
        { "torch.torch.ReLU()", "'torch.torch.'", 1 },
        { "nn.nn.ReLU()", "'nn.nn.'", 1 },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        snprintf(msg, sizeof msg, "%s%s", cases[k].path, tail);
        EXPECT_SYNTAX_ERROR(cases[k].text, msg, 1, cases[k].col);
    }
}

static void labels(void **state)
{
    parse_result pr = parse_ok(state,
                               "(0): nn.ReLU()\n"
                               "(fc1): Linear(4, 2)\n"
                               "conv1 = nn.Conv2d(3, 8, 3)\n"
                               "self.pool = nn.MaxPool2d(2)\n"
                               "self.pool=MaxPool2d(2)\n");
    assert_int_equal(pr.n, 5);
    assert_string_equal(pr.stmts[0].label, "(0)");
    assert_string_equal(pr.stmts[0].name, "ReLU");
    /* the statement starts at its name: the label is not part of it */
    EXPECT_SPAN(pr.stmts[0].span, 1, 6, 5, 14);
    assert_string_equal(pr.stmts[1].label, "(fc1)");
    assert_string_equal(pr.stmts[2].label, "conv1");
    EXPECT_SPAN(pr.stmts[2].name_span, 3, 9, 43, 52);
    assert_string_equal(pr.stmts[3].label, "pool");
    assert_string_equal(pr.stmts[3].name, "MaxPool2d");
    assert_string_equal(pr.stmts[4].label, "pool");
}

/* print(model) labels a child named with dashes as written
 * (RegNet's "block1-0"): the parts and the dashes together */
static void dashed_labels(void **state)
{
    static const char *const want[] = { "(block1-0)", "(x-y-2)", "(3-b)" };
    parse_result pr = parse_ok(state, "(block1-0): nn.ReLU()\n(x-y-2): ReLU()\n(3-b): ReLU()\n");
    assert_int_equal(pr.n, 3);
    for (size_t k = 0; k < 3; k++) {
        assert_string_equal(pr.stmts[k].label, want[k]);
        assert_string_equal(pr.stmts[k].name, "ReLU");
    }
    EXPECT_SPAN(pr.stmts[0].span, 1, 13, 12, 21);
    /* spaced apart, it is no label */
    EXPECT_SYNTAX_ERROR("(a - 1): ReLU()\n", "expected a layer such as nn.Conv2d(...), got '('", 1, 1);
}

static void trailing_commas(void **state)
{
    parse_result pr = parse_ok(state, "nn.Conv2d(3, 8, 3,),\nnn.ReLU(),\nLinear(4, 2, bias=False,)\n");
    assert_int_equal(pr.n, 3);
    assert_int_equal(pr.stmts[0].nargs, 3);
    assert_int_equal(pr.stmts[1].nargs, 0);
    assert_int_equal(pr.stmts[2].nargs, 3);
    assert_string_equal(pr.stmts[2].args[2].key, "bias");
}

static void comments_anywhere(void **state)
{
    parse_result pr = parse_ok(state,
                               "# a net\n"
                               "ReLU()  # activation (with a paren\n"
                               "Conv2d(3,  # in\n"
                               "       8,  # out\n"
                               "       3)  # kernel\n");
    assert_int_equal(pr.n, 2);
    assert_int_equal(pr.stmts[1].nargs, 3);
    assert_int_equal(pr.stmts[1].args[2].val.i, 3);
}

static void multi_line_call(void **state)
{
    parse_result pr = parse_ok(state,
                               "conv = nn.Conv2d(\n"
                               "    3, 8,\n"
                               "    kernel_size=3,\n"
                               ")\n"
                               "ReLU()\n");
    assert_int_equal(pr.n, 2);
    const stmt *s = &pr.stmts[0];
    assert_int_equal(s->kind, STMT_LAYER);
    assert_string_equal(s->label, "conv");
    assert_int_equal(s->nargs, 3);
    EXPECT_SPAN(s->span, 1, 8, 7, 48);
    EXPECT_SPAN(s->args[1].val.span, 2, 8, 25, 26);
    assert_string_equal(s->args[2].key, "kernel_size");
    EXPECT_SPAN(s->args[2].key_span, 3, 5, 32, 43);
    EXPECT_SPAN(pr.stmts[1].span, 5, 1, 49, 55);
}

static void container(void **state)
{
    parse_result pr = parse_ok(state,
                               "Sequential(\n"
                               "  (0): Conv2d(3, 8, 3)\n"
                               "  (1): ReLU()\n"
                               ")\n");
    assert_int_equal(pr.n, 4);
    assert_int_equal(pr.unclosed, 0);
    assert_int_equal(pr.stmts[0].kind, STMT_OPEN);
    assert_string_equal(pr.stmts[0].name, "Sequential");
    EXPECT_SPAN(pr.stmts[0].span, 1, 1, 0, 11);
    assert_int_equal(pr.stmts[1].kind, STMT_LAYER);
    assert_int_equal(pr.stmts[2].kind, STMT_LAYER);
    assert_int_equal(pr.stmts[3].kind, STMT_CLOSE);
    EXPECT_SPAN(pr.stmts[3].span, 4, 1, 49, 50);
}

static void nested_containers_of_a_model(void **state)
{
    parse_result pr = parse_ok(state,
                               "VGG(\n"
                               "  (features): nn.Sequential(  # the convolutions\n"
                               "    (0): Conv2d(3, 64, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))\n"
                               "  ),\n"
                               "  (classifier): Sequential(\n"
                               "    (0): Linear(in_features=25088, out_features=4096, bias=True)\n"
                               "  )\n"
                               ")\n");
    static const stmt_kind kinds[] = { STMT_OPEN, STMT_OPEN, STMT_LAYER, STMT_CLOSE,
                                       STMT_OPEN, STMT_LAYER, STMT_CLOSE, STMT_CLOSE };
    assert_int_equal(pr.n, 8);
    for (size_t k = 0; k < pr.n; k++) assert_int_equal(pr.stmts[k].kind, kinds[k]);
    assert_string_equal(pr.stmts[0].name, "VGG");
    assert_string_equal(pr.stmts[1].label, "(features)");
    assert_string_equal(pr.stmts[1].name, "Sequential");
    assert_string_equal(pr.stmts[4].label, "(classifier)");
    assert_int_equal(pr.unclosed, 0);
}

static void containers_closed_by_end_of_file(void **state)
{
    parse_result pr = parse_ok(state,
                               "  Net(\n"
                               "  (body): Sequential(\n"
                               "    (0): ReLU()");
    assert_int_equal(pr.unclosed, 2);
    EXPECT_SPAN(pr.unclosed_at, 1, 3, 2, 5);
    assert_int_equal(pr.n, 5);
    assert_int_equal(pr.stmts[3].kind, STMT_CLOSE);
    assert_int_equal(pr.stmts[4].kind, STMT_CLOSE);
    /* the closers the file lacks stand at its end */
    EXPECT_SPAN(pr.stmts[4].span, 3, 16, 44, 44);
}

/* print(model) ends the last child and its container on one line */
static void closer_on_the_layer_line(void **state)
{
    parse_result pr = parse_ok(state,
                               "Sequential(\n"
                               "  Sequential(\n"
                               "    nn.ReLU()),\n"
                               "  nn.ReLU())\n"
                               "Linear(4, 2)\n");
    static const stmt_kind kinds[] = { STMT_OPEN, STMT_OPEN, STMT_LAYER, STMT_CLOSE,
                                       STMT_LAYER, STMT_CLOSE, STMT_LAYER };
    assert_int_equal(pr.n, 7);
    for (size_t k = 0; k < pr.n; k++) assert_int_equal(pr.stmts[k].kind, kinds[k]);
    EXPECT_SPAN(pr.stmts[3].span, 3, 14, 39, 40);
    assert_int_equal(pr.unclosed, 0);
}

static void closer_line_with_comma(void **state)
{
    parse_result pr = parse_ok(state, "Block(\n  ReLU()\n),\n");
    assert_int_equal(pr.n, 3);
    assert_int_equal(pr.stmts[2].kind, STMT_CLOSE);
}

/* A layer's name with nothing after '(' starts a call spread over lines;
 * a name the parser does not know as a layer opens a container. */
static void lone_paren_after_a_layer_or_not(void **state)
{
    parse_result pr = parse_ok(state, "MaxPool2d(\n  2)\n");
    assert_int_equal(pr.n, 1);
    assert_int_equal(pr.stmts[0].kind, STMT_LAYER);
    assert_int_equal(pr.stmts[0].args[0].val.i, 2);
    pr = parse_ok(state, "MyBlock(  # custom\n  ReLU())\n");
    assert_int_equal(pr.n, 3);
    assert_int_equal(pr.stmts[0].kind, STMT_OPEN);
    assert_string_equal(pr.stmts[0].name, "MyBlock");
    /* with an argument on its line it is a call, known or not */
    pr = parse_ok(state, "MyBlock(3,\n  4)\n");
    assert_int_equal(pr.n, 1);
    assert_int_equal(pr.stmts[0].kind, STMT_LAYER);
    assert_int_equal(pr.stmts[0].nargs, 2);
}

/* ---- the input line ---------------------------------------------------- */

static void input_line(void **state)
{
    parse_result pr = parse_ok(state, "# sizes\ninput: 3x32x32  # CIFAR\nReLU()\n");
    assert_int_equal(pr.n, 2);
    const stmt *s = &pr.stmts[0];
    assert_int_equal(s->kind, STMT_INPUT);
    assert_int_equal(s->input[0], 3);
    assert_int_equal(s->input[1], 32);
    assert_int_equal(s->input[2], 32);
    EXPECT_SPAN(s->input_span, 2, 8, 15, 22);
    EXPECT_SPAN(s->span, 2, 1, 8, 22);
    assert_int_equal(pr.stmts[1].kind, STMT_LAYER);
}

static void input_line_with_blanks(void **state)
{
    (void)state;
    arena ar;
    arena_init(&ar);
    parse_result pr;
    diag err;
    static const char text[] = "input: 3 x 32 x 24\n";
    assert_true(parse_text(&ar, text, sizeof text - 1, NULL, NULL, &pr, &err));
    assert_int_equal(pr.stmts[0].input[0], 3);
    assert_int_equal(pr.stmts[0].input[1], 32);
    assert_int_equal(pr.stmts[0].input[2], 24);
    arena_free(&ar);
}

static void input_line_errors(void **state)
{
    static const char *const usage = "expected 'input: CxL', 'input: CxHxW' or 'input: CxDxHxW': the channels and 1 to 3 sizes, positive integers such as 'input: 3x32x32'";
    static const char *const positive = "input sizes must be positive: C and each size are at least 1";
    EXPECT_SYNTAX_ERROR("input: 0x32x32\n", positive, 1, 8);
    EXPECT_SYNTAX_ERROR("input: 3x32x0\n", positive, 1, 13);
    EXPECT_SYNTAX_ERROR("input: 3 32 32\n", usage, 1, 10);
    EXPECT_SYNTAX_ERROR("input: 3 x 32 x 32 x\n", usage, 1, 21);
    EXPECT_SYNTAX_ERROR("input: 3x\n", usage, 1, 10);
    EXPECT_SYNTAX_ERROR("input: 3\n", usage, 1, 9);
    EXPECT_SYNTAX_ERROR("input:\n", usage, 1, 7);
    EXPECT_SYNTAX_ERROR("input: 3x32x32 RGB\n", usage, 1, 16);
    EXPECT_SYNTAX_ERROR("ReLU()\ninput: 3x32x32\n", "the input line must come before the first layer", 2, 1);
    EXPECT_SYNTAX_ERROR("input: 3x32x32\n\ninput: 1x28x28\n", "a second input line: give the input size once", 3, 1);
}

/* ---- values ------------------------------------------------------------ */

static void question_mark(void **state)
{
    parse_result pr = parse_ok(state, "fc1 = nn.Linear(?, 10)");
    const value *v = &pr.stmts[0].args[0].val;
    assert_int_equal(v->kind, VAL_QUESTION);
    EXPECT_SPAN(v->span, 1, 17, 16, 17);
    assert_int_equal(pr.stmts[0].args[1].val.i, 10);
}

static void integer_arithmetic(void **state)
{
    static const struct { const char *text; int64_t want; size_t off, end; } cases[] = {
        { "Linear(16 * 5 * 5)", 400, 7, 17 },
        { "Linear(32*8*8)", 2048, 7, 13 },
        { "Linear((2+3)*4)", 20, 7, 14 },
        { "Linear(2 + 3 * 4)", 14, 7, 16 },
        { "Linear(10 - 2 - 3)", 5, 7, 17 },
        { "Linear(7 // 2)", 3, 7, 13 },
        { "Linear(-7 // 2)", -4, 7, 14 },
        { "Linear(7 // -2)", -4, 7, 14 },
        { "Linear(-8 // 2)", -4, 7, 14 },
        { "Linear(512 * 7 * 7)", 25088, 7, 18 },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const value *v = only_arg(state, cases[k].text);
        assert_int_equal(v->kind, VAL_INT);
        assert_int_equal(v->i, cases[k].want);
        assert_true(v->computed);
        assert_int_equal(v->span.off, cases[k].off);
        assert_int_equal(v->span.end, cases[k].end);
    }
}

static void negative_and_parenthesized_literals(void **state)
{
    const value *v = only_arg(state, "Flatten(-1)");
    assert_int_equal(v->kind, VAL_INT);
    assert_int_equal(v->i, -1);
    assert_false(v->computed);
    EXPECT_SPAN(v->span, 1, 9, 8, 10);
    v = only_arg(state, "Flatten((3))");
    assert_int_equal(v->kind, VAL_INT);
    assert_int_equal(v->i, 3);
    EXPECT_SPAN(v->span, 1, 9, 8, 11);
    v = only_arg(state, "Flatten(- -2)");
    assert_int_equal(v->i, 2);
    v = only_arg(state, "Flatten(+2)");
    assert_int_equal(v->i, 2);
}

static void arithmetic_overflow(void **state)
{
    static const char *const msg = "arithmetic overflows a signed 64-bit integer: sizes must stay below 9223372036854775808";
    EXPECT_SYNTAX_ERROR("Linear(9223372036854775807 + 1)", msg, 1, 8);
    /* the whole expression so far is marked, not only its left side */
    parse_result pr;
    diag err;
    const char *text = "Linear(3 * 3074457345618258602 * 2)";
    assert_false(parse_text(*state, text, strlen(text), is_layer, NULL, &pr, &err));
    assert_string_equal(err.message, msg);
    EXPECT_SPAN(err.at, 1, 8, 7, 34);
    EXPECT_SYNTAX_ERROR("Linear(\n  4611686018427387904 * 2)", msg, 2, 3);
    EXPECT_SYNTAX_ERROR("Linear(-9223372036854775807 - 2)", msg, 1, 8);
    EXPECT_SYNTAX_ERROR("Linear(1 // 0)", "division by zero", 1, 10);
    EXPECT_SYNTAX_ERROR("Linear(1.0 / 0)", "division by zero", 1, 12);
}

static void floats(void **state)
{
    const value *v = only_arg(state, "Dropout(0.5)");
    assert_int_equal(v->kind, VAL_FLOAT);
    assert_true(v->f == 0.5);
    v = only_arg(state, "BatchNorm2d(eps=1e-05)");
    assert_int_equal(v->kind, VAL_FLOAT);
    assert_true(v->f == 1e-05);
    v = only_arg(state, "LeakyReLU(-0.2)");
    assert_int_equal(v->kind, VAL_FLOAT);
    assert_true(v->f == -0.2);
    EXPECT_SPAN(v->span, 1, 11, 10, 14);
    /* '/' divides as Python 3 does; a float anywhere makes a float */
    v = only_arg(state, "Dropout(7 / 2)");
    assert_int_equal(v->kind, VAL_FLOAT);
    assert_true(v->f == 3.5);
    assert_true(v->computed);
    v = only_arg(state, "Dropout(1.5 * 2)");
    assert_int_equal(v->kind, VAL_FLOAT);
    assert_true(v->f == 3.0);
    v = only_arg(state, "Dropout(7.0 // 2)");
    assert_int_equal(v->kind, VAL_FLOAT);
    assert_true(v->f == 3.0);
}

static void strings_and_bare_words(void **state)
{
    parse_result pr = parse_ok(state, "Conv2d(padding='same', padding_mode=\"zeros\", mode=nearest, dtype=torch.float32)");
    const arg *a = pr.stmts[0].args;
    assert_int_equal(a[0].val.kind, VAL_STR);
    assert_string_equal(a[0].val.s, "same");
    EXPECT_SPAN(a[0].val.span, 1, 16, 15, 21);
    assert_int_equal(a[1].val.kind, VAL_STR);
    assert_string_equal(a[1].val.s, "zeros");
    assert_int_equal(a[2].val.kind, VAL_WORD);
    assert_string_equal(a[2].val.s, "nearest");
    assert_int_equal(a[3].val.kind, VAL_WORD);
    assert_string_equal(a[3].val.s, "torch.float32");
    EXPECT_SPAN(a[3].val.span, 1, 66, 65, 78);
}

static void constants(void **state)
{
    parse_result pr = parse_ok(state, "MaxPool2d(None, True, False)");
    const arg *a = pr.stmts[0].args;
    assert_int_equal(a[0].val.kind, VAL_NONE);
    assert_int_equal(a[1].val.kind, VAL_BOOL);
    assert_int_equal(a[1].val.i, 1);
    assert_int_equal(a[2].val.kind, VAL_BOOL);
    assert_int_equal(a[2].val.i, 0);
    EXPECT_SPAN(a[2].val.span, 1, 23, 22, 27);
}

static void tuples(void **state)
{
    const value *v = only_arg(state, "Conv2d((3, 5))");
    assert_int_equal(v->kind, VAL_TUPLE);
    assert_int_equal(v->n, 2);
    assert_int_equal(v->items[0].i, 3);
    assert_int_equal(v->items[1].i, 5);
    EXPECT_SPAN(v->span, 1, 8, 7, 13);
    EXPECT_SPAN(v->items[1].span, 1, 12, 11, 12);
    v = only_arg(state, "Conv2d((16,))");
    assert_int_equal(v->kind, VAL_TUPLE);
    assert_int_equal(v->n, 1);
    assert_int_equal(v->items[0].i, 16);
    EXPECT_SPAN(v->span, 1, 8, 7, 12);
    v = only_arg(state, "Conv2d(())");
    assert_int_equal(v->kind, VAL_TUPLE);
    assert_int_equal(v->n, 0);
    v = only_arg(state, "Conv2d((1, None, 2 * 3,))");
    assert_int_equal(v->n, 3);
    assert_int_equal(v->items[1].kind, VAL_NONE);
    assert_int_equal(v->items[2].i, 6);
    v = only_arg(state, "Conv2d(((1, 2), [3]))");
    assert_int_equal(v->n, 2);
    assert_int_equal(v->items[0].kind, VAL_TUPLE);
    assert_int_equal(v->items[0].items[1].i, 2);
    assert_int_equal(v->items[1].kind, VAL_LIST);
    assert_int_equal(v->items[1].items[0].i, 3);
    v = only_arg(state, "Conv2d((\n  3,\n  3\n))");
    assert_int_equal(v->kind, VAL_TUPLE);
    assert_int_equal(v->n, 2);
    EXPECT_SPAN(v->span, 1, 8, 7, 19);
}

static void lists(void **state)
{
    const value *v = only_arg(state, "LayerNorm([8, 4, 4])");
    assert_int_equal(v->kind, VAL_LIST);
    assert_int_equal(v->n, 3);
    assert_int_equal(v->items[2].i, 4);
    EXPECT_SPAN(v->span, 1, 11, 10, 19);
    v = only_arg(state, "LayerNorm([])");
    assert_int_equal(v->kind, VAL_LIST);
    assert_int_equal(v->n, 0);
    v = only_arg(state, "LayerNorm([7,])");
    assert_int_equal(v->n, 1);
}

static void keywords_and_positionals(void **state)
{
    parse_result pr = parse_ok(state, "Conv2d(3, 8, kernel_size=3, stride = 2)");
    const stmt *s = &pr.stmts[0];
    assert_int_equal(s->nargs, 4);
    assert_null(s->args[0].key);
    assert_null(s->args[1].key);
    assert_string_equal(s->args[2].key, "kernel_size");
    EXPECT_SPAN(s->args[2].key_span, 1, 14, 13, 24);
    assert_string_equal(s->args[3].key, "stride");
    assert_int_equal(s->args[3].val.i, 2);
}

static void value_text_on_its_own(void **state)
{
    value v;
    diag err;
    assert_true(parse_value_text(*state, "1e-05", 5, &v, &err));
    assert_int_equal(v.kind, VAL_FLOAT);
    assert_true(parse_value_text(*state, "(1, 1)", 6, &v, &err));
    assert_int_equal(v.kind, VAL_TUPLE);
    assert_true(parse_value_text(*state, "-1", 2, &v, &err));
    assert_int_equal(v.i, -1);
    assert_false(parse_value_text(*state, "1 2", 3, &v, &err));
    assert_string_equal(err.message, "expected the end of the value, got an integer");
    assert_int_equal(err.at.col, 3);
}

/* ---- syntax errors ----------------------------------------------------- */

static void unclosed_paren(void **state)
{
    EXPECT_SYNTAX_ERROR("ReLU()\nconv = Conv2d(3, 8,\n  3\n", "'(' was never closed: add the ')' that ends this call", 2, 14);
    EXPECT_SYNTAX_ERROR("Conv2d((1, 2)", "'(' was never closed: add the ')' that ends this call", 1, 7);
    /* the next statement begins: the ')' was forgotten, not a ',' */
    EXPECT_SYNTAX_ERROR("Conv2d(3, 8, 3\nReLU()\n", "'(' was never closed: add the ')' that ends this call", 1, 7);
    EXPECT_SYNTAX_ERROR("Conv2d(3, 8, 3\nself.act = ReLU()\n", "'(' was never closed: add the ')' that ends this call", 1, 7);
    EXPECT_SYNTAX_ERROR("Conv2d(3, 8, 3\n(1): ReLU()\n", "'(' was never closed: add the ')' that ends this call", 1, 7);
    EXPECT_SYNTAX_ERROR("Conv2d(3, kernel_size=", "expected a value, got end of file", 1, 23);
}

static void stray_closer(void **state)
{
    EXPECT_SYNTAX_ERROR(")", "unmatched ')': no container is open here", 1, 1);
    EXPECT_SYNTAX_ERROR("ReLU()\n  )", "unmatched ')': no container is open here", 2, 3);
    EXPECT_SYNTAX_ERROR("nn.ReLU())", "unmatched ')': no container is open here", 1, 10);
    EXPECT_SYNTAX_ERROR("Seq(\n  ReLU()))", "unmatched ')': no container is open here", 2, 10);
}

static void missing_comma(void **state)
{
    EXPECT_SYNTAX_ERROR("Conv2d(3 8)", "expected ',' or ')' after an argument, got an integer", 1, 10);
    EXPECT_SYNTAX_ERROR("Conv2d(3, 8\n  kernel_size=3)", "expected ',' or ')' after an argument, got 'kernel_size'", 2, 3);
    EXPECT_SYNTAX_ERROR("Conv2d(1, (2 3))", "expected ',' or ')', got an integer", 1, 14);
    EXPECT_SYNTAX_ERROR("Conv2d([1, 2)", "expected ',' or ']', got ')'", 1, 13);
    EXPECT_SYNTAX_ERROR("Conv2d(1,,2)", "expected a value, got ','", 1, 10);
    EXPECT_SYNTAX_ERROR("Conv2d(,)", "expected a value, got ','", 1, 8);
}

static void keyword_errors(void **state)
{
    EXPECT_SYNTAX_ERROR("Conv2d(3, stride=1, stride=2)", "keyword argument repeated: 'stride'", 1, 21);
    EXPECT_SYNTAX_ERROR("Conv2d(3, stride=1, 8)", "positional argument follows keyword argument", 1, 21);
    EXPECT_SYNTAX_ERROR("Conv2d(1=2)", "expected ',' or ')' after an argument, got '='", 1, 9);
}

static void statements_that_are_not_calls(void **state)
{
    EXPECT_SYNTAX_ERROR("x = 3", "expected a layer such as nn.Conv2d(...), got an integer", 1, 5);
    EXPECT_SYNTAX_ERROR("ReLU()\nnn.ReLU", "expected '(' after 'ReLU': write the layer as a call, e.g. ReLU()", 2, 8);
    EXPECT_SYNTAX_ERROR("nn.ReLU\nReLU()", "expected '(' after 'ReLU': write the layer as a call, e.g. ReLU()", 1, 8);
    EXPECT_SYNTAX_ERROR("nn.ReLU x", "expected '(' after the layer name, got 'x'", 1, 9);
    EXPECT_SYNTAX_ERROR("ReLU() ReLU()", "expected the end of the line after the statement, got 'ReLU'", 1, 8);
    EXPECT_SYNTAX_ERROR("ReLU() = 3", "expected the end of the line after the statement, got '='", 1, 8);
    EXPECT_SYNTAX_ERROR("(0) ReLU()", "expected a layer such as nn.Conv2d(...), got '('", 1, 1);
    EXPECT_SYNTAX_ERROR("nn.(3)", "expected a layer name after '.', got '('", 1, 4);
    EXPECT_SYNTAX_ERROR("3x32x32", "invalid number", 1, 1);
    /* a paste of the whole class: Python's own lines are named as such */
    static const char *const python = "this line is Python code, not a layer: a net.cfg holds the layer lines of __init__ (or the text print(model) prints); delete it";
    EXPECT_SYNTAX_ERROR("return x", python, 1, 1);
    EXPECT_SYNTAX_ERROR("class Net(nn.Module):\n", python, 1, 1);
    EXPECT_SYNTAX_ERROR("conv = nn.Conv2d(3, 8, 3)\n    def forward(self, x):\n", python, 2, 5);
    EXPECT_SYNTAX_ERROR("super().__init__()\n", python, 1, 1);
}

/* nn.Sequential(a, b) on one line (or several to a line) is a container */
static void inline_containers(void **state)
{
    parse_result r = parse_ok(state, "m = nn.Sequential(nn.Conv2d(3, 6, 5), nn.Sequential(nn.ReLU()), nn.Flatten())\n"
                                             "seq = nn.Sequential(\n  nn.Linear(4, 4), nn.ReLU(),\n  nn.Linear(4, 2),\n)\n");
    const parse_result *pr = &r;
    static const stmt_kind kinds[] = { STMT_OPEN, STMT_LAYER, STMT_OPEN, STMT_LAYER, STMT_CLOSE, STMT_LAYER, STMT_CLOSE,
                                       STMT_OPEN, STMT_LAYER, STMT_LAYER, STMT_LAYER, STMT_CLOSE };
    static const char *const names[] = { "Sequential", "Conv2d", "Sequential", "ReLU", NULL, "Flatten", NULL,
                                         "Sequential", "Linear", "ReLU", "Linear", NULL };
    assert_int_equal(pr->n, 12);
    for (size_t i = 0; i < 12; i++) {
        assert_int_equal(pr->stmts[i].kind, kinds[i]);
        if (names[i]) assert_string_equal(pr->stmts[i].name, names[i]);
    }
    assert_string_equal(pr->stmts[0].label, "m");
    assert_int_equal(pr->stmts[1].nargs, 3);
    assert_int_equal(pr->stmts[9].span.line, 3);
    assert_int_equal(pr->stmts[9].span.col, 20);
    /* a layer is no argument of a layer */
    EXPECT_SYNTAX_ERROR("F.relu(x)", "'F.' calls are what forward() does, not layers: a net.cfg lists the layers of __init__ (nn.ReLU(), not F.relu(x))", 1, 1);
}

static void bad_values(void **state)
{
    EXPECT_SYNTAX_ERROR("Conv2d(-'a')", "'-' needs a number after it", 1, 8);
    EXPECT_SYNTAX_ERROR("Conv2d(1 + 'a')", "arithmetic needs numbers on both sides", 1, 10);
    EXPECT_SYNTAX_ERROR("Conv2d(2 ** 3)", "expected a value, got '*'", 1, 11);
    EXPECT_SYNTAX_ERROR("Conv2d(3, )\n)", "unmatched ')': no container is open here", 2, 1);
}

static void lexer_errors_speak_for_themselves(void **state)
{
    EXPECT_SYNTAX_ERROR("Conv2d(padding='same)", "unterminated string: add the closing quote", 1, 16);
    EXPECT_SYNTAX_ERROR("Linear(9999999999999999999, 2)",
                        "number too large: sizes must fit in a signed 64-bit integer (at most 9223372036854775807)", 1, 8);
    /* "Сonv2d" with a Cyrillic Es */
    EXPECT_SYNTAX_ERROR("ReLU()\nnn.\xD0\xA1onv2d(3, 8, 3)",
                        "non-ASCII character outside a string or comment (a look-alike letter?): retype it in ASCII", 2, 4);
    EXPECT_SYNTAX_ERROR("Conv2d(3, 8, 3) @", "unexpected character", 1, 17);
    EXPECT_SYNTAX_ERROR("@", "unexpected character", 1, 1);
}

static void encoding_errors_come_first(void **state)
{
    const char nul[] = "ReLU()\nRe\0LU()\n";
    parse_result pr;
    diag err;
    assert_false(parse_text(*state, nul, sizeof nul - 1, is_layer, NULL, &pr, &err));
    assert_string_equal(err.message, "NUL byte in the file: a net.cfg is text");
    assert_int_equal(err.at.line, 2);
    assert_int_equal(err.at.col, 3);
    EXPECT_SYNTAX_ERROR("# caf\xE9\nReLU()", "invalid UTF-8: save the file as UTF-8 text", 1, 6);
}

/* ---- statements handed over one at a time ------------------------------ */

typedef struct seen {
    arena *scratch;
    char names[8][32];
    char labels[8][32];
    int n;
    size_t scratch_max;
} seen;

static bool take(const stmt *st, void *ud)
{
    seen *s = ud;
    if (s->n == 8) return true;
    /* the label and the arguments are readable until the callback returns */
    snprintf(s->names[s->n], sizeof s->names[0], "%s/%d", st->name ? st->name : "-", st->nargs);
    snprintf(s->labels[s->n], sizeof s->labels[0], "%s", st->label ? st->label : "");
    if (st->nargs && st->args[0].val.kind == VAL_STR) assert_string_equal(st->args[0].val.s, "same");
    size_t b = arena_size(s->scratch);
    if (b > s->scratch_max) s->scratch_max = b;
    s->n++;
    return true;
}

static void statements_arrive_one_by_one(void **state)
{
    arena scratch;
    arena_init(&scratch);
    seen s;
    memset(&s, 0, sizeof s);
    s.scratch = &scratch;
    /* a big argument list per statement: the scratch arena is reset between
     * statements, so it never holds more than one of them */
    sb text;
    sb_init(&text);
    for (int k = 0; k < 3; k++) {
        sb_printf(&text, "c%d = Conv2d('same'", k);
        for (int a = 0; a < 200; a++) sb_puts(&text, ", (1, 2, 3, 4, 5, 6, 7, 8)");
        sb_puts(&text, ")\n");
    }
    sb_puts(&text, "m = Sequential(ReLU(), Flatten())\n");
    parse_hooks hooks = { is_layer, take, &s };
    parse_result pr;
    diag err;
    assert_true(parse_stream(*state, &scratch, text.buf, text.len, &hooks, &pr, &err));
    assert_int_equal(s.n, 7);
    assert_string_equal(s.names[0], "Conv2d/201");
    assert_string_equal(s.labels[2], "c2");
    assert_string_equal(s.names[3], "Sequential/0");
    assert_string_equal(s.labels[3], "m");
    assert_string_equal(s.names[4], "ReLU/0");
    assert_string_equal(s.names[5], "Flatten/0");
    assert_string_equal(s.names[6], "-/0");   /* the closer */
    assert_null(pr.stmts);
    /* one statement's worth (~250 KB: 200 tuples of 8 values, each tuple
     * built twice), not all three (~750 KB) */
    assert_true(s.scratch_max > 150000);
    assert_true(s.scratch_max < 400000);
    sb_free(&text);
    arena_free(&scratch);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup_arena, free_arena)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(statements_arrive_one_by_one, setup_arena, free_arena),
        T(empty_and_comment_only_files),
        T(a_layer),
        T(module_prefixes),
        T(unknown_module_paths),
        T(labels),
        T(dashed_labels),
        T(trailing_commas),
        T(comments_anywhere),
        T(multi_line_call),
        T(container),
        T(nested_containers_of_a_model),
        T(containers_closed_by_end_of_file),
        T(closer_on_the_layer_line),
        T(closer_line_with_comma),
        T(lone_paren_after_a_layer_or_not),
        T(input_line),
        T(input_line_errors),
        T(input_line_with_blanks),
        T(inline_containers),
        T(question_mark),
        T(integer_arithmetic),
        T(negative_and_parenthesized_literals),
        T(arithmetic_overflow),
        T(floats),
        T(strings_and_bare_words),
        T(constants),
        T(tuples),
        T(lists),
        T(keywords_and_positionals),
        T(value_text_on_its_own),
        T(unclosed_paren),
        T(stray_closer),
        T(missing_comma),
        T(keyword_errors),
        T(statements_that_are_not_calls),
        T(bad_values),
        T(lexer_errors_speak_for_themselves),
        T(encoding_errors_come_first),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
