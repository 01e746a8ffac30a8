/*
 * py_ast.h - the tree of a Python model file (prefix: pyx_, pys_, pyast_),
 * the second stage's output (tokenizer -> parser -> tree -> evaluator).
 *
 * Modelled on CPython's ast module, cut to what a model file holds: the
 * parser accepts all of Python 3.11's statements and expressions that
 * people write in model files and scripts (so that a training loop below
 * the model still parses), and the evaluator refuses, at its span, what
 * it does not run. Every node has the span of its source text: line and
 * column of its first character and the byte range it covers, so that an
 * error is located as CPython locates it and --fix can rewrite one
 * argument's bytes.
 *
 * Ownership: every node, list and string is in the arena given to the
 * parser and lives as long as it; names and string values are interned
 * (py_lex.h), so equal names are the same pointer.
 */
#ifndef PROBE_PY_AST_H
#define PROBE_PY_AST_H

#include "py/py_lex.h"

typedef struct pyx pyx;     /* an expression */
typedef struct pys pys;     /* a statement */

typedef struct pyx_list { pyx **v; uint32_t n; } pyx_list;
typedef struct pys_list { pys **v; uint32_t n; } pys_list;

typedef enum pyx_kind {
    PYX_NAME,       /* name.id */
    PYX_INT,        /* i: a literal that does not fit int64 is a PYX_BIGINT */
    PYX_BIGINT,     /* an integer literal over 2^63-1: str holds its digits as written */
    PYX_FLOAT,      /* f (also 1e3, 2.; imaginary literals are refused by the parser) */
    PYX_STR,        /* str: adjacent literals joined; bytes set for b'' */
    PYX_FSTR,       /* str: an f-string's text, unformatted (the parts are not parsed):
                     * the whole literal as written, prefixes, quotes and any
                     * adjacent literals joined to it included */
    PYX_CONST,      /* konst: None, True, False, ... */
    PYX_ATTR,       /* attr.value . attr.name */
    PYX_SUBSCRIPT,  /* sub.value [ sub.index ]; a, b inside [] is a PYX_TUPLE */
    PYX_SLICE,      /* slice.lo : slice.hi : slice.step, each may be NULL (only as an index) */
    PYX_CALL,       /* call.func ( call.args, call.kws ) */
    PYX_BINOP,      /* bin.l bin.op bin.r: op is a PYOP_ (PLUS .. RSHIFT, AT) */
    PYX_UNARY,      /* un.op un.x: op is PYOP_MINUS, PYOP_PLUS, PYOP_TILDE, or PYOP_NONE for `not` */
    PYX_BOOLOP,     /* boolop.vals joined by `and` (boolop.is_and) or `or`, n >= 2 */
    PYX_COMPARE,    /* cmp.left cmp.ops[0] cmp.rest.v[0] cmp.ops[1] cmp.rest.v[1] ... */
    PYX_IFEXP,      /* ifexp.body if ifexp.test else ifexp.orelse */
    PYX_TUPLE,      /* elts (also the bare `a, b` of an assignment or return) */
    PYX_LIST,       /* elts */
    PYX_SET,        /* elts */
    PYX_DICT,       /* dict.keys, dict.vals: a NULL key is `**dict.vals.v[i]` */
    PYX_LISTCOMP,   /* comp: [comp.elt for ...] */
    PYX_SETCOMP,    /* comp */
    PYX_GENEXP,     /* comp: (elt for ...), also the sole argument of a call */
    PYX_DICTCOMP,   /* comp: {comp.elt: comp.val for ...} */
    PYX_LAMBDA,     /* lambda: lambda.params : lambda.body */
    PYX_STARRED,    /* *starred (in a call's args, a list/tuple display, an assignment target) */
    PYX_DSTARRED,   /* **starred (in a call's args only: kws) */
    PYX_KEYWORD,    /* kw.name = kw.value (in call.kws only) */
    PYX_NAMEDEXPR,  /* walrus: named.target := named.value */
    PYX_YIELD,      /* yield / yield from / await (yield.how): the evaluator refuses them */
    PYX_KIND_COUNT
} pyx_kind;

typedef enum pyconst { PYC_NONE, PYC_TRUE, PYC_FALSE, PYC_ELLIPSIS } pyconst;

/* Which of the three a PYX_YIELD is (added with the parser: messages and
 * the tree's dump tell them apart). */
typedef enum pyyield { PYYIELD_PLAIN, PYYIELD_FROM, PYYIELD_AWAIT } pyyield;

/* Comparison operators: == != < <= > >= is, is not, in, not in. */
typedef enum pycmp { PYCMP_EQ, PYCMP_NE, PYCMP_LT, PYCMP_LE, PYCMP_GT, PYCMP_GE,
                     PYCMP_IS, PYCMP_ISNOT, PYCMP_IN, PYCMP_NOTIN } pycmp;

/* One `for target in iter if cond...` of a comprehension. */
typedef struct pycomp {
    pyx *target;
    pyx *iter;
    pyx_list ifs;
    bool async_;            /* `async for` (added with the parser) */
} pycomp;

/* One parameter of a def or lambda. */
typedef struct pyparam {
    const char *name;
    src_span span;          /* the name */
    pyx *def;               /* its default, or NULL */
    pyx *ann;               /* its annotation, or NULL (never evaluated) */
} pyparam;

/* A def's parameters, in order: v[0, nposonly) positional-only (before
 * `/`), v[nposonly, kwonly) positional-or-keyword, v[kwonly, n) keyword
 * only (after `*` or `*args`); vararg and kwarg are `*args` and `**kw`
 * (NULL name: none). */
typedef struct pyparams {
    pyparam *v;
    uint32_t n, nposonly, kwonly;
    pyparam vararg, kwarg;
} pyparams;

struct pyx {
    pyx_kind kind;
    src_span span;          /* the whole expression */
    union {
        struct { const char *id; } name;
        int64_t i;
        double f;
        struct { const char *s; size_t n; bool bytes; } str;  /* STR, FSTR, BIGINT */
        pyconst konst;
        struct { pyx *value; const char *name; src_span name_span; } attr;
        struct { pyx *value; pyx *index; } sub;
        struct { pyx *lo, *hi, *step; } slice;
        struct { pyx *func; pyx_list args; pyx_list kws; } call;   /* args: exprs and STARRED;
                                                                     * kws: KEYWORD and DSTARRED */
        struct { pyop op; pyx *l, *r; } bin;
        struct { pyop op; pyx *x; } un;
        struct { bool is_and; pyx_list vals; } boolop;
        struct { pyx *left; pycmp *ops; pyx_list rest; } cmp;
        struct { pyx *test, *body, *orelse; } ifexp;
        pyx_list elts;
        struct { pyx_list keys, vals; } dict;
        struct { pyx *elt, *val; pycomp *gens; uint32_t ngens; } comp;
        struct { pyparams params; pyx *body; } lambda;
        struct { pyx *value; } starred;
        struct { const char *name; src_span name_span; pyx *value; } kw;
        struct { pyx *target, *value; } named;
        struct { pyx *value; pyyield how; } yield;   /* value may be NULL */
    };
};

typedef enum pys_kind {
    PYS_EXPR,       /* expr */
    PYS_ASSIGN,     /* assign.targets[0] = assign.targets[1] = ... = assign.value */
    PYS_AUGASSIGN,  /* aug.target aug.op= aug.value: op is the plain PYOP_ (PLUS for +=) */
    PYS_ANNASSIGN,  /* ann.target : ann.ann [= ann.value] (value may be NULL) */
    PYS_IF,         /* if_.test: if_.body, else if_.orelse (`elif` is an orelse of one PYS_IF) */
    PYS_FOR,        /* for_.target in for_.iter: for_.body, else for_.orelse */
    PYS_WHILE,      /* while_.test: while_.body, else while_.orelse */
    PYS_DEF,        /* def_ */
    PYS_CLASS,      /* class_ */
    PYS_RETURN,     /* expr, NULL for a bare return */
    PYS_PASS, PYS_BREAK, PYS_CONTINUE,
    PYS_IMPORT,     /* import: import_.names */
    PYS_IMPORTFROM, /* from import_.module (with import_.level dots) import import_.names */
    PYS_RAISE,      /* raise_.exc (may be NULL) from raise_.cause */
    PYS_ASSERT,     /* assert_.test, assert_.msg */
    PYS_DEL,        /* del targets: elts */
    PYS_GLOBAL,     /* global names: names */
    PYS_NONLOCAL,   /* names */
    PYS_TRY,        /* try_ (also try/finally and try/except*) */
    PYS_WITH,       /* with_ (also async with: async_ set) */
    PYS_MATCH,      /* a match statement: parsed over, never run */
    PYS_KIND_COUNT
} pys_kind;

/* One name of an import: `a.b.c as d` (asname NULL without `as`). */
typedef struct pyalias {
    const char *name;       /* dotted, as written: "torch.nn" */
    const char *asname;
    src_span span;
} pyalias;

typedef struct pyhandler {
    pyx *type;              /* may be NULL: a bare except */
    const char *name;       /* `as name`, or NULL */
    pys_list body;
    src_span span;
} pyhandler;

typedef struct pywithitem {
    pyx *ctx;
    pyx *var;               /* `as var`, or NULL */
} pywithitem;

struct pys {
    pys_kind kind;
    src_span span;          /* the statement's first line to its last token */
    union {
        pyx *expr;
        struct { pyx_list targets; pyx *value; } assign;
        struct { pyx *target; pyop op; pyx *value; } aug;
        struct { pyx *target, *ann, *value; } ann;
        struct { pyx *test; pys_list body, orelse; } if_;
        struct { pyx *target, *iter; pys_list body, orelse; bool async_; } for_;
        struct { pyx *test; pys_list body, orelse; } while_;
        struct {
            const char *name; src_span name_span;
            pyparams params; pys_list body;
            pyx_list decorators; pyx *returns; bool async_;
        } def_;
        struct {
            const char *name; src_span name_span;
            pyx_list bases, kws;   /* kws: KEYWORD and DSTARRED, as in a call */
            pys_list body; pyx_list decorators;
        } class_;
        struct { pyalias *names; uint32_t n; const char *module; int level; } import_;
        struct { pyx *exc, *cause; } raise_;
        struct { pyx *test, *msg; } assert_;
        pyx_list elts;
        struct { const char **v; src_span *spans; uint32_t n; } names;
        struct { pys_list body; pyhandler *handlers; uint32_t nhandlers; pys_list orelse, finalbody; } try_;
        struct { pywithitem *items; uint32_t n; pys_list body; bool async_; } with_;
    };
};

/* A parsed file: its statements, in order. */
typedef struct pymodule {
    pys_list body;
} pymodule;

#endif
