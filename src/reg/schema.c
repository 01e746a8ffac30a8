/* schema.c - parses a layer's signature, written as Python writes one:
 *   schema := NAME ['[' RANK ']'] '(' [param {',' param}] ')'
 *   param  := '*' | '...' | ['~'] NAME ':' TYPE {FLAG} ['=' VALUE]
 *   FLAG   := '?' | 'in'
 * Shared by the registry and the build-time prototype generator. */
#include "reg/registry.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* name: as a schema writes it; ctype: as a generated prototype does;
 * member: the cval member that holds it, as a generated direct call reads
 * it (tools/genproto) */
static const struct { const char *name, *ctype, *member; } type_table[PT_COUNT] = {
    [PT_I64] = {"i64", "int64_t", "i"},
    [PT_F64] = {"f64", "double", "f"},
    [PT_BOOL] = {"bool", "int", "b"},
    [PT_STR] = {"str", "const char *", "s"},
    [PT_PAIR] = {"pair", "probe_pair", "pair"},
    [PT_FPAIR] = {"fpair", "probe_fpair", "fpair"},
    [PT_PAD] = {"pad", "probe_pair", "pair"},
    [PT_INTS] = {"ints", "const probe_ints *", "ints"},
    [PT_SIZE] = {"size", "const probe_ints *", "ints"},
    [PT_PSIZE] = {"psize", "const probe_ints *", "ints"},
    [PT_TENSOR] = {"tensor", "const probe_tensor *", "tensor"},
    [PT_ANY] = {"any", NULL, NULL},
};

const char *reg_ctype(ptype t) { return type_table[t].ctype; }
const char *reg_cmember(ptype t) { return type_table[t].member; }
const char *reg_type_name(ptype t) { return type_table[t].name; }

static bool is_ident(const char *s, size_t n)
{
    if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_')) return false;
    for (size_t i = 1; i < n; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '_')) return false;
    return true;
}

static void trim(const char **s, size_t *n)
{
    while (*n && isspace((unsigned char)**s)) { (*s)++; (*n)--; }
    while (*n && isspace((unsigned char)(*s)[*n - 1])) (*n)--;
}

/* The next word of s[0..n): letters, digits, '_' or a lone '?'. */
static size_t word(const char *s, size_t n, size_t *start)
{
    size_t i = 0;
    while (i < n && isspace((unsigned char)s[i])) i++;
    *start = i;
    if (i < n && s[i] == '?') return 1;
    size_t j = i;
    while (j < n && (isalnum((unsigned char)s[j]) || s[j] == '_')) j++;
    return j - i;
}

/* ---- Python values to C values ---------------------------------------- */

/* An int, or None where the schema's default is None. */
static bool int_of(const value *v, bool none_ok, int64_t *out)
{
    if (v->kind == VAL_INT) { *out = v->i; return true; }
    if (v->kind == VAL_NONE && none_ok) { *out = PROBE_NONE; return true; }
    return false;
}

static bool num_of(const value *v, bool none_ok, double *out)
{
    if (v->kind == VAL_INT) { *out = (double)v->i; return true; }
    if (v->kind == VAL_FLOAT) { *out = v->f; return true; }
    if (v->kind == VAL_NONE && none_ok) { *out = NAN; return true; }
    return false;
}

static bool is_seq(const value *v) { return v->kind == VAL_TUPLE || v->kind == VAL_LIST; }

/* 'same' or 'valid' for a padding, as every value of the rank; false
 * (why set) for any other string. */
static bool pad_string(const char *s, int64_t *fill, const char **why)
{
    if (!strcmp(s, "same")) { *fill = PROBE_SAME; return true; }
    if (!strcmp(s, "valid")) { *fill = 0; return true; }
    *why = "bad padding string";
    return false;
}

/* A size or psize: what torch.nn's _single/_pair/_triple make of it, the
 * op's rank of ints. A bare int is repeated; a tuple or list must hold
 * exactly rank ints (PyTorch would build the layer and fail later: the
 * binder says so at once, as it always has for the 2-tuples). */
static bool size_of(const param *pm, const value *v, bool none_ok, probe_ints *store, const char **why)
{
    memset(store, 0, sizeof *store);
    int64_t fill = 0;
    bool filled = false;
    if (pm->type == PT_PSIZE && (v->kind == VAL_STR || v->kind == VAL_WORD)) {
        if (!pad_string(v->s, &fill, why)) return false;
        filled = true;
    } else if (v->kind == VAL_INT) {
        fill = v->i;
        filled = true;
    }
    if (filled) {
        store->n = pm->rank;
        for (int i = 0; i < pm->rank; i++) store->v[i] = fill;
        return true;
    }
    if (v->kind == VAL_NONE && none_ok) { store->n = -1; return true; }
    if (!is_seq(v) || v->n != pm->rank) return false;
    for (int i = 0; i < v->n; i++) {
        if (v->items[i].kind != VAL_INT) return false;
        store->v[i] = v->items[i].i;
    }
    store->n = v->n;
    store->tuple = 1;
    return true;
}

/* pair := int | (int, int) | None; pad adds 'same' and 'valid' (the
 * plugin ABI's 2-D types: built-ins use size and psize) */
static bool pair_of(const param *pm, const value *v, bool none_ok, cval *out, const char **why)
{
    if (pm->type == PT_PAD && (v->kind == VAL_STR || v->kind == VAL_WORD)) {
        int64_t fill;
        if (!pad_string(v->s, &fill, why)) return false;
        out->pair.h = out->pair.w = fill;
        return true;
    }
    if (v->kind == VAL_INT) { out->pair.h = out->pair.w = v->i; return true; }
    if (v->kind == VAL_NONE && none_ok) { out->pair.h = out->pair.w = PROBE_NONE; return true; }
    if (is_seq(v) && v->n == 2 && v->items[0].kind == VAL_INT && v->items[1].kind == VAL_INT) {
        out->pair.h = v->items[0].i;
        out->pair.w = v->items[1].i;
        return true;
    }
    return false;
}

/* fpair := number | (number, number) | None */
static bool fpair_of(const value *v, bool none_ok, cval *out)
{
    if (num_of(v, none_ok, &out->fpair.h)) {
        out->fpair.w = out->fpair.h;
        return true;
    }
    return is_seq(v) && v->n == 2 && num_of(&v->items[0], false, &out->fpair.h) &&
           num_of(&v->items[1], false, &out->fpair.w);
}

/* ints := int | (int, ...) | None, at most PROBE_MAX_DIMS of them, in
 * *store (the tuple flag tells (3,) from 3, as PyTorch does) */
static bool ints_of(const value *v, bool none_ok, cval *out, probe_ints *store, const char **why)
{
    memset(store, 0, sizeof *store);
    out->ints = store;
    if (v->kind == VAL_INT) { store->n = 1; store->v[0] = v->i; return true; }
    if (v->kind == VAL_NONE && none_ok) { store->n = -1; return true; }
    if (!is_seq(v)) return false;
    if (v->n > PROBE_MAX_DIMS) { *why = "too many values"; return false; }
    store->n = v->n;
    store->tuple = 1;
    for (int i = 0; i < v->n; i++)
        if (!int_of(&v->items[i], true, &store->v[i])) return false;
    return true;
}

bool schema_convert(const param *pm, const value *v, cval *out, probe_ints *store, const char **why)
{
    bool none_ok = !pm->required && pm->def.kind == VAL_NONE;
    *why = NULL;
    switch (pm->type) {
    case PT_I64:
        return int_of(v, none_ok, &out->i);
    case PT_F64:
        return num_of(v, none_ok, &out->f);
    case PT_BOOL:
        if (v->kind == VAL_BOOL || v->kind == VAL_INT) { out->b = v->i != 0; return true; }
        if (v->kind == VAL_NONE && none_ok) { out->b = -1; return true; }
        return false;
    case PT_STR:
        if (v->kind == VAL_STR || v->kind == VAL_WORD) { out->s = v->s; return true; }
        if (v->kind == VAL_NONE && none_ok) { out->s = NULL; return true; }
        return false;
    case PT_PAD:
    case PT_PAIR:
        return pair_of(pm, v, none_ok, out, why);
    case PT_FPAIR:
        return fpair_of(v, none_ok, out);
    case PT_INTS:
        return ints_of(v, none_ok, out, store, why);
    case PT_SIZE:
    case PT_PSIZE:
        out->ints = store;
        return size_of(pm, v, none_ok, store, why);
    case PT_TENSOR:
        /* None where the default is None; no literal is a tensor */
        if (v->kind == VAL_NONE && none_ok) { out->tensor = NULL; return true; }
        *why = "it takes a tensor, and nothing in a net.cfg can name one";
        return false;
    case PT_ANY:
    case PT_COUNT:
        return true;
    }
    return false;
}

static const value *reserved_in(const value *v)
{
    if (v->kind == VAL_INT) return v->i == PROBE_NONE || v->i == PROBE_SAME ? v : NULL;
    if (v->kind != VAL_TUPLE && v->kind != VAL_LIST) return NULL;
    for (int k = 0; k < v->n; k++) {
        const value *r = reserved_in(&v->items[k]);
        if (r) return r;
    }
    return NULL;
}

const value *schema_reserved_int(const param *pm, const value *v)
{
    bool reads_ints = pm->type == PT_I64 || pm->type == PT_PAIR || pm->type == PT_PAD || ptype_is_ints(pm->type);
    return reads_ints ? reserved_in(v) : NULL;
}

/* The default as the C value the shape function takes: computed once per
 * op, not once per layer. A default the type cannot take is a schema error,
 * found when the layer is registered. */
static bool convert_default(arena *ar, param *pm, char *err, size_t errlen)
{
    if (pm->type == PT_ANY) return true;
    const value *v = &pm->def;
    if (v->kind == VAL_QUESTION || (pm->repr_only && pm->inferable && v->kind == VAL_INT && v->i == 0)) {
        if (!pm->inferable) {
            snprintf(err, errlen, "parameter '%s': a '?' default needs the '?' flag", pm->name);
            return false;
        }
        pm->infer_def = INFER_LAZY;   /* a Lazy layer's size: found by the run */
        return true;
    }
    probe_ints *store = NULL;
    if (ptype_is_ints(pm->type) && !(store = arena_alloc(ar, sizeof *store))) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    const char *why = NULL;
    if (schema_reserved_int(pm, v))
        why = "an integer probe reserves for None or 'same'";
    else if (schema_convert(pm, v, &pm->cdef, store, &why))
        return true;
    snprintf(err, errlen, "parameter '%s': the default is not %s%s%s", pm->name, reg_type_name(pm->type),
             why ? ": " : "", why ? why : "");
    return false;
}

/* type_flags := type {'?' | 'in'}: the text between a parameter's ':'
 * and its '=' (or end), tn bytes at rest. */
static bool parse_type_flags(const char *rest, size_t tn, param *pm, char *err, size_t errlen)
{
    size_t at = 0, st, wl;
    wl = word(rest, tn, &st);
    bool found = false;
    for (int t = 0; t < PT_COUNT; t++) {
        if (wl == strlen(type_table[t].name) && !strncmp(rest + st, type_table[t].name, wl)) {
            pm->type = (ptype)t;
            found = true;
        }
    }
    if (!found) { snprintf(err, errlen, "parameter '%s' has an unknown type '%.*s'", pm->name, (int)wl, rest + st); return false; }
    at = st + wl;
    for (;;) {
        wl = word(rest + at, tn - at, &st);
        if (wl == 0) break;
        const char *w = rest + at + st;
        if (wl == 1 && w[0] == '?') pm->inferable = true;
        else if (wl == 2 && !strncmp(w, "in", 2)) pm->declares_input = true;
        else { snprintf(err, errlen, "parameter '%s' has an unknown flag '%.*s'", pm->name, (int)wl, w); return false; }
        at += st + wl;
    }
    for (size_t k = at; k < tn; k++) {
        if (!isspace((unsigned char)rest[k])) {
            snprintf(err, errlen, "parameter '%s': unexpected '%c'", pm->name, rest[k]);
            return false;
        }
    }
    if ((pm->inferable || pm->declares_input) && pm->type != PT_I64) {
        snprintf(err, errlen, "parameter '%s': '?' and 'in' need type i64", pm->name);
        return false;
    }
    return true;
}

/* param := [~] NAME ":" type_flags ["=" value] */
static bool parse_param(arena *ar, const char *s, size_t n, int rank, param *pm, char *err, size_t errlen)
{
    memset(pm, 0, sizeof *pm);
    pm->rank = (uint8_t)rank;
    if (n && s[0] == '~') { pm->repr_only = true; s++; n--; trim(&s, &n); }
    const char *colon = memchr(s, ':', n);
    if (!colon) { snprintf(err, errlen, "parameter '%.*s' has no ': type'", (int)n, s); return false; }
    size_t nn = (size_t)(colon - s);
    trim(&s, &nn);
    if (!is_ident(s, nn)) { snprintf(err, errlen, "bad parameter name '%.*s'", (int)nn, s); return false; }
    pm->name = arena_strndup(ar, s, nn);
    const char *rest = colon + 1;
    size_t rn = n - (size_t)(rest - s);
    const char *eq = memchr(rest, '=', rn);
    size_t tn = eq ? (size_t)(eq - rest) : rn;
    if (!parse_type_flags(rest, tn, pm, err, errlen)) return false;
    if ((pm->type == PT_SIZE || pm->type == PT_PSIZE) && rank == 0) {
        snprintf(err, errlen, "parameter '%s': a %s needs the layer's spatial rank, as in 'Name[2](...)'", pm->name,
                 reg_type_name(pm->type));
        return false;
    }
    if (!eq) {
        pm->required = true;
        if (pm->repr_only) { snprintf(err, errlen, "'~%s' needs a default", pm->name); return false; }
        return true;
    }
    const char *d = eq + 1;
    size_t dn = n - (size_t)(d - s);
    trim(&d, &dn);
    diag perr = { 0 };
    if (!parse_value_text(ar, d, dn, &pm->def, &perr)) {
        snprintf(err, errlen, "parameter '%s': bad default '%.*s': %s", pm->name, (int)dn, d, diag_message(&perr));
        return false;
    }
    return convert_default(ar, pm, err, errlen);
}

/* The '[rank]' at the end of a schema's name: takes it off *nn. A name
 * without one is of rank 0 (a plugin's, unless it says otherwise). */
static bool parse_rank(const char *s, size_t *nn, int *rank)
{
    *rank = 0;
    if (*nn == 0 || s[*nn - 1] != ']') return true;
    const char *open = memchr(s, '[', *nn);
    if (!open || open == s) return false;
    size_t digits = *nn - 1 - (size_t)(open - s) - 1;
    if (digits != 1 || open[1] < '1' || open[1] > '0' + PROBE_MAX_DIMS - 2) return false;
    *rank = open[1] - '0';
    *nn = (size_t)(open - s);
    return true;
}

/* Checks parameter tmp[np] against those before it, as Python checks a
 * signature (a name twice, a required one after a default), and counts
 * it among the positional and the C arguments. */
static bool count_param(op *out, const param *tmp, int np, char *err, size_t errlen)
{
    for (int k = 0; k < np; k++) {
        if (!strcmp(tmp[k].name, tmp[np].name)) {
            snprintf(err, errlen, "schema of '%s' names '%s' twice", out->name, tmp[np].name);
            return false;
        }
    }
    if (!tmp[np].keyword_only) {
        if (tmp[np].required && np > 0 && !tmp[np - 1].required && !tmp[np - 1].keyword_only) {
            snprintf(err, errlen, "schema of '%s': required '%s' follows a parameter with a default", out->name, tmp[np].name);
            return false;
        }
        out->npositional = np + 1;
    }
    if (tmp[np].type != PT_ANY) out->ncargs++;
    return true;
}

bool reg_parse_schema(arena *ar, const char *schema, op *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    const char *open = strchr(schema, '(');
    size_t len = strlen(schema);
    const char *s = schema;
    size_t nn = open ? (size_t)(open - schema) : 0;
    trim(&s, &nn);
    if (open && !parse_rank(s, &nn, &out->rank)) {
        snprintf(err, errlen, "schema of '%.*s': the rank in '[...]' must be 1 to %d", (int)nn, s, PROBE_MAX_DIMS - 2);
        return false;
    }
    if (!open || !is_ident(s, nn)) { snprintf(err, errlen, "schema must start with 'Name(': '%.60s'", schema); return false; }
    size_t close = len;
    while (close > 0 && isspace((unsigned char)schema[close - 1])) close--;
    if (close == 0 || schema[close - 1] != ')') { snprintf(err, errlen, "schema of '%.*s' must end with ')'", (int)nn, s); return false; }
    out->name = arena_strndup(ar, s, nn);
    out->schema_text = arena_strndup(ar, schema, len);
    const char *body = open + 1, *end = schema + close - 1;

    /* split at top-level commas */
    param tmp[64];
    int np = 0;
    bool kw_only = false;
    int depth = 0;
    const char *item = body;
    for (const char *c = body; c <= end; c++) {
        if (c < end && (*c == '(' || *c == '[')) depth++;
        if (c < end && (*c == ')' || *c == ']')) depth--;
        if (c < end && (*c != ',' || depth > 0)) continue;
        const char *ps = item;
        size_t pn = (size_t)(c - item);
        item = c + 1;
        trim(&ps, &pn);
        if (pn == 0) {
            if (c == end && np == 0 && !kw_only) break;
            snprintf(err, errlen, "schema of '%s' has an empty parameter", out->name);
            return false;
        }
        if (pn == 1 && ps[0] == '*') { kw_only = true; continue; }
        if (pn == 3 && !strncmp(ps, "...", 3)) { out->varargs = true; continue; }
        if (np == 64) { snprintf(err, errlen, "schema of '%s' has too many parameters", out->name); return false; }
        if (!parse_param(ar, ps, pn, out->rank, &tmp[np], err, errlen)) return false;
        tmp[np].keyword_only = kw_only || tmp[np].repr_only;
        if (!count_param(out, tmp, np, err, errlen)) return false;
        np++;
    }
    if (depth != 0) { snprintf(err, errlen, "schema of '%s' has unbalanced brackets", out->name); return false; }
    out->nparams = np;
    out->params = arena_alloc(ar, (size_t)(np ? np : 1) * sizeof(param));
    if (!out->params) { snprintf(err, errlen, "out of memory"); return false; }
    memcpy(out->params, tmp, (size_t)np * sizeof(param));
    return true;
}
