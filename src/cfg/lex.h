/*
 * lex.h - the net.cfg tokenizer (prefix: lex_).
 *
 * Turns UTF-8 text into tokens that keep their source span. Comments are
 * skipped; newlines are tokens, since a statement ends at a line's end
 * unless a parenthesis is open (the parser decides).
 */
#ifndef PROBE_LEX_H
#define PROBE_LEX_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "base/util.h"
#include "base/hash.h"
#include "base/intern.h"
#include "base/diag.h"


typedef enum tok_kind {
    TOK_EOF, TOK_NEWLINE, TOK_NAME, TOK_INT, TOK_FLOAT, TOK_STR,
    TOK_LPAREN, TOK_RPAREN, TOK_LBRACK, TOK_RBRACK, TOK_COMMA, TOK_EQ,
    TOK_COLON, TOK_DOT, TOK_QMARK, TOK_PLUS, TOK_MINUS, TOK_STAR,
    TOK_SLASH, TOK_SLASHSLASH, TOK_ERROR
} tok_kind;

typedef struct token {
    tok_kind kind;
    src_span span;
    int64_t i;          /* TOK_INT */
    double f;           /* TOK_FLOAT */
    const char *s;      /* TOK_NAME, TOK_STR (content, unquoted), TOK_ERROR (message); arena-owned */
} token;

typedef struct lexer {
    const char *text;
    size_t len, pos;
    uint32_t line, col;
    size_t line_off;     /* where the current line starts */
    arena *ar;
    /* names are interned: a net repeats a few dozen of them a million times */
    interner names;
} lexer;

/* Tokens' strings, and the table that interns them, go to ar; a caller
 * may point names.table_ar elsewhere before the first token. */
void lex_init(lexer *lx, const char *text, size_t len, arena *ar);
/* The arena-owned copy of s[0..n) shared by every equal string; NULL when
 * out of memory. */
const char *lex_intern(lexer *lx, const char *s, size_t n);
/* The line and column of text[off, end), counted on from `from`, a place
 * at or before off whose line and column are known. */
src_span lex_locate(const char *text, src_span from, uint32_t off, uint32_t end);
/* The next token; TOK_ERROR carries a message and its span. */
token lex_next(lexer *lx);
/* True when only blanks or a comment stand between pos and the line's end. */
bool lex_rest_of_line_empty(const lexer *lx);

/*
 * Checks that text is valid UTF-8 without NUL bytes. On failure returns
 * false and sets *at to the offending byte's span and *why.
 */
bool lex_check_encoding(const char *text, size_t len, src_span *at, const char **why);

/* The source line holding byte `off`: start and length (no newline). */
void lex_line_at(const char *text, size_t len, size_t off, size_t *start, size_t *n);

const char *lex_kind_name(tok_kind k);



/*
 * Scans `CxL`, `CxHxW` or `CxDxHxW` (two to four positive integers joined
 * by 'x', blanks around allowed) up to the end of the line, as the input:
 * line writes it; *n says how many. Returns false with *why and *at on
 * anything else.
 */
bool lex_dims(lexer *lx, int64_t out[4], int *n, src_span *span, src_span *at, const char **why);
#endif
