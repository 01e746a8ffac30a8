/*
 * fuzz_py.c - libFuzzer target: arbitrary bytes as a Python model file
 * through the tokenizer and the parser (pyparse), the tree then walked
 * whole: every node's span must lie within the text.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "py/py_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t text_len;

static void check_span(src_span s)
{
    if (s.off > s.end || s.end > text_len || s.line == 0) abort();
}

static void walk_x(const pyx *e, int depth);

static void walk_list(const pyx_list *l, int depth)
{
    for (uint32_t i = 0; i < l->n; i++) walk_x(l->v[i], depth);
}

/* Every expression a node holds (the kinds that hold others). */
static void walk_x(const pyx *e, int depth)
{
    if (!e) return;
    if (depth > 4 * PYPARSE_MAX_DEPTH) abort();      /* the limit holds for the tree too */
    check_span(e->span);
    depth++;
    switch (e->kind) {
    case PYX_ATTR: walk_x(e->attr.value, depth); break;
    case PYX_SUBSCRIPT: walk_x(e->sub.value, depth); walk_x(e->sub.index, depth); break;
    case PYX_SLICE: walk_x(e->slice.lo, depth); walk_x(e->slice.hi, depth); walk_x(e->slice.step, depth); break;
    case PYX_CALL: walk_x(e->call.func, depth); walk_list(&e->call.args, depth); walk_list(&e->call.kws, depth); break;
    case PYX_BINOP: walk_x(e->bin.l, depth); walk_x(e->bin.r, depth); break;
    case PYX_UNARY: walk_x(e->un.x, depth); break;
    case PYX_BOOLOP: walk_list(&e->boolop.vals, depth); break;
    case PYX_COMPARE: walk_x(e->cmp.left, depth); walk_list(&e->cmp.rest, depth); break;
    case PYX_IFEXP: walk_x(e->ifexp.test, depth); walk_x(e->ifexp.body, depth); walk_x(e->ifexp.orelse, depth); break;
    case PYX_TUPLE: case PYX_LIST: case PYX_SET: walk_list(&e->elts, depth); break;
    case PYX_DICT: walk_list(&e->dict.keys, depth); walk_list(&e->dict.vals, depth); break;
    case PYX_LISTCOMP: case PYX_SETCOMP: case PYX_GENEXP: case PYX_DICTCOMP:
        walk_x(e->comp.elt, depth);
        walk_x(e->comp.val, depth);
        for (uint32_t i = 0; i < e->comp.ngens; i++) {
            walk_x(e->comp.gens[i].target, depth);
            walk_x(e->comp.gens[i].iter, depth);
            walk_list(&e->comp.gens[i].ifs, depth);
        }
        break;
    case PYX_LAMBDA: walk_x(e->lambda.body, depth); break;
    case PYX_STARRED: case PYX_DSTARRED: walk_x(e->starred.value, depth); break;
    case PYX_KEYWORD: walk_x(e->kw.value, depth); break;
    case PYX_NAMEDEXPR: walk_x(e->named.target, depth); walk_x(e->named.value, depth); break;
    case PYX_YIELD: walk_x(e->yield.value, depth); break;
    default: break;
    }
}

static void walk_body(const pys_list *l, int depth);

static void walk_s(const pys *s, int depth)
{
    check_span(s->span);
    switch (s->kind) {
    case PYS_EXPR: case PYS_RETURN: walk_x(s->expr, depth); break;
    case PYS_ASSIGN: walk_list(&s->assign.targets, depth); walk_x(s->assign.value, depth); break;
    case PYS_AUGASSIGN: walk_x(s->aug.target, depth); walk_x(s->aug.value, depth); break;
    case PYS_ANNASSIGN: walk_x(s->ann.target, depth); walk_x(s->ann.ann, depth); walk_x(s->ann.value, depth); break;
    case PYS_IF: walk_x(s->if_.test, depth); walk_body(&s->if_.body, depth); walk_body(&s->if_.orelse, depth); break;
    case PYS_FOR: walk_x(s->for_.iter, depth); walk_body(&s->for_.body, depth); walk_body(&s->for_.orelse, depth); break;
    case PYS_WHILE: walk_x(s->while_.test, depth); walk_body(&s->while_.body, depth); break;
    case PYS_DEF: walk_body(&s->def_.body, depth); walk_list(&s->def_.decorators, depth); break;
    case PYS_CLASS: walk_body(&s->class_.body, depth); walk_list(&s->class_.bases, depth); break;
    case PYS_TRY:
        walk_body(&s->try_.body, depth);
        for (uint32_t i = 0; i < s->try_.nhandlers; i++) walk_body(&s->try_.handlers[i].body, depth);
        break;
    case PYS_WITH:
        for (uint32_t i = 0; i < s->with_.n; i++) walk_x(s->with_.items[i].ctx, depth);
        walk_body(&s->with_.body, depth);
        break;
    case PYS_DEL: walk_list(&s->elts, depth); break;
    default: break;
    }
}

static void walk_body(const pys_list *l, int depth)
{
    if (depth > 4 * PYPARSE_MAX_DEPTH) abort();
    for (uint32_t i = 0; i < l->n; i++) walk_s(l->v[i], depth + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena ar;
    arena_init(&ar);
    pymodule m;
    pyparse_error err;
    text_len = size;
    if (pyparse((const char *)data, size, &ar, &m, &err, NULL, NULL)) {
        walk_body(&m.body, 0);
    } else {
        if (!err.d.message) abort();        /* every error has its message */
        if (err.d.at.end > size && !ar.failed) abort();
    }
    arena_free(&ar);
    return 0;
}
