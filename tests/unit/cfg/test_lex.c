/* test_lex.c - the net.cfg tokenizer: token kinds, spans (columns in code
 * points, byte ranges), numbers, strings, comments, line endings, the
 * encoding check and the input: dimensions. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cfg/lex.h"
#include "fixtures.h"

static const char *const TOO_LARGE =
    "number too large: sizes must fit in a signed 64-bit integer (at most 9223372036854775807)";
static const char *const NON_ASCII =
    "non-ASCII character outside a string or comment (a look-alike letter?): retype it in ASCII";
static const char *const BAD_UTF8 = "invalid UTF-8: save the file as UTF-8 text";
static const char *const DIMS_USAGE =
    "expected 'input: CxL', 'input: CxHxW' or 'input: CxDxHxW': the channels and 1 to 3 sizes, positive integers such as 'input: 3x32x32'";

static lexer start(void **state, const char *text)
{
    lexer lx;
    lex_init(&lx, text, strlen(text), *state);
    return lx;
}

/* A macro, so that a failure names the line of the expectation. */
#define EXPECT_TOK(lx, k, ln, cl, from, to)                    \
    do {                                                       \
        token t_ = lex_next(lx);                               \
        assert_string_equal(lex_kind_name(t_.kind), lex_kind_name(k)); \
        assert_int_equal(t_.span.line, (ln));                  \
        assert_int_equal(t_.span.col, (cl));                   \
        assert_int_equal(t_.span.off, (from));                 \
        assert_int_equal(t_.span.end, (to));                   \
    } while (0)

static void punctuation_tokens_have_their_spans(void **state)
{
    lexer lx = start(state, "( ) [ ] , = : . ? + - * / //");
    EXPECT_TOK(&lx, TOK_LPAREN, 1, 1, 0, 1);
    EXPECT_TOK(&lx, TOK_RPAREN, 1, 3, 2, 3);
    EXPECT_TOK(&lx, TOK_LBRACK, 1, 5, 4, 5);
    EXPECT_TOK(&lx, TOK_RBRACK, 1, 7, 6, 7);
    EXPECT_TOK(&lx, TOK_COMMA, 1, 9, 8, 9);
    EXPECT_TOK(&lx, TOK_EQ, 1, 11, 10, 11);
    EXPECT_TOK(&lx, TOK_COLON, 1, 13, 12, 13);
    EXPECT_TOK(&lx, TOK_DOT, 1, 15, 14, 15);
    EXPECT_TOK(&lx, TOK_QMARK, 1, 17, 16, 17);
    EXPECT_TOK(&lx, TOK_PLUS, 1, 19, 18, 19);
    EXPECT_TOK(&lx, TOK_MINUS, 1, 21, 20, 21);
    EXPECT_TOK(&lx, TOK_STAR, 1, 23, 22, 23);
    EXPECT_TOK(&lx, TOK_SLASH, 1, 25, 24, 25);
    EXPECT_TOK(&lx, TOK_SLASHSLASH, 1, 27, 26, 28);
    EXPECT_TOK(&lx, TOK_EOF, 1, 29, 28, 28);
}

static void end_of_file_repeats(void **state)
{
    lexer lx = start(state, "a");
    EXPECT_TOK(&lx, TOK_NAME, 1, 1, 0, 1);
    EXPECT_TOK(&lx, TOK_EOF, 1, 2, 1, 1);
    EXPECT_TOK(&lx, TOK_EOF, 1, 2, 1, 1);
}

static void names_keep_their_text(void **state)
{
    lexer lx = start(state, "conv1 = nn.Conv2d _x9");
    token t = lex_next(&lx);
    assert_int_equal(t.kind, TOK_NAME);
    assert_string_equal(t.s, "conv1");
    EXPECT_TOK(&lx, TOK_EQ, 1, 7, 6, 7);
    t = lex_next(&lx);
    assert_string_equal(t.s, "nn");
    EXPECT_TOK(&lx, TOK_DOT, 1, 11, 10, 11);
    t = lex_next(&lx);
    assert_int_equal(t.kind, TOK_NAME);
    assert_string_equal(t.s, "Conv2d");
    assert_int_equal(t.span.col, 12);
    assert_int_equal(t.span.off, 11);
    assert_int_equal(t.span.end, 17);
    t = lex_next(&lx);
    assert_string_equal(t.s, "_x9");
    assert_int_equal(t.span.col, 19);
}

static void integers(void **state)
{
    lexer lx = start(state, "0 42 1_000 9223372036854775807");
    token t = lex_next(&lx);
    assert_int_equal(t.kind, TOK_INT);
    assert_int_equal(t.i, 0);
    t = lex_next(&lx);
    assert_int_equal(t.i, 42);
    assert_int_equal(t.span.off, 2);
    assert_int_equal(t.span.end, 4);
    t = lex_next(&lx);
    assert_int_equal(t.kind, TOK_INT);
    assert_int_equal(t.i, 1000);
    assert_int_equal(t.span.col, 6);
    assert_int_equal(t.span.end, 10);
    t = lex_next(&lx);
    assert_int_equal(t.kind, TOK_INT);
    assert_true(t.i == INT64_MAX);
    assert_int_equal(t.span.end, 30);
}

static void floats(void **state)
{
    lexer lx = start(state, "1e-05 .5 2. 1.5e3 2E+2 1.e5 1_000.25 0.1 0.000_1 1e1_0");
    static const double want[] = { 1e-05, 0.5, 2.0, 1500.0, 200.0, 100000.0, 1000.25, 0.1, 0.0001, 1e10 };
    static const size_t ends[] = { 5, 8, 11, 17, 22, 27, 36, 40, 48, 54 };
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        token t = lex_next(&lx);
        assert_int_equal(t.kind, TOK_FLOAT);
        assert_true(t.f == want[k]);
        assert_int_equal(t.span.end, ends[k]);
    }
    EXPECT_TOK(&lx, TOK_EOF, 1, 55, 54, 54);
}

/* `2.x` is a number, a dot and a name: the dot belongs to what follows */
static void point_before_a_name_is_a_dot(void **state)
{
    lexer lx = start(state, "2.x");
    token t = lex_next(&lx);
    assert_int_equal(t.kind, TOK_INT);
    assert_int_equal(t.i, 2);
    EXPECT_TOK(&lx, TOK_DOT, 1, 2, 1, 2);
    EXPECT_TOK(&lx, TOK_NAME, 1, 3, 2, 3);
}

static void int64_overflow_is_an_error(void **state)
{
    lexer lx = start(state, "(9223372036854775808)");
    EXPECT_TOK(&lx, TOK_LPAREN, 1, 1, 0, 1);
    token t = lex_next(&lx);
    assert_int_equal(t.kind, TOK_ERROR);
    assert_string_equal(t.s, TOO_LARGE);
    assert_int_equal(t.span.col, 2);
    assert_int_equal(t.span.off, 1);
    assert_int_equal(t.span.end, 20);
}

static void float_overflow_is_an_error(void **state)
{
    lexer lx = start(state, "1e999");
    token t = lex_next(&lx);
    assert_int_equal(t.kind, TOK_ERROR);
    assert_string_equal(t.s, "number too large for a float");
    assert_int_equal(t.span.end, 5);
}

static void digits_run_into_letters(void **state)
{
    lexer lx = start(state, "3x32 1.e");
    token t = lex_next(&lx);
    assert_int_equal(t.kind, TOK_ERROR);
    assert_string_equal(t.s, "invalid number");
    assert_int_equal(t.span.off, 0);
    assert_int_equal(t.span.end, 4);
    t = lex_next(&lx);
    assert_int_equal(t.kind, TOK_ERROR);
    assert_string_equal(t.s, "invalid number");
    assert_int_equal(t.span.off, 5);
    assert_int_equal(t.span.end, 8);
}

static void number_too_long(void **state)
{
    char text[80];
    memset(text, '1', 70);
    text[70] = '\0';
    lexer lx = start(state, text);
    token t = lex_next(&lx);
    assert_int_equal(t.kind, TOK_ERROR);
    assert_string_equal(t.s, "number too long");
    assert_int_equal(t.span.end, 70);
}

static void strings_in_both_quotes(void **state)
{
    lexer lx = start(state, "'same' \"zeros\" ''");
    token t = lex_next(&lx);
    assert_int_equal(t.kind, TOK_STR);
    assert_string_equal(t.s, "same");
    assert_int_equal(t.span.col, 1);
    assert_int_equal(t.span.end, 6);
    t = lex_next(&lx);
    assert_int_equal(t.kind, TOK_STR);
    assert_string_equal(t.s, "zeros");
    assert_int_equal(t.span.col, 8);
    assert_int_equal(t.span.off, 7);
    assert_int_equal(t.span.end, 14);
    t = lex_next(&lx);
    assert_int_equal(t.kind, TOK_STR);
    assert_string_equal(t.s, "");
    assert_int_equal(t.span.end, 17);
}

static void string_escapes(void **state)
{
    lexer lx = start(state, "'it\\'s' \"say \\\"hi\\\"\" 'a\\\\b' \"it's\" 'x#y'");
    token t = lex_next(&lx);
    assert_string_equal(t.s, "it's");
    assert_int_equal(t.span.end, 7);
    t = lex_next(&lx);
    assert_string_equal(t.s, "say \"hi\"");
    t = lex_next(&lx);
    assert_string_equal(t.s, "a\\b");
    t = lex_next(&lx);
    assert_string_equal(t.s, "it's");
    t = lex_next(&lx);
    assert_int_equal(t.kind, TOK_STR);
    assert_string_equal(t.s, "x#y");
    EXPECT_TOK(&lx, TOK_EOF, 1, 41, 40, 40);
}

static void unterminated_string_at_end_of_line(void **state)
{
    lexer lx = start(state, "f(padding='same)\nReLU()");
    EXPECT_TOK(&lx, TOK_NAME, 1, 1, 0, 1);
    EXPECT_TOK(&lx, TOK_LPAREN, 1, 2, 1, 2);
    EXPECT_TOK(&lx, TOK_NAME, 1, 3, 2, 9);
    EXPECT_TOK(&lx, TOK_EQ, 1, 10, 9, 10);
    token t = lex_next(&lx);
    assert_int_equal(t.kind, TOK_ERROR);
    assert_string_equal(t.s, "unterminated string: add the closing quote");
    assert_int_equal(t.span.line, 1);
    assert_int_equal(t.span.col, 11);
    assert_int_equal(t.span.off, 10);
    assert_int_equal(t.span.end, 16);
}

static void unterminated_string_at_end_of_file(void **state)
{
    lexer lx = start(state, "\"abc\\");
    token t = lex_next(&lx);
    assert_int_equal(t.kind, TOK_ERROR);
    assert_string_equal(t.s, "unterminated string: add the closing quote");
    assert_int_equal(t.span.off, 0);
}

static void comments_are_skipped(void **state)
{
    lexer lx = start(state, "# a comment ( 'x\nReLU()  # (0): after\n#\n");
    EXPECT_TOK(&lx, TOK_NEWLINE, 1, 17, 16, 17);
    EXPECT_TOK(&lx, TOK_NAME, 2, 1, 17, 21);
    EXPECT_TOK(&lx, TOK_LPAREN, 2, 5, 21, 22);
    EXPECT_TOK(&lx, TOK_RPAREN, 2, 6, 22, 23);
    EXPECT_TOK(&lx, TOK_NEWLINE, 2, 21, 37, 38);
    EXPECT_TOK(&lx, TOK_NEWLINE, 3, 2, 39, 40);
    EXPECT_TOK(&lx, TOK_EOF, 4, 1, 40, 40);
}

static void crlf_ends_a_line(void **state)
{
    lexer lx = start(state, "a\r\nb\r\n");
    EXPECT_TOK(&lx, TOK_NAME, 1, 1, 0, 1);
    EXPECT_TOK(&lx, TOK_NEWLINE, 1, 3, 2, 3);
    EXPECT_TOK(&lx, TOK_NAME, 2, 1, 3, 4);
    EXPECT_TOK(&lx, TOK_NEWLINE, 2, 3, 5, 6);
    EXPECT_TOK(&lx, TOK_EOF, 3, 1, 6, 6);
}

static void backslash_joins_lines(void **state)
{
    lexer lx = start(state, "a \\\n  b \\\r\nc\n");
    EXPECT_TOK(&lx, TOK_NAME, 1, 1, 0, 1);
    EXPECT_TOK(&lx, TOK_NAME, 2, 3, 6, 7);
    EXPECT_TOK(&lx, TOK_NAME, 3, 1, 11, 12);
    EXPECT_TOK(&lx, TOK_NEWLINE, 3, 2, 12, 13);
}

static void stray_backslash_is_unexpected(void **state)
{
    lexer lx = start(state, "a \\ b");
    EXPECT_TOK(&lx, TOK_NAME, 1, 1, 0, 1);
    token t = lex_next(&lx);
    assert_int_equal(t.kind, TOK_ERROR);
    assert_string_equal(t.s, "unexpected character");
    assert_int_equal(t.span.col, 3);
    assert_int_equal(t.span.off, 2);
    assert_int_equal(t.span.end, 3);
}

static void unexpected_ascii_character(void **state)
{
    lexer lx = start(state, "x @");
    lex_next(&lx);
    token t = lex_next(&lx);
    assert_int_equal(t.kind, TOK_ERROR);
    assert_string_equal(t.s, "unexpected character");
    assert_int_equal(t.span.col, 3);
}

/* "Сonv2d" with a Cyrillic Es (U+0421, two bytes) where a C belongs */
static void lookalike_letter_outside_a_string(void **state)
{
    lexer lx = start(state, "nn.\xD0\xA1onv2d(3)");
    EXPECT_TOK(&lx, TOK_NAME, 1, 1, 0, 2);
    EXPECT_TOK(&lx, TOK_DOT, 1, 3, 2, 3);
    token t = lex_next(&lx);
    assert_int_equal(t.kind, TOK_ERROR);
    assert_string_equal(t.s, NON_ASCII);
    assert_int_equal(t.span.col, 4);
    assert_int_equal(t.span.off, 3);
    assert_int_equal(t.span.end, 5);
    /* the whole code point was consumed: lexing goes on after it */
    EXPECT_TOK(&lx, TOK_NAME, 1, 5, 5, 10);
}

/* A UTF-8 byte-order mark, as Windows editors write it: skipped at the
 * start of the file, where Python skips it too, and not counted in the
 * columns of line 1 (Python's SyntaxError offsets do not count it). */
#define BOM "\xEF\xBB\xBF"

static void bom_at_the_start_is_skipped(void **state)
{
    lexer lx = start(state, BOM "nn.ReLU()\nx");
    EXPECT_TOK(&lx, TOK_NAME, 1, 1, 3, 5);
    EXPECT_TOK(&lx, TOK_DOT, 1, 3, 5, 6);
    EXPECT_TOK(&lx, TOK_NAME, 1, 4, 6, 10);
    EXPECT_TOK(&lx, TOK_LPAREN, 1, 8, 10, 11);
    EXPECT_TOK(&lx, TOK_RPAREN, 1, 9, 11, 12);
    EXPECT_TOK(&lx, TOK_NEWLINE, 1, 10, 12, 13);
    EXPECT_TOK(&lx, TOK_NAME, 2, 1, 13, 14);
    /* a file of the mark alone is empty */
    lx = start(state, BOM);
    EXPECT_TOK(&lx, TOK_EOF, 1, 1, 3, 3);
}

static void bom_elsewhere_is_refused(void **state)
{
    /* after a blank, on another line, and a second one at the start */
    const char *const texts[] = { " " BOM "x", "x\n" BOM "x", BOM BOM "x" };
    const unsigned cols[] = { 2, 1, 1 }, lines[] = { 1, 2, 1 }, offs[] = { 1, 2, 3 };
    for (int i = 0; i < 3; i++) {
        lexer lx = start(state, texts[i]);
        token t = lex_next(&lx);
        if (i == 1) {
            EXPECT_TOK(&lx, TOK_NEWLINE, 1, 2, 1, 2);
            t = lex_next(&lx);
        }
        assert_int_equal(t.kind, TOK_ERROR);
        assert_string_equal(t.s, NON_ASCII);
        assert_int_equal(t.span.line, lines[i]);
        assert_int_equal(t.span.col, cols[i]);
        assert_int_equal(t.span.off, offs[i]);
        assert_int_equal(t.span.end, offs[i] + 3);
    }
}

static void lookalike_inside_a_name(void **state)
{
    /* "kernel_sizе" with a Cyrillic ie (U+0435) as its last letter */
    lexer lx = start(state, "kernel_siz\xD0\xB5=3");
    EXPECT_TOK(&lx, TOK_NAME, 1, 1, 0, 10);
    token t = lex_next(&lx);
    assert_int_equal(t.kind, TOK_ERROR);
    assert_string_equal(t.s, NON_ASCII);
    assert_int_equal(t.span.col, 11);
    assert_int_equal(t.span.off, 10);
    assert_int_equal(t.span.end, 12);
    EXPECT_TOK(&lx, TOK_EQ, 1, 12, 12, 13);
}

/* Columns count code points: a 3-byte and a 2-byte letter are one column each. */
static void columns_count_code_points(void **state)
{
    lexer lx = start(state, "'\xE2\x82\xAC\xD0\xB6' x # \xE2\x82\xAC\ny");
    token t = lex_next(&lx);
    assert_int_equal(t.kind, TOK_STR);
    assert_string_equal(t.s, "\xE2\x82\xAC\xD0\xB6");
    assert_int_equal(t.span.end, 7);
    EXPECT_TOK(&lx, TOK_NAME, 1, 6, 8, 9);
    EXPECT_TOK(&lx, TOK_NEWLINE, 1, 11, 15, 16);
    EXPECT_TOK(&lx, TOK_NAME, 2, 1, 16, 17);
}

static void rest_of_line_empty(void **state)
{
    lexer lx = start(state, "Seq(  # open\nReLU(x\n");
    lex_next(&lx);
    assert_false(lex_rest_of_line_empty(&lx));
    lex_next(&lx);
    assert_true(lex_rest_of_line_empty(&lx));
    /* it only looks: the next token is still the newline */
    EXPECT_TOK(&lx, TOK_NEWLINE, 1, 13, 12, 13);
    lex_next(&lx);
    lex_next(&lx);
    assert_false(lex_rest_of_line_empty(&lx));
    lex_next(&lx);
    assert_true(lex_rest_of_line_empty(&lx));
    lexer at_end = start(state, "");
    assert_true(lex_rest_of_line_empty(&at_end));
}

/* ---- lex_check_encoding ------------------------------------------------ */

#define EXPECT_BAD_ENCODING(text, len, why_want, ln, cl, from)        \
    do {                                                              \
        src_span at_;                                                 \
        const char *why_ = NULL;                                      \
        assert_false(lex_check_encoding((text), (len), &at_, &why_)); \
        assert_string_equal(why_, (why_want));                        \
        assert_int_equal(at_.line, (ln));                             \
        assert_int_equal(at_.col, (cl));                              \
        assert_int_equal(at_.off, (from));                            \
        assert_int_equal(at_.end, (from) + 1);                        \
    } while (0)

static void encoding_accepts_utf8(void **state)
{
    (void)state;
    src_span at;
    const char *why = NULL;
    const char text[] = "# \xD0\xB6 \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF\r\nReLU()\n";
    assert_true(lex_check_encoding(text, sizeof text - 1, &at, &why));
    assert_null(why);
    assert_true(lex_check_encoding("", 0, &at, &why));
}

static void encoding_refuses_nul(void **state)
{
    (void)state;
    const char text[] = "ReLU()\nab\0c";
    EXPECT_BAD_ENCODING(text, sizeof text - 1, "NUL byte in the file: a net.cfg is text", 2, 3, 9);
}

static void encoding_refuses_invalid_utf8(void **state)
{
    (void)state;
    /* a lone continuation byte, after a two-byte letter: column 3 */
    EXPECT_BAD_ENCODING("a\xD0\xB6\x80", 4, BAD_UTF8, 1, 3, 3);
    /* Latin-1 text */
    EXPECT_BAD_ENCODING("x\ny = 'caf\xE9'", 12, BAD_UTF8, 2, 9, 10);
    /* a sequence cut by the end of the file */
    EXPECT_BAD_ENCODING("ab\xE2\x82", 4, BAD_UTF8, 1, 3, 2);
    /* a lead byte followed by ASCII */
    EXPECT_BAD_ENCODING("\xC3(", 2, BAD_UTF8, 1, 1, 0);
    /* overlong encodings of '/' and of U+0000 */
    EXPECT_BAD_ENCODING("\xC0\xAF", 2, BAD_UTF8, 1, 1, 0);
    EXPECT_BAD_ENCODING("\xE0\x80\x80", 3, BAD_UTF8, 1, 1, 0);
    EXPECT_BAD_ENCODING("\xF0\x80\x80\x80", 4, BAD_UTF8, 1, 1, 0);
    /* a UTF-16 surrogate, and a code point above U+10FFFF */
    EXPECT_BAD_ENCODING("\xED\xA0\x80", 3, BAD_UTF8, 1, 1, 0);
    EXPECT_BAD_ENCODING("\xF4\x90\x80\x80", 4, BAD_UTF8, 1, 1, 0);
    /* bytes that never start a sequence */
    EXPECT_BAD_ENCODING("\n\n  \xFF", 5, BAD_UTF8, 3, 3, 4);
    EXPECT_BAD_ENCODING("\xF8\x88\x80\x80\x80", 5, BAD_UTF8, 1, 1, 0);
}

static void encoding_counts_columns_after_a_bom(void **state)
{
    (void)state;
    /* the mark is valid UTF-8; what follows it is at column 1 */
    EXPECT_BAD_ENCODING(BOM "\xFF", 4, BAD_UTF8, 1, 1, 3);
    EXPECT_BAD_ENCODING(BOM "ab\xFF", 6, BAD_UTF8, 1, 3, 5);
}

/* ---- lex_dims ---------------------------------------------------------- */

static void dims_read_three_sizes(void **state)
{
    lexer lx = start(state, "  3x224X199  # RGB\nnext");
    int64_t d[4] = { 0, 0, 0, 0 };
    int n = 0;
    src_span span, at;
    const char *why = NULL;
    assert_true(lex_dims(&lx, d, &n, &span, &at, &why));
    assert_int_equal(n, 3);
    assert_int_equal(d[0], 3);
    assert_int_equal(d[1], 224);
    assert_int_equal(d[2], 199);
    assert_int_equal(span.line, 1);
    assert_int_equal(span.col, 3);
    assert_int_equal(span.off, 2);
    assert_int_equal(span.end, 11);
    /* the comment and the newline are left to the tokenizer */
    EXPECT_TOK(&lx, TOK_NEWLINE, 1, 19, 18, 19);
    EXPECT_TOK(&lx, TOK_NAME, 2, 1, 19, 23);
}

#define EXPECT_BAD_DIMS(text, why_want, cl, from, to)           \
    do {                                                        \
        lexer lx_ = start(state, (text));                       \
        int64_t d_[4];                                          \
        int n_;                                                 \
        src_span span_, at_;                                    \
        const char *why_ = NULL;                                \
        assert_false(lex_dims(&lx_, d_, &n_, &span_, &at_, &why_)); \
        assert_string_equal(why_, (why_want));                  \
        assert_int_equal(at_.line, 1);                          \
        assert_int_equal(at_.col, (cl));                        \
        assert_int_equal(at_.off, (from));                      \
        assert_int_equal(at_.end, (to));                        \
    } while (0)

/* CxL and CxDxHxW: a signal's length, a clip's depth, height and width */
static void dims_of_every_rank(void **state)
{
    static const struct { const char *text; int n; int64_t last; } cases[] = {
        { "1x187", 2, 187 }, { "3x16x112x112", 4, 112 }, { "300 x 50", 2, 50 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lexer lx = start(state, cases[i].text);
        int64_t d[4] = { 0, 0, 0, 0 };
        int n = 0;
        src_span span, at;
        const char *why = NULL;
        assert_true(lex_dims(&lx, d, &n, &span, &at, &why));
        assert_int_equal(n, cases[i].n);
        assert_int_equal(d[n - 1], cases[i].last);
    }
}

static void dims_errors(void **state)
{
    static const char *const positive = "input sizes must be positive: C and each size are at least 1";
    EXPECT_BAD_DIMS(" 0x32x32", positive, 2, 1, 2);
    EXPECT_BAD_DIMS("3x32x00", positive, 6, 5, 7);
    EXPECT_BAD_DIMS("3", DIMS_USAGE, 2, 1, 1);
    EXPECT_BAD_DIMS("3x", DIMS_USAGE, 3, 2, 2);
    EXPECT_BAD_DIMS("3x32x", DIMS_USAGE, 6, 5, 5);
    EXPECT_BAD_DIMS("3,32,32", DIMS_USAGE, 2, 1, 1);
    EXPECT_BAD_DIMS("x3x3", DIMS_USAGE, 1, 0, 0);
    EXPECT_BAD_DIMS("-3x32x32", DIMS_USAGE, 1, 0, 0);
    EXPECT_BAD_DIMS("3x32x32x1x1", DIMS_USAGE, 10, 9, 9);
    EXPECT_BAD_DIMS("3x32x32 junk", DIMS_USAGE, 9, 8, 8);
    EXPECT_BAD_DIMS("", DIMS_USAGE, 1, 0, 0);
    EXPECT_BAD_DIMS("1x99999999999999999999x1", TOO_LARGE, 3, 2, 22);
    /* the largest int64 still fits */
    lexer lx = start(state, "1x9223372036854775807x1");
    int64_t d[4];
    int n;
    src_span span, at;
    const char *why;
    assert_true(lex_dims(&lx, d, &n, &span, &at, &why));
    assert_true(d[1] == INT64_MAX);
}

static void line_at_finds_the_source_line(void **state)
{
    (void)state;
    const char text[] = "ab\r\ncd\nef";
    size_t s, n;
    lex_line_at(text, sizeof text - 1, 1, &s, &n);
    assert_int_equal(s, 0);
    assert_int_equal(n, 2);
    lex_line_at(text, sizeof text - 1, 5, &s, &n);
    assert_int_equal(s, 4);
    assert_int_equal(n, 2);
    lex_line_at(text, sizeof text - 1, sizeof text - 1, &s, &n);
    assert_int_equal(s, 7);
    assert_int_equal(n, 2);
    /* line 1 starts after a byte-order mark: a caret counted from the
     * line's start lands on the column, which does not count the mark */
    const char bom[] = BOM "ab\ncd";
    lex_line_at(bom, sizeof bom - 1, 4, &s, &n);
    assert_int_equal(s, 3);
    assert_int_equal(n, 2);
    lex_line_at(bom, sizeof bom - 1, 7, &s, &n);
    assert_int_equal(s, 6);
    assert_int_equal(n, 2);
}

static void kind_names(void **state)
{
    (void)state;
    assert_string_equal(lex_kind_name(TOK_EOF), "end of file");
    assert_string_equal(lex_kind_name(TOK_NEWLINE), "end of line");
    assert_string_equal(lex_kind_name(TOK_INT), "an integer");
    assert_string_equal(lex_kind_name(TOK_SLASHSLASH), "'//'");
}

/* Equal names share one copy, also after the table has grown many times
 * in an arena of its own; a prefix is another name. */
static void names_are_interned(void **state)
{
    lexer lx = start(state, "");
    arena table;
    arena_init(&table);
    lx.names.table_ar = &table;
    const char *ab = lex_intern(&lx, "abc", 2);
    assert_string_equal(ab, "ab");
    const char *abc = lex_intern(&lx, "abc", 3);
    assert_string_equal(abc, "abc");
    assert_ptr_not_equal(ab, abc);
    assert_ptr_equal(lex_intern(&lx, "ab", 2), ab);
    assert_ptr_equal(lex_intern(&lx, "", 0), lex_intern(&lx, "x", 0));
    const char *first[5000];
    for (int i = 0; i < 5000; i++) {
        char name[16];
        int n = snprintf(name, sizeof name, "conv%d", i);
        first[i] = lex_intern(&lx, name, (size_t)n);
        assert_string_equal(first[i], name);
    }
    for (int i = 0; i < 5000; i++) {
        char name[16];
        int n = snprintf(name, sizeof name, "conv%d", i);
        assert_ptr_equal(lex_intern(&lx, name, (size_t)n), first[i]);
    }
    assert_ptr_equal(lex_intern(&lx, "abc", 3), abc);
    assert_int_equal(lx.names.names_len, 5003);
    arena_free(&table);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(punctuation_tokens_have_their_spans, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(end_of_file_repeats, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(names_keep_their_text, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(names_are_interned, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(integers, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(floats, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(point_before_a_name_is_a_dot, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(int64_overflow_is_an_error, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(float_overflow_is_an_error, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(digits_run_into_letters, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(number_too_long, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(strings_in_both_quotes, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(string_escapes, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(unterminated_string_at_end_of_line, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(unterminated_string_at_end_of_file, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(comments_are_skipped, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(crlf_ends_a_line, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(backslash_joins_lines, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(stray_backslash_is_unexpected, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(unexpected_ascii_character, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(lookalike_letter_outside_a_string, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(lookalike_inside_a_name, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(bom_at_the_start_is_skipped, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(bom_elsewhere_is_refused, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(columns_count_code_points, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(rest_of_line_empty, setup_arena, free_arena),
        cmocka_unit_test(encoding_accepts_utf8),
        cmocka_unit_test(encoding_refuses_nul),
        cmocka_unit_test(encoding_refuses_invalid_utf8),
        cmocka_unit_test(encoding_counts_columns_after_a_bom),
        cmocka_unit_test_setup_teardown(dims_read_three_sizes, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(dims_of_every_rank, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(dims_errors, setup_arena, free_arena),
        cmocka_unit_test(line_at_finds_the_source_line),
        cmocka_unit_test(kind_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
