/* py_eval.c - expressions: names, literals, operators, displays and
 * comprehensions, as Python evaluates them, on ints that never wrap. */
#include "py/py_interp.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static bool eval_list(py *P, const pyx_list *l, pyseq **out, src_span at);

/* ---- numbers ------------------------------------------------------------- */

static bool is_num(const pyval *v) { return v->kind == PV_INT || v->kind == PV_BOOL || v->kind == PV_FLOAT; }
static double as_f(const pyval *v) { return v->kind == PV_FLOAT ? v->f : v->kind == PV_INT ? (double)v->i : v->b; }
static int64_t as_i(const pyval *v) { return v->kind == PV_INT ? v->i : v->b; }

static bool overflow(py *P, src_span at)
{
    return py_raise(P, at, "OverflowError",
                    "this integer does not fit in 64 bits: probe's integers are signed 64-bit, and no tensor size is larger");
}

/* Python's floor division and modulo on int64 (rounding toward -inf). */
static int64_t floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
static int64_t floormod(int64_t a, int64_t b)
{
    int64_t r = a % b;
    return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
}

static bool int_pow(py *P, int64_t a, int64_t b, src_span at, pyval *out)
{
    if (b < 0) {
        *out = pv_float(pow((double)a, (double)b));
        return true;
    }
    int64_t r = 1;
    while (b > 0) {
        if ((b & 1) && !util_mul(r, a, &r)) return overflow(P, at);
        b >>= 1;
        if (b && !util_mul(a, a, &a)) return overflow(P, at);
    }
    *out = pv_int(r);
    return true;
}

static bool int_binop(py *P, pyop op, int64_t a, int64_t b, src_span at, pyval *out)
{
    int64_t r = 0;
    bool ok = true;
    switch (op) {
    case PYOP_PLUS: ok = util_add(a, b, &r); break;
    case PYOP_MINUS: ok = util_sub(a, b, &r); break;
    case PYOP_STAR: ok = util_mul(a, b, &r); break;
    case PYOP_SLASH:
        if (!b) return py_raise(P, at, "ZeroDivisionError", "division by zero");
        *out = pv_float((double)a / (double)b);
        return true;
    case PYOP_DSLASH: case PYOP_PERCENT:
        if (!b) return py_raise(P, at, "ZeroDivisionError", "integer division or modulo by zero");
        if (a == INT64_MIN && b == -1) return overflow(P, at);
        r = op == PYOP_DSLASH ? floordiv(a, b) : floormod(a, b);
        break;
    case PYOP_DSTAR: return int_pow(P, a, b, at, out);
    case PYOP_AMPER: r = a & b; break;
    case PYOP_VBAR: r = a | b; break;
    case PYOP_CIRCUMFLEX: r = a ^ b; break;
    case PYOP_LSHIFT:
        if (b < 0) return py_raise(P, at, "ValueError", "negative shift count");
        if (b >= 63 || (a && (a > (INT64_MAX >> b) || a < (INT64_MIN >> b)))) return overflow(P, at);
        r = a * ((int64_t)1 << b);
        break;
    case PYOP_RSHIFT:
        if (b < 0) return py_raise(P, at, "ValueError", "negative shift count");
        r = b >= 63 ? (a < 0 ? -1 : 0) : a >> b;
        break;
    default: return false;
    }
    if (!ok) return overflow(P, at);
    *out = pv_int(r);
    return true;
}

static bool float_binop(py *P, pyop op, double a, double b, src_span at, pyval *out)
{
    double r;
    switch (op) {
    case PYOP_PLUS: r = a + b; break;
    case PYOP_MINUS: r = a - b; break;
    case PYOP_STAR: r = a * b; break;
    case PYOP_SLASH:
        if (b == 0) return py_raise(P, at, "ZeroDivisionError", "float division by zero");
        r = a / b;
        break;
    case PYOP_DSLASH: case PYOP_PERCENT:
        if (b == 0) return py_raise(P, at, "ZeroDivisionError", "float divmod()");
        r = op == PYOP_DSLASH ? floor(a / b) : a - floor(a / b) * b;
        break;
    case PYOP_DSTAR: r = pow(a, b); break;
    default: return false;
    }
    *out = pv_float(r);
    return true;
}

/* ---- sequences ----------------------------------------------------------- */

static bool seq_concat(py *P, const pyval *a, const pyval *b, src_span at, pyval *out)
{
    pyseq *s = py_seq_new(P, a->seq->n + b->seq->n, at);
    if (!s) return false;
    for (size_t i = 0; i < a->seq->n; i++) s->v[s->n++] = a->seq->v[i];
    for (size_t i = 0; i < b->seq->n; i++) s->v[s->n++] = b->seq->v[i];
    out->kind = a->kind;
    out->seq = s;
    return true;
}

/* [x] * n: the size is checked before anything is made. */
static bool seq_repeat(py *P, const pyval *a, int64_t n, src_span at, pyval *out)
{
    if (n < 0) n = 0;
    size_t len = a->kind == PV_STR ? a->s->n : a->seq->n;
    if (len && (uint64_t)n > PY_MAX_ITEMS / len)
        return py_raise(P, at, "MemoryError", "a %s of %zu x %lld items: probe's limit is %d", py_type_name(a), len,
                        (long long)n, PY_MAX_ITEMS);
    size_t total = len * (size_t)n;
    out->kind = a->kind;
    if (a->kind == PV_STR) {
        pystr *r = py_alloc(P, sizeof *r + total + 1, at);
        if (!r) return false;
        for (int64_t k = 0; k < n; k++) memcpy(r->s + (size_t)k * len, a->s->s, len);
        r->n = total;
        r->s[total] = '\0';
        out->s = r;
        return true;
    }
    pyseq *s = py_seq_new(P, total, at);
    if (!s) return false;
    for (int64_t k = 0; k < n; k++)
        for (size_t i = 0; i < len; i++) s->v[s->n++] = a->seq->v[i];
    out->seq = s;
    return true;
}

static bool str_concat(py *P, const pyval *a, const pyval *b, src_span at, pyval *out)
{
    if (a->s->n + b->s->n > PY_MAX_ITEMS)
        return py_raise(P, at, "MemoryError", "a string of %zu characters: probe's limit is %d", a->s->n + b->s->n, PY_MAX_ITEMS);
    pystr *r = py_alloc(P, sizeof *r + a->s->n + b->s->n + 1, at);
    if (!r) return false;
    memcpy(r->s, a->s->s, a->s->n);
    memcpy(r->s + a->s->n, b->s->s, b->s->n);
    r->n = a->s->n + b->s->n;
    r->s[r->n] = '\0';
    out->kind = PV_STR;
    out->s = r;
    return true;
}

static bool is_seq(const pyval *v) { return v->kind == PV_LIST || v->kind == PV_TUPLE; }

bool py_binop(py *P, pyop op, const pyval *a, const pyval *b, bool inplace, src_span at, pyval *out)
{
    if (a->kind == PV_TENSOR || b->kind == PV_TENSOR) return py_tensor_binop(P, op, a, b, inplace, at, out);
    if (is_num(a) && is_num(b)) {
        bool ints = a->kind != PV_FLOAT && b->kind != PV_FLOAT;
        if (ints ? int_binop(P, op, as_i(a), as_i(b), at, out) : float_binop(P, op, as_f(a), as_f(b), at, out)) return true;
        if (P->failed) return false;
    } else if (op == PYOP_PLUS && a->kind == b->kind && is_seq(a)) {
        return seq_concat(P, a, b, at, out);
    } else if (op == PYOP_PLUS && a->kind == PV_STR && b->kind == PV_STR) {
        return str_concat(P, a, b, at, out);
    } else if (op == PYOP_STAR && (is_seq(a) || a->kind == PV_STR) && (b->kind == PV_INT || b->kind == PV_BOOL)) {
        return seq_repeat(P, a, as_i(b), at, out);
    } else if (op == PYOP_STAR && (is_seq(b) || b->kind == PV_STR) && (a->kind == PV_INT || a->kind == PV_BOOL)) {
        return seq_repeat(P, b, as_i(a), at, out);
    } else if (op == PYOP_PERCENT && a->kind == PV_STR) {
        return py_unsupported(P, at, "probe does not format strings with %%: the shapes do not depend on them");
    }
    return py_raise(P, at, "TypeError", "unsupported operand type(s) for %s: '%s' and '%s'", pylex_op_text(op),
                    py_type_name(a), py_type_name(b));
}

/* ---- comparisons ----------------------------------------------------------- */

/* <0, 0, >0 for numbers, strings and sequences of them; false when the
 * two cannot be ordered. Sequences go down to their first unequal items
 * in a loop, not recursion: lists may be nested a million deep. */
static bool order(py *P, const pyval *a, const pyval *b, pycmp op, src_span at, int *out)
{
    for (int depth = 0; is_seq(a) && a->kind == b->kind; depth++) {
        /* CPython's limit and message; also ends two lists that hold themselves */
        if (depth == 1000) return py_raise(P, at, "RecursionError", "maximum recursion depth exceeded in comparison");
        size_t i = 0;
        while (i < a->seq->n && i < b->seq->n && py_equal(&a->seq->v[i], &b->seq->v[i])) i++;
        if (i == a->seq->n || i == b->seq->n) {
            *out = (a->seq->n > b->seq->n) - (a->seq->n < b->seq->n);
            return true;
        }
        a = &a->seq->v[i];
        b = &b->seq->v[i];
    }
    if (is_num(a) && is_num(b)) {
        if (a->kind != PV_FLOAT && b->kind != PV_FLOAT) *out = (as_i(a) > as_i(b)) - (as_i(a) < as_i(b));
        else *out = (as_f(a) > as_f(b)) - (as_f(a) < as_f(b));
        return true;
    }
    if (a->kind == PV_STR && b->kind == PV_STR) {
        size_t n = a->s->n < b->s->n ? a->s->n : b->s->n;
        int c = memcmp(a->s->s, b->s->s, n);
        *out = c ? c : (a->s->n > b->s->n) - (a->s->n < b->s->n);
        return true;
    }
    static const char *const names[] = { "==", "!=", "<", "<=", ">", ">=" };
    if (a->kind == PV_TENSOR || b->kind == PV_TENSOR)
        return py_unsupported(P, at, "comparing a tensor needs its values: probe has shapes, not data");
    return py_raise(P, at, "TypeError", "'%s' not supported between instances of '%s' and '%s'",
                    names[op], py_type_name(a), py_type_name(b));
}

bool py_contains(py *P, const pyval *hay, const pyval *needle, src_span at, bool *out)
{
    *out = false;
    if (hay->kind == PV_STR && needle->kind == PV_STR) {
        size_t n = needle->s->n;
        *out = n == 0;
        for (size_t i = 0; !*out && n <= hay->s->n && i + n <= hay->s->n; i++) *out = !memcmp(hay->s->s + i, needle->s->s, n);
        return true;
    }
    if (is_seq(hay)) {
        for (size_t i = 0; i < hay->seq->n && !*out; i++) *out = py_equal(&hay->seq->v[i], needle);
        return true;
    }
    if (hay->kind == PV_DICT) {
        *out = py_dict_get(hay->dict, needle) != NULL;
        return true;
    }
    if (hay->kind == PV_RANGE) {
        int64_t k;
        if (!py_as_int(needle, &k)) return true;
        const pyval *r = hay;
        if (r->range.step > 0) *out = k >= r->range.lo && k < r->range.hi && (k - r->range.lo) % r->range.step == 0;
        else *out = k <= r->range.lo && k > r->range.hi && (r->range.lo - k) % -r->range.step == 0;
        return true;
    }
    if (hay->kind == PV_SEQ && hay->mod->kind == PM_MODULEDICT) {
        *out = py_dict_get(&hay->mod->named, needle) != NULL;
        return true;
    }
    return py_raise(P, at, "TypeError", "argument of type '%s' is not iterable", py_type_name(hay));
}

static bool identical(const pyval *a, const pyval *b)
{
    if (a->kind != b->kind) return false;
    if (a->kind == PV_INT || a->kind == PV_BOOL || a->kind == PV_NONE || a->kind == PV_STR) return py_equal(a, b);
    return py_equal(a, b);
}

static bool compare_one(py *P, pycmp op, const pyval *a, const pyval *b, src_span at, bool *out)
{
    int c = 0;
    switch (op) {
    case PYCMP_EQ: *out = py_equal(a, b); return true;
    case PYCMP_NE: *out = !py_equal(a, b); return true;
    case PYCMP_IS: *out = identical(a, b); return true;
    case PYCMP_ISNOT: *out = !identical(a, b); return true;
    case PYCMP_IN: return py_contains(P, b, a, at, out);
    case PYCMP_NOTIN:
        if (!py_contains(P, b, a, at, out)) return false;
        *out = !*out;
        return true;
    default:
        if (!order(P, a, b, op, at, &c)) return false;
        *out = op == PYCMP_LT ? c < 0 : op == PYCMP_LE ? c <= 0 : op == PYCMP_GT ? c > 0 : c >= 0;
        return true;
    }
}

/* compare: left (op right)+, each pair evaluated once, stopping at the first false */
static bool eval_compare(py *P, const pyx *e, pyval *out)
{
    pyval left, right;
    if (!py_eval(P, e->cmp.left, &left)) return false;
    bool r = true;
    for (uint32_t i = 0; i < e->cmp.rest.n && r; i++) {
        if (!py_eval(P, e->cmp.rest.v[i], &right)) return false;
        if (left.kind == PV_TENSOR || right.kind == PV_TENSOR) {
            if (e->cmp.ops[i] != PYCMP_IS && e->cmp.ops[i] != PYCMP_ISNOT)
                return py_unsupported(P, e->span, "comparing a tensor needs its values: probe has shapes, not data");
        }
        if (!compare_one(P, e->cmp.ops[i], &left, &right, e->span, &r)) return false;
        left = right;
    }
    *out = pv_bool(r);
    return true;
}

/* ---- truth ---------------------------------------------------------------- */

bool py_truth(py *P, const pyval *v, src_span at, bool *out)
{
    switch (v->kind) {
    case PV_NONE: *out = false; return true;
    case PV_BOOL: *out = v->b; return true;
    case PV_INT: *out = v->i != 0; return true;
    case PV_FLOAT: *out = v->f != 0; return true;
    case PV_STR: *out = v->s->n != 0; return true;
    case PV_TUPLE: case PV_LIST: *out = v->seq->n != 0; return true;
    case PV_DICT: *out = v->dict->n != 0; return true;
    case PV_RANGE:
        *out = v->range.step > 0 ? v->range.lo < v->range.hi : v->range.lo > v->range.hi;
        return true;
    case PV_SEQ: *out = v->mod->kind == PM_MODULEDICT ? v->mod->named.n != 0 : v->mod->items.n != 0; return true;
    case PV_TENSOR:
        return py_unsupported(P, at, "the truth of a tensor needs its values: probe has shapes, not data (x.shape, x.size() and x.dim() can steer a branch)");
    default: *out = true; return true;
    }
}

/* ---- names and displays ---------------------------------------------------- */

static bool eval_name(py *P, const pyx *e, pyval *out)
{
    if (py_frame_get(P, py_current_frame(P), e->name.id, out)) return true;
    return py_raise(P, e->span, "NameError", "name '%s' is not defined", e->name.id);
}

static bool eval_const(const pyx *e, pyval *out)
{
    switch (e->konst) {
    case PYC_NONE: *out = pv_none(); break;
    case PYC_TRUE: *out = pv_bool(true); break;
    case PYC_FALSE: *out = pv_bool(false); break;
    default: out->kind = PV_ELLIPSIS; break;
    }
    return true;
}


static bool eval_list(py *P, const pyx_list *l, pyseq **out, src_span at)
{
    pyseq *s = py_seq_new(P, l->n, at);
    if (!s) return false;
    for (uint32_t i = 0; i < l->n; i++) {
        const pyx *x = l->v[i];
        pyval v;
        if (x->kind == PYX_STARRED) {
            pyseq *items;
            if (!py_eval(P, x->starred.value, &v) || !py_iter_items(P, &v, x->span, &items)) return false;
            for (size_t k = 0; k < items->n; k++)
                if (!py_seq_push(P, s, items->v[k], x->span)) return false;
            continue;
        }
        if (!py_eval(P, x, &v) || !py_seq_push(P, s, v, x->span)) return false;
    }
    *out = s;
    return true;
}

static bool eval_dict(py *P, const pyx *e, pyval *out)
{
    pydict *d = py_dict_new(P, e->span);
    if (!d) return false;
    for (uint32_t i = 0; i < e->dict.vals.n; i++) {
        pyval k, v;
        if (!py_eval(P, e->dict.vals.v[i], &v)) return false;
        if (!e->dict.keys.v[i]) {
            if (v.kind != PV_DICT) return py_raise(P, e->dict.vals.v[i]->span, "TypeError", "'%s' object is not a mapping", py_type_name(&v));
            for (size_t j = 0; j < v.dict->n; j++)
                if (!py_dict_set(P, d, v.dict->keys[j], v.dict->vals[j], e->span)) return false;
            continue;
        }
        if (!py_eval(P, e->dict.keys.v[i], &k) || !py_dict_set(P, d, k, v, e->span)) return false;
    }
    out->kind = PV_DICT;
    out->dict = d;
    return true;
}

/* ---- comprehensions --------------------------------------------------------- */


typedef struct comp_state {
    const pyx *e;
    pyframe *f;
    pyseq *items;
    pydict *dict;
} comp_state;

/* The generators from the k-th on, each binding its target in the
 * comprehension's own frame, as Python 3 scopes them. */
static bool comp_run(py *P, comp_state *cs, uint32_t k)
{
    const pyx *e = cs->e;
    if (k == e->comp.ngens) {
        pyval v, val;
        if (!py_eval(P, e->comp.elt, &v)) return false;
        if (cs->dict) return py_eval(P, e->comp.val, &val) && py_dict_set(P, cs->dict, v, val, e->span);
        return py_seq_push(P, cs->items, v, e->span);
    }
    const pycomp *g = &e->comp.gens[k];
    pyval it;
    pyseq *items;
    if (!py_eval(P, g->iter, &it) || !py_iter_items(P, &it, g->iter->span, &items)) return false;
    for (size_t i = 0; i < items->n; i++) {
        if (!py_step(P, e->span) || !py_assign_target(P, cs->f, g->target, items->v[i])) return false;
        bool keep = true;
        for (uint32_t c = 0; c < g->ifs.n && keep; c++) {
            pyval t;
            if (!py_eval(P, g->ifs.v[c], &t) || !py_truth(P, &t, g->ifs.v[c]->span, &keep)) return false;
        }
        if (keep && !comp_run(P, cs, k + 1)) return false;
    }
    return true;
}


static bool eval_comp(py *P, const pyx *e, pyval *out)
{
    pyframe *cur = py_current_frame(P);
    pyframe *f = py_alloc(P, sizeof *f, e->span);
    if (!f) return false;
    f->up = cur;
    f->fn = cur->fn;
    f->module = cur->module;
    f->self = cur->self;
    comp_state cs = { e, f, NULL, NULL };
    if (e->kind == PYX_DICTCOMP) {
        if (!(cs.dict = py_dict_new(P, e->span))) return false;
    } else if (!(cs.items = py_seq_new(P, 0, e->span))) {
        return false;
    }
    if (!py_push_frame(P, f)) return false;
    bool ok = comp_run(P, &cs, 0);
    py_pop_frame(P);
    if (!ok) return false;
    if (cs.dict) {
        out->kind = PV_DICT;
        out->dict = cs.dict;
    } else {
        out->kind = PV_LIST;    /* a generator is used once: a list does */
        out->seq = cs.items;
    }
    return true;
}

/* ---- the rest ---------------------------------------------------------------- */


static bool eval_unary(py *P, const pyx *e, pyval *out)
{
    pyval v;
    if (!py_eval(P, e->un.x, &v)) return false;
    if (e->un.op == PYOP_NONE) {
        bool t;
        if (!py_truth(P, &v, e->un.x->span, &t)) return false;
        *out = pv_bool(!t);
        return true;
    }
    if (v.kind == PV_TENSOR) {
        if (e->un.op == PYOP_TILDE) return py_unsupported(P, e->span, "~ on a tensor: probe has float tensors only");
        *out = v;
        return true;
    }
    if (v.kind == PV_FLOAT && e->un.op != PYOP_TILDE) {
        *out = pv_float(e->un.op == PYOP_MINUS ? -v.f : v.f);
        return true;
    }
    int64_t i;
    if (!py_as_int(&v, &i))
        return py_raise(P, e->span, "TypeError", "bad operand type for unary %s: '%s'", pylex_op_text(e->un.op), py_type_name(&v));
    if (e->un.op == PYOP_MINUS) {
        if (i == INT64_MIN) return overflow(P, e->span);
        i = -i;
    } else if (e->un.op == PYOP_TILDE) {
        i = ~i;
    }
    *out = pv_int(i);
    return true;
}

static bool eval_boolop(py *P, const pyx *e, pyval *out)
{
    for (uint32_t i = 0; i < e->boolop.vals.n; i++) {
        bool t;
        if (!py_eval(P, e->boolop.vals.v[i], out) || !py_truth(P, out, e->boolop.vals.v[i]->span, &t)) return false;
        if (t != e->boolop.is_and) return true;
    }
    return true;
}

static bool eval_slice(py *P, const pyx *e, pyval *out)
{
    pyboxed *b = py_alloc(P, sizeof *b, e->span);
    if (!b) return false;
    const pyx *parts[3] = { e->slice.lo, e->slice.hi, e->slice.step };
    for (int k = 0; k < 3; k++) {
        b->v[k] = pv_none();
        if (parts[k] && !py_eval(P, parts[k], &b->v[k])) return false;
    }
    out->kind = PV_SLICE;
    out->slice.parts = b;
    return true;
}

static bool eval_seq(py *P, const pyx *e, pv_kind kind, pyval *out)
{
    pyseq *s;
    if (!eval_list(P, &e->elts, &s, e->span)) return false;
    out->kind = kind;
    out->seq = s;
    return true;
}

static bool eval_more(py *P, const pyx *e, pyval *out)
{
    switch (e->kind) {
    case PYX_LAMBDA: return py_make_function(P, "<lambda>", &e->lambda.params, NULL, e->lambda.body, e->span, out);
    case PYX_NAMEDEXPR:
        return py_eval(P, e->named.value, out) && py_assign_target(P, py_current_frame(P), e->named.target, *out);
    case PYX_STARRED: case PYX_DSTARRED:
        return py_raise(P, e->span, "SyntaxError", "can't use starred expression here");
    case PYX_YIELD:
        return py_unsupported(P, e->span, "probe does not run generators (yield): write the model without them");
    case PYX_FSTR:
        return py_unsupported(P, e->span, "probe does not format f-strings: name the module with a plain string");
    case PYX_BIGINT: return overflow(P, e->span);
    default: return py_unsupported(P, e->span, "probe cannot evaluate this expression");
    }
}

bool py_eval(py *P, const pyx *e, pyval *out)
{
    if (P->failed) return false;
    switch (e->kind) {
    case PYX_NAME: return eval_name(P, e, out);
    case PYX_INT:
        /* where the literal is written goes with the value (aux: offset + 1),
         * so that --fix can change a size where the file writes it:
         * conv_block(1, 12, 2), not the `inp` of the block's nn.Conv2d(inp, ...) */
        *out = pv_int(e->i);
        out->aux = e->span.off + 1;
        return true;
    case PYX_FLOAT: *out = pv_float(e->f); return true;
    case PYX_STR:
        out->kind = PV_STR;
        return (out->s = py_str_new(P, e->str.s, e->str.n, e->span)) != NULL;
    case PYX_CONST: return eval_const(e, out);
    case PYX_ATTR: {
        pyval v;
        return py_eval(P, e->attr.value, &v) && py_getattr(P, &v, e->attr.name, e->span, out);
    }
    case PYX_SUBSCRIPT: {
        pyval v, i;
        return py_eval(P, e->sub.value, &v) && py_eval(P, e->sub.index, &i) && py_subscript(P, &v, &i, e->span, out);
    }
    case PYX_SLICE: return eval_slice(P, e, out);
    case PYX_CALL: return py_step(P, e->span) && py_eval_call(P, e, out);
    case PYX_BINOP: {
        pyval a, b;
        return py_eval(P, e->bin.l, &a) && py_eval(P, e->bin.r, &b) && py_binop(P, e->bin.op, &a, &b, false, e->span, out);
    }
    case PYX_UNARY: return eval_unary(P, e, out);
    case PYX_BOOLOP: return eval_boolop(P, e, out);
    case PYX_COMPARE: return eval_compare(P, e, out);
    case PYX_IFEXP: {
        pyval t;
        bool yes;
        if (!py_eval(P, e->ifexp.test, &t) || !py_truth(P, &t, e->ifexp.test->span, &yes)) return false;
        return py_eval(P, yes ? e->ifexp.body : e->ifexp.orelse, out);
    }
    case PYX_TUPLE: return eval_seq(P, e, PV_TUPLE, out);
    case PYX_LIST: case PYX_SET: return eval_seq(P, e, PV_LIST, out);
    case PYX_DICT: return eval_dict(P, e, out);
    case PYX_LISTCOMP: case PYX_SETCOMP: case PYX_GENEXP: case PYX_DICTCOMP: return eval_comp(P, e, out);
    default: return eval_more(P, e, out);
    }
}
