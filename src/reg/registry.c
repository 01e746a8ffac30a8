/* registry.c - layers by name, and the one way every shape function is
 * called: libffi, with a call interface prepared once per layer (in a
 * PROBE_NO_FFI build, the direct call generated from its schema). */
#include "reg/registry.h"

#include <ctype.h>
#include <stdarg.h>
#ifndef PROBE_NO_FFI
#include <dlfcn.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The name reg_find looks for. */
typedef struct op_key {
    const probe_registry *reg;
    const char *name;
} op_key;

static bool op_named(const void *ctx, uint32_t i)
{
    const op_key *k = ctx;
    return !strcmp(VEC_AT(k->reg->ops, op *, i)->name, k->name);
}

const op *reg_find(const probe_registry *reg, const char *name)
{
    op_key key = { reg, name };
    uint32_t i;
    return hash_find(&reg->index, hash_str(name), op_named, &key, &i, NULL) ? VEC_AT(reg->ops, op *, i) : NULL;
}

const char *reg_suggest(const probe_registry *reg, const char *name)
{
    const char *best = NULL;
    size_t best_d = strlen(name) / 3 + 1;
    if (best_d > 3) best_d = 3;
    for (size_t i = 0; i < reg->ops.len; i++) {
        const char *cand = VEC_AT(reg->ops, op *, i)->name;
        if (!strcasecmp(cand, name)) return cand;
        size_t d = util_edit_distance(name, cand, best_d);
        if (d < best_d || (d == best_d && !best)) {
            if (d <= best_d) { best = cand; best_d = d; }
        }
    }
    return best;
}

/* Sets the registry's error (probe_registry_error) and returns 1. */
static int reg_fail(probe_registry *reg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int reg_fail(probe_registry *reg, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vset(&reg->error, &reg->ar, (src_span){ 0, 0, 0, 0 }, PROBE_INVALID, NULL, fmt, ap);
    va_end(ap);
    return 1;
}

const op *reg_first_with(const probe_registry *reg, unsigned flags)
{
    for (size_t i = 0; i < reg->ops.len; i++) {
        const op *o = VEC_AT(reg->ops, op *, i);
        if ((o->flags & flags) == flags) return o;
    }
    return NULL;
}

/* ---- calling a shape function: libffi, or in a PROBE_NO_FFI build the
 * direct calls generated from the schemas (direct.c). init_calls,
 * prepare_call and reg_call are all that differ between the two. */
#ifdef PROBE_NO_FFI
/* The direct calls are generated code: nothing to set up. */
static void init_calls(probe_registry *reg) { (void)reg; }

/* Only a function that tools/genproto wrote a direct call for can be called. */
static int prepare_call(probe_registry *reg, op *o)
{
    o->thunk = reg_thunk_for(o->fn);
    if (!o->thunk)
        return reg_fail(reg, "cannot register '%s': this build calls only the built-in layers' shape functions (no libffi)",
                        o->name);
    return 0;
}

int reg_call(const op *o, probe_ctx *cx, probe_tensor *x, cval *args)
{
    return o->thunk(cx, x, args);
}
#else
/* libffi describes a struct passed by value by its members, and fills in
 * its size and alignment the first time a call interface uses it: each
 * registry has its own, so that two set up in two threads share nothing
 * libffi writes to. */
static void init_calls(probe_registry *reg)
{
    reg->pair_members[0] = reg->pair_members[1] = &ffi_type_sint64;
    reg->pair_members[2] = NULL;
    reg->fpair_members[0] = reg->fpair_members[1] = &ffi_type_double;
    reg->fpair_members[2] = NULL;
    reg->ffi_pair = (ffi_type){ .type = FFI_TYPE_STRUCT, .elements = reg->pair_members };
    reg->ffi_fpair = (ffi_type){ .type = FFI_TYPE_STRUCT, .elements = reg->fpair_members };
}

static ffi_type *ffi_type_of(probe_registry *reg, ptype t)
{
    switch (t) {
    case PT_I64: return &ffi_type_sint64;
    case PT_F64: return &ffi_type_double;
    case PT_BOOL: return &ffi_type_sint;
    case PT_STR: case PT_INTS: case PT_SIZE: case PT_PSIZE: case PT_TENSOR: return &ffi_type_pointer;
    case PT_PAIR: case PT_PAD: return &reg->ffi_pair;
    case PT_FPAIR: return &reg->ffi_fpair;
    default: return NULL;
    }
}

/* libffi's call interface for o->fn, made once: (ctx, tensor, then one
 * argument per typed parameter). */
static int prepare_call(probe_registry *reg, op *o)
{
    o->atypes = arena_alloc(&reg->ar, (size_t)(o->ncargs + 2) * sizeof(ffi_type *));
    if (!o->atypes) return reg_fail(reg, "%s", "out of memory");
    o->atypes[0] = &ffi_type_pointer;
    o->atypes[1] = &ffi_type_pointer;
    int k = 2;
    for (int i = 0; i < o->nparams; i++)
        if (o->params[i].type != PT_ANY) o->atypes[k++] = ffi_type_of(reg, o->params[i].type);
    if (ffi_prep_cif(&o->cif, FFI_DEFAULT_ABI, (unsigned)k, &ffi_type_sint, o->atypes) != FFI_OK)
        return reg_fail(reg, "libffi cannot call '%s'", o->name);
    return 0;
}

int reg_call(const op *o, probe_ctx *cx, probe_tensor *x, cval *args)
{
    void *avalues[2 + 64];
    avalues[0] = &cx;
    avalues[1] = &x;
    for (int i = 0; i < o->ncargs; i++) avalues[2 + i] = &args[i];
    ffi_arg rc = 0;
    ffi_call((ffi_cif *)&o->cif, FFI_FN(o->fn), &rc, avalues);
    return (int)rc;
}
#endif

int reg_add(probe_registry *reg, const char *schema, probe_shape_fn fn, unsigned flags)
{
    if (!schema || !fn) return reg_fail(reg, "register: %s", "schema and function are required");
    op *o = arena_alloc(&reg->ar, sizeof *o);
    if (!o) return reg_fail(reg, "%s", "out of memory");
    char err[256];
    if (!reg_parse_schema(&reg->ar, schema, o, err, sizeof err))
        return reg_fail(reg, "bad schema: %s", err);
    if (reg_find(reg, o->name))
        return reg_fail(reg, "layer '%s' is already registered", o->name);
    o->fn = fn;
    o->flags = flags;
    o->features = -1;
    /* a Linear's features: the size it declares that the input must match,
     * the `?` it may leave to the run (not an 'in' channel count) */
    for (int i = 0; i < o->nparams && (flags & OPF_LINEAR) && o->features < 0; i++)
        if (o->params[i].inferable && !o->params[i].declares_input) o->features = i;
    if (prepare_call(reg, o) != 0) return 1;
    op **slot = vec_push(&reg->ops);
    if (!slot) return reg_fail(reg, "%s", "out of memory");
    *slot = o;
    if (!hash_insert(&reg->index, hash_str(o->name), (uint32_t)(reg->ops.len - 1))) {
        reg->ops.len--;
        return reg_fail(reg, "%s", "out of memory");
    }
    return 0;
}

int probe_register(probe_registry *reg, const char *schema, probe_shape_fn fn)
{
    if (reg_add(reg, schema, fn, OPF_PLUGIN | OPF_NOT_MONOTONE) != 0) return 1;
    /* probe cannot know a plugin's shapes are monotone in the input size
     * (above); torchinfo tells a ConvNd by its class name, so a plugin's
     * ConvBNAct is counted as one, as torchinfo would */
    op *o = VEC_AT(reg->ops, op *, reg->ops.len - 1);
    if (strstr(o->name, "Conv")) o->flags |= OPF_CONV_MACS;
    return 0;
}

/* dlclose()s every plugin loaded (the plugins section below). */
static void close_plugins(probe_registry *reg);

probe_registry *probe_registry_new(void)
{
    probe_registry *reg = calloc(1, sizeof *reg);
    if (!reg) return NULL;
    arena_init(&reg->ar);
    vec_init(&reg->ops, sizeof(op *));
    hash_init(&reg->index, 0, NULL);
    init_calls(reg);
    if (reg_add_builtins(reg) != 0) {
        probe_registry_free(reg);
        return NULL;
    }
    return reg;
}

void probe_registry_free(probe_registry *reg)
{
    if (!reg) return;
    arena_free(&reg->ar);
    vec_free(&reg->ops);
    hash_free(&reg->index);
    close_plugins(reg);
    free(reg->plugins);
    free(reg);
}

const char *probe_registry_error(const probe_registry *reg) { return diag_message(&reg->error); }

/* ---- plugins: loaded with dlopen, their functions called through libffi;
 * a PROBE_NO_FFI build has neither. */
#ifdef PROBE_NO_FFI
/* A plugin's functions could not be called here (no libffi), nor loaded
 * (the browser build links no dlopen). */
int probe_registry_load_plugin(probe_registry *reg, const char *path)
{
    (void)path;
    return reg_fail(reg, "%s", "plugins are not available in the browser build");
}

static void close_plugins(probe_registry *reg) { (void)reg; }
#else
/* dlopen() of a name without '/' searches the library path (and the
 * libraries already loaded), not the current directory: `--plugin
 * libx.so` would load some other libx.so, or fail while ./libx.so is
 * there. A plugin is named by a path, so such a name means ./name. */
static void *open_plugin(const char *path)
{
    if (strchr(path, '/')) return dlopen(path, RTLD_NOW | RTLD_LOCAL);
    size_t n = strlen(path);
    char *here = malloc(n + 3);
    if (!here) return NULL;
    memcpy(here, "./", 2);
    memcpy(here + 2, path, n + 1);
    void *h = dlopen(here, RTLD_NOW | RTLD_LOCAL);
    free(here);
    return h;
}

int probe_registry_load_plugin(probe_registry *reg, const char *path)
{
    void *h = open_plugin(path);
    if (!h) {
        const char *why = dlerror();    /* NULL when open_plugin ran out of memory */
        return reg_fail(reg, "cannot load plugin: %s", why ? why : "out of memory");
    }
    const int *abi = (const int *)dlsym(h, "probe_plugin_abi");
    void *init_sym = dlsym(h, "probe_plugin_init");
    if (!abi || !init_sym) {
        dlclose(h);
        return reg_fail(reg, "'%s' is not a probe plugin: it must export probe_plugin_abi and probe_plugin_init (see probe_plugin.h)",
                        path);
    }
    if (*abi != PROBE_PLUGIN_ABI) {
        int built_for = *abi;
        dlclose(h);
        return reg_fail(reg, "plugin '%s' was built for plugin ABI %d, but this probe speaks ABI %d: rebuild it against this probe_plugin.h",
                        path, built_for, PROBE_PLUGIN_ABI);
    }
    void **handles = realloc(reg->plugins, (size_t)(reg->nplugins + 1) * sizeof *handles);
    if (!handles) {
        dlclose(h);
        return reg_fail(reg, "%s", "out of memory");
    }
    reg->plugins = handles;
    reg->plugins[reg->nplugins++] = h;
    probe_plugin_init_fn init;
    memcpy(&init, &init_sym, sizeof init);
    reg->error.message = NULL;
    if (init(reg) != 0) {
        /* the old message stays in the arena while the new one is made */
        const char *why = reg->error.message;
        return reg_fail(reg, "plugin '%s' refused to load: %s", path, why ? why : "its probe_plugin_init returned an error");
    }
    return 0;
}

static void close_plugins(probe_registry *reg)
{
    for (int i = 0; i < reg->nplugins; i++) dlclose(reg->plugins[i]);
}
#endif
