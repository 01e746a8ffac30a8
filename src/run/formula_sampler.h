/*
 * formula_sampler.h - what the two halves of --formula share (prefix:
 * formula_): the runs along lines of sizes (formula.c) and the domain
 * they are taken in (formula_domain.c). Private to src/run.
 */
#ifndef PROBE_FORMULA_SAMPLER_H
#define PROBE_FORMULA_SAMPLER_H

#include "run/formula.h"

/* Samples along a line of sizes: one axis varies (or all of them: the
 * diagonal), the others held. values[k * width + j]: j 0 is in_features,
 * then PROBE_MAX_DIMS sizes a row. */
typedef struct line {
    int axis;                   /* FIT_AXES: the diagonal */
    int64_t base[FIT_AXES];     /* the sizes held */
    int64_t x0, step;           /* sample k is at x0 + k*step */
    size_t n;
    int64_t *values;
} line;

enum { FIT_DIAGONAL = FIT_AXES, FIT_FAR = FIT_AXES + 1, FIT_LINES = 2 * FIT_AXES + 1, FORMULA_MAX_SAMPLED = 64 };

/* The runs of one piece of the domain: the sizes of one residue of each
 * axis (the whole domain when each axis has one). */
typedef struct piece_runs {
    int64_t lo[FIT_AXES];       /* the piece's least size of each axis */
    int64_t hold[FIT_AXES];     /* the sizes held while one varies, in the piece */
    line lines[FIT_LINES];      /* each axis, the diagonal, each axis far out */
    line at;                    /* the one run at hold */
} piece_runs;

typedef struct sampler {
    const probe_net *net;
    probe_options opt;
    probe_formula *f;
    int64_t hold[FIT_AXES];     /* the sizes held while one varies */
    int64_t start[FIT_AXES];    /* where each axis starts to run, the others held */
    size_t width;               /* values per sample */
    bool rows_ok;               /* every run made the rows ref made */
    bool monotone;
    bool periodic_only;         /* one residue of each axis, from where it starts */
    int npcs;                   /* the pieces sampled: a residue of each axis each */
    bool every_piece;           /* each combination of residues is a piece */
    piece_runs pcs[FORMULA_MAX_SAMPLED];
    bool oom;                   /* a run ran out of memory */
    int64_t work;               /* a run's cost in a net.cfg's layer calls */
    size_t first_n;             /* the sizes to run along a line first */
    int64_t fit;                /* the most sizes along a line the work allows */
    size_t last_n;              /* the sizes along a line of the last fit */
} sampler;

/* Whether the net runs to its end at size x (a repaired mismatch goes on). */
bool formula_reaches(sampler *s, const int64_t *x);

/* The size along `axis` (FIT_AXES: all of them) at v, the others held. */
void formula_size_at(const sampler *s, int axis, int64_t v, int64_t *x);

/* The least v in [1, max] at which the net runs along `axis`, 0 when none. */
int64_t formula_first_running(sampler *s, int axis, int64_t max);

/* f's domain from the sizes that run, or f->why (formula_domain.c). */
void formula_find_domain(sampler *s);

/* The pieces to sample (formula_domain.c); false, and f->why, when too
 * many. */
bool formula_find_pieces(sampler *s, bool every_piece);

#endif
