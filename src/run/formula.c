/* formula.c - the runs behind --formula: where the net starts to run,
 * the sizes along each input size, and the formulas fitted to them and
 * checked against them (run/formula.h). */
#include "run/formula.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Samples along a line of sizes: one axis varies (or all of them: the
 * diagonal), the others held. values[k * width + j]: j 0 is in_features,
 * then PROBE_MAX_DIMS sizes a row. */
typedef struct line {
    int axis;                   /* FIT_AXES: the diagonal */
    int64_t x0, step;           /* sample k is at x0 + k*step */
    size_t n;
    int64_t *values;
} line;

enum { FIT_DIAGONAL = FIT_AXES, FIT_FAR = FIT_AXES + 1, FIT_LINES = 2 * FIT_AXES + 1 };

typedef struct sampler {
    const probe_net *net;
    probe_options opt;
    probe_formula *f;
    int64_t hold[FIT_AXES];     /* the sizes held while one varies */
    int64_t start[FIT_AXES];    /* where each axis starts to run, the others held */
    size_t width;               /* values per sample */
    bool rows_ok;               /* every run made the rows ref made */
    bool monotone;
    line lines[FIT_LINES];      /* each axis, the diagonal, each axis far out */
    bool oom;                   /* a run ran out of memory */
    int64_t work;               /* a run's cost in a net.cfg's layer calls */
    size_t first_n;             /* the sizes to run along a line first */
} sampler;

const char *formula_axis(int rank, int axis)
{
    static const char *const names[3][3] = { { "L" }, { "H", "W" }, { "D", "H", "W" } };
    return rank >= 1 && rank <= 3 && axis >= 0 && axis < rank ? names[rank - 1][axis] : "?";
}

static probe_options options_at(const sampler *s, const int64_t *x)
{
    probe_options o = s->opt;
    o.rank = s->f->rank;
    o.explain = 0;
    if (o.rank == 1) o.w = x[0];
    else if (o.rank == 2) { o.h = x[0]; o.w = x[1]; }
    else { o.d = x[0]; o.h = x[1]; o.w = x[2]; }
    return o;
}

/* Whether the net runs to its end at size x: a mismatch is repaired and
 * the run goes on; an input too small, or another error, stops it. */
static bool reaches(sampler *s, const int64_t *x)
{
    probe_options o = options_at(s, x);
    probe_result res;
    exec_init(&res, s->net, &o);
    res.quick = true;
    exec_run(&res);
    bool ran = res.has_output;
    exec_release(&res);
    return ran;
}

/* The size along `axis` (FIT_AXES: all of them) with the others held. */
static void size_at(const sampler *s, int axis, int64_t v, int64_t *x)
{
    for (int a = 0; a < FIT_AXES; a++) x[a] = (axis == FIT_AXES || a == axis) ? v : s->hold[a];
}

/* The least v in [1, max] at which the net runs along `axis`, 0 when none.
 * Nets of monotone layers run from some size on (sizes.c): a binary
 * search; others are tried size by size. */
static int64_t first_running(sampler *s, int axis, int64_t max)
{
    int64_t x[FIT_AXES];
    if (!s->monotone) {
        for (int64_t v = 1; v <= max; v++) {
            size_at(s, axis, v, x);
            if (reaches(s, x)) return v;
        }
        return 0;
    }
    size_at(s, axis, max, x);
    if (!reaches(s, x)) return 0;
    int64_t a = 1, b = max;
    while (a < b) {
        int64_t mid = a + (b - a) / 2;
        size_at(s, axis, mid, x);
        if (reaches(s, x)) b = mid;
        else a = mid + 1;
    }
    return a;
}

/* Records one run's in_features and row sizes as sample k of ln; false
 * when it did not run (the domain has a hole) or memory ran out. */
static bool sample(sampler *s, line *ln, size_t k)
{
    int64_t x[FIT_AXES];
    size_at(s, ln->axis, ln->x0 + (int64_t)k * ln->step, x);
    probe_options o = options_at(s, x);
    probe_result *r = probe_run(s->net, &o);
    if (!r) {
        s->oom = true;
        return false;
    }
    bool ok = r->has_output;
    int64_t *v = ln->values + k * s->width;
    v[0] = r->in_features;
    const probe_result *ref = s->f->ref;
    if (ok && s->rows_ok && s->f->nrows) {
        if (r->rows.len != ref->rows.len) s->rows_ok = false;
        for (size_t i = 0; s->rows_ok && i < s->f->nrows; i++) {
            const probe_tensor *t = exec_row_out(r, i), *want = exec_row_out(ref, i);
            if (exec_row(r, i)->node != exec_row(ref, i)->node || t->ndim != want->ndim) s->rows_ok = false;
            else memcpy(v + 1 + i * PROBE_MAX_DIMS, t->dim, (size_t)t->ndim * sizeof t->dim[0]);
        }
    }
    probe_result_free(r);
    return ok;
}

static bool sample_line(sampler *s, line *ln, size_t n)
{
    free(ln->values);
    ln->n = n;
    ln->values = calloc(n, s->width * sizeof *ln->values);
    if (!ln->values) return false;
    for (size_t k = 0; k < n; k++)
        if (!sample(s, ln, k)) {
            ln->n = k;
            return false;
        }
    return true;
}

/* The form of value j (0: in_features; else a row's size) along each
 * axis, put together: a size that depends on one input size is that
 * axis's form; one that depends on several (a flatten), a product of
 * their floors times the constant left at the held size. */
static bool combine(const fit_size *along, int rank, const int64_t *hold, int64_t at_hold, fit_size *out)
{
    fit_reset(out);
    out->closed = true;
    int deps = 0, last = -1;
    for (int a = 0; a < rank; a++)
        if (along[a].ax[0].m) { deps++; last = a; }
    if (!deps) {
        out->e = at_hold;
        return true;
    }
    if (deps == 1) {
        out->c = along[last].c;
        out->e = along[last].e;
        out->ax[last] = along[last].ax[0];
        return true;
    }
    /* along axis a the size is k * (others' factors) * (c_a*floor + e_a):
     * the factor is the line's form over the gcd of its c and e, and k
     * what is left at the held size */
    int64_t k = at_hold, h;
    for (int a = 0; a < rank; a++) {
        if (!along[a].ax[0].m) continue;
        int64_t g = fit_gcd(along[a].c, along[a].e);
        out->ax[a] = along[a].ax[0];
        out->ax[a].c = along[a].c / g;
        /* a sum of floors keeps its own constant: it is scaled with it */
        int64_t inner;
        if (!util_mul(out->ax[a].c, along[a].ax[0].e, &inner) || !util_add(inner, along[a].e / g, &out->ax[a].e) ||
            !fit_floor_eval(&out->ax[a], hold[a], &h) || h <= 0 || k % h) return out->closed = false;
        k /= h;
    }
    out->c = k;
    return true;
}

/* Whether f gives value j of every sample of every line. */
static bool agrees(const sampler *s, const fit_size *f, size_t j)
{
    for (int l = 0; l < FIT_LINES; l++) {
        const line *ln = &s->lines[l];
        for (size_t k = 0; k < ln->n; k++) {
            int64_t x[FIT_AXES], v;
            size_at(s, ln->axis, ln->x0 + (int64_t)k * ln->step, x);
            if (!fit_eval(f, x, &v) || v != ln->values[k * s->width + j]) return false;
        }
    }
    return true;
}

/* A line of every step-th size fitted as a function of k, made one of x.
 * A size that grows by a multiple of step each step is x itself, scaled
 * and shifted (a U-Net's 8 * floor(H / 8) is H on multiples of 8). */
static bool stretch(fit_size *f, int64_t v0, int64_t x0, int64_t step)
{
    int64_t grow;
    if (step > 1 && f->ax[0].m && f->ax[0].p == 1 && util_mul(f->c, f->ax[0].m, &grow) && grow % step == 0) {
        int64_t q = grow / step, qx;
        if (!util_mul(q, x0, &qx) || !util_sub(v0, qx, &f->e)) return false;
        f->c = q;
        f->ax[0] = (fit_floor){ .m = 1, .b = 0, .p = 1, .c = 1, .e = 0 };
        return true;
    }
    return fit_stretch(&f->ax[0], x0, step);
}

/* Fits value j; out->closed false when no form fits every run. */
static void fit_value(const sampler *s, size_t j, int64_t at_hold, int64_t *col, fit_size *out)
{
    fit_size along[FIT_AXES];
    fit_reset(out);
    for (int a = 0; a < s->f->rank; a++) {
        const line *ln = &s->lines[a];
        for (size_t k = 0; k < ln->n; k++) col[k] = ln->values[k * s->width + j];
        if (!fit_line(col, ln->n, 0, &along[a]) || !stretch(&along[a], col[0], ln->x0, ln->step)) return;
    }
    if (!combine(along, s->f->rank, s->hold, at_hold, out) || !agrees(s, out, j)) out->closed = false;
}

bool formula_in_domain(const probe_formula *f, const int64_t *x)
{
    for (int a = 0; a < f->rank; a++)
        if ((x[a] - f->lo[a]) % f->every[a]) return false;
    for (int i = 0; i < f->nbox; i++) {
        int a = 0;
        while (a < f->rank && x[a] >= f->box[i][a]) a++;
        if (a == f->rank) return true;
    }
    return false;
}

/* The least square (cube) from `from` on inside the domain. */
static int64_t diagonal_start(const probe_formula *f, int64_t from)
{
    int64_t x[FIT_AXES] = { from, from, from };
    while (!formula_in_domain(f, x)) x[0] = x[1] = x[2] = x[0] + 1;
    return x[0];
}

/* Whether every diagonal size x (all axes x) can be in the domain: the
 * axes step alike from the same residue. */
static bool same_period(const probe_formula *f)
{
    for (int a = 1; a < f->rank; a++)
        if (f->every[a] != f->every[0] || (f->lo[a] - f->lo[0]) % f->every[0]) return false;
    return true;
}

static bool periodic(const bool *ran, int n, int p)
{
    for (int k = 0; k + p < n; k++)
        if (ran[k] != ran[k + p]) return false;
    return true;
}

/* Which sizes of each axis run, from where it starts: every one for most
 * nets; one in 2^depth for a U-Net, whose skip connections need sizes
 * that pool and upsample back to themselves. The pattern of the first
 * sizes (192, or fewer for a large net: plan()) must repeat with a period up to 64 and hold one running size a period;
 * else the net has no formula, and f->why says so. */
static void find_periods(sampler *s)
{
    enum { SCAN_MAX = 192 };
    probe_formula *f = s->f;
    bool ran[SCAN_MAX];
    int scan = (int)s->first_n;
    for (int a = 0; a < FIT_AXES; a++) f->every[a] = 1;
    for (int a = 0; a < f->rank && !f->why[0]; a++) {
        int64_t x[FIT_AXES];
        for (int k = 0; k < scan; k++) {
            size_at(s, a, s->start[a] + k, x);
            ran[k] = reaches(s, x);
        }
        int p = 1, count = 0;
        while (p <= scan / 3 && !periodic(ran, scan, p)) p++;
        for (int k = 0; k < p && p <= scan / 3; k++) count += ran[k];
        if (p > scan / 3 || count > 1) {
            snprintf(f->why, sizeof f->why, "from %s = %lld on, %s", formula_axis(f->rank, a), (long long)s->start[a],
                     p > scan / 3 ? "the sizes that run and those that do not follow no period up to 64"
                                  : "not every size runs, nor one size in each period of the sizes that do");
            continue;
        }
        f->every[a] = p;
    }
}

/* The domain of a net whose sizes run one in every[a]: from the least
 * such size of each axis, the others held. */
static void periodic_domain(sampler *s)
{
    probe_formula *f = s->f;
    f->nbox = 1;
    for (int a = 0; a < f->rank; a++) {
        int64_t p = f->every[a], v = s->start[a] % p ? s->start[a] % p : p, x[FIT_AXES];
        for (;; v += p) {
            size_at(s, a, v, x);
            if (v >= s->start[a] || reaches(s, x)) break;
        }
        f->lo[a] = f->box[0][a] = v;
    }
}

/* The domain: the sizes at which the net runs, from the least of each
 * axis. For layers that are monotone, running is upward closed: each
 * axis's least size is found with the others far out (B, the search's
 * largest size), and when those least sizes do not run together (an
 * InstanceNorm wants more than one element: H and W may not both be at
 * their least) the sizes that run are, at rank 2, a staircase, walked
 * here: from the least H, the least W that runs with it, then the least
 * H that lets W go lower, until W is at its least; each step a binary
 * search. A net of other layers has its least sizes found with the
 * others held, and holes elsewhere, which sample_all() reports. */
static void find_domain(sampler *s)
{
    probe_formula *f = s->f;
    find_periods(s);
    if (f->why[0]) return;
    for (int a = 0; a < f->rank; a++)
        if (f->every[a] > 1) {
            periodic_domain(s);
            return;
        }
    int64_t hold[FIT_AXES], big = s->monotone ? exec_search_max(f->rank) : 0;
    memcpy(hold, s->hold, sizeof hold);
    for (int a = 0; big && a < f->rank; a++) s->hold[a] = big;
    for (int a = 0; a < f->rank; a++) f->lo[a] = first_running(s, a, hold[a]);
    f->nbox = 1;
    memcpy(f->box[0], f->lo, sizeof f->lo);
    if (f->rank == 1 || reaches(s, f->lo)) {
        memcpy(s->hold, hold, sizeof hold);
        return;
    }
    if (f->rank == 3 || !big) {
        snprintf(f->why, sizeof f->why, "the least sizes of each axis (%lld, %lld, ...) do not run together",
                 (long long)f->lo[0], (long long)f->lo[1]);
        memcpy(s->hold, hold, sizeof hold);
        return;
    }
    f->nbox = 0;
    int64_t h = f->lo[0], w;
    for (;;) {
        s->hold[0] = h;
        w = first_running(s, 1, big);
        f->box[f->nbox][0] = h;
        f->box[f->nbox][1] = w;
        f->nbox++;
        if (w <= f->lo[1]) break;
        if (f->nbox == FORMULA_MAX_BOXES) {
            snprintf(f->why, sizeof f->why, "the sizes that run have more than %d corners", FORMULA_MAX_BOXES);
            break;
        }
        s->hold[0] = big;
        s->hold[1] = w - 1;
        h = first_running(s, 0, big);
        s->hold[1] = big;
    }
    memcpy(s->hold, hold, sizeof hold);
}

/* Sizes along every axis (and the diagonal) from where each starts to
 * run; false when a line has a hole (f->why says where) or memory ran
 * out. */
static bool sample_all(sampler *s, size_t n)
{
    probe_formula *f = s->f;
    int64_t top = 0;
    for (int l = 0; l < FIT_LINES; l++) {
        line *ln = &s->lines[l];
        int a = l < FIT_AXES ? l : l - FIT_FAR;
        ln->n = 0;
        if ((l < FIT_AXES && l >= f->rank) || (l == FIT_DIAGONAL && f->rank == 1) || (l >= FIT_FAR && a >= f->rank))
            continue;   /* no such axis; a length's diagonal is itself */
        /* far out: four sizes spaced n apart, where a stride the first n
         * did not show would */
        ln->axis = l == FIT_DIAGONAL ? FIT_AXES : a;
        ln->x0 = l == FIT_DIAGONAL ? diagonal_start(f, top) : l >= FIT_FAR ? s->start[a] + (int64_t)n * f->every[a] : s->start[a];
        ln->step = (l >= FIT_FAR ? (int64_t)n : 1) * (l == FIT_DIAGONAL ? f->every[0] : f->every[a]);
        if (l == FIT_DIAGONAL && !same_period(f)) continue;
        if (l < FIT_AXES && s->start[a] > top) top = s->start[a];
        size_t want = l >= FIT_FAR ? 4 : n;
        if (!sample_line(s, ln, want)) {
            if (ln->n == want || s->oom) return false;   /* out of memory */
            /* the diagonal: "H = W = 33" */
            char name[16] = "";
            for (int k = 0; k < f->rank; k++)
                if (ln->axis == FIT_AXES || k == a)
                    snprintf(name + strlen(name), sizeof name - strlen(name), "%s%s", name[0] ? " = " : "",
                             formula_axis(f->rank, k));
            snprintf(f->why, sizeof f->why, "it runs at %s = %lld but not at %lld: not every size from there on runs",
                     name, (long long)(ln->axis == FIT_AXES ? ln->x0 : s->start[a]),
                     (long long)(ln->x0 + (int64_t)ln->n * ln->step));
            return false;
        }
    }
    return true;
}

/* The largest size the searches for sizes that pass go to: the largest
 * at the rank for monotone layers (binary searches), else 4096 (each size
 * is tried). */
static int64_t search_top(const sampler *s)
{
    int64_t top = exec_search_max(s->f->rank);
    return s->monotone || top < 4096 ? top : 4096;
}

/* The size the formulas are shown at and the others are held at while one
 * varies: the options' (or the input line's) when the net runs there,
 * else the least square (cube, length) that runs. False: none runs. */
static bool find_hold(sampler *s)
{
    probe_formula *f = s->f;
    /* a run without a size would search for the sizes that pass: not here */
    bool sized = s->opt.w > 0 || (s->net->has_input && s->net->input_rank > 0);
    probe_result *first = sized ? probe_run(s->net, &s->opt) : NULL;
    bool given = first && !first->inferred && first->has_input && first->has_output;
    if (given) {
        for (int a = 0; a < f->rank; a++) s->hold[a] = first->input.dim[2 + a];
    }
    probe_result_free(first);
    if (given) return true;
    /* no size given: the first that passes as written (the size the net
     * was made for, most often), else the least that runs */
    probe_accepts_info ok;
    int rc = probe_accepts(s->net, &s->opt, 1, search_top(s), 0, 0, &ok);
    int64_t s0 = rc == 0 && ok.n ? ok.ranges[0].lo : 0;
    probe_accepts_free(&ok);
    if (!s0) s0 = first_running(s, FIT_AXES, exec_search_max(f->rank));
    for (int a = 0; a < f->rank; a++) s->hold[a] = s0;
    return s0 > 0;
}

/* The samples to take along a line: three periods of a stride product up
 * to 64 first, more while in_features finds no form and the work allows. */
enum {
    FORMULA_FIRST_SAMPLES = 192,
    FORMULA_LEAST_SAMPLES = 24,
    FORMULA_MAX_SAMPLES = 12288,
    FORMULA_MAX_VALUES = 1 << 22
};

/* What the runs may cost: the sizes along a line (192, three periods of a
 * stride up to 64; fewer for a net so large that they would pass the
 * work limit, none below 24). False, and f->why, when even those would. */
static bool plan(sampler *s)
{
    probe_formula *f = s->f;
    int64_t calls = (int64_t)(f->nrows ? f->nrows : 1);
    /* a layer call of an interpreted forward() weighs as in sizes.c */
    s->work = util_sat_mul(calls, s->net->forward ? EXEC_PY_CALL_COST : 1);
    int64_t fit = PROBE_WORK_LIMIT / s->work / (f->rank + 1);
    s->first_n = (size_t)(fit < FORMULA_FIRST_SAMPLES ? fit : FORMULA_FIRST_SAMPLES);
    if (s->first_n >= FORMULA_LEAST_SAMPLES) return true;
    snprintf(f->why, sizeof f->why, "a run makes %lld layer calls: too many to fit the sizes of %d runs", (long long)calls,
             (int)FORMULA_LEAST_SAMPLES * (f->rank + 1));
    return false;
}

/* Fits in_features and every size of every row; true when all of them
 * found a form that every sample agrees with. */
static bool fit_values(sampler *s, int64_t *col)
{
    probe_formula *f = s->f;
    fit_value(s, 0, f->ref->in_features, col, &f->in_features);
    bool all = f->in_features.closed || !f->has_in;
    for (size_t i = 0; f->dims && i < f->nrows; i++) {
        const probe_tensor *t = exec_row_out(f->ref, i);
        for (int d = 0; d < t->ndim; d++) {
            fit_size *fs = &f->dims[i * PROBE_MAX_DIMS + (size_t)d];
            fit_value(s, 1 + i * PROBE_MAX_DIMS + (size_t)d, t->dim[d], col, fs);
            all = all && fs->closed;
        }
    }
    return all;
}

static void fit_all(sampler *s)
{
    probe_formula *f = s->f;
    size_t n = s->first_n;
    int64_t *col = NULL;
    /* a formula a layer call: not for a net of a million layers */
    if ((int64_t)n * (f->rank + 1) * (int64_t)f->nrows * PROBE_MAX_DIMS > FORMULA_MAX_VALUES) {
        f->nrows = 0;
        f->rows_why = "too many layer calls to fit each";
    }
    f->dims = f->nrows ? calloc(f->nrows * PROBE_MAX_DIMS, sizeof *f->dims) : NULL;
    if (!f->dims) f->nrows = 0;
    for (;;) {
        if ((int64_t)n * (f->rank + 1) * (int64_t)f->nrows * PROBE_MAX_DIMS > FORMULA_MAX_VALUES) {
            f->nrows = 0;
            f->rows_why = "too many layer calls to fit each";
        }
        s->width = 1 + f->nrows * PROBE_MAX_DIMS;
        s->rows_ok = true;
        free(col);
        col = malloc(n * sizeof *col);
        if (!col || !sample_all(s, n)) break;
        if (!s->rows_ok) {
            f->nrows = 0;
            f->rows_why = "forward() makes other calls at other sizes";
        }
        if (fit_values(s, col)) break;
        bool in_open = f->has_in && !f->in_features.closed;
        /* in_features is the answer: worth the work limit; a layer's
         * size, a tenth of it (it is then shown as having no form) */
        int64_t budget = in_open ? PROBE_WORK_LIMIT : PROBE_WORK_LIMIT / 10;
        if (n * 4 > FORMULA_MAX_SAMPLES || (int64_t)n * 4 * (f->rank + 1) * s->work > budget) break;
        n *= 4;
    }
    if (!f->why[0] && f->has_in && !f->in_features.closed)
        snprintf(f->why, sizeof f->why, "in_features has no closed form of floor((a*x + b) / p) over %zu sizes", n);
    if (f->why[0]) f->nrows = 0;
    free(col);
}

probe_formula *probe_formula_new(const probe_net *net, const probe_options *opt)
{
    probe_formula *f = calloc(1, sizeof *f);
    if (!f) return NULL;
    sampler s;
    memset(&s, 0, sizeof s);
    s.net = net;
    s.opt = *opt;
    s.opt.explain = 0;
    s.f = f;
    f->rank = opt->rank ? opt->rank : (opt->h && opt->w) ? 2 : probe_net_rank(net);
    s.opt.rank = f->rank;
    s.monotone = exec_monotone(net);
    f->declared = -1;
    if (net->invalid) {
        snprintf(f->why, sizeof f->why, "the net is invalid");
        return f;
    }
    if (!find_hold(&s)) {
        snprintf(f->why, sizeof f->why, "no %s up to %lld runs", exec_size_kind(f->rank),
                 (long long)exec_search_max(f->rank));
        return f;
    }
    probe_options o = options_at(&s, s.hold);
    f->ref = probe_run(net, &o);
    if (!f->ref) {
        probe_formula_free(f);
        return NULL;
    }
    for (int a = 0; a < f->rank; a++) {
        f->at[a] = s.hold[a];
        s.start[a] = first_running(&s, a, s.hold[a]);
    }
    f->has_in = f->ref->in_features >= 0;
    f->nrows = f->ref->rows.len;
    if (plan(&s)) find_domain(&s);
    if (!f->why[0]) fit_all(&s);
    else f->nrows = 0;
    for (int l = 0; l < FIT_LINES; l++) free(s.lines[l].values);
    if (s.oom) {
        probe_formula_free(f);
        return NULL;
    }
    if (f->has_in && !f->why[0]) {
        probe_options sq = s.opt;
        if (probe_accepts(net, &sq, 1, search_top(&s), 0, 0, &f->gives) != 0) {
            probe_formula_free(f);
            return NULL;
        }
        f->declared = f->gives.declared;
    }
    return f;
}

void probe_formula_free(probe_formula *f)
{
    if (!f) return;
    probe_result_free(f->ref);
    free(f->dims);
    probe_accepts_free(&f->gives);
    free(f);
}

int probe_formula_in_features(const probe_formula *f, const int64_t *sizes, int64_t *value)
{
    if (f->why[0] || !f->has_in || !formula_in_domain(f, sizes)) return 0;
    return fit_eval(&f->in_features, sizes, value) ? 1 : 0;
}

const probe_result *probe_formula_result(const probe_formula *f) { return f->ref; }

const char *probe_formula_why(const probe_formula *f) { return f->why[0] ? f->why : NULL; }
