/* py_methods.c - the methods of Python's own values that model files
 * call: list.append/extend/insert/pop/index, dict.items/keys/values/get/
 * update, str.format/join/startswith/lower/upper/split. */
#include "py/py_interp.h"

#include <stdio.h>
#include <string.h>

#define METHOD(name) static bool name(py *P, const pyval *self, const pycall_args *a, pyval *out)

static bool changeable(py *P, bool frozen, src_span at)
{
    if (!frozen || P->building) return true;
    return py_unsupported(P, at, "forward() changes a list or dict that __init__ made: probe cannot follow it");
}

METHOD(m_append)
{
    if (a->npos != 1 || a->nkw) return py_raise(P, a->at, "TypeError", "list.append() takes exactly one argument (%zu given)", a->npos);
    *out = pv_none();
    return changeable(P, self->seq->frozen, a->at) && py_seq_push(P, self->seq, a->pos[0], a->at);
}

METHOD(m_extend)
{
    pyseq *s;
    if (a->npos != 1 || a->nkw) return py_raise(P, a->at, "TypeError", "list.extend() takes exactly one argument (%zu given)", a->npos);
    if (!changeable(P, self->seq->frozen, a->at) || !py_iter_items(P, &a->pos[0], a->at, &s)) return false;
    size_t n = s->n;
    for (size_t i = 0; i < n; i++)
        if (!py_seq_push(P, self->seq, s->v[i], a->at)) return false;
    *out = pv_none();
    return true;
}

METHOD(m_insert)
{
    int64_t i;
    if (a->npos != 2 || !py_as_int(&a->pos[0], &i)) return py_raise(P, a->at, "TypeError", "insert expected 2 arguments");
    pyseq *s = self->seq;
    if (!changeable(P, s->frozen, a->at) || !py_seq_push(P, s, pv_none(), a->at)) return false;
    int64_t n = (int64_t)s->n - 1;
    if (i < 0) i = i + n < 0 ? 0 : i + n;
    if (i > n) i = n;
    memmove(&s->v[i + 1], &s->v[i], (size_t)(n - i) * sizeof *s->v);
    s->v[i] = a->pos[1];
    *out = pv_none();
    return true;
}

METHOD(m_pop)
{
    pyseq *s = self->seq;
    int64_t i = -1;
    if (a->npos > 1 || (a->npos && !py_as_int(&a->pos[0], &i))) return py_raise(P, a->at, "TypeError", "pop expected at most 1 argument");
    if (!changeable(P, s->frozen, a->at)) return false;
    if (!s->n) return py_raise(P, a->at, "IndexError", "pop from empty list");
    if (i < 0) i += (int64_t)s->n;
    if (i < 0 || (size_t)i >= s->n) return py_raise(P, a->at, "IndexError", "pop index out of range");
    *out = s->v[i];
    memmove(&s->v[i], &s->v[i + 1], (s->n - (size_t)i - 1) * sizeof *s->v);
    s->n--;
    return true;
}

METHOD(m_index)
{
    if (a->npos != 1) return py_raise(P, a->at, "TypeError", "index expected 1 argument");
    for (size_t i = 0; i < self->seq->n; i++)
        if (py_equal(&self->seq->v[i], &a->pos[0])) {
            *out = pv_int((int64_t)i);
            return true;
        }
    return py_raise(P, a->at, "ValueError", "value is not in list");
}

METHOD(m_count)
{
    if (a->npos != 1) return py_raise(P, a->at, "TypeError", "count() takes exactly one argument");
    int64_t n = 0;
    for (size_t i = 0; i < self->seq->n; i++) n += py_equal(&self->seq->v[i], &a->pos[0]);
    *out = pv_int(n);
    return true;
}

/* dict views are lists: a model file walks them once */
static bool dict_view(py *P, const pyval *self, const pycall_args *a, int which, pyval *out)
{
    const pydict *d = self->dict;
    pyseq *s = py_seq_new(P, d->n, a->at);
    if (!s) return false;
    for (size_t i = 0; i < d->n; i++) {
        if (which == 0) { s->v[s->n++] = d->keys[i]; continue; }
        if (which == 1) { s->v[s->n++] = d->vals[i]; continue; }
        pyseq *t = py_seq_new(P, 2, a->at);
        if (!t) return false;
        t->v[t->n++] = d->keys[i];
        t->v[t->n++] = d->vals[i];
        s->v[s->n].kind = PV_TUPLE;
        s->v[s->n++].seq = t;
    }
    out->kind = PV_LIST;
    out->seq = s;
    return true;
}
METHOD(m_keys) { return dict_view(P, self, a, 0, out); }
METHOD(m_values) { return dict_view(P, self, a, 1, out); }
METHOD(m_items) { return dict_view(P, self, a, 2, out); }

METHOD(m_get)
{
    if (a->npos < 1 || a->npos > 2) return py_raise(P, a->at, "TypeError", "get expected 1 or 2 arguments");
    pyval *v = py_dict_get(self->dict, &a->pos[0]);
    *out = v ? *v : a->npos == 2 ? a->pos[1] : pv_none();
    return true;
}

METHOD(m_update)
{
    if (!changeable(P, self->dict->frozen, a->at)) return false;
    if (a->npos == 1 && a->pos[0].kind == PV_DICT)
        for (size_t i = 0; i < a->pos[0].dict->n; i++)
            if (!py_dict_set(P, self->dict, a->pos[0].dict->keys[i], a->pos[0].dict->vals[i], a->at)) return false;
    for (size_t k = 0; k < a->nkw; k++) {
        pyval key = pv_str(P, a->kwnames[k], a->at);
        if (P->failed || !py_dict_set(P, self->dict, key, a->kw[k], a->at)) return false;
    }
    *out = pv_none();
    return true;
}

/* str.format: {} and {0} and {name}, each value as str() shows it */
METHOD(m_format)
{
    const pystr *fmt = self->s;
    sb s;
    sb_init(&s);
    size_t next = 0;
    for (size_t i = 0; i < fmt->n; i++) {
        char c = fmt->s[i];
        if ((c == '{' || c == '}') && i + 1 < fmt->n && fmt->s[i + 1] == c) {
            sb_putc(&s, c);
            i++;
            continue;
        }
        if (c != '{') { sb_putc(&s, c); continue; }
        const char *end = memchr(fmt->s + i, '}', fmt->n - i);
        if (!end) break;
        size_t len = (size_t)(end - fmt->s) - i - 1;
        const pyval *v = NULL;
        if (!len && next < a->npos) v = &a->pos[next++];
        else if (len && fmt->s[i + 1] >= '0' && fmt->s[i + 1] <= '9') {
            size_t k = (size_t)(fmt->s[i + 1] - '0');
            if (k < a->npos) v = &a->pos[k];
        } else {
            for (size_t k = 0; k < a->nkw; k++)
                if (strlen(a->kwnames[k]) == len && !memcmp(a->kwnames[k], fmt->s + i + 1, len)) v = &a->kw[k];
        }
        if (!v) {
            sb_free(&s);
            return py_unsupported(P, a->at, "probe cannot follow this str.format() call");
        }
        if (v->kind == PV_STR) sb_putn(&s, v->s->s, v->s->n);
        else py_repr(v, &s);
        i += len + 1;
    }
    *out = pv_str(P, s.buf ? s.buf : "", a->at);
    sb_free(&s);
    return !P->failed;
}

METHOD(m_join)
{
    pyseq *items;
    if (a->npos != 1 || !py_iter_items(P, &a->pos[0], a->at, &items)) return P->failed ? false : py_raise(P, a->at, "TypeError", "join() takes exactly one argument");
    sb s;
    sb_init(&s);
    for (size_t i = 0; i < items->n; i++) {
        if (items->v[i].kind != PV_STR) {
            sb_free(&s);
            return py_raise(P, a->at, "TypeError", "sequence item %zu: expected str instance, %s found", i, py_type_name(&items->v[i]));
        }
        if (i) sb_putn(&s, self->s->s, self->s->n);
        sb_putn(&s, items->v[i].s->s, items->v[i].s->n);
        if (s.len > PY_MAX_ITEMS) break;
    }
    *out = pv_str(P, s.buf ? s.buf : "", a->at);
    sb_free(&s);
    return !P->failed;
}

static bool str_affix(py *P, const pyval *self, const pycall_args *a, bool start, pyval *out)
{
    if (a->npos != 1 || a->pos[0].kind != PV_STR) return py_raise(P, a->at, "TypeError", "expected one str argument");
    const pystr *x = self->s, *p = a->pos[0].s;
    bool r = p->n <= x->n && !memcmp(start ? x->s : x->s + x->n - p->n, p->s, p->n);
    *out = pv_bool(r);
    return true;
}
METHOD(m_startswith) { return str_affix(P, self, a, true, out); }
METHOD(m_endswith) { return str_affix(P, self, a, false, out); }

static bool str_case(py *P, const pyval *self, const pycall_args *a, bool upper, pyval *out)
{
    pystr *r = py_str_new(P, self->s->s, self->s->n, a->at);
    if (!r) return false;
    for (size_t i = 0; i < r->n; i++) {
        char c = r->s[i];
        if (upper && c >= 'a' && c <= 'z') r->s[i] = (char)(c - 32);
        if (!upper && c >= 'A' && c <= 'Z') r->s[i] = (char)(c + 32);
    }
    out->kind = PV_STR;
    out->s = r;
    return true;
}
METHOD(m_lower) { return str_case(P, self, a, false, out); }
METHOD(m_upper) { return str_case(P, self, a, true, out); }

static const pynative list_methods[] = {
    { "append", m_append, NULL }, { "extend", m_extend, NULL }, { "insert", m_insert, NULL },
    { "pop", m_pop, NULL }, { "index", m_index, NULL }, { "count", m_count, NULL },
};
static const pynative tuple_methods[] = { { "index", m_index, NULL }, { "count", m_count, NULL } };
static const pynative dict_methods[] = {
    { "keys", m_keys, NULL }, { "values", m_values, NULL }, { "items", m_items, NULL },
    { "get", m_get, NULL }, { "update", m_update, NULL },
};
static const pynative str_methods[] = {
    { "format", m_format, NULL }, { "join", m_join, NULL }, { "startswith", m_startswith, NULL },
    { "endswith", m_endswith, NULL }, { "lower", m_lower, NULL }, { "upper", m_upper, NULL },
};

static const pynative *find(const pynative *t, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(t[i].name, name)) return &t[i];
    return NULL;
}

bool py_builtin_method(py *P, const pyval *obj, const char *name, src_span at, pyval *out, bool *found)
{
    const pynative *m = NULL;
#define IN(t) find(t, sizeof t / sizeof t[0], name)
    switch (obj->kind) {
    case PV_LIST: m = IN(list_methods); break;
    case PV_TUPLE: m = IN(tuple_methods); break;
    case PV_DICT: m = IN(dict_methods); break;
    case PV_STR: m = IN(str_methods); break;
    default: break;
    }
#undef IN
    *found = m != NULL;
    return !m || pv_native_bound(P, m, obj, at, out);
}
