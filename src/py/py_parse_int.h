/*
 * py_parse_int.h - what the parser's two files share (prefix: pp_): the
 * parser's state, token handling, errors, the scratch stack lists are
 * built on, and the entry points of the expression rules that the
 * statement rules call. Not part of the API (py_parse.h is).
 */
#ifndef PROBE_PY_PARSE_INT_H
#define PROBE_PY_PARSE_INT_H

#include "py/py_parse.h"

typedef struct pp {
    pylex lx;
    arena *ar;
    pytoken tok;            /* the current token */
    pytoken ahead;          /* the one after it, when has_ahead */
    bool has_ahead;
    src_span prev;          /* the last token consumed */
    src_span last;          /* the last one but NEWLINE, INDENT, DEDENT: where a node ends */
    pyparse_error *err;
    bool failed;            /* err holds the first error; everything unwinds */
    bool generic;           /* and it is a plain "invalid syntax" of the parser's */
    int depth;              /* nesting of expressions and blocks */
    /* Lists are built on one scratch stack: a rule pushes its items and
     * takes them off into the arena when its list is complete, so nested
     * lists share it and each item is copied once (linear time). */
    char *stk;
    size_t stk_n, stk_cap;
} pp;

/* ---- tokens (py_parse.c) ---- */
void pp_adv(pp *p);
const pytoken *pp_peek(pp *p);
static inline bool pp_is_op(const pp *p, pyop op) { return p->tok.kind == PYTOK_OP && p->tok.op == op; }
static inline bool pp_is_kw(const pp *p, pykw kw) { return p->tok.kind == PYTOK_NAME && p->tok.kw == kw; }
/* Consumes the operator if it is the current token. */
bool pp_accept(pp *p, pyop op);
/* Consumes the operator, else "invalid syntax" at the current token. */
bool pp_expect(pp *p, pyop op);

/* ---- errors (py_parse.c): each returns NULL (false) ---- */
void *pp_fail(pp *p, pylex_err_class cls, src_span at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* "invalid syntax" at the current token ("unexpected indent" at an INDENT). */
void *pp_syntax_error(pp *p);
/* "too many nested ..." past PYPARSE_MAX_DEPTH: enter before recursing, leave after. */
bool pp_enter(pp *p);
static inline void pp_leave(pp *p) { p->depth--; }

/* ---- nodes and lists (py_parse.c) ---- */
void *pp_alloc(pp *p, size_t size);
/* A node of kind k from start to the end of the last token consumed. */
pyx *pp_expr(pp *p, pyx_kind k, src_span start);
pys *pp_stmt(pp *p, pys_kind k, src_span start);
/* start with its end moved to the last token consumed */
src_span pp_span_to_here(const pp *p, src_span start);
bool pp_push(pp *p, const void *item, size_t size);
static inline bool pp_push_ptr(pp *p, const void *ptr) { return pp_push(p, &ptr, sizeof ptr); }
/* The items pushed since mark, moved into the arena (NULL when none). */
void *pp_take(pp *p, size_t mark, size_t size, uint32_t *n);
pyx_list pp_take_exprs(pp *p, size_t mark);

/* ---- expressions (py_parse_expr.c) ---- */
pyx *pp_expression(pp *p);
pyx *pp_named_expression(pp *p);
pyx *pp_star_expressions(pp *p);
pyx *pp_star_targets(pp *p);        /* a for's target: stops before `in` */
pyx *pp_star_target(pp *p);         /* one: ['*'] bitwise_or */
pyx *pp_yield_expr(pp *p);
pyx *pp_disjunction(pp *p);
pyx *pp_arguments(pp *p, pyx *func, src_span start);   /* after '(' ... ')' */
bool pp_params(pp *p, pyparams *out, bool lambda);
pyx *pp_inversion(pp *p);
pyx *pp_bitwise_or(pp *p);
pyx *pp_star_named_expression(pp *p);
pyx *pp_atom(pp *p);                /* py_parse_atom.c */
/* The rest of a display after its first item (pushed), to `close`. */
bool pp_display_rest(pp *p, pyop close, pyx *prev);
bool pp_starts_expression(const pp *p);
/* At a token that is not ',' or the closing bracket after prev: the
 * error ("Perhaps you forgot a comma?" inside brackets). NULL. */
void *pp_missing_comma(pp *p, const pyx *prev);
/* The node of e that may not be assigned to (or deleted), NULL when all
 * of it may; and how CPython names a kind in "cannot assign to %s". */
pyx *pp_invalid_target(pyx *e);
const char *pp_expr_desc(const pyx *e);
/* "cannot assign to %s" (or "delete") at e's invalid part: false, or true when e is a target. */
bool pp_check_target(pp *p, pyx *e, bool del);
/* Is e, as the first target of an assignment, where CPython's
 * invalid_named_expression speaks: at bitwise_or level, not a list,
 * tuple, genexp, True, None or False. */
bool pp_here_target(const pyx *e);
/* At a '=' after e where an expression was to end (an if's test, a list
 * item): CPython's "Maybe you meant '=='" error, true when given. */
bool pp_equal_meant(pp *p, const pyx *e);

#endif
