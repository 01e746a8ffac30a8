/* report_formula.c - the formulas of run/formula.c as a person reads them
 * (floor((H - 12) / 4)) and as a program evaluates them: Python integer
 * expressions ((H-12)//4) with the domain they hold in (PROBE.md). */
#include "run/formula.h"

#include <stdlib.h>
#include <string.h>

/* How a formula is written: for people, spaced with floor(); for
 * Python, tight with //. */
typedef struct style {
    bool py;
    const char *mul, *plus, *minus;
} style;

static const style PEOPLE = { false, " * ", " + ", " - " };
static const style PYTHON = { true, "*", "+", "-" };

/* m*x + b, with m > 0. */
static void put_affine(sb *out, const style *st, int64_t m, const char *x, int64_t b)
{
    if (m != 1) sb_printf(out, "%lld%s", (long long)m, st->mul);
    sb_puts(out, x);
    if (b > 0) sb_printf(out, "%s%lld", st->plus, (long long)b);
    if (b < 0) sb_printf(out, "%s%llu", st->minus, (unsigned long long)0 - (unsigned long long)b);
}

/* " + e", " - e", or nothing for 0. */
static void put_const(sb *out, const style *st, int64_t e)
{
    if (e > 0) sb_printf(out, "%s%lld", st->plus, (long long)e);
    if (e < 0) sb_printf(out, "%s%llu", st->minus, (unsigned long long)0 - (unsigned long long)e);
}

/* floor((m*x + b) / p): people read floor(), Python //, which needs its
 * own parentheses wherever a product or sum holds it (bare: it stands
 * alone). */
static void put_floor(sb *out, const style *st, const fit_floor *fl, const char *x, bool bare)
{
    bool sum = fl->b != 0;
    if (st->py) {
        if (!bare) sb_putc(out, '(');
        if (sum) sb_putc(out, '(');
        put_affine(out, st, fl->m, x, fl->b);
        if (sum) sb_putc(out, ')');
        sb_printf(out, "//%lld", (long long)fl->p);
        if (!bare) sb_putc(out, ')');
        return;
    }
    bool inner = sum || fl->m != 1;
    sb_puts(out, "floor(");
    if (inner) sb_putc(out, '(');
    put_affine(out, st, fl->m, x, fl->b);
    if (inner) sb_putc(out, ')');
    sb_printf(out, " / %lld)", (long long)fl->p);
}

/* A sum of floors, tc[0]*floor((x + tb[0]) / p) + ..., scaled by c, plus
 * e; in parentheses unless it stands alone. */
static void put_sum(sb *out, const style *st, const fit_floor *fl, const char *x, bool alone)
{
    if (!alone) sb_putc(out, '(');
    if (fl->c != 1) sb_printf(out, "%lld%s(", (long long)fl->c, st->mul);
    for (int i = 0; i < fl->terms; i++) {
        int64_t d = fl->tc[i];
        fit_floor one = { .m = 1, .b = fl->tb[i], .p = fl->p, .c = 1, .e = 0 };
        if (i) sb_puts(out, d < 0 ? st->minus : st->plus);
        else if (d < 0) sb_putc(out, '-');
        if (d != 1 && d != -1) sb_printf(out, "%llu%s", d < 0 ? 0 - (unsigned long long)d : (unsigned long long)d, st->mul);
        put_floor(out, st, &one, x, false);
    }
    if (fl->c != 1) sb_putc(out, ')');
    put_const(out, st, fl->e);
    if (!alone) sb_putc(out, ')');
}

/* k * (c * (m*x + b) + e) + e0 multiplied out as *m * x + *b, the form
 * of a factor of p 1; false when a coefficient would not fit in int64
 * (the factor is then written as it is). */
static bool multiplied_out(int64_t k, const fit_floor *fl, int64_t e0, int64_t *m, int64_t *b)
{
    int64_t cm, cb, sum, kb;
    return util_mul(fl->c, fl->m, &cm) && util_mul(k, cm, m) && util_mul(fl->c, fl->b, &cb) &&
           util_add(cb, fl->e, &sum) && util_mul(k, sum, &kb) && util_add(kb, e0, b);
}

/* One axis's factor, c * floor(...) + e, parenthesised wherever the
 * product would bind it otherwise; a factor of p 1 is multiplied out. */
static void put_factor(sb *out, const style *st, const fit_floor *fl, const char *x, bool alone)
{
    if (fl->terms) {
        put_sum(out, st, fl, x, alone);
        return;
    }
    int64_t m, b;
    if (fl->p == 1 && multiplied_out(1, fl, 0, &m, &b)) {
        bool wrap = b && !alone;
        if (wrap) sb_putc(out, '(');
        put_affine(out, st, m, x, b);
        if (wrap) sb_putc(out, ')');
        return;
    }
    bool scaled = fl->c != 1 || fl->e;
    if (scaled && !alone) sb_putc(out, '(');
    if (fl->c != 1) sb_printf(out, "%lld%s", (long long)fl->c, st->mul);
    put_floor(out, st, fl, x, alone && !scaled);
    put_const(out, st, fl->e);
    if (scaled && !alone) sb_putc(out, ')');
}

static void put_size(sb *out, const style *st, int rank, const fit_size *f)
{
    int deps = 0, last = -1;
    for (int a = 0; a < FIT_AXES; a++)
        if (f->ax[a].m) { deps++; last = a; }
    if (!deps) {
        sb_printf(out, "%lld", (long long)f->e);
        return;
    }
    const fit_floor *fl = &f->ax[last];
    int64_t m, b;
    if (deps == 1 && fl->p == 1 && multiplied_out(f->c, fl, f->e, &m, &b)) {
        /* c * (m*x + b) + e, multiplied out */
        put_affine(out, st, m, formula_axis(rank, last), b);
        return;
    }
    bool alone = deps == 1 && f->c == 1 && !f->e;
    if (f->c != 1) sb_printf(out, "%lld%s", (long long)f->c, st->mul);
    for (int a = 0, k = 0; a < FIT_AXES; a++) {
        if (!f->ax[a].m) continue;
        if (k++) sb_puts(out, st->mul);
        put_factor(out, st, &f->ax[a], formula_axis(rank, a), alone);
    }
    put_const(out, st, f->e);
}


/* One axis's bound: "H >= 16"; a bounded domain's "H = 224" (Python
 * "H == 224") or "32 <= H <= 35". */
static void put_bound(sb *out, const style *st, const char *x, int64_t lo, int64_t hi)
{
    if (hi == lo) sb_printf(out, "%s %s %lld", x, st->py ? "==" : "=", (long long)lo);
    else if (hi) sb_printf(out, "%lld <= %s <= %lld", (long long)lo, x, (long long)hi);
    else sb_printf(out, "%s >= %lld", x, (long long)lo);
}

/* One box of the domain: "H, W >= 16" or "H >= 16, W >= 20"; Python:
 * "H >= 16 and W >= 16". */
static void put_box(sb *out, const style *st, const probe_formula *f, const int64_t *lo)
{
    bool same = true;
    for (int a = 0; a < f->rank; a++) same = same && lo[a] == lo[0] && !f->hi[a];
    if (!st->py && same) {
        for (int a = 0; a < f->rank; a++) sb_printf(out, "%s%s", a ? ", " : "", formula_axis(f->rank, a));
        sb_printf(out, " >= %lld", (long long)lo[0]);
        return;
    }
    for (int a = 0; a < f->rank; a++) {
        if (a) sb_puts(out, st->py ? " and " : ", ");
        put_bound(out, st, formula_axis(f->rank, a), lo[a], f->hi[a]);
    }
}

/* The residues of a period that run, from 0 up: "(0, 3)" in Python,
 * "{0, 3}" for people. */
static void put_residues(sb *out, const style *st, uint64_t runs, int64_t p)
{
    sb_putc(out, st->py ? '(' : '{');
    for (int64_t r = 0, k = 0; r < p; r++)
        if (runs >> r & 1) sb_printf(out, "%s%lld", k++ ? ", " : "", (long long)r);
    sb_putc(out, st->py ? ')' : '}');
}

/* The sizes of a net that runs one in every[a]: people read "multiples of
 * 8" (or "8k + 3"); Python, with // alone, "H//8*8 == H" ("(H-3)//8*8 ==
 * H-3"). Several residues: "H % 4 in (0, 3)", for people "H % 4 in {0, 3}". */
static void put_period(sb *out, const style *st, const probe_formula *f)
{
    bool same = true;
    for (int a = 1; a < f->rank; a++)
        same = same && f->every[a] == f->every[0] && f->runs[a] == f->runs[0] && (f->lo[a] - f->lo[0]) % f->every[0] == 0;
    for (int a = 0; a < f->rank; a++) {
        int64_t p = f->every[a], r = f->lo[a] % p;
        const char *x = formula_axis(f->rank, a);
        if (p == 1) continue;
        if (formula_residues(f->runs[a]) > 1) {
            if (!st->py && same) {
                for (int b = 0; b < f->rank; b++) sb_printf(out, "%s%s %% %lld", b ? ", " : ", ", formula_axis(f->rank, b), (long long)p);
                sb_puts(out, " in ");
                put_residues(out, st, f->runs[a], p);
                return;
            }
            sb_printf(out, "%s%s %% %lld in ", st->py ? " and " : ", ", x, (long long)p);
            put_residues(out, st, f->runs[a], p);
        }
        else if (st->py && r) sb_printf(out, " and (%s-%lld)//%lld*%lld == %s-%lld", x, (long long)r, (long long)p, (long long)p, x, (long long)r);
        else if (st->py) sb_printf(out, " and %s//%lld*%lld == %s", x, (long long)p, (long long)p, x);
        else {
            /* "H, W >= 8, multiples of 8"; axes apart: ", H a multiple of 8" */
            if (!same) sb_printf(out, ", %s %s", x, r ? "=" : "a multiple of");
            else sb_puts(out, r ? ", =" : ", multiples of");
            if (r) sb_printf(out, " %lldk + %lld", (long long)p, (long long)r);
            else sb_printf(out, " %lld", (long long)p);
            if (same) return;
        }
    }
}

/* "for H, W >= 16"; a staircase: "for H >= 9, W >= 10, or H >= 10, W >= 9"
 * (Python: `and` binds before `or`). */
static void put_domain(sb *out, const style *st, const probe_formula *f)
{
    if (!st->py) sb_puts(out, "for ");
    for (int i = 0; i < f->nbox; i++) {
        if (i) sb_puts(out, st->py ? " or " : ", or ");
        put_box(out, st, f, f->box[i]);
    }
    put_period(out, st, f);
}

/* A piece's domain: from its least size of each axis, its residue of the
 * period ("H >= 7 and H % 4 == 3"), within the domain's end. */
static void put_piece_domain(sb *out, const style *st, const probe_formula *f, const formula_piece *pc)
{
    if (!st->py) sb_puts(out, "for ");
    for (int a = 0; a < f->rank; a++) {
        const char *x = formula_axis(f->rank, a);
        if (a) sb_puts(out, st->py ? " and " : ", ");
        put_bound(out, st, x, pc->lo[a], f->hi[a]);
        if (f->every[a] > 1)
            sb_printf(out, "%s%s %% %lld == %lld", st->py ? " and " : ", ", x, (long long)f->every[a],
                      (long long)(pc->lo[a] % f->every[a]));
    }
}

static bool has_left_out(const probe_formula *f)
{
    for (int a = 0; a < f->rank; a++)
        if (f->left_out[a]) return true;
    return false;
}

/* Sizes before the period starts that may run but are not in the domain:
 * "H < 7 or W < 3" (people: "H = 7 or W = 3", after "below"). */
static void put_left_out(sb *out, const style *st, const probe_formula *f)
{
    for (int a = 0, k = 0; a < f->rank; a++)
        if (f->left_out[a])
            sb_printf(out, st->py ? "%s%s < %lld" : "%s%s = %lld", k++ ? " or " : "", formula_axis(f->rank, a),
                      (long long)f->left_out[a]);
}

/* "(at 32x32: 16 * 5 * 5 = 400)": each factor with the size put in. */
static void put_at(sb *out, const probe_formula *f)
{
    const formula_piece *pc = formula_piece_at(f, f->at);
    const fit_size *in = pc ? &pc->in_features : &f->in_features;
    sb_puts(out, "  (at ");
    sb_put_ints(out, f->at, f->rank, "x");
    sb_puts(out, ": ");
    int deps = 0;
    for (int a = 0; a < FIT_AXES; a++) deps += in->ax[a].m != 0;
    if (deps > 1 || (deps == 1 && (in->c != 1 || in->e))) {
        if (in->c != 1) sb_printf(out, "%lld * ", (long long)in->c);
        for (int a = 0, k = 0; a < FIT_AXES; a++) {
            int64_t h;
            if (!in->ax[a].m || !fit_floor_eval(&in->ax[a], f->at[a], &h)) continue;
            sb_printf(out, "%s%lld", k++ ? " * " : "", (long long)h);
        }
        if (in->e) sb_printf(out, " %c %lld", in->e > 0 ? '+' : '-', (long long)(in->e > 0 ? in->e : -in->e));
        sb_puts(out, " = ");
    }
    sb_printf(out, "%lld)\n", (long long)f->ref->in_features);
}

/* What the first Linear declares, and which sizes give it. */
static void put_declared(sb *out, const probe_formula *f)
{
    const probe_accepts_info *g = &f->gives;
    if (g->declared < 0) return;
    sb_printf(out, "  the first Linear declares %lld: ", (long long)g->declared);
    if (!g->n) {
        sb_printf(out, "no %s from 1 to %lld gives it", exec_size_kind(f->rank), (long long)exec_search_max(f->rank));
    } else {
        sb_printf(out, "%ss ", exec_size_kind(f->rank));
        for (size_t i = 0; i < g->n && i < 4; i++) {
            if (i) sb_puts(out, ", ");
            exec_put_size(out, f->rank, g->ranges[i].lo);
            if (g->ranges[i].hi > g->ranges[i].lo) {
                sb_puts(out, "..");
                exec_put_size(out, f->rank, g->ranges[i].hi);
            }
        }
        if (g->n > 4) sb_puts(out, ", ...");
        sb_puts(out, " pass with it");
    }
    sb_putc(out, '\n');
}

static void put_shape(sb *out, const style *st, const probe_formula *f, size_t row)
{
    const probe_tensor *t = exec_row_out(f->ref, row);
    sb_putc(out, '[');
    for (int d = 0; d < t->ndim; d++) {
        if (d) sb_puts(out, ", ");
        if (st->py) sb_putc(out, '"');
        put_size(out, st, f->rank, &f->dims[row * PROBE_MAX_DIMS + (size_t)d]);
        if (st->py) sb_putc(out, '"');
    }
    sb_putc(out, ']');
}

/* The implicit flatten is a row too: it is where the sizes multiply. */
static const char *row_name(const probe_formula *f, size_t row)
{
    return exec_row_shown(f->ref, row) ? exec_row_layer(f->ref, row)->op->name : "(flatten)";
}

static bool row_closed(const probe_formula *f, size_t row)
{
    const probe_tensor *t = exec_row_out(f->ref, row);
    for (int d = 0; d < t->ndim; d++)
        if (!f->dims[row * PROBE_MAX_DIMS + (size_t)d].closed) return false;
    return true;
}

/* "  (below H = 7 sizes may run too: left out, before the sizes that run
 * repeat)" */
static void put_left_out_note(sb *out, const probe_formula *f)
{
    if (!has_left_out(f)) return;
    sb_puts(out, "  (below ");
    put_left_out(out, &PEOPLE, f);
    sb_puts(out, " some sizes run too: left out, as they come before the sizes that run repeat)\n");
}

char *probe_formula_text(const probe_formula *f)
{
    sb out;
    sb_init(&out);
    if (f->why[0]) {
        sb_printf(&out, "  no formula: %s\n", f->why);
        return sb_take(&out);
    }
    if (f->nrows) sb_puts(&out, "line  layer               output\n");
    for (size_t i = 0; i < f->nrows; i++) {
        sb_printf(&out, "%4u  %-18s  ", exec_row_line(f->ref, i), row_name(f, i));
        if (row_closed(f, i)) put_shape(&out, &PEOPLE, f, i);
        else sb_puts(&out, "(no closed form)");
        sb_putc(&out, '\n');
    }
    if (f->rows_why) sb_printf(&out, "  (no formula per layer: %s)\n", f->rows_why);
    if (!f->has_in) {
        sb_puts(&out, "  no Linear is reached: no in_features\n  (");
        put_domain(&out, &PEOPLE, f);
        sb_puts(&out, ")\n");
        put_left_out_note(&out, f);
        return sb_take(&out);
    }
    if (f->npieces) {
        sb_puts(&out, "  in_features, a formula for each residue (no one formula holds over all of them): ");
        put_domain(&out, &PEOPLE, f);
        sb_putc(&out, '\n');
    }
    for (int i = 0; i < (f->npieces ? f->npieces : 1); i++) {
        sb_puts(&out, "  in_features = ");
        put_size(&out, &PEOPLE, f->rank, f->npieces ? &f->pieces[i].in_features : &f->in_features);
        sb_puts(&out, "      ");
        if (f->npieces) put_piece_domain(&out, &PEOPLE, f, &f->pieces[i]);
        else put_domain(&out, &PEOPLE, f);
        sb_putc(&out, '\n');
    }
    put_left_out_note(&out, f);
    put_at(&out, f);
    put_declared(&out, f);
    return sb_take(&out);
}

char *probe_formula_json(const probe_formula *f)
{
    sb out;
    sb_init(&out);
    sb_puts(&out, "{\"in_features\": ");
    if (f->why[0] || !f->has_in || f->npieces) sb_puts(&out, "null");
    else {
        sb_putc(&out, '"');
        put_size(&out, &PYTHON, f->rank, &f->in_features);
        sb_putc(&out, '"');
    }
    sb_puts(&out, ", \"domain\": ");
    if (f->why[0]) sb_puts(&out, "null");
    else {
        sb_putc(&out, '"');
        put_domain(&out, &PYTHON, f);
        sb_putc(&out, '"');
    }
    if (f->why[0]) {
        sb_puts(&out, ", \"why\": ");
        report_json_str(&out, f->why);
    }
    for (int i = 0; i < f->npieces; i++) {
        sb_puts(&out, i ? ", {\"in_features\": \"" : ", \"pieces\": [{\"in_features\": \"");
        put_size(&out, &PYTHON, f->rank, &f->pieces[i].in_features);
        sb_puts(&out, "\", \"domain\": \"");
        put_piece_domain(&out, &PYTHON, f, &f->pieces[i]);
        sb_puts(&out, i + 1 == f->npieces ? "\"}]" : "\"}");
    }
    if (!f->why[0] && has_left_out(f)) {
        sb_puts(&out, ", \"left_out\": \"");
        put_left_out(&out, &PYTHON, f);
        sb_putc(&out, '"');
    }
    sb_puts(&out, ", \"layers\": [");
    for (size_t i = 0; i < f->nrows; i++) {
        sb_printf(&out, "%s{\"line\": %u, \"type\": ", i ? ", " : "", exec_row_line(f->ref, i));
        report_json_str(&out, row_name(f, i));
        sb_puts(&out, ", \"output\": ");
        if (row_closed(f, i)) put_shape(&out, &PYTHON, f, i);
        else sb_puts(&out, "null");
        sb_putc(&out, '}');
    }
    sb_puts(&out, "]}");
    return sb_take(&out);
}
