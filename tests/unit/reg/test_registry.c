/* test_registry.c - the op table: every built-in schema, the schema
 * parser's errors, registration, suggestions, and the libffi call that
 * passes each schema type to a shape function as its C type. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fixtures.h"

#include "reg/ctx.h"
#include "model/net.h"

/* Every built-in schema, straight from the list the table is made from. */
static const char *const builtin_schemas[] = {
#define OP(id, fn, flags, schema) schema,
#include "ops/ops.def"
#undef OP
};
enum { NBUILTIN = sizeof builtin_schemas / sizeof builtin_schemas[0] };

/* The op's name: the schema up to its '(' (or its '[rank]'). */
static void name_of(const char *schema, char *buf, size_t cap)
{
    size_t n = strcspn(schema, "([");
    assert_true(n < cap);
    memcpy(buf, schema, n);
    buf[n] = '\0';
}

static void every_builtin_is_registered(void **state)
{
    const probe_registry *reg = *state;
    assert_int_equal(reg->ops.len, NBUILTIN);
    for (size_t k = 0; k < NBUILTIN; k++) {
        char name[64];
        name_of(builtin_schemas[k], name, sizeof name);
        const op *o = reg_find(reg, name);
        if (!o) print_error("'%s' is not registered\n", name);
        assert_non_null(o);
        assert_string_equal(o->name, name);
        assert_string_equal(o->schema_text, builtin_schemas[k]);
        assert_non_null(o->fn);
    }
}

static void every_builtin_schema_parses_again(void **state)
{
    (void)state;
    arena ar;
    arena_init(&ar);
    for (size_t k = 0; k < NBUILTIN; k++) {
        op o;
        char err[256] = "";
        bool ok = reg_parse_schema(&ar, builtin_schemas[k], &o, err, sizeof err);
        if (!ok) print_error("%s: %s\n", builtin_schemas[k], err);
        assert_true(ok);
        assert_true(o.npositional <= o.nparams);
    }
    arena_free(&ar);
}

/* The C call passes one argument per parameter that is not `any`. */
static void ncargs_counts_the_typed_parameters(void **state)
{
    const probe_registry *reg = *state;
    for (size_t k = 0; k < reg->ops.len; k++) {
        const op *o = VEC_AT(reg->ops, op *, k);
        int typed = 0;
        for (int i = 0; i < o->nparams; i++) typed += o->params[i].type != PT_ANY;
        if (o->ncargs != typed) print_error("%s: ncargs %d, typed parameters %d\n", o->name, o->ncargs, typed);
        assert_int_equal(o->ncargs, typed);
        assert_int_equal(o->cif.nargs, (unsigned)typed + 2);
    }
}

static void conv2d_schema_in_detail(void **state)
{
    const op *o = reg_find(*state, "Conv2d");
    assert_non_null(o);
    assert_int_equal(o->nparams, 11);
    assert_int_equal(o->npositional, 11);
    assert_int_equal(o->ncargs, 9);
    assert_false(o->varargs);
    assert_int_equal(o->flags, OPF_CONV_MACS);
    assert_int_equal(o->features, -1);
    const param *in = &o->params[0];
    assert_string_equal(in->name, "in_channels");
    assert_int_equal(in->type, PT_I64);
    assert_true(in->inferable);
    assert_true(in->declares_input);
    assert_true(in->required);
    assert_false(in->keyword_only);
    const param *out = &o->params[1];
    assert_false(out->inferable);
    assert_false(out->declares_input);
    const param *stride = &o->params[3];
    assert_string_equal(stride->name, "stride");
    assert_int_equal(stride->type, PT_SIZE);
    assert_false(stride->required);
    assert_int_equal(stride->def.kind, VAL_INT);
    assert_int_equal(stride->def.i, 1);
    assert_int_equal(o->params[4].type, PT_PSIZE);
    const param *mode = &o->params[8];
    assert_int_equal(mode->def.kind, VAL_STR);
    assert_string_equal(mode->def.s, "zeros");
    assert_int_equal(o->params[9].type, PT_ANY);
    assert_int_equal(o->params[9].def.kind, VAL_NONE);
}

static void lazy_and_repr_only_schemas(void **state)
{
    const op *o = reg_find(*state, "LazyLinear");
    assert_non_null(o);
    assert_int_equal(o->flags, OPF_LINEAR);
    assert_int_equal(o->features, 4);   /* the ~in_features a LazyLinear infers */
    /* in_features is printed, not taken: never by position */
    assert_int_equal(o->npositional, 4);
    const param *in = &o->params[4];
    assert_string_equal(in->name, "in_features");
    assert_true(in->repr_only);
    assert_true(in->keyword_only);
    assert_true(in->inferable);
    assert_int_equal(in->def.kind, VAL_QUESTION);
    o = reg_find(*state, "ZeroPad2d");
    assert_int_equal(o->npositional, 1);
    assert_true(o->params[1].repr_only);
    assert_true(o->params[1].def.kind == VAL_FLOAT && o->params[1].def.f == 0.0);
    assert_true(reg_find(*state, "Identity")->varargs);
    assert_int_equal(reg_find(*state, "Flatten")->flags, OPF_FLATTEN);
    assert_int_equal(reg_find(*state, "Linear")->flags, OPF_LINEAR);
    assert_int_equal(reg_find(*state, "Linear")->features, 0);
    assert_true(reg_find(*state, "PixelUnshuffle")->flags & OPF_NOT_MONOTONE);
    assert_false(reg_find(*state, "PixelShuffle")->flags & OPF_NOT_MONOTONE);
    assert_int_equal(reg_find(*state, "Sigmoid")->nparams, 0);
}

static void find_is_exact(void **state)
{
    assert_null(reg_find(*state, "conv2d"));
    assert_null(reg_find(*state, "Conv2D"));
    assert_null(reg_find(*state, ""));
    assert_null(reg_find(*state, "Sequential"));
}

static void suggestions(void **state)
{
    static const struct { const char *typed, *want; } cases[] = {
        { "Conv2D", "Conv2d" }, { "conv2d", "Conv2d" }, { "RELU", "ReLU" }, { "Relu", "ReLU" },
        { "Linaer", "Linear" }, { "MaxPool", "MaxPool2d" }, { "Maxpool2d", "MaxPool2d" },
        { "BatchNorm", "BatchNorm2d" }, { "Dropuot", "Dropout" }, { "Upsampel", "Upsample" },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const char *got = reg_suggest(*state, cases[k].typed);
        if (!got || strcmp(got, cases[k].want))
            print_error("%s: suggested %s, want %s\n", cases[k].typed, got ? got : "nothing", cases[k].want);
        assert_non_null(got);
        assert_string_equal(got, cases[k].want);
    }
    assert_null(reg_suggest(*state, "Transformer"));
    assert_null(reg_suggest(*state, "MyFancyBlock"));
    assert_null(reg_suggest(*state, "x"));
}

static void type_names(void **state)
{
    (void)state;
    static const struct { ptype t; const char *name, *ctype; } cases[] = {
        { PT_I64, "i64", "int64_t" }, { PT_F64, "f64", "double" }, { PT_BOOL, "bool", "int" },
        { PT_STR, "str", "const char *" }, { PT_PAIR, "pair", "probe_pair" },
        { PT_FPAIR, "fpair", "probe_fpair" }, { PT_PAD, "pad", "probe_pair" },
        { PT_INTS, "ints", "const probe_ints *" }, { PT_SIZE, "size", "const probe_ints *" },
        { PT_PSIZE, "psize", "const probe_ints *" }, { PT_TENSOR, "tensor", "const probe_tensor *" },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        assert_string_equal(reg_type_name(cases[k].t), cases[k].name);
        assert_string_equal(reg_ctype(cases[k].t), cases[k].ctype);
    }
    assert_string_equal(reg_type_name(PT_ANY), "any");
    assert_null(reg_ctype(PT_ANY));
}

/* ---- the schema parser ------------------------------------------------- */

static void schema_forms(void **state)
{
    (void)state;
    arena ar;
    arena_init(&ar);
    op o;
    char err[256];
    assert_true(reg_parse_schema(&ar, "Empty()", &o, err, sizeof err));
    assert_int_equal(o.nparams, 0);
    assert_int_equal(o.npositional, 0);
    assert_true(reg_parse_schema(&ar, "Any(...)", &o, err, sizeof err));
    assert_true(o.varargs);
    assert_int_equal(o.nparams, 0);
    /* after '*' a required parameter may follow one with a default */
    assert_true(reg_parse_schema(&ar, " K ( a: i64 = 1 , * , b: str , c: pair = (1, 2) ) ", &o, err, sizeof err));
    assert_string_equal(o.name, "K");
    assert_int_equal(o.nparams, 3);
    assert_int_equal(o.npositional, 1);
    assert_true(o.params[1].keyword_only);
    assert_true(o.params[1].required);
    assert_int_equal(o.params[2].def.kind, VAL_TUPLE);
    assert_int_equal(o.params[2].def.n, 2);
    assert_true(reg_parse_schema(&ar, "F(x: i64 in ?, y: f64 = -0.5)", &o, err, sizeof err));
    assert_true(o.params[0].inferable);
    assert_true(o.params[0].declares_input);
    assert_true(o.params[1].def.f == -0.5);
    assert_int_equal(o.rank, 0);
    /* a rank after the name: the size defaults hold that many values */
    assert_true(reg_parse_schema(&ar, "Box[3](k: size, s: size = 2, p: psize = 'same', q: size = None)", &o, err, sizeof err));
    assert_string_equal(o.name, "Box");
    assert_int_equal(o.rank, 3);
    assert_int_equal(o.params[0].rank, 3);
    const probe_ints *s = o.params[1].cdef.ints, *p = o.params[2].cdef.ints;
    assert_true(s->n == 3 && !s->tuple && s->v[0] == 2 && s->v[1] == 2 && s->v[2] == 2);
    assert_true(p->n == 3 && p->v[0] == PROBE_SAME && p->v[2] == PROBE_SAME);
    assert_int_equal(o.params[3].cdef.ints->n, -1);
    arena_free(&ar);
}

#define EXPECT_SCHEMA_ERROR(schema, msg)                                    \
    do {                                                                    \
        op o_;                                                              \
        char err_[256] = "";                                                \
        assert_false(reg_parse_schema(&ar, (schema), &o_, err_, sizeof err_)); \
        assert_string_equal(err_, (msg));                                   \
    } while (0)

static void schema_errors(void **state)
{
    (void)state;
    arena ar;
    arena_init(&ar);
    EXPECT_SCHEMA_ERROR("Conv2d", "schema must start with 'Name(': 'Conv2d'");
    EXPECT_SCHEMA_ERROR("C(k: size)", "parameter 'k': a size needs the layer's spatial rank, as in 'Name[2](...)'");
    EXPECT_SCHEMA_ERROR("C[0](k: size)", "schema of 'C[0]': the rank in '[...]' must be 1 to 6");
    EXPECT_SCHEMA_ERROR("C[7](k: size)", "schema of 'C[7]': the rank in '[...]' must be 1 to 6");
    EXPECT_SCHEMA_ERROR("[2](k: size)", "schema of '[2]': the rank in '[...]' must be 1 to 6");
    EXPECT_SCHEMA_ERROR("C[2](k: size = (1, 2, 3))", "parameter 'k': the default is not size");
    EXPECT_SCHEMA_ERROR("C(t: tensor = 1)",
                        "parameter 't': the default is not tensor: it takes a tensor, and nothing in a net.cfg can name one");
    EXPECT_SCHEMA_ERROR("(x: i64)", "schema must start with 'Name(': '(x: i64)'");
    EXPECT_SCHEMA_ERROR("2d(x: i64)", "schema must start with 'Name(': '2d(x: i64)'");
    EXPECT_SCHEMA_ERROR("F(x: i64", "schema of 'F' must end with ')'");
    EXPECT_SCHEMA_ERROR("F(x: int)", "parameter 'x' has an unknown type 'int'");
    EXPECT_SCHEMA_ERROR("F(x: i64 lazy)", "parameter 'x' has an unknown flag 'lazy'");
    EXPECT_SCHEMA_ERROR("F(x: i64 !)", "parameter 'x': unexpected '!'");
    EXPECT_SCHEMA_ERROR("F(x: f64 ?)", "parameter 'x': '?' and 'in' need type i64");
    EXPECT_SCHEMA_ERROR("F(x: i64, x: f64)", "schema of 'F' names 'x' twice");
    EXPECT_SCHEMA_ERROR("F(x: i64 = 1, y: i64)", "schema of 'F': required 'y' follows a parameter with a default");
    EXPECT_SCHEMA_ERROR("F(x)", "parameter 'x' has no ': type'");
    EXPECT_SCHEMA_ERROR("F(1x: i64)", "bad parameter name '1x'");
    EXPECT_SCHEMA_ERROR("F(~x: i64)", "'~x' needs a default");
    EXPECT_SCHEMA_ERROR("F(x: i64 = 1 2)", "parameter 'x': bad default '1 2': expected the end of the value, got an integer");
    EXPECT_SCHEMA_ERROR("F(x: i64,, y: i64)", "schema of 'F' has an empty parameter");
    EXPECT_SCHEMA_ERROR("F(x: pair = (1, 2)", "parameter 'x': bad default '(1, 2': expected ',' or ')', got end of file");
    EXPECT_SCHEMA_ERROR("F(x: i64 (, y: i64)", "parameter 'x': unexpected '('");
    /* defaults are converted once, when the layer is registered */
    EXPECT_SCHEMA_ERROR("F(x: i64 = 'a')", "parameter 'x': the default is not i64");
    EXPECT_SCHEMA_ERROR("F(x: pad = 'full')", "parameter 'x': the default is not pad: bad padding string");
    EXPECT_SCHEMA_ERROR("F(x: pair = -9223372036854775807 - 1)",
                        "parameter 'x': the default is not pair: an integer probe reserves for None or 'same'");
    EXPECT_SCHEMA_ERROR("F(x: i64 = ?)", "parameter 'x': a '?' default needs the '?' flag");
    arena_free(&ar);
}

/* ---- registration ------------------------------------------------------ */

static int noop_shape(probe_ctx *cx, probe_tensor *x, int64_t a)
{
    (void)cx; (void)x; (void)a;
    return 0;
}

static void register_refusals(void **state)
{
    probe_registry *reg = *state;
    size_t before = reg->ops.len;
    assert_int_not_equal(probe_register(reg, "Conv2d(x: i64)", (probe_shape_fn)noop_shape), 0);
    assert_string_equal(probe_registry_error(reg), "layer 'Conv2d' is already registered");
    assert_int_not_equal(probe_register(reg, "Focus(x: int)", (probe_shape_fn)noop_shape), 0);
    assert_string_equal(probe_registry_error(reg), "bad schema: parameter 'x' has an unknown type 'int'");
    assert_int_not_equal(probe_register(reg, "Focus(x: i64)", NULL), 0);
    assert_string_equal(probe_registry_error(reg), "register: schema and function are required");
    assert_int_not_equal(probe_register(reg, NULL, (probe_shape_fn)noop_shape), 0);
    assert_int_equal(reg->ops.len, before);
    assert_null(reg_find(reg, "Focus"));
    /* the built-in of that name is untouched */
    assert_int_equal(reg_find(reg, "Conv2d")->nparams, 11);
}

static void plugin_that_does_not_exist(void **state)
{
    probe_registry *reg = *state;
    assert_int_not_equal(probe_registry_load_plugin(reg, "/nonexistent/plugin.so"), 0);
    const char *msg = probe_registry_error(reg);
    assert_true(!strncmp(msg, "cannot load plugin: ", 20));
}

/* ---- the libffi call ------------------------------------------------------ */

/* What the recording shape function last received. */
static struct {
    int calls;
    probe_ctx *cx;
    probe_tensor *x;
    probe_pair p;
    int64_t n;
    double f;
    char s[32];
    probe_ints v;
    int b;
    probe_fpair fp;
    probe_pair pd;
    probe_ints sz, ps;
    const probe_tensor *t;
} got;

static int record_shape(probe_ctx *cx, probe_tensor *x, probe_pair p, int64_t n, double f,
                        const char *s, const probe_ints *v, int b, probe_fpair fp, probe_pair pd,
                        const probe_ints *sz, const probe_ints *ps, const probe_tensor *t)
{
    got.calls++;
    got.cx = cx;
    got.x = x;
    got.p = p;
    got.n = n;
    got.f = f;
    snprintf(got.s, sizeof got.s, "%s", s ? s : "(null)");
    got.v = *v;
    got.b = b;
    got.fp = fp;
    got.pd = pd;
    got.sz = *sz;
    got.ps = *ps;
    got.t = t;
    /* a build (x == NULL) succeeds; a forward answers something to check */
    return x ? 42 : 0;
}

static const char *const RECORD_SCHEMA =
    "Record[3](p: pair, n: i64, f: f64, s: str, v: ints, b: bool, device: any = None, "
    "fp: fpair = 0.25, pd: pad = 'same', sz: size = (4, 5, 6), ps: psize = 'same', t: tensor = None)";

/* A registry of its own, so that the built-in list stays as it is. */
static probe_registry *registry_with_record(void)
{
    probe_registry *reg = probe_registry_new();
    assert_non_null(reg);
    assert_int_equal(probe_register(reg, RECORD_SCHEMA, (probe_shape_fn)record_shape), 0);
    assert_string_equal(probe_registry_error(reg), "");
    return reg;
}

static void call_marshals_every_c_type(void **state)
{
    (void)state;
    probe_registry *reg = registry_with_record();
    const op *o = reg_find(reg, "Record");
    assert_non_null(o);
    assert_int_equal(o->ncargs, 11);
    probe_ints ints = { .n = 3, .tuple = 1, .v = { 7, PROBE_NONE, -9 } };
    probe_ints sz = { .n = 3, .v = { INT64_MAX, 0, -1 } }, ps = { .n = 3, .v = { PROBE_SAME, 2, 3 } };
    probe_tensor other = { 3, { 2, 3, 4 } };
    cval args[11];
    memset(args, 0, sizeof args);
    args[0].pair = (probe_pair){ INT64_MAX, -3 };
    args[1].i = INT64_MIN + 5;
    args[2].f = -1.5e-300;
    args[3].s = "hello";
    args[4].ints = &ints;
    args[5].b = 1;
    args[6].fpair = (probe_fpair){ 0.125, 1e300 };
    args[7].pair = (probe_pair){ PROBE_SAME, 11 };
    args[8].ints = &sz;
    args[9].ints = &ps;
    args[10].tensor = &other;
    probe_tensor x = { 2, { 1, 5 } };
    probe_ctx cx;
    ctx_reset(&cx);
    memset(&got, 0, sizeof got);
    assert_int_equal(reg_call(o, &cx, &x, args), 42);
    assert_int_equal(got.calls, 1);
    assert_ptr_equal(got.cx, &cx);
    assert_ptr_equal(got.x, &x);
    assert_true(got.p.h == INT64_MAX && got.p.w == -3);
    assert_true(got.n == INT64_MIN + 5);
    assert_true(got.f == -1.5e-300);
    assert_string_equal(got.s, "hello");
    assert_int_equal(got.v.n, 3);
    assert_true(got.v.v[0] == 7 && got.v.v[1] == PROBE_NONE && got.v.v[2] == -9);
    assert_int_equal(got.b, 1);
    assert_true(got.fp.h == 0.125 && got.fp.w == 1e300);
    assert_true(got.pd.h == PROBE_SAME && got.pd.w == 11);
    assert_true(got.sz.n == 3 && got.sz.v[0] == INT64_MAX && got.sz.v[2] == -1);
    assert_true(got.ps.n == 3 && got.ps.v[0] == PROBE_SAME && got.ps.v[2] == 3);
    assert_ptr_equal(got.t, &other);
    probe_registry_free(reg);
}

/* The whole way: a net.cfg line bound to the schema, then the call that
 * builds the layer (x == NULL) with the bound values. */
static void registered_layer_is_bound_and_built(void **state)
{
    (void)state;
    probe_registry *reg = registry_with_record();
    memset(&got, 0, sizeof got);
    static const char text[] = "Record((3, 4), -5, 2, \"abc\", [1, None, 3], False, 'cpu')\n";
    probe_net *net = probe_net_parse(reg, "r.cfg", text, sizeof text - 1);
    assert_non_null(net);
    assert_false(net->invalid);
    assert_int_equal(net->nlayers, 1);
    assert_int_equal(got.calls, 1);
    assert_null(got.x);
    assert_true(got.p.h == 3 && got.p.w == 4);
    assert_true(got.n == -5);
    assert_true(got.f == 2.0);
    assert_string_equal(got.s, "abc");
    assert_int_equal(got.v.n, 3);
    assert_true(got.v.v[1] == PROBE_NONE && got.v.v[2] == 3);
    assert_int_equal(got.b, 0);
    assert_true(got.fp.h == 0.25 && got.fp.w == 0.25);
    assert_true(got.pd.h == PROBE_SAME && got.pd.w == PROBE_SAME);
    assert_true(got.sz.n == 3 && got.sz.v[0] == 4 && got.sz.v[2] == 6);
    assert_true(got.ps.n == 3 && got.ps.v[1] == PROBE_SAME);
    assert_null(got.t);
    probe_net_free(net);
    probe_registry_free(reg);
}

/* A size is the rank's ints, however it is written; a wrong count is a
 * type error with the rank in it, and 'same'/'valid' stay psize's. */
static void size_arguments_are_bound_to_the_rank(void **state)
{
    (void)state;
    probe_registry *reg = registry_with_record();
    static const char ok[] = "Record(1, 2, 3, 's', 4, True, sz=7, ps=[1, 2, 3])\n";
    probe_net *net = probe_net_parse(reg, "r.cfg", ok, sizeof ok - 1);
    assert_non_null(net);
    assert_false(net->invalid);
    assert_true(got.sz.n == 3 && !got.sz.tuple && got.sz.v[0] == 7 && got.sz.v[1] == 7 && got.sz.v[2] == 7);
    assert_true(got.ps.n == 3 && got.ps.tuple && got.ps.v[0] == 1 && got.ps.v[2] == 3);
    probe_net_free(net);
    static const char *const bad[][2] = {
        { "Record(1, 2, 3, 's', 4, True, sz=(1, 2))\n",
          "Record() argument 'sz' must be an int or a tuple of 3 ints, not tuple" },
        { "Record(1, 2, 3, 's', 4, True, ps=None)\n",
          "Record() argument 'ps' must be an int, a tuple of 3 ints, 'same' or 'valid', not NoneType" },
        { "Record(1, 2, 3, 's', 4, True, ps='full')\n",
          "Invalid padding string 'full', should be one of {'valid', 'same'}" },
        { "Record(1, 2, 3, 's', 4, True, t=(1, 2))\n",
          "Record() argument 't': it takes a tensor, and nothing in a net.cfg can name one" },
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        net = probe_net_parse(reg, "r.cfg", bad[k][0], strlen(bad[k][0]));
        assert_non_null(net);
        assert_true(net->invalid);
        assert_string_equal(diag_message(&net->error), bad[k][1]);
        probe_net_free(net);
    }
    probe_registry_free(reg);
}

/* ---- a layer of two inputs ------------------------------------------------- */

/* torch.add(x, other) without broadcasting: the second input is a
 * schema's tensor parameter, passed through libffi as the first is. */
static int add_shape(probe_ctx *cx, probe_tensor *x, const probe_tensor *other)
{
    if (!x) return 0;
    if (!other) return probe_raise(cx, PROBE_ERROR, "other", "add() missing the tensor 'other'");
    for (int i = 0; i < x->ndim || i < other->ndim; i++)
        if (x->ndim != other->ndim || x->dim[i] != other->dim[i])
            return probe_raise(cx, PROBE_ERROR, NULL, "The size of tensor a (%lld) must match the size of tensor b (%lld) at non-singleton dimension %d",
                               (long long)x->dim[i], (long long)other->dim[i], i);
    return 0;
}

static void two_inputs_through_reg_call(void **state)
{
    (void)state;
    probe_registry *reg = probe_registry_new();
    assert_non_null(reg);
    assert_int_equal(probe_register(reg, "Add(other: tensor)", (probe_shape_fn)add_shape), 0);
    const op *o = reg_find(reg, "Add");
    assert_non_null(o);
    assert_int_equal(o->ncargs, 1);
    assert_int_equal(o->rank, 0);
    probe_tensor x = { 3, { 2, 3, 4 } }, same = x, other = { 3, { 2, 5, 4 } };
    cval args[1] = { { .tensor = &same } };
    probe_ctx cx;
    ctx_reset(&cx);
    assert_int_equal(reg_call(o, &cx, &x, args), 0);
    assert_int_equal(cx.kind, PROBE_OK);
    args[0].tensor = &other;
    ctx_reset(&cx);
    assert_int_equal(reg_call(o, &cx, &x, args), 1);
    assert_string_equal(cx.message,
                        "The size of tensor a (3) must match the size of tensor b (5) at non-singleton dimension 1");
    /* nothing in a net.cfg names a tensor: the binder says so */
    static const char text[] = "Add(other=3)\n";
    probe_net *net = probe_net_parse(reg, "a.cfg", text, sizeof text - 1);
    assert_non_null(net);
    assert_true(net->invalid);
    assert_string_equal(diag_message(&net->error), "Add() argument 'other': it takes a tensor, and nothing in a net.cfg can name one");
    probe_net_free(net);
    probe_registry_free(reg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_builtin_is_registered),
        cmocka_unit_test(every_builtin_schema_parses_again),
        cmocka_unit_test(ncargs_counts_the_typed_parameters),
        cmocka_unit_test(conv2d_schema_in_detail),
        cmocka_unit_test(lazy_and_repr_only_schemas),
        cmocka_unit_test(find_is_exact),
        cmocka_unit_test(suggestions),
        cmocka_unit_test(type_names),
        cmocka_unit_test(schema_forms),
        cmocka_unit_test(schema_errors),
        cmocka_unit_test(register_refusals),
        cmocka_unit_test(plugin_that_does_not_exist),
        cmocka_unit_test(call_marshals_every_c_type),
        cmocka_unit_test(registered_layer_is_bound_and_built),
        cmocka_unit_test(size_arguments_are_bound_to_the_rank),
        cmocka_unit_test(two_inputs_through_reg_call),
    };
    return cmocka_run_group_tests(tests, setup_registry, free_registry);
}
