/* py_dump.h - the Python tree as a compact s-expression, for the parser's
 * tests: (Assign (Attribute (Name self) conv1) (Call (Attribute (Name nn)
 * Conv2d) 3 6 5)). Statement lists are [s1 s2]; an absent part is _. */
#ifndef PROBE_TEST_PY_DUMP_H
#define PROBE_TEST_PY_DUMP_H

#include <stdio.h>
#include <string.h>
#include "py/py_parse.h"

static void dump_x(sb *o, const pyx *e);
static void dump_body(sb *o, const pys_list *l);

static void dump_list(sb *o, const pyx_list *l)
{
    for (uint32_t i = 0; i < l->n; i++) {
        sb_putc(o, ' ');
        dump_x(o, l->v[i]);
    }
}

static void dump_opt(sb *o, const pyx *e)
{
    sb_putc(o, ' ');
    if (e) dump_x(o, e);
    else sb_putc(o, '_');
}

static void dump_str(sb *o, const char *s, size_t n, bool bytes)
{
    sb_puts(o, bytes ? "b'" : "'");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\'' || c == '\\') sb_printf(o, "\\%c", c);
        else if (c < 0x20 || c == 0x7F) sb_printf(o, "\\x%02x", c);
        else sb_putc(o, (char)c);
    }
    sb_putc(o, '\'');
}

static void dump_param(sb *o, const pyparam *a, const char *prefix)
{
    sb_printf(o, " %s%s", prefix, a->name);
    if (a->ann) { sb_putc(o, ':'); dump_x(o, a->ann); }
    if (a->def) { sb_putc(o, '='); dump_x(o, a->def); }
}

static void dump_params(sb *o, const pyparams *ps)
{
    sb_puts(o, "(args");
    for (uint32_t i = 0; i < ps->n; i++) {
        if (i == ps->kwonly) sb_puts(o, ps->vararg.name ? "" : " *");
        if (i == ps->kwonly && ps->vararg.name) dump_param(o, &ps->vararg, "*");
        dump_param(o, &ps->v[i], "");
        if (i + 1 == ps->nposonly) sb_puts(o, " /");
    }
    if (ps->kwonly == ps->n && ps->vararg.name) dump_param(o, &ps->vararg, "*");
    if (ps->kwarg.name) dump_param(o, &ps->kwarg, "**");
    sb_putc(o, ')');
}

static void dump_comp(sb *o, const pyx *e)
{
    for (uint32_t i = 0; i < e->comp.ngens; i++) {
        const pycomp *c = &e->comp.gens[i];
        sb_puts(o, c->async_ ? " (async-for " : " (for ");
        dump_x(o, c->target);
        dump_opt(o, c->iter);
        for (uint32_t k = 0; k < c->ifs.n; k++) {
            sb_puts(o, " (if ");
            dump_x(o, c->ifs.v[k]);
            sb_putc(o, ')');
        }
        sb_putc(o, ')');
    }
}

static const char *const dump_cmp_text[] = { "==", "!=", "<", "<=", ">", ">=", "is", "is-not", "in", "not-in" };

static void dump_x(sb *o, const pyx *e)
{
    switch (e->kind) {
    case PYX_NAME: sb_printf(o, "(Name %s)", e->name.id); return;
    case PYX_INT: sb_printf(o, "%lld", (long long)e->i); return;
    case PYX_BIGINT: sb_printf(o, "(BigInt %s)", e->str.s); return;
    case PYX_FLOAT: {
        char buf[40];
        snprintf(buf, sizeof buf, "%.17g", e->f);
        sb_puts(o, buf);
        if (!strpbrk(buf, ".eni")) sb_puts(o, ".0");
        return;
    }
    case PYX_STR: dump_str(o, e->str.s, e->str.n, e->str.bytes); return;
    case PYX_FSTR: sb_printf(o, "(JoinedStr %s)", e->str.s); return;
    case PYX_CONST: sb_puts(o, (const char *[]){ "None", "True", "False", "..." }[e->konst]); return;
    default: break;
    }
    sb_printf(o, "(%s", pyparse_expr_name(e->kind));
    switch (e->kind) {
    case PYX_ATTR: dump_opt(o, e->attr.value); sb_printf(o, " %s", e->attr.name); break;
    case PYX_SUBSCRIPT: dump_opt(o, e->sub.value); dump_opt(o, e->sub.index); break;
    case PYX_SLICE: dump_opt(o, e->slice.lo); dump_opt(o, e->slice.hi); dump_opt(o, e->slice.step); break;
    case PYX_CALL: dump_opt(o, e->call.func); dump_list(o, &e->call.args); dump_list(o, &e->call.kws); break;
    case PYX_BINOP: sb_printf(o, " %s", pylex_op_text(e->bin.op)); dump_opt(o, e->bin.l); dump_opt(o, e->bin.r); break;
    case PYX_UNARY: sb_printf(o, " %s", e->un.op ? pylex_op_text(e->un.op) : "not"); dump_opt(o, e->un.x); break;
    case PYX_BOOLOP: sb_puts(o, e->boolop.is_and ? " and" : " or"); dump_list(o, &e->boolop.vals); break;
    case PYX_COMPARE:
        dump_opt(o, e->cmp.left);
        for (uint32_t i = 0; i < e->cmp.rest.n; i++) {
            sb_printf(o, " %s", dump_cmp_text[e->cmp.ops[i]]);
            dump_opt(o, e->cmp.rest.v[i]);
        }
        break;
    case PYX_IFEXP: dump_opt(o, e->ifexp.test); dump_opt(o, e->ifexp.body); dump_opt(o, e->ifexp.orelse); break;
    case PYX_TUPLE: case PYX_LIST: case PYX_SET: dump_list(o, &e->elts); break;
    case PYX_DICT:
        for (uint32_t i = 0; i < e->dict.keys.n; i++) {
            if (e->dict.keys.v[i]) dump_opt(o, e->dict.keys.v[i]);
            else sb_puts(o, " **");
            dump_opt(o, e->dict.vals.v[i]);
        }
        break;
    case PYX_LISTCOMP: case PYX_SETCOMP: case PYX_GENEXP: case PYX_DICTCOMP:
        dump_opt(o, e->comp.elt);
        if (e->kind == PYX_DICTCOMP) dump_opt(o, e->comp.val);
        dump_comp(o, e);
        break;
    case PYX_LAMBDA: sb_putc(o, ' '); dump_params(o, &e->lambda.params); dump_opt(o, e->lambda.body); break;
    case PYX_STARRED: dump_opt(o, e->starred.value); break;
    case PYX_DSTARRED: sb_puts(o, " **"); dump_opt(o, e->starred.value); break;
    case PYX_KEYWORD: sb_printf(o, " %s", e->kw.name); dump_opt(o, e->kw.value); break;
    case PYX_NAMEDEXPR: dump_opt(o, e->named.target); dump_opt(o, e->named.value); break;
    case PYX_YIELD:
        sb_puts(o, (const char *[]){ "", " from", " await" }[e->yield.how]);
        if (e->yield.value) dump_opt(o, e->yield.value);
        break;
    default: break;
    }
    sb_putc(o, ')');
}

static void dump_s(sb *o, const pys *s);

static void dump_body(sb *o, const pys_list *l)
{
    sb_puts(o, " [");
    for (uint32_t i = 0; i < l->n; i++) {
        if (i) sb_putc(o, ' ');
        dump_s(o, l->v[i]);
    }
    sb_putc(o, ']');
}

static void dump_orelse(sb *o, const pys_list *l)
{
    if (l->n) dump_body(o, l);
}

static void dump_import(sb *o, const pys *s)
{
    if (s->kind == PYS_IMPORTFROM) sb_printf(o, " %.*s%s", s->import_.level, "........................", s->import_.module ? s->import_.module : "");
    for (uint32_t i = 0; i < s->import_.n; i++) {
        sb_printf(o, " %s", s->import_.names[i].name);
        if (s->import_.names[i].asname) sb_printf(o, ":%s", s->import_.names[i].asname);
    }
}

static void dump_compound(sb *o, const pys *s)
{
    switch (s->kind) {
    case PYS_IF: dump_opt(o, s->if_.test); dump_body(o, &s->if_.body); dump_orelse(o, &s->if_.orelse); break;
    case PYS_FOR:
        if (s->for_.async_) sb_puts(o, " async");
        dump_opt(o, s->for_.target); dump_opt(o, s->for_.iter);
        dump_body(o, &s->for_.body); dump_orelse(o, &s->for_.orelse);
        break;
    case PYS_WHILE: dump_opt(o, s->while_.test); dump_body(o, &s->while_.body); dump_orelse(o, &s->while_.orelse); break;
    case PYS_DEF:
        for (uint32_t i = 0; i < s->def_.decorators.n; i++) { sb_puts(o, " @"); dump_x(o, s->def_.decorators.v[i]); }
        sb_printf(o, "%s %s ", s->def_.async_ ? " async" : "", s->def_.name);
        dump_params(o, &s->def_.params);
        if (s->def_.returns) { sb_puts(o, " ->"); dump_opt(o, s->def_.returns); }
        dump_body(o, &s->def_.body);
        break;
    case PYS_CLASS:
        for (uint32_t i = 0; i < s->class_.decorators.n; i++) { sb_puts(o, " @"); dump_x(o, s->class_.decorators.v[i]); }
        sb_printf(o, " %s", s->class_.name);
        dump_list(o, &s->class_.bases);
        dump_list(o, &s->class_.kws);
        dump_body(o, &s->class_.body);
        break;
    case PYS_TRY:
        dump_body(o, &s->try_.body);
        for (uint32_t i = 0; i < s->try_.nhandlers; i++) {
            const pyhandler *h = &s->try_.handlers[i];
            sb_puts(o, " (except");
            dump_opt(o, h->type);
            sb_printf(o, " %s", h->name ? h->name : "_");
            dump_body(o, &h->body);
            sb_putc(o, ')');
        }
        if (s->try_.orelse.n) { sb_puts(o, " else"); dump_body(o, &s->try_.orelse); }
        if (s->try_.finalbody.n) { sb_puts(o, " finally"); dump_body(o, &s->try_.finalbody); }
        break;
    case PYS_WITH:
        if (s->with_.async_) sb_puts(o, " async");
        for (uint32_t i = 0; i < s->with_.n; i++) {
            sb_puts(o, " (item");
            dump_opt(o, s->with_.items[i].ctx);
            if (s->with_.items[i].var) dump_opt(o, s->with_.items[i].var);
            sb_putc(o, ')');
        }
        dump_body(o, &s->with_.body);
        break;
    default: break;
    }
}

static void dump_s(sb *o, const pys *s)
{
    sb_printf(o, "(%s", pyparse_stmt_name(s->kind));
    switch (s->kind) {
    case PYS_EXPR: case PYS_RETURN: if (s->expr) dump_opt(o, s->expr); break;
    case PYS_ASSIGN: dump_list(o, &s->assign.targets); dump_opt(o, s->assign.value); break;
    case PYS_AUGASSIGN:
        dump_opt(o, s->aug.target); sb_printf(o, " %s=", pylex_op_text(s->aug.op)); dump_opt(o, s->aug.value);
        break;
    case PYS_ANNASSIGN: dump_opt(o, s->ann.target); dump_opt(o, s->ann.ann); if (s->ann.value) dump_opt(o, s->ann.value); break;
    case PYS_IMPORT: case PYS_IMPORTFROM: dump_import(o, s); break;
    case PYS_RAISE: if (s->raise_.exc) dump_opt(o, s->raise_.exc); if (s->raise_.cause) dump_opt(o, s->raise_.cause); break;
    case PYS_ASSERT: dump_opt(o, s->assert_.test); if (s->assert_.msg) dump_opt(o, s->assert_.msg); break;
    case PYS_DEL: dump_list(o, &s->elts); break;
    case PYS_GLOBAL: case PYS_NONLOCAL: for (uint32_t i = 0; i < s->names.n; i++) sb_printf(o, " %s", s->names.v[i]); break;
    default: dump_compound(o, s); break;
    }
    sb_putc(o, ')');
}

/* The module's statements, one s-expression each, joined by spaces. */
static void dump_module(sb *o, const pymodule *m)
{
    for (uint32_t i = 0; i < m->body.n; i++) {
        if (i) sb_putc(o, ' ');
        dump_s(o, m->body.v[i]);
    }
}

#endif
