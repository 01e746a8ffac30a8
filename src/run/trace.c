/* trace.c - the trace: one row per call the run made, in order, with
 * the module called, its input and output shapes (each distinct shape
 * stored once) and its parameters on its first call. Every report reads
 * it (run/result.h). */
#include "run/result.h"
#include "base/hash.h"

#include <stdlib.h>
#include <string.h>

static bool same_shape(const probe_tensor *a, const probe_tensor *b)
{
    return a->ndim == b->ndim && !memcmp(a->dim, b->dim, (size_t)a->ndim * sizeof a->dim[0]);
}

typedef struct shape_key {
    const probe_result *res;
    const probe_tensor *t;
} shape_key;

static bool shape_equal(const void *ctx, uint32_t index)
{
    const shape_key *k = ctx;
    return same_shape(&VEC_AT(k->res->shapes, probe_tensor, index), k->t);
}

/* The index of shape t in res->shapes, added when new; false when out of
 * memory. Shapes made to collide would make each row walk all of them:
 * the table gives up after 64 probes, and such a shape is stored again
 * rather than shared. */
static bool intern_shape(probe_result *res, const probe_tensor *t, uint32_t *index)
{
    if (!hash_reserve(&res->shape_index)) return false;
    uint64_t h = hash_words(t->dim, (size_t)t->ndim);
    shape_key key = { res, t };
    size_t slot;
    if (hash_find(&res->shape_index, h, shape_equal, &key, index, &slot)) return true;
    probe_tensor *copy = vec_push(&res->shapes);
    if (!copy) return false;
    *copy = *t;
    *index = (uint32_t)(res->shapes.len - 1);
    hash_set(&res->shape_index, slot, h, *index);
    return true;
}

/* Whether layer ly has a row yet, and marks it: its parameters count on
 * its first call only (a module called twice is one module). */
static bool first_call(probe_result *res, mod_ref node)
{
    if ((node & MOD_RUN) != MOD_LAYER || !res->called) return true;
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
    if (res->net->forward) {
        trace_site *at = vec_push(&res->sites);
        if (!at) return false;
        *at = (trace_site){ res->site.line, res->site.off, res->site.end, res->flow_in };
        /* a call made inside this one (the implicit flatten before a
         * Linear) feeds the next */
        res->flow_in = FLOW_ROW(res->rows.len - 1);
    }
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

bool trace_join(probe_result *res, const char *kind, const uint32_t *ins, size_t n, const probe_tensor *out,
                uint32_t *id)
{
    *id = FLOW_NONE;
    if (res->quick || !res->net->forward) return true;
    flow_join *j = vec_push(&res->joins);
    if (!j) return false;
    j->kind = kind;
    j->first = (uint32_t)res->join_ins.len;
    j->n = 0;
    j->after = (uint32_t)res->rows.len;
    if (!intern_shape(res, out, &j->out)) return false;
    for (size_t k = 0; k < n && k < FLOW_MAX_INS; k++) {
        uint32_t *in = vec_push(&res->join_ins);
        if (!in) return false;
        *in = ins[k];
        j->n++;
    }
    *id = FLOW_JOIN(res->joins.len - 1);
    return true;
}

uint32_t exec_row_from(const probe_result *res, size_t i)
{
    const trace_site *at = exec_row_site(res, i);
    return at ? at->from : i ? FLOW_ROW(i - 1) : FLOW_INPUT;
}

bool trace_reached(const probe_result *res, const layer *ly)
{
    size_t i = (size_t)(ly - res->net->layers);
    return res->called && i < res->net->nlayers && (res->called[i / 8] & (1u << (i % 8)));
}

const trace_row *exec_row(const probe_result *res, size_t i) { return &VEC_AT(res->rows, trace_row, i); }

const layer *exec_row_layer(const probe_result *res, size_t i)
{
    return exec_layer(res, exec_row(res, i)->node);
}

const trace_site *exec_row_site(const probe_result *res, size_t i)
{
    return i < res->sites.len ? &VEC_AT(res->sites, trace_site, i) : NULL;
}

uint32_t exec_row_line(const probe_result *res, size_t i)
{
    const trace_site *at = exec_row_site(res, i);
    return at && at->line ? at->line : exec_layer(res, exec_row(res, i)->node)->name_span.line;
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
