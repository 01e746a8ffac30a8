/* ops_table.c - the built-in layers, registered the way a plugin's are. */
#include <assert.h>
#include "ops/ops.h"
#include "reg/registry.h"

enum op_id {
#define OP(id, fn, flags, schema) OP_##id,
#include "ops/ops.def"
#undef OP
    OP_COUNT
};

static const struct builtin {
    const char *schema;
    probe_shape_fn fn;
    unsigned flags;
} builtins[] = {
#define OP(id, fn_, flags_, schema_) [OP_##id] = { .schema = schema_, .fn = (probe_shape_fn)fn_, .flags = flags_ },
#include "ops/ops.def"
#undef OP
};

static_assert(sizeof builtins / sizeof builtins[0] == OP_COUNT, "one table entry per op");

int reg_add_builtins(probe_registry *reg)
{
    for (int i = 0; i < OP_COUNT; i++)
        if (reg_add(reg, builtins[i].schema, builtins[i].fn, builtins[i].flags) != 0) return 1;
    return 0;
}
