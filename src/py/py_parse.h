/*
 * py_parse.h - the Python parser (prefix: pyparse_), the second stage of
 * the Python front end: tokens (py_lex.h) in, a tree (py_ast.h) out.
 *
 * A recursive-descent parser of Python 3.11's grammar (CPython's
 * Grammar/python.gram, one function per rule, the rule written above it),
 * for the statements and expressions model files and the scripts around
 * them are written in. Errors are CPython 3.11's messages at CPython's
 * line and column ("invalid syntax", "expected ':'", "unexpected indent",
 * "expected an indented block after 'if' statement on line 3", "'(' was
 * never closed", ...), with the exception class CPython raises.
 *
 * Limits: expressions and blocks nest at most PYPARSE_MAX_DEPTH deep, a
 * located SyntaxError "too deeply nested: probe reads at most 200 levels
 * of nested expressions and blocks" past it (never a stack overflow).
 * What counts is the depth of the tree, so that the evaluator's
 * recursion over it is bounded too: a bracket, a prefix operator (`-`,
 * `not`), `**`, a lambda's body, an `else` of a conditional expression,
 * a block, and each link of a chain (a + b + c, a.b(c)[d], an elif) is
 * one level. The tokenizer stops 200 open brackets and 100 indentation
 * levels first, as CPython does.
 *
 * Not read: match statements (a SyntaxError "match statements are not
 * supported: probe does not read them" at `match`). Errors CPython finds
 * only when compiling (symtable: 'return' outside function, duplicate
 * argument names, nonlocal at module level, a starred assignment target
 * alone) are not the parser's.
 *
 * Ownership: the tree, its lists and strings and the error message are
 * allocated in `ar` and live as long as it; the text must outlive the
 * tree (spans point into it).
 */
#ifndef PROBE_PY_PARSE_H
#define PROBE_PY_PARSE_H

#include "py/py_ast.h"

enum { PYPARSE_MAX_DEPTH = 200 };

typedef struct pyparse_error {
    diag d;                     /* where, and CPython's message (without the class) */
    pylex_err_class cls;        /* SyntaxError, IndentationError or TabError */
} pyparse_error;

/* Parses text[0..len) (a leading BOM skipped) into *mod. on_comment, if
 * not NULL, is called with each comment's span as the tokenizer passes
 * it (the `# input: CxHxW` line). False with *err on a syntax error or
 * when out of memory (ar->failed set, message "out of memory"). */
bool pyparse(const char *text, size_t len, arena *ar, pymodule *mod, pyparse_error *err,
             void (*on_comment)(void *ud, src_span at), void *comment_ud);

/* "Call", "Name", ... as CPython's ast module names a kind (for messages
 * and tests). */
const char *pyparse_expr_name(pyx_kind k);
const char *pyparse_stmt_name(pys_kind k);

#endif
