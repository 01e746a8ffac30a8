/* py_parse_expr.c - the Python parser's expression rules, after CPython
 * 3.11's Grammar/python.gram (one function a rule, the rule above it). */
#include "py/py_parse_int.h"

#include <string.h>

static pyx *star_named_expression(pp *p);
static pyx *bitwise_or(pp *p);
static pyx *primary(pp *p);
static pyx *factor(pp *p);

/* Could the current token start an expression? (after an element inside
 * brackets, where a missing comma is the likely mistake) */
bool pp_starts_expression(const pp *p)
{
    const pytoken *t = &p->tok;
    if (t->kind == PYTOK_INT || t->kind == PYTOK_FLOAT || t->kind == PYTOK_STRING) return true;
    if (t->kind == PYTOK_NAME)
        return t->kw == PYKW_NAME || t->kw == PYKW_NONE || t->kw == PYKW_TRUE || t->kw == PYKW_FALSE ||
               t->kw == PYKW_NOT || t->kw == PYKW_LAMBDA || t->kw == PYKW_AWAIT;
    /* ( [ - + are trailers or operators right after an expression: they
     * reach here only where an expression may start */
    return t->kind == PYTOK_OP && (t->op == PYOP_LBRACE || t->op == PYOP_ELLIPSIS || t->op == PYOP_TILDE ||
                                   t->op == PYOP_LPAR || t->op == PYOP_LSQB || t->op == PYOP_MINUS ||
                                   t->op == PYOP_PLUS || t->op == PYOP_STAR);
}

/* The error for a token that should have been `close` or ','. CPython's
 * invalid_expression: inside brackets, an expression right after another
 * is "Perhaps you forgot a comma?", located at the first one (a name
 * followed by a string excepted: that is a prefix typo). */
void *pp_missing_comma(pp *p, const pyx *prev)
{
    if (prev && pp_equal_meant(p, prev)) return NULL;
    if (prev && p->lx.level > 0 && pp_starts_expression(p)) {
        while (prev->kind == PYX_IFEXP) prev = prev->ifexp.orelse;
        if (!(prev->kind == PYX_NAME && p->tok.kind == PYTOK_STRING) && prev->kind != PYX_LAMBDA)
            return pp_fail(p, PYERR_SYNTAX, prev->span, "invalid syntax. Perhaps you forgot a comma?");
    }
    return pp_syntax_error(p);
}

/* ---- the precedence ladder ---------------------------------------------- */

/* expression: disjunction 'if' disjunction 'else' expression | disjunction | lambdef */
pyx *pp_expression(pp *p)
{
    src_span start = p->tok.span;
    pyx *e;
    if (pp_is_kw(p, PYKW_LAMBDA)) {
        /* lambdef: 'lambda' [lambda_params] ':' expression */
        pp_adv(p);
        e = pp_expr(p, PYX_LAMBDA, start);
        if (!e || !pp_params(p, &e->lambda.params, true) || !pp_expect(p, PYOP_COLON) || !pp_enter(p))
            return NULL;
        e->lambda.body = pp_expression(p);
        pp_leave(p);
        if (!e->lambda.body) return NULL;
        e->span = pp_span_to_here(p, start);
    } else if ((e = pp_disjunction(p)) && pp_is_kw(p, PYKW_IF)) {
        pyx *body = e;
        pp_adv(p);
        pyx *test = pp_disjunction(p);
        if (test && !pp_is_kw(p, PYKW_ELSE) && !pp_is_op(p, PYOP_COLON)) {
            src_span at = body->span;
            at.end = test->span.end;
            e = pp_fail(p, PYERR_SYNTAX, at, "expected 'else' after 'if' expression");
        } else if (!test || !pp_is_kw(p, PYKW_ELSE)) {
            e = test ? pp_syntax_error(p) : NULL;
        } else if (pp_enter(p)) {
            pp_adv(p);
            pyx *orelse = pp_expression(p);
            pp_leave(p);
            e = orelse ? pp_expr(p, PYX_IFEXP, start) : NULL;
            if (e) e->ifexp.test = test, e->ifexp.body = body, e->ifexp.orelse = orelse;
        } else {
            e = NULL;
        }
    }
    return e;
}

/* disjunction: conjunction ('or' conjunction)+ | conjunction
 * conjunction: inversion ('and' inversion)+ | inversion */
static pyx *boolop(pp *p, bool is_and)
{
    src_span start = p->tok.span;
    size_t mark = p->stk_n;
    pyx *first = is_and ? pp_inversion(p) : boolop(p, true);
    pykw kw = is_and ? PYKW_AND : PYKW_OR;
    if (!first || !pp_is_kw(p, kw)) return first;
    if (!pp_push_ptr(p, first)) return NULL;
    while (pp_is_kw(p, kw)) {
        pp_adv(p);
        pyx *next = is_and ? pp_inversion(p) : boolop(p, true);
        if (!next || !pp_push_ptr(p, next)) return NULL;
    }
    pyx *e = pp_expr(p, PYX_BOOLOP, start);
    if (!e) return NULL;
    e->boolop.is_and = is_and;
    e->boolop.vals = pp_take_exprs(p, mark);
    return p->failed ? NULL : e;
}

pyx *pp_disjunction(pp *p) { return boolop(p, false); }

/* comparison: bitwise_or compare_op_bitwise_or_pair+ | bitwise_or
 * compare_op: '==' | '!=' | '<=' | '<' | '>=' | '>' | 'not' 'in' | 'in' | 'is' 'not' | 'is' */
static bool compare_op(pp *p, pycmp *op)
{
    static const struct { pyop tok; pycmp cmp; } ops[] = {
        { PYOP_EQEQUAL, PYCMP_EQ }, { PYOP_NOTEQUAL, PYCMP_NE }, { PYOP_LESS, PYCMP_LT },
        { PYOP_LESSEQUAL, PYCMP_LE }, { PYOP_GREATER, PYCMP_GT }, { PYOP_GREATEREQUAL, PYCMP_GE },
    };
    if (p->tok.kind == PYTOK_OP) {
        for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
            if (p->tok.op == ops[i].tok) { *op = ops[i].cmp; pp_adv(p); return true; }
        return false;
    }
    if (pp_is_kw(p, PYKW_IN)) { *op = PYCMP_IN; pp_adv(p); return true; }
    if (pp_is_kw(p, PYKW_IS)) {
        pp_adv(p);
        *op = pp_is_kw(p, PYKW_NOT) ? PYCMP_ISNOT : PYCMP_IS;
        if (*op == PYCMP_ISNOT) pp_adv(p);
        return true;
    }
    if (pp_is_kw(p, PYKW_NOT) && pp_peek(p)->kind == PYTOK_NAME && pp_peek(p)->kw == PYKW_IN) {
        pp_adv(p);
        pp_adv(p);
        *op = PYCMP_NOTIN;
        return true;
    }
    return false;
}

typedef struct cmp_pair { pycmp op; pyx *x; } cmp_pair;

static pyx *comparison(pp *p)
{
    src_span start = p->tok.span;
    pyx *left = bitwise_or(p);
    pycmp op;
    if (!left || !compare_op(p, &op)) return left;
    size_t mark = p->stk_n;
    do {
        cmp_pair pair = { op, bitwise_or(p) };
        if (!pair.x || !pp_push(p, &pair, sizeof pair)) return NULL;
    } while (compare_op(p, &op));
    pyx *e = pp_expr(p, PYX_COMPARE, start);
    uint32_t n;
    cmp_pair *pairs = pp_take(p, mark, sizeof *pairs, &n);
    if (!e || !pairs) return NULL;
    e->cmp.left = left;
    e->cmp.ops = pp_alloc(p, n * sizeof *e->cmp.ops);
    e->cmp.rest.v = pp_alloc(p, n * sizeof *e->cmp.rest.v);
    if (!e->cmp.ops || !e->cmp.rest.v) return NULL;
    for (uint32_t i = 0; i < n; i++) e->cmp.ops[i] = pairs[i].op, e->cmp.rest.v[i] = pairs[i].x;
    e->cmp.rest.n = n;
    return e;
}

/* A prefix operator (the current token) and its operand: `not x`, `-x`;
 * a chain of them nests, against the depth limit. */
static pyx *unary(pp *p, pyop op, pyx *(*operand)(pp *))
{
    src_span start = p->tok.span;
    if (!pp_enter(p)) return NULL;
    pp_adv(p);
    pyx *x = operand(p);
    pp_leave(p);
    pyx *e = x ? pp_expr(p, PYX_UNARY, start) : NULL;
    if (e) e->un.op = op, e->un.x = x;
    return e;
}

/* inversion: 'not' inversion | comparison */
pyx *pp_inversion(pp *p)
{
    return pp_is_kw(p, PYKW_NOT) ? unary(p, PYOP_NONE, pp_inversion) : comparison(p);
}

/* bitwise_or: bitwise_or '|' bitwise_xor | bitwise_xor
 * bitwise_xor: bitwise_xor '^' bitwise_and | bitwise_and
 * bitwise_and: bitwise_and '&' shift_expr | shift_expr
 * shift_expr: shift_expr ('<<' | '>>') sum | sum
 * sum: sum ('+' | '-') term | term
 * term: term ('*' | '/' | '//' | '%' | '@') factor | factor
 * Left-associative: a loop a level, from the loosest. Each operator
 * nests the tree one level deeper, and counts against the depth limit:
 * the evaluator walks the tree recursively. */
static const pyop binary_levels[][5] = {
    { PYOP_VBAR }, { PYOP_CIRCUMFLEX }, { PYOP_AMPER }, { PYOP_LSHIFT, PYOP_RSHIFT },
    { PYOP_PLUS, PYOP_MINUS }, { PYOP_STAR, PYOP_SLASH, PYOP_DSLASH, PYOP_PERCENT, PYOP_AT },
};
enum { BINARY_LEVELS = sizeof binary_levels / sizeof binary_levels[0] };

static bool at_level_op(const pp *p, int level)
{
    if (p->tok.kind != PYTOK_OP) return false;
    for (int i = 0; i < 5 && binary_levels[level][i]; i++)
        if (p->tok.op == binary_levels[level][i]) return true;
    return false;
}

static pyx *binary(pp *p, int level)
{
    if (level == BINARY_LEVELS) return factor(p);
    src_span start = p->tok.span;
    pyx *l = binary(p, level + 1);
    int links = 0;
    while (l && at_level_op(p, level) && pp_enter(p)) {
        links++;
        pyop op = p->tok.op;
        pp_adv(p);
        pyx *r = binary(p, level + 1);
        pyx *e = r ? pp_expr(p, PYX_BINOP, start) : NULL;
        if (e) e->bin.op = op, e->bin.l = l, e->bin.r = r;
        l = e;
    }
    p->depth -= links;
    return p->failed ? NULL : l;
}

static pyx *bitwise_or(pp *p) { return binary(p, 0); }

/* factor: '+' factor | '-' factor | '~' factor | power
 * power: await_primary '**' factor | await_primary
 * await_primary: AWAIT primary | primary */
static pyx *factor(pp *p)
{
    src_span start = p->tok.span;
    if (pp_is_op(p, PYOP_PLUS) || pp_is_op(p, PYOP_MINUS) || pp_is_op(p, PYOP_TILDE))
        return unary(p, p->tok.op, factor);
    pyx *base;
    if (pp_is_kw(p, PYKW_AWAIT)) {
        pp_adv(p);
        pyx *x = primary(p);
        base = x ? pp_expr(p, PYX_YIELD, start) : NULL;
        if (base) base->yield.value = x, base->yield.how = PYYIELD_AWAIT;
    } else {
        base = primary(p);
    }
    if (!base || !pp_is_op(p, PYOP_DSTAR)) return base;
    /* right-associative through factor: 2**-1, 2**3**2 */
    if (!pp_enter(p)) return NULL;
    pp_adv(p);
    pyx *r = factor(p);
    pp_leave(p);
    pyx *e = r ? pp_expr(p, PYX_BINOP, start) : NULL;
    if (e) e->bin.op = PYOP_DSTAR, e->bin.l = base, e->bin.r = r;
    return e;
}

/* ---- primaries ---------------------------------------------------------- */

/* slice: [expression] ':' [expression] [':' [expression]] | named_expression */
static pyx *slice(pp *p)
{
    src_span start = p->tok.span;
    if (pp_is_op(p, PYOP_STAR)) return star_named_expression(p);
    pyx *lo = NULL;
    if (!pp_is_op(p, PYOP_COLON) && !(lo = pp_named_expression(p))) return NULL;
    if (!pp_is_op(p, PYOP_COLON)) return lo;
    pyx *parts[2] = { NULL, NULL };
    for (int k = 0; k < 2 && pp_accept(p, PYOP_COLON); k++) {
        if (pp_is_op(p, PYOP_COLON) || pp_is_op(p, PYOP_COMMA) || pp_is_op(p, PYOP_RSQB)) continue;
        if (!(parts[k] = pp_expression(p))) return NULL;
    }
    pyx *e = pp_expr(p, PYX_SLICE, start);
    if (e) e->slice.lo = lo, e->slice.hi = parts[0], e->slice.step = parts[1];
    return e;
}

/* slices: slice !',' | ','.(slice | starred_expression)+ [','] */
static pyx *slices(pp *p)
{
    src_span start = p->tok.span;
    pyx *first = slice(p);
    if (!first || !pp_is_op(p, PYOP_COMMA)) return first;
    size_t mark = p->stk_n;
    if (!pp_push_ptr(p, first)) return NULL;
    while (pp_accept(p, PYOP_COMMA) && !pp_is_op(p, PYOP_RSQB)) {
        pyx *e = slice(p);
        if (!e || !pp_push_ptr(p, e)) return NULL;
    }
    pyx *t = pp_expr(p, PYX_TUPLE, start);
    if (t) t->elts = pp_take_exprs(p, mark);
    return p->failed ? NULL : t;
}

/* primary: primary '.' NAME | primary genexp | primary '(' [arguments] ')'
 *        | primary '[' slices ']' | atom
 * The trailers are a loop: a()()() does not recurse while parsing, but
 * each nests the tree one level deeper (the depth limit counts it). */
static pyx *primary(pp *p)
{
    src_span start = p->tok.span;
    pyx *e = pp_atom(p);
    int links = 0;
    for (; e && p->tok.kind == PYTOK_OP; links++) {
        if ((pp_is_op(p, PYOP_DOT) || pp_is_op(p, PYOP_LPAR) || pp_is_op(p, PYOP_LSQB)) && !pp_enter(p)) {
            e = NULL;
            break;
        }
        if (pp_accept(p, PYOP_DOT)) {
            if (p->tok.kind != PYTOK_NAME || p->tok.kw != PYKW_NAME) return pp_syntax_error(p);
            pyx *a = pp_alloc(p, sizeof *a);
            if (!a) return NULL;
            a->kind = PYX_ATTR;
            a->attr.value = e;
            a->attr.name = p->tok.s;
            a->attr.name_span = p->tok.span;
            pp_adv(p);
            a->span = pp_span_to_here(p, start);
            e = a;
        } else if (pp_accept(p, PYOP_LPAR)) {
            e = pp_arguments(p, e, start);
        } else if (pp_accept(p, PYOP_LSQB)) {
            pyx *index = slices(p);
            if (index && !pp_is_op(p, PYOP_RSQB)) pp_missing_comma(p, index);
            pp_accept(p, PYOP_RSQB);
            pyx *s = index ? pp_expr(p, PYX_SUBSCRIPT, start) : NULL;
            if (s) s->sub.value = e, s->sub.index = index;
            e = s;
        } else {
            break;
        }
    }
    p->depth -= links;
    return p->failed ? NULL : e;
}

/* ---- targets ------------------------------------------------------------- */

pyx *pp_invalid_target(pyx *e)
{
    switch (e->kind) {
    case PYX_NAME: case PYX_ATTR: case PYX_SUBSCRIPT: return NULL;
    case PYX_STARRED: return pp_invalid_target(e->starred.value);
    case PYX_TUPLE: case PYX_LIST:
        for (uint32_t i = 0; i < e->elts.n; i++) {
            pyx *bad = pp_invalid_target(e->elts.v[i]);
            if (bad) return bad;
        }
        return NULL;
    default: return e;
    }
}

const char *pp_expr_desc(const pyx *e)
{
    switch (e->kind) {
    case PYX_ATTR: return "attribute";
    case PYX_SUBSCRIPT: return "subscript";
    case PYX_STARRED: return "starred";
    case PYX_NAME: return "name";
    case PYX_LIST: return "list";
    case PYX_TUPLE: return "tuple";
    case PYX_LAMBDA: return "lambda";
    case PYX_CALL: return "function call";
    case PYX_BOOLOP: case PYX_BINOP: case PYX_UNARY: return "expression";
    case PYX_GENEXP: return "generator expression";
    case PYX_YIELD: return e->yield.how == PYYIELD_AWAIT ? "await expression" : "yield expression";
    case PYX_LISTCOMP: return "list comprehension";
    case PYX_SETCOMP: return "set comprehension";
    case PYX_DICTCOMP: return "dict comprehension";
    case PYX_DICT: return "dict literal";
    case PYX_SET: return "set display";
    case PYX_FSTR: return "f-string expression";
    case PYX_CONST:
        return e->konst == PYC_NONE ? "None" : e->konst == PYC_TRUE ? "True" : e->konst == PYC_FALSE ? "False" : "ellipsis";
    case PYX_COMPARE: return "comparison";
    case PYX_IFEXP: return "conditional expression";
    case PYX_NAMEDEXPR: return "named expression";
    default: return "literal";
    }
}

bool pp_check_target(pp *p, pyx *e, bool del)
{
    pyx *bad = pp_invalid_target(e);
    if (!bad) return true;
    pp_fail(p, PYERR_SYNTAX, bad->span, "cannot %s %s", del ? "delete" : "assign to", pp_expr_desc(bad));
    return false;
}

/* star_target: '*' (!'*' star_target) | target_with_star_atom
 * star_targets: star_target (',' star_target)* [',']
 * Read as expressions at bitwise_or level, so that a for's `in` ends
 * them, and checked as targets after. */
pyx *pp_star_target(pp *p)
{
    if (!pp_is_op(p, PYOP_STAR)) return bitwise_or(p);
    src_span start = p->tok.span;
    pp_adv(p);
    pyx *x = bitwise_or(p);
    pyx *e = x ? pp_expr(p, PYX_STARRED, start) : NULL;
    if (e) e->starred.value = x;
    return e;
}

pyx *pp_star_targets(pp *p)
{
    src_span start = p->tok.span;
    pyx *first = pp_star_target(p);
    if (!first || !pp_is_op(p, PYOP_COMMA)) return first && pp_check_target(p, first, false) ? first : NULL;
    size_t mark = p->stk_n;
    if (!pp_push_ptr(p, first)) return NULL;
    while (pp_accept(p, PYOP_COMMA) && !pp_is_kw(p, PYKW_IN) && !pp_is_op(p, PYOP_EQUAL)) {
        pyx *e = pp_star_target(p);
        if (!e || !pp_push_ptr(p, e)) return NULL;
    }
    pyx *t = pp_expr(p, PYX_TUPLE, start);
    if (t) t->elts = pp_take_exprs(p, mark);
    return !p->failed && pp_check_target(p, t, false) ? t : NULL;
}

/* ---- lists of expressions ------------------------------------------------- */

/* star_named_expression: '*' bitwise_or | named_expression */
static pyx *star_named_expression(pp *p)
{
    return pp_is_op(p, PYOP_STAR) ? pp_star_target(p) : pp_named_expression(p);
}

/* assignment_expression: NAME ':=' ~ expression
 * named_expression: assignment_expression | expression !':=' */
pyx *pp_named_expression(pp *p)
{
    src_span start = p->tok.span;
    pyx *target = pp_expression(p);
    if (!target || !pp_is_op(p, PYOP_COLONEQUAL)) return target;
    if (target->kind != PYX_NAME)
        return pp_fail(p, PYERR_SYNTAX, target->span, "cannot use assignment expressions with %s",
                       pp_expr_desc(target));
    pp_adv(p);
    pyx *value = pp_expression(p);
    pyx *e = value ? pp_expr(p, PYX_NAMEDEXPR, start) : NULL;
    if (e) e->named.target = target, e->named.value = value;
    return e;
}

/* star_expressions: star_expression (',' star_expression)* [',']
 * star_expression: '*' bitwise_or | expression
 * A bare `a, b` is a tuple spanning its elements. */
pyx *pp_star_expressions(pp *p)
{
    src_span start = p->tok.span;
    pyx *first = pp_is_op(p, PYOP_STAR) ? star_named_expression(p) : pp_expression(p);
    if (!first || !pp_is_op(p, PYOP_COMMA)) return first;
    size_t mark = p->stk_n;
    if (!pp_push_ptr(p, first)) return NULL;
    while (pp_accept(p, PYOP_COMMA)) {
        if (!pp_starts_expression(p)) break;
        pyx *e = pp_is_op(p, PYOP_STAR) ? star_named_expression(p) : pp_expression(p);
        if (!e || !pp_push_ptr(p, e)) return NULL;
    }
    pyx *t = pp_expr(p, PYX_TUPLE, start);
    if (t) t->elts = pp_take_exprs(p, mark);
    return p->failed ? NULL : t;
}

/* yield_expr: 'yield' 'from' expression | 'yield' [star_expressions] */
pyx *pp_yield_expr(pp *p)
{
    src_span start = p->tok.span;
    pp_adv(p);
    pyx *e = pp_alloc(p, sizeof *e);
    if (!e) return NULL;
    e->kind = PYX_YIELD;
    if (pp_is_kw(p, PYKW_FROM)) {
        pp_adv(p);
        e->yield.how = PYYIELD_FROM;
        if (!(e->yield.value = pp_expression(p))) return NULL;
    } else if (!pp_is_op(p, PYOP_RPAR) && !pp_is_op(p, PYOP_EQUAL) && !pp_is_op(p, PYOP_SEMI) &&
               p->tok.kind != PYTOK_NEWLINE && !pp_is_op(p, PYOP_RSQB) && !pp_is_op(p, PYOP_RBRACE)) {
        if (!(e->yield.value = pp_star_expressions(p))) return NULL;
    }
    e->span = pp_span_to_here(p, start);
    return e;
}

/* The items of a display after its first, up to `close`:
 * ','.star_named_expression+ [','] close */
bool pp_display_rest(pp *p, pyop close, pyx *prev)
{
    while (pp_accept(p, PYOP_COMMA)) {
        if (pp_is_op(p, close)) break;
        if (!(prev = star_named_expression(p)) || !pp_push_ptr(p, prev)) return false;
    }
    if (!pp_is_op(p, close)) {
        pp_missing_comma(p, prev);
        return false;
    }
    pp_adv(p);
    return true;
}

pyx *pp_star_named_expression(pp *p) { return star_named_expression(p); }
pyx *pp_bitwise_or(pp *p) { return bitwise_or(p); }
