/* bind.c - a layer statement's arguments bound to its op's schema, the way
 * Python binds a call to a signature, with Python's error texts. */
#include "model/net.h"
#include "base/hash.h"
#include "reg/ctx.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Sets *err, its message in ar, and returns false: binding stops there. */
static bool bind_fail(arena *ar, diag *err, src_span at, const char *layer, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static bool bind_fail(arena *ar, diag *err, src_span at, const char *layer, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vset(err, ar, at, PROBE_INVALID, layer, fmt, ap);
    va_end(ap);
    return false;
}

int bind_param_index(const op *o, const char *name)
{
    for (int i = 0; i < o->nparams; i++)
        if (!strcmp(o->params[i].name, name)) return i;
    return -1;
}

void bind_c_args(const op *o, const cval *vals, cval *out)
{
    int k = 0;
    for (int i = 0; i < o->nparams; i++)
        if (o->params[i].type != PT_ANY) out[k++] = vals[i];
}

static const char *python_type(const value *v)
{
    static const char *const names[] = {
        [VAL_INT] = "int", [VAL_FLOAT] = "float", [VAL_BOOL] = "bool", [VAL_NONE] = "NoneType",
        [VAL_STR] = "str", [VAL_WORD] = "str", [VAL_TUPLE] = "tuple", [VAL_LIST] = "list",
        [VAL_QUESTION] = "'?'", [VAL_CALL] = "a layer",
    };
    return names[v->kind];
}

/* What a parameter of pm's type takes, for a type error: a size names
 * its rank, "a tuple of 2 ints" as pair always has. */
static const char *expected_text(const param *pm, char *buf, size_t cap)
{
    if (pm->type == PT_SIZE || pm->type == PT_PSIZE) {
        snprintf(buf, cap, pm->type == PT_SIZE ? "an int or a tuple of %d ints" : "an int, a tuple of %d ints, 'same' or 'valid'",
                 pm->rank);
        return buf;
    }
    static const char *const texts[PT_COUNT] = {
        [PT_I64] = "an int", [PT_F64] = "a number", [PT_BOOL] = "True or False",
        [PT_STR] = "a string", [PT_PAIR] = "an int or a tuple of 2 ints",
        [PT_FPAIR] = "a number or a tuple of 2 numbers",
        [PT_PAD] = "an int, a tuple of 2 ints, 'same' or 'valid'",
        [PT_INTS] = "an int or a tuple of ints", [PT_TENSOR] = "a tensor", [PT_ANY] = "anything",
    };
    return texts[pm->type];
}

static bool cval_equal(ptype t, const cval *a, const cval *b)
{
    switch (t) {
    case PT_I64: return a->i == b->i;
    case PT_F64: return a->f == b->f || (isnan(a->f) && isnan(b->f));
    case PT_BOOL: return a->b == b->b;
    case PT_STR: return (!a->s && !b->s) || (a->s && b->s && !strcmp(a->s, b->s));
    case PT_PAIR: case PT_PAD: return a->pair.h == b->pair.h && a->pair.w == b->pair.w;
    case PT_FPAIR: return a->fpair.h == b->fpair.h && a->fpair.w == b->fpair.w;
    case PT_INTS: case PT_SIZE: case PT_PSIZE:
        return a->ints->n == b->ints->n && !memcmp(a->ints->v, b->ints->v, sizeof a->ints->v);
    case PT_TENSOR: return a->tensor == b->tensor;
    default: return true;
    }
}

/* "'a'", "'a' and 'b'", "'a', 'b', and 'c'", as Python lists missing names */
static void name_list(char *buf, size_t cap, const char **names, int n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && len < cap; i++) {
        const char *sep = i == 0 ? "" : (i == n - 1 ? (n > 2 ? ", and " : " and ") : ", ");
        len += (size_t)snprintf(buf + len, cap - len, "%s'%s'", sep, names[i]);
    }
}

/* print(model) writes a Lazy layer's still-unknown size as a leading 0:
 * it goes to the inferred parameter. Returns how many arguments it took. */
static int printed_lazy_size(const op *o, const stmt *st, const arg **slot)
{
    for (int i = 0; i < o->nparams; i++) {
        const param *pm = &o->params[i];
        if (pm->repr_only && pm->inferable && st->nargs > 0 && !st->args[0].key &&
            st->args[0].val.kind == VAL_INT && st->args[0].val.i == 0 && !st->args[0].val.computed) {
            slot[i] = &st->args[0];
            return 1;
        }
    }
    return 0;
}

/* Each keyword argument to its parameter, as Python binds them before it
 * counts the positionals: an unknown keyword (with the nearest name) or a
 * parameter given twice stops the binding. */
static bool assign_keywords(arena *mem, const op *o, const stmt *st, const arg **slot, diag *err)
{
    const char *name = o->name;
    for (int a = 0; a < st->nargs; a++) {
        const arg *ar = &st->args[a];
        if (!ar->key) continue;
        int i = bind_param_index(o, ar->key);
        if (i < 0) {
            if (o->varargs) continue;
            const char *best = NULL;
            size_t best_d = 3;
            for (int k = 0; k < o->nparams; k++) {
                size_t d = util_edit_distance(ar->key, o->params[k].name, 2);
                if (d < best_d) { best_d = d; best = o->params[k].name; }
            }
            if (best)
                return bind_fail(mem, err, ar->key_span, name, "%s() got an unexpected keyword argument '%s' (did you mean '%s'?)",
                                 name, ar->key, best);
            return bind_fail(mem, err, ar->key_span, name, "%s() got an unexpected keyword argument '%s'", name, ar->key);
        }
        if (slot[i])
            return bind_fail(mem, err, ar->key_span, name, "%s() got multiple values for argument '%s'", name, ar->key);
        slot[i] = ar;
    }
    return true;
}

/* Python's "takes 2 positional arguments but 3 were given", at the first
 * argument too many (`extra`); arguments from `first` on are counted. */
static bool too_many_positional(arena *mem, const op *o, const stmt *st, int first, const arg *extra, diag *err)
{
    int given = 0, least = 0;
    for (int k = first; k < st->nargs; k++) given += !st->args[k].key;
    for (int k = 0; k < o->npositional; k++) least += o->params[k].required;
    /* Python's wording: "from 3 to 11" when some have defaults */
    char takes[48];
    bool range = least < o->npositional;
    if (range)
        snprintf(takes, sizeof takes, "from %d to %d", least, o->npositional);
    else
        snprintf(takes, sizeof takes, "%d", o->npositional);
    return bind_fail(mem, err, extra->val.span, o->name, "%s() takes %s positional argument%s but %d %s given",
                     o->name, takes, range || o->npositional != 1 ? "s" : "", given, given == 1 ? "was" : "were");
}

/* Python's "missing 1 required positional argument: 'x'": the positional
 * ones first, then the keyword-only ones, as Python does. */
static bool check_required(arena *mem, const op *o, const stmt *st, const arg **slot, diag *err)
{
    for (int kw_only = 0; kw_only < 2; kw_only++) {
        const char *missing[64];
        int nmissing = 0;
        for (int i = 0; i < o->nparams; i++)
            if (o->params[i].required && !slot[i] && o->params[i].keyword_only == kw_only)
                missing[nmissing++] = o->params[i].name;
        if (nmissing) {
            char names[300];
            name_list(names, sizeof names, missing, nmissing);
            return bind_fail(mem, err, st->name_span, o->name, "%s() missing %d required %s argument%s: %s",
                             o->name, nmissing, kw_only ? "keyword-only" : "positional", nmissing == 1 ? "" : "s", names);
        }
    }
    return true;
}

/* Which parameter each argument goes to; -1 for those a `...` swallows. */
static bool assign(arena *mem, const op *o, const stmt *st, const arg **slot, diag *err)
{
    int first = printed_lazy_size(o, st, slot);
    int pos = 0;
    const arg *extra = NULL;    /* the first positional argument too many */
    for (int a = first; a < st->nargs; a++) {
        const arg *ar = &st->args[a];
        if (ar->key) continue;
        while (pos < o->nparams && (o->params[pos].keyword_only)) pos++;
        if (pos >= o->npositional) {
            if (!o->varargs && !extra) extra = ar;
            continue;
        }
        slot[pos++] = ar;
    }
    if (!assign_keywords(mem, o, st, slot, err)) return false;
    if (extra) return too_many_positional(mem, o, st, first, extra, err);
    return check_required(mem, o, st, slot, err);
}

/* The tuple in *v stored once among those seen lately (it was zeroed
 * before it was filled, so whole structs compare); NULL when out of
 * memory. */
static const probe_ints *intern_ints(arena *ar, arg_store *store, const probe_ints *v)
{
    if (!store) {
        probe_ints *own = arena_alloc(ar, sizeof *own);
        if (own) *own = *v;
        return own;
    }
    size_t slot = hash_words(v, sizeof *v / sizeof(uint64_t)) & (BIND_RECENT_INTS - 1);
    const probe_ints *seen = store->recent_ints[slot];
    if (seen && !memcmp(seen, v, sizeof *v)) return seen;
    probe_ints *kept = arena_alloc(ar, sizeof *kept);
    if (!kept) return NULL;
    *kept = *v;
    store->recent_ints[slot] = kept;
    return kept;
}

/* Binds the value written for parameter i into *out. */
static bool bind_value(arena *ar, arg_store *store, const op *o, int i, const arg *given, bound_arg *out, diag *err)
{
    const param *pm = &o->params[i];
    const value *v = &given->val;
    const char *name = o->name;
    memset(out, 0, sizeof *out);
    if (v->span.end - v->span.off > BIND_MAX_VALUE)
        return bind_fail(ar, err, v->span, name, "this value is %u bytes long: probe reads values of at most %u bytes",
                         v->span.end - v->span.off, BIND_MAX_VALUE);
    out->param = (unsigned)i & 63u;
    out->off = v->span.off;
    out->len = (v->span.end - v->span.off) & BIND_MAX_VALUE;
    if (pm->type == PT_ANY) return true;
    if (v->kind == VAL_QUESTION) {
        if (!pm->inferable)
            return bind_fail(ar, err, v->span, name,
                             "'?' cannot stand for %s() argument '%s': probe finds Linear in_features, Conv2d/ConvTranspose2d in_channels and BatchNorm2d/InstanceNorm2d num_features",
                             name, pm->name);
        out->infer = INFER_QUESTION & 3u;
        out->val.i = 0;  /* a deliberately wrong size: the run says which is right */
        return true;
    }
    if (pm->repr_only && pm->inferable && v->kind == VAL_INT && v->i == 0) {
        out->infer = INFER_LAZY & 3u;
        out->val.i = 0;
        return true;
    }
    const value *reserved = schema_reserved_int(pm, v);
    if (reserved)
        return bind_fail(ar, err, reserved->span, name,
                         "%lld is out of range for %s() argument '%s': probe takes integers from %lld to %lld",
                         (long long)reserved->i, name, pm->name, (long long)PROBE_SAME + 1, (long long)INT64_MAX);
    const char *why;
    probe_ints ints;
    if (!schema_convert(pm, v, &out->val, &ints, &why)) {
        if (why && !strcmp(why, "bad padding string"))
            return bind_fail(ar, err, v->span, name, "Invalid padding string '%s', should be one of {'valid', 'same'}", v->s);
        if (why)
            return bind_fail(ar, err, v->span, name, "%s() argument '%s': %s", name, pm->name, why);
        if (pm->type == PT_BOOL && v->kind == VAL_WORD && (util_edit_distance(v->s, "True", 2) <= 2 ||
                                                          util_edit_distance(v->s, "False", 2) <= 2))
            return bind_fail(ar, err, v->span, name, "%s() argument '%s' must be True or False, not '%s' (did you mean %s?)",
                             name, pm->name, v->s, util_edit_distance(v->s, "True", 2) <= 2 ? "True" : "False");
        char expected[64];
        return bind_fail(ar, err, v->span, name, "%s() argument '%s' must be %s, not %s",
                         name, pm->name, expected_text(pm, expected, sizeof expected), python_type(v));
    }
    if (ptype_is_ints(pm->type) && !(out->val.ints = intern_ints(ar, store, &ints)))
        return bind_fail(ar, err, v->span, name, "out of memory");
    /* a Lazy layer's size (default '?') is printed only as 0, handled above */
    if (pm->repr_only && (pm->infer_def != INFER_NONE || !cval_equal(pm->type, &out->val, &pm->cdef)))
        return bind_fail(ar, err, v->span, name, "%s() does not take '%s': print(model) shows it, but only as its fixed value",
                         name, pm->name);
    return true;
}

/* A word at a time (a million lists are hashed): the bytes of a list are
 * a multiple of 8 */
static uint64_t hash_args(const bound_arg *a, int n)
{
    _Static_assert(sizeof(bound_arg) % sizeof(uint64_t) == 0, "bound_arg is hashed in words");
    return hash_words(a, (size_t)n * sizeof *a / sizeof(uint64_t));
}

/* Stores a bound argument list, or finds it stored; false when out of
 * memory. The bytes compare whole: bind_value zeroes each first, and
 * strings are interned. */
static bool store_args(arg_store *store, const bound_arg *a, int n, size_t *first)
{
    size_t slot = hash_args(a, n) & (BIND_RECENT - 1);
    uint32_t at = store->recent[slot].first;
    if (store->recent[slot].n == (uint32_t)n &&
        !memcmp(&VEC_AT(store->args, bound_arg, at), a, (size_t)n * sizeof *a)) {
        *first = at;
        return true;
    }
    *first = store->args.len;
    for (int k = 0; k < n; k++) {
        bound_arg *dst = vec_push(&store->args);
        if (!dst) return false;
        *dst = a[k];
    }
    /* the array's indexes are 32 bits: past that, lists are just not shared */
    if (*first <= UINT32_MAX) {
        store->recent[slot].first = (uint32_t)*first;
        store->recent[slot].n = (uint32_t)n;
    }
    return true;
}

/* The op of a statement, and its arguments bound into bound[0, *n). */
static bool bind_args(arena *ar, arg_store *store, const op *o, const stmt *st, bound_arg *bound, int *n, diag *err)
{
    const arg *slot[64] = { NULL };
    if (!assign(ar, o, st, slot, err)) return false;
    *n = 0;
    for (int i = 0; i < o->nparams; i++)
        if (slot[i] && !bind_value(ar, store, o, i, slot[i], &bound[(*n)++], err)) return false;
    for (int k = 0; k < *n; k++) bound[k].off -= st->name_span.off;
    return true;
}

static void start_layer(const stmt *st, layer *out)
{
    memset(out, 0, sizeof *out);
    out->name_span = st->name_span;
    out->end = st->span.end;
    if (st->label) {
        out->label_off = st->label_span.off;
        out->label_len = st->label_span.end - st->label_span.off;
    }
}

bool bind_layer(probe_net *net, const stmt *st, arg_store *store, layer *out, diag *err)
{
    start_layer(st, out);
    const op *o = reg_find(net->reg, st->name);
    if (!o) {
        const char *best = reg_suggest(net->reg, st->name);
        if (best)
            return bind_fail(&net->ar, err, st->name_span, NULL, "unknown layer '%s' (did you mean '%s'?)", st->name, best);
        return bind_fail(&net->ar, err, st->name_span, NULL,
                         "unknown layer '%s': probe knows the torch.nn layers of NETCFG.md; a custom layer needs --plugin", st->name);
    }
    out->op = o;
    bound_arg bound[64];
    int n;
    if (!bind_args(&net->ar, store, o, st, bound, &n, err)) return false;
    if (n && !store_args(store, bound, n, &out->first_arg))
        return bind_fail(&net->ar, err, st->name_span, o->name, "out of memory");
    out->nargs = (uint8_t)n;
    return true;
}

bool bind_call(arena *ar, const op *o, const stmt *st, layer *out, diag *err)
{
    start_layer(st, out);
    out->op = o;
    bound_arg bound[64];
    int n;
    if (!bind_args(ar, NULL, o, st, bound, &n, err)) return false;
    if (n) {
        bound_arg *kept = arena_alloc(ar, (size_t)n * sizeof *kept);
        if (!kept) return bind_fail(ar, err, st->name_span, o->name, "out of memory");
        memcpy(kept, bound, (size_t)n * sizeof *kept);
        out->args = kept;
    }
    out->nargs = (uint8_t)n;
    return true;
}

bool layer_construct(const probe_net *net, arena *ar, const layer *ly, diag *err)
{
    const op *o = ly->op;
    cval vals[64], args[64];
    probe_ints ints[64];
    layer_values(ly, vals, ints, NULL);
    bind_c_args(o, vals, args);
    probe_ctx cx;
    ctx_reset(&cx);
    cx.ar = ar;
    int rc = reg_call(o, &cx, NULL, args);
    if (rc == 0 && cx.kind == PROBE_OK) return true;
    diag_set(err, ar, layer_span(net, ly, cx.param[0] ? bind_param_index(o, cx.param) : -1), PROBE_INVALID,
             o->name, "%s", cx.message[0] ? cx.message : "the layer refused its arguments without saying why");
    return false;
}

const bound_arg *layer_arg(const layer *ly, int p)
{
    for (int k = 0; k < ly->nargs; k++)
        if (ly->args[k].param == p) return &ly->args[k];
    return NULL;
}

infer_kind layer_infer(const layer *ly, int p)
{
    const bound_arg *a = layer_arg(ly, p);
    return a ? (infer_kind)a->infer : ly->op->params[p].infer_def;
}

int64_t layer_int(const layer *ly, int p)
{
    const bound_arg *a = layer_arg(ly, p);
    return a ? a->val.i : ly->op->params[p].cdef.i;
}

void layer_values(const layer *ly, cval *vals, probe_ints *ints, bool *known)
{
    const op *o = ly->op;
    for (int i = 0; i < o->nparams; i++) vals[i] = o->params[i].cdef;
    for (int k = 0; k < ly->nargs; k++) vals[ly->args[k].param] = ly->args[k].val;
    if (known) {
        for (int i = 0; i < o->nparams; i++) known[i] = o->params[i].infer_def == INFER_NONE;
        for (int k = 0; k < ly->nargs; k++) known[ly->args[k].param] = ly->args[k].infer == INFER_NONE;
    }
    for (int i = 0; i < o->nparams; i++) {
        if (!ptype_is_ints(o->params[i].type)) continue;
        if (vals[i].ints) ints[i] = *vals[i].ints;
        else memset(&ints[i], 0, sizeof ints[i]);
        vals[i].ints = &ints[i];
    }
}

src_span layer_span(const probe_net *net, const layer *ly, int p)
{
    const bound_arg *a = p >= 0 ? layer_arg(ly, p) : NULL;
    if (!a) return ly->name_span;
    uint32_t off = ly->name_span.off + a->off;
    return lex_locate(net->text, ly->name_span, off, off + a->len);
}

const char *layer_label(const probe_net *net, const layer *ly, size_t *len)
{
    *len = ly->label_len;
    return ly->label_len ? net->text + ly->label_off : NULL;
}
