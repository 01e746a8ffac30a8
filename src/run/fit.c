/* fit.c - a size's closed formula, recovered from the sizes a run gave
 * (run/fit.h says why the form is c * floor((m*x + b) / p) + e). */
#include "run/fit.h"
#include "base/util.h"

#include <string.h>

int64_t fit_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

int64_t fit_gcd(int64_t a, int64_t b)
{
    a = a < 0 ? -a : a;
    b = b < 0 ? -b : b;
    while (b) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

bool fit_floor_eval(const fit_floor *fl, int64_t x, int64_t *value)
{
    int64_t t;
    if (fl->p < 1) return false;
    if (fl->terms) {
        int64_t sum = 0, u;
        for (int i = 0; i < fl->terms; i++)
            if (!util_add(x, fl->tb[i], &u) || !util_mul(fl->tc[i], fit_div(u, fl->p), &u) || !util_add(sum, u, &sum))
                return false;
        t = sum;
    } else if (!util_mul(fl->m, x, &t) || !util_add(t, fl->b, &t)) {
        return false;
    } else {
        t = fit_div(t, fl->p);
    }
    return util_mul(fl->c, t, &t) && util_add(t, fl->e, value);
}

bool fit_eval(const fit_size *f, const int64_t *x, int64_t *value)
{
    if (!f->closed) return false;
    int64_t v = f->c, h;
    bool any = false;
    for (int a = 0; a < FIT_AXES; a++) {
        if (!f->ax[a].m) continue;
        any = true;
        if (!fit_floor_eval(&f->ax[a], x[a], &h) || !util_mul(v, h, &v)) return false;
    }
    if (!any) v = 0;
    return util_add(v, f->e, value);
}

/* The smallest p (three periods in n) with v[k+p] - v[k] the same q for
 * every k; 0 when none. */
static size_t period(const int64_t *v, size_t n, int64_t *q)
{
    for (size_t p = 1; 3 * p <= n; p++) {
        *q = v[p] - v[0];
        size_t k = 1;
        while (k + p < n && v[k + p] - v[k] == *q) k++;
        if (k + p >= n) return p;
    }
    return 0;
}

/* b with h_k = floor((m*x_k + b) / p) for every sample: p*h_k <= m*x_k + b
 * <= p*h_k + p - 1 bounds it on both sides. With p the least period, m and
 * p are coprime and the samples, a period or more, leave one b. */
static bool solve_b(const int64_t *v, size_t n, int64_t x0, int64_t c, int64_t e, fit_floor *fl)
{
    int64_t lo = INT64_MIN, hi = INT64_MAX;
    for (size_t k = 0; k < n; k++) {
        int64_t h = (v[k] - e) / c, ph, mx, a, b;
        if (!util_mul(fl->p, h, &ph) || !util_mul(fl->m, x0 + (int64_t)k, &mx) || !util_sub(ph, mx, &a) ||
            !util_add(a, fl->p - 1, &b))
            return false;
        if (a > lo) lo = a;
        if (b < hi) hi = b;
    }
    fl->b = lo;
    return lo <= hi;
}

/* h = (v - e) / c as h(x0) plus, for each size x0 + j of the first period
 * (j = 1..p) where h steps by d_j, d_j * floor((x - x0 - j + p) / p): the
 * steps repeat every period, and that floor counts the sizes in (x0, x]
 * of x0 + j's residue. Checked against every sample. */
static bool sum_of_floors(const int64_t *v, size_t n, int64_t x0, int64_t c, int64_t e, fit_floor *fl)
{
    int64_t p = fl->p;
    if ((size_t)p >= n) return false;
    fl->terms = 0;
    fl->m = 1;
    fl->b = 0;
    fl->e = (v[0] - e) / c;
    for (int64_t j = 1; j <= p; j++) {
        int64_t d = (v[j] - v[j - 1]) / c;
        if (!d) continue;
        if (fl->terms == FIT_TERMS) return false;
        fl->tc[fl->terms] = d;
        fl->tb[fl->terms] = p - j - x0;
        fl->terms++;
    }
    for (size_t k = 0; k < n; k++) {
        int64_t h;
        if (!fit_floor_eval(fl, x0 + (int64_t)k, &h) || h != (v[k] - e) / c) return false;
    }
    return true;
}

bool fit_stretch(fit_floor *fl, int64_t x0, int64_t step)
{
    if (fl->terms) {
        /* floor((k + tb) / p) with k = (x - x0) / step */
        for (int i = 0; i < fl->terms; i++)
            if (!util_mul(fl->tb[i], step, &fl->tb[i]) || !util_sub(fl->tb[i], x0, &fl->tb[i])) return false;
        return util_mul(fl->p, step, &fl->p);
    }
    int64_t bs, mx, b, p;
    if (!util_mul(fl->b, step, &bs) || !util_mul(fl->m, x0, &mx) || !util_sub(bs, mx, &b) ||
        !util_mul(fl->p, step, &p))
        return false;
    int64_t g = fit_gcd(fit_gcd(fl->m, b), p);
    if (g > 1) {
        fl->m /= g;
        b /= g;
        p /= g;
    }
    fl->b = b;
    fl->p = p;
    return true;
}

void fit_reset(fit_size *f)
{
    memset(f, 0, sizeof *f);
    f->c = 1;
    for (int a = 0; a < FIT_AXES; a++) f->ax[a] = (fit_floor){ .m = 0, .b = 0, .p = 1, .c = 1, .e = 0 };
}

bool fit_line(const int64_t *v, size_t n, int64_t x0, fit_size *f)
{
    fit_reset(f);
    if (!n) return false;
    size_t k = 1;
    while (k < n && v[k] == v[0]) k++;
    if (k == n) {
        f->e = v[0];
        return f->closed = true;
    }
    /* sizes are below 2^62 here (a tensor's elements fit in int64), so
     * differences of two cannot overflow */
    for (k = 0; k < n; k++)
        if (v[k] < 0 || v[k] > INT64_MAX / 2) return false;
    int64_t q, c = 0;
    size_t p = period(v, n, &q);
    if (!p || q <= 0) return false;     /* sizes that never grow, or shrink */
    for (k = 0; k + 1 < n; k++) c = fit_gcd(c, v[k + 1] > v[k] ? v[k + 1] - v[k] : v[k] - v[k + 1]);
    int64_t e = v[0] % c;
    f->c = c;
    f->e = e;
    f->ax[0] = (fit_floor){ .m = q / c, .b = 0, .p = (int64_t)p, .c = 1, .e = 0 };
    if (!solve_b(v, n, x0, c, e, &f->ax[0]) && !sum_of_floors(v, n, x0, c, e, &f->ax[0])) return false;
    return f->closed = true;
}
