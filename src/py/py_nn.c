/* py_nn.c - torch.nn in a model file: its layer classes, built through
 * the same registry and binder as a net.cfg's layers (one schema per
 * layer, Python's errors for wrong arguments); nn.Sequential, ModuleList
 * and ModuleDict; what nn.Module's methods do to shapes (nothing: .to(),
 * .eval() return the module); and a layer's call in forward(), which goes
 * through run_call() like every layer of a net.cfg. */
#include "py/py_interp.h"
#include "py/py_torch.h"

#include <stdio.h>
#include <string.h>

/* ---- a Python value as the binder reads an argument ----------------------- */

static bool to_value(py *P, const pyval *v, src_span at, bool computed, value *out)
{
    memset(out, 0, sizeof *out);
    out->span = at;
    out->computed = computed;
    switch (v->kind) {
    case PV_INT: out->kind = VAL_INT; out->i = v->i; return true;
    case PV_BOOL: out->kind = VAL_BOOL; out->i = v->b; return true;
    case PV_FLOAT: out->kind = VAL_FLOAT; out->f = v->f; return true;
    case PV_NONE: out->kind = VAL_NONE; return true;
    case PV_STR: out->kind = VAL_STR; out->s = v->s->s; return true;
    case PV_TUPLE: case PV_LIST: {
        out->kind = v->kind == PV_TUPLE ? VAL_TUPLE : VAL_LIST;
        if (v->seq->n > 64) return py_raise(P, at, "TypeError", "a layer argument of %zu items", v->seq->n);
        out->n = (int)v->seq->n;
        if (out->n && !(out->items = py_alloc(P, (size_t)out->n * sizeof *out->items, at))) return false;
        for (int i = 0; i < out->n; i++)
            if (!to_value(P, &v->seq->v[i], at, computed, &out->items[i])) return false;
        return true;
    }
    default:
        /* the binder names the type: "must be int, not Tensor" */
        out->kind = VAL_WORD;
        out->s = py_type_name(v);
        return true;
    }
}

static bool literal(const pyx *e)
{
    if (e->kind == PYX_INT || e->kind == PYX_FLOAT || e->kind == PYX_STR || e->kind == PYX_CONST) return true;
    if (e->kind == PYX_UNARY && e->un.op == PYOP_MINUS) return literal(e->un.x);
    if (e->kind == PYX_TUPLE || e->kind == PYX_LIST) {
        for (uint32_t i = 0; i < e->elts.n; i++)
            if (!literal(e->elts.v[i])) return false;
        return true;
    }
    return false;
}

/* Where each argument is written: the call's own argument expressions
 * when no *args spread them, else the whole call. */
static src_span arg_span(const pycall_args *a, size_t i, bool kw, bool *computed)
{
    *computed = true;
    const pyx *c = a->call;
    if (!c) return a->at;
    bool spread = false;
    for (uint32_t k = 0; k < c->call.args.n; k++) spread |= c->call.args.v[k]->kind == PYX_STARRED;
    for (uint32_t k = 0; k < c->call.kws.n; k++) spread |= c->call.kws.v[k]->kind == PYX_DSTARRED;
    if (spread || (!kw && i >= c->call.args.n) || (kw && i >= c->call.kws.n)) return a->at;
    const pyx *e = kw ? c->call.kws.v[i]->kw.value : c->call.args.v[i];
    *computed = !literal(e);
    return e->span;
}

/* The length of the integer literal written at off. */
static uint32_t literal_len(const py *P, uint32_t off)
{
    uint32_t end = off;
    while (end < P->len) {
        char c = P->text[end];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')) break;
        end++;
    }
    return end - off;
}

/* Remembers, for each argument of a layer just bound, the literal its
 * value was written as when that is not the argument itself. */
static bool keep_origins(py *P, const stmt *st, const pyval *vals, const layer *ly, size_t index)
{
    for (int k = 0; k < ly->nargs; k++) {
        const bound_arg *ba = &VEC_AT(P->store->args, bound_arg, ly->first_arg + (size_t)k);
        uint32_t value_off = st->name_span.off + ba->off;
        for (int i = 0; i < st->nargs; i++) {
            const pyval *v = &vals[i];
            if (st->args[i].val.span.off != value_off || v->kind != PV_INT || !v->aux) continue;
            if (v->aux - 1 == value_off) break;     /* the literal is the argument itself */
            py_origin *o = vec_push(&P->origins);
            if (!o) return py_raise(P, st->span, "MemoryError", "out of memory");
            *o = (py_origin){ (uint32_t)index, value_off, v->aux - 1, literal_len(P, v->aux - 1) };
            break;
        }
    }
    return true;
}

/* A layer the library builds (models.resnet18() in a model file) or a
 * functional its forward() calls (F.relu in a DenseNet) is written nowhere
 * in the file: it is placed at the call into the library, or at the
 * printed block running it, and marked so that --fix never writes there. */
static void place_in_library(py *P, stmt *st)
{
    st->span = st->name_span = P->module_at;
    for (int i = 0; i < st->nargs; i++) {
        st->args[i].val.span = P->module_at;
        st->args[i].key_span = P->module_at;
    }
}

/* The call as the binder reads a layer statement. `skip` positionals
 * are not the layer's (a functional's input tensor). */
bool py_call_stmt(py *P, const op *o, const pycall_args *a, size_t skip, stmt *st)
{
    memset(st, 0, sizeof *st);
    st->kind = STMT_LAYER;
    st->span = a->call ? a->call->span : a->at;
    st->name_span = a->call ? a->call->call.func->span : a->at;
    st->name = o->name;
    size_t n = a->npos - skip + a->nkw;
    if (n > 64) return py_raise(P, a->at, "TypeError", "%s() takes at most 64 arguments", o->name);
    st->args = n ? py_alloc(P, n * sizeof *st->args, a->at) : NULL;
    if (n && !st->args) return false;
    for (size_t i = skip; i < a->npos; i++) {
        bool computed;
        src_span at = arg_span(a, i, false, &computed);
        if (!to_value(P, &a->pos[i], at, computed, &st->args[st->nargs++].val)) return false;
    }
    for (size_t k = 0; k < a->nkw; k++) {
        bool computed;
        arg *ar = &st->args[st->nargs++];
        src_span at = arg_span(a, k, true, &computed);
        ar->key = a->kwnames[k];
        ar->key_span = a->call && at.off != a->at.off ? a->call->call.kws.v[k]->kw.name_span : a->at;
        if (!to_value(P, &a->kw[k], at, computed, &ar->val)) return false;
    }
    if (P->lib_depth > 0) place_in_library(P, st);
    return true;
}

/* An error the binder or the constructor found: the file cannot run. */
static bool bind_error(py *P, const diag *err)
{
    if (P->failed) return false;
    P->failed = true;
    P->err_kind = PROBE_INVALID;
    diag_set(&P->err, P->err_ar, err->at, PROBE_INVALID, err->layer, "%s", diag_message(err));
    return false;
}

static pymod *new_mod(py *P, pymod_kind kind, src_span at)
{
    pymod *m = py_alloc(P, sizeof *m, at);
    if (m) {
        m->kind = kind;
        m->made_at = at;
    }
    return m;
}

bool py_make_layer(py *P, const op *o, const pycall_args *a, pyval *out)
{
    stmt st;
    if (!py_call_stmt(P, o, a, 0, &st)) return false;
    pymod *m = new_mod(P, PM_LAYER, a->at);
    if (!m) return false;
    diag err = { 0 };
    layer ly;
    if (!P->building) {
        /* nn.ReLU()(x) in forward(): a layer of this run only */
        layer *kept = arena_alloc(&P->res->ar, sizeof *kept);   /* its row outlives the run's values */
        if (!kept) return py_raise(P, a->at, "MemoryError", "out of memory");
        if (!bind_call(&P->res->ar, o, &st, kept, &err) || !layer_construct(P->net, &P->res->ar, kept, &err))
            return P->failed ? false : bind_error(P, &err);
        if (!exec_add_run_layer(P->res, kept, &m->index)) return py_raise(P, a->at, "MemoryError", "out of memory");
    } else {
        if (!bind_layer(P->net, &st, P->store, &ly, &err)) return bind_error(P, &err);
        size_t first = ly.first_arg;    /* the arguments' index until the array stops moving */
        ly.args = P->store->args.items ? &VEC_AT(P->store->args, bound_arg, first) : NULL;
        bool ok = layer_construct(P->net, &P->net->ar, &ly, &err);
        ly.first_arg = first;
        if (!ok) return bind_error(P, &err);
        layer *slot = vec_push(&P->layers);
        if (!slot) return py_raise(P, a->at, "MemoryError", "out of memory");
        if (P->lib_depth > 0) ly.flags |= LAYER_LIBRARY;
        *slot = ly;
        m->index = MOD_LAYER | (mod_ref)(P->layers.len - 1);
        pyval vals[64];
        size_t nv = 0;
        for (size_t i = 0; i < a->npos && nv < 64; i++) vals[nv++] = a->pos[i];
        for (size_t k = 0; k < a->nkw && nv < 64; k++) vals[nv++] = a->kw[k];
        if (!keep_origins(P, &st, vals, &ly, P->layers.len - 1)) return false;
    }
    out->kind = PV_LAYER;
    out->mod = m;
    return true;
}

/* ---- a layer called in forward() ---------------------------------------------- */

bool py_tensor_arg(py *P, const pyval *v, src_span at, const char *what, probe_tensor *out)
{
    if (v->kind == PV_TENSOR) {
        *out = *v->t;
        return true;
    }
    return py_raise(P, at, "TypeError", "%s: expected a Tensor, got %s", what, py_type_name(v));
}

bool py_run_node(py *P, mod_ref node, const probe_tensor *in, uint32_t from, src_span at, pyval *out)
{
    if (!P->res)
        return py_unsupported(P, at, "__init__ calls a layer on a tensor: probe runs layers in forward() only");
    probe_tensor x = *in;
    P->res->site = P->site.end > P->site.off ? P->site : at;
    if (P->lib_depth > 0) P->res->site = (src_span){ 0, 0, 0, 0 };    /* the layer's own line */
    P->site = (src_span){ 0, 0, 0, 0 };
    P->res->flow_in = from;
    bool ok = run_call(P->res, node, &x);
    P->res->site = (src_span){ 0, 0, 0, 0 };
    if (!ok) {
        P->failed = true;
        P->shape_error = true;  /* the error (PyTorch's) is in the result */
        return false;
    }
    if (!py_tensor_new(P, &x, at, out)) return false;
    out->aux = P->res->flow_in;     /* its row, or the last row of the calls it made */
    return true;
}

bool py_run_layer(py *P, const pymod *m, const pycall_args *a, pyval *out)
{
    if (!P->res)
        return py_unsupported(P, a->at, "__init__ calls a layer: probe runs layers in forward() only");
    const layer *ly = exec_layer(P->res, m->index);
    if (a->npos != 1 || a->nkw)
        return py_raise(P, a->at, "TypeError", "%s.forward() takes 1 input here, but %zu were given", ly->op->name,
                        a->npos + a->nkw);
    probe_tensor x;
    if (!py_tensor_arg(P, &a->pos[0], a->at, ly->op->name, &x)) return false;
    if (a->call) P->site = a->call->call.func->span;     /* the row shows `self.pool` */
    return py_run_node(P, m->index, &x, a->pos[0].aux, a->at, out);
}

/* ---- containers ------------------------------------------------------------------ */

bool py_new_container(py *P, const char *name, forward_kind fw, src_span at, uint32_t *index);  /* py_model.c */
bool py_adopt(py *P, uint32_t container, const pyval *child, src_span label);                     /* py_model.c */

static bool need_module(py *P, const pyval *v, const char *who, src_span at)
{
    if (py_is_module(v)) return true;
    return py_raise(P, at, "TypeError", "%s is not a Module subclass", py_type_name(v));
    (void)who;
}

static bool make_container(py *P, pymod_kind kind, const pycall_args *a, pyval *out)
{
    static const char *const names[] = { "", "Sequential", "ModuleList", "ModuleDict" };
    if (!P->building)
        return py_unsupported(P, a->at, "forward() builds an nn.%s: probe follows modules built in __init__", names[kind]);
    pymod *m = new_mod(P, kind, a->at);
    if (!m || !py_new_container(P, names[kind], kind == PM_SEQUENTIAL ? FORWARD_CHAIN : FORWARD_NONE, a->at, &m->index))
        return false;
    out->kind = PV_SEQ;
    out->mod = m;
    return true;
}

bool py_seq_add(py *P, pymod *m, const pyval *child, src_span at)
{
    if (!need_module(P, child, "", at)) return false;
    if (!py_adopt(P, m->index, child, (src_span){ 0, 0, 0, 0 })) return false;
    return py_seq_push(P, &m->items, *child, at);
}

static bool dict_add(py *P, pymod *m, const pyval *key, const pyval *child, src_span at)
{
    if (key->kind != PV_STR) return py_raise(P, at, "TypeError", "module name should be a string. Got %s", py_type_name(key));
    if (!need_module(P, child, "", at) || !py_adopt(P, m->index, child, (src_span){ 0, 0, 0, 0 })) return false;
    if (!py_dict_set(P, &m->named, *key, *child, at)) return false;
    return py_seq_push(P, &m->items, *child, at);
}

static bool fill_from_dict(py *P, pymod *m, const pydict *d, src_span at)
{
    for (size_t i = 0; i < d->n; i++)
        if (!dict_add(P, m, &d->keys[i], &d->vals[i], at)) return false;
    return true;
}

NATIVE(n_sequential)
{
    (void)self;
    if (a->nkw) return py_raise(P, a->at, "TypeError", "Sequential() got an unexpected keyword argument '%s'", a->kwnames[0]);
    if (!make_container(P, PM_SEQUENTIAL, a, out)) return false;
    if (a->npos == 1 && a->pos[0].kind == PV_DICT) return fill_from_dict(P, out->mod, a->pos[0].dict, a->at);
    for (size_t i = 0; i < a->npos; i++)
        if (!py_seq_add(P, out->mod, &a->pos[i], a->at)) return false;
    return true;
}

NATIVE(n_modulelist)
{
    (void)self;
    if (a->npos > 1 || a->nkw) return py_raise(P, a->at, "TypeError", "ModuleList takes at most one iterable of modules");
    if (!make_container(P, PM_MODULELIST, a, out)) return false;
    if (!a->npos) return true;
    pyseq *items;
    if (!py_iter_items(P, &a->pos[0], a->at, &items)) return false;
    for (size_t i = 0; i < items->n; i++)
        if (!py_seq_add(P, out->mod, &items->v[i], a->at)) return false;
    return true;
}

NATIVE(n_moduledict)
{
    (void)self;
    if (a->npos > 1 || a->nkw) return py_raise(P, a->at, "TypeError", "ModuleDict takes at most one dict of modules");
    if (!make_container(P, PM_MODULEDICT, a, out)) return false;
    if (!a->npos) return true;
    if (a->pos[0].kind == PV_DICT) return fill_from_dict(P, out->mod, a->pos[0].dict, a->at);
    pyseq *items;
    if (!py_iter_items(P, &a->pos[0], a->at, &items)) return false;
    for (size_t i = 0; i < items->n; i++) {
        const pyval *p = &items->v[i];
        if ((p->kind != PV_TUPLE && p->kind != PV_LIST) || p->seq->n != 2)
            return py_raise(P, a->at, "ValueError", "ModuleDict update sequence element #%zu has the wrong length", i);
        if (!dict_add(P, out->mod, &p->seq->v[0], &p->seq->v[1], a->at)) return false;
    }
    return true;
}

/* nn.Module itself: only a base class. */
NATIVE(n_module)
{
    (void)self;
    (void)out;
    return py_unsupported(P, a->at, "nn.Module() alone has no forward(): derive a class from it");
}

/* nn.Parameter(t) and nn.Identity-like passes: the tensor itself */
NATIVE(n_parameter)
{
    (void)self;
    if (a->npos < 1) return py_raise(P, a->at, "TypeError", "Parameter() missing its data");
    *out = a->pos[0];
    return true;
}

/* nn.init.*: values, never shapes */
NATIVE(n_noop) { (void)P; (void)self; (void)a; *out = pv_none(); return true; }

static const pynative nn_natives[] = {
    { "Sequential", n_sequential, NULL }, { "ModuleList", n_modulelist, NULL },
    { "ModuleDict", n_moduledict, NULL }, { "Module", n_module, NULL },
    { "Parameter", n_parameter, NULL },
};
static const pynative init_native = { "nn.init", n_noop, NULL };

const pynative *py_nn_module_native(void) { return &nn_natives[3]; }

/* nn.Module, nn.Sequential, nn.ModuleList or nn.ModuleDict as a base:
 * 1 + the container kind it gives its subclasses (1 for nn.Module), 0 for
 * none of them. */
int py_module_base(py *P, const pyval *base)
{
    (void)P;
    if (base->kind != PV_NATIVE) return 0;
    if (base->native.nat == &nn_natives[3]) return 1;
    if (base->native.nat == &nn_natives[0]) return 1 + 1 + PM_SEQUENTIAL;
    if (base->native.nat == &nn_natives[1]) return 1 + 1 + PM_MODULELIST;
    if (base->native.nat == &nn_natives[2]) return 1 + 1 + PM_MODULEDICT;
    return 0;
}

/* items(), keys(), values() of a subclass of nn.ModuleDict */
static bool object_dict_view(py *P, const pyval *self, const char *name, src_span at, pyval *out)
{
    pydict *d = py_dict_new(P, at);
    if (!d) return false;
    const pydict *attrs = &self->obj->attrs;
    for (size_t i = 0; i < attrs->n; i++)
        if (py_is_module(&attrs->vals[i]) && !py_dict_set(P, d, attrs->keys[i], attrs->vals[i], at)) return false;
    pyval dv = { .kind = PV_DICT, .dict = d }, m;
    bool found;
    if (!py_value_attr(P, &dv, name, at, &m, &found) || !found) return false;
    *out = m;
    return true;
}

/* The modules among an instance's attributes, in order: a subclass of
 * nn.Sequential keeps its children there, as "0", "1", ... */
static bool module_children(py *P, const pyobj *o, src_span at, pyseq **out)
{
    pyseq *s = py_seq_new(P, 0, at);
    if (!s) return false;
    for (size_t i = 0; i < o->attrs.n; i++)
        if (py_is_module(&o->attrs.vals[i]) && !py_seq_push(P, s, o->attrs.vals[i], at)) return false;
    *out = s;
    return true;
}

/* super().__init__(*layers) of a subclass of nn.Sequential (or of a dict,
 * for nn.ModuleDict): its children, named as PyTorch names them */
NATIVE(m_seq_init)
{
    *out = pv_none();
    if (self->kind != PV_OBJECT) return true;
    if (a->npos == 1 && a->pos[0].kind == PV_DICT) {
        const pydict *d = a->pos[0].dict;
        for (size_t i = 0; i < d->n; i++) {
            if (d->keys[i].kind != PV_STR) return py_raise(P, a->at, "TypeError", "module name should be a string");
            if (!py_setattr(P, self, d->keys[i].s->s, d->vals[i], a->at)) return false;
        }
        return true;
    }
    const pyval *items = a->pos;
    size_t n = a->npos;
    pyseq *s;
    if (self->obj->cls->seq_kind == 1 + 1 + PM_MODULELIST && n == 1) {
        if (!py_iter_items(P, &a->pos[0], a->at, &s)) return false;
        items = s->v;
        n = s->n;
    }
    for (size_t i = 0; i < n; i++) {
        char name[24];
        snprintf(name, sizeof name, "%zu", i);
        pystr *key = py_str_new(P, name, strlen(name), a->at);
        if (!key || !py_setattr(P, self, key->s, items[i], a->at)) return false;
    }
    return true;
}
static const pynative seq_init_native = { "__init__", m_seq_init, NULL };

/* A subclass of nn.Sequential called without a forward() of its own: its
 * children, one after another. */
bool py_seq_object_forward(py *P, const pyval *self, const pycall_args *a, pyval *out)
{
    pyseq *kids;
    if (a->npos != 1 || a->nkw)
        return py_raise(P, a->at, "TypeError", "forward() takes 2 positional arguments but %zu were given", a->npos + 1);
    if (!module_children(P, self->obj, a->at, &kids)) return false;
    pyval x = a->pos[0];
    for (size_t i = 0; i < kids->n; i++) {
        pycall_args one = { &x, 1, NULL, NULL, 0, a->at, NULL };
        pyval y;
        if (!py_call(P, &kids->v[i], &one, &y)) return false;
        x = y;
    }
    *out = x;
    return true;
}

/* self[i] of a subclass of nn.Sequential: its i-th child module */
bool py_seq_object_subscript(py *P, const pyval *self, const pyval *index, src_span at, pyval *out)
{
    if (index->kind == PV_STR) return py_getattr(P, self, index->s->s, at, out);
    pyseq *kids;
    if (!module_children(P, self->obj, at, &kids)) return false;
    pyval list = { .kind = PV_LIST, .seq = kids };
    return py_subscript(P, &list, index, at, out);
}

/* nn.X: a container, a layer class the registry knows, or nothing. */
bool py_nn_attr(py *P, const char *name, src_span at, pyval *out, bool *found)
{
    for (size_t i = 0; i < sizeof nn_natives / sizeof nn_natives[0]; i++)
        if (!strcmp(nn_natives[i].name, name)) {
            *found = true;
            *out = pv_native(&nn_natives[i]);
            return true;
        }
    const op *o = reg_find(P->reg, name);
    *found = o != NULL;
    if (o) {
        out->kind = PV_NNCLASS;
        out->op = o;
        return true;
    }
    /* a layer probe does not know: say so, not only that nn lacks it */
    const char *best = reg_suggest(P->reg, name);
    if (best)
        return py_raise(P, at, "AttributeError", "probe does not know torch.nn.%s (did you mean %s?)", name, best);
    return py_raise(P, at, "AttributeError",
                    "probe does not know torch.nn.%s: it knows the torch.nn layers of NETCFG.md; a custom layer needs --plugin",
                    name);
}

bool py_init_attr(py *P, const char *name, pyval *out)
{
    (void)P;
    (void)name;
    *out = pv_native(&init_native);
    return true;
}

/* ---- nn.Module's methods --------------------------------------------------------- */

/* .to(device), .eval(), .cuda(), ...: the module itself */
NATIVE(m_self) { (void)P; (void)a; *out = *self; return true; }

static bool children_of(py *P, const pyval *self, src_span at, pyval *out)
{
    pyseq *s = py_seq_new(P, 0, at);
    if (!s) return false;
    if (self->kind == PV_SEQ) {
        for (size_t i = 0; i < self->mod->items.n; i++)
            if (!py_seq_push(P, s, self->mod->items.v[i], at)) return false;
    } else if (self->kind == PV_OBJECT) {
        const pydict *d = &self->obj->attrs;
        for (size_t i = 0; i < d->n; i++)
            if (py_is_module(&d->vals[i]) && !py_seq_push(P, s, d->vals[i], at)) return false;
    }
    out->kind = PV_LIST;
    out->seq = s;
    return true;
}

NATIVE(m_children) { (void)a; return children_of(P, self, a->at, out); }

/* self.modules(): the module and every module below it, depth first, as
 * nn.Module.modules() walks them (each once) */
static bool walk_modules(py *P, const pyval *m, pyseq *all, src_span at, int depth)
{
    if (depth > PY_MAX_CALLS) return py_raise(P, at, "RecursionError", "modules nested more than %d deep", PY_MAX_CALLS);
    for (size_t i = 0; i < all->n; i++)
        if (py_equal(&all->v[i], m)) return true;
    if (!py_seq_push(P, all, *m, at)) return false;
    pyval kids;
    if (!children_of(P, m, at, &kids)) return false;
    for (size_t i = 0; i < kids.seq->n; i++)
        if (!walk_modules(P, &kids.seq->v[i], all, at, depth + 1)) return false;
    return true;
}

NATIVE(m_modules)
{
    pyseq *all = py_seq_new(P, 0, a->at);
    if (!all || !walk_modules(P, self, all, a->at, 0)) return false;
    out->kind = PV_LIST;
    out->seq = all;
    return true;
}

NATIVE(m_parameters)
{
    (void)self;
    (void)out;
    return py_unsupported(P, a->at, "probe has no parameter tensors: it follows shapes, not weights");
}

bool py_seq_set_named(py *P, const pyval *seq, const char *name, pyval v, src_span at);

NATIVE(m_add_module)
{
    if (a->npos != 2 || a->pos[0].kind != PV_STR) return py_raise(P, a->at, "TypeError", "add_module() takes a name and a module");
    *out = pv_none();
    /* a Sequential keeps the name: seq.head is the child added as "head" */
    if (self->kind == PV_SEQ) return py_seq_set_named(P, self, a->pos[0].s->s, a->pos[1], a->at);
    return py_setattr(P, self, a->pos[0].s->s, a->pos[1], a->at);
}

NATIVE(m_append)
{
    if (a->npos != 1) return py_raise(P, a->at, "TypeError", "append() takes exactly one argument");
    *out = *self;
    if (!P->building) return py_unsupported(P, a->at, "forward() changes a module list: probe follows modules built in __init__");
    return py_seq_add(P, self->mod, &a->pos[0], a->at);
}

NATIVE(m_extend)
{
    pyseq *items;
    if (a->npos != 1 || !py_iter_items(P, &a->pos[0], a->at, &items)) return P->failed ? false : py_raise(P, a->at, "TypeError", "extend() takes one iterable");
    if (!P->building) return py_unsupported(P, a->at, "forward() changes a module list: probe follows modules built in __init__");
    for (size_t i = 0; i < items->n; i++)
        if (!py_seq_add(P, self->mod, &items->v[i], a->at)) return false;
    *out = *self;
    return true;
}

/* a ModuleDict's items(), keys(), values(): its dict's */
static bool dict_view(py *P, const pyval *self, const char *name, const pycall_args *a, pyval *out)
{
    pyval d = { .kind = PV_DICT, .dict = &self->mod->named };
    pyval m;
    bool found;
    if (!py_value_attr(P, &d, name, a->at, &m, &found) || !found) return false;
    pycall_args none = { NULL, 0, NULL, NULL, 0, a->at, NULL };
    return py_call(P, &m, &none, out);
}
NATIVE(m_items) { return dict_view(P, self, "items", a, out); }
NATIVE(m_keys) { return dict_view(P, self, "keys", a, out); }
NATIVE(m_values) { return dict_view(P, self, "values", a, out); }

static const pynative module_methods[] = {
    { "__init__", n_noop, NULL }, { "to", m_self, NULL }, { "cuda", m_self, NULL }, { "cpu", m_self, NULL }, { "eval", m_self, NULL },
    { "train", m_self, NULL }, { "float", m_self, NULL }, { "double", m_self, NULL }, { "half", m_self, NULL },
    { "requires_grad_", m_self, NULL }, { "apply", m_self, NULL }, { "share_memory", m_self, NULL },
    { "children", m_children, NULL }, { "modules", m_modules, NULL }, { "parameters", m_parameters, NULL },
    { "named_parameters", m_parameters, NULL }, { "state_dict", m_parameters, NULL },
    { "add_module", m_add_module, NULL }, { "register_module", m_add_module, NULL },
    { "register_buffer", n_noop, NULL }, { "register_parameter", n_noop, NULL }, { "zero_grad", n_noop, NULL },
    { "append", m_append, NULL }, { "extend", m_extend, NULL },
    { "items", m_items, NULL }, { "keys", m_keys, NULL }, { "values", m_values, NULL },
};

/* The argument written for parameter p: while __init__ runs, the layer's
 * arguments are still in the store (their array moves as it grows). */
static const bound_arg *arg_of(const py *P, const layer *ly, int p)
{
    if (!P->building) return layer_arg(ly, p);
    for (int k = 0; k < ly->nargs; k++) {
        const bound_arg *ba = &VEC_AT(P->store->args, bound_arg, ly->first_arg + (size_t)k);
        if (ba->param == p) return ba;
    }
    return NULL;
}

/* A layer's constructor argument, as the module keeps it: fc.in_features. */
static bool layer_param(py *P, const pymod *m, const char *name, src_span at, pyval *out, bool *found)
{
    const layer *ly = P->res ? exec_layer(P->res, m->index) : &VEC_AT(P->layers, layer, MOD_INDEX(m->index));
    if (!strcmp(name, "weight") || !strcmp(name, "bias")) {
        /* nn.init.kaiming_normal_(m.weight): values, never shapes; a
         * layer built with bias=False has None */
        int b = bind_param_index(ly->op, "bias");
        const bound_arg *ba = b >= 0 ? arg_of(P, ly, b) : NULL;
        *found = true;
        if (!strcmp(name, "bias") && b >= 0 && !(ba ? ba->val.b : ly->op->params[b].cdef.b)) {
            *out = pv_none();
            return true;
        }
        static const probe_tensor unknown = { 1, { 0 } };
        if (!py_tensor_new(P, &unknown, at, out)) return false;
        out->aux = FLOW_NONE;       /* a parameter: no layer made it */
        return true;
    }
    int p = bind_param_index(ly->op, name);
    if (p < 0) return true;
    const param *pm = &ly->op->params[p];
    const bound_arg *ba = arg_of(P, ly, p);
    cval v = ba ? ba->val : pm->cdef;
    *found = true;
    switch (pm->type) {
    case PT_I64: *out = v.i == PROBE_NONE ? pv_none() : pv_int(v.i); return true;
    case PT_F64: *out = pv_float(v.f); return true;
    case PT_BOOL: *out = pv_bool(v.b); return true;
    case PT_STR: *out = v.s ? pv_str(P, v.s, at) : pv_none(); return !P->failed;
    default:
        if (ptype_is_ints(pm->type) && v.ints) {
            pyseq *s = py_seq_new(P, (size_t)v.ints->n, at);
            if (!s) return false;
            for (int i = 0; i < v.ints->n; i++) s->v[s->n++] = pv_int(v.ints->v[i]);
            out->kind = PV_TUPLE;
            out->seq = s;
            return true;
        }
        *out = pv_none();
        return true;
    }
}

bool py_module_attr(py *P, const pyval *self, const char *name, src_span at, pyval *out, bool *found)
{
    *found = false;
    if (self->kind == PV_OBJECT && self->obj->cls->seq_kind > 1 && !strcmp(name, "__init__")) {
        *found = true;
        return pv_native_bound(P, &seq_init_native, self, at, out);
    }
    if (self->kind == PV_OBJECT && self->obj->cls->seq_kind == 1 + 1 + PM_MODULEDICT &&
        (!strcmp(name, "items") || !strcmp(name, "keys") || !strcmp(name, "values"))) {
        /* a subclass of nn.ModuleDict (torchvision's _DenseBlock): its children by name */
        *found = true;
        return object_dict_view(P, self, name, at, out);
    }
    if (!strcmp(name, "training")) {
        *found = true;
        *out = pv_bool(false);      /* the trick runs the model in eval() */
        return true;
    }
    for (size_t i = 0; i < sizeof module_methods / sizeof module_methods[0]; i++)
        if (!strcmp(module_methods[i].name, name)) {
            *found = true;
            return pv_native_bound(P, &module_methods[i], self, at, out);
        }
    if (self->kind == PV_LAYER) return layer_param(P, self->mod, name, at, out, found);
    if (self->kind == PV_SEQ && self->mod->kind == PM_SEQUENTIAL) {
        pyval key = pv_str(P, name, at);
        pyval *v = P->failed ? NULL : py_dict_get(&self->mod->named, &key);
        if (v) {
            *found = true;
            *out = *v;
        }
    }
    return !P->failed;
}

bool py_module_subscript(py *P, const pyval *m, const pyval *index, src_span at, pyval *out)
{
    const pymod *md = m->mod;
    if (md->kind == PM_MODULEDICT) {
        pyval *v = py_dict_get(&md->named, index);
        if (v) {
            *out = *v;
            return true;
        }
        return py_raise(P, at, "KeyError", "'%s'", index->kind == PV_STR ? index->s->s : "?");
    }
    pyval items = { .kind = PV_LIST, .seq = (pyseq *)&md->items };
    if (index->kind != PV_SLICE) return py_subscript(P, &items, index, at, out);
    /* model.features[:4]: a Sequential of those children, run as a chain */
    pyval part;
    if (!py_subscript(P, &items, index, at, &part)) return false;
    pymod *s = new_mod(P, md->kind, at);
    if (!s) return false;
    s->items = *part.seq;
    s->index = 0;
    out->kind = PV_SEQ;
    out->mod = s;
    return true;
}

/* model.heads.head = nn.Linear(768, 10): a Sequential's named child
 * replaced (or added at its end), as nn.Module.__setattr__ does */
bool py_seq_set_named(py *P, const pyval *seq, const char *name, pyval v, src_span at)
{
    pymod *m = seq->mod;
    pyval key = pv_str(P, name, at);
    if (P->failed || !py_adopt(P, m->index, &v, (src_span){ 0, 0, 0, 0 })) return false;
    pyval *have = py_dict_get(&m->named, &key);
    if (have) {
        for (size_t i = 0; i < m->items.n; i++)
            if (py_equal(&m->items.v[i], have)) m->items.v[i] = v;
        *have = v;
        return true;
    }
    return py_dict_set(P, &m->named, key, v, at) && py_seq_push(P, &m->items, v, at);
}

bool py_module_setitem(py *P, const pyval *m, const pyval *index, pyval v, src_span at)
{
    if (!P->building) return py_unsupported(P, at, "forward() replaces a module: probe follows modules built in __init__");
    if (m->mod->kind == PM_MODULEDICT) return dict_add(P, m->mod, index, &v, at);
    int64_t i;
    if (!py_as_int(index, &i)) return py_raise(P, at, "TypeError", "indices must be integers");
    size_t n = m->mod->items.n;
    if (i < 0) i += (int64_t)n;
    if (i < 0 || (size_t)i >= n) return py_raise(P, at, "IndexError", "index %lld is out of range", (long long)i);
    if (!need_module(P, &v, "", at) || !py_adopt(P, m->mod->index, &v, (src_span){ 0, 0, 0, 0 })) return false;
    m->mod->items.v[i] = v;
    return true;
}

bool py_isinstance_torch(py *P, const pyval *v, const pyval *cls, bool *known)
{
    *known = true;
    if (cls->kind == PV_NNCLASS) {
        if (v->kind != PV_LAYER) return false;
        const layer *ly = P->res ? exec_layer(P->res, v->mod->index) : &VEC_AT(P->layers, layer, MOD_INDEX(v->mod->index));
        return ly->op == cls->op;
    }
    if (cls->kind == PV_NATIVE && cls->native.nat == &nn_natives[3]) return py_is_module(v);
    if (cls->kind == PV_NATIVE && cls->native.nat == &nn_natives[0]) return v->kind == PV_SEQ && v->mod->kind == PM_SEQUENTIAL;
    *known = false;
    return false;
}
