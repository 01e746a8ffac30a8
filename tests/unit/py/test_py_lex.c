/* test_py_lex.c - the Python tokenizer: token kinds and spans, Python's
 * INDENT/DEDENT rules, every literal form, and every error's text and
 * line:col, each checked against CPython 3.11 (compile() and the tokenize
 * module on the same text). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "py/py_lex.h"
#include "fixtures.h"

/* The tokens of text as one line: "KIND[ text]@line:col" joined by
 * spaces; an error ends it as "Class: message@line:col". The text of
 * NAME, NUMBER and OP tokens is the source's; a STRING shows its value. */
static const char *tokens(void **state, const char *text, size_t len)
{
    static char out[8192];
    size_t n = 0;
    pylex lx;
    pylex_init(&lx, text, len, *state);
    for (int guard = 0; guard < 500; guard++) {
        pytoken t;
        pytok_kind k = pylex_next(&lx, &t);
        if (k == PYTOK_ERROR) {
            n += (size_t)snprintf(out + n, sizeof out - n, "%s%s: %s@%u:%u", n ? " " : "",
                                  pylex_err_class_name(lx.err_class), diag_message(&lx.err),
                                  (unsigned)lx.err.at.line, (unsigned)lx.err.at.col);
            break;
        }
        const char *src = text + t.span.off;
        int w = (int)(t.span.end - t.span.off);
        if (k == PYTOK_STRING) { src = t.s; w = (int)t.n; }
        if (k == PYTOK_NEWLINE || k == PYTOK_INDENT || k == PYTOK_DEDENT || k == PYTOK_ENDMARKER) w = 0;
        n += (size_t)snprintf(out + n, sizeof out - n, "%s%s%s%.*s@%u:%u", n ? " " : "",
                              pylex_kind_name(k), w ? " " : "", w, src,
                              (unsigned)t.span.line, (unsigned)t.span.col);
        if (k == PYTOK_ENDMARKER) break;
    }
    return out;
}

#define TOKS(text) tokens(state, (text), strlen(text))
/* only the error, the last thing in the line */
static const char *error_of(const char *all)
{
    const char *e = strstr(all, "Error: ");
    if (!e) return all;
    while (e > all && e[-1] != ' ') e--;
    return e;
}
#define ERR(text) error_of(TOKS(text))

/* ---- tokens -------------------------------------------------------------- */

static void names_keywords_and_spans(void **state)
{
    assert_string_equal(TOKS("import torch.nn as nn\n"),
        "NAME import@1:1 NAME torch@1:8 OP .@1:13 NAME nn@1:14 NAME as@1:17 NAME nn@1:20 NEWLINE@1:22 ENDMARKER@2:1");
    pylex lx;
    pytoken t;
    pylex_init(&lx, "elif x_1 None", 13, *state);
    assert_int_equal(pylex_next(&lx, &t), PYTOK_NAME);
    assert_int_equal(t.kw, PYKW_ELIF);
    assert_string_equal(pylex_kw_text(t.kw), "elif");
    assert_int_equal(pylex_next(&lx, &t), PYTOK_NAME);
    assert_int_equal(t.kw, PYKW_NAME);
    assert_string_equal(t.s, "x_1");
    assert_int_equal(t.span.off, 5);
    assert_int_equal(t.span.end, 8);
    assert_int_equal(pylex_next(&lx, &t), PYTOK_NAME);
    assert_int_equal(t.kw, PYKW_NONE);
    /* equal names and string values are one copy */
    pylex_init(&lx, "self x 'self' self", 18, *state);
    pytoken a, b, c, d;
    pylex_next(&lx, &a);
    pylex_next(&lx, &b);
    pylex_next(&lx, &c);
    pylex_next(&lx, &d);
    assert_ptr_equal(a.s, d.s);
    assert_ptr_equal(a.s, c.s);
    assert_ptr_not_equal(a.s, b.s);
}

static void every_operator(void **state)
{
    static const char *const ops[] = {
        "(", ")", "[", "]", "{", "}", ",", ":", ".", ";", "@", "=", "->", "+=", "-=", "*=", "/=",
        "//=", "%=", "**=", "...", "==", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "//",
        "%", "**", "~", "&", "|", "^", "<<", ">>", "@=", "&=", "|=", "^=", "<<=", ">>=", ":=",
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        /* a bracket with its partner, so that none is left unmatched */
        static const char opens[] = "([{", closes[] = ")]}";
        const char *o = strchr(opens, ops[i][0]), *c = strchr(closes, ops[i][0]);
        char text[16];
        snprintf(text, sizeof text, "%.*sa %s b%.*s", c ? 1 : 0, c ? opens + (c - closes) : "",
                 ops[i], o ? 1 : 0, o ? closes + (o - opens) : "");
        pylex lx;
        pytoken t;
        pylex_init(&lx, text, strlen(text), *state);
        if (c) assert_int_equal(pylex_next(&lx, &t), PYTOK_OP);
        assert_int_equal(pylex_next(&lx, &t), PYTOK_NAME);
        assert_int_equal(pylex_next(&lx, &t), PYTOK_OP);
        assert_string_equal(pylex_op_text(t.op), ops[i]);
        assert_int_equal(t.span.end - t.span.off, strlen(ops[i]));
        assert_int_equal(pylex_next(&lx, &t), PYTOK_NAME);
    }
    /* the longest operator wins; '.' before a digit starts a number */
    assert_string_equal(TOKS("a**=b//c...d.5"),
        "NAME a@1:1 OP **=@1:2 NAME b@1:5 OP //@1:6 NAME c@1:8 OP ...@1:9 NAME d@1:12 NUMBER .5@1:13 NEWLINE@1:15 ENDMARKER@2:1");
}

static void columns_count_code_points(void **state)
{
    assert_string_equal(TOKS("s = 'é€' + x\n"),
        "NAME s@1:1 OP =@1:3 STRING é€@1:5 OP +@1:10 NAME x@1:12 NEWLINE@1:13 ENDMARKER@2:1");
}

/* ---- layout: INDENT and DEDENT ------------------------------------------ */

static void nested_blocks_and_dedent_several_levels(void **state)
{
    assert_string_equal(TOKS("if a:\n  if b:\n    if c:\n      d\n  e\nf\n"),
        "NAME if@1:1 NAME a@1:4 OP :@1:5 NEWLINE@1:6 "
        "INDENT@2:1 NAME if@2:3 NAME b@2:6 OP :@2:7 NEWLINE@2:8 "
        "INDENT@3:1 NAME if@3:5 NAME c@3:8 OP :@3:9 NEWLINE@3:10 "
        "INDENT@4:1 NAME d@4:7 NEWLINE@4:8 "
        "DEDENT@5:3 DEDENT@5:3 NAME e@5:3 NEWLINE@5:4 "
        "DEDENT@6:1 NAME f@6:1 NEWLINE@6:2 ENDMARKER@7:1");
}

static void indent_span_is_the_indentation(void **state)
{
    pylex lx;
    pytoken t;
    pylex_init(&lx, "if a:\n    b\n", 12, *state);
    while (pylex_next(&lx, &t) != PYTOK_INDENT) {}
    assert_int_equal(t.span.line, 2);
    assert_int_equal(t.span.col, 1);
    assert_int_equal(t.span.off, 6);
    assert_int_equal(t.span.end, 10);
}

static void blank_and_comment_lines_do_not_count(void **state)
{
    assert_string_equal(TOKS("if x:\n    a\n  # c\n\n   \n# d\n    b\n"),
        "NAME if@1:1 NAME x@1:4 OP :@1:5 NEWLINE@1:6 INDENT@2:1 NAME a@2:5 NEWLINE@2:6 "
        "NAME b@7:5 NEWLINE@7:6 DEDENT@8:1 ENDMARKER@8:1");
    assert_string_equal(TOKS("\n\n   \n"), "ENDMARKER@4:1");
    assert_string_equal(TOKS(""), "ENDMARKER@1:1");
}

static void brackets_join_lines(void **state)
{
    assert_string_equal(TOKS("x = (1,\n      2,\n  3)\ny = [\n1]\n"),
        "NAME x@1:1 OP =@1:3 OP (@1:5 NUMBER 1@1:6 OP ,@1:7 NUMBER 2@2:7 OP ,@2:8 NUMBER 3@3:3 OP )@3:4 NEWLINE@3:5 "
        "NAME y@4:1 OP =@4:3 OP [@4:5 NUMBER 1@5:1 OP ]@5:2 NEWLINE@5:3 ENDMARKER@6:1");
}

static void backslash_joins_lines(void **state)
{
    assert_string_equal(TOKS("x = 1 + \\\n    2\nif x:\n    y\n"),
        "NAME x@1:1 OP =@1:3 NUMBER 1@1:5 OP +@1:7 NUMBER 2@2:5 NEWLINE@2:6 "
        "NAME if@3:1 NAME x@3:4 OP :@3:5 NEWLINE@3:6 INDENT@4:1 NAME y@4:5 NEWLINE@4:6 DEDENT@5:1 ENDMARKER@5:1");
    /* a backslash in the indentation: the indentation before it counts */
    assert_string_equal(TOKS("if x:\n    \\\n  y\n"),
        "NAME if@1:1 NAME x@1:4 OP :@1:5 NEWLINE@1:6 INDENT@2:1 NAME y@3:3 NEWLINE@3:4 DEDENT@4:1 ENDMARKER@4:1");
}

static void tabs_go_to_multiples_of_8(void **state)
{
    assert_string_equal(TOKS("if x:\n\ty\n\tif z:\n\t\tw\n"),
        "NAME if@1:1 NAME x@1:4 OP :@1:5 NEWLINE@1:6 INDENT@2:1 NAME y@2:2 NEWLINE@2:3 "
        "NAME if@3:2 NAME z@3:5 OP :@3:6 NEWLINE@3:7 INDENT@4:1 NAME w@4:3 NEWLINE@4:4 "
        "DEDENT@5:1 DEDENT@5:1 ENDMARKER@5:1");
    /* a form feed resets the column, as in CPython */
    assert_string_equal(ERR("if x:\n    a\n\f  b\n"),
        "IndentationError: unindent does not match any outer indentation level@3:5");
}

static void eof_closes_every_block(void **state)
{
    assert_string_equal(TOKS("if x:\n    if y:\n        z"),
        "NAME if@1:1 NAME x@1:4 OP :@1:5 NEWLINE@1:6 INDENT@2:1 NAME if@2:5 NAME y@2:8 OP :@2:9 NEWLINE@2:10 "
        "INDENT@3:1 NAME z@3:9 NEWLINE@3:10 DEDENT@4:1 DEDENT@4:1 ENDMARKER@4:1");
    assert_string_equal(TOKS("if x:\n    y\n    # end"),
        "NAME if@1:1 NAME x@1:4 OP :@1:5 NEWLINE@1:6 INDENT@2:1 NAME y@2:5 NEWLINE@2:6 DEDENT@4:1 ENDMARKER@4:1");
    assert_string_equal(TOKS("x"), "NAME x@1:1 NEWLINE@1:2 ENDMARKER@2:1");
}

static void line_ends_bom_and_comments(void **state)
{
    assert_string_equal(TOKS("x = 1\r\nif x:\r\n    y\r\n"),
        "NAME x@1:1 OP =@1:3 NUMBER 1@1:5 NEWLINE@1:6 NAME if@2:1 NAME x@2:4 OP :@2:5 NEWLINE@2:6 "
        "INDENT@3:1 NAME y@3:5 NEWLINE@3:6 DEDENT@4:1 ENDMARKER@4:1");
    assert_string_equal(TOKS("\xEF\xBB\xBFx = 1\n"), "NAME x@1:1 OP =@1:3 NUMBER 1@1:5 NEWLINE@1:6 ENDMARKER@2:1");
}

static int ncomments;
static src_span last_comment;
static void on_comment(void *ud, src_span at)
{
    (void)ud;
    ncomments++;
    last_comment = at;
}

static void comments_reach_the_callback(void **state)
{
    const char *text = "# input: 3x32x32\nimport torch  # tail\n";
    pylex lx;
    pytoken t;
    pylex_init(&lx, text, strlen(text), *state);
    lx.on_comment = on_comment;
    ncomments = 0;
    assert_int_equal(pylex_next(&lx, &t), PYTOK_NAME);
    assert_int_equal(ncomments, 1);
    assert_int_equal(last_comment.line, 1);
    assert_int_equal(last_comment.off, 0);
    assert_int_equal(last_comment.end, 16);
    while (pylex_next(&lx, &t) != PYTOK_ENDMARKER) {}
    assert_int_equal(ncomments, 2);
    assert_int_equal(last_comment.line, 2);
    assert_int_equal(last_comment.col, 15);
}

/* ---- literals ------------------------------------------------------------ */

static void number_forms(void **state)
{
    static const struct { const char *text; pytok_kind kind; int64_t i; double f; } cases[] = {
        { "0", PYTOK_INT, 0, 0 }, { "00", PYTOK_INT, 0, 0 }, { "0_0", PYTOK_INT, 0, 0 },
        { "7", PYTOK_INT, 7, 0 }, { "1_000", PYTOK_INT, 1000, 0 }, { "0x1F", PYTOK_INT, 31, 0 },
        { "0XdEaD_bEeF", PYTOK_INT, 0xDEADBEEF, 0 }, { "0o17", PYTOK_INT, 15, 0 }, { "0O_7", PYTOK_INT, 7, 0 },
        { "0b101", PYTOK_INT, 5, 0 }, { "0B_1_1", PYTOK_INT, 3, 0 },
        { "9223372036854775807", PYTOK_INT, INT64_MAX, 0 }, { "0x7fffffffffffffff", PYTOK_INT, INT64_MAX, 0 },
        { "3.14", PYTOK_FLOAT, 0, 3.14 }, { "5.", PYTOK_FLOAT, 0, 5.0 }, { ".5", PYTOK_FLOAT, 0, 0.5 },
        { "1e5", PYTOK_FLOAT, 0, 1e5 }, { "1E+5", PYTOK_FLOAT, 0, 1e5 }, { "1.5e-3", PYTOK_FLOAT, 0, 1.5e-3 },
        { "1_0.2_5e1_0", PYTOK_FLOAT, 0, 10.25e10 }, { "09.5", PYTOK_FLOAT, 0, 9.5 },
        { "0e0", PYTOK_FLOAT, 0, 0.0 }, { "1.e2", PYTOK_FLOAT, 0, 100.0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pylex lx;
        pytoken t;
        pylex_init(&lx, cases[i].text, strlen(cases[i].text), *state);
        assert_int_equal(pylex_next(&lx, &t), cases[i].kind);
        assert_true(cases[i].kind == PYTOK_INT ? t.i == cases[i].i : t.f == cases[i].f);
        assert_int_equal(t.span.end, strlen(cases[i].text));
    }
}

static void numbers_before_keywords(void **state)
{
    /* CPython warns but accepts these */
    assert_string_equal(TOKS("1if x else 2"),
        "NUMBER 1@1:1 NAME if@1:2 NAME x@1:5 NAME else@1:7 NUMBER 2@1:12 NEWLINE@1:13 ENDMARKER@2:1");
    /* hex digits first: '0x1f' 'or', as in CPython */
    assert_string_equal(TOKS("0x1for"), "NUMBER 0x1f@1:1 NAME or@1:5 NEWLINE@1:7 ENDMARKER@2:1");
    assert_string_equal(TOKS("1else"), "NUMBER 1@1:1 NAME else@1:2 NEWLINE@1:6 ENDMARKER@2:1");
}

static void string_forms(void **state)
{
    assert_string_equal(TOKS("'a' \"b\" '''c\nd''' \"\"\"e\"\"\" ''"),
        "STRING a@1:1 STRING b@1:5 STRING c\nd@1:9 STRING e@2:6 STRING@2:14 NEWLINE@2:16 ENDMARKER@3:1");
    assert_string_equal(TOKS("r'\\n' b'x' rb'y' Br'z' u'w' R\"\\\"\""),
        "STRING \\n@1:1 STRING x@1:7 STRING y@1:12 STRING z@1:18 STRING w@1:24 STRING \\\"@1:29 NEWLINE@1:34 ENDMARKER@2:1");
    /* escapes */
    assert_string_equal(TOKS("'\\'\\\"\\\\\\t\\n\\x41\\101\\u00e9\\q'"),
        "STRING '\"\\\t\nAAé\\q@1:1 NEWLINE@1:29 ENDMARKER@2:1");
    /* a backslash joins lines in a string; a quote inside a triple-quoted one */
    assert_string_equal(TOKS("'a\\\nb' \"\"\"x\"y\"\"\"\n"),
        "STRING ab@1:1 STRING x\"y@2:4 NEWLINE@2:13 ENDMARKER@3:1");
    pylex lx;
    pytoken t;
    pylex_init(&lx, "rb'\\0' '\\0'", 11, *state);
    assert_int_equal(pylex_next(&lx, &t), PYTOK_STRING);
    assert_int_equal(t.flags, PYSTR_RAW | PYSTR_BYTES);
    assert_int_equal(t.n, 2);
    assert_int_equal(pylex_next(&lx, &t), PYTOK_STRING);
    assert_int_equal(t.flags, 0);
    assert_int_equal(t.n, 1);
    assert_int_equal(t.s[0], '\0');
    /* not a prefix: a name, then a string */
    assert_string_equal(TOKS("ub'x'"), "NAME ub@1:1 STRING x@1:3 NEWLINE@1:6 ENDMARKER@2:1");
}

/* ---- errors: CPython 3.11's texts at its line:col ----------------------- */

static void indentation_errors(void **state)
{
    assert_string_equal(ERR("if x:\n    a\n  b\n"),
        "IndentationError: unindent does not match any outer indentation level@3:4");
    assert_string_equal(ERR("if x:\n    a\n  b"),
        "IndentationError: unindent does not match any outer indentation level@3:4");
    assert_string_equal(ERR("if x:\n\tif y:\n\t\ta\n        b\n"),
        "TabError: inconsistent use of tabs and spaces in indentation@4:1");
    assert_string_equal(ERR("if x:\n        a\n\tb\n"),
        "TabError: inconsistent use of tabs and spaces in indentation@3:1");
    assert_string_equal(ERR("if x:\n\ta\n        b\n"),
        "TabError: inconsistent use of tabs and spaces in indentation@3:1");
    assert_string_equal(ERR("if x:\n  \ta\n\t  b\n"),
        "TabError: inconsistent use of tabs and spaces in indentation@3:1");
    assert_string_equal(ERR("if x:\n  a\n\ty\n"),
        "TabError: inconsistent use of tabs and spaces in indentation@3:1");
    /* "unexpected indent" is the parser's: the tokens go on */
    assert_string_equal(TOKS("a\n  b\n"),
        "NAME a@1:1 NEWLINE@1:2 INDENT@2:1 NAME b@2:3 NEWLINE@2:4 DEDENT@3:1 ENDMARKER@3:1");
}

static void indentation_depth_is_bounded(void **state)
{
    static char text[16384];
    size_t n = 0;
    for (int depth = 99; depth <= 100; depth++) {
        n = 0;
        for (int i = 0; i < depth; i++) n += (size_t)snprintf(text + n, sizeof text - n, "%*sif x:\n", i, "");
        n += (size_t)snprintf(text + n, sizeof text - n, "%*spass\n", depth, "");
        const char *all = tokens(state, text, n);
        if (depth == 99) assert_null(strstr(all, "Error"));
        else assert_string_equal(error_of(all), "IndentationError: too many levels of indentation@101:1");
    }
}

static void bracket_errors(void **state)
{
    assert_string_equal(ERR("x = (1,\n  2]\n"),
        "SyntaxError: closing parenthesis ']' does not match opening parenthesis '(' on line 1@2:4");
    assert_string_equal(ERR("x = (1, 2]\n"),
        "SyntaxError: closing parenthesis ']' does not match opening parenthesis '('@1:10");
    assert_string_equal(ERR("x = {1, 2)\n"),
        "SyntaxError: closing parenthesis ')' does not match opening parenthesis '{'@1:10");
    assert_string_equal(ERR("x = (1,\n2\n"), "SyntaxError: '(' was never closed@1:5");
    assert_string_equal(ERR("x = [(1,\n2)\n"), "SyntaxError: '[' was never closed@1:5");
    assert_string_equal(ERR("x = 1)\n"), "SyntaxError: unmatched ')'@1:6");
    assert_string_equal(ERR("x = 1}\n"), "SyntaxError: unmatched '}'@1:6");
    static char text[512];
    size_t n = (size_t)snprintf(text, sizeof text, "x=");
    for (int i = 0; i < 201; i++) text[n++] = '(';
    assert_string_equal(ERR(text), "SyntaxError: too many nested parentheses@1:203");
    text[n - 1] = ')';
    text[n] = '\0';
    assert_null(strstr(TOKS(text), "too many"));
}

static void string_errors(void **state)
{
    assert_string_equal(ERR("x = \"\"\"abc\n\ndef\n"),
        "SyntaxError: unterminated triple-quoted string literal (detected at line 3)@1:5");
    assert_string_equal(ERR("x = \"\"\"abc\n\ndef"),
        "SyntaxError: unterminated triple-quoted string literal (detected at line 3)@1:5");
    assert_string_equal(ERR("x = '''abc\n\n"),
        "SyntaxError: unterminated triple-quoted string literal (detected at line 2)@1:5");
    assert_string_equal(ERR("x = \"abc\ny=1\n"),
        "SyntaxError: unterminated string literal (detected at line 1)@1:5");
    assert_string_equal(ERR("x = 'abc"), "SyntaxError: unterminated string literal (detected at line 1)@1:5");
    assert_string_equal(ERR("if x:\n    y = rb'abc\n"),
        "SyntaxError: unterminated string literal (detected at line 2)@2:9");
    assert_string_equal(ERR("x = \"a\\\nb\n"),
        "SyntaxError: unterminated string literal (detected at line 2)@1:5");
    assert_string_equal(ERR("x = \"a\\\n"),
        "SyntaxError: unterminated string literal (detected at line 1)@1:5");
    assert_string_equal(ERR("x = \"\\x4\"\n"),
        "SyntaxError: (unicode error) 'unicodeescape' codec can't decode bytes in position 0-2: truncated \\xXX escape@1:10");
    assert_string_equal(ERR("x = \"ab\\u12\"\n"),
        "SyntaxError: (unicode error) 'unicodeescape' codec can't decode bytes in position 2-5: truncated \\uXXXX escape@1:13");
    assert_string_equal(ERR("x = b\"\\x4\"\n"), "SyntaxError: (value error) invalid \\x escape at position 0@1:11");
    assert_string_equal(ERR("x = b\"\xC3\xA9\"\n"), "SyntaxError: bytes can only contain ASCII literal characters@1:5");
    /* an f-string is kept as written, flagged, for the parser */
    assert_string_equal(TOKS("x = f\"a{b}\\n\"\n"), "NAME x@1:1 OP =@1:3 STRING a{b}\\n@1:5 NEWLINE@1:14 ENDMARKER@2:1");
    pylex lx;
    pytoken t;
    pylex_init(&lx, "rF'a'", 5, *state);
    assert_int_equal(pylex_next(&lx, &t), PYTOK_STRING);
    assert_int_equal(t.flags, PYSTR_RAW | PYSTR_FORMAT);
}

static void number_errors(void **state)
{
    static const struct { const char *text, *want; } cases[] = {
        { "x = 1abc\n", "SyntaxError: invalid decimal literal@1:5" },
        { "x = 0x\n", "SyntaxError: invalid hexadecimal literal@1:6" },
        { "x = 0xfg\n", "SyntaxError: invalid hexadecimal literal@1:7" },
        { "x = 012\n", "SyntaxError: leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers@1:5" },
        { "x = 0_7\n", "SyntaxError: leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers@1:5" },
        { "x = 0o8\n", "SyntaxError: invalid digit '8' in octal literal@1:7" },
        { "x = 0o18\n", "SyntaxError: invalid digit '8' in octal literal@1:8" },
        { "x = 0b12\n", "SyntaxError: invalid digit '2' in binary literal@1:8" },
        { "x = 0b1_\n", "SyntaxError: invalid binary literal@1:8" },
        { "x = 0b\n", "SyntaxError: invalid binary literal@1:6" },
        { "x = 1_\n", "SyntaxError: invalid decimal literal@1:6" },
        { "x = 1__0\n", "SyntaxError: invalid decimal literal@1:6" },
        { "x = 1.5e\n", "SyntaxError: invalid decimal literal@1:7" },
        { "x = 1.5e+\n", "SyntaxError: invalid decimal literal@1:9" },
        { "x = 1e5x\n", "SyntaxError: invalid decimal literal@1:7" },
        { "x = 1.2_\n", "SyntaxError: invalid decimal literal@1:8" },
        { "x = 1.x\n", "SyntaxError: invalid decimal literal@1:6" },
        /* probe's own: no complex numbers */
        { "x = 1j\n", "SyntaxError: complex numbers are not supported@1:5" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) assert_string_equal(ERR(cases[i].text), cases[i].want);
    /* past int64: an INT flagged big, holding its text, for the parser */
    pylex lx;
    pytoken t;
    pylex_init(&lx, "0x8000_0000_0000_0000 9223372036854775807", 41, *state);
    assert_int_equal(pylex_next(&lx, &t), PYTOK_INT);
    assert_int_equal(t.flags, PYNUM_BIG);
    assert_string_equal(t.s, "0x8000_0000_0000_0000");
    assert_int_equal(pylex_next(&lx, &t), PYTOK_INT);
    assert_int_equal(t.flags, 0);
    assert_true(t.i == INT64_MAX);
}

static void character_and_continuation_errors(void **state)
{
    assert_string_equal(ERR("x = 1 \\ 2\n"), "SyntaxError: unexpected character after line continuation character@1:8");
    assert_string_equal(ERR("y = 2\nx = 1 \\ 2\n"), "SyntaxError: unexpected character after line continuation character@2:8");
    assert_string_equal(ERR("x = 1 + \\"), "SyntaxError: unexpected EOF while parsing@1:10");
    assert_string_equal(ERR("x = 1 + \\\n"), "SyntaxError: unexpected EOF while parsing@1:10");
    assert_string_equal(ERR("x = \xE2\x82\xAC\n"), "SyntaxError: invalid character '\xE2\x82\xAC' (U+20AC)@1:5");
    assert_string_equal(ERR("x = \x01\n"), "SyntaxError: invalid non-printable character U+0001@1:5");
    assert_string_equal(ERR("x = \xC2\xA0 1\n"), "SyntaxError: invalid non-printable character U+00A0@1:5");
    assert_string_equal(ERR("x = 1\n\xEF\xBB\xBFy=1\n"), "SyntaxError: invalid non-printable character U+FEFF@2:1");
    /* what CPython's parser calls invalid syntax, at the character */
    assert_string_equal(ERR("x = 1 ? 2\n"), "SyntaxError: invalid syntax@1:7");
    assert_string_equal(ERR("x = $\n"), "SyntaxError: invalid syntax@1:5");
    assert_string_equal(ERR("!\n"), "SyntaxError: invalid syntax@1:1");
    /* probe's names are ASCII */
    assert_string_equal(ERR("caf\xC3\xA9 = 1\n"), "SyntaxError: non-ASCII names are not supported: write '\xC3\xA9' in ASCII@1:4");
}

static void encoding_errors(void **state)
{
    assert_string_equal(tokens(state, "x = 1\0\n", 7), "SyntaxError: source code cannot contain null bytes@1:6");
    assert_string_equal(ERR("x = 1\ny = \xFF\n"),
        "SyntaxError: Non-UTF-8 code starting with '\\xff' on line 2, but no encoding declared@2:5");
}

static void an_error_stays(void **state)
{
    pylex lx;
    pytoken t;
    pylex_init(&lx, "x = (1]\ny\n", 10, *state);
    while (pylex_next(&lx, &t) != PYTOK_ERROR) {}
    assert_int_equal(pylex_next(&lx, &t), PYTOK_ERROR);
    assert_int_equal(t.span.col, 7);
    assert_int_equal(lx.err_class, PYERR_SYNTAX);
    assert_string_equal(pylex_kind_name(PYTOK_ERROR), "ERRORTOKEN");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(names_keywords_and_spans, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(every_operator, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(columns_count_code_points, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(nested_blocks_and_dedent_several_levels, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(indent_span_is_the_indentation, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(blank_and_comment_lines_do_not_count, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(brackets_join_lines, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(backslash_joins_lines, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(tabs_go_to_multiples_of_8, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(eof_closes_every_block, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(line_ends_bom_and_comments, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(comments_reach_the_callback, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(number_forms, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(numbers_before_keywords, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(string_forms, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(indentation_errors, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(indentation_depth_is_bounded, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(bracket_errors, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(string_errors, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(number_errors, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(character_and_continuation_errors, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(encoding_errors, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(an_error_stays, setup_arena, free_arena),
    };
    return cmocka_run_group_tests_name("py_lex", tests, NULL, NULL);
}
