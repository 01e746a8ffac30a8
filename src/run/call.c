/* call.c - the one way into a shape function. Every layer call of a run
 * passes through run_call(): the libffi call, the overflow and fit checks,
 * the repair of a mismatch (the forum trick: catch the structured error,
 * read the size it needs, put it in, call again), the `?` fill, the trick's
 * deliberately wrong size at the first Linear, and the row in the trace. */
#include "run/result.h"
#include "reg/ctx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Enough for any one layer: each repair fixes one argument for good. */
enum { MAX_REPAIRS = 8 };

/* One call's working state: the layer's argument values, repaired as the
 * call goes, and what the shape function said last. */
typedef struct call {
    probe_result *res;
    mod_ref node;
    const layer *ly;
    cval vals[64];
    probe_ints ints[64];
    bool known[64];
    bool trick;             /* the first Linear of a trick run */
    probe_ctx cx;
    sb explain;
} call;

/* After one attempt: done (passed), stopped by an error, or call again. */
typedef enum step { STEP_PASSED, STEP_STOPPED, STEP_AGAIN } step;

/* Puts the needed value into the call's arguments, and records the fix:
 * the size to change, or the `?` filled in (a Lazy layer has nothing in
 * the file to change). False when out of memory. */
static bool set_needed(call *c, int p, const probe_ctx *cx)
{
    infer_kind how = layer_infer(c->ly, p);
    /* a model file lists the size a Lazy layer took, as PyTorch's
     * verdicts do; a net.cfg's Lazy layer has nothing to say */
    if (!c->res->quick && (how != INFER_LAZY || c->res->net->forward)) {
        run_fix *fx = vec_push(&c->res->fixes);
        if (!fx) return false;
        fx->ly = c->ly;
        fx->param = p;
        fx->lazy = how == INFER_LAZY;
        fx->is_ints = cx->need_is_ints;
        fx->have_null = how != INFER_NONE;
        if (cx->need_is_ints) {
            fx->have_ints = *c->vals[p].ints;
            fx->need_ints = cx->need_ints;
        } else {
            fx->have = c->vals[p].i;
            fx->need = cx->need;
        }
    }
    if (cx->need_is_ints) {
        c->ints[p] = cx->need_ints;
        c->vals[p].ints = &c->ints[p];
    } else {
        c->vals[p].i = cx->need;
    }
    c->known[p] = true;
    return true;
}

/* Applies the mismatch's needed value to parameter p (the one it names);
 * false when it cannot be repaired there. *is_error: the file wrote the
 * size (not a `?` or a Lazy layer's). */
static bool repair(call *c, int p, bool *is_error)
{
    const probe_ctx *cx = &c->cx;
    if (p < 0 || !cx->has_need) return false;
    ptype t = c->ly->op->params[p].type;
    if (!(t == PT_I64 && !cx->need_is_ints) && !(t == PT_INTS && cx->need_is_ints)) return false;
    *is_error = layer_infer(c->ly, p) == INFER_NONE;
    return set_needed(c, p, cx);
}

/* A model file builds one constructor call many times (a block class, a
 * loop): the forum way repairs the call's text once, and every module it
 * builds takes the value. A mismatch at a constructor already repaired to
 * this very value is that repair, not a new error. */
static bool repaired_before(call *c, int p)
{
    const probe_ctx *cx = &c->cx;
    if (p < 0 || !cx->has_need || cx->need_is_ints || c->res->quick) return false;
    for (size_t i = 0; i < c->res->fixes.len; i++) {
        const run_fix *fx = &VEC_AT(c->res->fixes, run_fix, i);
        if (fx->param != p || fx->is_ints || fx->need != cx->need) continue;
        if (fx->ly->name_span.off != c->ly->name_span.off || fx->ly->op != c->ly->op) continue;
        c->vals[p].i = cx->need;
        c->known[p] = true;
        return true;
    }
    return false;
}

/* A layer that never looks at its input channels (InstanceNorm2d without
 * affine) raises no mismatch for a `?`: the channels it receives are what
 * its Lazy form would take. True when it filled one in. */
static bool fill_unchecked(call *c, const probe_tensor *x)
{
    for (int p = 0; p < c->ly->op->nparams; p++) {
        if (c->known[p] || !c->ly->op->params[p].declares_input || x->ndim < 3) continue;
        probe_ctx cx;
        ctx_reset(&cx);
        cx.has_need = true;
        cx.need = x->dim[x->ndim - 3];
        return set_needed(c, p, &cx);
    }
    return false;
}

/* Records what the trick catches: PyTorch's message and the N in it. */
static void catch_trick(probe_result *res, const probe_ctx *cx)
{
    res->trick_caught = true;
    res->trick_need = cx->need;
    if (!res->quick) res->trick_message = arena_strndup(&res->ar, cx->message, strlen(cx->message));
}

/* A checked product or sum overflowed in the layer's shape function. */
static void report_overflow(probe_result *res, const layer *ly, const probe_tensor *x, probe_ctx *cx)
{
    char msg[300];
    snprintf(msg, sizeof msg,
             "%s: a size here does not fit in a signed 64-bit integer (input %s); PyTorch could not allocate such a tensor",
             ly->op->name, probe_shape_str(cx, x->dim, x->ndim));
    exec_add_error(res, PROBE_ERROR, ly, ly->name_span, msg);
}

/* Calls the shape function once, on a copy of x, into *y. */
static int call_once(call *c, const probe_tensor *x, probe_tensor *y)
{
    cval args[64];
    *y = *x;
    ctx_reset(&c->cx);
    c->cx.ar = &c->res->ar;
    c->explain.len = 0;
    c->cx.explain = c->res->explain ? &c->explain : NULL;
    bind_c_args(c->ly->op, c->vals, args);
    return reg_call(c->ly->op, &c->cx, y, args);
}

/* The function passed: the output must be a tensor that can exist, and a
 * `?` the function did not check is filled from the input first. */
static step passed(call *c, probe_tensor *x, const probe_tensor *y, int attempt)
{
    probe_result *res = c->res;
    if (!exec_fits(res, c->ly, y)) return STEP_STOPPED;
    if (attempt < MAX_REPAIRS && fill_unchecked(c, x)) return STEP_AGAIN;
    uint32_t flags = (c->node & MOD_RUN) == MOD_IMPLICIT ? TRACE_IMPLICIT : 0;
    if (!trace_add(res, c->node, x, y, c->cx.params, flags, &c->explain)) {
        res->ar.failed = true;
        return STEP_STOPPED;
    }
    *x = *y;
    return STEP_PASSED;
}

/* The function raised: the trick's catch, a mismatch repaired (recorded as
 * an error when the file wrote the size), or the error that stops the run. */
static step raised(call *c, int attempt)
{
    probe_result *res = c->res;
    const op *o = c->ly->op;
    probe_ctx *cx = &c->cx;
    if (cx->kind == PROBE_OK) {
        cx->kind = PROBE_ERROR;
        snprintf(cx->short_message, sizeof cx->short_message, "%s failed without saying why", o->name);
        cx->message = cx->short_message;
    }
    int p = cx->param[0] ? bind_param_index(o, cx->param) : -1;
    if (c->trick && attempt == 0 && cx->kind == PROBE_MISMATCH && p >= 0 && p == o->features) {
        catch_trick(res, cx);
        c->vals[p].i = cx->need;
        return STEP_AGAIN;
    }
    bool is_error = true;
    size_t nfix = res->fixes.len;
    if (cx->kind == PROBE_MISMATCH && attempt < MAX_REPAIRS && repaired_before(c, p)) return STEP_AGAIN;
    if (cx->kind == PROBE_MISMATCH && attempt < MAX_REPAIRS && repair(c, p, &is_error)) {
        if (is_error) {
            run_error *e = exec_add_error(res, PROBE_MISMATCH, c->ly, layer_span(res->net, c->ly, p), cx->message);
            if (e && res->fixes.len > nfix) e->fix = (int)nfix;
        }
        return STEP_AGAIN;
    }
    run_error *e = exec_add_error(res, cx->kind == PROBE_MISMATCH ? PROBE_ERROR : cx->kind, c->ly,
                                  layer_span(res->net, c->ly, p), cx->message);
    if (e && c->explain.len) e->explain = arena_strndup(&res->ar, c->explain.buf, c->explain.len);
    return STEP_STOPPED;
}

/* The first Linear: what it receives is the answer (in_features), and a
 * trick run plants its deliberately wrong size there. */
static void first_linear(call *c, const probe_tensor *x)
{
    probe_result *res = c->res;
    if (!(c->ly->op->flags & OPF_LINEAR) || res->seen_linear) return;
    res->seen_linear = true;
    res->in_features = x->ndim ? x->dim[x->ndim - 1] : 0;
    /* the trick: the first Linear gets a deliberately wrong in_features */
    c->trick = res->trick_in_features > 0 && c->ly->op->features >= 0;
    if (c->trick) c->vals[c->ly->op->features].i = res->trick_in_features;
}

/* A run that looks for the input channels stops at the first layer that
 * declares them, with what it declares. True when it stops here. */
static bool found_channels(probe_result *res, const layer *ly)
{
    for (int p = 0; p < ly->op->nparams; p++) {
        if (!ly->op->params[p].declares_input) continue;
        if (layer_infer(ly, p) != INFER_NONE) return false;
        res->found_channels = layer_int(ly, p);
        return true;
    }
    return false;
}

bool run_call(probe_result *res, mod_ref node, probe_tensor *x)
{
    const layer *ly = exec_layer(res, node);
    /* the implicit flatten runs where forward() would flatten: not under
     * --strict, and not on an input that is flat already */
    if ((node & MOD_RUN) == MOD_IMPLICIT && (res->opt.strict || x->ndim <= 2)) return true;
    if (res->find_channels && found_channels(res, ly)) return false;
    /* a functional call of forward() is bound as it runs: the size search
     * learns of its divisibility here (F.pixel_unshuffle) */
    if (ly->op->flags & OPF_NOT_MONOTONE) res->size_checked = true;
    call c;
    c.res = res;
    c.node = node;
    c.ly = ly;
    c.trick = false;
    layer_values(ly, c.vals, c.ints, c.known);
    first_linear(&c, x);
    sb_init(&c.explain);
    step s = STEP_AGAIN;
    for (int attempt = 0; s == STEP_AGAIN; attempt++) {
        probe_tensor y;
        int rc = call_once(&c, x, &y);
        if (c.cx.overflow) {
            report_overflow(res, ly, x, &c.cx);
            s = STEP_STOPPED;
        } else {
            s = rc == 0 && c.cx.kind == PROBE_OK ? passed(&c, x, &y, attempt) : raised(&c, attempt);
        }
    }
    sb_free(&c.explain);
    return s == STEP_PASSED;
}
