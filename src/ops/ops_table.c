/* ops_table.c - the built-in layers, registered the way a plugin's are. */
#include <assert.h>
#include "ops/ops.h"
#include "reg/registry.h"

enum op_id {
#define OP(id, fn, role, schema) OP_##id,
#include "ops/ops.def"
#undef OP
    OP_COUNT
};

static const struct builtin {
    const char *schema;
    probe_shape_fn fn;
    enum op_role role;
} builtins[] = {
#define OP(id, fn_, role_, schema_) [OP_##id] = { .schema = schema_, .fn = (probe_shape_fn)fn_, .role = role_ },
#include "ops/ops.def"
#undef OP
};

static_assert(sizeof builtins / sizeof builtins[0] == OP_COUNT, "one table entry per op");

int reg_add_builtins(probe_registry *reg)
{
    for (int i = 0; i < OP_COUNT; i++)
        if (reg_add(reg, builtins[i].schema, builtins[i].fn, builtins[i].role) != 0) return 1;
    return 0;
}
