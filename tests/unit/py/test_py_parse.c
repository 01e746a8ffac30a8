/* test_py_parse.c - the Python parser: every statement and expression
 * form as a compact s-expression (py_dump.h), precedence and
 * associativity, spans (the span of each call argument is what --fix
 * rewrites), every syntax error's class, message and line:col (each
 * checked against CPython 3.11's compile() on the same text), the depth
 * limit, long inputs, and whole model files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <cmocka.h>

#include "py/py_parse.h"
#include "py/py_dump.h"
#include "fixtures.h"

/* The tree of text as one line, or "Class: message@line:col". */
static const char *parse_len(void **state, const char *text, size_t len)
{
    static char out[16384];
    pymodule m;
    pyparse_error err;
    if (!pyparse(text, len, *state, &m, &err, NULL, NULL)) {
        snprintf(out, sizeof out, "%s: %s@%u:%u", pylex_err_class_name(err.cls), diag_message(&err.d),
                 (unsigned)err.d.at.line, (unsigned)err.d.at.col);
        return out;
    }
    sb o;
    sb_init(&o);
    dump_module(&o, &m);
    sb_copy_to(&o, out, sizeof out);
    sb_free(&o);
    return out;
}
#define PARSE(text) parse_len(state, (text), strlen(text))

/* The first statement of text, which must parse. */
static pys *first_stmt(void **state, const char *text)
{
    pymodule m;
    pyparse_error err;
    assert_true(pyparse(text, strlen(text), *state, &m, &err, NULL, NULL));
    assert_true(m.body.n > 0);
    return m.body.v[0];
}

/* The source text a span covers. */
static const char *span_text(const char *text, src_span s)
{
    static char out[256];
    snprintf(out, sizeof out, "%.*s@%u:%u", (int)(s.end - s.off), text + s.off, (unsigned)s.line, (unsigned)s.col);
    return out;
}

/* ---- statements ------------------------------------------------------------ */

static void simple_statements(void **state)
{
    assert_string_equal(PARSE("self.conv1 = nn.Conv2d(3, 6, 5)\n"),
        "(Assign (Attribute (Name self) conv1) (Call (Attribute (Name nn) Conv2d) 3 6 5))");
    assert_string_equal(PARSE("import a.b as c, d\nfrom x import (a, b as c,)\nfrom . import x\nfrom ..y import *\nfrom .... import z\n"),
        "(Import a.b:c d) (ImportFrom x a b:c) (ImportFrom . x) (ImportFrom ..y *) (ImportFrom .... z)");
    assert_string_equal(PARSE("raise X from Y\nraise\nassert x, 'm'\nassert y\ndel a, b[1], c.d\ndel (e)\nglobal g, h\nnonlocal n\n"),
        "(Raise (Name X) (Name Y)) (Raise) (Assert (Name x) 'm') (Assert (Name y)) "
        "(Delete (Name a) (Subscript (Name b) 1) (Attribute (Name c) d)) (Delete (Name e)) (Global g h) (Nonlocal n)");
    assert_string_equal(PARSE("return\nreturn a, b\npass; break; continue;\n"),
        "(Return) (Return (Tuple (Name a) (Name b))) (Pass) (Break) (Continue)");
    assert_string_equal(PARSE("a = b = c\na, b = c\n*a, b = c\n[a, *b] = c\na.b[c] = d\nx = 1,\n"),
        "(Assign (Name a) (Name b) (Name c)) (Assign (Tuple (Name a) (Name b)) (Name c)) "
        "(Assign (Tuple (Starred (Name a)) (Name b)) (Name c)) (Assign (List (Name a) (Starred (Name b))) (Name c)) "
        "(Assign (Subscript (Attribute (Name a) b) (Name c)) (Name d)) (Assign (Name x) (Tuple 1))");
    assert_string_equal(PARSE("x += 1; x -= 1; x *= 2; x /= 2; x //= 2; x %= 2; x **= 3; x @= m\n"
                              "x &= 1; x |= 1; x ^= 1; x <<= 1; x >>= 1; x.a[0] += yield\n"),
        "(AugAssign (Name x) += 1) (AugAssign (Name x) -= 1) (AugAssign (Name x) *= 2) (AugAssign (Name x) /= 2) "
        "(AugAssign (Name x) //= 2) (AugAssign (Name x) %= 2) (AugAssign (Name x) **= 3) (AugAssign (Name x) @= (Name m)) "
        "(AugAssign (Name x) &= 1) (AugAssign (Name x) |= 1) (AugAssign (Name x) ^= 1) (AugAssign (Name x) <<= 1) "
        "(AugAssign (Name x) >>= 1) (AugAssign (Subscript (Attribute (Name x) a) 0) += (Yield))");
    assert_string_equal(PARSE("x: int\ny: List[int] = []\n(z): int = 3\na.b: int\n"),
        "(AnnAssign (Name x) (Name int)) (AnnAssign (Name y) (Subscript (Name List) (Name int)) (List)) "
        "(AnnAssign (Name z) (Name int) 3) (AnnAssign (Attribute (Name a) b) (Name int))");
    assert_string_equal(PARSE("f(x)\nx = yield\nyield a, b\n"),
        "(Expr (Call (Name f) (Name x))) (Assign (Name x) (Yield)) (Expr (Yield (Tuple (Name a) (Name b))))");
    assert_string_equal(PARSE(""), "");
    assert_string_equal(PARSE("\n\n# only a comment\n"), "");
    assert_string_equal(PARSE("\xEF\xBB\xBFx = 1"), "(Assign (Name x) 1)");
}

static void compound_statements(void **state)
{
    assert_string_equal(PARSE("@dec\n@dec2(1)\ndef f(a, b=1, /, c: int = 2, *args, d, e=3, **kw) -> int:\n    return a\n"),
        "(FunctionDef @(Name dec) @(Call (Name dec2) 1) f (args a b=1 / c:(Name int)=2 *args d e=3 **kw) -> (Name int) [(Return (Name a))])");
    assert_string_equal(PARSE("def f(a, *, b): pass\ndef g(*, a, **k): pass\ndef h(): return\n"),
        "(FunctionDef f (args a * b) [(Pass)]) (FunctionDef g (args * a **k) [(Pass)]) (FunctionDef h (args) [(Return)])");
    assert_string_equal(PARSE("class A(B, metaclass=M):\n    x = 1\n    def f(self): pass\n@dataclass\nclass C: pass\nclass D(): pass\n"),
        "(ClassDef A (Name B) (keyword metaclass (Name M)) [(Assign (Name x) 1) (FunctionDef f (args self) [(Pass)])]) "
        "(ClassDef @(Name dataclass) C [(Pass)]) (ClassDef D [(Pass)])");
    assert_string_equal(PARSE("if a: b\nelif c: d\nelif e: f\nelse: g\n"),
        "(If (Name a) [(Expr (Name b))] [(If (Name c) [(Expr (Name d))] [(If (Name e) [(Expr (Name f))] [(Expr (Name g))])])])");
    assert_string_equal(PARSE("if x: return y\nif (n := 3) > 2:\n    pass\n"),
        "(If (Name x) [(Return (Name y))]) (If (Compare (NamedExpr (Name n) 3) > 2) [(Pass)])");
    assert_string_equal(PARSE("for x, y in z:\n    break\nelse:\n    continue\nfor i in range(3): a; b\n"),
        "(For (Tuple (Name x) (Name y)) (Name z) [(Break)] [(Continue)]) (For (Name i) (Call (Name range) 3) [(Expr (Name a)) (Expr (Name b))])");
    assert_string_equal(PARSE("while x: pass\nelse: pass\nwhile 1:\n  x -= 1\n"),
        "(While (Name x) [(Pass)] [(Pass)]) (While 1 [(AugAssign (Name x) -= 1)])");
    assert_string_equal(PARSE("try:\n    a\nexcept (A, B) as e:\n    b\nexcept C:\n    c\nexcept:\n    d\nelse:\n    e\nfinally:\n    f\n"),
        "(Try [(Expr (Name a))] (except (Tuple (Name A) (Name B)) e [(Expr (Name b))]) (except (Name C) _ [(Expr (Name c))]) "
        "(except _ _ [(Expr (Name d))]) else [(Expr (Name e))] finally [(Expr (Name f))])");
    assert_string_equal(PARSE("try:\n  a\nfinally:\n  b\n"), "(Try [(Expr (Name a))] finally [(Expr (Name b))])");
    assert_string_equal(PARSE("with a as b, c as (d, e), f:\n    pass\nwith (a as b, c):\n    pass\nwith (a) as b: pass\n"),
        "(With (item (Name a) (Name b)) (item (Name c) (Tuple (Name d) (Name e))) (item (Name f)) [(Pass)]) "
        "(With (item (Name a) (Name b)) (item (Name c)) [(Pass)]) (With (item (Name a) (Name b)) [(Pass)])");
    assert_string_equal(PARSE("async def f():\n    async for x in y:\n        await z\n    async with a as b:\n        pass\n"),
        "(FunctionDef async f (args) [(For async (Name x) (Name y) [(Expr (Yield await (Name z)))]) (With async (item (Name a) (Name b)) [(Pass)])])");
    /* match is a soft keyword: a name elsewhere */
    assert_string_equal(PARSE("match = re.match(p, s)\nmatch(x)\n"),
        "(Assign (Name match) (Call (Attribute (Name re) match) (Name p) (Name s))) (Expr (Call (Name match) (Name x)))");
    assert_string_equal(PARSE("match x:\n    case 1: pass\n"),
        "SyntaxError: match statements are not supported: probe does not read them@1:1");
    assert_string_equal(PARSE("match (x):\n    case 1: pass\n"),
        "SyntaxError: match statements are not supported: probe does not read them@1:1");
}

/* ---- expressions ------------------------------------------------------------- */

/* The expression of a one-line expression statement. */
static const char *expr(void **state, const char *text)
{
    static char out[4096];
    const char *all = parse_len(state, text, strlen(text));
    if (!strncmp(all, "(Expr ", 6)) {
        snprintf(out, sizeof out, "%.*s", (int)strlen(all) - 7, all + 6);
        return out;
    }
    return all;
}
#define EXPR(text) expr(state, (text))

static void precedence_and_associativity(void **state)
{
    assert_string_equal(EXPR("2**-1"), "(BinOp ** 2 (UnaryOp - 1))");
    assert_string_equal(EXPR("-2**2"), "(UnaryOp - (BinOp ** 2 2))");
    assert_string_equal(EXPR("2**3**2"), "(BinOp ** 2 (BinOp ** 3 2))");
    assert_string_equal(EXPR("a - b - c"), "(BinOp - (BinOp - (Name a) (Name b)) (Name c))");
    assert_string_equal(EXPR("a < b < c"), "(Compare (Name a) < (Name b) < (Name c))");
    assert_string_equal(EXPR("a is not b not in c in d is e"),
        "(Compare (Name a) is-not (Name b) not-in (Name c) in (Name d) is (Name e))");
    assert_string_equal(EXPR("a == b != c <= d >= e > f"),
        "(Compare (Name a) == (Name b) != (Name c) <= (Name d) >= (Name e) > (Name f))");
    assert_string_equal(EXPR("not a == b"), "(UnaryOp not (Compare (Name a) == (Name b)))");
    assert_string_equal(EXPR("a or b and not c"), "(BoolOp or (Name a) (BoolOp and (Name b) (UnaryOp not (Name c))))");
    assert_string_equal(EXPR("a or b or c"), "(BoolOp or (Name a) (Name b) (Name c))");
    assert_string_equal(EXPR("a | b ^ c & d << e + f * g"),
        "(BinOp | (Name a) (BinOp ^ (Name b) (BinOp & (Name c) (BinOp << (Name d) (BinOp + (Name e) (BinOp * (Name f) (Name g)))))))");
    assert_string_equal(EXPR("a @ b // c % d / e >> f"),
        "(BinOp >> (BinOp / (BinOp % (BinOp // (BinOp @ (Name a) (Name b)) (Name c)) (Name d)) (Name e)) (Name f))");
    assert_string_equal(EXPR("-a * ~b + +c"), "(BinOp + (BinOp * (UnaryOp - (Name a)) (UnaryOp ~ (Name b))) (UnaryOp + (Name c)))");
    assert_string_equal(EXPR("a if b else c"), "(IfExp (Name b) (Name a) (Name c))");
    assert_string_equal(EXPR("a if b else c if d else e"), "(IfExp (Name b) (Name a) (IfExp (Name d) (Name c) (Name e)))");
    assert_string_equal(EXPR("lambda x, *y, z=1, **k: x"), "(Lambda (args x *y z=1 **k) (Name x))");
    assert_string_equal(EXPR("lambda: a if b else c"), "(Lambda (args) (IfExp (Name b) (Name a) (Name c)))");
    assert_string_equal(EXPR("await a ** 2"), "(BinOp ** (Yield await (Name a)) 2)");
    assert_string_equal(EXPR("x.y(z)[0].w"), "(Attribute (Subscript (Call (Attribute (Name x) y) (Name z)) 0) w)");
}

static void atoms_and_displays(void **state)
{
    assert_string_equal(PARSE("'a' \"b\" 'c'; b'x' b'y'; f'a{b}' 'c'; 12345678901234567890123; 1.5; 1e3; ...; 0x_ff; None; True; False\n"),
        "(Expr 'abc') (Expr b'xy') (Expr (JoinedStr f'a{b}' 'c')) (Expr (BigInt 12345678901234567890123)) (Expr 1.5) "
        "(Expr 1000.0) (Expr ...) (Expr 255) (Expr None) (Expr True) (Expr False)");
    assert_string_equal(PARSE("(); (a,); (a, b); (a); [a, *b]; []; {a, b}; {}; {a: b, **c}; {1: 2,}\n"),
        "(Expr (Tuple)) (Expr (Tuple (Name a))) (Expr (Tuple (Name a) (Name b))) (Expr (Name a)) "
        "(Expr (List (Name a) (Starred (Name b)))) (Expr (List)) (Expr (Set (Name a) (Name b))) (Expr (Dict)) "
        "(Expr (Dict (Name a) (Name b) ** (Name c))) (Expr (Dict 1 2))");
    assert_string_equal(PARSE("[x for x in y if x if z for w in x]; {x for x in y}; {k: v for k, v in d.items()}; (x for x in y)\n"),
        "(Expr (ListComp (Name x) (for (Name x) (Name y) (if (Name x)) (if (Name z))) (for (Name w) (Name x)))) "
        "(Expr (SetComp (Name x) (for (Name x) (Name y)))) "
        "(Expr (DictComp (Name k) (Name v) (for (Tuple (Name k) (Name v)) (Call (Attribute (Name d) items))))) "
        "(Expr (GeneratorExp (Name x) (for (Name x) (Name y))))");
    assert_string_equal(EXPR("[x async for x in y]"), "(ListComp (Name x) (async-for (Name x) (Name y)))");
    assert_string_equal(PARSE("f(x for x in y); f(a, *b, c=1, **d); f(); f(a,)\n"),
        "(Expr (Call (Name f) (GeneratorExp (Name x) (for (Name x) (Name y))))) "
        "(Expr (Call (Name f) (Name a) (Starred (Name b)) (keyword c 1) (keyword ** (Name d)))) "
        "(Expr (Call (Name f))) (Expr (Call (Name f) (Name a)))");
    assert_string_equal(PARSE("a[1:2]; a[::2]; a[:, 0]; a[..., None]; a[1:2, ::3]; a[b, c]; a[*b]; a[:]\n"),
        "(Expr (Subscript (Name a) (Slice 1 2 _))) (Expr (Subscript (Name a) (Slice _ _ 2))) "
        "(Expr (Subscript (Name a) (Tuple (Slice _ _ _) 0))) (Expr (Subscript (Name a) (Tuple ... None))) "
        "(Expr (Subscript (Name a) (Tuple (Slice 1 2 _) (Slice _ _ 3)))) (Expr (Subscript (Name a) (Tuple (Name b) (Name c)))) "
        "(Expr (Subscript (Name a) (Starred (Name b)))) (Expr (Subscript (Name a) (Slice _ _ _)))");
    assert_string_equal(PARSE("(y := 5); f(x := 1); yield x; yield from y; await z; print(*a if b else c)\n"),
        "(Expr (NamedExpr (Name y) 5)) (Expr (Call (Name f) (NamedExpr (Name x) 1))) (Expr (Yield (Name x))) "
        "(Expr (Yield from (Name y))) (Expr (Yield await (Name z))) "
        "(Expr (Call (Name print) (Starred (IfExp (Name b) (Name a) (Name c)))))");
    assert_string_equal(EXPR("x = (yield)"), "(Assign (Name x) (Yield))");
    /* adjacent literals: one interned value */
    pys *s = first_stmt(state, "x = 'ab' 'c'\ny = 'abc'\n");
    assert_int_equal(s->assign.value->kind, PYX_STR);
    assert_int_equal(s->assign.value->str.n, 3);
    pymodule m;
    pyparse_error err;
    assert_true(pyparse("x = 'ab' 'c'\ny = 'abc'\n", 22, *state, &m, &err, NULL, NULL));
    assert_ptr_equal(m.body.v[0]->assign.value->str.s, m.body.v[1]->assign.value->str.s);
}

/* ---- spans ------------------------------------------------------------------ */

static void spans(void **state)
{
    const char *t = "x = f(16 * 5 * 5, a.b, k=g(1))\n";
    pys *s = first_stmt(state, t);
    pyx *call = s->assign.value;
    assert_string_equal(span_text(t, s->span), "x = f(16 * 5 * 5, a.b, k=g(1))@1:1");
    assert_string_equal(span_text(t, call->span), "f(16 * 5 * 5, a.b, k=g(1))@1:5");
    assert_string_equal(span_text(t, call->call.args.v[0]->span), "16 * 5 * 5@1:7");
    assert_string_equal(span_text(t, call->call.args.v[1]->span), "a.b@1:19");
    assert_string_equal(span_text(t, call->call.args.v[1]->attr.name_span), "b@1:21");
    assert_string_equal(span_text(t, call->call.kws.v[0]->span), "k=g(1)@1:24");
    assert_string_equal(span_text(t, call->call.kws.v[0]->kw.name_span), "k@1:24");
    assert_string_equal(span_text(t, call->call.kws.v[0]->kw.value->span), "g(1)@1:26");
    /* a multi-line call: from its first character to its ')' */
    const char *m = "class N:\n    def __init__(self):\n        self.fc = nn.Linear(\n            16 * 5 * 5,\n            120)\n";
    s = first_stmt(state, m);
    pys *assign = s->class_.body.v[0]->def_.body.v[0];
    call = assign->assign.value;
    assert_string_equal(span_text(m, call->span), "nn.Linear(\n            16 * 5 * 5,\n            120)@3:19");
    assert_string_equal(span_text(m, call->call.args.v[0]->span), "16 * 5 * 5@4:13");
    assert_string_equal(span_text(m, call->call.args.v[1]->span), "120@5:13");
    assert_int_equal(s->span.line, 1);
    assert_int_equal(s->span.end, strlen(m) - 1);
    /* a parenthesized expression is its inside; a tuple its parentheses */
    t = "y = (a + b) * (c, d)\n";
    s = first_stmt(state, t);
    assert_string_equal(span_text(t, s->assign.value->bin.l->span), "a + b@1:6");
    assert_string_equal(span_text(t, s->assign.value->bin.r->span), "(c, d)@1:15");
    assert_string_equal(span_text(t, s->assign.value->span), "(a + b) * (c, d)@1:5");
    /* a sole generator argument spans the call's parentheses, as in CPython */
    t = "sum(x for x in y)\n";
    s = first_stmt(state, t);
    assert_string_equal(span_text(t, s->expr->call.args.v[0]->span), "(x for x in y)@1:4");
    t = "def f(a, b=2): pass\n";
    s = first_stmt(state, t);
    assert_string_equal(span_text(t, s->def_.name_span), "f@1:5");
    assert_string_equal(span_text(t, s->def_.params.v[1].span), "b@1:10");
    assert_string_equal(span_text(t, s->def_.params.v[1].def->span), "2@1:12");
    t = "if a:\n    b\nelif c:\n    d\n";
    s = first_stmt(state, t);
    assert_string_equal(span_text(t, s->if_.orelse.v[0]->span), "elif c:\n    d@3:1");
    assert_int_equal(s->span.end, strlen(t) - 1);
}

static void on_comment(void *ud, src_span at) { *(src_span *)ud = at; }

static void comments(void **state)
{
    src_span seen = { 0 };
    pymodule m;
    pyparse_error err;
    const char *t = "# input: 3x32x32\nx = 1\n";
    assert_true(pyparse(t, strlen(t), *state, &m, &err, on_comment, &seen));
    assert_string_equal(span_text(t, seen), "# input: 3x32x32@1:1");
}

/* ---- errors ------------------------------------------------------------------ */

static void syntax_errors(void **state)
{
    /* each as CPython 3.11's compile() gives it: class, msg, lineno:offset */
    static const struct { const char *text, *want; } cases[] = {
        { "if x\n    pass\n", "SyntaxError: expected ':'@1:5" },
        { "if x y:\n    pass\n", "SyntaxError: invalid syntax@1:6" },
        { "for x in y\n    pass\n", "SyntaxError: expected ':'@1:11" },
        { "while x\n  pass\n", "SyntaxError: expected ':'@1:8" },
        { "def f()\n  pass\n", "SyntaxError: expected ':'@1:8" },
        { "def f:\n  pass\n", "SyntaxError: expected '('@1:6" },
        { "class A\n  pass\n", "SyntaxError: expected ':'@1:8" },
        { "class A(B)\n  pass\n", "SyntaxError: expected ':'@1:11" },
        { "try\n  pass\n", "SyntaxError: expected ':'@1:4" },
        { "with a\n  pass\n", "SyntaxError: expected ':'@1:7" },
        { "with a as b\n  pass\n", "SyntaxError: expected ':'@1:12" },
        { "if x:\n  pass\nelif y\n  pass\n", "SyntaxError: expected ':'@3:7" },
        { "if x:\n  pass\nelse\n  pass\n", "SyntaxError: expected ':'@3:5" },
        { "try:\n  pass\nexcept E\n  pass\n", "SyntaxError: expected ':'@3:9" },
        { "try:\n  pass\nfinally\n  pass\n", "SyntaxError: expected ':'@3:8" },
        { "try:\n  pass\nexcept\n  pass\n", "SyntaxError: expected ':'@3:7" },
        { "x = 1\n  y = 2\n", "IndentationError: unexpected indent@2:2" },
        { "if x:\npass\n", "IndentationError: expected an indented block after 'if' statement on line 1@2:1" },
        { "for x in y:\npass\n", "IndentationError: expected an indented block after 'for' statement on line 1@2:1" },
        { "while x:\npass\n", "IndentationError: expected an indented block after 'while' statement on line 1@2:1" },
        { "def f():\npass\n", "IndentationError: expected an indented block after function definition on line 1@2:1" },
        { "class A:\npass\n", "IndentationError: expected an indented block after class definition on line 1@2:1" },
        { "try:\npass\n", "IndentationError: expected an indented block after 'try' statement on line 1@2:1" },
        { "with a:\npass\n", "IndentationError: expected an indented block after 'with' statement on line 1@2:1" },
        { "if x:\n  pass\nelif y:\npass\n", "IndentationError: expected an indented block after 'elif' statement on line 3@4:1" },
        { "if x:\n  pass\nelse:\npass\n", "IndentationError: expected an indented block after 'else' statement on line 3@4:1" },
        { "try:\n  pass\nexcept E:\npass\n", "IndentationError: expected an indented block after 'except' statement on line 3@4:1" },
        { "try:\n  pass\nfinally:\npass\n", "IndentationError: expected an indented block after 'finally' statement on line 3@4:1" },
        { "if x:\n", "IndentationError: expected an indented block after 'if' statement on line 1@1:6" },
        { "if x:", "IndentationError: expected an indented block after 'if' statement on line 1@1:6" },
        { "f() = 1\n", "SyntaxError: cannot assign to function call here. Maybe you meant '==' instead of '='?@1:1" },
        { "1 = x\n", "SyntaxError: cannot assign to literal here. Maybe you meant '==' instead of '='?@1:1" },
        { "a + 1 = 2\n", "SyntaxError: cannot assign to expression here. Maybe you meant '==' instead of '='?@1:1" },
        { "(a, 1) = x\n", "SyntaxError: cannot assign to literal@1:5" },
        { "f(a b)\n", "SyntaxError: invalid syntax. Perhaps you forgot a comma?@1:3" },
        { "x = a b\n", "SyntaxError: invalid syntax@1:7" },
        { "f(a=1, b)\n", "SyntaxError: positional argument follows keyword argument@1:9" },
        { "f(**k, a)\n", "SyntaxError: positional argument follows keyword argument unpacking@1:9" },
        { "f(**k, *a)\n", "SyntaxError: iterable argument unpacking follows keyword argument unpacking@1:8" },
        { "f() += 1\n", "SyntaxError: 'function call' is an illegal expression for augmented assignment@1:1" },
        { "for f() in x: pass\n", "SyntaxError: cannot assign to function call@1:5" },
        { "del f()\n", "SyntaxError: cannot delete function call@1:5" },
        { "with a as f(): pass\n", "SyntaxError: cannot assign to function call@1:11" },
        { "f(): int\n", "SyntaxError: illegal target for annotation@1:1" },
        { "(a, b): int\n", "SyntaxError: only single target (not tuple) can be annotated@1:1" },
        { "x = 1 +\n", "SyntaxError: invalid syntax@1:8" },
        { "x = (1 +\n", "SyntaxError: '(' was never closed@1:5" },
        { "x = \n", "SyntaxError: invalid syntax@1:5" },
        { "f(a.b=1)\n", "SyntaxError: expression cannot contain assignment, perhaps you meant \"==\"?@1:3" },
        { "f(x for x in y, 1)\n", "SyntaxError: Generator expression must be parenthesized@1:3" },
        { "a = 1 = 2\n", "SyntaxError: cannot assign to literal@1:5" },
        { "[x for 1 in y]\n", "SyntaxError: cannot assign to literal@1:8" },
        { "x = 'a' b'b'\n", "SyntaxError: cannot mix bytes and nonbytes literals@1:13" },
        { "x = yield = 3\n", "SyntaxError: assignment to yield expression not possible@1:5" },
        { "None = 1\n", "SyntaxError: cannot assign to None@1:1" },
        { "def f(a=1, b): pass\n", "SyntaxError: non-default argument follows default argument@1:12" },
        { "def f(*, **k): pass\n", "SyntaxError: named arguments must follow bare *@1:7" },
        { "print \"hello\"\n", "SyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)?@1:1" },
        { "x = 1 if 2\n", "SyntaxError: expected 'else' after 'if' expression@1:5" },
        { "import a.b as c.d\n", "SyntaxError: invalid syntax@1:16" },
        { "from x import a,\n", "SyntaxError: trailing comma not allowed without surrounding parentheses@1:17" },
        { "True = 1\n", "SyntaxError: cannot assign to True@1:1" },
        { "else: pass\n", "SyntaxError: invalid syntax@1:1" },
        { "x = [1, 2\ny = 3\n", "SyntaxError: '[' was never closed@1:5" },
        { "x = )\n", "SyntaxError: unmatched ')'@1:5" },
        { " x = 1\n", "IndentationError: unexpected indent@1:1" },
        { "a, b += 1\n", "SyntaxError: 'tuple' is an illegal expression for augmented assignment@1:1" },
        { "x := 1\n", "SyntaxError: invalid syntax@1:3" },
        { "f(*)\n", "SyntaxError: invalid syntax@1:4" },
        { "class A: pass\n  x\n", "IndentationError: unexpected indent@2:2" },
        { "f() = 1 +\n", "SyntaxError: cannot assign to function call here. Maybe you meant '==' instead of '='?@1:1" },
        { "a, f() = 1\n", "SyntaxError: cannot assign to function call here. Maybe you meant '==' instead of '='?@1:4" },
        { "x = f() = 1\n", "SyntaxError: cannot assign to function call@1:5" },
        { "f() = a, b\n", "SyntaxError: cannot assign to function call here. Maybe you meant '==' instead of '='?@1:1" },
        { "f() = yield\n", "SyntaxError: cannot assign to function call@1:1" },
        { "f() = 1 = 2\n", "SyntaxError: cannot assign to function call@1:1" },
        { "[a, f()] = 1\n", "SyntaxError: cannot assign to function call@1:5" },
        { "(f()) = 1\n", "SyntaxError: cannot assign to function call here. Maybe you meant '==' instead of '='?@1:2" },
        { "f() = lambda: 1\n", "SyntaxError: cannot assign to function call@1:1" },
        { "f() = not x\n", "SyntaxError: cannot assign to function call@1:1" },
        { "if x:\n\n\n", "IndentationError: expected an indented block after 'if' statement on line 1@3:1" },
        { "def f():\n  if x:\n", "IndentationError: expected an indented block after 'if' statement on line 2@2:8" },
        { "if x:\n# c\n", "IndentationError: expected an indented block after 'if' statement on line 1@2:4" },
        { "if x:\n  pass\n    y\n", "IndentationError: unexpected indent@3:4" },
        { "if x:\n\tpass\n\t\ty\n", "IndentationError: unexpected indent@3:2" },
        { "try x\n", "SyntaxError: expected ':'@1:5" },
        { "def f() x:\n", "SyntaxError: expected ':'@1:9" },
        { "class A x:\n", "SyntaxError: invalid syntax@1:9" },
        { "for x in y z:\n", "SyntaxError: invalid syntax@1:12" },
        { "else x\n", "SyntaxError: invalid syntax@1:1" },
        { "x = 1 if 2 else\n", "SyntaxError: invalid syntax@1:16" },
        { "f(a, b\n", "SyntaxError: '(' was never closed@1:2" },
        { "x = [1, 2 3]\n", "SyntaxError: invalid syntax. Perhaps you forgot a comma?@1:9" },
        { "x = (1 2)\n", "SyntaxError: invalid syntax. Perhaps you forgot a comma?@1:6" },
        { "x = {1: 2 3: 4}\n", "SyntaxError: invalid syntax. Perhaps you forgot a comma?@1:9" },
        { "x = 1 2\n", "SyntaxError: invalid syntax@1:7" },
        { "f(a, b c)\n", "SyntaxError: invalid syntax. Perhaps you forgot a comma?@1:6" },
        { "f(a, b c=1)\n", "SyntaxError: invalid syntax. Perhaps you forgot a comma?@1:6" },
        { "x = a.1\n", "SyntaxError: invalid syntax@1:6" },
        { "x = a[1 2]\n", "SyntaxError: invalid syntax. Perhaps you forgot a comma?@1:7" },
        { "import\n", "SyntaxError: invalid syntax@1:7" },
        { "from x import\n", "SyntaxError: invalid syntax@1:14" },
        { "x = 1; ; y\n", "SyntaxError: invalid syntax@1:8" },
        { "return 1 2\n", "SyntaxError: invalid syntax@1:10" },
        { "x = [i for i in]\n", "SyntaxError: invalid syntax@1:16" },
        { "pass x\n", "SyntaxError: invalid syntax@1:6" },
        { "@dec\nx = 1\n", "SyntaxError: invalid syntax@2:1" },
        { "async x\n", "SyntaxError: invalid syntax@1:7" },
        { "x = f'a' 'b' b'c'\n", "SyntaxError: cannot mix bytes and nonbytes literals@1:18" },
        { "lambda x=1, y: x\n", "SyntaxError: non-default argument follows default argument@1:13" },
        { "def f(**k, a): pass\n", "SyntaxError: arguments cannot follow var-keyword argument@1:12" },
        { "def f(*a, *b): pass\n", "SyntaxError: * argument may appear only once@1:11" },
        { "def f():\n  if x:\ny = 1\n", "IndentationError: expected an indented block after 'if' statement on line 2@3:0" },
        { "x = 1 2\ny = \"abc\n", "SyntaxError: unterminated string literal (detected at line 2)@2:5" },
        { "x = (1 2\n", "SyntaxError: '(' was never closed@1:5" },
        { "if x:\n  y\n z\n", "IndentationError: unindent does not match any outer indentation level@3:3" },
        { "x = $\n", "SyntaxError: invalid syntax@1:5" },
        { "f(x for x in y, )\n", "SyntaxError: Generator expression must be parenthesized@1:3" },
        { "f(a, x for x in y)\n", "SyntaxError: Generator expression must be parenthesized@1:6" },
        { "try:\n  pass\n", "SyntaxError: expected 'except' or 'finally' block@2:7" },
        { "try:\n  pass\nelse:\n  pass\n", "SyntaxError: expected 'except' or 'finally' block@3:1" },
        { "x = [\n  1,\n  2\n  3]\n", "SyntaxError: invalid syntax. Perhaps you forgot a comma?@3:3" },
        { "class A:\n  def f(self):\n    return self.x(\n      1,\n      2 3)\n\n", "SyntaxError: invalid syntax. Perhaps you forgot a comma?@5:7" },
        { "if x = 1:\n  pass\n", "SyntaxError: invalid syntax. Maybe you meant '==' or ':=' instead of '='?@1:4" },
        { "while a.b = 1:\n  pass\n", "SyntaxError: cannot assign to attribute here. Maybe you meant '==' instead of '='?@1:7" },
        { "[x = 1]\n", "SyntaxError: invalid syntax. Maybe you meant '==' or ':=' instead of '='?@1:2" },
        /* tokenizer errors come through */
        { "x = 1 \\ 2\n", "SyntaxError: unexpected character after line continuation character@1:8" },
        { "if x:\n    a\n  b\n", "IndentationError: unindent does not match any outer indentation level@3:4" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = PARSE(cases[i].text);
        if (strcmp(got, cases[i].want)) print_error("case %zu: %s\n", i, cases[i].text);
        assert_string_equal(got, cases[i].want);
    }
}

/* ---- limits ------------------------------------------------------------------ */

/* text made of prefix, then `mid` n times, then suffix (a heap string). */
static char *repeat(const char *prefix, const char *mid, size_t n, const char *suffix)
{
    size_t a = strlen(prefix), b = strlen(mid), c = strlen(suffix);
    char *t = malloc(a + b * n + c + 1);
    assert_non_null(t);
    memcpy(t, prefix, a);
    for (size_t i = 0; i < n; i++) memcpy(t + a + i * b, mid, b);
    memcpy(t + a + b * n, suffix, c + 1);
    return t;
}

static const char *too_deep(void **state, const char *mid, size_t n, const char *suffix)
{
    char *t = repeat("x = ", mid, n, suffix);
    const char *r = PARSE(t);
    free(t);
    return r;
}

#define DEEP "SyntaxError: too deeply nested: probe reads at most 200 levels of nested expressions and blocks@1:"

static void depth_limit(void **state)
{
    assert_string_equal(too_deep(state, "- ", 100000, "x\n"), DEEP "405");
    assert_string_equal(too_deep(state, "not ", 100000, "x\n"), DEEP "805");
    assert_string_equal(too_deep(state, "a if b else ", 100000, "a\n"), DEEP "2412");
    assert_string_equal(too_deep(state, "lambda: ", 100000, "1\n"), DEEP "1613");
    assert_string_equal(too_deep(state, "2**", 100000, "2\n"), DEEP "606");
    /* brackets with something more a level: before the tokenizer's 200 brackets */
    char *closers = repeat("x", ")", 150, "\n");
    assert_string_equal(too_deep(state, "-f(", 150, closers), DEEP "305");
    closers[0] = '0';
    memset(closers + 1, ']', 150);
    assert_string_equal(too_deep(state, "-a[", 150, closers), DEEP "305");
    assert_string_equal(too_deep(state, "-[*", 150, closers), DEEP "305");
    free(closers);
    /* the tokenizer's own limit on brackets comes first there */
    assert_string_equal(too_deep(state, "[", 100000, "\n"), "SyntaxError: too many nested parentheses@1:205");
    /* within the limit */
    char *t = repeat("x = ", "- ", 199, "x\n");
    assert_string_not_equal(PARSE(t), DEEP "403");
    assert_int_equal(strncmp(PARSE(t), "(Assign", 7), 0);
    free(t);
    /* blocks: the tokenizer stops at 100 levels of indentation */
    sb s;
    sb_init(&s);
    for (int i = 0; i < 150; i++) sb_printf(&s, "%*sif x:\n", 4 * i, "");
    sb_printf(&s, "%*spass\n", 600, "");
    assert_string_equal(PARSE(s.buf), "IndentationError: too many levels of indentation@101:1");
    sb_free(&s);
}

/* The error of text, "" when it parses. */
static const char *error_of(void **state, const char *text)
{
    static char out[512];
    pymodule m;
    pyparse_error err;
    arena_reset(*state);
    if (pyparse(text, strlen(text), *state, &m, &err, NULL, NULL)) return "";
    snprintf(out, sizeof out, "%s@%u:%u", diag_message(&err.d), (unsigned)err.d.at.line, (unsigned)err.d.at.col);
    return out;
}

#define DEEP_MSG "too deeply nested: probe reads at most 200 levels of nested expressions and blocks"

static void long_inputs(void **state)
{
    static const struct { const char *prefix, *mid; size_t n; const char *suffix, *want; } cases[] = {
        /* linear time: 100k lines, 1 MB of a flat display, 200k arguments */
        { "", "x = 1\n", 100000, "", "" },
        { "x = [a", ", a", 300000, "]\n", "" },
        { "f(a", ", a", 200000, ")\n", "" },
        { "x = 1", " < 1", 200000, " and a or b\n", "" },
        /* chains nest the tree: each link is a level of the depth limit,
         * so that the evaluator's recursion over the tree is bounded too */
        { "x = a", " + a", 199, "\n", "" },
        { "x = a", " + a", 300000, "\n", DEEP_MSG "@1:807" },
        { "x = a", ".b[0](c)", 100000, "\n", DEEP_MSG "@1:539" },
        { "if x: pass\n", "elif x: pass\n", 50000, "else: pass\n", DEEP_MSG "@202:1" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *t = repeat(cases[i].prefix, cases[i].mid, cases[i].n, cases[i].suffix);
        assert_string_equal(error_of(state, t), cases[i].want);
        free(t);
    }
}

/* ---- whole files ---------------------------------------------------------------- */

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    sb s;
    sb_init(&s);
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) sb_putn(&s, buf, n);
    fclose(f);
    *len = s.len;
    return sb_take(&s);
}

static void parses_file(void **state, const char *path)
{
    size_t len;
    char *text = read_file(path, &len);
    assert_non_null(text);
    pymodule m;
    pyparse_error err;
    bool ok = pyparse(text, len, *state, &m, &err, NULL, NULL);
    if (!ok) print_error("%s:%u:%u: %s\n", path, (unsigned)err.d.at.line, (unsigned)err.d.at.col, diag_message(&err.d));
    assert_true(ok);
    assert_true(m.body.n > 0);
    free(text);
}

static void model_files(void **state)
{
    static const char *const files[] = {
        "tests/unit/py/data/dcgan_discriminator_64x64.py", "tests/unit/py/data/mnist_example_28x28.py",
        "tests/unit/py/data/resnet_cifar_32x32.py", "tests/unit/py/data/tutorial_net_28x28.py",
        "tests/unit/py/data/unet_small_32x32.py",
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) parses_file(state, files[i]);
    /* the tree of one, in part */
    size_t len;
    char *text = read_file(files[0], &len);
    pymodule m;
    pyparse_error err;
    assert_true(pyparse(text, len, *state, &m, &err, NULL, NULL));
    sb o;
    sb_init(&o);
    dump_s(&o, m.body.v[0]);
    sb_putc(&o, ' ');
    dump_s(&o, m.body.v[1]);
    assert_string_equal(o.buf, "(Import torch) (Import torch.nn:nn)");
    sb_free(&o);
    free(text);
}

/* Every model file of the shared corpus, when it is there (not needed
 * for the build). */
static void shared_corpus(void **state)
{
    const char *dir = "/work/shared/corpus/python";
    DIR *d = opendir(dir);
    if (!d) skip();
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 3 || strcmp(e->d_name + len - 3, ".py")) continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        arena_reset(*state);
        parses_file(state, path);
        n++;
    }
    closedir(d);
    assert_true(n > 0);
}

static void names(void **state)
{
    (void)state;
    assert_string_equal(pyparse_expr_name(PYX_CALL), "Call");
    assert_string_equal(pyparse_expr_name(PYX_GENEXP), "GeneratorExp");
    assert_string_equal(pyparse_stmt_name(PYS_DEF), "FunctionDef");
    assert_string_equal(pyparse_stmt_name(PYS_IMPORTFROM), "ImportFrom");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(simple_statements, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(compound_statements, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(precedence_and_associativity, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(atoms_and_displays, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(spans, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(comments, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(syntax_errors, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(depth_limit, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(long_inputs, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(model_files, setup_arena, free_arena),
        cmocka_unit_test_setup_teardown(shared_corpus, setup_arena, free_arena),
        cmocka_unit_test(names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
