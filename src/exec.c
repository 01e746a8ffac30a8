/* exec.c - the executor: one meta tensor [1, C, H, W] through the bound
 * layers, each called through libffi. A mismatch is caught, its needed
 * size read out of the structured error, the argument repaired and the
 * layer run again -- the forum trick, which is also how `?` is found. */
#include "result.h"
#include "ctx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Enough for any one layer: each repair fixes one argument for good. */
enum { MAX_REPAIRS = 8 };

probe_options probe_options_default(void)
{
    probe_options o = { 0, 0, 0, 0 };
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
    run_error *e = vec_push(&res->errors);
    if (!e) return NULL;
    e->kind = kind;
    e->ly = ly;
    e->at = at;
    e->message = arena_strndup(&res->ar, msg, strlen(msg));
    e->fix = -1;
    if (res->status == PROBE_OK) res->status = kind;
    return e;
}

/* The channels of the input: the first layer before any Flatten or Linear
 * that declares its input channels. */
static int64_t first_declared_channels(const probe_net *net)
{
    for (size_t i = 0; i < net->nlayers; i++) {
        const layer *ly = &net->layers[i];
        if (ly->op->role != OP_ROLE_NONE) return 0;
        for (int k = 0; k < ly->op->nparams; k++)
            if (ly->op->params[k].declares_input && ly->infer[k] == INFER_NONE) return ly->vals[k].i;
    }
    return 0;
}

/* Settles [1, C, H, W]; false after an invalid error when it cannot. */
static bool settle_input(probe_result *res)
{
    const probe_net *net = res->net;
    src_span top = { 1, 1, 0, 0 };
    int64_t h = res->opt.h, w = res->opt.w, c = res->opt.channels;
    if (!h || !w) {
        if (!net->has_input) {
            add_error(res, PROBE_INVALID, NULL, top,
                      "no input size: give it on the command line (--hw HxW, e.g. --hw 32x32) or add a line 'input: CxHxW' before the first layer");
            return false;
        }
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
    res->has_input = true;
    return true;
}

/* Applies a mismatch's needed value to the layer's working arguments and
 * records the fix. False when the error names no argument it can repair. */
static bool repair(probe_result *res, const layer *ly, const probe_ctx *cx, cval *vals,
                   probe_ints *ints, bool *is_error)
{
    const op *o = ly->op;
    int p = cx->param[0] ? bind_param_index(o, cx->param) : -1;
    if (p < 0 || !cx->has_need) return false;
    ptype t = o->params[p].type;
    if (!(t == PT_I64 && !cx->need_is_ints) && !(t == PT_INTS && cx->need_is_ints)) return false;
    run_fix *fx = vec_push(&res->fixes);
    if (!fx) return false;
    fx->ly = ly;
    fx->param = p;
    fx->is_ints = cx->need_is_ints;
    *is_error = ly->infer[p] == INFER_NONE;
    if (ly->infer[p] == INFER_LAZY) res->fixes.len--;   /* nothing in the file to change */
    else if (ly->infer[p] == INFER_QUESTION) fx->have_null = true;
    if (cx->need_is_ints) {
        if (ly->infer[p] != INFER_LAZY) {
            fx->have_ints = *vals[p].ints;
            fx->need_ints = cx->need_ints;
        }
        ints[p] = cx->need_ints;
        vals[p].ints = &ints[p];
    } else {
        if (ly->infer[p] != INFER_LAZY) {
            fx->have = vals[p].i;
            fx->need = cx->need;
        }
        vals[p].i = cx->need;
    }
    return true;
}

/* Runs one layer, repairing mismatches; false when an error stops the run. */
static bool run_layer(probe_result *res, const layer *ly, probe_tensor *x)
{
    const op *o = ly->op;
    int np = o->nparams;
    cval vals[64], args[64];
    probe_ints ints[64];
    memcpy(vals, ly->vals, (size_t)np * sizeof vals[0]);
    for (int i = 0; i < np; i++) {
        if (o->params[i].type == PT_INTS) {
            ints[i] = ly->ints[i];
            vals[i].ints = &ints[i];
        }
    }
    probe_ctx cx;
    for (int attempt = 0;; attempt++) {
        probe_tensor y = *x;
        ctx_reset(&cx);
        bind_c_args(o, vals, args);
        int rc = reg_call(o, &cx, &y, args);
        if (cx.overflow) {
            char msg[300];
            snprintf(msg, sizeof msg,
                     "%s: a size here does not fit in a signed 64-bit integer (input %s); PyTorch could not allocate such a tensor",
                     o->name, probe_shape_str(&cx, x->dim, x->ndim));
            add_error(res, PROBE_ERROR, ly, ly->st->name_span, msg);
            return false;
        }
        if (rc == 0 && cx.kind == PROBE_OK) {
            run_row *row = vec_push(&res->rows);
            if (!row) return false;
            row->ly = ly;
            row->out = y;
            row->params = cx.params;
            *x = y;
            return true;
        }
        if (cx.kind == PROBE_OK) {
            cx.kind = PROBE_ERROR;
            snprintf(cx.message, sizeof cx.message, "%s failed without saying why", o->name);
        }
        bool is_error = true;
        size_t nfix = res->fixes.len;
        if (cx.kind == PROBE_MISMATCH && attempt < MAX_REPAIRS &&
            repair(res, ly, &cx, vals, ints, &is_error)) {
            if (is_error) {
                int p = bind_param_index(o, cx.param);
                run_error *e = add_error(res, PROBE_MISMATCH, ly, ly->spans[p], cx.message);
                if (e && res->fixes.len > nfix) e->fix = (int)nfix;
            }
            continue;
        }
        int p = cx.param[0] ? bind_param_index(o, cx.param) : -1;
        add_error(res, cx.kind == PROBE_MISMATCH ? PROBE_ERROR : cx.kind, ly,
                  p >= 0 ? ly->spans[p] : ly->st->name_span, cx.message);
        return false;
    }
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

static void run(probe_result *res)
{
    const probe_net *net = res->net;
    if (net->invalid) {
        add_error(res, PROBE_INVALID, NULL, net->error.at, net->error.message);
        return;
    }
    if (!settle_input(res)) return;
    probe_tensor x = { 4, { res->input[0], res->input[1], res->input[2], res->input[3] } };
    bool seen_flatten = false, seen_linear = false;
    for (size_t i = 0; i < net->nlayers; i++) {
        const layer *ly = &net->layers[i];
        if (ly->op->role == OP_ROLE_FLATTEN) seen_flatten = true;
        if (ly->op->role == OP_ROLE_LINEAR && !seen_linear) {
            seen_linear = true;
            if (!res->opt.strict && !seen_flatten && x.ndim > 2) {
                res->flatten_before = ly;
                res->flatten_from = x;
                flatten_from_dim1(&x);
            }
            res->in_features = x.ndim ? x.dim[x.ndim - 1] : 0;
        }
        if (!run_layer(res, ly, &x)) return;
    }
}

probe_result *probe_run(const probe_net *net, const probe_options *opt)
{
    probe_result *res = calloc(1, sizeof *res);
    if (!res) return NULL;
    arena_init(&res->ar);
    res->net = net;
    res->opt = opt ? *opt : probe_options_default();
    res->status = PROBE_OK;
    res->in_features = -1;
    vec_init(&res->errors, sizeof(run_error));
    vec_init(&res->fixes, sizeof(run_fix));
    vec_init(&res->rows, sizeof(run_row));
    run(res);
    if (res->ar.failed) {
        probe_result_free(res);
        return NULL;
    }
    return res;
}

void probe_result_free(probe_result *res)
{
    if (!res) return;
    arena_free(&res->ar);
    vec_free(&res->errors);
    vec_free(&res->fixes);
    vec_free(&res->rows);
    free(res);
}

probe_status probe_result_status(const probe_result *res) { return res->status; }
int64_t probe_result_in_features(const probe_result *res) { return res->in_features; }

int probe_result_input(const probe_result *res, int64_t dims[4])
{
    if (!res->has_input) return 0;
    memcpy(dims, res->input, 4 * sizeof dims[0]);
    return 1;
}

size_t probe_result_error_count(const probe_result *res) { return res->errors.len; }
