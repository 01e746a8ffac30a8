/* test_direct.c - the direct calls tools/genproto writes from the schemas
 * (src/reg/direct.c), which the WebAssembly build makes instead of libffi's:
 * each built-in layer called both ways with the same arguments must answer
 * the same -- the same return, error, message, parameter count and output
 * shape. The arguments differ from slot to slot, so a direct call that
 * passed one in another's place would answer differently. (Built with
 * NO_FFI=1, reg_call is the direct call itself and the comparison holds
 * trivially; `make noffi-test` runs the corpus that way.) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fixtures.h"

#include "reg/ctx.h"
#include "reg/registry.h"

/* One argument per typed parameter: its default where it has one, else a
 * value of its type that no other slot has. */
static int fill_args(const op *o, cval *a, probe_ints *store, const probe_tensor *other)
{
    int k = 0;
    for (int i = 0; i < o->nparams; i++) {
        const param *pm = &o->params[i];
        if (pm->type == PT_ANY) continue;
        cval *v = &a[k];
        int64_t n = 3 + k;
        if (!pm->required) {
            *v = pm->cdef;
        } else if (ptype_is_ints(pm->type)) {
            store[k] = (probe_ints){ .n = pm->rank ? pm->rank : 1, .tuple = pm->rank > 1 };
            for (int d = 0; d < store[k].n; d++) store[k].v[d] = n + d;
            v->ints = &store[k];
        } else {
            switch (pm->type) {
            case PT_I64: v->i = n; break;
            case PT_F64: v->f = 0.25 * (double)n; break;
            case PT_BOOL: v->b = k & 1; break;
            case PT_STR: v->s = "zeros"; break;
            case PT_PAIR: case PT_PAD: v->pair = (probe_pair){ n, n + 1 }; break;
            case PT_FPAIR: v->fpair = (probe_fpair){ 0.5, 0.25 }; break;
            case PT_TENSOR: v->tensor = other; break;
            default: fail_msg("%s: parameter '%s' of an unexpected type", o->name, pm->name);
            }
        }
        k++;
    }
    return k;
}

typedef struct answer {
    int rc;
    probe_ctx cx;
    probe_tensor y;
} answer;

/* Calls o on x into *ans, through reg_call or through the direct call. */
static void call(const op *o, reg_thunk direct, const probe_tensor *x, cval *args, arena *ar, answer *ans)
{
    ctx_reset(&ans->cx);
    ans->cx.ar = ar;
    ans->y = *x;
    ans->rc = direct ? direct(&ans->cx, &ans->y, args) : reg_call(o, &ans->cx, &ans->y, args);
}

static void same_answer(const op *o, const answer *a, const answer *b)
{
    if (a->rc != b->rc || a->cx.kind != b->cx.kind || strcmp(a->cx.message ? a->cx.message : "", b->cx.message ? b->cx.message : ""))
        fail_msg("%s: libffi answered %d '%s', the direct call %d '%s'", o->name, a->rc, a->cx.message ? a->cx.message : "",
                 b->rc, b->cx.message ? b->cx.message : "");
    assert_string_equal(a->cx.param, b->cx.param);
    assert_int_equal(a->cx.params, b->cx.params);
    assert_int_equal(a->y.ndim, b->y.ndim);
    for (int d = 0; d < a->y.ndim; d++) assert_int_equal(a->y.dim[d], b->y.dim[d]);
}

/* Every built-in layer, at an input of its rank and at a 2-D one. */
static void every_builtin_answers_alike(void **state)
{
    (void)state;
    probe_registry *reg = probe_registry_new();
    assert_non_null(reg);
    int compared = 0;
    for (size_t i = 0; i < reg->ops.len; i++) {
        const op *o = VEC_AT(reg->ops, op *, i);
        reg_thunk direct = reg_thunk_for(o->fn);
        if (!direct) fail_msg("%s: no direct call was generated for its shape function", o->name);
        for (int rank = 1; rank <= 3; rank++) {
            probe_tensor x = { rank + 2, { 1, 4, 9, 10, 11 } };
            cval args[64];
            probe_ints store[64];
            arena ar;
            arena_init(&ar);
            assert_true(fill_args(o, args, store, &x) == o->ncargs);
            answer by_ffi, by_direct;
            call(o, NULL, &x, args, &ar, &by_ffi);
            call(o, direct, &x, args, &ar, &by_direct);
            same_answer(o, &by_ffi, &by_direct);
            arena_free(&ar);
            compared++;
        }
    }
    assert_int_equal(compared, 3 * (int)reg->ops.len);
    probe_registry_free(reg);
}

static int not_a_builtin(probe_ctx *cx, probe_tensor *x)
{
    (void)cx;
    (void)x;
    return 0;
}

/* A plugin's function has no generated direct call. */
static void other_functions_have_none(void **state)
{
    (void)state;
    assert_null(reg_thunk_for((probe_shape_fn)not_a_builtin));
    assert_null(reg_thunk_for(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_builtin_answers_alike),
        cmocka_unit_test(other_functions_have_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
