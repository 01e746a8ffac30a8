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
    probe_options o = { 0, 0, 0, 0, 0, 0, 0, 0 };
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
    if (res->status == PROBE_OK) {
        res->status = kind;
        res->fail_from = res->flow_in;
    }
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

int probe_net_rank(const probe_net *net)
{
    if (net->has_input) return net->input_rank;
    for (size_t i = 0; i < net->nlayers; i++)
        if (net->layers[i].op->rank) return net->layers[i].op->rank;
    return 2;
}

/* The spatial rank and sizes of the input: the options' when they give
 * them all, else the input line's, else none (searched) at the options'
 * or the net's rank. */
static int settle_sizes(const probe_result *res, int64_t sz[3])
{
    const probe_options *o = &res->opt;
    const probe_net *net = res->net;
    int rank = o->rank ? o->rank : (o->h > 0 && o->w > 0) ? 2 : probe_net_rank(net);
    int64_t given[3] = { o->d, o->h, o->w };
    bool all = true;
    for (int i = 3 - rank; i < 3; i++) all &= given[i] > 0;
    sz[0] = sz[1] = sz[2] = 0;
    if (all) {
        for (int i = 0; i < rank; i++) sz[i] = given[3 - rank + i];
        return rank;
    }
    /* a size that is not all given (the size search) keeps the options' rank */
    if (net->has_input && (!o->rank || o->rank == net->input_rank)) {
        for (int i = 0; i < net->input_rank; i++) sz[i] = net->input[1 + i];
        return net->input_rank;
    }
    return rank;
}

/* An input of another rank than the first layer that fixes one (--hw 32
 * to a Conv2d) is what PyTorch reads as one unbatched sample, or refuses;
 * the run says so, as PyTorch does, and a warning says what was meant. */
static void note_rank(probe_result *res, int rank)
{
    const probe_net *net = res->net;
    for (size_t i = 0; i < net->nlayers; i++) {
        const layer *ly = &net->layers[i];
        if (!ly->op->rank) continue;
        if (ly->op->rank == rank) return;
        char msg[300];
        snprintf(msg, sizeof msg,
                 "the input is %d-D but %s takes %d-D input: PyTorch reads it as one unbatched sample, or refuses it; give a size of %d dimension%s (--hw %s) for the answer the net was written for",
                 rank, ly->op->name, ly->op->rank, ly->op->rank, ly->op->rank == 1 ? "" : "s",
                 ly->op->rank == 1 ? "L" : ly->op->rank == 2 ? "HxW" : "DxHxW");
        exec_add_warning(res, ly->name_span, "rank_mismatch", msg);
        return;
    }
}

/* Settles [1, C, *sizes]; false after an invalid error when it cannot. */
static bool settle_input(probe_result *res)
{
    const probe_net *net = res->net;
    src_span top = { 0, 0, 0, 0 };   /* the whole file */
    int64_t sz[3], c = res->opt.channels;
    int rank = settle_sizes(res, sz);
    if (!c) c = net->has_input ? net->input[0] : net->forward ? 0 : first_declared_channels(net);
    if (c <= 0 && !net->forward) {
        exec_add_error(res, PROBE_INVALID, NULL, top,
                  "cannot tell the input channels: no layer before the first Flatten or Linear declares them; add a line 'input: CxHxW' or give --input CxHxW");
        return false;
    }
    note_rank(res, rank);
    res->input.ndim = 2 + rank;
    res->input.dim[0] = 1;
    res->input.dim[1] = c > 0 ? c : 0;
    res->has_input = true;
    for (int i = 0; i < rank; i++) {
        res->input.dim[2 + i] = sz[i];
        res->has_input &= sz[i] > 0;
    }
    return true;
}

/* "no square input from 1x1 to 4096x4096" (a length, a cube at other ranks) */
static void put_range(sb *msg, int rank, int64_t hi)
{
    sb_printf(msg, "no %s from ", exec_size_kind(rank));
    exec_put_size(msg, rank, 1);
    sb_puts(msg, " to ");
    exec_put_size(msg, rank, hi);
}

/* "256 at 3x3" */
static void put_at(sb *msg, int rank, int64_t in, int64_t size)
{
    sb_printf(msg, " %lld at ", (long long)in);
    exec_put_size(msg, rank, size);
}

/* No size given: which sizes pass, as the forum answer worked out by hand
 * from the declared in_features. */
static void infer_sizes(probe_result *res)
{
    probe_options o = res->opt;
    int rank = res->input.ndim - 2;
    o.channels = res->input.dim[1];
    o.rank = rank;
    res->inferred = true;
    int64_t hi = exec_search_max(rank);
    if (probe_accepts(res->net, &o, 1, hi, 0, 0, &res->accepts) != 0) {
        res->ar.failed = true;
        return;
    }
    if (res->accepts.n) return;
    src_span top = { 0, 0, 0, 0 };
    const layer *lin = net_first_linear(res->net);
    int p = lin ? lin->op->features : -1;
    const probe_accepts_info *a = &res->accepts;
    sb msg;
    sb_init(&msg);
    put_range(&msg, rank, hi);
    if (a->below_in >= 0 || a->above_in >= 0) {
        sb_printf(&msg, " gives the first Linear its in_features=%lld;", (long long)a->declared);
        if (a->below_in >= 0) put_at(&msg, rank, a->below_in, a->below_size);
        if (a->above_in >= 0) {
            if (a->below_in >= 0) sb_puts(&msg, " and");
            put_at(&msg, rank, a->above_in, a->above_size);
        }
        exec_add_error(res, PROBE_MISMATCH, lin, p >= 0 ? layer_span(res->net, lin, p) : top, msg.buf ? msg.buf : "");
        sb_free(&msg);
        return;
    }
    o.h = o.w = o.d = hi;
    probe_status st = probe_check(res->net, &o, NULL);
    sb_puts(&msg, " passes as written; give --hw to see why");
    exec_add_error(res, st == PROBE_OK ? PROBE_ERROR : st, NULL, top, msg.buf ? msg.buf : "");
    sb_free(&msg);
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
    for (int i = 2; i < probe.input.ndim; i++)
        if (!probe.input.dim[i]) probe.input.dim[i] = probe.input.ndim == 3 ? EXEC_INFER_MAX_LENGTH : EXEC_INFER_MAX;
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

/* A run that an input too small (or another error) stopped gives no
 * in_features, even when a Linear ran before it (a ConvNeXt's blocks run
 * Linears before the downsampling conv that fails): PyTorch never reached
 * the classifier. */
static void forget_unfinished(probe_result *res)
{
    if (res->status == PROBE_TOO_SMALL || res->status == PROBE_ERROR) res->in_features = -1;
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
        forget_unfinished(res);
        return;
    }
    probe_tensor x = res->input;
    if (!exec_fits(res, NULL, &x)) return;
    if (run_container(res, &net->root, &x)) {
        res->has_output = true;
        res->output = x;
    }
    forget_unfinished(res);
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
    else if (res->net->has_input && !res->opt.h && !res->opt.w) at = res->net->input_span;
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
    vec_init(&res->joins, sizeof(flow_join));
    vec_init(&res->join_ins, sizeof(uint32_t));
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
    vec_free(&res->joins);
    vec_free(&res->join_ins);
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
