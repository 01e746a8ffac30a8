/* py_lex.c - the Python tokenizer, after CPython 3.11's Parser/tokenizer.c. */
#include "py/py_lex.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const op_texts[] = {
    [PYOP_NONE] = "",
#define PYLEX_OP_TEXT(name, text) [PYOP_##name] = text,
    PYLEX_OPS(PYLEX_OP_TEXT)
#undef PYLEX_OP_TEXT
};
_Static_assert(sizeof op_texts / sizeof op_texts[0] == PYOP_COUNT, "every operator has its text");

static const char *const kw_texts[] = {
    [PYKW_NAME] = "",
#define PYLEX_KW_TEXT(name, text) [PYKW_##name] = text,
    PYLEX_KEYWORDS(PYLEX_KW_TEXT)
#undef PYLEX_KW_TEXT
};
_Static_assert(sizeof kw_texts / sizeof kw_texts[0] == PYKW_COUNT, "every keyword has its text");

const char *pylex_op_text(pyop op) { return op > PYOP_NONE && op < PYOP_COUNT ? op_texts[op] : ""; }
const char *pylex_kw_text(pykw kw) { return kw > PYKW_NAME && kw < PYKW_COUNT ? kw_texts[kw] : ""; }

const char *pylex_kind_name(pytok_kind k)
{
    static const char *const names[] = {
        [PYTOK_ENDMARKER] = "ENDMARKER", [PYTOK_NAME] = "NAME", [PYTOK_INT] = "NUMBER",
        [PYTOK_FLOAT] = "NUMBER", [PYTOK_STRING] = "STRING", [PYTOK_OP] = "OP",
        [PYTOK_NEWLINE] = "NEWLINE", [PYTOK_INDENT] = "INDENT", [PYTOK_DEDENT] = "DEDENT",
        [PYTOK_ERROR] = "ERRORTOKEN",
    };
    _Static_assert(sizeof names / sizeof names[0] == PYTOK_ERROR + 1, "every token kind has a name");
    return (unsigned)k <= PYTOK_ERROR ? names[k] : "?";
}

const char *pylex_err_class_name(pylex_err_class c)
{
    return c == PYERR_TAB ? "TabError" : c == PYERR_INDENTATION ? "IndentationError" : "SyntaxError";
}

/* ---- reading the text ------------------------------------------------ */

static int peekc(const pylex *lx, size_t ahead)
{
    size_t p = lx->pos + ahead;
    return p < lx->len ? (unsigned char)lx->text[p] : -1;
}

static bool is_newline(int c) { return c == '\n' || c == '\r'; }

/* Moves one byte on. A '\r' not before '\n' ends a line too, as CPython
 * reads "\r", "\n" and "\r\n" alike; columns advance on the first byte of
 * a code point. */
static void advance(pylex *lx)
{
    unsigned char c = (unsigned char)lx->text[lx->pos++];
    if (c == '\n' || (c == '\r' && peekc(lx, 0) != '\n')) {
        lx->line++;
        lx->col = 1;
    } else if ((c & 0xC0) != 0x80) {
        lx->col++;
    }
}

/* Moves over one line end: "\n", "\r\n" or "\r". */
static void advance_newline(pylex *lx)
{
    if (peekc(lx, 0) == '\r' && peekc(lx, 1) == '\n') advance(lx);
    advance(lx);
}

static src_span span_here(const pylex *lx)
{
    src_span s = { lx->line, lx->col, (uint32_t)lx->pos, (uint32_t)lx->pos };
    return s;
}

/* The byte before pos, an ASCII one on pos's line: where CPython points
 * when it reports an error "at tok->cur" (its 0-based column read as
 * 1-based). */
static src_span span_before(const pylex *lx)
{
    src_span s = { lx->line, lx->col > 1 ? lx->col - 1 : 1,
                   (uint32_t)(lx->pos ? lx->pos - 1 : 0), (uint32_t)lx->pos };
    return s;
}

/* ---- tokens and errors ----------------------------------------------- */

static pytok_kind give(pylex *lx, pytoken *t, pytok_kind k, src_span start)
{
    t->kind = k;
    t->span = start;
    t->span.end = (uint32_t)lx->pos;
    if (k != PYTOK_INDENT && k != PYTOK_DEDENT && k != PYTOK_NEWLINE && k != PYTOK_ENDMARKER)
        lx->line_has_tokens = true;
    return k;
}

static pytok_kind fail(pylex *lx, pytoken *t, pylex_err_class cls, src_span at, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Gives the error (class, place, CPython's message) and stays failed. */
static pytok_kind fail(pylex *lx, pytoken *t, pylex_err_class cls, src_span at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vset(&lx->err, lx->ar, at, PROBE_INVALID, NULL, fmt, ap);
    va_end(ap);
    lx->err_class = cls;
    lx->failed = true;
    memset(t, 0, sizeof *t);
    t->kind = PYTOK_ERROR;
    t->span = at;
    return PYTOK_ERROR;
}

static pytok_kind out_of_memory(pylex *lx, pytoken *t, src_span at)
{
    lx->ar->failed = true;
    return fail(lx, t, PYERR_SYNTAX, at, "out of memory");
}

void pylex_init(pylex *lx, const char *text, size_t len, arena *ar)
{
    memset(lx, 0, sizeof *lx);
    lx->text = text;
    lx->len = len;
    lx->pos = diag_bom_len(text, len);
    lx->line = lx->col = 1;
    lx->ar = ar;
    intern_init(&lx->names, ar);
    lx->atbol = true;
    src_span at;
    pytoken t;
    switch (diag_check_text(text, len, &at)) {
    case DIAG_TEXT_OK: break;
    case DIAG_TEXT_NUL:
        fail(lx, &t, PYERR_SYNTAX, at, "source code cannot contain null bytes");
        break;
    case DIAG_TEXT_BAD_UTF8:
        fail(lx, &t, PYERR_SYNTAX, at, "Non-UTF-8 code starting with '\\x%02x' on line %u, but no encoding declared",
             (unsigned char)text[at.off], (unsigned)at.line);
        break;
    }
}

/* ---- layout ------------------------------------------------------------ */

/* continuation := '\\' NEWLINE
 * At a backslash: steps over it and the line end; an error when something
 * else follows it, or nothing does. */
static bool line_join(pylex *lx, pytoken *t)
{
    src_span bs = span_here(lx);
    advance(lx);
    int c = peekc(lx, 0);
    if (is_newline(c)) {
        advance_newline(lx);
        c = peekc(lx, 0);
    } else if (c != -1) {
        /* CPython points at the character after the backslash */
        fail(lx, t, PYERR_SYNTAX, span_here(lx), "unexpected character after line continuation character");
        return false;
    }
    if (c == -1) {
        src_span at = { bs.line, bs.col + 1, bs.off + 1, bs.off + 1 };
        fail(lx, t, PYERR_SYNTAX, at, "unexpected EOF while parsing");
        return false;
    }
    return true;
}

/* The place just past the end of the current line (its '\n' or EOF),
 * where CPython reports an unindent that matches no outer level. */
static src_span line_end(const pylex *lx)
{
    pylex probe = *lx;
    while (peekc(&probe, 0) != -1 && !is_newline(peekc(&probe, 0))) advance(&probe);
    return span_here(&probe);
}

/* indentation := {' ' | '\t' | '\f' | continuation}
 * At the start of a line: measures its indentation twice (tabs to the
 * next multiple of 8, and tabs as 1 column), decides whether the line is
 * blank (nothing, or only a comment, after it) and, for a line that
 * counts, queues INDENTs or DEDENTs against the indent stack. */
static bool read_indentation(pylex *lx, pytoken *t)
{
    uint32_t col = 0, altcol = 0, cont_col = 0;
    src_span line_start = span_here(lx);
    line_start.col = 1;
    for (;;) {
        int c = peekc(lx, 0);
        if (c == ' ') {
            col++, altcol++;
        } else if (c == '\t') {
            col = (col / 8 + 1) * 8;
            altcol++;
        } else if (c == '\f') {
            col = altcol = 0;
        } else if (c == '\\') {
            /* the first backslash fixes the indentation of what follows */
            cont_col = cont_col ? cont_col : col;
            if (!line_join(lx, t)) return false;
            continue;
        } else {
            break;
        }
        advance(lx);
    }
    int c = peekc(lx, 0);
    lx->blank = c == '#' || is_newline(c);
    if (lx->blank || lx->level > 0) return true;
    if (cont_col) col = altcol = cont_col;
    if (c == -1) col = altcol = 0;
    src_span at = { lx->line, 1, (uint32_t)lx->pos, (uint32_t)lx->pos };
    if (col == lx->indstack[lx->indent]) {
        if (altcol != lx->altstack[lx->indent]) goto tab_error;
    } else if (col > lx->indstack[lx->indent]) {
        if (lx->indent + 1 >= PYLEX_MAX_INDENT) {
            fail(lx, t, PYERR_INDENTATION, at, "too many levels of indentation");
            return false;
        }
        if (altcol <= lx->altstack[lx->indent]) goto tab_error;
        lx->pending++;
        lx->indent++;
        lx->indstack[lx->indent] = col;
        lx->altstack[lx->indent] = altcol;
    } else {
        while (lx->indent > 0 && col < lx->indstack[lx->indent]) {
            lx->pending--;
            lx->indent--;
        }
        if (col != lx->indstack[lx->indent]) {
            fail(lx, t, PYERR_INDENTATION, line_end(lx), "unindent does not match any outer indentation level");
            return false;
        }
        if (altcol != lx->altstack[lx->indent]) goto tab_error;
    }
    lx->indent_span = line_start;
    lx->indent_span.end = (uint32_t)lx->pos;
    return true;
tab_error:
    fail(lx, t, PYERR_TAB, at, "inconsistent use of tabs and spaces in indentation");
    return false;
}

/* ---- numbers ------------------------------------------------------------ */

static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_name_start(int c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_name_char(int c) { return is_name_start(c) || is_digit(c); }
/* CPython's is_potential_identifier_char: what may not touch a number */
static bool is_potential_name_char(int c) { return is_name_char(c) || c >= 128; }

static int digit_value(int c)
{
    if (is_digit(c)) return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return 99;
}

/* digits := digit {['_'] digit}
 * Steps over digits; a '_' not followed by a digit is an error. */
static bool decimal_tail(pylex *lx, pytoken *t)
{
    for (;;) {
        while (is_digit(peekc(lx, 0))) advance(lx);
        if (peekc(lx, 0) != '_') return true;
        advance(lx);
        if (!is_digit(peekc(lx, 0))) {
            fail(lx, t, PYERR_SYNTAX, span_before(lx), "invalid decimal literal");
            return false;
        }
    }
}

/* A number may not run into a name ('1abc'), except into the keywords
 * that can follow one in valid code ('1if x else 2'), as in CPython. */
static bool end_of_number(pylex *lx, pytoken *t, const char *kind)
{
    int c = peekc(lx, 0);
    static const char *const after[] = { "and", "else", "for", "if", "in", "is", "or", "not" };
    for (size_t i = 0; i < sizeof after / sizeof after[0]; i++) {
        size_t n = strlen(after[i]);
        if (lx->len - lx->pos >= n && !memcmp(lx->text + lx->pos, after[i], n)) return true;
    }
    if (is_potential_name_char(c)) {
        fail(lx, t, PYERR_SYNTAX, span_before(lx), "invalid %s literal", kind);
        return false;
    }
    return true;
}

/* The value of the INT token text[start..pos) in base b, '_' skipped;
 * false when it does not fit in an int64. */
static bool int_value(const pylex *lx, size_t start, int b, int64_t *v)
{
    *v = 0;
    for (size_t i = start; i < lx->pos; i++) {
        int d = digit_value((unsigned char)lx->text[i]);
        if (d >= b) continue;       /* '_', and the prefix's letters */
        if (!util_mul(*v, b, v) || !util_add(*v, d, v)) return false;
    }
    return true;
}

/* radix := '0' ('x'|'X') hexdigits | '0' ('o'|'O') octdigits | '0' ('b'|'B') bindigits
 * Xdigits := {'_'} ... as CPython: ['_'] Xdigit {Xdigit} {'_' Xdigit {Xdigit}} */
static bool radix_number(pylex *lx, pytoken *t, int base)
{
    const char *kind = base == 16 ? "hexadecimal" : base == 8 ? "octal" : "binary";
    advance(lx);
    advance(lx);
    for (;;) {
        if (peekc(lx, 0) == '_') advance(lx);
        int c = peekc(lx, 0);
        if (digit_value(c) >= base) {
            if (base != 16 && is_digit(c)) {
                advance(lx);
                fail(lx, t, PYERR_SYNTAX, span_before(lx), "invalid digit '%c' in %s literal", c, kind);
            } else {
                fail(lx, t, PYERR_SYNTAX, span_before(lx), "invalid %s literal", kind);
            }
            return false;
        }
        while (digit_value(peekc(lx, 0)) < base) advance(lx);
        if (peekc(lx, 0) != '_') break;
    }
    if (base != 16 && is_digit(peekc(lx, 0))) {
        int c = peekc(lx, 0);
        advance(lx);
        fail(lx, t, PYERR_SYNTAX, span_before(lx), "invalid digit '%c' in %s literal", c, kind);
        return false;
    }
    return end_of_number(lx, t, kind);
}

/* '0' {['_'] '0'} [digits]: zeros, and the digits after them that only
 * a float may have (Python 2's octal is an error). False after it. */
static bool scan_leading_zeros(pylex *lx, pytoken *t, src_span start)
{
    /* '0' {['_'] '0'}; more digits after it are the old octal */
    advance(lx);
    for (;;) {
        if (peekc(lx, 0) == '_') {
            advance(lx);
            if (!is_digit(peekc(lx, 0))) {
                fail(lx, t, PYERR_SYNTAX, span_before(lx), "invalid decimal literal");
                return false;
            }
        }
        if (peekc(lx, 0) != '0') break;
        advance(lx);
    }
    size_t zeros_end = lx->pos;
    bool nonzero = is_digit(peekc(lx, 0));
    if (nonzero && !decimal_tail(lx, t)) return false;
    int d = peekc(lx, 0);
    if (nonzero && d != '.' && d != 'e' && d != 'E' && d != 'j' && d != 'J') {
        src_span at = start;
        at.end = (uint32_t)zeros_end;
        fail(lx, t, PYERR_SYNTAX, at, "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers");
        return false;
    }
    return true;
}

/* decimal := '0' {['_'] '0'} | nonzero digits, then ['.' [digits]]
 * [exponent] ['j'], or '.' digits...: the part of a number after its
 * first character decides nothing alone. True with *is_float when it
 * scanned one; false after the error (the token says it). */
static bool scan_decimal(pylex *lx, pytoken *t, src_span start, bool *is_float)
{
    int c = peekc(lx, 0);
    if (c == '.') {
        *is_float = true;            /* '.' digits */
    } else if (c == '0') {
        if (!scan_leading_zeros(lx, t, start)) return false;
    } else if (!decimal_tail(lx, t)) {
        return false;
    }
    if (peekc(lx, 0) == '.') {
        *is_float = true;
        advance(lx);
        if (is_digit(peekc(lx, 0)) && !decimal_tail(lx, t)) return false;
    }
    if (peekc(lx, 0) == 'e' || peekc(lx, 0) == 'E') {
        int s = peekc(lx, 1);
        if (s == '+' || s == '-') {
            advance(lx);
            advance(lx);
            if (!is_digit(peekc(lx, 0))) {
                fail(lx, t, PYERR_SYNTAX, span_before(lx), "invalid decimal literal");
                return false;
            }
        } else if (!is_digit(s)) {
            /* '1else': the number ends before the 'e' */
            if (!end_of_number(lx, t, "decimal")) return false;
            return true;
        } else {
            advance(lx);
        }
        *is_float = true;
        if (!decimal_tail(lx, t)) return false;
    }
    if (peekc(lx, 0) == 'j' || peekc(lx, 0) == 'J') {
        advance(lx);
        if (!end_of_number(lx, t, "imaginary")) return false;
        src_span at = start;
        at.end = (uint32_t)lx->pos;
        fail(lx, t, PYERR_SYNTAX, at, "complex numbers are not supported");
        return false;
    }
    if (!end_of_number(lx, t, "decimal")) return false;
    return true;
}

/* The value of the number text[start.off, pos): a float through strtod,
 * an int within int64, else flagged PYNUM_BIG with its text. */
static pytok_kind number_value(pylex *lx, pytoken *t, src_span start, bool is_float, int base)
{
    if (is_float) {
        /* strtod does not know '_' */
        size_t n = lx->pos - start.off;
        char *buf = arena_alloc(lx->ar, n + 1);
        if (!buf) return out_of_memory(lx, t, start);
        size_t k = 0;
        for (size_t i = start.off; i < lx->pos; i++)
            if (lx->text[i] != '_') buf[k++] = lx->text[i];
        buf[k] = '\0';
        t->f = strtod(buf, NULL);
        return give(lx, t, PYTOK_FLOAT, start);
    }
    if (!int_value(lx, start.off, base, &t->i)) {
        /* the parser makes it a PYX_BIGINT: an error only where it is used */
        t->i = 0;
        t->flags = PYNUM_BIG;
        t->s = intern_bytes(&lx->names, lx->text + start.off, lx->pos - start.off);
        if (!t->s) return out_of_memory(lx, t, start);
        t->n = lx->pos - start.off;
    }
    return give(lx, t, PYTOK_INT, start);
}

/* number := radix | decimal ['.' [digits]] [exponent] ['j'] | '.' digits [exponent] ['j']
 * decimal := '0' {['_'] '0'} | nonzero digits        exponent := ('e'|'E') ['+'|'-'] digits
 * INT or FLOAT; an int past int64 is an INT flagged PYNUM_BIG holding its
 * text; an imaginary number is an error. */
static pytok_kind scan_number(pylex *lx, pytoken *t, src_span start)
{
    int c = peekc(lx, 0), c1 = peekc(lx, 1);
    bool is_float = false;
    int base = 10;
    if (c == '0' && (c1 == 'x' || c1 == 'X' || c1 == 'o' || c1 == 'O' || c1 == 'b' || c1 == 'B')) {
        base = c1 == 'x' || c1 == 'X' ? 16 : c1 == 'o' || c1 == 'O' ? 8 : 2;
        if (!radix_number(lx, t, base)) return PYTOK_ERROR;
    } else if (!scan_decimal(lx, t, start, &is_float)) {
        return PYTOK_ERROR;
    }
    return number_value(lx, t, start, is_float, base);
}

/* ---- strings ------------------------------------------------------------ */

/* The flags of a string prefix text[off..off+n), or -1 when it is not
 * one: r, u, b, f, and br, rb, fr, rf in any case. */
static int string_prefix(const char *s, size_t n)
{
    int flags = 0;
    if (n == 0 || n > 2) return n == 0 ? 0 : -1;
    for (size_t i = 0; i < n; i++) {
        int bit;
        switch (s[i] | 0x20) {
        case 'r': bit = PYSTR_RAW; break;
        case 'b': bit = PYSTR_BYTES; break;
        case 'f': bit = PYSTR_FORMAT; break;
        case 'u': bit = 8; break;
        default: return -1;
        }
        if (flags & bit) return -1;
        flags |= bit;
    }
    /* u stands alone; b and f do not mix */
    if ((flags & 8 && n > 1) || (flags & PYSTR_BYTES && flags & PYSTR_FORMAT)) return -1;
    return flags & ~8;
}

static void put_utf8(sb *out, uint32_t cp)
{
    if (cp < 0x80) {
        sb_putc(out, (char)cp);
    } else if (cp < 0x800) {
        sb_putc(out, (char)(0xC0 | cp >> 6));
        sb_putc(out, (char)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        sb_putc(out, (char)(0xE0 | cp >> 12));
        sb_putc(out, (char)(0x80 | ((cp >> 6) & 0x3F)));
        sb_putc(out, (char)(0x80 | (cp & 0x3F)));
    } else {
        sb_putc(out, (char)(0xF0 | cp >> 18));
        sb_putc(out, (char)(0x80 | ((cp >> 12) & 0x3F)));
        sb_putc(out, (char)(0x80 | ((cp >> 6) & 0x3F)));
        sb_putc(out, (char)(0x80 | (cp & 0x3F)));
    }
}

/* escape := '\\' (NEWLINE | '\\' | "'" | '"' | 'a' | 'b' | 'f' | 'n' | 'r' | 't' | 'v'
 *               | octdigit [octdigit [octdigit]] | 'x' hex hex
 *               | 'u' hex{4} | 'U' hex{8})          (str: u and U; bytes: not)
 * Decodes body[0..n) into out; any other escape stays as written (\N{...}
 * too). False, with CPython's message in msg, for a truncated escape. */
static bool decode_escapes(const char *body, size_t n, unsigned flags, sb *out, char *msg, size_t cap)
{
    bool bytes = flags & PYSTR_BYTES;
    for (size_t i = 0; i < n; i++) {
        char c = body[i];
        if (c != '\\' || flags & PYSTR_RAW || i + 1 == n) {
            sb_putc(out, c);
            continue;
        }
        size_t at = i++;
        c = body[i];
        static const char simple_in[] = "\\'\"abfnrtv", simple_out[] = "\\'\"\a\b\f\n\r\t\v";
        const char *p = strchr(simple_in, c);
        if (p && c) {
            sb_putc(out, simple_out[p - simple_in]);
        } else if (c == '\n') {
            /* a backslash before the line end joins lines */
        } else if (c == '\r') {
            if (i + 1 < n && body[i + 1] == '\n') i++;
        } else if (c >= '0' && c <= '7') {
            uint32_t v = (uint32_t)(c - '0');
            for (int k = 0; k < 2 && i + 1 < n && body[i + 1] >= '0' && body[i + 1] <= '7'; k++)
                v = v * 8 + (uint32_t)(body[++i] - '0');
            if (bytes) sb_putc(out, (char)(v & 0xFF));
            else put_utf8(out, v);
        } else if (c == 'x' || (!bytes && (c == 'u' || c == 'U'))) {
            int want = c == 'x' ? 2 : c == 'u' ? 4 : 8;
            uint32_t v = 0;
            int k = 0;
            while (k < want && i + 1 < n && digit_value((unsigned char)body[i + 1]) < 16) {
                v = v * 16 + (uint32_t)digit_value((unsigned char)body[++i]);
                k++;
            }
            if (k < want) {
                if (bytes)
                    snprintf(msg, cap, "(value error) invalid \\x escape at position %zu", at);
                else
                    snprintf(msg, cap, "(unicode error) 'unicodeescape' codec can't decode bytes in position %zu-%zu: truncated \\%s escape",
                             at, i, c == 'x' ? "xXX" : c == 'u' ? "uXXXX" : "UXXXXXXXX");
                return false;
            }
            if (v > 0x10FFFF) {
                snprintf(msg, cap, "(unicode error) 'unicodeescape' codec can't decode bytes in position %zu-%zu: illegal Unicode character", at, i);
                return false;
            }
            if (bytes) sb_putc(out, (char)v);
            else put_utf8(out, v);
        } else {
            sb_putc(out, '\\');
            sb_putc(out, c);
        }
    }
    return true;
}

/* string := prefix? (short | long)
 * short := "'" {char | '\\' any} "'" | '"' {char | '\\' any} '"'   (no bare line end)
 * long := "'''" {char | '\\' any} "'''" | '"""' {char | '\\' any} '"""'
 * At the opening quote, the prefix's flags known; start is the prefix's. */
static pytok_kind scan_string(pylex *lx, pytoken *t, src_span start, int flags)
{
    int quote = peekc(lx, 0);
    int size = peekc(lx, 1) == quote && peekc(lx, 2) == quote ? 3 : 1;
    for (int k = 0; k < size; k++) advance(lx);
    size_t body = lx->pos;
    int closing = 0;
    while (closing < size) {
        int c = peekc(lx, 0);
        if (c == -1 || (size == 1 && is_newline(c))) {
            /* the line where CPython stopped reading: a line end at EOF
             * starts no line */
            uint32_t line = lx->line;
            if (c == -1 && lx->pos > 0 && is_newline((unsigned char)lx->text[lx->pos - 1])) line--;
            src_span at = start;
            at.end = at.off;
            return fail(lx, t, PYERR_SYNTAX, at, "unterminated %sstring literal (detected at line %u)",
                        size == 3 ? "triple-quoted " : "", (unsigned)line);
        }
        advance(lx);
        if (c == quote) {
            closing++;
        } else {
            closing = 0;
            if (c == '\\' && peekc(lx, 0) != -1) {
                if (peekc(lx, 0) == '\r' && peekc(lx, 1) == '\n') advance(lx);
                advance(lx);
            }
        }
    }
    size_t body_end = lx->pos - (size_t)size;
    if (flags & PYSTR_FORMAT) {
        /* kept as written: the parser makes a PYX_FSTR of it, never formatted */
        t->s = intern_bytes(&lx->names, lx->text + body, body_end - body);
        if (!t->s) return out_of_memory(lx, t, start);
        t->n = body_end - body;
        t->flags = (unsigned)flags;
        return give(lx, t, PYTOK_STRING, start);
    }
    if (flags & PYSTR_BYTES) {
        for (size_t i = body; i < body_end; i++)
            if ((unsigned char)lx->text[i] >= 0x80) {
                src_span at = start;
                at.end = (uint32_t)lx->pos;
                return fail(lx, t, PYERR_SYNTAX, at, "bytes can only contain ASCII literal characters");
            }
    }
    sb out;
    sb_init(&out);
    char msg[160];
    bool ok = decode_escapes(lx->text + body, body_end - body, (unsigned)flags, &out, msg, sizeof msg);
    if (!ok) {
        sb_free(&out);
        /* CPython points just past the string */
        return fail(lx, t, PYERR_SYNTAX, span_here(lx), "%s", msg);
    }
    t->s = intern_bytes(&lx->names, out.buf ? out.buf : "", out.len);
    t->n = out.len;
    bool failed = out.failed;
    sb_free(&out);
    if (!t->s || failed) return out_of_memory(lx, t, start);
    t->flags = (unsigned)flags;
    return give(lx, t, PYTOK_STRING, start);
}

/* ---- names, operators, the token loop ---------------------------------- */

/* A code point outside a string or comment that no token starts with. */
static pytok_kind bad_character(pylex *lx, pytoken *t, src_span start)
{
    size_t n = util_utf8_len(lx->text + lx->pos, lx->len - lx->pos);
    const unsigned char *s = (const unsigned char *)lx->text + lx->pos;
    uint32_t cp = n == 2 ? (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F)
                : n == 3 ? (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F)
                : (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 | (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
    start.end = (uint32_t)(lx->pos + n);
    /* the few non-printable ones a text editor lets through */
    if (cp <= 0xA0 || cp == 0xAD || cp == 0xFEFF || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
        (cp >= 0x2060 && cp <= 0x2064))
        return fail(lx, t, PYERR_SYNTAX, start, "invalid non-printable character U+%04X", (unsigned)cp);
    /* probe's names are ASCII; CPython would take a letter here */
    if (cp >= 0xC0 && cp != 0xD7 && cp != 0xF7 && !(cp >= 0x2000 && cp <= 0x2BFF) &&
        !(cp >= 0x3000 && cp <= 0x303F) && !(cp >= 0xFE00 && cp <= 0xFFFF) && cp < 0x1F000)
        return fail(lx, t, PYERR_SYNTAX, start, "non-ASCII names are not supported: write '%.*s' in ASCII",
                    (int)n, lx->text + lx->pos);
    if (n >= 2)
        return fail(lx, t, PYERR_SYNTAX, start, "invalid character '%.*s' (U+%04X)", (int)n,
                    lx->text + lx->pos, (unsigned)cp);
    return fail(lx, t, PYERR_SYNTAX, start, "invalid syntax");
}

/* NAME := (letter | '_') {letter | digit | '_'}     (ASCII; see the README)
 * A NAME that is a string prefix right before a quote starts a string. */
static pytok_kind scan_name(pylex *lx, pytoken *t, src_span start)
{
    while (is_name_char(peekc(lx, 0))) advance(lx);
    size_t n = lx->pos - start.off;
    int q = peekc(lx, 0);
    if (q == '\'' || q == '"') {
        int flags = string_prefix(lx->text + start.off, n);
        if (flags >= 0) return scan_string(lx, t, start, flags);
    }
    if (peekc(lx, 0) >= 0x80) return bad_character(lx, t, span_here(lx));
    t->s = intern_bytes(&lx->names, lx->text + start.off, n);
    if (!t->s) return out_of_memory(lx, t, start);
    for (int k = PYKW_NAME + 1; k < PYKW_COUNT; k++)
        if (strlen(kw_texts[k]) == n && !memcmp(kw_texts[k], t->s, n)) t->kw = (pykw)k;
    return give(lx, t, PYTOK_NAME, start);
}

/* op := the longest of PYLEX_OPS at pos; brackets are counted, and a
 * closing one must match the last one open. */
static pytok_kind scan_op(pylex *lx, pytoken *t, src_span start)
{
    pyop best = PYOP_NONE;
    size_t best_len = 0;
    int c = peekc(lx, 0);
    for (int k = PYOP_NONE + 1; k < PYOP_COUNT; k++) {
        /* most ops do not start with this byte: skip them before measuring */
        if (op_texts[k][0] != c) continue;
        size_t n = op_texts[k][1] ? strlen(op_texts[k]) : 1;
        if (n > best_len && lx->len - lx->pos >= n && !memcmp(lx->text + lx->pos, op_texts[k], n)) {
            best = (pyop)k;
            best_len = n;
        }
    }
    if (best == PYOP_NONE) {
        src_span at = start;
        if (c < 0x20 || c == 0x7F)
            return fail(lx, t, PYERR_SYNTAX, at, "invalid non-printable character U+%04X", (unsigned)c);
        return fail(lx, t, PYERR_SYNTAX, at, "invalid syntax");
    }
    for (size_t k = 0; k < best_len; k++) advance(lx);
    if (c == '(' || c == '[' || c == '{') {
        if (lx->level >= PYLEX_MAX_NEST)
            return fail(lx, t, PYERR_SYNTAX, start, "too many nested parentheses");
        lx->open[lx->level] = (char)c;
        lx->open_at[lx->level] = start;
        lx->open_at[lx->level].end = (uint32_t)lx->pos;
        lx->level++;
    } else if (c == ')' || c == ']' || c == '}') {
        if (!lx->level) return fail(lx, t, PYERR_SYNTAX, start, "unmatched '%c'", c);
        char o = lx->open[--lx->level];
        if ((o == '(' && c != ')') || (o == '[' && c != ']') || (o == '{' && c != '}')) {
            src_span oat = lx->open_at[lx->level];
            if (oat.line != start.line)
                return fail(lx, t, PYERR_SYNTAX, start,
                            "closing parenthesis '%c' does not match opening parenthesis '%c' on line %u",
                            c, o, (unsigned)oat.line);
            return fail(lx, t, PYERR_SYNTAX, start,
                        "closing parenthesis '%c' does not match opening parenthesis '%c'", c, o);
        }
    }
    t->op = best;
    return give(lx, t, PYTOK_OP, start);
}

/* The end of the text: an open bracket is an error; a last line without
 * its line end gets its NEWLINE; then every open block is closed. Returns
 * the token given (an error or that NEWLINE), or PYTOK_ENDMARKER when
 * pylex_next is to go on (to the DEDENTs, then the ENDMARKER). */
static pytok_kind at_end(pylex *lx, pytoken *t, src_span start)
{
    if (lx->level)
        return fail(lx, t, PYERR_SYNTAX, lx->open_at[lx->level - 1], "'%c' was never closed", lx->open[lx->level - 1]);
    if (lx->line_has_tokens) {
        lx->line_has_tokens = false;
        return give(lx, t, PYTOK_NEWLINE, start);
    }
    if (!lx->eof_line && lx->pos > 0 && !is_newline((unsigned char)lx->text[lx->pos - 1])) {
        /* CPython ends the last line for it: the DEDENTs and the
         * ENDMARKER stand on the line after */
        lx->line++;
        lx->col = 1;
    }
    lx->eof_line = true;
    if (lx->indent > 0) {
        lx->pending = -lx->indent;
        lx->indent = 0;
    } else {
        lx->done = true;
    }
    return PYTOK_ENDMARKER;
}

/* token := INDENT | DEDENT | NEWLINE | NAME | number | string | op | ENDMARKER
 * after {' ' | '\t' | '\f' | continuation} [comment]; comment := '#' {not NEWLINE} */
pytok_kind pylex_next(pylex *lx, pytoken *t)
{
    memset(t, 0, sizeof *t);
    if (lx->failed) {
        t->kind = PYTOK_ERROR;
        t->span = lx->err.at;
        return PYTOK_ERROR;
    }
    for (;;) {
        if (lx->done) return give(lx, t, PYTOK_ENDMARKER, span_here(lx));
        if (lx->atbol) {
            lx->atbol = false;
            if (!read_indentation(lx, t)) return PYTOK_ERROR;
        }
        if (lx->pending > 0) {
            lx->pending--;
            return give(lx, t, PYTOK_INDENT, lx->indent_span);
        }
        if (lx->pending < 0) {
            lx->pending++;
            return give(lx, t, PYTOK_DEDENT, span_here(lx));
        }
        int c;
        while ((c = peekc(lx, 0)) == ' ' || c == '\t' || c == '\f') advance(lx);
        if (c == '#') {
            src_span at = span_here(lx);
            while (peekc(lx, 0) != -1 && !is_newline(peekc(lx, 0))) advance(lx);
            at.end = (uint32_t)lx->pos;
            if (lx->on_comment) lx->on_comment(lx->comment_ud, at);
            c = peekc(lx, 0);
        }
        src_span start = span_here(lx);
        if (c == -1) {
            pytok_kind k = at_end(lx, t, start);
            if (k != PYTOK_ENDMARKER) return k;
            continue;       /* the DEDENTs and the ENDMARKER, next time round */
        }
        if (is_newline(c)) {
            advance_newline(lx);
            lx->atbol = true;
            if (lx->blank || lx->level > 0) continue;
            lx->line_has_tokens = false;
            return give(lx, t, PYTOK_NEWLINE, start);
        }
        if (c == '\\') {
            if (!line_join(lx, t)) return PYTOK_ERROR;
            continue;
        }
        if (is_name_start(c)) return scan_name(lx, t, start);
        if (is_digit(c) || (c == '.' && is_digit(peekc(lx, 1)))) return scan_number(lx, t, start);
        if (c == '\'' || c == '"') return scan_string(lx, t, start, 0);
        if (c >= 0x80) return bad_character(lx, t, start);
        return scan_op(lx, t, start);
    }
}
