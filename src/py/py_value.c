/* py_value.c - the evaluator's values: memory counted against the
 * limits, strings, lists and dicts, equality, repr, type names, and the
 * errors every stage of the evaluator raises. */
#include "py/py_interp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- errors -------------------------------------------------------------- */

static bool raise_v(py *P, src_span at, probe_status kind, const char *cls, const char *fmt, va_list ap)
{
    if (P->failed) return false;
    if (P->lib_depth > 0) at = P->module_at;    /* the library's spans are not the file's */
    P->failed = true;
    P->err_kind = kind;
    char msg[600];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (cls) diag_set(&P->err, P->err_ar, at, kind, NULL, "%s: %s", cls, msg);
    else diag_set(&P->err, P->err_ar, at, kind, NULL, "%s", msg);
    return false;
}

bool py_raise(py *P, src_span at, const char *cls, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    raise_v(P, at, PROBE_INVALID, cls, fmt, ap);
    va_end(ap);
    return false;
}

bool py_unsupported(py *P, src_span at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    raise_v(P, at, PROBE_INVALID, NULL, fmt, ap);
    va_end(ap);
    return false;
}

bool py_step(py *P, src_span at)
{
    if (++P->steps <= PY_MAX_STEPS) return true;
    return py_raise(P, at, "RuntimeError",
                    "the model file runs more than %d steps here: an endless loop? (probe's limit on one evaluation)",
                    PY_MAX_STEPS);
}

/* ---- memory -------------------------------------------------------------- */

void *py_alloc(py *P, size_t size, src_span at)
{
    if (P->failed) return NULL;
    if (size > PY_MAX_BYTES || P->bytes + size > PY_MAX_BYTES) {
        py_raise(P, at, "MemoryError", "the model file makes more than %u MiB of values here (probe's limit)",
                 PY_MAX_BYTES >> 20);
        return NULL;
    }
    P->bytes += size;
    void *p = arena_alloc(P->ar, size);
    if (!p) py_raise(P, at, "MemoryError", "out of memory");
    return p;
}

pystr *py_str_new(py *P, const char *s, size_t n, src_span at)
{
    if (n > PY_MAX_ITEMS)
        return py_raise(P, at, "MemoryError", "a string of %zu characters: probe's limit is %d", n, PY_MAX_ITEMS), NULL;
    pystr *r = py_alloc(P, sizeof *r + n + 1, at);
    if (!r) return NULL;
    r->n = n;
    if (n) memcpy(r->s, s, n);
    r->s[n] = '\0';
    return r;
}

pyval pv_str(py *P, const char *s, src_span at)
{
    pyval v = { .kind = PV_STR };
    v.s = py_str_new(P, s, strlen(s), at);
    if (!v.s) v.kind = PV_NONE;
    return v;
}

pyval pv_native(const pynative *nat)
{
    pyval v = { .kind = PV_NATIVE };
    v.native.nat = nat;
    return v;
}

bool pv_native_bound(py *P, const pynative *nat, const pyval *self, src_span at, pyval *out)
{
    pyboxed *box = py_alloc(P, sizeof *box, at);
    if (!box) return false;
    box->v[0] = *self;
    *out = pv_native(nat);
    out->aux = 1;
    out->native.self = box;
    return true;
}

pyseq *py_seq_new(py *P, size_t cap, src_span at)
{
    pyseq *s = py_alloc(P, sizeof *s, at);
    if (!s) return NULL;
    s->frozen = P->building;    /* made by __init__: no run may change it */
    if (cap > PY_MAX_ITEMS)
        return py_raise(P, at, "MemoryError", "a list of %zu items: probe's limit is %d", cap, PY_MAX_ITEMS), NULL;
    if (cap && !(s->v = py_alloc(P, cap * sizeof *s->v, at))) return NULL;
    s->cap = cap;
    return s;
}

static bool grow(py *P, void **items, size_t *cap, size_t need, size_t size, src_span at)
{
    if (need <= *cap) return true;
    if (need > PY_MAX_ITEMS)
        return py_raise(P, at, "MemoryError", "more than %d items in one list or dict: probe's limit", PY_MAX_ITEMS);
    size_t ncap = *cap ? *cap * 2 : 4;
    while (ncap < need) ncap *= 2;
    void *p = py_alloc(P, ncap * size, at);
    if (!p) return false;
    if (*cap) memcpy(p, *items, *cap * size);
    *items = p;
    *cap = ncap;
    return true;
}

bool py_seq_push(py *P, pyseq *s, pyval v, src_span at)
{
    if (!grow(P, (void **)&s->v, &s->cap, s->n + 1, sizeof *s->v, at)) return false;
    s->v[s->n++] = v;
    return true;
}

pydict *py_dict_new(py *P, src_span at)
{
    pydict *d = py_alloc(P, sizeof *d, at);
    if (d) d->frozen = P->building;     /* made by __init__: no run may change it */
    return d;
}

pyval *py_dict_get(const pydict *d, const pyval *key)
{
    for (size_t i = 0; i < d->n; i++)
        if (py_equal(&d->keys[i], key)) return &d->vals[i];
    return NULL;
}

pyval *py_attrs_get(const pydict *d, const char *name)
{
    for (size_t i = d->n; i-- > 0;)
        if (d->keys[i].kind == PV_STR && !strcmp(d->keys[i].s->s, name)) return &d->vals[i];
    return NULL;
}

bool py_dict_set(py *P, pydict *d, pyval key, pyval v, src_span at)
{
    pyval *have = py_dict_get(d, &key);
    if (have) {
        *have = v;
        return true;
    }
    size_t kcap = d->cap;
    if (!grow(P, (void **)&d->keys, &kcap, d->n + 1, sizeof *d->keys, at)) return false;
    if (!grow(P, (void **)&d->vals, &d->cap, d->n + 1, sizeof *d->vals, at)) return false;
    d->keys[d->n] = key;
    d->vals[d->n++] = v;
    return true;
}

/* ---- what values are ----------------------------------------------------- */

const char *py_type_name(const pyval *v)
{
    switch (v->kind) {
    case PV_NONE: return "NoneType";
    case PV_BOOL: return "bool";
    case PV_INT: return "int";
    case PV_FLOAT: return "float";
    case PV_STR: return "str";
    case PV_ELLIPSIS: return "ellipsis";
    case PV_TUPLE: return "tuple";
    case PV_LIST: return "list";
    case PV_DICT: return "dict";
    case PV_SLICE: return "slice";
    case PV_RANGE: return "range";
    case PV_FUNC: return "function";
    case PV_METHOD: return "method";
    case PV_CLASS: return "type";
    case PV_OBJECT: return v->obj->cls->name;
    case PV_NATIVE: return "builtin_function_or_method";
    case PV_NS: return "module";
    case PV_NNCLASS: return "type";
    case PV_LAYER: return "Module";
    case PV_SEQ:
        return v->mod->kind == PM_MODULELIST ? "ModuleList" : v->mod->kind == PM_MODULEDICT ? "ModuleDict" : "Sequential";
    case PV_TENSOR: return "Tensor";
    case PV_SUPER: return "super";
    default: return "object";
    }
}

bool py_as_int(const pyval *v, int64_t *out)
{
    if (v->kind == PV_INT) *out = v->i;
    else if (v->kind == PV_BOOL) *out = v->b;
    else return false;
    return true;
}

bool py_is_module(const pyval *v)
{
    return v->kind == PV_LAYER || v->kind == PV_SEQ || (v->kind == PV_OBJECT && v->obj->container);
}

/* Lists nested deeper than this compare unequal: a loop of `y = [y]`
 * nests a million deep, and == must not overflow the stack on it
 * (CPython raises RecursionError there). */
#define EQUAL_DEPTH 1000

static bool equal_at(const pyval *a, const pyval *b, int depth);

static bool seq_equal(const pyseq *a, const pyseq *b, int depth)
{
    /* the same list: equal item by item, as Python's identity shortcut
     * says, also for a list that holds itself (y.append(y)) */
    if (a == b) return true;
    if (a->n != b->n || depth > EQUAL_DEPTH) return false;
    for (size_t i = 0; i < a->n; i++)
        if (!equal_at(&a->v[i], &b->v[i], depth + 1)) return false;
    return true;
}

bool py_equal(const pyval *a, const pyval *b)
{
    return equal_at(a, b, 0);
}

static bool equal_at(const pyval *a, const pyval *b, int depth)
{
    bool an = a->kind == PV_INT || a->kind == PV_BOOL || a->kind == PV_FLOAT;
    bool bn = b->kind == PV_INT || b->kind == PV_BOOL || b->kind == PV_FLOAT;
    if (an && bn) {
        if (a->kind == PV_FLOAT || b->kind == PV_FLOAT) {
            double x = a->kind == PV_FLOAT ? a->f : (double)(a->kind == PV_INT ? a->i : a->b);
            double y = b->kind == PV_FLOAT ? b->f : (double)(b->kind == PV_INT ? b->i : b->b);
            return x == y;
        }
        int64_t x = a->kind == PV_INT ? a->i : a->b, y = b->kind == PV_INT ? b->i : b->b;
        return x == y;
    }
    if (a->kind != b->kind) return false;
    switch (a->kind) {
    case PV_NONE: case PV_ELLIPSIS: return true;
    case PV_STR: return a->s->n == b->s->n && !memcmp(a->s->s, b->s->s, a->s->n);
    case PV_TUPLE: case PV_LIST: return seq_equal(a->seq, b->seq, depth);
    case PV_RANGE: return a->range.lo == b->range.lo && a->range.hi == b->range.hi && a->range.step == b->range.step;
    case PV_CLASS: return a->cls == b->cls;
    case PV_OBJECT: return a->obj == b->obj;
    case PV_LAYER: case PV_SEQ: return a->mod == b->mod;
    case PV_NNCLASS: return a->op == b->op;
    case PV_FUNC: return a->fn == b->fn;
    case PV_NATIVE: return a->native.nat == b->native.nat && a->native.self == b->native.self;
    case PV_NS: return a->ns == b->ns;
    case PV_TENSOR: return a->t == b->t;
    case PV_DICT: return a->dict == b->dict;
    default: return false;
    }
}

static void repr_float(double f, sb *out)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%.17g", f);
    /* Python's repr: the shortest text that reads back */
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, f);
        if (strtod(buf, NULL) == f) break;
    }
    sb_puts(out, buf);
    if (!strpbrk(buf, ".eni")) sb_puts(out, ".0");
}

static void repr_seq(const pyseq *s, const char *open, const char *close, bool tuple, sb *out)
{
    sb_puts(out, open);
    for (size_t i = 0; i < s->n && out->len < 400; i++) {
        if (i) sb_puts(out, ", ");
        py_repr(&s->v[i], out);
    }
    if (tuple && s->n == 1) sb_putc(out, ',');
    sb_puts(out, close);
}

void py_repr(const pyval *v, sb *out)
{
    switch (v->kind) {
    case PV_NONE: sb_puts(out, "None"); break;
    case PV_BOOL: sb_puts(out, v->b ? "True" : "False"); break;
    case PV_INT: sb_printf(out, "%lld", (long long)v->i); break;
    case PV_FLOAT: repr_float(v->f, out); break;
    case PV_STR: sb_printf(out, "'%.*s'", (int)(v->s->n > 200 ? 200 : v->s->n), v->s->s); break;
    case PV_ELLIPSIS: sb_puts(out, "Ellipsis"); break;
    case PV_TUPLE: repr_seq(v->seq, "(", ")", true, out); break;
    case PV_LIST: repr_seq(v->seq, "[", "]", false, out); break;
    case PV_TENSOR:
        sb_puts(out, "tensor(..., size=");
        sb_put_dims(out, v->t->dim, v->t->ndim);
        sb_putc(out, ')');
        break;
    case PV_CLASS: sb_printf(out, "<class '%s'>", v->cls->name); break;
    case PV_NNCLASS: sb_printf(out, "<class 'torch.nn.%s'>", v->op->name); break;
    case PV_FUNC: sb_printf(out, "<function %s>", v->fn->name); break;
    default: sb_printf(out, "<%s object>", py_type_name(v)); break;
    }
}
