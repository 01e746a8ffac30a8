/* py_functional.c - torch.nn.functional and torch.* in forward(). A
 * functional that has a torch.nn layer of the same computation
 * (F.max_pool2d and nn.MaxPool2d call one ATen function, and raise the
 * same messages) is bound to that layer's schema and run through
 * run_call() as a layer of this run; the rest are tensor shape functions
 * (ops/tensor.h). */
#include "py/py_torch.h"
#include "ops/tensor.h"
#include "ops/ops.h"
#include "reg/ctx.h"

#include <string.h>

const pynative *py_tensor_method(const char *name);     /* py_tensor.c */

/* A functional and the layer it runs as: its keywords that the layer's
 * constructor does not take (they change values, not shapes) are
 * dropped. */
typedef struct functional {
    const char *name;       /* F.name / torch.name */
    const char *layer;      /* the torch.nn layer */
    const char *drop[3];
} functional;

static const functional functionals[] = {
    { "relu", "ReLU", { 0 } }, { "relu_", "ReLU", { 0 } }, { "relu6", "ReLU6", { 0 } }, { "elu", "ELU", { 0 } },
    { "selu", "SELU", { 0 } }, { "celu", "CELU", { 0 } }, { "gelu", "GELU", { 0 } }, { "silu", "SiLU", { 0 } },
    { "mish", "Mish", { 0 } }, { "leaky_relu", "LeakyReLU", { 0 } }, { "hardswish", "Hardswish", { 0 } },
    { "hardsigmoid", "Hardsigmoid", { 0 } }, { "hardtanh", "Hardtanh", { 0 } }, { "sigmoid", "Sigmoid", { 0 } },
    { "tanh", "Tanh", { 0 } }, { "softplus", "Softplus", { 0 } }, { "logsigmoid", "LogSigmoid", { 0 } },
    { "softsign", "Softsign", { 0 } }, { "tanhshrink", "Tanhshrink", { 0 } }, { "hardshrink", "Hardshrink", { 0 } },
    { "softshrink", "Softshrink", { 0 } }, { "threshold", "Threshold", { 0 } },
    { "dropout", "Dropout", { "training", 0 } }, { "dropout2d", "Dropout2d", { "training", 0 } },
    { "alpha_dropout", "AlphaDropout", { "training", 0 } },
    { "feature_alpha_dropout", "FeatureAlphaDropout", { "training", 0 } },
    { "max_pool2d", "MaxPool2d", { 0 } }, { "avg_pool2d", "AvgPool2d", { 0 } }, { "lp_pool2d", "LPPool2d", { 0 } },
    { "adaptive_avg_pool2d", "AdaptiveAvgPool2d", { 0 } }, { "adaptive_max_pool2d", "AdaptiveMaxPool2d", { 0 } },
    { "dropout1d", "Dropout1d", { "training", 0 } }, { "dropout3d", "Dropout3d", { "training", 0 } },
    { "max_pool1d", "MaxPool1d", { 0 } }, { "max_pool3d", "MaxPool3d", { 0 } },
    { "avg_pool1d", "AvgPool1d", { 0 } }, { "avg_pool3d", "AvgPool3d", { 0 } }, { "lp_pool1d", "LPPool1d", { 0 } },
    { "adaptive_avg_pool1d", "AdaptiveAvgPool1d", { 0 } }, { "adaptive_avg_pool3d", "AdaptiveAvgPool3d", { 0 } },
    { "adaptive_max_pool1d", "AdaptiveMaxPool1d", { 0 } }, { "adaptive_max_pool3d", "AdaptiveMaxPool3d", { 0 } },
    { "interpolate", "Upsample", { "antialias", 0 } }, { "upsample", "Upsample", { 0 } },
    { "upsample_nearest", "UpsamplingNearest2d", { 0 } }, { "upsample_bilinear", "UpsamplingBilinear2d", { 0 } },
    { "softmax", "Softmax", { "_stacklevel", "dtype", 0 } }, { "log_softmax", "LogSoftmax", { "_stacklevel", "dtype", 0 } },
    { "softmin", "Softmin", { "_stacklevel", "dtype", 0 } },
    { "pixel_shuffle", "PixelShuffle", { 0 } }, { "pixel_unshuffle", "PixelUnshuffle", { 0 } },
    { "local_response_norm", "LocalResponseNorm", { 0 } },
};

static bool dropped(const functional *fn, const char *kw)
{
    for (int i = 0; i < 3 && fn->drop[i]; i++)
        if (!strcmp(fn->drop[i], kw)) return true;
    return false;
}

/* F.max_pool2d(x, 2): the arguments after the input, bound to
 * MaxPool2d's schema; the call runs as a layer of this run. */
static bool run_functional(py *P, const functional *fn, const pycall_args *a, pyval *out)
{
    const op *o = reg_find(P->reg, fn->layer);
    if (!o) return py_unsupported(P, a->at, "probe does not know %s", fn->layer);
    probe_tensor x;
    if (!a->npos) return py_raise(P, a->at, "TypeError", "%s() missing 1 required positional argument: 'input'", fn->name);
    if (!py_tensor_arg(P, &a->pos[0], a->at, fn->name, &x)) return false;
    pycall_args kept = *a;
    const char **names = py_alloc(P, (a->nkw + 1) * sizeof *names, a->at);
    pyval *vals = py_alloc(P, (a->nkw + 1) * sizeof *vals, a->at);
    if (!names || !vals) return false;
    kept.nkw = 0;
    for (size_t k = 0; k < a->nkw; k++) {
        if (dropped(fn, a->kwnames[k])) continue;
        names[kept.nkw] = a->kwnames[k];
        vals[kept.nkw++] = a->kw[k];
    }
    kept.kwnames = names;
    kept.kw = vals;
    if (kept.nkw != a->nkw) kept.call = NULL;     /* the spans no longer line up */
    if (!P->res)
        return py_unsupported(P, a->at, "__init__ calls %s on a tensor: probe runs functionals in forward() only", fn->name);
    stmt st;
    if (!py_call_stmt(P, o, &kept, 1, &st)) return false;
    layer *ly = arena_alloc(&P->res->ar, sizeof *ly);   /* its row outlives the run's values */
    diag err = { 0 };
    if (!ly) return py_raise(P, a->at, "MemoryError", "out of memory");
    if (!bind_call(&P->res->ar, o, &st, ly, &err) || !layer_construct(P->net, &P->res->ar, ly, &err)) {
        P->failed = true;
        P->err_kind = PROBE_INVALID;
        diag_set(&P->err, P->err_ar, err.at, PROBE_INVALID, err.layer, "%s", diag_message(&err));
        return false;
    }
    /* F.relu(x) says relu, not ReLU: the error names what was written */
    mod_ref node;
    if (!exec_add_run_layer(P->res, ly, &node)) return py_raise(P, a->at, "MemoryError", "out of memory");
    return py_run_node(P, node, &x, a->pos[0].aux, a->at, out);
}

static const functional *find_functional(const char *name)
{
    for (size_t i = 0; i < sizeof functionals / sizeof functionals[0]; i++)
        if (!strcmp(functionals[i].name, name)) return &functionals[i];
    return NULL;
}

/* One native runs every functional: which one is read from the call. */
static const char *called_name(const pycall_args *a)
{
    if (a->call && a->call->call.func->kind == PYX_ATTR) return a->call->call.func->attr.name;
    if (a->call && a->call->call.func->kind == PYX_NAME) return a->call->call.func->name.id;
    return NULL;
}

NATIVE(f_layer)
{
    (void)self;
    const char *name = called_name(a);
    const functional *fn = name ? find_functional(name) : NULL;
    if (!fn) return py_unsupported(P, a->at, "probe cannot follow this functional call when it is not written F.name(...)");
    return run_functional(P, fn, a, out);
}
static const pynative functional_native = { "functional", f_layer, NULL };

/* ---- torch.cat, torch.stack ------------------------------------------------------------ */

static bool join(py *P, const pycall_args *a, bool stack, pyval *out)
{
    const char *name = stack ? "stack" : "cat";
    if (!a->npos) return py_raise(P, a->at, "TypeError", "%s() missing 1 required positional arguments: \"tensors\"", name);
    pyseq *items;
    if (a->pos[0].kind != PV_TUPLE && a->pos[0].kind != PV_LIST)
        return py_raise(P, a->at, "TypeError", "%s(): argument 'tensors' (position 1) must be tuple of Tensors, not %s", name,
                        py_type_name(&a->pos[0]));
    items = a->pos[0].seq;
    int64_t dim = 0;
    const pyval *d = a->npos > 1 ? &a->pos[1] : NULL;
    for (size_t k = 0; k < a->nkw; k++)
        if (!strcmp(a->kwnames[k], "dim") || !strcmp(a->kwnames[k], "axis")) d = &a->kw[k];
    if (d && !py_as_int(d, &dim)) return py_raise(P, a->at, "TypeError", "%s(): argument 'dim' must be int", name);
    probe_tensor *xs = py_alloc(P, (items->n + 1) * sizeof *xs, a->at);
    if (!xs) return false;
    for (size_t i = 0; i < items->n; i++)
        if (!py_tensor_arg(P, &items->v[i], a->at, name, &xs[i])) return false;
    if (items->n > 1000000) return py_raise(P, a->at, "MemoryError", "too many tensors");
    /* tensors joined must agree in their other sizes, which a U-Net's
     * skips do only at some input sizes: the size search must know */
    if (P->res && items->n > 1) P->res->size_checked = true;
    probe_ctx cx;
    ctx_reset(&cx);
    cx.ar = P->res ? &P->res->ar : &P->net->ar;
    probe_tensor y;
    int rc = stack ? tensor_stack(&cx, xs, (int)items->n, dim, &y) : tensor_cat(&cx, xs, (int)items->n, dim, &y);
    return py_shape_result(P, rc, &cx, a->at) && py_tensor_new(P, &y, a->at, out) &&
           py_flow_join(P, name, items->v, items->n, out);
}
NATIVE(f_cat) { (void)self; return join(P, a, false, out); }
NATIVE(f_stack) { (void)self; return join(P, a, true, out); }

/* ---- F.pad --------------------------------------------------------------------------- */

NATIVE(f_pad)
{
    (void)self;
    probe_tensor x;
    if (a->npos < 2 && !(a->npos == 1 && a->nkw)) return py_raise(P, a->at, "TypeError", "pad() missing 1 required positional argument: 'pad'");
    if (!py_tensor_arg(P, &a->pos[0], a->at, "pad", &x)) return false;
    const pyval *pad = a->npos > 1 ? &a->pos[1] : NULL, *mode = a->npos > 2 ? &a->pos[2] : NULL;
    for (size_t k = 0; k < a->nkw; k++) {
        if (!strcmp(a->kwnames[k], "pad")) pad = &a->kw[k];
        if (!strcmp(a->kwnames[k], "mode")) mode = &a->kw[k];
    }
    if (!pad || (pad->kind != PV_TUPLE && pad->kind != PV_LIST) || pad->seq->n > 2 * PROBE_MAX_DIMS)
        return py_raise(P, a->at, "TypeError", "pad(): argument 'pad' must be a tuple of ints");
    int64_t v[2 * PROBE_MAX_DIMS];
    for (size_t i = 0; i < pad->seq->n; i++)
        if (!py_as_int(&pad->seq->v[i], &v[i])) return py_raise(P, a->at, "TypeError", "pad(): argument 'pad' must be a tuple of ints");
    const char *m = mode && mode->kind == PV_STR ? mode->s->s : "constant";
    probe_ctx cx;
    ctx_reset(&cx);
    cx.ar = P->res ? &P->res->ar : &P->net->ar;
    int rc = ops_pad(&cx, &x, v, (int)pad->seq->n, m, "pad");
    return py_shape_result(P, rc, &cx, a->at) && py_tensor_new(P, &x, a->at, out);
}

/* ---- making tensors -------------------------------------------------------------------- */

/* torch.zeros(2, 3), torch.randn((1, 3, 8, 8)), torch.zeros(x.size(0), 16) */
NATIVE(f_new)
{
    (void)self;
    const pyval *items = a->pos;
    size_t n = a->npos;
    if (n == 1 && (items[0].kind == PV_TUPLE || items[0].kind == PV_LIST)) {
        n = items[0].seq->n;
        items = items[0].seq->v;
    }
    if (n > PROBE_MAX_DIMS) return py_raise(P, a->at, "RuntimeError", "probe handles tensors of at most %d dimensions", PROBE_MAX_DIMS);
    probe_tensor t = { (int)n, { 0 } };
    for (size_t i = 0; i < n; i++) {
        if (!py_as_int(&items[i], &t.dim[i])) return py_raise(P, a->at, "TypeError", "size must be a tuple of ints, not %s", py_type_name(&items[i]));
        if (t.dim[i] < 0)
            return py_raise(P, a->at, "RuntimeError", "Trying to create tensor with negative dimension %lld: [%lld]",
                            (long long)t.dim[i], (long long)t.dim[i]);
    }
    /* in __init__ too: nn.Parameter(torch.zeros(1, 1, dim)), a ViT's class token */
    int64_t numel = 1;
    for (int i = 0; i < t.ndim; i++)
        if (!util_mul(numel, t.dim[i], &numel))
            return py_raise(P, a->at, "RuntimeError", "a tensor of more than 9223372036854775807 elements: PyTorch could not allocate it");
    return py_tensor_new(P, &t, a->at, out);
}

NATIVE(f_like)
{
    (void)self;
    probe_tensor x;
    if (!a->npos || !py_tensor_arg(P, &a->pos[0], a->at, "input", &x)) return P->failed ? false : py_raise(P, a->at, "TypeError", "missing the input tensor");
    return py_tensor_new(P, &x, a->at, out);
}

NATIVE(f_none) { (void)P; (void)self; (void)a; *out = pv_none(); return true; }
NATIVE(f_false) { (void)P; (void)self; (void)a; *out = pv_bool(false); return true; }

NATIVE(f_refused)
{
    (void)self;
    (void)out;
    return py_unsupported(P, a->at, "probe never loads or saves anything: it reads the model, it does not execute the file; take the call out of the model's code (the shapes do not depend on weights)");
}

/* torch._assert(cond, message): torchvision's checks of the input (a ViT's
 * image size) fail with their own message, as PyTorch reports it */
NATIVE(f_assert)
{
    (void)self;
    bool yes;
    if (a->npos != 2 || a->pos[1].kind != PV_STR) return py_raise(P, a->at, "TypeError", "_assert() takes a condition and a message");
    if (!py_truth(P, &a->pos[0], a->at, &yes)) return false;
    *out = pv_none();
    if (yes) return true;
    if (!P->res) return py_raise(P, a->at, "AssertionError", "%s", a->pos[1].s->s);
    /* the run that looks for the input channels (with 1 of them) goes on to
     * the layer that declares them: the real run fails here again */
    if (P->res->find_channels) return true;
    exec_add_error(P->res, PROBE_ERROR, NULL, P->lib_depth > 0 ? P->module_at : a->at, a->pos[1].s->s);
    P->failed = P->shape_error = true;
    return false;
}

static const pynative torch_natives[] = {
    { "_assert", f_assert, NULL },
    { "cat", f_cat, NULL }, { "concat", f_cat, NULL }, { "stack", f_stack, NULL },
    { "zeros", f_new, NULL }, { "ones", f_new, NULL }, { "rand", f_new, NULL }, { "randn", f_new, NULL },
    { "empty", f_new, NULL }, { "zeros_like", f_like, NULL }, { "ones_like", f_like, NULL },
    { "rand_like", f_like, NULL }, { "randn_like", f_like, NULL }, { "empty_like", f_like, NULL },
    { "device", f_none, NULL }, { "no_grad", f_none, NULL }, { "manual_seed", f_none, NULL },
    { "set_grad_enabled", f_none, NULL }, { "_none", f_none, NULL }, { "_false", f_false, NULL },
    { "load", f_refused, NULL }, { "save", f_refused, NULL },
    { "from_numpy", f_refused, NULL },
};
static const pynative f_natives[] = { { "pad", f_pad, NULL } };

/* torch.relu(x) is F.relu(x); torch.flatten(x, 1) is x.flatten(1). */
bool py_torch_attr(py *P, const char *name, pyval *out, bool *found)
{
    (void)P;
    *found = true;
    for (size_t i = 0; i < sizeof torch_natives / sizeof torch_natives[0]; i++)
        if (!strcmp(torch_natives[i].name, name)) {
            *out = pv_native(&torch_natives[i]);
            return true;
        }
    static const char *const dtypes[] = { "float32", "float", "float16", "float64", "long", "int64", "int32", "bool",
                                          "uint8", "Tensor", "Size", NULL };
    for (const char *const *d = dtypes; *d; d++)
        if (!strcmp(*d, name)) {
            *out = !strcmp(name, "Size") ? pv_native(py_builtin("tuple")) : pv_none();
            return true;
        }
    const functional *fn = find_functional(name);
    if (fn && (!strcmp(name, "relu") || !strcmp(name, "sigmoid") || !strcmp(name, "tanh") ||
               !strcmp(name, "softmax") || !strcmp(name, "log_softmax") || !strcmp(name, "relu_"))) {
        *out = pv_native(&functional_native);
        return true;
    }
    const pynative *m = py_tensor_method(name);
    if (m) {
        *out = pv_native(m);
        return true;
    }
    *found = false;
    return true;
}

bool py_functional_attr(py *P, const char *name, pyval *out, bool *found)
{
    (void)P;
    *found = true;
    if (find_functional(name)) {
        *out = pv_native(&functional_native);
        return true;
    }
    for (size_t i = 0; i < sizeof f_natives / sizeof f_natives[0]; i++)
        if (!strcmp(f_natives[i].name, name)) {
            *out = pv_native(&f_natives[i]);
            return true;
        }
    if (!strcmp(name, "normalize")) {
        *out = pv_native(py_tensor_method("contiguous"));
        return true;
    }
    *found = false;
    return true;
}
