/* py_int_expr.h - evaluates the Python integer expressions and conditions
 * of the JSON "formula" member (PROBE.md): integers, the names of the
 * input's sizes, + - * // % ( ), min(), max(), comparisons (chained, as
 * `32 <= H <= 35`), `in (a, b, ...)`, `and`, `or` and `not`. The
 * tests read the formula as a program would, not as probe wrote it. */
#ifndef PY_INT_EXPR_H
#define PY_INT_EXPR_H

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

typedef struct pyx {
    const char *p;
    const char *names;      /* "HW", "L", "DHW": one letter a size */
    const int64_t *values;
    bool bad;
} pyx;

static void pyx_space(pyx *x) { while (*x->p == ' ') x->p++; }

static bool pyx_eat(pyx *x, const char *tok)
{
    pyx_space(x);
    size_t n = strlen(tok);
    if (strncmp(x->p, tok, n)) return false;
    x->p += n;
    return true;
}

static int64_t pyx_floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t pyx_sum(pyx *x);

static int64_t pyx_atom(pyx *x)
{
    pyx_space(x);
    if (pyx_eat(x, "-")) return -pyx_atom(x);
    if (pyx_eat(x, "(")) {
        int64_t v = pyx_sum(x);
        if (!pyx_eat(x, ")")) x->bad = true;
        return v;
    }
    bool is_min = !strncmp(x->p, "min(", 4), is_max = !strncmp(x->p, "max(", 4);
    if (is_min || is_max) {
        x->p += 4;
        int64_t v = pyx_sum(x);
        while (pyx_eat(x, ",")) {
            int64_t w = pyx_sum(x);
            v = is_min ? (w < v ? w : v) : (w > v ? w : v);
        }
        if (!pyx_eat(x, ")")) x->bad = true;
        return v;
    }
    if (isdigit((unsigned char)*x->p)) {
        int64_t v = 0;
        while (isdigit((unsigned char)*x->p)) v = v * 10 + (*x->p++ - '0');
        return v;
    }
    const char *at = *x->p ? strchr(x->names, *x->p) : NULL;
    if (!at) {
        x->bad = true;
        return 0;
    }
    x->p++;
    return x->values[at - x->names];
}

static int64_t pyx_product(pyx *x)
{
    int64_t v = pyx_atom(x);
    for (;;) {
        if (pyx_eat(x, "//")) {
            int64_t d = pyx_atom(x);
            if (!d) { x->bad = true; return 0; }
            v = pyx_floordiv(v, d);
        } else if (pyx_eat(x, "%")) {
            int64_t d = pyx_atom(x);
            if (!d) { x->bad = true; return 0; }
            v -= pyx_floordiv(v, d) * d;   /* Python's: the divisor's sign */
        } else if (pyx_eat(x, "*")) v *= pyx_atom(x);
        else return v;
    }
}

static int64_t pyx_sum(pyx *x)
{
    int64_t v = pyx_product(x);
    for (;;) {
        if (pyx_eat(x, "+")) v += pyx_product(x);
        else if (pyx_eat(x, "-")) v -= pyx_product(x);
        else return v;
    }
}

/* a in (b, c, ...): a tuple of one needs its comma, as in Python. */
static bool pyx_in(pyx *x, int64_t a)
{
    bool found = false, comma = false;
    int n = 0;
    if (!pyx_eat(x, "(")) x->bad = true;
    while (!x->bad && !pyx_eat(x, ")")) {
        found = (pyx_sum(x) == a) || found;
        n++;
        comma = pyx_eat(x, ",");
        pyx_space(x);
        if (!comma && *x->p != ')') x->bad = true;
    }
    if (n == 1 && !comma) x->bad = true;
    return found;
}

/* A comparison, chained as Python chains them: a <= b <= c is a <= b and
 * b <= c; `not` before it. */
static bool pyx_compare(pyx *x)
{
    if (pyx_eat(x, "not ")) return !pyx_compare(x);
    int64_t a = pyx_sum(x), b;
    bool v = true;
    int n = 0;
    for (;; n++, a = b) {
        if (pyx_eat(x, "in ")) {
            v = pyx_in(x, a) && v;
            n++;
            break;
        }
        if (pyx_eat(x, ">=")) v = a >= (b = pyx_sum(x)) && v;
        else if (pyx_eat(x, "<=")) v = a <= (b = pyx_sum(x)) && v;
        else if (pyx_eat(x, "==")) v = a == (b = pyx_sum(x)) && v;
        else if (pyx_eat(x, "!=")) v = a != (b = pyx_sum(x)) && v;
        else if (pyx_eat(x, ">")) v = a > (b = pyx_sum(x)) && v;
        else if (pyx_eat(x, "<")) v = a < (b = pyx_sum(x)) && v;
        else break;
    }
    if (!n) x->bad = true;
    return v;
}

/* The value of an integer expression; *ok false when it does not parse. */
static int64_t pyx_int(const char *text, const char *names, const int64_t *values, bool *ok)
{
    pyx x = { text, names, values, false };
    int64_t v = pyx_sum(&x);
    pyx_space(&x);
    *ok = !x.bad && !*x.p;
    return v;
}

/* Whether a condition holds: comparisons joined by `and`, those joined by
 * `or` (`and` binds first, as in Python). */
static bool pyx_cond(const char *text, const char *names, const int64_t *values, bool *ok)
{
    pyx x = { text, names, values, false };
    bool v = false;
    do {
        bool all = pyx_compare(&x);
        while (pyx_eat(&x, "and")) all = pyx_compare(&x) && all;
        v = v || all;
    } while (pyx_eat(&x, "or"));
    pyx_space(&x);
    *ok = !x.bad && !*x.p;
    return v;
}

#endif
