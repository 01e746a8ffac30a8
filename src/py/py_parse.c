/* py_parse.c - the Python parser: tokens, errors, the scratch stack, and
 * the simple statements, after CPython 3.11's Grammar/python.gram (one
 * function a rule, the rule above it). Compound statements and the file
 * are in py_parse_stmt.c, expressions in py_parse_expr.c and
 * py_parse_atom.c. */
#include "py/py_parse_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- tokens ---------------------------------------------------------------- */

/* The lexer's error is the parse's: it is met where the parser asks for
 * the token, as in CPython. */
static void next_token(pp *p, pytoken *t)
{
    if (pylex_next(&p->lx, t) != PYTOK_ERROR || p->failed) return;
    p->failed = true;
    p->err->d = p->lx.err;
    p->err->cls = p->lx.err_class;
}

void pp_adv(pp *p)
{
    p->prev = p->tok.span;
    if (p->tok.kind != PYTOK_NEWLINE && p->tok.kind != PYTOK_INDENT && p->tok.kind != PYTOK_DEDENT)
        p->last = p->tok.span;
    if (p->has_ahead) {
        p->tok = p->ahead;
        p->has_ahead = false;
    } else if (p->tok.kind != PYTOK_ERROR && p->tok.kind != PYTOK_ENDMARKER) {
        next_token(p, &p->tok);
    }
}

const pytoken *pp_peek(pp *p)
{
    if (!p->has_ahead) {
        if (p->tok.kind == PYTOK_ERROR || p->tok.kind == PYTOK_ENDMARKER) return &p->tok;
        next_token(p, &p->ahead);
        p->has_ahead = true;
    }
    return &p->ahead;
}

bool pp_accept(pp *p, pyop op)
{
    if (!pp_is_op(p, op)) return false;
    pp_adv(p);
    return true;
}

bool pp_expect(pp *p, pyop op)
{
    if (pp_accept(p, op)) return true;
    pp_syntax_error(p);
    return false;
}

/* ---- errors ---------------------------------------------------------------- */

void *pp_fail(pp *p, pylex_err_class cls, src_span at, const char *fmt, ...)
{
    if (p->failed) return NULL;
    p->failed = true;
    va_list ap;
    va_start(ap, fmt);
    diag_vset(&p->err->d, p->ar, at, PROBE_INVALID, NULL, fmt, ap);
    va_end(ap);
    p->err->cls = cls;
    return NULL;
}

void *pp_syntax_error(pp *p)
{
    const pytoken *t = &p->tok;
    if (t->kind == PYTOK_INDENT) {
        /* CPython points at the indentation's last column */
        src_span at = t->span;
        at.col = at.end > at.off ? at.end - at.off : 1;
        return pp_fail(p, PYERR_INDENTATION, at, "unexpected indent");
    }
    if (t->kind == PYTOK_DEDENT) return pp_fail(p, PYERR_INDENTATION, t->span, "unexpected unindent");
    p->generic = !p->failed;
    return pp_fail(p, PYERR_SYNTAX, t->span, "invalid syntax");
}

bool pp_enter(pp *p)
{
    if (p->depth >= PYPARSE_MAX_DEPTH) {
        pp_fail(p, PYERR_SYNTAX, p->tok.span, "too deeply nested: probe reads at most %d levels of nested expressions and blocks",
                PYPARSE_MAX_DEPTH);
        return false;
    }
    p->depth++;
    return true;
}

/* ---- nodes and lists ------------------------------------------------------- */

void *pp_alloc(pp *p, size_t size)
{
    if (p->failed) return NULL;
    void *m = arena_alloc(p->ar, size);
    if (!m) pp_fail(p, PYERR_SYNTAX, p->tok.span, "out of memory");
    return m;
}

src_span pp_span_to_here(const pp *p, src_span start)
{
    start.end = p->last.end > start.off ? p->last.end : start.off;
    return start;
}

pyx *pp_expr(pp *p, pyx_kind k, src_span start)
{
    pyx *e = pp_alloc(p, sizeof *e);
    if (e) e->kind = k, e->span = pp_span_to_here(p, start);
    return e;
}

pys *pp_stmt(pp *p, pys_kind k, src_span start)
{
    pys *s = pp_alloc(p, sizeof *s);
    if (s) s->kind = k, s->span = pp_span_to_here(p, start);
    return s;
}

bool pp_push(pp *p, const void *item, size_t size)
{
    if (p->failed) return false;
    if (p->stk_cap - p->stk_n < size) {
        size_t cap = p->stk_cap ? p->stk_cap * 2 : 4096;
        while (cap - p->stk_n < size) cap *= 2;
        char *m = realloc(p->stk, cap);
        if (!m) {
            p->ar->failed = true;
            pp_fail(p, PYERR_SYNTAX, p->tok.span, "out of memory");
            return false;
        }
        p->stk = m;
        p->stk_cap = cap;
    }
    memcpy(p->stk + p->stk_n, item, size);
    p->stk_n += size;
    return true;
}

void *pp_take(pp *p, size_t mark, size_t size, uint32_t *n)
{
    size_t bytes = p->stk_n - mark;
    *n = (uint32_t)(bytes / size);
    void *m = bytes ? pp_alloc(p, bytes) : NULL;
    if (m) memcpy(m, p->stk + mark, bytes);
    p->stk_n = mark;
    if (!m) *n = 0;
    return m;
}

pyx_list pp_take_exprs(pp *p, size_t mark)
{
    pyx_list l;
    l.v = pp_take(p, mark, sizeof(pyx *), &l.n);
    return l;
}

/* ---- simple statements ------------------------------------------------------ */

/* dotted_name: dotted_name '.' NAME | NAME  (one interned string "a.b.c") */
static const char *dotted_name(pp *p)
{
    if (p->tok.kind != PYTOK_NAME || p->tok.kw != PYKW_NAME) return pp_syntax_error(p);
    src_span start = p->tok.span;
    const char *first = p->tok.s;
    pp_adv(p);
    if (!pp_is_op(p, PYOP_DOT)) return first;
    while (pp_accept(p, PYOP_DOT)) {
        if (p->tok.kind != PYTOK_NAME || p->tok.kw != PYKW_NAME) return pp_syntax_error(p);
        pp_adv(p);
    }
    /* the text as written, without the spaces a.b may have around its dots */
    sb s;
    sb_init(&s);
    for (uint32_t i = start.off; i < p->prev.end; i++)
        if (p->lx.text[i] != ' ' && p->lx.text[i] != '\t' && p->lx.text[i] != '\\' &&
            p->lx.text[i] != '\n' && p->lx.text[i] != '\r' && p->lx.text[i] != '\f')
            sb_putc(&s, p->lx.text[i]);
    const char *r = s.failed ? NULL : intern_bytes(&p->lx.names, s.buf ? s.buf : "", s.len);
    sb_free(&s);
    return r ? r : pp_fail(p, PYERR_SYNTAX, start, "out of memory");
}

/* dotted_as_name: dotted_name ['as' NAME]   import_from_as_name: NAME ['as' NAME] */
static bool as_name(pp *p, bool dotted)
{
    pyalias a = { 0 };
    src_span start = p->tok.span;
    if (!dotted && (p->tok.kind != PYTOK_NAME || p->tok.kw != PYKW_NAME)) return pp_syntax_error(p);
    if (!(a.name = dotted_name(p))) return false;
    if (pp_is_kw(p, PYKW_AS)) {
        pp_adv(p);
        if (p->tok.kind != PYTOK_NAME || p->tok.kw != PYKW_NAME) return pp_syntax_error(p);
        a.asname = p->tok.s;
        pp_adv(p);
    }
    a.span = pp_span_to_here(p, start);
    return pp_push(p, &a, sizeof a);
}

/* import_name: 'import' dotted_as_names   dotted_as_names: ','.dotted_as_name+ */
static pys *import_name(pp *p, src_span start)
{
    size_t mark = p->stk_n;
    do {
        if (!as_name(p, true)) return NULL;
    } while (pp_accept(p, PYOP_COMMA));
    pys *s = pp_stmt(p, PYS_IMPORT, start);
    if (s) s->import_.names = pp_take(p, mark, sizeof(pyalias), &s->import_.n);
    return p->failed ? NULL : s;
}

/* import_from_targets: '(' import_from_as_names [','] ')' | import_from_as_names !',' | '*' */
static bool import_from_targets(pp *p)
{
    if (pp_is_op(p, PYOP_STAR)) {
        pyalias a = { .span = p->tok.span };
        a.name = intern_bytes(&p->lx.names, "*", 1);
        pp_adv(p);
        return a.name ? pp_push(p, &a, sizeof a) : pp_fail(p, PYERR_SYNTAX, a.span, "out of memory") != NULL;
    }
    bool paren = pp_accept(p, PYOP_LPAR), first = true;
    do {
        if (paren && !first && pp_is_op(p, PYOP_RPAR)) break;
        if (!paren && !first && p->tok.kind == PYTOK_NEWLINE)
            return pp_fail(p, PYERR_SYNTAX, p->tok.span, "trailing comma not allowed without surrounding parentheses");
        if (!as_name(p, false)) return false;
        first = false;
    } while (pp_accept(p, PYOP_COMMA));
    return !paren || pp_expect(p, PYOP_RPAR);
}

/* import_from: 'from' ('.' | '...')* dotted_name 'import' import_from_targets
 *            | 'from' ('.' | '...')+ 'import' import_from_targets */
static pys *import_from(pp *p, src_span start)
{
    int level = 0;
    for (;;) {
        if (pp_accept(p, PYOP_DOT)) level++;
        else if (pp_accept(p, PYOP_ELLIPSIS)) level += 3;
        else break;
    }
    const char *module = NULL;
    if (!(level && pp_is_kw(p, PYKW_IMPORT)) && !(module = dotted_name(p))) return NULL;
    if (!pp_is_kw(p, PYKW_IMPORT)) return pp_syntax_error(p);
    pp_adv(p);
    size_t mark = p->stk_n;
    if (!import_from_targets(p)) return NULL;
    pys *s = pp_stmt(p, PYS_IMPORTFROM, start);
    if (!s) return NULL;
    s->import_.names = pp_take(p, mark, sizeof(pyalias), &s->import_.n);
    s->import_.module = module;
    s->import_.level = level;
    return p->failed ? NULL : s;
}

/* global_stmt: 'global' ','.NAME+   nonlocal_stmt: 'nonlocal' ','.NAME+ */
static pys *names_stmt(pp *p, pys_kind k, src_span start)
{
    size_t mark = p->stk_n;
    do {
        if (p->tok.kind != PYTOK_NAME || p->tok.kw != PYKW_NAME) return pp_syntax_error(p);
        if (!pp_push_ptr(p, p->tok.s) || !pp_push(p, &p->tok.span, sizeof p->tok.span)) return NULL;
        pp_adv(p);
    } while (pp_accept(p, PYOP_COMMA));
    pys *s = pp_stmt(p, k, start);
    uint32_t n;
    const char **both = pp_take(p, mark, 1, &n);
    size_t item = sizeof(const char *) + sizeof(src_span);
    if (!s || !both) return NULL;
    s->names.n = (uint32_t)(n / item);
    s->names.v = pp_alloc(p, s->names.n * sizeof *s->names.v);
    s->names.spans = pp_alloc(p, s->names.n * sizeof *s->names.spans);
    if (!s->names.v || !s->names.spans) return NULL;
    for (uint32_t i = 0; i < s->names.n; i++) {
        memcpy(&s->names.v[i], (char *)both + i * item, sizeof(const char *));
        memcpy(&s->names.spans[i], (char *)both + i * item + sizeof(const char *), sizeof(src_span));
    }
    return s;
}

/* del_stmt: 'del' del_targets &(';' | NEWLINE)
 * return_stmt: 'return' [star_expressions]
 * raise_stmt: 'raise' expression ['from' expression] | 'raise'
 * assert_stmt: 'assert' expression [',' expression] */
static bool at_stmt_end(const pp *p) { return p->tok.kind == PYTOK_NEWLINE || pp_is_op(p, PYOP_SEMI); }

static pys *keyword_stmt(pp *p, pykw kw, src_span start)
{
    pys *s = pp_alloc(p, sizeof *s);
    if (!s) return NULL;
    switch (kw) {
    case PYKW_DEL: {
        s->kind = PYS_DEL;
        pyx *t = pp_star_expressions(p);
        if (!t || !pp_check_target(p, t, true)) return NULL;
        if (t->kind == PYX_TUPLE && p->lx.text[t->span.off] != '(') {
            s->elts = t->elts;
        } else {
            s->elts.v = pp_alloc(p, sizeof *s->elts.v);
            if (!s->elts.v) return NULL;
            s->elts.v[0] = t;
            s->elts.n = 1;
        }
        break;
    }
    case PYKW_RETURN:
        s->kind = PYS_RETURN;
        if (!at_stmt_end(p) && !(s->expr = pp_star_expressions(p))) return NULL;
        break;
    case PYKW_RAISE:
        s->kind = PYS_RAISE;
        if (at_stmt_end(p)) break;
        if (!(s->raise_.exc = pp_expression(p))) return NULL;
        if (pp_is_kw(p, PYKW_FROM)) {
            pp_adv(p);
            if (!(s->raise_.cause = pp_expression(p))) return NULL;
        }
        break;
    default:        /* assert */
        s->kind = PYS_ASSERT;
        if (!(s->assert_.test = pp_expression(p))) return NULL;
        if (pp_accept(p, PYOP_COMMA) && !(s->assert_.msg = pp_expression(p))) return NULL;
        break;
    }
    s->span = pp_span_to_here(p, start);
    return s;
}

/* Is e, the first of an unparenthesized tuple's items or a whole target,
 * where CPython's invalid_named_expression says "... here. Maybe you
 * meant '==' instead of '='?": an expression at bitwise_or level that is
 * not a list, tuple, genexp, True, None or False. */
bool pp_here_target(const pyx *e)
{
    switch (e->kind) {
    case PYX_LIST: case PYX_TUPLE: case PYX_GENEXP: case PYX_COMPARE: case PYX_BOOLOP:
    case PYX_IFEXP: case PYX_LAMBDA: case PYX_STARRED: case PYX_NAMEDEXPR:
        return false;
    case PYX_UNARY: return e->un.op != PYOP_NONE;
    case PYX_YIELD: return e->yield.how == PYYIELD_AWAIT;
    case PYX_CONST: return e->konst == PYC_ELLIPSIS;
    default: return true;
    }
}

bool pp_equal_meant(pp *p, const pyx *e)
{
    if (!pp_is_op(p, PYOP_EQUAL) || !pp_here_target(e)) return false;
    if (e->kind == PYX_NAME)
        pp_fail(p, PYERR_SYNTAX, e->span, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
    else
        pp_fail(p, PYERR_SYNTAX, e->span, "cannot assign to %s here. Maybe you meant '==' instead of '='?",
                pp_expr_desc(e));
    return true;
}

/* Does the value start with a bitwise_or (what CPython's rule wants
 * after the '=')? Its leftmost operand is not `not`, a lambda, a starred
 * or a yield. */
static bool starts_bitwise_or(const pp *p, const pyx *v)
{
    for (;;) {
        if (v->kind == PYX_TUPLE && p->lx.text[v->span.off] != '(' && v->elts.n) v = v->elts.v[0];
        else if (v->kind == PYX_BINOP) v = v->bin.l;
        else if (v->kind == PYX_COMPARE) v = v->cmp.left;
        else if (v->kind == PYX_BOOLOP) v = v->boolop.vals.v[0];
        else if (v->kind == PYX_IFEXP) v = v->ifexp.body;
        else break;
    }
    if (v->kind == PYX_UNARY) return v->un.op != PYOP_NONE;
    if (v->kind == PYX_YIELD) return v->yield.how == PYYIELD_AWAIT;
    return v->kind != PYX_LAMBDA && v->kind != PYX_STARRED;
}

/* The "... here. Maybe you meant '=='" error for a first target t when
 * the value after its '=' is read as a bitwise_or whatever follows. */
static bool here_error(pp *p, pyx *t)
{
    pyx *bad = pp_invalid_target(t);
    bool bare_tuple = t->kind == PYX_TUPLE && p->lx.text[t->span.off] != '(';
    pyx *last = bare_tuple && t->elts.n ? t->elts.v[t->elts.n - 1] : t;
    if (!bad || bad != last || !pp_here_target(bad)) return false;
    pp_fail(p, PYERR_SYNTAX, bad->span, "cannot assign to %s here. Maybe you meant '==' instead of '='?",
            pp_expr_desc(bad));
    return true;
}

/* The error for an assignment whose targets are not all targets, as
 * CPython 3.11 words and places it. */
static bool check_assign_targets(pp *p, pyx **targets, uint32_t n, pyx *value)
{
    for (uint32_t i = 0; i < n; i++) {
        pyx *t = targets[i], *bad = pp_invalid_target(t);
        if (t->kind == PYX_YIELD && t->yield.how != PYYIELD_AWAIT)
            return pp_fail(p, PYERR_SYNTAX, t->span, "assignment to yield expression not possible");
        if (!bad) continue;
        if (i == 0 && n == 1 && starts_bitwise_or(p, value) && here_error(p, t)) return false;
        return pp_check_target(p, t, false);
    }
    return true;
}

/* single_target augassign ~ (yield_expr | star_expressions): the target
 * parsed, the operator current. */
static pys *aug_assign(pp *p, pyx *target, src_span start)
{
    if (target->kind != PYX_NAME && target->kind != PYX_ATTR && target->kind != PYX_SUBSCRIPT)
        return pp_fail(p, PYERR_SYNTAX, target->span, "'%s' is an illegal expression for augmented assignment",
                       pp_expr_desc(target));
    /* "+=" is PYOP_PLUSEQUAL: the plain operator is the one of the same text without '=' */
    const char *text = pylex_op_text(p->tok.op);
    size_t len = strlen(text) - 1;
    pyop op = PYOP_NONE;
    for (int k = PYOP_NONE + 1; k < PYOP_COUNT; k++)
        if (strlen(pylex_op_text((pyop)k)) == len && !memcmp(pylex_op_text((pyop)k), text, len)) op = (pyop)k;
    pp_adv(p);
    pyx *value = pp_is_kw(p, PYKW_YIELD) ? pp_yield_expr(p) : pp_star_expressions(p);
    pys *s = value ? pp_stmt(p, PYS_AUGASSIGN, start) : NULL;
    if (s) s->aug.target = target, s->aug.op = op, s->aug.value = value;
    return s;
}

static bool is_augassign(const pp *p)
{
    if (p->tok.kind != PYTOK_OP) return false;
    switch (p->tok.op) {
    case PYOP_PLUSEQUAL: case PYOP_MINEQUAL: case PYOP_STAREQUAL: case PYOP_SLASHEQUAL:
    case PYOP_DSLASHEQUAL: case PYOP_PERCENTEQUAL: case PYOP_DSTAREQUAL: case PYOP_ATEQUAL:
    case PYOP_AMPEREQUAL: case PYOP_VBAREQUAL: case PYOP_CIRCUMFLEXEQUAL: case PYOP_LSHIFTEQUAL:
    case PYOP_RSHIFTEQUAL:
        return true;
    default:
        return false;
    }
}

/* assignment: NAME ':' expression ['=' annotated_rhs]
 *           | ('(' single_target ')' | single_subscript_attribute_target) ':' expression ['=' annotated_rhs]
 * the target parsed, the ':' current. */
static pys *ann_assign(pp *p, pyx *target, src_span start)
{
    if (target->kind == PYX_TUPLE || target->kind == PYX_LIST)
        return pp_fail(p, PYERR_SYNTAX, target->span, "only single target (not %s) can be annotated",
                       target->kind == PYX_TUPLE ? "tuple" : "list");
    if (target->kind != PYX_NAME && target->kind != PYX_ATTR && target->kind != PYX_SUBSCRIPT)
        return pp_fail(p, PYERR_SYNTAX, target->span, "illegal target for annotation");
    pp_adv(p);
    pyx *ann = pp_expression(p), *value = NULL;
    if (!ann) return NULL;
    if (pp_accept(p, PYOP_EQUAL) &&
        !(value = pp_is_kw(p, PYKW_YIELD) ? pp_yield_expr(p) : pp_star_expressions(p)))
        return NULL;
    pys *s = pp_stmt(p, PYS_ANNASSIGN, start);
    if (s) s->ann.target = target, s->ann.ann = ann, s->ann.value = value;
    return s;
}

/* assignment: (star_targets '=')+ (yield_expr | star_expressions) !'=' | ...
 * star_expressions (an expression statement)
 * `match x:` would come here: probe refuses match statements. */
static pys *expr_stmt(pp *p, src_span start)
{
    bool match = p->tok.kind == PYTOK_NAME && !strcmp(p->tok.s, "match");
    pyx *e = pp_is_kw(p, PYKW_YIELD) ? pp_yield_expr(p) : pp_star_expressions(p);
    if (!e) return NULL;
    if (match && (pp_starts_expression(p) || (pp_is_op(p, PYOP_COLON) && pp_peek(p)->kind == PYTOK_NEWLINE)))
        return pp_fail(p, PYERR_SYNTAX, start, "match statements are not supported: probe does not read them");
    if (pp_is_op(p, PYOP_COLON)) return ann_assign(p, e, start);
    if (is_augassign(p)) return aug_assign(p, e, start);
    if (!pp_is_op(p, PYOP_EQUAL)) {
        if (e->kind == PYX_NAME && !strcmp(e->name.id, "print") && pp_starts_expression(p) &&
            !pp_is_op(p, PYOP_STAR) && !pp_is_op(p, PYOP_MINUS) && !pp_is_op(p, PYOP_PLUS))
            return pp_fail(p, PYERR_SYNTAX, e->span, "Missing parentheses in call to 'print'. Did you mean print(...)?");
        pys *s = pp_stmt(p, PYS_EXPR, start);
        if (s) s->expr = e;
        return s;
    }
    size_t mark = p->stk_n;
    while (pp_accept(p, PYOP_EQUAL)) {
        if (!pp_push_ptr(p, e)) return NULL;
        pyx *target = e;
        bool first = p->stk_n - mark == sizeof e, bitwise_or = !pp_is_kw(p, PYKW_NOT) &&
            !pp_is_kw(p, PYKW_LAMBDA) && !pp_is_kw(p, PYKW_YIELD) && !pp_is_op(p, PYOP_STAR);
        if (!(e = pp_is_kw(p, PYKW_YIELD) ? pp_yield_expr(p) : pp_star_expressions(p))) {
            /* `f() = 1 +`: CPython's rule saw `f() = 1` before the error */
            if (first && bitwise_or && p->generic) {
                p->failed = p->generic = false;
                if (!here_error(p, target)) p->failed = p->generic = true;
            }
            return NULL;
        }
    }
    pys *s = pp_stmt(p, PYS_ASSIGN, start);
    if (!s) return NULL;
    s->assign.targets = pp_take_exprs(p, mark);
    s->assign.value = e;
    if (!check_assign_targets(p, s->assign.targets.v, s->assign.targets.n, e)) return NULL;
    return p->failed ? NULL : s;
}

/* simple_stmt: assignment | star_expressions | return_stmt | import_stmt | raise_stmt
 *            | 'pass' | del_stmt | yield_stmt | assert_stmt | 'break' | 'continue'
 *            | global_stmt | nonlocal_stmt */
static pys *simple_stmt(pp *p)
{
    src_span start = p->tok.span;
    pykw kw = p->tok.kind == PYTOK_NAME ? p->tok.kw : PYKW_NAME;
    switch (kw) {
    case PYKW_PASS: case PYKW_BREAK: case PYKW_CONTINUE:
        pp_adv(p);
        return pp_stmt(p, kw == PYKW_PASS ? PYS_PASS : kw == PYKW_BREAK ? PYS_BREAK : PYS_CONTINUE, start);
    case PYKW_IMPORT: pp_adv(p); return import_name(p, start);
    case PYKW_FROM: pp_adv(p); return import_from(p, start);
    case PYKW_GLOBAL: pp_adv(p); return names_stmt(p, PYS_GLOBAL, start);
    case PYKW_NONLOCAL: pp_adv(p); return names_stmt(p, PYS_NONLOCAL, start);
    case PYKW_DEL: case PYKW_RETURN: case PYKW_RAISE: case PYKW_ASSERT:
        pp_adv(p);
        return keyword_stmt(p, kw, start);
    default:
        return expr_stmt(p, start);
    }
}

/* simple_stmts: simple_stmt !';' NEWLINE | ';'.simple_stmt+ [';'] NEWLINE
 * Pushes the statements. */
bool pp_simple_stmts(pp *p)
{
    do {
        pys *s = simple_stmt(p);
        if (!s || !pp_push_ptr(p, s)) return false;
    } while (pp_accept(p, PYOP_SEMI) && p->tok.kind != PYTOK_NEWLINE);
    if (p->tok.kind != PYTOK_NEWLINE) return pp_syntax_error(p);
    pp_adv(p);
    return true;
}
