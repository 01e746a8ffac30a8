/* ops_check.h - the checks every ops test file shares: call a shape
 * function directly, then assert on its output shape or on the structured
 * error it reported. Included by tests/unit/ops/test_ops_*.c only. */
#ifndef PROBE_TEST_OPS_CHECK_H
#define PROBE_TEST_OPS_CHECK_H

static probe_ctx cx;        /* the last call's report */
static probe_tensor out;    /* the last call's output shape */

#define MAYBE_UNUSED __attribute__((unused))

static MAYBE_UNUSED probe_tensor mk(int n, const long long *v)
{
    probe_tensor t = { n, { 0 } };
    for (int i = 0; i < n; i++) t.dim[i] = v[i];
    return t;
}
#define SHAPE(...) mk((int)(sizeof((long long[]){ __VA_ARGS__ }) / sizeof(long long)), (long long[]){ __VA_ARGS__ })
#define P(h, w) ((probe_pair){ (h), (w) })

static MAYBE_UNUSED probe_ints mk_ints(int n, const long long *v)
{
    probe_ints t = { .n = n, .tuple = n != 1 };  /* one value: a bare int */
    for (int i = 0; i < n; i++) t.v[i] = v[i];
    return t;
}
#define INTS(...) mk_ints((int)(sizeof((long long[]){ __VA_ARGS__ }) / sizeof(long long)), (long long[]){ __VA_ARGS__ })

static void fail_report(const char *what, const char *file, int line)
{
    print_error("%s:%d: %s; probe said kind %d param '%s': %s\n", file, line, what, (int)cx.kind, cx.param, cx.message);
}

static MAYBE_UNUSED void ok_shape(int rc, probe_tensor want, const char *file, int line)
{
    if (rc != 0 || cx.kind != PROBE_OK) fail_report("expected success", file, line);
    assert_int_equal(rc, 0);
    assert_int_equal(cx.kind, PROBE_OK);
    assert_false(cx.overflow);
    bool same = out.ndim == want.ndim;
    for (int i = 0; same && i < want.ndim; i++) same = out.dim[i] == want.dim[i];
    if (!same) {
        char got[160] = "", exp[160] = "";
        for (int i = 0; i < out.ndim; i++) snprintf(got + strlen(got), sizeof got - strlen(got), " %lld", (long long)out.dim[i]);
        for (int i = 0; i < want.ndim; i++) snprintf(exp + strlen(exp), sizeof exp - strlen(exp), " %lld", (long long)want.dim[i]);
        print_error("%s:%d: output [%s ] where [%s ] was expected\n", file, line, got, exp);
    }
    assert_true(same);
}

static MAYBE_UNUSED void raises(int rc, probe_status kind, const char *param, const char *message, const char *file, int line)
{
    if (rc == 0 || cx.kind != kind || strcmp(cx.message, message)) fail_report("unexpected report", file, line);
    assert_int_not_equal(rc, 0);
    assert_int_equal(cx.kind, kind);
    assert_string_equal(cx.param, param ? param : "");
    assert_string_equal(cx.message, message);
    assert_false(cx.has_need);
}

static MAYBE_UNUSED void mismatch(int rc, const char *param, int64_t need, const char *message, const char *file, int line)
{
    if (rc == 0 || cx.kind != PROBE_MISMATCH || strcmp(cx.message, message)) fail_report("expected a mismatch", file, line);
    assert_int_not_equal(rc, 0);
    assert_int_equal(cx.kind, PROBE_MISMATCH);
    assert_string_equal(cx.param, param);
    assert_true(cx.has_need);
    assert_false(cx.need_is_ints);
    assert_int_equal(cx.need, need);
    assert_string_equal(cx.message, message);
}

static MAYBE_UNUSED void ok_build(int rc, const char *file, int line)
{
    if (rc != 0 || cx.kind != PROBE_OK) fail_report("expected the layer to be built", file, line);
    assert_int_equal(rc, 0);
    assert_int_equal(cx.kind, PROBE_OK);
}

#define OK_SHAPE(call, ...) ok_shape((call), SHAPE(__VA_ARGS__), __FILE__, __LINE__)
#define RAISES(call, kind, param, message) raises((call), (kind), (param), (message), __FILE__, __LINE__)
#define MISMATCH(call, param, need, message) mismatch((call), (param), (need), (message), __FILE__, __LINE__)
#define INVALID(call, param, message) raises((call), PROBE_INVALID, (param), (message), __FILE__, __LINE__)
#define BUILDS(call) ok_build((call), __FILE__, __LINE__)

#endif
