/*
 * formula.h - each layer's output sizes and the first Linear's in_features
 * as closed formulas of the input's sizes (prefix: formula_).
 *
 * Found from runs, not from the layers' arguments: a model file's forward()
 * can do anything the run can, and the run already knows every layer's
 * rule. The net is run along one input size at a time, the others held at
 * a size that passes, from the smallest size that runs over enough sizes
 * to hold three periods of the net's stride; each size of each row is fitted
 * (run/fit.h), sizes that depend on several inputs (a flatten) as a product
 * of the one-size factors, and every formula is then checked against every
 * run made, the square (or cube) sizes and sizes far out included. The
 * domain is where the net runs to its end: a box from the least size of
 * each axis, a staircase of boxes, some residues of a period P from where
 * the pattern repeats, or a bounded range (find_domain()). With several
 * residues each is sampled as a piece: one piece's form that every piece
 * agrees with is the formula, else each combination gets its own.
 * A probe_formula owns its reference run, its per-row formulas and its
 * accepts ranges; probe_formula_free() frees them.
 */
#ifndef PROBE_FORMULA_H
#define PROBE_FORMULA_H

#include "run/result.h"
#include "run/fit.h"

enum { FORMULA_MAX_BOXES = 8, FORMULA_MAX_PIECES = 16 };

/* One piece of a piecewise answer: in_features on the sizes from lo[a] on
 * of lo[a]'s residue mod the period of each axis. */
typedef struct formula_piece {
    int64_t lo[FIT_AXES];
    fit_size in_features;
} formula_piece;

struct probe_formula {
    int rank;                   /* 1 (L), 2 (H, W), 3 (D, H, W) */
    probe_result *ref;          /* the run at `at`: the rows the formulas are of */
    int64_t at[FIT_AXES];       /* the size shown ("at 32x32"), a size that runs */
    char why[200];              /* no formula: why; "" when there is one */
    int nbox;                   /* the domain: the sizes >= box[i] in every axis,
                                 * for some i: one box, or a staircase where the
                                 * smallest sizes of two axes do not run together */
    int64_t box[FORMULA_MAX_BOXES][FIT_AXES];
    int64_t lo[FIT_AXES];       /* the least size of each axis in the domain */
    int64_t every[FIT_AXES];    /* and only sizes of the residues runs[a] mod
                                 * every[a] from there: a net that needs sizes
                                 * divisible by 16 (a U-Net: one residue), or that
                                 * runs at 1..3 of each 6 (several) */
    uint64_t runs[FIT_AXES];    /* bit r: sizes x with x % every[a] == r */
    int64_t hi[FIT_AXES];       /* the largest size of each axis in the domain: a net
                                 * that runs at one size or a range only; 0: none */
    int64_t left_out[FIT_AXES]; /* sizes below it of axis a may run but are not in the
                                 * domain (before the period starts); 0: none */
    int npieces;                /* > 0: in_features has no one form over the residues,
                                 * but one on each combination of them */
    formula_piece pieces[FORMULA_MAX_PIECES];
    bool has_in;                /* the first Linear was reached: in_features holds */
    fit_size in_features;
    size_t nrows;               /* rows of ref with formulas (0: none) */
    fit_size *dims;             /* nrows * PROBE_MAX_DIMS, row-major */
    const char *rows_why;       /* no per-row formulas: why (static), else NULL */
    probe_accepts_info gives;   /* the square sizes that pass and give the first
                                 * Linear's in_features as written (gives.declared,
                                 * -1 none); set when has_in and no why */
};

/* Whether size x (x[a] for axis a) is in f's domain. */
bool formula_in_domain(const probe_formula *f, const int64_t *x);

/* The piece whose residues hold size x, NULL when none (or not
 * piecewise); it belongs to f. */
const formula_piece *formula_piece_at(const probe_formula *f, const int64_t *x);

/* How many residues a mask of them holds (formula_domain.c). */
int formula_residues(uint64_t runs);

/* The axis names of a rank: "L"; "H", "W"; "D", "H", "W". */
const char *formula_axis(int rank, int axis);

#endif
