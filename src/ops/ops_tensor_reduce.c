/* ops_tensor_reduce.c - sum, mean, amax, max(dim), argmax ... over dims
 * (contract: tensor.h). */
#include "ops/ops.h"
#include "ops/tensor.h"
#include "reg/ctx.h"

#include <string.h>

/* How a reduction treats an empty input: most reduce it (sum of nothing is
 * 0, mean nan); those that pick an element cannot. */
typedef enum empty_rule {
    EMPTY_OK,
    EMPTY_USER_DIM,     /* amax, amin: names the dim as given, before wrapping */
    EMPTY_WRAPPED_DIM,  /* max, min: names the wrapped dim */
    EMPTY_ARG           /* argmax, argmin: wrapped dim, shorter full-reduction text */
} empty_rule;

static empty_rule rule_of(const char *name)
{
    static const struct { const char *name; empty_rule rule; } rules[] = {
        { "amax", EMPTY_USER_DIM }, { "amin", EMPTY_USER_DIM }, { "max", EMPTY_WRAPPED_DIM },
        { "min", EMPTY_WRAPPED_DIM }, { "argmax", EMPTY_ARG }, { "argmin", EMPTY_ARG },
    };
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (!strcmp(rules[i].name, name)) return rules[i].rule;
    return EMPTY_OK;
}

/*
 * zero_numel_check_dims for an input with no elements: no dim given is
 * refused, and so is a given dim of size 0. ATen checks it before the
 * duplicate check; amax/amin read the size through x.size(dim), which
 * raises the range error itself.
 */
static int check_empty(probe_ctx *cx, const char *name, empty_rule rule, const probe_tensor *x, const int64_t *dims, int n)
{
    if (n == 0) {
        if (rule == EMPTY_ARG)
            return probe_raise(cx, PROBE_ERROR, NULL, "%s(): Expected reduction dim to be specified for input.numel() == 0.", name);
        return probe_raise(cx, PROBE_ERROR, NULL,
                           "%s(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.",
                           name);
    }
    for (int i = 0; i < n; i++) {
        int d;
        if (probe_wrap_dim(cx, dims[i], x->ndim, &d)) return 1;
        if (x->ndim > 0 && x->dim[d] == 0)
            return probe_raise(cx, PROBE_ERROR, NULL, "%s(): Expected reduction dim %lld to have non-zero size.", name,
                               rule == EMPTY_USER_DIM ? (long long)dims[i] : (long long)d);
    }
    return 0;
}

/* resize_reduction: every dim wrapped first, then dim_list_to_bitset's
 * duplicate check. Sets the bits of the reduced dimensions. */
static int reduced_dims(probe_ctx *cx, const probe_tensor *x, const int64_t *dims, int n, unsigned *mask)
{
    int wrapped[PROBE_MAX_DIMS + 1];
    /* a longer list repeats a dim: reading up to one more than any tensor
     * has is enough to find either the range error or the repeat */
    int m = n > PROBE_MAX_DIMS + 1 ? PROBE_MAX_DIMS + 1 : n;
    for (int i = 0; i < n; i++) {
        int d;
        if (probe_wrap_dim(cx, dims[i], x->ndim, &d)) return 1;
        if (i < m) wrapped[i] = d;
    }
    *mask = 0;
    for (int i = 0; i < m; i++) {
        if (*mask & (1u << wrapped[i]))
            return probe_raise(cx, PROBE_ERROR, NULL, "dim %d appears multiple times in the list of dims", wrapped[i]);
        *mask |= 1u << wrapped[i];
    }
    return 0;
}

int tensor_reduce(probe_ctx *cx, const char *name, const probe_tensor *x, const int64_t *dims, int n, bool keepdim,
                  probe_tensor *out)
{
    if (!dims) n = 0;
    empty_rule rule = rule_of(name);
    if (rule != EMPTY_OK && ops_numel(cx, x) == 0 && !cx->overflow && check_empty(cx, name, rule, x, dims, n)) return 1;
    unsigned mask = ~0u;  /* no dim (None, () or []): every dimension */
    if (n > 0 && reduced_dims(cx, x, dims, n, &mask)) return 1;
    probe_tensor r = { 0, { 0 } };
    for (int i = 0; i < x->ndim; i++) {
        if (!(mask & (1u << i))) r.dim[r.ndim++] = x->dim[i];
        else if (keepdim) r.dim[r.ndim++] = 1;
    }
    *out = r;
    return 0;
}
