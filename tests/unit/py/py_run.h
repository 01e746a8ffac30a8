/* py_run.h - running a model file given as a C string through the public
 * API, for the evaluator's tests: the status, the JSON's "output", the
 * first error's place and message. Include after cmocka.h and
 * fixtures.h; *state is the registry of setup_registry. */
#ifndef PROBE_TEST_PY_RUN_H
#define PROBE_TEST_PY_RUN_H

#include <stdlib.h>
#include <string.h>
#include "probe.h"

typedef struct pyrun {
    probe_net *net;
    probe_result *res;
    char *json;
} pyrun;

/* Runs `text` as m.py at h x w; model is a --model spec or NULL. */
static inline pyrun py_run(void **state, const char *text, int64_t h, int64_t w, const char *model)
{
    pyrun r;
    size_t len = strlen(text);
    if (model) {
        char *copy = malloc(len + 1);
        assert_non_null(copy);
        memcpy(copy, text, len + 1);
        r.net = probe_net_adopt_model(*state, "m.py", copy, len, model);
    } else {
        r.net = probe_net_parse(*state, "m.py", text, len);
    }
    assert_non_null(r.net);
    probe_options opt = probe_options_default();
    opt.h = h;
    opt.w = w;
    r.res = probe_run(r.net, &opt);
    assert_non_null(r.res);
    r.json = probe_result_json(r.res);
    assert_non_null(r.json);
    return r;
}

static inline void py_run_free(pyrun *r)
{
    free(r->json);
    probe_result_free(r->res);
    probe_net_free(r->net);
}

/* How many times `part` occurs in `text`. */
static inline int count_of(const char *text, const char *part)
{
    int n = 0;
    for (const char *p = strstr(text, part); p; p = strstr(p + 1, part)) n++;
    return n;
}

static inline void expect_has(const char *text, const char *part)
{
    if (!strstr(text, part)) print_error("missing: %s\nin: %s\n", part, text);
    assert_non_null(strstr(text, part));
}

static inline void expect_status(const pyrun *r, probe_status want)
{
    if (probe_result_status(r->res) != want) print_error("%s\n", r->json);
    assert_int_equal(probe_result_status(r->res), want);
}

/* The JSON's top-level "output" (it comes before the layers' own). */
static inline void expect_json_output(const pyrun *r, const char *want)
{
    const char *p = strstr(r->json, "\"output\": ");
    assert_non_null(p);
    p += strlen("\"output\": ");
    size_t n = strlen(want);
    bool same = !strncmp(p, want, n) && p[n] == ',';
    if (!same) print_error("output: want %s\nin: %s\n", want, r->json);
    assert_true(same);
}

/* The file runs and forward() returns the shape `want` ("[1, 10]"). */
static inline void expect_output(void **state, const char *text, int64_t h, int64_t w, const char *want)
{
    pyrun r = py_run(state, text, h, w, NULL);
    expect_status(&r, PROBE_OK);
    expect_json_output(&r, want);
    py_run_free(&r);
}

/* The file runs ok, the first Linear receiving in_features (-1: none
 * reached) and forward() returning `output`; the caller frees the run. */
static inline pyrun expect_ok(void **state, const char *text, int64_t h, int64_t w, int64_t in_features,
                              const char *output)
{
    pyrun r = py_run(state, text, h, w, NULL);
    expect_status(&r, PROBE_OK);
    assert_int_equal(probe_result_in_features(r.res), in_features);
    expect_json_output(&r, output);
    return r;
}

/* The first error of r is `msg` at line:col, of kind `kind`. */
static inline void expect_first_error(const pyrun *r, probe_status kind, int line, int col, const char *msg)
{
    expect_status(r, kind);
    assert_true(probe_result_error_count(r->res) >= 1);
    probe_error_info e = probe_result_error(r->res, 0);
    if (e.line != line || e.col != col || strcmp(e.message, msg))
        print_error("want %d:%d %s\ngot  %d:%d %s\n", line, col, msg, e.line, e.col, e.message);
    assert_int_equal(e.line, line);
    assert_int_equal(e.col, col);
    assert_string_equal(e.message, msg);
}

/* The file stops at one error: `msg` at line:col, the JSON's output null. */
static inline void expect_error(void **state, const char *text, int64_t h, int64_t w, probe_status kind, int line,
                                int col, const char *msg)
{
    pyrun r = py_run(state, text, h, w, NULL);
    expect_first_error(&r, kind, line, col, msg);
    assert_int_equal(probe_result_error_count(r.res), 1);
    expect_json_output(&r, "null");
    py_run_free(&r);
}

#endif
