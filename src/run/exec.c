/* exec.c - the executor: one meta tensor [1, C, H, W] through the module
 * tree. It settles the input, walks each container's forward() and hands
 * every layer call to run_call() (run/call.c); without a size it searches
 * for the sizes that pass instead (run/sizes.c). */
#include "run/result.h"
#include "reg/ctx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


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

run_error *exec_add_error(probe_result *res, probe_status kind, const layer *ly, src_span at, const char *msg)
{
    if (res->status == PROBE_OK) res->status = kind;
    if (res->quick) return NULL;
    run_error *e = vec_push(&res->errors);
    if (!e) {
        res->ar.failed = true;      /* a result missing an error is no result */
        return NULL;
    }
    e->ly = ly;
    diag_set(&e->d, &res->ar, at, kind, ly ? ly->op->name : NULL, "%s", msg);
    e->d.file = res->net->name;
    e->explain = NULL;
    e->fix = -1;
    return e;
}

/* A declared channel count the file writes (not a `?` or a Lazy size). */
static bool written_channels(const layer *ly, int p, void *ud)
{
    if (layer_infer(ly, p) != INFER_NONE) return false;
    *(int64_t *)ud = layer_int(ly, p);
    return true;
}

/* The channels of the input: the first layer before any Flatten or Linear
 * that declares its input channels; 0 when none does. */
static int64_t first_declared_channels(const probe_net *net)
{
    int64_t c = 0;
    return net_each_channel_source(net, written_channels, &c) ? c : 0;
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
    if (!c) c = net->has_input ? net->input[0] : net->forward ? 0 : first_declared_channels(net);
    if (c <= 0 && !net->forward) {
        exec_add_error(res, PROBE_INVALID, NULL, top,
                  "cannot tell the input channels: no layer before the first Flatten or Linear declares them; add a line 'input: CxHxW' or give --input CxHxW");
        return false;
    }
    res->input = (probe_tensor){ 4, { 1, c > 0 ? c : 0, h, w } };
    res->has_input = h > 0 && w > 0;
    return true;
}

/* No size given: which square sizes pass, as the forum answer worked out
 * by hand from the declared in_features. */
static void infer_sizes(probe_result *res)
{
    probe_options o = res->opt;
    o.channels = res->input.dim[1];
    res->inferred = true;
    if (probe_accepts(res->net, &o, 1, EXEC_INFER_MAX, 0, 0, &res->accepts) != 0) {
        res->ar.failed = true;
        return;
    }
    if (res->accepts.n) return;
    src_span top = { 0, 0, 0, 0 };
    const layer *lin = net_first_linear(res->net);
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
        exec_add_error(res, PROBE_MISMATCH, lin, p >= 0 ? layer_span(res->net, lin, p) : top, msg);
        return;
    }
    o.h = o.w = EXEC_INFER_MAX;
    probe_status st = probe_check(res->net, &o, NULL);
    snprintf(msg, sizeof msg, "no square input from 1x1 to %dx%d passes as written; give --hw to see why",
             EXEC_INFER_MAX, EXEC_INFER_MAX);
    exec_add_error(res, st == PROBE_OK ? PROBE_ERROR : st, NULL, top, msg);
}

const layer *exec_layer(const probe_result *res, mod_ref r)
{
    if ((r & MOD_RUN) == MOD_RUN) return VEC_AT(res->run_layers, const layer *, MOD_INDEX(r));
    return net_layer(res->net, r);
}

bool exec_add_run_layer(probe_result *res, const layer *ly, mod_ref *r)
{
    if (res->run_layers.len > MOD_INDEX(~0u)) return false;
    const layer **slot = vec_push(&res->run_layers);
    if (!slot) return false;
    *slot = ly;
    *r = MOD_RUN | (mod_ref)(res->run_layers.len - 1);
    return true;
}

bool exec_add_warning(probe_result *res, src_span at, const char *kind, const char *msg)
{
    if (res->quick) return true;
    run_warning *w = vec_push(&res->warnings);
    if (!w) return false;
    w->kind = kind;
    diag_set(&w->d, &res->ar, at, PROBE_OK, NULL, "%s", msg);
    w->d.file = res->net->name;
    return true;
}

/* A model file without the channels: a first run stops at the first
 * layer that declares them and says how many. False after the error when
 * none does. */
static bool discover_channels(probe_result *res)
{
    probe_result probe;
    exec_init(&probe, res->net, &res->opt);
    probe.find_channels = true;
    probe.input = res->input;
    probe.input.dim[1] = 1;
    if (!probe.input.dim[2]) probe.input.dim[2] = probe.input.dim[3] = EXEC_INFER_MAX;
    res->net->forward(&probe, &probe.input);
    int64_t c = probe.found_channels;
    /* forward() stopped before any layer said: an error of the file's own
     * (a limit, a Python error) is the answer, at its place */
    const run_error *first = probe.errors.len ? &VEC_AT(probe.errors, run_error, 0) : NULL;
    if (c <= 0 && first && first->d.kind == PROBE_INVALID) {
        run_error *e = exec_add_error(res, PROBE_INVALID, NULL, first->d.at, diag_message(&first->d));
        if (e) e->d.layer = first->d.layer;
    } else if (c <= 0) {
        exec_add_error(res, PROBE_INVALID, NULL, (src_span){ 0, 0, 0, 0 },
                       "cannot tell the input channels: forward() calls no Conv, BatchNorm, InstanceNorm or GroupNorm that declares them before its first error or its end; add a line '# input: CxHxW' above the first class or give --input CxHxW");
    }
    exec_release(&probe);
    if (c <= 0) {
        res->has_input = false;
        return false;
    }
    res->input.dim[1] = c;
    return true;
}

/* A model file: forward() runs as the front end interprets it. */
static void run_python(probe_result *res)
{
    probe_tensor x = res->input;
    if (!exec_fits(res, NULL, &x)) return;
    if (res->net->forward(res, &x)) {
        res->has_output = true;
        res->output = x;
    }
}

bool run_container(probe_result *res, const container *c, probe_tensor *x)
{
    /* FORWARD_CHAIN: each child's output is the next one's input */
    for (uint32_t k = 0; k < c->nkids; k++) {
        mod_ref r = res->net->kids[c->first_kid + k];
        const container *sub = net_container(res->net, r);
        if (!(sub ? run_container(res, sub, x) : run_call(res, r, x))) return false;
    }
    return true;
}

void exec_run(probe_result *res)
{
    const probe_net *net = res->net;
    if (net->invalid) {
        run_error *err = exec_add_error(res, PROBE_INVALID, NULL, net->error.at, diag_message(&net->error));
        if (err) err->d.layer = net->error.layer;
        return;
    }
    if (net->nlayers == 0 && !net->forward) {
        exec_add_error(res, PROBE_INVALID, NULL, (src_span){ 0, 0, 0, 0 },
                       net->len == 0 ? "no layers: the file is empty"
                                     : "no layers: the file holds only comments, blank lines and containers");
        return;
    }
    if (!settle_input(res)) return;
    if (net->forward && !res->input.dim[1] && !discover_channels(res)) return;
    if (!res->has_input) {
        infer_sizes(res);
        return;
    }
    if (net->forward) {
        run_python(res);
        return;
    }
    probe_tensor x = res->input;
    if (!exec_fits(res, NULL, &x)) return;
    if (run_container(res, &net->root, &x)) {
        res->has_output = true;
        res->output = x;
    }
}

bool exec_fits(probe_result *res, const layer *ly, const probe_tensor *t)
{
    int64_t n = 1;
    bool over = false;
    for (int i = 0; i < t->ndim; i++) {
        if (t->dim[i] < 0) {
            char msg[200];
            snprintf(msg, sizeof msg, "%s produced a negative size %lld", ly ? ly->op->name : "the input", (long long)t->dim[i]);
            exec_add_error(res, PROBE_ERROR, ly, ly ? ly->name_span : (src_span){ 0, 0, 0, 0 }, msg);
            return false;
        }
        over |= __builtin_mul_overflow(n, t->dim[i], &n);
    }
    if (!over) return true;
    sb msg;
    sb_init(&msg);
    sb_puts(&msg, ly ? "the output of this layer " : "the input ");
    sb_put_dims(&msg, t->dim, t->ndim);
    sb_puts(&msg, " would have more than 9223372036854775807 elements: PyTorch could not allocate it");
    /* an input too large from the input: line is that line's fault */
    src_span at = { 0, 0, 0, 0 };
    if (ly) at = ly->name_span;
    else if (res->net->has_input && !res->opt.h) at = res->net->input_span;
    exec_add_error(res, PROBE_ERROR, ly, at, msg.buf ? msg.buf : "tensor too large");
    sb_free(&msg);
    return false;
}


void exec_init(probe_result *res, const probe_net *net, const probe_options *opt)
{
    memset(res, 0, sizeof *res);
    arena_init(&res->ar);
    res->net = net;
    res->opt = opt ? *opt : probe_options_default();
    res->status = PROBE_OK;
    res->in_features = -1;
    res->implicit_row = -1;
    vec_init(&res->errors, sizeof(run_error));
    vec_init(&res->fixes, sizeof(run_fix));
    vec_init(&res->rows, sizeof(trace_row));
    vec_init(&res->shapes, sizeof(probe_tensor));
    hash_init(&res->shape_index, 64, NULL);
    vec_init(&res->explains, sizeof(char *));
    vec_init(&res->run_layers, sizeof(layer *));
    vec_init(&res->sites, sizeof(trace_site));
    vec_init(&res->warnings, sizeof(run_warning));
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
    vec_free(&res->run_layers);
    vec_free(&res->sites);
    vec_free(&res->warnings);
    hash_free(&res->shape_index);
    free(res->called);
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
    if (!res->has_input || res->input.ndim != 4) return 0;
    memcpy(dims, res->input.dim, 4 * sizeof dims[0]);
    return 1;
}

size_t probe_result_error_count(const probe_result *res) { return res->errors.len; }
