/* trace.c - the trace: one row per call the run made, in order, with
 * the module called, its input and output shapes (each distinct shape
 * stored once) and its parameters on its first call. Every report reads
 * it (run/result.h). */
#include "run/result.h"

#include <stdlib.h>
#include <string.h>

static uint64_t shape_hash(const probe_tensor *t)
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)t->ndim;
    for (int i = 0; i < t->ndim; i++) h = (h ^ (uint64_t)t->dim[i]) * 1099511628211ull;
    return h;
}

static bool same_shape(const probe_tensor *a, const probe_tensor *b)
{
    return a->ndim == b->ndim && !memcmp(a->dim, b->dim, (size_t)a->ndim * sizeof a->dim[0]);
}

static bool grow_shape_slots(probe_result *res)
{
    size_t cap = res->shape_cap ? res->shape_cap * 2 : 64;
    uint32_t *slots = calloc(cap, sizeof *slots);
    if (!slots) return false;
    for (size_t i = 0; i < res->shapes.len; i++) {
        size_t k = shape_hash(&VEC_AT(res->shapes, probe_tensor, i)) & (cap - 1);
        while (slots[k]) k = (k + 1) & (cap - 1);
        slots[k] = (uint32_t)i + 1;
    }
    free(res->shape_slots);
    res->shape_slots = slots;
    res->shape_cap = cap;
    return true;
}

/* The index of shape t in res->shapes, added when new; false when out of
 * memory. */
static bool intern_shape(probe_result *res, const probe_tensor *t, uint32_t *index)
{
    if ((res->shapes.len + 1) * 2 > res->shape_cap && !grow_shape_slots(res)) return false;
    size_t k = shape_hash(t) & (res->shape_cap - 1);
    int probes = 0;
    for (; res->shape_slots[k]; k = (k + 1) & (res->shape_cap - 1)) {
        *index = res->shape_slots[k] - 1;
        if (same_shape(&VEC_AT(res->shapes, probe_tensor, *index), t)) return true;
        /* shapes made to collide would make each row walk all of them:
         * past a short run, a shape is stored again rather than shared */
        if (++probes == 64) break;
    }
    probe_tensor *slot = vec_push(&res->shapes);
    if (!slot) return false;
    *slot = *t;
    *index = (uint32_t)(res->shapes.len - 1);
    if (!res->shape_slots[k]) res->shape_slots[k] = *index + 1;
    return true;
}

/* Whether layer ly has a row yet, and marks it: its parameters count on
 * its first call only (a module called twice is one module). */
static bool first_call(probe_result *res, mod_ref node)
{
    if (!(node & MOD_LAYER) || !res->called) return true;
    uint32_t i = MOD_INDEX(node);
    bool first = !(res->called[i / 8] & (1u << (i % 8)));
    res->called[i / 8] |= (uint8_t)(1u << (i % 8));
    return first;
}

bool trace_add(probe_result *res, mod_ref node, const probe_tensor *in, const probe_tensor *out,
               int64_t params, uint32_t flags, const sb *explain)
{
    if (res->quick) return true;
    if (!res->called && res->net->nlayers) {
        res->called = calloc((res->net->nlayers + 7) / 8, 1);
        if (!res->called) return false;
    }
    trace_row *row = vec_push(&res->rows);
    if (!row) return false;
    row->node = node;
    row->flags = flags;
    row->params = first_call(res, node) ? params : 0;
    /* a chain's input is the output before it: found without a lookup */
    const trace_row *prev = res->rows.len > 1 ? row - 1 : NULL;
    if (prev && same_shape(&VEC_AT(res->shapes, probe_tensor, prev->out), in)) row->in = prev->out;
    else if (!intern_shape(res, in, &row->in)) return false;
    if (!intern_shape(res, out, &row->out)) return false;
    if (flags & TRACE_IMPLICIT) res->implicit_row = (int64_t)res->rows.len - 1;
    if (!res->explain) return true;
    char **text = vec_push(&res->explains);
    if (!text) return false;
    if (explain && explain->len) *text = arena_strndup(&res->ar, explain->buf, explain->len);
    return true;
}

bool trace_reached(const probe_result *res, const layer *ly)
{
    size_t i = (size_t)(ly - res->net->layers);
    return res->called && i < res->net->nlayers && (res->called[i / 8] & (1u << (i % 8)));
}

const trace_row *exec_row(const probe_result *res, size_t i) { return &VEC_AT(res->rows, trace_row, i); }

const layer *exec_row_layer(const probe_result *res, size_t i)
{
    return net_layer(res->net, exec_row(res, i)->node);
}

const probe_tensor *exec_row_in(const probe_result *res, size_t i)
{
    return &VEC_AT(res->shapes, probe_tensor, exec_row(res, i)->in);
}

const probe_tensor *exec_row_out(const probe_result *res, size_t i)
{
    return &VEC_AT(res->shapes, probe_tensor, exec_row(res, i)->out);
}

const char *exec_row_explain(const probe_result *res, size_t i)
{
    return i < res->explains.len ? VEC_AT(res->explains, char *, i) : NULL;
}

bool exec_row_shown(const probe_result *res, size_t i) { return !(exec_row(res, i)->flags & TRACE_IMPLICIT); }
