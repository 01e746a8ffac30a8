/* py_exec.c - statements and frames: assignment (to names, attributes,
 * subscripts, unpacked tuples), the control flow, imports, definitions.
 * A statement probe does not run is refused at its line. */
#include "py/py_interp.h"

#include <string.h>

/* ---- frames -------------------------------------------------------------- */

pyframe *py_current_frame(py *P) { return P->frame; }

bool py_push_frame(py *P, pyframe *f)
{
    if (P->depth >= PY_MAX_CALLS)
        return py_raise(P, P->frame ? (src_span){ 0, 0, 0, 0 } : (src_span){ 0, 0, 0, 0 }, "RecursionError",
                        "maximum recursion depth exceeded (probe's limit: %d nested calls)", PY_MAX_CALLS);
    P->depth++;
    f->caller = P->frame;
    P->frame = f;
    return true;
}

void py_pop_frame(py *P)
{
    P->depth--;
    P->frame = P->frame->caller;
}

static pyvar *frame_find(pyframe *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->vars[i].name == name || !strcmp(f->vars[i].name, name)) return &f->vars[i];
    return NULL;
}

static bool declared_global(const pyframe *f, const char *name)
{
    for (size_t i = 0; i < f->nglobals; i++)
        if (!strcmp(f->globals[i], name)) return true;
    return false;
}

/* The module frame whose names f sees: the library's or the file's. */
static pyframe *module_of(py *P, const pyframe *f)
{
    return f && f->module ? f->module : &P->globals;
}

bool py_frame_set(py *P, pyframe *f, const char *name, pyval v)
{
    pyframe *module = module_of(P, f);
    if (f != module && declared_global(f, name)) f = module;
    if ((f == &P->globals || f == P->zoo) && !P->building)
        return py_unsupported(P, (src_span){ 0, 0, 0, 0 }, "forward() sets the global '%s': probe follows globals set at the top level", name);
    pyvar *have = frame_find(f, name);
    if (have) {
        have->v = v;
        return true;
    }
    if (f->n == f->cap) {
        size_t ncap = f->cap ? f->cap * 2 : 8;
        if (ncap > PY_MAX_ITEMS) return py_raise(P, (src_span){ 0, 0, 0, 0 }, "MemoryError", "too many names in one scope");
        pyvar *nv = py_alloc(P, ncap * sizeof *nv, (src_span){ 0, 0, 0, 0 });
        if (!nv) return false;
        if (f->n) memcpy(nv, f->vars, f->n * sizeof *nv);
        f->vars = nv;
        f->cap = ncap;
    }
    f->vars[f->n].name = name;
    f->vars[f->n++].v = v;
    return true;
}

bool py_frame_get(py *P, pyframe *f, const char *name, pyval *out)
{
    for (pyframe *s = f; s; s = s->up) {
        pyvar *v = frame_find(s, name);
        if (v) {
            *out = v->v;
            return true;
        }
    }
    pyvar *g = frame_find(module_of(P, f), name);
    if (g) {
        *out = g->v;
        return true;
    }
    const pynative *b = py_builtin(name);
    if (!b) return false;
    *out = pv_native(b);
    return true;
}

/* ---- assignment ----------------------------------------------------------- */

static bool unpack(py *P, pyframe *f, const pyx *target, const pyval *v)
{
    pyseq *items;
    if (v->kind == PV_TENSOR)
        return py_unsupported(P, target->span, "unpacking a tensor into names: probe cannot follow it");
    if (!py_iter_items(P, v, target->span, &items)) return false;
    const pyx_list *t = &target->elts;
    uint32_t star = t->n;
    for (uint32_t i = 0; i < t->n; i++)
        if (t->v[i]->kind == PYX_STARRED) star = i;
    size_t need = star < t->n ? t->n - 1u : t->n;
    if (star == t->n && items->n != need) {
        if (items->n > need) return py_raise(P, target->span, "ValueError", "too many values to unpack (expected %zu)", need);
        return py_raise(P, target->span, "ValueError", "not enough values to unpack (expected %zu, got %zu)", need, items->n);
    }
    if (items->n < need)
        return py_raise(P, target->span, "ValueError", "not enough values to unpack (expected at least %zu, got %zu)", need, items->n);
    size_t rest = items->n - need;
    for (uint32_t i = 0, k = 0; i < t->n; i++) {
        if (i == star) {
            pyseq *s = py_seq_new(P, rest, target->span);
            if (!s) return false;
            for (size_t j = 0; j < rest; j++) s->v[s->n++] = items->v[k++];
            pyval lv = { .kind = PV_LIST, .seq = s };
            if (!py_assign_target(P, f, t->v[i]->starred.value, lv)) return false;
            continue;
        }
        if (!py_assign_target(P, f, t->v[i], items->v[k++])) return false;
    }
    return true;
}

bool py_setitem(py *P, const pyval *obj, const pyval *key, pyval v, src_span at);

bool py_assign_target(py *P, pyframe *f, const pyx *target, pyval v)
{
    switch (target->kind) {
    case PYX_NAME:
        if (py_frame_set(P, f, target->name.id, v)) return true;
        if (!P->err.at.line) P->err.at = target->span;   /* py_frame_set knows no place */
        return false;
    case PYX_ATTR: {
        pyval obj;
        return py_eval(P, target->attr.value, &obj) && py_setattr(P, &obj, target->attr.name, v, target->attr.name_span);
    }
    case PYX_SUBSCRIPT: {
        pyval obj, key;
        return py_eval(P, target->sub.value, &obj) && py_eval(P, target->sub.index, &key) &&
               py_setitem(P, &obj, &key, v, target->span);
    }
    case PYX_TUPLE: case PYX_LIST: return unpack(P, f, target, &v);
    default: return py_raise(P, target->span, "SyntaxError", "cannot assign to this expression");
    }
}

static py_flow flow_of(bool ok) { return ok ? FLOW_NEXT : FLOW_ERROR; }

static py_flow exec_assign(py *P, pyframe *f, const pys *st)
{
    pyval v;
    if (!py_eval(P, st->assign.value, &v)) return FLOW_ERROR;
    for (uint32_t i = 0; i < st->assign.targets.n; i++)
        if (!py_assign_target(P, f, st->assign.targets.v[i], v)) return FLOW_ERROR;
    return FLOW_NEXT;
}

/* x += y: in place on a list and a tensor (out += identity), as Python
 * calls __iadd__; rebinding otherwise. */
static py_flow exec_augassign(py *P, pyframe *f, const pys *st)
{
    pyval cur, v, r;
    if (!py_eval(P, st->aug.target, &cur) || !py_eval(P, st->aug.value, &v)) return FLOW_ERROR;
    if (cur.kind == PV_LIST && st->aug.op == PYOP_PLUS) {
        pyseq *items;
        if (cur.seq->frozen && !P->building) return flow_of(py_unsupported(P, st->span, "forward() changes a list that __init__ made: probe cannot follow it"));
        if (!py_iter_items(P, &v, st->aug.value->span, &items)) return FLOW_ERROR;
        size_t n = items->n;
        for (size_t i = 0; i < n; i++)
            if (!py_seq_push(P, cur.seq, items->v[i], st->span)) return FLOW_ERROR;
        return FLOW_NEXT;
    }
    if (!py_binop(P, st->aug.op, &cur, &v, true, st->span, &r)) return FLOW_ERROR;
    return flow_of(py_assign_target(P, f, st->aug.target, r));
}

/* ---- control flow ----------------------------------------------------------- */

static py_flow exec_if(py *P, pyframe *f, const pys *st)
{
    pyval t;
    bool yes;
    if (!py_eval(P, st->if_.test, &t) || !py_truth(P, &t, st->if_.test->span, &yes)) return FLOW_ERROR;
    return py_exec_block(P, f, yes ? &st->if_.body : &st->if_.orelse);
}

static py_flow exec_for(py *P, pyframe *f, const pys *st)
{
    pyval it;
    pyseq *items;
    if (!py_eval(P, st->for_.iter, &it) || !py_iter_items(P, &it, st->for_.iter->span, &items)) return FLOW_ERROR;
    size_t n = items->n;    /* a list changed while it is walked: as far as it was */
    for (size_t i = 0; i < n && i < items->n; i++) {
        if (!py_step(P, st->span) || !py_assign_target(P, f, st->for_.target, items->v[i])) return FLOW_ERROR;
        py_flow fl = py_exec_block(P, f, &st->for_.body);
        if (fl == FLOW_BREAK) return FLOW_NEXT;
        if (fl == FLOW_RETURN || fl == FLOW_ERROR) return fl;
    }
    return py_exec_block(P, f, &st->for_.orelse);
}

static py_flow exec_while(py *P, pyframe *f, const pys *st)
{
    for (;;) {
        pyval t;
        bool yes;
        if (!py_step(P, st->span)) return FLOW_ERROR;
        if (!py_eval(P, st->while_.test, &t) || !py_truth(P, &t, st->while_.test->span, &yes)) return FLOW_ERROR;
        if (!yes) break;
        py_flow fl = py_exec_block(P, f, &st->while_.body);
        if (fl == FLOW_BREAK) return FLOW_NEXT;
        if (fl == FLOW_RETURN || fl == FLOW_ERROR) return fl;
    }
    return py_exec_block(P, f, &st->while_.orelse);
}

/* ---- imports -------------------------------------------------------------- */

/* `import a.b.c` binds a; `import a.b as c` binds c to a.b. */
static py_flow exec_import(py *P, pyframe *f, const pys *st)
{
    for (uint32_t i = 0; i < st->import_.n; i++) {
        const pyalias *al = &st->import_.names[i];
        if (al->asname) {
            if (!py_frame_set(P, f, al->asname, py_import(P, al->name, NULL))) return FLOW_ERROR;
            continue;
        }
        const char *dot = strchr(al->name, '.');
        const char *top = al->name;
        char buf[128];
        if (dot) {
            size_t n = (size_t)(dot - al->name) < sizeof buf - 1 ? (size_t)(dot - al->name) : sizeof buf - 1;
            memcpy(buf, al->name, n);
            buf[n] = '\0';
            pyval ns = py_import(P, buf, NULL);
            pyvar *have = frame_find(f, buf);
            if (have && have->v.kind == PV_NS) continue;
            if (!(top = py_str_new(P, buf, n, al->span)->s) || !py_frame_set(P, f, top, ns)) return FLOW_ERROR;
            continue;
        }
        if (!py_frame_set(P, f, top, py_import(P, top, NULL))) return FLOW_ERROR;
    }
    return FLOW_NEXT;
}

static py_flow exec_importfrom(py *P, pyframe *f, const pys *st)
{
    const char *module = st->import_.module ? st->import_.module : "";
    if (st->import_.level) module = "";     /* a relative import: the user's own package */
    for (uint32_t i = 0; i < st->import_.n; i++) {
        const pyalias *al = &st->import_.names[i];
        if (!strcmp(al->name, "*")) {
            if (!strcmp(module, "torch.nn") || !strcmp(module, "torch")) continue;   /* names come from the namespace on use */
            continue;
        }
        pyval v = py_import(P, module, al->name);
        if (!py_frame_set(P, f, al->asname ? al->asname : al->name, v)) return FLOW_ERROR;
    }
    return FLOW_NEXT;
}

/* ---- the rest --------------------------------------------------------------- */

static py_flow exec_raise(py *P, const pys *st)
{
    pyval v = pv_none();
    if (st->raise_.exc && !py_eval(P, st->raise_.exc, &v)) return FLOW_ERROR;
    sb msg;
    sb_init(&msg);
    py_repr(&v, &msg);
    py_raise(P, st->span, "Exception", "the model file raises an exception here (%s)", msg.buf ? msg.buf : "");
    sb_free(&msg);
    return FLOW_ERROR;
}

static py_flow exec_assert(py *P, const pys *st)
{
    pyval t;
    bool yes;
    if (!py_eval(P, st->assert_.test, &t) || !py_truth(P, &t, st->assert_.test->span, &yes)) return FLOW_ERROR;
    if (yes) return FLOW_NEXT;
    return flow_of(py_raise(P, st->span, "AssertionError", "the model file's assert fails here"));
}

static py_flow exec_def(py *P, pyframe *f, const pys *st)
{
    pyval fn;
    if (!py_make_function(P, st->def_.name, &st->def_.params, &st->def_.body, NULL, st->def_.name_span, &fn))
        return FLOW_ERROR;
    for (uint32_t i = 0; i < st->def_.decorators.n; i++) {
        const pyx *d = st->def_.decorators.v[i];
        const char *name = d->kind == PYX_NAME ? d->name.id : d->kind == PYX_ATTR ? d->attr.name : "";
        if (!strcmp(name, "staticmethod")) fn.fn->is_static = true;
        else if (!strcmp(name, "classmethod")) fn.fn->is_classmethod = true;
        else if (strcmp(name, "no_grad") && strcmp(name, "jit") && strcmp(name, "script") && strcmp(name, "unused"))
            return flow_of(py_unsupported(P, d->span, "probe does not run decorators but @staticmethod and @classmethod"));
    }
    return flow_of(py_frame_set(P, f, st->def_.name, fn));
}

static py_flow exec_global(py *P, pyframe *f, const pys *st)
{
    if (f == &P->globals) return FLOW_NEXT;
    const char **v = py_alloc(P, (f->nglobals + st->names.n) * sizeof *v, st->span);
    if (!v) return FLOW_ERROR;
    if (f->nglobals) memcpy(v, f->globals, f->nglobals * sizeof *v);
    for (uint32_t i = 0; i < st->names.n; i++) v[f->nglobals + i] = st->names.v[i];
    f->globals = v;
    f->nglobals += st->names.n;
    return FLOW_NEXT;
}

/* try: the body runs; nothing probe raises is caught (its errors are the
 * answer), so the handlers never run; else and finally do. */
static py_flow exec_try(py *P, pyframe *f, const pys *st)
{
    py_flow fl = py_exec_block(P, f, &st->try_.body);
    if (fl == FLOW_NEXT) fl = py_exec_block(P, f, &st->try_.orelse);
    if (fl == FLOW_ERROR) return fl;
    py_flow fin = py_exec_block(P, f, &st->try_.finalbody);
    return fin == FLOW_NEXT ? fl : fin;
}

/* with torch.no_grad(): ... -- the context changes no shape: the body runs. */
static py_flow exec_with(py *P, pyframe *f, const pys *st)
{
    for (uint32_t i = 0; i < st->with_.n; i++)
        if (st->with_.items[i].var)
            return flow_of(py_unsupported(P, st->span, "probe runs a with-statement's body, but cannot bind `as` names"));
    return py_exec_block(P, f, &st->with_.body);
}

static py_flow exec_stmt(py *P, pyframe *f, const pys *st)
{
    pyval v;
    switch (st->kind) {
    case PYS_EXPR: return flow_of(py_eval(P, st->expr, &v));
    case PYS_ASSIGN: return exec_assign(P, f, st);
    case PYS_AUGASSIGN: return exec_augassign(P, f, st);
    case PYS_ANNASSIGN:
        if (!st->ann.value) return FLOW_NEXT;
        return flow_of(py_eval(P, st->ann.value, &v) && py_assign_target(P, f, st->ann.target, v));
    case PYS_IF: return exec_if(P, f, st);
    case PYS_FOR: return exec_for(P, f, st);
    case PYS_WHILE: return exec_while(P, f, st);
    case PYS_DEF: return exec_def(P, f, st);
    case PYS_CLASS: return flow_of(py_make_class(P, st, &v) && py_frame_set(P, f, st->class_.name, v));
    case PYS_RETURN:
        /* evaluated aside: the calls in the expression return values too */
        v = pv_none();
        if (st->expr && !py_eval(P, st->expr, &v)) return FLOW_ERROR;
        P->retval = v;
        return FLOW_RETURN;
    case PYS_PASS: return FLOW_NEXT;
    case PYS_BREAK: return FLOW_BREAK;
    case PYS_CONTINUE: return FLOW_CONTINUE;
    case PYS_IMPORT: return exec_import(P, f, st);
    case PYS_IMPORTFROM: return exec_importfrom(P, f, st);
    case PYS_RAISE: return exec_raise(P, st);
    case PYS_ASSERT: return exec_assert(P, st);
    case PYS_DEL: return FLOW_NEXT;     /* freeing changes no shape */
    case PYS_GLOBAL: case PYS_NONLOCAL: return exec_global(P, f, st);
    case PYS_TRY: return exec_try(P, f, st);
    case PYS_WITH: return exec_with(P, f, st);
    default: return flow_of(py_unsupported(P, st->span, "probe does not run this statement"));
    }
}

py_flow py_exec_block(py *P, pyframe *f, const pys_list *body)
{
    for (uint32_t i = 0; i < body->n; i++) {
        if (!py_step(P, body->v[i]->span)) return FLOW_ERROR;
        py_flow fl = exec_stmt(P, f, body->v[i]);
        if (fl == FLOW_CONTINUE) return FLOW_CONTINUE;
        if (fl != FLOW_NEXT) return fl;
    }
    return FLOW_NEXT;
}
