/* py_model.c - the Python front end's entry (MODELPY.md): parse the file,
 * run its top level as a module (imports, definitions, constants), pick
 * the model, build it (its __init__ makes the module tree), and give the
 * net a forward() that interprets the model's forward on each run. */
#include "py/py_interp.h"
#include "py/py_model.h"
#include "py/py_zoo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the front end keeps with the net for its runs. */

/* ---- notes and the input comment ---------------------------------------------------- */

static void add_note(py *P, src_span at, const char *fmt, const char *arg)
{
    diag *d = vec_push(&P->notes);
    if (d) diag_set(d, &P->net->ar, at, PROBE_OK, NULL, fmt, arg);
}

/* The script around the model is skipped: one note says where it starts
 * and how much of it there is. */
static void skipped(py *P, src_span at)
{
    if (!P->nskipped++) P->first_skipped = at;
}

static void note_skipped(py *P)
{
    if (!P->nskipped) return;
    char msg[200];
    snprintf(msg, sizeof msg,
             "probe skipped %d top-level statement%s, the first here: it reads the model's classes and constants, not the script around them",
             P->nskipped, P->nskipped == 1 ? "" : "s");
    add_note(P, P->first_skipped, "%s", msg);
}

/* `# input: 3x32x32` at the top level, before the first class */
static void on_comment(void *ud, src_span at)
{
    py *P = ud;
    if (P->has_input || at.col != 1) return;
    const char *s = P->text + at.off + 1;
    size_t n = at.end - at.off - 1;
    while (n && *s == ' ') s++, n--;
    if (n < 6 || strncmp(s, "input:", 6)) return;
    char buf[64];
    size_t k = n - 6 < sizeof buf - 1 ? n - 6 : sizeof buf - 1;
    memcpy(buf, s + 6, k);
    buf[k] = '\0';
    /* CxL, CxHxW or CxDxHxW: positive integers joined by 'x' */
    int64_t v[4];
    int count = 0;
    const char *c = buf;
    while (*c == ' ') c++;
    while (count < 4) {
        char *end;
        long long x = strtoll(c, &end, 10);
        if (end == c || x <= 0) return;
        v[count++] = x;
        c = end;
        if (*c != 'x' && *c != 'X') break;
        c++;
    }
    while (*c == ' ') c++;
    if (*c || count < 2) return;
    memcpy(P->input_chw, v, sizeof v);
    P->input_rank = count - 1;
    P->input_span = at;
    P->has_input = true;
}

/* ---- the top level -------------------------------------------------------------------- */

/* A call of the file's own class or function: a candidate for the model
 * (net = Net(), model = ResNet18(), model = SmallNet().to(device)). */
static const pyx *model_call(py *P, const pyx *e)
{
    while (e->kind == PYX_CALL && e->call.func->kind == PYX_ATTR && e->call.func->attr.value->kind == PYX_CALL)
        e = e->call.func->attr.value;
    if (e->kind != PYX_CALL || e->call.func->kind != PYX_NAME) return NULL;
    pyval v;
    if (!py_frame_get(P, &P->globals, e->call.func->name.id, &v)) return NULL;
    return v.kind == PV_CLASS || v.kind == PV_FUNC ? e : NULL;
}

/* Whether e calls anything but a builtin (a constant is worked out, a
 * call of a library is not made). */
static bool calls_outside(py *P, const pyx *e);

static bool list_calls_outside(py *P, const pyx_list *l)
{
    for (uint32_t i = 0; i < l->n; i++)
        if (l->v[i] && calls_outside(P, l->v[i])) return true;
    return false;
}

static bool calls_outside(py *P, const pyx *e)
{
    switch (e->kind) {
    case PYX_CALL: {
        pyval v;
        bool builtin = e->call.func->kind == PYX_NAME && py_frame_get(P, &P->globals, e->call.func->name.id, &v) &&
                       v.kind == PV_NATIVE;
        return !builtin || list_calls_outside(P, &e->call.args) || list_calls_outside(P, &e->call.kws);
    }
    case PYX_ATTR: return calls_outside(P, e->attr.value);
    case PYX_SUBSCRIPT: return calls_outside(P, e->sub.value) || calls_outside(P, e->sub.index);
    case PYX_BINOP: return calls_outside(P, e->bin.l) || calls_outside(P, e->bin.r);
    case PYX_UNARY: return calls_outside(P, e->un.x);
    case PYX_TUPLE: case PYX_LIST: case PYX_SET: return list_calls_outside(P, &e->elts);
    case PYX_DICT: return list_calls_outside(P, &e->dict.keys) || list_calls_outside(P, &e->dict.vals);
    case PYX_KEYWORD: return calls_outside(P, e->kw.value);
    case PYX_IFEXP: return calls_outside(P, e->ifexp.test) || calls_outside(P, e->ifexp.body) || calls_outside(P, e->ifexp.orelse);
    case PYX_BOOLOP: return list_calls_outside(P, &e->boolop.vals);
    case PYX_COMPARE: return calls_outside(P, e->cmp.left) || list_calls_outside(P, &e->cmp.rest);
    case PYX_LISTCOMP: case PYX_GENEXP: case PYX_SETCOMP: case PYX_DICTCOMP: case PYX_LAMBDA: case PYX_YIELD:
    case PYX_NAMEDEXPR: return true;
    default: return false;
    }
}

static bool is_main_guard(const pys *st)
{
    const pyx *t = st->if_.test;
    if (t->kind != PYX_COMPARE || t->cmp.rest.n != 1 || t->cmp.ops[0] != PYCMP_EQ) return false;
    const pyx *l = t->cmp.left, *r = t->cmp.rest.v[0];
    return (l->kind == PYX_NAME && !strcmp(l->name.id, "__name__")) || (r->kind == PYX_NAME && !strcmp(r->name.id, "__name__"));
}

typedef struct candidate { const pyx *call; const char *name; } candidate;

/* `model = models.resnet18(weights=None)`: a call of probe's torchvision
 * library (its callee evaluates without side effects to one of its
 * builders or classes). */
static bool library_call(py *P, const pyx *e)
{
    while (e->kind == PYX_CALL && e->call.func->kind == PYX_ATTR && e->call.func->attr.value->kind == PYX_CALL)
        e = e->call.func->attr.value;
    if (e->kind != PYX_CALL || (e->call.func->kind != PYX_NAME && e->call.func->kind != PYX_ATTR)) return false;
    pyval v;
    bool ok = py_eval(P, e->call.func, &v);
    if (!ok) {
        P->failed = false;
        return false;
    }
    return P->zoo && ((v.kind == PV_FUNC && v.fn->module == P->zoo) || (v.kind == PV_CLASS && v.cls->library));
}

/* Whether the statement names one of the library models bound so far
 * (model.fc = nn.Linear(512, 10) changes it; nn.Sequential(*list(
 * model.children())[:-1]) makes another from it). */
static bool mentions(const vec *names, const char *text, src_span at)
{
    for (size_t i = 0; i < names->len; i++) {
        const char *n = VEC_AT(*names, const char *, i);
        size_t len = strlen(n);
        for (uint32_t off = at.off; off + len <= at.end; off++) {
            if (memcmp(text + off, n, len)) continue;
            char b = off > at.off ? text[off - 1] : ' ', a = text[off + len];
            bool word_b = b == '_' || (b >= '0' && b <= '9') || ((b | 32) >= 'a' && (b | 32) <= 'z') || b == '.';
            bool word_a = a == '_' || (a >= '0' && a <= '9') || ((a | 32) >= 'a' && (a | 32) <= 'z');
            if (!word_b && !word_a) return true;
        }
    }
    return false;
}

/* A library model, built where the file builds it, and the statements
 * after it that change it or make one from it, run in order. */
static bool library_stmt(py *P, const pys *st, vec *libnames, pyval *libmodel)
{
    pys_list one = { (pys **)&st, 1 };
    bool bind = st->kind == PYS_ASSIGN && st->assign.targets.n == 1 && st->assign.targets.v[0]->kind == PYX_NAME;
    bool built = bind && library_call(P, st->assign.value);
    if (P->failed) return false;
    if (!built && !mentions(libnames, P->text, st->span)) return true;
    if (py_exec_block(P, &P->globals, &one) == FLOW_ERROR) {
        /* model.to(device), with device a name of the script probe skipped */
        if (strncmp(diag_message(&P->err), "NameError", 9)) return false;
        P->failed = false;
        return true;
    }
    if (!bind) return true;
    const char *name = st->assign.targets.v[0]->name.id;
    pyval v;
    if (!py_frame_get(P, &P->globals, name, &v) || !py_is_module(&v)) return true;
    const char **slot = vec_push(libnames);
    if (!slot) return py_raise(P, st->span, "MemoryError", "out of memory");
    *slot = name;
    *libmodel = v;
    return true;
}

/* One top-level statement: run, recorded as a model candidate, or skipped. */
static bool top_stmt(py *P, const pys *st, vec *cands, vec *libnames, pyval *libmodel)
{
    pys_list one = { (pys **)&st, 1 };
    if (st->kind == PYS_ASSIGN || st->kind == PYS_AUGASSIGN || st->kind == PYS_EXPR) {
        size_t before = libnames->len;
        bool ran = library_call(P, st->kind == PYS_ASSIGN ? st->assign.value : st->kind == PYS_EXPR ? st->expr
                                                                                                   : st->aug.value) ||
                   mentions(libnames, P->text, st->span);
        if (P->failed) return false;
        if (ran) return library_stmt(P, st, libnames, libmodel) || before != libnames->len;
    }
    switch (st->kind) {
    case PYS_IMPORT: case PYS_IMPORTFROM: case PYS_DEF: case PYS_CLASS: case PYS_PASS:
        return py_exec_block(P, &P->globals, &one) != FLOW_ERROR;
    case PYS_IF:
        if (!is_main_guard(st)) skipped(P, st->span);
        return true;
    case PYS_EXPR:
        if (st->expr->kind != PYX_STR) skipped(P, st->span);
        return true;
    case PYS_ASSIGN: {
        const pyx *call = model_call(P, st->assign.value);
        if (call && st->assign.targets.n == 1 && st->assign.targets.v[0]->kind == PYX_NAME) {
            candidate *c = vec_push(cands);
            if (!c) return py_raise(P, st->span, "MemoryError", "out of memory");
            c->call = call;
            c->name = st->assign.targets.v[0]->name.id;
            return true;
        }
        if (calls_outside(P, st->assign.value)) {
            skipped(P, st->span);
            return true;
        }
        if (py_exec_block(P, &P->globals, &one) != FLOW_ERROR) return true;
        /* a name of the script probe skipped: the model may not need it; any
         * other error (a limit, an overflow) is the file's, as at its import */
        if (strncmp(diag_message(&P->err), "NameError", 9)) return false;
        P->failed = false;
        skipped(P, st->span);
        return true;
    }
    default:
        skipped(P, st->span);
        return true;
    }
}

/* ---- which model ---------------------------------------------------------------------- */

/* The positional inputs forward() takes besides self, required ones. */
static int forward_inputs(const pyclass *c)
{
    for (; c; c = c->base) {
        pyval *f = py_attrs_get(&c->attrs, "forward");
        if (!f) continue;
        if (f->kind != PV_FUNC) return -1;
        int n = 0;
        for (uint32_t i = 1; i < f->fn->params->kwonly; i++) n += f->fn->defaults[i].kind == PV_KIND_COUNT;
        return n;
    }
    return -1;
}

static bool usable(const pyval *v)
{
    if (v->kind == PV_SEQ) return v->mod->kind == PM_SEQUENTIAL;
    return v->kind == PV_OBJECT && v->obj->cls->is_module && forward_inputs(v->obj->cls) == 1;
}

/* Builds one candidate; false (with the build undone) when it is not a
 * model. An error building it is the model's error. */
static bool try_candidate(py *P, const pyx *call, pyval *model)
{
    size_t nl = P->layers.len, nc = P->containers.len, ne = P->kid_events.len, na = P->store->args.len;
    size_t no = P->origins.len;
    if (!py_eval(P, call, model)) return true;
    if (usable(model)) return true;
    P->layers.len = nl;
    P->containers.len = P->kid_counts.len = nc;
    P->kid_events.len = ne;
    P->origins.len = no;
    P->store->args.len = na;
    memset(P->store->recent, 0, sizeof P->store->recent);
    memset(P->store->recent_ints, 0, sizeof P->store->recent_ints);
    return false;
}

/* Whether a class is named in another class of the file. */
static bool named_elsewhere(const char *text, const pys_list *body, const pys *cls)
{
    size_t n = strlen(cls->class_.name);
    for (uint32_t i = 0; i < body->n; i++) {
        const pys *other = body->v[i];
        if (other->kind != PYS_CLASS || other == cls) continue;
        for (uint32_t off = other->span.off; off + n <= other->span.end; off++) {
            if (memcmp(text + off, cls->class_.name, n)) continue;
            char before = off ? text[off - 1] : ' ', after = text[off + n];
            bool word = !(before == '_' || (before >= '0' && before <= '9') || ((before | 32) >= 'a' && (before | 32) <= 'z')) &&
                        !(after == '_' || (after >= '0' && after <= '9') || ((after | 32) >= 'a' && (after | 32) <= 'z'));
            if (word) return true;
        }
    }
    return false;
}

/* No instance at the top level: the module class no other class names. */
static bool pick_class(py *P, pyval *model)
{
    const pys *best = NULL;
    for (uint32_t i = 0; i < P->mod.body.n; i++) {
        const pys *st = P->mod.body.v[i];
        if (st->kind != PYS_CLASS) continue;
        pyval c;
        if (!py_frame_get(P, &P->globals, st->class_.name, &c) || c.kind != PV_CLASS || !c.cls->is_module) continue;
        if (forward_inputs(c.cls) != 1 || named_elsewhere(P->text, &P->mod.body, st)) continue;
        best = st;
    }
    if (!best) {
        return py_raise(P, (src_span){ 1, 1, 0, 0 }, "ValueError",
                        "no model in this file: probe looks for an nn.Module class whose forward() takes one input; name it with --model NAME");
    }
    add_note(P, best->class_.name_span, "probe built %s() with its default arguments: the file makes no instance of it", best->class_.name);
    pyval cls;
    py_frame_get(P, &P->globals, best->class_.name, &cls);
    pycall_args none = { NULL, 0, NULL, NULL, 0, best->class_.name_span, NULL };
    return py_call(P, &cls, &none, model);
}

/* --model 'Net(num_classes=100)': the expression, evaluated in the file. */
static bool pick_spec(py *P, const char *spec, pyval *model)
{
    size_t n = strlen(spec);
    char *text = arena_alloc(&P->net->ar, n + 1);
    if (!text) return py_raise(P, (src_span){ 0, 0, 0, 0 }, "MemoryError", "out of memory");
    memcpy(text, spec, n);
    pymodule m;
    pyparse_error err;
    if (!pyparse(text, n, &P->net->ar, &m, &err, NULL, NULL) || m.body.n != 1 || m.body.v[0]->kind != PYS_EXPR)
        return py_raise(P, (src_span){ 0, 0, 0, 0 }, "ValueError", "--model '%s': give a class name, or a call such as 'Net(num_classes=100)'", spec);
    const pyx *e = m.body.v[0]->expr;
    pyval v;
    if (e->kind == PYX_NAME) {
        if (!py_frame_get(P, &P->globals, e->name.id, &v) || (v.kind != PV_CLASS && v.kind != PV_FUNC))
            return py_raise(P, (src_span){ 0, 0, 0, 0 }, "NameError", "--model %s: the file defines no class or function of that name", spec);
        pycall_args none = { NULL, 0, NULL, NULL, 0, (src_span){ 0, 0, 0, 0 }, NULL };
        if (!py_call(P, &v, &none, model)) return false;
    } else if (!py_eval(P, e, model)) {
        P->err.at = (src_span){ 0, 0, 0, 0 };   /* the spec's place is not the file's */
        return false;
    }
    if (!usable(model))
        return py_raise(P, (src_span){ 0, 0, 0, 0 }, "TypeError", "--model %s: that is not an nn.Module whose forward() takes one input", spec);
    return true;
}

static bool choose_model(py *P, const vec *cands, const char *spec, const pyval *libmodel, pyval *model)
{
    if (spec) return pick_spec(P, spec, model);
    for (size_t i = cands->len; i-- > 0;) {
        const candidate *c = &VEC_AT(*cands, candidate, i);
        if (try_candidate(P, c->call, model)) return !P->failed;
    }
    /* no instance of a class of the file: a library model the file made */
    if (libmodel->kind != PV_NONE) {
        *model = *libmodel;
        return true;
    }
    return pick_class(P, model);
}

/* ---- the net ---------------------------------------------------------------------------- */

static void set_error(probe_net *net, const py *P)
{
    net->invalid = true;
    net->error = P->err;
    net->error.file = net->name;
}

/* The first tensor of what forward() returned. A loop, not recursion:
 * forward() may return a list nested a million deep. The error points at
 * the model's forward (an nn.Sequential model has none to point at). */
static bool first_tensor(py *R, const pyval *model, const pyval *v, probe_tensor *x)
{
    const pyval *top = v;
    for (;;) {
        if (v->kind == PV_TENSOR) {
            *x = *v->t;
            return true;
        }
        if ((v->kind == PV_TUPLE || v->kind == PV_LIST) && v->seq->n) v = &v->seq->v[0];
        else if (v->kind == PV_DICT && v->dict->n) v = &v->dict->vals[0];
        else break;
    }
    src_span at = { 0, 0, 0, 0 };
    for (const pyclass *c = model->kind == PV_OBJECT ? model->obj->cls : NULL; c; c = c->base) {
        const pyval *fwd = py_attrs_get(&c->attrs, "forward");
        if (fwd) {
            if (fwd->kind == PV_FUNC) at = fwd->fn->span;
            break;
        }
    }
    return py_raise(R, at, "TypeError", "forward() returned %s, not a tensor", py_type_name(top));
}

/* One run: the model's forward() on the input, in a copy of the built
 * state with memory of its own; what __init__ built is only read. */
bool py_forward(probe_result *res, probe_tensor *x)
{
    py_front *F = res->net->front;
    py R = F->P;
    arena run;
    arena_init(&run);
    R.ar = &run;
    R.res = res;
    R.err_ar = &res->ar;
    R.failed = R.shape_error = false;
    R.steps = R.bytes = 0;
    R.depth = 0;
    R.frame = &R.globals;
    R.building = false;
    R.flow = FLOW_INPUT;        /* the tensor made next is the run's input */
    src_span none = { 0, 0, 0, 0 };
    pyval in, out;
    pycall_args a = { &in, 1, NULL, NULL, 0, none, NULL };
    bool ok = py_tensor_new(&R, x, none, &in) && py_call_module(&R, &F->model, &a, &out) && first_tensor(&R, &F->model, &out, x);
    if (!ok && !R.shape_error && R.failed) {
        run_error *e = exec_add_error(res, R.err_kind, NULL, R.err.at, diag_message(&R.err));
        if (e) e->d.layer = R.err.layer;
    }
    if (!ok && !R.failed) exec_add_error(res, PROBE_ERROR, NULL, none, "out of memory");
    arena_free(&run);
    return ok;
}

void py_front_free(void *p)
{
    py_front *F = p;
    if (!F) return;
    vec_free(&F->P.layers);
    vec_free(&F->P.containers);
    vec_free(&F->P.kid_counts);
    vec_free(&F->P.kid_events);
    vec_free(&F->P.origins);
    vec_free(&F->P.notes);
    if (F->store) vec_free(&F->store->args);
    free(F->store);
    free(F);
}

/* Where --fix writes a layer's size: the literal its value was written
 * as, when that is not the constructor's argument itself. */
static bool fix_place(const probe_net *net, const layer *ly, int param, src_span *at)
{
    const py_front *F = net->front;
    const bound_arg *a = layer_arg(ly, param);
    if (!a || ly < net->layers || ly >= net->layers + net->nlayers) return false;
    uint32_t index = (uint32_t)(ly - net->layers), value_off = ly->name_span.off + a->off;
    for (size_t i = 0; i < F->P.origins.len; i++) {
        const py_origin *o = &VEC_AT(F->P.origins, py_origin, i);
        if (o->layer != index || o->value_off != value_off) continue;
        *at = lex_locate(net->text, (src_span){ 1, 1, 0, 0 }, o->off, o->off + o->len);
        return true;
    }
    return false;
}

/* The layers and containers __init__ made become the net's arrays. */
static bool finish(py_front *F, probe_net *net)
{
    py *P = &F->P;
    net->layers = vec_give(&P->layers, &net->ar, &net->nlayers);
    net->args = vec_give(&F->store->args, &net->ar, &net->nargs);
    for (size_t i = 0; i < net->nlayers; i++)
        net->layers[i].args = net->args ? net->args + net->layers[i].first_arg : NULL;
    net->containers = vec_give(&P->containers, &net->ar, &net->ncontainers);
    if (net->ar.failed || !py_link_tree(P, net, &F->model)) return false;
    net->notes = P->notes;
    vec_init(&P->notes, sizeof(diag));
    net->forward = py_forward;
    net->fix_place = fix_place;
    net->front = F;
    net->front_free = py_front_free;
    if (P->has_input) {
        net->has_input = true;
        memcpy(net->input, P->input_chw, sizeof net->input);
        net->input_rank = P->input_rank;
        net->input_span = P->input_span;
    }
    return true;
}

static bool build(py_front *F, probe_net *net, const char *spec)
{
    py *P = &F->P;
    vec cands, libnames;
    vec_init(&cands, sizeof(candidate));
    vec_init(&libnames, sizeof(const char *));
    pyval libmodel = pv_none();
    bool ok = true;
    for (uint32_t i = 0; i < P->mod.body.n && ok; i++) ok = top_stmt(P, P->mod.body.v[i], &cands, &libnames, &libmodel);
    note_skipped(P);
    if (ok) ok = choose_model(P, &cands, spec, &libmodel, &F->model);
    vec_free(&cands);
    vec_free(&libnames);
    if (!ok || P->failed) {
        set_error(net, P);
        return true;
    }
    /* what __init__ made was marked as made (py_seq_new, py_dict_new):
     * from here on a run may read it, never change it */
    P->building = false;
    return finish(F, net);
}

py_front *py_front_new(probe_net *net, const char *text, size_t len)
{
    py_front *F = calloc(1, sizeof *F);
    arg_store *store = calloc(1, sizeof *store);
    if (!F || !store) {
        free(F);
        free(store);
        net->ar.failed = true;
        return NULL;
    }
    py *P = &F->P;
    F->store = store;
    vec_init(&store->args, sizeof(bound_arg));
    vec_init(&P->layers, sizeof(layer));
    vec_init(&P->containers, sizeof(container));
    vec_init(&P->kid_counts, sizeof(uint32_t));
    vec_init(&P->kid_events, sizeof(kid_event));
    vec_init(&P->origins, sizeof(py_origin));
    vec_init(&P->notes, sizeof(diag));
    P->reg = net->reg;
    P->net = net;
    P->ar = &net->ar;
    P->text = text;
    P->len = len;
    P->store = store;
    P->building = true;
    P->frame = &P->globals;
    P->err_ar = &net->ar;
    return F;
}

void py_build(probe_net *net, const char *text, size_t len, const char *spec)
{
    py_front *F = py_front_new(net, text, len);
    if (!F) return;
    py *P = &F->P;
    pyparse_error perr;
    if (!pyparse(text, len, &net->ar, &P->mod, &perr, on_comment, P)) {
        net->invalid = true;
        diag_set(&net->error, &net->ar, perr.d.at, PROBE_INVALID, NULL, "%s: %s", pylex_err_class_name(perr.cls),
                 diag_message(&perr.d));
        net->error.file = net->name;
        py_front_free(F);
        return;
    }
    if (!build(F, net, spec) || net->invalid) {
        if (net->invalid) net->notes = P->notes, vec_init(&P->notes, sizeof(diag));
        if (!net->front) py_front_free(F);
    }
}
