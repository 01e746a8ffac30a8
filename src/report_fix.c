/* report_fix.c - the net's text with its fixes applied: only the
 * characters of each number that must change (or of each `?`) are
 * replaced; every other byte stays as it was. */
#include "result.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One result's fix, placed: the fixes of every result, sorted by where
 * they go, fall into one group per argument to change. */
typedef struct place {
    const run_fix *fix;
    size_t r, i;                /* results[r]'s i-th fix */
} place;

typedef struct edit {
    const run_fix *fix;         /* the first result's fix at this place */
    size_t off, end;
    const place *group;         /* every result's fix here, by result */
    size_t ngroup;
} edit;

static int by_place(const void *a, const void *b)
{
    const place *x = a, *y = b;
    if (x->fix->ly != y->fix->ly) return x->fix->ly < y->fix->ly ? -1 : 1;
    if (x->fix->param != y->fix->param) return x->fix->param < y->fix->param ? -1 : 1;
    if (x->r != y->r) return x->r < y->r ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* the order the results asked for them: first result first */
static int by_first_asked(const void *a, const void *b)
{
    const edit *x = a, *y = b;
    if (x->group->r != y->group->r) return x->group->r < y->group->r ? -1 : 1;
    return x->group->i < y->group->i ? -1 : x->group->i > y->group->i;
}

static int by_offset(const void *a, const void *b)
{
    const edit *x = a, *y = b;
    return x->off < y->off ? -1 : x->off > y->off;
}

static bool same_need(const run_fix *a, const run_fix *b)
{
    if (a->is_ints != b->is_ints) return false;
    if (!a->is_ints) return a->need == b->need;
    return a->need_ints.n == b->need_ints.n &&
           !memcmp(a->need_ints.v, b->need_ints.v, (size_t)a->need_ints.n * sizeof a->need_ints.v[0]);
}

/* results[r]'s fix in the edit's group, or NULL */
static const run_fix *fix_of(const edit *e, size_t r)
{
    for (size_t k = 0; k < e->ngroup; k++)
        if (e->group[k].r == r) return e->group[k].fix;
    return NULL;
}

/* Row i is layer i: a layer was reached when the run made a row for it. */
static bool reached(const probe_result *res, const layer *ly)
{
    return (size_t)(ly - res->net->layers) < res->rows.len;
}

static void put_value(sb *out, const run_fix *f)
{
    if (f->is_ints && f->need_ints.n == 1) sb_printf(out, "%lld", (long long)f->need_ints.v[0]);
    else if (f->is_ints) exec_format_ints(out, &f->need_ints, false);
    else sb_printf(out, "%lld", (long long)f->need);
}

static void size_name(char *buf, size_t cap, const probe_result *res)
{
    snprintf(buf, cap, "%lldx%lld", (long long)res->input[2], (long long)res->input[3]);
}

/* "line 3: in_features: the sizes disagree: ..." for the first result that
 * does not want e's change; NULL when they all agree. */
static char *disagreement(const probe_result *const *results, size_t n, const edit *e)
{
    const layer *ly = e->fix->ly;
    int param = e->fix->param;
    for (size_t r = 0; r < n; r++) {
        const run_fix *f = fix_of(e, r);
        bool agrees = f ? same_need(f, e->fix) : !reached(results[r], ly);
        if (agrees) continue;
        char a[48], b[48];
        size_name(a, sizeof a, results[r]);
        sb msg;
        sb_init(&msg);
        sb_printf(&msg, "line %u: %s: the sizes disagree: ", ly->name_span.line, ly->op->params[param].name);
        if (f) { sb_puts(&msg, "it must be "); put_value(&msg, f); }
        else sb_puts(&msg, "it must stay as it is");
        size_name(b, sizeof b, results[e->group->r]);
        sb_printf(&msg, " at %s but ", a);
        put_value(&msg, e->fix);
        sb_printf(&msg, " at %s; nothing was changed", b);
        char *s = sb_take(&msg);
        return s ? s : strdup("the sizes disagree; nothing was changed");
    }
    return NULL;
}

/* Every place some result wants changed, with the sizes agreeing on it.
 * Sorting keeps this n log n: a million fixes must not take a million
 * squared steps. */
static int collect(const probe_result *const *results, size_t n, vec *places, vec *edits, char **why)
{
    for (size_t r = 0; r < n; r++) {
        for (size_t i = 0; i < results[r]->fixes.len; i++) {
            place *p = vec_push(places);
            if (!p) return -1;
            p->fix = &VEC_AT(results[r]->fixes, run_fix, i);
            p->r = r;
            p->i = i;
        }
    }
    if (!places->len) return 0;
    qsort(places->items, places->len, sizeof(place), by_place);
    const place *all = places->items;
    for (size_t k = 0; k < places->len;) {
        size_t end = k + 1;
        while (end < places->len && all[end].fix->ly == all[k].fix->ly && all[end].fix->param == all[k].fix->param)
            end++;
        /* a fix always names a written argument: a Lazy layer's size has none and is not a fix */
        const layer *ly = all[k].fix->ly;
        int param = all[k].fix->param;
        if (layer_arg(ly, param)) {
            edit *e = vec_push(edits);
            if (!e) return -1;
            src_span at = layer_span(results[0]->net, ly, param);
            e->fix = all[k].fix;
            e->group = &all[k];
            e->ngroup = end - k;
            e->off = at.off;
            e->end = at.end;
        }
        k = end;
    }
    qsort(edits->items, edits->len, sizeof(edit), by_first_asked);
    for (size_t k = 0; k < edits->len; k++) {
        *why = disagreement(results, n, &VEC_AT(*edits, edit, k));
        if (*why) return 1;
    }
    return 0;
}

int probe_fix_text(const probe_result *const *results, size_t n, char **out, size_t *outlen, char **why)
{
    *out = NULL;
    *outlen = 0;
    *why = NULL;
    if (!n) return 0;
    const probe_net *net = results[0]->net;
    vec places, edits;
    vec_init(&places, sizeof(place));
    vec_init(&edits, sizeof(edit));
    int rc = collect(results, n, &places, &edits, why);
    if (rc != 0 || !edits.len) {
        vec_free(&places);
        vec_free(&edits);
        return rc < 0 ? -1 : rc;
    }
    qsort(edits.items, edits.len, sizeof(edit), by_offset);
    sb text;
    sb_init(&text);
    size_t at = 0;
    for (size_t k = 0; k < edits.len; k++) {
        const edit *e = &VEC_AT(edits, edit, k);
        sb_putn(&text, net->text + at, e->off - at);
        put_value(&text, e->fix);
        at = e->end;
    }
    sb_putn(&text, net->text + at, net->len - at);
    vec_free(&places);
    vec_free(&edits);
    *outlen = text.len;
    *out = sb_take(&text);
    return *out ? 0 : -1;
}
