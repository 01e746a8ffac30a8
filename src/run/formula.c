/* formula.c - the runs behind --formula: where the net starts to run,
 * the sizes along each input size, and the formulas fitted to them and
 * checked against them (run/formula.h). */
#include "run/formula_sampler.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
bool formula_reaches(sampler *s, const int64_t *x)
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
void formula_size_at(const sampler *s, int axis, int64_t v, int64_t *x)
{
    for (int a = 0; a < FIT_AXES; a++) x[a] = (axis == FIT_AXES || a == axis) ? v : s->hold[a];
}

/* Sample k of a line. */
static void line_at(const line *ln, size_t k, int64_t *x)
{
    int64_t v = ln->x0 + (int64_t)k * ln->step;
    for (int a = 0; a < FIT_AXES; a++) x[a] = (ln->axis == FIT_AXES || a == ln->axis) ? v : ln->base[a];
}

/* The least v in [1, max] at which the net runs along `axis`, 0 when none.
 * Nets of monotone layers run from some size on (sizes.c): a binary
 * search; others are tried size by size. */
int64_t formula_first_running(sampler *s, int axis, int64_t max)
{
    int64_t x[FIT_AXES];
    if (!s->monotone) {
        for (int64_t v = 1; v <= max; v++) {
            formula_size_at(s, axis, v, x);
            if (formula_reaches(s, x)) return v;
        }
        return 0;
    }
    formula_size_at(s, axis, max, x);
    if (!formula_reaches(s, x)) return 0;
    int64_t a = 1, b = max;
    while (a < b) {
        int64_t mid = a + (b - a) / 2;
        formula_size_at(s, axis, mid, x);
        if (formula_reaches(s, x)) b = mid;
        else a = mid + 1;
    }
    return a;
}

/* Records one run's in_features and row sizes as sample k of ln; false
 * when it did not run (the domain has a hole) or memory ran out. */
static bool sample(sampler *s, line *ln, size_t k)
{
    int64_t x[FIT_AXES];
    line_at(ln, k, x);
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

static bool line_agrees(const sampler *s, const line *ln, const fit_size *f, size_t j)
{
    for (size_t k = 0; k < ln->n; k++) {
        int64_t x[FIT_AXES], v;
        line_at(ln, k, x);
        if (!fit_eval(f, x, &v) || v != ln->values[k * s->width + j]) return false;
    }
    return true;
}

/* Whether f gives value j of every sample of every line of piece `only`
 * (-1: of every piece). */
static bool agrees(const sampler *s, const fit_size *f, size_t j, int only)
{
    for (int i = only < 0 ? 0 : only; i < (only < 0 ? s->npcs : only + 1); i++) {
        if (!line_agrees(s, &s->pcs[i].at, f, j)) return false;
        for (int l = 0; l < FIT_LINES; l++)
            if (!line_agrees(s, &s->pcs[i].lines[l], f, j)) return false;
    }
    return true;
}

/* A line of every step-th size fitted as a function of k, made one of x.
 * A size that grows by a multiple of step each step is x itself, scaled
 * and shifted (a U-Net's 8 * floor(H / 8) is H on multiples of 8). */
static bool stretch(fit_size *f, int64_t v0, int64_t x0, int64_t step, bool one_residue)
{
    int64_t grow;
    /* with sizes of other residues in the domain too, x itself is right
     * on this one only: the floor form is kept */
    if (one_residue && step > 1 && f->ax[0].m && f->ax[0].p == 1 && util_mul(f->c, f->ax[0].m, &grow) && grow % step == 0) {
        int64_t q = grow / step, qx;
        if (!util_mul(q, x0, &qx) || !util_sub(v0, qx, &f->e)) return false;
        f->c = q;
        f->ax[0] = (fit_floor){ .m = 1, .b = 0, .p = 1, .c = 1, .e = 0 };
        return true;
    }
    return fit_stretch(&f->ax[0], x0, step);
}


/* Value j fitted on piece i's lines alone; false when no form fits them.
 * linear: a size that grows by a multiple of the period each period is
 * taken as x itself on axes of several residues too (a conv of padding 1
 * keeps H, whatever its residue); else only where the axis has one. */
static bool fit_piece(const sampler *s, int i, size_t j, int64_t *col, bool linear, fit_size *out)
{
    const piece_runs *pc = &s->pcs[i];
    fit_size along[FIT_AXES];
    fit_reset(out);
    for (int a = 0; a < s->f->rank; a++) {
        const line *ln = &pc->lines[a];
        for (size_t k = 0; k < ln->n; k++) col[k] = ln->values[k * s->width + j];
        if (!fit_line(col, ln->n, 0, &along[a]) ||
            !stretch(&along[a], col[0], ln->x0, ln->step, linear || formula_residues(s->f->runs[a]) == 1))
            return out->closed = false;
    }
    return combine(along, s->f->rank, pc->hold, pc->at.values[j], out);
}

/* Fits value j: the form of one piece that every piece's runs agree
 * with; out->closed false when there is none. */
static void fit_value(const sampler *s, size_t j, int64_t *col, fit_size *out)
{
    for (int linear = 0; linear < (s->npcs > 1 ? 2 : 1); linear++)
        for (int i = 0; i < s->npcs; i++)
            if (fit_piece(s, i, j, col, linear, out) && agrees(s, out, j, -1)) return;
    out->closed = false;
}

bool formula_in_domain(const probe_formula *f, const int64_t *x)
{
    for (int a = 0; a < f->rank; a++)
        if (x[a] < 1 || !(f->runs[a] >> (x[a] % f->every[a]) & 1) || (f->hi[a] && x[a] > f->hi[a])) return false;
    for (int i = 0; i < f->nbox; i++) {
        int a = 0;
        while (a < f->rank && x[a] >= f->box[i][a]) a++;
        if (a == f->rank) return true;
    }
    return false;
}

/* Whether x is in the domain and in piece pc's residues. */
static bool in_piece(const probe_formula *f, const piece_runs *pc, const int64_t *x)
{
    for (int a = 0; a < f->rank; a++)
        if (x[a] < pc->lo[a] || (x[a] - pc->lo[a]) % f->every[a]) return false;
    return formula_in_domain(f, x);
}

/* The least square (cube) from `from` on inside the piece; 0 when none
 * up to a bounded domain's end. */
static int64_t diagonal_start(const probe_formula *f, const piece_runs *pc, int64_t from)
{
    int64_t x[FIT_AXES] = { from, from, from }, end = INT64_MAX;
    for (int a = 0; a < f->rank; a++)
        if (f->hi[a] && f->hi[a] < end) end = f->hi[a];
    while (x[0] <= end && !in_piece(f, pc, x)) x[0] = x[1] = x[2] = x[0] + 1;
    return x[0] <= end ? x[0] : 0;
}

/* Whether every diagonal size x (all axes x) can be in the piece: the
 * axes step alike from the same residue. */
static bool same_period(const probe_formula *f, const piece_runs *pc)
{
    for (int a = 1; a < f->rank; a++)
        if (f->every[a] != f->every[0] || (pc->lo[a] - pc->lo[0]) % f->every[0]) return false;
    return true;
}

/* How many of want samples from x0 by step stay inside axis a's bounded
 * domain (the diagonal: every axis's). */
static size_t within(const probe_formula *f, int axis, int64_t x0, int64_t step, size_t want)
{
    for (int a = 0; a < f->rank; a++)
        if ((axis == FIT_AXES || axis == a) && f->hi[a]) {
            int64_t fit = x0 > f->hi[a] ? 0 : (f->hi[a] - x0) / step + 1;
            if ((int64_t)want > fit) want = (size_t)fit;
        }
    return want;
}

/* Piece i's sizes along every axis (and the diagonal) from where each
 * starts to run, and the run at its held sizes; false when a line has a
 * hole (f->why says where) or memory ran out. */
static bool sample_piece(sampler *s, int i, size_t n)
{
    probe_formula *f = s->f;
    piece_runs *pc = &s->pcs[i];
    int64_t top = 0;
    pc->at = (line){ .axis = 0, .x0 = pc->hold[0], .step = 1, .values = pc->at.values };
    memcpy(pc->at.base, pc->hold, sizeof pc->hold);
    if (!sample_line(s, &pc->at, 1)) {
        if (!s->oom)
            snprintf(f->why, sizeof f->why, "it does not run at %lld, %lld, %lld, sizes of the residues that run",
                     (long long)pc->hold[0], (long long)pc->hold[1], (long long)pc->hold[2]);
        return false;
    }
    for (int l = 0; l < FIT_LINES; l++) {
        line *ln = &pc->lines[l];
        int a = l < FIT_AXES ? l : l - FIT_FAR;
        ln->n = 0;
        if ((l < FIT_AXES && l >= f->rank) || (l == FIT_DIAGONAL && f->rank == 1) || (l >= FIT_FAR && a >= f->rank))
            continue;   /* no such axis; a length's diagonal is itself */
        /* far out: four sizes spaced n apart, where a stride the first n
         * did not show would */
        if (l == FIT_DIAGONAL && !same_period(f, pc)) continue;
        ln->axis = l == FIT_DIAGONAL ? FIT_AXES : a;
        memcpy(ln->base, pc->hold, sizeof pc->hold);
        ln->x0 = l == FIT_DIAGONAL ? diagonal_start(f, pc, top) : l >= FIT_FAR ? pc->lo[a] + (int64_t)n * f->every[a] : pc->lo[a];
        ln->step = (l >= FIT_FAR ? (int64_t)n : 1) * (l == FIT_DIAGONAL ? f->every[0] : f->every[a]);
        if (l == FIT_DIAGONAL && !ln->x0) continue;
        if (l < FIT_AXES && pc->lo[a] > top) top = pc->lo[a];
        size_t want = within(f, ln->axis, ln->x0, ln->step, l >= FIT_FAR ? 4 : n);
        if (!want) continue;
        if (!sample_line(s, ln, want)) {
            if (ln->n == want || s->oom) return false;   /* out of memory */
            /* the diagonal: "H = W = 33" */
            char name[16] = "";
            for (int k = 0; k < f->rank; k++)
                if (ln->axis == FIT_AXES || k == a)
                    snprintf(name + strlen(name), sizeof name - strlen(name), "%s%s", name[0] ? " = " : "",
                             formula_axis(f->rank, k));
            snprintf(f->why, sizeof f->why, "it runs at %s = %lld but not at %lld: not every size from there on runs",
                     name, (long long)(ln->axis == FIT_AXES ? ln->x0 : pc->lo[a]),
                     (long long)(ln->x0 + (int64_t)ln->n * ln->step));
            return false;
        }
    }
    return true;
}

static bool sample_all(sampler *s, size_t n)
{
    for (int i = 0; i < s->npcs; i++)
        if (!sample_piece(s, i, n)) return false;
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
 * else the least square (cube, length) that runs. False: none runs.
 * *searched: f->gives holds the square sizes that pass (probe_accepts()'s
 * answer, *rc), which the text's declared in_features reuses. */
static bool find_hold(sampler *s, bool *searched, int *rc)
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
    *searched = true;
    *rc = probe_accepts(s->net, &s->opt, 1, search_top(s), 0, 0, &f->gives);
    int64_t s0 = *rc == 0 && f->gives.n ? f->gives.ranges[0].lo : 0;
    if (!s0) s0 = formula_first_running(s, FIT_AXES, exec_search_max(f->rank));
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
    s->fit = fit;
    s->first_n = (size_t)(fit < FORMULA_FIRST_SAMPLES ? fit : FORMULA_FIRST_SAMPLES);
    if (s->first_n >= FORMULA_LEAST_SAMPLES) return true;
    snprintf(f->why, sizeof f->why, "a run makes %lld layer calls: too many to fit the sizes of %d runs", (long long)calls,
             (int)FORMULA_LEAST_SAMPLES * (f->rank + 1));
    return false;
}

/* The pieces share the work: fewer sizes a line each. False, and
 * f->why, when fewer than the least. */
static bool plan_pieces(sampler *s)
{
    int64_t fit = s->fit / s->npcs;
    if (fit < (int64_t)s->first_n) s->first_n = (size_t)fit;
    if (s->first_n >= FORMULA_LEAST_SAMPLES) return true;
    snprintf(s->f->why, sizeof s->f->why, "a run makes too many layer calls to fit the sizes of %d pieces", s->npcs);
    return false;
}

/* in_features, one form a piece, each checked against its piece's runs:
 * the piecewise answer when no one form holds over them all. */
static void fit_pieces(sampler *s, int64_t *col)
{
    probe_formula *f = s->f;
    for (int i = 0; i < s->npcs; i++) {
        if (!fit_piece(s, i, 0, col, false, &f->pieces[i].in_features) || !agrees(s, &f->pieces[i].in_features, 0, i)) return;
        memcpy(f->pieces[i].lo, s->pcs[i].lo, sizeof f->pieces[i].lo);
    }
    f->npieces = s->npcs;
}

/* Fits in_features and every size of every row; true when all of them
 * found a form that every sample agrees with. */
static bool fit_values(sampler *s, int64_t *col)
{
    probe_formula *f = s->f;
    fit_value(s, 0, col, &f->in_features);
    f->npieces = 0;
    if (f->has_in && !f->in_features.closed && s->npcs > 1 && s->every_piece) fit_pieces(s, col);
    bool all = f->in_features.closed || f->npieces || !f->has_in;
    for (size_t i = 0; f->dims && i < f->nrows; i++) {
        const probe_tensor *t = exec_row_out(f->ref, i);
        for (int d = 0; d < t->ndim; d++) {
            fit_size *fs = &f->dims[i * PROBE_MAX_DIMS + (size_t)d];
            fit_value(s, 1 + i * PROBE_MAX_DIMS + (size_t)d, col, fs);
            all = all && fs->closed;
        }
    }
    return all;
}

/* Whether the domain ends on some axis: more samples find no more sizes. */
static bool bounded(const probe_formula *f)
{
    for (int a = 0; a < f->rank; a++)
        if (f->hi[a]) return true;
    return false;
}

/* A formula a layer call, from n sizes a line: not for a net of a million
 * layers (then none, and rows_why says so). */
static void limit_rows(sampler *s, size_t n)
{
    probe_formula *f = s->f;
    if ((int64_t)n * (f->rank + 1) * s->npcs * (int64_t)f->nrows * PROBE_MAX_DIMS > FORMULA_MAX_VALUES) {
        f->nrows = 0;
        f->rows_why = "too many layer calls to fit each";
    }
}

static void fit_all(sampler *s)
{
    probe_formula *f = s->f;
    size_t n = s->first_n;
    int64_t *col = NULL;
    limit_rows(s, n);
    f->dims = f->nrows ? calloc(f->nrows * PROBE_MAX_DIMS, sizeof *f->dims) : NULL;
    if (!f->dims) f->nrows = 0;
    for (;;) {
        limit_rows(s, n);   /* n grows below */
        s->width = 1 + f->nrows * PROBE_MAX_DIMS;
        s->rows_ok = true;
        free(col);
        col = malloc(n * sizeof *col);
        if (!col || !sample_all(s, n)) break;
        if (!s->rows_ok) {
            f->nrows = 0;
            f->rows_why = "forward() makes other calls at other sizes";
        }
        if (fit_values(s, col) || bounded(f)) break;
        bool in_open = f->has_in && !f->in_features.closed && !f->npieces;
        /* a layer's size of no one form over several residues has none
         * in more sizes either */
        if (!in_open && s->npcs > 1) break;
        /* in_features is the answer: worth the work limit; a layer's
         * size, a tenth of it (it is then shown as having no form) */
        int64_t budget = in_open ? PROBE_WORK_LIMIT : PROBE_WORK_LIMIT / 10;
        if (n * 4 > FORMULA_MAX_SAMPLES || (int64_t)n * 4 * (f->rank + 1) * s->npcs * s->work > budget) break;
        n *= 4;
    }
    s->last_n = n;
    free(col);
}

static void free_pieces(sampler *s)
{
    for (int i = 0; i < s->npcs; i++) {
        free(s->pcs[i].at.values);
        s->pcs[i].at.values = NULL;
        for (int l = 0; l < FIT_LINES; l++) {
            free(s->pcs[i].lines[l].values);
            s->pcs[i].lines[l].values = NULL;
        }
    }
}

/* One formula over the domain, from a piece a residue of each axis; when
 * none holds over them all, one for each combination of residues (the
 * samples taken again, every combination a piece); f->why when neither. */
static void fit_domain(sampler *s)
{
    probe_formula *f = s->f;
    size_t first_n = s->first_n;
    if (formula_find_pieces(s, false) && plan_pieces(s)) fit_all(s);
    bool open = !f->why[0] && f->has_in && !f->in_features.closed && !f->npieces;
    if (open && !s->every_piece && !s->oom) {
        free_pieces(s);
        f->nrows = f->ref->rows.len;
        f->rows_why = NULL;
        free(f->dims);
        f->dims = NULL;
        s->first_n = first_n;
        if (formula_find_pieces(s, true) && plan_pieces(s)) fit_all(s);
        open = !f->why[0] && !f->in_features.closed && !f->npieces;
    }
    if (open)
        snprintf(f->why, sizeof f->why, "in_features has no closed form of floor((a*x + b) / p) over %zu sizes", s->last_n);
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
    bool searched = false;
    int rc = 0;
    if (net->invalid) {
        snprintf(f->why, sizeof f->why, "the net is invalid");
        return f;
    }
    if (!find_hold(&s, &searched, &rc)) {
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
        s.start[a] = formula_first_running(&s, a, s.hold[a]);
    }
    f->has_in = f->ref->in_features >= 0;
    f->nrows = f->ref->rows.len;
    if (plan(&s)) formula_find_domain(&s);
    if (!f->why[0]) fit_domain(&s);
    if (f->why[0]) f->nrows = 0;
    free_pieces(&s);
    if (s.oom) {
        probe_formula_free(f);
        return NULL;
    }
    /* the sizes that give the declared in_features: the search find_hold()
     * made, when it made one (the same net, options and range) */
    if (f->has_in && !f->why[0] && !searched) rc = probe_accepts(net, &s.opt, 1, search_top(&s), 0, 0, &f->gives);
    if (f->has_in && !f->why[0] && rc != 0) {
        probe_formula_free(f);
        return NULL;
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

const formula_piece *formula_piece_at(const probe_formula *f, const int64_t *x)
{
    for (int i = 0; i < f->npieces; i++) {
        int a = 0;
        while (a < f->rank && x[a] >= f->pieces[i].lo[a] && (x[a] - f->pieces[i].lo[a]) % f->every[a] == 0) a++;
        if (a == f->rank) return &f->pieces[i];
    }
    return NULL;
}

int probe_formula_in_features(const probe_formula *f, const int64_t *sizes, int64_t *value)
{
    if (f->why[0] || !f->has_in || !formula_in_domain(f, sizes)) return 0;
    const formula_piece *pc = formula_piece_at(f, sizes);
    return fit_eval(pc ? &pc->in_features : &f->in_features, sizes, value) ? 1 : 0;
}

const probe_result *probe_formula_result(const probe_formula *f) { return f->ref; }

const char *probe_formula_why(const probe_formula *f) { return f->why[0] ? f->why : NULL; }
