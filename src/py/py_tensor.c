/* py_tensor.c - meta tensors in forward(): their attributes (x.shape,
 * x.size(1), x.dim()), their methods (view, reshape, flatten, permute,
 * mean, ...), operators between tensors and numbers, and indexing. Each
 * shape comes from ops/tensor.h, which raises PyTorch's own message; the
 * message is recorded at the call in the file, as PyTorch's traceback
 * points there. */
#include "py/py_torch.h"
#include "ops/tensor.h"
#include "reg/ctx.h"

#include <stdio.h>
#include <string.h>

bool py_tensor_new(py *P, const probe_tensor *t, src_span at, pyval *out)
{
    probe_tensor *copy = py_alloc(P, sizeof *copy, at);
    if (!copy) return false;
    *copy = *t;
    out->kind = PV_TENSOR;
    out->t = copy;
    out->aux = P->flow;
    return true;
}

bool py_flow_join(py *P, const char *kind, const pyval *ins, size_t n, pyval *out)
{
    uint32_t from[FLOW_MAX_INS];
    size_t m = 0;
    for (size_t i = 0; i < n && m < FLOW_MAX_INS; i++)
        if (ins[i].kind == PV_TENSOR && ins[i].aux != FLOW_NONE) from[m++] = ins[i].aux;
    if (m < 2) {
        out->aux = m ? from[0] : FLOW_NONE;
        return true;
    }
    if (!P->res || trace_join(P->res, kind, from, m, out->t, &out->aux)) return true;
    return py_raise(P, (src_span){ 0, 0, 0, 0 }, "MemoryError", "out of memory");
}

bool py_shape_result(py *P, int rc, probe_ctx *cx, src_span at)
{
    if (rc == 0 && cx->kind == PROBE_OK && !cx->overflow) return true;
    const char *msg = cx->message ? cx->message : "the tensor operation failed";
    if (cx->overflow) msg = "a size here does not fit in a signed 64-bit integer: PyTorch could not allocate such a tensor";
    /* __init__ shaping a parameter (self.cls_token.expand(...)): the model
     * cannot be built, whatever the input */
    if (!P->res) return py_raise(P, at, "RuntimeError", "%s", msg);
    probe_status kind = cx->kind == PROBE_OK || cx->kind == PROBE_MISMATCH ? PROBE_ERROR : cx->kind;
    if (P->lib_depth > 0) at = P->module_at;    /* torchvision's block that raised it */
    exec_add_error(P->res, kind, NULL, at, msg);
    P->failed = true;
    P->shape_error = true;
    return false;
}

static void new_ctx(py *P, probe_ctx *cx)
{
    ctx_reset(cx);
    cx->ar = P->res ? &P->res->ar : &P->net->ar;
}

/* ---- arguments ------------------------------------------------------------------ */

static bool int_arg(py *P, const pyval *v, src_span at, const char *what, int64_t *out)
{
    if (py_as_int(v, out)) return true;
    return py_raise(P, at, "TypeError", "%s must be int, not %s", what, py_type_name(v));
}

/* The sizes of view(2, -1), view((2, -1)), view([2, -1]), permute(0, 2, 1). */
static bool int_list(py *P, const pycall_args *a, size_t first, const char *what, int64_t *v, int *n)
{
    const pyval *items = a->pos + first;
    size_t count = a->npos - first;
    if (count == 1 && (items[0].kind == PV_TUPLE || items[0].kind == PV_LIST)) {
        items = items[0].seq->v;
        count = a->pos[first].seq->n;
    }
    if (count > PROBE_MAX_DIMS) return py_raise(P, a->at, "RuntimeError", "probe handles tensors of at most %d dimensions", PROBE_MAX_DIMS);
    for (size_t i = 0; i < count; i++)
        if (!int_arg(P, &items[i], a->at, what, &v[i])) return false;
    *n = (int)count;
    return true;
}

/* A keyword or the positional at pos: the value, or NULL when absent. */
static const pyval *arg_at(const pycall_args *a, size_t pos, const char *kw)
{
    for (size_t k = 0; k < a->nkw; k++)
        if (!strcmp(a->kwnames[k], kw)) return &a->kw[k];
    return pos < a->npos ? &a->pos[pos] : NULL;
}

static bool self_tensor(py *P, const pyval *self, const pycall_args *a, size_t *first, probe_tensor *x)
{
    /* a method: self is the tensor; torch.f(x, ...): the first argument */
    if (self) {
        *first = 0;
        *x = *self->t;
        return true;
    }
    *first = 1;
    if (!a->npos) return py_raise(P, a->at, "TypeError", "missing the input tensor");
    return py_tensor_arg(P, &a->pos[0], a->at, "input", x);
}

static bool done(py *P, int rc, probe_ctx *cx, const probe_tensor *y, src_span at, pyval *out)
{
    return py_shape_result(P, rc, cx, at) && py_tensor_new(P, y, at, out);
}

/* ---- shape methods ----------------------------------------------------------------- */

/* x.view(-1, N) on a batch of 1 that holds k*N values makes a batch of k:
 * PyTorch says nothing, and the loss later fails on the batch size. */
static void batch_warning(py *P, const probe_tensor *x, const probe_tensor *y, src_span at)
{
    /* the library's views (Swin's windows) are torchvision's, not a slip of the file's */
    if (P->lib_depth > 0) return;
    if (x->ndim < 1 || y->ndim < 1 || x->dim[0] != 1 || y->dim[0] == 1) return;
    int64_t per = 1;
    for (int i = 1; i < x->ndim; i++) per = util_sat_mul(per, x->dim[i]);
    char msg[400];
    snprintf(msg, sizeof msg,
             "this view turns the batch of 1 into a batch of %lld: each sample holds %lld values; x.view(x.size(0), -1) or torch.flatten(x, 1) keeps the batch (the next Linear then needs in_features=%lld)",
             (long long)y->dim[0], (long long)per, (long long)per);
    exec_add_warning(P->res, at, "batch_changed", msg);
}

/* The ops that take a list of ints: x.f(2, -1) or x.f((2, -1)). */
typedef int (*sizes_fn)(probe_ctx *cx, const probe_tensor *x, const int64_t *v, int n, probe_tensor *out);

/* x.f(*sizes) for view, reshape, expand and permute; *x is the input. */
static bool sizes_op(py *P, const pyval *self, const pycall_args *a, const char *what, sizes_fn fn, probe_tensor *x,
                     pyval *out)
{
    size_t first;
    probe_tensor y;
    int64_t v[PROBE_MAX_DIMS];
    int n = 0;
    if (!self_tensor(P, self, a, &first, x) || !int_list(P, a, first, what, v, &n)) return false;
    /* x.view(-1) and x.view(x.size(0), -1) hold at every input size;
     * x.view(-1, 400) only where the sizes multiply to a multiple of 400,
     * which the size search must know (result.h) */
    bool flat = (n == 1 && v[0] == -1) || (n == 2 && v[1] == -1);
    if (P->res && (fn == tensor_view || fn == tensor_reshape) && !flat) P->res->size_checked = true;
    probe_ctx cx;
    new_ctx(P, &cx);
    return done(P, fn(&cx, x, v, n, &y), &cx, &y, a->at, out);
}

static bool view_like(py *P, const pyval *self, const pycall_args *a, sizes_fn fn, pyval *out)
{
    probe_tensor x;
    if (!sizes_op(P, self, a, "size", fn, &x, out)) return false;
    batch_warning(P, &x, out->t, a->at);
    return true;
}
NATIVE(t_view) { return view_like(P, self, a, tensor_view, out); }
NATIVE(t_reshape) { return view_like(P, self, a, tensor_reshape, out); }

NATIVE(t_expand)
{
    probe_tensor x;
    return sizes_op(P, self, a, "size", tensor_expand, &x, out);
}

NATIVE(t_flatten)
{
    size_t first;
    probe_tensor x, y;
    if (!self_tensor(P, self, a, &first, &x)) return false;
    int64_t start = 0, end = -1;
    const pyval *s = arg_at(a, first, "start_dim"), *e = arg_at(a, first + 1, "end_dim");
    if ((s && !int_arg(P, s, a->at, "start_dim", &start)) || (e && !int_arg(P, e, a->at, "end_dim", &end))) return false;
    probe_ctx cx;
    new_ctx(P, &cx);
    return done(P, tensor_flatten(&cx, &x, start, end, &y), &cx, &y, a->at, out);
}

NATIVE(t_permute)
{
    probe_tensor x;
    return sizes_op(P, self, a, "dims", tensor_permute, &x, out);
}

NATIVE(t_transpose)
{
    size_t first;
    probe_tensor x, y;
    int64_t d0, d1;
    if (!self_tensor(P, self, a, &first, &x)) return false;
    const pyval *v0 = arg_at(a, first, "dim0"), *v1 = arg_at(a, first + 1, "dim1");
    if (!v0 || !v1) return py_raise(P, a->at, "TypeError", "transpose() needs two dims");
    if (!int_arg(P, v0, a->at, "dim0", &d0) || !int_arg(P, v1, a->at, "dim1", &d1)) return false;
    probe_ctx cx;
    new_ctx(P, &cx);
    return done(P, tensor_transpose(&cx, &x, d0, d1, &y), &cx, &y, a->at, out);
}

NATIVE(t_t)
{
    size_t first;
    probe_tensor x, y;
    if (!self_tensor(P, self, a, &first, &x)) return false;
    probe_ctx cx;
    new_ctx(P, &cx);
    return done(P, tensor_t(&cx, &x, &y), &cx, &y, a->at, out);
}

static bool one_dim(py *P, const pyval *self, const pycall_args *a, int which, pyval *out)
{
    size_t first;
    probe_tensor x, y;
    if (!self_tensor(P, self, a, &first, &x)) return false;
    int64_t dim = PROBE_NONE;
    const pyval *d = arg_at(a, first, "dim");
    if (d && d->kind != PV_NONE && !int_arg(P, d, a->at, "dim", &dim)) return false;
    if (which == 1 && dim == PROBE_NONE) return py_raise(P, a->at, "TypeError", "unsqueeze() missing required argument 'dim'");
    probe_ctx cx;
    new_ctx(P, &cx);
    int rc = which == 0 ? tensor_squeeze(&cx, &x, dim, &y) : which == 1 ? tensor_unsqueeze(&cx, &x, dim, &y)
                                                                      : tensor_softmax(&cx, &x, dim, &y);
    return done(P, rc, &cx, &y, a->at, out);
}
NATIVE(t_squeeze) { return one_dim(P, self, a, 0, out); }
NATIVE(t_unsqueeze) { return one_dim(P, self, a, 1, out); }
NATIVE(t_softmax) { return one_dim(P, self, a, 2, out); }

/* x.mean(), x.mean(1), x.mean([2, 3], keepdim=True), x.sum(dim=(2, 3)) */
static bool reduce(py *P, const pyval *self, const pycall_args *a, const char *name, pyval *out)
{
    size_t first;
    probe_tensor x, y;
    if (!self_tensor(P, self, a, &first, &x)) return false;
    const pyval *d = arg_at(a, first, "dim"), *k = arg_at(a, first + 1, "keepdim");
    int64_t dims[PROBE_MAX_DIMS];
    int n = 0;
    bool keep = false, have = d && d->kind != PV_NONE;
    if (have && (d->kind == PV_TUPLE || d->kind == PV_LIST)) {
        if (d->seq->n > PROBE_MAX_DIMS) return py_raise(P, a->at, "IndexError", "too many dims");
        for (size_t i = 0; i < d->seq->n; i++)
            if (!int_arg(P, &d->seq->v[i], a->at, "dim", &dims[n++])) return false;
    } else if (have && !int_arg(P, d, a->at, "dim", &dims[n++])) {
        return false;
    }
    if (k && !py_truth(P, k, a->at, &keep)) return false;
    probe_ctx cx;
    new_ctx(P, &cx);
    if (!done(P, tensor_reduce(&cx, name, &x, have ? dims : NULL, n, keep, &y), &cx, &y, a->at, out)) return false;
    /* x.max(1) gives (values, indices) */
    bool pair = have && d->kind != PV_TUPLE && d->kind != PV_LIST && (!strcmp(name, "max") || !strcmp(name, "min"));
    if (!pair) return true;
    pyseq *s = py_seq_new(P, 2, a->at);
    if (!s) return false;
    s->v[s->n++] = *out;
    s->v[s->n++] = *out;
    out->kind = PV_TUPLE;
    out->seq = s;
    return true;
}
NATIVE(t_mean) { return reduce(P, self, a, "mean", out); }
NATIVE(t_sum) { return reduce(P, self, a, "sum", out); }
NATIVE(t_amax) { return reduce(P, self, a, "amax", out); }
NATIVE(t_amin) { return reduce(P, self, a, "amin", out); }
NATIVE(t_std) { return reduce(P, self, a, "std", out); }
NATIVE(t_var) { return reduce(P, self, a, "var", out); }
NATIVE(t_argmax) { return reduce(P, self, a, "argmax", out); }

/* x.max() / x.max(1) / torch.max(a, b) */
static bool max_min(py *P, const pyval *self, const pycall_args *a, bool is_max, pyval *out)
{
    size_t first = self ? 0 : 1;
    if (a->npos > first && a->pos[first].kind == PV_TENSOR) {
        pyval x = self ? *self : a->pos[0];
        return py_tensor_binop(P, PYOP_PLUS, &x, &a->pos[first], false, a->at, out);
    }
    return reduce(P, self, a, is_max ? "max" : "min", out);
}
NATIVE(t_max) { return max_min(P, self, a, true, out); }
NATIVE(t_min) { return max_min(P, self, a, false, out); }

/* x.size() is a torch.Size (a tuple); x.size(1) an int */
static bool shape_tuple(py *P, const probe_tensor *x, src_span at, pyval *out)
{
    pyseq *s = py_seq_new(P, (size_t)x->ndim, at);
    if (!s) return false;
    for (int i = 0; i < x->ndim; i++) s->v[s->n++] = pv_int(x->dim[i]);
    out->kind = PV_TUPLE;
    out->seq = s;
    return true;
}

NATIVE(t_size)
{
    size_t first;
    probe_tensor x;
    if (!self_tensor(P, self, a, &first, &x)) return false;
    const pyval *d = arg_at(a, first, "dim");
    if (!d) return shape_tuple(P, &x, a->at, out);
    int64_t dim;
    int w;
    if (!int_arg(P, d, a->at, "dim", &dim)) return false;
    probe_ctx cx;
    new_ctx(P, &cx);
    if (!py_shape_result(P, probe_wrap_dim(&cx, dim, x.ndim, &w), &cx, a->at)) return false;
    *out = pv_int(x.dim[w]);
    return true;
}

/* x.chunk(chunks, dim=0), torch.chunk(x, ...): a tuple of pieces of
 * ceil(size / chunks) along dim, the last one what remains (ATen's chunk
 * over split); fewer than chunks when the size runs out. */
NATIVE(t_chunk)
{
    size_t first;
    probe_tensor x;
    if (!self_tensor(P, self, a, &first, &x)) return false;
    const pyval *c = arg_at(a, first, "chunks"), *d = arg_at(a, first + 1, "dim");
    int64_t chunks, dim = 0;
    int w;
    if (!c) return py_raise(P, a->at, "TypeError", "chunk() missing required argument 'chunks'");
    if (!int_arg(P, c, a->at, "chunks", &chunks) || (d && !int_arg(P, d, a->at, "dim", &dim))) return false;
    probe_ctx cx;
    new_ctx(P, &cx);
    int rc = x.ndim == 0 ? probe_raise(&cx, PROBE_ERROR, NULL, "chunk expects at least a 1-dimensional tensor")
           : chunks <= 0 ? probe_raise(&cx, PROBE_ERROR, NULL, "chunk expects `chunks` to be greater than 0, got: %lld",
                                       (long long)chunks)
           : probe_wrap_dim(&cx, dim, x.ndim, &w);
    if (!py_shape_result(P, rc, &cx, a->at)) return false;
    int64_t size = x.dim[w], step = size / chunks + (size % chunks != 0);
    int64_t n = step ? size / step + (size % step != 0) : chunks;   /* a size of 0: chunks empty pieces */
    pyseq *s = py_seq_new(P, (size_t)n, a->at);
    if (!s) return false;
    for (int64_t i = 0; i < n; i++) {
        probe_tensor piece = x;
        piece.dim[w] = step && i == n - 1 ? size - step * (n - 1) : step;
        if (!py_tensor_new(P, &piece, a->at, &s->v[s->n++])) return false;
    }
    out->kind = PV_TUPLE;
    out->seq = s;
    return true;
}

NATIVE(t_dim) { (void)a; *out = pv_int(self ? self->t->ndim : 0); return P != NULL; }

NATIVE(t_numel)
{
    (void)a;
    int64_t n = 1;
    for (int i = 0; i < self->t->ndim; i++)
        if (!util_mul(n, self->t->dim[i], &n)) return py_raise(P, a->at, "OverflowError", "numel() does not fit in 64 bits");
    *out = pv_int(n);
    return true;
}

/* x.relu(), x.contiguous(), x.float(), x.to(device): the same shape */
NATIVE(t_same)
{
    size_t first;
    probe_tensor x;
    if (!self_tensor(P, self, a, &first, &x)) return false;
    return py_tensor_new(P, &x, a->at, out);
}

NATIVE(t_needs_data)
{
    (void)self;
    (void)out;
    return py_unsupported(P, a->at, "this needs the tensor's values: probe has shapes, not data");
}

static bool binop_method(py *P, const pyval *self, const pycall_args *a, pyop op, bool inplace, pyval *out)
{
    size_t first = self ? 0 : 1;
    pyval x = self ? *self : a->npos ? a->pos[0] : pv_none();
    const pyval *other = arg_at(a, first, "other");
    if (!other || (!self && !a->npos)) return py_raise(P, a->at, "TypeError", "missing the other operand");
    return py_tensor_binop(P, op, &x, other, inplace, a->at, out);
}
NATIVE(t_add) { return binop_method(P, self, a, PYOP_PLUS, false, out); }
NATIVE(t_add_) { return binop_method(P, self, a, PYOP_PLUS, true, out); }
NATIVE(t_sub) { return binop_method(P, self, a, PYOP_MINUS, false, out); }
NATIVE(t_mul) { return binop_method(P, self, a, PYOP_STAR, false, out); }
NATIVE(t_mul_) { return binop_method(P, self, a, PYOP_STAR, true, out); }
NATIVE(t_div) { return binop_method(P, self, a, PYOP_SLASH, false, out); }
NATIVE(t_matmul) { return binop_method(P, self, a, PYOP_AT, false, out); }

NATIVE(t_expand_as)
{
    (void)self;
    if (a->npos != 1) return py_raise(P, a->at, "TypeError", "expand_as() takes one tensor");
    probe_tensor o;
    if (!py_tensor_arg(P, &a->pos[0], a->at, "other", &o)) return false;
    pyval other;
    if (!py_tensor_new(P, &o, a->at, &other)) return false;
    return py_tensor_binop(P, PYOP_PLUS, self, &other, false, a->at, out);
}

static const pynative tensor_methods[] = {
    { "view", t_view, NULL }, { "reshape", t_reshape, NULL }, { "flatten", t_flatten, NULL },
    { "expand", t_expand, NULL }, { "chunk", t_chunk, NULL },
    { "permute", t_permute, NULL }, { "transpose", t_transpose, NULL }, { "swapaxes", t_transpose, NULL },
    { "t", t_t, NULL }, { "squeeze", t_squeeze, NULL }, { "unsqueeze", t_unsqueeze, NULL },
    { "softmax", t_softmax, NULL }, { "log_softmax", t_softmax, NULL },
    { "mean", t_mean, NULL }, { "sum", t_sum, NULL }, { "amax", t_amax, NULL }, { "amin", t_amin, NULL },
    { "std", t_std, NULL }, { "var", t_var, NULL }, { "argmax", t_argmax, NULL },
    { "max", t_max, NULL }, { "min", t_min, NULL },
    { "size", t_size, NULL }, { "dim", t_dim, NULL }, { "ndimension", t_dim, NULL }, { "numel", t_numel, NULL },
    { "contiguous", t_same, NULL }, { "clone", t_same, NULL }, { "detach", t_same, NULL }, { "float", t_same, NULL },
    { "double", t_same, NULL }, { "half", t_same, NULL }, { "to", t_same, NULL }, { "cuda", t_same, NULL },
    { "cpu", t_same, NULL }, { "type_as", t_same, NULL }, { "requires_grad_", t_same, NULL },
    { "relu", t_same, NULL }, { "relu_", t_same, NULL }, { "sigmoid", t_same, NULL }, { "tanh", t_same, NULL },
    { "exp", t_same, NULL }, { "log", t_same, NULL }, { "abs", t_same, NULL }, { "neg", t_same, NULL },
    { "sqrt", t_same, NULL }, { "pow", t_same, NULL }, { "clamp", t_same, NULL }, { "clamp_", t_same, NULL },
    { "sign", t_same, NULL }, { "sin", t_same, NULL }, { "cos", t_same, NULL }, { "pow_", t_same, NULL },
    { "add", t_add, NULL }, { "add_", t_add_, NULL }, { "sub", t_sub, NULL }, { "mul", t_mul, NULL },
    { "mul_", t_mul_, NULL }, { "div", t_div, NULL }, { "matmul", t_matmul, NULL }, { "mm", t_matmul, NULL },
    { "bmm", t_matmul, NULL }, { "expand_as", t_expand_as, NULL },
    { "item", t_needs_data, NULL }, { "tolist", t_needs_data, NULL }, { "numpy", t_needs_data, NULL },
    { "nonzero", t_needs_data, NULL },
};

const pynative *py_tensor_method(const char *name)
{
    for (size_t i = 0; i < sizeof tensor_methods / sizeof tensor_methods[0]; i++)
        if (!strcmp(tensor_methods[i].name, name)) return &tensor_methods[i];
    return NULL;
}

bool py_tensor_attr(py *P, const pyval *t, const char *name, src_span at, pyval *out, bool *found)
{
    *found = true;
    if (!strcmp(name, "shape")) return shape_tuple(P, t->t, at, out);
    if (!strcmp(name, "ndim")) { *out = pv_int(t->t->ndim); return true; }
    if (!strcmp(name, "data")) { *out = *t; return true; }
    if (!strcmp(name, "device") || !strcmp(name, "dtype")) { *out = pv_none(); return true; }
    if (!strcmp(name, "T")) {
        pycall_args none = { NULL, 0, NULL, NULL, 0, at, NULL };
        return t_t(P, t, &none, out);
    }
    const pynative *m = py_tensor_method(name);
    *found = m != NULL;
    return !m || pv_native_bound(P, m, t, at, out);
}

/* ---- operators ---------------------------------------------------------------------- */

bool py_tensor_binop(py *P, pyop op, const pyval *a, const pyval *b, bool inplace, src_span at, pyval *out)
{
    bool num_a = a->kind == PV_INT || a->kind == PV_FLOAT || a->kind == PV_BOOL;
    bool num_b = b->kind == PV_INT || b->kind == PV_FLOAT || b->kind == PV_BOOL;
    if ((a->kind != PV_TENSOR && !num_a) || (b->kind != PV_TENSOR && !num_b))
        return py_raise(P, at, "TypeError", "unsupported operand type(s) for %s: '%s' and '%s'", pylex_op_text(op),
                        py_type_name(a), py_type_name(b));
    static const probe_tensor scalar = { 0, { 0 } };
    const probe_tensor *x = a->kind == PV_TENSOR ? a->t : &scalar, *y = b->kind == PV_TENSOR ? b->t : &scalar;
    if (op == PYOP_AT && (num_a || num_b))
        return py_raise(P, at, "RuntimeError", "both arguments to matmul need to be at least 1D, but they are %dD and %dD",
                        x->ndim, y->ndim);
    probe_ctx cx;
    new_ctx(P, &cx);
    probe_tensor r;
    if (P->res) P->res->flow_in = a->kind == PV_TENSOR ? a->aux : b->aux;  /* where a failure is drawn */
    int rc = op == PYOP_AT ? tensor_matmul(&cx, x, y, &r) : tensor_broadcast(&cx, x, y, inplace && a->kind == PV_TENSOR, &r);
    static const char *const kinds[] = { [PYOP_PLUS] = "add", [PYOP_MINUS] = "sub", [PYOP_STAR] = "mul",
                                         [PYOP_SLASH] = "div", [PYOP_AT] = "matmul" };
    const char *kind = (size_t)op < sizeof kinds / sizeof kinds[0] && kinds[op] ? kinds[op] : "op";
    pyval ins[2] = { *a, *b };
    return done(P, rc, &cx, &r, at, out) && py_flow_join(P, kind, ins, 2, out);
}

/* ---- indexing ------------------------------------------------------------------------ */

static bool index_item(py *P, const pyval *v, src_span at, tensor_index_item *it)
{
    memset(it, 0, sizeof *it);
    switch (v->kind) {
    case PV_NONE: it->kind = TENSOR_INDEX_NONE; return true;
    case PV_ELLIPSIS: it->kind = TENSOR_INDEX_ELLIPSIS; return true;
    case PV_INT: case PV_BOOL: it->kind = TENSOR_INDEX_INT; it->i = v->kind == PV_INT ? v->i : v->b; return true;
    case PV_SLICE: {
        it->kind = TENSOR_INDEX_SLICE;
        int64_t *parts[3] = { &it->lo, &it->hi, &it->step };
        for (int k = 0; k < 3; k++) {
            const pyval *p = &v->slice.parts->v[k];
            *parts[k] = PROBE_NONE;
            if (p->kind != PV_NONE && !int_arg(P, p, at, "slice indices", parts[k])) return false;
        }
        return true;
    }
    default:
        return py_unsupported(P, at, "indexing a tensor with a %s needs its values: probe has shapes, not data", py_type_name(v));
    }
}

bool py_tensor_subscript(py *P, const pyval *t, const pyval *index, src_span at, pyval *out)
{
    tensor_index_item items[2 * PROBE_MAX_DIMS];
    int n = 0;
    bool tuple = index->kind == PV_TUPLE;
    const pyval *v = tuple ? index->seq->v : index;
    size_t count = tuple ? index->seq->n : 1;
    if (count > sizeof items / sizeof items[0]) return py_raise(P, at, "IndexError", "too many indices for tensor of dimension %d", t->t->ndim);
    for (size_t i = 0; i < count; i++)
        if (!index_item(P, &v[i], at, &items[n++])) return false;
    probe_ctx cx;
    new_ctx(P, &cx);
    probe_tensor y;
    if (!done(P, tensor_index(&cx, t->t, items, n, tuple, &y), &cx, &y, at, out)) return false;
    out->aux = t->aux;
    return true;
}
