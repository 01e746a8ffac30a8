/* report_fix.c - the net's text with its fixes applied: only the
 * characters of each number that must change (or of each `?`) are
 * replaced; every other byte stays as it was. */
#include "result.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct edit {
    const run_fix *fix;         /* the first result's fix at this place */
    size_t off, end;
    const layer *ly;
    int param;
} edit;

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

static const run_fix *find_fix(const probe_result *res, const layer *ly, int param)
{
    for (size_t i = 0; i < res->fixes.len; i++) {
        const run_fix *f = &VEC_AT(res->fixes, run_fix, i);
        if (f->ly == ly && f->param == param) return f;
    }
    return NULL;
}

static bool reached(const probe_result *res, const layer *ly)
{
    for (size_t i = 0; i < res->rows.len; i++)
        if (VEC_AT(res->rows, run_row, i).ly == ly) return true;
    return false;
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

/* Every place some result wants changed, with the sizes agreeing on it. */
static int collect(const probe_result *const *results, size_t n, vec *edits, char **why)
{
    for (size_t r = 0; r < n; r++) {
        const probe_result *res = results[r];
        for (size_t i = 0; i < res->fixes.len; i++) {
            const run_fix *f = &VEC_AT(res->fixes, run_fix, i);
            bool known = false;
            for (size_t k = 0; k < edits->len; k++) {
                edit *e = &VEC_AT(*edits, edit, k);
                known |= e->ly == f->ly && e->param == f->param;
            }
            if (known) continue;
            edit *e = vec_push(edits);
            if (!e) return -1;
            e->fix = f;
            e->ly = f->ly;
            e->param = f->param;
            e->off = f->ly->spans[f->param].off;
            e->end = f->ly->spans[f->param].end;
        }
    }
    for (size_t k = 0; k < edits->len; k++) {
        const edit *e = &VEC_AT(*edits, edit, k);
        for (size_t r = 0; r < n; r++) {
            const run_fix *f = find_fix(results[r], e->ly, e->param);
            bool agrees = f ? same_need(f, e->fix) : !reached(results[r], e->ly);
            if (agrees) continue;
            char a[48], b[48];
            size_name(a, sizeof a, results[r]);
            sb msg;
            sb_init(&msg);
            sb_printf(&msg, "line %u: %s: the sizes disagree: ", e->ly->st->span.line,
                      e->ly->op->params[e->param].name);
            if (f) { sb_puts(&msg, "it must be "); put_value(&msg, f); }
            else sb_puts(&msg, "it must stay as it is");
            sb_printf(&msg, " at %s", a);
            for (size_t q = 0; q < n; q++) {
                if (find_fix(results[q], e->ly, e->param) != e->fix) continue;
                size_name(b, sizeof b, results[q]);
                sb_puts(&msg, " but ");
                put_value(&msg, e->fix);
                sb_printf(&msg, " at %s", b);
                break;
            }
            sb_puts(&msg, "; nothing was changed");
            *why = sb_take(&msg);
            return 1;
        }
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
    vec edits;
    vec_init(&edits, sizeof(edit));
    int rc = collect(results, n, &edits, why);
    if (rc != 0 || !edits.len) {
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
    vec_free(&edits);
    *outlen = text.len;
    *out = sb_take(&text);
    return *out ? 0 : -1;
}
