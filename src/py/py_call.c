/* py_call.c - calls, as Python binds arguments to parameters (defaults,
 * *args, **kwargs, keyword-only), the file's functions, classes and
 * instances, super(), and a module's __call__ -> forward(). */
#include "py/py_interp.h"
#include "py/py_torch.h"

#include <stdio.h>
#include <string.h>

/* ---- call expressions ---------------------------------------------------- */

typedef struct argbuf {
    pyseq *pos;
    pyseq *kwvals;
    const char **kwnames;
    size_t nkw, kwcap;
} argbuf;

static bool push_kw(py *P, argbuf *b, const char *name, pyval v, src_span at)
{
    for (size_t i = 0; i < b->nkw; i++)
        if (!strcmp(b->kwnames[i], name))
            return py_raise(P, at, "TypeError", "got multiple values for keyword argument '%s'", name);
    if (b->nkw == b->kwcap) {
        size_t ncap = b->kwcap ? b->kwcap * 2 : 4;
        const char **nn = py_alloc(P, ncap * sizeof *nn, at);
        if (!nn) return false;
        if (b->nkw) memcpy(nn, b->kwnames, b->nkw * sizeof *nn);
        b->kwnames = nn;
        b->kwcap = ncap;
    }
    b->kwnames[b->nkw++] = name;
    return py_seq_push(P, b->kwvals, v, at);
}

/* The keywords of a call: name=value and **mapping. */
static bool eval_keywords(py *P, const pyx *e, argbuf *b)
{
    for (uint32_t i = 0; i < e->call.kws.n; i++) {
        const pyx *k = e->call.kws.v[i];
        pyval v;
        if (k->kind == PYX_KEYWORD) {
            if (!py_eval(P, k->kw.value, &v) || !push_kw(P, b, k->kw.name, v, k->span)) return false;
            continue;
        }
        if (!py_eval(P, k->starred.value, &v)) return false;
        if (v.kind != PV_DICT)
            return py_raise(P, k->span, "TypeError", "argument after ** must be a mapping, not %s", py_type_name(&v));
        for (size_t j = 0; j < v.dict->n; j++) {
            if (v.dict->keys[j].kind != PV_STR) return py_raise(P, k->span, "TypeError", "keywords must be strings");
            if (!push_kw(P, b, v.dict->keys[j].s->s, v.dict->vals[j], k->span)) return false;
        }
    }
    return true;
}

/* The common call, f(a, b) with at most CALL_FAST plain arguments: they
 * stay on the C stack for the call (every callee copies what it keeps),
 * so a layer called a million times in a loop allocates no argument list. */
enum { CALL_FAST = 8 };

static bool plain_args(const pyx *e)
{
    if (e->call.args.n > CALL_FAST || e->call.kws.n) return false;
    for (uint32_t i = 0; i < e->call.args.n; i++)
        if (e->call.args.v[i]->kind == PYX_STARRED) return false;
    return true;
}

bool py_eval_call(py *P, const pyx *e, pyval *out)
{
    if (!P->lib_depth) P->module_at = e->span;  /* where the file calls into the library */
    pyval fn;
    if (!py_eval(P, e->call.func, &fn)) return false;
    if (plain_args(e)) {
        pyval pos[CALL_FAST];
        for (uint32_t i = 0; i < e->call.args.n; i++)
            if (!py_eval(P, e->call.args.v[i], &pos[i])) return false;
        pycall_args a = { pos, e->call.args.n, NULL, NULL, 0, e->span, e };
        return py_call(P, &fn, &a, out);
    }
    argbuf b = { 0 };
    if (!(b.pos = py_seq_new(P, e->call.args.n, e->span)) || !(b.kwvals = py_seq_new(P, e->call.kws.n, e->span)))
        return false;
    for (uint32_t i = 0; i < e->call.args.n; i++) {
        const pyx *x = e->call.args.v[i];
        pyval v;
        if (x->kind == PYX_STARRED) {
            pyseq *items;
            if (!py_eval(P, x->starred.value, &v) || !py_iter_items(P, &v, x->span, &items)) return false;
            for (size_t k = 0; k < items->n; k++)
                if (!py_seq_push(P, b.pos, items->v[k], x->span)) return false;
            continue;
        }
        if (!py_eval(P, x, &v) || !py_seq_push(P, b.pos, v, x->span)) return false;
    }
    if (!eval_keywords(P, e, &b)) return false;
    pycall_args a = { b.pos->v, b.pos->n, b.kwnames, b.kwvals->v, b.nkw, e->span, e };
    return py_call(P, &fn, &a, out);
}

/* ---- the file's functions ------------------------------------------------- */

bool py_make_function(py *P, const char *name, const pyparams *params, const pys_list *body, const pyx *expr,
                      src_span at, pyval *out)
{
    pyfunc *fn = py_alloc(P, sizeof *fn, at);
    if (!fn) return false;
    fn->name = name;
    fn->params = params;
    fn->body = body;
    fn->expr = expr;
    fn->span = at;
    pyframe *cur = py_current_frame(P);
    fn->closure = cur == &P->globals || cur == P->zoo ? NULL : cur;
    fn->module = cur->module;
    if (params->n && !(fn->defaults = py_alloc(P, params->n * sizeof *fn->defaults, at))) return false;
    for (uint32_t i = 0; i < params->n; i++) {
        fn->defaults[i].kind = PV_KIND_COUNT;   /* none */
        if (params->v[i].def && !py_eval(P, params->v[i].def, &fn->defaults[i])) return false;
    }
    out->kind = PV_FUNC;
    out->fn = fn;
    return true;
}

/* The name Python 3.11 puts in a call's TypeError: Net.forward for a method. */
static const char *qualname(const pyfunc *fn, char *buf, size_t cap)
{
    if (!fn->owner) return fn->name;
    snprintf(buf, cap, "%s.%s", fn->owner->name, fn->name);
    return buf;
}

static bool missing(py *P, const pyfunc *fn, const pyframe *f, src_span at, bool kwonly)
{
    const pyparams *ps = fn->params;
    char names[300] = "", q[200];
    size_t len = 0;
    int n = 0, k = 0;
    uint32_t lo = kwonly ? ps->kwonly : 0, hi = kwonly ? ps->n : ps->kwonly;
    for (int pass = 0; pass < 2; pass++)
        for (uint32_t i = lo; i < hi; i++) {
            bool have = false;
            for (size_t j = 0; j < f->n; j++) have |= !strcmp(f->vars[j].name, ps->v[i].name);
            if (have) continue;
            if (!pass) { n++; continue; }
            /* Python's list: 'a'; 'a' and 'b'; 'a', 'b', and 'c' */
            const char *sep = !k ? "" : k < n - 1 ? ", " : n == 2 ? " and " : ", and ";
            int w = snprintf(names + len, sizeof names - len, "%s'%s'", sep, ps->v[i].name);
            if (w > 0 && (size_t)w < sizeof names - len) len += (size_t)w;
            k++;
        }
    if (!n) return true;
    return py_raise(P, at, "TypeError", "%s() missing %d required %s argument%s: %s", qualname(fn, q, sizeof q), n,
                    kwonly ? "keyword-only" : "positional", n == 1 ? "" : "s", names);
}

static bool bind_positional(py *P, const pyfunc *fn, pyframe *f, const pycall_args *a)
{
    const pyparams *ps = fn->params;
    size_t take = a->npos < ps->kwonly ? a->npos : ps->kwonly;
    for (size_t i = 0; i < take; i++)
        if (!py_frame_set(P, f, ps->v[i].name, a->pos[i])) return false;
    if (ps->vararg.name) {
        pyseq *rest = py_seq_new(P, a->npos - take, a->at);
        if (!rest) return false;
        for (size_t i = take; i < a->npos; i++) rest->v[rest->n++] = a->pos[i];
        pyval t = { .kind = PV_TUPLE, .seq = rest };
        return py_frame_set(P, f, ps->vararg.name, t);
    }
    if (a->npos > ps->kwonly)
        return py_raise(P, a->at, "TypeError", "%s() takes %u positional argument%s but %zu were given",
                        qualname(fn, (char[200]){ 0 }, 200), ps->kwonly, ps->kwonly == 1 ? "" : "s", a->npos);
    return true;
}

static bool bind_keywords(py *P, const pyfunc *fn, pyframe *f, const pycall_args *a, pydict *extra)
{
    const pyparams *ps = fn->params;
    for (size_t k = 0; k < a->nkw; k++) {
        const char *name = a->kwnames[k];
        uint32_t i = ps->nposonly;
        while (i < ps->n && strcmp(ps->v[i].name, name)) i++;
        if (i == ps->n) {
            if (!extra) return py_raise(P, a->at, "TypeError", "%s() got an unexpected keyword argument '%s'",
                                      qualname(fn, (char[200]){ 0 }, 200), name);
            pyval key = pv_str(P, name, a->at);
            if (P->failed || !py_dict_set(P, extra, key, a->kw[k], a->at)) return false;
            continue;
        }
        for (size_t j = 0; j < f->n; j++)
            if (!strcmp(f->vars[j].name, name))
                return py_raise(P, a->at, "TypeError", "%s() got multiple values for argument '%s'",
                                    qualname(fn, (char[200]){ 0 }, 200), name);
        if (!py_frame_set(P, f, name, a->kw[k])) return false;
    }
    return true;
}

/* Python's binding: positionals, then keywords, then the defaults. */
static bool bind_args(py *P, const pyfunc *fn, pyframe *f, const pycall_args *a)
{
    const pyparams *ps = fn->params;
    pydict *extra = NULL;
    if (ps->kwarg.name && !(extra = py_dict_new(P, a->at))) return false;
    if (!bind_positional(P, fn, f, a) || !bind_keywords(P, fn, f, a, extra)) return false;
    for (uint32_t i = 0; i < ps->n; i++) {
        if (fn->defaults[i].kind == PV_KIND_COUNT) continue;
        bool have = false;
        for (size_t k = 0; k < f->n && !have; k++) have = !strcmp(f->vars[k].name, ps->v[i].name);
        if (!have && !py_frame_set(P, f, ps->v[i].name, fn->defaults[i])) return false;
    }
    if (!missing(P, fn, f, a->at, false) || !missing(P, fn, f, a->at, true)) return false;
    if (extra) {
        pyval d = { .kind = PV_DICT, .dict = extra };
        return py_frame_set(P, f, ps->kwarg.name, d);
    }
    return true;
}

static bool call_function(py *P, pyfunc *fn, const pyval *self, const pycall_args *a, pyval *out)
{
    pyframe *f = py_alloc(P, sizeof *f, a->at);
    if (!f) return false;
    f->up = fn->closure;
    f->fn = fn;
    f->module = fn->module;
    pycall_args with_self = *a;
    pyval *pos = NULL;
    if (self) {
        if (!(pos = py_alloc(P, (a->npos + 1) * sizeof *pos, a->at))) return false;
        pos[0] = *self;
        if (a->npos) memcpy(pos + 1, a->pos, a->npos * sizeof *pos);
        with_self.pos = pos;
        with_self.npos = a->npos + 1;
        f->self = *self;
    } else if (a->npos) {
        f->self = a->pos[0];    /* Base.__init__(self, ...): super() finds self there */
    }
    if (!py_push_frame(P, f)) {
        P->err.at = a->at;
        return false;
    }
    bool lib = fn->module && fn->module == P->zoo;
    P->lib_depth += lib;
    bool ok = bind_args(P, fn, f, &with_self);
    if (ok && fn->expr) {
        ok = py_eval(P, fn->expr, out);
    } else if (ok) {
        py_flow fl = py_exec_block(P, f, fn->body);
        ok = fl != FLOW_ERROR;
        *out = fl == FLOW_RETURN ? P->retval : pv_none();
    }
    P->lib_depth -= lib;
    py_pop_frame(P);
    return ok;
}

/* ---- classes and instances --------------------------------------------------- */

static pyval *class_lookup(pyclass *c, const char *name, pyclass **where)
{
    for (; c; c = c->base) {
        pyval *v = py_attrs_get(&c->attrs, name);
        if (v) {
            if (where) *where = c;
            return v;
        }
    }
    return NULL;
}

int py_module_base(py *P, const pyval *base);     /* py_nn.c: 1 + kind, or 0 */
bool py_seq_object_forward(py *P, const pyval *self, const pycall_args *a, pyval *out);   /* py_nn.c */
bool py_new_module_object(py *P, pyobj *obj);      /* py_model.c: its container */

bool py_make_class(py *P, const pys *st, pyval *out)
{
    pyclass *c = py_alloc(P, sizeof *c, st->span);
    if (!c) return false;
    c->name = st->class_.name;
    c->def = st;
    c->library = py_current_frame(P)->module && py_current_frame(P)->module == P->zoo;
    for (uint32_t i = 0; i < st->class_.bases.n; i++) {
        pyval b;
        const pyx *bx = st->class_.bases.v[i];
        /* `class Config(object):` - every class derives from object: no base */
        if (bx->kind == PYX_NAME && !strcmp(bx->name.id, "object") && !py_frame_get(P, py_current_frame(P), "object", &b))
            continue;
        if (!py_eval(P, bx, &b)) return false;
        if (b.kind == PV_CLASS) {
            if (c->base) return py_unsupported(P, st->class_.bases.v[i]->span, "probe follows one base class of the file");
            c->base = b.cls;
            c->is_module |= b.cls->is_module;
            c->seq_kind = b.cls->seq_kind;
        } else if ((c->seq_kind = py_module_base(P, &b)) > 0) {
            c->is_module = true;
        } else if (!P->failed) {
            return py_unsupported(P, st->class_.bases.v[i]->span,
                                  "probe knows classes derived from nn.Module or from classes of the file, not from %s",
                                  py_type_name(&b));
        }
        if (P->failed) return false;
    }
    pyframe *f = py_alloc(P, sizeof *f, st->span);
    if (!f) return false;
    f->up = NULL;
    f->module = py_current_frame(P)->module;
    if (!py_push_frame(P, f)) return false;
    py_flow fl = py_exec_block(P, f, &st->class_.body);
    py_pop_frame(P);
    if (fl == FLOW_ERROR) return false;
    for (size_t i = 0; i < f->n; i++) {
        pyval key = pv_str(P, f->vars[i].name, st->span);
        if (f->vars[i].v.kind == PV_FUNC) f->vars[i].v.fn->owner = c;
        if (P->failed || !py_dict_set(P, &c->attrs, key, f->vars[i].v, st->span)) return false;
    }
    out->kind = PV_CLASS;
    out->cls = c;
    return true;
}

static bool instantiate(py *P, pyclass *c, const pycall_args *a, pyval *out)
{
    pyobj *o = py_alloc(P, sizeof *o, a->at);
    if (!o) return false;
    o->cls = c;
    o->in_file = !P->lib_depth;
    /* a block the library builds is placed at the file's call into it */
    o->made_at = !o->in_file ? P->module_at : a->call ? a->call->span : a->at;
    if (c->is_module) {
        if (!P->building)
            return py_unsupported(P, a->at, "forward() builds a module (%s): probe follows modules built in __init__", c->name);
        if (!py_new_module_object(P, o)) return false;
    }
    out->kind = PV_OBJECT;
    out->obj = o;
    pyval *init = class_lookup(c, "__init__", NULL);
    if (!init) {
        if (a->npos || a->nkw) return py_raise(P, a->at, "TypeError", "%s() takes no arguments", c->name);
        return true;
    }
    if (init->kind != PV_FUNC) return py_unsupported(P, a->at, "%s.__init__ is not a function", c->name);
    pyval ignored;
    return call_function(P, init->fn, out, a, &ignored);
}

/* ---- attributes -------------------------------------------------------------- */

bool py_module_attr(py *P, const pyval *self, const char *name, src_span at, pyval *out, bool *found);  /* py_torch.c */

static bool bind_member(py *P, pyval *v, const pyval *self, pyclass *cls, src_span at, pyval *out)
{
    if (v->kind != PV_FUNC || v->fn->is_static) {
        *out = *v;
        return true;
    }
    pyboxed *box = py_alloc(P, sizeof *box, at);
    if (!box) return false;
    box->v[0] = *self;
    if (v->fn->is_classmethod) {
        box->v[0].kind = PV_CLASS;
        box->v[0].cls = cls;
    }
    out->kind = PV_METHOD;
    out->method.fn = v->fn;
    out->method.self = box;
    return true;
}

static bool object_attr(py *P, const pyval *obj, const char *name, src_span at, pyval *out)
{
    pyval *v = py_attrs_get(&obj->obj->attrs, name);
    if (v) {
        *out = *v;
        return true;
    }
    pyclass *where;
    if ((v = class_lookup(obj->obj->cls, name, &where))) return bind_member(P, v, obj, obj->obj->cls, at, out);
    if (obj->obj->cls->is_module) {
        bool found = false;
        if (!py_module_attr(P, obj, name, at, out, &found) || found) return !P->failed;
    }
    return py_raise(P, at, "AttributeError", "'%s' object has no attribute '%s'", obj->obj->cls->name, name);
}

static bool super_attr(py *P, const pyval *sup, const char *name, src_span at, pyval *out)
{
    pyval self = { .kind = PV_OBJECT, .obj = sup->super.obj };
    pyclass *where;
    pyval *v = class_lookup(sup->super.cls->base, name, &where);
    if (v) return bind_member(P, v, &self, sup->super.cls, at, out);
    bool found = false;
    if (sup->super.cls->is_module && (!py_module_attr(P, &self, name, at, out, &found) || found)) return !P->failed;
    return py_raise(P, at, "AttributeError", "'super' object has no attribute '%s'", name);
}

bool py_getattr(py *P, const pyval *obj, const char *name, src_span at, pyval *out)
{
    pyclass *where;
    pyval *v;
    switch (obj->kind) {
    case PV_OBJECT: return object_attr(P, obj, name, at, out);
    case PV_SUPER: return super_attr(P, obj, name, at, out);
    case PV_CLASS:
        if ((v = class_lookup(obj->cls, name, &where))) {
            if (v->kind == PV_FUNC && !v->fn->is_classmethod) return *out = *v, true;   /* Base.__init__: unbound */
            return bind_member(P, v, obj, obj->cls, at, out);
        }
        if (!strcmp(name, "__name__")) return *out = pv_str(P, obj->cls->name, at), !P->failed;
        return py_raise(P, at, "AttributeError", "type object '%s' has no attribute '%s'", obj->cls->name, name);
    default: {
        bool found = false;
        if (!py_value_attr(P, obj, name, at, out, &found)) return false;
        if (found) return true;
        return py_raise(P, at, "AttributeError", "'%s' object has no attribute '%s'", py_type_name(obj), name);
    }
    }
}

bool py_register_child(py *P, pyobj *parent, const char *name, const pyval *child, src_span at);  /* py_model.c */
bool py_seq_set_named(py *P, const pyval *seq, const char *name, pyval v, src_span at);          /* py_nn.c */

bool py_setattr(py *P, const pyval *obj, const char *name, pyval v, src_span at)
{
    if (obj->kind != PV_OBJECT) {
        if (obj->kind == PV_SEQ && P->building && py_is_module(&v)) return py_seq_set_named(P, obj, name, v, at);
        if (obj->kind == PV_LAYER || obj->kind == PV_SEQ)
            return py_unsupported(P, at, "probe cannot follow a change to a torch.nn module's attribute");
        return py_raise(P, at, "AttributeError", "'%s' object has no attribute '%s'", py_type_name(obj), name);
    }
    pyobj *o = obj->obj;
    if (!P->building)
        return py_unsupported(P, at, "forward() sets self.%s: probe follows attributes set in __init__ only", name);
    if (o->container && py_is_module(&v) && !py_register_child(P, o, name, &v, at)) return false;
    pyval key = pv_str(P, name, at);
    return !P->failed && py_dict_set(P, &o->attrs, key, v, at);
}

/* ---- calling anything ---------------------------------------------------------- */

static bool call_class(py *P, pyclass *c, const pycall_args *a, pyval *out)
{
    return instantiate(P, c, a, out);
}

/* A native call: a tensor it makes comes from the tensor it reads (self,
 * or its first tensor argument) unless it says otherwise (py_flow_join). */
static bool call_native(py *P, const pyval *fn, const pycall_args *a, pyval *out)
{
    const pyval *self = fn->aux ? &fn->native.self->v[0] : NULL;
    uint32_t outer = P->flow;
    P->flow = FLOW_NONE;
    if (self && self->kind == PV_TENSOR) P->flow = self->aux;
    for (size_t i = 0; i < a->npos && P->flow == FLOW_NONE; i++)
        if (a->pos[i].kind == PV_TENSOR) P->flow = a->pos[i].aux;
    bool ok = fn->native.nat->fn(P, self, a, out);
    P->flow = outer;
    return ok;
}

bool py_call(py *P, const pyval *fn, const pycall_args *a, pyval *out)
{
    if (P->failed) return false;
    switch (fn->kind) {
    case PV_FUNC: return call_function(P, fn->fn, NULL, a, out);
    case PV_METHOD: return call_function(P, fn->method.fn, &fn->method.self->v[0], a, out);
    case PV_CLASS: return call_class(P, fn->cls, a, out);
    case PV_NATIVE: return call_native(P, fn, a, out);
    case PV_NNCLASS: return py_make_layer(P, fn->op, a, out);
    case PV_OBJECT: case PV_LAYER: case PV_SEQ: return py_call_module(P, fn, a, out);
    case PV_NS:
        /* from os import system; system(...): a name of a module probe
         * does not know, called */
        return py_unsupported(P, a->at, "probe does not know '%s': a model file may import it, not call it", fn->ns->name);
    default:
        return py_raise(P, a->at, "TypeError", "'%s' object is not callable", py_type_name(fn));
    }
}

bool py_call_module(py *P, const pyval *mod, const pycall_args *a, pyval *out)
{
    if (mod->kind == PV_OBJECT) {
        if (!mod->obj->cls->is_module) {
            pyval *call = class_lookup(mod->obj->cls, "__call__", NULL);
            if (!call || call->kind != PV_FUNC)
                return py_raise(P, a->at, "TypeError", "'%s' object is not callable", mod->obj->cls->name);
            return call_function(P, call->fn, mod, a, out);
        }
        pyval *fwd = class_lookup(mod->obj->cls, "forward", NULL);
        if (!fwd && mod->obj->cls->seq_kind == 1 + 1 + PM_SEQUENTIAL) return py_seq_object_forward(P, mod, a, out);
        if (!fwd || fwd->kind != PV_FUNC)
            return py_raise(P, a->at, "NotImplementedError", "Module [%s] is missing the required \"forward\" function",
                            mod->obj->cls->name);
        /* errors in a block's forward() are its line's: where it is
         * printed, written, or the call into the library that built it */
        src_span outer = P->module_at;
        P->module_at = mod->obj->made_at;
        bool ok = call_function(P, fwd->fn, mod, a, out);
        P->module_at = outer;
        return ok;
    }
    if (mod->kind == PV_LAYER) return py_run_layer(P, mod->mod, a, out);
    /* nn.Sequential: each child's output is the next one's input */
    if (mod->mod->kind != PM_SEQUENTIAL)
        return py_raise(P, a->at, "NotImplementedError", "Module [%s] is missing the required \"forward\" function",
                        py_type_name(mod));
    if (a->npos != 1 || a->nkw)
        return py_raise(P, a->at, "TypeError", "Sequential.forward() takes 2 positional arguments but %zu were given",
                        a->npos + 1);
    /* its forward() is a call, as in Python: a loop may nest a hundred
     * thousand of them, and each level is a C frame here */
    if (P->depth >= PY_MAX_CALLS)
        return py_raise(P, a->at, "RecursionError", "maximum recursion depth exceeded (probe's limit: %d nested calls)",
                        PY_MAX_CALLS);
    P->depth++;
    pyval x = a->pos[0];
    bool ok = true;
    for (size_t i = 0; i < mod->mod->items.n && ok; i++) {
        pycall_args one = { &x, 1, NULL, NULL, 0, a->at, NULL };
        pyval y;
        if ((ok = py_call(P, &mod->mod->items.v[i], &one, &y))) x = y;
    }
    P->depth--;
    *out = x;
    return ok;
}
