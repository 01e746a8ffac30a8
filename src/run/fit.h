/*
 * fit.h - a size as a closed formula of the input's sizes (prefix: fit_).
 *
 * Conv, pool and pad maps are floor-affine, out = floor((x + a) / s), and
 * such maps compose into one: floor((floor((x + a) / s) + b) / t) =
 * floor((x + a + b*s) / (s*t)) for integers. A ceil_mode pool's last-window
 * rule is a min of two of them with one stride, again one of them; an
 * integer upsampling multiplies; an adaptive pool is a constant. A size in
 * a run is then, along one input size x with the others held,
 *
 *     c * floor((m*x + b) / p) + e
 *
 * and it grows by a fixed step every p sizes. fit_line() recovers that form
 * from the sizes a run gave at consecutive x: it finds the period, factors
 * out the step, and solves for b; the form is then checked against every
 * sample. An upsampling followed by a pool nests floors that no single one
 * gives, but the size still repeats its steps every period: it is then a
 * sum of floors, one a step of the period. A size with no period in the
 * samples (a float scale factor that is not a short fraction) has no form
 * and is reported as such. A flattened size is a product of one factor
 * per input size.
 */
#ifndef PROBE_FIT_H
#define PROBE_FIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { FIT_AXES = 3, FIT_TERMS = 8 };

/* c * floor((m*x + b) / p) + e, p >= 1, c >= 1: one input size's factor
 * of a size; m == 0: the size does not depend on x. A size of one input
 * size keeps c 1 and e 0 here and says them in its fit_size.
 *
 * A size with a period and no single floor (a pool after an upsampling:
 * floor((2*floor(x / 3) + 1) / 4)) is a sum of them instead, one for each
 * size of the period where it steps, by how much: with terms > 0 the floor
 * is tc[0]*floor((x + tb[0]) / p) + ... (m is 1, b unused). */
typedef struct fit_floor {
    int64_t m, b, p, c, e;
    int terms;
    int64_t tc[FIT_TERMS], tb[FIT_TERMS];
} fit_floor;

/* c * (product over the axes with m > 0 of their factor) + e. A constant
 * has every m 0 and is e. closed false: no such form was found. */
typedef struct fit_size {
    bool closed;
    int64_t c, e;
    fit_floor ax[FIT_AXES];
} fit_size;

/* The form of v[0..n), the sizes at x = x0 .. x0+n-1, into *f (one axis:
 * f->c, f->e and the floor f->ax[0]): one floor when one fits, else a sum
 * of at most FIT_TERMS. False when none holds for every sample, or when n
 * does not hold three periods of the one it has. */
bool fit_line(const int64_t *v, size_t n, int64_t x0, fit_size *f);

/* f's value at the sizes x[axis] (axes with m == 0 are not read); false
 * when f is not closed or the arithmetic would overflow. */
bool fit_eval(const fit_size *f, const int64_t *x, int64_t *value);

/* One axis's factor at x; false on overflow. */
bool fit_floor_eval(const fit_floor *fl, int64_t x, int64_t *value);

/* An open form: not closed, the constant 0, each factor 1 * floor(0 / 1) + 0. */
void fit_reset(fit_size *f);

/* f, fitted to sizes x0, x0 + step, ... as a function of k = 0, 1, ...,
 * rewritten as a function of x = x0 + k*step (exact on those sizes):
 * floor((m*k + b) / p) = floor((m*x + b*step - m*x0) / (p*step)). False on
 * overflow. */
bool fit_stretch(fit_floor *fl, int64_t x0, int64_t step);

/* The greatest common divisor of |a| and |b| (0 when both are 0). */
int64_t fit_gcd(int64_t a, int64_t b);

/* floor(a / b) for b > 0, as Python's a // b. */
int64_t fit_div(int64_t a, int64_t b);

#endif
