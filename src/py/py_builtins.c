/* py_builtins.c - Python's builtins that model files use (len, range,
 * min, max, zip, enumerate, isinstance, getattr, ...), and what Python
 * values do besides operators: subscripts, iteration, the methods of
 * str, list and dict. A builtin that could reach outside probe (open,
 * exec, eval, __import__, input) is not here: its name is an error. */
#include "py/py_interp.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NATIVE(name) static bool name(py *P, const pyval *self, const pycall_args *a, pyval *out)

static bool arity(py *P, const pycall_args *a, const char *name, size_t lo, size_t hi)
{
    if (a->nkw) return py_raise(P, a->at, "TypeError", "%s() takes no keyword arguments", name);
    if (a->npos >= lo && a->npos <= hi) return true;
    if (lo == hi)
        return py_raise(P, a->at, "TypeError", "%s() takes exactly %s (%zu given)", name,
                        lo == 1 ? "one argument" : lo == 0 ? "no arguments" : "2 arguments", a->npos);
    return py_raise(P, a->at, "TypeError", "%s expected at most %zu arguments, got %zu", name, hi, a->npos);
}

static bool want_int(py *P, const pyval *v, src_span at, int64_t *out)
{
    if (py_as_int(v, out)) return true;
    return py_raise(P, at, "TypeError", "'%s' object cannot be interpreted as an integer", py_type_name(v));
}

static bool make_seq(py *P, pv_kind kind, pyseq *s, pyval *out)
{
    (void)P;
    out->kind = kind;
    out->seq = s;
    return true;
}

/* ---- iteration and subscripts ---------------------------------------------------- */

static int64_t range_len(int64_t lo, int64_t hi, int64_t step)
{
    if (step > 0) return lo < hi ? (int64_t)(((uint64_t)hi - (uint64_t)lo - 1) / (uint64_t)step + 1) : 0;
    return lo > hi ? (int64_t)(((uint64_t)lo - (uint64_t)hi - 1) / (uint64_t)(-(step + 1) + 1) + 1) : 0;
}

bool py_iter_items(py *P, const pyval *v, src_span at, pyseq **out)
{
    switch (v->kind) {
    case PV_LIST: case PV_TUPLE: *out = v->seq; return true;
    case PV_RANGE: {
        int64_t n = range_len(v->range.lo, v->range.hi, v->range.step);
        if (n > PY_MAX_ITEMS)
            return py_raise(P, at, "MemoryError", "a range of %lld items: probe's limit is %d", (long long)n, PY_MAX_ITEMS);
        pyseq *s = py_seq_new(P, (size_t)n, at);
        if (!s) return false;
        for (int64_t i = 0; i < n; i++) s->v[s->n++] = pv_int(v->range.lo + i * v->range.step);
        *out = s;
        return true;
    }
    case PV_STR: {
        pyseq *s = py_seq_new(P, v->s->n, at);
        if (!s) return false;
        for (size_t i = 0; i < v->s->n; i++) {
            s->v[s->n].kind = PV_STR;
            if (!(s->v[s->n++].s = py_str_new(P, v->s->s + i, 1, at))) return false;
        }
        *out = s;
        return true;
    }
    case PV_DICT: {
        pyseq *s = py_seq_new(P, v->dict->n, at);
        if (!s) return false;
        for (size_t i = 0; i < v->dict->n; i++) s->v[s->n++] = v->dict->keys[i];
        *out = s;
        return true;
    }
    case PV_SEQ:
        if (v->mod->kind == PM_MODULEDICT) {
            pyval d = { .kind = PV_DICT, .dict = &v->mod->named };
            return py_iter_items(P, &d, at, out);
        }
        *out = &v->mod->items;
        return true;
    case PV_OBJECT:
        if (v->obj->cls->seq_kind > 1) {
            pyseq *s = py_seq_new(P, 0, at);
            if (!s) return false;
            for (size_t i = 0; i < v->obj->attrs.n; i++)
                if (py_is_module(&v->obj->attrs.vals[i]) && !py_seq_push(P, s, v->obj->attrs.vals[i], at)) return false;
            *out = s;
            return true;
        }
        return py_raise(P, at, "TypeError", "'%s' object is not iterable", py_type_name(v));
    case PV_TENSOR:
        return py_unsupported(P, at, "probe does not iterate over a tensor: index it, or use x.size(0)");
    default:
        return py_raise(P, at, "TypeError", "'%s' object is not iterable", py_type_name(v));
    }
}

/* Python's slice.indices(): the start, stop and step for a length. */
static bool slice_bounds(py *P, const pyval *sl, int64_t len, src_span at, int64_t *lo, int64_t *hi, int64_t *step)
{
    const pyval *p = sl->slice.parts->v;
    *step = 1;
    if (p[2].kind != PV_NONE && !want_int(P, &p[2], at, step)) return false;
    if (*step == 0) return py_raise(P, at, "ValueError", "slice step cannot be zero");
    int64_t dlo = *step > 0 ? 0 : len - 1, dhi = *step > 0 ? len : -1;
    for (int k = 0; k < 2; k++) {
        int64_t *r = k ? hi : lo;
        *r = k ? dhi : dlo;
        if (p[k].kind == PV_NONE) continue;
        if (!want_int(P, &p[k], at, r)) return false;
        if (*r < 0) *r = *r + len < 0 ? (*step > 0 ? 0 : -1) : *r + len;
        else if (*r >= len) *r = *step > 0 ? len : len - 1;
    }
    return true;
}

static bool slice_seq(py *P, const pyseq *s, const pyval *sl, src_span at, pyseq **out)
{
    int64_t lo, hi, step;
    if (!slice_bounds(P, sl, (int64_t)s->n, at, &lo, &hi, &step)) return false;
    pyseq *r = py_seq_new(P, 0, at);
    if (!r) return false;
    for (int64_t i = lo; step > 0 ? i < hi : i > hi; i += step)
        if (!py_seq_push(P, r, s->v[i], at)) return false;
    *out = r;
    return true;
}

static bool index_of(py *P, const pyval *index, size_t n, const char *what, src_span at, size_t *out)
{
    int64_t i;
    if (!py_as_int(index, &i))
        return py_raise(P, at, "TypeError", "%s indices must be integers or slices, not %s", what, py_type_name(index));
    if (i < 0) i += (int64_t)n;
    if (i < 0 || (uint64_t)i >= n) return py_raise(P, at, "IndexError", "%s index out of range", what);
    *out = (size_t)i;
    return true;
}

bool py_tensor_subscript(py *P, const pyval *t, const pyval *index, src_span at, pyval *out);  /* py_tensor.c */
bool py_module_subscript(py *P, const pyval *m, const pyval *index, src_span at, pyval *out);  /* py_nn.c */
bool py_seq_object_subscript(py *P, const pyval *self, const pyval *index, src_span at, pyval *out);  /* py_nn.c */

bool py_subscript(py *P, const pyval *v, const pyval *index, src_span at, pyval *out)
{
    size_t i;
    switch (v->kind) {
    case PV_LIST: case PV_TUPLE:
        if (index->kind == PV_SLICE) {
            pyseq *s;
            return slice_seq(P, v->seq, index, at, &s) && make_seq(P, v->kind, s, out);
        }
        if (!index_of(P, index, v->seq->n, v->kind == PV_LIST ? "list" : "tuple", at, &i)) return false;
        *out = v->seq->v[i];
        return true;
    case PV_STR: {
        if (index->kind == PV_SLICE) return py_unsupported(P, at, "probe does not slice strings");
        if (!index_of(P, index, v->s->n, "string", at, &i)) return false;
        out->kind = PV_STR;
        return (out->s = py_str_new(P, v->s->s + i, 1, at)) != NULL;
    }
    case PV_DICT: {
        pyval *got = py_dict_get(v->dict, index);
        if (got) {
            *out = *got;
            return true;
        }
        sb k;
        sb_init(&k);
        py_repr(index, &k);
        py_raise(P, at, "KeyError", "%s", k.buf ? k.buf : "");
        sb_free(&k);
        return false;
    }
    case PV_RANGE: {
        int64_t n = range_len(v->range.lo, v->range.hi, v->range.step);
        if (!index_of(P, index, (size_t)n, "range object", at, &i)) return false;
        *out = pv_int(v->range.lo + (int64_t)i * v->range.step);
        return true;
    }
    case PV_TENSOR: return py_tensor_subscript(P, v, index, at, out);
    case PV_SEQ: return py_module_subscript(P, v, index, at, out);
    case PV_OBJECT:
        if (v->obj->cls->seq_kind > 1) return py_seq_object_subscript(P, v, index, at, out);
        return py_raise(P, at, "TypeError", "'%s' object is not subscriptable", py_type_name(v));
    default:
        return py_raise(P, at, "TypeError", "'%s' object is not subscriptable", py_type_name(v));
    }
}

bool py_module_setitem(py *P, const pyval *m, const pyval *index, pyval v, src_span at);     /* py_torch.c */

bool py_setitem(py *P, const pyval *obj, const pyval *key, pyval v, src_span at)
{
    size_t i;
    switch (obj->kind) {
    case PV_LIST:
        if (obj->seq->frozen && !P->building) return py_unsupported(P, at, "forward() changes a list that __init__ made: probe cannot follow it");
        if (!index_of(P, key, obj->seq->n, "list assignment", at, &i)) return false;
        obj->seq->v[i] = v;
        return true;
    case PV_DICT:
        if (obj->dict->frozen && !P->building) return py_unsupported(P, at, "forward() changes a dict that __init__ made: probe cannot follow it");
        return py_dict_set(P, obj->dict, *key, v, at);
    case PV_SEQ: return py_module_setitem(P, obj, key, v, at);
    case PV_OBJECT:
        /* model.features[0][0] = nn.Conv2d(1, 32, 3, 2, 1): a child of a
         * subclass of nn.Sequential, by its place */
        if (obj->obj->cls->seq_kind > 1 && P->building) {
            int64_t k;
            if (key->kind == PV_STR) return py_setattr(P, obj, key->s->s, v, at);
            if (!py_as_int(key, &k)) return py_raise(P, at, "TypeError", "indices must be integers");
            const pydict *d = &obj->obj->attrs;
            int64_t seen = 0, n = 0;
            for (size_t i = 0; i < d->n; i++) n += py_is_module(&d->vals[i]);
            if (k < 0) k += n;
            for (size_t i = 0; i < d->n; i++)
                if (py_is_module(&d->vals[i]) && seen++ == k) return py_setattr(P, obj, d->keys[i].s->s, v, at);
            return py_raise(P, at, "IndexError", "index %lld is out of range", (long long)k);
        }
        return py_raise(P, at, "TypeError", "'%s' object does not support item assignment", py_type_name(obj));
    case PV_TENSOR:
        /* x[:, 0] = y writes values, not shapes: nothing to follow */
        return true;
    default:
        return py_raise(P, at, "TypeError", "'%s' object does not support item assignment", py_type_name(obj));
    }
}

/* ---- builtins ------------------------------------------------------------------- */

NATIVE(b_len)
{
    (void)self;
    if (!arity(P, a, "len", 1, 1)) return false;
    const pyval *v = &a->pos[0];
    switch (v->kind) {
    case PV_STR: *out = pv_int((int64_t)v->s->n); return true;
    case PV_LIST: case PV_TUPLE: *out = pv_int((int64_t)v->seq->n); return true;
    case PV_DICT: *out = pv_int((int64_t)v->dict->n); return true;
    case PV_RANGE: *out = pv_int(range_len(v->range.lo, v->range.hi, v->range.step)); return true;
    case PV_SEQ:
        *out = pv_int((int64_t)(v->mod->kind == PM_MODULEDICT ? v->mod->named.n : v->mod->items.n));
        return true;
    case PV_OBJECT:
        if (v->obj->cls->seq_kind > 1) {
            pyseq *kids;
            if (!py_iter_items(P, v, a->at, &kids)) return false;
            *out = pv_int((int64_t)kids->n);
            return true;
        }
        return py_raise(P, a->at, "TypeError", "object of type '%s' has no len()", py_type_name(v));
    case PV_TENSOR:
        if (!v->t->ndim) return py_raise(P, a->at, "TypeError", "len() of a 0-d tensor");
        *out = pv_int(v->t->dim[0]);
        return true;
    default: return py_raise(P, a->at, "TypeError", "object of type '%s' has no len()", py_type_name(v));
    }
}

NATIVE(b_range)
{
    (void)self;
    if (!arity(P, a, "range", 1, 3)) return false;
    int64_t v[3] = { 0, 0, 1 };
    for (size_t i = 0; i < a->npos; i++)
        if (!want_int(P, &a->pos[i], a->at, &v[a->npos == 1 ? 1 : i])) return false;
    if (v[2] == 0) return py_raise(P, a->at, "ValueError", "range() arg 3 must not be zero");
    out->kind = PV_RANGE;
    out->range.lo = v[0];
    out->range.hi = v[1];
    out->range.step = v[2];
    return true;
}

static bool num_of(py *P, const pyval *v, src_span at, double *f, bool *is_float)
{
    *is_float = v->kind == PV_FLOAT;
    if (v->kind == PV_FLOAT) *f = v->f;
    else if (v->kind == PV_INT || v->kind == PV_BOOL) *f = (double)(v->kind == PV_INT ? v->i : v->b);
    else return py_raise(P, at, "TypeError", "'<' not supported between instances of '%s' and 'int'", py_type_name(v));
    return true;
}

/* min and max: of the arguments, or of one iterable's items */
static bool min_max(py *P, const pycall_args *a, bool want_max, pyval *out)
{
    const char *name = want_max ? "max" : "min";
    if (a->nkw) return py_unsupported(P, a->at, "probe's %s() takes no keyword arguments", name);
    const pyval *items = a->pos;
    size_t n = a->npos;
    pyseq *s;
    if (n == 1) {
        if (!py_iter_items(P, &a->pos[0], a->at, &s)) return false;
        items = s->v;
        n = s->n;
    }
    if (!n) return py_raise(P, a->at, "ValueError", "%s() arg is an empty sequence", name);
    size_t best = 0;
    double bf = 0;
    bool isf;
    if (!num_of(P, &items[0], a->at, &bf, &isf)) return false;
    for (size_t i = 1; i < n; i++) {
        double f = 0;
        if (!num_of(P, &items[i], a->at, &f, &isf)) return false;
        if (want_max ? f > bf : f < bf) {
            bf = f;
            best = i;
        }
    }
    *out = items[best];
    return true;
}

NATIVE(b_min) { (void)self; return min_max(P, a, false, out); }
NATIVE(b_max) { (void)self; return min_max(P, a, true, out); }

NATIVE(b_int)
{
    (void)self;
    if (!arity(P, a, "int", 0, 1)) return false;
    if (!a->npos) { *out = pv_int(0); return true; }
    const pyval *v = &a->pos[0];
    if (v->kind == PV_FLOAT) {
        if (!(v->f > -9.2e18 && v->f < 9.2e18)) return py_raise(P, a->at, "OverflowError", "cannot convert float to a 64-bit integer");
        *out = pv_int((int64_t)v->f);
        return true;
    }
    int64_t i;
    if (py_as_int(v, &i)) { *out = pv_int(i); return true; }
    if (v->kind == PV_STR) {
        char *end;
        long long r = strtoll(v->s->s, &end, 10);
        if (end != v->s->s && !*end) { *out = pv_int(r); return true; }
        return py_raise(P, a->at, "ValueError", "invalid literal for int() with base 10: '%s'", v->s->s);
    }
    return py_raise(P, a->at, "TypeError", "int() argument must be a string, a bytes-like object or a real number, not '%s'",
                    py_type_name(v));
}

NATIVE(b_float)
{
    (void)self;
    if (!arity(P, a, "float", 0, 1)) return false;
    double f = 0;
    bool isf;
    if (a->npos && a->pos[0].kind == PV_STR) {
        char *end;
        f = strtod(a->pos[0].s->s, &end);
        if (*end) return py_raise(P, a->at, "ValueError", "could not convert string to float: '%s'", a->pos[0].s->s);
    } else if (a->npos && !num_of(P, &a->pos[0], a->at, &f, &isf)) {
        return false;
    }
    *out = pv_float(f);
    return true;
}

NATIVE(b_bool)
{
    (void)self;
    if (!arity(P, a, "bool", 0, 1)) return false;
    bool t = false;
    if (a->npos && !py_truth(P, &a->pos[0], a->at, &t)) return false;
    *out = pv_bool(t);
    return true;
}

NATIVE(b_str)
{
    (void)self;
    if (!arity(P, a, "str", 0, 1)) return false;
    if (a->npos && a->pos[0].kind == PV_STR) { *out = a->pos[0]; return true; }
    sb s;
    sb_init(&s);
    if (a->npos) py_repr(&a->pos[0], &s);
    *out = pv_str(P, s.buf ? s.buf : "", a->at);
    sb_free(&s);
    return !P->failed;
}

NATIVE(b_abs)
{
    (void)self;
    if (!arity(P, a, "abs", 1, 1)) return false;
    const pyval *v = &a->pos[0];
    if (v->kind == PV_FLOAT) { *out = pv_float(fabs(v->f)); return true; }
    int64_t i;
    if (!py_as_int(v, &i)) return py_raise(P, a->at, "TypeError", "bad operand type for abs(): '%s'", py_type_name(v));
    if (i == INT64_MIN) return py_raise(P, a->at, "OverflowError", "this integer does not fit in 64 bits");
    *out = pv_int(i < 0 ? -i : i);
    return true;
}

NATIVE(b_round)
{
    (void)self;
    if (a->nkw || a->npos < 1 || a->npos > 2) return py_raise(P, a->at, "TypeError", "round() takes 1 or 2 arguments");
    const pyval *v = &a->pos[0];
    if (v->kind != PV_FLOAT) { *out = *v; return true; }
    if (a->npos == 2 && a->pos[1].kind != PV_NONE) {
        int64_t nd;
        if (!want_int(P, &a->pos[1], a->at, &nd)) return false;
        double m = pow(10.0, (double)nd);
        *out = pv_float(nearbyint(v->f * m) / m);
        return true;
    }
    double r = nearbyint(v->f);     /* round half to even, as Python does */
    if (!(r > -9.2e18 && r < 9.2e18)) return py_raise(P, a->at, "OverflowError", "cannot convert float to a 64-bit integer");
    *out = pv_int((int64_t)r);
    return true;
}

NATIVE(b_sum)
{
    (void)self;
    if (a->nkw || a->npos < 1 || a->npos > 2) return py_raise(P, a->at, "TypeError", "sum() takes 1 or 2 arguments");
    pyseq *s;
    if (!py_iter_items(P, &a->pos[0], a->at, &s)) return false;
    pyval acc = a->npos == 2 ? a->pos[1] : pv_int(0);
    for (size_t i = 0; i < s->n; i++)
        if (!py_binop(P, PYOP_PLUS, &acc, &s->v[i], false, a->at, &acc)) return false;
    *out = acc;
    return true;
}

/* zip and enumerate make lists: a model file walks them once */
NATIVE(b_zip)
{
    (void)self;
    if (a->nkw) return py_unsupported(P, a->at, "probe's zip() takes no keyword arguments");
    pyseq *cols[16];
    if (a->npos > 16) return py_unsupported(P, a->at, "probe's zip() takes at most 16 iterables");
    size_t n = a->npos ? SIZE_MAX : 0;
    for (size_t k = 0; k < a->npos; k++) {
        if (!py_iter_items(P, &a->pos[k], a->at, &cols[k])) return false;
        if (cols[k]->n < n) n = cols[k]->n;
    }
    pyseq *r = py_seq_new(P, n, a->at);
    if (!r) return false;
    for (size_t i = 0; i < n; i++) {
        pyseq *t = py_seq_new(P, a->npos, a->at);
        if (!t) return false;
        for (size_t k = 0; k < a->npos; k++) t->v[t->n++] = cols[k]->v[i];
        r->v[r->n].kind = PV_TUPLE;
        r->v[r->n++].seq = t;
    }
    return make_seq(P, PV_LIST, r, out);
}

NATIVE(b_enumerate)
{
    (void)self;
    int64_t start = 0;
    if (a->npos < 1 || a->npos > 2) return py_raise(P, a->at, "TypeError", "enumerate() takes 1 or 2 arguments");
    if (a->npos == 2 && !want_int(P, &a->pos[1], a->at, &start)) return false;
    for (size_t k = 0; k < a->nkw; k++) {
        if (strcmp(a->kwnames[k], "start")) return py_raise(P, a->at, "TypeError", "'%s' is an invalid keyword argument for enumerate()", a->kwnames[k]);
        if (!want_int(P, &a->kw[k], a->at, &start)) return false;
    }
    pyseq *s;
    if (!py_iter_items(P, &a->pos[0], a->at, &s)) return false;
    pyseq *r = py_seq_new(P, s->n, a->at);
    if (!r) return false;
    for (size_t i = 0; i < s->n; i++) {
        pyseq *t = py_seq_new(P, 2, a->at);
        if (!t) return false;
        t->v[t->n++] = pv_int(start + (int64_t)i);
        t->v[t->n++] = s->v[i];
        r->v[r->n].kind = PV_TUPLE;
        r->v[r->n++].seq = t;
    }
    return make_seq(P, PV_LIST, r, out);
}

static bool copy_items(py *P, const pycall_args *a, const char *name, pv_kind kind, bool reverse, pyval *out)
{
    if (!arity(P, a, name, 0, 1)) return false;
    pyseq *s = NULL, *r;
    if (a->npos && !py_iter_items(P, &a->pos[0], a->at, &s)) return false;
    if (!(r = py_seq_new(P, s ? s->n : 0, a->at))) return false;
    for (size_t i = 0; s && i < s->n; i++) r->v[r->n++] = s->v[reverse ? s->n - 1 - i : i];
    return make_seq(P, kind, r, out);
}

NATIVE(b_list) { (void)self; return copy_items(P, a, "list", PV_LIST, false, out); }
NATIVE(b_tuple) { (void)self; return copy_items(P, a, "tuple", PV_TUPLE, false, out); }
NATIVE(b_reversed) { (void)self; return copy_items(P, a, "reversed", PV_LIST, true, out); }

NATIVE(b_sorted)
{
    (void)self;
    if (a->nkw) return py_unsupported(P, a->at, "probe's sorted() takes no keyword arguments");
    if (!copy_items(P, a, "sorted", PV_LIST, false, out)) return false;
    pyseq *s = out->seq;
    for (size_t i = 1; i < s->n; i++) {     /* insertion sort: stable, and lists are short */
        pyval v = s->v[i];
        double fv = 0, fj = 0;
        bool isf;
        if (!num_of(P, &v, a->at, &fv, &isf)) return false;
        size_t j = i;
        while (j > 0 && num_of(P, &s->v[j - 1], a->at, &fj, &isf) && fj > fv) {
            s->v[j] = s->v[j - 1];
            j--;
        }
        if (P->failed) return false;
        s->v[j] = v;
    }
    return true;
}

static bool any_all(py *P, const pycall_args *a, bool all, pyval *out)
{
    if (!arity(P, a, all ? "all" : "any", 1, 1)) return false;
    pyseq *s;
    if (!py_iter_items(P, &a->pos[0], a->at, &s)) return false;
    for (size_t i = 0; i < s->n; i++) {
        bool t;
        if (!py_truth(P, &s->v[i], a->at, &t)) return false;
        if (t != all) { *out = pv_bool(!all); return true; }
    }
    *out = pv_bool(all);
    return true;
}
NATIVE(b_any) { (void)self; return any_all(P, a, false, out); }
NATIVE(b_all) { (void)self; return any_all(P, a, true, out); }

NATIVE(b_dict)
{
    (void)self;
    pydict *d = py_dict_new(P, a->at);
    if (!d) return false;
    if (a->npos > 1) return py_raise(P, a->at, "TypeError", "dict expected at most 1 argument, got %zu", a->npos);
    if (a->npos) {
        if (a->pos[0].kind == PV_DICT) {
            for (size_t i = 0; i < a->pos[0].dict->n; i++)
                if (!py_dict_set(P, d, a->pos[0].dict->keys[i], a->pos[0].dict->vals[i], a->at)) return false;
        } else {
            pyseq *s;
            if (!py_iter_items(P, &a->pos[0], a->at, &s)) return false;
            for (size_t i = 0; i < s->n; i++) {
                const pyval *p = &s->v[i];
                if ((p->kind != PV_TUPLE && p->kind != PV_LIST) || p->seq->n != 2)
                    return py_raise(P, a->at, "ValueError", "dictionary update sequence element #%zu has the wrong length", i);
                if (!py_dict_set(P, d, p->seq->v[0], p->seq->v[1], a->at)) return false;
            }
        }
    }
    for (size_t k = 0; k < a->nkw; k++) {
        pyval key = pv_str(P, a->kwnames[k], a->at);
        if (P->failed || !py_dict_set(P, d, key, a->kw[k], a->at)) return false;
    }
    out->kind = PV_DICT;
    out->dict = d;
    return true;
}

bool py_isinstance_torch(py *P, const pyval *v, const pyval *cls, bool *known);   /* py_nn.c */

static bool is_instance_of(py *P, const pyval *v, const pyval *cls)
{
    if (cls->kind == PV_CLASS) {
        if (v->kind != PV_OBJECT) return false;
        for (pyclass *c = v->obj->cls; c; c = c->base)
            if (c == cls->cls) return true;
        return false;
    }
    if (cls->kind == PV_NATIVE) {
        const char *n = cls->native.nat->name;
        if (!strcmp(n, "int")) return v->kind == PV_INT || v->kind == PV_BOOL;
        if (!strcmp(n, "float")) return v->kind == PV_FLOAT;
        if (!strcmp(n, "bool")) return v->kind == PV_BOOL;
        if (!strcmp(n, "str")) return v->kind == PV_STR;
        if (!strcmp(n, "list")) return v->kind == PV_LIST;
        if (!strcmp(n, "tuple")) return v->kind == PV_TUPLE;
        if (!strcmp(n, "dict")) return v->kind == PV_DICT;
    }
    bool known;
    return py_isinstance_torch(P, v, cls, &known);
}

NATIVE(b_isinstance)
{
    (void)self;
    if (!arity(P, a, "isinstance", 2, 2)) return false;
    const pyval *cls = &a->pos[1];
    bool r = false;
    if (cls->kind == PV_TUPLE) {
        for (size_t i = 0; i < cls->seq->n && !r; i++) r = is_instance_of(P, &a->pos[0], &cls->seq->v[i]);
    } else {
        r = is_instance_of(P, &a->pos[0], cls);
    }
    *out = pv_bool(r);
    return true;
}

static bool attr_name(py *P, const pycall_args *a, const char *fn, const char **name)
{
    if (a->npos < 2 || a->pos[1].kind != PV_STR)
        return py_raise(P, a->at, "TypeError", "%s(): attribute name must be string", fn);
    *name = a->pos[1].s->s;
    return true;
}

NATIVE(b_getattr)
{
    (void)self;
    const char *name = NULL;
    if (a->nkw || a->npos < 2 || a->npos > 3) return py_raise(P, a->at, "TypeError", "getattr expected 2 or 3 arguments");
    if (!attr_name(P, a, "getattr", &name)) return false;
    if (py_getattr(P, &a->pos[0], name, a->at, out)) return true;
    if (a->npos < 3 || strncmp(diag_message(&P->err), "AttributeError", 14)) return false;
    P->failed = false;      /* the default: the AttributeError is caught */
    *out = a->pos[2];
    return true;
}

NATIVE(b_hasattr)
{
    (void)self;
    const char *name = NULL;
    if (!arity(P, a, "hasattr", 2, 2) || !attr_name(P, a, "hasattr", &name)) return false;
    pyval v;
    if (py_getattr(P, &a->pos[0], name, a->at, &v)) { *out = pv_bool(true); return true; }
    if (strncmp(diag_message(&P->err), "AttributeError", 14)) return false;
    P->failed = false;
    *out = pv_bool(false);
    return true;
}

NATIVE(b_setattr)
{
    (void)self;
    const char *name = NULL;
    if (!arity(P, a, "setattr", 3, 3) || !attr_name(P, a, "setattr", &name)) return false;
    *out = pv_none();
    return py_setattr(P, &a->pos[0], name, a->pos[2], a->at);
}

NATIVE(b_super)
{
    (void)self;
    pyframe *f = py_current_frame(P);
    while (f && !f->fn) f = f->up;
    if (a->npos == 2) {
        if (a->pos[0].kind != PV_CLASS || a->pos[1].kind != PV_OBJECT)
            return py_raise(P, a->at, "TypeError", "super() argument 1 must be a type");
        out->kind = PV_SUPER;
        out->super.cls = a->pos[0].cls;
        out->super.obj = a->pos[1].obj;
        return true;
    }
    if (!f || !f->fn->owner || f->self.kind != PV_OBJECT)
        return py_raise(P, a->at, "RuntimeError", "super(): no arguments");
    out->kind = PV_SUPER;
    out->super.cls = f->fn->owner;
    out->super.obj = f->self.obj;
    return true;
}

NATIVE(b_print) { (void)P; (void)self; (void)a; *out = pv_none(); return true; }   /* the library never prints */

NATIVE(b_divmod)
{
    (void)self;
    if (!arity(P, a, "divmod", 2, 2)) return false;
    pyval q, r;
    if (!py_binop(P, PYOP_DSLASH, &a->pos[0], &a->pos[1], false, a->at, &q) ||
        !py_binop(P, PYOP_PERCENT, &a->pos[0], &a->pos[1], false, a->at, &r)) return false;
    pyseq *t = py_seq_new(P, 2, a->at);
    if (!t) return false;
    t->v[t->n++] = q;
    t->v[t->n++] = r;
    return make_seq(P, PV_TUPLE, t, out);
}

/* open, exec, eval, compile, __import__, input: never run; the message
 * says so at the call */
NATIVE(b_refused)
{
    (void)self;
    (void)out;
    const char *name = a->call && a->call->call.func->kind == PYX_NAME ? a->call->call.func->name.id : "this call";
    return py_unsupported(P, a->at, "probe never runs %s(): it reads the model, it does not execute the file; take the call out of the model's code",
                          name);
}

static const pynative builtins[] = {
    { "len", b_len, NULL }, { "range", b_range, NULL }, { "min", b_min, NULL }, { "max", b_max, NULL },
    { "int", b_int, NULL }, { "float", b_float, NULL }, { "bool", b_bool, NULL }, { "str", b_str, NULL },
    { "abs", b_abs, NULL }, { "round", b_round, NULL }, { "sum", b_sum, NULL }, { "zip", b_zip, NULL },
    { "enumerate", b_enumerate, NULL }, { "list", b_list, NULL }, { "tuple", b_tuple, NULL },
    { "reversed", b_reversed, NULL }, { "sorted", b_sorted, NULL }, { "any", b_any, NULL }, { "all", b_all, NULL },
    { "dict", b_dict, NULL }, { "isinstance", b_isinstance, NULL }, { "getattr", b_getattr, NULL },
    { "hasattr", b_hasattr, NULL }, { "setattr", b_setattr, NULL }, { "super", b_super, NULL },
    { "print", b_print, NULL }, { "divmod", b_divmod, NULL },
    { "open", b_refused, NULL }, { "exec", b_refused, NULL }, { "eval", b_refused, NULL },
    { "compile", b_refused, NULL }, { "__import__", b_refused, NULL }, { "input", b_refused, NULL },
    { "globals", b_refused, NULL }, { "locals", b_refused, NULL }, { "vars", b_refused, NULL },
    { "breakpoint", b_refused, NULL },
};

const pynative *py_builtin(const char *name)
{
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        if (!strcmp(builtins[i].name, name)) return &builtins[i];
    return NULL;
}
