/* schema.c - parses a layer's signature, written as Python writes one:
 *   schema := NAME '(' [param {',' param}] ')'
 *   param  := '*' | '...' | ['~'] NAME ':' TYPE {FLAG} ['=' VALUE]
 *   FLAG   := '?' | 'in'
 * Shared by the registry and the build-time prototype generator. */
#include "registry.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const struct { const char *name, *ctype; } type_table[PT_COUNT] = {
    [PT_I64] = {"i64", "int64_t"},
    [PT_F64] = {"f64", "double"},
    [PT_BOOL] = {"bool", "int"},
    [PT_STR] = {"str", "const char *"},
    [PT_PAIR] = {"pair", "probe_pair"},
    [PT_FPAIR] = {"fpair", "probe_fpair"},
    [PT_PAD] = {"pad", "probe_pair"},
    [PT_INTS] = {"ints", "const probe_ints *"},
    [PT_ANY] = {"any", NULL},
};

const char *reg_ctype(ptype t) { return type_table[t].ctype; }
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

static bool parse_param(arena *ar, const char *s, size_t n, param *pm, char *err, size_t errlen)
{
    memset(pm, 0, sizeof *pm);
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
    if (!eq) {
        pm->required = true;
        if (pm->repr_only) { snprintf(err, errlen, "'~%s' needs a default", pm->name); return false; }
        return true;
    }
    const char *d = eq + 1;
    size_t dn = n - (size_t)(d - s);
    trim(&d, &dn);
    parse_error perr;
    if (!parse_value_text(ar, d, dn, &pm->def, &perr)) {
        snprintf(err, errlen, "parameter '%s': bad default '%.*s': %s", pm->name, (int)dn, d, perr.message);
        return false;
    }
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
        if (!parse_param(ar, ps, pn, &tmp[np], err, errlen)) return false;
        tmp[np].keyword_only = kw_only || tmp[np].repr_only;
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
        np++;
    }
    if (depth != 0) { snprintf(err, errlen, "schema of '%s' has unbalanced brackets", out->name); return false; }
    out->nparams = np;
    out->params = arena_alloc(ar, (size_t)(np ? np : 1) * sizeof(param));
    if (!out->params) { snprintf(err, errlen, "out of memory"); return false; }
    memcpy(out->params, tmp, (size_t)np * sizeof(param));
    return true;
}
