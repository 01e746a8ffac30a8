/* py_torch.c - the modules a model file imports, as namespaces: torch,
 * torch.nn, torch.nn.functional, torch.nn.init, math; everything else is
 * a name that may be imported but not used. Nothing is ever loaded. */
#include "py/py_torch.h"
#include "py/py_zoo.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const struct pyns namespaces[] = {
    { NS_TORCH, "torch" }, { NS_NN, "torch.nn" }, { NS_F, "torch.nn.functional" },
    { NS_MATH, "math" }, { NS_INIT, "torch.nn.init" }, { NS_CUDA, "torch.cuda" },
    { NS_TV, "torchvision" }, { NS_TV_MODELS, "torchvision.models" },
};

static pyval ns_value(const struct pyns *ns)
{
    pyval v = { .kind = PV_NS };
    v.ns = ns;
    return v;
}

static const struct pyns *known_ns(const char *name)
{
    for (size_t i = 0; i < sizeof namespaces / sizeof namespaces[0]; i++)
        if (!strcmp(namespaces[i].name, name)) return &namespaces[i];
    return NULL;
}

/* A module probe does not know: one namespace per distinct name. */
static pyval opaque(py *P, const char *name)
{
    struct pyns *ns = py_alloc(P, sizeof *ns, (src_span){ 0, 0, 0, 0 });
    if (!ns) return pv_none();
    ns->id = NS_OPAQUE;
    ns->name = name;
    return ns_value(ns);
}

NATIVE(odict)
{
    (void)self;
    const pynative *d = py_builtin("dict");
    pyval f = pv_native(d);
    return py_call(P, &f, a, out);
}
static const pynative ordered_dict = { "OrderedDict", odict, NULL };

pyval py_import(py *P, const char *dotted, const char *member)
{
    const struct pyns *ns = known_ns(dotted);
    if (!member) return ns ? ns_value(ns) : opaque(P, dotted);
    if (!strcmp(dotted, "collections") && !strcmp(member, "OrderedDict")) return pv_native(&ordered_dict);
    if (!ns) return opaque(P, member);
    pyval base = ns_value(ns), out;
    bool found = false;
    if (py_value_attr(P, &base, member, (src_span){ 0, 0, 0, 0 }, &out, &found) && found) return out;
    P->failed = false;
    return opaque(P, member);
}

static bool math_attr(py *P, const char *name, pyval *out, bool *found);

/* torch.einsum, F.conv2d...: what probe does not follow is a name that
 * may be written but not called (the call says so at its line). */
static bool unknown_member(py *P, const struct pyns *ns, const char *name, src_span at, pyval *out, bool *found)
{
    if (*found || P->failed) return !P->failed;
    size_t n = strlen(ns->name) + strlen(name) + 2;
    char *buf = py_alloc(P, n, at);
    if (!buf) return false;
    snprintf(buf, n, "%s.%s", ns->name, name);
    *out = opaque(P, buf);
    *found = out->kind == PV_NS;
    return !P->failed;
}

static bool ns_attr(py *P, const struct pyns *ns, const char *name, src_span at, pyval *out, bool *found)
{
    const struct pyns *sub;
    switch (ns->id) {
    case NS_TORCH:
        if (!strcmp(name, "nn")) sub = known_ns("torch.nn");
        else if (!strcmp(name, "cuda")) sub = known_ns("torch.cuda");
        else return py_torch_attr(P, name, out, found) && unknown_member(P, ns, name, at, out, found);
        *found = true;
        *out = ns_value(sub);
        return true;
    case NS_NN:
        if (!strcmp(name, "functional") || !strcmp(name, "init")) {
            *found = true;
            *out = ns_value(known_ns(!strcmp(name, "init") ? "torch.nn.init" : "torch.nn.functional"));
            return true;
        }
        return py_nn_attr(P, name, at, out, found);
    case NS_F: return py_functional_attr(P, name, out, found) && unknown_member(P, ns, name, at, out, found);
    case NS_INIT: *found = true; return py_init_attr(P, name, out);
    case NS_TV:
        if (!strcmp(name, "models")) {
            *found = true;
            *out = ns_value(known_ns("torchvision.models"));
            return true;
        }
        return unknown_member(P, ns, name, at, out, found);
    case NS_TV_MODELS:
        /* models.resnet18, models.ResNet: probe's own torchvision library */
        if (!py_zoo_get(P, name, out)) return !P->failed && unknown_member(P, ns, name, at, out, found);
        *found = true;
        return true;
    case NS_MATH: return math_attr(P, name, out, found);
    case NS_CUDA:
        *found = true;
        if (!strcmp(name, "is_available")) return py_torch_attr(P, "_false", out, found);
        return py_torch_attr(P, "_none", out, found);
    default:
        return py_unsupported(P, at, "probe does not know the module '%s': a model file may import it, not use it (%s.%s)",
                              ns->name, ns->name, name);
    }
}

bool py_value_attr(py *P, const pyval *obj, const char *name, src_span at, pyval *out, bool *found)
{
    *found = false;
    switch (obj->kind) {
    case PV_NS: return ns_attr(P, obj->ns, name, at, out, found);
    case PV_TENSOR: return py_tensor_attr(P, obj, name, at, out, found);
    case PV_LAYER: case PV_SEQ: return py_module_attr(P, obj, name, at, out, found);
    case PV_NATIVE:
        /* nn.Module.__init__(self), as older code calls it */
        if (obj->native.nat == py_nn_module_native() && !strcmp(name, "__init__")) {
            *found = true;
            return py_init_attr(P, name, out);
        }
        return py_builtin_method(P, obj, name, at, out, found);
    case PV_NNCLASS:
        if (!strcmp(name, "__name__")) {
            *found = true;
            *out = pv_str(P, obj->op->name, at);
            return !P->failed;
        }
        return true;
    default: return py_builtin_method(P, obj, name, at, out, found);
    }
}

/* ---- math ---------------------------------------------------------------------- */

static bool num(py *P, const pycall_args *a, double *x)
{
    if (a->npos != 1) return py_raise(P, a->at, "TypeError", "math functions take exactly one argument here");
    const pyval *v = &a->pos[0];
    if (v->kind == PV_FLOAT) *x = v->f;
    else if (v->kind == PV_INT) *x = (double)v->i;
    else if (v->kind == PV_BOOL) *x = v->b;
    else return py_raise(P, a->at, "TypeError", "must be real number, not %s", py_type_name(v));
    return true;
}

static bool to_int(py *P, double r, src_span at, pyval *out)
{
    if (!(r > -9.2e18 && r < 9.2e18)) return py_raise(P, at, "OverflowError", "cannot convert float to a 64-bit integer");
    *out = pv_int((int64_t)r);
    return true;
}

NATIVE(m_floor) { (void)self; double x = 0; return num(P, a, &x) && to_int(P, floor(x), a->at, out); }
NATIVE(m_ceil) { (void)self; double x = 0; return num(P, a, &x) && to_int(P, ceil(x), a->at, out); }
NATIVE(m_sqrt)
{
    (void)self;
    double x = 0;
    if (!num(P, a, &x)) return false;
    if (x < 0) return py_raise(P, a->at, "ValueError", "math domain error");
    *out = pv_float(sqrt(x));
    return true;
}
NATIVE(m_log2)
{
    (void)self;
    double x = 0;
    if (!num(P, a, &x)) return false;
    if (x <= 0) return py_raise(P, a->at, "ValueError", "math domain error");
    *out = pv_float(log2(x));
    return true;
}
NATIVE(m_prod)
{
    (void)self;
    pyseq *s;
    if (a->npos != 1 || !py_iter_items(P, &a->pos[0], a->at, &s)) return P->failed ? false : py_raise(P, a->at, "TypeError", "prod() takes one iterable");
    pyval acc = pv_int(1);
    for (size_t i = 0; i < s->n; i++)
        if (!py_binop(P, PYOP_STAR, &acc, &s->v[i], false, a->at, &acc)) return false;
    *out = acc;
    return true;
}

static const pynative math_fns[] = {
    { "floor", m_floor, NULL }, { "ceil", m_ceil, NULL }, { "sqrt", m_sqrt, NULL },
    { "log2", m_log2, NULL }, { "prod", m_prod, NULL },
};

static bool math_attr(py *P, const char *name, pyval *out, bool *found)
{
    (void)P;
    *found = true;
    if (!strcmp(name, "pi")) { *out = pv_float(3.141592653589793); return true; }
    if (!strcmp(name, "e")) { *out = pv_float(2.718281828459045); return true; }
    if (!strcmp(name, "inf")) { *out = pv_float(INFINITY); return true; }
    for (size_t i = 0; i < sizeof math_fns / sizeof math_fns[0]; i++)
        if (!strcmp(math_fns[i].name, name)) {
            *out = pv_native(&math_fns[i]);
            return true;
        }
    *found = false;
    return true;
}
