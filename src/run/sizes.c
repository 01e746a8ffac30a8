/* sizes.c - which input sizes a net accepts, found with quick runs (status
 * and in_features only, nothing recorded): the ranges of sizes that pass as
 * written, the smallest one, and what sizes would give instead.
 *
 * Conv, pool, pad and upsample outputs never shrink when their input grows,
 * so for a net of such layers every shape in the run is a non-decreasing
 * function of the input size S. What decides the verdict is then either
 * "S is large enough" (too_small) or "a size equals the declared one" (the
 * first Linear): the accepted sizes form one interval, and binary searches
 * on in_features find it in O(log range) runs. Layers whose verdict depends
 * on divisibility (PixelUnshuffle, Unflatten), LayerNorm over spatial sizes
 * and plugin layers break that; for such nets every size is tried. So do
 * the checks a model file's forward() makes beyond its layers -- a view to
 * fixed sizes, torch.cat, a functional of such an op -- which its runs
 * report (size_checked), as does any run that stops at a shape error no
 * "large enough" explains: the searches' answer is then checked size by
 * size over the smallest sizes, and where it fails there, dropped and
 * every size tried. */
#include "run/result.h"

#include <stdlib.h>
#include <string.h>

/* A quick run; *size_checked (when given) says whether it met a check
 * that breaks the monotone search (result.h). */
static probe_status quick_run(const probe_net *net, const probe_options *opt, int64_t *in_features,
                              bool *size_checked)
{
    probe_result res;
    exec_init(&res, net, opt);
    res.quick = true;
    exec_run(&res);
    if (in_features) *in_features = res.in_features;
    if (size_checked) *size_checked |= res.size_checked;
    probe_status st = res.status;
    exec_release(&res);
    return st;
}

probe_status probe_check(const probe_net *net, const probe_options *opt, int64_t *in_features)
{
    return quick_run(net, opt, in_features, NULL);
}

typedef struct scan {
    const probe_net *net;
    probe_options opt;
    int64_t fixed_h, fixed_w;   /* 0: the side that varies */
    int runs;
    /* what the runs met that the binary searches cannot take: a
     * size-checking op of a forward(), or a shape error (status error:
     * view sizes, broadcasting, concatenation) that no "large enough"
     * explains */
    bool not_monotone;
} scan;

static probe_status at(scan *sc, int64_t s, int64_t *in_features)
{
    probe_options o = sc->opt;
    o.h = sc->fixed_h ? sc->fixed_h : s;
    o.w = sc->fixed_w ? sc->fixed_w : s;
    if (o.rank == 3 && !sc->opt.d) o.d = s;     /* a cube, or S x S at a fixed depth */
    if (o.rank == 1) o.w = s;                   /* a length */
    sc->runs++;
    probe_status st = quick_run(sc->net, &o, in_features, &sc->not_monotone);
    if (st == PROBE_ERROR) sc->not_monotone = true;
    return st;
}

void exec_put_size(sb *out, int rank, int64_t s)
{
    for (int i = 0; i < (rank >= 1 && rank <= 3 ? rank : 2); i++) sb_printf(out, "%s%lld", i ? "x" : "", (long long)s);
}

const char *exec_size_kind(int rank)
{
    return rank == 1 ? "length" : rank == 3 ? "cube" : "square input";
}

int64_t exec_search_max(int rank)
{
    return rank == 1 ? EXEC_INFER_MAX_LENGTH : EXEC_INFER_MAX;
}

bool exec_monotone(const probe_net *net)
{
    for (size_t i = 0; i < net->nlayers; i++)
        if (net->layers[i].op->flags & OPF_NOT_MONOTONE) return false;
    return true;
}

/* The declared in_features of the first Linear, -1 when it is to be found. */
static int64_t declared_in_features(const probe_net *net)
{
    const layer *ly = net_first_linear(net);
    int p = ly ? ly->op->features : -1;
    return p < 0 || layer_infer(ly, p) != INFER_NONE ? -1 : layer_int(ly, p);
}

/* The lowest s in [lo, hi] where pred holds, hi + 1 when nowhere; pred
 * must be false..false true..true on the range. */
typedef bool (*pred_fn)(scan *sc, int64_t s, int64_t arg);

static int64_t lower_bound(scan *sc, int64_t lo, int64_t hi, pred_fn pred, int64_t arg)
{
    int64_t a = lo, b = hi + 1;
    while (a < b) {
        int64_t mid = a + (b - a) / 2;
        if (pred(sc, mid, arg)) b = mid;
        else a = mid + 1;
    }
    return a;
}

static bool in_features_at_least(scan *sc, int64_t s, int64_t d)
{
    int64_t f;
    at(sc, s, &f);
    return f >= d;
}

static bool passes(scan *sc, int64_t s, int64_t unused)
{
    (void)unused;
    return at(sc, s, NULL) == PROBE_OK;
}

static bool add_range(probe_accepts_info *out, int64_t lo, int64_t hi)
{
    if (out->n && out->ranges[out->n - 1].hi == lo - 1) {
        out->ranges[out->n - 1].hi = hi;
        return true;
    }
    probe_range *r = realloc(out->ranges, (out->n + 1) * sizeof *r);
    if (!r) return false;
    out->ranges = r;
    out->ranges[out->n].lo = lo;
    out->ranges[out->n].hi = hi;
    out->n++;
    return true;
}

/* Trying every size costs sizes x layers layer calls: past
 * PROBE_WORK_LIMIT the search stops and says where (a huge net without
 * --hw would otherwise take minutes). */

static int exhaustive(scan *sc, int64_t lo, int64_t hi, probe_accepts_info *out)
{
    out->exhaustive = 1;
    int64_t layers = sc->net->nlayers ? (int64_t)sc->net->nlayers : 1;
    /* a model file's forward() is interpreted: a layer call there costs
     * some sixteen of a net.cfg's, so its share of the work is smaller */
    if (sc->net->forward && !util_mul(layers, EXEC_PY_CALL_COST, &layers)) layers = INT64_MAX;
    int64_t sizes = PROBE_WORK_LIMIT / layers;
    if (sizes < 1) sizes = 1;
    if (hi - lo >= sizes) {
        hi = lo + sizes - 1;
        out->stopped_at = hi;
    }
    for (int64_t s = lo; s <= hi; s++)
        if (at(sc, s, NULL) == PROBE_OK && !add_range(out, s, s)) return -1;
    return 0;
}

/* When no size passes: the in_features sizes give just below and above
 * the declared one, and the sizes that give them. */
static void nearest(scan *sc, int64_t lo, int64_t hi, int64_t first_at_least, probe_accepts_info *out)
{
    int64_t f;
    if (first_at_least > lo) {
        at(sc, first_at_least - 1, &f);
        if (f >= 0) { out->below_size = first_at_least - 1; out->below_in = f; }
    }
    if (first_at_least <= hi) {
        at(sc, first_at_least, &f);
        out->above_size = first_at_least;
        out->above_in = f;
    }
}

/* Whether the searches' answer holds at each of the first
 * EXEC_VERIFY_SIZES sizes, and none of them stops at a shape error: a
 * forward() that joins or views tensors (a DenseNet's torch.cat) but
 * whose verdict is still "large enough" keeps the fast answer, while a
 * size check that fails at some sizes (a U-Net's skips, a view to fixed
 * sizes) fails here, at the small sizes its period repeats over. */
static bool agrees_on_small_sizes(scan *sc, int64_t lo, int64_t hi, const probe_accepts_info *out)
{
    int64_t last = hi - lo < EXEC_VERIFY_SIZES ? hi : lo + EXEC_VERIFY_SIZES - 1;
    size_t k = 0;
    for (int64_t s = lo; s <= last; s++) {
        while (k < out->n && out->ranges[k].hi < s) k++;
        bool in = k < out->n && s >= out->ranges[k].lo;
        probe_status st = at(sc, s, NULL);
        if (st == PROBE_ERROR || (st == PROBE_OK) != in) return false;
    }
    return true;
}

int probe_accepts(const probe_net *net, const probe_options *opt, int64_t lo, int64_t hi,
                  int64_t fixed_h, int64_t fixed_w, probe_accepts_info *out)
{
    memset(out, 0, sizeof *out);
    out->below_size = out->below_in = out->above_size = out->above_in = -1;
    out->declared = declared_in_features(net);
    if (lo < 1 || hi < lo) return 0;
    if (hi == INT64_MAX) hi--;     /* the searches look one past hi */
    scan sc = { net, *opt, fixed_h, fixed_w, 0, false };
    if (!sc.opt.rank) sc.opt.rank = probe_net_rank(net);
    int rc = 0;
    if (net->invalid) {
        rc = 0;
    } else if (!exec_monotone(net)) {
        rc = exhaustive(&sc, lo, hi, out);
    } else {
        int64_t a = lo, b = hi;
        if (out->declared >= 0) {
            /* the sizes whose in_features equal the declared one */
            a = lower_bound(&sc, lo, hi, in_features_at_least, out->declared);
            /* nothing is larger than INT64_MAX: every size from a on has it */
            b = out->declared == INT64_MAX ? hi
                                           : lower_bound(&sc, a, hi, in_features_at_least, out->declared + 1) - 1;
            if (a > b) nearest(&sc, lo, hi, a, out);
        }
        if (a <= b) {
            /* within them only "large enough" remains: passing is upward closed */
            int64_t first = lower_bound(&sc, a, b, passes, 0);
            if (first <= b && at(&sc, b, NULL) == PROBE_OK && !add_range(out, first, b)) rc = -1;
        }
        if (sc.not_monotone && rc == 0 && !agrees_on_small_sizes(&sc, lo, hi, out)) {
            /* a forward() whose verdict the searches above cannot bound
             * (the tutorial's x.view(-1, 16 * 5 * 5), a U-Net's
             * torch.cat): their answer is dropped, every size is tried */
            probe_accepts_free(out);
            out->below_size = out->below_in = out->above_size = out->above_in = -1;
            rc = exhaustive(&sc, lo, hi, out);
        }
    }
    out->runs = sc.runs;
    return rc;
}

void probe_accepts_free(probe_accepts_info *info)
{
    if (!info) return;
    free(info->ranges);
    info->ranges = NULL;
    info->n = 0;
}
