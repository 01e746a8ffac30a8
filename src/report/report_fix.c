/* report_fix.c - the net's text with its fixes applied: only the
 * characters of each number that must change (or of each `?`) are
 * replaced; every other byte stays as it was. One line may be added: the
 * input line the run used, when the next run would otherwise read other
 * input channels from a layer the fix changes. */
#include "run/result.h"

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

static void put_value(sb *out, const run_fix *f)
{
    if (f->is_ints && f->need_ints.n == 1) sb_printf(out, "%lld", (long long)f->need_ints.v[0]);
    else if (f->is_ints) exec_format_ints(out, &f->need_ints, false);
    else sb_printf(out, "%lld", (long long)f->need);
}

/* The input's spatial sizes as --hw writes them: "32x32". */
static void put_size(sb *out, const probe_result *res)
{
    sb_put_ints(out, res->input.dim + 2, res->input.ndim - 2, "x");
}

/* "3:15: error: in_features: the sizes disagree: ..." (the line and column
 * of the argument, for the caller to put after the file's name, as every
 * diagnostic has them) for the first result that does not want e's
 * change; NULL when they all agree. */
static char *disagreement(const probe_result *const *results, size_t n, const edit *e)
{
    const layer *ly = e->fix->ly;
    int param = e->fix->param;
    for (size_t r = 0; r < n; r++) {
        const run_fix *f = fix_of(e, r);
        bool agrees = f ? same_need(f, e->fix) : !trace_reached(results[r], ly);
        if (agrees) continue;
        sb msg;
        sb_init(&msg);
        src_span at = layer_span(results[0]->net, ly, param);
        sb_printf(&msg, "%u:%u: error: %s: the sizes disagree: ", at.line, at.col, ly->op->params[param].name);
        if (f) { sb_puts(&msg, "it must be "); put_value(&msg, f); }
        else sb_puts(&msg, "it must stay as it is");
        sb_puts(&msg, " at ");
        put_size(&msg, results[r]);
        sb_puts(&msg, " but ");
        put_value(&msg, e->fix);
        sb_puts(&msg, " at ");
        put_size(&msg, results[e->group->r]);
        sb_puts(&msg, "; nothing was changed");
        char *s = sb_take(&msg);
        return s ? s : strdup(" error: the sizes disagree; nothing was changed");
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
        if (layer_arg(ly, param) && !(ly->flags & LAYER_LIBRARY)) {
            edit *e = vec_push(edits);
            if (!e) return -1;
            src_span at = net_fix_span(results[0]->net, ly, param);
            e->fix = all[k].fix;
            e->group = &all[k];
            e->ngroup = end - k;
            e->off = at.off;
            e->end = at.end;
        }
        k = end;
    }
    /* every place may have been a Lazy size, with nothing to edit */
    if (edits->len) qsort(edits->items, edits->len, sizeof(edit), by_first_asked);
    for (size_t k = 0; k < edits->len; k++) {
        *why = disagreement(results, n, &VEC_AT(*edits, edit, k));
        if (*why) return 1;
    }
    return 0;
}

/* The edit of layer ly's parameter `param`, written at offset off, in
 * edits sorted by offset (a binary search: a net may have a million);
 * NULL when the fix leaves it. */
static const edit *edit_at(const vec *edits, const layer *ly, int param, size_t off)
{
    size_t lo = 0, hi = edits->len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (VEC_AT(*edits, edit, mid).off < off) lo = mid + 1;
        else hi = mid;
    }
    if (lo == edits->len) return NULL;
    const edit *e = &VEC_AT(*edits, edit, lo);
    return e->off == off && e->fix->ly == ly && e->fix->param == param ? e : NULL;
}

/* What channels_read asks of each source: the value once `edits` are
 * made (with fixed), else as written; a `?` not filled is no value. */
typedef struct channel_query {
    const probe_net *net;
    const vec *edits;
    bool fixed;
    int64_t value;
} channel_query;

static bool channel_value(const layer *ly, int k, void *ud)
{
    channel_query *q = ud;
    const edit *e = q->fixed && layer_arg(ly, k) ? edit_at(q->edits, ly, k, net_fix_span(q->net, ly, k).off) : NULL;
    if (e && !e->fix->is_ints) {
        q->value = e->fix->need;
        return true;
    }
    if (layer_infer(ly, k) != INFER_NONE) return false;
    q->value = layer_int(ly, k);
    return true;
}

/* The input channels a run reads from a file with no input line (the
 * model's channel sources, as the run reads them), or 0. With `fixed`, as
 * the file will read once `edits` are made: a changed value, a `?` filled
 * in. */
static int64_t channels_read(const probe_net *net, const vec *edits, bool fixed)
{
    channel_query q = { net, edits, fixed, 0 };
    return net_each_channel_source(net, channel_value, &q) ? q.value : 0;
}

/* Where the input line goes: after a byte-order mark and the leading
 * blank and comment lines, so that a file's header comment stays first
 * and the line comes before the first layer, as the parser wants it. */
static size_t input_line_at(const char *t, size_t n)
{
    size_t at = diag_bom_len(t, n);
    while (at < n) {
        size_t i = at;
        while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r')) i++;
        if (i < n && t[i] != '#' && t[i] != '\n') return at;
        const char *nl = memchr(t + i, '\n', n - i);
        if (!nl) return n;
        at = (size_t)(nl - t) + 1;
    }
    return at;
}

/* Whether the fix must write the input line the run used: the file has
 * none, and the fix changes what the next run would read the channels
 * from, away from what this run used (a PixelUnshuffle before the first
 * Conv2d: the run read 6, the Conv2d must now declare 24). Without the
 * line the fixed net would not pass. edits are sorted by offset. */
static bool needs_input_line(const probe_result *res, const vec *edits)
{
    const probe_net *net = res->net;
    /* a model file's channels come from its '# input:' comment or the
     * first layer forward() calls: no net.cfg input line goes there */
    if (net->has_input || !res->has_input || net->forward) return false;
    int64_t before = channels_read(net, edits, false), after = channels_read(net, edits, true);
    return after != before && after != res->input.dim[1];
}

/* "input: 6x224x224" and the file's own line ending. */
static void put_input_line(sb *out, const probe_result *res)
{
    const probe_net *net = res->net;
    const char *nl = memchr(net->text, '\n', net->len);
    bool crlf = nl && nl > net->text && nl[-1] == '\r';
    sb_puts(out, "input: ");
    sb_put_ints(out, res->input.dim + 1, res->input.ndim - 1, "x");
    sb_puts(out, crlf ? "\r\n" : "\n");
}

/* A model file builds many modules from one constructor call (a block
 * class, a loop): their fixes are edits at one place. Those that want the
 * same value are one edit; different values cannot all be written there,
 * and *why says so. edits are sorted by offset. */
static int merge_same_place(const probe_net *net, vec *edits, char **why)
{
    size_t kept = 0;
    for (size_t k = 0; k < edits->len; k++) {
        edit *e = &VEC_AT(*edits, edit, k);
        edit *last = kept ? &VEC_AT(*edits, edit, kept - 1) : NULL;
        if (!last || last->off != e->off) {
            VEC_AT(*edits, edit, kept++) = *e;
            continue;
        }
        if (same_need(last->fix, e->fix)) continue;
        sb msg;
        sb_init(&msg);
        src_span at = net_fix_span(net, e->fix->ly, e->fix->param);
        sb_printf(&msg, "%u:%u: error: %s: this argument builds several modules, which need different sizes (", at.line,
                  at.col, e->fix->ly->op->params[e->fix->param].name);
        put_value(&msg, last->fix);
        sb_puts(&msg, " and ");
        put_value(&msg, e->fix);
        sb_puts(&msg, "): no one value written here fits them all; nothing was changed");
        *why = sb_take(&msg);
        return *why ? 1 : -1;
    }
    edits->len = kept;
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
    if ((rc = merge_same_place(net, &edits, why)) != 0) {
        vec_free(&places);
        vec_free(&edits);
        return rc;
    }
    sb text;
    sb_init(&text);
    size_t at = 0;
    /* before every edit: the leading comments hold no layer */
    if (needs_input_line(results[0], &edits)) {
        at = input_line_at(net->text, net->len);
        sb_putn(&text, net->text, at);
        put_input_line(&text, results[0]);
    }
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
