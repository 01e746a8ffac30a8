/* exec.c - the executor: one meta tensor [1, C, H, W] through the bound
 * layers, each called through libffi. A mismatch is caught, its needed
 * size read out of the structured error, the argument repaired and the
 * layer run again -- the forum trick, which is also how `?` is found. */
#include "run/result.h"
#include "reg/ctx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Enough for any one layer: each repair fixes one argument for good. */
enum { MAX_REPAIRS = 8 };

probe_options probe_options_default(void)
{
    probe_options o = { 0, 0, 0, 0, 0, 0 };
    return o;
}

const char *probe_status_name(probe_status s)
{
    static const char *const names[PROBE_STATUS_COUNT] = {
        [PROBE_OK] = "ok", [PROBE_MISMATCH] = "mismatch", [PROBE_TOO_SMALL] = "too_small",
        [PROBE_ERROR] = "error", [PROBE_INVALID] = "invalid",
    };
    return (unsigned)s < PROBE_STATUS_COUNT ? names[s] : "error";
}

probe_exit probe_status_exit(probe_status s)
{
    if (s == PROBE_OK) return PROBE_EXIT_OK;
    if (s == PROBE_INVALID) return PROBE_EXIT_INVALID;
    return PROBE_EXIT_SHAPE;
}

static run_error *add_error(probe_result *res, probe_status kind, const layer *ly, src_span at, const char *msg)
{
    if (res->status == PROBE_OK) res->status = kind;
    if (res->quick) return NULL;
    run_error *e = vec_push(&res->errors);
    if (!e) return NULL;
    e->kind = kind;
    e->ly = ly;
    e->layer = ly ? ly->op->name : NULL;
    e->at = at;
    e->message = arena_strndup(&res->ar, msg, strlen(msg));
    e->fix = -1;
    return e;
}

/* The channels of the input: the first layer before any Flatten or Linear
 * that declares its input channels. */
static int64_t first_declared_channels(const probe_net *net)
{
    for (size_t i = 0; i < net->nlayers; i++) {
        const layer *ly = &net->layers[i];
        if (ly->op->flags & (OPF_LINEAR | OPF_FLATTEN)) return 0;
        for (int k = 0; k < ly->op->nparams; k++) {
            if (ly->op->params[k].declares_input && layer_infer(ly, k) == INFER_NONE) return layer_int(ly, k);
        }
    }
    return 0;
}

/* Settles [1, C, H, W]; false after an invalid error when it cannot. */
static bool settle_input(probe_result *res)
{
    const probe_net *net = res->net;
    src_span top = { 0, 0, 0, 0 };   /* the whole file */
    int64_t h = res->opt.h, w = res->opt.w, c = res->opt.channels;
    if ((!h || !w) && net->has_input) {
        h = net->input[1];
        w = net->input[2];
    }
    if (!c) c = net->has_input ? net->input[0] : first_declared_channels(net);
    if (c <= 0) {
        add_error(res, PROBE_INVALID, NULL, top,
                  "cannot tell the input channels: no layer before the first Flatten or Linear declares them; add a line 'input: CxHxW' or give --input CxHxW");
        return false;
    }
    res->input[0] = 1;
    res->input[1] = c;
    res->input[2] = h;
    res->input[3] = w;
    res->has_input = h > 0 && w > 0;
    return true;
}

/* No size given: which square sizes pass, as the forum answer worked out
 * by hand from the declared in_features. */
static void infer_sizes(probe_result *res)
{
    probe_options o = res->opt;
    o.channels = res->input[1];
    res->inferred = true;
    if (probe_accepts(res->net, &o, 1, EXEC_INFER_MAX, 0, 0, &res->accepts) != 0) {
        res->ar.failed = true;
        return;
    }
    if (res->accepts.n) return;
    src_span top = { 0, 0, 0, 0 };
    const layer *lin = NULL;
    for (size_t i = 0; i < res->net->nlayers && !lin; i++)
        if (res->net->layers[i].op->flags & OPF_LINEAR) lin = &res->net->layers[i];
    int p = lin ? lin->op->features : -1;
    char msg[400];
    const probe_accepts_info *a = &res->accepts;
    if (a->below_in >= 0 || a->above_in >= 0) {
        int k = snprintf(msg, sizeof msg, "no square input from 1x1 to %dx%d gives the first Linear its in_features=%lld;",
                         EXEC_INFER_MAX, EXEC_INFER_MAX, (long long)a->declared);
        if (a->below_in >= 0)
            k += snprintf(msg + k, sizeof msg - (size_t)k, " %lld at %lldx%lld", (long long)a->below_in,
                          (long long)a->below_size, (long long)a->below_size);
        if (a->above_in >= 0)
            snprintf(msg + k, sizeof msg - (size_t)k, "%s %lld at %lldx%lld", a->below_in >= 0 ? " and" : "",
                     (long long)a->above_in, (long long)a->above_size, (long long)a->above_size);
        add_error(res, PROBE_MISMATCH, lin, p >= 0 ? layer_span(res->net, lin, p) : top, msg);
        return;
    }
    o.h = o.w = EXEC_INFER_MAX;
    probe_status st = probe_check(res->net, &o, NULL);
    snprintf(msg, sizeof msg, "no square input from 1x1 to %dx%d passes as written; give --hw to see why",
             EXEC_INFER_MAX, EXEC_INFER_MAX);
    add_error(res, st == PROBE_OK ? PROBE_ERROR : st, NULL, top, msg);
}

/* Applies a mismatch's needed value to the layer's working arguments and
 * records the fix. False when the error names no argument it can repair. */
/* Puts the needed value into the layer's working arguments, and records
 * the fix: the size to change, or the `?` filled in (a Lazy layer has
 * nothing in the file to change). */
static bool set_needed(probe_result *res, const layer *ly, int p, const probe_ctx *cx, cval *vals, probe_ints *ints)
{
    infer_kind how = layer_infer(ly, p);
    if (!res->quick && how != INFER_LAZY) {
        run_fix *fx = vec_push(&res->fixes);
        if (!fx) return false;
        fx->ly = ly;
        fx->param = p;
        fx->is_ints = cx->need_is_ints;
        fx->have_null = how == INFER_QUESTION;
        if (cx->need_is_ints) {
            fx->have_ints = *vals[p].ints;
            fx->need_ints = cx->need_ints;
        } else {
            fx->have = vals[p].i;
            fx->need = cx->need;
        }
    }
    if (cx->need_is_ints) {
        ints[p] = cx->need_ints;
        vals[p].ints = &ints[p];
    } else {
        vals[p].i = cx->need;
    }
    return true;
}

/* Applies a mismatch's needed value; false when the error names no
 * argument it can repair. */
static bool repair(probe_result *res, const layer *ly, const probe_ctx *cx, cval *vals,
                   probe_ints *ints, bool *known, bool *is_error)
{
    const op *o = ly->op;
    int p = cx->param[0] ? bind_param_index(o, cx->param) : -1;
    if (p < 0 || !cx->has_need) return false;
    ptype t = o->params[p].type;
    if (!(t == PT_I64 && !cx->need_is_ints) && !(t == PT_INTS && cx->need_is_ints)) return false;
    *is_error = layer_infer(ly, p) == INFER_NONE;
    known[p] = true;
    return set_needed(res, ly, p, cx, vals, ints);
}

/* A layer that never looks at its input channels (InstanceNorm2d without
 * affine) raises no mismatch for a `?`: the channels it receives are what
 * its Lazy form would take. True when it filled one in. */
static bool fill_unchecked(probe_result *res, const layer *ly, const probe_tensor *x, cval *vals,
                           probe_ints *ints, bool *known)
{
    for (int p = 0; p < ly->op->nparams; p++) {
        if (known[p] || !ly->op->params[p].declares_input || x->ndim < 3) continue;
        probe_ctx cx;
        ctx_reset(&cx);
        cx.has_need = true;
        cx.need = x->dim[x->ndim - 3];
        known[p] = true;
        return set_needed(res, ly, p, &cx, vals, ints);
    }
    return false;
}

/* The trick: the first Linear gets a deliberately wrong in_features. */
static void plant_trick(probe_result *res, const layer *ly, cval *vals)
{
    int p = ly->op->features;
    if (p >= 0) vals[p].i = res->trick_in_features;
}

/* Records what the trick catches: PyTorch's message and the N in it. */
static void catch_trick(probe_result *res, const probe_ctx *cx)
{
    res->trick_caught = true;
    res->trick_need = cx->need;
    if (!res->quick) res->trick_message = arena_strndup(&res->ar, cx->message, strlen(cx->message));
}

static uint64_t shape_hash(const probe_tensor *t)
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)t->ndim;
    for (int i = 0; i < t->ndim; i++) h = (h ^ (uint64_t)t->dim[i]) * 1099511628211ull;
    return h;
}

static bool same_shape(const probe_tensor *a, const probe_tensor *b)
{
    return a->ndim == b->ndim && !memcmp(a->dim, b->dim, (size_t)a->ndim * sizeof a->dim[0]);
}

static bool grow_shape_slots(probe_result *res)
{
    size_t cap = res->shape_cap ? res->shape_cap * 2 : 64;
    uint32_t *slots = calloc(cap, sizeof *slots);
    if (!slots) return false;
    for (size_t i = 0; i < res->shapes.len; i++) {
        size_t k = shape_hash(&VEC_AT(res->shapes, probe_tensor, i)) & (cap - 1);
        while (slots[k]) k = (k + 1) & (cap - 1);
        slots[k] = (uint32_t)i + 1;
    }
    free(res->shape_slots);
    res->shape_slots = slots;
    res->shape_cap = cap;
    return true;
}

/* The index of shape t in res->shapes, added when new; false when out of
 * memory. */
static bool intern_shape(probe_result *res, const probe_tensor *t, uint32_t *index)
{
    if ((res->shapes.len + 1) * 2 > res->shape_cap && !grow_shape_slots(res)) return false;
    size_t k = shape_hash(t) & (res->shape_cap - 1);
    int probes = 0;
    for (; res->shape_slots[k]; k = (k + 1) & (res->shape_cap - 1)) {
        *index = res->shape_slots[k] - 1;
        if (same_shape(&VEC_AT(res->shapes, probe_tensor, *index), t)) return true;
        /* shapes made to collide would make each row walk all of them:
         * past a short run, a shape is stored again rather than shared */
        if (++probes == 64) break;
    }
    probe_tensor *slot = vec_push(&res->shapes);
    if (!slot) return false;
    *slot = *t;
    *index = (uint32_t)(res->shapes.len - 1);
    if (!res->shape_slots[k]) res->shape_slots[k] = *index + 1;
    return true;
}

static bool add_row(probe_result *res, const probe_tensor *out, const probe_ctx *cx, const sb *explain)
{
    if (res->quick) return true;
    uint32_t shape;
    if (!intern_shape(res, out, &shape)) return false;
    run_row *row = vec_push(&res->rows);
    if (!row) return false;
    row->shape = shape;
    row->params = cx->params;
    if (!res->explain) return true;
    char **text = vec_push(&res->explains);
    if (!text) return false;
    if (explain->len) *text = arena_strndup(&res->ar, explain->buf, explain->len);
    return true;
}

const layer *exec_row_layer(const probe_result *res, size_t i) { return &res->net->layers[i]; }

const probe_tensor *exec_row_out(const probe_result *res, size_t i)
{
    return &VEC_AT(res->shapes, probe_tensor, VEC_AT(res->rows, run_row, i).shape);
}

const char *exec_row_explain(const probe_result *res, size_t i)
{
    return i < res->explains.len ? VEC_AT(res->explains, char *, i) : NULL;
}

/* A tensor with more than 2^63-1 elements cannot exist, and no size in a
 * shape may be negative; false after the error. */
static bool fits(probe_result *res, const layer *ly, const probe_tensor *t)
{
    int64_t n = 1;
    bool over = false;
    for (int i = 0; i < t->ndim; i++) {
        if (t->dim[i] < 0) {
            char msg[200];
            snprintf(msg, sizeof msg, "%s produced a negative size %lld", ly ? ly->op->name : "the input", (long long)t->dim[i]);
            add_error(res, PROBE_ERROR, ly, ly ? ly->name_span : (src_span){ 0, 0, 0, 0 }, msg);
            return false;
        }
        over |= __builtin_mul_overflow(n, t->dim[i], &n);
    }
    if (!over) return true;
    sb msg;
    sb_init(&msg);
    sb_puts(&msg, ly ? "the output of this layer [" : "the input [");
    for (int i = 0; i < t->ndim; i++) sb_printf(&msg, "%s%lld", i ? ", " : "", (long long)t->dim[i]);
    sb_puts(&msg, "] would have more than 9223372036854775807 elements: PyTorch could not allocate it");
    /* an input too large from the input: line is that line's fault */
    src_span at = { 0, 0, 0, 0 };
    if (ly) at = ly->name_span;
    else if (res->net->has_input && !res->opt.h) at = res->net->input_span;
    add_error(res, PROBE_ERROR, ly, at, msg.buf ? msg.buf : "tensor too large");
    sb_free(&msg);
    return false;
}

/* A checked product or sum overflowed in the layer's shape function. */
static void report_overflow(probe_result *res, const layer *ly, const probe_tensor *x, probe_ctx *cx)
{
    char msg[300];
    snprintf(msg, sizeof msg,
             "%s: a size here does not fit in a signed 64-bit integer (input %s); PyTorch could not allocate such a tensor",
             ly->op->name, probe_shape_str(cx, x->dim, x->ndim));
    add_error(res, PROBE_ERROR, ly, ly->name_span, msg);
}

/* Runs one layer, repairing mismatches; false when an error stops the run. */
static bool run_layer(probe_result *res, const layer *ly, probe_tensor *x, bool first_linear)
{
    const op *o = ly->op;
    cval vals[64], args[64];
    probe_ints ints[64];
    bool known[64];
    layer_values(ly, vals, ints, known);
    bool trick = first_linear && res->trick_in_features > 0;
    if (trick) plant_trick(res, ly, vals);
    probe_ctx cx;
    sb explain;
    sb_init(&explain);
    bool ok = false;
    for (int attempt = 0;; attempt++) {
        probe_tensor y = *x;
        ctx_reset(&cx);
        explain.len = 0;
        cx.explain = res->explain ? &explain : NULL;
        bind_c_args(o, vals, args);
        int rc = reg_call(o, &cx, &y, args);
        if (cx.overflow) {
            report_overflow(res, ly, x, &cx);
            break;
        }
        if (rc == 0 && cx.kind == PROBE_OK && !fits(res, ly, &y)) break;
        if (rc == 0 && cx.kind == PROBE_OK && attempt < MAX_REPAIRS && fill_unchecked(res, ly, x, vals, ints, known))
            continue;
        if (rc == 0 && cx.kind == PROBE_OK) {
            ok = add_row(res, &y, &cx, &explain);
            *x = y;
            break;
        }
        if (cx.kind == PROBE_OK) {
            cx.kind = PROBE_ERROR;
            snprintf(cx.message, sizeof cx.message, "%s failed without saying why", o->name);
        }
        if (trick && attempt == 0 && cx.kind == PROBE_MISMATCH && o->features >= 0 &&
            bind_param_index(o, cx.param) == o->features) {
            /* the forum trick: catch the error, read N, put it in, run again */
            catch_trick(res, &cx);
            vals[o->features].i = cx.need;
            continue;
        }
        bool is_error = true;
        size_t nfix = res->fixes.len;
        if (cx.kind == PROBE_MISMATCH && attempt < MAX_REPAIRS &&
            repair(res, ly, &cx, vals, ints, known, &is_error)) {
            if (is_error) {
                int p = bind_param_index(o, cx.param);
                run_error *e = add_error(res, PROBE_MISMATCH, ly, layer_span(res->net, ly, p), cx.message);
                if (e && res->fixes.len > nfix) e->fix = (int)nfix;
            }
            continue;
        }
        int p = cx.param[0] ? bind_param_index(o, cx.param) : -1;
        run_error *e = add_error(res, cx.kind == PROBE_MISMATCH ? PROBE_ERROR : cx.kind, ly,
                                 layer_span(res->net, ly, p), cx.message);
        if (e && explain.len) e->explain = arena_strndup(&res->ar, explain.buf, explain.len);
        break;
    }
    sb_free(&explain);
    return ok;
}

/* forward()'s x.view(x.size(0), -1) before the classifier */
static void flatten_from_dim1(probe_tensor *x)
{
    int64_t n = 1;
    for (int i = 1; i < x->ndim; i++) {
        if (__builtin_mul_overflow(n, x->dim[i], &n)) n = INT64_MAX;
    }
    x->dim[1] = n;
    x->ndim = 2;
}

void exec_run(probe_result *res)
{
    const probe_net *net = res->net;
    if (net->invalid) {
        run_error *err = add_error(res, PROBE_INVALID, NULL, net->error.at, net->error.message);
        if (err) err->layer = net->error.layer;
        return;
    }
    if (net->nlayers == 0) {
        add_error(res, PROBE_INVALID, NULL, (src_span){ 0, 0, 0, 0 },
                  net->len == 0 ? "no layers: the file is empty"
                                : "no layers: the file holds only comments, blank lines and containers");
        return;
    }
    if (!settle_input(res)) return;
    if (!res->has_input) {
        infer_sizes(res);
        return;
    }
    probe_tensor x = { 4, { res->input[0], res->input[1], res->input[2], res->input[3] } };
    if (!fits(res, NULL, &x)) return;
    bool seen_flatten = false, seen_linear = false;
    for (size_t i = 0; i < net->nlayers; i++) {
        const layer *ly = &net->layers[i];
        bool first_linear = false;
        if (ly->op->flags & OPF_FLATTEN) seen_flatten = true;
        if ((ly->op->flags & OPF_LINEAR) && !seen_linear) {
            seen_linear = first_linear = true;
            if (!res->opt.strict && !seen_flatten && x.ndim > 2) {
                res->flatten_before = ly;
                res->flatten_from = x;
                flatten_from_dim1(&x);
            }
            res->in_features = x.ndim ? x.dim[x.ndim - 1] : 0;
        }
        if (!run_layer(res, ly, &x, first_linear)) return;
    }
}

void exec_init(probe_result *res, const probe_net *net, const probe_options *opt)
{
    memset(res, 0, sizeof *res);
    arena_init(&res->ar);
    res->net = net;
    res->opt = opt ? *opt : probe_options_default();
    res->status = PROBE_OK;
    res->in_features = -1;
    vec_init(&res->errors, sizeof(run_error));
    vec_init(&res->fixes, sizeof(run_fix));
    vec_init(&res->rows, sizeof(run_row));
    vec_init(&res->shapes, sizeof(probe_tensor));
    vec_init(&res->explains, sizeof(char *));
}

void exec_release(probe_result *res)
{
    probe_accepts_free(&res->accepts);
    arena_free(&res->ar);
    vec_free(&res->errors);
    vec_free(&res->fixes);
    vec_free(&res->rows);
    vec_free(&res->shapes);
    vec_free(&res->explains);
    free(res->shape_slots);
}

probe_result *probe_run(const probe_net *net, const probe_options *opt)
{
    probe_result *res = malloc(sizeof *res);
    if (!res) return NULL;
    exec_init(res, net, opt);
    res->explain = res->opt.explain;
    exec_run(res);
    if (res->ar.failed) {
        probe_result_free(res);
        return NULL;
    }
    return res;
}

void probe_result_free(probe_result *res)
{
    if (!res) return;
    exec_release(res);
    free(res);
}

probe_status probe_result_status(const probe_result *res) { return res->status; }
probe_options probe_result_options(const probe_result *res) { return res->opt; }
int64_t probe_result_in_features(const probe_result *res) { return res->in_features; }

int probe_result_input(const probe_result *res, int64_t dims[4])
{
    if (!res->has_input) return 0;
    memcpy(dims, res->input, 4 * sizeof dims[0]);
    return 1;
}

size_t probe_result_error_count(const probe_result *res) { return res->errors.len; }
