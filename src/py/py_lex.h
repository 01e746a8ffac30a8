/*
 * py_lex.h - the Python tokenizer (prefix: pylex_), the first stage of
 * the Python front end (tokenizer -> parser -> tree -> evaluator).
 *
 * Modelled on CPython 3.11's tokenizer (Parser/tokenizer.c): it turns
 * UTF-8 text into NAME, INT/FLOAT (NUMBER), STRING, OP, NEWLINE, INDENT,
 * DEDENT and ENDMARKER tokens, one at a time, each with its source span
 * (line, column in code points, byte range). Nothing but the indent stack
 * and the open brackets is kept: linear time, no recursion, no token
 * array.
 *
 * Python's layout rules, as CPython applies them: an indent stack;
 * blank and comment-only lines give no token; inside brackets newlines
 * and indentation are ignored (implicit line joining); a backslash before
 * a newline joins lines; a tab moves to the next multiple of 8 and the
 * indentation is compared a second time with tabs as 1 column, a
 * disagreement being the TabError; a file whose last line has no newline
 * gets a NEWLINE; at EOF every open block is closed by a DEDENT. At most
 * PYLEX_MAX_INDENT - 1 levels and PYLEX_MAX_NEST open brackets, as in
 * CPython.
 *
 * Keywords come out as PYTOK_NAME, as in CPython's tokenizer; the
 * token's `kw` says which keyword it is (PYKW_NONE for a plain name).
 * Comments are skipped; a caller that wants them (`# input: CxHxW`) sets
 * on_comment, which is handed each comment's span as it is passed.
 *
 * Errors are CPython 3.11's texts at CPython's line and column, in
 * pylex.err (its exception class in pylex.err_class); after one, every
 * call returns PYTOK_ERROR again. "unexpected indent" and "expected an
 * indented block" are the parser's: they depend on the grammar (an
 * INDENT where no block may start), as in CPython.
 *
 * Ownership: a pylex borrows the text (which must outlive it) and
 * allocates the strings of tokens (names, string values: interned, one
 * copy of each distinct one) and the error message in the arena given to
 * pylex_init; they live as long as it. The intern table goes there too,
 * unless the caller points names.table_ar at an arena of its own before
 * the first token (and frees it when done reading). Nothing else is
 * allocated: no pylex_free. Out of memory: the token is
 * PYTOK_ERROR with the message "out of memory" and ar->failed is set.
 */
#ifndef PROBE_PY_LEX_H
#define PROBE_PY_LEX_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "base/util.h"
#include "base/diag.h"
#include "base/intern.h"

typedef enum pytok_kind {
    PYTOK_ENDMARKER, PYTOK_NAME, PYTOK_INT, PYTOK_FLOAT, PYTOK_STRING, PYTOK_OP,
    PYTOK_NEWLINE, PYTOK_INDENT, PYTOK_DEDENT, PYTOK_ERROR
} pytok_kind;

/* Every operator and delimiter: X(enum suffix, text). */
#define PYLEX_OPS(X) \
    X(LPAR, "(") X(RPAR, ")") X(LSQB, "[") X(RSQB, "]") X(LBRACE, "{") X(RBRACE, "}") \
    X(COMMA, ",") X(COLON, ":") X(DOT, ".") X(SEMI, ";") X(AT, "@") X(EQUAL, "=") \
    X(RARROW, "->") X(ELLIPSIS, "...") X(COLONEQUAL, ":=") \
    X(EQEQUAL, "==") X(NOTEQUAL, "!=") X(LESS, "<") X(GREATER, ">") \
    X(LESSEQUAL, "<=") X(GREATEREQUAL, ">=") \
    X(PLUS, "+") X(MINUS, "-") X(STAR, "*") X(SLASH, "/") X(DSLASH, "//") \
    X(PERCENT, "%") X(DSTAR, "**") X(TILDE, "~") X(AMPER, "&") X(VBAR, "|") \
    X(CIRCUMFLEX, "^") X(LSHIFT, "<<") X(RSHIFT, ">>") \
    X(PLUSEQUAL, "+=") X(MINEQUAL, "-=") X(STAREQUAL, "*=") X(SLASHEQUAL, "/=") \
    X(DSLASHEQUAL, "//=") X(PERCENTEQUAL, "%=") X(DSTAREQUAL, "**=") \
    X(ATEQUAL, "@=") X(AMPEREQUAL, "&=") X(VBAREQUAL, "|=") X(CIRCUMFLEXEQUAL, "^=") \
    X(LSHIFTEQUAL, "<<=") X(RSHIFTEQUAL, ">>=")

#define PYLEX_OP_ENUM(name, text) PYOP_##name,
typedef enum pyop { PYOP_NONE, PYLEX_OPS(PYLEX_OP_ENUM) PYOP_COUNT } pyop;
#undef PYLEX_OP_ENUM

/* Python 3.11's keywords (keyword.kwlist): X(enum suffix, text). */
#define PYLEX_KEYWORDS(X) \
    X(FALSE, "False") X(NONE, "None") X(TRUE, "True") X(AND, "and") X(AS, "as") \
    X(ASSERT, "assert") X(ASYNC, "async") X(AWAIT, "await") X(BREAK, "break") \
    X(CLASS, "class") X(CONTINUE, "continue") X(DEF, "def") X(DEL, "del") \
    X(ELIF, "elif") X(ELSE, "else") X(EXCEPT, "except") X(FINALLY, "finally") \
    X(FOR, "for") X(FROM, "from") X(GLOBAL, "global") X(IF, "if") \
    X(IMPORT, "import") X(IN, "in") X(IS, "is") X(LAMBDA, "lambda") \
    X(NONLOCAL, "nonlocal") X(NOT, "not") X(OR, "or") X(PASS, "pass") \
    X(RAISE, "raise") X(RETURN, "return") X(TRY, "try") X(WHILE, "while") \
    X(WITH, "with") X(YIELD, "yield")

#define PYLEX_KW_ENUM(name, text) PYKW_##name,
typedef enum pykw { PYKW_NAME, PYLEX_KEYWORDS(PYLEX_KW_ENUM) PYKW_COUNT } pykw;
#undef PYLEX_KW_ENUM

/* A string's prefix letters, any case, any order CPython allows. An
 * f-string (PYSTR_FORMAT) is not decoded: s is its text between the
 * quotes, as written. */
enum { PYSTR_RAW = 1, PYSTR_BYTES = 2, PYSTR_FORMAT = 4 };
/* An INT over int64's range: i is 0, s (n bytes) the literal as written. */
enum { PYNUM_BIG = 8 };

typedef struct pytoken {
    pytok_kind kind;
    src_span span;      /* INDENT: the indentation; DEDENT, ENDMARKER and a
                         * NEWLINE added at EOF: empty, where they stand */
    pyop op;            /* PYTOK_OP */
    pykw kw;            /* PYTOK_NAME: the keyword, or PYKW_NAME */
    int64_t i;          /* PYTOK_INT */
    double f;           /* PYTOK_FLOAT */
    const char *s;      /* PYTOK_NAME: the name; PYTOK_STRING: the value, escapes
                         * decoded unless raw or an f-string (\N{...} kept as
                         * written); a PYNUM_BIG INT: its text;
                         * NUL-terminated, arena-owned, interned: equal
                         * names and values are the same pointer */
    size_t n;           /* PYTOK_STRING: the value's bytes (it may hold NULs) */
    unsigned flags;     /* PYTOK_STRING: PYSTR_RAW | PYSTR_BYTES | PYSTR_FORMAT;
                         * PYTOK_INT: PYNUM_BIG */
} pytoken;

/* CPython's limits: MAXINDENT and MAXLEVEL. */
enum { PYLEX_MAX_INDENT = 100, PYLEX_MAX_NEST = 200 };

/* The exception CPython raises for an error. */
typedef enum pylex_err_class { PYERR_SYNTAX, PYERR_INDENTATION, PYERR_TAB } pylex_err_class;

typedef struct pylex {
    const char *text;
    size_t len, pos;
    uint32_t line, col;         /* of pos */
    arena *ar;
    interner names;             /* names and string values, one copy each */
    /* the layout */
    bool atbol;                 /* at the start of a line: indentation to read */
    bool line_has_tokens;       /* a token other than INDENT/DEDENT on this line */
    bool blank;                 /* this line is blank or a comment only */
    bool done;                  /* ENDMARKER given */
    bool eof_line;              /* at EOF, on the line after the last one */
    bool failed;                /* an error given: err holds it */
    int indent;                 /* top of the indent stacks */
    int pending;                /* INDENTs (> 0) or DEDENTs (< 0) to give */
    src_span indent_span;       /* the last indentation read: an INDENT's span */
    uint32_t indstack[PYLEX_MAX_INDENT];    /* columns, tabs to multiples of 8 */
    uint32_t altstack[PYLEX_MAX_INDENT];    /* columns, tabs as 1 */
    int level;                  /* open brackets */
    char open[PYLEX_MAX_NEST];          /* which */
    src_span open_at[PYLEX_MAX_NEST];   /* where */
    /* the error, once one is given */
    diag err;
    pylex_err_class err_class;
    /* called with each comment's span ('#' to the line's end), if set */
    void (*on_comment)(void *ud, src_span at);
    void *comment_ud;
} pylex;

/* Starts on text[0..len), skipping a leading UTF-8 byte-order mark. The
 * whole text is checked for NUL bytes and invalid UTF-8 here (one pass),
 * as CPython decodes a file before it tokenizes it: the first token is
 * then the error. */
void pylex_init(pylex *lx, const char *text, size_t len, arena *ar);
/* The next token into *t; returns its kind. PYTOK_ERROR: lx->err. */
pytok_kind pylex_next(pylex *lx, pytoken *t);
/* "NAME", "OP", ... as CPython's token module names them. */
const char *pylex_kind_name(pytok_kind k);
/* The operator's text ("//="); "" for PYOP_NONE. */
const char *pylex_op_text(pyop op);
/* The keyword's text ("elif"); "" for PYKW_NAME. */
const char *pylex_kw_text(pykw kw);
/* "SyntaxError", "IndentationError" or "TabError". */
const char *pylex_err_class_name(pylex_err_class c);

#endif
