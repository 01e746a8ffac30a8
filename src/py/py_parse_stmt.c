/* py_parse_stmt.c - the Python parser's compound statements, blocks and
 * the file (pyparse), after CPython 3.11's Grammar/python.gram (one
 * function a rule, the rule above it). */
#include "py/py_parse_int.h"

#include <stdlib.h>
#include <string.h>

bool pp_simple_stmts(pp *p);
static bool statement(pp *p);

/* Where CPython places an error met at the end of the text: on the
 * file's last line end (just past the text when it has none). */
static src_span eof_place(const pp *p)
{
    const char *t = p->lx.text;
    size_t n = p->lx.len;
    src_span at = p->tok.span;
    if (n == 0 || (t[n - 1] != '\n' && t[n - 1] != '\r')) return p->prev;
    size_t nl = n - 1 - (n >= 2 && t[n - 2] == '\r' && t[n - 1] == '\n');
    size_t bol = nl;
    while (bol > 0 && t[bol - 1] != '\n' && t[bol - 1] != '\r') bol--;
    uint32_t col = 1;
    for (size_t i = bol; i < nl; i++) col += ((unsigned char)t[i] & 0xC0) != 0x80;
    at.line = p->tok.span.line > 1 ? p->tok.span.line - 1 : 1;
    at.col = col;
    at.off = at.end = (uint32_t)nl;
    return at;
}

/* Where CPython places an error "at the next token": at the end of the
 * text, eof_place; a DEDENT has CPython's column -1, printed as 0. */
static src_span next_place(const pp *p)
{
    if (p->tok.kind == PYTOK_ENDMARKER || (p->tok.kind == PYTOK_DEDENT && p->tok.span.off >= p->lx.len))
        return eof_place(p);
    src_span at = p->tok.span;
    if (p->tok.kind == PYTOK_DEDENT) at.col = 0;
    return at;
}

/* ':' after a compound statement's header: "expected ':'" where CPython
 * says it (always after `try`, `else`, `finally` and a def's `)`, else
 * only before the line's end), "invalid syntax" elsewhere. */
static bool colon(pp *p, bool forced)
{
    if (pp_accept(p, PYOP_COLON)) return true;
    if (forced || p->tok.kind == PYTOK_NEWLINE) return pp_fail(p, PYERR_SYNTAX, p->tok.span, "expected ':'");
    return pp_syntax_error(p);
}

/* block: NEWLINE INDENT statements DEDENT | simple_stmts
 * `what` and `line` name the statement for CPython's "expected an
 * indented block after ...". */
static bool block(pp *p, const char *what, uint32_t line, pys_list *out)
{
    size_t mark = p->stk_n;
    if (p->tok.kind == PYTOK_NEWLINE) {
        pp_adv(p);
        if (p->tok.kind != PYTOK_INDENT) {
            pp_fail(p, PYERR_INDENTATION, next_place(p), "expected an indented block after %s on line %u",
                    what, (unsigned)line);
            return false;
        }
        if (!pp_enter(p)) return false;
        pp_adv(p);
        while (!p->failed && p->tok.kind != PYTOK_DEDENT) statement(p);
        pp_leave(p);
        pp_adv(p);
    } else if (!pp_simple_stmts(p)) {
        return false;
    }
    out->v = (pys **)pp_take(p, mark, sizeof(pys *), &out->n);
    return !p->failed;
}

/* else_block: 'else' &&':' block  (none: an empty list) */
static bool else_block(pp *p, pys_list *out)
{
    if (!pp_is_kw(p, PYKW_ELSE)) return true;
    uint32_t line = p->tok.span.line;
    pp_adv(p);
    return colon(p, true) && block(p, "'else' statement", line, out);
}

/* if_stmt: 'if' named_expression ':' block elif_stmt | 'if' named_expression ':' block [else_block]
 * elif_stmt: 'elif' named_expression ':' block elif_stmt | 'elif' named_expression ':' block [else_block]
 * An elif chain is a loop (a thousand elifs do not recurse), each elif
 * the orelse of the one before, every span to the chain's end; each
 * nests the tree a level deeper and counts against the depth limit. */
static pys *if_stmt(pp *p)
{
    pys *first = NULL, *cur = NULL;
    int links = 0;
    do {
        if (first && !pp_enter(p)) return NULL;
        links += first != NULL;
        src_span start = p->tok.span;
        bool elif = first != NULL;
        pp_adv(p);
        pys *s = pp_stmt(p, PYS_IF, start);
        if (!s || !(s->if_.test = pp_named_expression(p)) || pp_equal_meant(p, s->if_.test) || !colon(p, false) ||
            !block(p, elif ? "'elif' statement" : "'if' statement", start.line, &s->if_.body))
            return NULL;
        if (cur) {
            cur->if_.orelse.v = pp_alloc(p, sizeof(pys *));
            if (!cur->if_.orelse.v) return NULL;
            cur->if_.orelse.v[0] = s;
            cur->if_.orelse.n = 1;
        }
        first = first ? first : s;
        cur = s;
    } while (pp_is_kw(p, PYKW_ELIF));
    p->depth -= links;
    if (!else_block(p, &cur->if_.orelse)) return NULL;
    for (pys *s = first;; s = s->if_.orelse.v[0]) {
        s->span = pp_span_to_here(p, s->span);
        if (s == cur) break;
    }
    return first;
}

/* for_stmt: [ASYNC] 'for' star_targets 'in' ~ star_expressions ':' block [else_block]
 * while_stmt: 'while' named_expression ':' block [else_block] */
static pys *loop_stmt(pp *p, src_span start, bool async_)
{
    bool is_for = pp_is_kw(p, PYKW_FOR);
    uint32_t line = p->tok.span.line;
    pp_adv(p);
    pys *s = pp_stmt(p, is_for ? PYS_FOR : PYS_WHILE, start);
    if (!s) return NULL;
    if (is_for) {
        s->for_.async_ = async_;
        if (!(s->for_.target = pp_star_targets(p))) return NULL;
        if (!pp_is_kw(p, PYKW_IN)) return pp_syntax_error(p);
        pp_adv(p);
        if (!(s->for_.iter = pp_star_expressions(p)) || !colon(p, false) ||
            !block(p, "'for' statement", line, &s->for_.body) || !else_block(p, &s->for_.orelse))
            return NULL;
    } else if (!(s->while_.test = pp_named_expression(p)) || pp_equal_meant(p, s->while_.test) || !colon(p, false) ||
               !block(p, "'while' statement", line, &s->while_.body) || !else_block(p, &s->while_.orelse)) {
        return NULL;
    }
    s->span = pp_span_to_here(p, start);
    return s;
}

/* with_item: expression 'as' star_target &(',' | ')' | ':') | expression */
static bool with_item(pp *p)
{
    pywithitem w = { 0 };
    if (!(w.ctx = pp_expression(p))) return false;
    if (pp_is_kw(p, PYKW_AS)) {
        pp_adv(p);
        if (!(w.var = pp_star_target(p)) || !pp_check_target(p, w.var, false)) return false;
    }
    return pp_push(p, &w, sizeof w);
}

/* with_stmt: [ASYNC] 'with' '(' ','.with_item+ ','? ')' ':' block
 *          | [ASYNC] 'with' ','.with_item+ ':' block
 * A '(' right after `with` is read as the parenthesized items (so `with
 * (a, b):` is two items, as in CPython); `with (a) as b` too. */
static pys *with_stmt(pp *p, src_span start, bool async_)
{
    uint32_t line = p->tok.span.line;
    pp_adv(p);
    size_t mark = p->stk_n;
    if (pp_accept(p, PYOP_LPAR)) {
        do {
            if (pp_is_op(p, PYOP_RPAR) && p->stk_n != mark) break;
            if (!with_item(p)) return NULL;
        } while (pp_accept(p, PYOP_COMMA));
        if (!pp_expect(p, PYOP_RPAR)) return NULL;
        pywithitem only;
        memcpy(&only, p->stk + mark, sizeof only);
        if (pp_is_kw(p, PYKW_AS) && p->stk_n - mark == sizeof only && !only.var) {
            pp_adv(p);
            if (!(only.var = pp_star_target(p)) || !pp_check_target(p, only.var, false)) return NULL;
            memcpy(p->stk + mark, &only, sizeof only);
        }
    } else {
        do {
            if (!with_item(p)) return NULL;
        } while (pp_accept(p, PYOP_COMMA));
    }
    pys *s = pp_stmt(p, PYS_WITH, start);
    if (!s) return NULL;
    s->with_.items = pp_take(p, mark, sizeof(pywithitem), &s->with_.n);
    s->with_.async_ = async_;
    if (!colon(p, false) || !block(p, "'with' statement", line, &s->with_.body)) return NULL;
    s->span = pp_span_to_here(p, start);
    return s;
}

/* except_block: 'except' expression ['as' NAME] ':' block | 'except' ':' block
 * except_star_block: 'except' '*' expression ['as' NAME] ':' block */
static bool except_block(pp *p)
{
    pyhandler h = { .span = p->tok.span };
    uint32_t line = p->tok.span.line;
    pp_adv(p);
    bool star = pp_accept(p, PYOP_STAR);
    if (star || (!pp_is_op(p, PYOP_COLON) && p->tok.kind != PYTOK_NEWLINE)) {
        if (!(h.type = pp_expression(p))) return false;
        if (pp_is_kw(p, PYKW_AS)) {
            pp_adv(p);
            if (p->tok.kind != PYTOK_NAME || p->tok.kw != PYKW_NAME) return pp_syntax_error(p);
            h.name = p->tok.s;
            pp_adv(p);
        }
    }
    if (!colon(p, false) || !block(p, star ? "'except*' statement" : "'except' statement", line, &h.body))
        return false;
    h.span = pp_span_to_here(p, h.span);
    return pp_push(p, &h, sizeof h);
}

/* try_stmt: 'try' &&':' block finally_block
 *         | 'try' &&':' block except_block+ [else_block] [finally_block]
 *         | 'try' &&':' block except_star_block+ [else_block] [finally_block]
 * finally_block: 'finally' &&':' block */
static pys *try_stmt(pp *p, src_span start)
{
    pp_adv(p);
    pys *s = pp_stmt(p, PYS_TRY, start);
    if (!s || !colon(p, true) || !block(p, "'try' statement", start.line, &s->try_.body)) return NULL;
    size_t mark = p->stk_n;
    while (pp_is_kw(p, PYKW_EXCEPT))
        if (!except_block(p)) return NULL;
    s->try_.handlers = pp_take(p, mark, sizeof(pyhandler), &s->try_.nhandlers);
    if (s->try_.nhandlers && !else_block(p, &s->try_.orelse)) return NULL;
    if (pp_is_kw(p, PYKW_FINALLY)) {
        uint32_t line = p->tok.span.line;
        pp_adv(p);
        if (!colon(p, true) || !block(p, "'finally' statement", line, &s->try_.finalbody)) return NULL;
    } else if (!s->try_.nhandlers) {
        return pp_fail(p, PYERR_SYNTAX, next_place(p), "expected 'except' or 'finally' block");
    }
    s->span = pp_span_to_here(p, start);
    return s;
}

/* function_def_raw: [ASYNC] 'def' NAME &&'(' [params] ')' ['->' expression] &&':' block */
static pys *function_def(pp *p, src_span start, bool async_)
{
    uint32_t line = p->tok.span.line;
    pp_adv(p);
    if (p->tok.kind != PYTOK_NAME || p->tok.kw != PYKW_NAME) return pp_syntax_error(p);
    pys *s = pp_stmt(p, PYS_DEF, start);
    if (!s) return NULL;
    s->def_.name = p->tok.s;
    s->def_.name_span = p->tok.span;
    s->def_.async_ = async_;
    pp_adv(p);
    if (!pp_is_op(p, PYOP_LPAR)) return pp_fail(p, PYERR_SYNTAX, p->tok.span, "expected '('");
    pp_adv(p);
    if (!pp_params(p, &s->def_.params, false) || !pp_expect(p, PYOP_RPAR)) return NULL;
    if (pp_accept(p, PYOP_RARROW) && !(s->def_.returns = pp_expression(p))) return NULL;
    if (!colon(p, true) || !block(p, "function definition", line, &s->def_.body)) return NULL;
    s->span = pp_span_to_here(p, start);
    return s;
}

/* class_def_raw: 'class' NAME ['(' [arguments] ')'] ':' block */
static pys *class_def(pp *p, src_span start)
{
    uint32_t line = p->tok.span.line;
    pp_adv(p);
    if (p->tok.kind != PYTOK_NAME || p->tok.kw != PYKW_NAME) return pp_syntax_error(p);
    pys *s = pp_stmt(p, PYS_CLASS, start);
    if (!s) return NULL;
    s->class_.name = p->tok.s;
    s->class_.name_span = p->tok.span;
    pp_adv(p);
    if (pp_is_op(p, PYOP_LPAR)) {
        src_span lpar = p->tok.span;
        pp_adv(p);
        pyx *args = pp_arguments(p, NULL, lpar);
        if (!args) return NULL;
        s->class_.bases = args->call.args;
        s->class_.kws = args->call.kws;
    }
    if (!colon(p, false) || !block(p, "class definition", line, &s->class_.body)) return NULL;
    s->span = pp_span_to_here(p, start);
    return s;
}

/* decorators: ('@' named_expression NEWLINE)+, then a def or a class */
static pys *decorated(pp *p)
{
    src_span start = p->tok.span;
    size_t mark = p->stk_n;
    while (pp_accept(p, PYOP_AT)) {
        pyx *d = pp_named_expression(p);
        if (!d || !pp_push_ptr(p, d)) return NULL;
        if (p->tok.kind != PYTOK_NEWLINE) return pp_syntax_error(p);
        pp_adv(p);
    }
    pyx_list decorators = pp_take_exprs(p, mark);
    pys *s = NULL;
    if (pp_is_kw(p, PYKW_CLASS)) {
        if ((s = class_def(p, start))) s->class_.decorators = decorators;
    } else if (pp_is_kw(p, PYKW_DEF)) {
        if ((s = function_def(p, start, false))) s->def_.decorators = decorators;
    } else if (pp_is_kw(p, PYKW_ASYNC) && pp_peek(p)->kind == PYTOK_NAME && pp_peek(p)->kw == PYKW_DEF) {
        pp_adv(p);
        if ((s = function_def(p, start, true))) s->def_.decorators = decorators;
    } else {
        return pp_syntax_error(p);
    }
    return s;
}

/* statement: compound_stmt | simple_stmts
 * compound_stmt: &('def' | '@' | ASYNC) function_def | &'if' if_stmt | &('class' | '@') class_def
 *              | &('with' | ASYNC) with_stmt | &('for' | ASYNC) for_stmt | &'try' try_stmt
 *              | &'while' while_stmt | match_stmt
 * Pushes the statement(s). */
static bool statement(pp *p)
{
    src_span start = p->tok.span;
    pys *s;
    bool async_ = pp_is_kw(p, PYKW_ASYNC);
    if (async_) {
        const pytoken *n = pp_peek(p);
        if (n->kind != PYTOK_NAME || (n->kw != PYKW_DEF && n->kw != PYKW_FOR && n->kw != PYKW_WITH)) {
            pp_adv(p);
            return pp_syntax_error(p);
        }
        pp_adv(p);
    }
    pykw kw = p->tok.kind == PYTOK_NAME ? p->tok.kw : PYKW_NAME;
    switch (kw) {
    case PYKW_IF: s = if_stmt(p); break;
    case PYKW_FOR: case PYKW_WHILE: s = loop_stmt(p, start, async_); break;
    case PYKW_WITH: s = with_stmt(p, start, async_); break;
    case PYKW_TRY: s = try_stmt(p, start); break;
    case PYKW_DEF: s = function_def(p, start, async_); break;
    case PYKW_CLASS: s = class_def(p, start); break;
    default:
        if (pp_is_op(p, PYOP_AT)) {
            s = decorated(p);
            break;
        }
        return pp_simple_stmts(p);
    }
    return s && pp_push_ptr(p, s);
}

/* CPython reads the rest of the text after a parser error, and an error
 * of the tokenizer there is the one it reports (an unclosed bracket only
 * when the parser's error is after it; the tokenizer's errors
 * that raise no exception of their own do not count). */
static void rest_of_source(pp *p)
{
    if (p->tok.kind == PYTOK_ERROR || p->ahead.kind == PYTOK_ERROR || p->lx.failed) return;
    pytoken t;
    pytok_kind k;
    while ((k = pylex_next(&p->lx, &t)) != PYTOK_ENDMARKER && k != PYTOK_ERROR) continue;
    if (k != PYTOK_ERROR || p->ar->failed) return;
    const char *m = diag_message(&p->lx.err);
    size_t n = strlen(m);
    static const char closed[] = "was never closed";
    if (n >= sizeof closed - 1 && !strcmp(m + n - (sizeof closed - 1), closed)) {
        /* CPython's second pass reads on inside the bracket to its end */
        if (p->err->d.at.off < p->lx.err.at.off) return;
    } else if (!strcmp(m, "unindent does not match any outer indentation level") ||
               !strcmp(m, "too many levels of indentation") || !strcmp(m, "unexpected EOF while parsing") ||
               !strcmp(m, "unexpected character after line continuation character")) {
        return;
    }
    p->err->d = p->lx.err;
    p->err->cls = p->lx.err_class;
}

/* file: [statements] ENDMARKER */
bool pyparse(const char *text, size_t len, arena *ar, pymodule *mod, pyparse_error *err,
             void (*on_comment)(void *ud, src_span at), void *comment_ud)
{
    pp *p = calloc(1, sizeof *p);
    memset(mod, 0, sizeof *mod);
    memset(err, 0, sizeof *err);
    if (!p) {
        ar->failed = true;
        err->d.message = "out of memory";
        return false;
    }
    pylex_init(&p->lx, text, len, ar);
    p->lx.on_comment = on_comment;
    p->lx.comment_ud = comment_ud;
    p->ar = ar;
    p->err = err;
    p->tok.kind = PYTOK_NEWLINE;    /* anything but ENDMARKER: pp_adv reads the first token */
    pp_adv(p);
    while (!p->failed && p->tok.kind != PYTOK_ENDMARKER) statement(p);
    if (!p->failed) mod->body.v = (pys **)pp_take(p, 0, sizeof(pys *), &mod->body.n);
    bool ok = !p->failed;
    if (!ok && !ar->failed) rest_of_source(p);
    if (ar->failed) {
        err->d.message = "out of memory";
        err->cls = PYERR_SYNTAX;
        ok = false;
    }
    free(p->stk);
    free(p);
    return ok;
}

const char *pyparse_expr_name(pyx_kind k)
{
    static const char *const names[] = {
        [PYX_NAME] = "Name", [PYX_INT] = "Constant", [PYX_BIGINT] = "Constant", [PYX_FLOAT] = "Constant",
        [PYX_STR] = "Constant", [PYX_FSTR] = "JoinedStr", [PYX_CONST] = "Constant", [PYX_ATTR] = "Attribute",
        [PYX_SUBSCRIPT] = "Subscript", [PYX_SLICE] = "Slice", [PYX_CALL] = "Call", [PYX_BINOP] = "BinOp",
        [PYX_UNARY] = "UnaryOp", [PYX_BOOLOP] = "BoolOp", [PYX_COMPARE] = "Compare", [PYX_IFEXP] = "IfExp",
        [PYX_TUPLE] = "Tuple", [PYX_LIST] = "List", [PYX_SET] = "Set", [PYX_DICT] = "Dict",
        [PYX_LISTCOMP] = "ListComp", [PYX_SETCOMP] = "SetComp", [PYX_GENEXP] = "GeneratorExp",
        [PYX_DICTCOMP] = "DictComp", [PYX_LAMBDA] = "Lambda", [PYX_STARRED] = "Starred",
        [PYX_DSTARRED] = "keyword", [PYX_KEYWORD] = "keyword", [PYX_NAMEDEXPR] = "NamedExpr", [PYX_YIELD] = "Yield",
    };
    _Static_assert(sizeof names / sizeof names[0] == PYX_KIND_COUNT, "every expression kind has a name");
    return (unsigned)k < PYX_KIND_COUNT ? names[k] : "?";
}

const char *pyparse_stmt_name(pys_kind k)
{
    static const char *const names[] = {
        [PYS_EXPR] = "Expr", [PYS_ASSIGN] = "Assign", [PYS_AUGASSIGN] = "AugAssign", [PYS_ANNASSIGN] = "AnnAssign",
        [PYS_IF] = "If", [PYS_FOR] = "For", [PYS_WHILE] = "While", [PYS_DEF] = "FunctionDef",
        [PYS_CLASS] = "ClassDef", [PYS_RETURN] = "Return", [PYS_PASS] = "Pass", [PYS_BREAK] = "Break",
        [PYS_CONTINUE] = "Continue", [PYS_IMPORT] = "Import", [PYS_IMPORTFROM] = "ImportFrom",
        [PYS_RAISE] = "Raise", [PYS_ASSERT] = "Assert", [PYS_DEL] = "Delete", [PYS_GLOBAL] = "Global",
        [PYS_NONLOCAL] = "Nonlocal", [PYS_TRY] = "Try", [PYS_WITH] = "With", [PYS_MATCH] = "Match",
    };
    _Static_assert(sizeof names / sizeof names[0] == PYS_KIND_COUNT, "every statement kind has a name");
    return (unsigned)k < PYS_KIND_COUNT ? names[k] : "?";
}
