/* py_parse_atom.c - the Python parser's atoms, displays, comprehensions,
 * call arguments and parameter lists, after CPython 3.11's
 * Grammar/python.gram (one function a rule, the rule above it). */
#include "py/py_parse_int.h"

#include <string.h>

/* ---- literals --------------------------------------------------------------- */

/* strings: STRING+
 * Adjacent literals are one: their values joined (interned), or, when
 * one is an f-string, the whole text as written. Bytes and text may not
 * mix. */
static pyx *strings(pp *p)
{
    src_span start = p->tok.span;
    pytoken first = p->tok;
    bool bytes = first.flags & PYSTR_BYTES, fmt = false, many = false;
    sb joined;
    sb_init(&joined);
    bool mixed = false;
    while (p->tok.kind == PYTOK_STRING) {
        mixed |= (bool)(p->tok.flags & PYSTR_BYTES) != bytes;
        fmt |= (p->tok.flags & PYSTR_FORMAT) != 0;
        many |= p->tok.span.off != start.off;
        sb_putn(&joined, p->tok.s, p->tok.n);
        pp_adv(p);
    }
    if (mixed) {
        /* CPython places it after the last literal */
        sb_free(&joined);
        return pp_fail(p, PYERR_SYNTAX, p->tok.span, "cannot mix bytes and nonbytes literals");
    }
    pyx *e = pp_expr(p, fmt ? PYX_FSTR : PYX_STR, start);
    if (!e || joined.failed) {
        sb_free(&joined);
        return e ? pp_fail(p, PYERR_SYNTAX, start, "out of memory") : NULL;
    }
    e->str.bytes = bytes;
    if (fmt) {
        e->str.s = arena_strndup(p->ar, p->lx.text + e->span.off, e->span.end - e->span.off);
        e->str.n = e->span.end - e->span.off;
    } else if (many) {
        e->str.s = intern_bytes(&p->lx.names, joined.buf ? joined.buf : "", joined.len);
        e->str.n = joined.len;
    } else {
        e->str.s = first.s;
        e->str.n = first.n;
    }
    sb_free(&joined);
    if (!e->str.s) return pp_fail(p, PYERR_SYNTAX, start, "out of memory");
    return e;
}

/* NUMBER, and the keywords that are atoms: 'True' | 'False' | 'None' | '...' */
static pyx *literal(pp *p)
{
    src_span start = p->tok.span;
    pytoken t = p->tok;
    pp_adv(p);
    pyx *e = pp_expr(p, PYX_CONST, start);
    if (!e) return NULL;
    if (t.kind == PYTOK_INT && t.flags & PYNUM_BIG) {
        e->kind = PYX_BIGINT;
        e->str.s = t.s;
        e->str.n = t.n;
    } else if (t.kind == PYTOK_INT) {
        e->kind = PYX_INT;
        e->i = t.i;
    } else if (t.kind == PYTOK_FLOAT) {
        e->kind = PYX_FLOAT;
        e->f = t.f;
    } else {
        e->konst = t.kw == PYKW_TRUE ? PYC_TRUE : t.kw == PYKW_FALSE ? PYC_FALSE
                 : t.kw == PYKW_NONE ? PYC_NONE : PYC_ELLIPSIS;
    }
    return e;
}

/* ---- comprehensions --------------------------------------------------------- */

/* for_if_clauses: for_if_clause+
 * for_if_clause: [ASYNC] 'for' star_targets 'in' ~ disjunction ('if' disjunction)*
 * Fills e->comp's generators; elt (and val) are set by the caller. */
static bool for_if_clauses(pp *p, pyx *e)
{
    size_t mark = p->stk_n;
    while (pp_is_kw(p, PYKW_FOR) || pp_is_kw(p, PYKW_ASYNC)) {
        pycomp c = { 0 };
        if (pp_is_kw(p, PYKW_ASYNC)) {
            pp_adv(p);
            c.async_ = true;
            if (!pp_is_kw(p, PYKW_FOR)) return pp_syntax_error(p);
        }
        pp_adv(p);
        if (!(c.target = pp_star_targets(p))) return false;
        if (!pp_is_kw(p, PYKW_IN)) return pp_syntax_error(p);
        pp_adv(p);
        if (!(c.iter = pp_disjunction(p))) return false;
        size_t ifs = p->stk_n;
        while (pp_is_kw(p, PYKW_IF)) {
            pp_adv(p);
            pyx *cond = pp_disjunction(p);
            if (!cond || !pp_push_ptr(p, cond)) return false;
        }
        c.ifs = pp_take_exprs(p, ifs);
        if (p->failed || !pp_push(p, &c, sizeof c)) return false;
    }
    e->comp.gens = pp_take(p, mark, sizeof(pycomp), &e->comp.ngens);
    return !p->failed;
}

/* A comprehension of kind k whose first item (elt, val) is parsed and
 * whose `for` is the current token, up to `close`. */
static pyx *comprehension(pp *p, pyx_kind k, src_span start, pyx *elt, pyx *val, pyop close)
{
    pyx *e = pp_alloc(p, sizeof *e);
    if (!e) return NULL;
    e->kind = k;
    e->comp.elt = elt;
    e->comp.val = val;
    if (!for_if_clauses(p, e)) return NULL;
    if (!pp_is_op(p, close)) return pp_syntax_error(p);
    pp_adv(p);
    e->span = pp_span_to_here(p, start);
    return e;
}

/* ---- displays --------------------------------------------------------------- */

/* A display of kind k (tuple, list, set) whose first item is parsed, up to close. */
static pyx *display(pp *p, pyx_kind k, src_span start, pyx *first, pyop close)
{
    size_t mark = p->stk_n;
    if (!pp_push_ptr(p, first) || !pp_display_rest(p, close, first)) return NULL;
    pyx *e = pp_expr(p, k, start);
    if (e) e->elts = pp_take_exprs(p, mark);
    return p->failed ? NULL : e;
}

/* tuple: '(' [star_named_expression ',' [star_named_expressions]] ')'
 * group: '(' (yield_expr | named_expression) ')'
 * genexp: '(' named_expression for_if_clauses ')'
 * A group is its inner expression, with the inner span (as CPython). */
static pyx *paren(pp *p)
{
    src_span start = p->tok.span;
    pp_adv(p);
    if (pp_accept(p, PYOP_RPAR)) return pp_expr(p, PYX_TUPLE, start);
    pyx *first = pp_is_kw(p, PYKW_YIELD) ? pp_yield_expr(p) : pp_star_named_expression(p);
    if (!first) return NULL;
    if (pp_is_kw(p, PYKW_FOR) || pp_is_kw(p, PYKW_ASYNC))
        return comprehension(p, PYX_GENEXP, start, first, NULL, PYOP_RPAR);
    if (pp_accept(p, PYOP_RPAR)) {
        if (first->kind == PYX_STARRED)
            return pp_fail(p, PYERR_SYNTAX, first->span, "cannot use starred expression here");
        return first;
    }
    if (!pp_is_op(p, PYOP_COMMA)) return pp_missing_comma(p, first);
    return display(p, PYX_TUPLE, start, first, PYOP_RPAR);
}

/* list: '[' [star_named_expressions] ']'
 * listcomp: '[' named_expression for_if_clauses ']' */
static pyx *list(pp *p)
{
    src_span start = p->tok.span;
    pp_adv(p);
    if (pp_accept(p, PYOP_RSQB)) return pp_expr(p, PYX_LIST, start);
    pyx *first = pp_star_named_expression(p);
    if (!first) return NULL;
    if (pp_is_kw(p, PYKW_FOR) || pp_is_kw(p, PYKW_ASYNC))
        return comprehension(p, PYX_LISTCOMP, start, first, NULL, PYOP_RSQB);
    return display(p, PYX_LIST, start, first, PYOP_RSQB);
}

/* double_starred_kvpair: '**' bitwise_or | expression ':' expression
 * Pushes key (NULL for **) and value. */
static bool kvpair(pp *p)
{
    pyx *key = NULL, *val;
    if (pp_accept(p, PYOP_DSTAR)) {
        val = pp_bitwise_or(p);
    } else {
        if (!(key = pp_expression(p))) return false;
        if (!pp_is_op(p, PYOP_COLON)) return pp_missing_comma(p, key);
        pp_adv(p);
        val = pp_expression(p);
    }
    return val && pp_push_ptr(p, key) && pp_push_ptr(p, val);
}

/* dict: '{' [double_starred_kvpairs] '}'   (the first pair pushed) */
static pyx *dict_rest(pp *p, src_span start, size_t mark)
{
    pyx *prev = NULL;
    if (p->stk_n > mark) memcpy(&prev, p->stk + p->stk_n - sizeof prev, sizeof prev);
    while (pp_accept(p, PYOP_COMMA) && !pp_is_op(p, PYOP_RBRACE)) {
        if (!kvpair(p)) return NULL;
        memcpy(&prev, p->stk + p->stk_n - sizeof prev, sizeof prev);
    }
    if (!pp_is_op(p, PYOP_RBRACE)) return pp_missing_comma(p, prev);
    pp_adv(p);
    pyx *e = pp_expr(p, PYX_DICT, start);
    pyx_list both = pp_take_exprs(p, mark);
    if (!e || p->failed) return NULL;
    uint32_t n = both.n / 2;
    e->dict.keys.v = pp_alloc(p, (n ? n : 1) * sizeof(pyx *));
    e->dict.vals.v = pp_alloc(p, (n ? n : 1) * sizeof(pyx *));
    if (!e->dict.keys.v || !e->dict.vals.v) return NULL;
    for (uint32_t i = 0; i < n; i++) e->dict.keys.v[i] = both.v[2 * i], e->dict.vals.v[i] = both.v[2 * i + 1];
    e->dict.keys.n = e->dict.vals.n = n;
    return e;
}

/* dict | set | dictcomp | setcomp
 * dictcomp: '{' kvpair for_if_clauses '}'   setcomp: '{' named_expression for_if_clauses '}' */
static pyx *brace(pp *p)
{
    src_span start = p->tok.span;
    pp_adv(p);
    size_t mark = p->stk_n;
    if (pp_is_op(p, PYOP_RBRACE) || pp_is_op(p, PYOP_DSTAR)) {
        if (!pp_is_op(p, PYOP_RBRACE) && !kvpair(p)) return NULL;
        return dict_rest(p, start, mark);
    }
    pyx *first = pp_star_named_expression(p);
    if (!first) return NULL;
    if (pp_is_op(p, PYOP_COLON) && first->kind != PYX_STARRED) {
        pp_adv(p);
        pyx *val = pp_expression(p);
        if (!val) return NULL;
        if (pp_is_kw(p, PYKW_FOR) || pp_is_kw(p, PYKW_ASYNC))
            return comprehension(p, PYX_DICTCOMP, start, first, val, PYOP_RBRACE);
        if (!pp_push_ptr(p, first) || !pp_push_ptr(p, val)) return NULL;
        return dict_rest(p, start, mark);
    }
    if (pp_is_kw(p, PYKW_FOR) || pp_is_kw(p, PYKW_ASYNC))
        return comprehension(p, PYX_SETCOMP, start, first, NULL, PYOP_RBRACE);
    return display(p, PYX_SET, start, first, PYOP_RBRACE);
}

/* atom: NAME | 'True' | 'False' | 'None' | strings | NUMBER
 *     | (tuple | group | genexp) | (list | listcomp) | (dict | set | dictcomp | setcomp) | '...' */
pyx *pp_atom(pp *p)
{
    const pytoken *t = &p->tok;
    switch (t->kind) {
    case PYTOK_NAME:
        if (t->kw == PYKW_TRUE || t->kw == PYKW_FALSE || t->kw == PYKW_NONE) return literal(p);
        if (t->kw != PYKW_NAME) return pp_syntax_error(p);
        pyx *e = pp_expr(p, PYX_NAME, t->span);
        if (!e) return NULL;
        e->name.id = t->s;
        pp_adv(p);
        e->span.end = p->prev.end;
        return e;
    case PYTOK_INT: case PYTOK_FLOAT: return literal(p);
    case PYTOK_STRING: return strings(p);
    case PYTOK_OP:
        if (t->op == PYOP_ELLIPSIS) return literal(p);
        if (!pp_enter(p)) return NULL;
        pyx *r = t->op == PYOP_LPAR ? paren(p) : t->op == PYOP_LSQB ? list(p)
               : t->op == PYOP_LBRACE ? brace(p) : pp_syntax_error(p);
        pp_leave(p);
        return r;
    default:
        return pp_syntax_error(p);
    }
}

/* ---- call arguments ------------------------------------------------------------ */

/* kwarg_or_starred: NAME '=' expression | '*' expression
 * kwarg_or_double_starred: NAME '=' expression | '**' expression
 * or a positional (assignment_expression | expression !':=') !'='; the
 * order rules as CPython words them. */
static pyx *argument(pp *p, bool *kw_seen, bool *dstar_seen, const char **late)
{
    src_span start = p->tok.span;
    if (pp_is_op(p, PYOP_STAR) || pp_is_op(p, PYOP_DSTAR)) {
        bool dstar = p->tok.op == PYOP_DSTAR;
        if (!dstar && *dstar_seen)
            return pp_fail(p, PYERR_SYNTAX, start, "iterable argument unpacking follows keyword argument unpacking");
        pp_adv(p);
        pyx *x = pp_expression(p);
        pyx *e = x ? pp_expr(p, dstar ? PYX_DSTARRED : PYX_STARRED, start) : NULL;
        if (e) e->starred.value = x;
        *dstar_seen |= dstar;
        return e;
    }
    pyx *x = pp_named_expression(p);
    if (!x) return NULL;
    if (pp_is_op(p, PYOP_EQUAL)) {
        if (x->kind != PYX_NAME)
            return pp_fail(p, PYERR_SYNTAX, x->span, "expression cannot contain assignment, perhaps you meant \"==\"?");
        pp_adv(p);
        pyx *v = pp_expression(p);
        pyx *e = v ? pp_expr(p, PYX_KEYWORD, start) : NULL;
        if (e) e->kw.name = x->name.id, e->kw.name_span = x->span, e->kw.value = v;
        *kw_seen = true;
        return e;
    }
    if (pp_is_kw(p, PYKW_FOR) || pp_is_kw(p, PYKW_ASYNC)) return x;   /* the caller's genexp */
    /* CPython reads the rest of the arguments and places these after them */
    if (*dstar_seen && !*late) *late = "positional argument follows keyword argument unpacking";
    if (*kw_seen && !*late) *late = "positional argument follows keyword argument";
    return x;
}

/* The call of func with its arguments split: positional and starred in
 * args, keywords and double-starred in kws (each in order). */
static pyx *make_call(pp *p, pyx *func, src_span start, size_t mark)
{
    pyx *e = pp_expr(p, PYX_CALL, start);
    pyx_list all = pp_take_exprs(p, mark);
    if (!e || p->failed) return NULL;
    e->call.func = func;
    uint32_t nkw = 0;
    for (uint32_t i = 0; i < all.n; i++) nkw += all.v[i]->kind == PYX_KEYWORD || all.v[i]->kind == PYX_DSTARRED;
    e->call.args.v = pp_alloc(p, (all.n - nkw + 1) * sizeof(pyx *));
    e->call.kws.v = pp_alloc(p, (nkw + 1) * sizeof(pyx *));
    if (!e->call.args.v || !e->call.kws.v) return NULL;
    for (uint32_t i = 0; i < all.n; i++) {
        bool kw = all.v[i]->kind == PYX_KEYWORD || all.v[i]->kind == PYX_DSTARRED;
        pyx_list *l = kw ? &e->call.kws : &e->call.args;
        l->v[l->n++] = all.v[i];
    }
    return e;
}

/* primary '(' [arguments] ')' | primary genexp, after the '('
 * arguments: args [','] &')' */
pyx *pp_arguments(pp *p, pyx *func, src_span start)
{
    size_t mark = p->stk_n;
    src_span lpar = p->prev;
    bool kw_seen = false, dstar_seen = false;
    const char *late = NULL;
    pyx *prev = NULL;
    while (!pp_is_op(p, PYOP_RPAR)) {
        if (!(prev = argument(p, &kw_seen, &dstar_seen, &late))) return NULL;
        if (pp_is_kw(p, PYKW_FOR) || pp_is_kw(p, PYKW_ASYNC)) {
            /* a generator expression: the sole argument, its span the parentheses */
            pyx *g = pp_alloc(p, sizeof *g);
            if (!g) return NULL;
            g->kind = PYX_GENEXP;
            g->comp.elt = prev;
            if (!for_if_clauses(p, g)) return NULL;
            if (p->stk_n != mark || !pp_is_op(p, PYOP_RPAR))
                return pp_fail(p, PYERR_SYNTAX, prev->span, "Generator expression must be parenthesized");
            pp_adv(p);
            g->span = pp_span_to_here(p, lpar);
            return pp_push_ptr(p, g) ? make_call(p, func, start, mark) : NULL;
        }
        if (!pp_push_ptr(p, prev) || !pp_accept(p, PYOP_COMMA)) break;
    }
    if (!pp_is_op(p, PYOP_RPAR)) return pp_missing_comma(p, prev);
    if (late) return pp_fail(p, PYERR_SYNTAX, p->tok.span, "%s", late);
    pp_adv(p);
    return make_call(p, func, start, mark);
}

/* ---- parameters ------------------------------------------------------------ */

/* param: NAME annotation?   annotation: ':' expression   (no annotation in a lambda) */
static bool param(pp *p, pyparam *a, bool lambda)
{
    if (p->tok.kind != PYTOK_NAME || p->tok.kw != PYKW_NAME) return pp_syntax_error(p);
    a->name = p->tok.s;
    a->span = p->tok.span;
    pp_adv(p);
    if (!lambda && pp_accept(p, PYOP_COLON) && !(a->ann = pp_expression(p))) return false;
    return true;
}

/* One item of a parameter list other than `/`, `*` and `**`:
 * param default?   default: '=' expression */
static bool plain_param(pp *p, pyparams *out, bool lambda, bool *defaults, bool star)
{
    pyparam a = { 0 };
    if (!param(p, &a, lambda)) return false;
    if (pp_accept(p, PYOP_EQUAL)) {
        if (!(a.def = pp_expression(p))) return false;
        *defaults = true;
    } else if (*defaults && !star) {
        return pp_fail(p, PYERR_SYNTAX, a.span, "non-default argument follows default argument");
    }
    out->n++;
    return pp_push(p, &a, sizeof a);
}

/* parameters: slash_no_default param_no_default* param_with_default* [star_etc] | ...
 * star_etc: '*' param_no_default param_maybe_default* [kwds] | '*' ',' param_maybe_default+ [kwds] | kwds
 * kwds: '**' param_no_default
 * (lambda_parameters: the same without annotations), up to ')' or ':'. */
bool pp_params(pp *p, pyparams *out, bool lambda)
{
    pyop close = lambda ? PYOP_COLON : PYOP_RPAR;
    size_t mark = p->stk_n;
    bool star = false, slash = false, defaults = false;
    src_span star_at = { 0 };
    memset(out, 0, sizeof *out);
    while (!pp_is_op(p, close)) {
        if (out->kwarg.name)
            return pp_fail(p, PYERR_SYNTAX, p->tok.span, "arguments cannot follow var-keyword argument");
        if (pp_is_op(p, PYOP_SLASH)) {
            if (slash || star || out->n == 0) return pp_syntax_error(p);
            slash = true;
            out->nposonly = out->n;
            pp_adv(p);
        } else if (pp_is_op(p, PYOP_STAR)) {
            if (star) return pp_fail(p, PYERR_SYNTAX, p->tok.span, "* argument may appear only once");
            star = true;
            star_at = p->tok.span;
            pp_adv(p);
            out->kwonly = out->n;
            if (p->tok.kind == PYTOK_NAME && !param(p, &out->vararg, lambda)) return false;
        } else if (pp_accept(p, PYOP_DSTAR)) {
            if (!param(p, &out->kwarg, lambda)) return false;
        } else if (!plain_param(p, out, lambda, &defaults, star)) {
            return false;
        }
        if (!pp_accept(p, PYOP_COMMA)) break;
    }
    if (!pp_is_op(p, close)) return pp_syntax_error(p);
    if (!star) out->kwonly = out->n;
    else if (!out->vararg.name && out->kwonly == out->n)
        return pp_fail(p, PYERR_SYNTAX, star_at, "named arguments must follow bare *");
    uint32_t n;
    out->v = pp_take(p, mark, sizeof(pyparam), &n);
    return !p->failed;
}
