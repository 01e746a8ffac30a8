/* test_shape_text.c - the one shape printer (sb_put_dims, sb_put_ints),
 * sb_copy_to, and the shape strings of the shape functions' messages
 * built on them: probe_shape_str and ops_tensor_str, cut as before when a
 * shape does not fit a scratch slot. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "reg/ctx.h"
#include "ops/ops.h"
#include "base/util.h"

static void put_dims_as_pytorch(void **state)
{
    (void)state;
    sb s;
    sb_init(&s);
    sb_put_dims(&s, (const int64_t[]){ 1, 16, 8, 8 }, 4);
    assert_string_equal(s.buf, "[1, 16, 8, 8]");
    s.len = 0;
    sb_put_dims(&s, NULL, 0);
    assert_string_equal(s.buf, "[]");
    s.len = 0;
    sb_put_dims(&s, (const int64_t[]){ 7 }, -3);
    assert_string_equal(s.buf, "[]");
    s.len = 0;
    sb_put_dims(&s, (const int64_t[]){ INT64_MIN, -1, 0, INT64_MAX }, 4);
    assert_string_equal(s.buf, "[-9223372036854775808, -1, 0, 9223372036854775807]");
    s.len = 0;
    sb_put_ints(&s, (const int64_t[]){ 1, 3, 0, 4 }, 4, ",");
    assert_string_equal(s.buf, "1,3,0,4");
    sb_free(&s);
}

static void copy_cuts_as_snprintf(void **state)
{
    (void)state;
    sb s;
    sb_init(&s);
    char buf[6];
    assert_string_equal(sb_copy_to(&s, buf, sizeof buf), "");     /* nothing yet */
    sb_puts(&s, "abcdefgh");
    assert_string_equal(sb_copy_to(&s, buf, sizeof buf), "abcde");
    assert_string_equal(sb_copy_to(&s, buf, 1), "");
    s.failed = true;
    assert_string_equal(sb_copy_to(&s, buf, sizeof buf), "");
    sb_free(&s);
}

/* What probe_shape_str wrote before it was built on sb_put_dims. */
static void old_shape_str(char *out, size_t cap, const int64_t *dims, int n)
{
    size_t len = 0;
    out[0] = '\0';
    len += (size_t)snprintf(out + len, cap - len, "[");
    for (int i = 0; i < n && len < cap; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s%lld", i ? ", " : "", (long long)dims[i]);
    if (len < cap) snprintf(out + len, cap - len, "]");
}

static void shape_str_is_cut_as_before(void **state)
{
    (void)state;
    probe_ctx cx;
    ctx_reset(&cx);
    int64_t dims[100];
    for (int i = 0; i < 100; i++) dims[i] = i % 2 ? INT64_MIN : i;
    char want[sizeof cx.scratch[0]];
    /* every length, up to far past what a slot holds */
    for (int n = -2; n <= 100; n++) {
        old_shape_str(want, sizeof want, dims, n);
        assert_string_equal(probe_shape_str(&cx, dims, n), want);
    }
    int64_t ones[100];
    for (int i = 0; i < 100; i++) ones[i] = 1;
    for (int n = 0; n <= 100; n++) {
        old_shape_str(want, sizeof want, ones, n);
        assert_string_equal(probe_shape_str(&cx, ones, n), want);
    }
    /* the slots rotate: four strings live at once */
    const char *a = probe_shape_str(&cx, (const int64_t[]){ 1 }, 1);
    const char *b = probe_shape_str(&cx, (const int64_t[]){ 2 }, 1);
    assert_string_equal(a, "[1]");
    assert_string_equal(b, "[2]");
}

static void tensor_str_as_aten(void **state)
{
    (void)state;
    probe_ctx cx;
    ctx_reset(&cx);
    probe_tensor x = { 4, { 1, 3, 0, 4 } };
    assert_string_equal(ops_tensor_str(&cx, &x), "[ torch.FloatTensor{1,3,0,4} ]");
    probe_tensor big = { PROBE_MAX_DIMS, { 0 } };
    for (int i = 0; i < PROBE_MAX_DIMS; i++) big.dim[i] = INT64_MIN;
    /* longer than a slot: cut to its size, as snprintf cut it */
    const char *s = ops_tensor_str(&cx, &big);
    assert_int_equal(strlen(s), sizeof cx.scratch[0] - 1);
    assert_memory_equal(s, "[ torch.FloatTensor{-9223372036854775808,-9223", 46);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(put_dims_as_pytorch),
        cmocka_unit_test(copy_cuts_as_snprintf),
        cmocka_unit_test(shape_str_is_cut_as_before),
        cmocka_unit_test(tensor_str_as_aten),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
