/*
 * probe_plugin.h - the contract between probe and a layer's shape function.
 *
 * Every layer probe knows, built in or loaded with --plugin, is two things:
 * a schema string in Python's call-signature form and a typed C shape
 * function. probe binds a config's arguments to the schema and calls the
 * function through libffi, so the function's parameters after the first two
 * are exactly the schema's, in the schema's order, with these C types:
 *
 *   schema type   C parameter           accepts in a net.cfg
 *   -----------   -------------------   -----------------------------------
 *   i64           int64_t               an integer (PROBE_NONE for None)
 *   f64           double                a number (NaN for None)
 *   bool          int                   True / False
 *   str           const char *          'text', "text" or a bare word (NULL: None)
 *   pair          probe_pair            n or (h, w)   (PROBE_NONE for None)
 *   fpair         probe_fpair           x or (h, w)   (NaN for None)
 *   pad           probe_pair            n, (h, w), 'same' (PROBE_SAME) or 'valid'
 *   ints          const probe_ints *    n or (a, b, ...), entries may be None
 *   size          const probe_ints *    n or a tuple of exactly rank ints; n is
 *                                       repeated rank times, as _pair/_triple
 *                                       do (None: n == -1). Needs a rank.
 *   psize         const probe_ints *    as size, or 'same' (every value
 *                                       PROBE_SAME) or 'valid' (zeros)
 *   tensor        const probe_tensor *  nothing: another input tensor, given
 *                                       by a caller that has one (NULL: None)
 *   any           (not passed)          anything (device=, dtype=)
 *
 * A layer that works on a fixed number of spatial dimensions says so after
 * its name: "Conv2d[2](...)" (1 to PROBE_MAX_DIMS - 2; without it, 0: any
 * rank). Its size and psize values then hold that many ints; the shape
 * function reads the rank from their n.
 *
 * A parameter is written `name: type [= default] [flags]`. Flags:
 *   ?    the value may be `?` (or is inferred by a Lazy layer): probe passes a
 *        deliberately wrong guess, and reads the right one out of the
 *        mismatch the function raises (the forum trick);
 *   in   the value declares the layer's input channels (used to infer C);
 *   ~    printed by print(model) but not taken by the constructor: accepted
 *        only when it equals the default.
 * A bare `*` makes the parameters after it keyword-only, `...` accepts and
 * ignores anything (Identity).
 *
 * The function is called twice in a layer's life:
 *   x == NULL  when the layer is built: check what PyTorch's constructor (or
 *              any forward, whatever the input) would refuse, report it with
 *              probe_raise(cx, PROBE_INVALID, "param", ...), return nonzero;
 *   x != NULL  for each forward: replace *x by the output shape, or report the
 *              shape error with PyTorch's own message and return nonzero.
 * It must not keep pointers to its arguments after it returns.
 */
#ifndef PROBE_PLUGIN_H
#define PROBE_PLUGIN_H

#include <stdint.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What libprobe exports: the functions of probe.h and of this header, and
 * nothing else (the library is built with -fvisibility=hidden). */
#if defined(__GNUC__)
#define PROBE_API __attribute__((visibility("default")))
#else
#define PROBE_API
#endif

/* Bumped when anything in this header changes incompatibly. */
#define PROBE_PLUGIN_ABI 1

#define PROBE_MAX_DIMS 8
/* None in an integer slot; 'same' in a pad slot. */
#define PROBE_NONE INT64_MIN
#define PROBE_SAME (INT64_MIN + 1)

/* The verdict kinds; an error's kind is one of the last four. */
typedef enum probe_status {
    PROBE_OK = 0,
    PROBE_MISMATCH,
    PROBE_TOO_SMALL,
    PROBE_ERROR,
    PROBE_INVALID,
    PROBE_STATUS_COUNT
} probe_status;

/* A meta tensor: a shape, no data. */
typedef struct probe_tensor {
    int ndim;
    int64_t dim[PROBE_MAX_DIMS];
} probe_tensor;

typedef struct probe_pair { int64_t h, w; } probe_pair;
typedef struct probe_fpair { double h, w; } probe_fpair;
/* n values (n == -1: None); tuple says they were written as a tuple or
 * list, which PyTorch tells from a bare int even with one value. */
typedef struct probe_ints { int n; int tuple; int64_t v[PROBE_MAX_DIMS]; } probe_ints;

/* One call's context: where errors, parameter counts and overflow go. */
typedef struct probe_ctx probe_ctx;

/*
 * Report the error that stops this layer. `param` names the argument the
 * user should change (NULL: none in particular); `fmt` is printf-style and
 * should be PyTorch's message. Returns 1, so `return probe_raise(...)` reads
 * well.
 */
PROBE_API int probe_raise(probe_ctx *cx, probe_status kind, const char *param,
                const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/*
 * Report a mismatch: the declared `param` disagrees with the input, which
 * needs `need`. probe records the fix, repairs the argument and calls the
 * function again, so one run finds every size that must change.
 */
PROBE_API int probe_mismatch(probe_ctx *cx, const char *param, int64_t need,
                   const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* The same for an `ints` parameter (LayerNorm's normalized_shape). */
PROBE_API int probe_mismatch_ints(probe_ctx *cx, const char *param,
                        const probe_ints *need, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/*
 * --explain: a line of the layer's formula with the numbers put in, e.g.
 * "H_out = floor((32 + 2*1 - 1*(3-1) - 1)/1 + 1) = 32". Cheap to skip:
 * check probe_explaining() before building costly text.
 */
PROBE_API void probe_explain(probe_ctx *cx, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
PROBE_API bool probe_explaining(const probe_ctx *cx);

/* The layer's trainable parameter count (weights and biases). */
PROBE_API void probe_set_params(probe_ctx *cx, int64_t count);

/*
 * Checked int64 arithmetic. On overflow they return 0 and mark the call, and
 * probe reports the layer as too large instead of a wrapped-around size.
 */
PROBE_API int64_t probe_add(probe_ctx *cx, int64_t a, int64_t b);
PROBE_API int64_t probe_sub(probe_ctx *cx, int64_t a, int64_t b);
PROBE_API int64_t probe_mul(probe_ctx *cx, int64_t a, int64_t b);

/* Python's floor division and modulo (rounding toward -inf); b != 0. */
PROBE_API int64_t probe_floordiv(int64_t a, int64_t b);

/* A shape as PyTorch prints a list of sizes: "[1, 16, 8, 8]". The text
 * lives in `cx` until the call returns; do not free it. */
PROBE_API const char *probe_shape_str(probe_ctx *cx, const int64_t *dims, int n);

/* A dimension index wrapped as PyTorch does (-1 is the last); returns
 * nonzero after raising "Dimension out of range" when it is outside. */
PROBE_API int probe_wrap_dim(probe_ctx *cx, int64_t dim, int ndim, int *out);

/* A shape function: see the comment at the top. */
typedef void (*probe_shape_fn)(void);

/* Plugins: the registry a plugin adds its layers to. Registries share no
 * mutable state (not even libffi's type descriptions): two may be set up
 * and used in two threads at once. */
typedef struct probe_registry probe_registry;

/*
 * Adds a layer. `schema` is e.g. "Focus(in_channels: i64 in, out_channels:
 * i64, k: pair = 1)"; `fn` the shape function, cast to probe_shape_fn.
 * Returns 0, or nonzero with a message in probe_registry_error(). A build
 * without libffi (PROBE_NO_FFI: the WebAssembly build) can call only the
 * built-in shape functions, and refuses any other `fn`.
 */
PROBE_API int probe_register(probe_registry *reg, const char *schema, probe_shape_fn fn);

/*
 * A plugin exports two symbols:
 *   const int probe_plugin_abi = PROBE_PLUGIN_ABI;
 *   int probe_plugin_init(probe_registry *reg);
 * probe refuses a plugin whose ABI differs from its own; probe_plugin_init
 * registers the layers and returns 0, or nonzero to refuse loading.
 */
typedef int (*probe_plugin_init_fn)(probe_registry *reg);

#ifdef __cplusplus
}
#endif
#endif
