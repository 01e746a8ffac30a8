/* test_registry_threads.c - registries share no mutable state: each owns
 * the ffi_type structs libffi fills in, and two registries set up and
 * used in two threads at once give the answers one gives alone. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "reg/registry.h"

/* Sizes (kernel_size, padding, stride: pointers), fpairs (scale_factor,
 * the struct libffi passes by value) and plain values. */
static const char NET[] =
    "input: 3x16x16\n"
    "nn.Conv2d(3, 8, kernel_size=(3, 5), padding=(1, 2), stride=(1, 1))\n"
    "nn.BatchNorm2d(8)\n"
    "nn.ReLU(inplace=True)\n"
    "nn.MaxPool2d(kernel_size=2, stride=2)\n"
    "nn.Upsample(scale_factor=(2.0, 0.5))\n"
    "nn.AvgPool2d((2, 1))\n"
    "nn.Flatten()\n"
    "nn.Linear(100, 10)\n";

enum { ROUNDS = 20 };

/* What a whole set-up, parse, run and report gives: the table and the
 * diagnostics, malloc'd ("" for none); NULL when out of memory. */
static char *probe_once(probe_registry **keep)
{
    probe_registry *reg = probe_registry_new();
    if (!reg) return NULL;
    probe_net *net = probe_net_parse(reg, "t.cfg", NET, sizeof NET - 1);
    probe_result *res = net ? probe_run(net, &(probe_options){ .h = 16, .w = 16 }) : NULL;
    char *table = res ? probe_result_table(res) : NULL;
    char *diag = res ? probe_result_diagnostics(res) : NULL;
    char *both = NULL;
    if (table && diag && (both = malloc(strlen(table) + strlen(diag) + 1))) {
        strcpy(both, table);
        strcat(both, diag);
    }
    free(table);
    free(diag);
    probe_result_free(res);
    probe_net_free(net);
    if (keep) *keep = reg;
    else probe_registry_free(reg);
    return both;
}

typedef struct worker {
    char *answers[ROUNDS];
    probe_registry *reg;    /* the last round's, kept to compare */
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    for (int r = 0; r < ROUNDS; r++) w->answers[r] = probe_once(r == ROUNDS - 1 ? &w->reg : NULL);
    return NULL;
}

static void two_threads_answer_as_one(void **state)
{
    (void)state;
    char *alone = probe_once(NULL);
    assert_non_null(alone);
    assert_non_null(strstr(alone, "[1, 10]"));  /* it ran through */
    worker w[2];
    memset(w, 0, sizeof w);
    pthread_t t[2];
    for (int i = 0; i < 2; i++) assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
    for (int i = 0; i < 2; i++) assert_int_equal(pthread_join(t[i], NULL), 0);
    for (int i = 0; i < 2; i++) {
        for (int r = 0; r < ROUNDS; r++) {
            assert_non_null(w[i].answers[r]);
            assert_string_equal(w[i].answers[r], alone);
            free(w[i].answers[r]);
        }
    }
    /* each registry's struct types are its own, filled in by libffi */
    assert_non_null(w[0].reg);
    assert_non_null(w[1].reg);
    assert_ptr_not_equal(&w[0].reg->ffi_fpair, &w[1].reg->ffi_fpair);
    for (int i = 0; i < 2; i++) {
        /* (no built-in layer passes a probe_pair now: only fpair is filled in) */
        assert_int_equal(w[i].reg->ffi_fpair.size, 2 * sizeof(double));
        probe_registry_free(w[i].reg);
    }
    free(alone);
}

/* The call interface of an op with a struct argument (Upsample's fpair)
 * points at its own registry's type, not at one shared with another
 * registry. */
static void ops_use_their_registry_types(void **state)
{
    (void)state;
    probe_registry *a = probe_registry_new(), *b = probe_registry_new();
    assert_non_null(a);
    assert_non_null(b);
    const op *ca = reg_find(a, "Upsample"), *cb = reg_find(b, "Upsample");
    assert_non_null(ca);
    assert_non_null(cb);
    int pairs = 0;
    for (int k = 2; k < ca->ncargs + 2; k++) {
        if (ca->atypes[k]->type != FFI_TYPE_STRUCT) continue;
        assert_ptr_equal(ca->atypes[k], &a->ffi_fpair);
        assert_ptr_equal(cb->atypes[k], &b->ffi_fpair);
        pairs++;
    }
    assert_int_equal(pairs, 1);    /* scale_factor */
    probe_registry_free(a);
    probe_registry_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(two_threads_answer_as_one),
        cmocka_unit_test(ops_use_their_registry_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
