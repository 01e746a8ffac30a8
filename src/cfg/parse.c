/* parse.c - net.cfg text to statements. Each function parses one grammar
 * rule, written above it. */
#include "cfg/parse.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

enum { LOOKAHEAD = 8 };

/* The limits on what a net.cfg may hold; see NETCFG.md. Brackets nest by
 * recursion, and the bound keeps a hostile file from overflowing the stack
 * (no layer argument needs more than two levels, no real net more than a
 * few containers). The others keep time and memory small whatever the
 * file: a net of ten million layers still fits in a few GiB. */
enum {
    MAX_NESTING = 64,               /* brackets, and containers, inside one another */
    MAX_STATEMENTS = 10000000,      /* layers and containers in one net */
    MAX_ARGS = 255,                 /* arguments of one call */
};

typedef struct parser {
    lexer lx;
    arena *ar;              /* what outlives the parse: interned names */
    arena *scratch;         /* one statement's arguments, reset between statements */
    token buf[LOOKAHEAD];
    int nbuf;
    parse_is_layer_fn is_layer;
    parse_stmt_fn on_stmt;
    void *ud;
    diag *err;              /* the first syntax error; its message in ar */
    bool failed;
    vec open;               /* of src_span: open containers */
    bool seen_layer, seen_input;
    int depth;              /* brackets open around the value being parsed */
    size_t nstatements;     /* layers and containers so far */
} parser;

static token peek(parser *p, int k)
{
    while (p->nbuf <= k) p->buf[p->nbuf++] = lex_next(&p->lx);
    return p->buf[k];
}

static token next(parser *p)
{
    token t = peek(p, 0);
    memmove(p->buf, p->buf + 1, (size_t)(p->nbuf - 1) * sizeof p->buf[0]);
    p->nbuf--;
    return t;
}

static bool fail(parser *p, src_span at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool fail(parser *p, src_span at, const char *fmt, ...)
{
    if (p->failed) return false;
    p->failed = true;
    va_list ap;
    va_start(ap, fmt);
    diag_vset(p->err, p->ar, at, PROBE_INVALID, NULL, fmt, ap);
    va_end(ap);
    return false;
}

/* A token the grammar did not expect: a lexer error speaks for itself. */
static bool unexpected(parser *p, token t, const char *wanted)
{
    if (t.kind == TOK_ERROR) return fail(p, t.span, "%s", t.s);
    if (t.kind == TOK_NAME)
        return fail(p, t.span, "expected %s, got '%s'", wanted, t.s);
    return fail(p, t.span, "expected %s, got %s", wanted, lex_kind_name(t.kind));
}

static bool value_is_number(const value *v) { return v->kind == VAL_INT || v->kind == VAL_FLOAT; }
static double value_as_double(const value *v) { return v->kind == VAL_INT ? (double)v->i : v->f; }

/* Combines two numbers with a binary operator, in int64 when both are
 * integers (checked) and as Python would otherwise. */
static bool apply_op(parser *p, tok_kind op, value *l, const value *r, src_span op_span)
{
    if (!value_is_number(l) || !value_is_number(r))
        return fail(p, op_span, "arithmetic needs numbers on both sides");
    bool ints = l->kind == VAL_INT && r->kind == VAL_INT;
    if (op == TOK_SLASH || !ints) {
        double a = value_as_double(l), b = value_as_double(r), res = 0;
        if ((op == TOK_SLASH || op == TOK_SLASHSLASH) && b == 0)
            return fail(p, op_span, "division by zero");
        switch (op) {
        case TOK_PLUS: res = a + b; break;
        case TOK_MINUS: res = a - b; break;
        case TOK_STAR: res = a * b; break;
        case TOK_SLASH: res = a / b; break;
        default: res = floor(a / b); break;
        }
        l->kind = VAL_FLOAT;
        l->f = res;
    } else {
        int64_t a = l->i, b = r->i, res = 0;
        bool ok = true;
        switch (op) {
        case TOK_PLUS: ok = util_add(a, b, &res); break;
        case TOK_MINUS: ok = util_sub(a, b, &res); break;
        case TOK_STAR: ok = util_mul(a, b, &res); break;
        default:
            if (b == 0) return fail(p, op_span, "division by zero");
            if (a == INT64_MIN && b == -1) { ok = false; break; }
            res = a / b;
            if ((a % b != 0) && ((a < 0) != (b < 0))) res--;
            break;
        }
        if (!ok) {
            src_span whole = l->span;
            whole.end = r->span.end;
            return fail(p, whole, "arithmetic overflows a signed 64-bit integer: sizes must stay below 9223372036854775808");
        }
        l->i = res;
    }
    l->span.end = r->span.end;
    l->computed = true;
    return true;
}

static bool parse_value(parser *p, value *out);

/* items := [value {',' value} [',']] closer ; returns the count in *n */
static bool parse_items(parser *p, tok_kind closer, value **items, int *n)
{
    vec v;
    vec_init(&v, sizeof(value));
    bool ok = true;
    while (peek(p, 0).kind == TOK_NEWLINE) next(p);
    while (peek(p, 0).kind != closer) {
        value *slot = vec_push(&v);
        if (!slot) { ok = fail(p, peek(p, 0).span, "out of memory"); break; }
        if (!parse_value(p, slot)) { ok = false; break; }
        while (peek(p, 0).kind == TOK_NEWLINE) next(p);
        token t = peek(p, 0);
        if (t.kind == TOK_COMMA) {
            next(p);
            while (peek(p, 0).kind == TOK_NEWLINE) next(p);
        } else if (t.kind != closer) {
            ok = unexpected(p, t, closer == TOK_RPAREN ? "',' or ')'" : "',' or ']'");
            break;
        }
    }
    if (ok) {
        *n = (int)v.len;
        *items = NULL;
        if (v.len) {
            *items = arena_alloc(p->scratch, v.len * sizeof(value));
            if (*items) memcpy(*items, v.items, v.len * sizeof(value));
        }
        if (v.len > 64) ok = fail(p, peek(p, 0).span, "too many items in a tuple (at most 64)");
    }
    vec_free(&v);
    return ok;
}

static bool parse_atom_in(parser *p, token t, value *out);
static bool parse_nested_call(parser *p, token name, value *out);

/* True when the tokens from `at` on make a call's tail: {'.' NAME} '(' */
static bool call_follows_at(parser *p, int at)
{
    int i = at;
    while (i < LOOKAHEAD - 2 && peek(p, i).kind == TOK_DOT && peek(p, i + 1).kind == TOK_NAME) i += 2;
    return peek(p, i).kind == TOK_LPAREN;
}

/* True when the tokens after a name (already read) make it a call. */
static bool call_follows(parser *p) { return call_follows_at(p, 0); }

/* atom := INT | FLOAT | STRING | '?' | NAME {'.' NAME} | call
 *       | '(' ')' | '(' value ')' | '(' value ',' [items] ')' | '[' [items] ']'
 * A call, a tuple or a list nests: at most MAX_NESTING deep. */
static bool parse_atom(parser *p, value *out)
{
    token t = next(p);
    memset(out, 0, sizeof *out);
    out->span = t.span;
    bool call = t.kind == TOK_NAME && call_follows(p);
    if (t.kind != TOK_LBRACK && t.kind != TOK_LPAREN && !call) return parse_atom_in(p, t, out);
    if (p->depth == MAX_NESTING)
        return fail(p, t.span, "nesting deeper than %d levels: probe reads at most %d brackets inside one another",
                    MAX_NESTING, MAX_NESTING);
    p->depth++;
    bool ok = call ? parse_nested_call(p, t, out) : parse_atom_in(p, t, out);
    p->depth--;
    return ok;
}

/* word := 'True' | 'False' | 'None' | NAME {'.' NAME}
 * (the first NAME, t, already taken). A bare word is a string:
 * print(model) writes padding=same, mode=nearest. */
static bool parse_word(parser *p, token t, value *out)
{
    if (!strcmp(t.s, "True") || !strcmp(t.s, "False")) {
        out->kind = VAL_BOOL;
        out->i = t.s[0] == 'T';
    } else if (!strcmp(t.s, "None")) {
        out->kind = VAL_NONE;
    } else {
        out->kind = VAL_WORD;
        while (peek(p, 0).kind == TOK_DOT && peek(p, 1).kind == TOK_NAME) {
            next(p);
            out->span.end = next(p).span.end;
        }
        out->s = lex_intern(&p->lx, p->lx.text + out->span.off, out->span.end - out->span.off);
    }
    return true;
}

/* parens := '(' ')' | '(' value ')' | '(' value ',' [items] ')'
 * (the '(', t, already taken): the empty tuple, a parenthesized
 * expression, a tuple. */
static bool parse_parens(parser *p, token t, value *out)
{
    while (peek(p, 0).kind == TOK_NEWLINE) next(p);
    if (peek(p, 0).kind == TOK_RPAREN) {
        out->kind = VAL_TUPLE;
        out->span.end = next(p).span.end;
        return true;
    }
    value first;
    if (!parse_value(p, &first)) return false;
    while (peek(p, 0).kind == TOK_NEWLINE) next(p);
    if (peek(p, 0).kind == TOK_RPAREN) {
        /* a parenthesized expression, not a tuple */
        *out = first;
        out->span.off = t.span.off;
        out->span.line = t.span.line;
        out->span.col = t.span.col;
        out->span.end = next(p).span.end;
        return true;
    }
    if (peek(p, 0).kind != TOK_COMMA) return unexpected(p, peek(p, 0), "',' or ')'");
    next(p);
    value *rest;
    int nrest;
    if (!parse_items(p, TOK_RPAREN, &rest, &nrest)) return false;
    out->kind = VAL_TUPLE;
    out->n = nrest + 1;
    out->items = arena_alloc(p->scratch, (size_t)out->n * sizeof(value));
    if (!out->items) return fail(p, t.span, "out of memory");
    out->items[0] = first;
    if (nrest) memcpy(out->items + 1, rest, (size_t)nrest * sizeof(value));
    out->span.end = next(p).span.end;
    return true;
}

/* atom, less its call, once its first token t is taken:
 * INT | FLOAT | STRING | '?' | word | parens | '[' [items] ']' */
static bool parse_atom_in(parser *p, token t, value *out)
{
    switch (t.kind) {
    case TOK_INT: out->kind = VAL_INT; out->i = t.i; return true;
    case TOK_FLOAT: out->kind = VAL_FLOAT; out->f = t.f; return true;
    case TOK_STR: out->kind = VAL_STR; out->s = t.s; return true;
    case TOK_QMARK: out->kind = VAL_QUESTION; return true;
    case TOK_NAME:
        return parse_word(p, t, out);
    case TOK_LBRACK: {
        out->kind = VAL_LIST;
        if (!parse_items(p, TOK_RBRACK, &out->items, &out->n)) return false;
        out->span.end = next(p).span.end;
        return true;
    }
    case TOK_LPAREN:
        return parse_parens(p, t, out);
    case TOK_RPAREN:
        return fail(p, t.span, "expected a value before ')'");
    default:
        return unexpected(p, t, "a value");
    }
}

/* unary := ('-' | '+') unary | atom
 * A loop, not recursion: a line of a million signs must not need a million
 * stack frames. */
static bool parse_unary(parser *p, value *out)
{
    token first = peek(p, 0), last = first;
    bool negate = false, any_sign = false;
    while (peek(p, 0).kind == TOK_MINUS || peek(p, 0).kind == TOK_PLUS) {
        last = next(p);
        any_sign = true;
        if (last.kind == TOK_MINUS) negate = !negate;
    }
    if (!parse_atom(p, out)) return false;
    if (!any_sign) return true;
    /* the innermost sign is the one that meets what is not a number */
    if (!value_is_number(out)) return fail(p, last.span, "'%c' needs a number after it", last.kind == TOK_MINUS ? '-' : '+');
    if (negate) {
        if (out->kind == VAL_INT) {
            if (out->i == INT64_MIN) return fail(p, out->span, "number too large");
            out->i = -out->i;
        } else {
            out->f = -out->f;
        }
    }
    out->span.off = first.span.off;
    out->span.line = first.span.line;
    out->span.col = first.span.col;
    return true;
}

/* product := unary {('*' | '//' | '/') unary} */
static bool parse_product(parser *p, value *out)
{
    if (!parse_unary(p, out)) return false;
    for (;;) {
        token op = peek(p, 0);
        if (op.kind != TOK_STAR && op.kind != TOK_SLASH && op.kind != TOK_SLASHSLASH) return true;
        next(p);
        value r;
        if (!parse_unary(p, &r) || !apply_op(p, op.kind, out, &r, op.span)) return false;
    }
}

/* value := product {('+' | '-') product} */
static bool parse_value(parser *p, value *out)
{
    if (!parse_product(p, out)) return false;
    for (;;) {
        token op = peek(p, 0);
        if (op.kind != TOK_PLUS && op.kind != TOK_MINUS) return true;
        next(p);
        value r;
        if (!parse_product(p, &r) || !apply_op(p, op.kind, out, &r, op.span)) return false;
    }
}

/* '(' part ('-' part)* ')' ':', part := NAME | INT, the parts and dashes
 * written together: print(model)'s label of a child named with a dash
 * ("(block1-0):", RegNet's). The number of tokens, 0 when it is none. */
static int paren_label_length(parser *p)
{
    if (peek(p, 0).kind != TOK_LPAREN) return 0;
    int i = 1;
    for (;;) {
        token t = peek(p, i);
        if (t.kind != TOK_NAME && t.kind != TOK_INT) return 0;
        if (i > 1 && t.span.off != peek(p, i - 1).span.end) return 0;
        token dash = peek(p, i + 1);
        if (dash.kind != TOK_MINUS || dash.span.off != t.span.end || i + 4 >= LOOKAHEAD) break;
        i += 2;
    }
    return peek(p, i + 1).kind == TOK_RPAREN && peek(p, i + 2).kind == TOK_COLON ? i + 3 : 0;
}

/* True when the tokens ahead open a statement: [label] callee '(' */
static bool starts_statement(parser *p)
{
    token t0 = peek(p, 0), t1 = peek(p, 1);
    if (t0.kind == TOK_LPAREN)
        return (peek(p, 2).kind == TOK_RPAREN && peek(p, 3).kind == TOK_COLON) || paren_label_length(p) > 0;
    if (t0.kind != TOK_NAME) return t0.kind == TOK_RPAREN;
    if (t1.kind == TOK_LPAREN || t1.kind == TOK_DOT) return true;
    return t1.kind == TOK_EQ && peek(p, 2).kind == TOK_NAME;
}

/* keyword := NAME '='   (into a, the last of args; no name twice in a call) */
static bool parse_keyword(parser *p, const vec *args, arg *a)
{
    token t = next(p);
    next(p);
    a->key = t.s;
    a->key_span = t.span;
    for (size_t i = 0; i + 1 < args->len; i++) {
        const arg *prev = &VEC_AT(*args, arg, i);
        if (prev->key && !strcmp(prev->key, t.s)) return fail(p, t.span, "keyword argument repeated: '%s'", t.s);
    }
    return true;
}

/* args := [arg {',' arg} [',']] ')'     arg := [keyword] value
 * Newlines inside the parentheses mean nothing. */
static bool parse_args(parser *p, stmt *s, src_span open)
{
    vec args;
    vec_init(&args, sizeof(arg));
    bool ok = true, seen_keyword = false;
    for (;;) {
        while (peek(p, 0).kind == TOK_NEWLINE) next(p);
        token t = peek(p, 0);
        if (t.kind == TOK_RPAREN) break;
        if (t.kind == TOK_EOF) {
            ok = fail(p, open, "'(' was never closed: add the ')' that ends this call");
            break;
        }
        if (args.len == MAX_ARGS) {
            ok = fail(p, t.span, "more than %d arguments in one call: probe reads at most %d", MAX_ARGS, MAX_ARGS);
            break;
        }
        arg *a = vec_push(&args);
        if (!a) { ok = fail(p, t.span, "out of memory"); break; }
        if (t.kind == TOK_NAME && peek(p, 1).kind == TOK_EQ) {
            if (!parse_keyword(p, &args, a)) { ok = false; break; }
            seen_keyword = true;
        } else if (seen_keyword) {
            ok = fail(p, t.span, "positional argument follows keyword argument");
            break;
        }
        if (!parse_value(p, &a->val)) { ok = false; break; }
        bool new_line = false;
        while (peek(p, 0).kind == TOK_NEWLINE) { next(p); new_line = true; }
        t = peek(p, 0);
        if (t.kind == TOK_COMMA) { next(p); continue; }
        if (t.kind == TOK_RPAREN) break;
        if (t.kind == TOK_EOF || (new_line && starts_statement(p))) {
            /* the next statement began: the ')' was forgotten, as Python says */
            ok = fail(p, open, "'(' was never closed: add the ')' that ends this call");
            break;
        }
        ok = unexpected(p, t, "',' or ')' after an argument");
        break;
    }
    if (ok) {
        s->span.end = next(p).span.end;
        s->nargs = (int)args.len;
        if (args.len) {
            s->args = arena_alloc(p->scratch, args.len * sizeof(arg));
            if (s->args) memcpy(s->args, args.items, args.len * sizeof(arg));
        }
    }
    vec_free(&args);
    return ok;
}

/* Hands a statement to the hook, counting layers and containers. */
static bool push_stmt(parser *p, const stmt *s)
{
    if ((s->kind == STMT_LAYER || s->kind == STMT_OPEN) && ++p->nstatements > MAX_STATEMENTS)
        return fail(p, s->name_span, "more than %d layers: probe reads at most %d layers and containers in one net",
                    MAX_STATEMENTS, MAX_STATEMENTS);
    if (!p->on_stmt(s, p->ud)) return fail(p, s->span, "out of memory");
    return true;
}

/* closer := ')' — ends the innermost open container */
static bool parse_closer(parser *p)
{
    token t = next(p);
    if (p->open.len == 0)
        return fail(p, t.span, "unmatched ')': no container is open here");
    p->open.len--;
    stmt s;
    memset(&s, 0, sizeof s);
    s.kind = STMT_CLOSE;
    s.span = t.span;
    return push_stmt(p, &s);
}

/* end := ',' (before another call on the line: "a(), b(),")
 *      | [','] {closer [',']} (NEWLINE | EOF)
 * What may follow a statement. */
static bool parse_end(parser *p)
{
    /* code lists a container's children several to a line: "a(), b()," */
    if (peek(p, 0).kind == TOK_COMMA && peek(p, 1).kind == TOK_NAME && call_follows_at(p, 2)) {
        next(p);
        return true;
    }
    if (peek(p, 0).kind == TOK_COMMA) next(p);
    while (peek(p, 0).kind == TOK_RPAREN) {
        if (!parse_closer(p)) return false;
        if (peek(p, 0).kind == TOK_COMMA) next(p);
    }
    token t = peek(p, 0);
    if (t.kind == TOK_NEWLINE) { next(p); return true; }
    if (t.kind == TOK_EOF) return true;
    return unexpected(p, t, "the end of the line after the statement");
}

/* input := 'input' ':' dims          (dims: C 'x' L | C 'x' H 'x' W | C 'x' D 'x' H 'x' W, lex_dims) */
static bool parse_input(parser *p)
{
    token kw = next(p);
    next(p); /* ':' — the lexer stands right after it: nothing else was peeked */
    stmt s;
    memset(&s, 0, sizeof s);
    s.kind = STMT_INPUT;
    s.span = kw.span;
    src_span at;
    const char *why;
    int n;
    if (!lex_dims(&p->lx, s.input, &n, &s.input_span, &at, &why)) return fail(p, at, "%s", why);
    s.input_rank = n - 1;
    s.span.end = s.input_span.end;
    if (p->seen_input) return fail(p, kw.span, "a second input line: give the input size once");
    if (p->seen_layer) return fail(p, kw.span, "the input line must come before the first layer");
    p->seen_input = true;
    return push_stmt(p, &s);
}

/* label := '(' part ('-' part)* ')' ':' | ['self' '.'] NAME '='
 * Returns the number of tokens the label spans, 0 when there is none. */
static int label_length(parser *p)
{
    token t0 = peek(p, 0);
    int n = paren_label_length(p);
    if (n) return n;
    if (t0.kind == TOK_NAME && peek(p, 1).kind == TOK_EQ) return 2;
    if (t0.kind == TOK_NAME && !strcmp(t0.s, "self") && peek(p, 1).kind == TOK_DOT &&
        peek(p, 2).kind == TOK_NAME && peek(p, 3).kind == TOK_EQ)
        return 4;
    return 0;
}

/* callee := ['torch' '.'] ['nn' '.'] NAME   (the first NAME already read) */
static bool parse_callee(parser *p, token name, stmt *s)
{
    s->name_span = name.span;
    const char *n = name.s;
    bool after_nn = false;
    while (peek(p, 0).kind == TOK_DOT) {
        /* only torch.nn.Name, nn.Name and torch.Name name a layer */
        bool at_start = s->name_span.end == name.span.end;
        if (!(at_start && !strcmp(n, "torch")) && !(!after_nn && !strcmp(n, "nn"))) {
            src_span at = s->name_span;
            if (at_start && (!strcmp(n, "F") || !strcmp(n, "self")))
                return fail(p, at, "'%s.' calls are what forward() does, not layers: a net.cfg lists the layers of __init__ (nn.ReLU(), not F.relu(x))", n);
            return fail(p, at, "'%.*s.' is not a module path probe knows: write the layer as nn.Name(...) or Name(...)",
                        (int)(at.end - at.off), p->lx.text + at.off);
        }
        after_nn = !strcmp(n, "nn");
        next(p);
        token part = next(p);
        if (part.kind != TOK_NAME) return unexpected(p, part, "a layer name after '.'");
        n = part.s;
        s->name_span.end = part.span.end;
    }
    s->name = n;
    s->span = s->name_span;
    return true;
}

/* call := callee '(' args   (the callee's first NAME already read)
 * A layer given as an argument, as nn.Sequential(nn.Conv2d(3, 8, 3), ...)
 * writes its children. */
static bool parse_nested_call(parser *p, token name, value *out)
{
    stmt *c = arena_alloc(p->scratch, sizeof *c);
    if (!c) return fail(p, name.span, "out of memory");
    if (!parse_callee(p, name, c)) return false;
    token open = next(p);
    if (!parse_args(p, c, open.span)) return false;
    c->kind = STMT_LAYER;
    out->kind = VAL_CALL;
    out->call = c;
    out->span = c->span;
    return true;
}

/* True when every argument of s is a positional call: a container's children. */
static bool all_calls(const stmt *s)
{
    for (int i = 0; i < s->nargs; i++)
        if (s->args[i].key || s->args[i].val.kind != VAL_CALL) return false;
    return s->nargs > 0;
}

/* A container written on one line, nn.Sequential(a, b, c), becomes what
 * print(model) would write: an opener, its children, a closer. */
static bool emit_container(parser *p, const stmt *s)
{
    stmt open = *s, close;
    open.kind = STMT_OPEN;
    open.args = NULL;
    open.nargs = 0;
    memset(&close, 0, sizeof close);
    close.kind = STMT_CLOSE;
    close.span = s->span;
    close.span.off = close.span.end > 0 ? close.span.end - 1 : 0;
    if (!push_stmt(p, &open)) return false;
    for (int i = 0; i < s->nargs; i++) {
        const stmt *c = s->args[i].val.call;
        bool ok = !p->is_layer(c->name, p->ud) && all_calls(c) ? emit_container(p, c) : push_stmt(p, c);
        if (!ok) return false;
    }
    return push_stmt(p, &close);
}

/* statement := [label] callee '(' NEWLINE    (an opener: callee no layer)
 *            | [label] callee '(' args end
 * A call of a non-layer whose arguments are all calls is a container
 * written on one line (emit_container). */
static bool parse_call(parser *p)
{
    stmt s;
    memset(&s, 0, sizeof s);
    int nlabel = label_length(p);
    if (nlabel) {
        token first = peek(p, 0);
        /* "(0)" whole, "self.fc" as "fc", "fc" */
        src_span at = first.span;
        if (first.kind == TOK_LPAREN) at.end = peek(p, nlabel - 2).span.end;
        else if (nlabel == 4) at = peek(p, 2).span;
        s.label_span = at;
        s.label = arena_strndup(p->scratch, p->lx.text + at.off, at.end - at.off);
        for (int i = 0; i < nlabel; i++) next(p);
    }
    token name = next(p);
    if (name.kind != TOK_NAME) return unexpected(p, name, "a layer such as nn.Conv2d(...)");
    if (!parse_callee(p, name, &s)) return false;
    const char *n = s.name;
    token open = next(p);
    if (open.kind != TOK_LPAREN) {
        if (open.kind == TOK_NEWLINE || open.kind == TOK_EOF)
            return fail(p, open.span, "expected '(' after '%s': write the layer as a call, e.g. %s()", n, n);
        return unexpected(p, open, "'(' after the layer name");
    }
    if (lex_rest_of_line_empty(&p->lx) && p->nbuf == 0 && !p->is_layer(n, p->ud)) {
        s.kind = STMT_OPEN;
        s.span.end = open.span.end;
        if (p->open.len == MAX_NESTING)
            return fail(p, s.name_span, "nesting deeper than %d levels: probe reads at most %d containers inside one another",
                        MAX_NESTING, MAX_NESTING);
        src_span *slot = vec_push(&p->open);
        if (!slot) return fail(p, open.span, "out of memory");
        *slot = s.name_span;
        if (!push_stmt(p, &s)) return false;
        next(p); /* the newline */
        return true;
    }
    s.kind = STMT_LAYER;
    if (!parse_args(p, &s, open.span)) return false;
    p->seen_layer = true;
    if (!p->is_layer(n, p->ud) && all_calls(&s)) return emit_container(p, &s) && parse_end(p);
    if (!push_stmt(p, &s)) return false;
    return parse_end(p);
}

/* The words that start Python statements a paste of a whole class brings. */
static bool is_python_statement(const char *w)
{
    static const char *const words[] = { "class", "def", "return", "import", "from", "super", "if", "for",
                                         "while", "with", "print", "pass", "assert", NULL };
    for (const char *const *k = words; *k; k++)
        if (!strcmp(w, *k)) return true;
    return false;
}

/* line := NEWLINE | input | closer end | statement   (one step of file)
 * False at the first error; p->failed then says so. */
static bool parse_line(parser *p)
{
    token t = peek(p, 0);
    if (t.kind == TOK_NEWLINE) { next(p); return true; }
    if (t.kind == TOK_RPAREN) return parse_closer(p) && parse_end(p);
    if (t.kind == TOK_NAME && !strcmp(t.s, "input") && peek(p, 1).kind == TOK_COLON && p->nbuf == 2)
        return parse_input(p);
    if (t.kind == TOK_ERROR) return unexpected(p, t, "");
    if (t.kind == TOK_NAME && is_python_statement(t.s))
        return fail(p, t.span, "this line is Python code, not a layer: a net.cfg holds the layer lines of __init__ (or the text print(model) prints); delete it");
    return parse_call(p);
}

/* file := {line} EOF */
bool parse_stream(arena *ar, arena *scratch, const char *text, size_t len, const parse_hooks *hooks,
                  parse_result *out, diag *err)
{
    parser p;
    memset(&p, 0, sizeof p);
    lex_init(&p.lx, text, len, ar);
    arena table;            /* the intern table: needed only while lexing */
    arena_init(&table);
    p.lx.names.table_ar = &table;
    p.ar = ar;
    p.scratch = scratch;
    p.is_layer = hooks->is_layer;
    p.on_stmt = hooks->on_stmt;
    p.ud = hooks->ud;
    p.err = err;
    vec_init(&p.open, sizeof(src_span));
    memset(out, 0, sizeof *out);

    src_span at = { 1, 1, 0, 0 };
    const char *why;
    if (len > PARSE_MAX_TEXT)
        fail(&p, at, "the file is %zu bytes: probe reads at most %zu bytes (256 MiB) of net.cfg", len, PARSE_MAX_TEXT);
    else if (!lex_check_encoding(text, len, &at, &why))
        fail(&p, at, "%s", why);
    while (!p.failed) {
        /* the statement before has been handed over: its arguments may go
         * (what the lookahead holds is interned in ar) */
        if (scratch != ar) {
            if (scratch->failed) { fail(&p, peek(&p, 0).span, "out of memory"); break; }
            arena_reset(scratch);
        }
        if (peek(&p, 0).kind == TOK_EOF || !parse_line(&p)) break;
    }
    if (!p.failed) {
        out->unclosed = (int)p.open.len;
        if (p.open.len) out->unclosed_at = VEC_AT(p.open, src_span, 0);
        for (size_t i = 0; i < p.open.len; i++) {
            stmt s;
            memset(&s, 0, sizeof s);
            s.kind = STMT_CLOSE;
            s.span = (src_span){ p.lx.line, p.lx.col, len, len };
            if (!push_stmt(&p, &s)) break;
        }
    }
    if (!p.failed && (ar->failed || scratch->failed)) fail(&p, at, "out of memory");
    vec_free(&p.open);
    arena_free(&table);
    return !p.failed;
}

typedef struct collector {
    parse_is_layer_fn is_layer;
    void *ud;
    vec stmts;              /* of stmt */
} collector;

static bool collect_is_layer(const char *name, void *ud)
{
    const collector *c = ud;
    return c->is_layer ? c->is_layer(name, c->ud) : false;
}

static bool collect_stmt(const stmt *st, void *ud)
{
    collector *c = ud;
    stmt *slot = vec_push(&c->stmts);
    if (!slot) return false;
    *slot = *st;
    return true;
}

/* file, collected: parse_stream with a hook that keeps every statement */
bool parse_text(arena *ar, const char *text, size_t len,
                parse_is_layer_fn is_layer, void *ud,
                parse_result *out, diag *err)
{
    collector c = { is_layer, ud, { 0 } };
    vec_init(&c.stmts, sizeof(stmt));
    parse_hooks hooks = { collect_is_layer, collect_stmt, &c };
    /* the arguments stay: the scratch arena is the lasting one */
    bool ok = parse_stream(ar, ar, text, len, &hooks, out, err);
    if (ok && c.stmts.len && !(out->stmts = vec_give(&c.stmts, ar, &out->n))) {
        diag_set(err, ar, (src_span){ 1, 1, 0, 0 }, PROBE_INVALID, NULL, "%s", "out of memory");
        ok = false;
    }
    vec_free(&c.stmts);
    return ok;
}

/* value_text := value EOF */
bool parse_value_text(arena *ar, const char *text, size_t len, value *out, diag *err)
{
    parser p;
    memset(&p, 0, sizeof p);
    lex_init(&p.lx, text, len, ar);
    p.ar = p.scratch = ar;
    p.err = err;
    if (!parse_value(&p, out)) return false;
    token t = peek(&p, 0);
    if (t.kind != TOK_EOF) return unexpected(&p, t, "the end of the value");
    return true;
}
