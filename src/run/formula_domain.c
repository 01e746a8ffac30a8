/* formula_domain.c - the sizes --formula's formulas hold at: where the
 * net runs to its end, as a box, a staircase, residues of a period or a
 * bounded range, and the pieces they are sampled in (run/formula.h). */
#include "run/formula_sampler.h"

#include <stdio.h>
#include <string.h>

int formula_residues(uint64_t runs)
{
    int n = 0;
    for (; runs; runs &= runs - 1) n++;
    return n;
}

static bool periodic(const bool *ran, int n, int p)
{
    for (int k = 0; k + p < n; k++)
        if (ran[k] != ran[k + p]) return false;
    return true;
}

/* From which sample t of ran (up to a third of the scan: a transient
 * before it) the pattern repeats, and with which period p (up to a third
 * of what is left); false when there is none. */
static bool find_repeat(const bool *ran, int scan, int *t, int *p)
{
    for (*t = 0; *t <= scan / 3; (*t)++)
        for (*p = 1; 3 * *p <= scan - *t; (*p)++)
            if (periodic(ran + *t, scan - *t, *p)) return true;
    return false;
}

/* A net that runs along axis a at ran[0..t) and at no size after, up to
 * the scan's end: the domain ends there, when no size between runs not. */
static void bounded_axis(probe_formula *f, const sampler *s, int a, const bool *ran, int t, int scan)
{
    int last = t - 1;
    while (last > 0 && !ran[last]) last--;
    for (int k = 0; k < last; k++)
        if (!ran[k]) {
            snprintf(f->why, sizeof f->why, "it runs at %s = %lld and %lld but not at %lld, and at no size from %lld to %lld",
                     formula_axis(f->rank, a), (long long)s->start[a], (long long)(s->start[a] + last),
                     (long long)(s->start[a] + k), (long long)(s->start[a] + last + 1), (long long)(s->start[a] + scan - 1));
            return;
        }
    f->hi[a] = s->start[a] + last;
    f->lo[a] = s->start[a];
}

/* Which sizes of each axis run, from where it starts: every one for most
 * nets; one in 2^depth for a U-Net, whose skip connections need sizes
 * that pool and upsample back to themselves; several residues of a
 * period (a stride-3 conv before a PixelUnshuffle(2): 1..3 of each 6),
 * maybe after a transient whose sizes are left out; or up to a size and
 * none after (a ViT's fixed 224). The pattern of the first sizes (192, or
 * fewer for a large net: plan()) must repeat with a period up to 64 from a
 * third of them at the latest; else the net has no formula, and f->why
 * says so. *periodic_only: one residue each axis from where it starts. */
static void find_periods(sampler *s, bool *periodic_only)
{
    enum { SCAN_MAX = 192 };
    probe_formula *f = s->f;
    bool ran[SCAN_MAX];
    int scan = (int)s->first_n;
    *periodic_only = true;
    for (int a = 0; a < FIT_AXES; a++) {
        f->every[a] = 1;
        f->runs[a] = 1;
    }
    for (int a = 0; a < f->rank && !f->why[0]; a++) {
        int64_t x[FIT_AXES];
        for (int k = 0; k < scan; k++) {
            formula_size_at(s, a, s->start[a] + k, x);
            ran[k] = formula_reaches(s, x);
        }
        int t, p, count = 0, first = -1;
        uint64_t runs = 0;
        if (!find_repeat(ran, scan, &t, &p)) {
            snprintf(f->why, sizeof f->why, "from %s = %lld on, the sizes that run and those that do not follow no period up to 64",
                     formula_axis(f->rank, a), (long long)s->start[a]);
            continue;
        }
        for (int k = t; k < t + p; k++)
            if (ran[k]) {
                count++;
                runs |= (uint64_t)1 << ((s->start[a] + k) % p);
                if (first < 0) first = k;
            }
        f->lo[a] = s->start[a];
        if (!count) {
            bounded_axis(f, s, a, ran, t, scan);
            *periodic_only = false;
            continue;
        }
        f->every[a] = p;
        f->runs[a] = runs;
        if (t || count > 1) *periodic_only = false;
        for (int k = 0; k < t; k++)
            if (ran[k]) f->left_out[a] = s->start[a] + t;
        f->lo[a] = s->start[a] + first;
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
            formula_size_at(s, a, v, x);
            if (v >= s->start[a] || formula_reaches(s, x)) break;
        }
        f->lo[a] = f->box[0][a] = v;
    }
}

/* The pieces to sample: for one formula over them all, enough that each
 * residue of each axis is in one (the k-th piece takes the k-th residue
 * of each axis, and its first once they run out); for the piecewise
 * answer, every combination of them. Each is held at the least sizes of
 * its residues from the sizes held (or, past a bounded domain's end, at
 * its least). False, and f->why, when there would be too many. */
bool formula_find_pieces(sampler *s, bool every_piece)
{
    probe_formula *f = s->f;
    int count[FIT_AXES] = { 1, 1, 1 }, n = 1, most = 1;
    for (int a = 0; a < f->rank; a++) {
        count[a] = formula_residues(f->runs[a]);
        n *= count[a];
        if (count[a] > most) most = count[a];
    }
    if (every_piece && n > FORMULA_MAX_PIECES) {
        snprintf(f->why, sizeof f->why, "in_features has no one formula over the %d combinations of residues that run, "
                 "and more than %d pieces", n, FORMULA_MAX_PIECES);
        return false;
    }
    s->npcs = every_piece ? n : most;
    s->every_piece = n == s->npcs;
    for (int i = 0; i < s->npcs; i++) {
        piece_runs *pc = &s->pcs[i];
        for (int a = 0, rest = i; a < f->rank; a++, rest /= count[a - 1]) {
            int64_t p = f->every[a], v = f->lo[a], h;
            int pick = every_piece ? rest % count[a] : i % count[a];
            /* the pick-th residue that runs, from lo on */
            for (int skip = pick;; v++)
                if ((f->runs[a] >> (v % p) & 1) && !skip--) break;
            /* one residue from where the axis starts: the lines start
             * there (below lo when the domain is a staircase) */
            pc->lo[a] = s->periodic_only && p == 1 ? s->start[a] : v;
            h = s->hold[a] > v ? v + (s->hold[a] - v + p - 1) / p * p : v;
            pc->hold[a] = f->hi[a] && h > f->hi[a] ? v : h;
        }
    }
    return true;
}

/* The k-th other size of axis b to hold: further out by k times two
 * periods and a size, then on to one that runs (a bounded axis: held). */
static int64_t elsewhere(const probe_formula *f, const int64_t *hold, int b, int k)
{
    if (b >= f->rank || f->hi[b]) return hold[b];
    int64_t v = hold[b] + k * (2 * f->every[b] + 1);
    while (!(f->runs[b] >> (v % f->every[b]) & 1)) v++;
    return v;
}

/* Whether the sizes of each axis that run are the same with the others
 * held elsewhere: the domain found with them at s->hold is a product of
 * one set an axis only if so (a view(-1, N) runs where the product of
 * the sizes divides: not a product). Checked with the others at three
 * other sizes, from a scan's length below where the axis starts to a
 * scan's length above; false, and f->why, at the first size the domain
 * says wrong. */
static bool same_elsewhere(sampler *s)
{
    probe_formula *f = s->f;
    int64_t scan = (int64_t)s->first_n, x[FIT_AXES];
    for (int t = 0; t < f->rank * 3; t++) {
        int a = t % f->rank;
        int64_t alt[FIT_AXES];
        for (int b = 0; b < FIT_AXES; b++) alt[b] = b == a ? s->hold[b] : elsewhere(f, s->hold, b, 1 + t / f->rank);
        for (int64_t v = s->start[a] > scan ? s->start[a] - scan : 1; v < s->start[a] + scan; v++) {
            memcpy(x, alt, sizeof x);
            x[a] = v;
            if (v < f->left_out[a] || formula_reaches(s, x) == formula_in_domain(f, x)) continue;
            char at[64] = "";     /* "16x192" */
            for (int k = 0; k < f->rank; k++)
                snprintf(at + strlen(at), sizeof at - strlen(at), "%s%lld", k ? "x" : "", (long long)x[k]);
            snprintf(f->why, sizeof f->why, "which sizes of %s run depends on the others: %s = %lld %s at %s",
                     formula_axis(f->rank, a), formula_axis(f->rank, a), (long long)v,
                     formula_in_domain(f, x) ? "does not run" : "runs", at);
            return false;
        }
    }
    return true;
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
void formula_find_domain(sampler *s)
{
    probe_formula *f = s->f;
    find_periods(s, &s->periodic_only);
    if (f->why[0]) return;
    if (!s->periodic_only) {
        f->nbox = 1;
        memcpy(f->box[0], f->lo, sizeof f->lo);
        same_elsewhere(s);
        return;
    }
    for (int a = 0; a < f->rank; a++)
        if (f->every[a] > 1) {
            periodic_domain(s);
            for (int b = 0; b < f->rank; b++) f->runs[b] = (uint64_t)1 << (f->lo[b] % f->every[b]);
            return;
        }
    int64_t hold[FIT_AXES], big = s->monotone ? exec_search_max(f->rank) : 0;
    memcpy(hold, s->hold, sizeof hold);
    for (int a = 0; big && a < f->rank; a++) s->hold[a] = big;
    for (int a = 0; a < f->rank; a++) f->lo[a] = formula_first_running(s, a, hold[a]);
    f->nbox = 1;
    memcpy(f->box[0], f->lo, sizeof f->lo);
    if (f->rank == 1 || formula_reaches(s, f->lo)) {
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
        w = formula_first_running(s, 1, big);
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
        h = formula_first_running(s, 0, big);
        s->hold[1] = big;
    }
    memcpy(s->hold, hold, sizeof hold);
}

