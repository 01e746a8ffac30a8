/* lex.c - the net.cfg tokenizer. */
#include "cfg/lex.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void lex_init(lexer *lx, const char *text, size_t len, arena *ar)
{
    lx->text = text;
    lx->len = len;
    lx->pos = diag_bom_len(text, len);
    lx->line = 1;
    lx->col = 1;
    lx->line_off = lx->pos;
    lx->ar = ar;
    intern_init(&lx->names, ar);
}

const char *lex_intern(lexer *lx, const char *s, size_t n)
{
    return intern_bytes(&lx->names, s, n);
}

static int peekc(const lexer *lx, size_t ahead)
{
    size_t p = lx->pos + ahead;
    return p < lx->len ? (unsigned char)lx->text[p] : -1;
}

/* Steps *at over byte c: columns advance on the first byte of a code
 * point (counting it once its continuation bytes are behind would be the
 * same thing). */
static void step(uint32_t *line, uint32_t *col, unsigned char c)
{
    if (c == '\n') {
        (*line)++;
        *col = 1;
    } else if ((c & 0xC0) != 0x80) {
        (*col)++;
    }
}

/* Moves one byte on. */
static void advance(lexer *lx)
{
    unsigned char c = (unsigned char)lx->text[lx->pos++];
    step(&lx->line, &lx->col, c);
    if (c == '\n') lx->line_off = lx->pos;
}

src_span lex_locate(const char *text, src_span from, uint32_t off, uint32_t end)
{
    src_span at = from;
    for (uint32_t i = from.off; i < off; i++) step(&at.line, &at.col, (unsigned char)text[i]);
    at.off = off;
    at.end = end;
    return at;
}

static src_span span_here(const lexer *lx)
{
    src_span s = { lx->line, lx->col, lx->pos, lx->pos };
    return s;
}

static token make(lexer *lx, tok_kind k, src_span start)
{
    token t;
    memset(&t, 0, sizeof t);
    t.kind = k;
    t.span = start;
    t.span.end = lx->pos;
    return t;
}

static token error_tok(lexer *lx, src_span at, const char *msg)
{
    token t = make(lx, TOK_ERROR, at);
    t.s = msg;
    return t;
}

/* blank := ' ' | '\t' | '\f' | '\v' | '\r' (before '\n') | '\\' NEWLINE
 * comment := '#' {any byte but '\n'}
 * Skips {blank | comment}: what separates tokens on a line. */
static void skip_blanks_and_comment(lexer *lx)
{
    for (;;) {
        int c = peekc(lx, 0);
        if (c == ' ' || c == '\t' || c == '\f' || c == '\v' ||
            (c == '\r' && peekc(lx, 1) == '\n')) {
            advance(lx);
        } else if (c == '\\' && (peekc(lx, 1) == '\n' ||
                   (peekc(lx, 1) == '\r' && peekc(lx, 2) == '\n'))) {
            /* Python's explicit line joining */
            advance(lx);
            if (peekc(lx, 0) == '\r') advance(lx);
            advance(lx);
        } else if (c == '#') {
            while (peekc(lx, 0) != -1 && peekc(lx, 0) != '\n') advance(lx);
        } else {
            return;
        }
    }
}

bool lex_rest_of_line_empty(const lexer *lx)
{
    lexer probe = *lx;
    skip_blanks_and_comment(&probe);
    int c = peekc(&probe, 0);
    return c == -1 || c == '\n';
}

static bool is_name_start(int c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_name_char(int c) { return is_name_start(c) || is_digit(c); }

/* digits := digit {['_'] digit}, as Python groups them: 1_000, 0.000_1 */
static void skip_digits(lexer *lx)
{
    while (is_digit(peekc(lx, 0)) || (peekc(lx, 0) == '_' && is_digit(peekc(lx, 1)))) advance(lx);
}

/* number := (digits ['.' [digits]] | '.' digits) [('e' | 'E') ['+' | '-'] digits]
 * INT without a point or exponent, else FLOAT; a letter or digit glued to
 * the end ('3x3') makes it an invalid number. */
static token lex_number(lexer *lx, src_span start)
{
    bool is_float = false;
    skip_digits(lx);
    /* a point before a name is not the number's ('2.x'), except for the
     * exponent of a float Python accepts: '1.e5' */
    if (peekc(lx, 0) == '.' && (!is_name_start(peekc(lx, 1)) ||
                                peekc(lx, 1) == 'e' || peekc(lx, 1) == 'E')) {
        is_float = true;
        advance(lx);
        skip_digits(lx);
    }
    if ((peekc(lx, 0) == 'e' || peekc(lx, 0) == 'E') &&
        (is_digit(peekc(lx, 1)) ||
         ((peekc(lx, 1) == '+' || peekc(lx, 1) == '-') && is_digit(peekc(lx, 2))))) {
        is_float = true;
        advance(lx);
        if (peekc(lx, 0) == '+' || peekc(lx, 0) == '-') advance(lx);
        skip_digits(lx);
    }
    if (is_name_char(peekc(lx, 0))) {
        while (is_name_char(peekc(lx, 0))) advance(lx);
        return error_tok(lx, start, "invalid number");
    }
    size_t n = lx->pos - start.off;
    char buf[64];
    size_t k = 0;
    for (size_t i = 0; i < n && k < sizeof buf - 1; i++)
        if (lx->text[start.off + i] != '_') buf[k++] = lx->text[start.off + i];
    buf[k] = '\0';
    if (n >= sizeof buf) return error_tok(lx, start, "number too long");
    token t = make(lx, is_float ? TOK_FLOAT : TOK_INT, start);
    errno = 0;
    if (is_float) {
        t.f = strtod(buf, NULL);
        if (errno == ERANGE && isinf(t.f))
            return error_tok(lx, start, "number too large for a float");
    } else {
        char *endp;
        long long v = strtoll(buf, &endp, 10);
        if (errno == ERANGE)
            return error_tok(lx, start, "number too large: sizes must fit in a signed 64-bit integer (at most 9223372036854775807)");
        t.i = v;
    }
    return t;
}

/* string := "'" chars "'" | '"' chars '"'  (backslash escapes one char) */
static token lex_string(lexer *lx, src_span start)
{
    int quote = peekc(lx, 0);
    advance(lx);
    sb content;
    sb_init(&content);
    for (;;) {
        int c = peekc(lx, 0);
        if (c == -1 || c == '\n') {
            sb_free(&content);
            return error_tok(lx, start, "unterminated string: add the closing quote");
        }
        if (c == quote) { advance(lx); break; }
        if (c == '\\' && peekc(lx, 1) != -1 && peekc(lx, 1) != '\n') {
            advance(lx);
            c = peekc(lx, 0);
        }
        sb_putc(&content, (char)c);
        advance(lx);
    }
    token t = make(lx, TOK_STR, start);
    /* strings repeat as names do ('same', 'zeros'): interned too */
    t.s = lex_intern(lx, content.buf ? content.buf : "", content.len);
    sb_free(&content);
    return t;
}

/* token := NEWLINE | NAME | number | string | '//' | '/'
 *        | '(' | ')' | '[' | ']' | ',' | '=' | ':' | '.' | '?' | '+' | '-' | '*'
 * NAME := (letter | '_') {letter | digit | '_'}      NEWLINE := ['\r'] '\n' | '\r'
 * after {blank | comment}; anything else is a TOK_ERROR. */
token lex_next(lexer *lx)
{
    skip_blanks_and_comment(lx);
    src_span start = span_here(lx);
    int c = peekc(lx, 0);
    if (c == -1) return make(lx, TOK_EOF, start);
    if (c == '\n') { advance(lx); return make(lx, TOK_NEWLINE, start); }
    if (c == '\r') { advance(lx); return make(lx, TOK_NEWLINE, start); }
    if (is_name_start(c)) {
        while (is_name_char(peekc(lx, 0))) advance(lx);
        token t = make(lx, TOK_NAME, start);
        t.s = lex_intern(lx, lx->text + start.off, lx->pos - start.off);
        return t;
    }
    if (is_digit(c) || (c == '.' && is_digit(peekc(lx, 1)))) return lex_number(lx, start);
    if (c == '\'' || c == '"') return lex_string(lx, start);
    static const struct { char c; tok_kind k; } singles[] = {
        {'(', TOK_LPAREN}, {')', TOK_RPAREN}, {'[', TOK_LBRACK}, {']', TOK_RBRACK},
        {',', TOK_COMMA}, {'=', TOK_EQ}, {':', TOK_COLON}, {'.', TOK_DOT},
        {'?', TOK_QMARK}, {'+', TOK_PLUS}, {'-', TOK_MINUS}, {'*', TOK_STAR},
    };
    if (c == '/') {
        advance(lx);
        if (peekc(lx, 0) == '/') { advance(lx); return make(lx, TOK_SLASHSLASH, start); }
        return make(lx, TOK_SLASH, start);
    }
    for (size_t i = 0; i < sizeof singles / sizeof singles[0]; i++) {
        if (singles[i].c == c) {
            advance(lx);
            return make(lx, singles[i].k, start);
        }
    }
    /* one whole code point, so that the message can show it */
    advance(lx);
    while (lx->pos < lx->len && ((unsigned char)lx->text[lx->pos] & 0xC0) == 0x80) advance(lx);
    if (c >= 0x80)
        return error_tok(lx, start, "non-ASCII character outside a string or comment (a look-alike letter?): retype it in ASCII");
    return error_tok(lx, start, "unexpected character");
}

bool lex_check_encoding(const char *text, size_t len, src_span *at, const char **why)
{
    switch (diag_check_text(text, len, at)) {
    case DIAG_TEXT_OK: return true;
    case DIAG_TEXT_NUL: *why = "NUL byte in the file: a net.cfg is text"; return false;
    case DIAG_TEXT_BAD_UTF8: break;
    }
    *why = "invalid UTF-8: save the file as UTF-8 text";
    return false;
}

void lex_line_at(const char *text, size_t len, size_t off, size_t *start, size_t *n)
{
    if (off > len) off = len;
    size_t s = off, first = diag_bom_len(text, len);
    while (s > 0 && text[s - 1] != '\n') s--;
    if (s == 0 && off >= first) s = first;     /* line 1 shown without the mark */
    size_t e = off;
    while (e < len && text[e] != '\n') e++;
    if (e > s && text[e - 1] == '\r') e--;
    *start = s;
    *n = e - s;
}

const char *lex_kind_name(tok_kind k)
{
    static const char *const names[] = {
        [TOK_EOF] = "end of file", [TOK_NEWLINE] = "end of line",
        [TOK_NAME] = "a name", [TOK_INT] = "an integer", [TOK_FLOAT] = "a number",
        [TOK_STR] = "a string", [TOK_LPAREN] = "'('", [TOK_RPAREN] = "')'",
        [TOK_LBRACK] = "'['", [TOK_RBRACK] = "']'", [TOK_COMMA] = "','",
        [TOK_EQ] = "'='", [TOK_COLON] = "':'", [TOK_DOT] = "'.'",
        [TOK_QMARK] = "'?'", [TOK_PLUS] = "'+'", [TOK_MINUS] = "'-'",
        [TOK_STAR] = "'*'", [TOK_SLASH] = "'/'", [TOK_SLASHSLASH] = "'//'",
        [TOK_ERROR] = "an invalid token",
    };
    _Static_assert(sizeof names / sizeof names[0] == TOK_ERROR + 1, "every token kind has a name");
    return names[k];
}

/* dims := size ('x' | 'X') size ('x' | 'X') size [comment] (NEWLINE | EOF)
 * size := digit {digit}, at least 1; blanks and tabs around each 'x'.
 * Scanned byte by byte: as tokens, '3x32' would be an invalid number. */
bool lex_dims(lexer *lx, int64_t out[4], int *n, src_span *span, src_span *at, const char **why)
{
    static const char *const usage =
        "expected 'input: CxL', 'input: CxHxW' or 'input: CxDxHxW': the channels and 1 to 3 sizes, positive integers such as 'input: 3x32x32'";
    while (peekc(lx, 0) == ' ' || peekc(lx, 0) == '\t') advance(lx);
    *span = span_here(lx);
    *n = 0;
    uint32_t last = lx->pos;    /* the end of the last size: blanks after it are not the span's */
    for (int k = 0; k < 4; k++) {
        if (k > 0) {
            while (peekc(lx, 0) == ' ' || peekc(lx, 0) == '\t') advance(lx);
            if (peekc(lx, 0) != 'x' && peekc(lx, 0) != 'X') {
                if (k >= 2) break;      /* C and at least one size */
                *at = span_here(lx);
                *why = usage;
                return false;
            }
            advance(lx);
            while (peekc(lx, 0) == ' ' || peekc(lx, 0) == '\t') advance(lx);
        }
        src_span start = span_here(lx);
        if (!is_digit(peekc(lx, 0))) { *at = start; *why = usage; return false; }
        int64_t v = 0;
        bool overflow = false;
        while (is_digit(peekc(lx, 0))) {
            if (!util_mul(v, 10, &v) || !util_add(v, peekc(lx, 0) - '0', &v)) overflow = true;
            advance(lx);
        }
        if (overflow) { *at = start; at->end = lx->pos; *why = "number too large: sizes must fit in a signed 64-bit integer (at most 9223372036854775807)"; return false; }
        if (v == 0) { *at = start; at->end = lx->pos; *why = "input sizes must be positive: C and each size are at least 1"; return false; }
        out[k] = v;
        (*n)++;
        last = (uint32_t)lx->pos;
    }
    span->end = last;
    if (!lex_rest_of_line_empty(lx)) {
        skip_blanks_and_comment(lx);
        *at = span_here(lx);
        *why = usage;
        return false;
    }
    return true;
}
